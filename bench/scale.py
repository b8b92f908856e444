"""Scale-out benchmarks (issue 6).

    python bench/scale.py batch [--articles 400] [--workers 1,2] [--format txt|jsonl] [--plot docs/img/scale-batch.png]

`batch`: throughput of the Ray Data batch pipeline (crosswire.batch) in local mode with
1 and 2 encoder workers, against plain `crosswire.ingest` on the same corpus (bench/
ingest.py's corpus: ~600-word articles of real news sentences in en/fr/de, reshuffled
with a fixed seed). Each run stores into a fresh SQLite file; story linking is left
out (it is the same sequential pass for both). Reports wall seconds, articles/s, and
CPU seconds of the whole process tree (driver, Ray's raylet and object store, the
workers) read with psutil before Ray stops, so Ray's own overhead is counted; Ray's
start-up (a local cluster) is timed apart. Prints the 1-minute load average: the
machine is shared, so compare CPU seconds rather than wall time when it is above the
core count. Writes nothing into the repository except the plot, when asked.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

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


def batch_run(corpus: Path, workers: int | None, count: int) -> dict:
    """Ingest `corpus` into a fresh database: on Ray with `workers` actors, or plain ingest (None)."""
    from crosswire.batch import BatchOptions, batch_ingest
    from crosswire.ingest import ingest, reserve_core_for_reading
    from crosswire.store import open_store

    with tempfile.TemporaryDirectory(prefix="crosswire-scale-") as tmp:
        db = os.path.join(tmp, "bench.db")
        start_cpu, start = _tree_cpu_seconds(), time.perf_counter()
        ray_start_s = 0.0
        if workers is None:
            reserve_core_for_reading()
            with open_store(db) as store:
                report = ingest([corpus], store)
        else:
            import ray

            # Started here, as batch_ingest would, so that its workers' CPU can be read before it stops.
            ray.init(num_cpus=workers + 1, include_dashboard=False, log_to_driver=False)
            ray_start_s = time.perf_counter() - start
            with open_store(db) as store:
                report = batch_ingest([corpus], store, BatchOptions(workers=workers))
        wall = time.perf_counter() - start
        cpu = _tree_cpu_seconds() - start_cpu
        if workers is not None:
            ray.shutdown()
    assert report.ingested + report.near_duplicates == count, report.to_dict()
    work_s = wall - ray_start_s
    return {
        "mode": "plain ingest" if workers is None else f"batch, {workers} worker{'s' if workers > 1 else ''}",
        "workers": workers, "articles": count, "wall_s": wall, "ray_start_s": ray_start_s,
        "articles_per_s": count / work_s, "cpu_s": cpu, "cpu_ms_per_article": 1000 * cpu / count,
    }


def batch_bench(args: argparse.Namespace) -> None:
    texts = list(articles(sentence_pools(), args.articles, args.words, args.seed))
    with tempfile.TemporaryDirectory(prefix="crosswire-scale-corpus-") as tmp:
        corpus = Path(tmp)
        write_corpus(corpus, texts, args.format)
        rows = [batch_run(corpus, None, len(texts))]
        rows += [batch_run(corpus, int(w), len(texts)) for w in args.workers.split(",")]
    print(f"{len(texts)} articles of ~{args.words} words ({args.format}), {os.cpu_count()} cores, "
          f"load average (1 min) {os.getloadavg()[0]:.2f}")
    print(f"{'mode':<20} {'articles/s':>10} {'wall s':>8} {'ray start s':>11} {'CPU s':>8} {'CPU ms/article':>15}")
    for r in rows:
        print(f"{r['mode']:<20} {r['articles_per_s']:>10.1f} {r['wall_s']:>8.1f} {r['ray_start_s']:>11.1f} "
              f"{r['cpu_s']:>8.1f} {r['cpu_ms_per_article']:>15.0f}")
    if args.plot:
        plot_batch(rows, args.plot, len(texts))


def plot_batch(rows: list[dict], path: str, count: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    names = [r["mode"] for r in rows]
    left.bar(names, [r["articles_per_s"] for r in rows], color=["#888", "#3a7", "#27a"][: len(rows)])
    left.set_ylabel("articles/s (after Ray start-up)")
    right.bar(names, [r["cpu_ms_per_article"] for r in rows], color=["#888", "#3a7", "#27a"][: len(rows)])
    right.set_ylabel("CPU ms per article (all processes)")
    for ax in (left, right):
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(f"crosswire batch ingest, local mode, {count} articles, {os.cpu_count()} cores", fontsize=10)
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
    batch.add_argument("--plot", help="write a PNG plot here (e.g. docs/img/scale-batch.png)")
    batch.set_defaults(run=batch_bench)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
