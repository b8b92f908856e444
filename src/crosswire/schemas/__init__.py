"""JSON Schemas for crosswire's machine-readable output, shipped as package data."""

from __future__ import annotations

import json
from importlib import resources


def load_schema(name: str) -> dict:
    """Load a bundled schema by name, e.g. ``load_schema("comparison-1")``.

    The ``.json`` suffix is optional. Raises FileNotFoundError for unknown names.
    """
    if "/" in name or "\\" in name or name.startswith("."):
        raise FileNotFoundError(f"no such schema: {name!r}")
    filename = name if name.endswith(".json") else f"{name}.json"
    resource = resources.files(__package__).joinpath(filename)
    if not resource.is_file():
        raise FileNotFoundError(f"no such schema: {name!r}")
    return json.loads(resource.read_text(encoding="utf-8"))
