"""The fact-checking commands of the CLI: `train-attribution` (and the exports and history).

Kept apart from cli.py, which registers them (cli.add_command), so that the commands of
one feature live together.
"""

from __future__ import annotations

from pathlib import Path

import click

from crosswire.encode import DEFAULT_ENCODER
from crosswire.store import DEFAULT_DB

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("train-attribution", context_settings=CONTEXT_SETTINGS)
@click.argument("polnear", metavar="PATH", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: where crosswire looks for it; see below).",
)
@click.option(
    "--iterations",
    type=click.IntRange(1),
    default=150,
    show_default=True,
    help="Training iterations (L-BFGS); fewer trains faster and reads worse.",
)
def train_attribution(polnear: Path, out: Path | None, iterations: int) -> None:
    """Build the English attribution model from your copy of PolNeAR (its train/ folder).

    crosswire ships no model trained on PolNeAR (its repository states no licence), so
    English attributions are read by rules until you build one. The model is written to
    $CROSSWIRE_MODELS/attribution/en.crfsuite, or to the same path under your user data
    folder, and used by every later command. Building it takes a few minutes.
    See docs/attribution-model.md.
    """
    from crosswire.attribution.train import TrainingParams, build_english_model

    try:
        path = build_english_model(polnear, out, TrainingParams(iterations=iterations))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"model written to {path} ({path.stat().st_size / 1e6:.1f} MB)")


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
@click.option(
    "--db",
    metavar="FILE|URL",
    envvar="CROSSWIRE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The corpus database: an SQLite file, or a postgresql:// URL. Also CROSSWIRE_DB.",
)
@click.option(
    "--encoder", metavar="NAME", default=DEFAULT_ENCODER, show_default=True, help="Sentence encoder of the corpus."
)
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

    from crosswire.cli import _fail, _open_corpus  # the other corpus commands' database check and error exit
    from crosswire.errors import CrosswireError
    from crosswire.render.exports import claim_matrix_csv, claims_jsonld, story_export
    from crosswire.render.story_report import story_report_html

    try:
        with _open_corpus(db, encoder) as corpus:
            found = story_export(corpus, story_id)
    except CrosswireError as exc:
        _fail(str(exc))
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


@click.command("poll", context_settings=CONTEXT_SETTINGS)
@click.argument("feeds", metavar="FEEDS", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--db",
    metavar="FILE|URL",
    envvar="CROSSWIRE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The corpus database: an SQLite file, or a postgresql:// URL. Also CROSSWIRE_DB.",
)
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
@click.option(
    "--json", "as_json", is_flag=True, help="Print each round's ingest summary as a JSON line (crosswire.ingest/1)."
)
@click.option("--encoder", metavar="NAME", default=DEFAULT_ENCODER, show_default=True, help="Sentence encoder.")
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
    import json
    import time

    from crosswire.cli import _fail, _print_ingest_summary
    from crosswire.corpus import Corpus
    from crosswire.errors import CrosswireError
    from crosswire.fetch import FetchConfig, Fetcher, is_url, load_validators, save_validators, shared_fetcher
    from crosswire.read import Rejected
    from rich.console import Console

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
                    click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
                else:
                    _print_ingest_summary(report, db, Console())
                done += 1
                if rounds is None or done < rounds:
                    time.sleep(every)
    except CrosswireError as exc:
        _fail(str(exc))
    finally:
        fetcher.close()


@click.command("history", context_settings=CONTEXT_SETTINGS)
@click.argument("address", metavar="URL")
@click.option(
    "--db",
    metavar="FILE|URL",
    envvar="CROSSWIRE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The corpus database: an SQLite file, or a postgresql:// URL. Also CROSSWIRE_DB.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout (schema crosswire.history/1).")
@click.option("--encoder", metavar="NAME", default=DEFAULT_ENCODER, show_default=True, help="Sentence encoder.")
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
    import json

    from rich.console import Console
    from rich.text import Text

    from crosswire.cli import _corpus_errors, _open_corpus
    from crosswire.history import history as versions_of
    from crosswire.render._common import describe

    def run():
        with _open_corpus(db, encoder) as corpus:
            return versions_of(corpus, address)

    found = _corpus_errors(run)
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return
    console = Console()
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


COMMANDS = (train_attribution, export, poll, history)
