"""GET /api/v1/accounts/:account_id/courses (AccountsController#courses_api).

Default world: account 1 (root; courses 1 and 3) and its sub-account 2 (courses 2 and 4).
"""

from __future__ import annotations

import pytest

from canvas_bodies import NOT_FOUND, SEARCH_TERM_TOO_SHORT, UNAUTHENTICATED, UNAUTHORIZED, ids

ADMIN = "admin-token"
URL = "/api/v1/accounts/1/courses"


def listed(api, query="", url=URL):
    r = api.get(f"{url}?{query}" if query else url, token=ADMIN)
    assert r.status == 200, r.text
    return ids(r)


def test_the_tree_by_id_without_enrollments(api):
    r = api.get(URL, token=ADMIN)
    assert ids(r) == [1, 2, 3, 4]
    assert all("enrollments" not in c for c in r.json())
    assert r.json()[0]["sis_course_id"] == "MOCK101-2024" and r.json()[0]["sis_import_id"] is None
    assert listed(api, url="/api/v1/accounts/2/courses") == [2, 4]
    assert listed(api, url="/api/v1/accounts/sis_account_id:SCI/courses") == [2, 4]
    assert listed(api, url="/api/v1/accounts/self/courses") == [1, 2, 3, 4]


@pytest.mark.parametrize("query,expected", [
    ("state[]=available", [1, 2]), ("state[]=claimed", [3]), ("state[]=unpublished", [3]),
    ("state[]=completed", [4]), ("state[]=deleted", []), ("state[]=all", [1, 2, 3, 4]),
    ("published=true", [1, 2]), ("published=false", [3, 4]),
    ("completed=true", [4]), ("completed=false", [1, 2, 3]),
    ("with_enrollments=true", [1, 2, 3, 4]), ("hide_enrollmentless_courses=1", [1, 2, 3, 4]),
    ("enrollment_type[]=ta", [1]), ("enrollment_type[]=student&enrollment_type[]=teacher", [1, 2, 3, 4]),
    ("enrollment_workflow_state[]=completed", [4]),
    ("enrollment_type[]=teacher&enrollment_workflow_state[]=active", [1, 2, 3]),
    ("by_teachers[]=2", [1, 2, 3, 4]), ("by_teachers[]=sis_user_id:S-006", []), ("by_teachers[]=999", []),
    ("by_subaccounts[]=2", [2, 4]), ("by_subaccounts[]=sis_account_id:SCI", [2, 4]),
    ("enrollment_term_id=2", [3]), ("enrollment_term_id=sis_term_id:2026-SP", [4]),
    ("enrollment_term_id=default", [1, 2]), ("enrollment_term_id[]=1&enrollment_term_id[]=999", [1, 2]),
    ("public=true", []), ("public=false", [1, 2, 3, 4]), ("blueprint=true", []), ("homeroom=true", []),
    ("blueprint_associated=true", []),
    ("search_term=mocking", [1, 2, 3, 4]), ("search_term=MOCK3", [3]), ("search_term=drafts", [3]),
    ("search_term=10", [1]), ("search_term=2026SP", [4]), ("search_term=terry&search_by=teacher", [1, 2, 3]),
    ("sort=course_name", [2, 4, 1, 3]), ("sort=course_name&order=desc", [3, 1, 4, 2]),
    ("sort=course_status", [3, 1, 2, 4]), ("sort=sis_course_id", [4, 1, 2, 3]), ("order=desc", [4, 3, 2, 1]),
    ("sort=account_name", [1, 3, 2, 4]), ("sort=term", [1, 2, 3, 4]), ("sort=teacher", [1, 2, 3, 4]),
])
def test_filters_and_sorts(api, query, expected):
    assert listed(api, query) == expected


def test_deleted_courses_with_state_all(api, store):
    api.delete("/api/v1/courses/2?event=delete", token=ADMIN)
    assert listed(api) == [1, 3, 4]
    assert listed(api, "state[]=all") == [1, 2, 3, 4]
    assert listed(api, "state[]=deleted") == [2]


def test_the_term_dates_decide_completed(api, store):
    store._update("terms", store.get("terms", 2), end_at=store.now().replace(year=2000))
    assert listed(api, "completed=true") == [3, 4]


def test_dates(api, store):
    store._update("courses", store.get("courses", 1), start_at=store.now().replace(year=2030))
    assert listed(api, "starts_before=2029-01-01T00:00:00Z") == [2, 3, 4]
    store._update("courses", store.get("courses", 2), end_at=store.now().replace(year=2001))
    assert listed(api, "ends_after=2010-01-01T00:00:00Z") == [1, 3, 4]


@pytest.mark.parametrize("query,name", [
    ("enrollment_type=student", "enrollment_type"), ("enrollment_type[]=bogus", "enrollment_type"),
    ("enrollment_workflow_state=active", "enrollment_workflow_state"),
    ("enrollment_workflow_state[]=nope", "enrollment_workflow_state"),
])
def test_array_params_must_be_arrays_of_known_values(api, query, name):
    r = api.get(f"{URL}?{query}", token=ADMIN)
    assert r.status == 400 and r.json() == {"message": f"Invalid value provided to '{name}'"}


@pytest.mark.parametrize("term", ["", "a", "%20"])
def test_search_term_is_validated_even_empty(api, term):
    r = api.get(f"{URL}?search_term={term}", token=ADMIN)
    assert r.status == 400 and r.json() == SEARCH_TERM_TOO_SHORT


def test_hostile_search_terms(api):
    for term in ("<script>", "x" * 3000, "\u00e9\u00e9", "a\x00b", str(2**70)):
        r = api.get(URL, token=ADMIN, params={"search_term": term})
        assert r.status == 200 and r.json() == []


def test_unknown_single_term_is_404(api):
    assert api.get(f"{URL}?enrollment_term_id=999", token=ADMIN).json() == NOT_FOUND


def test_includes_are_a_subset(api):
    r = api.get(f"{URL}?include[]=permissions&include[]=sections&include[]=needs_grading_count"
                "&include[]=total_scores&include[]=term&include[]=total_students&include[]=teachers"
                "&include[]=account_name&include[]=concluded", token=ADMIN)
    c = r.json()[0]
    assert not {"permissions", "sections", "needs_grading_count"} & set(c)
    assert c["term"]["id"] == 1 and c["total_students"] == 14 and c["teachers"][0]["id"] == 2
    assert c["account_name"] == "Mock University" and c["concluded"] is False


def test_pages_without_a_total(api):
    r = api.get(f"{URL}?per_page=2&state[]=all", token=ADMIN)
    assert ids(r) == [1, 2]
    base = f"{api.base_url}{URL}?state%5B%5D=all&"
    assert r.headers["Link"] == (f'<{base}page=1&per_page=2>; rel="current",<{base}page=2&per_page=2>; rel="next",'
                                 f'<{base}page=1&per_page=2>; rel="first"')
    r2 = api.get(r.links["next"], token=ADMIN)
    assert ids(r2) == [3, 4] and "last" not in r2.links and "next" in r2.links  # a full page
    r3 = api.get(r2.links["next"], token=ADMIN)
    assert r3.json() == [] and set(r3.links) == {"current", "prev", "first"}
    r4 = api.get(f"{URL}?per_page=3", token=ADMIN)
    r5 = api.get(r4.links["next"], token=ADMIN)
    assert ids(r5) == [4] and r5.links["last"] == r5.links["current"] and "next" not in r5.links


def test_a_huge_page_is_empty(api):
    r = api.get(f"{URL}?page={2**70}", token=ADMIN)
    assert r.status == 200 and r.json() == []


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "student-token", "outsider-token"])
def test_only_admins_list_an_account(api, token):
    r = api.get(URL, token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_unknown_account_and_no_token(api):
    for ref in ("999", "sis_account_id:NOPE", str(2**63)):
        assert api.get(f"/api/v1/accounts/{ref}/courses", token=ADMIN).json() == NOT_FOUND
    assert api.get(URL, token=None).json() == UNAUTHENTICATED
