"""Sentences in another language than their article's are found and said (issue 14):
a Russian quotation inside a Ukrainian news article of the shared WMT22 rewrites."""

import json
from pathlib import Path

import pytest

import io

from rich.console import Console

import crosswire
from crosswire.render.html import render_html
from crosswire.render.terminal import render_comparison
from crosswire.schemas import load_schema
from crosswire.text.lang import other_language

ROOT = Path(__file__).resolve().parents[1]
DEV_MULTI = ROOT / ".." / "shared" / "data" / "rewrites" / "dev_multi.jsonl"
QUOTE = "Путин с Лукашенком не остановятся"


@pytest.fixture(scope="module")
def ukrainian_pair():
    if not DEV_MULTI.is_file():
        pytest.fail(f"{DEV_MULTI} is missing: clone the project with its shared/ folder beside it")
    with DEV_MULTI.open(encoding="utf-8") as lines:
        record = next(r for r in map(json.loads, lines) if QUOTE in r["a"]["text"])
    return record, crosswire.compare(record["a"]["text"], record["b"]["text"], lang_a="uk", lang_b="en")


def test_the_russian_quotation_of_a_ukrainian_article_is_marked(ukrainian_pair):
    _, comparison = ukrainian_pair
    marked = dict(comparison.a.other_languages)
    (index,) = [s.index for s in comparison.a.sentences if QUOTE in s.text]
    assert marked == {index: "ru"}
    assert comparison.b.other_languages == ()
    data = json.loads(json.dumps(comparison.to_dict(), ensure_ascii=False))
    assert data["a"]["other_language_sentences"] == [{"sentence": index, "lang": "ru"}]
    from jsonschema import Draft202012Validator

    Draft202012Validator(load_schema("comparison-1")).validate(data)


def test_the_terminal_and_html_views_say_which_sentences_are_in_another_language(ukrainian_pair):
    _, comparison = ukrainian_pair
    (index,) = dict(comparison.a.other_languages)
    said = f"Article A (uk) mixes languages: sentence {index + 1} reads as ru."
    out = io.StringIO()
    render_comparison(comparison, Console(file=out, width=400, color_system=None))
    assert said in out.getvalue()
    assert said in render_html(comparison)


@pytest.mark.parametrize(
    ("sentence", "lang"),
    [
        # Short sentences and close neighbours stay the article's language.
        ("Das ist gut.", "en"),
        ("Pemerintah akan mengumumkan kebijakan baru pada hari Senin depan.", "ms"),
        ("The minister said the decision would be announced on Monday after the meeting.", "en"),
    ],
)
def test_a_sentence_is_another_language_only_when_sure(sentence, lang):
    assert other_language(sentence, lang) is None


def test_a_whole_sentence_in_another_script_and_language_is_found():
    assert other_language("Министр заявил, что решение будет объявлено в понедельник после встречи.", "en") == "ru"
