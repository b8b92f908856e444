"""Each pipeline's speed against the encoder alone, measured in one run.

    python bench/speed.py [--pairs 40] [--e5-pairs 20] [--articles 200] [--rounds 2]
                          [--only compare|e5|ingest|start] [--starts 10]

The encoder is the only work crosswire cannot avoid; this prints how close each
pipeline comes to it, on the same texts, in the same process (or, for ingest, in one
child process set up as `crosswire ingest` sets itself up), best of --rounds rounds:

- use-m pairs: the first --pairs pairs of ../shared/data/rewrites/dev.jsonl (fr->de);
- e5-small pairs: the first --e5-pairs uk->en pairs of ../shared/data/rewrites/dev_multi.jsonl
  (`auto` chooses e5-small for Ukrainian);
  for both: the encoder alone (each pair's sentences, segmented as compare segments them,
  in one encoder call per pair, as compare makes its first: in a worker thread), `compare` one pair at a time,
  and `compare_many`, in sentences/s and as a ratio to the encoder alone; and every encoder
  call compare makes (sentences, halves of possibly merged sentences, name words) replayed
  alone, as a ratio to the encoder alone: the most compare can reach while its results stay
  as they are (USE-m's int8 vectors depend on the batch, so no call can be dropped or merged);
- ingest + link: --articles articles of bench/ingest.py's corpus (~600 words, en/fr/de)
  through crosswire.Corpus (ingest, then story linking), in articles/s, against the
  encoder alone on the same texts (each article's sentences and lead, in ingest's
  batches and with its calls in flight);
- start: the seed pair compared by the command line in a fresh process each time (--starts
  runs, as the console script runs: `crosswire compare A B`), once with an empty cache
  folder (a first run after installing) and then with it filled, and by the library in one
  process, its second and later calls (the warm path).

What loads once per process (encoders, language data) is loaded before the clock starts.
The 1-minute load average is printed beside every figure: on a shared machine the ratios
(measured minutes apart in one process) say more than the rates. Floors are read from the
quality gate's data file (tests/quality_floors.json, key "speed") when it has them; else
issue 16's targets are shown. Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

DATA = Path("../shared/data")
FLOORS_FILE = Path(__file__).resolve().parent.parent / "tests" / "quality_floors.json"
# Issue 16's acceptance targets, used when the quality gate's data file has no "speed" key.
TARGETS = {
    "compare_vs_encoder": 0.80,
    "compare_many_vs_encoder": 0.85,
    "ingest_link_articles_per_s": 40.0,
    "cli_cold_s": 1.5,
    "library_warm_s": 0.1,
}
SEEDS = DATA / "seeds"
# What the `crosswire` console script runs (not a shell shim that may stand in front of it).
CONSOLE_SCRIPT = "import sys; from crosswire.cli import main; sys.argv[0] = 'crosswire'; sys.exit(main())"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def best_of(rounds: int, run: Callable[[], object]) -> float:
    """The shortest wall time of `rounds` runs of `run`."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def floors() -> tuple[dict[str, float], str]:
    if FLOORS_FILE.is_file():
        speed = json.loads(FLOORS_FILE.read_text(encoding="utf-8")).get("speed")
        if speed:
            return {k: (v["floor"] if isinstance(v, dict) else v) for k, v in speed.items()}, str(FLOORS_FILE.name)
    return TARGETS, "issue 16's targets"


def verdict(value: float, key: str, limits: dict[str, float]) -> str:
    if key not in limits:
        return ""
    return f"  ({'meets' if value >= limits[key] else 'BELOW'} {limits[key]:g})"


def ceiling_verdict(seconds: float, key: str, limits: dict[str, float]) -> str:
    if key not in limits:
        return ""
    return f"  ({'meets' if seconds <= limits[key] else 'ABOVE'} {limits[key]:g} s)"


def read_pairs(path: Path, count: int, langs: tuple[str, str] | None) -> list[tuple[dict, dict]]:
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if langs is None or (row["a"]["lang"], row["b"]["lang"]) == langs:
                pairs.append((row["a"], row["b"]))
            if len(pairs) == count:
                break
    return pairs


def pair_speed(label: str, pairs: list[tuple[dict, dict]], rounds: int, limits: dict[str, float]) -> None:
    """Encoder alone, compare one pair at a time and compare_many, on the same pairs."""
    import crosswire
    from crosswire.analyse import prepare
    from crosswire.encode import AUTO_ENCODER, choose_encoder

    articles = [
        (
            crosswire.read_string(a["text"], source="a", lang=a["lang"]),
            crosswire.read_string(b["text"], source="b", lang=b["lang"]),
        )
        for a, b in pairs
    ]
    encoders = {choose_encoder(AUTO_ENCODER, a.lang, b.lang).name for a, b in articles}
    texts = []
    for a, b in articles:
        texts.append([s.text for s in prepare(a).sentences] + [s.text for s in prepare(b).sentences])
    sentences = sum(len(t) for t in texts)
    encoder = choose_encoder(AUTO_ENCODER, articles[0][0].lang, articles[0][1].lang)
    crosswire.compare(*articles[0])  # untimed: per-language data, the encoder's first call
    print(f"{label}: {len(articles)} pairs, {sentences:,} sentences, encoder {', '.join(sorted(encoders))}; {load()}")

    # In a worker thread, as compare makes its first call (use-m: the same speed either way;
    # e5-small's OpenMP threads, called from the main thread of a busy machine, took ~3x the
    # CPU time: 217 sentences 28 s vs 9 s at load 3.3).
    calls = encoder_calls(articles)
    with ThreadPoolExecutor(1) as worker:
        alone = best_of(rounds, lambda: [worker.submit(encoder.encode, t).result() for t in texts])
        print(f"  encoder alone        {sentences / alone:8.1f} sentences/s  1.00   {load()}")
        # Every encoder call compare makes (sentences, halves of merged sentences, name words),
        # replayed alone: the most a compare that keeps its results can reach, as USE-m's
        # vectors depend on the batch a text is encoded in.
        ceiling = best_of(rounds, lambda: [worker.submit(e.encode, t).result() for e, t in calls])
    print(
        f"  compare's encoder calls alone ({sum(len(t) for _, t in calls):,} texts in {len(calls)})"
        f"  {alone / ceiling:.2f}   {load()}"
    )
    one = best_of(rounds, lambda: [crosswire.compare(a, b) for a, b in articles])
    ratio = alone / one
    print(
        f"  compare, one pair    {sentences / one:8.1f} sentences/s  {ratio:.2f}{verdict(ratio, 'compare_vs_encoder', limits)}   {load()}"
    )
    many = best_of(rounds, lambda: list(crosswire.compare_many(articles)))
    ratio = alone / many
    print(
        f"  compare_many         {sentences / many:8.1f} sentences/s  {ratio:.2f}{verdict(ratio, 'compare_many_vs_encoder', limits)}   {load()}"
    )


def encoder_calls(articles: list) -> list[tuple[object, list[str]]]:
    """(encoder, texts) of each encoder call that crosswire.compare makes on `articles`, in order."""
    import crosswire
    from crosswire.encode import AUTO_ENCODER, choose_encoder

    calls: list[tuple[object, list[str]]] = []
    encoders = {id(e): e for e in (choose_encoder(AUTO_ENCODER, a.lang, b.lang) for a, b in articles)}
    originals = {key: e.encode for key, e in encoders.items()}

    def recording(e: object, encode: Callable) -> Callable:
        def record(texts):  # type: ignore[no-untyped-def]
            calls.append((e, list(texts)))
            return encode(texts)

        return record

    for key, e in encoders.items():
        e.encode = recording(e, originals[key])  # type: ignore[method-assign]
    try:
        for a, b in articles:
            crosswire.compare(a, b)
    finally:
        for key, e in encoders.items():
            del e.encode  # the class's method again
    return [(e, texts) for e, texts in calls]


def ingest_speed(articles: int, rounds: int) -> dict:
    """Ingest + link through crosswire.Corpus, and the encoder alone on the same texts;
    run in a child process set up as `crosswire ingest` is (encoder threads: ingest_threads)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ingest as ingest_bench

    from crosswire.corpus import Corpus
    from crosswire.encode import DEFAULT_ENCODER, get_encoder, set_encoder_threads
    from crosswire.ingest import (
        ARTICLES_PER_BATCH,
        ENCODER_CALLS_IN_FLIGHT,
        encoder_texts,
        ingest_threads,
        prepare_article,
    )
    from crosswire.read import read_string
    from crosswire.settings import Settings

    set_encoder_threads(ingest_threads(Settings.from_env().threads))
    encoder = get_encoder(DEFAULT_ENCODER)
    texts = list(ingest_bench.articles(ingest_bench.sentence_pools(), articles, 600, 13))
    with tempfile.TemporaryDirectory(prefix="crosswire-speed-") as tmp:
        corpus_file = Path(tmp) / "corpus.jsonl"
        corpus_file.write_text(
            "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8"
        )
        prepared = [prepare_article(read_string(t, source=f"{n}")) for n, t in enumerate(texts)]
        batches = [
            encoder_texts(prepared[i : i + ARTICLES_PER_BATCH]) for i in range(0, len(prepared), ARTICLES_PER_BATCH)
        ]
        encoder.encode(batches[0])  # untimed first call
        with ThreadPoolExecutor(ENCODER_CALLS_IN_FLIGHT) as pool:
            alone = best_of(rounds, lambda: list(pool.map(encoder.encode, batches)))
        load_alone = load()
        with Corpus(Path(tmp) / "warm.db") as corpus:  # untimed: per-language data
            warm = Path(tmp) / "warm.jsonl"
            warm.write_text(corpus_file.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
            corpus.ingest([warm])
        best = float("inf")
        for round_ in range(rounds):
            db = Path(tmp) / f"round{round_}.db"
            with Corpus(db) as corpus:
                started = time.perf_counter()
                report = corpus.ingest([corpus_file])
                best = min(best, time.perf_counter() - started)
            stored = report.ingested + report.near_duplicates
    return {
        "articles": articles,
        "stored": stored,
        "texts": sum(len(b) for b in batches),
        "alone_s": alone,
        "load_alone": load_alone,
        "ingest_s": best,
        "load_ingest": load(),
    }


def start_speed(starts: int, limits: dict[str, float]) -> None:
    """The seed pair: the CLI cold, a fresh process each run, and the library's warm calls."""
    import statistics

    pair = [str(SEEDS / "en_wagner_drones.txt"), str(SEEDS / "id_wagner_drones.txt")]
    command = [sys.executable, "-c", CONSOLE_SCRIPT, "compare", *pair]

    def cli_run(env: dict[str, str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        return time.perf_counter() - started

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CROSSWIRE_CACHE": cache}
        first = cli_run(env)  # fills the cache folder, as a user's first run does
        cold = sorted(cli_run(env) for _ in range(starts))
    median = statistics.median(cold)
    print(f"start: the seed pair ({SEEDS}), `crosswire compare A B` in a fresh process, {starts} runs")
    print(f"  first run (empty cache)   {first:6.2f} s   {load()}")
    print(
        f"  cold CLI, median          {median:6.2f} s   (fastest {cold[0]:.2f}, slowest {cold[-1]:.2f})"
        f"{ceiling_verdict(median, 'cli_cold_s', limits)}   {load()}"
    )
    import crosswire

    articles = [crosswire.read_path(path) for path in pair]
    crosswire.compare(*articles)  # the first call loads the encoder and the language data
    warm = sorted(best_of(1, lambda: crosswire.compare(*articles)) for _ in range(starts))
    warm_median = statistics.median(warm)
    print(
        f"  library, later calls     {warm_median * 1000:6.0f} ms median (fastest {warm[0] * 1000:.0f})"
        f"{ceiling_verdict(warm_median, 'library_warm_s', limits)}   {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pairs", type=int, default=40, help="use-m pairs: the first N of rewrites/dev.jsonl (default 40)"
    )
    parser.add_argument(
        "--e5-pairs",
        type=int,
        default=20,
        help="e5-small pairs: the first N uk->en pairs of dev_multi.jsonl (default 20)",
    )
    parser.add_argument("--articles", type=int, default=200, help="ingest + link: corpus size (default 200)")
    parser.add_argument("--rounds", type=int, default=2, help="best of N rounds (default 2)")
    parser.add_argument("--starts", type=int, default=10, help="start: fresh CLI processes (default 10)")
    parser.add_argument("--only", choices=["compare", "e5", "ingest", "start"], help="one part only")
    parser.add_argument("--ingest-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest_child:
        print(json.dumps(ingest_speed(args.articles, args.rounds)))
        return
    limits, source = floors()
    print(f"floors: {source}; {os.cpu_count()} cores visible")
    if args.only in (None, "compare"):
        pair_speed(
            "use-m pairs (rewrites/dev.jsonl)",
            read_pairs(DATA / "rewrites/dev.jsonl", args.pairs, None),
            args.rounds,
            limits,
        )
    if args.only in (None, "e5"):
        uk_en = read_pairs(DATA / "rewrites/dev_multi.jsonl", args.e5_pairs, ("uk", "en"))
        pair_speed("e5-small pairs (uk->en of rewrites/dev_multi.jsonl)", uk_en, args.rounds, limits)
    if args.only in (None, "start"):
        start_speed(args.starts, {**TARGETS, **limits})
    if args.only in (None, "ingest"):
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--ingest-child",
                "--articles",
                str(args.articles),
                "--rounds",
                str(args.rounds),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(child.stdout.splitlines()[-1])
        alone, whole = r["articles"] / r["alone_s"], r["stored"] / r["ingest_s"]
        print(
            f"ingest + link: {r['articles']} articles (~600 words, en/fr/de), {r['texts']:,} texts to encode; encoder use-m"
        )
        print(f"  encoder alone        {alone:8.1f} articles/s  1.00   {r['load_alone']}")
        print(
            f"  ingest + link        {whole:8.1f} articles/s  {whole / alone:.2f}"
            f"{verdict(whole, 'ingest_link_articles_per_s', limits)}   {r['load_ingest']}"
        )


if __name__ == "__main__":
    main()
