"""Where diff looks for the partner of a name that the other side does not spell (crosswire.diff)."""

import pytest

from crosswire.diff import _same_acronym
from crosswire.text.names import Word, name_key


def _word(text: str) -> Word:
    return Word(0, len(text), text, name_key(text), text[0].isupper(), False, False)


@pytest.mark.parametrize(("a", "b"), [("GPL", "LPG"), ("GPLc", "LPG"), ("OTAN", "NATO"), ("GNC", "CNG")])
def test_acronyms_of_the_same_letters_are_one_name(a, b):
    assert _same_acronym(_word(a), _word(b))


@pytest.mark.parametrize(("a", "b"), [("SNCF", "DB"), ("GPL", "Gel"), ("LDDS", "Stéphane")])
def test_other_pairs_are_not_the_same_acronym(a, b):
    assert not _same_acronym(_word(a), _word(b))


# Name changes across scripts, decided on the sentences themselves with the packaged USE-m
# encoder for the translation check. The sentences were written for these tests.
from crosswire.analyse import prepare, sentence_facts  # noqa: E402
from crosswire.diff import link_differences  # noqa: E402
from crosswire.encode import get_encoder  # noqa: E402
from crosswire.model import Article  # noqa: E402

GOVERNOR = "The regional governor, Elena Markova, said repairs would cost 3.5 million euros."


def _differences(
    text_a: str, lang_a: str, text_b: str, lang_b: str, encoder_name: str = "use-m"
) -> list[tuple[str, str, str]]:
    facts_a = sentence_facts(prepare(Article(text_a, lang_a)))
    facts_b = sentence_facts(prepare(Article(text_b, lang_b)))
    encoder = get_encoder(encoder_name)
    (found,) = link_differences([(facts_a, facts_b)], text_a, text_b, encoder.encode, encoder.calibration.word_same)
    return [(d.kind, d.a.text, d.b.text) for d in found]


def _changes(*args, **kwargs) -> list[tuple[str, str, str]]:
    return [d for d in _differences(*args, **kwargs) if d[0] != "name_variant"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "Губернатор области Елена Маркова заявила, что ремонт обойдется в 3,5 миллиона евро."),
        ("el", "Η περιφερειάρχης Έλενα Μάρκοβα δήλωσε ότι οι επισκευές θα κοστίσουν 3,5 εκατ. ευρώ."),
        ("ja", "地方知事エレナ・マルコワ氏は、修理費用は350万ユーロになると述べた。"),
        ("zh", "地区州长叶莲娜·马尔科娃表示，修复费用将达 350 万欧元。"),
        ("hi", "क्षेत्रीय गवर्नर एलेना मार्कोवा ने कहा कि मरम्मत पर 35 लाख यूरो खर्च होंगे।"),
    ],
)
def test_the_same_name_in_another_script_is_no_change(lang, text):
    assert _changes(GOVERNOR, "en", text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "swapped_in"),
    [
        ("ru", "Губернатор области Елена Петренко заявила, что ремонт обойдется в 3,5 миллиона евро.", "Петренко"),
        ("el", "Η περιφερειάρχης Έλενα Πετρένκο δήλωσε ότι οι επισκευές θα κοστίσουν 3,5 εκατ. ευρώ.", "Πετρένκο"),
        ("ja", "地方知事エレナ・ペトレンコ氏は、修理費用は350万ユーロになると述べた。", "ペトレンコ"),
        ("zh", "地区州长叶莲娜·彼得连科表示，修复费用将达 350 万欧元。", "彼得连科"),
    ],
)
def test_another_name_in_the_place_of_a_name_is_a_change(lang, text, swapped_in):
    assert _changes(GOVERNOR, "en", text, lang) == [("name", "Markova", swapped_in)]


def test_a_name_glossed_in_latin_after_its_transliteration():
    # The Latin gloss holds another surname than the one the Han transliteration renders.
    a = "Liz Truss pledged more aid to Afghanistan at the meeting."
    assert _changes(a, "en", "利兹·特拉斯 (Liz Malley) 在会议上承诺向阿富汗提供更多援助。", "zh") == [
        ("name", "Truss", "Malley")
    ]
    assert _changes(a, "en", "利兹·特拉斯 (Liz Truss) 在会议上承诺向阿富汗提供更多援助。", "zh") == []


def test_a_translated_title_next_to_a_name_is_no_change():
    a = "Speaking to the General Assembly, Foreign Minister Walid Haddad said the talks would go on."
    b = "Obraćajući se Općoj skupštini, ministar vanjskih poslova Walid Haddad rekao je da će se razgovori nastaviti."
    assert _changes(a, "en", b, "hr") == []


def test_a_name_behind_a_noun_class_prefix():
    a = "Wafika eIceland ngenyanga ephelileyo, kwaye wathetha nabantu."
    assert _changes(a, "xh", "Wafika e-Iceland ngenyanga edlule, futhi wakhuluma nabantu.", "zu") == []
    assert _changes(a, "xh", "Wafika eChicago ngenyanga edlule, futhi wakhuluma nabantu.", "zu") == [
        ("name", "Iceland", "Chicago")
    ]


def test_a_name_in_a_reordered_clause_is_placed_after_its_anchor():
    # "police said" moved to the front: the anchors around the place name cross.
    a = "The incident happened in Ballyhackamore, police said."
    b = "Policija je priopćila da se incident dogodio u predgrađu {}."
    assert _changes(a, "en", b.format("Lehaucourt"), "hr") == [("name", "Ballyhackamore", "Lehaucourt")]
    assert _changes(a, "en", b.format("Ballyhackamorea"), "hr") == []
    # An acronym in a reordered clause may stand for words: "American aid" / "USD" (e5-small's
    # word vectors, which compare reads for this pair, do not tell that it translates them).
    a = "However, sanctions were weighed only against Honduras, which got about $95 million in American aid in 2019."
    b = "Ipak, sankcije su razmatrane samo protiv Hondurasa, koji je 2019. od SAD-a dobio potporu od 95 milijuna USD."
    assert _changes(a, "en", b, "hr", encoder_name="e5-small") == []


def test_digits_written_onto_a_word_are_compared_as_a_number():
    a = "Ngo-1624, inkampani yaseka isiseko eTaiwan."
    assert _changes(a, "xh", "Ngo1624, inkampani yamisa isikhungo eTaiwan.", "zu") == []
    assert _changes(a, "xh", "Ngo2624, inkampani yamisa isikhungo eTaiwan.", "zu") == [("number", "1624", "2624")]
    assert _changes("The G7 ministers met.", "en", "G5 国家的部长们会面了。", "zh") == [("number", "7", "5")]


def test_an_acronym_translated_into_another_script_is_no_change():
    a = "Він вважав, що його родич був КДБістським інформатором."
    assert _changes(a, "uk", "He believed that his relative was a KGB informer.", "en") == []


def test_name_checks_found_before_give_the_same_differences():
    """compare checks the names of each link while the encoder splits merged sentences
    (check_names) and hands those checks to link_differences: the differences are those
    found without them; facts that differ in anything (here a number) are checked apart."""
    from crosswire.diff import check_names

    swapped = "Губернатор области Елена Петренко заявила, что ремонт обойдется в 3,5 миллиона евро."
    facts_a = sentence_facts(prepare(Article(GOVERNOR, "en")))
    facts_b = sentence_facts(prepare(Article(swapped, "ru")))
    same = sentence_facts(prepare(Article(GOVERNOR.replace("3.5", "4.5"), "en")))
    encoder = get_encoder("use-m")
    known: dict = {}
    check_names([(facts_a, facts_b), (same, facts_b)], known)
    assert len(known) == 2

    def found(checks):
        return link_differences(
            [(facts_a, facts_b)], GOVERNOR, swapped, encoder.encode, encoder.calibration.word_same, checks
        )

    assert found(known) == found(None) != [()]


def _name_changes_compared(text_a: str, lang_a: str, text_b: str, lang_b: str) -> list[tuple[str, str, str]]:
    """The name changes of two whole articles, compared as compare does (with their full names)."""
    import crosswire

    comparison = crosswire.compare(text_a, text_b, lang_a=lang_a, lang_b=lang_b)
    return [(d.kind, d.a.text, d.b.text) for link in comparison.links for d in link.differences if d.kind == "name"]


@pytest.mark.parametrize(
    ("croatian_name", "changes"), [("Jessicu", []), ("Sanforda", [("name", "Chambers", "Sanforda")])]
)
def test_another_part_of_the_same_full_name_is_no_swap(croatian_name, changes):
    """WMT22 en->hr: the translation calls Jessica Chambers "Jessicu" (Jessica, accusative)
    where the original says "Chambers"; the articles write her full name, so these are one
    person's names, not a swapped one."""
    english = (
        "Jessica Chambers, 19, was found with burns over most of her body in Mississippi. Another "
        "inconsistency was that Tellis said he had known Chambers for about two weeks when she died."
    )
    croatian = (
        "Jessica Chambers (19) pronađena je s opeklinama po većini tijela u Mississippiju. Proturječno je "
        f"bilo i to što je Tellis izjavio da je {croatian_name} poznavao oko dva tjedna u vrijeme kada je preminula."
    )
    assert _name_changes_compared(english, "en", croatian, "hr") == changes


def test_a_time_zone_converted_is_no_name_swap():
    # WMT22 en->hr: "09:30 BST" / "10:30 (CET)" was reported as the name change BST -> CET.
    english = "Disorder broke out at HMP Long Lartin at about 09:30 BST on Sunday."
    croatian = "Neredi su u zatvoru HMP Long Lartin izbili u nedjelju otprilike u 10:30 (CET)."
    assert _changes(english, "en", croatian, "hr", encoder_name="e5-small") == []


def test_a_country_and_the_initials_of_its_name_in_the_other_language_are_no_swap():
    # WMT22 en->hr: "United States" / "SAD" (Sjedinjene Američke Države) was the swap United -> SAD.
    english = "Tariffs on goods coming into the United States from China rose."
    croatian = "Carine na robu koja dolazi u SAD iz Kine porasle su."
    assert _changes(english, "en", croatian, "hr", encoder_name="e5-small") == []
    assert _changes(croatian, "hr", english, "en", encoder_name="e5-small") == []


def test_a_name_with_a_possessive_is_heard_in_another_script():
    # WMT22 en->zh: "Stafford's" was no transliteration of "斯塔福德" until its "'s" was left out.
    english = (
        "The KMSS, which was among the first groups to organise protests against CAA, paid tributes "
        "to the agitators at Sam Stafford's Hatigaon residence."
    )
    chinese = "KMSS 是第一批组织抗议 CAA 的团体之一，他们在山姆·斯塔福德位于哈蒂冈的住所向这些死者致敬。"
    assert _changes(english, "en", chinese, "zh") == []


def test_a_name_is_no_anchor_for_a_word_that_is_none_spelled_otherwise():
    # WMT22 en->hr: "serious" anchored "Chris", so the swap "Pyongyang" / "Chris" had no place.
    from crosswire.diff import _anchors, _merge

    english = "But there is widespread skepticism that Pyongyang is serious about renouncing an arsenal."
    croatian = "Međutim, široko je prisutna sumnja oko toga hoće li se Chris doista odreći arsenala."
    a = _merge(sentence_facts(prepare(Article(english, "en"))))
    b = _merge(sentence_facts(prepare(Article(croatian, "hr"))))
    anchored = {(a.words[i].text, b.words[j].text) for i, j in _anchors(a, b).items()}
    assert ("arsenal", "arsenala") in anchored
    assert not any("Chris" in pair for pair in anchored)


def test_a_name_too_short_to_be_told_by_its_sound_in_another_script_is_no_swap():
    # FLORES hi->bn: Bhutan's currency "Nu" is "এনইউ" in Bengali letters (N, U): one consonant.
    hindi = "शेयर्ड टैक्सियाँ पारो (Nu 150) जैसी आस-पास की जगहों पर जाने के लिए तेज़ साधन हैं."
    bengali = "ভাগাভাগি করা ট্যাক্সিগুলো পারো (এনইউ ১৫০) এর মতো কাছের জায়গাগুলোতে যাওয়ার দ্রুত উপায়।"
    assert _changes(hindi, "hi", bengali, "bn", encoder_name="e5-small") == []


def test_names_in_a_list_are_no_parts_of_one_name():
    croatian = "Regionalna guvernerka Elena Petrenko rekla je da će popravci stajati 3,5 milijuna eura."
    listed = GOVERNOR + " Officials from Markova, Petrenko and others came."
    assert _name_changes_compared(listed, "en", croatian, "hr") == [("name", "Markova", "Petrenko")]


def test_a_short_name_swapped_for_a_long_one_in_another_script_is_a_swap():
    moon = GOVERNOR.replace("Markova", "Moon")
    russian = "Губернатор области Елена Петренко заявила, что ремонт обойдется в 3,5 миллиона евро."
    assert _changes(moon, "en", russian, "ru") == [("name", "Moon", "Петренко")]
