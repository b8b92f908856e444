"""Train the English attribution tagger (a CRF) on PolNeAR train and score it on dev.

    python bench/train_attribution.py [--iterations 150] [--c1 2.0] [--c2 0.01] [--min-freq 3]
                                      [--data ../shared/data/polnear] [--out PATH]
                                      [--holdout [--marginals 0.3,0.4,0.5]] [--every-copy]

Reads `train/` only (dev is for reporting; a held-out part is measured
elsewhere), tags each sentence of crosswire's own segmentation with BIO tags
over CUE, SOURCE and CONTENT (crosswire.attribution.tagger), trains with
L-BFGS and L1 + L2 regularisation (L1 prunes most feature weights to zero,
which keeps the model file small), writes the model to
src/crosswire/attribution/data/models/en.crfsuite and prints the training time,
the model size and the dev scores of extract_attributions (bench/polnear.py).

--holdout chooses hyper-parameters without dev: it trains on four fifths of train
(every fifth document by name is left out), writes the model to --out (a temporary
file by default, never the packaged one) and scores the fifth left out, once per
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

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear import DEFAULT_DATA, Document, load_split, print_table, score  # noqa: E402

from crosswire.attribution import lexicon, tagger  # noqa: E402
from crosswire.attribution.tagger import TAG_OF_ROLE, features, model_path, quoted_at_starts, tokens  # noqa: E402
from crosswire.text.segment import segment  # noqa: E402

# Where a token falls in two gold spans (annotations of one text by several passes), the
# narrower role wins: a cue inside a content span is still a cue.
ROLE_PRIORITY = ("content", "source", "cue")
# --holdout leaves out every HOLDOUT_EVERY-th train document (sorted by name).
HOLDOUT_EVERY = 5


def sequences(document: Document, lex) -> list[tuple[list[list[str]], list[str]]]:
    """(features, tags) for every sentence of a document with its gold spans."""
    text = document.text
    sentences, _ = segment(text, "en")
    result = []
    for sentence, quoted in zip(sentences, quoted_at_starts(text, sentences)):
        spans = tokens(text, sentence.start, sentence.end)
        if not spans:
            continue
        tags = ["O"] * len(spans)
        for role in ROLE_PRIORITY:
            for gold in document.gold[role]:
                for start, end in gold.fragments:
                    if end <= sentence.start or start >= sentence.end:
                        continue
                    inside = [i for i, (s, e) in enumerate(spans) if start <= s < end]
                    for k, i in enumerate(inside):
                        tags[i] = ("B-" if k == 0 else "I-") + TAG_OF_ROLE[role]
        result.append((features(text, spans, lex, quoted), tags))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--c1", type=float, default=2.0, help="L1 weight: higher prunes more features")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    ap.add_argument("--min-freq", type=int, default=3, help="drop features seen fewer times in train")
    ap.add_argument("--limit", type=int, default=0, help="only the first N train documents (quick trials)")
    ap.add_argument("--out", type=Path, default=None, help="model file (default: the packaged en.crfsuite)")
    ap.add_argument("--holdout", action="store_true", help="train on four fifths of train, score the fifth left out")
    ap.add_argument("--every-copy", action="store_true",
                    help="train on every annotator's copy of a text annotated several times (default: the first)")
    ap.add_argument("--marginals", default="", help="with --holdout: MIN_ROLE_MARGINAL values to score, comma-separated")
    args = ap.parse_args(argv)

    lex = lexicon("en")
    if args.holdout:
        out = args.out or Path(tempfile.mkdtemp()) / "holdout.crfsuite"
    else:
        out = args.out or Path(str(model_path("en")))
    out.parent.mkdir(parents=True, exist_ok=True)
    documents = load_split(args.data / "train", args.limit)
    held_out = documents[::HOLDOUT_EVERY] if args.holdout else []
    training = load_split(args.data / "train", args.limit, every_copy=True) if args.every_copy else documents
    held_out_names = {document.name for document in held_out}
    started = time.perf_counter()
    training_sequences = [seq for document in training if document.name not in held_out_names
                          for seq in sequences(document, lex)]
    params = {
        "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
        "feature.minfreq": args.min_freq, "feature.possible_transitions": True,
    }
    featurised = time.perf_counter()
    train(training_sequences, out, params)
    trained = time.perf_counter()
    print(f"train: {len(training_sequences)} sentences, features {featurised - started:.1f}s, training {trained - featurised:.1f}s "
          f"({args.iterations} iterations, c1={args.c1}, c2={args.c2}, min freq {args.min_freq}"
          f"{', every copy' if args.every_copy else ''})")
    print(f"model: {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print()
    if args.holdout:
        score_held_out(held_out, out, [float(m) for m in args.marginals.split(",") if m])
    elif args.out is None:
        dev = args.data / "dev"
        print_table(score(load_split(dev)), dev)
    return 0


def train(sequences_: list[tuple[list[list[str]], list[str]]], out: Path, params: dict) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences_:
        trainer.append(xseq, yseq)
    trainer.set_params(params)
    trainer.train(str(out))


def score_held_out(documents: list[Document], model: Path, marginals: list[float]) -> None:
    """Scores of the model on the held-out documents, with the packaged MIN_ROLE_MARGINAL and each of `marginals`."""
    tagger.forget_loaded_models()
    with mock.patch.object(tagger, "model_path", lambda lang: model):
        for marginal in [None, *marginals]:
            floors = dict.fromkeys(tagger.MIN_ROLE_MARGINAL, marginal) if marginal is not None else {}
            with mock.patch.dict(tagger.MIN_ROLE_MARGINAL, floors):
                print(f"held-out fifth of train, MIN_ROLE_MARGINAL {dict(tagger.MIN_ROLE_MARGINAL)}:")
                print_table(score(documents), Path(f"{len(documents)} train documents"))
                print()
    tagger.forget_loaded_models()


if __name__ == "__main__":
    sys.exit(main())
