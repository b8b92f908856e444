"""crosswire watch: Redis Stream consumer groups, acknowledgement after commit, crash recovery.

A real Redis (Debian's redis-server, started here on a unix socket in a temporary
folder), real worker processes running `crosswire watch`, the packaged encoder and real
news text (tests/scale_corpus.py: six documents, each a French original and its German
translation, so six stories).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict

import pytest
import redis
from postgres_servers import new_database
from scale_corpus import ENGINES, empty_db, wmt_articles

from crosswire import Corpus
from crosswire.errors import CrosswireError
from crosswire.store import open_store
from crosswire.watch import WatchOptions, watch


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A private redis-server on a unix socket, no persistence; stopped after the module."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: .ci/install installs it (apt-get install -y redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    socket_path = folder / "redis.sock"
    process = subprocess.Popen(
        [
            server,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"unix://{socket_path}"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"redis-server did not start on {socket_path}")
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(params=ENGINES)
def db(request, tmp_path) -> str:
    return empty_db(request, tmp_path)


def _publish(url: str, stream: str, articles: list[dict]) -> list[bytes]:
    client = redis.Redis.from_url(url)
    return [client.xadd(stream, {"article": json.dumps(a, ensure_ascii=False)}) for a in articles]


def _worker(url: str, stream: str, db: str, consumer: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crosswire",
            "watch",
            "--redis",
            url,
            "--stream",
            stream,
            "--group",
            "ingest",
            "--db",
            db,
            "--consumer",
            consumer,
            "--json",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def _label(outlet: str, published: str | None) -> str:
    """An article as outlet@date: a document's original and translation share the date."""
    return f"{outlet}@{(published or '')[:10]}"


def _stories(db: str) -> list[set[str]]:
    """The corpus's stories, each as its articles' labels."""
    with Corpus(db) as corpus:
        stories = defaultdict(set)
        for summary in corpus.stories():
            for article_id, _linked in corpus.store.story_members(summary.id):
                article = corpus.store.article(article_id).article
                stories[summary.id].add(_label(article.outlet, article.published))
    return sorted(stories.values(), key=sorted)


def _documents() -> list[set[str]]:
    """Each document's original and translation together (outlets `site-src`, `site-ref`)."""
    by_doc = defaultdict(set)
    for article in wmt_articles():
        by_doc[article["published"][:10]].add(_label(article["outlet"], article["published"]))
    return sorted(by_doc.values(), key=sorted)


def test_two_workers_share_the_stream_and_store_each_article_once(redis_url, db, request):
    stream = f"shared-{request.node.callspec.id}"
    articles = wmt_articles()
    _publish(redis_url, stream, articles)
    client = redis.Redis.from_url(redis_url)
    client.xadd(stream, {"headline": "no article field"})
    client.xadd(stream, {"article": '{"title": "no text"}'})
    with open_store(db):
        pass  # created before two workers race to create it
    workers = [_worker(redis_url, stream, db, name, "--batch", "3", "--idle-exit", "3") for name in ("w1", "w2")]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    assert sum(r["messages"] for r in reports) == len(articles) + 2
    assert sum(r["ingest"]["ingested"] for r in reports) == len(articles)
    rejected = sorted(x["code"] for r in reports for x in r["ingest"]["rejected"])
    assert rejected == ["CW109", "CW627"]
    assert client.xpending(stream, "ingest")["pending"] == 0
    # Each document's original and translation in one story, and nothing else in it, in
    # whatever order the two workers' passes saw the articles: in a corpus this young a
    # chance match once joined two documents of one outlet (docs/stories.md: a link must
    # beat the article's own sentences).
    assert _stories(db) == _documents()


def test_a_worker_killed_mid_batch_loses_nothing_and_another_takes_its_messages(redis_url, db, request):
    stream = f"crash-{request.node.callspec.id}"
    articles = wmt_articles()
    _publish(redis_url, stream, articles)
    client = redis.Redis.from_url(redis_url)
    # One batch of every message: the worker acknowledges only after storing all of them.
    doomed = _worker(redis_url, stream, db, "doomed", "--batch", str(len(articles)))
    with open_store(db) as store:
        # Generous: a loaded 2-core machine can take minutes to start the worker and encode.
        deadline = time.monotonic() + 900
        while not _pending_of(client, stream, "doomed"):  # it has read the messages
            assert doomed.poll() is None, doomed.stderr.read()
            assert time.monotonic() < deadline, "the worker read nothing in time"
            time.sleep(0.01)
        # From here it runs in slices of a few milliseconds and is frozen (SIGSTOP) while we
        # look, so it is caught between its first commit and its acknowledgement however
        # loaded the machine is.
        while True:
            doomed.send_signal(signal.SIGSTOP)
            if store.unlinked_articles():
                break
            # It links only after acknowledging: linked articles would mean the moment passed.
            assert not store.linked_count(), "the worker stored, acknowledged and linked its batch in one slice"
            assert time.monotonic() < deadline, "the worker stored nothing in time"
            doomed.send_signal(signal.SIGCONT)
            time.sleep(0.003)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        committed_before_kill = len(store.unlinked_articles())
    held = _pending_of(client, stream, "doomed")
    assert held == len(articles), "the kill came after the acknowledgement"

    report = watch(
        db,
        WatchOptions(redis_url, stream, "ingest", consumer="rescuer", claim_idle_ms=200, block_ms=200, idle_exit_s=2),
    )
    assert report.reclaimed == held
    assert client.xpending(stream, "ingest")["pending"] == 0
    # No loss, no duplicates: what the dead worker committed is `unchanged`, the rest is new.
    assert report.ingest.unchanged == committed_before_kill >= 1
    assert report.ingest.ingested == len(articles) - committed_before_kill
    with Corpus(db) as corpus:
        assert not corpus.store.unlinked_articles()
    assert _stories(db) == _documents()


def test_a_message_the_store_refuses_goes_to_the_dead_letter_stream(redis_url, pg_server, request):
    """PostgreSQL cannot hold a NUL character in a text: that article fails every time it
    is handled. Its batch's other articles are stored; it is retried until it has been
    delivered more than max_deliveries times, then moved with its error and acknowledged."""
    stream = "poison"
    db = new_database(pg_server)
    good = wmt_articles()[:3]
    poison = {"text": "Le Parlement a voté\u0000 la loi lundi soir. L'opposition a quitté la salle.", "lang": "fr"}
    ids = _publish(redis_url, stream, [good[0], poison, *good[1:]])
    report = watch(
        db,
        WatchOptions(
            redis_url,
            stream,
            "ingest",
            consumer="w",
            batch=4,
            claim_idle_ms=100,
            block_ms=100,
            idle_exit_s=2,
            max_deliveries=2,
            link=False,
        ),
    )
    assert report.ingest.ingested == len(good) and report.messages == len(good)
    # Delivered 3 times: handled and failed on the first two, moved on the third.
    assert report.failed == 2 and report.dead_letters == 1
    client = redis.Redis.from_url(redis_url)
    assert client.xpending(stream, "ingest")["pending"] == 0
    [(_, dead)] = client.xrange(f"{stream}:dead")
    assert json.loads(dead[b"article"]) == poison
    assert dead[b"dead_message_id"] == ids[1] and dead[b"dead_deliveries"] == b"3"
    assert dead[b"dead_error"].decode().startswith(f"CW606 redis:{stream}/{ids[1].decode()}: PostgreSQL refused")
    assert not client.exists(WatchOptions(redis_url, stream, "ingest").errors_key)


def test_a_message_whose_workers_died_goes_to_the_dead_letter_stream(redis_url, db, request):
    """A message delivered to consumers that never acknowledged it (killed, or hung) is
    moved once it has been delivered more than max_deliveries times, named CW629."""
    stream = f"ghost-{request.node.callspec.id}"
    article = wmt_articles()[0]
    [message_id] = _publish(redis_url, stream, [article])
    client = redis.Redis.from_url(redis_url)
    client.xgroup_create(stream, "ingest", id="0")
    client.xreadgroup("ingest", "crashed", {stream: ">"})  # delivery 1, never acknowledged
    client.xautoclaim(stream, "ingest", "crashed-again", min_idle_time=0, start_id="0-0")  # delivery 2
    report = watch(
        db,
        WatchOptions(
            redis_url, stream, "ingest", consumer="w", claim_idle_ms=0, block_ms=100, idle_exit_s=1, max_deliveries=2
        ),
    )
    assert report.dead_letters == 1 and report.messages == 0 and report.ingest.ingested == 0
    [(_, dead)] = client.xrange(f"{stream}:dead")
    assert json.loads(dead[b"article"]) == article and dead[b"dead_deliveries"] == b"3"
    assert dead[b"dead_error"].decode() == (
        f"CW629 redis:{stream}/{message_id.decode()}: delivered 3 times and never acknowledged"
        " (its worker died or hung each time)"
    )
    assert client.xpending(stream, "ingest")["pending"] == 0


def test_max_deliveries_below_one_is_refused(tmp_path):
    with pytest.raises(CrosswireError) as error:
        watch(str(tmp_path / "x.db"), WatchOptions("unix:///nowhere.sock", "s", "g", max_deliveries=0))
    assert error.value.code == "CW630"


def _pending_of(client, stream: str, consumer: str) -> int:
    try:
        consumers = client.xinfo_consumers(stream, "ingest")
    except redis.exceptions.ResponseError:
        return 0  # the group is not created yet
    return next((c["pending"] for c in consumers if c["name"] in (consumer, consumer.encode())), 0)


def test_an_unreachable_server_is_named(tmp_path):
    url = f"unix://{tmp_path / 'nothing.sock'}"
    with pytest.raises(CrosswireError) as error:
        watch(str(tmp_path / "x.db"), WatchOptions(url, "s", "g", max_messages=1))
    assert error.value.code == "CW626" and url in str(error.value)
