"""What every response and every request body goes through, as plain ASGI middleware.

Article text and metadata are hostile input. Templates escape them (autoescape, no
`|safe`); these layers make a mistake there harmless and keep other sites out:

- `SecurityHeaders`: a strict Content-Security-Policy (scripts only from /static, no
  inline script, no eval, no plugins, no framing) and related headers on every response,
  error responses included;
- `RequestLimits`: a request that carries a body must declare its length
  (Content-Length) and stay under the upload cap, and must not come from another site
  (a page elsewhere posting a form to this local server).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the
    # app's own form posts, which the cross-site check must refuse.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)
_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k not in _SECURITY_HEADER_NAMES]
                message = {**message, "headers": headers + list(SECURITY_HEADERS)}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestLimits:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODYLESS_METHODS:
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            await refusal(scope, receive, send)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        api = scope["path"].startswith("/api/")
        if headers.get("sec-fetch-site") in ("cross-site", "same-site") or _foreign_origin(headers):
            return _error(api, 403, "cross-site request refused: post from this app's own pages")
        length = headers.get("content-length")
        # Without a declared length the cap could only be checked after reading the body.
        if length is None or not length.isdigit():
            return _error(api, 411, "a request body needs a Content-Length header")
        if int(length) > self.max_body_bytes:
            return _error(api, 413, f"request body of {int(length):,} bytes is over the {self.max_body_bytes:,}-byte limit")
        return None


def _foreign_origin(headers: dict[str, str]) -> bool:
    """An Origin header that names another host than the one the request was sent to."""
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":  # sandboxed frames, file: pages
        return True
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


def _error(api: bool, status: int, detail: str) -> Response:
    if api:
        return JSONResponse({"detail": detail}, status_code=status)
    return PlainTextResponse(detail, status_code=status)
