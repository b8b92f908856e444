"""Robust standardisation: how far a score stands out from the scores around it (median and
median absolute deviation), in units that do not move with one encoder's or one language's
cosine scale. The story linker, article similarity and the comparison's confident links read
scores this way."""

from __future__ import annotations

import numpy as np

# A normal distribution's standard deviation is 1.4826 times its median absolute deviation.
MAD_TO_SD = 1.4826


def robust_z(scores: np.ndarray, columns: np.ndarray | None = None, min_spread: float = 1e-6) -> np.ndarray:
    """Each score's robust deviations from its row's scores (median and MAD), or from the
    row's scores in `columns` only; a spread under `min_spread` counts as `min_spread`."""
    part = scores if columns is None else scores[:, columns]
    median = np.median(part, axis=1, keepdims=True)
    spread = np.median(np.abs(part - median), axis=1, keepdims=True) * MAD_TO_SD
    return (scores - median) / np.maximum(spread, min_spread)


def standout(score: float, others: np.ndarray, min_spread: float) -> float:
    """How many robust deviations `score` stands above `others` (their median and MAD); a
    spread under `min_spread` counts as `min_spread`."""
    median = float(np.median(others))
    spread = max(float(np.median(np.abs(others - median))) * MAD_TO_SD, min_spread)
    return (score - median) / spread
