"""Sentence segmentation with character offsets into the original text.

Three steps, each fixing what the previous one gets wrong on news text:
1. Lines -> blocks. Each line is a block, except that a line which starts in
   lower case continues the previous unfinished line (hard-wrapped text, even
   across a blank line: "posting advertisements on\\n\\nlocal media.").
   Blocks that are page furniture (data/boilerplate.txt) are skipped.
2. Blocks -> pieces with sentencex, which covers ~300 languages and splits
   scripts without spaces (Japanese, Chinese) on their own punctuation. Thai
   ends a sentence with no mark at all, only a space, which it also puts between
   clauses: there pythainlp's CRF sentence model (crfcut, shipped in the package)
   tells the two apart. pythainlp (67 MB) is the `thai` extra: without it, Thai
   blocks are split by sentencex (at marks only) and a ThaiSentencesWarning says so.
3. Pieces -> sentences: a piece that ends in a known abbreviation ("Bpk.",
   "U.S.", "St.") or an initial ("J."), or in a dotted acronym of a script
   without capitals ("এন.এইচ.কে."), is joined to the next one, and so is a
   piece followed by one that starts in lower case, and a piece that ends at
   no sentence-final mark (sentencex cut "पारो (Nu | 150)").
4. Unpunctuated boundaries are split: a headline runs into the first sentence
   when a page is flattened to one line ("... pèsent PARIS (Reuters) - La
   Bourse", "... au cœur d'un scandale Le ministre canadien"). A dateline, or a
   capitalised function word after a lower-case word and before a lower-case
   one, starts a new sentence; a capitalised function word before another
   capital is left alone, as it is usually a name ("Le Monde", "The Times").
   sentencex also keeps an unbalanced or spaced quotation mark open to the end
   of the block (`l"économie`, French `" ... "`), so a full stop before a
   capital is a boundary here too, unless it ends an abbreviation.
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import re
import warnings
from dataclasses import dataclass
from typing import Callable

import regex
from sentencex import segment as sentencex_segment

from ..model import Sentence, Skipped
from .names import NOUNS_CAPITALISED, script_of, stop_words

_SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*\s*$")
# Any cased script: Ukrainian "і", "є", Armenian included (see `_cased_scripts`, `_opens_lower`).
_STARTS_LOWER = regex.compile(r"^\s*(\p{Ll})")
_CAPITAL = regex.compile(r"[\p{Lu}\p{Lt}]")
# A piece that opens with a comma, perhaps after quotation marks, goes on with the sentence
# before it, whose quotation ended in "!" or "?": '„... viče ‚Ugrizao me je!’” | , dodao je
# Hammel.', '«Ми не здамося!» | , – сказав він.' (no sentence opens with a comma). So does one
# that opens with a dash and a lower-case word: '«Ми не здамося!» | – сказав він.'
_CLOSES_QUOTATION = regex.compile(r"^\s*[\"'\p{Pi}\p{Pf}»«]*\s*[,;:]")
_DASH_THEN = regex.compile(r"^\s*[\"'\p{Pi}\p{Pf}»«]*\s*[–—-]\s*(\p{Ll})")
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
# "PARIS (Reuters) - ", "ALGER - ", "NEW YORK, 3 mars (AFP) — "
_DATELINE = re.compile(
    r"(?<=[^\W\d_]) (?=[A-ZÀ-ÖØ-Þ]{3,}(?:[ -][A-ZÀ-ÖØ-Þ]{2,})*(?:,[^()\n]{0,30})?(?: \([^()\n]{2,30}\))? [-–—] )"
)
_STOP_BEFORE_CAPITAL = regex.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[\"“«]?\s?[\p{Lu}\p{Lt}0-9])")
# Scripts without capitals (Devanagari, Bengali, Arabic, ...) give no capital to look for: there
# a full stop after a word of such a script and before another such word ends a sentence, as
# sentencex finds it outside quotations but not inside an unclosed one (FLORES Hindi: “हू ने कहा,
# ... करेंगे. लेकिन ..." ran four sentences into one).
_STOP_BETWEEN_UNCASED = regex.compile(r"(?<=[\p{Lo}\p{Mn}\p{Mc}][.!?…])[\"”»']?\s+(?=[\"“«]?\s?\p{Lo})")
# The same between lower-case letters of a script that the text writes without capitals:
# Georgian's Mkhedruli letters are lower case in Unicode (its Mtavruli capitals are kept for
# all-capital headings), so a sentence never starts with a capital there.
_STOP_BETWEEN_LOWER = regex.compile(r"(?<=(\p{Ll})[.!?…])[\"”»']?\s+(?=[\"“«]?\s?(\p{Ll}))")
# Han and kana are written without spaces: a space between two of their characters is where a
# line ended, a flattened headline running into the first sentence ("...计划近乎流产 周日，利比亚...").
_SPACE_BETWEEN_HAN = regex.compile(
    r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}])[ \u3000]+(?=[\p{Han}\p{Hiragana}\p{Katakana}])"
)
# Thai and Lao have no sentence mark of their own: a space between two of their letters ends
# a sentence or a clause. Where no model finds the ends (pythainlp's, for Thai: the `thai`
# extra), each space there is a sentence end, the parts at least MIN_UNMARKED_SENTENCE_CHARS
# long: clauses link one to one or join, where a paragraph read as one sentence links to
# nothing.
_SPACE_IN_UNMARKED_SCRIPT = regex.compile(r"(?<=[\p{Thai}\p{Lao}]) +(?=[\p{Thai}\p{Lao}])")
MIN_UNMARKED_SENTENCE_CHARS = 6


def _unmarked_ends(text: str, start: int, end: int) -> list[int]:
    cuts: list[int] = []
    for match in _SPACE_IN_UNMARKED_SCRIPT.finditer(text, start, end):
        last = cuts[-1] if cuts else start
        if match.start() - last >= MIN_UNMARKED_SENTENCE_CHARS and end - match.end() >= MIN_UNMARKED_SENTENCE_CHARS:
            cuts.append(match.end())
    return cuts


# Sentence ends of any script that sentencex may not know for the language it is given
# (Khmer "។", a Hindi quote in an Urdu article): Unicode's Sentence_Terminal characters other
# than ASCII ones (abbreviations and names end in "." and "!": "Yahoo!"), and the Tibetan shad,
# which Unicode lists only as terminal punctuation, before a space.
_SCRIPT_SENTENCE_END = regex.compile(
    r"(?<=[\p{Sentence_Terminal}\u0f0d\u0f0e--[\x00-\x7f]])['\"”’»)\]」』]*\s+(?=\S)", regex.V1
)
# "am 12. Juli", "der 3. Weg": in these languages a period after a one- or two-digit number
# standing as a word makes it an ordinal; elsewhere ("un score de 76. Ainsi") it ends a
# sentence, and so does a number inside a word anywhere ("le Covid-19. Le texte").
_ORDINAL = re.compile(r"(?<![\w.,-])\d{1,2}\.$")
# sentencex 1.0.32 (Rust) panics on a one-letter word, non-ASCII whitespace and a full stop
# ("B\u202f.", "A\xa0."): it slices bytes as if the space were one byte. Its input gets a
# plain space for each of them, one character for one, so offsets into the block hold.
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(0x80, 0x3001) if chr(c).isspace()})
_ORDINAL_PERIOD_LANGS = {
    "de",
    "lb",
    "da",
    "nb",
    "nn",
    "no",
    "is",
    "fi",
    "et",
    "lv",
    "cs",
    "sk",
    "pl",
    "sl",
    "hr",
    "sr",
    "bs",
    "hu",
    "tr",
}
# Where every noun is capitalised (NOUNS_CAPITALISED), a capital after a lower-case
# word says nothing about a sentence start, but a capitalised article still does.
_ARTICLE_AFTER_LOWER = re.compile(r"(?<=[a-zß-ÿ]) (Der|Die|Das|Ein|Eine|Den|Dem|Des) ")
# lower-case word, space, Capitalised word, space, lower-case word
_CAPITAL_AFTER_LOWER = re.compile(r"(?<=[a-zß-ÿ]) ([A-ZÀ-ÖØ-Þ][a-zß-ÿ]{1,8})(?= [a-zß-ÿ])")


@dataclass(frozen=True)
class _Pattern:
    label: str
    regex: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _boilerplate_patterns() -> tuple[_Pattern, ...]:
    text = (importlib.resources.files("crosswire") / "data" / "boilerplate.txt").read_text("utf-8")
    patterns = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, regex = line.split("\t", 1)
        patterns.append(_Pattern(label, re.compile(regex + r"\s*$", re.IGNORECASE | re.DOTALL)))
    return tuple(patterns)


@functools.lru_cache(maxsize=1)
def _abbreviation_table() -> dict[str, frozenset[str]]:
    text = (importlib.resources.files("crosswire") / "data" / "abbreviations.txt").read_text("utf-8")
    table: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, words = line.split(":", 1)
        table[lang.strip()] = frozenset(words.split())
    return table


def abbreviations(lang: str) -> frozenset[str]:
    table = _abbreviation_table()
    return table.get("*", frozenset()) | table.get(lang, frozenset())


def boilerplate_reason(line: str) -> str | None:
    """The label of the boilerplate pattern a whole line matches, if any."""
    stripped = line.strip()
    for pattern in _boilerplate_patterns():
        if pattern.regex.match(stripped):
            return pattern.label
    return None


def _cased_scripts(text: str) -> frozenset[str]:
    """The scripts that `text` writes a capital letter of: in the others, no sentence is told
    by its capital, and a lower-case letter does not continue a sentence."""
    return frozenset(script_of(c) for c in set(_CAPITAL.findall(text)))


def _opens_lower(pattern: regex.Pattern[str], piece: str, cased: frozenset[str]) -> bool:
    """Whether `piece` opens as `pattern` says with a lower-case letter (its group 1) of a script
    the text writes capitals of."""
    match = pattern.match(piece)
    return match is not None and script_of(match.group(1)) in cased


def _blocks(text: str, cased: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of logical lines, re-joining hard-wrapped sentences."""
    blocks: list[list[int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        content = text[start:end]
        if not content.strip():
            continue
        if (
            blocks
            and _opens_lower(_STARTS_LOWER, content, cased)
            and not _SENTENCE_END.search(text[blocks[-1][0] : blocks[-1][1]])
        ):
            blocks[-1][1] = end
        else:
            blocks.append([start, end])
    return [(s, e) for s, e in blocks]


def _ends_with_abbreviation(piece: str, abbrevs: frozenset[str]) -> bool:
    match = _LAST_WORD.search(piece)
    if not match:
        return False
    word = match.group(1).lstrip("(\"'“«")
    # A single letter is an initial ("J. Smith") or part of a spaced abbreviation (German
    # "z. B.", "d. h."); dotted acronyms are looked up without their last period ("U.S." -> "U.S"),
    # and in a script without capitals any dotted one is an acronym (Bengali "এন.এইচ.কে.", NHK):
    # nothing there would tell its end from a sentence's.
    return (len(word) == 1 and word.isalpha()) or word in abbrevs or _uncased_acronym(word)


def _uncased_acronym(word: str) -> bool:
    """Letters of a script without capitals with periods between them ("এন.এইচ.কে")."""
    return _DOTTED_LETTERS.fullmatch(word) is not None and word.lower() == word.upper()


_DOTTED_LETTERS = regex.compile(r"[\p{L}\p{M}]+(?:\.[\p{L}\p{M}]+)+")


def _acronym_ends_sentence(piece: str, following: str, lang: str) -> bool:
    """A dotted acronym ("U.S.") still ends a sentence when the next piece opens with a
    capitalised function word ("... in the U.S. He works there"), which never continues
    a name ("U.S. President", "U.S. Army")."""
    match = _LAST_WORD.search(piece)
    if not match or "." not in match.group(1):
        return False
    first = following.split(maxsplit=1)[0].strip("\"“«„'(") if following.strip() else ""
    return first[:1].isupper() and first.lower() in stop_words(lang)


def _ends_with_ordinal(piece: str, lang: str) -> bool:
    return lang in _ORDINAL_PERIOD_LANGS and _ORDINAL.search(piece) is not None


def _sentencex_pieces(lang: str, block: str) -> list[str]:
    """sentencex's sentences of the block; the whole block as one piece if it panics.

    sentencex is Rust: a panic surfaces as pyo3's PanicException, a BaseException that no
    `except Exception` catches, so one odd article would end a whole ingest. The block is
    then split only where sentencex's misses are looked for in any block (_split_hidden: a
    full stop before a capital, a dateline)."""
    try:
        return list(sentencex_segment(lang, block))
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        return [block]


THAI_INSTALL = "pip install 'crosswire[thai]'"


class ThaiSentencesWarning(UserWarning):
    """Thai text was segmented without pythainlp (the `thai` extra): sentences end at spaces."""


@functools.lru_cache(maxsize=1)
def _thai_sentences() -> Callable[..., list[str]] | None:
    # Imported here: pythainlp's import takes a quarter of a second, only Thai needs it.
    try:
        from pythainlp.tokenize import sent_tokenize
    except ImportError:
        return None
    return sent_tokenize  # type: ignore[return-value]


def _thai_pieces(block: str) -> list[str]:
    thai_sentences = _thai_sentences()
    if thai_sentences is None:
        warnings.warn(
            "th: Thai marks no sentence end, and pythainlp, whose model finds them, is not installed: "
            f"each space between Thai words is read as a sentence end, so clauses are compared; for Thai sentences, run: {THAI_INSTALL}",
            ThaiSentencesWarning,
            stacklevel=2,
        )
        return _sentencex_pieces("th", block)
    return [str(piece) for piece in thai_sentences(block, engine="crfcut")]


# A piece that sentencex ends without a sentence's final mark is no sentence: it cut Hindi
# "पारो (Nu | 150) और पुनाखा (Nu | 200)" where nothing ends a sentence. Marks it may be followed
# by: spaces, quotes (sentencex leaves the next quotation's opening mark on the piece),
# brackets, a footnote ("[1]"). Greek asks with ";"; Armenian text often types ":" for "։".
_ENDS_AT_TERMINAL = regex.compile(r"[\p{Sentence_Terminal}…;][\s\p{Pf}\p{Pe}\p{Pi}\"'»«”“’)\]]*(?:\[\d{1,3}\]\s*)*$")
_ENDS_AT_TERMINAL_BY_LANG = {"hy": regex.compile(r"[:՜][\s\p{Pf}\p{Pe}\p{Pi}\"'»«”“’)\]]*$")}
# Enough of a sentence's end to read its last word and final marks.
MAX_END_CHARS = 200


def _ends_a_sentence(piece: str, lang: str) -> bool:
    by_lang = _ENDS_AT_TERMINAL_BY_LANG.get(lang)
    return _ENDS_AT_TERMINAL.search(piece) is not None or (by_lang is not None and by_lang.search(piece) is not None)


def _inside_numeral(block: str, previous_end: int, found: int) -> bool:
    """A break at a mark between two digits with no space ("৩.৭", Bengali 3.7: sentencex
    splits there in scripts other than Latin's digits): a decimal or group mark."""
    return (
        found == previous_end
        and previous_end >= 2
        and block[previous_end - 2].isdigit()
        and not block[previous_end - 1].isalnum()
        and block[found : found + 1].isdigit()
    )


def _split_block(
    text: str, start: int, end: int, lang: str, abbrevs: frozenset[str], cased: frozenset[str]
) -> list[tuple[int, int]]:
    block = text[start:end]
    spans: list[list[int]] = []
    cursor = 0
    if lang == "th":
        searched, pieces = block, _thai_pieces(block)
    else:
        searched = block.translate(_ASCII_SPACES)
        pieces = _sentencex_pieces(lang, searched)
    for piece in pieces:
        found = searched.find(piece.strip(), cursor) if piece.strip() else -1
        if found < 0:
            continue
        piece_end = found + len(piece.strip())
        cursor = piece_end
        # Only its end is read, and a span grows as pieces are joined: its whole text each time
        # would be quadratic in a long line.
        previous = block[max(spans[-1][0], spans[-1][1] - MAX_END_CHARS) : spans[-1][1]] if spans else ""
        if spans and (
            (
                _ends_with_abbreviation(previous, abbrevs)
                and not _acronym_ends_sentence(previous, block[found:piece_end], lang)
            )
            or _ends_with_ordinal(previous, lang)
            or _opens_lower(_STARTS_LOWER, block[found:piece_end], cased)
            or _CLOSES_QUOTATION.match(block[found:piece_end])
            or _opens_lower(_DASH_THEN, block[found:piece_end], cased)
            or _inside_numeral(block, spans[-1][1], found)
            or (lang != "th" and not _ends_a_sentence(previous, lang))
        ):
            spans[-1][1] = piece_end
        else:
            spans.append([found, piece_end])
    return [(start + s, start + e) for s, e in spans]


def _hidden_boundaries(
    text: str, start: int, end: int, lang: str, abbrevs: frozenset[str], cased: frozenset[str]
) -> list[int]:
    """Offsets inside text[start:end] where a sentence starts that sentencex missed."""
    cuts = [m.end() for m in _DATELINE.finditer(text, start, end)]
    cuts += [m.end() for m in _SCRIPT_SENTENCE_END.finditer(text, start, end)]
    cuts += [m.end() for m in _SPACE_BETWEEN_HAN.finditer(text, start, end)]
    if not (lang == "th" and _thai_sentences() is not None):
        cuts += _unmarked_ends(text, start, end)
    between_uncased_lower = (
        m
        for m in _STOP_BETWEEN_LOWER.finditer(text, start, end)
        if script_of(m.group(1)) not in cased and script_of(m.group(2)) not in cased
    )
    for match in itertools.chain(
        _STOP_BEFORE_CAPITAL.finditer(text, start, end),
        _STOP_BETWEEN_UNCASED.finditer(text, start, end),
        between_uncased_lower,
    ):
        before = text[start : match.start()].rstrip("\"”»'")
        if not _ends_with_abbreviation(before, abbrevs) and not _ends_with_ordinal(before, lang):
            cuts.append(match.end())
    if lang in NOUNS_CAPITALISED:
        cuts += [m.start(1) for m in _ARTICLE_AFTER_LOWER.finditer(text, start, end)]
        return sorted(c for c in set(cuts) if start < c < end)
    stops = stop_words(lang)
    for match in _CAPITAL_AFTER_LOWER.finditer(text, start, end):
        previous = text[max(start, match.start() - 20) : match.start()].split()[-1:]
        if match.group(1).lower() in stops and previous and previous[0].islower() and previous[0] not in stops:
            cuts.append(match.start(1))
    return sorted(c for c in set(cuts) if start < c < end)


def _split_hidden(
    text: str, spans: list[tuple[int, int]], lang: str, abbrevs: frozenset[str], cased: frozenset[str]
) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        for cut in _hidden_boundaries(text, start, end, lang, abbrevs, cased):
            out.append((start, len(text[:cut].rstrip())))
            start = cut
        out.append((start, end))
    return out


def segment(text: str, lang: str) -> tuple[list[Sentence], list[Skipped]]:
    """Split `text` into sentences; boilerplate lines come back as skipped."""
    abbrevs = abbreviations(lang)
    cased = _cased_scripts(text)
    sentences: list[Sentence] = []
    skipped: list[Skipped] = []
    for start, end in _blocks(text, cased):
        reason = boilerplate_reason(text[start:end])
        if reason:
            skipped.append(Skipped(start, end, text[start:end], reason))
            continue
        spans = _split_hidden(text, _split_block(text, start, end, lang, abbrevs, cased), lang, abbrevs, cased)
        for s, e in _with_wordless_joined(text, spans):
            sentences.append(Sentence(len(sentences), s, e, text[s:e]))
    return sentences, skipped


_WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")


def _with_wordless_joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with no letter or digit (closing quotes left alone: '""', FLORES's '\"\"\" \"\"\"')
    joined to the sentence before them: there is nothing in them to compare."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not _WORD_CHARACTER.search(text, s, e):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
