"""A story's claims for a fact-check: the claim matrix as CSV, schema.org Claim JSON-LD and
a self-contained HTML report (story_report_html).

    export = story_export(corpus, "17")
    claim_matrix_csv(export)   # one row per claim; per article its mark and its own sentence
    claims_jsonld(export)      # {"@context": "https://schema.org", "@graph": [Claim, ...]}

Each schema.org `Claim` lists every article that carries it as an `appearance` (with the
article's own sentence, language, publisher and date), the earliest as `firstAppearance`,
and as `author` the named sources (people and organisations) the earliest article gives
it, where there are any: ready to be the `itemReviewed` of a ClaimReview. Dates are ISO
8601, with the offset when the article gave one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..corpus import Claim, Corpus, StoryArticle, StoryView
from ..text.dates import iso_datetime

SCHEMA_ORG = "https://schema.org"
# Cells a spreadsheet would read as a formula ("=HYPERLINK(...)"): article text is untrusted.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Entity kinds that name who made a claim, and their schema.org types.
_AUTHOR_TYPES = {"person": "Person", "outlet": "Organization", "institution": "Organization"}


@dataclass(frozen=True)
class StoryExport:
    """What an export of one story needs: its view, and what the view names by key only."""

    view: StoryView
    source_names: dict[str, tuple[str, str]]  # source key -> (kind, name as first written)
    authors: dict[int, str]  # article id -> its byline, where the article's metadata has one

    def article(self, article_id: int) -> StoryArticle:
        return next(a for a in self.view.articles if a.id == article_id)

    def source_label(self, key: str) -> str:
        kind, name = self.source_names.get(key, ("", ""))
        if key.startswith("article:"):
            article = self.article(int(key.partition(":")[2]))
            return f"article {article.id} ({article.outlet or article.title or article.source})"
        return f"{name} ({kind})" if name else key


def story_export(corpus: Corpus, story_id: str) -> StoryExport:
    view = corpus.story(story_id)
    names: dict[str, tuple[str, str]] = {}
    order = {article.id: i for i, article in enumerate(view.articles)}
    # In time order, so that a source is named as the earliest article wrote it.
    for article in sorted(corpus.story_sources(story_id), key=lambda a: order.get(a.id, len(order))):
        sources = article.sources
        if sources.publisher:
            names.setdefault(sources.publisher.key, (sources.publisher.kind, sources.publisher.name))
        for attribution in sources.attributions:
            for entity in (attribution.entity, attribution.cited_entity):
                if entity is not None:
                    names.setdefault(entity.key, (entity.kind, entity.name))
    authors = {}
    for stored in corpus.store.articles([a.id for a in view.articles]):
        author = stored.article.meta.get("author") if isinstance(stored.article.meta, dict) else None
        if isinstance(author, str) and author.strip():
            authors[stored.id] = author.strip()
    return StoryExport(view, names, authors)


def claim_sentences(claim: Claim, article_id: int) -> str:
    """The article's own sentences that carry the claim, in its own language ('' where absent)."""
    return next((c.text for c in claim.cells if c.article_id == article_id), "")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def claim_matrix_csv(export: StoryExport) -> str:
    """The claim matrix, one row per claim: its text and language, who introduced it and when,
    its independent sources (those counted, and those folded into them), then for each
    article its mark and its own sentence, each column headed with the article's language."""
    view = export.view
    columns = [
        "claim",
        "text",
        "lang",
        "introduced_by",
        "first_seen",
        "independent_sources",
        "counted_sources",
        "folded_sources",
    ]
    for article_id in view.matrix_articles:
        article = export.article(article_id)
        label = f"article {article_id} [{article.lang}]"
        columns += [f"{label} mark", f"{label} sentence"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for number, claim in enumerate(view.claims, 1):
        row = [
            number,
            claim.text,
            claim.lang,
            claim.introduced_by,
            iso_datetime(export.article(claim.introduced_by).published) or "",
            claim.independent_sources,
            "; ".join(export.source_label(key) for key in claim.root_sources),
            "; ".join(f"{export.source_label(f.source)} {f.how} {export.source_label(f.into)}" for f in claim.folded),
        ]
        for article_id in view.matrix_articles:
            cell = next(c for c in claim.cells if c.article_id == article_id)
            row += [cell.mark, cell.text]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _web_address(article: StoryArticle) -> str | None:
    """The article's address when it is an http(s) one: an article's metadata is untrusted
    ("javascript:..."), and a Claim's consumers follow these."""
    url = (article.url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _article_id(article: StoryArticle) -> str:
    return _web_address(article) or f"urn:crosswire:article:{article.id}"


def _appearance(export: StoryExport, claim: Claim, article: StoryArticle) -> dict:
    work: dict = {
        "@type": "CreativeWork",
        "@id": _article_id(article),
        "inLanguage": article.lang,
        "text": claim_sentences(claim, article.id),
    }
    if _web_address(article):
        work["url"] = _web_address(article)
    if article.title:
        work["headline"] = article.title
    published = iso_datetime(article.published)
    if published:
        work["datePublished"] = published
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.id in export.authors:
        work["author"] = {"@type": "Person", "name": export.authors[article.id]}
    return work


def claims_jsonld(export: StoryExport) -> dict:
    """Every claim of the story as a schema.org Claim (see the module docstring)."""
    view = export.view
    order = {article_id: i for i, article_id in enumerate(view.matrix_articles)}
    graph = []
    for number, claim in enumerate(view.claims, 1):
        carrying = sorted((c.article_id for c in claim.cells if c.mark != "absent"), key=order.__getitem__)
        appearances = [_appearance(export, claim, export.article(a)) for a in carrying]
        first = appearances[0]
        item: dict = {
            "@type": "Claim",
            "@id": f"urn:crosswire:story:{view.summary.id}:claim:{number}",
            "text": claim.text,
            "inLanguage": claim.lang,
            "appearance": appearances,
            "firstAppearance": first,
        }
        if "datePublished" in first:
            item["datePublished"] = first["datePublished"]
        authors = []
        for key in claim.sources.get(carrying[0], ()):
            kind, name = export.source_names.get(key, ("", ""))
            if kind in _AUTHOR_TYPES and name:
                authors.append({"@type": _AUTHOR_TYPES[kind], "name": name})
        if authors:
            item["author"] = authors[0] if len(authors) == 1 else authors
        graph.append(item)
    return {"@context": SCHEMA_ORG, "@graph": graph}
