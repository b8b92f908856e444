"""Where diff looks for the partner of a name that the other side does not spell (crosswire.diff)."""
import pytest

from crosswire.diff import _ordered_anchor_pairs, _same_acronym
from crosswire.text.names import Word, name_key


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


def _word(text: str) -> Word:
    return Word(0, len(text), text, name_key(text), text[0].isupper(), False, False)


@pytest.mark.parametrize(("a", "b"), [("GPL", "LPG"), ("GPLc", "LPG"), ("OTAN", "NATO"), ("GNC", "CNG")])
def test_acronyms_of_the_same_letters_are_one_name(a, b):
    assert _same_acronym(_word(a), _word(b))


@pytest.mark.parametrize(("a", "b"), [("SNCF", "DB"), ("GPL", "Gel"), ("LDDS", "Stéphane")])
def test_other_pairs_are_not_the_same_acronym(a, b):
    assert not _same_acronym(_word(a), _word(b))
