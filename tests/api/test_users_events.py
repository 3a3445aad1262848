"""Live events of users: ``user_created`` and ``user_updated`` (lib/canvas/live_events.rb
``get_user_data``, lib/canvas/live_events_callbacks.rb; canvas-facts-courses-users section 9).

Each recorded body is checked against the example of Canvas's data-services documentation
(doc/api/data_services/json/canvas/event-types/user_created.json and user_updated.json, their
``examples[0].payload``, kept in tests/data/canvas_live_event_examples.json): the same keys, ids as
digit strings, times as UTC strings. The event of ``POST /accounts/:id/users`` (an Account context)
is checked whole with ``live_event_shapes.check_shape``; ``PUT /users/:id`` has no context in Canvas
(UsersController#update sets no @context), which that checker does not expect of a write.
"""

from __future__ import annotations

import re

from live_event_shapes import check_shape, seed_examples

import mockcanvas
from mockcanvas import Settings

# the bodies of the two documented examples (tests/data/canvas_live_event_examples.json)
DOC_USER_CREATED = seed_examples()["user_created"]["body"]
DOC_USER_UPDATED = seed_examples()["user_updated"]["body"]
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
NULLABLE = {"user_login", "user_sis_id"}


def check_body(body: dict, example: dict) -> None:
    assert set(body) == set(example), sorted(set(body) ^ set(example))
    assert body["user_id"].isdigit() and len(body["uuid"]) == 40
    assert TIME.fullmatch(body["created_at"]) and TIME.fullmatch(body["updated_at"])
    for key, value in body.items():
        assert value is None and key in NULLABLE or type(value) is type(example[key]), (key, value)


def events(store, name):
    return [e for e in store.live_events.all() if e.name == name]


def test_post_users_emits_user_created(api, store):
    r = api.post("/api/v1/accounts/1/users", token="admin-token",
                 data={"user[name]": "Eve Event", "pseudonym[unique_id]": "eve@example.edu",
                       "pseudonym[sis_user_id]": "S-EVE"})
    assert r.status == 200
    [event] = store.live_events.all()
    assert event.name == "user_created"
    check_body(event.body, DOC_USER_CREATED)
    check_shape(event)
    eve = store.get("users", r.json()["id"])
    assert event.body == {"user_id": str(eve.id), "uuid": eve.uuid, "name": "Eve Event", "short_name": "Eve Event",
                          "workflow_state": "pre_registered", "created_at": event.body["created_at"],
                          "updated_at": event.body["created_at"], "user_login": "eve@example.edu",
                          "user_sis_id": "S-EVE"}
    meta = event.metadata
    assert (meta["context_type"], meta["context_id"], meta["user_id"], meta["http_method"]) == \
        ("Account", "1", "1", "POST")
    assert meta["url"].endswith("/api/v1/accounts/1/users")


def test_put_user_emits_user_updated_once(api, store):
    r = api.put("/api/v1/users/self", token="student-token",
                data={"user[name]": "Sam Changed", "user[time_zone]": "America/Denver", "user[locale]": "de"})
    assert r.status == 200
    [event] = store.live_events.all()
    assert event.name == "user_updated"
    check_body(event.body, DOC_USER_UPDATED)
    assert not {"context_type", "context_id"} & set(event.metadata)
    assert (event.body["user_id"], event.body["name"], event.body["short_name"], event.body["user_login"],
            event.body["user_sis_id"], event.body["workflow_state"]) == \
        ("6", "Sam Changed", "Sam Student", "student", "S-006", "registered")
    assert event.body["updated_at"] >= event.body["created_at"]


def test_no_event_without_a_change_of_the_users_row(api, store):
    # the same values again; a refused request; e-mail (a channel) and bio (the profile) only
    assert api.put("/api/v1/users/self", token="student-token", data={"user[name]": "Sam Student"}).status == 200
    assert api.put("/api/v1/users/7", token="student-token", data={"user[name]": "X"}).status == 401
    assert api.put("/api/v1/users/6", token="admin-token", data={"user[email]": "n@example.edu"}).status == 200
    acc = store.get("accounts", 1)
    store._update("accounts", acc, settings=(("enable_profiles", True),))
    store.live_events.clear()
    assert api.put("/api/v1/users/6", token="admin-token", data={"user[bio]": "bio"}).status == 200
    assert store.live_events.all() == []
    assert store.get("users", 6).bio == "bio"


def test_settings_change_is_a_user_update(api, store):
    api.put("/api/v1/users/self/settings", token="student-token", data={"collapse_course_nav": "true"})
    assert [e.name for e in store.live_events.all()] == ["user_updated"]


def test_global_ids_in_a_sharded_world():
    store = mockcanvas.load_world(settings=Settings(shard_id=2107))
    sam = store.get("users", 6)
    store.users.update(sam, sam, {"user": {"short_name": "Sammy"}})
    [event] = events(store, "user_updated")
    assert event.body["user_id"] == "21070000000000006" and event.body["short_name"] == "Sammy"
    check_body(event.body, DOC_USER_UPDATED)
    assert set(event.metadata) == {"producer", "event_name", "event_time"}  # outside any request
