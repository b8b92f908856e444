"""Article similarity: a calibrated 0..1 score that two articles report the same story.

An `ArticleProfile` is built once per article (`build_profile`, or `profile_from_parts`
from sentence vectors the caller already has) and holds what compares across languages:

- `vector`: the mean of the sentence vectors, the headline and lead weighted up;
- `lead_vector`: the opening (~600 characters) encoded as one text;
- `sentence_vectors`: the first sentences' vectors, for a soft sentence-match score;
- `names`, `places`, `numbers`, `dates`: phonetic prefixes of names, CLDR territory
  codes, normalised numbers and ISO dates;
- `word_keys` / `word_counts`: hashed 4-letter stems of content words (same-language
  pairs share wording; across languages this overlap is near zero and the model knows it
  from the `same_lang` feature).

`score_profiles(a, b)` is a pure function of two profiles, so the story linker keeps
profiles and scores many pairs without re-encoding anything. The score is a logistic
model over `pair_features`, fitted on the SemEval-2022 task 8 development pairs (see
`data/similarity.json` and `bench/similarity.py --fit`): 1 means "same story"
(Overall 1), 0 "unrelated" (Overall 4).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import json
import zlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

import numpy as np

from .analyse import prepare, sentence_facts
from .errors import CrosswireError
from .encode import DEFAULT_ENCODER, Encoder, get_encoder
from .model import Article
from .read import read_string
from .robust import robust_z
from .text.lang import guess_language
from .text.names import skeleton, stop_words, territory_keys

# Only the opening of an article is kept for the sentence-match score: leads carry the
# story, and a bounded matrix keeps a profile small (float16 on disk).
MAX_SENTENCES = 24
# Sentence i weighs 1 / (1 + i / LEAD_HALF_LIFE) in `vector`: with 1, the headline
# counts as much as the next three sentences together (best of 1, 2, 4, 8 and a plain
# mean on the development pairs: Pearson 0.70 vs 0.65 for the plain mean).
LEAD_HALF_LIFE = 1.0
# The opening encoded as one text: the encoder sees the sentences in context.
LEAD_CHARS = 600
# The wide-coverage encoder: it knows languages the corpus encoder (USE-m) was not trained
# on (Tatoeba: hin .950 against .012, ben .869 against .007), at ~10x its cost per text, so
# a profile holds its vectors of the opening sentences only, up to WIDE_CHARS (four
# sentences on average): the story linker's margins need that many to tell a translation
# from an unrelated article (400 gave FLORES stories B-cubed F1 0.750, 800 gives 0.867),
# at 300 CPU-ms an article against 215.
WIDE_ENCODER = "e5-small"
WIDE_CHARS = 800
# `sentence_standout`: a row of near-equal scores (one or two sentences) has a MAD near 0,
# hence a floor; standouts are clipped at 10 deviations (a translation's sentence stands
# ~4-8 out).
MIN_SPREAD = 0.02
MAX_STANDOUT = 10.0
# Names, stems: short keys collide across unrelated words.
NAME_PREFIX = 5
STEM_CHARS = 4

FEATURES = (
    "vector",
    "lead_vector",
    "sentence_match",
    "top_sentences",
    "sentence_standout",
    "mutual_matches",
    "words",
    "names",
    "numbers",
    "dates",
    "places",
    "same_lang",
    "length_ratio",
)
# These enter the model squared as well: their effect on the rating is not linear.
SQUARED = ("vector", "lead_vector", "sentence_match", "words", "names", "numbers")


@dataclass(frozen=True, eq=False)
class ArticleProfile:
    lang: str
    published: str | None  # ISO date or datetime of publication, when known
    chars: int  # length of the text the profile was built from
    vector: np.ndarray  # (d,) unit vector
    lead_vector: np.ndarray  # (d,) unit vector
    sentence_vectors: np.ndarray  # (n, d) unit vectors, n <= MAX_SENTENCES
    names: frozenset[str]
    places: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]
    word_keys: np.ndarray  # sorted unique uint32 hashes of content-word stems
    word_counts: np.ndarray  # float32 counts, aligned with word_keys
    # WIDE_ENCODER's unit vectors of the opening sentences (`wide_texts`), when computed.
    wide_vectors: np.ndarray | None = None

    def to_bytes(self) -> bytes:
        """Compact serialisation (vectors as float16) for a store or a linker state file."""
        header = json.dumps(
            {
                "lang": self.lang,
                "published": self.published,
                "chars": self.chars,
                "dim": int(self.vector.shape[0]),
                "sentences": int(len(self.sentence_vectors)),
                "words": int(len(self.word_keys)),
                "wide": None if self.wide_vectors is None else list(self.wide_vectors.shape),
                "names": sorted(self.names),
                "places": sorted(self.places),
                "numbers": sorted(self.numbers),
                "dates": sorted(self.dates),
            }
        ).encode()
        parts = [
            np.concatenate([self.vector[None], self.lead_vector[None], self.sentence_vectors]).astype("<f2").tobytes(),
            self.word_keys.astype("<u4").tobytes(),
            self.word_counts.astype("<f4").tobytes(),
            b"" if self.wide_vectors is None else self.wide_vectors.astype("<f2").tobytes(),
        ]
        return len(header).to_bytes(4, "little") + header + b"".join(parts)

    @classmethod
    def from_bytes(cls, blob: bytes) -> ArticleProfile:
        size = int.from_bytes(blob[:4], "little")
        h = json.loads(blob[4 : 4 + size])
        offset = 4 + size
        dim, rows, nwords = h["dim"], h["sentences"] + 2, h["words"]
        vectors = np.frombuffer(blob, "<f2", rows * dim, offset).reshape(rows, dim).astype(np.float32)
        offset += rows * dim * 2
        keys = np.frombuffer(blob, "<u4", nwords, offset).astype(np.uint32)
        counts = np.frombuffer(blob, "<f4", nwords, offset + nwords * 4).astype(np.float32)
        offset += nwords * 8
        wide = None
        if h.get("wide"):
            rows, dim = h["wide"]
            wide = np.frombuffer(blob, "<f2", rows * dim, offset).reshape(rows, dim).astype(np.float32)
        return cls(
            h["lang"],
            h["published"],
            h["chars"],
            vectors[0],
            vectors[1],
            vectors[2:],
            frozenset(h["names"]),
            frozenset(h["places"]),
            frozenset(h["numbers"]),
            frozenset(h["dates"]),
            keys,
            counts,
            wide,
        )


def lead_weights(n: int) -> np.ndarray:
    return 1.0 / (1.0 + np.arange(n, dtype=np.float32) / LEAD_HALF_LIFE)


def lead_text(sentences: Sequence[str]) -> str:
    """The first sentences, up to about LEAD_CHARS characters, joined."""
    out: list[str] = []
    size = 0
    for text in sentences:
        out.append(text)
        size += len(text) + 1
        if size >= LEAD_CHARS:
            break
    return " ".join(out)


def wide_texts(sentences: Sequence[str]) -> list[str]:
    """The opening sentences that WIDE_ENCODER encodes: up to about WIDE_CHARS characters
    (at least one sentence)."""
    out: list[str] = []
    size = 0
    for text in sentences:
        if out and size + len(text) > WIDE_CHARS:
            break
        out.append(text)
        size += len(text) + 1
    return out


def with_wide_vectors(
    profile: ArticleProfile, sentences: Sequence[str], encoder: str | Encoder = WIDE_ENCODER
) -> ArticleProfile:
    """The profile with the wide encoder's vectors of the `wide_texts` of its article's
    sentences (in text order)."""
    vectors = _encoder(encoder).encode(wide_texts(sentences)) if sentences else np.zeros((0, 0), np.float32)
    return dataclasses.replace(profile, wide_vectors=np.asarray(vectors, dtype=np.float32))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm if norm > 0 else v).astype(np.float32)


def _number_key(value: Decimal) -> str | None:
    """Small integers ("two", "3") are in every article, so only numbers of 10 or more,
    or with a fraction, count."""
    if abs(value) < 10 and value == value.to_integral():
        return None
    return format(value.normalize(), "f")  # "120", not "1.2E+2"


def profile_from_parts(
    article: Article, sentence_vectors: np.ndarray, lead_vector: np.ndarray, facts: Sequence
) -> ArticleProfile:
    """A profile from an article's sentence vectors (unit, in text order), the vector of
    `lead_text` of its sentences, and its `sentence_facts`: for callers that already
    encoded the sentences (the store)."""
    vectors = np.asarray(sentence_vectors, dtype=np.float32)
    territories = territory_keys(article.lang)
    stops = stop_words(article.lang)
    names: set[str] = set()
    places: set[str] = set()
    numbers: set[str] = set()
    dates: set[str] = set()
    stems: Counter[int] = Counter()
    for f in facts:
        for w in f.names:
            if code := territories.get(w.key):
                places.add(code)
            elif len(w.key) >= 4 and not w.key.isdigit():
                names.add(skeleton(w.key)[:NAME_PREFIX])
        numbers.update(k for n in f.numbers if (k := _number_key(n.value)))
        dates.update(d.iso for d in f.dates if d.day)
        stems.update(
            zlib.crc32(w.key[:STEM_CHARS].encode())
            for w in f.words
            if len(w.key) >= 3 and not w.key.isdigit() and w.text.lower() not in stops
        )
    keys = np.array(sorted(stems), dtype=np.uint32)
    dim = vectors.shape[1] if vectors.ndim == 2 else len(lead_vector)
    return ArticleProfile(
        lang=article.lang,
        published=article.published,
        chars=len(article.text),
        vector=_unit(lead_weights(len(vectors)) @ vectors) if len(vectors) else np.zeros(dim, np.float32),
        lead_vector=_unit(np.asarray(lead_vector, dtype=np.float32)),
        sentence_vectors=vectors[:MAX_SENTENCES],
        names=frozenset(names),
        places=frozenset(places),
        numbers=frozenset(numbers),
        dates=frozenset(dates),
        word_keys=keys,
        word_counts=np.array([stems[int(k)] for k in keys], dtype=np.float32),
    )


def _encoder(encoder: str | Encoder) -> Encoder:
    return get_encoder(encoder) if isinstance(encoder, str) else encoder


def build_profile(
    article: str | Article,
    *,
    encoder: str | Encoder = DEFAULT_ENCODER,
    wide_encoder: str | Encoder | None = None,
) -> ArticleProfile:
    """Segment, extract facts and encode one article (text or `Article`); with
    `wide_encoder` (WIDE_ENCODER or a stand-in for it), its vectors of the opening too."""
    enc = _encoder(encoder)
    art = article if isinstance(article, Article) else _read_for_score(article)
    doc = prepare(art)
    texts = [s.text for s in doc.sentences]
    vectors = enc.encode([*texts, lead_text(texts)])
    profile = profile_from_parts(art, vectors[:-1], vectors[-1], sentence_facts(doc))
    return profile if wide_encoder is None else with_wide_vectors(profile, texts, wide_encoder)


def _read_for_score(text: str) -> Article:
    """The text as an Article. A score needs no sure language: a headline too short to
    identify (CW107) is read in its likeliest language, since the encoder is multilingual
    and the language only guides segmenting and reading numbers."""
    try:
        return read_string(text)
    except CrosswireError as exc:
        if exc.code != "CW107":
            raise
        return read_string(text, lang=guess_language(text))


def _set_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared items over the geometric mean of the sizes (the cosine of two sets)."""
    return len(a & b) / float(np.sqrt(len(a) * len(b))) if a and b else 0.0


def _word_overlap(a: ArticleProfile, b: ArticleProfile) -> float:
    if not len(a.word_keys) or not len(b.word_keys):
        return 0.0
    _, ia, ib = np.intersect1d(a.word_keys, b.word_keys, assume_unique=True, return_indices=True)
    dot = float(a.word_counts[ia] @ b.word_counts[ib])
    return dot / float(np.linalg.norm(a.word_counts) * np.linalg.norm(b.word_counts))


def _calibrated_matches(matrix: np.ndarray) -> tuple[float, float]:
    """How far each sentence's best match stands out from its other matches (mean of both
    directions, in robust deviations clipped to 0..MAX_STANDOUT, scaled to 0..1), and the
    share of the fewer sentences whose best match is mutual: scores read against the pair's
    own, as the story linker reads them, not on the encoder's absolute scale."""
    forward, backward = robust_z(matrix, min_spread=MIN_SPREAD), robust_z(matrix.T, min_spread=MIN_SPREAD)
    standout = (
        np.clip(forward.max(axis=1), 0, MAX_STANDOUT).mean() + np.clip(backward.max(axis=1), 0, MAX_STANDOUT).mean()
    ) / (2 * MAX_STANDOUT)
    best = matrix.argmax(axis=1)
    mutual = int((matrix.argmax(axis=0)[best] == np.arange(len(matrix))).sum())
    return float(standout), mutual / min(matrix.shape)


def pair_features(a: ArticleProfile, b: ArticleProfile) -> np.ndarray:
    """The model's inputs for one pair, in FEATURES order; symmetric in a and b."""
    if len(a.sentence_vectors) and len(b.sentence_vectors):
        matrix = a.sentence_vectors @ b.sentence_vectors.T
        sentence_match = (matrix.max(axis=1).mean() + matrix.max(axis=0).mean()) / 2
        top = np.sort(matrix, axis=None)[::-1][:3].mean()
        standout, mutual = _calibrated_matches(matrix)
    else:
        sentence_match = top = standout = mutual = 0.0
    return np.array(
        [
            a.vector @ b.vector,
            a.lead_vector @ b.lead_vector,
            sentence_match,
            top,
            standout,
            mutual,
            _word_overlap(a, b),
            _set_overlap(a.names, b.names),
            _set_overlap(a.numbers, b.numbers),
            _set_overlap(a.dates, b.dates),
            _set_overlap(a.places, b.places),
            float(a.lang == b.lang),
            min(a.chars, b.chars) / max(a.chars, b.chars, 1),
        ],
        dtype=np.float64,
    )


def model_inputs(features: np.ndarray) -> np.ndarray:
    """Features (one row per pair) plus the squared terms, as the model sees them."""
    features = np.atleast_2d(features)
    squared = features[:, [FEATURES.index(name) for name in SQUARED]] ** 2
    return np.hstack([features, squared])


@dataclass(frozen=True)
class SimilarityModel:
    """Logistic regression over standardised `model_inputs`, plus the score at which
    two articles count as the same story."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    same_story_threshold: float

    def score(self, features: np.ndarray) -> np.ndarray:
        z = (model_inputs(features) - self.mean) / self.scale @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "squared": list(SQUARED),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "same_story_threshold": self.same_story_threshold,
        }

    @classmethod
    def from_dict(cls, d: dict) -> SimilarityModel:
        if tuple(d["features"]) != FEATURES or tuple(d["squared"]) != SQUARED:
            raise ValueError("similarity model was fitted on other features; re-run bench/similarity.py --fit")
        return cls(
            np.array(d["mean"]),
            np.array(d["scale"]),
            np.array(d["weights"]),
            float(d["bias"]),
            float(d["same_story_threshold"]),
        )


@functools.lru_cache(maxsize=1)
def default_model() -> SimilarityModel:
    """The shipped model (data/similarity.json), written by `bench/similarity.py --fit`."""
    path = importlib.resources.files("crosswire") / "data" / "similarity.json"
    return SimilarityModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def score_profiles(a: ArticleProfile, b: ArticleProfile, model: SimilarityModel | None = None) -> float:
    """Calibrated 0..1 same-story score of two profiles."""
    return float((model or default_model()).score(pair_features(a, b))[0])


def similarity(a: str | Article, b: str | Article, *, encoder: str | Encoder = DEFAULT_ENCODER) -> float:
    """How likely two articles (text or `Article`, any two languages) report the same
    story, 0..1; `default_model().same_story_threshold` is the same-story cut."""
    enc = _encoder(encoder)
    return score_profiles(build_profile(a, encoder=enc), build_profile(b, encoder=enc))
