"""submission_json (views/submissions.py; canvas-facts-submissions 2): the keys in Canvas's order, the
values of a placeholder, and what each caller sees of a grade (keys removed, not nulled).
Callers of the default world: admin 1, teacher 2, TA 3, designer 4, observer 5, students 6 and 7."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mockcanvas.views.common import ViewContext
from mockcanvas.views.submissions import submission_json

BASE = "https://canvas.test"
KEYS = ["id", "body", "url", "grade", "score", "submitted_at", "assignment_id", "user_id", "submission_type",
        "workflow_state", "grade_matches_current_submission", "graded_at", "grader_id", "attempt",
        "cached_due_date", "excused", "late_policy_status", "points_deducted", "grading_period_id",
        "extra_attempts", "posted_at", "redo_request", "custom_grade_status_id", "sticker", "late", "missing",
        "seconds_late", "entered_grade", "entered_score", "preview_url"]
GRADE_KEYS = {"score", "grade", "entered_score", "entered_grade"}
T = datetime(2026, 5, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(canvas_store):
    return canvas_store


def make(store, **fields):
    group = store.assignment_groups.require_default(1)
    defaults = {"workflow_state": "published", "points_possible": 10.0, "submission_types": "online_upload"}
    a = store.insert("assignments", course_id=1, assignment_group_id=group.id, **{**defaults, **fields})
    store.submissions.sync(a)
    return a


def as_(store, uid, sub, include=()):
    return submission_json(ViewContext(store, store.get("users", uid), BASE), sub, include)


def grade(store, row, **more):
    store._update("submissions", row, **{"score": 8.0, "grade": "8", "workflow_state": "graded", "grader_id": 2,
                                         "graded_at": T, "excused": False, "grade_matches_current_submission": True,
                                         **more})


def test_a_placeholder_as_its_teacher(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    data = as_(store, 2, row)
    assert list(data) == KEYS
    assert data == {
        "id": row.id, "body": None, "url": None, "grade": None, "score": None, "submitted_at": None,
        "assignment_id": a.id, "user_id": 6, "submission_type": None, "workflow_state": "unsubmitted",
        "grade_matches_current_submission": True, "graded_at": None, "grader_id": None, "attempt": None,
        "cached_due_date": None, "excused": None, "late_policy_status": None, "points_deducted": None,
        "grading_period_id": None, "extra_attempts": None, "posted_at": None, "redo_request": False,
        "custom_grade_status_id": None, "sticker": None, "late": False, "missing": False, "seconds_late": 0,
        "entered_grade": None, "entered_score": None,
        "preview_url": f"{BASE}/courses/1/assignments/{a.id}/submissions/6?preview=1"}


def test_an_account_admin_also_gets_the_anonymous_id_last(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    data = as_(store, 1, row)
    assert list(data) == [*KEYS, "anonymous_id"] and data["anonymous_id"] == row.anonymous_id
    for uid in (2, 3, 4, 6):
        assert "anonymous_id" not in as_(store, uid, row)


def test_versioned_rows_name_their_version_and_anonymous_grading_hides_the_preview(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    store._update("submissions", row, version_number=2)
    assert as_(store, 2, row)["preview_url"].endswith(f"/assignments/{a.id}/submissions/6?preview=1&version=2")
    hidden = make(store, anonymous_grading=True)  # muted from creation: students anonymized
    assert "preview_url" not in as_(store, 2, store.submissions.for_user(hidden.id, 6))
    store._update("assignments", hidden, muted=False)
    assert "preview_url" in as_(store, 2, store.submissions.for_user(hidden.id, 6))


def test_grade_matches_current_submission_is_false_only_when_false(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    grade(store, row, grade_matches_current_submission=False)
    assert as_(store, 2, row)["grade_matches_current_submission"] is False
    store._update("submissions", row, grade_matches_current_submission=None)
    assert as_(store, 2, row)["grade_matches_current_submission"] is True


def test_entered_score_is_the_grade_before_the_late_deduction(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    grade(store, row, posted_at=T)
    data = as_(store, 6, row)
    assert (data["score"], data["grade"], data["entered_score"], data["entered_grade"]) == (8.0, "8", 8.0, "8")
    store._update("submissions", row, score=7.0, grade="7", points_deducted=1.0, entered_score=8.0,
                  entered_grade="8")
    data = as_(store, 6, row)
    assert (data["score"], data["grade"], data["points_deducted"], data["entered_score"], data["entered_grade"]) \
        == (7.0, "7", 1.0, 8.0, "8")


def test_late_missing_and_seconds_late(store):
    due = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=2)
    a = make(store, due_at=due)
    row = store.submissions.for_user(a.id, 6)
    data = as_(store, 2, row)
    assert data["cached_due_date"] == due.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (data["late"], data["missing"]) == (False, True)  # past due, never submitted, expects a file
    assert 7200 <= data["seconds_late"] < 7200 + 600
    store._update("submissions", row, submission_type="online_upload", submitted_at=due + timedelta(minutes=30),
                  attempt=1, workflow_state="submitted")
    data = as_(store, 2, row)
    assert (data["late"], data["missing"], data["seconds_late"]) == (True, False, 1800)
    store._update("submissions", row, late_policy_status="late", seconds_late_override=60)
    assert (as_(store, 2, row)["late"], as_(store, 2, row)["seconds_late"]) == (True, 60)
    store._update("submissions", row, late_policy_status="none")
    assert as_(store, 2, row)["late"] is False
    offline = make(store, due_at=due, submission_types="on_paper")
    assert as_(store, 2, store.submissions.for_user(offline.id, 7))["missing"] is False
    graded_row = store.submissions.for_user(offline.id, 6)
    store._update("submissions", graded_row, late_policy_status="missing")
    assert as_(store, 2, graded_row)["missing"] is True
    store._update("submissions", graded_row, excused=True)
    assert as_(store, 2, graded_row)["missing"] is False


@pytest.mark.parametrize("uid, sees", [(2, True), (3, True), (1, True), (4, False), (6, True), (7, False)])
def test_who_reads_a_posted_grade(store, uid, sees):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    grade(store, row, posted_at=T)
    data = as_(store, uid, row)
    assert (GRADE_KEYS <= data.keys()) is sees
    if not sees:
        assert not GRADE_KEYS & data.keys()
        assert (data["workflow_state"], data["graded_at"], data["excused"]) == ("graded", "2026-05-02T08:00:00Z", False)


def test_an_unposted_grade_is_hidden_from_the_student(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    assert GRADE_KEYS <= as_(store, 6, row).keys()  # automatic posting: nothing to hide yet
    grade(store, row)  # graded, not posted
    data = as_(store, 6, row)
    assert not GRADE_KEYS & data.keys()
    assert list(data) == [k for k in KEYS if k not in GRADE_KEYS]
    assert GRADE_KEYS <= as_(store, 2, row).keys()  # teachers see it
    store._update("submissions", row, posted_at=T)
    assert as_(store, 6, row)["score"] == 8.0


def test_manual_posting_hides_even_an_ungraded_row(store):
    a = make(store, post_manually=True)
    row = store.submissions.for_user(a.id, 6)
    assert not GRADE_KEYS & as_(store, 6, row).keys()
    store._update("submissions", row, posted_at=T)
    assert GRADE_KEYS <= as_(store, 6, row).keys()


def test_a_resubmission_hides_the_old_unposted_grade(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    grade(store, row, submission_type="online_upload", submitted_at=T, attempt=1)
    store._update("submissions", row, workflow_state="submitted", attempt=2, grade_matches_current_submission=False,
                  submitted_at=T + timedelta(days=1))
    assert not GRADE_KEYS & as_(store, 6, row).keys()


def test_an_unpublished_assignment_needs_view_all_grades(store):
    a = make(store, workflow_state="unpublished")
    row = store.submissions.for_user(a.id, 6)
    grade(store, row)  # hidden from the student (not posted)
    assert GRADE_KEYS <= as_(store, 2, row).keys()  # teachers and TAs hold view_all_grades
    assert GRADE_KEYS <= as_(store, 3, row).keys()


def test_a_linked_observer_reads_posted_grades(store):
    a = make(store)
    row = store.submissions.for_user(a.id, 6)
    grade(store, row, posted_at=T)
    assert not GRADE_KEYS & as_(store, 5, row).keys()  # observer 5 observes nobody
    e = [e for e in store.courses.enrollments_of(5, 1) if e.type == "ObserverEnrollment"][0]
    store._update("enrollments", e, associated_user_id=6)
    assert GRADE_KEYS <= as_(store, 5, row).keys()
    store._update("submissions", row, posted_at=None)
    assert not GRADE_KEYS & as_(store, 5, row).keys()


def test_includes(store):
    a = make(store, group_category_id=1)
    row = store.submissions.for_user(a.id, 6)
    data = as_(store, 2, row, ["group", "html_url", "visibility", "bogus"])
    assert list(data) == [*KEYS[:-1], "group", "preview_url", "html_url", "assignment_visible"]
    assert data["group"] == {"id": None, "name": None}
    assert data["html_url"] == f"{BASE}/courses/1/assignments/{a.id}/submissions/6"
    assert data["assignment_visible"] is True
    store._update("submissions", row, group_id=1)
    assert as_(store, 2, row, ["group"])["group"] == {"id": 1, "name": "Project Group 1"}
