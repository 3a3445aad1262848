"""Reading sections: GET /courses/:id/sections (SectionsController#index) and GET /sections/:id,
GET /courses/:course_id/sections/:id (#show) (canvas-facts-enrollments-sections section 5).

Default world: course 1 has sections 1 "Section A" (MOCK101-A: teacher, TA, designer, observer,
students 6 and the even ids 8-18) and 2 "Section B" (MOCK101-B: students 7 and the odd ids 9-19);
course 2 has section 3 (teacher 2, students 6 and 8).
"""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, SEARCH_TERM_TOO_SHORT, UNAUTHENTICATED, UNAUTHORIZED, ids

BASE_KEYS = ["id", "course_id", "name", "start_at", "end_at", "created_at",
             "restrict_enrollments_to_section_dates", "nonxlist_course_id"]
SIS_KEYS = ["sis_section_id", "sis_course_id", "integration_id"]
INVALID_TOKEN = {"errors": [{"message": "Invalid access token."}]}


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def add_sections(store, course_id, names):
    return [store.insert("sections", course_id=course_id, name=n).id for n in names]


# -- index -------------------------------------------------------------------------------------
def test_teacher_lists_the_sections_with_canvas_keys_in_order(api, store):
    r = api.get("/api/v1/courses/1/sections")
    assert r.status == 200
    body = r.json()
    assert ids(r) == [1, 2]
    a = store.get("sections", 1)
    assert body[0] == {"id": 1, "course_id": 1, "name": "Section A", "start_at": None, "end_at": None,
                       "created_at": a.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "restrict_enrollments_to_section_dates": None, "nonxlist_course_id": None,
                       "sis_section_id": "MOCK101-A", "sis_course_id": "MOCK101-2024", "integration_id": None}
    assert list(body[0]) == BASE_KEYS + SIS_KEYS
    assert r.links == {
        "current": f"{api.base_url}/api/v1/courses/1/sections?page=1&per_page=10",
        "first": f"{api.base_url}/api/v1/courses/1/sections?page=1&per_page=10",
        "last": f"{api.base_url}/api/v1/courses/1/sections?page=1&per_page=10",
    }


def test_admin_also_sees_sis_import_id(api):
    body = api.get("/api/v1/courses/1/sections", token="admin-token").json()
    assert list(body[0]) == BASE_KEYS + SIS_KEYS + ["sis_import_id"]
    assert body[0]["sis_import_id"] is None


@pytest.mark.parametrize("token", ["ta-token", "student-token", "designer-token", "observer-token"])
def test_other_roles_list_every_section_without_sis_keys(api, tokens, token):
    r = api.get("/api/v1/courses/1/sections", token=token)
    assert r.status == 200
    assert ids(r) == [1, 2]  # all sections, not only the caller's
    assert all(list(s) == BASE_KEYS for s in r.json())


def test_outsider_no_token_and_bad_token(api):
    r = api.get("/api/v1/courses/1/sections", token="outsider-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    r = api.get("/api/v1/courses/1/sections", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    r = api.get("/api/v1/courses/1/sections", token="no-such-token")
    assert (r.status, r.json()) == (401, INVALID_TOKEN)


@pytest.mark.parametrize("ref", ["999", "99999999999999999999999", "sis_course_id:nope", "abc"])
def test_unknown_course_is_404(api, ref):
    r = api.get(f"/api/v1/courses/{ref}/sections")
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_sis_course_id_form_and_json_suffix(api):
    assert ids(api.get("/api/v1/courses/sis_course_id:MOCK101-2024/sections")) == [1, 2]
    assert ids(api.get("/api/v1/courses/1/sections.json")) == [1, 2]


def test_order_is_name_case_insensitive_then_id_and_deleted_sections_are_left_out(api, store):
    new = add_sections(store, 1, ["alpha", "Zeta", "beta", "Alpha"])
    store._update("sections", store.get("sections", new[2]), workflow_state="deleted")
    assert ids(api.get("/api/v1/courses/1/sections")) == [new[0], new[3], 1, 2, new[1]]


def test_pages_with_links_keeping_the_query(api, store):
    add_sections(store, 1, [f"S{i:02d}" for i in range(3)])  # 5 sections
    r = api.get("/api/v1/courses/1/sections?per_page=2&page=2&include[]=total_students")
    assert r.status == 200 and len(r.json()) == 2
    base = f"{api.base_url}/api/v1/courses/1/sections?include%5B%5D=total_students"
    assert r.links == {"current": f"{base}&page=2&per_page=2", "next": f"{base}&page=3&per_page=2",
                       "prev": f"{base}&page=1&per_page=2", "first": f"{base}&page=1&per_page=2",
                       "last": f"{base}&page=3&per_page=2"}
    assert r.headers["Link"].count('rel="') == 5
    seen = []
    url = "/api/v1/courses/1/sections?per_page=2"
    while url:
        page = api.get(url)
        seen += ids(page)
        url = page.links.get("next")
    assert sorted(seen) == sorted(store.idx["sections"]["by_course"].ids(1)) and len(seen) == 5


@pytest.mark.parametrize("value", ["1", "false", "anything"])
def test_all_turns_paging_off(api, store, value):
    add_sections(store, 1, [f"S{i:02d}" for i in range(12)])
    r = api.get(f"/api/v1/courses/1/sections?all={value}")
    assert r.status == 200 and len(r.json()) == 14
    assert "Link" not in r.headers


def test_blank_all_keeps_paging(api, store):
    add_sections(store, 1, [f"S{i:02d}" for i in range(12)])
    r = api.get("/api/v1/courses/1/sections?all=")
    assert len(r.json()) == 10 and "next" in r.links


def test_search_term(api, store):
    add_sections(store, 1, ["Lab section", "Lecture"])
    r = api.get("/api/v1/courses/1/sections?search_term=SECTION")
    assert [s["name"] for s in r.json()] == ["Lab section", "Section A", "Section B"]
    assert "search_term=SECTION" in r.links["current"]
    r = api.get("/api/v1/courses/1/sections?search_term=x")
    assert (r.status, r.json()) == (400, SEARCH_TERM_TOO_SHORT)
    assert len(api.get("/api/v1/courses/1/sections?search_term=%20%20").json()) == 4  # blank: no search
    assert api.get("/api/v1/courses/1/sections?search_term=%E2%9C%93%3Cb%3E").json() == []


# -- include[] ---------------------------------------------------------------------------------
def test_total_students(api):
    r = api.get("/api/v1/courses/1/sections?include[]=total_students")
    assert {s["name"]: s["total_students"] for s in r.json()} == {"Section A": 7, "Section B": 7}
    assert "students" not in r.json()[0]


def test_total_students_counts_active_invited_pending_only(api, store):
    states = {8: "invited", 10: "completed", 12: "inactive", 14: "deleted", 16: "creation_pending"}
    for e in store.sections.enrollments(store.get("sections", 1)):
        if e.user_id in states:
            store._update("enrollments", e, workflow_state=states[e.user_id])
    r = api.get("/api/v1/courses/1/sections/1?include[]=total_students")
    assert r.json()["total_students"] == 4  # 6, 8 (invited), 16 (pending), 18


def test_students_include(api, store):
    r = api.get("/api/v1/courses/1/sections/2?include[]=students")
    students = r.json()["students"]
    assert [s["id"] for s in students] == [7, 9, 11, 13, 15, 17, 19]
    assert list(students[0])[:4] == ["id", "name", "created_at", "sortable_name"]
    assert "enrollments" not in students[0]
    assert students[0]["sis_user_id"] == store.get("users", 7).sis_user_id  # a teacher reads SIS ids


def test_students_include_is_null_when_the_section_has_none(api, store):
    (new,) = add_sections(store, 1, ["Empty"])
    r = api.get(f"/api/v1/sections/{new}?include[]=students")
    assert r.json()["students"] is None


def test_students_with_enrollments(api, store):
    r = api.get("/api/v1/sections/2?include[]=students&include[]=enrollments")
    first = r.json()["students"][0]
    (enrollment,) = first["enrollments"]
    e = next(x for x in store.sections.enrollments(store.get("sections", 2)) if x.user_id == 7)
    assert (enrollment["id"], enrollment["user_id"], enrollment["course_section_id"], enrollment["type"],
            enrollment["enrollment_state"]) == (e.id, 7, 2, "StudentEnrollment", "active")


def test_passback_status_and_permissions(api, tokens):
    r = api.get("/api/v1/sections/1?include[]=passback_status&include[]=permissions")
    assert list(r.json())[-2:] == ["passback_status", "permissions"]
    assert r.json()["passback_status"] is None
    assert r.json()["permissions"] == {"manage_calendar": True}
    r = api.get("/api/v1/sections/1?include[]=permissions", token="student-token")
    assert r.json()["permissions"] == {"manage_calendar": False}


def test_students_keep_includes_observers_lose_them(api, tokens):
    r = api.get("/api/v1/courses/1/sections?include[]=total_students", token="student-token")
    assert r.json()[0]["total_students"] == 7
    r = api.get("/api/v1/courses/1/sections?include[]=total_students&include[]=students", token="observer-token")
    assert r.status == 200 and all(list(s) == BASE_KEYS for s in r.json())


def test_unknown_includes_are_ignored(api):
    r = api.get("/api/v1/courses/1/sections?include[]=bogus&include=total_students")
    assert r.status == 200


# -- show --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/sections/2", "/api/v1/courses/1/sections/2",
                                  "/api/v1/sections/sis_section_id:MOCK101-B", "/api/v1/sections/2.json",
                                  "/api/v1/courses/sis_course_id:MOCK101-2024/sections/sis_section_id:MOCK101-B"])
def test_show(api, path):
    r = api.get(path)
    assert r.status == 200
    assert list(r.json()) == BASE_KEYS + SIS_KEYS
    assert (r.json()["id"], r.json()["name"], r.json()["sis_section_id"]) == (2, "Section B", "MOCK101-B")


def test_show_by_integration_id(api, store):
    store._update("sections", store.get("sections", 2), integration_id="INT-B")
    assert api.get("/api/v1/sections/sis_integration_id:INT-B").json()["id"] == 2
    assert api.get("/api/v1/sections/2").json()["integration_id"] == "INT-B"


@pytest.mark.parametrize("path", [
    "/api/v1/sections/999", "/api/v1/sections/99999999999999999999999", "/api/v1/sections/sis_section_id:nope",
    "/api/v1/sections/sis_integration_id:nope", "/api/v1/courses/2/sections/1", "/api/v1/courses/999/sections/1",
    "/api/v1/sections/abc"])
def test_show_unknown_or_other_course_is_404(api, path):
    r = api.get(path, token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_show_deleted_section_or_course_is_404(api, store):
    store._update("sections", store.get("sections", 2), workflow_state="deleted")
    assert api.get("/api/v1/sections/2", token="admin-token").json() == NOT_FOUND
    store._update("courses", store.get("courses", 2), workflow_state="deleted")
    r = api.get("/api/v1/sections/3", token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("token,own,other", [
    ("student-token", 1, 2),     # student 6 is in Section A
    ("student2-token", 2, 1),    # student 7 is in Section B
    ("observer-token", 1, 2),
])
def test_students_and_observers_see_only_their_own_sections(api, tokens, token, own, other):
    assert api.get(f"/api/v1/sections/{own}", token=token).status == 200
    r = api.get(f"/api/v1/sections/{other}", token=token)
    assert (r.status, r.json()) == (401, UNAUTHORIZED)


@pytest.mark.parametrize("token", ["admin-token", "teacher-token", "ta-token", "designer-token"])
def test_staff_see_every_section(api, tokens, token):
    assert api.get("/api/v1/sections/2", token=token).status == 200


def test_show_refused_to_outsider_and_without_token(api):
    r = api.get("/api/v1/sections/1", token="outsider-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    r = api.get("/api/v1/sections/1", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
