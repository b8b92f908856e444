"""What every command of the CLI shares: the error exit, the --db/--encoder/--json options,
the settings read at start-up, and the small input and output helpers."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn, TypeVar

import click
from rich.console import Console
from rich.text import Text

from crosswire.encode import DEFAULT_ENCODER, ENCODERS
from crosswire.errors import CrosswireError
from crosswire.settings import Settings
from crosswire.store import DEFAULT_DB, is_postgres_url

if TYPE_CHECKING:
    from crosswire.corpus import Corpus
    from crosswire.ingest import IngestReport

EXIT_ERROR = 2  # a CrosswireError (bad input, unknown encoder ...); click usage errors use 2 too
EXIT_INTERRUPTED = 130

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
ENCODER_CHOICES = ", ".join(ENCODERS) + " or st:DIR (a local sentence-transformers model)"

F = TypeVar("F", bound=Callable[..., Any])


class CrosswireGroup(click.Group):
    """The root command group; every command runs inside its `invoke`, so this is the one
    place where a CrosswireError becomes `error: CW104 foo.txt: ...` and exit 2, and Ctrl-C
    exit 130 without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrosswireError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            ctx.exit(EXIT_INTERRUPTED)


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def fail(message: str) -> NoReturn:
    """Print `error: ...` in red on stderr and exit 2."""
    line = Text("error: ", style="bold red")
    line.append(message, style="red")  # a Text, so brackets in file names are not rich markup
    stderr().print(line, soft_wrap=True)
    sys.exit(EXIT_ERROR)


def warn(console: Console, message: str) -> None:
    """Print `warning: ...` in yellow on `console` (stderr)."""
    line = Text("warning: ", style="bold yellow")
    line.append(message, style="yellow")
    console.print(line, soft_wrap=True)


@contextlib.contextmanager
def status(console: Console, message: str) -> Iterator[None]:
    """A spinner on stderr while slow work runs, only when stderr is an interactive terminal."""
    if sys.stderr.isatty():
        with console.status(message):
            yield
    else:
        yield


def settings() -> Settings:
    """The settings the root command read from the environment at start-up."""
    found = click.get_current_context().find_object(Settings)
    return found if found is not None else Settings()


def db_option(*, default: str | None = DEFAULT_DB, note: str = "") -> Callable[[F], F]:
    """--db, also CROSSWIRE_DB: the corpus database every corpus command opens."""
    return click.option(
        "--db",
        metavar="FILE|URL",
        envvar="CROSSWIRE_DB",
        default=default,
        show_default=default is not None,
        help=f"The corpus database: an SQLite file, or a postgresql:// URL.{note} Also CROSSWIRE_DB.",
    )


def encoder_option(*, default: str = DEFAULT_ENCODER, choices: str = ENCODER_CHOICES) -> Callable[[F], F]:
    return click.option(
        "--encoder", metavar="NAME", default=default, show_default=True, help=f"Sentence encoder: {choices}."
    )


def json_option(help: str = "Print JSON on stdout (schema in the help above).") -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=help)


def write_json(data: dict, *, indent: int | None = 2) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))  # JSON is UTF-8 whatever the locale says
    sys.stdout.buffer.flush()


def print_ingest_report(report: IngestReport, db: str, as_json: bool, closing: str) -> None:
    """An ingest run's report: crosswire.ingest/1 on stdout, or its summary and `closing`."""
    from crosswire.render.terminal import render_ingest_summary
    from crosswire.store import display_name

    if as_json:
        write_json(report.to_dict())
    else:
        render_ingest_summary(report, display_name(db), Console())
        Console().print(Text(closing), soft_wrap=True)


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CrosswireError("CW403", option, f"'{value}' is not a date; use YYYY-MM-DD") from None


def require_paths(paths: tuple[str, ...]) -> None:
    """CW101 for a PATH that does not exist (a typo), before anything is loaded or stored;
    a URL (batch ingest) is for its reader to open."""
    for path in paths:
        if "://" not in path and not Path(path).exists():
            raise CrosswireError("CW101", path, "no such file or folder")


def open_corpus(db: str, encoder: str) -> Corpus:
    """An existing corpus (CW401 if there is none at `db`: only ingest creates one)."""
    from crosswire.corpus import Corpus

    if not is_postgres_url(db) and not Path(db).is_file():
        raise CrosswireError("CW401", db, "no such database; run `crosswire ingest PATH... --db FILE` first")
    return Corpus(db, encoder=encoder)
