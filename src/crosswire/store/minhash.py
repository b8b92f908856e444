"""MinHash signatures and LSH band sizes, bit for bit those of datasketch 2.0's
MinHash (scheme "affine32", seed 1) and MinHashLSH.

Why not datasketch itself: importing it imports scipy (143 MB installed, 17% of the core
install) for one integral in MinHashLSH's parameter choice, which is a polynomial that
Gauss-Legendre quadrature integrates exactly with numpy. Signatures already stored were
made by datasketch; tests/store/test_minhash.py checks these functions against it.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Iterable

import numpy as np

# MurmurHash3's 32-bit finalizer (datasketch's pre-mix of each input hash).
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the affine maps a*h + b mod 2^32, a odd: drawn as datasketch draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash(values: Iterable[bytes], num_perm: int, seed: int = 1) -> np.ndarray:
    """The uint32 MinHash signature of a set of byte strings."""
    a, b = _permutations(num_perm, seed)
    # datasketch's sha1_hash32: the first 4 bytes of each value's SHA-1, little-endian;
    # joined and read as one array (a third faster than an int per value).
    sha1 = hashlib.sha1
    hv = np.frombuffer(b"".join([sha1(v).digest()[:4] for v in values]), dtype="<u4").astype(np.uint32).reshape(-1, 1)
    if not len(hv):
        return np.full(num_perm, np.uint32(0xFFFFFFFF), dtype=np.uint32)
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    return (hv * a + b).min(axis=0)  # uint32 arithmetic wraps: the modulo 2^32


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(b bands, r rows) minimising the summed chance of a false candidate below the
    threshold and a missed one above it, as MinHashLSH chooses them (equal weights).

    The chance that two signatures of Jaccard similarity s share a band,
    1 - (1 - s^r)^b, is a polynomial of degree r*b <= num_perm, so Gauss-Legendre
    quadrature with num_perm // 2 + 1 nodes integrates it exactly."""
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(low: float, high: float, f) -> float:
        half = (high - low) / 2
        return float(half * (weights @ f(half * nodes + (high + low) / 2)))

    best, chosen = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            false_positive = integral(0.0, threshold, lambda s: 1 - (1 - s**r) ** b)
            false_negative = integral(threshold, 1.0, lambda s: (1 - s**r) ** b)
            error = 0.5 * false_positive + 0.5 * false_negative
            if error < best:
                best, chosen = error, (b, r)
    return chosen
