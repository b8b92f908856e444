import re
from pathlib import Path

import pytest
import trafilatura

from crosswire.errors import CrosswireError
from crosswire.read import read_path, read_string

PARAGRAPHS = (
    "<p>Over 2,500 drones have reportedly already been shipped from Beijing to Moscow, "
    "according to a UK intelligence report published on Tuesday.</p>"
    "<p>The secret deal was negotiated by Wagner's chief Yevgeny Prigozhin and runs counter "
    "to the Chinese government's assertions that it is not a party to the conflict.</p>"
)

ARTICLE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Drones for Wagner | Daily Example</title>
<meta property="og:title" content="Drones for Wagner">
<meta property="og:site_name" content="Daily Example">
<meta property="og:url" content="https://news.example.com/2023/01/31/drones">
<meta property="article:published_time" content="2023-01-31T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Drones for Wagner</h1>{PARAGRAPHS}</article>
<footer>Copyright Daily Example</footer>
</body></html>
"""

HOSTILE = f"""<html><head><script>document.title = 'pwned'; alert(1)</script></head>
<body onload="alert(2)">
<a href="javascript:alert(3)">Click here</a>
<article>
<script>document.write('injected words from a script')</script>
<img src="x" onerror="alert(4)">
{PARAGRAPHS}
<p><a href="javascript:void(0)" onclick="steal()">Read more</a></p>
<iframe src="javascript:alert(5)"></iframe>
<style>p {{ color: red }}</style>
</article></body></html>
"""


def raises_cw(code: str, source):
    """Expect a CrosswireError with `code` whose message names `source`."""
    return pytest.raises(CrosswireError, match=rf"^{code} .*{re.escape(Path(str(source)).name)}")


def write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_article_text_and_metadata(tmp_path):
    article = read_path(write(tmp_path, "drones.html", ARTICLE))
    assert article.lang == "en"
    assert "Over 2,500 drones have reportedly" in article.text
    assert "Yevgeny Prigozhin" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text
    assert article.title == "Drones for Wagner"
    assert article.url == "https://news.example.com/2023/01/31/drones"
    assert article.outlet == "Daily Example"
    assert article.published == "2023-01-31"
    assert article.meta["encoding"] == "utf-8"


def test_hostile_html_yields_only_the_article_text(tmp_path):
    article = read_path(write(tmp_path, "hostile.htm", HOSTILE))
    assert "Over 2,500 drones" in article.text
    for leaked in ("alert", "javascript", "injected", "onerror", "steal", "color: red"):
        assert leaked not in article.text


def test_deep_nesting_does_not_crash(tmp_path):
    path = write(tmp_path, "nested.html", "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000)
    with raises_cw("CW106", path):
        read_path(path)


def test_page_without_article_text(tmp_path):
    html = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav><div></div></body></html>"
    path = write(tmp_path, "empty_page.html", html)
    with raises_cw("CW106", path):
        read_path(path)


def test_parser_failure_becomes_cw106(tmp_path, monkeypatch):
    def explode(*args, **kwargs):
        raise ValueError("document is empty")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    path = write(tmp_path, "broken.html", ARTICLE)
    with raises_cw("CW106", path) as excinfo:
        read_path(path)
    assert "ValueError: document is empty" in str(excinfo.value)


def test_html_recognised_by_content(tmp_path):
    article = read_path(write(tmp_path, "saved_page.txt", "\n  " + ARTICLE))
    assert article.title == "Drones for Wagner"
    assert "<p>" not in article.text


def test_read_string_html():
    article = read_string(ARTICLE, source="stdin")
    assert article.outlet == "Daily Example"
    assert article.lang == "en"


def test_given_language_applies_to_html(tmp_path):
    assert read_path(write(tmp_path, "drones.html", ARTICLE), lang="en").lang == "en"
    with raises_cw("CW108", "drones.html"):
        read_path(tmp_path / "drones.html", lang="english")
