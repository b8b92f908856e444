"""HTML page -> main article text and metadata, via trafilatura.

Offsets downstream refer to the extracted text, not to the HTML source.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswire.errors import CrosswireError


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    url: str | None
    outlet: str | None  # the site's name
    published: str | None  # ISO date (YYYY-MM-DD)


def extract_page(html: str, source: str) -> Page:
    """Extract the article body (no comments, navigation or scripts) and its metadata.

    Raises CW106 when the page has no main text or cannot be parsed at all.
    """
    # Imported here: it takes about 0.3 s to load and plain-text inputs never need it.
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    # trafilatura runs lxml, htmldate, justext and courlan over untrusted markup, and
    # each can fail in its own way on hostile input; whatever it is, the page is unusable.
    except Exception as exc:  # noqa: BLE001
        raise CrosswireError("CW106", source, f"the HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    if doc is None or not (doc.text or "").strip():
        raise CrosswireError("CW106", source, "found no main article text in the HTML page")
    return Page(
        text=doc.text,
        title=doc.title or None,
        url=doc.url or None,
        outlet=doc.sitename or None,
        published=doc.date or None,
    )
