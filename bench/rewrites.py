"""Development benchmark: crosswire.compare on the `rewrites` pairs.

    python bench/rewrites.py [--file ../shared/data/rewrites/dev.jsonl ...] [--limit N]
                             [--per-pair N] [--encoder auto] [--json] [--profile FILE]
                             [--workers 3] [--cache DIR]

Scores every pair with bench/rewrites_scoring.py (the same definitions as
../shared/tools/score_rewrites.py) and prints P/R/F1 per measure, the
false-change rate, macro-F1 and throughput, each against the project's floor,
then one table with a row per language pair of every file given (dev and dev_multi:
`--file ../shared/data/rewrites/dev.jsonl --file ../shared/data/rewrites/dev_multi.jsonl`).
--per-pair N keeps the first N pairs of each language pair. --cache DIR keeps each
encoder's vectors on disk (DIR/<encoder>.pkl, keyed by text) for repeated quality runs;
throughput figures from a cached run measure everything but the encoder.
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

from rewrites_scoring import MEASURES, Counts, misses, score_pair, summary  # noqa: E402

DEFAULT_FILE = "../shared/data/rewrites/dev.jsonl"
PAIR_MEASURES = ("link", "only_a", "only_b", "number", "name")

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


def language_pair(record: dict) -> str:
    return f"{record['a']['lang']}->{record['b']['lang']}"


def load_records(path: str, limit: int | None, per_pair: int | None = None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if per_pair:
        seen: dict[str, int] = {}
        kept = []
        for r in records:
            seen[language_pair(r)] = seen.get(language_pair(r), 0) + 1
            if seen[language_pair(r)] <= per_pair:
                kept.append(r)
        records = kept
    return records[:limit] if limit else records


class VectorCache:
    """Each encoder's vectors by text, on disk: `encode` of a loaded encoder is replaced by
    one that encodes only the texts not seen before (bench-only: int8 models' vectors
    depend slightly on the batch they were encoded in)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.stores: dict[str, dict[str, object]] = {}

    def wrap(self, encoder) -> None:
        import pickle

        import numpy as np

        if encoder.name in self.stores:
            return
        path = self.folder / f"{encoder.name.replace('/', '_')}.pkl"
        store = pickle.loads(path.read_bytes()) if path.exists() else {}
        self.stores[encoder.name] = store
        encode = encoder.encode

        def cached(texts):
            missing = list(dict.fromkeys(t for t in texts if t not in store))
            if missing:
                store.update(zip(missing, encode(missing)))
            return np.stack([store[t] for t in texts]) if texts else encode(texts)

        encoder.encode = cached

    def save(self) -> None:
        import pickle

        for name, store in self.stores.items():
            (self.folder / f"{name.replace('/', '_')}.pkl").write_bytes(pickle.dumps(store))


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


def run(
    records: list[dict],
    encoder_name: str,
    profile: str | None = None,
    workers: int = 3,
    cache: VectorCache | None = None,
    misses_of: str | None = None,
) -> tuple[dict, dict, dict[str, Counts]]:
    """Compare and score every record; with `misses_of` (a measure), print the segments it
    missed or wrongly found to standard error."""
    import crosswire
    from crosswire import encode

    t0 = time.perf_counter()
    if cache is not None:
        names = {encode.auto_encoder_name(r["a"]["lang"], r["b"]["lang"]) for r in records}
        for name in names if encoder_name == encode.AUTO_ENCODER else {encoder_name}:
            cache.wrap(encode.get_encoder(name))
    elif encoder_name != encode.AUTO_ENCODER:
        encode.get_encoder(encoder_name)
    crosswire.compare(records[0]["a"]["text"], records[0]["b"]["text"], encoder=encoder_name)
    load_s = time.perf_counter() - t0

    total = Counts()
    by_pair: dict[str, Counts] = {}
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
            counts = score_pair(record, result.to_dict())
            total += counts
            by_pair[language_pair(record)] = by_pair.get(language_pair(record), Counts()) + counts
            for line in misses(record, result.to_dict(), misses_of) if misses_of else ():
                print(line, file=sys.stderr)
    else:
        results = crosswire.compare_many(
            ((r["a"]["text"], r["b"]["text"]) for r in records), encoder=encoder_name, workers=workers
        )
        for record, result in zip(progress_iter(records, f"comparing ({encoder_name})"), results):
            counts = score_pair(record, result.to_dict())
            total += counts
            by_pair[language_pair(record)] = by_pair.get(language_pair(record), Counts()) + counts
            for line in misses(record, result.to_dict(), misses_of) if misses_of else ():
                print(line, file=sys.stderr)
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
    return summary(total), timing, by_pair


def verdicts(result: dict, timing: dict) -> dict[str, bool]:
    out = {m: result[m]["f1"] >= F1_FLOORS[m] for m in MEASURES}
    out["false_change"] = result["false_change"]["rate"] <= FALSE_CHANGE_MAX
    out["sentences_per_s"] = timing["sentences_per_s"] >= SENTENCES_PER_S_MIN
    return out


def print_table(result: dict, timing: dict, path: str) -> None:
    ok = verdicts(result, timing)
    mark = lambda good: "PASS" if good else "BELOW"  # noqa: E731
    print(
        f"rewrites benchmark: {path}  pairs={result['pairs']}  gold sentences={result['sentences']}  "
        f"encoder={timing['encoder']}"
    )
    print()
    head = f"{'measure':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}   {'floor':<12}verdict"
    print(head)
    print("-" * len(head))
    for m in MEASURES:
        r = result[m]
        print(
            f"{LABELS[m]:<24}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
            f"{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}   {'F1 >= ' + format(F1_FLOORS[m], '.2f'):<12}{mark(ok[m])}"
        )
    fc = result["false_change"]
    fc_text = f"{fc['rate']:.3f} ({fc['flagged']}/{fc['same']})"
    print(
        f"{'false-change rate':<24}{fc_text:>21}{'':>18}   {'<= ' + format(FALSE_CHANGE_MAX, '.2f'):<12}"
        f"{mark(ok['false_change'])}"
    )
    print(f"{'macro-F1':<24}{result['macro_f1']:>21.3f}")
    print(
        f"{'sentences/s':<24}{timing['sentences_per_s']:>21.1f}{'':>18}   "
        f"{'>= ' + format(SENTENCES_PER_S_MIN, '.0f'):<12}{mark(ok['sentences_per_s'])}"
    )
    print(f"{'pairs/s':<24}{timing['pairs_per_s']:>21.2f}")
    print(f"{'sentences/CPU-s':<24}{timing['sentences_per_cpu_s']:>21.1f}")
    print()
    print(
        f"compare time {timing['seconds']:.2f} s (end to end, models loaded, {timing['workers']} worker threads), CPU {timing['cpu_seconds']:.2f} s, "
        f"1-min load average {timing['load_average'][0]:.2f} -> {timing['load_average'][1]:.2f} "
        f"on {os.cpu_count()} cores; "
        f"model load + one warm-up comparison {timing['load_s']:.2f} s (not counted)"
    )
    below = [k for k, good in ok.items() if not good]
    print(f"{len(ok) - len(below)}/{len(ok)} floors met" + (f"; below: {', '.join(below)}" if below else ""))


def print_pair_table(rows: list[tuple[str, str, dict]]) -> None:
    """One row per (file, language pair): F1 per measure, false-change rate, macro-F1."""
    head = (
        f"{'file':<18}{'pair':<10}{'pairs':>6}"
        + "".join(f"{m:>8}" for m in PAIR_MEASURES)
        + f"{'false-ch':>10}{'macro':>8}"
    )
    print(head)
    print("-" * len(head))
    for file, pair, r in rows:
        cells = "".join(
            f"{r[m]['f1']:>8.3f}" if r[m]["tp"] + r[m]["fp"] + r[m]["fn"] else f"{'-':>8}" for m in PAIR_MEASURES
        )
        print(f"{file:<18}{pair:<10}{r['pairs']:>6}{cells}{r['false_change']['rate']:>10.3f}{r['macro_f1']:>8.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", action="append", help=f"rewrites JSONL, repeatable (default {DEFAULT_FILE})")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pairs of each file")
    ap.add_argument("--per-pair", type=int, default=0, help="only the first N pairs of each language pair")
    ap.add_argument("--encoder", default="auto", help="encoder name (default auto, compare's default)")
    ap.add_argument("--cache", metavar="DIR", help="keep encoder vectors in DIR between runs (quality runs only)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument(
        "--workers",
        type=int,
        default=3,
        help="threads in crosswire.compare_many (default 3; results do not depend on it)",
    )
    ap.add_argument("--profile", metavar="FILE", help="write a cProfile (CPU time) of the timed comparisons to FILE")
    ap.add_argument(
        "--misses",
        choices=["number", "name", "only_a", "only_b"],
        help="print to standard error each gold segment of this measure missed (FN) or wrongly found (FP), "
        "with both texts and what was linked there",
    )
    args = ap.parse_args(argv)

    cache = VectorCache(args.cache) if args.cache else None
    rows, reports = [], []
    for path in args.file or [DEFAULT_FILE]:
        records = load_records(path, args.limit, args.per_pair)
        result, timing, by_pair = run(records, args.encoder, args.profile, args.workers, cache, args.misses)
        if cache is not None:
            cache.save()
        pairs = {p: summary(c) for p, c in by_pair.items()}
        rows += [(Path(path).stem, p, r) for p, r in pairs.items()] + [(Path(path).stem, "all", result)]
        if args.json:
            ok = verdicts(result, timing)
            floors = {m: {"f1_min": F1_FLOORS[m]} for m in MEASURES}
            floors["false_change"] = {"rate_max": FALSE_CHANGE_MAX}
            floors["sentences_per_s"] = {"min": SENTENCES_PER_S_MIN}
            reports.append(
                {
                    "file": path,
                    "limit": args.limit or None,
                    "per_pair": args.per_pair or None,
                    "scores": result,
                    "by_language_pair": pairs,
                    "timing": timing,
                    "floors": floors,
                    "pass": ok,
                }
            )
        else:
            print_table(result, timing, path)
            print()
    if args.json:
        print(json.dumps(reports if len(reports) > 1 else reports[0], indent=2))
    else:
        print_pair_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
