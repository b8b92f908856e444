"""Views of a Comparison: rich terminal output and a self-contained HTML report."""
from crosswire.render.html import render_html
from crosswire.render.terminal import render_comparison

__all__ = ["render_comparison", "render_html"]
