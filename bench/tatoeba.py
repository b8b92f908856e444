"""Sentence matching across languages on the Tatoeba test pairs (as published with LASER).

    python bench/tatoeba.py [--encoders use-m,e5-small] [--limit 1000]
                            [--encoder-limit e5-small=300 ...] [--write]

For each language pair in ../shared/data/tatoeba (every tatoeba.xxx-eng.* pair there),
encodes the first N line-aligned sentences of both sides with each crosswire encoder
and finds every sentence's nearest neighbour (cosine) on the other side. A hit is the
neighbour on the same line. Prints one table per encoder, a row per language:
accuracy xx->en, en->xx and their mean (LASER reports 1 - mean as its error rate),
and encoding throughput in sentences/s with the encoder already loaded and warm. An
encoder whose package is not installed is skipped with a note.

--write stores the measured means in src/crosswire/data/encoder_languages.json (ISO
639-1 codes, as text.lang names languages), next to the languages each model was
trained on by its authors' account; `auto` (encode.choose_encoder) reads that file to
choose an encoder per language pair and to name the languages no encoder handles well.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

DATA_DIR = Path("../shared/data/tatoeba")
DEFAULT_ENCODERS = "use-m,e5-small"
TABLE = Path(__file__).resolve().parent.parent / "src" / "crosswire" / "data" / "encoder_languages.json"

# Tatoeba's ISO 639-3 codes -> ISO 639-1, as text.lang names languages.
ISO_639_1 = {
    "ben": "bn",
    "deu": "de",
    "ell": "el",
    "fin": "fi",
    "heb": "he",
    "hin": "hi",
    "hun": "hu",
    "ind": "id",
    "kat": "ka",
    "kor": "ko",
    "swh": "sw",
    "tgl": "tl",
    "tha": "th",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "vie": "vi",
    "xho": "xh",
    "ara": "ar",
    "fra": "fr",
    "spa": "es",
    "ita": "it",
    "jpn": "ja",
    "nld": "nl",
    "pol": "pl",
    "por": "pt",
    "rus": "ru",
    "cmn": "zh",
    "zho": "zh",
    "fas": "fa",
    "hrv": "hr",
    "zul": "zu",
}

# The languages each model was trained on, by its authors' account (not measured here).
# USE-m v3: Yang et al. 2019, "Multilingual Universal Sentence Encoder for Semantic Retrieval".
# multilingual-e5-small: XLM-RoBERTa's 100 CC-100 languages (Conneau et al. 2020), which
# multilingual-e5 (Wang et al. 2024) was trained on.
TRAINED_ON = {
    "use-m": "ar de en es fr it ja ko nl pl pt ru th tr zh",
    "e5-small": (
        "af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha he hi hr hu "
        "hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl no om or pa pl ps pt ro "
        "ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi xh yi zh"
    ),
}


def language_pairs() -> list[tuple[str, str]]:
    """(xxx, eng) for every tatoeba.xxx-eng.xxx file in DATA_DIR."""
    found = sorted({p.name.split(".")[1] for p in DATA_DIR.glob("tatoeba.*-eng.*")})
    return [tuple(pair.split("-")) for pair in found]


def write_table(rows: list[dict], limit: int) -> None:
    encoders = {}
    for name, trained in TRAINED_ON.items():
        measured = {ISO_639_1[r["pair"].split("-")[0]]: round(r["mean"], 3) for r in rows if r["encoder"] == name}
        if measured or TABLE.exists():
            encoders[name] = {"measured": dict(sorted(measured.items())), "trained_on": trained.split()}
    if TABLE.exists():  # keep what this run did not measure (an encoder left out or not installed)
        for name, entry in json.loads(TABLE.read_text(encoding="utf-8"))["encoders"].items():
            if not encoders.get(name, {}).get("measured"):
                encoders[name] = entry
    TABLE.write_text(
        json.dumps(
            {
                "about": "Tatoeba nearest-neighbour translation retrieval against English (mean of both directions), "
                f"first {limit} pairs of each file in ../shared/data/tatoeba, written by bench/tatoeba.py --write; "
                "trained_on: the languages each model was trained on, by its authors' account.",
                "encoders": encoders,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {TABLE}")


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
    ap.add_argument(
        "--encoder-limit",
        action="append",
        default=[],
        metavar="NAME=N",
        help="a smaller limit for one encoder, e.g. use-m-numpy=300 (repeatable)",
    )
    ap.add_argument("--write", action="store_true", help=f"store the measured accuracies in {TABLE.name}")
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
        for xx, en in language_pairs():
            left, right = read_pair(xx, en, limit)
            t0 = time.perf_counter()
            vx = encoder.encode(left)
            ve = encoder.encode(right)
            encode_s = time.perf_counter() - t0
            x2e, e2x = nn_accuracy(vx @ ve.T)
            rows.append(
                {
                    "encoder": name,
                    "pair": f"{xx}-{en}",
                    "n": len(left),
                    "x2e": x2e,
                    "e2x": e2x,
                    "mean": (x2e + e2x) / 2,
                    "sent_s": (len(left) + len(right)) / encode_s,
                    "load_s": load_s,
                }
            )
            print(f"  {name} {xx}-{en}: done in {encode_s:.1f} s", file=sys.stderr)

    print(
        f"Tatoeba nearest-neighbour translation retrieval ({DATA_DIR}); "
        f"limit {args.limit} pairs" + "".join(f", {k}: {v}" for k, v in limits.items())
    )
    print()
    head = (
        f"{'encoder':<13}{'pair':<9}{'n':>6}{'xx->en':>9}{'en->xx':>9}{'mean':>8}"
        f"{'error%':>8}{'sent/s':>10}{'load s':>8}"
    )
    for name in dict.fromkeys(r["encoder"] for r in rows):
        print(head)
        print("-" * len(head))
        for r in (r for r in rows if r["encoder"] == name):
            print(
                f"{r['encoder']:<13}{r['pair']:<9}{r['n']:>6}{r['x2e']:>9.3f}{r['e2x']:>9.3f}{r['mean']:>8.3f}"
                f"{100 * (1 - r['mean']):>8.1f}{r['sent_s']:>10.1f}{r['load_s']:>8.2f}"
            )
        print()
    for note in notes:
        print(note)
    print()
    print(
        "accuracy: share of sentences whose nearest neighbour on the other side is their translation;"
        " error% = 100 x (1 - mean), as LASER reports it."
    )
    print("sent/s: sentences encoded per second (both sides), encoder loaded and warm; load s includes warm-up.")
    if args.write:
        write_table(rows, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
