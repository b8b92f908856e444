import re
from pathlib import Path

import pytest

import crosswire.read
from crosswire.errors import CrosswireError
from crosswire.read import DEFAULT_MAX_BYTES, read_path, read_string


@pytest.fixture
def seed(seed_path):
    return seed_path


def raises_cw(code: str, source):
    """Expect a CrosswireError with `code` whose message names `source`."""
    return pytest.raises(CrosswireError, match=rf"^{code} .*{re.escape(Path(str(source)).name)}")


def test_english_seed(seed):
    path = seed("en_wagner_drones.txt")
    article = read_path(path)
    assert article.lang == "en"
    assert article.source == str(path)
    assert article.meta["encoding"] == "utf-8"
    assert article.text == path.read_text(encoding="utf-8").replace("\r\n", "\n")


def test_indonesian_seed(seed):
    article = read_path(seed("id_wagner_drones.txt"))
    assert article.lang == "id"
    assert "Grup Wagner" in article.text


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.txt"
    with raises_cw("CW101", path):
        read_path(path)


def test_directory_is_not_a_file(tmp_path):
    path = tmp_path / "folder.txt"
    path.mkdir()
    with raises_cw("CW101", path):
        read_path(path)


@pytest.mark.parametrize("content", [b"", b" \n\t\r\n  ", b"\xef\xbb\xbf", "\u3000\n".encode()])
def test_empty_or_whitespace_only(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    with raises_cw("CW102", path):
        read_path(path)


def test_binary_png(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4096))
    with raises_cw("CW103", path):
        read_path(path)


def test_binary_by_control_characters(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(b"ab\x01\x02\x03\x1b" * 500)
    with raises_cw("CW103", path) as excinfo:
        read_path(path)
    assert "control characters" in str(excinfo.value)


def test_utf16_is_named_in_the_refusal(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes("Der Minister sagte am Montag etwas.".encode("utf-16"))
    with raises_cw("CW103", path) as excinfo:
        read_path(path)
    assert "UTF-16" in str(excinfo.value)


def test_huge_file_refused_by_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: takes no disk space

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened although its size is over the limit")

    monkeypatch.setattr(crosswire.read, "open", no_reading, raising=False)
    with raises_cw("CW105", path):
        read_path(path)
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_custom_size_limit(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text("The minister said on Monday that the plan would go ahead.", encoding="utf-8")
    with raises_cw("CW105", path):
        read_path(path, max_bytes=10)


GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Maßnahmen beschlossen. "
    "„Wir müssen schnell handeln“, sagte der Minister für Wirtschaft. "
    "Die Größe des Pakets beträgt 5 Milliarden €."
)
FRENCH = (
    "Le ministre a déclaré lundi que le gouvernement soutiendrait le projet. "
    "Les élèves étaient très préoccupés par la sécurité à l'école, a-t-il ajouté."
)


@pytest.mark.parametrize(("text", "encoding", "lang"), [(GERMAN, "cp1252", "de"), (FRENCH, "latin-1", "fr")])
def test_legacy_encoding_detected(tmp_path, text, encoding, lang):
    path = tmp_path / f"legacy_{lang}.txt"
    path.write_bytes(text.encode(encoding))
    article = read_path(path)
    assert article.text == text
    assert article.lang == lang
    assert article.meta["encoding"] not in ("utf-8", None)


def test_undecodable_bytes_report_offset(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"Hello world " + bytes(range(0x80, 0x100)) * 20)
    with raises_cw("CW104", path) as excinfo:
        read_path(path)
    assert "offset 12" in str(excinfo.value)


def test_line_endings_normalised_and_nothing_else(tmp_path):
    body = "Der Minister sagte am Montag,\r\ndie Regierung werde\rden Plan  unterstützen.\t \r\n\r\n  Ende. "
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    article = read_path(path)
    assert article.text == body.replace("\r\n", "\n").replace("\r", "\n")
    assert article.meta["encoding"] == "utf-8"


def test_given_language_skips_detection(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("OK 12", encoding="utf-8")  # far too little to identify
    assert read_path(path, lang="id").lang == "id"
    assert read_path(path, lang="deu").lang == "de"


def test_bad_language_code(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("The minister said on Monday that the plan would go ahead.", encoding="utf-8")
    with raises_cw("CW108", path):
        read_path(path, lang="xx")


def test_unidentifiable_language_names_file(tmp_path):
    path = tmp_path / "numbers.txt"
    path.write_text("1234 5678 9012 3456\n", encoding="utf-8")
    with raises_cw("CW107", path):
        read_path(path)


def test_read_string():
    article = read_string("Le ministre a déclaré lundi que le gouvernement soutiendrait le projet.\r\n")
    assert article.lang == "fr"
    assert article.source == "<string>"
    assert article.text.endswith("projet.\n")
    assert article.meta == {}


def test_read_string_empty_names_source():
    with raises_cw("CW102", "pasted.txt"):
        read_string("  \n ", source="pasted.txt")
