"""Small inputs of every kind the corpus readers take, written for these tests.

The articles are invented; they are long enough for language identification and for
trafilatura to find a main text, and short enough to keep the tests fast.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

EN_PARAGRAPHS = [
    "The harbour authority in Port Elrond said on Tuesday that 1,200 containers had been delayed by the storm.",
    "Officials expect the backlog to clear within four days, according to a statement released in the morning.",
    "Shipping companies had warned last week that the new cranes would not be ready before the end of March.",
    "The mayor, Ingrid Talvik, told reporters that the city would pay for extra night shifts at the terminal.",
]
DE_PARAGRAPHS = [
    "Die Hafenbehörde von Port Elrond teilte am Dienstag mit, dass 1.200 Container wegen des Sturms verspätet sind.",
    "Die Verantwortlichen erwarten, dass der Rückstau innerhalb von vier Tagen abgebaut wird, hieß es in einer Erklärung.",
    "Reedereien hatten vergangene Woche gewarnt, dass die neuen Kräne nicht vor Ende März bereitstehen würden.",
    "Bürgermeisterin Ingrid Talvik sagte, die Stadt werde zusätzliche Nachtschichten am Terminal bezahlen.",
]
EN_TEXT = "\n".join(EN_PARAGRAPHS)
DE_TEXT = "\n".join(DE_PARAGRAPHS)


def article_text(number: int) -> str:
    """A distinct English article per number (distinct enough not to be near-duplicates)."""
    return (
        f"Report {number}: the council of district {number} voted {number * 7 + 3} to {number % 5} on a new budget. "
        f"Residents of street {number * 13} asked for {number * 11} more buses and a library open until {number % 12 + 8} pm. "
        f"The treasurer said the plan costs {number * 1000 + 17} euros and will be reviewed in week {number % 52 + 1}."
    )


def html_page(paragraphs: list[str], title: str = "Storm delays containers", lang: str = "en") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:site_name" content="Elrond Herald">'
        '<meta property="article:published_time" content="2024-03-05T08:00:00Z"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Elrond Herald</footer></body></html>"
    )


def jsonl_line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def rss_feed(entries: list[dict]) -> str:
    items = "".join(
        "<item>"
        f"<title>{e['title']}</title><link>{e['link']}</link>"
        f"<pubDate>{e['date']}</pubDate>"
        f"<description><![CDATA[{e['html']}]]></description>"
        "</item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Elrond Herald</title><link>https://herald.example/</link>{items}</channel></rss>"
    )


def atom_feed(entries: list[dict]) -> str:
    items = "".join(
        "<entry>"
        f'<title>{e["title"]}</title><link href="{e["link"]}"/><id>{e["link"]}</id>'
        f"<updated>{e['date']}</updated>"
        f'<content type="html"><![CDATA[{e["html"]}]]></content>'
        "</entry>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Elrond Atom</title><id>urn:elrond</id><updated>2024-03-05T00:00:00Z</updated>{items}</feed>"
    )


def warc_bytes(records: list[tuple[str, bytes, str]], *, gzipped: bool = True, status: str = "200 OK") -> bytes:
    """A WARC of HTTP responses: (url, body, content type) each, with a request record between."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for url, body, content_type in records:
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


def gzip_bomb_warc_member(inflated_bytes: int) -> bytes:
    """One gzip member holding a WARC response record whose HTML body is `inflated_bytes` zeros."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        "WARC-Date: 2024-03-05T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + inflated_bytes}\r\n\r\n"
    ).encode()
    buffer = io.BytesIO()
    # Streamed a megabyte at a time: the bomb is small on disk and never whole in memory.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as member:
        member.write(header + http)
        chunk = bytes(1024 * 1024)
        for _ in range(inflated_bytes // len(chunk)):
            member.write(chunk)
        member.write(bytes(inflated_bytes % len(chunk)))
    return buffer.getvalue()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# Inputs that once ended a whole ingest with a traceback (found by fuzzing the readers),
# each beside good articles in the same file: name -> (content, [(source suffix, code)]).
# A source suffix names the bad line or entry; the file's other articles must still be read.
def hostile_inputs() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    good = jsonl_line(text=article_text(101))
    deep = '{"text": "nested", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    long_number = '{"text": "a number", "count": 1' + "0" * 5_000 + "}\n"
    surrogate = '{"text": "' + EN_PARAGRAPHS[0] + " \\ud800 " + EN_PARAGRAPHS[1] + '"}\n'
    entry = {
        "title": "t",
        "link": "https://h/5",
        "date": "Tue, 05 Mar 2024 08:00:00 GMT",
        "html": f"<p>{article_text(105)}</p>",
    }
    return {
        "deep.jsonl": (good + deep + jsonl_line(text=article_text(102)), [(":2", "CW109")]),
        "long-number.jsonl": (long_number + jsonl_line(text=article_text(103)), [(":1", "CW109")]),
        "surrogate.jsonl": (surrogate + jsonl_line(text=article_text(104)), [(":1", "CW104")]),
        "year-0.rss": (
            rss_feed(
                [
                    {**entry, "date": "0000-03-05T08:00:00Z"},
                    {**entry, "link": "https://h/6", "html": f"<p>{article_text(106)}</p>"},
                ]
            ),
            [(" (entry 1)", "CW110")],
        ),
        # A control character inside a feed entry's HTML is text, not an error: the entry is read.
        "control.rss": (rss_feed([{**entry, "html": f"<p>{article_text(107)}</p>Night\x08shifts start."}]), []),
    }
