"""A self-contained HTML report of a story (render.exports.StoryExport) to attach to a fact-check.

One file, no scripts and no external resources (a Content-Security-Policy forbids both);
all article text is escaped by Jinja2's autoescaping. The claim matrix shows each article's
own sentence in its own language, labelled, and each claim's independent sources with the
ones folded into them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import crosswire

from ._common import describe
from .exports import StoryExport, iso_datetime
from ..corpus import ClaimCell
from .html import CSP, MARK_CLASSES, _env

MARK_SYMBOLS = {"present": "●", "changed": "◐", "absent": "·"}


@dataclass(frozen=True)
class _Column:
    lang: str
    label: str


@dataclass(frozen=True)
class Segment:
    text: str
    cls: str  # a difference's mark class (render.html.MARK_CLASSES), "" for plain text


@dataclass(frozen=True)
class _Cell:
    mark: str
    symbol: str
    lang: str
    segments: tuple[Segment, ...]
    differences: tuple[str, ...]


def cell_segments(cell: ClaimCell) -> tuple[Segment, ...]:
    """A claim cell's own text in pieces, each changed detail (cell.highlights) a piece with
    its mark class, for a template to escape piece by piece."""
    pieces, at = [], 0
    for highlight in cell.highlights:
        if highlight.start > at:
            pieces.append(Segment(cell.text[at : highlight.start], ""))
        pieces.append(Segment(cell.text[highlight.start : highlight.end], MARK_CLASSES.get(highlight.kind, "other")))
        at = highlight.end
    if at < len(cell.text):
        pieces.append(Segment(cell.text[at:], ""))
    return tuple(pieces)


def story_report_html(export: StoryExport, generated: dt.datetime | None = None) -> str:
    view = export.view
    generated = generated or dt.datetime.now(dt.timezone.utc)
    articles = [
        dict(
            id=a.id,
            lang=a.lang,
            outlet=a.outlet,
            title=a.title,
            published=iso_datetime(a.published),
            url=a.url,
            source=a.source,
            duplicate_of=a.duplicate_of,
        )
        for a in view.articles
    ]
    columns = []
    for article_id in view.matrix_articles:
        article = export.article(article_id)
        columns.append(_Column(article.lang, f"{article_id} · {article.outlet or article.title or article.source}"))
    claims = []
    for number, claim in enumerate(view.claims, 1):
        cells = []
        for cell in claim.cells:
            cells.append(
                _Cell(
                    cell.mark,
                    MARK_SYMBOLS.get(cell.mark, "?"),
                    cell.lang,
                    cell_segments(cell),
                    tuple(describe(d) for d in cell.differences),
                )
            )
        claims.append(
            dict(
                number=number,
                lang=claim.lang,
                text=claim.text,
                cells=cells,
                independent=claim.independent_sources,
                counted=[export.source_label(key) for key in claim.root_sources],
                folded=[f"{export.source_label(f.source)} {f.how} {export.source_label(f.into)}" for f in claim.folded],
            )
        )
    return (
        _env()
        .get_template("story_report.html.j2")
        .render(
            csp=CSP,
            story=view.summary,
            first_seen=iso_datetime(view.summary.first_seen),
            last_seen=iso_datetime(view.summary.last_seen),
            version=crosswire.__version__,
            generated=generated.isoformat(timespec="seconds"),
            articles=articles,
            columns=columns,
            claims=claims,
        )
    )
