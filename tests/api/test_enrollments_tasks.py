"""DELETE /courses/:id/enrollments/:id (conclude, delete, inactivate/deactivate), PUT .../reactivate,
POST .../accept and .../reject (canvas-facts-enrollments-sections sections 4.4-4.7), and what a
changed enrollment takes away from the routes built before (courses, course users, groups)."""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHORIZED

E = "/api/v1/courses/1/enrollments"


def state(store, eid):
    return store.get("enrollments", eid).workflow_state


@pytest.mark.parametrize("kw,expected", [
    ({}, "completed"), ({"params": {"task": "conclude"}}, "completed"), ({"params": {"task": "bogus"}}, "completed"),
    ({"params": {"task": "delete"}}, "deleted"), ({"data": {"task": "delete"}}, "deleted"),
    ({"params": {"task": "inactivate"}}, "inactive"), ({"data": {"task": "deactivate"}}, "inactive"),
])
def test_tasks(api, store, kw, expected):
    r = api.delete(f"{E}/6", **kw)
    assert r.status == 200
    body = r.json()
    assert (body["id"], body["enrollment_state"]) == (6, expected) and "user" not in body
    assert state(store, 6) == expected
    if expected == "completed":
        assert store.get("enrollments", 6).completed_at is not None


def test_deleted_or_foreign_enrollments_are_404(api, store):
    api.delete(f"{E}/6", params={"task": "delete"})
    for path in (f"{E}/6", f"{E}/7", f"{E}/999", f"{E}/{2**64}", f"{E}/abc"):
        r = api.delete(path)
        assert (r.status, r.json()) == (404, NOT_FOUND), path
    assert state(store, 7) == "active"


def test_teacher_may_conclude_but_not_delete_their_own(api, store):
    for task in ("delete", "deactivate"):
        r = api.delete(f"{E}/1", params={"task": task})
        assert (r.status, r.json()) == (401, UNAUTHORIZED)
        assert state(store, 1) == "active" and store.live_events.all() == []
    assert api.delete(f"{E}/1").json()["enrollment_state"] == "completed"


@pytest.mark.parametrize("token,eid,task,allowed", [
    ("admin-token", 1, "delete", True), ("teacher-token", 2, "delete", True),
    ("ta-token", 5, "conclude", True), ("ta-token", 5, "delete", True), ("ta-token", 4, "deactivate", True),
    ("ta-token", 1, "conclude", False), ("ta-token", 3, "delete", False),
    ("designer-token", 5, "conclude", True), ("designer-token", 2, "conclude", False),
    ("student-token", 6, "conclude", False), ("student-token", 5, "delete", False),
    ("observer-token", 5, "conclude", False), ("outsider-token", 5, "conclude", False),
])
def test_role_matrix(api, store, token, eid, task, allowed):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)
    before = state(store, eid)
    r = api.delete(f"{E}/{eid}", token=token, params={"task": task})
    if allowed:
        assert r.status == 200
    else:
        assert (r.status, r.json()) == (401, UNAUTHORIZED)
        assert state(store, eid) == before and store.live_events.all() == []


def test_reactivate(api, store):
    r = api.put(f"{E}/6/reactivate")
    assert (r.status, r.json()) == (400, {"error": "enrollment not inactive"})
    api.delete(f"{E}/6", params={"task": "inactivate"})
    r = api.put(f"{E}/6/reactivate", token="student-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    r = api.put(f"{E}/6/reactivate")
    assert (r.status, r.json()["enrollment_state"]) == (200, "active")
    assert api.put(f"{E}/999/reactivate").status == 404


def invite(store, eid, **kw):
    store._update("enrollments", store.get("enrollments", eid), workflow_state="invited", **kw)
    store.live_events.clear()


def test_accept_and_reject(api, store):
    invite(store, 5)
    r = api.post(f"{E}/5/accept", token="teacher-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    r = api.post(f"{E}/5/accept", token="admin-token")
    assert r.status == 401 and state(store, 5) == "invited"
    r = api.post(f"{E}/5/reject", token="student-token")
    assert (r.status, r.json(), state(store, 5)) == (200, {"success": True}, "rejected")
    assert api.post(f"{E}/5/reject", token="student-token").json() == {"success": True}
    # reject, then accept: through invited to active
    r = api.post(f"{E}/5/accept", token="student-token")
    assert (r.status, r.json(), state(store, 5)) == (200, {"success": True}, "active")
    assert api.post(f"{E}/5/accept", token="student-token").json() == {"success": True}


@pytest.mark.parametrize("setup,error", [
    ({"workflow_state": "inactive"}, "membership not activated"),
    ({"workflow_state": "invited", "self_enrolled": True}, "self enroll"),
    ({"workflow_state": "creation_pending"}, "no current invitation"),
    ({"workflow_state": "completed"}, "no current invitation"),
])
def test_accept_refusals(api, store, setup, error):
    store._update("enrollments", store.get("enrollments", 5), **setup)
    store.live_events.clear()
    for action in ("accept", "reject"):
        r = api.post(f"{E}/5/{action}", token="student-token")
        assert (r.status, r.json()) == (400, {"error": error})
    assert state(store, 5) == setup["workflow_state"] and store.live_events.all() == []


def test_a_concluded_student_loses_the_course_and_its_groups(api, store):
    assert api.get("/api/v1/groups/1", token="student-token").status == 200
    api.delete(f"{E}/5", params={"task": "inactivate"})
    # inactive: no course, no group rights, not in the course users list
    assert 1 not in [c["id"] for c in api.get("/api/v1/courses", token="student-token").json()]
    assert api.get("/api/v1/courses/1", token="student-token").status == 401
    assert api.get("/api/v1/groups/1", token="student-token").status == 401
    users = api.get("/api/v1/courses/1/users", params={"per_page": 100}).json()
    assert 6 not in [u["id"] for u in users]
    # reactivated: all of it back
    api.put(f"{E}/5/reactivate")
    assert 1 in [c["id"] for c in api.get("/api/v1/courses", token="student-token").json()]
    assert api.get("/api/v1/courses/1", token="student-token").status == 200
    assert api.get("/api/v1/groups/1", token="student-token").status == 200
    assert 6 in [u["id"] for u in api.get("/api/v1/courses/1/users", params={"per_page": 100}).json()]


def test_deleting_a_student_removes_their_group_memberships(api, store):
    api.delete(f"{E}/5", params={"task": "delete"})
    assert api.get("/api/v1/courses/1", token="student-token").status == 401
    members = [u["id"] for u in api.get("/api/v1/groups/1/users").json()]
    assert 6 not in members
    assert [e.name for e in store.live_events.all()] == [
        "enrollment_updated", "enrollment_state_updated", "group_membership_updated"]


def test_concluding_takes_the_course_off_the_current_list(api, store):
    api.delete(f"{E}/6")
    assert 1 not in [c["id"] for c in api.get("/api/v1/courses", token="student2-token").json()]
    r = api.get("/api/v1/courses", token="student2-token", params={"enrollment_state": "completed"})
    assert r.status == 200
