"""Train the English attribution tagger (a CRF) on PolNeAR train and score it on dev.

    python bench/train_attribution.py [--iterations 150] [--c1 2.0] [--c2 0.01] [--min-freq 3]
                                      [--data ../shared/data/polnear] [--out PATH]
                                      [--holdout [--marginals 0.3,0.4,0.5]] [--every-copy]

Reads `train/` only (dev is for reporting; a held-out part is measured
elsewhere), tags each sentence of crosswire's own segmentation with BIO tags
over CUE, SOURCE and CONTENT (crosswire.attribution.tagger), trains with
L-BFGS and L1 + L2 regularisation (crosswire.attribution.train), writes the model
where crosswire looks for it (crosswire.attribution.tagger.user_model_path: the user's
data folder, or $CROSSWIRE_MODELS; never the package, see docs/attribution-model.md)
and prints the training time, the model size and the dev scores of
extract_attributions (bench/polnear.py). A user without this repository builds the
same model with `crosswire train-attribution PATH`.

--holdout chooses hyper-parameters without dev: it trains on four fifths of train
(every fifth document by name is left out), writes the model to --out (a temporary
file by default, never the one crosswire uses) and scores the fifth left out, once per
--marginals value (tagger.MIN_ROLE_MARGINAL for cues and sources alike).

--every-copy trains on each annotator's copy of the 16 train texts that several
annotators annotated (by default the first copy in sorted order); on the held-out
fifth it scored no higher (source overlap 0.763 against 0.764, cue 0.668 / 0.782
against 0.671 / 0.784), so the packaged model is trained without it.

The features include the word classes of attribution/data/clusters/en.tsv
(bench/word_clusters.py builds them); rebuild the model after changing them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from unittest import mock
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear import DEFAULT_DATA, Document, load_split, print_table, score  # noqa: E402

from crosswire.attribution import lexicon, tagger  # noqa: E402
from crosswire.attribution.tagger import user_model_path  # noqa: E402
from crosswire.attribution.train import TrainingParams, sequences, train  # noqa: E402

# --holdout leaves out every HOLDOUT_EVERY-th train document (sorted by name).
HOLDOUT_EVERY = 5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=2.0, help="L1 weight: higher prunes more features")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    ap.add_argument("--min-freq", type=int, default=3, help="drop features seen fewer times in train")
    ap.add_argument("--limit", type=int, default=0, help="only the first N train documents (quick trials)")
    ap.add_argument("--out", type=Path, default=None, help="model file (default: where crosswire looks for it)")
    ap.add_argument("--holdout", action="store_true", help="train on four fifths of train, score the fifth left out")
    ap.add_argument(
        "--every-copy",
        action="store_true",
        help="train on every annotator's copy of a text annotated several times (default: the first)",
    )
    ap.add_argument(
        "--marginals", default="", help="with --holdout: MIN_ROLE_MARGINAL values to score, comma-separated"
    )
    ap.add_argument(
        "--source-beliefs", default="", help="with --holdout: MIN_SOURCE_BELIEF values to score, comma-separated"
    )
    args = ap.parse_args(argv)

    lex = lexicon("en")
    if args.holdout:
        out = args.out or Path(tempfile.mkdtemp()) / "holdout.crfsuite"
    else:
        out = args.out or user_model_path("en")
    out.parent.mkdir(parents=True, exist_ok=True)
    documents = load_split(args.data / "train", args.limit)
    held_out = documents[::HOLDOUT_EVERY] if args.holdout else []
    training = load_split(args.data / "train", args.limit, every_copy=True) if args.every_copy else documents
    held_out_names = {document.name for document in held_out}
    started = time.perf_counter()
    training_sequences = [
        seq for document in training if document.name not in held_out_names for seq in sequences(document, lex)
    ]
    params = TrainingParams(args.iterations, args.c1, args.c2, args.min_freq)
    featurised = time.perf_counter()
    train(training_sequences, out, params)
    trained = time.perf_counter()
    print(
        f"train: {len(training_sequences)} sentences, features {featurised - started:.1f}s, training {trained - featurised:.1f}s "
        f"({args.iterations} iterations, c1={args.c1}, c2={args.c2}, min freq {args.min_freq}"
        f"{', every copy' if args.every_copy else ''})"
    )
    print(f"model: {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print()
    if args.holdout:
        score_held_out(
            held_out,
            out,
            [float(m) for m in args.marginals.split(",") if m],
            [float(b) for b in args.source_beliefs.split(",") if b],
        )
    elif args.out is None:
        dev = args.data / "dev"
        print_table(score(load_split(dev)), dev)
    return 0


def score_held_out(
    documents: list[Document], model: Path, marginals: list[float], source_beliefs: list[float] = ()
) -> None:
    """Scores of the model on the held-out documents, with the packaged MIN_ROLE_MARGINAL and
    MIN_SOURCE_BELIEF, then with each of `marginals` and each of `source_beliefs`."""
    tagger.forget_loaded_models()
    settings = [({}, None)] + [(dict.fromkeys(tagger.MIN_ROLE_MARGINAL, m), None) for m in marginals]
    settings += [({}, b) for b in source_beliefs]
    with mock.patch.object(tagger, "model_path", lambda lang: model):
        for floors, source_belief in settings:
            with (
                mock.patch.dict(tagger.MIN_ROLE_MARGINAL, floors),
                mock.patch.object(
                    tagger, "MIN_SOURCE_BELIEF", tagger.MIN_SOURCE_BELIEF if source_belief is None else source_belief
                ),
            ):
                print(
                    f"held-out fifth of train, MIN_ROLE_MARGINAL {dict(tagger.MIN_ROLE_MARGINAL)}, "
                    f"MIN_SOURCE_BELIEF {tagger.MIN_SOURCE_BELIEF}:"
                )
                print_table(score(documents), Path(f"{len(documents)} train documents"))
                print()
    tagger.forget_loaded_models()


if __name__ == "__main__":
    sys.exit(main())
