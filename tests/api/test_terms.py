"""Reading enrollment terms: GET /accounts/:id/terms and /terms/:id (TermsApiController): the
wrapped list, its order, filters, includes and Link headers, the term id forms, who may read, and
the sub-account refusal (canvas-facts-courses-users section 8; spec/apis/v1/terms_api_spec.rb)."""

from __future__ import annotations

import pytest
from accounts_support import (ADMIN_TERM_KEYS, TERM_KEYS, add_tokens, assert_unchanged, enroll, link, make_account,
                              make_admin, make_user, message, term_json, utc)
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

from mockcanvas.clock import FrozenClock

ROOT_ONLY = message("Terms only belong to root_accounts.")
INVALID_PAGE = {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}
TERMS = "/api/v1/accounts/1/terms"


def term_ids(resp) -> list[int]:
    assert resp.status == 200, resp.text
    return [t["id"] for t in resp.json()["enrollment_terms"]]


@pytest.fixture
def clock_at(store):
    """``clock_at("2026-09-01T00:00:00Z")`` freezes the store's clock for this test."""
    original = store.clock

    def at(text: str) -> None:
        store.clock = FrozenClock(text)

    yield at
    store.clock = original


# -- the list --------------------------------------------------------------------------------------

def test_admin_lists_the_terms(api, store):
    r = api.get(TERMS, token="admin-token")
    assert r.status == 200
    body = r.json()
    assert list(body) == ["enrollment_terms"]
    assert body["enrollment_terms"] == [term_json(store, i) for i in (1, 2, 3)]  # NULL dates first, then start DESC
    assert all(list(t) == ADMIN_TERM_KEYS for t in body["enrollment_terms"])
    fall = body["enrollment_terms"][1]
    assert (fall["name"], fall["sis_term_id"], fall["start_at"], fall["end_at"]) == (
        "Fall 2026", "2026-FA", "2026-08-17T00:00:00Z", "2026-12-18T00:00:00Z")
    assert r.headers["Link"] == link(api, TERMS, current="1&per_page=10", first="1&per_page=10", last="1&per_page=10")
    assert_unchanged(store)


def test_includes_overrides_and_course_count(api, store):
    r = api.get(f"{TERMS}?include[]=overrides&include[]=course_count", token="admin-token")
    terms = r.json()["enrollment_terms"]
    assert terms == [term_json(store, i, overrides={}, course_count=n) for i, n in ((1, 2), (2, 1), (3, 1))]
    assert list(terms[0]) == ADMIN_TERM_KEYS + ["overrides", "course_count"]


def test_course_count_of_the_default_term_counts_courses_without_a_term(api, store):
    store.insert("courses", name="Termless", course_code="T", account_id=1, root_account_id=1,
                 enrollment_term_id=None)
    store.insert("courses", name="Gone", course_code="G", account_id=1, root_account_id=1, enrollment_term_id=2,
                 workflow_state="deleted")
    counts = {t["id"]: t["course_count"] for t in
              api.get(f"{TERMS}?include[]=course_count", token="admin-token").json()["enrollment_terms"]}
    assert counts == {1: 3, 2: 1, 3: 1}


def test_overrides_show_the_types_with_a_date(api, store):
    spring = store.get("terms", 3)
    store._update("terms", spring, overrides=(("StudentEnrollment", None, utc("2026-05-01T00:00:00Z")),
                                              ("TeacherEnrollment", None, None)))
    body = api.get(f"{TERMS}?include[]=overrides", token="admin-token").json()["enrollment_terms"][2]
    assert body["overrides"] == {"StudentEnrollment": {"start_at": None, "end_at": "2026-05-01T00:00:00Z"}}


def test_ordering_start_desc_end_desc_id(api, store):
    a = store.insert("terms", root_account_id=1, name="A", start_at=utc("2026-08-17T00:00:00Z"))  # no end
    b = store.insert("terms", root_account_id=1, name="B", start_at=utc("2026-08-17T00:00:00Z"),
                     end_at=utc("2027-01-01T00:00:00Z"))
    c = store.insert("terms", root_account_id=1, name="C", end_at=utc("2030-01-01T00:00:00Z"))  # no start
    d = store.insert("terms", root_account_id=1, name="D", start_at=utc("2026-08-17T00:00:00Z"),
                     end_at=utc("2027-01-01T00:00:00Z"))
    r = api.get(f"{TERMS}?per_page=100", token="admin-token")
    assert term_ids(r) == [1, c.id, a.id, b.id, d.id, 2, 3]


@pytest.mark.parametrize("query,expected", [
    ("", [1, 2, 3]), ("workflow_state[]=active", [1, 2, 3]), ("workflow_state[]=deleted", ["gone"]),
    ("workflow_state=deleted", ["gone"]), ("workflow_state[]=all", [1, "gone", 2, 3]),
    ("workflow_state[]=active&workflow_state[]=deleted", [1, "gone", 2, 3]),
    ("workflow_state[]=bogus", [1, 2, 3]), ("workflow_state[]=bogus&workflow_state[]=deleted", ["gone"]),
])
def test_workflow_state_filter(api, store, query, expected):
    gone = store.insert("terms", root_account_id=1, name="Old", workflow_state="deleted")
    wanted = [gone.id if i == "gone" else i for i in expected]
    assert term_ids(api.get(f"{TERMS}?{query}", token="admin-token")) == wanted


@pytest.mark.parametrize("term_name,expected", [
    ("fall", [2]), ("2026", [2, 3]), ("SPRING 2026", [3]), ("%", [1, 2, 3]), ("_all", [2]), ("f_ll", [2]),
    ("", [1, 2, 3]), ("   ", [1, 2, 3]), ("winter", []), ("\\%", []), ("<script>", []), ("térm", []),
])
def test_term_name_is_an_ilike_substring(api, store, term_name, expected):
    r = api.get(TERMS, token="admin-token", params={"term_name": term_name})
    assert term_ids(r) == expected


def test_pages(api, store):
    r = api.get(f"{TERMS}?per_page=2", token="admin-token")
    assert term_ids(r) == [1, 2]
    assert r.headers["Link"] == link(api, TERMS, current="1&per_page=2", next="2&per_page=2", first="1&per_page=2",
                                     last="2&per_page=2")
    r = api.get(r.links["next"], token="admin-token")
    assert term_ids(r) == [3] and "next" not in r.links
    r = api.get(f"{TERMS}?page=0", token="admin-token")
    assert r.status == 404 and r.json() == INVALID_PAGE


def test_link_keeps_the_query_and_the_path_as_sent(api, store):
    r = api.get("/api/v1/accounts/self/terms?include[]=overrides&term_name=2026&per_page=1", token="admin-token")
    assert r.links["next"] == (f"{api.base_url}/api/v1/accounts/self/terms?include%5B%5D=overrides&term_name=2026"
                               "&page=2&per_page=1")


# -- who may read ----------------------------------------------------------------------------------

@pytest.mark.parametrize("token", ["teacher-token", "ta-token"])
def test_teachers_and_tas_read_terms_without_sis_ids(api, store, token):
    r = api.get(TERMS, token=token)
    assert r.json()["enrollment_terms"] == [term_json(store, i, admin=False) for i in (1, 2, 3)]
    assert list(r.json()["enrollment_terms"][0]) == TERM_KEYS


@pytest.mark.parametrize("token", ["designer-token", "observer-token", "student-token", "outsider-token"])
def test_others_may_not_read_terms(api, store, token):
    add_tokens(store)
    for path in (TERMS, f"{TERMS}/1"):
        r = api.get(path, token=token)
        assert r.status == 401 and r.json() == UNAUTHORIZED


def test_sub_account_admin_reads_the_root_accounts_terms(api, store):
    make_admin(store, 2)
    r = api.get(TERMS, token="subadmin-token")
    assert r.json()["enrollment_terms"] == [term_json(store, i, admin=False) for i in (1, 2, 3)]


def test_instructor_enrollment_in_any_state_but_deleted_reads_terms(api, store):
    """enrollments.active.of_instructor_type: Enrollment.active leaves out deleted enrollments only."""
    user = make_user(store, "t2-token")
    enroll(store, user.id, 4, state="completed")
    assert api.get(TERMS, token="t2-token").status == 200
    other = make_user(store, "t3-token")
    enroll(store, other.id, 1, state="deleted")
    enroll(store, other.id, 1, "DesignerEnrollment")
    assert api.get(TERMS, token="t3-token").status == 401


def test_no_token_and_bad_token(api, store):
    r = api.get(TERMS, token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert api.get(TERMS, token="nope").status == 401


@pytest.mark.parametrize("token", ["admin-token", "teacher-token", "student-token"])
def test_a_sub_account_has_no_terms(api, store, token):
    for path in ("/api/v1/accounts/2/terms", "/api/v1/accounts/2/terms/1", "/api/v1/accounts/sis_account_id:SCI/terms"):
        r = api.get(path, token=token)
        assert r.status == 400 and r.json() == ROOT_ONLY


def test_unknown_account(api, store):
    for ref in ("999", "sis_account_id:NOPE", "99999999999999999999"):
        r = api.get(f"/api/v1/accounts/{ref}/terms", token="admin-token")
        assert r.status == 404 and r.json() == NOT_FOUND


def test_another_root_accounts_terms(api, store):
    other = make_account(store, "Other U", None)
    theirs = store.insert("terms", root_account_id=other.id, name="Their Term", sis_term_id="2026-FA")
    store.insert("admins", account_id=other.id, user_id=1)
    assert term_ids(api.get(f"/api/v1/accounts/{other.id}/terms", token="admin-token")) == [theirs.id]
    assert api.get(f"{TERMS}/{theirs.id}", token="admin-token").status == 404
    assert api.get(f"/api/v1/accounts/{other.id}/terms/sis_term_id:2026-FA", token="admin-token").json()["id"] \
        == theirs.id
    assert api.get(f"{TERMS}/sis_term_id:2026-FA", token="admin-token").json()["id"] == 2
    assert api.get(f"/api/v1/accounts/{other.id}/terms", token="teacher-token").status == 401


# -- one term --------------------------------------------------------------------------------------

def test_show_includes_course_count_and_overrides(api, store):
    r = api.get(f"{TERMS}/2", token="admin-token")
    assert r.status == 200
    assert r.json() == term_json(store, 2, overrides={}, course_count=1)
    assert list(r.json()) == ADMIN_TERM_KEYS + ["overrides", "course_count"]
    teacher = api.get(f"{TERMS}/2", token="teacher-token").json()
    assert teacher == term_json(store, 2, admin=False, overrides={}, course_count=1)


@pytest.mark.parametrize("ref,expected", [
    ("1", 1), ("default", 1), ("sis_term_id:2026-SP", 3), ("hex:sis_term_id:323032362d5350", 3), ("3.json", 3),
])
def test_term_id_forms(api, store, ref, expected):
    r = api.get(f"{TERMS}/{ref}", token="admin-token")
    assert r.status == 200 and r.json()["id"] == expected


def test_integration_id_form(api, store):
    t = store.insert("terms", root_account_id=1, name="Summer", integration_id="SUM-INT")
    assert api.get(f"{TERMS}/sis_integration_id:SUM-INT", token="admin-token").json()["id"] == t.id


@pytest.mark.parametrize("now,expected", [
    ("2026-09-01T12:00:00Z", 2), ("2026-02-01T00:00:00Z", 3), ("2026-06-15T00:00:00Z", None),
    ("2026-08-17T00:00:00Z", 2),
])
def test_current_term(api, store, clock_at, now, expected):
    clock_at(now)
    r = api.get(f"{TERMS}/current", token="admin-token")
    if expected is None:
        assert r.status == 404 and r.json() == NOT_FOUND
    else:
        assert r.status == 200 and r.json()["id"] == expected


def test_no_current_term_when_two_match(api, store, clock_at):
    clock_at("2026-09-01T00:00:00Z")
    store.insert("terms", root_account_id=1, name="Overlap", start_at=utc("2026-08-01T00:00:00Z"),
                 end_at=utc("2026-10-01T00:00:00Z"))
    r = api.get(f"{TERMS}/current", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND


def test_show_finds_a_deleted_term(api, store):
    gone = store.insert("terms", root_account_id=1, name="Old", workflow_state="deleted")
    r = api.get(f"{TERMS}/{gone.id}", token="admin-token")
    assert r.status == 200 and r.json()["workflow_state"] == "deleted"


@pytest.mark.parametrize("ref", ["999", "sis_term_id:NOPE", "sis_course_id:MOCK101-2024", "9223372036854775808",
                                 "current_term", "abc", "-1"])
def test_unknown_terms_are_404(api, store, ref):
    r = api.get(f"{TERMS}/{ref}", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)
