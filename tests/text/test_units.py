"""Units after a number, from CLDR's patterns, and conversions between units (crosswire.text.units),
and what the number check makes of a converted measurement (crosswire.diff)."""

from decimal import Decimal

import pytest

from crosswire.analyse import prepare, sentence_facts
from crosswire.diff import link_differences
from crosswire.encode import get_encoder
from crosswire.model import Article
from crosswire.text.units import converted, unit_after


@pytest.mark.parametrize(
    ("text", "lang", "unit"),
    [
        ("waves as high as 20 feet, officials said", "en", "length-foot"),
        ("valovi visoki do 6 metara.", "hr", "length-meter"),
        ("limits of 40 mph on the bridge", "en", "speed-mile-per-hour"),
        ("a 56 km/h zone", "en", "speed-kilometer-per-hour"),
        ("浪高20英尺高", "zh", "length-foot"),
        ("7 nautičkih milja od obale", "hr", "length-nautical-mile"),
    ],
)
def test_unit_after_a_number(text, lang, unit):
    digits = next(i for i, c in enumerate(text) if c.isdigit())
    end = digits + next(i for i, c in enumerate(text[digits:]) if not c.isdigit())
    assert unit_after(text, end, lang) == unit


@pytest.mark.parametrize(
    ("text", "lang"), [("20 mice", "en"), ("at 5 pm", "en"), ("5 mostly", "en"), ("380 stanovnika", "hr")]
)
def test_no_unit_after_a_number(text, lang):
    end = next(i for i, c in enumerate(text) if not c.isdigit())
    assert unit_after(text, end, lang) is None


def test_a_measurement_converted_and_rounded_is_one_measurement():
    assert converted(Decimal(20), "length-foot", Decimal(6), "length-meter")
    assert converted(Decimal(40), "speed-mile-per-hour", Decimal(64), "speed-kilometer-per-hour")
    assert converted(Decimal(100), "temperature-fahrenheit", Decimal(38), "temperature-celsius")


def test_a_conversion_that_disagrees_or_mixes_quantities_is_not():
    assert not converted(Decimal(20), "length-foot", Decimal(9), "length-meter")
    assert not converted(Decimal(20), "length-foot", Decimal(6), "mass-kilogram")
    assert not converted(Decimal(20), None, Decimal(6), "length-meter")


def _number_changes(text_a: str, lang_a: str, text_b: str, lang_b: str) -> list[tuple[str, str]]:
    facts_a = sentence_facts(prepare(Article(text_a, lang_a)))
    facts_b = sentence_facts(prepare(Article(text_b, lang_b)))
    encoder = get_encoder("use-m")
    (found,) = link_differences([(facts_a, facts_b)], text_a, text_b, encoder.encode, encoder.calibration.word_same)
    return [(d.a.text, d.b.text) for d in found if d.kind == "number"]


EARTHQUAKE = "The earthquake triggered waves as high as 20 feet, the agency said."


def test_feet_converted_to_metres_is_no_number_change():
    # WMT22 en->hr: "20 feet" / "6 metara" was reported as a changed number.
    croatian = "Potres je uzrokovao valove visine do 6 metara, izjavila je agencija."
    assert _number_changes(EARTHQUAKE, "en", croatian, "hr") == []


def test_a_converted_measurement_that_disagrees_is_a_number_change():
    croatian = "Potres je uzrokovao valove visine do 9 metara, izjavila je agencija."
    assert _number_changes(EARTHQUAKE, "en", croatian, "hr") == [("20", "9")]
