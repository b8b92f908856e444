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
from ..text.scripts import writes_without_spaces

CUE_KINDS = frozenset({"prep", "post", "verb", "chain", "passive", "hedge"})
WORD_KINDS = frozenset(
    {
        "anon",
        "pronoun",
        "speaker",
        "skip",
        "comp",
        "end",
        "det",
        "aux",
        "clause",
        "conj",
        "agent",
        "copula",
        "link",
        "noncue",
        "unit",
        "clitic",
        "grammar",
        "stance",
    }
)
# `grammar` phrases: properties of the language that the rules read (see en.tsv).
GRAMMAR = frozenset({"verb-final", "verb-first", "pro-drop"})

# Languages with a dotted and a dotless i: "İ" lowers to "i" and "I" to "ı", where
# str.casefold() makes "İ" two characters ("i" and a combining dot).
_DOTTED_I_LANGS = frozenset({"tr", "az"})
_DOTTED_I = str.maketrans({"İ": "i", "I": "ı"})
# Arabic harakat (short vowels, tanween, shadda, sukun, dagger alif) are mostly left
# unwritten: a word with them is looked up as written, then without them ("مسؤولٌ").
# Where a lexicon writes them they tell words apart (passive "يُزعم", active "يزعم").
HARAKAT = "\u064b-\u065f\u0670"
_NO_HARAKAT = dict.fromkeys([*range(0x064B, 0x0660), 0x0670])
# A clitic leaves at least this many letters of its word: "في" is no "ف" + "ي".
_MIN_STEM = 2
# No word in a word list is longer.
_MAX_WORD = 64


def fold(text: str, lang: str) -> str:
    """The form lexicon lookups compare: case folded the language's way."""
    if lang in _DOTTED_I_LANGS:
        text = text.translate(_DOTTED_I)
    return text.casefold()


def _forms(folded: str) -> tuple[str, ...]:
    """A folded word as written and, when it has harakat, without them."""
    bare = folded.translate(_NO_HARAKAT)
    return (folded,) if bare == folded else (folded, bare)


@dataclass(frozen=True)
class Cue:
    kind: str
    phrase: str
    relay: bool = False  # prep only: "dilansir dari X" = the article relays outlet X
    inverted: bool = False  # verb only: a cue only after a quote or comma, source after it
    participle: bool = False  # verb only: "..., saying X": its subject is that of the verb before it
    until: tuple[str, ...] = ()  # prep only: folded words that close the source ("据 X 报道")
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
    link: frozenset[str]  # words inside a name or noun phrase: "of" in "Ministry of Defence"
    units: frozenset[str]  # unspaced: units after a numeral, left off a source with it ("5日")
    clitics: tuple[tuple[str, str], ...]  # (proclitic, what replaces it), longest first: ("لل", "ال")
    grammar: frozenset[str]  # GRAMMAR properties of the language
    unspaced: bool
    stance: frozenset[str] = (
        frozenset()
    )  # trained tagger only: words that attribute in a wider sense ("thinks", "wants")

    @functools.cached_property
    def skip_suffixes(self) -> tuple[str, ...]:
        """`skip` entries written "-ly": word endings rather than words."""
        return tuple(word[1:] for word in self.skip if word.startswith("-") and len(word) > 1)

    @functools.cached_property
    def skip_by_length(self) -> tuple[str, ...]:
        """`skip` phrases longest first, to strip from the edges of an unspaced source."""
        return tuple(sorted(self.skip, key=len, reverse=True))

    @functools.cached_property
    def verb_like(self) -> frozenset[str]:
        """Words that belong to a clause's verb, never to a noun phrase before it."""
        return self.aux | self.copula | self.comp | self.clause

    @property
    def verb_final(self) -> bool:
        return "verb-final" in self.grammar

    @property
    def verb_first(self) -> bool:
        return "verb-first" in self.grammar

    @property
    def pro_drop(self) -> bool:
        return "pro-drop" in self.grammar

    def fold(self, text: str) -> str:
        return fold(text, self.lang)

    def stems(self, folded: str, depth: int = 2):
        """A folded word without its proclitics ("وللبيت": "للبيت", "البيت"), up to `depth` of them."""
        for clitic, replacement in self.clitics:
            if depth and folded.startswith(clitic) and len(folded) - len(clitic) >= _MIN_STEM:
                stem = replacement + folded[len(clitic) :]
                yield stem
                yield from self.stems(stem, depth - 1)

    def has(self, words: frozenset[str], word: str) -> bool:
        """Whether `word`, without its harakat or its proclitics if need be, is one of `words`."""
        if len(word) > _MAX_WORD:
            return False  # a run of unspaced script, not a word
        for form in _forms(self.fold(word)):
            if form in words or any(stem in words for stem in self.stems(form)):
                return True
        return False

    def cue_for(self, phrase: str) -> Cue | None:
        """The cue a matched phrase is ("قالَ", "فقال": "قال"); None for a `noncue` word."""
        for form in _forms(self.fold(" ".join(phrase.split()))):
            cue = self.cues.get(form) or next((self.cues[s] for s in self.stems(form) if s in self.cues), None)
            if cue is not None:
                return cue
        return None


def _data_file(lang: str) -> str | None:
    path = importlib.resources.files("crosswire") / "attribution" / "data" / "cues" / f"{lang}.tsv"
    return path.read_text("utf-8") if path.is_file() else None


def available_languages() -> tuple[str, ...]:
    folder = importlib.resources.files("crosswire") / "attribution" / "data" / "cues"
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".tsv")))


def _parse_cue(kind: str, phrase: str, note: str, where: str, lang: str) -> Cue:
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
            until = tuple(fold(w, lang) for w in item[len("until=") :].split("|") if w)
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
    clitics: dict[str, str] = {}
    words: dict[str, set[str]] = {kind: set() for kind in WORD_KINDS - {"anon", "clitic"}}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"attribution/data/cues/{lang}.tsv line {number}"
        fields = line.split("\t")
        if len(fields) < 2 or not fields[1].strip():
            raise CrosswireError("CW501", where, "expected KIND<TAB>PHRASE[<TAB>NOTE]")
        kind, phrase, note = fields[0].strip(), fields[1].strip(), (fields[2] if len(fields) > 2 else "")
        key = fold(phrase, lang)
        if kind in CUE_KINDS:
            cues[key] = _parse_cue(kind, phrase, note, where, lang)
        elif kind == "anon":
            anon[key] = note.strip() or "source"
        elif kind == "clitic":
            clitics[key] = fold(note.strip(), lang)
        elif kind == "grammar" and key not in GRAMMAR:
            raise CrosswireError("CW501", where, f"unknown grammar property {phrase!r}")
        elif kind in words:
            words[kind].add(key)
        else:
            raise CrosswireError("CW501", where, f"unknown kind {kind!r}")
    # Written without spaces: cues match anywhere, not on word boundaries.
    unspaced = writes_without_spaces(lang)
    clitic_order = tuple(sorted(clitics.items(), key=lambda item: len(item[0]), reverse=True))
    frozen = {kind: frozenset(found) for kind, found in words.items()}
    return Lexicon(
        lang,
        cues,
        _cue_pattern(cues, frozen["noncue"], clitic_order, unspaced),
        anon,
        frozen["pronoun"],
        frozen["skip"],
        frozen["comp"],
        frozen["end"],
        frozen["det"],
        frozen["aux"],
        frozen["speaker"],
        frozen["clause"],
        frozen["conj"],
        frozen["agent"],
        frozen["copula"],
        frozen["link"],
        frozen["unit"],
        clitic_order,
        frozen["grammar"],
        unspaced,
        frozen["stance"],
    )


def _cue_pattern(
    cues: dict[str, Cue], noncues: frozenset[str], clitics: tuple[tuple[str, str], ...], unspaced: bool
) -> re.Pattern[str] | None:
    """One regex for all cue phrases, built as a character trie: a few hundred phrases
    as plain alternatives would each be tried at every position of the text.

    `noncue` words are in the trie too, so that a match consumes them whole ("数据"
    is read as one word, and its 据 is never a cue). A cue may carry proclitics ("فقال").
    """
    if not cues:
        return None
    trie: dict = {}
    for key, kind in [*((key, cue.kind) for key, cue in cues.items()), *((word, "noncue") for word in noncues)]:
        node = trie
        for char in " ".join(key.split()):
            node = node.setdefault(char, {})
        node.setdefault(_END, _end_condition(kind, unspaced))
    body = _trie_regex(trie)
    if clitics:
        body = "(?:" + "|".join(re.escape(clitic) for clitic, _ in clitics) + "){0,2}" + body
    return re.compile(f"(?i:{body})" if unspaced else rf"(?<![\w{HARAKAT}])(?i:{body})")


_END = ""  # trie key of a phrase's end: no character is the empty string


def _end_condition(kind: str, unspaced: bool) -> str:
    """What may follow a phrase: harakat written on its last letter ("قالَ"), then the word's end."""
    if unspaced:
        return ""
    if kind in ("prep", "passive"):
        # News copy often loses the space after these ("MenurutGedung Putih",
        # "dariexpress.co.uk"): a capital or a domain may follow directly.
        return rf"[{HARAKAT}]*(?-i:(?!\w)|(?=[A-ZÀ-ÖØ-Þ])|(?=[\w-]+\.[a-z]{{2,}}))"
    return rf"[{HARAKAT}]*(?!\w)"


def _trie_regex(node: dict) -> str:
    """Children before the end, so that the longest phrase wins ("according to reports by")."""
    alternatives = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items())
        if char != _END
    ]
    if _END in node:
        alternatives.append(node[_END])
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"
