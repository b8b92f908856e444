"""The corpus commands: `ingest` and `poll` fill it; `stories`, `story`, `search`, `export`
and `history` read it (and `story merge|split` correct its stories)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from crosswire.cli._shared import (
    CONTEXT_SETTINGS,
    db_option,
    encoder_option,
    json_option,
    open_corpus,
    parse_date,
    print_ingest_report,
    require_paths,
    settings,
    status,
    stderr,
    write_json,
)
from crosswire.encode import DEFAULT_ENCODER, get_encoder, set_encoder_threads
from crosswire.store import display_name

# Each command imports what only it needs (the corpus and its story linker, ingest,
# rendering) when it runs: a start-up pays for its own command, not for all of them.
if TYPE_CHECKING:
    from crosswire.ingest import Progress


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@db_option(note=" Created if missing.")
@click.option(
    "--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD); undated ones are left out."
)
@click.option(
    "--until", metavar="DATE", help="Only articles published on or before DATE (YYYY-MM-DD); undated ones are left out."
)
@json_option("Print the summary as JSON (schema crosswire.ingest/1) on stdout.")
@encoder_option()
def ingest(paths: tuple[str, ...], db: str, since: str | None, until: str | None, as_json: bool, encoder: str) -> None:
    """Read articles from files and folders into a corpus database.

    Each PATH is a file or a folder (searched recursively; hidden files are
    left out) of .txt, .html/.htm, .jsonl (one article per line: text and
    optional title, url, published, lang, outlet), RSS/Atom feeds
    (.rss/.atom/.xml) and WARC crawls (.warc, .warc.gz). Other files are
    recognised by their first bytes. A PATH may also be an http(s) address of
    a page or of a feed (its entries' pages are fetched), read politely:
    robots.txt, a rate limit per host, timeouts and a size cap (docs/fetch.md).

    Running it again is safe: content already stored is skipped. Exact copies
    from other sources and lightly edited near-duplicates are linked to the
    earliest copy and not counted as separate sources. New articles are then
    linked into stories (see `crosswire stories`), in publication order. Unusable files, lines,
    entries and records are listed with the reason; the rest is still read.

    \b
    Exit codes:
      0    the run completed (rejected inputs are listed in the summary)
      2    a PATH does not exist, or the database, an option or the encoder could not be used
      130  interrupted (Ctrl-C); every article stored so far is kept
    """
    import rich.progress

    from crosswire.corpus import Corpus
    from crosswire.ingest import ingest_threads

    err = stderr()
    require_paths(paths)
    window = parse_date(since, "--since"), parse_date(until, "--until")
    set_encoder_threads(ingest_threads(settings().threads))
    with status(err, f"Loading the {encoder} encoder…"):
        get_encoder(encoder)
    with (
        Corpus(db, encoder=encoder) as corpus,
        rich.progress.Progress(
            *rich.progress.Progress.get_default_columns(),
            rich.progress.TextColumn("{task.fields[counts]}"),
            console=err,
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as bar,
    ):
        task = bar.add_task("Ingesting", total=None, counts="")

        def show(progress: Progress) -> None:
            r = progress.report
            counts = f"{r.ingested} new · {r.duplicates + r.near_duplicates} copies · {len(r.rejected)} rejected"
            bar.update(task, total=progress.files_total, completed=progress.files_done, counts=counts)

        report = corpus.ingest(
            paths,
            since=window[0],
            until=window[1],
            progress=show,
            link_progress=lambda p: bar.update(
                task, description="Linking stories", total=p.total, completed=p.done, counts=""
            ),
        )
        stories = len(corpus.stories())
    print_ingest_report(report, db, as_json, f"{stories} stories")


@click.command("poll", context_settings=CONTEXT_SETTINGS)
@click.argument("feeds", metavar="FEEDS", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@db_option(note=" Created if missing.")
@click.option("--every", type=click.FloatRange(0), default=900, show_default=True, help="Seconds between rounds.")
@click.option(
    "--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds (default: until Ctrl-C)."
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep each address's ETag and Last-Modified in this file, so a restart asks only for changes.",
)
@json_option("Print each round's ingest summary as a JSON line (crosswire.ingest/1).")
@encoder_option()
def poll(
    feeds: Path, db: str, every: float, rounds: int | None, state: Path | None, as_json: bool, encoder: str
) -> None:
    """Ingest a list of feeds (and pages) now and again, like `crosswire ingest URL...` each round.

    FEEDS is a text file with one http(s) address per line (# starts a comment). Each round
    fetches every address politely (robots.txt, a rate limit per host, timeouts, a size
    cap; docs/fetch.md) with conditional GET, so a feed that has not changed costs one
    short answer; new entries' pages are ingested and linked into stories. A bad address
    or feed is listed as rejected and the rounds go on.

    \b
    Exit codes:
      0    the rounds completed
      2    the database or the encoder could not be used
      130  interrupted (Ctrl-C); every article stored so far is kept
    """
    import time

    from crosswire.corpus import Corpus
    from crosswire.fetch import FetchConfig, Fetcher, is_url, load_validators, save_validators, shared_fetcher
    from crosswire.read import Rejected
    from crosswire.render.terminal import render_ingest_summary

    lines = [line.split("#", 1)[0].strip() for line in feeds.read_text("utf-8").splitlines()]
    addresses = [line for line in lines if is_url(line)]
    bad = [
        Rejected(f"{feeds}:{n}", "CW140", "not an http(s) address")
        for n, line in enumerate(lines, 1)
        if line and not is_url(line)
    ]
    fetcher = Fetcher(FetchConfig(), validators=load_validators(state) if state else {})
    done = 0
    try:
        with Corpus(db, encoder=encoder) as corpus, shared_fetcher(fetcher):
            while rounds is None or done < rounds:
                report = corpus.ingest(addresses)
                report.rejected[:0] = bad
                if state:
                    save_validators(state, fetcher.validators)
                if as_json:
                    write_json(report.to_dict(), indent=None)
                else:
                    render_ingest_summary(report, display_name(db), Console())
                done += 1
                if rounds is None or done < rounds:
                    time.sleep(every)
    finally:
        fetcher.close()


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option()
@click.option("--lang", metavar="CODE", help="Only stories with an article in this language.")
@click.option("--outlet", metavar="NAME", help="Only stories with an article from this outlet.")
@click.option("--since", metavar="DATE", help="Only stories last seen on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only stories first seen on or before DATE (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1), help="At most this many stories.")
@click.option(
    "--offset",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Skip this many stories of the listing first (with --limit: one page).",
)
@json_option()
def stories(
    db: str,
    lang: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List the corpus's stories, the most recent first.

    Each story: its id, the headline of its earliest article, languages,
    outlets, article count (near-duplicate copies included) and first and last
    publication time. --json prints crosswire.stories/1
    (src/crosswire/schemas/stories-1.json).
    """
    from crosswire.corpus import STORIES_SCHEMA
    from crosswire.render.terminal import stories_table

    with open_corpus(db, DEFAULT_ENCODER) as corpus:
        found = corpus.stories(
            lang=lang,
            outlet=outlet,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            limit=limit,
            offset=offset,
        )
    if as_json:
        write_json({"schema": STORIES_SCHEMA, "stories": [s.to_dict() for s in found]})
    else:
        Console().print(stories_table(found, f"{len(found)} stories in {display_name(db)}"))


class _StoryGroup(click.Group):
    """`crosswire story ID` shows a story; `story merge|split ...` change stories."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_StoryGroup, context_settings=CONTEXT_SETTINGS)
def story() -> None:
    """Show a story (crosswire story ID), or merge and split stories.

    \b
    Examples:
      crosswire story 17                  # articles and the claim matrix
      crosswire story 17 --json           # crosswire.story/1
      crosswire story merge 17 23         # story 23's articles join story 17
      crosswire story split 17 31 32      # articles 31 and 32 become a new story

    Merges and splits are kept in the database and stick when more articles
    are ingested and linked.
    """


@story.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="ID")
@db_option()
@encoder_option()
@json_option()
def story_show(story_id: str, db: str, encoder: str, as_json: bool) -> None:
    """A story's articles in time order and its claim matrix.

    Each claim (a sentence of the earliest article, or of a later one that
    adds it) is marked per article: ● present, ◐ changed (the difference is
    listed), · absent; with the article that introduced it first and its
    count of independent sources (an article relaying another's outlet adds
    none; near-duplicate copies are not sources). --json prints
    crosswire.story/1 (src/crosswire/schemas/story-1.json).
    """
    from crosswire.render.terminal import render_story

    with open_corpus(db, encoder) as corpus, status(stderr(), "Comparing the story's articles…"):
        view = corpus.story(story_id)
    if as_json:
        write_json(view.to_dict())
    else:
        render_story(view, Console())


@story.command("merge", context_settings=CONTEXT_SETTINGS)
@click.argument("into", metavar="ID")
@click.argument("other", metavar="OTHER_ID")
@db_option()
@json_option()
def story_merge(into: str, other: str, db: str, as_json: bool) -> None:
    """Move every article of story OTHER_ID into story ID, for good."""
    from crosswire.corpus import STORIES_SCHEMA
    from crosswire.render.terminal import stories_table

    with open_corpus(db, DEFAULT_ENCODER) as corpus:
        merged = corpus.merge(into, other)
    if as_json:
        write_json({"schema": STORIES_SCHEMA, "stories": [merged.to_dict()]})
    else:
        Console().print(stories_table([merged], f"merged story {other} into {into}"))


@story.command("split", context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="ID")
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True, type=int)
@db_option()
@json_option()
def story_split(story_id: str, articles: tuple[int, ...], db: str, as_json: bool) -> None:
    """Move these articles of story ID (with their near-duplicates) into a new story, for good."""
    from crosswire.corpus import STORIES_SCHEMA
    from crosswire.render.terminal import stories_table

    with open_corpus(db, DEFAULT_ENCODER) as corpus:
        parts = corpus.split(story_id, list(articles))
    if as_json:
        write_json({"schema": STORIES_SCHEMA, "stories": [p.to_dict() for p in parts]})
    else:
        Console().print(stories_table(parts, f"split story {story_id}"))


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("query")
@db_option()
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Sentences and stories to show.")
@encoder_option()
@json_option()
def search(query: str, db: str, limit: int, encoder: str, as_json: bool) -> None:
    """Find the sentences and stories closest in meaning to QUERY, in any language.

    QUERY may be in any language the encoder knows; matches are found across
    languages. --json prints crosswire.search/1 (src/crosswire/schemas/search-1.json).
    """
    from crosswire.render.terminal import render_search

    with open_corpus(db, encoder) as corpus, status(stderr(), "Searching…"):
        results = corpus.search(query, limit)
    if as_json:
        write_json(results.to_dict())
    else:
        render_search(results, query, Console())


EXPORT_FORMATS = ("csv", "html", "jsonld")


@click.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="STORY")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="csv",
    show_default=True,
    help="csv: the claim matrix; html: a self-contained report; jsonld: schema.org Claims.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@db_option()
@encoder_option()
def export(story_id: str, fmt: str, output: Path | None, db: str, encoder: str) -> None:
    """Export a story for a fact-check: its claim matrix as CSV, an HTML report, or JSON-LD.

    \b
    csv     one row per claim: text, language, first seen, independent sources (counted
            and folded), and per article its mark and its own sentence
    html    one self-contained file (no scripts, no external resources)
    jsonld  a schema.org Claim per claim, with appearance (every article that carries
            it), firstAppearance, author and date where known: the itemReviewed of a
            ClaimReview

    \b
    Exit codes:
      0    written
      2    no such story, or the database could not be used
    """
    import json

    from crosswire.render.exports import claim_matrix_csv, claims_jsonld, story_export
    from crosswire.render.story_report import story_report_html

    with open_corpus(db, encoder) as corpus:
        found = story_export(corpus, story_id)
    if fmt == "csv":
        text = claim_matrix_csv(found)
    elif fmt == "html":
        text = story_report_html(found)
    else:
        text = json.dumps(claims_jsonld(found), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8", newline="")


@click.command("history", context_settings=CONTEXT_SETTINGS)
@click.argument("address", metavar="URL")
@db_option()
@json_option("Print JSON on stdout (schema crosswire.history/1).")
@encoder_option()
def history(address: str, db: str, as_json: bool, encoder: str) -> None:
    """What changed between the stored versions of the article read from URL.

    Ingesting an address again (`crosswire ingest URL`, `crosswire poll`) after its text
    changed stores the new text as another version; the old one is kept. This lists the
    versions, oldest first, and between each and the next the sentences added and
    dropped and the ones reworded, with the numbers, names and dates that changed, and
    the correction or update note the new version added at its top or bottom, when one
    is recognised ("Correction: ...", "This article has been updated ...", in any
    language the encoder knows); otherwise "no correction note found"
    (docs/exports-and-history.md says what is recognised).

    \b
    Exit codes:
      0    listed
      2    nothing was read from URL, or the database could not be used
    """
    from crosswire.history import history as versions_of
    from crosswire.render.terminal import render_history

    with open_corpus(db, encoder) as corpus:
        found = versions_of(corpus, address)
    if as_json:
        write_json(found.to_dict())
    else:
        render_history(found, Console())


COMMANDS = (ingest, poll, stories, story, search, export, history)
