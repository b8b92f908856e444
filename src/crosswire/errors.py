"""User-facing errors. Each carries a short code and names the input it concerns.

Codes (documented in the README, checked by tests/test_errors.py):

- CW101 input file not found
- CW102 input is empty (or only whitespace)
- CW103 input looks binary, not text
- CW104 input is not valid text in any encoding we could detect
- CW105 input is larger than the size limit
- CW106 HTML page has no extractable article text
- CW107 language could not be identified
- CW108 language code not recognised
- CW109 a JSONL line is not a usable article (bad JSON, no text, a field of the wrong type)
- CW110 a feed file could not be parsed as RSS/Atom, or has no entries
- CW111 a WARC file could not be read (not a WARC, truncated or corrupt)
- CW112 compressed input expands far beyond its size (a decompression bomb)
- CW113 input file could not be read (permissions, I/O error)
- CW201 unknown encoder name
- CW202 encoder model or package is not installed
- CW301 input has no sentences left after boilerplate removal
- CW401 the database could not be opened or is not a crosswire database
- CW402 the database was written by a newer crosswire
- CW403 a --since/--until value is not a date
- CW404 no such story or article in the corpus
- CW405 a corpus request that cannot be carried out (a split that empties a story, an empty query)
- CW501 an attribution data file (cues, outlets) has a malformed line
- CW601 a PostgreSQL corpus could not be reached or opened
- CW602 a PostgreSQL database that has tables but is not a crosswire corpus
- CW603 the server has pgvector but the user may not install it (CREATE EXTENSION vector)
- CW604 the PostgreSQL client packages (psycopg, pgvector) are not installed
- CW605 `crosswire db start` could not start a local PostgreSQL server
- CW606 PostgreSQL refused an article's values (a NUL character in a text)
- CW620 the batch pipeline's engine (Ray Data) is not installed
- CW621 the Ray cluster could not be started or reached
- CW622 a batch pipeline worker failed
- CW623 a batch option that cannot be used (no workers)
- CW624 the objects under an input URL could not be listed
- CW625 the Redis client (redis-py) is not installed
- CW626 the Redis server could not be reached or refused a command
- CW627 a stream message is not a usable article (no `article` field)
- CW628 a batch article the store held when checked is gone when stored
- CW629 a stream message delivered more than --max-deliveries times, never acknowledged
- CW630 a watch option that cannot be used (--max-deliveries below 1)
"""
from __future__ import annotations

CODES: dict[str, str] = {
    "CW101": "input file not found",
    "CW102": "input is empty",
    "CW103": "input looks binary, not text",
    "CW104": "input is not valid text in any detectable encoding",
    "CW105": "input is larger than the size limit",
    "CW106": "HTML page has no extractable article text",
    "CW107": "language could not be identified",
    "CW108": "language code not recognised",
    "CW109": "JSONL line is not a usable article",
    "CW110": "feed could not be parsed or has no entries",
    "CW111": "WARC file could not be read",
    "CW112": "compressed input expands far beyond its size (decompression bomb)",
    "CW113": "input file could not be read",
    "CW201": "unknown encoder name",
    "CW202": "encoder model or package is not installed",
    "CW301": "input has no sentences left after boilerplate removal",
    "CW401": "database could not be opened or is not a crosswire database",
    "CW402": "database was written by a newer crosswire",
    "CW403": "not a date",
    "CW404": "no such story or article",
    "CW405": "corpus request cannot be carried out",
    "CW406": "another process held the SQLite database's write lock too long",
    "CW501": "malformed attribution data file line",
    "CW601": "PostgreSQL corpus could not be reached or opened",
    "CW602": "PostgreSQL database is not a crosswire corpus",
    "CW603": "pgvector could not be installed in the database",
    "CW604": "PostgreSQL client packages not installed",
    "CW605": "local PostgreSQL server could not be started",
    "CW606": "PostgreSQL refused an article's values",
    "CW620": "batch engine (Ray Data) not installed",
    "CW621": "Ray cluster could not be started or reached",
    "CW622": "a batch pipeline worker failed",
    "CW623": "batch option cannot be used",
    "CW624": "input URL could not be listed",
    "CW625": "Redis client not installed",
    "CW626": "Redis server unreachable or refused a command",
    "CW627": "stream message is not a usable article",
    "CW628": "a batch article known when checked is gone when stored",
    "CW629": "stream message delivered too often without acknowledgement",
    "CW630": "watch option cannot be used",
}


class CrosswireError(Exception):
    """An error the user can act on: `CW104 foo.txt: not valid UTF-8 ...`."""

    def __init__(self, code: str, source: str, detail: str):
        if code not in CODES:
            raise ValueError(f"undocumented error code {code}")
        self.code = code
        self.source = source
        self.detail = detail
        super().__init__(f"{code} {source}: {detail}")
