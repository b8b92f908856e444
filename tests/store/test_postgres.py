"""The PostgreSQL store against real servers: PostgreSQL 16 + pgvector (pgserver) and
Debian's postgresql-15 without pgvector; every corpus result compared with SQLite's."""

from __future__ import annotations

import inspect
import json
import os
import sqlite3
import subprocess
import sys

import numpy as np
import psycopg
import pytest
from postgres_servers import new_database
from test_corpus import CHESS_EN, FLOODS_DE, FLOODS_EN, FLOODS_EN_COPY, FLOODS_ID

from crosswire import Corpus
from crosswire.errors import CrosswireError
from crosswire.model import Article, Sentence
from crosswire.store import NewArticle, Store, minhash_signature, open_store
from crosswire.store.postgres import SCHEMA_VERSION, PostgresStore
from crosswire.store.sqlite import SCHEMA_VERSION as SQLITE_SCHEMA_VERSION
from crosswire.store.sqlite import SqliteStore


def write_jsonl(path, *articles) -> str:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return str(path)


def new_article(text: str, published: str | None = None, source: str = "a.txt") -> NewArticle:
    words = text.split()
    return NewArticle(
        article=Article(text, "en", source, published=published),
        content_hash=str(hash(text)),
        sentences=(Sentence(0, 0, len(text), text),),
        encoder="test-encoder",
        vectors=np.ones((1, 4), dtype=np.float32),
        facts=(),
        signature=minhash_signature(" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)),
    )


def columns_sqlite(path) -> set[tuple[str, str]]:
    db = sqlite3.connect(path)
    # sqlite_sequence is SQLite's own (it keeps AUTOINCREMENT's numbers).
    tables = [
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    found = {(t, row[1]) for t in tables for row in db.execute(f"PRAGMA table_info({t})")}
    db.close()
    return found


def columns_postgres(url) -> set[tuple[str, str]]:
    with psycopg.connect(url) as db:
        return set(
            db.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
                " AND table_name NOT IN ('linker_state', 'linker_index')"
            ).fetchall()
        )


def test_one_model_two_engines_same_tables_and_columns(pg_server, tmp_path):
    url = new_database(pg_server)
    with PostgresStore(url) as store:
        assert store.schema_version == SCHEMA_VERSION == SQLITE_SCHEMA_VERSION
        assert store.has_pgvector
    SqliteStore(str(tmp_path / "c.db")).close()
    assert columns_postgres(url) == columns_sqlite(tmp_path / "c.db")
    with PostgresStore(url) as again:  # reopening migrates nothing twice
        assert again.schema_version == SCHEMA_VERSION


def test_errors_name_the_database_and_hide_the_password(pg_server, tmp_path):
    with pytest.raises(
        CrosswireError, match=r"^CW601 postgresql://crosswire:\*\*\*@127\.0\.0\.1:1/x: could not connect"
    ):
        open_store("postgresql://crosswire:secret@127.0.0.1:1/x")
    url = new_database(pg_server)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(CrosswireError, match=r"^CW602 .*: the database has tables but is not a crosswire corpus"):
        PostgresStore(url)
    newer = new_database(pg_server)
    PostgresStore(newer).close()
    with psycopg.connect(newer, autocommit=True) as db:
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(CrosswireError, match=r"^CW402 .*schema version 99 is newer"):
        PostgresStore(newer)


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request, tmp_path):
    if request.param == "sqlite":
        store = SqliteStore(str(tmp_path / "c.db"))
    else:
        store = PostgresStore(new_database(request.getfixturevalue("pg_server")))
    yield store
    store.close()


def test_near_duplicates_and_copies_on_both_engines(any_store):
    text = " ".join(f"word{i}" for i in range(200))
    first = any_store.add_article(new_article(text, "2024-03-05", "late.txt"))
    assert (first.duplicate_of, first.displaced) == (None, None)
    # A light edit published a day earlier: it becomes the original the first points to.
    earlier = any_store.add_article(new_article(text.replace("word7 ", "changed "), "2024-03-04", "early.txt"))
    assert earlier.displaced == first.article_id and earlier.duplicate_of is None
    assert any_store.article(first.article_id).duplicate_of == earlier.article_id
    any_store.add_copy(first.article_id, Article(text, "en", "copy.txt"))
    assert any_store.seen(str(hash(text)), "copy.txt").from_same_source
    assert not any_store.seen(str(hash(text)), "other.txt").from_same_source
    assert np.allclose(any_store.sentence_vectors(first.article_id, "test-encoder"), 1.0)


def corpus_results(db: str) -> dict:
    """What the corpus shows of the floods/chess articles: listings, views, search."""
    with Corpus(db) as corpus:
        floods = corpus.stories(lang="de")[0].id
        return {
            "stories": [s.to_dict() for s in corpus.stories()],
            "page": [s.to_dict() for s in corpus.stories(limit=1, offset=1)],
            "counts": corpus.story_counts(),
            "outlet": [s.id for s in corpus.stories(outlet="bbc")],
            "story": corpus.story(floods).to_dict(),
            "search": corpus.search("The river overflowed after two days of rain", limit=5).to_dict(),
            "article": corpus.article(corpus.story(floods).articles[1].id).to_dict(),
        }


@pytest.fixture(scope="module")
def floods_files(tmp_path_factory) -> tuple[str, str]:
    """The articles of tests/test_corpus.py, and a near-duplicate for a later run (one
    folder for every engine: the sources are the same paths)."""
    folder = tmp_path_factory.mktemp("floods")
    return (
        write_jsonl(folder / "news.jsonl", FLOODS_ID, CHESS_EN, FLOODS_EN, FLOODS_DE),
        write_jsonl(folder / "more.jsonl", FLOODS_EN_COPY),
    )


def ingest_floods(db: str, files: tuple[str, str]) -> None:
    news, more = files
    with Corpus(db) as corpus:
        corpus.ingest([news])
    with Corpus(db) as corpus:
        corpus.ingest([more])  # a later run: a near-duplicate joins its original's story


@pytest.fixture(scope="module")
def sqlite_results(tmp_path_factory, floods_files):
    db = str(tmp_path_factory.mktemp("sqlite") / "c.db")
    ingest_floods(db, floods_files)
    return corpus_results(db)


def test_corpus_on_postgres_with_pgvector_shows_what_sqlite_shows(pg_server, sqlite_results, floods_files):
    url = new_database(pg_server)
    ingest_floods(url, floods_files)
    assert corpus_results(url) == sqlite_results
    with psycopg.connect(url) as db:
        # The linked originals are in the pgvector index; the near-duplicate is not.
        assert db.execute("SELECT count(*) FROM linker_index").fetchone()[0] == 4
        assert db.execute("SELECT graph FROM linker_state").fetchone()[0] is None
        db.execute("SET enable_seqscan = off")
        plan = " ".join(
            r[0]
            for r in db.execute(
                "EXPLAIN SELECT article_id FROM linker_index ORDER BY vector <=> (SELECT vector FROM linker_index LIMIT 1)"
                " LIMIT 16"
            )
        )
        assert "linker_index_hnsw" in plan


def test_corpus_on_postgres_without_pgvector_falls_back_to_usearch(pg15_server, sqlite_results, floods_files):
    url = new_database(pg15_server)
    ingest_floods(url, floods_files)
    with PostgresStore(url) as store:
        assert not store.has_pgvector
    assert corpus_results(url) == sqlite_results
    with psycopg.connect(url) as db:
        assert db.execute("SELECT graph IS NOT NULL FROM linker_state").fetchone()[0]  # the usearch graph, stored
        assert db.execute("SELECT to_regclass('linker_index')").fetchone()[0] is None


@pytest.mark.parametrize("server", ["pg_server", "pg15_server"])
def test_split_merge_and_a_lost_linker_state_on_postgres(server, request, floods_files):
    url = new_database(request.getfixturevalue(server))
    ingest_floods(url, floods_files)
    with Corpus(url) as corpus:
        floods = corpus.stories(lang="de")[0].id
        kompas = next(a.id for a in corpus.story(floods).articles if a.outlet == "Kompas")
        left, new = corpus.split(floods, [kompas])
        assert (left.articles, new.languages) == (3, ("id",))
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DELETE FROM linker_state")  # lost: rebuilt from the articles, the split kept as pins
    with Corpus(url) as corpus:
        corpus.link()
        assert sorted(s.articles for s in corpus.stories()) == [1, 1, 3]
        assert corpus.merge(floods, new.id).articles == 4
    with Corpus(url) as corpus:
        assert sorted(s.articles for s in corpus.stories()) == [1, 4]


def crosswire_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *args], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


def test_cli_db_start_then_ingest_and_list_by_url(tmp_path, seed_path):
    folder = str(tmp_path / "pgdata")
    started = crosswire_cli("db", "start", "--dir", folder)
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    assert url.startswith("postgresql://") and url == crosswire_cli("db", "start", "--dir", folder).stdout.strip()
    try:
        seeds = str(seed_path("en_wagner_drones.txt").parent)
        ingested = crosswire_cli("ingest", seeds, "--json", env={"CROSSWIRE_DB": url})
        assert json.loads(ingested.stdout)["ingested"] == 2, ingested.stderr
        listed = crosswire_cli("stories", "--json", "--db", url)
        assert [s["languages"] for s in json.loads(listed.stdout)["stories"]] == [["en", "id"]], listed.stderr
    finally:
        assert crosswire_cli("db", "stop", "--dir", folder).returncode == 0
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url)
    stopped_again = crosswire_cli("db", "stop", "--dir", str(tmp_path / "nothing"))
    assert stopped_again.returncode == 2 and "CW605" in stopped_again.stderr


def test_both_engines_implement_the_whole_store_interface():
    wanted = {name for name, _ in inspect.getmembers(Store, inspect.isfunction)} | {"schema_version"}
    for engine in (SqliteStore, PostgresStore):
        assert wanted <= set(dir(engine)), (engine.__name__, wanted - set(dir(engine)))
