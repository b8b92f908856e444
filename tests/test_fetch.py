"""crosswire.fetch against a local HTTP server on 127.0.0.1 serving tests/fetch_site (no test
touches the internet): robots.txt, rate limit, size cap, redirects, conditional GET, and
every failure as a rejection with a code while the run goes on; `crosswire ingest URL`."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosswire.cli import cli
from crosswire.errors import CODES, CrosswireError
from crosswire.fetch import USER_AGENT, FetchConfig, Fetcher, fetch_articles, load_validators, save_validators
from crosswire.read import Rejected

SITE = Path(__file__).parent / "fetch_site"
ETAG = '"article-v1"'


class _Handler(BaseHTTPRequestHandler):
    robots = "User-agent: *\nDisallow: /private/\n"
    requests: list[tuple[str, dict]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).requests.append((self.path, dict(self.headers)))
        host = self.headers["Host"]
        path = self.path
        if path == "/robots.txt":
            if self.robots is None:
                return self._send(503, b"busy")
            return self._send(200, self.robots.encode(), "text/plain")
        if path == "/article.html":
            if self.headers.get("If-None-Match") == ETAG:
                return self._send(304)
            return self._send(
                200, (SITE / "article.html").read_bytes(), ETag=ETAG, Last_Modified="Mon, 04 Mar 2024 01:00:00 GMT"
            )
        if path in ("/second.html", "/private/secret.html"):
            return self._send(200, (SITE / "second.html").read_bytes())
        if path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"feed-v1"':
                return self._send(304)
            return self._send(
                200,
                (SITE / "feed.xml").read_text("utf-8").replace("HOST", host).encode(),
                "application/rss+xml",
                ETag='"feed-v1"',
            )
        if path == "/image.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        if path == "/big.html":
            return self._send(200, b"<html>" + b"x" * 5000 + b"</html>")
        if path == "/chunked.html":  # no Content-Length: the cap must cut the stream itself
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                chunk = b"<p>" + b"y" * 1000 + b"</p>"
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return None
        if path == "/error.html":
            return self._send(500, b"oops")
        if path == "/loop-a":
            return self._send(302, Location="/loop-b")
        if path == "/loop-b":
            return self._send(302, Location="/loop-a")
        if path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            return self._send(302, Location=f"/hop/{n + 1}")
        if path == "/moved":
            return self._send(301, Location="/article.html")
        if path == "/slow.html":
            threading.Event().wait(2)
            return self._send(200, b"<html></html>")
        return self._send(404, b"not found")


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def fetcher():
    with Fetcher(FetchConfig(min_interval_s=0.0, max_bytes=4000, timeout_s=0.5)) as f:
        yield f


def _code(call) -> str:
    with pytest.raises(CrosswireError) as caught:
        call()
    return caught.value.code


def test_a_page_is_fetched_with_a_clear_user_agent_and_read(site, fetcher):
    [article] = list(fetch_articles([f"{site}/article.html"], fetcher))
    assert article.title == "Floods in Jakarta kill 12 people" and "Ciliwung" in article.text
    assert article.url == f"{site}/article.html" and article.lang == "en"
    agents = [h.get("User-Agent") for p, h in _Handler.requests if p == "/article.html"]
    assert agents and all(a == USER_AGENT for a in agents) and "crosswire/" in USER_AGENT


def test_a_feed_gives_each_entry_s_page_and_a_dead_link_is_a_rejection(site, fetcher):
    items = list(fetch_articles([f"{site}/feed.xml"], fetcher))
    articles = [i for i in items if not isinstance(i, Rejected)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert sorted(a.title for a in articles) == [
        "Chess champion wins fifth title in Oslo",
        "Floods in Jakarta kill 12 people",
    ]
    chess = next(a for a in articles if a.title.startswith("Chess"))
    assert chess.published and chess.published.startswith("2024-03-03")  # the feed's date where the page has none
    assert [(r.code, r.source) for r in rejected] == [("CW143", f"{site}/gone.html")]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/missing.html", "CW143"),
        ("/error.html", "CW143"),
        ("/big.html", "CW144"),
        ("/chunked.html", "CW144"),
        ("/image.png", "CW145"),
        ("/loop-a", "CW146"),
        ("/hop/0", "CW147"),
        ("/private/secret.html", "CW149"),
        ("/slow.html", "CW148"),
    ],
)
def test_each_failure_is_a_rejection_with_its_code(site, fetcher, path, code):
    [rejected] = list(fetch_articles([site + path], fetcher))
    assert isinstance(rejected, Rejected) and rejected.code == code and rejected.source == site + path
    assert code in CODES


def test_a_bad_address_does_not_stop_the_run(site, fetcher):
    items = list(fetch_articles([f"{site}/error.html", "ftp://example.com/x", f"{site}/article.html"], fetcher))
    assert [getattr(i, "code", None) for i in items] == ["CW143", "CW140", None]


def test_refused_and_unresolvable_hosts_are_named(fetcher, monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert _code(lambda: fetcher.fetch(f"http://127.0.0.1:{port}/")) == "CW149"  # robots.txt unreachable: not crawled
    real = socket.getaddrinfo

    def no_such_host(host, *args, **kwargs):
        if host == "no-such-host.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(CrosswireError) as caught:
        fetcher._get("http://no-such-host.test/", {}, 1000, "http://no-such-host.test/")
    assert caught.value.code == "CW141"
    with pytest.raises(CrosswireError) as caught:
        fetcher._get(f"http://127.0.0.1:{port}/", {}, 1000, "x")
    assert caught.value.code == "CW142"


def test_a_robots_txt_that_cannot_be_fetched_closes_the_site(site, monkeypatch):
    monkeypatch.setattr(_Handler, "robots", None)
    with Fetcher(FetchConfig(min_interval_s=0.0)) as fetcher:
        assert _code(lambda: fetcher.fetch(f"{site}/article.html")) == "CW149"


def test_a_redirect_is_followed_and_the_final_address_kept(site, fetcher):
    fetched = fetcher.fetch(f"{site}/moved")
    assert fetched.status == 200 and fetched.final_url == f"{site}/article.html"


def test_conditional_get_sends_the_validators_and_a_304_gives_nothing_new(site, fetcher, tmp_path):
    url = f"{site}/article.html"
    first = fetcher.fetch(url)
    assert first.status == 200 and first.etag == ETAG
    second = fetcher.fetch(url)
    assert second.not_modified
    sent = [h for p, h in _Handler.requests if p == "/article.html"][-1]
    assert sent.get("If-None-Match") == ETAG and sent.get("If-Modified-Since") == "Mon, 04 Mar 2024 01:00:00 GMT"
    assert list(fetch_articles([url], fetcher)) == []
    state = tmp_path / "validators.json"
    save_validators(state, fetcher.validators)
    assert load_validators(state)[url]["etag"] == ETAG
    state.write_text("not json")
    assert load_validators(state) == {}


def test_requests_to_one_host_are_spaced_by_the_rate_limit(site):
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with Fetcher(FetchConfig(min_interval_s=2.0), clock=lambda: now[0], sleep=sleep) as fetcher:
        fetcher.fetch(f"{site}/second.html")  # robots.txt, then the page: one wait
        fetcher.fetch(f"{site}/article.html")
    assert slept == [2.0, 2.0]


def test_crosswire_ingest_takes_addresses_next_to_files(site, tmp_path):
    local = tmp_path / "local.txt"
    local.write_text("Local news: the council voted on Tuesday to build a new bridge over the river.", "utf-8")
    db = str(tmp_path / "corpus.db")
    result = CliRunner().invoke(
        cli,
        ["ingest", f"{site}/feed.xml", str(local), f"{site}/error.html", "--db", db, "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # the JSON goes to stdout; the test server may log to stderr
    assert report["ingested"] == 3
    assert sorted((r["code"], r["source"]) for r in report["rejected"]) == [
        ("CW143", f"{site}/error.html"),
        ("CW143", f"{site}/gone.html"),
    ]


def test_poll_fetches_only_what_changed_between_rounds(site, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# the test wire\n{site}/feed.xml\nnot-an-address\n", "utf-8")
    state = tmp_path / "state.json"
    db = str(tmp_path / "corpus.db")
    before = len(_Handler.requests)
    result = CliRunner().invoke(
        cli,
        ["poll", str(feeds), "--db", db, "--rounds", "2", "--every", "0", "--state", str(state), "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["ingested"] == 2 and second["ingested"] == 0
    assert ("CW140", f"{feeds}:3") in {(r["code"], r["source"]) for r in first["rejected"]}
    # The second round asked for the feed with its ETag and got 304: no page was fetched again.
    second_round = [p for p, _ in _Handler.requests[before:]][-1:]
    assert second_round == ["/feed.xml"]
    assert json.loads(state.read_text())[f"{site}/feed.xml"]["etag"] == '"feed-v1"'
