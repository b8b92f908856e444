"""CI quality gate: comparison quality on a fixed slice of the rewrites benchmark.

Runs crosswire.compare with the default encoder on the first 24 pairs of
../shared/data/rewrites/dev.jsonl (read by relative path from the project root,
never copied into the repo), scores them with bench/rewrites_scoring.py (the same
definitions as the external scorer) and checks the pinned floors below.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rewrites_scoring import Counts, score_pair, summary  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "rewrites" / "dev.jsonl"
SLICE = 24  # the first 24 records, always the same ones

# Regression floors, set from measured values: each is 0.02 below what this slice
# scored with the default encoder when the floor was pinned (measured values in the
# trailing comments). They must be raised as quality improves, never lowered
# silently: lowering one needs a stated reason in the commit that does it.
F1_FLOORS = {
    "link": 0.975,  # measured 0.995
    "only_a": 0.919,  # measured 0.939
    "only_b": 0.961,  # measured 0.981
    "number": 0.980,  # measured 1.000
    "name": 0.878,  # measured 0.898
}
MACRO_F1_FLOOR = 0.943  # measured 0.963
# A ceiling: lower is better. Kept where it was pinned (measured 0.004, 1/247, then); now
# measured 0.008 (2/247).
FALSE_CHANGE_CEILING = 0.024


@pytest.fixture(scope="module")
def scores() -> dict:
    if not DATA.is_file():
        pytest.fail(f"benchmark data not found at {DATA} (it lives outside the repo, in ../shared/data)")
    import crosswire

    with DATA.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line, _ in zip(fh, range(SLICE))]
    assert len(records) == SLICE
    total = Counts()
    for record in records:
        result = crosswire.compare(record["a"]["text"], record["b"]["text"])
        total += score_pair(record, result.to_dict())
    return summary(total)


def _measured(s: dict) -> str:
    f1s = ", ".join(f"{m}={s[m]['f1']:.3f}" for m in F1_FLOORS)
    fc = s["false_change"]
    return (f"measured on first {SLICE} pairs: {f1s}, macro-F1={s['macro_f1']:.3f}, "
            f"false-change={fc['rate']:.3f} ({fc['flagged']}/{fc['same']})")


@pytest.mark.parametrize("measure", list(F1_FLOORS))
def test_f1_floor(scores: dict, measure: str) -> None:
    r = scores[measure]
    assert r["f1"] >= F1_FLOORS[measure], (
        f"{measure} F1 {r['f1']:.3f} (P={r['precision']:.3f} R={r['recall']:.3f}, "
        f"tp={r['tp']} fp={r['fp']} fn={r['fn']}) below floor {F1_FLOORS[measure]:.3f}; {_measured(scores)}"
    )


def test_macro_f1_floor(scores: dict) -> None:
    assert scores["macro_f1"] >= MACRO_F1_FLOOR, (
        f"macro-F1 {scores['macro_f1']:.3f} below floor {MACRO_F1_FLOOR:.3f}; {_measured(scores)}"
    )


def test_false_change_ceiling(scores: dict) -> None:
    fc = scores["false_change"]
    assert fc["rate"] <= FALSE_CHANGE_CEILING, (
        f"false-change rate {fc['rate']:.3f} ({fc['flagged']}/{fc['same']}) above ceiling "
        f"{FALSE_CHANGE_CEILING:.3f}; {_measured(scores)}"
    )
