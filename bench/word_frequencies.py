"""Build crosswire's word frequency table (src/crosswire/data/words/) from wordfreq, and check it.

    python bench/word_frequencies.py            # write the table (needs wordfreq: pip install -e .[bench])
    python bench/word_frequencies.py --check    # compare it with wordfreq, word by word and rule by rule

names.py tells common words from names by Zipf frequency (crosswire.text.frequencies says how).
Its rules compare frequencies with fixed thresholds only, so the table keeps, per language, the
words at or above the lowest frequency any rule can tell from a lower one (its floor):

- a reference language (en fr de es it pt; ru uk bg mk) is compared with a common word's own
  frequency minus COMMON_WORD_MIN_LEAD, so its floor is COMMON_WORD_MIN_ZIPF - COMMON_WORD_MIN_LEAD
  (1.5); a frequency under it is read as 0.0, and any own frequency >= COMMON_WORD_MIN_ZIPF still
  leads it by COMMON_WORD_MIN_LEAD or more, as it leads the true value;
- any other language is only compared with RARE_WORD_MAX_ZIPF (rare below), COMMON_WORD_MIN_ZIPF
  (common at or above) and, in `is_international_word`, with a reference frequency of at least
  RARE_WORD_MAX_ZIPF plus INTERNATIONAL_MAX_LEAD, which any value under RARE_WORD_MAX_ZIPF is
  below: its floor is RARE_WORD_MAX_ZIPF (2.5);
- Chinese is read as whole words at or above COMMON_WORD_MIN_ZIPF, Korean as whole words (is it
  in the list at all, and how frequent), so Korean keeps every word; Japanese none (it needs
  MeCab, which crosswire does not ship).

A word made of several tokens ("l'italie") combines to less than its rarest token, so a token
under the floor makes the word read 0.0, as its true value is under the floor too.

The word lists are wordfreq's data (Robyn Speer et al.), CC BY-SA 4.0, and so is the table.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import random
import sys
import time
import zlib
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "crosswire" / "data" / "words"
SHARED = ROOT.parent / "shared" / "data"
LICENCE = (
    "Derived from wordfreq's word lists (Robyn Speer et al., https://github.com/rspeer/wordfreq), "
    "CC BY-SA 4.0; shared under the same licence. Built by bench/word_frequencies.py."
)
BLOCK_SIZE = 16  # entries per block: a lookup searches one block


def floors() -> dict[str, float]:
    """Each wordfreq language's floor (see the module docstring), from names.py's thresholds."""
    import wordfreq

    from crosswire.text import names

    ref_floor = min(names.COMMON_WORD_MIN_ZIPF - names.COMMON_WORD_MIN_LEAD, names.RARE_WORD_MAX_ZIPF)
    own_floor = min(names.COMMON_WORD_MIN_ZIPF, names.RARE_WORD_MAX_ZIPF)
    assert own_floor <= names.RARE_WORD_MAX_ZIPF + names.INTERNATIONAL_MAX_LEAD
    refs = {lang for langs in names._REFERENCE_LANGS.values() for lang in langs}
    out = {}
    for lang in sorted(wordfreq.available_languages()):
        out[lang] = ref_floor if lang in refs else own_floor
    out["zh"] = names.COMMON_WORD_MIN_ZIPF
    out["ko"] = 0.0
    return out


def _single_zipf(freq: float) -> float:
    """wordfreq's zipf_frequency of a one-token word whose frequency is `freq`."""
    from wordfreq import freq_to_zipf

    leading_zeroes = math.floor(-math.log(freq, 10))
    return round(freq_to_zipf(round(freq, leading_zeroes + 3)), 2)


def build(out: Path) -> None:
    import langcodes
    import wordfreq
    from wordfreq import cB_to_freq, zipf_to_freq
    from wordfreq.language_info import get_language_info
    from wordfreq.transliterate import SR_LATN_TABLE

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.bin"):
        old.unlink()
    index: dict = {
        "source": f"wordfreq {importlib.metadata.version('wordfreq')}",
        "licence": LICENCE,
        "languages": {},
        "transliterations": {"sr-Latn": {str(k): v for k, v in sorted(SR_LATN_TABLE.items())}},
    }
    total = 0
    for lang, floor in floors().items():
        info = get_language_info(langcodes.get(lang))
        assert info["transliteration"] in (None, "sr-Latn"), (lang, info)
        entry = {
            key: info[key] for key in ("tokenizer", "normal_form", "remove_marks", "dotless_i", "diacritics_under")
        }
        entry |= {"transliteration": info["transliteration"], "floor": floor, "table": lang != "ja", "words": 0}
        index["languages"][lang] = entry
        if lang == "ja":
            continue
        pack = wordfreq.get_frequency_list(lang)
        if lang == "zh":  # names.py compares whole words' frequencies, not Zipf values
            keep = lambda i: cB_to_freq(-i) >= zipf_to_freq(floor)  # noqa: E731
        else:
            keep = lambda i: _single_zipf(cB_to_freq(-i)) >= floor  # noqa: E731
        buckets: dict[str, int] = {}
        for i, bucket in enumerate(pack):
            if bucket and keep(i):
                for word in bucket:
                    assert "\n" not in word and "\t" not in word, (lang, word)
                    buckets[word] = i  # a word listed twice: get_frequency_dict keeps the last
        # Sorted by word (which compresses best), in blocks of BLOCK_SIZE entries: a lookup finds
        # its block by bisecting the blocks' first words, then searches that block's bytes.
        words = sorted(buckets)
        starts = words[::BLOCK_SIZE]
        data = [
            b"".join(b"\n" + w.encode() + b"\t" + str(buckets[w]).encode() for w in words[k : k + BLOCK_SIZE])
            for k in range(0, len(words), BLOCK_SIZE)
        ]
        offsets = array("I", [0])
        for d in data:
            offsets.append(offsets[-1] + len(d))
        if sys.byteorder == "big":
            offsets.byteswap()
        keys = "\n".join(starts).encode()
        blob = (
            len(starts).to_bytes(4, "little")
            + len(keys).to_bytes(4, "little")
            + offsets.tobytes()
            + keys
            + b"".join(data)
        )
        (out / f"{lang}.bin").write_bytes(zlib.compress(blob, 9))
        entry["words"] = len(buckets)
        total += len(buckets)
        print(f"{lang}: {len(buckets)} words (floor {floor})", file=sys.stderr)
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    (out / "LICENCE.txt").write_text(LICENCE + "\n")
    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"{total} words, {size / 1e6:.1f} MB in {out}", file=sys.stderr)


def sample_words(per_list: int, seed: int) -> dict[str, set[str]]:
    """Words to check, per language: the seeds' and rewrite pairs' words (with compound parts),
    and a sample of each wordfreq list (capitalised too)."""
    import wordfreq

    from crosswire.text import names
    from crosswire.text.lang import detect_language

    texts: list[tuple[str, str]] = []
    for name, lang in (("en_wagner_drones.txt", "en"), ("id_wagner_drones.txt", "id")):
        texts.append((lang, (SHARED / "seeds" / name).read_text(encoding="utf-8")))
    for name in ("dev.jsonl", "dev_multi.jsonl"):
        for line in (SHARED / "rewrites" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for side in ("a", "b"):
                text = row[side]["text"]
                lang = row[side].get("lang") or detect_language(text, "<check>")
                texts.append((lang, text))
    out: dict[str, set[str]] = {}
    for lang, text in texts:
        found = out.setdefault(lang, set())
        for m in names._WORD.finditer(text):
            w = m.group()
            found.update((w, w.lower(), w[:1].upper() + w[1:]))
    rng = random.Random(seed)
    for lang in wordfreq.available_languages():
        pack = list(wordfreq.iter_wordlist(lang))
        words = rng.sample(pack, min(per_list, len(pack)))
        out.setdefault(lang, set()).update(words + [w[:1].upper() + w[1:] for w in words])
    return out


def check(per_list: int, seed: int) -> int:
    """Every sampled word's frequency, and every rule of names.py, with the table and with wordfreq."""
    import wordfreq

    from crosswire.text import frequencies, names

    t0 = time.time()
    samples = sample_words(per_list, seed)
    langs = sorted(samples)
    refs = sorted({lang for langs_ in names._REFERENCE_LANGS.values() for lang in langs_})
    failures = 0
    compared = 0
    # 1. zipf, word by word, in the sample's language and every reference language.
    for lang in langs:
        code = names._WORDFREQ_CODES.get(lang, lang)
        if code not in frequencies.languages() or code in ("ja", "zh", "ko"):
            continue
        for target in sorted({code, *refs}):
            floor = frequencies.floor(target)
            for word in sorted(samples[lang]):
                for w in (word, word.lower()):
                    true = wordfreq.zipf_frequency(w, target)
                    got = frequencies.zipf(w, target)
                    want = true if true >= floor else frequencies.BELOW_FLOOR
                    compared += 1
                    if got != want:
                        failures += 1
                        if failures <= 20:
                            print(f"zipf({w!r}, {target!r}): table {got}, wordfreq {true}", file=sys.stderr)
    for lang in ("zh", "ko"):
        full, table = wordfreq.get_frequency_dict(lang), frequencies.frequency_dict(lang)
        threshold = wordfreq.zipf_to_freq(frequencies.floor(lang))
        want_dict = {w: f for w, f in full.items() if f >= threshold}
        compared += 1
        if table != want_dict:
            failures += 1
            print(f"frequency_dict({lang!r}) differs from wordfreq's at or above its floor", file=sys.stderr)
    print(f"zipf: {compared} comparisons, {failures} differ ({time.time() - t0:.0f} s)", file=sys.stderr)

    # 2. names.py's rules, table against wordfreq.
    def rules() -> list[object]:
        for f in (names._zipf, names.is_common_word, names.is_rare_word, names.korean_stem, names._frequency_list):
            f.cache_clear()
        results: list[object] = []
        for lang in langs:
            for word in sorted(samples[lang]):
                results.append((lang, word, names.is_common_word(word, lang), names.is_rare_word(word, lang)))
                results.append(names.is_international_word(word, lang))
                ws = names.words(word, 0, len(word), lang)
                results.append([(w.common, names.is_rare_caseless_word(w, lang)) for w in ws])
                if lang == "ko":
                    stem = names.korean_stem(word)
                    ks = names.words(stem, 0, len(stem), lang)
                    results.append((stem, [names.is_rare_korean_word(w) for w in ks]))
                if lang == "zh" and len(word) > 2:
                    results.append((names._common_zh_affix(word, True), names._common_zh_affix(word, False)))
        return results

    t1 = time.time()
    with_table = rules()
    saved = names._zipf, names._frequency_list
    names._zipf = __import__("functools").lru_cache(maxsize=262144)(  # type: ignore[assignment]
        lambda word, lang: wordfreq.zipf_frequency(word, names._WORDFREQ_CODES.get(lang, lang))
    )
    names._frequency_list = __import__("functools").lru_cache(maxsize=None)(wordfreq.get_frequency_dict)  # type: ignore[assignment]
    try:
        with_wordfreq = rules()
    finally:
        names._zipf, names._frequency_list = saved
    differ = sum(a != b for a, b in zip(with_table, with_wordfreq))
    print(
        f"rules: {len(with_table)} answers over {sum(len(s) for s in samples.values())} words in {len(langs)} "
        f"languages, {differ} differ ({time.time() - t1:.0f} s)",
        file=sys.stderr,
    )
    for a, b in [(a, b) for a, b in zip(with_table, with_wordfreq) if a != b][:20]:
        print(f"  table {a!r} / wordfreq {b!r}", file=sys.stderr)
    return 1 if failures or differ or len(with_table) != len(with_wordfreq) else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare the table with wordfreq instead of writing it")
    ap.add_argument("--sample", type=int, default=2000, help="--check: words sampled from each wordfreq list")
    ap.add_argument("--seed", type=int, default=7, help="--check: the sample's random seed")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the table")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.sample, args.seed)
    build(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
