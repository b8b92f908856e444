"""Comparisons, and the corpus views that compare, run in worker processes with limits.

A comparison is CPU-bound Python and onnxruntime: a thread running one cannot be
stopped. So the web app hands each one to a worker process (spawned, each with the
encoder loaded once and kept warm) and waits for its answer without blocking the event
loop. Work nobody waits for is stopped by ending the process: when the client hangs up
(checked every POLL_S while waiting) or when the time limit passes, the worker is killed
and a fresh one started in its place.

Limits (`Limits`, documented in docs/deploy.md), each answered with a crosswire code:
- size, checked before any work: an input of more than `max_input_chars` characters
  (bytes for a file), or an article of more than `max_chars` characters or
  `max_sentences` sentences once read: 413 (CW105, CW701, CW702); a story of more than
  `max_story_articles` articles: 413 (CW713);
- time: `timeout_s` per task, from when a worker takes it: 503 (CW703); `wait_s` to
  wait for a free worker (queued, or a fresh one loading the encoder): 503 (CW704);
- concurrency: `workers` tasks at once and `waiting` more queued; past that 503 with
  Retry-After (CW704).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any

from crosswire.analyse import prepare
from crosswire.compare import compare
from crosswire.corpus import ArticleView, Corpus, CorpusError, StoryView
from crosswire.encode import AUTO_ENCODER, DEFAULT_ENCODER, get_encoder, set_encoder_threads
from crosswire.errors import CrosswireError
from crosswire.model import Article, Comparison
from crosswire.provenance import article_sources
from crosswire.web.inputs import article_from_bytes, article_from_text

logger = logging.getLogger("crosswire.web")

# How often a waiting request looks for its answer and for its client having hung up.
POLL_S = 0.05
# Spawned, not forked: the parent runs threads (uvicorn, onnxruntime) that a fork would copy mid-state.
_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class Limits:
    """What one comparison (or a page that compares) may use; see the module docstring."""

    max_input_chars: int = 1_000_000  # an article as sent: text, HTML or file bytes
    max_chars: int = 150_000  # an article's text once read (and a stored article's, on its pages)
    max_sentences: int = 1_000
    max_story_articles: int = 100  # articles a story page compares
    timeout_s: float = 60.0  # a task's run, from when a worker takes it
    wait_s: float = 60.0  # waiting for a free, ready worker (queued, or a fresh one loading the encoder)
    workers: int = 2
    waiting: int = 4
    retry_after_s: int = 10
    ingest_waiting: int = 4  # ingest jobs queued behind the running one (web.jobs)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ArticleInput:
    """One side of a comparison as the client sent it: text, or a file's bytes."""

    source: str
    lang: str | None
    text: str | None = None
    data: bytes | None = None
    metadata: dict[str, str | None] = field(default_factory=dict)

    def size(self) -> int:
        return len(self.data) if self.data is not None else len(self.text or "")


class ClientGone(Exception):
    """The client hung up while its work ran: nobody is left to answer."""


class Busy(CrosswireError):
    """Every worker is in use and the queue is full (CW704; CW706 for ingest jobs): 503 with Retry-After."""

    def __init__(self, retry_after_s: int, detail: str, code: str = "CW704") -> None:
        super().__init__(code, "request", detail)
        self.retry_after_s = retry_after_s


def check_input_size(sides: dict[str, ArticleInput], limits: Limits) -> None:
    """CW105 for an input too long to be worth reading (checked before sending it anywhere)."""
    for side in sides.values():
        if side.size() > limits.max_input_chars:
            unit = "bytes" if side.data is not None else "characters"
            raise CrosswireError(
                "CW105",
                side.source,
                f"{side.size():,} {unit}, over the web server's limit of {limits.max_input_chars:,} per article",
            )


# -- in the worker process ---------------------------------------------------------------


class _WorkerState:
    def __init__(self, encoder: str, limits: Limits) -> None:
        self.encoder = encoder
        self.limits = limits
        self.corpora: dict[str, Corpus] = {}

    def corpus(self, location: str) -> Corpus:
        """The corpus at `location`, opened once per worker: its comparisons stay cached here."""
        if location not in self.corpora:
            self.corpora[location] = Corpus(location, encoder=self.encoder, store_comparisons=False)
        return self.corpora[location]


def check_article(article: Article, limits: Limits) -> None:
    """CW701 for an article too long to compare (cheap: checked before sending it to a worker)."""
    if len(article.text) > limits.max_chars:
        raise CrosswireError(
            "CW701",
            article.source,
            f"{len(article.text):,} characters, over the web server's limit of {limits.max_chars:,} per article "
            "for a comparison",
        )


def _check_sentences(article: Article, limits: Limits) -> None:
    count = len(prepare(article).sentences)
    if count > limits.max_sentences:
        raise CrosswireError(
            "CW702",
            article.source,
            f"{count:,} sentences, over the web server's limit of {limits.max_sentences:,} per article for a comparison",
        )


def _read_input(side: ArticleInput) -> Article:
    if side.data is not None:
        return article_from_bytes(side.data, side.source, side.lang)
    return article_from_text(side.text or "", side.source, side.lang, **side.metadata)


def _compare_task(state: _WorkerState, a: Article | ArticleInput, b: Article | ArticleInput) -> Comparison:
    articles = [side if isinstance(side, Article) else _read_input(side) for side in (a, b)]
    for article in articles:
        check_article(article, state.limits)
    for article in articles:
        _check_sentences(article, state.limits)
    return compare(*articles, encoder=state.encoder)


def _check_story(corpus: Corpus, story_id: str, limits: Limits) -> None:
    """CW713 for a story with too many articles to compare for one page, CW701 for one
    holding an article too long to compare."""
    members = corpus.store.story_members(story_id)
    if len(members) > limits.max_story_articles:
        raise CrosswireError(
            "CW713",
            story_id,
            f"{len(members):,} articles, over the web server's limit of {limits.max_story_articles:,} "
            "for a story page; split the story, or read it with `crosswire story show`",
        )
    for stored in corpus.store.articles([article_id for article_id, _ in members]):
        if len(stored.article.text) > limits.max_chars:
            raise CrosswireError(
                "CW701",
                f"article {stored.id}",
                f"{len(stored.article.text):,} characters, over the web server's limit of "
                f"{limits.max_chars:,} per article for a story page; its article page shows its beginning",
            )


def _story_task(state: _WorkerState, location: str, story_id: str) -> StoryView:
    corpus = state.corpus(location)
    _check_story(corpus, story_id, state.limits)
    return corpus.story(story_id)


def _story_sources_task(state: _WorkerState, location: str, story_id: str) -> tuple[ArticleView, ...]:
    corpus = state.corpus(location)
    _check_story(corpus, story_id, state.limits)
    return corpus.story_sources(story_id)


def _story_export_task(state: _WorkerState, location: str, story_id: str):
    """What the story downloads need (web.exports), under the story page's limits."""
    from crosswire.render.exports import story_export

    corpus = state.corpus(location)
    _check_story(corpus, story_id, state.limits)
    return story_export(corpus, story_id)


def _history_task(state: _WorkerState, location: str, address: str):
    """The versions read from an address and what changed (crosswire.history, web.history)."""
    from crosswire.history import history

    return history(state.corpus(location), address)


def _article_task(state: _WorkerState, location: str, article_id: int, whole: bool) -> tuple[ArticleView, int]:
    """The article's view, and its full length. Past `max_chars` the view holds its
    beginning only, or with `whole` (the API, which must not hand on a part as the whole) CW701."""
    corpus = state.corpus(location)
    stored = corpus.store.article(article_id)
    if stored is None:
        raise CorpusError(str(article_id), "no such article")
    length = len(stored.article.text)
    if length <= state.limits.max_chars:
        return corpus.article(article_id), length
    if whole:
        raise CrosswireError(
            "CW701",
            f"article {article_id}",
            f"{length:,} characters, over the web server's limit of {state.limits.max_chars:,} per article; "
            "its page shows its beginning",
        )
    shown = replace(stored, article=replace(stored.article, text=stored.article.text[: state.limits.max_chars]))
    document = prepare(shown.article)
    return ArticleView(shown, document, corpus.store.story_of(article_id), article_sources(document)), length


TASKS: dict[str, Callable[..., Any]] = {
    "compare": _compare_task,
    "story": _story_task,
    "story_sources": _story_sources_task,
    "article": _article_task,
    "story_export": _story_export_task,
    "history": _history_task,
}
READY = "ready"


def _serve(conn: Connection, encoder: str, limits: Limits, threads: int | None) -> None:
    """A worker process: warm the encoder, then run tasks until the pipe closes.
    `threads`: the server's thread setting (crosswire.settings)."""
    set_encoder_threads(threads)
    try:
        get_encoder(DEFAULT_ENCODER if encoder == AUTO_ENCODER else encoder)
    except CrosswireError:
        pass  # each task reports it (an unknown encoder is the server's setup problem)
    conn.send(READY)
    state = _WorkerState(encoder, limits)
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", TASKS[name](state, *args))
        except CrosswireError as exc:
            answer = ("error", (exc.code, exc.source, exc.detail))
        except Exception:  # noqa: BLE001  (a bug: logged by the server, and the worker goes on)
            answer = ("crash", traceback.format_exc())
        conn.send(answer)


# -- in the server process ---------------------------------------------------------------


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    busy: bool = False


@dataclass
class PoolState:
    """What the pool has done, for tests and for the log: counts by outcome."""

    started: int = 0
    completed: int = 0
    stopped_disconnect: int = 0
    stopped_timeout: int = 0
    refused_busy: int = 0
    crashed: int = 0


class WorkerPool:
    """`limits.workers` worker processes, started as needed; see the module docstring.

    Safe to use from any event loop (the test client runs one per request): waiting is
    done by polling, the shared state is guarded by a threading lock. Apps share pools
    (shared_pool): its processes outlive an app, and end with the server process.
    """

    def __init__(self, encoder: str, limits: Limits, threads: int | None = None) -> None:
        self.encoder = encoder
        self.limits = limits
        self.threads = threads
        self.state = PoolState()
        self._workers: list[_Worker] = []
        self._waiting = 0
        self._lock = threading.Lock()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def busy_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.busy and w.process.pid is not None]

    def _start_worker(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=_serve, args=(child, self.encoder, self.limits, self.threads), name="crosswire-compare", daemon=True
        )
        process.start()
        child.close()
        self.state.started += 1
        return _Worker(process, parent)

    def start(self) -> None:
        """Start every worker now (server start-up), so that the first requests find the encoder loaded."""
        with self._lock:
            while len(self._workers) < self.limits.workers:
                self._workers.append(self._start_worker())

    def _take(self) -> _Worker | None:
        """A free worker marked busy; one more is started while the pool has fewer than `workers`."""
        with self._lock:
            worker = next((w for w in self._workers if not w.busy), None)
            if worker is None and len(self._workers) < self.limits.workers:
                worker = self._start_worker()
                self._workers.append(worker)
            if worker is not None:
                worker.busy = True
            return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            worker.busy = False

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` (its task is abandoned) and start another in its place."""
        worker.process.kill()
        worker.process.join(timeout=10)
        worker.conn.close()
        with self._lock:
            if worker in self._workers:  # else the pool was stopped meanwhile
                self._workers.remove(worker)
                self._workers.append(self._start_worker())

    async def run(self, task: str, *args: Any, disconnected: Callable[[], Awaitable[bool]]) -> Any:
        """Run `task` in a worker and return its answer; raises the task's CrosswireError,
        Busy (CW704), CW703 at the time limit, CW705 if the worker died, and ClientGone
        when `disconnected()` says the client has hung up. Whenever the answer is not
        awaited to the end, the worker is killed and replaced: its work stops."""
        deadline = time.monotonic() + self.limits.wait_s
        worker = await self._acquire(deadline, disconnected)
        try:
            outcome, value = await self._exchange(worker, (task, args), deadline, disconnected)
        except BaseException as exc:
            self._replace(worker)
            self._count_stop(exc)
            raise
        self._release(worker)
        self.state.completed += 1
        if outcome == "ok":
            return value
        if outcome == "error":
            code, source, detail = value
            if code in ("CW404", "CW405"):
                raise CorpusError(source, detail)
            raise CrosswireError(code, source, detail)
        logger.error("a comparison worker task failed:\n%s", value)
        raise RuntimeError(f"worker task {task} failed")

    def _busy(self, waited: bool = False) -> Busy:
        self.state.refused_busy += 1
        if waited:
            why = f"no comparison worker was free and ready within {self.limits.wait_s:g} s"
        else:
            why = f"all {self.limits.workers} comparison workers are busy and {self.limits.waiting} more requests wait"
        return Busy(self.limits.retry_after_s, f"{why}; try again in {self.limits.retry_after_s} s")

    async def _acquire(self, deadline: float, disconnected: Callable[[], Awaitable[bool]]) -> _Worker:
        worker = self._take()
        if worker is not None:
            return worker
        with self._lock:
            full = self._waiting >= self.limits.waiting
            if not full:
                self._waiting += 1
        if full:
            raise self._busy()
        try:
            while worker is None:
                await self._pause(deadline, disconnected, busy=True)
                worker = self._take()
        finally:
            with self._lock:
                self._waiting -= 1
        return worker

    async def _exchange(
        self, worker: _Worker, message: tuple, deadline: float, disconnected: Callable[[], Awaitable[bool]]
    ) -> tuple[str, Any]:
        try:
            while not worker.ready:  # a worker started for this request, loading the encoder
                if worker.conn.poll():
                    worker.ready = worker.conn.recv() == READY
                else:
                    await self._pause(deadline, disconnected, busy=True)
            worker.conn.send(message)
            deadline = time.monotonic() + self.limits.timeout_s  # the work's own time starts here
            while not worker.conn.poll():
                await self._pause(deadline, disconnected)
            return worker.conn.recv()
        except (EOFError, OSError):
            raise CrosswireError(
                "CW705", "server", "the comparison worker stopped (out of memory?); a new one is started"
            ) from None

    async def _pause(self, deadline: float, disconnected: Callable[[], Awaitable[bool]], busy: bool = False) -> None:
        """Wait POLL_S; raise when the client has gone or time is up."""
        await asyncio.sleep(POLL_S)
        if await disconnected():
            raise ClientGone()
        if time.monotonic() > deadline:
            if busy:
                raise self._busy(waited=True)
            raise CrosswireError(
                "CW703",
                "request",
                f"not done within the web server's limit of {self.limits.timeout_s:g} s; the work was stopped",
            )

    def _count_stop(self, exc: BaseException) -> None:
        if isinstance(exc, ClientGone):
            self.state.stopped_disconnect += 1
        elif isinstance(exc, CrosswireError) and exc.code == "CW703":
            self.state.stopped_timeout += 1
        elif isinstance(exc, CrosswireError) and exc.code == "CW705":
            self.state.crashed += 1

    def stop(self) -> None:
        """Stop every worker (server shutdown); the next request starts new ones."""
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.conn.close()  # the worker's recv ends: it exits
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=10)


_POOLS: dict[tuple[str, Limits, int | None], WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(encoder: str, limits: Limits, threads: int | None = None) -> WorkerPool:
    """The process's pool for this encoder, these limits and encoder threads: apps alike share
    their workers (a test session makes many apps; each pool's processes hold an encoder, ~0.5 GB)."""
    with _POOLS_LOCK:
        if (encoder, limits, threads) not in _POOLS:
            _POOLS[encoder, limits, threads] = WorkerPool(encoder, limits, threads)
        return _POOLS[encoder, limits, threads]
