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
    same_lengths = (np.ones(len(a)), np.ones(len(b)))
    return [
        (g.a, g.b) for g in align(a, b, bonus, USE_CALIBRATION, no_joins, lambda i, j: False, no_spelling, same_lengths)
    ]


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


def _joined_fit_better(pairs):
    """A join scores above the pair it grew from: only lengths can refuse it."""
    return [0.9 + 0.05 * (len(a) + len(b) - 2) for a, b in pairs]


def test_a_join_must_not_take_the_length_ratio_far_from_the_typical_one():
    # A's sentence 2 is close to B's sentence 1 (0.5, above merge_min) but its own line in
    # A only: B dropped it. Joining it to the link (1, 1) would double A's side.
    a = [_unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0.5, 0.87, 0), _unit(0, 0, 0, 1)]
    b = [_unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 0, 1)]
    a_, b_ = np.stack(a), np.stack(b)
    bonus, spelling = np.zeros((4, 3)), np.zeros((4, 3))

    def links(lengths_a, lengths_b):
        groups = align(
            a_,
            b_,
            bonus,
            USE_CALIBRATION,
            _joined_fit_better,
            lambda i, j: False,
            spelling,
            (np.array(lengths_a, dtype=float), np.array(lengths_b, dtype=float)),
        )
        return [(g.a, g.b) for g in groups]

    # Every link's sentences are alike in length: the join would double A's length.
    assert links([80, 100, 90, 70], [85, 95, 75]) == [((0,), (0,)), ((1,), (1,)), ((3,), (2,))]
    # B's sentence 1 is as long as A's 1 and 2 together: B merged them, the join stands.
    assert links([80, 100, 90, 70], [85, 190, 75]) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


# A gap left by a name swap: one story's topic (dimension 3) and a name (dimension 4) run
# through A; B's sentence 1 lost the name. A's sentences 0 and 3, linked elsewhere, keep it
# and come as close to B's sentence 1 as their own content allows, so the pair (1, 1), at
# cosine 0.43 (below link_min), has no margin over the whole comparison (-0.05).
NAMED = [_unit(1, 0, 0, 0.5, 1.5, 0), _unit(0, 0, 0.5, 0.5, 1.5, 0), _unit(0, 1, 0, 0.5, 1.5, 0)]
SWAPPED = _unit(0, 0, 0.5, 0.5, 0, 0)
OTHER_IN_GAP = _unit(0, 0, 0, 0.5, 0, 1)


def test_a_gap_pair_outscored_by_sentences_linked_elsewhere_stands_out_in_its_gap():
    a = [NAMED[0], NAMED[1], OTHER_IN_GAP, NAMED[2]]
    b = [NAMED[0], SWAPPED, NAMED[2]]
    assert _align(a, b) == [((0,), (0,)), ((1,), (1,)), ((3,), (2,))]


def test_a_gap_of_one_sentence_on_each_side_needs_a_margin_over_the_whole_comparison():
    # Nothing else in the gap to stand out from: a sentence dropped and one added would
    # sit there alike; two links measure no typical length ratio to vouch for the pair.
    links = _align([NAMED[0], NAMED[1], NAMED[2]], [NAMED[0], SWAPPED, NAMED[2]])
    assert ((1,), (1,)) not in links


def _align_with_lengths(vectors_a, vectors_b, lengths_a, lengths_b):
    a, b = np.stack(vectors_a), np.stack(vectors_b)
    none = np.zeros((len(a), len(b)), dtype=np.float32)
    lengths = (np.array(lengths_a, dtype=float), np.array(lengths_b, dtype=float))
    no_joins = lambda pairs: [0.0 for _ in pairs]  # noqa: E731
    return [(g.a, g.b) for g in align(a, b, none, USE_CALIBRATION, no_joins, lambda i, j: False, none, lengths)]


# Four sure links of one story (topic: dimension 3, a name: 4) around a lone gap pair whose
# name was swapped: cosine 0.43, below the sure links' scores against it, no margin.
STORY = [_unit(*w) for w in ((1, 0, 0, 0.5, 1.5, 0, 0), (0, 1, 0, 0.5, 1.5, 0, 0), (0, 0, 0, 0.5, 1.5, 1, 0))]
LAST = _unit(0, 0, 0, 0.5, 1.5, 0, 1)
LONE_A, LONE_B = _unit(0, 0, 0.5, 0.5, 1.5, 0, 0), _unit(0, 0, 0.5, 0.5, 0, 0, 0)
LENGTHS_A = [100, 40, 160, 70, 250]


def test_a_lone_gap_pair_of_the_typical_length_ratio_is_linked():
    # B's sentences run 5-15% longer than A's; so does the lone pair's.
    links = _align_with_lengths([*STORY, LONE_A, LAST], [*STORY, LONE_B, LAST], LENGTHS_A, [110, 46, 168, 77, 280])
    assert ((3,), (3,)) in links


def test_a_lone_gap_pair_of_another_length_ratio_is_not_linked():
    # B's lone sentence is three times as long as A's: nothing vouches for the pair.
    links = _align_with_lengths([*STORY, LONE_A, LAST], [*STORY, LONE_B, LAST], LENGTHS_A, [110, 46, 168, 200, 280])
    assert ((3,), (3,)) not in links


def test_in_articles_of_like_sized_sentences_a_length_vouches_for_nothing():
    # Every sentence pair has the links' length ratio: the lone pair's says nothing.
    lengths_b = [110, 110, 110, 110, 110]
    links = _align_with_lengths([*STORY, LONE_A, LAST], [*STORY, LONE_B, LAST], [100] * 5, lengths_b)
    assert ((3,), (3,)) not in links
