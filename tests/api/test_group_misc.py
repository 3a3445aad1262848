"""The smaller GroupsController routes over HTTP: users (roster), preview_html, the activity stream
and its summary, permissions (canvas-facts sections 4, 8). The file upload: test_groups_files.py."""

from __future__ import annotations

import pytest

UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
SEARCH_TERM_TOO_SHORT = {"errors": [{"field": "search_term", "code": "invalid",
                                     "message": "2 or more characters is required"}]}
USER_KEYS = {"id", "name", "created_at", "sortable_name", "short_name"}


def ids(resp):
    return [x["id"] for x in resp.json()]


def by_sortable(store, user_ids):
    users = [store.get("users", i) for i in user_ids]
    return [u.id for u in sorted(users, key=lambda u: (u.sortable_name.casefold(), u.id))]


# -- GET /api/v1/groups/:group_id/users ---------------------------------------------------------

def test_group_users_by_sortable_name(api, store):
    r = api.get("/api/v1/groups/1/users", token="student-token")
    assert r.status == 200
    assert ids(r) == by_sortable(store, [6, 8, 9])
    sam = next(u for u in r.json() if u["id"] == 6)
    assert sam["name"] == "Sam Student" and sam["sortable_name"] == "Student, Sam"
    assert sam["short_name"] == "Sam Student"
    assert USER_KEYS <= set(sam)
    assert "avatar_url" not in sam and "is_inactive" not in sam
    # a student cannot read SIS data: no sis_user_id for the other members
    assert all("sis_user_id" not in u for u in r.json() if u["id"] != 6)


def test_group_users_teacher_sees_sis_ids(api):
    r = api.get("/api/v1/groups/1/users")
    assert r.status == 200
    assert {u["id"]: u["sis_user_id"] for u in r.json()} == {6: "S-006", 8: "S-008", 9: "S-009"}


@pytest.mark.parametrize("term", ["a", "%20%20a%20%20", "x"])  # length counted after stripping
def test_group_users_short_search_term_is_400(api, term):
    r = api.get(f"/api/v1/groups/1/users?search_term={term}")
    assert r.status == 400
    assert r.json() == SEARCH_TERM_TOO_SHORT


@pytest.mark.parametrize("term", ["", "%20%20%20"])
def test_group_users_blank_search_term_is_ignored(api, store, term):
    r = api.get(f"/api/v1/groups/1/users?search_term={term}")
    assert r.status == 200
    assert ids(r) == by_sortable(store, [6, 8, 9])


def test_group_users_search_by_name_login_and_sis(api):
    assert ids(api.get("/api/v1/groups/1/users?search_term=sam+stu")) == [6]
    assert ids(api.get("/api/v1/groups/1/users?search_term=STUDENT9")) == [9]  # login, any case
    assert ids(api.get("/api/v1/groups/1/users?search_term=S-008")) == [8]
    assert ids(api.get("/api/v1/groups/1/users?search_term=nobody-like-this")) == []


def test_group_users_search_by_full_id(api, store):
    store.insert("users", id=1234, name="Idris Numbered", sortable_name="Numbered, Idris",
                 short_name="Idris Numbered", login_id="idris")
    store.insert("memberships", group_id=1, user_id=1234)
    assert ids(api.get("/api/v1/groups/1/users?search_term=1234")) == [1234]
    assert ids(api.get("/api/v1/groups/1/users?search_term=123")) == []  # a full id only, no prefix


def test_group_users_include_avatar_url_and_active_status(api):
    r = api.get("/api/v1/groups/1/users?include[]=avatar_url&include[]=active_status")
    assert r.status == 200
    for u in r.json():
        assert u["avatar_url"] == f"{api.base_url}/images/messages/avatar-50.png"
        assert u["is_inactive"] is False
    only_avatar = api.get("/api/v1/groups/1/users?include[]=avatar_url").json()
    assert all("avatar_url" in u and "is_inactive" not in u for u in only_avatar)


def test_group_users_pagination_links(api, store):
    expected = by_sortable(store, [6, 8, 9])
    base = f"{api.base_url}/api/v1/groups/1/users"
    r = api.get("/api/v1/groups/1/users?per_page=2&include[]=avatar_url")
    assert ids(r) == expected[:2]
    assert r.headers["Link"] == ",".join([
        f'<{base}?include%5B%5D=avatar_url&page=1&per_page=2>; rel="current"',
        f'<{base}?include%5B%5D=avatar_url&page=2&per_page=2>; rel="next"',
        f'<{base}?include%5B%5D=avatar_url&page=1&per_page=2>; rel="first"',
        f'<{base}?include%5B%5D=avatar_url&page=2&per_page=2>; rel="last"',
    ])
    r2 = api.get(r.links["next"])
    assert ids(r2) == expected[2:]
    assert all("avatar_url" in u for u in r2.json())
    assert "next" not in r2.links and r2.links["prev"] == r.links["current"]


def test_group_users_needs_read(api):
    r = api.get("/api/v1/groups/1/users", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    other = api.get("/api/v1/groups/1/users", token="student2-token")  # member of group 2 only
    assert other.status == 401 and other.json() == UNAUTHORIZED
    anon = api.get("/api/v1/groups/1/users", token=None)
    assert anon.status == 401 and anon.json() == UNAUTHENTICATED
    assert anon.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'


# -- POST /api/v1/groups/:group_id/preview_html -------------------------------------------------

def test_preview_html_doc_example(api):
    r = api.post("/api/v1/groups/1/preview_html", token="student-token",
                 data={"html": "<p><badhtml></badhtml>processed html</p>"})
    assert r.status == 200
    assert r.json() == {"html": "<p>processed html</p>"}


def test_preview_html_strips_scripts_and_handlers_and_absolutizes_links(api):
    html = ('<p onclick="steal()">Hi <b onmouseover="x()">there</b></p><script>alert(1)</script>'
            '<a href="/groups/1/files">files</a><img src="/images/a.png" onerror="bad()">'
            '<a href="https://example.com/x">ext</a>')
    r = api.post("/api/v1/groups/1/preview_html", token="student-token", data={"html": html})
    assert r.status == 200
    out = r.json()["html"]
    assert "script" not in out and "alert" not in out
    assert "onclick" not in out and "onmouseover" not in out and "onerror" not in out
    assert "<p>Hi <b>there</b></p>" in out
    assert f'<a href="{api.base_url}/groups/1/files">files</a>' in out
    assert f'src="{api.base_url}/images/a.png"' in out
    assert '<a href="https://example.com/x">ext</a>' in out


def test_preview_html_json_body_and_needs_read(api):
    r = api.post("/api/v1/groups/1/preview_html", json={"html": "<em>x</em>"})
    assert r.status == 200 and r.json() == {"html": "<em>x</em>"}
    denied = api.post("/api/v1/groups/1/preview_html", token="outsider-token", data={"html": "<p>x</p>"})
    assert denied.status == 401 and denied.json() == UNAUTHORIZED


# -- activity stream and its summary ------------------------------------------------------------

def test_activity_stream_newest_first_with_read_state_per_user(api):
    r = api.get("/api/v1/groups/1/activity_stream", token="student-token")
    assert r.status == 200
    items = r.json()
    assert [i["id"] for i in items] == [2, 1]
    assert [i["type"] for i in items] == ["DiscussionTopic", "Announcement"]
    assert [i["title"] for i in items] == ["Choosing a topic", "Welcome to Project Group 1"]
    assert {i["id"]: i["read_state"] for i in items} == {1: True, 2: False}  # user 6 read item 1
    assert items[0]["discussion_topic_id"] == 2 and items[1]["announcement_id"] == 1
    assert items[0]["html_url"] == f"{api.base_url}/groups/1/discussion_topics/2"
    assert all(i["context_type"] == "Group" and i["group_id"] == 1 for i in items)
    other = api.get("/api/v1/groups/1/activity_stream", token="teacher-token").json()
    assert {i["id"]: i["read_state"] for i in other} == {1: False, 2: False}


def test_activity_stream_default_per_page_is_21(api):
    r = api.get("/api/v1/groups/1/activity_stream", token="student-token")
    base = f"{api.base_url}/api/v1/groups/1/activity_stream"
    assert r.links["current"] == f"{base}?page=1&per_page=21"
    assert r.links["last"] == f"{base}?page=1&per_page=21"
    paged = api.get("/api/v1/groups/1/activity_stream?per_page=1", token="student-token")
    assert [i["id"] for i in paged.json()] == [2]
    assert [i["id"] for i in api.get(paged.links["next"], token="student-token").json()] == [1]


def test_activity_stream_summary(api):
    r = api.get("/api/v1/groups/1/activity_stream/summary", token="student-token")
    assert r.status == 200
    assert "Link" not in r.headers  # not paginated
    rows = [{k: row[k] for k in ("type", "count", "unread_count")} for row in r.json()]
    assert rows == [
        {"type": "Announcement", "count": 1, "unread_count": 0},
        {"type": "DiscussionTopic", "count": 1, "unread_count": 1},
    ]
    # only Message items carry a category in Canvas's summary
    assert [row["notification_category"] for row in r.json()] == [None, None]
    teacher = api.get("/api/v1/groups/1/activity_stream/summary").json()
    assert [(row["type"], row["unread_count"]) for row in teacher] == [("Announcement", 1), ("DiscussionTopic", 1)]


def test_activity_stream_empty_group(api):
    assert api.get("/api/v1/groups/2/activity_stream/summary", token="student2-token").json() == []
    r = api.get("/api/v1/groups/2/activity_stream", token="student2-token")
    assert r.status == 200 and r.json() == []


@pytest.mark.parametrize("path", ["/api/v1/groups/1/activity_stream", "/api/v1/groups/1/activity_stream/summary"])
def test_activity_stream_needs_read_and_a_user(api, path):
    denied = api.get(path, token="outsider-token")
    assert denied.status == 401 and denied.json() == UNAUTHORIZED
    anon = api.get(path, token=None)
    assert anon.status == 401 and anon.json() == UNAUTHENTICATED


# -- GET /api/v1/groups/:group_id/permissions ---------------------------------------------------

PERMS = "permissions[]=read&permissions[]=manage&permissions[]=update&permissions[]=join&permissions[]=bogus"


def test_permissions_member_leader_and_teacher(api):
    leader = api.get(f"/api/v1/groups/1/permissions?{PERMS}", token="student-token")
    assert leader.status == 200
    assert leader.json() == {"read": True, "manage": False, "update": True, "join": False, "bogus": False}
    member = api.get(f"/api/v1/groups/2/permissions?{PERMS}", token="student2-token")
    assert member.json() == {"read": True, "manage": False, "update": False, "join": False, "bogus": False}
    teacher = api.get(f"/api/v1/groups/1/permissions?{PERMS}")
    assert teacher.json() == {"read": True, "manage": True, "update": True, "join": False, "bogus": False}


def test_permissions_join_in_a_student_organized_group(api):
    # Study Buddies: student-organized (multiple memberships), parent_context_auto_join
    moderator = api.get(f"/api/v1/groups/4/permissions?{PERMS}", token="student2-token").json()
    assert moderator["manage"] is True and moderator["update"] is True
    teacher = api.get(f"/api/v1/groups/4/permissions?{PERMS}").json()
    assert teacher["join"] is True and teacher["read"] is True


def test_permissions_values_are_booleans_and_only_the_asked(api):
    r = api.get("/api/v1/groups/1/permissions?permissions[]=read_roster", token="student-token")
    assert r.json() == {"read_roster": True}
    assert api.get("/api/v1/groups/1/permissions", token="student-token").json() == {}
    assert '"read_roster":true' in r.text


def test_permissions_needs_read(api):
    r = api.get(f"/api/v1/groups/1/permissions?{PERMS}", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
