"""Online story linking: each article joins the story it stands out for, or starts a new one.

Articles are added in publication order (ties in input order; `linking_order` sorts a
batch that way). For each one:

1. the `neighbours` nearest articles already linked are found in the corpus encoder's
   space (an approximate nearest-neighbour index: usearch HNSW over the articles'
   lead-weighted vectors, so the cost per article stays flat as the corpus grows) and,
   when the article has wide vectors, in the wide encoder's space too (`WideVectors`);
   those published within `window_days` of the article are its candidates;
2. each candidate pair is judged in one space (`pair_channel`): the corpus encoder's
   (USE-m) where it knows both languages, else the wide encoder's (e5-small,
   similarity.WIDE_ENCODER) where both articles have its vectors; the pair's score is
   its shared sentences (mean best sentence match, both ways);
3. calibration from the scores at hand, not from a fixed cosine: each of the article's
   sentences is scored against every sentence of the candidates judged in the same
   space, each score measured against the row's scores in the same candidate language
   (median and MAD, at least `min_background` sentences), and the sentence is linked to
   the story of its most outstanding match when that stands out by
   `min_sentence_standout` robust standard deviations, the match is mutual (that
   sentence of the member matches no other sentence of the article better: versions of
   one report pair 1:1, two reports on one topic share sentences that each resemble
   several) and it is closer than any other sentence of the article itself (a version
   of a sentence is; a chance match that stands out only in a small pool is not). The evidence is counted per member article, not per story, so a story's
   many members do not gather one chance match each and grow by chaining. Each
   candidate member gets a score, the mean over the article's sentences of their best
   mutual standout in it, and a story is joined when one of its members stands out from
   the other candidates by `min_member_standout` robust deviations of those scores (a
   margin, as Artetxe & Schwenk's for sentence pairs, here over documents) with at
   least `min_shared` of the sentences linked to it: two at least, or one that stands
   out as far as two at the threshold together (MIN_LINKED_SENTENCES). With fewer than
   MIN_MEMBERS_FOR_MARGIN candidates in other stories there is no margin to measure: the linked
   sentences' standouts combined over all the article's sentences (Stouffer's sum over
   the square root of the count) must reach `min_standout`. In a language an encoder
   knows poorly, every sentence scores alike against every other (USE-m: ~0.66
   between unrelated Bengali documents), so nothing stands out and nothing is merged;
   in a language it knows, a translation or rewrite stands far out from unrelated news
   however the encoder's scale sits (USE-m's unrelated pairs near 0.3, e5-small's
   near 0.75). The article joins the story with the strongest evidence;
4. where no encoder can judge (no space knows both languages, or too few sentences to
   tell a standout from chance), shared specific facts decide (`fact_keys`: numbers of 10
   or more, full dates, names), weighed by how common each is among the linked
   articles: a story is joined when its member states at least half as many facts as
   the two articles' fewer, and fewer than `max_chance_matches` linked articles would
   share them all by chance; otherwise the article stays apart.

Wide vectors cost ~10x the corpus encoder's per text, so they are computed only where
linking reads them (the linker's `wide_provider`, which the corpus gives it): for an
article in a language the corpus encoder does not know; for the articles in such an
article's time window that have none (once each: it must be comparable with them); and
for any article while such an article is in its window. A corpus of languages the
corpus encoder knows never computes one. They cover the opening sentences only
(similarity.WIDE_CHARS).

Why shared sentences, not the SemEval-fitted similarity score: a crosswire story groups
versions of one report (translations, rewrites, copies), while SemEval counts two
outlets' separate reports of one event as the same story; their sentences do not
correspond (mean best match ~0.35 against ~0.8 for translations on WMT21).

Manual choices are pins, article id -> story id: a pinned article always goes to its
story, whatever the scores, so a user's merge or split survives a re-run. `merge` and
`split` apply one at once and return the pins to keep.

Deterministic: the same articles in the same order give the same stories (the index is
built single-threaded, in that order), and so do the same articles linked in the same
calls with the process stopped between any two of them: a graph goes on from its
checkpoint as a restored one would (see UsearchIndex). The linker holds no SQL; `save`/`load` write a
directory (state.json, the usearch graph, and profiles.bin when it keeps the profiles).

Persistence that does not grow with the corpus. The state (stories, pins, arrival order)
and the graph cost time in proportion to the corpus to write, so a store does not write
them after every linking pass. The linker keeps a journal of its changes (`journal`:
each article placed and each pin, in order); a store appends it to a table in the same
transaction as the story rows, and writes a full checkpoint (`state()` and the graph)
only when `checkpoint_due`: when the changes since the last one reach
CHECKPOINT_FRACTION of the linked articles (at least CHECKPOINT_MIN_CHANGES). Writing
stays constant per article (a checkpoint of n articles every n/20 changes), and opening
a linker replays at most that tail (`replay`): each placed article goes back into the
graph in the same order, as it went in the first time.
Cost per article: the linker keeps each linked article's publication time in memory (a
few bytes each), so neighbours outside the window are dropped before their profiles are
read, and the others' profiles are asked for in one call (`Profiles.many`: one query when
a store holds them), so the cost stays flat however few of them a cache holds.
The nearest-neighbour search sits behind `NeighbourIndex`: `UsearchIndex` in this
process by default; a store may answer it itself (the PostgreSQL store, in SQL with
pgvector), and then keeps the state (`state()`, `from_state`) where it likes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence, TypeVar

import numpy as np

# onnxruntime (the use-m encoder) must be loaded before usearch: the other way round, importing
# onnxruntime segfaults (usearch 2.26, onnxruntime 1.32: `python -c "import usearch.index;
# import onnxruntime"`), and crosswire's imports are lazy, so either may come first.
import onnxruntime  # noqa: F401, I001
from usearch.index import Index

from .encode import DEFAULT_ENCODER, auto_encoder_name
from .robust import robust_z, standout
from .similarity import ArticleProfile, lead_weights
from .text.dates import parse_iso

T = TypeVar("T")

STATE_FILE = "state.json"
INDEX_FILE = "index.usearch"  # the graph of a state saved before states named theirs ("index_file")
PROFILES_FILE = "profiles.bin"
WIDE_FILE = "wide.npy"
STATE_VERSION = 1
# A full checkpoint is due after this fraction of the linked articles in changes, and never
# before this many (see the module docstring).
CHECKPOINT_FRACTION = 0.05
CHECKPOINT_MIN_CHANGES = 1000
# Journal changes replayed per read of their articles' profiles.
REPLAY_CHUNK = 500
# One sentence linked by chance must not make a story: at least two, whatever the share,
# or, where a member's margin is measured, one that stands out as far as two at the
# threshold together (Stouffer: sqrt(2) x min_sentence_standout). Short versions (the
# wide encoder sees ~4 opening sentences) often have one such sentence only: with it,
# FLORES stories B-cubed F1 0.867 -> 0.885 (bench/stories.py, seed 0), precision kept.
MIN_LINKED_SENTENCES = 2
# A member's margin over the other stories' candidates is measured among at least this
# many of them (their median and MAD; fewer, and two chance matches move both).
MIN_MEMBERS_FOR_MARGIN = 8
# The two vector spaces a pair can be judged in (pair_channel).
CORPUS, WIDE = "corpus", "wide"


def corpus_encoder_knows(lang: str) -> bool:
    """Whether the corpus encoder was trained on (or measured good in) this language: the
    choice compare's `auto` makes for a pair of articles in it."""
    return auto_encoder_name(lang, lang) == DEFAULT_ENCODER


def pair_channel(a: ArticleProfile, b: ArticleProfile) -> str | None:
    """The space two articles are compared in: the corpus encoder's where it knows both
    languages, else the wide encoder's where both have its vectors, else none (facts)."""
    if corpus_encoder_knows(a.lang) and corpus_encoder_knows(b.lang):
        return CORPUS
    if a.wide_vectors is not None and b.wide_vectors is not None and len(a.wide_vectors) and len(b.wide_vectors):
        return WIDE
    return None


def channel_vectors(profile: ArticleProfile, channel: str) -> np.ndarray:
    """The profile's sentence vectors in the channel's space."""
    return profile.sentence_vectors if channel == CORPUS else profile.wide_vectors


def fact_keys(profile: ArticleProfile) -> set[str]:
    """The article's specific facts as keys: numbers of 10 or more, full dates, names.
    (Places are left out: a country is named in much unrelated news.)"""
    return {f"n:{n}" for n in profile.numbers} | {f"d:{d}" for d in profile.dates} | {f"p:{n}" for n in profile.names}


def wide_article_vector(profile: ArticleProfile) -> np.ndarray:
    """The lead-weighted mean of the profile's wide vectors, unit length."""
    vectors = profile.wide_vectors
    mean = lead_weights(len(vectors)) @ vectors
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


class WideProvider(Protocol):
    def __call__(self, article_ids: Sequence[str]) -> list[ArticleProfile]:
        """These articles' profiles with wide vectors (similarity.with_wide_vectors), which
        the provider also stores where it keeps profiles."""


class WideVectors:
    """The linked articles' wide article vectors, searched exhaustively: only articles
    that have them are here, 384 floats each."""

    def __init__(self, ids: Sequence[str] = (), matrix: np.ndarray | None = None) -> None:
        self.ids: list[str] = list(ids)
        self._matrix = np.zeros((max(len(self.ids), 64), 0 if matrix is None else matrix.shape[1]), np.float32)
        if matrix is not None and len(self.ids):
            self._matrix[: len(self.ids)] = matrix

    def add(self, article_id: str, vector: np.ndarray) -> None:
        if self._matrix.shape[1] != len(vector):
            self._matrix = np.zeros((max(64, len(self.ids)), len(vector)), np.float32)
        if len(self.ids) == len(self._matrix):  # grown by doubling: amortised constant per article
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
        self._matrix[len(self.ids)] = vector
        self.ids.append(article_id)

    def search(self, vector: np.ndarray, count: int) -> list[str]:
        if not self.ids:
            return []
        scores = self._matrix[: len(self.ids)] @ vector
        top = np.argsort(-scores, kind="stable")[:count]
        return [self.ids[int(i)] for i in top]

    @property
    def matrix(self) -> np.ndarray:
        return self._matrix[: len(self.ids)]


@dataclass(frozen=True)
class LinkerConfig:
    # A sentence links to its best match among the candidates' sentences when that match
    # is mutual and stands out from the rest by this many standard deviations (robust:
    # median and MAD), a number that means the same on every encoder's scale and in every
    # language ...
    min_sentence_standout: float = 3.0
    # ... and a story is joined when one of its members' scores (the mean best mutual
    # standout of the article's sentences in it) stands out from the other candidates'
    # by this many robust deviations ...
    min_member_standout: float = 5.0
    # ... or, with too few candidates to measure that margin, when the linked sentences'
    # standouts, combined over all the article's sentences (Stouffer: sum over the
    # square root of the count), reach this. The seed pair scores 7.7; at 5, two WMT21
    # documents of one outlet joined in 6 of 30 arrival orders of a 12-article corpus.
    min_standout: float = 6.0
    # Sentence standouts are measured against at least this many sentences, else the
    # encoder is not asked and only shared facts can link. A corpus's first articles must
    # be comparable: at 8, a 5-sentence translation of the only other article could
    # never be linked.
    min_background: int = 4
    # A story is joined when at least this share of the sentences links to it: versions
    # of one report (translations, rewrites, copies), not two reports of one event. In the
    # seed pair, an English report and its Indonesian rewrite, 5 of the rewrite's 21
    # sentences stood out by 4 deviations (0.24): at 0.3 the pair split in two.
    min_shared: float = 0.2
    # Facts decide only where no encoder can: two articles are linked on shared specific
    # facts (numbers of 10 or more, full dates, names) when as many linked articles would
    # share them all by chance as this, at most (each fact's chance is its share of the
    # linked articles that state it: "Trump" or "24 February" is common, "2,047 ha" is not).
    max_chance_matches: float = 0.001
    window_days: float = 7.0
    # Candidates per space. The member margin is measured against the other stories'
    # candidates, so it needs many: with 16, a story of four or five versions filled most
    # of the list and the margin had little background (bench/stories.py, seed 0: B-cubed
    # F1 0.914 with 16, 0.938 with 32, 0.950 with 64), at ~4 ms more per article.
    neighbours: int = 64
    # HNSW build/search breadth: 64 keeps recall@16 at ~1.0 on 512-d news vectors.
    expansion: int = 64

    @classmethod
    def from_dict(cls, values: dict) -> LinkerConfig:
        """A config from `asdict` data; settings of older linkers that this one no longer
        has (a fixed shared-sentence gate, a time penalty) are dropped."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


class Profiles(Protocol):
    """Linked articles' profiles by article id, as the linker reads them back."""

    def __getitem__(self, article_id: str) -> ArticleProfile: ...

    def __setitem__(self, article_id: str, profile: ArticleProfile) -> None: ...

    def many(self, article_ids: Sequence[str]) -> list[ArticleProfile]:
        """The profiles of these articles, in order (a store answers in one query)."""


class MemoryProfiles(dict[str, ArticleProfile]):
    """Profiles held in memory: the linker's own, saved with it (profiles.bin)."""

    def many(self, article_ids: Sequence[str]) -> list[ArticleProfile]:
        return [self[a] for a in article_ids]


class NeighbourIndex(Protocol):
    """The linked articles' vectors, searched for an article's nearest neighbours."""

    def add(self, article_id: str, vector: np.ndarray) -> None: ...

    def search(self, vector: np.ndarray, count: int) -> list[str]:
        """Up to `count` linked article ids, nearest (cosine) first."""


class UsearchIndex:
    """NeighbourIndex in this process: a usearch HNSW graph keyed by arrival slot.

    After a checkpoint (`checkpoint_bytes`, `checkpoint_file`) the graph goes on from the
    copy it wrote, restored: usearch draws each new node's level from a generator that its
    file does not keep, so a graph restored from a checkpoint and the one that wrote it
    would place the same later articles differently (top-16 lists differed for 24 of 200
    queries in a test). Continuing from the copy, a process that replays the journal holds
    the very graph the writer holds."""

    def __init__(self, expansion: int, *, index: Index | None = None, keys: Sequence[str] = ()) -> None:
        self._expansion = expansion
        self._index = index
        self._keys: list[str] = list(keys)  # slot -> article id
        if index is not None:
            self._restored(index)

    def add(self, article_id: str, vector: np.ndarray) -> None:
        if self._index is None:
            self._index = Index(
                ndim=len(vector),
                metric="cos",
                dtype="f16",
                expansion_add=self._expansion,
                expansion_search=self._expansion,
            )
        # One thread, in arrival order: the graph, and so the neighbours found, are reproducible.
        self._index.add(len(self._keys), vector, threads=1)
        self._keys.append(article_id)

    def search(self, vector: np.ndarray, count: int) -> list[str]:
        if not self._keys:
            return []
        hits = self._index.search(vector, min(count, len(self._keys)))
        return [self._keys[int(key)] for key in hits.keys]

    def checkpoint_bytes(self) -> bytes | None:
        """The graph as usearch saves it (None while empty); the graph goes on from this copy."""
        if self._index is None:
            return None
        data = bytes(self._index.save())
        self._index = None  # freed before its copy is restored: one graph in memory, not two
        self._restored(Index.restore(data))
        return data

    @classmethod
    def from_bytes(cls, data: bytes | None, expansion: int, keys: Sequence[str]) -> UsearchIndex:
        return cls(expansion, index=Index.restore(data) if data else None, keys=keys)

    def checkpoint_file(self, path: Path) -> None:
        """Replace the file with the graph, written by usearch straight to disk (bytes would
        hold one more copy of it in memory, ~130 MB at 100k articles); the graph goes on
        from the file. Nothing while empty."""
        if self._index is not None:
            tmp = path.with_name(path.name + ".tmp")
            self._index.save(str(tmp))
            os.replace(tmp, path)
            self._index = None  # freed before its copy is restored: one graph in memory, not two
            self._restored(Index.restore(str(path)))

    def _restored(self, index: Index) -> None:
        # usearch keeps neither breadth in its file (a restored graph says 128 for both).
        index.expansion_add = index.expansion_search = self._expansion
        self._index = index

    @classmethod
    def from_file(cls, path: Path, expansion: int, keys: Sequence[str]) -> UsearchIndex:
        index = Index.restore(str(path)) if keys else None
        if keys and index is None:  # usearch answers a missing file with None
            raise FileNotFoundError(f"{path}: no usearch index")
        return cls(expansion, index=index, keys=keys)


@dataclass
class Story:
    id: str
    article_ids: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO date or datetime in UTC without its offset; None when absent or unreadable (no
    time constraint then)."""
    parsed = parse_iso(value)
    if parsed is None:
        return None
    return (
        parsed.replace(tzinfo=None)
        if parsed.tzinfo is None
        else parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    )


def linking_order(items: Iterable[T], published: Callable[[T], str | None]) -> list[T]:
    """Items in publication order, undated ones last, ties in input order."""
    indexed = list(enumerate(items))
    times = {i: parse_time(published(item)) for i, item in indexed}
    return [
        item for i, item in sorted(indexed, key=lambda p: (times[p[0]] is None, times[p[0]] or dt.datetime.min, p[0]))
    ]


class StoryLinker:
    """Links articles into stories; see the module docstring."""

    def __init__(
        self,
        config: LinkerConfig = LinkerConfig(),
        *,
        pins: dict[str, str] | None = None,
        profiles: Profiles | None = None,
        index: NeighbourIndex | None = None,
        wide_provider: WideProvider | None = None,
    ) -> None:
        self.config = config
        # Computes (and stores) wide vectors for linked articles that need them; without
        # one, only the profiles that came with wide vectors have them.
        self.wide_provider = wide_provider
        self.pins: dict[str, str] = dict(pins or {})
        self._pinned_story_ids = set(self.pins.values())
        # Profiles of linked articles, read back to score neighbours. A store can pass
        # a mapping backed by its tables, so that they need not all sit in memory.
        self.owns_profiles = profiles is None
        self.profiles: Profiles = MemoryProfiles() if profiles is None else profiles
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}
        self._slots: list[str] = []  # index key -> article id
        self._published: dict[str, dt.datetime | None] = {}  # article id -> parse_time(published)
        self._founded: dict[str, int] = {}  # story id -> creation rank, for ties
        self.index: NeighbourIndex = UsearchIndex(config.expansion) if index is None else index
        self._wide = WideVectors()
        # How many linked articles state each fact (fact_keys), for _information.
        self._fact_counts: Counter[str] = Counter()
        # Linked articles without wide vectors, in arrival order (_give_wide_vectors).
        self._without_wide: list[str] = []
        # Changes not yet stored: ("add" | "pin", article id, story id), in order.
        self.journal: list[tuple[str, str, str]] = []
        # The store's number of the last stored change this linker holds, and of the last
        # one its latest checkpoint holds.
        self.journal_seq = 0
        self.checkpoint_seq = 0

    def __len__(self) -> int:
        return len(self.story_of)

    # -- linking ---------------------------------------------------------------------

    def add(self, article_id: str, profile: ArticleProfile) -> str:
        """Link one article; returns its story id. Adding a linked article again is a no-op."""
        if article_id in self.story_of:
            return self.story_of[article_id]
        if self.wide_provider is not None and profile.wide_vectors is None and self._needs_wide(profile):
            self.profiles[article_id] = profile
            (profile,) = self.wide_provider([article_id])
            if not corpus_encoder_knows(profile.lang):
                self._give_wide_vectors(profile)
        if article_id in self.pins:
            story_id = self.pins[article_id]
        else:
            story_id = self.best_story(profile) or self._new_story_id(article_id)
        self.profiles[article_id] = profile
        self._place(article_id, story_id, profile, into_index=True)
        self.journal.append(("add", article_id, story_id))
        return story_id

    def candidates(self, profile: ArticleProfile) -> dict[str, float]:
        """Story id -> the combined standout of the article's sentences linked to it, for the stories of
        the article's nearest neighbours (in the window) that it may join; see the module
        docstring."""
        members = self._neighbours(profile)
        if not members:
            return {}
        pools: dict[
            str, list[tuple[str, str, str, np.ndarray, float]]
        ] = {}  # channel -> (member, story, lang, vectors, facts)
        facts: dict[str, float] = {}  # story -> most fact information shared with one member no encoder can judge
        mine_facts = fact_keys(profile)
        for member, other in zip(members, self.profiles.many(members)):
            story = self.story_of[member]
            channel = pair_channel(profile, other)
            theirs = fact_keys(other)
            shared = mine_facts & theirs
            # A translation or copy states the same facts; two reports of one event share
            # some (names above all): at least half of the fewer facts must be shared.
            information = self._information(shared) if 2 * len(shared) >= min(len(mine_facts), len(theirs)) else 0.0
            if channel is None:
                facts[story] = max(facts.get(story, 0.0), information)
            else:
                pools.setdefault(channel, []).append(
                    (member, story, other.lang, channel_vectors(other, channel), information)
                )
        shares: dict[str, float] = {}
        for channel, pool in pools.items():
            mine = channel_vectors(profile, channel)
            if len(mine) and sum(len(vectors) for *_, vectors, _ in pool) >= self.config.min_background:
                for story, share in self._linked_shares(mine, [(m, s, lang, v) for m, s, lang, v, _ in pool]).items():
                    shares[story] = max(shares.get(story, 0.0), share)
            else:  # too few sentences to tell a standout from chance: facts judge these
                for _, story, _, _, information in pool:
                    facts[story] = max(facts.get(story, 0.0), information)
        if not shares and facts:
            story, most = max(facts.items(), key=lambda p: (p[1], -self._founded[p[0]]))
            # Chance matches among the linked articles: n * product of each fact's share.
            if most > 0 and len(self._slots) * np.exp(-most) <= self.config.max_chance_matches:
                shares[story] = 0.0
        return shares

    def _information(self, keys: set[str]) -> float:
        """-log of the chance that a linked article states all these facts, each fact's
        chance being its share of the linked articles (plus this one), as if independent."""
        total = len(self._slots) + 1
        return float(sum(np.log(total / (self._fact_counts.get(k, 0) + 1)) for k in keys))

    def _linked_shares(self, mine: np.ndarray, pool: list[tuple[str, str, str, np.ndarray]]) -> dict[str, float]:
        """Story -> the evidence of its best member, for the stories joined; `pool` holds
        (member, story, language, sentence vectors) of the candidates (module docstring, 3).

        Each of the article's sentences is scored against every sentence of the pool, and
        each score is measured against the row's scores in the same candidate language
        (median and MAD: the few true partners do not move them; a language an encoder
        places close to the article's own, or knows poorly, has its own level and spread),
        or the whole row's where that language has fewer than min_background sentences."""
        owners = np.array([index for index, (*_, vectors) in enumerate(pool) for _ in range(len(vectors))])
        column_langs = np.array([lang for _, _, lang, vectors in pool for _ in range(len(vectors))])
        # One small product per member: OpenBLAS runs a product this size on one thread,
        # the whole pool's on several, whose wake-ups cost ~100x the arithmetic on a busy host.
        sims = np.hstack([mine @ vectors.T for *_, vectors in pool])
        standouts = robust_z(sims)
        for lang in set(column_langs.tolist()):
            columns = column_langs == lang
            if columns.sum() >= self.config.min_background:
                standouts[:, columns] = robust_z(sims, columns)[:, columns]
        rows = np.arange(len(mine))
        best_story = np.array([pool[owners[column]][1] for column in standouts.argmax(axis=1)])
        # Per member: each sentence's best standout in it, where that match is mutual, else 0.
        mutual_best = np.zeros((len(pool), len(mine)))
        # A sentence's version in a translation or rewrite is closer to it than any other
        # sentence of its own article is. A match that is not only stands out because the pool
        # is small (a young corpus: a book review's sentence matched a finance-law article's
        # at cosine 0.26, 6.4 deviations above 12 others); it is not counted as linked.
        siblings = mine @ mine.T
        np.fill_diagonal(siblings, -np.inf)
        closest_sibling = siblings.max(axis=1)
        beats_siblings = np.zeros((len(pool), len(mine)), dtype=bool)
        for index in range(len(pool)):
            part = standouts[:, owners == index]
            column = part.argmax(axis=1)
            mutual_best[index] = np.where(part.argmax(axis=0)[column] == rows, part[rows, column], 0.0)
            beats_siblings[index] = sims[:, owners == index][rows, column] > closest_sibling
        scores = mutual_best.mean(axis=1)
        stories = np.array([story for _, story, _, _ in pool])
        evidence: dict[str, float] = {}
        for index, (_, story, _, vectors) in enumerate(pool):
            # The margin (below) is measured from every member's mutual standouts, the
            # chance ones included: they are the background it needs.
            found = mutual_best[index][
                (best_story == story)
                & (mutual_best[index] >= self.config.min_sentence_standout)
                & beats_siblings[index]
            ]
            share = len(found) / min(len(mine), len(vectors))
            # The margin is measured against the members of other stories: a story's other
            # versions score as high and would hide it.
            others = scores[stories != story]
            with_margin = len(others) >= MIN_MEMBERS_FOR_MARGIN
            alone_enough = (
                with_margin
                and len(found) == 1
                and found[0] >= np.sqrt(MIN_LINKED_SENTENCES) * self.config.min_sentence_standout
            )
            if (len(found) < MIN_LINKED_SENTENCES and not alone_enough) or share < self.config.min_shared:
                continue
            if with_margin:
                strength = standout(float(scores[index]), others, min_spread=1e-6)
                joined = strength >= self.config.min_member_standout
            else:
                # Stouffer's combination of the sentences' standouts (the rest count as 0):
                # many sentences that each stand out a little are as sure as one far out.
                strength = float(found.sum() / np.sqrt(len(mine)))
                joined = strength >= self.config.min_standout
            if joined:
                evidence[story] = max(evidence.get(story, 0.0), strength)
        return evidence

    def best_story(self, profile: ArticleProfile) -> str | None:
        """The candidate story with the strongest evidence, if any; ties go to the older story."""
        scored = self.candidates(profile)
        if not scored:
            return None
        return max(scored.items(), key=lambda p: (p[1], -self._founded[p[0]]))[0]

    def _needs_wide(self, profile: ArticleProfile) -> bool:
        """An article needs wide vectors when the corpus encoder does not know its language,
        or when an article that has them (one in such a language) is in its time window:
        only the wide encoder can compare the two."""
        if not corpus_encoder_knows(profile.lang):
            return True
        if not self._wide.ids:
            return False
        when, latest = parse_time(profile.published), self._published[self._wide.ids[-1]]
        return when is None or latest is None or abs((when - latest).total_seconds()) <= self.config.window_days * 86400

    def _give_wide_vectors(self, profile: ArticleProfile) -> None:
        """Wide vectors for the linked articles of the article's time window that have none
        (linked before an article in a language the corpus encoder does not know came
        within their window): asked for once each, newest first, as linking goes on."""
        when = parse_time(profile.published)
        wanted: list[str] = []
        while self._without_wide:
            article_id = self._without_wide[-1]
            then = self._published[article_id]
            if (
                when is not None
                and then is not None
                and abs((when - then).total_seconds()) > self.config.window_days * 86400
            ):
                break
            wanted.append(self._without_wide.pop())
        for start in range(0, len(wanted), REPLAY_CHUNK):
            for article_id, given in zip(
                wanted[start : start + REPLAY_CHUNK], self.wide_provider(wanted[start : start + REPLAY_CHUNK])
            ):
                self.profiles[article_id] = given
                self._wide.add(article_id, wide_article_vector(given))

    def _neighbours(self, profile: ArticleProfile) -> list[str]:
        """The linked articles nearest to the article in the corpus encoder's space and,
        when it has wide vectors, in the wide encoder's, that are inside its time window."""
        if not self._slots:
            return []
        found = list(self.index.search(profile.vector, self.config.neighbours))
        if profile.wide_vectors is not None:
            found += self._wide.search(wide_article_vector(profile), self.config.neighbours)
        when = parse_time(profile.published)
        members: list[str] = []
        for member in dict.fromkeys(found):
            then = self._published[member]
            if (
                when is not None
                and then is not None
                and abs((when - then).total_seconds()) > self.config.window_days * 86400
            ):
                continue
            members.append(member)
        return members

    # -- manual choices --------------------------------------------------------------

    def pin(self, article_id: str, story_id: str) -> None:
        """Put an article in a story for good (moving it if it is already linked)."""
        self.journal.append(("pin", article_id, story_id))
        self._pin(article_id, story_id)

    def _pin(self, article_id: str, story_id: str) -> None:
        self.pins[article_id] = story_id
        self._pinned_story_ids.add(story_id)
        current = self.story_of.get(article_id)
        if current is None or current == story_id:
            return
        story = self.stories[current]
        story.article_ids.remove(article_id)
        if story.article_ids:
            self._recompute_span(story)
        else:
            del self.stories[current]
        del self.story_of[article_id]
        self._attach(article_id, story_id, self.profiles[article_id].published)

    def merge(self, into: str, other: str) -> dict[str, str]:
        """Move every article of story `other` into story `into`; returns the pins set.
        Both stories' articles are pinned: re-linked from scratch, `into`'s founding
        article would otherwise find its id taken by the pins and found another story."""
        if into == other:
            return {}
        pins = {a: into for story in (into, other) for a in list(self.stories[story].article_ids)}
        for article_id in pins:
            self.pin(article_id, into)
        return pins

    def split(self, article_ids: Sequence[str], new_story_id: str | None = None) -> dict[str, str]:
        """Move these articles of one story into a new story (by default named after the
        first of them). Both parts are pinned, so a re-run cannot join them again.
        Returns the pins set."""
        source = {self.story_of[a] for a in article_ids}
        if len(source) != 1:
            raise ValueError("split takes articles of one story")
        (old,) = source
        new = new_story_id or self._new_story_id(article_ids[0])
        pins = {a: old for a in self.stories[old].article_ids if a not in article_ids}
        pins.update({a: new for a in article_ids})
        for article_id, story_id in pins.items():
            self.pin(article_id, story_id)
        return pins

    # -- persistence -----------------------------------------------------------------

    def checkpoint_due(self) -> bool:
        """Whether a store should write a full checkpoint now (see the module docstring):
        there is none yet, or the stored changes since the last one are many enough."""
        if self.journal_seq == 0:
            return False
        since = self.journal_seq - self.checkpoint_seq
        return self.checkpoint_seq == 0 or since >= max(CHECKPOINT_MIN_CHANGES, CHECKPOINT_FRACTION * len(self))

    def replay(self, changes: Sequence[tuple[int, str, str, str]], *, into_index: bool) -> None:
        """Apply stored changes (seq, "add" | "pin", article id, story id) made after this
        linker's journal_seq, in order, as `add` and `pin` made them; `into_index`: put the
        placed articles in the neighbour index too (False where the index is stored with
        the changes, as pgvector's is)."""
        for start in range(0, len(changes), REPLAY_CHUNK):
            chunk = changes[start : start + REPLAY_CHUNK]
            # Profiles (~30 KiB each) are read a chunk at a time: a tail of 5% of a large
            # corpus would not fit in memory at once.
            added = [article_id for _seq, kind, article_id, _story in chunk if kind == "add"]
            profiles = dict(zip(added, self.profiles.many(added))) if added else {}
            for seq, kind, article_id, story_id in chunk:
                if kind == "add":
                    if article_id not in self.story_of:
                        self._place(article_id, story_id, profiles[article_id], into_index=into_index)
                elif kind == "pin":
                    self._pin(article_id, story_id)
                else:
                    raise ValueError(f"linker journal change {seq}: unknown kind {kind!r}")
                self.journal_seq = seq

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the linker to a directory; each file is replaced atomically. The graph goes
        to a file named for journal_seq, which the state names, so that a crash between the
        two writes leaves the state with the graph it was saved with."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        state = self.state()
        if isinstance(self.index, UsearchIndex):
            state["index_file"] = f"index.{self.journal_seq}.usearch"
            self.index.checkpoint_file(folder / state["index_file"])
        buffer = io.BytesIO()
        np.save(buffer, self._wide.matrix.astype("<f2"))
        _write_atomic(folder / WIDE_FILE, buffer.getvalue())
        _write_atomic(folder / STATE_FILE, json.dumps(state, ensure_ascii=False).encode("utf-8"))
        for stale in folder.glob("index*.usearch"):
            if stale.name != state.get("index_file"):
                stale.unlink()
        if self.owns_profiles:
            blobs = [self.profiles[a].to_bytes() for a in self._slots]
            _write_atomic(folder / PROFILES_FILE, b"".join(len(b).to_bytes(4, "little") + b for b in blobs))

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, profiles: Profiles | None = None) -> StoryLinker:
        """Read a saved linker; pass `profiles` when they live elsewhere (a store)."""
        folder = Path(path)
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        config = LinkerConfig.from_dict(state["config"])
        index = UsearchIndex.from_file(folder / state.get("index_file", INDEX_FILE), config.expansion, state["slots"])
        wide = np.load(folder / WIDE_FILE).astype(np.float32) if (folder / WIDE_FILE).exists() else None
        linker = cls.from_state(state, profiles=profiles, index=index, source=str(folder / STATE_FILE), wide=wide)
        if profiles is None:
            blob = (folder / PROFILES_FILE).read_bytes()
            offset = 0
            for article_id in linker._slots:
                size = int.from_bytes(blob[offset : offset + 4], "little")
                linker.profiles[article_id] = ArticleProfile.from_bytes(blob[offset + 4 : offset + 4 + size])
                offset += 4 + size
            if "slot_times" not in state:
                linker._read_times_from_profiles()
        return linker

    def state(self) -> dict:
        """The linker's stories, pins and arrival order as JSON-ready data (the index and
        the profiles apart)."""
        return {
            "version": STATE_VERSION,
            "config": asdict(self.config),
            "pins": self.pins,
            # Built by hand: dataclasses.asdict took ~40 µs a story (4 s a save at 100k stories).
            "stories": [
                {"id": s.id, "article_ids": list(s.article_ids), "first_seen": s.first_seen, "last_seen": s.last_seen}
                for s in self.stories.values()
            ],
            "journal_seq": self.journal_seq,
            "slots": self._slots,
            # The articles with wide vectors, in the order of the wide matrix (wide.npy).
            "wide_slots": self._wide.ids,
            "fact_counts": dict(self._fact_counts),
            # Publication times (as parse_time reads them) in slot order: the time window is
            # applied before any profile is read back.
            "slot_times": [t.isoformat() if (t := self._published[a]) is not None else None for a in self._slots],
        }

    @classmethod
    def from_state(
        cls,
        state: dict,
        *,
        profiles: Profiles | None,
        index: NeighbourIndex,
        source: str,
        wide: np.ndarray | None = None,
    ) -> StoryLinker:
        """A linker from `state()`'s data and the index saved with it (and the wide matrix,
        else read back from the profiles); `source` names where the state was read, for
        the error."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"{source}: unknown linker state version {state.get('version')}")
        linker = cls(LinkerConfig.from_dict(state["config"]), pins=state["pins"], profiles=profiles, index=index)
        for s in state["stories"]:
            story = Story(**s)
            linker.stories[story.id] = story
            linker._founded[story.id] = len(linker._founded)
            linker.story_of.update((a, story.id) for a in story.article_ids)
        linker._slots = list(state["slots"])
        linker.journal_seq = linker.checkpoint_seq = state.get("journal_seq", 0)
        if "slot_times" in state:
            linker._published = {a: parse_time(t) for a, t in zip(linker._slots, state["slot_times"])}
        elif profiles is not None:  # saved before the times were kept
            linker._read_times_from_profiles()
        wide_ids = state.get("wide_slots", [])
        if wide is not None and len(wide) == len(wide_ids):
            linker._wide = WideVectors(wide_ids, wide)
        elif wide_ids and profiles is not None:
            for start in range(0, len(wide_ids), REPLAY_CHUNK):
                ids = wide_ids[start : start + REPLAY_CHUNK]
                for article_id, profile in zip(ids, profiles.many(ids)):
                    linker._wide.add(article_id, wide_article_vector(profile))
        if "fact_counts" in state:
            linker._fact_counts = Counter(state["fact_counts"])
        elif profiles is not None:  # saved before facts were counted
            for start in range(0, len(linker._slots), REPLAY_CHUNK):
                for profile in profiles.many(linker._slots[start : start + REPLAY_CHUNK]):
                    linker._fact_counts.update(fact_keys(profile))
        with_wide = set(linker._wide.ids)
        linker._without_wide = [a for a in linker._slots if a not in with_wide]
        return linker

    # -- internals -------------------------------------------------------------------

    def _read_times_from_profiles(self, chunk: int = 500) -> None:
        for start in range(0, len(self._slots), chunk):
            ids = self._slots[start : start + chunk]
            self._published.update((a, parse_time(p.published)) for a, p in zip(ids, self.profiles.many(ids)))

    def _place(self, article_id: str, story_id: str, profile: ArticleProfile, *, into_index: bool) -> None:
        self._attach(article_id, story_id, profile.published)
        if into_index:
            self.index.add(article_id, profile.vector)
        self._fact_counts.update(fact_keys(profile))
        if profile.wide_vectors is not None and len(profile.wide_vectors):
            self._wide.add(article_id, wide_article_vector(profile))
        else:
            self._without_wide.append(article_id)
        self._slots.append(article_id)
        self._published[article_id] = parse_time(profile.published)

    def _new_story_id(self, article_id: str) -> str:
        story_id, n = article_id, 1
        while story_id in self.stories or story_id in self._pinned_story_ids:
            n += 1
            story_id = f"{article_id}#{n}"
        return story_id

    def _attach(self, article_id: str, story_id: str, published: str | None) -> None:
        if story_id not in self.stories:
            self.stories[story_id] = Story(story_id)
            self._founded.setdefault(story_id, len(self._founded))
        story = self.stories[story_id]
        story.article_ids.append(article_id)
        self.story_of[article_id] = story_id
        when = parse_time(published)
        if when is not None:
            if story.first_seen is None or when < parse_time(story.first_seen):
                story.first_seen = published
            if story.last_seen is None or when > parse_time(story.last_seen):
                story.last_seen = published

    def _recompute_span(self, story: Story) -> None:
        story.first_seen = story.last_seen = None
        members, story.article_ids = story.article_ids, []
        for article_id in members:
            self._attach(article_id, story.id, self.profiles[article_id].published)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
