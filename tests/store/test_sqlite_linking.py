"""Two processes ingesting and linking one SQLite corpus at once give the stories one
process gives: SqliteStore.linking holds one linking pass at a time across processes.

Each process has one side of every WMT21 document (the French originals in one, their
German translations in the other), so each story needs articles that the two processes
stored. The test holds the lock while both ingest: neither links meanwhile, and both
passes start together when it is let go.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time

from test_postgres_concurrency import wmt_articles

from crosswire.store.sqlite import SqliteStore

# One encoder thread per worker: the workers share the machine's cores.
WORKER = """
import sys
from crosswire import Corpus
from crosswire.encode import set_encoder_threads
set_encoder_threads(1)
with Corpus(sys.argv[1]) as corpus:
    corpus.ingest(sys.argv[2:])
"""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _stories(db: str) -> list[list[str]]:
    """Stories as sorted lists of their articles' text hashes (ids depend on arrival)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT sa.story_id, a.text FROM story_articles AS sa JOIN articles AS a ON a.id = sa.article_id"
        ).fetchall()
    stories: dict[str, list[str]] = {}
    for story_id, text in rows:
        stories.setdefault(story_id, []).append(_digest(text))
    return sorted(sorted(members) for members in stories.values())


def _start(db: str, file_sets: list[list[str]]) -> list[subprocess.Popen]:
    return [
        subprocess.Popen([sys.executable, "-c", WORKER, db, *files], stderr=subprocess.PIPE, text=True)
        for files in file_sets
    ]


def _wait(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        _, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err


def _count(db: str, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_two_processes_linking_one_sqlite_corpus_give_the_stories_of_one(tmp_path):
    articles = wmt_articles()
    files = []
    for side in range(2):  # originals, then translations
        path = tmp_path / f"side{side}.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles[side::2]), "utf-8")
        files.append(str(path))
    alone, together = str(tmp_path / "alone.db"), str(tmp_path / "together.db")
    _wait(_start(alone, [files]))
    with SqliteStore(together) as store:
        with store.linking():
            # Held here while both processes ingest, so that their linking passes start
            # together when it is let go; until then neither links anything.
            workers = _start(together, [[f] for f in files])
            deadline = time.monotonic() + 600
            while _count(together, "articles") < len(articles):
                assert all(w.poll() is None for w in workers), "a worker ended before linking"
                assert time.monotonic() < deadline, "the workers stored nothing in time"
                time.sleep(0.1)
            time.sleep(2)  # each would link now, with nothing holding it back
            assert _count(together, "story_articles") == 0
    _wait(workers)
    # Both runs link every article exactly once, each original with its translation. The
    # exact partition is not compared: the calibrated linker joins two of these finance
    # stories on a borderline standout (5.5 against 5.0) in one run and not in the other,
    # as article ids (tie-breaks, graph insertion order) differ: docs/limitations.md.
    pairs = [{_digest(a["text"]) for a in articles[k : k + 2]} for k in range(0, len(articles), 2)]
    for stories in (_stories(alone), _stories(together)):
        members = [m for story in stories for m in story]
        assert sorted(members) == sorted(_digest(a["text"]) for a in articles)
        assert all(any(pair <= set(story) for story in stories) for pair in pairs)
