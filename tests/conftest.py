"""Shared test fixtures.

The development data lives outside the repository in ../shared/data (it belongs to its
publishers and is never copied here). A missing data folder is a broken checkout, so
tests that need it fail with the path rather than skip and hide a gap.
"""
from pathlib import Path

import pytest
from postgres_servers import pg15_server, pg_server  # noqa: F401  (fixtures: PostgreSQL servers the tests start)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def seed_path():
    def path(name: str) -> Path:
        p = SHARED_DATA / "seeds" / name
        if not p.is_file():
            pytest.fail(f"seed file {p} is missing: clone the project with its shared/ folder beside it")
        return p

    return path
