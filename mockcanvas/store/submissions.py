"""Submissions (app/models/submission.rb, app/services/submission_lifecycle_manager.rb): the table,
its indexes, the rows every assigned student has, and what the assignments area asks of them.

What Canvas does, read from canvas-lms (modern copies) beyond canvas-facts-submissions sections 2-3:

* **Who gets a row, and when** (``SubmissionLifecycleManager``, ex DueDateCacher):
  ``recompute(assignment)`` returns at once unless the assignment is *active* (not deleted), so
  **unpublished assignments get their rows too**. It runs after an assignment is created and when
  its ``due_at``, ``workflow_state`` (publishing, unpublishing) or ``only_visible_to_overrides``
  change (``Assignment#update_cached_due_dates?``, INFERRED from the quiz twin of that method and
  the importers, which set ``needs_update_cached_due_dates`` on the same changes), after an
  override's set, dates or state change (``AssignmentOverride#update_cached_due_dates?``) and an
  override student is added or removed; ``recompute_users_for_course(user, course)`` runs for the
  course's active assignments after a student's or test student's enrollment changes
  ``workflow_state`` (``Enrollment#set_update_cached_due_dates``: creation included). The mock
  runs it at once where Canvas queues a job.
* The students it works on are ``EffectiveDueDates``': ADHOC override students, accepted members
  of an override's group, the students of an override's section and, unless the assignment is
  ``only_visible_to_overrides``, every StudentEnrollment / StudentViewEnrollment of the course not
  ``rejected`` or ``deleted`` (O's :func:`assignment_dates.visible_student_ids`).
* ``perform_submission_upsert`` inserts, **by raw SQL**, one row per such student that has none:
  ``workflow_state 'unsubmitted'``, ``cached_due_date`` (the student's due date, seconds
  truncated), ``anonymous_id`` (5 base-58 characters, ``Anonymity.generate_id``); every other
  column null (``attempt``, ``excused``, ``grade_matches_current_submission``) or its default
  (``redo_request`` false). An existing row gets the new ``cached_due_date`` and, if it was
  ``deleted``, is revived with its inferred state (graded if it has a grade or is excused,
  submitted if it has a type and a time, else unsubmitted); ``updated_at`` moves only when
  something changed.
* Rows of students who can no longer see the assignment are soft-deleted (``update_all``): the
  course's accepted students who are not assigned, unless every student enrollment of theirs is
  ``completed`` ("prior" students keep theirs); students whose enrollments are all ``rejected`` or
  ``deleted``; and, in a whole-assignment run with no assigned and no prior student, every row.
* Raw SQL and ``update_all`` run no callbacks: **no live event** for any of it (canvas-facts-
  submissions 3 and 7). The mock writes them inside ``store.bulk("submissions")``.
* ``Assignment#has_student_submissions?``: an active row with a ``submission_type``;
  ``has_submitted_submissions`` is the same test (``submitted_count > 0``).
* ``GroupCategory#submission_ids_by_user_id`` (the group APIs' ``include[]=group_submissions``):
  the ids of the users' active submissions in state ``submitted`` (not graded, not pending review)
  of the course's active assignments of that group set, by user; a user with none is absent
  (the controller then writes ``null``).
* ``Submission::Tardiness`` (``late?``, ``missing?``, ``seconds_late``), ``hide_grade_from_student?``,
  ``needs_grading?``: see the functions of the same names below.

Live events (``lib/canvas/live_events_callbacks.rb``, ``Canvas::LiveEvents.get_submission_data`` and
``grade_changed``): see :func:`submission_events`. Checked against the data-services examples
(doc/api/data_services/json/canvas/event-types/submission_created.json, submission_updated.json,
grade_change.json; tests/data/canvas_live_event_examples.json), lib/canvas/live_events.rb (modern)
deciding where they differ: ``get_submission_data`` also sends ``posted_at`` and ``grade_changed``
``assignment_name`` (the examples predate them); ``score``, ``old_score``, ``points_possible`` and
``old_points_possible`` are float columns (``5.0`` where the grade_change example writes ``5``);
``body`` goes through ``LiveEvents.truncate`` (gems/live_events/lib/live_events.rb: Rails'
``truncate(8192, separator: " ")``, a cut at a space and "...", not the first 8192 characters).

Limitations: no grading periods (``grading_period_id`` null), no moderated-grading selections and
no audit events of due-date changes; a deleted enrollment's or a lost visibility's rows are deleted
only when the enrollment or the assignment is written through the store's operations (a row
inserted behind them is left alone); ``grade_change``'s ``old_grade`` / ``old_score`` are the values
before the write (Canvas reads the previous version, the same unless an attempt was regraded after
a resubmission).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..coerce import stringify_ids
from ..timefmt import as_utc, iso_utc
from . import assignment_dates
from .assignments import live_truncate
from .base import SetIndex, SortedIndex, UniqueIndex
from .live import fires

if TYPE_CHECKING:
    from . import Store
    from .assignments import Assignment

STUDENT_TYPES = frozenset({"StudentEnrollment", "StudentViewEnrollment"})
WORKFLOW_STATES = ("unsubmitted", "submitted", "pending_review", "graded")
SUBMISSION_TYPES = ("online_text_entry", "online_url", "online_upload", "media_recording", "basic_lti_launch",
                    "student_annotation", "online_quiz", "discussion_topic")
LATE_POLICY_STATUSES = ("late", "missing", "extended", "none")
# AbstractAssignment#expects_submission?: a submission type other than these
NO_ONLINE_SUBMISSION = frozenset({"", "none", "not_graded", "on_paper", "external_tool", "wiki_page"})
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass(slots=True)
class Submission:
    """One student's submission of one assignment (the ``submissions`` table): scalar columns
    only, so a shallow copy is a snapshot. ``version_number`` is the number of the row's latest
    version (None: never versioned, as the placeholders); ``read_state`` the student's own
    ContentParticipation state (None: none yet)."""

    id: int
    assignment_id: int
    user_id: int
    course_id: int
    workflow_state: str = "unsubmitted"  # unsubmitted | submitted | pending_review | graded | deleted
    submission_type: str | None = None
    submitted_at: datetime | None = None
    body: str | None = None
    url: str | None = None
    attempt: int | None = None
    score: float | None = None
    grade: str | None = None
    entered_score: float | None = None
    entered_grade: str | None = None
    grader_id: int | None = None
    graded_at: datetime | None = None
    excused: bool | None = None
    late_policy_status: str | None = None
    seconds_late_override: int | None = None
    points_deducted: float | None = None
    posted_at: datetime | None = None
    grade_matches_current_submission: bool | None = None
    group_id: int | None = None
    cached_due_date: datetime | None = None
    grading_period_id: int | None = None
    extra_attempts: int | None = None
    redo_request: bool = False
    custom_grade_status_id: int | None = None
    sticker: str | None = None
    anonymous_id: str | None = None
    attachment_ids: tuple = ()
    media_comment_id: str | None = None
    media_comment_type: str | None = None
    version_number: int | None = None
    read_state: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


# -- the model's predicates (Submission, Submission::Tardiness) -----------------------------------
def _live(s: Submission) -> bool:
    return s.workflow_state != "deleted"


def has_submission(s: Submission) -> bool:
    return s.submission_type is not None


def needs_grading(s: Submission) -> bool:
    """``Submission.needs_grading_conditions`` (the SQL form, where a null
    ``grade_matches_current_submission`` counts as matching): submitted and not excused, and
    pending review, or submitted/graded without a score or with a grade of an older attempt."""
    if s.submission_type is None or s.excused:
        return False
    if s.workflow_state == "pending_review":
        return True
    return s.workflow_state in ("submitted", "graded") and (
        s.score is None or s.grade_matches_current_submission is False)


def inferred_state(s: Submission) -> str:
    """``SubmissionLifecycleManager.infer_submission_workflow_state_sql`` (quizzes aside)."""
    if s.grade is not None or s.excused:
        return "graded"
    if s.submission_type is not None and s.submitted_at is not None:
        return "submitted"
    return "unsubmitted"


def graded(s: Submission) -> bool:
    """``Submission#graded?``."""
    return bool(s.excused) or (s.score is not None and s.workflow_state == "graded")


def seconds_late(s: Submission, now: datetime) -> int:
    if s.late_policy_status == "late":
        return s.seconds_late_override or 0
    if s.cached_due_date is None:
        return 0
    due = as_utc(s.cached_due_date).timestamp()
    when = as_utc(s.submitted_at or now).timestamp() - (60 if s.submission_type == "online_quiz" else 0)
    return 0 if when <= due else int(when - due)


def is_late(s: Submission, now: datetime) -> bool:
    if s.excused or s.custom_grade_status_id is not None:
        return False
    if s.late_policy_status:
        return s.late_policy_status == "late"
    return s.submitted_at is not None and seconds_late(s, now) > 0


def is_missing(s: Submission, assignment: Assignment | None, now: datetime) -> bool:
    if s.excused or s.custom_grade_status_id is not None:
        return False
    if s.grader_id is not None and s.late_policy_status is None:
        return False
    if s.late_policy_status:
        return s.late_policy_status == "missing"
    if s.submitted_at is not None or seconds_late(s, now) <= 0:
        return False
    return assignment is not None and expects_submission(assignment)


def expects_submission(assignment: Assignment) -> bool:
    types = [t for t in (assignment.submission_types or "").split(",") if t]
    return bool(types) and not any(t in NO_ONLINE_SUBMISSION for t in types)


def hide_grade_from_student(s: Submission, assignment: Assignment | None) -> bool:
    """``Submission#hide_grade_from_student?``: a manually posted assignment hides every unposted
    row, graded or not; an automatic one only a graded or resubmitted row not yet posted."""
    if assignment is not None and assignment.post_manually:
        return s.posted_at is None
    resubmitted = needs_grading(s) and s.grade_matches_current_submission is False
    return (graded(s) or resubmitted) and s.posted_at is None


def anonymous_id(store: Store, assignment_id: int, user_id: int) -> str:
    """5 base-58 characters, stable per world seed (Canvas: ``SecureRandom.base58(5)``)."""
    n = int.from_bytes(hashlib.sha1(f"{store.seed}:anonymous:{assignment_id}:{user_id}".encode()).digest()[:8],
                       "big")
    out = []
    for _ in range(5):
        n, k = divmod(n, 58)
        out.append(_BASE58[k])
    return "".join(out)


# -- indexes ---------------------------------------------------------------------------------------
def _assignment_live(a: Any) -> bool:
    return a.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "submissions": {
            # (assignment, user) -> the row, deleted ones too: the lifecycle manager revives them
            "by_pair": UniqueIndex(lambda s: (s.assignment_id, s.user_id)),
            # an assignment's rows by student id (Canvas's index order), a user's rows by id
            "by_assignment": SortedIndex(lambda s: s.assignment_id if _live(s) else None,
                                         lambda s: (s.user_id, s.id)),
            "by_user": SortedIndex(lambda s: s.user_id if _live(s) else None, lambda s: (s.id,)),
            "with_submission": SetIndex(lambda s: s.assignment_id if _live(s) and has_submission(s) else None),
            "needs_grading": SetIndex(lambda s: s.assignment_id if _live(s) and needs_grading(s) else None),
            "graded": SetIndex(lambda s: s.assignment_id if _live(s) and graded(s) else None),
        },
        # the group APIs walk a group set's active assignments (this area's index on the
        # assignments table; a course's active ones are the assignments area's ``by_course``)
        "assignments": {
            "live_by_category": SortedIndex(
                lambda a: a.group_category_id if _assignment_live(a) and a.group_category_id else None,
                lambda a: (a.id,)),
        },
    }


# -- live events -----------------------------------------------------------------------------------
def submission_body(store: Store, s: Submission) -> dict[str, Any]:
    """``Canvas::LiveEvents.get_submission_data`` (modern): global ids, then strings; ``body``
    through ``LiveEvents.truncate``; score and grade unfiltered by posting."""
    g = store.global_id
    user = store.get("users", s.user_id)
    a = store.get("assignments", s.assignment_id)
    now = store.now()
    body = live_truncate(s.body)
    return stringify_ids({
        "submission_id": g(s.id), "assignment_id": g(s.assignment_id), "user_id": g(s.user_id),
        "submitted_at": iso_utc(s.submitted_at), "lti_user_id": user.lti_context_id if user else None,
        "graded_at": iso_utc(s.graded_at), "updated_at": iso_utc(s.updated_at or s.created_at),
        "score": s.score, "grade": s.grade, "submission_type": s.submission_type, "body": body, "url": s.url,
        "attempt": s.attempt, "late": is_late(s, now), "missing": is_missing(s, a, now),
        "lti_assignment_id": a.lti_context_id if a is not None else None, "group_id": s.group_id,
        "posted_at": iso_utc(s.posted_at), "workflow_state": s.workflow_state,
    })


def grade_change_body(store: Store, s: Submission, changed: dict[str, tuple[Any, Any]] | None) -> dict[str, Any]:
    """``Canvas::LiveEvents.grade_changed``: old values are the row's before this write;
    ``grader_id`` null for an autograder (a negative id); ``muted`` = not posted."""
    g = store.global_id
    a = store.get("assignments", s.assignment_id)
    user = store.get("users", s.user_id)
    old = {k: v[0] for k, v in (changed or {}).items()}
    points = a.points_possible if a is not None else None
    return stringify_ids({
        "submission_id": g(s.id), "assignment_id": g(s.assignment_id),
        "assignment_name": a.title if a is not None else None,
        "grade": s.grade, "old_grade": old.get("grade", s.grade) if changed is not None else None,
        "score": s.score, "old_score": old.get("score", s.score) if changed is not None else None,
        "points_possible": points, "old_points_possible": points,
        "grader_id": g(s.grader_id) if s.grader_id is not None and s.grader_id > 0 else None,
        "student_id": g(s.user_id), "student_sis_id": user.sis_user_id if user else None,
        "user_id": g(s.user_id), "grading_complete": graded(s), "muted": s.posted_at is None,
    })


def _just_submitted(s: Submission, changed: dict[str, tuple[Any, Any]] | None) -> bool:
    """``Submission#just_submitted?``: submitted or pending review with a type, on create or with a
    new state or attempt."""
    if s.workflow_state not in ("submitted", "pending_review") or s.submission_type is None:
        return False
    return changed is None or "workflow_state" in changed or "attempt" in changed


_GRADE_FIELDS = frozenset({"grade", "score", "excused", "posted_at"})


def submission_events(store: Store, s: Submission, changed: dict[str, tuple[Any, Any]] | None
                      ) -> list[tuple[str, dict[str, Any]]]:
    """``LiveEventsObserver`` for a submission, then ``Submission#grade_change_audit``:

    * created or updated and ``just_submitted?`` -> ``submission_created`` (every submit and
      resubmit: the row existed already);
    * else updated beyond ``updated_at`` and not ``unsubmitted`` -> ``submission_updated``;
    * then ``grade_change`` when grade, score, excused or ``posted_at`` changed, or the state
      became ``graded``.
    """
    out: list[tuple[str, dict[str, Any]]] = []
    if _just_submitted(s, changed):
        out.append(("submission_created", submission_body(store, s)))
    elif changed is not None and fires(changed) and s.workflow_state != "unsubmitted":
        out.append(("submission_updated", submission_body(store, s)))
    if changed is None:
        if s.grade is not None or s.score is not None or s.excused or s.workflow_state == "graded":
            out.append(("grade_change", grade_change_body(store, s, None)))
    elif changed.keys() & _GRADE_FIELDS or ("workflow_state" in changed and s.workflow_state == "graded"):
        out.append(("grade_change", grade_change_body(store, s, changed)))
    return out


submission_events.names = ("submission_created", "submission_updated", "grade_change")  # type: ignore[attr-defined]


# -- operations ------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Students:
    """``SubmissionLifecycleManager#enrollment_counts``: the course's students by their student
    enrollments' states."""

    accepted: set[int]  # some enrollment neither rejected nor deleted, not all of them completed
    prior: set[int]  # every such enrollment completed
    gone: set[int]  # only rejected or deleted ones


class SubmissionOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- reads (the assignments area's seams) --------------------------------------------------
    def for_user(self, assignment_id: int, user_id: int) -> Submission | None:
        """The user's submission of the assignment (any state but deleted), or None."""
        sid = self.s.idx["submissions"]["by_pair"].get((assignment_id, user_id))
        sub = self.s.get("submissions", sid) if sid is not None else None
        return sub if sub is not None and _live(sub) else None

    def has_student_submissions(self, assignment_id: int) -> bool:
        """``Assignment#has_student_submissions?``: a student has submitted (submission_type set)."""
        return bool(self.s.idx["submissions"]["with_submission"].ids(assignment_id))

    def has_submitted_submissions(self, assignment_id: int) -> bool:
        """The assignment JSON's ``has_submitted_submissions`` (``submitted_count > 0``)."""
        return self.has_student_submissions(assignment_id)

    def graded_exist(self, assignment_id: int) -> bool:
        """Some row of the assignment is graded (``Submission#graded?``), without a scan."""
        return bool(self.s.idx["submissions"]["graded"].ids(assignment_id))

    def of_assignment(self, assignment_id: int) -> list[Submission]:
        """The assignment's rows (not deleted), by student id."""
        get = self.s.rows["submissions"].get
        return [get(i) for i in self.s.idx["submissions"]["by_assignment"].ids(assignment_id)]

    def needs_grading_count(self, assignment: Assignment, section_ids: Iterable[int] | None = None) -> int:
        """``Assignments::NeedsGradingCountQuery``: rows needing grading whose student has an active
        StudentEnrollment in the course (in one of ``section_ids`` when given: a section-limited
        grader). Costs O(rows needing grading)."""
        ids = self.s.idx["submissions"]["needs_grading"].ids(assignment.id)
        if not ids:
            return 0
        sections = set(section_ids) if section_ids is not None else None
        get, n = self.s.get, 0
        for sid in ids:
            sub = get("submissions", sid)
            if sub is None:
                continue
            for e in self.s.courses.enrollments_of(sub.user_id, assignment.course_id):
                if e.type == "StudentEnrollment" and e.workflow_state == "active" and (
                        sections is None or e.course_section_id in sections):
                    n += 1
                    break
        return n

    def group_submission_ids(self, category_id: int, course_id: int, user_ids: Iterable[int]) -> dict[int, list[int]]:
        """``GroupCategory#submission_ids_by_user_id``: user id -> ids of the user's ``submitted``
        rows of the course's active assignments of the group set (users with none left out).
        Costs O(assignments of the set x users asked)."""
        s = self.s
        assignments = [aid for aid in s.idx["assignments"]["live_by_category"].ids(category_id)
                       if s.get("assignments", aid).course_id == course_id]
        pair = s.idx["submissions"]["by_pair"].get
        out: dict[int, list[int]] = {}
        for uid in user_ids:
            found = []
            for aid in assignments:
                sid = pair((aid, uid))
                sub = s.get("submissions", sid) if sid is not None else None
                if sub is not None and sub.workflow_state == "submitted":
                    found.append(sub.id)
            if found:
                out[uid] = sorted(found)
        return out

    # -- the lifecycle manager -----------------------------------------------------------------
    def sync(self, assignment: Assignment) -> None:
        """Make the ``unsubmitted`` submissions of every student the assignment is assigned to
        (``SubmissionLifecycleManager.recompute``): after an assignment is created or its overrides
        or visibility change, and when a student is enrolled. Idempotent; no live events."""
        self._recompute(assignment, None)

    def enrolled(self, enrollment: Any) -> None:
        """``recompute_users_for_course``: after a student enrollment is created or changes state,
        the student's rows of every active assignment of the course (created, revived, deleted)."""
        if enrollment.type not in STUDENT_TYPES:
            return
        get, only = self.s.get, {enrollment.user_id}
        students = self._students(enrollment.course_id, only)
        for aid in list(self.s.idx["assignments"]["by_course"].ids(enrollment.course_id)):
            self._recompute(get("assignments", aid), only, students)

    def _students(self, course_id: int, only: set[int] | None) -> _Students:
        counts: dict[int, list[int]] = {}  # user -> [accepted, completed, gone]
        if only is None:
            get = self.s.get
            enrollments = (get("enrollments", eid) for eid in self.s.idx["enrollments"]["by_course"].ids(course_id))
        else:  # a few students: their own enrollments, not the course's
            enrollments = (e for uid in only for e in self.s.courses.enrollments_of(uid, course_id))
        for e in enrollments:
            if e is None or e.type not in STUDENT_TYPES:
                continue
            c = counts.setdefault(e.user_id, [0, 0, 0])
            if e.workflow_state in ("rejected", "deleted"):
                c[2] += 1
            else:
                c[0] += 1
                if e.workflow_state == "completed":
                    c[1] += 1
        out = _Students(set(), set(), set())
        for uid, (accepted, completed, _) in counts.items():
            if accepted == 0:
                out.gone.add(uid)
            elif accepted == completed:
                out.prior.add(uid)
            else:
                out.accepted.add(uid)
        return out

    def _recompute(self, a: Assignment | None, only: set[int] | None, students: _Students | None = None) -> None:
        s = self.s
        if a is None or a.workflow_state == "deleted":
            return
        with s.lock, s.bulk("submissions"):
            now = s.now()
            if students is None:
                students = self._students(a.course_id, only)
            assigned = self._assigned(a, only, students)
            overridden = bool(s.idx["assignment_overrides"]["by_assignment"].keys(a.id))
            new: list[Submission] = []
            for uid in assigned:
                user = s.get("users", uid)
                if user is None:
                    continue
                # without an override every student's due date is the assignment's
                due = assignment_dates.dates_for(s, a, user)[0] if overridden else a.due_at
                self._upsert(a, uid, due.replace(microsecond=0) if due is not None else None, now, new)
            for sub in new:  # perform_submission_upsert's INSERT (muted: no callbacks)
                s._insert("submissions", sub)
            keep = set(assigned)
            if only is None and not keep and not students.prior:
                drop: Iterable[int] = [sub.user_id for sub in self.of_assignment(a.id)]
            else:
                drop = (students.accepted - keep) | students.gone
            for uid in drop:
                sub = self.for_user(a.id, uid)
                if sub is not None:
                    s._update("submissions", sub, workflow_state="deleted", updated_at=now)

    def _assigned(self, a: Assignment, only: set[int] | None, students: _Students) -> list[int]:
        """``EffectiveDueDates``' students (``assignment_dates.visible_student_ids``), of ``only``
        when given: without an active override, a few students' own enrollments tell it (every
        student not rejected or deleted, unless only_visible_to_overrides) and the course's
        roster is not walked."""
        if only is not None and not self.s.idx["assignment_overrides"]["by_assignment"].keys(a.id):
            return [] if a.only_visible_to_overrides else sorted(students.accepted | students.prior)
        found = assignment_dates.visible_student_ids(self.s, a)
        return found if only is None else [uid for uid in found if uid in only]

    def _upsert(self, a: Assignment, user_id: int, due: datetime | None, now: datetime,
                new: list[Submission]) -> None:
        """Update the student's row, or add a new one to ``new`` (inserted together)."""
        s = self.s
        sid = s.idx["submissions"]["by_pair"].get((a.id, user_id))
        sub = s.get("submissions", sid) if sid is not None else None
        if sub is None:
            new.append(Submission(id=s.next_id("submissions"), assignment_id=a.id, user_id=user_id,
                                  course_id=a.course_id, cached_due_date=due,
                                  anonymous_id=anonymous_id(s, a.id, user_id), created_at=now, updated_at=now))
            return
        changes: dict[str, Any] = {}
        if sub.cached_due_date != due:
            changes["cached_due_date"] = due
        if sub.workflow_state == "deleted":
            changes["workflow_state"] = inferred_state(sub)
        if sub.anonymous_id is None:
            changes["anonymous_id"] = anonymous_id(s, a.id, user_id)
        if changes:
            changes["updated_at"] = now
            s._update("submissions", sub, **changes)

    def placeholders(self, a: Assignment, next_id: int) -> list[Submission]:
        """The rows :meth:`sync` would insert for a new assignment, numbered from ``next_id``, not
        inserted: a world being loaded inserts them in bulk (``seed/submissions.py``)."""
        s = self.s
        if a.workflow_state == "deleted":
            return []
        out = []
        stamp = a.created_at or s.now()
        for uid in sorted(set(assignment_dates.visible_student_ids(s, a))):
            user = s.get("users", uid)
            if user is None:
                continue
            due = assignment_dates.dates_for(s, a, user)[0]
            out.append(Submission(id=next_id, assignment_id=a.id, user_id=uid, course_id=a.course_id,
                                  cached_due_date=due.replace(microsecond=0) if due is not None else None,
                                  anonymous_id=anonymous_id(s, a.id, uid), created_at=stamp, updated_at=stamp))
            next_id += 1
        return out


RECORDS = {"submissions": Submission}
OPS = ("submissions", SubmissionOps)
LIVE_EVENTS = {"submissions": submission_events}
