"""Render a Comparison to a self-contained, script-free HTML report.

Every piece of article text reaches the template as a plain string and is
escaped by Jinja2's autoescaping; the page also carries a Content-Security-Policy
that forbids scripts, so a templating mistake cannot run code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from crosswire.model import Comparison, Difference, Document, Link
from crosswire.provenance import ArticleSources
from crosswire.render._common import (
    describe,
    kind_label,
    notices,
    sentence_at,
    sentence_map,
    sentence_text,
    side_spans,
    summary,
)
from crosswire.render.svg import provenance_svg

CSP = "default-src 'none'; style-src 'unsafe-inline'"

MARK_CLASSES = {
    "number": "num",
    "name": "name",
    "name_variant": "variant",
    "date": "date",
    "attribution": "attr",
}
# When spans overlap, the piece gets the class of the most important difference.
_PRIORITY = {"name": 0, "number": 1, "date": 2, "attribution": 3, "name_variant": 4}


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("crosswire.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Segment:
    text: str
    cls: str | None = None  # mark class, None for plain text
    title: str | None = None  # tooltip, e.g. "number: 2,500 → 3,000"


@dataclass
class SentenceView:
    index: int
    anchor: str  # "a-3"
    segments: list[Segment]


@dataclass
class DiffView:
    kind: str
    label: str
    cls: str
    a_text: str | None
    b_text: str | None
    a_anchor: str | None
    b_anchor: str | None
    note: str
    description: str


@dataclass
class Row:
    kind: str  # "link" | "only-a" | "only-b"
    status: str | None = None  # "same" | "changed" | "possibly_related" for links
    score: float | None = None
    a: list[SentenceView] = field(default_factory=list)
    b: list[SentenceView] = field(default_factory=list)
    differences: list[DiffView] = field(default_factory=list)
    independent: int | None = None  # independent root sources of a linked claim
    roots: list[str] = field(default_factory=list)


def segments(text: str, offset: int, spans: list[tuple[int, int, Difference]]) -> list[Segment]:
    """Split `text` (which starts at article offset `offset`) into plain and marked pieces."""
    end = offset + len(text)
    clipped = [(max(s, offset), min(e, end), d) for s, e, d in spans if max(s, offset) < min(e, end)]
    if not clipped:
        return [Segment(text)] if text else []
    cuts = sorted({offset, end, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    out: list[Segment] = []
    for lo, hi in zip(cuts, cuts[1:]):
        covering = [d for s, e, d in clipped if s <= lo and hi <= e]
        if covering:
            d = min(covering, key=lambda d: _PRIORITY.get(d.kind, 9))
            seg = Segment(text[lo - offset : hi - offset], MARK_CLASSES.get(d.kind, "other"), describe(d))
        else:
            seg = Segment(text[lo - offset : hi - offset])
        if out and out[-1].cls == seg.cls and out[-1].title == seg.title:
            out[-1].text += seg.text
        else:
            out.append(seg)
    return out


def _sentence_views(doc: Document, side: str, indices, spans) -> list[SentenceView]:
    sentences = sentence_map(doc)
    views = []
    for idx in indices:
        s = sentences.get(idx)
        if s is not None:
            views.append(SentenceView(idx, f"{side}-{idx}", segments(sentence_text(doc, s), s.start, spans)))
    return views


def _diff_view(cmp: Comparison, d: Difference) -> DiffView:
    sa = sentence_at(cmp.a, d.a.start) if d.a else None
    sb = sentence_at(cmp.b, d.b.start) if d.b else None
    return DiffView(
        kind=d.kind,
        label=kind_label(d.kind),
        cls=MARK_CLASSES.get(d.kind, "other"),
        a_text=d.a.text if d.a else None,
        b_text=d.b.text if d.b else None,
        a_anchor=f"a-{sa.index}" if sa else None,
        b_anchor=f"b-{sb.index}" if sb else None,
        note=d.note,
        description=describe(d),
    )


def _link_row(cmp: Comparison, index: int, link: Link) -> Row:
    claim = cmp.provenance.claims[index] if cmp.provenance else None
    labels = {n.id: n.label for n in cmp.provenance.nodes} if cmp.provenance else {}
    return Row(
        kind="link",
        status=link.status,
        score=round(link.score, 3),
        a=_sentence_views(cmp.a, "a", link.a, side_spans(link, "a")),
        b=_sentence_views(cmp.b, "b", link.b, side_spans(link, "b")),
        differences=[_diff_view(cmp, d) for d in link.differences],
        independent=claim.independent if claim else None,
        roots=[labels.get(r, r) for r in claim.roots] if claim else [],
    )


def _sources_view(sources: ArticleSources, side: str, doc: Document) -> dict:
    """One article's publisher, date and cited sources, each with the words that say so."""
    cited = []
    for attribution in sources.attributions:
        sentence = sentence_at(doc, attribution.cue.start)
        cited.append(
            {
                "name": attribution.entity.name,
                "kind": attribution.entity.kind,
                "relay": attribution.relay,
                "cue": attribution.cue.text,
                "source": attribution.source.text if attribution.source else None,
                "cited": attribution.cited_entity.name if attribution.cited_entity else None,
                "anchor": f"{side}-{sentence.index}" if sentence else None,
            }
        )
    return {
        "side": side.upper(),
        "publisher": sources.publisher.name if sources.publisher else None,
        "publisher_evidence": sources.publisher_evidence,
        "published": sources.published,
        "cited": cited,
    }


def build_rows(cmp: Comparison) -> list[Row]:
    """Rows in A order; each only-in-B row follows the nearest preceding B-linked row."""
    anchored: list[tuple[tuple, Row, Link | None]] = []
    for index, link in enumerate(cmp.links):
        key = (min(link.a), 0, min(link.b, default=-1)) if link.a else (-1, 0, min(link.b, default=-1))
        anchored.append((key, _link_row(cmp, index, link), link))
    for idx in cmp.only_a:
        anchored.append(((idx, 1, -1), Row(kind="only-a", a=_sentence_views(cmp.a, "a", (idx,), [])), None))
    anchored.sort(key=lambda item: item[0])

    leading: list[Row] = []
    after: dict[int, list[Row]] = {}
    for j in sorted(cmp.only_b):
        row = Row(kind="only-b", b=_sentence_views(cmp.b, "b", (j,), []))
        best, best_pos = -1, None
        for pos, (_, _, link) in enumerate(anchored):
            if link is None:
                continue
            preceding = [i for i in link.b if i < j]
            if preceding and max(preceding) > best:
                best, best_pos = max(preceding), pos
        if best_pos is None:
            leading.append(row)
        else:
            after.setdefault(best_pos, []).append(row)

    rows = list(leading)
    for pos, (_, row, _) in enumerate(anchored):
        rows.append(row)
        rows.extend(after.get(pos, []))
    return rows


def _safe_href(url: str | None) -> str | None:
    """Only http(s) URLs become links; anything else (javascript:, data:) is shown as text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _doc_view(doc: Document, side: str) -> dict:
    art = doc.article
    return {
        "side": side,
        "lang": art.lang,
        "title": art.title,
        "source": art.source if art.source != "<string>" else None,
        "url": art.url,
        "href": _safe_href(art.url),
        "outlet": art.outlet,
        "published": art.published,
        "skipped": [{"text": s.text, "reason": s.reason, "start": s.start} for s in doc.skipped],
    }


def render_html(cmp: Comparison) -> str:
    """A single-file side-by-side HTML report of `cmp` (inline CSS, no JavaScript)."""
    template = _env().get_template("report.html.j2")
    return template.render(
        csp=CSP,
        a=_doc_view(cmp.a, "A"),
        b=_doc_view(cmp.b, "B"),
        counts=summary(cmp),
        encoder=cmp.encoder,
        notices=notices(cmp),
        rows=build_rows(cmp),
        sources=[_sources_view(cmp.provenance.a, "a", cmp.a), _sources_view(cmp.provenance.b, "b", cmp.b)]
        if cmp.provenance
        else [],
        # Built by render.svg, which escapes every label and tooltip itself.
        graph=provenance_svg(cmp.provenance) if cmp.provenance else None,
    )
