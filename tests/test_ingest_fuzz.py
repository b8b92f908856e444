"""A quick fuzz run of ingest (bench/fuzz.py runs 10,000+ inputs): folders of hostile
files of every kind, ingested with the real encoder into one real SQLite store.

Ingest must not raise, must list each bad input under its own file, never with CW114
(an unanticipated failure), and a second run over the same folder stores nothing new.
"""

import itertools
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent / "read"))
from fuzz_inputs import ingest_folders  # noqa: E402

import crosswire  # noqa: E402
from crosswire.store.sqlite import SqliteStore  # noqa: E402

_numbers = itertools.count()


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(files=ingest_folders)
def test_ingest_fuzz(files):
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / f"in{next(_numbers)}"
        folder.mkdir()
        for number, (suffix, content) in enumerate(files):
            (folder / f"f{number}{suffix}").write_bytes(content)
        with SqliteStore(str(Path(root) / "c.db")) as store:
            report = crosswire.ingest([folder], store)
            again = crosswire.ingest([folder], store)
    for item in report.rejected:
        assert item.source.startswith(str(folder)) and item.code != "CW114", item
    assert len(report.stored) == report.ingested + report.near_duplicates
    assert (again.ingested, again.near_duplicates) == (0, 0)
    assert sorted(map(str, again.rejected)) == sorted(map(str, report.rejected))
