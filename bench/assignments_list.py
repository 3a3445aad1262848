"""The cost of a page of ``GET /api/v1/courses/:id/assignments`` as the course grows.

Course 1 of the default world with 100 and with 5,000 assignments in 5 assignment groups, listed by
its teacher in Canvas's default order (group position, position, id): page 1 and a late page
(rows 4,001-4,010 of the big course; the last page of the small one) through aiohttp's in-process
test client, the worlds taking turns request by request; medians of CPU time (client and server
together). A page should cost the same whatever the course's size (the list chains the groups'
sorted buckets; nothing is copied or sorted per request). Then, for comparison, the same big
course's page 1 as a student (published and assigned ones only: a filter over every assignment,
O(assignments)).

Run: ``python bench/assignments_list.py`` (about 20 s; ``--rounds N`` to change the sample size).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from typing import Any

AUTH = {"Authorization": "Bearer teacher-token"}
STUDENT = {"Authorization": "Bearer student-token"}
GROUPS = 5


def course_with_assignments(n: int) -> Any:
    """The default world with ``n`` published assignments in course 1, spread over ``GROUPS`` groups."""
    from mockcanvas import load_world

    store = load_world()
    now = store.now()
    with store.bulk("assignments", "assignment_groups"):
        groups = [store.insert("assignment_groups", course_id=1, name=f"Group {g}", position=g + 1,
                               created_at=now, updated_at=now) for g in range(GROUPS)]
        per_group = n // GROUPS
        for k in range(n):
            g = groups[min(k // per_group, GROUPS - 1)]
            store.insert("assignments", course_id=1, assignment_group_id=g.id, title=f"Assignment {k:05d}",
                         position=k % per_group + 1, workflow_state="published",
                         lti_context_id=f"00000000-0000-4000-8000-{k:012d}", created_at=now, updated_at=now)
    return store


async def time_pages(worlds: dict[int, Any], targets: list[tuple[int, str, str, dict]], rounds: int) -> dict:
    from aiohttp.test_utils import TestClient, TestServer

    from mockcanvas import create_app

    samples: dict[tuple[int, str], list[float]] = {(n, key): [] for n, key, _, _ in targets}
    async with contextlib.AsyncExitStack() as stack:
        clients = {n: await stack.enter_async_context(TestClient(TestServer(create_app(store))))
                   for n, store in worlds.items()}
        for rnd in range(rounds + 5):  # the first 5 rounds warm up
            for n, key, path, headers in targets:
                t0 = time.process_time()
                r = await clients[n].get(path, headers=headers)
                body = await r.read()
                spent = time.process_time() - t0
                assert r.status == 200 and body.startswith(b"[{"), (r.status, body[:200])
                if rnd >= 5:
                    samples[n, key].append(spent)
    return {k: statistics.median(v) for k, v in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    small, big = 100, 5_000
    worlds = {}
    for n in (small, big):
        t0 = time.perf_counter()
        worlds[n] = course_with_assignments(n)
        print(f"built course 1 with {n:,} assignments in {time.perf_counter() - t0:.2f} s")
    path = "/api/v1/courses/1/assignments?per_page=10"
    targets = [
        (small, "page 1", path, AUTH), (small, "late page", f"{path}&page={small // 10}", AUTH),
        (big, "page 1", path, AUTH), (big, "late page", f"{path}&page=401", AUTH),
        (big, "student page 1", path, STUDENT),
    ]
    out = asyncio.run(time_pages(worlds, targets, args.rounds))
    print(f"\nmedians of {args.rounds} requests (CPU µs, client and server), teacher, per_page=10:")
    for n, key, p, _ in targets:
        print(f"  {n:>5,} assignments, {key:<15} {out[n, key] * 1e6:8.0f} µs   {p}")
    print("\nratios:")
    print(f"  page 1 at {big:,} / at {small:,}:           {out[big, 'page 1'] / out[small, 'page 1']:.2f}")
    print(f"  late page at {big:,} / page 1 at {big:,}:   {out[big, 'late page'] / out[big, 'page 1']:.2f}")
    print(f"  late page at {big:,} / late at {small:,}:     {out[big, 'late page'] / out[small, 'late page']:.2f}")
    print(f"  student page 1 at {big:,} / teacher's:    {out[big, 'student page 1'] / out[big, 'page 1']:.2f}")


if __name__ == "__main__":
    main()
