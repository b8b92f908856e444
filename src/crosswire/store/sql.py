"""The corpus store's SQL, written once: `SqlStore` holds every query of crosswire.store.Store
that both engines run, and `Dialect` the few pieces of SQL text in which they differ.

Queries are written with `%s` placeholders (psycopg's style: a `?` stays free for
PostgreSQL's jsonb operators) and no literal `%`; the SQLite dialect renders them as `?`.
`{in}` in a query stands for a membership test on a list of values (`_rows_in`):
`IN (?, ?, ...)` in slices below SQLite's limit on bound parameters, or PostgreSQL's
`= ANY(%s)` with the whole list as one array. Upserts use `INSERT ... ON CONFLICT`, which
both engines speak.

What really differs stays in the engines (store.sqlite, store.postgres): connecting and
locking (SQLite's write lock and a lock file; PostgreSQL's advisory locks), bulk inserts
(executemany; COPY), where the story linker's checkpoint lives (files beside the
database; a table) and its neighbour search (usearch; pgvector), and what each refuses.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Iterator, Mapping, Sequence

import numpy as np

from crosswire.errors import CrosswireError
from crosswire.model import Article, Attribution
from crosswire.stories import Profiles, StoryLinker
from crosswire.store import NewArticle, Seen, Stored, StoredArticle
from crosswire.store.near_duplicates import NEAR_DUPLICATE_THRESHOLD, BandIndex, earliest_key, placement
from crosswire.store.rows import (
    ARTICLE_COLUMNS,
    ATTRIBUTION_COLUMNS,
    attribution_from_row,
    attribution_row,
    stored_article,
    utc_now,
)
from crosswire.store.schema import MIGRATIONS, SCHEMA_VERSION

# Stands in a query for a membership test on a list of values: see _rows_in.
IN = "{in}"
# The near-duplicate group root (the original) of an article, as a one-row table g(root).
_GROUP_ROOT = "g(root) AS (SELECT COALESCE(duplicate_of, id) FROM articles WHERE id = %s)"


@dataclass(frozen=True)
class Dialect:
    """The SQL text in which the engines differ."""

    name: str  # "sqlite" | "postgres": which engine-only parts of schema.MIGRATIONS apply
    types: Mapping[str, str]  # the {fields} of schema.MIGRATIONS: column types and table options
    placeholder: str  # what a query's %s becomes
    # Values per `IN (...)` test; None: the whole list binds as one array (`= ANY(%s)`).
    max_in_values: int | None
    json_array_has: str  # whether the JSON array (text) in {column} holds the value bound at %s
    json_array_values: str  # a join adding the elements of {column}'s JSON array as {alias}.value
    text_order: str  # after a text column in ORDER BY: order by code point (SQLite's own order)
    no_limit: int | None  # LIMIT with this is no limit

    def sql(self, query: str) -> str:
        return query if self.placeholder == "%s" else query.replace("%s", self.placeholder)

    def membership_tests(self, values: Sequence) -> Iterator[tuple[str, list]]:
        """(`IN (...)` test, its parameters), a slice of `values` at a time."""
        if self.max_in_values is None:
            yield "= ANY(%s)", [list(values)]
            return
        values = list(values)
        for start in range(0, len(values), self.max_in_values):
            chunk = values[start : start + self.max_in_values]
            yield f"IN ({', '.join(['%s'] * len(chunk))})", chunk

    def migrations(self) -> tuple[str, ...]:
        """schema.MIGRATIONS as this engine runs them."""
        return tuple(m.render(self.name, self.types) for m in MIGRATIONS)


class SqlStore:
    """crosswire.store.Store's queries, on the connection and dialect an engine gives it."""

    dialect: ClassVar[Dialect]
    # (code, detail) of the error for a database that has tables but no schema_version.
    FOREIGN_DATABASE: ClassVar[tuple[str, str]]
    # Tables an engine keeps outside the versioned schema, which a new corpus may hold already.
    UNVERSIONED_TABLES: ClassVar[frozenset[str]] = frozenset()

    _db: Any  # the engine's connection (sqlite3 or psycopg)

    def __init__(self, name: str, near_duplicate_threshold: float = NEAR_DUPLICATE_THRESHOLD) -> None:
        self.name = name  # how errors name this database
        self._threshold = near_duplicate_threshold
        self._bands: BandIndex | None = None  # built on first use from the stored signatures, then caught up
        self._signatures_upto = 0  # highest article id whose signature is in the band index
        # (checkpoint version, linker) of the linker this store last saved or loaded; the
        # version (_checkpoint_version) changes whenever any process writes a checkpoint.
        self._linker_seen: tuple[object, StoryLinker] | None = None

    # -- what each engine provides ---------------------------------------------------

    def _transaction(self) -> AbstractContextManager[object]:
        """One write transaction: committed when the block ends, rolled back when it raises."""
        raise NotImplementedError

    def _articles_transaction(self) -> AbstractContextManager[object]:
        """A write transaction in which this process alone adds articles, until it ends."""
        raise NotImplementedError

    def _executemany(self, query: str, rows: Sequence[Sequence]) -> None:
        raise NotImplementedError

    def _insert_rows(self, table: str, columns: str, rows: Iterator[Sequence]) -> None:
        """Insert many rows of `columns` (comma-separated) into `table`, fast."""
        raise NotImplementedError

    def _insert_id(self, query: str, params: Sequence) -> int:
        """Run an INSERT of one row and return the id it was given."""
        raise NotImplementedError

    def _table_names(self) -> set[str]:
        raise NotImplementedError

    def _run_script(self, script: str) -> None:
        """Run several statements, in the transaction that is open."""
        raise NotImplementedError

    def _checkpoint_version(self) -> object | None:
        """What changes whenever a linker checkpoint is written; None when there is none."""
        raise NotImplementedError

    def _read_checkpoint(self, profiles: Profiles, version: object) -> tuple[StoryLinker, object]:
        """The linker of the last checkpoint, and its version."""
        raise NotImplementedError

    def _forget_checkpoint(self) -> None:
        """Remove the linker's checkpoint (in clear_story_rows' transaction)."""
        raise NotImplementedError

    # Whether replaying the journal must put the placed articles in the neighbour index too
    # (False where the index is stored with the changes, as pgvector's is).
    _replay_into_index = True

    # -- helpers ---------------------------------------------------------------------

    def _execute(self, query: str, params: Sequence | None = None) -> Any:
        """Run one statement written with %s placeholders; returns the engine's cursor."""
        if params is None:
            return self._db.execute(self.dialect.sql(query))
        return self._db.execute(self.dialect.sql(query), params)

    def _rows_in(self, query: str, values: Sequence, before: Sequence = (), after: Sequence = ()) -> Iterator[tuple]:
        """The rows of `query`, whose {in} tests membership in `values`: `before` and `after`
        are the parameters of the placeholders before and after it."""
        for test, test_params in self.dialect.membership_tests(values):
            yield from self._execute(query.replace(IN, test), [*before, *test_params, *after])

    def _migrate_schema(self) -> None:
        """Bring the schema to SCHEMA_VERSION; call under the engine's migration lock, in a transaction."""
        tables = self._table_names()
        if "schema_version" not in tables:
            if tables - self.UNVERSIONED_TABLES:
                raise CrosswireError(self.FOREIGN_DATABASE[0], self.name, self.FOREIGN_DATABASE[1])
            self._execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            self._execute("INSERT INTO schema_version VALUES (0)")
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise CrosswireError(
                "CW402",
                self.name,
                f"schema version {version} is newer than this crosswire's ({SCHEMA_VERSION}); upgrade crosswire",
            )
        migrations = self.dialect.migrations()
        for number in range(version, SCHEMA_VERSION):
            self._run_script(migrations[number])
            self._execute("UPDATE schema_version SET version = %s", (number + 1,))

    # -- the store -------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self._execute("SELECT version FROM schema_version").fetchone()[0]

    def stored_hashes(self, content_hashes: Sequence[str]) -> set[str]:
        query = f"SELECT content_hash FROM articles WHERE content_hash {IN}"
        return {row[0] for row in self._rows_in(query, content_hashes)}

    def seen(self, content_hash: str, source: str) -> Seen | None:
        row = self._execute(
            "SELECT id, EXISTS (SELECT 1 FROM copies WHERE article_id = articles.id AND source = %s)"
            " FROM articles WHERE content_hash = %s",
            (source, content_hash),
        ).fetchone()
        return Seen(row[0], bool(row[1])) if row else None

    def add_copy(self, article_id: int, article: Article) -> None:
        with self._transaction():
            self._insert_copy(article_id, article)

    def add_article(self, new: NewArticle) -> Stored:
        """Store a new article in one transaction. Under the articles lock the
        near-duplicate check reads every signature committed so far, by any process, and
        the insert commits before the next writer checks: each near-duplicate group gets
        its one earliest original, and a text two processes store at once is kept once."""
        art = new.article
        with self._articles_transaction():
            stored = self._execute("SELECT id FROM articles WHERE content_hash = %s", (new.content_hash,)).fetchone()
            if stored is not None:
                # Another process stored this very text after our seen() check: one article, this a copy.
                self._insert_copy(stored[0], art)
                return Stored(stored[0], None)
            # Ids are drawn under the lock, so the newcomer's will be the highest, as placement assumes.
            placed = placement(self._earliest_root(self._near_duplicates(new.signature)), art.published)
            article_id = self._insert_id(
                "INSERT INTO articles (content_hash, text, lang, source, title, url, outlet, published, meta,"
                " duplicate_of, minhash, ingested_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    new.content_hash,
                    art.text,
                    art.lang,
                    art.source,
                    art.title,
                    art.url,
                    art.outlet,
                    art.published,
                    json.dumps(art.meta, ensure_ascii=False, default=str),
                    placed.duplicate_of,
                    new.signature.astype("<u4").tobytes(),
                    utc_now(),
                ),
            )
            if placed.displaced is not None:
                # The newcomer predates the copy stored so far: it becomes the one the others point to.
                self._execute(
                    "UPDATE articles SET duplicate_of = %s WHERE id = %s OR duplicate_of = %s",
                    (article_id, placed.displaced, placed.displaced),
                )
            self._insert_copy(article_id, art)
            self._insert_rows(
                "sentences",
                "article_id, idx, start_char, end_char",
                ((article_id, s.index, s.start, s.end) for s in new.sentences),
            )
            vectors = np.asarray(new.vectors, dtype="<f2")
            self._execute(
                "INSERT INTO embeddings (article_id, encoder, dim, vectors) VALUES (%s, %s, %s, %s)",
                (article_id, new.encoder, vectors.shape[1], vectors.tobytes()),
            )
            self._insert_rows(
                "facts",
                "article_id, sentence_idx, kind, start_char, end_char, text, value",
                ((article_id, i, f.kind, f.start, f.end, f.text, str(f.value)) for i, f in new.facts),
            )
            if new.profile is not None:
                self._insert_profile(article_id, new.encoder, new.profile, new.article_vector)
            if new.attributions is not None:
                self._insert_attributions(article_id, new.attribution_extractor, new.attributions)
        self._remember_signature(article_id, new.signature)
        return Stored(article_id, placed.duplicate_of, placed.displaced)

    def sentence_vectors(self, article_id: int, encoder: str) -> np.ndarray | None:
        """The article's sentence vectors (float32, one row per sentence), if stored for `encoder`."""
        row = self._execute(
            "SELECT dim, vectors FROM embeddings WHERE article_id = %s AND encoder = %s", (article_id, encoder)
        ).fetchone()
        if row is None:
            return None
        return np.frombuffer(row[1], dtype="<f2").reshape(-1, row[0]).astype(np.float32)

    # -- the story linker ------------------------------------------------------------

    def load_linker(self, profiles: Profiles) -> StoryLinker | None:
        """The linker as the last linking pass stored it: its checkpoint with the journal's
        later changes replayed; None without a checkpoint.

        The one this store last saved or loaded is taken again while the checkpoint is
        unchanged (no other process wrote one since) and holds no change left unstored: it
        only replays what other processes linked since."""
        version = self._checkpoint_version()
        if version is None:
            return None
        seen = self._linker_seen
        if seen is not None and seen[0] == version and not seen[1].journal:
            linker = seen[1]
        else:
            linker, version = self._read_checkpoint(profiles, version)
        linker.replay(
            self._execute(
                "SELECT seq, kind, article_id, story_id FROM linker_journal WHERE seq > %s ORDER BY seq",
                (linker.journal_seq,),
            ).fetchall(),
            into_index=self._replay_into_index,
        )
        self._linker_seen = (version, linker)
        return linker

    def save_linker(self, linker: StoryLinker) -> None:
        """Append the linker's journal to linker_journal (inside story_rows_transaction)."""
        if linker.journal:
            self._executemany(
                "INSERT INTO linker_journal (kind, article_id, story_id) VALUES (%s, %s, %s)", linker.journal
            )
            linker.journal_seq = self._execute("SELECT max(seq) FROM linker_journal").fetchone()[0]
            linker.journal.clear()

    def unlinked_articles(self) -> list[tuple[int, str | None, int | None]]:
        """(id, published, duplicate_of) of the articles in no story yet, in arrival order."""
        return self._execute(
            "SELECT a.id, a.published, a.duplicate_of FROM link_queue AS q JOIN articles AS a ON a.id = q.article_id"
            " ORDER BY q.article_id"
        ).fetchall()

    def all_articles_for_linking(self) -> list[tuple[int, str | None, int | None]]:
        """(id, published, duplicate_of) of every article, in arrival order: to re-link from scratch."""
        return self._execute("SELECT id, published, duplicate_of FROM articles ORDER BY id").fetchall()

    def linked_count(self) -> int:
        """How many articles are in the linker's index by the stored story rows."""
        return self._execute("SELECT count(*) FROM story_articles WHERE linked = 1").fetchone()[0]

    def group_story(self, article_id: int) -> tuple[str, int] | None:
        """(story id, linked article) of the near-duplicate group of `article_id` (the article,
        its original and the original's other copies), when a member of it is linked."""
        # The group as "id = root OR duplicate_of = root" finds its members by index; a test on
        # COALESCE(duplicate_of, id) scanned every article (linking cost grew with the corpus).
        return self._execute(
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
        self._execute(
            "INSERT INTO story_articles (article_id, story_id, linked) VALUES (%s, %s, %s)"
            " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, linked = excluded.linked",
            (article_id, story_id, int(linked)),
        )

    def clear_story_rows(self) -> None:
        """Forget every article's story and the linker (before re-linking all); overrides are kept."""
        self._linker_seen = None
        with self._transaction():
            # The checkpoint first: a journal left without it is never replayed onto another one.
            self._forget_checkpoint()
            self._execute("DELETE FROM story_articles")
            self._execute("DELETE FROM linker_journal")

    def add_override(self, action: str, pins: dict[int, str]) -> None:
        """Record a merge or split and put each pinned article, with its near-duplicate
        group, in its story: one transaction."""
        with self._transaction():
            self._execute(
                "INSERT INTO story_overrides (action, pins, created_at) VALUES (%s, %s, %s)",
                (action, json.dumps({str(k): v for k, v in pins.items()}), utc_now()),
            )
            for article_id, story_id in pins.items():
                self._execute(
                    f"WITH {_GROUP_ROOT} UPDATE story_articles SET story_id = %s WHERE article_id IN"
                    " (SELECT a.id FROM g, articles AS a WHERE a.id = g.root OR a.duplicate_of = g.root)",
                    (article_id, story_id),
                )

    def override_pins(self) -> dict[int, str]:
        """Article id -> story id from every merge and split, later ones winning."""
        pins: dict[int, str] = {}
        for (blob,) in self._execute("SELECT pins FROM story_overrides ORDER BY id"):
            pins.update((int(k), v) for k, v in json.loads(blob).items())
        return pins

    # -- articles, profiles, vectors -------------------------------------------------

    def article(self, article_id: int) -> StoredArticle | None:
        row = self._execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = %s", (article_id,)).fetchone()
        return stored_article(row) if row else None

    def articles(self, article_ids: Sequence[int]) -> list[StoredArticle]:
        """These articles, in the order given (unknown ids left out)."""
        found = {
            row[0]: stored_article(row)
            for row in self._rows_in(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id {IN}", article_ids)
        }
        return [found[i] for i in article_ids if i in found]

    def article_ids_from_address(self, address: str) -> list[int]:
        """The ids of the articles read from `address` (their source or url, or a copy's), oldest first."""
        rows = self._execute(
            "SELECT id FROM articles WHERE source = %s OR url = %s"
            " UNION SELECT article_id FROM copies WHERE source = %s OR url = %s ORDER BY 1",
            (address, address, address, address),
        )
        return [row[0] for row in rows]

    def sentence_spans(self, article_id: int) -> list[tuple[int, int]]:
        return self._execute(
            "SELECT start_char, end_char FROM sentences WHERE article_id = %s ORDER BY idx", (article_id,)
        ).fetchall()

    def profile(self, article_id: int, encoder: str) -> bytes | None:
        row = self._execute(
            "SELECT profile FROM profiles WHERE article_id = %s AND encoder = %s", (article_id, encoder)
        ).fetchone()
        return bytes(row[0]) if row else None

    def profiles(self, article_ids: Sequence[int], encoder: str) -> dict[int, bytes]:
        """Article id -> stored profile, for those of these articles that have one: one query."""
        return {
            article_id: bytes(blob)
            for article_id, blob in self._rows_in(
                f"SELECT article_id, profile FROM profiles WHERE encoder = %s AND article_id {IN}",
                article_ids,
                before=(encoder,),
            )
        }

    def attributions(self, article_ids: Sequence[int], extractor: str) -> dict[int, tuple[Attribution, ...]]:
        """Article id -> its attributions as stored at ingest, for those of these articles
        whose set `extractor` wrote (the others have none stored, or an older extractor's)."""
        texts = dict(
            self._rows_in(
                "SELECT s.article_id, a.text FROM attribution_sets AS s JOIN articles AS a ON a.id = s.article_id"
                f" WHERE s.extractor = %s AND s.article_id {IN}",
                article_ids,
                before=(extractor,),
            )
        )
        rows: dict[int, list[Attribution]] = {article_id: [] for article_id in texts}
        for article_id, *row in self._rows_in(
            f"SELECT article_id, {ATTRIBUTION_COLUMNS} FROM attributions WHERE article_id {IN} ORDER BY article_id, idx",
            list(texts),
        ):
            rows[article_id].append(attribution_from_row(texts[article_id], *row))
        return {article_id: tuple(found) for article_id, found in rows.items()}

    def add_profile(self, article_id: int, encoder: str, profile: bytes, article_vector: np.ndarray) -> None:
        """Store a profile built after ingest (for articles stored before profiles existed)."""
        with self._transaction():
            self._insert_profile(article_id, encoder, profile, article_vector)

    def profiled_ids(self, encoder: str) -> list[int]:
        return [
            row[0]
            for row in self._execute(
                "SELECT article_id FROM profiles WHERE encoder = %s ORDER BY article_id", (encoder,)
            )
        ]

    def unprofiled_ids(self, encoder: str, article_ids: Sequence[int]) -> list[int]:
        """Those of these articles with no profile for `encoder` (stored before ingest built
        profiles), in order."""
        return [
            row[0]
            for row in self._rows_in(
                f"SELECT id FROM articles AS a WHERE id {IN} AND NOT EXISTS"
                " (SELECT 1 FROM profiles AS p WHERE p.article_id = a.id AND p.encoder = %s) ORDER BY id",
                sorted(article_ids),
                after=(encoder,),
            )
        ]

    def article_vectors(self, encoder: str) -> tuple[np.ndarray, np.ndarray]:
        """(article ids, their article vectors as float32 rows) for every profiled original
        article (near-duplicates are copies of one of these)."""
        ids, blobs = [], []
        for article_id, blob in self._execute(
            "SELECT v.article_id, v.vector FROM article_vectors AS v JOIN articles AS a ON a.id = v.article_id"
            " WHERE v.encoder = %s AND a.duplicate_of IS NULL ORDER BY v.article_id",
            (encoder,),
        ):
            ids.append(article_id)
            blobs.append(bytes(blob))
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(blobs), dtype="<f2").reshape(len(ids), -1).astype(np.float32)
        return np.array(ids, dtype=np.int64), matrix

    def sentence_vector_rows(self, article_ids: Sequence[int], encoder: str) -> Iterator[tuple[int, np.ndarray]]:
        """(article id, float32 sentence matrix) for these articles, streamed."""
        for article_id, dim, blob in self._rows_in(
            f"SELECT article_id, dim, vectors FROM embeddings WHERE encoder = %s AND article_id {IN}",
            article_ids,
            before=(encoder,),
        ):
            yield article_id, np.frombuffer(blob, dtype="<f2").reshape(-1, dim).astype(np.float32)

    # -- stories and their listing ---------------------------------------------------

    def story_members(self, story_id: str) -> list[tuple[int, bool]]:
        """(article id, linked) of a story's articles, in arrival order."""
        return [
            (article_id, bool(linked))
            for article_id, linked in self._execute(
                "SELECT article_id, linked FROM story_articles WHERE story_id = %s ORDER BY article_id", (story_id,)
            )
        ]

    def story_of(self, article_id: int) -> str | None:
        row = self._execute("SELECT story_id FROM story_articles WHERE article_id = %s", (article_id,)).fetchone()
        return row[0] if row else None

    def story_rows(
        self, story_ids: Sequence[str]
    ) -> list[tuple[str, int, str, str | None, str | None, str | None, int | None]]:
        """(story id, article id, lang, outlet, published, title, duplicate_of) of these
        stories' members, by story and then by article id."""
        rows = self._rows_in(
            "SELECT sa.story_id, a.id, a.lang, a.outlet, a.published, a.title, a.duplicate_of"
            f" FROM story_articles AS sa JOIN articles AS a ON a.id = sa.article_id WHERE sa.story_id {IN}",
            story_ids,
        )
        return sorted(rows, key=lambda row: (row[0], row[1]))

    def first_sentences(self, article_ids: Sequence[int]) -> dict[int, str]:
        """Article id -> the text of its first sentence (its whole text when it has none)."""
        # substr counts characters, as Python's offsets do: only the sentence leaves the database.
        return dict(
            self._rows_in(
                "SELECT a.id, CASE WHEN s.article_id IS NULL THEN a.text"
                " ELSE substr(a.text, s.start_char + 1, s.end_char - s.start_char) END"
                " FROM articles AS a LEFT JOIN sentences AS s ON s.article_id = a.id"
                " AND s.idx = (SELECT min(idx) FROM sentences WHERE article_id = a.id)"
                f" WHERE a.id {IN}",
                article_ids,
            )
        )

    def unsummarised_story_ids(self) -> list[str]:
        """Stories with no summary row: new, or changed since their row was written."""
        # A queued story may have lost its last article since: it has no row to write.
        return [
            row[0]
            for row in self._execute(
                "SELECT story_id FROM summary_queue AS q"
                " WHERE EXISTS (SELECT 1 FROM story_articles AS s WHERE s.story_id = q.story_id) ORDER BY story_id"
            )
        ]

    def put_story_summaries(self, rows: Sequence[tuple]) -> None:
        """Summary rows as the story_summaries columns, in order (inside story_rows_transaction);
        they leave the summary queue, with the queued stories that have no article left."""
        self._executemany(
            "INSERT INTO story_summaries (story_id, headline, languages, outlets, outlet_keys, articles,"
            " near_duplicates, first_seen, last_seen, first_seen_utc, id_number, id_tail)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (story_id) DO UPDATE SET headline = excluded.headline, languages = excluded.languages,"
            " outlets = excluded.outlets, outlet_keys = excluded.outlet_keys, articles = excluded.articles,"
            " near_duplicates = excluded.near_duplicates, first_seen = excluded.first_seen,"
            " last_seen = excluded.last_seen, first_seen_utc = excluded.first_seen_utc,"
            " id_number = excluded.id_number, id_tail = excluded.id_tail",
            rows,
        )
        self._executemany("DELETE FROM summary_queue WHERE story_id = %s", [(row[0],) for row in rows])
        self._execute(
            "DELETE FROM summary_queue WHERE NOT EXISTS"
            " (SELECT 1 FROM story_articles AS s WHERE s.story_id = summary_queue.story_id)"
        )

    def story_summaries(
        self,
        *,
        lang: str | None = None,
        outlet_key: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[tuple[str, str, str, str, int, int, str | None, str | None]]:
        """(story id, headline, languages, outlets, articles, near_duplicates, first_seen,
        last_seen) of the stories that pass the filters (see _summary_filter), first seen
        most recently first, undated ones last, equal times by story id, highest first."""
        where, params = self._summary_filter(lang, outlet_key, since, until)
        text_order = self.dialect.text_order
        return self._execute(
            "SELECT story_id, headline, languages, outlets, articles, near_duplicates, first_seen, last_seen"
            f" FROM story_summaries AS s {where}"
            f" ORDER BY first_seen_utc{text_order} DESC, id_number DESC, id_tail{text_order} DESC LIMIT %s OFFSET %s",
            [*params, self.dialect.no_limit if limit is None else limit, offset],
        ).fetchall()

    def story_summary_counts(
        self,
        *,
        lang: str | None = None,
        outlet_key: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[int, int, list[tuple[str, int]]]:
        """(stories, their articles, [(language, stories with an article in it)]) of the
        stories that pass the filters (see _summary_filter)."""
        where, params = self._summary_filter(lang, outlet_key, since, until)
        stories, articles = self._execute(
            f"SELECT count(*), coalesce(sum(articles), 0) FROM story_summaries AS s {where}", params
        ).fetchone()
        languages = self._execute(
            "SELECT j.value, count(*) FROM story_summaries AS s"
            f" {self.dialect.json_array_values.format(column='s.languages', alias='j')} {where} GROUP BY j.value",
            params,
        ).fetchall()
        return stories, int(articles), languages

    def comparison_links(self, a: int, b: int, encoder: str) -> list[dict] | None:
        row = self._execute(
            "SELECT links FROM comparisons WHERE a = %s AND b = %s AND encoder = %s", (a, b, encoder)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def add_comparison_links(self, a: int, b: int, encoder: str, links: list[dict]) -> None:
        with self._transaction():
            self._execute(
                "INSERT INTO comparisons (a, b, encoder, links) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (a, b, encoder) DO UPDATE SET links = excluded.links",
                (a, b, encoder, json.dumps(links, ensure_ascii=False)),
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------

    def _insert_profile(self, article_id: int, encoder: str, profile: bytes, article_vector: np.ndarray) -> None:
        self._execute(
            "INSERT INTO profiles (article_id, encoder, profile) VALUES (%s, %s, %s)"
            " ON CONFLICT (article_id, encoder) DO UPDATE SET profile = excluded.profile",
            (article_id, encoder, profile),
        )
        self._execute(
            "INSERT INTO article_vectors (article_id, encoder, vector) VALUES (%s, %s, %s)"
            " ON CONFLICT (article_id, encoder) DO UPDATE SET vector = excluded.vector",
            (article_id, encoder, np.asarray(article_vector, dtype="<f2").tobytes()),
        )

    def _insert_attributions(self, article_id: int, extractor: str, attributions: Sequence[Attribution]) -> None:
        self._execute("INSERT INTO attribution_sets (article_id, extractor) VALUES (%s, %s)", (article_id, extractor))
        self._insert_rows(
            "attributions",
            f"article_id, idx, {ATTRIBUTION_COLUMNS}",
            ((article_id, idx, *attribution_row(a)) for idx, a in enumerate(attributions)),
        )

    def _insert_copy(self, article_id: int, article: Article) -> None:
        self._execute(
            "INSERT INTO copies (article_id, source, url, outlet, published) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (article_id, article.source, article.url, article.outlet, article.published),
        )

    def _near_duplicates(self, signature: np.ndarray) -> list[int]:
        """Stored articles (any process's, committed) whose estimated Jaccard similarity
        with `signature` reaches the threshold. Call in _articles_transaction."""
        if self._bands is None:
            self._bands = BandIndex(self._threshold, len(signature))
        for article_id, blob in self._execute(
            "SELECT id, minhash FROM articles WHERE id > %s ORDER BY id", (self._signatures_upto,)
        ):
            self._remember_signature(article_id, np.frombuffer(blob, dtype="<u4"))
        return self._bands.near_duplicates(signature)

    def _remember_signature(self, article_id: int, signature: np.ndarray) -> None:
        if self._bands is not None and article_id not in self._bands.signatures:
            self._bands.add(article_id, signature)
            self._signatures_upto = max(self._signatures_upto, article_id)

    def _earliest_root(self, article_ids: list[int]) -> tuple[int, str | None] | None:
        """(id, published) of the earliest of these articles' originals."""
        if not article_ids:
            return None
        rows = self._rows_in(
            "SELECT root.id, root.published FROM articles AS a JOIN articles AS root"
            f" ON root.id = COALESCE(a.duplicate_of, a.id) WHERE a.id {IN}",
            article_ids,
        )
        return min(rows, key=lambda row: earliest_key(*row))

    def _summary_filter(
        self, lang: str | None, outlet_key: str | None, since: str | None, until: str | None
    ) -> tuple[str, list[str]]:
        """The WHERE clause for story_summaries AS s: an article in `lang`, an outlet whose
        casefolded name is `outlet_key`, last seen on or after `since` and first seen on or
        before `until` (dates, YYYY-MM-DD, compared with the first ten characters as published)."""
        clauses, params = [], []
        if lang:
            clauses.append(self.dialect.json_array_has.format(column="s.languages"))
            params.append(lang)
        if outlet_key:
            clauses.append(self.dialect.json_array_has.format(column="s.outlet_keys"))
            params.append(outlet_key)
        if since:
            clauses.append("s.last_seen IS NOT NULL AND substr(s.last_seen, 1, 10) >= %s")
            params.append(since)
        if until:
            clauses.append("s.first_seen IS NOT NULL AND substr(s.first_seen, 1, 10) <= %s")
            params.append(until)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
