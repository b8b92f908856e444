import tracemalloc

from corpus_samples import DE_TEXT, EN_TEXT, jsonl_line, write

from crosswire.read import Rejected, read_articles
from crosswire.read.jsonl import read_jsonl


def test_fields_and_defaults(tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        jsonl_line(
            text=EN_TEXT,
            title="Storm",
            url="https://h/1",
            published="2024-03-05T08:00:00Z",
            outlet="Herald",
            desk="ports",
        )
        + "\n"  # blank lines are ignored
        + jsonl_line(text=DE_TEXT, lang="de"),
    )
    first, second = read_jsonl(path)
    assert (first.source, first.lang, first.title, first.url, first.outlet) == (
        f"{path}:1",
        "en",
        "Storm",
        "https://h/1",
        "Herald",
    )
    assert first.published == "2024-03-05T08:00:00+00:00"
    assert first.meta == {"desk": "ports"}
    assert first.text == EN_TEXT
    assert (second.source, second.lang) == (f"{path}:3", "de")


def test_bad_lines_rejected_by_number_rest_read(tmp_path):
    path = write(
        tmp_path / "mixed.jsonl",
        "not json\n"
        + jsonl_line(text=5)
        + jsonl_line(title="no text")
        + "[1, 2]\n"
        + jsonl_line(text=EN_TEXT, published="05/03/2024")
        + jsonl_line(text=EN_TEXT, lang="klingon")
        + jsonl_line(text=EN_TEXT, url=["a"])
        + jsonl_line(text="   ")
        + jsonl_line(text=DE_TEXT),
    )
    items = list(read_articles(path))
    rejected = {r.source.rsplit(":", 1)[1]: r.code for r in items if isinstance(r, Rejected)}
    assert rejected == {
        "1": "CW109",
        "2": "CW109",
        "3": "CW109",
        "4": "CW109",
        "5": "CW109",
        "6": "CW108",
        "7": "CW109",
        "8": "CW102",
    }
    assert [a.lang for a in items if not isinstance(a, Rejected)] == ["de"]


def test_invalid_utf8_line(tmp_path):
    path = write(tmp_path / "latin.jsonl", b'{"text": "caf\xe9"}\n' + jsonl_line(text=EN_TEXT).encode())
    bad, good = read_jsonl(path)
    assert bad.code == "CW104" and bad.source == f"{path}:1"
    assert good.text == EN_TEXT


def test_over_long_line_skipped_in_bounded_memory(tmp_path):
    """A 512 MB line (a sparse file: no disk used) is skipped without being held; the next line is read."""
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"text": "')
        f.seek(512 * 1024**2, 1)  # a hole reads as NUL bytes: one 512 MB line
        f.write(b'"}\n' + jsonl_line(text=EN_TEXT).encode())
    tracemalloc.start()
    try:
        items = list(read_jsonl(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [getattr(i, "code", None) for i in items] == ["CW105", None]
    assert "line limit" in items[0].detail and items[0].source == f"{path}:1"
    assert peak < 64 * 1024**2


def test_line_at_the_cap_is_read_and_one_past_it_is_not(tmp_path):
    line = jsonl_line(text=EN_TEXT).encode()
    path = write(tmp_path / "cap.jsonl", line + line.replace(b"Port", b"Port "))
    items = list(read_jsonl(path, max_line_bytes=len(line)))
    assert [getattr(i, "code", None) for i in items] == [None, "CW105"]
