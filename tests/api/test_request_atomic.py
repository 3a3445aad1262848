"""A request that fails changes nothing and records no live event, whatever raises (issue 13, item 1).

Each non-GET API request runs inside ``Store.atomic()`` (app.canvas_middleware): a bug after the
writes (here a view made to raise), a CanvasError raised late, or unencodable input is answered
without a trace in the store, the live events or the next reads. Both transports (``api``)."""

from __future__ import annotations

import pytest

import mockcanvas.api.groups as groups_api
import mockcanvas.api.memberships as memberships_api

BAD_REQUEST = {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}
JSON = {"Content-Type": "application/json"}


def _boom(*args, **kwargs):
    raise RuntimeError("the view failed after the writes")


def _snapshot(store):
    with store.lock:
        return ({t: {i: repr(r) for i, r in rows.items()} for t, rows in store.rows.items()},
                dict(store._next_ids), store.changed_rows, store.live_events.position)


def _expect_500(api, resp):
    assert resp.status == 500, resp.text
    assert resp.json() == {"errors": [{"message": "An error occurred.", "error_code": "internal_server_error"}]}
    assert [p["kind"] for p in api.problems] == ["exception"]
    api.problems.clear()  # the 500 is this test's point


def test_a_bug_after_an_update_undoes_it(api, store, monkeypatch):
    before = _snapshot(store)
    monkeypatch.setattr(groups_api, "group_json", _boom)
    _expect_500(api, api.put("/api/v1/groups/1", data={"name": "Renamed", "max_membership": "7"}))
    assert _snapshot(store) == before
    assert store.live_events.all() == []
    monkeypatch.undo()
    body = api.get("/api/v1/groups/1").json()
    assert (body["name"], body["max_membership"]) == ("Project Group 1", None)


def test_a_bug_after_a_create_undoes_it_and_gives_the_id_back(api, store, monkeypatch):
    before = _snapshot(store)
    monkeypatch.setattr(memberships_api, "membership_json", _boom)
    _expect_500(api, api.post("/api/v1/groups/3/memberships", data={"user_id": "15"}))
    assert _snapshot(store) == before
    assert store.memberships.of_pair(3, 15) is None
    monkeypatch.undo()
    made = api.post("/api/v1/groups/3/memberships", data={"user_id": "15"})
    assert made.status == 200, made.text
    assert made.json()["id"] == before[1]["memberships"]  # the id the failed request had taken
    assert [e.name for e in store.live_events.all()] == ["group_membership_created"]


def test_a_bug_after_several_writes_with_events_records_none(api, store, monkeypatch):
    """A group create writes the group (and its events would follow); all of it goes."""
    before = _snapshot(store)
    monkeypatch.setattr(groups_api, "group_json", _boom)
    _expect_500(api, api.post("/api/v1/group_categories/1/groups", data={"name": "Doomed", "members[]": ["15"]}))
    assert _snapshot(store) == before
    assert not any(g.name == "Doomed" for g in store.all("groups"))


def test_a_successful_request_publishes_its_events_once(api, store):
    r = api.put("/api/v1/groups/1", data={"name": "Renamed"})
    assert r.status == 200, r.text
    assert [e.name for e in store.live_events.all()] == ["group_updated"]
    assert store.live_events.all()[0].metadata["http_method"] == "PUT"


@pytest.mark.parametrize("body", [b'{"name": "\\ud800x"}', b'{"name": "x\\udfff"}', b'{"name": "\xed\xa0\x80"}',
                                  b'{"description": {"deep": ["\\udc80"]}}'],
                         ids=["high", "low", "raw-bytes", "nested"])
def test_a_lone_surrogate_is_refused_and_every_read_still_works(api, store, body):
    """The issue's reproduction: the write answered 500 after storing, then every read of the
    group (and the live-event log) answered 500 until a reset."""
    before = _snapshot(store)
    r = api.put("/api/v1/groups/1", data=body, headers=JSON)
    assert (r.status, r.json()) == (400, BAD_REQUEST)
    assert _snapshot(store) == before
    for path in ("/api/v1/groups/1", "/api/v1/courses/1/groups"):
        assert api.get(path).status == 200
    assert api.get("/__mockcanvas__/live_events", token=None).json()["count"] == 0


def test_an_outsider_cannot_break_an_account_group_list(api, store):
    before = _snapshot(store)
    r = api.post("/api/v1/groups", token="outsider-token", data=b'{"name": "\\ud800"}', headers=JSON)
    assert (r.status, r.json()) == (400, BAD_REQUEST)
    assert _snapshot(store) == before
    assert api.get("/api/v1/users/self/groups", token="outsider-token").status == 200


@pytest.mark.parametrize("form", [b"name=%ED%A0%80x", b"name=%FFx", b"name=\xff\xfex", b"name=ok&x%C3=1"],
                         ids=["escaped-surrogate", "escaped-invalid", "raw-invalid", "invalid-key"])
def test_invalid_utf8_in_a_form_body_is_a_bad_request(api, store, form):
    before = _snapshot(store)
    r = api.put("/api/v1/groups/1", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (r.status, r.json()) == (400, BAD_REQUEST)
    assert _snapshot(store) == before


def test_a_real_replacement_character_is_text(api, store):
    r = api.put("/api/v1/groups/1", data=b"name=%EF%BF%BDok",
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200 and r.json()["name"] == "\ufffdok"


@pytest.mark.parametrize("query", ["search_term=%FFab", "search_term=%ED%A0%80ab", "include%5B%5D=%C3"])
def test_invalid_utf8_in_the_query_is_a_bad_request(api, query):
    r = api.get(f"/api/v1/courses/1/groups?{query}")
    assert (r.status, r.json()) == (400, BAD_REQUEST)


@pytest.mark.parametrize("value", [["a", "b"], {"x": "y"}], ids=["array", "hash"])
def test_a_non_scalar_where_a_scalar_is_documented_is_dropped(api, store, value):
    """Strong parameters drop it: the name stays (update) or is the random default (create)."""
    r = api.put("/api/v1/groups/1", json={"name": value, "description": value, "max_membership": "5"})
    assert r.status == 200, r.text
    group = store.get("groups", 1)
    assert (group.name, group.description, group.max_membership) == ("Project Group 1", None, 5)
    made = api.post("/api/v1/group_categories/1/groups", json={"name": value})
    assert made.status == 200, made.text
    assert "[" not in made.json()["name"] and "{" not in made.json()["name"]
    assert len(made.json()["name"]) == 40  # Canvas's random name for a group made without one


@pytest.mark.parametrize("path", ["/api/v1/groups/%ED%A0%80", "/api/v1/groups/sis_group_id:%FF",
                                  "/api/v1/courses/%C3/groups"])
def test_invalid_utf8_in_the_path_is_a_bad_request(api, path):
    r = api.get(path)
    assert (r.status, r.json()) == (400, BAD_REQUEST)


def test_a_percent_sign_sent_as_percent_25_is_text(api, store):
    store.insert("group_categories", name="Pct", context_type="Course", context_id=1, root_account_id=1,
                 sis_group_category_id="100%ABC")
    r = api.get("/api/v1/group_categories/sis_group_category_id:100%25ABC")
    assert r.status == 200 and r.json()["name"] == "Pct"
