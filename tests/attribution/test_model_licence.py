"""Issue 17: crosswire ships no model trained on PolNeAR (its repository states no licence);
English is read by the rules until the user builds the model from their own copy, with one
command (`crosswire train-attribution PATH`). See docs/attribution-model.md."""

import importlib.resources
import shutil
from pathlib import Path

from click.testing import CliRunner

from crosswire.attribution import extract_attributions, tagger
from crosswire.attribution.polnear import load_split
from crosswire.attribution.train import TrainingParams, build_english_model
from crosswire.settings import MODELS_ENV
from crosswire.cli import cli
from crosswire.ingest import extractor_fingerprint
from crosswire.text.segment import segment

POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear"


def _by_cue(text: str) -> dict[str, str | None]:
    sentences, _ = segment(text, "en")
    return {a.cue.text: a.source.text if a.source else None for a in extract_attributions(text, sentences, "en")}


def test_the_package_ships_no_polnear_model():
    models = importlib.resources.files("crosswire") / "attribution" / "data" / "models"
    assert not (models / "en.crfsuite").is_file()


def test_without_a_built_model_english_is_read_by_the_rules(tmp_path, monkeypatch):
    monkeypatch.setenv(MODELS_ENV, str(tmp_path))
    tagger.forget_loaded_models()
    try:
        assert not tagger.has_model("en")
        assert _by_cue("The senator said the plan would fail.") == {"said": "senator"}
        assert _by_cue("According to the ministry, prices rose by two percent.") == {"According to": "ministry"}
    finally:
        monkeypatch.undo()
        tagger.forget_loaded_models()


def _tiny_polnear(folder: Path, count: int) -> Path:
    """The first `count` train documents of PolNeAR, laid out as a PolNeAR data folder."""
    for name in ("attributions", "text"):
        (folder / "train" / name).mkdir(parents=True)
    for document in load_split(POLNEAR / "train", count):
        shutil.copy(POLNEAR / "train" / "text" / f"{document.name}.txt", folder / "train" / "text")
        for ann in sorted((POLNEAR / "train" / "attributions").glob(f"{document.name}_*.ann"))[:1]:
            shutil.copy(ann, folder / "train" / "attributions")
    return folder


def test_a_built_model_is_found_used_and_part_of_the_extractor_fingerprint(tmp_path, monkeypatch):
    monkeypatch.setenv(MODELS_ENV, str(tmp_path / "models"))
    tagger.forget_loaded_models()
    try:
        assert not tagger.has_model("en")
        polnear = _tiny_polnear(tmp_path / "polnear", 3)
        out = build_english_model(polnear, params=TrainingParams(iterations=5))
        assert out == tmp_path / "models" / "attribution" / "en.crfsuite" and tagger.has_model("en")
        assert isinstance(_by_cue("The senator said the plan would fail."), dict)
        before = tagger.models_digest()
        out.write_bytes(out.read_bytes() + b"\0")
        assert tagger.models_digest() != before
    finally:
        monkeypatch.undo()
        tagger.forget_loaded_models()
    extractor_fingerprint.cache_clear()
    assert extractor_fingerprint()


def test_the_cli_builds_the_model_in_one_command(tmp_path, monkeypatch):
    monkeypatch.setenv(MODELS_ENV, str(tmp_path / "models"))
    polnear = _tiny_polnear(tmp_path / "polnear", 2)
    try:
        result = CliRunner().invoke(
            cli, ["train-attribution", str(polnear), "--iterations", "5"], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / "models" / "attribution" / "en.crfsuite").is_file()
        assert "model written to" in result.output
        missing = CliRunner().invoke(cli, ["train-attribution", str(tmp_path)])
        assert missing.exit_code != 0 and "PolNeAR split not found" in missing.output
    finally:
        monkeypatch.undo()
        tagger.forget_loaded_models()
