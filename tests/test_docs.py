"""The documentation stays true: the command reference (docs/cli.md) is the CLI's own
--help, every command and option is also shown in the guides, every relative link in
README.md and docs/ points at a file that exists, and the README stays a short front
door (reference material lives in docs/)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crosswire.cli import cli

from docs_reference import CLI_REFERENCE, cli_reference

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GUIDES = [page for page in PAGES if page != CLI_REFERENCE]
README_MAX_LINES = 300


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = list(_commands(cli))
GUIDES_TEXT = "\n".join(page.read_text(encoding="utf-8") for page in GUIDES)


def test_cli_reference_is_current() -> None:
    assert CLI_REFERENCE.is_file() and CLI_REFERENCE.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is out of date: run `python tests/docs_reference.py`"
    )


def test_commands_found() -> None:
    assert {"compare", "ingest", "serve", "stories", "story", "search"} <= {path[0] for path, _ in COMMANDS}


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_documented(path: tuple[str, ...], command: click.Command) -> None:
    usage = "crosswire " + " ".join(path)
    assert usage in GUIDES_TEXT, f"`{usage}` appears in no guide (README.md, docs/ other than cli.md)"
    missing = [
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--") and opt != "--help" and opt not in GUIDES_TEXT
    ]
    assert not missing, f"`{usage}` options not shown in any guide (README.md, docs/ other than cli.md): {missing}"


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        if not (page.parent / target.split("#", 1)[0]).exists():
            broken.append(target)
    assert not broken, f"{page.name}: links to missing files {broken}"


def test_readme_is_a_front_door() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move reference material into docs/"
