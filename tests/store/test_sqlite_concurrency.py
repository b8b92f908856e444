"""Several processes writing one SQLite file: real processes, each with its own connection."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from crosswire.errors import CrosswireError
from crosswire.store import sqlite as sqlite_store
from crosswire.store.sqlite import SqliteStore

ARTICLES = 60


def article_text(i: int) -> str:
    return f"Report {i}: the harbour of town {i} reopened on day {i % 9} after a storm that lasted {i} hours. " * 3


def new_article(text: str, source: str):
    from crosswire.ingest import content_hash, shingles
    from crosswire.model import Article, Sentence
    from crosswire.store import NewArticle, minhash_signature

    return NewArticle(
        Article(text, "en", source=source),
        content_hash(text),
        (Sentence(0, 0, 10, text[:10]),),
        "use-m",
        np.ones((1, 8), np.float32),
        [],
        minhash_signature(shingles(text)),
    )


def ingest_like(path: str, worker: int, start, results) -> None:
    """What ingest does per article (seen, then add_article), from a process of its own."""
    from crosswire.ingest import content_hash

    start.wait()
    try:
        with SqliteStore(path) as store:  # both open the new file at once: one migrates it
            for i in range(ARTICLES):
                text = article_text(i)
                seen = store.seen(content_hash(text), f"w{worker}/{i}.txt")
                if seen is None:
                    store.add_article(new_article(text, f"w{worker}/{i}.txt"))
                else:
                    store.add_copy(seen.article_id, new_article(text, f"w{worker}/{i}.txt").article)
        results.put((worker, "ok"))
    except BaseException as exc:  # reported to the test, which fails with it
        results.put((worker, f"{type(exc).__name__}: {exc}"))


def test_two_processes_store_the_same_articles_into_a_new_file(tmp_path):
    path = str(tmp_path / "shared.db")
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=ingest_like, args=(path, n, start, results)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert sorted(results.get(timeout=5) for _ in workers) == [(1, "ok"), (2, "ok")]
    db = sqlite3.connect(path)
    # Each text once; both processes' sources recorded, as one article and its copy.
    assert db.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone() == (ARTICLES, ARTICLES)
    assert db.execute("SELECT count(*) FROM copies").fetchone()[0] == 2 * ARTICLES
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == sqlite_store.SCHEMA_VERSION


def hold_write_lock(path: str, seconds: float) -> subprocess.Popen:
    """Another process that takes the file's write lock, says so on stdout, and keeps it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"db = sqlite3.connect({path!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            f"time.sleep({seconds})\n"
            "db.execute('COMMIT')\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.fixture
def short_waits(monkeypatch):
    """Say a wait after 0.2 s (the busy timeout of connections opened from now on)."""
    monkeypatch.setattr(sqlite_store, "WRITE_WAIT_NOTICE", 0.2)
    return monkeypatch


def test_a_writer_waits_for_another_process_and_says_so(tmp_path, short_waits, caplog):
    path = str(tmp_path / "c.db")
    new = new_article(article_text(1), "a.txt")
    with SqliteStore(path) as store:
        holder = hold_write_lock(path, 2)
        with caplog.at_level(logging.WARNING, logger=sqlite_store.__name__):
            stored = store.add_article(new)
        assert store.article(stored.article_id).article.source == "a.txt"
    holder.wait(timeout=30)
    assert "c.db: waiting for another process to finish writing" in caplog.text


def test_a_write_lock_held_too_long_is_cw406_and_loses_nothing(tmp_path, short_waits):
    short_waits.setattr(sqlite_store, "WRITE_WAIT_LIMIT", 1.0)
    path = str(tmp_path / "c.db")
    first, second = new_article(article_text(1), "a.txt"), new_article(article_text(2), "b.txt")
    with SqliteStore(path) as store:
        kept = store.add_article(first)
        holder = hold_write_lock(path, 8)
        started = time.monotonic()
        with pytest.raises(CrosswireError, match=r"^CW406 .*c\.db: another process has held"):
            store.add_article(second)
        assert time.monotonic() - started < 8  # bounded by WRITE_WAIT_LIMIT, not by the holder
    holder.wait(timeout=30)
    with SqliteStore(path) as store:
        assert [a.article.source for a in store.articles([kept.article_id, kept.article_id + 1])] == ["a.txt"]
        assert store.add_article(second).duplicate_of is None  # a re-run stores it
