"""Date extraction (crosswire.text.dates)."""

import pytest

from crosswire.text.dates import find_dates

SAME_DAY = [
    ("2023-01-31", "en", "2023-01-31"),
    ("Selasa (31/1/2023)", "id", "31/1/2023"),
    ("31 January 2023", "en", "31 January 2023"),
    ("January 31, 2023", "en", "January 31, 2023"),
    ("1/31/2023", "en", "1/31/2023"),
    ("31. Januar 2023", "de", "31. Januar 2023"),
    ("31.01.2023", "de", "31.01.2023"),
    ("le 31 janvier 2023", "fr", "31 janvier 2023"),
    ("31 de enero de 2023", "es", "31 de enero de 2023"),
    ("31 Januari 2023", "id", "31 Januari 2023"),
    ("31 января 2023", "ru", "31 января 2023"),
    ("31 янв. 2023", "ru", "31 янв. 2023"),
    ("2023年1月31日", "ja", "2023年1月31日"),
    ("2023年1月31日", "zh", "2023年1月31日"),
]


@pytest.mark.parametrize(("text", "lang", "span"), SAME_DAY, ids=[f"{c[1]}:{c[0]}" for c in SAME_DAY])
def test_same_day_in_many_spellings(text, lang, span):
    (date,) = find_dates(text, lang)
    assert date.iso == "2023-01-31"
    assert date.text == span
    assert text[date.start : date.end] == date.text


def test_date_inside_a_sentence_has_offsets():
    text = "After President Vladimir Putin ordered soldiers into Ukraine on February 24, 2022, the group grew."
    (date,) = find_dates(text, "en")
    assert date.iso == "2022-02-24"
    assert text[date.start : date.end] == "February 24, 2022"


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("25 juin", "fr", "????-06-25"),
        ("May 2020", "en", "2020-05"),
        ("Mei 2023", "id", "2023-05"),
        ("2023年1月", "ja", "2023-01"),
        ("1月31日", "ja", "????-01-31"),
    ],
)
def test_partial_dates(text, lang, iso):
    (date,) = find_dates(text, lang)
    assert date.iso == iso


def test_partial_date_agrees_with_full_date():
    (partial,) = find_dates("le 25 juin", "fr")
    (full,) = find_dates("2020-06-25", "en")
    assert partial.agrees_with(full) and full.agrees_with(partial)
    (other_day,) = find_dates("2020-06-26", "en")
    assert not partial.agrees_with(other_day)
    (other_month,) = find_dates("25 juillet", "fr")
    assert not other_month.agrees_with(full)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("35. Juli", "de"),  # no 35th day
        ("29 February 2023", "en"),  # not a leap year
        ("in May they met", "en"),  # a month alone is not a date
        ("2023-13-01", "en"),
        ("31/13/2023", "id"),
        ("", "en"),
    ],
)
def test_not_a_date(text, lang):
    assert find_dates(text, lang) == []


def test_window_limits_search():
    text = "On 31 January 2023 they met; on 1 February 2023 they left."
    start = text.index(";")
    assert [d.iso for d in find_dates(text, "en", start)] == ["2023-02-01"]


def test_dates_come_back_in_text_order():
    text = "Tuesday (31/1/2023) follows 2023-01-30 and precedes 1 Februari 2023."
    assert [d.iso for d in find_dates(text, "id")] == ["2023-01-31", "2023-01-30", "2023-02-01"]


def test_korean_date():
    (date,) = find_dates("2023년 1월 31일", "ko")
    assert date.iso == "2023-01-31"


def test_korean_month_and_day_without_year():
    (date,) = find_dates("지난 3월 5일 발표했다", "ko")
    assert (date.month, date.day, date.year) == (3, 5, None)


# One date, as news in other languages and scripts writes it.
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("เมื่อวันที่ 5 มีนาคม 2567 ความเสียหาย", "th"),  # Buddhist Era year
        ("לעזוב את בתיהם ב-5 במרץ 2024.", "he"),  # "in" glued to the month
        ("Ngày 5 tháng 3 năm 2024, thiệt hại", "vi"),  # numbered months
        ("في ٥ آذار ٢٠٢٤", "ar"),  # Levantine month name, Arabic-Indic digits
        ("في ٥ مارس ٢٠٢٤", "ar"),
        ("در ۵ مارس ۲۰۲۴", "fa"),  # Persian digits
        ("5 मार्च 2024 को", "hi"),
        ("5 марта 2024 года", "ru"),  # genitive month
        ("5 березня 2024 року", "uk"),
        ("στις 5 Μαρτίου 2024", "el"),
        ("tarehe 5 Machi 2024", "sw"),
        ("5 Mart 2024'te", "tr"),
        ("2024年3月5日", "zh"),
        ("2024年3月5日", "ja"),
    ],
)
def test_dates_in_other_scripts(text, lang):
    (date,) = find_dates(text, lang)
    assert date.iso == "2024-03-05"
    assert text[date.start : date.end] == date.text


def test_levantine_month_of_two_words():
    (date,) = find_dates("في ١ تشرين الثاني ٢٠٢٣", "ar")
    assert date.iso == "2023-11-01"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("令和6年3月5日", "2024-03-05"), ("令和元年5月1日", "2019-05-01"), ("平成31年4月30日", "2019-04-30")],
)
def test_japanese_era_years(text, iso):
    (date,) = find_dates(text, "ja")
    assert (date.iso, date.text) == (iso, text)
