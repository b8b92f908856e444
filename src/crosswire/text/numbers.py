"""Locale-aware number extraction: "2,500" (en) = "2.500" (id, de) = "2 500" (fr).

Which separator is the decimal mark comes from the language's CLDR number
symbols (via babel). A lone separator followed by exactly three digits is read
as a thousands separator when it is the language's group symbol, otherwise as a
decimal mark; two different separators settle it ("26.469,89" = 26469.89), and
a repeated separator is always grouping ("1.234.567").

Scale words ("million", "Milliarden", "juta", "млн", "লাখ") are kept apart in
`Number.scale`, with the power of ten they have in the article's language (CLDR's
compact number formats: a French "billion" is 10^12); the plain value is compared
first, so a translation that keeps "billion" is not read as a change. CJK
multipliers bound to the numeral ("4万") are applied.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable
from decimal import Decimal, InvalidOperation

import regex
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from ..model import Fact
from .scripts import JOINING_LETTERS, joins_words

_SPACES = "\u00a0\u202f\u2009 "
# In scripts written without spaces (and Hangul) a numeral may follow a letter directly
# ("耗资350万", "年3月"), so there a preceding letter does not glue the digits into a name.
# A numeral: digits (any script's: Arabic-Indic, Persian, Devanagari, Thai) with optional inner
# separators, "٫" and "٬" being Arabic's own decimal and group marks; not glued to a preceding
# letter ("Mavix2", "G7" are names, not numbers), nor the tail of a longer numeral.
_NUMERAL = re.compile(
    rf"(?<![^\W\d_{JOINING_LETTERS}])(?<![\d.,٫٬])(?<!\d[，．])[-−–]?\d"
    r"(?:[\d]|[.,，．٫٬'’\u00a0\u202f\u2009 ](?=\d))*"
)
# CLDR gives "." as the group mark, but the RAE and Portuguese style guides group with a space.
_SPACE_GROUPING_TOO = {"es", "pt"}
# Persian writes the decimal mark as a slash ("۳/۵ میلیون" = 3.5 million); two slashes make a
# date ("۱۴۰۳/۰۱/۱۵"), which the lookarounds leave alone.
_SLASH_DECIMAL_LANGS = {"fa"}
_SLASH_DECIMAL = re.compile(r"(?<![\d/])\d{1,3}/\d{1,2}(?![\d/])")
_DIGIT = re.compile(r"\d")
# Full-width marks in CJK text ("２，５００") read as their ASCII forms, one character for one.
_FULL_WIDTH_MARKS = str.maketrans("，．", ",.")
ARABIC_DECIMAL, ARABIC_GROUP = "٫", "٬"
_PERCENT = regex.compile(
    r"\s?(%|％|٪|pour\s?cent|per\s?cent|percent|prozent|persen|por\s?ciento|per\s?cento|procent|процент\w*|відсот\w*"
    r"|درصد|في\s?المئة|في\s?المائة|بالمئة|بالمائة|प्रतिशत|phần\s?trăm|τοις\s?εκατό|אחוז|เปอร์เซ็นต์)",
    regex.I,
)
# Percent written before the number: Turkish "%85", Swahili "asilimia 85".
_PERCENT_BEFORE = regex.compile(r"(?:[%٪]|asilimia\s)$", regex.I)
# Multipliers bound to the numeral in Chinese, Japanese and Korean ("4万", "350만", "1.2万亿").
_CJK_MULTIPLIER = {
    "万": 10_000,
    "萬": 10_000,
    "億": 100_000_000,
    "亿": 100_000_000,
    "兆": 10**12,
    "千": 1_000,
    "百": 100,
    "만": 10_000,
    "억": 100_000_000,
    "조": 10**12,
    "천": 1_000,
}
# Scale words are read from CLDR's compact number formats for the article's language and its
# regional variants ("0 million", "0 Mio'.'", "0 lakh", "elfu 0", "0 พันล้าน"): one language's
# "billion" is another's thousand million (French, German: 10^12), Croatian "mil." is a million,
# Spanish "mil millones" a thousand million. These are forms news writes that CLDR's compact
# formats leave out (a plural, a variant spelling, an abbreviation).
_MORE_SCALE_WORDS = {
    "en": {"m": 10**6, "bn": 10**9, "lakhs": 10**5, "crores": 10**7},
    "el": {"χιλιάδες": 10**3, "εκατ": 10**6, "δισ": 10**9},
    "vi": {"ngàn": 10**3, "tỉ": 10**9},
    "he": {"אלפים": 10**3},
    "ar": {"مليارات": 10**9},
    "it": {"mille": 10**3},
}
# A compact format: a word before or after a run of zeros ("0 thousand", "elfu 0", "0\xa0тыс'.'").
_COMPACT_FORMAT = re.compile(r"(\D*?)\s*(0+)\s*(\D*)")
_QUOTES_AND_MARKS = re.compile(r"['\u200e\u200f\u061c]")
MIN_SCALE_WORD_LETTERS = 2  # "K", "M", "B" of the short formats are units and initials too


@functools.lru_cache(maxsize=128)
def scale_words(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    """The scale words of `lang`, casefolded and NFC: (those written after the number, those
    written before it, as Swahili writes "milioni 3.5") -> the power of ten they stand for."""
    from babel.localedata import load, locale_identifiers

    after: dict[str, int] = dict(_MORE_SCALE_WORDS.get(lang, {}))
    before: dict[str, int] = {}
    try:
        every_format = [Locale.parse(lang).compact_decimal_formats]
    except (UnknownLocaleError, ValueError):
        every_format = []
    # A regional variant's own data only (what it changes: en_IN's lakh and crore): merging in
    # what each of English's hundred variants inherits took 60 ms, a twentieth of a cold start.
    for identifier in (i for i in locale_identifiers() if i.startswith(lang + "_")):
        every_format.append(load(identifier, merge_inherited=False).get("compact_decimal_formats", {}))
    for formats in every_format:
        for kind in ("long", "short"):
            for by_magnitude in formats.get(kind, {}).values():
                for magnitude, pattern in by_magnitude.items():
                    found = _COMPACT_FORMAT.fullmatch(_QUOTES_AND_MARKS.sub("", pattern.pattern.split(";")[0]).strip())
                    if not found:
                        continue
                    scale = int(magnitude) // 10 ** (len(found.group(2)) - 1)
                    for word, table in ((found.group(3), after), (found.group(1), before)):
                        key = unicodedata.normalize("NFC", " ".join(word.split()).casefold().rstrip("."))
                        if scale >= 1000 and sum(c.isalpha() for c in key) >= MIN_SCALE_WORD_LETTERS:
                            table.setdefault(key, scale)
                            table.setdefault(_without_nukta(key), scale)
    return after, before


# Hindi and Bengali news often leave out the nukta dot ("हजार" for CLDR's "हज़ार").
_NUKTAS = re.compile("[\u093c\u09bc]")


def _without_nukta(word: str) -> str:
    return unicodedata.normalize("NFC", _NUKTAS.sub("", unicodedata.normalize("NFD", word)))


def _phrases(words: Iterable[str]) -> str:
    """An alternation of `words`, longest first ("mil millones" before "mil"), any space inside."""
    return "|".join(r"\s+".join(map(regex.escape, w.split())) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=128)
def _scale_patterns(lang: str) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """Patterns for a scale word right after a numeral and right before one. In a script written
    without spaces the word runs into the next one ("3.5 ล้านยูโร"); elsewhere it ends there."""
    after, before = scale_words(lang)
    end = "" if joins_words(lang) else r"\.?(?![\p{L}\p{M}])"
    return (
        regex.compile(rf"\s?({_phrases(after)}){end}", regex.I) if after else None,
        regex.compile(rf"(?<![\p{{L}}\p{{M}}])({_phrases(before)})\s$", regex.I) if before else None,
    )


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    text: str
    value: Decimal
    scale: int = 1  # a following scale word ("million"), not applied to value
    percent: bool = False

    def as_fact(self) -> Fact:
        return Fact("number", self.start, self.end, self.text, self.value)


@functools.lru_cache(maxsize=64)
def separators(lang: str) -> tuple[str, str]:
    """(decimal mark, group mark) for a language, from CLDR; English's if unknown."""
    try:
        locale = Locale.parse(lang)
        decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        decimal, group = ".", ","
    if group in _SPACES:
        group = " "
    return decimal, group


def parse_numeral(raw: str, lang: str) -> Decimal | None:
    """Read one numeral as a Decimal, or None if it is not a well-formed number."""
    decimal_mark, group_mark = separators(lang)
    sign = -1 if raw[0] in "-−–" else 1
    body = raw.lstrip("-−–")
    for space in _SPACES:
        body = body.replace(space, " ")
    body = body.replace("’", "'").translate(_FULL_WIDTH_MARKS)
    if ARABIC_DECIMAL in body or ARABIC_GROUP in body:
        # Arabic's own marks say which is which, whatever the language ("١٢٬٥٠٠", "٣٫٥").
        integer, _, frac = body.partition(ARABIC_DECIMAL)
        groups = integer.split(ARABIC_GROUP)
        if (
            not all(g.isdigit() for g in groups)
            or any(len(g) != 3 for g in groups[1:])
            or (frac and not frac.isdigit())
        ):
            return None
        digits = "".join(groups)
        return _decimal(sign, digits, frac)
    seps = [c for c in body if not c.isdigit()]
    if not seps:
        digits, frac = body, ""
    else:
        kinds = set(seps)
        if len(kinds) > 1:
            # The last separator is the decimal mark; the rest group thousands.
            last = body.rfind(seps[-1])
            integer, frac = body[:last], body[last + 1 :]
            if seps[-1] in integer:
                return None
            digits = re.sub(r"\D", "", integer)
            groups = re.split(r"\D", integer)
            if any(len(g) != 3 for g in groups[1:]):
                return None
        else:
            sep = seps[0]
            groups = body.split(sep)
            grouping_shape = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
            # Indian grouping: thousands, then lakhs and crores in pairs ("1,00,000", "12,34,567").
            lakh_shape = (
                sep == ","
                and len(groups) > 2
                and len(groups[0]) <= 2
                and all(len(g) == 2 for g in groups[1:-1])
                and len(groups[-1]) == 3
            )
            if sep in " '":
                if not grouping_shape:
                    return None
                digits, frac = "".join(groups), ""
            elif len(groups) > 2:
                if not (grouping_shape or lakh_shape):
                    return None
                digits, frac = "".join(groups), ""
            elif grouping_shape and sep != decimal_mark:
                digits, frac = "".join(groups), ""
            else:
                digits, frac = groups
    return _decimal(sign, digits, frac)


def _decimal(sign: int, digits: str, frac: str) -> Decimal | None:
    try:
        return sign * Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation:
        return None


def find_numbers(text: str, lang: str, start: int = 0, end: int | None = None) -> list[Number]:
    """All numbers in text[start:end], with offsets into `text`."""
    end = len(text) if end is None else end
    if not _DIGIT.search(text, start, end):
        return []  # both numeral patterns start with a digit (\d, of any script)
    found: list[Number] = []
    consumed = start  # a compound CJK numeral ("1万2500") takes the numerals after its multiplier
    if lang in _SLASH_DECIMAL_LANGS:
        for match in _SLASH_DECIMAL.finditer(text, start, end):
            integer, frac = match.group().split("/")
            value = _decimal(1, integer, frac)
            if value is not None:
                found.append(_scaled(text, match.start(), match.end(), value, lang, end))
    slash_spans = [(n.start, n.end) for n in found]
    for match in _NUMERAL.finditer(text, start, end):
        if match.start() < consumed or any(s <= match.start() < e for s, e in slash_spans):
            continue
        raw = match.group().rstrip(" '’\u00a0\u202f\u2009.,，．٫٬")
        # A space only groups digits in languages whose group mark is a space, or whose
        # academies recommend one (Spanish, Portuguese: "12 500"), or where a part after a
        # space starts with a zero and so is no number of its own (Croatian "380 000", though
        # CLDR gives "." as its group mark); and only in the shape of groups. Otherwise the
        # parts are numbers of their own ("In 2014 300 soldiers died").
        space_groups = separators(lang)[1] == " " or lang in _SPACE_GROUPING_TOO or _zero_led_part(raw)
        if " " in raw and (not space_groups or parse_numeral(raw, lang) is None):
            offset = match.start()
            for part in raw.split(" "):
                found.append(_number(text, offset, part, lang, end))
                offset += len(part) + 1
        else:
            found.append(_number(text, match.start(), raw, lang, end))
        consumed = found[-1].end
    return _with_decades(sorted(found, key=lambda n: n.start), text, start, end)


# Chinese names a decade by its century: "19世纪80年代" (the 80s of the 19th century) is the 1880s.
_CENTURY_DECADE = re.compile(r"(\d{1,2})\s?世[纪紀]\s?([1-9]0)\s?年代")


def _with_decades(numbers: list[Number], text: str, start: int, end: int) -> list[Number]:
    """`numbers` with each decade written by its century read as the decade's first year."""
    for match in _CENTURY_DECADE.finditer(text, start, end):
        s, e = match.span()
        year = Decimal((int(match[1]) - 1) * 100 + int(match[2]))
        numbers = [n for n in numbers if not s <= n.start < e] + [Number(s, e, match.group(), year)]
    return sorted(numbers, key=lambda n: n.start)


def _zero_led_part(raw: str) -> bool:
    """Whether a part of `raw` after a space starts with a zero digit (of any script)."""
    return any(part[:1] and unicodedata.digit(part[0], None) == 0 for part in raw.split(" ")[1:])


def _number(text: str, s: int, raw: str, lang: str, end: int) -> Number:
    """The number written `raw` at text[s:], with CJK multipliers, a percent sign or a scale word
    around it."""
    value = parse_numeral(raw, lang)
    if value is None:
        # Not one well-formed number ("1.2.3"): fall back to its leading run of digits.
        leading = re.match(r"[-−–]?\d+", raw)
        assert leading is not None  # the number pattern that found `raw` starts with a digit run
        raw = leading.group()
        value = parse_numeral(raw, lang)
        assert value is not None  # a run of digits is a numeral
    value, e = _apply_multipliers(text, value, s + len(raw), lang, end)
    return _scaled(text, s, e, value, lang, end)


def _scaled(text: str, s: int, e: int, value: Decimal, lang: str, end: int) -> Number:
    """The number text[s:e] of `value`, with the percent sign or scale word around it."""
    tail = text[e : min(end, e + 24)]
    before = text[max(0, s - 12) : s]
    percent = bool(_PERCENT.match(tail) or _PERCENT_BEFORE.search(before))
    return Number(s, e, text[s:e], value, _scale(tail, before, lang), percent)


def _apply_multipliers(text: str, value: Decimal, e: int, lang: str, end: int) -> tuple[Decimal, int]:
    """Apply the CJK multipliers after text[:e] ("1.2万亿" = 1.2 x 10^12), and add a smaller
    numeral written after the last one ("1万2500" = 12500, Korean "1만 2500")."""
    multiplier, numeral_end = 1, e
    # Chinese news often spaces digits off from Han characters ("300 万", "17.5 万").
    if e + 1 < end and text[e] in _SPACES and text[e + 1] in _CJK_MULTIPLIER:
        e += 1
    while e < end and text[e] in _CJK_MULTIPLIER:
        multiplier *= _CJK_MULTIPLIER[text[e]]
        e += 1
    if multiplier == 1:
        return value, numeral_end
    value *= multiplier
    rest = _NUMERAL.match(text, e + (e < end and text[e] == " "), end)
    if rest:
        addend = parse_numeral(rest.group().rstrip(" .,"), lang)
        if addend is not None and addend > 0 and addend == addend.to_integral():
            smaller, rest_end = _apply_multipliers(
                text, addend, rest.start() + len(rest.group().rstrip(" .,")), lang, end
            )
            if smaller < multiplier:
                return value + smaller, rest_end
    return value, e


def _scale(tail: str, before: str, lang: str) -> int:
    """The scale word of `lang` after the numeral (or before it: Swahili), 1 if none."""
    after_pattern, before_pattern = _scale_patterns(lang)
    after, words_before = scale_words(lang)
    # NFC: Devanagari's nukta letters come precomposed ("ड़", U+095C) or as two characters.
    if after_pattern and (word := after_pattern.match(unicodedata.normalize("NFC", tail))):
        return after.get(" ".join(word.group(1).casefold().split()), 1)
    if before_pattern and (word := before_pattern.search(unicodedata.normalize("NFC", before))):
        return words_before.get(" ".join(word.group(1).casefold().split()), 1)
    return 1


# Numbers that news writes out in words ("three methods", Bengali "ছয় জুলাই"): up to twenty,
# the tens, a hundred and a thousand.
_WORDED_VALUES = (*range(1, 21), *range(30, 100, 10), 100, 1000)


@functools.lru_cache(maxsize=64)
def number_words(lang: str) -> dict[str, int]:
    """Number words of `lang` (num2words, ~50 languages; NFC, as `worded_value` reads words)
    -> value, one word each and two letters or more ("un", "drei", "তিন"): a single Han
    character is part of too many words."""
    from num2words import num2words  # imported here: it loads its ~50 languages' modules

    out: dict[str, int] = {}
    for value in _WORDED_VALUES:
        try:
            word = unicodedata.normalize("NFC", num2words(value, lang=lang).casefold())
        except (NotImplementedError, KeyError, ValueError, TypeError, AttributeError):
            return out
        if " " not in word and "-" not in word and len(word) >= 2:
            out.setdefault(word, value)
    return out


def worded_value(word: str, lang: str) -> int | None:
    """The value of a number word ("three", Bengali "ছয়" in either of Unicode's spellings)."""
    return number_words(lang).get(unicodedata.normalize("NFC", word.casefold()))


def same_number(a: Number, b: Number) -> bool:
    """Equal as written, or equal once scale words are applied ("1.9 billion" = "1 900 millions")."""
    return a.value == b.value or (a.scale != b.scale and a.value * a.scale == b.value * b.scale)
