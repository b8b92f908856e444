"""Story downloads in the web app (crosswire.web.exports): the claim matrix as CSV, the
HTML report and schema.org Claim JSON-LD, linked from the story page."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from crosswire.corpus import Corpus
from crosswire.web import create_app
from crosswire.schemas import load_schema
from web_samples import BASE_URL, write_jsonl

CLAIM_JSONLD = load_schema("claims-jsonld-1")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    corpus = Corpus(folder / "corpus.db")
    corpus.ingest([write_jsonl(folder)])
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def client(corpus) -> TestClient:
    # The story's comparisons are made here, once, not within a page's time limit on a busy machine.
    corpus.story(_story(corpus))
    return TestClient(create_app(corpus), base_url=BASE_URL)


def _story(corpus) -> str:
    return next(s.id for s in corpus.stories() if len(s.languages) == 3)


def test_the_story_page_links_each_download(client, corpus):
    story = _story(corpus)
    page = client.get(f"/stories/{quote(story, safe='')}").text
    for fmt in ("csv", "html", "jsonld"):
        assert f'href="{BASE_URL}/stories/{quote(story, safe="")}/export.{fmt}"' in page


def test_each_download_is_an_attachment_of_its_type(client, corpus):
    story = quote(_story(corpus), safe="")
    response = client.get(f"/stories/{story}/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="crosswire-story-')
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["claim", "text", "lang"] and len(rows) > 2
    response = client.get(f"/stories/{story}/export.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    Draft202012Validator(CLAIM_JSONLD).validate(json.loads(response.text))
    response = client.get(f"/stories/{story}/export.html")
    assert response.text.startswith("<!DOCTYPE html>") and "<script" not in response.text


def test_an_unknown_story_or_format_is_a_404_with_its_code(client, corpus):
    response = client.get("/stories/9999/export.csv")
    assert response.status_code == 404 and response.json()["error"]["code"] == "CW404"
    response = client.get(f"/stories/{quote(_story(corpus), safe='')}/export.pdf")
    assert response.status_code == 404 and response.json()["error"]["code"] == "CW801"
