"""Sentence matching across languages on the Tatoeba test pairs (as published with LASER).

    python bench/tatoeba.py [--encoders use-m,use-m-numpy,e5-small] [--limit 1000]
                            [--encoder-limit use-m-numpy=300 ...]

For each language pair in ../shared/data/tatoeba (ind-eng, deu-eng), encodes the
first N line-aligned sentences of both sides with each crosswire encoder and finds
every sentence's nearest neighbour (cosine) on the other side. A hit is the
neighbour on the same line. Reports accuracy xx->en, en->xx and their mean (LASER
reports 1 - mean as its error rate), and encoding throughput in sentences/s with
the encoder already loaded and warm. An encoder whose package is not installed is
skipped with a note. Writes nothing to disk.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

DATA_DIR = Path("../shared/data/tatoeba")
PAIRS = (("ind", "eng"), ("deu", "eng"))
DEFAULT_ENCODERS = "use-m,use-m-numpy,e5-small"


def read_pair(xx: str, en: str, limit: int) -> tuple[list[str], list[str]]:
    stem = DATA_DIR / f"tatoeba.{xx}-{en}"
    left = Path(f"{stem}.{xx}").read_text(encoding="utf-8").splitlines()
    right = Path(f"{stem}.{en}").read_text(encoding="utf-8").splitlines()
    if len(left) != len(right):
        raise SystemExit(f"{stem}: {len(left)} vs {len(right)} lines; files are not line-aligned")
    return left[:limit], right[:limit]


def nn_accuracy(sim: np.ndarray) -> tuple[float, float]:
    """Row -> column and column -> row nearest-neighbour accuracy; gold is the diagonal."""
    gold = np.arange(sim.shape[0])
    forward = float(np.mean(sim.argmax(axis=1) == gold))
    backward = float(np.mean(sim.argmax(axis=0) == gold))
    return forward, backward


def parse_encoder_limits(items: list[str]) -> dict[str, int]:
    limits = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not value.isdigit():
            raise SystemExit(f"--encoder-limit wants NAME=N, got {item!r}")
        limits[name] = int(value)
    return limits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoders", default=DEFAULT_ENCODERS, help=f"comma-separated (default {DEFAULT_ENCODERS})")
    ap.add_argument("--limit", type=int, default=1000, help="first N pairs per language pair (default 1000)")
    ap.add_argument("--encoder-limit", action="append", default=[], metavar="NAME=N",
                    help="a smaller limit for one encoder, e.g. use-m-numpy=300 (repeatable)")
    args = ap.parse_args(argv)

    from crosswire import CrosswireError
    from crosswire.encode import get_encoder

    limits = parse_encoder_limits(args.encoder_limit)
    names = [n.strip() for n in args.encoders.split(",") if n.strip()]
    rows = []
    notes = []
    for name in names:
        limit = limits.get(name, args.limit)
        try:
            t0 = time.perf_counter()
            encoder = get_encoder(name)
            encoder.encode(["warm-up"])
            load_s = time.perf_counter() - t0
        except CrosswireError as exc:
            notes.append(f"skipped {name}: {exc}")
            continue
        for xx, en in PAIRS:
            left, right = read_pair(xx, en, limit)
            t0 = time.perf_counter()
            vx = encoder.encode(left)
            ve = encoder.encode(right)
            encode_s = time.perf_counter() - t0
            x2e, e2x = nn_accuracy(vx @ ve.T)
            rows.append({
                "encoder": name, "pair": f"{xx}-{en}", "n": len(left), "x2e": x2e, "e2x": e2x,
                "mean": (x2e + e2x) / 2, "sent_s": (len(left) + len(right)) / encode_s, "load_s": load_s,
            })
            print(f"  {name} {xx}-{en}: done in {encode_s:.1f} s", file=sys.stderr)

    print(f"Tatoeba nearest-neighbour translation retrieval ({DATA_DIR}); "
          f"limit {args.limit} pairs" + "".join(f", {k}: {v}" for k, v in limits.items()))
    print()
    head = (f"{'encoder':<13}{'pair':<9}{'n':>6}{'xx->en':>9}{'en->xx':>9}{'mean':>8}"
            f"{'error%':>8}{'sent/s':>10}{'load s':>8}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['encoder']:<13}{r['pair']:<9}{r['n']:>6}{r['x2e']:>9.3f}{r['e2x']:>9.3f}{r['mean']:>8.3f}"
              f"{100 * (1 - r['mean']):>8.1f}{r['sent_s']:>10.1f}{r['load_s']:>8.2f}")
    for note in notes:
        print(note)
    print()
    print("accuracy: share of sentences whose nearest neighbour on the other side is their translation;"
          " error% = 100 x (1 - mean), as LASER reports it.")
    print("sent/s: sentences encoded per second (both sides), encoder loaded and warm; load s includes warm-up.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
