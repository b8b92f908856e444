"""Articles from the web: `crosswire ingest https://...` (pages and RSS/Atom feeds) and `crosswire poll`.

Only on the user's request, and politely (RFC 9309 and HTTP caching):

- robots.txt is read once per host (urllib.robotparser) and honoured for our User-Agent;
  a robots.txt answered with 4xx allows everything, one that cannot be fetched (5xx,
  unreachable) disallows the host for this run, as RFC 9309 says;
- one request per host at a time, at least `min_interval` seconds apart;
- every request has a timeout, a size cap (the body is streamed and cut off) and at most
  `max_redirects` redirects, followed here one by one (a loop is named as one);
- a clear User-Agent (USER_AGENT);
- conditional GET: the ETag and Last-Modified of each address fetched are remembered
  (`Fetcher.validators`, which `crosswire poll` keeps between rounds and saves to a
  file with --state), and a 304 answer is "not modified", not an error.

Every failure is a CrosswireError with a code that names the address (DNS, refused,
timed out, an HTTP error status, too large, not HTML or not a feed, a redirect loop, too
many redirects, disallowed by robots.txt); `fetch_articles` turns them into
read.Rejected and goes on with the next address.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import importlib.metadata
import json
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read import Rejected
from crosswire.read.article import build_article
from crosswire.read.feed import read_feed
from crosswire.read.text import text_from_bytes

if TYPE_CHECKING:
    import httpx


def _user_agent() -> str:
    try:
        version = importlib.metadata.version("crosswire")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"crosswire/{version} (news cross-checking for fact-checkers; +https://pypi.org/project/crosswire/)"


USER_AGENT = _user_agent()
# The name robots.txt rules are matched against.
ROBOTS_AGENT = "crosswire"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_MIN_INTERVAL_S = 1.0
ROBOTS_MAX_BYTES = 512 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
_REDIRECTS = (301, 302, 303, 307, 308)


def is_url(value: str) -> bool:
    """Whether an ingest argument is a web address rather than a path."""
    return value.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchConfig:
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    min_interval_s: float = DEFAULT_MIN_INTERVAL_S  # between two requests to one host
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    final_url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Fetcher:
    """Fetches addresses with the rules in the module docstring; one per run (it holds the
    robots.txt of each host, the time of its last request and the validators)."""

    config: FetchConfig = field(default_factory=FetchConfig)
    validators: dict[str, dict[str, str]] = field(default_factory=dict)  # url -> {"etag", "last_modified"}
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None  # tests only; the default opens real connections

    def __post_init__(self) -> None:
        import httpx  # only a run that fetches pays for loading it

        self._client = httpx.Client(
            timeout=self.config.timeout_s,
            follow_redirects=False,
            transport=self.transport,
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_request: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, *, conditional: bool = True) -> Fetched:
        """GET `url` under the rules above; raises CrosswireError (CW140-CW149) on failure."""
        seen: list[str] = []
        current = _checked_url(url)
        while True:
            self._require_allowed(current, url)
            headers = {}
            known = self.validators.get(current, {}) if conditional else {}
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
            response = self._get(current, headers, self.config.max_bytes, url)
            if response.status in _REDIRECTS:
                seen.append(current)
                target = response.location
                if not target:
                    raise CrosswireError("CW143", url, f"HTTP {response.status} redirect without a Location")
                target = _checked_url(urljoin(current, target), source=url)
                if target in seen:
                    raise CrosswireError("CW146", url, f"redirect loop ({' -> '.join([*seen, target])})")
                if len(seen) > self.config.max_redirects:
                    raise CrosswireError("CW147", url, f"more than {self.config.max_redirects} redirects")
                current = target
                continue
            if response.status == 304:
                return Fetched(url, current, 304, "", b"", known.get("etag"), known.get("last_modified"))
            if response.status >= 400:
                raise CrosswireError("CW143", url, f"HTTP {response.status}")
            fetched = Fetched(
                url,
                current,
                response.status,
                response.content_type,
                response.body,
                response.etag,
                response.last_modified,
            )
            remembered = {k: v for k, v in (("etag", fetched.etag), ("last_modified", fetched.last_modified)) if v}
            if remembered:
                self.validators[url] = self.validators[current] = remembered
            return fetched

    def _require_allowed(self, url: str, source: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin, source)
        robots = self._robots[origin]
        if robots is None:
            raise CrosswireError(
                "CW149", source, f"{origin}/robots.txt could not be fetched, so the site is not crawled"
            )
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise CrosswireError("CW149", source, f"disallowed by {origin}/robots.txt")

    def _read_robots(self, origin: str, source: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt rules; allow-all when it answers 4xx, None when it cannot be had."""
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        current, hops = origin + "/robots.txt", 0
        while True:
            try:
                response = self._get(current, {}, ROBOTS_MAX_BYTES, source)
            except CrosswireError as exc:
                if exc.code == "CW144":  # too long: RFC 9309 lets a crawler read the first 500 KiB
                    break
                return None
            if response.status in _REDIRECTS and response.location and hops < DEFAULT_MAX_REDIRECTS:
                current, hops = urljoin(current, response.location), hops + 1
                continue
            if 400 <= response.status < 500:
                robots.parse([])
                return robots
            if response.status >= 300:
                return None
            robots.parse(response.body.decode("utf-8", "replace").splitlines())
            return robots
        robots.parse([])
        return robots

    def _get(self, url: str, headers: dict[str, str], max_bytes: int, source: str) -> _Response:
        import httpx

        host = urlsplit(url).netloc
        wait = self._last_request.get(host, -1e18) + self.config.min_interval_s - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last_request[host] = self.clock()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise CrosswireError(
                        "CW144", source, f"the answer is {int(declared):,} bytes, over the {max_bytes:,}-byte limit"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise CrosswireError("CW144", source, f"the answer is over the {max_bytes:,}-byte limit")
                return _Response(
                    response.status_code,
                    response.headers.get("Location"),
                    response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                    bytes(body),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except httpx.TimeoutException:
            raise CrosswireError("CW148", source, f"no answer from {host} within {self.config.timeout_s:g} s") from None
        except httpx.ConnectError as exc:
            if _is_dns_failure(exc):
                raise CrosswireError(
                    "CW141", source, f"the host name {urlsplit(url).hostname} could not be resolved"
                ) from None
            raise CrosswireError("CW142", source, f"could not connect to {host} ({exc})") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise CrosswireError(
                "CW142", source, f"the connection to {host} failed ({type(exc).__name__}: {exc})"
            ) from None


@dataclass(frozen=True)
class _Response:
    status: int
    location: str | None
    content_type: str
    body: bytes
    etag: str | None
    last_modified: str | None


def _is_dns_failure(error: BaseException) -> bool:
    seen = error
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    text = str(error).lower()
    return "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text


def _checked_url(url: str, source: str | None = None) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CrosswireError("CW140", source or url, "not an http(s) address")
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _is_feed(fetched: Fetched) -> bool:
    if fetched.content_type in _FEED_TYPES:
        return True
    return fetched.body.lstrip()[:200].lower().startswith(_FEED_ROOTS) or b"<rss" in fetched.body[:400].lower()


def page_article(
    fetched: Fetched, published: str | None = None, title: str | None = None, outlet: str | None = None
) -> Article:
    """The article of a fetched HTML page; CW145 for an answer that is not HTML."""
    if fetched.content_type not in _HTML_TYPES:
        raise CrosswireError(
            "CW145", fetched.url, f"not an HTML page (Content-Type {fetched.content_type or 'missing'})"
        )
    text, encoding = text_from_bytes(fetched.body, fetched.url)
    meta = {"encoding": encoding, "fetched_url": fetched.final_url}
    article = build_article(
        text,
        fetched.url,
        is_html=True,
        lang=None,
        meta=meta,
        url=fetched.final_url,
        title=title,
        outlet=outlet,
        published=published,
    )
    return article


def fetch_articles(urls: Iterable[str], fetcher: Fetcher) -> Iterator[Article | Rejected]:
    """The article of each page address, and of each entry of each feed address (its page
    fetched, with the feed's title, date and outlet where the page has none); an address
    that gives nothing is a Rejected with its code, and the rest goes on. A feed or page
    answered 304 (not modified since the last fetch) gives nothing."""
    for url in urls:
        try:
            fetched = fetcher.fetch(url)
            if fetched.not_modified:
                continue
            if not _is_feed(fetched):
                yield page_article(fetched)
                continue
            linked, unlinked = _feed_links(fetched.body, url)
        except CrosswireError as exc:
            yield Rejected.from_error(exc)
            continue
        for link in linked:
            try:
                page = fetcher.fetch(link.url, conditional=False)
                yield page_article(page, published=link.published, title=link.title, outlet=link.outlet)
            except CrosswireError as exc:
                yield Rejected.from_error(exc)
        if unlinked:
            # Entries without a page of their own: their text in the feed is the article.
            for entry in read_feed(fetched.body, url):
                if isinstance(entry, CrosswireError):
                    yield Rejected.from_error(entry)
                elif not (entry.url and is_url(entry.url)):
                    yield entry


@dataclass(frozen=True)
class _FeedLink:
    url: str
    title: str | None
    published: str | None
    outlet: str | None


def _feed_links(body: bytes, source: str) -> tuple[list[_FeedLink], bool]:
    """The entries of a feed that link to a page, and whether any does not; CW110 for no feed."""
    import feedparser

    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # noqa: BLE001  (feedparser's parsers on untrusted markup: see read.feed)
        raise CrosswireError("CW110", source, f"not a readable RSS/Atom feed ({type(exc).__name__})") from None
    if not parsed.get("entries"):
        raise CrosswireError("CW110", source, "not an RSS/Atom feed, or one without entries")
    outlet = parsed.get("feed", {}).get("title") or None
    links, unlinked = [], False
    for entry in parsed.entries:
        link = urljoin(source, entry.get("link") or "")
        if not entry.get("link") or not is_url(link):
            unlinked = True
            continue
        parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.datetime(*parsed_time[:6], tzinfo=dt.timezone.utc).isoformat() if parsed_time else None
        links.append(_FeedLink(link, entry.get("title") or None, published, outlet))
    return links, unlinked


def load_validators(path: Path) -> dict[str, dict[str, str]]:
    """Validators saved by save_validators; empty when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, dict)} if isinstance(data, dict) else {}
    )


def save_validators(path: Path, validators: dict[str, dict[str, str]]) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(validators, indent=1, sort_keys=True), "utf-8")
    partial.replace(path)


# The Fetcher that ingest's web addresses use when one is set (see shared_fetcher).
_shared: contextvars.ContextVar[Fetcher | None] = contextvars.ContextVar("crosswire_fetcher", default=None)


@contextlib.contextmanager
def shared_fetcher(fetcher: Fetcher) -> Iterator[Fetcher]:
    """Make ingest fetch with `fetcher` (`crosswire poll`: its validators and rate limits last
    from one round to the next)."""
    token = _shared.set(fetcher)
    try:
        yield fetcher
    finally:
        _shared.reset(token)


@contextlib.contextmanager
def web_reader(config: FetchConfig | None = None) -> Iterator[Callable[[str], Iterator[Article | Rejected]]]:
    """For ingest: a reader of web addresses (fetch_articles), whose Fetcher (and its
    connections, robots.txt and rate limits) is opened at the first address and shared by all,
    or the one shared_fetcher set."""
    opened: list[Fetcher] = []
    given = _shared.get()

    def read(url: str) -> Iterator[Article | Rejected]:
        if given is not None:
            return fetch_articles([url], given)
        if not opened:
            opened.append(Fetcher(config or FetchConfig()))
        return fetch_articles([url], opened[0])

    try:
        yield read
    finally:
        for fetcher in opened:
            fetcher.close()
