"""Settings come from the environment once, where a program starts (crosswire.settings):
the CLI reads CROSSWIRE_THREADS and hands it to the encoder; the library itself neither
reads nor changes the environment of the process it runs in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosswire import encode
from crosswire.cli import cli
from crosswire.errors import CrosswireError
from crosswire.ingest import ingest_threads
from crosswire.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "data" / "seeds"
EN = SEEDS / "en_wagner_drones.txt"
ID = SEEDS / "id_wagner_drones.txt"

needs_seeds = pytest.mark.skipif(not (EN.is_file() and ID.is_file()), reason=f"seed articles not found in {SEEDS}")
PLAIN_ENV = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "NO_COLOR": "1"}


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


@pytest.fixture
def fresh_encoders(monkeypatch):
    """An empty encoder cache and no thread setting, as in a new process; the test
    session's loaded encoders come back afterwards."""
    monkeypatch.setattr(encode, "_LOADED", {})
    monkeypatch.setattr(encode, "_threads_per_call", None)


def _onnx_threads(encoder: encode.Encoder) -> int:
    assert isinstance(encoder, encode.UseOnnxEncoder)
    return encoder._session.get_session_options().intra_op_num_threads


def test_settings_from_the_environment():
    assert Settings.from_env({}) == Settings(threads=None)
    assert Settings.from_env({"CROSSWIRE_THREADS": " 3 "}) == Settings(threads=3)
    for bad in ("0", "-2", "two", "1.5"):
        with pytest.raises(CrosswireError) as raised:
            Settings.from_env({"CROSSWIRE_THREADS": bad})
        assert raised.value.code == "CW901" and raised.value.source == "CROSSWIRE_THREADS"


@needs_seeds
def test_the_thread_setting_reaches_the_encoder_from_the_cli(fresh_encoders):
    result = _runner().invoke(
        cli, ["compare", str(EN), str(ID), "--encoder", "use-m", "--json"], env={**PLAIN_ENV, "CROSSWIRE_THREADS": "1"}
    )
    assert result.exit_code == 0, result.stderr
    assert _onnx_threads(encode.get_encoder("use-m")) == 1


@needs_seeds
def test_ingest_keeps_a_core_for_reading_unless_told(fresh_encoders, tmp_path):
    result = _runner().invoke(cli, ["ingest", str(EN), "--db", str(tmp_path / "c.db"), "--json"], env=PLAIN_ENV)
    assert result.exit_code == 0, result.stderr
    assert _onnx_threads(encode.get_encoder("use-m")) == ingest_threads(None) == max(1, (os.cpu_count() or 2) - 1)
    assert ingest_threads(5) == 5


def test_a_bad_setting_is_an_error_with_its_code():
    result = _runner().invoke(cli, ["stories"], env={**PLAIN_ENV, "CROSSWIRE_THREADS": "many"})
    assert result.exit_code == 2
    assert "error: CW901 CROSSWIRE_THREADS: 'many' is not a positive whole number" in result.stderr
    assert "Traceback" not in result.stderr


# Imports crosswire, compares two articles and ingests one into a new corpus, printing the
# environment before and after; run in a process of its own so that nothing is loaded yet.
LIBRARY_RUN = """
import json, os, sys
before = dict(os.environ)
import crosswire
a = crosswire.read_path(sys.argv[1])
b = crosswire.read_path(sys.argv[2])
crosswire.compare(a, b)
with crosswire.open_store(sys.argv[3]) as store:
    crosswire.ingest([sys.argv[1]], store)
print(json.dumps([before, dict(os.environ)]))
"""


@needs_seeds
def test_the_library_leaves_the_environment_alone(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("CROSSWIRE_", "HF_"))}
    ran = subprocess.run(
        [sys.executable, "-c", LIBRARY_RUN, str(EN), str(ID), str(tmp_path / "c.db")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    before, after = json.loads(ran.stdout.splitlines()[-1])
    assert after == before


PACKAGE = REPO / "src" / "crosswire"


def test_only_the_cli_reads_the_settings_and_the_encoder_reads_no_environment():
    readers = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "from_env(" in path.read_text(encoding="utf-8") and path.name != "settings.py"
    )
    assert readers == ["cli/__init__.py"]
    assert "os.environ" not in (PACKAGE / "encode.py").read_text(encoding="utf-8")
