"""A small real corpus for the batch and watch tests, and a snapshot to compare corpora by.

Six WMT21 news documents (../shared/data/wmt21): each one's French original and German
human translation are one story, published a few hours apart, a day per document. The
first 12 segments of each side keep encoding cheap.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from dataclasses import dataclass

from postgres_servers import new_database

from crosswire import Corpus
from crosswire.ingest import extractor_fingerprint

# As tests/conftest.py has it; not imported from there, because a run that starts in
# tests/web/ has that folder's conftest under the name `conftest`.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DOCUMENTS = 6
SEGMENTS = 12


def wmt_articles() -> list[dict]:
    """JSON articles (as a JSONL line holds them), in document order: fr then de."""
    path = SHARED_DATA / "wmt21" / "newstest2021.fr-de.all.xml"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: clone the project with its shared/ folder beside it")
    out = []
    for n, doc in enumerate(list(ET.parse(path).getroot().iter("doc"))[:DOCUMENTS]):
        for side, hour in (("src", 8), ("ref", 14)):
            element = doc.find(side)
            segments = [seg.text.strip() for seg in element.iter("seg") if seg.text][:SEGMENTS]
            out.append(
                {
                    "text": "\n\n".join(segments),
                    "lang": element.get("lang"),
                    "title": segments[0],
                    "outlet": f"{doc.get('id').split('.')[0]}-{side}",
                    "published": f"2024-03-{n + 1:02d}T{hour:02d}:00:00",
                }
            )
    return out


ENGINES = ["sqlite", "postgresql"]


def empty_db(request, folder) -> str:
    """An empty corpus database for the test's engine (`request.param`, one of ENGINES):
    a SQLite file in `folder`, or a new database on the pgserver PostgreSQL."""
    if request.param == "sqlite":
        return str(folder / "corpus.db")
    return new_database(request.getfixturevalue("pg_server"))


@dataclass(frozen=True)
class Snapshot:
    articles: tuple[tuple[int, str, int | None], ...]  # (id, source, duplicate_of)
    attributions: tuple[tuple[int, tuple], ...]  # (id, its attributions as stored at ingest)
    stories: tuple[tuple[str, tuple[int, ...]], ...]  # (story id, its article ids)


def snapshot(db: str) -> Snapshot:
    """What `crosswire ingest` decides for a corpus: its articles, copies and stories."""
    with Corpus(db) as corpus:
        stories = tuple(
            sorted(
                (s.id, tuple(sorted(a for a, _linked in corpus.store.story_members(s.id)))) for s in corpus.stories()
            )
        )
        ids = sorted(a for _story, members in stories for a in members)
        stored = [corpus.store.article(a) for a in ids]
        attributions = corpus.store.attributions(ids, extractor_fingerprint())
    return Snapshot(
        tuple((s.id, s.article.source, s.duplicate_of) for s in stored),
        tuple(sorted(attributions.items())),
        stories,
    )
