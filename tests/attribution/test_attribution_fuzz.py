"""Bad input never breaks attribution extraction, in any language with a lexicon.

Property: for any text (random unicode, no sentences, only quotation marks,
deeply nested quotations, mixed scripts, cue words glued together), segmenting
it and extracting attributions gives a tuple, possibly empty, and never raises;
every span of every attribution lies inside the text and its `.text` is
`text[start:end]`.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.attribution import available_languages, extract_attributions, lexicon
from crosswire.text.segment import segment

LANGUAGES = available_languages()
QUOTES = "\"'“”„‟«»‹›「」『』‘’‚《》〈〉"
PUNCTUATION = ",.;:!?，。、；：！？،؛؟…—–-()[]\n\t "
# Words and cues from every language, so that texts mix scripts and trigger cue rules.
FRAGMENTS = sorted({
    phrase
    for lang in LANGUAGES
    for phrase in (*lexicon(lang).cues, *list(lexicon(lang).anon)[:20], *list(lexicon(lang).pronouns)[:3])
} | {
    "Reuters", "Reuters'a", "Beyaz Saray'ın", "Gedung Putih", "express.co.uk", "Daily Mirror",
    "白宫", "البيت الأبيض", "للبيت الأبيض", "Белый дом", "„Wir“", "«ёлочки»", "St.", "U.S.", "Dr.", "J.",
    "١٢٣", "2023-01-31", "Selasa (31/1/2023)", "\u200f", "\u200b", "\ufeff", "\u0301", "ً", "ـ",
})

SPAN_FIELDS = ("cue", "source", "content", "cited")


def _check(text: str, lang: str) -> None:
    sentences, _ = segment(text, lang)
    found = extract_attributions(text, sentences, lang)
    assert isinstance(found, tuple)
    for attribution in found:
        assert attribution.cue is not None
        for field in SPAN_FIELDS:
            span = getattr(attribution, field)
            if span is None:
                continue
            assert 0 <= span.start <= span.end <= len(text), (field, span, lang)
            assert span.text == text[span.start:span.end], (field, span, lang)


mixed_texts = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.sampled_from(list(QUOTES + PUNCTUATION)),
        st.text(max_size=12),
    ),
    max_size=40,
).map(lambda parts: "".join(p if i % 3 else p + " " for i, p in enumerate(parts)))

quote_only_texts = st.text(alphabet=QUOTES + " ", max_size=200)

nested_quotes = st.tuples(
    st.integers(min_value=1, max_value=300),
    st.sampled_from(["“", "„", "«", "\"", "「", "'"]),
    st.sampled_from(["”", "“", "»", "\"", "」", "'"]),
    st.sampled_from(FRAGMENTS),
).map(lambda t: t[1] * t[0] + t[3] + " said X " + t[2] * t[0])

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(text=st.text(max_size=300), lang=st.sampled_from(LANGUAGES))
def test_random_unicode(text, lang):
    _check(text, lang)


@FUZZ
@given(text=mixed_texts, lang=st.sampled_from(LANGUAGES))
def test_mixed_scripts_and_cues(text, lang):
    _check(text, lang)


@FUZZ
@given(text=quote_only_texts, lang=st.sampled_from(LANGUAGES))
def test_only_quotation_marks(text, lang):
    _check(text, lang)


@FUZZ
@given(text=nested_quotes, lang=st.sampled_from(LANGUAGES))
def test_nested_quotations(text, lang):
    _check(text, lang)


def test_ten_thousand_nested_quotation_marks():
    for lang in LANGUAGES:
        for opening, closing in (("“", "”"), ("«", "»"), ("„", "“"), ("\"", "\""), ("「", "」")):
            _check(opening * 10_000 + "According to Reuters, Menurut Gedung Putih, selon l'AFP" + closing * 10_000, lang)


def test_empty_and_blank_texts():
    for lang in LANGUAGES:
        for text in ("", " ", "\n\n", "\u200f", "。", "،", "«»", "„“"):
            _check(text, lang)
