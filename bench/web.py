"""Server-time latency of the web app's pages and API (p50 / p95 / max).

    python bench/web.py [--runs 20] [--fast-runs 200]

Calls the app in-process (FastAPI's TestClient, no sockets) and times each request
inside the ASGI app, from the moment it is handed the request to the last byte of
its response: server time, without network or browser. The comparisons use the seed
pair (../shared/data/seeds); the encoder is loaded and warmed before timing.

The corpus pages (stories, story, article) are not measured yet: they wait for the
store's read API. Writes nothing to disk.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient

from crosswire.web import create_app

SEEDS = Path("../shared/data/seeds")
WARMUP = 2


class ServerTimer:
    """ASGI wrapper that records each request's server time, in seconds."""

    def __init__(self, app) -> None:
        self.app = app
        self.times: list[float] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def timed_send(message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                self.times.append(time.perf_counter() - start)

        await self.app(scope, receive, timed_send)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="timed requests per comparison endpoint (default 20)")
    ap.add_argument("--fast-runs", type=int, default=200, help="timed requests per page without a comparison (default 200)")
    args = ap.parse_args(argv)

    en = (SEEDS / "en_wagner_drones.txt").read_text(encoding="utf-8")
    id_ = (SEEDS / "id_wagner_drones.txt").read_text(encoding="utf-8")
    timer = ServerTimer(create_app())
    client = TestClient(timer, base_url="http://127.0.0.1")
    cases = [
        ("GET  /compare (form)", args.fast_runs, lambda: client.get("/compare")),
        ("GET  /api/info", args.fast_runs, lambda: client.get("/api/info")),
        ("GET  /api/docs", args.fast_runs, lambda: client.get("/api/docs")),
        ("POST /compare (seed pair, HTML)", args.runs, lambda: client.post("/compare", data={"text_a": en, "text_b": id_})),
        (
            "POST /api/compare (seed pair, JSON)",
            args.runs,
            lambda: client.post("/api/compare", json={"a": {"text": en}, "b": {"text": id_}}),
        ),
    ]
    print(f"{'request':<38} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, runs, request in cases:
        for _ in range(WARMUP):
            request().raise_for_status()
        timer.times.clear()
        for _ in range(runs):
            request().raise_for_status()
        ms = [t * 1000 for t in timer.times]
        print(f"{name:<38} {runs:>5} {statistics.median(ms):>8.1f} {percentile(ms, 0.95):>8.1f} {max(ms):>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
