"""DNS rebinding against a real server bound to every address (`crosswire serve --host
0.0.0.0`): a page on a hostile domain re-pointed at the server sends its own domain as
the Host header, and must be refused before it reaches the corpus."""

from __future__ import annotations

import http.client
import json

from live_server import live_server
from test_corpus_api import sample_corpus

from crosswire.web import create_app, serve_hosts


def post_merge(port: int, host_header: str, into: str, other: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"into": into, "other": other})
    connection.request(
        "POST",
        "/api/stories/merge",
        body=body,
        headers={"Host": host_header, "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"},
    )
    response = connection.getresponse()
    found = response.status, json.loads(response.read())
    connection.close()
    return found


def test_a_rebound_host_cannot_merge_stories_on_a_wildcard_bind(tmp_path):
    corpus = sample_corpus(tmp_path)
    before = len(corpus.stories())
    into, other = (s.id for s in corpus.stories()[:2])
    try:
        with live_server(create_app(corpus, allowed_hosts=serve_hosts("0.0.0.0")), host="0.0.0.0") as port:
            status, body = post_merge(port, f"rebind.evil.example:{port}", into, other)
            assert status == 400 and body["error"]["code"] == "CW708"
            assert len(corpus.stories()) == before  # nothing merged
            # The same request naming the server as allowed does merge: the refusal was the Host check.
            status, body = post_merge(port, f"localhost:{port}", into, other)
            assert status == 200 and len(corpus.stories()) == before - 1
    finally:
        corpus.close()
