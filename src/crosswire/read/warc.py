"""WARC and WARC.gz crawls -> Articles, one per HTML page, via warcio.

Only successful (2xx) `response` records and `resource` records whose content type is
HTML are articles; every other record (requests, metadata, images) is passed over
silently. Pages go through the same trafilatura extraction as .html files.

A crawl is untrusted, so reading is bounded three ways:
- decompression: a .warc.gz is inflated by the standard library's gzip reader (one
  member per record, as crawlers write it, or the whole file as one member, as `gzip`
  writes it), a bounded read at a time, before warcio sees it; a file that inflates to
  more than MAX_RATIO times its compressed size (plus some slack) is a decompression
  bomb (CW112); reading it stops there. warcio's own gzip handling is not used: it
  inflates without a hook to count what it produces, reports corrupt data on stderr
  and goes on, and refuses a file gzipped whole;
- a page: at most `max_bytes` of a record's (HTTP-decoded) body are read (CW105/CW112);
- lines: warcio reads headers line by line, so a run of MAX_LINE_RUN bytes without a
  line break means the file is not a WARC (CW111) rather than one endless header.
"""

from __future__ import annotations

import gzip
import os
import zlib
from typing import BinaryIO, Iterator

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read.article import article_or_error, build_article
from crosswire.read.text import text_from_bytes

GZIP_MAGIC = b"\x1f\x8b"
# Compressed HTML inflates 5-15x; a bomb inflates ~1000x. The slack lets a small file's
# first member (headers and a short page compress well) inflate freely.
MAX_RATIO = 100
RATIO_SLACK_BYTES = 16 * 1024 * 1024
MAX_LINE_RUN = 64 * 1024 * 1024
_READ_CHUNK = 64 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str | os.PathLike[str], *, max_bytes: int) -> Iterator[Article | CrosswireError]:
    """Yield an Article per HTML page and a CrosswireError per unusable one.

    A file-level failure (not a WARC, truncated, a bomb) is yielded last, after the
    pages read before it. Page sources are `path (record N, URL)`.
    """
    from warcio.archiveiterator import ArchiveIterator  # Imported here: only crawls need it.

    source = str(path)
    with open(path, "rb") as raw:
        stream = _GuardedStream(raw, source, gzipped=raw.read(2) == GZIP_MAGIC)
        raw.seek(0)
        number = 0
        try:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if record.format != "warc":
                    # warcio also reads old ARC files, and takes almost any text for one.
                    raise CrosswireError("CW111", source, f"record {number} is not a WARC record (no WARC/1.x header)")
                if _is_html_page(record):
                    page_source = f"{source} (record {number}, {_uri(record)})"
                    # Read here, not in the guard: a failing stream (a bomb, corrupt gzip) ends the file.
                    body = _read_capped(record.content_stream(), max_bytes + 1)
                    yield article_or_error(page_source, lambda: _page(record, body, page_source, max_bytes))
            if number == 0:
                yield CrosswireError("CW111", source, "no WARC records found: this is not a WARC file")
        except CrosswireError as exc:
            yield exc
        # warcio and its header parser raise many types on corrupt input (ArchiveLoadFailed,
        # ValueError, EOFError, their own parser errors); each means the rest is unreadable.
        except Exception as exc:  # noqa: BLE001
            where = f"after record {number}" if number else "at the start"
            yield CrosswireError("CW111", source, f"not a readable WARC {where} ({type(exc).__name__}: {exc})")


def _uri(record) -> str:
    return record.rec_headers.get_header("WARC-Target-URI") or "no URI"


def _is_html_page(record) -> bool:
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        content_type = record.http_headers.get_header("Content-Type") or ""
        return status.startswith("2") and content_type.lower().startswith(_HTML_TYPES)
    if record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
        return content_type.lower().startswith(_HTML_TYPES)
    return False


def _page(record, body: bytes, source: str, max_bytes: int) -> Article:
    if len(body) > max_bytes:
        declared = int(record.rec_headers.get_header("Content-Length") or 0)
        if declared <= max_bytes:
            raise CrosswireError(
                "CW112", source, f"the page's HTTP body inflates past the {max_bytes:,}-byte limit; skipped"
            )
        raise CrosswireError("CW105", source, f"the page is over the {max_bytes:,}-byte limit; skipped")
    text, encoding = text_from_bytes(body, source)
    return build_article(
        text,
        source,
        is_html=True,
        lang=None,
        meta={"encoding": encoding, "crawled": record.rec_headers.get_header("WARC-Date")},
        url=_uri(record) if record.rec_headers.get_header("WARC-Target-URI") else None,
    )


def _read_capped(stream, limit: int) -> bytes:
    """Up to `limit` bytes, gathered a chunk at a time so the cap, not twice it, bounds memory."""
    body = bytearray()
    while len(body) < limit and (chunk := stream.read(min(_READ_CHUNK * 16, limit - len(body)))):
        body += chunk
    return bytes(body)


class _GuardedStream:
    """The file as warcio reads it: inflated (when gzipped) with a ratio cap, line runs capped."""

    def __init__(self, raw: BinaryIO, source: str, *, gzipped: bool) -> None:
        self._raw = raw
        self._source = source
        # gzip.GzipFile reads member after member; read1 inflates at most `size` bytes and
        # returns what one step gave, so a damaged member later on does not hide the records before it.
        self._inflated = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
        self._produced = 0
        self._line_run = 0

    def read(self, size: int = -1) -> bytes:
        size = size if size and size > 0 else _READ_CHUNK
        try:
            data = self._inflated.read1(size)
        except EOFError:
            raise CrosswireError("CW111", self._source, "the file is truncated inside a gzip member") from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise CrosswireError("CW111", self._source, f"corrupt gzip data ({exc})") from None
        self._produced += len(data)
        self._check(data)
        return data

    def tell(self) -> int:
        return self._produced

    def close(self) -> None:
        self._raw.close()

    def _check(self, data: bytes) -> None:
        consumed = self._raw.tell()  # compressed bytes read so far (the gzip reader's read-ahead included)
        if self._produced > MAX_RATIO * consumed + RATIO_SLACK_BYTES:
            raise CrosswireError(
                "CW112",
                self._source,
                f"{consumed:,} compressed bytes inflate to over {self._produced:,}: "
                "a decompression bomb; the rest of the file was not read",
            )
        newline = data.rfind(b"\n")
        self._line_run = len(data) - newline - 1 if newline >= 0 else self._line_run + len(data)
        if self._line_run > MAX_LINE_RUN:
            raise CrosswireError(
                "CW111", self._source, f"{MAX_LINE_RUN:,} bytes without a line break: this is not a WARC file"
            )
