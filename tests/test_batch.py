"""crosswire batch (Ray Data, local mode) gives what crosswire ingest gives for the same files.

Real Ray (a local cluster of 2 encoder actors), the packaged encoder, real news text
(tests/scale_corpus.py), on SQLite and on PostgreSQL + pgvector (pgserver). Each Ray
run costs ~10-20 s of start-up, so the pipeline runs twice per engine: through the CLI
(ingest, then `batch link`), and once more over the same database (a re-run stores
nothing, and its encoder actors encode nothing: checked on the function they call).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pathlib import Path

import pytest
from scale_corpus import ENGINES, empty_db, snapshot, wmt_articles

from crosswire import Corpus
from crosswire.batch import BatchOptions, batch_ingest
from crosswire.ingest import KnownArticle, embed_articles, prepare_item
from crosswire.encode import DEFAULT_ENCODER, get_encoder
from crosswire.errors import CrosswireError
from crosswire.read import Rejected, input_files, read_file_articles
from crosswire.store import NewArticle, open_store


def _write_inputs(folder) -> list[str]:
    """Two JSONL files, an exact copy and a light edit as .txt files, and an empty file."""
    articles = wmt_articles()
    half = len(articles) // 2
    for name, part in (("a.jsonl", articles[half:]), ("b.jsonl", articles[:half])):  # not in publication order
        (folder / name).write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in part), encoding="utf-8")
    loose = folder / "loose"
    loose.mkdir()
    (loose / "copy.txt").write_text(articles[0]["text"], encoding="utf-8")
    (loose / "edit.txt").write_text(articles[3]["text"].replace(".", " !", 1), encoding="utf-8")
    (loose / "empty.txt").write_text("  \n", encoding="utf-8")
    return [str(folder / "a.jsonl"), str(folder / "b.jsonl"), str(loose)]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return _write_inputs(tmp_path_factory.mktemp("batch-inputs"))


@pytest.fixture(scope="module", params=ENGINES)
def new_db(request, tmp_path_factory):
    """Makes an empty corpus database of the module's engine."""
    return lambda name: empty_db(request, tmp_path_factory.mktemp(name))


@pytest.fixture(scope="module")
def plain(inputs, new_db):
    """`crosswire ingest` of the inputs: the reference."""
    db = new_db("plain")
    with Corpus(db) as corpus:
        report = corpus.ingest(inputs)
    return db, report


def _crosswire(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.fixture(scope="module")
def batched(inputs, new_db):
    """`crosswire batch ingest --no-link` with 2 workers, then `crosswire batch link`."""
    db = new_db("batch")
    ingested = _crosswire("batch", "ingest", *inputs, "--db", db, "--workers", "2", "--no-link", "--json")
    assert ingested.returncode == 0, ingested.stderr
    with Corpus(db) as corpus:
        unlinked_before = len(corpus.store.unlinked_articles())
    linked = _crosswire("batch", "link", "--db", db)
    assert linked.returncode == 0, linked.stderr
    return db, json.loads(ingested.stdout), unlinked_before, linked.stdout


def test_batch_gives_the_same_articles_copies_and_stories_as_ingest(plain, batched):
    plain_db, plain_report = plain
    batch_db, batch_report, _, _ = batched
    assert batch_report == plain_report.to_dict()
    assert plain_report.duplicates == 1 and plain_report.near_duplicates == 1
    assert [r.code for r in plain_report.rejected] == ["CW102"]
    assert snapshot(batch_db) == snapshot(plain_db)
    # Every article's attributions are stored with it, as ingest stores them.
    assert len(snapshot(batch_db).attributions) == len(snapshot(batch_db).articles)
    # Each document's original and translation make one story (the corpus is not trivial).
    assert len(snapshot(plain_db).stories) == len(wmt_articles()) // 2


def test_batch_ingest_no_link_leaves_linking_to_batch_link(batched):
    _, report, unlinked_before, link_output = batched
    assert unlinked_before == report["ingested"] + report["near_duplicates"]
    assert f"{unlinked_before} articles linked" in link_output


def test_a_rerun_stores_nothing_new_and_reads_a_url_like_its_file(inputs, batched):
    """Again over the same inputs, the first JSONL file named by a file:// URL (read through
    fsspec, as s3:// or gs:// objects are): its articles are copies from another source."""
    batch_db, first, _, _ = batched
    before = snapshot(batch_db)
    url = Path(inputs[0]).resolve().as_uri()
    with open_store(batch_db) as store:
        report = batch_ingest([url, *inputs[1:]], store, BatchOptions(workers=1))
    assert report.ingested == report.near_duplicates == 0
    from_url = len(Path(inputs[0]).read_text(encoding="utf-8").splitlines())
    assert report.duplicates == from_url
    # Everything else is `unchanged`; the copy read from its other file counts unchanged too.
    assert report.unchanged == first["ingested"] + first["near_duplicates"] + first["duplicates"] - from_url
    assert snapshot(batch_db).stories == before.stories


class CountingEncoder:
    """The packaged encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self._encoder = get_encoder(DEFAULT_ENCODER)
        self.name, self.calibration = self._encoder.name, self._encoder.calibration
        self.texts = 0

    def encode(self, texts):
        self.texts += len(texts)
        return self._encoder.encode(texts)


def _prepared_inputs(inputs) -> list:
    """The pipeline's stage-1 items for the inputs, as its read tasks make them."""
    return [
        prepare_item(article)
        for path in inputs
        for file in input_files(path)
        for article in read_file_articles(file)
        if not isinstance(article, Rejected)
    ]


def test_the_encoder_skips_articles_the_store_holds(inputs, batched, tmp_path):
    """What each encoder actor does per block: a re-run over the same files encodes nothing."""
    batch_db, *_ = batched
    items = _prepared_inputs(inputs)
    encoder = CountingEncoder()
    with open_store(batch_db) as store:
        done = embed_articles(items, encoder, store)
    assert encoder.texts == 0
    assert [type(item) for item in done] == [KnownArticle] * len(items)
    # Into an empty store every article is encoded: the counter counts.
    with open_store(str(tmp_path / "empty.db")) as empty:
        fresh = embed_articles(items, encoder, empty)
    assert encoder.texts == sum(len(p.sentences) + 1 for p in items)
    assert [type(item) for item in fresh] == [NewArticle] * len(items)


def test_an_unknown_encoder_is_named_before_ray_starts(inputs, tmp_path):
    with open_store(str(tmp_path / "x.db")) as store, pytest.raises(CrosswireError) as error:
        batch_ingest(inputs, store, BatchOptions(encoder="no-such-encoder"))
    assert error.value.code == "CW201"


def test_no_workers_is_refused(inputs, tmp_path):
    with open_store(str(tmp_path / "x.db")) as store, pytest.raises(CrosswireError) as error:
        batch_ingest(inputs, store, BatchOptions(workers=0))
    assert error.value.code == "CW623" and "--workers" in str(error.value)


def test_batch_ingest_with_the_network_cut_connects_nowhere_outside(tmp_path):
    """`crosswire batch ingest` in a network namespace of its own (loopback only), every
    connect() of every process it starts traced: it completes, and no process tries the
    cloud metadata addresses (Ray's usage statistics looked them up even when switched
    off), 8.8.8.8 (Ray's search for the outward interface) or any address but loopback.
    DNS queries (port 53) are left to their own check: onnxruntime's native code resolves
    a name from a worker thread, in plain `crosswire ingest` as well."""
    from read.corpus_samples import article_text

    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(1, 4):
        (folder / f"a{number}.txt").write_text(article_text(number), encoding="utf-8")
    log, db = tmp_path / "connect.log", tmp_path / "c.db"
    command = (
        f"ip link set lo up && exec strace -f -qq -e trace=connect -o {log} "
        f"{sys.executable} -m crosswire batch ingest {folder} --db {db} --no-link --json"
    )
    result = subprocess.run(
        ["unshare", "--map-root-user", "--net", "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout)["ingested"] == 3
    outside = []
    for line in log.read_text().splitlines():
        if "AF_INET" not in line or "htons(53)" in line:
            continue
        if not any(loopback in line for loopback in ('inet_addr("127.', '"::1"', '"::ffff:127.')):
            outside.append(line)
    assert outside == []
