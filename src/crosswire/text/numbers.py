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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from ..model import Fact

_SPACES = "\u00a0\u202f\u2009 "
# A numeral: digits with optional inner separators; not glued to a preceding
# letter ("Mavix2", "G7" are names, not numbers).
_NUMERAL = re.compile(r"(?<![^\W\d_])(?<![\d.,，．])[-−–]?\d(?:[\d]|[.,，．'’\u00a0\u202f\u2009 ](?=\d))*")
# Full-width marks in CJK text ("２，５００") read as their ASCII forms, one character for one.
_FULL_WIDTH_MARKS = str.maketrans("，．", ",.")
_PERCENT = re.compile(r"\s?(%|％|pour\s?cent|per\s?cent|percent|prozent|persen|por\s?ciento|per\s?cento|procent|процент\w*)", re.I)
_CJK_MULTIPLIER = {"万": 10_000, "萬": 10_000, "億": 100_000_000, "亿": 100_000_000, "千": 1_000, "百": 100}
_SCALE_WORDS = {
    "thousand": 10**3, "ribu": 10**3, "mille": 10**3, "tausend": 10**3, "mil": 10**3, "тыс": 10**3, "bin": 10**3, "tys": 10**3,
    "million": 10**6, "millions": 10**6, "mln": 10**6, "m": 10**6, "juta": 10**6, "millionen": 10**6, "mio": 10**6,
    "millón": 10**6, "millones": 10**6, "milhão": 10**6, "milhões": 10**6, "milione": 10**6, "milioni": 10**6,
    "млн": 10**6, "миллион": 10**6, "миллиона": 10**6, "миллионов": 10**6, "milyon": 10**6, "miliony": 10**6, "milionów": 10**6,
    "billion": 10**9, "billions": 10**9, "bn": 10**9, "miliar": 10**9, "milliard": 10**9, "milliarden": 10**9, "milliarde": 10**9,
    "mrd": 10**9, "млрд": 10**9, "миллиард": 10**9, "miliardo": 10**9, "miliardi": 10**9, "milyar": 10**9, "mld": 10**9,
    "trillion": 10**12, "triliun": 10**12, "billionen": 10**12, "трлн": 10**12, "trilyon": 10**12,
}
_SCALE_AFTER = re.compile(r"\s?([^\W\d_]+)")


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
            if sep in " '":
                if not grouping_shape:
                    return None
                digits, frac = "".join(groups), ""
            elif len(groups) > 2:
                if not grouping_shape:
                    return None
                digits, frac = "".join(groups), ""
            elif grouping_shape and sep != decimal_mark:
                digits, frac = "".join(groups), ""
            else:
                digits, frac = groups
    try:
        return sign * Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation:
        return None


def find_numbers(text: str, lang: str, start: int = 0, end: int | None = None) -> list[Number]:
    """All numbers in text[start:end], with offsets into `text`."""
    end = len(text) if end is None else end
    found: list[Number] = []
    for match in _NUMERAL.finditer(text, start, end):
        raw = match.group().rstrip(" '’\u00a0\u202f\u2009.,，．")
        # A space only groups digits in languages whose group mark is a space; elsewhere the
        # parts are numbers of their own ("In 2014 300 soldiers died").
        if " " in raw and separators(lang)[1] != " ":
            offset = match.start()
            for part in raw.split(" "):
                found.append(_number(text, offset, part, lang, end))
                offset += len(part) + 1
        else:
            found.append(_number(text, match.start(), raw, lang, end))
    return found


def _number(text: str, s: int, raw: str, lang: str, end: int) -> Number:
    """The number written `raw` at text[s:], with a CJK multiplier, percent sign or scale word after it."""
    value = parse_numeral(raw, lang)
    if value is None:
        # Not one well-formed number ("1.2.3"): fall back to its leading run of digits.
        raw = re.match(r"[-−–]?\d+", raw).group()
        value = parse_numeral(raw, lang)
    e = s + len(raw)
    tail = text[e : min(end, e + 16)]
    if tail[:1] in _CJK_MULTIPLIER:
        value *= _CJK_MULTIPLIER[tail[0]]
        e += 1
        tail = tail[1:]
    percent = bool(_PERCENT.match(tail))
    scale = 1
    word = _SCALE_AFTER.match(tail)
    if word and word.group(1).lower().rstrip(".") in _SCALE_WORDS:
        scale = _SCALE_WORDS[word.group(1).lower().rstrip(".")]
    return Number(s, e, text[s:e], value, scale, percent)


def same_number(a: Number, b: Number) -> bool:
    """Equal as written, or equal once scale words are applied ("1.9 billion" = "1 900 millions")."""
    return a.value == b.value or (a.scale != b.scale and a.value * a.scale == b.value * b.scale)
