"""The Sections API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Course.get_sections`` (``GET /courses/:id/sections`` with ``include[]``, followed page by page),
  ``Course.get_section`` (``GET /courses/:id/sections/:id``), ``Canvas.get_section``
  (``GET /sections/:id`` and ``sections/sis_section_id:X`` with ``use_sis_id``);
* ``Course.create_course_section`` (``POST /courses/:id/sections`` with ``course_section[...]``,
  datetimes as canvasapi sends them: naive ``isoformat()``);
* ``Section.edit`` (``PUT /sections/:id``; the object refreshes itself from the answer's ``name``),
  ``Section.delete`` (``DELETE /sections/:id``, 400 while it has enrollments);
* ``Section.cross_list_section`` / ``Section.decross_list_section``.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist, Unauthorized
from canvasapi.section import Section


def test_get_sections_with_includes(teacher, mock_only):
    course = teacher.get_course(1)
    sections = list(course.get_sections(include=["total_students"], per_page=1))
    assert [(s.id, s.name, s.total_students) for s in sections] == [(1, "Section A", 7), (2, "Section B", 7)]
    assert all(isinstance(s, Section) for s in sections)
    assert sections[0].sis_section_id == "MOCK101-A"
    assert str(sections[1]) == "Section B - 1 (2)"


def test_get_section_by_course_and_by_id(teacher, student, mock_only):
    course = teacher.get_course(1)
    s = course.get_section(2, include=["students"])
    assert (s.id, s.course_id, [u["id"] for u in s.students][:2]) == (2, 1, [7, 9])
    assert teacher.get_section(1).name == "Section A"
    assert teacher.get_section("MOCK101-B", use_sis_id=True).id == 2
    assert student.get_section(1).id == 1  # student 6's own section
    with pytest.raises(Unauthorized):
        student.get_section(2)
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_section(999)
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_course(2).get_section(1)


def test_create_edit_delete(teacher, mock_store, mock_only):
    course = teacher.get_course(1)
    section = course.create_course_section(course_section={
        "name": "Lab", "start_at": datetime(2025, 1, 1), "end_at": datetime(2025, 6, 1, 12, 30),
        "restrict_enrollments_to_section_dates": True})
    assert (section.name, section.course_id, section.start_at, section.end_at,
            section.restrict_enrollments_to_section_dates) == (
        "Lab", 1, "2025-01-01T00:00:00Z", "2025-06-01T12:30:00Z", True)
    assert section.start_at_date.year == 2025
    edited = section.edit(course_section={"name": "Lab 2", "restrict_enrollments_to_section_dates": False})
    assert (section.name, edited.name, edited.restrict_enrollments_to_section_dates) == ("Lab 2", "Lab 2", False)
    assert mock_store.get("sections", section.id).name == "Lab 2"
    deleted = section.delete()
    assert deleted.id == section.id
    assert mock_store.get("sections", section.id).workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_section(section.id)
    names = [e.name for e in mock_store.live_events.all()]
    assert names == ["course_section_created", "course_section_updated", "course_section_updated"]


def test_delete_refused_while_it_has_enrollments(teacher, mock_store, mock_only):
    with pytest.raises(BadRequest) as err:
        teacher.get_section(2).delete()
    assert "You can't delete a section that has enrollments" in str(err.value)
    assert mock_store.get("sections", 2).workflow_state == "active"


def test_a_ta_may_not_create_sections(target, mock_user_client, mock_store, mock_only):
    ta = mock_user_client(3)
    before = len(mock_store.rows["sections"])
    with pytest.raises(Unauthorized):
        ta.get_course(1).create_course_section(course_section={"name": "Nope"})
    assert len(mock_store.rows["sections"]) == before


def test_cross_list_and_back(teacher, mock_store, mock_only):
    section = teacher.get_section(2)
    moved = section.cross_list_section(teacher.get_course(2))
    assert (moved.course_id, moved.nonxlist_course_id) == (2, 1)
    assert {e.course_id for e in mock_store.sections.enrollments(mock_store.get("sections", 2))} == {2}
    assert [s.id for s in teacher.get_course(2).get_sections()] == [3, 2]
    back = moved.decross_list_section()
    assert (back.course_id, back.nonxlist_course_id) == (1, None)
    with pytest.raises(BadRequest):
        back.decross_list_section()  # "section is not cross-listed"
