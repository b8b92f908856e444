"""crosswire: cross-check news across languages.

The public API:

    import crosswire
    cmp = crosswire.compare(text_en, text_id)      # str or Article
    cmp.to_dict()                                   # JSON form, schema crosswire.comparison/1
    article = crosswire.read_path("page.html")      # txt or HTML -> Article
    for item in crosswire.read_articles("folder/"): # Article or Rejected, any input kind
        ...
    with crosswire.open_store("crosswire.db") as store:
        report = crosswire.ingest(["folder/"], store)   # IngestReport, schema crosswire.ingest/1
    crosswire.similarity(text_a, text_b)            # 0..1: how likely the same story
    with crosswire.Corpus("crosswire.db") as corpus:  # ingest + story linking, views, search
        corpus.ingest(["folder/"]); corpus.stories(); corpus.story("17"); corpus.search("query")
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Each public name and the module it comes from, imported on first use (PEP 562): `import
# crosswire` stays cheap, and a command pays only for what it runs (compare never loads the
# corpus, story linking or the store).
_EXPORTS = {
    "compare": "compare",
    "compare_many": "compare",
    "Corpus": "corpus",
    "SearchResults": "corpus",
    "StorySummary": "corpus",
    "StoryView": "corpus",
    "CrosswireError": "errors",
    "Article": "model",
    "Comparison": "model",
    "Difference": "model",
    "Link": "model",
    "Sentence": "model",
    "Span": "model",
    "IngestReport": "ingest",
    "ingest": "ingest",
    "Rejected": "read",
    "read_articles": "read",
    "read_path": "read",
    "read_string": "read",
    "similarity": "similarity",
    "Store": "store",
    "open_store": "store",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'crosswire' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"crosswire.{module}"), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(types.ModuleType):
    """Importing a submodule sets it as an attribute of its package; `compare`, `ingest` and
    `similarity` name both a submodule and the function it exports, and the function must win
    (as when this file imported them all at once)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:
    from .compare import compare, compare_many
    from .corpus import Corpus, SearchResults, StorySummary, StoryView
    from .errors import CrosswireError
    from .ingest import IngestReport, ingest
    from .model import Article, Comparison, Difference, Link, Sentence, Span
    from .read import Rejected, read_articles, read_path, read_string
    from .similarity import similarity
    from .store import Store, open_store
