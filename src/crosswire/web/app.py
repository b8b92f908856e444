"""The app factory and the HTML pages: routes -> library calls -> templates.

Every page is a thin shell: it turns form fields into library calls
(crosswire.compare, the readers, crosswire.corpus.Corpus) and hands the result to a
Jinja2 template with autoescaping on. GET requests only read; POST runs a comparison
(which writes nothing) or, with a corpus, an ingest, a merge or a split. The corpus
pages (stories, story, article) are in web.corpus_pages.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import threading
import weakref
from collections.abc import Sequence
from importlib import resources
from typing import Annotated

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.staticfiles import StaticFiles

import crosswire
from crosswire.corpus import Corpus, CorpusError
from crosswire.encode import DEFAULT_ENCODER
from crosswire.errors import CrosswireError
from crosswire.web import api, corpus_pages, exports, history
from crosswire.web.api import (
    corpus_call,
    error_status,
    in_worker,
    require_corpus,
    retry_headers,
    submit_ingest,
)
from crosswire.settings import DEFAULT_SETTINGS, Settings
from crosswire.web.inputs import upload_label
from crosswire.web.jobs import IngestJobs
from crosswire.web.security import AllowedHosts, RequestLimits, SecurityHeaders
from crosswire.web.views import comparison_view
from crosswire.web.workers import (
    DEFAULT_LIMITS,
    ArticleInput,
    ClientGone,
    Limits,
    check_article,
    check_input_size,
    shared_pool,
)

# By default requests must name the server by one of these (Host header), so a web page
# whose domain is re-pointed at the server's address (DNS rebinding) cannot use it.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# Whole request body, all uploaded files together. Starlette separately limits each
# non-file form field (a pasted text) to 1 MiB.
DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024
SIDES = ("a", "b")


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_hosts(bind: str, extra: str = "") -> tuple[str, ...]:
    """The Host names `crosswire serve --host BIND --allowed-hosts EXTRA` answers to: the
    loopback names, the bound address itself unless it is a wildcard (0.0.0.0, ::), and
    the comma-separated names in `extra`. "*" is refused: it would let DNS rebinding in."""
    names = [name.strip() for name in extra.split(",") if name.strip()]
    if any("*" in name for name in names):
        raise ValueError("--allowed-hosts takes host names, not patterns: name each host the server is reached by")
    address = bind.strip("[]")
    try:
        wildcard = ipaddress.ip_address(address).is_unspecified
    except ValueError:
        wildcard = False
    if not wildcard and bind:
        names.append(f"[{address}]" if ":" in address else address)
    return tuple(dict.fromkeys([*LOOPBACK_HOSTS, *names]))


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("crosswire.web", "templates"),
        # Always on, whatever the template's file name: article text is hostile input.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def create_app(
    db: str | os.PathLike[str] | Corpus | None = None,
    *,
    encoder: str = DEFAULT_ENCODER,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    limits: Limits = DEFAULT_LIMITS,
    settings: Settings = DEFAULT_SETTINGS,
) -> FastAPI:
    """The crosswire web app: compare pages and the JSON API, and the corpus pages given a corpus.

    `db` is a database path (opened, or created, as a crosswire.corpus.Corpus with
    `encoder`) or an open Corpus. `allowed_hosts` are the Host names the app answers to,
    whatever address it listens on (see web.security.AllowedHosts). `limits` bound each
    comparison and the pages that compare (web.workers, docs/deploy.md). `settings` are
    the server's (crosswire.settings, read where the server starts: `crosswire serve`).
    """
    workers = shared_pool(encoder, limits, settings.threads)
    if isinstance(db, (str, os.PathLike)):
        # GET requests never write: story views keep their comparisons in memory.
        db = Corpus(os.fspath(db), encoder=encoder, store_comparisons=False)
    jobs = IngestJobs(db.store.location, encoder, limits.ingest_waiting, settings.threads) if db is not None else None

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        workers.start()
        yield
        workers.stop()
        if jobs is not None:
            jobs.close()

    app = FastAPI(
        lifespan=lifespan,
        title="crosswire",
        version=crosswire.__version__,
        description="Cross-check news across languages. The JSON API mirrors `crosswire compare --json`.",
        # FastAPI's own docs pages load scripts from a CDN and inline; /api/docs is rendered here instead.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.corpus = db
    # The worker threads share the corpus's one SQLite connection and its in-memory story
    # linker, so corpus calls take turns.
    app.state.corpus_lock = threading.Lock()
    app.state.encoder = encoder
    app.state.limits = limits
    app.state.max_upload_bytes = max_upload_bytes
    app.state.workers = workers
    app.state.jobs = jobs
    if jobs is not None:  # an app served without its lifespan (the test client) stops its job when it goes
        weakref.finalize(app, jobs.close)
    templates = _templates()
    app.state.templates = templates

    app.add_middleware(AllowedHosts, hosts=allowed_hosts)
    app.add_middleware(RequestLimits, max_body_bytes=max_upload_bytes)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so refusals carry the headers too
    app.mount("/static", StaticFiles(directory=str(resources.files("crosswire.web") / "static")), name="static")
    app.include_router(api.router)
    app.include_router(corpus_pages.router)
    app.include_router(exports.router)  # story downloads: CSV, HTML report, JSON-LD (issue 17)
    app.include_router(history.router)  # an article's versions: /history?url= (issue 17)

    @app.exception_handler(ClientGone)
    def client_gone(_request: Request, _exc: ClientGone) -> Response:
        return Response(status_code=499)  # nobody reads it: the client hung up and its work was stopped

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        start = "stories_page" if app.state.corpus is not None else "compare_form"
        return RedirectResponse(request.url_for(start), status_code=303)

    def compare_error(request: Request, context: dict, error: CrosswireError) -> Response:
        return templates.TemplateResponse(
            request, "compare.html.j2", context, status_code=error_status(error), headers=retry_headers(error)
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_form(request: Request, a: int | None = None, b: int | None = None) -> Response:
        """The compare form; with `a` and `b`, two stored articles compared (writes nothing)."""
        if a is None or b is None:
            return templates.TemplateResponse(request, "compare.html.j2", _compare_context())

        def stored_pair(corpus: Corpus) -> dict[str, crosswire.Article]:
            found = {}
            for side, article_id in (("a", a), ("b", b)):
                stored = corpus.store.article(article_id)
                if stored is None:
                    raise CorpusError(str(article_id), "no such article")
                check_article(stored.article, limits)
                found[side] = stored.article
            return found

        try:
            articles = await corpus_call(request, stored_pair)
            cmp = await in_worker(request, "compare", articles["a"], articles["b"])
        except CorpusError as exc:
            return templates.TemplateResponse(request, "corpus_error.html.j2", {"error": exc}, status_code=404)
        except CrosswireError as exc:
            return compare_error(request, _compare_context(error=exc), exc)
        texts = {side: article.text for side, article in articles.items()}
        langs = {side: article.lang for side, article in articles.items()}
        context = _compare_context(texts, langs, cmp=cmp, stored={"a": a, "b": b})
        return templates.TemplateResponse(request, "compare.html.j2", context)

    @app.post("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_page(
        request: Request,
        text_a: Annotated[str, Form()] = "",
        text_b: Annotated[str, Form()] = "",
        lang_a: Annotated[str, Form()] = "",
        lang_b: Annotated[str, Form()] = "",
        file_a: Annotated[UploadFile | None, File()] = None,
        file_b: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        texts = {"a": text_a, "b": text_b}
        langs = {"a": lang_a.strip() or None, "b": lang_b.strip() or None}
        uploads = {"a": file_a, "b": file_b}
        sides = {}
        for side in SIDES:
            upload = uploads[side]
            if upload is not None and upload.filename:
                source = upload_label(upload.filename, f"upload {side.upper()}")
                sides[side] = ArticleInput(source, langs[side], data=await upload.read())
            else:
                sides[side] = ArticleInput(f"pasted text {side.upper()}", langs[side], text=texts[side])
        try:
            check_input_size(sides, limits)
            cmp = await in_worker(request, "compare", sides["a"], sides["b"])
        except CrosswireError as exc:
            return compare_error(request, _compare_context(texts, langs, error=exc), exc)
        texts = {"a": cmp.a.article.text, "b": cmp.b.article.text}
        return templates.TemplateResponse(request, "compare.html.j2", _compare_context(texts, langs, cmp=cmp))

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_form(request: Request) -> Response:
        require_corpus(app)
        return templates.TemplateResponse(request, "ingest.html.j2", {"job": None, "error": None})

    @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False)
    async def ingest_page(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
        """Queue an ingest job; its page follows its progress."""
        try:
            job = await submit_ingest(request, files)
        except CrosswireError as exc:
            context = {"job": None, "error": exc}
            return templates.TemplateResponse(
                request, "ingest.html.j2", context, status_code=error_status(exc), headers=retry_headers(exc)
            )
        return RedirectResponse(request.url_for("ingest_job_page", job_id=job["id"]), status_code=303)

    @app.get("/ingest/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def ingest_job_page(request: Request, job_id: str) -> Response:
        require_corpus(app)
        try:
            job = jobs.get(job_id)
        except CrosswireError as exc:
            return templates.TemplateResponse(request, "ingest.html.j2", {"job": None, "error": exc}, status_code=404)
        return templates.TemplateResponse(request, "ingest.html.j2", {"job": job, "error": None})

    @app.post("/ingest/jobs/{job_id}/cancel", response_class=HTMLResponse, include_in_schema=False)
    def cancel_ingest_job_page(request: Request, job_id: str) -> Response:
        """The job page's Cancel button (a form: no script needed); back to the job's page."""
        require_corpus(app)
        try:
            jobs.cancel(job_id)
        except CrosswireError as exc:
            # Finished meanwhile (CW715) or unknown (CW707): the page says so above the job.
            job = jobs.get(job_id) if exc.code == "CW715" else None
            context = {"job": job, "error": exc}
            return templates.TemplateResponse(request, "ingest.html.j2", context, status_code=error_status(exc))
        return RedirectResponse(request.url_for("ingest_job_page", job_id=job_id), status_code=303)

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return templates.TemplateResponse(request, "api_docs.html.j2", {"spec": app.openapi()})

    return app


def _compare_context(
    texts: dict[str, str] | None = None,
    langs: dict[str, str | None] | None = None,
    *,
    cmp: crosswire.Comparison | None = None,
    error: CrosswireError | None = None,
    stored: dict[str, int] | None = None,
) -> dict:
    return {
        "stored": stored,
        "texts": texts or {side: "" for side in SIDES},
        "langs": {side: (langs or {}).get(side) or "" for side in SIDES},
        "error": error,
        "result": comparison_view(cmp) if cmp is not None else None,
    }
