"""The `crosswire` command line: a thin shell over the library.

Reading, comparing and rendering are library calls (crosswire.read_path,
crosswire.compare, crosswire.render); this module only wires options to them,
reports CrosswireError as `error: CW104 foo.txt: ...` and sets exit codes.
"""
from __future__ import annotations

import contextlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import Iterator, NoReturn

import click
import rich.progress
from rich.console import Console
from rich.text import Text

import crosswire
from crosswire.encode import DEFAULT_ENCODER, ENCODERS, get_encoder
from crosswire.errors import CrosswireError
from crosswire.ingest import IngestReport, Progress, reserve_core_for_reading
from crosswire.read import DEFAULT_MAX_BYTES, read_path, read_string
from crosswire.read.text import text_from_bytes
from crosswire.render import render_comparison, render_html
from crosswire.store import open_store
from crosswire.store.sqlite import DEFAULT_DB

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
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON on stdout instead of the terminal report.")
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
    default=DEFAULT_ENCODER,
    show_default=True,
    help=f"Sentence encoder: {ENCODER_CHOICES}.",
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
        with _status(err, f"Loading the {encoder} encoder…"):
            get_encoder(encoder)  # cached: compare() below reuses it
        with _status(err, "Comparing…"):
            cmp = crosswire.compare(article_a, article_b, encoder=encoder)
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
        try:
            html_path.write_text(render_html(cmp), encoding="utf-8")
        except OSError as exc:
            _fail(f"could not write {html_path}: {exc.strerror or exc}")
        err.print(Text(f"wrote {html_path}"), soft_wrap=True)
    if not as_json and not quiet:
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


def _print_ingest_summary(report: IngestReport, db: str, console: Console) -> None:
    line = Text(f"{db}: ", style="bold")
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
    "--db", metavar="FILE", default=DEFAULT_DB, show_default=True, help="The corpus database (SQLite); created if missing."
)
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD); undated ones are left out.")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE (YYYY-MM-DD); undated ones are left out.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (schema crosswire.ingest/1) on stdout.")
@click.option("--encoder", metavar="NAME", default=DEFAULT_ENCODER, show_default=True, help=f"Sentence encoder: {ENCODER_CHOICES}.")
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[str, ...], db: str, since: str | None, until: str | None, as_json: bool, encoder: str
) -> None:
    """Read articles from files and folders into a corpus database.

    Each PATH is a file or a folder (searched recursively; hidden files are
    left out) of .txt, .html/.htm, .jsonl (one article per line: text and
    optional title, url, published, lang, outlet), RSS/Atom feeds
    (.rss/.atom/.xml) and WARC crawls (.warc, .warc.gz). Other files are
    recognised by their first bytes.

    Running it again is safe: content already stored is skipped. Exact copies
    from other sources and lightly edited near-duplicates are linked to the
    earliest copy and not counted as separate sources. Unusable files, lines,
    entries and records are listed with the reason; the rest is still read.

    \b
    Exit codes:
      0    the run completed (rejected inputs are listed in the summary)
      2    the database, an option or the encoder could not be used
      130  interrupted (Ctrl-C); every article stored so far is kept
    """
    err = _stderr()
    try:
        window = _date_option(since, "--since"), _date_option(until, "--until")
        reserve_core_for_reading()
        with _status(err, f"Loading the {encoder} encoder…"):
            get_encoder(encoder)
        with open_store(db) as store, rich.progress.Progress(
            *rich.progress.Progress.get_default_columns(),
            rich.progress.TextColumn("{task.fields[counts]}"),
            console=err,
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("Ingesting", total=None, counts="")

            def show(progress: Progress) -> None:
                r = progress.report
                counts = f"{r.ingested} new · {r.duplicates + r.near_duplicates} copies · {len(r.rejected)} rejected"
                bar.update(task, total=progress.files_total, completed=progress.files_done, counts=counts)

            report = crosswire.ingest(paths, store, since=window[0], until=window[1], encoder=encoder, progress=show)
    except CrosswireError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        _write_json(report.to_dict())
    else:
        _print_ingest_summary(report, db, Console())


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", metavar="FILE", help="A corpus database (SQLite) to open; created if missing.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback lets other machines in."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--encoder", metavar="NAME", default=DEFAULT_ENCODER, show_default=True, help=f"Sentence encoder: {ENCODER_CHOICES}.")
def serve(db: str | None, host: str, port: int, encoder: str) -> None:
    """Open crosswire in the browser: compare two articles, and the JSON API.

    The pages are at http://HOST:PORT/ and the API's documentation at
    /api/docs. The server listens on this machine only (127.0.0.1) unless
    --host says otherwise; crosswire has no login, so anyone who can reach
    the address can use it.

    \b
    Exit codes:
      0    stopped (Ctrl-C)
      2    the database or the encoder could not be used
    """
    # Imported here so that the other commands do not pay for loading the web stack.
    import uvicorn

    from crosswire.web import LOOPBACK_HOSTS, create_app, is_loopback

    err = _stderr()
    loopback = is_loopback(host)
    if not loopback:
        line = Text("warning: ", style="bold yellow")
        line.append(
            f"listening on {host}, reachable from other machines. crosswire has no login: anyone who can reach "
            f"this address can read the corpus and upload to it. Leave out --host to serve this machine only.",
            style="yellow",
        )
        err.print(line, soft_wrap=True)
    try:
        with _status(err, f"Loading the {encoder} encoder…"):
            get_encoder(encoder)  # cached: the first comparison does not wait for it
        app = create_app(db, encoder=encoder, allowed_hosts=LOOPBACK_HOSTS if loopback else ("*",))
    except CrosswireError as exc:
        _fail(str(exc))
    uvicorn.run(app, host=host, port=port)


def main() -> None:
    """Console-script entry point (`crosswire = "crosswire.cli:main"`)."""
    try:
        cli(prog_name="crosswire")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
