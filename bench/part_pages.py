"""Part 4 of the benchmark (``bench/run.py``): the cost of a page as the collection grows.

Page 1 and the last page of a group's memberships with 100, 10,000 and 100,000 members, through aiohttp's
in-process test client, as a ratio to the smallest group; then (4b) page 1 and page 5 of the course
lists: ``GET /courses`` for a user with 100 and 1,000 enrollments, ``GET /accounts/1/courses`` over
100 and 10,000 courses; then (4c) page 1 and page 5 of ``GET /courses/:id/enrollments`` (bookmark
pages) of a course with 100 and 10,000 students.
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
    part_course_pages(cfg, res)
    part_enrollment_pages(cfg, res)


# -- part 4b: the course lists (Courses API) ----------------------------------------------------
COURSE_PAGE = 5  # "a later page": page 5 of 10 (rows 41-50)


def courses_for_user(n: int) -> Any:
    """The default world plus ``n`` available courses in account 1, the outsider (user 20, no
    enrollment before) a student of each: ``GET /courses`` lists ``n`` courses."""
    from mockcanvas import load_world

    store = load_world()
    for k in range(n):
        c = store.insert("courses", name=f"Bench Course {k:05d}", course_code=f"B{k}", account_id=1,
                         root_account_id=1)
        store.insert("enrollments", user_id=20, course_id=c.id, course_section_id=1)
    return store


def courses_in_account(n: int) -> Any:
    """The default world plus ``n`` courses in the root account (``GET /accounts/1/courses``)."""
    from mockcanvas import load_world

    store = load_world()
    for k in range(n):
        store.insert("courses", name=f"Bench Course {k:05d}", course_code=f"B{k}", account_id=1, root_account_id=1)
    return store


async def _time_targets(targets: list[tuple[Any, str, Any, str, dict[str, str]]], worlds: Any,
                        rounds: int) -> dict[Any, dict[str, float]]:
    """Each target (world, "page1" | "later", client, path, headers) requested in turn, ``rounds``
    times after 5 warm-up rounds; the medians of CPU time per world and page."""
    samples: dict[tuple[Any, str], list[float]] = {(w, key): [] for w, key, *_ in targets}
    for rnd in range(rounds + 5):
        for w, key, client, path, headers in targets:
            t0 = time.process_time()
            r = await client.get(path, headers=headers)
            body = await r.read()
            spent = time.process_time() - t0
            assert r.status == 200 and body.startswith(b"[{"), (path, r.status, body[:100])
            if rnd >= 5:
                samples[w, key].append(spent)
    return {w: {"page1": median(samples[w, "page1"]), "later": median(samples[w, "later"])} for w in worlds}


async def time_course_pages(worlds: dict[tuple[str, int], Any], rounds: int) -> dict[tuple[str, int], dict[str, float]]:
    """Page 1 and page 5 (per_page=10) of each world's list, sizes interleaved, medians of CPU time."""
    from aiohttp.test_utils import TestClient, TestServer

    from mockcanvas import create_app

    paths = {"user": ("/api/v1/courses", "outsider-token"), "account": ("/api/v1/accounts/1/courses", "admin-token")}
    async with contextlib.AsyncExitStack() as stack:
        targets = []
        for (kind, n), store in worlds.items():
            client = await stack.enter_async_context(TestClient(TestServer(create_app(store))))
            path, token = paths[kind]
            for key, page in (("page1", 1), ("later", COURSE_PAGE)):
                targets.append(((kind, n), key, client, f"{path}?per_page=10&page={page}",
                                {"Authorization": f"Bearer {token}"}))
        return await _time_targets(targets, worlds, rounds)


def part_course_pages(cfg: Config, res: Results) -> None:
    log("part 4b: course list pages as the collection grows")
    sizes = {"user": (100, 1_000), "account": (100, 10_000)}
    worlds = {("user", n): courses_for_user(n) for n in sizes["user"]}
    worlds.update({("account", n): courses_in_account(n) for n in sizes["account"]})
    out = asyncio.run(time_course_pages(worlds, cfg.page_rounds))
    del worlds
    gc.collect()
    res.raw["course_pages"] = {f"{k}:{n}": v for (k, n), v in out.items()}
    labels = {"user": "GET /courses (a user's enrollments)", "account": "GET /accounts/1/courses (courses)"}
    rows, checks = [], []
    for kind, (small, big) in sizes.items():
        for n in (small, big):
            o = out[kind, n]
            rows.append([labels[kind], f"{n:,}", us(o["page1"]), us(o["later"])])
        for key, label in (("page1", "page 1"), ("later", f"page {COURSE_PAGE}")):
            ratio = out[kind, big][key] / out[kind, small][key]
            figure = f"{labels[kind]}: {label} at {big:,} / at {small:,} rows"
            log(f"  {figure}: {ratio:.2f}")
            checks.append([figure, f"{ratio:.2f}", "≤ 1.5", res.check("4b", figure, ratio, "{:.2f}", 1.5,
                                                                      target="≤ 1.5")])
    sec = Section(
        "4b. A page of the course lists as the collection grows",
        "`GET /api/v1/courses?per_page=10` for a user enrolled (as a student) in that many available courses, "
        "and `GET /api/v1/accounts/1/courses?per_page=10` over that many courses of the root account; page 1 "
        f"and page {COURSE_PAGE}. Same harness as part 4 (in-process client, interleaved, medians of "
        f"{cfg.page_rounds} requests, CPU time). The user's list is computed once per store version and "
        "then paged (the first request after a write costs the whole list); the account list is a slice of a "
        "sorted index.",
    )
    sec.tables.append((["list", "rows", "page 1 (µs)", f"page {COURSE_PAGE} (µs)"], rows))
    sec.tables.append((["figure", "measured", "target", "result"], checks))
    res.sections.append(sec)


# -- part 4c: the enrollments of a course (Enrollments API) ------------------------------------------
def course_with_students(n: int) -> Any:
    """The default world plus a course of the root account with ``n`` new students (and its teacher)."""
    from mockcanvas import load_world

    store = load_world()
    c = store.insert("courses", name="Bench Roster", course_code="ROSTER", account_id=1, root_account_id=1)
    sec = store.insert("sections", course_id=c.id, name="Bench Roster")
    store.insert("enrollments", user_id=2, course_id=c.id, course_section_id=sec.id, type="TeacherEnrollment")
    for k in range(n):
        u = store.insert("users", name=f"Student {k:05d}", sortable_name=f"{(k * 7919) % n:05d}, Student",
                         short_name=f"S{k}")
        store.insert("enrollments", user_id=u.id, course_id=c.id, course_section_id=sec.id)
    store.snapshot()
    return store, c.id


async def time_enrollment_pages(worlds: dict[int, Any], rounds: int) -> dict[int, dict[str, float]]:
    """Page 1 and page 5 (per_page=10, the bookmark of page 4's ``next``) of each course's
    enrollments, as the teacher; sizes interleaved, medians of CPU time."""
    from aiohttp.test_utils import TestClient, TestServer

    from mockcanvas import create_app

    headers = {"Authorization": "Bearer teacher-token"}
    async with contextlib.AsyncExitStack() as stack:
        targets = []
        for n, (store, cid) in worlds.items():
            client = await stack.enter_async_context(TestClient(TestServer(create_app(store))))
            first = f"/api/v1/courses/{cid}/enrollments?per_page=10"
            url = first
            for _ in range(COURSE_PAGE - 1):  # walk to page 5 once: its URL carries page 4's bookmark
                r = await client.get(url, headers=headers)
                url = r.links["next"]["url"].raw_path_qs
            targets += [(n, "page1", client, first), (n, "later", client, url)]
        return await _time_targets([(n, key, client, path, headers) for n, key, client, path in targets],
                                   worlds, rounds)


def part_enrollment_pages(cfg: Config, res: Results) -> None:
    log("part 4c: course enrollment pages as the roster grows")
    small, big = 100, 10_000
    worlds = {n: course_with_students(n) for n in (small, big)}
    out = asyncio.run(time_enrollment_pages(worlds, cfg.page_rounds))
    del worlds
    gc.collect()
    res.raw["enrollment_pages"] = {str(n): v for n, v in out.items()}
    rows = [[f"{n:,}", us(out[n]["page1"]), us(out[n]["later"])] for n in (small, big)]
    checks = []
    for key, label in (("page1", "page 1"), ("later", f"page {COURSE_PAGE}")):
        ratio = out[big][key] / out[small][key]
        figure = f"GET /courses/:id/enrollments: {label} at {big:,} / at {small:,} students"
        log(f"  {figure}: {ratio:.2f}")
        checks.append([figure, f"{ratio:.2f}", "≤ 1.5", res.check("4c", figure, ratio, "{:.2f}", 1.5, target="≤ 1.5")])
    sec = Section(
        "4c. A page of a course's enrollments as the roster grows",
        "`GET /api/v1/courses/:id/enrollments?per_page=10` as the teacher, for a course with that many "
        f"students; page 1 and page {COURSE_PAGE} (the bookmark link of page {COURSE_PAGE - 1}). Same harness "
        "as part 4. Each page is read from the roster index (type, sortable name, id) from the bookmark on.",
    )
    sec.tables.append((["students", "page 1 (µs)", f"page {COURSE_PAGE} (µs)"], rows))
    sec.tables.append((["figure", "measured", "target", "result"], checks))
    res.sections.append(sec)
