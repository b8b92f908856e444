"""Text already decoded -> Article: HTML extraction when it is a page, then language.

Shared by every reader (plain files, JSONL lines, feed entries, WARC records) so that a
page is turned into an article the same way whatever carried it.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read.html import extract_page
from crosswire.read.dateline import with_text_metadata
from crosswire.text.lang import check_language_code, detect_language

_HTML_OPENINGS = ("<!doctype html", "<html")
# One article's text at most, in characters (about 35,000 words): several times the
# longest news features (long-form runs to 10,000-20,000 words), and a bound on what one
# article costs to segment, embed, store and compare (see docs/ingest-limits.md).
MAX_ARTICLE_CHARS = 200_000
# One HTML page's markup at most, before extraction: pages carry scripts, styles and
# inline data around the article, so far more than the article limit, but bounded.
MAX_PAGE_CHARS = 10_000_000
# How much of an unexpected exception's message a rejection quotes.
_DETAIL_CHARS = 300


def looks_like_html(text: str) -> bool:
    return text.lstrip()[:16].lower().startswith(_HTML_OPENINGS)


def build_article(
    text: str,
    source: str,
    *,
    is_html: bool,
    lang: str | None,
    meta: dict[str, Any],
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """An Article from decoded text; for HTML the page's own metadata wins over the given fields.

    Raises CW104 (a lone surrogate: not text), CW105 (over MAX_PAGE_CHARS of markup or
    MAX_ARTICLE_CHARS of text), CW106 (HTML without article text), CW107/CW108 (language).
    """
    if is_html:
        _refuse_longer(source, text, MAX_PAGE_CHARS, "HTML page")
    else:
        _refuse_longer(source, text, MAX_ARTICLE_CHARS, "article")
    _refuse_surrogates(source, text, title, url, outlet, published, meta)
    if is_html:
        page = extract_page(text, source)
        text = page.text
        _refuse_longer(source, text, MAX_ARTICLE_CHARS, "article text in the page")
        title, url = page.title or title, page.url or url
        outlet, published = page.outlet or outlet, page.published or published
    lang = check_language_code(lang, source) if lang is not None else detect_language(text, source)
    if not is_html:  # plain text carries its own headline and dateline (read.dateline)
        title, outlet, published, meta = with_text_metadata(text, lang, title, outlet, published, meta)
    return Article(
        text=text, lang=lang, source=source, title=title, url=url, outlet=outlet, published=published, meta=meta
    )


def article_or_error(source: str, make: Callable[[], Article]) -> Article | CrosswireError:
    """make(), or the reason it gave no article, so that one bad record never ends a run.

    Every reader calls this where a record (a file, line, entry or WARC record) becomes an
    Article. A CrosswireError is the reason as the reader gave it; any other exception is
    a library (or crosswire) failing on input nobody anticipated, reported as CW114 with
    the exception, and the reader goes on to the next record.
    """
    try:
        return make()
    except CrosswireError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001  (RecursionError, ValueError, UnicodeError ... from parsers)
        return unexpected_failure(source, exc)


def unexpected_failure(source: str, exc: Exception) -> CrosswireError:
    """CW114 for an exception no check anticipated: its type and the start of its message."""
    message = " ".join(str(exc).split())[:_DETAIL_CHARS]
    return CrosswireError(
        "CW114", source, f"reading it failed unexpectedly ({type(exc).__name__}: {message}); the rest was read"
    )


def _refuse_longer(source: str, text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise CrosswireError(
            "CW105",
            source,
            f"the {what} is {len(text):,} characters, over the {limit:,}-character limit for one article; "
            "split it into articles",
        )


def _refuse_surrogates(source: str, *texts: Any) -> None:
    """CW104 for a lone surrogate (JSON's "\\ud800", say): it is no character, and no
    UTF-8 text, database or hash can hold it."""
    for value in texts:
        if value is None:
            continue
        try:
            (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)).encode("utf-8")
        except UnicodeEncodeError as exc:
            code_point = f"U+{ord(exc.object[exc.start]):04X}"
            raise CrosswireError(
                "CW104", source, f"it contains a lone surrogate ({code_point}), which is not a character"
            ) from None
