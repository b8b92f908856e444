"""Ingest throughput and memory: articles/s end to end, per-article time, peak RSS.

    python bench/ingest.py [--articles 1000] [--words 600] [--format txt|jsonl]
                           [--encoder use-m] [--seed 13]
    python bench/ingest.py --sizes 1000,10000,100000 [--plot /tmp/ingest-growth.png]

Builds a corpus of ~600-word articles from real news text in ../shared/data: English
PolNeAR articles and the French and German sides of the WMT21 news test documents.
Each article takes the sentences of one language in a reshuffled order (a fixed seed),
so articles are distinct and large corpora (10k, 100k) need no more source text. The
corpus is written to a temporary folder (one .txt per article, or one JSONL file) and
ingested into a temporary database with the default encoder; both are deleted after.

Reports: articles/s end to end (reading, language ID, segmentation, facts, MinHash,
encoding, storing; the encoder's one-time load is timed apart), milliseconds per
article (wall and CPU), sentences stored, and the process's peak RSS. Floor (issue 4): >= 20
articles/s on 2 cores. Writes nothing into the repository.

Growth (--sizes): each size runs in its own process (so peak RSS is that size's) through
crosswire.Corpus, story linking included, and reports per-article ingest and linking
time and peak RSS as a table and a PNG plot (--plot, default /tmp/ingest-growth.png).
Floors (issue 4): flat per-article linking cost, <= 2 GiB peak RSS at 100k articles.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
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
                pools[side.get("lang")].extend(seg.text.strip() for seg in side.iter("seg") if seg.text and len(seg.text.split()) >= 4)
    missing = [lang for lang, pool in pools.items() if not pool]
    if missing:
        raise SystemExit(f"no text for {missing} under {DATA.resolve()}: run from the repository root with ../shared beside it")
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


def growth_point(args) -> dict:
    """Ingest and link one corpus of args.articles through crosswire.Corpus; the figures."""
    from crosswire.corpus import Corpus
    from crosswire.encode import get_encoder
    from crosswire.ingest import reserve_core_for_reading

    reserve_core_for_reading()
    with tempfile.TemporaryDirectory(prefix="crosswire-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        write_corpus(folder, articles(sentence_pools(), args.articles, args.words, args.seed), "jsonl")
        get_encoder(args.encoder)
        with Corpus(Path(tmp) / "bench.db", encoder=args.encoder) as corpus:
            linking: list[float] = []
            start = time.perf_counter()
            corpus.ingest([folder], link_progress=lambda p: linking.append(time.perf_counter()))
            total = time.perf_counter() - start
            stories = len(corpus.stories())
    link_s = linking[-1] - linking[0] if len(linking) > 1 else 0.0
    # Linking cost of the last tenth against the first: flat when close to 1.
    tenth = max(1, len(linking) // 10)
    first = (linking[tenth] - linking[0]) / tenth if len(linking) > tenth else 0.0
    last = (linking[-1] - linking[-1 - tenth]) / tenth if len(linking) > tenth else 0.0
    return {
        "articles": args.articles, "stories": stories, "total_s": total,
        "ingest_ms": 1000 * (total - link_s) / args.articles, "link_ms": 1000 * link_s / args.articles,
        "link_first_tenth_ms": 1000 * first, "link_last_tenth_ms": 1000 * last, "peak_rss_mib": peak_rss_mib(),
    }


def growth(args) -> None:
    import subprocess

    rows = []
    for size in [int(n) for n in args.sizes.split(",")]:
        command = [sys.executable, __file__, "--growth-point", "--articles", str(size), "--words", str(args.words),
                   "--encoder", args.encoder, "--seed", str(args.seed)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(f"{size:,} articles done, load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print("| articles | stories | total s | ingest ms/article | linking ms/article | linking ms/article, first/last tenth | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['articles']:,} | {r['stories']:,} | {r['total_s']:.0f} | {r['ingest_ms']:.1f} | {r['link_ms']:.2f} | "
            f"{r['link_first_tenth_ms']:.2f} / {r['link_last_tenth_ms']:.2f} | {r['peak_rss_mib']:.0f} |"
        )
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {os.cpu_count()} cores visible")
    worst = max(r["peak_rss_mib"] for r in rows)
    print(f"peak RSS {worst:.0f} MiB {'within' if worst <= FLOOR_PEAK_RSS_MIB else 'above'} the {FLOOR_PEAK_RSS_MIB} MiB floor")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    sizes = [r["articles"] for r in rows]
    left.plot(sizes, [r["ingest_ms"] for r in rows], "o-", label="ingest (read, embed, store)")
    left.plot(sizes, [r["link_ms"] for r in rows], "s-", label="story linking")
    left.set(xscale="log", xlabel="articles", ylabel="ms per article", title="time per article")
    left.legend()
    right.plot(sizes, [r["peak_rss_mib"] for r in rows], "o-")
    right.axhline(FLOOR_PEAK_RSS_MIB, color="red", linestyle="--", label="2 GiB floor")
    right.set(xscale="log", xlabel="articles", ylabel="MiB", title="peak RSS")
    right.legend()
    fig.tight_layout()
    fig.savefig(args.plot, dpi=100)
    print(f"plot: {args.plot}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="corpus size (default 1000; try 10000, 100000)")
    parser.add_argument("--words", type=int, default=600, help="words per article (default 600)")
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt", help="one .txt per article, or one JSONL file")
    parser.add_argument("--encoder", default="use-m")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--sizes", help="growth: comma-separated corpus sizes, e.g. 1000,10000,100000")
    parser.add_argument("--plot", default="/tmp/ingest-growth.png", help="growth: where to write the PNG plot")
    parser.add_argument("--growth-point", action="store_true", help=argparse.SUPPRESS)  # one size, JSON out
    args = parser.parse_args()
    if args.growth_point:
        print(json.dumps(growth_point(args)))
        return
    if args.sizes:
        growth(args)
        return

    import crosswire
    from crosswire.encode import get_encoder
    from crosswire.ingest import reserve_core_for_reading

    reserve_core_for_reading()  # as `crosswire ingest` does
    from crosswire.store.sqlite import SqliteStore

    with tempfile.TemporaryDirectory(prefix="crosswire-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        total_words = write_corpus(folder, articles(sentence_pools(), args.articles, args.words, args.seed), args.format)
        print(f"corpus: {args.articles:,} articles, {total_words / args.articles:.0f} words each on average ({args.format})")

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
    print(f"CPU time: {cpu:.1f} s, {os.cpu_count()} cores visible; 2 free cores would reach at most {2000 / cpu_ms:.1f} articles/s")
    verdict = "meets" if rate >= FLOOR_ARTICLES_PER_S else "is below"
    print(f"{rate:.1f} articles/s {verdict} the floor of {FLOOR_ARTICLES_PER_S:.0f} articles/s")
    for rejected in report.rejected[:5]:
        print(f"  rejected {rejected}", file=sys.stderr)


if __name__ == "__main__":
    main()
