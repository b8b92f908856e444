"""The provenance picture: well-formed SVG, one box per node, one arrow per edge, labels escaped."""

import xml.etree.ElementTree as ET

from crosswire.model import Span
from crosswire.provenance import ArticleSources, Edge, Node, Provenance
from crosswire.render.svg import provenance_svg

SVG = "{http://www.w3.org/2000/svg}"


def _provenance(label: str) -> Provenance:
    empty = ArticleSources(None, "", None, None, None, ())
    nodes = (
        Node("article:a", "article", "article A"),
        Node("article:b", "article", "article B"),
        Node("outlet:daily-express", "outlet", "Daily Express"),
        Node("anonymous:report", "anonymous", label),
    )
    edges = (
        Edge("article:a", "anonymous:report", "cites", "a", Span(0, 12, "according to")),
        Edge("article:b", "outlet:daily-express", "relays", "b", None),
        Edge("outlet:daily-express", "anonymous:report", "cites", "b", None),
    )
    return Provenance(empty, empty, nodes, edges)


def test_svg_is_well_formed_with_a_box_per_node_and_a_path_per_edge():
    root = ET.fromstring(str(provenance_svg(_provenance("a UK intelligence report"))))
    assert len(root.findall(f".//{SVG}rect")) == 4
    assert len(root.findall(f".//{SVG}path")) == 3 + 1  # three edges and the arrowhead marker


def test_relayed_source_sits_one_column_further_right():
    root = ET.fromstring(str(provenance_svg(_provenance("report"))))
    x = {
        g.find(f"{SVG}title").text.split(" (")[0]: float(g.find(f"{SVG}rect").get("x"))
        for g in root.findall(f".//{SVG}g")
        if g.get("class", "").startswith("node")
    }
    assert x["article A"] < x["Daily Express"] < x["report"]


def test_labels_are_escaped():
    svg = str(provenance_svg(_provenance('<script>alert(1)</script> & "quotes"')))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_a_citation_cycle_does_not_hang():
    prov = _provenance("report")
    looped = Provenance(
        prov.a, prov.b, prov.nodes, prov.edges + (Edge("anonymous:report", "outlet:daily-express", "cites", "a", None),)
    )
    ET.fromstring(str(provenance_svg(looped)))
