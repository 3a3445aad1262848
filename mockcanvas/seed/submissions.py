"""The submissions area of a world file: the ``unsubmitted`` rows every assigned student has, and
``submissions`` that say what a student handed in and how it was graded.

Every world gets, for each assignment that is not deleted, one ``unsubmitted`` submission per
student it is assigned to, as Canvas's SubmissionLifecycleManager makes them (``store/submissions.py``):
numbered by assignment id, then student id. An entry of ``submissions`` fills in one student's row
(assignment, user):

* ``assignment``, ``user`` (required): the user must be a student of the assignment's course
  (a student or test-student enrollment, not rejected or deleted); one entry per pair.
* ``submission_type`` (Canvas's online types), ``submitted_at`` (default: the load's time),
  ``body`` (required for ``online_text_entry``), ``url`` (required for ``online_url``),
  ``attempt`` (default 1 once submitted).
* ``score`` (a number), ``grade`` (a string: default the score as Canvas writes points, ``"8"``,
  ``"8.5"``; on percent ``"80%"`` of the points possible; on pass_fail ``"complete"`` /
  ``"incomplete"``; letter and GPA grades must be given), ``excused`` (not with a score or grade),
  ``grader``, ``graded_at`` (default: the submission time, else the load's), ``posted_at``
  (default: the grading time, unless the assignment posts manually), ``late_policy_status``,
  ``seconds_late_override``, ``points_deducted`` (``entered_score`` is the score plus it),
  ``group`` (a group of the assignment's group set), ``extra_attempts``, ``redo_request``,
  ``sticker``, ``read_state`` (``read`` | ``unread``), ``created_at``.
* ``state`` (``unsubmitted``, ``submitted``, ``pending_review``, ``graded``; default: ``graded``
  with a score, grade or excuse, ``submitted`` with a ``submission_type``, else ``unsubmitted``):
  submitted and pending review need a ``submission_type``, unsubmitted has none, and neither a
  score nor a grade.

Limitations: no attachments, media comments, comments or versions history (a submitted or graded
row counts one version per attempt for ``preview_url``); an entry for a student the assignment is
not assigned to (``only_visible_to_overrides``) is loaded as given.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..store.assignments import Assignment
from ..store.submissions import (LATE_POLICY_STATUSES, STUDENT_TYPES, SUBMISSION_TYPES, WORKFLOW_STATES, Submission,
                                 anonymous_id)
from .fields import B, DT, NUM, S, enum, integer, ref, req
from .loader import Item, Loader, Section

SUBMISSION_FIELDS = {
    "assignment": req(ref("assignments")), "user": req(ref("users")), "state": enum(*WORKFLOW_STATES),
    "submission_type": enum(*SUBMISSION_TYPES), "submitted_at": DT, "body": S, "url": S,
    "attempt": integer(min=1), "score": NUM, "grade": S, "excused": B, "grader": ref("users"),
    "graded_at": DT, "posted_at": DT, "late_policy_status": enum(*LATE_POLICY_STATUSES),
    "seconds_late_override": integer(min=0), "points_deducted": NUM, "group": ref("groups"),
    "extra_attempts": integer(min=0), "redo_request": B, "sticker": S, "read_state": enum("read", "unread"),
    "created_at": DT,
}
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Assignment)}


def parse_submission(loader: Loader, file: str, path: str, values: dict[str, Any], seed: int) -> None:
    """Not a kind of its own (nothing refers to a submission by key): kept for the build."""
    loader.shared.setdefault("submissions.entries", []).append(
        Item("submissions", file, path, values, doc=len(loader.seeds)))


def _field(item: Item, name: str) -> Any:
    """A field of an assignment's row as its area built it (a dict or the record), else the default."""
    row = item.row
    if isinstance(row, dict):
        return row.get(name, _DEFAULTS.get(name))
    return getattr(row, name, _DEFAULTS.get(name))


def _points(score: float) -> str:
    """``AbstractAssignment#score_to_grade`` on points: whole numbers without ``.0``."""
    return str(int(score)) if score == int(score) else repr(round(score, 2))


def _default_grade(loader: Loader, it: Item, asg: Item, score: float) -> str | None:
    kind = _field(asg, "grading_type") or "points"
    possible = _field(asg, "points_possible") or 0.0
    if kind == "points":
        return _points(score)
    if kind == "percent":
        return (_points(round(score / possible * 100, 2)) if possible else "0") + "%"
    if kind == "pass_fail":
        return "complete" if score > 0 else "incomplete"
    if kind == "not_graded":
        loader.err(it.file, it.at("score"), "the assignment is not graded")
        return None
    loader.err(it.file, it.at("grade"), f"required with a score: the assignment is graded by {kind}")
    return None


def _students(loader: Loader) -> set[tuple[int, int]]:
    """(user id, course id) of every student or test-student enrollment not rejected or deleted."""
    out = set()
    for e in loader.items.get("enrollments", ()):
        row = e.row
        if row is not None and not isinstance(row, dict) and row.type in STUDENT_TYPES \
                and row.workflow_state not in ("rejected", "deleted"):
            out.add((row.user_id, row.course_id))
    return out


def build_submissions(loader: Loader) -> None:
    entries: list[Item] = loader.shared.pop("submissions.entries", [])
    if not entries:
        return
    students = _students(loader)
    seen: set[tuple[int, int]] = set()
    rows: list[dict[str, Any]] = []
    err = loader.err
    for it in entries:
        asg = loader.resolve(it, "assignment", "assignments")
        user = loader.resolve(it, "user", "users")
        grader = loader.resolve(it, "grader", "users")
        group = loader.resolve(it, "group", "groups")
        if asg is None or user is None:
            continue
        course_id = _field(asg, "course_id")
        if (user.id, course_id) not in students:
            err(it.file, it.at("user"), f"{user.label} is not a student of the assignment's course")
            continue
        if (asg.id, user.id) in seen:
            err(it.file, it.path, f"{user.label} already has a submission of {asg.label}")
            continue
        seen.add((asg.id, user.id))
        f = it.f
        kind, score, grade, excused = f.get("submission_type"), f.get("score"), f.get("grade"), f.get("excused")
        if excused and (score is not None or grade is not None):
            err(it.file, it.at("excused"), "an excused submission has no score or grade")
        if grade is not None and score is None:
            err(it.file, it.at("score"), "required with a grade")
        elif score is not None and grade is None:
            grade = _default_grade(loader, it, asg, score)
        state = f.get("state") or ("graded" if score is not None or excused else
                                    "submitted" if kind is not None else "unsubmitted")
        if state in ("submitted", "pending_review") and kind is None:
            err(it.file, it.at("state"), f"a {state} submission needs a submission_type")
        if state == "unsubmitted" and (kind is not None or score is not None):
            err(it.file, it.at("state"), "an unsubmitted submission has no submission_type, score or grade")
        if kind == "online_text_entry" and not f.get("body"):
            err(it.file, it.at("body"), "required for online_text_entry")
        if kind == "online_url" and not f.get("url"):
            err(it.file, it.at("url"), "required for online_url")
        category = _field(asg, "group_category_id")
        if group is not None and group.r.get("category") is not None and group.r["category"].id != category:
            err(it.file, it.at("group"), f"{group.label} is not in the assignment's group set")
        row: dict[str, Any] = {
            "assignment_id": asg.id, "user_id": user.id, "workflow_state": state, "submission_type": kind,
            "submitted_at": f.get("submitted_at"), "body": f.get("body"), "url": f.get("url"),
            "attempt": f.get("attempt", 1) if kind is not None else f.get("attempt"),
            "score": score, "grade": grade, "excused": excused, "grader_id": grader.id if grader else None,
            "graded_at": f.get("graded_at"), "posted_at": f.get("posted_at"),
            "late_policy_status": f.get("late_policy_status"), "seconds_late_override": f.get("seconds_late_override"),
            "points_deducted": f.get("points_deducted"), "group_id": group.id if group else None,
            "extra_attempts": f.get("extra_attempts"), "redo_request": bool(f.get("redo_request")),
            "sticker": f.get("sticker"), "read_state": f.get("read_state"), "created_at": f.get("created_at"),
            "_manual": bool(_field(asg, "post_manually")), "_grading": _field(asg, "grading_type") or "points",
        }
        rows.append(row)
    loader.pending["submissions"] = rows


def _settle(row: dict[str, Any], now) -> dict[str, Any]:
    """The columns the model sets itself: times, attempt's version, grade bookkeeping."""
    manual, grading = row.pop("_manual"), row.pop("_grading")
    if row["submission_type"] is not None and row["submitted_at"] is None:
        row["submitted_at"] = now
    gave = row["score"] is not None or row["grade"] is not None or bool(row["excused"])
    if gave or row["workflow_state"] == "graded":
        if row["graded_at"] is None:
            row["graded_at"] = row["submitted_at"] or now
        if row["posted_at"] is None and not manual:
            row["posted_at"] = row["graded_at"]
        if row["excused"] is None:
            row["excused"] = False
        row["grade_matches_current_submission"] = True
    if row["score"] is not None:
        deducted = row["points_deducted"]
        row["entered_score"] = row["score"] + deducted if deducted else row["score"]
        row["entered_grade"] = (_points(row["entered_score"]) if deducted and grading == "points" else row["grade"])
    if row["submission_type"] is not None or gave:
        row["version_number"] = row["attempt"] or 1
    return row


def insert_submissions(loader: Loader, store) -> None:
    """Every assigned student's row of every assignment (as ``store.submissions.sync`` would make
    them), the world's entries filling in theirs; one bulk load, no live events."""
    declared = {(r["assignment_id"], r["user_id"]): r for r in loader.pending.pop("submissions", [])}
    next_id = store._next_ids["submissions"]
    now = store.now()
    rows: list[Submission] = []
    ops = store.submissions
    for aid in sorted(store.rows["assignments"]):
        a = store.get("assignments", aid)
        made = ops.placeholders(a, next_id)
        next_id += len(made)
        for sub in made:
            entry = declared.pop((a.id, sub.user_id), None)
            if entry is not None:
                for k, v in _settle(entry, now).items():
                    if v is not None:
                        setattr(sub, k, v)
            rows.append(sub)
    for (aid, uid), entry in sorted(declared.items()):  # not assigned (only_visible_to_overrides)
        a = store.get("assignments", aid)
        fields = {k: v for k, v in _settle(entry, now).items() if v is not None}
        rows.append(Submission(id=next_id, course_id=a.course_id, anonymous_id=anonymous_id(store, aid, uid),
                               **fields))
        next_id += 1
    if rows:
        store.load_rows("submissions", rows)


SECTIONS = (Section("submissions", SUBMISSION_FIELDS, parse=parse_submission, build=build_submissions,
                    insert=insert_submissions),)
