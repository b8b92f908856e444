"""crosswire's settings from the environment, read once where a program starts (the CLI,
the web server's worker processes) and passed into the library, which reads and sets no
environment variable itself.

| variable            | setting   | meaning                                                  |
|---------------------|-----------|----------------------------------------------------------|
| `CROSSWIRE_THREADS` | `threads` | threads each encoder call uses (default: every core; `crosswire ingest`: every core but one) |

Three more variables say where files are, and are read where the files are looked for,
as platformdirs reads XDG_DATA_HOME: `CROSSWIRE_DB`, the corpus database (the CLI's --db
option), `CROSSWIRE_MODELS`, the folder of the models a user builds (`user_models_dir`:
the attribution tagger's, which worker and Ray processes must find as the process that
started them does), and `CROSSWIRE_CACHE`, the folder of what is kept only to start faster
(`user_cache_dir`: the language model, decompressed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import platformdirs

from crosswire.errors import CrosswireError

THREADS_ENV = "CROSSWIRE_THREADS"
MODELS_ENV = "CROSSWIRE_MODELS"
CACHE_ENV = "CROSSWIRE_CACHE"


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


def user_cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The folder of files crosswire keeps only to start faster (the language model,
    decompressed: 68 MB), safe to delete: $CROSSWIRE_CACHE, else the user's cache folder
    (platformdirs)."""
    configured = environ.get(CACHE_ENV)
    return Path(configured) if configured else platformdirs.user_cache_path("crosswire")


def user_models_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The folder of the models a user builds (crosswire.attribution.train): $CROSSWIRE_MODELS,
    else `models/` in the user's data folder (platformdirs)."""
    configured = environ.get(MODELS_ENV)
    return Path(configured) if configured else platformdirs.user_data_path("crosswire") / "models"
