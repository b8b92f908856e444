"""The plain data that flows between crosswire's stages.

source -> Article -> Document (Sentence[]) -> Fact[] -> Link[] / Difference[] -> Comparison -> views;
beside the links, Attribution[] -> ArticleSources -> Provenance (crosswire.provenance builds it).
This module imports nothing from crosswire: every stage imports it, and nothing here imports
a stage, so the data flows one way (tests/test_architecture.py checks it).
All offsets are character offsets into `Article.text`, the original input
(for HTML: the extracted main text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    text: str
    lang: str
    source: str = "<string>"  # file path or "<string>", used in error messages
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date when known
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Skipped:
    """A line left out of the comparison (e.g. "Baca Juga: ..."), with why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class Fact:
    """A checkable detail inside a sentence: a number, a name or a date.

    `value` is normalised: a Decimal for numbers, an ISO date string for dates,
    a comparison key for names.
    """

    kind: str  # "number" | "name" | "date"
    start: int
    end: int
    text: str
    value: Any


@dataclass(frozen=True)
class SourceEntity:
    """Who a source is, normalised so that spellings and languages meet.

    `key` is stable across articles and languages: "outlet:daily-express",
    "institution:white-house", "person:prigozhin", "anonymous:report".
    Anonymous sources are keyed by their type, so two unnamed "officials" in
    two articles are not counted as two independent confirmations.
    """

    key: str
    kind: str  # "outlet" | "institution" | "person" | "anonymous" | "pronoun" | "other"
    name: str  # display form: the outlet's name, or the source as written

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "name": self.name}


@dataclass(frozen=True)
class Attribution:
    """Who a sentence says the content comes from, with the words that say so.

    `cue_kind` is the lexicon kind: "prep" (according to X), "post" (X'e göre),
    "verb" (X said), "chain" (X reviewed Y), "passive" (Y seen by X) or "hedge"
    (reportedly: no named source). For chains, `cited` is the document X saw;
    for relays ("dilansir dari X") `relay` is true.
    """

    sentence: int
    cue_kind: str
    cue: Span
    source: Span | None
    content: Span | None
    entity: SourceEntity
    cited: Span | None = None
    cited_entity: SourceEntity | None = None
    relay: bool = False

    def to_dict(self) -> dict[str, Any]:
        def span(s: Span | None) -> dict[str, Any] | None:
            return s.to_dict() if s else None

        return {
            "sentence": self.sentence,
            "cue_kind": self.cue_kind,
            "cue": self.cue.to_dict(),
            "source": span(self.source),
            "content": span(self.content),
            "entity": self.entity.to_dict(),
            "cited": span(self.cited),
            "cited_entity": self.cited_entity.to_dict() if self.cited_entity else None,
            "relay": self.relay,
        }


@dataclass(frozen=True)
class Difference:
    kind: str  # "number" | "name" | "name_variant" | "date" | "attribution"
    a: Span | None
    b: Span | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {"kind": self.kind, "a": self.a.to_dict() if self.a else None, "b": self.b.to_dict() if self.b else None}
        if self.note:
            d["note"] = self.note
        return d


# Difference kinds that make a link "changed"; a name_variant alone leaves it "same".
CHANGE_KINDS = frozenset({"number", "name", "date", "attribution"})


# A link's status: "same" or "changed" when the sentences were linked with confidence;
# "possibly_related" when they were paired only weakly (close in the story, or over a
# language the encoder does not know well): shown, never carrying a difference, since a
# change between two sentences that may say different things would be invented.
LINK_STATUSES = ("same", "changed", "possibly_related")


@dataclass(frozen=True)
class Link:
    a: tuple[int, ...]  # sentence indices in article a
    b: tuple[int, ...]
    score: float
    differences: tuple[Difference, ...] = ()
    confident: bool = True

    @property
    def status(self) -> str:
        if not self.confident:
            return "possibly_related"
        return "changed" if any(d.kind in CHANGE_KINDS for d in self.differences) else "same"

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": list(self.a),
            "b": list(self.b),
            "status": self.status,
            "score": round(self.score, 4),
            "differences": [d.to_dict() for d in self.differences],
        }


@dataclass(frozen=True)
class Document:
    """An article prepared for comparison: its sentences and what was skipped."""

    article: Article
    sentences: tuple[Sentence, ...]
    skipped: tuple[Skipped, ...]
    # (sentence index, language) of the sentences confidently in another language than
    # the article's (text.lang.other_language); compare fills it in.
    other_languages: tuple[tuple[int, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        art = self.article
        return {
            "lang": art.lang,
            "source": art.source,
            "title": art.title,
            "url": art.url,
            "published": art.published,
            "sentences": [{"start": s.start, "end": s.end, "text": s.text} for s in self.sentences],
            "skipped": [{"start": s.start, "end": s.end, "text": s.text, "reason": s.reason} for s in self.skipped],
            "other_language_sentences": [{"sentence": i, "lang": lang} for i, lang in self.other_languages],
        }


# -- provenance: who each article cites and relays (built by crosswire.provenance) -------------


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

    def to_dict(self) -> dict[str, Any]:
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

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "label": self.label}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # "publishes" | "relays" | "cites"
    side: str  # id of the article whose text is the evidence ("a" or "b" in a comparison)
    evidence: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "side": self.side,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True)
class ClaimProvenance:
    """The sources of one linked claim on each side, and its independent roots."""

    link: int  # index into Comparison.links
    sources_a: tuple[str, ...]
    sources_b: tuple[str, ...]
    roots: tuple[str, ...]  # the independent sources counted
    folded: tuple[Fold, ...] = ()  # sources not counted on their own, and what they were counted as

    @property
    def independent(self) -> int:
        return len(self.roots)

    def to_dict(self) -> dict[str, Any]:
        return {
            "link": self.link,
            "sources_a": list(self.sources_a),
            "sources_b": list(self.sources_b),
            "roots": list(self.roots),
            "independent_sources": self.independent,
            "folded": [f.to_dict() for f in self.folded],
        }


@dataclass(frozen=True)
class Provenance:
    a: ArticleSources
    b: ArticleSources
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    claims: tuple[ClaimProvenance, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": {"a": self.a.to_dict(), "b": self.b.to_dict()},
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True)
class Fold:
    """A source (or article) that a count of independent sources did not count on its own:
    it `cites` the root it was counted as, or `relays` another article's publisher."""

    source: str
    how: str  # "cites" | "relays"
    into: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "how": self.how, "into": self.into}


SCHEMA_ID = "crosswire.comparison/1"


@dataclass(frozen=True)
class Comparison:
    a: Document
    b: Document
    links: tuple[Link, ...]
    only_a: tuple[int, ...]
    only_b: tuple[int, ...]
    encoder: str
    provenance: Provenance | None = None
    # Languages of the two articles that no packaged encoder was measured to handle well
    # (encode.choose_encoder): their sentence links rest on shared facts, not on meaning.
    unsupported_languages: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        result = {
            "schema": SCHEMA_ID,
            "encoder": self.encoder,
            "unsupported_languages": list(self.unsupported_languages),
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "links": [link.to_dict() for link in self.links],
            "only_a": list(self.only_a),
            "only_b": list(self.only_b),
        }
        if self.provenance is not None:
            # Added in 0.2, backward compatible: consumers of the 0.1 fields see no change.
            result["attributions"] = {
                "a": [x.to_dict() for x in self.provenance.a.attributions],
                "b": [x.to_dict() for x in self.provenance.b.attributions],
            }
            result["provenance"] = self.provenance.to_dict()
        return result
