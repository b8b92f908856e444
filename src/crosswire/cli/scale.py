"""The scale-out commands: `batch` (Ray Data), `watch` (a Redis Stream) and `db` (a local
PostgreSQL server for a trial)."""

from __future__ import annotations

import click
from rich.console import Console
from rich.text import Text

from crosswire.cli._shared import (
    CONTEXT_SETTINGS,
    db_option,
    encoder_option,
    json_option,
    parse_date,
    print_ingest_report,
    require_paths,
    write_json,
)
from crosswire.store import display_name


@click.group(context_settings=CONTEXT_SETTINGS)
def batch() -> None:
    """The distributed batch pipeline (Ray Data): ingest and link a large corpus.

    `batch ingest` gives the same articles and stories as `crosswire ingest`;
    reading and embedding run on Ray workers (local mode by default, a cluster
    with --address), storing and story linking on this machine. Needs
    `pip install 'crosswire[scale]'`.
    """


@batch.command("ingest", context_settings=CONTEXT_SETTINGS)
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@db_option(note=" Created if missing.")
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
@encoder_option()
@json_option()
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

    require_paths(paths)
    options = BatchOptions(
        address=address,
        workers=workers,
        encoder=encoder,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
    )
    with open_store(db) as store:
        report = run_batch_ingest(paths, store, options)
    linked = 0 if no_link else batch_link(db, encoder)
    print_ingest_report(report, db, as_json, f"{linked} articles linked into stories")


@batch.command("link", context_settings=CONTEXT_SETTINGS)
@db_option(note=" Created if missing.")
@encoder_option()
def batch_link_command(db: str, encoder: str) -> None:
    """Link every article in no story yet, in publication order (as `crosswire ingest` does)."""
    from crosswire.batch import batch_link

    linked = batch_link(db, encoder)
    Console().print(Text(f"{display_name(db)}: {linked} articles linked into stories"), soft_wrap=True)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--redis", "redis_url", metavar="URL", required=True, help="redis://HOST:PORT/DB, rediss://… or unix:///PATH.sock"
)
@click.option(
    "--stream", metavar="NAME", required=True, help="The stream; each message's `article` field is one JSON article."
)
@click.option(
    "--group", metavar="NAME", required=True, help="The consumer group the workers share (created if missing)."
)
@db_option(note=" Created if missing.")
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
@encoder_option()
@json_option()
def watch(
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
    from crosswire.render.terminal import render_ingest_summary
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
    report = run_watch(db, options)
    if as_json:
        write_json(report.to_dict())
    else:
        render_ingest_summary(report.ingest, display_name(db), Console())
        Console().print(
            Text(
                f"{report.messages} messages ({report.reclaimed} reclaimed from other workers), "
                f"{report.linked} articles linked, {report.failed} failed (left for a retry), "
                f"{report.dead_letters} moved to {options.dead_letters}"
            ),
            soft_wrap=True,
        )


@click.group(context_settings=CONTEXT_SETTINGS)
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

    click.echo(start_local_server(folder))


@db.command("stop", context_settings=CONTEXT_SETTINGS)
@_PGDATA_OPTION
def db_stop(folder: str) -> None:
    """Stop the local server started with `crosswire db start`."""
    from crosswire.store.postgres import stop_local_server

    stop_local_server(folder)


COMMANDS = (batch, watch, db)
