"""The corpus pages: stories (list, filters, search), a story, its sources, an article,
and the merge and split forms.

Each page makes Corpus calls (crosswire.corpus), in turn with the app's other corpus
calls, and hands the results to a template through the view models in web.views. The
pages that compare or segment whole articles (a story, its sources, an article) are
built in a worker process under the limits of web.workers. GET
pages only read (a story view caches its comparisons, derived data); merge and split
are POST forms, refused from other sites like every POST (web.security), and answer
with a redirect to the story they leave.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosswire.corpus import Corpus, CorpusError
from crosswire.errors import CrosswireError
from crosswire.web.api import (
    corpus_error_status,
    corpus_location,
    date_parameter,
    error_status,
    in_worker,
    retry_headers,
    with_corpus,
)
from crosswire.web.views import article_view, sources_graph_svg, story_view

router = APIRouter(include_in_schema=False)

STORIES_PER_PAGE = 50
SEARCH_RESULTS = 20


def story_path(request: Request, route: str, story_id: str) -> str:
    """A story route's URL; story ids may hold a `#` ("17#2"), which must travel encoded."""
    return str(request.url_for(route, story_id=quote(story_id, safe="")))


def _page(request: Request, template: str, context: dict, status_code: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _error_page(request: Request, error: CrosswireError | CorpusError) -> Response:
    status = corpus_error_status(error) if isinstance(error, CorpusError) else error_status(error)
    return request.app.state.templates.TemplateResponse(
        request, "corpus_error.html.j2", {"error": error}, status_code=status, headers=retry_headers(error)
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request,
    lang: str = "",
    outlet: str = "",
    since: str = "",
    until: str = "",
    q: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    filters = {
        "lang": lang.strip(),
        "outlet": outlet.strip(),
        "since": since.strip(),
        "until": until.strip(),
        "q": q.strip(),
    }

    def call(corpus: Corpus) -> dict:
        if filters["q"]:
            return {"search": corpus.search(filters["q"], SEARCH_RESULTS)}
        chosen = {
            "lang": filters["lang"] or None,
            "outlet": filters["outlet"] or None,
            "since": date_parameter(filters["since"], "since"),
            "until": date_parameter(filters["until"], "until"),
        }
        shown = corpus.stories(**chosen, limit=STORIES_PER_PAGE, offset=(page - 1) * STORIES_PER_PAGE)
        return {"stories": shown, "counts": corpus.story_counts(**chosen)}

    try:
        found = with_corpus(request.app, call)
    except (CrosswireError, CorpusError) as exc:
        return _page(
            request, "stories.html.j2", {"filters": filters, "error": exc, "search": None, "listing": None}, 422
        )
    listing = None
    if "stories" in found:
        pages = max(1, -(-found["counts"].stories // STORIES_PER_PAGE))
        # glance: the counts at a glance (StoryCounts) over every page
        listing = {"stories": found["stories"], "glance": found["counts"], "page": page, "pages": pages}
    context = {"filters": filters, "error": None, "search": found.get("search"), "listing": listing}
    return _page(request, "stories.html.j2", context)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(story_id: str, request: Request) -> Response:
    try:
        view = await in_worker(request, "story", corpus_location(request), story_id)
    except CrosswireError as exc:
        return _error_page(request, exc)
    return _page(request, "story.html.j2", {"story": story_view(view)})


@router.get("/stories/{story_id}/sources", response_class=HTMLResponse)
async def story_sources_page(story_id: str, request: Request) -> Response:
    """The provenance graph of the story's articles (near-duplicates are no sources)."""
    try:
        views = await in_worker(request, "story_sources", corpus_location(request), story_id)
    except CrosswireError as exc:
        return _error_page(request, exc)
    docs = {v.id: v.document for v in views}
    labels = {v.id: f"{v.id} · {v.stored.article.outlet or v.stored.article.lang}" for v in views}
    known = {v.id: v.sources for v in views}
    found = {"graph": sources_graph_svg(docs, labels, known), "articles": [article_view(v) for v in views]}
    return _page(request, "story_sources.html.j2", {"story_id": story_id, **found})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(article_id: int, request: Request) -> Response:
    """An article; one longer than the comparison limit is shown up to it (its beginning)."""
    try:
        view, length = await in_worker(request, "article", corpus_location(request), article_id, False)
    except CrosswireError as exc:
        return _error_page(request, exc)
    shown = len(view.stored.article.text)
    return _page(
        request, "article.html.j2", {"article": article_view(view), "cut": (shown, length) if shown < length else None}
    )


@router.post("/stories/{story_id}/merge", response_class=HTMLResponse)
def merge_form(story_id: str, request: Request, other: Annotated[str, Form()]) -> Response:
    try:
        with_corpus(request.app, lambda corpus: corpus.merge(story_id, other.strip()))
    except (CrosswireError, CorpusError) as exc:
        return _error_page(request, exc)
    return RedirectResponse(story_path(request, "story_page", story_id), status_code=303)


@router.post("/stories/{story_id}/split", response_class=HTMLResponse)
def split_form(story_id: str, request: Request, articles: Annotated[list[int], Form()]) -> Response:
    try:
        _left, new = with_corpus(request.app, lambda corpus: corpus.split(story_id, articles))
    except (CrosswireError, CorpusError) as exc:
        return _error_page(request, exc)
    return RedirectResponse(story_path(request, "story_page", new.id), status_code=303)
