"""Date extraction: "2023-01-31" = "Selasa (31/1/2023)" = "31 January 2023".

Month names come from CLDR via babel for the article's language (wide and
abbreviated, format and stand-alone forms, so Russian genitive "января" is
covered), plus English, which news in every language quotes. A date may be
partial ("31 January", "January 2023"); partial dates match full ones that
agree on every part they state.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

from ..model import Fact


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None

    @property
    def iso(self) -> str:
        """ISO 8601 where complete; unknown parts as "??" ("????-01-31")."""
        y = f"{self.year:04d}" if self.year else "????"
        m = f"{self.month:02d}" if self.month else "??"
        d = f"{self.day:02d}" if self.day else "??"
        return f"{y}-{m}-{d}" if self.day else f"{y}-{m}"

    def as_fact(self) -> Fact:
        return Fact("date", self.start, self.end, self.text, self.iso)

    def agrees_with(self, other: "DateMention") -> bool:
        return all(
            x is None or y is None or x == y
            for x, y in ((self.year, other.year), (self.month, other.month), (self.day, other.day))
        )


# Syrian, Lebanese, Jordanian and Iraqi news name the months in their Syriac-derived forms,
# which CLDR's Arabic does not list ("٥ آذار ٢٠٢٤" = "٥ مارس ٢٠٢٤").
_LEVANTINE_MONTHS = {
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "تشرين الأول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
}


@functools.lru_cache(maxsize=64)
def month_names(lang: str) -> dict[str, int]:
    names: dict[str, int] = dict(_LEVANTINE_MONTHS) if lang == "ar" else {}
    for code in {lang, "en"}:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    key = name.lower().rstrip(".")
                    if len(key) >= 3 and not key.isdigit():
                        names[key] = number
    return names


@functools.lru_cache(maxsize=64)
def _month_regex(lang: str) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(n) for n in month_names(lang)), key=len, reverse=True))
    # Hebrew writes "in" as a prefix of the month: "ב-5 במרץ 2024".
    if lang == "he":
        alternatives = f"(?:[בל]-?)?(?:{alternatives})"
    day = r"(?P<d1>\d{1,2})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?"
    year = r"(?:,?\s+(?:de\s+)?(?P<y>\d{4}))?"
    return re.compile(
        rf"(?<!\w)(?:{day}(?P<m1>{alternatives})\.?{year}"
        rf"|(?P<m2>{alternatives})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
        rf"|(?P<m3>{alternatives})\.?\s+(?P<y3>\d{{4}}))(?!\w)",
        re.IGNORECASE,
    )


_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\d])")
_CJK = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")
# Japanese official and much news text counts years by era: 令和6年 = 2024, 元年 its first year.
_JAPANESE_ERA = re.compile(r"(令和|平成)(\d{1,2}|元)年(\d{1,2})月(?:(\d{1,2})日)?")
_ERA_START = {"令和": 2019, "平成": 1989}
# Korean writes the same units in Hangul, with spaces between them: "2023년 1월 31일".
_KOREAN = re.compile(r"(?:(\d{4})년\s?)?(\d{1,2})월(?:\s?(\d{1,2})일)?")
# Vietnamese numbers its months: "ngày 5 tháng 3 năm 2024", "5 tháng 3".
_VIETNAMESE = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,)\s*(\d{4}))?", re.IGNORECASE)
# Languages that write numeric dates month first.
_MONTH_FIRST = {"en"}
# Thai news counts years in the Buddhist Era, 543 years ahead (2567 BE = 2024 CE).
BUDDHIST_ERA_OFFSET = 543
_BUDDHIST_ERA_LANGS = {"th"}
# A Buddhist Era year in the range of news: 2400 BE is 1857 CE, well before any Thai press
# dates a story; no Common Era year in news reaches it.
_BUDDHIST_ERA_FROM = 2400


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if not month or not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        datetime.date(year or 2000, month, day)  # 2000 is a leap year: admits 29 Feb
    except ValueError:
        return False
    return True


# Every date pattern above holds a digit (\d, of any script): most sentences have none.
_DIGIT = re.compile(r"\d")


def find_dates(text: str, lang: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    end = len(text) if end is None else end
    if not _DIGIT.search(text, start, end):
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, y: int | None, m: int | None, d: int | None) -> None:
        if y and lang in _BUDDHIST_ERA_LANGS and y >= _BUDDHIST_ERA_FROM:
            y -= BUDDHIST_ERA_OFFSET
        if _valid(y, m, d) and not any(s < te and ts < e for ts, te in taken):
            found.append(DateMention(s, e, text[s:e], y, m, d))
            taken.append((s, e))

    for match in _ISO.finditer(text, start, end):
        add(match.start(), match.end(), int(match[1]), int(match[2]), int(match[3]))
    for match in _NUMERIC.finditer(text, start, end):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        day, month = (second, first) if lang in _MONTH_FIRST and first <= 12 and match[2] == "/" else (first, second)
        if not _valid(year, month, day):
            day, month = month, day
        add(match.start(), match.end(), year, month, day)
    if lang == "ja":
        for match in _JAPANESE_ERA.finditer(text, start, end):
            year = _ERA_START[match[1]] + (0 if match[2] == "元" else int(match[2]) - 1)
            add(match.start(), match.end(), year, int(match[3]), int(match[4]) if match[4] else None)
    if lang in {"ja", "zh", "ko"}:
        for pattern in (_CJK, _KOREAN) if lang == "ko" else (_CJK,):
            for match in pattern.finditer(text, start, end):
                cjk_year = int(match[1]) if match[1] else None
                add(match.start(), match.end(), cjk_year, int(match[2]), int(match[3]) if match[3] else None)
    if lang == "vi":
        for match in _VIETNAMESE.finditer(text, start, end):
            add(match.start(), match.end(), int(match[3]) if match[3] else None, int(match[2]), int(match[1]))
    months = month_names(lang)
    for match in _month_regex(lang).finditer(text, start, end):
        name = (match["m1"] or match["m2"] or match["m3"]).lower().rstrip(".")
        if lang == "he" and name not in months:
            name = name.lstrip("בל-")
        day_text = match["d1"] or match["d2"]
        year_text = match["y"] or match["y2"] or match["y3"]
        add(
            match.start(),
            match.end(),
            int(year_text) if year_text else None,
            months.get(name),
            int(day_text) if day_text else None,
        )
    return sorted(found, key=lambda d: d.start)


def parse_iso(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 date or date and time ("Z" read as UTC); None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def iso_datetime(value: str | None) -> str | None:
    """An article's date as ISO 8601: a date alone stays a date; a time keeps its offset when it
    has one (a time without one is local to the article, and is left without)."""
    parsed = parse_iso(value)
    if value is None or parsed is None:
        return None
    if len(value.strip()) <= len("2024-01-31"):
        return parsed.date().isoformat()
    return parsed.isoformat()
