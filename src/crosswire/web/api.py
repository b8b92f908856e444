"""The JSON API under /api/: the same JSON as the CLI's --json, over HTTP.

Errors the library raises (CrosswireError) come back as
`{"error": {"code": "CW102", "source": "a", "detail": "...", "message": "CW102 a: ..."}}`
with 422 for unusable input, 413 for input over a size limit (CW105, CW701, CW702,
CW713), 503 with Retry-After when the server is busy or a comparison ran past its time
limit (CW703, CW704, CW706) and 500 for a server problem (encoder not installed, a
worker that died); a story or article id the corpus does not hold
(crosswire.corpus.CorpusError) comes back in the same shape, 404 for an unknown id
(CW404) and 422 for an unusable request (CW405: a split that would empty its story).
Malformed requests get FastAPI's 422 `{"detail": [...]}`.

Comparisons, and the story and article views that compare, run in worker processes
under the limits of web.workers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

import crosswire
from crosswire.corpus import STORIES_SCHEMA, Corpus, CorpusError
from crosswire.errors import CrosswireError
from crosswire.model import SCHEMA_ID
from crosswire.schemas import load_schema
from crosswire.web.inputs import upload_label
from crosswire.web.jobs import IngestJobs
from crosswire.web.workers import ArticleInput, Busy, check_input_size

T = TypeVar("T")

router = APIRouter(prefix="/api", tags=["api"])


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article: plain text, or an HTML page (its main text is extracted).")
    lang: str | None = Field(None, description="ISO 639 code; detected from the text when left out.", examples=["en"])
    title: str | None = None
    url: str | None = Field(None, description="Shown as a link only when it is http(s).")
    outlet: str | None = None
    published: str | None = Field(None, description="ISO 8601 date.", examples=["2023-01-31"])


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    a: ArticleIn
    b: ArticleIn


class ErrorBody(BaseModel):
    code: str | None = Field(examples=["CW102"], description="null for an id the corpus does not hold, or cannot use")
    source: str = Field(examples=["a"])
    detail: str
    message: str = Field(examples=["CW102 a: the input is empty or only whitespace"])


class ErrorResponse(BaseModel):
    error: ErrorBody


class LimitsInfo(BaseModel):
    max_input_chars: int = Field(description="Characters (bytes for a file) of one article as sent.")
    max_chars: int = Field(description="Characters of one article's text once read (HTML: its main text).")
    max_sentences: int = Field(description="Sentences of one article.")
    max_story_articles: int = Field(description="Articles of a story its page and /api/stories/{id} compare.")
    timeout_s: float = Field(description="Seconds one comparison (or story view) may take once a worker runs it.")
    wait_s: float = Field(description="Seconds a request may wait for a free worker.")
    workers: int = Field(description="Comparisons run at once, each in its own process.")
    waiting: int = Field(description="Requests that may wait for a worker; more are refused with 503.")
    max_upload_bytes: int = Field(description="A whole request body, every uploaded file together.")


class Info(BaseModel):
    version: str
    encoder: str = Field(description="The sentence encoder every comparison uses.")
    comparison_schema: str = Field(examples=[SCHEMA_ID])
    store: bool = Field(description="Whether a corpus database is open.")
    limits: LimitsInfo


TOO_LARGE = frozenset({"CW105", "CW701", "CW702", "CW709", "CW713"})
UNAVAILABLE = frozenset({"CW703", "CW704", "CW706"})


def error_status(error: CrosswireError) -> int:
    """The HTTP status for a library error: the client's input, the server's load, or its setup."""
    if error.code in TOO_LARGE:
        return 413
    if error.code in UNAVAILABLE:
        return 503
    if error.code in ("CW404", "CW707"):
        return 404
    if error.code == "CW715":
        return 409
    if error.code.startswith(("CW1", "CW3")) or error.code == "CW403":  # CW403: a date parameter
        return 422
    return 500


def corpus_error_status(error: CorpusError) -> int:
    """404 for an id the corpus does not hold (CW404), 422 for one it cannot use that way (CW405)."""
    return 404 if error.code == "CW404" else 422


def require_corpus(app: FastAPI) -> Corpus:
    """The app's corpus; 404 when it serves without one."""
    if app.state.corpus is None:
        raise HTTPException(404, "no corpus database is open: start the server with crosswire serve --db FILE")
    return app.state.corpus


def ingest_jobs(request: Request) -> IngestJobs:
    """The app's ingest job queue; 404 when it serves without a corpus."""
    jobs = request.app.state.jobs
    if jobs is None:
        require_corpus(request.app)
    return jobs


def with_corpus(app: FastAPI, call: Callable[[Corpus], T]) -> T:
    """`call(corpus)`, in turn with the app's other corpus calls (see create_app)."""
    corpus = require_corpus(app)
    with app.state.corpus_lock:
        return call(corpus)


def retry_headers(error: CrosswireError) -> dict[str, str]:
    """Retry-After for a busy server (and a time limit, which a quieter server may meet)."""
    if isinstance(error, Busy):
        return {"Retry-After": str(error.retry_after_s)}
    return {"Retry-After": "30"} if error_status(error) == 503 else {}


def error_response(error: CrosswireError | CorpusError) -> JSONResponse:
    body = {"code": error.code, "source": error.source, "detail": error.detail, "message": str(error)}
    status = corpus_error_status(error) if isinstance(error, CorpusError) else error_status(error)
    return JSONResponse({"error": body}, status_code=status, headers=retry_headers(error))


async def in_worker(request: Request, task: str, *args: object) -> object:
    """`task` (web.workers.TASKS) run by the app's worker pool for this request."""
    return await request.app.state.workers.run(task, *args, disconnected=request.is_disconnected)


def corpus_location(request: Request) -> str:
    """Where the app's corpus is, for a worker process to open it."""
    return require_corpus(request.app).store.location


async def corpus_call(request: Request, call: Callable[[Corpus], T]) -> T:
    """with_corpus from an async route: on a thread, so that the event loop never waits for the lock."""
    return await run_in_threadpool(with_corpus, request.app, call)


def date_parameter(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD query parameter; CW403 names it when it is not a date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CrosswireError("CW403", name, f"{value!r} is not a date (YYYY-MM-DD)") from None


ERROR_RESPONSES = {
    413: {
        "model": ErrorResponse,
        "description": "Input over a size limit: an article over the server's characters (CW105, CW701) or "
        "sentences (CW702), a story of too many articles (CW713), a request body over the upload cap (CW709).",
    },
    422: {"model": ErrorResponse, "description": "Unusable input (CW1xx, CW301), or a malformed request."},
    500: {
        "model": ErrorResponse,
        "description": "Server problem, e.g. the encoder is not installed (CW2xx), or a worker died (CW705).",
    },
    503: {
        "model": ErrorResponse,
        "description": "Every comparison worker busy (CW704) or the time limit reached (CW703): the work was "
        "stopped; try again after Retry-After seconds.",
    },
}


@router.get("/info", response_model=Info)
def info(request: Request) -> Info:
    """The crosswire version, the encoder in use and whether a corpus is open."""
    state = request.app.state
    limits = state.limits
    return Info(
        version=crosswire.__version__,
        encoder=state.encoder,
        comparison_schema=SCHEMA_ID,
        store=state.corpus is not None,
        limits=LimitsInfo(
            max_input_chars=limits.max_input_chars,
            max_chars=limits.max_chars,
            max_sentences=limits.max_sentences,
            max_story_articles=limits.max_story_articles,
            timeout_s=limits.timeout_s,
            wait_s=limits.wait_s,
            workers=limits.workers,
            waiting=limits.waiting,
            max_upload_bytes=state.max_upload_bytes,
        ),
    )


@router.post(
    "/compare",
    responses={
        200: {
            "description": f"A `{SCHEMA_ID}` object, as `crosswire compare --json` prints it; "
            "its JSON Schema is at /api/schemas/comparison-1.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **ERROR_RESPONSES,
    },
)
async def compare(body: CompareRequest, request: Request) -> JSONResponse:
    """Compare article a with article b: linked sentences, differences, what only one says, who says so.

    Limits (per article, see /api/info): characters as sent, characters and sentences once read, and the
    time a comparison may take; past them 413 or 503, and the work stops."""
    sides = {
        name: ArticleInput(
            name,
            side.lang,
            text=side.text,
            metadata={"title": side.title, "url": side.url, "outlet": side.outlet, "published": side.published},
        )
        for name, side in (("a", body.a), ("b", body.b))
    }
    try:
        check_input_size(sides, request.app.state.limits)
        cmp = await in_worker(request, "compare", sides["a"], sides["b"])
    except CrosswireError as exc:
        return error_response(exc)
    return JSONResponse(cmp.to_dict())


@router.get("/schemas/{name}", responses={404: {"description": "No schema of that name."}})
def schema(name: str) -> dict:
    """A JSON Schema of crosswire's output, e.g. `comparison-1`."""
    try:
        return load_schema(name)
    except FileNotFoundError:
        raise HTTPException(404, f"no such schema: {name}") from None


JOB_DESCRIPTION = (
    "An ingest job: `status` (queued, running, linking, done, failed, cancelled), `files_done` of `files_total`, "
    "counts of articles `stored` (new plus near-duplicates) and `rejected`, and per file in upload order its "
    "`name` and counts, with every unusable file, line or record under `rejected` with its code and its "
    "source named by the uploaded file's name; `error` says why a failed job stopped."
)


async def submit_ingest(request: Request, files: list[UploadFile]) -> dict:
    """Queue an ingest job of the uploaded files; the job's state."""
    jobs = ingest_jobs(request)
    uploads = [
        (upload_label(upload.filename, f"file {n}"), await upload.read()) for n, upload in enumerate(files, start=1)
    ]
    job = await run_in_threadpool(jobs.submit, uploads)  # writes the files: off the event loop
    return job.to_dict()


@router.post(
    "/ingest",
    status_code=202,
    responses={
        202: {
            "description": JOB_DESCRIPTION + " Follow the Location header (/api/ingest/jobs/{id}) until the job is "
            "done or failed.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"description": "The server runs without a corpus database (`crosswire serve` without --db)."},
        413: {"model": ErrorResponse, "description": "The request body is over the upload cap (CW709)."},
        503: {"model": ErrorResponse, "description": "Too many ingest jobs wait (CW706); try again after Retry-After."},
    },
)
async def ingest(files: Annotated[list[UploadFile], File()], request: Request) -> JSONResponse:
    """Store the articles of uploaded files (txt, HTML, JSONL, RSS/Atom, WARC) in the corpus and link them into
    stories, as a background job: answered at once; the server keeps answering while the job runs."""
    try:
        job = await submit_ingest(request, files)
    except CrosswireError as exc:
        return error_response(exc)
    url = str(request.url_for("ingest_job", job_id=job["id"]))
    return JSONResponse(job, status_code=202, headers={"Location": url})


@router.get(
    "/ingest/jobs/{job_id}",
    responses={
        200: {"description": JOB_DESCRIPTION, "content": {"application/json": {"schema": {"type": "object"}}}},
        404: {"model": ErrorResponse, "description": "No such job (CW707), or no corpus database is open."},
    },
)
def ingest_job(job_id: str, request: Request) -> JSONResponse:
    """An ingest job's progress and, once done, what it stored and rejected."""
    jobs = ingest_jobs(request)
    try:
        return JSONResponse(jobs.get(job_id))
    except CrosswireError as exc:
        return error_response(exc)


@router.delete(
    "/ingest/jobs/{job_id}",
    responses={
        200: {
            "description": JOB_DESCRIPTION + " A cancelled job's status is `cancelled`: a waiting job never ran; "
            "a running one was stopped, and what it stored before is kept (uploading the files again is safe).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"model": ErrorResponse, "description": "No such job (CW707), or no corpus database is open."},
        409: {"model": ErrorResponse, "description": "The job has already finished (CW715)."},
    },
)
def cancel_ingest_job(job_id: str, request: Request) -> JSONResponse:
    """Cancel an ingest job that waits or runs."""
    jobs = ingest_jobs(request)
    try:
        return JSONResponse(jobs.cancel(job_id))
    except CrosswireError as exc:
        return error_response(exc)


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: str = Field(description="The story that stays.", examples=["17"])
    other: str = Field(description="The story whose articles move into it.", examples=["23"])


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    story: str = Field(examples=["17"])
    articles: list[int] = Field(
        min_length=1, description="Articles of the story that become a new story.", examples=[[31, 32]]
    )


NO_CORPUS = {404: {"model": ErrorResponse, "description": "No such story or article, or no corpus database is open."}}


def _schema_response(schema_id: str, what: str) -> dict:
    return {
        "description": f"A `{schema_id}` object, as {what} prints it; its JSON Schema is at "
        f"/api/schemas/{schema_id.split('.', 1)[1].replace('/', '-')}.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }


# A page, not the whole corpus: listing every story of a 10k-article corpus took 155 ms
# under the corpus lock, blocking every other request (`crosswire stories` lists all).
STORIES_PAGE = 100
MAX_STORIES_PAGE = 1000


def _corpus_json(request: Request, call: Callable[[Corpus], dict]) -> JSONResponse:
    try:
        return JSONResponse(with_corpus(request.app, call))
    except (CrosswireError, CorpusError) as exc:
        return error_response(exc)


@router.get(
    "/stories",
    responses={
        200: _schema_response(STORIES_SCHEMA, "`crosswire stories --json`"),
        **NO_CORPUS,
        422: ERROR_RESPONSES[422],
    },
)
def stories(
    request: Request,
    lang: Annotated[str | None, Query(description="Only stories with an article in this language.")] = None,
    outlet: Annotated[str | None, Query(description="Only stories with an article from this outlet.")] = None,
    since: Annotated[
        str | None, Query(description="Only stories last seen on or after this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, Query(description="Only stories first seen on or before this date (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_STORIES_PAGE, description="At most this many stories.")] = STORIES_PAGE,
    offset: Annotated[
        int, Query(ge=0, description="Leave out this many first: the next page starts at offset + limit.")
    ] = 0,
) -> JSONResponse:
    """The corpus's stories, the most recently first seen first, a page at a time."""

    def call(corpus: Corpus) -> dict:
        found = corpus.stories(
            lang=lang or None,
            outlet=outlet or None,
            since=date_parameter(since, "since"),
            until=date_parameter(until, "until"),
            limit=limit,
            offset=offset,
        )
        return {"schema": STORIES_SCHEMA, "stories": [s.to_dict() for s in found]}

    return _corpus_json(request, call)


@router.get(
    "/stories/{story_id}",
    responses={
        200: _schema_response("crosswire.story/1", "`crosswire story ID --json`"),
        **NO_CORPUS,
        **ERROR_RESPONSES,
    },
)
async def story(story_id: str, request: Request) -> JSONResponse:
    """A story's articles in time order and its claim matrix. Percent-encode a `#` in the id (17%232).

    Built in a comparison worker, under the same limits as /api/compare."""
    try:
        view = await in_worker(request, "story", corpus_location(request), story_id)
    except CrosswireError as exc:
        return error_response(exc)
    return JSONResponse(view.to_dict())


@router.get(
    "/articles/{article_id}",
    responses={**NO_CORPUS, 413: ERROR_RESPONSES[413], 422: ERROR_RESPONSES[422], 503: ERROR_RESPONSES[503]},
)
async def article(article_id: int, request: Request) -> JSONResponse:
    """A stored article: metadata and sentences as in crosswire.comparison/1, its story, the sources it cites."""
    try:
        view, _length = await in_worker(request, "article", corpus_location(request), article_id, True)
    except CrosswireError as exc:
        return error_response(exc)
    return JSONResponse(view.to_dict())


@router.get(
    "/search",
    responses={
        200: _schema_response("crosswire.search/1", "`crosswire search QUERY --json`"),
        **NO_CORPUS,
        **ERROR_RESPONSES,
    },
)
def search(
    request: Request,
    q: Annotated[str, Query(description="The query, in any language.")],
    limit: Annotated[int, Query(ge=1, le=100, description="Sentences and stories to return.")] = 10,
) -> JSONResponse:
    """The sentences and stories closest in meaning to the query, across languages."""
    return _corpus_json(request, lambda corpus: corpus.search(q, limit).to_dict())


@router.post(
    "/stories/merge",
    responses={
        200: _schema_response(STORIES_SCHEMA, "`crosswire story merge --json`"),
        **NO_CORPUS,
        422: ERROR_RESPONSES[422],
    },
)
def merge(body: MergeRequest, request: Request) -> JSONResponse:
    """Move every article of story `other` into story `into`, for good (re-linking keeps it)."""
    return _corpus_json(
        request, lambda corpus: {"schema": STORIES_SCHEMA, "stories": [corpus.merge(body.into, body.other).to_dict()]}
    )


@router.post(
    "/stories/split",
    responses={
        200: _schema_response(STORIES_SCHEMA, "`crosswire story split --json`"),
        **NO_CORPUS,
        422: ERROR_RESPONSES[422],
    },
)
def split(body: SplitRequest, request: Request) -> JSONResponse:
    """Move these articles of a story (with their near-duplicates) into a new story, for good:
    returns what is left of the story, then the new one."""
    return _corpus_json(
        request,
        lambda corpus: {
            "schema": STORIES_SCHEMA,
            "stories": [s.to_dict() for s in corpus.split(body.story, body.articles)],
        },
    )
