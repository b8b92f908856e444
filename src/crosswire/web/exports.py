"""Downloads of a story for a fact-check: the claim matrix as CSV, a self-contained HTML
report and schema.org Claim JSON-LD (crosswire.render.exports), as `crosswire export` writes them.

    GET /stories/{id}/export.csv | export.html | export.jsonld

Each answers as an attachment named after the story; an unknown story is a 404 with the
corpus error, like the story page.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crosswire.errors import CrosswireError
from crosswire.render.exports import claim_matrix_csv, claims_jsonld
from crosswire.render.story_report import story_report_html
from crosswire.web.api import corpus_location, error_response, in_worker

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
}


def _filename(story_id: str, fmt: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", story_id).strip("-") or "story"
    return f"crosswire-story-{safe}.{fmt}"


@router.get("/stories/{story_id}/export.{fmt}", name="story_export")
async def story_export_download(story_id: str, fmt: str, request: Request) -> Response:
    if fmt not in MEDIA_TYPES:
        unknown = error_response(CrosswireError("CW801", fmt, "no such export format (csv, html or jsonld)"))
        unknown.status_code = 404
        return unknown
    try:
        # In the app's worker pool, under the story page's limits, as the story page is made.
        found = await in_worker(request, "story_export", corpus_location(request), story_id)
    except CrosswireError as exc:
        return error_response(exc)
    if fmt == "csv":
        body = claim_matrix_csv(found)
    elif fmt == "html":
        body = story_report_html(found)
    else:
        body = json.dumps(claims_jsonld(found), ensure_ascii=False, indent=2)
    headers = {"Content-Disposition": f'attachment; filename="{_filename(story_id, fmt)}"'}
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
