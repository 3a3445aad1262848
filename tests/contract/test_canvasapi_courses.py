"""The Courses API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Canvas.get_courses`` (``GET /courses`` with ``enrollment_type``, ``state[]``, ``include[]``),
  ``Canvas.get_course`` (``GET /courses/:id``, and ``courses/sis_course_id:X`` with ``use_sis_id``);
* ``Course.update`` (``PUT /courses/:id`` with ``course[...]``; returns the new name),
  ``Course.delete`` / ``Course.conclude`` (``DELETE /courses/:id`` with ``event`` in the body),
  ``Course.get_settings`` / ``Course.update_settings`` (top-level form fields);
* ``Course.get_users`` (``GET /courses/:id/search_users``), ``Course.get_user`` (``users/:id`` and
  ``users/sis_user_id:X``);
* ``Account.get_courses`` (``GET /accounts/:id/courses``), ``Account.create_course``
  (``POST /accounts/:id/courses`` with ``course[...]``, ``account_id`` and ``offer``/``enroll_me``);
* ``User.get_courses`` (``GET /users/:id/courses``);
* paging through canvasapi's ``PaginatedList`` with small pages (the page-number links with
  ``last`` of ``GET /courses`` and the no-total links of the account and users lists).
"""

from __future__ import annotations

import pytest
from canvasapi.course import Course
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist, Unauthorized
from canvasapi.paginated_list import PaginatedList
from canvasapi.user import User
from canvasapi.util import combine_kwargs

COURSE_STUDENTS = {6, 7, *range(8, 20)}


def small_pages(canvas, cls, path, per_page=2, **params):
    """canvasapi's own PaginatedList with ``per_page`` handed to it directly."""
    return PaginatedList(cls, canvas._Canvas__requester, "GET", path, per_page=per_page,
                         _kwargs=combine_kwargs(**params))


def test_get_courses_with_filters(teacher, student, mock_only):
    assert [c.id for c in teacher.get_courses()] == [2, 1, 3]
    assert [c.id for c in teacher.get_courses(enrollment_type="teacher", state=["available"])] == [2, 1]
    assert [c.id for c in student.get_courses(state=["completed"])] == [4]
    [intro, *_] = [c for c in student.get_courses(include=["term", "total_students"]) if c.id == 1]
    assert intro.term["name"] == "Default Term" and intro.total_students == 14
    assert intro.enrollments[0]["type"] == "student" and not hasattr(intro, "sis_course_id")


def test_get_courses_in_small_pages(teacher, mock_only, http_log):
    log = http_log(teacher)
    pages = small_pages(teacher, Course, "courses", per_page=1)
    assert [c.name for c in pages] == ["Advanced Mocking", "Introduction to Mocking", "Mocking Drafts"]
    calls = [e for e in log if e.path.endswith("/api/v1/courses")]
    assert len(calls) == 3 and 'rel="last"' in calls[0].headers["Link"]


def test_get_course_by_id_and_sis_id(teacher, mock_only):
    course = teacher.get_course(1)
    assert (course.name, course.course_code, course.workflow_state) == ("Introduction to Mocking", "MOCK101",
                                                                        "available")
    assert teacher.get_course("MOCK101-2024", use_sis_id=True).id == 1
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_course(999)
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_course("NOPE", use_sis_id=True)


def test_student_cannot_read_an_unpublished_course(student, mock_only):
    with pytest.raises(Unauthorized):
        student.get_course(3)


def test_update_publish_and_conclude(teacher, student, mock_store):
    course = teacher.get_course(3)
    assert course.update(course={"name": "Drafts, Published", "event": "offer"}) == "Drafts, Published"
    assert course.workflow_state == "available"
    assert 3 in [c.id for c in student.get_courses()]
    assert course.conclude() is True
    assert mock_store.get("courses", 3).workflow_state == "completed"
    assert 3 not in [c.id for c in student.get_courses()]


def test_update_refused_for_a_student(student, mock_store):
    course = student.get_course(1)
    with pytest.raises(Unauthorized):
        course.update(course={"name": "Hacked"})
    assert mock_store.get("courses", 1).name == "Introduction to Mocking"


def test_delete_needs_an_admin(teacher, admin, mock_store):
    with pytest.raises(Unauthorized):
        teacher.get_course(2).delete()
    assert admin.get_course(2).delete() is True
    assert mock_store.get("courses", 2).workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        admin.get_course(2)


def test_settings(teacher, student, mock_only):
    course = teacher.get_course(1)
    settings = course.get_settings()
    assert settings["allow_student_discussion_topics"] is True and settings["hide_final_grades"] is False
    updated = course.update_settings(hide_final_grades=True, allow_student_discussion_topics=False)
    assert updated["hide_final_grades"] is True and updated["allow_student_discussion_topics"] is False
    assert student.get_course(1).get_settings()["hide_final_grades"] is True
    with pytest.raises(Unauthorized):
        student.get_course(1).update_settings(hide_final_grades=False)


def test_course_users(teacher, student, mock_only, http_log):
    log = http_log(teacher)
    course = teacher.get_course(1)
    students = list(course.get_users(enrollment_type=["student"], include=["enrollments"]))
    assert {u.id for u in students} == COURSE_STUDENTS
    sam = next(u for u in students if u.id == 6)
    assert sam.email == "student@example.edu" and sam.enrollments[0]["type"] == "StudentEnrollment"
    assert [e.path for e in log if "users" in e.path] == ["/api/v1/courses/1/search_users"]
    paged = small_pages(teacher, User, "courses/1/search_users", per_page=4, enrollment_type=["student"])
    assert len({u.id for u in paged}) == 14
    plain = list(student.get_course(1).get_users(enrollment_type=["teacher"]))
    assert [u.id for u in plain] == [2] and not hasattr(plain[0], "email")
    with pytest.raises(BadRequest):
        list(course.get_users(search_term="s"))


def test_course_get_user(teacher, mock_only):
    course = teacher.get_course(1)
    assert course.get_user(6).name == "Sam Student"
    assert course.get_user("S-007", "sis_user_id").id == 7
    with pytest.raises(ResourceDoesNotExist):
        course.get_user(20)


def test_account_courses_and_create(admin, teacher, mock_store):
    account = admin.get_account(1)
    assert [c.id for c in account.get_courses()] == [1, 2, 3, 4]
    assert [c.id for c in account.get_courses(state=["available"], with_enrollments=True)] == [1, 2]
    pages = small_pages(admin, Course, "accounts/1/courses", per_page=3)
    assert [c.id for c in pages] == [1, 2, 3, 4]
    created = account.create_course(course={"name": "Optics 201", "course_code": "OPT201"}, offer=True)
    assert isinstance(created, Course) and created.workflow_state == "available"
    assert (created.name, created.course_code, created.account_id) == ("Optics 201", "OPT201", 1)
    assert mock_store.get("courses", created.id).name == "Optics 201"
    with pytest.raises(Unauthorized):
        list(small_pages(teacher, Course, "accounts/1/courses"))


def test_create_with_enroll_me(admin, mock_store):
    course = admin.get_account(1).create_course(course={"name": "Mine"}, enroll_me=True)
    assert course.workflow_state == "unpublished"
    assert [c.id for c in admin.get_courses()] == [course.id]


def test_user_get_courses(admin, student, mock_only):
    user = admin.get_user(6)
    assert [c.id for c in user.get_courses()] == [2, 1]
    me = student.get_current_user()
    assert [c.id for c in me.get_courses(state=["unpublished"])] == [3]
