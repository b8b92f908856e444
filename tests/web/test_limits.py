"""Comparisons and the pages that compare are bounded: size (413), time and concurrency
(503 with Retry-After), each with a crosswire code; work nobody waits for is stopped.

The worker pool's state (its processes and what it stopped) is asserted on, not timings.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time

import pytest
from fastapi.testclient import TestClient
from live_server import live_server
from test_corpus_api import sample_corpus
from web_samples import BASE_URL

from crosswire.web import create_app
from crosswire.web.workers import Limits

SMALL = Limits(max_input_chars=20_000, max_chars=5_000, max_sentences=10, workers=1)


def sentences(count: int) -> str:
    """`count` distinct English sentences: enough work to keep a worker busy for seconds."""
    return " ".join(
        f"The council of district {n} said that {n * 7} houses were flooded on day {n % 28 + 1} of the month."
        for n in range(count)
    )


def pair(a: str, b: str) -> dict:
    return {"a": {"text": a, "lang": "en"}, "b": {"text": b, "lang": "en"}}


def wait_until(condition, what: str, seconds: float = 120) -> None:
    """Poll `condition` (a state of the server, not a duration being measured)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def small() -> TestClient:
    return TestClient(create_app(limits=SMALL), base_url=BASE_URL)


@pytest.mark.parametrize(
    ("a", "code", "detail"),
    [
        ("x " * 10_001, "CW105", "20,002 characters, over the web server's limit of 20,000 per article"),
        ("word " * 1_100, "CW701", "5,500 characters, over the web server's limit of 5,000 per article"),
        (sentences(12), "CW702", "12 sentences, over the web server's limit of 10 per article"),
    ],
)
def test_too_large_articles_are_413_with_a_code(small, a, code, detail):
    response = small.post("/api/compare", json=pair(a, "Officials said so on Monday."))
    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["code"], error["source"]) == (code, "a")
    assert error["detail"].startswith(detail)


def test_the_compare_page_names_the_limit(small):
    response = small.post("/compare", data={"text_a": sentences(12), "text_b": "Officials said so on Monday."})
    assert response.status_code == 413
    assert "CW702" in response.text and "over the web server&#39;s limit of 10" in response.text


def test_an_uploaded_file_over_the_limit_is_413(small):
    files = {
        "file_a": ("big.txt", b"word " * 5_000, "text/plain"),
        "file_b": ("b.txt", b"Officials said so.", "text/plain"),
    }
    response = small.post("/compare", files=files)
    assert response.status_code == 413 and "CW105" in response.text and "25,000 bytes" in response.text


def test_under_the_limits_it_compares(small):
    response = small.post("/api/compare", json=pair(sentences(5), sentences(4)))
    assert response.status_code == 200
    assert len(response.json()["links"]) == 4


def test_info_lists_the_limits(small):
    assert small.get("/api/info").json()["limits"]["max_sentences"] == 10


def test_the_time_limit_stops_the_work_and_answers_503():
    app = create_app(limits=Limits(timeout_s=0.5, workers=1))
    pool = app.state.workers
    response = TestClient(app, base_url=BASE_URL).post("/api/compare", json=pair(sentences(900), sentences(900)))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "CW703" and int(response.headers["retry-after"]) > 0
    assert pool.state.stopped_timeout == 1 and pool.state.completed == 0
    # The worker that ran it was killed and another one started in its place.
    assert pool.state.started == 2 and len(pool.pids()) == 1


def test_a_hung_up_client_stops_its_work_and_a_busy_server_says_so():
    app = create_app(limits=Limits(workers=1, waiting=0, retry_after_s=7))
    pool = app.state.workers
    body = json.dumps(pair(sentences(900), sentences(900))).encode()
    with live_server(app) as port:
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(
            f"POST /api/compare HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        wait_until(lambda: pool.busy_pids(), "the comparison to start")
        (working,) = pool.busy_pids()

        # Every worker busy and no room to wait: refused at once, with a code and Retry-After.
        other = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        other.request(
            "POST", "/api/compare", body=json.dumps(pair("One.", "Two.")), headers={"Content-Type": "application/json"}
        )
        busy = other.getresponse()
        assert busy.status == 503 and busy.getheader("Retry-After") == "7"
        assert json.loads(busy.read())["error"]["code"] == "CW704"
        assert pool.state.refused_busy == 1

        client.close()  # the first client hangs up: its comparison must stop
        wait_until(lambda: pool.state.stopped_disconnect == 1, "the server to notice the hang-up")
        assert not alive(working)
        assert working not in pool.pids() and len(pool.pids()) == 1 and pool.state.completed == 0

        # The replacement answers the next request.
        other.request(
            "POST",
            "/api/compare",
            body=json.dumps(pair(sentences(3), sentences(3))),
            headers={"Content-Type": "application/json"},
        )
        answer = other.getresponse()
        assert answer.status == 200 and len(json.loads(answer.read())["links"]) == 3
        other.close()


def largest_story(corpus) -> str:
    story = max(corpus.stories(), key=lambda s: s.articles)
    assert story.articles >= 2
    return story.id


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    corpus = sample_corpus(tmp_path_factory.mktemp("corpus"))
    yield corpus
    corpus.close()


def test_a_story_holding_an_article_over_the_limit_is_413_and_the_article_page_shows_its_beginning(corpus):
    story_id = largest_story(corpus)
    longest = max(corpus.story(story_id).articles, key=lambda a: len(corpus.store.article(a.id).article.text))
    length = len(corpus.store.article(longest.id).article.text)
    client = TestClient(create_app(corpus, limits=Limits(max_chars=length - 1, workers=1)), base_url=BASE_URL)

    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 413 and "CW701" in page.text and f"article {longest.id}" in page.text
    assert client.get(f"/api/stories/{story_id}").json()["error"]["code"] == "CW701"
    assert client.get(f"/stories/{story_id}/sources").status_code == 413
    export = client.get(f"/stories/{story_id}/export.csv")
    assert export.status_code == 413 and export.json()["error"]["code"] == "CW701"

    article = client.get(f"/articles/{longest.id}")
    assert article.status_code == 200
    assert f"This article is {length:,} characters long: the first {length - 1:,} are shown" in article.text
    api = client.get(f"/api/articles/{longest.id}")
    assert api.status_code == 413 and api.json()["error"]["code"] == "CW701"
    other = next(a.id for a in corpus.story(story_id).articles if a.id != longest.id)
    stored_pair = client.get(f"/compare?a={other}&b={longest.id}")
    assert stored_pair.status_code == 413 and "CW701" in stored_pair.text


def test_a_story_of_too_many_articles_is_413(corpus):
    story_id = largest_story(corpus)
    count = len(corpus.story(story_id).articles)
    client = TestClient(create_app(corpus, limits=Limits(max_story_articles=count - 1, workers=1)), base_url=BASE_URL)
    response = client.get(f"/api/stories/{story_id}")
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "CW713"
    assert error["detail"].startswith(f"{count} articles, over the web server's limit of {count - 1}")
