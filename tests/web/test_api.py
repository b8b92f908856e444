"""The JSON API under /api/: every endpoint, its errors, and the limits every request meets."""

from __future__ import annotations

import jsonschema
import pytest
from fastapi.testclient import TestClient
from web_samples import BASE_URL, HOSTILE_TEXT

import crosswire
from crosswire.model import SCHEMA_ID
from crosswire.schemas import load_schema
from crosswire.web import create_app, serve_hosts
from crosswire.web.security import CSP


@pytest.fixture(scope="module")
def seed_response(client, seed_texts):
    en, id_ = seed_texts
    return client.post("/api/compare", json={"a": {"text": en}, "b": {"text": id_}})


def test_info_names_version_encoder_and_schema(client):
    response = client.get("/api/info")
    assert response.status_code == 200
    assert response.json() == {
        "version": crosswire.__version__,
        "encoder": "use-m",
        "comparison_schema": SCHEMA_ID,
        "store": False,
        "limits": {
            "max_input_chars": 1_000_000,
            "max_chars": 150_000,
            "max_sentences": 1_000,
            "max_story_articles": 100,
            "timeout_s": 60.0,
            "wait_s": 60.0,
            "workers": 2,
            "waiting": 4,
            "max_upload_bytes": 16 * 1024 * 1024,
        },
    }


def test_compare_returns_the_cli_json_for_the_seed_pair(seed_response, seed_texts):
    assert seed_response.status_code == 200
    body = seed_response.json()
    jsonschema.validate(body, load_schema("comparison-1"))
    en, id_ = seed_texts
    library = crosswire.compare(crosswire.read_string(en, source="a"), crosswire.read_string(id_, source="b")).to_dict()
    assert body == library
    assert body["schema"] == SCHEMA_ID
    variants = {
        (d["a"]["text"], d["b"]["text"])
        for link in body["links"]
        for d in link["differences"]
        if d["kind"] == "name_variant"
    }
    assert ("Mavix2", "Mavic 2") in variants


def test_compare_keeps_given_metadata_as_data(client):
    article = {
        "text": HOSTILE_TEXT,
        "lang": "en",
        "title": "<b>Blast</b>",
        "url": "javascript:alert(1)",
        "outlet": "Daily <i>Example</i>",
        "published": "2024-03-04",
    }
    response = client.post(
        "/api/compare", json={"a": article, "b": {"text": HOSTILE_TEXT.replace("12", "15"), "lang": "en"}}
    )
    assert response.status_code == 200
    a = response.json()["a"]
    assert (a["title"], a["url"], a["published"], a["lang"]) == (
        "<b>Blast</b>",
        "javascript:alert(1)",
        "2024-03-04",
        "en",
    )
    assert a["sentences"][0]["text"].startswith("Breaking: <script>alert('script')</script>")
    numbers = [d for link in response.json()["links"] for d in link["differences"] if d["kind"] == "number"]
    assert [(d["a"]["text"], d["b"]["text"]) for d in numbers] == [("12", "15")]


@pytest.mark.parametrize(
    ("a", "b", "code", "source"),
    [
        ({"text": ""}, {"text": "Some text here."}, "CW102", "a"),
        ({"text": "Officials said twelve people were hurt.", "lang": "en"}, {"text": "  \n "}, "CW102", "b"),
        ({"text": "Officials said twelve people were hurt.", "lang": "xx-nope"}, {"text": "x"}, "CW108", "a"),
        ({"text": "a b c"}, {"text": "Officials said twelve people were hurt.", "lang": "en"}, "CW107", "a"),
        ({"text": "Baca Juga: apa saja", "lang": "id"}, {"text": "Officials said it.", "lang": "en"}, "CW301", "a"),
    ],
)
def test_compare_reports_unusable_input_with_its_code(client, a, b, code, source):
    response = client.post("/api/compare", json={"a": a, "b": b})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["source"]) == (code, source)
    assert error["message"] == f"{code} {source}: {error['detail']}"


@pytest.mark.parametrize(
    "body",
    [
        {"a": {"text": "x"}},  # no b
        {"a": {"text": "x"}, "b": {"text": "y", "colour": "red"}},  # unknown field
        {"a": {"text": 3}, "b": {"text": "y"}},  # text of the wrong type
        [],
    ],
)
def test_compare_rejects_malformed_requests(client, body):
    response = client.post("/api/compare", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_compare_refuses_a_form_body(client):
    # A JSON API that also took form posts could be driven by any web page's <form>.
    response = client.post("/api/compare", data={"a": "x", "b": "y"})
    assert response.status_code == 422


def test_compare_is_post_only(client):
    assert client.get("/api/compare").status_code == 405


def test_server_setup_errors_are_500_with_their_code():
    client = TestClient(create_app(encoder="no-such-encoder"), base_url=BASE_URL)
    response = client.post(
        "/api/compare", json={"a": {"text": "One.", "lang": "en"}, "b": {"text": "Two.", "lang": "en"}}
    )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "CW201"


def test_request_body_over_the_cap_is_refused_before_reading():
    client = TestClient(create_app(max_upload_bytes=1000), base_url=BASE_URL)
    response = client.post("/api/compare", json={"a": {"text": "x" * 2000}, "b": {"text": "y"}})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "CW709" and "1,000-byte limit" in error["detail"]


def test_request_body_without_a_length_is_refused(client):
    response = client.post(
        "/api/compare",
        content=iter([b'{"a": {"text": "x"}, "b": {"text": "y"}}']),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "CW710"


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"origin": "null"}, {"sec-fetch-site": "cross-site"}],
)
def test_cross_site_posts_are_refused(client, headers):
    response = client.post("/api/compare", json={"a": {"text": "x"}, "b": {"text": "y"}}, headers=headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CW711"


def test_same_origin_posts_are_accepted(client):
    response = client.post(
        "/api/compare",
        json={"a": {"text": ""}, "b": {"text": "y"}},
        headers={"origin": BASE_URL, "sec-fetch-site": "same-origin"},
    )
    assert response.status_code == 422  # reached the library, which refused the empty text


def test_unknown_host_names_are_refused(client):
    # A hostile domain re-pointed at 127.0.0.1 (DNS rebinding) arrives with its own Host header.
    response = client.get("/api/info", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "CW708"
    assert response.headers["content-security-policy"] == CSP
    page = client.get("/compare", headers={"host": "evil.example:8000"})
    assert page.status_code == 400 and page.text.startswith("CW708")


def test_hosts_the_app_is_given_are_answered_on_any_port():
    client = TestClient(create_app(allowed_hosts=["crosswire.lan"]), base_url="http://crosswire.lan:8123")
    assert client.get("/api/info").status_code == 200
    assert client.get("/api/info", headers={"host": "crosswire.lan.evil.example"}).status_code == 400


@pytest.mark.parametrize(
    ("bind", "extra", "hosts"),
    [
        ("127.0.0.1", "", ("127.0.0.1", "localhost", "[::1]")),
        ("0.0.0.0", "", ("127.0.0.1", "localhost", "[::1]")),
        ("::", "", ("127.0.0.1", "localhost", "[::1]")),
        (
            "192.168.1.5",
            "crosswire.lan, news.example ",
            ("127.0.0.1", "localhost", "[::1]", "crosswire.lan", "news.example", "192.168.1.5"),
        ),
        ("fe80::1", "", ("127.0.0.1", "localhost", "[::1]", "[fe80::1]")),
    ],
)
def test_serve_hosts_are_loopback_the_bound_address_and_the_given_names(bind, extra, hosts):
    assert serve_hosts(bind, extra) == hosts


def test_serve_hosts_refuse_patterns():
    with pytest.raises(ValueError, match="not patterns"):
        serve_hosts("0.0.0.0", "*")


@pytest.mark.parametrize("path", ["/api/schemas/comparison-1", "/compare"])
def test_internal_errors_carry_a_code_and_the_security_headers(monkeypatch, path):
    def broken(*args, **kwargs):
        raise RuntimeError("forced failure")

    monkeypatch.setattr("crosswire.web.api.load_schema", broken)
    monkeypatch.setattr("crosswire.web.app._compare_context", broken)
    client = TestClient(create_app(), base_url=BASE_URL, raise_server_exceptions=False)
    response = client.get(path)
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert "forced failure" not in response.text  # no internals to the client
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "CW712"
    else:
        assert response.text.startswith("CW712")


def test_schema_endpoint_serves_the_bundled_schema(client):
    response = client.get("/api/schemas/comparison-1")
    assert response.status_code == 200
    assert response.json() == load_schema("comparison-1")


@pytest.mark.parametrize("name", ["nope-1", "..%2Fmodel.py", ".comparison-1"])
def test_schema_endpoint_404s_on_unknown_names(client, name):
    assert client.get(f"/api/schemas/{name}").status_code == 404


def test_openapi_lists_the_api_and_not_the_pages(client):
    spec = client.get("/api/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/info",
        "/api/compare",
        "/api/schemas/{name}",
        "/api/ingest",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/stories/merge",
        "/api/stories/split",
        "/api/ingest/jobs/{job_id}",
    }
    compare = spec["paths"]["/api/compare"]["post"]
    assert {"200", "413", "422", "500", "503"} <= set(compare["responses"])
    assert spec["components"]["schemas"]["CompareRequest"]["required"] == ["a", "b"]


def test_api_docs_page_renders_the_openapi_without_scripts(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "POST /api/compare" in response.text
    assert 'id="schema-ArticleIn"' in response.text
    assert "<script" not in response.text  # FastAPI's own docs pages would load scripts from a CDN


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/info"),
        ("get", "/api/docs"),
        ("get", "/api/openapi.json"),
        ("get", "/api/schemas/nope"),
        ("get", "/no/such/page"),
        ("get", "/static/compare.js"),
        ("post", "/api/compare"),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path):
    response = client.request(method, path, json={} if method == "post" else None)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_csp_allows_no_inline_script_and_no_eval():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in CSP
