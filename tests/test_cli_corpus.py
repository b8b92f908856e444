"""`crosswire ingest` (with story linking), `stories`, `story ID`, `story merge/split`, `search`."""

import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from crosswire.cli import cli
from crosswire.schemas import load_schema

from scale_corpus import ENGINES, empty_db
from test_corpus import CHESS_EN, FLOODS_DE, FLOODS_EN, FLOODS_ID, write_jsonl


def run(*args: str, code: int = 0):
    # Wide enough that table cells are not wrapped mid-phrase.
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"COLUMNS": "240"})
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module", params=ENGINES)
def db(request, tmp_path_factory):
    """The corpus as --db names it: a SQLite file, or a postgresql:// URL."""
    folder = tmp_path_factory.mktemp("cli-corpus")
    path = write_jsonl(folder / "news.jsonl", FLOODS_EN, FLOODS_DE, FLOODS_ID, CHESS_EN)
    db = empty_db(request, folder)
    out = run("ingest", path, "--db", db).output
    assert "4 ingested" in out and "2 stories" in out
    return db


def test_stories_json_validates_and_lists_both_stories(db):
    data = json.loads(run("stories", "--db", db, "--json").output)
    Draft202012Validator(load_schema("stories-1")).validate(data)
    assert sorted(s["articles"] for s in data["stories"]) == [1, 3]
    assert "Floods in Jakarta" in run("stories", "--db", db).output


def test_story_json_validates_and_the_terminal_matrix_shows_marks(db):
    floods = json.loads(run("stories", "--db", db, "--lang", "id", "--json").output)["stories"][0]["id"]
    data = json.loads(run("story", floods, "--db", db, "--json").output)
    Draft202012Validator(load_schema("story-1")).validate(data)
    assert {c["mark"] for claim in data["claims"] for c in claim["cells"]} == {"present", "changed", "absent"}
    out = run("story", floods, "--db", db).output
    assert "●" in out and "◐" in out and "·" in out and "number 3,500 → 5.000" in out


def test_search_json_validates_and_finds_german_for_english(db):
    data = json.loads(run("search", "The river overflowed after two days of rain", "--db", db, "--json").output)
    Draft202012Validator(load_schema("search-1")).validate(data)
    assert any(h["lang"] == "de" and h["text"].startswith("Der Fluss Ciliwung") for h in data["sentences"][:3])


def test_split_then_merge_on_the_command_line(db):
    floods = json.loads(run("stories", "--db", db, "--lang", "id", "--json").output)["stories"][0]
    story = json.loads(run("story", floods["id"], "--db", db, "--json").output)
    indonesian = next(a["id"] for a in story["articles"] if a["lang"] == "id")
    parts = json.loads(run("story", "split", floods["id"], str(indonesian), "--db", db, "--json").output)
    Draft202012Validator(load_schema("stories-1")).validate(parts)
    assert [p["articles"] for p in parts["stories"]] == [2, 1]
    merged = json.loads(run("story", "merge", floods["id"], parts["stories"][1]["id"], "--db", db, "--json").output)
    assert merged["stories"][0]["articles"] == 3


def test_errors_name_the_story_or_database(db, tmp_path):
    assert "error: CW404 404404: no such story" in run("story", "404404", "--db", db, code=2).output
    missing = str(tmp_path / "none.db")
    assert f"CW401 {missing}: no such database" in run("stories", "--db", missing, code=2).output
