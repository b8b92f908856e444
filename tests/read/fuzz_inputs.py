"""Hypothesis strategies for fuzzing the readers and ingest, shared by the quick runs in
tests/read/test_read_fuzz_targets.py and tests/test_ingest_fuzz.py and the long run in
bench/fuzz.py.

Each target's inputs are the bytes of one file of its kind, built with the kind's
structure (so the fuzzing reaches past the first parse) from hostile parts: text in any
script with control characters and lone surrogates, numbers and dates of any size,
markup nested at random, JSON values of any type and depth, feed dates in any year,
WARC records with any headers and gzip layout; some inputs are a valid file with
bytes cut, flipped or spliced in.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from corpus_samples import DE_PARAGRAPHS, EN_PARAGRAPHS, article_text, atom_feed, html_page, rss_feed
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.model import Article
from crosswire.read import Rejected, read_file_articles

SENTENCES = (
    EN_PARAGRAPHS
    + DE_PARAGRAPHS
    + [article_text(n) for n in range(1, 6)]
    + [
        "Москва заявила 31.01.2023, что 2 500 дронов Mavic 2 были закуплены.",
        "北京时间2024年3月5日，港口有1,200个集装箱延误。",
        "وقال المتحدث إن ١٢٠٠ حاوية تأخرت يوم الثلاثاء.",
        "ইন্টিসারি অনলাইন জানিয়েছে ২,৫০০ ড্রোন কেনা হয়েছে।",
    ]
)
# Tokens that reach the number, date and name parsers with extreme values.
ODD_TOKENS = [
    "1" + "0" * 5000,
    "1e999",
    "-0.0",
    "1,2,3,4,5",
    "3.5.2024",
    "31/02/2024",
    "0000-00-00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01",
    "12:60",
    "½",
    "٣٫١٤",
    "Ⅻ",
    "𝟏𝟐𝟑",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x08",
    "\x1b[31m",
    "&#0;",
    "&#xD800;",
    "&#x110000;",
    "&amp;",
    "]]>",
    "<!--",
    "\r",
    "\u2028",
    "Mr. O'Neil-Smith",
    "ÉTAT",
    "ǅ",
]
_CODECS = ["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "gb18030", "koi8-r", "utf-8-sig"]

# Any character, lone surrogates included (categories Cs), rarely many at once.
_any_char = st.characters(codec=None, categories=None)
odd_text = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODD_TOKENS), st.text(_any_char, max_size=40)),
    min_size=1,
    max_size=12,
).map(" ".join)
prose = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6).map("\n".join)
text = st.one_of(prose, odd_text)


def _encode(value: str, codec: str) -> bytes:
    return value.encode(codec, errors="surrogatepass" if codec.startswith("utf-8") else "replace")


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` cut short, bytes flipped, random bytes spliced in, or a stretch repeated."""
    how = draw(st.sampled_from(["truncate", "flip", "splice", "repeat"]))
    if not data or how == "truncate":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "flip":
        buffer = bytearray(data)
        for position in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=16)):
            buffer[position] ^= draw(st.integers(1, 255))
        return bytes(buffer)
    at = draw(st.integers(0, len(data)))
    if how == "splice":
        return data[:at] + draw(st.binary(min_size=1, max_size=512)) + data[at:]
    end = draw(st.integers(at, min(len(data), at + 256)))
    return data[:at] + data[at:end] * draw(st.integers(2, 50)) + data[at:]


def _maybe_mutated(valid: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(valid, valid.flatmap(mutated))


# -- plain text -----------------------------------------------------------------------

txt_files = _maybe_mutated(st.builds(_encode, text, st.sampled_from(_CODECS))) | st.binary(max_size=2048)

# -- HTML -----------------------------------------------------------------------------

_TAGS = (
    "p div article section main span a b i br h1 h2 table tr td ul li script style nav footer header title meta "
    "template svg math iframe noscript pre code blockquote figure img html body head".split()
)
_attribute = st.tuples(
    st.sampled_from(["class", "id", "href", "lang", "property", "content", "charset", "style", "onload", "x"]),
    st.one_of(st.text(_any_char, max_size=20), st.sampled_from(ODD_TOKENS)),
).map(lambda kv: f' {kv[0]}="{kv[1]}"')


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, closed: (
            f"<{tag}{''.join(attributes)}>{''.join(inner)}" + (f"</{tag}>" if closed else "")
        ),
        st.sampled_from(_TAGS),
        st.lists(_attribute, max_size=3),
        st.lists(children, max_size=4),
        st.booleans(),
    )


markup = st.recursive(st.one_of(text, st.sampled_from(ODD_TOKENS)), _element, max_leaves=20)
html_documents = st.builds(
    lambda doctype, head, body: f"{doctype}<html><head>{head}</head><body>{body}</body></html>",
    st.sampled_from(["<!DOCTYPE html>", "", "<!doctype html><?xml version='1.0'?>", "<!DOCTYPE html SYSTEM 'x'>"]),
    markup,
    markup,
)
html_files = _maybe_mutated(
    st.one_of(
        st.builds(_encode, html_documents, st.sampled_from(_CODECS)),
        st.builds(
            lambda ps, title: html_page(ps, title=title).encode("utf-8", "surrogatepass"),
            st.lists(text, min_size=1, max_size=5),
            st.text(_any_char, max_size=30),
        ),
    )
)

# -- JSON Lines -----------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(_any_char, max_size=30)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_FIELDS = ["text", "title", "url", "published", "lang", "outlet", "meta"]
json_objects = st.fixed_dictionaries(
    {"text": st.one_of(text, json_values)},
    optional={
        field: st.one_of(st.text(_any_char, max_size=30), st.sampled_from(ODD_TOKENS), json_values)
        for field in _FIELDS[1:]
    },
)


def _json_line(record: dict, ascii_only: bool) -> bytes:
    # ensure_ascii writes a lone surrogate as the escape "\ud800", as other JSON writers do.
    return json.dumps(record, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") + b"\n"


_raw_lines = st.one_of(
    st.builds(_json_line, json_objects, st.booleans()),
    st.integers(1, 200_000).map(lambda depth: b'{"text": "x", "n": ' + b"[" * depth + b"]" * depth + b"}\n"),
    st.integers(1, 20_000).map(lambda digits: b'{"text": "x", "n": 1' + b"0" * digits + b"}\n"),
    st.builds(
        lambda hexes: ('{"text": "' + "".join(f"\\u{h:04x}" for h in hexes) + ' words"}\n').encode(),
        st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=8),
    ),
    st.binary(max_size=200).map(lambda b: b + b"\n"),
    st.sampled_from([b"\n", b"\r\n", b"\xef\xbb\xbf{}\n", b"null\n", b"[]\n", b'"text"\n', b"{\n"]),
)
jsonl_files = _maybe_mutated(st.lists(_raw_lines, min_size=1, max_size=8).map(b"".join))

# -- RSS / Atom -----------------------------------------------------------------------

_dates = st.one_of(
    st.sampled_from(
        [
            "Tue, 05 Mar 2024 08:00:00 GMT",
            "2024-03-05T08:00:00Z",
            "",
            "yesterday",
            "0000-03-05T08:00:00Z",
            "Tue, 05 Mar 0000 08:00:00 GMT",
            "9999-12-31T23:59:59-14:00",
            "2024-13-45",
            "Mon, 31 Feb 2024 25:61:61 +9999",
        ]
    ),
    st.builds(
        lambda y, m, d, zone: f"{y:04d}-{m:02d}-{d:02d}T12:00:00{zone}",
        st.integers(0, 99_999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.sampled_from(["Z", "+14:00", "-23:59", ""]),
    ),
    st.text(_any_char, max_size=30),
)
_entry = st.fixed_dictionaries(
    {
        "title": st.text(_any_char, max_size=30),
        "link": st.one_of(st.just("https://h/1"), st.text(_any_char, max_size=30)),
        "date": _dates,
        "html": st.one_of(markup, prose.map(lambda p: f"<p>{p}</p>")),
    }
)
feed_files = _maybe_mutated(
    st.builds(
        lambda make, entries: make(entries).encode("utf-8", "surrogatepass"),
        st.sampled_from([rss_feed, atom_feed]),
        st.lists(_entry, min_size=1, max_size=4),
    )
)

# -- WARC and WARC.gz -----------------------------------------------------------------

_record = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["response", "response", "resource", "request", "metadata"]),
        "url": st.one_of(
            st.just("https://h/a"), st.text(st.characters(codec="ascii", exclude_characters="\r\n"), max_size=30)
        ),
        "status": st.sampled_from(["200 OK", "404 Not Found", "299 X", "2", "abc"]),
        "content_type": st.sampled_from(
            ["text/html", "text/html; charset=shift_jis", "application/xhtml+xml", "image/png", ""]
        ),
        "encoding": st.sampled_from([None, None, "gzip", "deflate", "br", "chunked", "x-garbage"]),
        "body": st.one_of(
            html_documents.map(lambda h: h.encode("utf-8", "surrogatepass")),
            st.lists(text, min_size=1, max_size=4).map(lambda ps: html_page(ps).encode("utf-8", "surrogatepass")),
            st.binary(max_size=512),
        ),
    }
)


def _warc(records: list[dict], gzipped: bool) -> bytes:
    """The records as a crawl; the same bytes every time (Hypothesis replays its inputs)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for number, r in enumerate(records):
        fixed = {
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>",
            "WARC-Date": "2024-03-05T08:00:00Z",
        }
        body, headers = r["body"], [("Content-Type", r["content_type"])]
        if r["encoding"] == "gzip":
            body, headers = gzip.compress(body, mtime=0), headers + [("Content-Encoding", "gzip")]
        elif r["encoding"] == "chunked":
            body, headers = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body), headers + [("Transfer-Encoding", "chunked")]
        elif r["encoding"] is not None:
            headers += [("Content-Encoding", r["encoding"])]
        if r["kind"] == "request":
            record = writer.create_warc_record(
                r["url"], "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), warc_headers_dict=fixed
            )
        elif r["kind"] == "response":
            http = StatusAndHeaders(r["status"], headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                r["url"], "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=fixed
            )
        else:
            record = writer.create_warc_record(
                r["url"],
                r["kind"],
                payload=io.BytesIO(body),
                warc_content_type=r["content_type"] or None,
                warc_headers_dict=fixed,
            )
        writer.write_record(record)
    return out.getvalue()


def warc_files(gzipped: bool) -> st.SearchStrategy[bytes]:
    crawls = st.lists(_record, min_size=1, max_size=5).map(lambda records: _warc(records, gzipped))
    if gzipped:  # damage before or after compression, or a crawl gzipped whole
        crawls = st.one_of(
            crawls, crawls.map(gzip.decompress).flatmap(mutated).map(lambda d: gzip.compress(d, mtime=0))
        )
    return _maybe_mutated(crawls)


# -- targets --------------------------------------------------------------------------

READER_TARGETS: dict[str, tuple[str, st.SearchStrategy[bytes]]] = {
    "txt": (".txt", txt_files),
    "html": (".html", html_files),
    "jsonl": (".jsonl", jsonl_files),
    "feed": (".rss", feed_files),
    "warc": (".warc", warc_files(False)),
    "warc.gz": (".warc.gz", warc_files(True)),
}
# Ingest takes a folder of files of any kind.
ingest_folders = st.lists(
    st.sampled_from(sorted(READER_TARGETS)).flatmap(
        lambda kind: st.tuples(st.just(READER_TARGETS[kind][0]), READER_TARGETS[kind][1])
    ),
    min_size=1,
    max_size=4,
)


def read_one(path: Path) -> tuple[int, list[Rejected]]:
    """Read one file as ingest does; (articles, rejections). Exceptions propagate: a crash."""
    items = list(read_file_articles(path))
    articles = [item for item in items if isinstance(item, Article)]
    return len(articles), [item for item in items if isinstance(item, Rejected)]
