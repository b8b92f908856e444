"""Scripts that write words without spaces between them, and the languages written in them.

Words, names, numbers, units and attribution cues are read differently there: a name is
a run of one script, and a numeral, a unit or a scale word may touch the letters around
it ("耗资350万", "20英尺高", "3.5 ล้านยูโร"). One definition serves them all, so a
language nobody listed (Lao, Khmer, Burmese, Tibetan, Cantonese) is read like the ones
that were: by its script, which CLDR's likely subtags give for any language code.
"""

from __future__ import annotations

import functools
import re

from babel.core import get_global

# Code point ranges (a character-class body for `re` and `regex` alike) of the scripts written
# without spaces: Han, kana, Thai, Lao, Tibetan, Myanmar, Khmer.
UNSPACED_LETTERS = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
    "\u0e00-\u0e7f\u0e80-\u0eff\u0f00-\u0fff\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff"
)
# Hangul is written with spaces, but particles and units join the word before them
# ("서울에서", "3억원"): there too a name or a number may touch other letters.
JOINING_LETTERS = UNSPACED_LETTERS + "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# The same scripts as ISO 15924 codes, as CLDR's likely subtags name a language's script.
_UNSPACED_CODES = frozenset({"Hani", "Hans", "Hant", "Jpan", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})
_JOINING_CODES = _UNSPACED_CODES | {"Kore", "Hang"}

_UNSPACED_CHARACTER = re.compile(f"[{UNSPACED_LETTERS}]")


def in_unspaced_script(text: str) -> bool:
    """Whether `text` starts with a letter of a script written without spaces."""
    return _UNSPACED_CHARACTER.match(text) is not None


@functools.lru_cache(maxsize=256)
def _script_code(lang: str) -> str | None:
    """The ISO 15924 code of the script `lang` is most likely written in ("th" -> "Thai")."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_"))
    parts = likely.split("_") if likely else []
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else None


def writes_without_spaces(lang: str) -> bool:
    """Whether `lang` is written in a script without spaces between words (zh, ja, th, lo, km, my, bo)."""
    return _script_code(lang) in _UNSPACED_CODES


def joins_words(lang: str) -> bool:
    """`writes_without_spaces`, or Korean: a name or a number may touch other letters."""
    return _script_code(lang) in _JOINING_CODES
