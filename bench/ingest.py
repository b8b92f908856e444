"""Ingest throughput and memory: articles/s end to end, per-article time, peak RSS.

    python bench/ingest.py [--articles 1000] [--words 600] [--format txt|jsonl]
                           [--encoder use-m] [--seed 13]
    python bench/ingest.py --growth 100000 [--workdir /work/bench-data/growth] [--every 1000]
    python bench/ingest.py --report [--workdir ...] [--sizes 1000,10000,100000] [--plot FILE]
                           [--segments ARTICLES:LABEL,...]

Builds a corpus of ~600-word articles from real news text in ../shared/data: English
PolNeAR articles and the French and German sides of the WMT21 news test documents.
Each article takes the sentences of one language in a reshuffled order (a fixed seed),
so articles are distinct and large corpora (10k, 100k) need no more source text.

Throughput (default): the corpus is written to a temporary folder (one .txt per article,
or one JSONL file) and ingested into a temporary database; both are deleted after.
Reports articles/s end to end (reading, language ID, segmentation, facts, MinHash,
encoding, storing; the encoder's one-time load is timed apart), milliseconds per article
(wall and CPU), sentences stored, and the process's peak RSS. Floor (issue 4): >= 20
articles/s on 2 cores. Writes nothing into the repository.

Growth (--growth N): one corpus in --workdir (outside the repository) grows to N
articles through crosswire.Corpus, a window of --every articles at a time (ingest, then
story linking). After each window a checkpoint line is printed and appended to
checkpoints.jsonl: articles so far, ms per article over the window by stage (read,
encode on the worker thread, wait for it, store, link, total), CPU ms per article (all
threads, and linking's alone: wall time on a shared machine says as much about the
neighbours), RSS
and peak RSS, load average. A re-run continues after the last checkpoint; a window cut
off half-way is ingested again, and ingest stores only what is missing. --report prints
the table at --sizes from the log and writes the PNG plot. Floors (issue 4): flat
per-article linking cost, <= 2 GiB RSS at 100k articles.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

DATA = Path("../shared/data")
FLOOR_ARTICLES_PER_S = 20.0
FLOOR_PEAK_RSS_MIB = 2048


def sentence_pools() -> dict[str, list[str]]:
    """Sentences (or short paragraphs) of real news text per language."""
    pools: dict[str, list[str]] = {"en": [], "fr": [], "de": []}
    for path in sorted((DATA / "polnear").glob("*/text/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line.split()) >= 6:
                pools["en"].append(line.strip())
    for path in sorted((DATA / "wmt21").glob("*.xml")):
        for side in ET.parse(path).getroot().iter():
            if side.tag in {"src", "ref"} and side.get("lang") in pools:
                pools[side.get("lang")].extend(
                    seg.text.strip() for seg in side.iter("seg") if seg.text and len(seg.text.split()) >= 4
                )
    missing = [lang for lang, pool in pools.items() if not pool]
    if missing:
        raise SystemExit(
            f"no text for {missing} under {DATA.resolve()}: run from the repository root with ../shared beside it"
        )
    return pools


def articles(pools: dict[str, list[str]], count: int, words: int, seed: int):
    """`count` articles of about `words` words, a language each, in paragraphs of 3 sentences."""
    rng = random.Random(seed)
    langs = sorted(pools)
    for n in range(count):
        pool = pools[langs[n % len(langs)]]
        chosen: list[str] = []
        while sum(len(s.split()) for s in chosen) < words:
            chosen.append(pool[rng.randrange(len(pool))])
        yield "\n\n".join(" ".join(chosen[i : i + 3]) for i in range(0, len(chosen), 3))


def write_corpus(folder: Path, texts, fmt: str) -> int:
    total_words = 0
    if fmt == "jsonl":
        with open(folder / "corpus.jsonl", "w", encoding="utf-8") as f:
            for text in texts:
                total_words += len(text.split())
                f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        return total_words
    for n, text in enumerate(texts):
        total_words += len(text.split())
        sub = folder / f"{n // 1000:03d}"  # 1,000 files per folder
        sub.mkdir(exist_ok=True)
        (sub / f"{n:06d}.txt").write_text(text, encoding="utf-8")
    return total_words


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def article_text(pools: dict[str, list[str]], n: int, words: int, seed: int) -> str:
    """Article number `n` of the growth corpus: its own random stream, so a resumed run
    writes exactly the articles it has not stored yet."""
    rng = random.Random(seed * 1_000_003 + n)
    langs = sorted(pools)
    pool = pools[langs[n % len(langs)]]
    chosen: list[str] = []
    while sum(len(s.split()) for s in chosen) < words:
        chosen.append(pool[rng.randrange(len(pool))])
    return "\n\n".join(" ".join(chosen[i : i + 3]) for i in range(0, len(chosen), 3))


def current_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def read_log(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def growth(args) -> None:
    """Grow one corpus to args.growth articles through crosswire.Corpus, a window of
    args.every articles at a time; append a checkpoint line per window to the log.
    Resumes after the last checkpoint (re-ingesting a half-done window stores only what
    is missing: ingest is idempotent)."""
    from crosswire.corpus import Corpus
    from crosswire.encode import get_encoder
    from crosswire.encode import set_encoder_threads
    from crosswire.ingest import ingest, ingest_threads
    from crosswire.settings import Settings

    set_encoder_threads(ingest_threads(Settings.from_env().threads))
    work = Path(args.workdir)
    (work / "windows").mkdir(parents=True, exist_ok=True)
    log = work / "checkpoints.jsonl"
    done = read_log(log)[-1]["articles"] if read_log(log) else 0
    pools = sentence_pools()
    get_encoder(args.encoder)
    with Corpus(work / "growth.db", encoder=args.encoder) as corpus:
        while done < args.growth:
            size = min(args.every, args.growth - done)
            window = work / "windows" / f"{done:07d}.jsonl"
            with open(window, "w", encoding="utf-8") as f:
                for n in range(done, done + size):
                    f.write(
                        json.dumps({"text": article_text(pools, n, args.words, args.seed)}, ensure_ascii=False) + "\n"
                    )
            wall, cpu = time.perf_counter(), cpu_seconds()
            report = ingest([window], corpus.store, encoder=args.encoder)
            linked_from, link_cpu = time.perf_counter(), time.thread_time()
            corpus.link()
            end, link_cpu = time.perf_counter(), time.thread_time() - link_cpu
            cpu = cpu_seconds() - cpu
            window.unlink()
            done += size
            t = report.timings
            per = 1000 / size
            row = {
                "articles": done,
                "window": size,
                "stored": report.ingested + report.near_duplicates,
                "ms_per_article": {
                    "read": t.read * per,
                    "encode": t.encode * per,
                    "wait": t.wait * per,
                    "store": t.store * per,
                    "link": (end - linked_from) * per,
                    "total": (end - wall) * per,
                },
                "cpu_ms_per_article": cpu * per,
                "link_cpu_ms_per_article": link_cpu * per,
                "read_cpu_ms_per_article": t.read_cpu * per,
                "store_cpu_ms_per_article": t.store_cpu * per,
                "rss_mib": current_rss_mib(),
                "peak_rss_mib": peak_rss_mib(),
                "db_mib": sum(p.stat().st_size for p in work.glob("growth.db*") if p.is_file()) / 2**20,
                "load": os.getloadavg()[0],
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")
            m = row["ms_per_article"]
            print(
                f"{done:,} articles: ms/article read {m['read']:.1f} encode {m['encode']:.1f} (wait {m['wait']:.1f})"
                f" store {m['store']:.1f} link {m['link']:.2f} (CPU {row['link_cpu_ms_per_article']:.2f}) total {m['total']:.1f};"
                f" CPU {row['cpu_ms_per_article']:.1f} ms;"
                f" RSS {row['rss_mib']:.0f} MiB (peak {row['peak_rss_mib']:.0f}); load {row['load']:.1f}",
                flush=True,
            )


def growth_report(args) -> None:
    """The table at each size in args.sizes that the log has reached, and the PNG plot."""
    rows = read_log(Path(args.workdir) / "checkpoints.jsonl")
    if not rows:
        raise SystemExit(f"no checkpoints in {args.workdir}: run --growth first")
    marks = [int(n) for n in args.sizes.split(",")]
    print(
        "| articles | read | encode (overlaps read) | store | link (CPU) | total | articles/s | CPU ms | RSS MiB (peak) | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for mark in marks:
        # The window ending at the mark, else the last one reached below it.
        reached = [r for r in rows if r["articles"] <= mark]
        if not reached:
            continue
        r = reached[-1]
        m = r["ms_per_article"]
        print(
            f"| {r['articles']:,} | {m['read']:.1f} | {m['encode']:.1f} | {m['store']:.1f} | "
            f"{m['link']:.2f} ({r['link_cpu_ms_per_article']:.2f}) | "
            f"{m['total']:.1f} | {1000 / m['total']:.1f} | {r['cpu_ms_per_article']:.1f} | "
            f"{r['rss_mib']:.0f} ({r['peak_rss_mib']:.0f}) | {r['load']:.1f} |"
        )
    worst = max(r["peak_rss_mib"] for r in rows)
    print(
        f"reached {rows[-1]['articles']:,} articles; peak RSS {worst:.0f} MiB "
        f"{'within' if worst <= FLOOR_PEAK_RSS_MIB else 'above'} the {FLOOR_PEAK_RSS_MIB} MiB floor"
    )
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    sizes = [r["articles"] for r in rows]
    for stage, style in (("read", "o-"), ("encode", "^-"), ("store", "v-"), ("link", "s-"), ("total", "k.-")):
        left.plot(sizes, [r["ms_per_article"][stage] for r in rows], style, markersize=3, label=stage)
    left.plot(sizes, [r["link_cpu_ms_per_article"] for r in rows], "s:", markersize=3, label="link, CPU")
    left.set(
        xlabel="articles in the corpus",
        ylabel=f"ms per article (window of the last {rows[-1]['window']:,})",
        title="time per article by stage (encode overlaps read)",
    )
    left.legend(fontsize="small")
    right.plot(sizes, [r["rss_mib"] for r in rows], "o-", markersize=3, label="RSS")
    right.plot(sizes, [r["peak_rss_mib"] for r in rows], "--", label="peak RSS (this process)")
    right.axhline(FLOOR_PEAK_RSS_MIB, color="red", linestyle=":", label="2 GiB floor")
    # Where a resumed run started on another commit: a dashed line and its label on both panels.
    for mark in filter(None, args.segments.split(",")):
        start, label = mark.split(":", 1)
        for axis in (left, right):
            axis.axvline(int(start), color="grey", linestyle="--", linewidth=0.8)
            axis.annotate(
                label,
                (int(start), 1.0),
                xycoords=("data", "axes fraction"),
                rotation=90,
                fontsize="x-small",
                va="top",
                ha="right",
                color="dimgrey",
            )
    right.set(xlabel="articles in the corpus", ylabel="MiB", title="memory")
    right.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(args.plot, dpi=100)
    print(f"plot: {args.plot}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="corpus size (default 1000; try 10000, 100000)")
    parser.add_argument("--words", type=int, default=600, help="words per article (default 600)")
    parser.add_argument(
        "--format", choices=["txt", "jsonl"], default="txt", help="one .txt per article, or one JSONL file"
    )
    parser.add_argument("--encoder", default="use-m")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--growth", type=int, metavar="N", help="growth: grow the corpus in --workdir to N articles (resumes)"
    )
    parser.add_argument(
        "--workdir",
        default="/work/bench-data/growth",
        help="growth: database and checkpoint log (outside the repository)",
    )
    parser.add_argument("--every", type=int, default=1000, help="growth: articles per window and checkpoint line")
    parser.add_argument("--report", action="store_true", help="growth: table and plot from the checkpoint log")
    parser.add_argument("--sizes", default="1000,10000,100000", help="growth report: the corpus sizes in the table")
    parser.add_argument("--plot", default="/tmp/ingest-growth.png", help="growth report: where to write the PNG plot")
    parser.add_argument(
        "--segments", default="", help="growth report: ARTICLES:LABEL,... where a resumed run began (e.g. its commit)"
    )
    args = parser.parse_args()
    if args.growth:
        growth(args)
        return
    if args.report:
        growth_report(args)
        return

    import crosswire
    from crosswire.encode import get_encoder
    from crosswire.encode import set_encoder_threads
    from crosswire.ingest import ingest_threads
    from crosswire.settings import Settings

    set_encoder_threads(ingest_threads(Settings.from_env().threads))  # as `crosswire ingest` does
    from crosswire.store.sqlite import SqliteStore

    with tempfile.TemporaryDirectory(prefix="crosswire-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        total_words = write_corpus(
            folder, articles(sentence_pools(), args.articles, args.words, args.seed), args.format
        )
        print(
            f"corpus: {args.articles:,} articles, {total_words / args.articles:.0f} words each on average ({args.format})"
        )

        start = time.perf_counter()
        get_encoder(args.encoder)
        load_s = time.perf_counter() - start
        db = Path(tmp) / "bench.db"
        start, cpu_start = time.perf_counter(), cpu_seconds()
        with SqliteStore(str(db)) as store:
            report = crosswire.ingest([folder], store, encoder=args.encoder)
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        with sqlite3.connect(db) as conn:
            sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
        db_mib = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 2**20

    stored = report.ingested + report.near_duplicates
    rate = stored / elapsed
    print(f"encoder {args.encoder}: loaded in {load_s:.1f} s")
    print(
        f"ingested {report.ingested:,} (+{report.near_duplicates} near-duplicates, {report.duplicates} duplicates, "
        f"{len(report.rejected)} rejected); {sentences:,} sentences; database {db_mib:.0f} MiB"
    )
    cpu_ms = 1000 * cpu / stored
    print("| articles | s | articles/s | ms/article | CPU ms/article | sentences/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.articles:,} | {elapsed:.1f} | {rate:.1f} | {1000 / rate:.1f} | {cpu_ms:.0f} | "
        f"{sentences / elapsed:.0f} | {peak_rss_mib():.0f} |"
    )
    # On a machine shared with other work, wall time says more about the neighbours than
    # about crosswire; CPU time per article bounds what 2 free cores would reach.
    print(
        f"CPU time: {cpu:.1f} s, {os.cpu_count()} cores visible; 2 free cores would reach at most {2000 / cpu_ms:.1f} articles/s"
    )
    t = report.timings
    per = 1000 / stored
    print(
        f"CPU ms/article by stage: read {t.read_cpu * per:.1f}, store {t.store_cpu * per:.1f} (the reading thread),"
        f" encoder and other threads {cpu_ms - (t.read_cpu + t.store_cpu) * per:.1f};"
        f" wall ms/article: read {t.read * per:.1f}, wait for the encoder {t.wait * per:.1f}, store {t.store * per:.1f},"
        f" encoder busy {t.encode * per:.1f} (summed over its threads)"
    )
    verdict = "meets" if rate >= FLOOR_ARTICLES_PER_S else "is below"
    print(f"{rate:.1f} articles/s {verdict} the floor of {FLOOR_ARTICLES_PER_S:.0f} articles/s")
    for rejected in report.rejected[:5]:
        print(f"  rejected {rejected}", file=sys.stderr)


if __name__ == "__main__":
    main()
