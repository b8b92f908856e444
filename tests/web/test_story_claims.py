"""The story page's claim matrix is readable evidence: each claim labelled with its
language, and under it the sentence that carries it in every other article, in that
article's own language, its changed details marked. Article text stays inert (escaped)
there too. Checked in the HTML and in Debian's Chromium (tests/web/test_browser.py's
browser); `CROSSWIRE_SCREENSHOTS=docs/img` refreshes docs/img/story-claims.png."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from test_browser import NO_EVENTS, browser, page, screenshot_path, serving  # noqa: F401  (fixtures)
from web_samples import ARTICLES, BASE_URL, FLOOD_DE

from crosswire.corpus import Claim, ClaimCell, Corpus, Highlight, StoryArticle, StorySummary, StoryView
from crosswire.model import Difference, Span
from crosswire.web import corpus_pages, create_app

# The German article carries markup inside a sentence that links to the English one.
HOSTILE_SENTENCE = (
    "Rettungsteams setzten Boote ein, um Familien zu erreichen, die auf den Dächern ihrer Häuser festsaßen."
)
HOSTILE_DE = FLOOD_DE.replace(
    HOSTILE_SENTENCE,
    "Rettungsteams setzten Boote <img src=x onerror=\"alert('own')\"> ein, um Familien zu erreichen, "
    "die auf den Dächern ihrer Häuser <script>alert('own')</script> festsaßen.",
)


def ingest(folder, articles: list[dict]) -> Corpus:
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    corpus = Corpus(folder / "corpus.db")
    corpus.ingest([path])
    return corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    corpus = ingest(tmp_path_factory.mktemp("story-claims"), ARTICLES)
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    corpus = ingest(
        tmp_path_factory.mktemp("story-claims-hostile"),
        [dict(a, text=HOSTILE_DE) if a["lang"] == "de" else a for a in ARTICLES],
    )
    yield corpus
    corpus.close()


def flood_story(corpus: Corpus) -> str:
    return next(s.id for s in corpus.stories() if len(s.languages) == 3)


def test_each_claim_lists_every_article_s_own_sentence_in_its_language(corpus):
    story_id = flood_story(corpus)
    html = TestClient(create_app(corpus), base_url=BASE_URL).get(f"/stories/{story_id}").text
    matrix = html.split('id="claims"')[1].split("</table>")[0]
    first = matrix.split('<tr id="claim-1" class="claim">')[1].split('<tr id="claim-2" class="claim">')[0]
    # The claim is labelled with its language; the others follow in theirs, the number marked.
    assert re.search(r'<span class="lang" lang="en"[^>]*>en</span> <span lang="en" dir="auto">Floods in', first)
    french = re.search(r'<li class="changed">.*?</li>', first, flags=re.DOTALL).group(0)
    assert '<span class="lang" lang="fr">fr</span>' in french
    assert '<mark class="num">1 500</mark>' in french and "number: 1,200 → 1 500" in french
    assert re.search(
        r'<li class="present">.*lang="de">de</span> <span class="own" lang="de" dir="auto">Überschw', first
    )


def test_the_html_report_marks_the_changed_detail_in_the_own_sentence(corpus):
    story_id = flood_story(corpus)
    report = TestClient(create_app(corpus), base_url=BASE_URL).get(f"/stories/{story_id}/export.html").text
    assert 'ont chassé <mark class="num">1 500</mark> personnes' in report


def test_markup_in_an_own_sentence_is_text(hostile_corpus):
    story_id = flood_story(hostile_corpus)
    html = TestClient(create_app(hostile_corpus), base_url=BASE_URL).get(f"/stories/{story_id}").text
    matrix = html.split('id="claims"')[1].split("</table>")[0]
    assert "&lt;img src=x onerror=&#34;alert(&#39;own&#39;)&#34;&gt;" in matrix and "<img" not in matrix
    assert "&lt;script&gt;alert(&#39;own&#39;)&lt;/script&gt;" in matrix and "<script" not in matrix


def test_chromium_shows_the_own_sentences_marked_and_within_the_window(corpus, page, tmp_path):  # noqa: F811
    story_id = flood_story(corpus)
    with serving(create_app(corpus)) as url:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{url}/stories/{story_id}")
        own = page.locator("#claims tr.own").first
        assert own.is_visible()
        french = own.locator("li.changed")
        assert french.locator("span.lang").inner_text() == "fr"
        assert french.locator("mark.num").inner_text() == "1 500"
        assert french.locator("mark.num").evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
        # The matrix fits the window: the own sentences wrap instead of widening the page.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.locator("section", has=page.locator("#claims")).screenshot(
            path=str(screenshot_path(tmp_path, "story-claims.png"))
        )
    assert page.events == NO_EVENTS


def test_chromium_runs_no_markup_from_an_own_sentence(hostile_corpus, page):  # noqa: F811
    story_id = flood_story(hostile_corpus)
    with serving(create_app(hostile_corpus)) as url:
        page.goto(f"{url}/stories/{story_id}")
        hostile = page.locator("#claims span.own[lang=de]", has_text="Rettungsteams")
        assert "<img src=x" in hostile.inner_text() and "<script>" in hostile.inner_text()
        assert page.locator("img").count() == 0 and page.eval_on_selector_all("script", "ss => ss.length") == 0
    assert page.events == NO_EVENTS


def wide_story(size: int = 36) -> StoryView:
    """A story of `size` articles in eight languages, as corpus.story returns it: every claim
    present in most articles, changed (a number) in some, absent from others."""
    langs = ("en", "de", "fr", "id", "es", "ru", "zh", "ar")
    articles = tuple(
        StoryArticle(i, langs[i % 8], f"Headline {i}", f"Outlet {i}", None, None, f"{i}.txt", None, ())
        for i in range(1, size + 1)
    )
    text = "Floods forced 1,200 people from their homes on Tuesday, the regional fire service said in a statement"
    claims = []
    for k in range(4):
        cells = []
        for a in articles:
            own = f"{text} ({a.lang}, article {a.id}, claim {k + 1})."
            if (a.id + k) % 7 == 0:
                change = Difference("number", Span(14, 19, "1,200"), Span(14, 19, "1 500"))
                own = own.replace("1,200", "1 500")
                cells.append(ClaimCell(a.id, "changed", (k,), (change,), a.lang, own, (Highlight(14, 19, "number"),)))
            elif (a.id + k) % 5 == 0:
                cells.append(ClaimCell(a.id, "absent", (), (), a.lang))
            else:
                cells.append(ClaimCell(a.id, "present", (k,), (), a.lang, own))
        claims.append(Claim(f"{text} (claim {k + 1}).", 1, "de", tuple(cells), {}, (), 0))
    summary = StorySummary("wide", "Floods", langs, (), size, 0, None, None)
    return StoryView(summary, articles, tuple(a.id for a in articles), tuple(claims), "use-m")


def test_a_story_of_36_articles_keeps_its_claims_readable_in_chromium(corpus, page, monkeypatch, tmp_path):  # noqa: F811
    view = wide_story()

    async def story_in_worker(request, task, location, story_id):
        return view

    monkeypatch.setattr(corpus_pages, "in_worker", story_in_worker)
    with serving(create_app(corpus)) as url:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{url}/stories/wide")
        assert page.locator("#claims tr.marks").first.locator("td.mark").count() == 36
        # The claim and each own sentence span the article columns: most of the window, not a sliver.
        width = "e => e.getBoundingClientRect().width"
        assert page.locator("#claim-1 td.claim").evaluate(width) > 0.7 * 1280
        assert page.locator("#claims tr.own").first.locator("li").first.evaluate(width) > 0.7 * 1280
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert page.locator("div.matrix").evaluate("d => d.scrollWidth <= d.clientWidth")  # 36 columns fit
        page.evaluate("document.getElementById('claims').scrollIntoView()")
        page.screenshot(path=str(screenshot_path(tmp_path, "story-claims-36-articles.png")))
    assert page.events == NO_EVENTS
