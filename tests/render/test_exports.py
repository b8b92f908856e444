"""Exports of a story for a fact-check: the claim matrix as CSV, schema.org Claim JSON-LD
and a self-contained HTML report, from the CLI (`crosswire export`).

The corpus is tests/test_corpus.py's: the Jakarta floods in English, German and Indonesian
(the German article changes a number and relays Reuters), and an unrelated English story.
"""

import csv
import html
import io
import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from crosswire import Corpus
from crosswire.cli import cli
from crosswire.render.exports import claim_matrix_csv, claims_jsonld, iso_datetime, story_export
from crosswire.render.story_report import story_report_html
from crosswire.schemas import load_schema

from test_corpus import CHESS_EN, FLOODS_DE, FLOODS_EN, FLOODS_ID, write_jsonl

# What a ClaimReview's itemReviewed needs of a schema.org Claim: the schema documents it.
CLAIM_JSONLD = load_schema("claims-jsonld-1")


@pytest.fixture(scope="module")
def floods(tmp_path_factory):
    """(database, the floods story's id)."""
    folder = tmp_path_factory.mktemp("exports")
    english = {**FLOODS_EN, "author": "Jane Doe"}
    path = write_jsonl(folder / "news.jsonl", FLOODS_ID, CHESS_EN, english, FLOODS_DE)
    db = str(folder / "corpus.db")
    with Corpus(db) as corpus:
        corpus.ingest([path])
        story = next(s.id for s in corpus.stories() if len(s.languages) == 3)
    return db, story


@pytest.fixture(scope="module")
def export(floods):
    db, story = floods
    with Corpus(db) as corpus:
        return story_export(corpus, story)


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_the_csv_has_a_row_per_claim_with_each_article_s_own_sentence_and_language(export):
    rows = list(csv.DictReader(io.StringIO(claim_matrix_csv(export))))
    assert len(rows) == len(export.view.claims)
    by_lang = {export.article(a).lang: a for a in export.view.matrix_articles}
    assert set(by_lang) == {"en", "de", "id"}
    river = next(r for r in rows if "Ciliwung river" in r["text"])
    assert river["lang"] == "en" and river["first_seen"] == "2024-03-04T08:00:00"
    assert river[f"article {by_lang['de']} [de] sentence"].startswith("Der Fluss Ciliwung")
    assert river[f"article {by_lang['id']} [id] sentence"].startswith("Sungai Ciliwung")
    schools = next(r for r in rows if "Schools" in r["text"])
    assert schools[f"article {by_lang['id']} [id] mark"] == "absent"
    assert schools[f"article {by_lang['id']} [id] sentence"] == ""
    forecast = next(r for r in rows if r["text"].startswith("Badan Meteorologi"))
    assert forecast["lang"] == "id"


def test_the_csv_lists_the_sources_it_counted_and_those_it_folded(export):
    rows = list(csv.DictReader(io.StringIO(claim_matrix_csv(export))))
    displaced = next(r for r in rows if "3,500 residents" in r["text"])
    # The German sentence relays Reuters, the English article's outlet: Reuters and Kompas only.
    assert displaced["independent_sources"] == "2"
    assert displaced["counted_sources"] == "Kompas (outlet); Reuters (outlet)"


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(export):
    from dataclasses import replace

    claim = replace(export.view.claims[0], text='=HYPERLINK("http://evil.example","x")')
    hostile = replace(export, view=replace(export.view, claims=(claim,)))
    row = next(csv.DictReader(io.StringIO(claim_matrix_csv(hostile))))
    assert row["text"].startswith("'=HYPERLINK")


def test_each_claim_is_schema_org_json_ld_with_every_appearance(export):
    data = claims_jsonld(export)
    Draft202012Validator(CLAIM_JSONLD).validate(data)
    claims = data["@graph"]
    assert len(claims) == len(export.view.claims)
    river = next(c for c in claims if "Ciliwung river" in c["text"])
    assert [a["inLanguage"] for a in river["appearance"]] == ["en", "de", "id"]
    assert river["firstAppearance"]["url"] == "https://www.reuters.com/world/asia/jakarta-floods"
    assert river["firstAppearance"]["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert river["datePublished"] == "2024-03-04T08:00:00"
    assert river["appearance"][1]["text"].startswith("Der Fluss Ciliwung")
    schools = next(c for c in claims if "Schools" in c["text"])
    assert [a["inLanguage"] for a in schools["appearance"]] == ["en", "de"]
    shelters = next(c for c in claims if "shelters" in c["text"])
    assert shelters["author"]["@type"] == "Person" and shelters["author"]["name"].endswith("Anies Baswedan")


class _Resources(HTMLParser):
    """Every address an HTML page would load, and whether it has a script."""

    def __init__(self):
        super().__init__()
        self.loads, self.scripts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.scripts += tag == "script"
        for name in ("src", "srcset", "data", "poster"):
            if attrs.get(name):
                self.loads.append(attrs[name])
        if tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])


def test_the_html_report_is_self_contained_and_escapes_article_text(export):
    from dataclasses import replace

    claim = replace(export.view.claims[0], text="<script>alert(1)</script><img src=x>")
    hostile = replace(export, view=replace(export.view, claims=(claim, *export.view.claims[1:])))
    page = story_report_html(hostile)
    parser = _Resources()
    parser.feed(page)
    assert parser.scripts == 0 and parser.loads == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'" in html.unescape(page)
    assert "Der Fluss Ciliwung" in page and 'lang="de"' in page
    assert "2024-03-04T08:00:00" in page


def test_the_cli_writes_each_format(floods, tmp_path):
    db, story = floods
    rows = list(csv.reader(io.StringIO(run("export", story, "--db", db, "--format", "csv"))))
    assert rows[0][:3] == ["claim", "text", "lang"]
    data = json.loads(run("export", story, "--db", db, "--format", "jsonld"))
    Draft202012Validator(CLAIM_JSONLD).validate(data)
    out = tmp_path / "report.html"
    run("export", story, "--db", db, "--format", "html", "-o", str(out))
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_the_cli_names_a_missing_story_or_database(floods, tmp_path):
    db, _ = floods
    assert "no such story" in run("export", "999", "--db", db, code=2)
    missing = tmp_path / "missing.db"
    assert "no such database" in run("export", "1", "--db", str(missing), code=2)
    assert not missing.exists()


def test_dates_are_iso_8601_with_the_offset_when_known():
    assert iso_datetime("2024-03-04") == "2024-03-04"
    assert iso_datetime("2024-03-04T08:00:00Z") == "2024-03-04T08:00:00+00:00"
    assert iso_datetime("2024-03-04T08:00:00+07:00") == "2024-03-04T08:00:00+07:00"
    assert iso_datetime("not a date") is None


def test_the_report_s_matrix_shows_each_article_s_own_sentence_in_chromium(export, tmp_path):
    """Each claim row shows, per article, its own sentence in its own language with the language
    labelled (checked as rendered). CROSSWIRE_SCREENSHOTS=docs/img writes the screenshot."""
    import os
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(story_report_html(export), "utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_file.as_uri())
        german = page.locator('td[lang="de"]', has_text="Der Fluss Ciliwung")
        assert german.count() == 1 and german.is_visible()
        assert german.locator("span.lang").inner_text() == "de"
        assert page.locator('td[lang="id"]', has_text="Sungai Ciliwung").is_visible()
        if os.environ.get("CROSSWIRE_SCREENSHOTS"):
            folder = Path(os.environ["CROSSWIRE_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / "story-report-matrix.png"), full_page=True)
        browser.close()
