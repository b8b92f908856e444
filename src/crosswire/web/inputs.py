"""Pasted text, uploaded files and API bodies -> Articles, through the readers the CLI uses."""

from __future__ import annotations

from dataclasses import replace

from crosswire.model import Article
from crosswire.read import read_string
from crosswire.read.text import text_from_bytes

LABEL_CHARS = 80


def upload_label(filename: str | None, fallback: str) -> str:
    """What an uploaded file is called in messages: its base name, printable, shortened.

    Never a path: an ingest job stores the upload under this name inside a private folder
    of its own (web.jobs.disk_name), so that its articles are named by it.
    """
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:LABEL_CHARS]
    return name or fallback


def article_from_bytes(data: bytes, source: str, lang: str | None) -> Article:
    """An uploaded file's article, decoded as the CLI decodes standard input."""
    text, _encoding = text_from_bytes(data, source)
    return read_string(text, source=source, lang=lang)


def article_from_text(text: str, source: str, lang: str | None, **metadata: str | None) -> Article:
    """A pasted or posted article; metadata given by the caller wins over what the text says."""
    article = read_string(text, source=source, lang=lang)
    given = {key: value for key, value in metadata.items() if value is not None}
    return replace(article, **given) if given else article
