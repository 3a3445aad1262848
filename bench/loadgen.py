"""A small HTTP load generator, used by ``bench/run.py`` when ``wrk`` is not installed.

    python bench/loadgen.py URL [--connections 10] [--duration 5] [--warmup 1] [-H "Name: value"]

Keeps ``--connections`` keep-alive connections busy for ``--warmup`` seconds (not counted), then
for ``--duration`` seconds, each sending its next GET as soon as the previous answer is read.
Prints one JSON object: requests, seconds, rps, p50_ms, p99_ms, non_2xx, errors.

It runs in its own process, so it does not share a GIL with the server under test; being Python it
is slower than wrk, which matters only when the server is faster than the client: ``run.py``
states which generator produced the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time

import aiohttp


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


async def run(url: str, headers: dict[str, str], connections: int, duration: float,
              warmup: float) -> dict[str, float]:
    latencies: list[float] = []
    counts = {"non_2xx": 0, "errors": 0}
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)

    async def worker(session: aiohttp.ClientSession) -> None:
        clock = time.perf_counter
        while True:
            t0 = clock()
            if t0 >= stop_at:
                return
            try:
                async with session.get(url, headers=headers) as resp:
                    await resp.read()
                    status = resp.status
            except (aiohttp.ClientError, asyncio.TimeoutError):
                if t0 >= measure_from:
                    counts["errors"] += 1
                continue
            t1 = clock()
            if t0 >= measure_from and t1 <= stop_at:
                latencies.append(t1 - t0)
                if not 200 <= status < 400:
                    counts["non_2xx"] += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": duration,
        "rps": len(latencies) / duration,
        "p50_ms": percentile(latencies, 50) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
        "non_2xx": counts["non_2xx"],
        "errors": counts["errors"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", "-c", type=int, default=10)
    parser.add_argument("--duration", "-d", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--header", "-H", action="append", default=[])
    args = parser.parse_args(argv)
    headers = {}
    for h in args.header:
        name, _, value = h.partition(":")
        headers[name.strip()] = value.strip()
    result = asyncio.run(run(args.url, headers, args.connections, args.duration, args.warmup))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
