"""Render a Comparison to a terminal with rich.

Article text is always wrapped in ``rich.text.Text`` and never goes through rich
markup parsing, so ``[bold]`` in an article prints literally.
"""
from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from crosswire.model import Comparison, Document, Link
from crosswire.render._common import describe, sentence_map, sentence_text, side_spans, summary

KIND_STYLES = {
    "number": "bold yellow",
    "date": "bold yellow",
    "name": "bold magenta",
    "name_variant": "dim magenta",
    "attribution": "bold cyan",
}
DEFAULT_DIFF_STYLE = "bold"
STATUS_STYLES = {"same": "green", "changed": "bold red"}


def _side_text(doc: Document, indices: tuple[int, ...], spans: list) -> Text:
    """The sentences of one side of a link, joined, with difference spans styled."""
    sentences = sentence_map(doc)
    text = Text()
    for n, idx in enumerate(indices):
        s = sentences.get(idx)
        if s is None:
            continue
        if n:
            text.append(" ")
        base = len(text)
        text.append(sentence_text(doc, s))
        for start, end, diff in spans:
            lo, hi = max(start, s.start), min(end, s.end)
            if lo < hi:
                text.stylize(KIND_STYLES.get(diff.kind, DEFAULT_DIFF_STYLE), base + lo - s.start, base + hi - s.start)
    return text


def _diff_listing(link: Link) -> Text:
    text = Text()
    for n, d in enumerate(link.differences):
        if n:
            text.append("\n")
        style = KIND_STYLES.get(d.kind, DEFAULT_DIFF_STYLE)
        text.append("• ", style="dim")
        text.append(describe(d), style=style if d.kind == "name_variant" else None)
    return text


def _doc_label(side: str, doc: Document) -> Text:
    art = doc.article
    label = Text()
    label.append(f"{side} ", style="bold")
    label.append(f"[{art.lang}]")
    if art.title:
        label.append(" ")
        label.append(art.title, style="italic")
    if art.source and art.source != "<string>":
        label.append(" · ", style="dim")
        label.append(art.source, style="dim")
    if art.published:
        label.append(" · ", style="dim")
        label.append(art.published, style="dim")
    return label


def _header(cmp: Comparison) -> Group:
    s = summary(cmp)
    counts = Text()
    counts.append(f"A: {s['a_sentences']} sentences", style="bold")
    if s["a_skipped"]:
        counts.append(f" (+{s['a_skipped']} skipped)", style="dim")
    counts.append("   ")
    counts.append(f"B: {s['b_sentences']} sentences", style="bold")
    if s["b_skipped"]:
        counts.append(f" (+{s['b_skipped']} skipped)", style="dim")
    counts.append("\n")
    counts.append(f"linked: {s['links']}  ")
    counts.append(f"same {s['same']}", style=STATUS_STYLES["same"])
    counts.append(" · ")
    counts.append(f"changed {s['changed']}", style=STATUS_STYLES["changed"])
    counts.append(f"   only in A: {s['only_a']}   only in B: {s['only_b']}")
    enc = Text("encoder: ", style="dim")
    enc.append(cmp.encoder, style="dim")
    return Group(Text("crosswire comparison", style="bold underline"), _doc_label("A", cmp.a), _doc_label("B", cmp.b), counts, enc)


def _links_table(cmp: Comparison) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("#", justify="right", style="dim", no_wrap=True, width=3)
    table.add_column(Text(f"A [{cmp.a.article.lang}]"), ratio=1, overflow="fold")
    table.add_column(Text(f"B [{cmp.b.article.lang}]"), ratio=1, overflow="fold")
    table.add_column("status", no_wrap=True, width=7)
    for n, link in enumerate(sorted(cmp.links, key=lambda l: (min(l.a, default=-1), min(l.b, default=-1))), 1):
        status = link.status
        table.add_row(
            str(n),
            _side_text(cmp.a, link.a, side_spans(link, "a")),
            _side_text(cmp.b, link.b, side_spans(link, "b")),
            Text(status, style=STATUS_STYLES.get(status)),
            end_section=not link.differences,
        )
        if link.differences:
            table.add_row("", _diff_listing(link), "", "", end_section=True)
    return table


def _only_list(doc: Document, indices: tuple[int, ...]) -> Table:
    sentences = sentence_map(doc)
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(justify="right", style="dim", no_wrap=True, width=4)
    grid.add_column(ratio=1, overflow="fold")
    for idx in sorted(indices):
        s = sentences.get(idx)
        if s is not None:
            grid.add_row(str(idx), Text(sentence_text(doc, s)))
    return grid


def render_comparison(cmp: Comparison, console: Console) -> None:
    """Print a side-by-side view of `cmp` to `console`."""
    console.print(_header(cmp))
    console.print()
    if cmp.links:
        console.print(_links_table(cmp))
    else:
        console.print(Text("No linked sentences.", style="dim"))
    for side, doc, indices in (("A", cmp.a, cmp.only_a), ("B", cmp.b, cmp.only_b)):
        if indices:
            console.print()
            title = Text(f"Only in {side} [{doc.article.lang}] ({len(indices)})", style="bold")
            console.print(title)
            console.print(_only_list(doc, indices))
