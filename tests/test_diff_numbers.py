"""Numbers that one version writes otherwise and that are no change (crosswire.diff): a
measurement converted into other units, a time of day with another separator. Decided on the
sentences themselves, with the packaged USE-m encoder; the sentences were written for these tests."""

import pytest

from crosswire.analyse import prepare, sentence_facts
from crosswire.diff import link_differences
from crosswire.encode import get_encoder
from crosswire.model import Article


def _number_changes(text_a: str, lang_a: str, text_b: str, lang_b: str) -> list[tuple[str, str]]:
    facts_a = sentence_facts(prepare(Article(text_a, lang_a)))
    facts_b = sentence_facts(prepare(Article(text_b, lang_b)))
    encoder = get_encoder("use-m")
    (found,) = link_differences([(facts_a, facts_b)], text_a, text_b, encoder.encode, encoder.calibration.word_same)
    return [(d.a.text, d.b.text) for d in found if d.kind == "number"]


EARTHQUAKE = "The earthquake triggered waves as high as 20 feet, the agency said."


def test_feet_converted_to_metres_is_no_number_change():
    # WMT22 en->hr: "20 feet" / "6 metara" was reported as a changed number.
    croatian = "Potres je uzrokovao valove visine do 6 metara, izjavila je agencija."
    assert _number_changes(EARTHQUAKE, "en", croatian, "hr") == []


def test_a_converted_measurement_that_disagrees_is_a_number_change():
    croatian = "Potres je uzrokovao valove visine do 9 metara, izjavila je agencija."
    assert _number_changes(EARTHQUAKE, "en", croatian, "hr") == [("20", "9")]


@pytest.mark.parametrize(("croatian_time", "changes"), [("10.15", []), ("11.15", [("10", "11.15")])])
def test_a_time_with_another_separator_is_the_same_time(croatian_time, changes):
    # WMT22 en->hr: "10:15 BST" / "10.15 h" was reported as 10 / 10.15.
    english = "The crash happened in Deptford at about 10:15 BST, police said."
    croatian = f"Sudar se dogodio u Deptfordu oko {croatian_time} h, priopćila je policija."
    assert _number_changes(english, "en", croatian, "hr") == changes


@pytest.mark.parametrize(
    ("english", "other", "lang", "changes"),
    [
        # WMT22 en->zh: "5.30pm" / "5 点半" (half past five) was read as 5.30 -> 5.
        ("He was found just before 5.30pm on Friday.", "周五下午 5 点半之前，他被发现。", "zh", []),
        ("He was found just before 5.30pm on Friday.", "周五下午 6 点半之前，他被发现。", "zh", [("5.30", "6")]),
        ("He was found at 5:45 on Friday.", "金曜日の5時45分に発見された。", "ja", []),
        # WMT22 uk->en: "до 19:00" / "until 7 pm" was read as 19 -> 7.
        ("The room stayed open until 7 pm yesterday.", "Кімната вчора працювала до 19:00.", "uk", []),
    ],
)
def test_a_time_in_hour_words_or_on_a_twelve_hour_clock(english, other, lang, changes):
    assert _number_changes(english, "en", other, lang) == changes


def test_the_minutes_of_a_clock_time_before_pm_are_no_hour():
    from crosswire.diff import _times
    from crosswire.text.numbers import find_numbers

    text = "Polls closed at 10:15 pm."
    assert [time for time, _ in _times(find_numbers(text, "en"), text)] == [(22, 15, True)]


@pytest.mark.parametrize(
    ("english", "changes"),
    [
        ("The polls open at 7 am, officials said.", [("7", "19")]),
        ("The polls open at 07:00, officials said.", [("07", "19")]),
        ("The polls open at 7:00, officials said.", []),
        ("The polls open at 7 pm, officials said.", []),
    ],
)
def test_a_morning_time_and_an_evening_one_differ(english, changes):
    # Hours were read on a twelve-hour clock alone: "7 am" and "19:00" were one time. Where a
    # side leaves the half of the day open ("7:00"), it may be either.
    german = "Die Wahllokale öffnen um 19:00 Uhr, sagten Beamte."
    assert _number_changes(english, "en", german, "de") == changes


@pytest.mark.parametrize(
    ("english", "german", "changes"),
    [
        # An open time pairs with one time of the other side, not with its 7:00 and 19:00 both.
        (
            "Polls open at 7:00 and close at 9:00.",
            "Die Wahllokale öffnen um 7:00 und schließen um 19:00.",
            [("9", "19")],
        ),
        ("Polls open at 07:00 and at 7:00.", "Die Wahllokale öffnen um 07:00 und um 08:00.", [("7", "08")]),
        # am/pm stands between a time and its zone.
        ("The fire broke out at 9:30 pm BST.", "Das Feuer brach um 22:30 (CET) aus.", []),
        # A bare 12 may follow midnight.
        ("The fire broke out at 12:30.", "Das Feuer brach um 00:30 Uhr aus.", []),
    ],
)
def test_times_pair_one_to_one(english, german, changes):
    assert _number_changes(english, "en", german, "de") == changes


def test_a_chinese_decade_named_by_its_century_is_the_same_decade():
    # WMT22 en->zh: "1880s" / "19 世纪 80 年代" was read as 1880 -> 19.
    english = "Set in 1880s New York, it follows an aspiring writer."
    chinese = "故事发生在 19 世纪 80 年代的纽约，讲述了一位有抱负的作家。"
    assert _number_changes(english, "en", chinese, "zh") == []


def test_a_number_written_in_words_on_one_side_is_no_leftover():
    # WMT22 en->zh: "three methods" / "3 种方法" beside "COVID-19" / "新型冠状病毒" read as 19 -> 3.
    english = "The agency uses three methods to detect COVID-19 variants, officials said."
    chinese = "官员说，该机构使用 3 种方法来检测新型冠状病毒的变异株。"
    assert _number_changes(english, "en", chinese, "zh") == []


def test_a_bengali_number_word_in_either_unicode_spelling():
    # FLORES hi->bn writes "six" as "ছয়" with U+09DF (precomposed), num2words with U+09AF U+09BC.
    from crosswire.text.numbers import worded_value

    assert worded_value("ছ\u09df", "bn") == worded_value("ছ\u09af\u09bc", "bn") == 6
    assert worded_value("three", "en") == 3 and worded_value("Trois", "fr") == 3
    assert worded_value("three", "xx") is None


@pytest.mark.parametrize(
    ("other", "changes"),
    [
        ("Das Feuer brach gegen 10:30 (CET) aus, sagte die Polizei.", []),  # converted
        ("Das Feuer brach gegen 10:30 MEZ aus, sagte die Polizei.", []),
        ("Das Feuer brach gegen 11:30 BST aus, sagte die Polizei.", [("09", "11")]),
        ("Das Feuer brach gegen 11:30 Uhr aus, sagte die Polizei.", [("09", "11")]),
        ("Das Feuer brach gegen 10:45 (CET) aus, sagte die Polizei.", [("09", "10"), ("30", "45")]),
    ],
)
def test_a_time_converted_into_another_time_zone_is_no_change(other, changes):
    # WMT22 en->hr: "09:30 BST" / "10:30 (CET)" was reported as 09 -> 10. A conversion keeps
    # the minutes.
    english = "The fire broke out at about 09:30 BST, police said."
    assert _number_changes(english, "en", other, "de") == changes


def test_one_conversion_moves_every_time_by_one_offset():
    english = "The fire broke out at 09:30 BST and was put out at 11:00 BST."
    german = "Das Feuer brach um 10:30 (CET) aus und wurde um 15:00 (CET) gelöscht."
    assert _number_changes(english, "en", german, "de") == [("11", "15")]


def test_a_year_before_an_acronym_ending_in_t_is_no_time():
    assert _number_changes("In 2019 MIT found 5 cases.", "en", "Im Jahr 2020 fand das MIT 5 Fälle.", "de") == [
        ("2019", "2020")
    ]


@pytest.mark.parametrize(("hindi_time", "changes"), [("1200", []), ("1400", [("১২", "1400")])])
def test_a_wire_style_time_before_its_zone_is_a_time(hindi_time, changes):
    # FLORES bn->hi: "১২:০০ জিএমটি" / "1200 GMT" was reported as 12 -> 1200.
    bengali = "একই দিনে আনুমানিক ১২:০০ জিএমটি সময়ে যানটিকে সরিয়ে ফেলা হয়েছিল।"
    hindi = f"वाहन को उसी दिन तकरीबन {hindi_time} GMT के समय पर दूर ले जाया गया."
    assert _number_changes(bengali, "bn", hindi, "hi") == changes


COVID = "Anyone who tests positive for Covid-19 must isolate for 10 days, as must their close contacts."


@pytest.mark.parametrize(("chinese_days", "changes"), [("10", []), ("14", [("10", "14")])])
def test_the_digits_of_a_name_are_no_number_the_other_side_changed(chinese_days, changes):
    # WMT22 en->zh: "新冠病毒" translates "Covid-19" without its digits; 19 was paired with 10.
    chinese = f"任何新冠病毒检测呈阳性的人都必须隔离 {chinese_days} 天，密切接触者也必须隔离 {chinese_days} 天。"
    assert _number_changes(COVID, "en", chinese, "zh") == changes


def test_a_number_after_a_common_word_and_a_hyphen_is_a_number():
    english = "The hurricane made landfall as a Category-4 storm, killing 10 people."
    assert _number_changes(english, "en", "飓风以 5 级风暴登陆，造成 10 人死亡。", "zh") == [("4", "5")]


def test_a_name_that_starts_the_sentence_holds_its_digits():
    english = "Covid-19 cases rose to 10 on Monday, officials said."
    assert _number_changes(english, "en", "官员说，周一新冠病例升至 14 例。", "zh") == [("10", "14")]


def test_the_digits_of_a_name_the_other_side_writes_are_compared():
    assert _number_changes("The air force bought 20 F-16 jets.", "en", "Die Luftwaffe kaufte 20 F-35.", "de") == [
        ("16", "35")
    ]
    # A Xhosa noun class before the name: "Inombolo-1" is the Zulu "Nombolo 1".
    xhosa = "I-Hokuriku ayichazanga nokuba Inombolo-1 ye-reactors ivaliwe."
    zulu = "IHokuriku ayibikanga ukuthi isiphehli Nombolo 8 sivaliwe."
    assert _number_changes(xhosa, "xh", zulu, "zu") == [("1", "8")]


@pytest.mark.parametrize(
    ("croatian", "changes"),
    [
        # WMT22 en->hr: the translation gave the pounds in kuna, and 150 -> 1,25 was reported.
        ("Carine pogađaju robu vrijednu 200 milijardi dolara (1,25 trilijuna kuna).", []),
        # The same currency on both sides is compared.
        ("Carine pogađaju robu vrijednu 200 milijardi dolara (160 milijardi funti).", [("150", "160")]),
    ],
)
def test_an_amount_converted_into_another_currency_is_no_change(croatian, changes):
    english = "The tariffs affect goods worth $200 billion (£150 billion)."
    assert _number_changes(english, "en", croatian, "hr") == changes


def test_the_currency_of_an_amount_is_read_before_or_after_it():
    from crosswire.text.units import currency_at

    def codes(text: str, lang: str, number: str) -> frozenset[str]:
        start = text.index(number)
        return currency_at(text, start, start + len(number), lang)

    assert codes("They paid £150 billion.", "en", "150") == {"GBP"}
    assert "USD" in codes("Za 200 milijardi dolara.", "hr", "200")
    assert codes("Preis: 20 € pro Stück.", "de", "20") == {"EUR"}
    assert codes("USD 20 were paid.", "en", "20") == {"USD"}
    assert codes("They won 3 games.", "en", "3") == frozenset()
