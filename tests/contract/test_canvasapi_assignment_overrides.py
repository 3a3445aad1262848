"""Assignment overrides as canvasapi 3.6.0 drives them: real client, real HTTP, the mock's threaded
server (or a real Canvas, see conftest.py).

Covered canvasapi calls (and the requests they make):

* ``Assignment.create_override`` (``POST /courses/:id/assignments/:id/overrides`` with
  ``assignment_override[...]``; datetimes as canvasapi sends them: ``isoformat()``, naive or aware);
* ``Assignment.get_overrides`` (``GET .../overrides``, followed page by page),
  ``Assignment.get_override`` (``GET .../overrides/:id``, by object or id);
* ``AssignmentOverride.edit`` (``PUT .../overrides/:id``: the URL from the JSON's ``assignment_id``;
  the object refreshes itself when the answer has a ``title``), ``AssignmentOverride.delete``
  (``DELETE``; a new object from the answer).

Every object canvasapi builds here carries ``course_id`` (added by canvasapi) and ``assignment_id``
(from the JSON: ``edit`` and ``delete`` need it).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from canvasapi.assignment import AssignmentOverride
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist, Unauthorized


@pytest.fixture
def course(teacher, course_id):
    return teacher.get_course(course_id)


@pytest.fixture
def assignment(course, target):
    a = course.create_assignment(assignment={"name": "Override contract", "published": True,
                                             "due_at": datetime(2030, 5, 10, 12, tzinfo=timezone.utc)})
    yield a
    if not target.is_mock:
        a.delete()


@pytest.fixture
def section_id(course):
    return next(iter(course.get_sections())).id


def test_create_get_edit_delete_a_section_override(assignment, section_id, http_log, teacher):
    log = http_log(teacher)
    o = assignment.create_override(assignment_override={
        "course_section_id": section_id, "due_at": datetime(2030, 5, 3, 18, tzinfo=timezone.utc),
        "lock_at": datetime(2030, 5, 9, 12, tzinfo=timezone.utc)})
    assert isinstance(o, AssignmentOverride)
    assert (o.assignment_id, o.course_section_id, o.course_id) == (assignment.id, section_id, assignment.course_id)
    assert (o.due_at, o.lock_at, o.all_day) == ("2030-05-03T18:00:00Z", "2030-05-09T12:00:00Z", False)
    assert o.due_at_date.day == 3
    assert not hasattr(o, "unlock_at")
    assert log[-1].status == 201
    assert log[-1].form["assignment_override[course_section_id]"] == [str(section_id)]

    same = assignment.get_override(o)
    assert (same.id, same.title, same.due_at) == (o.id, o.title, o.due_at)
    assert assignment.get_override(o.id).id == o.id

    edited = o.edit(assignment_override={"unlock_at": datetime(2030, 5, 1, 12, tzinfo=timezone.utc)})
    assert edited is o and o.unlock_at == "2030-05-01T12:00:00Z"
    fresh = assignment.get_override(o.id)
    assert not hasattr(fresh, "due_at") and not hasattr(fresh, "lock_at")  # not sent: un-overridden

    gone = o.delete()
    assert isinstance(gone, AssignmentOverride) and gone.id == o.id
    with pytest.raises(ResourceDoesNotExist):
        assignment.get_override(o.id)
    assert [x.id for x in assignment.get_overrides()] == []


def test_get_overrides_pages(assignment, course, mock_only):
    made = [assignment.create_override(assignment_override={"course_section_id": sid}).id for sid in (1, 2)]
    made.append(assignment.create_override(assignment_override={"student_ids": [6, 7], "title": "Ext"}).id)
    listed = list(assignment.get_overrides(per_page=1))
    assert [o.id for o in listed] == made
    assert all(isinstance(o, AssignmentOverride) and o.course_id == 1 for o in listed)
    assert (listed[2].title, listed[2].student_ids, str(listed[2])) == ("Ext", [6, 7], f"Ext ({made[2]})")


def test_adhoc_edit_and_delete(assignment, mock_only):
    o = assignment.create_override(assignment_override={"student_ids": [6, 7], "due_at": datetime(2030, 5, 1)})
    # naive: the user's zone (UTC); its midnight becomes 23:59:59 (fancy midnight)
    assert (o.title, o.due_at, o.all_day, o.all_day_date) == ("2 students", "2030-05-01T23:59:59Z", True, "2030-05-01")
    o.edit(assignment_override={"student_ids": [7, 8], "title": "Pair"})
    assert (o.title, o.student_ids) == ("Pair", [7, 8])
    gone = o.delete()
    assert (gone.title, gone.student_ids) == ("Pair", [])


def test_students_see_their_own_overrides(assignment, student, mock_only):
    own = assignment.create_override(assignment_override={"course_section_id": 1}).id
    other = assignment.create_override(assignment_override={"course_section_id": 2}).id
    mine = student.get_course(1).get_assignment(assignment.id)
    assert [o.id for o in mine.get_overrides()] == [own]
    with pytest.raises(ResourceDoesNotExist):
        mine.get_override(other)
    with pytest.raises(Unauthorized):
        mine.create_override(assignment_override={"student_ids": [6]})


def test_errors(assignment, section_id):
    with pytest.raises(BadRequest) as info:
        assignment.create_override(assignment_override={"course_section_id": section_id, "due_at": "nope"})
    assert 'invalid due_at \\"nope\\"' in str(info.value) or 'invalid due_at "nope"' in str(info.value)
    with pytest.raises(BadRequest):
        assignment.create_override(assignment_override={"title": "no target"})
    with pytest.raises(ResourceDoesNotExist):
        assignment.get_override(999999999)
