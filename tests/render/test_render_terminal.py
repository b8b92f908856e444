"""Terminal renderer: literal article text (no markup parsing), non-Latin text, difference listing."""

from __future__ import annotations

from rich.console import Console

from crosswire.model import Article, Comparison, Difference, Document, Link, Sentence, Span
from crosswire.render import render_comparison
from crosswire.render.terminal import KIND_STYLES, _side_text

A_SENTENCES = [
    "Officials said 2,500 people were evacuated on 3 March.",
    "The broadcaster used [bold red]markup[/] and <script>alert(1)</script> in its caption.",
    "Mayor Kazuko Kōri ordered schools closed.",
    "A reader wrote <img src=x onerror=alert(1)> and </textarea> at javascript:alert(1).",
]
B_SENTENCES = [
    "当局によると3,000人が避難した。",
    "郡和子市長は休校を命じた。",
    "防災担当の佐藤健一氏は警戒を呼びかけた。",
]


def _doc(sentences, lang, **meta) -> Document:
    text = " ".join(sentences)
    sents, pos = [], 0
    for i, s in enumerate(sentences):
        start = text.index(s, pos)
        sents.append(Sentence(i, start, start + len(s), s))
        pos = start + len(s)
    return Document(Article(text=text, lang=lang, **meta), tuple(sents), ())


def _span(doc: Document, needle: str) -> Span:
    start = doc.article.text.index(needle)
    return Span(start, start + len(needle), needle)


def make_comparison() -> Comparison:
    a = _doc(A_SENTENCES, "en", title="[bold]Evacuation[/bold] news", url="javascript:alert(1)")
    b = _doc(B_SENTENCES, "ja", title="仙台で避難")
    links = (
        Link((0, 1), (0,), 0.9, (Difference("number", _span(a, "2,500"), _span(b, "3,000")),)),
        Link((2,), (1,), 0.85, (Difference("name_variant", _span(a, "Kazuko Kōri"), _span(b, "郡和子")),)),
    )
    return Comparison(a=a, b=b, links=links, only_a=(3,), only_b=(2,), encoder="test-encoder")


def _render(width: int = 120) -> str:
    console = Console(record=True, width=width, color_system=None)
    render_comparison(make_comparison(), console)
    return console.export_text()


def test_markup_in_article_text_is_literal():
    out = _render()
    assert "[bold red]markup[/]" in out
    assert "[bold]Evacuation[/bold]" in out
    assert "<script>alert(1)</script>" in out
    assert "<img src=x onerror=alert(1)> and </textarea>" in out


def test_non_latin_text_intact():
    out = _render()
    assert "郡和子市長は休校を命じた。" in out
    assert "防災担当の佐藤健一氏は警戒を呼びかけた。" in out
    assert "仙台で避難" in out
    assert "Kōri" in out


def test_header_counts():
    out = _render()
    assert "A: 4 sentences" in out
    assert "B: 3 sentences" in out
    assert "same 1" in out and "changed 1" in out
    assert "only in A: 1" in out and "only in B: 1" in out
    assert "Only in A [en] (1)" in out
    assert "Only in B [ja] (1)" in out


def test_difference_listing():
    out = _render()
    assert "number: 2,500 → 3,000" in out
    assert "name variant: Kazuko Kōri → 郡和子" in out
    assert "changed" in out and "same" in out


def test_readable_at_100_columns():
    out = _render(width=100)
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "number: 2,500 → 3,000" in out


def test_difference_spans_styled_in_sentence_offsets():
    cmp = make_comparison()
    link = cmp.links[0]
    spans = [(d.a.start, d.a.end, d) for d in link.differences]
    text = _side_text(cmp.a, link.a, spans)
    assert text.plain == A_SENTENCES[0] + " " + A_SENTENCES[1]
    styled = [(text.plain[s.start : s.end], s.style) for s in text.spans]
    assert styled == [("2,500", KIND_STYLES["number"])]

    b_spans = [(d.b.start, d.b.end, d) for d in cmp.links[1].differences]
    b_text = _side_text(cmp.b, cmp.links[1].b, b_spans)
    assert [(b_text.plain[s.start : s.end], s.style) for s in b_text.spans] == [("郡和子", KIND_STYLES["name_variant"])]


def test_styles_emitted_with_color():
    console = Console(record=True, width=120, force_terminal=True, color_system="truecolor")
    render_comparison(make_comparison(), console)
    assert "\x1b[" in console.export_text(styles=True)


def test_who_says_so_and_source_chain_on_the_seed_pair(seed_path):
    import crosswire

    comparison = crosswire.compare(
        seed_path("en_wagner_drones.txt").read_text(encoding="utf-8"),
        seed_path("id_wagner_drones.txt").read_text(encoding="utf-8"),
        lang_a="en",
        lang_b="id",
    )
    console = Console(record=True, width=120, color_system=None)
    render_comparison(comparison, console)
    out = console.export_text()
    assert "Who says so" in out and "Source chain" in out
    assert "Daily Express" in out and "Gedung Putih" in out
    assert "relays Daily Express" in out and "cites Daily Mirror" in out
