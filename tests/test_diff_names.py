"""Where diff looks for the partner of a name that the other side does not spell (crosswire.diff)."""
from crosswire.diff import _ordered_anchor_pairs


def test_nearest_anchors_in_order_come_first():
    # A words 2 and 6 are anchored to B words 3 and 7: the name at A word 4 sits between them.
    assert _ordered_anchor_pairs({2: 3, 6: 7}, 4, 10, 12)[0] == (2, 6)


def test_an_anchor_matched_out_of_place_is_passed_over():
    # A word 3 ("groupe") matched B word 9 ("Group"), after the match of A word 5 ("Benckiser").
    pairs = _ordered_anchor_pairs({1: 1, 3: 9, 5: 8}, 4, 10, 12)
    assert (3, 5) not in pairs
    assert pairs[0] == (1, 5)


def test_no_place_when_every_nearby_anchor_crosses():
    assert _ordered_anchor_pairs({0: 9, 1: 8, 5: 2, 6: 1}, 3, 8, 10) == []
