"""The user, course, section and account endpoints clients call around the group APIs
(canvas-facts section 9): UsersController#api_show, CoursesController#show/#users/#search_users,
SectionsController#index, AccountsController#show."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
SEARCH_TERM_TOO_SHORT = {"errors": [{"field": "search_term", "code": "invalid",
                                     "message": "2 or more characters is required"}]}
STUDENT_IDS = {6, 7, *range(8, 20)}
PERMISSIONS = {"can_update_name", "can_update_avatar", "limit_parent_app_web_access"}


def ids(resp):
    return [x["id"] for x in resp.json()]


def by_sortable(store, user_ids):
    users = [store.get("users", i) for i in user_ids]
    return [u.id for u in sorted(users, key=lambda u: (u.sortable_name.casefold(), u.id))]


# -- GET /api/v1/users/self and /users/:id ------------------------------------------------------

def test_users_self(api):
    r = api.get("/api/v1/users/self")
    assert r.status == 200
    me = r.json()
    assert me["id"] == 2 and me["name"] == "Terry Teacher"
    assert me["sortable_name"] == "Teacher, Terry" and me["short_name"] == "Terry Teacher"
    assert me["avatar_url"] == f"{api.base_url}/images/messages/avatar-50.png"
    assert me["locale"] is None and me["effective_locale"] == "en"
    assert set(me["permissions"]) == PERMISSIONS
    assert all(isinstance(v, bool) for v in me["permissions"].values())
    assert me["created_at"].endswith("Z")  # a UTC viewer
    # user_json in the root account: a teacher has no view_user_logins, read_sis or
    # read_email_addresses there, not even about themselves
    assert "login_id" not in me and "sis_user_id" not in me and "email" not in me


def test_users_self_of_an_admin_has_login_and_sis(api):
    me = api.get("/api/v1/users/self", token="admin-token").json()
    assert me["id"] == 1
    assert me["login_id"] == "admin"
    assert me["email"] == "admin@example.edu"
    assert "sis_user_id" in me and me["sis_user_id"] is None


def test_users_self_matches_users_by_id(api):
    by_self = api.get("/api/v1/users/self", token="student-token").json()
    by_id = api.get("/api/v1/users/6", token="student-token").json()
    assert by_self == by_id
    assert by_self["id"] == 6 and by_self["name"] == "Sam Student"


def test_user_by_sis_id_for_a_teacher_who_shares_a_course(api):
    r = api.get("/api/v1/users/sis_user_id:S-006")
    assert r.status == 200
    sam = r.json()
    assert sam["id"] == 6 and sam["sortable_name"] == "Student, Sam"
    assert "effective_locale" not in sam  # only for oneself
    assert set(sam["permissions"]) == PERMISSIONS
    assert "sis_user_id" not in sam and "login_id" not in sam and "email" not in sam


def test_user_by_sis_id_for_an_admin(api):
    sam = api.get("/api/v1/users/sis_user_id:S-006", token="admin-token").json()
    assert sam["id"] == 6
    assert (sam["sis_user_id"], sam["login_id"], sam["email"]) == ("S-006", "student", "student@example.edu")
    assert api.get("/api/v1/users/sis_login_id:student2", token="admin-token").json()["id"] == 7


def test_student_sees_a_classmate(api):
    r = api.get("/api/v1/users/7", token="student-token")
    assert r.status == 200 and r.json()["name"] == "Stella Student"


def test_outsider_cannot_see_a_student(api):
    r = api.get("/api/v1/users/6", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers


@pytest.mark.parametrize("ref", ["999", "sis_user_id:NOPE"])
def test_unknown_user_is_404(api, ref):
    r = api.get(f"/api/v1/users/{ref}")
    assert r.status == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("zone", ["America/Denver"])
def test_created_at_in_the_viewers_time_zone(api, store, zone):
    teacher = store.get("users", 2)
    store._update("users", teacher, time_zone=zone)
    sam = store.get("users", 6)
    for path in ("/api/v1/users/self", "/api/v1/users/6"):
        text = api.get(path).json()["created_at"]
        assert text[-6:] in ("-06:00", "-07:00"), text
    shown = datetime.fromisoformat(api.get("/api/v1/users/6").json()["created_at"])
    assert shown == sam.created_at.astimezone(timezone.utc).replace(microsecond=0)
    # the same user seen by a UTC viewer
    assert api.get("/api/v1/users/6", token="student-token").json()["created_at"].endswith("Z")
    listed = api.get("/api/v1/courses/1/users?user_ids[]=6").json()
    assert listed[0]["created_at"][-6:] in ("-06:00", "-07:00")


# -- GET /api/v1/courses/:id -------------------------------------------------------------------

def test_course_for_a_teacher(api):
    r = api.get("/api/v1/courses/1")
    assert r.status == 200
    c = r.json()
    assert (c["id"], c["name"], c["course_code"]) == (1, "Introduction to Mocking", "MOCK101")
    assert c["account_id"] == 1 and c["workflow_state"] == "available"
    assert c["sis_course_id"] == "MOCK101-2024"
    assert [(e["type"], e["role"], e["user_id"], e["enrollment_state"]) for e in c["enrollments"]] == [
        ("teacher", "TeacherEnrollment", 2, "active")]


def test_course_for_a_student_has_no_sis_id(api):
    c = api.get("/api/v1/courses/1", token="student-token").json()
    assert c["name"] == "Introduction to Mocking"
    assert "sis_course_id" not in c
    assert [(e["type"], e["role"], e["user_id"]) for e in c["enrollments"]] == [("student", "StudentEnrollment", 6)]


def test_course_by_sis_id(api):
    r = api.get("/api/v1/courses/sis_course_id:MOCK101-2024")
    assert r.status == 200 and r.json()["id"] == 1
    assert api.get("/api/v1/courses/sis_course_id:NOPE").status == 404


def test_course_needs_an_enrollment(api):
    r = api.get("/api/v1/courses/1", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert api.get("/api/v1/courses/2", token="student2-token").status == 401  # not enrolled there
    assert api.get("/api/v1/courses/2", token="admin-token").status == 200  # sub-account admin rights
    assert api.get("/api/v1/courses/999").json() == NOT_FOUND


# -- GET /api/v1/courses/:id/users and /search_users --------------------------------------------

@pytest.mark.parametrize("route", ["users", "search_users"])
def test_course_students(api, store, route):
    r = api.get(f"/api/v1/courses/1/{route}?enrollment_type[]=student&per_page=100")
    assert r.status == 200
    assert len(r.json()) == 14
    assert ids(r) == by_sortable(store, STUDENT_IDS)


def test_course_users_default_lists_everyone(api, store):
    r = api.get("/api/v1/courses/1/users?per_page=100")
    assert set(ids(r)) == STUDENT_IDS | {2, 3, 4, 5}
    assert ids(r) == by_sortable(store, STUDENT_IDS | {2, 3, 4, 5})
    teachers = api.get("/api/v1/courses/1/users?enrollment_type[]=teacher&enrollment_type[]=ta")
    assert ids(teachers) == by_sortable(store, [2, 3])


def test_course_users_search_term(api):
    assert ids(api.get("/api/v1/courses/1/search_users?search_term=stella")) == [7]
    assert ids(api.get("/api/v1/courses/1/users?search_term=S-011")) == [11]
    assert ids(api.get("/api/v1/courses/1/users?search_term=terry&enrollment_type[]=student")) == []
    short = api.get("/api/v1/courses/1/search_users?search_term=s")
    assert short.status == 400 and short.json() == SEARCH_TERM_TOO_SHORT
    assert len(api.get("/api/v1/courses/1/users?search_term=&per_page=100").json()) == 18


def test_course_users_include_email_needs_read_email_addresses(api):
    teacher = api.get("/api/v1/courses/1/users?enrollment_type[]=student&include[]=email&per_page=100").json()
    assert {u["id"]: u["email"] for u in teacher}[7] == "student2@example.edu"
    assert all("email" in u for u in teacher)
    student = api.get("/api/v1/courses/1/users?enrollment_type[]=student&include[]=email",
                      token="student-token").json()
    assert student and all("email" not in u for u in student)
    assert all("sis_user_id" not in u and "login_id" not in u for u in student)
    plain = api.get("/api/v1/courses/1/users?enrollment_type[]=student").json()
    assert all("email" not in u and "enrollments" not in u for u in plain)


def test_course_users_include_enrollments(api):
    r = api.get("/api/v1/courses/1/users?include[]=enrollments&per_page=100")
    by_id = {u["id"]: u for u in r.json()}
    [sam] = by_id[6]["enrollments"]
    assert sam["type"] == "StudentEnrollment" and sam["role"] == "StudentEnrollment"
    assert (sam["user_id"], sam["course_id"], sam["course_section_id"]) == (6, 1, 1)
    assert sam["enrollment_state"] == "active"
    assert [e["type"] for e in by_id[3]["enrollments"]] == ["TaEnrollment"]
    assert by_id[7]["enrollments"][0]["course_section_id"] == 2


def test_course_users_walk_pages_of_five(api, store):
    url = "/api/v1/courses/1/search_users?enrollment_type[]=student&per_page=5"
    seen, pages = [], 0
    while url:
        r = api.get(url)
        assert r.status == 200
        pages += 1
        seen += ids(r)
        nxt = r.links.get("next")
        if nxt:
            q = parse_qsl(urlsplit(nxt).query)
            assert ("enrollment_type[]", "student") in q and ("per_page", "5") in q
            assert nxt.startswith(f"{api.base_url}/api/v1/courses/1/search_users?")
        url = nxt
    assert pages == 3
    assert seen == by_sortable(store, STUDENT_IDS)


def test_course_users_needs_the_roster(api):
    r = api.get("/api/v1/courses/1/users", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED


# -- GET /api/v1/courses/:id/sections ----------------------------------------------------------

def test_course_sections(api):
    r = api.get("/api/v1/courses/1/sections")
    assert r.status == 200
    assert [(s["id"], s["name"], s["course_id"]) for s in r.json()] == [(1, "Section A", 1), (2, "Section B", 1)]
    assert [s["sis_section_id"] for s in r.json()] == ["MOCK101-A", "MOCK101-B"]
    assert all("total_students" not in s for s in r.json())


def test_course_sections_total_students(api):
    r = api.get("/api/v1/courses/1/sections?include[]=total_students")
    totals = {s["name"]: s["total_students"] for s in r.json()}
    assert totals == {"Section A": 7, "Section B": 7}
    assert "students" not in r.json()[0]


def test_course_sections_for_a_student(api):
    r = api.get("/api/v1/courses/1/sections", token="student-token")
    assert r.status == 200 and len(r.json()) == 2
    assert all("sis_section_id" not in s for s in r.json())
    assert api.get("/api/v1/courses/1/sections", token="outsider-token").status == 401


# -- GET /api/v1/accounts/:id ------------------------------------------------------------------

def test_account_for_an_admin(api):
    r = api.get("/api/v1/accounts/1", token="admin-token")
    assert r.status == 200
    a = r.json()
    assert (a["id"], a["name"], a["parent_account_id"], a["root_account_id"]) == (1, "Mock University", None, None)
    assert a["sis_account_id"] == "MOCKU"
    sub = api.get("/api/v1/accounts/2", token="admin-token").json()
    assert (sub["name"], sub["parent_account_id"], sub["root_account_id"]) == ("School of Science", 1, 1)
    assert api.get("/api/v1/accounts/self", token="admin-token").json()["id"] == 1
    assert api.get("/api/v1/accounts/sis_account_id:SCI", token="admin-token").json()["id"] == 2


@pytest.mark.parametrize("token", ["teacher-token", "student-token", "outsider-token"])
def test_account_needs_an_admin(api, token):
    r = api.get("/api/v1/accounts/1", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers


def test_unknown_account_is_404(api):
    r = api.get("/api/v1/accounts/999", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
