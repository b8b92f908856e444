import sqlite3

import numpy as np
import pytest

from crosswire.errors import CrosswireError
from crosswire.ingest import content_hash, shingles
from crosswire.model import Article, Fact, Sentence
from crosswire.store import NewArticle, minhash_signature
from crosswire.store.sqlite import MIGRATIONS, SCHEMA_VERSION, SqliteStore
from postgres_servers import UNDO_MIGRATION_6

BASE = (
    "The harbour authority in Port Elrond said on Tuesday that 1,200 containers had been delayed by the storm. "
    "Officials expect the backlog to clear within four days, according to a statement released in the morning. "
    "Shipping companies had warned last week that the new cranes would not be ready before the end of March. "
    "The mayor, Ingrid Talvik, told reporters that the city would pay for extra night shifts at the terminal."
)
# A light edit: one word changed, as a syndicating site might.
EDITED = BASE.replace("Tuesday", "Wednesday")
OTHER = "Die Bürgermeisterin sagte, die Stadt werde zusätzliche Nachtschichten am Terminal bezahlen. " * 3


def new_article(text: str, source: str, published: str | None = None, *, facts=()) -> NewArticle:
    article = Article(text, "en", source=source, published=published, url=f"https://h/{source}")
    sentences = (Sentence(0, 0, 10, text[:10]), Sentence(1, 11, 20, text[11:20]))
    vectors = np.random.default_rng(0).normal(size=(2, 512)).astype(np.float32)
    return NewArticle(
        article, content_hash(text), sentences, "use-m", vectors, list(facts), minhash_signature(shingles(text))
    )


@pytest.fixture
def store(tmp_path):
    with SqliteStore(str(tmp_path / "c.db")) as s:
        yield s


def test_fresh_file_is_migrated_in_wal_mode(tmp_path):
    path = tmp_path / "fresh.db"
    with SqliteStore(str(path)) as s:
        assert s.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "articles",
        "copies",
        "sentences",
        "embeddings",
        "facts",
        "attributions",
        "story_articles",
        "story_overrides",
        "profiles",
        "article_vectors",
        "comparisons",
    } <= tables
    with SqliteStore(str(path)) as again:  # reopening migrates nothing twice
        assert again.schema_version == SCHEMA_VERSION


def test_version_1_file_gains_the_story_tables_and_keeps_its_articles(tmp_path):
    path = tmp_path / "v1.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        f"BEGIN; CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
        f" {MIGRATIONS[0]}; COMMIT;"
    )
    db.close()
    with SqliteStore(str(path)) as s:
        s.add_article(new_article("Floods in Jakarta killed 12 people on Monday.", "a.txt"))
        assert s.schema_version == SCHEMA_VERSION == 6
        assert s.unprofiled_ids("use-m", [1]) == [1]  # stored without a profile: built when linked
        assert s.unlinked_articles() == [(1, None, None)]


def test_attributions_round_trip_and_belong_to_their_extractor(tmp_path):
    from dataclasses import replace

    from crosswire.analyse import prepare
    from crosswire.provenance import article_sources

    doc = prepare(Article(BASE, "en", source="a.txt"))
    found = article_sources(doc).attributions
    assert {a.entity.kind for a in found} >= {"anonymous", "person"}  # "Officials ... according to", "Talvik told"
    with SqliteStore(str(tmp_path / "c.db")) as s:
        stored = s.add_article(replace(new_article(BASE, "a.txt"), attributions=found, attribution_extractor="x1"))
        bare = s.add_article(new_article(OTHER, "b.txt"))  # stored without attributions
    with SqliteStore(str(tmp_path / "c.db")) as s:
        assert s.attributions([stored.article_id, bare.article_id], "x1") == {stored.article_id: found}
        assert s.attributions([stored.article_id], "x2") == {}  # another extractor's: extract again


def test_version_3_file_gains_the_attribution_tables_and_keeps_its_articles(tmp_path):
    path = tmp_path / "v3.db"
    with SqliteStore(str(path)) as s:
        s.add_article(new_article(BASE, "a.txt"))
    db = sqlite3.connect(path, isolation_level=None)
    # Back to version 3 as it was: version 1's (never written) attributions table.
    v1_attributions = MIGRATIONS[0][MIGRATIONS[0].index("CREATE TABLE attributions") :].split(";")[0]
    db.executescript(
        f"BEGIN; {UNDO_MIGRATION_6['sqlite']}; DROP TABLE attributions; DROP TABLE attribution_sets; {v1_attributions};"
        " UPDATE schema_version SET version = 3; COMMIT;"
    )
    db.close()
    with SqliteStore(str(path)) as s:
        assert s.schema_version == 6
        assert s.article(1).article.text == BASE
        assert s.attributions([1], "x1") == {}


def test_band_index_finds_what_datasketch_lsh_finds():
    from datasketch import LeanMinHash, MinHashLSH

    from crosswire.store.near_duplicates import BandIndex

    rng = np.random.default_rng(0)
    originals = [rng.integers(0, 2**32, 128, dtype=np.uint64).astype(np.uint32) for _ in range(40)]
    signatures = []
    for n in range(2000):  # copies of 40 originals, each with up to 60% of its values redrawn
        signature = originals[n % 40].copy()
        redrawn = rng.random(128) < rng.random() * 0.6
        signature[redrawn] = rng.integers(0, 2**32, int(redrawn.sum()), dtype=np.uint64).astype(np.uint32)
        signatures.append(signature)
    bands, lsh = BandIndex(0.8, 128), MinHashLSH(threshold=0.8, num_perm=128)
    for n, signature in enumerate(signatures):
        bands.add(n, signature)
        lsh.insert(n, LeanMinHash(seed=1, hashvalues=signature, scheme="affine32"))
    for signature in signatures[::7]:
        expected = set(lsh.query(LeanMinHash(seed=1, hashvalues=signature, scheme="affine32")))
        assert bands.candidates(signature) == expected
        # As read back from the database (little-endian uint32 bytes): the same keys.
        assert bands.candidates(np.frombuffer(signature.astype("<u4").tobytes(), dtype="<u4")) == expected


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "new.db"
    SqliteStore(str(path)).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(CrosswireError, match=r"^CW402 .*new\.db: schema version"):
        SqliteStore(str(path))


@pytest.mark.parametrize("content", [b"this is not a database at all" * 200, "other-app"])
def test_not_a_crosswire_database(tmp_path, content):
    path = tmp_path / "other.db"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(CrosswireError, match=r"^CW401 .*other\.db"):
        SqliteStore(str(path))


def test_article_round_trip(store):
    facts = [(0, Fact("number", 60, 65, "1,200", "1200")), (1, Fact("name", 0, 4, "Port", "port"))]
    new = new_article(BASE, "a.txt", "2024-03-05", facts=facts)
    stored = store.add_article(new)
    assert stored.duplicate_of is None
    vectors = store.sentence_vectors(stored.article_id, "use-m")
    assert vectors.shape == (2, 512)
    np.testing.assert_allclose(vectors, new.vectors, atol=2e-3)  # float16 precision
    assert store.sentence_vectors(stored.article_id, "e5-small") is None
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT kind, value FROM facts ORDER BY sentence_idx").fetchall() == [
        ("number", "1200"),
        ("name", "port"),
    ]
    assert db.execute(
        "SELECT start_char, end_char FROM sentences WHERE article_id = ?", (stored.article_id,)
    ).fetchall() == [(0, 10), (11, 20)]


def test_seen_and_copies(store):
    stored = store.add_article(new_article(BASE, "a.txt"))
    digest = content_hash(BASE)
    assert store.seen(digest, "a.txt").from_same_source
    seen_elsewhere = store.seen(digest, "b.txt")
    assert seen_elsewhere.article_id == stored.article_id and not seen_elsewhere.from_same_source
    store.add_copy(stored.article_id, Article(BASE, "en", source="b.txt"))
    assert store.seen(digest, "b.txt").from_same_source
    assert store.seen(content_hash(OTHER), "a.txt") is None


def test_near_duplicate_linked_to_earliest(store):
    first = store.add_article(new_article(BASE, "a.txt", "2024-03-05"))
    edited = store.add_article(new_article(EDITED, "b.txt", "2024-03-06"))
    other = store.add_article(new_article(OTHER, "c.txt", "2024-03-06"))
    assert edited.duplicate_of == first.article_id
    assert other.duplicate_of is None


def test_earlier_copy_arriving_later_becomes_the_original(store):
    later = store.add_article(new_article(BASE, "late.txt", "2024-03-07"))
    edited = store.add_article(new_article(EDITED, "edit.txt", "2024-03-08"))
    earliest = store.add_article(new_article(BASE + " Update.", "early.txt", "2024-03-01"))
    assert (earliest.duplicate_of, earliest.displaced, earliest.is_near_duplicate) == (None, later.article_id, True)
    db = sqlite3.connect(store.path)
    rows = dict(db.execute("SELECT id, duplicate_of FROM articles"))
    assert rows == {
        later.article_id: earliest.article_id,
        edited.article_id: earliest.article_id,
        earliest.article_id: None,
    }


def test_near_duplicate_index_rebuilt_on_reopen(tmp_path):
    path = str(tmp_path / "r.db")
    with SqliteStore(path) as s:
        first = s.add_article(new_article(BASE, "a.txt", "2024-03-05"))
    with SqliteStore(path) as s:
        assert s.add_article(new_article(EDITED, "b.txt")).duplicate_of == first.article_id


def test_failed_write_leaves_nothing(store):
    bad_fact = [(0, Fact("colour", 0, 3, "red", "red"))]  # rejected by the kind CHECK
    with pytest.raises(sqlite3.IntegrityError):
        store.add_article(new_article(BASE, "a.txt", facts=bad_fact))
    assert store.seen(content_hash(BASE), "a.txt") is None
    assert store.add_article(new_article(BASE, "a.txt")).duplicate_of is None
