"""The Assignment Groups API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded
server (or a real Canvas: the tests that make their own groups and delete them again run there too).

Covered canvasapi calls (and the requests they make):

* ``Course.create_assignment_group`` (``POST /courses/:id/assignment_groups`` with **top-level**
  form keys, ``rules[drop_lowest]``, ``rules[never_drop][]``; 200),
* ``Course.get_assignment_groups`` (``GET /courses/:id/assignment_groups`` with ``include[]``,
  followed page by page) and ``Course.get_assignment_group`` (``GET .../assignment_groups/:id``),
* ``AssignmentGroup.edit`` (``PUT``; refreshes itself from the answer's ``name``),
* ``AssignmentGroup.delete`` (``DELETE``; ``move_assignments_to`` goes in the **form body**),
* ``Course.create_assignment`` to put assignments in a group, for the drop rules and the move.
"""

from __future__ import annotations

import pytest
from canvasapi.assignment import AssignmentGroup
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist, Unauthorized

TOO_HIGH = "Drop rules cannot be higher than the number of assignments"


@pytest.fixture
def made(target, teacher, course_id):
    """Groups a test made; deleted again at teardown against a real Canvas."""
    groups: list[AssignmentGroup] = []
    yield groups
    if target.is_mock:
        return
    for g in groups:
        try:
            g.delete()
        except ResourceDoesNotExist:
            pass


def test_create_edit_and_delete(teacher, course_id, made, http_log):
    course = teacher.get_course(course_id)
    log = http_log(teacher)
    group = course.create_assignment_group(name="Contract Quizzes", group_weight=25.5, position=50)
    made.append(group)
    call = log[-1]
    assert (call.method, call.status) == ("POST", 200)  # not 201
    assert call.form == {"name": ["Contract Quizzes"], "group_weight": ["25.5"], "position": ["50"]}
    assert isinstance(group, AssignmentGroup)
    assert (group.name, group.group_weight, group.position, group.rules, group.course_id) == (
        "Contract Quizzes", 25.5, 50, {}, course_id)
    assert str(group) == f"Contract Quizzes ({group.id})"

    edited = group.edit(name="Contract Quizzes 2", group_weight=30, rules={"never_drop": [1, 2]})
    assert log[-1].form == {"name": ["Contract Quizzes 2"], "group_weight": ["30"], "rules[never_drop][]": ["1", "2"]}
    assert (group.name, edited.name, edited.group_weight, edited.rules) == (
        "Contract Quizzes 2", "Contract Quizzes 2", 30.0, {"never_drop": [1, 2]})

    again = course.get_assignment_group(group.id)
    assert (again.id, again.name, again.course_id) == (group.id, "Contract Quizzes 2", course_id)

    deleted = group.delete()
    assert (log[-1].method, log[-1].status) == ("DELETE", 200)
    assert (deleted.id, deleted.name) == (group.id, "Contract Quizzes 2")
    with pytest.raises(ResourceDoesNotExist):
        course.get_assignment_group(group.id)


def test_a_new_group_cannot_drop_scores(teacher, course_id, made):
    course = teacher.get_course(course_id)
    with pytest.raises(BadRequest) as err:
        made.append(course.create_assignment_group(name="Contract Drops", rules={"drop_lowest": 1}))
    assert TOO_HIGH in str(err.value)


def test_drop_rules_once_the_group_has_assignments(teacher, course_id, made):
    course = teacher.get_course(course_id)
    group = course.create_assignment_group(name="Contract Labs")
    made.append(group)
    course.create_assignment({"name": "Contract Lab 1", "assignment_group_id": group.id})
    course.create_assignment({"name": "Contract Lab 2", "assignment_group_id": group.id})
    group.edit(rules={"drop_lowest": 1, "drop_highest": 1})
    assert group.rules == {"drop_lowest": 1, "drop_highest": 1}
    with pytest.raises(BadRequest) as err:
        group.edit(rules={"drop_lowest": 3})
    assert TOO_HIGH in str(err.value)
    assert course.get_assignment_group(group.id).rules == {"drop_lowest": 1, "drop_highest": 1}


def test_delete_moves_the_assignments(teacher, course_id, made, http_log):
    course = teacher.get_course(course_id)
    old, new = course.create_assignment_group(name="Contract Old"), course.create_assignment_group(name="Contract New")
    made.extend([old, new])
    kept = course.create_assignment({"name": "Contract Kept", "assignment_group_id": new.id})
    moved = course.create_assignment({"name": "Contract Moved", "assignment_group_id": old.id})
    log = http_log(teacher)
    old.delete(move_assignments_to=new.id)
    assert log[-1].method == "DELETE" and log[-1].form == {"move_assignments_to": [str(new.id)]}
    assert log[-1].query == {}  # in the body, not the query string
    group = course.get_assignment_group(new.id, include=["assignments"])
    assert [a["id"] for a in group.assignments] == [kept.id, moved.id]
    assert course.get_assignment(moved.id).assignment_group_id == new.id


def test_delete_without_a_target_deletes_the_assignments(teacher, course_id, made):
    course = teacher.get_course(course_id)
    group = course.create_assignment_group(name="Contract Doomed")
    made.append(group)
    a = course.create_assignment({"name": "Contract Doomed 1", "assignment_group_id": group.id})
    group.delete()
    with pytest.raises(ResourceDoesNotExist):
        course.get_assignment(a.id)


def test_list_with_assignments_page_by_page(teacher, mock_store, mock_only):
    course = teacher.get_course(1)
    for i in range(3):
        course.create_assignment_group(name=f"Group {i}")
    first = course.get_assignment_groups()[0]
    course.create_assignment({"name": "Essay", "assignment_group_id": first.id, "published": True})
    groups = list(course.get_assignment_groups(include=["assignments"], per_page=2))
    assert [g.name for g in groups] == ["Group 0", "Group 1", "Group 2"]
    assert all(isinstance(g, AssignmentGroup) and g.course_id == 1 for g in groups)
    assert [a["name"] for a in groups[0].assignments] == ["Essay"]
    assert groups[0].any_assignment_in_closed_grading_period is False


def test_students_read_but_may_not_write(teacher, student, mock_only):
    group = teacher.get_course(1).create_assignment_group(name="Homework")
    teacher.get_course(1).create_assignment({"name": "Draft", "assignment_group_id": group.id})
    seen = student.get_course(1).get_assignment_group(group.id, include=["assignments"])
    assert (seen.name, seen.assignments) == ("Homework", [])  # the draft is not theirs to see
    with pytest.raises(Unauthorized):
        student.get_course(1).create_assignment_group(name="Mine")
    with pytest.raises(Unauthorized):
        seen.edit(name="Ours")
    with pytest.raises(Unauthorized):
        seen.delete()
