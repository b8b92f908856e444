"""Development benchmark: crosswire.compare on the fr->de `rewrites` pairs.

    python bench/rewrites.py [--file ../shared/data/rewrites/dev.jsonl] [--limit N]
                             [--encoder use-m] [--json] [--profile FILE] [--workers 3]

Scores every pair with bench/rewrites_scoring.py (the same definitions as
../shared/tools/score_rewrites.py) and prints P/R/F1 per measure, the
false-change rate, macro-F1 and throughput, each against the project's floor.
What loads once per process (the encoder, the language-ID model, CLDR and stop-word
data) is loaded before the clock starts, by one untimed comparison of the first pair;
that time is reported on its own line. The pairs go through crosswire.compare_many
with --workers threads (one pair's encoding overlaps another's Python work; the
results are those of compare, pair by pair); --profile compares them one at a time.
Writes nothing to disk.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rewrites_scoring import MEASURES, Counts, score_pair, summary  # noqa: E402

DEFAULT_FILE = "../shared/data/rewrites/dev.jsonl"

# The project's quality floors: minimum F1 per measure, then the other two.
F1_FLOORS = {"link": 0.97, "only_a": 0.90, "only_b": 0.90, "number": 0.95, "name": 0.85}
FALSE_CHANGE_MAX = 0.02
SENTENCES_PER_S_MIN = 500.0

LABELS = {
    "link": "link (kept sentences)",
    "only_a": "only in A",
    "only_b": "only in B",
    "number": "number changes",
    "name": "name changes",
}


def load_records(path: str, limit: int | None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    return records[:limit] if limit else records


def progress_iter(items: list, description: str):
    """Yield items, with a rich progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=len(items))
        for item in items:
            yield item
            bar.advance(task)


def _cpu_seconds() -> float:
    """User + system CPU time of this process, encoder threads included: on a shared
    machine wall time depends on the other jobs, CPU time much less."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(records: list[dict], encoder_name: str, profile: str | None = None, workers: int = 3) -> tuple[dict, dict]:
    import crosswire
    from crosswire.encode import get_encoder

    t0 = time.perf_counter()
    get_encoder(encoder_name)
    crosswire.compare(records[0]["a"]["text"], records[0]["b"]["text"], encoder=encoder_name)
    load_s = time.perf_counter() - t0

    total = Counts()
    profiler = None
    if profile:
        import cProfile

        # CPU time, not wall: the encoder's own threads count, other processes do not.
        profiler = cProfile.Profile(time.process_time)
    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), _cpu_seconds()
    if profiler:  # cProfile sees one thread: compare the pairs one at a time
        for record in progress_iter(records, f"comparing ({encoder_name})"):
            profiler.enable()
            result = crosswire.compare(record["a"]["text"], record["b"]["text"], encoder=encoder_name)
            profiler.disable()
            total += score_pair(record, result.to_dict())
    else:
        results = crosswire.compare_many(
            ((r["a"]["text"], r["b"]["text"]) for r in records), encoder=encoder_name, workers=workers
        )
        for record, result in zip(progress_iter(records, f"comparing ({encoder_name})"), results):
            total += score_pair(record, result.to_dict())
    elapsed, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    if profiler:
        profiler.dump_stats(profile)

    timing = {
        "encoder": encoder_name,
        "workers": 1 if profile else workers,
        "load_s": load_s,
        "seconds": elapsed,
        "sentences_per_s": total.sentences / elapsed if elapsed else 0.0,
        "pairs_per_s": total.pairs / elapsed if elapsed else 0.0,
        "cpu_seconds": cpu,
        "sentences_per_cpu_s": total.sentences / cpu if cpu else 0.0,
        "load_average": [load_before, os.getloadavg()[0]],
    }
    return summary(total), timing


def verdicts(result: dict, timing: dict) -> dict[str, bool]:
    out = {m: result[m]["f1"] >= F1_FLOORS[m] for m in MEASURES}
    out["false_change"] = result["false_change"]["rate"] <= FALSE_CHANGE_MAX
    out["sentences_per_s"] = timing["sentences_per_s"] >= SENTENCES_PER_S_MIN
    return out


def print_table(result: dict, timing: dict, path: str) -> None:
    ok = verdicts(result, timing)
    mark = lambda good: "PASS" if good else "BELOW"  # noqa: E731
    print(f"rewrites benchmark: {path}  pairs={result['pairs']}  gold sentences={result['sentences']}  "
          f"encoder={timing['encoder']}")
    print()
    head = f"{'measure':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}   {'floor':<12}verdict"
    print(head)
    print("-" * len(head))
    for m in MEASURES:
        r = result[m]
        print(f"{LABELS[m]:<24}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
              f"{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}   {'F1 >= ' + format(F1_FLOORS[m], '.2f'):<12}{mark(ok[m])}")
    fc = result["false_change"]
    fc_text = f"{fc['rate']:.3f} ({fc['flagged']}/{fc['same']})"
    print(f"{'false-change rate':<24}{fc_text:>21}{'':>18}   {'<= ' + format(FALSE_CHANGE_MAX, '.2f'):<12}"
          f"{mark(ok['false_change'])}")
    print(f"{'macro-F1':<24}{result['macro_f1']:>21.3f}")
    print(f"{'sentences/s':<24}{timing['sentences_per_s']:>21.1f}{'':>18}   "
          f"{'>= ' + format(SENTENCES_PER_S_MIN, '.0f'):<12}{mark(ok['sentences_per_s'])}")
    print(f"{'pairs/s':<24}{timing['pairs_per_s']:>21.2f}")
    print(f"{'sentences/CPU-s':<24}{timing['sentences_per_cpu_s']:>21.1f}")
    print()
    print(f"compare time {timing['seconds']:.2f} s (end to end, models loaded, {timing['workers']} worker threads), CPU {timing['cpu_seconds']:.2f} s, "
          f"1-min load average {timing['load_average'][0]:.2f} -> {timing['load_average'][1]:.2f} "
          f"on {os.cpu_count()} cores; "
          f"model load + one warm-up comparison {timing['load_s']:.2f} s (not counted)")
    below = [k for k, good in ok.items() if not good]
    print(f"{len(ok) - len(below)}/{len(ok)} floors met" + (f"; below: {', '.join(below)}" if below else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", default=DEFAULT_FILE, help=f"rewrites JSONL (default {DEFAULT_FILE})")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    ap.add_argument("--encoder", default="use-m", help="encoder name (default use-m)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--workers", type=int, default=3,
                    help="threads in crosswire.compare_many (default 3; results do not depend on it)")
    ap.add_argument("--profile", metavar="FILE",
                    help="write a cProfile (CPU time) of the timed comparisons to FILE")
    args = ap.parse_args(argv)

    records = load_records(args.file, args.limit)
    result, timing = run(records, args.encoder, args.profile, args.workers)
    if args.json:
        ok = verdicts(result, timing)
        floors = {m: {"f1_min": F1_FLOORS[m]} for m in MEASURES}
        floors["false_change"] = {"rate_max": FALSE_CHANGE_MAX}
        floors["sentences_per_s"] = {"min": SENTENCES_PER_S_MIN}
        print(json.dumps({"file": args.file, "limit": args.limit or None, "scores": result,
                          "timing": timing, "floors": floors, "pass": ok}, indent=2))
    else:
        print_table(result, timing, args.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
