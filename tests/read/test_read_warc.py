import gzip
import tracemalloc

import pytest
from corpus_samples import DE_PARAGRAPHS, EN_PARAGRAPHS, gzip_bomb_warc_member, html_page, warc_bytes, write

from crosswire.read import Rejected, read_articles
from crosswire.read.warc import MAX_RATIO, RATIO_SLACK_BYTES

EN_PAGE = html_page(EN_PARAGRAPHS).encode()
DE_PAGE = html_page(DE_PARAGRAPHS, title="Sturm verzögert Container", lang="de").encode()


@pytest.mark.parametrize("gzipped", [True, False])
def test_html_responses_become_articles(tmp_path, gzipped):
    path = write(
        tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"),
        warc_bytes(
            [
                ("https://herald.example/a", EN_PAGE, "text/html; charset=utf-8"),
                ("https://herald.example/logo.png", b"\x89PNG\r\n", "image/png"),
                ("https://herald.example/b", DE_PAGE, "text/html"),
            ],
            gzipped=gzipped,
        ),
    )
    en, de = read_articles(path)
    assert en.source == f"{path} (record 2, https://herald.example/a)"
    assert (en.lang, en.url, en.title, en.outlet, en.published) == (
        "en",
        "https://herald.example/a",
        "Storm delays containers",
        "Elrond Herald",
        "2024-03-05",
    )
    assert EN_PARAGRAPHS[0] in en.text and "Copyright" not in en.text
    assert de.lang == "de"


def test_error_pages_are_not_articles(tmp_path):
    path = write(tmp_path / "404.warc.gz", warc_bytes([("https://h/x", EN_PAGE, "text/html")], status="404 Not Found"))
    assert list(read_articles(path)) == []


def test_page_without_text_rejected_rest_read(tmp_path):
    empty_page = b"<html><body><script>var menu = 1;</script></body></html>"
    path = write(
        tmp_path / "c.warc.gz",
        warc_bytes([("https://h/empty", empty_page, "text/html"), ("https://h/b", DE_PAGE, "text/html")]),
    )
    rejected, article = read_articles(path)
    assert (rejected.code, rejected.source) == ("CW106", f"{path} (record 2, https://h/empty)")
    assert article.lang == "de"


def test_gzip_bomb_stops_the_file_with_its_reason(tmp_path):
    inflated = MAX_RATIO * 1024 * 1024 + RATIO_SLACK_BYTES  # well past the ratio for a ~100 KB member
    path = write(
        tmp_path / "bomb.warc.gz",
        warc_bytes([("https://h/a", EN_PAGE, "text/html")])
        + gzip_bomb_warc_member(inflated)
        + warc_bytes([("https://h/b", DE_PAGE, "text/html")]),
    )
    tracemalloc.start()
    try:
        article, *bomb_record, rejected = read_articles(path, max_bytes=8 * 1024**2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 8 * 1024**2  # the page cap, not the inflated size, bounds memory
    assert article.lang == "en"
    assert (rejected.code, rejected.source) == ("CW112", str(path))
    assert "decompression bomb" in rejected.detail
    # The bomb's page may be refused on its own first, for inflating past the page cap.
    assert [r.code for r in bomb_record] in ([], ["CW105"])


def test_http_gzip_body_inflating_past_the_page_limit(tmp_path):
    """A small record whose gzip-encoded HTTP body inflates past the page limit is refused."""
    body = gzip.compress(bytes(4 * 1024 * 1024))
    data = warc_bytes([("https://h/z", body, "text/html"), ("https://h/b", DE_PAGE, "text/html")], gzipped=False)
    data = data.replace(b"Content-Type: text/html\r\n", b"Content-Encoding: gzip\r\nContent-Type: text/html\r\n", 1)
    path = write(tmp_path / "z.warc", data)
    rejected, article = read_articles(path, max_bytes=1024 * 1024)
    assert (rejected.code, rejected.source) == ("CW112", f"{path} (record 2, https://h/z)")
    assert article.lang == "de"


def test_truncated_gzip(tmp_path):
    data = warc_bytes([("https://h/a", EN_PAGE, "text/html"), ("https://h/b", DE_PAGE, "text/html")])
    path = write(tmp_path / "cut.warc.gz", data[: len(data) - 200])
    items = list(read_articles(path))
    assert items[0].lang == "en"
    assert isinstance(items[-1], Rejected) and items[-1].code == "CW111" and items[-1].source == str(path)


def test_not_a_warc(tmp_path):
    path = write(tmp_path / "x.warc", "just some words that are not an archive\n" * 3)
    (rejected,) = read_articles(path)
    assert (rejected.code, rejected.source) == ("CW111", str(path))
