"""GET /api/v1/courses/:course_id/assignments/:id (AssignmentsApiController#show): the object per
caller, locks, ``all_dates``, the includes, the refusals (canvas-facts-assignments 2, 3, 4.2)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from assignments_support import COLUMNS, course, iso, keys_for, later, make, tokens  # noqa: F401
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

from mockcanvas.views.assignments import datetime_string


def url(a) -> str:
    return f"/api/v1/courses/{a.course_id}/assignments/{a.id}"


@pytest.mark.parametrize("role", ["teacher", "ta", "designer", "admin", "student", "observer"])
def test_each_caller_gets_canvas_keys(api, store, course, tokens, role):
    a = make(store, description="<p>Text</p>")
    r = api.get(url(a), token=tokens[role])
    assert r.status == 200
    body = r.json()
    assert list(body) == keys_for(role)
    assert (body["id"], body["course_id"], body["description"]) == (a.id, 1, "<p>Text</p>")


def test_unpublished_and_unassigned_are_unauthorized_not_404(api, store, course, tokens):
    draft = make(store, published="false")
    hidden = make(store, only_visible_to_overrides="true")
    for role in ("student", "observer", "outsider"):
        assert api.get(url(draft), token=tokens[role]).json() == UNAUTHORIZED, role
    assert api.get(url(hidden), token=tokens["student"]).json() == UNAUTHORIZED
    for role in ("teacher", "ta", "designer", "admin"):
        assert api.get(url(draft), token=tokens[role]).status == 200
        assert api.get(url(hidden), token=tokens[role]).status == 200
    store.insert("assignment_overrides", assignment_id=hidden.id, course_id=1, set_type="ADHOC", student_ids=(6,),
                 title="1 student")
    assert api.get(url(hidden), token=tokens["student"]).status == 200
    assert api.get(url(hidden), token=tokens["observer"]).status == 200  # observes student 6
    assert api.get(url(hidden), token=tokens["student2"]).json() == UNAUTHORIZED


def test_not_found_and_no_token(api, store, course):
    a = make(store)
    other = make(store, course_id=2)
    gone = make(store)
    store.assignments.delete(gone)
    for path in (f"/api/v1/courses/1/assignments/{other.id}", url(gone), "/api/v1/courses/1/assignments/0",
                 "/api/v1/courses/1/assignments/-1", "/api/v1/courses/1/assignments/%E2%98%83",
                 "/api/v1/courses/999/assignments/1"):
        assert api.get(path).json() == NOT_FOUND, path
    assert api.get(url(a), token=None).json() == UNAUTHENTICATED
    assert api.get(f"{url(a)}.json").json()["id"] == a.id


def test_a_student_of_an_unpublished_course(api, store, course):
    a = make(store, course_id=3)
    assert api.get(url(a), token="student-token").json() == UNAUTHORIZED
    assert api.get(url(a)).status == 200


# -- locks ---------------------------------------------------------------------------------------
def test_locked_until_unlock_at(api, store, course, tokens):
    unlock = later(store, days=10)
    a = make(store, description="<p>Secret</p>", unlock_at=iso(unlock))
    body = api.get(url(a), token=tokens["student"]).json()
    keys = list(body)
    assert keys[:len(COLUMNS) - 1] == [k for k in COLUMNS if k != "description"]
    assert keys[len(COLUMNS) - 1] == "lock_info"
    assert body["lock_info"] == {"unlock_at": iso(unlock), "asset_string": f"assignment_{a.id}"}
    assert body["description"] is None and keys.index("description") == keys.index("important_dates") + 1
    assert body["locked_for_user"] is True
    assert body["lock_explanation"] == f"This assignment is locked until {datetime_string(unlock, 'Etc/UTC', store.now())}."
    assert keys.index("lock_explanation") == keys.index("locked_for_user") + 1
    teacher = api.get(url(a)).json()
    assert (teacher["locked_for_user"], teacher["description"], "lock_info" in teacher) == (False, "<p>Secret</p>", False)


def test_locked_after_lock_at_keeps_the_description(api, store, course, tokens):
    lock = later(store, days=-1)
    a = make(store, description="<p>Read me</p>", lock_at=iso(lock))
    body = api.get(url(a), token=tokens["observer"]).json()
    assert body["lock_info"] == {"lock_at": iso(lock), "can_view": True, "asset_string": f"assignment_{a.id}"}
    assert body["description"] == "<p>Read me</p>"
    assert list(body).index("description") == 1
    assert body["lock_explanation"].startswith("This assignment was locked ")


def test_lock_follows_the_students_own_dates(api, store, course, tokens):
    a = make(store, unlock_at=iso(later(store, days=5)))
    store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="CourseSection", set_id=2,
                 title="Section B", unlock_at=later(store, days=-1), unlock_at_overridden=True)
    assert api.get(url(a), token=tokens["student"]).json()["locked_for_user"] is True
    assert api.get(url(a), token=tokens["student2"]).json()["locked_for_user"] is False


@pytest.mark.parametrize("when,zone,expected", [
    ("2024-03-23T01:00:00Z", "America/New_York", "Mar 22 at 9pm"),
    ("2024-02-02T21:30:00Z", "America/New_York", "Feb 2 at 4:30pm"),
    ("2023-12-25T09:05:00Z", "Etc/UTC", "Dec 25, 2023 at 9:05am"),
    ("2024-06-01T12:00:00Z", "Etc/UTC", "Today at 12pm"),
    ("2024-06-02T00:00:00Z", "Etc/UTC", "Tomorrow at 12am"),
    ("2024-05-31T23:59:00Z", "Etc/UTC", "Yesterday at 11:59pm"),
    ("2024-06-05T15:00:00Z", "Etc/UTC", "Wednesday at 3pm"),
    ("2024-06-08T15:00:00Z", "Etc/UTC", "Jun 8 at 3pm"),
])
def test_datetime_string(when, zone, expected):
    now = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)
    at = datetime.fromisoformat(when.replace("Z", "+00:00"))
    assert datetime_string(at, zone, now) == expected


# -- all_dates and the includes ------------------------------------------------------------------
def test_all_dates_is_a_boolean_on_show(api, store, course):
    a = make(store, due_at="2024-05-01T12:00:00Z")
    assert "all_dates" not in api.get(url(a), params={"include[]": "all_dates"}).json()
    body = api.get(url(a), params={"all_dates": "true"}).json()
    assert body["all_dates"] == [{"due_at": "2024-05-01T12:00:00Z", "unlock_at": None, "lock_at": None, "base": True}]
    assert "all_dates" not in api.get(url(a), params={"all_dates": "false"}).json()


def test_all_dates_count_from_25_overrides(api, store, course):
    a = make(store)
    for uid in range(6, 20):
        store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="ADHOC", student_ids=(uid,),
                     title="1 student")
    for n in range(11):
        store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="ADHOC", student_ids=(),
                     title=f"empty {n}")
    body = api.get(url(a), params={"all_dates": "true"}).json()
    assert ("all_dates" in body, body["all_dates_count"]) == (False, 25)


def test_can_submit(api, store, course, tokens):
    online = make(store, submission_types="online_upload")
    paper = make(store, submission_types="on_paper")
    locked = make(store, submission_types="online_upload", unlock_at=iso(later(store, days=3)))
    capped = make(store, submission_types="online_upload", allowed_attempts="1")
    sub = store.submissions.for_user(capped.id, 6)
    store._update("submissions", sub, attempt=1, submission_type="online_upload", workflow_state="submitted",
                  submitted_at=store.now())

    def can(a, role="student"):
        body = api.get(url(a), token=tokens[role], params={"include[]": "can_submit"}).json()
        assert list(body)[-2:] == ["can_submit", "restrict_quantitative_data"]
        return body["can_submit"]

    assert (can(online), can(paper), can(locked), can(capped)) == (True, False, False, False)
    assert can(online, "teacher") is False
    body = api.get(url(online), token=tokens["student"], params={"include[]": "can_submit"}).json()
    assert body["submission"]["user_id"] == 6  # can_submit brings the submission


def test_show_includes(api, store, course):
    a = make(store)
    body = api.get(url(a), params=[("include[]", i) for i in ("assignment_visibility", "overrides", "can_edit",
                                                                 "ab_guid", "bogus")]).json()
    assert body["assignment_visibility"] == [str(i) for i in range(6, 20)]
    assert (body["overrides"], body["can_edit"], body["ab_guid"]) == ([], True, [])
    assert "bucket" not in api.get(url(a), params={"bucket": "past"}).json()


def test_html_description_links_become_absolute(api, store, course):
    a = make(store, description='<p><img src="/courses/1/files/3/preview"></p>')
    assert api.get(url(a)).json()["description"] == f'<p><img src="{api.base_url}/courses/1/files/3/preview"></p>'
