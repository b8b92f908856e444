"""Sentence alignment between two articles: 1:1, 1:n and n:1 links.

0. Calibrate: every threshold below is set for the two articles at hand from the
   null distribution of their sentence pairs' scores (`calibrate`), not from a
   cosine fixed per encoder: in a language an encoder knows poorly, all of its
   scores move, and the ranking holds.
1. Score every pair: cosine of the sentence vectors plus a small bonus for
   lexical anchors that survive translation (numbers, names, quoted strings,
   URLs; see `analyse.anchors`).
2. Keep pairs that are clearly above each sentence's background similarity
   (a margin over the mean of its k best candidates, as in LASER's
   margin-based mining), then take them greedily, best first, each sentence
   once. Greedy choice, not a monotone path, so reordered passages still link;
   but a weak link (below `link_sure`) is dropped when it crosses
   MAX_CROSSINGS or more sure links (rewrites move passages, they do not
   scatter them), and a very weak one (below `conflict_below`) when each side
   names someone or something the other does not: both are signs of two
   sentences on the same topic, not one claim.
3. Fill gaps: unlinked sentences left between the same two links on both sides
   are linked best pair first from a lower similarity (`gap_min`), as their
   place in the story vouches for them (see `_fill_gaps`).
4. Grow links into 1:n / n:1 groups: an unlinked neighbour joins a link when
   the joined text is closer to the other side than the single sentence was
   (a sentence split or merged by the rewrite).
5. Confidence: a link's differences are read only where its sentences stand out from
   the other pairs of the comparison, or of their own row and column, by their cosine
   alone or by cosine and spelling together (`surface_similarity`: related languages
   share word stems, any two share names and numbers), two independent witnesses
   combined as Stouffer's sum of their deviations over sqrt(2).
6. `merged_sentence_splits` finds sentences that segmentation left merged, such as
   a flattened headline run into the first sentence, by how their halves match the
   other side; compare splits them and aligns again.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Callable, Container, Iterator, Mapping, Sequence

import numpy as np

from anyascii import anyascii
from rapidfuzz import fuzz, process

from .encode import Calibration
from .robust import standout
from .text.names import is_common_word, starts_capitalised, stop_words
from .text.scripts import UNSPACED_LETTERS, writes_without_spaces

MAX_ANCHORS = 3  # shared anchors that add to a pair's score
MARGIN_K = 4
MAX_CROSSINGS = 2

# The thresholds of one comparison, in standard deviations of its null scores (see
# `calibrate`). Read off the rewrites dev set (fr->de, USE-m), where they restate the
# hand-set cosines that held there (link 0.45, sure 0.72, ...; the margin is lower: 0.3-0.4
# kept dev's only-A/only-B F1 at 0.90 where 0.5 gave 0.88, and 0.3 linked a seed sentence
# that is only in B at margin 0.043 of a 0.13 spread), and kept as they are for
# every encoder and language: translations stand 1-4 deviations above the pair's other
# scores in a language the encoder knows well or poorly alike, while their cosines move
# (USE-m 0.6-0.8, e5-small 0.83-0.96). Link F1 holds for z_link anywhere in 1-1.5 in every
# language pair of dev and dev_multi.
Z_LINK = 1.5
Z_SURE = 4.5
Z_GAP = 0.75
Z_MERGE = 0.75
Z_MARGIN = 0.4
Z_CONFLICT = 3.5
Z_ANCHOR = 0.35
Z_MERGE_GAIN = 0.1
# A link is confident (its differences are reported) when a null score as high would occur
# by chance in fewer than this share of comparisons of the same size. A link is the best
# match of one of its sentences, so a comparison tests one candidate per sentence, n + m
# in all: the threshold rises with that number (a Bonferroni bound).
CONFIDENCE_ALPHA = 0.1
# Fewer null scores than this (articles of one or two sentences) measure nothing: the
# encoder's own calibration holds.
MIN_NULL_SCORES = 4
# A link's own row and column measure its background (`_stands_out`) from this many other
# scores, four alternatives for each of its sentences (articles of five sentences or more).
# Fewer give a median absolute deviation that one score moves: three-sentence reports then
# linked "A320" with "France" confidently.
MIN_LOCAL_SCORES = 8


@dataclass(frozen=True)
class Group:
    a: tuple[int, ...]
    b: tuple[int, ...]
    score: float
    # At or above the comparison's confident_min: linked with confidence. Below it the
    # sentences are close in the story or in meaning but may say different things (a gap
    # filled by `_fill_gaps`, or a score chance could reach): no difference is read from it.
    confident: bool = True
    # Its closest pair of sentences is spelled alike beyond chance (`_Evidence.spelled_alike`):
    # a witness that owes nothing to the encoder.
    spelled_alike: bool = False


def shared_anchors(anchors_a: Sequence[frozenset[str]], anchors_b: Sequence[frozenset[str]]) -> np.ndarray:
    """Anchors each sentence pair shares, up to MAX_ANCHORS."""
    shared = np.zeros((len(anchors_a), len(anchors_b)), dtype=np.float32)
    for i, x in enumerate(anchors_a):
        if not x:
            continue
        for j, y in enumerate(anchors_b):
            shared[i, j] = min(MAX_ANCHORS, len(x & y))
    return shared


def surface_similarity(texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
    """How alike each pair of sentences is written, 0-1: the normalised Indel similarity of their
    letters transliterated to Latin (anyascii) and case-folded. It knows no language: cognates
    of related languages ("izilwane" / "izilwanyana"), names and numbers raise it."""
    latin_a = [anyascii(t).casefold() for t in texts_a]
    latin_b = [anyascii(t).casefold() for t in texts_b]
    similarity: np.ndarray = process.cdist(latin_a, latin_b, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    return similarity / 100


def _one_to_one(score: np.ndarray) -> np.ndarray:
    """A mask of the pairs taken best first, each sentence once."""
    n, m = score.shape
    taken = np.zeros(score.shape, dtype=bool)
    free_a, free_b = np.ones(n, dtype=bool), np.ones(m, dtype=bool)
    for flat in np.argsort(-score, axis=None):
        i, j = divmod(int(flat), m)
        if free_a[i] and free_b[j]:
            taken[i, j], free_a[i], free_b[j] = True, False, False
            if not free_a.any() or not free_b.any():
                break
    return taken


def _t_quantile(p: float, df: int) -> float:
    """Student's t quantile, from the normal one (Abramowitz & Stegun 26.7.5): 7% under the
    exact value at 3 degrees of freedom, 3% at 5, exact to 0.01 from 100."""
    z = NormalDist().inv_cdf(p)
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def calibrate(cosine: np.ndarray, fallback: Calibration) -> Calibration:
    """The thresholds of one comparison, from how its scores stand against each other.

    An encoder's cosines move with the language: e5-small scores unrelated Xhosa-Zulu
    sentences at 0.86, above the cosine at which it links French and German, and
    translations it knows poorly fall below it; the ranking stays right. The null
    distribution is measured on the spot: every sentence pair of the two articles except a
    best-first one-to-one pairing (which holds the translations, when there are any). Each
    threshold is its median plus a fixed number of its standard deviations (the Z_ values),
    and each margin that number of deviations. `fallback` (the encoder's calibration) holds
    where there are too few null scores, and gives the word scale (`word_same`).

    A link is read for differences only from `confident_min`: the score a null pair would
    reach by chance in fewer than CONFIDENCE_ALPHA of comparisons with as many sentences; below it, the
    link is shown as possibly related."""
    null = cosine[~_one_to_one(cosine)]
    if null.size < MIN_NULL_SCORES:
        return fallback
    centre, spread = float(np.median(null)), max(float(null.std(ddof=1)), 1e-3)

    def at(z: float) -> float:
        return centre + z * spread

    z_confident = _z_confident(cosine, null.size)
    return Calibration(
        link_min=at(Z_LINK),
        link_sure=at(Z_SURE),
        merge_min=at(Z_MERGE),
        word_same=fallback.word_same,
        gap_min=at(Z_GAP),
        margin_min=Z_MARGIN * spread,
        anchor_bonus=Z_ANCHOR * spread,
        merge_gain=Z_MERGE_GAIN * spread,
        conflict_below=at(Z_CONFLICT),
        confident_min=at(max(Z_LINK, z_confident)),
    )


def _knn_mean(matrix: np.ndarray, axis: int) -> np.ndarray:
    k = min(MARGIN_K, matrix.shape[axis])
    top = -np.sort(-matrix, axis=axis).take(range(k), axis=axis)
    mean: np.ndarray = top.mean(axis=axis)
    return mean


def align(
    vectors_a: np.ndarray,
    vectors_b: np.ndarray,
    anchors: np.ndarray,
    calibration: Calibration,
    similarity_of_joined: Callable[[Sequence[tuple[tuple[int, ...], tuple[int, ...]]]], list[float]],
    names_conflict: Callable[[int, int], bool],
    surface: np.ndarray,
    lengths: tuple[np.ndarray, np.ndarray],
) -> list[Group]:
    """Link sentences; `anchors` counts the anchors each pair shares (`shared_anchors`),
    `similarity_of_joined([(a_idx, b_idx), ...])` embeds joined texts for 1:n checks,
    `names_conflict(i, j)` tells whether each sentence has a name the other lacks,
    `surface` is each pair's `surface_similarity`, `lengths` each sentence's length
    in characters, side A then B."""
    n, m = len(vectors_a), len(vectors_b)
    if not n or not m:
        return []
    cosine = vectors_a @ vectors_b.T
    evidence = _Evidence(cosine, surface, calibration)
    score = cosine + calibration.anchor_bonus * anchors
    margin = score - (_knn_mean(score, 1)[:, None] + _knn_mean(score, 0)[None, :]) / 2
    # Only a sentence's best match can be a candidate: the pairs tested one by one are
    # those (n + m at most), not every pair of the matrix.
    best = np.zeros((n, m), dtype=bool)
    best[np.arange(n), score.argmax(axis=1)] = True
    best[score.argmax(axis=0), np.arange(m)] = True
    candidates = []
    for i, j in zip(*map(np.ndarray.tolist, np.nonzero(best))):
        s = float(score[i, j])
        if s < calibration.link_min:
            continue
        if s >= calibration.link_sure or margin[i, j] >= calibration.margin_min:
            candidates.append((s, i, j))
    candidates.sort(reverse=True)
    taken_a: dict[int, int] = {}
    taken_b: dict[int, int] = {}
    groups: list[list[Any]] = []  # [A indices, B indices, score]
    sure: list[tuple[int, int]] = []
    for s, i, j in candidates:
        if i in taken_a or j in taken_b:
            continue
        if s >= calibration.link_sure:
            sure.append((i, j))
        elif sum((i - x) * (j - y) < 0 for x, y in sure) >= MAX_CROSSINGS or (
            # Spelling is no witness against a name conflict: two sentences on one topic share
            # names and numbers (rewrites dev, fr->de: only-A/only-B F1 0.90/0.89 with it, 0.91/0.90 without).
            s < calibration.conflict_below
            and names_conflict(i, j)
            and not evidence.stands_out([i], [j], with_surface=False)
        ):
            continue
        taken_a[i], taken_b[j] = len(groups), len(groups)
        groups.append([[i], [j], s])
    _fill_gaps(score, margin, taken_a, taken_b, groups, calibration, _typical_length(groups, lengths))
    _grow(groups, taken_a, taken_b, cosine, calibration, similarity_of_joined, _length_offset(groups, lengths))
    return sorted(
        (
            Group(
                tuple(sorted(a)),
                tuple(sorted(b)),
                float(s),
                s >= calibration.confident_min or evidence.stands_out(a, b),
                evidence.spelled_alike(a, b),
            )
            for a, b, s in groups
        ),
        key=lambda g: (g.a[0], g.b[0]),
    )


class _Evidence:
    """What tells a link from chance, beyond its cosine against `confident_min`.

    Where the two articles share a topic, an encoder that compresses its cosines (e5-small)
    scores many sentence pairs nearly as high as the translations: the comparison's null then
    has a tail as high as the links, while each translation still stands out from the scores
    of its own sentences, its row and column (the idea of margin scoring and CSLS). And where
    the encoder knows a language poorly, its cosine is a weak witness that spelling can back:
    the z of the cosine and of `surface_similarity`, each against the same null pairs,
    combined as (z_cosine + z_surface) / sqrt(2) (Stouffer), must pass the bound the cosine
    alone must pass. Short articles have too few scores in a row and column (MIN_LOCAL_SCORES);
    there the comparison's null pairs are the background."""

    def __init__(self, cosine: np.ndarray, surface: np.ndarray, calibration: Calibration) -> None:
        self.cosine, self.surface, self.link_min = cosine, surface, calibration.link_min
        null = ~_one_to_one(cosine)
        self.measured = int(null.sum()) >= MIN_NULL_SCORES
        self.z_cosine = self.z_surface = np.zeros_like(cosine)
        if self.measured:
            self.z_cosine, self.z_surface = (_z(x, x[null]) for x in (cosine, surface))
            # How far a confident link stands out from the comparison's null pairs.
            self.z_bound = _z_confident(cosine, int(null.sum()))

    def _closest(self, a: Sequence[int], b: Sequence[int]) -> tuple[int, int]:
        """A link's closest pair of sentences: the pair a one-to-many link grew from."""
        return max(((x, y) for x in a for y in b), key=lambda xy: self.cosine[xy])

    def spelled_alike(self, a: Sequence[int], b: Sequence[int]) -> bool:
        """Whether a link's closest pair of sentences is spelled alike beyond chance: its
        surface similarity stands out from the comparison's null as far as `calibrate` asks
        a confident link's cosine to."""
        i, j = self._closest(a, b)
        return self.measured and self.cosine[i, j] >= self.link_min and float(self.z_surface[i, j]) >= self.z_bound

    def stands_out(self, a: Sequence[int], b: Sequence[int], with_surface: bool = True) -> bool:
        """Whether a link's closest pair of sentences stands out as far as `calibrate` asks a
        link to stand out from the comparison's null; with_surface=False: by its cosine alone."""
        i, j = self._closest(a, b)
        if self.cosine[i, j] < self.link_min:
            return False
        if with_surface and self.measured and _together(self.z_cosine[i, j], self.z_surface[i, j]) >= self.z_bound:
            return True
        others = [np.concatenate([np.delete(x[i], j), np.delete(x[:, j], i)]) for x in (self.cosine, self.surface)]
        if others[0].size < MIN_LOCAL_SCORES:
            return False
        z_cosine, z_surface = (
            standout(float(x[i, j]), row_and_column, min_spread=1e-3)
            for x, row_and_column in zip((self.cosine, self.surface), others)
        )
        if with_surface:
            z_cosine = max(z_cosine, _together(z_cosine, z_surface))
        return z_cosine >= _z_confident(self.cosine, others[0].size)


def _z(scores: np.ndarray, null: np.ndarray) -> np.ndarray:
    """Scores in standard deviations of `null` from its median, as `calibrate` measures them."""
    return (scores - float(np.median(null))) / max(float(null.std(ddof=1)), 1e-3)


def _together(z_cosine: float, z_surface: float) -> float:
    """Two independent witnesses' deviations as one (Stouffer's method)."""
    return float(z_cosine + z_surface) / 2**0.5


def _z_confident(cosine: np.ndarray, null_size: int) -> float:
    """How far a link must stand out from `null_size` null scores to be confident: a
    prediction bound for one more null score (Student's t with null_size-1 degrees of freedom:
    a handful of null scores say little about their tail), at CONFIDENCE_ALPHA over the
    comparison's n + m tests."""
    return _t_quantile(1 - CONFIDENCE_ALPHA / sum(cosine.shape), null_size - 1) * float((1 + 1 / null_size) ** 0.5)


def _fill_gaps(
    score: np.ndarray,
    margin: np.ndarray,
    taken_a: dict[int, int],
    taken_b: dict[int, int],
    groups: list[list[Any]],
    calibration: Calibration,
    typical_length: Callable[[int, int], bool] | None,
) -> None:
    """Link sentences left between two consecutive links on both sides, best pair first.

    Between the links (i, j) and (i', j'), with i < i' and j < j', the unlinked sentences
    of A and of B sit in the same place of the story: where a pair of them is the best
    match left there, a lower similarity is enough (short headlines, loose translations,
    a sentence whose name was swapped), still clear of each sentence's background
    (`margin_min`): that of the whole comparison, or that of the gap's other sentences
    (`_margin_in_gap`). A swapped name takes a shared anchor from the pair and leaves it to
    sentences linked elsewhere, which then score above the pair ("Pelosi said ..." /
    "Love je rekla ...", where B's headline names Pelosi); those are taken, and in its gap
    the pair still stands out. A pair alone in its gap, one sentence on each side, has no
    other sentences there to stand out from: its length may vouch for it instead
    (`_typical_length`). The pair then splits the gap in two."""
    n, m = score.shape
    links = sorted((g[0][0], g[1][0]) for g in groups)
    stack = [
        (start_a, end_a, start_b, end_b)
        for (start_a, start_b), (end_a, end_b) in zip([(-1, -1), *links], [*links, (n, m)])
        if start_b < end_b  # links out of order (a moved passage) leave no gap between them
    ]
    while stack:
        start_a, end_a, start_b, end_b = stack.pop()
        free_a = [i for i in range(start_a + 1, end_a) if i not in taken_a]
        free_b = [j for j in range(start_b + 1, end_b) if j not in taken_b]
        if not free_a or not free_b:
            continue
        sub = score[np.ix_(free_a, free_b)]
        x, y = divmod(int(sub.argmax()), len(free_b))
        i, j = free_a[x], free_b[y]
        if sub[x, y] < calibration.gap_min or (
            margin[i, j] < calibration.margin_min
            and _margin_in_gap(sub, x, y) < calibration.margin_min
            and not (sub.shape == (1, 1) and typical_length is not None and typical_length(i, j))
        ):
            continue
        taken_a[i], taken_b[j] = len(groups), len(groups)
        groups.append([[i], [j], float(sub[x, y])])
        stack += [(start_a, i, start_b, j), (i, end_a, j, end_b)]


def _margin_in_gap(sub: np.ndarray, x: int, y: int) -> float:
    """How far a gap's pair (x, y) stands above the other pairs of its row and column in the
    gap; nothing to stand above (one sentence on each side) is no margin: a sentence one
    version dropped and one the other added would sit there alike."""
    others = np.concatenate([np.delete(sub[x], y), np.delete(sub[:, y], x)])
    return float(sub[x, y] - others.max()) if others.size else -np.inf


def _grow(
    groups: list[list[Any]],
    taken_a: dict[int, int],
    taken_b: dict[int, int],
    cosine: np.ndarray,
    calibration: Calibration,
    similarity_of_joined: Callable[[Sequence[tuple[tuple[int, ...], tuple[int, ...]]]], list[float]],
    length_offset: Callable[[Sequence[int], Sequence[int]], float] | None,
) -> None:
    """Join unlinked neighbours into 1:n / n:1 groups where the joined text fits better, and
    where the join does not take the group's length ratio JOIN_LENGTH_DEVIATIONS further from
    the comparison's typical ratio (`length_offset`, when measured)."""
    n, m = cosine.shape

    def options(side: str, k: int) -> Iterator[tuple[int, list[Any], tuple[int, ...], tuple[int, ...]]]:
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
            if length_offset is not None and length_offset(joined_a, joined_b) > length_offset(a_idx, b_idx) + 1:
                continue
            yield neighbour, g, joined_a, joined_b

    # One encoder call for every join the loop below may try; joins made on the way
    # change a few of them, which are then embedded on their own.
    similarity_of_joined(
        [
            pair
            for side, taken, size in (("b", taken_b, m), ("a", taken_a, n))
            for k in range(size)
            if k not in taken
            for _, g, joined_a, joined_b in options(side, k)
            for pair in ((tuple(g[0]), tuple(g[1])), (joined_a, joined_b))
        ]
    )
    for side in ("b", "a"):
        taken, size = (taken_b, m) if side == "b" else (taken_a, n)
        for k in range(size):
            if k in taken:
                continue
            for neighbour, g, joined_a, joined_b in options(side, k):
                before, after = similarity_of_joined([(tuple(g[0]), tuple(g[1])), (joined_a, joined_b)])
                if after >= before + calibration.merge_gain:
                    g[0], g[1], g[2] = list(joined_a), list(joined_b), after
                    taken[k] = taken[neighbour]
                    break


# Gale and Church's length prior, measured on the comparison itself: the log length ratios
# of its one-to-one links give the typical ratio and its spread (median absolute deviation);
# a join may take a group at most this many spreads further from the typical ratio. A
# sentence the other version dropped, joined to its neighbour's link, doubles that side's
# length; the other half of a sentence the other version split brings it back. Rewrites
# (python bench/rewrites.py, both files): 1 or 1.5 spreads score within 0.001 of 2.
JOIN_LENGTH_DEVIATIONS = 2.0
MIN_LENGTH_LINKS = 3  # fewer one-to-one links tell no typical ratio: no prior


# A pair alone in a gap whose similarity stands out from nothing may be linked on its length:
# where its log length ratio is within one spread of the comparison's typical one, and at most
# this share of the comparison's sentence pairs come that close (articles of like-sized
# sentences, where a length tells nothing, get no such links). Rewrites (python
# bench/rewrites.py, both files): bands of 0.5-2 spreads and shares of 0.2-0.3 score alike.
LENGTH_WITNESS_SHARE = 0.2


def _typical_log_ratio(groups: list[list[Any]], lengths: tuple[np.ndarray, np.ndarray]) -> tuple[float, float] | None:
    """The median log length ratio of the comparison's one-to-one links and its spread (the
    median absolute deviation); None where too few links measure it."""
    ones = [(g[0][0], g[1][0]) for g in groups if len(g[0]) == 1 and len(g[1]) == 1]
    if len(ones) < MIN_LENGTH_LINKS:
        return None
    logs = np.log(_length_ratios(ones, *lengths))
    typical = float(np.median(logs))
    return typical, max(float(np.median(np.abs(logs - typical))), 1e-3)


def _typical_length(
    groups: list[list[Any]], lengths: tuple[np.ndarray, np.ndarray]
) -> Callable[[int, int], bool] | None:
    """Whether a pair's length ratio is typical of the comparison's links (within one spread),
    where few of its sentence pairs' are (LENGTH_WITNESS_SHARE); None where a length tells
    nothing."""
    measured = _typical_log_ratio(groups, lengths)
    if measured is None:
        return None
    typical, spread = measured
    length_a, length_b = (np.maximum(x, 1.0) for x in lengths)
    close = np.abs(np.log(length_a[:, None] / length_b[None, :]) - typical) <= spread
    if close.mean() > LENGTH_WITNESS_SHARE:
        return None
    return lambda i, j: bool(close[i, j])


def _length_offset(
    groups: list[list[Any]], lengths: tuple[np.ndarray, np.ndarray]
) -> Callable[[Sequence[int], Sequence[int]], float] | None:
    """How far a group's length ratio is from the comparison's typical one, in units of
    JOIN_LENGTH_DEVIATIONS spreads; None where too few links measure it."""
    measured = _typical_log_ratio(groups, lengths)
    if measured is None:
        return None
    typical, spread = measured[0], measured[1] * JOIN_LENGTH_DEVIATIONS
    length_a, length_b = lengths

    def offset(a: Sequence[int], b: Sequence[int]) -> float:
        ratio = max(1.0, float(sum(length_a[i] for i in a))) / max(1.0, float(sum(length_b[j] for j in b)))
        return abs(float(np.log(ratio)) - typical) / spread

    return offset


def _length_ratios(pairs: Sequence[tuple[int, int]], length_a: np.ndarray, length_b: np.ndarray) -> np.ndarray:
    """Each one-to-one pair's length ratio, A's length over B's, in characters."""
    return np.array([max(1.0, float(length_a[i])) / max(1.0, float(length_b[j])) for i, j in pairs])


# A word with no closing punctuation, a space, then a capitalised word: where a
# flattened headline or subheading runs into the next sentence ("... post-pandémie
# Diese am Tag", "... de Arnaud Marion Partant du fait que").
_UNPUNCTUATED_BREAK = re.compile(r"(?<=[^\W_])[\"”»')\]]? (?=[\"“«„(]?[^\W\d_])")
_QUOTES = "\"“”«»„'()[]"
MIN_PART_WORDS = 3
# Scripts written without spaces: a space between two of their letters ends a phrase or a
# sentence, as does one after a closing quote or bracket, or before an opening one (a
# headline run into the lead: "... 年轻人“精力充沛” 伯明翰一名少年被刺死"); each part at
# least this many characters (a short Thai sentence, "เขาเมา").
_UNSPACED_CLOSING = "\"”’»')\\]」』）》】〕〉＂］"
_UNSPACED_OPENING = '"“‘«(\\[「『（《【〔〈＂［'
_UNSPACED_SPACE = re.compile(
    f"(?:(?<=[{UNSPACED_LETTERS}])|(?<=[{UNSPACED_LETTERS}\\d][{_UNSPACED_CLOSING}])) +(?=[{_UNSPACED_OPENING}]?[{UNSPACED_LETTERS}])"
)
MIN_UNSPACED_PART_CHARS = 6
# Headlines and subheadings are short: a sentence is cut only this far in, which also keeps
# the number of halves to embed (most of a comparison's encoder time) small.
MAX_HEADLINE_WORDS = 30


def _common_or_function(word: str, lang: str) -> bool:
    return word.lower() in stop_words(lang) or is_common_word(word, lang)


# Asked for each sentence on its own side and again for each one-to-one link it is in.
@functools.lru_cache(maxsize=4096)
def _cuts(text: str, lang: str, max_left_words: int = MAX_HEADLINE_WORDS) -> tuple[int, ...]:
    """Offsets in `text` where an unpunctuated headline may end and a sentence begin: within
    the first `max_left_words` words, each part 3+ words long, and not where the words
    around the break read as one phrase. A line does not end in a function word ("... d'un
    juge de la | Cour suprême"), and two capitalised words are one name ("Jair | Bolsonaro")
    unless one is a common word of the language (German nouns, "Arnaud Marion | Partant du
    fait") or the second a function word ("rapport Holroyd | Alors que")."""
    stops = stop_words(lang)
    out = []
    for match in _UNPUNCTUATED_BREAK.finditer(text):
        cut = match.end()
        # The capital test first, without copying the rest of the text: most breaks are
        # before a lower-case word.
        first = cut
        while first < len(text) and text[first] in _QUOTES:
            first += 1
        if not text[first : first + 1].isupper():
            continue
        left = text[:cut].split()
        if len(left) > max_left_words:
            break
        right = text[cut:].split(maxsplit=MIN_PART_WORDS)
        if len(left) < MIN_PART_WORDS or len(right) < MIN_PART_WORDS:
            continue
        previous, following = left[-1].strip(_QUOTES), right[0].strip(_QUOTES)
        if previous.lower() in stops:
            continue
        # A name may carry a lower-case prefix ("iRonald | Reagan", Xhosa's noun classes).
        if (
            starts_capitalised(previous)
            and not is_common_word(previous, lang)
            and not _common_or_function(following, lang)
        ):
            continue
        out.append(cut)
    if writes_without_spaces(lang):
        return tuple(sorted({*out, *_unspaced_cuts(text, max_left_words)}))
    return tuple(out)


def _unspaced_cuts(text: str, max_left_words: int) -> tuple[int, ...]:
    """In a script written without spaces and without capitals (Thai, Lao, Khmer), a space
    between two of its letters, or at a closing or opening quote or bracket
    (`_UNSPACED_SPACE`), is where a sentence or clause may end: there the cut
    candidates of `_cuts`, with parts of MIN_UNSPACED_PART_CHARS letters or more (Thai
    lines of Tatoeba run together, "ราคา 30 ยูโรค่ะ/ครับ หางานเป็นไงบ้าง?", where sentence
    ends are unmarked)."""
    out = []
    for k, match in enumerate(_UNSPACED_SPACE.finditer(text)):
        if k >= max_left_words:
            break
        cut = match.end()
        if len(text[:cut].strip()) >= MIN_UNSPACED_PART_CHARS and len(text[cut:].strip()) >= MIN_UNSPACED_PART_CHARS:
            out.append(cut)
    return tuple(out)


def find_cuts(texts: Sequence[str], lang: str) -> None:
    """Find (and cache) where each sentence could be cut, before `merged_sentence_splits` asks:
    compare does it while the encoder runs the sentence call."""
    for text in texts:
        _cuts(text, lang)


@dataclass(frozen=True)
class _Option:
    """One way to split: the cut in A's sentence, B's or both, the text pairs that test its
    first halves, and those that test the rest."""

    cut_a: int | None
    cut_b: int | None
    head_pairs: list[tuple[str, str]]
    tail_pairs: list[tuple[str, str]]


@dataclass(frozen=True)
class _Proposal:
    """Ways to split sentence `a` (side A), `b` (side B) or both. One side: each option tests
    its first half, then its second half, against every candidate sentence of the other side.
    Both sides: the first halves; then the second halves, the crossed pairs (A's first half
    with B's second, A's second with B's first) and the wholes."""

    a: int | None
    b: int | None
    options: list[_Option]
    candidates: tuple[int, ...] = ()  # one side: the other side's sentences a half may match
    partners: frozenset[int] = frozenset()  # ... of which these are linked to the sentence now


def _one_side_proposals(
    side: str,
    own: Sequence[str],
    lang: str,
    other: Sequence[str],
    own_groups: Mapping[int, Group],
    other_groups: Mapping[int, Group],
) -> list[_Proposal]:
    """A sentence whose halves may each match a sentence of the other side. A linked sentence:
    its partner and a sentence next to it, where 'next to' skips sentences that nothing links
    (a headline followed by sentences the other version dropped). An unlinked one: two
    unlinked sentences in its gap, between the links before and after it."""

    def other_side(g: Group) -> tuple[int, ...]:
        return g.b if side == "a" else g.a

    out = []
    for k, text in enumerate(own):
        cuts = _cuts(text, lang)
        if not cuts:
            continue
        if k in own_groups:
            partners = frozenset(other_side(own_groups[k]))
            low, high = -1, len(other)
        else:
            partners = frozenset()
            low = max((max(other_side(g)) for i, g in own_groups.items() if i < k), default=-1)
            high = min((min(other_side(g)) for i, g in own_groups.items() if i > k), default=len(other))
        candidates = tuple(x for x in range(low + 1, high) if x in partners or x not in other_groups)
        if not _neighbour_pairs(candidates, partners, other_groups):
            continue

        def against(half: str) -> list[tuple[str, str]]:
            return [(half, other[x]) if side == "a" else (other[x], half) for x in candidates]

        options = [
            _Option(
                c if side == "a" else None, c if side == "b" else None, against(text[:c].rstrip()), against(text[c:])
            )
            for c in cuts
        ]
        out.append(_Proposal(k if side == "a" else None, k if side == "b" else None, options, candidates, partners))
    return out


def _both_sides_proposal(i: int, j: int, text_a: str, text_b: str, langs: tuple[str, str]) -> _Proposal | None:
    options = []
    for x in _cuts(text_a, langs[0]):
        for y in _cuts(text_b, langs[1]):
            head_a, tail_a, head_b, tail_b = text_a[:x].rstrip(), text_a[x:], text_b[:y].rstrip(), text_b[y:]
            tails = [(tail_a, tail_b), (head_a, tail_b), (tail_a, head_b), (text_a, text_b)]
            options.append(_Option(x, y, [(head_a, head_b)], tails))
    return _Proposal(i, j, options) if options else None


def _neighbour_pairs(
    candidates: tuple[int, ...], partners: frozenset[int], other_groups: Container[int]
) -> list[tuple[int, int]]:
    """(ix, iy) indices into `candidates` of sentences x < y that the two halves may match: one
    of them a partner (if there are partners), and only unlinked sentences between them."""
    out = []
    for ix, x in enumerate(candidates):
        for iy in range(ix + 1, len(candidates)):
            y = candidates[iy]
            if any(z in other_groups for z in range(x + 1, y)):
                break  # a linked sentence between them: the halves are not neighbours
            if not partners or x in partners or y in partners:
                out.append((ix, iy))
    return out


def _best_one_side(
    p: _Proposal,
    heads: list[list[float]],
    tails: list[list[float] | None],
    other_groups: Container[int],
    whole: Mapping[int, float],
    merge_gain: float,
) -> tuple[float, int] | None:
    """(score, option) of the best way to split: the first half matches sentence x, the second
    a sentence y after it (`_neighbour_pairs`), and the half that matches the sentence's
    partner (`whole`: the whole sentence's score with each partner) matches it no worse than
    the whole did: the other half was not part of what the partner says. Halves of one
    sentence match well too, and an apposition was cut off ("Der Abgeordnete für die im
    Ausland lebenden Franzosen | Alexandre Holroyd arbeitet ...")."""
    best = None
    pairs = _neighbour_pairs(p.candidates, p.partners, other_groups)
    for o, (head, tail) in enumerate(zip(heads, tails)):
        if tail is None:
            continue
        for ix, iy in pairs:
            x, y = p.candidates[ix], p.candidates[iy]
            if (x in whole and head[ix] < whole[x] - merge_gain) or (y in whole and tail[iy] < whole[y] - merge_gain):
                continue
            score = min(head[ix], tail[iy])
            if best is None or score > best[0]:
                best = (score, o)
    return best


def _best_both_sides(heads: list[list[float]], tails: list[list[float] | None], calibration: Calibration) -> int | None:
    """The option of the comparison's first link where each half matches its counterpart
    better than the crossed halves do, and either the first halves match surely or the second
    halves match no worse than the wholes: both versions ran the headline into the lead."""
    best, best_gain = None, 0.0
    for o, (head, tail) in enumerate(zip(heads, tails)):
        if tail is None:
            continue
        (first,), (second, cross_ab, cross_ba, whole) = head, tail
        straight, crossed = min(first, second), max(cross_ab, cross_ba)
        if straight < max(calibration.link_min, crossed + calibration.margin_min):
            continue
        if straight < calibration.link_sure and second < whole - calibration.merge_gain:
            continue
        if best is None or straight - crossed > best_gain:
            best, best_gain = o, straight - crossed
    return best


def merged_sentence_splits(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    langs: tuple[str, str],
    groups: Sequence[Group],
    calibration: Calibration,
    similarities: Callable[[Sequence[tuple[str, str]]], list[float]],
) -> tuple[dict[int, int], dict[int, int]]:
    """Where to split sentences that segmentation left merged: {sentence index: offset in its text} per side.

    A sentence is split where an unpunctuated line may have ended, within its first
    MAX_HEADLINE_WORDS words (a headline or subheading runs into the sentence after it), and
    the halves fit the other side: either two sentences there, the one it is linked to and a
    neighbour that nothing else links, each match one half; or the sentence it is linked to
    splits the same way (both versions ran the headline into the first sentence; see
    `_best_both_sides`).

    First halves are embedded first: second halves are nearly whole sentences, and embedding
    them is most of the cost, so only options whose first half matches something are tested
    further."""
    group_a = {i: g for g in groups for i in g.a}
    group_b = {j: g for g in groups for j in g.b}
    proposals = _one_side_proposals("a", texts_a, langs[0], texts_b, group_a, group_b)
    proposals += _one_side_proposals("b", texts_b, langs[1], texts_a, group_b, group_a)
    # Both versions ran the headline into the lead: the comparison's first link (that of A's
    # first linked sentence, the headline's or, where A's headline is left out, the lead's) may
    # be split on both sides (with the headlines' link only, dev's numbers fell 0.978 -> 0.933).
    # Further in, where a subheading would have run into its paragraph, such splits fell
    # inside a sentence more often than not, cutting it before a name on both sides ("...
    # joined the Armed | Forces of Ukraine", "... commente | Christopher Low"): python
    # bench/rewrites.py, dev 0.934 and dev_multi 0.869 -> 0.871 (en->hr name F1 0.787 ->
    # 0.806) without them.
    first = min(groups, key=lambda g: (g.a[0], g.b[0]), default=None)
    if first is not None and len(first.a) == 1 and len(first.b) == 1:
        proposal = _both_sides_proposal(first.a[0], first.b[0], texts_a[first.a[0]], texts_b[first.b[0]], langs)
        proposals += [proposal] if proposal is not None else []
    options = [o for p in proposals for o in p.options]
    heads = _chunks(
        similarities([pair for o in options for pair in o.head_pairs]), [len(o.head_pairs) for o in options]
    )
    # A one-side split's half that matches the sentence's partner must match it no worse than
    # the whole sentence does (`_best_one_side`); not a headline's (an article's first
    # sentence): a headline sums up the lead it ran into, so the lead alone may match the
    # partner a little less well than both do ("Scholz, Polish prime minister discuss
    # migration, energy, EU | Germany's new chancellor ...").
    partnered: list[tuple[int, int, tuple[str, str]]] = []  # (proposal, partner, texts)
    for k, p in enumerate(proposals):
        # Pairs are (A's text, B's), as everywhere here; an article's first sentence is exempt.
        if p.a is not None and p.b is None and p.a != 0:
            partnered += [(k, x, (texts_a[p.a], texts_b[x])) for x in sorted(p.partners)]
        elif p.b is not None and p.a is None and p.b != 0:
            partnered += [(k, x, (texts_a[x], texts_b[p.b])) for x in sorted(p.partners)]
    partner_wholes: dict[int, dict[int, float]] = {k: {} for k in range(len(proposals))}
    for (k, x, _), score in zip(partnered, similarities([pair for _, _, pair in partnered])):
        partner_wholes[k][x] = score
    promising = [max(h) >= calibration.link_min for h in heads]
    tested = [o for o, keep in zip(options, promising) if keep]
    tail_scores = iter(
        _chunks(similarities([pair for o in tested for pair in o.tail_pairs]), [len(o.tail_pairs) for o in tested])
    )
    tails = [next(tail_scores) if keep else None for keep in promising]

    split_a: dict[int, int] = {}
    split_b: dict[int, int] = {}
    pos = 0
    for k, p in enumerate(proposals):
        n = len(p.options)
        p_heads, p_tails, pos = heads[pos : pos + n], tails[pos : pos + n], pos + n
        if p.a is not None and p.b is not None:
            best = _best_both_sides(p_heads, p_tails, calibration)
        else:
            found = _best_one_side(
                p, p_heads, p_tails, group_b if p.a is not None else group_a, partner_wholes[k], calibration.merge_gain
            )
            best = found[1] if found is not None and found[0] >= calibration.link_min else None
        if best is None:
            continue
        option = p.options[best]
        if option.cut_a is not None and p.a is not None:  # an option cuts only its proposal's sentences
            split_a.setdefault(p.a, option.cut_a)
        if option.cut_b is not None and p.b is not None:
            split_b.setdefault(p.b, option.cut_b)
    # A headline run into the first sentence that the other version left out (no sentence there
    # for it to match): rewrites dev, fr->de, only-A F1 0.905 -> 0.915, only-B 0.899 -> 0.905.
    for own, other, lang, own_groups, split, side in (
        (texts_a, texts_b, langs[0], group_a, split_a, "a"),
        (texts_b, texts_a, langs[1], group_b, split_b, "b"),
    ):
        first = own_groups.get(0)
        if first is None or 0 in split or len(first.a) != 1 or len(first.b) != 1:
            continue
        partner = other[first.b[0] if side == "a" else first.a[0]]
        cut = _unmatched_part(own[0], partner, lang, side, calibration, similarities, headline=True)
        if cut is not None:
            split[0] = cut
    # A sentence the other version left out, run into one it kept: the linked sentence is
    # long for its partner, against the comparison's other one-to-one links.
    one_to_one = [g for g in groups if len(g.a) == 1 and len(g.b) == 1]
    if one_to_one:
        length_a, length_b = (np.array([len(t) for t in texts], dtype=float) for texts in (texts_a, texts_b))
        ratios = _length_ratios([(g.a[0], g.b[0]) for g in one_to_one], length_a, length_b)
        ratio = dict(zip(one_to_one, ratios.tolist()))
        typical = float(np.median(ratios))
        for own, other, lang, split, side in (
            (texts_a, texts_b, langs[0], split_a, "a"),
            (texts_b, texts_a, langs[1], split_b, "b"),
        ):
            for g in one_to_one:
                k, linked = (g.a[0], g.b[0]) if side == "a" else (g.b[0], g.a[0])
                longer = ratio[g] / typical if side == "a" else typical / ratio[g]
                if k in split or longer < LONG_FOR_ITS_PARTNER:
                    continue
                cut = _unmatched_part(own[k], other[linked], lang, side, calibration, similarities)
                if cut is not None:
                    split[k] = cut
    return split_a, split_b


# A linked sentence this many times as long as its partner, relative to the comparison's other
# links, may hold a second sentence that the partner's version left out.
LONG_FOR_ITS_PARTNER = 1.5


def _unmatched_part(
    text: str,
    partner: str,
    lang: str,
    side: str,
    calibration: Calibration,
    similarities: Callable[[Sequence[tuple[str, str]]], list[float]],
    headline: bool = False,
) -> int | None:
    """The cut of a sentence one of whose parts matches its partner better (by `merge_gain`)
    than the whole and than the other part do: the other part is a sentence the other
    version left out. With `headline` (an article's first sentence) only the rest may be the
    part kept: a headline sums up the sentence after it, so it may match the partner too,
    less well than the sentence it heads; a cut inside one sentence that the partner
    translates whole lowers the parts' match instead."""
    cuts = _cuts(text, lang)
    if not cuts:
        return None

    def pair(x: str) -> tuple[str, str]:
        return (x, partner) if side == "a" else (partner, x)

    scores = similarities([pair(text)] + [pair(text[c:]) for c in cuts] + [pair(text[:c].rstrip()) for c in cuts])
    whole, tails, heads = scores[0], scores[1 : 1 + len(cuts)], scores[1 + len(cuts) :]
    # (the kept part's score, the other part's, the cut)
    options = [(tails[k], heads[k], k) for k in range(len(cuts))]
    if not headline:
        options += [(heads[k], tails[k], k) for k in range(len(cuts))]
    kept, left_out, k = max(options)
    if kept >= whole + calibration.merge_gain and left_out < kept:
        return cuts[k]
    return None


def _chunks(values: list[float], sizes: list[int]) -> list[list[float]]:
    out, pos = [], 0
    for size in sizes:
        out.append(values[pos : pos + size])
        pos += size
    return out
