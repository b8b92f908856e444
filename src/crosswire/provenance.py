"""Provenance: who each article cites, whom it relays, and how many independent roots a claim has.

The graph joins two articles through the sources they name:

    outlet --publishes--> article --relays--> outlet      ("dilansir dari express.co.uk")
                          article --cites---> source      ("according to a UK intelligence report")
                          source  --cites---> document    ("The Daily Mirror reviewed an intelligence report")

Source nodes are keyed by their normalised entity (crosswire.attribution), so
"express.co.uk" and "the Daily Express" are one node, and "an intelligence
report" in English and "laporan intelijen" in Indonesian are one anonymous
report. A claim's root sources are found by following `cites` edges from the
sources its sentences name (or, when they name none, from the article's
voice: the outlet it relays, else its publisher, else the article itself) to
sources that cite nothing further. The independent-corroboration count of a
linked claim is the number of distinct roots over both articles: two articles
relaying one report count as 1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from .attribution import extract_attributions, find_outlet, lexicon, outlet_for_domain
from .model import Attribution, Difference, Document, Link, SourceEntity, Span
from .text.dates import find_dates

# "Intisari-Online.com - ...", "Reuters.com — ...": an outlet name heading the first line.
_HEADER_OUTLET = re.compile(r"^\s*([\w.&' -]{2,40}?)\s+[-–—|]\s")
# "LONDON (Reuters) - ", "PARIS, 3 mars (AFP) — "
_DATELINE_OUTLET = re.compile(r"\(([^()\n]{2,30})\)\s*[-–—]")
DATE_SEARCH_SENTENCES = 6  # a date in the text counts as the publication date only near the top


@dataclass(frozen=True)
class ArticleSources:
    """What one article says about where it comes from, each part with its evidence."""

    publisher: SourceEntity | None
    publisher_evidence: str  # "metadata", "url" or the text span's words
    publisher_span: Span | None
    published: str | None
    published_span: Span | None
    attributions: tuple[Attribution, ...]
    # Attributions carried into the next sentence by a continuing quotation; used for claims only.
    carried: tuple[Attribution, ...] = ()

    @property
    def relayed(self) -> tuple[Attribution, ...]:
        return tuple(a for a in self.attributions if a.relay)

    def to_dict(self) -> dict:
        return {
            "publisher": self.publisher.to_dict() if self.publisher else None,
            "publisher_evidence": self.publisher_evidence,
            "publisher_span": self.publisher_span.to_dict() if self.publisher_span else None,
            "published": self.published,
            "published_span": self.published_span.to_dict() if self.published_span else None,
            "cites": sorted({a.entity.key for a in self.attributions if not a.relay}),
            "relays": sorted({a.entity.key for a in self.relayed}),
        }


@dataclass(frozen=True)
class Node:
    id: str  # "article:a", or an entity key
    kind: str  # "article" | "outlet" | "institution" | "person" | "anonymous" | "pronoun"
    label: str

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "label": self.label}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "publishes" | "relays" | "cites"
    side: str  # "a" | "b": the article whose text is the evidence
    evidence: Span | None

    def to_dict(self) -> dict:
        return {
            "source": self.source, "target": self.target, "kind": self.kind, "side": self.side,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True)
class ClaimProvenance:
    """The sources of one linked claim on each side, and its independent roots."""

    link: int  # index into Comparison.links
    sources_a: tuple[str, ...]
    sources_b: tuple[str, ...]
    roots: tuple[str, ...]

    @property
    def independent(self) -> int:
        return len(self.roots)

    def to_dict(self) -> dict:
        return {
            "link": self.link, "sources_a": list(self.sources_a), "sources_b": list(self.sources_b),
            "roots": list(self.roots), "independent_sources": self.independent,
        }


@dataclass(frozen=True)
class Provenance:
    a: ArticleSources
    b: ArticleSources
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    claims: tuple[ClaimProvenance, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "articles": {"a": self.a.to_dict(), "b": self.b.to_dict()},
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "claims": [c.to_dict() for c in self.claims],
        }


def article_sources(doc: Document) -> ArticleSources:
    """Publisher, publication date and the attributions of one article that name a source."""
    article = doc.article
    attributions = tuple(
        a for a in extract_attributions(article.text, doc.sentences, article.lang) if a.entity.kind != "other"
    )
    publisher, evidence, span = _publisher(doc)
    published, published_span = _published(doc)
    return ArticleSources(publisher, evidence, span, published, published_span, attributions)


def _outlet_entity(name: str) -> SourceEntity:
    outlet = find_outlet(name)
    if outlet:
        return SourceEntity(f"outlet:{outlet.key}", "outlet", outlet.name)
    slug = re.sub(r"[^\w.]+", "-", name.casefold()).strip("-")
    return SourceEntity(f"outlet:{slug}", "outlet", name)


def _publisher(doc: Document) -> tuple[SourceEntity | None, str, Span | None]:
    article = doc.article
    if article.outlet:
        return _outlet_entity(article.outlet), "metadata", None
    if article.url:
        host = urlsplit(article.url).hostname or ""
        known = outlet_for_domain(host)
        if known:
            return SourceEntity(f"outlet:{known.key}", "outlet", known.name), "url", None
        if host:
            return _outlet_entity(host.removeprefix("www.")), "url", None
    if doc.sentences:
        first = doc.sentences[0]
        for pattern in (_HEADER_OUTLET, _DATELINE_OUTLET):
            match = pattern.search(first.text)
            if match and find_outlet(match.group(1)):
                start = first.start + match.start(1)
                return _outlet_entity(match.group(1)), "text", Span(start, start + len(match.group(1)), match.group(1))
    return None, "", None


def _published(doc: Document) -> tuple[str | None, Span | None]:
    article = doc.article
    if article.published:
        return article.published, None
    for sentence in doc.sentences[:DATE_SEARCH_SENTENCES]:
        for date in find_dates(article.text, article.lang, sentence.start, sentence.end):
            if date.year and date.month and date.day:
                return date.iso, Span(date.start, date.end, date.text)
    return None, None


def _graph(a: ArticleSources, b: ArticleSources) -> tuple[dict[str, Node], list[Edge]]:
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []

    def node(entity: SourceEntity) -> str:
        nodes.setdefault(entity.key, Node(entity.key, entity.kind, entity.name))
        return entity.key

    for side, sources in (("a", a), ("b", b)):
        article_id = f"article:{side}"
        nodes[article_id] = Node(article_id, "article", f"article {side.upper()}")
        if sources.publisher:
            edges.append(Edge(node(sources.publisher), article_id, "publishes", side, sources.publisher_span))
        for attribution in sources.attributions:
            evidence = _evidence(attribution)
            if attribution.relay:
                edges.append(Edge(article_id, node(attribution.entity), "relays", side, evidence))
                continue
            edges.append(Edge(article_id, node(attribution.entity), "cites", side, evidence))
            if attribution.cited_entity:
                edges.append(Edge(node(attribution.entity), node(attribution.cited_entity), "cites", side, evidence))
    return nodes, _unique(edges)


def _unique(edges: list[Edge]) -> list[Edge]:
    seen: set[tuple[str, str, str, str]] = set()
    result = []
    for edge in edges:
        key = (edge.source, edge.target, edge.kind, edge.side)
        if key not in seen:
            seen.add(key)
            result.append(edge)
    return result


def _evidence(attribution: Attribution) -> Span:
    """The words that attribute: cue and source together, as one span of the text."""
    spans = [s for s in (attribution.cue, attribution.source, attribution.cited) if s]
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    parts = sorted(spans, key=lambda s: s.start)
    text = parts[0].text
    cursor = parts[0].end
    for part in parts[1:]:
        if part.start >= cursor:
            text += " … " + part.text if part.start > cursor + 1 else " " + part.text
            cursor = part.end
    return Span(start, end, text)


def _claim_attributions(sources: ArticleSources, sentences: tuple[int, ...]) -> list[Attribution]:
    """The attributions in a claim's sentences (relays are article-wide, so not here)."""
    wanted = set(sentences)
    return [a for a in sources.attributions + sources.carried if a.sentence in wanted and not a.relay]


def _with_quote_continuations(doc: Document, sources: ArticleSources) -> ArticleSources:
    """A sentence that opens with a quotation mark and names no source continues the
    quote of the sentence before it, so it inherits that sentence's speech attributions."""
    attributed = {a.sentence for a in sources.attributions}
    carried: list[Attribution] = []
    for sentence in doc.sentences[1:]:
        text = sentence.text.lstrip()
        if sentence.index in attributed or not text or text[0] not in "\"“„«「'‘":
            continue
        previous = [
            a for a in sources.attributions + tuple(carried)
            if a.sentence == sentence.index - 1 and not a.relay and a.cue_kind == "verb"
        ]
        carried.extend(replace(a, sentence=sentence.index, content=None) for a in previous)
    return replace(sources, carried=tuple(carried))


def _voice(side: str, sources: ArticleSources) -> str:
    """Who speaks when a claim names no source: the relayed outlet, the publisher, or the article."""
    if sources.relayed:
        return sources.relayed[0].entity.key
    if sources.publisher:
        return sources.publisher.key
    return f"article:{side}"


def _roots(start: str, cites: dict[str, list[str]]) -> set[str]:
    roots: set[str] = set()
    stack, seen = [start], {start}
    while stack:
        current = stack.pop()
        targets = [t for t in cites.get(current, []) if t not in seen]
        if not targets:
            roots.add(current)
        for target in targets:
            seen.add(target)
            stack.append(target)
    return roots


def provenance(doc_a: Document, doc_b: Document, links: tuple[Link, ...]) -> Provenance:
    a = _with_quote_continuations(doc_a, article_sources(doc_a))
    b = _with_quote_continuations(doc_b, article_sources(doc_b))
    nodes, edges = _graph(a, b)
    cites: dict[str, list[str]] = {}
    for edge in edges:
        if edge.kind == "cites" and not edge.source.startswith("article:"):
            cites.setdefault(edge.source, []).append(edge.target)
    publishers = {"a": a.publisher.key if a.publisher else None, "b": b.publisher.key if b.publisher else None}
    claims = []
    for index, link in enumerate(links):
        named_a = sorted({x.entity.key for x in _claim_attributions(a, link.a)})
        named_b = sorted({x.entity.key for x in _claim_attributions(b, link.b)})
        starts_a = named_a or [_voice("a", a)]
        starts_b = named_b or [_voice("b", b)]
        # An article that relays the other article's publisher repeats that article's sources.
        if not named_b and starts_b[0] == publishers["a"]:
            starts_b = starts_a
        if not named_a and starts_a[0] == publishers["b"]:
            starts_a = starts_b
        roots = set().union(*(_roots(s, cites) for s in starts_a + starts_b))
        claims.append(ClaimProvenance(index, tuple(starts_a), tuple(starts_b), tuple(sorted(roots))))
    ordered_nodes = tuple(sorted(nodes.values(), key=lambda n: (n.kind != "article", n.id)))
    return Provenance(a, b, ordered_nodes, tuple(edges), tuple(claims))


def attribution_differences(link: Link, prov: Provenance, lang_a: str, lang_b: str) -> tuple[Difference, ...]:
    """Hedged in one version and stated as fact in the other, or credited to another source.

    Only between two languages that both have a cue lexicon: without one, a
    missing attribution means nothing.
    """
    if lexicon(lang_a) is None or lexicon(lang_b) is None:
        return ()
    # Only what each sentence says itself: a quotation carried over from the
    # sentence before is an inference, too weak to report as a difference.
    attrs_a = [x for x in prov.a.attributions if x.sentence in link.a and not x.relay]
    attrs_b = [x for x in prov.b.attributions if x.sentence in link.b and not x.relay]
    if attrs_a and not attrs_b:
        first = attrs_a[0]
        return (Difference("attribution", _evidence(first), None,
                           f"attributed in A ({_evidence(first).text!r}), stated as fact in B"),)
    if attrs_b and not attrs_a:
        first = attrs_b[0]
        return (Difference("attribution", None, _evidence(first),
                           f"stated as fact in A, attributed in B ({_evidence(first).text!r})"),)
    keys_a = {x.entity.key for x in attrs_a if x.entity.kind != "pronoun"}
    keys_b = {x.entity.key for x in attrs_b if x.entity.kind != "pronoun"}
    named = {k for k in keys_a | keys_b if not k.startswith("anonymous:")}
    if keys_a and keys_b and not keys_a & keys_b and named:
        return (Difference("attribution", _evidence(attrs_a[0]), _evidence(attrs_b[0]),
                           f"credited to {attrs_a[0].entity.name!r} in A, {attrs_b[0].entity.name!r} in B"),)
    return ()
