"""The source graph over several articles: relays collapse to one root, independent sources add up."""

from crosswire.analyse import prepare
from crosswire.model import Article
from crosswire.provenance import source_graph


def _doc(text, lang, **meta):
    return prepare(Article(text, lang, **meta))


def test_a_relay_of_another_articles_publisher_adds_no_independent_source():
    original = _doc("Rebels seized the airport on Monday, officials said.", "en", outlet="Reuters")
    relay = _doc(
        "Dilansir dari Reuters, pemberontak merebut bandara pada hari Senin.",
        "id",
        outlet="Kompas",
    )
    independent = _doc(
        "Selon le ministère de la Défense, les rebelles ont pris l'aéroport lundi.",
        "fr",
        outlet="Le Monde",
    )
    graph = source_graph({"1": original, "2": relay, "3": independent})
    starts, roots = graph.claim_sources({"1": (0,), "2": (0,)})
    assert starts["2"] == starts["1"] == ["anonymous:official"]
    assert roots == ("anonymous:official",)
    _, roots = graph.claim_sources({"1": (0,), "2": (0,), "3": (0,)})
    assert len(roots) == 2


def test_unattributed_claims_rest_on_their_publishers():
    a = _doc("The dam broke on Monday.", "en", outlet="BBC")
    b = _doc("Der Damm brach am Montag.", "de", outlet="Der Spiegel")
    graph = source_graph({"a": a, "b": b})
    starts, roots = graph.claim_sources({"a": (0,), "b": (0,)})
    assert starts == {"a": ["outlet:bbc"], "b": ["outlet:der-spiegel"]}
    assert roots == ("outlet:bbc", "outlet:der-spiegel")


def test_publisher_from_url_and_relay_edge_evidence():
    doc = _doc("Menurut Gedung Putih, 40 orang tewas.", "id", url="https://www.kompas.com/read/1")
    graph = source_graph({"x": doc})
    assert graph.sources["x"].publisher.key == "outlet:kompas"
    [cites] = [e for e in graph.edges if e.kind == "cites"]
    assert (cites.target, cites.evidence.text) == ("institution:white-house", "Menurut Gedung Putih")
