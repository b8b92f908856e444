"""Proper and product names, and matching them across spelling and script.

No multilingual NER model ships offline, so candidates come from rules:
capitalised words (not a stop word at sentence start), words that mix letters
and digits ("Mavix2", "G7"), and katakana runs in Japanese.

Two names match when their keys are equal (ASCII transliteration with
anyascii, lower case: "Москва" -> "moskva"), or when their phonetic skeletons
are close with rapidfuzz ("Mavix2" ~ "Mavic 2", "Wagnerites" ~ "Wagernites",
"Prigozhin" ~ "Prigojine", "Moscow" ~ "Moskow" ~ "Москва"). A close match
that is more than an inflected ending is a *spelling variant*.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import stopwordsiso
from anyascii import anyascii
from rapidfuzz import fuzz

# A word: letters (with inner hyphens/apostrophes) optionally followed by digits
# ("Mavix2"); or a bare number, kept so that "Mavic 2" can be read as one name.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\d*|\d+")
_KATAKANA = re.compile(r"[\u30a0-\u30ffー]{2,}")
# Where text has no spaces, runs of one script stand in for words; hiragana
# runs (mostly particles and endings) are left out.
_SCRIPT_RUN = re.compile(
    r"[\u30a0-\u30ffー]+|[\u3400-\u9fff]+|[\uac00-\ud7af]+|[\u0e00-\u0e7f]+"
    r"|[^\W\d_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+\d*|\d+"
)
_UNSPACED = {"ja", "zh", "th", "ko"}
VARIANT_MIN_RATIO = 80


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    key: str  # anyascii, lower case, letters and digits only
    capitalised: bool
    sentence_initial: bool


@functools.lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    return frozenset(stopwordsiso.stopwords(lang)) if stopwordsiso.has_lang(lang) else frozenset()


def name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


_SKELETON_RULES = [
    ("sch", "s"), ("zh", "j"), ("sh", "s"), ("ch", "s"), ("kh", "h"), ("ph", "f"), ("th", "t"),
    ("ck", "k"), ("w", "v"), ("c", "k"), ("q", "k"), ("x", "ks"), ("y", "i"), ("ou", "u"),
]


@functools.lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A rough phonetic form that survives transliteration and misspelling."""
    for old, new in _SKELETON_RULES:
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key.rstrip("aeiou") or key


def words(text: str, start: int, end: int, lang: str) -> list[Word]:
    """Words of text[start:end] (one sentence), with offsets into `text`."""
    found: list[Word] = []
    pattern = _SCRIPT_RUN if lang in _UNSPACED else _WORD
    for match in pattern.finditer(text, start, end):
        token = match.group()
        key = name_key(token)
        if not key:
            continue
        found.append(Word(match.start(), match.end(), token, key, token[0].isupper(), not found))
    return found


def is_name(word: Word, lang: str) -> bool:
    if word.text.isdigit() or len(word.key) < 2:
        return False
    if any(c.isdigit() for c in word.text):
        return True  # "Mavix2", "G7"
    if lang == "ja" and _KATAKANA.fullmatch(word.text):
        return True
    if not word.capitalised:
        return False
    return word.text.lower() not in stop_words(lang)


def is_inflection(a: str, b: str) -> bool:
    """Keys that differ only in a short alphabetic ending ("chine"/"china", "prigozhin"/"prigozhina")."""
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    rest_a, rest_b = a[prefix:], b[prefix:]
    return prefix >= 3 and len(rest_a) <= 2 and len(rest_b) <= 2 and (rest_a + rest_b).isalpha()


def spelling_match(key: str, other: str) -> str | None:
    """"same", "variant" or None for two name keys."""
    if key == other or is_inflection(key, other):
        return "same"
    a, b = skeleton(key), skeleton(other)
    if a == b:
        return "variant"
    if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= VARIANT_MIN_RATIO:
        return "variant"
    return None


def phrases(ws: list[Word]) -> list[tuple[int, int, str]]:
    """Each word, and each pair of adjacent words, as (start, end, key):
    "Mavic 2" must be able to match "Mavix2", "Maison Blanche" "Maison-Blanche"."""
    out = [(w.start, w.end, w.key) for w in ws]
    for first, second in zip(ws, ws[1:]):
        if second.start - first.end <= 1:
            out.append((first.start, second.end, first.key + second.key))
    return out
