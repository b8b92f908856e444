"""`crosswire serve --db FILE` reads without writing: GET pages, story views included,
leave the database as it was (story views keep their comparisons in memory)."""

from __future__ import annotations

import hashlib
import sqlite3

from fastapi.testclient import TestClient
from web_samples import BASE_URL, write_jsonl

from crosswire.corpus import Corpus
from crosswire.web import create_app


def _content(db) -> str:
    """A digest of every table's rows (the file itself changes with WAL checkpoints)."""
    connection = sqlite3.connect(db)
    digest = hashlib.sha256()
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    connection.close()
    return digest.hexdigest()


def test_get_requests_leave_the_database_unchanged(tmp_path):
    db = tmp_path / "corpus.db"
    with Corpus(db) as corpus:
        corpus.ingest([write_jsonl(tmp_path)])
        corpus.stories()  # the summaries a listing needs, written once by the writer
        story_ids = [s.id for s in corpus.stories()]
    before = _content(db)
    client = TestClient(create_app(db), base_url=BASE_URL)
    assert client.get("/stories").status_code == 200
    for story_id in story_ids:
        assert client.get(f"/stories/{story_id}").status_code == 200
        assert client.get(f"/api/stories/{story_id}").status_code == 200
    assert client.get("/api/search", params={"q": "flood"}).status_code == 200
    client.app.state.corpus.close()
    assert _content(db) == before
