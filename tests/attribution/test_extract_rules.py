"""Language-generic rules of the attribution engine that one expected attribution per
sentence (tests/attribution/data/multilingual.jsonl) cannot state: how many
attributions a sentence gives, which entity an unstated subject stands for, and the
lexicon's lookups (case folding, harakat, clitics). English is left out: there a
trained tagger may read the sentence before the rules.
"""

from __future__ import annotations

from crosswire.attribution import extract_attributions, lexicon
from crosswire.attribution.extract import UNSTATED
from crosswire.text.segment import segment


def _extract(text: str, lang: str):
    sentences, _ = segment(text, lang)
    return extract_attributions(text, sentences, lang)


def _readings(text: str, lang: str) -> list[tuple[str, str, str | None]]:
    return [(a.cue_kind, a.cue.text, a.source.text if a.source else None) for a in _extract(text, lang)]


def test_a_prep_closing_word_is_no_verb_cue_of_its_own():
    # 据 X 报道: "as X reported"; 报道 closes the source and belongs to the prep.
    assert _readings("据新华社报道，车队周二越过了边境。", "zh") == [("prep", "据", "新华社")]
    assert _readings("据路透社报道称，双方已达成协议。", "zh") == [("prep", "据", "路透社")]
    content = _extract("据新华社报道，车队周二越过了边境。", "zh")[0].content
    assert content is not None and content.text == "车队周二越过了边境"


def test_a_one_character_cue_inside_a_word_is_none():
    assert _readings("这些数据来自国家统计局。", "zh") == []
    assert _readings("该公司名称已经更改。", "zh") == []
    assert _readings("统计数据显示，经济增长放缓。", "zh") == [("verb", "显示", "统计数据")]


def test_an_unspaced_source_loses_time_words_dates_and_what_follows_a_preposition():
    assert _readings("克里姆林宫周一称，部队已经撤离。", "zh") == [("verb", "称", "克里姆林宫")]
    assert _readings("俄罗斯外交部3月5日表示，谈判将继续。", "zh") == [("verb", "表示", "俄罗斯外交部")]
    assert _readings("白宫也表示，谈判将继续。", "zh") == [("verb", "表示", "白宫")]
    # One-character `skip` words only leave the end of a source: 也门 (Yemen) keeps its 也.
    assert _readings("也门政府表示，停火仍然有效。", "zh") == [("verb", "表示", "也门政府")]


def test_an_unstated_subject_has_no_span_and_stands_for_the_last_person_cited():
    text = "El ministro Juan Pérez dijo que el presupuesto está listo. «No habrá recortes», añadió."
    first, second = _extract(text, "es")
    assert first.entity.kind == "person"
    assert second.cue.text == "añadió" and second.source is None
    assert second.entity == first.entity
    content = second.content
    assert content is not None and "No habrá recortes" in content.text


def test_an_unstated_subject_with_nobody_before_is_anonymous():
    for text, lang in (
        ("«No habrá recortes», añadió.", "es"),
        ("Dodał, że rozmowy będą kontynuowane.", "pl"),
        ('"Kesinti olmayacak" dedi.', "tr"),
        ("وأضاف أن المحادثات مستمرة.", "ar"),
    ):
        (attribution,) = _extract(text, lang)
        assert attribution.source is None, text
        assert attribution.entity.key == f"anonymous:{UNSTATED}", text


def test_a_subject_before_a_quotation_is_not_unstated():
    assert _readings('Bakan, "Geri adım atmayacağız" dedi.', "tr") == [("verb", "dedi", "Bakan")]


def test_a_language_without_pro_drop_gives_no_subjectless_verb():
    # Russian and Indonesian are not marked pro-drop: a verb with no subject gives nothing.
    assert _readings("«Цены скоро снизятся», — добавил.", "ru") == []


def test_an_arabic_verb_joined_by_wa_shares_the_subject_of_the_verb_before():
    readings = _readings("وقال الوزير إن القوات انسحبت وأضاف أن المحادثات مستمرة.", "ar")
    assert readings == [("verb", "وقال", "الوزير"), ("verb", "وأضاف", "الوزير")]


def test_an_apposition_that_is_a_list_of_names_gives_no_name_for_the_subject():
    # Two names and no description: "France, Germany," is not "X, the minister,".
    readings = _readings("Francia, Alemania, dijeron que el acuerdo es justo.", "es")
    assert ("verb", "dijeron", "Francia") not in readings and ("verb", "dijeron", "Alemania") not in readings


def test_turkish_case_folding_keeps_one_letter_per_letter():
    tr = lexicon("tr")
    assert tr.fold("İDDİA") == "iddia"
    assert tr.fold("IRAK") == "ırak"
    assert lexicon("en").fold("I") == "i"
    assert tr.cue_for("İDDİAYA GÖRE") is not None


def test_arabic_lookups_leave_off_harakat_and_clitics():
    ar = lexicon("ar")
    assert ar.has(frozenset(ar.anon), "مسؤولٌ")
    said = ar.cue_for("قال")
    assert said is not None and ar.cue_for("فقال") == said and ar.cue_for("قالَ") == said
    # Written harakat tell words apart: passive "يُزعم" is a hedge, active "يزعم" a verb.
    assert ar.cue_for("يُزعم").kind == "hedge" and ar.cue_for("يزعم").kind == "verb"
    # A clitic leaves a stem of two letters at least: "في" is no "ف" with "ي".
    assert list(ar.stems("في")) == []


def test_an_arabic_word_with_harakat_is_one_word():
    (attribution,) = _extract("قال مسؤولٌ رسمياً إن الاتفاق قريب.", "ar")
    assert attribution.source is not None and attribution.source.text == "مسؤولٌ رسمياً"
