"""View models for the web pages, built from the HTML report's own pieces.

The compare page shows what `crosswire compare --html` shows, laid out by the same
functions (crosswire.render.html), plus an id per difference that ties its marks on
both sides and its line in the list together, for keyboard navigation (static/compare.js).

The corpus pages show what crosswire.corpus returns (StoryView, ArticleView), with
the geometry of the story timeline (an SVG drawn by the template: the CSP allows no
inline styles, so positions are SVG attributes) and the provenance graph of a story's
articles drawn by render.svg.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from crosswire.corpus import ArticleView, StoryArticle, StoryView
from crosswire.model import Comparison, Difference, Document
from crosswire.provenance import ArticleSources, Edge, Node, source_graph
from crosswire.render._common import notices, summary
from crosswire.render.html import Row, _doc_view, _sources_view, build_rows
from crosswire.render.story_report import cell_segments
from crosswire.render.svg import provenance_svg
from crosswire.stories import parse_time


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
        "notices": notices(cmp),
        "rows": rows,
        "diff_ids": difference_ids(rows),
        "sources": [_sources_view(prov.a, "a", cmp.a), _sources_view(prov.b, "b", cmp.b)] if prov else [],
        # Markup built by render.svg, which escapes every label and tooltip itself.
        "graph": provenance_svg(prov) if prov else None,
    }


# -- the corpus pages ------------------------------------------------------------------

# The timeline picture: one lane per language, time left to right; undated articles in
# a column of their own at the right end.
TIMELINE_WIDTH, TIMELINE_LANE, TIMELINE_LEFT, TIMELINE_UNDATED = 900, 34, 56, 70
TIMELINE_TICKS = 5
TIMELINE_COLOURS = 6  # dot colours (style.css .dot.c0 to .c5), by lane


def timeline_view(articles: Sequence[StoryArticle]) -> dict:
    """Dot positions (SVG user units) of a story's articles by publication time and language."""
    langs = sorted({a.lang for a in articles})
    lane = {lang: n for n, lang in enumerate(langs)}
    times = {a.id: parse_time(a.published) for a in articles}
    dated = [t for t in times.values() if t is not None]
    undated = any(t is None for t in times.values())
    right = TIMELINE_WIDTH - (TIMELINE_UNDATED if undated else 16)
    first, last = (min(dated), max(dated)) if dated else (None, None)
    span = (last - first).total_seconds() if dated else 0.0

    def x_of(when: dt.datetime | None) -> float:
        if when is None:
            return TIMELINE_WIDTH - TIMELINE_UNDATED / 2
        if span == 0:
            return (TIMELINE_LEFT + right) / 2
        return TIMELINE_LEFT + (right - TIMELINE_LEFT) * (when - first).total_seconds() / span

    ticks = []
    if dated:
        count = 1 if span == 0 else TIMELINE_TICKS
        for n in range(count):
            when = first + (last - first) * (n / max(count - 1, 1))
            label = when.strftime("%Y-%m-%d %H:%M") if span < 3 * 86400 else when.strftime("%Y-%m-%d")
            # The end labels align inwards, so that they stay inside the picture.
            anchor = "middle" if count == 1 or 0 < n < count - 1 else ("start" if n == 0 else "end")
            ticks.append({"x": round(x_of(when), 1), "label": label, "anchor": anchor})
    dots = [
        {
            "id": a.id,
            "x": round(x_of(times[a.id]), 1),
            "y": lane[a.lang] * TIMELINE_LANE + TIMELINE_LANE / 2,
            "lang": a.lang,
            "colour": lane[a.lang] % TIMELINE_COLOURS,
            "copy": a.duplicate_of is not None,
            "label": " · ".join(part for part in (a.published or "undated", a.outlet, a.title or a.source) if part),
        }
        for a in articles
    ]
    height = len(langs) * TIMELINE_LANE + 24
    return {
        "width": TIMELINE_WIDTH,
        "height": height,
        "axis_y": len(langs) * TIMELINE_LANE,
        "lanes": [{"lang": lang, "y": n * TIMELINE_LANE + TIMELINE_LANE / 2} for lang, n in lane.items()],
        "ticks": ticks,
        "undated_x": TIMELINE_WIDTH - TIMELINE_UNDATED / 2 if undated else None,
        "dots": dots,
    }


def difference_text(d: Difference) -> str:
    """One difference as a line: `number: 2,500 → 3.000 (note)`."""
    line = f"{d.kind.replace('_', ' ')}: {d.a.text if d.a else '—'} → {d.b.text if d.b else '—'}"
    return f"{line} ({d.note})" if d.note else line


def story_view(view: StoryView) -> dict:
    """The story page's model: its articles, timeline and claim matrix; each claim with the
    sentence that carries it in every other article, in that article's own language."""
    by_id = {a.id: a for a in view.articles}
    claims = []
    for n, claim in enumerate(view.claims, start=1):
        cells = [
            {
                "article": cell.article_id,
                "mark": cell.mark,
                "lang": cell.lang,
                "outlet": by_id[cell.article_id].outlet or by_id[cell.article_id].title or "",
                "sentences": [f"s-{i}" for i in cell.sentences],
                "segments": cell_segments(cell),
                "changes": [difference_text(d) for d in cell.differences],
            }
            for cell in claim.cells
        ]
        introducer = by_id[claim.introduced_by]
        claims.append(
            {
                "n": n,
                "text": claim.text,
                "lang": claim.lang,
                "introduced_by": introducer,
                "cells": cells,
                "others": [c for c in cells if c["mark"] != "absent" and c["article"] != claim.introduced_by],
                "absent": [c for c in cells if c["mark"] == "absent"],
                "roots": claim.root_sources,
                "independent": claim.independent_sources,
            }
        )
    return {
        "summary": view.summary,
        "articles": view.articles,
        "columns": [by_id[article_id] for article_id in view.matrix_articles],
        "claims": claims,
        "timeline": timeline_view(view.articles),
        "encoder": view.encoder,
    }


@dataclass(frozen=True)
class GraphPicture:
    """What render.svg.provenance_svg draws: nodes and edges (a SourceGraph keeps its
    nodes in a dict, a Provenance in a tuple)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def sources_graph_svg(
    docs: dict[int, Document], labels: dict[int, str], known: dict[int, ArticleSources] | None = None
) -> Markup:
    """The provenance graph of a story's articles (publishers, what they relay and cite);
    `known`: their sources as the corpus holds them, so that nothing is extracted again."""
    graph = source_graph(
        {str(k): doc for k, doc in docs.items()},
        {str(k): label for k, label in labels.items()},
        {str(k): sources for k, sources in (known or {}).items()},
    )
    return provenance_svg(GraphPicture(tuple(graph.nodes.values()), graph.edges))


def article_view(article: ArticleView) -> dict:
    """The article page's model: sentences with anchors (s-<index>), metadata, cited sources."""
    doc = article.document
    return {
        "id": article.id,
        "doc": _doc_view(doc, str(article.id)),
        "story_id": article.story_id,
        "duplicate_of": article.stored.duplicate_of,
        "sentences": [{"anchor": f"s-{s.index}", "text": s.text} for s in doc.sentences],
        "sources": _sources_view(article.sources, "s", doc),
    }
