"""View models for the web pages, built from the HTML report's own pieces.

The compare page shows what `crosswire compare --html` shows, laid out by the same
functions (crosswire.render.html), plus an id per difference that ties its marks on
both sides and its line in the list together, for keyboard navigation (static/compare.js).
"""
from __future__ import annotations

from crosswire.model import Comparison
from crosswire.render._common import summary
from crosswire.render.html import Row, _doc_view, _sources_view, build_rows
from crosswire.render.svg import provenance_svg


def difference_ids(rows: list[Row]) -> list[dict[str, str]]:
    """Per row, {difference description: "d<n>"}, numbered in reading order.

    A mark carries its difference's description as its title, so the template finds
    a mark's id by title: both sides of one difference get the same id.
    """
    ids: list[dict[str, str]] = []
    count = 0
    for row in rows:
        row_ids: dict[str, str] = {}
        for diff in row.differences:
            if diff.description not in row_ids:
                count += 1
                row_ids[diff.description] = f"d{count}"
        ids.append(row_ids)
    return ids


def comparison_view(cmp: Comparison) -> dict:
    rows = build_rows(cmp)
    prov = cmp.provenance
    return {
        "a": _doc_view(cmp.a, "A"),
        "b": _doc_view(cmp.b, "B"),
        "counts": summary(cmp),
        "encoder": cmp.encoder,
        "rows": rows,
        "diff_ids": difference_ids(rows),
        "sources": [_sources_view(prov.a, "a", cmp.a), _sources_view(prov.b, "b", cmp.b)] if prov else [],
        # Markup built by render.svg, which escapes every label and tooltip itself.
        "graph": provenance_svg(prov) if prov else None,
    }
