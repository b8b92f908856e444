"""The SQLite store: one file (crosswire.db by default), WAL mode, the schema of store.schema.

The queries are store.sql's; this module holds what is SQLite's own: the connection, its
write lock, and the story linker's checkpoint in a folder beside the file.

Durability: every article is written in one transaction (article, its copy record,
sentences, vectors, facts), so a process killed at any moment leaves each article either
wholly stored or absent. WAL with synchronous=NORMAL keeps every committed transaction
across a process crash (kill -9); only a power cut can lose the last few commits.

Several processes may write one file: every write transaction begins with BEGIN
IMMEDIATE, which takes SQLite's one write lock up front (the others wait for it), so a
migration, or an article's near-duplicate check and insert, see what the process before
committed.

Near-duplicates: each article's MinHash signature is stored with it; the LSH index that
finds candidates is built from those signatures when the store is first asked, and
caught up with the articles other processes stored before each insert.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from filelock import FileLock, Timeout

from crosswire.errors import CrosswireError
from crosswire.stories import STATE_FILE, LinkerConfig, Profiles, StoryLinker
from crosswire.store import DEFAULT_DB
from crosswire.store.near_duplicates import NEAR_DUPLICATE_THRESHOLD
from crosswire.store.schema import SCHEMA_VERSION
from crosswire.store.sql import Dialect, SqlStore

__all__ = ["DEFAULT_DB", "MIGRATIONS", "SCHEMA_VERSION", "SqliteStore"]

# The story linker's checkpoint folder (state.json and its usearch graph) is the database path plus this.
STORIES_SUFFIX = ".stories"
# The linking lock (see SqliteStore.linking) is a file beside the database, named with this.
LINK_LOCK_SUFFIX = ".link-lock"
# A write waits this long for another process's write lock before saying so (SQLite's
# busy timeout, which it waits again and again), and at most WRITE_WAIT_LIMIT in all (CW406).
WRITE_WAIT_NOTICE = 10.0
WRITE_WAIT_LIMIT = 600.0
# Between tries of a statement SQLite answered busy (at once where waiting could deadlock).
BUSY_RETRY_S = 0.01
# A linking pass waits this long for another process's pass before saying so.
LINK_WAIT_NOTICE = 2.0

log = logging.getLogger(__name__)

SQLITE = Dialect(
    name="sqlite",
    types={
        "id_key": "INTEGER PRIMARY KEY",
        "id": "INTEGER",
        "blob": "BLOB",
        "real": "REAL",
        "without_rowid": " WITHOUT ROWID",
        "sequence_key": "INTEGER PRIMARY KEY AUTOINCREMENT",
    },
    placeholder="?",
    max_in_values=500,  # below SQLite's limit on bound parameters
    json_array_has="EXISTS (SELECT 1 FROM json_each({column}) WHERE value = %s)",
    json_array_values="JOIN json_each({column}) AS {alias}",
    text_order="",
    no_limit=-1,
)
# store.schema.MIGRATIONS as SQLite runs them.
MIGRATIONS = SQLITE.migrations()


class SqliteStore(SqlStore):
    """crosswire.store.Store on one SQLite file."""

    dialect = SQLITE
    FOREIGN_DATABASE = ("CW401", "an SQLite database, but not a crosswire one")

    def __init__(self, path: str = DEFAULT_DB, *, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD):
        super().__init__(str(path), near_duplicate_threshold)
        self.path = str(path)
        # One lock object per store: it counts nested holds (a merge links first), where
        # two would block each other.
        self._link_lock = FileLock(self.path + LINK_LOCK_SUFFIX)
        try:
            # isolation_level=None: transactions are explicit (BEGIN ... COMMIT, _Transaction).
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_NOTICE * 1000)}")
            # Two processes switching a new file at once can each hold a read lock while
            # wanting the other's: SQLite then answers busy at once, without its busy
            # timeout (it would deadlock), so the switch waits as a write does.
            _execute_waiting(self._db, self.path, "PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise CrosswireError("CW401", self.path, f"could not open the database ({exc})") from None

    def _migrate(self) -> None:
        # Under the write lock, so that of two processes opening a new file at once one
        # migrates and the other finds it done. Most opens find the schema current: that
        # is read first, without the lock.
        if "schema_version" in self._table_names() and self.schema_version == SCHEMA_VERSION:
            return
        with self._transaction():
            self._migrate_schema()

    @property
    def location(self) -> str:
        return self.path

    def own_files(self) -> list[str]:
        return [self.path + suffix for suffix in ("", "-wal", "-shm", "-journal", STORIES_SUFFIX, LINK_LOCK_SUFFIX)]

    # -- the story linker ------------------------------------------------------------

    @property
    def stories_dir(self) -> str:
        """Where the story linker's state and index are kept, next to the database."""
        return self.path + STORIES_SUFFIX

    @contextmanager
    def linking(self) -> Iterator[None]:
        """One linking pass at a time across every process on this file: an exclusive lock
        (flock, through filelock) on a file beside it, which the system releases when its
        process dies. A pass reads the linker state and the unlinked articles, and saves the
        state in a file outside the database's transactions, so two passes at once would
        each save a linker without the other's articles. A pass that has to wait says so."""
        try:
            self._link_lock.acquire(timeout=LINK_WAIT_NOTICE)
        except Timeout:
            log.warning("%s: waiting for another process to finish linking stories", self.path)
            self._link_lock.acquire()
        try:
            yield
        finally:
            self._link_lock.release()

    def new_linker(self, config: LinkerConfig, pins: dict[str, str], profiles: Profiles) -> StoryLinker:
        return StoryLinker(config, pins=pins, profiles=profiles)

    def checkpoint_linker(self, linker: StoryLinker) -> None:
        """Write the linker's full state (state file and usearch graph) to stories_dir when
        one is due, then drop the journal rows it holds (after story_rows_transaction has
        committed)."""
        if not linker.checkpoint_due():
            return
        linker.save(self.stories_dir)
        linker.checkpoint_seq = linker.journal_seq
        with self._transaction():
            self._execute("DELETE FROM linker_journal WHERE seq <= %s", (linker.checkpoint_seq,))
        self._linker_seen = (_file_stamp(Path(self.stories_dir) / STATE_FILE), linker)

    def _checkpoint_version(self) -> tuple[int, int, int] | None:
        state = Path(self.stories_dir) / STATE_FILE
        return _file_stamp(state) if state.exists() else None

    def _read_checkpoint(self, profiles: Profiles, version: object) -> tuple[StoryLinker, object]:
        return StoryLinker.load(self.stories_dir, profiles=profiles), version

    def _forget_checkpoint(self) -> None:
        Path(self.stories_dir, STATE_FILE).unlink(missing_ok=True)

    # -- the connection --------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self.path)

    def _articles_transaction(self) -> _Transaction:
        # BEGIN IMMEDIATE holds the file's one write lock: no other process adds articles meanwhile.
        return _Transaction(self._db, self.path)

    def _executemany(self, query: str, rows: Sequence[Sequence]) -> None:
        self._db.executemany(self.dialect.sql(query), rows)

    def _insert_rows(self, table: str, columns: str, rows: Iterator[Sequence]) -> None:
        marks = ", ".join("?" * (columns.count(",") + 1))
        self._db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    def _insert_id(self, query: str, params: Sequence) -> int:
        return self._execute(query, params).lastrowid

    def _table_names(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _run_script(self, script: str) -> None:
        # One statement at a time: executescript would commit the open transaction first.
        statement = ""
        for piece in script.split(";"):
            statement += piece + ";"
            if sqlite3.complete_statement(statement):  # not a ";" inside a trigger or a comment
                if statement.strip("; \n"):
                    self._db.execute(statement)
                statement = ""


def _file_stamp(path: Path) -> tuple[int, int, int]:
    """Changes whenever the file is replaced (a save writes a new file and renames it)."""
    stat = path.stat()
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _execute_waiting(db: sqlite3.Connection, path: str, statement: str) -> None:
    """Execute a statement that needs the file's write lock, while another process holds
    it: SQLite's busy timeout waits WRITE_WAIT_NOTICE at a time (or not at all, where
    waiting could deadlock), so the statement is tried again, the wait said once, up to
    WRITE_WAIT_LIMIT in all (CW406)."""
    started, said = time.monotonic(), False
    while True:
        try:
            db.execute(statement)
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
        waited = time.monotonic() - started
        if waited >= WRITE_WAIT_LIMIT:
            raise CrosswireError(
                "CW406", path, f"another process has held the database's write lock for {waited:.0f} s"
            )
        if not said:  # once, after the first busy answer
            log.warning("%s: waiting for another process to finish writing", path)
            said = True
        time.sleep(BUSY_RETRY_S)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection, path: str) -> None:
        self._db = db
        self._path = path

    def __enter__(self) -> None:
        # IMMEDIATE takes the write lock up front, so a second writer waits instead of failing
        # mid-way: another process's writes (a linking pass commits up to 5,000 articles at
        # once) may hold it for a while, so the wait is said and bounded.
        _execute_waiting(self._db, self._path, "BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
