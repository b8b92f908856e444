"""Revisions: ingesting a known address whose text changed stores a new version (the old
one kept), and `crosswire history URL` says what changed and which correction note, if
any, the new version added. A local HTTP server on 127.0.0.1 serves the page; nothing
touches the internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from crosswire import Corpus
from crosswire.cli import cli
from crosswire.history import find_note

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Floods in Jakarta</title></head>
<body><article><h1>Floods in Jakarta</h1>{paragraphs}</article></body></html>"""
VERSION_1 = [
    "Heavy rain flooded large parts of Jakarta on Monday, killing 12 people and forcing 3,500 residents from their homes.",
    "The Ciliwung river burst its banks after two days of rain, and water levels were still rising in the east of the city.",
    "Governor Anies Baswedan said emergency shelters had been opened in five districts across the capital.",
    "Schools across the city will stay closed until Wednesday, the education office said in a statement.",
]
# A number changed and a sentence dropped, with no note.
VERSION_2 = [VERSION_1[0].replace("12 people", "17 people"), VERSION_1[1], VERSION_1[2]]
# Then a note of the correction is added.
VERSION_3 = [*VERSION_2, "Correction: an earlier version of this article gave the wrong number of victims."]
# News added at the bottom is no note; a note worded without a label is one, by its meaning;
# a labelled note in the middle of the text is not at an edge.
LATER_NEWS = "Rescuers said the water had started to recede on Tuesday evening."
AMENDED = "The article was amended to correct the death toll."
MIDDLE_NOTE = "Update: the governor visited two of the shelters."


class _Page(BaseHTTPRequestHandler):
    paragraphs: list[str] = VERSION_1

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        else:
            body = PAGE.format(paragraphs="".join(f"<p>{p}</p>" for p in type(self).paragraphs)).encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def page_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jakarta-floods.html"
    server.shutdown()
    server.server_close()


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_a_changed_page_is_a_new_version_and_history_names_the_changes(page_url, tmp_path, monkeypatch):
    db = str(tmp_path / "corpus.db")
    monkeypatch.setattr(_Page, "paragraphs", VERSION_1)
    run("ingest", page_url, "--db", db)
    assert "1 version" in run("history", page_url, "--db", db)
    monkeypatch.setattr(_Page, "paragraphs", VERSION_2)
    run("ingest", page_url, "--db", db)
    data = json.loads(run("history", page_url, "--db", db, "--json"))
    assert data["schema"] == "crosswire.history/1" and len(data["versions"]) == 2
    with Corpus(db) as corpus:  # the old version is kept
        assert all(corpus.store.article(v["article"]) for v in data["versions"])
    [revision] = data["revisions"]
    assert revision["note_found"] is False and revision["correction_note"] is None and revision["added"] == []
    assert any("Schools across the city" in s for s in revision["dropped"])
    [changed] = revision["changed"]
    numbers = [d for d in changed["differences"] if d["kind"] == "number"]
    assert numbers and numbers[0]["a"]["text"] == "12" and numbers[0]["b"]["text"] == "17"

    monkeypatch.setattr(_Page, "paragraphs", VERSION_3)
    run("ingest", page_url, "--db", db)
    data = json.loads(run("history", page_url, "--db", db, "--json"))
    assert [r["note_found"] for r in data["revisions"]] == [False, True]
    assert data["revisions"][1]["correction_note"] == {"sentence": VERSION_3[-1], "cue": "label"}
    out = run("history", page_url, "--db", db)
    assert "no correction note found" in out and "number: 12 → 17" in out
    assert f"correction note (label): {VERSION_3[-1]}" in out


def test_a_note_is_read_at_the_edges_of_the_article_by_its_meaning(page_url, tmp_path, monkeypatch):
    db = str(tmp_path / "corpus.db")
    for version in (
        VERSION_1,
        [*VERSION_1, LATER_NEWS],
        [*VERSION_1[:2], MIDDLE_NOTE, *VERSION_1[2:], LATER_NEWS],
        [VERSION_1[0].replace("12 people", "17 people"), *VERSION_1[1:], LATER_NEWS, AMENDED],
    ):
        monkeypatch.setattr(_Page, "paragraphs", version)
        run("ingest", page_url, "--db", db)
    revisions = json.loads(run("history", page_url, "--db", db, "--json"))["revisions"]
    assert [r["added"] for r in revisions] == [[LATER_NEWS], [MIDDLE_NOTE], [AMENDED]]
    assert [r["correction_note"] for r in revisions] == [
        None,
        None,
        {"sentence": AMENDED, "cue": "refers to the article"},
    ]


OLD = [
    "Heavy rain flooded large parts of Jakarta on Monday, killing 12 people and forcing 3,500 residents.",
    "Governor Anies Baswedan said emergency shelters had been opened in five districts.",
]


@pytest.mark.parametrize(
    ("lang", "sentence", "cue"),
    [
        # Labels of the list, in other scripts; a whole word only.
        ("ko", "정정: 사망자 수를 바로잡습니다.", "label"),
        ("ar", "تصحيح: ذكرت نسخة سابقة من هذا التقرير عددا خاطئا للضحايا.", "label"),
        ("en", "Correctional officers said the prison had not been flooded.", None),
        # A label the list does not have, read by its meaning.
        ("de", "Hinweis der Redaktion: Wir haben die Zahl der Opfer korrigiert.", "label meaning"),
        ("pl", "Uwaga redakcji: poprawiliśmy liczbę ofiar.", "label meaning"),
        ("en", "Photo: Reuters/Willy Kurniawan.", None),
        # A sentence about the article itself, in languages the list does not cover that way.
        ("fr", "Cet article a été modifié pour corriger le nombre de victimes.", "refers to the article"),
        ("ja", "この記事は死者数を訂正するために更新されました。", "refers to the article"),
        ("tr", "Bu haber, ölü sayısını düzeltmek için güncellendi.", "refers to the article"),
        # News, also news about someone else's correction, is no note.
        ("en", "The agency corrected its earlier estimate of the death toll.", None),
        ("de", "Die Polizei korrigierte am Dienstag die Zahl der Toten auf 17.", None),
        ("ru", "Полиция сообщила, что число погибших возросло до 17.", None),
    ],
)
def test_find_note_cues(lang, sentence, cue):
    note = find_note([sentence], OLD, lang, "use-m")
    assert (note.cue if note else None) == cue


def test_without_an_encoder_for_the_language_only_the_label_list_reads_notes():
    # Yoruba is in no measured or trained list of use-m: its meaning is not guessed.
    assert find_note(["A ti ṣe atunṣe nkan yii lati ṣatunṣe iye awọn olufaragba."], OLD, "yo", "use-m") is None
    assert find_note(["Update: a ti ṣe atunṣe nkan yii."], OLD, "yo", "use-m").cue == "label"


def test_an_address_never_read_is_named(tmp_path, page_url):
    db = str(tmp_path / "corpus.db")
    run("ingest", page_url, "--db", db)
    assert "nothing was read from this address" in run("history", "https://example.org/none", "--db", db, code=2)
