"""The `crosswire` command line: a thin shell over the library.

Reading, comparing and rendering are library calls (crosswire.read_path,
crosswire.compare, crosswire.render); these modules only wire options to them. One
module per group of commands; what they share (the error exit, --db, --encoder, the
settings) is in _shared.py, and CrosswireGroup turns a CrosswireError from any command
into `error: CW104 foo.txt: ...` and exit 2.
"""

from __future__ import annotations

import sys

# `compare` identifies the articles' languages: start loading the language model now, so that
# it decompresses (GIL released) while the commands below are imported.
if sys.argv[1:2] == ["compare"]:
    from crosswire.text.lang import preload

    preload()

import click  # noqa: E402

import crosswire  # noqa: E402
from crosswire.cli import attribution, compare, corpus, scale  # noqa: E402
from crosswire.cli._shared import CONTEXT_SETTINGS, EXIT_INTERRUPTED, CrosswireGroup  # noqa: E402
from crosswire.encode import set_encoder_threads  # noqa: E402
from crosswire.settings import Settings  # noqa: E402


@click.group(name="crosswire", cls=CrosswireGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(crosswire.__version__, "-V", "--version", prog_name="crosswire")
@click.pass_context
def cli(ctx: click.Context) -> None:
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
    # The one place the CLI reads the environment's settings (crosswire.settings).
    ctx.obj = Settings.from_env()
    set_encoder_threads(ctx.obj.threads)


for _module in (compare, corpus, scale, attribution):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point (`crosswire = "crosswire.cli:main"`)."""
    try:
        cli(prog_name="crosswire")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
