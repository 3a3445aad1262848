"""Live events under load: 200 concurrent mutating requests, each on its own connection (a plain
``requests.post``, no session) from a pool of 32 threads, against the threaded server.

One event per change, none lost, positions consecutive, and the log in the order the changes were
applied: ids are handed out in apply order, and replaying the membership events over the world's
memberships gives the store's final memberships. The same load with delivery to a real consumer
arrives there complete and in the recorded order. No timing is asserted.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from test_live_events_delivery import Consumer

from mockcanvas import load_world
from mockcanvas.server import CanvasServer
from mockcanvas.settings import Settings

pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")

TIMEOUT = 60
THREADS = 32
PROJECT_GROUPS = 1  # category 1: groups 1-3, one group per student
PROJECT_GROUP_IDS = (1, 2, 3)
STUDENTS = range(6, 20)
GROUP_FULL = "The group is full."

Call = tuple[str, dict[str, str]]  # (path, form)


def send_all(base_url: str, calls: list[Call]) -> list[tuple[int, Any]]:
    """POST every call as the teacher, 32 at a time, each on a new connection; answers in call order."""
    def one(call: Call) -> tuple[int, Any]:
        path, form = call
        r = requests.post(base_url + path, data=form, headers={"Authorization": "Bearer teacher-token"},
                          timeout=TIMEOUT)
        return r.status_code, r.json()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, calls))


def group_calls(n: int, prefix: str) -> list[Call]:
    return [(f"/api/v1/group_categories/{PROJECT_GROUPS}/groups", {"name": f"{prefix} {i:03d}"})
            for i in range(n)]


def membership_calls(n: int, seed: int) -> list[Call]:
    """Students put into project groups at random: joins, moves within the category, repeats."""
    rng = random.Random(seed)
    return [(f"/api/v1/groups/{rng.choice(PROJECT_GROUP_IDS)}/memberships", {"user_id": str(rng.choice(STUDENTS))})
            for _ in range(n)]


def memberships_of(store, group_ids) -> dict[int, tuple[int, int, str]]:
    """membership id -> (user id, group id, workflow_state), deleted rows included."""
    with store.lock:
        return {m.id: (m.user_id, m.group_id, m.workflow_state)
                for m in store.all("memberships") if m.group_id in group_ids}


def active_groups(memberships: dict[int, tuple[int, int, str]]) -> dict[int, list[int]]:
    """user id -> the groups they are in (not deleted)."""
    out: dict[int, list[int]] = {}
    for user_id, group_id, state in memberships.values():
        if state != "deleted":
            out.setdefault(user_id, []).append(group_id)
    return {u: sorted(g) for u, g in out.items()}


def replay(start: dict[int, tuple[int, int, str]], events) -> dict[int, tuple[int, int, str]]:
    state = dict(start)
    for e in events:
        if e.name in ("group_membership_created", "group_membership_updated"):
            b = e.body
            state[int(b["group_membership_id"])] = (int(b["user_id"]), int(b["group_id"]), b["workflow_state"])
    return state


def assert_consecutive(events, before: int) -> None:
    positions = [e.position for e in events]
    assert positions == list(range(before + 1, before + 1 + len(events))), positions


def check_membership_answers(calls: list[Call], answers: list[tuple[int, Any]]) -> list[Any]:
    """Each answer a membership of the asked user and group, or "group full"; returns the 200 bodies."""
    ok = []
    for (path, form), (status, body) in zip(calls, answers):
        if status == 400:
            assert body["errors"]["group_id"][0]["message"] == GROUP_FULL, body
            continue
        assert status == 200, body
        assert (body["user_id"], f"/api/v1/groups/{body['group_id']}/memberships") == (int(form["user_id"]), path)
        ok.append(body)
    return ok


def test_200_concurrent_group_creations_one_event_each_in_apply_order(canvas_server, canvas_store,
                                                                      canvas_live_events) -> None:
    before = canvas_live_events.position
    calls = group_calls(200, "Load Group")
    answers = send_all(canvas_server.url, calls)

    assert [status for status, _ in answers] == [200] * 200, [a for a in answers if a[0] != 200][:3]
    created = {body["id"]: body["name"] for _, body in answers}
    assert len(created) == 200
    assert sorted(created.values()) == [form["name"] for _, form in calls]

    events = canvas_live_events.all()
    assert [e.name for e in events] == ["group_created"] * 200
    assert_consecutive(events, before)
    ids = [int(e.body["group_id"]) for e in events]
    assert set(ids) == set(created)
    # ids are handed out in the order the creations were applied: the log is in that order
    assert ids == sorted(ids) and len(set(ids)) == 200
    assert all(e.body["group_name"] == created[int(e.body["group_id"])] for e in events)
    assert {e.body["group_category_id"] for e in events} == {str(PROJECT_GROUPS)}
    # each event names the request that caused it, one request per event
    assert len({e.metadata["request_id"] for e in events}) == 200
    with canvas_store.lock:
        assert {g.id for g in canvas_store.all("groups") if g.group_category_id == PROJECT_GROUPS} == {
            *PROJECT_GROUP_IDS, *created}


def test_200_concurrent_membership_changes_replay_to_the_final_state(canvas_server, canvas_store,
                                                                     canvas_live_events) -> None:
    start = memberships_of(canvas_store, PROJECT_GROUP_IDS)
    before = canvas_live_events.position
    calls = membership_calls(200, seed=7)
    answers = send_all(canvas_server.url, calls)
    ok = check_membership_answers(calls, answers)
    assert len(ok) > 100, answers  # most of them went through (group 3, max 4, fills up)

    events = canvas_live_events.all()
    assert_consecutive(events, before)
    assert {e.name for e in events} <= {"group_membership_created", "group_membership_updated", "group_updated"}
    assert {int(e.body["group_id"]) for e in events} <= set(PROJECT_GROUP_IDS)

    # exactly one group_membership_created per membership the API created, in id (= apply) order
    created = [int(e.body["group_membership_id"]) for e in events if e.name == "group_membership_created"]
    new_ids = sorted(body["id"] for body in ok if body["just_created"])
    assert created == new_ids
    assert len(set(created)) == len(created)

    # the log, replayed over the world's memberships, is the store's final state
    final = memberships_of(canvas_store, PROJECT_GROUP_IDS)
    assert replay(start, events) == final
    placed = active_groups(final)
    assert all(len(groups) == 1 for groups in placed.values()), placed  # one group per category
    assert {body["user_id"] for body in ok} <= set(placed)  # whoever got in at least once is in a group
    # and order matters: the same events in another order would (for these moves) not replay to it
    moved = [e for e in events if e.name != "group_updated"]
    assert replay(start, list(reversed(moved))) != final


def test_200_concurrent_changes_reach_the_consumer_complete_and_in_order() -> None:
    consumer = Consumer()
    try:
        settings = Settings(live_events_url=consumer.url)
        with CanvasServer(load_world(settings=settings), settings=settings) as server:
            start = memberships_of(server.store, PROJECT_GROUP_IDS)
            groups, members = group_calls(100, "Delivered"), membership_calls(100, seed=11)
            calls = [c for pair in zip(groups, members) for c in pair]  # interleaved
            answers = send_all(server.url, calls)
            assert all(status == 200 for status, _ in answers[0::2])
            check_membership_answers(members, answers[1::2])

            assert server.delivery.flush(TIMEOUT)
            events = server.live_events.all()
            assert_consecutive(events, 0)
            assert sum(e.name == "group_created" for e in events) == 100
            assert replay(start, events) == memberships_of(server.store, PROJECT_GROUP_IDS)
            assert consumer.received == [e.to_dict() for e in events]
            stats = server.delivery.stats()
            assert (stats["delivered"], stats["failed"], stats["pending"], stats["retries"]) == (
                len(events), 0, 0, 0)
            assert server.problems == []
    finally:
        consumer.close()
