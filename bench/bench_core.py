"""Quick benchmark of the two costs every test pays: rolling the world back, and one list page.

    python bench/bench_core.py

1. Rollback of the default world after a typical test's changes (create a group, set members).
2. ``GET /api/v1/courses/1/groups`` page 1 and last page, with 100, 10,000 and 100,000 groups in the
   course, through the in-process app: the cost of a page must not grow with the collection.

Prints a table; numbers are medians of repeated runs on this machine. Not part of the test suite.
"""

from __future__ import annotations

import asyncio
import platform
import statistics
import sys
import time

from aiohttp.test_utils import TestClient, TestServer

from mockcanvas import create_app, load_world
from mockcanvas.store.groups import GroupInput


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def bench_rollback(rounds: int = 300) -> tuple[float, float]:
    store = load_world()
    teacher = store.get("users", 2)
    category = store.get("group_categories", 1)
    change, rollback = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        g = store.groups.create(teacher, GroupInput(name="Bench"), category)
        store.groups.update(teacher, g, GroupInput(members=["14", "15", "16"]))
        t1 = time.perf_counter()
        store.rollback()
        t2 = time.perf_counter()
        change.append(t1 - t0)
        rollback.append(t2 - t1)
    return median_us(change), median_us(rollback)


def course_with_groups(n: int):
    store = load_world()
    for i in range(n):
        store.insert("groups", name=f"Bench Group {i:06d}", context_type="Course", context_id=1,
                     root_account_id=1, group_category_id=1)
    store.snapshot()
    return store


async def time_pages(store, per_page: int = 10, rounds: int = 200) -> tuple[float, float]:
    async with TestClient(TestServer(create_app(store))) as client:
        headers = {"Authorization": "Bearer teacher-token"}
        first = await client.get(f"/api/v1/courses/1/groups?per_page={per_page}", headers=headers)
        last_url = first.links["last"]["url"]
        last_path = f"{last_url.path}?{last_url.query_string}"
        out = []
        for path in (f"/api/v1/courses/1/groups?per_page={per_page}", last_path):
            samples = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                r = await client.get(path, headers=headers)
                await r.read()
                samples.append(time.perf_counter() - t0)
                assert r.status == 200
            out.append(median_us(samples))
        return out[0], out[1]


def main() -> int:
    print(f"# mockcanvas core bench — Python {platform.python_version()} on {platform.machine()}")
    change, rollback = bench_rollback()
    print(f"default world: a test's changes {change:.0f} µs, rollback {rollback:.0f} µs")
    print("\n| groups in course | page 1 (µs) | last page (µs) | page 1 / smallest | last / smallest |")
    print("|---:|---:|---:|---:|---:|")
    base = None
    for n in (100, 10_000, 100_000):
        store = course_with_groups(n)
        p1, last = asyncio.run(time_pages(store))
        base = base or p1
        print(f"| {n:,} | {p1:.0f} | {last:.0f} | {p1 / base:.2f} | {last / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
