"""Part 4 of the benchmark (``bench/run.py``): the cost of a page as the collection grows.

Page 1 and the last page of a group's memberships with 100, 10,000 and 100,000 members, through aiohttp's
in-process test client, as a ratio to the smallest group.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from pathlib import Path
from typing import Any

from common import AUTH, Config, Results, Section, log, median, us

# -- part 4: page cost against collection size -----------------------------------------------


def group_with_members(n: int) -> tuple[Any, int]:
    """The default world plus one course-1 group with ``n`` accepted members (and their users)."""
    from mockcanvas import load_world

    store = load_world()
    first_user = max(u.id for u in store.all("users")) + 1
    for k in range(n):
        uid = first_user + k
        store.insert("users", id=uid, name=f"Bench User {uid}", sortable_name=f"User {uid}, Bench",
                     short_name=f"Bench User {uid}", login_id=f"bench{uid}")
    group = store.insert("groups", name=f"Bench Group of {n}", context_type="Course", context_id=1,
                         root_account_id=1, group_category_id=1)
    for k in range(n):
        store.insert("memberships", group_id=group.id, user_id=first_user + k, workflow_state="accepted")
    return store, group.id


async def time_pages(worlds: dict[int, tuple[Any, int]], rounds: int) -> dict[int, dict[str, float]]:
    """Page 1 and the last page of each world's big group, the sizes interleaved request by request
    so that every size sees the same machine; medians of CPU time (client and server share it)."""
    from aiohttp.test_utils import TestClient, TestServer

    from mockcanvas import create_app

    async with contextlib.AsyncExitStack() as stack:
        targets = []  # (size, key, client, path)
        last_pages = {}
        for n, (store, gid) in worlds.items():
            client = await stack.enter_async_context(TestClient(TestServer(create_app(store))))
            path = f"/api/v1/groups/{gid}/memberships?per_page=10"
            first = await client.get(path, headers=AUTH)
            assert first.status == 200, first.status
            last_url = first.links["last"]["url"]
            last_pages[n] = int(last_url.query["page"])
            targets += [(n, "page1", client, path), (n, "last", client, f"{last_url.path}?{last_url.query_string}")]
        samples: dict[tuple[int, str], list[float]] = {(n, key): [] for n, key, _, _ in targets}
        for rnd in range(rounds + 5):  # the first 5 rounds warm up
            for n, key, client, path in targets:
                t0 = time.process_time()
                r = await client.get(path, headers=AUTH)
                body = await r.read()
                spent = time.process_time() - t0
                assert r.status == 200 and body.startswith(b"[{"), (r.status, body[:100])
                if rnd >= 5:
                    samples[n, key].append(spent)
    return {n: {"page1": median(samples[n, "page1"]), "last": median(samples[n, "last"]),
                "last_page": last_pages[n]} for n in worlds}


def part_pages(cfg: Config, res: Results, tmp: Path) -> None:
    log("part 4: page cost as the collection grows")
    worlds, build = {}, {}
    for n in cfg.page_sizes:
        t0 = time.perf_counter()
        worlds[n] = group_with_members(n)
        build[n] = time.perf_counter() - t0
    out = asyncio.run(time_pages(worlds, cfg.page_rounds))
    del worlds
    gc.collect()
    for n in cfg.page_sizes:
        out[n]["build_s"] = build[n]
        log(f"  {n:,} members: page 1 {us(out[n]['page1'])} µs, last page {us(out[n]['last'])} µs")
    res.raw["pages"] = out
    base = out[cfg.page_sizes[0]]
    rows = []
    for n in cfg.page_sizes:
        o = out[n]
        rows.append([f"{n:,}", us(o["page1"]), f"{o['last_page']:,}", us(o["last"]),
                     f"{o['page1'] / base['page1']:.2f}", f"{o['last'] / base['last']:.2f}"])
    big = cfg.page_sizes[-1]
    checks = []
    for key, label in (("page1", "page 1"), ("last", "last page")):
        ratio = out[big][key] / base[key]
        figure = f"{label} of a {big:,}-member list / {cfg.page_sizes[0]:,}-member list"
        checks.append([figure, f"{ratio:.2f}", "≤ 1.5", res.check("4", figure, ratio, "{:.2f}", 1.5,
                                                                  target="≤ 1.5")])
    sec = Section(
        "4. A page of a list as the collection grows",
        "`GET /api/v1/groups/:id/memberships?per_page=10` as the teacher, page 1 and the last page (the "
        "`last` link), for a group of the default world's course 1 with that many accepted members, "
        f"inserted with `store.insert` (one world per size, all loaded together). aiohttp test client "
        f"in-process; the sizes and pages take turns request by request; medians of {cfg.page_rounds} requests "
        "each, in CPU time of the process (client and server together). Ratios are to the same page of the "
        "smallest group.",
    )
    sec.tables.append((["members", "page 1 (µs)", "last page no.", "last page (µs)", "page 1 / smallest",
                        "last page / smallest"], rows))
    sec.tables.append((["figure", "measured", "target", "result"], checks))
    res.sections.append(sec)
