"""WARC.gz files of a real crawl's shape: every page is read once, whatever the gzip layout.

A crawler (warcio's WARCWriter(gzip=True), like wget and Heritrix) writes one gzip member
per record: hundreds of members of a few KB each, whose boundaries fall anywhere in
the reader's chunks. The pages are real news articles (PolNeAR's, read from ../shared)
wrapped in the markup a news site sends, tens of KB a page.
"""

import gzip
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.model import Article
from crosswire.read import Rejected, read_articles
from crosswire.read.warc import _READ_CHUNK

POLNEAR_TEXTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear" / "train" / "text"


def _news_texts(count: int) -> list[str]:
    files = sorted(POLNEAR_TEXTS.glob("*.txt"))[:count]
    assert len(files) == count, f"PolNeAR's articles are missing under {POLNEAR_TEXTS}"
    return [f.read_text(encoding="utf-8") for f in files]


def _page(text: str, number: int, padding: int) -> bytes:
    """A news page: the article's paragraphs in <article>, and the scripts, styles and menus around it."""
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
    script = "var tracking = {" + ", ".join(f'"k{i}": {i * number}' for i in range(padding // 12)) + "};"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story {number}</title>'
        f"<script>{script}</script></head>"
        f"<body><nav><ul>{menu}</ul></nav><article><h1>Story {number}</h1>\n{paragraphs}</article>"
        "<footer>Copyright the Herald</footer></body></html>"
    ).encode("utf-8")


def _crawl(pages: list[bytes], *, gzipped: bool = True) -> bytes:
    """request, response and metadata records per page, as a crawler writes them."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for number, body in enumerate(pages):
        url = f"https://herald.example/story/{number}"
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"outlinks: 40\r\n")))
    return out.getvalue()


def _urls_read(path: Path) -> list[str]:
    items = list(read_articles(path))
    assert [i for i in items if isinstance(i, Rejected)] == []
    return [a.url for a in items if isinstance(a, Article)]


def test_a_crawl_of_300_pages_reads_each_page_once(tmp_path):
    texts = _news_texts(300)
    pages = [_page(text, n, padding=8_000 + 97 * n) for n, text in enumerate(texts)]
    assert min(map(len, pages)) > 10_000 and max(map(len, pages)) > 40_000  # tens of KB, like real pages
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_crawl(pages))
    assert path.stat().st_size > 20 * _READ_CHUNK  # members cross many chunk boundaries
    items = list(read_articles(path))
    assert [i for i in items if isinstance(i, Rejected)] == []
    assert [a.url for a in items] == [f"https://herald.example/story/{n}" for n in range(300)]
    for article, text in zip(items, texts):
        first_line = next(line for line in text.splitlines() if len(line) > 40)
        assert first_line[:40] in article.text


def test_a_crawl_gzipped_whole_reads_as_the_same_pages(tmp_path):
    """`gzip crawl.warc` makes one member of the whole file; it is read like a per-record one."""
    pages = [_page(text, n, padding=12_000) for n, text in enumerate(_news_texts(40))]
    per_record, whole = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    per_record.write_bytes(_crawl(pages))
    whole.write_bytes(gzip.compress(_crawl(pages, gzipped=False)))
    assert _urls_read(per_record) == _urls_read(whole) == [f"https://herald.example/story/{n}" for n in range(40)]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    paddings=st.lists(
        st.one_of(
            st.integers(0, 70_000), st.sampled_from([_READ_CHUNK - 1, _READ_CHUNK, _READ_CHUNK + 1, 2 * _READ_CHUNK])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_member_sizes_read_each_page_once(tmp_path, paddings):
    texts = _news_texts(len(paddings))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_crawl([_page(text, n, padding) for n, (text, padding) in enumerate(zip(texts, paddings))]))
    assert _urls_read(path) == [f"https://herald.example/story/{n}" for n in range(len(paddings))]
