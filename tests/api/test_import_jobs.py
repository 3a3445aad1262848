"""CSV import jobs over HTTP (issue 13, items 2 and 8): a job re-checks its category when it runs,
and a long import does not stop the server from answering other requests.

``POST /group_categories/:id/import`` answers a queued Progress; the job (mockcanvas.store.
category_import) runs in steps of ``Settings.import_chunk_rows`` rows, and under the background
policy the server answers other requests between steps. Every test runs in-process and over the
threaded server (the ``api`` fixture) against the store the server serves, rolled back before each
test. Default world: category 3 (Self Sign-up Teams) has groups 5 (student 14, its leader) and 6;
category 1 (Project Groups) has groups 1-3, and students 14-19 are in none of them.
"""

from __future__ import annotations

import pytest

from mockcanvas.store.category_import import MSG_CATEGORY_DELETED

ADVANCE = "/__mockcanvas__/progress/{}/advance"


def post_csv(api, cat_id, text, token="teacher-token"):
    r = api.post(f"/api/v1/group_categories/{cat_id}/import", data=text.encode(), token=token,
                 headers={"Content-Type": "text/csv"})
    assert r.status == 200, r.text
    return r.json()


def state(store):
    """Every row the import could touch: groups and memberships, as tuples."""
    with store.lock:
        return ({g.id: (g.name, g.group_category_id, g.workflow_state) for g in store.all("groups")},
                {m.id: (m.group_id, m.user_id, m.workflow_state) for m in store.all("memberships")})


@pytest.fixture
def manual(api):
    r = api.put("/__mockcanvas__/progress_policy", json={"policy": "manual"}, token=None)
    assert r.status == 200, r.text


# -- item 2: the target is checked when the job runs ---------------------------------------------

def test_an_import_advanced_after_its_category_was_deleted_fails_and_changes_nothing(api, store, manual):
    queued = post_csv(api, 3, "canvas_user_id,canvas_group_id,group_name\n15,5,\n16,,Fresh Team\n")
    assert queued["workflow_state"] == "queued"
    r = api.delete("/api/v1/group_categories/3")
    assert r.status == 200, r.text
    before, position = state(store), store.live_events.position

    r = api.post(ADVANCE.format(queued["id"]), token=None)
    assert r.status == 200, r.text
    assert (r.json()["workflow_state"], r.json()["message"]) == ("failed", MSG_CATEGORY_DELETED)
    polled = api.get(f"/api/v1/progress/{queued['id']}").json()
    assert (polled["workflow_state"], polled["message"], polled["completion"]) == (
        "failed", MSG_CATEGORY_DELETED, 0)
    # no group restored, none created, no membership, no live event
    assert state(store) == before
    assert store.live_events.since(position) == []
    with store.lock:
        assert {g.workflow_state for g in store.all("groups") if g.group_category_id == 3} == {"deleted"}
    assert api.get("/api/v1/group_categories/3/groups").status == 404


def test_an_import_into_a_live_category_still_restores_and_creates(api, store, manual):
    """The check refuses only a deleted target: group 5 deleted alone is restored by id, as Canvas's
    restore_group does."""
    assert api.delete("/api/v1/groups/5").status == 200
    queued = post_csv(api, 3, "canvas_user_id,canvas_group_id,group_name\n15,5,\n16,,Fresh Team\n")
    r = api.post(ADVANCE.format(queued["id"]), token=None)
    assert (r.json()["workflow_state"], r.json()["message"]) == ("completed", None)
    with store.lock:
        assert store.get("groups", 5).workflow_state == "available"
        fresh = [g for g in store.all("groups") if g.name == "Fresh Team"]
        assert [(g.group_category_id, g.workflow_state) for g in fresh] == [(3, "available")]
        live = {(m.group_id, m.user_id) for m in store.all("memberships") if m.workflow_state == "accepted"}
    assert {(5, 14), (5, 15), (fresh[0].id, 16)} <= live


# -- item 8: a long import does not block the server ---------------------------------------------

def big_csv(rows):
    """``rows`` rows that name no known user (skipped after their group lookup), between a first
    and a last row that move students 14 and 15: the last one shows the job got to the end."""
    lines = ["canvas_user_id,group_name", "14,Project Group 2"]
    lines += ["99999,Project Group 1"] * rows
    lines.append("15,Project Group 3")
    return "\n".join(lines) + "\n"


def test_requests_are_answered_while_a_big_import_runs(api, store):
    with store.lock:
        chunk = store.settings.import_chunk_rows
    rows = 200 * chunk  # 200 steps of work after the check of the file
    queued = post_csv(api, 1, big_csv(rows))
    assert queued["workflow_state"] == "queued"
    # requests made right after: answered while the job is still under way
    group = api.get("/api/v1/groups/1")
    assert group.status == 200 and group.json()["name"] == "Project Group 1"
    mid = api.get(f"/api/v1/progress/{queued['id']}").json()
    assert mid["workflow_state"] in ("queued", "running"), mid
    assert 0 <= mid["completion"] < 100
    # then it ends (each poll also gives the in-process server's loop its turns)
    for _ in range(5000):
        done = api.get(f"/api/v1/progress/{queued['id']}").json()
        if done["workflow_state"] not in ("queued", "running"):
            break
    assert (done["workflow_state"], done["completion"], done["message"]) == ("completed", 100, None)
    with store.lock:
        live = {(m.group_id, m.user_id) for m in store.all("memberships") if m.workflow_state == "accepted"}
    assert {(2, 14), (3, 15)} <= live


def test_the_completion_grows_between_steps(api, store, manual):
    """``manual``: advance runs every step at once; the Progress records each step's completion
    (calculate_completion!), so the steps are visible in its updates."""
    with store.lock:
        chunk = store.settings.import_chunk_rows
    queued = post_csv(api, 1, big_csv(3 * chunk))
    seen = []
    real = store.progress._set

    def spy(p, **fields):
        if "completion" in fields:
            seen.append(fields["completion"])
        return real(p, **fields)

    store.progress._set = spy
    try:
        r = api.post(ADVANCE.format(queued["id"]), token=None)
    finally:
        del store.progress._set
    assert r.json()["workflow_state"] == "completed"
    assert seen[:-1] == sorted(seen[:-1]) and 0 < seen[0] < 100 and len(seen) >= 3, seen
    assert seen[-1] == 100.0


def test_lookups_use_the_indexes_not_a_scan_per_row(api, store, manual):
    """The importer used to scan every group of the world for every row; now a 2,000-row import
    reads the groups table at most once (the category's deleted groups by SIS id)."""
    rows = ["canvas_user_id,group_id,group_name,canvas_group_id"]
    rows += [f"{14 + n % 6},NO-SUCH-SIS-{n},Project Group {1 + n % 3},{n % 9}" for n in range(2000)]
    queued = post_csv(api, 1, "\n".join(rows) + "\n")
    calls = []
    real = store.all

    def counting(table):
        calls.append(table)
        return real(table)

    store.all = counting
    try:
        r = api.post(ADVANCE.format(queued["id"]), token=None)
    finally:
        del store.all
    assert r.json()["workflow_state"] == "completed"
    assert calls.count("groups") <= 1, len(calls)
    with store.lock:
        placed = {m.user_id: m.group_id for m in store.all("memberships")
                  if m.workflow_state == "accepted" and m.group_id in (1, 2, 3)}
    # each student's first row (n = 0..5) wins: canvas_group_id n when it is a group of category 1
    # (1, 2, 3), else the SIS id (never found), else the name "Project Group {1 + n % 3}"
    assert {u: placed[u] for u in range(14, 20)} == {14: 1, 15: 1, 16: 2, 17: 3, 18: 2, 19: 3}
