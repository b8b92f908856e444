"""The corpus pages through the test client: stories (filters, search), story (timeline,
claim matrix), its sources, article, compare of two stored articles, merge and split
forms, errors, and hostile article text and metadata shown as text."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_pages import parse
from web_samples import ARTICLES, BASE_URL, HOSTILE_TEXT, write_jsonl

from crosswire.corpus import Corpus, StoryArticle
from crosswire.web import create_app
from crosswire.web.views import timeline_view

HOSTILE_ARTICLE = {
    "text": HOSTILE_TEXT,
    "lang": "en",
    "title": "<script>alert('title')</script>",
    "outlet": "<b onmouseover=alert(1)>Evil</b>",
    "published": "2024-01-02",
    "url": "javascript:alert('url')",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    corpus = Corpus(folder / "corpus.db")
    corpus.ingest([write_jsonl(folder)])
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE_ARTICLE) + "\n", encoding="utf-8")
    corpus.ingest([folder / "hostile.jsonl"])
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def pages(corpus) -> TestClient:
    return TestClient(create_app(corpus), base_url=BASE_URL)


def story_of(corpus: Corpus, lang_count: int) -> str:
    return next(s.id for s in corpus.stories() if len(s.languages) == lang_count and s.headline[0] != "<")


def test_home_opens_the_stories_with_a_corpus(pages):
    response = pages.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("/stories")


def test_stories_page_lists_stories_with_counts_and_languages(pages, corpus):
    response = pages.get("/stories")
    assert response.status_code == 200
    html = response.text
    assert "<b>3</b> stories · <b>5</b> articles" in html
    flood = story_of(corpus, 3)
    assert f'href="{BASE_URL}/stories/{flood}"' in html and ARTICLES[0]["title"] in html
    assert '<span class="lang" lang="fr">fr</span>' in html
    assert "Nordkurier" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("lang=es", ARTICLES[3]["title"], ARTICLES[0]["title"]),
        ("outlet=Nordkurier", ARTICLES[0]["title"], ARTICLES[3]["title"]),
        ("since=2024-03-01", ARTICLES[0]["title"], ARTICLES[3]["title"]),
        ("until=2024-02-28", ARTICLES[3]["title"], ARTICLES[0]["title"]),
    ],
)
def test_stories_page_filters(pages, query, shown, hidden):
    html = pages.get(f"/stories?{query}").text
    assert shown in html and hidden not in html


def test_stories_page_search_is_cross_lingual(pages, corpus):
    response = pages.get("/stories", params={"q": "inundaciones en la ciudad, familias en los tejados"})
    assert response.status_code == 200
    results = response.text.split('id="search-results"')[1]
    first_story = re.search(r'href="[^"]*/stories/([^"]+)"', results).group(1)
    assert first_story == story_of(corpus, 3)
    assert re.search(r'href="[^"]*/articles/\d+#s-\d+"', results)


def test_stories_page_reports_a_bad_date(pages):
    response = pages.get("/stories?since=soon")
    assert response.status_code == 422
    assert "<b>CW403</b> since" in response.text


def test_story_page_shows_timeline_and_claim_matrix(pages, corpus):
    story_id = story_of(corpus, 3)
    view = corpus.story(story_id)
    response = pages.get(f"/stories/{story_id}")
    assert response.status_code == 200
    html = response.text
    timeline = html.split('<svg class="timeline"')[1].split("</svg>")[0]
    assert timeline.count("<circle") == 3
    assert [m for m in re.findall(r'class="lane-label">(\w+)<', timeline)] == ["de", "en", "fr"]
    matrix = html.split('id="claims"')[1].split("</table>")[0]
    assert matrix.count('<tr id="claim-') == len(view.claims)
    french = next(a.id for a in view.articles if a.lang == "fr")
    changed = re.search(r'<td class="mark changed" title="([^"]*)">(.*?)</td>', matrix, flags=re.DOTALL)
    assert changed.group(1) == "number: 1,200 → 1 500"
    assert f'/articles/{french}#s-0">in the article</a>' in changed.group(2)
    assert matrix.count('class="mark present"') == sum(
        c.mark == "present" for claim in view.claims for c in claim.cells
    )
    assert f'href="{BASE_URL}/stories/{story_id}/sources"' in html
    assert (
        f'action="{BASE_URL}/stories/{story_id}/split"' in html
        and f'action="{BASE_URL}/stories/{story_id}/merge"' in html
    )


def test_sources_page_draws_the_provenance_graph(pages, corpus):
    story_id = story_of(corpus, 3)
    response = pages.get(f"/stories/{story_id}/sources")
    assert response.status_code == 200
    graph = response.text.split('id="provenance"')[1].split("</figure>")[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="provenance"' in graph
    assert graph.count('<g class="node article">') == 3
    assert "Nordkurier" in graph and "hoff" in graph.lower()


def test_article_page_has_sentence_anchors_metadata_and_sources(pages, corpus):
    story_id = story_of(corpus, 3)
    french = next(a for a in corpus.story(story_id).articles if a.lang == "fr")
    response = pages.get(f"/articles/{french.id}")
    assert response.status_code == 200
    html = response.text
    assert len(re.findall(r'<p class="s" id="s-\d+">', html)) == 5
    assert "Le Courrier du Nord" in html and "2024-03-05T15:30" in html
    # The javascript: URL is shown as text, never a link.
    assert '<dd class="url">javascript:alert(&#39;url&#39;)</dd>' in html
    assert 'href="javascript' not in html.lower()
    assert f'href="{BASE_URL}/stories/{story_id}"' in html
    assert "<b>Lena Hoff</b>" in html or "Hoff</b>" in html


def test_compare_two_stored_articles(pages, corpus):
    view = corpus.story(story_of(corpus, 3))
    english, french = (next(a.id for a in view.articles if a.lang == lang) for lang in ("en", "fr"))
    response = pages.get(f"/compare?a={english}&b={french}")
    assert response.status_code == 200
    html = response.text
    assert 'id="comparison"' in html and 'id="stored-pair"' in html
    assert re.search(r'<mark class="num"[^>]*>1,200</mark>', html) and re.search(
        r'<mark class="num"[^>]*>1 500</mark>', html
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/stories/999", 404),
        ("/stories/999/sources", 404),
        ("/articles/999", 404),
        ("/compare?a=1&b=999", 404),
        ("/articles/x", 422),
    ],
)
def test_missing_things_are_error_pages(pages, path, status):
    response = pages.get(path)
    assert response.status_code == status
    if status == 404:
        assert "no such" in response.text and "text/html" in response.headers["content-type"]


def test_hostile_metadata_and_text_are_shown_as_text(pages, corpus):
    hostile = next(s for s in corpus.stories() if s.headline.startswith("<script>"))
    for path in (
        "/stories",
        f"/stories/{quote(hostile.id)}",
        f"/stories/{quote(hostile.id)}/sources",
        f"/articles/{hostile.id}",
    ):
        html = pages.get(path).text
        tags = parse(html).tags
        assert [attrs.get("src") for tag, attrs in tags if tag == "script"] in (
            [],
            [f"{BASE_URL}/static/compare.js"],
        ), path
        assert not any(name.startswith("on") for _, attrs in tags for name in attrs), path
        assert not any((attrs.get("href") or "").lower().startswith("javascript") for _, attrs in tags), path
        assert "&lt;b onmouseover=alert(1)&gt;Evil&lt;/b&gt;" in html, path
        if not path.endswith("/sources"):  # the graph names articles by id and outlet
            assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html, path


def test_story_pages_without_a_corpus_are_404(client):
    for path in ("/stories", "/stories/1", "/articles/1"):
        assert client.get(path).status_code == 404, path
    assert "Stories</a>" not in client.get("/compare").text


@pytest.fixture
def own_pages(tmp_path):
    corpus = Corpus(tmp_path / "corpus.db")
    corpus.ingest([write_jsonl(tmp_path)])
    yield TestClient(create_app(corpus), base_url=BASE_URL), corpus
    corpus.close()


def test_split_and_merge_forms_redirect_to_the_story(own_pages):
    pages, corpus = own_pages
    story_id = story_of(corpus, 3)
    german = next(a.id for a in corpus.story(story_id).articles if a.lang == "de")
    response = pages.post(f"/stories/{story_id}/split", data={"articles": [str(german)]}, follow_redirects=False)
    assert response.status_code == 303
    new_id = corpus.store.story_of(german)
    assert new_id != story_id and response.headers["location"] == f"{BASE_URL}/stories/{quote(new_id, safe='')}"
    response = pages.post(f"/stories/{story_id}/merge", data={"other": new_id}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{BASE_URL}/stories/{story_id}"
    assert corpus.store.story_of(german) == story_id
    # Split off again: the new story cannot reuse the id, and gets one with a "#".
    response = pages.post(f"/stories/{story_id}/split", data={"articles": [str(german)]})
    assert response.status_code == 200 and "%23" in str(response.url)
    assert "Hochwasser in Arlen" in response.text


def test_merge_and_split_forms_report_errors(own_pages):
    pages, corpus = own_pages
    story_id = story_of(corpus, 3)
    response = pages.post(f"/stories/{story_id}/merge", data={"other": "999"})
    assert response.status_code == 404 and "999: no such story" in response.text
    response = pages.post(f"/stories/{story_id}/split", data={"articles": ["999"]})
    assert response.status_code == 422 and "not an article of story" in response.text


def test_merge_form_refuses_other_sites(own_pages):
    pages, corpus = own_pages
    story_id = story_of(corpus, 3)
    other = next(s.id for s in corpus.stories() if s.id != story_id)
    response = pages.post(f"/stories/{story_id}/merge", data={"other": other}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert len(corpus.stories()) == 2


def test_pages_answer_with_the_security_headers(pages, corpus):
    response = pages.get(f"/stories/{story_of(corpus, 3)}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_timeline_places_articles_by_time_and_language_and_undated_ones_apart():
    articles = [
        StoryArticle(1, "en", None, None, "2024-03-05T09:00", None, "a", None, ()),
        StoryArticle(2, "fr", None, None, "2024-03-06", None, "b", None, ()),
        StoryArticle(3, "en", None, None, None, None, "c", 1, ()),
    ]
    timeline = timeline_view(articles)
    assert [lane["lang"] for lane in timeline["lanes"]] == ["en", "fr"]
    first, second, undated = timeline["dots"]
    assert first["x"] < second["x"] < undated["x"] == timeline["undated_x"]
    assert first["y"] == undated["y"] != second["y"] and undated["copy"]
    assert [tick["anchor"] for tick in timeline["ticks"]] == ["start", "middle", "middle", "middle", "end"]
    assert timeline["ticks"][0]["label"] == "2024-03-05 09:00"
