"""GET /users/:user_id/enrollments (self and others) and GET /accounts/:account_id/enrollments/:id
(canvas-facts-enrollments-sections sections 4.1-4.2)."""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

from mockcanvas.store.enrollments import ROLE_IDS


def listed(api, path, token="student-token", **params):
    r = api.get(path, token=token, params=params)
    assert r.status == 200, r.text
    return [(x["course_id"], x["id"]) for x in r.json()]


def test_self_defaults_to_current_enrollments(api):
    # student 6: courses 1 and 2; course 3 is unpublished (students hidden), course 4 concluded
    assert listed(api, "/api/v1/users/self/enrollments") == [(1, 5), (2, 8)]
    # teacher 2: teachers see their unpublished course
    assert listed(api, "/api/v1/users/self/enrollments", token="teacher-token") == [(1, 1), (2, 7), (3, 22)]


def test_self_state_filters_and_synthetic_states(api):
    path = "/api/v1/users/self/enrollments"
    assert listed(api, path, **{"state[]": "completed"}) == [(4, 25)]
    # with state[] the unpublished course's enrollment is no longer hidden
    assert listed(api, path, **{"state[]": "current_and_concluded"}) == [(1, 5), (2, 8), (3, 23), (4, 25)]
    assert listed(api, path, **{"state[]": "creation_pending"}) == []


@pytest.mark.parametrize("bad", ["bogus", "<script>", "\u00e9t\u00e9"])
def test_self_unknown_state(api, bad):
    r = api.get("/api/v1/users/self/enrollments", token="student-token", params={"state[]": bad})
    assert (r.status, r.json()) == (400, {"error": f"Invalid state {bad}"})


def test_other_users_are_for_admins(api):
    assert listed(api, "/api/v1/users/6/enrollments", token="admin-token") == [(1, 5), (2, 8), (3, 23)]
    assert listed(api, "/api/v1/users/sis_user_id:S-006/enrollments", token="admin-token",
                  **{"type[]": "StudentEnrollment", "per_page": 1})[:1] == [(1, 5)]
    for token in ("teacher-token", "student2-token", "outsider-token"):
        r = api.get("/api/v1/users/6/enrollments", token=token)
        assert (r.status, r.json()) == (401, UNAUTHORIZED)
    r = api.get("/api/v1/users/6/enrollments", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    r = api.get("/api/v1/users/999/enrollments", token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_user_list_pages_and_user_key(api):
    r = api.get("/api/v1/users/self/enrollments", token="student-token", params={"per_page": 1})
    assert list(r.links) == ["current", "next", "first"]
    assert r.json()[0]["user"]["id"] == 6
    r2 = api.get(r.links["next"], token="student-token")
    assert [x["id"] for x in r2.json()] == [8] and list(r2.links) == ["current", "first", "last"]


def test_show_by_account(api, store):
    r = api.get("/api/v1/accounts/1/enrollments/5", token="student-token")
    body = r.json()
    assert r.status == 200 and body["id"] == 5 and "user" not in body and body["role_id"] == ROLE_IDS["StudentEnrollment"]
    assert api.get("/api/v1/accounts/1/enrollments/5.json", token="admin-token").json()["id"] == 5
    assert api.get("/api/v1/accounts/self/enrollments/5", token="admin-token").status == 200
    # the teacher of the course: own only
    r = api.get("/api/v1/accounts/1/enrollments/5", token="teacher-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    # deleted enrollments are found too
    store._update("enrollments", store.get("enrollments", 5), workflow_state="deleted")
    assert api.get("/api/v1/accounts/1/enrollments/5", token="student-token").json()["enrollment_state"] == "deleted"


@pytest.mark.parametrize("path", ["/api/v1/accounts/2/enrollments/5", "/api/v1/accounts/1/enrollments/999",
                                  f"/api/v1/accounts/1/enrollments/{2**64}", "/api/v1/accounts/99/enrollments/5",
                                  "/api/v1/accounts/1/enrollments/sis_x:1"])
def test_show_not_found(api, path):
    r = api.get(path, token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)


# -- the world file's enrollment fields and custom roles ------------------------------------------
WORLD = """
accounts: [{key: root, name: Root U}]
users:
  - {key: t, name: Tess Teacher, tokens: [tess-token]}
  - {key: s, name: Stu Dent}
  - {key: o, name: Ollie Parent, tokens: [ollie-token]}
roles:
  - {key: auditor, id: 10, name: Auditor, base_role_type: student}
  - {key: grader, id: 11, name: Grader, base_role_type: ta, workflow_state: inactive}
courses: [{key: c, id: 1, name: Roles 101, account: root}]
enrollments:
  - {user: t, course: c, type: teacher}
  - {user: s, course: c, type: student, role: auditor, limit_privileges_to_course_section: true,
     start_at: 2020-01-01, end_at: 2030-01-01}
  - {user: o, course: c, type: observer, associated_user: s}
"""


def test_world_file_roles_and_enrollment_fields(tmp_path):
    import mockcanvas

    path = tmp_path / "world.yaml"
    path.write_text(WORLD)
    store = mockcanvas.load_world([path])
    student = next(e for e in store.all("enrollments") if e.type == "StudentEnrollment")
    assert (student.role_id, student.limit_privileges_to_course_section) == (10, True)
    assert store.enrollments.role_of(student) == ("Auditor", 10)
    observer = next(e for e in store.all("enrollments") if e.type == "ObserverEnrollment")
    assert observer.associated_user_id == student.user_id
    assert store.get("roles", 11).workflow_state == "inactive"


@pytest.mark.parametrize("roles,enrollment,message", [
    ("[{key: r, id: 3, name: Low, base_role_type: student}]", "", "ids under 10"),
    ("[{key: r, id: 12, name: TeacherEnrollment, base_role_type: teacher}]", "", "is reserved"),
    ("[{key: r, id: 12, name: Aud, base_role_type: student}]",
     "  - {user: t, course: c, type: teacher, role: r}", "is not a TeacherEnrollment role"),
    ("[]", "  - {user: t, course: c, type: teacher, associated_user: s}", "only observer enrollments"),
])
def test_world_file_errors(tmp_path, roles, enrollment, message):
    import mockcanvas
    from mockcanvas.seed import WorldError

    text = ("accounts: [{key: root, name: Root U}]\nusers: [{key: t, name: T T}, {key: s, name: S S}]\n"
            f"roles: {roles}\ncourses: [{{key: c, name: C, account: root}}]\nenrollments:\n{enrollment or '  - {user: s, course: c}'}\n")
    path = tmp_path / "world.yaml"
    path.write_text(text)
    with pytest.raises(WorldError) as e:
        mockcanvas.load_world([path])
    assert any(message in p for p in e.value.problems), e.value.problems
