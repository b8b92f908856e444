"""Bytes of a text file -> str, refusing what is not text.

Only two changes are made to the content: a leading UTF-8 byte-order mark is
dropped and line endings are normalised (CRLF and lone CR become LF).
Every character offset used downstream refers to this normalised text.
"""

from __future__ import annotations

from typing import NamedTuple

import charset_normalizer

from crosswire.errors import CrosswireError

# Binary files show themselves early; sniffing a prefix keeps the check cheap on large inputs.
BINARY_SNIFF_BYTES = 8 * 1024
# Above this share of control bytes the input is data, not prose (text has almost none).
MAX_CONTROL_SHARE = 0.10
# Control bytes that plain text does use: tab, LF, vertical tab, form feed, CR.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r")
_CONTROL_BYTES = (frozenset(range(0x20)) - _TEXT_CONTROLS) | {0x7F}
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class Decoded(NamedTuple):
    text: str
    encoding: str  # Python codec name, e.g. "utf-8" or "cp1252"


def text_from_bytes(data: bytes, source: str) -> Decoded:
    """Decode a file's bytes: UTF-8 first, else the legacy encoding charset_normalizer finds.

    Raises CW102 (empty), CW103 (binary) or CW104 (no encoding fits).
    The returned text has LF line endings; offsets refer to it.
    """
    _refuse_binary(data[:BINARY_SNIFF_BYTES], source)
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        text, encoding = _decode_legacy(data, source, exc.start)
    return Decoded(text_from_str(text.removeprefix("\ufeff"), source), encoding)


def text_from_str(text: str, source: str) -> str:
    """Refuse empty or whitespace-only text (CW102); return it with LF line endings."""
    if not text.strip():
        raise CrosswireError("CW102", source, "the input is empty or only whitespace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_binary(head: bytes, source: str) -> None:
    if b"\x00" in head:
        if head.startswith(_UTF16_32_BOMS):
            detail = "it looks like UTF-16 or UTF-32 text; save it as UTF-8"
        else:
            detail = "it contains NUL bytes, so it looks like binary data, not text"
        raise CrosswireError("CW103", source, detail)
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        share = controls / len(head)
        detail = f"{share:.0%} of its first {len(head)} bytes are control characters; it looks binary"
        raise CrosswireError("CW103", source, detail)


def _decode_legacy(data: bytes, source: str, bad_offset: int) -> tuple[str, str]:
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        try:
            # Decode strictly ourselves: charset_normalizer judges large inputs from samples.
            return data.decode(best.encoding), best.encoding
        except UnicodeDecodeError:
            pass
    raise CrosswireError(
        "CW104",
        source,
        f"not valid UTF-8 (first invalid byte at offset {bad_offset}) and no other text encoding fits; "
        "save it as UTF-8",
    )
