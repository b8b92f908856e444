"""Revisions: ingesting a known address whose text changed stores a new version (the old
one kept), and `crosswire history URL` says what changed and whether the edit was silent.
A local HTTP server on 127.0.0.1 serves the page; nothing touches the internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from crosswire import Corpus
from crosswire.cli import cli

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Floods in Jakarta</title></head>
<body><article><h1>Floods in Jakarta</h1>{paragraphs}</article></body></html>"""
VERSION_1 = [
    "Heavy rain flooded large parts of Jakarta on Monday, killing 12 people and forcing 3,500 residents from their homes.",
    "The Ciliwung river burst its banks after two days of rain, and water levels were still rising in the east of the city.",
    "Governor Anies Baswedan said emergency shelters had been opened in five districts across the capital.",
    "Schools across the city will stay closed until Wednesday, the education office said in a statement.",
]
# A number changed and a sentence dropped, with no note: a silent edit.
VERSION_2 = [VERSION_1[0].replace("12 people", "17 people"), VERSION_1[1], VERSION_1[2]]
# Then a note of the correction is added.
VERSION_3 = [*VERSION_2, "Correction: an earlier version of this article gave the wrong number of victims."]


class _Page(BaseHTTPRequestHandler):
    paragraphs: list[str] = VERSION_1

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        else:
            body = PAGE.format(paragraphs="".join(f"<p>{p}</p>" for p in type(self).paragraphs)).encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def page_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jakarta-floods.html"
    server.shutdown()
    server.server_close()


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_a_changed_page_is_a_new_version_and_history_names_the_changes(page_url, tmp_path, monkeypatch):
    db = str(tmp_path / "corpus.db")
    monkeypatch.setattr(_Page, "paragraphs", VERSION_1)
    run("ingest", page_url, "--db", db)
    assert "1 version" in run("history", page_url, "--db", db)
    monkeypatch.setattr(_Page, "paragraphs", VERSION_2)
    run("ingest", page_url, "--db", db)
    data = json.loads(run("history", page_url, "--db", db, "--json"))
    assert data["schema"] == "crosswire.history/1" and len(data["versions"]) == 2
    with Corpus(db) as corpus:  # the old version is kept
        assert all(corpus.store.article(v["article"]) for v in data["versions"])
    [revision] = data["revisions"]
    assert revision["silent"] is True and revision["added"] == []
    assert any("Schools across the city" in s for s in revision["dropped"])
    [changed] = revision["changed"]
    numbers = [d for d in changed["differences"] if d["kind"] == "number"]
    assert numbers and numbers[0]["a"]["text"] == "12" and numbers[0]["b"]["text"] == "17"

    monkeypatch.setattr(_Page, "paragraphs", VERSION_3)
    run("ingest", page_url, "--db", db)
    data = json.loads(run("history", page_url, "--db", db, "--json"))
    assert [r["silent"] for r in data["revisions"]] == [True, False]
    assert data["revisions"][1]["added"][0].startswith("Correction:")
    out = run("history", page_url, "--db", db)
    assert "silent edit" in out and "number: 12 → 17" in out


def test_an_address_never_read_is_named(tmp_path, page_url):
    db = str(tmp_path / "corpus.db")
    run("ingest", page_url, "--db", db)
    assert "nothing was read from this address" in run("history", "https://example.org/none", "--db", db, code=2)
