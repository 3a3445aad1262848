"""What the submissions area gives the group APIs and the enrollments area, over HTTP:

* ``include[]=group_submissions`` on ``GET /groups/:id/users`` and ``GET /group_categories/:id/users``
  (``GroupCategory#submission_ids_by_user_id``): per user, the ids of their ``submitted``
  submissions of the course's active assignments of the group set; ``null`` for a user with none;
  nothing for account groups and sets; the same answer for every caller who may list the users.
* A student enrolled through the Enrollments API gets the course's rows; one removed loses them.

Default world: group set 1 (Project Groups) of course 1 holds groups 1 (students 6, 8, 9),
2 (7, 10, 11) and 3 (12, 13); set 4 (Communities) belongs to the root account.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

T = datetime(2026, 5, 2, 8, 0, tzinfo=timezone.utc)
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}


def make(store, course_id=1, **fields):
    group = store.assignment_groups.require_default(course_id)
    a = store.insert("assignments", course_id=course_id, assignment_group_id=group.id,
                     **{"workflow_state": "published", "submission_types": "online_url", **fields})
    store.submissions.sync(a)
    return a


def submit(store, a, uid, **more):
    row = store.submissions.for_user(a.id, uid)
    store._update("submissions", row, **{"submission_type": "online_url", "url": "http://x.test", "submitted_at": T,
                                         "attempt": 1, "workflow_state": "submitted", **more})
    return row.id


@pytest.fixture
def world(store):
    """Two group assignments of set 1 (one unpublished: it counts), one plain, one of set 3; students
    6 and 9 submitted group work, 8 nothing, 13's was graded."""
    a = make(store, group_category_id=1)
    b = make(store, group_category_id=1, workflow_state="unpublished")
    plain = make(store)
    teams = make(store, group_category_id=3)
    s = {"6a": submit(store, a, 6), "6b": submit(store, b, 6), "9a": submit(store, a, 9),
         "13a": submit(store, a, 13, score=5.0, grade="5")}
    store._update("submissions", store.get("submissions", s["13a"]), workflow_state="graded")
    submit(store, plain, 8)
    submit(store, teams, 8)
    return {"a": a, "b": b, "plain": plain, "teams": teams, **s}


def by_id(resp):
    return {u["id"]: u for u in resp.json()}


def test_group_users_list_submitted_group_work(api, store, world):
    r = api.get("/api/v1/groups/1/users?include[]=group_submissions")
    assert r.status == 200
    users = by_id(r)
    assert {uid: u["group_submissions"] for uid, u in users.items()} == {
        6: sorted([world["6a"], world["6b"]]), 8: None, 9: [world["9a"]]}
    assert list(users[6])[-1] == "group_submissions"


def test_graded_and_pending_work_is_not_listed(api, store, world):
    r = api.get("/api/v1/groups/3/users?include[]=group_submissions")
    assert {u["id"]: u["group_submissions"] for u in r.json()} == {12: None, 13: None}
    row = store.submissions.for_user(world["a"].id, 12)
    store._update("submissions", row, submission_type="online_quiz", submitted_at=T, attempt=1,
                  workflow_state="pending_review")
    r = api.get("/api/v1/groups/3/users?include[]=group_submissions")
    assert {u["id"]: u["group_submissions"] for u in r.json()} == {12: None, 13: None}


def test_deleted_assignments_and_deleted_rows_drop_out(api, store, world):
    store._update("assignments", world["b"], workflow_state="deleted")
    store._update("submissions", store.get("submissions", world["9a"]), workflow_state="deleted")
    users = by_id(api.get("/api/v1/groups/1/users?include[]=group_submissions"))
    assert (users[6]["group_submissions"], users[9]["group_submissions"]) == ([world["6a"]], None)


def test_without_the_include_there_is_no_key(api, world):
    for path in ("/api/v1/groups/1/users", "/api/v1/groups/1/users?include[]=avatar_url",
                 "/api/v1/group_categories/1/users"):
        r = api.get(path)
        assert r.status == 200 and all("group_submissions" not in u for u in r.json())


def test_with_active_status_the_key_comes_first(api, world):
    r = api.get("/api/v1/groups/1/users?include[]=active_status&include[]=group_submissions")
    u = by_id(r)[6]
    assert list(u)[-2:] == ["group_submissions", "is_inactive"]


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "admin-token", "student-token"])
def test_every_caller_who_may_list_gets_the_same_ids(api, world, token):
    r = api.get("/api/v1/groups/1/users?include[]=group_submissions", token=token)
    assert r.status == 200
    assert by_id(r)[9]["group_submissions"] == [world["9a"]]


@pytest.mark.parametrize("token", ["outsider-token", "student2-token"])
def test_who_may_not_list_the_group_gets_401(api, world, token):
    r = api.get("/api/v1/groups/1/users?include[]=group_submissions", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_account_groups_get_no_key(api, world):
    r = api.get("/api/v1/groups/7/users?include[]=group_submissions", token="admin-token")
    assert r.status == 200 and r.json()
    assert all("group_submissions" not in u for u in r.json())
    r = api.get("/api/v1/group_categories/4/users?include[]=group_submissions", token="admin-token")
    assert r.status == 200 and all("group_submissions" not in u for u in r.json())


def test_a_group_without_group_assignments_lists_nulls(api, world):
    r = api.get("/api/v1/groups/4/users?include[]=group_submissions")  # set 2: no assignment
    assert r.status == 200 and {u["group_submissions"] for u in r.json()} == {None}


def test_group_users_pages_keep_the_include(api, store, world):
    r = api.get("/api/v1/groups/1/users?include[]=group_submissions&per_page=2")
    assert r.status == 200 and len(r.json()) == 2
    base = f"{api.base_url}/api/v1/groups/1/users"
    assert r.links["next"] == f"{base}?include%5B%5D=group_submissions&page=2&per_page=2"
    rest = api.get(r.links["next"])
    seen = {**by_id(r), **by_id(rest)}
    assert {uid: u["group_submissions"] for uid, u in seen.items()} == {
        6: sorted([world["6a"], world["6b"]]), 8: None, 9: [world["9a"]]}


def test_category_users_list_submitted_group_work(api, world):
    r = api.get("/api/v1/group_categories/1/users?include[]=group_submissions&per_page=50")
    assert r.status == 200
    got = {u["id"]: u["group_submissions"] for u in r.json()}
    assert set(got) == {6, 7, *range(8, 20)}
    assert got[6] == sorted([world["6a"], world["6b"]]) and got[9] == [world["9a"]]
    assert {uid for uid, ids in got.items() if ids is not None} == {6, 9}  # 8's work is not the set's
    teams = {u["id"]: u["group_submissions"] for u in
             api.get("/api/v1/group_categories/3/users?include[]=group_submissions&per_page=50").json()}
    assert {uid for uid, ids in teams.items() if ids is not None} == {8}


def test_category_users_unassigned_and_search_keep_the_include(api, world):
    r = api.get("/api/v1/group_categories/1/users?include[]=group_submissions&unassigned=true&per_page=50")
    got = {u["id"]: u["group_submissions"] for u in r.json()}
    assert set(got) == set(range(14, 20)) and set(got.values()) == {None}
    r = api.get("/api/v1/group_categories/1/users?include[]=group_submissions&search_term=S-009")
    assert [(u["id"], u["group_submissions"]) for u in r.json()] == [(9, [world["9a"]])]


def test_category_users_permissions(api, world):
    assert api.get("/api/v1/group_categories/1/users?include[]=group_submissions", token="outsider-token").status \
        == 401
    r = api.get("/api/v1/group_categories/1/users?include[]=group_submissions&per_page=50", token="student-token")
    assert r.status == 200 and by_id(r)[9]["group_submissions"] == [world["9a"]]


def test_hostile_include_values_change_nothing(api, world):
    r = api.get("/api/v1/groups/1/users?include[]=group_submissions%00&include[]=GROUP_SUBMISSIONS")
    assert r.status == 200 and all("group_submissions" not in u for u in r.json())


# -- the enrollments area's hook ------------------------------------------------------------------

def test_a_student_enrolled_over_http_gets_the_rows(api, store, world):
    store.live_events.clear()
    r = api.post("/api/v1/courses/1/enrollments", data={"enrollment[user_id]": "20",
                                                        "enrollment[type]": "StudentEnrollment"})
    assert r.status == 200
    for key in ("a", "b", "plain", "teams"):
        row = store.submissions.for_user(world[key].id, 20)
        assert row is not None and row.workflow_state == "unsubmitted"
    assert not [e for e in store.live_events.all() if e.name.startswith("submission")]
    eid = r.json()["id"]
    gone = api.delete(f"/api/v1/courses/1/enrollments/{eid}?task=delete")
    assert gone.status == 200
    assert store.submissions.for_user(world["a"].id, 20) is None


def test_a_teacher_enrolled_over_http_gets_none(api, store, world):
    r = api.post("/api/v1/courses/1/enrollments", data={"enrollment[user_id]": "20",
                                                        "enrollment[type]": "TeacherEnrollment"})
    assert r.status == 200
    assert store.submissions.for_user(world["a"].id, 20) is None
