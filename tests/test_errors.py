"""The error codes: one registry (crosswire.errors.CODES), and docs/errors.md generated from it.

`python tests/test_errors.py` rewrites docs/errors.md after a change to CODES or DETAILS.
"""

from __future__ import annotations

import re
from pathlib import Path

from crosswire.errors import CODES, DETAILS, docs_page

ROOT = Path(__file__).resolve().parents[1]
DOCS_PAGE = ROOT / "docs" / "errors.md"
CODE = re.compile(r"\bCW\d{3}\b")


def codes_written_in_src() -> dict[str, list[str]]:
    """Every code that appears in the package's source outside the registry, with the files
    it appears in."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "src" / "crosswire").rglob("*.py")):
        if path.name == "errors.py" and path.parent.name == "crosswire":
            continue
        for code in set(CODE.findall(path.read_text(encoding="utf-8"))):
            found.setdefault(code, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_code_in_the_source_is_registered():
    missing = {code: files for code, files in codes_written_in_src().items() if code not in CODES}
    assert not missing, f"codes used in src/ but missing from crosswire.errors.CODES: {missing}"


def test_every_registered_code_is_used_and_details_are_for_registered_codes():
    unused = set(CODES) - set(codes_written_in_src())
    assert not unused, f"codes in crosswire.errors.CODES that nothing in src/ raises: {sorted(unused)}"
    assert set(DETAILS) <= set(CODES)


def test_the_errors_page_is_generated_from_the_registry():
    assert DOCS_PAGE.read_text(encoding="utf-8") == docs_page(), (
        "docs/errors.md is out of date with crosswire.errors.CODES: run python tests/test_errors.py"
    )


if __name__ == "__main__":
    DOCS_PAGE.write_text(docs_page(), encoding="utf-8")
    print(f"wrote {DOCS_PAGE.relative_to(ROOT)}")
