"""Ingest uploads (page and API) through the test client: background jobs with progress,
reads answered while a job runs, articles named by the uploaded file, a mixed upload of
good and hostile files."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from fastapi.testclient import TestClient
from web_samples import BASE_URL, HOSTILE_TEXT

from crosswire.corpus import Corpus
from crosswire.web import create_app
from crosswire.web.workers import Limits


@pytest.fixture
def corpus(tmp_path):
    corpus = Corpus(tmp_path / "corpus.db")
    yield corpus
    corpus.close()


@pytest.fixture
def corpus_client(corpus):
    return TestClient(create_app(corpus, limits=Limits(workers=1)), base_url=BASE_URL)


def job_state(client: TestClient, job_id: str) -> dict:
    response = client.get(f"/api/ingest/jobs/{job_id}")
    assert response.status_code == 200
    return response.json()


def wait_for(client: TestClient, job_id: str, condition=lambda state: state["status"] in ("done", "failed")) -> dict:
    """Poll the job's state until `condition` holds (a state, not a duration, is asserted)."""
    deadline = time.monotonic() + 300
    while True:
        state = job_state(client, job_id)
        if condition(state):
            return state
        assert time.monotonic() < deadline, f"job {job_id} still {state['status']}"
        time.sleep(0.1)


def submit(client: TestClient, files) -> dict:
    response = client.post("/api/ingest", files=files)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"{BASE_URL}/api/ingest/jobs/{response.json()['id']}"
    return response.json()


def news_lines(count: int) -> bytes:
    """`count` distinct short English articles as JSON Lines."""
    return "".join(
        json.dumps(
            {
                "text": f"Officials in the district of Norrby {n} said on Monday that {n * 3 + 2} houses were flooded. "
                f"The river rose by {n % 9 + 1} metres overnight after heavy rain, the fire service of area {n} said.",
                "lang": "en",
                "title": f"Flood {n}",
            }
        )
        + "\n"
        for n in range(count)
    ).encode()


def test_without_a_store_ingest_is_not_found(client):
    assert client.get("/ingest").status_code == 404
    response = client.post("/api/ingest", files={"files": ("a.txt", b"Officials said so.")})
    assert response.status_code == 404
    assert "crosswire serve --db FILE" in response.json()["detail"]
    assert "Ingest</a>" not in client.get("/compare").text


def test_api_ingest_is_a_job_reporting_each_file(corpus_client, corpus, seed_texts):
    en, _ = seed_texts
    files = [
        ("files", ("../../etc/en.txt", en.encode("utf-8"), "text/plain")),
        ("files", ("lines.jsonl", b'{"text": 3}\n{broken\n', "application/x-ndjson")),
    ]
    queued = submit(corpus_client, files)
    assert queued["status"] in ("queued", "running") and queued["files_total"] == 2
    state = wait_for(corpus_client, queued["id"])
    assert (state["status"], state["files_done"], state["stored"], state["rejected"], state["error"]) == (
        "done",
        2,
        1,
        2,
        None,
    )
    first, second = state["files"]
    assert (first["name"], first["ingested"], first["rejected"]) == ("en.txt", 1, [])
    assert second["ingested"] == 0
    assert [(r["source"], r["code"]) for r in second["rejected"]] == [
        ("lines.jsonl:1", "CW109"),
        ("lines.jsonl:2", "CW109"),
    ]
    # The article is named by the uploaded file's name, not by a temporary path of the server's.
    ((story_article,),) = [corpus.story(s.id).articles for s in corpus.stories()]
    assert corpus.store.article(story_article.id).article.source == "en.txt"
    # The same text again is not stored twice.
    again = wait_for(corpus_client, submit(corpus_client, {"files": ("en.txt", en.encode("utf-8"))})["id"])
    assert again["ingested"] == 0 and again["duplicates"] + again["unchanged"] == 1


def test_reads_are_answered_while_an_upload_job_runs(corpus_client):
    job = submit(corpus_client, {"files": ("floods.jsonl", news_lines(150), "application/x-ndjson")})
    # Some articles stored, not all: the job is midway.
    wait_for(corpus_client, job["id"], lambda state: state["files"][0]["ingested"] > 0 or state["status"] != "running")
    stories_page = corpus_client.get("/stories")
    stories_api = corpus_client.get("/api/stories")
    midway = job_state(corpus_client, job["id"])
    assert stories_page.status_code == 200 and stories_api.status_code == 200
    assert midway["status"] in ("running", "linking"), "the job ended before the reads were answered"
    done = wait_for(corpus_client, job["id"])
    assert (done["status"], done["stored"]) == ("done", 150)
    assert len(corpus_client.get("/api/stories?limit=1000").json()["stories"]) >= 1


HOSTILE_FILES = [
    ("binary.txt", b"\x00\x01\x02\xff" * 200),
    ("empty.txt", b""),
    ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n"),
    ("digits.jsonl", b'{"text": "Officials said so.", "lang": "en", "title": ' + b"9" * 5_000 + b"}\n"),
    ("surrogate.jsonl", b'{"text": "Officials said \\ud800 so on Monday.", "lang": "en"}\n'),
    (
        "year0.rss",
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
            b"<pubDate>Mon, 01 Jan 0000 00:00:00 GMT</pubDate><description>Officials said 12 people were hurt in the blast.</description>"
            b"</item></channel></rss>"
        ),
    ),
    (
        "control.rss",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t\x01</title><item><title>\x0b</title></item></channel></rss>',
    ),
    ("broken.warc.gz", gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\n<html>")[:-8]),
    ("nothing.html", b"<html><head><script>alert(1)</script></head><body></body></html>"),
]


def test_a_mixed_upload_stores_every_good_article_and_lists_every_bad_file(corpus_client, corpus, seed_texts):
    en, id_ = seed_texts
    good = [
        ("en.txt", en.encode("utf-8")),
        ("id.txt", id_.encode("utf-8")),
        ("hostile.txt", HOSTILE_TEXT.encode("utf-8")),
    ]
    files = [
        ("files", (name, data)) for name, data in [good[0], *HOSTILE_FILES[:5], good[1], *HOSTILE_FILES[5:], good[2]]
    ]
    state = wait_for(corpus_client, submit(corpus_client, files)["id"])
    assert state["status"] == "done", state["error"]
    by_name = {f["name"]: f for f in state["files"]}
    for name, _ in good:
        assert by_name[name]["ingested"] == 1 and by_name[name]["rejected"] == [], name
    for name, _ in HOSTILE_FILES:
        result = by_name[name]
        assert result["rejected"] or result["ingested"] + result["near_duplicates"] == 1, (
            f"{name} neither stored nor listed"
        )
        for rejected in result["rejected"]:
            assert rejected["code"].startswith("CW") and rejected["source"].startswith(name), rejected
    stored_sources = {
        corpus.store.article(a.id).article.source for s in corpus.stories() for a in corpus.story(s.id).articles
    }
    assert {"en.txt", "id.txt", "hostile.txt"} <= stored_sources


def test_the_ingest_page_follows_the_job_and_shows_names_escaped(corpus_client):
    assert 'href="http://127.0.0.1/ingest">Ingest</a>' in corpus_client.get("/compare").text
    form = corpus_client.get("/ingest")
    assert form.status_code == 200 and 'type="file" multiple' in form.text
    response = corpus_client.post(
        "/ingest",
        files={"files": ("<img src=x onerror=alert(1)>.txt", HOSTILE_TEXT.encode("utf-8"), "text/plain")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    job_url = response.headers["location"]
    job_id = job_url.rsplit("/", 1)[1]
    running = corpus_client.get(job_url)
    assert running.status_code == 200
    if job_state(corpus_client, job_id)["status"] not in ("done", "failed"):
        assert "ingest.js" in running.text and 'http-equiv="refresh"' in running.text
    wait_for(corpus_client, job_id)
    page = corpus_client.get(job_url)
    assert "done: 1 of 1 files · 1 stored · 0 rejected" in page.text
    assert "<td>&lt;img src=x onerror=alert(1)&gt;.txt</td><td>1</td>" in page.text
    assert "<img" not in page.text and "ingest.js" not in page.text and "refresh" not in page.text


def test_unknown_jobs_are_404_with_a_code(corpus_client):
    response = corpus_client.get("/api/ingest/jobs/nope")
    assert response.status_code == 404 and response.json()["error"]["code"] == "CW707"
    assert corpus_client.get("/ingest/jobs/nope").status_code == 404


def test_too_many_waiting_jobs_are_refused_with_retry_after(corpus):
    client = TestClient(create_app(corpus, limits=Limits(workers=1, ingest_waiting=1)), base_url=BASE_URL)
    first = submit(client, {"files": ("a.jsonl", news_lines(20))})
    wait_for(client, first["id"], lambda state: state["status"] != "queued")  # running: no longer waiting
    submit(client, {"files": ("b.jsonl", news_lines(3))})  # waits behind it
    refused = client.post("/api/ingest", files={"files": ("c.txt", b"Officials said so on Monday.")})
    assert refused.status_code == 503 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"]["code"] == "CW706"


def test_ingest_needs_files(corpus_client):
    assert corpus_client.post("/api/ingest", files={}).status_code == 422


def test_ingest_over_the_cap_is_refused(corpus):
    client = TestClient(create_app(corpus, max_upload_bytes=5_000), base_url=BASE_URL)
    response = client.post("/api/ingest", files={"files": ("big.txt", b"word " * 2_000)})
    assert response.status_code == 413 and response.json()["error"]["code"] == "CW709"


def test_a_running_or_waiting_job_can_be_cancelled_and_what_it_stored_is_kept(corpus_client, corpus):
    running = submit(corpus_client, {"files": ("floods.jsonl", news_lines(400), "application/x-ndjson")})
    waiting = submit(corpus_client, {"files": ("more.jsonl", news_lines(3), "application/x-ndjson")})
    wait_for(corpus_client, running["id"], lambda state: state["files"][0]["ingested"] > 0)
    # The waiting job never runs; the running one stops midway.
    cancelled = corpus_client.delete(f"/api/ingest/jobs/{waiting['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    stopped = corpus_client.delete(f"/api/ingest/jobs/{running['id']}")
    assert stopped.status_code == 200 and stopped.json()["status"] == "cancelled"
    time.sleep(1)  # what the stopped process still says changes nothing
    assert job_state(corpus_client, running["id"])["status"] == "cancelled"
    assert job_state(corpus_client, waiting["id"])["status"] == "cancelled"
    again = corpus_client.delete(f"/api/ingest/jobs/{running['id']}")
    assert again.status_code == 409 and again.json()["error"]["code"] == "CW715"
    assert corpus_client.delete("/api/ingest/jobs/nope").status_code == 404
    # What the stopped job stored is kept, and uploading the same file again stores the rest.
    kept = _stored_articles(corpus)
    assert 0 < kept < 400
    rerun = wait_for(corpus_client, submit(corpus_client, {"files": ("floods.jsonl", news_lines(400))})["id"])
    assert (rerun["status"], rerun["ingested"], rerun["unchanged"]) == ("done", 400 - kept, kept)
    assert _stored_articles(corpus) == 400


def test_the_job_page_has_a_cancel_button_that_works_without_script(corpus_client):
    running = submit(corpus_client, {"files": ("floods.jsonl", news_lines(400), "application/x-ndjson")})
    wait_for(corpus_client, running["id"], lambda state: state["status"] != "queued")
    page = corpus_client.get(f"/ingest/jobs/{running['id']}")
    assert (
        f'<form id="ingest-cancel" method="post" action="{BASE_URL}/ingest/jobs/{running["id"]}/cancel">' in page.text
    )
    response = corpus_client.post(f"/ingest/jobs/{running['id']}/cancel", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{BASE_URL}/ingest/jobs/{running['id']}"
    page = corpus_client.get(response.headers["location"])
    assert "cancelled:" in page.text and "ingest-cancel" not in page.text and "ingest.js" not in page.text
    # Pressed again (a second tab, a late click): the page says why, with the code.
    again = corpus_client.post(f"/ingest/jobs/{running['id']}/cancel")
    assert again.status_code == 409 and "CW715" in again.text and "cancelled:" in again.text
    assert corpus_client.post("/ingest/jobs/nope/cancel").status_code == 404


def _stored_articles(corpus: Corpus) -> int:
    import sqlite3

    with sqlite3.connect(corpus.store.location) as db:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
