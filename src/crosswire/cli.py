"""The `crosswire` command line: a thin shell over the library.

Reading, comparing and rendering are library calls (crosswire.read_path,
crosswire.compare, crosswire.render); this module only wires options to them,
reports CrosswireError as `error: CW104 foo.txt: ...` and sets exit codes.
"""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Iterator, NoReturn

import click
from rich.console import Console
from rich.text import Text

import crosswire
from crosswire.encode import DEFAULT_ENCODER, ENCODERS, get_encoder
from crosswire.errors import CrosswireError
from crosswire.read import DEFAULT_MAX_BYTES, read_path, read_string
from crosswire.read.text import text_from_bytes
from crosswire.render import render_comparison, render_html

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


def main() -> None:
    """Console-script entry point (`crosswire = "crosswire.cli:main"`)."""
    try:
        cli(prog_name="crosswire")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
