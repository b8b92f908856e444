"""Locale-aware number extraction (crosswire.text.numbers)."""

from decimal import Decimal

import pytest

from crosswire.text.numbers import find_numbers, parse_numeral, same_number

# (text, lang, expected numbers as (text, value, scale, percent))
CASES = [
    # One quantity, four spellings.
    ("2,500", "en", [("2,500", "2500", 1, False)]),
    ("2.500", "id", [("2.500", "2500", 1, False)]),
    ("2.500", "de", [("2.500", "2500", 1, False)]),
    ("2 500", "fr", [("2 500", "2500", 1, False)]),
    ("2\u00a0500", "fr", [("2\u00a0500", "2500", 1, False)]),
    ("2\u202f500", "fr", [("2\u202f500", "2500", 1, False)]),
    # Two different separators settle which one is the decimal mark.
    ("26.469,89", "de", [("26.469,89", "26469.89", 1, False)]),
    ("26.469,89", "fr", [("26.469,89", "26469.89", 1, False)]),
    ("26 469,89", "ru", [("26 469,89", "26469.89", 1, False)]),
    ("26\u00a0469,89", "ru", [("26\u00a0469,89", "26469.89", 1, False)]),
    # A repeated separator always groups.
    ("1,234,567", "en", [("1,234,567", "1234567", 1, False)]),
    ("1.234.567", "de", [("1.234.567", "1234567", 1, False)]),
    ("1 234 567", "fr", [("1 234 567", "1234567", 1, False)]),
    # Decimal marks.
    ("12.5", "en", [("12.5", "12.5", 1, False)]),
    ("12,5", "de", [("12,5", "12.5", 1, False)]),
    # Percentages.
    ("10%", "en", [("10", "10", 1, True)]),
    ("0,68 %", "fr", [("0,68", "0.68", 1, True)]),
    ("16 pour cent", "fr", [("16", "16", 1, True)]),
    ("sekitar 10% dari", "id", [("10", "10", 1, True)]),
    ("12,5 Prozent", "de", [("12,5", "12.5", 1, True)]),
    # Scale words are kept apart from the value.
    ("1,9 Milliarden", "de", [("1,9", "1.9", 10**9, False)]),
    ("1.9 billion", "en", [("1.9", "1.9", 10**9, False)]),
    ("1,5 million", "fr", [("1,5", "1.5", 10**6, False)]),
    ("1,2 млрд", "ru", [("1,2", "1.2", 10**9, False)]),
    ("$2.5bn", "en", [("2.5", "2.5", 10**9, False)]),
    # CJK multipliers bound to the numeral are applied.
    ("4万", "ja", [("4万", "40000", 1, False)]),
    ("4万", "zh", [("4万", "40000", 1, False)]),
    ("100万人", "ja", [("100万", "1000000", 1, False)]),
    ("3億", "ja", [("3億", "300000000", 1, False)]),
    ("3,000台", "ja", [("3,000", "3000", 1, False)]),
    # Digits glued to letters are names, not numbers; after a hyphen they are numbers.
    ("Mavix2", "en", []),
    ("G7 summit", "en", []),
    ("Covid-19", "en", [("19", "19", 1, False)]),
    # Signs, and punctuation after the numeral.
    ("−5 °C", "en", [("−5", "-5", 1, False)]),
    ("It cost 2,500.", "en", [("2,500", "2500", 1, False)]),
    ("in 2014, the", "en", [("2014", "2014", 1, False)]),
    ("no digits at all", "en", []),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES, ids=[f"{c[1]}:{c[0]}" for c in CASES])
def test_find_numbers(text, lang, expected):
    found = find_numbers(text, lang)
    got = [(n.text, n.value, n.scale, n.percent) for n in found]
    assert got == [(t, Decimal(v), s, p) for t, v, s, p in expected]
    for n in found:
        assert text[n.start : n.end] == n.text


@pytest.mark.parametrize(
    ("raw", "lang"),
    [("2,500", "en"), ("2.500", "id"), ("2.500", "de"), ("2 500", "fr"), ("2\u00a0500", "fr"), ("2\u202f500", "fr")],
)
def test_one_quantity_many_spellings(raw, lang):
    assert parse_numeral(raw, lang) == Decimal(2500)


@pytest.mark.parametrize(
    ("raw", "lang", "value"),
    [
        ("26.469,89", "de", "26469.89"),
        ("26.469,89", "fr", "26469.89"),
        ("26 469,89", "ru", "26469.89"),
        ("1,234,567", "en", "1234567"),
        ("2,5", "id", "2.5"),  # Indonesian decimal comma
        ("0.68", "en", "0.68"),
        ("-3", "en", "-3"),
    ],
)
def test_parse_numeral(raw, lang, value):
    assert parse_numeral(raw, lang) == Decimal(value)


@pytest.mark.parametrize(("raw", "lang"), [("1.2.3", "en"), ("1,2,3", "en"), ("12 34", "fr"), ("1.23,4", "de")])
def test_parse_numeral_rejects_malformed(raw, lang):
    assert parse_numeral(raw, lang) is None


def test_offsets_inside_a_window():
    text = "Seit 2014 kamen 2.500 Drohnen, also 1,9 Milliarden Euro."
    start = text.index("kamen")
    found = find_numbers(text, "de", start, len(text))
    assert [n.text for n in found] == ["2.500", "1,9"]
    assert all(text[n.start : n.end] == n.text for n in found)


def test_same_number_across_scale_words():
    (billion,) = find_numbers("1.9 billion", "en")
    (millions,) = find_numbers("1 900 millions", "fr")
    (milliarden,) = find_numbers("1,9 Milliarden", "de")
    assert same_number(billion, milliarden)
    assert same_number(billion, millions)
    (other,) = find_numbers("2.1 billion", "en")
    assert not same_number(billion, other)


def test_same_number_across_locales():
    (en,) = find_numbers("2,500", "en")
    (idn,) = find_numbers("2.500", "id")
    (fr,) = find_numbers("2\u202f500", "fr")
    assert same_number(en, idn) and same_number(en, fr)


def test_year_followed_by_count_keeps_both_numbers():
    assert [n.value for n in find_numbers("In 2014 300 soldiers died", "en")] == [2014, 300]


@pytest.mark.parametrize(
    ("text", "lang", "value"), [("više od 380 000 stanovnika", "hr", 380000), ("১ ০০০ জন", "bn", 1000)]
)
def test_a_space_groups_digits_where_a_part_starts_with_zero(text, lang, value):
    # Croatian's CLDR group mark is ".", but news writes "380 000"; "000" is no number of its own.
    assert [n.value for n in find_numbers(text, lang)] == [value]


def test_fullwidth_grouped_numeral():
    assert [n.value for n in find_numbers("２，５００台", "ja")] == [2500]


# Other scripts and numbering systems (tests/test_compare_scripts.py runs them through compare).
SCRIPT_CASES = [
    # Arabic-Indic and Persian digits, with Arabic's own group "٬" and decimal "٫" marks and percent sign.
    ("١٢٬٥٠٠ شخص", "ar", [("١٢٬٥٠٠", "12500", 1, False)]),
    ("٣٫٥ مليون يورو", "ar", [("٣٫٥", "3.5", 10**6, False)]),
    ("إلى ٨٥٪ من المنازل", "ar", [("٨٥", "85", 1, True)]),
    ("۱۲٬۵۰۰ نفر", "fa", [("۱۲٬۵۰۰", "12500", 1, False)]),
    ("۳٫۵ میلیون یورو", "fa", [("۳٫۵", "3.5", 10**6, False)]),
    ("۸۵ درصد خانوارها", "fa", [("۸۵", "85", 1, True)]),
    # Devanagari digits; Indian grouping in lakhs; lakh and crore as scale words.
    ("१२,५०० लोग", "hi", [("१२,५००", "12500", 1, False)]),
    ("1,00,000 रुपये", "hi", [("1,00,000", "100000", 1, False)]),
    ("12,34,567 votes", "en", [("12,34,567", "1234567", 1, False)]),
    ("35 लाख यूरो", "hi", [("35", "35", 10**5, False)]),
    ("2 करोड़ लोग", "hi", [("2", "2", 10**7, False)]),
    ("85 प्रतिशत", "hi", [("85", "85", 1, True)]),
    # Thai digits, and a Thai scale word glued to the next word.
    ("๑๒,๕๐๐ คน", "th", [("๑๒,๕๐๐", "12500", 1, False)]),
    ("3.5 ล้านยูโร", "th", [("3.5", "3.5", 10**6, False)]),
    # Lao writes no spaces either: a numeral right after a Lao letter, the scale word glued on.
    ("ງົບປະມານ300ລ້ານກີບ", "lo", [("300", "300", 10**6, False)]),
    # Chinese and Japanese: a numeral right after a Han character or a full-width comma,
    # multipliers stacked ("万亿") or followed by a smaller numeral ("1万2500").
    ("耗资350万欧元", "zh", [("350万", "3500000", 1, False)]),
    ("破坏，1.25万人", "zh", [("1.25万", "12500", 1, False)]),
    ("1.2万亿元", "zh", [("1.2万亿", "1200000000000", 1, False)]),
    # Chinese news spaces digits off from Han characters: the multiplier still applies.
    ("近 300 万的选民", "zh", [("300 万", "3000000", 1, False)]),
    ("兵力多达 17.5 万。", "zh", [("17.5 万", "175000", 1, False)]),
    ("2015 年 3 月", "zh", [("2015", "2015", 1, False), ("3", "3", 1, False)]),
    ("1万2500人", "ja", [("1万2500", "12500", 1, False)]),
    ("3億5000万円", "ja", [("3億5000万", "350000000", 1, False)]),
    # Chinese names a decade by its century: the 80s of the 19th century are the 1880s.
    ("19 世纪 80 年代的纽约", "zh", [("19 世纪 80 年代", "1880", 1, False)]),
    ("20世纪初", "zh", [("20", "20", 1, False)]),
    # Korean writes the same multipliers in Hangul, often with a space before the smaller part.
    ("350만 유로", "ko", [("350만", "3500000", 1, False)]),
    ("1만 2500명", "ko", [("1만 2500", "12500", 1, False)]),
    ("2억 명", "ko", [("2억", "200000000", 1, False)]),
    # Scale words of Cyrillic, Greek, Vietnamese, Hebrew; Swahili puts its own before the number.
    ("3,5 млн євро", "uk", [("3,5", "3.5", 10**6, False)]),
    ("2 мільярди", "uk", [("2", "2", 10**9, False)]),
    ("3,5 εκατ. ευρώ", "el", [("3,5", "3.5", 10**6, False)]),
    ("3,5 triệu euro", "vi", [("3,5", "3.5", 10**6, False)]),
    ("3.5 מיליון אירו", "he", [("3.5", "3.5", 10**6, False)]),
    ("euro milioni 3.5", "sw", [("3.5", "3.5", 10**6, False)]),
    # Percent before the number: Turkish "%85", Swahili "asilimia 85".
    ("hanelerin %85'ine", "tr", [("85", "85", 1, True)]),
    ("asilimia 85 ya kaya", "sw", [("85", "85", 1, True)]),
    # Spanish and Portuguese style guides group with a space; a year before a count stays apart.
    ("12 500 personas", "es", [("12 500", "12500", 1, False)]),
    ("en 2014 300 soldados", "es", [("2014", "2014", 1, False), ("300", "300", 1, False)]),
    ("En 2014 300 soldats", "fr", [("2014", "2014", 1, False), ("300", "300", 1, False)]),
    # Persian writes a decimal slash; a date's two slashes stay a date's.
    ("۳/۵ میلیون یورو", "fa", [("۳/۵", "3.5", 10**6, False)]),
    (
        "در ۱۴۰۳/۰۱/۱۵ و ۲۵ نفر",
        "fa",
        [("۱۴۰۳", "1403", 1, False), ("۰۱", "1", 1, False), ("۱۵", "15", 1, False), ("۲۵", "25", 1, False)],
    ),
    # Devanagari nukta letters precomposed or as two characters are one scale word.
    ("2 \u0915\u0930\u094b\u095c", "hi", [("2", "2", 10**7, False)]),
    # Scale words come from CLDR's compact number formats of the article's language: Bengali and
    # Urdu thousands, lakhs and crores, Zulu millions, Thai and Spanish words of several parts.
    ("৫০ হাজার মানুষ", "bn", [("৫০", "50", 10**3, False)]),
    ("২ কোটি টাকা", "bn", [("২", "2", 10**7, False)]),
    ("۲۵ ہزار افراد", "ur", [("۲۵", "25", 10**3, False)]),
    ("abantu abayi-5 isigidi", "zu", [("5", "5", 10**6, False)]),
    ("2 พันล้านบาท", "th", [("2", "2", 10**9, False)]),
    ("3 mil millones de euros", "es", [("3", "3", 10**9, False)]),
    ("2 mil personas", "es", [("2", "2", 10**3, False)]),
    ("50 हजार लोग", "hi", [("50", "50", 10**3, False)]),  # CLDR writes हज़ार, news often without the nukta
    # ... and mean what they mean there: Croatian "mil." is a million, a French billion 10^12.
    ("2 mil. kuna", "hr", [("2", "2", 10**6, False)]),
    ("1 billion d'euros", "fr", [("1", "1", 10**12, False)]),
    ("a 5 km run", "en", [("5", "5", 1, False)]),
]


@pytest.mark.parametrize(("text", "lang", "expected"), SCRIPT_CASES, ids=[f"{c[1]}:{c[0]}" for c in SCRIPT_CASES])
def test_find_numbers_in_other_scripts(text, lang, expected):
    test_find_numbers(text, lang, expected)


def test_a_billion_is_the_amount_the_language_means():
    (french,) = find_numbers("1 billion", "fr")
    (trillion,) = find_numbers("1 trillion", "en")
    (milliard,) = find_numbers("1 000 milliards", "fr")
    assert french.scale == 10**12 and same_number(french, trillion) and same_number(milliard, trillion)


def test_lakh_and_million_are_the_same_amount():
    (lakh,) = find_numbers("35 लाख", "hi")
    (million,) = find_numbers("3.5 million", "en")
    assert same_number(lakh, million)
