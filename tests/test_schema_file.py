"""The bundled JSON Schema describes exactly what Comparison.to_dict() produces."""

from __future__ import annotations

import json

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from crosswire.model import SCHEMA_ID, Article, Comparison, Difference, Document, Link, Sentence, Skipped, Span
from crosswire.schemas import load_schema

EN = "Officials said 2,500 people left <script>alert(1)</script>. Mayor [bold red]Kōri[/] spoke. Baca Juga: more"
RU = "Власти сообщили, что эвакуированы 3 000 человек. Мэр Кори выступила."


def _sent(text: str, i: int, s: str) -> Sentence:
    start = text.index(s)
    return Sentence(i, start, start + len(s), s)


def _span(text: str, s: str) -> Span:
    start = text.index(s)
    return Span(start, start + len(s), s)


def make_comparison() -> Comparison:
    a_sents = (
        _sent(EN, 0, "Officials said 2,500 people left <script>alert(1)</script>."),
        _sent(EN, 1, "Mayor [bold red]Kōri[/] spoke."),
    )
    b_sents = (_sent(RU, 0, "Власти сообщили, что эвакуированы 3 000 человек."), _sent(RU, 1, "Мэр Кори выступила."))
    skipped = _span(EN, "Baca Juga: more")
    a = Document(
        Article(EN, "en", url="javascript:alert(1)", title="<img src=x onerror=alert(1)>"),
        a_sents,
        (Skipped(skipped.start, skipped.end, skipped.text, "related-link"),),
    )
    b = Document(Article(RU, "ru", source="ru.txt", published="2024-03-04"), b_sents, ())
    links = (
        Link((0,), (0,), 0.912345, (Difference("number", _span(EN, "2,500"), _span(RU, "3 000"), note="+20%"),)),
        Link(
            (1,),
            (1,),
            0.8,
            (
                Difference("name_variant", _span(EN, "Kōri"), _span(RU, "Кори")),
                Difference("name", None, _span(RU, "Мэр")),
            ),
        ),
    )
    return Comparison(a=a, b=b, links=links, only_a=(), only_b=(), encoder="use-m")


@pytest.fixture(scope="module")
def schema() -> dict:
    return load_schema("comparison-1")


@pytest.fixture
def data() -> dict:
    # Round-trip through JSON, as a consumer of the output would see it.
    return json.loads(json.dumps(make_comparison().to_dict(), ensure_ascii=False))


def test_schema_is_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID == "crosswire.comparison/1"


def test_load_schema_accepts_suffix_and_rejects_unknown(schema):
    assert load_schema("comparison-1.json") == schema
    with pytest.raises(FileNotFoundError):
        load_schema("no-such-schema")
    with pytest.raises(FileNotFoundError):
        load_schema("../model")


def test_to_dict_validates(schema, data):
    Draft202012Validator(schema).validate(data)


def test_missing_links_rejected(schema, data):
    del data["links"]
    with pytest.raises(jsonschema.ValidationError):
        Draft202012Validator(schema).validate(data)


@pytest.mark.parametrize("key", ["schema", "encoder", "a", "b", "only_a", "only_b"])
def test_other_required_keys(schema, data, key):
    del data[key]
    assert not Draft202012Validator(schema).is_valid(data)


def test_additional_properties_allowed_top_level_and_documents(schema, data):
    data["future_addition"] = {"chain": []}
    data["a"]["attributions"] = [{"start": 0, "end": 3}]
    data["b"]["attributions"] = []
    Draft202012Validator(schema).validate(data)


def _set(path, value):
    def mutate(d):
        *head, last = path
        for k in head:
            d = d[k]
        d[last] = value

    return mutate


def _drop(path):
    def mutate(d):
        *head, last = path
        for k in head:
            d = d[k]
        del d[last]

    return mutate


@pytest.mark.parametrize(
    "mutate",
    [
        _set(["links", 0, "differences", 0, "a", "extra"], 1),  # spans are closed
        _set(["links", 0, "differences", 0, "kind"], "colour"),
        _set(["links", 0, "status"], "different"),
        _set(["links", 0, "score"], "high"),
        _set(["a", "sentences", 0, "start"], "0"),
        _set(["a", "sentences", 0, "extra"], True),
        _drop(["a", "lang"]),
        _drop(["b", "sentences"]),
        _set(["a", "url"], 3),
        _set(["schema"], "crosswire.comparison/2"),
        _set(["only_a"], ["1"]),
        _drop(["a", "skipped", 0, "reason"]),
    ],
)
def test_invalid_values_rejected(schema, data, mutate):
    mutate(data)
    assert not Draft202012Validator(schema).is_valid(data)


def test_nullable_fields(schema, data):
    assert data["a"]["published"] is None and data["b"]["title"] is None
    assert data["links"][1]["differences"][1]["a"] is None
    Draft202012Validator(schema).validate(data)
    data["links"][0]["differences"][0].pop("note")
    Draft202012Validator(schema).validate(data)
