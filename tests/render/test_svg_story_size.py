"""The provenance graph stays legible at the size of a real story (issue 17): 36 articles
and 40 sources, drawn in headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright), where every label's rendered box is measured: labels lie inside their own
box and no two boxes overlap.

Screenshots go to docs/img only on purpose:
CROSSWIRE_SCREENSHOTS=docs/img python -m pytest tests/render/test_svg_story_size.py
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

from crosswire.model import Span
from crosswire.provenance import ArticleSources, Edge, Node, Provenance
from crosswire.render.svg import provenance_svg

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
OUTLETS = [
    "Reuters",
    "Agence France-Presse",
    "Kompas",
    "Tagesspiegel",
    "The Jakarta Post",
    "Le Monde diplomatique",
    "Süddeutsche Zeitung",
    "Deutsche Presse-Agentur",
    "Associated Press",
    "Detik",
]


def story_graph() -> Provenance:
    """36 articles from 10 publishers; each cites 2-4 of 30 sources (people, institutions,
    anonymous reports with long names), some relay an outlet, and some sources cite others."""
    nodes = [
        Node(f"article:{i}", "article", f"{i} · {OUTLETS[i % len(OUTLETS)]} · a long headline about the floods")
        for i in range(36)
    ]
    nodes += [Node(f"outlet:{k}", "outlet", name) for k, name in enumerate(OUTLETS)]
    kinds = ("person", "institution", "anonymous")
    nodes += [
        Node(f"{kinds[j % 3]}:{j}", kinds[j % 3], f"Source number {j} with a rather long descriptive name")
        for j in range(30)
    ]
    edges = []
    for i in range(36):
        edges.append(Edge(f"outlet:{i % len(OUTLETS)}", f"article:{i}", "publishes", str(i), None))
        for j in range(2 + i % 3):
            target = (i * 7 + j * 11) % 30
            edges.append(Edge(f"article:{i}", f"{kinds[target % 3]}:{target}", "cites", str(i), Span(0, 4, "said")))
        if i % 5 == 0:
            edges.append(Edge(f"article:{i}", f"outlet:{(i + 1) % len(OUTLETS)}", "relays", str(i), None))
    for j in range(0, 30, 4):
        source, target = f"{kinds[j % 3]}:{j}", f"{kinds[(j + 2) % 3]}:{j + 2}"
        edges.append(Edge(source, target, "cites", "3", Span(0, 4, "says")))
    empty = ArticleSources(None, "", None, None, None, ())
    return Provenance(empty, empty, tuple(nodes), tuple(edges))


MEASURE = """() => {
  const boxes = [...document.querySelectorAll('g.node')].map(g => {
    const r = g.querySelector('rect').getBBox();
    const labels = [...g.querySelectorAll('text')].map(t => t.getBBox());
    return {r: {x: r.x, y: r.y, w: r.width, h: r.height}, labels: labels.map(b => ({x: b.x, y: b.y, w: b.width, h: b.height}))};
  });
  return boxes;
}"""


def test_a_story_sized_graph_has_every_label_inside_its_own_box_and_no_overlaps():
    svg = str(provenance_svg(story_graph()))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_content(f"<!DOCTYPE html><html><body style='margin:0'>{svg}</body></html>")
        boxes = page.evaluate(MEASURE)
        if os.environ.get("CROSSWIRE_SCREENSHOTS"):
            folder = Path(os.environ["CROSSWIRE_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(folder / "provenance-story-36-articles.png")
            )  # the top: the whole is 2,400 px tall
        browser.close()
    assert len(boxes) == 36 + 10 + 30
    for box in boxes:
        r = box["r"]
        for label in box["labels"]:
            assert r["x"] <= label["x"] and label["x"] + label["w"] <= r["x"] + r["w"], (r, label)
            assert r["y"] <= label["y"] and label["y"] + label["h"] <= r["y"] + r["h"], (r, label)
    rects = [b["r"] for b in boxes]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            ), (a, b)


def _crossings(svg: str) -> int:
    """Pairs of edges between the same two columns whose ends are in opposite order."""
    import re

    spans = [tuple(map(float, m)) for m in re.findall(r'<path d="M(\d+),(\d+) C\d+,\d+ \d+,\d+ (\d+),(\d+)"', svg)]
    count = 0
    for i, (x1, y1, x2, y2) in enumerate(spans):
        for a1, b1, a2, b2 in spans[i + 1 :]:
            if x1 == a1 and x2 == a2 and (y1 - b1) * (y2 - b2) < 0:
                count += 1
    return count


def test_rows_are_ordered_to_cross_fewer_edges_than_the_graph_s_own_order():
    from unittest import mock

    import crosswire.render.svg as svg

    graph = story_graph()
    ordered = _crossings(str(provenance_svg(graph)))
    with mock.patch.object(svg, "BARYCENTRE_SWEEPS", 0):
        unordered = _crossings(str(provenance_svg(graph)))
    assert ordered < unordered
