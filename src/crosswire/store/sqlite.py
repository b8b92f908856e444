"""The SQLite store: one file (crosswire.db by default), WAL mode, versioned schema.

Durability: every article is written in one transaction (article, its copy record,
sentences, vectors, facts), so a process killed at any moment leaves each article either
wholly stored or absent. WAL with synchronous=NORMAL keeps every committed transaction
across a process crash (kill -9); only a power cut can lose the last few commits.

Schema changes are ordered migrations: MIGRATIONS[i] takes the schema from version i to
i + 1, and `schema_version` records how far a file has come. A file written by a newer
crosswire (a higher version) is refused rather than misread.

Near-duplicates: each article's MinHash signature is stored with it; the LSH index that
finds candidates is rebuilt from those signatures when the store is first asked, and
kept current as articles are added.
"""
from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime, timezone

import numpy as np

from crosswire.errors import CrosswireError
from crosswire.model import Article
from crosswire.store import MINHASH_SCHEME, NewArticle, Seen, Stored

DEFAULT_DB = "crosswire.db"
# Jaccard similarity of word 3-gram shingles at or above which two texts are one article
# lightly edited (a changed word costs ~3 shingles, so ~0.9 for a few edits in 600 words).
NEAR_DUPLICATE_THRESHOLD = 0.8

MIGRATIONS: tuple[str, ...] = (
    # 1: articles and everything derived from them; stories left for the story linker to fill.
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,          -- sha256 of text: exact copies share it
        text TEXT NOT NULL,
        lang TEXT NOT NULL,
        source TEXT NOT NULL,                       -- where the text was first read
        title TEXT,
        url TEXT,
        outlet TEXT,
        published TEXT,                             -- ISO 8601 date or date-time
        meta TEXT NOT NULL DEFAULT '{}',            -- JSON object
        duplicate_of INTEGER REFERENCES articles(id),  -- the earliest near-duplicate; NULL for an original
        minhash BLOB NOT NULL,                      -- uint32 MinHash signature, little-endian
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
    -- Every place an article's exact text was read, its first source included.
    CREATE TABLE copies (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        source TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        published TEXT,
        PRIMARY KEY (article_id, source)
    ) WITHOUT ROWID;
    CREATE INDEX copies_source ON copies(source);
    CREATE TABLE sentences (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL,                -- offsets into articles.text
        end_char INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;
    -- One row per article and encoder: row i of the matrix is sentence i.
    CREATE TABLE embeddings (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vectors BLOB NOT NULL,                      -- float16, little-endian, row-major
        PRIMARY KEY (article_id, encoder)
    ) WITHOUT ROWID;
    CREATE TABLE facts (
        article_id INTEGER NOT NULL,
        sentence_idx INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('number', 'date', 'name')),
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text TEXT NOT NULL,
        value TEXT NOT NULL,                        -- normalised: decimal, ISO date, name key
        FOREIGN KEY (article_id, sentence_idx) REFERENCES sentences(article_id, idx)
    );
    CREATE INDEX facts_article ON facts(article_id);
    CREATE INDEX facts_value ON facts(kind, value);
    CREATE TABLE attributions (
        article_id INTEGER NOT NULL,
        sentence_idx INTEGER NOT NULL,
        source TEXT NOT NULL,                       -- who is cited
        source_kind TEXT,
        cue TEXT,
        content TEXT,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        FOREIGN KEY (article_id, sentence_idx) REFERENCES sentences(article_id, idx)
    );
    CREATE INDEX attributions_article ON attributions(article_id);
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        score REAL                                  -- the similarity that joined it; NULL for a story's first article
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    -- A user's merge or split, kept by article ids so that it survives re-linking.
    CREATE TABLE story_overrides (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        article_ids TEXT NOT NULL,                  -- JSON array
        created_at TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _earliest_key(article_id: float, published: str | None) -> tuple[bool, str, float]:
    """Sort key for "earliest copy": dated before undated, then by date, then by arrival."""
    return (published is None, published or "", article_id)


class SqliteStore:
    """crosswire.store.Store on one SQLite file."""

    def __init__(self, path: str = DEFAULT_DB, *, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD):
        self.path = str(path)
        self._threshold = near_duplicate_threshold
        self._lsh = None  # built on first use from the stored signatures
        self._signatures: dict[int, np.ndarray] = {}
        try:
            # isolation_level=None: transactions are explicit (BEGIN ... COMMIT) below.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise CrosswireError("CW401", self.path, f"could not open the database ({exc})") from None

    @property
    def schema_version(self) -> int:
        return self._db.execute("SELECT version FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" not in tables:
            if tables:
                raise CrosswireError("CW401", self.path, "an SQLite database, but not a crosswire one")
            self._db.executescript(
                "BEGIN; CREATE TABLE schema_version (version INTEGER NOT NULL);"
                " INSERT INTO schema_version VALUES (0); COMMIT;"
            )
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise CrosswireError(
                "CW402", self.path,
                f"schema version {version} is newer than this crosswire's ({SCHEMA_VERSION}); upgrade crosswire",
            )
        for number in range(version, SCHEMA_VERSION):
            # executescript runs each migration and its version bump as one transaction.
            self._db.executescript(
                f"BEGIN; {MIGRATIONS[number]}; UPDATE schema_version SET version = {number + 1}; COMMIT;"
            )

    def seen(self, content_hash: str, source: str) -> Seen | None:
        row = self._db.execute(
            "SELECT id, EXISTS (SELECT 1 FROM copies WHERE article_id = articles.id AND source = ?)"
            " FROM articles WHERE content_hash = ?",
            (source, content_hash),
        ).fetchone()
        return Seen(row[0], bool(row[1])) if row else None

    def add_copy(self, article_id: int, article: Article) -> None:
        with self._transaction():
            self._insert_copy(article_id, article)

    def add_article(self, new: NewArticle) -> Stored:
        art = new.article
        matches = self._near_duplicates(new.signature)
        with self._transaction():
            root = self._earliest_root(matches)
            # The newcomer's id is not known yet, but it will be the highest: it sorts last on ties.
            new_is_earlier = root is not None and _earliest_key(math.inf, art.published) < _earliest_key(*root)
            duplicate_of = None if root is None or new_is_earlier else root[0]
            article_id = self._db.execute(
                "INSERT INTO articles (content_hash, text, lang, source, title, url, outlet, published, meta,"
                " duplicate_of, minhash, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.content_hash, art.text, art.lang, art.source, art.title, art.url, art.outlet,
                    art.published, json.dumps(art.meta, ensure_ascii=False, default=str), duplicate_of,
                    new.signature.astype("<u4").tobytes(), _now(),
                ),
            ).lastrowid
            if new_is_earlier:
                # The newcomer predates the copy stored so far: it becomes the one the others point to.
                self._db.execute(
                    "UPDATE articles SET duplicate_of = ? WHERE id = ? OR duplicate_of = ?",
                    (article_id, root[0], root[0]),
                )
            self._insert_copy(article_id, art)
            self._db.executemany(
                "INSERT INTO sentences (article_id, idx, start_char, end_char) VALUES (?, ?, ?, ?)",
                [(article_id, s.index, s.start, s.end) for s in new.sentences],
            )
            vectors = np.asarray(new.vectors, dtype="<f2")
            self._db.execute(
                "INSERT INTO embeddings (article_id, encoder, dim, vectors) VALUES (?, ?, ?, ?)",
                (article_id, new.encoder, vectors.shape[1], vectors.tobytes()),
            )
            self._db.executemany(
                "INSERT INTO facts (article_id, sentence_idx, kind, start_char, end_char, text, value)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(article_id, i, f.kind, f.start, f.end, f.text, str(f.value)) for i, f in new.facts],
            )
        self._index(article_id, new.signature)
        return Stored(article_id, duplicate_of, root[0] if new_is_earlier else None)

    def sentence_vectors(self, article_id: int, encoder: str) -> np.ndarray | None:
        """The article's sentence vectors (float32, one row per sentence), if stored for `encoder`."""
        row = self._db.execute(
            "SELECT dim, vectors FROM embeddings WHERE article_id = ? AND encoder = ?", (article_id, encoder)
        ).fetchone()
        if row is None:
            return None
        return np.frombuffer(row[1], dtype="<f2").reshape(-1, row[0]).astype(np.float32)

    def own_files(self) -> list[str]:
        return [self.path + suffix for suffix in ("", "-wal", "-shm", "-journal")]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------

    def _transaction(self):
        return _Transaction(self._db)

    def _insert_copy(self, article_id: int, article: Article) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO copies (article_id, source, url, outlet, published) VALUES (?, ?, ?, ?, ?)",
            (article_id, article.source, article.url, article.outlet, article.published),
        )

    def _near_duplicates(self, signature: np.ndarray) -> list[int]:
        """Stored articles whose estimated Jaccard similarity with `signature` reaches the threshold."""
        lsh = self._load_index(len(signature))
        candidates = lsh.query(_lean(signature))
        return [
            i for i in candidates if np.mean(self._signatures[i] == signature) >= self._threshold
        ]

    def _earliest_root(self, article_ids: list[int]) -> tuple[int, str | None] | None:
        """(id, published) of the earliest of these articles' originals."""
        if not article_ids:
            return None
        marks = ",".join("?" * len(article_ids))
        rows = self._db.execute(
            f"SELECT root.id, root.published FROM articles AS a JOIN articles AS root"
            f" ON root.id = COALESCE(a.duplicate_of, a.id) WHERE a.id IN ({marks})",
            article_ids,
        ).fetchall()
        return min(rows, key=lambda row: _earliest_key(*row))

    def _load_index(self, num_perm: int):
        if self._lsh is None:
            from datasketch import MinHashLSH

            self._lsh = MinHashLSH(threshold=self._threshold, num_perm=num_perm)
            for article_id, blob in self._db.execute("SELECT id, minhash FROM articles"):
                self._index(article_id, np.frombuffer(blob, dtype="<u4"))
        return self._lsh

    def _index(self, article_id: int, signature: np.ndarray) -> None:
        if self._lsh is not None:
            self._signatures[article_id] = signature
            self._lsh.insert(article_id, _lean(signature))


def _lean(signature: np.ndarray):
    from datasketch import LeanMinHash

    return LeanMinHash(seed=1, hashvalues=signature, scheme=MINHASH_SCHEME)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        # IMMEDIATE takes the write lock up front, so a second writer waits instead of failing mid-way.
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
