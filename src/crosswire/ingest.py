"""ingest(paths, store): read every article under `paths` into a corpus store, and the
stages that every ingest driver runs: `ingest` here (one process), crosswire.batch (Ray
Data) and crosswire.watch (a Redis Stream) differ only in where each stage runs.

1. sources (`input_sources`): each path's files in name order, a web address as itself,
   an object-store URL's objects (fsspec: s3://, gs://, file://...); the store's own files
   are left out;
2. read (`read_source`): a source's articles, or a `Rejected` for each unusable file, line,
   entry or record (crosswire.read, crosswire.fetch);
3. --since/--until (`admit`): an article outside the window, or undated when a window is
   set, is left out (`OutsideDates`);
4. exact copies (`record_copy`): content the store already holds is not processed again;
   read again from the same source (a re-run) it is `unchanged`, from another source it
   is a `duplicate` recorded as a copy of the stored article;
5. prepare (`prepare_or_reject`): sentences (text.segment), facts (numbers, dates, names)
   and attributions (provenance.article_sources: who it cites and relays);
6. embed (`encoder_texts`, `new_articles`; `embed_articles` for a block): sentence
   vectors, and the vector of each article's lead text, for a batch of articles in one
   encoder call; with them the article's similarity profile (similarity.ArticleProfile),
   which story linking reads back from the store, and a MinHash signature of word 3-grams;
7. store (`store_item`): each article in its own transaction (its attributions with it,
   marked with `extractor_fingerprint`), counted in the `IngestReport`; the store links a
   near-duplicate to the earliest copy it holds.

`ingest` checks exact copies before preparing (4 before 5); batch and watch prepare
first and check when embedding a block (store.stored_hashes) and again when storing.

Story linking is a separate step after ingest (crosswire.corpus.Corpus.ingest runs
both): it takes the articles in no story yet and places them in publication order.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import tempfile
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

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


def reserve_core_for_reading() -> None:
    """Give each encoder call every core but one as intra-op threads, unless
    CROSSWIRE_THREADS already says how many.

    Ingest reads and segments on its own thread while the encoder runs, so on 2 cores
    one intra-op thread per call plus the reader is faster than two per call competing
    with it (measured with bench/ingest.py: 44 vs 69-79 CPU ms per article); the second
    core is used by a second call in flight (ENCODER_CALLS_IN_FLIGHT). It takes effect
    only before the encoder is first loaded in this process.
    """
    os.environ.setdefault("CROSSWIRE_THREADS", str(max(1, (os.cpu_count() or 2) - 1)))


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
    sources = input_sources(paths, store)
    report = IngestReport(encoder=enc.name, files=len(sources))
    started, cpu_started = time.perf_counter(), time.thread_time()
    with (
        ThreadPoolExecutor(max_workers=ENCODER_CALLS_IN_FLIGHT, thread_name_prefix="crosswire-encode") as worker,
        web_reader() as fetch,
    ):
        batch = _Batch(store, enc, report, worker)
        for done, source in enumerate(sources, start=1):
            for read in read_source(source, max_bytes=max_bytes, fetch=fetch):
                item = admit(read, since, until)
                if isinstance(item, Article):
                    batch.add(item)
                else:
                    store_item(store, item, report)
                if progress is not None:  # per article too: one JSONL or WARC file can hold thousands
                    progress(Progress(done - 1, len(sources), report))
            if progress is not None:
                progress(Progress(done, len(sources), report))
        batch.finish()
    timings = report.timings
    timings.read = time.perf_counter() - started - timings.wait - timings.store
    timings.read_cpu = time.thread_time() - cpu_started - timings.store_cpu
    if progress is not None:
        progress(Progress(len(sources), len(sources), report))
    return report


# -- the stages every driver runs, in order (see the module docstring) -------------------


@dataclass(frozen=True)
class OutsideDates:
    """An article left out by --since/--until: counted, not stored."""


@dataclass(frozen=True)
class PreparedArticle:
    """An article segmented, its facts and attributions found: the CPU work before encoding."""

    article: Article
    content_hash: str
    sentences: tuple[Sentence, ...]
    facts: list[tuple[int, Fact]]
    sentence_facts: list[SentenceFacts]  # for the similarity profile
    attributions: tuple[Attribution, ...]  # provenance.article_sources: who it cites and relays


@dataclass(frozen=True)
class KnownArticle:
    """An article whose exact text the store held when its block was checked: not embedded
    (it is a copy, or unchanged since a previous run)."""

    article: Article
    content_hash: str


# What travels from one stage to the next up to the store (in batch and watch, between
# processes): an article on its way, or what the report counts instead of storing it.
Item = PreparedArticle | NewArticle | KnownArticle | Rejected | OutsideDates


def is_object_url(source: str) -> bool:
    """Whether `source` names objects that fsspec reads (s3://, gs://, file://...): a URL
    that is not a web address."""
    return "://" in source and not is_url(source)


def input_sources(paths: Iterable[str | os.PathLike[str]], store: Store) -> list[str]:
    """Stage 1: what to read for `paths`, in order: a folder's files in name order (hidden
    ones left out), an object-store URL's objects likewise, a web address (crosswire.fetch:
    a page or a feed) in its place among them; never a file the store itself writes."""
    store_files = [os.path.realpath(f) for f in store.own_files()]

    def own(file: str) -> bool:
        """A file the store writes, or one inside a folder it writes (the story linker's)."""
        real = os.path.realpath(file)
        return any(real == f or real.startswith(f + os.sep) for f in store_files)

    sources: list[str] = []
    for path in map(str, paths):
        if is_url(path):
            sources.append(path)
        elif is_object_url(path):
            sources.extend(_objects(path))
        else:
            sources.extend(str(file) for file in input_files(path) if not own(str(file)))
    return sources


def _objects(url: str) -> list[str]:
    """The objects under an fsspec URL (a prefix, as a folder) in name order, hidden ones
    left out; the URL itself when it names one object."""
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        if not fs.isdir(root):
            return [url]
        found = sorted(fs.find(root))
    except (OSError, ValueError, ImportError) as exc:
        raise CrosswireError("CW624", url, f"could not list the objects under this URL ({exc})") from None
    return [
        fs.unstrip_protocol(f) for f in found if not any(part.startswith(".") for part in f[len(root) :].split("/"))
    ]


def read_source(
    source: str, *, max_bytes: int, fetch: Callable[[str], Iterator[Article | Rejected]]
) -> Iterator[Article | Rejected]:
    """Stage 2: the articles of one source from `input_sources`, and a Rejected for each
    unusable part; `fetch` reads a web address (crosswire.fetch.web_reader)."""
    if is_url(source):
        return fetch(source)
    if is_object_url(source):
        return _object_articles(source, max_bytes)
    return read_file_articles(Path(source), max_bytes=max_bytes)


def _object_articles(url: str, max_bytes: int) -> Iterator[Article | Rejected]:
    """read.read_file_articles for an fsspec object: it is copied to a local temporary file
    (its name ends as the URL's does, so its kind is recognised as a local file's would be)
    and read from there; every source then names the URL, not the copy."""
    import fsspec

    suffix = "".join(Path(url.rsplit("/", 1)[-1]).suffixes[-2:])
    with tempfile.TemporaryDirectory(prefix="crosswire-object-") as folder:
        local = Path(folder) / f"object{suffix}"
        try:
            with fsspec.open(url, "rb") as remote, open(local, "wb") as copy:
                # One byte past the limit: the reader then refuses it with CW105, naming the URL.
                copy.write(remote.read(max_bytes + 1))
        except OSError as exc:
            yield Rejected(url, "CW113", f"could not read the object ({exc})")
            return
        for item in read_file_articles(local, max_bytes=max_bytes):
            yield dataclasses.replace(item, source=item.source.replace(str(local), url, 1))


def in_window(article: Article, since: date | None, until: date | None) -> bool:
    """Whether the article's publication date is within [since, until] (both inclusive)."""
    if since is None and until is None:
        return True
    if not article.published:
        return False
    day = article.published[:10]
    return (since is None or day >= since.isoformat()) and (until is None or day <= until.isoformat())


def admit(item: Article | Rejected, since: date | None, until: date | None) -> Article | Rejected | OutsideDates:
    """Stage 3: an article outside the date window (in_window) becomes OutsideDates."""
    if isinstance(item, Article) and not in_window(item, since, until):
        return OutsideDates()
    return item


def record_copy(store: Store, digest: str, article: Article, report: IngestReport) -> bool:
    """Stage 4: whether the store holds this exact text already; if so the article is
    counted `unchanged` (read again from the same source) or recorded as a copy."""
    seen = store.seen(digest, article.source)
    if seen is None:
        return False
    if seen.from_same_source:
        report.unchanged += 1
    else:
        store.add_copy(seen.article_id, article)
        report.duplicates += 1
    return True


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


def prepare_item(
    item: Article | Rejected, since: date | None = None, until: date | None = None
) -> PreparedArticle | Rejected | OutsideDates:
    """Stages 3 and 5 for a driver that checks exact copies later, per block (batch's read
    tasks, watch's messages): an article admitted and prepared, or why it goes no further."""
    admitted = admit(item, since, until)
    return prepare_or_reject(admitted) if isinstance(admitted, Article) else admitted


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


def embed_articles(items: Sequence[Item], encoder: Encoder, store: Store | None = None) -> list[Item]:
    """Stage 6 for a block: each PreparedArticle as the NewArticle to store (one encoder
    call for all of them), or as a KnownArticle when `store` already holds its text (one
    query for all of them); other items as they are."""
    prepared = [item for item in items if isinstance(item, PreparedArticle)]
    stored = store.stored_hashes([p.content_hash for p in prepared]) if store is not None and prepared else set()
    done: dict[int, Item] = {
        id(p): KnownArticle(p.article, p.content_hash) for p in prepared if p.content_hash in stored
    }
    to_embed = [p for p in prepared if p.content_hash not in stored]
    texts = encoder_texts(to_embed)
    vectors = encoder.encode(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    done.update((id(p), new) for p, new in zip(to_embed, new_articles(to_embed, vectors, encoder.name)))
    return [done.get(id(item), item) for item in items]


def store_new_article(store: Store, new: NewArticle, report: IngestReport) -> None:
    """Store one article and count it in `report` (new, or a near-duplicate of an earlier one)."""
    stored = store.add_article(new)
    report.stored.append(stored.article_id)
    if stored.is_near_duplicate:
        report.near_duplicates += 1
    else:
        report.ingested += 1


def store_item(store: Store, item: Item, report: IngestReport) -> None:
    """Stage 7: write one item by ingest's rules and count it in `report`.

    Exact copies are decided here again, against what the store holds now, so a copy of
    an article stored earlier in the same run is recorded as a copy.
    """
    if isinstance(item, OutsideDates):
        report.outside_dates += 1
    elif isinstance(item, Rejected):
        report.rejected.append(item)
    elif isinstance(item, (NewArticle, KnownArticle)):
        if record_copy(store, item.content_hash, item.article, report):
            return
        if isinstance(item, KnownArticle):
            raise CrosswireError(
                "CW628",
                item.article.source,
                "the store held this text when the pipeline checked it and holds it no more: was the corpus"
                " replaced during the run? Run batch ingest again",
            )
        store_new_article(store, item, report)
    else:
        raise TypeError(f"not a finished pipeline item: {type(item).__name__}")


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
        if record_copy(self._store, digest, article, self._report):
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
