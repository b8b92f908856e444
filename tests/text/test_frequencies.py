"""The word frequency table (text/frequencies.py) answers as wordfreq, at or above each floor."""

from __future__ import annotations

import importlib.metadata
import random

import pytest

from crosswire.text import frequencies, names


def test_floors_follow_the_rules_thresholds() -> None:
    # bench/word_frequencies.py: the lowest frequency each rule of names.py can tell apart.
    ref_floor = names.COMMON_WORD_MIN_ZIPF - names.COMMON_WORD_MIN_LEAD
    for lang in {lang for langs in names._REFERENCE_LANGS.values() for lang in langs}:
        assert frequencies.floor(lang) <= ref_floor
        assert frequencies.floor(lang) <= names.RARE_WORD_MAX_ZIPF
    for lang in frequencies.languages() - {"ja", "zh", "ko"}:
        assert frequencies.floor(lang) <= min(names.RARE_WORD_MAX_ZIPF, names.COMMON_WORD_MIN_ZIPF)
    assert frequencies.floor("zh") <= names.COMMON_WORD_MIN_ZIPF
    assert frequencies.floor("ko") == 0.0


@pytest.mark.parametrize(
    "word, lang, zipf",
    [("the", "en", 7.73), ("l'Italie", "fr", 4.86), ("Wagner", "de", 4.4), ("2024", "en", 4.71), ("xyzzyq", "en", 0.0)],
)
def test_known_values(word: str, lang: str, zipf: float) -> None:
    assert frequencies.zipf(word, lang) == zipf


def test_unspaced_languages_have_no_zipf() -> None:
    with pytest.raises(LookupError):
        frequencies.zipf("東京", "ja")
    with pytest.raises(LookupError):
        frequencies.zipf("서울", "ko")


def test_agrees_with_wordfreq() -> None:
    wordfreq = pytest.importorskip("wordfreq")
    if f"wordfreq {importlib.metadata.version('wordfreq')}" != frequencies._index()["source"]:
        pytest.skip("the table was built from another wordfreq version")
    rng = random.Random(3)
    for lang in ("en", "de", "ru", "id", "tr", "ar", "sh"):
        words = rng.sample(list(wordfreq.iter_wordlist(lang)), 300)
        words += [w.upper() for w in words[:50]] + ["l'" + w for w in words[:20]] + [w + "2" for w in words[:20]]
        for word in words:
            true = wordfreq.zipf_frequency(word, lang)
            want = true if true >= frequencies.floor(lang) else frequencies.BELOW_FLOOR
            assert frequencies.zipf(word, lang) == want, (word, lang)
    for lang in ("zh", "ko"):
        full = wordfreq.get_frequency_dict(lang)
        floor = wordfreq.zipf_to_freq(frequencies.floor(lang))
        assert frequencies.frequency_dict(lang) == {w: f for w, f in full.items() if f >= floor}
