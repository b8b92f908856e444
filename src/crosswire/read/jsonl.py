"""JSON Lines -> Articles: one JSON object per line.

Each line holds `text` and optionally `title`, `url`, `published` (ISO 8601), `lang` and
`outlet`; other keys go to Article.meta. The file is streamed: each line is read with a
length cap, so one enormous line costs at most the cap in memory, and a bad line is
rejected with its number while the lines after it are still read.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from typing import Any, BinaryIO, Iterator

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read.article import article_or_error, build_article, looks_like_html
from crosswire.read.text import text_from_str

# An article, even a long one with markup, is well under this; a longer line is refused.
DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024
# How deep a line's JSON may nest: an article's fields are flat, and metadata a few
# levels deep at most. A bound well below Python's recursion limit, so that the record
# can be written back as JSON (into the store, say) from any depth of the call stack.
MAX_JSON_DEPTH = 64
# How much of an over-long line is read at a time while skipping to its end.
_SKIP_CHUNK = 4 * 1024 * 1024
_TEXT_FIELDS = ("title", "url", "published", "lang", "outlet")


def read_jsonl(
    path: str | os.PathLike[str], *, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
) -> Iterator[Article | CrosswireError]:
    """Yield an Article per usable line and a CrosswireError per bad one; blank lines are ignored.

    Each item's source is `path:line`. Errors: CW105 (line over `max_line_bytes`),
    CW109 (not a JSON object with a string `text`, or a field of the wrong type),
    CW102-CW108 as for any text.
    """
    with open(path, "rb") as f:
        for number, line in enumerate(_capped_lines(f, max_line_bytes), start=1):
            source = f"{path}:{number}"
            if line is None:
                yield CrosswireError(
                    "CW105", source, f"the line is over the {max_line_bytes:,}-byte line limit; it was skipped"
                )
            elif line.strip():
                yield article_or_error(source, lambda: _article(line, source))


def read_json_article(record: bytes | str, source: str) -> Article:
    """One JSON object, as a JSONL line holds it (a stream message, say) -> Article.

    Raises CrosswireError as read_jsonl reports a bad line (CW104, CW109, CW102-CW108).
    """
    return _article(record.encode("utf-8") if isinstance(record, str) else record, source)


def _capped_lines(f: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """Each line of `f`, or None for a line longer than `cap` (read past, never held whole)."""
    while True:
        line = f.readline(cap + 1)
        if not line:
            return
        if len(line) <= cap:
            yield line
            continue
        # cap + 1 bytes with no newline yet, or exactly cap + 1 ending in one: too long either way.
        if not line.endswith(b"\n"):
            _skip_past_newline(f)
        yield None


def _skip_past_newline(f: BinaryIO) -> None:
    """Move past the next line break (or to the end), a chunk at a time into one reused buffer."""
    chunk = bytearray(_SKIP_CHUNK)
    while size := f.readinto(chunk):
        newline = chunk.find(b"\n", 0, size)
        if newline >= 0:
            f.seek(newline + 1 - size, os.SEEK_CUR)
            return


def _article(line: bytes, source: str) -> Article:
    try:
        record = json.loads(line)
    except UnicodeDecodeError as exc:
        raise CrosswireError("CW104", source, f"the line is not valid UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CrosswireError("CW109", source, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise CrosswireError("CW109", source, "the JSON is nested too deeply to read") from None
    except ValueError as exc:  # a number of more digits than Python converts (4,300)
        raise CrosswireError("CW109", source, f"the JSON holds a value that cannot be read ({exc})") from None
    if not isinstance(record, dict):
        raise CrosswireError("CW109", source, f"expected a JSON object, found {_json_type(record)}")
    if _nested_deeper(record, MAX_JSON_DEPTH):
        raise CrosswireError("CW109", source, f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
    text = record.get("text")
    if not isinstance(text, str):
        found = "none" if text is None else _json_type(text)
        raise CrosswireError("CW109", source, f'an article needs a string "text" field; found {found}')
    fields: dict[str, str | None] = {}
    for key in _TEXT_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise CrosswireError("CW109", source, f'"{key}" must be a string, found {_json_type(value)}')
        fields[key] = value or None
    if fields["published"] is not None:
        fields["published"] = _iso_date(fields["published"], source)
    meta: dict[str, Any] = {k: v for k, v in record.items() if k != "text" and k not in _TEXT_FIELDS}
    text = text_from_str(text, source)
    return build_article(text, source, is_html=looks_like_html(text), meta=meta, **fields)


def _nested_deeper(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if not isinstance(item, (dict, list)):
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages."""
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return names.get(type(value), "null")


def _iso_date(value: str, source: str) -> str:
    """The ISO form of a date or date-time ("2023-01-31", "2023-01-31T08:00:00+00:00")."""
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(value).isoformat()
        except ValueError:
            continue
    raise CrosswireError("CW109", source, f'"published" is not an ISO 8601 date: {value[:40]!r}')
