"""PUT /api/v1/courses/:id (CoursesController#update, events) and DELETE /api/v1/courses/:id (#destroy),
with the live events they record and the enrollments a conclude or a delete changes in bulk."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

ADMIN = "admin-token"


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def snapshot(store, course_id):
    """The course row and its enrollments' states, to assert that nothing changed."""
    course = astuple(store.get("courses", course_id))
    enrollments = [store.get("enrollments", i).workflow_state
                   for i in store.idx["enrollments"]["by_course"].ids(course_id)]
    return course, enrollments


def states(store, course_id):
    return sorted({store.get("enrollments", i).workflow_state for i in store.idx["enrollments"]["by_course"].ids(course_id)})


# -- fields ---------------------------------------------------------------------------------------

def test_rename_answers_the_course_without_enrollments(api, store):
    r = api.put("/api/v1/courses/1", data={"course[name]": "Mocking 1", "course[course_code]": "M1"})
    assert r.status == 200
    c = r.json()
    assert (c["name"], c["course_code"]) == ("Mocking 1", "M1") and "enrollments" not in c
    assert c["sis_course_id"] == "MOCK101-2024" and c["hide_final_grades"] is False
    assert api.get("/api/v1/courses/1").json()["name"] == "Mocking 1"
    [event] = store.live_events.all()
    assert event.name == "course_updated"
    assert event.body == {"course_id": "1", "uuid": store.get("courses", 1).uuid, "account_id": "1",
                          "account_uuid": store.get("accounts", 1).uuid, "name": "Mocking 1",
                          "created_at": event.body["created_at"], "updated_at": event.body["updated_at"],
                          "workflow_state": "available"}
    assert event.body["updated_at"].endswith("Z") and "." in event.body["updated_at"]


def test_blank_name_becomes_unnamed_and_json_bodies_work(api):
    r = api.put("/api/v1/courses/1", json={"course": {"name": "  ", "course_code": ""}})
    assert r.json()["name"] == "Unnamed Course" and r.json()["course_code"] == "MOCK101"


@pytest.mark.parametrize("value, expected", [("2", True), ("yes", True), ("abc", False), ("0", False),
                                             ("true", True), ("off", False)])
def test_apply_assignment_group_weights_is_value_to_boolean(api, store, value, expected):
    """CoursesController#update reads it with value_to_boolean: an unknown string is ``to_i != 0``."""
    store._update("courses", store.get("courses", 1), apply_assignment_group_weights=not expected)
    r = api.put("/api/v1/courses/1", data={"course[apply_assignment_group_weights]": value})
    assert r.status == 200 and r.json()["apply_assignment_group_weights"] is expected
    assert store.get("courses", 1).apply_assignment_group_weights is expected


def test_a_put_that_changes_nothing_records_nothing(api, store):
    r = api.put("/api/v1/courses/1", data={"course[name]": "Introduction to Mocking"})
    assert r.status == 200 and len(store.live_events) == 0


def test_syllabus_updated_before_course_updated(api, store):
    r = api.put("/api/v1/courses/3", data={"course[syllabus_body]": "<p>New</p>"})
    assert r.status == 200
    assert store.live_events.names() == ["syllabus_updated", "course_updated"]
    body = store.live_events.bodies("syllabus_updated")[0]
    assert body == {"course_id": "3", "syllabus_body": "<p>New</p>", "old_syllabus_body": "<p>Draft syllabus</p>"}
    assert store.live_events.bodies("course_updated")[0]["workflow_state"] == "claimed"  # the raw state
    long = "x" * 9000
    api.put("/api/v1/courses/3", data={"course[syllabus_body]": long})
    assert len(store.live_events.bodies("syllabus_updated")[-1]["syllabus_body"]) == 8192


def test_dates_are_cleared_unless_restricted(api, store):
    r = api.put("/api/v1/courses/1", data={"course[end_at]": "2026-12-01T00:00:00Z"})
    assert r.json()["end_at"] is None  # a term-dated course drops it
    r = api.put("/api/v1/courses/1", data={"course[restrict_enrollments_to_course_dates]": "true",
                                           "course[start_at]": "2026-09-01T00:00:00Z",
                                           "course[end_at]": "2026-12-01T00:00:00Z"})
    c = r.json()
    assert (c["start_at"], c["end_at"], c["restrict_enrollments_to_course_dates"]) == (
        "2026-09-01T00:00:00Z", "2026-12-01T00:00:00Z", True)
    c = api.put("/api/v1/courses/1", data={"course[restrict_enrollments_to_course_dates]": "false"}).json()
    assert c["end_at"] is None and c["start_at"] == "2026-09-01T00:00:00Z"  # published: start_at stays


def test_restrict_must_be_a_boolean(api, store):
    before = snapshot(store, 1)
    r = api.put("/api/v1/courses/1", data={"course[restrict_enrollments_to_course_dates]": "maybe",
                                           "course[name]": "Nope"})
    msg = "The argument provided is expected to be of type boolean."
    assert r.status == 400 and r.json() == {"errors": {"restrict_enrollments_to_course_dates": [
        {"attribute": "restrict_enrollments_to_course_dates", "type": msg, "message": msg}]}}
    assert snapshot(store, 1) == before and len(store.live_events) == 0


@pytest.mark.parametrize("color,expected", [("#ABC", "#ABC"), ("abcdef", "#abcdef"), ("", None), ("x", None)])
def test_course_color(api, store, color, expected):
    assert api.put("/api/v1/courses/1", data={"course[course_color]": color}).status == 200
    assert store.get("courses", 1).course_color == expected
    assert api.get("/api/v1/courses/1").json()["course_color"] is None  # shown on elementary accounts only


def test_bad_course_color(api, store):
    r = api.put("/api/v1/courses/1", data={"course[course_color]": "#12345g"})
    assert r.status == 400 and r.json()["errors"]["course_color"][0]["message"] == "Invalid hexcode provided"


@pytest.mark.parametrize("data,body", [
    ({"course[image_url]": "http://x/i.png", "course[image_id]": "1"},
     {"message": "You cannot provide both an image_url and a image_id."}),
    ({"course[image_id]": "12"}, {"message": "The image_id is not a valid course file id."}),
])
def test_image_parameters(api, store, data, body):
    before = snapshot(store, 1)
    r = api.put("/api/v1/courses/1", data=data)
    assert r.status == 400 and r.json() == body and snapshot(store, 1) == before


def test_image_url_is_kept(api):
    api.put("/api/v1/courses/1", data={"course[image_url]": "http://img/x.png"})
    assert api.get("/api/v1/courses/1?include[]=course_image").json()["image_download_url"] == "http://img/x.png"
    assert api.get("/api/v1/courses/1/settings").json()["image_url"] == "http://img/x.png"


def test_silent_drops_for_teachers(api, store):
    r = api.put("/api/v1/courses/1", data={"course[sis_course_id]": "HACK", "course[storage_quota_mb]": "9999",
                                           "course[account_id]": "2", "course[term_id]": "2"})
    assert r.status == 200
    course = store.get("courses", 1)
    assert (course.sis_course_id, course.storage_quota_mb, course.account_id, course.enrollment_term_id) == (
        "MOCK101-2024", None, 1, 1)


def test_admin_moves_renames_sis_and_term(api, store):
    r = api.put("/api/v1/courses/1", token=ADMIN, data={
        "course[sis_course_id]": "NEW", "course[account_id]": "2", "course[term_id]": "sis_term_id:2026-FA",
        "course[storage_quota_mb]": "800"})
    c = r.json()
    assert (c["sis_course_id"], c["account_id"], c["enrollment_term_id"], c["storage_quota_mb"]) == ("NEW", 2, 2, 800)
    assert api.put("/api/v1/courses/2", token=ADMIN, data={"course[sis_course_id]": "NEW"}).status == 400
    assert api.put("/api/v1/courses/1", token=ADMIN, data={"course[term_id]": "999"}).json() == NOT_FOUND


def test_grade_passback_needs_manage_grades(api, tokens, store):
    r = api.put("/api/v1/courses/1", token="designer-token", data={"course[grade_passback_setting]": "nightly_sync"})
    assert r.status == 401 and store.get("courses", 1).grade_passback_setting is None
    assert api.put("/api/v1/courses/1", data={"course[grade_passback_setting]": "disabled"}).json()[
        "grade_passback_setting"] == "disabled"


@pytest.mark.parametrize("token,status", [("teacher-token", 200), ("ta-token", 200), ("designer-token", 200),
                                          ("admin-token", 200), ("student-token", 401), ("observer-token", 401),
                                          ("outsider-token", 401)])
def test_who_may_update_fields(api, store, tokens, token, status):
    before = snapshot(store, 1)
    r = api.put("/api/v1/courses/1", token=token, data={"course[public_description]": "Updated"})
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED and snapshot(store, 1) == before and len(store.live_events) == 0
    else:
        assert store.get("courses", 1).public_description == "Updated"


def test_update_needs_a_token_and_a_course(api, store):
    assert api.put("/api/v1/courses/1", token=None, data={"course[name]": "x"}).json() == UNAUTHENTICATED
    for ref in ("999", "sis_course_id:NOPE", str(2**64)):
        assert api.put(f"/api/v1/courses/{ref}", data={"course[name]": "x"}).json() == NOT_FOUND


# -- events -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("course_id,event,state,token", [
    (3, "offer", "available", "teacher-token"), (1, "claim", "unpublished", "teacher-token"),
    (1, "conclude", "completed", "teacher-token"), (4, "offer", "available", ADMIN),
    (4, "claim", "unpublished", ADMIN),
])
def test_events(api, store, course_id, event, state, token):
    r = api.put(f"/api/v1/courses/{course_id}", token=token, data={"course[event]": event})
    assert r.status == 200 and r.json()["workflow_state"] == state
    assert store.live_events.names() == ["course_updated"]


def test_a_concluded_teacher_cannot_reopen(api, store):
    before = snapshot(store, 4)
    r = api.put("/api/v1/courses/4", data={"course[event]": "offer"})
    assert r.status == 401 and r.json() == UNAUTHORIZED and snapshot(store, 4) == before


def test_offer_at_the_top_level(api, store):
    assert api.put("/api/v1/courses/3", data={"offer": "true"}).json()["workflow_state"] == "available"


@pytest.mark.parametrize("course_id,event", [(1, "offer"), (3, "claim"), (4, "conclude")])
def test_an_event_already_done_is_a_no_op(api, store, course_id, event):
    r = api.put(f"/api/v1/courses/{course_id}", token=ADMIN, data={"course[event]": event})
    assert r.status == 200 and len(store.live_events) == 0


@pytest.mark.parametrize("course_id,event,message", [
    (1, "bogus", "There is no event bogus defined for the available state"),
    (1, "undelete", "There is no event undelete defined for the available state"),
    (3, "unconclude", "There is no event unconclude defined for the claimed state"),
])
def test_impossible_events_are_400(api, store, course_id, event, message):
    before = snapshot(store, course_id)
    r = api.put(f"/api/v1/courses/{course_id}", token=ADMIN, data={"course[event]": event})
    assert r.status == 400 and r.json() == {"errors": {"workflow_state": [
        {"attribute": "workflow_state", "type": message, "message": message}]}}
    assert snapshot(store, course_id) == before and len(store.live_events) == 0


@pytest.mark.parametrize("token,event,status", [
    ("ta-token", "offer", 401), ("ta-token", "conclude", 401), ("designer-token", "claim", 200),
    ("teacher-token", "delete", 401), ("student-token", "claim", 401), ("observer-token", "offer", 401),
    ("admin-token", "delete", 200), ("ta-token", "bogus", 400),  # unknown events skip the permission check
])
def test_event_permissions(api, store, tokens, token, event, status):
    before = snapshot(store, 1)
    r = api.put("/api/v1/courses/1", token=token, data={"course[event]": event})
    assert r.status == status
    if status != 200:
        assert snapshot(store, 1) == before and len(store.live_events) == 0
    if status == 401:
        assert r.json() == UNAUTHORIZED


def test_event_with_fields_is_one_save(api, store):
    r = api.put("/api/v1/courses/3", data={"course[event]": "offer", "course[name]": "Drafts Live"})
    assert r.json()["workflow_state"] == "available" and r.json()["name"] == "Drafts Live"
    assert store.live_events.names() == ["course_updated"]


def test_conclude_completes_active_and_invited_enrollments_in_bulk(api, store):
    store.insert("enrollments", user_id=20, course_id=2, course_section_id=3, workflow_state="invited")
    store.insert("enrollments", user_id=7, course_id=2, course_section_id=3, workflow_state="inactive")
    store.live_events.clear()
    r = api.put("/api/v1/courses/2", data={"course[event]": "conclude"})
    assert r.status == 200
    assert states(store, 2) == ["completed", "inactive"]
    assert store.get("courses", 2).end_at is not None  # conclude_at set when it was null
    assert store.live_events.names() == ["course_updated"]  # update_all: no enrollment events


def test_delete_and_undelete(api, store):
    r = api.put("/api/v1/courses/2", token=ADMIN, data={"course[event]": "delete"})
    assert r.status == 200 and r.json()["workflow_state"] == "deleted"
    assert states(store, 2) == ["deleted"]
    assert api.get("/api/v1/courses/2", token=ADMIN).status == 404
    r = api.put("/api/v1/courses/2", token=ADMIN, data={"course[event]": "undelete"})
    assert r.status == 200 and r.json()["workflow_state"] == "unpublished"
    assert store.get("courses", 2).workflow_state == "claimed" and states(store, 2) == ["deleted"]
    assert [e.body["workflow_state"] for e in store.live_events.named("course_updated")] == ["deleted", "claimed"]


# -- DELETE /api/v1/courses/:id ---------------------------------------------------------------------

def test_delete_event_in_the_body(api, store):
    r = api.delete("/api/v1/courses/2", token=ADMIN, data={"event": "delete"})
    assert r.status == 200 and r.json() == {"delete": True}
    course = store.get("courses", 2)
    assert course.workflow_state == "deleted" and course.deleted_at is not None
    assert states(store, 2) == ["deleted"]


def test_delete_keeps_the_sis_id(api, store):
    assert api.delete("/api/v1/courses/1?event=delete", token=ADMIN).json() == {"delete": True}
    assert store.get("courses", 1).sis_course_id == "MOCK101-2024"
    assert api.delete("/api/v1/courses/1?event=delete", token=ADMIN).json() == {"delete": True}  # found again


def test_conclude_by_the_teacher(api, store):
    r = api.delete("/api/v1/courses/1", data={"event": "conclude"})
    assert r.status == 200 and r.json() == {"conclude": True}
    assert store.get("courses", 1).workflow_state == "completed" and states(store, 1) == ["completed"]
    assert [e["id"] for e in api.get("/api/v1/courses", token="student-token").json()] == [2]


@pytest.mark.parametrize("query", ["", "?event=destroy", "?event=", "?event[]=delete"])
def test_event_is_checked_before_the_permission(api, store, query):
    before = snapshot(store, 1)
    r = api.delete(f"/api/v1/courses/1{query}", token="outsider-token")
    assert r.status == 400 and r.json() == {"message": 'Only "delete" and "conclude" events are allowed.'}
    assert snapshot(store, 1) == before


@pytest.mark.parametrize("token,event", [("teacher-token", "delete"), ("ta-token", "conclude"),
                                         ("student-token", "conclude"), ("observer-token", "delete"),
                                         ("outsider-token", "delete")])
def test_delete_refused(api, store, tokens, token, event):
    before = snapshot(store, 1)
    r = api.delete(f"/api/v1/courses/1?event={event}", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert snapshot(store, 1) == before and len(store.live_events) == 0


def test_conclude_a_deleted_course_fails(api, store):
    api.delete("/api/v1/courses/2?event=delete", token=ADMIN)
    r = api.delete("/api/v1/courses/2?event=conclude", token=ADMIN)
    assert r.status == 400 and r.json() == {"conclude": False}


def test_delete_unknown_course(api):
    for ref in ("999", "sis_course_id:NOPE", str(2**63)):
        assert api.delete(f"/api/v1/courses/{ref}?event=delete", token=ADMIN).json() == NOT_FOUND
    assert api.delete("/api/v1/courses/1?event=delete", token=None).json() == UNAUTHENTICATED
