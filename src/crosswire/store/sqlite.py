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
import sqlite3
from typing import Iterator, Sequence

from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import numpy as np
from filelock import FileLock

from crosswire.errors import CrosswireError
from crosswire.model import Article, Attribution
from crosswire.stories import STATE_FILE, LinkerConfig, Profiles, StoryLinker
from crosswire.store import DEFAULT_DB, NewArticle, Seen, Stored, StoredArticle
from crosswire.store.near_duplicates import NEAR_DUPLICATE_THRESHOLD, BandIndex, earliest_key, placement
from crosswire.store.rows import (
    ARTICLE_COLUMNS, ATTRIBUTION_COLUMNS, attribution_from_row, attribution_row, stored_article, utc_now,
)

# The story linker's checkpoint folder (state.json and its usearch graph) is the database path plus this.
STORIES_SUFFIX = ".stories"
# The linking lock (see SqliteStore.linking) is a file beside the database, named with this.
LINK_LOCK_SUFFIX = ".link-lock"

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
    # 2: what story linking and the corpus views need. The story tables of version 1 were
    # never written (no linker existed), so they are replaced rather than altered.
    """
    DROP TABLE story_articles;
    DROP TABLE stories;
    DROP TABLE story_overrides;
    -- Story ids are the linker's: the id of the story's founding article ("17", or "17#2").
    CREATE TABLE story_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        linked INTEGER NOT NULL                     -- 1: in the linker's index; 0: a near-duplicate following its group
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    -- A user's merge or split, as the pins (article id -> story id) it set: replayed when
    -- the linker state is rebuilt, so the choice survives re-linking.
    CREATE TABLE story_overrides (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        pins TEXT NOT NULL,                         -- JSON object
        created_at TEXT NOT NULL
    );
    -- similarity.ArticleProfile.to_bytes() per article and encoder, for the story linker.
    CREATE TABLE profiles (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        profile BLOB NOT NULL,
        PRIMARY KEY (article_id, encoder)
    ) WITHOUT ROWID;
    -- The profile's article vector (float16) apart, small enough to scan for search.
    CREATE TABLE article_vectors (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        vector BLOB NOT NULL,
        UNIQUE (article_id, encoder)
    );
    -- compare(earliest article, other article) per story, for the claim matrix: the
    -- links as in crosswire.comparison/1, computed once per pair and encoder.
    CREATE TABLE comparisons (
        a INTEGER NOT NULL REFERENCES articles(id),
        b INTEGER NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        links TEXT NOT NULL,                        -- JSON array
        PRIMARY KEY (a, b, encoder)
    ) WITHOUT ROWID;
    """,
    # 3: a summary row per story (what the stories listing shows), so that the listing is
    # filtered, ordered and paged in SQL. The triggers drop a story's row whenever its
    # members or their articles change, whoever writes; crosswire.corpus writes the
    # missing rows back after linking and before listing (an upgraded file has none yet).
    """
    CREATE TABLE story_summaries (
        story_id TEXT PRIMARY KEY,
        headline TEXT NOT NULL,
        languages TEXT NOT NULL,                    -- JSON array, sorted
        outlets TEXT NOT NULL,                      -- JSON array, sorted
        outlet_keys TEXT NOT NULL,                  -- JSON array: the outlets casefolded, for the outlet filter
        articles INTEGER NOT NULL,                  -- near-duplicates included
        near_duplicates INTEGER NOT NULL,
        first_seen TEXT,                            -- as published
        last_seen TEXT,
        first_seen_utc TEXT NOT NULL,               -- first_seen in UTC as YYYY-MM-DDTHH:MM:SS.ffffff; '' when undated, so listed last
        id_number INTEGER NOT NULL,                 -- the story id "17#2" as 17 and "2": equal times are listed by id
        id_tail TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX story_summaries_order ON story_summaries(first_seen_utc, id_number, id_tail);
    CREATE TRIGGER story_member_added AFTER INSERT ON story_articles
    BEGIN DELETE FROM story_summaries WHERE story_id = NEW.story_id; END;
    CREATE TRIGGER story_member_moved AFTER UPDATE ON story_articles
    BEGIN DELETE FROM story_summaries WHERE story_id IN (OLD.story_id, NEW.story_id); END;
    CREATE TRIGGER story_member_removed AFTER DELETE ON story_articles
    BEGIN DELETE FROM story_summaries WHERE story_id = OLD.story_id; END;
    CREATE TRIGGER story_article_changed AFTER UPDATE ON articles
    BEGIN DELETE FROM story_summaries WHERE story_id = (SELECT story_id FROM story_articles WHERE article_id = NEW.id); END;
    """,
    # 4: attributions stored at ingest, in the article's transaction, so that story and
    # article views do not extract them again. Version 1's attributions table was never
    # written, so it is replaced. Every span is a pair of character offsets into
    # articles.text (its text is text[start:end]). A stored set is used only by the
    # extractor that wrote it (attribution_sets.extractor, ingest.extractor_fingerprint):
    # after an upgrade the views extract again, as for an article stored before version 4.
    """
    DROP TABLE attributions;
    CREATE TABLE attribution_sets (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        extractor TEXT NOT NULL                     -- fingerprint of the code and data that found them
    );
    -- model.Attribution, one row each, in the order provenance.article_sources gave them.
    CREATE TABLE attributions (
        article_id INTEGER NOT NULL REFERENCES attribution_sets(article_id),
        idx INTEGER NOT NULL,
        sentence_idx INTEGER NOT NULL,
        cue_kind TEXT NOT NULL,                     -- prep | post | verb | chain | passive | hedge
        cue_start INTEGER NOT NULL,
        cue_end INTEGER NOT NULL,
        source_start INTEGER,                       -- the source as written; NULL when none (a hedge)
        source_end INTEGER,
        content_start INTEGER,                      -- what is attributed; NULL when not found
        content_end INTEGER,
        entity_key TEXT NOT NULL,                   -- model.SourceEntity: "outlet:reuters", "anonymous:report"
        entity_kind TEXT NOT NULL,
        entity_name TEXT NOT NULL,
        cited_start INTEGER,                        -- a chain's document ("X reviewed <Y>"); else NULL
        cited_end INTEGER,
        cited_key TEXT,
        cited_kind TEXT,
        cited_name TEXT,
        relay INTEGER NOT NULL,                     -- 1: the article relays this outlet ("dilansir dari X")
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX attributions_entity ON attributions(entity_key);
    """,
    # 5: embeddings and profiles (rows of ~30 KiB: a matrix of sentence vectors, a profile)
    # become rowid tables with the same columns and keys. Migrations 1 and 2 made them
    # WITHOUT ROWID tables, where every row is a key of the table's B-tree: that suits rows
    # far smaller than a page, and reading the linker's 16 neighbour profiles of one article
    # cost 2.7-2.9 CPU ms that way against 0.30 from a rowid table (75,000 articles).
    """
    CREATE TABLE embeddings_v5 (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vectors BLOB NOT NULL,                      -- float16, little-endian, row-major
        PRIMARY KEY (article_id, encoder)
    );
    INSERT INTO embeddings_v5 SELECT article_id, encoder, dim, vectors FROM embeddings ORDER BY article_id, encoder;
    DROP TABLE embeddings;
    ALTER TABLE embeddings_v5 RENAME TO embeddings;
    CREATE TABLE profiles_v5 (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        profile BLOB NOT NULL,
        PRIMARY KEY (article_id, encoder)
    );
    INSERT INTO profiles_v5 SELECT article_id, encoder, profile FROM profiles ORDER BY article_id, encoder;
    DROP TABLE profiles;
    ALTER TABLE profiles_v5 RENAME TO profiles;
    """,
    # 6: what keeps a linking pass's cost flat as the corpus grows.
    # - The story linker's journal (stories.StoryLinker.journal), written with the story
    #   rows; the linker's full state is checkpointed beside the file now and then, and the
    #   changes after it are replayed on opening. AUTOINCREMENT: a number is never given
    #   twice, even after the rows below a checkpoint are deleted.
    # - Two queues kept by triggers, whoever writes: the articles in no story (link_queue)
    #   and the stories whose summary row is missing (summary_queue). A pass found both by
    #   scanning every article and every story member (~100 and ~80 ms at 100,000 articles).
    """
    CREATE TABLE linker_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,                         -- 'add': placed in the story; 'pin': put there for good
        article_id TEXT NOT NULL,
        story_id TEXT NOT NULL
    );
    CREATE TABLE link_queue (article_id INTEGER PRIMARY KEY REFERENCES articles(id));
    INSERT INTO link_queue SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles);
    CREATE TRIGGER article_added AFTER INSERT ON articles
    BEGIN INSERT INTO link_queue VALUES (NEW.id); END;
    CREATE TRIGGER article_linked AFTER INSERT ON story_articles
    BEGIN DELETE FROM link_queue WHERE article_id = NEW.article_id; END;
    CREATE TRIGGER article_unlinked AFTER DELETE ON story_articles
    BEGIN INSERT OR IGNORE INTO link_queue VALUES (OLD.article_id); END;
    CREATE TABLE summary_queue (story_id TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO summary_queue
        SELECT DISTINCT story_id FROM story_articles WHERE story_id NOT IN (SELECT story_id FROM story_summaries);
    DROP TRIGGER story_member_added;
    DROP TRIGGER story_member_moved;
    DROP TRIGGER story_member_removed;
    DROP TRIGGER story_article_changed;
    CREATE TRIGGER story_member_added AFTER INSERT ON story_articles
    BEGIN
        DELETE FROM story_summaries WHERE story_id = NEW.story_id;
        INSERT OR IGNORE INTO summary_queue VALUES (NEW.story_id);
    END;
    CREATE TRIGGER story_member_moved AFTER UPDATE ON story_articles
    BEGIN
        DELETE FROM story_summaries WHERE story_id IN (OLD.story_id, NEW.story_id);
        INSERT OR IGNORE INTO summary_queue VALUES (OLD.story_id), (NEW.story_id);
    END;
    CREATE TRIGGER story_member_removed AFTER DELETE ON story_articles
    BEGIN
        DELETE FROM story_summaries WHERE story_id = OLD.story_id;
        INSERT OR IGNORE INTO summary_queue VALUES (OLD.story_id);
    END;
    CREATE TRIGGER story_article_changed AFTER UPDATE ON articles
    BEGIN
        DELETE FROM story_summaries WHERE story_id = (SELECT story_id FROM story_articles WHERE article_id = NEW.id);
        INSERT OR IGNORE INTO summary_queue SELECT story_id FROM story_articles WHERE article_id = NEW.id;
    END;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class SqliteStore:
    """crosswire.store.Store on one SQLite file."""

    def __init__(self, path: str = DEFAULT_DB, *, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD):
        self.path = str(path)
        self._threshold = near_duplicate_threshold
        self._bands: BandIndex | None = None  # built on first use from the stored signatures
        # (state file stamp, linker) of the linker this store last saved or loaded.
        self._linker_seen: tuple[tuple[int, int, int], StoryLinker] | None = None
        # One lock object per store: it counts nested holds (a merge links first), where
        # two would block each other.
        self._link_lock = FileLock(self.path + LINK_LOCK_SUFFIX)
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

    @property
    def location(self) -> str:
        return self.path

    def stored_hashes(self, content_hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(content_hashes)):
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self._db.execute(
                f"SELECT content_hash FROM articles WHERE content_hash IN ({marks})", chunk
            ))
        return found

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
        matches = self._load_index(len(new.signature)).near_duplicates(new.signature)
        with self._transaction():
            placed = placement(self._earliest_root(matches), art.published)
            article_id = self._db.execute(
                "INSERT INTO articles (content_hash, text, lang, source, title, url, outlet, published, meta,"
                " duplicate_of, minhash, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.content_hash, art.text, art.lang, art.source, art.title, art.url, art.outlet,
                    art.published, json.dumps(art.meta, ensure_ascii=False, default=str), placed.duplicate_of,
                    new.signature.astype("<u4").tobytes(), utc_now(),
                ),
            ).lastrowid
            if placed.displaced is not None:
                # The newcomer predates the copy stored so far: it becomes the one the others point to.
                self._db.execute(
                    "UPDATE articles SET duplicate_of = ? WHERE id = ? OR duplicate_of = ?",
                    (article_id, placed.displaced, placed.displaced),
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
            if new.profile is not None:
                self._insert_profile(article_id, new.encoder, new.profile, new.article_vector)
            if new.attributions is not None:
                self._insert_attributions(article_id, new.attribution_extractor, new.attributions)
        self._index(article_id, new.signature)
        return Stored(article_id, placed.duplicate_of, placed.displaced)

    def sentence_vectors(self, article_id: int, encoder: str) -> np.ndarray | None:
        """The article's sentence vectors (float32, one row per sentence), if stored for `encoder`."""
        row = self._db.execute(
            "SELECT dim, vectors FROM embeddings WHERE article_id = ? AND encoder = ?", (article_id, encoder)
        ).fetchone()
        if row is None:
            return None
        return np.frombuffer(row[1], dtype="<f2").reshape(-1, row[0]).astype(np.float32)

    def own_files(self) -> list[str]:
        return [self.path + suffix for suffix in ("", "-wal", "-shm", "-journal", STORIES_SUFFIX, LINK_LOCK_SUFFIX)]

    # -- stories and the corpus views ------------------------------------------------

    @property
    def stories_dir(self) -> str:
        """Where the story linker's state and index are kept, next to the database."""
        return self.path + STORIES_SUFFIX

    def linking(self) -> AbstractContextManager[object]:
        """One linking pass at a time across every process on this file: an exclusive lock
        (flock, through filelock) on a file beside it, which the system releases when its
        process dies. A pass reads the linker state and the unlinked articles, and saves the
        state in a file outside the database's transactions, so two passes at once would
        each save a linker without the other's articles."""
        return self._link_lock

    def new_linker(
        self, config: LinkerConfig, pins: dict[str, str], profiles: Profiles
    ) -> StoryLinker:
        return StoryLinker(config, pins=pins, profiles=profiles)

    def load_linker(self, profiles: Profiles) -> StoryLinker | None:
        """The linker as last stored: its checkpoint in stories_dir (state file and usearch
        graph) with the journal's later changes replayed; None without a checkpoint.

        The one this store last saved or loaded is taken again while the checkpoint is
        unchanged (no other process wrote one since) and holds no change left unstored: it
        only replays what other processes linked since."""
        state = Path(self.stories_dir) / STATE_FILE
        if not state.exists():
            return None
        stamp = _file_stamp(state)
        seen = self._linker_seen
        if seen is not None and seen[0] == stamp and not seen[1].journal:
            linker = seen[1]
        else:
            linker = StoryLinker.load(state.parent, profiles=profiles)
        linker.replay(self._db.execute(
            "SELECT seq, kind, article_id, story_id FROM linker_journal WHERE seq > ? ORDER BY seq",
            (linker.journal_seq,),
        ).fetchall(), into_index=True)
        self._linker_seen = (stamp, linker)
        return linker

    def save_linker(self, linker: StoryLinker) -> None:
        """Append the linker's journal to linker_journal (inside story_rows_transaction)."""
        if linker.journal:
            self._db.executemany(
                "INSERT INTO linker_journal (kind, article_id, story_id) VALUES (?, ?, ?)", linker.journal
            )
            linker.journal_seq = self._db.execute("SELECT max(seq) FROM linker_journal").fetchone()[0]
            linker.journal.clear()

    def checkpoint_linker(self, linker: StoryLinker) -> None:
        """Write the linker's full state to stories_dir when one is due, then drop the
        journal rows it holds (after story_rows_transaction has committed)."""
        if not linker.checkpoint_due():
            return
        linker.save(self.stories_dir)
        linker.checkpoint_seq = linker.journal_seq
        with self._transaction():
            self._db.execute("DELETE FROM linker_journal WHERE seq <= ?", (linker.checkpoint_seq,))
        self._linker_seen = (_file_stamp(Path(self.stories_dir) / STATE_FILE), linker)

    def article(self, article_id: int) -> StoredArticle | None:
        row = self._db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return stored_article(row) if row else None

    def articles(self, article_ids: Sequence[int]) -> list[StoredArticle]:
        """These articles, in the order given (unknown ids left out)."""
        found: dict[int, StoredArticle] = {}
        for chunk in _chunks(list(article_ids)):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
                found[row[0]] = stored_article(row)
        return [found[i] for i in article_ids if i in found]

    def article_ids_from_address(self, address: str) -> list[int]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE source = ? OR url = ?"
            " UNION SELECT article_id FROM copies WHERE source = ? OR url = ? ORDER BY 1",
            (address, address, address, address),
        )
        return [row[0] for row in rows]

    def sentence_spans(self, article_id: int) -> list[tuple[int, int]]:
        return self._db.execute(
            "SELECT start_char, end_char FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
        ).fetchall()

    def profile(self, article_id: int, encoder: str) -> bytes | None:
        row = self._db.execute(
            "SELECT profile FROM profiles WHERE article_id = ? AND encoder = ?", (article_id, encoder)
        ).fetchone()
        return row[0] if row else None

    def profiles(self, article_ids: Sequence[int], encoder: str) -> dict[int, bytes]:
        """Article id -> stored profile, for those of these articles that have one: one query."""
        found: dict[int, bytes] = {}
        for chunk in _chunks(list(article_ids)):
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(
                f"SELECT article_id, profile FROM profiles WHERE encoder = ? AND article_id IN ({marks})",
                [encoder, *chunk],
            ))
        return found

    def attributions(self, article_ids: Sequence[int], extractor: str) -> dict[int, tuple[Attribution, ...]]:
        """Article id -> its attributions as stored at ingest, for those of these articles
        whose set `extractor` wrote (the others have none stored, or an older extractor's)."""
        found: dict[int, tuple[Attribution, ...]] = {}
        for chunk in _chunks(list(article_ids)):
            marks = ",".join("?" * len(chunk))
            texts = dict(self._db.execute(
                "SELECT s.article_id, a.text FROM attribution_sets AS s JOIN articles AS a ON a.id = s.article_id"
                f" WHERE s.extractor = ? AND s.article_id IN ({marks})",
                [extractor, *chunk],
            ))
            rows: dict[int, list[Attribution]] = {article_id: [] for article_id in texts}
            for article_id, *row in self._db.execute(
                f"SELECT article_id, {ATTRIBUTION_COLUMNS} FROM attributions WHERE article_id IN ({marks})"
                " ORDER BY article_id, idx",
                chunk,
            ):
                if article_id in rows:
                    rows[article_id].append(attribution_from_row(texts[article_id], *row))
            found.update((article_id, tuple(found_rows)) for article_id, found_rows in rows.items())
        return found

    def add_profile(self, article_id: int, encoder: str, profile: bytes, article_vector: np.ndarray) -> None:
        """Store a profile built after ingest (for articles stored before profiles existed)."""
        with self._transaction():
            self._insert_profile(article_id, encoder, profile, article_vector)

    def profiled_ids(self, encoder: str) -> list[int]:
        return [row[0] for row in self._db.execute(
            "SELECT article_id FROM profiles WHERE encoder = ? ORDER BY article_id", (encoder,)
        )]

    def unprofiled_ids(self, encoder: str, article_ids: Sequence[int]) -> list[int]:
        """Those of these articles with no profile for `encoder` (stored before ingest built
        profiles), in order."""
        found: list[int] = []
        for chunk in _chunks(sorted(article_ids)):
            marks = ",".join("?" * len(chunk))
            found.extend(row[0] for row in self._db.execute(
                f"SELECT id FROM articles AS a WHERE id IN ({marks}) AND NOT EXISTS"
                " (SELECT 1 FROM profiles AS p WHERE p.article_id = a.id AND p.encoder = ?) ORDER BY id",
                [*chunk, encoder],
            ))
        return found

    def article_vectors(self, encoder: str) -> tuple[np.ndarray, np.ndarray]:
        """(article ids, their article vectors as float32 rows) for every profiled original
        article (near-duplicates are copies of one of these)."""
        ids, blobs = [], []
        for article_id, blob in self._db.execute(
            "SELECT v.article_id, v.vector FROM article_vectors AS v JOIN articles AS a ON a.id = v.article_id"
            " WHERE v.encoder = ? AND a.duplicate_of IS NULL ORDER BY v.article_id",
            (encoder,),
        ):
            ids.append(article_id)
            blobs.append(blob)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(blobs), dtype="<f2").reshape(len(ids), -1).astype(np.float32)
        return np.array(ids, dtype=np.int64), matrix

    def unlinked_articles(self) -> list[tuple[int, str | None, int | None]]:
        """(id, published, duplicate_of) of the articles in no story yet, in arrival order."""
        return self._db.execute(
            "SELECT a.id, a.published, a.duplicate_of FROM link_queue AS q JOIN articles AS a ON a.id = q.article_id"
            " ORDER BY q.article_id"
        ).fetchall()

    def all_articles_for_linking(self) -> list[tuple[int, str | None, int | None]]:
        """(id, published, duplicate_of) of every article, in arrival order: to re-link from scratch."""
        return self._db.execute("SELECT id, published, duplicate_of FROM articles ORDER BY id").fetchall()

    def linked_count(self) -> int:
        """How many articles are in the linker's index by the stored story rows."""
        return self._db.execute("SELECT count(*) FROM story_articles WHERE linked = 1").fetchone()[0]

    def group_story(self, article_id: int) -> tuple[str, int] | None:
        """(story id, linked article) of the near-duplicate group of `article_id` (the article,
        its original and the original's other copies), when a member of it is linked."""
        # The group as "id = root OR duplicate_of = root" finds its members by index; a test on
        # COALESCE(duplicate_of, id) scanned every article (linking cost grew with the corpus).
        return self._db.execute(
            f"WITH {_GROUP_ROOT} SELECT sa.story_id, sa.article_id FROM g, articles AS a"
            " JOIN story_articles AS sa ON sa.article_id = a.id"
            " WHERE sa.linked = 1 AND (a.id = g.root OR a.duplicate_of = g.root) ORDER BY sa.article_id LIMIT 1",
            (article_id,),
        ).fetchone()

    @contextmanager
    def story_rows_transaction(self) -> Iterator[None]:
        """One write transaction around a run of story-row writes: set_story calls and the
        linker save inside it, or the summary rows of stories that have none."""
        try:
            with self._transaction():
                yield
        except BaseException:
            self._linker_seen = None  # the linker in memory holds changes that were rolled back
            raise

    def set_story(self, article_id: int, story_id: str, linked: bool) -> None:
        self._db.execute(
            "INSERT INTO story_articles (article_id, story_id, linked) VALUES (?, ?, ?)"
            " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, linked = excluded.linked",
            (article_id, story_id, int(linked)),
        )

    def clear_story_rows(self) -> None:
        """Forget every article's story and the linker (before re-linking all); overrides are kept."""
        # The checkpoint first: a journal left without it is never replayed onto another one.
        Path(self.stories_dir, STATE_FILE).unlink(missing_ok=True)
        self._linker_seen = None
        with self._transaction():
            self._db.execute("DELETE FROM story_articles")
            self._db.execute("DELETE FROM linker_journal")

    def add_override(self, action: str, pins: dict[int, str]) -> None:
        """Record a merge or split and put each pinned article, with its near-duplicate
        group, in its story: one transaction."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO story_overrides (action, pins, created_at) VALUES (?, ?, ?)",
                (action, json.dumps({str(k): v for k, v in pins.items()}), utc_now()),
            )
            for article_id, story_id in pins.items():
                self._db.execute(
                    f"WITH {_GROUP_ROOT} UPDATE story_articles SET story_id = ?2 WHERE article_id IN"
                    " (SELECT a.id FROM g, articles AS a WHERE a.id = g.root OR a.duplicate_of = g.root)",
                    (article_id, story_id),
                )

    def override_pins(self) -> dict[int, str]:
        """Article id -> story id from every merge and split, later ones winning."""
        pins: dict[int, str] = {}
        for (blob,) in self._db.execute("SELECT pins FROM story_overrides ORDER BY id"):
            pins.update((int(k), v) for k, v in json.loads(blob).items())
        return pins

    def story_members(self, story_id: str) -> list[tuple[int, bool]]:
        """(article id, linked) of a story's articles, in arrival order."""
        return [
            (article_id, bool(linked))
            for article_id, linked in self._db.execute(
                "SELECT article_id, linked FROM story_articles WHERE story_id = ? ORDER BY article_id", (story_id,)
            )
        ]

    def story_of(self, article_id: int) -> str | None:
        row = self._db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def story_rows(
        self, story_ids: Sequence[str]
    ) -> list[tuple[str, int, str, str | None, str | None, str | None, int | None]]:
        """(story id, article id, lang, outlet, published, title, duplicate_of) of these
        stories' members, by story and then by article id."""
        rows = []
        for chunk in _chunks(list(story_ids)):
            marks = ",".join("?" * len(chunk))
            rows.extend(self._db.execute(
                "SELECT sa.story_id, a.id, a.lang, a.outlet, a.published, a.title, a.duplicate_of"
                f" FROM story_articles AS sa JOIN articles AS a ON a.id = sa.article_id WHERE sa.story_id IN ({marks})",
                chunk,
            ))
        return sorted(rows, key=lambda row: (row[0], row[1]))

    def first_sentences(self, article_ids: Sequence[int]) -> dict[int, str]:
        """Article id -> the text of its first sentence (its whole text when it has none)."""
        found: dict[int, str] = {}
        for chunk in _chunks(list(article_ids)):
            marks = ",".join("?" * len(chunk))
            # substr counts characters, as Python's offsets do: only the sentence leaves SQLite.
            found.update(self._db.execute(
                "SELECT a.id, CASE WHEN s.article_id IS NULL THEN a.text"
                " ELSE substr(a.text, s.start_char + 1, s.end_char - s.start_char) END"
                " FROM articles AS a LEFT JOIN sentences AS s ON s.article_id = a.id"
                " AND s.idx = (SELECT min(idx) FROM sentences WHERE article_id = a.id)"
                f" WHERE a.id IN ({marks})",
                chunk,
            ))
        return found

    def unsummarised_story_ids(self) -> list[str]:
        """Stories with no summary row: new, or changed since their row was written."""
        # A queued story may have lost its last article since: it has no row to write.
        return [row[0] for row in self._db.execute(
            "SELECT story_id FROM summary_queue AS q"
            " WHERE EXISTS (SELECT 1 FROM story_articles AS s WHERE s.story_id = q.story_id) ORDER BY story_id"
        )]

    def put_story_summaries(self, rows: Sequence[tuple]) -> None:
        """Summary rows as the story_summaries columns, in order (inside story_rows_transaction);
        they leave the summary queue, with the queued stories that have no article left."""
        self._db.executemany(
            "INSERT OR REPLACE INTO story_summaries (story_id, headline, languages, outlets, outlet_keys, articles,"
            " near_duplicates, first_seen, last_seen, first_seen_utc, id_number, id_tail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._db.executemany("DELETE FROM summary_queue WHERE story_id = ?", [(row[0],) for row in rows])
        self._db.execute(
            "DELETE FROM summary_queue WHERE NOT EXISTS"
            " (SELECT 1 FROM story_articles AS s WHERE s.story_id = summary_queue.story_id)"
        )

    def story_summaries(
        self, *, lang: str | None = None, outlet_key: str | None = None, since: str | None = None,
        until: str | None = None, limit: int | None = None, offset: int = 0,
    ) -> list[tuple[str, str, str, str, int, int, str | None, str | None]]:
        """(story id, headline, languages, outlets, articles, near_duplicates, first_seen,
        last_seen) of the stories that pass the filters (see _summary_filter), first seen
        most recently first, undated ones last, equal times by story id, highest first."""
        where, params = _summary_filter(lang, outlet_key, since, until)
        return self._db.execute(
            "SELECT story_id, headline, languages, outlets, articles, near_duplicates, first_seen, last_seen"
            f" FROM story_summaries AS s {where} ORDER BY first_seen_utc DESC, id_number DESC, id_tail DESC"
            " LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        ).fetchall()

    def story_summary_counts(
        self, *, lang: str | None = None, outlet_key: str | None = None, since: str | None = None,
        until: str | None = None,
    ) -> tuple[int, int, list[tuple[str, int]]]:
        """(stories, their articles, [(language, stories with an article in it)]) of the
        stories that pass the filters (see _summary_filter)."""
        where, params = _summary_filter(lang, outlet_key, since, until)
        stories, articles = self._db.execute(
            f"SELECT count(*), coalesce(sum(articles), 0) FROM story_summaries AS s {where}", params
        ).fetchone()
        languages = self._db.execute(
            f"SELECT j.value, count(*) FROM story_summaries AS s JOIN json_each(s.languages) AS j {where}"
            " GROUP BY j.value",
            params,
        ).fetchall()
        return stories, articles, languages

    def comparison_links(self, a: int, b: int, encoder: str) -> list[dict] | None:
        row = self._db.execute(
            "SELECT links FROM comparisons WHERE a = ? AND b = ? AND encoder = ?", (a, b, encoder)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def add_comparison_links(self, a: int, b: int, encoder: str, links: list[dict]) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO comparisons (a, b, encoder, links) VALUES (?, ?, ?, ?)",
                (a, b, encoder, json.dumps(links, ensure_ascii=False)),
            )

    def sentence_vector_rows(self, article_ids: Sequence[int], encoder: str):
        """(article id, float32 sentence matrix) for these articles, streamed."""
        for chunk in _chunks(list(article_ids)):
            marks = ",".join("?" * len(chunk))
            for article_id, dim, blob in self._db.execute(
                f"SELECT article_id, dim, vectors FROM embeddings WHERE encoder = ? AND article_id IN ({marks})",
                [encoder, *chunk],
            ):
                yield article_id, np.frombuffer(blob, dtype="<f2").reshape(-1, dim).astype(np.float32)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------

    def _transaction(self):
        return _Transaction(self._db)

    def _insert_profile(self, article_id: int, encoder: str, profile: bytes, article_vector: np.ndarray) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO profiles (article_id, encoder, profile) VALUES (?, ?, ?)",
            (article_id, encoder, profile),
        )
        self._db.execute(
            "INSERT OR REPLACE INTO article_vectors (article_id, encoder, vector) VALUES (?, ?, ?)",
            (article_id, encoder, np.asarray(article_vector, dtype="<f2").tobytes()),
        )

    def _insert_attributions(self, article_id: int, extractor: str, attributions: Sequence[Attribution]) -> None:
        self._db.execute(
            "INSERT INTO attribution_sets (article_id, extractor) VALUES (?, ?)", (article_id, extractor)
        )
        self._db.executemany(
            f"INSERT INTO attributions (article_id, idx, {ATTRIBUTION_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, idx, *attribution_row(a)) for idx, a in enumerate(attributions)],
        )

    def _insert_copy(self, article_id: int, article: Article) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO copies (article_id, source, url, outlet, published) VALUES (?, ?, ?, ?, ?)",
            (article_id, article.source, article.url, article.outlet, article.published),
        )

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
        return min(rows, key=lambda row: earliest_key(*row))

    def _load_index(self, num_perm: int) -> BandIndex:
        if self._bands is None:
            self._bands = BandIndex(self._threshold, num_perm)
            for article_id, blob in self._db.execute("SELECT id, minhash FROM articles"):
                self._index(article_id, np.frombuffer(blob, dtype="<u4"))
        return self._bands

    def _index(self, article_id: int, signature: np.ndarray) -> None:
        if self._bands is not None:
            self._bands.add(article_id, signature)


# The near-duplicate group root (the original) of article ?1, as a one-row table g(root).
_GROUP_ROOT = "g(root) AS (SELECT COALESCE(duplicate_of, id) FROM articles WHERE id = ?1)"


def _file_stamp(path: Path) -> tuple[int, int, int]:
    """Changes whenever the file is replaced (a save writes a new file and renames it)."""
    stat = path.stat()
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _summary_filter(
    lang: str | None, outlet_key: str | None, since: str | None, until: str | None
) -> tuple[str, list[str]]:
    """The WHERE clause for story_summaries AS s: an article in `lang`, an outlet whose
    casefolded name is `outlet_key`, last seen on or after `since` and first seen on or
    before `until` (dates, YYYY-MM-DD, compared with the first ten characters as published)."""
    clauses, params = [], []
    if lang:
        clauses.append("EXISTS (SELECT 1 FROM json_each(s.languages) WHERE value = ?)")
        params.append(lang)
    if outlet_key:
        clauses.append("EXISTS (SELECT 1 FROM json_each(s.outlet_keys) WHERE value = ?)")
        params.append(outlet_key)
    if since:
        clauses.append("s.last_seen IS NOT NULL AND substr(s.last_seen, 1, 10) >= ?")
        params.append(since)
    if until:
        clauses.append("s.first_seen IS NOT NULL AND substr(s.first_seen, 1, 10) <= ?")
        params.append(until)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _chunks(items: list, size: int = 500):
    """Slices small enough for SQLite's limit on bound parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        # IMMEDIATE takes the write lock up front, so a second writer waits instead of failing mid-way.
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
