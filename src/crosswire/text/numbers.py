"""Locale-aware number extraction: "2,500" (en) = "2.500" (id, de) = "2 500" (fr).

Which separator is the decimal mark comes from the language's CLDR number
symbols (via babel). A lone separator followed by exactly three digits is read
as a thousands separator when it is the language's group symbol, otherwise as a
decimal mark; two different separators settle it ("26.469,89" = 26469.89), and
a repeated separator is always grouping ("1.234.567").

Scale words ("million", "Milliarden", "juta", "млн") are kept apart in
`Number.scale`: languages disagree on what "billion" means, so the plain value
is compared first. CJK multipliers bound to the numeral ("4万") are applied.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from ..model import Fact

_SPACES = "\u00a0\u202f\u2009 "
# Letters of scripts written without spaces: a numeral may follow one directly ("耗资350万",
# "年3月"), so there a preceding letter does not glue the digits into a name.
_UNSPACED_LETTERS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
# A numeral: digits (any script's: Arabic-Indic, Persian, Devanagari, Thai) with optional inner
# separators, "٫" and "٬" being Arabic's own decimal and group marks; not glued to a preceding
# letter ("Mavix2", "G7" are names, not numbers), nor the tail of a longer numeral.
_NUMERAL = re.compile(
    rf"(?<![^\W\d_{_UNSPACED_LETTERS}])(?<![\d.,٫٬])(?<!\d[，．])[-−–]?\d"
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
_SCALE_WORDS = {
    "thousand": 10**3,
    "ribu": 10**3,
    "mille": 10**3,
    "tausend": 10**3,
    "mil": 10**3,
    "тыс": 10**3,
    "bin": 10**3,
    "tys": 10**3,
    "тысяч": 10**3,
    "тысячи": 10**3,
    "тис": 10**3,
    "тисяч": 10**3,
    "χιλ": 10**3,
    "χιλιάδες": 10**3,
    "nghìn": 10**3,
    "ngàn": 10**3,
    "हज़ार": 10**3,
    "हजार": 10**3,
    "ألف": 10**3,
    "آلاف": 10**3,
    "هزار": 10**3,
    "אלף": 10**3,
    "אלפים": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "juta": 10**6,
    "millionen": 10**6,
    "mio": 10**6,
    "millón": 10**6,
    "millones": 10**6,
    "milhão": 10**6,
    "milhões": 10**6,
    "milione": 10**6,
    "milioni": 10**6,
    "млн": 10**6,
    "миллион": 10**6,
    "миллиона": 10**6,
    "миллионов": 10**6,
    "milyon": 10**6,
    "miliony": 10**6,
    "milionów": 10**6,
    "milion": 10**6,
    "miliona": 10**6,
    "мільйон": 10**6,
    "мільйона": 10**6,
    "мільйони": 10**6,
    "мільйонів": 10**6,
    "εκατ": 10**6,
    "εκατομμύριο": 10**6,
    "εκατομμύρια": 10**6,
    "triệu": 10**6,
    "مليون": 10**6,
    "ملايين": 10**6,
    "میلیون": 10**6,
    "מיליון": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "miliar": 10**9,
    "milliard": 10**9,
    "milliarden": 10**9,
    "milliarde": 10**9,
    "mrd": 10**9,
    "млрд": 10**9,
    "миллиард": 10**9,
    "миллиарда": 10**9,
    "миллиардов": 10**9,
    "miliardo": 10**9,
    "miliardi": 10**9,
    "milyar": 10**9,
    "mld": 10**9,
    "miliard": 10**9,
    "miliardy": 10**9,
    "miliardów": 10**9,
    "мільярд": 10**9,
    "мільярда": 10**9,
    "мільярди": 10**9,
    "мільярдів": 10**9,
    "δισ": 10**9,
    "δισεκατομμύρια": 10**9,
    "tỷ": 10**9,
    "tỉ": 10**9,
    "مليار": 10**9,
    "مليارات": 10**9,
    "میلیارد": 10**9,
    "מיליארד": 10**9,
    "अरब": 10**9,
    "trillion": 10**12,
    "triliun": 10**12,
    "billionen": 10**12,
    "трлн": 10**12,
    "trilyon": 10**12,
    # Indian numbering: a lakh is 10^5, a crore 10^7 ("35 लाख" = 3.5 million).
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
    "लाख": 10**5,
    "करोड़": 10**7,
    "करोड": 10**7,
}
# Thai writes no space between a scale word and the noun after it ("3.5 ล้านยูโร"), so Thai
# scale words are matched as the start of what follows.
_THAI_SCALE_WORDS = {"พัน": 10**3, "หมื่น": 10**4, "แสน": 10**5, "ล้าน": 10**6}
# Swahili puts the scale word before the number ("euro milioni 3.5").
_SCALE_BEFORE = {"elfu": 10**3, "milioni": 10**6, "bilioni": 10**9}
# A word after the numeral: letters and the combining marks of scripts such as Devanagari ("लाख").
_SCALE_AFTER = regex.compile(r"\s?((?:[^\W\d_]|\p{M})+)")
_WORD_BEFORE = regex.compile(r"((?:[^\W\d_]|\p{M})+)\s$")


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
    return sorted(found, key=lambda n: n.start)


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
    tail = text[e : min(end, e + 16)]
    before = text[max(0, s - 10) : s]
    percent = bool(_PERCENT.match(tail) or _PERCENT_BEFORE.search(before))
    return Number(s, e, text[s:e], value, _scale(tail, before), percent)


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


def _scale(tail: str, before: str) -> int:
    """The scale word after the numeral (or before it, in Swahili), 1 if none."""
    word = _SCALE_AFTER.match(tail)
    # NFC: Devanagari's nukta letters come precomposed ("ड़", U+095C) or as two characters.
    if word and (scale := _SCALE_WORDS.get(unicodedata.normalize("NFC", word.group(1).lower().rstrip(".")))):
        return scale
    thai = tail.lstrip()
    for name, scale in _THAI_SCALE_WORDS.items():
        if thai.startswith(name):
            return scale
    word = _WORD_BEFORE.search(before)
    return _SCALE_BEFORE.get(word.group(1).lower(), 1) if word else 1


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
