"""The HTML pages through the test client: the compare form, its results, its errors, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from web_samples import BASE_URL, HOSTILE_TEXT

from crosswire.web import create_app, is_loopback


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <textarea>s."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.textareas: dict[str, str] = {}
        self._in_textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "textarea":
            self._in_textarea = dict(attrs)["name"]
            self.textareas[self._in_textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in_textarea = None

    def handle_data(self, data):
        if self._in_textarea:
            self.textareas[self._in_textarea] += data


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def marks(html: str, cls: str, side: str) -> list[str]:
    """Texts of <mark class=cls> inside the table cells of one side ("a" or "b")."""
    found = []
    for cell in re.findall(rf'<td class="{side}"[^>]*>(.*?)</td>', html, flags=re.DOTALL):
        found += re.findall(rf'<mark class="{cls}"[^>]*>([^<]*)</mark>', cell)
    return found


@pytest.fixture(scope="module")
def seed_page(client, seed_texts):
    en, id_ = seed_texts
    return client.post("/compare", data={"text_a": en, "text_b": id_.replace("2.500", "3.000")})


def test_home_redirects_to_compare(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/compare")


def test_compare_form_has_both_sides_and_only_the_external_script(client):
    response = client.get("/compare")
    assert response.status_code == 200
    tags = parse(response.text)
    assert set(tags.textareas) == {"text_a", "text_b"}
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert scripts == [{"src": f"{BASE_URL}/static/compare.js", "defer": None}]
    assert 'enctype="multipart/form-data"' in response.text


def test_seed_pair_marks_numbers_and_names_on_both_sides(seed_page):
    assert seed_page.status_code == 200
    html = seed_page.text
    assert "2,500" in marks(html, "num", "a") and "3.000" in marks(html, "num", "b")
    assert "Mavix2" in marks(html, "variant", "a") and "Mavic 2" in marks(html, "variant", "b")
    assert 'class="only only-a"' in html and 'class="only only-b"' in html


def test_both_marks_of_a_difference_share_one_navigation_id(seed_page):
    ids = dict(re.findall(r'data-diff="(d\d+)">(Mavix2|Mavic 2)</mark>', seed_page.text)[:1])
    (diff_id,) = ids
    assert re.findall(rf'data-diff="{diff_id}">([^<]*)</mark>', seed_page.text) == ["Mavix2", "Mavic 2"]
    assert f'<li class="variant" data-diff="{diff_id}">' in seed_page.text


def test_seed_pair_shows_the_provenance_graph_and_links_to_it(seed_page):
    html = seed_page.text
    assert '<figure class="graph" id="provenance"><svg' in html
    assert 'href="#provenance"' in html
    assert "Daily Express" in html


def test_uploaded_files_win_over_pasted_text_and_names_are_only_labels(client, seed_texts):
    en, id_ = seed_texts
    response = client.post(
        "/compare",
        data={"text_a": "ignored", "lang_b": "id"},
        files={
            "file_a": ("../../etc/passwd", en.encode("utf-8"), "text/plain"),
            "file_b": ("C:\\temp\\<i>id.txt", id_.encode("utf-16"), "text/plain"),
        },
    )
    assert response.status_code == 422  # UTF-16 is refused as binary-looking, naming the upload
    assert "<b>CW103</b> &lt;i&gt;id.txt:" in response.text
    response = client.post(
        "/compare",
        files={
            "file_a": ("../../etc/passwd", en.encode("utf-8")),
            "file_b": ("dir/id.txt", id_.encode("cp1252", "replace")),
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "<p>passwd</p>" in html and "<p>id.txt</p>" in html
    assert "../" not in html.replace("../shared", "")
    assert parse(html).textareas["text_a"] == en


def test_empty_input_shows_the_error_with_its_code(client):
    response = client.post("/compare", data={"text_a": " ", "text_b": "Officials said so."})
    assert response.status_code == 422
    assert "<b>CW102</b> pasted text A: the input is empty or only whitespace" in response.text
    assert 'id="comparison"' not in response.text


def test_unknown_language_code_is_refused(client):
    response = client.post(
        "/compare", data={"text_a": "Officials said so.", "lang_a": "<xx>", "text_b": "Officials said so."}
    )
    assert response.status_code == 422
    assert "<b>CW108</b>" in response.text and "&lt;xx&gt;" in response.text


def test_upload_over_the_cap_is_refused():
    client = TestClient(create_app(max_upload_bytes=10_000), base_url=BASE_URL)
    response = client.post("/compare", files={"file_a": ("a.txt", b"x" * 20_000), "file_b": ("b.txt", b"y")})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/plain")


def test_cross_site_form_post_is_refused(client):
    response = client.post("/compare", data={"text_a": "a", "text_b": "b"}, headers={"origin": "https://evil.example"})
    assert response.status_code == 403


def test_hostile_article_is_escaped_everywhere(client):
    response = client.post(
        "/compare",
        data={"text_a": HOSTILE_TEXT, "lang_a": "en", "text_b": HOSTILE_TEXT.replace("12", "15"), "lang_b": "en"},
    )
    assert response.status_code == 200
    html = response.text
    tags = parse(html)
    # Only the page's own markup: one external script, no image, no script URL, no third textarea.
    assert [attrs.get("src") for tag, attrs in tags.tags if tag == "script"] == [f"{BASE_URL}/static/compare.js"]
    assert not [tag for tag, _ in tags.tags if tag == "img"]
    assert not [
        attrs for _, attrs in tags.tags if any((v or "").lower().startswith("javascript:") for v in attrs.values())
    ]
    assert not [attrs for _, attrs in tags.tags if any(name.startswith("on") for name in attrs)]
    assert len([tag for tag, _ in tags.tags if tag == "textarea"]) == 2
    # The text round-trips literally, the </textarea> included.
    assert tags.textareas["text_a"] == HOSTILE_TEXT
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#39;textarea&#39;)&lt;/script&gt;" in html
    assert "12" in marks(html, "num", "a") and "15" in marks(html, "num", "b")


def test_pages_are_not_in_the_openapi_spec(client):
    assert not [path for path in client.get("/api/openapi.json").json()["paths"] if not path.startswith("/api/")]


def test_static_files_are_served_with_their_types(client):
    css = client.get("/static/style.css")
    js = client.get("/static/compare.js")
    assert css.status_code == js.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "javascript" in js.headers["content-type"]
    assert client.get("/static/../app.py").status_code == 404


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_the_compare_page_names_a_sentence_in_another_language(client):
    """The Ukrainian article of the shared rewrites that quotes a sentence in Russian."""
    import json
    from pathlib import Path

    rewrites = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "rewrites" / "dev_multi.jsonl"
    with rewrites.open(encoding="utf-8") as lines:
        record = next(r for r in map(json.loads, lines) if "Путин с Лукашенком не остановятся" in r["a"]["text"])
    response = client.post("/compare", data={"text_a": record["a"]["text"], "text_b": record["b"]["text"]})
    assert response.status_code == 200
    assert re.search(
        r'<p class="notice" role="note">Article A \(uk\) mixes languages: sentence \d+ reads as ru\.', response.text
    )
