"""Story linking: translations group, unrelated articles do not; deterministic; pins,
merge and split stick; the time window; save/load; quality floor on a WMT21 slice."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from crosswire.model import Article
from crosswire.analyse import prepare
from crosswire.similarity import build_profile, with_wide_vectors
from crosswire.stories import LinkerConfig, StoryLinker, linking_order

from test_similarity import CHIPS_EN, FLOOD_DE, FLOOD_EN  # noqa: E402  (tests/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

CHIPS_FR = (
    "Un fabricant de puces annonce un bénéfice trimestriel record.\n"
    "L'entreprise a indiqué que son chiffre d'affaires avait augmenté de 18% à 12,4 milliards de dollars, "
    "porté par la demande de processeurs pour centres de données. Son directeur général a déclaré aux analystes "
    "que les contraintes d'approvisionnement s'atténueraient l'an prochain. L'action a gagné 5% après la clôture à New York."
)


@pytest.fixture(scope="module")
def profiles():
    articles = {
        "flood-en": Article(FLOOD_EN, "en", published="2024-10-29"),
        "chips-en": Article(CHIPS_EN, "en", published="2024-10-29"),
        "flood-de": Article(FLOOD_DE, "de", published="2024-10-30"),
        "chips-fr": Article(CHIPS_FR, "fr", published="2024-10-31"),
    }
    return {article_id: build_profile(a) for article_id, a in articles.items()}


def link(profiles, linker=None, order=("flood-en", "chips-en", "flood-de", "chips-fr")):
    linker = StoryLinker() if linker is None else linker
    return linker, {a: linker.add(a, profiles[a]) for a in order}


def test_translations_join_their_story_and_unrelated_articles_do_not(profiles):
    linker, stories = link(profiles)
    assert stories == {"flood-en": "flood-en", "chips-en": "chips-en", "flood-de": "flood-en", "chips-fr": "chips-en"}
    assert linker.stories["flood-en"].first_seen == "2024-10-29"
    assert linker.stories["flood-en"].last_seen == "2024-10-30"


def test_same_input_same_stories(profiles):
    first, second = link(profiles)[0], link(profiles)[0]
    assert [dataclasses.asdict(s) for s in first.stories.values()] == [
        dataclasses.asdict(s) for s in second.stories.values()
    ]


def test_adding_an_article_twice_changes_nothing(profiles):
    linker, _ = link(profiles)
    assert linker.add("flood-de", profiles["flood-de"]) == "flood-en"
    assert len(linker) == 4


def test_articles_outside_the_time_window_start_a_new_story(profiles):
    late = dataclasses.replace(profiles["flood-de"], published="2024-12-30")
    linker = StoryLinker(LinkerConfig(window_days=7))
    linker.add("flood-en", profiles["flood-en"])
    assert linker.add("flood-de", late) == "flood-de"


def test_pins_override_the_scores(profiles):
    linker = StoryLinker(pins={"flood-de": "chips-en", "chips-fr": "mine"})
    _, stories = link(profiles, linker)
    assert stories["flood-de"] == "chips-en"
    assert stories["chips-fr"] == "mine"
    assert linker.stories["mine"].article_ids == ["chips-fr"]


def test_split_and_merge_stick_on_a_rerun(profiles):
    linker, _ = link(profiles)
    pins = linker.split(["flood-de"])
    assert linker.story_of["flood-de"] != "flood-en" and linker.story_of["flood-en"] == "flood-en"
    pins.update(linker.merge("flood-en", "chips-en"))
    assert sorted(linker.stories["flood-en"].article_ids) == ["chips-en", "chips-fr", "flood-en"]
    assert "chips-en" not in linker.stories

    rerun, stories = link(profiles, StoryLinker(pins=pins))
    assert stories == dict(linker.story_of)
    assert {k: sorted(v.article_ids) for k, v in rerun.stories.items()} == {
        k: sorted(v.article_ids) for k, v in linker.stories.items()
    }


def test_save_and_load_round_trip(profiles, tmp_path):
    linker, _ = link(profiles, order=("flood-en", "chips-en", "flood-de"))
    linker.save(tmp_path / "linker")
    loaded = StoryLinker.load(tmp_path / "linker")
    assert loaded.story_of == linker.story_of and loaded.pins == linker.pins
    assert loaded.add("chips-fr", profiles["chips-fr"]) == linker.add("chips-fr", profiles["chips-fr"]) == "chips-en"


def test_a_graph_restored_from_its_checkpoint_goes_on_as_the_one_that_wrote_it(tmp_path):
    """usearch does not keep its level generator in the file: the writer goes on from the
    copy it wrote, so a process that restores the checkpoint builds the same graph."""
    import numpy as np

    from crosswire.stories import UsearchIndex

    vectors = np.random.default_rng(0).standard_normal((2000, 64)).astype(np.float32)
    writer = UsearchIndex(64)
    for n in range(1000):
        writer.add(str(n), vectors[n])
    writer.checkpoint_file(tmp_path / "graph.usearch")
    reader = UsearchIndex.from_file(tmp_path / "graph.usearch", 64, [str(n) for n in range(1000)])
    for index in (writer, reader):
        for n in range(1000, 2000):
            index.add(str(n), vectors[n])
    assert writer.checkpoint_bytes() == reader.checkpoint_bytes()


def test_a_loaded_graph_adds_and_searches_as_wide_as_the_config_says(profiles, tmp_path):
    linker, _ = link(profiles, order=("flood-en", "chips-en"))
    linker.save(tmp_path / "linker")
    graph = StoryLinker.load(tmp_path / "linker").index._index  # usearch.Index: its file keeps neither breadth
    assert graph.expansion_add == graph.expansion_search == LinkerConfig().expansion


def test_a_state_saved_without_publication_times_reads_them_from_the_profiles(profiles, tmp_path):
    import json

    from crosswire.stories import MemoryProfiles

    linker, _ = link(profiles, order=("flood-en", "chips-en", "flood-de"))
    linker.save(tmp_path / "linker")
    state_file = tmp_path / "linker" / "state.json"
    state = json.loads(state_file.read_text())
    assert state["slot_times"] == ["2024-10-29T00:00:00", "2024-10-29T00:00:00", "2024-10-30T00:00:00"]
    del state["slot_times"]  # as a linker saved before the times were kept
    state_file.write_text(json.dumps(state))
    for loaded in (
        StoryLinker.load(tmp_path / "linker"),
        StoryLinker.load(tmp_path / "linker", profiles=MemoryProfiles(linker.profiles)),
    ):
        assert loaded.state() == linker.state()
        # The window still applies: the French version two months later starts its own story.
        late = dataclasses.replace(profiles["chips-fr"], published="2024-12-31")
        assert loaded.add("chips-fr", late) == "chips-fr"


@pytest.mark.parametrize("chunk", [500, 1])  # the profiles read for all changes at once, or one at a time
def test_a_checkpoint_with_the_changes_after_it_replayed_is_the_same_linker(profiles, tmp_path, monkeypatch, chunk):
    """What a store does: it numbers and keeps the journal, checkpoints now and then, and
    replays the changes after the checkpoint when it opens the linker again."""
    from crosswire.stories import MemoryProfiles

    monkeypatch.setattr("crosswire.stories.REPLAY_CHUNK", chunk)

    linker, _ = link(profiles, order=("flood-en", "chips-en"))
    linker.journal.clear()
    linker.journal_seq = 2  # the two placements, stored
    linker.save(tmp_path / "linker")  # the checkpoint
    linker.add("flood-de", profiles["flood-de"])
    linker.pin("chips-en", "flood-en")
    assert linker.journal == [("add", "flood-de", "flood-en"), ("pin", "chips-en", "flood-en")]
    changes = [(3 + n, *change) for n, change in enumerate(linker.journal)]
    linker.journal.clear()
    linker.journal_seq = 4

    loaded = StoryLinker.load(tmp_path / "linker", profiles=MemoryProfiles(linker.profiles))
    assert (loaded.journal_seq, loaded.checkpoint_seq) == (2, 2)
    loaded.replay(changes, into_index=True)
    assert loaded.state() == linker.state() and not loaded.journal
    # The graph took the replayed article: the French version finds it, as in the original.
    assert loaded.index.search(profiles["flood-de"].vector, 3) == linker.index.search(profiles["flood-de"].vector, 3)
    assert loaded.add("chips-fr", profiles["chips-fr"]) == linker.add("chips-fr", profiles["chips-fr"])


def test_a_checkpoint_is_due_first_then_after_a_twentieth_of_the_linked_articles():
    from crosswire.stories import CHECKPOINT_FRACTION, CHECKPOINT_MIN_CHANGES

    linker = StoryLinker()
    assert not linker.checkpoint_due()  # nothing stored yet
    linker.journal_seq = 3
    assert linker.checkpoint_due()  # stored, and no checkpoint yet
    linker.checkpoint_seq = 3
    for linked in (100, 100_000):
        linker.story_of = {str(n): "s" for n in range(linked)}
        wait = max(CHECKPOINT_MIN_CHANGES, int(CHECKPOINT_FRACTION * linked))
        assert wait == (1000 if linked == 100 else 5000)
        linker.journal_seq = 3 + wait - 1
        assert not linker.checkpoint_due()
        linker.journal_seq = 3 + wait
        assert linker.checkpoint_due()


def test_linking_order_is_by_publication_then_input(profiles):
    items = [("c", "2024-10-31"), ("a", None), ("b", "2024-10-29T08:00:00+02:00"), ("d", "2024-10-31")]
    assert [i for i, _ in linking_order(items, lambda item: item[1])] == ["b", "c", "d", "a"]


# Quality gate: the first DOCS documents of each file of every shared set (WMT21 fr/de with
# 2 machine translations, WMT22 en-zh/en-hr/uk-en, FLORES bn/hi/xh/zu: one story in four
# languages), in one stream shuffled with seed 0, as bench/stories.py links them: profiles
# from USE-m, wide vectors (e5-small) where the linker asks for them.
DOCS = 3
# Measured with mutual sentence matches, the member margin and wide vectors of 800
# characters (LinkerConfig's and similarity's defaults): F1 0.891, precision 1.000 in
# every language (before them: 0.820, 0.926 for en).
B_CUBED_F1_FLOOR = 0.87
B_CUBED_PRECISION_FLOOR = 0.95  # the target, in every language


def test_quality_gate_mixed_slice():
    from stories import SETS, DATA, b_cubed, mixed_stream

    if not all(sorted((DATA / name).glob("*.xml")) for name in SETS):
        pytest.fail(f"benchmark data not found under {DATA} (it lives outside the repo, in ../shared/data)")
    stream = mixed_stream(SETS, seed=0, limit_docs=DOCS)
    articles = {item.article_id: item.article for item in stream}

    def wide_provider(article_ids):
        return [
            with_wide_vectors(linker.profiles[a], [s.text for s in prepare(articles[a]).sentences]) for a in article_ids
        ]

    linker = StoryLinker(wide_provider=wide_provider)
    predicted = {item.article_id: linker.add(item.article_id, build_profile(item.article)) for item in stream}
    gold = {item.article_id: item.story for item in stream}
    precision, _, f1 = b_cubed(gold, predicted)
    assert precision >= B_CUBED_PRECISION_FLOOR
    assert f1 >= B_CUBED_F1_FLOOR
    for lang in {item.article.lang for item in stream}:
        assert (
            b_cubed(gold, predicted, {i.article_id for i in stream if i.article.lang == lang})[0]
            >= B_CUBED_PRECISION_FLOOR
        ), lang
