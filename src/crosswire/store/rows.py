"""Table rows <-> crosswire.model, the same on both store engines (one model, two dialects)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from crosswire.model import Article, Attribution, SourceEntity, Span
from crosswire.store import StoredArticle

# articles' columns that make a StoredArticle, in stored_article's order.
ARTICLE_COLUMNS = "id, text, lang, source, title, url, outlet, published, meta, duplicate_of"
# attributions' columns after (article_id, idx), in attribution_row's order.
ATTRIBUTION_COLUMNS = (
    "sentence_idx, cue_kind, cue_start, cue_end, source_start, source_end, content_start, content_end,"
    " entity_key, entity_kind, entity_name, cited_start, cited_end, cited_key, cited_kind, cited_name, relay"
)


def utc_now() -> str:
    """The time stamp stored in *_at columns."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def stored_article(row: tuple) -> StoredArticle:
    """A row of ARTICLE_COLUMNS as a StoredArticle."""
    article_id, text, lang, source, title, url, outlet, published, meta, duplicate_of = row
    return StoredArticle(
        article_id, Article(text, lang, source, title, url, outlet, published, json.loads(meta)), duplicate_of
    )


def attribution_row(a: Attribution) -> tuple:
    """The ATTRIBUTION_COLUMNS values of one attribution."""

    def offsets(span: Span | None) -> tuple[int | None, int | None]:
        return (span.start, span.end) if span is not None else (None, None)

    cited = a.cited_entity
    return (
        a.sentence,
        a.cue_kind,
        a.cue.start,
        a.cue.end,
        *offsets(a.source),
        *offsets(a.content),
        a.entity.key,
        a.entity.kind,
        a.entity.name,
        *offsets(a.cited),
        cited.key if cited else None,
        cited.kind if cited else None,
        cited.name if cited else None,
        int(a.relay),
    )


def attribution_from_row(
    text: str,
    sentence: int,
    cue_kind: str,
    cue_start: int,
    cue_end: int,
    source_start: int | None,
    source_end: int | None,
    content_start: int | None,
    content_end: int | None,
    entity_key: str,
    entity_kind: str,
    entity_name: str,
    cited_start: int | None,
    cited_end: int | None,
    cited_key: str | None,
    cited_kind: str | None,
    cited_name: str | None,
    relay: int,
) -> Attribution:
    """A row of ATTRIBUTION_COLUMNS back as model.Attribution, its spans cut from the article text."""

    def span(start: int | None, end: int | None) -> Span | None:
        return Span(start, end, text[start:end]) if start is not None else None

    return Attribution(
        sentence,
        cue_kind,
        span(cue_start, cue_end),
        span(source_start, source_end),
        span(content_start, content_end),
        SourceEntity(entity_key, entity_kind, entity_name),
        span(cited_start, cited_end),
        SourceEntity(cited_key, cited_kind, cited_name) if cited_key is not None else None,
        bool(relay),
    )
