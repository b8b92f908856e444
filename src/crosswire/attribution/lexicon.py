"""Attribution lexicons: one data file per language, `data/cues/<lang>.tsv`.

A contributor adds a language by adding a file; no code changes. Each line is
`KIND <TAB> PHRASE [<TAB> NOTE]`; the kinds are documented at the top of
`data/cues/en.tsv`. A language without a file gets no attributions (and no
attribution differences), rather than English rules applied to it.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass

from ..errors import CrosswireError

CUE_KINDS = frozenset({"prep", "post", "verb", "chain", "passive", "hedge"})
WORD_KINDS = frozenset({"anon", "pronoun", "speaker", "skip", "comp", "end", "det", "aux", "clause", "conj", "agent", "copula"})

# Scripts written without spaces: cues match anywhere, not on word boundaries.
_UNSPACED_LANGS = frozenset({"zh", "ja", "th", "lo", "km", "my"})


@dataclass(frozen=True)
class Cue:
    kind: str
    phrase: str
    relay: bool = False  # prep only: "dilansir dari X" = the article relays outlet X
    inverted: bool = False  # verb only: a cue only after a quote or comma, source after it
    participle: bool = False  # verb only: "..., saying X": its subject is that of the verb before it
    until: tuple[str, ...] = ()  # prep only: words that close the source ("据 X 报道")
    anon_type: str = ""  # hedge only: the anonymous source it implies


@dataclass(frozen=True)
class Lexicon:
    lang: str
    cues: dict[str, Cue]  # casefolded phrase -> cue
    pattern: re.Pattern[str] | None  # matches any cue phrase, longest first
    anon: dict[str, str]  # casefolded word or phrase -> anonymous type
    pronouns: frozenset[str]
    skip: frozenset[str]
    comp: frozenset[str]
    end: frozenset[str]  # words that end a source which follows its cue ("pada", "on")
    det: frozenset[str]  # determiners: "the report" is a noun, not the verb "report"
    aux: frozenset[str]  # auxiliaries and adverbs that belong to a verb cue ("has also said")
    speaker: frozenset[str]  # subjects that are the quoted speaker's own voice ("I think")
    clause: frozenset[str]  # words that open a clause: a subject before a cue starts after them
    conj: frozenset[str]  # "and", "but": a cue after one shares the subject of the cue before it
    agent: frozenset[str]  # "by": a passive cue's source follows it ("was echoed by X")
    copula: frozenset[str]  # forms of "be": "was asked" is passive, its subject no source
    unspaced: bool

    @functools.cached_property
    def skip_suffixes(self) -> tuple[str, ...]:
        """`skip` entries written "-ly": word endings rather than words."""
        return tuple(word[1:] for word in self.skip if word.startswith("-") and len(word) > 1)


def _data_file(lang: str) -> str | None:
    path = importlib.resources.files("crosswire") / "attribution" / "data" / "cues" / f"{lang}.tsv"
    return path.read_text("utf-8") if path.is_file() else None


def available_languages() -> tuple[str, ...]:
    folder = importlib.resources.files("crosswire") / "attribution" / "data" / "cues"
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".tsv")))


def _parse_cue(kind: str, phrase: str, note: str, where: str) -> Cue:
    relay = inverted = participle = False
    until: tuple[str, ...] = ()
    anon_type = ""
    for item in filter(None, (x.strip() for x in note.split(","))):
        if item == "relay" and kind == "prep":
            relay = True
        elif item == "inverted" and kind == "verb":
            inverted = True
        elif item == "participle" and kind == "verb":
            participle = True
        elif item.startswith("until=") and kind == "prep":
            until = tuple(w for w in item[len("until="):].split("|") if w)
        elif kind == "hedge" and not anon_type:
            anon_type = item
        else:
            raise CrosswireError("CW501", where, f"note {item!r} does not apply to a {kind} cue")
    if kind == "hedge" and not anon_type:
        raise CrosswireError("CW501", where, "a hedge needs the anonymous type it implies as its note")
    return Cue(kind, phrase, relay, inverted, participle, until, anon_type)


@functools.lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon | None:
    """The lexicon for `lang`, or None when no data file covers it."""
    text = _data_file(lang)
    if text is None:
        return None
    cues: dict[str, Cue] = {}
    anon: dict[str, str] = {}
    words: dict[str, set[str]] = {kind: set() for kind in WORD_KINDS - {"anon"}}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"attribution/data/cues/{lang}.tsv line {number}"
        fields = line.split("\t")
        if len(fields) < 2 or not fields[1].strip():
            raise CrosswireError("CW501", where, "expected KIND<TAB>PHRASE[<TAB>NOTE]")
        kind, phrase, note = fields[0].strip(), fields[1].strip(), (fields[2] if len(fields) > 2 else "")
        key = phrase.casefold()
        if kind in CUE_KINDS:
            cues[key] = _parse_cue(kind, phrase, note, where)
        elif kind == "anon":
            anon[key] = note.strip() or "source"
        elif kind in words:
            words[kind].add(key)
        else:
            raise CrosswireError("CW501", where, f"unknown kind {kind!r}")
    unspaced = lang in _UNSPACED_LANGS
    return Lexicon(
        lang, cues, _cue_pattern(cues, unspaced), anon,
        frozenset(words["pronoun"]), frozenset(words["skip"]), frozenset(words["comp"]),
        frozenset(words["end"]), frozenset(words["det"]), frozenset(words["aux"]), frozenset(words["speaker"]),
        frozenset(words["clause"]), frozenset(words["conj"]), frozenset(words["agent"]),
        frozenset(words["copula"]), unspaced,
    )


def _cue_pattern(cues: dict[str, Cue], unspaced: bool) -> re.Pattern[str] | None:
    """One regex for all cue phrases, built as a character trie: a few hundred phrases
    as plain alternatives would each be tried at every position of the text."""
    if not cues:
        return None
    trie: dict = {}
    for cue in cues.values():
        node = trie
        for char in " ".join(cue.phrase.casefold().split()):
            node = node.setdefault(char, {})
        node[_END] = _end_condition(cue.kind, unspaced)
    body = _trie_regex(trie)
    return re.compile(f"(?i:{body})" if unspaced else rf"(?<!\w)(?i:{body})")


_END = ""  # trie key of a phrase's end: no character is the empty string


def _end_condition(kind: str, unspaced: bool) -> str:
    if unspaced:
        return ""
    if kind in ("prep", "passive"):
        # News copy often loses the space after these ("MenurutGedung Putih",
        # "dariexpress.co.uk"): a capital or a domain may follow directly.
        return r"(?-i:(?!\w)|(?=[A-ZÀ-ÖØ-Þ])|(?=[\w-]+\.[a-z]{2,}))"
    return r"(?!\w)"


def _trie_regex(node: dict) -> str:
    """Children before the end, so that the longest phrase wins ("according to reports by")."""
    alternatives = [(r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
                    for char, child in sorted(node.items()) if char != _END]
    if _END in node:
        alternatives.append(node[_END])
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"
