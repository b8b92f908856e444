"""Inputs -> Articles: plain text, HTML pages, JSON Lines, RSS/Atom feeds, WARC crawls.

`read_path` reads one text or HTML file into one Article (HTML is recognised by a
.html/.htm extension or by content that opens with `<!doctype html` or `<html`; its
Article.text is the extracted main text). Anything else is plain text, kept as it is
apart from line endings (see read.text).

`read_articles` reads a file or a directory tree of any supported kind into many
Articles, and reports each unusable file, line, entry or record as a `Rejected` that
names it and says why, without stopping.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read.article import build_article, looks_like_html, unexpected_failure
from crosswire.read.feed import read_feed
from crosswire.read.jsonl import read_jsonl
from crosswire.read.text import text_from_bytes, text_from_str
from crosswire.read.warc import GZIP_MAGIC, read_warc

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_KIND_BY_SUFFIX = {
    ".txt": "text",
    ".html": "text",
    ".htm": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
# How much of a file with an unknown extension is looked at to tell its kind.
_SNIFF_BYTES = 1024
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Rejected",
    "input_files",
    "read_articles",
    "read_file_articles",
    "read_path",
    "read_string",
]


@dataclass(frozen=True)
class Rejected:
    """An input (a file, or a line, entry or record inside one) that gave no article, and why."""

    source: str  # "dir/a.jsonl:17", "crawl.warc.gz (record 5, https://...)"
    code: str  # a CrosswireError code, e.g. "CW109"
    detail: str

    @classmethod
    def from_error(cls, error: CrosswireError) -> Rejected:
        return cls(error.source, error.code, error.detail)

    def to_dict(self) -> dict:
        return {"source": self.source, "code": self.code, "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.code} {self.source}: {self.detail}"


def read_path(path: str | os.PathLike[str], *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read a text or HTML file. `lang` skips identification (it is validated instead).

    Raises CrosswireError: CW101 missing, CW105 over `max_bytes` (checked before reading),
    CW102-CW104 not usable text, CW106 HTML without article text, CW107/CW108 language.
    """
    source = str(path)
    data = _read_bytes(path, max_bytes)
    text, encoding = text_from_bytes(data, source)
    is_html = Path(path).suffix.lower() in _HTML_SUFFIXES or looks_like_html(text)
    return build_article(text, source, is_html=is_html, lang=lang, meta={"encoding": encoding})


def read_string(text: str, *, source: str = "<string>", lang: str | None = None) -> Article:
    """Read text already in memory (e.g. stdin); HTML is recognised by its opening tag."""
    text = text_from_str(text, source)
    return build_article(text, source, is_html=looks_like_html(text), lang=lang, meta={})


def input_files(path: str | os.PathLike[str]) -> Iterator[Path]:
    """`path` itself, or every file under it in name order; hidden files and folders are left out."""
    path = Path(path)
    if not path.is_dir():
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def read_articles(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Rejected]:
    """Every article in a file or directory tree, of any supported kind, in a stable order.

    The kind of each file comes from its extension (.txt .html .htm .jsonl .ndjson .rss
    .atom .xml .warc .warc.gz) or, failing that, from its first bytes. Nothing is raised
    for bad input: each problem is yielded as a Rejected and reading goes on.
    """
    for file in input_files(path):
        yield from read_file_articles(file, max_bytes=max_bytes)


def read_file_articles(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Rejected]:
    """The articles of one file (see read_articles)."""
    source = str(path)
    try:
        kind = _kind(path)
        if kind == "text":
            items: Iterator[Article | CrosswireError] = iter([read_path(path, max_bytes=max_bytes)])
        elif kind == "jsonl":
            items = read_jsonl(path)
        elif kind == "feed":
            items = read_feed(_read_bytes(path, max_bytes), source)
        else:
            items = read_warc(path, max_bytes=max_bytes)
        for item in items:
            yield Rejected.from_error(item) if isinstance(item, CrosswireError) else item
    except CrosswireError as exc:
        yield Rejected.from_error(exc)
    except OSError as exc:
        yield Rejected(source, "CW113", f"could not read the file ({exc.strerror or exc})")
    # The readers guard each record (read.article.article_or_error); this is the file's
    # guard, for a failure outside any record, so that the next file is still read.
    except Exception as exc:  # noqa: BLE001
        yield Rejected.from_error(unexpected_failure(source, exc))


def _kind(path: Path) -> str:
    _check_regular_file(path)
    name = path.name.lower()
    for suffix, kind in _KIND_BY_SUFFIX.items():
        if name.endswith(suffix):
            return kind
    with open(path, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    if head.startswith(GZIP_MAGIC) or head.startswith(b"WARC/"):
        return "warc"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    if any(root in head.lower() for root in _FEED_ROOTS):
        return "feed"
    return "text"


def _check_regular_file(path: str | os.PathLike[str]) -> os.stat_result:
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise CrosswireError("CW101", str(path), "no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise CrosswireError("CW101", str(path), "not a regular file")
    return info


def _read_bytes(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    source = str(path)
    info = _check_regular_file(path)
    if info.st_size > max_bytes:
        raise _too_large(source, info.st_size, max_bytes)
    with open(path, "rb") as f:
        # One byte past the limit: the file may have grown since it was measured.
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(source, len(data), max_bytes)
    return data


def _too_large(source: str, size: int, limit: int) -> CrosswireError:
    return CrosswireError("CW105", source, f"{size:,} bytes is over the {limit:,}-byte limit; pass a smaller file")
