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
    "CW114": "reading an input failed unexpectedly (the rest was read)",
    "CW201": "unknown encoder name",
    "CW202": "encoder model or package is not installed",
    "CW301": "input has no sentences left after boilerplate removal",
    "CW401": "database could not be opened or is not a crosswire database",
    "CW402": "database was written by a newer crosswire",
    "CW403": "not a date",
    "CW404": "no such story or article",
    "CW405": "corpus request cannot be carried out",
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
    "CW701": "article longer than the web server's character limit for a comparison",
    "CW702": "article has more sentences than the web server's limit for a comparison",
    "CW703": "comparison stopped at the web server's time limit",
    "CW704": "web server busy: every comparison worker is in use",
    "CW705": "comparison worker stopped unexpectedly",
    "CW706": "web server busy: too many ingest jobs waiting",
    "CW707": "no such ingest job",
    "CW708": "request names a host this server does not answer to",
    "CW709": "request body over the web server's upload cap",
    "CW710": "request body without a declared length",
    "CW711": "cross-site request refused",
    "CW712": "internal server error",
    "CW713": "story has too many articles to show",
    "CW714": "uploaded file made its reader fail",
    "CW140": "not an http(s) address",
    "CW141": "host name could not be resolved",
    "CW142": "connection refused or failed",
    "CW143": "the server answered with an HTTP error",
    "CW144": "the answer is over the size limit",
    "CW145": "the answer is not an HTML page or a feed",
    "CW146": "redirect loop",
    "CW147": "too many redirects",
    "CW148": "no answer within the timeout",
    "CW149": "disallowed by the site's robots.txt",
    "CW801": "no such export format",
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
