"""What the assignments API tests share: tokens for every role, arranging assignments, Canvas's
keys and answers (canvas-facts-assignments section 3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

# the columns (table order), then the computed keys every caller gets (lib/api/v1/assignment.rb)
COLUMNS = ["id", "description", "due_at", "unlock_at", "lock_at", "points_possible", "grading_type",
           "assignment_group_id", "grading_standard_id", "created_at", "updated_at", "peer_reviews",
           "automatic_peer_reviews", "position", "grade_group_students_individually", "anonymous_peer_reviews",
           "group_category_id", "post_to_sis", "moderated_grading", "omit_from_final_grade",
           "intra_group_peer_reviews", "anonymous_instructor_annotations", "anonymous_grading",
           "graders_anonymous_to_graders", "grader_count", "grader_comments_visible_to_graders", "final_grader_id",
           "grader_names_visible_to_final_grader", "allowed_attempts", "annotatable_attachment_id",
           "hide_in_gradebook"]
MIDDLE = ["secure_params", "lti_context_id", "course_id", "name", "submission_types", "has_submitted_submissions",
          "due_date_required", "max_name_length", "in_closed_grading_period", "graded_submissions_exist",
          "is_quiz_assignment", "can_duplicate", "original_course_id", "original_assignment_id",
          "original_lti_resource_link_id", "original_assignment_name", "original_quiz_id", "workflow_state",
          "important_dates", "muted", "html_url"]
TAIL = ["submissions_download_url", "post_manually", "anonymize_students", "require_lockdown_browser",
        "restrict_quantitative_data"]
SIS = ["sis_assignment_id", "integration_id", "integration_data"]


def keys_for(role: str) -> list[str]:
    """The keys of a plain (unlocked, no include) assignment for each caller, in order."""
    manage = role in ("teacher", "ta", "designer", "admin")
    out = COLUMNS + MIDDLE
    if manage:
        out = out + ["has_overrides"]
    if role in ("teacher", "ta", "admin"):
        out = out + ["needs_grading_count"]
    if role in ("teacher", "admin"):
        out = out + SIS
    out = out + ["published"] + (["unpublishable"] if manage else [])
    return out + ["only_visible_to_overrides", "visible_to_everyone", "locked_for_user"] + TAIL


def invalid(attribute: str, message: str, type_: str | None = None) -> dict:
    return {"errors": {attribute: [{"attribute": attribute, "type": type_ or message, "message": message}]}}


TOKENS = {"teacher": "teacher-token", "ta": "ta-token", "designer": "designer-token", "student": "student-token",
          "student2": "student2-token", "observer": "observer-token", "admin": "admin-token",
          "outsider": "outsider-token"}


@pytest.fixture
def tokens(store):
    """Tokens for the designer (4) and the observer (5), who has none in the default world; the
    observer observes student 6."""
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)
    obs = next(e for e in store.all("enrollments") if e.user_id == 5 and e.course_id == 1)
    store._update("enrollments", obs, associated_user_id=6)
    store.live_events.clear()
    return TOKENS


@pytest.fixture
def course(store):
    """Course 1 without assignments or assignment groups (whatever the default world ships), so that
    each test arranges its own; nothing recorded."""
    with store.bulk("assignments", "assignment_groups"):
        for a in list(store.all("assignments")):
            if a.course_id == 1 and a.workflow_state != "deleted":
                store._update("assignments", a, workflow_state="deleted")
        for g in list(store.all("assignment_groups")):
            if g.course_id == 1 and g.workflow_state != "deleted":
                store._update("assignment_groups", g, workflow_state="deleted")
    store.live_events.clear()
    return store.get("courses", 1)


def make(store, course_id: int = 1, **fields):
    """An assignment made through the store (no permission check), published unless told; no events kept."""
    fields.setdefault("name", "Homework")
    fields.setdefault("published", "true")
    a = store.assignments.create(store.get("courses", course_id), None, fields)
    store.live_events.clear()
    return a


def group(store, name: str, position: int, course_id: int = 1):
    g = store.insert("assignment_groups", course_id=course_id, name=name, position=position)
    store.live_events.clear()
    return g


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def later(store, **delta) -> datetime:
    """The store's now moved by ``delta`` (whole seconds)."""
    return (store.now() + timedelta(**delta)).replace(microsecond=0)


def mark(store):
    return store.version, len(store.live_events.all())


def unchanged(store, since) -> None:
    assert store.version == since[0], "the request wrote to the store"
    assert len(store.live_events.all()) == since[1]


def arrange_group(store, course_id: int = 1, **kw):
    """An assignment group inserted directly (no request, no event), at the end of its course."""
    kw.setdefault("name", "Homework")
    if "position" not in kw:
        kw["position"] = 1 + len(store.idx["assignment_groups"]["by_course"].keys(course_id))
    g = store.insert("assignment_groups", course_id=course_id, **kw)
    store.live_events.clear()
    return g


def arrange_assignment(store, g, title: str = "A", **kw):
    """A published assignment inserted directly at the end of group ``g`` (no request, no event)."""
    kw.setdefault("workflow_state", "published")
    kw.setdefault("position", 1 + len(store.idx["assignments"]["by_group"].keys(g.id)))
    a = store.insert("assignments", course_id=g.course_id, assignment_group_id=g.id, title=title, **kw)
    store.live_events.clear()
    return a


def arrange_in_default_group(store, course_id: int = 1, **kw):
    """A published assignment inserted directly into the course's first group (made when none),
    with no event left recorded."""
    kw.setdefault("workflow_state", "published")
    group = store.assignment_groups.require_default(course_id)
    a = store.insert("assignments", course_id=course_id, assignment_group_id=group.id, **kw)
    store.live_events.clear()
    return a
