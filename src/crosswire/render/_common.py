"""Helpers shared by the terminal and HTML renderers (not public API)."""

from __future__ import annotations

from crosswire.model import Comparison, Difference, Document, Link, Sentence

KIND_LABELS = {
    "number": "number",
    "name": "name",
    "name_variant": "name variant",
    "date": "date",
    "attribution": "attribution",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def describe(diff: Difference) -> str:
    """One line for a difference, e.g. ``number: 2,500 → 3,000``."""
    a = diff.a.text if diff.a else "—"
    b = diff.b.text if diff.b else "—"
    line = f"{kind_label(diff.kind)}: {a} → {b}"
    if diff.note:
        line += f" ({diff.note})"
    return line


def sentence_map(doc: Document) -> dict[int, Sentence]:
    return {s.index: s for s in doc.sentences}


def sentence_text(doc: Document, s: Sentence) -> str:
    """A sentence's text, taken from the article so that offsets line up."""
    return doc.article.text[s.start : s.end]


def sentence_at(doc: Document, offset: int) -> Sentence | None:
    for s in doc.sentences:
        if s.start <= offset < s.end:
            return s
    return None


def summary(cmp: Comparison) -> dict[str, int]:
    statuses = [link.status for link in cmp.links]
    return {
        "a_sentences": len(cmp.a.sentences),
        "b_sentences": len(cmp.b.sentences),
        "a_skipped": len(cmp.a.skipped),
        "b_skipped": len(cmp.b.skipped),
        "links": len(cmp.links),
        "same": statuses.count("same"),
        "changed": statuses.count("changed"),
        "possibly_related": statuses.count("possibly_related"),
        "only_a": len(cmp.only_a),
        "only_b": len(cmp.only_b),
    }


def notices(cmp: Comparison) -> list[str]:
    """What a reader must know before trusting the comparison: a language that no packaged
    encoder handles, sentences in another language than their article's."""
    out = []
    if cmp.unsupported_languages:
        langs = ", ".join(cmp.unsupported_languages)
        out.append(
            f"No packaged encoder was measured to handle {langs} well: sentences are linked with confidence "
            "only where they share numbers, dates or names; other pairings are shown as possibly related."
        )
    for side, doc in (("A", cmp.a), ("B", cmp.b)):
        if doc.other_languages:
            found = ", ".join(f"sentence {i + 1} reads as {lang}" for i, lang in doc.other_languages)
            out.append(
                f"Article {side} ({doc.article.lang}) mixes languages: {found}. It is compared as "
                f"{doc.article.lang} text, so its names and numbers there may be read wrongly."
            )
    return out


def side_spans(link: Link, side: str) -> list[tuple[int, int, Difference]]:
    """(start, end, difference) for every difference span on side "a" or "b"."""
    out = []
    for d in link.differences:
        span = d.a if side == "a" else d.b
        if span is not None and span.end > span.start:
            out.append((span.start, span.end, d))
    return out
