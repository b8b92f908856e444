"""Differences inside one linked group of sentences: numbers, dates, names.

Translation alone (different words, same facts) yields no change. A change is
reported only where *both* sides hold a detail the other lacks: a number
missing from B is an omission, but a number missing from B while B holds
another number it does not share with A is a change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz

from .model import Difference, Span
from .text.dates import DateMention
from .text.names import (
    ABJADS,
    Word,
    cross_script_variant,
    has_digit,
    is_rare_word,
    phrases,
    same_territory,
    script_of,
    spelling_matches,
    stop_words,
)
from .text.numbers import Number, same_number


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
        differences.append(Difference(kind, _span(text_a, da.start, da.end), _span(text_b, db.start, db.end), f"dates {da.iso} vs {db.iso}"))
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
    # A digit glued into a name on the other side ("Mavix2" vs "Mavic 2") is not a lost number.
    # Most links have no number left over, so the words are scanned only when one is.
    if unmatched_a or open_b:
        digits_in_words_a = {re.sub(r"\D", "", w.text) for w in a.words if has_digit(w.text)}
        digits_in_words_b = {re.sub(r"\D", "", w.text) for w in b.words if has_digit(w.text)}
        unmatched_a = [n for n in unmatched_a if n.text not in digits_in_words_b]
        open_b = [n for n in open_b if n.text not in digits_in_words_a]
    differences = []
    for na, nb in _pair(unmatched_a, open_b, key=lambda n: n.percent):
        differences.append(Difference("number", _span(text_a, na.start, na.end), _span(text_b, nb.start, nb.end)))
    return differences


def _pair(xs: Sequence[Number], ys: Sequence[Number], key: Callable[[Number], object]) -> list[tuple[Number, Number]]:
    """Pair leftovers of the same kind first (a percentage with a percentage), then in order."""
    pairs: list[tuple[Number, Number]] = []
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


def _match_names(own: SentenceFacts, other: SentenceFacts) -> tuple[list[tuple[Word, tuple[int, int]]], list[Word]]:
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
    for i, w in enumerate(own.names):
        kinds = found.get(i, []) or [
            ("variant", j)
            for j, (start, _, key, _) in enumerate(other_phrases)
            if cross_script_variant(w.text, w.key, other_text[start], key)
        ]
        if any(k == "same" or same_territory(w.key, own.lang, other_phrases[j][2], other.lang) for k, j in kinds):
            continue
        variant = max(
            ((fuzz.ratio(w.key, other_phrases[j][2]), other_phrases[j][:2]) for k, j in kinds if other_phrases[j][3]),
            default=(0, None),
        )[1]
        if variant:
            variants.append((w, variant))
        else:
            missing.append(w)
    return variants, missing


def names_conflict(a: SentenceFacts, b: SentenceFacts) -> bool:
    """Each side has a name the other does not spell in any variant."""
    return bool(_match_names(a, b)[1]) and bool(_match_names(b, a)[1])


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
    Each A word takes the first B word it matches that no earlier A word took."""
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
    partners: dict[int, list[int]] = {}
    for i, j in sorted(matches):
        partners.setdefault(i, []).append(j)
    out: dict[int, int] = {}
    used: set[int] = set()
    for i, wa in enumerate(a.words):
        if len(wa.key) < 2:
            continue
        partner = next((j for j in partners.get(i, ()) if j not in used), None)
        if partner is not None:
            out[i] = partner
            used.add(partner)
    return out


def _abjad(facts: SentenceFacts) -> bool:
    """Whether the sentence's letters are mostly of an abjad (Arabic, Hebrew script)."""
    letters = [w for w in facts.words if not w.text.isdigit()]
    return sum(script_of(w.text) in ABJADS for w in letters) * 2 > len(letters)


@dataclass(frozen=True)
class _Place:
    """An A name that no B spelling explains, and its place: the content words between
    its nearest anchored words on each side, and the unexplained B names between the
    anchors' matches, nearest to the A name's relative place first."""

    name: Word
    words_a: list[Word]
    words_b: list[Word]
    partners: list[Word]
    langs: tuple[str, str]

    def words_to_embed(self) -> list[str]:
        return [w.text for w in [self.name, *self.partners]] + _translation_candidates(self.words_a) + _translation_candidates(self.words_b)


MAX_ACRONYM_LETTERS = 6
MAX_ANCHOR_SKIPS = 1  # anchors out of order passed over on each side of a name


def _ordered_anchor_pairs(anchors: dict[int, int], p: int, n_a: int, n_b: int) -> list[tuple[int, int]]:
    """Anchored A words around word p, one on each side (-1 and n_a for the sentence ends),
    whose B matches are in the same order, nearest pairs first. Up to MAX_ANCHOR_SKIPS
    anchors on each side may be passed over: a cognate matched out of place ("groupe
    britannique Reckitt Benckiser" / "britischen Dombrovskis Benckiser Group")."""
    before = sorted((i for i in anchors if i < p), reverse=True) + [-1]
    after = sorted(i for i in anchors if i > p) + [n_a]
    target = {**anchors, -1: -1, n_a: n_b}
    pairs = [(x, y) for x in before[: MAX_ANCHOR_SKIPS + 1] for y in after[: MAX_ANCHOR_SKIPS + 1]]
    return sorted(((x, y) for x, y in pairs if target[x] < target[y]), key=lambda xy: xy[1] - xy[0])


def _places(missing_a: list[Word], missing_b: list[Word], a: SentenceFacts, b: SentenceFacts) -> list[_Place]:
    """The place of each unexplained A name that has unexplained B names in it."""
    anchors = _anchors(a, b)
    index_a = {w.start: i for i, w in enumerate(a.words)}
    index_b = {w.start: j for j, w in enumerate(b.words)}
    content_a, content_b = set(map(id, a.content_words())), set(map(id, b.content_words()))
    out = []
    for wa in missing_a:
        p = index_a[wa.start]
        bounds = _ordered_anchor_pairs(anchors, p, len(a.words), len(b.words))
        if not bounds:
            continue  # anchors cross on every side: the clause was reordered, no safe place
        left, right = bounds[0]
        low = anchors[left] if left >= 0 else -1
        high = anchors[right] if right < len(a.words) else len(b.words)
        window = [wb for wb in missing_b if low < index_b[wb.start] < high]
        if not window:
            continue
        # Where A's name sits between its anchors, relatively, B's partner should too.
        rel = (p - left) / (right - left)
        window.sort(key=lambda wb: abs((index_b[wb.start] - low) / (high - low) - rel))
        words_a = [w for w in a.words[left + 1 : right] if id(w) in content_a and w is not wa]
        words_b = [w for w in b.words[low + 1 : high] if id(w) in content_b]
        out.append(_Place(wa, words_a, words_b, window, (a.lang, b.lang)))
    return out


@dataclass(frozen=True)
class _NameCheck:
    """The names of one link before the translation check: spelling variants found,
    and the places of the A names that no B spelling explains."""

    variants: list[tuple[Word, tuple[int, int]]]
    places: list[_Place]

    def words_to_embed(self) -> list[str]:
        return [t for place in self.places for t in place.words_to_embed()]


def _check_names(a: SentenceFacts, b: SentenceFacts) -> _NameCheck:
    variants, missing_a = _match_names(a, b)
    missing_b = _match_names(b, a)[1] if missing_a else []
    return _NameCheck(variants, _places(missing_a, missing_b, a, b) if missing_b else [])


def _is_acronym(word: Word) -> bool:
    return sum(c.isupper() for c in word.text) >= 2 and len(word.key) <= MAX_ACRONYM_LETTERS


def _same_acronym(x: Word, y: Word) -> bool:
    """Acronyms made of the same letters, one's within the other's, name the same thing in two
    languages, the words of the full name in another order ("GPL" / "LPG", "OTAN" / "NATO")."""
    if not (_is_acronym(x) and _is_acronym(y)):
        return False
    letters_x, letters_y = set(x.key), set(y.key)
    return letters_x <= letters_y or letters_y <= letters_x


def _swapped(places: list[_Place], vectors: dict[str, np.ndarray], threshold: float) -> list[tuple[Word, Word]]:
    """Pair each A name with the nearest B name in its place, each B name once, unless a
    word in the place translates either of them, both are common words capitalised
    ("Conseil" / "Council"), or both are the same acronym (`_same_acronym`). A name with no partner there was dropped or paraphrased,
    not swapped."""
    taken: set[int] = set()
    pairs = []
    for place in places:
        lang_a, lang_b = place.langs
        if _translated(place.name, lang_a, place.words_b, vectors, threshold):
            continue
        wb = next(
            (
                wb
                for wb in place.partners
                if wb.start not in taken
                and not (place.name.common and wb.common)
                and not _same_acronym(place.name, wb)
                and not _translated(wb, lang_b, place.words_a, vectors, threshold)
            ),
            None,
        )
        if wb is not None:
            taken.add(wb.start)
            pairs.append((place.name, wb))
    return pairs


def _name_differences(
    check: _NameCheck, text_a: str, text_b: str, vectors: dict[str, np.ndarray], threshold: float
) -> list[Difference]:
    differences = [
        Difference("name_variant", _span(text_a, w.start, w.end), _span(text_b, s, e))
        for w, (s, e) in check.variants
        if not _same_words(text_a[w.start : w.end], text_b[s:e])
    ]
    for wa, wb in _swapped(check.places, vectors, threshold):
        differences.append(Difference("name", _span(text_a, wa.start, wa.end), _span(text_b, wb.start, wb.end)))
    return differences


def _same_words(x: str, y: str) -> bool:
    return x.casefold() == y.casefold()


def link_differences(
    links: Sequence[tuple[Sequence[SentenceFacts], Sequence[SentenceFacts]]],
    text_a: str,
    text_b: str,
    embed: Embed,
    word_threshold: float,
) -> list[tuple[Difference, ...]]:
    """The differences between the A sentences and the B sentences of each link.

    Words for the translation check of names are embedded in one batch for all links:
    one encoder call per link would cost more than the whole rest of the comparison."""
    merged = [(_merge(fa), _merge(fb)) for fa, fb in links]
    checks = [_check_names(a, b) for a, b in merged]
    texts = list(dict.fromkeys(t for check in checks for t in check.words_to_embed()))
    vectors = dict(zip(texts, embed(texts))) if texts else {}
    out = []
    for (a, b), check in zip(merged, checks):
        dates, settled = _date_differences(a, b, text_a, text_b)
        numbers = _number_differences(a, b, settled, text_a, text_b)
        names = _name_differences(check, text_a, text_b, vectors, word_threshold)
        out.append(tuple(sorted(dates + numbers + names, key=lambda d: (d.a.start if d.a else -1))))
    return out
