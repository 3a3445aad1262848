"""Writing enrollment terms: POST, PUT and DELETE /accounts/:id/terms (TermsController): the saved
term, overrides, SIS ids, every error body, that a refused request changes nothing, the
sub-account redirect, and no live events (canvas-facts-courses-users section 8;
spec/apis/v1/terms_api_spec.rb)."""

from __future__ import annotations

import pytest
from accounts_support import (ADMIN_TERM_KEYS, assert_unchanged, errors, make_admin, make_user, mark, message,
                              term_json, utc)
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

TERMS = "/api/v1/accounts/1/terms"
MISSING = {"errors": [{"message": "enrollment_term is missing"}]}
BAD_TYPE = message("Invalid enrollment type in overrides")
BAD_SIS = message("Invalid SIS ID")
BAD_DATES = errors(("base", "End dates cannot be before start dates"))


def new_term_id(store, before) -> int:
    (tid,) = set(store.rows["terms"]) - before
    return tid


# -- create ----------------------------------------------------------------------------------------

def test_create_a_term(api, store):
    before = set(store.rows["terms"])
    r = api.post(TERMS, token="admin-token", data={
        "enrollment_term[name]": "Summer 2026", "enrollment_term[start_at]": "2026-06-01T08:00:00Z",
        "enrollment_term[end_at]": "2026-08-01T00:00:00+02:00", "enrollment_term[sis_term_id]": "2026-SU",
        "enrollment_term[overrides][StudentEnrollment][start_at]": "2026-06-02T00:00:00Z",
        "enrollment_term[overrides][teacher_enrollment][end_at]": "2026-08-15T00:00:00Z"})
    assert r.status == 200
    tid = new_term_id(store, before)
    overrides = {"StudentEnrollment": {"start_at": "2026-06-02T00:00:00Z", "end_at": None},
                 "TeacherEnrollment": {"start_at": None, "end_at": "2026-08-15T00:00:00Z"}}
    assert r.json() == term_json(store, tid, overrides=overrides)
    assert list(r.json()) == ADMIN_TERM_KEYS + ["overrides"]
    assert (r.json()["start_at"], r.json()["end_at"], r.json()["sis_term_id"]) == (
        "2026-06-01T08:00:00Z", "2026-07-31T22:00:00Z", "2026-SU")
    t = store.get("terms", tid)
    assert (t.root_account_id, t.name, t.start_at, t.end_at, t.sis_term_id, t.workflow_state, t.default) == (
        1, "Summer 2026", utc("2026-06-01T08:00:00Z"), utc("2026-07-31T22:00:00Z"), "2026-SU", "active", False)
    assert api.get(f"{TERMS}/sis_term_id:2026-SU", token="admin-token").json() == term_json(
        store, tid, overrides=overrides, course_count=0)
    assert store.live_events.all() == []  # Canvas sends no live events for terms


def test_create_with_json_and_minimal_fields(api, store):
    r = api.post(TERMS, token="admin-token", json={"enrollment_term": {"name": "Bare"}})
    assert r.status == 200
    body = r.json()
    assert (body["name"], body["start_at"], body["end_at"], body["sis_term_id"], body["overrides"]) == (
        "Bare", None, None, None, {})
    assert api.post(TERMS, token="admin-token", json={"enrollment_term": {"start_at": "2026-01-01"}}).json()[
        "name"] is None


def test_a_naive_date_is_in_the_callers_time_zone(api, store):
    make_admin(store, 1, "denver-token", time_zone="America/Denver")
    r = api.post(TERMS, token="denver-token", data={"enrollment_term[name]": "Local",
                                                    "enrollment_term[start_at]": "2026-01-12T00:00:00",
                                                    "enrollment_term[end_at]": "2026-05-08"})
    assert (r.json()["start_at"], r.json()["end_at"]) == ("2026-01-12T07:00:00Z", "2026-05-08T06:00:00Z")


@pytest.mark.parametrize("value", ["not a date", "2026-13-45", "", "2026-01-01T25:00:00Z"])
def test_an_unparsable_date_is_null(api, store, value):
    r = api.post(TERMS, token="admin-token", data={"enrollment_term[name]": "X", "enrollment_term[start_at]": value})
    assert r.status == 200 and r.json()["start_at"] is None


@pytest.mark.parametrize("key,kind", [
    ("StudentEnrollment", "StudentEnrollment"), ("student_enrollment", "StudentEnrollment"),
    ("StudentEnrollments", "StudentEnrollment"), ("designer_enrollments", "DesignerEnrollment"),
    ("ta_enrollment", "TaEnrollment"),
])
def test_override_types_are_classified(api, store, key, kind):
    r = api.post(TERMS, token="admin-token", json={"enrollment_term": {
        "name": "Typed", "overrides": {key: {"end_at": "2026-05-01T00:00:00Z"}}}})
    assert r.status == 200
    assert r.json()["overrides"] == {kind: {"start_at": None, "end_at": "2026-05-01T00:00:00Z"}}
    assert store.get("terms", r.json()["id"]).overrides == ((kind, None, utc("2026-05-01T00:00:00Z")),)


def test_sis_id_quirks(api, store):
    # a number is a valid SIS id; one equal to the account's own SIS id is silently ignored
    assert api.post(TERMS, token="admin-token", json={"enrollment_term": {"name": "N", "sis_term_id": 2027}}).json()[
        "sis_term_id"] == "2027"
    assert api.post(TERMS, token="admin-token", data={"enrollment_term[name]": "M",
                                                      "enrollment_term[sis_term_id]": "MOCKU"}).json()[
        "sis_term_id"] is None
    # sis_source_id wins over sis_term_id
    body = api.post(TERMS, token="admin-token", data={"enrollment_term[name]": "S", "enrollment_term[sis_term_id]": "A",
                                                      "enrollment_term[sis_source_id]": "B"}).json()
    assert body["sis_term_id"] == "B"


# -- create: refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("kw,body", [
    ({"data": {"name": "Flat"}}, MISSING),
    ({"json": {"enrollment_term": {}}}, MISSING),
    ({"json": {"enrollment_term": "Fall"}}, MISSING),
    ({"data": {"enrollment_term[overrides][ObserverEnrollment][end_at]": "2026-05-01"}}, BAD_TYPE),
    ({"data": {"enrollment_term[overrides][StudentViewEnrollment][end_at]": "2026-05-01"}}, BAD_TYPE),
    ({"data": {"enrollment_term[overrides][studentenrollment][end_at]": "2026-05-01"}}, BAD_TYPE),
    ({"json": {"enrollment_term": {"overrides": "StudentEnrollment"}}}, BAD_TYPE),
    ({"json": {"enrollment_term": {"overrides": {"StudentEnrollment": "2026-05-01"}}}}, BAD_TYPE),
    ({"json": {"enrollment_term": {"name": "X", "sis_term_id": {"fail": True}}}}, BAD_SIS),
    ({"json": {"enrollment_term": {"name": "X", "sis_term_id": ["a"]}}}, BAD_SIS),
    ({"json": {"enrollment_term": {"name": "X", "sis_term_id": True}}}, BAD_SIS),
    ({"data": {"enrollment_term[start_at]": "2026-06-01", "enrollment_term[end_at]": "2026-05-01"}}, BAD_DATES),
    ({"data": {"enrollment_term[overrides][StudentEnrollment][start_at]": "2026-04-20T20:00:00Z",
               "enrollment_term[overrides][StudentEnrollment][end_at]": "2026-03-20T20:00:00Z"}}, BAD_DATES),
    ({"data": {"enrollment_term[name]": "Dup", "enrollment_term[sis_term_id]": "2026-FA"}},
     errors(("sis_source_id", 'SIS ID "2026-FA" is already in use'))),
], ids=["no-hash", "empty-hash", "string-hash", "observer", "student-view", "lower-case", "overrides-string",
        "override-value-string", "sis-hash", "sis-list", "sis-bool", "end-before-start", "override-dates",
        "duplicate-sis"])
def test_create_refusals(api, store, kw, body):
    r = api.post(TERMS, token="admin-token", **kw)
    assert r.status == 400 and r.json() == body
    assert_unchanged(store)


def test_a_deleted_terms_sis_id_stays_taken(api, store):
    store.insert("terms", root_account_id=1, name="Old", sis_term_id="OLD", workflow_state="deleted")
    before = mark(store)
    r = api.post(TERMS, token="admin-token",
                 data={"enrollment_term[name]": "New", "enrollment_term[sis_term_id]": "OLD"})
    assert r.status == 400 and r.json() == errors(("sis_source_id", 'SIS ID "OLD" is already in use'))
    assert_unchanged(store, before)


@pytest.mark.parametrize("token,body", [("teacher-token", UNAUTHORIZED), ("ta-token", UNAUTHORIZED),
                                        ("student-token", UNAUTHORIZED), (None, UNAUTHENTICATED)])
def test_writes_need_manage_account_settings_on_the_root(api, store, token, body):
    for method, path in (("POST", TERMS), ("PUT", f"{TERMS}/2"), ("DELETE", f"{TERMS}/2")):
        r = api.request(method, path, token=token, data={"enrollment_term[name]": "Nope"})
        assert r.status == 401 and r.json() == body, (method, path)
    assert_unchanged(store)


def test_sub_account_admins_may_not_write_the_roots_terms(api, store):
    make_admin(store, 2)
    before = mark(store)
    r = api.post(TERMS, token="subadmin-token", data={"enrollment_term[name]": "Mine"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert_unchanged(store, before)


@pytest.mark.parametrize("method,path", [("POST", "/api/v1/accounts/2/terms"), ("PUT", "/api/v1/accounts/2/terms/2"),
                                         ("DELETE", "/api/v1/accounts/sis_account_id:SCI/terms/3")])
@pytest.mark.parametrize("token", ["admin-token", "student-token"])
def test_writes_on_a_sub_account_redirect_to_its_page(api, store, method, path, token):
    """require_root_account_management redirects before it checks any permission."""
    r = api.request(method, path, token=token, data={"enrollment_term[name]": "X"})
    assert r.status == 302
    url = f"{api.base_url}/accounts/2"
    assert r.headers["Location"] == url
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.text == f'<html><body>You are being <a href="{url}">redirected</a>.</body></html>'
    assert_unchanged(store)


# -- update ----------------------------------------------------------------------------------------

def test_update_a_term(api, store):
    r = api.put(f"{TERMS}/3", token="admin-token", data={
        "enrollment_term[name]": "Spring Semester", "enrollment_term[end_at]": "2026-05-15T00:00:00Z",
        "enrollment_term[overrides][StudentEnrollment][end_at]": "2026-05-20T00:00:00Z"})
    assert r.status == 200
    assert r.json() == term_json(store, 3, overrides={"StudentEnrollment": {"start_at": None,
                                                                            "end_at": "2026-05-20T00:00:00Z"}})
    t = store.get("terms", 3)
    assert (t.name, t.start_at, t.end_at) == (
        "Spring Semester", utc("2026-01-12T00:00:00Z"), utc("2026-05-15T00:00:00Z"))
    # an override sent again replaces both of its dates
    r = api.put(f"{TERMS}/3", token="admin-token", data={
        "enrollment_term[overrides][StudentEnrollment][start_at]": "2026-01-10T00:00:00Z",
        "enrollment_term[overrides][TeacherEnrollment][start_at]": "2026-01-05T00:00:00Z"})
    assert r.json()["overrides"] == {"StudentEnrollment": {"start_at": "2026-01-10T00:00:00Z", "end_at": None},
                                     "TeacherEnrollment": {"start_at": "2026-01-05T00:00:00Z", "end_at": None}}
    assert store.live_events.all() == []


def test_update_sis_id_and_clearing_it(api, store):
    assert api.put(f"{TERMS}/2", token="admin-token", data={"enrollment_term[sis_term_id]": "FALL"}).json()[
        "sis_term_id"] == "FALL"
    assert api.put(f"{TERMS}/2", token="admin-token", data={"enrollment_term[sis_term_id]": "FALL"}).status == 200
    r = api.put(f"{TERMS}/2", token="admin-token", data={"enrollment_term[sis_source_id]": ""})
    assert r.json()["sis_term_id"] is None and store.get("terms", 2).sis_term_id is None
    assert api.get(f"{TERMS}/sis_term_id:FALL", token="admin-token").status == 404


def test_update_dates_are_checked_in_the_request_only(api, store):
    """validate_dates compares the pairs of the request: an end alone before the stored start passes."""
    r = api.put(f"{TERMS}/2", token="admin-token", data={"enrollment_term[end_at]": "2026-01-01T00:00:00Z"})
    assert r.status == 200 and r.json()["end_at"] == "2026-01-01T00:00:00Z"
    before = mark(store)
    r = api.put(f"{TERMS}/2", token="admin-token", data={"enrollment_term[start_at]": "2026-03-05T00:00:00Z",
                                                         "enrollment_term[end_at]": "2026-03-03T00:00:00Z"})
    assert r.status == 400 and r.json() == BAD_DATES
    assert_unchanged(store, before)


def test_renaming_the_default_term_makes_it_deletable(api, store):
    store.insert("terms", root_account_id=1, name="Spare")
    r = api.put(f"{TERMS}/1", token="admin-token", data={"enrollment_term[name]": "Legacy Term"})
    assert r.status == 200 and store.get("terms", 1).default is False
    store._update("courses", store.get("courses", 1), enrollment_term_id=2)
    store._update("courses", store.get("courses", 2), enrollment_term_id=2)
    assert api.delete(f"{TERMS}/1", token="admin-token").json()["workflow_state"] == "deleted"


def test_naming_a_term_default_term_protects_it(api, store):
    r = api.put(f"{TERMS}/3", token="admin-token", data={"enrollment_term[name]": "Default Term"})
    assert r.status == 200 and store.get("terms", 3).default is True
    store._update("courses", store.get("courses", 4), enrollment_term_id=1)
    before = mark(store)
    r = api.delete(f"{TERMS}/3", token="admin-token")
    assert r.status == 400 and r.json() == errors(("workflow_state", "Cannot delete the default term"))
    assert_unchanged(store, before)


@pytest.mark.parametrize("ref", ["999", "sis_term_id:NOPE", "99999999999999999999"])
def test_update_unknown_term(api, store, ref):
    r = api.put(f"{TERMS}/{ref}", token="admin-token", data={"enrollment_term[name]": "X"})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


def test_update_finds_only_active_terms(api, store):
    gone = store.insert("terms", root_account_id=1, name="Old", workflow_state="deleted")
    before = mark(store)
    r = api.put(f"{TERMS}/{gone.id}", token="admin-token", data={"enrollment_term[name]": "Revived"})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store, before)


def test_update_without_the_hash_is_400(api, store):
    r = api.put(f"{TERMS}/2", token="admin-token", data={"name": "Flat"})
    assert r.status == 400 and r.json() == MISSING
    assert_unchanged(store)


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "Été 2026 — 夏", "line\nbreak\x00", "x" * 1000])
def test_hostile_names_are_kept(api, store, name):
    r = api.put(f"{TERMS}/2", token="admin-token", json={"enrollment_term": {"name": name}})
    assert r.status == 200 and r.json()["name"] == name and store.get("terms", 2).name == name


# -- delete ----------------------------------------------------------------------------------------

def test_delete_a_term_without_courses(api, store):
    spare = store.insert("terms", root_account_id=1, name="Spare", sis_term_id="SPARE",
                         overrides=(("StudentEnrollment", None, utc("2026-05-01T00:00:00Z")),))
    store.insert("courses", name="Gone", course_code="G", account_id=1, root_account_id=1,
                 enrollment_term_id=spare.id, workflow_state="deleted")
    store.live_events.clear()
    r = api.delete(f"{TERMS}/{spare.id}", token="admin-token")
    assert r.status == 200
    assert r.json() == term_json(store, spare.id) and r.json()["workflow_state"] == "deleted"
    assert list(r.json()) == ADMIN_TERM_KEYS  # no overrides: destroy renders the term without includes
    assert store.get("terms", spare.id).workflow_state == "deleted"
    ids = [t["id"] for t in api.get(TERMS, token="admin-token").json()["enrollment_terms"]]
    assert spare.id not in ids
    again = api.delete(f"{TERMS}/sis_term_id:SPARE", token="admin-token")
    assert again.status == 200 and again.json()["workflow_state"] == "deleted"
    assert store.live_events.all() == []


@pytest.mark.parametrize("ref,message_", [
    ("1", "Cannot delete the default term"), ("default", "Cannot delete the default term"),
    ("2", "Cannot delete a term with active courses"), ("3", "Cannot delete a term with active courses"),
])
def test_delete_refusals(api, store, ref, message_):
    r = api.delete(f"{TERMS}/{ref}", token="admin-token")
    assert r.status == 400 and r.json() == errors(("workflow_state", message_))
    assert_unchanged(store)


def test_delete_unknown_term(api, store):
    for ref in ("999", "sis_term_id:NOPE", "current_term"):
        r = api.delete(f"{TERMS}/{ref}", token="admin-token")
        assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


def test_a_user_without_enrollments_may_not_create(api, store):
    make_user(store, "new-token")
    before = mark(store)
    r = api.post(TERMS, token="new-token", data={"enrollment_term[name]": "X"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert_unchanged(store, before)
