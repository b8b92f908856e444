"""CI quality gate: English attribution extraction on a fixed slice of PolNeAR dev.

Scores crosswire.attribution on the first 20 documents (sorted by name) of
../shared/data/polnear/dev (read by relative path from the project root, never
copied into the repo) with bench/polnear.py, and checks the pinned floors below.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from polnear import Scores, load_split, score  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "polnear" / "dev"
SLICE = 20

# Regression floors: each is 0.02 below what this slice scored when it was pinned
# (measured F1 in the trailing comments). Raise them as quality improves; lowering
# one needs a stated reason in the commit that does it.
F1_FLOORS = {
    ("source", "exact"): 0.637,  # measured 0.657 (the trained tagger; an apposition's name is the source)
    ("source", "overlap"): 0.789,  # measured 0.809 (0.755 before dash bylines, stance words and quote state)
    ("cue", "exact"): 0.657,  # measured 0.677
    ("cue", "overlap"): 0.789,  # measured 0.809
    ("content", "exact"): 0.466,  # measured 0.486
    ("content", "overlap"): 0.782,  # measured 0.802
}


@pytest.fixture(scope="module")
def scores() -> Scores:
    if not (DATA / "attributions").is_dir():
        pytest.fail(f"PolNeAR data not found at {DATA} (it lives outside the repo, in ../shared/data)")
    documents = load_split(DATA, SLICE)
    assert len(documents) == SLICE
    return score(documents)


@pytest.mark.parametrize(("role", "mode"), list(F1_FLOORS), ids=lambda x: str(x))
def test_f1_floor(scores: Scores, role: str, mode: str) -> None:
    counts = scores.counts[(role, mode)]
    assert counts.f1 >= F1_FLOORS[(role, mode)], (
        f"{role} {mode} F1 {counts.f1:.3f} (P={counts.precision:.3f} R={counts.recall:.3f}, tp={counts.tp} "
        f"fp={counts.fp} fn={counts.fn}) below floor {F1_FLOORS[(role, mode)]:.3f} on the first {SLICE} dev documents"
    )
