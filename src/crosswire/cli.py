"""The `crosswire` command line: a thin shell over the library.

Reading, comparing and rendering are library calls (crosswire.read_path,
crosswire.compare, crosswire.render); this module only wires options to them,
reports CrosswireError as `error: CW104 foo.txt: ...` and sets exit codes.
"""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NoReturn

import click
from rich.console import Console
from rich.text import Text

import crosswire
from crosswire.encode import AUTO_ENCODER, DEFAULT_ENCODER, ENCODERS, auto_encoder_name, choose_encoder, get_encoder
from crosswire.errors import CrosswireError
from crosswire.store import DEFAULT_DB, display_name, is_postgres_url

# Each command imports what only it needs (reading, rendering, the corpus and its story
# linker, ingest) when it runs: a start-up pays for its own command, not for all of them.
if TYPE_CHECKING:
    from crosswire.corpus import Corpus, StoryView
    from crosswire.ingest import IngestReport, Progress

EXIT_OK = 0
EXIT_ERROR = 2  # a CrosswireError (bad input, unknown encoder ...); click usage errors use 2 too
EXIT_INTERRUPTED = 130

STDIN = "-"
STDIN_SOURCE = "<stdin>"
ENCODER_CHOICES = ", ".join(ENCODERS) + " or st:DIR (a local sentence-transformers model)"

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str) -> NoReturn:
    """Print `error: ...` in red on stderr and exit 2."""
    line = Text("error: ", style="bold red")
    line.append(message, style="red")  # a Text, so brackets in file names are not rich markup
    _stderr().print(line, soft_wrap=True)
    sys.exit(EXIT_ERROR)


@contextlib.contextmanager
def _status(console: Console, message: str) -> Iterator[None]:
    """A spinner on stderr while slow work runs, only when stderr is an interactive terminal."""
    if sys.stderr.isatty():
        with console.status(message):
            yield
    else:
        yield


def _read(arg: str, lang: str | None) -> crosswire.Article:
    from crosswire.read import DEFAULT_MAX_BYTES, read_path, read_string
    from crosswire.read.text import text_from_bytes

    if arg != STDIN:
        return read_path(arg, lang=lang)
    data = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
    if len(data) > DEFAULT_MAX_BYTES:
        raise CrosswireError(
            "CW105", STDIN_SOURCE, f"more than the {DEFAULT_MAX_BYTES:,}-byte limit; pass a smaller file"
        )
    text, _encoding = text_from_bytes(data, STDIN_SOURCE)
    return read_string(text, source=STDIN_SOURCE, lang=lang)


@click.group(name="crosswire", context_settings=CONTEXT_SETTINGS)
@click.version_option(crosswire.__version__, "-V", "--version", prog_name="crosswire")
def cli() -> None:
    """Cross-check two news articles written in different languages.

    crosswire splits both articles into sentences, links the sentences that
    report the same thing (a multilingual sentence encoder, run locally), and
    points out the numbers, names and dates that differ between linked
    sentences, and what only one of the articles says.

    \b
    Examples:
      crosswire compare en.txt id.txt           # side-by-side report
      crosswire compare en.txt id.txt --json | jq .links
      crosswire compare en.txt id.html --html report.html --quiet
      crosswire compare --help                  # what the report shows
    """


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the comparison as JSON on stdout instead of the terminal report."
)
@click.option(
    "--html",
    "html_path",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report (no scripts, works offline) to FILE.",
)
@click.option(
    "--encoder",
    metavar="NAME",
    default=AUTO_ENCODER,
    show_default=True,
    help=f"Sentence encoder: {AUTO_ENCODER} (use-m where USE-m knows both languages, else e5-small), {ENCODER_CHOICES}.",
)
@click.option("--lang-a", metavar="CODE", help="Language of A (ISO 639, e.g. en); skips detection.")
@click.option("--lang-b", metavar="CODE", help="Language of B (ISO 639, e.g. id); skips detection.")
@click.option("-q", "--quiet", is_flag=True, help="No terminal report (e.g. with --html).")
@click.pass_context
def compare(
    ctx: click.Context,
    a: str,
    b: str,
    as_json: bool,
    html_path: Path | None,
    encoder: str,
    lang_a: str | None,
    lang_b: str | None,
    quiet: bool,
) -> None:
    """Compare article A with article B and report what differs.

    A and B are plain-text (.txt, any common encoding) or HTML files (the
    article body is extracted); one of them may be - to read standard input.
    Languages are detected unless --lang-a/--lang-b are given.

    \b
    The report shows:
      links         sentences of A and B that say the same thing (1:1 or 1:n),
                    each marked "same" or "changed"
      differences   inside a link: number (2,500 vs 3,000), name (a different
                    person or place), date, and name_variant (the same name
                    spelled differently, e.g. Mavix2 vs Mavic; does not count
                    as a change)
      only in A/B   sentences with no counterpart in the other article

    \b
    Exit codes:
      0    the comparison ran (whether or not the articles differ)
      2    an input or option could not be used: the message names the
           error code (CW101 ... CW301) and the file, e.g.
           "error: CW104 foo.txt: not valid UTF-8 ..."
      130  interrupted (Ctrl-C)
    """
    if a == STDIN and b == STDIN:
        raise click.UsageError("only one of A and B can be - (standard input)")
    err = _stderr()
    try:
        article_a = _read(a, lang_a)
        article_b = _read(b, lang_b)
        chosen = auto_encoder_name(article_a.lang, article_b.lang) if encoder == AUTO_ENCODER else encoder
        with _status(err, f"Loading the {chosen} encoder…"), warnings.catch_warnings(record=True) as fallbacks:
            warnings.simplefilter("always")  # shown below as warning: lines, not Python's warning format
            enc = choose_encoder(encoder, article_a.lang, article_b.lang)
        for fallback in fallbacks:
            line = Text("warning: ", style="bold yellow")
            line.append(str(fallback.message), style="yellow")
            err.print(line, soft_wrap=True)
        with _status(err, "Comparing…"):
            cmp = crosswire.compare(article_a, article_b, encoder=enc)
    except CrosswireError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        ctx.exit(EXIT_INTERRUPTED)

    if as_json:
        text = json.dumps(cmp.to_dict(), ensure_ascii=False, indent=2) + "\n"
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))  # JSON is UTF-8 whatever the locale says
        sys.stdout.buffer.flush()
    if html_path is not None:
        from crosswire.render.html import render_html

        try:
            html_path.write_text(render_html(cmp), encoding="utf-8")
        except OSError as exc:
            _fail(f"could not write {html_path}: {exc.strerror or exc}")
        err.print(Text(f"wrote {html_path}"), soft_wrap=True)
    if not as_json and not quiet:
        from crosswire.render.terminal import render_comparison

        render_comparison(cmp, Console())


def _date_option(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CrosswireError("CW403", option, f"'{value}' is not a date; use YYYY-MM-DD") from None


def _write_json(data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))  # JSON is UTF-8 whatever the locale says
    sys.stdout.buffer.flush()


def _require_paths(paths: tuple[str, ...]) -> None:
    """CW101 for a PATH that does not exist (a typo), before anything is loaded or stored;
    a URL (batch ingest) is for its reader to open."""
    for path in paths:
        if "://" not in path and not Path(path).exists():
            raise CrosswireError("CW101", path, "no such file or folder")


def _print_ingest_summary(report: IngestReport, db: str, console: Console) -> None:
    line = Text(f"{display_name(db)}: ", style="bold")
    line.append(
        f"{report.ingested} ingested, {report.near_duplicates} near-duplicates, {report.duplicates} duplicates, "
        f"{report.unchanged} unchanged, {report.outside_dates} outside the dates, "
        f"{len(report.rejected)} rejected ({report.files} files)"
    )
    console.print(line, soft_wrap=True)
    for rejected in report.rejected:
        console.print(Text(f"  rejected {rejected}", style="yellow"), soft_wrap=True)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@click.option(
    "--db",
    metavar="FILE|URL",
    envvar="CROSSWIRE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The corpus database: an SQLite file, or a postgresql:// URL; created if missing. Also CROSSWIRE_DB.",
)
@click.option(
    "--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD); undated ones are left out."
)
@click.option(
    "--until", metavar="DATE", help="Only articles published on or before DATE (YYYY-MM-DD); undated ones are left out."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the summary as JSON (schema crosswire.ingest/1) on stdout."
)
@click.option(
    "--encoder",
    metavar="NAME",
    default=DEFAULT_ENCODER,
    show_default=True,
    help=f"Sentence encoder: {ENCODER_CHOICES}.",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: str,
    since: str | None,
    until: str | None,
    as_json: bool,
    encoder: str,
) -> None:
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
    from crosswire.ingest import reserve_core_for_reading

    err = _stderr()
    try:
        _require_paths(paths)
        window = _date_option(since, "--since"), _date_option(until, "--until")
        reserve_core_for_reading()
        with _status(err, f"Loading the {encoder} encoder…"):
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
    except CrosswireError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        _write_json(report.to_dict())
    else:
        _print_ingest_summary(report, db, Console())
        Console().print(Text(f"{stories} stories"), soft_wrap=True)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    metavar="FILE|URL",
    envvar="CROSSWIRE_DB",
    help="A corpus database to open (an SQLite file, or a postgresql:// URL); created if missing. Also CROSSWIRE_DB.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback lets other machines in.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--encoder",
    metavar="NAME",
    default=DEFAULT_ENCODER,
    show_default=True,
    help=f"Sentence encoder: {ENCODER_CHOICES}.",
)
@click.option(
    "--allowed-hosts",
    metavar="NAMES",
    default="",
    help="Comma-separated host names (and addresses) browsers may use to reach the server, besides "
    "127.0.0.1, localhost, [::1] and the --host address itself; any other Host header is refused "
    "(DNS rebinding). See docs/deploy.md.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Comparisons (and story pages) run at once, each in a process of its own with the encoder loaded.",
)
@click.option(
    "--timeout",
    "timeout_s",
    default=60.0,
    show_default=True,
    type=click.FloatRange(1, 3600),
    metavar="SECONDS",
    help="Time one comparison or story page may take; past it the work is stopped and the client gets 503.",
)
def serve(
    db: str | None, host: str, port: int, encoder: str, allowed_hosts: str, workers: int, timeout_s: float
) -> None:
    """Open crosswire in the browser: compare two articles, and the JSON API.

    The pages are at http://HOST:PORT/ and the API's documentation at
    /api/docs. The server listens on this machine only (127.0.0.1) unless
    --host says otherwise; crosswire has no login, so anyone who can reach
    the address can use it. Its limits (article size, time, concurrency) are
    in docs/deploy.md and at /api/info.

    \b
    Exit codes:
      0    stopped (Ctrl-C)
      2    the database or the encoder could not be used
    """
    # Imported here so that the other commands do not pay for loading the web stack.
    import uvicorn

    from crosswire.web import create_app, is_loopback, serve_hosts
    from crosswire.web.workers import Limits

    err = _stderr()
    try:
        hosts = serve_hosts(host, allowed_hosts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allowed-hosts") from None
    loopback = is_loopback(host)
    if not loopback:
        line = Text("warning: ", style="bold yellow")
        line.append(
            f"listening on {host}, reachable from other machines. crosswire has no login: anyone who can reach "
            f"this address can read the corpus and upload to it. Leave out --host to serve this machine only. "
            f"It answers to the host names {', '.join(hosts)} (--allowed-hosts adds more).",
            style="yellow",
        )
        err.print(line, soft_wrap=True)
    try:
        with _status(err, f"Loading the {encoder} encoder…"):
            get_encoder(encoder)  # cached: the first comparison does not wait for it
        limits = Limits(workers=workers, timeout_s=timeout_s)
        app = create_app(db, encoder=encoder, allowed_hosts=hosts, limits=limits)
    except CrosswireError as exc:
        _fail(str(exc))
    uvicorn.run(app, host=host, port=port)


_DB_OPTION = click.option(
    "--db",
    metavar="FILE|URL",
    envvar="CROSSWIRE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The corpus database: an SQLite file, or a postgresql:// URL. Also CROSSWIRE_DB.",
)
_JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout (schema in the help above).")
_ENCODER_OPTION = click.option(
    "--encoder",
    metavar="NAME",
    default=DEFAULT_ENCODER,
    show_default=True,
    help=f"Sentence encoder: {ENCODER_CHOICES}.",
)


def _open_corpus(db: str, encoder: str) -> Corpus:
    from crosswire.corpus import Corpus

    if not is_postgres_url(db) and not Path(db).is_file():
        raise CrosswireError("CW401", db, "no such database; run `crosswire ingest PATH... --db FILE` first")
    return Corpus(db, encoder=encoder)


def _stories_schema() -> str:
    from crosswire.corpus import STORIES_SCHEMA

    return STORIES_SCHEMA


def _corpus_errors(run):
    """Run a corpus command, turning CrosswireError and CorpusError into `error: ...`, exit 2."""
    from crosswire.corpus import CorpusError

    try:
        return run()
    except (CrosswireError, CorpusError) as exc:
        _fail(str(exc))


def _stories_table(summaries, title: str):
    from rich.table import Table

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


@cli.command(context_settings=CONTEXT_SETTINGS)
@_DB_OPTION
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
@_JSON_OPTION
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

    def run():
        with _open_corpus(db, DEFAULT_ENCODER) as corpus:
            return corpus.stories(
                lang=lang,
                outlet=outlet,
                since=_date_option(since, "--since"),
                until=_date_option(until, "--until"),
                limit=limit,
                offset=offset,
            )

    found = _corpus_errors(run)
    if as_json:
        _write_json({"schema": _stories_schema(), "stories": [s.to_dict() for s in found]})
    else:
        Console().print(_stories_table(found, f"{len(found)} stories in {display_name(db)}"))


def _render_story(view: StoryView, console: Console) -> None:
    from rich.table import Table

    from crosswire.render.terminal import render_claim_matrix

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


class _StoryGroup(click.Group):
    """`crosswire story ID` shows a story; `story merge|split ...` change stories."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_StoryGroup, context_settings=CONTEXT_SETTINGS)
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
@_DB_OPTION
@_ENCODER_OPTION
@_JSON_OPTION
def story_show(story_id: str, db: str, encoder: str, as_json: bool) -> None:
    """A story's articles in time order and its claim matrix.

    Each claim (a sentence of the earliest article, or of a later one that
    adds it) is marked per article: ● present, ◐ changed (the difference is
    listed), · absent; with the article that introduced it first and its
    count of independent sources (an article relaying another's outlet adds
    none; near-duplicate copies are not sources). --json prints
    crosswire.story/1 (src/crosswire/schemas/story-1.json).
    """

    def run():
        with _open_corpus(db, encoder) as corpus, _status(_stderr(), "Comparing the story's articles…"):
            return corpus.story(story_id)

    view = _corpus_errors(run)
    if as_json:
        _write_json(view.to_dict())
    else:
        _render_story(view, Console())


@story.command("merge", context_settings=CONTEXT_SETTINGS)
@click.argument("into", metavar="ID")
@click.argument("other", metavar="OTHER_ID")
@_DB_OPTION
@_JSON_OPTION
def story_merge(into: str, other: str, db: str, as_json: bool) -> None:
    """Move every article of story OTHER_ID into story ID, for good."""

    def run():
        with _open_corpus(db, DEFAULT_ENCODER) as corpus:
            return corpus.merge(into, other)

    merged = _corpus_errors(run)
    if as_json:
        _write_json({"schema": _stories_schema(), "stories": [merged.to_dict()]})
    else:
        Console().print(_stories_table([merged], f"merged story {other} into {into}"))


@story.command("split", context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="ID")
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True, type=int)
@_DB_OPTION
@_JSON_OPTION
def story_split(story_id: str, articles: tuple[int, ...], db: str, as_json: bool) -> None:
    """Move these articles of story ID (with their near-duplicates) into a new story, for good."""

    def run():
        with _open_corpus(db, DEFAULT_ENCODER) as corpus:
            return corpus.split(story_id, list(articles))

    parts = _corpus_errors(run)
    if as_json:
        _write_json({"schema": _stories_schema(), "stories": [p.to_dict() for p in parts]})
    else:
        Console().print(_stories_table(parts, f"split story {story_id}"))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("query")
@_DB_OPTION
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Sentences and stories to show.")
@_ENCODER_OPTION
@_JSON_OPTION
def search(query: str, db: str, limit: int, encoder: str, as_json: bool) -> None:
    """Find the sentences and stories closest in meaning to QUERY, in any language.

    QUERY may be in any language the encoder knows; matches are found across
    languages. --json prints crosswire.search/1 (src/crosswire/schemas/search-1.json).
    """
    from rich.table import Table

    def run():
        with _open_corpus(db, encoder) as corpus, _status(_stderr(), "Searching…"):
            return corpus.search(query, limit)

    results = _corpus_errors(run)
    if as_json:
        _write_json(results.to_dict())
        return
    console = Console()
    table = Table(title=f"sentences matching {query!r}", title_justify="left")
    for column in ("score", "story", "article", "lang", "sentence"):
        table.add_column(column, overflow="fold")
    for hit in results.sentences:
        table.add_row(f"{hit.score:.2f}", hit.story_id or "", str(hit.article_id), hit.lang, Text(hit.text))
    console.print(table)
    console.print(_stories_table([h.story for h in results.stories], "stories"))


_SCALE_DB_OPTION = click.option(
    "--db",
    metavar="URL",
    envvar="CROSSWIRE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The corpus database (a SQLite file, or as the store accepts it); also CROSSWIRE_DB.",
)


@cli.group(context_settings=CONTEXT_SETTINGS)
def batch() -> None:
    """The distributed batch pipeline (Ray Data): ingest and link a large corpus.

    `batch ingest` gives the same articles and stories as `crosswire ingest`;
    reading and embedding run on Ray workers (local mode by default, a cluster
    with --address), storing and story linking on this machine. Needs
    `pip install 'crosswire[scale]'`.
    """


@batch.command("ingest", context_settings=CONTEXT_SETTINGS)
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@_SCALE_DB_OPTION
@click.option(
    "--address",
    metavar="ADDRESS",
    envvar="RAY_ADDRESS",
    help="A Ray cluster: HEAD:6379, or auto on a cluster node. Default: local mode on this machine's cores.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Encoder workers (Ray actors), each with one ONNX session.",
)
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE (YYYY-MM-DD).")
@click.option("--no-link", is_flag=True, help="Store only; link stories later with `crosswire batch link`.")
@_ENCODER_OPTION
@_JSON_OPTION
def batch_ingest(
    paths: tuple[str, ...],
    db: str,
    address: str | None,
    workers: int,
    since: str | None,
    until: str | None,
    no_link: bool,
    encoder: str,
    as_json: bool,
) -> None:
    """Read, embed and store every article under PATH... on Ray, then link stories.

    PATHs are read as by `crosswire ingest` and must be readable under the same
    names on every Ray node; a PATH may also be a URL (s3://, gs://, file://)
    that fsspec opens. --json prints crosswire.ingest/1.

    \b
    Exit codes:
      0    the run completed (rejected inputs are listed in the summary)
      2    a PATH does not exist, or the database, Ray, an option or the encoder could not be used
    """
    from crosswire.batch import BatchOptions, batch_ingest as run_batch_ingest, batch_link
    from crosswire.store import open_store

    try:
        _require_paths(paths)
        options = BatchOptions(
            address=address,
            workers=workers,
            encoder=encoder,
            since=_date_option(since, "--since"),
            until=_date_option(until, "--until"),
        )
        with open_store(db) as store:
            report = run_batch_ingest(paths, store, options)
        linked = 0 if no_link else batch_link(db, encoder)
    except CrosswireError as exc:
        _fail(str(exc))
    if as_json:
        _write_json(report.to_dict())
    else:
        _print_ingest_summary(report, db, Console())
        Console().print(Text(f"{linked} articles linked into stories"), soft_wrap=True)


@batch.command("link", context_settings=CONTEXT_SETTINGS)
@_SCALE_DB_OPTION
@_ENCODER_OPTION
def batch_link_command(db: str, encoder: str) -> None:
    """Link every article in no story yet, in publication order (as `crosswire ingest` does)."""
    from crosswire.batch import batch_link

    try:
        linked = batch_link(db, encoder)
    except CrosswireError as exc:
        _fail(str(exc))
    Console().print(Text(f"{display_name(db)}: {linked} articles linked into stories"), soft_wrap=True)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--redis", "redis_url", metavar="URL", required=True, help="redis://HOST:PORT/DB, rediss://… or unix:///PATH.sock"
)
@click.option(
    "--stream", metavar="NAME", required=True, help="The stream; each message's `article` field is one JSON article."
)
@click.option(
    "--group", metavar="NAME", required=True, help="The consumer group the workers share (created if missing)."
)
@_SCALE_DB_OPTION
@click.option("--consumer", metavar="NAME", help="This worker's name in the group. Default: HOST-PID.")
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(1),
    default=16,
    show_default=True,
    help="Messages per round (one encoder call).",
)
@click.option(
    "--claim-idle",
    type=click.FloatRange(0),
    default=60.0,
    show_default=True,
    help="Seconds a message may stay unacknowledged on another worker before this one retries it.",
)
@click.option("--max-messages", type=click.IntRange(1), help="Stop after this many messages.")
@click.option("--idle-exit", type=click.FloatRange(0), metavar="SECONDS", help="Stop after this long with no message.")
@click.option(
    "--max-deliveries",
    type=int,
    default=5,
    show_default=True,
    help="A message delivered more often than this without success goes to the dead-letter stream.",
)
@click.option("--dead-letters", metavar="NAME", help="The dead-letter stream. Default: STREAM:dead.")
@_ENCODER_OPTION
@_JSON_OPTION
@click.pass_context
def watch(
    ctx: click.Context,
    redis_url: str,
    stream: str,
    group: str,
    db: str,
    consumer: str | None,
    batch_size: int,
    claim_idle: float,
    max_messages: int | None,
    idle_exit: float | None,
    max_deliveries: int,
    dead_letters: str | None,
    encoder: str,
    as_json: bool,
) -> None:
    """Ingest articles from a Redis Stream as they arrive, and link them into stories.

    Run one or more workers with the same --stream and --group (on any
    machines): each message goes to one worker, is acknowledged only after its
    article is committed, and is retried by another worker after --claim-idle
    seconds if its worker died or its article failed; a message delivered more
    than --max-deliveries times goes to the dead-letter stream with its error.
    Add an article with e.g.
    `redis-cli XADD news '*' article '{"text": "...", "lang": "en"}'`.
    Runs until Ctrl-C, --max-messages or --idle-exit. --json prints crosswire.watch/1.

    \b
    Exit codes:
      0    stopped by --max-messages or --idle-exit
      2    Redis, the database or the encoder could not be used
      130  interrupted (Ctrl-C); every acknowledged message's article is stored
    """
    from crosswire.watch import WatchOptions, default_consumer, watch as run_watch

    options = WatchOptions(
        redis_url=redis_url,
        stream=stream,
        group=group,
        consumer=consumer or default_consumer(),
        encoder=encoder,
        batch=batch_size,
        claim_idle_ms=int(claim_idle * 1000),
        max_messages=max_messages,
        idle_exit_s=idle_exit,
        max_deliveries=max_deliveries,
        dead_letter_stream=dead_letters,
    )
    try:
        report = run_watch(db, options)
    except CrosswireError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        _write_json(report.to_dict())
    else:
        _print_ingest_summary(report.ingest, db, Console())
        Console().print(
            Text(
                f"{report.messages} messages ({report.reclaimed} reclaimed from other workers), "
                f"{report.linked} articles linked, {report.failed} failed (left for a retry), "
                f"{report.dead_letters} moved to {options.dead_letters}"
            ),
            soft_wrap=True,
        )


@cli.group(context_settings=CONTEXT_SETTINGS)
def db() -> None:
    """A local PostgreSQL server (with pgvector) for a one-machine trial.

    `crosswire db start` starts PostgreSQL 16 + pgvector from the pgserver package
    (no network, no root) on a unix socket in --dir, and prints the URL to pass as
    --db or CROSSWIRE_DB. For several machines, use a server they can all reach
    (docs/deploy.md).
    """


_PGDATA_OPTION = click.option(
    "--dir",
    "folder",
    metavar="DIR",
    default="crosswire-pgdata",
    show_default=True,
    help="The server's data folder (created if missing).",
)


@db.command("start", context_settings=CONTEXT_SETTINGS)
@_PGDATA_OPTION
def db_start(folder: str) -> None:
    """Start (or find running) the local server; print its corpus URL on stdout."""
    from crosswire.store.postgres import start_local_server

    try:
        click.echo(start_local_server(folder))
    except CrosswireError as exc:
        _fail(str(exc))


@db.command("stop", context_settings=CONTEXT_SETTINGS)
@_PGDATA_OPTION
def db_stop(folder: str) -> None:
    """Stop the local server started with `crosswire db start`."""
    from crosswire.store.postgres import stop_local_server

    try:
        stop_local_server(folder)
    except CrosswireError as exc:
        _fail(str(exc))


def main() -> None:
    """Console-script entry point (`crosswire = "crosswire.cli:main"`)."""
    try:
        cli(prog_name="crosswire")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)


def _register_factcheck_commands() -> None:
    from crosswire.factcheck_cli import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register_factcheck_commands()
