"""GET /accounts/:account_id/users (UsersController#api_index, lib/user_search.rb;
canvas-facts-courses-users 6.4): who may list, which users, search, filters, order, includes and the
pagination without a total (bookmark pages with ``sort=id``).

Default world: every user (1-20) has a login in root account 1; sub-account 2 (School of Science)
holds course 2 (teacher 2, students 6 and 8) and course 4 (user 2 and 6, completed).
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from users_support import answer_as, assert_unchanged, marker, set_account

from canvas_bodies import NOT_FOUND, SEARCH_TERM_TOO_SHORT, UNAUTHENTICATED, UNAUTHORIZED, by_sortable, ids

ADMIN = "admin-token"
ALL_USERS = list(range(1, 21))
ITEM_KEYS = ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id", "integration_id",
             "sis_import_id", "login_id"]
INVALID_PAGE = {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}


def walk(api, path, token=ADMIN):
    """Follow ``next`` links from ``path``; return (ids in order, the responses)."""
    seen, pages, url = [], [], path
    while url:
        r = api.get(url, token=token)
        assert r.status == 200, r.text
        pages.append(r)
        seen += ids(r)
        url = r.links.get("next")
        assert len(pages) < 50
    return seen, pages


def page_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["page"][0]


# -- the users of an account -------------------------------------------------------------------

def test_root_account_lists_every_live_user_by_sortable_name(api, store):
    r = api.get("/api/v1/accounts/1/users?per_page=100", token=ADMIN)
    assert r.status == 200
    assert ids(r) == by_sortable(store, ALL_USERS)
    sam = next(u for u in r.json() if u["id"] == 6)
    assert list(sam) == ITEM_KEYS
    assert (sam["sis_user_id"], sam["login_id"], sam["integration_id"], sam["sis_import_id"]) == \
        ("S-006", "student", None, None)


def test_sub_account_lists_users_of_its_courses_and_admins(api, store):
    assert ids(api.get("/api/v1/accounts/2/users", token=ADMIN)) == by_sortable(store, [2, 6, 8])
    store.insert("admins", account_id=2, user_id=20)
    store._update("enrollments", next(e for e in store.all("enrollments") if e.course_id == 2 and e.user_id == 8),
                  workflow_state="deleted")
    assert ids(api.get("/api/v1/accounts/sis_account_id:SCI/users", token=ADMIN)) == by_sortable(store, [2, 6, 20])


def test_deleted_users_are_left_out(api, store):
    store._update("users", store.get("users", 7), workflow_state="deleted")
    got = ids(api.get("/api/v1/accounts/self/users?per_page=100", token=ADMIN))
    assert 7 not in got and len(got) == 19


def test_a_user_of_another_root_enrolled_here_is_listed(api, store):
    store.insert("accounts", id=50, name="Other U")
    store.insert("users", id=60, name="Visiting Victor", sortable_name="Victor, Visiting", short_name="Victor",
                 account_id=50)
    store.insert("enrollments", user_id=60, course_id=1, course_section_id=1, type="StudentEnrollment")
    assert ids(api.get("/api/v1/accounts/1/users?per_page=100", token=ADMIN)) == by_sortable(store, ALL_USERS + [60])
    assert api.get("/api/v1/accounts/50/users", token=ADMIN).status == 401  # not an admin of Other U
    store.insert("admins", account_id=50, user_id=1)
    assert ids(api.get("/api/v1/accounts/50/users", token=ADMIN)) == [1, 60]  # an admin row associates too


# -- who -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["teacher", "ta", "designer", "student", "observer", "outsider"])
def test_only_admins_may_list(api, store, role):
    answer_as(store, role, 401, lambda token: api.get("/api/v1/accounts/1/users", token=token),
              refused=(401, UNAUTHORIZED))


def test_no_token_and_unknown_accounts(api):
    r = api.get("/api/v1/accounts/1/users", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    for ref in ("999", "sis_account_id:NOPE", "99999999999999999999999", "abc"):
        r = api.get(f"/api/v1/accounts/{ref}/users", token=ADMIN)
        assert (ref, r.status, r.json()) == (ref, 404, NOT_FOUND)


# -- pagination without a total ----------------------------------------------------------------

def test_pages_have_no_last_until_a_partial_page(api, store):
    seen, pages = walk(api, "/api/v1/accounts/1/users?per_page=6")
    assert seen == by_sortable(store, ALL_USERS)
    assert [len(p.json()) for p in pages] == [6, 6, 6, 2]
    first, last = pages[0].links, pages[-1].links
    assert list(first) == ["current", "next", "first"]
    assert page_of(first["next"]) == "2" and first["current"].startswith(f"{api.base_url}/api/v1/accounts/1/users?")
    assert list(last) == ["current", "prev", "first", "last"] and last["last"] == last["current"]


def test_a_full_last_page_still_links_to_an_empty_next(api):
    seen, pages = walk(api, "/api/v1/accounts/1/users?per_page=10")
    assert [len(p.json()) for p in pages] == [10, 10, 0]
    assert list(pages[-1].links) == ["current", "prev", "first"]


def test_links_keep_the_query(api):
    r = api.get("/api/v1/accounts/1/users?search_term=student&include[]=email&per_page=2", token=ADMIN)
    nxt = r.links["next"]
    assert "include%5B%5D=email" in nxt and "search_term=student" in nxt and nxt.endswith("page=2&per_page=2")


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_bad_page_is_404(api, page):
    r = api.get(f"/api/v1/accounts/1/users?page={page}", token=ADMIN)
    assert r.status == 404 and r.json() == INVALID_PAGE


def test_per_page_is_clamped(api):
    assert len(api.get("/api/v1/accounts/1/users?per_page=0", token=ADMIN).json()) == 1
    assert len(api.get("/api/v1/accounts/1/users?per_page=1000", token=ADMIN).json()) == 20


def test_sort_id_pages_with_bookmarks(api, store):
    seen, pages = walk(api, "/api/v1/accounts/1/users?sort=id&per_page=7")
    assert seen == ALL_USERS
    assert page_of(pages[0].links["current"]) == "first"
    assert page_of(pages[0].links["next"]).startswith("bookmark:")
    assert "prev" not in pages[1].links and "last" not in pages[0].links
    assert pages[-1].links["last"] == pages[-1].links["current"]
    desc, _ = walk(api, "/api/v1/accounts/1/users?sort=id&order=desc&per_page=7")
    assert desc == ALL_USERS[::-1]
    assert api.get("/api/v1/accounts/1/users?sort=id&page=2", token=ADMIN).status == 404


# -- search and filters --------------------------------------------------------------------------

def test_search_term(api, store):
    assert ids(api.get("/api/v1/accounts/1/users?search_term=Terry", token=ADMIN)) == [2]
    assert ids(api.get("/api/v1/accounts/1/users?search_term=t-002", token=ADMIN)) == [2]  # SIS id
    assert ids(api.get("/api/v1/accounts/1/users?search_term=outsider%40example", token=ADMIN)) == [20]  # e-mail
    assert 20 in ids(api.get("/api/v1/accounts/1/users?search_term=20", token=ADMIN))  # the full id
    # the name only, not the sortable or short name
    store._update("users", store.get("users", 2), short_name="Zed")
    assert ids(api.get("/api/v1/accounts/1/users?search_term=Zed", token=ADMIN)) == []
    assert ids(api.get("/api/v1/accounts/1/users?search_term=%3Cscript%3E", token=ADMIN)) == []
    blank = api.get("/api/v1/accounts/1/users?search_term=%20%20&per_page=100", token=ADMIN)
    assert ids(blank) == by_sortable(store, ALL_USERS)


@pytest.mark.parametrize("term", ["a", "%20a%20"])
def test_search_term_too_short(api, term):
    r = api.get(f"/api/v1/accounts/1/users?search_term={term}", token=ADMIN)
    assert r.status == 400 and r.json() == SEARCH_TERM_TOO_SHORT


def test_enrollment_type(api, store):
    assert ids(api.get("/api/v1/accounts/1/users?enrollment_type=teacher", token=ADMIN)) == [2]
    assert ids(api.get("/api/v1/accounts/1/users?enrollment_type=TaEnrollment", token=ADMIN)) == [3]
    students = ids(api.get("/api/v1/accounts/1/users?enrollment_type=student&per_page=100", token=ADMIN))
    assert students == by_sortable(store, range(6, 20))
    # active enrollments only: user 5 observes course 1; a completed one does not count
    assert ids(api.get("/api/v1/accounts/2/users?enrollment_type=observer", token=ADMIN)) == []


@pytest.mark.parametrize("value", ["bogus", "", "TA", "students"])
def test_unknown_enrollment_type_is_400(api, value):
    r = api.get(f"/api/v1/accounts/1/users?enrollment_type={value}", token=ADMIN)
    assert r.status == 400 and r.json() == {"errors": [{"message": f"Invalid enrollment type: {value}"}]}


def test_uuids_filter(api, store):
    wanted = [store.get("users", i).uuid for i in (7, 3)]
    r = api.get("/api/v1/accounts/1/users", token=ADMIN, params=[("uuids[]", u) for u in wanted])
    assert ids(r) == by_sortable(store, [3, 7])
    r = api.get("/api/v1/accounts/1/users", token=ADMIN, params=[("uuids[]", str(i)) for i in range(101)])
    assert r.status == 400 and r.json() == {"error": "Too many UUIDs in filter. Current limit is 100"}


# -- order -----------------------------------------------------------------------------------------

def test_sort_username_desc_and_order_alone_ignored(api, store):
    asc = by_sortable(store, ALL_USERS)
    assert ids(api.get("/api/v1/accounts/1/users?sort=username&order=desc&per_page=100", token=ADMIN)) == asc[::-1]
    assert ids(api.get("/api/v1/accounts/1/users?order=desc&per_page=100", token=ADMIN)) == asc


def test_sort_sis_id_and_email(api, store):
    got = ids(api.get("/api/v1/accounts/1/users?sort=sis_id&per_page=100", token=ADMIN))
    with_sis = sorted((u for u in store.all("users") if u.sis_user_id), key=lambda u: u.sis_user_id.casefold())
    assert got[:len(with_sis)] == [u.id for u in with_sis]  # then the users without one
    store._update("users", store.get("users", 20), email=None)
    emails = sorted(((u.email.casefold(), u.id) for u in store.all("users") if u.email), reverse=True)
    got = ids(api.get("/api/v1/accounts/1/users?sort=email&order=desc&per_page=100", token=ADMIN))
    assert got[:len(emails)] == [i for _, i in emails] and got[-1] == 20  # no e-mail: last both ways
    got = ids(api.get("/api/v1/accounts/1/users?sort=email&per_page=100", token=ADMIN))
    assert got[:len(emails)] == [i for _, i in reversed(emails)] and got[-1] == 20


def test_sort_last_login_includes_it(api, store):
    store._update("users", store.get("users", 9), last_login=datetime(2026, 1, 2, tzinfo=timezone.utc))
    store._update("users", store.get("users", 4), last_login=datetime(2026, 1, 1, tzinfo=timezone.utc))
    r = api.get("/api/v1/accounts/1/users?sort=last_login&per_page=3", token=ADMIN)
    assert ids(r)[:2] == [4, 9] and r.json()[0]["last_login"] == "2026-01-01T00:00:00Z"
    assert r.json()[2]["last_login"] is None


# -- include[] -----------------------------------------------------------------------------------

def test_includes(api, store):
    set_account(store, 1, avatars=True)
    store._update("users", store.get("users", 6), time_zone="America/Denver")
    q = "include[]=email&include[]=uuid&include[]=time_zone&include[]=avatar_url&include[]=locale&search_term=S-006"
    [sam] = api.get(f"/api/v1/accounts/1/users?{q}", token=ADMIN).json()
    assert list(sam) == ITEM_KEYS + ["avatar_url", "email", "time_zone", "uuid"]
    assert (sam["email"], sam["time_zone"], sam["uuid"]) == ("student@example.edu", "Mountain Time (US & Canada)",
                                                            store.get("users", 6).uuid)


def test_ui_invoked_counts_pages(api):
    r = api.get("/api/v1/accounts/1/users?include[]=ui_invoked&per_page=5", token=ADMIN)
    assert page_of(r.links["last"]) == "4"


@pytest.mark.parametrize("term", ["9" * 30, "x" * 5000, "tab\there", "Zoë", "%00%01", "100%25"])
def test_hostile_search_terms_find_nothing_and_never_fail(api, store, term):
    mark = marker(store)
    r = api.get(f"/api/v1/accounts/1/users?search_term={term}", token=ADMIN)
    assert r.status == 200 and ids(r) == []
    assert_unchanged(store, mark)


def test_json_twin_and_odd_parameters(api, store):
    r = api.get("/api/v1/accounts/1/users.json?per_page=2", token=ADMIN)
    assert r.status == 200 and "/users.json" not in r.links["next"]
    r = api.get("/api/v1/accounts/1/users?sort=bogus&order=sideways&per_page=100", token=ADMIN)
    assert ids(r) == by_sortable(store, ALL_USERS)  # unknown sort and order: the default
    r = api.get("/api/v1/accounts/1/users?uuids=not-a-list", token=ADMIN)
    assert r.status == 200 and ids(r) == []
