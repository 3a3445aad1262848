"""POST /courses/:id/enrollments and /sections/:id/enrollments (EnrollmentsApiController#create,
canvas-facts-enrollments-sections section 4.3): parameters, errors in Canvas's order, reuse,
default states, the role matrix; every refusal changes nothing and records no live event."""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHORIZED

from mockcanvas.store.enrollments import Role

POST = "/api/v1/courses/1/enrollments"
NO_USER = ("Can't create an enrollment without a user. Include enrollment[user_id] to create an "
           "enrollment")


def snapshot(store):
    return {e.id: (e.workflow_state, e.course_section_id, e.limit_privileges_to_course_section)
            for e in store.all("enrollments")}


@pytest.fixture
def unchanged(store):
    """Asserts after the test that nothing changed in the enrollments and no event was recorded."""
    before = snapshot(store)
    yield
    assert snapshot(store) == before
    assert store.live_events.all() == []


def enroll(api, data, token="teacher-token", path=POST):
    return api.post(path, token=token, data={f"enrollment[{k}]": v for k, v in data.items()})


def test_enroll_a_student_answers_enrollment_json(api, store):
    r = enroll(api, {"user_id": "20", "type": "StudentEnrollment", "enrollment_state": "active"})
    assert r.status == 200
    body = r.json()
    e = store.get("enrollments", body["id"])
    assert (e.user_id, e.course_id, e.course_section_id, e.workflow_state) == (20, 1, 1, "active")
    assert list(body)[:15] == ["id", "user_id", "course_id", "type", "created_at", "updated_at",
                               "associated_user_id", "start_at", "end_at", "course_section_id", "root_account_id",
                               "limit_privileges_to_course_section", "enrollment_state", "role", "role_id"]
    assert "user" not in body and body["enrollment_state"] == "active" and body["role_id"] == 4
    assert body["grades"]["html_url"] == f"{api.base_url}/courses/1/grades/20"
    listed = api.get(POST, params={"user_id": "20"}).json()
    assert [x["id"] for x in listed] == [body["id"]]


def test_every_parameter(api, store):
    r = enroll(api, {"user_id": "sis_login_id:outsider", "type": "TaEnrollment", "course_section_id": "sis_section_id:MOCK101-B",
                     "limit_privileges_to_course_section": "1", "start_at": "2026-01-01T00:00:00",
                     "end_at": "2027-01-01T10:00:00Z", "notify": "true"}, token="admin-token")
    body = r.json()
    assert (r.status, body["type"], body["course_section_id"], body["limit_privileges_to_course_section"]) == \
        (200, "TaEnrollment", 2, True)
    assert (body["start_at"], body["end_at"], body["enrollment_state"]) == \
        ("2026-01-01T00:00:00Z", "2027-01-01T10:00:00Z", "invited")


def test_default_states_by_course_and_type(api, store):
    # published course: invited; a registered observer: active
    assert enroll(api, {"user_id": "20"}).json()["enrollment_state"] == "invited"
    assert enroll(api, {"user_id": "20", "type": "ObserverEnrollment"}).json()["enrollment_state"] == "active"
    # unpublished course 3: students creation_pending even when invited is asked, teachers invited
    path = "/api/v1/courses/3/enrollments"
    assert enroll(api, {"user_id": "7", "enrollment_state": "invited"}, path=path).json()["enrollment_state"] == \
        "creation_pending"
    assert enroll(api, {"user_id": "3", "type": "TeacherEnrollment"}, path=path).json()["enrollment_state"] == "invited"
    assert enroll(api, {"user_id": "8", "enrollment_state": "inactive"}, path=path).json()["enrollment_state"] == \
        "inactive"


def test_reuse_gives_the_same_enrollment_and_revives_a_deleted_one(api, store):
    first = enroll(api, {"user_id": "20", "limit_privileges_to_course_section": "true"}).json()
    again = enroll(api, {"user_id": "20", "enrollment_state": "active"}).json()
    assert again["id"] == first["id"]
    # not active: the requested state; the flag reset by a re-post without it
    assert (again["enrollment_state"], again["limit_privileges_to_course_section"]) == ("active", False)
    assert enroll(api, {"user_id": "20", "enrollment_state": "invited"}).json()["enrollment_state"] == "active"
    assert api.delete(f"{POST}/{first['id']}", params={"task": "delete"}).json()["enrollment_state"] == "deleted"
    revived = enroll(api, {"user_id": "20", "enrollment_state": "active"}).json()
    assert (revived["id"], revived["enrollment_state"]) == (first["id"], "active")
    # another section: a second enrollment
    other = enroll(api, {"user_id": "20", "course_section_id": "2"}).json()
    assert other["id"] != first["id"] and other["course_section_id"] == 2


def test_section_route_ignores_course_section_id(api, store):
    r = enroll(api, {"user_id": "20", "course_section_id": "1"}, path="/api/v1/sections/2/enrollments")
    assert (r.status, r.json()["course_section_id"], r.json()["course_id"]) == (200, 2, 1)


def test_custom_role(api, store):
    store.insert("roles", id=10, name="Auditor", base_role_type="StudentEnrollment", account_id=1)
    r = enroll(api, {"user_id": "20", "role_id": "10"})
    body = r.json()
    assert (r.status, body["type"], body["role"], body["role_id"]) == (200, "StudentEnrollment", "Auditor", 10)
    r = api.get(POST, params={"role[]": "Auditor"})
    assert [x["id"] for x in r.json()] == [body["id"]]
    assert isinstance(store.get("roles", 10), Role)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("data,message", [
    ({}, "No parameters given"),
    ({"type": "PandaEnrollment"}, f"Invalid type, {NO_USER}"),
    ({"user_id": "20", "type": "StudentViewEnrollment"}, "Invalid type"),
    ({"user_id": "20", "role_id": "99"}, "Invalid role"),
    ({"user_id": "20", "role_id": str(2**64)}, "Invalid role"),
    ({"user_id": "20", "role": "<b>Boss</b>"}, "Invalid role"),
    ({"user_id": "20", "role_id": "5", "type": "StudentEnrollment"},
     "The specified type must match the base type for the role"),
    ({"user_id": ""}, NO_USER),
])
def test_parameter_errors_before_permissions(api, data, message):
    for token in ("teacher-token", "student-token"):  # a student gets the 400 too
        r = api.post(POST, token=token, data={f"enrollment[{k}]": v for k, v in data.items()} or {"x": "1"})
        assert (r.status, r.json()) == (400, {"message": message})


@pytest.mark.usefixtures("unchanged")
def test_inactive_role(api, store):
    store.insert("roles", id=11, name="Old", base_role_type="StudentEnrollment", account_id=1,
                 workflow_state="inactive")
    r = enroll(api, {"user_id": "20", "role_id": "11"})
    assert (r.status, r.json()) == (400, {"message": "Cannot create an enrollment with this role because it is inactive."})


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("data,status,body", [
    ({"user_id": "999"}, 404, NOT_FOUND),
    ({"user_id": str(2**63)}, 404, NOT_FOUND),
    ({"user_id": "sis_user_id:\u00e9t\u00e9\x01<script>"}, 404, NOT_FOUND),
    ({"user_id": "x" * 5000}, 404, NOT_FOUND),
    ({"user_id": "20", "course_section_id": "3"}, 404, NOT_FOUND),  # another course's section
    ({"user_id": "20", "course_section_id": "999"}, 404, NOT_FOUND),
    ({"user_id": "20", "associated_user_id": "6"}, 400, {"errors": {"associated_user_id": [
        {"attribute": "associated_user_id", "type": "only ObserverEnrollments may have an associated_user_id",
         "message": "only ObserverEnrollments may have an associated_user_id"}]}}),
    ({"user_id": "20", "type": "ObserverEnrollment", "associated_user_id": "20"}, 400, {"errors": {"associated_user_id": [
        {"attribute": "associated_user_id", "type": "Cannot observe yourself", "message": "Cannot observe yourself"}]}}),
    ({"user_id": "20", "enrollment_state": "bogus"}, 400, {"errors": {"workflow_state": [
        {"attribute": "workflow_state", "type": "is invalid", "message": "is invalid"}]}}),
])
def test_lookup_and_model_errors(api, data, status, body):
    r = enroll(api, data)
    assert (r.status, r.json()) == (status, body)


@pytest.mark.usefixtures("unchanged")
def test_concluded_course(api):
    r = enroll(api, {"user_id": "20"}, token="admin-token", path="/api/v1/courses/4/enrollments")
    assert (r.status, r.json()) == (400, {"message": "Can't add an enrollment to a concluded course."})


@pytest.mark.usefixtures("unchanged")
def test_user_of_another_root_account(api, store):
    root = store.insert("accounts", name="Other U")
    user = store.insert("users", name="Far Away", sortable_name="Away, Far", short_name="Far", account_id=root.id)
    before = snapshot(store)
    store.live_events.clear()
    r = enroll(api, {"user_id": str(user.id)})
    assert (r.status, r.json()) == (404, NOT_FOUND)
    assert snapshot(store) == before


@pytest.mark.parametrize("token,etype,allowed", [
    ("admin-token", "TeacherEnrollment", True), ("teacher-token", "TeacherEnrollment", True),
    ("teacher-token", "DesignerEnrollment", True), ("ta-token", "StudentEnrollment", True),
    ("ta-token", "ObserverEnrollment", True), ("ta-token", "TaEnrollment", False),
    ("ta-token", "TeacherEnrollment", False), ("designer-token", "StudentEnrollment", True),
    ("designer-token", "TeacherEnrollment", False), ("student-token", "StudentEnrollment", False),
    ("observer-token", "ObserverEnrollment", False), ("outsider-token", "StudentEnrollment", False),
])
def test_role_matrix_for_create(api, store, token, etype, allowed):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)
    before = snapshot(store)
    r = enroll(api, {"user_id": "20", "type": etype}, token=token)
    if allowed:
        assert (r.status, r.json()["type"]) == (200, etype)
    else:
        assert (r.status, r.json()) == (401, UNAUTHORIZED)
        assert snapshot(store) == before and store.live_events.all() == []


def test_no_token(api, store):
    r = api.post(POST, token=None, data={"enrollment[user_id]": "20"})
    assert r.status == 401 and r.json()["status"] == "unauthenticated"
    assert not any(e.user_id == 20 and e.course_id == 1 for e in store.all("enrollments"))


def test_json_body_and_self(api, store):
    r = api.post(POST, token="admin-token", json={"enrollment": {"user_id": "self", "type": "TeacherEnrollment"}})
    assert (r.status, r.json()["user_id"], r.json()["type"]) == (200, 1, "TeacherEnrollment")


def test_teacher_in_a_created_course_claims_it(api, store):
    course = store.get("courses", 3)
    store._update("courses", course, workflow_state="created")
    r = enroll(api, {"user_id": "3", "type": "TaEnrollment"}, token="admin-token",
               path="/api/v1/courses/3/enrollments")
    assert r.status == 200 and store.get("courses", 3).workflow_state == "claimed"
