"""The corpus JSON API (/api/stories, /api/stories/{id}, /api/articles/{id}, /api/search,
merge and split): the CLI's JSON, validated against its schemas, and every error."""

from __future__ import annotations

import jsonschema
import pytest
from fastapi.testclient import TestClient
from web_samples import ARTICLES, BASE_URL, write_jsonl

from crosswire.corpus import Corpus
from crosswire.schemas import load_schema
from crosswire.web import api as api_module
from crosswire.web import create_app


def sample_corpus(folder) -> Corpus:
    corpus = Corpus(folder / "corpus.db")
    corpus.ingest([write_jsonl(folder)])
    return corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    corpus = sample_corpus(tmp_path_factory.mktemp("corpus"))
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def api(corpus) -> TestClient:
    return TestClient(create_app(corpus), base_url=BASE_URL)


@pytest.fixture
def fresh_api(tmp_path):
    """A corpus of its own, for the tests that change stories."""
    corpus = sample_corpus(tmp_path)
    yield TestClient(create_app(corpus), base_url=BASE_URL), corpus
    corpus.close()


def flood_story(corpus: Corpus) -> str:
    return next(s.id for s in corpus.stories() if len(s.languages) == 3)


def test_stories_is_the_cli_json(api, corpus):
    response = api.get("/api/stories")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, load_schema("stories-1"))
    assert body == {"schema": "crosswire.stories/1", "stories": [s.to_dict() for s in corpus.stories()]}
    flood = next(s for s in body["stories"] if s["articles"] == 3)
    assert flood["languages"] == ["de", "en", "fr"] and flood["headline"] == ARTICLES[0]["title"]


def test_stories_comes_a_page_at_a_time(api, corpus):
    # The test corpus has fewer stories than a page: the page size is checked through its bounds.
    assert api.get(f"/api/stories?limit={api_module.MAX_STORIES_PAGE + 1}").status_code == 422
    assert len(api.get("/api/stories").json()["stories"]) == min(api_module.STORIES_PAGE, len(corpus.stories()))


@pytest.mark.parametrize(
    ("query", "headlines"),
    [
        ("lang=fr", [ARTICLES[0]["title"]]),
        ("lang=es", [ARTICLES[3]["title"]]),
        ("outlet=nordkurier", [ARTICLES[0]["title"]]),
        ("since=2024-03-01", [ARTICLES[0]["title"]]),
        ("until=2024-03-01", [ARTICLES[3]["title"]]),
        ("lang=ja", []),
        ("limit=1", [ARTICLES[0]["title"]]),
        ("limit=1&offset=1", [ARTICLES[3]["title"]]),
    ],
)
def test_stories_filters(api, query, headlines):
    response = api.get(f"/api/stories?{query}")
    assert response.status_code == 200
    assert [s["headline"] for s in response.json()["stories"]] == headlines


@pytest.mark.parametrize("query", ["since=yesterday", "until=2024-13-01"])
def test_stories_refuses_a_bad_date(api, query):
    response = api.get(f"/api/stories?{query}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "CW403" and error["source"] == query.split("=")[0]


def test_stories_refuses_a_bad_limit(api):
    assert api.get("/api/stories?limit=0").status_code == 422


def test_story_is_the_cli_json(api, corpus):
    story_id = flood_story(corpus)
    response = api.get(f"/api/stories/{story_id}")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, load_schema("story-1"))
    assert body == corpus.story(story_id).to_dict()
    first = body["claims"][0]
    assert [cell["mark"] for cell in first["cells"]] == ["present", "changed", "present"]
    changed = first["cells"][1]["differences"][0]
    assert (changed["kind"], changed["a"]["text"], changed["b"]["text"]) == ("number", "1,200", "1 500")


def test_unknown_story_is_404_in_the_error_shape(api):
    response = api.get("/api/stories/999")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "CW404", "source": "999", "detail": "no such story", "message": "CW404 999: no such story"}
    }


def test_article_json(api, corpus):
    story_id = flood_story(corpus)
    french = next(a for a in corpus.story(story_id).articles if a.lang == "fr")
    response = api.get(f"/api/articles/{french.id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["story"], body["duplicate_of"]) == (french.id, story_id, None)
    assert body["article"]["title"] == "Inondations à Arlen"
    assert body["article"]["url"] == "javascript:alert('url')"  # data in JSON, never a link on a page
    assert len(body["article"]["sentences"]) == 5
    assert body["sources"]["publisher"]["name"] == "Le Courrier du Nord"
    assert body["sources"]["cites"] == ["person:hoff"]


@pytest.mark.parametrize(("path", "status"), [("/api/articles/999", 404), ("/api/articles/abc", 422)])
def test_article_errors(api, path, status):
    response = api.get(path)
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["detail"] == "no such article"


def test_search_finds_the_story_across_languages(api, corpus):
    response = api.get("/api/search", params={"q": "Hochwasser zwingt Menschen aus ihren Häusern"})
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, load_schema("search-1"))
    assert body["stories"][0]["id"] == flood_story(corpus)
    assert {hit["lang"] for hit in body["sentences"]} >= {"en", "fr"}


@pytest.mark.parametrize(("params", "status"), [({"q": "   "}, 422), ({}, 422), ({"q": "rain", "limit": 0}, 422)])
def test_search_errors(api, params, status):
    response = api.get("/api/search", params=params)
    assert response.status_code == status
    if params.get("q", "x").strip() == "":
        assert response.json()["error"]["detail"] == "empty search query"


def test_split_then_merge(fresh_api):
    api, corpus = fresh_api
    story_id = flood_story(corpus)
    german = next(a.id for a in corpus.story(story_id).articles if a.lang == "de")
    response = api.post("/api/stories/split", json={"story": story_id, "articles": [german]})
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, load_schema("stories-1"))
    left, new = body["stories"]
    assert (left["id"], left["languages"], new["languages"]) == (story_id, ["en", "fr"], ["de"])

    response = api.post("/api/stories/merge", json={"into": story_id, "other": new["id"]})
    assert response.status_code == 200
    (merged,) = response.json()["stories"]
    assert (merged["id"], merged["languages"]) == (story_id, ["de", "en", "fr"])
    assert api.get(f"/api/stories/{new['id']}").status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "status", "detail"),
    [
        ("merge", {"into": "FLOOD", "other": "999"}, 404, "no such story"),
        ("split", {"story": "999", "articles": [1]}, 404, "no such story"),
        ("split", {"story": "FLOOD", "articles": [999]}, 422, "not an article of story"),
        ("split", {"story": "FLOOD", "articles": "ALL"}, 422, "a split must leave at least one article"),
    ],
)
def test_merge_and_split_errors(fresh_api, path, body, status, detail):
    api, corpus = fresh_api
    story_id = flood_story(corpus)
    body = {key: story_id if value == "FLOOD" else value for key, value in body.items()}
    if body.get("articles") == "ALL":
        body["articles"] = [a.id for a in corpus.story(story_id).articles]
    response = api.post(f"/api/stories/{path}", json=body)
    assert response.status_code == status
    assert response.json()["error"]["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("merge", {"into": "1"}),
        ("merge", {"into": "1", "other": "2", "extra": True}),
        ("split", {"story": "1", "articles": []}),
        ("split", {"story": "1", "articles": ["x"]}),
    ],
)
def test_merge_and_split_reject_malformed_requests(api, path, body):
    response = api.post(f"/api/stories/{path}", json=body)
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)


def test_merge_and_split_refuse_other_sites(api):
    for path, body in (("merge", {"into": "1", "other": "4"}), ("split", {"story": "1", "articles": [3]})):
        response = api.post(f"/api/stories/{path}", json=body, headers={"Origin": "https://evil.example"})
        assert response.status_code == 403


def test_corpus_endpoints_without_a_corpus_are_404(client):
    for path in ("/api/stories", "/api/stories/1", "/api/articles/1", "/api/search?q=rain"):
        assert client.get(path).status_code == 404, path
    assert client.post("/api/stories/merge", json={"into": "1", "other": "2"}).status_code == 404


def test_openapi_documents_the_corpus_endpoints(api):
    spec = api.get("/api/openapi.json").json()
    for path in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/stories/merge",
        "/api/stories/split",
    ):
        assert path in spec["paths"], path
    docs = api.get("/api/docs").text
    assert "GET /api/stories/{story_id}" in docs and "POST /api/stories/split" in docs
