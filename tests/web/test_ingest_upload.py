"""Ingest uploads (page and API) through the test client, with and without a corpus store."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crosswire.corpus import Corpus
from crosswire.web import create_app
from web_samples import BASE_URL, HOSTILE_TEXT


@pytest.fixture
def corpus_client(tmp_path):
    store = Corpus(tmp_path / "corpus.db")
    yield TestClient(create_app(store), base_url=BASE_URL)
    store.close()


def test_without_a_store_ingest_is_not_found(client):
    assert client.get("/ingest").status_code == 404
    response = client.post("/api/ingest", files={"files": ("a.txt", b"Officials said so.")})
    assert response.status_code == 404
    assert "crosswire serve --db FILE" in response.json()["detail"]
    assert "Ingest</a>" not in client.get("/compare").text


def test_api_ingest_reports_each_file(corpus_client, seed_texts):
    en, _ = seed_texts
    files = [
        ("files", ("../../etc/en.txt", en.encode("utf-8"), "text/plain")),
        ("files", ("lines.jsonl", b'{"text": 3}\n{broken\n', "application/x-ndjson")),
    ]
    response = corpus_client.post("/api/ingest", files=files)
    assert response.status_code == 200
    first, second = response.json()["files"]
    assert (first["name"], first["schema"], first["ingested"], first["rejected"]) == ("en.txt", "crosswire.ingest/1", 1, [])
    assert second["ingested"] == 0
    assert [(r["source"], r["code"]) for r in second["rejected"]] == [("lines.jsonl:1", "CW109"), ("lines.jsonl:2", "CW109")]
    assert corpus_client.get("/api/info").json()["store"] is True
    # The same text again is not stored twice.
    again = corpus_client.post("/api/ingest", files={"files": ("en.txt", en.encode("utf-8"))}).json()["files"][0]
    assert again["ingested"] == 0 and again["duplicates"] + again["unchanged"] == 1


def test_ingest_page_lists_results_escaped(corpus_client):
    assert 'href="http://127.0.0.1/ingest">Ingest</a>' in corpus_client.get("/compare").text
    form = corpus_client.get("/ingest")
    assert form.status_code == 200 and 'type="file" multiple' in form.text
    response = corpus_client.post(
        "/ingest", files={"files": ("<img src=x onerror=alert(1)>.txt", HOSTILE_TEXT.encode("utf-8"), "text/plain")}
    )
    assert response.status_code == 200
    assert "<td>&lt;img src=x onerror=alert(1)&gt;.txt</td><td>1</td>" in response.text
    assert "<img" not in response.text


def test_ingest_needs_files(corpus_client):
    assert corpus_client.post("/api/ingest", files={}).status_code == 422


def test_ingest_over_the_cap_is_refused(tmp_path):
    store = Corpus(tmp_path / "corpus.db")
    client = TestClient(create_app(store, max_upload_bytes=5_000), base_url=BASE_URL)
    response = client.post("/api/ingest", files={"files": ("big.txt", b"word " * 2_000)})
    assert response.status_code == 413
    store.close()
