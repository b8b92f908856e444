"""crosswire's settings from the environment, read once where a program starts (the CLI,
the web server's worker processes) and passed into the library, which reads and sets no
environment variable itself.

| variable            | setting   | meaning                                                  |
|---------------------|-----------|----------------------------------------------------------|
| `CROSSWIRE_THREADS` | `threads` | threads each encoder call uses (default: every core; `crosswire ingest`: every core but one) |

(`CROSSWIRE_DB`, the corpus database, is read by the CLI's --db option itself.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from crosswire.errors import CrosswireError

THREADS_ENV = "CROSSWIRE_THREADS"


@dataclass(frozen=True)
class Settings:
    threads: int | None = None  # intra-op threads of each encoder call; None: the caller's default

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """The settings the environment gives (CW901 for a value that is not one)."""
        return cls(threads=_positive_int(environ, THREADS_ENV))


DEFAULT_SETTINGS = Settings()


def _positive_int(environ: Mapping[str, str], name: str) -> int | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise CrosswireError("CW901", name, f"'{raw}' is not a positive whole number")
    return value
