"""Source normalisation: outlets by name and domain, institutions across languages, anonymous sources."""

import pytest

from crosswire.attribution import find_outlet, lexicon, outlet_for_domain, resolve_source


@pytest.mark.parametrize("text", ["express.co.uk", "Daily Express", "the Express", "www.express.co.uk"])
def test_daily_express_by_name_and_domain(text):
    assert find_outlet(text).name == "Daily Express"


@pytest.mark.parametrize("text", ["mirror.co.uk", "Daily Mirror", "The Mirror", "the Daily Mirror newspaper"])
def test_daily_mirror_by_name_and_domain(text):
    assert find_outlet(text).name == "Daily Mirror"


def test_subdomain_of_a_known_outlet():
    assert outlet_for_domain("edition.cnn.com").name == "CNN"
    assert outlet_for_domain("example.org") is None


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "the White House"), ("id", "Gedung Putih"), ("en", "White House officials")],
)
def test_white_house_across_languages(lang, text):
    entity = resolve_source(text, lexicon(lang))
    assert (entity.key, entity.kind, entity.name) == ("institution:white-house", "institution", "White House")


@pytest.mark.parametrize(
    ("lang", "text", "key"),
    [
        ("en", "a UK intelligence report", "anonymous:report"),
        ("en", "rumours", "anonymous:rumour"),
        ("en", "an arms expert", "anonymous:expert"),
        ("en", "sources close to the negotiations", "anonymous:source"),
        ("id", "seorang ahli senjata", "anonymous:expert"),
        ("id", "laporan intelijen", "anonymous:report"),
    ],
)
def test_anonymous_sources_keep_their_description(lang, text, key):
    entity = resolve_source(text, lexicon(lang))
    assert entity.kind == "anonymous" and entity.key == key and entity.name == text


def test_named_person_and_country():
    assert resolve_source("Yevgeny Prigozhin", lexicon("en")).key == "person:prigozhin"
    china = resolve_source("China", lexicon("id"))
    assert china.kind == "institution" and china.key == "institution:government-cn"


def test_language_without_lexicon_has_none():
    assert lexicon("xx") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("路透社", "Reuters"),
        ("Рейтер", "Reuters"),
        ("رويترز", "Reuters"),
        ("l'AFP", "Agence France-Presse"),
        ("l’agenzia ANSA", "Agenzia Nazionale Stampa Associata"),
    ],
)
def test_outlets_in_other_scripts_elided_articles_and_acronyms(text, name):
    assert find_outlet(text).name == name


def test_institution_inside_a_longer_source_in_any_script():
    assert resolve_source("白宫发言人", lexicon("zh")).key == "institution:white-house"
    assert resolve_source("докладе ООН", lexicon("ru")).key == "institution:united-nations"
    # a short name in lower case is an ordinary word, not an acronym
    assert resolve_source("a senior official in the us", lexicon("en")).kind == "anonymous"
