"""PUT and DELETE /api/v1/courses/:course_id/assignments/:id (AssignmentsApiController#update,
AssignmentsController#destroy): only the keys sent change, Canvas's quirks, the refusals, each
role, the state and live events afterwards (canvas-facts-assignments 4.4, 4.5, 9)."""

from __future__ import annotations

import pytest

from mockcanvas.clock import FrozenClock
from assignments_support import course, group, invalid, keys_for, make, mark, tokens, unchanged  # noqa: F401
from canvas_bodies import NOT_FOUND, UNAUTHORIZED

UNPUBLISH = {"errors": {"published": [{"attribute": "workflow_state",
                                       "type": "Can't unpublish if there are student submissions",
                                       "message": "Can't unpublish if there are student submissions"}]}}


def url(a) -> str:
    return f"/api/v1/courses/{a.course_id}/assignments/{a.id}"


def put(api, a, token="teacher-token", **fields):
    return api.put(url(a), token=token, data={f"assignment[{k}]": v for k, v in fields.items()})


def submit(store, a, user_id=6, graded=False):
    """Student ``user_id`` has submitted (and maybe been graded)."""
    sub = store.submissions.for_user(a.id, user_id)
    changes = {"submission_type": "online_text_entry", "workflow_state": "submitted", "submitted_at": store.now(),
               "body": "done", "attempt": 1}
    if graded:
        changes.update(workflow_state="graded", score=5.0, grade="5", graded_at=store.now())
    store._update("submissions", sub, **changes)
    store.live_events.clear()
    return sub


# -- update --------------------------------------------------------------------------------------
def test_only_the_keys_sent_change(api, store, course):
    a = make(store, name="Old", points_possible="10", description="<p>keep</p>", due_at="2024-05-01T12:00:00Z")
    before = store.get("assignments", a.id).updated_at
    r = put(api, a, name="New")
    assert r.status == 200
    body = r.json()
    assert list(body) == keys_for("teacher")
    assert (body["name"], body["points_possible"], body["description"], body["due_at"]) == (
        "New", 10.0, "<p>keep</p>", "2024-05-01T12:00:00Z")
    assert store.get("assignments", a.id).title == "New"
    assert store.get("assignments", a.id).updated_at >= before
    (event,) = store.live_events.all()
    assert (event.name, event.body["title"], event.body["assignment_id"]) == ("assignment_updated", "New", str(a.id))
    assert api.get(url(a)).json() == body


def test_nothing_changed_is_no_event_and_force_updated_at_touches(api, store, course, monkeypatch):
    a = make(store, name="Same")
    assert put(api, a, name="Same").status == 200
    assert store.live_events.all() == []
    later = a.updated_at.replace(year=a.updated_at.year + 1, microsecond=0)
    monkeypatch.setattr(store, "clock", FrozenClock(later))
    r = put(api, a, name="Same", force_updated_at="true")
    assert r.json()["updated_at"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert store.live_events.all() == []  # a touch: only updated_at


def test_blank_points_are_zero_absent_points_untouched(api, store, course):
    a = make(store, points_possible="10")
    assert put(api, a, name="x").json()["points_possible"] == 10.0
    assert put(api, a, points_possible="").json()["points_possible"] == 0.0


def test_publish_and_unpublish(api, store, course):
    a = make(store, published="false")
    body = put(api, a, published="true").json()
    assert (body["published"], body["workflow_state"]) == (True, "published")
    assert store.live_events.all()[-1].body["workflow_state"] == "published"
    body = put(api, a, published="false").json()
    assert (body["published"], body["unpublishable"]) == (False, True)


def test_unpublishing_with_student_submissions_is_refused(api, store, course):
    a = make(store)
    submit(store, a)
    assert api.get(url(a)).json()["unpublishable"] is False
    since = mark(store)
    r = put(api, a, published="false", name="Renamed")
    assert (r.status, r.json()) == (400, UNPUBLISH)
    unchanged(store, since)
    assert store.get("assignments", a.id).title == "Homework"
    # the renamed key goes last
    r = put(api, a, published="false", points_possible="-1")
    assert list(r.json()["errors"]) == ["points_possible", "published"]


def test_due_at_turns_only_visible_to_overrides_off(api, store, course):
    a = make(store, only_visible_to_overrides="true")
    assert store.get("assignments", a.id).only_visible_to_overrides is True
    body = put(api, a, due_at="2024-06-01T12:00:00Z", only_visible_to_overrides="true").json()
    assert (body["only_visible_to_overrides"], body["due_at"]) == (False, "2024-06-01T12:00:00Z")
    b = make(store, only_visible_to_overrides="true")
    assert put(api, b, due_at="").json()["only_visible_to_overrides"] is False
    c = make(store, only_visible_to_overrides="true")
    r = api.put(url(c), json={"assignment": {"due_at": None, "name": "n"}})
    assert r.json()["only_visible_to_overrides"] is True  # JSON null is no due_at


def test_assignment_group_moves(api, store, course):
    first, second = group(store, "First", 1), group(store, "Second", 2)
    a = make(store, assignment_group_id=str(second.id))
    b = make(store, assignment_group_id=str(first.id))
    body = put(api, a, assignment_group_id=str(first.id)).json()
    assert (body["assignment_group_id"], body["position"]) == (first.id, 2)  # after b
    # blank: the course's first group; unknown: the first group too
    c = make(store, assignment_group_id=str(second.id))
    assert put(api, c, assignment_group_id="").json()["assignment_group_id"] == first.id
    d = make(store, assignment_group_id=str(second.id))
    assert put(api, d, assignment_group_id="99999").json()["assignment_group_id"] == first.id
    r = put(api, b, assignment_group_id="zero")
    assert (r.status, r.json()) == (400, invalid("assignment[assignment_group_id]", "must be a positive number"))


def test_position_and_dates(api, store, course):
    a = make(store)
    body = put(api, a, position="4", unlock_at="2024-05-01T00:00:00Z", due_at="2024-05-03T00:00:00Z").json()
    assert (body["position"], body["unlock_at"], body["due_at"]) == (4, "2024-05-01T00:00:00Z", "2024-05-03T23:59:59Z")
    r = put(api, a, lock_at="2024-05-02T00:00:00Z")  # before the due date now
    assert (r.status, r.json()) == (400, invalid("due_at", "must be between availability dates"))
    r = put(api, a, due_at="2024-05-03")
    assert r.json() == invalid("assignment[due_at]", "Invalid datetime for due_at")


def test_group_category_change_and_its_refusal(api, store, course):
    a = make(store, group_category_id="1")
    assert put(api, a, group_category_id="").json()["group_category_id"] is None
    assert put(api, a, group_category_id="3").json()["group_category_id"] == 3
    submit(store, a)
    r = put(api, a, group_category_id="1")
    assert (r.status, r.json()) == (400, invalid(
        "group_category_id", "The group category can't be changed because students have already submitted on this assignment"))


def test_anonymous_grading_on_a_group_assignment(api, store, course):
    a = make(store, group_category_id="1")
    r = put(api, a, anonymous_grading="true")
    assert r.json() == invalid("anonymous_grading", "Group assignments can't be anonymously graded")
    b = make(store, anonymous_grading="true")
    r = put(api, b, group_category_id="1")
    assert r.json() == invalid("group_category_id", "Anonymously graded assignments can't be group assignments")


def test_override_dates_false_in_the_answer(api, store, course):
    a = make(store, due_at="2024-05-01T12:00:00Z")
    o = store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="CourseSection", set_id=1,
                     title="Section A", due_at=a.due_at.replace(day=9), due_at_overridden=True)
    assert o.id
    body = put(api, a, name="n", override_dates="false").json()
    assert body["due_at"] == "2024-05-01T12:00:00Z"
    # teachers see the latest date by default
    assert put(api, a, name="m").json()["due_at"] == "2024-05-09T12:00:00Z"


@pytest.mark.parametrize("role", ["ta", "designer", "admin"])
def test_staff_may_update(api, store, course, tokens, role):
    a = make(store)
    r = put(api, a, token=tokens[role], name=role)
    assert (r.status, r.json()["name"]) == (200, role)
    assert list(r.json()) == keys_for(role)


@pytest.mark.parametrize("role", ["student", "observer", "outsider"])
def test_others_may_not_update(api, store, course, tokens, role):
    a = make(store)
    since = mark(store)
    r = put(api, a, token=tokens[role], name="x")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    unchanged(store, since)


def test_designers_may_not_change_points_once_graded(api, store, course, tokens):
    a = make(store, points_possible="10", submission_types="online_text_entry")
    submit(store, a, graded=True)
    assert put(api, a, token=tokens["designer"], points_possible="20").json() == UNAUTHORIZED
    assert put(api, a, token=tokens["designer"], grading_type="percent").json() == UNAUTHORIZED
    assert put(api, a, token=tokens["designer"], name="fine").status == 200
    assert put(api, a, token=tokens["designer"], points_possible="10").status == 200  # no change
    body = put(api, a, points_possible="20").json()
    assert body["points_possible"] == 20.0  # teachers grade
    assert body["graded_submissions_exist"] is True
    fresh = make(store, points_possible="10", submission_types="online_text_entry")
    submit(store, fresh)  # submitted, not graded
    assert put(api, fresh, name="n").json()["graded_submissions_exist"] is False


def test_update_404s_and_missing_parameter(api, store, course):
    a = make(store)
    other = make(store, course_id=2)
    gone = make(store)
    store.assignments.delete(gone)
    since = mark(store)
    for path in (f"/api/v1/courses/1/assignments/{other.id}", f"/api/v1/courses/1/assignments/{gone.id}",
                 "/api/v1/courses/1/assignments/99999", "/api/v1/courses/999/assignments/1",
                 "/api/v1/courses/1/assignments/abc", "/api/v1/courses/1/assignments/sis_assignment_id:none",
                 f"/api/v1/courses/1/assignments/{10 ** 30}"):
        r = api.put(path, data={"assignment[name]": "x"})
        assert (r.status, r.json()) == (404, NOT_FOUND), path
    r = api.put(url(a))
    assert (r.status, r.json()) == (400, {"errors": [{"message": "assignment is missing"}]})
    unchanged(store, since)


def test_assignment_overrides_replace_the_set(api, store, course):
    a = make(store)
    r = api.put(url(a), json={"assignment": {"assignment_overrides": [
        {"course_section_id": 2, "due_at": "2024-05-04T12:00:00Z"}]}})
    assert r.status == 200
    active = store.assignment_overrides.active(a.id)
    assert [(o.set_type, o.set_id) for o in active] == [("CourseSection", 2)]
    assert api.put(url(a), json={"assignment": {"assignment_overrides": []}}).status == 200
    assert store.assignment_overrides.active(a.id) == []


# -- delete ---------------------------------------------------------------------------------------
def test_delete_is_soft_and_answers_the_deleted_assignment(api, store, course):
    a = make(store)
    keep = make(store, name="Keep")
    r = api.delete(url(a))
    assert r.status == 200
    body = r.json()
    assert (body["id"], body["workflow_state"], body["published"], body["unpublishable"]) == (a.id, "deleted", False, True)
    assert list(body) == keys_for("teacher")
    assert store.get("assignments", a.id).workflow_state == "deleted"
    (event,) = store.live_events.all()
    assert (event.name, event.body["workflow_state"]) == ("assignment_updated", "deleted")
    for call in (api.get, api.delete):
        assert call(url(a)).json() == NOT_FOUND
    assert put(api, a, name="x").json() == NOT_FOUND
    assert [x["id"] for x in api.get("/api/v1/courses/1/assignments").json()] == [keep.id]


def test_delete_with_submissions_is_allowed(api, store, course):
    a = make(store)
    sub = submit(store, a)
    assert api.delete(url(a)).status == 200
    assert store.get("submissions", sub.id).workflow_state == "submitted"


@pytest.mark.parametrize("role,status", [("ta", 200), ("designer", 200), ("admin", 200), ("student", 401),
                                         ("observer", 401), ("outsider", 401)])
def test_delete_by_role(api, store, course, tokens, role, status):
    a = make(store)
    r = api.delete(url(a), token=tokens[role])
    assert r.status == status
    assert (store.get("assignments", a.id).workflow_state == "deleted") == (status == 200)


# -- overrides through the assignment, hostile input ---------------------------------------------
def test_create_with_overrides_and_a_bad_one_saves_nothing(api, store, course):
    r = api.post("/api/v1/courses/1/assignments", json={"assignment": {
        "name": "With dates", "published": True, "due_at": "2024-05-01T12:00:00Z",
        "assignment_overrides": [{"course_section_id": 2, "due_at": "2024-05-08T12:00:00Z"},
                                 {"student_ids": [6], "title": "Sam", "due_at": "2024-05-09T12:00:00Z"}]}})
    assert r.status == 201
    a = store.get("assignments", r.json()["id"])
    assert sorted(o.set_type for o in store.assignment_overrides.active(a.id)) == ["ADHOC", "CourseSection"]
    assert api.get(url(a), token="student2-token").json()["due_at"] == "2024-05-08T12:00:00Z"
    assert api.get(url(a)).json()["has_overrides"] is True
    rows = {t: len(store.rows[t]) for t in ("assignments", "assignment_groups", "assignment_overrides", "submissions")}
    store.live_events.clear()
    r = api.post("/api/v1/courses/1/assignments", json={"assignment": {
        "name": "Bad", "assignment_overrides": [{"title": "no target"}]}})
    assert r.status == 400
    # all or nothing (the rollback of an atomic block bumps the store's version, so count rows)
    assert {t: len(store.rows[t]) for t in rows} == rows
    assert store.live_events.all() == []


def test_changing_the_group_category_drops_group_overrides(api, store, course):
    a = make(store, group_category_id="1")
    store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="Group", set_id=1,
                 title="Project Group 1")
    store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="CourseSection", set_id=1,
                 title="Section A")
    assert put(api, a, group_category_id="3").status == 200
    assert [o.set_type for o in store.assignment_overrides.active(a.id)] == ["CourseSection"]


@pytest.mark.parametrize("payload", [
    {"assignment": {"name": {"a": 1}, "position": "9" * 30}},
    {"assignment": {"due_at": [1], "lock_at": {"x": "y"}, "points_possible": "1e999"}},
    {"assignment": {"published": {"x": 1}, "only_visible_to_overrides": [1, 2], "assignment_group_id": 1.5}},
    {"assignment": {"assignment_overrides": {"0": {"course_section_id": "999"}}}},
    {"assignment": {"group_category_id": "x" * 10000, "sis_assignment_id": ["a"], "grading_type": None}},
    {"assignment": "string"}, {"assignment": [1, 2]}, {"assignment": None},
])
def test_hostile_updates_get_canvas_answers(api, store, course, payload):
    a = make(store)
    r = api.put(url(a), json=payload)
    assert r.status in (200, 400)
    assert isinstance(r.json(), dict)


@pytest.mark.parametrize("params", [
    {"bucket[]": "past"}, {"search_term[]": "ab"}, {"order_by[]": "name"}, {"post_to_sis[x]": "1"},
    {"assignment_ids": "1,2"}, {"include": "submission"}, {"per_page": "-5", "page": "1"},
    {"needs_grading_count_by_section[]": "1"}, {"override_assignment_dates[]": "x"},
])
def test_hostile_list_parameters_get_canvas_answers(api, store, course, params):
    make(store)
    r = api.get("/api/v1/courses/1/assignments", params=params)
    assert r.status in (200, 400)
    assert isinstance(r.json(), (list, dict))
