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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from urllib.parse import urlsplit

from .attribution import extract_attributions, find_outlet, lexicon, outlet_for_domain
from .model import (
    ArticleSources,
    Attribution,
    ClaimProvenance,
    Difference,
    Document,
    Edge,
    Fold,
    Link,
    Node,
    Provenance,
    SourceEntity,
    Span,
)
from .text.dates import find_dates

# "Intisari-Online.com - ...", "Reuters.com — ...": an outlet name heading the first line.
_HEADER_OUTLET = re.compile(r"^\s*([\w.&' -]{2,40}?)\s+[-–—|]\s")
# "LONDON (Reuters) - ", "PARIS, 3 mars (AFP) — "
_DATELINE_OUTLET = re.compile(r"\(([^()\n]{2,30})\)\s*[-–—]")
DATE_SEARCH_SENTENCES = 6
# Hedges of type "conditional" are a verb mood ("aurait", "habría", "sarebbe"): listed
# as attributions, but translations render them in too many ways to compare.
GRAMMATICAL_HEDGES = frozenset(
    {"anonymous:conditional"}
)  # a date in the text counts as the publication date only near the top


def article_sources(doc: Document, attributions: Sequence[Attribution] | None = None) -> ArticleSources:
    """Publisher, publication date and the attributions of one article that name a source;
    `attributions`: what this found for the article before (a corpus stores them at
    ingest), so they are not extracted again."""
    article = doc.article
    if attributions is None:
        attributions = [
            a for a in extract_attributions(article.text, doc.sentences, article.lang) if a.entity.kind != "other"
        ]
    attributions = tuple(attributions)
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


def _graph(articles: Mapping[str, tuple[ArticleSources, str, str]]) -> tuple[dict[str, Node], list[Edge]]:
    """Nodes and edges over any number of articles: id -> (sources, text, label)."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []

    def node(entity: SourceEntity) -> str:
        nodes.setdefault(entity.key, Node(entity.key, entity.kind, entity.name))
        return entity.key

    for side, (sources, text, label) in articles.items():
        article_id = f"article:{side}"
        nodes[article_id] = Node(article_id, "article", label)
        if sources.publisher:
            edges.append(Edge(node(sources.publisher), article_id, "publishes", side, sources.publisher_span))
        for attribution in sources.attributions:
            evidence = _evidence(attribution, text)
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


def _evidence(attribution: Attribution, text: str) -> Span:
    """The words that attribute, cue to source ("According to rumours"), as one span of the text."""
    spans = [s for s in (attribution.cue, attribution.source, attribution.cited) if s]
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    return Span(start, end, text[start:end])


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
            a
            for a in sources.attributions + tuple(carried)
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


@dataclass(frozen=True)
class SourceGraph:
    """The provenance graph of any number of articles, keyed by article id."""

    sources: dict[str, ArticleSources]
    nodes: dict[str, Node]
    edges: tuple[Edge, ...]

    @cached_property
    def _cites(self) -> dict[str, list[str]]:
        """Source -> the sources it cites; built once, as a story asks for every claim."""
        cites: dict[str, list[str]] = {}
        for edge in self.edges:
            if edge.kind == "cites" and not edge.source.startswith("article:"):
                cites.setdefault(edge.source, []).append(edge.target)
        return cites

    def claim_sources(self, claim: Mapping[str, tuple[int, ...]]) -> tuple[dict[str, list[str]], tuple[str, ...]]:
        """For a claim (article id -> its sentence indices): the sources each article
        gives it, and the claim's root sources over all of them."""
        count = self.claim_count(claim)
        return count.starts, count.roots

    def claim_count(self, claim: Mapping[str, tuple[int, ...]]) -> SourceCount:
        """claim_sources, with what the count of independent roots left out and why (SourceCount)."""
        named = {
            side: sorted({x.entity.key for x in _claim_attributions(self.sources[side], sentences)})
            for side, sentences in claim.items()
        }
        starts = {side: keys or [_voice(side, self.sources[side])] for side, keys in named.items()}
        folded: list[Fold] = []
        # An article that relays another article's publisher repeats that article's sources.
        publishers = {side: self.sources[side].publisher.key for side in claim if self.sources[side].publisher}
        for side in claim:
            if not named[side]:
                for other, publisher in publishers.items():
                    if other != side and starts[side] == [publisher]:
                        starts[side] = starts[other]
                        folded.append(Fold(f"article:{side}", "relays", publisher))
        roots: set[str] = set()
        for start in sorted({key for keys in starts.values() for key in keys}):
            found = _roots(start, self._cites)
            roots |= found
            if start not in found:
                folded.extend(Fold(start, "cites", root) for root in sorted(found))
        return SourceCount(starts, tuple(sorted(roots)), tuple(folded))


@dataclass(frozen=True)
class SourceCount:
    """A claim's sources per article (`starts`), the independent roots it counts, and the folds."""

    starts: dict[str, list[str]]
    roots: tuple[str, ...]
    folded: tuple[Fold, ...]


def source_graph(
    docs: Mapping[str, Document],
    labels: Mapping[str, str] | None = None,
    known: Mapping[str, ArticleSources] | None = None,
) -> SourceGraph:
    """The sources of each article and the graph joining them (ids are the mapping's keys);
    `known`: article_sources of some of the articles, found before."""
    known = known or {}
    sources = {
        side: _with_quote_continuations(doc, known[side] if side in known else article_sources(doc))
        for side, doc in docs.items()
    }
    nodes, edges = _graph(
        {
            side: (sources[side], doc.article.text, (labels or {}).get(side, f"article {side}"))
            for side, doc in docs.items()
        }
    )
    ordered = dict(sorted(nodes.items(), key=lambda item: (item[1].kind != "article", item[0])))
    return SourceGraph(sources, ordered, tuple(edges))


def provenance(doc_a: Document, doc_b: Document, links: tuple[Link, ...]) -> Provenance:
    graph = source_graph({"a": doc_a, "b": doc_b}, {"a": "article A", "b": "article B"})
    claims = []
    for index, link in enumerate(links):
        count = graph.claim_count({"a": link.a, "b": link.b})
        claims.append(
            ClaimProvenance(index, tuple(count.starts["a"]), tuple(count.starts["b"]), count.roots, count.folded)
        )
    return Provenance(
        graph.sources["a"],
        graph.sources["b"],
        tuple(graph.nodes.values()),
        graph.edges,
        tuple(claims),
    )


def _hedged(attributions: list[Attribution]) -> list[Attribution]:
    """Attributions that make a claim hearsay: "reportedly", "according to rumours / sources".

    Not within reported speech ("il estime qu'un plafond serait inapplicable"):
    there the conditional is grammar, and the speaker is the attribution.
    """
    if any(x.cue_kind == "verb" for x in attributions):
        return []
    return [
        x
        for x in attributions
        if (x.cue_kind == "hedge" and x.entity.key not in GRAMMATICAL_HEDGES)
        or (x.cue_kind in ("prep", "post") and x.entity.kind == "anonymous")
    ]


def _mentions_cue(doc: Document, sentences: tuple[int, ...]) -> bool:
    """Whether any cue of the language occurs in the sentences, even one not read as an attribution."""
    lex = lexicon(doc.article.lang)
    text = doc.article.text
    return (
        any(lex.pattern.search(text, doc.sentences[i].start, doc.sentences[i].end) for i in sentences)
        if lex and lex.pattern
        else False
    )


def _mentions(doc: Document, sentences: tuple[int, ...], entity: SourceEntity) -> bool:
    text = " ".join(doc.sentences[i].text for i in sentences).casefold()
    return any(word.casefold() in text for word in entity.name.split() if len(word) >= 4)


def attribution_differences(link: Link, prov: Provenance, doc_a: Document, doc_b: Document) -> tuple[Difference, ...]:
    """Hedged in one version and stated as fact in the other, or credited to another outlet or institution.

    Built for precision: a translation says the same thing with other words, and
    a lexicon never covers them all. So only hearsay (a hedge, or an anonymous
    "according to") against a version with no cue at all is reported, and a
    different credit only between normalised outlets and institutions that the
    other version does not mention. Both languages need a cue lexicon.
    """
    if lexicon(doc_a.article.lang) is None or lexicon(doc_b.article.lang) is None:
        return ()
    # Only what each sentence says itself: a quotation carried over from the
    # sentence before is an inference, too weak to report as a difference.
    attrs_a = [x for x in prov.a.attributions if x.sentence in link.a and not x.relay]
    attrs_b = [x for x in prov.b.attributions if x.sentence in link.b and not x.relay]
    hedged_a, hedged_b = _hedged(attrs_a), _hedged(attrs_b)
    if hedged_a and not attrs_b and not _mentions_cue(doc_b, link.b):
        evidence = _evidence(hedged_a[0], doc_a.article.text)
        return (Difference("attribution", evidence, None, f"hedged in A ({evidence.text!r}), stated as fact in B"),)
    if hedged_b and not attrs_a and not _mentions_cue(doc_a, link.a):
        evidence = _evidence(hedged_b[0], doc_b.article.text)
        return (Difference("attribution", None, evidence, f"stated as fact in A, hedged in B ({evidence.text!r})"),)
    credited_a = [x for x in attrs_a if x.entity.kind in ("outlet", "institution")]
    credited_b = [x for x in attrs_b if x.entity.kind in ("outlet", "institution")]
    if (
        credited_a
        and credited_b
        and not {x.entity.key for x in credited_a} & {x.entity.key for x in credited_b}
        and not any(_mentions(doc_b, link.b, x.entity) for x in credited_a)
        and not any(_mentions(doc_a, link.a, x.entity) for x in credited_b)
    ):
        first_a, first_b = credited_a[0], credited_b[0]
        return (
            Difference(
                "attribution",
                _evidence(first_a, doc_a.article.text),
                _evidence(first_b, doc_b.article.text),
                f"credited to {first_a.entity.name!r} in A, {first_b.entity.name!r} in B",
            ),
        )
    return ()
