"""crosswire.align on hand-made sentence vectors: which pairs the aligner links."""

import numpy as np

from crosswire.align import align
from crosswire.encode import USE_CALIBRATION


def _unit(*weights: float) -> np.ndarray:
    v = np.array(weights, dtype=np.float32)
    return v / np.linalg.norm(v)


def _align(vectors_a, vectors_b):
    a, b = np.stack(vectors_a), np.stack(vectors_b)
    bonus = np.zeros((len(a), len(b)), dtype=np.float32)
    no_joins = lambda pairs: [0.0 for _ in pairs]  # noqa: E731
    no_spelling = np.zeros((len(a), len(b)), dtype=np.float32)
    return [(g.a, g.b) for g in align(a, b, bonus, USE_CALIBRATION, no_joins, lambda i, j: False, no_spelling)]


# Three sentences that match well, and a loose pair (cosine 0.35, below link_min).
SURE = [_unit(1, 0, 0, 0, 0, 0), _unit(0, 1, 0, 0, 0, 0), _unit(0, 0, 1, 0, 0, 0)]
LOOSE_A, LOOSE_B = _unit(0, 0, 0, 1, 0, 0), _unit(0, 0, 0, 0.35, 0.94, 0)


def test_a_loose_pair_between_the_same_two_links_is_linked():
    a = [SURE[0], LOOSE_A, SURE[1], SURE[2]]
    b = [SURE[0], LOOSE_B, SURE[1], SURE[2]]
    assert ((1,), (1,)) in _align(a, b)


def test_a_loose_pair_in_different_places_is_not_linked():
    a = [SURE[0], LOOSE_A, SURE[1], SURE[2]]
    b = [SURE[0], SURE[1], SURE[2], LOOSE_B]
    links = _align(a, b)
    assert ((1,), (3,)) not in links
    assert [((0,), (0,)), ((2,), (1,)), ((3,), (2,))] == links


def test_a_gap_pair_needs_more_than_chance_similarity():
    unrelated_b = _unit(0, 0, 0, 0.2, 0, 0.98)
    links = _align([SURE[0], LOOSE_A, SURE[1]], [SURE[0], unrelated_b, SURE[1]])
    assert ((1,), (1,)) not in links
