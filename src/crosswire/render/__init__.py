"""Views of a Comparison: rich terminal output and a self-contained HTML report."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = ["render_comparison", "render_html"]
# Imported on first use: the terminal report does not load the HTML report's jinja2.
_MODULES = {"render_comparison": "terminal", "render_html": "html"}


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module 'crosswire.render' has no attribute {name!r}")
    return getattr(importlib.import_module(f"crosswire.render.{_MODULES[name]}"), name)


if TYPE_CHECKING:
    from crosswire.render.html import render_html
    from crosswire.render.terminal import render_comparison
