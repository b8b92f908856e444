"""`crosswire train-attribution`: build the English attribution model from PolNeAR."""

from __future__ import annotations

from pathlib import Path

import click

from crosswire.cli._shared import CONTEXT_SETTINGS


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


COMMANDS = (train_attribution,)
