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
- CW201 unknown encoder name
- CW202 encoder model or package is not installed
- CW301 input has no sentences left after boilerplate removal
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
    "CW201": "unknown encoder name",
    "CW202": "encoder model or package is not installed",
    "CW301": "input has no sentences left after boilerplate removal",
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
