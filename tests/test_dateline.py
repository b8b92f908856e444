"""Headlines and datelines of plain-text articles (crosswire.read.dateline), in several
languages and scripts: the texts are written for these tests."""

import pytest

from crosswire.read import read_string
from crosswire.read.dateline import dateline, headline


@pytest.mark.parametrize(
    ("text", "lang", "place", "outlet", "date"),
    [
        ("JAKARTA, Jan 31 (Reuters) - Heavy rain flooded the city.", "en", "JAKARTA", "Reuters", None),
        ("LONDON, Jan 31, 2024 (Reuters) - Heavy rain flooded the city.", "en", "LONDON", "Reuters", "2024-01-31"),
        ("JAKARTA, KOMPAS.com - Hujan deras membanjiri kota.", "id", "JAKARTA", "KOMPAS.com", None),
        ("PARIS, 3 mars 2024 (AFP) — Le gouvernement a annoncé un plan.", "fr", "PARIS", "AFP", "2024-03-03"),
        ("BERLIN (dpa) - Die Regierung hat einen Plan vorgestellt.", "de", "BERLIN", "dpa", None),
        ("МОСКВА, 31 января 2024 (Reuters) - Сильный дождь затопил город.", "ru", "МОСКВА", "Reuters", "2024-01-31"),
        ("NEW YORK, 5. Mai 2024 (AP) – Der Stadtrat hat entschieden.", "de", "NEW YORK", "AP", "2024-05-05"),
    ],
)
def test_a_dateline_gives_place_outlet_and_date(text, lang, place, outlet, date):
    found = dateline(text, lang)
    assert (found.place, found.outlet, found.date) == (place, outlet, date)


@pytest.mark.parametrize(
    "text",
    [
        "The council voted on Tuesday - a close vote - to build the bridge.",
        "In a covert deal - reported by the Mirror - the drones were sent.",
        "北京1月31日电 - 新华社报道。",  # no case: no place in capitals to read
    ],
)
def test_text_without_a_dateline_has_none(text):
    assert dateline(text, "en") is None


def test_the_first_line_is_the_headline_when_it_reads_as_one():
    assert headline("Floods hit Jakarta\n\nHeavy rain flooded the city on Monday.") == "Floods hit Jakarta"
    assert headline("Heavy rain flooded the city on Monday.\nMore rain is expected.") is None  # a sentence
    assert headline("Floods hit Jakarta") is None  # nothing after it
    assert headline("JAKARTA (Reuters) - Heavy rain flooded the city\nMore text.") is None  # a dateline


def test_a_text_article_takes_its_headline_and_dateline_and_the_input_s_fields_win():
    text = (
        "Le gouvernement recule sur la réforme\n\nPARIS, 3 mars 2024 (AFP) — Le gouvernement a annoncé lundi"
        " qu'il renonçait à la réforme des retraites après trois semaines de grèves dans tout le pays."
    )
    article = read_string(text)
    assert (article.title, article.outlet, article.published) == (
        "Le gouvernement recule sur la réforme",
        "AFP",
        "2024-03-03",
    )
    assert article.meta["place"] == "PARIS"
    from crosswire.read.article import build_article

    given = build_article(
        text, "x", is_html=False, lang="fr", meta={}, title="Given", outlet="Le Monde", published="2024-03-04"
    )
    assert (given.title, given.outlet, given.published) == ("Given", "Le Monde", "2024-03-04")
