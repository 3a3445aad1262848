"""Creating, editing and deleting sections: SectionsController#create, #update, #destroy, and their
course_section_created / course_section_updated live events (canvas-facts-enrollments-sections
sections 5 and 6). "Nothing changed" is ``store.changed_rows == 0`` and no live event.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

SIS_UPDATE = {"message": "You must have manage_sis permission to update sis attributes"}
NOT_DELETABLE = {"message": "You can't delete a section that has enrollments"}
TOO_LONG = "is too long (maximum is 255 characters)"
EVENT_KEYS = ["course_section_id", "sis_source_id", "sis_batch_id", "course_id", "root_account_id",
              "enrollment_term_id", "name", "default_section", "accepting_enrollments", "can_manually_enroll",
              "start_at", "end_at", "workflow_state", "restrict_enrollments_to_section_dates",
              "nonxlist_course_id", "stuck_sis_fields", "integration_id"]


def invalid(attribute, message, type_=None):
    return {"errors": {attribute: [{"attribute": attribute, "type": type_ or message, "message": message}]}}


def unchanged(store, since=None):
    """No write since ``since`` (a :func:`mark`; the test's start by default) and no live event."""
    if since is None:
        assert store.changed_rows == 0, "the request wrote to the store"
        assert store.live_events.all() == []
    else:
        assert store.version == since[0], "the request wrote to the store"
        assert len(store.live_events.all()) == since[1]


def mark(store):
    return store.version, len(store.live_events.all())


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def empty_section(store, course_id=1, **kw):
    s = store.insert("sections", course_id=course_id, name=kw.pop("name", "Empty"), **kw)
    store.live_events.clear()  # the arranging insert's event
    return s


# -- create ------------------------------------------------------------------------------------
def test_create_with_every_field(api, store):
    r = api.post("/api/v1/courses/1/sections", data={
        "course_section[name]": "Lab", "course_section[start_at]": "2025-01-01T00:00:00Z",
        "course_section[end_at]": "2025-06-01T12:00:00", "course_section[restrict_enrollments_to_section_dates]": "true"})
    assert r.status == 200
    body = r.json()
    sec = store.get("sections", body["id"])
    assert body == {"id": sec.id, "course_id": 1, "name": "Lab", "start_at": "2025-01-01T00:00:00Z",
                    "end_at": "2025-06-01T12:00:00Z", "created_at": body["created_at"],
                    "restrict_enrollments_to_section_dates": True, "nonxlist_course_id": None,
                    "sis_section_id": None, "sis_course_id": "MOCK101-2024", "integration_id": None}
    assert api.get(f"/api/v1/sections/{sec.id}").json() == body
    (event,) = store.live_events.all()
    assert event.name == "course_section_created"
    assert list(event.body) == EVENT_KEYS
    assert event.body == {
        "course_section_id": str(sec.id), "sis_source_id": None, "sis_batch_id": None, "course_id": "1",
        "root_account_id": "1", "enrollment_term_id": None, "name": "Lab", "default_section": False,
        "accepting_enrollments": None, "can_manually_enroll": None, "start_at": "2025-01-01T00:00:00Z",
        "end_at": "2025-06-01T12:00:00Z", "workflow_state": "active",
        "restrict_enrollments_to_section_dates": True, "nonxlist_course_id": None, "stuck_sis_fields": [],
        "integration_id": None}
    assert event.metadata["context_type"] == "Course" and event.metadata["context_id"] == "1"


def test_create_json_body_and_empty_body(api, store):
    r = api.post("/api/v1/courses/1/sections", json={"course_section": {"name": "From JSON"}})
    assert r.json()["name"] == "From JSON"
    r = api.post("/api/v1/courses/1/sections")
    assert r.status == 200
    today = store.now().strftime("%Y-%m-%d")
    assert r.json()["name"] == f"Introduction to Mocking {today}"
    assert r.json()["restrict_enrollments_to_section_dates"] is None


@pytest.mark.parametrize("name", ["<b>bold</b><script>x()</script>", "Ünïcødé ✓ 日本", "tab\tand\nnewline", ""])
def test_create_keeps_hostile_names_as_given(api, store, name):
    r = api.post("/api/v1/courses/1/sections", data={"course_section[name]": name})
    assert r.status == 200 and r.json()["name"] == name
    assert store.get("sections", r.json()["id"]).name == name


def test_create_name_too_long(api, store):
    r = api.post("/api/v1/courses/1/sections", data={"course_section[name]": "x" * 256})
    assert (r.status, r.json()) == (400, invalid("name", TOO_LONG, "too_long"))
    unchanged(store)
    assert api.post("/api/v1/courses/1/sections", data={"course_section[name]": "x" * 255}).status == 200


def test_create_end_before_start(api, store):
    r = api.post("/api/v1/courses/1/sections", data={"course_section[start_at]": "2025-02-01T00:00:00Z",
                                                      "course_section[end_at]": "2025-01-01T00:00:00Z"})
    assert (r.status, r.json()) == (400, invalid("end_at", "End date cannot be before start date"))
    unchanged(store)


def test_unparsable_dates_are_null(api):
    r = api.post("/api/v1/courses/1/sections", data={"course_section[start_at]": "not a date",
                                                      "course_section[end_at]": "2025-13-45"})
    assert (r.status, r.json()["start_at"], r.json()["end_at"]) == (200, None, None)


def test_sis_ids_set_by_admin_and_ignored_for_teacher(api, store):
    data = {"course_section[name]": "SIS", "course_section[sis_section_id]": "SEC-9",
            "course_section[integration_id]": "INT-9"}
    r = api.post("/api/v1/courses/1/sections", data=data, token="admin-token")
    assert (r.json()["sis_section_id"], r.json()["integration_id"], r.json()["sis_import_id"]) == ("SEC-9", "INT-9", None)
    assert api.get("/api/v1/sections/sis_section_id:SEC-9").json()["id"] == r.json()["id"]
    r = api.post("/api/v1/courses/1/sections", data={**data, "course_section[sis_section_id]": "SEC-10",
                                                      "course_section[integration_id]": "INT-10"})
    assert r.status == 200
    assert (r.json()["sis_section_id"], r.json()["integration_id"]) == (None, None)  # silently ignored


def test_duplicate_sis_ids(api, store):
    r = api.post("/api/v1/courses/1/sections", token="admin-token",
                 data={"course_section[sis_section_id]": "MOCK101-A"})
    assert (r.status, r.json()) == (400, invalid("sis_source_id", 'SIS ID "MOCK101-A" is already in use'))
    unchanged(store)
    store._update("sections", store.get("sections", 2), integration_id="INT-B")
    before = mark(store)
    r = api.post("/api/v1/courses/1/sections", token="admin-token", data={"course_section[integration_id]": "INT-B"})
    assert (r.status, r.json()) == (400, invalid("integration_id", 'INTEGRATRION ID "INT-B" is already in use'))
    unchanged(store, before)


def test_enable_sis_reactivation_revives_the_deleted_section(api, store):
    old = empty_section(store, name="Old", sis_section_id="OLD-1", workflow_state="deleted", integration_id="I-1")
    r = api.post("/api/v1/courses/1/sections", token="admin-token", data={
        "course_section[sis_section_id]": "OLD-1", "course_section[name]": "Ignored", "enable_sis_reactivation": "1"})
    assert r.status == 200
    assert (r.json()["id"], r.json()["name"], r.json()["integration_id"]) == (old.id, "Old", None)
    assert store.get("sections", old.id).workflow_state == "active"
    assert store.live_events.names() == ["course_section_updated"]
    # without the flag the deleted section still holds its SIS id
    store._update("sections", old, workflow_state="deleted")
    r = api.post("/api/v1/courses/1/sections", token="admin-token", data={"course_section[sis_section_id]": "OLD-1"})
    assert (r.status, r.json()) == (400, invalid("sis_source_id", 'SIS ID "OLD-1" is already in use'))


def test_override_sis_stickiness_false_on_create_takes_only_the_restrict_flag(api, store):
    r = api.post("/api/v1/courses/1/sections", data={
        "course_section[name]": "Dropped", "course_section[restrict_enrollments_to_section_dates]": "1",
        "override_sis_stickiness": "false"})
    assert r.json()["name"].startswith("Introduction to Mocking ")
    assert r.json()["restrict_enrollments_to_section_dates"] is True


@pytest.mark.parametrize("token,status", [("admin-token", 200), ("teacher-token", 200), ("designer-token", 200),
                                          ("ta-token", 401), ("student-token", 401), ("observer-token", 401),
                                          ("outsider-token", 401)])
def test_create_by_role(api, store, tokens, token, status):
    before = len(store.rows["sections"])
    r = api.post("/api/v1/courses/1/sections", token=token, data={"course_section[name]": "X"})
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED
        unchanged(store)
    else:
        assert len(store.rows["sections"]) == before + 1


def test_create_refusals(api, store):
    r = api.post("/api/v1/courses/1/sections", token=None, data={"course_section[name]": "X"})
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    for ref in ("999", "99999999999999999999999", "sis_course_id:none"):
        r = api.post(f"/api/v1/courses/{ref}/sections", token="admin-token")
        assert (r.status, r.json()) == (404, NOT_FOUND)
    store._update("courses", store.get("courses", 2), workflow_state="deleted")
    before = mark(store)
    r = api.post("/api/v1/courses/2/sections", token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    unchanged(store, before)


def test_create_with_wrong_types(api, store):
    r = api.post("/api/v1/courses/1/sections", json={"course_section": {"name": ["a"], "start_at": {"x": 1}}})
    assert r.status == 200 and r.json()["start_at"] is None
    r = api.post("/api/v1/courses/1/sections", json={"course_section": "plain"})
    assert r.status == 200


# -- update ------------------------------------------------------------------------------------
def test_update_fields_and_event(api, store):
    r = api.put("/api/v1/sections/2", data={"course_section[name]": "Renamed",
                                            "course_section[start_at]": "2025-03-01T00:00:00Z",
                                            "course_section[restrict_enrollments_to_section_dates]": "false"})
    assert r.status == 200
    assert (r.json()["name"], r.json()["start_at"], r.json()["restrict_enrollments_to_section_dates"]) == (
        "Renamed", "2025-03-01T00:00:00Z", False)
    assert api.get("/api/v1/sections/2").json()["name"] == "Renamed"
    (event,) = store.live_events.all()
    assert event.name == "course_section_updated"
    assert (event.body["course_section_id"], event.body["name"], event.body["stuck_sis_fields"]) == (
        "2", "Renamed", ["name", "restrict_enrollments_to_section_dates", "start_at"])


def test_update_without_changes_fires_nothing(api, store):
    r = api.put("/api/v1/sections/2", data={"course_section[name]": "Section B"})
    assert r.status == 200
    unchanged(store)
    r = api.put("/api/v1/sections/2")  # no course_section at all: 200, unchanged
    assert r.status == 200 and r.json()["name"] == "Section B"
    unchanged(store)


def test_update_sis_fields(api, store):
    r = api.put("/api/v1/sections/2", data={"course_section[sis_section_id]": "NEW-B"})
    assert (r.status, r.json()) == (401, SIS_UPDATE)
    r = api.put("/api/v1/sections/2", data={"course_section[integration_id]": "", "course_section[name]": "X"})
    assert (r.status, r.json()) == (401, SIS_UPDATE)
    unchanged(store)
    r = api.put("/api/v1/sections/2", token="admin-token",
                data={"course_section[sis_section_id]": "NEW-B", "course_section[integration_id]": "I-B"})
    assert (r.json()["sis_section_id"], r.json()["integration_id"]) == ("NEW-B", "I-B")
    r = api.put("/api/v1/sections/2", token="admin-token", data={"course_section[sis_section_id]": ""})
    assert r.json()["sis_section_id"] is None
    r = api.put("/api/v1/sections/2", token="admin-token", data={"course_section[sis_section_id]": "MOCK101-A"})
    assert (r.status, r.json()) == (400, invalid("sis_source_id", 'SIS ID "MOCK101-A" is already in use'))


def test_update_validation_changes_nothing(api, store):
    r = api.put("/api/v1/sections/2", data={"course_section[start_at]": "2025-02-01T00:00:00Z",
                                            "course_section[end_at]": "2025-01-01T00:00:00Z",
                                            "course_section[name]": "Not saved"})
    assert (r.status, r.json()) == (400, invalid("end_at", "End date cannot be before start date"))
    r = api.put("/api/v1/sections/2", data={"course_section[name]": "é" * 256})
    assert (r.status, r.json()) == (400, invalid("name", TOO_LONG, "too_long"))
    unchanged(store)


def test_update_override_sis_stickiness_false(api, store):
    r = api.put("/api/v1/sections/2", data={"course_section[name]": "Kept out", "override_sis_stickiness": "false",
                                            "course_section[restrict_enrollments_to_section_dates]": "true"})
    assert (r.json()["name"], r.json()["restrict_enrollments_to_section_dates"]) == ("Section B", True)


@pytest.mark.parametrize("token,status", [("admin-token", 200), ("teacher-token", 200), ("designer-token", 200),
                                          ("ta-token", 401), ("student-token", 401), ("observer-token", 401),
                                          ("outsider-token", 401), (None, 401), ("bad-token", 401)])
def test_update_by_role(api, store, tokens, token, status):
    r = api.put("/api/v1/sections/2", token=token, data={"course_section[name]": "By role"})
    assert r.status == status
    if status == 401:
        assert r.json() in (UNAUTHORIZED, UNAUTHENTICATED, {"errors": [{"message": "Invalid access token."}]})
        unchanged(store)
    else:
        assert store.get("sections", 2).name == "By role"


@pytest.mark.parametrize("path", ["/api/v1/sections/999", "/api/v1/sections/sis_section_id:zz",
                                  "/api/v1/sections/18446744073709551616"])
def test_update_unknown_is_404(api, store, path):
    r = api.put(path, token="admin-token", data={"course_section[name]": "x"})
    assert (r.status, r.json()) == (404, NOT_FOUND)
    unchanged(store)


def test_no_put_or_delete_under_the_course_path(api, store):
    assert api.put("/api/v1/courses/1/sections/2", data={"course_section[name]": "x"}).status in (404, 405)
    assert api.delete("/api/v1/courses/1/sections/2").status in (404, 405)
    unchanged(store)
    api.problems.clear()  # the mock reports unknown routes as problems: these are expected


# -- delete ------------------------------------------------------------------------------------
def test_delete_refused_while_it_has_enrollments(api, store):
    r = api.delete("/api/v1/sections/2")
    assert (r.status, r.json()) == (400, NOT_DELETABLE)
    unchanged(store)


def test_delete_an_empty_section(api, store):
    s = empty_section(store)
    r = api.delete(f"/api/v1/sections/{s.id}")
    assert r.status == 200
    assert (r.json()["id"], r.json()["name"]) == (s.id, "Empty")
    assert store.get("sections", s.id).workflow_state == "deleted"
    assert api.get(f"/api/v1/sections/{s.id}").json() == NOT_FOUND
    assert s.id not in [x["id"] for x in api.get("/api/v1/courses/1/sections").json()]
    (event,) = store.live_events.all()
    assert (event.name, event.body["workflow_state"], event.body["course_section_id"]) == (
        "course_section_updated", "deleted", str(s.id))
    r = api.delete(f"/api/v1/sections/{s.id}")
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_delete_with_only_deleted_and_rejected_enrollments(api, store):
    s = empty_section(store)
    rejected = store.insert("enrollments", user_id=20, course_id=1, course_section_id=s.id, workflow_state="rejected")
    gone = store.insert("enrollments", user_id=7, course_id=1, course_section_id=s.id, workflow_state="deleted")
    assert api.delete(f"/api/v1/sections/{s.id}").status == 200
    assert store.get("enrollments", rejected.id).workflow_state == "deleted"
    assert store.get("enrollments", gone.id).workflow_state == "deleted"


def test_default_section_is_not_protected(api, store):
    s = empty_section(store, course_id=2, default_section=True)
    assert api.delete(f"/api/v1/sections/{s.id}", token="admin-token").status == 200


@pytest.mark.parametrize("token,status", [("admin-token", 200), ("teacher-token", 200), ("designer-token", 200),
                                          ("ta-token", 401), ("student-token", 401), ("observer-token", 401),
                                          ("outsider-token", 401)])
def test_delete_by_role(api, store, tokens, token, status):
    s = empty_section(store)
    before = mark(store)
    r = api.delete(f"/api/v1/sections/{s.id}", token=token)
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED
        unchanged(store, before)


def test_sis_id_too_long_and_hostile_sis_ids(api, store):
    r = api.post("/api/v1/courses/1/sections", token="admin-token", data={"course_section[sis_section_id]": "S" * 256})
    assert (r.status, r.json()) == (400, invalid("sis_source_id", TOO_LONG, "too_long"))
    unchanged(store)
    weird = "<b>Ü\u0007 1&x"
    r = api.post("/api/v1/courses/1/sections", token="admin-token", data={"course_section[sis_section_id]": weird})
    assert r.status == 200 and r.json()["sis_section_id"] == weird
    assert api.get(f"/api/v1/sections/sis_section_id:{quote(weird, safe='')}").json()["id"] == r.json()["id"]


@pytest.mark.parametrize("ref", ["18446744073709551616", "sis_section_id:%00", "-1", "1e3"])
def test_hostile_section_ids_on_every_write_route(api, store, ref):
    for method, path in (("PUT", f"/api/v1/sections/{ref}"), ("DELETE", f"/api/v1/sections/{ref}"),
                         ("POST", f"/api/v1/sections/{ref}/crosslist/2"), ("DELETE", f"/api/v1/sections/{ref}/crosslist")):
        r = api.request(method, path, token="admin-token")
        assert (r.status, r.json()) == (404, NOT_FOUND), (method, path)
    unchanged(store)
