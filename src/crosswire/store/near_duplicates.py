"""Near-duplicate placement, the same on both store engines.

An article whose MinHash signature is close enough to stored ones (NEAR_DUPLICATE_THRESHOLD)
joins their group; each group points at its earliest member (dated before undated, then
by date, then by arrival). BandIndex finds the candidates; `placement` decides where a
new article goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Jaccard similarity of word 3-gram shingles at or above which two texts are one article
# lightly edited (a changed word costs ~3 shingles, so ~0.9 for a few edits in 600 words).
NEAR_DUPLICATE_THRESHOLD = 0.8


def earliest_key(article_id: float, published: str | None) -> tuple[bool, str, float]:
    """Sort key for "earliest copy": dated before undated, then by date, then by arrival."""
    return (published is None, published or "", article_id)


@dataclass(frozen=True)
class Placement:
    """Where a new article goes among its stored near-duplicates."""

    duplicate_of: int | None  # the stored original it copies; None when it is (or becomes) the original
    displaced: int | None  # the stored original it predates: that group now points at the new article


def placement(root: tuple[int, str | None] | None, published: str | None) -> Placement:
    """Place a new article, published at `published`, against `root`: (id, published) of
    the earliest stored original among its near-duplicates (None when it has none)."""
    # The newcomer's id is not known yet, but it will be the highest: it sorts last on ties.
    if root is not None and earliest_key(math.inf, published) < earliest_key(*root):
        return Placement(None, root[0])
    return Placement(None if root is None else root[0], None)


class BandIndex:
    """MinHash LSH: the articles that share a band of their signature with a new one.

    The bands are datasketch MinHashLSH's for the threshold (b bands of r rows, chosen to
    balance missed and false candidates), but each band is kept as the hash of its
    values -> article ids: measured on 20,000 signatures, 0.7 MiB per 1,000 articles
    (signatures included) where MinHashLSH took 3.9 MiB (each band's bytes and a set per
    key), ~300 MiB less at 100k articles, with the same candidates. Equal bands have
    equal hashes, so no candidate is missed; a collision only adds a candidate, which
    `near_duplicates`' full-signature check drops.
    """

    def __init__(self, threshold: float, num_perm: int) -> None:
        from crosswire.store.minhash import lsh_bands

        bands, self._rows = lsh_bands(threshold, num_perm)
        self.threshold = threshold
        self._tables: list[dict[int, int | list[int]]] = [{} for _ in range(bands)]
        self.signatures: dict[int, np.ndarray] = {}

    def _keys(self, signature: np.ndarray) -> list[int]:
        # As stored (uint32): a signature read back from the database keys like a new one.
        values, r = np.asarray(signature, dtype="<u4"), self._rows
        return [hash(values[i * r : (i + 1) * r].tobytes()) for i in range(len(self._tables))]

    def add(self, article_id: int, signature: np.ndarray) -> None:
        self.signatures[article_id] = signature
        for table, key in zip(self._tables, self._keys(signature)):
            found = table.get(key)
            if found is None:
                table[key] = article_id  # most bands hold one article: no list for them
            elif isinstance(found, list):
                found.append(article_id)
            else:
                table[key] = [found, article_id]

    def candidates(self, signature: np.ndarray) -> set[int]:
        found: set[int] = set()
        for table, key in zip(self._tables, self._keys(signature)):
            hit = table.get(key)
            if isinstance(hit, list):
                found.update(hit)
            elif hit is not None:
                found.add(hit)
        return found

    def near_duplicates(self, signature: np.ndarray) -> list[int]:
        """Indexed articles whose estimated Jaccard similarity with `signature` reaches the threshold."""
        return [i for i in self.candidates(signature) if np.mean(self.signatures[i] == signature) >= self.threshold]
