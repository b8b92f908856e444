"""Who a source is: an outlet, an institution, a named person or an anonymous source.

Outlets (`data/outlets.tsv`) match by name, alias or web domain, so
"express.co.uk", "Daily Express" and "the Express" are one outlet. Institutions
(`data/institutions.tsv`) match by their names across languages, so "Gedung
Putih" is the White House. Anything else with a capitalised word is a named
source; a source built from an anonymous noun ("an intelligence report",
"rumours", "seorang ahli senjata") stays anonymous, keyed by its type; the
rest is "other", which provenance leaves out.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from typing import Iterable, TypeVar

from ..model import SourceEntity
import stopwordsiso
from babel import Locale, UnknownLocaleError

from ..text.names import calendar_words, name_key, territory_keys
from .lexicon import Lexicon, lexicon

_DOMAIN = re.compile(r"(?<![\w@-])((?:[a-z0-9-]+\.)+(?:[a-z]{2,24}))(?![\w-])", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(
    r"^(?:(?:the|la|le|les|el|los|las|il|lo|der|die|das|den|dem|des|o|a|os|as)\s+|l['’]\s*)", re.IGNORECASE
)
_EDGE_NOISE = re.compile(r"^[\s\"'“”‘’«»„(\[]+|[\s\"'“”‘’«»„)\].,;:!?]+$")
_POSSESSIVE = re.compile(r"(?:'s|’s)$")
_CAPITALISED = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’.-]*")
_CASELESS_LETTER = re.compile(r"[\u0600-\u06ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


T = TypeVar("T")


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str
    lang: str


def _rows(name: str) -> list[list[str]]:
    text = (importlib.resources.files("crosswire") / "attribution" / "data" / name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _slug(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.casefold()).strip("-")


def _fold(text: str) -> str:
    return _LEADING_ARTICLE.sub("", _EDGE_NOISE.sub("", text.strip())).casefold()


@functools.lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    result = []
    for row in _rows("outlets.tsv"):
        name, aliases, domains, country, lang = (row + [""] * 5)[:5]
        result.append(
            Outlet(
                _slug(name),
                name,
                tuple(a for a in aliases.split("|") if a),
                tuple(d.lower() for d in domains.split("|") if d),
                country,
                lang,
            )
        )
    return tuple(result)


@functools.lru_cache(maxsize=1)
def _outlet_names() -> dict[str, Outlet]:
    by_name: dict[str, Outlet] = {}
    for outlet in outlets():
        for name in (outlet.name, *outlet.aliases, *outlet.domains):
            by_name.setdefault(_fold(name), outlet)
    return by_name


@functools.lru_cache(maxsize=1)
def _institution_names() -> dict[str, tuple[str, str]]:
    """Folded name -> (key, display name: the first, English, name)."""
    names: dict[str, tuple[str, str]] = {}
    for row in _rows("institutions.tsv"):
        key, variants = row[0], [v for v in row[1].split("|") if v]
        for variant in variants:
            names.setdefault(_fold(variant), (key, variants[0]))
    return names


def outlet_for_domain(host: str) -> Outlet | None:
    host = host.lower().removeprefix("www.")
    for outlet in outlets():
        if any(host == d or host.endswith("." + d) for d in outlet.domains):
            return outlet
    return None


def _name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One regex for a table's names inside a longer source, longest first.

    Names of five letters or more match as whole words; names in scripts without
    spaces ("白宫发言人") match anywhere. Shorter names ("AP", "UN") only match as
    the whole source or as an acronym in capitals (see `_acronym`), since in lower
    case they are ordinary words.
    """
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        if _CASELESS_LETTER.search(name):
            alternatives.append(re.escape(name))
        elif len(name) >= 5:
            alternatives.append(rf"(?<!\w){re.escape(name)}(?!\w)")
    return re.compile("|".join(alternatives) or r"(?!)")


_ACRONYM = re.compile(r"(?<!\w)[A-ZА-ЯЁ]{2,5}(?!\w)")


def _lookup(text: str, names: dict[str, T], pattern: re.Pattern[str]) -> T | None:
    folded = _POSSESSIVE.sub("", _fold(text))
    if folded in names:
        return names[folded]
    match = pattern.search(folded)
    if match:
        return names[match.group(0)]
    for acronym in _ACRONYM.findall(text):  # "l'AFP", "докладе ООН", "UN officials"
        if acronym.casefold() in names:
            return names[acronym.casefold()]
    return None


@functools.lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    return _name_pattern(_outlet_names())


@functools.lru_cache(maxsize=1)
def _institution_pattern() -> re.Pattern[str]:
    return _name_pattern(_institution_names())


def find_outlet(text: str) -> Outlet | None:
    """The outlet named in `text`: a domain, a name or an alias."""
    for match in _DOMAIN.finditer(text):
        outlet = outlet_for_domain(match.group(1))
        if outlet:
            return outlet
    return _lookup(text, _outlet_names(), _outlet_pattern())


def _find_institution(text: str) -> tuple[str, str] | None:
    return _lookup(text, _institution_names(), _institution_pattern())


def _anonymous_type(text: str, lex: Lexicon) -> str | None:
    """The type of the longest anonymous noun in the source ("intelligence report": report)."""
    folded = text.casefold()
    best: tuple[int, str] | None = None
    for phrase, kind in lex.anon.items():
        found = folded.find(phrase) if lex.unspaced else _find_word(folded, phrase)
        if found >= 0 and (best is None or len(phrase) > best[0]):
            best = (len(phrase), kind)
    return best[1] if best else None


@functools.lru_cache(maxsize=4096)
def _word_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def _find_word(text: str, phrase: str) -> int:
    # Every anonymous noun of the lexicon is tried on every source, and most are absent:
    # a plain substring test rules them out before the (cached) word-boundary regex.
    if phrase not in text:
        return -1
    match = _word_pattern(phrase).search(text)
    return match.start() if match else -1


def _named_part(text: str, lex: Lexicon) -> str | None:
    """The capitalised words of a source that may name someone: not a sentence-initial
    determiner or other function word, a pronoun, an anonymous noun, a weekday or month, or
    a nationality ("Chinese", "Serbians": a group, not a source)."""
    if _CASELESS_LETTER.search(text):
        return None
    found = list(_CAPITALISED.finditer(text))
    function_words, calendar = _function_words(lex.lang), calendar_words(lex.lang)
    words = []
    for match in found:
        word = match.group(0)
        folded = _POSSESSIVE.sub("", word.casefold())
        if word.casefold() in lex.skip or word.casefold() in lex.anon or word.casefold() in lex.pronouns:
            continue
        if folded in calendar or _nationality(word, lex.lang):
            continue
        # A function word opening the source has its capital from the sentence ("Another
        # official", "Many of them"); further in, it may be part of a name ("Kim Jong Un").
        if match.start() == len(text) - len(text.lstrip()) and folded in function_words:
            continue
        words.append(word)
    return " ".join(words) if words else None


@functools.lru_cache(maxsize=64)
def _function_words(lang: str) -> frozenset[str]:
    """The language's function words (stopwords-iso); empty for a language it lacks."""
    return frozenset(w.casefold() for w in stopwordsiso.stopwords(lang)) if stopwordsiso.has_lang(lang) else frozenset()


# A nationality word is a language's name in CLDR with at most this many letters more
# ("Serbian" -> "Serbians", "Chinesisch" -> "chinesische").
_NATIONALITY_ENDING = 3
_MIN_LANGUAGE_NAME = 4


@functools.lru_cache(maxsize=64)
def _language_names(lang: str) -> tuple[str, ...]:
    """One-word names of languages in `lang` (CLDR), casefolded, longest first: in most
    languages the adjective of a people ("Chinese", "Serbian", "Tionghoa")."""
    try:
        names = Locale.parse(lang).languages.values()
    except (UnknownLocaleError, ValueError, TypeError):
        return ()
    found = {n.casefold() for n in names if " " not in n and "-" not in n and len(n) >= _MIN_LANGUAGE_NAME}
    return tuple(sorted(found, key=len, reverse=True))


@functools.lru_cache(maxsize=64)
def _language_name_set(lang: str) -> frozenset[str]:
    return frozenset(_language_names(lang))


@functools.lru_cache(maxsize=1 << 14)
def _nationality(word: str, lang: str) -> bool:
    """Whether the word is a language's name (`_language_names`) with at most
    _NATIONALITY_ENDING letters after it: its last few prefixes looked up, not every name
    tried (~600 a language; 175 new source words took 0.37 of 0.85 CPU-s of provenance, cProfile)."""
    folded = _POSSESSIVE.sub("", word.casefold())
    names = _language_name_set(lang)
    return any(folded[:k] in names for k in range(max(0, len(folded) - _NATIONALITY_ENDING), len(folded) + 1))


def resolve_source(text: str, lex: Lexicon) -> SourceEntity:
    """Normalise the text of a source span to an entity."""
    return _resolved_source(text, lex.lang)


# Sources recur ("he", "Trump", "the White House") and each lookup runs the outlet and
# institution patterns: ingest extracts attributions from every article.
@functools.lru_cache(maxsize=1 << 14)
def _resolved_source(text: str, lang: str) -> SourceEntity:
    lex = lexicon(lang)
    clean = _EDGE_NOISE.sub("", text.strip())
    outlet = find_outlet(clean)
    if outlet:
        return SourceEntity(f"outlet:{outlet.key}", "outlet", outlet.name)
    institution = _find_institution(clean)
    if institution:
        return SourceEntity(f"institution:{institution[0]}", "institution", institution[1])
    if clean.casefold() in lex.pronouns:
        return SourceEntity(f"pronoun:{clean.casefold()}", "pronoun", clean)
    anon_type = _anonymous_type(clean, lex)
    named = _named_part(clean, lex)
    if named and not anon_type:
        country = territory_keys(lex.lang).get(name_key(named))
        if country:  # "China menegaskan": a country speaks through its government
            return SourceEntity(f"institution:government-{country.lower()}", "institution", named)
        # Keyed by the last name, so "Vladimir Putin" and a later "Putin" are one person.
        return SourceEntity(f"person:{name_key(named.split()[-1])}", "person", named)
    if anon_type:
        return SourceEntity(f"anonymous:{anon_type}", "anonymous", clean)
    if named is None and _CASELESS_LETTER.search(clean):
        # Caseless scripts: no capital letters to tell a name; keep the text as the key.
        return SourceEntity(f"named:{clean.casefold()}", "person", clean)
    # Neither a name nor a known kind of anonymous source: kept with the attribution,
    # but provenance does not count it as a source ("the gang is working").
    return SourceEntity(f"other:{_slug(clean) or 'unknown'}", "other", clean)


def anonymous_of_type(anon_type: str, description: str) -> SourceEntity:
    return SourceEntity(f"anonymous:{anon_type}", "anonymous", description)


def unstated_source(cue: str) -> SourceEntity:
    """The entity of a cue whose sentence names no source it can be sure of ("criticism of ...",
    "X's decision"): kind "other", which provenance leaves out, so that a cue's own words never
    become a source node."""
    return SourceEntity("other:unstated", "other", cue)
