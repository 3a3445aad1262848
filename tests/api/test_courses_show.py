"""GET /courses/:id (CoursesController#show) and the course users (#users, #search_users)"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from canvas_bodies import NOT_FOUND, SEARCH_TERM_TOO_SHORT, STUDENT_IDS, UNAUTHORIZED, by_sortable, ids

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
