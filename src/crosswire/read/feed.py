"""RSS/Atom feed files -> Articles, one per entry, via feedparser.

An entry's text is its full content when the feed carries it, else its summary; HTML
in either is reduced to text, keeping paragraph breaks. The entry's link and date
become the Article's url and published (UTC, ISO 8601); the feed's title is the outlet.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.read.article import article_or_error, build_article
from crosswire.read.text import text_from_str

# Elements whose text is code, not prose.
_CODE_TAGS = frozenset({"script", "style"})
# Elements before and after which a line break keeps paragraphs (and list items) apart in the text.
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article header footer figure".split()
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_feed(data: bytes, source: str) -> Iterator[Article | CrosswireError]:
    """Yield an Article per usable entry, a CrosswireError per unusable one.

    Raises CW110 when the file is not a feed at all or has no entries; entry sources
    are `source (entry N)`.
    """
    import feedparser  # Imported here: only feed files need it.

    if not data.strip():
        raise CrosswireError("CW102", source, "the file is empty")
    try:
        parsed = feedparser.parse(data)
    # feedparser runs its own sanitiser and date parsers over untrusted markup; an
    # exception from any of them means the file is not a feed we can read.
    except Exception as exc:  # noqa: BLE001
        raise CrosswireError("CW110", source, f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})") from None
    if not parsed.get("entries"):
        if parsed.get("bozo"):
            reason = f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
        else:
            reason = "the feed has no entries" if parsed.get("version") else "not an RSS/Atom feed"
        raise CrosswireError("CW110", source, reason)
    outlet = parsed.get("feed", {}).get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        entry_source = f"{source} (entry {number})"
        yield article_or_error(entry_source, lambda: _article(entry, entry_source, outlet))


def _article(entry: Any, source: str, outlet: str | None) -> Article:
    body = entry.content[0] if entry.get("content") else entry.get("summary_detail")
    if not body or not body.get("value", "").strip():
        raise CrosswireError("CW102", source, "the entry has neither content nor a summary")
    text = body["value"]
    if body.get("type") in _HTML_TYPES:
        text = fragment_text(text, source)
    return build_article(
        text_from_str(text, source),
        source,
        is_html=False,
        lang=None,
        meta={},
        title=entry.get("title") or None,
        url=entry.get("link") or None,
        outlet=outlet,
        published=_published(entry, source),
    )


def _published(entry: Any, source: str) -> str | None:
    """The entry's date as ISO 8601 (UTC). CW110 for a date feedparser read but no calendar
    has (year 0, year 10000 once moved to UTC)."""
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed_time:
        return None
    try:
        return datetime(*parsed_time[:6], tzinfo=timezone.utc).isoformat()
    except (ValueError, OverflowError):
        written = entry.get("published") or entry.get("updated") or ""
        raise CrosswireError("CW110", source, f"the entry's date is not a calendar date: {written[:40]!r}") from None


def fragment_text(html: str, source: str) -> str:
    """The text of an HTML fragment, a line per block element, without scripts or styles.

    Raises CW110 when lxml cannot parse the fragment at all.
    """
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise CrosswireError("CW110", source, f"the entry's HTML could not be parsed ({exc})") from None
    # The text is gathered by walking the tree, not by editing it: lxml keeps a control
    # character the page holds, but refuses to be given one back (a ValueError).
    parts: list[str] = []
    walk = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        if event == "start":
            if element.tag in _CODE_TAGS or not isinstance(element.tag, str):  # scripts, comments
                walk.skip_subtree()
                continue
            if element.tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(element.text or "")
            continue
        if element.tag in _BLOCK_TAGS:
            parts.append("\n")
        if element is not root:
            parts.append(element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
