"""GET /api/v1/courses/:id and GET /api/v1/accounts/:account_id/courses/:id (CoursesController#show).

(The course users routes moved to test_course_users.py.)
"""

from __future__ import annotations

import pytest

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

# the observed 2025 key order of a course as its teacher sees it (canvas-facts-courses-users 2)
TEACHER_KEYS = [
    "id", "name", "account_id", "uuid", "start_at", "grading_standard_id", "is_public", "created_at",
    "course_code", "default_view", "root_account_id", "enrollment_term_id", "license", "grade_passback_setting",
    "end_at", "public_syllabus", "public_syllabus_to_auth", "storage_quota_mb", "is_public_to_auth_users",
    "homeroom_course", "course_color", "friendly_name", "apply_assignment_group_weights", "calendar",
    "time_zone", "blueprint", "template", "sis_course_id", "integration_id", "enrollments", "hide_final_grades",
    "workflow_state", "restrict_enrollments_to_course_dates",
]


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def test_course_for_its_teacher_exact(api, store):
    r = api.get("/api/v1/courses/1")
    assert r.status == 200
    c = r.json()
    assert list(c) == TEACHER_KEYS
    course = store.get("courses", 1)
    assert c == {
        "id": 1, "name": "Introduction to Mocking", "account_id": 1, "uuid": course.uuid, "start_at": None,
        "grading_standard_id": None, "is_public": False, "created_at": c["created_at"], "course_code": "MOCK101",
        "default_view": "modules", "root_account_id": 1, "enrollment_term_id": 1, "license": "private",
        "grade_passback_setting": None, "end_at": None, "public_syllabus": False, "public_syllabus_to_auth": False,
        "storage_quota_mb": 500, "is_public_to_auth_users": False, "homeroom_course": False, "course_color": None,
        "friendly_name": None, "apply_assignment_group_weights": False,
        "calendar": {"ics": f"{api.base_url}/feeds/calendars/course_{course.uuid}.ics"},
        "time_zone": "Etc/UTC", "blueprint": False, "template": False, "sis_course_id": "MOCK101-2024",
        "integration_id": None,
        "enrollments": [{"type": "teacher", "role": "TeacherEnrollment", "role_id": 5, "user_id": 2,
                         "enrollment_state": "active", "limit_privileges_to_course_section": False}],
        "hide_final_grades": False, "workflow_state": "available", "restrict_enrollments_to_course_dates": False,
    }
    assert c["created_at"].endswith("Z") and len(c["created_at"]) == 20


@pytest.mark.parametrize("token,sis,import_id,etype", [
    ("teacher-token", True, False, "teacher"),
    ("ta-token", False, False, "ta"),          # read_sis is not true_for TAs (2025)
    ("designer-token", False, False, "designer"),
    ("student-token", False, False, "student"),
    ("observer-token", False, False, "observer"),
    ("admin-token", True, True, None),
])
def test_sis_fields_and_enrollments_by_role(api, tokens, token, sis, import_id, etype):
    c = api.get("/api/v1/courses/1", token=token).json()
    assert ("sis_course_id" in c) is sis and ("integration_id" in c) is sis
    assert ("sis_import_id" in c) is import_id
    assert [e["type"] for e in c["enrollments"]] == ([etype] if etype else [])


# which role may read a course in each state (Course#set_policy)
@pytest.mark.parametrize("course_id,token,status", [
    (3, "teacher-token", 200), (3, "student-token", 401), (3, "admin-token", 200), (3, "ta-token", 401),
    (4, "teacher-token", 200), (4, "student-token", 200), (4, "admin-token", 200), (4, "outsider-token", 401),
    (1, "outsider-token", 401), (1, "observer-token", 200), (1, "designer-token", 200),
    (2, "student2-token", 401), (2, "admin-token", 200),
])
def test_who_reads_which_course(api, tokens, course_id, token, status):
    r = api.get(f"/api/v1/courses/{course_id}", token=token)
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED


def test_completed_enrollments_are_not_listed(api):
    c = api.get("/api/v1/courses/4").json()
    assert c["workflow_state"] == "completed" and c["enrollments"] == []
    assert c["enrollment_term_id"] == 3 and "sis_course_id" not in c  # a completed teacher reads no SIS


def test_unpublished_course_for_its_teacher(api):
    c = api.get("/api/v1/courses/3?include[]=syllabus_body&include[]=term").json()
    assert c["workflow_state"] == "unpublished"
    assert c["syllabus_body"] == "<p>Draft syllabus</p>"
    assert c["term"]["name"] == "Fall 2026" and c["term"]["start_at"] == "2026-08-17T00:00:00Z"
    assert "sis_term_id" not in c["term"]  # root-account SIS rights only
    admin = api.get("/api/v1/courses/3?include[]=term", token="admin-token").json()
    assert admin["term"]["sis_term_id"] == "2026-FA"


def test_public_to_authenticated_users(api, store):
    store._update("courses", store.get("courses", 2), is_public_to_auth_users=True)
    r = api.get("/api/v1/courses/2", token="outsider-token")
    assert r.status == 200 and r.json()["enrollments"] == []
    store._update("courses", store.get("courses", 2), workflow_state="claimed")
    assert api.get("/api/v1/courses/2", token="outsider-token").status == 401


def test_permissions_only_on_show(api, tokens):
    c = api.get("/api/v1/courses/1?include[]=permissions").json()
    assert c["permissions"] == {"create_discussion_topic": True, "create_announcement": True}
    keys = list(c)
    assert keys.index("friendly_name") < keys.index("permissions") < keys.index("apply_assignment_group_weights")
    s = api.get("/api/v1/courses/1?include[]=permissions", token="student-token").json()
    assert s["permissions"] == {"create_discussion_topic": True, "create_announcement": False}
    o = api.get("/api/v1/courses/1?include[]=permissions", token="observer-token").json()
    assert o["permissions"] == {"create_discussion_topic": False, "create_announcement": False}


def test_sections_of_an_admin_are_the_course_sections(api):
    c = api.get("/api/v1/courses/1?include[]=sections&include[]=total_students", token="admin-token").json()
    assert c["sections"] == [{"id": 1, "name": "Section A", "start_at": None, "end_at": None},
                             {"id": 2, "name": "Section B", "start_at": None, "end_at": None}]
    assert c["total_students"] == 14


def test_public_description_only_when_set(api, store):
    store._update("courses", store.get("courses", 1), public_description="All about mocks")
    c = api.get("/api/v1/courses/1?include[]=public_description").json()
    assert c["public_description"] == "All about mocks"
    keys = list(c)
    assert keys.index("enrollments") < keys.index("public_description") < keys.index("hide_final_grades")
    assert "public_description" not in api.get("/api/v1/courses/1").json()


def test_by_sis_id_and_json_suffix(api):
    assert api.get("/api/v1/courses/sis_course_id:MOCK101-2024").json()["id"] == 1
    assert api.get("/api/v1/courses/hex:sis_course_id:4d4f434b3130312d32303234").json()["id"] == 1
    assert api.get("/api/v1/courses/1.json").json()["id"] == 1


@pytest.mark.parametrize("ref", ["999", "sis_course_id:NOPE", "sis_course_id:", str(2**63), str(2**64 + 1),
                                 "abc", "sis_user_id:S-006", "%E2%9C%93", "sis_course_id:%3Cscript%3E"])
def test_unknown_course_is_404(api, ref):
    r = api.get(f"/api/v1/courses/{ref}")
    assert r.status == 404 and r.json() == NOT_FOUND


def test_deleted_course_is_404_unless_all_courses(api):
    assert api.delete("/api/v1/courses/2", token="admin-token", data={"event": "delete"}).status == 200
    r = api.get("/api/v1/courses/2", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
    # include[]=all_courses finds it, but reading a deleted course is still refused
    r = api.get("/api/v1/courses/2?include[]=all_courses", token="admin-token")
    assert r.status == 401


def test_show_in_an_account(api):
    r = api.get("/api/v1/accounts/1/courses/2", token="admin-token")
    assert r.status == 200 and r.json()["id"] == 2  # a sub-account's course is in the root's tree
    assert api.get("/api/v1/accounts/2/courses/1", token="admin-token").json() == NOT_FOUND
    assert api.get("/api/v1/accounts/sis_account_id:SCI/courses/2", token="admin-token").status == 200
    assert api.get("/api/v1/accounts/self/courses/1", token="teacher-token").status == 200
    assert api.get("/api/v1/accounts/999/courses/1", token="admin-token").status == 404
    assert api.get("/api/v1/accounts/1/courses/1", token="outsider-token").json() == UNAUTHORIZED


def test_show_needs_a_token(api):
    r = api.get("/api/v1/courses/1", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    bad = api.get("/api/v1/courses/1", token="bad-token")
    assert bad.status == 401 and bad.json() == {"errors": [{"message": "Invalid access token."}]}


def test_string_ids(api):
    c = api.get("/api/v1/courses/1", headers={"Accept": "application/json+canvas-string-ids"}).json()
    assert c["id"] == "1" and c["account_id"] == "1" and c["enrollments"][0]["user_id"] == "2"
    assert c["storage_quota_mb"] == 500


@pytest.mark.parametrize("form", ["sis_course_id:MOCK101-2024", "uuid:{uuid}", "hex:sis_course_id:{hex}",
                                  "sis_integration_id:{integration}"])
def test_course_path_id_forms(api, store, form):
    """Api::SIS_MAPPINGS for courses: SIS id, integration id and uuid (also the hex form)."""
    course = store.get("courses", 1)
    store._update("courses", course, integration_id="INT-101")
    ref = form.format(uuid=course.uuid, hex="MOCK101-2024".encode().hex(), integration="INT-101")
    r = api.get(f"/api/v1/courses/{ref}")
    assert r.status == 200 and r.json()["id"] == 1
    assert api.get(f"/api/v1/courses/{ref.split(':')[0]}:nope").status == 404
