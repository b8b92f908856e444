"""Scale-out benchmarks (issue 6).

    python bench/scale.py batch [--articles 400] [--workers 1,2] [--rerun] [--format txt|jsonl] [--plot docs/img/scale-batch.png]
    python bench/scale.py postgres-ingest [--articles 300]
    python bench/scale.py pgvector [--sizes 10000,100000] [--ef-search 64,128,256] [--queries 200] [--plot docs/img/scale-pgvector.png]

`batch`: throughput of the Ray Data batch pipeline (crosswire.batch) in local mode with
1 and 2 encoder workers, against plain `crosswire.ingest` on the same corpus (bench/
ingest.py's corpus: ~600-word articles of real news sentences in en/fr/de, reshuffled
with a fixed seed). Each run stores into a fresh SQLite file; story linking is left
out (it is the same sequential pass for both). Reports wall seconds, articles/s, and
CPU seconds of the whole process tree (driver, Ray's raylet and object store, the
workers) read with psutil before Ray stops, so Ray's own overhead is counted; Ray's
start-up (a local cluster) is timed apart. --rerun adds batch with 1 worker over a
database that already holds the corpus (what a re-run over the same files costs: the
encoder actors skip every stored text). Prints the 1-minute load average: the
machine is shared, so compare CPU seconds rather than wall time when it is above the
core count. Writes nothing into the repository except the plot, when asked.

`postgres-ingest`: the same corpus through `Corpus.ingest` (ingest, then story linking)
into a fresh SQLite file and into a fresh PostgreSQL + pgvector database (pgserver, a
unix socket on this machine): articles/s overall, the store's share (IngestReport
timings: MinHash, the near-duplicate check and each article's transaction) and the
linking pass, with CPU seconds of this process (the PostgreSQL server's own CPU is not
in them: it is another process; its work shows in the wall time).

`pgvector`: story-linking query latency in pgvector at each size: the linker's own
query (PostgresStore.nearest_linked: 16 neighbours) against linker_index filled with
SYNTHETIC 512-d vectors (USE-m's dimension): clusters of unit vectors around random
centres, 20 vectors a cluster, as stories group articles. Reports the HNSW build time
(m 16, ef_construction 64, after a bulk COPY), then, on that one index, query p50 and
p95 and recall@16 against exact search for each hnsw.ef_search in --ef-search ("linker"
is the value the linker's query sets: postgres.linker_ef_search).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import articles, sentence_pools, write_corpus  # noqa: E402  (bench/ingest.py)


def _tree_cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and every live descendant."""
    me = psutil.Process()
    total = 0.0
    for proc in [me, *me.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue  # a process that ended while walking the tree
        total += times.user + times.system + times.children_user + times.children_system
    return total


def batch_run(corpus: Path, workers: int | None, count: int, rerun: bool = False) -> dict:
    """Ingest `corpus` into a fresh database: on Ray with `workers` actors, or plain ingest
    (None); with `rerun`, a first run fills the database untimed and the second is measured."""
    from crosswire.batch import BatchOptions, batch_ingest
    from crosswire.encode import set_encoder_threads
    from crosswire.ingest import ingest, ingest_threads
    from crosswire.settings import Settings
    from crosswire.store import open_store

    with tempfile.TemporaryDirectory(prefix="crosswire-scale-") as tmp:
        db = os.path.join(tmp, "bench.db")
        if rerun:
            with open_store(db) as store:
                batch_ingest([corpus], store, BatchOptions(workers=workers))
        start_cpu, start = _tree_cpu_seconds(), time.perf_counter()
        ray_start_s = 0.0
        if workers is None:
            set_encoder_threads(ingest_threads(Settings.from_env().threads))
            with open_store(db) as store:
                report = ingest([corpus], store)
        else:
            import ray

            # Started here, as batch_ingest would, so that its workers' CPU can be read before it stops.
            ray.init(address="local", num_cpus=workers + 1, include_dashboard=False, log_to_driver=False)
            ray_start_s = time.perf_counter() - start
            with open_store(db) as store:
                report = batch_ingest([corpus], store, BatchOptions(workers=workers))
        wall = time.perf_counter() - start
        cpu = _tree_cpu_seconds() - start_cpu
        if workers is not None:
            ray.shutdown()
    assert (report.unchanged if rerun else report.ingested + report.near_duplicates) == count, report.to_dict()
    work_s = wall - ray_start_s
    mode = "plain ingest" if workers is None else f"batch, {workers} worker{'s' if workers > 1 else ''}"
    return {
        "mode": f"{mode}, re-run" if rerun else mode,
        "workers": workers,
        "articles": count,
        "wall_s": wall,
        "ray_start_s": ray_start_s,
        "articles_per_s": count / work_s,
        "cpu_s": cpu,
        "cpu_ms_per_article": 1000 * cpu / count,
    }


def batch_bench(args: argparse.Namespace) -> None:
    texts = list(articles(sentence_pools(), args.articles, args.words, args.seed))
    with tempfile.TemporaryDirectory(prefix="crosswire-scale-corpus-") as tmp:
        corpus = Path(tmp)
        write_corpus(corpus, texts, args.format)
        rows = [batch_run(corpus, None, len(texts))]
        rows += [batch_run(corpus, int(w), len(texts)) for w in args.workers.split(",")]
        if args.rerun:
            rows.append(batch_run(corpus, 1, len(texts), rerun=True))
    load = os.getloadavg()[0]
    print(
        f"{len(texts)} articles of ~{args.words} words ({args.format}), {os.cpu_count()} cores, "
        f"load average (1 min) {load:.2f}"
    )
    print(f"{'mode':<20} {'articles/s':>10} {'wall s':>8} {'ray start s':>11} {'CPU s':>8} {'CPU ms/article':>15}")
    for r in rows:
        print(
            f"{r['mode']:<20} {r['articles_per_s']:>10.1f} {r['wall_s']:>8.1f} {r['ray_start_s']:>11.1f} "
            f"{r['cpu_s']:>8.1f} {r['cpu_ms_per_article']:>15.0f}"
        )
    if args.plot:
        plot_batch(rows, args.plot, len(texts), load)


def plot_batch(rows: list[dict], path: str, count: int, load: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    names = [r["mode"].replace(", ", ",\n") for r in rows]
    colours = ["#888", "#3a7", "#27a", "#b73"][: len(rows)]
    left.bar(names, [r["articles_per_s"] for r in rows], color=colours)
    left.set_ylabel("articles/s (after Ray start-up)")
    right.bar(names, [r["cpu_ms_per_article"] for r in rows], color=colours)
    right.set_ylabel("CPU ms per article (all processes)")
    for ax in (left, right):
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(
        f"crosswire batch ingest, local mode, {count} articles, {os.cpu_count()} cores (load average {load:.1f})",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"plot: {path}")


def _local_postgres(folder: Path) -> str:
    """A PostgreSQL 16 + pgvector server (pgserver) with its data in `folder`; its URL."""
    from crosswire.store.postgres import start_local_server

    return start_local_server(str(folder))


def _stop_postgres(folder: Path) -> None:
    from crosswire.store.postgres import stop_local_server

    stop_local_server(str(folder))


def _fresh_database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name}")
        db.execute(f"CREATE DATABASE {name}")
    head, _, query = server_url.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}?{query}"


def postgres_ingest_run(corpus: Path, db: str, engine: str, count: int) -> dict:
    from crosswire import Corpus
    from crosswire.encode import set_encoder_threads
    from crosswire.ingest import ingest_threads
    from crosswire.settings import Settings

    set_encoder_threads(ingest_threads(Settings.from_env().threads))
    with Corpus(db) as c:
        start_cpu, start = time.process_time(), time.perf_counter()
        report = c.ingest([corpus])
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        stories = len(c.stories())
    assert report.ingested + report.near_duplicates == count, report.to_dict()
    return {
        "engine": engine,
        "articles": count,
        "wall_s": wall,
        "articles_per_s": count / wall,
        "cpu_s": cpu,
        "store_ms_per_article": 1000 * report.timings.store / count,
        "stories": stories,
    }


def postgres_ingest_bench(args: argparse.Namespace) -> None:
    texts = list(articles(sentence_pools(), args.articles, args.words, args.seed))
    with tempfile.TemporaryDirectory(prefix="crosswire-scale-pg-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, texts, "txt")
        server = _local_postgres(Path(tmp) / "pgdata")
        try:
            rows = [
                postgres_ingest_run(corpus, str(Path(tmp) / "bench.db"), "SQLite", len(texts)),
                postgres_ingest_run(corpus, _fresh_database(server, "bench_ingest"), "PostgreSQL+pgvector", len(texts)),
            ]
        finally:
            _stop_postgres(Path(tmp) / "pgdata")
    print(
        f"{len(texts)} articles of ~{args.words} words (txt), ingest + linking, {os.cpu_count()} cores, "
        f"load average (1 min) {os.getloadavg()[0]:.2f}"
    )
    print(f"{'engine':<20} {'articles/s':>10} {'wall s':>8} {'CPU s':>7} {'store ms/article':>17} {'stories':>8}")
    for r in rows:
        print(
            f"{r['engine']:<20} {r['articles_per_s']:>10.1f} {r['wall_s']:>8.1f} {r['cpu_s']:>7.1f} "
            f"{r['store_ms_per_article']:>17.1f} {r['stories']:>8}"
        )


def synthetic_vectors(count: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors in clusters of ~20 around random centres (float32)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, count // 20), dim), dtype=np.float32)
    vectors = np.empty((count, dim), dtype=np.float32)
    for start in range(0, count, 100_000):  # in slices: 1M vectors stay at 2 GB, no float64 copies
        end = min(count, start + 100_000)
        chunk = centres[rng.integers(0, len(centres), end - start)]
        chunk += 0.6 * rng.standard_normal((end - start, dim), dtype=np.float32)
        vectors[start:end] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return vectors


def pgvector_point(server: str, size: int, queries: int, seed: int, ef_searches: list[int]) -> dict:
    """Fill linker_index with `size` synthetic vectors, build HNSW, time the linker's query
    at each hnsw.ef_search."""
    from pgvector.psycopg import register_vector

    from crosswire.stories import LinkerConfig
    from crosswire.store.postgres import HNSW_M, PostgresStore

    dim, neighbours, expansion = 512, LinkerConfig().neighbours, LinkerConfig().expansion
    # The probes are drawn with the stored vectors (same clusters) and left out of the
    # table: new articles of stories already linked, as the linker meets them.
    drawn = synthetic_vectors(size + queries, dim, seed)
    vectors, probes = drawn[:size], drawn[size:]
    exact = [set(np.argpartition(-(vectors @ probe), neighbours)[:neighbours].tolist()) for probe in probes]
    url = _fresh_database(server, f"bench_pgvector_{size}")
    with PostgresStore(url) as store:
        db = store._db  # the bench fills the table directly: no articles behind these vectors
        register_vector(db)
        db.execute(f"CREATE TABLE linker_index (article_id BIGINT PRIMARY KEY, vector vector({dim}) NOT NULL)")
        started = time.perf_counter()
        with (
            db.cursor() as cursor,
            cursor.copy("COPY linker_index (article_id, vector) FROM STDIN WITH (FORMAT BINARY)") as copy,
        ):
            copy.set_types(["int8", "vector"])
            for i, v in enumerate(vectors):
                copy.write_row((i, v))
        load_s = time.perf_counter() - started
        db.execute("SET maintenance_work_mem = '4GB'")
        db.execute(f"SET max_parallel_maintenance_workers = {max(0, (os.cpu_count() or 2) - 1)}")
        started = time.perf_counter()
        db.execute(
            f"CREATE INDEX linker_index_hnsw ON linker_index USING hnsw (vector vector_cosine_ops)"
            f" WITH (m = {HNSW_M}, ef_construction = {expansion})"
        )
        build_s = time.perf_counter() - started
        db.execute("ANALYZE linker_index")
        points = []
        for ef in ef_searches:
            latencies, recalls = [], []
            for probe, truth in zip(probes, exact):
                started = time.perf_counter()
                found = store.nearest_linked(probe, neighbours, ef)
                latencies.append(time.perf_counter() - started)
                recalls.append(len(set(found) & truth) / neighbours)
            ms = 1000 * np.array(latencies)
            points.append(
                {
                    "ef_search": ef,
                    "p50_ms": float(np.percentile(ms, 50)),
                    "p95_ms": float(np.percentile(ms, 95)),
                    "recall": float(np.mean(recalls)),
                }
            )
    with psycopg_connect(server) as admin:
        admin.execute(f"DROP DATABASE bench_pgvector_{size}")
    return {
        "vectors": size,
        "load_s": load_s,
        "build_s": build_s,
        "load_average": os.getloadavg()[0],
        "queries": points,
    }


def psycopg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def pgvector_bench(args: argparse.Namespace) -> None:
    from crosswire.stories import LinkerConfig
    from crosswire.store.postgres import linker_ef_search

    config = LinkerConfig()
    linker_ef = linker_ef_search(config.neighbours, config.expansion)
    ef_searches = sorted({linker_ef, *(int(e) for e in args.ef_search.split(","))})
    with tempfile.TemporaryDirectory(prefix="crosswire-scale-pgvector-", dir=args.work) as tmp:
        server = _local_postgres(Path(tmp) / "pgdata")
        try:
            for size in (int(s) for s in args.sizes.split(",")):
                r = pgvector_point(server, size, args.queries, args.seed, ef_searches)
                print(
                    f"{r['vectors']:>9} vectors: COPY {r['load_s']:.1f} s, HNSW build {r['build_s']:.1f} s "
                    f"(load average {r['load_average']:.2f})",
                    flush=True,
                )
                for q in r["queries"]:
                    mark = " (the linker's)" if q["ef_search"] == linker_ef else ""
                    print(
                        f"    ef_search {q['ef_search']:>4}: query p50 {q['p50_ms']:.2f} ms, p95 {q['p95_ms']:.2f} ms,"
                        f" recall@16 {q['recall']:.3f}{mark}",
                        flush=True,
                    )
                if args.results:
                    with open(args.results, "a", encoding="utf-8") as out:
                        out.write(json.dumps(r) + "\n")
        finally:
            _stop_postgres(Path(tmp) / "pgdata")
    if args.plot:
        if not args.results:
            raise SystemExit("--plot draws the points in --results: give both")
        plot_pgvector(args.results, linker_ef, args.plot)


def plot_pgvector(results: str, linker_ef: int, path: str) -> None:
    """Query latency and recall against ef_search, one line per size, and build time by
    size: every point in `results` (the last run of each size)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_size = {}
    for line in Path(results).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_size[row["vectors"]] = row
    rows = [by_size[size] for size in sorted(by_size)]
    fig, (recall, latency, build) = plt.subplots(1, 3, figsize=(12, 3.6))
    for r in rows:
        efs = [q["ef_search"] for q in r["queries"]]
        label = f"{r['vectors']:,} vectors"
        recall.plot(efs, [q["recall"] for q in r["queries"]], "o-", label=label)
        latency.plot(efs, [q["p50_ms"] for q in r["queries"]], "o-", label=label)
    for ax in (recall, latency):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("hnsw.ef_search")
        ax.axvline(linker_ef, color="#999", linestyle=":", linewidth=1)
    recall.set_ylabel("recall@16 against exact search")
    latency.set_ylabel("story-linking query p50, ms")
    recall.legend(fontsize=8)
    build.plot([r["vectors"] for r in rows], [r["build_s"] for r in rows], "o-", color="#a52")
    build.set_xscale("log")
    build.set_xlabel("vectors in linker_index")
    build.set_ylabel("HNSW build, s (m 16, ef_construction 64)")
    fig.suptitle(
        f"pgvector 0.6.2 (PostgreSQL 16, pgserver), SYNTHETIC 512-d vectors, {os.cpu_count()} shared cores;"
        f" dotted: the linker's ef_search ({linker_ef})",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"plot: {path}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    batch = commands.add_parser("batch", help="Ray Data batch pipeline: 1 and 2 workers against plain ingest")
    batch.add_argument("--articles", type=int, default=400)
    batch.add_argument("--words", type=int, default=600)
    batch.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    batch.add_argument("--format", choices=("txt", "jsonl"), default="txt")
    batch.add_argument("--seed", type=int, default=13)
    batch.add_argument(
        "--rerun", action="store_true", help="also time batch (1 worker) over a database that holds the corpus"
    )
    batch.add_argument("--plot", help="write a PNG plot here (e.g. docs/img/scale-batch.png)")
    batch.set_defaults(run=batch_bench)
    pg_ingest = commands.add_parser("postgres-ingest", help="articles/s into PostgreSQL against SQLite")
    pg_ingest.add_argument("--articles", type=int, default=300)
    pg_ingest.add_argument("--words", type=int, default=600)
    pg_ingest.add_argument("--seed", type=int, default=13)
    pg_ingest.set_defaults(run=postgres_ingest_bench)
    pgvector = commands.add_parser("pgvector", help="story-linking query latency in pgvector by corpus size")
    pgvector.add_argument("--sizes", default="10000,100000", help="comma-separated vector counts")
    pgvector.add_argument(
        "--ef-search", default="40,64,128,256", help="comma-separated hnsw.ef_search values to query with"
    )
    pgvector.add_argument("--queries", type=int, default=200)
    pgvector.add_argument("--seed", type=int, default=7)
    pgvector.add_argument("--work", help="folder for the server's data (default: the system's temp folder)")
    pgvector.add_argument("--results", help="append each size's figures to this JSON-lines file")
    pgvector.add_argument(
        "--plot", help="write a PNG plot of every size in --results here (e.g. docs/img/scale-pgvector.png)"
    )
    pgvector.set_defaults(run=pgvector_bench)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
