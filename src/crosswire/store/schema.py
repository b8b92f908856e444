"""The corpus schema, written once for both store engines: ordered migrations.

MIGRATIONS[i] takes a database from schema version i to i + 1, and each engine's
`schema_version` table records how far a database has come; a database written by a
newer crosswire (a higher version) is refused rather than misread.

A migration is SQL both engines run, in which `{fields}` stand for the few column types
and table options that differ (Dialect.types: an SQLite `INTEGER PRIMARY KEY` is a
PostgreSQL identity column, a BLOB is a BYTEA, ...), followed by what only one engine
needs: triggers (SQLite's hold their statements, PostgreSQL's call a function), and
SQLite's table rebuilds of version 5. Literal braces are doubled (`'{{}}'`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Migration:
    shared: str
    sqlite: str = ""
    postgres: str = ""

    def render(self, dialect: str, types: Mapping[str, str]) -> str:
        """The migration's SQL for the engine named `dialect` ("sqlite" or "postgres")."""
        own = {"sqlite": self.sqlite, "postgres": self.postgres}[dialect]
        return self.shared.format(**types) + own


MIGRATIONS: tuple[Migration, ...] = (
    # 1: articles and everything derived from them; stories left for the story linker to fill.
    Migration("""
    CREATE TABLE articles (
        id {id_key},
        content_hash TEXT NOT NULL UNIQUE,          -- sha256 of text: exact copies share it
        text TEXT NOT NULL,
        lang TEXT NOT NULL,
        source TEXT NOT NULL,                       -- where the text was first read
        title TEXT,
        url TEXT,
        outlet TEXT,
        published TEXT,                             -- ISO 8601 date or date-time
        meta TEXT NOT NULL DEFAULT '{{}}',          -- JSON object
        duplicate_of {id} REFERENCES articles(id),  -- the earliest near-duplicate; NULL for an original
        minhash {blob} NOT NULL,                    -- uint32 MinHash signature, little-endian
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
    -- Every place an article's exact text was read, its first source included.
    CREATE TABLE copies (
        article_id {id} NOT NULL REFERENCES articles(id),
        source TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        published TEXT,
        PRIMARY KEY (article_id, source)
    ){without_rowid};
    CREATE INDEX copies_source ON copies(source);
    CREATE TABLE sentences (
        article_id {id} NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL,                -- offsets into articles.text
        end_char INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ){without_rowid};
    -- One row per article and encoder: row i of the matrix is sentence i.
    CREATE TABLE embeddings (
        article_id {id} NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vectors {blob} NOT NULL,                    -- float16, little-endian, row-major
        PRIMARY KEY (article_id, encoder)
    ){without_rowid};
    CREATE TABLE facts (
        article_id {id} NOT NULL,
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
        article_id {id} NOT NULL,
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
        id {id_key},
        created_at TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        article_id {id} PRIMARY KEY REFERENCES articles(id),
        story_id {id} NOT NULL REFERENCES stories(id),
        score {real}                                -- the similarity that joined it; NULL for a story's first article
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    -- A user's merge or split, kept by article ids so that it survives re-linking.
    CREATE TABLE story_overrides (
        id {id_key},
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        article_ids TEXT NOT NULL,                  -- JSON array
        created_at TEXT NOT NULL
    );
    """),
    # 2: what story linking and the corpus views need. The story tables of version 1 were
    # never written (no linker existed), so they are replaced rather than altered.
    Migration("""
    DROP TABLE story_articles;
    DROP TABLE stories;
    DROP TABLE story_overrides;
    -- Story ids are the linker's: the id of the story's founding article ("17", or "17#2").
    CREATE TABLE story_articles (
        article_id {id} PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        linked INTEGER NOT NULL                     -- 1: in the linker's index; 0: a near-duplicate following its group
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    -- A user's merge or split, as the pins (article id -> story id) it set: replayed when
    -- the linker state is rebuilt, so the choice survives re-linking.
    CREATE TABLE story_overrides (
        id {id_key},
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        pins TEXT NOT NULL,                         -- JSON object
        created_at TEXT NOT NULL
    );
    -- similarity.ArticleProfile.to_bytes() per article and encoder, for the story linker.
    CREATE TABLE profiles (
        article_id {id} NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        profile {blob} NOT NULL,
        PRIMARY KEY (article_id, encoder)
    ){without_rowid};
    -- The profile's article vector (float16) apart, small enough to scan for search.
    CREATE TABLE article_vectors (
        article_id {id} NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        vector {blob} NOT NULL,
        UNIQUE (article_id, encoder)
    );
    -- compare(earliest article, other article) per story, for the claim matrix: the
    -- links as in crosswire.comparison/1, computed once per pair and encoder.
    CREATE TABLE comparisons (
        a {id} NOT NULL REFERENCES articles(id),
        b {id} NOT NULL REFERENCES articles(id),
        encoder TEXT NOT NULL,
        links TEXT NOT NULL,                        -- JSON array
        PRIMARY KEY (a, b, encoder)
    ){without_rowid};
    """),
    # 3: a summary row per story (what the stories listing shows), so that the listing is
    # filtered, ordered and paged in SQL. The triggers drop a story's row whenever its
    # members or their articles change, whoever writes; crosswire.corpus writes the
    # missing rows back after linking and before listing (an upgraded file has none yet).
    Migration(
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
        id_number {id} NOT NULL,                    -- the story id "17#2" as 17 and "2": equal times are listed by id
        id_tail TEXT NOT NULL
    ){without_rowid};
    CREATE INDEX story_summaries_order ON story_summaries(first_seen_utc, id_number, id_tail);
    """,
        sqlite="""
    CREATE TRIGGER story_member_added AFTER INSERT ON story_articles
    BEGIN DELETE FROM story_summaries WHERE story_id = NEW.story_id; END;
    CREATE TRIGGER story_member_moved AFTER UPDATE ON story_articles
    BEGIN DELETE FROM story_summaries WHERE story_id IN (OLD.story_id, NEW.story_id); END;
    CREATE TRIGGER story_member_removed AFTER DELETE ON story_articles
    BEGIN DELETE FROM story_summaries WHERE story_id = OLD.story_id; END;
    CREATE TRIGGER story_article_changed AFTER UPDATE ON articles
    BEGIN DELETE FROM story_summaries WHERE story_id = (SELECT story_id FROM story_articles WHERE article_id = NEW.id); END;
    """,
        postgres="""
    CREATE FUNCTION story_member_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM story_summaries WHERE story_id = OLD.story_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            DELETE FROM story_summaries WHERE story_id = NEW.story_id;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER story_member_added AFTER INSERT ON story_articles
        FOR EACH ROW EXECUTE FUNCTION story_member_changed();
    CREATE TRIGGER story_member_moved AFTER UPDATE ON story_articles
        FOR EACH ROW EXECUTE FUNCTION story_member_changed();
    CREATE TRIGGER story_member_removed AFTER DELETE ON story_articles
        FOR EACH ROW EXECUTE FUNCTION story_member_changed();
    CREATE FUNCTION story_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM story_summaries WHERE story_id = (SELECT story_id FROM story_articles WHERE article_id = NEW.id);
        RETURN NULL;
    END $$;
    CREATE TRIGGER story_article_changed AFTER UPDATE ON articles
        FOR EACH ROW EXECUTE FUNCTION story_article_changed();
    """,
    ),
    # 4: attributions stored at ingest, in the article's transaction, so that story and
    # article views do not extract them again. Version 1's attributions table was never
    # written, so it is replaced. Every span is a pair of character offsets into
    # articles.text (its text is text[start:end]). A stored set is used only by the
    # extractor that wrote it (attribution_sets.extractor, ingest.extractor_fingerprint):
    # after an upgrade the views extract again, as for an article stored before version 4.
    Migration("""
    DROP TABLE attributions;
    CREATE TABLE attribution_sets (
        article_id {id} PRIMARY KEY REFERENCES articles(id),
        extractor TEXT NOT NULL                     -- fingerprint of the code and data that found them
    );
    -- model.Attribution, one row each, in the order provenance.article_sources gave them.
    CREATE TABLE attributions (
        article_id {id} NOT NULL REFERENCES attribution_sets(article_id),
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
    ){without_rowid};
    CREATE INDEX attributions_entity ON attributions(entity_key);
    """),
    # 5: SQLite's embeddings and profiles (rows of ~30 KiB: a matrix of sentence vectors, a
    # profile) become rowid tables with the same columns and keys. Migrations 1 and 2 made
    # them WITHOUT ROWID tables, where every row is a key of the table's B-tree: that suits
    # rows far smaller than a page, and reading the linker's 16 neighbour profiles of one
    # article cost 2.7-2.9 CPU ms that way against 0.30 from a rowid table (75,000
    # articles). PostgreSQL's tables are heaps already: nothing to change there.
    Migration(
        "",
        sqlite="""
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
    ),
    # 6: what keeps a linking pass's cost flat as the corpus grows.
    # - The story linker's journal (stories.StoryLinker.journal), written with the story
    #   rows; the linker's full state is checkpointed now and then (beside an SQLite file,
    #   in PostgreSQL's linker_state), and the changes after it are replayed on opening. A
    #   journal number is never given twice, even after the rows below a checkpoint are
    #   deleted (SQLite's AUTOINCREMENT, PostgreSQL's identity column).
    # - Two queues kept by triggers, whoever writes: the articles in no story (link_queue)
    #   and the stories whose summary row is missing (summary_queue). A pass found both by
    #   scanning every article and every story member (~100 and ~80 ms at 100,000 articles).
    Migration(
        """
    CREATE TABLE linker_journal (
        seq {sequence_key},
        kind TEXT NOT NULL,                         -- 'add': placed in the story; 'pin': put there for good
        article_id TEXT NOT NULL,
        story_id TEXT NOT NULL
    );
    CREATE TABLE link_queue (article_id {id} PRIMARY KEY REFERENCES articles(id));
    INSERT INTO link_queue SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles);
    CREATE TABLE summary_queue (story_id TEXT PRIMARY KEY){without_rowid};
    INSERT INTO summary_queue
        SELECT DISTINCT story_id FROM story_articles WHERE story_id NOT IN (SELECT story_id FROM story_summaries);
    """,
        sqlite="""
    CREATE TRIGGER article_added AFTER INSERT ON articles
    BEGIN INSERT INTO link_queue VALUES (NEW.id); END;
    CREATE TRIGGER article_linked AFTER INSERT ON story_articles
    BEGIN DELETE FROM link_queue WHERE article_id = NEW.article_id; END;
    CREATE TRIGGER article_unlinked AFTER DELETE ON story_articles
    BEGIN INSERT OR IGNORE INTO link_queue VALUES (OLD.article_id); END;
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
        postgres="""
    CREATE FUNCTION article_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO link_queue VALUES (NEW.id);
        RETURN NULL;
    END $$;
    CREATE TRIGGER article_added AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION article_added();
    CREATE FUNCTION article_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            DELETE FROM link_queue WHERE article_id = NEW.article_id;
        ELSE
            INSERT INTO link_queue VALUES (OLD.article_id) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER article_linked AFTER INSERT ON story_articles
        FOR EACH ROW EXECUTE FUNCTION article_link_changed();
    CREATE TRIGGER article_unlinked AFTER DELETE ON story_articles
        FOR EACH ROW EXECUTE FUNCTION article_link_changed();
    CREATE OR REPLACE FUNCTION story_member_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM story_summaries WHERE story_id = OLD.story_id;
            INSERT INTO summary_queue VALUES (OLD.story_id) ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            DELETE FROM story_summaries WHERE story_id = NEW.story_id;
            INSERT INTO summary_queue VALUES (NEW.story_id) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION story_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM story_summaries WHERE story_id = (SELECT story_id FROM story_articles WHERE article_id = NEW.id);
        INSERT INTO summary_queue SELECT story_id FROM story_articles WHERE article_id = NEW.id ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$;
    """,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
