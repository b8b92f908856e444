"""crosswire.similarity: same story across languages scores high, unrelated low;
profiles round-trip; quality floor on a fixed slice of the SemEval development pairs."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import crosswire
from crosswire.similarity import (
    ArticleProfile,
    FEATURES,
    build_profile,
    default_model,
    pair_features,
    score_profiles,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

FLOOD_EN = (
    "Floods in Valencia: 42 people evacuated after torrential rain.\n"
    "Emergency services in Valencia evacuated 42 residents on Tuesday after the Turia river burst its banks. "
    "Mayor Maria Catala said the city would open three shelters and close 15 schools until Friday. "
    "The weather agency in Spain, AEMET, warned that another 120 litres per square metre could fall overnight."
)
FLOOD_DE = (
    "Überschwemmungen in Valencia: 42 Menschen nach Starkregen evakuiert.\n"
    "Rettungskräfte in Valencia haben am Dienstag 42 Anwohner in Sicherheit gebracht, nachdem der Fluss Turia "
    "über die Ufer getreten war. Bürgermeisterin Maria Catala sagte, die Stadt öffne drei Notunterkünfte und "
    "schließe 15 Schulen bis Freitag. Der Wetterdienst in Spanien, AEMET, warnte, in der Nacht könnten weitere "
    "120 Liter pro Quadratmeter fallen."
)
CHIPS_EN = (
    "Chip maker reports record quarterly profit.\n"
    "The company said revenue rose 18% to 12.4 billion dollars, driven by demand for data-centre processors. "
    "Its chief executive told analysts that supply constraints would ease next year. "
    "Shares rose 5% in after-hours trading in New York."
)


@pytest.fixture(scope="module")
def profiles() -> dict[str, ArticleProfile]:
    return {
        "flood_en": build_profile(crosswire.Article(FLOOD_EN, "en")),
        "flood_de": build_profile(crosswire.Article(FLOOD_DE, "de")),
        "chips_en": build_profile(crosswire.Article(CHIPS_EN, "en")),
    }


def test_same_story_across_languages_scores_above_the_same_story_threshold(profiles):
    score = score_profiles(profiles["flood_en"], profiles["flood_de"])
    assert score >= default_model().same_story_threshold
    assert score > 0.5


def test_unrelated_articles_score_low(profiles):
    assert score_profiles(profiles["flood_en"], profiles["chips_en"]) < 0.2
    assert score_profiles(profiles["flood_de"], profiles["chips_en"]) < 0.2


def test_score_is_symmetric_and_in_range(profiles):
    a, b = profiles["flood_en"], profiles["flood_de"]
    assert score_profiles(a, b) == pytest.approx(score_profiles(b, a), abs=1e-9)
    for x in profiles.values():
        for y in profiles.values():
            assert 0.0 <= score_profiles(x, y) <= 1.0


def test_profiles_carry_facts_that_cross_languages(profiles):
    en, de = profiles["flood_en"], profiles["flood_de"]
    assert {"42", "15", "120"} <= en.numbers & de.numbers
    assert "ES" in en.places & de.places  # "Spain", "Spanien" -> the CLDR code
    assert len(en.names & de.names) >= 3  # Valencia, Turia, Catala, AEMET ...


def test_similarity_takes_text_or_articles():
    score = crosswire.similarity(crosswire.Article(FLOOD_EN, "en"), FLOOD_DE)
    assert score == pytest.approx(
        score_profiles(build_profile(crosswire.Article(FLOOD_EN, "en")), build_profile(FLOOD_DE)), abs=1e-6
    )


def test_a_text_too_short_to_identify_still_gets_a_score():
    # Headline-only article (team-written): too short for a sure language (CW107 in compare).
    headline = "Bridge reopens\nNotes FROM THE VALLEY"
    assert 0.0 <= crosswire.similarity(headline, FLOOD_EN) <= 1.0


def test_profile_round_trips_through_bytes(profiles):
    for profile in profiles.values():
        again = ArticleProfile.from_bytes(profile.to_bytes())
        assert (again.lang, again.published, again.chars) == (profile.lang, profile.published, profile.chars)
        assert (again.names, again.places, again.numbers, again.dates) == (
            profile.names,
            profile.places,
            profile.numbers,
            profile.dates,
        )
        assert np.array_equal(again.word_keys, profile.word_keys)
        # float16 storage: features move by less than 1e-3
        assert np.allclose(
            pair_features(again, profiles["flood_de"]), pair_features(profile, profiles["flood_de"]), atol=1e-3
        )


def test_shipped_model_matches_the_feature_list():
    assert default_model().weights.shape == (len(FEATURES) + 6,)
    assert 0.0 < default_model().same_story_threshold < 1.0


# Quality gate: the first SLICE SemEval development pairs (pair_id two plain numbers),
# scored by the shipped model. The model was fitted on the whole file, so this is an
# in-sample figure: it guards profile and feature extraction against regressions; the
# honest (cross-validated) figure comes from bench/similarity.py.
SLICE = 120
# Pinned at the measured values minus 0.02; raise them as quality improves.
PEARSON_FLOOR = 0.753  # measured 0.7735 (plain cosine of mean vectors on this slice: 0.672)
SAME_STORY_F1_FLOOR = 0.776  # measured 0.796 (P 0.860, R 0.740)


def test_quality_gate_semeval_slice():
    from similarity import DEFAULT_FILE, CachingEncoder, load_pairs, pair_table, pearson, prf, same_story_labels

    path = ROOT / DEFAULT_FILE
    if not path.is_file():
        pytest.fail(f"benchmark data not found at {path} (it lives outside the repo, in ../shared/data)")
    pairs = load_pairs(str(path), SLICE)
    assert len(pairs) == SLICE
    features, baseline = pair_table(pairs, CachingEncoder())
    overall = np.array([p.overall for p in pairs])
    scores = default_model().score(features)
    assert pearson(scores, -overall) >= PEARSON_FLOOR
    assert pearson(scores, -overall) > pearson(baseline, -overall) + 0.05
    _, _, f1 = prf(scores >= default_model().same_story_threshold, same_story_labels(overall))
    assert f1 >= SAME_STORY_F1_FLOOR
