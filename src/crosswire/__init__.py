"""crosswire: cross-check news across languages.

The public API:

    import crosswire
    cmp = crosswire.compare(text_en, text_id)      # str or Article
    cmp.to_dict()                                   # JSON form, schema crosswire.comparison/1
    article = crosswire.read_path("page.html")      # txt or HTML -> Article
"""
from .compare import compare
from .errors import CrosswireError
from .model import Article, Comparison, Difference, Link, Sentence, Span
from .read import read_path, read_string

__version__ = "0.1.0"
__all__ = [
    "Article", "Comparison", "CrosswireError", "Difference", "Link", "Sentence", "Span",
    "compare", "read_path", "read_string", "__version__",
]
