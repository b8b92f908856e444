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
    ("source", "exact"): 0.639,  # measured 0.659 (the trained tagger; an apposition's name is the source)
    ("source", "overlap"): 0.792,  # measured 0.812 (0.755 before dash bylines, stance words and quote state)
    ("cue", "exact"): 0.687,  # measured 0.707
    ("cue", "overlap"): 0.789,  # measured 0.806 (0.809 with the CRF's L1 weight at 1.0)
    ("content", "exact"): 0.478,  # measured 0.498
    ("content", "overlap"): 0.791,  # measured 0.811
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
