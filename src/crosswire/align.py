"""Sentence alignment between two articles: 1:1, 1:n and n:1 links.

1. Score every pair: cosine of the sentence vectors plus a small bonus for
   lexical anchors that survive translation (numbers, names, quoted strings,
   URLs; see `anchors`).
2. Keep pairs that are clearly above each sentence's background similarity
   (a margin over the mean of its k best candidates, as in LASER's
   margin-based mining), then take them greedily, best first, each sentence
   once. Greedy choice, not a monotone path, so reordered passages still link;
   but a weak link (below `link_sure`) is dropped when it crosses
   MAX_CROSSINGS or more sure links (rewrites move passages, they do not
   scatter them), and a very weak one (below CONFLICT_BELOW) when each side
   names someone or something the other does not: both are signs of two
   sentences on the same topic, not one claim.
3. Grow links into 1:n / n:1 groups: an unlinked neighbour joins a link when
   the joined text is closer to the other side than the single sentence was
   (a sentence split or merged by the rewrite).
4. `merged_sentence_splits` finds sentences that segmentation left merged, such as
   a flattened headline run into the first sentence, by how their halves match the
   other side; compare splits them and aligns again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .encode import Calibration

ANCHOR_BONUS = 0.04  # per shared anchor, up to MAX_ANCHORS
MAX_ANCHORS = 3
MARGIN_K = 4
MIN_MARGIN = 0.05
MERGE_GAIN = 0.01
MAX_CROSSINGS = 2
CONFLICT_BELOW = 0.55  # the name-conflict test applies only to links this weak


@dataclass(frozen=True)
class Group:
    a: tuple[int, ...]
    b: tuple[int, ...]
    score: float


def anchor_bonus(anchors_a: Sequence[frozenset[str]], anchors_b: Sequence[frozenset[str]]) -> np.ndarray:
    bonus = np.zeros((len(anchors_a), len(anchors_b)), dtype=np.float32)
    for i, x in enumerate(anchors_a):
        if not x:
            continue
        for j, y in enumerate(anchors_b):
            shared = len(x & y)
            if shared:
                bonus[i, j] = ANCHOR_BONUS * min(MAX_ANCHORS, shared)
    return bonus


def _knn_mean(matrix: np.ndarray, axis: int) -> np.ndarray:
    k = min(MARGIN_K, matrix.shape[axis])
    top = -np.sort(-matrix, axis=axis).take(range(k), axis=axis)
    return top.mean(axis=axis)


def align(
    vectors_a: np.ndarray,
    vectors_b: np.ndarray,
    bonus: np.ndarray,
    calibration: Calibration,
    similarity_of_joined: Callable[[Sequence[tuple[tuple[int, ...], tuple[int, ...]]]], list[float]],
    names_conflict: Callable[[int, int], bool],
) -> list[Group]:
    """Link sentences; `similarity_of_joined([(a_idx, b_idx), ...])` embeds joined texts for 1:n checks,
    `names_conflict(i, j)` tells whether each sentence has a name the other lacks."""
    n, m = len(vectors_a), len(vectors_b)
    if not n or not m:
        return []
    cosine = vectors_a @ vectors_b.T
    score = cosine + bonus
    margin = score - (_knn_mean(score, 1)[:, None] + _knn_mean(score, 0)[None, :]) / 2
    best_for_a = score.argmax(axis=1)
    best_for_b = score.argmax(axis=0)
    candidates = []
    for i in range(n):
        for j in range(m):
            s = float(score[i, j])
            if s < calibration.link_min or (best_for_a[i] != j and best_for_b[j] != i):
                continue
            if s >= calibration.link_sure or margin[i, j] >= MIN_MARGIN:
                candidates.append((s, i, j))
    candidates.sort(reverse=True)
    taken_a: dict[int, int] = {}
    taken_b: dict[int, int] = {}
    groups: list[list] = []
    sure: list[tuple[int, int]] = []
    for s, i, j in candidates:
        if i in taken_a or j in taken_b:
            continue
        if s >= calibration.link_sure:
            sure.append((i, j))
        elif sum((i - x) * (j - y) < 0 for x, y in sure) >= MAX_CROSSINGS or (
            s < CONFLICT_BELOW and names_conflict(i, j)
        ):
            continue
        taken_a[i], taken_b[j] = len(groups), len(groups)
        groups.append([[i], [j], s])
    _grow(groups, taken_a, taken_b, cosine, calibration, similarity_of_joined, n, m)
    return sorted(
        (Group(tuple(sorted(a)), tuple(sorted(b)), float(s)) for a, b, s in groups),
        key=lambda g: (g.a[0], g.b[0]),
    )


def _grow(groups, taken_a, taken_b, cosine, calibration, similarity_of_joined, n, m) -> None:
    """Join unlinked neighbours into 1:n / n:1 groups where the joined text fits better."""

    def options(side: str, k: int):
        """(neighbour, group, A indices, B indices) for each group sentence k could join."""
        taken = taken_b if side == "b" else taken_a
        for neighbour in (k - 1, k + 1):
            if neighbour not in taken:
                continue
            g = groups[taken[neighbour]]
            a_idx, b_idx = g[0], g[1]
            if (len(a_idx) > 1 and side == "b") or (len(b_idx) > 1 and side == "a"):
                continue  # keep groups 1:n or n:1, never n:m
            own = max(cosine[i, k] for i in a_idx) if side == "b" else max(cosine[k, j] for j in b_idx)
            if own < calibration.merge_min:
                continue
            joined_a = tuple(a_idx) if side == "b" else tuple(sorted([*a_idx, k]))
            joined_b = tuple(sorted([*b_idx, k])) if side == "b" else tuple(b_idx)
            yield neighbour, g, joined_a, joined_b

    # One encoder call for every join the loop below may try; joins made on the way
    # change a few of them, which are then embedded on their own.
    similarity_of_joined([
        pair
        for side, taken, size in (("b", taken_b, m), ("a", taken_a, n))
        for k in range(size)
        if k not in taken
        for _, g, joined_a, joined_b in options(side, k)
        for pair in ((tuple(g[0]), tuple(g[1])), (joined_a, joined_b))
    ])
    for side in ("b", "a"):
        taken, size = (taken_b, m) if side == "b" else (taken_a, n)
        for k in range(size):
            if k in taken:
                continue
            for neighbour, g, joined_a, joined_b in options(side, k):
                before, after = similarity_of_joined([(tuple(g[0]), tuple(g[1])), (joined_a, joined_b)])
                if after >= before + MERGE_GAIN:
                    g[0], g[1], g[2] = list(joined_a), list(joined_b), after
                    taken[k] = taken[neighbour]
                    break


# A word with no closing punctuation, a space, then a capitalised word: where a
# flattened headline or subheading runs into the next sentence ("... post-pandémie
# Diese am Tag", "... de Arnaud Marion Partant du fait que").
_UNPUNCTUATED_BREAK = re.compile(r"(?<=[^\W_])[\"”»')\]]? (?=[\"“«„(]?[^\W\d_])")
MIN_PART_WORDS = 3
MAX_HEADLINE_WORDS = 30  # a cut on both sides at once only this far into the sentences


def _cuts(text: str, max_left_words: int | None = None) -> list[int]:
    """Offsets in `text` where an unpunctuated line may have ended, each part 3+ words long."""
    out = []
    for match in _UNPUNCTUATED_BREAK.finditer(text):
        cut = match.end()
        # The capital test first, without copying the rest of the text: most breaks are
        # before a lower-case word, and counting words on both sides of every break was
        # quadratic in the sentence length.
        first = cut
        while first < len(text) and text[first] in "\"“«„(":
            first += 1
        if not text[first : first + 1].isupper():
            continue
        left, right = len(text[:cut].split()), len(text[cut:].split())
        if MIN_PART_WORDS <= left and right >= MIN_PART_WORDS:
            if max_left_words is None or left <= max_left_words:
                out.append(cut)
    return out


@dataclass(frozen=True)
class _Proposal:
    """Ways to split sentence `a` (side A), `b` (side B) or both, and the text pairs that test
    them: first halves for each option, then second halves, then (for both) the wholes."""

    a: int | None
    b: int | None
    options: list[tuple[int | None, int | None]]
    pairs: list[tuple[str, str]]


def merged_sentence_splits(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    groups: Sequence[Group],
    calibration: Calibration,
    similarities: Callable[[Sequence[tuple[str, str]]], list[float]],
) -> tuple[dict[int, int], dict[int, int]]:
    """Where to split sentences that segmentation left merged: {sentence index: offset in its text} per side.

    A sentence is split where an unpunctuated line may have ended and the halves fit the
    other side: either two consecutive sentences on the other side, the one it is linked
    to and its unlinked neighbour (or both of a 1:2 link), each match one half; or the
    sentence it is linked to splits the same way, each half matching surely and no worse
    than the wholes (both versions ran the headline into the first sentence)."""
    group_a = {i: g for g in groups for i in g.a}
    group_b = {j: g for g in groups for j in g.b}
    proposals: list[_Proposal] = []
    for side, own, other, own_groups, other_groups in (
        ("a", texts_a, texts_b, group_a, group_b),
        ("b", texts_b, texts_a, group_b, group_a),
    ):
        for k, text in enumerate(own):
            cuts = _cuts(text)
            if not cuts or k not in own_groups:
                continue
            partners = own_groups[k].b if side == "a" else own_groups[k].a
            for first in sorted({p + d for p in partners for d in (-1, 0)}):
                second = first + 1
                if first < 0 or second >= len(other):
                    continue
                if any(x not in partners and x in other_groups for x in (first, second)):
                    continue
                pairs = [(text[:c].rstrip(), other[first]) for c in cuts] + [(text[c:], other[second]) for c in cuts]
                if side == "b":
                    pairs = [(y, x) for x, y in pairs]
                options = [(c, None) if side == "a" else (None, c) for c in cuts]
                proposals.append(_Proposal(k if side == "a" else None, k if side == "b" else None, options, pairs))
    for g in groups:
        if len(g.a) == 1 and len(g.b) == 1:
            i, j = g.a[0], g.b[0]
            combos = [
                (x, y) for x in _cuts(texts_a[i], MAX_HEADLINE_WORDS) for y in _cuts(texts_b[j], MAX_HEADLINE_WORDS)
            ]
            if combos:
                pairs = [(texts_a[i][:x].rstrip(), texts_b[j][:y].rstrip()) for x, y in combos]
                pairs += [(texts_a[i][x:], texts_b[j][y:]) for x, y in combos]
                proposals.append(_Proposal(i, j, combos, pairs + [(texts_a[i], texts_b[j])]))

    scores = similarities([pair for p in proposals for pair in p.pairs]) if proposals else []
    split_a: dict[int, int] = {}
    split_b: dict[int, int] = {}
    pos = 0
    for p in proposals:
        got, pos = scores[pos : pos + len(p.pairs)], pos + len(p.pairs)
        n = len(p.options)
        best = max(range(n), key=lambda x: min(got[x], got[n + x]))
        low = min(got[best], got[n + best])
        both = p.a is not None and p.b is not None
        if low < (calibration.link_sure if both else calibration.link_min) or (both and low < got[-1] - MERGE_GAIN):
            continue
        cut_a, cut_b = p.options[best]
        if cut_a is not None:
            split_a.setdefault(p.a, cut_a)
        if cut_b is not None:
            split_b.setdefault(p.b, cut_b)
    return split_a, split_b
