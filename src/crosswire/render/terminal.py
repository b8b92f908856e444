"""Render a Comparison, and the corpus's views (stories, a story, search, history), to a
terminal with rich.

Article text is always wrapped in ``rich.text.Text`` and never goes through rich
markup parsing, so ``[bold]`` in an article prints literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from crosswire.model import Comparison, Document, Link
from crosswire.render._common import describe, sentence_map, sentence_text, side_spans, summary, notices

if TYPE_CHECKING:  # the corpus is imported only by the commands that show it
    from crosswire.corpus import ClaimCell, SearchResults, StorySummary, StoryView
    from crosswire.history import History
    from crosswire.ingest import IngestReport

KIND_STYLES = {
    "number": "bold yellow",
    "date": "bold yellow",
    "name": "bold magenta",
    "name_variant": "dim magenta",
    "attribution": "bold cyan",
}
DEFAULT_DIFF_STYLE = "bold"
STATUS_STYLES = {"same": "green", "changed": "bold red", "possibly_related": "yellow"}
# What the status column shows: "possibly_related" does not fit its width.
STATUS_LABELS = {"possibly_related": "related?"}


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
    if s["possibly_related"]:
        counts.append(" · ")
        counts.append(
            f"possibly related {s['possibly_related']} (no changes shown)", style=STATUS_STYLES["possibly_related"]
        )
    counts.append(f"   only in A: {s['only_a']}   only in B: {s['only_b']}")
    enc = Text("encoder: ", style="dim")
    enc.append(cmp.encoder, style="dim")
    parts = [
        Text("crosswire comparison", style="bold underline"),
        _doc_label("A", cmp.a),
        _doc_label("B", cmp.b),
        counts,
        enc,
    ]
    parts += [Text(notice, style="bold yellow") for notice in notices(cmp)]
    return Group(*parts)


def _links_table(cmp: Comparison) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("#", justify="right", style="dim", no_wrap=True, width=3)
    table.add_column(Text(f"A [{cmp.a.article.lang}]"), ratio=1, overflow="fold")
    table.add_column(Text(f"B [{cmp.b.article.lang}]"), ratio=1, overflow="fold")
    table.add_column("status", no_wrap=True, width=7)  # and the claim's independent sources
    link_index = {id(link): i for i, link in enumerate(cmp.links)}
    for n, link in enumerate(sorted(cmp.links, key=lambda k: (min(k.a, default=-1), min(k.b, default=-1))), 1):
        status = link.status
        table.add_row(
            str(n),
            _side_text(cmp.a, link.a, side_spans(link, "a")),
            _side_text(cmp.b, link.b, side_spans(link, "b")),
            _status_cell(cmp, link_index[id(link)], status),
            end_section=not link.differences,
        )
        if link.differences:
            table.add_row("", _diff_listing(link), "", "", end_section=True)
    return table


def _status_cell(cmp: Comparison, index: int, status: str) -> Text:
    cell = Text(STATUS_LABELS.get(status, status), style=STATUS_STYLES.get(status))
    if cmp.provenance is not None:
        count = cmp.provenance.claims[index].independent
        cell.append(f"\n{count} src", style="dim")
    return cell


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


def _sources(cmp: Comparison) -> Group:
    """Who each article cites, and the chain from each article to its root sources."""
    prov = cmp.provenance
    parts: list = [Text("Who says so", style="bold")]
    labels = {n.id: n.label for n in prov.nodes}
    for side, sources, doc in (("A", prov.a, cmp.a), ("B", prov.b, cmp.b)):
        line = Text(f"{side} ", style="bold")
        line.append(f"publisher: {sources.publisher.name if sources.publisher else 'unknown'}")
        if sources.published:
            line.append(f" · {sources.published}", style="dim")
        parts.append(line)
        for attribution in sources.attributions:
            item = Text("  • ", style="dim")
            item.append(attribution.entity.name, style="bold cyan")
            item.append(f" ({attribution.entity.kind}{', relayed' if attribution.relay else ''})", style="dim")
            item.append("  ")
            item.append(doc.article.text[attribution.cue.start : attribution.cue.end], style="cyan")
            if attribution.cited_entity:
                item.append(" → cites ")
                item.append(attribution.cited_entity.name, style="bold cyan")
            item.append(f"  [sentence {attribution.sentence}]", style="dim")
            parts.append(item)
    chain = Tree(Text("Source chain", style="bold"))
    children: dict[str, list[tuple[str, str]]] = {}
    for edge in prov.edges:
        if edge.kind != "publishes":
            children.setdefault(edge.source, []).append((edge.kind, edge.target))
    publishers = {e.target: e.source for e in prov.edges if e.kind == "publishes"}

    def grow(branch: Tree, node: str, seen: frozenset[str]) -> None:
        for kind, target in children.get(node, []):
            if target in seen:
                continue
            sub = branch.add(Text.assemble((f"{kind} ", "dim"), (labels.get(target, target), "cyan")))
            grow(sub, target, seen | {target})

    for article in ("article:a", "article:b"):
        label = Text(labels[article], style="bold")
        if article in publishers:
            label.append(f" (published by {labels.get(publishers[article], publishers[article])})", style="dim")
        grow(chain.add(label), article, frozenset({article}))
    parts.append(chain)
    return Group(*parts)


def render_comparison(cmp: Comparison, console: Console) -> None:
    """Print a side-by-side view of `cmp` to `console`."""
    console.print(_header(cmp))
    console.print()
    if cmp.links:
        console.print(_links_table(cmp))
    else:
        console.print(Text("No linked sentences.", style="dim"))
    if cmp.provenance is not None:
        console.print()
        console.print(_sources(cmp))
    for side, doc, indices in (("A", cmp.a, cmp.only_a), ("B", cmp.b, cmp.only_b)):
        if indices:
            console.print()
            title = Text(f"Only in {side} [{doc.article.lang}] ({len(indices)})", style="bold")
            console.print(title)
            console.print(_only_list(doc, indices))


def render_ingest_summary(report: IngestReport, database: str, console: Console) -> None:
    """What an ingest run into `database` (its display name) stored, skipped and rejected."""
    line = Text(f"{database}: ", style="bold")
    line.append(
        f"{report.ingested} ingested, {report.near_duplicates} near-duplicates, {report.duplicates} duplicates, "
        f"{report.unchanged} unchanged, {report.outside_dates} outside the dates, "
        f"{len(report.rejected)} rejected ({report.files} files)"
    )
    console.print(line, soft_wrap=True)
    for rejected in report.rejected:
        console.print(Text(f"  rejected {rejected}", style="yellow"), soft_wrap=True)


def stories_table(summaries: Iterable[StorySummary], title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("id", "headline", "languages", "outlets", "articles", "first seen", "last seen"):
        table.add_column(column, overflow="fold")
    for s in summaries:
        table.add_row(
            s.id,
            Text(s.headline),
            " ".join(s.languages),
            Text(", ".join(s.outlets)),
            f"{s.articles}" + (f" ({s.near_duplicates} copies)" if s.near_duplicates else ""),
            s.first_seen or "",
            s.last_seen or "",
        )
    return table


def render_story(view: StoryView, console: Console) -> None:
    """A story's articles in time order, then its claim matrix."""
    s = view.summary
    console.print(Text(f"story {s.id}: {s.headline}", style="bold"), soft_wrap=True)
    console.print(Text(f"{s.first_seen or '?'} – {s.last_seen or '?'} · {', '.join(s.languages)}"), soft_wrap=True)
    articles = Table(title="articles", title_justify="left")
    for column in ("id", "published", "lang", "outlet", "title"):
        articles.add_column(column, overflow="fold")
    for a in view.articles:
        title = Text(a.title or a.source)
        if a.duplicate_of is not None:
            title.append(f"  (near-duplicate of {a.duplicate_of})", style="dim")
        articles.add_row(str(a.id), a.published or "", a.lang, Text(a.outlet or ""), title)
    console.print(articles)
    console.print()
    render_claim_matrix(view, console)


def render_search(results: SearchResults, query: str, console: Console) -> None:
    """The sentences matching `query`, then the stories."""
    table = Table(title=f"sentences matching {query!r}", title_justify="left")
    for column in ("score", "story", "article", "lang", "sentence"):
        table.add_column(column, overflow="fold")
    for hit in results.sentences:
        table.add_row(f"{hit.score:.2f}", hit.story_id or "", str(hit.article_id), hit.lang, Text(hit.text))
    console.print(table)
    console.print(stories_table([h.story for h in results.stories], "stories"))


def render_history(found: History, console: Console) -> None:
    """An address's stored versions, then what changed between each and the next."""
    console.print(Text(f"{found.address}: {len(found.versions)} version(s)"), soft_wrap=True)
    for version in found.versions:
        console.print(
            Text(
                f"  article {version.article_id}  {version.to_dict()['published'] or 'undated'}  {version.title or ''}"
            ),
            soft_wrap=True,
        )
    for revision in found.revisions:
        console.print(Text(f"\nedit: article {revision.before} -> {revision.after}", style="bold"), soft_wrap=True)
        if revision.note:
            console.print(Text(f"  correction note ({revision.note.cue}): {revision.note.sentence}"), soft_wrap=True)
        else:
            console.print(Text("  no correction note found", style="yellow"), soft_wrap=True)
        for sentence in revision.dropped:
            console.print(Text(f"  - {sentence}", style="red"), soft_wrap=True)
        for sentence in revision.added:
            console.print(Text(f"  + {sentence}", style="green"), soft_wrap=True)
        for change in revision.changed:
            console.print(Text(f"  ~ {change.before}\n    {change.after}"), soft_wrap=True)
            for difference in change.differences:
                console.print(Text(f"    {describe(difference)}", style="yellow"), soft_wrap=True)


MARK_SYMBOLS = {"present": "●", "changed": "◐", "absent": "·"}
MARK_STYLES = {"present": "green", "changed": "yellow", "absent": "dim"}
# An article's label in the claim matrix: its id, language and outlet, cut to this width.
ARTICLE_LABEL_WIDTH = 26


def _cell_text(cell: ClaimCell) -> Text:
    """The article's own sentence, its changed details styled as in a comparison."""
    text = Text(cell.text)
    for highlight in cell.highlights:
        text.stylize(KIND_STYLES.get(highlight.kind, DEFAULT_DIFF_STYLE), highlight.start, highlight.end)
    return text


def render_claim_matrix(view: StoryView, console: Console) -> None:
    """The claim matrix as one block per claim: the claim in its language, then each article
    that carries it with its own sentence in its own language, and the articles without it
    on one line. Its width does not grow with the number of articles."""
    articles = {a.id: a for a in view.articles}

    def label(article_id: int) -> str:
        article = articles[article_id]
        return f"{article_id} [{article.lang}] {article.outlet or ''}".strip()

    absent_label = "absent from"
    label_width = min(ARTICLE_LABEL_WIDTH, max(len(absent_label), *(len(label(a)) for a in view.matrix_articles)))
    console.print(
        Text(
            "claims: each article's own sentence, in its own language (● present  ◐ changed  · absent)",
            style="bold",
        )
    )
    for n, claim in enumerate(view.claims, start=1):
        console.print()
        head = Text(f"{n} ", style="bold")
        head.append(f"[{claim.lang}] ", style="bold cyan")
        head.append(claim.text)
        console.print(head)
        sources = "source" if claim.independent_sources == 1 else "sources"
        console.print(
            Text(f"  first in {label(claim.introduced_by)} · {claim.independent_sources} independent {sources}", "dim")
        )
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=3, justify="right", no_wrap=True)
        grid.add_column(width=label_width, no_wrap=True, overflow="ellipsis")
        grid.add_column(ratio=1, overflow="fold")
        for cell in claim.cells:
            if cell.mark == "absent":
                continue
            if cell.article_id == claim.introduced_by:
                own = Text("(the claim as worded above)", style="dim")
            else:
                own = _cell_text(cell)
                for d in cell.differences:
                    own.append(f"\n{d.kind} {d.a.text if d.a else '—'} → {d.b.text if d.b else '—'}", "yellow")
                    if d.note:
                        own.append(f" ({d.note})", style="dim")
            grid.add_row(Text(MARK_SYMBOLS[cell.mark], MARK_STYLES[cell.mark]), Text(label(cell.article_id)), own)
        absent = [label(cell.article_id) for cell in claim.cells if cell.mark == "absent"]
        if absent:
            grid.add_row(
                Text(MARK_SYMBOLS["absent"], MARK_STYLES["absent"]),
                Text(absent_label, "dim"),
                Text(", ".join(absent), "dim"),
            )
        console.print(grid)
