"""The web app in headless Chromium: Debian's /usr/bin/chromium driven by Playwright.

A browser download (`playwright install`) is impossible here; .ci/run installs the
Debian package. The app runs in a uvicorn server on a free loopback port in this process.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright
from web_samples import HOSTILE_TEXT, write_jsonl

from crosswire.corpus import Corpus
from crosswire.web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Tests write nothing into the repository: the README's screenshots are refreshed on
# purpose with CROSSWIRE_SCREENSHOTS=docs/img python -m pytest tests/web/test_browser.py.
SCREENSHOT_DIR_VARIABLE = "CROSSWIRE_SCREENSHOTS"
SEEDS = ("en_wagner_drones.txt", "id_wagner_drones.txt")


@contextlib.contextmanager
def serving(app):
    """`app` in a uvicorn server on a free loopback port, in a thread of this process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url():
    with serving(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory):
    corpus = Corpus(tmp_path_factory.mktemp("corpus") / "corpus.db")
    with serving(create_app(corpus)) as url:
        yield url
    corpus.close()


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory, seed_path):
    """The two seed files ingested into a fresh corpus, as one story, with the team's
    multilingual sample (corpus_samples) and a hostile article."""
    folder = tmp_path_factory.mktemp("seeds")
    corpus = Corpus(folder / "corpus.db")
    corpus.ingest([seed_path(name) for name in SEEDS])
    assert len(corpus.stories()) == 1, "the linker must keep the seed pair in one story"
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    corpus.ingest([write_jsonl(folder), folder / "hostile.txt"])
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def seed_url(seed_corpus):
    with serving(create_app(seed_corpus)) as url:
        yield url


def screenshot_path(tmp_path, name: str) -> Path:
    folder = Path(os.environ.get(SCREENSHOT_DIR_VARIABLE) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 860},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser):
    """A page that records dialogs, console errors and uncaught exceptions, to assert none happened."""
    page = browser.new_page()
    page.events = {"dialog": [], "console": [], "pageerror": []}
    page.on("dialog", lambda dialog: (page.events["dialog"].append(dialog.message), dialog.dismiss()))
    page.on(
        "console", lambda message: message.type in ("error", "warning") and page.events["console"].append(message.text)
    )
    page.on("pageerror", lambda error: page.events["pageerror"].append(str(error)))
    yield page
    page.close()


def compare(page, base_url, a, b, lang_a="", lang_b=""):
    page.goto(f"{base_url}/compare")
    for side, value, lang in (("a", a, lang_a), ("b", b, lang_b)):
        if isinstance(value, Path):
            page.set_input_files(f"#file_{side}", str(value))
        else:
            page.fill(f"#text_{side}", value)
        page.fill(f"#lang_{side}", lang)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator("#comparison").count() == 1, page.locator("p.error").all_inner_texts()


def marked(page, side: str, cls: str) -> list[str]:
    return page.locator(f"table.cmp td.{side} mark.{cls}").all_inner_texts()


def test_seed_pair_highlights_name_variants_on_both_sides(page, base_url, seed_path):
    compare(page, base_url, seed_path("en_wagner_drones.txt"), seed_path("id_wagner_drones.txt"))
    assert "Mavix2" in marked(page, "a", "variant") and "Mavic 2" in marked(page, "b", "variant")
    assert "Wagnerites" in marked(page, "a", "variant") and "Wagernites" in marked(page, "b", "variant")
    # 2,500 and 2.500 are the same number: nothing to highlight.
    assert "2,500" not in marked(page, "a", "num")
    assert page.locator("tr.only-a").count() > 0 and page.locator("tr.only-b").count() > 0
    assert page.events == {"dialog": [], "console": [], "pageerror": []}


def test_changed_number_is_highlighted_on_both_sides(page, base_url, seed_texts):
    en, id_ = seed_texts
    compare(page, base_url, en, id_.replace("2.500", "3.000"))
    assert "2,500" in marked(page, "a", "num") and "3.000" in marked(page, "b", "num")
    mark_a = page.locator("td.a mark.num", has_text="2,500").first
    assert mark_a.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_keyboard_moves_through_the_differences(page, base_url, seed_texts):
    en, id_ = seed_texts
    compare(page, base_url, en, id_.replace("2.500", "3.000"))
    total = len(set(page.locator("mark[data-diff]").evaluate_all("ms => ms.map(m => m.dataset.diff)")))
    page.keyboard.press("j")
    assert page.locator("#diff-position").inner_text() == f"difference 1 of {total}"
    first = page.locator(".current")
    # Both sides' marks light up, and the difference's line in the list.
    assert first.locator("xpath=ancestor::td[contains(@class,'a')]").count() >= 1
    assert page.locator("td.a mark.current").count() >= 1 and page.locator("td.b mark.current").count() >= 1
    assert page.locator("li.current").count() == 1
    page.keyboard.press("j")
    page.keyboard.press("n")
    assert page.locator("#diff-position").inner_text() == f"difference 3 of {total}"
    page.keyboard.press("k")
    assert page.locator("#diff-position").inner_text() == f"difference 2 of {total}"
    assert page.locator(".current").first.is_visible()
    # Typing in the form does not navigate.
    page.locator("details.form summary").click()
    page.focus("#lang_a")
    page.keyboard.press("j")
    assert page.locator("#diff-position").inner_text() == f"difference 2 of {total}"


def test_click_through_to_the_provenance_graph(page, base_url, seed_path):
    compare(page, base_url, seed_path("en_wagner_drones.txt"), seed_path("id_wagner_drones.txt"))
    page.click("ul.counts a[href='#provenance']")
    assert page.url.endswith("#provenance")
    graph = page.locator("#provenance svg.provenance")
    assert graph.is_visible()
    box = graph.bounding_box()
    # Scrolled into view: the anchor may leave the graph's top a sub-pixel above the viewport.
    assert -1 < box["y"] < page.viewport_size["height"]
    assert page.locator("#provenance svg g.node.article").count() == 2
    assert "Daily Express" in page.locator("#provenance").inner_text()


def test_hostile_article_runs_nothing_and_shows_literally(page, base_url):
    compare(page, base_url, HOSTILE_TEXT, HOSTILE_TEXT.replace("12", "15"), "en", "en")
    assert page.events == {"dialog": [], "console": [], "pageerror": []}
    text_a = page.locator("table.cmp").inner_text()
    assert "<script>alert('script')</script>" in text_a
    assert "<img src=x onerror=\"alert('onerror')\">" in text_a
    assert "</textarea><script>alert('textarea')</script><textarea>" in text_a
    # The only script is the page's own; no injected element, handler or script URL exists.
    assert page.eval_on_selector_all("script", "ss => ss.map(s => new URL(s.src).pathname)") == ["/static/compare.js"]
    assert page.locator("img").count() == 0
    assert page.locator("textarea").count() == 2
    assert page.input_value("#text_a") == HOSTILE_TEXT
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert (
        page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]).filter(a => a.name.startsWith('on')).length"
        )
        == 0
    )
    page.keyboard.press("j")  # the page's own script still works
    assert page.locator("#diff-position").inner_text().startswith("difference 1 of")
    assert page.events == {"dialog": [], "console": [], "pageerror": []}


def test_hostile_html_upload_runs_nothing(page, base_url):
    html = (
        "<html><head><title>Blast <script>alert('title')</script></title></head><body><article>"
        "<p>Officials said 12 people were hurt in the blast in the city centre on Monday morning.</p>"
        "<p>The police <a href=\"javascript:alert('link')\">asked witnesses</a> to come forward with photos.</p>"
        "<img src=x onerror=\"alert('onerror')\"><script>alert('body')</script>"
        "<p>Rescue teams searched the damaged buildings until late in the evening.</p></article></body></html>"
    )
    page.goto(f"{base_url}/compare")
    page.set_input_files(
        "#file_a",
        files=[{"name": "../../<img src=x onerror=alert(1)>.html", "mimeType": "text/html", "buffer": html.encode()}],
    )
    page.fill("#text_b", "Officials said 15 people were hurt in the blast in the city centre on Monday morning.")
    page.fill("#lang_a", "en")
    page.fill("#lang_b", "en")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator("#comparison").count() == 1, page.locator("p.error").all_inner_texts()
    assert page.events == {"dialog": [], "console": [], "pageerror": []}
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("img").count() == 0
    assert "<img src=x onerror=alert(1)>.html" in page.locator(".docs").first.inner_text()


def test_ingest_shows_progress_and_a_hostile_file_runs_nothing(page, corpus_url, seed_path):
    page.goto(f"{corpus_url}/ingest")
    page.set_input_files(
        "#files",
        files=[
            {"name": "<img src=x onerror=alert(1)>.txt", "mimeType": "text/plain", "buffer": HOSTILE_TEXT.encode()},
            {"name": "en.txt", "mimeType": "text/plain", "buffer": seed_path("en_wagner_drones.txt").read_bytes()},
            {
                "name": "bad.jsonl",
                "mimeType": "application/x-ndjson",
                "buffer": b'{"text": "javascript:alert(1)"}\n{oops\n',
            },
        ],
    )
    page.click("#ingest button[type=submit]")
    # A locator wait, not wait_for_function: the CSP forbids the eval that a JS-string predicate needs.
    expect(page.locator("#ingest-status")).to_have_text(re.compile("^done: 3 of 3 files"), timeout=60_000)
    assert page.locator("#ingest-progress").evaluate("p => [p.value, p.max]") == [3, 3]
    rows = page.locator("#ingest-results tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in rows] == ["<img src=x onerror=alert(1)>.txt", "en.txt", "bad.jsonl"]
    assert rows[1].split("\t")[1] == "1"
    assert "CW109 bad.jsonl:2" in rows[2]
    assert page.locator("img").count() == 0
    assert page.events == {"dialog": [], "console": [], "pageerror": []}


def test_screenshot_of_the_compare_view(page, base_url, seed_path, tmp_path):
    compare(page, base_url, seed_path("en_wagner_drones.txt"), seed_path("id_wagner_drones.txt"))
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.keyboard.press("j")  # scrolls the first difference (Mavix2 / Mavic 2) to the middle, marked
    screenshot = screenshot_path(tmp_path, "compare.png")
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000


NO_EVENTS = {"dialog": [], "console": [], "pageerror": []}


def open_seed_story(page, seed_url):
    page.goto(f"{seed_url}/stories")
    with page.expect_navigation():
        page.locator("table.stories a", has_text="covert weaponry agreement").click()
    assert page.locator("main#story").count() == 1


def test_stories_page_opens_the_seed_story(page, seed_url, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{seed_url}/stories")
    assert page.locator("p.glance").inner_text().startswith("4 stories · 7 articles")
    page.screenshot(path=str(screenshot_path(tmp_path, "stories.png")))
    open_seed_story(page, seed_url)
    assert page.locator("svg.timeline circle").count() == 2
    assert page.locator("svg.timeline .lane-label").all_text_contents() == ["en", "id"]
    claims = page.locator("#claims tbody tr")
    assert claims.count() > 10
    page.screenshot(path=str(screenshot_path(tmp_path, "story.png")))
    # A changed claim shows its change on hover (title) and on click: the Indonesian
    # version drops the "According to rumours" attribution.
    changed = page.locator("#claims td.changed").first
    assert changed.get_attribute("title").startswith("attribution: According to rumours → —")
    assert not changed.locator("ul.changes").is_visible()
    changed.locator("summary").click()
    assert changed.locator("ul.changes").inner_text() == changed.get_attribute("title")
    assert page.events == NO_EVENTS


def test_story_click_through_to_the_provenance_graph(page, seed_url):
    open_seed_story(page, seed_url)
    with page.expect_navigation():
        page.click("#sources-link")
    graph = page.locator("#provenance svg.provenance")
    assert graph.is_visible()
    assert page.locator("#provenance svg g.node.article").count() == 2
    assert "Daily Express" in page.locator("#provenance").inner_text()
    assert page.events == NO_EVENTS


def test_story_opens_the_compare_view_of_the_seed_pair(page, seed_url):
    open_seed_story(page, seed_url)
    with page.expect_navigation():
        page.click("#compare-pair button[type=submit]")
    assert page.locator("#comparison").count() == 1
    assert page.locator("#stored-pair").is_visible()
    assert "Mavix2" in marked(page, "a", "variant") and "Mavic 2" in marked(page, "b", "variant")
    assert "Wagnerites" in marked(page, "a", "variant") and "Wagernites" in marked(page, "b", "variant")
    page.keyboard.press("j")
    assert page.locator("#diff-position").inner_text().startswith("difference 1 of")
    assert page.events == NO_EVENTS


def test_article_page_anchors_a_sentence(page, seed_url):
    open_seed_story(page, seed_url)
    with page.expect_navigation():
        page.locator("#claims td.present a").first.click()
    anchor = page.url.rsplit("#", 1)[1]
    assert re.fullmatch(r"s-\d+", anchor)
    assert page.locator(f"p.s#{anchor}").evaluate("p => p.matches(':target')")
    assert "a UK intelligence report" in page.locator("aside.who").inner_text()
    assert page.events == NO_EVENTS


def test_hostile_stored_article_runs_nothing(page, seed_url, seed_corpus):
    hostile = next(s for s in seed_corpus.stories() if s.headline.startswith("Breaking:"))
    for path in (f"/stories/{hostile.id}", f"/articles/{hostile.id}", f"/stories/{hostile.id}/sources"):
        page.goto(seed_url + path)
        assert page.locator("img").count() == 0, path
        assert page.locator("a[href^='javascript:' i]").count() == 0, path
        assert page.eval_on_selector_all("script", "ss => ss.length") == 0, path
    page.goto(f"{seed_url}/articles/{hostile.id}")
    assert "</textarea><script>alert('textarea')</script><textarea>" in page.locator("article").inner_text()
    assert page.events == NO_EVENTS


def test_split_form_moves_an_article_to_a_new_story(page, seed_path, tmp_path):
    corpus = Corpus(tmp_path / "corpus.db")  # its own corpus: other tests add stories to the shared one
    with serving(create_app(corpus)) as corpus_url:
        _split_and_merge_back(page, corpus_url, seed_path)
    corpus.close()


def _split_and_merge_back(page, corpus_url, seed_path):
    page.goto(f"{corpus_url}/ingest")
    page.set_input_files("#files", [str(seed_path(name)) for name in SEEDS])
    page.click("#ingest button[type=submit]")
    expect(page.locator("#ingest-status")).to_have_text(re.compile("^done: 2 of 2 files"), timeout=60_000)
    page.goto(f"{corpus_url}/stories")
    stories = page.locator("table.stories tbody a[href*='/stories/']")
    assert stories.count() == 1  # the seed pair is one story
    with page.expect_navigation():
        stories.first.click()
    first_url = page.url
    first_id = first_url.rsplit("/", 1)[1]
    assert page.locator("table.articles tbody tr").count() == 2
    # Split the Indonesian article off through the form, then merge it back.
    page.locator("table.articles tbody input[type=checkbox]").nth(1).check()
    with page.expect_navigation():
        page.click("#split button[type=submit]")
    assert page.url != first_url
    assert page.locator("table.articles tbody tr").count() == 1
    page.fill("#merge input[name=other]", first_id)
    with page.expect_navigation():
        page.click("#merge button[type=submit]")
    assert page.locator("table.articles tbody tr").count() == 2
    assert page.events == NO_EVENTS
