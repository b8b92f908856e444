"""A plain-text article's headline and dateline: "LONDON, Jan 31 (Reuters) - ...".

News text carries its own metadata. The first line of a text article is usually its
headline: short, without a sentence's closing punctuation, followed by more text. A
dateline opens the first paragraph of the story: a place written in capitals, then
optionally a date and an outlet (in parentheses, or after a comma: "JAKARTA,
KOMPAS.com -"), then a dash. The patterns are the news wires' conventions, not one
outlet's or one language's: the place is recognised by its case (so scripts without
case have no dateline here), the date by crosswire.text.dates in the article's language,
the outlet by its parentheses, a web domain or the outlet table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 30
# A dateline opens one of the first paragraphs, and its prefix before the dash is short.
DATELINE_PARAGRAPHS = 3
DATELINE_MAX_CHARS = 90
_SENTENCE_END = tuple(".!?。！？؟…:;,")
# The place: words in capitals (any cased script), with the joiners of place names.
_PLACE = regex.compile(r"^\s*(\p{Lu}[\p{Lu}\p{M}'’.\- ]*\p{Lu}\.?)(?=\s*[,(\-–—/])")
_DASH = re.compile(r"\s[-–—]{1,2}\s|\s?[-–—]{1,2}\s|\s[-–—]{1,2}(?=\S)")
_PARENTHESISED = re.compile(r"[(/]([^()/\n]{2,40})[)/]")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}$", re.IGNORECASE)


@dataclass(frozen=True)
class Dateline:
    place: str
    outlet: str | None
    date: str | None  # ISO 8601 (a date), when the dateline gives a full one
    text: str  # the dateline as written, up to its dash


@dataclass(frozen=True)
class TextMetadata:
    headline: str | None
    dateline: Dateline | None


def headline(text: str) -> str | None:
    """The first line when it reads as a headline: short, not a sentence's end, more text after it."""
    lines = text.lstrip().split("\n", 1)
    first = lines[0].strip()
    rest = lines[1].strip() if len(lines) > 1 else ""
    if not first or not rest or len(first) > HEADLINE_MAX_CHARS or len(first.split()) > HEADLINE_MAX_WORDS:
        return None
    if first.endswith(_SENTENCE_END) or _PLACE.match(first) and _DASH.search(first):
        return None
    return first


def dateline(text: str, lang: str) -> Dateline | None:
    """The dateline that opens one of the first paragraphs of `text`, if any."""
    from ..attribution import find_outlet
    from ..text.dates import find_dates

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text.strip()) if p.strip()][: DATELINE_PARAGRAPHS + 1]
    for paragraph in paragraphs:
        place = _PLACE.match(paragraph)
        dash = _DASH.search(paragraph, 0, DATELINE_MAX_CHARS + 3)
        if not place or not dash or dash.start() < place.end() or len(place.group(1).replace(" ", "")) < 2:
            continue
        prefix = paragraph[: dash.start()].strip()
        rest = prefix[place.end() :]
        outlet = None
        found = _PARENTHESISED.search(rest)
        if found:
            outlet = found.group(1).strip()
            rest = rest[: found.start()] + rest[found.end() :]
        dates = [d for d in find_dates(rest, lang) if d.year and d.month and d.day]
        date = dates[0].iso if dates else None
        undated = rest[: dates[0].start] + rest[dates[0].end :] if dates else rest
        for part in (p.strip() for p in undated.split(",")):
            if outlet is None and part and (_DOMAIN.match(part) or find_outlet(part)):
                outlet = part
        return Dateline(place.group(1).strip().rstrip(","), outlet, date, prefix)
    return None


def text_metadata(text: str, lang: str) -> TextMetadata:
    return TextMetadata(headline(text), dateline(text, lang))


def with_text_metadata(
    text: str, lang: str, title: str | None, outlet: str | None, published: str | None, meta: dict
) -> tuple[str | None, str | None, str | None, dict]:
    """An article's title, outlet, publication date and metadata with the text's own headline
    and dateline filling what is missing (what the input said wins); the dateline's place and
    words go to `meta` ("dateline", "place")."""
    found = text_metadata(text, lang)
    title = title or found.headline
    if found.dateline is None:
        return title, outlet, published, meta
    line = found.dateline
    meta = {**meta, "dateline": line.text, "place": line.place}
    return title, outlet or line.outlet, published or line.date, meta
