"""The Assignments API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Course.create_assignment`` (``POST /courses/:id/assignments`` with ``assignment[...]``; a dict
  without ``name`` is refused by the client; datetimes as canvasapi sends them: ``isoformat()``);
* ``Course.get_assignments`` (``GET /courses/:id/assignments``, followed page by page, with
  ``include[]`` / ``search_term`` / ``bucket``), ``Course.get_assignment``
  (``GET /courses/:id/assignments/:id``), ``Course.get_assignments_for_group``
  (``GET /courses/:id/assignment_groups/:gid/assignments``);
* ``Assignment.edit`` (``PUT``; the object refreshes itself from the answer's ``name``) and
  ``Assignment.delete`` (``DELETE``; an Assignment built from the body), both from the JSON's
  ``course_id``.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from canvasapi.assignment import Assignment
from canvasapi.exceptions import BadRequest, RequiredFieldMissing, ResourceDoesNotExist, Unauthorized


@pytest.fixture
def course(teacher, mock_store, mock_only):
    """Course 1 without assignments or groups of its own (whatever the default world ships)."""
    with mock_store.bulk("assignments", "assignment_groups"):
        for table in ("assignments", "assignment_groups"):
            for row in list(mock_store.all(table)):
                if row.course_id == 1 and row.workflow_state != "deleted":
                    mock_store._update(table, row, workflow_state="deleted")
    return teacher.get_course(1)


def test_create_get_and_list(course, mock_store):
    a = course.create_assignment({"name": "Essay 1", "points_possible": 10, "submission_types": ["online_upload"],
                                  "due_at": datetime(2024, 5, 1, 23, 59), "published": True,
                                  "allowed_extensions": ["pdf", ".DOCX"]})
    assert isinstance(a, Assignment)
    assert (a.name, a.points_possible, a.submission_types, a.due_at, a.published, a.course_id) == (
        "Essay 1", 10.0, ["online_upload"], "2024-05-01T23:59:00Z", True, 1)
    assert a.allowed_extensions == ["pdf", "docx"]
    assert a.due_at_date == datetime(2024, 5, 1, 23, 59, tzinfo=timezone.utc)
    assert mock_store.get("assignments", a.id).workflow_state == "published"
    got = course.get_assignment(a.id)
    assert (got.id, got.name, got.needs_grading_count) == (a.id, "Essay 1", 0)
    assert str(got) == f"Essay 1 ({a.id})"
    with pytest.raises(RequiredFieldMissing):
        course.create_assignment({"points_possible": 1})


def test_pages_are_followed(course):
    made = [course.create_assignment({"name": f"A{i}"}).id for i in range(5)]
    listed = course.get_assignments(per_page=2)
    assert [a.id for a in listed] == made
    assert [a.id for a in course.get_assignments(search_term="A3")] == [made[3]]
    assert [a.id for a in course.get_assignments(bucket="undated", per_page=50)] == made
    with pytest.raises(BadRequest):
        list(course.get_assignments(bucket="nope"))


def test_get_assignments_for_group(course, mock_store):
    a = course.create_assignment({"name": "In the default group"})
    other = mock_store.insert("assignment_groups", course_id=1, name="Labs", position=2)
    b = course.create_assignment({"name": "Lab", "assignment_group_id": other.id})
    assert [x.id for x in course.get_assignments_for_group(a.assignment_group_id)] == [a.id]
    assert [x.id for x in course.get_assignments_for_group(other.id)] == [b.id]
    assert b.assignment_group_id == other.id


def test_edit_refreshes_and_errors_raise(course, mock_store):
    a = course.create_assignment({"name": "Draft"})
    assert a.published is False
    edited = a.edit(assignment={"name": "Final", "published": True, "points_possible": 5,
                                "lock_at": datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)})
    assert (a.name, edited.name, edited.published, edited.points_possible, edited.lock_at) == (
        "Final", "Final", True, 5.0, "2024-06-01T12:00:00Z")
    assert mock_store.get("assignments", a.id).title == "Final"
    with pytest.raises(BadRequest) as err:
        a.edit(assignment={"name": ""})
    assert "title" in str(err.value)
    with pytest.raises(BadRequest):
        a.edit(assignment={"due_at": "2024-05-01"})


def test_delete(course, mock_store):
    a = course.create_assignment({"name": "Gone"})
    deleted = a.delete()
    assert isinstance(deleted, Assignment)
    assert (deleted.id, deleted.workflow_state, deleted.published) == (a.id, "deleted", False)
    assert mock_store.get("assignments", a.id).workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        course.get_assignment(a.id)


def test_students_see_published_only(course, student):
    draft = course.create_assignment({"name": "Draft"})
    pub = course.create_assignment({"name": "Published", "published": True})
    mine = student.get_course(1)
    assert [a.id for a in mine.get_assignments()] == [pub.id]
    with pytest.raises(Unauthorized):
        mine.get_assignment(draft.id)
    with pytest.raises(Unauthorized):
        mine.create_assignment({"name": "Nope"})
    got = mine.get_assignment(pub.id, include=["submission"])
    assert got.submission["workflow_state"] == "unsubmitted"
    assert not hasattr(got, "needs_grading_count")
