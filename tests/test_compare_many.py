"""crosswire.compare_many: the comparisons of compare, pair by pair, in input order."""

from __future__ import annotations

from pathlib import Path

from text.news_pairs import ENGLISH, STORIES

import crosswire

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds"


def test_compare_many_gives_compare_s_results_in_order() -> None:
    en = (SEEDS / "en_wagner_drones.txt").read_text(encoding="utf-8")
    id_ = (SEEDS / "id_wagner_drones.txt").read_text(encoding="utf-8")
    # Team-written pair: a number written two ways, a name spelled two ways.
    a = "The ministry said 1,200 troops left Odesa on Monday. Officials in Kyiv declined to comment."
    b = "Le ministère a déclaré que 1 200 soldats avaient quitté Odessa lundi. Kiev n'a pas commenté."
    # Persian is not one of USE-m's languages: `auto` compares that pair with e5-small,
    # the others with use-m, on the same threads.
    (persian,) = [story.text for story in STORIES if story.lang == "fa"]
    pairs = [(en, id_), (a, b), (ENGLISH.text, persian), (id_, en), (b, a), (persian, ENGLISH.text), (en, id_)]
    expected = [crosswire.compare(x, y).to_dict() for x, y in pairs]
    assert [c["encoder"] for c in expected] == ["use-m", "use-m", "e5-small", "use-m", "use-m", "e5-small", "use-m"]
    for workers in (1, 3):
        got = [c.to_dict() for c in crosswire.compare_many(iter(pairs), workers=workers)]
        assert got == expected
