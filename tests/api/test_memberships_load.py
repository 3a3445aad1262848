"""Group memberships under concurrent requests, against the threaded server only.

Every request of a burst goes out at once on its own connection (aiohttp with
``TCPConnector(force_close=True, limit=0)`` and ``asyncio.gather``). The rules must hold whatever
order the server takes them in: a group never takes more members than it has room for, and a
user is never in two groups of a category that allows one membership. No timing is asserted and
nothing sleeps; every loop is bounded.
"""

from __future__ import annotations

import asyncio
import threading

import aiohttp

GROUP_FULL = {"errors": {"group_id": [{"attribute": "group_id", "type": "The group is full.",
                                       "message": "The group is full."}]}}
TEAM1, TEAM2, TEAMS_CATEGORY = 5, 6, 3
TIMEOUT = aiohttp.ClientTimeout(total=30)


def add_students(store, n):
    """n new students of course 1 (Section A), each with a token; returns [(user_id, token)]."""
    out = []
    with store.lock:
        for i in range(n):
            u = store.insert("users", name=f"Load Student {i:02d}", sortable_name=f"Student, Load {i:02d}",
                             short_name=f"Load {i:02d}")
            store.insert("enrollments", user_id=u.id, course_id=1, course_section_id=1)
            token = f"load-{u.id}"
            store.add_token(token, u.id)
            out.append((u.id, token))
    return out


async def _burst(base_url, calls):
    """Send every (method, path, token, form) at once, each on its own connection; returns
    [(status, json)] in the order of ``calls``."""
    connector = aiohttp.TCPConnector(force_close=True, limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT) as session:
        async def one(method, path, token, form):
            async with session.request(method, base_url + path, data=form,
                                       headers={"Authorization": f"Bearer {token}"}) as r:
                return r.status, await r.json(content_type=None)

        return await asyncio.gather(*(one(*c) for c in calls))


def burst(server, calls):
    return asyncio.run(_burst(server.url, calls))


def live_memberships(store, group_id):
    with store.lock:
        return [m for m in store.all("memberships") if m.group_id == group_id and m.workflow_state != "deleted"]


def live_in_category(store, user_id, category_id):
    """Group ids of the user's non-deleted memberships in the category (read under the lock)."""
    with store.lock:
        out = []
        for mid in store.idx["memberships"]["by_user"].ids(user_id):
            m = store.get("memberships", mid)
            if store.get("groups", m.group_id).group_category_id == category_id:
                out.append(m.group_id)
        return out


def test_concurrent_joins_never_overfill_a_group(canvas_server, canvas_store):
    store = canvas_store
    students = add_students(store, 50)
    with store.lock:
        # Team 2 (self-signup category 3, group_limit 3): max_membership 5 takes over from the limit
        store._update("groups", store.get("groups", TEAM2), max_membership=5)
    path = f"/api/v1/groups/{TEAM2}/memberships"
    answers = burst(canvas_server, [("POST", path, token, {"user_id": "self"}) for _, token in students])

    assert len(answers) == 50
    ok = [(uid, body) for (uid, _), (status, body) in zip(students, answers) if status == 200]
    refused = [(status, body) for status, body in answers if status != 200]
    assert len(ok) == 5, answers
    assert len(refused) == 45
    assert all(r == (400, GROUP_FULL) for r in refused), refused
    for uid, body in ok:
        assert (body["user_id"], body["group_id"], body["workflow_state"], body["just_created"]) == (
            uid, TEAM2, "accepted", True)
    # the store agrees: exactly those 5, accepted, and nobody else has a row in the group
    with store.lock:
        assert store.memberships.accepted_count(TEAM2) == 5
        rows = [m for m in store.all("memberships") if m.group_id == TEAM2]
    assert sorted(m.user_id for m in rows) == sorted(uid for uid, _ in ok)
    assert all(m.workflow_state == "accepted" for m in rows)
    assert sorted(m.id for m in rows) == sorted(body["id"] for _, body in ok)
    # auto_leader "first": the leader is the member whose membership came first
    with store.lock:
        assert store.get("groups", TEAM2).leader_id == min(rows, key=lambda m: m.id).user_id
    # and the API says the same
    r = asyncio.run(_burst(canvas_server.url, [("GET", f"/api/v1/groups/{TEAM2}", "teacher-token", None)]))
    ((status, group),) = r
    assert status == 200 and group["members_count"] == 5


def test_concurrent_moves_keep_one_membership_per_category(canvas_server, canvas_store):
    store = canvas_store
    ((uid, token),) = add_students(store, 1)
    calls = [("POST", f"/api/v1/groups/{TEAM1 if i % 2 == 0 else TEAM2}/memberships", token, {"user_id": "self"})
             for i in range(40)]

    # watch the store while the burst runs: at every consistent point (under the store's lock)
    # the user is in at most one group of the category
    done = threading.Event()
    seen: list[list[int]] = []
    samples = 0

    def watch():
        nonlocal samples
        for _ in range(1_000_000):  # bounded; stops as soon as the burst is over
            groups = live_in_category(store, uid, TEAMS_CATEGORY)
            samples += 1
            if len(groups) > 1:
                seen.append(groups)
            if done.is_set():
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        answers = burst(canvas_server, calls)
    finally:
        done.set()
        watcher.join(30)
    assert not watcher.is_alive()
    assert samples > 0 and seen == [], seen

    assert [status for status, _ in answers] == [200] * 40, answers
    for (_, path, _, _), (_, body) in zip(calls, answers):
        assert body["user_id"] == uid and body["workflow_state"] == "accepted"
        assert path == f"/api/v1/groups/{body['group_id']}/memberships"

    final = live_in_category(store, uid, TEAMS_CATEGORY)
    assert len(final) == 1, final
    (where,) = final
    with store.lock:
        rows = [m for m in store.all("memberships") if m.user_id == uid]
        # every other row the moves left behind is deleted
        assert [m.group_id for m in rows if m.workflow_state != "deleted"] == [where]
        assert all(m.workflow_state in ("accepted", "deleted") for m in rows)
        # the counts and leaders follow: 14 stays in (and leads) Team 1; Team 2 is led by the user
        # only while they are in it
        assert store.memberships.accepted_count(TEAM1) == (2 if where == TEAM1 else 1)
        assert store.memberships.accepted_count(TEAM2) == (1 if where == TEAM2 else 0)
        assert store.get("groups", TEAM1).leader_id == 14
        assert store.get("groups", TEAM2).leader_id == (uid if where == TEAM2 else None)
    assert sorted(m.user_id for m in live_memberships(store, TEAM1)) == ([14, uid] if where == TEAM1 else [14])
