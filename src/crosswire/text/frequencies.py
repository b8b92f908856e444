"""Word frequencies from a table derived from wordfreq, read without wordfreq.

`names.py` tells common words from names by their frequency (Zipf scale) in the
article's language and in the reference languages of its script. wordfreq ships
those lists (58 MB installed) and decodes a whole list on first use (1.1 s for
the seven a Latin-script article needs). The table in `data/words/` holds only
what names.py's rules can tell apart, built once by `bench/word_frequencies.py`:

- per language, the words whose Zipf frequency is at or above the language's
  floor (1.5 for the reference languages, which are compared with a common word's
  frequency minus COMMON_WORD_MIN_LEAD; 2.5 for the others, RARE_WORD_MAX_ZIPF);
  a word below it reads as 0.0, which every rule treats as it treats its true value;
- Chinese, the words at or above COMMON_WORD_MIN_ZIPF; Korean, every word
  (`frequency_dict`: names.py looks up whole words there);
- each language's text normalisation (wordfreq's `get_language_info`).

`zipf(word, lang)` is wordfreq's `zipf_frequency` for every word at or above the
floor: the same tokenizer (wordfreq's regular expression and normalisation, copied
below, Apache-2.0, like ftfy's `uncurl_quotes`), the same combination of several
tokens and digit estimates, the same rounding. bench/word_frequencies.py --check
compares both on every word of the seeds, the rewrite pairs and samples of
wordfreq's lists. A table file is decompressed on first use (milliseconds) and
looked up in place: the words are sorted, in blocks of 16, and a lookup bisects the blocks' first
words, then searches one block.

The frequency data is wordfreq's (Robyn Speer et al.), CC BY-SA 4.0; so is the table.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import sys
import unicodedata
import zlib
from array import array
from importlib import resources
from typing import Any

import regex

# wordfreq.tokens.TOKEN_RE (wordfreq 3.1, Apache-2.0), comments removed: spaceless scripts glued
# together, the Unicode word breaks of `regex`, French elisions ("l'", "qu'") split off.
_SPACELESS = (
    r"\p{IsIdeo}\p{Script=Hira}\p{Script=Kana}\p{Script=Khmr}\p{Script=Lana}\p{Script=Laoo}"
    r"\p{Script=Mymr}\p{Script=Tale}\p{Script=Talu}\p{Script=Thai}ー々〻〆"
)
_INITIAL_VOWEL = "[AEHIOUYÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÅÏÖŒaehiouyáéíóúàèìòùâêîôûåïöœ]"
_TOKEN_PATTERN = (
    r"[<SPACELESS>]+ | @s \b | (?=[\w\p{So}]) (?!\w\w?'<VOWEL>) \X+? (?: @s? (?!\w) | \b ) | \w\w?'".replace(
        "<SPACELESS>", _SPACELESS
    ).replace("<VOWEL>", _INITIAL_VOWEL)
)
_MARK = regex.compile(r"[\p{Mn}\N{ARABIC TATWEEL}]", regex.V1)
# ftfy.chardata (Apache-2.0): curly quotes, read as straight ones.
_SINGLE_QUOTE = regex.compile("[\u02bc\u2018-\u201b]")
_DOUBLE_QUOTE = regex.compile("[\u201c-\u201f]")
# wordfreq.numbers: runs of two digits or more are looked up as zeros ("2024" -> "0000"), then
# weighted by an estimate of that number's frequency.
_DIGIT = regex.compile(r"\d")
_MULTI_DIGIT = regex.compile(r"\d[\d.,]+")
_PURE_DIGIT = regex.compile(r"\d+")
_DIGIT_FREQS = [0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045]
_YEAR_LOG_PEAK = -1.9185
_NOT_YEAR_PROB = 0.1
_REFERENCE_YEAR = 2019
_PLATEAU_WIDTH = 20

_DATA = resources.files("crosswire") / "data" / "words"
BELOW_FLOOR = 0.0  # what `zipf` answers for a word under its language's floor


@functools.lru_cache(maxsize=1)
def _token_re() -> Any:
    # Compiled on first use: the pattern takes ~20 ms to compile.
    return regex.compile(_TOKEN_PATTERN, regex.V1 | regex.WORD | regex.VERBOSE)


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    index: dict[str, Any] = json.loads(_DATA.joinpath("index.json").read_text("utf-8"))
    return index


def languages() -> frozenset[str]:
    """The languages wordfreq has lists for (some without a table: Japanese needs MeCab)."""
    return frozenset(_index()["languages"])


class _Table:
    """One language's words at or above its floor, as wordfreq buckets (centibels below 1)."""

    def __init__(self, lang: str) -> None:
        blob = zlib.decompress(_DATA.joinpath(f"{lang}.bin").read_bytes())
        blocks, keys_size = int.from_bytes(blob[:4], "little"), int.from_bytes(blob[4:8], "little")
        offsets = array("I")
        offsets.frombytes(blob[8 : 8 + 4 * (blocks + 1)])
        if sys.byteorder == "big":
            offsets.byteswap()
        at = 8 + 4 * (blocks + 1)
        # The first word of each block, in order (the words are sorted by code point).
        self.starts = blob[at : at + keys_size].decode().split("\n")
        self.offsets, self.data = offsets, blob[at + keys_size :]

    def bucket(self, word: str) -> int | None:
        block = bisect.bisect_right(self.starts, word) - 1
        if block < 0:
            return None
        key = word.encode()
        chunk = self.data[self.offsets[block] : self.offsets[block + 1]]
        at = chunk.find(b"\n" + key + b"\t")
        if at < 0:
            return None
        start = at + len(key) + 2
        end = chunk.find(b"\n", start)
        return int(chunk[start:] if end < 0 else chunk[start:end])

    def items(self) -> list[tuple[str, int]]:
        out = []
        for entry in self.data.decode().split("\n")[1:]:
            word, _, bucket = entry.partition("\t")
            out.append((word, int(bucket)))
        return out


@functools.lru_cache(maxsize=None)
def _table(lang: str) -> _Table:
    return _Table(lang)


def _info(lang: str) -> dict[str, Any]:
    try:
        info: dict[str, Any] = _index()["languages"][lang]
    except KeyError:
        raise LookupError(f"no word frequencies for language {lang!r}") from None
    return info


def cb_to_freq(cb: int) -> float:
    return float(10 ** (cb / 100))


def zipf_to_freq(zipf: float) -> float:
    return float(10**zipf / 1e9)


def frequency_dict(lang: str) -> dict[str, float]:
    """wordfreq's `get_frequency_dict(lang)` for the words the table holds (Korean: all of them;
    Chinese: those at or above its floor)."""
    if not _info(lang)["table"]:
        raise LookupError(f"no word frequency table for language {lang!r}")
    return {word: cb_to_freq(-bucket) for word, bucket in _table(lang).items()}


def _preprocess(text: str, info: dict[str, Any]) -> str:
    # wordfreq.preprocess.preprocess_text
    text = unicodedata.normalize(info["normal_form"], text)
    if info["transliteration"]:
        text = text.translate(_transliteration(info["transliteration"]))
    if info["remove_marks"]:
        text = _MARK.sub("", text)
    if info["dotless_i"]:
        text = unicodedata.normalize("NFC", text).replace("İ", "i").replace("I", "ı").casefold()
    else:
        text = text.casefold()
    if info["diacritics_under"] == "commas":
        text = text.replace("ş", "ș").replace("ţ", "ț")
    elif info["diacritics_under"] == "cedillas":
        text = text.replace("ș", "ş").replace("ț", "ţ")
    return text


@functools.lru_cache(maxsize=None)
def _transliteration(name: str) -> dict[int, str]:
    return {int(k): v for k, v in _index()["transliterations"][name].items()}


def tokenize(text: str, lang: str) -> list[str]:
    """wordfreq's `lossy_tokenize(text, lang)` for a language its regular expression tokenizes."""
    info = _info(lang)
    if info["tokenizer"] != "regex":
        raise LookupError(f"wordfreq tokenizes {lang!r} with {info['tokenizer']}, which crosswire does not ship")
    text = unicodedata.normalize("NFC", _preprocess(text, info))
    tokens = [token.strip("'").casefold() for token in _token_re().findall(text)]
    return [_SINGLE_QUOTE.sub("'", _DOUBLE_QUOTE.sub('"', token)) for token in tokens]


def _benford_freq(text: str) -> float:
    return float(_DIGIT_FREQS[int(text[0])] / 10 ** (len(text) - 1))


def _year_freq(text: str) -> float:
    year = int(text)
    if year <= _REFERENCE_YEAR:
        year_log_freq = _YEAR_LOG_PEAK - 0.0083 * (_REFERENCE_YEAR - year)
    elif _REFERENCE_YEAR < year <= _REFERENCE_YEAR + _PLATEAU_WIDTH:
        year_log_freq = _YEAR_LOG_PEAK
    else:
        year_log_freq = _YEAR_LOG_PEAK - 0.2 * (year - (_REFERENCE_YEAR + _PLATEAU_WIDTH))
    return float(10.0**year_log_freq) + _NOT_YEAR_PROB * _benford_freq(text)


def _digit_freq(text: str) -> float:
    freq = 1.0
    for match in _MULTI_DIGIT.findall(text):
        for submatch in _PURE_DIGIT.findall(match):
            freq *= _year_freq(submatch) if len(submatch) == 4 else _benford_freq(submatch)
    return freq


def _smash_numbers(text: str) -> str:
    return str(_MULTI_DIGIT.sub(lambda m: _DIGIT.sub("0", m.group(0)), text))


def zipf(word: str, lang: str) -> float:
    """wordfreq's `zipf_frequency(word, lang)` where that is at or above `lang`'s floor
    (`floor(lang)`), else BELOW_FLOOR."""
    if not _info(lang)["table"]:
        raise LookupError(f"no word frequency table for language {lang!r}")
    tokens = tokenize(word, lang)
    minimum = zipf_to_freq(0.0)
    if not tokens:
        return BELOW_FLOOR
    table = _table(lang)
    one_over_result = 0.0
    for token in tokens:
        smashed = _smash_numbers(token)
        bucket = table.bucket(smashed)
        if bucket is None:
            # Missing, or under the floor: several tokens combine to less than the least of them.
            return BELOW_FLOOR
        freq = cb_to_freq(-bucket)
        if smashed != token:
            freq *= _digit_freq(token)
        one_over_result += 1.0 / freq
    unrounded = max(1.0 / one_over_result, minimum)
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    freq = round(unrounded, leading_zeroes + 3)
    value = round(math.log(freq, 10) + 9, 2)
    return value if value >= _info(lang)["floor"] else BELOW_FLOOR


def preload(lang: str) -> None:
    """Decompress `lang`'s table now, if it has one (a caller with time to spare)."""
    info = _index()["languages"].get(lang)
    if info is not None and info["table"] and info["tokenizer"] == "regex":
        _table(lang)


def floor(lang: str) -> float:
    """The lowest Zipf frequency the table holds for `lang`."""
    return float(_info(lang)["floor"])
