"""Differences inside one linked group of sentences: numbers, dates, names.

Translation alone (different words, same facts) yields no change. A change is
reported only where *both* sides hold a detail the other lacks: a number
missing from B is an omission, but a number missing from B while B holds
another number it does not share with A is a change.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz

from .model import Difference, Span
from .text.dates import DateMention
from .text.names import (
    ABJADS,
    Word,
    cross_script_variant,
    has_digit,
    has_inner_capital,
    has_word_frequencies,
    is_common_word,
    is_inflection,
    is_international_word,
    is_rare_word,
    name_key,
    phrases,
    same_territory,
    script_of,
    MIN_CROSS_SCRIPT_CONSONANTS,
    sound_in_run,
    sound_key,
    sounds_alike,
    spelling_match,
    spelling_matches,
    stop_words,
    territory_keys,
    territory_name,
    territory_name_of,
)
from .text.numbers import Number, same_number, worded_value
from .text.scripts import in_unspaced_script
from .text.units import converted, currency_at, other_currencies, unit_after


@dataclass(frozen=True)
class SentenceFacts:
    """Everything diff needs about one sentence, computed once per article."""

    numbers: tuple[Number, ...]
    dates: tuple[DateMention, ...]
    words: tuple[Word, ...]
    names: tuple[Word, ...]
    lang: str

    def content_words(self) -> list[Word]:
        stops = stop_words(self.lang)
        return [w for w in self.words if len(w.key) >= 2 and w.text.lower() not in stops]


Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> one L2-normalised vector per text


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _merge(facts: Sequence[SentenceFacts]) -> SentenceFacts:
    return SentenceFacts(
        tuple(n for f in facts for n in f.numbers),
        tuple(d for f in facts for d in f.dates),
        tuple(w for f in facts for w in f.words),
        tuple(w for f in facts for w in f.names),
        facts[0].lang,
    )


def _inside(x: Number, spans: Sequence[DateMention]) -> bool:
    return any(s.start <= x.start and x.end <= s.end for s in spans)


def _date_differences(
    a: SentenceFacts, b: SentenceFacts, text_a: str, text_b: str
) -> tuple[list[Difference], tuple[list[DateMention], list[DateMention]]]:
    """Date changes, and the dates on each side whose digits numbers must no longer compare
    (kept apart: offsets into A mean nothing in B)."""
    open_b = list(b.dates)
    unmatched_a = []
    settled_a: list[DateMention] = []  # dates whose numbers are accounted for
    settled_b: list[DateMention] = []
    for date in a.dates:
        match = next((d for d in open_b if date.agrees_with(d)), None)
        if match:
            open_b.remove(match)
            settled_a.append(date)
            settled_b.append(match)
        else:
            unmatched_a.append(date)
    differences = []
    for da, db in zip(unmatched_a, open_b):
        # Same month, other day or year: a changed numeral inside a date ("05/05/2016" vs
        # "05.05.2816") is reported as a number; another month is a different date.
        kind = "number" if da.month == db.month else "date"
        differences.append(
            Difference(
                kind, _span(text_a, da.start, da.end), _span(text_b, db.start, db.end), f"dates {da.iso} vs {db.iso}"
            )
        )
        settled_a.append(da)
        settled_b.append(db)
    return differences, (settled_a, settled_b)


def _number_differences(
    a: SentenceFacts, b: SentenceFacts, settled: tuple[list[DateMention], list[DateMention]], text_a: str, text_b: str
) -> list[Difference]:
    settled_a, settled_b = settled
    nums_a = [n for n in a.numbers if not _inside(n, settled_a)]
    nums_b = [n for n in b.numbers if not _inside(n, settled_b)]
    open_b = list(nums_b)
    unmatched_a = []
    for n in nums_a:
        match = next((m for m in open_b if same_number(n, m)), None)
        if match:
            open_b.remove(match)
        else:
            unmatched_a.append(n)
    unmatched_a, open_b = _without_same_times(unmatched_a, text_a, open_b, text_b, nums_a, nums_b)
    # A number one side writes in words ("three methods" / "3 种方法") is no leftover.
    worded_a, worded_b = _worded(a), _worded(b)
    unmatched_a = [n for n in unmatched_a if n.value not in worded_b]
    open_b = [n for n in open_b if n.value not in worded_a]
    left_a, left_b = _named_by_hyphen(_with_glued_digits(unmatched_a, open_b, a, b), (text_a, text_b), (a, b))
    differences = []
    for na, nb in _pair(left_a, left_b, key=lambda n: n.percent):
        if isinstance(na, _Glued) and isinstance(nb, _Glued) and na.glued != nb.glued:
            continue  # two names with digits ("A320", "F16"), not one number changed
        if isinstance(na, Number) and isinstance(nb, Number) and _converted(na, a.lang, text_a, nb, b.lang, text_b):
            continue  # one measurement in two units ("20 feet" / "6 metara")
        if (
            isinstance(na, Number)
            and isinstance(nb, Number)
            and other_currencies(
                currency_at(text_a, na.start, na.end, a.lang), currency_at(text_b, nb.start, nb.end, b.lang)
            )
        ):
            continue  # an amount converted into another currency ("£150 billion" / "1,25 trilijuna kuna")
        differences.append(Difference("number", _span(text_a, na.start, na.end), _span(text_b, nb.start, nb.end)))
    return differences


def _worded(facts: SentenceFacts) -> set[int]:
    """The values of the number words of a sentence ("three", "ছয়")."""
    return {value for w in facts.words if (value := worded_value(w.text, facts.lang)) is not None}


_CLOCK = re.compile(r"(\d{1,2})[.:](\d{2})")
# An hour written with a word for it, and the minutes ("5点半", "5時30分", "5시 반"; not "5시간", hours).
_HOUR_WORD = re.compile(r"\s?[点點時时시](?![间間간])\s?(?:(半|반)|(\d{1,2})\s?[分분])?")
# An hour of a twelve-hour clock ("7 pm", "7 p.m.").
_DAY_HALF = re.compile(r"\s?[ap]\.?\s?m\b\.?", re.I)
# A time zone's abbreviation after a time ("GMT", "UTC", "BST", "(CET)", German "MEZ"): the
# commoner ones, named, as all-caps words ending in T ("MIT", "AT&T") are no zones.
_ZONE_NAMES = (
    r"(UTC|GMT|BST|IST|WES?T|CES?T|EES?T|MES?Z|MSK|[ECMP][SD]T|AKST|HST|JST|KST|HKT|SGT|AES?T|AEDT|NZST"
    r"|NZDT|SAST|CAT|EAT|WAT|WIB|ICT|PHT|ET|PT)"
)
_ZONE = re.compile(rf"\s?\(?{_ZONE_NAMES}\b")
_ZONE_NAME = re.compile(_ZONE_NAMES)


# A time of day: its hour on a 24-hour clock where the text tells the half of the day ("19:00",
# "07:00", "7 pm"), else on a twelve-hour one ("7:00", "5点半"); its minutes; whether told.
_Time = tuple[int, int, bool]


def _times(numbers: Sequence[Number], text: str) -> list[tuple[_Time, list[Number]]]:
    """Times of day with their minutes, and the numbers that write them: "10:15" (two numbers
    around a colon), "10.15" (one number: Croatian, German, Danish write times so), an hour
    with a word for it ("5点半") or with am/pm ("7 pm"). The half of the day is told by am/pm,
    by an hour of 0 or 12-23, or by a leading zero ("07:00", a 24-hour clock's); "7:00" may be
    either (`_same_time`)."""
    found: list[tuple[int, int, list[Number]]] = []
    for n in numbers:
        if (clock := _CLOCK.fullmatch(unicodedata.normalize("NFKC", n.text))) is not None:
            found.append((int(clock[1]), int(clock[2]), [n]))
    for n, m in zip(numbers, numbers[1:]):
        if text[n.end : m.start] == ":" and len(m.text) == 2 and n.value == n.value.to_integral():
            found.append((int(n.value), int(m.value), [n, m]))
    at = {n.start: n for n in numbers}
    in_clock = {id(part) for _, _, parts in found for part in parts}
    for n in numbers:
        # The minutes of "10:15 pm" are no hour of their own.
        if n.value != n.value.to_integral() or id(n) in in_clock:
            continue
        if (hour := _HOUR_WORD.match(text, n.end)) is not None:
            minutes = at.get(hour.start(2)) if hour[2] else None
            found.append((int(n.value), 30 if hour[1] else int(hour[2] or 0), [n] + ([minutes] if minutes else [])))
        elif _DAY_HALF.match(text, n.end):
            found.append((int(n.value), 0, [n]))
        elif len(n.text) == 4 and n.text.isdigit() and _ZONE.match(text, n.end):  # "1200 GMT", the wires' style
            found.append((int(n.value) // 100, int(n.value) % 100, [n]))
    out: list[tuple[_Time, list[Number]]] = []
    for written_hour, minute, parts in found:
        if written_hour < 24 and minute < 60:
            clock_hour, told = _clock_hour(written_hour, parts[0], parts[-1].end, text)
            out.append(((clock_hour, minute, told), parts))
    return out


def _clock_hour(hour: int, written: Number, end: int, text: str) -> tuple[int, bool]:
    """The hour on a 24-hour clock and True where the text tells the half of the day, else
    the hour as written and False. A bare 12 is either: "12:30" may follow midnight."""
    if (half := _DAY_HALF.match(text, end)) is not None:
        return hour % 12 + (12 if half.group().strip().lower().startswith("p") else 0), True
    digits = unicodedata.normalize("NFKC", written.text)
    if hour == 0 or hour > 12 or (len(digits) >= 2 and digits.startswith("0")):
        return hour, True
    return hour, False


def _same_time(x: _Time, y: _Time) -> bool:
    """One time of day, where the half of the day one side leaves open may be the other's."""
    (hour_x, minute_x, told_x), (hour_y, minute_y, told_y) = x, y
    if minute_x != minute_y or hour_x % 12 != hour_y % 12:
        return False
    return hour_x == hour_y or not (told_x and told_y)


def _without_same_times(
    numbers_a: list[Number],
    text_a: str,
    numbers_b: list[Number],
    text_b: str,
    all_a: Sequence[Number],
    all_b: Sequence[Number],
) -> tuple[list[Number], list[Number]]:
    """The numbers left over on each side, less those of a time of day both sides give,
    whatever its separator ("10:15 BST" / "10.15 h"), and those of a time given in another
    time zone with the same minutes, which a translation converts ("09:30 BST" / "10:30
    (CET)"); `all_a`, `all_b`: each side's numbers before any were matched."""
    # Read from all the numbers: the minutes of "7:00" / "19:00" or "09:30" / "10:30" were
    # matched already. Times pair one to one, the same hour first: an open "7:00" is one
    # time of the other side, not its 7:00 and its 19:00 both.
    rest_a, rest_b = _times(all_a, text_a), _times(all_b, text_b)
    drop_a: set[int] = set()
    drop_b: set[int] = set()
    for alike in (operator.eq, _same_time):
        for time_a, parts_a in list(rest_a):
            found = next((k for k, (time_b, _) in enumerate(rest_b) if alike(time_a, time_b)), None)
            if found is not None:
                rest_a.remove((time_a, parts_a))
                drop_a |= {id(n) for n in parts_a}
                drop_b |= {id(n) for n in rest_b.pop(found)[1]}
    # A time converted keeps its minutes, and one conversion moves every time by one offset:
    # a time whose minutes or offset differ was changed.
    converted: list[tuple[int, list[Number], list[Number]]] = []
    for (time_a, parts_a), (time_b, parts_b) in zip(
        sorted(rest_a, key=lambda t: t[1][0].start), sorted(rest_b, key=lambda t: t[1][0].start)
    ):
        zone_a, zone_b = _zone(parts_a, text_a), _zone(parts_b, text_b)
        if zone_a and zone_b and zone_a != zone_b and time_a[1] == time_b[1]:
            offset = (time_b[0] - time_a[0]) % (24 if time_a[2] and time_b[2] else 12)
            converted.append((offset, parts_a, parts_b))
    if converted:
        offset = Counter(k for k, _, _ in converted).most_common(1)[0][0]
        drop_a |= {id(n) for k, parts, _ in converted if k == offset for n in parts}
        drop_b |= {id(n) for k, _, parts in converted if k == offset for n in parts}
    return [n for n in numbers_a if id(n) not in drop_a], [n for n in numbers_b if id(n) not in drop_b]


def _zone(parts: list[Number], text: str) -> str | None:
    """The time zone written after a time and its am/pm, if any ("9:30 pm BST")."""
    end = max(n.end for n in parts)
    if (half := _DAY_HALF.match(text, end)) is not None:
        end = half.end()
    found = _ZONE.match(text, end)
    return found[1] if found else None


def _converted(na: Number, lang_a: str, text_a: str, nb: Number, lang_b: str, text_b: str) -> bool:
    return converted(
        na.value * na.scale, unit_after(text_a, na.end, lang_a), nb.value * nb.scale, unit_after(text_b, nb.end, lang_b)
    )


@dataclass(frozen=True)
class _Glued:
    """Digits written onto letters ("Mavix2", "G7", Xhosa "Ngo2624" for "Ngo-1624"), as a number."""

    start: int
    end: int
    value: Decimal
    glued: str  # the letters before the digits, as a name key
    percent: bool = False


def _glued_numbers(facts: SentenceFacts) -> list[_Glued]:
    out = []
    for w in facts.words:
        if has_digit(w.text) and not w.text.isdigit() and (digits := _TRAILING_DIGITS.search(w.text)):
            value = Decimal(unicodedata.normalize("NFKC", digits.group()))
            out.append(
                _Glued(w.start + digits.start(), w.start + digits.end(), value, name_key(w.text[: digits.start()]))
            )
    return out


_TRAILING_DIGITS = re.compile(r"\d+$")
# A number left over on one side: written apart, or glued onto a word.
_Leftover = Number | _Glued


def _with_glued_digits(
    unmatched_a: list[Number], open_b: list[Number], a: SentenceFacts, b: SentenceFacts
) -> tuple[list[_Leftover], list[_Leftover]]:
    """The numbers left over on each side, with the digits glued onto words that the other
    side's numbers do not account for. A number written onto a word on one side and apart on
    the other ("Mavix2" / "Mavic 2") is one number; a glued number that differs is a change
    like any other ("Ngo-1624" / "Ngo2624", "G7" / "G5")."""
    sides = []
    for other_numbers, facts in ((b.numbers, a), (a.numbers, b)):
        sides.append([g for g in _glued_numbers(facts) if not any(g.value == n.value for n in other_numbers)])
    glued_a, glued_b = sides
    # Glued digits on both sides match each other first, then the plain numbers left over.
    for g in list(glued_a):
        match = next((h for h in glued_b if h.value == g.value), None)
        if match:
            glued_a.remove(g)
            glued_b.remove(match)
    plain_a = [n for n in unmatched_a if not any(h.value == n.value for h in _glued_numbers(b))]
    plain_b = [n for n in open_b if not any(g.value == n.value for g in _glued_numbers(a))]
    left_a: list[_Leftover] = [*plain_a, *glued_a]
    left_b: list[_Leftover] = [*plain_b, *glued_b]
    return sorted(left_a, key=lambda n: n.start), sorted(left_b, key=lambda n: n.start)


# A name ending in a hyphen before the number: "Covid-19", "F-16", "SARS-CoV-2".
_HYPHEN_NAME = re.compile(r"(\w+)-\Z")


def _hyphen_name(n: _Leftover, text: str, facts: SentenceFacts) -> str | None:
    """The name a number is hyphenated onto, as a name key: a capitalised word that is no
    common word ("Covid-19", not "Category-4"). Where wordfreq cannot tell, a capital that
    only starts the sentence makes no name (Xhosa "Nge-15 ka-Agasti", on the 15th of August)."""
    if not isinstance(n, Number):
        return None
    found = _HYPHEN_NAME.search(text, max(0, n.start - 40), n.start)
    if found is None or not any(c.isupper() for c in found[1]):
        return None
    name, lang = found[1], facts.lang
    if name.lower() in stop_words(lang) or is_common_word(name, lang):
        return None
    initial = any(w.start == found.start(1) and w.sentence_initial for w in facts.words)
    if initial and not has_inner_capital(name) and not has_word_frequencies(lang, name):
        return None
    return name_key(name)


def _spelled_in(key: str, other: str) -> bool:
    """A name key and another word's: spelled alike (`spelling_match`), or one the other with a
    lower-case prefix, which `words` leaves on a word whose name part has no capital ("Inombolo"
    / "Nombolo", a Xhosa noun class)."""
    shorter, longer = sorted((key, other), key=len)
    return spelling_match(key, other) is not None or (len(shorter) >= MIN_PREFIXED_NAME and longer.endswith(shorter))


MIN_PREFIXED_NAME = 4


def _named_by_hyphen(
    left: tuple[list[_Leftover], list[_Leftover]], texts: tuple[str, str], facts: tuple[SentenceFacts, SentenceFacts]
) -> tuple[list[_Leftover], list[_Leftover]]:
    """The leftovers with each number that a name holds after a hyphen read as digits glued onto
    that name; such a number is left out where the other side neither has glued digits nor
    spells the name: the Chinese "新冠病毒" translates "Covid-19" without its digits, so 19 is
    no number that changed ("Inombolo-1" / "Nombolo 8" is)."""
    sides: list[list[_Leftover]] = []
    unspelled: list[set[int]] = []  # starts of the numbers in a name the other side does not spell
    for k in (0, 1):
        side: list[_Leftover] = []
        starts: set[int] = set()
        for n in left[k]:
            key = _hyphen_name(n, texts[k], facts[k])
            if key is None:
                side.append(n)
                continue
            side.append(_Glued(n.start, n.end, n.value, key))
            if not any(_spelled_in(key, w.key) for w in facts[1 - k].words):
                starts.add(n.start)
        sides.append(side)
        unspelled.append(starts)
    glued = [any(isinstance(n, _Glued) and n.start not in unspelled[k] for n in sides[k]) for k in (0, 1)]
    return (
        [n for n in sides[0] if glued[1] or n.start not in unspelled[0]],
        [n for n in sides[1] if glued[0] or n.start not in unspelled[1]],
    )


def _pair(
    xs: Sequence[_Leftover], ys: Sequence[_Leftover], key: Callable[[_Leftover], object]
) -> list[tuple[_Leftover, _Leftover]]:
    """Pair leftovers of the same kind first (a percentage with a percentage), then in order."""
    pairs: list[tuple[_Leftover, _Leftover]] = []
    rest_x, rest_y = [], list(ys)
    for x in xs:
        match = next((y for y in rest_y if key(y) == key(x)), None)
        if match is not None:
            rest_y.remove(match)
            pairs.append((x, match))
        else:
            rest_x.append(x)
    pairs += list(zip(rest_x, rest_y))
    return sorted(pairs, key=lambda p: p[0].start)


def _match_names(own: SentenceFacts, other: SentenceFacts) -> _NameMatch:
    """Own names that the other side spells differently (variants [(word, other_span)])
    and those it does not have in any spelling (missing). Names spelled alike are left out.

    A spelling variant must be a name or a capitalised word on the other side, so that
    "Communist" does not pair with a lower-case "komunikasi"."""
    other_phrases = phrases(list(other.words), list(other.names))
    matches = spelling_matches([w.key for w in own.names], [key for _, _, key, _ in other_phrases])
    found: dict[int, list[tuple[str, int]]] = {}
    for i, j in matches:
        found.setdefault(i, []).append((matches[i, j], j))
    other_text = {w.start: w.text for w in other.words}  # a phrase's script is its first word's
    variants: list[tuple[Word, tuple[int, int]]] = []
    missing: list[Word] = []
    heard: list[Word] = []
    abbreviated = _abbreviated_territories(own, other, other_phrases)
    for i, w in enumerate(own.names):
        kinds = found.get(i, []) or [
            ("variant", j)
            for j, (start, _, key, _) in enumerate(other_phrases)
            if cross_script_variant(w.text, w.key, other_text[start], key)
        ]
        written_alike = any(script_of(other_text[other_phrases[j][0]]) == script_of(w.text) for _, j in kinds)
        if _territory_named(w, own.lang, other) or w.start in abbreviated:
            continue
        if any(k == "same" or same_territory(w.key, own.lang, other_phrases[j][2], other.lang) for k, j in kinds):
            if not written_alike:
                heard.append(w)
            continue
        variant = max(
            ((fuzz.ratio(w.key, other_phrases[j][2]), other_phrases[j][:2]) for k, j in kinds if other_phrases[j][3]),
            default=(0, None),
        )[1]
        if variant:
            variants.append((w, variant))
            if not written_alike:
                heard.append(w)
        elif _sounds_in(w, other):
            heard.append(w)
        else:
            missing.append(w)
    return _NameMatch(variants, missing, heard)


@dataclass(frozen=True)
class _NameMatch:
    """One side's names against the other sentence: spelling variants [(word, other_span)],
    names the other side has in no spelling (missing), and names it has only in another
    script (heard: "特拉斯" for "Truss")."""

    variants: list[tuple[Word, tuple[int, int]]]
    missing: list[Word]
    heard: list[Word]


def _territory_named(name: Word, lang: str, other: SentenceFacts) -> bool:
    """Whether the other sentence names the country or region `name` names, in its language's
    CLDR name, inflected ("China" / "Kini") or inside a run of an unspaced script ("阿富汗")."""
    local = territory_name(name.key, lang, other.lang)
    if not local:
        return False
    key = name_key(local)
    return any(w.key == key or is_inflection(w.key, key) or local in w.text for w in other.words)


def _abbreviated_territories(
    own: SentenceFacts, other: SentenceFacts, other_phrases: list[tuple[int, int, str, bool]]
) -> set[int]:
    """Starts of own names of a country that the other side writes as the initials of its name
    in its language ("United States" / Croatian "SAD", Sjedinjene Američke Države), and of own
    acronyms that are the initials of a country the other side names; `other_phrases`: the
    other side's `phrases`."""
    out: set[int] = set()
    acronyms = {w.text for w in other.words if _is_acronym(w)}
    own_phrases = phrases(list(own.words), list(own.names)) if acronyms else []
    for start, end, code in _territories(own_phrases, own.lang):
        if acronyms & _initials(code, other.lang):
            out.update(w.start for w in own.names if start <= w.start < end)
    named = {
        initials for _, _, code in _territories(other_phrases, other.lang) for initials in _initials(code, own.lang)
    }
    out.update(w.start for w in own.names if _is_acronym(w) and w.text in named)
    return out


def _territories(sentence_phrases: list[tuple[int, int, str, bool]], lang: str) -> list[tuple[int, int, str]]:
    """(start, end, CLDR code) of the names of countries and regions among a sentence's
    `phrases`, of one or two words ("United States")."""
    keys = territory_keys(lang)
    return [(start, end, keys[key]) for start, end, key, is_name in sentence_phrases if is_name and key in keys]


@functools.lru_cache(maxsize=4096)
def _initials(code: str, lang: str) -> frozenset[str]:
    """The initials of a country's name of two words or more in `lang` ("SAD")."""
    name = territory_name_of(code, lang)
    words = name.split() if name else []
    return frozenset({"".join(w[0] for w in words).upper()}) if len(words) >= 2 else frozenset()


def _sounds_in(name: Word, other: SentenceFacts) -> bool:
    """Whether the other sentence writes `name` in its own script: a word that sounds like it
    ("Федоруком" / "Fedoruk", inflection included), or part of a run of an unspaced script
    ("...父亲穆阿迈尔" / "Muammar"). A suffix after an apostrophe is left out ("Stafford's" /
    "斯塔福德", Turkish "Erdoğan'ın")."""
    text = _APOSTROPHE_SUFFIX.sub("", name.text)
    return any(
        sounds_alike(text, w.text) or (in_unspaced_script(w.text) and len(w.text) > 1 and sound_in_run(text, w.text))
        for w in other.words
    )


# A short ending after an apostrophe that follows four letters or more: "'s", "’ın", "'dan"; not
# a name's own apostrophe ("O'Mahony", "d'Alema", "Sa'ad", "Mar'yana").
_APOSTROPHE_SUFFIX = re.compile(r"(?<=\w\w\w\w)['’]\w{0,4}$")


def names_conflict(a: SentenceFacts, b: SentenceFacts) -> bool:
    """Each side has a name the other does not spell in any variant."""
    return bool(_match_names(a, b).missing) and bool(_match_names(b, a).missing)


def _translation_candidates(ws: Sequence[Word]) -> list[str]:
    """Words and adjacent word pairs that may translate a name ("Maison-Blanche" / "Weißen Haus")."""
    return [w.text for w in ws] + [f"{x.text} {y.text}" for x, y in zip(ws, ws[1:])]


def _translated(name: Word, lang: str, ws: Sequence[Word], vectors: dict[str, np.ndarray], threshold: float) -> bool:
    """Whether one of the words `ws` of the other side translates `name` (of language `lang`).
    A rare word has no translation: its similarity to single words is noise, and a swapped-in
    name or a title ("M. Morneau" / "Herr Caisse") scored as high as real translations do."""
    if is_rare_word(name.text, lang):
        return False
    candidates = _translation_candidates(ws)
    return bool(candidates) and max(float(vectors[name.text] @ vectors[c]) for c in candidates) >= threshold


def _anchors(a: SentenceFacts, b: SentenceFacts) -> dict[int, int]:
    """Word index in A -> word index in B for words spelled alike on both sides
    (names, cognates, numbers): the fixed points that place a swapped name.
    Each word is anchored once."""
    matches = set(spelling_matches([w.key for w in a.words], [w.key for w in b.words]))
    if _abjad(a) != _abjad(b):
        # Keys of an abjad's words lack most vowels ("إيلينا" -> "ylyn"), so their fuzzy matches with
        # another script's words are chance ("million"); there a name anchors only where its
        # consonants agree (cross_script_variant).
        matches = {
            (i, j)
            for i, wa in enumerate(a.words)
            for j, wb in enumerate(b.words)
            if (wa.key == wb.key and len(wa.key) >= 2) or cross_script_variant(wa.text, wa.key, wb.text, wb.key)
        }
    else:
        # A name written in the other sentence's script ("Elena" / "叶莲娜", "Олена") anchors where
        # its consonants agree; the keys of Han and kana rarely pass spelling_matches.
        starts_b = {w.start: j for j, w in enumerate(b.words)}
        index_a = {w.start: i for i, w in enumerate(a.words)}
        matches |= {
            (index_a[wa.start], starts_b[wb.start])
            for wa in a.names
            for wb in b.words
            if cross_script_variant(wa.text, wa.key, wb.text, wb.key)
        }
    # A name is no fixed point for a lower-case word spelled otherwise ("Chris" / "serious");
    # in a script without capitals a name is not told by its case.
    names_a, names_b = {w.start for w in a.names}, {w.start for w in b.names}
    matches = {
        (i, j)
        for i, j in matches
        if a.words[i].key == b.words[j].key
        or not (
            (a.words[i].start in names_a and b.words[j].text.islower())
            or (b.words[j].start in names_b and a.words[i].text.islower())
        )
    }
    # Each pair is taken best first: written alike before a transliteration ("Liz Truss" anchors
    # "Liz" to the Latin "Liz" of "利兹·特拉斯 (Liz Malley)"), then nearest in relative place (a
    # word said twice, "beach ... Ponto Beach" / "Committee Beacha", pairs in order).
    n_a, n_b = max(1, len(a.words)), max(1, len(b.words))
    ranked = sorted(
        ((i, j) for i, j in matches if len(a.words[i].key) >= 2),
        key=lambda ij: (a.words[ij[0]].text != b.words[ij[1]].text, abs(ij[0] / n_a - ij[1] / n_b)),
    )
    out: dict[int, int] = {}
    used: set[int] = set()
    for i, j in ranked:
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


def _abjad(facts: SentenceFacts) -> bool:
    """Whether the sentence's letters are mostly of an abjad (Arabic, Hebrew script)."""
    letters = [w for w in facts.words if not w.text.isdigit()]
    return sum(script_of(w.text) in ABJADS for w in letters) * 2 > len(letters)


@dataclass(frozen=True)
class _Place:
    """An A name that no B spelling explains and the unexplained B name in its place, with the
    content words between the nearest anchored words around them (where a translation of
    either would sit)."""

    name: Word
    partner: Word
    words_a: list[Word]
    words_b: list[Word]
    langs: tuple[str, str]
    heard: bool  # B writes the A name in another script elsewhere

    def words_to_embed(self) -> list[str]:
        return (
            [self.name.text, self.partner.text]
            + _translation_candidates(self.words_a)
            + _translation_candidates(self.words_b)
        )


MAX_ACRONYM_LETTERS = 6
NEAR = 3  # words on each side of a name where the translation check looks


def _places(
    missing_a: list[Word], heard_a: list[Word], missing_b: list[Word], a: SentenceFacts, b: SentenceFacts
) -> list[_Place]:
    """The place of each unexplained A name: the B word next to the match of an anchored word
    (or the sentence start or end) that the A name stands next to, on the same side, written in
    the script of that match (a name goes on in its script: "Elena Markova" / "叶莲娜·彼得连科",
    not "Minister Annalena" / "贝伯克 (Annalena"). The place must hold an unexplained B name, one
    only. A name with no anchored neighbour has a place only as `_sole_partner` finds it. A name
    that B writes only in its own script elsewhere (`heard_a`) is swapped where its place holds
    another name in the A name's script: "利兹·特拉斯 (Liz Malley)" for "Liz Truss"."""
    anchors = _anchors(a, b)
    n_a, n_b = len(a.words), len(b.words)
    bounds = {**anchors, -1: -1, n_a: n_b}
    index_a = {w.start: i for i, w in enumerate(a.words)}
    index_b = {w.start: j for j, w in enumerate(b.words)}
    missing_starts = {w.start for w in missing_b}
    unexplained_b = {j: w for j, w in enumerate(b.words) if w.start in missing_starts}
    content_a, content_b = set(map(id, a.content_words())), set(map(id, b.content_words()))
    out = []
    for wa in missing_a + heard_a:
        p = index_a[wa.start]
        heard = wa not in missing_a
        partners: dict[int, Word] = {}
        for neighbour, step in ((p - 1, 1), (p + 1, -1)):
            wb = unexplained_b.get(bounds.get(neighbour, -2) + step)
            if wb is None or (heard and script_of(wb.text) != script_of(wa.text)):
                continue
            if 0 <= neighbour < n_a and script_of(b.words[bounds[neighbour]].text) != script_of(wb.text):
                continue
            partners[wb.start] = wb
        left = max(i for i in bounds if i < p)
        right = min(i for i in bounds if i > p)
        low, high = bounds[left], bounds[right]
        if low >= high:
            # The anchors around the name cross: the clause was reordered ("The incident happened
            # in Ballyhackamore, police said" / "Policija je priopćila da se incident dogodio u
            # predgrađu Lehaucourt"). An anchored neighbour places the name; else the stretch
            # after its left anchor or the one before its right anchor, where only one of them
            # holds a partner, and one of the name's kind: a reordered clause may have put an
            # acronym for words ("American aid" / "USD"). The translation check looks on that side.
            low, high = (bounds[left], n_b) if p - 1 in anchors else (-1, bounds[right])
            if not partners and not heard:
                found = [
                    (stretch, sole)
                    for stretch in ((bounds[left], n_b), (-1, bounds[right]))
                    if (sole := _sole_partner(wa, missing_a, index_a, (left, right), unexplained_b, stretch, b.lang))
                    and all(_is_acronym(w) == _is_acronym(wa) for w in sole.values())
                ]
                if len(found) == 1:
                    (low, high), partners = found[0]
        elif not partners and not heard:
            partners = _sole_partner(wa, missing_a, index_a, (left, right), unexplained_b, (low, high), b.lang)
        if len(partners) != 1:
            continue
        (wb,) = partners.values()
        # A translation of either name sits near the other, inside the anchors around it.
        q = index_b[wb.start]
        words_a = [
            w for w in a.words[max(left + 1, p - NEAR) : min(right, p + NEAR + 1)] if id(w) in content_a and w is not wa
        ]
        words_b = [w for w in b.words[max(low + 1, q - NEAR) : min(high, q + NEAR + 1)] if id(w) in content_b]
        out.append(_Place(wa, wb, words_a, words_b, (a.lang, b.lang), heard))
    return out


def _sole_partner(
    wa: Word,
    missing_a: list[Word],
    index_a: dict[int, int],
    stretch_a: tuple[int, int],
    unexplained_b: dict[int, Word],
    stretch_b: tuple[int, int],
    lang_b: str,
) -> dict[int, Word]:
    """Where the name has no anchored neighbour, its place is the stretch between the nearest
    anchors. If the A name is the one unexplained A name there, and no common word capitalised
    ("Conseil"), its partner is the unexplained
    B name there nearest its relative place, in its script, and rare in its language where
    wordfreq can tell (a name written in, not a capitalised noun: "Landes", "Journal"):
    "Kiernan is planning" / "Castaner planira". Several A names there are a paraphrase or a
    translation, not a swap that can be told; across scripts there is too little to go on."""
    (low_a, high_a), (low_b, high_b) = stretch_a, stretch_b
    names_a = [w for w in missing_a if low_a < index_a[w.start] < high_a]
    names_b = {
        j: w
        for j, w in unexplained_b.items()
        if low_b < j < high_b and not w.common and _maybe_rare(w, lang_b) and script_of(w.text) == script_of(wa.text)
    }
    if names_a != [wa] or wa.common or not names_b:
        return {}
    # Where A's name sits between its anchors, relatively, B's partner should too.
    place = (index_a[wa.start] - low_a) / (high_a - low_a)
    j = min(names_b, key=lambda j: abs((j - low_b) / (high_b - low_b) - place))
    return {names_b[j].start: names_b[j]}


def _maybe_rare(word: Word, lang: str) -> bool:
    """Shaped like a name by wordfreq: rare in its language (`is_rare_word`), or used alike in
    the other languages of its script ("Barbara", "Google"); true where wordfreq cannot judge."""
    return (
        not has_word_frequencies(lang, word.text)
        or word.text.isupper()
        or is_rare_word(word.text, lang)
        or is_international_word(word.text, lang)
    )


@dataclass(frozen=True)
class _NameCheck:
    """The names of one link before the translation check: spelling variants found,
    and the places of the A names that no B spelling explains."""

    variants: list[tuple[Word, tuple[int, int]]]
    places: list[_Place]

    def words_to_embed(self) -> list[str]:
        return [t for place in self.places for t in place.words_to_embed()]


def _check_names(a: SentenceFacts, b: SentenceFacts) -> _NameCheck:
    match = _match_names(a, b)
    missing_b = _match_names(b, a).missing if match.missing or match.heard else []
    places = _places(match.missing, match.heard, missing_b, a, b) if missing_b else []
    return _NameCheck(match.variants, places)


def _too_short_to_hear(x: Word, y: Word) -> bool:
    """Both names too short for their sound to tell them ("Moon" / "Петренко" is a swap)."""
    return max(len(sound_key(w.text).lstrip("_")) for w in (x, y)) < MIN_CROSS_SCRIPT_CONSONANTS


def _is_acronym(word: Word) -> bool:
    return sum(c.isupper() for c in word.text) >= 2 and len(word.key) <= MAX_ACRONYM_LETTERS


def _same_acronym(x: Word, y: Word) -> bool:
    """Acronyms made of the same letters, one's within the other's, name the same thing in two
    languages, the words of the full name in another order ("GPL" / "LPG", "OTAN" / "NATO")."""
    if not (_is_acronym(x) and _is_acronym(y)):
        return False
    letters_x, letters_y = set(x.key), set(y.key)
    return letters_x <= letters_y or letters_y <= letters_x


def _swapped(
    places: list[_Place], vectors: dict[str, np.ndarray], threshold: float, parts: NameParts
) -> list[tuple[Word, Word]]:
    """The places whose two names are not one thing said twice: a word in the place translates
    neither, the B name is no common word capitalised ("North" / "Sjeverna": a translation,
    whatever stands next to it; an A name that is one, "Bruno Le Maire", may still be swapped
    for a name), and they are not the same acronym (`_same_acronym`). Each B name is paired
    once."""
    taken: set[int] = set()
    pairs = []
    for place in places:
        lang_a, lang_b = place.langs
        wb = place.partner
        if (
            wb.start in taken
            or wb.common
            or _same_acronym(place.name, wb)
            # Two parts of one person's name: "Chambers" / "Jessicin" (Croatian, Jessica's)
            # where the articles write "Jessica Chambers".
            or _parts_of_one_name(place.name, wb, parts)
            # Names in two scripts too short to be told by their sound ("Nu" / Bengali "এনইউ",
            # the letters N, U): nothing says whether one was swapped.
            or (script_of(place.name.text) != script_of(wb.text) and _too_short_to_hear(place.name, wb))
            # One time zone for another: a time converted ("09:30 BST" / "10:30 (CET)").
            or (_ZONE_NAME.fullmatch(place.name.text) and _ZONE_NAME.fullmatch(wb.text))
            # An acronym is translated between scripts ("КДБ" / "KGB", "ООН" / "UN").
            or (script_of(place.name.text) != script_of(wb.text) and (_is_acronym(place.name) or _is_acronym(wb)))
            # A name B writes in its own script elsewhere has that transliteration near its place
            # ("亚当·迈耶斯 (Angela Meyers)" for "Adam Meyers"): only the partner is checked.
            or (not place.heard and _translated(place.name, lang_a, place.words_b, vectors, threshold))
            or _translated(wb, lang_b, place.words_a, vectors, threshold)
        ):
            continue
        taken.add(wb.start)
        pairs.append((place.name, wb))
    return pairs


def _name_differences(
    check: _NameCheck, text_a: str, text_b: str, vectors: dict[str, np.ndarray], threshold: float, parts: NameParts
) -> list[Difference]:
    differences = [
        Difference("name_variant", _span(text_a, w.start, w.end), _span(text_b, s, e))
        for w, (s, e) in check.variants
        if not _same_words(text_a[w.start : w.end], text_b[s:e])
    ]
    for wa, wb in _swapped(check.places, vectors, threshold, parts):
        differences.append(Difference("name", _span(text_a, wa.start, wa.end), _span(text_b, wb.start, wb.end)))
    return differences


# A name's key -> the keys of the names written next to it, in either article: the parts of a
# full name ("Jessica Chambers").
NameParts = Mapping[str, frozenset[str]]


def name_parts(*articles: Sequence[SentenceFacts]) -> NameParts:
    """The other parts of each full name the articles write: consecutive names with at most a
    space or an interpunct between them ("Jessica Chambers", "叶莲娜·马尔科娃"; not the list
    "Markova, Petrenko")."""
    found: dict[str, set[str]] = {}
    for facts in articles:
        for f in facts:
            position = {id(w): k for k, w in enumerate(f.words)}
            names = [(position[id(w)], w) for w in f.names if id(w) in position]
            for (i, x), (j, y) in zip(names, names[1:]):
                if j == i + 1 and y.start - x.end <= 1 and x.key != y.key:
                    found.setdefault(x.key, set()).add(y.key)
                    found.setdefault(y.key, set()).add(x.key)
    return {key: frozenset(others) for key, others in found.items()}


def _parts_of_one_name(x: Word, y: Word, parts: NameParts) -> bool:
    return any(spelling_match(y.key, p) is not None for p in parts.get(x.key, ())) or any(
        spelling_match(x.key, p) is not None for p in parts.get(y.key, ())
    )


def _same_words(x: str, y: str) -> bool:
    return x.casefold() == y.casefold()


NameChecks = dict[tuple[SentenceFacts, SentenceFacts], _NameCheck]  # by the link's merged facts


def check_names(links: Sequence[tuple[Sequence[SentenceFacts], Sequence[SentenceFacts]]], found: NameChecks) -> None:
    """The name checks of each link (its spelling variants and the places of names no spelling
    explains: the Python half of the name differences) into `found`, keyed by the facts they
    depend on: compare finds them for the first alignment while the encoder splits merged
    sentences, and `link_differences` takes those whose facts did not change."""
    for fa, fb in links:
        key = (_merge(fa), _merge(fb))
        if key not in found:
            found[key] = _check_names(*key)


def link_differences(
    links: Sequence[tuple[Sequence[SentenceFacts], Sequence[SentenceFacts]]],
    text_a: str,
    text_b: str,
    embed: Embed,
    word_threshold: float,
    known: NameChecks | None = None,
    parts: NameParts | None = None,
) -> list[tuple[Difference, ...]]:
    """The differences between the A sentences and the B sentences of each link; `known`:
    name checks found before (`check_names`); `parts`: the parts of the full names the two
    articles write (`name_parts`), which are one person's names, not a swap.

    Words for the translation check of names are embedded in one batch for all links:
    one encoder call per link would cost more than the whole rest of the comparison."""
    merged = [(_merge(fa), _merge(fb)) for fa, fb in links]
    known = known or {}
    checks = [check if (check := known.get(key)) is not None else _check_names(*key) for key in merged]
    texts = list(dict.fromkeys(t for check in checks for t in check.words_to_embed()))
    vectors = dict(zip(texts, embed(texts))) if texts else {}
    out = []
    for (a, b), check in zip(merged, checks):
        dates, settled = _date_differences(a, b, text_a, text_b)
        numbers = _number_differences(a, b, settled, text_a, text_b)
        names = _name_differences(check, text_a, text_b, vectors, word_threshold, parts or {})
        out.append(tuple(sorted(dates + numbers + names, key=lambda d: d.a.start if d.a else -1)))
    return out
