"""Sentences left merged by segmentation (a flattened headline run into the first
sentence) are split where the other version's sentences match the halves (crosswire.align)."""

from crosswire.align import Group, _cuts, merged_sentence_splits
from crosswire.encode import USE_CALIBRATION

HEADLINE_RUN_IN = "Wall Street ends the week lower, weighed by tech Stocks fell on Friday as tensions rose."


def test_cuts_are_unpunctuated_breaks_before_a_capital():
    cuts = [HEADLINE_RUN_IN[:c].rstrip() for c in _cuts(HEADLINE_RUN_IN, "en")]
    assert "Wall Street ends the week lower, weighed by tech" in cuts
    assert all(len(c.split()) >= 3 for c in cuts)


def _similarities(table):
    return lambda pairs: [table.get(pair, 0.1) for pair in pairs]


def test_one_side_merged_is_split_against_two_sentences():
    a = [HEADLINE_RUN_IN]
    b = ["Wall Street beendet die Woche im Minus", "Die Kurse fielen am Freitag."]
    head, rest = "Wall Street ends the week lower, weighed by tech", "Stocks fell on Friday as tensions rose."
    table = {(head, b[0]): 0.8, (rest, b[1]): 0.85}
    split_a, split_b = merged_sentence_splits(
        a, b, ("en", "de"), [Group((0,), (0, 1), 0.6)], USE_CALIBRATION, _similarities(table)
    )
    assert split_b == {}
    assert HEADLINE_RUN_IN[: split_a[0]].rstrip() == head


def test_both_sides_merged_split_together():
    a = [HEADLINE_RUN_IN]
    b = ["Wall Street beendet die Woche im Minus Die Kurse fielen am Freitag."]
    head, rest = "Wall Street ends the week lower, weighed by tech", "Stocks fell on Friday as tensions rose."
    table = {
        (head, "Wall Street beendet die Woche im Minus"): 0.8,
        (rest, "Die Kurse fielen am Freitag."): 0.85,
        (a[0], b[0]): 0.8,
    }
    split_a, split_b = merged_sentence_splits(
        a, b, ("en", "de"), [Group((0,), (0,), 0.8)], USE_CALIBRATION, _similarities(table)
    )
    assert a[0][: split_a[0]].rstrip() == head
    assert b[0][: split_b[0]].rstrip() == "Wall Street beendet die Woche im Minus"


def test_no_split_when_halves_fit_worse():
    a = [HEADLINE_RUN_IN]
    b = ["Wall Street beendet die Woche im Minus Die Kurse fielen am Freitag."]
    table = {(a[0], b[0]): 0.9}
    assert merged_sentence_splits(
        a, b, ("en", "de"), [Group((0,), (0,), 0.9)], USE_CALIBRATION, _similarities(table)
    ) == ({}, {})


def test_unlinked_merged_sentence_is_split_against_two_unlinked_sentences_in_its_gap():
    a = ["Markets opened calmly.", HEADLINE_RUN_IN, "Oil prices were flat."]
    b = [
        "Die Märkte öffneten ruhig.",
        "Wall Street beendet die Woche im Minus",
        "Die Kurse fielen am Freitag.",
        "Der Ölpreis blieb stabil.",
    ]
    head, rest = "Wall Street ends the week lower, weighed by tech", "Stocks fell on Friday as tensions rose."
    table = {(head, b[1]): 0.7, (rest, b[2]): 0.75}
    groups = [Group((0,), (0,), 0.9), Group((2,), (3,), 0.9)]
    split_a, split_b = merged_sentence_splits(a, b, ("en", "de"), groups, USE_CALIBRATION, _similarities(table))
    assert split_b == {}
    assert HEADLINE_RUN_IN[: split_a[1]].rstrip() == head


def test_unlinked_sentence_is_not_split_against_sentences_outside_its_gap():
    a = ["Markets opened calmly.", HEADLINE_RUN_IN, "Oil prices were flat."]
    b = [
        "Wall Street beendet die Woche im Minus",
        "Die Kurse fielen am Freitag.",
        "Die Märkte öffneten ruhig.",
        "Der Ölpreis blieb stabil.",
    ]
    head, rest = "Wall Street ends the week lower, weighed by tech", "Stocks fell on Friday as tensions rose."
    table = {(head, b[0]): 0.7, (rest, b[1]): 0.75}
    groups = [Group((0,), (2,), 0.9), Group((2,), (3,), 0.9)]
    assert merged_sentence_splits(a, b, ("en", "de"), groups, USE_CALIBRATION, _similarities(table)) == ({}, {})


def _halves_matching_surely() -> dict[tuple[str, str], float]:
    """The halves of HEADLINE_RUN_IN against those of its German version: each matches its
    counterpart surely, the crossed ones do not."""
    head, rest = "Wall Street ends the week lower, weighed by tech", "Stocks fell on Friday as tensions rose."
    return {
        (head, "Wall Street beendet die Woche im Minus"): 0.75,
        (rest, "Die Kurse fielen am Freitag."): 0.8,
        (head, "Die Kurse fielen am Freitag."): 0.3,
        (rest, "Wall Street beendet die Woche im Minus"): 0.4,
    }


def test_both_sides_split_when_the_first_halves_match_surely_though_the_wholes_match_better():
    a = [HEADLINE_RUN_IN]
    b = ["Wall Street beendet die Woche im Minus Die Kurse fielen am Freitag."]
    head = "Wall Street ends the week lower, weighed by tech"
    table = {**_halves_matching_surely(), (a[0], b[0]): 0.85}
    split_a, split_b = merged_sentence_splits(
        a, b, ("en", "de"), [Group((0,), (0,), 0.85)], USE_CALIBRATION, _similarities(table)
    )
    assert a[0][: split_a[0]].rstrip() == head
    assert b[0][: split_b[0]].rstrip() == "Wall Street beendet die Woche im Minus"


def test_past_the_first_link_no_sentence_is_split_on_both_sides():
    """Halves of one sentence match their counterparts about as well as the wholes do, often
    better: past the headline a cut on both sides fell inside a sentence more often than not,
    before a name ("... said analyst | Christopher Low of FHN Financial.")."""
    first = ("Markets opened calmly.", "Die Märkte öffneten ruhig.")
    a = [first[0], "The rally was strong, said analyst Christopher Low of FHN Financial."]
    b = [first[1], "Die Rally war stark, kommentiert Christopher Low von FHN Financial."]
    head_a, rest_a = "The rally was strong, said analyst", "Christopher Low of FHN Financial."
    head_b, rest_b = "Die Rally war stark, kommentiert", "Christopher Low von FHN Financial."
    assert a[1][: _cuts(a[1], "en")[0]].rstrip() == head_a
    table = {
        first: 0.9,
        (head_a, head_b): 0.92,
        (rest_a, rest_b): 0.92,
        (head_a, rest_b): 0.2,
        (rest_a, head_b): 0.2,
        (a[1], b[1]): 0.9,
    }
    groups = [Group((0,), (0,), 0.9), Group((1,), (1,), 0.9)]
    assert merged_sentence_splits(a, b, ("en", "de"), groups, USE_CALIBRATION, _similarities(table)) == ({}, {})


def test_a_name_with_a_lower_case_prefix_goes_on_into_the_next_word():
    # Xhosa writes a noun-class prefix before a name: "iRonald Reagan" is one name.
    text = "Umfoti wafuduselwa kwiziko lonyango iRonald Reagan UCLA, apho wasweleka khona emva koko."
    assert _cuts(text, "xh") == ()


def test_a_headline_the_other_version_left_out_is_cut_off_the_first_sentence():
    """No sentence on the other side matches the headline: it is cut off where the rest matches
    the first sentence's partner better than the whole and than the headline do, and stays
    only in A (real encoder)."""
    import crosswire

    a = (
        "Storm closes every school in Oslo The city council closed all schools on Monday after heavy snow. "
        "Buses stopped running in the afternoon. Parents were told to keep children at home."
    )
    b = (
        "Der Stadtrat schloss am Montag nach starkem Schneefall alle Schulen. Am Nachmittag fuhren auch "
        "keine Busse mehr. Die Eltern sollten ihre Kinder zu Hause behalten."
    )
    comparison = crosswire.compare(a, b, lang_a="en", lang_b="de")
    assert comparison.a.sentences[0].text == "Storm closes every school in Oslo"
    assert comparison.only_a == (0,)
    assert [(link.a, link.b) for link in comparison.links] == [((1,), (0,)), ((2,), (1,)), ((3,), (2,))]
    # Where the partner translates the whole first sentence, nothing is cut.
    whole = crosswire.compare(a.replace("Storm closes every school in Oslo ", ""), b, lang_a="en", lang_b="de")
    assert len(whole.a.sentences) == 3


def test_a_sentence_left_out_is_cut_off_a_linked_sentence_long_for_its_partner():
    """A sentence the other version dropped, run into one it kept (no full stop between them):
    the linked sentence is long for its partner against the other links, and its kept part
    matches the partner better (by merge_gain) than the whole and than the dropped part."""
    merged = "Roads in the north will be cleared by Wednesday morning The mayor thanked the drivers."
    a = ["Schools closed on Monday.", "Buses stopped running.", merged, "Trains ran on time."]
    b = ["Die Schulen schlossen am Montag.", "Die Busse fuhren nicht.", "Der Bürgermeister dankte.", "Züge fuhren."]
    groups = [Group((k,), (k,), 0.8) for k in range(4)]
    kept, dropped = "The mayor thanked the drivers.", "Roads in the north will be cleared by Wednesday morning"
    table = {(merged, b[2]): 0.5, (kept, b[2]): 0.8, (dropped, b[2]): 0.2}
    split_a, split_b = merged_sentence_splits(a, b, ("en", "de"), groups, USE_CALIBRATION, _similarities(table))
    assert split_b == {}
    assert merged[split_a[2] :] == kept
    # Where the partner translates the whole sentence better, nothing is cut.
    table[(merged, b[2])] = 0.8
    assert merged_sentence_splits(a, b, ("en", "de"), groups, USE_CALIBRATION, _similarities(table)) == ({}, {})


def test_in_an_unspaced_script_a_space_between_letters_may_end_a_sentence():
    # Thai marks no sentence end; a space before a numeral does not end one.
    text = "ราคา 30 ยูโรต่อคืน ห้องพักมีอาหารเช้าด้วย"
    assert [text[:c].rstrip() for c in _cuts(text, "th")] == ["ราคา 30 ยูโรต่อคืน"]


def test_in_an_unspaced_script_a_headline_may_end_in_a_closing_quote():
    # WMT22 en->zh: the headline ran into the lead after its closing quote.
    text = "家人称赞伯明翰被捅死的 18 岁年轻人“精力充沛” 伯明翰一名少年被刺死，其家人称他“年轻、精力充沛”。"
    assert [text[:c].rstrip() for c in _cuts(text, "zh")] == ["家人称赞伯明翰被捅死的 18 岁年轻人“精力充沛”"]
    text = "東京の天気は「晴れ」 明日は雨が降るでしょう。"
    assert [text[:c].rstrip() for c in _cuts(text, "ja")] == ["東京の天気は「晴れ」"]
    text = "伯明翰一名少年被刺死【快讯】 其家人表示他很年轻。"
    assert [text[:c].rstrip() for c in _cuts(text, "zh")] == ["伯明翰一名少年被刺死【快讯】"]
    text = "伯明翰年轻人遇害（2024） 伯明翰一名少年被刺死。"
    assert [text[:c].rstrip() for c in _cuts(text, "zh")] == ["伯明翰年轻人遇害（2024）"]


def test_the_first_link_is_the_one_of_the_first_sentence_where_links_cross():
    """Links may cross: the headline rule goes to the link of A's first sentence, whatever B
    sentence it holds."""
    a = [HEADLINE_RUN_IN, "Oil prices were flat."]
    b = ["Der Ölpreis blieb stabil.", "Wall Street beendet die Woche im Minus Die Kurse fielen am Freitag."]
    head = "Wall Street ends the week lower, weighed by tech"
    table = {**_halves_matching_surely(), (a[0], b[1]): 0.85, (a[1], b[0]): 0.9}
    groups = [Group((0,), (1,), 0.85), Group((1,), (0,), 0.9)]
    split_a, split_b = merged_sentence_splits(a, b, ("en", "de"), groups, USE_CALIBRATION, _similarities(table))
    assert a[0][: split_a[0]].rstrip() == head
    assert b[1][: split_b[1]].rstrip() == "Wall Street beendet die Woche im Minus"


def test_past_the_headline_the_half_matching_the_partner_matches_it_as_well_as_the_whole():
    # Rewrites dev, fr->de: an apposition was cut off a sentence whose halves each matched
    # something ("Der Abgeordnete für die im Ausland lebenden Franzosen | Alexandre Holroyd
    # arbeitet seit sechs Monaten daran.").
    a = [
        "L'épargne doit devenir plus verte.",
        "Les Français de l'étranger sont nombreux.",
        "Le député Alexandre Holroyd y travaille depuis six mois.",
        "Fin.",
    ]
    head = "Der Abgeordnete für die im Ausland lebenden Franzosen"
    rest = "Alexandre Holroyd arbeitet seit sechs Monaten daran."
    b = ["Die Ersparnisse sollen grüner werden.", f"{head} {rest}", "Ende."]
    groups = [Group((0,), (0,), 0.9), Group((2,), (1,), 0.8), Group((3,), (2,), 0.9)]
    table = {(a[1], head): 0.6, (a[2], rest): 0.75, (a[2], b[1]): 0.8}
    assert merged_sentence_splits(a, b, ("fr", "de"), groups, USE_CALIBRATION, _similarities(table)) == ({}, {})
    # Where the rest matches the partner better than the whole did, the head was a sentence of its own.
    table[(a[2], rest)] = 0.85
    split_a, split_b = merged_sentence_splits(a, b, ("fr", "de"), groups, USE_CALIBRATION, _similarities(table))
    assert split_a == {}
    assert b[1][split_b[1] :] == rest


def test_the_first_half_matching_the_partner_matches_it_as_well_as_the_whole():
    # The same rule where the partner holds the first half and an unlinked neighbour the rest.
    a = ["Markets opened calmly.", "Le député Alexandre Holroyd y travaille.", "Les Français de l'étranger votent."]
    head = "Der Abgeordnete Alexandre Holroyd arbeitet seit Monaten"
    rest = "Die Franzosen im Ausland stimmen ab."
    b = ["Die Märkte öffneten ruhig.", f"{head} {rest}"]
    groups = [Group((0,), (0,), 0.9), Group((1,), (1,), 0.8)]
    table = {(a[1], head): 0.75, (a[2], rest): 0.6, (a[1], b[1]): 0.8}
    assert merged_sentence_splits(a, b, ("fr", "de"), groups, USE_CALIBRATION, _similarities(table)) == ({}, {})
    table[(a[1], head)] = 0.85
    split_a, split_b = merged_sentence_splits(a, b, ("fr", "de"), groups, USE_CALIBRATION, _similarities(table))
    assert b[1][: split_b[1]].rstrip() == head


def test_a_headline_run_into_its_lead_is_split_though_the_lead_alone_matches_less():
    # A headline sums up its lead: the lead alone may match the partner less well than both.
    head, rest = "Wall Street ends the week lower, weighed by tech", "Stocks fell on Friday as tensions rose."
    b = ["Wall Street beendet die Woche im Minus", "Die Kurse fielen am Freitag."]
    table = {(head, b[0]): 0.8, (rest, b[1]): 0.85, (HEADLINE_RUN_IN, b[1]): 0.9}
    split_a, split_b = merged_sentence_splits(
        [HEADLINE_RUN_IN], b, ("en", "de"), [Group((0,), (1,), 0.9)], USE_CALIBRATION, _similarities(table)
    )
    assert HEADLINE_RUN_IN[: split_a[0]].rstrip() == head
