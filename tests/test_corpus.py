"""crosswire.Corpus: story linking on ingest, the claim matrix, sources, search, merge/split.

The articles are written for these tests (tests/test_cli_corpus.py uses them too): one
event (Jakarta floods) in English, German and Indonesian, and an unrelated English one.

The German article changes one number (5.000 for 3,500) and relays Reuters, the English
article's outlet, in that sentence; the Indonesian one drops the schools sentence and
adds a forecast.
"""

import json
from datetime import date

import pytest
from jsonschema import Draft202012Validator
from rich.console import Console
from postgres_servers import copy_corpus, execute, lose_linker_state, query_value, undo_migration_6
from scale_corpus import ENGINES, empty_db

from crosswire import Corpus
from crosswire.corpus import CorpusError
from crosswire.ingest import extractor_fingerprint
from crosswire.provenance import article_sources
from crosswire.render.terminal import render_claim_matrix
from crosswire.store import is_postgres_url
from crosswire.store.sqlite import MIGRATIONS
from crosswire.schemas import load_schema

FLOODS_EN = {
    "text": "Floods in Jakarta kill 12 people.\n\nHeavy rain flooded large parts of Jakarta on Monday, killing 12"
    " people and forcing 3,500 residents from their homes. The Ciliwung river burst its banks after two days of"
    " rain. Governor Anies Baswedan said emergency shelters had been opened in five districts. Schools across the"
    " city will stay closed until Wednesday.",
    "title": "Floods in Jakarta kill 12 people",
    "outlet": "Reuters",
    "published": "2024-03-04T08:00:00",
    "lang": "en",
    "url": "https://www.reuters.com/world/asia/jakarta-floods",
}
FLOODS_DE = {
    "text": "Überschwemmungen in Jakarta: 12 Tote.\n\nStarker Regen hat am Montag weite Teile Jakartas überflutet,"
    " 12 Menschen getötet und 5.000 Bewohner aus ihren Häusern vertrieben, berichtete die Nachrichtenagentur"
    " Reuters. Der Fluss Ciliwung trat nach zwei Tagen Regen über die Ufer. Gouverneur Anies Baswedan sagte, in"
    " fünf Bezirken seien Notunterkünfte eröffnet worden. Die Schulen der Stadt bleiben bis Mittwoch geschlossen.",
    "title": "Überschwemmungen in Jakarta: 12 Tote",
    "outlet": "Tagesspiegel",
    "published": "2024-03-04T12:00:00",
    "lang": "de",
}
FLOODS_ID = {
    "text": "Banjir di Jakarta tewaskan 12 orang.\n\nHujan deras membanjiri sebagian besar Jakarta pada hari Senin,"
    " menewaskan 12 orang dan memaksa 3.500 warga meninggalkan rumah mereka. Sungai Ciliwung meluap setelah hujan"
    " selama dua hari. Gubernur Anies Baswedan mengatakan tempat pengungsian darurat telah dibuka di lima"
    " kecamatan. Badan Meteorologi memperkirakan hujan lebat akan berlanjut hingga akhir pekan.",
    "title": "Banjir di Jakarta tewaskan 12 orang",
    "outlet": "Kompas",
    "published": "2024-03-04T15:00:00",
    "lang": "id",
}
CHESS_EN = {
    "text": "Chess champion wins fifth title in Oslo.\n\nThe Norwegian grandmaster won the tournament in Oslo on"
    " Sunday, his fifth title in a row. He beat his opponent in a tense final game that lasted more than six hours."
    " Organisers said a record 40,000 people followed the final online.",
    "title": "Chess champion wins fifth title in Oslo",
    "outlet": "BBC",
    "published": "2024-03-05T10:00:00",
    "lang": "en",
}
# A light edit of the English article, republished later by another site: a near-duplicate.
FLOODS_EN_COPY = {
    **FLOODS_EN,
    "text": FLOODS_EN["text"].replace("Heavy rain", "Torrential rain"),
    "outlet": "Jakarta Globe",
    "url": "https://jakartaglobe.id/floods",
    "published": "2024-03-04T18:00:00",
}


# Version 1's attributions table (never written), as a file from before version 4 has it.
V1_ATTRIBUTIONS = MIGRATIONS[0][MIGRATIONS[0].index("CREATE TABLE attributions") :].split(";")[0]


def write_jsonl(path, *articles) -> str:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module", params=ENGINES)
def corpus_db(request, tmp_path_factory):
    """The corpus in each engine: a SQLite file, and a PostgreSQL + pgvector database."""
    folder = tmp_path_factory.mktemp("corpus")
    # Input order is not publication order: linking sorts by date.
    path = write_jsonl(folder / "news.jsonl", FLOODS_ID, CHESS_EN, FLOODS_EN, FLOODS_DE)
    db = empty_db(request, folder)
    with Corpus(db) as corpus:
        corpus.ingest([path])
    return db


def ids_by_outlet(corpus):
    return {a.outlet: a.id for s in corpus.stories() for a in corpus.story(s.id).articles}


@pytest.fixture()
def fresh_db(corpus_db, tmp_path):
    """A copy of the ingested corpus, linker state included, for tests that change it."""
    return copy_corpus(corpus_db, tmp_path)


def test_ingest_links_the_event_across_languages_and_keeps_the_other_apart(corpus_db):
    with Corpus(corpus_db) as corpus:
        found = corpus.stories()
        assert sorted(s.articles for s in found) == [1, 3]
        floods = next(s for s in found if s.articles == 3)
        assert floods.languages == ("de", "en", "id")
        assert floods.outlets == ("Kompas", "Reuters", "Tagesspiegel")
        assert floods.headline == "Floods in Jakarta kill 12 people"  # the earliest article's, not the first read
        assert (floods.first_seen, floods.last_seen) == ("2024-03-04T08:00:00", "2024-03-04T15:00:00")
        assert [s.id for s in corpus.stories(lang="de")] == [floods.id]
        assert [s.headline for s in corpus.stories(outlet="bbc")] == ["Chess champion wins fifth title in Oslo"]


def test_claim_matrix_marks_present_changed_absent_and_who_said_it_first(corpus_db):
    with Corpus(corpus_db) as corpus:
        ids = ids_by_outlet(corpus)
        view = corpus.story(corpus.stories(lang="de")[0].id)
    en, de, id_ = ids["Reuters"], ids["Tagesspiegel"], ids["Kompas"]
    assert view.matrix_articles == (en, de, id_)  # time order; the earliest is the one compared with
    claims = {c.text.split()[0]: c for c in view.claims}
    marks = {word: {cell.article_id: cell.mark for cell in c.cells} for word, c in claims.items()}
    assert marks["Heavy"] == {en: "present", de: "changed", id_: "present"}
    changed = next(c for c in claims["Heavy"].cells if c.article_id == de)
    assert any(d.kind == "number" and d.a.text == "3,500" and d.b.text == "5.000" for d in changed.differences)
    assert marks["Schools"] == {en: "present", de: "present", id_: "absent"}
    assert marks["Badan"] == {en: "absent", de: "absent", id_: "present"}  # only the Indonesian article adds it
    assert claims["Badan"].introduced_by == id_
    assert claims["The"].introduced_by == en


def test_each_cell_holds_the_article_s_own_sentence_in_its_language(corpus_db):
    """The matrix is readable without the first article: each cell carries the sentence as
    its own article words it, labelled with that article's language, and where it differs."""
    with Corpus(corpus_db) as corpus:
        ids = ids_by_outlet(corpus)
        view = corpus.story(corpus.stories(lang="de")[0].id)
    en, de, id_ = ids["Reuters"], ids["Tagesspiegel"], ids["Kompas"]
    claims = {c.text.split()[0]: c for c in view.claims}
    heavy = {c.article_id: c for c in claims["Heavy"].cells}
    assert claims["Heavy"].lang == "en" and heavy[en].text == claims["Heavy"].text
    assert heavy[de].lang == "de" and heavy[de].text.startswith("Starker Regen hat am Montag weite Teile")
    assert [heavy[de].text[h.start : h.end] for h in heavy[de].highlights if h.kind == "number"] == ["5.000"]
    assert heavy[id_].lang == "id" and heavy[id_].text.startswith("Hujan deras") and not heavy[id_].highlights
    badan = {c.article_id: c for c in claims["Badan"].cells}
    assert claims["Badan"].lang == "id" and badan[id_].text.startswith("Badan Meteorologi memperkirakan")
    assert (badan[en].mark, badan[en].text, badan[en].lang) == ("absent", "", "en")


def test_the_terminal_matrix_shows_each_sentence_in_its_language_within_the_width(corpus_db):
    with Corpus(corpus_db) as corpus:
        view = corpus.story(corpus.stories(lang="de")[0].id)
    console = Console(width=72, record=True, color_system=None)
    render_claim_matrix(view, console)
    out = console.export_text()
    assert max(len(line) for line in out.splitlines()) <= 72  # one block per claim, not a column per article
    assert "[de] Tagesspiegel Starker Regen hat am Montag" in out and "number 3,500 → 5.000" in out
    assert "[id] Badan Meteorologi memperkirakan" in out  # a claim only a later article has, in its language
    assert "absent from" in out and "Die Schulen der Stadt bleiben bis Mittwoch" in out


def test_independent_sources_an_article_relaying_another_outlet_adds_none(corpus_db):
    with Corpus(corpus_db) as corpus:
        view = corpus.story(corpus.stories(lang="de")[0].id)
    claims = {c.text.split()[0]: c for c in view.claims}
    # Each outlet reports the river in its own voice: three roots.
    assert claims["The"].independent_sources == 3
    # The German sentence relays Reuters, the English article's outlet: Reuters and Kompas only.
    assert claims["Heavy"].independent_sources == 2
    assert "outlet:reuters" in claims["Heavy"].root_sources


def test_search_finds_the_german_sentence_for_an_english_query(corpus_db):
    with Corpus(corpus_db) as corpus:
        results = corpus.search("The river overflowed after two days of rain", limit=5)
        german = [h for h in results.sentences if h.lang == "de"]
        assert german and german[0].text == "Der Fluss Ciliwung trat nach zwei Tagen Regen über die Ufer."
        assert results.stories[0].story.languages == ("de", "en", "id")
        Draft202012Validator(load_schema("search-1")).validate(results.to_dict())
        with pytest.raises(CorpusError, match="empty search query"):
            corpus.search("  ")


def test_json_forms_validate_against_their_schemas(corpus_db):
    with Corpus(corpus_db) as corpus:
        Draft202012Validator(load_schema("stories-1")).validate(
            {"schema": "crosswire.stories/1", "stories": [s.to_dict() for s in corpus.stories()]}
        )
        for summary in corpus.stories():
            Draft202012Validator(load_schema("story-1")).validate(corpus.story(summary.id).to_dict())


def test_split_and_merge_stick_after_more_ingest_and_a_rebuilt_linker(fresh_db, tmp_path):
    with Corpus(fresh_db) as corpus:
        ids = ids_by_outlet(corpus)
        floods = corpus.stories(lang="de")[0].id
        left, new = corpus.split(floods, [ids["Kompas"]])
        assert (left.articles, new.languages) == (2, ("id",))
        with pytest.raises(CorpusError, match="not an article of story"):
            corpus.split(floods, [ids["BBC"]])
    # A near-duplicate of the English article arrives in a later run: it joins its
    # original's story, and the split stays.
    more = write_jsonl(tmp_path / "more.jsonl", FLOODS_EN_COPY)
    with Corpus(fresh_db) as corpus:
        report = corpus.ingest([more])
        assert report.near_duplicates == 1
        by_size = {s.id: s for s in corpus.stories()}
        assert by_size[floods].articles == 3 and by_size[floods].near_duplicates == 1
        assert by_size[new.id].articles == 1
        view = corpus.story(floods)
        copy = next(a for a in view.articles if a.outlet == "Jakarta Globe")
        assert copy.duplicate_of == ids["Reuters"] and copy.id not in view.matrix_articles
        merged = corpus.merge(floods, new.id)
        assert merged.articles == 4
    lose_linker_state(fresh_db)  # rebuilt with the overrides as pins
    with Corpus(fresh_db) as corpus:
        corpus.link()
        assert sorted(s.articles for s in corpus.stories()) == [1, 4]
        corpus.split(floods, [ids["Kompas"]])
    with Corpus(fresh_db) as corpus:
        corpus.ingest([more])  # a re-run: nothing new, nothing re-linked
        assert sorted(s.articles for s in corpus.stories()) == [1, 1, 3]


CHESS_DE = {
    "text": "Schachweltmeister gewinnt fünften Titel in Oslo.\n\nDer norwegische Großmeister gewann am Sonntag das"
    " Turnier in Oslo, seinen fünften Titel in Folge. Er schlug seinen Gegner in einer spannenden Schlusspartie, die"
    " mehr als sechs Stunden dauerte. Die Veranstalter sagten, eine Rekordzahl von 40.000 Menschen habe das Finale"
    " online verfolgt.",
    "title": "Schachweltmeister gewinnt fünften Titel in Oslo",
    "outlet": "Der Standard",
    "published": "2024-03-05T14:00:00",
    "lang": "de",
}
TRAIN_DE = {
    "text": "Zug in Bayern entgleist.\n\nEin Regionalzug ist am Dienstag bei Garmisch-Partenkirchen entgleist. Vier"
    " Menschen wurden verletzt, sagte ein Sprecher der Polizei. Die Strecke bleibt bis Freitag gesperrt.",
    "title": "Zug in Bayern entgleist",
    "outlet": "taz",
    "published": "2024-03-05T16:00:00",
    "lang": "de",
}


def test_small_passes_go_to_the_journal_and_a_new_process_replays_it(fresh_db, tmp_path):
    """Linking a few articles, and a merge, store only the changes (the checkpoint taken by
    the first pass is not rewritten: the journal keeps its rows). A corpus opened afresh, as
    another process would, replays them onto the checkpoint: the same stories as a linker
    rebuilt from every article, and the next article is linked against all of them."""
    for article in (TRAIN_DE, FLOODS_EN_COPY):  # one pass each; the copy joins its original unlinked
        with Corpus(fresh_db) as corpus:
            corpus.ingest([write_jsonl(tmp_path / "one.jsonl", article)])
    with Corpus(fresh_db) as corpus:
        ids = ids_by_outlet(corpus)
        floods = corpus.stories(lang="id")[0].id
        corpus.merge(floods, str(ids["taz"]))
    # The train article placed; the merge's pins, on the four linked articles of both stories.
    assert query_value(fresh_db, "SELECT count(*) FROM linker_journal") == 1 + 4
    with Corpus(fresh_db) as corpus:
        replayed = corpus.stories()
        corpus.ingest([write_jsonl(tmp_path / "one.jsonl", CHESS_DE)])
        chess = next(s for s in corpus.stories() if "Der Standard" in s.outlets)
        assert chess.outlets == ("BBC", "Der Standard") and chess.languages == ("de", "en")
        after = {s.id: s.articles for s in corpus.stories()}
    # The queues the triggers keep are empty once every article is linked and listed.
    assert query_value(fresh_db, "SELECT count(*) FROM link_queue") == 0
    assert query_value(fresh_db, "SELECT count(*) FROM summary_queue") == 0
    assert sorted(s.articles for s in replayed) == [1, 5] and sorted(after.values()) == [2, 5]
    (tmp_path / "rebuilt").mkdir()
    rebuilt = copy_corpus(fresh_db, tmp_path / "rebuilt")
    lose_linker_state(rebuilt)
    with Corpus(rebuilt) as corpus:
        corpus.link()
        assert {s.id: s.articles for s in corpus.stories()} == after


def test_listing_pages_and_counts_agree_with_the_whole_listing(fresh_db, tmp_path):
    undated = {
        "text": "Ein Zug ist entgleist.   Niemand wurde verletzt, sagte die Polizei.",
        "lang": "de",
        "outlet": "taz",
    }
    with Corpus(fresh_db) as corpus:
        corpus.ingest([write_jsonl(tmp_path / "undated.jsonl", undated)])
        everything = corpus.stories()
        assert everything[-1].headline == "Ein Zug ist entgleist."  # untitled: its first sentence; undated: last
        assert everything[-1].first_seen is None
        assert [s.headline for s in everything[:2]] == [
            "Chess champion wins fifth title in Oslo",
            "Floods in Jakarta kill 12 people",
        ]
        assert [s for offset in range(0, 3) for s in corpus.stories(limit=1, offset=offset)] == everything
        assert corpus.stories(limit=2, offset=2) == everything[2:]
        counts = corpus.story_counts()
        assert (counts.stories, counts.articles) == (3, 5)
        assert counts.languages == (("de", 2), ("en", 2), ("id", 1))
        german = corpus.story_counts(lang="de", until=date(2024, 3, 4))
        assert (german.stories, german.articles, german.languages) == (1, 3, (("de", 1), ("en", 1), ("id", 1)))
        assert corpus.story_counts(outlet="TAZ").stories == len(corpus.stories(outlet="TAZ")) == 1


def test_cli_stories_offset_pages_through_the_listing(corpus_db):
    from click.testing import CliRunner

    from crosswire.cli import cli

    with Corpus(corpus_db) as corpus:
        everything = [s.to_dict() for s in corpus.stories()]
    pages = []
    for offset in range(len(everything) + 1):
        result = CliRunner().invoke(
            cli,
            ["stories", "--db", str(corpus_db), "--limit", "1", "--offset", str(offset), "--json"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        pages.extend(json.loads(result.output)["stories"])
    assert pages == everything  # the page past the end is empty
    refused = CliRunner().invoke(cli, ["stories", "--db", str(corpus_db), "--offset", "-1"])
    assert refused.exit_code == 2 and "--offset" in refused.output


def test_a_version_2_file_lists_the_same_stories_and_keeps_them_current(fresh_db):
    with Corpus(fresh_db) as corpus:
        listed = corpus.stories()
    if is_postgres_url(fresh_db):  # triggers belong to tables there, and call functions
        version_3 = (
            "DROP TABLE story_summaries; DROP TRIGGER story_article_changed ON articles;"
            " DROP FUNCTION story_member_changed CASCADE; DROP FUNCTION story_article_changed"
        )
    else:
        version_3 = (
            "DROP TABLE story_summaries; DROP TRIGGER story_member_added; DROP TRIGGER story_member_moved;"
            " DROP TRIGGER story_member_removed; DROP TRIGGER story_article_changed"
        )
    execute(
        fresh_db,
        f"{undo_migration_6(fresh_db)}; {version_3}; DROP TABLE attributions; DROP TABLE attribution_sets; {V1_ATTRIBUTIONS};"
        " UPDATE schema_version SET version = 2",
    )
    with Corpus(fresh_db) as corpus:
        assert corpus.store.schema_version == 6
        assert corpus.stories() == listed
        floods = corpus.stories(lang="de")[0]
        kompas = next(a.id for a in corpus.story(floods.id).articles if a.outlet == "Kompas")
        left, new = corpus.split(floods.id, [kompas])
        assert {s.id: s for s in corpus.stories()} == {**{s.id: s for s in listed}, floods.id: left, new.id: new}


def test_views_read_the_attributions_stored_at_ingest(fresh_db, monkeypatch):
    with Corpus(fresh_db) as corpus:
        floods = corpus.stories(lang="de")[0]
        view = corpus.story(floods.id).to_dict()  # compares the articles (cached) and extracts nothing
        sources = corpus.story_sources(floods.id)
        stored = corpus.store.attributions([v.id for v in sources], extractor_fingerprint())
        assert sorted(stored) == sorted(v.id for v in sources)
        assert {v.stored.article.outlet: stored[v.id] == article_sources(v.document).attributions for v in sources} == {
            "Reuters": True,
            "Tagesspiegel": True,
            "Kompas": True,
        }
        german = next(v.id for v in sources if v.stored.article.lang == "de")
        assert "outlet:reuters" in {a.entity.key for a in stored[german]}  # "berichtete die Nachrichtenagentur Reuters"
        # Cached comparisons and stored attributions: a story view extracts nothing again.
        with monkeypatch.context() as patch:
            patch.setattr("crosswire.provenance.extract_attributions", _no_extraction)
            assert corpus.story(floods.id).to_dict() == view
            assert corpus.story_sources(floods.id) == sources
    execute(fresh_db, "UPDATE attribution_sets SET extractor = 'an older crosswire'")
    with Corpus(fresh_db) as corpus:  # stored by another extractor: extracted again, the same views
        assert corpus.store.attributions([v.id for v in sources], extractor_fingerprint()) == {}
        assert corpus.story(floods.id).to_dict() == view
        assert corpus.story_sources(floods.id) == sources


def _no_extraction(*args, **kwargs):
    raise AssertionError("attributions extracted again")


def test_article_view_has_its_sentences_story_and_sources(corpus_db):
    with Corpus(corpus_db) as corpus:
        floods = corpus.stories(lang="de")[0]
        german = next(a for a in corpus.story(floods.id).articles if a.lang == "de")
        view = corpus.article(german.id)
        assert (view.id, view.story_id, view.stored.article.outlet) == (german.id, floods.id, "Tagesspiegel")
        assert [s.text for s in view.document.sentences] == [s.text for s in german.sentences]
        found = view.to_dict()
        assert (found["id"], found["story"], found["duplicate_of"]) == (german.id, floods.id, None)
        assert "outlet:reuters" in found["sources"]["cites"]  # "berichtete die Nachrichtenagentur Reuters"
        with pytest.raises(CorpusError, match="^CW404 999: no such article$"):
            corpus.article(999)


def test_unknown_story_is_named_in_the_error(corpus_db):
    with Corpus(corpus_db) as corpus:
        with pytest.raises(CorpusError, match="^CW404 nope: no such story$"):
            corpus.story("nope")
        with pytest.raises(CorpusError, match="no such story"):
            corpus.merge("nope", corpus.stories()[0].id)


def test_links_of_a_split_sentence_map_back_to_the_stored_sentence():
    """compare may split a merged sentence in two; the claim matrix numbers sentences as
    prepare() does, so both halves must map to the one stored sentence they came from."""
    from crosswire.analyse import prepare
    from crosswire.corpus import _renumbered
    from crosswire.model import Article

    doc = prepare(Article("Floods hit Valencia. Rescue teams searched the streets. Schools stay shut.", "en"))
    starts = [s.start for s in doc.sentences]
    halves = [{"start": starts[0]}, {"start": starts[1]}, {"start": starts[1] + 13}, {"start": starts[2]}]
    assert _renumbered([1, 2], halves, doc) == [1]
    assert _renumbered([3], halves, doc) == [2]
    assert _renumbered([0, 3], halves, doc) == [0, 2]
