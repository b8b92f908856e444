"""The `crosswire` command line: outputs, help, and errors that exit 2 without a traceback.

Most tests go through click's CliRunner in this process, so the encoder loads once
(it is cached per process); one test runs `python -m crosswire` for real.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

import crosswire
from crosswire.cli import cli
from crosswire.schemas import load_schema

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "data" / "seeds"
EN = SEEDS / "en_wagner_drones.txt"
ID = SEEDS / "id_wagner_drones.txt"

needs_seeds = pytest.mark.skipif(not (EN.is_file() and ID.is_file()), reason=f"seed articles not found in {SEEDS}")


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


# Plain output whatever the calling environment asks for (CI services often set FORCE_COLOR).
PLAIN_ENV = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "NO_COLOR": "1"}


def run(*args: str, input: bytes | str | None = None):
    return _runner().invoke(cli, [str(a) for a in args], input=input, env=PLAIN_ENV, catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_json() -> dict:
    result = run("compare", EN, ID, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def schema() -> dict:
    return load_schema("comparison-1")


# --- help and version ------------------------------------------------------------------


def test_group_help():
    result = run("--help")
    assert result.exit_code == 0
    for text in ("crosswire compare en.txt id.txt", "--json", "| jq", "--html report.html"):
        assert text in result.stdout


def test_compare_help():
    result = run("compare", "--help")
    assert result.exit_code == 0
    out = result.stdout
    for text in ("--json", "--html", "--encoder", "--lang-a", "--lang-b", "--quiet", "Exit codes"):
        assert text in out
    for word in ("same", "changed", "number", "name_variant", "date", "only in A/B"):
        assert word in out
    for name in crosswire.encode.ENCODERS:  # the help lists the encoder choices
        assert name in out


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert crosswire.__version__ in result.stdout


# --- the seed pair ---------------------------------------------------------------------


@needs_seeds
def test_json_output_validates(seed_json, schema):
    Draft202012Validator(schema).validate(seed_json)
    assert seed_json["a"]["lang"] == "en"
    assert seed_json["b"]["lang"] == "id"
    assert seed_json["links"]
    assert seed_json["a"]["source"] == str(EN)


@needs_seeds
def test_schema_lets_links_and_differences_grow_but_keeps_spans_closed(seed_json, schema):
    data = copy.deepcopy(seed_json)
    link = next(link for link in data["links"] if link["differences"])
    link["provenance"] = {"chain": []}
    link["differences"][0]["confidence"] = 0.9
    validator = Draft202012Validator(schema)
    validator.validate(data)
    span = link["differences"][0]["a"] or link["differences"][0]["b"]
    span["extra"] = 1
    assert not validator.is_valid(data)


@needs_seeds
def test_terminal_report():
    result = run("compare", EN, ID)
    assert result.exit_code == 0, result.stderr
    assert "Mavix2" in result.stdout
    assert "Mavic" in result.stdout
    assert result.stderr == ""


@needs_seeds
def test_html_report(tmp_path):
    out = tmp_path / "report.html"
    result = run("compare", EN, ID, "--html", out, "--quiet")
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<mark" in html
    assert '<meta http-equiv="Content-Security-Policy"' in html
    assert str(out) in result.stderr  # where it was written
    assert result.stdout == ""  # --quiet: no terminal report


@needs_seeds
def test_stdin_as_one_side():
    result = run("compare", EN, "-", "--json", input=ID.read_bytes())
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["b"]["lang"] == "id"
    assert data["b"]["source"] == "<stdin>"


def test_stdin_for_both_is_a_usage_error():
    result = run("compare", "-", "-", input="text")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


@needs_seeds
def test_interrupt_exits_130_quietly(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(crosswire, "compare", interrupted)
    result = run("compare", EN, ID)
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr


# --- errors: exit 2, "error: CWxxx <file>: ...", no traceback --------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def _sparse_200mb(path: Path) -> None:
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)


def _high_bytes(path: Path) -> None:
    # No NUL and no control bytes, so not "binary"; not UTF-8, and no legacy encoding fits.
    path.write_bytes(bytes(range(128, 256)) * 50)


def _nav_only_html(path: Path) -> None:
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")


def _gibberish(path: Path) -> None:
    path.write_text("xkcd qwrt zxcv bnmq wrtp sdfg hjkl zxcv bnm prst vwxz qrst " * 3, encoding="utf-8")


@needs_seeds
@pytest.mark.parametrize(
    "name, make, codes",
    [
        ("empty.txt", _empty, {"CW102"}),
        ("image.txt", _binary, {"CW103"}),
        ("huge.txt", _sparse_200mb, {"CW105"}),
        ("latin.txt", _high_bytes, {"CW104"}),
        # trafilatura keeps the nav link text ("Home"), which then has no identifiable language.
        ("nav.html", _nav_only_html, {"CW106", "CW107"}),
        ("gibberish.txt", _gibberish, {"CW107"}),
        ("missing.txt", None, {"CW101"}),
    ],
)
def test_bad_input(tmp_path, name, make, codes):
    path = tmp_path / name
    if make is not None:
        make(path)
    result = run("compare", path, ID)
    assert result.exit_code == 2, result.stdout
    err = result.stderr
    assert err.startswith("error: CW")
    assert err.split()[1] in codes, err
    assert name in err
    assert "Traceback" not in err
    assert result.stdout == ""


@needs_seeds
def test_bad_input_on_side_b_names_that_file(tmp_path):
    path = tmp_path / "b-empty.txt"
    path.write_bytes(b"  \n")
    result = run("compare", EN, path)
    assert result.exit_code == 2
    assert "CW102" in result.stderr and "b-empty.txt" in result.stderr


@needs_seeds
def test_unknown_encoder():
    result = run("compare", EN, ID, "--encoder", "no-such-encoder")
    assert result.exit_code == 2
    assert "CW201" in result.stderr and "no-such-encoder" in result.stderr
    assert "Traceback" not in result.stderr


@needs_seeds
def test_unknown_language_code():
    result = run("compare", EN, ID, "--lang-a", "xx")
    assert result.exit_code == 2
    assert "CW108" in result.stderr and EN.name in result.stderr


# --- a real process --------------------------------------------------------------------


def _python_m(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *map(str, args)],
        capture_output=True,
        timeout=300,
        env={**{k: v for k, v in os.environ.items() if k not in PLAIN_ENV}, **(env or {})},
    )


@needs_seeds
def test_python_m_crosswire_json():
    proc = _python_m("compare", EN, ID, "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout.decode("utf-8"))
    assert (data["a"]["lang"], data["b"]["lang"]) == ("en", "id")
    assert b"Traceback" not in proc.stderr


def test_python_m_crosswire_error_is_red_and_short(tmp_path):
    missing = tmp_path / "gone.txt"
    proc = _python_m("compare", missing, missing, env={"FORCE_COLOR": "1"})
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "CW101" in err and "gone.txt" in err and "error: " in err
    assert "\x1b[" in err  # coloured (rich honours FORCE_COLOR when stderr is not a terminal)
    assert "Traceback" not in err
