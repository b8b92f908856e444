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
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from ..model import Attribution, Sentence, Span
from .entities import anonymous_of_type, resolve_source
from ..text.segment import abbreviations
from .lexicon import Cue, Lexicon, lexicon
from .tagger import has_model, tagged_attributions, with_rule_readings

MAX_SOURCE_WORDS = 8
MAX_UNSPACED_SOURCE_CHARS = 16
MIN_QUOTE_WORDS = 4
MIN_QUOTE_SHARE = 0.4
# A sentence is a title-case headline when this share of its longer words is capitalised.
TITLE_CASE_MIN_LETTERS = 4
TITLE_CASE_SHARE = 0.75
# Clause boundaries a source never crosses. Apostrophes are not here: "Wagner’s".
_BOUNDARY = re.compile(r"[,;:!?()\[\]\"“”«»„—–\n，。、；：「」『』《》؛،]|\.(?=\s|$)|(?<=\s)[‘’'](?=\w)|(?<=\w)[‘’'](?=\s|$)")
_QUOTED = re.compile(r"[\"“„«「『]([^\"“”„«»「」『』]{8,})[\"”“»」』]")
_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*")
_DOMAIN_START = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,24}(?![\w-])", re.IGNORECASE)
_QUOTE_BEFORE = re.compile(r"[\"”»’'」]\s*,?\s*$")
_COMMA_BEFORE = re.compile(r",\s*$")
_TRAILING_PUNCT = re.compile(r"[\s.!?。！？…\"”»’']+$")
_LEADING_NOISE = re.compile(r"^[\s,:;—–-]+")
_SUFFIX_AFTER_APOSTROPHE = re.compile(r"['’]\w{1,4}$")
_WORD_BEFORE = re.compile(r"[\w.]+$")
_LAST_WORD = re.compile(r"(\w+(?:[’']\w+)*)[ \t]+$")


def extract_attributions(text: str, sentences: Sequence[Sentence], lang: str) -> tuple[Attribution, ...]:
    """All attributions in `sentences` of `text` (offsets into `text`)."""
    lex = lexicon(lang)
    if lex is None or lex.pattern is None:
        return ()
    found: list[Attribution] = []
    for sentence in sentences:
        found.extend(_in_sentence(text, sentence, lex, found))
    if has_model(lang):
        # The trained tagger reads cues and sources as PolNeAR annotates them; the rules add the rest.
        merged: list[Attribution] = []
        for attribution in with_rule_readings(tagged_attributions(text, sentences, lex), found):
            merged.append(_resolve_pronoun(attribution, merged))
        found = merged
    return tuple(found)


def _in_sentence(text: str, sentence: Sentence, lex: Lexicon, earlier: list[Attribution]) -> list[Attribution]:
    start, end = sentence.start, sentence.end
    taken: list[tuple[int, int]] = []  # source and document spans: cues inside them are words, not cues
    result: list[Attribution] = []
    for match in lex.pattern.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in taken):
            continue
        cue = lex.cues.get(_normal(match.group(0)))
        if cue is None:
            continue
        attribution = _read_cue(text, sentence, lex, cue, Span(match.start(), match.end(), match.group(0)), result)
        if attribution is None:
            continue
        attribution = _resolve_pronoun(attribution, earlier + result)
        result.append(attribution)
        for span in (attribution.source, attribution.cited):
            if span:
                taken.append((span.start, span.end))
    return result


def _normal(phrase: str) -> str:
    return " ".join(phrase.split()).casefold()


def _read_cue(text: str, sentence: Sentence, lex: Lexicon, cue: Cue, cue_span: Span,
              earlier: list[Attribution]) -> Attribution | None:
    """The attribution a cue makes; `earlier` are those found before it in the sentence."""
    s_start, s_end = sentence.start, sentence.end
    index = sentence.index
    if cue.kind == "hedge":
        content = _content(text, s_start, s_end, cue_span.start, cue_span.end, lex)
        return Attribution(index, "hedge", cue_span, None, content, anonymous_of_type(cue.anon_type, cue_span.text))
    if cue.kind == "prep":
        source = _source_after(text, cue_span.end, s_end, lex, cue.until)
        if source is None:
            return None
        content = _content(text, s_start, s_end, cue_span.start, source.end, lex)
        return Attribution(index, "prep", cue_span, source, content, resolve_source(source.text, lex), relay=cue.relay)
    if cue.kind == "post":
        source = _source_before(text, s_start, cue_span.start, lex, strip_suffix=True)
        if source is None:
            return None
        content = _content(text, s_start, s_end, source.start, cue_span.end, lex)
        return Attribution(index, "post", cue_span, source, content, resolve_source(source.text, lex))
    if cue.kind == "verb":
        return _read_verb(text, sentence, lex, cue, cue_span, earlier)
    if cue.kind == "chain":
        source = _source_before(text, s_start, cue_span.start, lex)
        cited = _source_after(text, cue_span.end, s_end, lex)
        if source is None or cited is None:
            return None
        return Attribution(index, "chain", cue_span, source, None, resolve_source(source.text, lex),
                           cited, resolve_source(cited.text, lex))
    if cue.kind == "passive":
        source = _source_after(text, cue_span.end, s_end, lex)
        cited = _source_before(text, s_start, cue_span.start, lex)
        if source is None or cited is None:
            return None
        return Attribution(index, "passive", cue_span, source, None, resolve_source(source.text, lex),
                           cited, resolve_source(cited.text, lex))
    return None


def _read_verb(text: str, sentence: Sentence, lex: Lexicon, cue: Cue, cue_span: Span,
               earlier: list[Attribution]) -> Attribution | None:
    s_start, s_end = sentence.start, sentence.end
    before = text[s_start:cue_span.start]
    if not lex.unspaced:
        previous = _WORD.findall(before[-40:])
        if previous and previous[-1].casefold() in lex.det:
            return None  # "the report", "his claims": a noun; "to say": not a report
        if cue_span.text[:1].isupper() and previous and not _title_case(sentence.text):
            return None  # "the United States": a capital inside a sentence makes it a name
        cue_span = _with_aux(text, s_start, cue_span, lex)
        before = text[s_start:cue_span.start]
    source, inverted = _inverted_source(text, before, cue, cue_span, s_end, lex)
    if cue.inverted and not inverted:
        return None
    if source is None:
        source = _agent_source(text, cue_span.end, s_end, lex)
    if source is None and _passive(cue_span, cue, lex):
        # "Trump was asked ...": the subject is who was asked; the asker is unnamed.
        content = _content(text, s_start, s_end, cue_span.start, cue_span.end, lex)
        return Attribution(sentence.index, "verb", cue_span, None, content, anonymous_of_type("source", cue_span.text))
    if source is None:
        source = _shared_subject(text, before, cue, earlier, lex)
    if source is None:
        source = _source_before(text, s_start, cue_span.start, lex)
    if source is None and (_COMMA_BEFORE.search(before) or _QUOTE_BEFORE.search(before)):
        source = _first_clause_subject(text, s_start, cue_span.start, lex)
    if source is None:
        source = _source_after(text, cue_span.end, s_end, lex)
    if source is None or source.text.casefold() in lex.speaker:
        return None
    quote = _largest_quote(text, s_start, s_end, exclude=(min(source.start, cue_span.start), max(source.end, cue_span.end)))
    if quote is not None:
        content = quote
    elif source.start > cue_span.start:
        content = _trimmed(text, s_start, min(cue_span.start, source.start), lex)
    else:
        content = _trimmed(text, cue_span.end, s_end, lex) or _trimmed(text, s_start, source.start, lex)
    return Attribution(sentence.index, "verb", cue_span, source, content, resolve_source(source.text, lex))


def _inverted_source(text: str, before: str, cue: Cue, cue_span: Span, limit: int, lex: Lexicon) -> tuple[Span | None, bool]:
    """The source after a cue that follows a quotation or a comma ("...," said X).

    After a bare comma the verb is inverted only when a short phrase follows it up to the
    clause's end ("..., said Rep. Scott"), and not after an aside ("X, who ..., said the plan failed").
    """
    if not before.strip() or cue.participle:
        return None, False  # "..., saying X": X is what is said
    after_quote = bool(_QUOTE_BEFORE.search(before))
    if not after_quote and (not _COMMA_BEFORE.search(before) or _after_aside(before, lex)):
        return None, False
    source = _source_after(text, cue_span.end, limit, lex)
    if source is None:
        return None, False
    if after_quote or cue.inverted or _clause_words(text, cue_span.end, limit, lex) <= MAX_SOURCE_WORDS:
        return source, True
    return None, False


def _after_aside(before: str, lex: Lexicon) -> bool:
    """The text before the cue ends in an aside between commas that opens with a clause word (", who ...,")."""
    pieces = before.rstrip().rstrip(",").rsplit(",", 1)
    if len(pieces) < 2:
        return False
    first = _WORD.match(pieces[1].strip())
    return first is not None and first.group(0).casefold() in lex.clause


def _clause_words(text: str, pos: int, limit: int, lex: Lexicon) -> int:
    boundary = next(_boundaries(text, pos, limit, lex), None)
    return len(_WORD.findall(text, pos, boundary.start() if boundary else limit))


def _passive(cue_span: Span, cue: Cue, lex: Lexicon) -> bool:
    """A verb cue after a form of "be" that is not a progressive ("was asked", not "is saying")."""
    return not cue.participle and any(w.casefold() in lex.copula for w in _WORD.findall(cue_span.text)[:-1])


def _agent_source(text: str, pos: int, limit: int, lex: Lexicon) -> Span | None:
    """A passive cue's agent: "was echoed by X"."""
    word = _WORD.match(text, _skip_space(text, pos, limit), limit)
    if word is None or word.group(0).casefold() not in lex.agent:
        return None
    return _source_after(text, word.end(), limit, lex)


def _shared_subject(text: str, before: str, cue: Cue, earlier: list[Attribution], lex: Lexicon) -> Span | None:
    """The subject an earlier cue in the sentence shares with this one: "X said ... and added",
    "X criticized the plan, saying ..."."""
    previous = _WORD.findall(before[-20:])
    joined = bool(previous) and previous[-1].casefold() in lex.conj
    if not (cue.participle and _COMMA_BEFORE.search(before)) and not joined:
        return None
    for attribution in reversed(earlier):
        if attribution.cue_kind == "verb" and attribution.source and attribution.source.end <= attribution.cue.start:
            return attribution.source
    return None


def _first_clause_subject(text: str, s_start: int, pos: int, lex: Lexicon) -> Span | None:
    """The subject of a cue right after a comma or a quotation, cut off by an aside or the
    quotation itself: "X, who ..., said", 'Bakan, "..." dedi'."""
    first = next(_boundaries(text, s_start, pos, lex), None)
    if first is None or first.start() <= s_start:
        return None
    return _source_before(text, s_start, first.start(), lex)


def _skip_space(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos].isspace():
        pos += 1
    return pos


def _boundaries(text: str, start: int, end: int, lex: Lexicon):
    """Clause boundaries in text[start:end]; a full stop after an abbreviation or an
    initial is none ("Rep. Bobby Scott", "George W. Bush")."""
    abbrevs = abbreviations(lex.lang)
    for boundary in _BOUNDARY.finditer(text, start, end):
        if boundary.group(0) == ".":
            word = _WORD_BEFORE.search(text, max(start, boundary.start() - 12), boundary.start())
            if word and (word.group(0) in abbrevs or (len(word.group(0)) == 1 and word.group(0).isupper())):
                continue
        yield boundary


def _title_case(sentence: str) -> bool:
    """A headline in title case ("Trump Says He Will Win"), where capitals say nothing about names."""
    words = [w for w in _WORD.findall(sentence) if len(w) >= TITLE_CASE_MIN_LETTERS and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _with_aux(text: str, floor: int, cue_span: Span, lex: Lexicon) -> Span:
    """The cue with the auxiliaries and adverbs right before it ("has also said")."""
    start = cue_span.start
    while True:
        previous = _LAST_WORD.search(text, floor, start)
        if previous is None or previous.group(1).casefold() not in lex.aux:
            break
        start = previous.start(1)
    return cue_span if start == cue_span.start else Span(start, cue_span.end, text[start:cue_span.end])


def _source_after(text: str, pos: int, limit: int, lex: Lexicon, until: tuple[str, ...] = ()) -> Span | None:
    """The source that follows a cue: up to a boundary, an `end` word or the word limit."""
    while pos < limit and text[pos].isspace():
        pos += 1
    region_end = limit
    boundary = next(_boundaries(text, pos, limit, lex), None)
    if boundary:
        region_end = boundary.start()
    domain = _DOMAIN_START.match(text, pos, region_end)
    if domain:  # "dariexpress.co.uk pada Selasa": the domain is the whole source
        return Span(domain.start(), domain.end(), domain.group(0))
    if lex.unspaced:
        region = text[pos:region_end]
        cut = min([region.find(w) for w in until if w and region.find(w) > 0] or [len(region)])
        cut = min(cut, MAX_UNSPACED_SOURCE_CHARS)
        return _span(text, pos, pos + cut)
    words = []
    for word in _WORD.finditer(text, pos, region_end):
        folded = word.group(0).casefold()
        if words and (folded in lex.end or folded in until or _ends_source(folded, lex)):
            break
        words.append(word)
        if len(words) == MAX_SOURCE_WORDS:
            break
    words = _trim_skip(words, lex)
    return _span(text, words[0].start(), words[-1].end()) if words else None


def _ends_source(word: str, lex: Lexicon) -> bool:
    """A following cue ends a source, unless it is also an anonymous noun ("a UK intelligence report")."""
    cue = lex.cues.get(word)
    return cue is not None and cue.kind != "hedge" and word not in lex.anon


def _source_before(text: str, floor: int, pos: int, lex: Lexicon, strip_suffix: bool = False) -> Span | None:
    """The source that precedes a cue (a verb's subject): back to a boundary or the word limit."""
    region_start = floor
    for boundary in _boundaries(text, floor, pos, lex):
        region_start = boundary.end()
    if lex.unspaced:
        start = max(region_start, pos - MAX_UNSPACED_SOURCE_CHARS)
        return _span(text, start, pos)
    words = list(_WORD.finditer(text, region_start, pos))
    # Another cue ends the subject: "Mirror meninjau laporan yang mengatakan".
    # So does a word that opens a clause: "Years after Bill Clinton claimed", "a finish that he said".
    for i in range(len(words) - 1, -1, -1):
        folded = words[i].group(0).casefold()
        if folded in lex.cues or folded in lex.clause:
            words = words[i + 1:]
            break
    # A pronoun right before the cue is the whole subject: "the way they say".
    if words and words[-1].group(0).casefold() in lex.pronouns | lex.speaker:
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


def _trim_skip(words: list[re.Match[str]], lex: Lexicon) -> list[re.Match[str]]:
    while words and _skipped(words[0].group(0), lex):
        words = words[1:]
    while words and _skipped(words[-1].group(0), lex):
        words = words[:-1]
    return words


def _skipped(word: str, lex: Lexicon) -> bool:
    """A `skip` word, or a lower-case word with a `skip` suffix ("-ly": "CNN barely mentioned")."""
    folded = word.casefold()
    return folded in lex.skip or (word.islower() and any(folded.endswith(suffix) for suffix in lex.skip_suffixes))


def _largest_quote(text: str, start: int, end: int, exclude: tuple[int, int]) -> Span | None:
    """The quotation that is the content, not a scare quote: most of the rest of the sentence."""
    best = None
    for match in _QUOTED.finditer(text, start, end):
        if match.start() < exclude[1] and exclude[0] < match.end():
            continue
        if best is None or match.end(1) - match.start(1) > best.end - best.start:
            best = Span(match.start(1), match.end(1), match.group(1))
    rest = (end - start) - (exclude[1] - exclude[0])
    if best is None or len(_WORD.findall(best.text)) < MIN_QUOTE_WORDS or len(best.text) < MIN_QUOTE_SHARE * rest:
        return None
    return best


def _content(text: str, s_start: int, s_end: int, attr_start: int, attr_end: int, lex: Lexicon) -> Span | None:
    """What is attributed: the quotation, or the larger side of the sentence around the cue and source."""
    quote = _largest_quote(text, s_start, s_end, exclude=(attr_start, attr_end))
    if quote is not None:
        return quote
    after = _trimmed(text, attr_end, s_end, lex)
    before = _trimmed(text, s_start, attr_start, lex)
    if after and (not before or after.end - after.start >= before.end - before.start):
        return after
    return before


def _trimmed(text: str, start: int, end: int, lex: Lexicon) -> Span | None:
    piece = text[start:end]
    lead = _LEADING_NOISE.match(piece)
    if lead:
        start += lead.end()
    first = _WORD.match(text, start, end)
    if first and first.group(0).casefold() in lex.comp:
        start = first.end()
    piece = text[start:end]
    stripped = piece.rstrip()
    trail = _TRAILING_PUNCT.search(stripped)
    end = start + (trail.start() if trail else len(stripped))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " ,;:—–-":
        end -= 1
    return _span(text, start, end)


def _span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def _resolve_pronoun(attribution: Attribution, earlier: list[Attribution]) -> Attribution:
    """A pronoun source stands for the last named person cited before it."""
    if attribution.entity.kind != "pronoun":
        return attribution
    for previous in reversed(earlier):
        if previous.entity.kind == "person":
            return replace(attribution, entity=previous.entity)
    return attribution
