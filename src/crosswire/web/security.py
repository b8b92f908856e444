"""What every response and every request body goes through, as plain ASGI middleware.

Article text and metadata are hostile input. Templates escape them (autoescape, no
`|safe`); these layers make a mistake there harmless and keep other sites out:

- `SecurityHeaders`: a strict Content-Security-Policy (scripts only from /static, no
  inline script, no eval, no plugins, no framing) and related headers on every response,
  error responses included;
- `AllowedHosts`: a request must name the server by one of the allowed host names
  (Host header), whatever address the server listens on, so that a web page whose
  domain is re-pointed at this server (DNS rebinding) cannot use it;
- `RequestLimits`: a request that carries a body must declare its length
  (Content-Length) and stay under the upload cap, and must not come from another site
  (a page elsewhere posting a form to this local server).

Refusals carry a crosswire error code (CW7xx): JSON under /api/, plain text elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
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


logger = logging.getLogger("crosswire.web")


class SecurityHeaders:
    """The headers on every response. An exception that escapes the app is answered here
    (500, CW712), because Starlette's own error page is sent outside every middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k not in _SECURITY_HEADER_NAMES]
                message = {**message, "headers": headers + list(SECURITY_HEADERS)}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            logger.exception("internal error on %s %s", scope["method"], scope["path"])
            api = scope["path"].startswith("/api/")
            response = _error(api, 500, "CW712", "internal server error: the server's log has the details")
            await response(scope, receive, send_with_headers)


def _host_name(host_header: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` -> `[::1]`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class AllowedHosts:
    """Answers only requests whose Host header names one of `hosts` (any port)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(_host_name(h) for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope["headers"])
            host = _host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.hosts:
                detail = (
                    f"this server does not answer to the host name {host!r}: "
                    "start it with --allowed-hosts naming it (see docs/deploy.md)"
                )
                await _error(scope["path"].startswith("/api/"), 400, "CW708", detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)


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
            return _error(api, 403, "CW711", "cross-site request refused: post from this app's own pages")
        length = headers.get("content-length")
        if length is None and "transfer-encoding" not in headers:
            return None  # no body (RFC 9112, 6.3): a DELETE, or a POST of nothing
        # Without a declared length the cap could only be checked after reading the body.
        if length is None or not length.isdigit():
            return _error(api, 411, "CW710", "a request body needs a Content-Length header")
        if int(length) > self.max_body_bytes:
            detail = f"request body of {int(length):,} bytes is over the {self.max_body_bytes:,}-byte limit"
            return _error(api, 413, "CW709", detail)
        return None


def _foreign_origin(headers: dict[str, str]) -> bool:
    """An Origin header that names another host than the one the request was sent to."""
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":  # sandboxed frames, file: pages
        return True
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


def _error(api: bool, status: int, code: str, detail: str) -> Response:
    """A refusal in the API's error shape (web.api.error_response), or as plain text for pages."""
    message = f"{code} request: {detail}"
    if api:
        body = {"error": {"code": code, "source": "request", "detail": detail, "message": message}}
        return JSONResponse(body, status_code=status)
    return PlainTextResponse(message, status_code=status)
