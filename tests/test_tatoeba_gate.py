"""CI quality gate: compare on documents made of Tatoeba translations, in languages and scripts
no rewrite pair has (bench/tatoeba_compare.py builds and scores them; the floors are data, in
tests/quality_floors.json under "tatoeba_compare").

`python tests/test_tatoeba_gate.py` prints what the slice measures now.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import tatoeba_compare  # noqa: E402

SPEC = json.loads(Path(__file__).with_name("quality_floors.json").read_text(encoding="utf-8"))["tatoeba_compare"]


def measure() -> dict[str, float]:
    """The slice's figures (tatoeba_compare.rates over every language), and the lowest link
    recall of any one language."""
    if not tatoeba_compare.languages():
        pytest.fail(f"Tatoeba files not found in {tatoeba_compare.DATA_DIR} (they live outside the repo)")
    total: Counter[str] = Counter()
    lowest = math.inf
    for code in tatoeba_compare.languages():
        counts, _, _ = tatoeba_compare.score_language(code, SPEC["documents"], SPEC["sentences"])
        total.update(counts)
        lowest = min(lowest, tatoeba_compare.rates(counts)["link_recall"])
    return {**tatoeba_compare.rates(total), "lowest_language_link_recall": lowest}


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    return measure()


@pytest.mark.parametrize("metric", sorted(SPEC["floors"]))
def test_floor(measured, metric):
    floor = SPEC["floors"][metric]["floor"]
    assert measured[metric] >= floor, f"{metric} {measured[metric]:.3f} fell below its floor {floor}"


@pytest.mark.parametrize("metric", sorted(SPEC["ceilings"]))
def test_ceiling(measured, metric):
    ceiling = SPEC["ceilings"][metric]["ceiling"]
    assert measured[metric] <= ceiling, f"{metric} {measured[metric]:.3f} rose above its ceiling {ceiling}"


if __name__ == "__main__":
    for metric, figure in measure().items():
        print(f'"{metric}": measured {figure:.3f}')
