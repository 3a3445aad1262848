"""What overrides change in the Assignments API, over HTTP (canvas-facts-assignments 4.3, 4.4, 5.4,
5.5, 7): the dates each user sees in the assignment JSON, differentiated assignments (who may see
an ``only_visible_to_overrides`` assignment), ``all_dates``, ``include[]=overrides`` and
``assignment_visibility``, ``assignment[assignment_overrides][]`` (the set replaced) and a new
group category dropping the group overrides.
"""

from __future__ import annotations

import pytest
from canvas_bodies import UNAUTHORIZED, ids

BASE_DUE = "2030-05-10T12:00:00Z"


@pytest.fixture(autouse=True)
def tokens(api, store):  # after api: the server fixture rolls the store back first
    store.add_token("observer-token", 5)


def create(api, **fields):
    body = {"name": "Essay", "published": True, "due_at": BASE_DUE, **fields}
    r = api.post("/api/v1/courses/1/assignments", json={"assignment": body})
    assert r.status == 201, r.text
    return r.json()


def path(a, rest=""):
    return f"/api/v1/courses/1/assignments/{a['id']}{rest}"


def add_override(api, a, **fields):
    r = api.post(path(a, "/overrides"), json={"assignment_override": fields})
    assert r.status == 201, r.text
    return r.json()


def due(api, a, token, **params):
    r = api.get(path(a), token=token, params=params)
    assert r.status == 200, r.text
    return r.json()["due_at"]


def test_each_user_sees_their_own_due_date(api, store):
    a = create(api)
    add_override(api, a, course_section_id=1, due_at="2030-05-03T12:00:00Z")
    assert due(api, a, "student-token") == "2030-05-03T12:00:00Z"  # Section A
    assert due(api, a, "student2-token") == BASE_DUE  # Section B
    assert due(api, a, "teacher-token") == BASE_DUE  # the most lenient
    assert due(api, a, "student-token", override_assignment_dates="false") == BASE_DUE
    add_override(api, a, student_ids=[7], due_at="2030-05-20T12:00:00Z")
    assert due(api, a, "student2-token") == "2030-05-20T12:00:00Z"
    assert due(api, a, "teacher-token") == "2030-05-20T12:00:00Z"
    listed = api.get("/api/v1/courses/1/assignments", token="student2-token").json()
    assert [x["due_at"] for x in listed if x["id"] == a["id"]] == ["2030-05-20T12:00:00Z"]


def test_latest_wins_and_null_wins(api, store):
    a = create(api, group_category_id=1)
    add_override(api, a, course_section_id=1, due_at="2030-05-03T12:00:00Z")
    add_override(api, a, group_id=1, due_at="2030-05-07T12:00:00Z")
    assert due(api, a, "student-token") == "2030-05-07T12:00:00Z"  # section and group: the later
    o = add_override(api, a, student_ids=[6], due_at="")
    assert due(api, a, "student-token") is None  # no due date wins
    api.delete(path(a, f"/overrides/{o['id']}"))
    assert due(api, a, "student-token") == "2030-05-07T12:00:00Z"


def test_fields_not_overridden_keep_the_base(api, store):
    a = create(api, unlock_at="2030-05-01T12:00:00Z", lock_at="2030-05-20T12:00:00Z")
    o = add_override(api, a, course_section_id=1, lock_at="2030-05-25T12:00:00Z")
    got = api.get(path(a), token="student-token").json()
    assert (got["due_at"], got["unlock_at"], got["lock_at"]) == (BASE_DUE, "2030-05-01T12:00:00Z",
                                                                 "2030-05-25T12:00:00Z")
    api.put(path(a, f"/overrides/{o['id']}"), json={"assignment_override": {}})  # un-overridden
    assert api.get(path(a), token="student-token").json()["lock_at"] == "2030-05-20T12:00:00Z"


def test_observers_see_their_observees_dates(api, store):
    a = create(api)
    add_override(api, a, student_ids=[7], due_at="2030-05-20T12:00:00Z")
    store.insert("enrollments", user_id=5, course_id=1, course_section_id=2, type="ObserverEnrollment",
                 associated_user_id=7)
    assert due(api, a, "observer-token") == "2030-05-20T12:00:00Z"


def test_only_visible_to_overrides(api, store):
    a = create(api, only_visible_to_overrides=True)
    assert api.get(path(a), token="student2-token").json() == UNAUTHORIZED
    assert a["id"] not in ids(api.get("/api/v1/courses/1/assignments", token="student2-token"))
    assert api.get(path(a), token="teacher-token").status == 200
    o = add_override(api, a, course_section_id=2)
    assert api.get(path(a), token="student2-token").status == 200
    assert a["id"] in ids(api.get("/api/v1/courses/1/assignments", token="student2-token"))
    assert api.get(path(a), token="student-token").status == 401  # Section A
    visibility = api.get(path(a), params={"include[]": "assignment_visibility"}).json()["assignment_visibility"]
    assert visibility == [str(i) for i in (7, 9, 11, 13, 15, 17, 19)]
    api.delete(path(a, f"/overrides/{o['id']}"))
    assert api.get(path(a), token="student2-token").status == 401


def test_all_dates_and_overrides_includes(api, store):
    a = create(api)
    sec = add_override(api, a, course_section_id=2, due_at="2030-05-03T12:00:00Z")
    adhoc = add_override(api, a, student_ids=[6], title="Ext", unlock_at="2030-05-01T00:00:00Z")
    got = api.get(path(a), params=[("all_dates", "true"), ("include[]", "overrides")]).json()
    assert got["all_dates"] == [
        {"id": sec["id"], "due_at": "2030-05-03T12:00:00Z", "unlock_at": None, "lock_at": None,
         "title": "Section B", "set_type": "CourseSection", "set_id": 2},
        {"due_at": BASE_DUE, "unlock_at": None, "lock_at": None, "base": True},
        {"id": adhoc["id"], "due_at": None, "unlock_at": "2030-05-01T00:00:00Z", "lock_at": None, "title": "Ext",
         "set_type": "ADHOC", "set_id": None}]
    assert got["overrides"] == [sec, adhoc]
    assert got["has_overrides"] is True
    mine = api.get(path(a), token="student-token", params={"all_dates": "true"}).json()["all_dates"]
    assert [e.get("id") for e in mine] == [adhoc["id"]]


def test_assignment_overrides_param_replaces_the_set(api, store):
    a = create(api, assignment_overrides=[{"course_section_id": 1, "due_at": "2030-05-03T12:00:00Z"},
                                          {"student_ids": [7], "due_at": "2030-05-20T12:00:00Z"}])
    first, second = api.get(path(a, "/overrides")).json()
    assert (first["course_section_id"], second["student_ids"]) == (1, [7])
    store.live_events.clear()
    r = api.put(path(a), json={"assignment": {"assignment_overrides": [
        {"id": first["id"], "course_section_id": 1, "due_at": "2030-05-04T12:00:00Z"},
        {"course_section_id": 2}]}})
    assert r.status == 200, r.text
    now = api.get(path(a, "/overrides")).json()
    assert [(o["id"] == first["id"], o.get("course_section_id"), o.get("due_at")) for o in now] == [
        (True, 1, "2030-05-04T12:00:00Z"), (False, 2, None)]
    assert "due_at" not in now[1]
    assert store.get("assignment_overrides", second["id"]).workflow_state == "deleted"
    names = sorted(e.name for e in store.live_events.all() if e.name.startswith("assignment_override"))
    assert names == ["assignment_override_created", "assignment_override_updated", "assignment_override_updated"]
    assert due(api, a, "student2-token") == BASE_DUE  # Section B's override overrides no date


def test_a_bad_override_entry_fails_the_whole_set(api, store):
    a = create(api, assignment_overrides=[{"course_section_id": 1}])
    before = api.get(path(a, "/overrides")).json()
    r = api.put(path(a), json={"assignment": {"assignment_overrides": [
        {"course_section_id": 2}, {"student_ids": [99], "due_at": "x"}]}})
    message = 'unknown student ids: ["99"],invalid due_at "x"'
    assert (r.status, r.json()) == (400, {"errors": {"base": [{"attribute": "base", "type": message,
                                                                "message": message}]}})
    assert api.get(path(a, "/overrides")).json() == before


@pytest.mark.parametrize("key", ["9" * 5000, "\u00b2", "01x"])
def test_an_override_hash_with_hostile_keys_changes_nothing(api, store, key):
    """``assignment_overrides`` as a hash whose key is a huge number, a superscript digit or not a
    number is no index hash (``deserialize_overrides`` gives nil): the set is replaced by nothing, as
    an empty list would, and never a 500."""
    a = create(api, assignment_overrides=[{"course_section_id": 1}])
    before = api.get(path(a, "/overrides")).json()
    r = api.put(path(a), json={"assignment": {"assignment_overrides": {key: {"course_section_id": 2}}}})
    assert r.status == 200, r.text
    assert before and api.get(path(a, "/overrides")).json() == []


def test_a_new_group_category_drops_the_group_overrides(api, store):
    a = create(api, group_category_id=1)
    group = add_override(api, a, group_id=1, due_at="2030-05-03T12:00:00Z")
    section = add_override(api, a, course_section_id=2)
    store.live_events.clear()
    r = api.put(path(a), json={"assignment": {"group_category_id": 3}})
    assert r.status == 200, r.text
    assert ids(api.get(path(a, "/overrides"))) == [section["id"]]
    dropped = [e for e in store.live_events.all() if e.name == "assignment_override_updated"]
    assert [(e.body["assignment_override_id"], e.body["workflow_state"]) for e in dropped] == [
        (str(group["id"]), "deleted")]
    assert due(api, a, "student-token") == BASE_DUE
