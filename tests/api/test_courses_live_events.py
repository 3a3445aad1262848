"""Live events of the Courses API: course_created, course_updated (raw workflow states; publish,
conclude, delete and undelete are updates), syllabus_updated before course_updated; every event
checked against Canvas's documented example (``live_event_shapes.check_shape``)."""

from __future__ import annotations

import pytest
from live_event_shapes import check_shape

ADMIN = "admin-token"
COURSE_EVENTS = ("course_created", "course_updated", "syllabus_updated")


def course_events(store):
    return [e for e in store.live_events.all() if e.name in COURSE_EVENTS]


@pytest.fixture(autouse=True)
def shapes(store):
    yield
    for event in course_events(store):
        check_shape(event)


def test_create_with_enroll_me_and_offer(api, store):
    r = api.post("/api/v1/accounts/2/courses", token=ADMIN,
                 data={"course[name]": "Optics", "enroll_me": "true", "offer": "true"})
    cid = r.json()["id"]
    events = course_events(store)
    assert [(e.name, e.body["workflow_state"]) for e in events] == [
        ("course_created", "created"), ("course_updated", "claimed"), ("course_updated", "available")]
    created = events[0]
    course = store.get("courses", cid)
    assert created.body == {"course_id": str(cid), "uuid": course.uuid, "account_id": "2",
                            "account_uuid": store.get("accounts", 2).uuid, "name": "Optics",
                            "created_at": created.body["created_at"], "updated_at": created.body["updated_at"],
                            "workflow_state": "created"}
    meta = created.metadata
    assert (meta["context_type"], meta["context_id"], meta["http_method"]) == ("Account", "2", "POST")
    assert meta["url"].endswith("/api/v1/accounts/2/courses") and meta["user_id"] == "1"


def test_update_metadata_has_the_course_context(api, store):
    api.put("/api/v1/courses/1", data={"course[name]": "Renamed"})
    [event] = course_events(store)
    meta = event.metadata
    assert (meta["context_type"], meta["context_id"], meta["context_role"]) == ("Course", "1", "TeacherEnrollment")
    assert meta["context_sis_source_id"] == "MOCK101-2024"


@pytest.mark.parametrize("method,path,data,states", [
    ("PUT", "/api/v1/courses/3", {"course[event]": "offer"}, ["available"]),
    ("PUT", "/api/v1/courses/1", {"course[event]": "claim"}, ["claimed"]),
    ("DELETE", "/api/v1/courses/1", {"event": "conclude"}, ["completed"]),
    ("DELETE", "/api/v1/courses/1", {"event": "delete"}, ["deleted"]),
])
def test_workflow_changes_are_course_updated(api, store, method, path, data, states):
    r = api.request(method, path, token=ADMIN, data=data)
    assert r.status == 200
    assert [(e.name, e.body["workflow_state"]) for e in course_events(store)] == [
        ("course_updated", s) for s in states]


def test_bulk_enrollment_changes_record_no_enrollment_events(api, store):
    api.delete("/api/v1/courses/1?event=delete", token=ADMIN)
    assert store.live_events.names() == ["course_updated"]


def test_syllabus_change_alone(api, store):
    api.put("/api/v1/courses/1", data={"course[syllabus_body]": "<h1>Syllabus</h1>"})
    [syllabus, updated] = course_events(store)
    assert syllabus.name == "syllabus_updated" and updated.name == "course_updated"
    assert syllabus.body == {"course_id": "1", "syllabus_body": "<h1>Syllabus</h1>", "old_syllabus_body": None}
    assert syllabus.metadata["request_id"] == updated.metadata["request_id"]


def test_settings_update_is_a_course_update(api, store):
    api.put("/api/v1/courses/1/settings", data={"hide_final_grades": "true"})
    assert [e.name for e in course_events(store)] == ["course_updated"]


@pytest.mark.parametrize("method,path,token,data", [
    ("PUT", "/api/v1/courses/1", "student-token", {"course[name]": "x"}),
    ("PUT", "/api/v1/courses/1", "teacher-token", {"course[course_color]": "nothex"}),
    ("PUT", "/api/v1/courses/1", "teacher-token", {"course[event]": "delete"}),
    ("DELETE", "/api/v1/courses/1", "teacher-token", {"event": "delete"}),
    ("DELETE", "/api/v1/courses/1", ADMIN, {"event": "nope"}),
    ("POST", "/api/v1/accounts/1/courses", "teacher-token", {"course[name]": "x"}),
    ("POST", "/api/v1/accounts/1/courses", ADMIN, {"course[default_view]": "bogus"}),
    ("PUT", "/api/v1/courses/1/settings", "student-token", {"hide_final_grades": "true"}),
])
def test_failed_requests_record_nothing(api, store, method, path, token, data):
    r = api.request(method, path, token=token, data=data)
    assert r.status in (400, 401)
    assert len(store.live_events) == 0


def test_store_calls_record_events_without_request_metadata(store):
    course = store.courses.create(store.get("users", 1), store.get("accounts", 1), {"course": {"name": "Py"}})[0]
    store.courses.process_event(course, "offer")
    events = course_events(store)
    assert [e.name for e in events] == ["course_created", "course_updated"]
    assert set(events[0].metadata) == {"producer", "event_name", "event_time"}
