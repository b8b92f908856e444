"""The corpus store: articles, their sentences, vectors and facts, copies, stories.

`Store` is the whole interface that ingest and the corpus (crosswire.corpus: story
linking, views, search) use; two engines implement it on one model: SQLite
(store.sqlite, one file) and PostgreSQL (store.postgres, with pgvector for the story
linker's nearest-neighbour search). Both run one schema (store.schema) and one set of
queries (store.sql), with a small dialect for the SQL text in which they differ. `open_store(url_or_path)` picks the engine: a
`postgresql://` URL opens PostgreSQL, anything else is an SQLite file path. Neither
ingest nor the corpus writes SQL of its own.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, MutableMapping, Protocol, Sequence

import numpy as np

from crosswire.model import Article, Attribution, Fact, Sentence

if TYPE_CHECKING:
    from crosswire.similarity import ArticleProfile
    from crosswire.stories import LinkerConfig, StoryLinker

__all__ = [
    "DEFAULT_DB",
    "NewArticle",
    "Seen",
    "Store",
    "Stored",
    "StoredArticle",
    "display_name",
    "is_postgres_url",
    "minhash_signature",
    "open_store",
]

POSTGRES_URL_SCHEMES = ("postgresql://", "postgres://")
DEFAULT_DB = "crosswire.db"  # the SQLite file commands use without --db
MINHASH_PERMUTATIONS = 128


def minhash_signature(shingles: Iterable[bytes]) -> np.ndarray:
    """The MinHash signature (uint32 values) that stores compare to find near-duplicates."""
    from crosswire.store.minhash import minhash

    return minhash(shingles, MINHASH_PERMUTATIONS, seed=1)


@dataclass(frozen=True)
class NewArticle:
    """Everything ingest computed for one article, stored together or not at all."""

    article: Article
    content_hash: str  # sha256 of article.text
    sentences: Sequence[Sentence]
    encoder: str
    vectors: np.ndarray  # (len(sentences), dim) float32; stored as float16
    facts: Sequence[tuple[int, Fact]]  # (sentence index, fact)
    signature: np.ndarray  # MinHash hash values (uint32) of the text's word shingles
    # similarity.ArticleProfile.to_bytes() and the profile's article vector, for story
    # linking and search; None leaves them to be built when the article is linked.
    profile: bytes | None = None
    article_vector: np.ndarray | None = None
    # provenance.article_sources(...).attributions, and the fingerprint of the extractor
    # that found them (ingest.extractor_fingerprint); None stores none.
    attributions: Sequence[Attribution] | None = None
    attribution_extractor: str | None = None


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store holds it."""

    id: int
    article: Article
    duplicate_of: int | None  # the earliest near-duplicate; None for an original


@dataclass(frozen=True)
class Seen:
    """Content the store already holds."""

    article_id: int
    from_same_source: bool  # this very file/line/record was read before (a re-run)


@dataclass(frozen=True)
class Stored:
    article_id: int
    duplicate_of: int | None  # the earliest near-duplicate already stored, if any
    # The stored original this article predates: it (and its copies) now point here.
    displaced: int | None = None

    @property
    def is_near_duplicate(self) -> bool:
        """Whether this article and a stored one are one article (whichever came first)."""
        return self.duplicate_of is not None or self.displaced is not None


class Store(Protocol):
    """What ingest and the corpus call; SqliteStore and PostgresStore implement all of it."""

    @property
    def schema_version(self) -> int: ...

    @property
    def location(self) -> str:
        """What open_store opened (a file path or a URL): another process opens this store with it."""

    # -- ingest --

    def stored_hashes(self, content_hashes: Sequence[str]) -> set[str]:
        """Those of these content hashes that a stored article has: one query (in slices
        where the engine limits bound parameters)."""

    def seen(self, content_hash: str, source: str) -> Seen | None:
        """The stored article with exactly this content, if any."""

    def add_copy(self, article_id: int, article: Article) -> None:
        """Record that `article` (same text, another source) is a copy of a stored one."""

    def add_article(self, new: NewArticle) -> Stored:
        """Store a new article atomically; link it to its earliest near-duplicate."""

    def sentence_vectors(self, article_id: int, encoder: str) -> np.ndarray | None:
        """The article's sentence vectors (float32, one row per sentence), if stored for `encoder`."""

    def own_files(self) -> list[str]:
        """The files the store writes, which ingest must never read as input."""

    # -- the story linker --

    def linking(self) -> AbstractContextManager[None]:
        """Held around a linking pass: one pass at a time on this corpus."""

    def new_linker(
        self, config: LinkerConfig, pins: dict[str, str], profiles: MutableMapping[str, ArticleProfile]
    ) -> StoryLinker:
        """An empty linker, with the neighbour index this engine keeps."""

    def load_linker(self, profiles: MutableMapping[str, ArticleProfile]) -> StoryLinker | None:
        """The linker as last saved; None when there is none. Raises OSError, ValueError,
        KeyError or RuntimeError for a state that cannot be read (rebuilt then)."""

    def save_linker(self, linker: StoryLinker) -> None:
        """Store the linker's journal of changes (inside story_rows_transaction, with the
        rows it placed); cheap, whatever the corpus's size."""

    def checkpoint_linker(self, linker: StoryLinker) -> None:
        """Store the linker's full state when it is due (StoryLinker.checkpoint_due), after
        story_rows_transaction has committed."""

    def unlinked_articles(self) -> list[tuple[int, str | None, int | None]]:
        """(id, published, duplicate_of) of the articles in no story yet, in arrival order."""

    def all_articles_for_linking(self) -> list[tuple[int, str | None, int | None]]:
        """(id, published, duplicate_of) of every article, in arrival order: to re-link from scratch."""

    def linked_count(self) -> int:
        """How many articles are in the linker's index by the stored story rows."""

    def group_story(self, article_id: int) -> tuple[str, int] | None:
        """(story id, linked article) of the near-duplicate group of `article_id`, when a
        member of it is linked."""

    def story_rows_transaction(self) -> AbstractContextManager[object]:
        """One write transaction around a run of story-row writes and the linker save."""

    def set_story(self, article_id: int, story_id: str, linked: bool) -> None: ...

    def clear_story_rows(self) -> None:
        """Forget every article's story (before re-linking all); overrides are kept."""

    def add_override(self, action: str, pins: dict[int, str]) -> None:
        """Record a merge or split and move each pinned article's group: one transaction."""

    def override_pins(self) -> dict[int, str]:
        """Article id -> story id from every merge and split, later ones winning."""

    # -- articles, profiles, vectors --

    def article(self, article_id: int) -> StoredArticle | None: ...

    def articles(self, article_ids: Sequence[int]) -> list[StoredArticle]:
        """These articles, in the order given (unknown ids left out)."""

    def article_ids_from_address(self, address: str) -> list[int]:
        """The ids of the articles read from `address` (their source or url, or a copy's), oldest first."""

    def sentence_spans(self, article_id: int) -> list[tuple[int, int]]: ...

    def profile(self, article_id: int, encoder: str) -> bytes | None: ...

    def profiles(self, article_ids: Sequence[int], encoder: str) -> dict[int, bytes]:
        """Article id -> stored profile, for those of these articles that have one: one query."""

    def attributions(self, article_ids: Sequence[int], extractor: str) -> dict[int, tuple[Attribution, ...]]:
        """Article id -> its attributions as stored at ingest, for those of these articles
        whose stored set `extractor` wrote."""

    def add_profile(self, article_id: int, encoder: str, profile: bytes, article_vector: np.ndarray) -> None: ...

    def profiled_ids(self, encoder: str) -> list[int]: ...

    def unprofiled_ids(self, encoder: str, article_ids: Sequence[int]) -> list[int]:
        """Those of these articles with no profile for `encoder`, in order."""

    def article_vectors(self, encoder: str) -> tuple[np.ndarray, np.ndarray]:
        """(article ids, float32 article vectors) of every profiled original article."""

    def sentence_vector_rows(self, article_ids: Sequence[int], encoder: str) -> Iterator[tuple[int, np.ndarray]]:
        """(article id, float32 sentence matrix) for these articles."""

    # -- stories and their listing --

    def story_members(self, story_id: str) -> list[tuple[int, bool]]:
        """(article id, linked) of a story's articles, in arrival order."""

    def story_of(self, article_id: int) -> str | None: ...

    def story_rows(
        self, story_ids: Sequence[str]
    ) -> list[tuple[str, int, str, str | None, str | None, str | None, int | None]]:
        """(story id, article id, lang, outlet, published, title, duplicate_of) of these
        stories' members, by story and then by article id."""

    def first_sentences(self, article_ids: Sequence[int]) -> dict[int, str]: ...

    def unsummarised_story_ids(self) -> list[str]: ...

    def put_story_summaries(self, rows: Sequence[tuple]) -> None: ...

    def story_summaries(
        self,
        *,
        lang: str | None = None,
        outlet_key: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[tuple[str, str, str, str, int, int, str | None, str | None]]: ...

    def story_summary_counts(
        self,
        *,
        lang: str | None = None,
        outlet_key: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[int, int, list[tuple[str, int]]]: ...

    def comparison_links(self, a: int, b: int, encoder: str) -> list[dict] | None: ...

    def add_comparison_links(self, a: int, b: int, encoder: str, links: list[dict]) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc_info: object) -> None: ...


def is_postgres_url(url_or_path: str) -> bool:
    return url_or_path.startswith(POSTGRES_URL_SCHEMES)


def display_name(url_or_path: str) -> str:
    """How to name a database in output and errors: a URL with its password hidden."""
    if not is_postgres_url(url_or_path):
        return url_or_path
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url_or_path)


def open_store(url_or_path: str) -> Store:
    """The store at `url_or_path`, created and migrated as needed: a PostgreSQL database
    for a `postgresql://` (or `postgres://`) URL, else one SQLite file at that path."""
    if is_postgres_url(str(url_or_path)):
        from crosswire.store.postgres import PostgresStore

        return PostgresStore(str(url_or_path))
    from crosswire.store.sqlite import SqliteStore

    return SqliteStore(str(url_or_path))
