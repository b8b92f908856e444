"""Inputs that once ended a whole run (found by fuzzing): each bad line or entry is a
rejection naming it, with its code, and the rest of its file is read."""

import pytest
from corpus_samples import EN_TEXT, hostile_inputs, write

from crosswire.model import Article
from crosswire.read import Rejected, read_articles
from crosswire.read.feed import fragment_text

HOSTILE = hostile_inputs()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_line_or_entry_is_rejected_and_the_rest_read(tmp_path, name):
    content, expected = HOSTILE[name]
    path = write(tmp_path / name, content)
    items = list(read_articles(path))
    rejected = [(r.source, r.code) for r in items if isinstance(r, Rejected)]
    assert rejected == [(f"{path}{suffix}", code) for suffix, code in expected]
    articles = [a for a in items if isinstance(a, Article)]
    assert articles and all(a.lang == "en" for a in articles)


def test_reasons_say_what_is_wrong(tmp_path):
    details = {}
    for name, (content, _) in HOSTILE.items():
        for item in read_articles(write(tmp_path / name, content)):
            if isinstance(item, Rejected):
                details[name] = item.detail
    assert "nested too deeply" in details["deep.jsonl"]
    assert "4300" in details["long-number.jsonl"]
    assert "lone surrogate (U+D800)" in details["surrogate.jsonl"]
    assert "not a calendar date: '0000-03-05T08:00:00Z'" in details["year-0.rss"]


def test_a_lone_surrogate_in_any_field_is_refused(tmp_path):
    lines = [
        '{"text": "%s", "title": "Storm \\udfff"}\n' % EN_TEXT.replace("\n", " "),
        '{"text": "%s", "desk": {"editor": "\\ud83d"}}\n' % EN_TEXT.replace("\n", " "),
        '{"text": "%s", "title": "Storm \\ud83d\\ude00"}\n' % EN_TEXT.replace("\n", " "),  # a pair: one character
    ]
    first, second, third = read_articles(write(tmp_path / "s.jsonl", "".join(lines)))
    assert (first.code, second.code) == ("CW104", "CW104")
    assert third.title == "Storm \U0001f600"


def test_fragment_text_keeps_a_control_character_and_the_blocks_apart():
    html = "<p>Night\x08shifts</p><script>var x = 1;</script>tail<!-- note --><ul><li>a</li><li>b</li></ul>end"
    assert fragment_text(html, "f") == "Night\x08shifts\ntail\na\nb\nend"


def test_an_unexpected_failure_in_one_line_is_cw114_and_the_rest_read(tmp_path, monkeypatch):
    """The guard behind the known cases: whatever a parser raises on one record is that
    record's rejection (CW114, with the exception), not the end of the file or the run."""
    import crosswire.read.jsonl as jsonl

    real = jsonl._article

    def failing_on_line_1(line, source):
        if source.endswith(":1"):
            raise RuntimeError("a parser's own bug")
        return real(line, source)

    monkeypatch.setattr(jsonl, "_article", failing_on_line_1)
    path = write(tmp_path / "a.jsonl", f'{{"text": "{EN_TEXT.splitlines()[0]}"}}\n' * 2)
    rejected, article = read_articles(path)
    assert (rejected.code, rejected.source) == ("CW114", f"{path}:1")
    assert "RuntimeError: a parser's own bug" in rejected.detail
    assert article.lang == "en"


def test_json_nested_past_the_depth_limit_is_refused_below_it_read(tmp_path):
    """Nesting just inside Python's recursion limit once passed json.loads and then failed
    where the record was written back as JSON (deeper in the stack): the limit is far below."""
    from crosswire.read.jsonl import MAX_JSON_DEPTH

    def line(depth: int) -> str:  # the record itself is level 1
        return '{"text": "%s", "desk": %s%s}\n' % (EN_TEXT.replace("\n", " "), "[" * (depth - 1), "]" * (depth - 1))

    path = write(tmp_path / "d.jsonl", line(MAX_JSON_DEPTH) + line(MAX_JSON_DEPTH + 1) + line(990))
    at_limit, over, far_over = read_articles(path)
    assert at_limit.lang == "en"
    assert (over.code, far_over.code) == ("CW109", "CW109")
    assert f"nested more than {MAX_JSON_DEPTH} levels deep" in over.detail
