"""What changed between the stored versions of one article: `crosswire history URL`.

Fetching an address again whose text has changed stores the new text as another article
(its content differs), and the old one stays: each is a version, oldest first (by when
it was stored). Consecutive versions are compared with crosswire.compare, in the same
language, so the report uses its machinery: sentences added and dropped, linked sentences
whose wording changed, and the differences compare finds in them (numbers, names, dates,
attribution).

Correction notes (`find_note`). An outlet that corrects or updates an article says so in
a sentence of its own at the top or the bottom ("Correction: ...", "This article has been
updated to ...", "An earlier version of this article ..."). A sentence the new version
adds is read as such a note when it is at an edge of the article (at most one kept
sentence, a headline or a credit line, between it and the start or the end) and one of
these cues holds:

- it opens with a label from NOTE_LABELS, a small list of the words outlets use for such
  notes in about twenty languages of several scripts;
- it opens with a short label of its own ("Hinweis der Redaktion:", "[Aktualisiert]") whose
  meaning, by the sentence encoder, is nearer to a correction or update label than to
  the labels of other page furniture (photo, source, read more...): the prototypes are
  English, the encoder carries them to other languages;
- the whole sentence is nearer, by the encoder, to a sentence about the article itself
  being corrected or updated than to any sentence of the old version and to news
  sentences about someone else correcting or revising something.

The encoder cues are used only for languages the corpus encoder knows
(encode.known_languages); elsewhere only the label list can find a note. A revision
without a recognised note is reported as "no correction note found", never as a silent
edit: a note may be worded in a way none of the cues catches, or sit in the page outside
the article text, and a recognised note is shown so that a reader can judge it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .compare import compare
from .corpus import Corpus, CorpusError
from .encode import get_encoder, known_languages
from .model import Difference
from .text.dates import iso_datetime

HISTORY_SCHEMA = "crosswire.history/1"

# The words outlets open a correction or update note with, lower case, in about twenty languages
# of several scripts; a complement to the encoder cues, which need a language the encoder knows.
NOTE_LABELS = (
    # English
    "correction", "corrected", "clarification", "update", "updated", "editor's note", "editor’s note",
    "an earlier version of this", "a previous version of this", "this article has been", "this story has been",
    "this article was", "this story was",
    # German, French, Spanish, Portuguese, Italian, Dutch
    "korrektur", "berichtigung", "richtigstellung", "aktualisierung", "anmerkung der redaktion",
    "rectificatif", "mise à jour", "note de la rédaction", "erratum",
    "corrección", "rectificación", "actualización", "fe de erratas", "nota del editor", "nota de la redacción",
    "correção", "atualização", "errata", "nota do editor", "nota da redação",
    "rettifica", "correzione", "aggiornamento", "nota della redazione",
    "correctie", "rectificatie", "noot van de redactie",
    # Indonesian, Turkish, Polish, Russian
    "koreksi", "ralat", "pembaruan", "catatan redaksi", "düzeltme", "güncelleme", "sprostowanie", "korekta",
    "aktualizacja", "исправление", "уточнение", "обновление", "обновлено", "от редакции",
    # Arabic, Hindi, Chinese, Japanese, Korean
    "تصحيح", "توضيح", "تحديث", "सुधार", "संशोधन", "更正", "勘误", "订正", "编者按", "訂正", "おわび", "정정", "바로잡습니다",
)  # fmt: skip
# Scripts from here on (CJK, kana, hangul) write words without spaces between them.
CJK_START = 0x2E80
# English prototypes the encoder compares a label or a sentence with (see the module docstring).
NOTE_LABEL_PROTOTYPES = ("Correction", "Update", "Clarification", "Editor's note", "Corrections and clarifications")
OTHER_LABEL_PROTOTYPES = (
    "Photo", "Video", "Read more", "Related", "Source", "Advertisement", "Watch", "Live", "Analysis", "Opinion",
    "Reporting", "Editing", "Breaking news",
)  # fmt: skip
NOTE_SENTENCE_PROTOTYPES = (
    "This article has been updated.",
    "This article has been corrected.",
    "An earlier version of this article contained an error.",
    "A previous version of this report misstated a detail.",
    "This report has been amended.",
)
OTHER_SENTENCE_PROTOTYPES = (
    "Officials revised the figure.",
    "The agency corrected its estimate.",
    "The company updated its forecast.",
    "The report was published on Tuesday.",
    "Reporting by a correspondent; editing by an editor.",
)
# A label: up to this many words, and characters (scripts without spaces), before a colon, a
# closing bracket or a dash; it starts with a letter, so a time ("12:30") is none.
LABEL_MAX_WORDS = 3
LABEL_MAX_CHARS = 40
_LABEL = re.compile(r"^[\W_]*?(?P<label>[^\W\d_][^:：\]）)\n—–]{0,40}?)\s*(?:[:：\]）)]|\s[—–-]\s|[—–])")


@dataclass(frozen=True)
class Version:
    article_id: int
    title: str | None
    published: str | None
    fetched: str | None  # the address it was read from, after redirects, when fetched

    def to_dict(self) -> dict:
        return {
            "article": self.article_id,
            "title": self.title,
            "published": iso_datetime(self.published) or self.published,
            "fetched_url": self.fetched,
        }


@dataclass(frozen=True)
class ChangedSentence:
    before: str
    after: str
    differences: tuple[Difference, ...]

    def to_dict(self) -> dict:
        return {"before": self.before, "after": self.after, "differences": [d.to_dict() for d in self.differences]}


@dataclass(frozen=True)
class CorrectionNote:
    """An added sentence read as a note of the correction or update (see the module docstring)."""

    sentence: str
    cue: str  # "label" (NOTE_LABELS), "label meaning" or "refers to the article" (encoder)

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "cue": self.cue}


@dataclass(frozen=True)
class Revision:
    before: int  # article ids
    after: int
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    changed: tuple[ChangedSentence, ...]
    note: CorrectionNote | None = None

    def to_dict(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "note_found": self.note is not None,
            "correction_note": self.note.to_dict() if self.note else None,
            "added": list(self.added),
            "dropped": list(self.dropped),
            "changed": [c.to_dict() for c in self.changed],
        }


@dataclass(frozen=True)
class History:
    address: str
    versions: tuple[Version, ...]
    revisions: tuple[Revision, ...]

    def to_dict(self) -> dict:
        return {
            "schema": HISTORY_SCHEMA,
            "address": self.address,
            "versions": [v.to_dict() for v in self.versions],
            "revisions": [r.to_dict() for r in self.revisions],
        }


def history(corpus: Corpus, address: str) -> History:
    """The versions stored from `address` and what changed between each and the next;
    CW404 when nothing was read from it."""
    ids = corpus.store.article_ids_from_address(address)
    if not ids:
        raise CorpusError(address, "no such article: nothing was read from this address")
    stored = corpus.store.articles(ids)
    versions = tuple(
        Version(
            s.id,
            s.article.title,
            s.article.published,
            s.article.meta.get("fetched_url") if isinstance(s.article.meta, dict) else None,
        )
        for s in stored
    )
    revisions = []
    for old, new in zip(stored, stored[1:]):
        result = compare(
            old.article, new.article, encoder=corpus.encoder, lang_a=old.article.lang, lang_b=new.article.lang
        )
        a, b = result.a.sentences, result.b.sentences
        changed = []
        for link in result.links:
            before = " ".join(a[i].text for i in link.a)
            after = " ".join(b[j].text for j in link.b)
            if before.split() != after.split() or link.differences:
                changed.append(ChangedSentence(before, after, link.differences))
        kept = sorted(j for link in result.links for j in link.b)
        # At an edge: at most one kept sentence (a headline, a credit line) between it and the start or end.
        top = kept[1] if len(kept) > 1 else len(b)
        bottom = kept[-2] if len(kept) > 1 else -1
        edge = [b[j].text for j in result.only_b if j < top or j > bottom]
        revisions.append(
            Revision(
                old.id,
                new.id,
                tuple(b[j].text for j in result.only_b),
                tuple(a[i].text for i in result.only_a),
                tuple(changed),
                find_note(edge, [s.text for s in a], new.article.lang, corpus.encoder),
            )
        )
    return History(address, versions, tuple(revisions))


def _label(sentence: str) -> str | None:
    """The short label a sentence opens with ("Correction:", "[Update]"), if any."""
    found = _LABEL.match(sentence)
    if found is None:
        return None
    label = found["label"].strip()
    if len(label.split()) > LABEL_MAX_WORDS or len(label) > LABEL_MAX_CHARS:
        return None
    return label


def _opens_with_note_label(sentence: str) -> bool:
    opening = sentence.lstrip(" \t*_[(（【-—–•").casefold()
    for label in NOTE_LABELS:
        if opening.startswith(label):
            after = opening[len(label) : len(label) + 1]
            # A whole word ("Correctional officers" is no note), except in scripts without spaces.
            if not after.isalnum() or ord(label[-1]) >= CJK_START:
                return True
    return False


def find_note(added: Sequence[str], old: Sequence[str], lang: str, encoder_name: str) -> CorrectionNote | None:
    """The first of `added` (sentences a new version adds at its edges) that reads as a
    correction or update note, by the cues of the module docstring; None when none does."""
    for sentence in added:
        if _opens_with_note_label(sentence):
            return CorrectionNote(sentence, "label")
    if not added or lang not in known_languages(encoder_name):
        return None
    encoder = get_encoder(encoder_name)
    labels = {sentence: label for sentence in added if (label := _label(sentence))}
    label_prototypes = [*NOTE_LABEL_PROTOTYPES, *OTHER_LABEL_PROTOTYPES]
    sentence_prototypes = [*NOTE_SENTENCE_PROTOTYPES, *OTHER_SENTENCE_PROTOTYPES]
    vectors = encoder.encode([*label_prototypes, *sentence_prototypes, *labels.values(), *added, *old])
    label_vectors, vectors = np.split(vectors, [len(label_prototypes)])
    sentence_vectors, vectors = np.split(vectors, [len(sentence_prototypes)])
    found_labels, vectors = np.split(vectors, [len(labels)])
    added_vectors, old_vectors = np.split(vectors, [len(added)])
    label_of = dict(zip(labels, found_labels))
    notes = len(NOTE_SENTENCE_PROTOTYPES)
    for sentence, vector in zip(added, added_vectors):
        if sentence in label_of:
            scores = label_vectors @ label_of[sentence]
            if int(np.argmax(scores)) < len(NOTE_LABEL_PROTOTYPES):
                return CorrectionNote(sentence, "label meaning")
        scores = sentence_vectors @ vector
        nearest_other = max(float(scores[notes:].max()), float((old_vectors @ vector).max(initial=-1.0)))
        if float(scores[:notes].max()) > nearest_other:
            return CorrectionNote(sentence, "refers to the article")
    return None
