"""submission_json (lib/api/v1/submission.rb ``submission_json`` / ``submission_attempt_json``, modern).

The keys every submission has, in the order a 2025 Canvas answers them (canvas-facts-submissions 2):
``id body url grade score submitted_at assignment_id user_id submission_type workflow_state
grade_matches_current_submission graded_at grader_id attempt cached_due_date excused
late_policy_status points_deducted grading_period_id extra_attempts posted_at redo_request
custom_grade_status_id sticker late missing seconds_late entered_grade entered_score``, then
``group`` (``include[]=group``), ``preview_url``, then the other ``include[]`` keys in
``submission_json``'s order, and last ``anonymous_id`` for an account admin of the course.

* ``grade_matches_current_submission``: a null column is ``true`` (``!= false``).
* ``entered_score`` / ``entered_grade``: the grade before a late deduction, the grade itself when
  nothing was deducted.
* ``preview_url``: ``/courses/:course_id/assignments/:id/submissions/:user_id?preview=1&version=N``
  (``version`` dropped for a row never versioned: the placeholders); absent while an anonymously
  graded assignment's students are anonymized (``anonymous_grading`` and still muted).
* Hidden grades (``Submission#filter_attributes_for_user``): a caller who may not read the grade
  does not get the keys ``score``, ``grade``, ``entered_score``, ``entered_grade`` at all.
  ``user_can_read_grade?``: ``view_all_grades``, or ``manage_grades`` on a published assignment,
  reads everything; else nothing while the grade is hidden from the student
  (``hide_grade_from_student?``: manual posting hides every unposted row, automatic posting only a
  graded or resubmitted one); else the student themself and their observers (``read_grade``).
* ``include[]``: ``group`` (``{"id", "name"}``, nulls without a group), ``html_url``,
  ``visibility`` (``assignment_visible``).

Limitations: the other ``include[]`` values (``submission_history``, ``submission_comments``,
``rubric_assessment``, ``assignment``, ``course``, ``user``, ``read_state``, ...) come with the
Submissions API; ``attachments`` and ``media_comment`` are not rendered yet; ``body`` is returned as
stored (no ``api_user_content`` link rewriting).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..store import assignment_dates
from ..store.submissions import Submission, hide_grade_from_student, is_late, is_missing, seconds_late
from .common import ViewContext, iso

if TYPE_CHECKING:
    from ..store.assignments import Assignment

SUBMISSION_INCLUDES = ("group", "html_url", "visibility")
GRADE_KEYS = ("score", "grade", "entered_score", "entered_grade")
ACCOUNT_RIGHT = "manage_account_settings"


def can_read_grade(vc: ViewContext, sub: Submission, assignment: Assignment | None) -> bool:
    """``Submission#user_can_read_grade?`` for the caller."""
    viewer = vc.viewer
    if viewer is None:
        return False
    rights = vc.context_rights("Course", sub.course_id)
    if "view_all_grades" in rights or (
            "manage_grades" in rights and assignment is not None and assignment.workflow_state == "published"):
        return True
    if hide_grade_from_student(sub, assignment):
        return False
    if viewer.id == sub.user_id:
        return True
    return any(e.type == "ObserverEnrollment" and e.associated_user_id == sub.user_id
               for e in vc.store.policy.enrollments(viewer.id, sub.course_id))


def submission_json(vc: ViewContext, submission: Submission, include: Iterable[str] = (), *,
                    assignment: Assignment | None = None) -> dict[str, Any]:
    """The submission as the caller sees it (``assignment``: the submission's, when the caller has
    it at hand)."""
    include = set(include)
    s = submission
    store = vc.store
    a = assignment if assignment is not None else store.get("assignments", s.assignment_id)
    now = store.now()
    deducted = s.points_deducted
    entered_score = s.entered_score if deducted else s.score
    entered_grade = s.entered_grade if deducted else s.grade
    data: dict[str, Any] = {
        "id": s.id,
        "body": s.body,
        "url": s.url,
        "grade": s.grade,
        "score": s.score,
        "submitted_at": iso(s.submitted_at),
        "assignment_id": s.assignment_id,
        "user_id": s.user_id,
        "submission_type": s.submission_type,
        "workflow_state": s.workflow_state,
        "grade_matches_current_submission": s.grade_matches_current_submission is not False,
        "graded_at": iso(s.graded_at),
        "grader_id": s.grader_id,
        "attempt": s.attempt,
        "cached_due_date": iso(s.cached_due_date),
        "excused": s.excused,
        "late_policy_status": s.late_policy_status,
        "points_deducted": deducted,
        "grading_period_id": s.grading_period_id,
        "extra_attempts": s.extra_attempts,
        "posted_at": iso(s.posted_at),
        "redo_request": s.redo_request,
        "custom_grade_status_id": s.custom_grade_status_id,
        "sticker": s.sticker,
        "late": is_late(s, now),
        "missing": is_missing(s, a, now),
        "seconds_late": seconds_late(s, now),
        "entered_grade": entered_grade,
        "entered_score": entered_score,
    }
    if not can_read_grade(vc, s, a):
        for key in GRADE_KEYS:
            del data[key]
    if "group" in include:
        group = store.get("groups", s.group_id) if s.group_id is not None else None
        data["group"] = {"id": s.group_id, "name": group.name if group is not None else None}
    if a is None or not (a.anonymous_grading and a.muted):
        uid = store.global_id(s.user_id)
        version = f"&version={s.version_number}" if s.version_number is not None else ""
        data["preview_url"] = vc.url(
            f"/courses/{s.course_id}/assignments/{s.assignment_id}/submissions/{uid}?preview=1{version}")
    if "html_url" in include:
        data["html_url"] = vc.url(f"/courses/{s.course_id}/assignments/{s.assignment_id}/submissions/"
                                  f"{store.global_id(s.user_id)}")
    if "visibility" in include:
        user = store.get("users", s.user_id)
        data["assignment_visible"] = a is not None and user is not None and _visible(store, a, user)
    # Course#account_membership_allows: an admin of the course's account chain, the only callers
    # whose course rights hold account rights (store/policy.py); the rights are the view context's
    if ACCOUNT_RIGHT in vc.context_rights("Course", s.course_id):
        data["anonymous_id"] = s.anonymous_id
    return data


def _visible(store, a: Assignment, user) -> bool:
    """``Submission#assignment_visible_to_user?``: the assignment is assigned to the student."""
    return a.workflow_state != "deleted" and assignment_dates.visible_to(store, a, user)
