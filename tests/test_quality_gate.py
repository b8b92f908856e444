"""CI quality gate: comparison quality on fixed slices of the rewrites benchmark.

The slices and their floors are data, in tests/quality_floors.json: each slice names a
file under ../shared/data (read by relative path from the project root, never copied
into the repo) and which of its records to take; each floor stands beside the value the
slice measured when it was set. The gate runs crosswire.compare with the default
encoder on every record of a slice, scores them with bench/rewrites_scoring.py (the
same definitions as the external scorer) and checks the floors and ceilings.

`python tests/test_quality_gate.py [SLICE...]` prints what each slice measures now, in
the file's terms, to raise a floor with.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rewrites_scoring import MEASURES, Counts, score_pair, summary  # noqa: E402

FLOORS_FILE = Path(__file__).with_name("quality_floors.json")
SHARED_DATA = ROOT / ".." / "shared" / "data"
SLICES: dict[str, dict] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))["slices"]


def slice_records(spec: dict) -> list[dict]:
    """The records of a slice: the first N of its file, or the first N of each language pair."""
    path = SHARED_DATA / spec["data"]
    if not path.is_file():
        pytest.fail(f"benchmark data not found at {path} (it lives outside the repo, in ../shared/data)")
    select = spec["select"]
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    if "first" in select:
        chosen = records[: select["first"]]
        assert len(chosen) == select["first"], f"{path} has fewer than {select['first']} records"
        return chosen
    taken: dict[tuple[str, str], int] = {}
    chosen = []
    for record in records:
        pair = (record["a"]["lang"], record["b"]["lang"])
        if taken.get(pair, 0) < select["first_per_language_pair"]:
            taken[pair] = taken.get(pair, 0) + 1
            chosen.append(record)
    return chosen


def measure(spec: dict) -> dict:
    """bench/rewrites_scoring.summary over the slice's records."""
    import crosswire

    total = Counts()
    for record in slice_records(spec):
        result = crosswire.compare(record["a"]["text"], record["b"]["text"])
        total += score_pair(record, result.to_dict())
    return summary(total)


def value(scores: dict, metric: str) -> float:
    """A floor's or ceiling's metric: a measure's F1, macro_f1, or the false-change rate."""
    if metric in MEASURES:
        return scores[metric]["f1"]
    if metric == "false_change":
        return scores["false_change"]["rate"]
    return scores[metric]


def measured_line(scores: dict) -> str:
    f1s = ", ".join(f"{m}={scores[m]['f1']:.3f}" for m in MEASURES)
    fc = scores["false_change"]
    return (
        f"measured on {scores['pairs']} pairs: {f1s}, macro-F1={scores['macro_f1']:.3f}, "
        f"false-change={fc['rate']:.3f} ({fc['flagged']}/{fc['same']})"
    )


_scores: dict[str, dict] = {}


@pytest.fixture
def scores_of():
    def scores(name: str) -> dict:
        if name not in _scores:  # each slice is compared once per session
            _scores[name] = measure(SLICES[name])
        return _scores[name]

    return scores


@pytest.mark.parametrize(
    ("name", "metric"), [(name, metric) for name, spec in SLICES.items() for metric in spec["floors"]]
)
def test_floor(scores_of, name: str, metric: str) -> None:
    scores, floor = scores_of(name), SLICES[name]["floors"][metric]["floor"]
    assert value(scores, metric) >= floor, (
        f"{name}: {metric} {value(scores, metric):.3f} below floor {floor:.3f}; {measured_line(scores)}"
    )


@pytest.mark.parametrize(
    ("name", "metric"), [(name, metric) for name, spec in SLICES.items() for metric in spec.get("ceilings", {})]
)
def test_ceiling(scores_of, name: str, metric: str) -> None:
    scores, ceiling = scores_of(name), SLICES[name]["ceilings"][metric]["ceiling"]
    assert value(scores, metric) <= ceiling, (
        f"{name}: {metric} {value(scores, metric):.3f} above ceiling {ceiling:.3f}; {measured_line(scores)}"
    )


if __name__ == "__main__":
    for name in sys.argv[1:] or SLICES:
        spec, scores = SLICES[name], measure(SLICES[name])
        print(f"{name}: {measured_line(scores)}")
        for kind in ("floors", "ceilings"):
            for metric in spec.get(kind, {}):
                print(f'  "{metric}": measured {value(scores, metric):.3f}')
