"""ingest(paths, store): read every article under `paths` into a corpus store.

For each article read (see read.read_articles):
1. --since/--until: an article outside the window, or undated when a window is set, is
   left out;
2. exact copies: content the store already holds is not processed again; read again
   from the same source (a re-run) it is `unchanged`, from another source it is a
   `duplicate` recorded as a copy of the stored article;
3. sentences (text.segment), facts (numbers, dates, names) and a MinHash signature of
   word 3-grams are computed;
4. its attributions (provenance.article_sources: who it cites and relays);
5. sentence vectors, and the vector of each article's lead text, are computed for a
   batch of articles at once (one encoder call, on a worker thread while the next batch
   is prepared); with them the article's similarity profile (similarity.ArticleProfile),
   which story linking reads back from the store;
6. each article is stored in its own transaction (its attributions with it, marked
   with `extractor_fingerprint`); the store links a near-duplicate to the earliest copy
   it holds.

Story linking is a separate step after ingest (crosswire.corpus.Corpus.ingest runs
both): it takes the articles in no story yet and places them in publication order.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from crosswire.analyse import prepare, sentence_facts
from crosswire.diff import SentenceFacts
from crosswire.encode import DEFAULT_ENCODER, Encoder, get_encoder
from crosswire.errors import CrosswireError
from crosswire.fetch import is_url, web_reader
from crosswire.model import Article, Attribution, Fact, Sentence
from crosswire.provenance import article_sources
from crosswire.read import DEFAULT_MAX_BYTES, Rejected, input_files, read_file_articles
from crosswire.read.article import unexpected_failure
from crosswire.similarity import lead_text, profile_from_parts
from crosswire.store import NewArticle, Store, minhash_signature

SCHEMA_ID = "crosswire.ingest/1"
# Articles embedded per encoder call: enough sentences (~30 each) to fill its batches,
# few enough that a crash loses little work and memory stays flat.
ARTICLES_PER_BATCH = 16
# Encoder calls in flight at once, each on its own worker thread sharing the one encoder
# (onnxruntime releases the GIL; each call computes on its own thread, so the vectors are
# those of one call at a time). With the reader that makes 3 threads for 2 cores: the
# encoder takes ~2/3 of the CPU per article, so one encoder thread left the second core
# idle whenever the reader waited for it.
ENCODER_CALLS_IN_FLIGHT = 2
SHINGLE_WORDS = 3


@dataclass
class IngestTimings:
    """Where an ingest's time went, in seconds. The encoder runs on worker threads while
    this one reads the next batch, so `encode` overlaps `read`; read + wait + store is
    the wall time."""

    read: float = 0.0  # reading files, language ID, segmentation, facts, attributions, the exact-copy check
    encode: float = 0.0  # the encoder's busy time, summed over its worker threads
    wait: float = 0.0  # this thread blocked on the encoder
    store: float = 0.0  # profiles, MinHash, the near-duplicate check and each article's transaction
    # CPU seconds of this thread (time.thread_time) in read and in store; the rest of the
    # process's CPU time is the encoder's.
    read_cpu: float = 0.0
    store_cpu: float = 0.0


@dataclass
class IngestReport:
    encoder: str
    files: int = 0
    ingested: int = 0  # new articles, near-duplicates not included
    # Stored, but one article with a stored one (the later of the two points to the earliest).
    near_duplicates: int = 0
    duplicates: int = 0  # exact copies of a stored article, read from another source
    unchanged: int = 0  # already stored from this same source (a re-run)
    outside_dates: int = 0  # left out by since/until (undated articles too, when a window is set)
    rejected: list[Rejected] = field(default_factory=list)
    stored: list[int] = field(default_factory=list)  # ids of the articles added, for story linking
    timings: IngestTimings = field(default_factory=IngestTimings)  # for benchmarks; not in to_dict

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA_ID,
            "encoder": self.encoder,
            "files": self.files,
            "ingested": self.ingested,
            "near_duplicates": self.near_duplicates,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "outside_dates": self.outside_dates,
            "rejected": [r.to_dict() for r in self.rejected],
        }


@dataclass(frozen=True)
class Progress:
    files_done: int
    files_total: int
    report: IngestReport


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shingles(text: str) -> list[bytes]:
    """Lower-cased word 3-grams: what two lightly edited copies still share most of."""
    words = text.lower().split()
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)]


@functools.cache
def extractor_fingerprint() -> str:
    """Names the code and data attributions are extracted with: a hash of every file of the
    crosswire package (the extractor, its lexicons and tagger model, and the segmenter and
    reader it depends on). Attributions stored by another fingerprint are extracted again
    when read, so a view never depends on which crosswire ingested an article."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    from .attribution.tagger import models_digest  # the models a user built, outside the package

    digest.update(models_digest())
    return digest.hexdigest()[:16]


def in_window(article: Article, since: date | None, until: date | None) -> bool:
    """Whether the article's publication date is within [since, until] (both inclusive)."""
    if since is None and until is None:
        return True
    if not article.published:
        return False
    day = article.published[:10]
    return (since is None or day >= since.isoformat()) and (until is None or day <= until.isoformat())


def ingest_threads(configured: int | None = None) -> int:
    """Threads for each encoder call of an ingest: `configured` (the CROSSWIRE_THREADS
    setting), else every core but one.

    Ingest reads and segments on its own thread while the encoder runs, so on 2 cores
    one intra-op thread per call plus the reader is faster than two per call competing
    with it (measured with bench/ingest.py: 44 vs 69-79 CPU ms per article); the second
    core is used by a second call in flight (ENCODER_CALLS_IN_FLIGHT). A program that
    ingests passes it to encode.set_encoder_threads where it starts.
    """
    return configured if configured is not None else max(1, (os.cpu_count() or 2) - 1)


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    encoder: str | Encoder = DEFAULT_ENCODER,
    progress: Callable[[Progress], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestReport:
    """Read, dedupe, segment, embed and store every article under `paths`.

    Bad input never stops the run: each unusable file, line, entry or record is listed
    in `report.rejected` with its code and reason. Raises only for problems with the
    store or the encoder (CW2xx, CW4xx).
    """
    enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
    store_files = [os.path.realpath(f) for f in store.own_files()]

    def own(file: str) -> bool:
        """A file the store writes, or one inside a folder it writes (the story linker's)."""
        real = os.path.realpath(file)
        return any(real == f or real.startswith(f + os.sep) for f in store_files)

    # A web address (crosswire.fetch: a page or a feed) is read in its place among the files.
    files = [
        file
        for path in paths
        for file in ([str(path)] if is_url(str(path)) else input_files(path))
        if is_url(str(file)) or not own(file)
    ]
    report = IngestReport(encoder=enc.name, files=len(files))
    started, cpu_started = time.perf_counter(), time.thread_time()
    with (
        ThreadPoolExecutor(max_workers=ENCODER_CALLS_IN_FLIGHT, thread_name_prefix="crosswire-encode") as worker,
        web_reader() as fetch,
    ):
        batch = _Batch(store, enc, report, worker)
        for done, file in enumerate(files, start=1):
            for item in fetch(str(file)) if is_url(str(file)) else read_file_articles(file, max_bytes=max_bytes):
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                elif not in_window(item, since, until):
                    report.outside_dates += 1
                else:
                    batch.add(item)
                if progress is not None:  # per article too: one JSONL or WARC file can hold thousands
                    progress(Progress(done - 1, len(files), report))
            if progress is not None:
                progress(Progress(done, len(files), report))
        batch.finish()
    timings = report.timings
    timings.read = time.perf_counter() - started - timings.wait - timings.store
    timings.read_cpu = time.thread_time() - cpu_started - timings.store_cpu
    if progress is not None:
        progress(Progress(len(files), len(files), report))
    return report


@dataclass(frozen=True)
class PreparedArticle:
    """An article segmented, its facts and attributions found: the CPU work before encoding."""

    article: Article
    content_hash: str
    sentences: tuple[Sentence, ...]
    facts: list[tuple[int, Fact]]
    sentence_facts: list[SentenceFacts]  # for the similarity profile
    attributions: tuple[Attribution, ...]  # provenance.article_sources: who it cites and relays


def prepare_article(article: Article, digest: str | None = None) -> PreparedArticle:
    """Segment `article` and find its facts and attributions; raises CrosswireError (CW301...)."""
    doc = prepare(article)
    found = sentence_facts(doc)
    facts = [(index, fact) for index, sf in enumerate(found) for fact in _facts(sf)]
    return PreparedArticle(
        article, digest or content_hash(article.text), doc.sentences, facts, found, article_sources(doc).attributions
    )


def prepare_or_reject(article: Article, digest: str | None = None) -> PreparedArticle | Rejected:
    """prepare_article, or the Rejected row of an article it refuses (CW301) or fails on
    (CW114: one odd text must not end a run that holds thousands)."""
    try:
        return prepare_article(article, digest)
    except CrosswireError as exc:
        return Rejected.from_error(exc)
    except Exception as exc:  # noqa: BLE001
        return Rejected.from_error(unexpected_failure(article.source, exc))


def encoder_texts(prepared: Sequence[PreparedArticle]) -> list[str]:
    """What to encode for these articles, in order: each one's sentences, then its lead
    text (the similarity profile's lead vector)."""
    return [
        text for p in prepared for text in (*(s.text for s in p.sentences), lead_text([s.text for s in p.sentences]))
    ]


def new_articles(prepared: Sequence[PreparedArticle], vectors: np.ndarray, encoder: str) -> list[NewArticle]:
    """The rows to store for `prepared`, given the vectors of `encoder_texts(prepared)`."""
    rows_out: list[NewArticle] = []
    offset = 0
    for p in prepared:
        rows = vectors[offset : offset + len(p.sentences)]
        lead_vector = vectors[offset + len(p.sentences)]
        offset += len(p.sentences) + 1
        profile = profile_from_parts(p.article, rows, lead_vector, p.sentence_facts)
        rows_out.append(
            NewArticle(
                article=p.article,
                content_hash=p.content_hash,
                sentences=p.sentences,
                encoder=encoder,
                vectors=rows,
                facts=p.facts,
                signature=minhash_signature(shingles(p.article.text)),
                profile=profile.to_bytes(),
                article_vector=profile.vector,
                attributions=p.attributions,
                attribution_extractor=extractor_fingerprint(),
            )
        )
    return rows_out


def store_new_article(store: Store, new: NewArticle, report: IngestReport) -> None:
    """Store one article and count it in `report` (new, or a near-duplicate of an earlier one)."""
    stored = store.add_article(new)
    report.stored.append(stored.article_id)
    if stored.is_near_duplicate:
        report.near_duplicates += 1
    else:
        report.ingested += 1


class _Batch:
    """Articles waiting for their sentence vectors, embedded together and then stored.

    Encoding runs on worker threads (onnxruntime releases the GIL), up to
    ENCODER_CALLS_IN_FLIGHT batches at once, while the next batch is read and segmented
    here, so the kinds of work overlap on a 2-core machine. Storing stays on this thread,
    in reading order, so the stored rows are those of one batch at a time.
    """

    def __init__(self, store: Store, encoder: Encoder, report: IngestReport, worker: ThreadPoolExecutor) -> None:
        self._store = store
        self._encoder = encoder
        self._report = report
        self._worker = worker
        self._pending: list[PreparedArticle] = []
        self._encoding: deque[tuple[list[PreparedArticle], Future]] = deque()  # oldest first

    def add(self, article: Article) -> None:
        digest = content_hash(article.text)
        if any(p.content_hash == digest for p in self._pending + self._in_flight()):
            # The same text twice before it is stored: store the first, then this one is a copy.
            self.finish()
        seen = self._store.seen(digest, article.source)
        if seen is not None:
            if seen.from_same_source:
                self._report.unchanged += 1
            else:
                self._store.add_copy(seen.article_id, article)
                self._report.duplicates += 1
            return
        prepared = prepare_or_reject(article, digest)
        if isinstance(prepared, Rejected):
            self._report.rejected.append(prepared)
            return
        self._pending.append(prepared)
        if len(self._pending) >= ARTICLES_PER_BATCH:
            self._send()

    def finish(self) -> None:
        """Encode and store everything still waiting."""
        self._send()
        while self._encoding:
            self._store_oldest()

    def _in_flight(self) -> list[PreparedArticle]:
        return [p for batch, _future in self._encoding for p in batch]

    def _send(self) -> None:
        """Start encoding the pending batch; then, with more than ENCODER_CALLS_IN_FLIGHT
        batches sent, store the oldest. The encoder is the slowest stage, so storing
        overlaps its calls instead of leaving it idle."""
        if self._pending:
            texts = encoder_texts(self._pending)
            self._encoding.append((self._pending, self._worker.submit(self._timed_encode, texts)))
            self._pending = []
        if len(self._encoding) > ENCODER_CALLS_IN_FLIGHT:
            self._store_oldest()

    def _timed_encode(self, texts: list[str]) -> tuple[np.ndarray, float]:
        started = time.perf_counter()
        vectors = self._encoder.encode(texts)
        return vectors, time.perf_counter() - started

    def _store_oldest(self) -> None:
        batch, future = self._encoding.popleft()
        started = time.perf_counter()
        vectors, encode_seconds = future.result()
        stored_from, store_cpu_from = time.perf_counter(), time.thread_time()
        self._report.timings.encode += encode_seconds
        self._report.timings.wait += stored_from - started
        for new in new_articles(batch, vectors, self._encoder.name):
            store_new_article(self._store, new, self._report)
        self._report.timings.store += time.perf_counter() - stored_from
        self._report.timings.store_cpu += time.thread_time() - store_cpu_from


def _facts(sf: SentenceFacts) -> Sequence[Fact]:
    return [
        *(n.as_fact() for n in sf.numbers),
        *(d.as_fact() for d in sf.dates),
        *(Fact("name", w.start, w.end, w.text, w.key) for w in sf.names),
    ]
