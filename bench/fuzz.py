"""Fuzz every reader and ingest with generated hostile inputs; print what happened.

    nice -n 5 python bench/fuzz.py [--examples 10000] [--targets txt,html,jsonl,feed,warc,warc.gz,ingest]
                                   [--crashes DIR] [--seed N]

Inputs come from the Hypothesis strategies in tests/read/fuzz_inputs.py: per reader, one
file of its kind built from hostile parts (any script, control characters, lone
surrogates, numbers and dates of any size, random markup, JSON of any type and depth,
WARC records with any headers, damaged gzip); for ingest, folders of 1-4 such files of
any kind, ingested with the real encoder into one SQLite store (so copies and re-reads
are exercised too; its inputs are counted in files).

Per target it prints: inputs, crashes (an exception out of the reader or out of
ingest: the run would have ended), CW114 (rejections for a failure no check
anticipated: the run goes on, but each is a bug to fix), inputs with a rejection,
rejection rows by code, articles read, and seconds. With --crashes DIR, each crashing
input is written there with its traceback. The goal is 0 crashes and 0 CW114.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "read"))

from fuzz_inputs import READER_TARGETS, ingest_folders, read_one  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402


@dataclass
class Tally:
    inputs: int = 0
    crashes: int = 0
    inputs_rejected: int = 0
    articles: int = 0
    codes: collections.Counter = field(default_factory=collections.Counter)
    crash_kinds: collections.Counter = field(default_factory=collections.Counter)
    unexpected: list[str] = field(default_factory=list)  # CW114 rows, to print
    seconds: float = 0.0


def _record_crash(tally: Tally, crashes: Path | None, name: str, files: list[tuple[str, bytes]]) -> None:
    tally.crashes += 1
    kind = traceback.format_exc().strip().splitlines()[-1][:160]
    tally.crash_kinds[kind] += 1
    if crashes is not None:
        _save(crashes / f"{name}-{tally.crashes}", files, traceback.format_exc())


def _save(folder: Path, files: list[tuple[str, bytes]], why: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, (suffix, content) in enumerate(files):
        (folder / f"input{number}{suffix}").write_bytes(content)
    (folder / "why.txt").write_text(why, encoding="utf-8")


def fuzz_reader(kind: str, examples: int, seed: int, crashes: Path | None) -> Tally:
    suffix, files = READER_TARGETS[kind]
    tally = Tally()

    @_settings(examples)
    @given(content=files)
    def run(content: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"input{suffix}"
            path.write_bytes(content)
            tally.inputs += 1
            try:
                articles, rejected = read_one(path)
            except Exception:  # noqa: BLE001  (what the bench counts)
                _record_crash(tally, crashes, kind, [(suffix, content)])
                return
        _count(tally, articles, rejected, kind)
        if crashes is not None and any(r.code == "CW114" for r in rejected):
            _save(
                crashes / f"{kind}-cw114-{len(tally.unexpected)}", [(suffix, content)], "\n".join(tally.unexpected[-5:])
            )

    _run(run, seed, tally)
    return tally


def fuzz_ingest(examples: int, seed: int, crashes: Path | None) -> Tally:
    import crosswire
    from crosswire.encode import set_encoder_threads
    from crosswire.ingest import ingest_threads
    from crosswire.settings import Settings
    from crosswire.store.sqlite import SqliteStore

    set_encoder_threads(ingest_threads(Settings.from_env().threads))
    tally = Tally()
    with tempfile.TemporaryDirectory() as root, SqliteStore(str(Path(root) / "fuzz.db")) as store:
        calls = iter(range(10**9))

        @_settings(examples)
        @given(files=ingest_folders)
        def run(files: list[tuple[str, bytes]]) -> None:
            if tally.inputs >= examples:
                return
            folder = Path(root) / f"in{next(calls)}"
            folder.mkdir()
            for number, (suffix, content) in enumerate(files):
                (folder / f"f{number}{suffix}").write_bytes(content)
            tally.inputs += len(files)
            try:
                report = crosswire.ingest([folder], store)
            except Exception:  # noqa: BLE001
                _record_crash(tally, crashes, "ingest", files)
                return
            _count(
                tally,
                report.ingested + report.near_duplicates + report.duplicates + report.unchanged,
                report.rejected,
                "ingest",
                len(files),
            )
            if crashes is not None and any(r.code == "CW114" for r in report.rejected):
                _save(crashes / f"ingest-cw114-{len(tally.unexpected)}", files, "\n".join(tally.unexpected[-5:]))

        _run(run, seed, tally)
    return tally


def _settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def _run(test, seed: int, tally: Tally) -> None:
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feedparser's deprecations, Hypothesis's large reprs
        hypothesis_seed(seed)(test)()
    tally.seconds = time.perf_counter() - started


PROGRESS_EVERY = 1000


def _count(tally: Tally, articles: int, rejected, target: str, added: int = 1) -> None:
    before = tally.inputs - added
    tally.articles += articles
    tally.inputs_rejected += bool(rejected)
    tally.codes.update(r.code for r in rejected)
    tally.unexpected += [f"{r.source}: {r.detail}"[-300:] for r in rejected if r.code == "CW114"]
    if tally.inputs // PROGRESS_EVERY > before // PROGRESS_EVERY:  # a line now and then: a long run can be cut
        print(f"  {target}: {tally.inputs} inputs, {tally.crashes} crashes, {tally.codes['CW114']} CW114", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="inputs per target (ingest: files)")
    parser.add_argument("--targets", default=",".join([*READER_TARGETS, "ingest"]))
    parser.add_argument("--crashes", type=Path, help="write each crashing input and its traceback here")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    header = f"{'target':8} {'inputs':>7} {'crashes':>7} {'CW114':>6} {'rejected':>8} {'articles':>8} {'seconds':>8}  rejection rows by code"
    print(header, flush=True)
    total_crashes = 0
    for target in args.targets.split(","):
        if target == "ingest":
            tally = fuzz_ingest(args.examples, args.seed, args.crashes)
        else:
            tally = fuzz_reader(target, args.examples, args.seed, args.crashes)
        total_crashes += tally.crashes
        codes = " ".join(f"{code}:{n}" for code, n in sorted(tally.codes.items()))
        print(
            f"{target:8} {tally.inputs:>7} {tally.crashes:>7} {tally.codes['CW114']:>6} {tally.inputs_rejected:>8} "
            f"{tally.articles:>8} {tally.seconds:>8.0f}  {codes}",
            flush=True,
        )
        for kind, n in tally.crash_kinds.most_common(5):
            print(f"    crash x{n}: {kind}", flush=True)
        for row in tally.unexpected[:5]:
            print(f"    CW114: {row}", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    sys.exit(1 if total_crashes else 0)


if __name__ == "__main__":
    main()
