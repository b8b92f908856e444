"""Score one crosswire comparison against the gold labels of a `rewrites` record.

The definitions follow the project's external scorer
(`../shared/tools/score_rewrites.py`) exactly, so both report the same numbers:

* Each sentence crosswire found is mapped to the gold segment it overlaps most
  (the first one on a tie), provided the overlap covers at least half of the
  shorter of the two; otherwise it maps to nothing.
* A link becomes every (gold a-segment, gold b-segment) pair across its mapped
  sentences. A kept sentence (gold `same`, `number` or `name`) counts as linked
  when the pair (s, s) appears; every pair joining two different ids is a false
  link. Kept sentences never linked to themselves are misses.
* `only_a` / `only_b`: the gold segments that crosswire's unmatched sentences map
  to, compared as sets with the gold `only_a` / `only_b` segments.
* A diagonal pair (s, s) from a link whose status is `changed` carries the kinds
  of that link's differences. A sentence is a predicted number (name) change when
  one of its kinds is `number` (`name`). A predicted number change on a gold
  `name` sentence, or a name change on a gold `number` sentence, is not held
  against precision (the sentence did change).
* False-change rate: the share of gold `same` sentences that carry any kind at all.

Counts add up over records; `summary` turns them into precision, recall and F1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping

MEASURES = ("link", "only_a", "only_b", "number", "name")
KEPT_KINDS = ("same", "number", "name")


@dataclass
class PRF:
    """True positives, false positives, false negatives of one measure."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def add(self, predicted: set, gold: set, excused: set = frozenset()) -> None:
        """Count a predicted set against a gold set; `excused` ids are not false positives."""
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold - excused)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    """Everything needed for the summary, summed over any number of pairs."""

    link: PRF = field(default_factory=PRF)
    only_a: PRF = field(default_factory=PRF)
    only_b: PRF = field(default_factory=PRF)
    number: PRF = field(default_factory=PRF)
    name: PRF = field(default_factory=PRF)
    same_total: int = 0  # gold `same` sentences
    same_flagged: int = 0  # ... of which crosswire marked as changed
    pairs: int = 0
    sentences: int = 0  # gold segments, both sides

    def __add__(self, other: "Counts") -> "Counts":
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def __radd__(self, other: Any) -> "Counts":
        # lets sum(list_of_counts) start from 0
        if other == 0:
            return self
        return NotImplemented


def map_to_segments(sentences: list[Mapping], segments: Mapping[str, list[int]]) -> dict[int, str]:
    """Tool sentence index -> gold segment id, by largest character overlap."""
    mapping: dict[int, str] = {}
    for index, sentence in enumerate(sentences):
        start, end = sentence["start"], sentence["end"]
        best_id, best_overlap = None, 0
        for seg_id, (seg_start, seg_end) in segments.items():
            overlap = min(end, seg_end) - max(start, seg_start)
            if overlap > best_overlap:
                best_id, best_overlap = seg_id, overlap
        if best_id is None:
            continue
        seg_start, seg_end = segments[best_id]
        if best_overlap >= 0.5 * min(end - start, seg_end - seg_start):
            mapping[index] = best_id
    return mapping


def gold_sets(record: Mapping) -> dict[str, set[str]]:
    """Gold segment ids by label kind (pairs share one id on both sides)."""
    by_kind: dict[str, set[str]] = {}
    for label in record["labels"]:
        seg_id = label.get("a_seg") or label.get("b_seg")
        by_kind.setdefault(label["kind"], set()).add(seg_id)
    return by_kind


def score_pair(record: Mapping, comparison: Mapping) -> Counts:
    """Counts for one rewrites record, given `Comparison.to_dict()` for its two texts."""
    gold = gold_sets(record)
    kept = set().union(*(gold.get(k, set()) for k in KEPT_KINDS))
    map_a = map_to_segments(comparison["a"]["sentences"], record["a"]["segments"])
    map_b = map_to_segments(comparison["b"]["sentences"], record["b"]["segments"])

    linked: set[tuple[str, str]] = set()
    change_kinds: dict[str, set[str]] = {}  # gold id -> kinds of differences on its diagonal link
    for link in comparison["links"]:
        ids_a = {map_a[i] for i in link["a"] if i in map_a}
        ids_b = {map_b[j] for j in link["b"] if j in map_b}
        kinds = set()
        if link.get("status") == "changed":
            kinds = {d["kind"] for d in link.get("differences", [])}
        for x in ids_a:
            for y in ids_b:
                linked.add((x, y))
                if kinds and x == y:
                    change_kinds.setdefault(x, set()).update(kinds)

    counts = Counts(pairs=1, sentences=len(record["a"]["segments"]) + len(record["b"]["segments"]))

    linked_kept = {s for s in kept if (s, s) in linked}
    counts.link.tp = len(linked_kept)
    counts.link.fn = len(kept) - len(linked_kept)
    counts.link.fp = sum(1 for x, y in linked if x != y)

    for key, mapping in (("only_a", map_a), ("only_b", map_b)):
        predicted = {mapping[i] for i in comparison.get(key, []) if i in mapping}
        getattr(counts, key).add(predicted, gold.get(key, set()))

    for kind, other in (("number", "name"), ("name", "number")):
        predicted = {s for s, kinds in change_kinds.items() if kind in kinds}
        getattr(counts, kind).add(predicted, gold.get(kind, set()), excused=gold.get(other, set()))

    same = gold.get("same", set())
    counts.same_total = len(same)
    counts.same_flagged = len(same & change_kinds.keys())
    return counts


def misses(record: Mapping, comparison: Mapping, kind: str) -> list[str]:
    """The gold segments of `kind` (number, name, only_a, only_b) that `score_pair` counts as
    missed (FN) or wrongly found (FP), each with both texts and what crosswire linked there:
    where to look when a figure is low."""
    gold = gold_sets(record)
    map_a = map_to_segments(comparison["a"]["sentences"], record["a"]["segments"])
    map_b = map_to_segments(comparison["b"]["sentences"], record["b"]["segments"])
    found: dict[str, list[str]] = {}  # segment id -> what the comparison says of it
    if kind in ("only_a", "only_b"):
        mapping = map_a if kind == "only_a" else map_b
        for i in comparison.get(kind, []):
            if i in mapping:
                found.setdefault(mapping[i], []).append(kind)
    links: dict[str, list[str]] = {}
    for link in comparison["links"]:
        ids_a = {map_a[i] for i in link["a"] if i in map_a}
        ids_b = {map_b[j] for j in link["b"] if j in map_b}
        changes = [
            f"{d['a']['text'] if d.get('a') else ''} -> {d['b']['text'] if d.get('b') else ''}"
            for d in link.get("differences", [])
            if d["kind"] == kind and link.get("status") == "changed"
        ]
        for x in ids_a & ids_b:
            links.setdefault(x, []).append(f"{link.get('status')} {link.get('score')}")
            if changes:
                found.setdefault(x, []).extend(changes)
    wanted = gold.get(kind, set())
    excused = gold.get({"number": "name", "name": "number"}.get(kind, ""), set())
    labels = {label.get("a_seg") or label.get("b_seg"): label for label in record["labels"]}
    out = []
    for verdict, ids in (("FN", wanted - found.keys()), ("FP", found.keys() - wanted - excused)):
        for seg in sorted(ids):
            label = labels.get(seg, {})
            gold_change = f" gold {label['was']!r} -> {label['now']!r}" if "was" in label else ""
            out.append(
                f"{verdict} {record['id']} segment {seg}{gold_change}; found {found.get(seg, [])}; links {links.get(seg)}"
            )
            for side in ("a", "b"):
                if seg in record[side]["segments"]:
                    start, end = record[side]["segments"][seg]
                    out.append(f"   {side.upper()}: {record[side]['text'][start:end][:300]}")
    return out


def summary(counts: Counts) -> dict:
    """Precision / recall / F1 per measure, false-change rate and macro-F1."""
    out: dict[str, Any] = {}
    for measure in MEASURES:
        prf = getattr(counts, measure)
        out[measure] = {
            "precision": prf.precision,
            "recall": prf.recall,
            "f1": prf.f1,
            "tp": prf.tp,
            "fp": prf.fp,
            "fn": prf.fn,
        }
    out["false_change"] = {
        "rate": counts.same_flagged / max(1, counts.same_total),
        "flagged": counts.same_flagged,
        "same": counts.same_total,
    }
    # As the shared scorer: a measure with neither gold items nor predictions (no name swaps
    # in a script without capitals) is left out of the macro-F1.
    scored = [out[m]["f1"] for m in MEASURES if out[m]["tp"] + out[m]["fp"] + out[m]["fn"]]
    out["macro_f1"] = sum(scored) / len(scored) if scored else 0.0
    out["pairs"] = counts.pairs
    out["sentences"] = counts.sentences
    return out
