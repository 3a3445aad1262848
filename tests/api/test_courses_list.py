"""GET /api/v1/courses (CoursesController#index) and GET /api/v1/users/:user_id/courses (#user_index).

Default world: course 1 "Introduction to Mocking" and 2 "Advanced Mocking" are available (teacher 2,
student 6 in both), 3 "Mocking Drafts" is unpublished (raw ``claimed``; teacher 2 and student 6
active), 4 "History of Mocking" is concluded (``completed``; teacher 2 and student 6 completed).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED, ids


def course_ids(api, path, token="teacher-token"):
    r = api.get(path, token=token)
    assert r.status == 200, r.text
    return ids(r)


# -- the default set ------------------------------------------------------------------------------

def test_teacher_sees_published_and_claimed_courses_by_name(api):
    r = api.get("/api/v1/courses")
    assert r.status == 200
    assert [c["name"] for c in r.json()] == ["Advanced Mocking", "Introduction to Mocking", "Mocking Drafts"]
    drafts = r.json()[2]
    assert drafts["workflow_state"] == "unpublished"  # raw claimed
    assert drafts["enrollments"] == [{"type": "teacher", "role": "TeacherEnrollment", "role_id": 5, "user_id": 2,
                                      "enrollment_state": "active", "limit_privileges_to_course_section": False}]


def test_student_does_not_see_unpublished_or_concluded_courses(api):
    assert course_ids(api, "/api/v1/courses", "student-token") == [2, 1]


@pytest.mark.parametrize("token,expected", [
    ("ta-token", [1]), ("student2-token", [1]), ("outsider-token", []), ("admin-token", []),
])
def test_each_role_sees_its_own_courses(api, token, expected):
    assert course_ids(api, "/api/v1/courses", token) == expected


def test_observer_and_designer(api, store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)
    assert course_ids(api, "/api/v1/courses", "designer-token") == [1]
    r = api.get("/api/v1/courses", token="observer-token")
    assert ids(r) == [1]
    assert r.json()[0]["enrollments"][0]["type"] == "observer"
    assert r.json()[0]["enrollments"][0]["role_id"] == 8


def test_a_course_created_and_never_claimed_shows_only_to_invited_staff(api, store):
    c = store.insert("courses", name="Aardvark Studies", course_code="AA", account_id=1, root_account_id=1,
                     workflow_state="created")
    store.insert("enrollments", user_id=3, course_id=c.id, course_section_id=1, type="TaEnrollment")
    store.insert("enrollments", user_id=7, course_id=c.id, course_section_id=1, type="TeacherEnrollment",
                 workflow_state="invited")
    assert course_ids(api, "/api/v1/courses", "ta-token") == [1]  # active in a created course: no
    assert course_ids(api, "/api/v1/courses", "student2-token") == [c.id, 1]  # invited staff: yes


def test_enrollments_of_other_states_do_not_count(api, store):
    for state in ("completed", "inactive", "rejected", "deleted", "creation_pending"):
        store.insert("enrollments", user_id=20, course_id=1, course_section_id=1, workflow_state=state)
    assert course_ids(api, "/api/v1/courses", "outsider-token") == []
    store.insert("enrollments", user_id=20, course_id=2, course_section_id=3, workflow_state="invited")
    r = api.get("/api/v1/courses", token="outsider-token")
    assert ids(r) == [2] and r.json()[0]["enrollments"][0]["enrollment_state"] == "invited"


def test_deleted_courses_never_appear(api, store):
    store._update("courses", store.get("courses", 2), workflow_state="deleted")
    assert course_ids(api, "/api/v1/courses") == [1, 3]


def test_one_entry_per_course_with_all_enrollments(api, store):
    store.insert("enrollments", user_id=3, course_id=1, course_section_id=2, type="StudentEnrollment")
    r = api.get("/api/v1/courses", token="ta-token")
    [course] = r.json()
    assert [(e["type"], e["role"]) for e in course["enrollments"]] == [
        ("ta", "TaEnrollment"), ("student", "StudentEnrollment")]


def test_order_is_case_insensitive_name_then_id(api, store):
    a = store.insert("courses", name="apple", course_code="A", account_id=1, root_account_id=1)
    b = store.insert("courses", name="Apple", course_code="B", account_id=1, root_account_id=1)
    for c in (b, a):
        store.insert("enrollments", user_id=20, course_id=c.id, course_section_id=1)
    assert course_ids(api, "/api/v1/courses", "outsider-token") == [a.id, b.id]


# -- state[], enrollment_state, enrollment_type, role --------------------------------------------

@pytest.mark.parametrize("query,token,expected", [
    ("state[]=completed", "teacher-token", [4]),
    ("state[]=completed", "student-token", [4]),
    ("state[]=unpublished", "student-token", [3]),
    ("state[]=claimed", "teacher-token", [3]),
    ("state[]=created", "teacher-token", []),
    ("state[]=available", "teacher-token", [2, 1]),
    ("state[]=available&state[]=completed", "student-token", [2, 4, 1]),  # by name
    ("state[]=deleted", "teacher-token", []),
    ("state[]=bogus", "teacher-token", []),
    ("enrollment_state=active", "teacher-token", [2, 1, 3]),
    ("enrollment_state=completed", "teacher-token", []),
    ("enrollment_state=invited_or_pending", "teacher-token", []),
    ("enrollment_type=teacher", "teacher-token", [2, 1, 3]),
    ("enrollment_type=student", "teacher-token", []),
    ("enrollment_type=bogus", "teacher-token", []),
    ("enrollment_role=TeacherEnrollment", "teacher-token", [2, 1, 3]),
    ("enrollment_role=StudentEnrollment&enrollment_type=teacher", "teacher-token", []),
    ("enrollment_role_id=4", "student-token", [2, 1]),
    ("enrollment_role_id=5&enrollment_type=student", "student-token", []),
    ("enrollment_role_id=abc", "student-token", []),
    ("account_id=2", "teacher-token", [2]),
    ("homeroom=true", "teacher-token", []),
    ("exclude_blueprint_courses=true", "teacher-token", [2, 1, 3]),
])
def test_filters(api, query, token, expected):
    assert course_ids(api, f"/api/v1/courses?{query}", token) == expected


def test_completed_state_with_concluded_enrollments(api):
    r = api.get("/api/v1/courses?state[]=completed", token="student-token")
    [course] = r.json()
    assert course["workflow_state"] == "completed"
    assert course["enrollments"][0]["enrollment_state"] == "completed"


def test_deleted_state_lists_deleted_enrollments_of_deleted_courses(api):
    assert api.delete("/api/v1/courses/2?event=delete", token="admin-token").status == 200
    r = api.get("/api/v1/courses?state[]=deleted")
    assert ids(r) == [2]
    assert r.json()[0]["workflow_state"] == "deleted"
    assert r.json()[0]["enrollments"][0]["enrollment_state"] == "deleted"


def test_unknown_account_id_is_404(api):
    r = api.get("/api/v1/courses?account_id=999")
    assert r.status == 404 and r.json() == NOT_FOUND


# -- include[] -----------------------------------------------------------------------------------

def test_includes_on_the_list(api):
    r = api.get("/api/v1/courses?include[]=term&include[]=total_students&include[]=teachers&include[]=sections"
                "&include[]=syllabus_body&include[]=html_url&include[]=favorites&include[]=concluded"
                "&include[]=public_description&include[]=course_image&include[]=account&include[]=permissions")
    by_id = {c["id"]: c for c in r.json()}
    intro = by_id[1]
    assert "permissions" not in intro  # stripped from lists
    assert intro["term"] == {"id": 1, "name": "Default Term", "start_at": None, "end_at": None,
                             "created_at": intro["term"]["created_at"], "workflow_state": "active",
                             "grading_period_group_id": None}
    assert intro["total_students"] == 14
    assert [t["id"] for t in intro["teachers"]] == [2]
    assert set(intro["teachers"][0]) == {"id", "anonymous_id", "display_name", "avatar_image_url", "html_url",
                                         "pronouns"}
    assert intro["sections"] == [{"id": 1, "name": "Section A", "start_at": None, "end_at": None,
                                  "enrollment_role": "TeacherEnrollment"}]
    assert intro["syllabus_body"] is None and by_id[3]["syllabus_body"] == "<p>Draft syllabus</p>"
    assert intro["html_url"] == f"{api.base_url}/courses/1"
    assert intro["is_favorite"] is False and intro["concluded"] is False
    assert "public_description" not in intro  # null: the key is left out
    assert intro["image_download_url"] is None
    assert intro["account"]["id"] == 1 and intro["account"]["name"] == "Mock University"
    assert by_id[3]["term"]["name"] == "Fall 2026"
    keys = list(intro)
    assert keys.index("term") < keys.index("apply_assignment_group_weights") < keys.index("sections") \
        < keys.index("total_students") < keys.index("is_favorite") < keys.index("teachers") \
        < keys.index("account") < keys.index("calendar") < keys.index("syllabus_body") < keys.index("html_url") \
        < keys.index("time_zone") < keys.index("image_download_url") < keys.index("concluded") \
        < keys.index("blueprint") < keys.index("enrollments") < keys.index("workflow_state")


def test_teacher_limit_gives_a_count(api, store):
    store.insert("enrollments", user_id=3, course_id=1, course_section_id=1, type="TeacherEnrollment")
    r = api.get("/api/v1/courses?include[]=teachers&teacher_limit=1", token="ta-token")
    [c] = r.json()
    assert c["teacher_count"] == 2 and "teachers" not in c
    r = api.get("/api/v1/courses?include[]=teachers&teacher_limit=2", token="ta-token")
    assert [t["id"] for t in r.json()[0]["teachers"]] == [3, 2]  # Assistant, Tara before Teacher, Terry


def test_concluded_include_follows_the_term_end(api):
    r = api.get("/api/v1/courses?state[]=completed&include[]=concluded", token="student-token")
    assert r.json()[0]["concluded"] is True


def test_access_restricted_by_date(api, store):
    store.insert("enrollments", user_id=20, course_id=3, course_section_id=4, workflow_state="inactive")
    r = api.get("/api/v1/courses?state[]=unpublished&enrollment_state=active", token="outsider-token")
    assert r.json() == []
    r = api.get("/api/v1/courses?state[]=claimed", token="outsider-token")
    assert r.json() == []  # an inactive enrollment is not listed in the non-strict state either


def test_total_scores_on_student_enrollments(api):
    r = api.get("/api/v1/courses?include[]=total_scores", token="student-token")
    e = r.json()[0]["enrollments"][0]
    assert e["computed_current_score"] is None and e["computed_final_grade"] is None
    teacher = api.get("/api/v1/courses?include[]=total_scores").json()[0]["enrollments"][0]
    assert "computed_current_score" not in teacher


def test_needs_grading_count_for_instructors_only(api):
    assert api.get("/api/v1/courses?include[]=needs_grading_count").json()[0]["needs_grading_count"] == 0
    assert "needs_grading_count" not in api.get("/api/v1/courses?include[]=needs_grading_count",
                                                token="student-token").json()[0]


# -- pagination -----------------------------------------------------------------------------------

def test_pages_with_last_and_kept_query(api):
    r = api.get("/api/v1/courses?per_page=2&include[]=term")
    assert r.status == 200 and ids(r) == [2, 1]
    base = f"{api.base_url}/api/v1/courses?include%5B%5D=term&"
    assert r.headers["Link"] == (
        f'<{base}page=1&per_page=2>; rel="current",<{base}page=2&per_page=2>; rel="next",'
        f'<{base}page=1&per_page=2>; rel="first",<{base}page=2&per_page=2>; rel="last"')
    r2 = api.get(r.links["next"])
    assert ids(r2) == [3] and "next" not in r2.links and r2.links["last"] == r2.links["current"]


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_bad_page_is_404(api, page):
    r = api.get(f"/api/v1/courses?page={page}")
    assert r.status == 404
    assert r.json() == {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}


def test_needs_a_user(api):
    r = api.get("/api/v1/courses", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    bad = api.get("/api/v1/courses", token="nope")
    assert bad.status == 401 and bad.json() == {"errors": [{"message": "Invalid access token."}]}


# -- GET /api/v1/users/:user_id/courses -------------------------------------------------------------

def test_user_courses_self_links_use_the_numeric_id(api):
    r = api.get("/api/v1/users/self/courses?per_page=1", token="student-token")
    assert r.status == 200 and ids(r) == [2]
    links = r.links
    assert links["next"].startswith(f"{api.base_url}/api/v1/users/6/courses?")
    assert ("page", "2") in parse_qsl(urlsplit(links["next"]).query)
    assert links["last"].endswith("page=2&per_page=1")


def test_user_courses_by_an_admin(api):
    assert course_ids(api, "/api/v1/users/6/courses", "admin-token") == [2, 1]
    assert course_ids(api, "/api/v1/users/sis_user_id:S-006/courses?state[]=completed", "admin-token") == [4]


@pytest.mark.parametrize("token", ["teacher-token", "student2-token", "outsider-token", "ta-token"])
def test_user_courses_of_someone_else_is_refused(api, token):
    r = api.get("/api/v1/users/6/courses", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_user_courses_unknown_user(api):
    for ref in ("999", "sis_user_id:NOPE", str(2**64)):
        r = api.get(f"/api/v1/users/{ref}/courses", token="admin-token")
        assert r.status == 404 and r.json() == NOT_FOUND
    assert api.get("/api/v1/users/self/courses", token=None).json() == UNAUTHENTICATED
