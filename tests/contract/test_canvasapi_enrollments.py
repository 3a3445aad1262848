"""The Enrollments API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Course.enroll_user`` / ``Section.enroll_user`` (``POST courses/:id/enrollments`` and
  ``sections/:id/enrollments`` with ``enrollment[user_id]``, ``enrollment[type]``, ``enrollment[...]``);
* ``Course.get_enrollments``, ``Section.get_enrollments``, ``User.get_enrollments`` (bookmark pages
  followed through ``rel="next"``; ``type[]``, ``state[]``, ``include[]``);
* ``Enrollment.deactivate(task)`` (``DELETE courses/:course_id/enrollments/:id``, ``task`` in the body),
  ``Enrollment.reactivate`` (``PUT .../reactivate``), ``Enrollment.accept`` / ``reject``
  (``POST .../accept`` / ``reject``, ``{"success": true}``);
* ``Account.get_enrollment`` (``GET accounts/:account_id/enrollments/:id``).
"""

from __future__ import annotations

import pytest
from canvasapi.enrollment import Enrollment
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist, Unauthorized
from canvasapi.paginated_list import PaginatedList
from canvasapi.util import combine_kwargs

pytestmark = pytest.mark.usefixtures("mock_only")


def test_course_enroll_user_and_list(teacher, mock_store):
    course = teacher.get_course(1)
    e = course.enroll_user(20, enrollment={"type": "TaEnrollment", "enrollment_state": "active",
                                           "limit_privileges_to_course_section": True})
    assert isinstance(e, Enrollment)
    assert (e.user_id, e.course_id, e.type, e.enrollment_state, e.limit_privileges_to_course_section) == \
        (20, 1, "TaEnrollment", "active", True)
    assert mock_store.get("enrollments", e.id).workflow_state == "active"
    tas = list(course.get_enrollments(type=["TaEnrollment"]))
    assert [x.user_id for x in tas] == [3, 20]
    assert str(tas[0]) == f"TaEnrollment ({tas[0].id})"


def test_deprecated_positional_type(teacher):
    with pytest.warns(DeprecationWarning):
        e = teacher.get_course(1).enroll_user(20, "ObserverEnrollment")
    assert (e.type, e.enrollment_state) == ("ObserverEnrollment", "active")


def test_small_pages_walk_every_enrollment(teacher, mock_store):
    pages = PaginatedList(Enrollment, teacher._Canvas__requester, "GET", "courses/1/enrollments", per_page=3,
                          _kwargs=combine_kwargs())
    ids = [e.id for e in pages]
    live = [e for e in mock_store.all("enrollments") if e.course_id == 1]
    assert sorted(ids) == sorted(e.id for e in live) and len(ids) == len(set(ids)) == 18


def test_section_enroll_and_list(teacher):
    section = teacher.get_course(1).get_section(2)
    e = section.enroll_user(20)
    assert (e.course_section_id, e.enrollment_state) == (2, "invited")
    listed = list(section.get_enrollments(state=["invited"]))
    assert [x.id for x in listed] == [e.id]
    assert listed[0].user["id"] == 20


def test_deactivate_reactivate_and_conclude(teacher, mock_store):
    enrollment = next(e for e in teacher.get_course(1).get_enrollments(user_id=7))
    inactive = enrollment.deactivate("inactivate")
    assert (inactive.id, inactive.enrollment_state) == (enrollment.id, "inactive")
    again = inactive.reactivate()
    assert again.enrollment_state == "active"
    concluded = again.deactivate("conclude")
    assert concluded.enrollment_state == "completed"
    assert mock_store.get("enrollments", enrollment.id).workflow_state == "completed"
    with pytest.raises(BadRequest):
        concluded.reactivate()


def test_teacher_cannot_delete_their_own(teacher, mock_store):
    own = next(iter(teacher.get_course(1).get_enrollments(user_id="self")))
    with pytest.raises(Unauthorized):
        own.deactivate("delete")
    assert mock_store.get("enrollments", own.id).workflow_state == "active"


def test_accept_and_reject(teacher, mock_user_client, mock_store):
    created = teacher.get_course(1).enroll_user(20)  # invited
    outsider = mock_user_client(20)
    mine = next(iter(outsider.get_user("self").get_enrollments()))
    assert mine.id == created.id
    assert mine.reject() is True
    assert mock_store.get("enrollments", created.id).workflow_state == "rejected"
    assert mine.accept() is True
    assert mock_store.get("enrollments", created.id).workflow_state == "active"
    with pytest.raises(Unauthorized):
        created.accept()  # the teacher is not the invitee


def test_user_get_enrollments(student, admin):
    assert [(e.course_id, e.type) for e in student.get_user("self").get_enrollments()] == \
        [(1, "StudentEnrollment"), (2, "StudentEnrollment")]
    other = admin.get_user(6)
    assert [e.course_id for e in other.get_enrollments(state=["completed"])] == [4]
    with pytest.raises(Unauthorized):  # another user's: admins only
        student._Canvas__requester.request("GET", "users/7/enrollments")


def test_account_get_enrollment(admin, student):
    account = admin.get_account(1)
    e = account.get_enrollment(5)
    assert (e.id, e.user_id, e.course_id) == (5, 6, 1) and not hasattr(e, "user")
    with pytest.raises(ResourceDoesNotExist):
        admin.get_account(2).get_enrollment(5)
