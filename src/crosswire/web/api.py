"""The JSON API under /api/: the same JSON as the CLI's --json, over HTTP.

Errors the library raises (CrosswireError) come back as
`{"error": {"code": "CW102", "source": "a", "detail": "...", "message": "CW102 a: ..."}}`
with 422 for unusable input, 413 for input over a size limit and 500 for a server
setup problem (encoder not installed); malformed requests get FastAPI's 422
`{"detail": [...]}`.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

import crosswire
from crosswire.errors import CrosswireError
from crosswire.model import SCHEMA_ID
from crosswire.schemas import load_schema
from crosswire.store import Store
from crosswire.web.inputs import article_from_text, upload_label
from crosswire.web.uploads import ingest_upload

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
    code: str = Field(examples=["CW102"])
    source: str = Field(examples=["a"])
    detail: str
    message: str = Field(examples=["CW102 a: the input is empty or only whitespace"])


class ErrorResponse(BaseModel):
    error: ErrorBody


class Info(BaseModel):
    version: str
    encoder: str = Field(description="The sentence encoder every comparison uses.")
    comparison_schema: str = Field(examples=[SCHEMA_ID])
    store: bool = Field(description="Whether a corpus database is open.")


def error_status(error: CrosswireError) -> int:
    """The HTTP status for a library error: the client's input, or the server's setup."""
    if error.code == "CW105":
        return 413
    if error.code.startswith(("CW1", "CW3")):
        return 422
    return 500


def require_store(app: FastAPI) -> Store:
    """The app's corpus store; 404 when it serves without one."""
    if app.state.store is None:
        raise HTTPException(404, "no corpus database is open: start the server with crosswire serve --db FILE")
    return app.state.store


def error_response(error: CrosswireError) -> JSONResponse:
    body = {"code": error.code, "source": error.source, "detail": error.detail, "message": str(error)}
    return JSONResponse({"error": body}, status_code=error_status(error))


ERROR_RESPONSES = {
    413: {"model": ErrorResponse, "description": "Input over a size limit (CW105), or a request body over the upload cap."},
    422: {"model": ErrorResponse, "description": "Unusable input (CW1xx, CW301), or a malformed request."},
    500: {"model": ErrorResponse, "description": "Server setup problem, e.g. the encoder is not installed (CW2xx)."},
}


@router.get("/info", response_model=Info)
def info(request: Request) -> Info:
    """The crosswire version, the encoder in use and whether a corpus is open."""
    state = request.app.state
    return Info(
        version=crosswire.__version__, encoder=state.encoder, comparison_schema=SCHEMA_ID, store=state.store is not None
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
def compare(body: CompareRequest, request: Request) -> JSONResponse:
    """Compare article a with article b: linked sentences, differences, what only one says, who says so."""
    try:
        articles = [
            article_from_text(
                side.text, name, side.lang, title=side.title, url=side.url, outlet=side.outlet, published=side.published
            )
            for name, side in (("a", body.a), ("b", body.b))
        ]
        cmp = crosswire.compare(*articles, encoder=request.app.state.encoder)
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


@router.post(
    "/ingest",
    responses={
        200: {
            "description": "One `crosswire.ingest/1` summary per uploaded file, in upload order, each with the "
            "file's `name`; unusable files, lines and records are listed under `rejected` with their code.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"description": "The server runs without a corpus database (`crosswire serve` without --db)."},
        413: {"description": "The request body is over the upload cap."},
    },
)
def ingest(files: Annotated[list[UploadFile], File()], request: Request) -> dict:
    """Store the articles of uploaded files (txt, HTML, JSONL, RSS/Atom, WARC) in the corpus."""
    store = require_store(request.app)
    encoder = request.app.state.encoder
    results = [
        ingest_upload(upload.file.read(), upload_label(upload.filename, f"file {n}"), store, encoder)
        for n, upload in enumerate(files, start=1)
    ]
    return {"files": [result.to_dict() for result in results]}
