"""GET /courses/:id/enrollments and /sections/:id/enrollments (EnrollmentsApiController#index,
canvas-facts-enrollments-sections sections 3 and 4.1): who sees what, the keys in Canvas's order,
filters, includes, bookmark pages."""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

BAD_REQUEST = {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}
COURSE1 = "/api/v1/courses/1/enrollments"
HEAD = ["id", "user_id", "course_id", "type", "created_at", "updated_at", "associated_user_id", "start_at",
        "end_at", "course_section_id", "root_account_id", "limit_privileges_to_course_section",
        "enrollment_state", "role", "role_id"]
ACTIVITY = ["last_activity_at", "last_attended_at", "total_activity_time"]
SIS = ["sis_account_id", "sis_course_id", "course_integration_id", "sis_section_id", "section_integration_id",
       "sis_user_id"]
GRADER_GRADES = ["html_url", "current_grade", "current_score", "final_grade", "final_score",
                 "unposted_current_score", "unposted_current_grade", "unposted_final_score",
                 "unposted_final_grade"]


def roster(store, course_id, states=("active", "invited", "creation_pending", "inactive"), section=None):
    """Canvas's order: type, sortable name (case-insensitive), id."""
    rows = [e for e in store.all("enrollments") if e.course_id == course_id and e.workflow_state in states
            and (section is None or e.course_section_id == section)]
    return [e.id for e in sorted(rows, key=lambda e: (e.type, store.get("users", e.user_id).sortable_name.casefold(),
                                                      e.id))]


def all_pages(api, path, token="teacher-token", **params):
    out, url, seen = [], path, 0
    while url:
        r = api.get(url, token=token, params=params if url == path else None)
        assert r.status == 200, r.text
        out += [x["id"] for x in r.json()]
        url = r.links.get("next")
        seen += 1
        assert seen < 100
    return out


def by_id(resp, eid):
    return next(x for x in resp.json() if x["id"] == eid)


def test_teacher_lists_every_enrollment_in_canvas_order(api, store):
    assert all_pages(api, COURSE1, per_page=7) == roster(store, 1)
    assert len(roster(store, 1)) == 18  # 6 named + 12 generated


def test_teacher_sees_a_student_with_every_field_in_order(api, store):
    r = api.get(COURSE1, params={"per_page": 100})
    row = by_id(r, 5)
    assert list(row) == HEAD + ACTIVITY + ["grades"] + SIS + ["html_url", "user"]
    e = store.get("enrollments", 5)
    base = api.base_url
    assert {k: row[k] for k in HEAD} == {
        "id": 5, "user_id": 6, "course_id": 1, "type": "StudentEnrollment",
        "created_at": e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated_at": e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "associated_user_id": None,
        "start_at": None, "end_at": None, "course_section_id": 1, "root_account_id": 1,
        "limit_privileges_to_course_section": False, "enrollment_state": "active",
        "role": "StudentEnrollment", "role_id": 4}
    assert [row[k] for k in ACTIVITY] == [None, None, 0]
    assert list(row["grades"]) == GRADER_GRADES
    assert row["grades"]["html_url"] == f"{base}/courses/1/grades/6"
    assert {k: row[k] for k in SIS} == {"sis_account_id": "MOCKU", "sis_course_id": "MOCK101-2024",
                                        "course_integration_id": None, "sis_section_id": "MOCK101-A",
                                        "section_integration_id": None, "sis_user_id": "S-006"}
    assert row["html_url"] == f"{base}/courses/1/users/6"
    assert list(row["user"]) == ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id",
                                 "integration_id", "login_id"]
    assert row["user"]["login_id"] == "student" and row["user"]["name"] == "Sam Student"


def test_roles_ids_and_no_grades_for_staff(api):
    r = api.get(COURSE1, params={"per_page": 100})
    roles = {x["type"]: (x["role"], x["role_id"]) for x in r.json()}
    assert roles == {"StudentEnrollment": ("StudentEnrollment", 4), "TeacherEnrollment": ("TeacherEnrollment", 5),
                     "TaEnrollment": ("TaEnrollment", 6), "DesignerEnrollment": ("DesignerEnrollment", 7),
                     "ObserverEnrollment": ("ObserverEnrollment", 8)}
    assert "grades" not in by_id(r, 1) and "grades" not in by_id(r, 4)


def test_student_sees_the_roster_without_private_fields(api, store):
    r = api.get(COURSE1, token="student-token", params={"per_page": 100})
    assert [x["id"] for x in r.json()] == roster(store, 1, ("active", "invited", "creation_pending"))
    classmate = by_id(r, 6)
    assert list(classmate) == HEAD + ["grades", "html_url", "user"]
    assert classmate["grades"] == {"html_url": f"{api.base_url}/courses/1/grades/7"}
    assert list(classmate["user"]) == ["id", "name", "created_at", "sortable_name", "short_name"]
    mine = by_id(r, 5)
    assert list(mine) == HEAD + ACTIVITY + ["grades", "html_url", "user"]
    assert list(mine["grades"]) == ["html_url", "current_grade", "current_score", "final_grade", "final_score"]


def test_ta_sees_logins_but_no_sis_and_designer_no_scores(api, store):
    store.add_token("designer-token", 4)
    ta = by_id(api.get(COURSE1, token="ta-token", params={"per_page": 100}), 5)
    assert list(ta) == HEAD + ACTIVITY + ["grades", "html_url", "user"]
    assert "login_id" in ta["user"] and "sis_user_id" not in ta["user"]
    assert list(ta["grades"]) == GRADER_GRADES
    designer = by_id(api.get(COURSE1, token="designer-token", params={"per_page": 100}), 5)
    assert designer["grades"] == {"html_url": f"{api.base_url}/courses/1/grades/6"}


def test_admin_gets_sis_import_id(api):
    row = by_id(api.get(COURSE1, token="admin-token", params={"per_page": 100}), 5)
    assert list(row) == HEAD + ACTIVITY + ["sis_import_id", "grades"] + SIS + ["html_url", "user"]
    assert row["sis_import_id"] is None and row["user"]["sis_import_id"] is None


def test_default_states_staff_see_inactive_students_do_not(api, store):
    store._update("enrollments", store.get("enrollments", 6), workflow_state="inactive")
    store._update("enrollments", store.get("enrollments", 10), workflow_state="completed")
    teacher = all_pages(api, COURSE1, per_page=50)
    student = all_pages(api, COURSE1, token="student-token", per_page=50)
    assert 6 in teacher and 10 not in teacher
    assert 6 not in student and 10 not in student
    got = all_pages(api, COURSE1, per_page=50, **{"state[]": ["completed", "inactive"]})
    assert sorted(got) == [6, 10] and got == roster(store, 1, ("completed", "inactive"))


def test_observer_sees_themself_and_their_observees(api, store):
    store.add_token("observer-token", 5)
    r = api.get(COURSE1, token="observer-token")
    assert [x["id"] for x in r.json()] == [4]
    store._update("enrollments", store.get("enrollments", 4), associated_user_id=7)
    r = api.get(COURSE1, token="observer-token")
    assert [x["id"] for x in r.json()] == [4, 6]
    # an observer of the student gets the four effective scores
    assert list(by_id(r, 6)["grades"]) == ["html_url", "current_grade", "current_score", "final_grade",
                                           "final_score"]


@pytest.mark.parametrize("token,status,body", [
    ("outsider-token", 401, UNAUTHORIZED), (None, 401, UNAUTHENTICATED),
    ("no-such-token", 401, {"errors": [{"message": "Invalid access token."}]}),
])
def test_who_may_not_list(api, token, status, body):
    r = api.get(COURSE1, token=token)
    assert (r.status, r.json()) == (status, body)


def test_section_scope_and_sis_forms(api, store):
    expected = roster(store, 1, section=2)
    assert all_pages(api, "/api/v1/sections/2/enrollments", per_page=4) == expected
    assert all_pages(api, "/api/v1/sections/sis_section_id:MOCK101-B/enrollments", per_page=50) == expected
    assert all_pages(api, "/api/v1/courses/sis_course_id:MOCK101-2024/enrollments.json", per_page=50) == \
        roster(store, 1)


@pytest.mark.parametrize("path", ["/api/v1/sections/999/enrollments", "/api/v1/courses/999/enrollments",
                                  f"/api/v1/courses/{2**64}/enrollments", "/api/v1/sections/sis_section_id:nope/enrollments"])
def test_unknown_contexts(api, path):
    r = api.get(path)
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_bookmark_pages_and_their_links(api, store):
    expected = roster(store, 1)
    first = api.get(COURSE1, params={"per_page": 5, "type[]": ["StudentEnrollment"]})
    assert list(first.links) == ["current", "next", "first"]
    base = f"{api.base_url}{COURSE1}?type%5B%5D=StudentEnrollment&page="
    assert first.links["current"] == base + "first&per_page=5"
    assert first.links["first"] == base + "first&per_page=5"
    assert first.links["next"].startswith(base + "bookmark:")
    students = [i for i in expected if store.get("enrollments", i).type == "StudentEnrollment"]
    assert [x["id"] for x in first.json()] == students[:5]
    url, got, last = first.links["next"], [x["id"] for x in first.json()], None
    while url:
        last = api.get(url)
        got += [x["id"] for x in last.json()]
        url = last.links.get("next")
    assert got == students
    assert list(last.links) == ["current", "first", "last"]
    assert last.links["last"] == last.links["current"]


def test_bad_pages(api, store):
    r = api.get(COURSE1, params={"page": "2"})
    assert r.status == 404
    r = api.get(COURSE1, params={"page": "bookmark:garbage", "per_page": 3})
    assert [x["id"] for x in r.json()] == roster(store, 1)[:3]


def test_filters_by_type_role_state_and_user(api, store):
    assert all_pages(api, COURSE1, **{"type[]": ["TeacherEnrollment", "TaEnrollment"]}) == [2, 1]
    # type[] is ignored when role[] is given
    assert all_pages(api, COURSE1, **{"role[]": "DesignerEnrollment", "type[]": "TeacherEnrollment"}) == [3]
    assert all_pages(api, COURSE1, **{"role_id[]": "8"}) == [4]
    assert all_pages(api, COURSE1, user_id="sis_user_id:S-007") == [6]
    assert all_pages(api, COURSE1, user_id="self") == [1]
    assert all_pages(api, COURSE1, token="student-token", user_id="self") == [5]
    assert all_pages(api, COURSE1, **{"type[]": "PandaEnrollment"}) == []


@pytest.mark.parametrize("params,body", [
    ({"role[]": "NoSuchRole"}, BAD_REQUEST), ({"role_id[]": "99999"}, BAD_REQUEST),
    ({"grading_period_id": "1"}, {"error": "invalid grading_period_id"}),
    ({"state[x]": "active"}, BAD_REQUEST),
])
def test_bad_filters(api, params, body):
    r = api.get(COURSE1, params=params)
    assert (r.status, r.json()) == (400, body)


def test_sis_filters_need_read_sis(api):
    r = api.get(COURSE1, token="student-token", params={"sis_user_id[]": "S-007"})
    assert (r.status, r.json()) == (400, {"message": "Insufficient permissions to filter by SIS fields"})
    r = api.get(COURSE1, token="ta-token", params={"sis_user_id[]": "S-007"})
    assert r.status == 400
    r = api.get(COURSE1, params={"sis_user_id[]": "S-007"})
    assert [x["id"] for x in r.json()] == [6]
    r = api.get(COURSE1, params={"sis_section_id[]": "MOCK101-A", "type[]": "TeacherEnrollment"})
    assert [x["id"] for x in r.json()] == [1]


def test_unknown_user_id_is_404(api):
    r = api.get(COURSE1, params={"user_id": "sis_user_id:nobody"})
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_includes(api, store):
    store._update("enrollments", store.get("enrollments", 4), associated_user_id=6)
    params = {"per_page": 100, "include[]": ["group_ids", "uuid", "avatar_url", "can_be_removed", "locked",
                                              "current_points", "observed_users", "bogus"]}
    r = api.get(COURSE1, params=params)
    student = by_id(r, 5)
    assert student["user"]["group_ids"] == [1] and student["user"]["uuid"] == store.get("users", 6).uuid
    assert "avatar_url" not in student["user"]  # the avatars service is off
    assert list(student)[-3:] == ["user", "locked", "can_be_removed"]
    assert (student["locked"], student["can_be_removed"]) == (False, True)
    assert list(student["grades"])[-2:] == ["current_points", "unposted_current_points"]
    assert by_id(r, 1)["can_be_removed"] is False  # the teacher's own enrollment
    observer = by_id(r, 4)
    assert observer["observed_user"]["id"] == 6
    assert [x["id"] for x in observer["observed_user"]["enrollments"]] == [5]
    assert "observed_user" not in student


def test_avatar_url_when_the_service_is_on(api, store):
    root = store.get("accounts", 1)
    store._update("accounts", root, settings=tuple(dict(root.settings, enable_avatars=True).items()))
    r = api.get(COURSE1, params={"include[]": "avatar_url", "user_id": "6"})
    assert r.json()[0]["user"]["avatar_url"].endswith("/images/messages/avatar-50.png")


def test_section_limited_student_sees_their_section(api, store):
    store._update("enrollments", store.get("enrollments", 5), limit_privileges_to_course_section=True)
    got = all_pages(api, COURSE1, token="student-token", per_page=50)
    assert 6 not in got and 5 in got and 1 in got
    assert all(store.get("enrollments", i).course_section_id == 1 or store.get("enrollments", i).type in
               ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment") for i in got)
