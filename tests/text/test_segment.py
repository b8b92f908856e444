"""Sentence segmentation with offsets (crosswire.text.segment)."""

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.text.dates import find_dates
from crosswire.text.names import find_names, words
from crosswire.text.numbers import find_numbers
from crosswire.text.segment import segment


def texts(text, lang):
    sentences, _ = segment(text, lang)
    return [s.text for s in sentences]


def assert_well_formed(text, sentences, skipped):
    """Offsets slice to the text; sentences and skipped lines are in order, do not
    overlap, and together cover every non-space character of the input."""
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
    for k in skipped:
        assert text[k.start : k.end] == k.text
        assert k.reason
    spans = sorted([(s.start, s.end) for s in sentences] + [(k.start, k.end) for k in skipped])
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert start >= previous_end, "spans overlap"
        previous_end = end
        covered.update(range(start, end))
    lost = [i for i, c in enumerate(text) if not c.isspace() and i not in covered]
    assert not lost, f"characters in no sentence: {[text[i] for i in lost]}"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Menurut Bpk. Joko, harga naik. Itu benar.", "id", ["Menurut Bpk. Joko, harga naik.", "Itu benar."]),
        ("Dr. Smith arrived. He spoke.", "en", ["Dr. Smith arrived.", "He spoke."]),
        ("The U.S. Army left the base. They returned.", "en", ["The U.S. Army left the base.", "They returned."]),
        (
            "He visited St. Petersburg yesterday. It rained.",
            "en",
            ["He visited St. Petersburg yesterday.", "It rained."],
        ),
        ("M. Dupont est arrivé. Il a parlé.", "fr", ["M. Dupont est arrivé.", "Il a parlé."]),
        ("J. R. R. Tolkien wrote it. It sold.", "en", ["J. R. R. Tolkien wrote it.", "It sold."]),
        (
            "Mr. Smith met Mrs. Jones at 5 p.m. on Monday. They talked.",
            "en",
            ["Mr. Smith met Mrs. Jones at 5 p.m. on Monday.", "They talked."],
        ),
        ("Sein Vater, Prof. Dr. Müller, kam. Er ging.", "de", ["Sein Vater, Prof. Dr. Müller, kam.", "Er ging."]),
        ("В 2023 г. цены выросли. Это факт.", "ru", ["В 2023 г. цены выросли.", "Это факт."]),
        ("The price was $2.50 per unit. It rose to 3.5%.", "en", ["The price was $2.50 per unit.", "It rose to 3.5%."]),
    ],
)
def test_abbreviations_do_not_end_sentences(text, lang, expected):
    assert texts(text, lang) == expected
    assert_well_formed(text, *segment(text, lang))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("政府は発表した。本当か！そうだ？はい。", "ja", ["政府は発表した。", "本当か！", "そうだ？", "はい。"]),
        ("政府宣布了。真的吗？是的！好。", "zh", ["政府宣布了。", "真的吗？", "是的！", "好。"]),
        ("政府は２５００台を発表した。北京で会った！", "ja", ["政府は２５００台を発表した。", "北京で会った！"]),
    ],
)
def test_cjk_splits_on_its_own_punctuation(text, lang, expected):
    assert texts(text, lang) == expected
    assert_well_formed(text, *segment(text, lang))


def test_a_full_stop_between_words_of_an_uncased_script_ends_a_sentence_inside_a_quotation():
    # FLORES Hindi opens a quotation it never closes; sentencex does not split inside it.
    text = "“हू ने कहा, हम प्रयास करेंगे. लेकिन बाज़ार बदल जाएगा. डॉ. सिंह ने कुछ नहीं कहा।"
    assert texts(text, "hi") == ["“हू ने कहा, हम प्रयास करेंगे.", "लेकिन बाज़ार बदल जाएगा.", "डॉ. सिंह ने कुछ नहीं कहा।"]
    assert_well_formed(text, *segment(text, "hi"))


def test_a_script_written_without_capitals_splits_at_full_stops():
    # Georgian's Mkhedruli letters are lower case in Unicode: no sentence starts with a capital,
    # and a lower-case start does not make a sentence continue the one before it.
    text = "ბაღში ბევრი წითელი ყვავილებია. დედაშენი ძალიან ლამაზია! წიგნი მაგიდაზე არის."
    assert [s.text for s in segment(text, "ka")[0]] == [
        "ბაღში ბევრი წითელი ყვავილებია.",
        "დედაშენი ძალიან ლამაზია!",
        "წიგნი მაგიდაზე არის.",
    ]
    # The same holds for a Latin text written all in lower case, and not where capitals are used.
    assert len(segment("sorry i did not write back. i was cooking dinner.", "en")[0]) == 2
    assert len(segment("Sorry I did not write back. i was cooking dinner.", "en")[0]) == 1


@pytest.mark.parametrize(
    ("text", "lang", "first"),
    [
        # WMT22 en->hr: the quotation ends in "!", then the sentence goes on after a comma.
        (
            "Viče „Ugrizao me je!”, dodao je Hammel. Dječak je prevezen.",
            "hr",
            "Viče „Ugrizao me je!”, dodao je Hammel.",
        ),
        ("«Ми не здамося!», – сказав він. Інше речення.", "uk", "«Ми не здамося!», – сказав він."),
        ("«Ми не здамося!» – сказав він. Інше речення.", "uk", "«Ми не здамося!» – сказав він."),
    ],
)
def test_a_quotation_ending_in_an_exclamation_goes_on_after_a_comma_or_dash(text, lang, first):
    assert texts(text, lang)[0] == first
    assert len(texts(text, lang)) == 2


def test_a_dash_before_a_capital_still_starts_a_sentence():
    assert texts("Dann ging er. – Das war alles.", "de") == ["Dann ging er.", "– Das war alles."]


def test_a_space_between_han_characters_is_a_flattened_line_end():
    # WMT22 en->zh: the headline ran into the first sentence, joined by a space.
    text = "利比亚：12 月 24 日选举总统的计划近乎流产 周日，利比亚举行首次总统选举的可能性似乎接近破灭。"
    assert texts(text, "zh") == [
        "利比亚：12 月 24 日选举总统的计划近乎流产",
        "周日，利比亚举行首次总统选举的可能性似乎接近破灭。",
    ]
    assert_well_formed(text, *segment(text, "zh"))


def test_closing_quotes_left_alone_join_the_sentence_before_them():
    # FLORES bn: sentencex left '""' of a tripled closing quote as a sentence of its own,
    # shown as only in one article.
    text = '"""মন্ত্রণালয় বলেছে """"খুবই আফসোসযোগ্য"""" বলে উত্তর দিয়েছে।"""\n\nপরের বাক্য।'
    sentences, _ = segment(text, "bn")
    assert [s.text for s in sentences if not any(c.isalnum() for c in s.text)] == []
    assert sentences[0].text.endswith('দিয়েছে।"""')
    assert_well_formed(text, *segment(text, "bn"))


def test_a_decimal_mark_between_digits_of_any_script_ends_no_sentence():
    # sentencex splits Bengali "৩.৭" (3.7); FLORES hi->bn reported 3.7 / 3 as a changed number.
    text = "ইজমির হলো প্রায় ৩.৭ মিলিয়ন জনসংখ্যার শহর। পরের বাক্য।"
    assert texts(text, "bn") == ["ইজমির হলো প্রায় ৩.৭ মিলিয়ন জনসংখ্যার শহর।", "পরের বাক্য।"]
    assert_well_formed(text, *segment(text, "bn"))


def test_offsets_cover_the_text_in_order():
    text = (
        "Penulis\n"
        "Intisari-Online.com - Sejak perang terjadi, banyak negara khawatir.\n"
        "Hal ini mengingat karena China adalah sekutu Rusia. Mengapa?\n\n"
        "Baca Juga: Boris Johnson Ngaku Vladimir Putin Pernah Ancam\n"
        "Di mana ada laporan bahwa lebih dari 2.500 drone DJI Mavic 2 dikirim."
    )
    sentences, skipped = segment(text, "id")
    assert_well_formed(text, sentences, skipped)
    assert len(sentences) == 4
    assert [k.reason for k in skipped] == ["byline", "related"]


def test_hard_wrapped_sentence_across_blank_line():
    text = (
        "Wagner is presently soliciting recruits to join the war against Ukraine in Serbia, "
        "even posting advertisements on\n\nlocal media.\n\nThe next sentence is here."
    )
    sentences, skipped = segment(text, "en")
    assert [s.text for s in sentences] == [
        "Wagner is presently soliciting recruits to join the war against Ukraine in Serbia, "
        "even posting advertisements on\n\nlocal media.",
        "The next sentence is here.",
    ]
    assert skipped == []
    assert_well_formed(text, sentences, skipped)


def test_finished_line_is_not_joined_to_a_lower_case_one():
    assert texts("He said it.\nlater he left.", "en") == ["He said it.", "later he left."]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Baca Juga: Boris Johnson Ngaku Vladimir Putin Pernah Ancam Mau Membunuhnya", "related"),
        ("Read more: Wagner chief hires prisoners", "related"),
        ("Lire aussi : autre chose", "related"),
        ("Penulis", "byline"),
        ("Penulis: Tatang Guritno", "byline"),
        ("Advertisement", "advert"),
        ("Share this article", "share"),
        ("© 2023 Reuters", "copyright"),
    ],
)
def test_boilerplate_lines_are_skipped_with_a_reason(line, reason):
    text = f"{line}\nThe drones were shipped from Beijing.\n"
    sentences, skipped = segment(text, "id")
    assert [s.text for s in sentences] == ["The drones were shipped from Beijing."]
    assert [(k.text, k.reason) for k in skipped] == [(line, reason)]
    assert text[skipped[0].start : skipped[0].end] == line


def test_boilerplate_word_inside_a_sentence_is_kept():
    text = "Penulis buku itu tinggal di Jakarta."
    sentences, skipped = segment(text, "id")
    assert [s.text for s in sentences] == [text]
    assert skipped == []


def test_flattened_headline_splits_at_dateline():
    text = "Wall Street cale PARIS (Reuters) - La Bourse a fini."
    assert texts(text, "fr") == ["Wall Street cale", "PARIS (Reuters) - La Bourse a fini."]
    assert_well_formed(text, *segment(text, "fr"))


def test_capitalised_function_word_after_lower_case_starts_a_sentence():
    text = "Le scandale éclate au cœur d'un scandale Le ministre canadien a démissionné."
    assert texts(text, "fr") == ["Le scandale éclate au cœur d'un scandale", "Le ministre canadien a démissionné."]


def test_capitalised_function_word_before_a_name_does_not_split():
    assert texts("The Times reported it. Le Monde too.", "en") == ["The Times reported it.", "Le Monde too."]


@pytest.mark.parametrize(
    "text",
    ["Das Treffen war am 12. Juli in Berlin.", "Er kam am 3. Oktober 2020 an.", "Der 3. Weg ist lang."],
)
def test_german_ordinal_does_not_split(text):
    assert texts(text, "de") == [text]


def test_quote_opened_in_a_word_does_not_swallow_the_rest():
    text = 'Il a dit l"économie va mal. Le ministre a ri.'
    assert texts(text, "fr") == ['Il a dit l"économie va mal.', "Le ministre a ri."]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000"])
def test_a_letter_then_non_ascii_space_then_a_full_stop(space):
    """sentencex 1.0.32 panicked there (a Rust byte index inside the space): the letter
    and its space stay in the text, with their offsets."""
    text = f"Le plan B{space}. Il a dit{space}: non{space}!"
    sentences, _ = segment(text, "fr")
    assert [s.text for s in sentences] == [f"Le plan B{space}.", f"Il a dit{space}: non{space}!"]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_a_sentencex_panic_leaves_the_block_to_the_fallback_splits(monkeypatch):
    """A Rust panic in sentencex (pyo3's PanicException, a BaseException) must not end an
    ingest: the block is split where a full stop meets a capital. Other BaseExceptions,
    such as Ctrl-C, still go through."""
    import crosswire.text.segment as segment_module

    class PanicException(BaseException):  # the name pyo3 gives it; its module is not importable
        pass

    def panicking(lang, text):
        raise PanicException("byte index is not a char boundary")

    monkeypatch.setattr(segment_module, "sentencex_segment", panicking)
    text = "Floods hit Jakarta on Monday. Twelve people died. Schools stay closed."
    sentences, _ = segment(text, "en")
    assert [s.text for s in sentences] == [
        "Floods hit Jakarta on Monday.",
        "Twelve people died.",
        "Schools stay closed.",
    ]

    def interrupted(lang, text):
        raise KeyboardInterrupt

    monkeypatch.setattr(segment_module, "sentencex_segment", interrupted)
    with pytest.raises(KeyboardInterrupt):
        segment(text, "en")


def test_empty_and_blank_input():
    assert segment("", "en") == ([], [])
    assert segment("\n\n   \n", "en") == ([], [])


def test_spaced_german_abbreviation():
    assert texts("Die Firma macht z. B. Drohnen. Ja.", "de") == ["Die Firma macht z. B. Drohnen.", "Ja."]


def test_sentence_ending_in_abbreviation():
    assert texts("He lives in the U.S. He works there.", "en") == ["He lives in the U.S.", "He works there."]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # FLORES: NHK and U.S. in Bengali and Hindi letters; no capital says where a sentence starts.
        (
            "এন.এইচ.কে. জানিয়েছে যে কেন্দ্রটি কাজ করছে। দ্বিতীয় বাক্য।",
            "bn",
            ["এন.এইচ.কে. জানিয়েছে যে কেন্দ্রটি কাজ করছে।", "দ্বিতীয় বাক্য।"],
        ),
        ("यू.एस. सरकार ने कहा. दूसरा वाक्य.", "hi", ["यू.एस. सरकार ने कहा.", "दूसरा वाक्य."]),
        # A number before a full stop is no acronym.
        ("Inani lalinge 3.5. Emva koko kwenzeka.", "xh", ["Inani lalinge 3.5.", "Emva koko kwenzeka."]),
    ],
)
def test_a_dotted_acronym_of_a_script_without_capitals_goes_on(text, lang, expected):
    assert texts(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Armenian text often types ":" for its full stop "։".
        ("Հայաստանը փոքր երկիր է: Երևանը մայրաքաղաքն է:", "hy", ["Հայաստանը փոքր երկիր է:", "Երևանը մայրաքաղաքն է:"]),
        ("He won.[1] Then he left.", "en", ["He won.[1]", "Then he left."]),  # a footnote
    ],
)
def test_sentence_ends_that_sentencex_finds_after_other_marks(text, lang, expected):
    assert texts(text, lang) == expected


def test_a_piece_with_no_final_mark_is_no_sentence():
    # FLORES hi: sentencex cut "पारो (Nu | 150) और पुनाखा (Nu | 200)", where no mark ends a sentence.
    text = "शेयर्ड टैक्सियाँ पारो (Nu 150) और पुनाखा (Nu 200) जैसी जगहों पर जाने के लिए तेज़ साधन हैं. दूसरा वाक्य."
    assert texts(text, "hi") == [text[: text.index(" दूसरा")], "दूसरा वाक्य."]


# --- properties --------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("ab AZ.?!。！？…\n\r\t\"'“”«»()-,2,5万年月日")
    + [
        "U.S.",
        "Dr. ",
        "St. ",
        "Bpk. ",
        "Baca Juga: x",
        "Penulis",
        "PARIS (Reuters) - ",
        " Le ",
        "12. Juli",
        "\u00a0",
        "\u202f",
        "2.500",
        "31/1/2023",
        "Москва",
        "l'Italie",
        "\n\nlocal",
        "Mavix2",
        "２，５００",
    ]
)
_TEXT = st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join))
_LANGS = st.sampled_from(["en", "id", "de", "fr", "ru", "ja", "zh", "ko", "xx"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, _LANGS)
def test_segment_never_raises_and_offsets_slice(text, lang):
    sentences, skipped = segment(text, lang)
    assert_well_formed(text, sentences, skipped)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, _LANGS)
def test_finders_never_raise_on_arbitrary_text(text, lang):
    for n in find_numbers(text, lang):
        assert text[n.start : n.end] == n.text
    for d in find_dates(text, lang):
        assert text[d.start : d.end] == d.text
        assert d.month is None or 1 <= d.month <= 12
    ws = words(text, 0, len(text), lang)
    for w in ws:
        assert text[w.start : w.end] == w.text
    find_names([ws], lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La crise est due au Covid-19. Le texte a été approuvé.", "fr"),  # a number inside a word
        ("Die Krise kam mit Covid-19. Der Text wurde angenommen.", "de"),
        ("Le Royaume-Uni a un score de 76. Ainsi, la France mène.", "fr"),  # French writes no period ordinals
    ],
)
def test_a_period_after_a_number_that_is_no_ordinal_ends_the_sentence(text, lang):
    assert len(texts(text, lang)) == 2


def test_dotted_acronym_before_a_name_part_does_not_end_the_sentence():
    assert texts("The U.S. Army left. It won.", "en") == ["The U.S. Army left.", "It won."]


# Sentence ends of other scripts: Arabic/Persian "؟", Hindi danda "।", Greek ";" (its question
# mark), full-width CJK marks after a closing quote; and Thai, which marks no sentence end at all.
SCRIPT_CASES = [
    ("ar", "هل ستبقى المدارس مغلقة؟ قالت السلطات إنها ستبقى مغلقة. وأضافت أن ٣٫٥ مليون يورو خصصت!", 3),
    ("fa", "آیا مدارس تعطیل می‌مانند؟ مقامات گفتند بله. این خبر مهم است.", 3),
    ("hi", "मार्कोवा ने कहा कि स्कूल बंद रहेंगे। उन्होंने कहा कि 35 लाख यूरो खर्च होंगे। क्या यह सही है?", 3),
    ("el", "Τι θα γίνει με τα σχολεία; Η κ. Μάρκοβα είπε ότι θα μείνουν κλειστά. Το κόστος είναι 3,5 εκατ. ευρώ.", 3),
    ("zh", "他说：“水位上涨很快。”学校停课！会持续吗？是的。", 4),
    ("ja", "彼は「水位は速く上昇した」と語った。学校は休校！本当か？はい。", 4),
    # Khmer "។" and Tibetan "།", which sentencex does not split on, before a space.
    ("km", "ព្យុះបានបំផ្លាញកំពង់ផែ។ អភិបាលបាននិយាយថាការជួសជុលនឹងចំណាយច្រើន។", 2),
    ("bo", "རླུང་འཚུབ་ཀྱིས་གྲུ་ཁ་ལ་གནོད་སྐྱོན་བཏང་། ས་གནས་འགོ་ཁྲིད་ཀྱིས་བཤད་པ་ཡིན།", 2),
    # A Hindi quote in an English article ends its sentences with the danda.
    ("en", "The governor spoke. उन्होंने कहा कि स्कूल बंद रहेंगे। मरम्मत में समय लगेगा।", 3),
    # Lao has no sentence mark of its own and no model ships for it: a space between two Lao
    # words ends a sentence, not one before a numeral.
    ("lo", "ລັດຖະບານໄດ້ອະນຸມັດງົບປະມານ 300 ລ້ານກີບ ເພື່ອສ້ອມແປງຖະໜົນ ວຽກຈະເລີ່ມໃນເດືອນໜ້າ", 3),
    ("th", "เอเลนา มาร์โควา ผู้ว่าการภูมิภาค กล่าวว่าการซ่อมแซมจะมีค่าใช้จ่าย 3.5 ล้านยูโร โรงเรียนในเมืองจะปิดจนถึงวันจันทร์", 2),
]


@pytest.mark.parametrize(("lang", "text", "count"), SCRIPT_CASES, ids=[c[0] for c in SCRIPT_CASES])
def test_sentence_ends_of_other_scripts(lang, text, count):
    sentences, skipped = segment(text, lang)
    assert len(sentences) == count
    assert_well_formed(text, sentences, skipped)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("hi", "डॉ. शर्मा ने कहा कि स्कूल बंद रहेंगे।"),
        ("vi", "TP. Hồ Chí Minh có mưa lớn."),
        ("sw", "Dkt. Juma alisema hivyo."),
        ("es", "La Dra. López respondió a EE. UU. ayer."),
        ("pt", "A Dra. Costa também falou."),
        ("el", "Η κ. Μάρκοβα είπε ότι το κόστος είναι 3,5 εκατ. ευρώ."),
    ],
)
def test_titles_and_abbreviations_of_more_languages_do_not_end_sentences(lang, text):
    assert texts(text, lang) == [text]


def test_a_quotation_in_a_cyrillic_article_is_split_into_its_sentences():
    """sentencex keeps a quotation open to its closing mark; a full stop before a capital of
    any cased script ends a sentence inside it (a Ukrainian article of the WMT22 rewrites)."""
    text = (
        'Пряма мова: "Маріуполь – це, знаєте, серце цієї війни на сьогодні. Воно б’ється – ми воюємо, '
        "ми міцні. Якщо воно перестане битися – у нас будуть більш слабкі позиції. Існує загроза."
        '". Деталі: Зеленський також сказав це.'
    )
    assert [s.text for s in segment(text, "uk")[0]] == [
        'Пряма мова: "Маріуполь – це, знаєте, серце цієї війни на сьогодні.',
        "Воно б’ється – ми воюємо, ми міцні.",
        "Якщо воно перестане битися – у нас будуть більш слабкі позиції.",
        'Існує загроза.".',
        "Деталі: Зеленський також сказав це.",
    ]


def test_thai_without_pythainlp_warns_and_still_segments(monkeypatch):
    # pythainlp is the `thai` extra: without it each space between Thai words ends a sentence
    # (a clause, often), and a warning names the extra, never a silent loss.
    from crosswire.text import segment as segment_module

    text = SCRIPT_CASES[-1][1]
    monkeypatch.setitem(sys.modules, "pythainlp", None)
    monkeypatch.setitem(sys.modules, "pythainlp.tokenize", None)
    segment_module._thai_sentences.cache_clear()
    try:
        with pytest.warns(segment_module.ThaiSentencesWarning, match=r"crosswire\[thai\]"):
            sentences, skipped = segment(text, "th")
    finally:
        segment_module._thai_sentences.cache_clear()
    assert [s.text for s in sentences] == [
        "เอเลนา",
        "มาร์โควา",
        "ผู้ว่าการภูมิภาค",
        "กล่าวว่าการซ่อมแซมจะมีค่าใช้จ่าย 3.5 ล้านยูโร",
        "โรงเรียนในเมืองจะปิดจนถึงวันจันทร์",
    ]
    assert_well_formed(text, sentences, skipped)
