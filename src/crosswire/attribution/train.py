"""Build the English attribution tagger (a CRF) from a copy of PolNeAR: `crosswire train-attribution PATH`.

crosswire ships no model trained on PolNeAR, whose repository states no licence (see
docs/attribution-model.md); without one, English is read by the rules alone. A user with
their own copy builds the model once; it is written to tagger.model_dir() (the user's data
folder, or $CROSSWIRE_MODELS) and used from then on. Only `train/` is read.

Each sentence of crosswire's own segmentation is tagged with BIO tags over CUE, SOURCE
and CONTENT (tagger.TAG_OF_ROLE) and the CRF is trained with L-BFGS and L1 + L2
regularisation (L1 prunes most feature weights to zero, which keeps the file small).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .lexicon import Lexicon, lexicon
from .polnear import Document, load_split
from .tagger import TAG_OF_ROLE, features, forget_loaded_models, quoted_at_starts, tokens, user_model_path

# Where a token falls in two gold spans (annotations of one text by several passes), the
# narrower role wins: a cue inside a content span is still a cue.
ROLE_PRIORITY = ("content", "source", "cue")


@dataclass(frozen=True)
class TrainingParams:
    iterations: int = 150
    c1: float = 2.0  # L1 weight: higher prunes more features
    c2: float = 0.01  # L2 weight
    min_freq: int = 3  # features seen fewer times in train are dropped

    def crfsuite(self) -> dict:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.iterations,
            "feature.minfreq": self.min_freq,
            "feature.possible_transitions": True,
        }


def sequences(document: Document, lex: Lexicon) -> list[tuple[list[list[str]], list[str]]]:
    """(features, tags) for every sentence of a document with its gold spans."""
    from ..text.segment import segment

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


def train(training: list[tuple[list[list[str]], list[str]]], out: Path, params: TrainingParams) -> None:
    """Train a CRF on (features, tags) sequences and write it to `out`, replacing any model there
    only once the new one is complete."""
    import pycrfsuite

    out.parent.mkdir(parents=True, exist_ok=True)
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in training:
        trainer.append(xseq, yseq)
    trainer.set_params(params.crfsuite())
    handle, partial = tempfile.mkstemp(dir=out.parent, suffix=".partial")
    os.close(handle)
    try:
        trainer.train(partial)
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    forget_loaded_models()


def build_english_model(
    polnear: Path,
    out: Path | None = None,
    params: TrainingParams = TrainingParams(),
    documents: list[Document] | None = None,
) -> Path:
    """Train the English tagger on `polnear`/train (or on `documents`) and write it to `out`
    (default: where crosswire looks for it); returns the model's path."""
    lex = lexicon("en")
    found = load_split(polnear / "train") if documents is None else documents
    out = out or user_model_path("en")
    train([seq for document in found for seq in sequences(document, lex)], out, params)
    return out
