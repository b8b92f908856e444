"""ingest(): counts, idempotent re-runs, copies, dates, the CLI, and a kill -9 mid-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from jsonschema import Draft202012Validator
import pytest
from postgres_servers import UNDO_MIGRATION_6, query_value
from scale_corpus import ENGINES, empty_db
from read.corpus_samples import (
    DE_PARAGRAPHS,
    EN_PARAGRAPHS,
    EN_TEXT,
    article_text,
    hostile_inputs,
    html_page,
    jsonl_line,
    rss_feed,
    warc_bytes,
    write,
)

import crosswire
from crosswire.cli import cli
from crosswire.schemas import load_schema
from crosswire.store.sqlite import SqliteStore

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "data" / "seeds" / "id_wagner_drones.txt"


def mixed_folder(root: Path) -> Path:
    """One article of each kind, one exact copy, one near-duplicate and one bad file."""
    write(root / "en.txt", EN_TEXT)
    write(root / "copy-of-en.txt", EN_TEXT)  # same text, another source
    write(root / "pages" / "de.html", html_page(DE_PARAGRAPHS, lang="de"))
    write(root / "lines.jsonl", jsonl_line(text=article_text(1), published="2024-03-01") + "{broken\n")
    write(
        root / "feed.rss",
        rss_feed(
            [
                {
                    "title": "t",
                    "link": "https://h/9",
                    "date": "Sat, 09 Mar 2024 08:00:00 GMT",
                    "html": f"<p>{article_text(2)}</p>",
                }
            ]
        ),
    )
    page = html_page(EN_PARAGRAPHS[:3] + [EN_PARAGRAPHS[3].replace("Talvik", "Talvic")])  # a light edit of en.txt
    write(root / "crawl.warc.gz", warc_bytes([("https://h/edited", page.encode(), "text/html")]))
    write(root / "picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(512))
    return root


def count(db: str, sql: str) -> int:
    return query_value(db, sql)


@pytest.fixture(params=ENGINES)
def db(request, tmp_path) -> str:
    """An empty corpus database in each engine: a SQLite file, or a postgresql:// URL."""
    return empty_db(request, tmp_path)


def test_mixed_folder_then_idempotent_rerun(tmp_path, db):
    folder = mixed_folder(tmp_path / "in")
    seen_progress = []
    with crosswire.open_store(db) as store:
        report = crosswire.ingest(
            [folder], store, progress=lambda p: seen_progress.append((p.files_done, p.files_total))
        )
        assert seen_progress[-1] == (7, 7) and seen_progress == sorted(seen_progress)
        assert (report.files, report.ingested, report.duplicates, report.near_duplicates) == (7, 4, 1, 1)
        assert {(r.code, Path(r.source.split(":")[0]).name) for r in report.rejected} == {
            ("CW103", "picture.txt"),
            ("CW109", "lines.jsonl"),
        }
        assert len(report.stored) == 5
        again = crosswire.ingest([folder], store)
    assert (again.ingested, again.duplicates, again.near_duplicates, again.unchanged) == (0, 0, 0, 6)
    assert count(db, "SELECT count(*) FROM articles") == 5
    assert count(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL") == 1
    assert count(db, "SELECT count(*) FROM copies") == 6
    assert count(db, "SELECT count(*) FROM sentences") == count(
        db, "SELECT sum(length(vectors) / 2 / dim) FROM embeddings"
    )
    assert count(db, "SELECT count(*) FROM facts WHERE kind = 'number'") > 0


def test_since_until_leave_out_undated_and_outside(tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.jsonl", "".join(jsonl_line(text=article_text(n), published=f"2024-03-0{n}") for n in range(1, 6)))
    write(folder / "undated.txt", EN_TEXT)
    with SqliteStore(str(tmp_path / "c.db")) as store:
        report = crosswire.ingest([folder], store, since=date(2024, 3, 2), until=date(2024, 3, 4))
    assert (report.ingested, report.outside_dates) == (3, 3)


def test_store_files_inside_the_input_folder_are_not_read(tmp_path):
    write(tmp_path / "a.txt", EN_TEXT)
    with SqliteStore(str(tmp_path / "crosswire.db")) as store:
        crosswire.ingest([tmp_path], store)
        report = crosswire.ingest([tmp_path], store)
    assert (report.files, report.unchanged, report.rejected) == (1, 1, [])


def test_an_object_url_is_read_like_its_file(tmp_path):
    """A file:// URL (fsspec, as s3:// or gs:// objects are) is listed and read by the stages
    every driver shares: the folder's articles, each source naming the URL, never the
    temporary copy; read again from the folder they are copies from another source."""
    folder = tmp_path / "in"
    write(folder / "a.jsonl", "".join(jsonl_line(text=article_text(n), published=f"2024-03-0{n}") for n in (1, 2)))
    write(folder / ".hidden.txt", EN_TEXT)
    url = folder.resolve().as_uri()
    with SqliteStore(str(tmp_path / "c.db")) as store:
        report = crosswire.ingest([url], store)
        sources = [stored.article.source for stored in store.articles(report.stored)]
        again = crosswire.ingest([folder], store)
    assert (report.files, report.ingested, report.rejected) == (1, 2, [])
    assert sources and all(source.startswith(f"{url}/a.jsonl") for source in sources)
    assert (again.files, again.ingested, again.duplicates) == (1, 0, 2)


def test_file_with_without_rowid_vector_tables_is_rebuilt_once_with_the_same_rows(tmp_path):
    """A version 4 file, from before profiles and embeddings became rowid tables (store.sqlite
    migration 5), is rebuilt when opened: the same rows, then ingest and search go on."""
    path = str(tmp_path / "old.db")
    write(tmp_path / "in" / "a.jsonl", "".join(jsonl_line(text=article_text(n)) for n in range(1, 4)))
    with crosswire.Corpus(path) as corpus:
        corpus.ingest([tmp_path / "in"])
    queries = (
        "SELECT article_id, encoder, profile FROM profiles ORDER BY article_id",
        "SELECT article_id, encoder, dim, vectors FROM embeddings ORDER BY article_id",
    )
    with sqlite3.connect(path) as db:
        before = [db.execute(q).fetchall() for q in queries]
        for table, columns in (
            ("profiles", "article_id, encoder, profile"),
            ("embeddings", "article_id, encoder, dim, vectors"),
        ):
            db.executescript(  # back to the layout of migration 2
                f"CREATE TABLE old ({columns}, PRIMARY KEY (article_id, encoder)) WITHOUT ROWID;"
                f" INSERT INTO old SELECT {columns} FROM {table}; DROP TABLE {table}; ALTER TABLE old RENAME TO {table};"
            )
        db.executescript(UNDO_MIGRATION_6["sqlite"])
        db.execute("UPDATE schema_version SET version = 4")
    with crosswire.Corpus(path) as corpus:
        with sqlite3.connect(path) as db:
            layouts = [
                db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
                for t in ("profiles", "embeddings")
            ]
            assert [db.execute(q).fetchall() for q in queries] == before
        assert not any("WITHOUT ROWID" in sql.upper() for sql in layouts)
        write(tmp_path / "more" / "b.txt", EN_TEXT)
        assert corpus.ingest([tmp_path / "more"]).ingested == 1
        assert corpus.search(EN_TEXT.split(".")[0]).sentences


def test_missing_path_rejected(tmp_path):
    with SqliteStore(str(tmp_path / "c.db")) as store:
        report = crosswire.ingest([tmp_path / "nowhere", SEED], store)
    assert [(r.code, r.source) for r in report.rejected] == [("CW101", str(tmp_path / "nowhere"))]
    assert report.ingested == 1


def _run_cli(args: list[str]):
    return CliRunner().invoke(cli, args, env={"NO_COLOR": "1"})


def test_cli_json_matches_schema_and_summary(tmp_path, db):
    folder = mixed_folder(tmp_path / "in")
    result = _run_cli(["ingest", str(folder), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    Draft202012Validator(load_schema("ingest-1")).validate(report)
    assert (report["schema"], report["ingested"], len(report["rejected"])) == ("crosswire.ingest/1", 4, 2)
    summary = _run_cli(["ingest", str(folder), "--db", db])
    assert summary.exit_code == 0
    assert "0 ingested" in summary.stdout and "6 unchanged" in summary.stdout
    assert "rejected CW103" in summary.stdout and "picture.txt" in summary.stdout


def test_cli_missing_path_is_cw101_and_exit_2_before_anything_is_stored(tmp_path):
    write(tmp_path / "a.txt", EN_TEXT)
    for paths in ([str(tmp_path / "no_such_dir")], [str(tmp_path / "a.txt"), str(tmp_path / "typo.txt")]):
        result = _run_cli(["ingest", *paths, "--db", str(tmp_path / "c.db")])
        assert result.exit_code == 2, result.output
        assert f"CW101 {paths[-1]}: no such file or folder" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "c.db").exists()


def test_cli_mixed_folder_with_hostile_inputs_ingests_every_good_article(tmp_path):
    """Good articles of each kind, bad files, and each input that once ended a run: every
    good article is stored, every bad line, entry and file listed with its code, exit 0."""
    folder = mixed_folder(tmp_path / "in")
    expected_rejections = {("CW103", str(folder / "picture.txt")), ("CW109", f"{folder / 'lines.jsonl'}:2")}
    for name, (content, bad) in hostile_inputs().items():
        write(folder / "hostile" / name, content)
        expected_rejections |= {(code, f"{folder / 'hostile' / name}{suffix}") for suffix, code in bad}
    db = str(tmp_path / "c.db")
    result = _run_cli(["ingest", str(folder), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {(r["code"], r["source"]) for r in report["rejected"]} == expected_rejections
    # mixed_folder's 4 new articles and 2 copies; deep.jsonl 2, the other hostile files 1 each.
    assert (report["ingested"], report["duplicates"] + report["near_duplicates"]) == (4 + 6, 2)
    assert count(db, "SELECT count(*) FROM articles") == 4 + 6 + 1


def test_cli_errors_exit_2_without_traceback(tmp_path):
    bad_date = _run_cli(["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--since", "31/01/2024"])
    assert bad_date.exit_code == 2 and "CW403 --since" in bad_date.stderr
    not_a_db = write(tmp_path / "notes.db", "plain words, not a database " * 100)
    opened = _run_cli(["ingest", str(tmp_path), "--db", str(not_a_db)])
    assert opened.exit_code == 2 and "CW401" in opened.stderr and "Traceback" not in opened.stderr


# The crash test stores through the real store with a stand-in encoder: what it checks
# (per-article transactions, re-run completion) does not depend on the model, and the
# stand-in keeps 1,000 files to a few seconds.
CRASH_SCRIPT = textwrap.dedent(
    """
    import hashlib, sys
    import numpy as np
    import crosswire
    from crosswire.encode import USE_CALIBRATION
    from crosswire.store.sqlite import SqliteStore

    class HashEncoder:
        name = "test-hash"
        calibration = USE_CALIBRATION

        def encode(self, texts):
            seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
            return np.array([np.random.default_rng(s).normal(size=8) for s in seeds], dtype=np.float32)

    with SqliteStore(sys.argv[2]) as store:
        report = crosswire.ingest([sys.argv[1]], store, encoder=HashEncoder())
    print(report.ingested, report.unchanged, len(report.rejected))
    """
)


def test_kill_9_mid_ingest_then_rerun_stores_every_file_once(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for n in range(1000):
        (folder / f"{n:04d}.txt").write_text(article_text(n), encoding="utf-8")
    db = str(tmp_path / "crash.db")
    command = [sys.executable, "-c", CRASH_SCRIPT, str(folder), db]
    victim = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stored_before_kill = 0
    deadline = time.monotonic() + 120
    while stored_before_kill < 100 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.05)
        if os.path.exists(db):
            try:
                stored_before_kill = count(db, "SELECT count(*) FROM articles")
            except sqlite3.OperationalError:  # the schema is still being created
                pass
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL, victim.stderr.read().decode()
    survived = count(db, "SELECT count(*) FROM articles")
    assert 100 <= survived < 1000
    # Every surviving article is whole: its sentences and vectors were committed with it.
    assert count(db, "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM embeddings)") == 0

    rerun = subprocess.run(command, capture_output=True, text=True, check=True)
    ingested, unchanged, rejected = map(int, rerun.stdout.split())
    assert (ingested + unchanged, rejected) == (1000, 0)
    assert unchanged == survived
    assert count(db, "SELECT count(*) FROM articles") == 1000
    assert count(db, "SELECT count(DISTINCT source) FROM copies") == 1000
    assert count(db, "SELECT count(*) FROM copies") == 1000


def _news_text_of(size: int) -> str:
    """Real news prose (PolNeAR's articles, one after another, over and over) of `size` characters."""
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((REPO.parent / "shared" / "data" / "polnear" / "dev" / "text").glob("*.txt"))
    ]
    assert texts, "PolNeAR's articles are missing under ../shared/data"
    whole = "\n\n".join(texts)
    return (whole * (size // len(whole) + 1))[:size]


def test_a_20_mb_article_is_rejected_with_cw105_in_bounded_memory(tmp_path):
    """One 20 MB text article once took 262 s and 5.7 GB: it is over the per-article
    limit (read.article.MAX_ARTICLE_CHARS), refused before any processing; the rest ingests."""
    import tracemalloc

    from crosswire.read.article import MAX_ARTICLE_CHARS

    write(tmp_path / "in" / "huge.txt", _news_text_of(20 * 1024 * 1024))
    write(tmp_path / "in" / "long-but-allowed.txt", _news_text_of(MAX_ARTICLE_CHARS // 4))
    write(tmp_path / "in" / "short.txt", EN_TEXT)
    tracemalloc.start()
    try:
        items = list(crosswire.read_articles(tmp_path / "in" / "huge.txt"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 * 20 * 1024 * 1024  # the file's bytes and a few copies of its text, nothing per sentence
    (rejected,) = items
    assert (rejected.code, rejected.source) == ("CW105", str(tmp_path / "in" / "huge.txt"))
    assert f"over the {MAX_ARTICLE_CHARS:,}-character limit for one article" in rejected.detail
    with SqliteStore(str(tmp_path / "c.db")) as store:
        report = crosswire.ingest([tmp_path / "in"], store)
    assert report.ingested == 2 and [r.code for r in report.rejected] == ["CW105"]
