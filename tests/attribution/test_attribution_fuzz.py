"""Bad input never breaks attribution extraction, in any language with a lexicon.

Property: for any text (random unicode, no sentences, only quotation marks,
deeply nested quotations, mixed scripts, cue words glued together, one sentence of
20,000 characters made of cues), segmenting it and extracting attributions gives a
tuple, possibly empty, and never raises; every span of every attribution lies inside
the text and its `.text` is `text[start:end]`. The long sentences once took
quadratic time (half a minute for "said said ..."); they are here so that a slow
rule shows as a slow test run, without a wall-time assertion.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.attribution import available_languages, extract_attributions, lexicon
from crosswire.attribution.extract import MAX_CUES_PER_SENTENCE
from crosswire.model import Sentence
from crosswire.text.segment import segment

LANGUAGES = available_languages()
QUOTES = "\"'“”„‟«»‹›「」『』‘’‚《》〈〉"
PUNCTUATION = ",.;:!?，。、；：！？،؛؟…—–-()[]\n\t "
# Words and cues from every language, so that texts mix scripts and trigger cue rules.
FRAGMENTS = sorted(
    {
        phrase
        for lang in LANGUAGES
        for phrase in (*lexicon(lang).cues, *list(lexicon(lang).anon)[:20], *list(lexicon(lang).pronouns)[:3])
    }
    | {
        "Reuters",
        "Reuters'a",
        "Beyaz Saray'ın",
        "Gedung Putih",
        "express.co.uk",
        "Daily Mirror",
        "白宫",
        "البيت الأبيض",
        "للبيت الأبيض",
        "Белый дом",
        "„Wir“",
        "«ёлочки»",
        "St.",
        "U.S.",
        "Dr.",
        "J.",
        "١٢٣",
        "2023-01-31",
        "Selasa (31/1/2023)",
        "\u200f",
        "\u200b",
        "\ufeff",
        "\u0301",
        "ً",
        "ـ",
    }
)

SPAN_FIELDS = ("cue", "source", "content", "cited")
LONG_SENTENCE_CHARS = 20_000
# Sentences that made every cue rescan the sentence: cues without boundaries, quotation
# marks without an end, a cue after every comma or quotation, fronted preps, appositions.
PATHOLOGICAL = (
    "said ",
    "据",
    "« ",
    "قال ",
    "söyledi, ",
    '"a b c d e," said X, ',
    "According to Reuters ",
    "Laut dem Weißen Haus ",
    "«No», añadió, ",
    "Dmitry Peskov, the spokesman, said ",
    "وفي بيان قال ",
)


def _check(text: str, lang: str, sentences=None) -> tuple:
    if sentences is None:
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
            assert span.text == text[span.start : span.end], (field, span, lang)
    return found


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
    st.sampled_from(["“", "„", "«", '"', "「", "'"]),
    st.sampled_from(["”", "“", "»", '"', "」", "'"]),
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
        for opening, closing in (("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'), ("「", "」")):
            _check(
                opening * 10_000 + "According to Reuters, Menurut Gedung Putih, selon l'AFP" + closing * 10_000, lang
            )


def test_empty_and_blank_texts():
    for lang in LANGUAGES:
        for text in ("", " ", "\n\n", "\u200f", "。", "،", "«»", "„“"):
            _check(text, lang)


def _one_long_sentence(unit: str) -> tuple[str, tuple[Sentence, ...]]:
    text = (unit * (LONG_SENTENCE_CHARS // len(unit) + 1))[:LONG_SENTENCE_CHARS]
    return text, (Sentence(0, 0, len(text), text),)


def test_long_pathological_sentences_finish():
    for unit in PATHOLOGICAL:
        for lang in ("en", "zh", "ar", "tr", "de", "es", "fr"):
            text, sentences = _one_long_sentence(unit)
            _check(text, lang, sentences)


def test_the_rules_read_a_bounded_number_of_cues_per_sentence():
    text, sentences = _one_long_sentence("quelle: Reuters, selon l'AFP, a déclaré X, ")
    assert len(_check(text, "fr", sentences)) <= MAX_CUES_PER_SENTENCE


LONG_FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LONG_FUZZ
@given(
    unit=st.lists(st.sampled_from(FRAGMENTS + list(QUOTES + PUNCTUATION)), min_size=1, max_size=6).map(
        lambda parts: " ".join(parts) + " "
    ),
    lang=st.sampled_from(LANGUAGES),
)
def test_a_long_sentence_of_cues_finishes(unit, lang):
    text, sentences = _one_long_sentence(unit)
    _check(text, lang, sentences)
