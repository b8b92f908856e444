"""Inputs -> Article: plain text or an HTML page, with its language.

HTML is recognised by a .html/.htm extension or by content that opens with
`<!doctype html` or `<html`; its Article.text is the extracted main text.
Anything else is plain text, kept as it is apart from line endings (see read.text).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read.html import extract_page
from crosswire.read.text import text_from_bytes, text_from_str
from crosswire.text.lang import check_language_code, detect_language

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_HTML_OPENINGS = ("<!doctype html", "<html")

__all__ = ["DEFAULT_MAX_BYTES", "read_path", "read_string"]


def read_path(
    path: str | os.PathLike[str], *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read a text or HTML file. `lang` skips identification (it is validated instead).

    Raises CrosswireError: CW101 missing, CW105 over `max_bytes` (checked before reading),
    CW102-CW104 not usable text, CW106 HTML without article text, CW107/CW108 language.
    """
    source = str(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise CrosswireError("CW101", source, "no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise CrosswireError("CW101", source, "not a regular file")
    if info.st_size > max_bytes:
        raise _too_large(source, info.st_size, max_bytes)
    with open(path, "rb") as f:
        # One byte past the limit: the file may have grown since it was measured.
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(source, len(data), max_bytes)
    text, encoding = text_from_bytes(data, source)
    is_html = Path(path).suffix.lower() in _HTML_SUFFIXES or _looks_like_html(text)
    return _article(text, source, is_html=is_html, lang=lang, meta={"encoding": encoding})


def read_string(text: str, *, source: str = "<string>", lang: str | None = None) -> Article:
    """Read text already in memory (e.g. stdin); HTML is recognised by its opening tag."""
    text = text_from_str(text, source)
    return _article(text, source, is_html=_looks_like_html(text), lang=lang, meta={})


def _article(text: str, source: str, *, is_html: bool, lang: str | None, meta: dict[str, Any]) -> Article:
    page_fields: dict[str, Any] = {}
    if is_html:
        page = extract_page(text, source)
        text = page.text
        page_fields = {
            "title": page.title,
            "url": page.url,
            "outlet": page.outlet,
            "published": page.published,
        }
    lang = check_language_code(lang, source) if lang is not None else detect_language(text, source)
    return Article(text=text, lang=lang, source=source, meta=meta, **page_fields)


def _looks_like_html(text: str) -> bool:
    return text.lstrip()[:16].lower().startswith(_HTML_OPENINGS)


def _too_large(source: str, size: int, limit: int) -> CrosswireError:
    return CrosswireError(
        "CW105", source, f"{size:,} bytes is over the {limit:,}-byte limit; pass a smaller file"
    )
