"""The Group Categories API over HTTP: GroupCategoriesController#index, #show, #create, #update,
#destroy, #groups, #users, #export, #import and #assign_unassigned_members (canvas-facts sections
2-4; app/controllers/group_categories_controller.rb, app/models/group_category.rb,
app/models/group_categories/params.rb, app/models/group_and_membership_importer.rb).

Every test checks the status, the exact body where Canvas fixes it, and the store afterwards.
"Nothing changed" is ``store.changed_rows == 0`` (no row written since the rollback before the test).

The default world: course 1 has students 6-19 (even ids in Section A, odd in Section B). Category 1
"Project Groups" (SIS PG-2024) has groups 1 (6, 8, 9; leader 6; SIS PG-1), 2 (7, 10, 11) and 3 (12,
13; max 4), so students 14-19 are unassigned; 2 "Student Groups" is student_organized (group 4);
3 "Self Sign-up Teams" is self-signup with group_limit 3 and auto_leader first (groups 5 (14) and
6); 4 "Communities" and 5 "Faculty Committees" belong to account 1.
"""

from __future__ import annotations

import pytest

from mockcanvas.views.common import iso

UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
PROTECTED = {"status": "unauthorized"}
CATEGORY_NOT_FOUND = {"status": "not found"}
NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
SIS_SET = {"message": "You must have manage_sis permission to set sis attributes"}
SEARCH_TERM_TOO_SHORT = {"errors": [{"field": "search_term", "code": "invalid",
                                     "message": "2 or more characters is required"}]}
STUDENTS = list(range(6, 20))
UNASSIGNED_IN_PROJECTS = [14, 15, 16, 17, 18, 19]
CATEGORY_KEYS = {"id", "name", "role", "self_signup", "group_limit", "auto_leader", "created_at", "context_type",
                 "protected", "allows_multiple_memberships", "is_member", "self_signup_end_at"}
GROUP_KEYS = {
    "id", "name", "description", "is_public", "join_level", "group_category_id", "max_membership",
    "created_at", "members_count", "storage_quota_mb", "context_type", "avatar_url", "role", "leader",
    "has_submission", "concluded", "non_collaborative", "context_name",
}
PROGRESS_KEYS = {"id", "context_id", "context_type", "user_id", "tag", "completion", "workflow_state",
                 "created_at", "updated_at", "message", "url"}
EXPORT_HEADER = "name,canvas_user_id,user_id,login_id,sections,group_name,canvas_group_id,group_id"
IMPORT_HEADER = "canvas_user_id,user_id,login_id,group_name,canvas_group_id,group_id"


def invalid(*pairs):
    """The keyed validation hash for (attribute, message) pairs."""
    out = {}
    for attribute, message in pairs:
        out.setdefault(attribute, []).append({"attribute": attribute, "type": message, "message": message})
    return {"errors": out}


SELF_SIGNUP_ACCOUNT = invalid(("enable_self_signup",
                               "Self-signup may only be enabled for course groups or communities"))


# -- reading the store -------------------------------------------------------------------------

def category_ids(store):
    return set(store.rows["group_categories"])


def live_group_ids(store, cat_id):
    return sorted(g.id for g in store.all("groups") if g.group_category_id == cat_id and g.workflow_state != "deleted")


def members(store, group_id):
    """User ids with an accepted membership in the group."""
    return sorted(m.user_id for m in store.all("memberships")
                  if m.group_id == group_id and m.workflow_state == "accepted")


def placement(store, cat_id):
    """{user_id: [group ids]} over the category's live groups (a list, so doubles show)."""
    out: dict[int, list[int]] = {}
    for gid in live_group_ids(store, cat_id):
        for uid in members(store, gid):
            out.setdefault(uid, []).append(gid)
    return out


def membership_rows(store):
    return {m.id: (m.group_id, m.user_id, m.workflow_state) for m in store.all("memberships")}


def sizes(store, group_ids):
    return {gid: len(members(store, gid)) for gid in group_ids}


def section_of(uid):
    """Students alternate: even ids in Section A (id 1), odd ids in Section B (id 2)."""
    return (1, "Section A") if uid % 2 == 0 else (2, "Section B")


def assert_unchanged(store):
    assert store.changed_rows == 0, "the request wrote to the store"


def wait_progress(api, progress_id, token="teacher-token"):
    """Poll GET /progress/:id until it is no longer pending (a poll runs a job still waiting)."""
    for _ in range(5):
        r = api.get(f"/api/v1/progress/{progress_id}", token=token)
        assert r.status == 200, r.text
        body = r.json()
        if body["workflow_state"] not in ("queued", "running"):
            return body
    raise AssertionError(f"progress {progress_id} still pending after 5 polls: {body}")


def multipart(filename, content, *, field="attachment", content_type="text/csv", extra=None):
    """A multipart/form-data body with ``extra`` fields and one file part; returns (body, headers)."""
    boundary = "mockcanvas-category-import"
    body = b""
    for key, value in (extra or {}).items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
             f"Content-Type: {content_type}\r\n\r\n").encode() + content
    body += f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def post_csv(api, cat_id, text, *, query="", token="teacher-token", content_type="text/csv"):
    data = text if isinstance(text, bytes) else text.encode()
    return api.post(f"/api/v1/group_categories/{cat_id}/import{query}", token=token, data=data,
                    headers={"Content-Type": content_type})


@pytest.fixture
def designer(store):
    """A token for the course designer (user 4): manage_groups, but no read_sis."""
    store.add_token("designer-token", 4)
    return "designer-token"


# -- GET /courses/:id/group_categories and /accounts/:id/group_categories --------------------

def test_list_course_categories(api, store):
    r = api.get("/api/v1/courses/1/group_categories")
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    body = r.json()
    assert [c["id"] for c in body] == [1, 2, 3]
    assert [c["name"] for c in body] == ["Project Groups", "Student Groups", "Self Sign-up Teams"]
    # SIS ids follow the rights on the root account (canvas-facts Corrections 5): the course's
    # teacher has none there, so neither sis_group_category_id nor sis_import_id
    assert all(set(c) == CATEGORY_KEYS | {"course_id"} for c in body)
    assert [(c["role"], c["self_signup"], c["group_limit"], c["auto_leader"]) for c in body] == [
        (None, None, None, None), ("student_organized", "enabled", None, None), (None, "enabled", 3, "first")]
    assert [(c["protected"], c["allows_multiple_memberships"]) for c in body] == [
        (False, False), (True, True), (False, False)]
    assert [c["self_signup_end_at"] for c in body] == [None, None, None]
    assert all(c["context_type"] == "Course" and c["course_id"] == 1 for c in body)
    base = f"{api.base_url}/api/v1/courses/1/group_categories"
    assert r.headers["Link"] == (f'<{base}?page=1&per_page=10>; rel="current",'
                                 f'<{base}?page=1&per_page=10>; rel="first",'
                                 f'<{base}?page=1&per_page=10>; rel="last"')


def test_list_account_categories_as_admin(api):
    r = api.get("/api/v1/accounts/1/group_categories", token="admin-token")
    assert r.status == 200
    body = r.json()
    assert [c["id"] for c in body] == [4, 5]
    # the admin manages SIS: sis_import_id too; no course_id, an account_id
    assert all(set(c) == CATEGORY_KEYS | {"account_id", "sis_group_category_id", "sis_import_id"} for c in body)
    assert [(c["context_type"], c["account_id"]) for c in body] == [("Account", 1), ("Account", 1)]
    assert [(c["role"], c["protected"], c["allows_multiple_memberships"]) for c in body] == [
        ("communities", True, True), (None, False, False)]
    # the admin moderates Mock Enthusiasts (communities) and sits on the Curriculum Committee
    assert [c["is_member"] for c in body] == [True, True]


@pytest.mark.parametrize("path,token", [
    ("/api/v1/courses/1/group_categories", "student-token"),
    ("/api/v1/courses/1/group_categories", "outsider-token"),
    ("/api/v1/accounts/1/group_categories", "teacher-token"),
    ("/api/v1/accounts/1/group_categories", "student-token"),
])
def test_list_categories_refused(api, path, token):
    r = api.get(path, token=token)
    assert r.status == 401
    assert r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers


def test_list_categories_pagination_keeps_includes(api):
    r = api.get("/api/v1/courses/1/group_categories?per_page=2&includes[]=groups_count")
    assert r.status == 200
    assert [c["id"] for c in r.json()] == [1, 2]
    base = f"{api.base_url}/api/v1/courses/1/group_categories?includes%5B%5D=groups_count"
    assert r.headers["Link"] == (f'<{base}&page=1&per_page=2>; rel="current",'
                                 f'<{base}&page=2&per_page=2>; rel="next",'
                                 f'<{base}&page=1&per_page=2>; rel="first",'
                                 f'<{base}&page=2&per_page=2>; rel="last"')
    r2 = api.get(r.links["next"])
    assert [(c["id"], c["groups_count"]) for c in r2.json()] == [(3, 2)]
    assert set(r2.links) == {"current", "prev", "first", "last"}


def test_list_categories_includes_plural(api):
    r = api.get("/api/v1/courses/1/group_categories?includes[]=groups_count"
                "&includes[]=unassigned_users_count&includes[]=groups")
    assert r.status == 200
    body = {c["id"]: c for c in r.json()}
    assert {k: (c["groups_count"], c["unassigned_users_count"]) for k, c in body.items()} == {
        1: (3, 6),    # students 14-19 are in no project group
        2: (1, 14),   # student_organized allows many memberships: everyone counts as unassigned
        3: (2, 13),   # only 14 is on a team
    }
    assert [g["name"] for g in body[1]["groups"]] == ["Project Group 1", "Project Group 2", "Project Group 3"]
    assert [g["id"] for g in body[3]["groups"]] == [5, 6]
    # group_json without includes (no users, no group_category)
    assert set(body[1]["groups"][0]) == GROUP_KEYS | {"course_id"}
    assert body[1]["groups"][0]["members_count"] == 3
    assert "progress" not in body[1]  # progress_url is always included, but nothing is pending


def test_list_categories_singular_include_is_ignored(api):
    r = api.get("/api/v1/courses/1/group_categories?include[]=groups_count&include[]=groups"
                "&include[]=unassigned_users_count")
    assert r.status == 200
    for c in r.json():
        assert set(c) == CATEGORY_KEYS | {"course_id"}


def test_list_categories_shows_pending_progress(api, store):
    store.progress.set_policy("manual")
    started = api.post("/api/v1/group_categories/1/assign_unassigned_members")
    assert started.status == 200
    progress = started.json()
    listed = {c["id"]: c for c in api.get("/api/v1/courses/1/group_categories").json()}
    assert listed[1]["progress"] == progress
    assert "progress" not in listed[3]
    shown = api.get("/api/v1/group_categories/1").json()
    assert shown["progress"] == progress


# -- GET /group_categories/:id -----------------------------------------------------------------

def test_show_category(api, store):
    r = api.get("/api/v1/group_categories/1")
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    cat = store.get("group_categories", 1)
    assert r.json() == {
        "id": 1, "name": "Project Groups", "role": None, "self_signup": None, "group_limit": None,
        "auto_leader": None, "created_at": iso(cat.created_at), "context_type": "Course", "course_id": 1,
        "protected": False, "allows_multiple_memberships": False, "is_member": False,
        "self_signup_end_at": None,
    }


def test_show_protected_and_account_categories(api):
    student_groups = api.get("/api/v1/group_categories/2", token="admin-token").json()
    assert (student_groups["role"], student_groups["protected"], student_groups["allows_multiple_memberships"],
            student_groups["is_member"]) == ("student_organized", True, True, False)
    assert student_groups["sis_import_id"] is None  # the admin manages SIS
    committees = api.get("/api/v1/group_categories/5", token="admin-token").json()
    assert (committees["context_type"], committees["account_id"], committees["is_member"]) == ("Account", 1, True)
    assert "course_id" not in committees
    # the teacher sits on the Curriculum Committee, but may not manage the account's categories
    r = api.get("/api/v1/group_categories/5")
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_show_is_member_for_a_teacher_who_is_no_member(api, store):
    assert api.get("/api/v1/group_categories/3").json()["is_member"] is False
    # the admin joins a team; is_member is about the viewer
    with store.lock:
        store.insert("memberships", group_id=6, user_id=1, workflow_state="accepted")
    assert api.get("/api/v1/group_categories/3", token="admin-token").json()["is_member"] is True
    assert api.get("/api/v1/group_categories/3").json()["is_member"] is False


def test_show_without_read_sis_has_no_sis_id(api, designer):
    r = api.get("/api/v1/group_categories/1", token=designer)
    assert r.status == 200
    body = r.json()
    assert set(body) == CATEGORY_KEYS | {"course_id"}
    assert body["name"] == "Project Groups"


def test_show_by_sis_id(api):
    r = api.get("/api/v1/group_categories/sis_group_category_id:PG-2024")
    assert r.status == 200
    assert (r.json()["id"], r.json()["name"]) == (1, "Project Groups")
    r = api.get("/api/v1/group_categories/sis_group_category_id:NOPE")
    assert r.status == 404 and r.json() == CATEGORY_NOT_FOUND


@pytest.mark.parametrize("ref", ["999", "abc", "0"])
def test_show_unknown_category(api, ref):
    r = api.get(f"/api/v1/group_categories/{ref}")
    assert r.status == 404
    assert r.json() == CATEGORY_NOT_FOUND


@pytest.mark.parametrize("method,suffix", [
    ("GET", ""), ("PUT", ""), ("DELETE", ""), ("GET", "/groups"), ("GET", "/users"), ("GET", "/export"),
    ("POST", "/import"), ("POST", "/assign_unassigned_members"),
])
def test_deleted_category_is_not_found_everywhere(api, store, method, suffix):
    with store.lock:
        store._update("group_categories", store.get("group_categories", 1), deleted_at=store.now())
    r = api.request(method, f"/api/v1/group_categories/1{suffix}", data={"name": "Back"})
    assert r.status == 404
    assert r.json() == CATEGORY_NOT_FOUND
    assert store.get("group_categories", 1).name == "Project Groups"


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_show_refused_to_students_and_outsiders(api, token):
    r = api.get("/api/v1/group_categories/1", token=token)
    assert r.status == 401
    assert r.json() == UNAUTHORIZED


# -- POST /courses/:id/group_categories and /accounts/:id/group_categories ------------------

def test_create_course_category(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Lab Partners"})
    assert r.status == 200  # never 201
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    (new_id,) = category_ids(store) - before
    row = store.get("group_categories", new_id)
    assert r.json() == {
        "id": new_id, "name": "Lab Partners", "role": None, "self_signup": None, "group_limit": None,
        "auto_leader": None, "created_at": iso(row.created_at), "context_type": "Course", "course_id": 1,
        "protected": False, "allows_multiple_memberships": False, "is_member": False,
        "self_signup_end_at": None, "unassigned_users_count": 14, "groups_count": 0,
    }
    assert (row.name, row.context_type, row.context_id, row.root_account_id, row.role, row.deleted_at) == (
        "Lab Partners", "Course", 1, 1, None, None)
    assert (row.self_signup, row.auto_leader, row.group_limit, row.sis_group_category_id) == (None, None, None, None)
    assert live_group_ids(store, new_id) == []
    # it is listed from now on
    assert [c["id"] for c in api.get("/api/v1/courses/1/group_categories").json()] == [1, 2, 3, new_id]


def test_create_account_category(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/accounts/1/group_categories", token="admin-token",
                 data={"name": "Working Groups", "create_group_count": "3", "split_group_count": "2"})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    body = r.json()
    assert (body["id"], body["name"], body["context_type"], body["account_id"]) == (new_id, "Working Groups",
                                                                                    "Account", 1)
    assert "course_id" not in body
    # group counts are for courses only
    assert body["groups_count"] == 0
    assert live_group_ids(store, new_id) == []
    row = store.get("group_categories", new_id)
    assert (row.context_type, row.context_id, row.root_account_id) == ("Account", 1, 1)


def test_create_json_body(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories", json={"name": "Readers", "self_signup": "enabled",
                                                            "group_limit": 4})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    row = store.get("group_categories", new_id)
    assert (row.name, row.self_signup, row.group_limit) == ("Readers", "enabled", 4)
    assert (r.json()["self_signup"], r.json()["group_limit"]) == ("enabled", 4)


@pytest.mark.parametrize("data,expected", [
    ({}, invalid(("name", "Name is required"))),
    ({"name": ""}, invalid(("name", "Name is required"))),
    ({"name": "   "}, invalid(("name", "Name is required"))),
    ({"name": "Project Groups"}, invalid(("name", "Project Groups is already in use."))),
    ({"name": "Student Groups"}, invalid(("name", "Student Groups is a reserved name."))),
    ({"name": "Imported Groups"}, invalid(("name", "Imported Groups is a reserved name."))),
    ({"name": "x" * 256}, invalid(("name", "Enter a shorter category name"))),
    ({"name": "Pairs", "group_limit": "1"}, invalid(("group_limit", "Must be greater than 1"))),
    ({"name": "Pairs", "group_limit": "0"}, invalid(("group_limit", "Must be greater than 1"))),
    ({"name": "", "group_limit": "-3"}, invalid(("name", "Name is required"),
                                                ("group_limit", "Must be greater than 1"))),
])
def test_create_course_category_invalid(api, store, data, expected):
    r = api.post("/api/v1/courses/1/group_categories", data=data)
    assert r.status == 400
    assert r.json() == expected
    assert_unchanged(store)


def test_create_course_category_longest_name(api, store):
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "x" * 255})
    assert r.status == 200
    assert store.get("group_categories", r.json()["id"]).name == "x" * 255


def test_create_account_reserved_names_differ(api, store):
    r = api.post("/api/v1/accounts/1/group_categories", token="admin-token", data={"name": "Communities"})
    assert (r.status, r.json()) == (400, invalid(("name", "Communities is a reserved name.")))
    r = api.post("/api/v1/accounts/1/group_categories", token="admin-token", data={"name": "Imported Groups"})
    assert (r.status, r.json()) == (400, invalid(("name", "Imported Groups is a reserved name.")))
    r = api.post("/api/v1/accounts/1/group_categories", token="admin-token", data={"name": "Faculty Committees"})
    assert (r.status, r.json()) == (400, invalid(("name", "Faculty Committees is already in use.")))
    assert_unchanged(store)
    # "Student Groups" is reserved only in a course; "Communities" only in an account
    r = api.post("/api/v1/accounts/1/group_categories", token="admin-token", data={"name": "Student Groups"})
    assert r.status == 200 and store.get("group_categories", r.json()["id"]).context_type == "Account"
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Communities"})
    assert r.status == 200 and store.get("group_categories", r.json()["id"]).context_type == "Course"


def test_create_same_name_in_another_context(api, store):
    r = api.post("/api/v1/courses/2/group_categories", data={"name": "Project Groups"})
    assert r.status == 200
    row = store.get("group_categories", r.json()["id"])
    assert (row.name, row.context_id) == ("Project Groups", 2)


@pytest.mark.parametrize("data,expected", [
    ({"self_signup": "enabled"}, "enabled"),
    ({"self_signup": "ENABLED"}, "enabled"),
    ({"self_signup": "Restricted"}, "restricted"),
    ({"self_signup": "bogus"}, None),
    ({"self_signup": ""}, None),
    ({"enable_self_signup": "1"}, "enabled"),
    ({"enable_self_signup": "true", "restrict_self_signup": "true"}, "restricted"),
    ({"enable_self_signup": "0", "restrict_self_signup": "1"}, None),
    # an unknown self_signup leaves the decision to the legacy booleans (Params#self_signup)
    ({"self_signup": "bogus", "enable_self_signup": "1"}, "enabled"),
])
def test_create_self_signup_values(api, store, data, expected):
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Signups", **data})
    assert r.status == 200
    assert r.json()["self_signup"] == expected
    assert store.get("group_categories", r.json()["id"]).self_signup == expected


@pytest.mark.parametrize("data,expected", [
    ({"auto_leader": "first"}, "first"),
    ({"auto_leader": "RANDOM"}, "random"),
    ({"auto_leader": "oldest"}, None),
    ({"enable_auto_leader": "1", "auto_leader_type": "random"}, "random"),
    ({"enable_auto_leader": "true", "auto_leader_type": "FIRST"}, "first"),
    # enable_auto_leader, when sent, decides (Params#auto_leader)
    ({"enable_auto_leader": "0", "auto_leader": "first"}, None),
])
def test_create_auto_leader_values(api, store, data, expected):
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Leaders", **data})
    assert r.status == 200
    assert r.json()["auto_leader"] == expected
    assert store.get("group_categories", r.json()["id"]).auto_leader == expected


def test_create_group_limit(api, store):
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Trios", "group_limit": "3"})
    assert r.status == 200
    # the docs say group_limit needs self-signup; the code does not check it
    assert (r.json()["group_limit"], r.json()["self_signup"]) == (3, None)
    assert store.get("group_categories", r.json()["id"]).group_limit == 3


@pytest.mark.parametrize("data", [{"self_signup": "enabled"}, {"enable_self_signup": "1"},
                                  {"self_signup": "restricted"}])
def test_create_account_category_refuses_self_signup(api, store, data):
    r = api.post("/api/v1/accounts/1/group_categories", token="admin-token", data={"name": "Clubs", **data})
    assert r.status == 400
    assert r.json() == SELF_SIGNUP_ACCOUNT
    assert_unchanged(store)


def test_create_with_sis_id_as_admin(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories", token="admin-token",
                 data={"name": "SIS Sets", "sis_group_category_id": "SETS-1"})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    assert (r.json()["sis_group_category_id"], r.json()["sis_import_id"]) == ("SETS-1", None)
    assert store.get("group_categories", new_id).sis_group_category_id == "SETS-1"
    assert api.get("/api/v1/group_categories/sis_group_category_id:SETS-1").json()["id"] == new_id


def test_create_with_sis_id_needs_manage_sis(api, store):
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "SIS Sets", "sis_group_category_id": "SETS-1"})
    assert r.status == 401
    assert r.json() == SIS_SET
    assert_unchanged(store)  # (Canvas saves the category first; the mock refuses before saving)


@pytest.mark.parametrize("path,token", [
    ("/api/v1/courses/1/group_categories", "student-token"),
    ("/api/v1/courses/1/group_categories", "outsider-token"),
    ("/api/v1/accounts/1/group_categories", "teacher-token"),
])
def test_create_refused(api, store, path, token):
    r = api.post(path, token=token, data={"name": "Sneaky"})
    assert r.status == 401
    assert r.json() == UNAUTHORIZED
    assert_unchanged(store)


def test_create_group_count_distributes_students(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Project Teams", "create_group_count": "3"})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    gids = live_group_ids(store, new_id)
    assert [store.get("groups", g).name for g in gids] == ["Project Team 1", "Project Team 2", "Project Team 3"]
    for g in gids:
        group = store.get("groups", g)
        assert (group.context_type, group.context_id, group.group_category_id) == ("Course", 1, new_id)
    # without self-signup every student is placed at once, exactly once, evenly
    placed = placement(store, new_id)
    assert sorted(placed) == STUDENTS
    assert all(len(v) == 1 for v in placed.values())
    assert sorted(sizes(store, gids).values()) == [4, 5, 5]
    assert (r.json()["groups_count"], r.json()["unassigned_users_count"]) == (3, 0)
    # the students' project groups are untouched
    assert placement(store, 1) == {6: [1], 8: [1], 9: [1], 7: [2], 10: [2], 11: [2], 12: [3], 13: [3]}


def test_create_group_count_with_self_signup_assigns_nobody(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories",
                 data={"name": "Study Circles", "self_signup": "enabled", "create_group_count": "4"})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    gids = live_group_ids(store, new_id)
    assert [store.get("groups", g).name for g in gids] == [f"Study Circle {n}" for n in range(1, 5)]
    assert placement(store, new_id) == {}
    assert (r.json()["groups_count"], r.json()["unassigned_users_count"], r.json()["self_signup"]) == (
        4, 14, "enabled")


def test_create_group_count_is_capped_at_200(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories",
                 data={"name": "Many", "self_signup": "enabled", "create_group_count": "250"})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    assert r.json()["groups_count"] == 200
    assert len(live_group_ids(store, new_id)) == 200


def test_create_split_group_count(api, store):
    before = category_ids(store)
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Labs", "split_group_count": "2"})
    assert r.status == 200
    (new_id,) = category_ids(store) - before
    gids = live_group_ids(store, new_id)
    assert [store.get("groups", g).name for g in gids] == ["Lab 1", "Lab 2"]
    assert sizes(store, gids) == {gids[0]: 7, gids[1]: 7}
    assert sorted(placement(store, new_id)) == STUDENTS
    assert (r.json()["groups_count"], r.json()["unassigned_users_count"]) == (2, 0)


def test_create_split_group_count_is_ignored_with_self_signup(api, store):
    r = api.post("/api/v1/courses/1/group_categories",
                 data={"name": "Labs", "self_signup": "enabled", "split_group_count": "2"})
    assert r.status == 200
    assert r.json()["groups_count"] == 0
    assert live_group_ids(store, r.json()["id"]) == []


def test_create_split_groups_zero_makes_no_groups(api, store):
    r = api.post("/api/v1/courses/1/group_categories",
                 data={"name": "Labs", "create_group_count": "2", "split_groups": "0"})
    assert r.status == 200
    assert (r.json()["groups_count"], r.json()["unassigned_users_count"]) == (0, 14)
    assert live_group_ids(store, r.json()["id"]) == []


def test_create_group_count_with_assign_async_assigns_nobody(api, store):
    r = api.post("/api/v1/courses/1/group_categories",
                 data={"name": "Later", "create_group_count": "2", "assign_async": "true"})
    assert r.status == 200
    assert (r.json()["groups_count"], r.json()["unassigned_users_count"]) == (2, 14)
    assert placement(store, r.json()["id"]) == {}


def test_create_includes_can_add_groups(api, store):
    r = api.post("/api/v1/courses/1/group_categories?includes[]=groups",
                 data={"name": "Quartets", "self_signup": "enabled", "create_group_count": "2"})
    assert r.status == 200
    body = r.json()
    assert [g["name"] for g in body["groups"]] == ["Quartet 1", "Quartet 2"]
    assert (body["groups_count"], body["unassigned_users_count"]) == (2, 14)


# -- PUT /group_categories/:id -----------------------------------------------------------------

def test_update_category(api, store):
    r = api.put("/api/v1/group_categories/1",
                data={"name": "Capstone Groups", "self_signup": "Enabled", "auto_leader": "random",
                      "group_limit": "5"})
    assert r.status == 200
    cat = store.get("group_categories", 1)
    assert r.json() == {
        "id": 1, "name": "Capstone Groups", "role": None, "self_signup": "enabled", "group_limit": 5,
        "auto_leader": "random", "created_at": iso(cat.created_at), "context_type": "Course", "course_id": 1,
        "protected": False, "allows_multiple_memberships": False, "is_member": False,
        "self_signup_end_at": None,
    }
    assert (cat.name, cat.self_signup, cat.auto_leader, cat.group_limit) == ("Capstone Groups", "enabled",
                                                                             "random", 5)
    # the new limit reaches every group of the category (Project Group 3 had max 4)
    assert [store.get("groups", g).max_membership for g in (1, 2, 3)] == [5, 5, 5]
    # other categories' groups are untouched
    assert store.get("groups", 5).max_membership is None
    # memberships are untouched
    assert placement(store, 1) == {6: [1], 8: [1], 9: [1], 7: [2], 10: [2], 11: [2], 12: [3], 13: [3]}


def test_update_with_only_name_resets_self_signup_auto_leader_group_limit(api, store):
    """ParamsPolicy assigns self_signup, auto_leader and group_limit from every request."""
    with store.lock:
        for g in (5, 6):
            store._update("groups", store.get("groups", g), max_membership=3)
    r = api.put("/api/v1/group_categories/3", data={"name": "Teams"})
    assert r.status == 200
    body = r.json()
    assert (body["name"], body["self_signup"], body["auto_leader"], body["group_limit"]) == ("Teams", None, None,
                                                                                             None)
    cat = store.get("group_categories", 3)
    assert (cat.name, cat.self_signup, cat.auto_leader, cat.group_limit) == ("Teams", None, None, None)
    assert [store.get("groups", g).max_membership for g in (5, 6)] == [None, None]


def test_update_without_name_keeps_it(api, store):
    r = api.put("/api/v1/group_categories/3", data={"self_signup": "restricted", "auto_leader": "random",
                                                    "group_limit": "4"})
    assert r.status == 200
    assert (r.json()["name"], r.json()["self_signup"], r.json()["auto_leader"], r.json()["group_limit"]) == (
        "Self Sign-up Teams", "restricted", "random", 4)
    cat = store.get("group_categories", 3)
    assert (cat.name, cat.self_signup, cat.auto_leader, cat.group_limit) == ("Self Sign-up Teams", "restricted",
                                                                             "random", 4)
    assert [store.get("groups", g).max_membership for g in (5, 6)] == [4, 4]


def test_update_legacy_parameters(api, store):
    r = api.put("/api/v1/group_categories/1", data={"enable_self_signup": "1", "enable_auto_leader": "1",
                                                    "auto_leader_type": "first"})
    assert r.status == 200
    assert (r.json()["self_signup"], r.json()["auto_leader"]) == ("enabled", "first")
    cat = store.get("group_categories", 1)
    assert (cat.self_signup, cat.auto_leader) == ("enabled", "first")


def test_update_unknown_values_become_null(api, store):
    r = api.put("/api/v1/group_categories/3", data={"self_signup": "open", "auto_leader": "eldest",
                                                    "group_limit": "3"})
    assert r.status == 200
    cat = store.get("group_categories", 3)
    assert (cat.self_signup, cat.auto_leader, cat.group_limit) == (None, None, 3)


def test_update_protected_category_name_unchanged_is_allowed(api, store):
    """The API branch of update does not check protected, and an unchanged reserved name is not
    validated again (validates_each :name skips an unchanged name)."""
    r = api.put("/api/v1/group_categories/2", data={"name": "Student Groups", "self_signup": "enabled"})
    assert r.status == 200
    assert (r.json()["name"], r.json()["role"]) == ("Student Groups", "student_organized")
    r = api.put("/api/v1/group_categories/4", token="admin-token", data={"name": "Communities",
                                                                         "self_signup": "enabled"})
    assert r.status == 200  # communities may self-sign-up although in an account
    assert store.get("group_categories", 4).self_signup == "enabled"


def test_update_account_category_refuses_self_signup(api, store):
    r = api.put("/api/v1/group_categories/5", token="admin-token", data={"self_signup": "enabled"})
    assert r.status == 400
    assert r.json() == SELF_SIGNUP_ACCOUNT
    assert_unchanged(store)


@pytest.mark.parametrize("data,expected", [
    ({"name": ""}, invalid(("name", "Name is required"))),
    ({"name": "Self Sign-up Teams"}, invalid(("name", "Self Sign-up Teams is already in use."))),
    ({"name": "Student Groups"}, invalid(("name", "Student Groups is a reserved name."))),
    ({"name": "y" * 256}, invalid(("name", "Enter a shorter category name"))),
    ({"name": "Fine", "group_limit": "1"}, invalid(("group_limit", "Must be greater than 1"))),
    # every group of the project category mixes sections
    ({"self_signup": "restricted"}, invalid(("restrict_self_signup",
                                             "Can't restrict self-signup while a mixed-section group exists "
                                             "in the category"))),
])
def test_update_invalid_changes_nothing(api, store, data, expected):
    r = api.put("/api/v1/group_categories/1", data=data)
    assert r.status == 400
    assert r.json() == expected
    assert_unchanged(store)
    cat = store.get("group_categories", 1)
    assert (cat.name, cat.self_signup, cat.group_limit) == ("Project Groups", None, None)


def test_update_sis_id(api, store):
    r = api.put("/api/v1/group_categories/1", token="admin-token", data={"sis_group_category_id": "PG-2025"})
    assert r.status == 200
    assert r.json()["sis_group_category_id"] == "PG-2025"
    assert store.get("group_categories", 1).sis_group_category_id == "PG-2025"


def test_update_sis_id_needs_manage_sis(api, store):
    r = api.put("/api/v1/group_categories/1", data={"name": "Renamed", "sis_group_category_id": "PG-2025"})
    assert r.status == 401
    assert r.json() == SIS_SET
    assert_unchanged(store)
    assert store.get("group_categories", 1).name == "Project Groups"


def test_update_create_group_count_adds_groups_numbered_from_one(api, store):
    """GroupCategory#create_groups numbers "<singular> 1..N" whatever exists (names may repeat)."""
    r = api.put("/api/v1/group_categories/1", data={"self_signup": "enabled", "create_group_count": "2"})
    assert r.status == 200
    gids = live_group_ids(store, 1)
    assert len(gids) == 5
    new = [g for g in gids if g not in (1, 2, 3)]
    assert [store.get("groups", g).name for g in new] == ["Project Group 1", "Project Group 2"]
    assert all(members(store, g) == [] for g in new)  # self-signup: nobody assigned


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_update_refused(api, store, token):
    r = api.put("/api/v1/group_categories/1", token=token, data={"name": "Mine"})
    assert r.status == 401
    assert r.json() == UNAUTHORIZED
    assert_unchanged(store)


# -- DELETE /group_categories/:id --------------------------------------------------------------

def test_delete_category(api, store):
    memberships_before = membership_rows(store)
    cat = store.get("group_categories", 1)
    r = api.delete("/api/v1/group_categories/1")
    assert r.status == 200
    # the category json, with no sign of the deletion
    assert r.json() == {
        "id": 1, "name": "Project Groups", "role": None, "self_signup": None, "group_limit": None,
        "auto_leader": None, "created_at": iso(cat.created_at), "context_type": "Course", "course_id": 1,
        "protected": False, "allows_multiple_memberships": False, "is_member": False,
        "self_signup_end_at": None,
    }
    assert store.get("group_categories", 1).deleted_at is not None
    assert [store.get("groups", g).workflow_state for g in (1, 2, 3)] == ["deleted"] * 3
    assert store.get("groups", 4).workflow_state == "available"
    assert membership_rows(store) == memberships_before  # memberships untouched
    # afterwards: the category 404s with its own body, its groups with the standard one
    r = api.get("/api/v1/group_categories/1")
    assert r.status == 404 and r.json() == CATEGORY_NOT_FOUND
    for g in (1, 2, 3):
        r = api.get(f"/api/v1/groups/{g}")
        assert r.status == 404 and r.json() == NOT_FOUND
    assert [g["id"] for g in api.get("/api/v1/courses/1/groups").json()] == [4, 5, 6]
    assert [c["id"] for c in api.get("/api/v1/courses/1/group_categories").json()] == [2, 3]
    assert api.get("/api/v1/group_categories/sis_group_category_id:PG-2024").status == 404
    r = api.delete("/api/v1/group_categories/1")
    assert r.status == 404 and r.json() == CATEGORY_NOT_FOUND


def test_delete_account_category(api, store):
    r = api.delete("/api/v1/group_categories/5", token="admin-token")
    assert r.status == 200
    assert (r.json()["id"], r.json()["account_id"]) == (5, 1)
    assert store.get("group_categories", 5).deleted_at is not None
    assert store.get("groups", 8).workflow_state == "deleted"


def test_delete_frees_the_name(api, store):
    assert api.delete("/api/v1/group_categories/1").status == 200
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Project Groups"})
    assert r.status == 200 and r.json()["id"] != 1


@pytest.mark.parametrize("cat_id,token", [(2, "teacher-token"), (2, "admin-token"), (4, "admin-token")])
def test_delete_protected_category(api, store, cat_id, token):
    r = api.delete(f"/api/v1/group_categories/{cat_id}", token=token)
    assert r.status == 401
    assert r.json() == PROTECTED
    assert_unchanged(store)


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_delete_refused(api, store, token):
    r = api.delete("/api/v1/group_categories/1", token=token)
    assert r.status == 401
    assert r.json() == UNAUTHORIZED
    assert_unchanged(store)


# -- GET /group_categories/:id/groups ----------------------------------------------------------

def test_list_category_groups(api, store):
    with store.lock:  # a deleted group is left out; names sort case-insensitively
        store._update("groups", store.get("groups", 2), workflow_state="deleted")
        store.insert("groups", name="alpha squad", context_type="Course", context_id=1, root_account_id=1,
                     group_category_id=1)
    r = api.get("/api/v1/group_categories/1/groups")
    assert r.status == 200
    body = r.json()
    assert [g["name"] for g in body] == ["alpha squad", "Project Group 1", "Project Group 3"]
    assert all(set(g) == GROUP_KEYS | {"course_id"} for g in body)
    pg1 = body[1]
    assert (pg1["id"], pg1["members_count"], pg1["group_category_id"], pg1["role"]) == (1, 3, 1, None)
    assert "sis_group_id" not in pg1  # the teacher has no SIS rights on the root account
    assert pg1["leader"]["id"] == 6
    assert body[2]["max_membership"] == 4


def test_list_category_groups_paginated(api):
    r = api.get("/api/v1/group_categories/1/groups?per_page=2")
    assert r.status == 200
    assert [g["id"] for g in r.json()] == [1, 2]
    base = f"{api.base_url}/api/v1/group_categories/1/groups"
    assert r.headers["Link"] == (f'<{base}?page=1&per_page=2>; rel="current",'
                                 f'<{base}?page=2&per_page=2>; rel="next",'
                                 f'<{base}?page=1&per_page=2>; rel="first",'
                                 f'<{base}?page=2&per_page=2>; rel="last"')
    r2 = api.get(r.links["next"])
    assert [g["id"] for g in r2.json()] == [3]


def test_list_category_groups_without_read_sis(api, designer):
    r = api.get("/api/v1/group_categories/1/groups", token=designer)
    assert r.status == 200
    assert all(set(g) == GROUP_KEYS | {"course_id"} for g in r.json())


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_list_category_groups_refused(api, token):
    r = api.get("/api/v1/group_categories/1/groups", token=token)
    assert r.status == 401
    assert r.json() == UNAUTHORIZED


# -- GET /group_categories/:id/users -----------------------------------------------------------

def by_sortable(store, ids):
    return [u.id for u in sorted((store.get("users", i) for i in ids), key=lambda u: (u.sortable_name, u.id))]


def test_list_category_users(api, store):
    r = api.get("/api/v1/group_categories/1/users?per_page=100")
    assert r.status == 200
    body = r.json()
    # only the course's students (no teacher, TA, designer, observer), by sortable name
    assert [u["id"] for u in body] == by_sortable(store, STUDENTS)
    first = store.get("users", body[0]["id"])
    assert (body[0]["name"], body[0]["sortable_name"], body[0]["short_name"]) == (
        first.name, first.sortable_name, first.short_name)
    assert body[0]["sis_user_id"] == first.sis_user_id  # the teacher reads SIS


def test_list_category_users_paginated(api, store):
    r = api.get("/api/v1/group_categories/1/users")
    assert r.status == 200
    ordered = by_sortable(store, STUDENTS)
    assert [u["id"] for u in r.json()] == ordered[:10]
    base = f"{api.base_url}/api/v1/group_categories/1/users"
    assert r.headers["Link"] == (f'<{base}?page=1&per_page=10>; rel="current",'
                                 f'<{base}?page=2&per_page=10>; rel="next",'
                                 f'<{base}?page=1&per_page=10>; rel="first",'
                                 f'<{base}?page=2&per_page=10>; rel="last"')
    r2 = api.get(r.links["next"])
    assert [u["id"] for u in r2.json()] == ordered[10:]


def test_list_category_users_unassigned(api, store):
    r = api.get("/api/v1/group_categories/1/users?unassigned=true&per_page=100")
    assert r.status == 200
    assert [u["id"] for u in r.json()] == by_sortable(store, UNASSIGNED_IN_PROJECTS)
    r = api.get("/api/v1/group_categories/3/users?unassigned=true&per_page=100")
    assert [u["id"] for u in r.json()] == by_sortable(store, [u for u in STUDENTS if u != 14])
    # unassigned=false lists everyone
    r = api.get("/api/v1/group_categories/1/users?unassigned=false&per_page=100")
    assert len(r.json()) == 14
    # the filter is carried into the links
    r = api.get("/api/v1/group_categories/1/users?unassigned=true&per_page=4")
    assert r.links["next"] == f"{api.base_url}/api/v1/group_categories/1/users?unassigned=true&page=2&per_page=4"


def test_list_category_users_search_term(api, store):
    name = store.get("users", 15).name  # a generated name
    last = name.split()[-1]
    r = api.get(f"/api/v1/group_categories/1/users?search_term={last}")
    assert r.status == 200
    expected = [u for u in STUDENTS if last.casefold() in store.get("users", u).name.casefold()]
    assert 15 in expected
    assert [u["id"] for u in r.json()] == by_sortable(store, expected)
    r = api.get("/api/v1/group_categories/1/users?search_term=Stella")
    assert [u["id"] for u in r.json()] == [7]
    # a student who is not unassigned is not found with unassigned=true
    r = api.get("/api/v1/group_categories/1/users?search_term=Stella&unassigned=true")
    assert r.json() == []
    # a blank term is no search
    r = api.get("/api/v1/group_categories/1/users?search_term=%20%20&per_page=100")
    assert r.status == 200 and len(r.json()) == 14


@pytest.mark.parametrize("term", ["a", "x", "%20a%20"])
def test_list_category_users_search_term_too_short(api, term):
    r = api.get(f"/api/v1/group_categories/1/users?search_term={term}")
    assert r.status == 400
    assert r.json() == SEARCH_TERM_TOO_SHORT


def test_list_category_users_as_student(api):
    """users needs read_roster on a course: students may list (without SIS fields)."""
    r = api.get("/api/v1/group_categories/1/users?per_page=100", token="student-token")
    assert r.status == 200
    body = r.json()
    assert len(body) == 14
    assert all(set(u) == {"id", "name", "created_at", "sortable_name", "short_name"} for u in body)


def test_list_category_users_refused_to_outsiders(api):
    r = api.get("/api/v1/group_categories/1/users", token="outsider-token")
    assert r.status == 401
    assert r.json() == UNAUTHORIZED


def test_list_account_category_users(api, store):
    r = api.get("/api/v1/group_categories/5/users?unassigned=true&per_page=100", token="admin-token")
    assert r.status == 200
    ids = [u["id"] for u in r.json()]
    # users 1 and 2 sit on the Curriculum Committee
    assert 1 not in ids and 2 not in ids
    assert set(STUDENTS) <= set(ids)
    r = api.get("/api/v1/group_categories/5/users", token="teacher-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED


# -- GET /group_categories/:id/export -----------------------------------------------------------

def export_rows(store, *, sis):
    rows = []
    group_of = {6: 1, 8: 1, 9: 1, 7: 2, 10: 2, 11: 2, 12: 3, 13: 3}
    for uid in by_sortable(store, STUDENTS):
        u = store.get("users", uid)
        gid = group_of.get(uid)
        sortable = f'"{u.sortable_name}"' if "," in u.sortable_name else u.sortable_name
        row = [sortable, str(uid)] + ([u.sis_user_id] if sis else []) + [u.login_id, section_of(uid)[1]]
        row += [f"Project Group {gid}" if gid else "", str(gid) if gid else ""]
        if sis:
            row += ["PG-1" if gid == 1 else ""]
        rows.append(",".join(row))
    return rows


def test_export_category(api, store):
    r = api.get("/api/v1/group_categories/1/export")
    assert r.status == 200
    assert r.headers["Content-Type"].split(";")[0] == "text/csv"
    assert r.headers["Content-Disposition"] == \
        "attachment; filename=\"Project Groups.csv\"; filename*=UTF-8''Project%20Groups.csv"  # Rails' format
    lines = r.text.splitlines()
    assert lines[0] == EXPORT_HEADER
    assert lines[1:] == export_rows(store, sis=True)


def test_export_without_read_sis(api, store, designer):
    r = api.get("/api/v1/group_categories/1/export", token=designer)
    assert r.status == 200
    lines = r.text.splitlines()
    assert lines[0] == "name,canvas_user_id,login_id,sections,group_name,canvas_group_id"
    assert lines[1:] == export_rows(store, sis=False)


def test_export_category_without_memberships(api, store):
    r = api.post("/api/v1/courses/1/group_categories",
                 data={"name": "Empty Sets", "self_signup": "enabled", "create_group_count": "2"})
    assert r.status == 200
    r = api.get(f"/api/v1/group_categories/{r.json()['id']}/export")
    assert r.status == 200
    assert r.headers["Content-Disposition"] == "attachment; filename=\"Empty Sets.csv\"; filename*=UTF-8''Empty%20Sets.csv"
    lines = r.text.splitlines()
    assert lines[0] == "name,canvas_user_id,user_id,login_id,sections,group_name"
    assert len(lines) == 15
    first = store.get("users", by_sortable(store, STUDENTS)[0])
    assert lines[1] == (f'"{first.sortable_name}",{first.id},{first.sis_user_id},{first.login_id},'
                        f"{section_of(first.id)[1]},")


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_export_refused(api, token):
    r = api.get("/api/v1/group_categories/1/export", token=token)
    assert r.status == 401
    assert r.json() == UNAUTHORIZED


# -- POST /group_categories/:id/import ----------------------------------------------------------

IMPORT_CSV = "\n".join([
    IMPORT_HEADER,
    "14,,,Project Group 2,,",      # by canvas user id, into a group by name
    ",S-015,,,3,",                 # by SIS user id, into a group by canvas id
    ",,student16,,,PG-1",          # by login id, into a group by SIS id
    "17,,,Brand New Group,,",      # an unknown group name makes a group
    "999,,,Project Group 1,,",     # unknown user: skipped
    "18,,,,42,",                   # unknown group: skipped
    "2,,,Project Group 1,,",       # the teacher is no student: skipped
    "14,,,Project Group 3,,",      # 14 again: skipped
    "6,,,Project Group 2,,",       # 6 moves from group 1 to group 2
]) + "\n"


def assert_imported(store):
    new = [g for g in live_group_ids(store, 1) if g not in (1, 2, 3)]
    assert [store.get("groups", g).name for g in new] == ["Brand New Group"]
    (new_id,) = new
    group = store.get("groups", new_id)
    assert (group.context_type, group.context_id, group.group_category_id) == ("Course", 1, 1)
    assert placement(store, 1) == {
        8: [1], 9: [1], 16: [1],
        6: [2], 7: [2], 10: [2], 11: [2], 14: [2],
        12: [3], 13: [3], 15: [3],
        17: [new_id],
    }
    # 6's old membership is gone (soft-deleted), the new ones are accepted
    assert [m.workflow_state for m in store.all("memberships") if m.group_id == 1 and m.user_id == 6] == ["deleted"]
    return new_id


def test_import_raw_csv(api, store):
    store.progress.set_policy("immediate")
    r = post_csv(api, 1, IMPORT_CSV)
    assert r.status == 200
    body = r.json()
    row = store.get("progresses", body["id"])
    assert (body["tag"], body["context_type"], body["context_id"], body["user_id"]) == (
        "course_group_import", "GroupCategory", 1, None)
    assert (body["workflow_state"], body["completion"], body["message"]) == ("completed", 100, None)
    assert body["url"] == f"{api.base_url}/api/v1/progress/{body['id']}"
    assert (row.workflow_state, row.tag, row.context_type, row.context_id) == ("completed", "course_group_import",
                                                                              "GroupCategory", 1)
    assert_imported(store)


def test_import_multipart_attachment(api, store):
    store.progress.set_policy("immediate")
    data, headers = multipart("groups.csv", IMPORT_CSV.encode())
    r = api.post("/api/v1/group_categories/1/import", data=data, headers=headers)
    assert r.status == 200, r.text
    assert (r.json()["tag"], r.json()["workflow_state"]) == ("course_group_import", "completed")
    assert_imported(store)


def test_import_in_the_background(api, store):
    """The default policy: the answer is a queued Progress; polling sees it complete."""
    before = membership_rows(store)
    r = post_csv(api, 1, IMPORT_CSV)
    assert r.status == 200
    body = r.json()
    assert set(body) == PROGRESS_KEYS
    created = iso(store.get("progresses", body["id"]).created_at)
    assert body == {
        "id": body["id"], "context_id": 1, "context_type": "GroupCategory", "user_id": None,
        "tag": "course_group_import", "completion": 0, "workflow_state": "queued",
        "created_at": created, "updated_at": created, "message": None,
        "url": f"{api.base_url}/api/v1/progress/{body['id']}",
    }
    done = wait_progress(api, body["id"])
    assert (done["workflow_state"], done["completion"], done["message"]) == ("completed", 100, None)
    assert membership_rows(store) != before
    assert_imported(store)


def test_import_header_case_and_spaces(api, store):
    """The importer downcases headers and strips fields (SIS::CSV PARSE_ARGS)."""
    store.progress.set_policy("immediate")
    r = post_csv(api, 1, "Canvas_User_ID , Group_Name\n 18 ,  Project Group 3 \n")
    assert r.json()["workflow_state"] == "completed"
    assert placement(store, 1)[18] == [3]


def test_import_user_and_group_fallbacks(api, store):
    """A user column that finds nobody falls back to the next; a group id that finds no group of
    the category falls back to group_name."""
    store.progress.set_policy("immediate")
    text = "\n".join([
        IMPORT_HEADER,
        "4242,S-018,,Project Group 1,,",   # no such canvas id: the SIS id finds 18
        ",NOPE,student19,,2,",              # no such SIS id: the login finds 19
        "15,,,Project Group 3,5,",          # group 5 is in another category: by name
    ]) + "\n"
    r = post_csv(api, 1, text)
    assert r.json()["workflow_state"] == "completed"
    got = placement(store, 1)
    assert (got[18], got[19], got[15]) == ([1], [2], [3])
    assert members(store, 5) == [14]  # the other category's group is untouched


def test_import_unknown_user_still_creates_a_named_group(api, store):
    """group_from_row runs before user_from_row: a new group_name makes its group either way."""
    store.progress.set_policy("immediate")
    r = post_csv(api, 1, "canvas_user_id,group_name\n999,Ghost Group\n")
    assert r.json()["workflow_state"] == "completed"
    names = [store.get("groups", g).name for g in live_group_ids(store, 1)]
    assert "Ghost Group" in names
    ghost = next(g for g in live_group_ids(store, 1) if store.get("groups", g).name == "Ghost Group")
    assert members(store, ghost) == []


def test_import_restores_a_deleted_group_named_by_id(api, store):
    store.progress.set_policy("immediate")
    with store.lock:
        store._update("groups", store.get("groups", 3), workflow_state="deleted")
    r = post_csv(api, 1, "canvas_user_id,canvas_group_id\n18,3\n")
    assert r.json()["workflow_state"] == "completed"
    assert store.get("groups", 3).workflow_state == "available"
    assert members(store, 3) == [12, 13, 18]


def test_import_into_a_protected_category(api, store):
    r = post_csv(api, 2, IMPORT_CSV)
    assert r.status == 401
    assert r.json() == PROTECTED
    assert_unchanged(store)  # not even a Progress
    r = post_csv(api, 4, IMPORT_CSV, token="admin-token")
    assert r.status == 401 and r.json() == PROTECTED
    assert_unchanged(store)


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_import_refused(api, store, token):
    r = post_csv(api, 1, IMPORT_CSV, token=token)
    assert r.status == 401
    assert r.json() == UNAUTHORIZED
    assert_unchanged(store)


@pytest.mark.parametrize("query,data,message", [
    ("?extension=txt", IMPORT_CSV.encode(), "Only CSV files are supported."),
    ("", IMPORT_HEADER.encode() + b"\n14,,,Gr\xfcppe,,\n", "Invalid UTF-8"),
    ("", b'canvas_user_id,group_name\n14,Project Group 2\n15,"a,b\n"x', "Malformed CSV"),
])
def test_import_failures(api, store, query, data, message):
    store.progress.set_policy("immediate")
    before = membership_rows(store)
    groups_before = set(store.rows["groups"])
    r = post_csv(api, 1, data, query=query)
    assert r.status == 200
    body = r.json()
    assert (body["tag"], body["workflow_state"], body["message"]) == ("course_group_import", "failed", message)
    assert store.get("progresses", body["id"]).workflow_state == "failed"
    polled = api.get(f"/api/v1/progress/{body['id']}").json()
    assert (polled["workflow_state"], polled["message"]) == ("failed", message)
    assert membership_rows(store) == before
    assert set(store.rows["groups"]) == groups_before


def test_import_failure_in_the_background(api, store):
    before = membership_rows(store)
    r = post_csv(api, 1, IMPORT_CSV, query="?extension=xlsx")
    assert r.status == 200 and r.json()["workflow_state"] == "queued"
    done = wait_progress(api, r.json()["id"])
    assert (done["workflow_state"], done["message"]) == ("failed", "Only CSV files are supported.")
    assert membership_rows(store) == before


def test_import_multipart_txt_file_fails(api, store):
    store.progress.set_policy("immediate")
    before = membership_rows(store)
    data, headers = multipart("groups.txt", IMPORT_CSV.encode(), content_type="text/plain")
    r = api.post("/api/v1/group_categories/1/import", data=data, headers=headers)
    assert r.status == 200
    assert (r.json()["workflow_state"], r.json()["message"]) == ("failed", "Only CSV files are supported.")
    assert membership_rows(store) == before


# -- POST /group_categories/:id/assign_unassigned_members ----------------------------------

def test_assign_sync(api, store):
    r = api.post("/api/v1/group_categories/1/assign_unassigned_members", data={"sync": "true"})
    assert r.status == 200
    body = r.json()
    # one entry per group that received members
    assert sorted(e["id"] for e in body) == [1, 2, 3]
    assert all(set(e) == {"id", "new_members"} for e in body)
    new = {m["user_id"]: (e["id"], m) for e in body for m in e["new_members"]}
    assert sorted(new) == UNASSIGNED_IN_PROJECTS
    assert sum(len(e["new_members"]) for e in body) == 6  # nobody twice
    for uid, (gid, member) in new.items():
        u = store.get("users", uid)
        section_id, section_code = section_of(uid)
        assert member == {"user_id": uid, "name": u.name, "display_name": u.short_name,
                          "sections": [{"section_id": section_id, "section_code": section_code}]}
        assert uid in members(store, gid)
    # every student placed exactly once; sizes even where limits allow (group 3 has max 4)
    placed = placement(store, 1)
    assert sorted(placed) == STUDENTS
    assert all(len(v) == 1 for v in placed.values())
    assert sizes(store, [1, 2, 3]) == {1: 5, 2: 5, 3: 4}
    # the old members stay where they were
    assert {6, 8, 9} <= set(members(store, 1)) and {7, 10, 11} <= set(members(store, 2))
    # a second run finds nobody to assign
    again = api.post("/api/v1/group_categories/1/assign_unassigned_members", data={"sync": "true"})
    assert (again.status, again.json()) == (200, [])


def test_assign_respects_max_membership(api, store):
    with store.lock:
        store._update("groups", store.get("groups", 3), max_membership=2)
    r = api.post("/api/v1/group_categories/1/assign_unassigned_members?sync=true")
    assert r.status == 200
    assert sorted(e["id"] for e in r.json()) == [1, 2]
    assert sizes(store, [1, 2, 3]) == {1: 6, 2: 6, 3: 2}
    assert members(store, 3) == [12, 13]
    assert sorted(placement(store, 1)) == STUDENTS


def test_assign_respects_group_limit_and_applies_auto_leader(api, store):
    """Category 3: group_limit 3, auto_leader first; Team 1 has 14 (its leader), Team 2 nobody."""
    r = api.post("/api/v1/group_categories/3/assign_unassigned_members", data={"sync": "1"})
    assert r.status == 200
    assert sizes(store, [5, 6]) == {5: 3, 6: 3}
    placed = placement(store, 3)
    assert len(placed) == 6 and all(len(v) == 1 for v in placed.values())
    assert sorted(m["user_id"] for e in r.json() for m in e["new_members"]) == sorted(u for u in placed if u != 14)
    # auto_leader first: a group without a leader gets its first member; Team 1 keeps 14
    assert store.get("groups", 5).leader_id == 14
    first = min((m for m in store.all("memberships") if m.group_id == 6 and m.workflow_state == "accepted"),
                key=lambda m: m.id)
    assert store.get("groups", 6).leader_id == first.user_id
    assert api.get("/api/v1/groups/6").json()["leader"]["id"] == first.user_id
    # the rest stay unassigned
    r = api.get("/api/v1/group_categories/3/users?unassigned=true&per_page=100")
    assert len(r.json()) == 8


def test_assign_applies_random_auto_leader_to_groups_without_one(api, store):
    with store.lock:
        store._update("group_categories", store.get("group_categories", 1), auto_leader="random")
    r = api.post("/api/v1/group_categories/1/assign_unassigned_members?sync=true")
    assert r.status == 200
    assert store.get("groups", 1).leader_id == 6  # kept
    for g in (2, 3):
        assert store.get("groups", g).leader_id in members(store, g)


def test_assign_by_section(api, store):
    with store.lock:
        cat = store.insert("group_categories", name="By Section", context_type="Course", context_id=1,
                           root_account_id=1)
        a = store.insert("groups", name="Alpha", context_type="Course", context_id=1, root_account_id=1,
                         group_category_id=cat.id)
        b = store.insert("groups", name="Beta", context_type="Course", context_id=1, root_account_id=1,
                         group_category_id=cat.id)
        store.insert("memberships", group_id=a.id, user_id=6, workflow_state="accepted")  # Section A
        store.insert("memberships", group_id=b.id, user_id=7, workflow_state="accepted")  # Section B
    r = api.post(f"/api/v1/group_categories/{cat.id}/assign_unassigned_members",
                 data={"sync": "true", "group_by_section": "true"})
    assert r.status == 200
    assert members(store, a.id) == [u for u in STUDENTS if u % 2 == 0]
    assert members(store, b.id) == [u for u in STUDENTS if u % 2 == 1]
    for e in r.json():
        expected_section = 1 if e["id"] == a.id else 2
        assert all(m["sections"][0]["section_id"] == expected_section for m in e["new_members"])


def test_assign_in_the_background(api, store):
    r = api.post("/api/v1/group_categories/1/assign_unassigned_members")
    assert r.status == 200
    body = r.json()
    created = iso(store.get("progresses", body["id"]).created_at)
    assert body == {
        "id": body["id"], "context_id": 1, "context_type": "GroupCategory", "user_id": None,
        "tag": "assign_unassigned_members", "completion": 0, "workflow_state": "queued",
        "created_at": created, "updated_at": created, "message": None,
        "url": f"{api.base_url}/api/v1/progress/{body['id']}",
    }
    done = wait_progress(api, body["id"])
    assert (done["workflow_state"], done["completion"]) == ("completed", 100)
    placed = placement(store, 1)
    assert sorted(placed) == STUDENTS and all(len(v) == 1 for v in placed.values())
    assert sizes(store, [1, 2, 3]) == {1: 5, 2: 5, 3: 4}
    # no longer pending: the category shows no progress
    assert "progress" not in api.get("/api/v1/group_categories/1").json()


def test_assign_immediate_policy(api, store):
    store.progress.set_policy("immediate")
    r = api.post("/api/v1/group_categories/1/assign_unassigned_members", data={"sync": "false"})
    assert r.status == 200
    assert (r.json()["tag"], r.json()["workflow_state"], r.json()["completion"]) == (
        "assign_unassigned_members", "completed", 100)
    assert sorted(placement(store, 1)) == STUDENTS


def test_assign_student_organized_category(api, store):
    r = api.post("/api/v1/group_categories/2/assign_unassigned_members", data={"sync": "true"})
    assert r.status == 400
    assert r.json() == {}
    assert_unchanged(store)


def test_assign_restricted_self_signup_course_category(api, store):
    with store.lock:
        store._update("group_categories", store.get("group_categories", 3), self_signup="restricted")
    before = membership_rows(store)
    progresses = set(store.rows["progresses"])
    for data in ({"sync": "true"}, {}):
        r = api.post("/api/v1/group_categories/3/assign_unassigned_members", data=data)
        assert r.status == 400
        assert r.json() == {}
    assert membership_rows(store) == before
    assert set(store.rows["progresses"]) == progresses


@pytest.mark.parametrize("token", ["student-token", "outsider-token"])
def test_assign_refused(api, store, token):
    r = api.post("/api/v1/group_categories/1/assign_unassigned_members", token=token, data={"sync": "true"})
    assert r.status == 401
    assert r.json() == UNAUTHORIZED
    assert_unchanged(store)
