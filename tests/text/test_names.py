"""Name candidates and cross-spelling / cross-script matching (crosswire.text.names)."""

import pytest

from crosswire.text.names import (
    cross_script_variant,
    find_names,
    is_common_word,
    is_inflection,
    is_rare_word,
    korean_stem,
    name_key,
    sound_in_run,
    sounds_alike,
    spelling_match,
    words,
)

MATCHED = [
    ("mavix2", "mavic2"),  # typo in a product name ("Mavix2" / "Mavic 2")
    ("wagnerites", "wagernites"),
    ("moscow", "moskow"),
    ("moscow", name_key("Москва")),
    ("prigozhin", "prigojine"),  # French transliteration
    ("prigozhin", name_key("Пригожин")),
    ("ukraine", name_key("Украина")),
    ("zelensky", "zelenskyy"),
    ("china", "chine"),  # inflection
    ("zelensky", "selenskyj"),  # voicing, German transliteration
    ("gaddafi", "kadhafi"),  # French transliteration
]


@pytest.mark.parametrize(("a", "b"), MATCHED)
def test_spelling_variants_match(a, b):
    assert spelling_match(a, b) is not None
    assert spelling_match(b, a) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("arnaud", "gauze"),
        ("justin", name_key("Agnès")),
        ("serbia", "syria"),
        ("iceland", "greenland"),  # a shared ending, different first sounds (xh->zu rewrites)
        ("hamburg", "salzburg"),
    ],
)
def test_different_names_do_not_match(a, b):
    assert spelling_match(a, b) is None
    assert spelling_match(b, a) is None


def test_identical_keys_are_same():
    assert spelling_match("wagner", "wagner") == "same"


def test_name_keys():
    assert name_key("Mavix2") == "mavix2"
    assert name_key("Mavic 2") == "mavic2"
    assert name_key("Москва") == "moskva"
    assert name_key("Agnès") == "agnes"
    assert name_key("St. Petersburg") == "stpetersburg"


def test_elision_is_stripped():
    (word,) = words("l'Italie", 0, 8, "fr")
    assert word.text == "Italie"
    assert (word.start, word.end) == (2, 8)
    assert word.capitalised


def test_elision_with_typographic_apostrophe_and_other_words():
    text = "C’est l’Italie qu'on aime"
    ws = words(text, 0, len(text), "fr")
    assert [w.text for w in ws] == ["est", "Italie", "on", "aime"]
    assert all(text[w.start : w.end] == w.text for w in ws)


def test_elision_only_in_eliding_languages():
    (word,) = words("l'Italie", 0, 8, "en")
    assert word.text == "l'Italie"


def test_words_have_offsets_inside_window():
    text = "First one. Over 2,500 DJI Mavix2 drones reached Moscow."
    start = text.index("Over")
    ws = words(text, start, len(text), "en")
    assert ws[0].text == "Over" and ws[0].sentence_initial
    assert "Mavix2" in [w.text for w in ws]
    assert all(text[w.start : w.end] == w.text for w in ws)


def _article_words(sentences, lang):
    text = " ".join(sentences)
    out, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        out.append(words(text, start, start + len(s), lang))
        pos = start + len(s)
    return out


def test_find_names_uses_article_context():
    sentences = [
        "According to reports, Prigozhin hired men.",
        "Prigozhin denied it on Monday.",  # sentence-initial, but capitalised mid-sentence elsewhere
        "Over 2,500 DJI Mavix2 drones came.",
        "Despite that, the group left in January.",
    ]
    names = find_names(_article_words(sentences, "en"), "en")
    assert [[w.text for w in ns] for ns in names] == [["Prigozhin"], ["Prigozhin"], ["DJI", "Mavix2"], []]


def test_katakana_names_in_japanese():
    text = "政府はプーチン大統領と会談した。"
    names = find_names([words(text, 0, len(text), "ja")], "ja")
    assert [w.text for w in names[0]] == ["プーチン"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("zelensky", "selenskyj"),  # German spelling of Zelensky
        ("gaddafi", "kadhafi"),  # French spelling of Gaddafi
        ("kyiv", "kiev"),
    ],
)
def test_transliterations_match(a, b):
    assert spelling_match(a, b) is not None


@pytest.mark.parametrize(
    ("word", "lang"),
    [("Verluste", "de"), ("Höhe", "de"), ("Conseil", "fr"), ("Santé", "fr"), ("Правительство", "ru")],
)
def test_common_words_are_told_from_names(word, lang):
    assert is_common_word(word, lang)


@pytest.mark.parametrize(
    ("word", "lang"),
    [("Merkel", "de"), ("Houston", "fr"), ("Bolsonaro", "de"), ("Путин", "ru"), ("Okoundji", "de")],
)
def test_names_are_not_common_words(word, lang):
    assert not is_common_word(word, lang)


def test_german_compounds_of_common_words_are_common():
    assert is_common_word("Wirtschaftsakteure", "de")
    assert is_common_word("Universitätskrankenhaus", "de")


def test_no_judgement_without_a_reference_script_or_a_tokenizer():
    assert not is_common_word("プーチン", "ja")
    assert not is_common_word("Police", "ja")  # wordfreq would need MeCab for Japanese


def test_german_nouns_are_not_names():
    sentences = ["Die Verluste von Siemens sind in Höhe von drei Milliarden."]
    names = find_names(_article_words(sentences, "de"), "de")
    assert [w.text for w in names[0]] == ["Siemens"]


def test_capitalised_common_word_mid_sentence_is_a_common_name_part_in_french():
    sentences = ["Le fonds Ace Aéro Partenaires a été créé par le Conseil."]
    names = find_names(_article_words(sentences, "fr"), "fr")
    found = {w.text: w.common for w in names[0]}
    assert found["Partenaires"] and found["Conseil"]
    assert not found["Ace"]


def test_sentence_initial_name_that_is_no_common_word():
    sentences = ["Josette vit seule à Charleroi.", "Seule, elle attend."]
    names = find_names(_article_words(sentences, "fr"), "fr")
    assert [w.text for w in names[0]] == ["Josette", "Charleroi"]
    assert names[1] == []


def test_sentence_initial_word_written_in_lower_case_elsewhere_is_not_a_name():
    sentences = ["Police said it left.", "The police came."]
    names = find_names(_article_words(sentences, "en"), "en")
    assert names[0] == []


def test_exonyms_stay_names():
    (word,) = find_names(_article_words(["They flew to Moscow."], "en"), "en")[0]
    assert word.text == "Moscow"


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("Morneau", "fr"),
        ("Lahoud", "fr"),
        ("Mwènè", "fr"),
        ("Atout", "de"),
        ("Caisse", "de"),
        ("MaPrimeRénov", "de"),  # a brand, however long: a capital inside makes no compound
    ],
)
def test_surnames_and_foreign_words_are_rare_words(word, lang):
    assert is_rare_word(word, lang)


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("Conseil", "fr"),
        ("Bonus", "fr"),
        ("GNC", "fr"),
        ("OMT", "fr"),
        ("Personalaufstockungen", "de"),
        ("Москва", "ja"),
    ],
)
def test_words_that_may_be_translated_are_not_rare(word, lang):
    """Common words, acronyms, compounds, and words wordfreq cannot judge."""
    assert not is_rare_word(word, lang)


def test_sentence_initial_acronym_is_a_name_though_its_letters_spell_a_common_word():
    names = find_names(_article_words(["UNIS avait reconnu avoir versé de l'argent."], "fr"), "fr")
    assert [w.text for w in names[0]] == ["UNIS"]


def test_a_word_with_an_inner_capital_is_a_name_in_german():
    names = find_names(_article_words(["Die Aufsicht übernahm die BaFin am Montag."], "de"), "de")
    assert [w.text for w in names[0]] == ["BaFin"]


def test_devanagari_words_keep_their_vowel_signs():
    text = "मार्कोवा ने कहा"
    assert [w.text for w in words(text, 0, len(text), "hi")] == ["मार्कोवा", "ने", "कहा"]
    assert name_key("मार्कोवा") == "markova"


def test_katakana_name_parts_are_separate_words():
    text = "州知事のエレナ・マルコワ氏は"
    assert [w.text for w in words(text, 0, len(text), "ja") if w.text.isalpha()][-3:-1] == ["エレナ", "マルコワ"]


def test_greek_ou_is_one_vowel():
    assert name_key("Οδησσού") == "odissou"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Odesa", "Οδησσού"),
        ("Elena", "Олена"),
        ("Markova", "Μάρκοβα"),
        ("Petrenko", "Петренко"),
        # Abjads: long vowels as consonant letters, no p or v in Arabic, final ה for "a".
        ("Markova", "ماركوفا"),
        ("Markova", "مارکووا"),
        ("Markova", "מרקובה"),
        ("Petrenko", "بيترينكو"),
        ("Petrenko", "פטרנקו"),
        ("Odesa", "أوديسا"),
        ("UNICEF", "יוניסף"),
        ("UNICEF", "يونيسف"),
        # One liquid in Korean and Japanese.
        ("Markova", "마르코바"),
        ("Markova", "マルコワ"),
        # Pinyin: d for t.
        ("Markova", "马尔科娃"),
        ("Petrenko", "彼得连科"),
        ("Elena", "叶莲娜"),
    ],
)
def test_one_name_in_two_scripts(a, b):
    assert cross_script_variant(a, name_key(a), b, name_key(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("Markova", "Петренко"), ("Markova", "بيترينكو"), ("Odesa", "Kiev"), ("Elena", "Olena"), ("Anna", "Анна")],
)
def test_not_one_name_in_two_scripts(a, b):
    # Another name; the same script (spelling_match decides there); too few consonants to tell.
    assert not cross_script_variant(a, name_key(a), b, name_key(b))


@pytest.mark.parametrize(
    ("lang", "text", "names"),
    [
        ("ar", "وقالت حاكمة المنطقة، إيلينا بيترينكو، إن الإصلاحات ستكلف الكثير", ["بيترينكو"]),
        ("he", "מושלת המחוז, אלנה פטרנקו, אמרה כי התיקונים יעלו הרבה", ["פטרנקו"]),
        ("hi", "क्षेत्रीय गवर्नर एलेना पेट्रेंको ने कहा कि मरम्मत पर खर्च होगा", ["एलेना", "पेट्रेंको"]),
    ],
)
def test_rare_words_are_names_where_script_has_no_capitals(lang, text, names):
    # A transliterated surname is rare in the language; common words, clitics and given
    # names well known in the language are not.
    ws = words(text, 0, len(text), lang)
    assert [w.text for w in find_names([ws], lang)[0]] == names


@pytest.mark.parametrize(
    ("token", "stem"),
    [
        ("마르코바는", "마르코바"),
        ("유니세프는", "유니세프"),
        ("서울에서", "서울"),
        ("집을", "집"),
        ("학교들", "학교"),
        ("오바마", "오바마"),
    ],
)
def test_korean_particles_are_cut_from_the_word(token, stem):
    assert korean_stem(token) == stem


def test_korean_names_are_rare_words_that_are_no_verb_or_compound():
    text = "윤석열 대통령은 서울에서 기자회견을 열고 젤렌스키 대통령과 통화했다. 구호물자 40톤을 보냈다."
    ws = words(text, 0, len(text), "ko")
    assert [w.text for w in find_names([ws], "ko")[0]] == ["윤석열", "젤렌스키"]
    assert text[ws[0].start : ws[0].end] == "윤석열"


def test_chinese_foreign_names_are_cut_out_at_the_interpunct():
    text = "美国总统唐纳德·特朗普表示"
    ws = words(text, 0, len(text), "zh")
    assert [w.text for w in ws] == ["美国总统", "唐纳德", "特朗普", "表示"]
    assert [w.text for w in find_names([ws], "zh")[0]] == ["唐纳德", "特朗普"]


# One name in the scripts news writes it in: each transliteration sounds like the Latin spelling.
MARKOVA = ["Маркова", "Μάρκοβα", "ماركوفا", "מרקובה", "मार्कोवा", "মার্কোভা", "马尔科娃", "マルコワ", "마르코바"]


@pytest.mark.parametrize("written", MARKOVA)
def test_a_name_sounds_alike_in_every_script(written):
    assert sounds_alike("Markova", written)
    assert sounds_alike(written, "Markova")


@pytest.mark.parametrize(
    ("latin", "written"),
    [
        ("Truss", "特拉斯"),
        ("Scholz", "肖尔茨"),  # pinyin x and c are sibilants, not "ks" and "k"
        ("Trump", "特朗普"),  # Chinese ends the m with "ng"
        ("Merkel", "默克尔"),  # one coda dropped in a long name
        ("Johannesburg", "ヨハネスブルグ"),
        ("Kharkiv", "Харків"),
        ("Fedoruk", "Федоруком"),  # Ukrainian instrumental case
        ("Trump", "ট্রাম্প"),
        # Ukrainian writes h with Russian's g, and a name of few consonants keeps its h.
        ("Ihor", "Ігор"),
        ("Olha", "Ольгу"),  # accusative
        ("Hryhorii", "Григорій"),
        ("Oleh", "Олег"),
        ("Oleg", "Олег"),  # the Russian reading
        ("Harry", "Гарри"),  # Russian writes English h as g
    ],
)
def test_transliterations_sound_alike(latin, written):
    assert sounds_alike(latin, written)


@pytest.mark.parametrize(
    ("latin", "written"),
    [
        ("Markova", "Петренко"),
        ("Scholz", "马克龙"),
        ("Truss", "Федорук"),
        ("Baerbock", "Шольц"),
        ("Markova", "Markova"),
        ("Olena", "Олег"),
        ("Ivan", "Ігор"),
    ],
)
def test_other_names_and_same_script_words_do_not_sound_alike(latin, written):
    # Words of one script are compared by spelling (spelling_match), not by sound.
    assert not sounds_alike(latin, written)


def test_a_transliteration_is_found_inside_an_unspaced_run():
    assert sound_in_run("Muammar", "是参与推翻他父亲穆阿迈尔")
    assert sound_in_run("Wagner", "俄罗斯私人军事承包商瓦格纳集团")
    assert not sound_in_run("Markova", "政府は会談した")


@pytest.mark.parametrize(
    ("token", "name"),
    [
        ("yiSahel", "Sahel"),
        ("kweTaiwan", "Taiwan"),
        ("IGreenland", "Greenland"),
        ("hÉireann", "Éireann"),
        ("yaseTransnistria", "Transnistria"),  # stacked prefixes: ya-, -se-
        ("ezaseMelika", "Melika"),
    ],
)
def test_a_name_behind_a_grammatical_prefix(token, name):
    (word,) = words(token, 0, len(token), "xh")
    assert word.text == name and word.capitalised
    assert token[word.start : word.end] == name


@pytest.mark.parametrize("token", ["McDonald", "LeBron", "BaFin", "UNICEF", "KwaZulu", "JPMorgan"])
def test_names_with_inner_capitals_stay_whole(token):
    (word,) = words(token, 0, len(token), "en")
    assert word.text == token


def test_an_inflected_transliteration_sounds_alike():
    # Ukrainian locative of Facebook: the case ending turns the k into ц.
    assert sounds_alike("Facebook", "Фейсбуці")


def test_a_number_with_a_prefix_glued_to_it_is_not_a_name():
    """Zulu glues "ngo" (in) to a year (a FLORES sentence of the shared rewrites); a name
    with digits keeps its letters up front ("A320", "Mavix2")."""
    sentences = ["Ngo2624,inkampani yaseNdiya yeDutch East India yasungula isizinda.", "I-A320 ne-Mavix2 zafika."]
    names = find_names(_article_words(sentences, "zu"), "zu")
    assert "Ngo2624" not in [w.text for w in names[0]]
    assert {"A320", "Mavix2"} <= {w.text for w in names[1]}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("china", "chine", True),
        ("tom", "tominak", True),  # Hungarian dative, on the whole name
        ("tom", "tomille", True),  # Finnish allative
        ("tom", "tomlinson", False),  # another name, not an ending
        ("tominak", "tomille", False),  # two endings of three letters or more
    ],
)
def test_an_ending_added_to_a_whole_name_is_an_inflection(a, b, same):
    assert is_inflection(a, b) is same
