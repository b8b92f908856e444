"""English attribution rules on short sentences written for these tests."""

from __future__ import annotations

import pytest

from crosswire.attribution import extract_attributions, tagger
from crosswire.settings import MODELS_ENV
from crosswire.text.segment import segment


def _attributions(text: str):
    sentences, _ = segment(text, "en")
    return extract_attributions(text, sentences, "en")


def _by_cue(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Cue text -> (source text, content text)."""
    return {
        a.cue.text: (a.source.text if a.source else None, a.content.text if a.content else None)
        for a in _attributions(text)
    }


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("The senator said the plan would fail.", "said", "senator"),
        ('"We will win this district," said Rep. Anna Cole.', "said", "Rep. Anna Cole"),
        ("Prices will rise next year, said Smith.", "said", "Smith"),
        ("According to the ministry, prices rose by two percent.", "According to", "ministry"),
        ("A spokesman said in a statement that the factory would close.", "said in a statement", "A spokesman"),
        ("Years after he claimed victory, the party lost the seat.", "claimed", "he"),
    ],
)
def test_cue_and_source(text: str, cue: str, source: str) -> None:
    found = _by_cue(text)
    assert cue in found, f"no cue {cue!r} in {found}"
    assert found[cue][0] == source


def test_a_source_the_model_doubts_is_left_out_even_where_the_rules_read_it() -> None:
    # The tagger's cue x source belief here is under MIN_RULE_CUE_MARGINAL: the price of
    # source precision >= 0.90 (issue 17). The cue stays, with no source.
    found = _by_cue("The idea was echoed by the mayor of Springfield.")
    assert found["was echoed"][0] is None


def test_auxiliaries_and_adverbs_belong_to_the_cue() -> None:
    assert _by_cue("Officials have also said the bridge is closed.") == {
        "have also said": ("Officials", "the bridge is closed"),
    }


def test_an_aside_between_commas_does_not_invert_the_verb(tmp_path, monkeypatch) -> None:
    # The rules' reading, without the trained tagger: whether the tagger then keeps this source
    # depends on how far it believes in it (tagger.without_doubtful_source), which moves with
    # every retraining (0.16 for "Mayor Lee" with session 11's model, under the bound).
    monkeypatch.setenv(MODELS_ENV, str(tmp_path))
    tagger.forget_loaded_models()
    try:
        found = _by_cue("Mayor Lee, who spoke at length during the event, said the budget was balanced.")
    finally:
        monkeypatch.undo()
        tagger.forget_loaded_models()
    assert found["said"] == ("Mayor Lee", "the budget was balanced")


def test_a_participle_shares_the_subject_of_the_verb_before_it() -> None:
    found = _by_cue("The governor criticized the plan, saying it was too costly.")
    assert found["saying"] == ("governor", "it was too costly")


def test_a_conjoined_cue_shares_the_subject() -> None:
    found = _by_cue("The minister acknowledged the error but noted that the figures were revised.")
    assert found["noted"] == ("minister", "that the figures were revised")


def test_a_passive_cue_without_agent_names_no_source() -> None:
    # Someone asked, but no one is cited: no source node (kind "other" is left out of provenance).
    (attribution,) = _attributions("The candidate was asked about the wall.")
    assert attribution.source is None and attribution.entity.kind == "other"


@pytest.mark.parametrize(
    "text",
    [
        "The market in Port Said reopened on Monday.",  # a capitalised cue word inside a sentence is a name
        "I said the vote was fair.",  # the speaker's own voice, as inside a quotation
        "The report on the states was released on Monday.",  # nouns, not reporting verbs
        "The board wants to say nothing more.",  # an infinitive is no report
    ],
)
def test_no_attribution(text: str) -> None:
    assert _by_cue(text) == {}


def test_a_title_case_headline_keeps_its_cue() -> None:
    assert _by_cue("Mayor Says City Budget Is Balanced")["Says"][0] == "Mayor"


def test_quotation_signed_with_a_dash() -> None:
    text = (
        "“He talks about us as if we did not matter. It is a disgrace.” ― Maria Lopez\n"
        "“Nobody I know will vote for him.”— Ana Ruiz.\n"
        "The vote — held on Sunday — was close."
    )
    bylines = {a.source.text: a for a in _attributions(text) if a.cue.text in "―—"}
    assert set(bylines) == {"Maria Lopez", "Ana Ruiz"}  # a dash inside a sentence signs nothing
    assert bylines["Maria Lopez"].content.text == "He talks about us as if we did not matter. It is a disgrace."
    assert bylines["Ana Ruiz"].entity.key == "person:ruiz"
