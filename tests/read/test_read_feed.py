from corpus_samples import DE_PARAGRAPHS, EN_PARAGRAPHS, atom_feed, rss_feed, write

from crosswire.read import Rejected, read_articles
from crosswire.read.feed import fragment_text


def _entry(n: int, paragraphs: list[str]) -> dict:
    return {
        "title": f"Story {n}",
        "link": f"https://herald.example/{n}",
        "date": "Tue, 05 Mar 2024 08:00:00 GMT",
        "html": "".join(f"<p>{p}</p>" for p in paragraphs) + "<script>alert(1)</script>",
    }


def test_rss_entries_become_articles(tmp_path):
    path = write(tmp_path / "herald.rss", rss_feed([_entry(1, EN_PARAGRAPHS), _entry(2, DE_PARAGRAPHS)]))
    first, second = read_articles(path)
    assert first.source == f"{path} (entry 1)"
    assert (first.lang, first.title, first.url, first.outlet) == (
        "en",
        "Story 1",
        "https://herald.example/1",
        "Elrond Herald",
    )
    assert first.published == "2024-03-05T08:00:00+00:00"
    assert first.text.split("\n") == EN_PARAGRAPHS  # paragraphs kept apart, script dropped
    assert second.lang == "de"


def test_atom_content_by_sniffing_without_extension(tmp_path):
    entry = {**_entry(1, DE_PARAGRAPHS), "date": "2024-03-05T08:00:00Z"}
    path = write(tmp_path / "feed-download", atom_feed([entry]))
    (article,) = read_articles(path)
    assert (article.lang, article.outlet, article.url) == ("de", "Elrond Atom", "https://herald.example/1")


def test_empty_entry_rejected_others_kept(tmp_path):
    empty = {**_entry(2, []), "html": " "}
    path = write(tmp_path / "f.xml", rss_feed([_entry(1, EN_PARAGRAPHS), empty]))
    article, rejected = read_articles(path)
    assert article.lang == "en"
    assert rejected == Rejected(f"{path} (entry 2)", "CW102", "the entry has neither content nor a summary")


def test_not_a_feed(tmp_path):
    path = write(tmp_path / "data.xml", '<?xml version="1.0"?><dataset><doc id="1">text</doc></dataset>')
    (rejected,) = read_articles(path)
    assert (rejected.source, rejected.code) == (str(path), "CW110")


def test_fragment_text_keeps_blocks_apart():
    assert fragment_text("<div>One <b>bold</b></div><ul><li>a</li><li>b</li></ul>tail", "s") == "One bold\na\nb\ntail"


def test_external_entities_are_not_resolved(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-LINE")
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>x</title><item><title>t</title><link>https://h/1</link>'
        f"<description>{EN_PARAGRAPHS[0]} &amp;leak; &leak;</description></item></channel></rss>"
    )
    items = list(read_articles(write(tmp_path / "xxe.rss", feed)))
    assert all("TOP-SECRET" not in getattr(item, "text", str(item)) for item in items)
