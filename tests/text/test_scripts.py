"""Which languages and words are written without spaces (crosswire.text.scripts)."""

import pytest

from crosswire.text.scripts import in_unspaced_script, joins_words, writes_without_spaces


# By the script CLDR gives the language, so languages no list names are read alike:
# Cantonese, Tibetan, Dzongkha, Shan.
@pytest.mark.parametrize("lang", ["zh", "ja", "th", "lo", "km", "my", "yue", "bo", "dz", "shn", "zh-Hant"])
def test_languages_written_without_spaces(lang):
    assert writes_without_spaces(lang)
    assert joins_words(lang)


@pytest.mark.parametrize("lang", ["en", "vi", "hi", "ar", "am", "ka", "xx"])
def test_languages_written_with_spaces(lang):
    assert not writes_without_spaces(lang)
    assert not joins_words(lang)


def test_korean_is_spaced_but_joins_particles_to_words():
    assert not writes_without_spaces("ko")
    assert joins_words("ko")


@pytest.mark.parametrize(
    ("word", "unspaced"), [("中国", True), ("ລາວ", True), ("ភ្នំពេញ", True), ("서울", False), ("Paris", False)]
)
def test_words_of_an_unspaced_script(word, unspaced):
    assert in_unspaced_script(word) is unspaced
