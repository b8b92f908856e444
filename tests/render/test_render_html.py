"""HTML report: escaping, CSP, marks on both sides, row order, non-Latin text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from crosswire.model import Article, Comparison, Difference, Document, Link, Sentence, Skipped, Span
from crosswire.render import render_html
from crosswire.render.html import build_rows, segments

A_SENTENCES = [
    "Officials said 2,500 people were evacuated from Sendai on 3 March.",
    "Mayor Kazuko Kōri ordered schools closed <script>alert(1)</script> until further notice.",
    "A reader wrote <img src=x onerror=alert(1)> and </textarea> in the comments.",
    "The broadcaster used [bold red]markup[/] in its caption.",
    "Governor Yoshihiro Murai will visit on Friday.",
]
B_SENTENCES = [
    "当局によると、仙台市から3,000人が3月4日に避難した。",
    "郡和子市長は休校を命じた <script>alert(1)</script>。",
    "防災担当の佐藤健一氏は警戒を呼びかけた。",
    "宮城県の村岡嘉浩知事が金曜日に視察する。",
]


def _doc(sentences, lang, skipped_line=None, **meta) -> Document:
    text = " ".join(sentences)
    if skipped_line:
        text += "\n" + skipped_line
    sents, pos = [], 0
    for i, s in enumerate(sentences):
        start = text.index(s, pos)
        sents.append(Sentence(i, start, start + len(s), s))
        pos = start + len(s)
    skipped = ()
    if skipped_line:
        start = text.index(skipped_line)
        skipped = (Skipped(start, start + len(skipped_line), skipped_line, "boilerplate"),)
    return Document(Article(text=text, lang=lang, **meta), tuple(sents), skipped)


def _span(doc: Document, sentence: int, needle: str) -> Span:
    s = doc.sentences[sentence]
    start = doc.article.text.index(needle, s.start)
    assert start + len(needle) <= s.end
    return Span(start, start + len(needle), needle)


def make_comparison() -> Comparison:
    a = _doc(
        A_SENTENCES,
        "en",
        skipped_line="Read more: <script>alert(2)</script>",
        title="<b>Evacuation</b> [bold]news[/bold]",
        url="javascript:alert(document.cookie)",
        source="a.txt",
    )
    b = _doc(B_SENTENCES, "ja", title="仙台で避難", url="https://example.jp/news?a=1&b=2", published="2024-03-04")
    links = (
        Link(
            (0,),
            (0,),
            0.91,
            (
                Difference("number", _span(a, 0, "2,500"), _span(b, 0, "3,000")),
                Difference("date", _span(a, 0, "3 March"), _span(b, 0, "3月4日"), note="one day apart"),
            ),
        ),
        Link((1,), (1,), 0.88, (Difference("name_variant", _span(a, 1, "Kazuko Kōri"), _span(b, 1, "郡和子")),)),
        Link((4,), (3,), 0.8, (Difference("name", _span(a, 4, "Yoshihiro Murai"), _span(b, 3, "村岡嘉浩")),)),
    )
    return Comparison(a=a, b=b, links=links, only_a=(2, 3), only_b=(2,), encoder="test-encoder")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(html: str) -> list[tuple[str, dict]]:
    p = _Collector()
    p.feed(html)
    return p.tags


def test_hostile_text_is_escaped():
    html = render_html(make_comparison())
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # skipped line
    assert "<img" not in html.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("onerror=") == html.count("&lt;img src=x onerror=alert(1)&gt;") == 1
    assert "</textarea>" not in html
    assert "&lt;/textarea&gt;" in html
    assert "&lt;b&gt;Evacuation&lt;/b&gt;" in html
    assert "[bold red]markup[/]" in html


def test_no_script_elements_or_handlers_or_js_urls():
    tags = _parse(render_html(make_comparison()))
    assert tags
    for tag, attrs in tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "textarea"}
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action"}:
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    hrefs = [attrs["href"] for tag, attrs in tags if tag == "a"]
    assert "https://example.jp/news?a=1&b=2" in hrefs  # http(s) URL becomes a link (parser unescapes &amp;)


def test_javascript_url_shown_as_text_only():
    html = render_html(make_comparison())
    assert "javascript:alert(document.cookie)" in html
    assert 'href="javascript:' not in html


def test_meta_charset_and_csp():
    html = render_html(make_comparison())
    assert '<meta charset="utf-8">' in html
    tags = _parse(html)
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(csp) == 1
    assert csp[0]["content"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert html.index("Content-Security-Policy") < html.index("<style>")
    assert html.count("<style>") == 1


def test_marks_on_both_sides():
    html = render_html(make_comparison())

    def marked(cls: str, text: str) -> bool:
        return re.search(rf'<mark class="{cls}"[^>]*>{re.escape(text)}</mark>', html) is not None

    assert marked("num", "2,500") and marked("num", "3,000")
    assert marked("date", "3 March") and marked("date", "3月4日")
    assert marked("variant", "Kazuko Kōri") and marked("variant", "郡和子")
    assert marked("name", "Yoshihiro Murai") and marked("name", "村岡嘉浩")
    assert "number: 2,500 → 3,000" in html
    # The difference list links to the sentences holding the spans.
    assert re.search(r'<a href="#a-0">2,500</a> → <a href="#b-0">3,000</a>', html)
    assert "(one day apart)" in html


def test_non_latin_text_intact_and_anchors():
    cmp = make_comparison()
    html = render_html(cmp)
    for s in (
        "当局によると、仙台市から",
        "人が",
        "に避難した。",
        "防災担当の佐藤健一氏は警戒を呼びかけた。",
        "仙台で避難",
    ):
        assert s in html
    ids = [a["id"] for _, a in _parse(html) if "id" in a]
    assert len(ids) == len(set(ids))
    for i in range(len(A_SENTENCES)):
        assert f"a-{i}" in ids
    for i in range(len(B_SENTENCES)):
        assert f"b-{i}" in ids


def test_changed_rows_marked_and_counts():
    html = render_html(make_comparison())
    assert len(re.findall(r'<tr class="link changed">', html)) == 2
    assert len(re.findall(r'<tr class="link same">', html)) == 1
    assert "linked changed <b>2</b>" in html
    assert "linked same <b>1</b>" in html
    assert "only in A <b>2</b>" in html
    assert "only in B <b>1</b>" in html
    assert html.count('class="b empty"') == 2
    assert html.count('class="a empty"') == 1


def test_row_order():
    rows = build_rows(make_comparison())
    got = [(r.kind, [s.index for s in r.a], [s.index for s in r.b]) for r in rows]
    assert got == [
        ("link", [0], [0]),
        ("link", [1], [1]),
        ("only-b", [], [2]),  # after the nearest preceding B-linked row (b-1)
        ("only-a", [2], []),
        ("only-a", [3], []),
        ("link", [4], [3]),
    ]


def test_only_b_before_any_link_goes_first():
    cmp = make_comparison()
    cmp = Comparison(cmp.a, cmp.b, cmp.links[1:], only_a=(0, 2, 3), only_b=(0, 2), encoder="x")
    rows = build_rows(cmp)
    assert (rows[0].kind, rows[0].b[0].index) == ("only-b", 0)


def test_segments_overlap_and_offsets():
    diffs = [
        (10, 15, Difference("number", Span(10, 15, "xxxxx"), None)),
        (12, 20, Difference("name", Span(12, 20, "yyyyyyyy"), None)),
    ]
    segs = segments("abcdefghijklmnopqrstuvwxyz", 5, diffs)
    assert "".join(s.text for s in segs) == "abcdefghijklmnopqrstuvwxyz"
    assert [(s.text, s.cls) for s in segs] == [
        ("abcde", None),
        ("fg", "num"),
        ("hijklmno", "name"),
        ("pqrstuvwxyz", None),
    ]
    assert segments("", 0, diffs) == []


def test_attributions_and_provenance_graph_are_escaped():
    """Source names come from article text: in the 'who says so' list and the SVG they stay text."""
    import crosswire

    hostile_a = (
        'According to <img src=x onerror=alert(1)> Reuters, the <script>alert("a")</script> dam broke on Monday.\n'
        "Officials said 40 people were missing."
    )
    hostile_b = (
        "Menurut <svg onload=alert(2)> Reuters, bendungan itu jebol pada hari Senin.\n"
        "Pejabat mengatakan 40 orang hilang."
    )
    html = render_html(crosswire.compare(hostile_a, hostile_b, lang_a="en", lang_b="id"))
    assert "<img" not in html and "<script>alert" not in html and "<svg onload" not in html
    assert "&lt;img" in html or "&lt;svg" in html
    assert html.count("<svg") == 1  # only the provenance picture itself
    assert "Who says so" in html
