"""The data flows one way (docs/architecture.md): model.py is imported by every stage and
imports none; the stages never import a view (the CLI, the web app, the renderers); the
ingest drivers (batch on Ray, watch on Redis) share ingest.py's stages, not each other.

Imports are read from each module's syntax tree (every `import` statement, also inside a
function or under TYPE_CHECKING), so a moved or lazy import is seen as it is written."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "crosswire"
# Modules (dotted, under crosswire) that show results to a person: nothing upstream uses them.
VIEWS = ("cli", "factcheck_cli", "web", "render", "__main__")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The crosswire modules `path` imports, dotted and relative to the package ("text.dates")."""
    parts = _module_name(path).split(".") if path != PACKAGE / "__init__.py" else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                prefix = ".".join(["crosswire", *base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            # `from . import x` and `from .pkg import mod` may name submodules: count both.
            names = [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name == "crosswire" or name.startswith("crosswire."):
                found.add(name.removeprefix("crosswire").removeprefix("."))
    found.discard("")
    return {name for name in found if _exists(name)}


def _exists(name: str) -> bool:
    target = PACKAGE.joinpath(*name.split("."))
    return target.with_suffix(".py").is_file() or (target / "__init__.py").is_file()


def _is_view(name: str) -> bool:
    return name.split(".")[0] in VIEWS


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_the_reader_finds_relative_absolute_and_lazy_imports():
    found = _imports(PACKAGE / "batch.py")
    assert "ingest" in found and "store" in found  # absolute, at the top
    assert "corpus" in found  # inside a function
    assert {"model", "attribution", "text.dates"} <= _imports(PACKAGE / "provenance.py")  # relative
    assert {"compare", "model", "store"} <= _imports(PACKAGE / "__init__.py")  # from the package itself


def test_model_imports_no_crosswire_module():
    assert _imports(MODULES["model"]) == set()


def test_provenance_imports_model_and_model_not_provenance():
    assert "model" in _imports(MODULES["provenance"])
    assert "provenance" not in _imports(MODULES["model"])


def test_no_stage_imports_a_view():
    upward = {
        name: sorted(x for x in _imports(path) if _is_view(x)) for name, path in MODULES.items() if not _is_view(name)
    }
    assert {name: views for name, views in upward.items() if views} == {}


def test_batch_and_watch_drive_ingest_and_not_each_other():
    batch, watch = _imports(MODULES["batch"]), _imports(MODULES["watch"])
    assert "ingest" in batch and "ingest" in watch
    assert "watch" not in batch and "batch" not in watch
    # ingest.py holds the stages: it knows neither of its drivers.
    assert not {"batch", "watch"} & _imports(MODULES["ingest"])
