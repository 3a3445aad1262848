"""Live events of submissions (store/submissions.py ``submission_events``; canvas-facts-submissions 7):
placeholders record nothing; a submit (create or update) is ``submission_created``; other real
changes of a row that is not ``unsubmitted`` are ``submission_updated``; grade, score, excuse or
posting changes add ``grade_change`` after it. Bodies as ``get_submission_data`` / ``grade_changed``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mockcanvas.timefmt import iso_utc

DUE = datetime(2026, 5, 1, 23, 59, tzinfo=timezone.utc)
SUBMITTED = datetime(2026, 5, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(canvas_store):
    return canvas_store


@pytest.fixture
def assignment(store):
    group = store.assignment_groups.require_default(1)
    a = store.insert("assignments", course_id=1, assignment_group_id=group.id, title="Essay", due_at=DUE,
                     points_possible=10.0, submission_types="online_text_entry", workflow_state="published",
                     lti_context_id="lti-ctx-1")
    store.submissions.sync(a)
    store.live_events.clear()
    return a


def names(store):
    return [e.name for e in store.live_events.all()]


def submit(store, row, attempt=1, when=SUBMITTED):
    store._update("submissions", row, submission_type="online_text_entry", body="<p>mine</p>", submitted_at=when,
                  attempt=attempt, workflow_state="submitted", updated_at=when)


def test_placeholders_and_their_updates_record_nothing(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    store._update("submissions", row, cached_due_date=DUE + timedelta(days=1))  # unsubmitted: nothing
    store._update("submissions", row, updated_at=SUBMITTED)
    assert names(store) == []


def test_submitting_a_placeholder_is_submission_created(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    submit(store, row)
    [event] = store.live_events.all()
    assert event.name == "submission_created"
    assert event.body == {
        "submission_id": str(row.id), "assignment_id": str(assignment.id), "user_id": "6",
        "submitted_at": iso_utc(SUBMITTED), "lti_user_id": None, "graded_at": None,
        "updated_at": iso_utc(SUBMITTED), "score": None, "grade": None, "submission_type": "online_text_entry",
        "body": "<p>mine</p>", "url": None, "attempt": 1, "late": True, "missing": False,
        "lti_assignment_id": "lti-ctx-1", "group_id": None, "posted_at": None, "workflow_state": "submitted"}
    assert list(event.body) == ["submission_id", "assignment_id", "user_id", "submitted_at", "lti_user_id",
                                "graded_at", "updated_at", "score", "grade", "submission_type", "body", "url",
                                "attempt", "late", "missing", "lti_assignment_id", "group_id", "posted_at",
                                "workflow_state"]


def test_inserting_a_submitted_row_is_submission_created(store, assignment):
    row = store.insert("submissions", assignment_id=assignment.id, user_id=20, course_id=1,
                       submission_type="online_url", url="http://x.test", submitted_at=SUBMITTED, attempt=1,
                       workflow_state="submitted")
    assert names(store) == ["submission_created"]
    assert store.live_events.all()[0].body["submission_id"] == str(row.id)


def test_grading_is_updated_then_grade_change(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    submit(store, row)
    store.live_events.clear()
    graded_at = SUBMITTED + timedelta(hours=1)
    store._update("submissions", row, score=8.0, grade="8", workflow_state="graded", grader_id=2,
                  graded_at=graded_at, posted_at=graded_at, grade_matches_current_submission=True, excused=False)
    updated, change = store.live_events.all()
    assert (updated.name, change.name) == ("submission_updated", "grade_change")
    assert (updated.body["score"], updated.body["grade"], updated.body["workflow_state"]) == (8.0, "8", "graded")
    assert updated.body["graded_at"] == iso_utc(graded_at) and updated.body["posted_at"] == iso_utc(graded_at)
    assert change.body == {
        "submission_id": str(row.id), "assignment_id": str(assignment.id), "assignment_name": "Essay",
        "grade": "8", "old_grade": None, "score": 8.0, "old_score": None, "points_possible": 10.0,
        "old_points_possible": 10.0, "grader_id": "2", "student_id": "6", "student_sis_id": "S-006",
        "user_id": "6", "grading_complete": True, "muted": False}
    store.live_events.clear()
    store._update("submissions", row, score=9.5, grade="9.5")
    updated, change = store.live_events.all()
    assert (change.body["old_grade"], change.body["old_score"], change.body["grade"]) == ("8", 8.0, "9.5")


def test_an_autograder_is_no_grader(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    store._update("submissions", row, score=1.0, grade="1", workflow_state="graded", grader_id=-5)
    assert names(store) == ["submission_updated", "grade_change"]
    assert store.live_events.all()[1].body["grader_id"] is None


def test_posting_alone_is_a_grade_change(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    submit(store, row)
    store._update("submissions", row, score=8.0, grade="8", workflow_state="graded", grader_id=2)
    change = store.live_events.all()[-1]
    assert change.body["muted"] is True  # not posted yet
    store.live_events.clear()
    store._update("submissions", row, posted_at=SUBMITTED)
    assert names(store) == ["submission_updated", "grade_change"]
    assert store.live_events.all()[1].body["muted"] is False


def test_resubmitting_is_submission_created_again(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    submit(store, row)
    store._update("submissions", row, score=8.0, grade="8", workflow_state="graded")
    store.live_events.clear()
    submit(store, row, attempt=2, when=SUBMITTED + timedelta(days=1))
    assert names(store) == ["submission_created"]
    assert store.live_events.all()[0].body["attempt"] == 2


def test_an_excuse_on_a_placeholder_is_a_grade_change(store, assignment):
    row = store.submissions.for_user(assignment.id, 7)
    store._update("submissions", row, excused=True, workflow_state="graded", graded_at=SUBMITTED)
    assert names(store) == ["submission_updated", "grade_change"]
    assert store.live_events.all()[1].body["grading_complete"] is True


def test_a_comment_touch_records_nothing(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    submit(store, row)
    store.live_events.clear()
    store._update("submissions", row, updated_at=SUBMITTED + timedelta(hours=3))  # add_comment touches
    assert names(store) == []


def test_the_bulk_block_records_nothing(store, assignment):
    row = store.submissions.for_user(assignment.id, 6)
    with store.bulk("submissions"):
        submit(store, row)
    assert names(store) == []
