"""Every reader, fed damaged input, rejects it with a reason and the batch goes on.

Each example writes one damaged file next to a good one and reads the folder: nothing
may raise, every rejection names the damaged file and says why, and the good file's
article is still read.
"""

import tempfile
from pathlib import Path

from corpus_samples import (
    DE_PARAGRAPHS,
    EN_PARAGRAPHS,
    EN_TEXT,
    atom_feed,
    html_page,
    jsonl_line,
    rss_feed,
    warc_bytes,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.model import Article
from crosswire.read import Rejected, read_articles

GOOD_NAME = "zz-good.txt"  # read last: the batch must reach it whatever came before

VALID = {
    "page.txt": EN_TEXT.encode("utf-8"),
    "page.html": html_page(EN_PARAGRAPHS).encode("utf-8"),
    "lines.jsonl": (jsonl_line(text=EN_TEXT, title="a") + jsonl_line(text="\n".join(DE_PARAGRAPHS))).encode("utf-8"),
    "feed.rss": rss_feed(
        [{"title": "t", "link": "https://h/1", "date": "Tue, 05 Mar 2024 08:00:00 GMT", "html": f"<p>{EN_TEXT}</p>"}]
    ).encode("utf-8"),
    "feed.atom": atom_feed(
        [{"title": "t", "link": "https://h/1", "date": "2024-03-05T08:00:00Z", "html": f"<p>{EN_TEXT}</p>"}]
    ).encode("utf-8"),
    "crawl.warc.gz": warc_bytes([("https://h/a", html_page(EN_PARAGRAPHS).encode(), "text/html")]),
    "crawl.warc": warc_bytes(
        [("https://h/a", html_page(DE_PARAGRAPHS, lang="de").encode(), "text/html")], gzipped=False
    ),
}


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(VALID)))
    data = VALID[name]
    how = draw(st.sampled_from(["truncate", "binary", "reencode", "flip", "splice"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif how == "binary":
        data = draw(st.binary(min_size=1, max_size=4096))
    elif how == "reencode":
        codec = draw(st.sampled_from(["utf-16", "utf-32", "cp1252", "latin-1", "shift_jis"]))
        data = data.decode("utf-8", errors="replace").encode(codec, errors="replace")
    elif how == "flip":
        flips = draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=16))
        buffer = bytearray(data)
        for position in flips:
            buffer[position] ^= draw(st.integers(1, 255))
        data = bytes(buffer)
    else:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=512)) + data[at:]
    return name, data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_input_is_rejected_with_a_reason_and_the_batch_continues(case):
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        damaged_path = Path(folder) / name
        damaged_path.write_bytes(data)
        (Path(folder) / GOOD_NAME).write_text(EN_TEXT, encoding="utf-8")
        items = list(read_articles(folder))
    rejected = [item for item in items if isinstance(item, Rejected)]
    for item in rejected:
        assert item.source.startswith(str(damaged_path)), item
        assert item.code.startswith("CW1") and item.detail, item
    articles = [item for item in items if isinstance(item, Article)]
    assert all(a.text.strip() and a.lang for a in articles)
    assert articles and articles[-1].source.endswith(GOOD_NAME)
