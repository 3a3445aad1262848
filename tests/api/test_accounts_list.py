"""The account lists: GET /accounts (AccountsController#index), GET /course_accounts and GET
/accounts/:id/sub_accounts (AccountsController#sub_accounts): members, order, includes, Link
headers (bookmark pages for the first two, page numbers for the sub-accounts, no total when
recursive) and who may list (canvas-facts-courses-users sections 1, 7.2 and 10)."""

from __future__ import annotations

import pytest
from accounts_support import (READ_ONLY_KEYS, ROOT_KEYS, add_tokens, assert_unchanged, enroll, link, make_account,
                              make_admin, make_user, read_only_json, root_json, sub_json)
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED, ids

INVALID_PAGE = {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}


def walk(api, url, token="admin-token"):
    """Every page of a list by its ``next`` links: (ids per page, Link rels per page)."""
    pages, rels = [], []
    while url:
        r = api.get(url, token=token)
        assert r.status == 200, r.text
        pages.append(ids(r))
        rels.append(list(r.links))
        url = r.links.get("next")
    return pages, rels


# -- GET /api/v1/accounts ------------------------------------------------------------------------

def test_admin_lists_the_accounts_they_administer(api, store):
    r = api.get("/api/v1/accounts", token="admin-token")
    assert r.status == 200
    assert r.json() == [root_json(store, 1)]
    assert list(r.json()[0]) == ROOT_KEYS
    assert r.headers["Link"] == link(api, "/api/v1/accounts", current="first&per_page=10",
                                     first="first&per_page=10", last="first&per_page=10")
    assert_unchanged(store)


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "student-token", "outsider-token"])
def test_non_admins_get_an_empty_list(api, store, token):
    r = api.get("/api/v1/accounts", token=token)
    assert r.status == 200 and r.json() == []
    assert set(r.links) == {"current", "first", "last"}


def test_no_token(api):
    r = api.get("/api/v1/accounts", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED


def test_admin_rows_give_accounts_by_name_without_sub_accounts_or_duplicates(api, store):
    alpha = make_account(store, "alpha Institute", None)  # a second root account; lower-case name
    closed = make_account(store, "Closed", 1, workflow_state="deleted")
    make_account(store, "Below", 2)                         # below an administered account: not listed
    for account_id in (2, alpha.id, 2, closed.id):
        store.insert("admins", account_id=account_id, user_id=1)
    store.insert("admins", account_id=make_account(store, "Revoked", 1).id, user_id=1, workflow_state="deleted")
    r = api.get("/api/v1/accounts", token="admin-token")
    assert ids(r) == [alpha.id, 1, 2]  # Account::Bookmarker: name (case-insensitive), id
    assert r.json()[2] == sub_json(store, 2)


def test_bookmark_pages(api, store):
    made = [make_account(store, f"Dept {n}", 1).id for n in range(4)]
    for account_id in made:
        store.insert("admins", account_id=account_id, user_id=1)
    pages, rels = walk(api, "/api/v1/accounts?per_page=2")
    assert pages == [made[:2], made[2:], [1]]  # "Dept n" < "Mock University"
    assert rels[0] == ["current", "next", "first"] and rels[-1] == ["current", "first", "last"]
    last = api.get("/api/v1/accounts?per_page=2", token="admin-token").links["next"]
    assert "page=bookmark%3A" in last or "page=bookmark:" in last
    r = api.get("/api/v1/accounts?page=2", token="admin-token")
    assert r.status == 404 and r.json() == INVALID_PAGE


def test_include_or_legacy_includes(api, store):
    one = api.get("/api/v1/accounts?include[]=course_count", token="admin-token").json()[0]
    legacy = api.get("/api/v1/accounts?includes[]=course_count", token="admin-token").json()[0]
    assert one == legacy == root_json(store, 1, course_count=2)
    both = api.get("/api/v1/accounts?include[]=global_id&includes[]=course_count", token="admin-token").json()[0]
    assert both == root_json(store, 1, global_id=1)  # include[] wins over includes[]
    keys = api.get("/api/v1/accounts?include[]=services", token="admin-token").json()[0]
    assert keys["services"] == {"google_docs_previews": True, "skype": False, "delicious": False, "avatars": False}


# -- GET /api/v1/course_accounts -----------------------------------------------------------------

@pytest.mark.parametrize("token,expected", [
    ("teacher-token", [1, 2]), ("ta-token", [1]), ("designer-token", [1]),
    ("observer-token", []), ("student-token", []), ("outsider-token", []), ("admin-token", []),
])
def test_course_accounts(api, store, token, expected):
    add_tokens(store)
    r = api.get("/api/v1/course_accounts", token=token)
    assert r.status == 200
    assert ids(r) == expected
    assert r.json() == [read_only_json(store, i) for i in expected]
    assert all(list(a) == READ_ONLY_KEYS for a in r.json())
    assert r.headers["Link"] == link(api, "/api/v1/course_accounts", current="first&per_page=10",
                                     first="first&per_page=10", last="first&per_page=10")


def test_course_accounts_follow_enrollment_admin(api, store):
    user = make_user(store, "t2-token")
    enroll(store, user.id, 4, state="completed")        # a completed course: not listed
    enroll(store, user.id, 3, state="invited")          # unpublished course 3 (account 1)
    enroll(store, user.id, 2, "StudentEnrollment")      # a student enrollment: not listed
    assert ids(api.get("/api/v1/course_accounts", token="t2-token")) == [1]


def test_course_accounts_pages_with_bookmarks(api, store):
    pages, rels = walk(api, "/api/v1/course_accounts?per_page=1", token="teacher-token")
    assert pages == [[1], [2]]
    assert rels == [["current", "next", "first"], ["current", "first", "last"]]
    r = api.get("/api/v1/course_accounts?page=3", token="teacher-token")
    assert r.status == 404 and r.json() == INVALID_PAGE


# -- GET /api/v1/accounts/:id/sub_accounts -------------------------------------------------------

@pytest.fixture
def tree(store):
    """1 -> 2 (SCI), 3 Zeta, 4 alpha, 6 (deleted); 2 -> 5 Beta; 5 -> 7 Omega."""
    zeta = make_account(store, "Zeta", 1)
    alpha = make_account(store, "alpha", 1)
    beta = make_account(store, "Beta", 2)
    make_account(store, "Gone", 1, workflow_state="deleted")
    omega = make_account(store, "Omega", beta.id)
    return {"zeta": zeta.id, "alpha": alpha.id, "beta": beta.id, "omega": omega.id}


def test_direct_sub_accounts_by_id(api, store, tree):
    r = api.get("/api/v1/accounts/1/sub_accounts", token="admin-token")
    assert r.status == 200
    assert ids(r) == [2, tree["zeta"], tree["alpha"]]
    assert r.json()[0] == sub_json(store, 2)
    assert r.headers["Link"] == link(api, "/api/v1/accounts/1/sub_accounts", current="1&per_page=10",
                                     first="1&per_page=10", last="1&per_page=10")


def test_order_by_name(api, store, tree):
    r = api.get("/api/v1/accounts/1/sub_accounts?order=name", token="admin-token")
    assert ids(r) == [tree["alpha"], 2, tree["zeta"]]  # alpha, School of Science, Zeta


def test_recursive_subtree_level_by_level(api, store, tree):
    r = api.get("/api/v1/accounts/1/sub_accounts?recursive=true", token="admin-token")
    assert ids(r) == [2, tree["zeta"], tree["alpha"], tree["beta"], tree["omega"]]
    # a partial first page: the total is known, last = current, no next
    assert r.headers["Link"] == link(api, "/api/v1/accounts/1/sub_accounts", "recursive=true",
                                     current="1&per_page=10", first="1&per_page=10", last="1&per_page=10")
    assert ids(api.get("/api/v1/accounts/2/sub_accounts?recursive=1", token="admin-token")) == [tree["beta"],
                                                                                                   tree["omega"]]


def test_recursive_pages_have_no_total(api, store, tree):
    path, q = "/api/v1/accounts/1/sub_accounts", "recursive=true"
    r = api.get(f"{path}?{q}&per_page=2", token="admin-token")
    assert ids(r) == [2, tree["zeta"]]
    assert r.headers["Link"] == link(api, path, q, current="1&per_page=2", next="2&per_page=2", first="1&per_page=2")
    r = api.get(f"{path}?{q}&per_page=2&page=3", token="admin-token")
    assert ids(r) == [tree["omega"]]
    assert r.headers["Link"] == link(api, path, q, current="3&per_page=2", prev="2&per_page=2",
                                     first="1&per_page=2", last="3&per_page=2")
    # an exactly full page gets a next even when nothing follows; that page is empty
    r = api.get(f"{path}?{q}&per_page=5", token="admin-token")
    assert len(ids(r)) == 5 and "next" in r.links and "last" not in r.links
    r = api.get(r.links["next"], token="admin-token")
    assert r.json() == []
    assert r.headers["Link"] == link(api, path, q, current="2&per_page=5", prev="1&per_page=5", first="1&per_page=5")


def test_sub_account_includes(api, store, tree):
    store.insert("courses", name="Lab", course_code="LAB", account_id=tree["beta"], root_account_id=1)
    r = api.get("/api/v1/accounts/2/sub_accounts?include[]=course_count&include[]=sub_account_count"
                "&include[]=global_id", token="admin-token")
    (beta,) = r.json()
    assert beta == sub_json(store, tree["beta"], course_count=1, sub_account_count=1)  # global_id: not here


def test_a_leaf_has_no_sub_accounts(api, store, tree):
    r = api.get(f"/api/v1/accounts/{tree['omega']}/sub_accounts?recursive=true", token="admin-token")
    assert r.status == 200 and r.json() == []
    assert set(r.links) == {"current", "first", "last"}


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "student-token", "outsider-token"])
def test_sub_accounts_need_manage_account_settings(api, store, token):
    r = api.get("/api/v1/accounts/1/sub_accounts", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_sub_account_admin_lists_below_their_account_only(api, store, tree):
    make_admin(store, 2)
    assert ids(api.get("/api/v1/accounts/2/sub_accounts", token="subadmin-token")) == [tree["beta"]]
    assert api.get("/api/v1/accounts/1/sub_accounts", token="subadmin-token").status == 401


def test_sub_accounts_of_unknown_account(api, store):
    for ref in ("999", "sis_account_id:NOPE", "9223372036854775808"):
        r = api.get(f"/api/v1/accounts/{ref}/sub_accounts", token="admin-token")
        assert r.status == 404 and r.json() == NOT_FOUND


def test_sub_accounts_bad_page(api, store):
    for page in ("0", "-1", "abc"):
        r = api.get(f"/api/v1/accounts/1/sub_accounts?recursive=true&page={page}", token="admin-token")
        assert r.status == 404 and r.json() == INVALID_PAGE


def test_recursive_page_costs_its_offset_not_the_subtree(api, store, monkeypatch):
    """A page of the recursive list walks the tree only as far as the page (lazily)."""
    parent = 1
    for n in range(60):
        parent = make_account(store, f"Level {n}", parent).id
    visited = []
    children = store.accounts.children_view
    monkeypatch.setattr(store.accounts, "children_view",
                        lambda account_id, by_name=False: visited.append(account_id) or children(account_id, by_name))
    r = api.get("/api/v1/accounts/1/sub_accounts?recursive=true&per_page=2", token="admin-token")
    assert ids(r) == [2, 3]
    assert len(visited) <= 4  # not the 62 accounts of the tree
    visited.clear()
    assert len(ids(api.get("/api/v1/accounts/1/sub_accounts?recursive=true&per_page=100", token="admin-token"))) == 61
    assert len(visited) == 62
