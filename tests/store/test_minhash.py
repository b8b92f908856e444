"""crosswire.store.minhash against datasketch (a test dependency only): stored signatures
were made by datasketch, so new ones must be bit for bit the same."""

import random

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from crosswire.ingest import shingles
from crosswire.store import MINHASH_PERMUTATIONS, minhash_signature
from crosswire.store.minhash import lsh_bands


def test_signatures_are_datasketchs():
    rng = random.Random(7)
    texts = [
        " ".join(rng.choice(["Kyiv", "drone", "2,500", "Москва", "无人机", "ได้", "the", "a"]) for _ in range(n))
        for n in (0, 1, 2, 3, 10, 600)
        for _ in range(5)
    ]
    texts += [bytes(rng.getrandbits(8) for _ in range(40)).decode("latin-1") for _ in range(20)]
    for text in texts:
        expected = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1, scheme="affine32")
        expected.update_batch(shingles(text))
        assert np.array_equal(minhash_signature(shingles(text)), expected.hashvalues.astype(np.uint32)), text


def test_lsh_bands_are_minhashlshs():
    for threshold in (0.5, 0.7, 0.8, 0.9, 0.95):
        for num_perm in (32, 128, 256):
            assert lsh_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)
