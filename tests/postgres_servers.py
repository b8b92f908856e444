"""PostgreSQL servers for the tests, started here (imported by tests/conftest.py).

- `pg_server`: PostgreSQL 16 with pgvector from the PyPI package pgserver, on a unix
  socket in a temporary folder (no TCP port), for the whole session.
- `pg15_server`: Debian's postgresql-15, which has no pgvector: a throwaway cluster
  (initdb + pg_ctl) on a unix socket, for the fallback tests.
- `new_database(server_url)`: an empty database on a server, one per test.

Both servers are stopped and their folders removed at the end of the session.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import subprocess
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from crosswire.store import is_postgres_url
from crosswire.store.sqlite import MIGRATIONS as SQLITE_MIGRATIONS, STORIES_SUFFIX

DEBIAN_PG15 = Path("/usr/lib/postgresql/15/bin")
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory) -> str:
    """The URL of a running PostgreSQL 16 + pgvector 0.6 server (pgserver)."""
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset (pgserver falls back to /tmp).
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(tmp_path_factory.mktemp("pgserver"), cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def pg15_server(tmp_path_factory) -> str:
    """The URL of a running Debian postgresql-15 server, which has no pgvector."""
    if not (DEBIAN_PG15 / "initdb").is_file():
        pytest.fail(f"{DEBIAN_PG15}/initdb is missing: .ci/install installs postgresql-15 (apt-get)")
    # initdb refuses to run as root: the cluster then belongs to `nobody`, in a folder of
    # its own outside pytest's, whose base folder another pytest run on the machine
    # resets to owner-only while this one runs.
    user = "nobody" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="crosswire-pg15-")) if user is not None else tmp_path_factory.mktemp("pg15")
    data, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    if user is not None:
        root.chmod(0o755)
        shutil.chown(root, user)
        shutil.chown(socket_dir, user)
    subprocess.run(
        [DEBIAN_PG15 / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        user=user,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            DEBIAN_PG15 / "pg_ctl",
            "-D",
            data,
            "-l",
            root / "log",
            "-w",
            "-o",
            f"-k {socket_dir} -h '' -c fsync=off",
            "start",
        ],
        user=user,
        check=True,
        capture_output=True,
    )
    yield f"postgresql://postgres@/postgres?host={quote(str(socket_dir))}"
    subprocess.run([DEBIAN_PG15 / "pg_ctl", "-D", data, "-m", "immediate", "stop"], user=user, capture_output=True)
    if user is not None:
        shutil.rmtree(root, ignore_errors=True)


def new_database(server_url: str) -> str:
    """Create an empty database on the server; returns its URL."""
    import psycopg

    name = f"crosswire_test_{os.getpid()}_{next(_database_numbers)}"
    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return database_url(server_url, name)


def copy_database(server_url: str, source_url: str) -> str:
    """A new database on the server with the contents of another (as its template)."""
    import psycopg

    name = f"crosswire_test_{os.getpid()}_{next(_database_numbers)}"
    template = urlsplit(source_url).path.lstrip("/")
    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return database_url(server_url, name)


def database_url(server_url: str, name: str) -> str:
    """The server URL with another database name (URLs of the form .../dbname?host=...)."""
    head, _, query = server_url.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def copy_corpus(db: str, folder: Path) -> str:
    """A copy of a corpus to change in one test: the SQLite file with its linker folder
    (into `folder`), or a new PostgreSQL database made from the first as a template."""
    if is_postgres_url(db):
        return copy_database(database_url(db, "postgres"), db)
    copy = str(folder / Path(db).name)
    shutil.copy(db, copy)
    shutil.copytree(db + STORIES_SUFFIX, copy + STORIES_SUFFIX)
    return copy


def lose_linker_state(db: str) -> None:
    """Remove the saved story linker (its folder beside an SQLite file, its rows in PostgreSQL)."""
    if is_postgres_url(db):
        execute(db, "DELETE FROM linker_state")
    else:
        shutil.rmtree(db + STORIES_SUFFIX)


# The SQL that takes a corpus back from schema version 6 to 5 (tests of older files). SQLite
# gets migration 3's summary triggers back: it checks every trigger when a later migration
# renames a table. PostgreSQL's functions are replaced by migration 6 when it runs again.
_SQLITE_SUMMARY_TRIGGERS = SQLITE_MIGRATIONS[2][SQLITE_MIGRATIONS[2].index("CREATE TRIGGER story_member_added") :]
UNDO_MIGRATION_6 = {
    "sqlite": "DROP TABLE linker_journal; DROP TABLE link_queue; DROP TABLE summary_queue;"
    " DROP TRIGGER article_added; DROP TRIGGER article_linked; DROP TRIGGER article_unlinked;"
    " DROP TRIGGER story_member_added; DROP TRIGGER story_member_moved; DROP TRIGGER story_member_removed;"
    f" DROP TRIGGER story_article_changed; {_SQLITE_SUMMARY_TRIGGERS.strip().rstrip(';')}",
    "postgres": "DROP TABLE linker_journal; DROP TABLE link_queue; DROP TABLE summary_queue;"
    " DROP FUNCTION article_added CASCADE; DROP FUNCTION article_link_changed CASCADE",
}


def undo_migration_6(db: str) -> str:
    """UNDO_MIGRATION_6 for the engine of `db`."""
    return UNDO_MIGRATION_6["postgres" if is_postgres_url(db) else "sqlite"]


def execute(db: str, script: str) -> None:
    """Run SQL statements on a corpus database of either engine, in one transaction."""
    if is_postgres_url(db):
        import psycopg

        with psycopg.connect(db) as connection:  # commits on leaving the block
            connection.execute(script)
    else:
        connection = sqlite3.connect(db, isolation_level=None)
        connection.executescript(f"BEGIN; {script}; COMMIT;")
        connection.close()


def query_value(db: str, sql: str):
    """The first column of the first row of a query, on a corpus database of either engine."""
    if is_postgres_url(db):
        import psycopg

        with psycopg.connect(db) as connection:
            return connection.execute(sql).fetchone()[0]
    connection = sqlite3.connect(db)  # closed, not only committed: a copy of the file must see every write
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()
