"""Who a request acts as and how it names things: ``as_user_id`` masquerading (load_user in
lib/authentication_methods.rb, User#can_masquerade?), and the id forms Canvas accepts in paths
(Api.sis_parse_id and api_find: integer ids, ``sis_*:`` forms, ``hex:sis_*:`` forms, global ids and
the short ``shard~id`` form).

Default world (README): admin-token is Ada Admin (1), admin of root account 1 (SIS MOCKU) and so of
sub-account 2 (SCI); teacher-token is Terry Teacher (2, T-002), teacher of course 1 (MOCK101-2024);
student-token is Sam Student (6, S-006), student2-token Stella Student (7, S-007), outsider-token
Ulysses Outsider (20). Group 1 is SIS PG-1 in category 1 (SIS PG-2024) of course 1.
"""

from __future__ import annotations

import pytest
import requests

from mockcanvas import CanvasServer, create_app
from mockcanvas.seed import load_world
from mockcanvas.settings import Settings

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
CATEGORY_NOT_FOUND = {"status": "not found"}  # GroupCategoriesController#get_category_context
INVALID_AS_USER = {"errors": "Invalid as_user_id"}
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}


def hexed(form: str, value: str) -> str:
    """Canvas's hex form of a SIS id: ``hex:sis_user_id:<hex of the UTF-8 bytes>``."""
    return f"hex:{form}:{value.encode().hex()}"


def ids(resp) -> list:
    return [x["id"] for x in resp.json()]


def membership_events(store) -> list:
    return store.live_events.named("group_membership_created")


# -- as_user_id: who may become whom -----------------------------------------------------------

@pytest.mark.parametrize("ref", ["6", "sis_user_id:S-006", hexed("sis_user_id", "S-006"),
                                 "sis_login_id:student"])
def test_admin_acts_as_a_student_by_any_id_form(api, ref):
    r = api.get("/api/v1/users/self", token="admin-token", params={"as_user_id": ref})
    assert r.status == 200, r.text
    assert r.json()["id"] == 6 and r.json()["name"] == "Sam Student"
    assert r.headers["X-Canvas-User-Id"] == "6"
    assert r.headers["X-Canvas-Real-User-Id"] == "1"


def test_without_as_user_id_there_is_no_real_user_header(api):
    r = api.get("/api/v1/users/self", token="admin-token")
    assert r.json()["id"] == 1
    assert r.headers["X-Canvas-User-Id"] == "1"
    assert "X-Canvas-Real-User-Id" not in r.headers


def test_as_user_id_in_a_form_body(api, store):
    r = api.post("/api/v1/groups/4/memberships", token="admin-token",
                 data={"user_id": "self", "as_user_id": "sis_user_id:S-006"})
    assert r.status == 200, r.text
    assert r.json()["user_id"] == 6 and r.json()["group_id"] == 4
    assert (r.headers["X-Canvas-User-Id"], r.headers["X-Canvas-Real-User-Id"]) == ("6", "1")
    assert store.policy.membership(store.get("groups", 4), store.get("users", 6)) is not None
    assert store.policy.membership(store.get("groups", 4), store.get("users", 1)) is None


def test_as_user_id_in_a_json_body(api, store):
    r = api.post("/api/v1/groups/4/memberships", token="admin-token",
                 json={"user_id": "self", "as_user_id": 6})
    assert r.status == 200, r.text
    assert r.json()["user_id"] == 6
    assert (r.headers["X-Canvas-User-Id"], r.headers["X-Canvas-Real-User-Id"]) == ("6", "1")


def test_permissions_follow_the_effective_user(api, store):
    # the admin may create a category in course 1 ...
    own = api.post("/api/v1/courses/1/group_categories", token="admin-token", data={"name": "Admin Made"})
    assert own.status == 200, own.text
    before = store.changed_rows
    # ... the student may not, and neither may the admin acting as the student
    as_student = api.post("/api/v1/courses/1/group_categories?as_user_id=6", token="admin-token",
                          data={"name": "Student Made"})
    assert as_student.status == 401 and as_student.json() == UNAUTHORIZED
    assert as_student.headers["X-Canvas-User-Id"] == "6"
    student = api.post("/api/v1/courses/1/group_categories", token="student-token", data={"name": "Student Made"})
    assert student.status == as_student.status and student.json() == as_student.json()
    assert store.changed_rows == before
    assert all(c.name != "Student Made" for c in store.all("group_categories"))
    # and what the student may see, the admin acting as them sees the same way
    groups = api.get("/api/v1/users/self/groups", token="admin-token", params={"as_user_id": "6"})
    assert ids(groups) == ids(api.get("/api/v1/users/self/groups", token="student-token"))


def test_masqueraded_membership_records_effective_and_real_user_in_the_live_event(api, store):
    r = api.post("/api/v1/groups/4/memberships", token="admin-token", data={"user_id": "self", "as_user_id": "6"})
    assert r.status == 200, r.text
    events = membership_events(store)
    assert len(events) == 1
    assert events[0].body["user_id"] == "6" and events[0].body["group_id"] == "4"
    assert events[0].metadata["user_id"] == "6"
    assert events[0].metadata["real_user_id"] == "1"
    assert events[0].metadata["user_login"] == "student"


def test_unmasqueraded_live_event_has_no_real_user(api, store):
    r = api.post("/api/v1/groups/4/memberships", token="student-token", data={"user_id": "self"})
    assert r.status == 200, r.text
    (event,) = membership_events(store)
    assert event.metadata["user_id"] == "6"
    assert "real_user_id" not in event.metadata


def test_admin_may_act_as_a_teacher(api):
    r = api.get("/api/v1/users/self", token="admin-token", params={"as_user_id": "sis_user_id:T-002"})
    assert r.status == 200 and r.json()["id"] == 2
    assert (r.headers["X-Canvas-User-Id"], r.headers["X-Canvas-Real-User-Id"]) == ("2", "1")


@pytest.mark.parametrize("token,target", [
    ("teacher-token", "6"),                     # a teacher over their own student
    ("teacher-token", "1"),                     # a teacher over an admin
    ("student-token", "7"),                     # a student over a classmate
    ("student2-token", "sis_user_id:S-006"),
    ("outsider-token", "2"),
])
def test_non_admins_may_not_act_as_someone_else(api, token, target):
    r = api.get("/api/v1/users/self", token=token, params={"as_user_id": target})
    assert r.status == 401
    assert r.json() == INVALID_AS_USER
    assert "X-Canvas-Real-User-Id" not in r.headers


@pytest.mark.parametrize("token,as_user", [("teacher-token", "6"), ("student-token", "sis_user_id:S-007"),
                                           ("student2-token", "6")])
def test_refused_masquerade_on_a_post_changes_nothing(api, store, token, as_user):
    r = api.post("/api/v1/groups/4/memberships", token=token, data={"user_id": "self", "as_user_id": as_user})
    assert r.status == 401 and r.json() == INVALID_AS_USER
    assert store.changed_rows == 0
    assert len(store.live_events) == 0
    assert store.policy.membership(store.get("groups", 4), store.get("users", 6)) is None
    assert store.policy.membership(store.get("groups", 4), store.get("users", 2)) is None


@pytest.mark.parametrize("target", ["999", "sis_user_id:NOPE", "sis_login_id:nobody", hexed("sis_user_id", "NOPE"),
                                    "hex:sis_user_id:5", "sis_course_id:MOCK101-2024", "abc"])
def test_unknown_as_user_id_is_invalid(api, target):
    r = api.get("/api/v1/users/self", token="admin-token", params={"as_user_id": target})
    assert r.status == 401
    assert r.json() == INVALID_AS_USER


def test_deleted_user_cannot_be_masqueraded(api, store):
    store._update("users", store.get("users", 7), workflow_state="deleted")
    r = api.get("/api/v1/users/self", token="admin-token", params={"as_user_id": "7"})
    assert r.status == 401 and r.json() == INVALID_AS_USER


@pytest.fixture
def sub_admin(store):
    """Tara Assistant (3) made an admin of sub-account 2 only; her token is ``sub-admin-token``."""
    store.insert("admins", account_id=2, user_id=3)
    store.add_token("sub-admin-token", 3)
    return "sub-admin-token"


def test_sub_account_admin_cannot_become_a_root_admin(api, sub_admin, store):
    # she really is an admin of the sub-account
    assert api.get("/api/v1/accounts/2", token=sub_admin).status == 200
    # on the root account she is only a TA of a course in it: the read-only form (AccountsController#show)
    assert "default_storage_quota_mb" not in api.get("/api/v1/accounts/1", token=sub_admin).json()
    r = api.get("/api/v1/users/self", token=sub_admin, params={"as_user_id": "1"})
    assert r.status == 401 and r.json() == INVALID_AS_USER
    post = api.post("/api/v1/groups/7/memberships", token=sub_admin, data={"user_id": "self", "as_user_id": "1"})
    assert post.status == 401 and post.json() == INVALID_AS_USER
    assert len(store.live_events) == 0


def test_sub_account_admin_has_no_become_user_on_the_root_account(api, sub_admin):
    # become_user is checked on the domain's root account, where she is no admin
    r = api.get("/api/v1/users/self", token=sub_admin, params={"as_user_id": "6"})
    assert r.status == 401 and r.json() == INVALID_AS_USER


def test_root_admin_may_become_a_sub_account_admin(api, sub_admin):
    r = api.get("/api/v1/users/self", token="admin-token", params={"as_user_id": "3"})
    assert r.status == 200 and r.json()["id"] == 3
    assert (r.headers["X-Canvas-User-Id"], r.headers["X-Canvas-Real-User-Id"]) == ("3", "1")
    # acting as her, the admin has only her rights: the sub-account, not the root account
    assert api.get("/api/v1/accounts/2?as_user_id=3", token="admin-token").status == 200
    assert api.get("/api/v1/accounts/1/sub_accounts?as_user_id=3", token="admin-token").status == 401


@pytest.mark.parametrize("ref", ["2", "sis_user_id:T-002", "sis_login_id:teacher"])
def test_as_user_id_of_oneself_is_allowed(api, ref):
    r = api.get("/api/v1/users/self", token="teacher-token", params={"as_user_id": ref})
    assert r.status == 200, r.text
    assert r.json()["id"] == 2
    assert r.headers["X-Canvas-User-Id"] == "2"


def test_as_user_id_of_oneself_reports_oneself_as_the_real_user(api):
    """load_user: ``user.can_masquerade?(@current_user, ...)`` is true for oneself, so
    ``@real_current_user = @current_user`` and set_user_id_header sends X-Canvas-Real-User-Id with
    the user's own id."""
    r = api.get("/api/v1/users/self", token="teacher-token", params={"as_user_id": "2"})
    assert r.status == 200
    assert r.headers.get("X-Canvas-Real-User-Id") == "2"


def test_as_user_id_without_a_token_is_invalid_not_unauthenticated(api, store):
    """load_user looks at as_user_id before any action asks for a user; nobody can become anyone."""
    r = api.get("/api/v1/users/self", token=None, params={"as_user_id": "6"})
    assert (r.status, r.json()) == (401, INVALID_AS_USER)
    plain = api.get("/api/v1/users/self", token=None)
    assert plain.status == 401 and plain.json()["status"] == "unauthenticated"


def test_empty_as_user_id_is_ignored(api, store):
    r = api.get("/api/v1/users/self?as_user_id=", token="teacher-token")
    assert r.status == 200 and r.json()["id"] == 2
    assert "X-Canvas-Real-User-Id" not in r.headers
    post = api.post("/api/v1/groups/4/memberships", token="student-token", data={"user_id": "self", "as_user_id": ""})
    assert post.status == 200 and post.json()["user_id"] == 6
    assert "real_user_id" not in membership_events(store)[0].metadata


# -- SIS ids in paths, every route family ------------------------------------------------------

GROUP_1 = ["sis_group_id:PG-1", hexed("sis_group_id", "PG-1")]
CATEGORY_1 = ["sis_group_category_id:PG-2024", hexed("sis_group_category_id", "PG-2024")]
COURSE_1 = ["sis_course_id:MOCK101-2024", hexed("sis_course_id", "MOCK101-2024")]
ACCOUNT_1 = ["sis_account_id:MOCKU", hexed("sis_account_id", "MOCKU")]
USER_6 = ["sis_user_id:S-006", hexed("sis_user_id", "S-006"), "sis_login_id:student",
          hexed("sis_login_id", "student")]


@pytest.mark.parametrize("ref", GROUP_1)
def test_group_routes_by_sis_id(api, ref):
    assert api.get(f"/api/v1/groups/{ref}").json()["id"] == 1
    assert sorted(u["id"] for u in api.get(f"/api/v1/groups/{ref}/users").json()) == [6, 8, 9]
    assert sorted(m["user_id"] for m in api.get(f"/api/v1/groups/{ref}/memberships").json()) == [6, 8, 9]
    perms = api.get(f"/api/v1/groups/{ref}/permissions?permissions[]=manage", token="student-token")
    assert perms.status == 200 and perms.json() == {"manage": False}


@pytest.mark.parametrize("ref", GROUP_1)
def test_group_update_by_sis_id(api, store, ref):
    r = api.put(f"/api/v1/groups/{ref}", data={"name": "Renamed by SIS"})
    assert r.status == 200 and r.json()["id"] == 1
    assert store.get("groups", 1).name == "Renamed by SIS"


@pytest.mark.parametrize("ref", CATEGORY_1)
def test_group_category_routes_by_sis_id(api, ref):
    r = api.get(f"/api/v1/group_categories/{ref}")
    assert r.status == 200 and r.json()["id"] == 1
    assert ids(api.get(f"/api/v1/group_categories/{ref}/groups")) == [1, 2, 3]
    users = api.get(f"/api/v1/group_categories/{ref}/users?per_page=100")
    assert users.status == 200
    assert {6, 7, 8} <= {u["id"] for u in users.json()}


@pytest.mark.parametrize("ref", CATEGORY_1)
def test_group_created_in_a_category_by_sis_id(api, store, ref):
    r = api.post(f"/api/v1/group_categories/{ref}/groups", data={"name": "Project Group 4"})
    assert r.status == 200, r.text
    assert r.json()["group_category_id"] == 1
    assert store.get("groups", r.json()["id"]).group_category_id == 1


@pytest.mark.parametrize("ref", COURSE_1)
def test_course_routes_by_sis_id(api, ref):
    assert ids(api.get(f"/api/v1/courses/{ref}/groups?per_page=50")) == ids(
        api.get("/api/v1/courses/1/groups?per_page=50"))
    assert ids(api.get(f"/api/v1/courses/{ref}/group_categories")) == [1, 2, 3]
    assert api.get(f"/api/v1/courses/{ref}").json()["id"] == 1


@pytest.mark.parametrize("ref", COURSE_1)
def test_category_created_in_a_course_by_sis_id(api, store, ref):
    r = api.post(f"/api/v1/courses/{ref}/group_categories", data={"name": "By SIS"})
    assert r.status == 200, r.text
    cat = store.get("group_categories", r.json()["id"])
    assert (cat.context_type, cat.context_id, cat.name) == ("Course", 1, "By SIS")


@pytest.mark.parametrize("ref", ACCOUNT_1)
def test_account_routes_by_sis_id(api, ref):
    groups = api.get(f"/api/v1/accounts/{ref}/groups?per_page=50", token="admin-token")
    assert groups.status == 200 and sorted(ids(groups)) == [7, 8]
    cats = api.get(f"/api/v1/accounts/{ref}/group_categories", token="admin-token")
    assert cats.status == 200 and sorted(ids(cats)) == [4, 5]
    assert api.get(f"/api/v1/accounts/{ref}", token="admin-token").json()["id"] == 1


def test_sub_account_by_sis_id(api):
    assert api.get("/api/v1/accounts/sis_account_id:SCI", token="admin-token").json()["id"] == 2
    assert api.get(f"/api/v1/accounts/{hexed('sis_account_id', 'SCI')}", token="admin-token").json()["id"] == 2


@pytest.mark.parametrize("ref", USER_6)
def test_user_routes_by_sis_id(api, ref):
    # a teacher may not read a student at /users/:id (2025 Canvas: 404): the admin does
    assert api.get(f"/api/v1/users/{ref}", token="admin-token").json()["id"] == 6
    m = api.get(f"/api/v1/groups/1/users/{ref}")
    assert m.status == 200, m.text
    assert (m.json()["user_id"], m.json()["group_id"]) == (6, 1)


def test_membership_by_sis_user_id_update_and_delete(api, store):
    r = api.put(f"/api/v1/groups/1/users/{hexed('sis_user_id', 'S-006')}", data={"moderator": "true"})
    assert r.status == 200, r.text
    assert r.json()["user_id"] == 6 and r.json()["moderator"] is True
    d = api.delete("/api/v1/groups/1/users/sis_user_id:S-008")
    assert d.status == 200, d.text
    assert store.policy.membership(store.get("groups", 1), store.get("users", 8)) is None


def test_membership_created_for_a_sis_user_id(api, store):
    r = api.post("/api/v1/groups/3/memberships", data={"user_id": "sis_user_id:S-014"})
    assert r.status == 200, r.text
    assert r.json()["user_id"] == 14


def test_login_id_is_matched_case_insensitively(api):
    assert api.get("/api/v1/users/sis_login_id:STUDENT", token="admin-token").json()["id"] == 6


def test_hex_form_reaches_sis_ids_a_path_cannot_spell(api, store):
    """The hex form exists for SIS ids with ``/``, ``.`` or other characters a path mangles."""
    sis = "PG/2 ü.v1"
    r = api.put("/api/v1/groups/2", token="admin-token", data={"sis_group_id": sis})
    assert r.status == 200, r.text
    assert store.get("groups", 2).sis_group_id == sis
    got = api.get(f"/api/v1/groups/{hexed('sis_group_id', sis)}")
    assert got.status == 200 and got.json()["id"] == 2
    upper = api.get("/api/v1/groups/hex:sis_group_id:" + sis.encode().hex().upper())
    assert upper.status == 200 and upper.json()["id"] == 2


def test_integration_id_finds_a_user(api, store):
    store._update("users", store.get("users", 7), integration_id="INT-7")
    assert api.get("/api/v1/users/sis_integration_id:INT-7", token="admin-token").json()["id"] == 7
    assert api.get(f"/api/v1/users/{hexed('sis_integration_id', 'INT-7')}", token="admin-token").json()["id"] == 7
    assert api.get("/api/v1/users/sis_integration_id:INT-8", token="admin-token").status == 404


@pytest.mark.parametrize("path", [
    "/api/v1/groups/sis_group_id:NOPE",
    "/api/v1/groups/sis_group_id:NOPE/users",
    "/api/v1/groups/sis_group_id:",
    "/api/v1/courses/sis_course_id:NOPE/groups",
    "/api/v1/courses/sis_course_id:NOPE/group_categories",
    "/api/v1/users/sis_user_id:S-999",
    "/api/v1/users/sis_login_id:nobody",
    "/api/v1/groups/1/users/sis_user_id:S-999",
    "/api/v1/groups/1/users/sis_user_id:S-007",  # a real user, but no member of group 1
    f"/api/v1/groups/{hexed('sis_group_id', 'NOPE')}",
    f"/api/v1/users/{hexed('sis_user_id', 'S-999')}",
])
def test_unknown_sis_id_is_a_canvas_404(api, path):
    r = api.get(path)
    assert r.status == 404, r.text
    assert r.json() == NOT_FOUND


@pytest.mark.parametrize("path", [
    "/api/v1/accounts/sis_account_id:NOPE",
    "/api/v1/accounts/sis_account_id:NOPE/groups",
    "/api/v1/accounts/sis_account_id:NOPE/group_categories",
])
def test_unknown_sis_account_is_a_canvas_404(api, path):
    r = api.get(path, token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("suffix", ["", "/groups", "/users"])
@pytest.mark.parametrize("ref", ["sis_group_category_id:NOPE", hexed("sis_group_category_id", "NOPE"),
                                 "sis_group_id:PG-1"])
def test_unknown_sis_category_is_the_category_404(api, ref, suffix):
    r = api.get(f"/api/v1/group_categories/{ref}{suffix}")
    assert r.status == 404
    assert r.json() == CATEGORY_NOT_FOUND


@pytest.mark.parametrize("ref", [
    "hex:sis_group_id:5",                      # odd length
    "hex:sis_group_id:50472d3",                # odd length, otherwise a prefix of PG-1
    "hex:sis_group_id:zz",                     # not hex
    "hex:sis_group_id:50472d31zz",             # hex then junk
    "hex:sis_group_id:",                       # nothing
    "hex:sis_group_id:ff",                     # not UTF-8
    "hex:PG-1",                                # no form
    "hex:sis_group_id:50472D31:x",
])
def test_malformed_hex_is_404(api, ref):
    r = api.get(f"/api/v1/groups/{ref}")
    assert r.status == 404, (ref, r.text)
    assert r.json() == NOT_FOUND


@pytest.mark.parametrize("path", [
    "/api/v1/groups/sis_course_id:MOCK101-2024",
    "/api/v1/groups/sis_user_id:S-006",
    "/api/v1/groups/sis_group_category_id:PG-2024",
    f"/api/v1/groups/{hexed('sis_course_id', 'MOCK101-2024')}",
    "/api/v1/users/sis_group_id:PG-1",
    "/api/v1/users/sis_course_id:MOCK101-2024",
    "/api/v1/courses/sis_group_id:PG-1/groups",
    "/api/v1/courses/sis_account_id:MOCKU",
    "/api/v1/groups/1/users/sis_group_id:PG-1",
])
def test_sis_form_of_another_table_is_404(api, path):
    r = api.get(path, token="admin-token")
    assert r.status == 404, (path, r.text)
    assert r.json() == NOT_FOUND


def test_sis_form_of_another_table_on_an_account_is_404(api):
    r = api.get("/api/v1/accounts/sis_course_id:MOCK101-2024/groups", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND


# -- global ids (a sharded world) --------------------------------------------------------------

SHARD = 2107
GLOBAL = SHARD * 10**13


@pytest.fixture
def sharded_store():
    return load_world(settings=Settings(shard_id=SHARD))


def _global_id_checks():
    """The checks, as a generator: it yields ``(path, token)`` and is sent back
    ``(status, json, headers)``, so that one list of checks runs through both transports."""
    teacher = "teacher-token"
    for ref in (str(GLOBAL + 1), f"{SHARD}~1", "1", "sis_group_id:PG-1"):
        status, body, _ = yield f"/api/v1/groups/{ref}", teacher
        assert status == 200, (ref, body)
        assert body["name"] == "Project Group 1"
    for ref in (str((SHARD + 1) * 10**13 + 1), f"{SHARD + 1}~1", f"{SHARD}~999", str(GLOBAL + 999)):
        status, body, _ = yield f"/api/v1/groups/{ref}", teacher
        assert (status, body) == (404, NOT_FOUND), ref
    # nested routes and user ids take the same forms
    status, body, _ = yield f"/api/v1/groups/{SHARD}~1/users/{GLOBAL + 6}", teacher
    assert status == 200 and body["user_id"] in (6, GLOBAL + 6)
    status, body, _ = yield f"/api/v1/courses/{GLOBAL + 1}/group_categories", teacher
    assert status == 200 and len(body) == 3
    status, body, _ = yield f"/api/v1/group_categories/{SHARD}~1/groups", teacher
    assert status == 200 and len(body) == 3
    # the identity headers carry global ids (User#global_id)
    status, body, headers = yield f"/api/v1/users/self?as_user_id={GLOBAL + 6}", "admin-token"
    assert status == 200 and body["name"] == "Sam Student"
    assert headers["X-Canvas-User-Id"] == str(GLOBAL + 6)
    assert headers["X-Canvas-Real-User-Id"] == str(GLOBAL + 1)
    status, body, _ = yield f"/api/v1/users/self?as_user_id={SHARD}~6", "admin-token"
    assert status == 200 and body["name"] == "Sam Student"
    status, body, _ = yield f"/api/v1/users/self?as_user_id={(SHARD + 1) * 10**13 + 6}", "admin-token"
    assert (status, body) == (401, INVALID_AS_USER)


async def test_global_ids_in_paths_in_process(aiohttp_client, sharded_store):
    client = await aiohttp_client(create_app(sharded_store))
    checks = _global_id_checks()
    request = next(checks)
    answered = 0
    while True:
        path, token = request
        async with client.get(path, headers={"Authorization": f"Bearer {token}"}) as r:
            answer = r.status, await r.json(), r.headers.copy()
        answered += 1
        try:
            request = checks.send(answer)
        except StopIteration:
            break
    assert answered == 14


def test_global_ids_in_paths_over_a_socket(sharded_store):
    with CanvasServer(sharded_store) as server, requests.Session() as session:
        checks = _global_id_checks()
        request = next(checks)
        answered = 0
        while True:
            path, token = request
            r = session.get(server.url + path, headers={"Authorization": f"Bearer {token}"})
            answered += 1
            try:
                request = checks.send((r.status_code, r.json(), r.headers))
            except StopIteration:
                break
        assert answered == 14
        assert server.problems == []


async def test_global_id_of_a_group_in_a_live_event(aiohttp_client, sharded_store):
    client = await aiohttp_client(create_app(sharded_store))
    r = await client.post(f"/api/v1/groups/{SHARD}~4/memberships", data={"user_id": "self", "as_user_id": GLOBAL + 6},
                          headers={"Authorization": "Bearer admin-token"})
    assert r.status == 200, await r.text()
    (event,) = sharded_store.live_events.named("group_membership_created")
    assert event.body["group_id"] == str(GLOBAL + 4) and event.body["user_id"] == str(GLOBAL + 6)
    assert event.metadata["user_id"] == str(GLOBAL + 6)
    assert event.metadata["real_user_id"] == str(GLOBAL + 1)
