"""Text already decoded -> Article: HTML extraction when it is a page, then language.

Shared by every reader (plain files, JSONL lines, feed entries, WARC records) so that a
page is turned into an article the same way whatever carried it.
"""
from __future__ import annotations

from typing import Any

from crosswire.model import Article
from crosswire.read.html import extract_page
from crosswire.text.lang import check_language_code, detect_language

_HTML_OPENINGS = ("<!doctype html", "<html")


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

    Raises CW106 (HTML without article text), CW107/CW108 (language).
    """
    if is_html:
        page = extract_page(text, source)
        text = page.text
        title, url = page.title or title, page.url or url
        outlet, published = page.outlet or outlet, page.published or published
    lang = check_language_code(lang, source) if lang is not None else detect_language(text, source)
    return Article(
        text=text, lang=lang, source=source, title=title, url=url, outlet=outlet, published=published, meta=meta
    )
