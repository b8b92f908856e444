"""Multilingual attribution test set: short news-like sentences in 12 languages.

The sentences in `data/multilingual.jsonl` were written for this project (none is
copied from a publisher). Each record has an `id`, `lang` and `text`, and either

- `cue`, `cue_kind`, `source` and optionally `entity`: one attribution that must be
  found in the sentence, or
- `"attribution": null`: the sentence attributes nothing, so none may be found.

Matching is exact, not lenient: an expected attribution is found when one
extracted attribution has
- the cue span text equal to `cue` and the lexicon kind equal to `cue_kind`;
- the source span text equal to `source` (for a hedge, and for a verb whose subject
  a pro-drop language leaves out, `"...", añadió`, `source` is null and the
  attribution has no source span);
- the entity kind equal to `entity` (outlet / institution / person / pronoun /
  anonymous) when the record gives one.
Other attributions in the same sentence are allowed. By convention a source
span leaves off a leading definite article ("the", "le", "der", "el", "il", ...)
and keeps an indefinite one, as the lexicons' `skip` words do.

A record with `engine_issue` is a language-generic pattern that
crosswire.attribution.extract does not handle yet; its sentence-level test is an
xfail(strict=True), so it runs, and fails the suite once the engine is fixed and
the marker is due to be removed. Those sentences still count in the per-language
accuracy, which must be at least 0.9 in every language.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from crosswire.attribution import extract_attributions
from crosswire.text.segment import segment

DATA = Path(__file__).parent / "data" / "multilingual.jsonl"
LANGUAGES = ("en", "id", "fr", "de", "es", "pt", "it", "ru", "ar", "zh", "tr", "pl")
MIN_ATTRIBUTED = 12
MIN_ACCURACY = 0.9


def _cases() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


CASES = _cases()


def _extract(case: dict):
    text, lang = case["text"], case["lang"]
    sentences, _ = segment(text, lang)
    return extract_attributions(text, sentences, lang)


def _matches(case: dict, attribution) -> bool:
    source = attribution.source.text if attribution.source else None
    return (
        attribution.cue.text == case["cue"]
        and attribution.cue_kind == case["cue_kind"]
        and source == case["source"]
        and ("entity" not in case or attribution.entity.kind == case["entity"])
    )


def _passes(case: dict, attributions) -> bool:
    if "cue" not in case:
        return not attributions
    return any(_matches(case, a) for a in attributions)


def _describe(attributions) -> str:
    return (
        "; ".join(
            f"{a.cue_kind} cue={a.cue.text!r} source={a.source.text if a.source else None!r} entity={a.entity.kind}"
            for a in attributions
        )
        or "no attribution"
    )


def test_the_set_covers_every_language():
    attributed: dict[str, int] = defaultdict(int)
    unattributed: dict[str, int] = defaultdict(int)
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert case["lang"] in LANGUAGES, case["id"]
        if "cue" in case:
            assert case["cue"] in case["text"], case["id"]
            assert case["source"] is None or case["source"] in case["text"], case["id"]
            attributed[case["lang"]] += 1
        else:
            assert case["attribution"] is None, case["id"]
            unattributed[case["lang"]] += 1
    for lang in LANGUAGES:
        assert attributed[lang] >= MIN_ATTRIBUTED, lang
        assert unattributed[lang] >= 1, lang


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, id=case["id"], marks=[pytest.mark.xfail(strict=True, reason=case["engine_issue"])])
        if "engine_issue" in case
        else pytest.param(case, id=case["id"])
        for case in CASES
    ],
)
def test_sentence(case):
    attributions = _extract(case)
    want = (
        f"{case['cue_kind']} cue={case['cue']!r} source={case['source']!r} entity={case.get('entity')}"
        if "cue" in case
        else "no attribution"
    )
    assert _passes(case, attributions), f"{case['text']}\n want: {want}\n got:  {_describe(attributions)}"


def test_per_language_accuracy(capsys):
    passed: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for case in CASES:
        total[case["lang"]] += 1
        passed[case["lang"]] += _passes(case, _extract(case))
    accuracy = {lang: passed[lang] / total[lang] for lang in LANGUAGES}
    with capsys.disabled():
        print("\nattribution accuracy per language (exact cue and source spans):")
        for lang in LANGUAGES:
            print(f"  {lang}: {passed[lang]:2d}/{total[lang]:2d} = {accuracy[lang]:.2f}")
    low = {lang: round(value, 2) for lang, value in accuracy.items() if value < MIN_ACCURACY}
    assert not low, f"languages under {MIN_ACCURACY}: {low}"
