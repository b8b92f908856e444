"""The corpus store: articles, their sentences, vectors and facts, copies, stories.

`Store` is the interface ingest needs (SQLite now, see store.sqlite); the corpus
(crosswire.corpus: story linking, views, search) uses the SQLite store's further
methods. Neither writes SQL of its own.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

import numpy as np

from crosswire.model import Article, Fact, Sentence

__all__ = ["NewArticle", "Seen", "Store", "Stored", "StoredArticle", "minhash_signature", "open_store"]

MINHASH_PERMUTATIONS = 128
MINHASH_SCHEME = "affine32"  # datasketch's default; stored signatures must be read with it


@functools.lru_cache(maxsize=1)
def _minhash_permutations():
    from datasketch import MinHash

    return MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1, scheme=MINHASH_SCHEME).permutations


def minhash_signature(shingles: Iterable[bytes]) -> np.ndarray:
    """The MinHash signature (uint32 values) that stores compare to find near-duplicates."""
    from datasketch import MinHash

    # The permutations depend only on the seed; drawing them once saves ~1 ms per article.
    minhash = MinHash(
        num_perm=MINHASH_PERMUTATIONS, seed=1, scheme=MINHASH_SCHEME, permutations=_minhash_permutations()
    )
    minhash.update_batch(list(shingles))
    return minhash.hashvalues.astype(np.uint32)


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
    def seen(self, content_hash: str, source: str) -> Seen | None:
        """The stored article with exactly this content, if any."""

    def add_copy(self, article_id: int, article: Article) -> None:
        """Record that `article` (same text, another source) is a copy of a stored one."""

    def add_article(self, new: NewArticle) -> Stored:
        """Store a new article atomically; link it to its earliest near-duplicate."""

    def own_files(self) -> list[str]:
        """The files the store writes, which ingest must never read as input."""

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc_info: object) -> None: ...


def open_store(path: str) -> Store:
    """The default backend: one SQLite file at `path`, created and migrated as needed."""
    from crosswire.store.sqlite import SqliteStore

    return SqliteStore(path)
