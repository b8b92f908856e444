"""Acceptance facts of crosswire.compare on the seed pair, plus small cross-script pairs."""

from pathlib import Path

import pytest

import crosswire
from crosswire.schemas import load_schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / ".." / "shared" / "data" / "seeds"


def _read(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.fail(f"seed file {path} is missing: clone the project with its shared/ folder beside it")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds():
    en, idn = _read("en_wagner_drones.txt"), _read("id_wagner_drones.txt")
    return en, idn, crosswire.compare(en, idn, lang_a="en", lang_b="id")


def _sentences(comparison, side):
    return (comparison.a if side == "a" else comparison.b).sentences


def _index(comparison, side, needle):
    """The one sentence on `side` that contains `needle`."""
    hits = [s.index for s in _sentences(comparison, side) if needle in s.text]
    assert len(hits) == 1, f"{needle!r} is in {len(hits)} sentences on side {side}"
    return hits[0]


def _link(comparison, needle_a, needle_b):
    ia, ib = _index(comparison, "a", needle_a), _index(comparison, "b", needle_b)
    links = [link for link in comparison.links if ia in link.a and ib in link.b]
    assert links, f"no link joins {needle_a!r} with {needle_b!r}"
    return links[0]


def test_drone_shipment_is_linked_without_number_change(seeds):
    en, idn, c = seeds
    link = _link(c, "2,500 DJI", "2.500 drone DJI")
    assert [d for d in link.differences if d.kind == "number"] == []


def test_mavix2_is_a_name_variant_with_exact_spans(seeds):
    en, idn, c = seeds
    link = _link(c, "2,500 DJI", "2.500 drone DJI")
    variants = [d for d in link.differences if d.kind == "name_variant" and d.a.text == "Mavix2"]
    assert len(variants) == 1
    (d,) = variants
    assert "Mavic" in d.b.text
    assert en[d.a.start : d.a.end] == d.a.text
    assert idn[d.b.start : d.b.end] == d.b.text


def test_all_difference_spans_slice_the_originals(seeds):
    en, idn, c = seeds
    for link in c.links:
        for d in link.differences:
            if d.a:
                assert en[d.a.start : d.a.end] == d.a.text
            if d.b:
                assert idn[d.b.start : d.b.end] == d.b.text


@pytest.mark.parametrize(
    ("needle_a", "needle_b"),
    [
        ("Two covert networks", "dua jaringan terselubung"),
        ("St. Petersburg", "St Petersburg"),
        ("swarm platform", "platform swarm"),
    ],
)
def test_translated_sentences_are_linked(seeds, needle_a, needle_b):
    _link(seeds[2], needle_a, needle_b)


def test_serbia_recruitment_is_only_in_a(seeds):
    c = seeds[2]
    assert _index(c, "a", "soliciting recruits") in c.only_a
    a = _sentences(c, "a")
    for link in c.links:
        assert not any("Serbia" in a[i].text for i in link.a), link


@pytest.mark.parametrize("needle", ["10%", "40.000"])
def test_id_only_figures_are_only_in_b(seeds, needle):
    c = seeds[2]
    assert _index(c, "b", needle) in c.only_b


def test_related_article_lines_are_skipped(seeds):
    c = seeds[2]
    b = _sentences(c, "b")
    assert not any("Baca Juga" in s.text for s in b)
    related = [k for k in c.b.skipped if k.text.startswith("Baca Juga")]
    assert len(related) == 2
    assert all(k.reason == "related" for k in related)
    idn = seeds[1]
    assert all(idn[k.start : k.end] == k.text for k in c.b.skipped)


def test_sentences_slice_the_originals(seeds):
    en, idn, c = seeds
    assert all(en[s.start : s.end] == s.text for s in c.a.sentences)
    assert all(idn[s.start : s.end] == s.text for s in c.b.sentences)
    linked_a = {i for link in c.links for i in link.a}
    linked_b = {j for link in c.links for j in link.b}
    assert linked_a.isdisjoint(c.only_a) and linked_b.isdisjoint(c.only_b)
    assert linked_a | set(c.only_a) == set(range(len(c.a.sentences)))
    assert linked_b | set(c.only_b) == set(range(len(c.b.sentences)))


def test_comparison_validates_against_schema(seeds):
    jsonschema = pytest.importorskip("jsonschema")
    schema = load_schema("comparison-1")
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(seeds[2].to_dict()))
    assert errors == []


def test_seed_pair_has_no_spurious_name_change(seeds):
    c = seeds[2]
    names = [(d.a.text, d.b.text) for link in c.links for d in link.differences if d.kind == "name"]
    assert ("CEO", "Grup") not in names


# --- small cross-script pairs written for these tests ------------------------------

EN_ROSATOM = (
    "The company Rosatom signed a contract with Egypt on Monday. "
    "Under the deal, it will build four reactors worth 25 billion dollars. "
    "The first unit should start working in 2028. "
    "Critics say the project is far too expensive."
)
# Translation with 25 -> 30 and the last sentence dropped.
RU_ROSATOM = (
    "Компания Росатом в понедельник подписала контракт с Египтом. "
    "По условиям сделки она построит четыре реактора стоимостью 30 миллиардов долларов. "
    "Первый энергоблок должен заработать в 2028 году."
)


@pytest.fixture(scope="module")
def rosatom():
    return crosswire.compare(EN_ROSATOM, RU_ROSATOM, lang_a="en", lang_b="ru")


def test_russian_changed_number_has_exact_spans(rosatom):
    c = rosatom
    link = _link(c, "25 billion", "30 миллиардов")
    assert link.status == "changed"
    numbers = [d for d in link.differences if d.kind == "number"]
    assert len(numbers) == 1
    (d,) = numbers
    assert (d.a.text, d.b.text) == ("25", "30")
    assert EN_ROSATOM[d.a.start : d.a.end] == "25"
    assert RU_ROSATOM[d.b.start : d.b.end] == "30"
    assert d.a.start == EN_ROSATOM.index("25 billion")
    assert d.b.start == RU_ROSATOM.index("30 миллиардов")


def test_russian_unchanged_sentences_are_linked_and_same(rosatom):
    c = rosatom
    assert _link(c, "Rosatom signed", "Росатом").status == "same"
    assert _link(c, "in 2028", "в 2028 году").status == "same"


def test_russian_dropped_sentence_is_only_in_a(rosatom):
    c = rosatom
    assert _index(c, "a", "Critics say") in c.only_a
    assert c.only_b == ()


EN_DRONES = (
    "Over 2,500 drones were shipped from Beijing to Moscow. "
    "The drones can carry explosives. "
    "Experts say the deal breaks sanctions."
)
JA_DRONES = (
    "3,000台以上のドローンが北京からモスクワに送られた。"
    "そのドローンは爆発物を運ぶことができる。"
    "専門家は、この取引は制裁に違反していると言う。"
)


def test_japanese_translation_links_and_number_change():
    c = crosswire.compare(EN_DRONES, JA_DRONES, lang_a="en", lang_b="ja")
    assert len(c.a.sentences) == 3 and len(c.b.sentences) == 3
    assert len(c.links) == 3 and c.only_a == () and c.only_b == ()
    link = _link(c, "2,500 drones", "3,000台")
    numbers = [d for d in link.differences if d.kind == "number"]
    assert [(d.a.text, d.b.text) for d in numbers] == [("2,500", "3,000")]
    assert link.status == "changed"
    for d in numbers:
        assert EN_DRONES[d.a.start : d.a.end] == d.a.text
        assert JA_DRONES[d.b.start : d.b.end] == d.b.text
    assert all(other.status == "same" for other in c.links if other is not link)


FR_REFUND = (
    "Le ministre des Finances a parlé mercredi devant la commission. "
    "M. Morneau a expliqué qu'il avait remboursé cet argent à l'association le matin même. "
    "Le gouvernement a refusé de commenter."
)
# Translation with the surname swapped; "Herr" (Mr) and "Morgen" (morning) stand where the
# name stood and near it, and neither translates nor spells it.
DE_REFUND = (
    "Der Finanzminister sprach am Mittwoch vor dem Ausschuss. "
    "Herr Caisse erklärte, dass er das Geld am Morgen an den Verein zurückgezahlt habe. "
    "Die Regierung lehnte eine Stellungnahme ab."
)


def test_swapped_surname_after_a_title_is_a_name_change():
    c = crosswire.compare(FR_REFUND, DE_REFUND, lang_a="fr", lang_b="de")
    link = _link(c, "Morneau", "Caisse")
    names = [(d.kind, d.a.text, d.b.text) for d in link.differences if d.kind in ("name", "name_variant")]
    assert names == [("name", "Morneau", "Caisse")]
    assert _link(c, "Le gouvernement", "Die Regierung").status == "same"
