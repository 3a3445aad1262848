"""World files and submissions (mockcanvas/seed/submissions.py): every assigned student of every
assignment gets an ``unsubmitted`` row when the world loads, as the lifecycle manager makes them;
``submissions`` entries fill in what a student handed in and how it was graded; every mistake is
named by file and path, and nothing is loaded."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mockcanvas.seed import WorldError, load_world
from mockcanvas.store import Store


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def world(**more) -> dict:
    """Course c1 with students s1-s3 (s3 inactive), a teacher, a deleted student d; course c2 with s1.
    Group set gs with group g1 (s1, s2); assignments a1 (due), a2 (unpublished), a3 (deleted),
    gw (group work of gs), late (manual posting), b1 in c2."""
    data = {
        "accounts": [{"key": "root", "name": "Root"}],
        "users": [{"key": k, "name": f"User {k}"} for k in ("t", "s1", "s2", "s3", "d", "x")],
        "courses": [{"key": "c1", "name": "One", "account": "root"}, {"key": "c2", "name": "Two", "account": "root"}],
        "enrollments": [
            {"user": "t", "course": "c1", "type": "teacher"},
            {"user": "s1", "course": "c1"}, {"user": "s2", "course": "c1"},
            {"user": "s3", "course": "c1", "state": "inactive"}, {"user": "d", "course": "c1", "state": "deleted"},
            {"user": "s1", "course": "c2"},
        ],
        "group_categories": [{"key": "gs", "name": "Sets", "course": "c1"}],
        "groups": [{"key": "g1", "name": "G1", "category": "gs", "members": ["s1", "s2"]}],
        "assignments": [
            {"key": "a1", "name": "A1", "course": "c1", "points_possible": 10, "due_at": "2026-05-01T23:59:00Z",
             "submission_types": ["online_text_entry"]},
            {"key": "a2", "name": "A2", "course": "c1", "workflow_state": "unpublished"},
            {"key": "a3", "name": "A3", "course": "c1", "workflow_state": "deleted"},
            {"key": "gw", "name": "Group work", "course": "c1", "group_category": "gs",
             "submission_types": ["online_url"], "points_possible": 20},
            {"key": "pct", "name": "Percent", "course": "c1", "grading_type": "percent", "points_possible": 20},
            {"key": "pf", "name": "Pass", "course": "c1", "grading_type": "pass_fail", "points_possible": 5},
            {"key": "lg", "name": "Letter", "course": "c1", "grading_type": "letter_grade", "points_possible": 5},
            {"key": "b1", "name": "B1", "course": "c2"},
        ],
    }
    data.update(more)
    return data


def load(tmp_path, data) -> Store:
    return load_world(write(tmp_path, data))


def problems(tmp_path, data) -> list[str]:
    store = Store()
    with pytest.raises(WorldError) as e:
        load_world(write(tmp_path, data), store=store)
    assert not any(store.rows[t] for t in store.rows)  # nothing inserted
    return e.value.problems


def ids_of(store, key_name):
    return {u.name.split()[-1]: u.id for u in store.all("users")}[key_name]


def titled(store, title):
    return next(a for a in store.all("assignments") if a.title == title)


def test_every_assigned_student_gets_an_unsubmitted_row(tmp_path):
    store = load(tmp_path, world())
    s1, s2, s3 = ids_of(store, "s1"), ids_of(store, "s2"), ids_of(store, "s3")
    a1, a2, a3, b1 = (titled(store, t) for t in ("A1", "A2", "A3", "B1"))
    # inactive students too; not the teacher, nor the deleted student
    assert sorted(x.user_id for x in store.submissions.of_assignment(a1.id)) == [s1, s2, s3]
    assert sorted(x.user_id for x in store.submissions.of_assignment(a2.id)) == [s1, s2, s3]  # unpublished too
    assert store.submissions.of_assignment(a3.id) == []  # deleted: none
    assert [x.user_id for x in store.submissions.of_assignment(b1.id)] == [s1]
    row = store.submissions.for_user(a1.id, s1)
    assert (row.workflow_state, row.attempt, row.excused, row.course_id) == ("unsubmitted", None, None, a1.course_id)
    assert row.cached_due_date == utc(2026, 5, 1, 23, 59) and len(row.anonymous_id) == 5
    assert row.created_at is not None and row.updated_at == row.created_at
    # numbered by assignment, then student
    rows = sorted(store.all("submissions"), key=lambda x: x.id)
    assert [(x.assignment_id, x.user_id) for x in rows] == sorted((x.assignment_id, x.user_id) for x in rows)
    assert [x.id for x in rows] == list(range(1, len(rows) + 1))
    assert store.live_events.all() == []
    # the loaded world is the snapshot: a rollback keeps the rows
    store.rollback()
    assert store.submissions.for_user(a1.id, s1) is not None


def test_entries_fill_in_their_rows(tmp_path):
    store = load(tmp_path, world(submissions=[
        {"assignment": "a1", "user": "s1", "submission_type": "online_text_entry", "body": "<p>hi</p>",
         "submitted_at": "2026-05-01T20:00:00Z"},
        {"assignment": "a1", "user": "s2", "submission_type": "online_text_entry", "body": "x",
         "submitted_at": "2026-05-02T10:00:00Z", "score": 8.5, "grader": "t", "attempt": 2},
        {"assignment": "a2", "user": "s1", "excused": True},
        {"assignment": "gw", "user": "s1", "submission_type": "online_url", "url": "http://x.test", "group": "g1"},
    ]))
    s1, s2, t = ids_of(store, "s1"), ids_of(store, "s2"), ids_of(store, "t")
    a1, a2, gw = titled(store, "A1"), titled(store, "A2"), titled(store, "Group work")
    placeholders = len(store.submissions.of_assignment(a1.id))
    assert placeholders == 3  # filled in, not added
    sub = store.submissions.for_user(a1.id, s1)
    assert (sub.workflow_state, sub.submission_type, sub.body, sub.attempt, sub.score, sub.version_number) == \
        ("submitted", "online_text_entry", "<p>hi</p>", 1, None, 1)
    assert sub.submitted_at == utc(2026, 5, 1, 20) and sub.cached_due_date == utc(2026, 5, 1, 23, 59)
    graded = store.submissions.for_user(a1.id, s2)
    assert (graded.workflow_state, graded.score, graded.grade, graded.grader_id, graded.attempt) == \
        ("graded", 8.5, "8.5", t, 2)
    assert graded.graded_at == graded.submitted_at == graded.posted_at == utc(2026, 5, 2, 10)
    assert (graded.entered_score, graded.entered_grade, graded.excused, graded.grade_matches_current_submission) == \
        (8.5, "8.5", False, True)
    excused = store.submissions.for_user(a2.id, s1)
    assert (excused.workflow_state, excused.excused, excused.score, excused.submission_type) == \
        ("graded", True, None, None)
    group = store.submissions.for_user(gw.id, s1)
    assert (group.workflow_state, group.url, group.group_id) == ("submitted", "http://x.test", 1)
    assert store.submissions.has_student_submissions(a1.id) and not store.submissions.has_student_submissions(a2.id)
    assert store.submissions.group_submission_ids(1, a1.course_id, [s1, s2]) == {s1: [group.id]}
    assert store.live_events.all() == []


def test_grades_follow_the_grading_type(tmp_path):
    store = load(tmp_path, world(submissions=[
        {"assignment": "a1", "user": "s1", "score": 8},
        {"assignment": "pct", "user": "s1", "score": 15},
        {"assignment": "pf", "user": "s1", "score": 5}, {"assignment": "pf", "user": "s2", "score": 0},
        {"assignment": "lg", "user": "s1", "score": 4.5, "grade": "A-"},
        {"assignment": "a1", "user": "s2", "score": 7, "points_deducted": 1.5},
    ]))
    s1, s2 = ids_of(store, "s1"), ids_of(store, "s2")

    def g(title, uid):
        x = store.submissions.for_user(titled(store, title).id, uid)
        return x.score, x.grade

    assert g("A1", s1) == (8.0, "8")
    assert g("Percent", s1) == (15.0, "75%")
    assert (g("Pass", s1), g("Pass", s2)) == ((5.0, "complete"), (0.0, "incomplete"))
    assert g("Letter", s1) == (4.5, "A-")
    late = store.submissions.for_user(titled(store, "A1").id, s2)
    assert (late.score, late.grade, late.entered_score, late.entered_grade) == (7.0, "7", 8.5, "8.5")


def test_explicit_states(tmp_path):
    store = load(tmp_path, world(submissions=[
        {"assignment": "a1", "user": "s1", "state": "pending_review", "submission_type": "online_quiz"},
        {"assignment": "a1", "user": "s2", "state": "graded"},
    ]))
    a1 = titled(store, "A1")
    pending = store.submissions.for_user(a1.id, ids_of(store, "s1"))
    assert (pending.workflow_state, pending.attempt) == ("pending_review", 1)
    cleared = store.submissions.for_user(a1.id, ids_of(store, "s2"))
    assert (cleared.workflow_state, cleared.score, cleared.graded_at is not None) == ("graded", None, True)


@pytest.mark.parametrize("entry, problem", [
    ({"assignment": "nope", "user": "s1"}, "submissions[0].assignment: no assignment 'nope'"),
    ({"assignment": "a1", "user": "nope"}, "submissions[0].user: no user 'nope'"),
    ({"user": "s1"}, "submissions[0].assignment: required"),
    ({"assignment": "a1"}, "submissions[0].user: required"),
    ({"assignment": "a1", "user": "t"}, "submissions[0].user: user 't' is not a student of the assignment's course"),
    ({"assignment": "a1", "user": "d"}, "submissions[0].user: user 'd' is not a student of the assignment's course"),
    ({"assignment": "b1", "user": "s2"}, "submissions[0].user: user 's2' is not a student of the assignment's course"),
    ({"assignment": "a1", "user": "s1", "state": "done"},
     "submissions[0].state: must be one of: unsubmitted, submitted, pending_review, graded"),
    ({"assignment": "a1", "user": "s1", "submission_type": "paper"}, "submissions[0].submission_type: must be one of"),
    ({"assignment": "a1", "user": "s1", "score": "ten"}, "submissions[0].score: expected a number"),
    ({"assignment": "a1", "user": "s1", "attempt": 0}, "submissions[0].attempt: must be at least 1"),
    ({"assignment": "a1", "user": "s1", "submitted_at": "yesterday"}, "submissions[0].submitted_at: expected an ISO"),
    ({"assignment": "a1", "user": "s1", "score": 1, "excused": True},
     "submissions[0].excused: an excused submission has no score or grade"),
    ({"assignment": "a1", "user": "s1", "grade": "A"}, "submissions[0].score: required with a grade"),
    ({"assignment": "lg", "user": "s1", "score": 4},
     "submissions[0].grade: required with a score: the assignment is graded by letter_grade"),
    ({"assignment": "a1", "user": "s1", "state": "submitted"},
     "submissions[0].state: a submitted submission needs a submission_type"),
    ({"assignment": "a1", "user": "s1", "state": "unsubmitted", "score": 2},
     "submissions[0].state: an unsubmitted submission has no submission_type, score or grade"),
    ({"assignment": "a1", "user": "s1", "submission_type": "online_text_entry"},
     "submissions[0].body: required for online_text_entry"),
    ({"assignment": "a1", "user": "s1", "submission_type": "online_url"}, "submissions[0].url: required for online_url"),
    ({"assignment": "a1", "user": "s1", "group": "g1"}, "submissions[0].group: group 'g1' is not in the assignment's"),
    ({"assignment": "a1", "user": "s1", "colour": "red"}, "submissions[0].colour: unknown field"),
    ({"assignment": "a1", "user": "s1", "late_policy_status": "sometimes"},
     "submissions[0].late_policy_status: must be one of: late, missing, extended, none"),
])
def test_mistakes_are_named_by_file_and_path(tmp_path, entry, problem):
    found = problems(tmp_path, world(submissions=[entry]))
    assert any(p.startswith(f"world.yaml: {problem}") for p in found), found


def test_one_entry_per_student_and_assignment(tmp_path):
    found = problems(tmp_path, world(submissions=[{"assignment": "a1", "user": "s1"},
                                                  {"assignment": "a1", "user": "s1", "score": 1}]))
    assert found == ["world.yaml: submissions[1]: user 's1' already has a submission of assignment 'a1'"]


def test_the_section_must_be_a_list_of_mappings(tmp_path):
    assert problems(tmp_path, world(submissions={"a1": "s1"})) == ["world.yaml: submissions: expected a list"]
    assert problems(tmp_path, world(submissions=["a1"])) == ["world.yaml: submissions[0]: expected a mapping"]


def test_a_world_without_assignments_has_no_submissions(tmp_path):
    data = world()
    del data["assignments"]
    store = load(tmp_path, data)
    assert list(store.all("submissions")) == []


def test_the_example_in_the_docs_loads(tmp_path):
    from mockcanvas.clock import FrozenClock
    from mockcanvas.seed import DEFAULT_WORLDS

    text = (Path(__file__).parents[2] / "docs" / "worlds.md").read_text()
    example = text.split("### `submissions`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "essay.yaml").write_text(example)
    store = load_world([*DEFAULT_WORLDS, tmp_path / "essay.yaml"], clock=FrozenClock())
    essay = titled(store, "Essay")
    rows = {x.user_id: x for x in store.submissions.of_assignment(essay.id)}
    assert sorted(rows) == [6, 7, *range(8, 20)]
    assert (rows[6].workflow_state, rows[6].body) == ("submitted", "<p>My essay</p>")
    assert (rows[7].workflow_state, rows[7].score, rows[7].grade, rows[7].grader_id) == ("graded", 8.5, "8.5", 2)
    assert rows[8].workflow_state == "unsubmitted" and rows[8].cached_due_date == utc(2026, 5, 1, 23, 59)
