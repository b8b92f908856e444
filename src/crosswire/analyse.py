"""The analysis stage: Article -> analysed document.

Segmentation (prepare), the facts of each sentence (sentence_facts: numbers, dates, names)
and the details that survive translation (anchors). compare, ingest, similarity and the
corpus all read articles through this module; vectors come from encode.py.
"""

from __future__ import annotations

from .diff import SentenceFacts
from .errors import CrosswireError
from .model import Article, Document
from .text.dates import DateMention, find_dates
from .text.names import Word, find_names, words
from .text.numbers import Number, find_numbers
from .text.segment import segment


def prepare(article: Article) -> Document:
    sentences, skipped = segment(article.text, article.lang)
    if not sentences:
        raise CrosswireError("CW301", article.source, "no sentences left to compare after removing boilerplate lines")
    return Document(article, tuple(sentences), tuple(skipped))


_SpanFacts = tuple[list[Word], tuple[Number, ...], tuple[DateMention, ...]]  # of one sentence span


def sentence_facts(doc: Document, memo: dict[tuple[int, int], _SpanFacts] | None = None) -> list[SentenceFacts]:
    """`memo` (per article text) keeps each span's words, numbers and dates for a second pass
    over the same text: after a merged sentence is split, all other sentences are unchanged.
    Names are always found again, as they depend on the whole article's sentences."""
    text, lang = doc.article.text, doc.article.lang
    memo = {} if memo is None else memo
    for s in doc.sentences:
        if (s.start, s.end) not in memo:
            memo[s.start, s.end] = (
                words(text, s.start, s.end, lang),
                tuple(find_numbers(text, lang, s.start, s.end)),
                tuple(find_dates(text, lang, s.start, s.end)),
            )
    spans = [memo[s.start, s.end] for s in doc.sentences]
    sentence_words = [ws for ws, _, _ in spans]
    return [
        SentenceFacts(numbers, dates, tuple(ws), tuple(names), lang)
        for (ws, numbers, dates), names in zip(spans, find_names(sentence_words, lang))
    ]


def anchors(facts: SentenceFacts) -> frozenset[str]:
    """Details that survive translation unchanged: numbers (with their scale word applied:
    "35 लाख" = "3.5 million" = "350万"), dates, names."""
    return frozenset(
        [
            f"n:{(n.value * n.scale).normalize()}"
            for n in facts.numbers
            if abs(n.value) >= 10 or n.value != n.value.to_integral()
        ]
        + [f"d:{d.iso}" for d in facts.dates]
        + [f"w:{w.key}" for w in facts.names if len(w.key) >= 4]
    )
