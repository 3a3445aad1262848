"""assignment_json (lib/api/v1/assignment.rb, modern; lib/api/v1/locked.rb), canvas-facts-assignments 3.

Keys in Canvas's order: the columns of ``API_ALLOWED_ASSIGNMENT_OUTPUT_FIELDS`` in table order, then
the computed keys in the order ``assignment_json`` adds them (a key set again keeps its place, as in a
Ruby hash). Who sees what (``vc.viewer`` is the user the JSON is for: the caller, or on
``/users/:user_id/courses/:id/assignments`` that user):

* ``has_overrides`` / ``unpublishable``: manage, manage_grades or a manage-assignments right;
  ``needs_grading_count`` (and ``..._by_section``): manage_grades (not designers); the SIS keys: the
  course's read_sis / manage_sis (teachers, admins; not TAs);
* dates: as the user sees them (overrides applied) unless ``override_assignment_dates=false``;
* locks (callers without read_as_admin): ``unlock_at`` in the future or ``lock_at`` past, for the
  user's own dates. A locked assignment's ``lock_info`` sits right after the columns (Canvas's
  ``filter_attributes_for_user`` adds it there, as a real 2024 response shows); before ``unlock_at``
  the description is taken out of the columns and comes back as ``null`` after ``important_dates``
  (the JWT of ``secure_params`` then has no description). ``lock_explanation`` reads
  "This assignment is locked until Mar 22 at 9pm." / "This assignment was locked Feb 2 at 4:30pm."
  in the user's zone (``datetime_string``: Today / Tomorrow / Yesterday / a weekday within the
  week, the year only when not this year; lib/utils/date_presenter.rb, relative_date.rb);
* ``include[]``: ``submission`` (the caller's own row; with ``observed_users`` an array of the
  caller's and their observees' rows), ``assignment_visibility`` (student ids as strings, for
  read_as_admin / manage_grades / manage-assignments callers), ``overrides`` (manage-assignments
  callers), ``all_dates`` (``all_dates_count`` from 25 active overrides), ``can_edit`` (also on
  each ``all_dates`` entry, with ``in_closed_grading_period``), ``score_statistics`` (with a graded,
  posted own submission and points > 0: teachers always, students once 5 rows are graded),
  ``can_submit``, ``ab_guid`` (``[]``: no academic benchmarks);
* ``secure_params``: an HS256 JWT of ``lti_assignment_id`` and, with a description, up to 1000
  characters of it (longer ones end "... (truncated)"); signed with a key of the mock's own.

Limitations: no rubrics, quizzes, discussion topics, external tools or modules (module locks), no
grading periods (``in_closed_grading_period`` false), no course pacing, plagiarism plugins or
blueprint data; ``anonymize_students`` is ``anonymous_grading`` (grades are never published).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any, Iterable

from ..store import assignment_dates
from ..coerce import value_to_boolean
from ..store.assignment_casts import zone_info
from ..store.assignment_lists import expects_submission
from ..store.assignments import Assignment
from ..store.policy import MANAGE_ASSIGNMENTS
from .common import ViewContext, iso

ASSIGNMENT_INCLUDES = ("submission", "assignment_visibility", "all_dates", "overrides", "observed_users", "can_edit",
                       "score_statistics", "ab_guid", "can_submit")
MANAGE = frozenset({"manage", "manage_grades"}) | MANAGE_ASSIGNMENTS
VISIBILITY = frozenset({"read_as_admin", "manage_grades"}) | MANAGE_ASSIGNMENTS
JWT_KEY = b"mockcanvas-lti-secure-params"
JWT_HEADER = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"HS256"}').rstrip(b"=")
DESCRIPTION_LIMIT = 1000
MIN_GRADED_FOR_STATS = 5
_UNSET: Any = object()
_JWT_CACHE: dict[tuple[str, str | None], str] = {}  # the same assignment signs the same token


def secure_params(a: Assignment, with_description: bool) -> str:
    """``AbstractAssignment#secure_params``: a JWT of the LTI assignment id (and description)."""
    key = (a.lti_context_id, a.description if with_description else None)
    found = _JWT_CACHE.get(key)
    if found is None:
        if len(_JWT_CACHE) >= 4096:
            _JWT_CACHE.clear()
        found = _JWT_CACHE[key] = _jwt(a, with_description)
    return found


def _jwt(a: Assignment, with_description: bool) -> str:
    body: dict[str, Any] = {"lti_assignment_id": a.lti_context_id}
    if with_description and a.description:
        text = a.description
        if len(text) > DESCRIPTION_LIMIT:
            text = text[:DESCRIPTION_LIMIT - 15] + "... (truncated)"
        body["lti_assignment_description"] = text
    payload = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).rstrip(b"=")
    signing = JWT_HEADER + b"." + payload
    sig = base64.urlsafe_b64encode(hmac.new(JWT_KEY, signing, hashlib.sha256).digest()).rstrip(b"=")
    return (signing + b"." + sig).decode()


def datetime_string(dt: datetime, zone: str | None, now: datetime) -> str:
    """``datetime_string``: "Mar 22 at 9pm", "Feb 2, 2023 at 4:30pm", "Today at 11:59pm"."""
    tz = zone_info(zone)
    local = dt.astimezone(tz)
    today = now.astimezone(tz).date()
    day = local.date()
    if day == today:
        date = "Today"
    elif day == today + timedelta(days=1):
        date = "Tomorrow"
    elif day == today - timedelta(days=1):
        date = "Yesterday"
    elif today <= day < today + timedelta(days=7):
        date = local.strftime("%A")
    elif day.year == today.year:
        date = f"{local.strftime('%b')} {day.day}"
    else:
        date = f"{local.strftime('%b')} {day.day}, {day.year}"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    time = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{date} at {time}"


def lock_state(vc: ViewContext, a: Assignment, rights: frozenset[str]) -> dict[str, Any] | None:
    """``locked_for?(user, check_policies: true)``: nothing for read_as_admin callers; else the
    user's own unlock date in the future, or lock date past (``can_view``)."""
    user = vc.viewer
    if user is None or "read_as_admin" in rights:
        return None
    _, unlock, lock = assignment_dates.dates_for(vc.store, a, user)
    now = vc.store.now()
    if unlock is not None and unlock > now:
        return {"unlock_at": unlock}
    if lock is not None and lock < now:
        return {"lock_at": lock, "can_view": True}
    return None


def lock_explanation(vc: ViewContext, lock: dict[str, Any]) -> str:
    zone = vc.viewer.time_zone if vc.viewer is not None else None
    now = vc.store.now()
    if "lock_at" in lock:
        return f"This assignment was locked {datetime_string(lock['lock_at'], zone, now)}."
    return f"This assignment is locked until {datetime_string(lock['unlock_at'], zone, now)}."


def _options(params: dict[str, Any] | None) -> tuple[bool, bool, Any, frozenset[str]]:
    p = params or {}
    raw = p.get("override_assignment_dates")
    override = True if raw is None else value_to_boolean(raw)
    by_section = value_to_boolean(p.get("needs_grading_count_by_section")) if p.get(
        "needs_grading_count_by_section") is not None else False
    exclude = p.get("exclude_response_fields") or ()
    exclude = frozenset(str(x) for x in (exclude if isinstance(exclude, (list, tuple, set, frozenset)) else [exclude]))
    return override, by_section, p.get("bucket"), exclude


def assignment_json(vc: ViewContext, assignment: Assignment, include: Iterable[str] = (), *,
                    params: dict[str, Any] | None = None, submission: Any = _UNSET) -> dict[str, Any]:
    """The assignment as ``vc.viewer`` sees it. ``params``: the request's options
    (``override_assignment_dates``, ``needs_grading_count_by_section``, ``bucket``,
    ``exclude_response_fields``); ``submission``: the row(s) to show under ``include[]=submission``
    when the caller has them at hand (``user_index`` shows the caller's, not the user's)."""
    a = assignment
    include = set(include)
    store = vc.store
    user = vc.viewer
    rights = vc.context_rights("Course", a.course_id)
    override, by_section, bucket, exclude = _options(params)
    due, unlock, lock = assignment_dates.dates_for(store, a, user) if override else (a.due_at, a.unlock_at, a.lock_at)
    locked = lock_state(vc, a, rights)
    hide_description = locked is not None and "unlock_at" in locked
    description = None if a.description is None else vc_content(vc, a.description)
    data: dict[str, Any] = {"id": a.id}
    if "description" not in exclude and not hide_description:
        data["description"] = description
    data.update({
        "due_at": iso(due),
        "unlock_at": iso(unlock),
        "lock_at": iso(lock),
        "points_possible": a.points_possible,
        "grading_type": a.grading_type,
        "assignment_group_id": a.assignment_group_id,
        "grading_standard_id": a.grading_standard_id,
        "created_at": iso(a.created_at),
        "updated_at": iso(a.updated_at),
        "peer_reviews": a.peer_reviews,
        "automatic_peer_reviews": a.automatic_peer_reviews,
        "position": a.position,
        "grade_group_students_individually": a.grade_group_students_individually,
        "anonymous_peer_reviews": a.anonymous_peer_reviews,
        "group_category_id": a.group_category_id,
        "post_to_sis": a.post_to_sis,
        "moderated_grading": a.moderated_grading,
        "omit_from_final_grade": a.omit_from_final_grade,
        "intra_group_peer_reviews": a.intra_group_peer_reviews,
        "anonymous_instructor_annotations": a.anonymous_instructor_annotations,
        "anonymous_grading": a.anonymous_grading,
        "graders_anonymous_to_graders": a.graders_anonymous_to_graders,
        "grader_count": a.grader_count,
        "grader_comments_visible_to_graders": a.grader_comments_visible_to_graders,
        "final_grader_id": a.final_grader_id,
        "grader_names_visible_to_final_grader": a.grader_names_visible_to_final_grader,
        "allowed_attempts": -1 if a.allowed_attempts is None else a.allowed_attempts,
        "annotatable_attachment_id": a.annotatable_attachment_id,
        "hide_in_gradebook": a.hide_in_gradebook,
    })
    if locked is not None:
        info = {k: iso(v) if isinstance(v, datetime) else v for k, v in locked.items()}
        info["asset_string"] = f"assignment_{a.id}"
        data["lock_info"] = info
    shown_description = data.get("description")
    data["secure_params"] = secure_params(a, bool(shown_description))
    data["lti_context_id"] = a.lti_context_id
    data["course_id"] = a.course_id
    data["name"] = a.title
    data["submission_types"] = a.submission_types.split(",") if a.submission_types else []
    submitted = store.submissions.has_submitted_submissions(a.id)
    data["has_submitted_submissions"] = submitted
    data["due_date_required"] = False
    data["max_name_length"] = 255
    if "in_closed_grading_period" not in exclude:
        data["in_closed_grading_period"] = False
    data["graded_submissions_exist"] = store.assignments.graded_submissions_exist(a)
    if "overrides" in include and rights & MANAGE_ASSIGNMENTS:
        data["overrides"] = _overrides(vc, a)
    data.update({
        "is_quiz_assignment": False,
        "can_duplicate": True,
        "original_course_id": None,
        "original_assignment_id": None,
        "original_lti_resource_link_id": None,
        "original_assignment_name": None,
        "original_quiz_id": None,
        "workflow_state": a.workflow_state,
        "important_dates": a.important_dates,
    })
    if "description" not in exclude and hide_description:
        data["description"] = None
    data["muted"] = a.muted
    data["html_url"] = vc.url(f"/courses/{a.course_id}/assignments/{a.id}")
    can_manage = bool(rights & MANAGE)
    if can_manage:
        data["has_overrides"] = assignment_dates.override_count(store, a) > 0
    if a.automatic_peer_reviews and a.peer_reviews:
        data["peer_review_count"] = a.peer_review_count
        data["peer_reviews_assign_at"] = iso(a.peer_reviews_assign_at)
    if "needs_grading_count" not in exclude and "manage_grades" in rights:
        if by_section:
            data["needs_grading_count_by_section"] = _by_section(vc, a)
        data["needs_grading_count"] = store.submissions.needs_grading_count(a)
    if _sis_rights(vc, a.course_id):
        data["sis_assignment_id"] = a.sis_assignment_id
        data["integration_id"] = a.integration_id
        data["integration_data"] = json.loads(a.integration_data or "{}")
    if a.allowed_extensions:
        data["allowed_extensions"] = list(a.allowed_extensions)
    if "all_dates" in include:
        count = assignment_dates.override_count(store, a)
        if count < assignment_dates.ALL_DATES_LIMIT:
            data["all_dates"] = assignment_dates.all_dates(store, a, user)
        else:
            data["all_dates_count"] = count
    if "can_edit" in include:
        can_edit = "manage_assignments_edit" in rights
        data["can_edit"] = can_edit
        for entry in data.get("all_dates") or ():
            entry["in_closed_grading_period"] = False
            entry["can_edit"] = can_edit
    data["published"] = a.workflow_state == "published"
    if can_manage:
        data["unpublishable"] = not store.submissions.has_student_submissions(a.id)
    data["only_visible_to_overrides"] = a.only_visible_to_overrides
    data["visible_to_everyone"] = _visible_to_everyone(vc, a)
    if "assignment_visibility" in include and rights & VISIBILITY:
        data["assignment_visibility"] = [str(i) for i in assignment_dates.visible_student_ids(store, a)]
    if "submission" in include or "can_submit" in include:
        subs = own_submissions(vc, a, "observed_users" in include) if submission is _UNSET else submission
        if subs is not None:
            data["submission"] = _submission_json(vc, a, subs, include)
            if "score_statistics" in include:
                stats = _score_statistics(vc, a, subs, rights)
                if stats is not None:
                    data["score_statistics"] = stats
    else:
        subs = None
    if bucket is not None:
        data["bucket"] = bucket
    data["locked_for_user"] = locked is not None
    if locked is not None:
        data["lock_explanation"] = lock_explanation(vc, locked)
    data["submissions_download_url"] = vc.url(f"/courses/{a.course_id}/assignments/{a.id}/submissions?zip=1")
    data["post_manually"] = a.post_manually
    data["anonymize_students"] = a.anonymous_grading
    data["require_lockdown_browser"] = False
    if "can_submit" in include and not isinstance(subs, list):
        data["can_submit"] = _can_submit(vc, a, subs, locked is not None)
    if "ab_guid" in include:
        data["ab_guid"] = []
    data["restrict_quantitative_data"] = False
    return data


def _sis_rights(vc: ViewContext, course_id: int) -> frozenset[str]:
    """The course's read_sis / manage_sis (``store.courses.sis_rights``), once per view context."""
    key = ("sis", course_id)
    found = vc._rights.get(key)
    if found is None:
        course = vc.store.get("courses", course_id)
        found = vc._rights[key] = vc.store.courses.sis_rights(vc.viewer, course) if course is not None else frozenset()
    return found


def vc_content(vc: ViewContext, html: str) -> str:
    """``api_user_content``: relative links and sources made absolute."""
    if "href=\"/" not in html and "src=\"/" not in html:
        return html
    from ..html import sanitize
    return sanitize(html, vc.base_url)


def _overrides(vc: ViewContext, a: Assignment) -> list[dict[str, Any]]:
    from .assignment_overrides import override_json
    return [override_json(vc, o) for o in vc.store.assignment_overrides.active(a.id)]


def _visible_to_everyone(vc: ViewContext, a: Assignment) -> bool:
    """An "Everyone" (course) override, or not only visible to overrides."""
    if not a.only_visible_to_overrides:
        return True
    return any(o.set_type == "Course" for o in vc.store.assignment_overrides.active(a.id))


def _by_section(vc: ViewContext, a: Assignment) -> list[dict[str, Any]]:
    store = vc.store
    out = []
    for sid in store.idx["sections"]["by_course"].ids(a.course_id):
        n = store.submissions.needs_grading_count(a, [sid])
        if n:
            out.append({"section_id": str(sid), "needs_grading_count": n})
    return out


def own_submissions(vc: ViewContext, a: Assignment, observed: bool) -> Any:
    """``submissions_hash``: the caller's row, or (``observed_users``) an array of the caller's and
    their observees' rows."""
    store = vc.store
    user = vc.viewer
    if user is None:
        return [] if observed else None
    if not observed:
        return store.submissions.for_user(a.id, user.id)
    users = [user.id]
    if any(e.type == "ObserverEnrollment" for e in store.policy.enrollments(user.id, a.course_id)):
        users += assignment_dates.observees(store, a.course_id, user.id)
    subs = [store.submissions.for_user(a.id, uid) for uid in users]
    return [sub for sub in subs if sub is not None]


def _submission_json(vc: ViewContext, a: Assignment, subs: Any, include: set[str]) -> Any:
    from .submissions import submission_json
    if isinstance(subs, list):
        return [submission_json(vc, sub, include, assignment=a) for sub in subs]
    return submission_json(vc, subs, include, assignment=a)


def _score_statistics(vc: ViewContext, a: Assignment, subs: Any, rights: frozenset[str]) -> dict[str, float] | None:
    """``can_view_score_statistics?`` and ``eligible_for_showing_score_statistics?``: points above
    zero and a graded, posted own submission; students see them once 5 rows are graded."""
    from ..store.submissions import graded
    if not a.points_possible or a.points_possible <= 0:
        return None
    own = subs if isinstance(subs, list) else [subs]
    if not any(graded(s) and s.posted_at is not None for s in own):
        return None
    scores = [s.score for s in vc.store.submissions.of_assignment(a.id) if graded(s) and s.score is not None]
    if not scores or ("read_as_admin" not in rights and len(scores) < MIN_GRADED_FOR_STATS):
        return None
    return {"min": round(float(min(scores)), 1), "max": round(float(max(scores)), 1),
            "mean": round(sum(scores) / len(scores), 1)}


def _can_submit(vc: ViewContext, a: Assignment, sub: Any, locked: bool) -> bool:
    """``expects_submission? && !locked_for? && :submit && attempts left``."""
    store = vc.store
    user = vc.viewer
    if user is None or locked or not expects_submission(a) or a.workflow_state != "published":
        return False
    if not store.policy.is_student(user, a.course_id) or not assignment_dates.visible_to(store, a, user):
        return False
    if sub is None or a.allowed_attempts in (None, -1):
        return True
    left = a.allowed_attempts + (sub.extra_attempts or 0) - (sub.attempt or 0)
    return left > 0
