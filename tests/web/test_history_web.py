"""An article's history in the web app (/history?url=): versions and an edit with no
correction note found, then one with a note, as `crosswire history` shows them. The page is served by a local server on 127.0.0.1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from crosswire.cli import cli
from crosswire.corpus import Corpus
from crosswire.web import create_app
from web_samples import BASE_URL

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_history import VERSION_1, VERSION_2, VERSION_3, _Page, page_url  # noqa: E402,F401  (the page server fixture)


@pytest.fixture(scope="module")
def corpus_with_versions(page_url, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("history") / "corpus.db")
    for version in (VERSION_1, VERSION_2, VERSION_3):
        _Page.paragraphs = version
        result = CliRunner().invoke(cli, ["ingest", page_url, "--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    corpus = Corpus(db)
    yield corpus
    corpus.close()


def test_the_history_page_shows_the_versions_and_the_correction_notes(corpus_with_versions, page_url):
    client = TestClient(create_app(corpus_with_versions), base_url=BASE_URL)
    page = client.get("/history", params={"url": page_url})
    assert page.status_code == 200, page.text
    assert "3 versions" in page.text and page.text.count("No correction note found") == 1
    assert f'Correction note <small>(label)</small>: <q dir="auto">{VERSION_3[-1]}</q>' in page.text
    assert "number: 12 → 17" in page.text and "Schools across the city" in page.text
    missing = client.get("/history", params={"url": "https://example.org/none"})
    assert missing.status_code == 404 and "nothing was read from this address" in missing.text
    assert client.get("/history").status_code == 422
