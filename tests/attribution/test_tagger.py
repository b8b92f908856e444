"""The trained English attribution tagger: its packaged model, tokens, tags and merge with the rules.

The sentences here were written for these tests.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crosswire.attribution import extract_attributions, lexicon, tagger
from crosswire.model import Attribution, SourceEntity, Span
from crosswire.text.segment import segment

MAX_MODEL_BYTES = 5_000_000
MAX_CLUSTER_BYTES = 2_000_000


def _attributions(text: str) -> tuple[Attribution, ...]:
    sentences, _ = segment(text, "en")
    return extract_attributions(text, sentences, "en")


def test_the_built_english_model_stays_small() -> None:
    path = Path(str(tagger.model_path("en")))  # built by tests/conftest.py as a user builds it
    assert path.is_file()
    assert path.stat().st_size < MAX_MODEL_BYTES


def test_the_english_word_clusters_ship_small_and_class_words_by_meaning() -> None:
    path = Path(str(tagger.clusters_path("en")))
    assert path.stat().st_size < MAX_CLUSTER_BYTES
    clusters = tagger._word_clusters("en")
    assert len(clusters) > 40_000
    assert all(len(c) == 5 and c[2] == "." for c in clusters.values())
    # Classes come from USE-m vectors: words of one sense share one, unrelated ones do not.
    assert clusters["said"] == clusters["told"]
    assert clusters["senator"] == clusters["congressman"]
    assert clusters["senator"] != clusters["said"]


def test_a_word_s_cluster_is_a_feature_at_two_granularities() -> None:
    own, neighbours = tagger._word_features("claimed", "en")
    cluster = tagger._word_clusters("en")["claimed"]
    assert {"bc=" + cluster[:2], "bcf=" + cluster} <= set(own)
    assert "bcf-1=" + cluster in neighbours[-1]


def test_languages_without_a_model_are_read_by_the_rules_alone() -> None:
    assert not tagger.has_model("id")
    assert tagger._word_clusters("id") == {}


def test_the_model_loads_once_per_thread() -> None:
    assert tagger._tagger("en") is tagger._tagger("en")


def test_threads_tagging_at_once_get_the_serial_tags() -> None:
    # A pycrfsuite Tagger keeps the last sentence for its marginals: one Tagger shared by
    # threads (compare_many) read another thread's sentence and failed or mistagged.
    text = " ".join(
        f"The minister told reporters on day {n} that {n} soldiers had left the city, according to officials."
        if n % 2
        else f"Officials said {n} people were hurt."
        for n in range(40)
    )
    sentences, _ = segment(text, "en")
    lex = lexicon("en")
    serial = [tagger.tag_spans(text, s, lex) for s in sentences]
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave between tag() and marginal() at once
    try:
        with ThreadPoolExecutor(4) as pool:
            for _ in range(5):
                assert list(pool.map(lambda s: tagger.tag_spans(text, s, lex), sentences)) == serial
    finally:
        sys.setswitchinterval(switch_interval)


def test_tokens_keep_their_offsets_and_split_clitics() -> None:
    text = "He’s said O’Malley’s aides don't know (U.S. officials)."
    got = [text[s:e] for s, e in tagger.tokens(text, 0, len(text))]
    assert got == [
        "He",
        "’s",
        "said",
        "O’Malley",
        "’s",
        "aides",
        "don't",
        "know",
        "(",
        "U.S",
        ".",
        "officials",
        ")",
        ".",
    ]


def test_a_reported_speech_sentence_gets_its_cue_source_and_content() -> None:
    text = "Senator Maria Lopez said the bill would pass by a wide margin."
    (attribution,) = _attributions(text)
    assert attribution.cue.text == "said" and attribution.cue_kind == "verb"
    assert attribution.source.text == "Senator Maria Lopez" and attribution.entity.kind == "person"
    assert attribution.content.text == "the bill would pass by a wide margin"


def test_a_cue_outside_the_lexicon_is_a_verb() -> None:
    text = "Republican leaders lambasted the proposal as reckless and expensive."
    kinds = {a.cue.text: a.cue_kind for a in _attributions(text)}
    assert "lambasted" not in lexicon("en").cues
    assert kinds.get("lambasted") == "verb"


def _reading(kind: str, cue: tuple[int, int], source: tuple[int, int] | None, text: str, **extra) -> Attribution:
    span = lambda s: Span(s[0], s[1], text[s[0] : s[1]]) if s else None  # noqa: E731
    return Attribution(
        0, kind, span(cue), span(source), None, SourceEntity("anonymous:source", "anonymous", "x"), **extra
    )


def test_rule_readings_merge_without_duplicates() -> None:
    text = "A memo seen by the Daily Mirror reportedly says the plan changed, Smith said."

    def at(phrase: str) -> tuple[int, int]:
        return text.index(phrase), text.index(phrase) + len(phrase)

    seen, hedge, said, smith = at("seen by"), at("reportedly"), at("said."), at("Smith")
    said = (said[0], said[1] - 1)
    rules = [
        _reading("passive", seen, at("Daily Mirror"), text, cited=Span(0, 6, "A memo")),
        _reading("hedge", hedge, None, text),
        _reading("verb", said, smith, text),
    ]
    tagged = [_reading("verb", at("seen"), None, text), _reading("verb", said, None, text)]
    merged = tagger.with_rule_readings(tagged, rules)
    # The passive keeps its cited document over the tagged cue inside it; the hedge is added;
    # the tagged "said" keeps its cue and takes the rules' source.
    assert [(a.cue_kind, a.cue.text) for a in merged] == [
        ("passive", "seen by"),
        ("hedge", "reportedly"),
        ("verb", "said"),
    ]
    assert merged[0].cited.text == "A memo"
    assert merged[2].source.text == "Smith"


def test_a_source_whose_pair_the_model_doubts_is_left_out_not_guessed() -> None:
    # The product of the cue's and the source's mean marginals is about the chance that both
    # are right: under tagger.MIN_SOURCE_BELIEF the source is left out and the cue stays.
    # Built beliefs, not a trained model's: the marginals of one sentence move with every
    # retraining (this sentence's source belief crossed the bound when segmentation changed).
    text = "The governor believes the new bridge will open in May."

    def at(phrase: str) -> tuple[int, int]:
        return text.index(phrase), text.index(phrase) + len(phrase)

    reading = _reading("verb", at("believes"), at("The governor"), text)

    def beliefs(cue: float, source: float) -> list[tagger.TokenBelief]:
        return [
            tagger.TokenBelief(*at("The"), 0.0, source),
            tagger.TokenBelief(*at("governor"), 0.0, source),
            tagger.TokenBelief(*at("believes"), cue, 0.0),
        ]

    doubted = tagger.without_doubtful_source(reading, beliefs(0.9, 0.3))
    assert doubted.source is None and doubted.cue.text == "believes"
    assert doubted.entity.kind != "person"
    believed = tagger.without_doubtful_source(reading, beliefs(0.9, 0.5))
    assert believed.source is not None and believed.source.text == "The governor"


def test_a_rule_source_replaces_a_tagged_one_only_where_it_opens_it() -> None:
    text = "Paula Roe of Dayton, Ohio, said the plant would close, and Jon Hale, a union steward, said so too."

    def at(phrase: str, start: int = 0) -> tuple[int, int]:
        return text.index(phrase, start), text.index(phrase, start) + len(phrase)

    first_said, second_said = at("said"), at("said", text.index("steward"))
    rules = [_reading("verb", first_said, at("Ohio"), text), _reading("verb", second_said, at("Jon Hale"), text)]
    tagged = [
        _reading("verb", first_said, at("Paula Roe of Dayton, Ohio"), text),
        _reading("verb", second_said, at("Jon Hale, a union steward"), text),
    ]
    merged = tagger.with_rule_readings(
        tagged, rules, sources=[at("Paula Roe of Dayton, Ohio"), at("Jon Hale, a union steward")]
    )
    # A rule span cut inside the tagged source is a clause boundary misread: the tagged one
    # stays. A rule span that opens it is the name of an apposition: the project's convention.
    assert [a.source.text for a in merged] == ["Paula Roe of Dayton, Ohio", "Jon Hale"]


def test_odd_text_gives_attributions_or_none() -> None:
    for text in ("", "“" * 5000 + "said" + "”" * 5000, '"""', "— ― : said, said, said", "Он сказал 他说 said."):
        for attribution in _attributions(text):
            assert 0 <= attribution.cue.start < attribution.cue.end <= len(text)


def test_a_rule_verb_cue_is_kept_where_the_tagger_half_doubts_it() -> None:
    text = "Union leaders warned that the plant would close."

    def at(phrase: str) -> tuple[int, int]:
        return text.index(phrase), text.index(phrase) + len(phrase)

    warned, leaders = at("warned"), at("Union leaders")
    rules = [_reading("verb", warned, leaders, text)]
    # No possible cue of the tagger there: the rules' reading is left to the tagger.
    assert tagger.with_rule_readings([], rules) == []
    # A possible cue (tagger.MIN_RULE_CUE_MARGINAL): kept, with the rules' source where the
    # tagger reads a source there too, else with none.
    (kept,) = tagger.with_rule_readings([], rules, possible_cues=[warned], likely_sources=[leaders])
    assert (kept.cue.text, kept.source.text) == ("warned", "Union leaders")
    (kept,) = tagger.with_rule_readings([], rules, possible_cues=[warned])
    assert kept.cue.text == "warned" and kept.source is None and kept.entity.kind == "other"


def test_a_sentence_inside_a_quotation_of_several_sentences_is_known_quoted() -> None:
    text = "“We will win. Nobody doubts it.” Smith said. “Unclosed quotation.\nA new paragraph."
    sentences, _ = segment(text, "en")
    starts = dict(zip((text[s.start : s.end] for s in sentences), tagger.quoted_at_starts(text, sentences)))
    assert starts == {
        "“We will win.": False,
        "Nobody doubts it.”": True,
        "Smith said. “": False,
        "Unclosed quotation.": True,
        "A new paragraph.": False,
    }  # a line break closes it
