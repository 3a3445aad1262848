"""Creating, updating and deleting assignment overrides over HTTP: AssignmentOverridesController
#create, #update, #destroy (canvas-facts-assignments 6.2, 6.3, 7, 9): each target and parameter,
the parameter-stage errors (a plain string array) and the model errors (the keyed hash), who may
write, the state afterwards and the assignment_override_created / _updated live events.

"Nothing changed" is: no write since the request began (``store.version``) and no live event.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from assignments_support import arrange_in_default_group as assignment
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

EVENT_KEYS = ["assignment_override_id", "assignment_id", "due_at", "all_day", "all_day_date", "unlock_at",
              "lock_at", "type", "workflow_state"]


@pytest.fixture(autouse=True)
def tokens(api, store):  # after api: the server fixture rolls the store back first
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def base(a):
    return f"/api/v1/courses/{a.course_id}/assignments/{a.id}/overrides"


def ao(**fields):
    """A form body: ``assignment_override[k]`` for each field (lists repeat ``[k][]``)."""
    out = {}
    for k, v in fields.items():
        out[f"assignment_override[{k}][]" if isinstance(v, list) else f"assignment_override[{k}]"] = v
    return out


def errors(*messages):
    return {"errors": list(messages)}


def invalid(attribute, kind, message):
    return {attribute: [{"attribute": attribute, "type": kind, "message": message}]}


class Unchanged:
    def __init__(self, store):
        self.store, self.version, self.events = store, store.version, len(store.live_events.all())

    def check(self):
        assert self.store.version == self.version, "the request wrote to the store"
        assert len(self.store.live_events.all()) == self.events


def events(store):
    return [e for e in store.live_events.all() if e.name.startswith("assignment_override")]


# -- create: each target -----------------------------------------------------------------------
def test_create_section_override(api, store):
    a = assignment(store, due_at=datetime(2030, 5, 10, tzinfo=timezone.utc))
    before = a.updated_at
    r = api.post(base(a), data=ao(course_section_id="2", due_at="2030-05-03T18:00:00Z",
                                  unlock_at="2030-04-28T00:00:00Z", title="ignored"))
    assert r.status == 201
    o = store.get("assignment_overrides", r.json()["id"])
    assert r.json() == {"id": o.id, "assignment_id": a.id, "title": "Section B", "unassign_item": False,
                        "due_at": "2030-05-03T18:00:00Z", "all_day": False, "all_day_date": "2030-05-03",
                        "unlock_at": "2030-04-28T00:00:00Z", "course_section_id": 2}
    assert (o.set_type, o.set_id, o.title, o.lock_at_overridden, o.workflow_state) == (
        "CourseSection", 2, "Section B", False, "active")
    (event,) = events(store)
    assert event.name == "assignment_override_created"
    assert list(event.body) == EVENT_KEYS + ["course_section_id"]
    assert event.body == {"assignment_override_id": str(o.id), "assignment_id": str(a.id),
                          "due_at": "2030-05-03T18:00:00Z", "all_day": False, "all_day_date": "2030-05-03",
                          "unlock_at": "2030-04-28T00:00:00Z", "lock_at": None, "type": "CourseSection",
                          "workflow_state": "active", "course_section_id": "2"}
    assert event.metadata["context_type"] == "Course" and event.metadata["user_id"] == "2"
    # the assignment is touched: no assignment_updated for a touch
    assert a.updated_at != before
    assert [e.name for e in store.live_events.all()] == ["assignment_override_created"]
    assert api.get(f"{base(a)}/{o.id}").json() == r.json()


def test_create_adhoc_override(api, store):
    a = assignment(store)
    r = api.post(base(a), data=ao(student_ids=["7", "sis_user_id:S-009", "sis_login_id:student11"],
                                  due_at="2030-05-10T12:00:00Z"))
    assert r.status == 201
    assert r.json()["title"] == "3 students" and r.json()["student_ids"] == [7, 9, 11]
    assert list(r.json())[-1] == "student_ids"
    (event,) = events(store)
    assert event.body["type"] == "ADHOC" and list(event.body) == EVENT_KEYS
    one = api.post(base(a), json={"assignment_override": {"student_ids": [6], "title": "Sam's extension"}})
    assert (one.status, one.json()["title"], one.json()["student_ids"]) == (201, "Sam's extension", [6])
    assert "due_at" not in one.json()
    assert api.post(base(a), json={"assignment_override": {"student_ids": [8]}}).json()["title"] == "1 student"


def test_create_group_override(api, store):
    a = assignment(store, group_category_id=1)
    r = api.post(base(a), data=ao(group_id="2", lock_at="2030-06-01T00:00:00Z"))
    assert r.status == 201
    assert r.json() == {"id": r.json()["id"], "assignment_id": a.id, "title": "Project Group 2",
                        "unassign_item": False, "lock_at": "2030-06-01T23:59:59Z", "group_id": 2,
                        "non_collaborative": False, "group_category_id": 1}
    assert events(store)[0].body["group_id"] == "2"


def test_create_course_override(api, store):
    a = assignment(store)
    r = api.post(base(a), data=ao(course_id="anything", due_at=""))
    assert r.status == 201
    assert r.json() == {"id": r.json()["id"], "assignment_id": a.id, "title": "Introduction to Mocking",
                        "unassign_item": False, "due_at": None, "all_day": False, "all_day_date": None,
                        "course_id": 1}


def test_the_first_target_wins(api, store):
    a = assignment(store, group_category_id=1)
    r = api.post(base(a), data=ao(student_ids=["6"], group_id="1", course_section_id="1"))
    assert "student_ids" in r.json() and "group_id" not in r.json()
    r = api.post(base(a), data=ao(group_id="1", course_section_id="1"))
    assert r.json()["group_id"] == 1 and "course_section_id" not in r.json()
    r = api.post(base(a), data=ao(group_id="", course_section_id="sis_section_id:MOCK101-A"))
    assert r.json()["course_section_id"] == 1


@pytest.mark.parametrize("token", ["ta-token", "designer-token", "admin-token"])
def test_other_staff_may_create(api, store, token):
    a = assignment(store)
    assert api.post(base(a), data=ao(course_section_id="1"), token=token).status == 201


@pytest.mark.parametrize("token", ["student-token", "observer-token", "outsider-token"])
def test_others_may_not_write(api, store, token):
    a = assignment(store)
    o = store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="CourseSection",
                     set_id=1, title="Section A")
    store.live_events.clear()
    nothing = Unchanged(store)
    for method, path in (("POST", base(a)), ("PUT", f"{base(a)}/{o.id}"), ("DELETE", f"{base(a)}/{o.id}"),
                         ("PUT", f"{base(a)}/999")):
        r = api.request(method, path, data=ao(course_section_id="2"), token=token)
        assert (r.status, r.json()) == (401, UNAUTHORIZED), (method, path)
    r = api.post(base(a), data=ao(course_section_id="2"), token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    nothing.check()


def test_writes_to_unknown_things_are_404(api, store):
    a = assignment(store)
    nothing = Unchanged(store)
    for method, path in (("POST", "/api/v1/courses/999/assignments/1/overrides"),
                         ("POST", "/api/v1/courses/1/assignments/999/overrides"),
                         ("POST", f"/api/v1/courses/2/assignments/{a.id}/overrides"),
                         ("PUT", f"{base(a)}/999"), ("DELETE", f"{base(a)}/999")):
        r = api.request(method, path, data=ao(course_section_id="1"))
        assert (r.status, r.json()) == (404, NOT_FOUND), (method, path)
    nothing.check()


# -- dates -------------------------------------------------------------------------------------
def test_blank_dates_override_to_no_date(api, store):
    a = assignment(store)
    r = api.post(base(a), json={"assignment_override": {"course_section_id": 1, "due_at": None,
                                                        "unlock_at": "", "lock_at": []}})
    assert r.json() == {"id": r.json()["id"], "assignment_id": a.id, "title": "Section A", "unassign_item": False,
                        "due_at": None, "all_day": False, "all_day_date": None, "unlock_at": None,
                        "lock_at": None, "course_section_id": 1}
    o = store.get("assignment_overrides", r.json()["id"])
    assert (o.due_at_overridden, o.unlock_at_overridden, o.lock_at_overridden) == (True, True, True)


@pytest.mark.parametrize("text,due", [
    ("2030-05-01T10:00:00Z", "2030-05-01T10:00:00Z"),
    ("2030-05-01T10:00Z", "2030-05-01T10:00:00Z"),  # no seconds: fine for overrides
    ("2030-05-01 10:00", "2030-05-01T10:00:00Z"),
    ("2030-05-01T10:00:00+0200", "2030-05-01T08:00:00Z"),
    ("2030-05-01T10:00:00.123456-06:00", "2030-05-01T16:00:00Z"),
    ("May 1, 2030 10:00 PM", "2030-05-01T22:00:00Z"),
    ("1 May 2030", "2030-05-01T23:59:59Z"),  # a date: local midnight, then fancy midnight
    ("2030-05-01", "2030-05-01T23:59:59Z"),
    ("Wed, 01 May 2030 10:00:00 GMT", "2030-05-01T10:00:00Z"),
    ("20300501", "2030-05-01T23:59:59Z"),
    ("2030-02-31T10:00:00Z", "2030-03-03T10:00:00Z"),  # Ruby's Time rolls the day over
])
def test_due_at_takes_what_time_zone_parse_takes(api, store, text, due):
    a = assignment(store)
    r = api.post(base(a), data=ao(course_section_id="1", due_at=text))
    assert (r.status, r.json()["due_at"]) == (201, due)


def test_midnight_and_all_day_in_the_callers_zone(api, store):
    store._update("users", store.get("users", 2), time_zone="America/Denver")
    a = assignment(store)
    r = api.post(base(a), data=ao(course_section_id="1", due_at="2030-05-02T00:00:00",
                                  unlock_at="2030-05-01T00:00:00", lock_at="2030-05-09T06:00:00Z"))
    # local midnight (06:00Z) becomes 23:59:59 local; unlock_at never moves; lock_at at local midnight too
    assert (r.json()["due_at"], r.json()["all_day"], r.json()["all_day_date"]) == (
        "2030-05-03T05:59:59Z", True, "2030-05-02")
    assert r.json()["unlock_at"] == "2030-05-01T06:00:00Z"
    assert r.json()["lock_at"] == "2030-05-10T05:59:59Z"
    r = api.post(base(a), data=ao(course_section_id="2", due_at="2030-05-02T00:00:00Z"))  # 18:00 in Denver
    assert (r.json()["due_at"], r.json()["all_day"], r.json()["all_day_date"]) == (
        "2030-05-02T00:00:00Z", False, "2030-05-01")


# -- parameter errors: a plain array, nothing saved --------------------------------------------
@pytest.mark.parametrize("body,expected", [
    (ao(due_at="2030-05-01T00:00:00Z"), errors("one of student_ids, group_id, or course_section_id is required")),
    ({}, errors("one of student_ids, group_id, or course_section_id is required")),
    (ao(course_section_id=""), errors("one of student_ids, group_id, or course_section_id is required")),
    ({"assignment_override": "x"}, errors("invalid override data")),
    (ao(student_ids="6"), errors('invalid student_ids "6"')),
    ({"assignment_override[student_ids][0]": "6"},
     errors('invalid student_ids #<ActionController::Parameters {"0"=>"6"} permitted: false>')),
    (ao(student_ids=["6", "99", "2", "20", "sis_login_id:STUDENT", "abc"]),
     errors('unknown student ids: ["99", "2", "20", "sis_login_id:STUDENT", "abc"]')),
    (ao(group_id="1"), errors("group_id is not valid")),  # not a group assignment
    (ao(group_id="99"), errors('unknown group id "99"')),
    (ao(group_id="7"), errors('unknown group id "7"')),  # an account's group
    (ao(course_section_id="3"), errors('unknown section id "3"')),  # course 2's
    (ao(course_section_id="sis_section_id:nope"), errors('unknown section id "sis_section_id:nope"')),
    (ao(course_section_id="1", due_at="abc"), errors('invalid due_at "abc"')),
    (ao(course_section_id="1", unlock_at="2030-13-01"), errors('invalid unlock_at "2030-13-01"')),
    (ao(course_section_id="1", lock_at="25:00"), errors('invalid lock_at "25:00"')),
    (ao(student_ids="x", course_section_id="1", due_at="nope", lock_at="x\"y"),
     errors('invalid student_ids "x"', 'invalid due_at "nope"', 'invalid lock_at "x\\"y"')),
    ({"assignment_override": {"group_id": 99, "course_section_id": 1, "due_at": True}},
     errors("unknown group id 99", "invalid due_at true")),
    ({"assignment_override": {"course_section_id": 1, "due_at": {"a": "b"}}},
     errors('invalid due_at #<ActionController::Parameters {"a"=>"b"} permitted: false>')),
    ({"assignment_override": {"student_ids": []}}, errors("invalid student_ids []")),
    ({"assignment_override": {"student_ids": [99999999999999999999]}},
     errors('unknown student ids: ["99999999999999999999"]')),
])
def test_parameter_errors(api, store, body, expected):
    a = assignment(store)
    nothing = Unchanged(store)
    kw = {"json": body} if any(not isinstance(v, (str, list)) for v in body.values()) else {"data": body}
    r = api.post(base(a), **kw)
    assert (r.status, r.json()) == (400, expected)
    nothing.check()


def test_group_of_another_category_is_not_valid(api, store):
    a = assignment(store, group_category_id=3)
    r = api.post(base(a), data=ao(group_id="1"))
    assert (r.status, r.json()) == (400, errors("group_id is not valid"))


# -- model errors: the keyed hash --------------------------------------------------------------
def test_a_second_override_of_a_set_is_taken(api, store):
    a = assignment(store, group_category_id=1)
    for fields in (dict(course_section_id="1"), dict(group_id="1"), dict(course_id="1")):
        assert api.post(base(a), data=ao(**fields)).status == 201
        nothing = Unchanged(store)
        r = api.post(base(a), data=ao(**fields))
        assert (r.status, r.json()) == (400, {"errors": invalid("set_id", "taken", "taken")})
        nothing.check()


def test_a_student_in_another_adhoc_override_is_taken(api, store):
    a = assignment(store)
    assert api.post(base(a), data=ao(student_ids=["6", "7"])).status == 201
    nothing = Unchanged(store)
    r = api.post(base(a), data=ao(student_ids=["6", "7", "8"]))
    taken = {"attribute": "assignment_override_students", "type": "taken",
             "message": "already belongs to an assignment override"}
    assert (r.status, r.json()) == (400, {"errors": {"assignment_override_students": [taken, taken]}})
    nothing.check()
    other = assignment(store)
    assert api.post(base(other), data=ao(student_ids=["6"])).status == 201  # another assignment: fine


def test_title_errors(api, store):
    a = assignment(store)
    r = api.post(base(a), data=ao(student_ids=["6"], title="x" * 256))
    assert r.json() == {"errors": invalid("title", "too_long", "is too long (maximum is 255 characters)")}
    r = api.post(base(a), data=ao(student_ids=["6"], title=""))
    assert r.json() == {"errors": invalid("title", "blank", "blank")}
    assert api.post(base(a), data=ao(student_ids=["6"], title="x" * 255)).status == 201


def test_unassign_item(api, store):
    a = assignment(store)
    r = api.post(base(a), data=ao(student_ids=["6"], unassign_item="true"))
    assert r.json()["unassign_item"] is True
    r = api.post(base(a), data=ao(course_section_id="1", unassign_item="false"))
    assert r.json()["unassign_item"] is False
    r = api.post(base(a), data=ao(course_id="1", unassign_item="1"))
    assert (r.status, r.json()) == (400, {"errors": invalid("unassign_item", "must be false with set_type Course",
                                                            "must be false with set_type Course")})


@pytest.mark.parametrize("title", ["<script>alert(1)</script>", "Ünïcødé ✓ 日本", "tab\tnew\nline", "'; DROP TABLE"])
def test_hostile_titles_are_kept_as_given(api, store, title):
    a = assignment(store)
    r = api.post(base(a), data=ao(student_ids=["6"], title=title))
    assert (r.status, r.json()["title"]) == (201, title)
    assert store.get("assignment_overrides", r.json()["id"]).title == title


# -- update ------------------------------------------------------------------------------------
def made(api, a, **fields):
    r = api.post(base(a), data=ao(**fields))
    assert r.status == 201, r.text
    return r.json()


def test_update_omitted_dates_stop_being_overridden(api, store):
    a = assignment(store)
    o = made(api, a, course_section_id="1", due_at="2030-05-01T10:00:00Z", lock_at="2030-05-09T10:00:00Z")
    store.live_events.clear()
    r = api.put(f"{base(a)}/{o['id']}", data=ao(unlock_at="2030-04-01T10:00:00Z"))
    assert r.status == 200
    assert r.json() == {"id": o["id"], "assignment_id": a.id, "title": "Section A", "unassign_item": False,
                        "unlock_at": "2030-04-01T10:00:00Z", "course_section_id": 1}
    row = store.get("assignment_overrides", o["id"])
    assert (row.due_at_overridden, row.due_at, row.all_day, row.all_day_date, row.lock_at_overridden) == (
        False, None, False, None, False)
    (event,) = events(store)
    assert (event.name, event.body["due_at"], event.body["unlock_at"]) == (
        "assignment_override_updated", None, "2030-04-01T10:00:00Z")
    r = api.put(f"{base(a)}/{o['id']}")  # no assignment_override at all: every date cleared
    assert r.json() == {"id": o["id"], "assignment_id": a.id, "title": "Section A", "unassign_item": False,
                        "course_section_id": 1}


def test_update_keeps_the_target_and_the_set_title(api, store):
    a = assignment(store, group_category_id=1)
    o = made(api, a, course_section_id="1")
    r = api.put(f"{base(a)}/{o['id']}", data=ao(course_section_id="2", group_id="1", student_ids=["7"],
                                                  title="New title"))
    assert (r.status, r.json()["course_section_id"], r.json()["title"]) == (200, 1, "Section A")
    assert "student_ids" not in r.json()


def test_update_adhoc_students_and_title(api, store):
    a = assignment(store)
    o = made(api, a, student_ids=["6", "7", "8"], title="Extensions")
    r = api.put(f"{base(a)}/{o['id']}", data=ao(student_ids=["9", "8", "6"]))
    # the staying students keep their place; no title sent: "N students"
    assert (r.json()["student_ids"], r.json()["title"]) == ([6, 8, 9], "3 students")
    r = api.put(f"{base(a)}/{o['id']}", data=ao(title="Kept"))
    assert (r.json()["student_ids"], r.json()["title"]) == ([6, 8, 9], "Kept")
    r = api.put(f"{base(a)}/{o['id']}", data=ao(student_ids=["99"]))
    assert (r.status, r.json()) == (400, errors('unknown student ids: ["99"]'))
    other = made(api, a, student_ids=["10"])
    r = api.put(f"{base(a)}/{other['id']}", data=ao(student_ids=["10", "6"]))
    assert r.json()["errors"]["assignment_override_students"][0]["type"] == "taken"
    assert store.get("assignment_overrides", other["id"]).student_ids == (10,)


def test_update_without_a_change_writes_nothing(api, store):
    a = assignment(store)
    o = made(api, a, student_ids=["6"], title="T", due_at="2030-05-01T10:00:00Z")
    nothing = Unchanged(store)
    r = api.put(f"{base(a)}/{o['id']}", data=ao(title="T", due_at="2030-05-01T10:00:00Z"))
    assert r.json() == o
    nothing.check()


def test_a_student_only_change_records_no_event_but_touches_the_assignment(api, store):
    a = assignment(store)
    o = made(api, a, student_ids=["6"], title="T")
    store.live_events.clear()
    stamp = store.get("assignment_overrides", o["id"]).updated_at
    r = api.put(f"{base(a)}/{o['id']}", data=ao(student_ids=["7"], title="T"))
    assert r.json()["student_ids"] == [7]
    assert events(store) == []
    assert store.get("assignment_overrides", o["id"]).updated_at == stamp


def test_update_errors(api, store):
    a = assignment(store)
    o = made(api, a, course_section_id="1", due_at="2030-05-01T10:00:00Z")
    nothing = Unchanged(store)
    r = api.put(f"{base(a)}/{o['id']}", data=ao(due_at="soon"))
    assert (r.status, r.json()) == (400, errors('invalid due_at "soon"'))
    r = api.put(f"{base(a)}/{o['id']}", json={"assignment_override": ["x"]})
    assert (r.status, r.json()) == (400, errors("invalid override data"))
    nothing.check()


# -- delete ------------------------------------------------------------------------------------
def test_delete_adhoc(api, store):
    a = assignment(store)
    o = made(api, a, student_ids=["6", "7"], due_at="2030-05-01T10:00:00Z")
    store.live_events.clear()
    r = api.delete(f"{base(a)}/{o['id']}")
    assert (r.status, r.json()) == (200, {**o, "student_ids": []})
    row = store.get("assignment_overrides", o["id"])
    assert (row.workflow_state, row.student_ids) == ("deleted", ())
    (event,) = events(store)
    assert (event.name, event.body["workflow_state"], event.body["due_at"]) == (
        "assignment_override_updated", "deleted", "2030-05-01T10:00:00Z")
    assert api.get(f"{base(a)}/{o['id']}").status == 404
    assert api.get(base(a)).json() == []
    assert api.delete(f"{base(a)}/{o['id']}").status == 404
    # the students are free again
    assert api.post(base(a), data=ao(student_ids=["6"])).status == 201


def test_delete_section_override_frees_the_section(api, store):
    a = assignment(store)
    o = made(api, a, course_section_id="2")
    r = api.delete(f"{base(a)}/{o['id']}", token="ta-token")
    assert (r.status, r.json()) == (200, o)
    assert api.post(base(a), data=ao(course_section_id="2")).status == 201


# -- what the overrides change ----------------------------------------------------------------
def test_students_get_submissions_when_an_override_assigns_it(api, store):
    a = assignment(store, only_visible_to_overrides=True)
    store.submissions.sync(a)
    assert store.submissions.for_user(a.id, 6) is None
    o = made(api, a, student_ids=["6"], due_at="2030-05-01T10:00:00Z")
    sub = store.submissions.for_user(a.id, 6)
    assert sub is not None and sub.cached_due_date == datetime(2030, 5, 1, 10, tzinfo=timezone.utc)
    api.delete(f"{base(a)}/{o['id']}")
    assert store.submissions.for_user(a.id, 6) is None  # soft-deleted: for_user skips it


def test_designers_update_and_a_concluded_courses_teacher_may_not_write(api, store):
    a = assignment(store)
    o = made(api, a, course_section_id="1")
    r = api.put(f"{base(a)}/{o['id']}", data=ao(due_at="2030-05-01T10:00:00Z"), token="designer-token")
    assert (r.status, r.json()["due_at"]) == (200, "2030-05-01T10:00:00Z")
    old = assignment(store, course_id=4)  # History of Mocking: concluded, the teacher's enrollment completed
    assert api.get(base(old)).status == 200  # still readable
    nothing = Unchanged(store)
    r = api.post(base(old), data=ao(course_section_id="5"))
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    nothing.check()
