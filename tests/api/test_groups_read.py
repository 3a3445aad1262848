"""Listing and showing groups over HTTP: GroupsController#index, #context_index, #show."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}


def names(resp):
    return [g["name"] for g in resp.json()]


# -- GET /api/v1/users/self/groups -------------------------------------------------------------

def test_list_your_groups(api):
    r = api.get("/api/v1/users/self/groups", token="student2-token")
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert names(r) == ["Project Group 2", "Study Buddies"]
    base = f"{api.base_url}/api/v1/users/self/groups"
    assert r.headers["Link"] == (
        f'<{base}?page=first&per_page=10>; rel="current",'
        f'<{base}?page=first&per_page=10>; rel="first",'
        f'<{base}?page=first&per_page=10>; rel="last"'
    )


def test_list_your_groups_by_context_type(api):
    assert names(api.get("/api/v1/users/self/groups?context_type=Account", token="admin-token")) == [
        "Curriculum Committee", "Mock Enthusiasts"]
    assert names(api.get("/api/v1/users/self/groups?context_type=Course", token="admin-token")) == []
    assert names(api.get("/api/v1/users/self/groups?context_type=Course", token="student2-token")) == [
        "Project Group 2", "Study Buddies"]


def test_list_your_groups_bookmark_pages_keep_include(api):
    r = api.get("/api/v1/users/self/groups?per_page=1&include[]=users&access_token=admin-token", token=None)
    assert r.status == 200 and names(r) == ["Curriculum Committee"]
    assert [u["id"] for u in r.json()[0]["users"]] == [1, 2]
    links = r.links
    assert set(links) == {"current", "next", "first"}  # no prev, no last before the final page
    assert "access_token" not in r.headers["Link"]
    nxt = links["next"]
    q = dict(parse_qsl(urlsplit(nxt).query))
    assert q["include[]"] == "users" and q["per_page"] == "1" and q["page"].startswith("bookmark:")
    r2 = api.get(nxt, token="admin-token")
    assert names(r2) == ["Mock Enthusiasts"] and "users" in r2.json()[0]
    assert set(r2.links) == {"current", "first", "last"}
    assert r2.links["last"] == r2.links["current"]


def test_list_your_groups_needs_a_user(api):
    r = api.get("/api/v1/users/self/groups", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'


def test_list_your_groups_numeric_page_above_one_is_404(api):
    r = api.get("/api/v1/users/self/groups?page=2", token="student-token")
    assert r.status == 404


# -- GET /api/v1/courses/:id/groups and /accounts/:id/groups -----------------------------------

def test_course_groups_in_category_then_name_order(api):
    r = api.get("/api/v1/courses/1/groups")
    assert r.status == 200
    assert [g["id"] for g in r.json()] == [1, 2, 3, 4, 5, 6]
    g1 = r.json()[0]
    assert g1["context_type"] == "Course" and g1["course_id"] == 1 and "account_id" not in g1
    assert g1["members_count"] == 3 and g1["role"] is None
    assert "users" not in g1


def test_course_groups_pagination_links(api):
    base = f"{api.base_url}/api/v1/courses/1/groups"
    r = api.get("/api/v1/courses/1/groups?per_page=2&page=2&include[]=users")
    assert [g["id"] for g in r.json()] == [3, 4]
    assert r.headers["Link"] == ",".join([
        f'<{base}?include%5B%5D=users&page=2&per_page=2>; rel="current"',
        f'<{base}?include%5B%5D=users&page=3&per_page=2>; rel="next"',
        f'<{base}?include%5B%5D=users&page=1&per_page=2>; rel="prev"',
        f'<{base}?include%5B%5D=users&page=1&per_page=2>; rel="first"',
        f'<{base}?include%5B%5D=users&page=3&per_page=2>; rel="last"',
    ])
    assert all("users" in g for g in r.json())


def test_course_groups_walk_next_links_returns_each_once(api):
    url, seen = "/api/v1/courses/1/groups?per_page=4&per_page=1", []  # repeated per_page: last wins
    while url:
        r = api.get(url)
        seen += [g["id"] for g in r.json()]
        url = r.links.get("next")
    assert seen == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("per_page,expected", [("0", 1), ("-5", 1), ("abc", 1), ("1000", 100)])
def test_per_page_is_clamped(api, per_page, expected):
    r = api.get(f"/api/v1/courses/1/groups?per_page={per_page}")
    assert r.status == 200
    assert r.links["current"].endswith(f"per_page={expected}")


def test_page_past_the_end_and_bad_page(api):
    r = api.get("/api/v1/courses/1/groups?page=99")
    assert r.status == 200 and r.json() == []
    assert set(r.links) == {"current", "next", "prev", "first"}
    bad = api.get("/api/v1/courses/1/groups?page=0")
    assert bad.status == 404
    assert bad.json() == {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}


def test_course_groups_only_own_and_filter(api):
    assert names(api.get("/api/v1/courses/1/groups?only_own_groups=true", token="student2-token")) == [
        "Project Group 2", "Study Buddies"]
    assert names(api.get("/api/v1/courses/1/groups?only_own_groups=false", token="student2-token")) != [
        "Project Group 2", "Study Buddies"]
    assert names(api.get("/api/v1/courses/1/groups?filter=PROJECT")) == [
        "Project Group 1", "Project Group 2", "Project Group 3"]
    # a member's name matches too
    assert names(api.get("/api/v1/courses/1/groups?filter=stella")) == ["Project Group 2", "Study Buddies"]
    r = api.get("/api/v1/courses/1/groups?filter=project&per_page=2")
    assert r.links["next"].startswith(f"{api.base_url}/api/v1/courses/1/groups?filter=project&page=2")


def test_course_groups_permissions(api):
    assert api.get("/api/v1/courses/1/groups", token="student-token").status == 200
    r = api.get("/api/v1/courses/1/groups", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED and "WWW-Authenticate" not in r.headers
    assert api.get("/api/v1/courses/999/groups").json() == NOT_FOUND
    assert api.get("/api/v1/courses/999/groups").status == 404
    assert [g["id"] for g in api.get("/api/v1/courses/sis_course_id:MOCK101-2024/groups").json()][:1] == [1]


def test_account_groups(api):
    r = api.get("/api/v1/accounts/1/groups", token="admin-token")
    assert r.status == 200 and [g["id"] for g in r.json()] == [7, 8]
    assert r.json()[0]["account_id"] == 1 and r.json()[0]["role"] == "communities"
    assert api.get("/api/v1/accounts/self/groups", token="admin-token").json() == r.json()
    assert api.get("/api/v1/accounts/1/groups", token="student-token").status == 401


# -- GET /api/v1/groups/:id --------------------------------------------------------------------

def test_show_group_fields(api):
    r = api.get("/api/v1/groups/1")
    assert r.status == 200
    g = r.json()
    for key in ("id", "name", "description", "is_public", "join_level", "group_category_id", "max_membership",
                "created_at", "members_count", "storage_quota_mb", "context_type", "course_id", "avatar_url",
                "role", "leader", "has_submission", "concluded", "non_collaborative", "context_name"):
        assert key in g, key
    assert "followed_by_user" not in g
    assert g["name"] == "Project Group 1" and g["join_level"] == "invitation_only"
    assert g["storage_quota_mb"] == 50 and g["is_public"] is False
    assert g["context_name"] == "Introduction to Mocking"  # the course's name
    # SIS ids need read_sis on the root account (canvas-facts Corrections 5): not a course teacher
    assert "sis_group_id" not in g and "sis_import_id" not in g
    assert g["leader"]["id"] == 6 and g["leader"]["display_name"]
    assert g["leader"]["html_url"] == f"{api.base_url}/groups/1/users/6"
    assert g["created_at"].endswith("Z") and len(g["created_at"]) == 20


def test_show_group_as_member_and_non_member(api):
    r = api.get("/api/v1/groups/1", token="student-token")
    assert r.status == 200 and "sis_group_id" not in r.json()
    r = api.get("/api/v1/groups/2", token="student-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED


@pytest.mark.parametrize("ref", ["999", "abc", "sis_group_id:NOPE"])
def test_show_unknown_group(api, ref):
    r = api.get(f"/api/v1/groups/{ref}")
    assert r.status == 404 and r.json() == NOT_FOUND


def test_show_group_by_sis_id(api):
    assert api.get("/api/v1/groups/sis_group_id:PG-1").json()["id"] == 1


def test_show_group_includes(api, store):
    inc = "&".join(f"include[]={i}" for i in
                   ("users", "group_category", "permissions", "favorites", "html_url", "tabs", "can_access",
                    "can_message"))
    g = api.get(f"/api/v1/groups/1?{inc}", token="student-token").json()
    members = sorted((store.get("users", i) for i in (6, 8, 9)), key=lambda u: (u.sortable_name.casefold(), u.id))
    assert [u["id"] for u in g["users"]] == [u.id for u in members]  # by sortable name
    assert g["group_category"]["id"] == 1 and g["group_category"]["name"] == "Project Groups"
    assert g["permissions"] == {"create_discussion_topic": True, "join": False, "create_announcement": True}
    assert g["is_favorite"] is False
    assert g["html_url"] == f"{api.base_url}/groups/1"
    assert [t["id"] for t in g["tabs"]][:6] == ["home", "announcements", "pages", "people", "discussions", "files"]
    assert g["tabs"][0]["full_url"] == f"{api.base_url}/groups/1" and g["tabs"][0]["position"] == 1
    assert g["can_access"] is True and g["can_message"] is True


def test_string_ids_accept_header(api):
    g = api.get("/api/v1/groups/1", headers={"Accept": "application/json+canvas-string-ids"}).json()
    assert g["id"] == "1" and g["group_category_id"] == "1" and g["course_id"] == "1"
    assert g["leader"]["id"] == "6" and g["members_count"] == 3


def test_canvas_headers(api):
    r = api.get("/api/v1/groups/1")
    assert r.headers["X-Canvas-User-Id"] == "2"
    assert float(r.headers["X-Request-Cost"]) >= 0


def test_invalid_and_expired_tokens(api, store):
    r = api.get("/api/v1/groups/1", token="nope")
    assert r.status == 401 and r.json() == {"errors": [{"message": "Invalid access token."}]}
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    store.add_token("old-token", 2, revoked=True)
    r = api.get("/api/v1/groups/1", token="old-token")
    assert r.status == 401 and r.json() == {"errors": [{"message": "Revoked access token."}]}
    r = api.get("/api/v1/groups/1?access_token=student-token", token=None)
    assert r.status == 200


def test_unknown_api_route_is_canvas_404(api):
    r = api.get("/api/v1/no_such_thing")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert api.problems and api.problems[0]["path"] == "/api/v1/no_such_thing"
    api.problems.clear()
