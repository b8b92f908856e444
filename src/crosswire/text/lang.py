"""Language identification (py3langid) and validation of user-given language codes.

Every code crosswire hands on is babel's canonical language code: ISO 639-1
where the language has one ("en", "id", "zh"), otherwise ISO 639-3.
"""

from __future__ import annotations

import functools
import importlib.metadata
from array import array
from itertools import islice
import os
from pathlib import Path
import re
import shutil
import tempfile
import threading

from babel import Locale, UnknownLocaleError
import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from crosswire.errors import CrosswireError
from crosswire.settings import user_cache_dir

# Below this many letters (of any script) there is nothing to identify.
MIN_LETTERS = 3
# The model's probabilities are calibrated across text lengths; below this the
# best guess is little better than a coin toss between neighbours. Real news text
# scores 0.95-1.0; short, clear sentences ("Das ist gut.") still score above 0.9.
MIN_CONFIDENCE = 0.5
# py3langid tells Malay from Indonesian poorly and short Indonesian news often scores
# "ms" first with "id" close behind. Indonesian is by far the commoner news language,
# so "id" wins whenever it has at least this fraction of the "ms" score; genuine
# Malay text leaves "id" below a tenth of "ms".
ID_OVER_MS_RATIO = 0.5
# A sentence is said to be in another language than its article's only when it has this
# many letters and the model gives another language at least MIN_OTHER_LANGUAGE_CONFIDENCE,
# which leaves the article's own at most the rest: shorter sentences and close neighbours
# (Indonesian and Malay, Croatian and Serbian), which share the probability, stay the
# article's. On the shared rewrites (9,388 sentences of 40 letters or more in 11
# languages) this flags one sentence: a Russian quotation in a Ukrainian article.
MIN_SENTENCE_LETTERS = 40
MIN_OTHER_LANGUAGE_CONFIDENCE = 0.95
# Identification settles within a few hundred characters; a bounded sample keeps
# the cost of huge inputs bounded too.
MAX_SAMPLE_CHARS = 100_000

# The model splits some languages into regional varieties whose written news is in
# the standard language; their scores count for that language.
_VARIETIES = {"wuu": "zh", "yue": "zh", "ary": "ar", "arz": "ar", "uzs": "uz"}
# The model's label for text with no linguistic content (symbols, keyboard mash).
_NO_LANGUAGE = "zxx"
# Codes babel resolves that name no language ("und" would become "en").
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis"})
_CODE_SHAPE = re.compile(r"[a-z]{2,3}")


_MODEL_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _load_identifier() -> LanguageIdentifier:
    """py3langid's model, from the decompressed copy in the user's cache folder where there is
    one (0.04 s: its largest array is memory-mapped), else from the package's LZMA file
    (0.5 s), then kept in the cache for the next process: `crosswire compare` is a process of
    its own each time."""
    cached = _cached_model_path()
    if cached.is_dir():
        try:
            return _identifier_from(cached)
        except (OSError, ValueError, TypeError):
            shutil.rmtree(cached, ignore_errors=True)  # a partial or foreign copy: rebuilt below
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    _write_cache(identifier, cached)
    return identifier


def _cached_model_path() -> Path:
    """Named by py3langid's version and its model file's size: another model is another folder."""
    size = (MODEL_DIR / MODEL_FILE).stat().st_size
    return user_cache_dir() / f"py3langid-{importlib.metadata.version('py3langid')}-{size}"


def _identifier_from(folder: Path) -> LanguageIdentifier:
    nextmove, row = array("I"), array("H")
    nextmove.frombytes(
        memoryview(np.load(folder / "nextmove.npy", mmap_mode="r").astype(np.uint32, copy=False)).cast("B")
    )
    row.frombytes(np.load(folder / "nextmove_row.npy").astype(np.uint16, copy=False).tobytes())
    return LanguageIdentifier(
        np.load(folder / "ptc.npy", mmap_mode="r"),
        np.load(folder / "pc.npy"),
        np.load(folder / "classes.npy").tolist(),
        nextmove,
        np.load(folder / "out_feat.npy").tolist(),
        norm_probs=True,
        tk_row=row,
    )


def _write_cache(identifier: LanguageIdentifier, folder: Path) -> None:
    """Written whole into a temporary folder, then renamed: another process never reads half a
    copy. A folder that cannot be written (read-only home) leaves the next load as slow."""
    temporary: str | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = tempfile.mkdtemp(dir=folder.parent, suffix=".tmp")
        arrays = {
            "ptc": identifier.nb_ptc,
            "pc": identifier.nb_pc,
            "classes": np.array(identifier.nb_classes),
            "nextmove": np.frombuffer(identifier.tk_nextmove, dtype=np.uint32),
            "nextmove_row": np.frombuffer(identifier.tk_row, dtype=np.uint16),
            "out_feat": np.array(identifier.tk_output, dtype=np.int32),
        }
        for name, values in arrays.items():
            np.save(Path(temporary) / f"{name}.npy", values)
        os.rename(temporary, folder)  # fails if another process was first: its copy stays
    except OSError:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _identifier() -> LanguageIdentifier:
    with _MODEL_LOCK:  # one load, whichever thread asks first (see `preload`)
        return _load_identifier()


def preload() -> None:
    """Start loading the language model in a background thread (see `_load_identifier`), so
    that it overlaps with what the caller does meanwhile (the CLI: importing its commands,
    reading the files); the first identification waits for it."""
    if _load_identifier.cache_info().currsize == 0:
        threading.Thread(target=_identifier, name="crosswire-langid", daemon=True).start()


def detect_language(text: str, source: str = "<string>") -> str:
    """Return the language code of `text`, or raise CW107 when it cannot be told confidently."""
    sample = text[:MAX_SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        raise _unidentified(source, "the text has almost no letters")
    best, confidence = _ranked_languages(sample)[0]
    if best == _NO_LANGUAGE:
        raise _unidentified(source, "the text does not look like any natural language")
    if confidence < MIN_CONFIDENCE:
        raise _unidentified(source, f"best guess '{best}' is only {confidence:.0%} likely")
    canonical = canonical_language(best)
    if canonical is None:
        raise _unidentified(source, f"it looks like '{best}', which crosswire does not support")
    return canonical


def guess_language(text: str) -> str:
    """The likeliest language of `text` that crosswire supports, however unsure, for
    callers that must read every text (a similarity score for a headline-only article),
    where detect_language would refuse it."""
    return next(
        code
        for code in map(canonical_language, (label for label, _ in _ranked_languages(text[:MAX_SAMPLE_CHARS])))
        if code
    )


def other_language(sentence: str, article_lang: str) -> str | None:
    """The language of a sentence that is confidently not its article's (a quotation, a
    passage left untranslated), else None."""
    if not _has_letters(sentence, MIN_SENTENCE_LETTERS):
        return None
    label, confidence = _identifier().classify(sentence[:MAX_SAMPLE_CHARS])
    if confidence < MIN_OTHER_LANGUAGE_CONFIDENCE:
        return None
    code = canonical_language(_VARIETIES.get(label, label))
    return code if code is not None and code != article_lang else None


def _has_letters(text: str, count: int) -> bool:
    """Whether `text` has at least `count` letters (of any script). Stops at the count:
    counting every letter of a whole article cost a third as much as identifying its
    language."""
    return len(text) >= count and next(islice((ch for ch in text if ch.isalpha()), count - 1, None), None) is not None


def _ranked_languages(sample: str) -> list[tuple[str, float]]:
    """(label, probability) of every language of the model, likeliest first, varieties
    counted for their standard language."""
    scores: dict[str, float] = {}
    for label, probability in _identifier().rank(sample):
        code = _VARIETIES.get(label, label)
        scores[code] = scores.get(code, 0.0) + probability
    if (
        scores.get("id", 0.0) >= ID_OVER_MS_RATIO * scores.get("ms", 0.0)
        and max(scores, key=scores.__getitem__) == "ms"
    ):
        scores["id"] += scores.pop("ms")
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def check_language_code(code: str, source: str) -> str:
    """Validate a user-given code (CW108 if unknown); return its canonical form ("deu" -> "de")."""
    canonical = canonical_language(code) if _CODE_SHAPE.fullmatch(code) else None
    if canonical is None:
        detail = f"'{code}' is not a known language code; use a lowercase ISO 639 code such as 'en' or 'id'"
        raise CrosswireError("CW108", source, detail)
    return canonical


@functools.lru_cache(maxsize=1024)
def canonical_language(code: str) -> str | None:
    """The code as crosswire names the language (CLDR's: "deu" -> "de", "tl" -> "fil"), or None
    for a code that names no language."""
    if code in _NOT_LANGUAGES:
        return None
    try:
        return Locale.parse(code).language
    except (UnknownLocaleError, ValueError):
        return None


def _unidentified(source: str, reason: str) -> CrosswireError:
    return CrosswireError("CW107", source, f"could not identify the language ({reason}); pass --lang-a/--lang-b")
