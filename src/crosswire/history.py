"""What changed between the stored versions of one article: `crosswire history URL`.

Fetching an address again whose text has changed stores the new text as another article
(its content differs), and the old one stays: each is a version, oldest first (by when
it was stored). Consecutive versions are compared with crosswire.compare, in the same
language, so the report uses its machinery: sentences added and dropped, linked sentences
whose wording changed, and the differences compare finds in them (numbers, names, dates,
attribution).

An edit is reported as silent when the new version changes or drops sentences and adds
no sentence of its own that could carry a note of the change: a correction or update
note is a sentence of its own, wherever the outlet puts it, in any language. This is a
lower bound on notes (an added sentence may be news, not a note), so "noted" means "a
sentence was added", never that a note was recognised.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compare import compare
from .corpus import Corpus, CorpusError
from .model import Difference
from .text.dates import iso_datetime

HISTORY_SCHEMA = "crosswire.history/1"


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
class Revision:
    before: int  # article ids
    after: int
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    changed: tuple[ChangedSentence, ...]

    @property
    def silent(self) -> bool:
        return bool(self.changed or self.dropped) and not self.added

    def to_dict(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "silent": self.silent,
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
        revisions.append(
            Revision(
                old.id,
                new.id,
                tuple(b[j].text for j in result.only_b),
                tuple(a[i].text for i in result.only_a),
                tuple(changed),
            )
        )
    return History(address, versions, tuple(revisions))
