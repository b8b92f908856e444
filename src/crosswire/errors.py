"""User-facing errors. Each carries a short code and names the input it concerns.

CODES is the one registry of codes: a code raised anywhere must be in it (CrosswireError
refuses others, and tests/test_errors.py finds every code written in src/). The errors
page, docs/errors.md, is generated from it by docs_page(): `python tests/test_errors.py`
writes it, and the test fails while the page is out of date.
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
    "CW715": "ingest job already finished: it cannot be cancelled",
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
    "CW901": "a setting in the environment is not a valid value",
}


# What the errors page says of a code where it says more than the CODES line: the cause
# to look for, or what to do.
DETAILS: dict[str, str] = {
    "CW105": "larger than the size limit (50 MB, checked before reading)",
    "CW107": "language could not be identified (pass `--lang-a/--lang-b`)",
    "CW109": (
        "a JSONL line is not a usable article (bad JSON, no `text`, a field of the wrong type, a `published` "
        "that is not ISO 8601)"
    ),
    "CW111": "a WARC file could not be read (not a WARC, truncated, corrupt gzip)",
    "CW113": "input file could not be read (permissions, I/O error)",
    "CW402": "the database was written by a newer crosswire (schema version)",
    "CW403": "a `--since`/`--until` value is not a date (YYYY-MM-DD)",
    "CW405": "a corpus request that cannot be carried out (a split that empties a story, an empty search query)",
    "CW406": (
        "another process (an ingest, a linking pass, a migration) held the SQLite file's write lock for 10 "
        "minutes; the write was not made, nothing stored is lost: run again when that process is done"
    ),
    "CW501": "an attribution data file (cues, outlets, institutions) has a malformed line",
    "CW601": "a PostgreSQL corpus could not be reached or opened (the URL is shown with its password hidden)",
    "CW602": "a PostgreSQL database that has tables but is not a crosswire corpus (use an empty database)",
    "CW603": (
        "the server has pgvector but this user may not install it: run `CREATE EXTENSION vector` as the database owner"
    ),
    "CW604": "the PostgreSQL packages are not installed (`pip install 'crosswire[postgres]'`)",
    "CW605": "`crosswire db start`/`stop` could not start or find the local PostgreSQL server",
    "CW606": (
        "PostgreSQL refused an article's values (a NUL character in its text, which SQLite stores): the "
        "article is not stored; `crosswire watch` dead-letters its message"
    ),
    "CW620": "`crosswire batch` needs Ray Data: `pip install 'crosswire[scale]'`",
    "CW621": "the Ray cluster could not be started (local mode) or reached (`--address`)",
    "CW622": "a batch pipeline worker failed (its own error is shown)",
    "CW623": "a batch option that cannot work: no workers, or more encoder workers than the cluster has CPUs for",
    "CW624": "the objects under an input URL (`s3://…`, `file://…`) could not be listed",
    "CW625": "`crosswire watch` needs redis-py: `pip install 'crosswire[scale]'`",
    "CW626": "the Redis server could not be reached, or refused or dropped a command",
    "CW627": "a stream message has no `article` field (counted rejected and acknowledged)",
    "CW628": (
        "`crosswire batch ingest`: an article the store held when its block was checked (so not embedded) is "
        "gone when the driver stores it (the corpus was replaced during the run)"
    ),
    "CW629": (
        "`crosswire watch`: a message delivered more than `--max-deliveries` times was never acknowledged "
        "(its worker died or hung each time); it is moved to the dead-letter stream with this error"
    ),
    "CW630": "a `crosswire watch` option that cannot work (`--max-deliveries` below 1)",
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


def docs_page() -> str:
    """docs/errors.md, from CODES and DETAILS."""
    rows = "".join(f"| {code} | {DETAILS.get(code, meaning)} |\n" for code, meaning in sorted(CODES.items()))
    return (
        "# Errors\n\n"
        "<!-- Generated from src/crosswire/errors.py by `python tests/test_errors.py`: edit CODES there. -->\n\n"
        "Every user-facing error names the input and carries a code; the CLI prints\n"
        "`error: CW104 foo.txt: ...` and exits 2, with no traceback. Where a run reads many\n"
        "inputs, a rejected one is listed with its code and the rest is still read.\n\n"
        "| code | meaning |\n|---|---|\n" + rows
    )
