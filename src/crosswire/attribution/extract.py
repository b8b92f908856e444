"""Attributions in sentences: cue, source and content spans, by lexicon and rules.

Per sentence, every cue from the language's lexicon is found left to right and
read by its kind:

    prep     "According to rumours, Wagner has ..."     source after the cue
    post     "Reuters'a göre ..."                       source before the cue
    verb     "The report said ..."  / "'...,' said X"   subject before; after when inverted
    chain    "The Daily Mirror reviewed a report ..."   X cites the document after the cue
    passive  "a report seen by the Daily Mirror"        X after the cue cites the document before
    hedge    "... have reportedly been shipped"         no named source: an anonymous one

A source span runs to the nearest clause boundary (punctuation, a quotation
mark, another cue, an `end` word) and at most MAX_SOURCE_WORDS words. The
content is the largest quotation in the sentence when there is one, otherwise
the rest of the sentence on the other side of the cue. Nothing here can fail
on odd input: a sentence gives attributions or none.

Rules beyond the nearest boundary, each read from the lexicon, never from the
language's name:

- apposition: "Dmitry Peskov, the Kremlin spokesman, said" and "Le porte-parole
  du Kremlin, Dmitri Peskov, a déclaré": the subject is the piece of "X, Y," that
  is a name, not the words after the verb;
- a fronted prep with no comma after its source ("Laut dem Weißen Haus werden
  ...", "Według ekspertów sankcje ...") keeps only the noun phrase: it ends before
  a verb-like word, and at a lower-case word once a name or an anonymous noun
  has been read (`_noun_phrase`);
- `grammar verb-final` (Turkish): "X, [object clause] söyledi": the subject is
  the first piece of the sentence, or without a comma its leading capitalised run;
- `grammar verb-first` (Arabic): a verb's subject follows it ("وفي بيان قال
  المتحدث ..."), the words before it only when none does;
- `grammar pro-drop`: a clause-initial verb with no subject (`"...", añadió.`,
  "Añadió que ...") gives an attribution with no source span, since the sentence
  names no one; its entity is the last named person cited before it, the way a
  pronoun is resolved, or else an anonymous "unstated" source;
- unspaced scripts: a source before its cue stops at an `end` word and loses
  `skip` words and dates at its edges ("克里姆林宫周一称": 克里姆林宫); `noncue`
  words hide the cues inside them (数据 is no 据); a prep's closing `until` word
  (据 X 报道) is part of the prep, not a verb cue of its own;
- `clitic` prefixes (Arabic و ف ب ل, "لل" for "ال") are left off for cue, word-list
  and entity lookups, so "فقال" is "قال" and "للبيت الأبيض" the White House.

Work per cue is bounded: each sentence's boundaries and quotations are found
once (`_Scan`), sources are looked for within SOURCE_WINDOW_CHARS of the cue,
and a sentence gives at most MAX_CUES_PER_SENTENCE cues, so a pathological
sentence costs time linear in its length.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
from dataclasses import replace
from typing import Sequence

from ..model import Attribution, Sentence, SourceEntity, Span
from .entities import anonymous_of_type, resolve_source
from ..text.segment import abbreviations
from .lexicon import Cue, Lexicon, lexicon
from .tagger import cues_overlap, has_model, tagged_attributions, with_rule_readings, without_doubtful_source

MAX_SOURCE_WORDS = 8
MAX_UNSPACED_SOURCE_CHARS = 16
MIN_QUOTE_WORDS = 4
MIN_QUOTE_SHARE = 0.4
# A sentence is a title-case headline when this share of its longer words is capitalised.
TITLE_CASE_MIN_LETTERS = 4
TITLE_CASE_SHARE = 0.75
# How far from its cue a source is looked for: MAX_SOURCE_WORDS long words and more.
# The bound makes a cue's work independent of the sentence's length.
SOURCE_WINDOW_CHARS = 400
# A news sentence has a handful of cues; past this many it is a word list or an
# unsegmented dump, and reading more of them only costs time.
MAX_CUES_PER_SENTENCE = 100
# How many earlier attributions are searched for the person a pronoun stands for.
ANTECEDENT_WINDOW = 64
# The entity of a pro-drop verb's subject when no named person precedes it.
UNSTATED = "unstated"
# Entity kinds that name who a source is; others may be a clitic form of one.
_KNOWN_KINDS = ("outlet", "institution", "anonymous")
# Clause boundaries a source never crosses. Apostrophes are not here: "Wagner’s".
_BOUNDARY = re.compile(
    r"[,;:!?()\[\]\"“”«»„—–\n，。、；：「」『』《》؛،]|\.(?=\s|$)|(?<=\s)[‘’'](?=\w)|(?<=\w)[‘’'](?=\s|$)"
)
_QUOTED = re.compile(r"[\"“„«「『]([^\"“”„«»「」『』]{8,})[\"”“»」』]")
# Combining marks belong to their word: Arabic harakat ("رسمياً"), decomposed accents.
_MARKS = "\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670"
_WORD = re.compile(rf"[\w{_MARKS}]+(?:[’'.\-][\w{_MARKS}]+)*")
_DOMAIN_START = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,24}(?![\w-])", re.IGNORECASE)
_COMMAS = ",،，"
_CLOSING_QUOTES = "\"”»’'」"
_SPACES = " \t\n\r"
# Punctuation and quotation marks that may close a sentence after its last word.
_SENTENCE_END = _SPACES + ".!?。！？؟…\"”»’'」』)"
_TRAILING_PUNCT = _SPACES + ".!?。！？؟…\"”»’'"
_TRAILING_SEPARATORS = " ,;:—–-،؛，：；、"
_LEADING_NOISE = re.compile(r"[\s,:;—–\-،؛，：；、]+")
_SUFFIX_AFTER_APOSTROPHE = re.compile(r"['’]\w{1,4}$")
_WORD_BEFORE = re.compile(r"[\w.]+$")
_ELIDED = re.compile(r"[^\W\d_]{1,4}['’](?=\w)")


def extract_attributions(text: str, sentences: Sequence[Sentence], lang: str) -> tuple[Attribution, ...]:
    """All attributions in `sentences` of `text` (offsets into `text`)."""
    lex = lexicon(lang)
    if lex is None or lex.pattern is None:
        return ()
    found: list[Attribution] = []
    for sentence in sentences:
        found.extend(_in_sentence(text, sentence, lex, found))
    bylines = _quotation_bylines(text, sentences, lex)
    if has_model(lang):
        # The trained tagger reads cues and sources as PolNeAR annotates them; the rules add the rest.
        tagged_text = tagged_attributions(text, sentences, lex)
        by_index = {sentence.index: sentence for sentence in sentences}
        own = [
            a
            for a in tagged_text.attributions
            if not (a.cue_kind == "verb" and _inside_name(text, by_index[a.sentence], a.cue))
        ]
        tagged = with_rule_readings(
            own, found, tagged_text.possible_cues, tagged_text.sources, tagged_text.likely_sources
        )
        rules, found = found, []
        for attribution in tagged:
            found.append(_resolve_pronoun(without_doubtful_source(attribution, tagged_text.beliefs, rules), found))
    found.extend(b for b in bylines if not any(cues_overlap(b, a) for a in found))
    return tuple(sorted(found, key=lambda a: (a.sentence, a.cue.start)))


# A quotation signed after a dash: "“... our greatest shame.” ― Sonya Herridge". The name runs
# to the end of its line (a full stop at most after it), so a dash inside a sentence is no byline.
_BYLINE = re.compile(r"([\"”»」』])[^\S\n]*([―—–])[^\S\n]*((?:[^\W\d_][\w.’'\-]*[^\S\n]*){1,5}?)\.?[^\S\n]*(?=\n|$)")
_OPENING_FOR = {'"': '"', "”": "“", "»": "«", "」": "「", "』": "『"}
MAX_QUOTATION_CHARS = 4000


def _quotation_bylines(text: str, sentences: Sequence[Sentence], lex: Lexicon) -> list[Attribution]:
    """Attributions of quotations signed with a dash and a name: the dash is the cue, the name
    the source, the quotation before it (back to its opening mark, within MAX_QUOTATION_CHARS)
    the content. The name's words must each be capitalised."""
    if lex.unspaced or not sentences:
        return []
    starts = [sentence.start for sentence in sentences]
    result = []
    for match in _BYLINE.finditer(text, sentences[0].start, sentences[-1].end):
        name = match.group(3).strip().rstrip(".")
        if not name or not all(_capitalised(word) for word in name.split()):
            continue
        index = bisect.bisect_right(starts, match.start(2)) - 1
        if index < 0 or match.start(2) >= sentences[index].end:
            continue
        closing = match.start(1)
        opening = text.rfind(_OPENING_FOR[match.group(1)], max(0, closing - MAX_QUOTATION_CHARS), closing)
        content = _span(text, opening + 1, closing) if opening >= 0 else None
        source = _span(text, match.start(3), match.start(3) + len(name))
        if source is None:
            continue
        result.append(
            Attribution(
                sentences[index].index,
                "prep",
                _span(text, match.start(2), match.end(2)),
                source,
                content,
                _entity(source.text, lex),
            )
        )
    return result


def _inside_name(text: str, sentence: Sentence, cue: Span) -> bool:
    """A verb cue with a capital after the first word of a sentence that is no title-case
    headline is part of a name ("The market in Port Said reopened"), as the rules read it."""
    return (
        cue.text[:1].isupper()
        and _WORD.search(text, sentence.start, cue.start) is not None
        and not _title_case(text[sentence.start : sentence.end])
    )


def _in_sentence(text: str, sentence: Sentence, lex: Lexicon, earlier: list[Attribution]) -> list[Attribution]:
    # Read at the first cue: most sentences have none (rewrites dev, 40 pairs: 239 cues in
    # 1,061 sentences), and reading one's clause boundaries and quotations was a third of this.
    scan: _Scan | None = None
    # Source, document and closing-word spans, as a heap of (end, start): cues inside them are
    # words, not cues. Cues come left to right, so a span that ends before one ends before all later.
    taken: list[tuple[int, int]] = []
    result: list[Attribution] = []
    for number, match in enumerate(lex.pattern.finditer(text, sentence.start, sentence.end)):
        if number == MAX_CUES_PER_SENTENCE:
            break
        while taken and taken[0][0] <= match.start():
            heapq.heappop(taken)
        if any(start <= match.start() for _, start in taken):
            continue
        cue = lex.cue_for(match.group(0))
        if cue is None:  # a `noncue` word, matched whole so that the cue inside it is not
            continue
        if scan is None:
            scan = _Scan(text, sentence, lex)
        attribution = _read_cue(scan, cue, Span(match.start(), match.end(), match.group(0)), result)
        if attribution is None:
            continue
        attribution = _resolve_pronoun(attribution, earlier, result)
        result.append(attribution)
        for span in (attribution.source, attribution.cited, _closing_word(scan, cue, attribution.source)):
            if span:
                heapq.heappush(taken, (span.end, span.start))
    return result


class _Scan:
    """A sentence read once for what every cue in it looks up: its clause boundaries
    (one character each, sorted offsets) and its quotations, longest first."""

    def __init__(self, text: str, sentence: Sentence, lex: Lexicon):
        self.text, self.lex = text, lex
        self.index, self.start, self.end = sentence.index, sentence.start, sentence.end
        self.boundaries = _boundaries(text, sentence.start, sentence.end, lex)
        quotes = [
            (m.start(), m.end(), Span(m.start(1), m.end(1), m.group(1)))
            for m in _QUOTED.finditer(text, sentence.start, sentence.end)
        ]
        # Of two quotations as long, the earlier is the content.
        self.quotes = sorted(quotes, key=lambda quote: (quote[2].start - quote[2].end, quote[0]))
        # Where the sentence's closing punctuation starts: a boundary there closes no clause.
        self.tail = sentence.start + len(text[sentence.start : sentence.end].rstrip(_SENTENCE_END))

    @functools.cached_property
    def title_case(self) -> bool:
        return _title_case(self.text[self.start : self.end])

    def next_boundary(self, pos: int, limit: int | None = None) -> int | None:
        """The first boundary at or after `pos` and before `limit` (the sentence's end)."""
        i = bisect.bisect_left(self.boundaries, pos)
        if i < len(self.boundaries) and self.boundaries[i] < (self.end if limit is None else limit):
            return self.boundaries[i]
        return None

    def boundary_before(self, pos: int, floor: int | None = None) -> int | None:
        """The last boundary before `pos` and at or after `floor` (the sentence's start)."""
        i = bisect.bisect_left(self.boundaries, pos) - 1
        if i >= 0 and self.boundaries[i] >= (self.start if floor is None else floor):
            return self.boundaries[i]
        return None

    def clause_start(self, pos: int) -> int:
        boundary = self.boundary_before(pos)
        return self.start if boundary is None else boundary + 1


def _read_cue(scan: _Scan, cue: Cue, cue_span: Span, earlier: list[Attribution]) -> Attribution | None:
    """The attribution a cue makes; `earlier` are those found before it in the sentence."""
    lex, index = scan.lex, scan.index
    if cue.kind == "hedge":
        content = _content(scan, cue_span.start, cue_span.end)
        return Attribution(index, "hedge", cue_span, None, content, anonymous_of_type(cue.anon_type, cue_span.text))
    if cue.kind == "prep":
        source = _source_after(scan, cue_span.end, cue.until, noun_phrase=_fronted_open(scan, cue_span))
        if source is None:
            return None
        closing = _closing_word(scan, cue, source)
        content = _content(scan, cue_span.start, closing.end if closing else source.end)
        return Attribution(index, "prep", cue_span, source, content, _entity(source.text, lex), relay=cue.relay)
    if cue.kind == "post":
        source = _source_before(scan, scan.start, cue_span.start, strip_suffix=True)
        if source is None:
            return None
        content = _content(scan, source.start, cue_span.end)
        return Attribution(index, "post", cue_span, source, content, _entity(source.text, lex))
    if cue.kind == "verb":
        return _read_verb(scan, cue, cue_span, earlier)
    if cue.kind == "chain":
        source = _source_before(scan, scan.start, cue_span.start)
        cited = _source_after(scan, cue_span.end)
        if source is None or cited is None:
            return None
        return Attribution(
            index, "chain", cue_span, source, None, _entity(source.text, lex), cited, _entity(cited.text, lex)
        )
    if cue.kind == "passive":
        source = _source_after(scan, cue_span.end)
        cited = _source_before(scan, scan.start, cue_span.start)
        if source is None or cited is None:
            return None
        return Attribution(
            index, "passive", cue_span, source, None, _entity(source.text, lex), cited, _entity(cited.text, lex)
        )
    return None


def _read_verb(scan: _Scan, cue: Cue, cue_span: Span, earlier: list[Attribution]) -> Attribution | None:
    text, lex = scan.text, scan.lex
    if not lex.unspaced:
        previous = _WORD.findall(text, max(scan.start, cue_span.start - 40), cue_span.start)
        if previous and lex.has(lex.det, previous[-1]):
            return None  # "the report", "his claims": a noun; "to say": not a report
        if cue_span.text[:1].isupper() and previous and not scan.title_case:
            return None  # "the United States": a capital inside a sentence makes it a name
        cue_span = _with_aux(scan, cue_span)
    source = None if cue.inverted or cue.participle else _apposition(scan, cue_span.start)
    if source is None:
        source, inverted = _inverted_source(scan, cue, cue_span)
        if cue.inverted and not inverted:
            return None
    if source is None:
        source = _agent_source(scan, cue_span.end)
    if source is None and _passive(cue_span, cue, lex):
        # "Trump was asked ...": the subject is who was asked; the asker is unnamed.
        content = _content(scan, cue_span.start, cue_span.end)
        return Attribution(scan.index, "verb", cue_span, None, content, anonymous_of_type("source", cue_span.text))
    omitted = source is None and lex.pro_drop and _subject_omitted(scan, cue_span)
    if source is None and lex.verb_first:
        source = _subject_after(scan, cue_span.end)
    if source is None:
        source = _shared_subject(scan, cue, cue_span, earlier, omitted)
    if source is None and lex.verb_final:
        source = _verb_final_subject(scan, cue_span.start)
    if source is None:
        source = _source_before(scan, scan.start, cue_span.start)
    if source is None and (_after_comma(scan, cue_span.start) or _after_quote(scan, cue_span.start)):
        source = _first_clause_subject(scan, cue_span.start)
    if source is None and omitted:
        # '"...", añadió': the sentence names no speaker, so there is no source span;
        # the entity stands for the last person cited before (see _resolve_pronoun).
        content = _content(scan, cue_span.start, cue_span.end)
        return Attribution(scan.index, "verb", cue_span, None, content, anonymous_of_type(UNSTATED, cue_span.text))
    if source is None:
        source = _source_after(scan, cue_span.end)
    if source is None or lex.fold(source.text) in lex.speaker:
        return None
    quote = _largest_quote(scan, exclude=(min(source.start, cue_span.start), max(source.end, cue_span.end)))
    if quote is not None:
        content = quote
    elif source.start > cue_span.start:  # before the verb, or after its subject where verbs come first
        before = _trimmed(text, scan.start, cue_span.start, lex)
        after = _trimmed(text, source.end, scan.end, lex)
        content = (after or before) if lex.verb_first else (before or after)
    else:  # after the verb; or, for a verb that ends its clause, its object before it
        content = (
            _trimmed(text, cue_span.end, scan.end, lex)
            or _trimmed(text, source.end, cue_span.start, lex)
            or _trimmed(text, scan.start, source.start, lex)
        )
    return Attribution(scan.index, "verb", cue_span, source, content, _entity(source.text, lex))


def _inverted_source(scan: _Scan, cue: Cue, cue_span: Span) -> tuple[Span | None, bool]:
    """The source after a cue that follows a quotation or a comma ("...," said X).

    After a bare comma the verb is inverted only when a short phrase follows it up to the
    clause's end ("..., said Rep. Scott"), and not after an aside ("X, who ..., said the plan failed").
    """
    if cue.participle or _back_space(scan.text, scan.start, cue_span.start) == scan.start:
        return None, False  # "..., saying X": X is what is said
    after_quote = _after_quote(scan, cue_span.start)
    if not after_quote and (not _after_comma(scan, cue_span.start) or _after_aside(scan, cue_span.start)):
        return None, False
    source = _source_after(scan, cue_span.end)
    if source is None:
        return None, False
    if after_quote or cue.inverted or _clause_words(scan, cue_span.end) <= MAX_SOURCE_WORDS:
        return source, True
    return None, False


def _back_space(text: str, floor: int, pos: int) -> int:
    while pos > floor and text[pos - 1].isspace():
        pos -= 1
    return pos


def _after_comma(scan: _Scan, pos: int) -> bool:
    end = _back_space(scan.text, scan.start, pos)
    return end > scan.start and scan.text[end - 1] in _COMMAS


def _after_quote(scan: _Scan, pos: int) -> bool:
    """A closing quotation mark, perhaps with a comma after it, right before `pos`."""
    end = _back_space(scan.text, scan.start, pos)
    if end > scan.start and scan.text[end - 1] in _COMMAS:
        end = _back_space(scan.text, scan.start, end - 1)
    return end > scan.start and scan.text[end - 1] in _CLOSING_QUOTES


def _after_aside(scan: _Scan, pos: int) -> bool:
    """The text before the cue ends in an aside between commas that opens with a clause word (", who ...,")."""
    text = scan.text
    comma = _back_space(text, scan.start, pos) - 1
    while comma > scan.start and text[comma - 1] == ",":
        comma -= 1
    previous = text.rfind(",", max(scan.start, comma - SOURCE_WINDOW_CHARS), comma)
    if previous < 0:
        return False
    first = _WORD.match(text, _skip_space(text, previous + 1, comma), comma)
    return first is not None and scan.lex.has(scan.lex.clause, first.group(0))


def _apposition(scan: _Scan, pos: int) -> Span | None:
    """The subject of a cue after "X, Y," where X or Y is a name and the other describes it:
    "Dmitry Peskov, the Kremlin spokesman, said", "Le porte-parole du Kremlin, Dmitri Peskov,
    a déclaré". Read as an inverted verb, the object after it would be the source."""
    text, lex = scan.text, scan.lex
    second = _back_space(text, scan.start, pos) - 1
    if second < scan.start or text[second] not in _COMMAS:
        return None
    first = scan.boundary_before(second)
    if first is None or text[first] not in _COMMAS:
        return None
    named = _piece_words(text, scan.clause_start(first), first)
    description = _piece_words(text, first + 1, second)
    if not named or not description or lex.has(lex.clause, description[0].group(0)):
        return None  # ", who ...,": an aside, whose verb is not this one
    if any(piece[0].group(0).islower() and lex.has(lex.link, piece[0].group(0)) for piece in (named, description)):
        return None  # "Johnnie Wilson, of Springfield, Va., said": the name goes on
    names = [piece for piece in (named, description) if _is_name(piece, lex)]
    if len(names) == 2:
        # Capitals alone cannot tell a description: German capitalises every noun, and a
        # sentence's first word is capitalised ("Rzecznik Kremla, Dmitrij Pieskow,"). A
        # description has an article ("Der Sprecher des Kremls"), or names no person.
        names = [piece for piece in names if not _has_article(piece, lex)] or names
    if len(names) == 2:
        names = [piece for piece in names if _entity(text[piece[0].start() : piece[-1].end()], lex).kind == "person"]
    if len(names) != 1:
        return None  # "France, Germany, said": a list, not a name and its description
    words = _trim_skip(names[0], lex)
    return _span(text, words[0].start(), words[-1].end()) if words else None


def _has_article(words: list[re.Match[str]], lex: Lexicon) -> bool:
    return lex.has(lex.det, words[0].group(0))


def _piece_words(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The words of a short piece of text; none when it has more than MAX_SOURCE_WORDS."""
    words = list(itertools.islice(_WORD.finditer(text, start, end), MAX_SOURCE_WORDS + 1))
    return words if len(words) <= MAX_SOURCE_WORDS else []


def _is_name(words: list[re.Match[str]], lex: Lexicon) -> bool:
    """Capitalised words, `link` words between them, lower-case `skip` or `det` words before
    them: "Dmitry Peskov", "Ministry of Defence", "la maire Anne Dubois" is none."""
    name = [word.group(0) for word in words]
    while name and name[0].islower() and (lex.has(lex.skip, name[0]) or lex.has(lex.det, name[0])):
        name = name[1:]
    if not name or not _capitalised(name[0]) or not _capitalised(name[-1]):
        return False
    if len(name) == 1 and lex.fold(name[0]) in lex.pronouns:
        return False
    return all(_capitalised(word) or lex.has(lex.link, word) for word in name)


def _capitalised(word: str) -> bool:
    """A capital first letter, after an elided article or preposition ("l'AFP", "dell'Interno")."""
    if word[:1].isupper():
        return True
    elided = _ELIDED.match(word)
    return elided is not None and word[elided.end() :][:1].isupper()


def _clause_words(scan: _Scan, pos: int) -> int:
    """How many words follow `pos` up to the next boundary, counted up to MAX_SOURCE_WORDS + 1."""
    boundary = scan.next_boundary(pos)
    words = _WORD.finditer(scan.text, pos, scan.end if boundary is None else boundary)
    return sum(1 for _ in itertools.islice(words, MAX_SOURCE_WORDS + 1))


def _passive(cue_span: Span, cue: Cue, lex: Lexicon) -> bool:
    """A verb cue after a form of "be" that is not a progressive ("was asked", not "is saying")."""
    return not cue.participle and any(lex.has(lex.copula, w) for w in _WORD.findall(cue_span.text)[:-1])


def _agent_source(scan: _Scan, pos: int) -> Span | None:
    """A passive cue's agent: "was echoed by X"."""
    word = _WORD.match(scan.text, _skip_space(scan.text, pos, scan.end), scan.end)
    if word is None or not scan.lex.has(scan.lex.agent, word.group(0)):
        return None
    return _source_after(scan, word.end())


def _subject_after(scan: _Scan, pos: int) -> Span | None:
    """A verb-first language's subject, after its verb; none when a complementiser or an
    `end` word comes first ("قال إن", "قال للصحفيين")."""
    word = _WORD.match(scan.text, _skip_space(scan.text, pos, scan.end), scan.end)
    if word is None or scan.lex.has(scan.lex.comp, word.group(0)) or scan.lex.has(scan.lex.end, word.group(0)):
        return None
    return _source_after(scan, pos)


def _clause_initial(scan: _Scan, pos: int) -> bool:
    """Only conjunctions and `skip` words stand between the start of the clause and `pos`."""
    return _only_fillers(scan, scan.clause_start(pos), pos)


def _only_fillers(scan: _Scan, start: int, pos: int) -> bool:
    """text[start:pos] holds no word but conjunctions and `skip` words."""
    if pos - start > SOURCE_WINDOW_CHARS:
        return False
    lex = scan.lex
    return all(lex.has(lex.conj, w) or lex.has(lex.skip, w) for w in _WORD.findall(scan.text, start, pos))


def _subject_omitted(scan: _Scan, cue_span: Span) -> bool:
    """A clause-initial verb with no word after it that could be its subject: a boundary,
    the sentence's end or a complementiser follows ('"...", añadió.', "Añadió que", "وأضاف أن")."""
    if not _clause_initial(scan, cue_span.start):
        return False
    pos = _skip_space(scan.text, cue_span.end, scan.end)
    if pos >= scan.tail or scan.next_boundary(pos) == pos:
        return True
    word = _WORD.match(scan.text, pos, scan.end)
    return word is None or scan.lex.has(scan.lex.comp, word.group(0))


def _shared_subject(scan: _Scan, cue: Cue, cue_span: Span, earlier: list[Attribution], omitted: bool) -> Span | None:
    """The subject an earlier cue in the sentence shares with this one: "X said ... and added",
    "X criticized the plan, saying ...", "وأضاف", and a verb whose own subject is omitted."""
    previous = _WORD.findall(scan.text, max(scan.start, cue_span.start - 20), cue_span.start)
    joined = (
        omitted
        or _conjunction_clitic(cue_span.text, scan.lex)
        or (bool(previous) and scan.lex.has(scan.lex.conj, previous[-1]))
    )
    if not (cue.participle and _after_comma(scan, cue_span.start)) and not joined:
        return None
    for attribution in reversed(earlier):
        # The subject, not an inverted source ('"...," said X'), unless subjects follow their verbs.
        if (
            attribution.cue_kind == "verb"
            and attribution.source
            and (scan.lex.verb_first or attribution.source.end <= attribution.cue.start)
        ):
            return attribution.source
    return None


def _conjunction_clitic(cue_text: str, lex: Lexicon) -> bool:
    """A conjunction written on the verb cue ("وأضاف": and added)."""
    folded = lex.fold(cue_text)
    return any(
        folded.startswith(clitic) and clitic in lex.conj and lex.cue_for(folded[len(clitic) :]) is not None
        for clitic, _ in lex.clitics
    )


def _verb_final_subject(scan: _Scan, cue_start: int) -> Span | None:
    """The subject of a verb that ends its clause (`grammar verb-final`): the sentence's first
    piece when a comma sets it off and the verb's own clause, its object, starts in lower case
    ("Sağlık Bakanı Fahrettin Koca, vakaların arttığını söyledi"); else the capitalised run
    that opens the verb's clause before a lower-case word ("Bakan Koca vakaların ... söyledi")."""
    text, lex = scan.text, scan.lex
    own_start = scan.clause_start(cue_start)
    own = _piece_words(text, own_start, cue_start)
    if not own:
        return None
    if own_start > scan.start and own[0].group(0)[:1].islower():
        first = scan.next_boundary(scan.start)
        if first is None or first == scan.start or text[first] not in _COMMAS:
            return None
        return _source_before(scan, scan.start, first)
    run = 0
    while run < len(own) and (_capitalised(own[run].group(0)) or (run and lex.has(lex.link, own[run].group(0)))):
        run += 1
    if run == 0 or run == len(own) or not own[run].group(0)[:1].islower():
        return None
    words = _trim_skip(own[:run], lex)
    return _span(text, words[0].start(), words[-1].end()) if words else None


def _first_clause_subject(scan: _Scan, pos: int) -> Span | None:
    """The subject of a cue right after a comma or a quotation, cut off by an aside or the
    quotation itself: "X, who ..., said", 'Bakan, "..." dedi'."""
    first = scan.next_boundary(scan.start, pos)
    if first is None or first <= scan.start:
        return None
    return _source_before(scan, scan.start, first)


def _skip_space(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos].isspace():
        pos += 1
    return pos


def _boundaries(text: str, start: int, end: int, lex: Lexicon) -> list[int]:
    """Offsets of the clause boundaries in text[start:end]; a full stop after an abbreviation
    or an initial is none ("Rep. Bobby Scott", "George W. Bush")."""
    abbrevs = abbreviations(lex.lang)
    found = []
    for boundary in _BOUNDARY.finditer(text, start, end):
        if boundary.group(0) == ".":
            word = _WORD_BEFORE.search(text, max(start, boundary.start() - 12), boundary.start())
            if word and (word.group(0) in abbrevs or (len(word.group(0)) == 1 and word.group(0).isupper())):
                continue
        found.append(boundary.start())
    return found


def _title_case(sentence: str) -> bool:
    """A headline in title case ("Trump Says He Will Win"), where capitals say nothing about names."""
    words = [w for w in _WORD.findall(sentence) if len(w) >= TITLE_CASE_MIN_LETTERS and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _with_aux(scan: _Scan, cue_span: Span) -> Span:
    """The cue with the auxiliaries and adverbs right before it ("has also said")."""
    start = cue_span.start
    while True:
        previous = _word_before(scan.text, scan.start, start)
        if previous is None or not scan.lex.has(scan.lex.aux, previous.group(0)):
            break
        start = previous.start()
    return cue_span if start == cue_span.start else Span(start, cue_span.end, scan.text[start : cue_span.end])


def _word_before(text: str, floor: int, pos: int) -> re.Match[str] | None:
    """The word before `pos` when spaces or tabs, and nothing else, separate them."""
    end = pos
    while end > floor and text[end - 1] in " \t":
        end -= 1
    if end == pos:
        return None
    last = None
    for last in _WORD.finditer(text, max(floor, end - 40), end):
        pass
    return last if last is not None and last.end() == end else None


def _fronted_open(scan: _Scan, cue_span: Span) -> bool:
    """A prep that opens its sentence and no boundary closes its source before the sentence
    ends: "Laut dem Weißen Haus werden die Gespräche ... fortgesetzt." (German and Polish
    put no comma there), so only the noun phrase after the cue is the source. After a comma
    ("..., according to the Roper Center for Public Opinion Research.") the rest is the source."""
    boundary = scan.next_boundary(cue_span.end)
    return (boundary is None or boundary >= scan.tail) and _only_fillers(scan, scan.start, cue_span.start)


def _source_after(scan: _Scan, pos: int, until: tuple[str, ...] = (), noun_phrase: bool = False) -> Span | None:
    """The source that follows a cue: up to a boundary, an `end` word or the word limit;
    with `noun_phrase`, only the noun phrase it opens with."""
    text, lex = scan.text, scan.lex
    pos = _skip_space(text, pos, scan.end)
    boundary = scan.next_boundary(pos)
    region_end = min(scan.end if boundary is None else boundary, pos + SOURCE_WINDOW_CHARS)
    domain = _DOMAIN_START.match(text, pos, region_end)
    if domain:  # "dariexpress.co.uk pada Selasa": the domain is the whole source
        return Span(domain.start(), domain.end(), domain.group(0))
    if lex.unspaced:
        region = text[pos : min(region_end, pos + MAX_UNSPACED_SOURCE_CHARS + max(map(len, until), default=0))]
        cut = min([region.find(w) for w in until if w and region.find(w) > 0] or [len(region)])
        return _span(text, pos, pos + min(cut, MAX_UNSPACED_SOURCE_CHARS))
    words = []
    for word in _WORD.finditer(text, pos, region_end):
        found = word.group(0)
        if words and (lex.has(lex.end, found) or lex.fold(found) in until or _ends_source(found, lex)):
            break
        words.append(word)
        if len(words) == MAX_SOURCE_WORDS:
            break
    if noun_phrase:
        words = _noun_phrase(words, lex)
    words = _trim_skip(words, lex)
    return _span(text, words[0].start(), words[-1].end()) if words else None


def _noun_phrase(words: list[re.Match[str]], lex: Lexicon) -> list[re.Match[str]]:
    """The noun phrase that opens `words`: it ends before a verb-like word (auxiliary, copula,
    complementiser, clause opener) and, once its head is read (a capitalised word, or an
    anonymous noun), at the next lower-case word: "dem Weißen Haus | werden", "ekspertów |
    sankcje". A `link` word before a name continues it ("Sprecher des Auswärtigen Amtes")."""
    phrase: list[re.Match[str]] = []
    head = linked = False
    for i, word in enumerate(words):
        text = word.group(0)
        if lex.has(lex.verb_like, text):
            break
        if _capitalised(text):
            phrase.append(word)
            head, linked = True, False
        elif lex.has(lex.link, text) and _name_follows(words, i + 1, lex):
            phrase.append(word)
            linked = True
        elif head and not linked:
            break
        else:
            phrase.append(word)
            head = head or lex.fold(text) in lex.anon
    return phrase


def _name_follows(words: list[re.Match[str]], i: int, lex: Lexicon) -> bool:
    """A capitalised word comes next, after any `link`, `det` or `skip` words ("of the Interior")."""
    for word in words[i:]:
        text = word.group(0)
        if _capitalised(text):
            return True
        if not (lex.has(lex.link, text) or lex.has(lex.det, text) or lex.has(lex.skip, text)):
            return False
    return False


def _ends_source(word: str, lex: Lexicon) -> bool:
    """A following cue ends a source, unless it is also an anonymous noun ("a UK intelligence report")."""
    cue = lex.cue_for(word)
    return cue is not None and cue.kind != "hedge" and lex.fold(word) not in lex.anon


def _source_before(scan: _Scan, floor: int, pos: int, strip_suffix: bool = False) -> Span | None:
    """The source that precedes a cue (a verb's subject): back to a boundary or the word limit."""
    text, lex = scan.text, scan.lex
    boundary = scan.boundary_before(pos, floor)
    region_start = floor if boundary is None else boundary + 1
    if lex.unspaced:
        return _unspaced_source_before(scan, region_start, pos)
    window = max(region_start, pos - SOURCE_WINDOW_CHARS)
    words = list(_WORD.finditer(text, window, pos))
    if words and window > region_start and words[0].start() == window and text[window - 1].isalnum():
        words = words[1:]  # a word the window cut in two
    # Another cue ends the subject: "Mirror meninjau laporan yang mengatakan".
    # So does a word that opens a clause: "Years after Bill Clinton claimed", "a finish that he said".
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group(0)
        if lex.cue_for(word) is not None or lex.has(lex.clause, word):
            words = words[i + 1 :]
            break
    # A pronoun right before the cue is the whole subject: "the way they say".
    if words and (lex.fold(words[-1].group(0)) in lex.pronouns or lex.fold(words[-1].group(0)) in lex.speaker):
        words = words[-1:]
    words = _trim_skip(words[-MAX_SOURCE_WORDS:], lex)
    if not words:
        return None
    end = words[-1].end()
    if strip_suffix:
        suffix = _SUFFIX_AFTER_APOSTROPHE.search(text, words[-1].start(), end)
        if suffix:
            end = suffix.start()
    return _span(text, words[0].start(), end)


def _unspaced_source_before(scan: _Scan, region_start: int, pos: int) -> Span | None:
    """The source before a cue in an unspaced script: at most MAX_UNSPACED_SOURCE_CHARS
    characters, up to the first `end` word in them ("普京在莫斯科表示": 普京), without
    `skip` words and dates at its edges ("克里姆林宫周一称": 克里姆林宫)."""
    text, lex = scan.text, scan.lex
    start = max(region_start, pos - MAX_UNSPACED_SOURCE_CHARS)
    region = text[start:pos]
    end = start + min((found for found in (region.find(word, 1) for word in lex.end) if found > 0), default=len(region))
    changed = True
    while changed and start < end:
        changed = False
        for phrase in lex.skip_by_length:
            if len(phrase) > 1 and text.startswith(phrase, start, end) and end - start > len(phrase):
                start += len(phrase)
                changed = True
            elif text.endswith(phrase, start, end) and end - start > len(phrase):
                end -= len(phrase)
                changed = True
        date = _date_start(text, start, end, lex)
        if start < date < end:
            end, changed = date, True
    return _span(text, start, end)


def _date_start(text: str, start: int, end: int, lex: Lexicon) -> int:
    """Where a numeral and the `unit` after it end text[start:end] ("5日"); `end` when none does."""
    for unit in lex.units:
        numeral = end - len(unit)
        if text.endswith(unit, start, end) and numeral > start and text[numeral - 1].isnumeric():
            while numeral > start and text[numeral - 1].isnumeric():
                numeral -= 1
            return numeral
    return end


def _trim_skip(words: list[re.Match[str]], lex: Lexicon) -> list[re.Match[str]]:
    while words and _skipped(words[0].group(0), lex):
        words = words[1:]
    while words and _skipped(words[-1].group(0), lex):
        words = words[:-1]
    return words


def _skipped(word: str, lex: Lexicon) -> bool:
    """A `skip` word, or a lower-case word with a `skip` suffix ("-ly": "CNN barely mentioned")."""
    if lex.has(lex.skip, word):
        return True
    return word.islower() and any(lex.fold(word).endswith(suffix) for suffix in lex.skip_suffixes)


def _largest_quote(scan: _Scan, exclude: tuple[int, int]) -> Span | None:
    """The quotation that is the content, not a scare quote: most of the rest of the sentence."""
    best = next((quote for start, end, quote in scan.quotes if not (start < exclude[1] and exclude[0] < end)), None)
    rest = (scan.end - scan.start) - (exclude[1] - exclude[0])
    if best is None or len(best.text) < MIN_QUOTE_SHARE * rest:
        return None
    if sum(1 for _ in itertools.islice(_WORD.finditer(best.text), MIN_QUOTE_WORDS)) < MIN_QUOTE_WORDS:
        return None
    return best


def _content(scan: _Scan, attr_start: int, attr_end: int) -> Span | None:
    """What is attributed: the quotation, or the larger side of the sentence around the cue and source."""
    quote = _largest_quote(scan, exclude=(attr_start, attr_end))
    if quote is not None:
        return quote
    after = _trimmed(scan.text, attr_end, scan.end, scan.lex)
    before = _trimmed(scan.text, scan.start, attr_start, scan.lex)
    if after and (not before or after.end - after.start >= before.end - before.start):
        return after
    return before


def _trimmed(text: str, start: int, end: int, lex: Lexicon) -> Span | None:
    lead = _LEADING_NOISE.match(text, start, end)
    if lead:
        start = lead.end()
    first = _WORD.match(text, start, end)
    if first and lex.has(lex.comp, first.group(0)):
        start = first.end()
    end = start + len(text[start:end].rstrip(_TRAILING_PUNCT))
    end = start + len(text[start:end].rstrip(_TRAILING_SEPARATORS))
    return _span(text, start, end)


def _span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def _entity(text: str, lex: Lexicon) -> SourceEntity:
    """The source's entity; with `clitic` prefixes, that of the words without them when only
    that form is a known outlet, institution or anonymous source ("لوزارة الدفاع")."""
    entity = resolve_source(text, lex)
    if not lex.clitics or entity.kind in _KNOWN_KINDS:
        return entity
    first, _, rest = text.partition(" ")
    for stem in lex.stems(lex.fold(first)):
        candidate = resolve_source(f"{stem} {rest}", lex)
        if candidate.kind in _KNOWN_KINDS:
            # An anonymous source keeps its description as written.
            name = entity.name if candidate.kind == "anonymous" else candidate.name
            return SourceEntity(candidate.key, candidate.kind, name)
    return entity


def _closing_word(scan: _Scan, cue: Cue, source: Span | None) -> Span | None:
    """The `until` words that close a prep's source ("据新华社报道称": 报道称): part of
    the prep, so no verb cue of their own."""
    if not cue.until or source is None:
        return None
    start = end = _skip_space(scan.text, source.end, scan.end)
    while True:
        word = next((w for w in cue.until if scan.lex.fold(scan.text[end : end + len(w)]) == w), None)
        if word is None:
            break
        end += len(word)
    return Span(start, end, scan.text[start:end]) if end > start else None


def _resolve_pronoun(
    attribution: Attribution, earlier: Sequence[Attribution], later: Sequence[Attribution] = ()
) -> Attribution:
    """A pronoun source, or the unstated subject of a pro-drop verb, stands for the last named
    person cited before it: in `later` (the sentence so far) first, then in `earlier`, at most
    ANTECEDENT_WINDOW attributions back."""
    if attribution.entity.kind != "pronoun" and attribution.entity.key != f"anonymous:{UNSTATED}":
        return attribution
    for previous in (*reversed(later[-ANTECEDENT_WINDOW:]), *reversed(earlier[-ANTECEDENT_WINDOW:])):
        if previous.entity.kind == "person":
            return replace(attribution, entity=previous.entity)
    return attribution
