"""The Progress API and the mock's job policies over HTTP: ProgressController#show and #cancel,
progress_json, and ``/__mockcanvas__/progress_policy`` / ``/__mockcanvas__/progress/:id/advance``
(canvas-facts sections 3 progress_json, 4 ProgressController and assign_unassigned_members, 5).

The jobs are the ones Canvas runs asynchronously for group categories: assigning unassigned
students (``POST /group_categories/:id/assign_unassigned_members``) and CSV import. In the default
world, category 1 (Project Groups) has students 14-19 in no group; assigning them adds 6
memberships. The creating call answers a ``queued`` progress (a real Canvas 2025, canvas-facts
Corrections 6); it turns ``running`` when its job starts. Jobs created from Python
(``store.progress.start``) are not scheduled by any request, so they stay ``queued`` until something
runs them.

Every test runs in-process and over the threaded server (the ``api`` fixture), against the store
the server serves (``store``), rolled back before each test.
"""

from __future__ import annotations

import re
import time

import pytest

from mockcanvas.store.progress import POLICIES

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
PROGRESS_KEYS = {"id", "context_id", "context_type", "user_id", "tag", "completion", "workflow_state",
                 "created_at", "updated_at", "message", "url"}
TIMESTAMP = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
PROJECTS = 1  # category "Project Groups" of course 1
TEAMS = 3  # "Self Sign-up Teams": self_signup enabled, group_limit 3
PROJECT_MEMBERS = {6: 1, 8: 1, 9: 1, 7: 2, 10: 2, 11: 2, 12: 3, 13: 3}  # user -> group
UNASSIGNED = set(range(14, 20))
ASSIGN = f"/api/v1/group_categories/{PROJECTS}/assign_unassigned_members"
POLICY = "/__mockcanvas__/progress_policy"


# -- helpers ----------------------------------------------------------------------------------
def category_members(store, category_id):
    """{user_id: group_id} of the accepted memberships in the category's live groups."""
    with store.lock:
        groups = {g.id for g in store.all("groups")
                  if g.group_category_id == category_id and g.workflow_state != "deleted"}
        return {m.user_id: m.group_id for m in store.all("memberships")
                if m.group_id in groups and m.workflow_state == "accepted"}


def membership_ids(store):
    with store.lock:
        return set(store.rows["memberships"])


def progress_row(store, pid):
    with store.lock:
        p = store.get("progresses", pid)
        return None if p is None else (p.workflow_state, p.completion, p.message, p.results)


def start_assignment(api, token="teacher-token"):
    r = api.post(ASSIGN, token=token)
    assert r.status == 200, r.text
    body = r.json()
    assert (body["tag"], body["context_type"], body["context_id"]) == ("assign_unassigned_members",
                                                                       "GroupCategory", PROJECTS)
    return body


def poll(api, pid, token="teacher-token"):
    r = api.get(f"/api/v1/progress/{pid}", token=token)
    assert r.status == 200, r.text
    return r.json()


def advance(api, pid):
    r = api.post(f"/__mockcanvas__/progress/{pid}/advance", token=None)
    assert r.status == 200, r.text
    return r.json()


def set_policy(api, policy):
    r = api.put(POLICY, json={"policy": policy}, token=None)
    assert (r.status, r.json()) == (200, {"policy": policy}), r.text


def get_policy(api):
    r = api.get(POLICY, token=None)
    assert r.status == 200
    body = r.json()
    assert body["policies"] == list(POLICIES)
    return body["policy"]


def assert_assigned(store):
    members = category_members(store, PROJECTS)
    assert set(members) == set(PROJECT_MEMBERS) | UNASSIGNED
    assert {u: g for u, g in members.items() if u in PROJECT_MEMBERS} == PROJECT_MEMBERS  # nobody moved
    sizes = sorted(list(members.values()).count(g) for g in (1, 2, 3))
    assert sizes == [4, 5, 5]  # 3, 3, 2 plus 6, the smallest group first


def assert_not_assigned(store):
    assert category_members(store, PROJECTS) == PROJECT_MEMBERS


def make_job(store, calls, *, fail=None):
    """A job that adds student 14 to Project Group 1 and renames that group, then maybe raises."""

    def job(progress):
        calls.append(progress.id)
        now = store.now()
        store.insert("memberships", group_id=1, user_id=14, workflow_state="accepted",
                     created_at=now, updated_at=now)
        store._update("groups", store.get("groups", 1), name="Half Done")
        if fail is not None:
            raise fail
        return {"done": True}

    return job


# -- progress_json ----------------------------------------------------------------------------
def test_progress_json_while_queued_and_when_completed(api, store):
    store.progress.set_policy("manual")
    created = start_assignment(api)
    assert set(created) == PROGRESS_KEYS  # no results while pending
    pid = created["id"]
    assert isinstance(pid, int)
    assert created == {
        "id": pid, "context_id": PROJECTS, "context_type": "GroupCategory", "user_id": None,
        "tag": "assign_unassigned_members", "completion": 0, "workflow_state": "queued",
        "created_at": created["created_at"], "updated_at": created["updated_at"], "message": None,
        "url": f"{api.base_url}/api/v1/progress/{pid}",
    }
    assert TIMESTAMP.match(created["created_at"]) and TIMESTAMP.match(created["updated_at"])

    polled = poll(api, pid)
    assert polled == created  # a poll under "manual" changes nothing
    assert_not_assigned(store)

    # while pending the category shows it (includes[]=progress_url is always on for show)
    cat = api.get(f"/api/v1/group_categories/{PROJECTS}").json()
    assert cat["progress"] == created

    done = advance(api, pid)
    assert set(done) == PROGRESS_KEYS | {"results"}
    assert (done["workflow_state"], done["completion"], done["message"]) == ("completed", 100, None)
    assert done["results"] == {"assigned": 6}
    assert (done["id"], done["url"], done["created_at"]) == (pid, created["url"], created["created_at"])
    assert TIMESTAMP.match(done["updated_at"]) and done["updated_at"] >= created["updated_at"]
    assert poll(api, pid) == done
    assert_assigned(store)
    assert "progress" not in api.get(f"/api/v1/group_categories/{PROJECTS}").json()


def test_completed_job_without_results_has_no_results_key(api, store):
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test", lambda progress: None)
    body = poll(api, p.id)  # background: the poll runs the job
    assert (body["workflow_state"], body["completion"], body["tag"]) == ("completed", 100, "test")
    assert set(body) == PROGRESS_KEYS


# -- the policies -----------------------------------------------------------------------------
def test_immediate_policy_answers_completed(api, store):
    set_policy(api, "immediate")
    assert get_policy(api) == "immediate"
    before = membership_ids(store)
    created = start_assignment(api)
    assert (created["workflow_state"], created["completion"], created["results"]) == ("completed", 100,
                                                                                      {"assigned": 6})
    assert progress_row(store, created["id"]) == ("completed", 100.0, None, {"assigned": 6})
    assert len(membership_ids(store) - before) == 6
    assert_assigned(store)
    assert poll(api, created["id"]) == created


def test_manual_policy_waits_for_advance(api, store):
    set_policy(api, "manual")
    assert store.progress.policy == "manual"
    created = start_assignment(api)
    assert created["workflow_state"] == "queued"
    for _ in range(4):  # no worker picks it up: it stays queued
        assert poll(api, created["id"])["workflow_state"] == "queued"
    assert_not_assigned(store)
    assert progress_row(store, created["id"])[0] == "queued"

    done = advance(api, created["id"])
    assert (done["workflow_state"], done["completion"]) == ("completed", 100)
    assert poll(api, created["id"])["workflow_state"] == "completed"
    assert_assigned(store)
    after = membership_ids(store)
    assert advance(api, created["id"]) == done  # advancing a finished job changes nothing
    assert membership_ids(store) == after


def test_polls_policy_completes_on_the_nth_poll(api, store):
    set_policy(api, "polls:3")
    created = start_assignment(api)
    assert created["workflow_state"] == "queued"
    # a refused poll is not counted
    assert api.get(f"/api/v1/progress/{created['id']}", token="outsider-token").status == 401
    assert progress_row(store, created["id"])[0] == "queued"
    # the first read starts the job (running), the third ends it
    assert poll(api, created["id"])["workflow_state"] == "running"
    assert poll(api, created["id"], token="student-token")["workflow_state"] == "running"
    assert_not_assigned(store)
    third = poll(api, created["id"])
    assert (third["workflow_state"], third["completion"], third["results"]) == ("completed", 100,
                                                                                {"assigned": 6})
    assert_assigned(store)


def test_fail_policy_fails_at_the_first_poll_and_changes_nothing(api, store):
    set_policy(api, "fail:boom")
    groups_before = {g.id: (g.name, g.workflow_state) for g in store.all("groups")}
    members_before = membership_ids(store)
    created = start_assignment(api)
    assert (created["workflow_state"], created["message"]) == ("queued", None)
    failed = poll(api, created["id"])
    assert (failed["workflow_state"], failed["message"], failed["completion"]) == ("failed", "boom", 0)
    assert "results" not in failed
    assert poll(api, created["id"]) == failed
    assert membership_ids(store) == members_before
    assert_not_assigned(store)
    assert {g.id: (g.name, g.workflow_state) for g in store.all("groups")} == groups_before

    # advancing fails the same way
    other = api.post(f"/api/v1/group_categories/{TEAMS}/assign_unassigned_members").json()
    advanced = advance(api, other["id"])
    assert (advanced["workflow_state"], advanced["message"]) == ("failed", "boom")
    assert membership_ids(store) == members_before


def test_background_policy_completes_without_another_request(api, store):
    assert get_policy(api) == "background"
    created = start_assignment(api)
    assert created["workflow_state"] == "queued"  # the creating call answers before the job runs
    deadline = time.monotonic() + 2.0
    while progress_row(store, created["id"])[0] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert progress_row(store, created["id"]) == ("completed", 100.0, None, {"assigned": 6})
    assert_assigned(store)
    polled = poll(api, created["id"])
    assert (polled["workflow_state"], polled["results"]) == ("completed", {"assigned": 6})


def test_background_poll_runs_a_job_nobody_scheduled(api, store):
    calls = []
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test", make_job(store, calls))
    assert progress_row(store, p.id)[0] == "queued"
    assert calls == []
    body = poll(api, p.id)
    assert (body["workflow_state"], body["results"]) == ("completed", {"done": True})
    assert calls == [p.id]
    assert category_members(store, PROJECTS)[14] == 1
    assert poll(api, p.id) == body and calls == [p.id]  # the job ran once


# -- setting the policy -----------------------------------------------------------------------
def test_policy_set_from_python_is_seen_over_http(api, store):
    store.progress.set_policy("polls:2")
    assert get_policy(api) == "polls:2"
    created = start_assignment(api)
    assert poll(api, created["id"])["workflow_state"] == "running"
    assert poll(api, created["id"])["workflow_state"] == "completed"
    with pytest.raises(ValueError, match="unknown progress policy 'sometimes'"):
        store.progress.set_policy("sometimes")
    assert store.progress.policy == "polls:2"


def test_policy_set_with_a_form(api, store):
    r = api.put(POLICY, data={"policy": "manual"}, token=None)
    assert (r.status, r.json()) == (200, {"policy": "manual"})
    assert store.progress.policy == "manual"
    r = api.post(POLICY, json={"policy": "immediate"}, token=None)
    assert (r.status, r.json()) == (200, {"policy": "immediate"})
    assert get_policy(api) == "immediate"


@pytest.mark.parametrize("policy", ["bogus", "polls:0", "polls:x", "polls", "manual:1", "", None])
def test_unknown_policy_is_400(api, store, policy):
    set_policy(api, "manual")
    r = api.put(POLICY, json={"policy": policy} if policy is not None else {}, token=None)
    assert r.status == 400
    assert r.json() == {"error": f"unknown progress policy {str(policy)!r}; one of: "
                                 "background, immediate, manual, polls:N, fail:MESSAGE"}
    assert get_policy(api) == "manual"
    assert store.progress.policy == "manual"


def test_reset_restores_the_default_policy_and_forgets_jobs(api, store):
    set_policy(api, "manual")
    created = start_assignment(api)
    r = api.post("/__mockcanvas__/reset", token=None)
    assert r.status == 200
    assert get_policy(api) == "background"
    assert store.progress.policy == "background"
    r = api.get(f"/api/v1/progress/{created['id']}")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    assert_not_assigned(store)


def test_rollback_restores_the_default_policy(api, store):
    store.progress.set_policy("fail:later")
    with store.lock:
        store.rollback()  # what the fixtures do before each test
    assert get_policy(api) == "background"


def test_a_test_that_leaves_a_policy_behind(api, store):
    set_policy(api, "fail:left behind")
    assert store.progress.policy == "fail:left behind"


def test_the_next_test_starts_with_the_default_policy(api, store):
    # runs after test_a_test_that_leaves_a_policy_behind (file order), in both api modes
    assert store.progress.policy == "background"
    assert get_policy(api) == "background"


# -- failing jobs -----------------------------------------------------------------------------
def test_a_job_that_raises_fails_and_undoes_its_changes(api, store):
    with store.lock:
        members_before = set(store.rows["memberships"])
        name_before = store.get("groups", 1).name
    calls = []
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test",
                                 make_job(store, calls, fail=RuntimeError("half way through")))
    body = poll(api, p.id)
    assert calls == [p.id]  # it ran, inserted and renamed, then raised
    assert (body["workflow_state"], body["message"], body["completion"]) == ("failed", "half way through", 0)
    assert "results" not in body
    with store.lock:
        assert set(store.rows["memberships"]) == members_before
        assert store.get("groups", 1).name == name_before
        assert store.memberships.of_pair(1, 14) is None
    assert_not_assigned(store)
    assert api.get("/api/v1/groups/1").json()["name"] == name_before


def test_a_job_that_raises_under_immediate_fails_in_the_creating_call(api, store):
    store.progress.set_policy("immediate")
    calls = []
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test", make_job(store, calls, fail=ValueError("nope")))
    assert calls == [p.id]
    assert progress_row(store, p.id) == ("failed", 0.0, "nope", None)
    assert_not_assigned(store)
    assert poll(api, p.id)["message"] == "nope"


@pytest.mark.parametrize("body, headers, message", [
    (b"canvas_user_id,group_name\n14,Project Group 1\n\xff\xfe\n", {"Content-Type": "text/csv"}, "Invalid UTF-8"),
    (b'canvas_user_id,group_name\n14,"Project Group 1\n', {"Content-Type": "text/csv"}, "Malformed CSV"),
], ids=["invalid-utf8", "malformed"])
def test_import_of_a_bad_csv_fails_and_changes_nothing(api, store, body, headers, message):
    members_before = membership_ids(store)
    groups_before = set(store.rows["groups"])
    r = api.post(f"/api/v1/group_categories/{PROJECTS}/import", data=body, headers=headers)
    assert r.status == 200, r.text
    created = r.json()
    assert (created["tag"], created["context_type"], created["context_id"], created["user_id"],
            created["completion"]) == ("course_group_import", "GroupCategory", PROJECTS, None, 0)
    failed = poll(api, created["id"])
    assert (failed["workflow_state"], failed["message"]) == ("failed", message)
    assert membership_ids(store) == members_before
    assert set(store.rows["groups"]) == groups_before
    assert_not_assigned(store)


def test_import_of_a_good_csv_completes(api, store):
    """The counterpart of the bad-CSV cases: the same request with a readable file moves student 14."""
    r = api.post(f"/api/v1/group_categories/{PROJECTS}/import",
                 data=b"canvas_user_id,group_name\n14,Project Group 1\n", headers={"Content-Type": "text/csv"})
    done = poll(api, r.json()["id"])
    assert (done["workflow_state"], done["results"]) == ("completed", {"memberships_added": 1})
    assert category_members(store, PROJECTS)[14] == 1


# -- show: not found and rights ---------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/progress/999", "/api/v1/progress/abc"])
def test_unknown_progress_is_404(api, path):
    r = api.get(path)
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_unknown_progress_cancel_and_advance_are_404(api):
    r = api.post("/api/v1/progress/999/cancel")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    r = api.post("/__mockcanvas__/progress/999/advance", token=None)
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_who_may_read_a_category_progress(api, store):
    store.progress.set_policy("manual")
    created = start_assignment(api)
    pid = created["id"]
    assert poll(api, pid, token="student-token") == created  # read on the course is enough
    assert poll(api, pid, token="student2-token") == created
    assert poll(api, pid, token="admin-token") == created
    r = api.get(f"/api/v1/progress/{pid}", token="outsider-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    assert "WWW-Authenticate" not in r.headers
    r = api.get(f"/api/v1/progress/{pid}", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'


def test_an_account_category_progress_is_read_by_the_account_admin(api, store):
    store.progress.set_policy("manual")
    r = api.post("/api/v1/group_categories/5/assign_unassigned_members", token="admin-token")
    assert r.status == 200, r.text
    body = poll(api, r.json()["id"], token="admin-token")
    assert (body["context_type"], body["context_id"], body["workflow_state"]) == ("GroupCategory", 5, "queued")


def test_a_user_progress_is_read_only_by_that_user(api, store):
    with store.lock:
        p = store.progress.start("User", 6, "test", lambda progress: None)
    store.progress.set_policy("manual")
    assert poll(api, p.id, token="student-token")["context_type"] == "User"
    r = api.get(f"/api/v1/progress/{p.id}", token="student2-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)


# -- cancel -----------------------------------------------------------------------------------
def test_nobody_may_cancel_a_category_progress(api, store):
    store.progress.set_policy("manual")
    created = start_assignment(api)
    for token in ("teacher-token", "admin-token", "student-token"):
        r = api.post(f"/api/v1/progress/{created['id']}/cancel", token=token, data={"message": "stop"})
        assert (r.status, r.json()) == (401, UNAUTHORIZED), token
    assert progress_row(store, created["id"]) == ("queued", 0.0, None, None)
    assert advance(api, created["id"])["workflow_state"] == "completed"  # still runnable


def test_owner_cancels_a_pending_progress(api, store):
    store.progress.set_policy("manual")
    calls = []
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test", make_job(store, calls), user_id=2)
    members_before = membership_ids(store)
    r = api.post(f"/api/v1/progress/{p.id}/cancel", token="student-token", data={"message": "mine now"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    assert progress_row(store, p.id)[0] == "queued"

    r = api.post(f"/api/v1/progress/{p.id}/cancel", data={"message": "changed my mind"})
    assert r.status == 200, r.text
    body = r.json()
    assert (body["id"], body["user_id"], body["workflow_state"], body["message"], body["completion"]) == (
        p.id, 2, "failed", "changed my mind", 0)
    assert set(body) == PROGRESS_KEYS
    assert poll(api, p.id) == body
    assert advance(api, p.id)["workflow_state"] == "failed"  # the job is gone
    assert calls == []
    assert membership_ids(store) == members_before


def test_cancel_without_a_message(api, store):
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test", lambda progress: None, user_id=2)
    r = api.post(f"/api/v1/progress/{p.id}/cancel")
    assert r.status == 200
    assert (r.json()["workflow_state"], r.json()["message"]) == ("failed", None)


def test_cancelling_a_completed_progress_leaves_it_completed(api, store):
    store.progress.set_policy("immediate")
    calls = []
    with store.lock:
        p = store.progress.start("GroupCategory", PROJECTS, "test", make_job(store, calls), user_id=2)
    assert calls == [p.id]
    r = api.post(f"/api/v1/progress/{p.id}/cancel", data={"message": "too late"})
    assert r.status == 200
    body = r.json()
    assert (body["workflow_state"], body["completion"], body["message"], body["results"]) == (
        "completed", 100, None, {"done": True})
    assert progress_row(store, p.id) == ("completed", 100.0, None, {"done": True})
