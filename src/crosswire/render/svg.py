"""The provenance graph as a self-contained SVG picture, in pure Python.

Columns read left to right as the claim travels backwards: publishers, the two
articles, then what each article relays or cites, then what those sources cite
(the Daily Mirror's intelligence report). Every label and tooltip is escaped
here, so the result can be inlined into an HTML page as markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from crosswire.provenance import Edge, Node, Provenance

BOX_W, BOX_H = 220, 44
COL_GAP, ROW_GAP, MARGIN = 90, 22, 16
LABEL_CHARS = 28
FILLS = {
    "article": "#e8eefc",
    "outlet": "#fdf1dc",
    "institution": "#e6f4ea",
    "person": "#f3e8fd",
    "anonymous": "#eeeeee",
    "pronoun": "#eeeeee",
}
SIDE_COLOURS = {"a": "#2f6fdb", "b": "#d9822b"}
# Colours for the articles of a story, told apart by hue (Okabe-Ito, readable by most colour-blind readers).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#7a6a00", "#000000")
BARYCENTRE_SWEEPS = 4
LEGEND_H, LEGEND_W = 24, 760


def _columns(prov: Provenance) -> dict[str, int]:
    """Column of each node: publishers 0, articles 1, then one more per relay/cite step."""
    column = {n.id: 1 for n in prov.nodes if n.kind == "article"}
    for edge in prov.edges:
        if edge.kind == "publishes":
            column.setdefault(edge.source, 0)
    outgoing: dict[str, list[Edge]] = {}
    for edge in prov.edges:
        if edge.kind != "publishes":
            outgoing.setdefault(edge.source, []).append(edge)
    frontier = [n for n, c in column.items() if c == 1]
    # Longest path, bounded by the node count so a citation cycle cannot loop forever.
    for _ in range(len(prov.nodes)):
        following = []
        for node_id in frontier:
            for edge in outgoing.get(node_id, []):
                wanted = column[node_id] + 1
                if column.get(edge.target, -1) < wanted and wanted <= len(prov.nodes) + 1:
                    column[edge.target] = wanted
                    following.append(edge.target)
        if not following:
            break
        frontier = following
    for node in prov.nodes:
        column.setdefault(node.id, 2)
    return column


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _ordered_rows(prov: Provenance, column: dict[str, int]) -> dict[int, list[Node]]:
    """Each column's nodes, top to bottom, so that edges cross as little as a simple method
    allows: after the first column (in the graph's order), a node sits at the mean row of the
    nodes it is joined to in the column before (the barycentre heuristic), swept left to
    right and back a few times."""
    rows: dict[int, list[Node]] = {}
    for node in prov.nodes:
        rows.setdefault(column[node.id], []).append(node)
    neighbours: dict[str, list[str]] = {}
    for edge in prov.edges:
        neighbours.setdefault(edge.source, []).append(edge.target)
        neighbours.setdefault(edge.target, []).append(edge.source)
    order = sorted(rows)
    for sweep in range(BARYCENTRE_SWEEPS):
        columns = order[1:] if sweep % 2 == 0 else order[-2::-1]
        for col in columns:
            beside = col - 1 if sweep % 2 == 0 else col + 1
            place = {n.id: i for i, n in enumerate(rows.get(beside, []))}
            current = {n.id: i for i, n in enumerate(rows[col])}

            def centre(node: Node) -> float:
                found = [place[m] for m in neighbours.get(node.id, []) if m in place]
                return sum(found) / len(found) if found else current[node.id]

            rows[col].sort(key=lambda n: (centre(n), current[n.id]))
    return rows


def _edge_colour(side: str, sides: list[str]) -> str:
    """A comparison's sides keep their colours; a story's articles take the palette in turn."""
    if side in SIDE_COLOURS and len(sides) <= 2:
        return SIDE_COLOURS[side]
    return PALETTE[sides.index(side) % len(PALETTE)] if side in sides else "#555"


def provenance_svg(prov: Provenance) -> Markup:
    """The graph: columns of boxes (no two overlap; a label is cut to its box, the whole in its
    tooltip), edges as curves coloured by the article whose text is their evidence, dashed
    for relays; a legend says which is which instead of a label on every edge, which a story
    of many articles would pile up."""
    column = _columns(prov)
    rows = _ordered_rows(prov, column)
    position: dict[str, tuple[float, float]] = {}
    for col, nodes in rows.items():
        for row, node in enumerate(nodes):
            position[node.id] = (MARGIN + col * (BOX_W + COL_GAP), LEGEND_H + MARGIN + row * (BOX_H + ROW_GAP))
    width = MARGIN * 2 + (max(rows) + 1) * BOX_W + max(rows) * COL_GAP if rows else 2 * MARGIN
    width = max(width, LEGEND_W)
    height = LEGEND_H + MARGIN * 2 + max((len(n) for n in rows.values()), default=0) * (BOX_H + ROW_GAP)
    sides = sorted({edge.side for edge in prov.edges})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="provenance" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        "<title>Provenance: who publishes, relays and cites what</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        f'<g class="legend" font-size="11" fill="#444"><text x="{MARGIN}" y="{MARGIN + 4}">'
        "Left to right: publisher → article → what it relays (dashed) or cites (solid) → what those cite. "
        "Lines take the colour of the article whose words are the evidence; hover for the words.</text></g>",
    ]
    for edge in prov.edges:
        if edge.source not in position or edge.target not in position:
            continue
        (x1, y1), (x2, y2) = position[edge.source], position[edge.target]
        start = (x1 + BOX_W, y1 + BOX_H / 2) if x2 > x1 else (x1, y1 + BOX_H / 2)
        end = (x2, y2 + BOX_H / 2) if x2 > x1 else (x2 + BOX_W, y2 + BOX_H / 2)
        bend = (start[0] + end[0]) / 2
        colour = _edge_colour(edge.side, sides)
        dash = ' stroke-dasharray="5 3"' if edge.kind == "relays" else ""
        tooltip = f"{edge.kind} ({edge.side.upper()})" + (f": {edge.evidence.text}" if edge.evidence else "")
        parts.append(
            f'<g class="edge {escape(edge.kind)}"><title>{escape(tooltip)}</title>'
            f'<path d="M{start[0]:.0f},{start[1]:.0f} C{bend:.0f},{start[1]:.0f} {bend:.0f},{end[1]:.0f} '
            f'{end[0]:.0f},{end[1]:.0f}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-opacity="0.8"'
            f'{dash} marker-end="url(#arrow)"/></g>'
        )
    for node in prov.nodes:
        x, y = position[node.id]
        fill = FILLS.get(node.kind, "#ffffff")
        parts.append(
            f'<g class="node {escape(node.kind)}"><title>{escape(node.label)} ({escape(node.kind)})</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="7" fill="{fill}" stroke="#888"/>'
            f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" font-weight="bold">{escape(_short(node.label))}</text>'
            f'<text x="{x + 8:.0f}" y="{y + 34:.0f}" fill="#666" font-size="10">{escape(node.kind)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
