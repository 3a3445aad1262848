"""The rows every assigned student has (SubmissionLifecycleManager, store/submissions.py), without
HTTP: ``sync`` creates one ``unsubmitted`` row per assigned student, once; unpublished assignments
get them too; later enrollments get theirs; students who leave or lose visibility have theirs
soft-deleted and revived; none of it records a live event.

Runs on the default world (course 1: students 6-19; teacher 2, TA 3, designer 4, observer 5).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mockcanvas.store.submissions import _BASE58

COURSE1_STUDENTS = [6, 7, *range(8, 20)]
DUE = datetime(2026, 5, 1, 23, 59, 30, 123456, tzinfo=timezone.utc)


@pytest.fixture
def store(canvas_store):
    return canvas_store


def make_assignment(store, course_id=1, **fields):
    group = store.assignment_groups.require_default(course_id)
    return store.insert("assignments", course_id=course_id, assignment_group_id=group.id, **fields)


def live_rows(store, a):
    return {s.user_id: s for s in store.submissions.of_assignment(a.id)}


def all_rows(store, a):
    return [s for s in store.all("submissions") if s.assignment_id == a.id]


def enroll(store, user_id, course_id=1, etype="StudentEnrollment", state="active"):
    course = store.get("courses", course_id)
    section = store.courses.default_section(course)
    return store.enrollments.create(store.get("users", 2), course, section, store.get("users", user_id), etype,
                                    None, {"enrollment_state": state})


def test_sync_makes_one_unsubmitted_row_per_assigned_student(store):
    a = make_assignment(store, workflow_state="published", due_at=DUE)
    store.submissions.sync(a)
    rows = live_rows(store, a)
    assert sorted(rows) == COURSE1_STUDENTS  # no teacher, TA, designer, observer, outsider
    assert len(all_rows(store, a)) == len(COURSE1_STUDENTS)
    s = rows[6]
    assert (s.workflow_state, s.attempt, s.excused, s.submitted_at, s.submission_type, s.score, s.grade) == \
        ("unsubmitted", None, None, None, None, None, None)
    assert (s.course_id, s.grade_matches_current_submission, s.redo_request, s.version_number) == (1, None, False, None)
    assert s.cached_due_date == DUE.replace(microsecond=0)  # seconds kept, fractions dropped
    assert len(s.anonymous_id) == 5 and set(s.anonymous_id) <= set(_BASE58)
    assert len({r.anonymous_id for r in rows.values()}) == len(rows)
    assert s.created_at is not None and s.created_at == s.updated_at
    # rows are listed by student id
    assert [r.user_id for r in store.submissions.of_assignment(a.id)] == COURSE1_STUDENTS


def test_unpublished_assignments_get_rows_too(store):
    a = make_assignment(store)  # workflow_state "unpublished" by default
    assert a.workflow_state == "unpublished"
    store.submissions.sync(a)
    assert sorted(live_rows(store, a)) == COURSE1_STUDENTS


def test_sync_is_idempotent(store):
    a = make_assignment(store, workflow_state="published", due_at=DUE)
    store.submissions.sync(a)
    before = {s.user_id: (s.id, s.updated_at, s.anonymous_id) for s in all_rows(store, a)}
    version = store.version
    store.submissions.sync(a)
    store.submissions.sync(a)
    after = {s.user_id: (s.id, s.updated_at, s.anonymous_id) for s in all_rows(store, a)}
    assert after == before
    assert store.version == version  # nothing written at all


def test_sync_records_no_live_event(store):
    a = make_assignment(store, workflow_state="published")
    store.live_events.clear()
    store.submissions.sync(a)
    assert live_rows(store, a)
    assert [e.name for e in store.live_events.all()] == []


def test_a_new_due_date_moves_cached_due_date_only(store):
    a = make_assignment(store, workflow_state="published", due_at=DUE)
    store.submissions.sync(a)
    ids = {u: s.id for u, s in live_rows(store, a).items()}
    later = DUE + timedelta(days=2)
    store._update("assignments", a, due_at=later)
    store.submissions.sync(a)
    rows = live_rows(store, a)
    assert {u: s.id for u, s in rows.items()} == ids
    assert {s.cached_due_date for s in rows.values()} == {later.replace(microsecond=0)}
    store._update("assignments", a, due_at=None)
    store.submissions.sync(a)
    assert {s.cached_due_date for s in live_rows(store, a).values()} == {None}


def test_a_deleted_assignment_is_left_alone(store):
    a = make_assignment(store, workflow_state="deleted")
    store.submissions.sync(a)
    assert all_rows(store, a) == []
    b = make_assignment(store, workflow_state="published")
    store.submissions.sync(b)
    n = len(all_rows(store, b))
    store._update("assignments", b, workflow_state="deleted")
    store.submissions.sync(b)  # SubmissionLifecycleManager.recompute returns unless active
    assert len(store.submissions.of_assignment(b.id)) == n


def test_each_course_has_its_own_students(store):
    a = make_assignment(store, course_id=2, workflow_state="published")
    store.submissions.sync(a)
    assert sorted(live_rows(store, a)) == [6, 8]
    assert {s.course_id for s in all_rows(store, a)} == {2}


def test_a_student_enrolled_later_gets_rows_of_existing_assignments(store):
    a = make_assignment(store, workflow_state="published", due_at=DUE)
    b = make_assignment(store)  # unpublished
    gone = make_assignment(store, workflow_state="deleted")
    other = make_assignment(store, course_id=2, workflow_state="published")
    for x in (a, b, other):
        store.submissions.sync(x)
    store.live_events.clear()
    e = enroll(store, 20, state=None)
    assert e.workflow_state == "invited"  # an invitation is enough
    assert 20 in live_rows(store, a) and 20 in live_rows(store, b)
    assert live_rows(store, a)[20].cached_due_date == DUE.replace(microsecond=0)
    assert all_rows(store, gone) == [] and 20 not in live_rows(store, other)
    # only the enrollment's own events: the rows are bulk inserts
    assert {ev.name for ev in store.live_events.all()} == {"enrollment_created", "enrollment_state_created"}


def test_staff_and_observers_enrolled_later_get_none(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    n = len(all_rows(store, a))
    for etype in ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment", "ObserverEnrollment"):
        enroll(store, 20, etype=etype)
    assert len(all_rows(store, a)) == n and 20 not in live_rows(store, a)


def test_a_test_student_gets_rows(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    enroll(store, 20, etype="StudentViewEnrollment")
    assert 20 in live_rows(store, a)


def test_a_removed_student_loses_the_row_and_a_returning_one_gets_it_back(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    row_id = live_rows(store, a)[20].id if 20 in live_rows(store, a) else None
    assert row_id is None
    e = enroll(store, 20)
    row_id = live_rows(store, a)[20].id
    store.enrollments.destroy(e)
    assert store.submissions.for_user(a.id, 20) is None
    assert store.get("submissions", row_id).workflow_state == "deleted"
    assert 20 not in live_rows(store, a)
    enroll(store, 20)  # the deleted enrollment is revived: so is the row (same id)
    assert store.submissions.for_user(a.id, 20).id == row_id
    assert store.get("submissions", row_id).workflow_state == "unsubmitted"


def test_a_revived_row_keeps_what_it_had(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    e = enroll(store, 20)
    row = live_rows(store, a)[20]
    store._update("submissions", row, submission_type="online_url", url="http://x.test", submitted_at=DUE,
                  attempt=1, workflow_state="submitted")
    store.enrollments.destroy(e)
    assert row.workflow_state == "deleted"
    enroll(store, 20)
    assert (row.workflow_state, row.url, row.attempt) == ("submitted", "http://x.test", 1)
    store._update("submissions", row, score=5.0, grade="5", workflow_state="graded")
    store.enrollments.destroy(store.enrollments.of_user(store.get("users", 20))[0])
    enroll(store, 20)
    assert row.workflow_state == "graded"


def test_a_concluded_student_keeps_the_row(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    e = enroll(store, 20)
    store.enrollments.conclude(e)
    assert store.submissions.for_user(a.id, 20) is not None  # a "prior" student keeps theirs
    store.submissions.sync(a)
    assert store.submissions.for_user(a.id, 20) is not None


def test_a_rejected_invitation_deletes_the_row(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    e = enroll(store, 20, state=None)
    assert store.submissions.for_user(a.id, 20) is not None
    store.enrollments.respond(store.get("users", 20), e, accept=False)
    assert e.workflow_state == "rejected"
    assert store.submissions.for_user(a.id, 20) is None


def test_only_visible_to_overrides_keeps_only_the_override_students(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    ids = {u: s.id for u, s in live_rows(store, a).items()}
    store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="ADHOC", title="1 student",
                 student_ids=(7,), due_at=DUE, due_at_overridden=True)
    store._update("assignments", a, only_visible_to_overrides=True)
    store.submissions.sync(a)
    rows = live_rows(store, a)
    assert sorted(rows) == [7]
    assert rows[7].id == ids[7] and rows[7].cached_due_date == DUE.replace(microsecond=0)
    assert {s.workflow_state for s in all_rows(store, a) if s.user_id != 7} == {"deleted"}
    store._update("assignments", a, only_visible_to_overrides=False)
    store.submissions.sync(a)
    assert {u: s.id for u, s in live_rows(store, a).items()} == ids  # the same rows, revived


def test_no_assigned_student_deletes_every_row(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    store._update("assignments", a, only_visible_to_overrides=True)  # and no override
    store.submissions.sync(a)
    assert live_rows(store, a) == {}
    assert {s.workflow_state for s in all_rows(store, a)} == {"deleted"}


def test_has_student_submissions_counts_real_submissions_only(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    ops = store.submissions
    assert not ops.has_student_submissions(a.id) and not ops.has_submitted_submissions(a.id)
    row = ops.for_user(a.id, 6)
    store._update("submissions", row, score=3.0, grade="3", workflow_state="graded")  # graded, never submitted
    assert not ops.has_student_submissions(a.id)
    store._update("submissions", row, submission_type="online_text_entry", body="hi", submitted_at=DUE,
                  attempt=1)
    assert ops.has_student_submissions(a.id) and ops.has_submitted_submissions(a.id)
    store._update("submissions", row, workflow_state="deleted")
    assert not ops.has_student_submissions(a.id)
    assert not ops.has_student_submissions(999_999)


def test_for_user_is_none_for_strangers_and_deleted_rows(store):
    a = make_assignment(store, workflow_state="published")
    store.submissions.sync(a)
    ops = store.submissions
    assert ops.for_user(a.id, 6).user_id == 6
    assert ops.for_user(a.id, 2) is None and ops.for_user(a.id, 20) is None and ops.for_user(0, 6) is None


def test_needs_grading_count(store):
    a = make_assignment(store, workflow_state="published", points_possible=10.0)
    store.submissions.sync(a)
    ops = store.submissions
    assert ops.needs_grading_count(a) == 0
    for uid in (6, 7, 8):
        store._update("submissions", ops.for_user(a.id, uid), submission_type="online_url", url="http://x.test",
                      submitted_at=DUE, attempt=1, workflow_state="submitted")
    assert ops.needs_grading_count(a) == 3
    assert ops.needs_grading_count(a, section_ids=[1]) == 2  # 6 and 8 are in section A
    store._update("submissions", ops.for_user(a.id, 6), score=9.0, grade="9", workflow_state="graded",
                  grade_matches_current_submission=True)
    assert ops.needs_grading_count(a) == 2
    store._update("submissions", ops.for_user(a.id, 6), grade_matches_current_submission=False,
                  workflow_state="submitted", attempt=2)  # resubmitted after the grade
    assert ops.needs_grading_count(a) == 3
    store._update("submissions", ops.for_user(a.id, 7), excused=True)
    assert ops.needs_grading_count(a) == 2
    e8 = [e for e in store.courses.enrollments_of(8, 1) if e.type == "StudentEnrollment"][0]
    store._update("enrollments", e8, workflow_state="inactive")  # only active students count
    assert ops.needs_grading_count(a) == 1


def test_group_submission_ids(store):
    a = make_assignment(store, workflow_state="published", group_category_id=1)
    b = make_assignment(store, workflow_state="unpublished", group_category_id=1)
    plain = make_assignment(store, workflow_state="published")
    other_set = make_assignment(store, workflow_state="published", group_category_id=3)
    for x in (a, b, plain, other_set):
        store.submissions.sync(x)
    ops = store.submissions

    def submit(x, uid, **more):
        store._update("submissions", ops.for_user(x.id, uid), submission_type="online_url", url="http://x.test",
                      submitted_at=DUE, attempt=1, workflow_state="submitted", **more)
        return ops.for_user(x.id, uid).id

    s6a, s6b = submit(a, 6), submit(b, 6)
    submit(plain, 6)
    submit(other_set, 6)
    submit(a, 7, score=1.0, grade="1")
    store._update("submissions", ops.for_user(a.id, 7), workflow_state="graded")  # graded: not listed
    assert ops.group_submission_ids(1, 1, [6, 7, 8, 20]) == {6: sorted([s6a, s6b])}
    assert ops.group_submission_ids(1, 2, [6]) == {}  # another course's assignments are not the set's
    store._update("assignments", b, workflow_state="deleted")
    assert ops.group_submission_ids(1, 1, [6]) == {6: [s6a]}
    assert ops.group_submission_ids(3, 1, [6]) == {6: [ops.for_user(other_set.id, 6).id]}
