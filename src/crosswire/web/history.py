"""An article's history in the web app: GET /history?url=ADDRESS, what `crosswire history URL`
shows (crosswire.history): its stored versions and what changed between each and the next,
each with the correction note it added, or "no correction note found". Made in the app's
worker pool, like a story page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from crosswire.errors import CrosswireError
from crosswire.render._common import describe
from crosswire.web.api import corpus_error_status, corpus_location, error_status, in_worker

router = APIRouter(include_in_schema=False)


@router.get("/history", response_class=HTMLResponse, name="history_page")
async def history_page(request: Request, url: str = "") -> Response:
    templates = request.app.state.templates
    if not url.strip():
        error = CrosswireError("CW140", "url", "give the address of an article: /history?url=https://...")
        return templates.TemplateResponse(request, "corpus_error.html.j2", {"error": error}, status_code=422)
    try:
        found = await in_worker(request, "history", corpus_location(request), url.strip())
    except CrosswireError as exc:
        status = corpus_error_status(exc) if exc.code in ("CW404", "CW405") else error_status(exc)
        return templates.TemplateResponse(request, "corpus_error.html.j2", {"error": exc}, status_code=status)
    revisions = [
        {
            "before": r.before,
            "after": r.after,
            "note": r.note,
            "added": r.added,
            "dropped": r.dropped,
            "changed": [
                {"before": c.before, "after": c.after, "differences": [describe(d) for d in c.differences]}
                for c in r.changed
            ],
        }
        for r in found.revisions
    ]
    versions = [v.to_dict() for v in found.versions]
    return templates.TemplateResponse(
        request, "history.html.j2", {"address": found.address, "versions": versions, "revisions": revisions}
    )
