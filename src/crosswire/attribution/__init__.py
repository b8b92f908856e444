"""Who says so: attribution cues, sources and their normalised entities.

    extract_attributions(text, sentences, lang) -> tuple[Attribution, ...]
    resolve_source(text, lexicon(lang)) -> SourceEntity
    find_outlet("express.co.uk") -> Outlet (Daily Express)

Lexicons are data: `data/cues/<lang>.tsv`, `data/outlets.tsv`,
`data/institutions.tsv`.
"""

from .entities import Outlet, find_outlet, outlet_for_domain, outlets, resolve_source
from .extract import extract_attributions
from .lexicon import available_languages, lexicon

__all__ = [
    "Outlet",
    "available_languages",
    "extract_attributions",
    "find_outlet",
    "lexicon",
    "outlet_for_domain",
    "outlets",
    "resolve_source",
]
