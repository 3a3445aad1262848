"""Live events of the assignments, assignment groups, assignment overrides and submissions areas
(canvas-facts-assignments 9, canvas-facts-submissions 7), each made to happen and checked against
Canvas's documented example (``live_event_shapes.check_shape``; the examples of
doc/api/data_services/json/canvas/event-types/ in tests/data/canvas_live_event_examples.json) and
for the values that matter: ids (global for assignments and submissions, local for groups and
overrides) as strings, ``submission_types`` as one comma string, ``rules`` as the raw text, float
columns as floats, long texts cut as ``LiveEvents.truncate`` cuts them.

Assignments, groups and overrides are written over HTTP (both transports of ``api``). Submissions
have no routes yet: their events are made through the store (``store._update``, the seam the
grading and submitting routes will use), once outside any request and once under the
:class:`RequestSource` a grading request would set, so that both metadata forms are checked.

Default world: teacher-token = user 2; course 1 (sections 1 and 2 "Section B", students 6-19,
student 6 has SIS id S-006; group set 1 "Project Groups" with groups 1-3).
"""

from __future__ import annotations

import re

import pytest
from assignments_support import course, make  # noqa: F401
from live_event_shapes import check_shape

from mockcanvas.events import RequestSource, using_source
from mockcanvas.timefmt import iso_utc

NAMES = frozenset({"assignment_created", "assignment_updated", "assignment_group_created",
                   "assignment_group_updated", "assignment_override_created", "assignment_override_updated",
                   "submission_created", "submission_updated", "grade_change"})
A = "/api/v1/courses/1/assignments"
G = "/api/v1/courses/1/assignment_groups"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# "abcdefghij " repeated: the last space starting within the first 8189 characters is at 8183
WORDS = "abcdefghij " * 900
WORDS_CUT = "abcdefghij " * 743 + "abcdefghij..."


def recorded(store, *names):
    """The events of this area recorded so far (of ``names`` if given), each checked against its
    documented shape."""
    out = [e for e in store.live_events.all() if e.name in (set(names) or NAMES)]
    for event in out:
        check_shape(event)
    return out


@pytest.fixture(autouse=True)
def every_event_has_its_shape(store):
    yield
    recorded(store)


def request_meta(event, method, path):
    meta = event.metadata
    assert (meta["http_method"], meta["context_type"], meta["context_id"], meta["user_id"]) == (
        method, "Course", "1", "2")
    assert meta["url"].split("?")[0].endswith(path)


# -- assignments -----------------------------------------------------------------------------------
def test_the_first_assignment_makes_its_group_then_itself(api, store, course):
    r = api.post(A, data={"assignment[name]": "Essay", "assignment[points_possible]": "10",
                          "assignment[submission_types][]": ["online_upload", "online_text_entry"],
                          "assignment[due_at]": "2030-05-01T23:59:00Z", "assignment[description]": "<p>Write</p>",
                          "assignment[published]": "true"})
    assert r.status == 201
    a = store.get("assignments", r.json()["id"])
    g = store.get("assignment_groups", a.assignment_group_id)
    group_created, created = recorded(store)
    assert (group_created.name, created.name) == ("assignment_group_created", "assignment_created")
    assert group_created.body == {
        "assignment_group_id": str(g.id), "context_id": "1", "context_type": "Course", "name": "Assignments",
        "position": 1, "group_weight": 0.0, "sis_source_id": None, "integration_data": {}, "rules": None,
        "workflow_state": "available"}
    assert created.body == {
        "anonymous_grading": False, "assignment_group_id": str(g.id), "assignment_id": str(a.id),
        "assignment_id_duplicated_from": None, "context_id": "1", "context_type": "Course",
        "context_uuid": course.uuid, "created_on_blueprint_sync": False, "description": "<p>Write</p>",
        "due_at": "2030-05-01T23:59:00Z", "lti_assignment_description": "<p>Write</p>",
        "lti_assignment_id": a.lti_context_id, "lti_resource_link_id": None,
        "lti_resource_link_id_duplicated_from": None, "lock_at": None, "points_possible": 10.0,
        "resource_map": None, "submission_types": "online_upload,online_text_entry", "title": "Essay",
        "unlock_at": None, "updated_at": iso_utc(a.updated_at), "workflow_state": "published",
        "domain": created.metadata["hostname"]}
    assert type(created.body["points_possible"]) is float and UUID4.fullmatch(created.body["lti_assignment_id"])
    assert created.metadata["hostname"] in api.base_url
    for event in (group_created, created):
        request_meta(event, "POST", A)
    assert group_created.metadata["request_id"] == created.metadata["request_id"]


def test_update_unpublish_and_delete_are_assignment_updated(api, store, course):
    a = make(store, name="Essay", points_possible="5", submission_types=["online_url"])
    url = f"{A}/{a.id}"
    assert api.put(url, data={"assignment[name]": "Essay 2", "assignment[points_possible]": "7.5",
                              "assignment[lock_at]": "2030-06-01T12:00:00Z"}).status == 200
    assert api.put(url, data={"assignment[published]": "false"}).status == 200
    assert api.delete(url).status == 200
    events = recorded(store)
    assert [e.name for e in events] == ["assignment_updated"] * 3
    first, unpublished, deleted = (e.body for e in events)
    assert (first["title"], first["points_possible"], first["lock_at"], first["workflow_state"]) == (
        "Essay 2", 7.5, "2030-06-01T12:00:00Z", "published")
    assert (first["assignment_id"], first["submission_types"]) == (str(a.id), "online_url")
    assert unpublished["workflow_state"] == "unpublished" and deleted["workflow_state"] == "deleted"
    assert deleted["updated_at"] == iso_utc(store.get("assignments", a.id).updated_at)
    request_meta(events[0], "PUT", url)
    request_meta(events[2], "DELETE", url)


def test_an_update_that_changes_nothing_records_nothing(api, store, course):
    a = make(store, name="Essay")
    assert api.put(f"{A}/{a.id}", data={"assignment[name]": "Essay"}).status == 200
    assert recorded(store) == []


def test_long_descriptions_are_cut_as_live_events_truncate_cuts(api, store, course):
    a = make(store, name="Essay")
    assert api.put(f"{A}/{a.id}", data={"assignment[description]": WORDS}).status == 200
    assert api.put(f"{A}/{a.id}", data={"assignment[description]": "x" * 9000}).status == 200
    at_a_space, no_space = (e.body for e in recorded(store))
    assert store.get("assignments", a.id).description == "x" * 9000  # only the event is cut
    assert at_a_space["description"] == at_a_space["lti_assignment_description"] == WORDS_CUT
    assert len(WORDS_CUT) == 8186
    assert no_space["description"] == "x" * 8189 + "..."


# -- assignment groups -----------------------------------------------------------------------------
def test_group_create_update_delete(api, store, course):
    r = api.post(G, data={"name": "Quizzes", "position": "2", "group_weight": "25", "sis_source_id": "Q-1",
                          "rules[never_drop][]": ["123", "45"]})
    assert r.status == 200
    g = store.get("assignment_groups", r.json()["id"])
    url = f"{G}/{g.id}"
    assert api.put(url, data={"name": "Tests", "group_weight": "0", "integration_data[tool]": "x"}).status == 200
    assert api.delete(url).status == 200
    created, updated, deleted = recorded(store)
    assert [e.name for e in (created, updated, deleted)] == [
        "assignment_group_created", "assignment_group_updated", "assignment_group_updated"]
    assert created.body == {
        "assignment_group_id": str(g.id), "context_id": "1", "context_type": "Course", "name": "Quizzes",
        "position": 2, "group_weight": 25.0, "sis_source_id": "Q-1", "integration_data": {},
        "rules": "never_drop:123\nnever_drop:45\n", "workflow_state": "available"}
    assert (updated.body["name"], updated.body["group_weight"], updated.body["integration_data"]) == (
        "Tests", 0.0, {"tool": "x"})
    assert type(updated.body["group_weight"]) is float
    assert deleted.body["workflow_state"] == "deleted" and deleted.body["rules"] == created.body["rules"]
    request_meta(created, "POST", G)
    request_meta(updated, "PUT", url)
    request_meta(deleted, "DELETE", url)


def test_rules_are_the_raw_text_and_drop_rules_come_first(api, store, course):
    g = store.get("assignment_groups", api.post(G, data={"name": "Labs"}).json()["id"])
    for title in ("Lab 1", "Lab 2"):
        make(store, name=title, assignment_group_id=str(g.id))
    store.live_events.clear()
    r = api.put(f"{G}/{g.id}", data={"rules[never_drop][]": ["9"], "rules[drop_lowest]": "1",
                                     "rules[drop_highest]": "1"})
    assert r.status == 200
    (event,) = recorded(store)
    assert event.body["rules"] == "drop_lowest:1\ndrop_highest:1\nnever_drop:9\n"


def test_deleting_a_group_updates_its_assignments_first(api, store, course):
    g = store.get("assignment_groups", api.post(G, data={"name": "Labs"}).json()["id"])
    a = make(store, name="Lab 1", assignment_group_id=str(g.id))
    store.live_events.clear()
    assert api.delete(f"{G}/{g.id}").status == 200
    events = recorded(store)
    assert [(e.name, e.body["workflow_state"]) for e in events] == [
        ("assignment_updated", "deleted"), ("assignment_group_updated", "deleted")]
    assert events[0].body["assignment_id"] == str(a.id) and events[0].body["assignment_group_id"] == str(g.id)
    assert events[0].metadata["request_id"] == events[1].metadata["request_id"]


# -- assignment overrides --------------------------------------------------------------------------
def test_section_override_create_update_delete(api, store, course):
    a = make(store, name="Essay")
    base = f"{A}/{a.id}/overrides"
    r = api.post(base, data={"assignment_override[course_section_id]": "2",
                             "assignment_override[due_at]": "2030-05-03T18:00:00Z",
                             "assignment_override[unlock_at]": "2030-04-28T00:00:00Z"})
    assert r.status == 201
    oid = r.json()["id"]
    url = f"{base}/{oid}"
    assert api.put(url, data={"assignment_override[lock_at]": "2030-06-01T12:00:00Z"}).status == 200
    assert api.delete(url).status == 200
    created, updated, deleted = recorded(store)
    assert [e.name for e in (created, updated, deleted)] == [
        "assignment_override_created", "assignment_override_updated", "assignment_override_updated"]
    assert created.body == {
        "assignment_override_id": str(oid), "assignment_id": str(a.id), "due_at": "2030-05-03T18:00:00Z",
        "all_day": False, "all_day_date": "2030-05-03", "unlock_at": "2030-04-28T00:00:00Z", "lock_at": None,
        "type": "CourseSection", "workflow_state": "active", "course_section_id": "2"}
    # an update un-overrides every date it does not send
    assert (updated.body["due_at"], updated.body["unlock_at"], updated.body["lock_at"]) == (
        None, None, "2030-06-01T12:00:00Z")
    assert deleted.body["workflow_state"] == "deleted" and deleted.body["course_section_id"] == "2"
    request_meta(created, "POST", base)
    request_meta(deleted, "DELETE", url)


def test_adhoc_and_group_overrides_carry_their_own_set_key(api, store, course):
    a = make(store, name="Essay")
    b = make(store, name="Project", group_category_id="1")
    r = api.post(f"{A}/{a.id}/overrides", data={"assignment_override[student_ids][]": ["6", "7"],
                                                "assignment_override[due_at]": "2030-05-03T23:59:59Z"})
    assert r.status == 201
    r = api.post(f"{A}/{b.id}/overrides", data={"assignment_override[group_id]": "2",
                                                "assignment_override[lock_at]": "2030-06-01T12:00:00Z"})
    assert r.status == 201
    adhoc, group_override = recorded(store)
    assert adhoc.body["type"] == "ADHOC" and "course_section_id" not in adhoc.body and "group_id" not in adhoc.body
    # 23:59:59 in the teacher's zone is an all-day date: the date column, not a timestamp
    assert (adhoc.body["assignment_id"], adhoc.body["all_day"], adhoc.body["all_day_date"]) == (
        str(a.id), True, "2030-05-03")
    assert (group_override.body["type"], group_override.body["group_id"]) == ("Group", "2")
    assert "course_section_id" not in group_override.body


def test_overrides_set_through_the_assignment_are_events_of_that_request(api, store, course):
    """The documented example's own route: PUT .../assignments/:id with assignment_overrides."""
    a = make(store, name="Essay")
    r = api.put(f"{A}/{a.id}", json={"assignment": {"assignment_overrides": [
        {"course_section_id": 1, "due_at": "2030-05-10T12:00:00Z"}]}})
    assert r.status == 200
    names = [e.name for e in recorded(store)]
    assert "assignment_override_created" in names
    (created,) = recorded(store, "assignment_override_created")
    assert (created.body["course_section_id"], created.body["due_at"]) == ("1", "2030-05-10T12:00:00Z")
    request_meta(created, "PUT", f"{A}/{a.id}")


# -- submissions (through the store: no submission routes yet) --------------------------------------
@pytest.fixture
def essay(store, course):
    a = make(store, name="Essay", points_possible="10", submission_types=["online_text_entry"],
             due_at="2030-05-01T23:59:00Z")
    assert recorded(store) == []  # the placeholder rows record nothing
    return a


def submit(store, row, when, attempt=1, body="<p>mine</p>"):
    store._update("submissions", row, submission_type="online_text_entry", body=body, submitted_at=when,
                  attempt=attempt, workflow_state="submitted", updated_at=when)


def test_submit_grade_regrade(store, essay):
    row = store.submissions.for_user(essay.id, 6)
    when = store.now().replace(microsecond=0)
    submit(store, row, when)
    (created,) = recorded(store)
    assert created.name == "submission_created"
    assert created.body == {
        "submission_id": str(row.id), "assignment_id": str(essay.id), "user_id": "6",
        "submitted_at": iso_utc(when), "lti_user_id": None, "graded_at": None, "updated_at": iso_utc(when),
        "score": None, "grade": None, "submission_type": "online_text_entry", "body": "<p>mine</p>", "url": None,
        "attempt": 1, "late": False, "missing": False, "lti_assignment_id": essay.lti_context_id,
        "group_id": None, "posted_at": None, "workflow_state": "submitted"}
    store.live_events.clear()
    store._update("submissions", row, score=8.0, grade="8", workflow_state="graded", grader_id=2,
                  graded_at=when, posted_at=when)
    store._update("submissions", row, score=9.5, grade="9.5", group_id=2)
    updated, change, regraded, change2 = recorded(store)
    assert [e.name for e in (updated, change, regraded, change2)] == [
        "submission_updated", "grade_change", "submission_updated", "grade_change"]
    assert (updated.body["score"], updated.body["grade"], updated.body["graded_at"], updated.body["posted_at"]) == (
        8.0, "8", iso_utc(when), iso_utc(when))
    assert change.body == {
        "submission_id": str(row.id), "assignment_id": str(essay.id), "assignment_name": "Essay", "grade": "8",
        "old_grade": None, "score": 8.0, "old_score": None, "points_possible": 10.0, "old_points_possible": 10.0,
        "grader_id": "2", "student_id": "6", "student_sis_id": "S-006", "user_id": "6",
        "grading_complete": True, "muted": False}
    assert regraded.body["group_id"] == "2"
    assert (change2.body["old_grade"], change2.body["old_score"], change2.body["score"]) == ("8", 8.0, 9.5)
    for event in (created, updated, change, regraded, change2):
        assert set(event.metadata) == {"producer", "event_name", "event_time"}  # no request


def test_grading_under_a_request_has_the_course_context(store, essay):
    """The metadata a grading route's events will carry (the request's source, as the app's
    middleware sets it): the course's context, the grader as the user."""
    row = store.submissions.for_user(essay.id, 7)
    source = RequestSource(http_method="PUT", url=f"http://mock.test{A}/{essay.id}/submissions/7",
                           hostname="mock.test", request_id="req-1", user_agent="pytest", client_ip="127.0.0.1",
                           session_id="s" * 32, user_id=2, context=("courses", "1"))
    with using_source(source):
        store._update("submissions", row, score=4.0, grade="4", workflow_state="graded", grader_id=2,
                      graded_at=store.now())
    updated, change = recorded(store)
    assert (updated.name, change.name) == ("submission_updated", "grade_change")
    for event in (updated, change):
        request_meta(event, "PUT", f"{A}/{essay.id}/submissions/7")
    assert change.body["muted"] is True  # not posted
    assert change.body["student_id"] == "7" and change.body["grader_id"] == "2"


def test_long_submission_bodies_are_cut_as_live_events_truncate_cuts(store, essay):
    row = store.submissions.for_user(essay.id, 8)
    submit(store, row, store.now(), body=WORDS)
    (created,) = recorded(store)
    assert created.body["body"] == WORDS_CUT
    assert store.submissions.for_user(essay.id, 8).body == WORDS
