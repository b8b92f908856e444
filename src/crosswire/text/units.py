"""Units of measurement written after a number, and conversions between the units of one
quantity: a version written for another readership converts "20 feet" into "6 metres", and
that is one measurement, not a changed number.

A language's unit words come from CLDR's unit patterns (via babel: "{0} metara", "{0}英尺",
"{0} ফুট"), with the short forms ("m", "ft") shared by most languages. The sizes below are
the units' definitions, not language data.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import regex
from babel import Locale, UnknownLocaleError

from .scripts import JOINING_LETTERS

# CLDR unit id -> (quantity, size in the quantity's base unit: metre, kilogram, m/s, m², litre).
_SIZES: dict[str, tuple[str, Decimal]] = {
    "length-kilometer": ("length", Decimal(1000)),
    "length-meter": ("length", Decimal(1)),
    "length-centimeter": ("length", Decimal("0.01")),
    "length-millimeter": ("length", Decimal("0.001")),
    "length-mile": ("length", Decimal("1609.344")),
    "length-nautical-mile": ("length", Decimal(1852)),
    "length-yard": ("length", Decimal("0.9144")),
    "length-foot": ("length", Decimal("0.3048")),
    "length-inch": ("length", Decimal("0.0254")),
    "mass-tonne": ("mass", Decimal(1000)),
    "mass-kilogram": ("mass", Decimal(1)),
    "mass-gram": ("mass", Decimal("0.001")),
    "mass-ton": ("mass", Decimal("907.18474")),
    "mass-stone": ("mass", Decimal("6.35029318")),
    "mass-pound": ("mass", Decimal("0.45359237")),
    "mass-ounce": ("mass", Decimal("0.028349523125")),
    "speed-kilometer-per-hour": ("speed", Decimal(1) / Decimal("3.6")),
    "speed-meter-per-second": ("speed", Decimal(1)),
    "speed-mile-per-hour": ("speed", Decimal("0.44704")),
    "speed-knot": ("speed", Decimal(1852) / Decimal(3600)),
    "area-square-kilometer": ("area", Decimal(1000000)),
    "area-hectare": ("area", Decimal(10000)),
    "area-square-meter": ("area", Decimal(1)),
    "area-square-mile": ("area", Decimal("2589988.110336")),
    "area-acre": ("area", Decimal("4046.8564224")),
    "area-square-foot": ("area", Decimal("0.09290304")),
    "volume-liter": ("volume", Decimal(1)),
    "volume-cubic-meter": ("volume", Decimal(1000)),
    "volume-gallon": ("volume", Decimal("3.785411784")),
    "volume-gallon-imperial": ("volume", Decimal("4.54609")),
}
# Temperatures convert with an offset: kelvin = value * size + offset.
_CELSIUS_ZERO = Decimal("273.15")  # kelvin
_FAHRENHEIT_DEGREE = Decimal(5) / Decimal(9)  # kelvin; 32 °F is 0 °C
_TEMPERATURES = {
    "temperature-celsius": (Decimal(1), _CELSIUS_ZERO),
    "temperature-fahrenheit": (_FAHRENHEIT_DEGREE, _CELSIUS_ZERO - 32 * _FAHRENHEIT_DEGREE),
}
# A converted measurement is rounded ("20 feet" -> "6 metres", 6.096) or approximate ("about
# 30 miles (50 km)", 48.3): within this share of each other, two measurements are one.
CONVERSION_TOLERANCE = Decimal("0.1")
# A unit word is at most this long ("nautičkih milja", "square kilometres").
_MAX_UNIT_CHARS = 24
# Scripts written without spaces (and Hangul, which joins particles): a unit word there may
# run into the next word ("20英尺高").
_JOINING_END = regex.compile(f"[{JOINING_LETTERS}]$")


@functools.lru_cache(maxsize=64)
def _unit_words(lang: str) -> dict[str, str]:
    """Unit word (case-folded) -> CLDR unit id, in `lang` and English."""
    out: dict[str, str] = {}
    for code in dict.fromkeys((lang, "en")):
        try:
            patterns = Locale.parse(code)._data["unit_patterns"]
        except (UnknownLocaleError, ValueError, TypeError, KeyError):
            continue
        for unit in (*_SIZES, *_TEMPERATURES):
            for width in patterns.get(unit, {}).values():
                for plural, pattern in width.items():
                    if plural == "per" or "{0}" not in pattern:
                        continue
                    word = pattern.replace("{0}", "").strip().casefold()
                    if word and len(word) <= _MAX_UNIT_CHARS:
                        out.setdefault(word, unit)
    return out


@functools.lru_cache(maxsize=64)
def _unit_pattern(lang: str) -> regex.Pattern[str]:
    """The unit words of `lang`, longest first ("km/h" before "km"), each a whole word."""
    words = sorted(_unit_words(lang), key=len, reverse=True)
    alternatives = [regex.escape(w) + ("" if _JOINING_END.search(w) else r"(?![^\W\d_]|\p{M})") for w in words]
    return regex.compile(r"[ \u00a0\u202f\u2009-]?(" + "|".join(alternatives) + ")", regex.IGNORECASE)


def unit_after(text: str, end: int, lang: str) -> str | None:
    """The CLDR id of the unit written right after a number ending at text[end]
    ("20 feet", "6 metara", "56 km/h", "20英尺"), or None."""
    match = _unit_pattern(lang).match(text, end, min(len(text), end + _MAX_UNIT_CHARS + 1))
    return _unit_words(lang)[match.group(1).casefold()] if match else None


def _in_base(value: Decimal, unit: str) -> tuple[str, Decimal]:
    if unit in _TEMPERATURES:
        size, offset = _TEMPERATURES[unit]
        return "temperature", value * size + offset
    quantity, size = _SIZES[unit]
    return quantity, value * size


def converted(value_a: Decimal, unit_a: str | None, value_b: Decimal, unit_b: str | None) -> bool:
    """Whether two measurements in different units of one quantity agree (`CONVERSION_TOLERANCE`):
    "20 feet" / "6 metara", "35 mph" / "56 km/h"."""
    if unit_a is None or unit_b is None or unit_a == unit_b:
        return False
    quantity_a, base_a = _in_base(value_a, unit_a)
    quantity_b, base_b = _in_base(value_b, unit_b)
    if quantity_a != quantity_b:
        return False
    larger = max(abs(base_a), abs(base_b))
    return larger == 0 or abs(base_a - base_b) <= CONVERSION_TOLERANCE * larger


# Money. A version written for another readership may convert an amount into its own currency
# ("$200 billion (£150 billion)" / "200 milijardi dolara (1,25 trilijuna kuna)"): at a rate
# the articles do not give, so two amounts in different currencies are not compared.
_CURRENCY_WORD = regex.compile(r"\p{L}{3,}")
# Right after the number, its first two tokens (a scale word may come first: "milijardi
# dolara", "trilijuna kuna"); right before it, a symbol or a code ("£", "US$", "USD").
_TOKEN = r"([^\s()\[\]“”„\"'«»,;:!?]+)"
_AFTER_AMOUNT = regex.compile(rf"[ \u00a0\u202f]*{_TOKEN}(?:[ \u00a0\u202f]+{_TOKEN})?")
_BEFORE_AMOUNT = regex.compile(rf"{_TOKEN}[ \u00a0\u202f]?$")
_ISO_CODE = regex.compile(r"[A-Z]{3}")


@functools.lru_cache(maxsize=64)
def _currency_names(lang: str) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(currency word, case-folded -> ISO codes; symbol -> ISO codes) in `lang` and English,
    from CLDR: the last word of each currency's names in every plural form ("dolara", "kuna",
    "pounds"), its symbol ("£", "kn", "US$") and its code."""
    words: dict[str, set[str]] = {}
    symbols: dict[str, set[str]] = {}
    for code in dict.fromkeys((lang, "en")):
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        plurals = locale._data["currency_names_plural"]
        for currency, name in locale.currencies.items():
            for form in (name, *dict(plurals.get(currency, {})).values()):
                last = (form.split() or [""])[-1].casefold()
                if _CURRENCY_WORD.fullmatch(last):
                    words.setdefault(last, set()).add(currency)
            words.setdefault(currency.casefold(), set()).add(currency)
            symbols.setdefault(locale.currency_symbols.get(currency, currency), set()).add(currency)
    return {w: frozenset(c) for w, c in words.items()}, {s: frozenset(c) for s, c in symbols.items()}


def currency_at(text: str, start: int, end: int, lang: str) -> frozenset[str]:
    """The ISO codes the currency written at the number text[start:end] may stand for: a
    symbol or code right before it ("£150", "USD 20"), else a symbol, code or currency's name
    in the two tokens after it ("20 €", "150 billion pounds", "200 milijardi dolara"); empty
    where none."""
    words, symbols = _currency_names(lang)
    if (before := _BEFORE_AMOUNT.search(text, max(0, start - 6), start)) is not None:
        token = before.group(1)
        if codes := symbols.get(token) or (words.get(token.casefold()) if _ISO_CODE.fullmatch(token) else None):
            return codes
    if (after := _AFTER_AMOUNT.match(text, end)) is not None:
        for token in filter(None, after.groups()):
            token = token.rstrip(".")
            if codes := symbols.get(token) or words.get(token.casefold()):
                return codes
    return frozenset()


def other_currencies(codes_a: frozenset[str], codes_b: frozenset[str]) -> bool:
    """Whether two amounts are given in currencies that cannot be one."""
    return bool(codes_a) and bool(codes_b) and not codes_a & codes_b
