"""World files of the assignments areas: ``assignment_groups``, ``assignments`` and
``assignment_overrides`` (mockcanvas/seed/assignment_groups.py, assignments.py,
assignment_overrides.py; docs/worlds.md)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from mockcanvas.clock import FrozenClock
from mockcanvas.seed import DEFAULT_WORLDS, WorldError, load_world
from mockcanvas.store import Store

ROOT = Path(__file__).parents[2]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def write(tmp_path: Path, data, name: str = "world.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def base(**extra) -> dict:
    """One course with a section, a teacher, two students (one in a group) and another course."""
    data = {
        "accounts": [{"key": "root", "name": "Root"}],
        "users": [{"key": "t", "name": "Tess"}, {"key": "s1", "name": "Sam"}, {"key": "s2", "name": "Sue"},
                  {"key": "x", "name": "Xavier"}],
        "courses": [{"key": "c1", "name": "One", "account": "root"}, {"key": "c2", "name": "Two", "account": "root"}],
        "sections": [{"key": "a", "course": "c1", "name": "A"}, {"key": "b", "course": "c2", "name": "B"}],
        "enrollments": [{"user": "t", "course": "c1", "type": "teacher"}, {"user": "s1", "course": "c1"},
                        {"user": "s2", "course": "c1", "state": "invited"}, {"user": "x", "course": "c2"}],
        "group_categories": [{"key": "proj", "name": "Projects", "course": "c1"},
                             {"key": "other", "name": "Others", "course": "c2"}],
        "groups": [{"key": "g1", "name": "Group 1", "category": "proj", "members": ["s1"]},
                   {"key": "gx", "name": "Group X", "category": "other", "members": ["x"]}],
    }
    data.update(extra)
    return data


def problems(tmp_path: Path, data) -> list[str]:
    store = Store()
    with pytest.raises(WorldError) as e:
        load_world(write(tmp_path, data), store=store)
    assert not store.tokens and not any(store.rows[t] for t in store.rows)  # nothing inserted
    return e.value.problems


def load(tmp_path: Path, data) -> Store:
    return load_world(write(tmp_path, data), clock=FrozenClock())


# -- assignment_groups -----------------------------------------------------------------------------
def test_groups_with_every_field(tmp_path):
    store = load(tmp_path, base(
        assignment_groups=[
            {"key": "hw", "id": 5, "course": "c1", "name": "Homework", "position": 3, "group_weight": 40,
             "rules": {"drop_lowest": 1, "drop_highest": 0, "never_drop": ["essay", 7]}, "sis_source_id": "HW",
             "integration_data": {"tool": "x", "n": 2}, "created_at": "2024-01-02T03:04:05Z"},
            {"course": "c1", "name": "Labs", "group_weight": 12.5},
            {"course": "c1", "workflow_state": "deleted", "position": 9}],
        assignments=[{"key": "essay", "group": "hw", "name": "Essay"}, {"id": 7, "group": "hw", "name": "Seven"}]))
    hw = store.get("assignment_groups", 5)
    assert (hw.course_id, hw.name, hw.position, hw.group_weight, hw.sis_source_id) == (1, "Homework", 3, 40.0, "HW")
    assert isinstance(hw.group_weight, float)
    assert hw.rules == "drop_lowest:1\ndrop_highest:0\nnever_drop:8\nnever_drop:7\n"  # essay: after id 7
    assert json.loads(hw.integration_data) == {"n": 2, "tool": "x"}
    assert hw.created_at == utc(2024, 1, 2, 3, 4, 5) and hw.updated_at == hw.created_at
    labs, gone = store.get("assignment_groups", 6), store.get("assignment_groups", 7)
    assert (labs.name, labs.position, labs.group_weight, labs.rules) == ("Labs", 4, 12.5, None)
    assert (gone.name, gone.workflow_state) == ("Assignments", "deleted")
    assert [g.id for g in store.assignment_groups.active(1)] == [5, 6]


def test_group_positions_follow_each_course(tmp_path):
    store = load(tmp_path, base(assignment_groups=[
        {"course": "c1", "name": "A"}, {"course": "c2", "name": "B"}, {"course": "c1", "name": "C", "position": 5},
        {"course": "c1", "name": "D"}]))
    assert [(g.course_id, g.position) for g in store.all("assignment_groups")] == [(1, 1), (2, 1), (1, 5), (1, 6)]


def test_group_shape_problems(tmp_path):
    got = problems(tmp_path, base(assignment_groups=[
        {"name": "x"}, {"course": "c1", "group_weight": "heavy"}, {"course": "c1", "group_weight": True},
        {"course": "c1", "rules": {"drop_lowest": -1, "bogus": 1}}, {"course": "c1", "workflow_state": "gone"}]))
    assert got == [
        "world.yaml: assignment_groups[0].course: required",
        "world.yaml: assignment_groups[1].group_weight: expected a number",
        "world.yaml: assignment_groups[2].group_weight: expected a number",
        "world.yaml: assignment_groups[3].rules.drop_lowest: must be at least 0",
        "world.yaml: assignment_groups[3].rules.bogus: unknown field",
        "world.yaml: assignment_groups[4].workflow_state: must be one of: available, deleted",
    ]


def test_group_reference_problems(tmp_path):
    got = problems(tmp_path, base(assignment_groups=[
        {"course": "nope"}, {"course": "c1", "name": "y" * 256}, {"course": "c1", "rules": {"never_drop": ["ghost"]}},
        {"key": "hw", "course": "c1"}, {"key": "hw", "course": "c2"}]))
    assert got == [
        "world.yaml: assignment_groups[4].key: duplicate key 'hw'",
    ]
    got = problems(tmp_path, base(assignment_groups=[
        {"course": "nope"}, {"course": "c1", "name": "y" * 256}, {"course": "c1", "rules": {"never_drop": ["ghost"]}}]))
    assert got == [
        "world.yaml: assignment_groups[0].course: no course 'nope'",
        "world.yaml: assignment_groups[1].name: is too long (maximum is 255 characters)",
        "world.yaml: assignment_groups[2].rules.never_drop[0]: no assignment 'ghost'",
    ]


def test_drop_rules_are_checked_against_the_groups_assignments(tmp_path):
    got = problems(tmp_path, base(
        assignment_groups=[{"key": "hw", "course": "c1", "rules": {"drop_lowest": 2, "drop_highest": 1}}],
        assignments=[{"group": "hw", "name": "One"}, {"group": "hw", "name": "Gone", "workflow_state": "deleted"}]))
    assert got == ["world.yaml: assignment_groups[0].rules.drop_lowest: "
                   "Drop rules cannot be higher than the number of assignments (1)"]


# -- assignments -----------------------------------------------------------------------------------
def test_assignments_with_every_field(tmp_path):
    store = load(tmp_path, base(
        assignment_groups=[{"key": "hw", "course": "c1", "name": "Homework"}],
        assignments=[{
            "key": "essay", "id": 3, "group": "hw", "name": "Essay", "description": "<p>Write</p>",
            "points_possible": 10, "grading_type": "letter_grade", "submission_types": ["online_upload", "online_url"],
            "allowed_extensions": ["pdf", "docx"], "due_at": "2026-09-01T23:59:00Z", "unlock_at": "2026-08-01T00:00:00Z",
            "lock_at": "2026-09-05T00:00:00Z", "position": 4, "workflow_state": "unpublished",
            "group_category": "proj", "grade_group_students_individually": True, "peer_reviews": True,
            "automatic_peer_reviews": True, "peer_review_count": 2, "anonymous_peer_reviews": True,
            "omit_from_final_grade": True, "hide_in_gradebook": True, "only_visible_to_overrides": True,
            "post_to_sis": True, "sis_assignment_id": "ESSAY-1", "integration_id": "INT-1", "allowed_attempts": 3,
            "anonymous_grading": False, "moderated_grading": False, "grader_count": 0, "important_dates": True,
            "created_at": "2024-05-01T00:00:00Z"}]))
    a = store.get("assignments", 3)
    assert (a.course_id, a.assignment_group_id, a.title, a.description, a.points_possible, a.grading_type) == (
        1, 1, "Essay", "<p>Write</p>", 10.0, "letter_grade")
    assert (a.submission_types, a.allowed_extensions, a.position, a.workflow_state) == (
        "online_upload,online_url", ("pdf", "docx"), 4, "unpublished")
    assert (a.due_at, a.unlock_at, a.lock_at) == (utc(2026, 9, 1, 23, 59), utc(2026, 8, 1), utc(2026, 9, 5))
    assert (a.group_category_id, a.grade_group_students_individually, a.peer_reviews, a.automatic_peer_reviews,
            a.peer_review_count, a.anonymous_peer_reviews) == (1, True, True, True, 2, True)
    assert (a.omit_from_final_grade, a.hide_in_gradebook, a.only_visible_to_overrides, a.post_to_sis,
            a.sis_assignment_id, a.integration_id, a.allowed_attempts, a.important_dates) == (
        True, True, True, True, "ESSAY-1", "INT-1", 3, True)
    assert a.created_at == utc(2024, 5, 1) and len(a.lti_context_id) == 36
    assert store.find("assignments", "sis_assignment_id:ESSAY-1") is a


def test_assignment_defaults_and_positions(tmp_path):
    store = load(tmp_path, base(
        assignment_groups=[{"key": "hw", "course": "c1"}, {"key": "ex", "course": "c1", "name": "Exams"}],
        assignments=[{"group": "hw", "name": "A"}, {"group": "ex", "name": "B"}, {"group": "hw", "name": "C", "position": 5},
                     {"group": "hw", "name": "D"}, {"group": "hw", "name": "E", "workflow_state": "deleted"},
                     {"course": "c1", "name": "F"}, {"group": "hw", "name": "G", "allowed_attempts": -1},
                     {"group": "hw", "name": "H", "grading_type": "not_graded", "points_possible": 5}]))
    rows = {a.title: a for a in store.all("assignments")}
    assert [(rows[t].assignment_group_id, rows[t].position) for t in "ABCDEFG"] == [
        (1, 1), (2, 1), (1, 5), (1, 6), (1, 7), (1, 7), (1, 8)]
    a = rows["A"]
    assert (a.workflow_state, a.points_possible, a.grading_type, a.submission_types, a.allowed_attempts) == (
        "published", 0.0, "points", "none", None)
    assert rows["G"].allowed_attempts is None  # -1: unlimited
    assert (rows["H"].submission_types, rows["H"].points_possible) == ("not_graded", None)
    assert [x.title for x in store.assignments.in_group(1)] == ["A", "C", "D", "F", "G", "H"]


def test_a_course_without_groups_gets_assignments(tmp_path):
    store = load(tmp_path, base(
        assignment_groups=[{"key": "late", "course": "c2", "name": "Later", "position": 2},
                           {"key": "early", "course": "c2", "name": "Earlier", "position": 1}],
        assignments=[{"course": "c1", "name": "One"}, {"course": "c1", "name": "Two"}, {"course": "c2", "name": "Three"}]))
    made = store.get("assignment_groups", 3)
    assert (made.course_id, made.name, made.position, made.group_weight) == (1, "Assignments", 1, 0.0)
    assert [a.assignment_group_id for a in store.all("assignments")] == [3, 3, 2]  # c2: its first by position


def test_assignment_shape_problems(tmp_path):
    got = problems(tmp_path, base(assignments=[
        {"course": "c1"}, {"course": "c1", "name": "Grading", "grading_type": "stars"},
        {"course": "c1", "name": "State", "workflow_state": "active"},
        {"course": "c1", "name": "Points", "points_possible": "ten"},
        {"course": "c1", "name": "Types", "submission_types": "online_upload"},
        {"course": "c1", "name": "Attempts", "allowed_attempts": -2}]))
    assert got == [
        "world.yaml: assignments[0].name: required",
        "world.yaml: assignments[1].grading_type: must be one of: points, percent, letter_grade, gpa_scale, "
        "pass_fail, not_graded",
        "world.yaml: assignments[2].workflow_state: must be one of: published, unpublished, deleted",
        "world.yaml: assignments[3].points_possible: expected a number",
        "world.yaml: assignments[4].submission_types: expected a list",
        "world.yaml: assignments[5].allowed_attempts: must be at least -1",
    ]


def test_assignment_problems(tmp_path):
    got = problems(tmp_path, base(
        assignment_groups=[{"key": "hw", "course": "c1"}, {"key": "other", "course": "c2"}],
        assignments=[
            {"name": "Nowhere"},
            {"course": "c1", "group": "other", "name": "Wrong group"},
            {"group": "hw", "name": "Types", "submission_types": ["online_upload", "wiki_page"]},
            {"group": "hw", "name": "Points", "points_possible": -1},
            {"group": "hw", "name": "Huge", "points_possible": 1000000000},
            {"group": "hw", "name": "Dates", "due_at": "2026-09-10T00:00:00Z", "lock_at": "2026-09-09T00:00:00Z"},
            {"group": "hw", "name": "Early", "due_at": "2026-09-01T00:00:00Z", "unlock_at": "2026-09-02T00:00:00Z"},
            {"group": "hw", "name": "Attempts", "allowed_attempts": 0},
            {"group": "hw", "name": "Category", "group_category": "other"},
            {"group": "hw", "name": "Sis", "sis_assignment_id": "S"},
            {"group": "hw", "name": "Sis again", "sis_assignment_id": "S"},
            {"group": "hw", "name": "z" * 256},
            {"group": "nope", "name": "Unknown group"},
        ]))
    assert got == [
        "world.yaml: assignments[0].course: required (or give a group)",
        "world.yaml: assignments[1].group: assignment group 'other' is not in course 'c1'",
        "world.yaml: assignments[2].submission_types[1]: must be one of: none, on_paper, online_quiz, "
        "discussion_topic, external_tool, online_upload, online_text_entry, online_url, media_recording, "
        "not_graded, student_annotation",
        "world.yaml: assignments[3].points_possible: must be from 0 to 999999999",
        "world.yaml: assignments[4].points_possible: must be from 0 to 999999999",
        "world.yaml: assignments[5].due_at: must be between availability dates",
        "world.yaml: assignments[6].due_at: must be between availability dates",
        "world.yaml: assignments[7].allowed_attempts: must be -1 (unlimited) or at least 1",
        "world.yaml: assignments[8].group_category: group category 'other' is not a group category of course 'c1'",
        "world.yaml: assignments[10].sis_assignment_id: duplicate sis_assignment_id 'S'",
        "world.yaml: assignments[11].name: The title cannot be longer than 255 characters",
        "world.yaml: assignments[12].group: no assignment group 'nope'",
    ]


def test_due_date_outside_the_window_is_fine_with_overrides(tmp_path):
    store = load(tmp_path, base(
        assignments=[{"key": "a", "course": "c1", "name": "A", "due_at": "2026-09-10T00:00:00Z",
                      "lock_at": "2026-09-09T00:00:00Z"}],
        assignment_overrides=[{"assignment": "a", "section": "a", "due_at": "2026-09-08T00:00:00Z"}]))
    assert store.get("assignments", 1).due_at == utc(2026, 9, 10)


def test_due_date_compared_to_the_minute(tmp_path):
    store = load(tmp_path, base(assignments=[
        {"course": "c1", "name": "A", "due_at": "2026-09-10T10:00:30Z", "lock_at": "2026-09-10T10:00:00Z"}]))
    assert store.get("assignments", 1).lock_at == utc(2026, 9, 10, 10)


# -- assignment_overrides --------------------------------------------------------------------------
def override_world(*overrides, **assignment):
    return base(
        assignments=[{"key": "essay", "course": "c1", "name": "Essay", "due_at": "2026-09-01T23:59:00Z"},
                     {"key": "team", "course": "c1", "name": "Team", "group_category": "proj", **assignment}],
        assignment_overrides=list(overrides))


def test_overrides_of_each_kind(tmp_path):
    store = load(tmp_path, override_world(
        {"assignment": "essay", "students": ["s1", "s2"], "due_at": "2026-09-03T23:59:00Z",
         "unlock_at": "2026-08-20T00:00:00Z", "created_at": "2024-01-01T00:00:00Z"},
        {"id": 9, "assignment": "essay", "section": "a", "clear": ["due_at", "lock_at"]},
        {"assignment": "team", "group": "g1", "lock_at": "2026-12-01T00:00:00Z", "workflow_state": "deleted"},
        {"assignment": "essay", "students": ["s1"], "title": "Extension", "workflow_state": "deleted"}))
    adhoc, section, group, extra = (store.get("assignment_overrides", i) for i in (10, 9, 11, 12))
    assert (adhoc.assignment_id, adhoc.course_id, adhoc.set_type, adhoc.set_id, adhoc.title, adhoc.student_ids) == (
        1, 1, "ADHOC", None, "2 students", (2, 3))
    assert (adhoc.due_at, adhoc.due_at_overridden, adhoc.all_day, adhoc.all_day_date) == (
        utc(2026, 9, 3, 23, 59), True, True, date(2026, 9, 3))
    assert (adhoc.unlock_at, adhoc.unlock_at_overridden, adhoc.lock_at_overridden) == (utc(2026, 8, 20), True, False)
    assert adhoc.created_at == utc(2024, 1, 1)
    assert (section.set_type, section.set_id, section.title, section.due_at, section.due_at_overridden,
            section.lock_at_overridden, section.unlock_at_overridden, section.all_day) == (
        "CourseSection", 1, "A", None, True, True, False, False)
    assert (group.set_type, group.set_id, group.title, group.workflow_state, group.lock_at) == (
        "Group", 1, "Group 1", "deleted", utc(2026, 12, 1))
    assert (extra.title, extra.student_ids) == ("Extension", (2,))  # deleted: may share a student
    assert [o.id for o in store.assignment_overrides.active(1)] == [9, 10]


def test_all_day_in_the_courses_zone(tmp_path):
    data = override_world({"assignment": "essay", "section": "a", "due_at": "2026-09-02T05:59:00Z"})
    data["courses"][0]["time_zone"] = "America/Denver"
    o = load(tmp_path, data).get("assignment_overrides", 1)
    assert (o.all_day, o.all_day_date) == (True, date(2026, 9, 1))


def test_override_problems(tmp_path):
    got = problems(tmp_path, override_world(
        {"assignment": "essay"},
        {"assignment": "essay", "students": ["s1"], "section": "a"},
        {"assignment": "essay", "students": ["x", "t", "s1", "s1", "ghost"]},
        {"assignment": "essay", "students": ["s1"]},
        {"assignment": "essay", "section": "b"},
        {"assignment": "essay", "section": "a"},
        {"assignment": "essay", "section": "a"},
        {"assignment": "essay", "group": "g1"},
        {"assignment": "team", "group": "gx"},
        {"assignment": "team", "group": "g1", "title": "Mine"},
        {"assignment": "essay", "students": []},
        {"assignment": "essay", "students": ["s2"], "due_at": "2026-01-01T00:00:00Z", "clear": ["due_at", "soon"]},
        {"assignment": "ghost", "section": "a"},
    ))
    assert got == [
        "world.yaml: assignment_overrides[0]: needs exactly one of students, section, group",
        "world.yaml: assignment_overrides[1]: needs exactly one of students, section, group",
        "world.yaml: assignment_overrides[2].students[0]: user 'x' is not a student of the assignment's course",
        "world.yaml: assignment_overrides[2].students[1]: user 't' is not a student of the assignment's course",
        "world.yaml: assignment_overrides[2].students[3]: user 's1' is listed twice",
        "world.yaml: assignment_overrides[2].students[4]: no user 'ghost'",
        "world.yaml: assignment_overrides[3].students[0]: user 's1' already belongs to an assignment override",
        "world.yaml: assignment_overrides[4].section: section 'b' is not a section of the assignment's course",
        "world.yaml: assignment_overrides[6].section: assignment 'essay' already has an override for section 'a'",
        "world.yaml: assignment_overrides[7].group: group 'g1' is not in the assignment's group category",
        "world.yaml: assignment_overrides[8].group: group 'gx' is not in the assignment's group category",
        "world.yaml: assignment_overrides[9].title: only an override of students has a title of its own",
        "world.yaml: assignment_overrides[10].students: must not be empty",
        "world.yaml: assignment_overrides[11].clear[0]: due_at is given a date too",
        "world.yaml: assignment_overrides[11].clear[1]: must be one of: due_at, unlock_at, lock_at",
        "world.yaml: assignment_overrides[12].assignment: no assignment 'ghost'",
    ]


# -- on top of the default world, and the docs' example --------------------------------------------
def test_a_file_on_top_of_the_default_world(tmp_path):
    extra = {"assignment_groups": [{"key": "hw", "course": "intro", "name": "Homework", "group_weight": 50}],
             "assignments": [{"key": "hw1", "group": "hw", "name": "HW 1", "points_possible": 10}],
             "assignment_overrides": [{"assignment": "hw1", "section": "section_b", "due_at": "2026-10-01T12:00:00Z"}]}
    store = load_world([*DEFAULT_WORLDS, write(tmp_path, extra)], clock=FrozenClock())
    first = max((g.id for g in store.all("assignment_groups") if g.name != "Homework"), default=0)
    hw = next(g for g in store.all("assignment_groups") if g.name == "Homework")
    assert hw.id == first + 1 and hw.course_id == 1
    a = next(x for x in store.all("assignments") if x.title == "HW 1")
    (o,) = [x for x in store.all("assignment_overrides") if x.assignment_id == a.id]
    assert (o.set_type, o.set_id, o.title) == ("CourseSection", 2, "Section B")


def test_the_example_in_the_docs_loads(tmp_path):
    text = (ROOT / "docs" / "worlds.md").read_text()
    example = text.split("### `assignment_groups`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    store = load_world([*DEFAULT_WORLDS, write(tmp_path, example)], clock=FrozenClock())
    groups = [g for g in store.all("assignment_groups") if g.course_id == 2]
    assert [(g.name, g.group_weight) for g in groups] == [("Homework", 40.0), ("Exams", 60.0)]
    titles = {a.title: a for a in store.all("assignments") if a.course_id == 2}
    assert set(titles) == {"Problem set 1", "Problem set 2", "Midterm"}
    assert groups[0].rules == f"drop_lowest:1\nnever_drop:{titles['Problem set 1'].id}\n"
    (o,) = [x for x in store.all("assignment_overrides") if x.assignment_id == titles["Midterm"].id]
    assert (o.set_type, o.student_ids, o.title) == ("ADHOC", (8,), "Extra time")
