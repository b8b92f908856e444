"""Proper and product names, and matching them across spelling and script.

No multilingual NER model ships offline, so candidates come from rules:
capitalised words, words that mix letters and digits ("Mavix2", "G7"), and
katakana runs in Japanese. Stop words, weekdays and month names (CLDR, via
babel) never are names, and neither are common words of the language: German
capitalises every noun ("Verluste", "Höhe") and French its institutions
("Conseil", "Santé"). A word frequency lexicon (wordfreq, which ships its data)
tells them apart: a common word is frequent in its own language and much rarer
in the other languages of its script, while a name is spelled alike across them
("Merkel", "Houston", "Union"). Where only names are capitalised, a common word
capitalised mid-sentence may still be part of a name ("Ace Aéro Partenaires",
"Bruno Le Maire"): it stays a candidate, marked `common`, and a swap needs a
name that is not common on at least one side. A capitalised word at the start
of a sentence is a name if the article also capitalises it mid-sentence, or if
it is no common word and the article never writes it in lower case.

Two names match when their keys are equal (ASCII transliteration with
anyascii, lower case: "Москва" -> "moskva"), or when their phonetic skeletons
are close with rapidfuzz ("Mavix2" ~ "Mavic 2", "Wagnerites" ~ "Wagernites",
"Prigozhin" ~ "Prigojine", "Moscow" ~ "Moskow" ~ "Москва"). A close match
that is more than an inflected ending is a *spelling variant*.

Across scripts, a name is compared by its consonants as its transliteration
says them (`sound_key`: anyascii for every script, pinyin read as pinyin,
consonants folded into the classes scripts confuse), so "Markova", "Маркова",
"ماركوفا", "मार्कोवा", "マルコワ", "마르코바" and "马尔科娃" are one name; in a
script written without spaces the name is looked for inside the run of
characters (`sound_in_run`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import regex
import stopwordsiso
import unicodedata
import zoneinfo
from anyascii import anyascii
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from . import frequencies
from .frequencies import zipf_to_freq
from .scripts import joins_words

# A word: letters (with inner apostrophes) optionally followed by digits ("Mavix2");
# or a bare number, kept so that "Mavic 2" can be read as one name. Hyphens split
# words: each part of "Jean-Baptiste" or "BCG-Studie" is matched on its own, and
# `phrases` joins the parts again where the whole is the name ("Maison-Blanche").
# Letters carry their combining marks: Devanagari vowel signs and viramas ("मार्कोवा") are
# marks, not letters, and would otherwise cut a word into single consonants.
_WORD = regex.compile(r"[^\W\d_](?:[^\W\d_]|\p{M})*(?:['’][^\W\d_](?:[^\W\d_]|\p{M})*)*\d*|\d+")
# French/Italian/Catalan elision: "l'Italie" -> "Italie", "C'est" -> "est".
_ELISION = re.compile(r"^(?:[A-Za-z]|[Qq]u)['’](?=\w)")
_ELIDING_LANGS = {"fr", "it", "ca"}
# Katakana without "・" (U+30FB), which separates the parts of a foreign name ("エレナ・マルコワ"):
# each part is matched on its own, as the words of a Latin name are.
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ffー]{2,}")
# Where text has no spaces, runs of one script stand in for words; hiragana
# runs (mostly particles and endings) are left out.
_SCRIPT_RUN = re.compile(
    r"[\u30a1-\u30fa\u30fc-\u30ffー]+|[\u3400-\u9fff]+|[\uac00-\ud7af]+|[\u0e00-\u0e7f]+"
    r"|[^\W\d_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+\d*|\d+"
)
# In these languages every noun is capitalised, so a capital says little about a name.
NOUNS_CAPITALISED = {"de", "lb"}
VARIANT_MIN_RATIO = 80
# The languages each script is compared across to tell a common word from a name.
_REFERENCE_LANGS = {
    "LATIN": ("en", "fr", "de", "es", "it", "pt"),
    "CYRILLIC": ("ru", "uk", "bg", "mk"),
}
COMMON_WORD_MIN_ZIPF = 3.0  # at least once per million words in its own language ...
COMMON_WORD_MIN_LEAD = 1.5  # ... and 30 times more frequent there than in any reference language
# Languages that write compounds as one word: "Wirtschaftsakteure" is common because
# "Wirtschaft(s)" and "Akteure" are, though the compound itself is rare.
_COMPOUNDING = {"de", "nl", "sv", "da", "nb", "fi", "is"}
COMPOUND_HEAD_MIN = 6  # shorter heads ("-berg", "-burg", "-stadt") end many place names
MIN_COMPOUND_LETTERS = 3 + COMPOUND_HEAD_MIN  # a modifier of three letters or more, then the head


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    key: str  # anyascii, lower case, letters and digits only
    capitalised: bool
    sentence_initial: bool
    common: bool  # capitalised, but a common word of its language (`is_common_word`)
    interpunct_name: bool = False  # Chinese: part of a foreign name written "叶莲娜·马尔科娃"


@functools.lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    return frozenset(stopwordsiso.stopwords(lang)) if stopwordsiso.has_lang(lang) else frozenset()


def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@functools.lru_cache(maxsize=64)
def calendar_words(lang: str) -> frozenset[str]:
    """Weekday and month names: capitalised in many languages, never names."""
    out: set[str] = set()
    for locale in filter(None, (_locale(lang), _locale("en"))):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                out.update(n.lower().rstrip(".") for n in locale.days[context][width].values())
                out.update(n.lower().rstrip(".") for n in locale.months[context][width].values())
    return frozenset(out)


@functools.lru_cache(maxsize=64)
def territory_keys(lang: str) -> dict[str, str]:
    """Country and region names in `lang` and English -> CLDR code ("chine" -> "CN")."""
    out: dict[str, str] = {}
    for locale in filter(None, (_locale(lang), _locale("en"))):
        for code, name in locale.territories.items():
            if code.isalpha():
                out.setdefault(name_key(name), code)
    return out


@functools.lru_cache(maxsize=1)
def _city_zones() -> tuple[str, ...]:
    """CLDR's time zones of a country or region, each by its canonical id ("Europe/Kyiv")."""
    aliases = get_global("zone_aliases")
    territories = get_global("zone_territories")
    zones = {aliases.get(zone, zone) for zone in zoneinfo.available_timezones()}
    return tuple(sorted(z for z in zones if territories.get(z) not in (None, "ZZ", "001")))


def _city_name(locale: Locale, zone: str) -> str:
    """The zone's exemplar city in `locale`, as babel's get_timezone_location(return_city=True)
    finds it, read from CLDR's tables directly: that function builds a tzinfo per call,
    0.15 s a language cold."""
    city = locale.time_zones.get(zone, {}).get("city")
    if city is None:
        city = locale.meta_zones.get(get_global("meta_zones").get(zone), {}).get("city")
    return city if city is not None else zone.rpartition("/")[2].replace("_", " ")


@functools.lru_cache(maxsize=64)
def place_keys(lang: str) -> frozenset[str]:
    """Keys of country and city names (CLDR territories and time-zone cities) in `lang` and
    English: names, though an exonym ("Moscow", "Moskau") is frequent in one language only."""
    out = set(territory_keys(lang))
    for locale in filter(None, {_locale(lang), _locale("en")}):
        out.update(name_key(_city_name(locale, zone)) for zone in _city_zones())
    return frozenset(out)


def preload(lang: str, sample: str) -> None:
    """Load now what reading the names of an article in `lang` reads first: CLDR's place
    names (`place_keys`) and the word frequency tables of the language
    and of its script's reference languages (`sample`: some of the article's text). Each is
    cached, so a caller with time to spare (the CLI, while the encoder loads) saves it later."""
    place_keys(lang)
    letter = next((ch for ch in sample if ch.isalpha()), None)
    refs = _REFERENCE_LANGS.get(script_of(letter), ()) if letter else ()
    for code in dict.fromkeys([_WORDFREQ_CODES.get(lang, lang), *refs]):
        frequencies.preload(code)


def territory_name(key: str, lang: str, other_lang: str) -> str | None:
    """The CLDR name in `other_lang` of the country or region whose name in `lang` has `key`."""
    code = territory_keys(lang).get(key)
    return territory_name_of(code, other_lang) if code else None


def territory_name_of(code: str, lang: str) -> str | None:
    """The CLDR name in `lang` of the country or region `code` ("US")."""
    locale = _locale(lang)
    return locale.territories.get(code) if locale else None


def same_territory(key_a: str, lang_a: str, key_b: str, lang_b: str) -> bool:
    code = territory_keys(lang_a).get(key_a)
    return code is not None and code == territory_keys(lang_b).get(key_b)


_NOT_KEY = re.compile(r"[^a-z0-9]")
# Greek "ου" is one vowel, "ou" (ELOT 743); anyascii spells it "oy" ("Οδησσού" -> "odissoy").
_GREEK_OU = re.compile(r"ο[υύ]", re.IGNORECASE)


# Asked for every word of every sentence, twice when compare aligns again after a
# split; news repeats its words, so most calls are cache hits.
@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    return _NOT_KEY.sub("", anyascii(_GREEK_OU.sub("ou", text)).lower())


_PREFIXED_NUMBER = regex.compile(r"\p{L}*\p{Ll}\p{L}*[-‐]?\d{3,}")


@functools.lru_cache(maxsize=65536)
def has_digit(text: str) -> bool:
    """Any character str.isdigit() accepts (superscripts too): cached, as it is asked per word."""
    return any(c.isdigit() for c in text)


# Transliterations of one name differ in voicing ("Zelensky" / German "Selenskyj", "Gaddafi"
# / French "Kadhafi"), in digraphs, and in "y", "j" or "i" for the same vowel or glide.
_SKELETON_RULES = [
    ("sch", "s"),
    ("zh", "j"),
    ("sh", "s"),
    ("ch", "s"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("w", "v"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("y", "i"),
    ("j", "i"),
    ("ie", "i"),
    ("ou", "u"),
    ("z", "s"),
    ("g", "k"),
]


@functools.lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A rough phonetic form that survives transliteration and misspelling."""
    for old, new in _SKELETON_RULES:
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key.rstrip("aeiou") or key


# A name behind a grammatical prefix written onto it: Bantu noun-class and locative prefixes,
# alone or stacked ("iTaiwan", "yiSahel", "kweTaiwan", "IGreenland", "yaseTransnistria"),
# Irish mutations ("hÉireann").
# The name is what follows, a capital and then a lower-case letter; "McDonald", "LeBron" keep
# their capitalised first part, and acronyms ("UNICEF", "BaFin") have no lower-case prefix.
_PREFIXED_NAME = regex.compile(r"(?:\p{Ll}+|\p{Lu})(\p{Lu}\p{Ll}.*)")


def starts_capitalised(token: str) -> bool:
    """Whether a token starts with a capital, or with a grammatical prefix written onto one
    ("iRonald", "yaseTransnistria"; `_PREFIXED_NAME`)."""
    return token[:1].isupper() or _PREFIXED_NAME.fullmatch(token) is not None


def has_inner_capital(token: str) -> bool:
    """A capital after the first letter: an acronym or a brand ("UNIS", "BaFin", "CoV")."""
    return any(c.isupper() for c in token[1:])


def words(text: str, start: int, end: int, lang: str) -> list[Word]:
    """Words of text[start:end] (one sentence), with offsets into `text`."""
    found: list[Word] = []
    pattern = _SCRIPT_RUN if joins_words(lang) else _WORD
    for match in pattern.finditer(text, start, end):
        token, offset = match.group(), match.start()
        if lang in _ELIDING_LANGS and (elided := _ELISION.match(token)):
            token, offset = token[elided.end() :], offset + elided.end()
            initial = not found and elided.group()[0].isupper()
        else:
            initial = not found
        skip, token, key, capitalised, common = _token(token, lang)
        if not key:
            continue
        offset += skip
        found.append(Word(offset, offset + len(token), token, key, capitalised, initial, common))
    return _interpunct_names(text, found) if lang == "zh" else found


# News repeats its words, and compare reads each sentence's words again after a split.
@functools.lru_cache(maxsize=65536)
def _token(token: str, lang: str) -> tuple[int, str, str, bool, bool]:
    """What `words` makes of one matched token: (characters cut from its start, the word,
    its key, capitalised, common)."""
    skip = 0
    if lang == "ko":
        token = korean_stem(token)
    if prefixed := _PREFIXED_NAME.fullmatch(token):
        token, skip = prefixed.group(1), prefixed.start(1)
    key = name_key(token)
    capitalised = bool(key) and token[0].isupper()
    # A capital after the first letter makes an acronym or a brand ("UNIS", "BaFin"), not a
    # common word, wherever it stands.
    common = capitalised and not has_inner_capital(token) and is_common_word(token, lang)
    return skip, token, key, capitalised, common


# Chinese writes a foreign full name with an interpunct between its parts ("叶莲娜·马尔科娃"),
# the only mark of a name in a script without spaces or capitals.
_INTERPUNCTS = "·・•‧"


def _interpunct_names(text: str, found: list[Word]) -> list[Word]:
    """Han runs that touch an interpunct, cut into the name part and the common words glued
    to it ("州长叶莲娜" -> "州长" + "叶莲娜", "马尔科娃表示" -> "马尔科娃" + "表示")."""
    out: list[Word] = []
    for w in found:
        mark_before = w.start > 0 and text[w.start - 1] in _INTERPUNCTS
        mark_after = w.end < len(text) and text[w.end] in _INTERPUNCTS
        if not (mark_before or mark_after):
            out.append(w)
            continue
        name_start, name_end = w.start, w.end
        if mark_after:  # the name ends the run: common words lead it
            name_start += _common_zh_affix(w.text, leading=True)
        if mark_before:  # the name starts the run: common words trail it
            name_end -= _common_zh_affix(text[name_start : w.end], leading=False)
        for s, e, is_name in ((w.start, name_start, False), (name_start, name_end, True), (name_end, w.end, False)):
            if e > s:
                part = text[s:e]
                out.append(Word(s, e, part, name_key(part), False, w.sentence_initial and s == w.start, False, is_name))
    return out


@functools.lru_cache(maxsize=None)
def _frequency_list(lang: str) -> dict[str, float]:
    # Read directly for Chinese and Korean: wordfreq's own lookups there tokenise with jieba
    # or MeCab, which are not installed. The table (text/frequencies.py) holds Korean whole and
    # the Chinese words at or above COMMON_WORD_MIN_ZIPF, the only frequency read there.
    return frequencies.frequency_dict(lang)


MIN_ZH_NAME_CHARS = 2


def _common_zh_affix(run: str, leading: bool) -> int:
    """Length of the common Chinese words (wordfreq) that lead (or trail) `run`, greedily,
    longest first, leaving at least MIN_ZH_NAME_CHARS characters."""
    frequencies, common = _frequency_list("zh"), zipf_to_freq(COMMON_WORD_MIN_ZIPF)
    cut = 0
    while True:
        rest = run[cut:] if leading else run[: len(run) - cut]
        step = next(
            (
                k
                for k in range(len(rest) - MIN_ZH_NAME_CHARS, 1, -1)
                if frequencies.get(rest[:k] if leading else rest[-k:], 0.0) >= common
            ),
            0,
        )
        if not step:
            return cut
        cut += step


# Korean glues particles to the word they follow ("마르코바는", "유니세프는", "서울에서").
_KOREAN_PARTICLES = sorted(
    "은 는 이 가 을 를 의 에 에서 에게 께 께서 와 과 도 로 으로 만 보다 부터 까지 처럼 라고 이라고 이다 였다 이며 한테 이나 나 들 들은 들이".split(),
    key=len,
    reverse=True,
)
# Final syllables of verb and adjective forms ("말했다", "발생해", "복구됐다"), which wordfreq's
# Korean list (split into morphemes) does not hold as words.
_KOREAN_VERB_FINALS = frozenset("다고며서해돼된한할던면지게요죠네록니야")


@functools.lru_cache(maxsize=65536)
def korean_stem(token: str) -> str:
    """`token` without a particle, unless the whole token is a known word."""
    frequencies = _frequency_list("ko")
    if token in frequencies:
        return token
    for particle in _KOREAN_PARTICLES:
        stem = token[: -len(particle)]
        # A one-syllable stem only where it is a word ("집을", "물이"): a name ending in a
        # particle's syllable ("오바마", "마리아") keeps it.
        if token.endswith(particle) and (len(stem) >= 2 or stem in frequencies):
            return stem
    return token


def is_rare_korean_word(word: Word) -> bool:
    """A Korean word (particle already cut) too rare to be a common noun and not shaped like a
    verb form: a transliterated name ("페트렌코")."""
    return (
        len(word.text) >= 2
        and all("\uac00" <= c <= "\ud7af" for c in word.text)
        and word.text[-1] not in _KOREAN_VERB_FINALS
        and word.text not in stop_words("ko")
        and _frequency_list("ko").get(word.text, 0.0) < zipf_to_freq(RARE_WORD_MAX_ZIPF)
        and not _korean_compound(word.text)
    )


def _korean_compound(text: str) -> bool:
    """Two common words of two syllables or more, written as one ("구호물자" = 구호 + 물자,
    "기자회견"): a compound noun, which the morpheme list does not hold whole."""
    frequencies = _frequency_list("ko")
    common = zipf_to_freq(COMMON_WORD_MIN_ZIPF)
    return any(
        frequencies.get(text[:k], 0.0) >= common and frequencies.get(text[k:], 0.0) >= common
        for k in range(2, len(text) - 1)
    )


def script_of(text: str) -> str:
    """The Unicode script of a word's first character ("LATIN", "GREEK", "CYRILLIC", "ARABIC")."""
    return _script_of_character(text[0])


@functools.lru_cache(maxsize=4096)
def _script_of_character(character: str) -> str:
    # Asked ~100,000 times per 20 comparisons, for a few hundred distinct characters.
    return unicodedata.name(character, "?").split()[0]


@functools.lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    # Asked once per capitalised word: uncached (wordfreq globbed its data folder) it was a
    # fifth of a comparison's time.
    known = frequencies.languages()
    return known | {lang for lang, code in _WORDFREQ_CODES.items() if code in known}


def has_word_frequencies(lang: str, text: str) -> bool:
    """Whether `is_common_word` can judge `text`: wordfreq knows `lang` and the word's
    script has reference languages to compare with. Unspaced languages are left out:
    wordfreq would need a tokenizer (MeCab, jieba) that does not ship with it."""
    return not joins_words(lang) and lang in _wordfreq_languages() and script_of(text) in _REFERENCE_LANGS


# wordfreq's zipf_frequency from crosswire's table (text/frequencies.py: exact at or above each
# language's floor, 0.0 below it, which the rules here cannot tell apart). It tokenizes the word
# on every call; the same words (and the parts of German compounds) are asked about in every
# reference language, article after article.
@functools.lru_cache(maxsize=262144)
def _zipf(word: str, lang: str) -> float:
    return frequencies.zipf(word, _WORDFREQ_CODES.get(lang, lang))


# wordfreq holds Croatian, Serbian and Bosnian as one language, Serbo-Croatian ("sh").
_WORDFREQ_CODES = {"hr": "sh", "sr": "sh", "bs": "sh"}


def _frequent_here_only(lower: str, lang: str, refs: tuple[str, ...]) -> bool:
    own = _zipf(lower, lang)
    if own < COMMON_WORD_MIN_ZIPF:
        return False
    return own - max(_zipf(lower, other) for other in refs if other != lang) >= COMMON_WORD_MIN_LEAD


@functools.lru_cache(maxsize=65536)
def is_common_word(text: str, lang: str) -> bool:
    """Whether `text` is an ordinary word of `lang` rather than a name (see the module docstring)."""
    if not text or not has_word_frequencies(lang, text):
        return False
    lower, refs = text.lower(), _REFERENCE_LANGS[script_of(text)]
    if _frequent_here_only(lower, lang, refs):
        return True
    if lang not in _COMPOUNDING:
        return False
    for split in range(3, len(lower) - COMPOUND_HEAD_MIN + 1):
        modifier, head = lower[:split], lower[split:]
        if _frequent_here_only(head, lang, refs) and (
            _frequent_here_only(modifier, lang, refs)
            or (modifier.endswith("s") and _frequent_here_only(modifier[:-1], lang, refs))
        ):
            return True
    return False


INTERNATIONAL_MAX_LEAD = 1.0  # at most ten times more frequent in its own language than elsewhere


def is_international_word(text: str, lang: str) -> bool:
    """Whether `text` is about as frequent in another language of its script as in `lang`: a name
    spelled alike across languages ("Barbara", "Google"), unlike a noun of one language."""
    if not has_word_frequencies(lang, text):
        return False
    lower = text.lower()
    elsewhere = max(_zipf(lower, other) for other in _REFERENCE_LANGS[script_of(text)] if other != lang)
    return elsewhere >= RARE_WORD_MAX_ZIPF and _zipf(lower, lang) - elsewhere <= INTERNATIONAL_MAX_LEAD


RARE_WORD_MAX_ZIPF = 2.5  # under about one in three million words


@functools.lru_cache(maxsize=65536)
def is_rare_word(text: str, lang: str) -> bool:
    """Whether `text` is too rare in `lang` to have a translation: a surname
    ("Morneau", "Lahoud") is carried over or transliterated, never translated. False for
    acronyms (an institution's is translated: "OMT" / "UNWTO", "GNC" / "CNG"), where wordfreq
    cannot judge, and for words long enough to be compounds in a language that writes them as
    one word: a rare compound ("Personalaufstockungen") is made of common words, and is
    translated."""
    return (
        not text.isupper()
        # A capital inside makes a brand, not a compound ("MaPrimeRénov").
        and (lang not in _COMPOUNDING or len(text) < MIN_COMPOUND_LETTERS or has_inner_capital(text))
        and has_word_frequencies(lang, text)
        and _zipf(text.lower(), lang) < RARE_WORD_MAX_ZIPF
    )


MIN_CASELESS_NAME_LETTERS = 3


def is_rare_caseless_word(word: Word, lang: str) -> bool:
    """In a spaced script without capitals (Arabic, Hebrew, Persian, Devanagari), a word too rare
    in its language to be a common word: a transliterated surname ("ماركوفا", "पेट्रेंको") is
    under one in three million words, given names and well-known places are not. wordfreq
    tokenises these languages on spaces, so clitics and inflections count as their own forms;
    Korean, Thai and the unspaced scripts need a tokeniser that does not ship with it."""
    return (
        not joins_words(lang)
        and is_caseless(word)
        and len(word.text) >= MIN_CASELESS_NAME_LETTERS
        and lang in _wordfreq_languages()
        and word.text not in stop_words(lang)
        and _zipf(word.text, lang) < RARE_WORD_MAX_ZIPF
    )


def _could_be_name(word: Word, lang: str) -> bool:
    return _could_be_name_of(
        word.text, word.key, word.capitalised, word.sentence_initial, word.common, word.interpunct_name, lang
    )


# Asked for every word of every sentence, again after a split: the answer depends only on
# the word's fields, and news repeats its words.
@functools.lru_cache(maxsize=65536)
def _could_be_name_of(
    text: str, key: str, capitalised: bool, sentence_initial: bool, common: bool, interpunct_name: bool, lang: str
) -> bool:
    word = Word(0, 0, text, key, capitalised, sentence_initial, common, interpunct_name)
    if word.text.isdigit() or len(word.key) < 2:
        return False
    if has_digit(word.text):
        # "Mavix2", "G7", "A320"; not a number with a prefix glued to it (Zulu "Ngo2624"
        # for "in 2624", "ka-1990"): lower-case letters before a run of three digits or more.
        return _PREFIXED_NUMBER.fullmatch(word.text) is None
    if lang == "ja" and _KATAKANA.fullmatch(word.text):
        return True
    if word.interpunct_name or is_rare_caseless_word(word, lang) or (lang == "ko" and is_rare_korean_word(word)):
        return True
    if not word.capitalised:
        return False
    lower = word.text.lower()
    if lower in stop_words(lang) or lower in calendar_words(lang):
        return False
    return (
        not word.common or word.key in place_keys(lang) or (lang not in NOUNS_CAPITALISED and not word.sentence_initial)
    )


def find_names(sentences: list[list[Word]], lang: str) -> list[list[Word]]:
    """The name candidates of each sentence, using the whole article as context."""
    mid_sentence = {w.key for ws in sentences for w in ws if not w.sentence_initial and w.capitalised}
    lower_case = {w.key for ws in sentences for w in ws if not w.capitalised}
    scripts: Counter[str] = Counter()
    for ws in sentences:
        for w in ws:
            scripts[script_of(w.text)] += len(w.text)
    main_script = scripts.most_common(1)[0][0] if scripts else ""

    def initial_is_name(w: Word) -> bool:
        # A capitalised word of another script than the article's ("Nadhim 和 Morawiecki") is
        # a name wherever it stands: such a word is a name, a brand or a quotation's start.
        return (
            w.key in mid_sentence
            or has_digit(w.text)
            or (has_word_frequencies(lang, w.text) and w.key not in lower_case)
            or script_of(w.text) != main_script
        )

    return [
        [w for w in ws if _could_be_name(w, lang) and (not w.sentence_initial or is_caseless(w) or initial_is_name(w))]
        for ws in sentences
    ]


def is_caseless(word: Word) -> bool:
    """Scripts without capitals (CJK, Arabic, Thai...): any word may be a name."""
    return word.text.lower() == word.text.upper()


def is_inflection(a: str, b: str) -> bool:
    """Keys that differ only in a short alphabetic ending ("chine"/"china", "prigozhin"/"prigozhina"),
    or where one is the other plus a longer one: the case endings of agglutinative languages
    ("tom" / Hungarian "tominak", Finnish "tomille")."""
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    rest_a, rest_b = a[prefix:], b[prefix:]
    if prefix < 3 or not (rest_a + rest_b).isalpha():
        return False
    if not rest_a or not rest_b:
        return len(rest_a + rest_b) <= MAX_ADDED_ENDING
    return len(rest_a) <= MAX_ENDING and len(rest_b) <= MAX_ENDING


MAX_ENDING = 2
MAX_ADDED_ENDING = 4


def same_stem(a: str, b: str) -> bool:
    """Skeletons sharing a long common start: "Chinese"/"China", "Serbs"/"Serbia"."""
    shorter = min(len(a), len(b))
    prefix = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), shorter)
    return prefix >= 4 and prefix >= 0.75 * shorter


def _same_onset(a: str, b: str) -> bool:
    """Skeletons that start alike: with a consonant, the same one; or both with a vowel. A
    transliteration or a misspelling keeps a name's first sound ("Selenskyj", "Kadhafi" have
    the skeleton's "s", "k" of "Zelensky", "Gaddafi"); two names sharing an ending do not
    ("Iceland" / "Greenland", "Hamburg" / "Salzburg")."""
    return a[0] == b[0] or (a[0] in _VOWELS and b[0] in _VOWELS)


_VOWELS = frozenset("aeiou")


def spelling_match(key: str, other: str) -> str | None:
    """ "same", "variant" or None for two name keys."""
    if key == other or is_inflection(key, other):
        return "same"
    a, b = skeleton(key), skeleton(other)
    if a == b and len(a) >= 3:
        return "variant"
    if min(len(a), len(b)) >= 4 and _same_onset(a, b) and fuzz.ratio(a, b) >= VARIANT_MIN_RATIO:
        return "variant"
    if same_stem(a, b) and key.isalpha() and other.isalpha():
        return "same"  # a derived form: "Chinese"/"China"
    return None


# Consonant classes that scripts and transliterations confuse: p/b/f/v (Arabic has no p or v:
# "بيترينكو" = Petrenko, "ماركوفا" = Markova; Greek β is v), l/r (Japanese and Korean have one
# liquid), and the skeleton's digraph rules without w -> v (w is a vowel letter in Arabic).
_CONSONANT_RULES = [(old, new) for old, new in _SKELETON_RULES if old not in {"w", "y", "j"}]
_LABIAL, _LIQUID, _DENTAL = re.compile(r"[pbfvw]"), re.compile(r"[lr]"), re.compile(r"d")
_SOFT_C = re.compile(r"c(?=[eiy])")
# Abjads write long vowels with consonant letters: Arabic و/ي as w/y, Hebrew ו/י as v/y, and a
# final ה (h) for "a"; anyascii spells them as consonants.
ABJADS = frozenset({"ARABIC", "HEBREW"})


def _consonants(key: str, script: str, keep_h: bool = False) -> str:
    """The consonants of a key, a vowel start kept as "_": what transliterations of one name
    into Latin agree on when they disagree on its vowels. `keep_h`: an h is a consonant
    (`_h_key`)."""
    if script in ABJADS:
        key = re.sub(r"^[wv]|[wvh]$", "", key.replace("y", ""))
        vowel_start = key[:1] in "aeiou"
    else:
        vowel_start = key[:1] in "aeiouy"
    key = _SOFT_C.sub("s", key)  # "UNICEF": Hebrew and Arabic write what is said, an s
    key = _NASAL_NG.sub("n", key)
    for old, new in _CONSONANT_RULES:
        key = key.replace(old, new)
    # An h left after the digraph rules is breath that scripts keep or drop (Indic aspirates
    # "bh", "gh"; Russian writes English h as g or nothing; Hebrew's final ה).
    if not keep_h:
        key = key.replace("h", "")
    # Pinyin writes unaspirated t as d ("彼得连科" BiDeLianKe = Petrenko); Chinese renders a
    # final m as n or ng ("特朗普" TeLangPu = Trump).
    key = _DENTAL.sub("t", _LIQUID.sub("r", _LABIAL.sub("b", re.sub(r"[aeiouyj]", "", key))))
    key = _NASAL.sub("n", key)
    return ("_" if vowel_start else "") + re.sub(r"(.)\1+", r"\1", key)


_NASAL = re.compile(r"m")
_NASAL_NG = re.compile(r"ng(?![aeiou])")
# Pinyin spells its sibilants and affricates x, q, j, c, z, zh, ch, sh; a syllable "er" is an
# r ("尔" in "马尔科娃" Markova). The Latin rules would read x as ks and c, q as k.
_PINYIN_SIBILANT = re.compile(r"^(?:zh|ch|sh|[cz])")
# Pinyin j, q, x grew out of g, k, h before i: Chinese renders a foreign g or k with them as
# often as an s or ch ("佩吉" PeiJi = Peggy, "乔治" QiaoZhi = George).
_PINYIN_PALATAL = re.compile(r"^[jqx]")
_HAN = "CJK"


def sound_key(text: str) -> str:
    """The consonant classes of a word as its transliteration into Latin says them:
    "Markova", "Маркова", "ماركوفا", "マルコワ", "마르코바", "马尔科娃" all give "brkb"-like keys
    ("nrkb"), so one name written in two scripts gives one key."""
    return _sound_key(text, "s")


@functools.lru_cache(maxsize=65536)
def _sound_key(text: str, palatal: str) -> str:
    script = script_of(text) if text else ""
    if script == _HAN:
        syllables = [_PINYIN_PALATAL.sub(palatal, _PINYIN_SIBILANT.sub("s", anyascii(c).lower())) for c in text]
        key = _NOT_KEY.sub("", "".join("r" if y == "er" else y for y in syllables))
    else:
        key = name_key(text)
    out = _consonants(key, script)
    # anyascii drops an abjad's initial alef or vowel carrier: a vowel start is not seen.
    return out.lstrip("_") if script in ABJADS else out


MIN_FUZZY_SOUND_CLASSES = 4  # below this, one consonant off matches too many words by chance


def sounds_alike(a: str, b: str) -> bool:
    """Two words in different scripts whose consonants agree, or differ in one where the
    longer has four or more (a coda a script drops: "Merkel" / "默克尔" MoKeEr), read without
    their h or (`_h_key`) with it."""
    if script_of(a) == script_of(b):
        return False
    if any(_keys_alike(a, b, ka, kb) for ka in _sound_keys(a) for kb in _sound_keys(b)):
        return True
    ha, hb = _h_key(a), _h_key(b)
    return bool(ha and hb) and _keys_alike(a, b, ha, hb)


# Ukrainian and Belarusian write h with the letter Russian reads as g ("Ігор" / "Ihor",
# "Ольга" / "Olha"); anyascii reads it as g.
_CYRILLIC_GHE_AS_H = str.maketrans("гГ", "hH")


@functools.lru_cache(maxsize=65536)
def _h_key(text: str) -> str:
    """The consonants of a word with its h kept, Cyrillic "г" read as h: a name whose h is one
    of few consonants ("Ihor", "Oleh", "Hryhorii") keeps too little once h is dropped to be
    told by sound. Empty for abjads and Han, whose h is no consonant of the name."""
    script = script_of(text) if text else ""
    if script in ABJADS or script == _HAN:
        return ""
    if script == "CYRILLIC":
        text = text.translate(_CYRILLIC_GHE_AS_H)
    return _consonants(name_key(text), script, keep_h=True)


def _sound_keys(text: str) -> tuple[str, ...]:
    """A Han word's two readings of pinyin j, q, x (`_PINYIN_PALATAL`); one key elsewhere."""
    return (sound_key(text), _sound_key(text, "k")) if script_of(text) == _HAN else (sound_key(text),)


def _keys_alike(a: str, b: str, ka: str, kb: str) -> bool:
    if script_of(a) in ABJADS or script_of(b) in ABJADS:
        ka, kb = ka.lstrip("_"), kb.lstrip("_")
    core_a, core_b = ka.lstrip("_"), kb.lstrip("_")
    if min(len(core_a), len(core_b)) < MIN_CROSS_SCRIPT_CONSONANTS:
        return False
    if ka == kb:
        return True
    if _inflected_sound(core_a, core_b):
        return True
    return (
        max(len(core_a), len(core_b)) >= MIN_FUZZY_SOUND_CLASSES
        and min(len(core_a), len(core_b)) >= MIN_FUZZY_SOUND_CLASSES - 1
        and Levenshtein.distance(core_a, core_b) <= 1
    )


MIN_SOUND_STEM = 3  # consonant classes a name and its inflected form share before the ending


def _inflected_sound(a: str, b: str) -> bool:
    """Keys that differ only in their last one or two classes after a shared stem: a case
    ending that changes the stem's last consonant ("Фейсбуці" = Facebook in the locative)."""
    stem = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return stem >= MIN_SOUND_STEM and len(a) - stem <= 2 and len(b) - stem <= 2


MAX_SYLLABLES_PER_CONSONANT = 3  # katakana and Thai spell a consonant cluster in several characters


def sound_in_run(name: str, run: str) -> bool:
    """Whether some part of `run`, a word of a script written without spaces (Han, kana, Thai),
    sounds like `name`: the name's transliteration sits inside a longer run of characters
    ("是参与推翻他父亲穆阿迈尔" holds "穆阿迈尔" Muammar)."""
    if script_of(name) == script_of(run):
        return False
    longest = MAX_SYLLABLES_PER_CONSONANT * (len(sound_key(name).lstrip("_")) + 1)
    return any(
        sounds_alike(name, run[i:j]) for i in range(len(run)) for j in range(i + 1, min(len(run), i + longest) + 1)
    )


MIN_CROSS_SCRIPT_CONSONANTS = 2


def cross_script_variant(a: str, key_a: str, b: str, key_b: str) -> bool:
    """Two names in different scripts whose transliterations agree on their consonants:
    scripts render a foreign name's vowels their own way ("Odesa" / Greek "Οδησσού",
    "Elena" / Ukrainian "Олена", "Markova" / Arabic "ماركوفا"), so within one linked claim
    they are one name spelled twice."""
    script_a, script_b = script_of(a), script_of(b)
    if script_a == script_b:
        return False
    ca, cb = _consonants(key_a, script_a), _consonants(key_b, script_b)
    if script_a in ABJADS or script_b in ABJADS:
        # anyascii drops an abjad's initial alef or vowel carrier: a vowel start is not seen.
        ca, cb = ca.lstrip("_"), cb.lstrip("_")
    return ca == cb and len(ca.lstrip("_")) >= MIN_CROSS_SCRIPT_CONSONANTS


def spelling_matches(keys_a: Sequence[str], keys_b: Sequence[str]) -> dict[tuple[int, int], str]:
    """`spelling_match` for all pairs at once: {(i, j): "same" | "variant"} for the pairs that match.

    Trying every pair in Python is the slowest part of a comparison, so only pairs that
    can pass one of spelling_match's tests are tried: equal keys or skeletons, a shared
    key start (an inflection needs three letters in common), a shared skeleton start
    (a derived form needs four), or a skeleton ratio that rapidfuzz finds high enough."""
    if not keys_a or not keys_b:
        return {}
    skeletons_a = [skeleton(k) for k in keys_a]
    skeletons_b = [skeleton(k) for k in keys_b]
    buckets: dict[tuple[int, str], list[int]] = {}
    for j, (key, skel) in enumerate(zip(keys_b, skeletons_b)):
        for bucket in _buckets(key, skel):
            buckets.setdefault(bucket, []).append(j)
    ratios = process.cdist(skeletons_a, skeletons_b, scorer=fuzz.ratio, score_cutoff=VARIANT_MIN_RATIO, workers=1)
    out: dict[tuple[int, int], str] = {}
    for i, (key, skel) in enumerate(zip(keys_a, skeletons_a)):
        candidates = set(np.flatnonzero(ratios[i]).tolist())
        for bucket in _buckets(key, skel):
            candidates.update(buckets.get(bucket, ()))
        for j in candidates:
            if kind := spelling_match(key, keys_b[j]):
                out[i, j] = kind
    return out


def _buckets(key: str, skel: str) -> list[tuple[int, str]]:
    out = [(0, key), (1, skel)]
    if len(key) >= 3:
        out.append((2, key[:3]))
    if len(skel) >= 4:
        out.append((3, skel[:4]))
    return out


def phrases(ws: list[Word], names: list[Word]) -> list[tuple[int, int, str, bool]]:
    """Each word, and each adjacent pair that may be a name, as (start, end, key, is_name):
    "Mavic 2" must be able to match "Mavix2", "Maison Blanche" "Maison-Blanche"."""
    name_starts = {w.start for w in names}
    # A capitalised stop word ("Wagner Group") can still be the other side of a variant, but
    # not a common word capitalised as a noun ("Morneau" is no variant of German "Morgen").
    out = [
        (w.start, w.end, w.key, w.start in name_starts or (w.capitalised and not w.common) or is_caseless(w))
        for w in ws
    ]
    for first, second in zip(ws, ws[1:]):
        if (
            second.start - first.end <= 1
            and first.start in name_starts
            and (second.text.isdigit() or second.capitalised)
        ):
            out.append((first.start, second.end, first.key + second.key, True))
    return out
