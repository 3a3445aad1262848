"""Live events of the Enrollments API (canvas-facts-enrollments-sections section 6): enrollment_created
+ enrollment_state_created on a new enrollment, enrollment_updated (+ enrollment_state_updated when
the date-based state changes) on every saved change; global ids as strings; every event checked
against Canvas's documented example (``live_event_shapes.check_shape``)."""

from __future__ import annotations

import pytest
from live_event_shapes import check_shape

from mockcanvas.settings import Settings

E = "/api/v1/courses/1/enrollments"
NAMES = ("enrollment_created", "enrollment_updated", "enrollment_state_created", "enrollment_state_updated")


def events(store):
    return [e for e in store.live_events.all() if e.name in NAMES]


@pytest.fixture(autouse=True)
def shapes(store):
    yield
    for event in events(store):
        check_shape(event)


def test_create_fires_created_and_state_created(api, store):
    r = api.post(E, data={"enrollment[user_id]": "20", "enrollment[type]": "TaEnrollment"})
    eid = r.json()["id"]
    e = store.get("enrollments", eid)
    created, state = events(store)
    assert (created.name, state.name) == ("enrollment_created", "enrollment_state_created")
    stamp = e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert created.body == {
        "enrollment_id": str(eid), "course_id": "1", "course_uuid": store.get("courses", 1).uuid, "user_id": "20",
        "user_uuid": store.get("users", 20).uuid, "user_name": "Ulysses Outsider", "type": "TaEnrollment",
        "created_at": stamp, "updated_at": stamp, "limit_privileges_to_course_section": False,
        "course_section_id": "1", "workflow_state": "invited"}
    assert state.body["enrollment_id"] == str(eid) and state.body["state"] == "invited"
    assert (state.body["state_is_current"], state.body["restricted_access"], state.body["access_is_current"]) == \
        (True, False, True)
    meta = created.metadata
    assert (meta["context_type"], meta["context_id"], meta["http_method"], meta["user_id"]) == \
        ("Course", "1", "POST", "2")


def test_section_route_events_have_the_course_context(api, store):
    r = api.post("/api/v1/sections/2/enrollments", data={"enrollment[user_id]": "20"})
    assert r.status == 200
    created, state = events(store)
    assert (created.body["course_section_id"], created.body["course_id"]) == ("2", "1")
    assert (created.metadata["context_type"], created.metadata["context_id"]) == ("Course", "1")
    assert state.metadata["url"].endswith("/api/v1/sections/2/enrollments")


def test_observer_events_carry_the_observed_user(api, store):
    r = api.post(E, data={"enrollment[user_id]": "20", "enrollment[type]": "ObserverEnrollment",
                          "enrollment[associated_user_id]": "6"})
    assert r.status == 200 and r.json()["associated_user_id"] == 6
    created = events(store)[0]
    assert created.body["associated_user_id"] == "6" and created.body["workflow_state"] == "active"


@pytest.mark.parametrize("call,state", [
    (lambda api: api.delete(f"{E}/6"), "completed"),
    (lambda api: api.delete(f"{E}/6", params={"task": "delete"}), "deleted"),
    (lambda api: api.delete(f"{E}/6", params={"task": "inactivate"}), "inactive"),
])
def test_each_task_is_an_update_with_a_state_update(api, store, call, state):
    assert call(api).status == 200
    assert [(e.name, e.body.get("workflow_state", e.body.get("state"))) for e in events(store)] == [
        ("enrollment_updated", state), ("enrollment_state_updated", state)]


def test_reactivate_accept_reject(api, store):
    api.delete(f"{E}/6", params={"task": "inactivate"})
    store.live_events.clear()
    api.put(f"{E}/6/reactivate")
    assert [e.name for e in events(store)] == ["enrollment_updated", "enrollment_state_updated"]
    store._update("enrollments", store.get("enrollments", 5), workflow_state="rejected")
    store.live_events.clear()
    assert api.post(f"{E}/5/accept", token="student-token").json() == {"success": True}
    # accepting a rejected invitation: two saves (-> invited, -> active)
    assert [(e.name, e.body.get("workflow_state", e.body.get("state"))) for e in events(store)] == [
        ("enrollment_updated", "invited"), ("enrollment_state_updated", "invited"),
        ("enrollment_updated", "active"), ("enrollment_state_updated", "active")]


def test_reuse_without_change_fires_nothing_and_with_one_an_update(api, store):
    api.post(E, data={"enrollment[user_id]": "20", "enrollment[enrollment_state]": "active"})
    store.live_events.clear()
    api.post(E, data={"enrollment[user_id]": "20", "enrollment[enrollment_state]": "active"})
    assert events(store) == []
    api.post(E, data={"enrollment[user_id]": "20", "enrollment[limit_privileges_to_course_section]": "true"})
    assert [e.name for e in events(store)] == ["enrollment_updated"]
    assert events(store)[0].body["limit_privileges_to_course_section"] is True


def test_refusals_fire_nothing(api, store):
    api.delete(f"{E}/1", params={"task": "delete"})
    api.put(f"{E}/6/reactivate")
    api.post(E, data={"enrollment[user_id]": "999"})
    api.post(E, token="student-token", data={"enrollment[user_id]": "20"})
    assert store.live_events.all() == []


def test_course_conclude_changes_enrollments_without_events(api, store):
    r = api.delete("/api/v1/courses/1", token="admin-token", data={"event": "conclude"})
    assert r.status == 200
    assert events(store) == []
    assert store.get("enrollments", 5).workflow_state == "completed"


def test_global_ids_with_a_shard():
    import mockcanvas

    sharded = mockcanvas.load_world(settings=Settings(shard_id=2107))
    sharded.enrollments.conclude(sharded.get("enrollments", 6))
    updated, state = sharded.live_events.all()
    g = 2107 * 10**13
    assert (updated.body["enrollment_id"], updated.body["user_id"], updated.body["course_id"],
            updated.body["course_section_id"]) == (str(g + 6), str(g + 7), str(g + 1), str(g + 2))
    assert state.body["enrollment_id"] == str(g + 6) and state.body["state"] == "completed"
    check_shape(updated)
    check_shape(state)
