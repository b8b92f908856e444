"""Issue 17: every source node is a real, named or described source, and every count of
independent sources says what it counted and what it folded.

The seed story's graph showed "Chinese (person)", "Serbians (person)" and "criticism
(anonymous)": a nationality, and a cue's own word, taken for sources.
"""

import pytest

import crosswire
from crosswire.attribution import extract_attributions, lexicon, resolve_source
from crosswire.provenance import Fold, article_sources, source_graph
from crosswire.text.segment import segment


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Serbians", "en"),
        ("the Chinese", "en"),
        ("two Serbian citizens", "en"),
        ("Les Chinois", "fr"),
        ("Another", "en"),
        ("His views", "en"),
        ("Tuesday", "en"),
    ],
)
def test_nationalities_function_words_and_weekdays_name_no_one(text, lang):
    assert resolve_source(text, lexicon(lang)).kind == "other"


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [
        ("Kim Jong Un", "en", "person:un"),
        ("Vladimir Putin", "en", "person:putin"),
        ("Wagner’s CEO Yevgeny Prigozhin, runs counter to the Chinese government’s", "en", "person:prigozhin"),
        ("Aleksandar Vucic", "en", "person:vucic"),
    ],
)
def test_names_stay_names(text, lang, key):
    assert resolve_source(text, lexicon(lang)).key == key


@pytest.fixture(scope="module")
def seed_docs(seed_path):
    en = seed_path("en_wagner_drones.txt").read_text(encoding="utf-8")
    idn = seed_path("id_wagner_drones.txt").read_text(encoding="utf-8")
    return crosswire.compare(en, idn, lang_a="en", lang_b="id")


def test_the_seed_story_has_no_pseudo_sources(seed_path):
    for name, lang in (("en_wagner_drones.txt", "en"), ("id_wagner_drones.txt", "id")):
        text = seed_path(name).read_text(encoding="utf-8")
        sentences, _ = segment(text, lang)
        for attribution in extract_attributions(text, sentences, lang):
            entity = attribution.entity
            if entity.kind == "other":
                continue  # provenance leaves these out
            assert entity.key not in {"person:chinese", "person:serbian", "person:serbians"}, attribution
            # An unnamed source comes from an anonymous noun or a hedge, never a cue's own word.
            if entity.kind == "anonymous":
                assert attribution.cue_kind == "hedge" or attribution.source is not None, attribution


def test_the_seed_graph_nodes_are_sources(seed_docs):
    nodes = {n.id: n for n in seed_docs.provenance.nodes}
    assert not [
        n for n in nodes.values() if n.label.casefold() in {"chinese", "serbians", "criticism", "does not support"}
    ]
    assert "outlet:daily-mirror" in nodes and "anonymous:report" in nodes


def test_a_count_lists_the_sources_it_counted_and_the_ones_it_folded(seed_docs):
    comparison = seed_docs
    mirror = next(i for i, s in enumerate(comparison.b.sentences) if "Daily Mirror" in s.text)
    graph = source_graph({"b": comparison.b})
    count = graph.claim_count({"b": (mirror,)})
    # The Daily Mirror reviewed an intelligence report: the report is the root, the Mirror folded into it.
    assert "anonymous:report" in count.roots and "outlet:daily-mirror" not in count.roots
    assert Fold("outlet:daily-mirror", "cites", "anonymous:report") in count.folded
    claims = [c.to_dict() for c in comparison.provenance.claims]
    assert all(set(c) >= {"roots", "independent_sources", "folded"} for c in claims)


def test_an_article_relaying_another_s_publisher_is_a_fold(seed_docs):
    from dataclasses import replace

    from crosswire.model import Article, SourceEntity
    from crosswire.analyse import prepare

    first = prepare(Article("Floods hit the city on Monday, killing 12 people.", "en", outlet="Reuters"))
    relayed = prepare(Article("Banjir melanda kota pada hari Senin dan menewaskan 12 orang.", "id", outlet="Kompas"))
    sources = article_sources(relayed, ())
    express = SourceEntity("outlet:reuters", "outlet", "Reuters")
    relay = crosswire.model.Attribution(0, "prep", crosswire.model.Span(0, 5, "Banji"), None, None, express, relay=True)
    graph = source_graph({"1": first, "2": relayed}, known={"2": replace(sources, attributions=(relay,))})
    count = graph.claim_count({"1": (0,), "2": (0,)})
    assert count.roots == ("outlet:reuters",)
    assert Fold("article:2", "relays", "outlet:reuters") in count.folded
