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
from .compare import compare, compare_many
from .corpus import Corpus, SearchResults, StorySummary, StoryView
from .errors import CrosswireError
from .model import Article, Comparison, Difference, Link, Sentence, Span
from .ingest import IngestReport, ingest
from .read import Rejected, read_articles, read_path, read_string
from .similarity import similarity
from .store import Store, open_store

__version__ = "0.1.0"
__all__ = [
    "Article", "Comparison", "CrosswireError", "Difference", "Link", "Sentence", "Span",
    "Corpus", "IngestReport", "Rejected", "SearchResults", "Store", "StorySummary", "StoryView",
    "compare", "compare_many", "ingest", "open_store", "read_articles", "read_path", "read_string", "similarity", "__version__",
]
