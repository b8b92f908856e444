"""A quick fuzz run of each reader (bench/fuzz.py runs 10,000+ inputs each).

Each example is one file of the reader's kind built from hostile parts (see
fuzz_inputs): reading it must not raise, every rejection names the file and carries
a documented code, and no rejection is CW114 (a failure nobody anticipated: a bug to
fix, though the run goes on). The examples are derandomized, so a run is repeatable.
"""

import tempfile
from pathlib import Path

import pytest
from fuzz_inputs import READER_TARGETS, read_one
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.errors import CODES

QUICK = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize("kind", sorted(READER_TARGETS))
@QUICK
@given(data=st.data())
def test_reader_fuzz(kind, data):
    suffix, files = READER_TARGETS[kind]
    content = data.draw(files)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        _, rejected = read_one(path)
    for item in rejected:
        assert item.source.startswith(str(path)) and item.code in CODES and item.detail, item
        assert item.code != "CW114", item
