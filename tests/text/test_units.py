"""Units after a number, from CLDR's patterns, and conversions between units (crosswire.text.units)."""

from decimal import Decimal

import pytest

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
