"""Creating, editing, deleting groups and inviting to them over HTTP: GroupsController#create,
#update, #destroy and #invite (canvas-facts sections 2-4).

Every test checks the status, the exact body where Canvas fixes it, and the store afterwards.
"Nothing changed" is checked with ``store.changed_rows`` (the rows written since the rollback
before the test), so a failed request that wrote anything at all is caught.
"""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED
from groups_support import assert_unchanged, live_member_ids, memberships

from mockcanvas.views.common import iso

SIS_CREATE = {"message": "You must have manage_sis permission to set sis attributes"}
SIS_UPDATE = {"message": "You must have manage_sis permission to update sis attributes"}
WRITE_INCLUDES = "include[]=users&include[]=group_category&include[]=permissions"
GROUP_KEYS = {
    "id", "name", "description", "is_public", "join_level", "group_category_id", "max_membership",
    "created_at", "members_count", "storage_quota_mb", "context_type", "avatar_url", "role", "leader",
    "has_submission", "concluded", "non_collaborative", "context_name",
}


def invalid(attribute, message):
    return {"errors": {attribute: [{"attribute": attribute, "type": message, "message": message}]}}


NAME_REQUIRED = invalid("name", "Name is required")
NAME_TOO_LONG = invalid("name", "Enter a shorter group name")
MAX_MEMBERSHIP = invalid("max_membership", "Must be greater than 1")
IS_PUBLIC = invalid("is_public", "cannot be changed to that value")


def group_ids(store):
    return set(store.rows["groups"])


def full_group(api, group_id, token="teacher-token"):
    r = api.get(f"/api/v1/groups/{group_id}?{WRITE_INCLUDES}", token=token)
    assert r.status == 200
    return r.json()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def upload(api, group_id, *, name="avatar.png", content_type="image/png", data=PNG, token="teacher-token"):
    """The three-step upload: preflight, multipart POST to upload_url (a 302 to create_success),
    the confirmation; returns the file id."""
    pre = api.post(f"/api/v1/groups/{group_id}/files", token=token,
                   data={"name": name, "size": str(len(data)), "content_type": content_type})
    assert pre.status == 200, pre.text
    body = pre.json()
    boundary = "mockcanvas-test-boundary"
    parts = b""
    for key, value in body["upload_params"].items():
        parts += (f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n').encode()
    parts += (f'--{boundary}\r\nContent-Disposition: form-data; name="{body["file_param"]}"; '
              f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n').encode() + data
    parts += f"\r\n--{boundary}--\r\n".encode()
    r = api.post(body["upload_url"], token=None, data=parts,
                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status == 302, r.text
    done = api.get(r.headers["Location"], token=token)
    assert done.status == 200, done.text
    return done.json()["id"]


# -- POST /api/v1/groups (community groups) ----------------------------------------------------

def test_create_community_group(api, store):
    before = group_ids(store)
    r = api.post("/api/v1/groups", token="student-token",
                 data={"name": "Mock Fans", "description": "We like mocks", "is_public": "true",
                       "join_level": "parent_context_auto_join"})
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    g = r.json()
    assert set(g) == GROUP_KEYS | {"account_id", "users", "group_category", "permissions"}
    (new_id,) = group_ids(store) - before
    row = store.get("groups", new_id)
    assert g["id"] == new_id
    assert (g["name"], g["description"], g["is_public"], g["join_level"]) == (
        "Mock Fans", "We like mocks", True, "parent_context_auto_join")
    assert (g["context_type"], g["account_id"], g["group_category_id"], g["role"]) == ("Account", 1, 4, "communities")
    assert g["members_count"] == 1 and g["storage_quota_mb"] == 50 and g["leader"] is None
    assert g["created_at"] == iso(row.created_at)
    assert [u["id"] for u in g["users"]] == [6] and g["users"][0]["name"] == "Sam Student"
    assert g["group_category"]["id"] == 4 and g["group_category"]["name"] == "Communities"
    assert g["group_category"]["is_member"] is True
    assert set(g["permissions"]) == {"create_discussion_topic", "join", "create_announcement"}
    assert g["permissions"]["create_discussion_topic"] is True
    # the store: in the root account's Communities category, the creator an accepted moderator
    assert (row.context_type, row.context_id, row.group_category_id) == ("Account", 1, 4)
    assert (row.name, row.is_public, row.join_level, row.workflow_state) == (
        "Mock Fans", True, "parent_context_auto_join", "available")
    assert memberships(store, new_id) == {6: ("accepted", True)}
    # and it is one of the creator's groups from now on
    mine = api.get("/api/v1/users/self/groups?context_type=Account", token="student-token").json()
    assert [x["id"] for x in mine] == [new_id]


def test_create_community_group_is_private_by_default(api, store):
    g = api.post("/api/v1/groups", data={"name": "Quiet Room"}).json()
    assert g["is_public"] is False and g["join_level"] == "invitation_only"
    assert store.get("groups", g["id"]).is_public is False
    assert memberships(store, g["id"]) == {2: ("accepted", True)}


def test_create_community_join_level_is_not_validated(api, store):
    r = api.post("/api/v1/groups", data={"name": "Odd", "join_level": "bogus"})
    assert r.status == 200 and r.json()["join_level"] == "bogus"
    gid = r.json()["id"]
    assert store.get("groups", gid).join_level == "bogus"
    assert api.get(f"/api/v1/groups/{gid}").json()["join_level"] == "bogus"


def test_create_without_name_gets_a_generated_name(api, store):
    r = api.post("/api/v1/groups", data={"description": "nameless"})
    assert r.status == 200
    g = r.json()
    assert isinstance(g["name"], str) and len(g["name"]) == 40
    assert store.get("groups", g["id"]).name == g["name"]
    other = api.post("/api/v1/groups", json={"description": "nameless too"}).json()
    assert len(other["name"]) == 40 and other["name"] != g["name"]


@pytest.mark.parametrize("kw,expected", [
    ({"data": {"name": ""}}, NAME_REQUIRED),
    ({"json": {"name": ""}}, NAME_REQUIRED),
    ({"json": {"name": None}}, NAME_REQUIRED),
    ({"data": {"name": "x" * 256}}, NAME_TOO_LONG),
    ({"data": {"name": "Tiny", "max_membership": "1"}}, MAX_MEMBERSHIP),
    ({"json": {"name": "Tiny", "max_membership": 0}}, MAX_MEMBERSHIP),
], ids=["empty-form", "empty-json", "null-json", "too-long", "max-1", "max-0"])
def test_create_community_invalid_creates_nothing(api, store, kw, expected):
    r = api.post("/api/v1/groups", **kw)
    assert r.status == 400
    assert r.json() == expected
    assert_unchanged(store)


def test_create_needs_a_user(api, store):
    r = api.post("/api/v1/groups", token=None, data={"name": "Anon"})
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    assert_unchanged(store)


# -- POST /api/v1/group_categories/:id/groups --------------------------------------------------

def test_create_in_category_by_teacher(api, store):
    before = group_ids(store)
    r = api.post("/api/v1/group_categories/1/groups",
                 data={"name": "Project Group 4", "description": "late", "is_public": "true", "max_membership": "5"})
    assert r.status == 200
    g = r.json()
    (new_id,) = group_ids(store) - before
    assert g["id"] == new_id
    assert set(g) == GROUP_KEYS | {"course_id", "users", "group_category", "permissions"}
    assert (g["context_type"], g["course_id"], g["group_category_id"], g["role"]) == ("Course", 1, 1, None)
    assert g["is_public"] is False  # forced false outside communities
    assert (g["name"], g["description"], g["max_membership"]) == ("Project Group 4", "late", 5)
    # SIS ids follow the rights on the root account: a course teacher sees neither
    assert "sis_group_id" not in g and "sis_import_id" not in g
    assert g["users"] == [] and g["members_count"] == 0
    assert g["group_category"]["id"] == 1 and g["group_category"]["name"] == "Project Groups"
    row = store.get("groups", new_id)
    assert (row.context_type, row.context_id, row.group_category_id, row.is_public, row.max_membership) == (
        "Course", 1, 1, False, 5)
    assert memberships(store, new_id) == {}  # a teacher is not added to a category group
    listed = [x["id"] for x in api.get("/api/v1/courses/1/groups").json()]
    assert listed == [1, 2, 3, new_id, 4, 5, 6]  # category then name order


@pytest.mark.parametrize("value", ["1", "0", "-3"])
def test_create_in_category_max_membership_must_be_greater_than_one(api, store, value):
    r = api.post("/api/v1/group_categories/1/groups", data={"name": "Solo", "max_membership": value})
    assert r.status == 400 and r.json() == MAX_MEMBERSHIP
    assert_unchanged(store)


@pytest.mark.parametrize("sis", ["NEW-1", ""])
def test_create_sis_group_id_needs_manage_sis(api, store, sis):
    r = api.post("/api/v1/group_categories/1/groups", data={"name": "Sissy", "sis_group_id": sis})
    assert r.status == 401 and r.json() == SIS_CREATE
    assert "WWW-Authenticate" not in r.headers
    assert_unchanged(store)


def test_create_sis_group_id_by_admin(api, store):
    r = api.post("/api/v1/group_categories/1/groups", token="admin-token",
                 data={"name": "Sissy", "sis_group_id": "NEW-1"})
    assert r.status == 200
    g = r.json()
    assert g["sis_group_id"] == "NEW-1" and g["sis_import_id"] is None
    assert store.get("groups", g["id"]).sis_group_id == "NEW-1"
    assert api.get("/api/v1/groups/sis_group_id:NEW-1").json()["id"] == g["id"]
    assert memberships(store, g["id"]) == {}


def test_create_duplicate_sis_group_id_is_invalid(api, store):
    r = api.post("/api/v1/group_categories/1/groups", token="admin-token",
                 data={"name": "Again", "sis_group_id": "PG-1"})
    assert r.status == 400 and list(r.json()["errors"]) == ["sis_source_id"]
    assert_unchanged(store)


@pytest.mark.parametrize("token,quota", [("teacher-token", 50), ("admin-token", 200)])
def test_create_storage_quota_needs_manage_storage_quotas(api, store, token, quota):
    r = api.post("/api/v1/group_categories/1/groups", token=token, data={"name": "Big", "storage_quota_mb": "200"})
    assert r.status == 200 and r.json()["storage_quota_mb"] == quota
    assert store.get("groups", r.json()["id"]).storage_quota_mb == quota


@pytest.mark.parametrize("cat,token", [
    (1, "student-token"),
    (1, "outsider-token"),
    # the API route needs manage_groups_add on the context even in a student-organized category
    (2, "student-token"),
])
def test_create_in_category_unauthorized(api, store, cat, token):
    r = api.post(f"/api/v1/group_categories/{cat}/groups", token=token, data={"name": "Mine"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    assert_unchanged(store)


@pytest.mark.parametrize("ref", ["999", "abc"])
def test_create_in_unknown_category(api, store, ref):
    r = api.post(f"/api/v1/group_categories/{ref}/groups", data={"name": "Nowhere"})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


@pytest.mark.parametrize("kw", [
    {"data": {"name": "Posted", "max_membership": "3"}},
    {"json": {"name": "Posted", "max_membership": 3}},
    {"data": {"group[name]": "Posted", "group[max_membership]": "3"}},
    {"json": {"group": {"name": "Posted", "max_membership": 3}}},
], ids=["form", "json", "nested-form", "nested-json"])
def test_create_body_forms(api, store, kw):
    r = api.post("/api/v1/group_categories/1/groups", **kw)
    assert r.status == 200
    assert (r.json()["name"], r.json()["max_membership"]) == ("Posted", 3)
    row = store.get("groups", r.json()["id"])
    assert (row.name, row.max_membership, row.group_category_id) == ("Posted", 3, 1)


# -- PUT /api/v1/groups/:id --------------------------------------------------------------------

def test_update_rename(api, store):
    r = api.put("/api/v1/groups/1", data={"name": "Renamed", "description": "new words"})
    assert r.status == 200
    g = r.json()
    assert (g["id"], g["name"], g["description"]) == (1, "Renamed", "new words")
    assert "users" in g and "group_category" in g and "permissions" in g
    assert [u["id"] for u in g["users"]] and g["leader"]["id"] == 6
    row = store.get("groups", 1)
    assert (row.name, row.description) == ("Renamed", "new words")
    assert api.get("/api/v1/groups/1").json()["name"] == "Renamed"
    assert live_member_ids(store, 1) == [6, 8, 9]


def test_update_members_replaces_the_members(api, store):
    # 6 (the leader) and 9 leave; 15 (in no project group) and 10 (in Project Group 2) join
    r = api.put("/api/v1/groups/1", data={"members[]": ["8", "15", "10"]})
    assert r.status == 200
    g = r.json()
    assert sorted(u["id"] for u in g["users"]) == [8, 10, 15]
    assert g["members_count"] == 3
    assert g["leader"] is None  # the leader's membership went away
    assert store.get("groups", 1).leader_id is None
    assert memberships(store, 1) == {
        6: ("deleted", False), 8: ("accepted", False), 9: ("deleted", False),
        10: ("accepted", False), 15: ("accepted", False),
    }
    # one group per category: 10 was moved out of Project Group 2
    assert live_member_ids(store, 2) == [7, 11]


def test_update_members_comma_separated(api, store):
    r = api.put("/api/v1/groups/3", data={"members": "12,16"})
    assert r.status == 200 and sorted(u["id"] for u in r.json()["users"]) == [12, 16]
    assert live_member_ids(store, 3) == [12, 16]


def test_update_members_outside_the_course_are_ignored(api, store):
    # 20: no enrollment; 1: an admin with no enrollment; 999 and "abc": no such user
    r = api.put("/api/v1/groups/1", data={"members[]": ["8", "20", "1", "999", "abc", "8"]})
    assert r.status == 200
    assert [u["id"] for u in r.json()["users"]] == [8]
    assert memberships(store, 1, live_only=True) == {8: ("accepted", False)}
    assert 20 not in memberships(store, 1) and 1 not in memberships(store, 1)


def test_update_members_in_a_community_group_are_invited(api, store):
    # the moderator of "Mock Enthusiasts" (admin) lists an account user who is not yet in it
    r = api.put("/api/v1/groups/7", token="admin-token", data={"members[]": ["1", "6"]})
    assert r.status == 200
    assert memberships(store, 7) == {1: ("accepted", True), 6: ("invited", False), 20: ("deleted", False)}
    assert r.json()["members_count"] == 1


def test_update_leader(api, store):
    r = api.put("/api/v1/groups/1", data={"leader[id]": "8"})
    assert r.status == 200 and r.json()["leader"]["id"] == 8
    assert store.get("groups", 1).leader_id == 8
    r = api.put("/api/v1/groups/1", json={"leader": {"id": 9}})
    assert r.status == 200 and r.json()["leader"]["id"] == 9
    assert store.get("groups", 1).leader_id == 9


@pytest.mark.parametrize("kw", [{"data": {"leader": ""}}, {"json": {"leader": None}}, {"json": {"leader": {}}}],
                         ids=["blank-form", "null-json", "empty-hash"])
def test_update_blank_leader_clears_it(api, store, kw):
    r = api.put("/api/v1/groups/1", **kw)
    assert r.status == 200 and r.json()["leader"] is None
    assert store.get("groups", 1).leader_id is None
    assert live_member_ids(store, 1) == [6, 8, 9]


def test_update_leader_checked_before_members_of_the_same_request(api, store):
    # Canvas looks the leader up among the current memberships, then applies members[]:
    # the old leader (6) may be named, and set_users then removes him and clears the leader
    r = api.put("/api/v1/groups/1", data={"leader[id]": "6", "members[]": ["8", "9"]})
    assert r.status == 200 and r.json()["leader"] is None
    assert live_member_ids(store, 1) == [8, 9] and store.get("groups", 1).leader_id is None


def test_update_is_public_false_to_true_in_a_community(api, store):
    gid = api.post("/api/v1/groups", data={"name": "Opening Up"}).json()["id"]
    assert store.get("groups", gid).is_public is False
    r = api.put(f"/api/v1/groups/{gid}", data={"is_public": "true"})
    assert r.status == 200 and r.json()["is_public"] is True
    assert store.get("groups", gid).is_public is True
    # and back is refused
    r = api.put(f"/api/v1/groups/{gid}", data={"is_public": "false", "name": "Closing"})
    assert r.status == 400 and r.json() == IS_PUBLIC
    row = store.get("groups", gid)
    assert (row.is_public, row.name) == (True, "Opening Up")


def test_update_is_public_in_a_course_group_stays_false(api, store):
    r = api.put("/api/v1/groups/1", data={"is_public": "true"})
    assert r.status == 200 and r.json()["is_public"] is False
    assert store.get("groups", 1).is_public is False


@pytest.mark.parametrize("value,expected", [("6", 6), ("", None)])
def test_update_max_membership(api, store, value, expected):
    r = api.put("/api/v1/groups/3", data={"max_membership": value})
    assert r.status == 200 and r.json()["max_membership"] == expected
    assert store.get("groups", 3).max_membership == expected


def test_update_storage_quota_needs_manage_storage_quotas(api, store):
    assert api.put("/api/v1/groups/1", data={"storage_quota_mb": "500"}).json()["storage_quota_mb"] == 50
    assert store.get("groups", 1).storage_quota_mb == 50
    r = api.put("/api/v1/groups/1", token="admin-token", data={"storage_quota_mb": "500"})
    assert r.status == 200 and r.json()["storage_quota_mb"] == 500
    assert store.get("groups", 1).storage_quota_mb == 500


def test_update_sis_group_id(api, store):
    r = api.put("/api/v1/groups/1", token="admin-token", data={"sis_group_id": "PG-ONE"})
    assert r.status == 200 and r.json()["sis_group_id"] == "PG-ONE"
    assert store.get("groups", 1).sis_group_id == "PG-ONE"


def test_update_avatar_from_an_image_uploaded_to_the_group(api, store):
    fid = upload(api, 1)
    r = api.put("/api/v1/groups/1", data={"avatar_id": str(fid)})
    assert r.status == 200
    att = store.get("attachments", fid)
    assert r.json()["avatar_url"] == f"{api.base_url}/images/thumbnails/{fid}/{att.uuid}"
    assert store.get("groups", 1).avatar_attachment_id == fid
    assert api.get("/api/v1/groups/1").json()["avatar_url"] == r.json()["avatar_url"]


def _text_file_in_group_1(api, store):
    return upload(api, 1, name="notes.txt", content_type="text/plain", data=b"hello")


def _image_in_group_2(api, store):
    return upload(api, 2, name="theirs.png")


def _pending_image_in_group_1(api, store):
    before = set(store.rows["attachments"])
    pre = api.post("/api/v1/groups/1/files", data={"name": "pending.png", "size": "10", "content_type": "image/png"})
    assert pre.status == 200
    (aid,) = set(store.rows["attachments"]) - before
    return aid


def _no_such_file(api, store):
    return 999


@pytest.mark.parametrize("make", [_text_file_in_group_1, _image_in_group_2, _pending_image_in_group_1, _no_such_file],
                         ids=["not-an-image", "other-group", "not-uploaded", "unknown"])
def test_update_avatar_that_is_no_image_of_the_group_is_not_taken(api, store, make):
    fid = make(api, store)
    r = api.put("/api/v1/groups/1", data={"avatar_id": str(fid), "name": "Still Renamed"})
    assert r.status == 200
    assert r.json()["avatar_url"] is None and r.json()["name"] == "Still Renamed"
    assert store.get("groups", 1).avatar_attachment_id is None


def test_update_avatar_id_that_matches_nothing_clears_the_avatar(api, store):
    # GroupsController#update: avatar_attachment = @group.active_images.where(id: avatar_id).first
    fid = upload(api, 1)
    assert api.put("/api/v1/groups/1", data={"avatar_id": str(fid)}).json()["avatar_url"]
    r = api.put("/api/v1/groups/1", data={"avatar_id": "999"})
    assert r.status == 200 and r.json()["avatar_url"] is None
    assert store.get("groups", 1).avatar_attachment_id is None


@pytest.mark.parametrize("token,status", [
    ("teacher-token", 200),
    ("ta-token", 200),
    ("admin-token", 200),
    ("student-token", 200),     # user 6 leads Project Group 1: the leader may update
    ("s8", 401),                # user 8: a plain member
    ("student2-token", 401),    # a student of the course, not in the group
    ("outsider-token", 401),
])
def test_update_who_may(api, store, token, status):
    store.add_token("s8", 8)
    r = api.put("/api/v1/groups/1", token=token, data={"name": "By Someone"})
    assert r.status == status
    if status == 200:
        assert r.json()["name"] == "By Someone"
        assert store.get("groups", 1).name == "By Someone"
    else:
        assert r.json() == UNAUTHORIZED and "WWW-Authenticate" not in r.headers
        assert store.get("groups", 1).name == "Project Group 1"
        assert_unchanged(store)


def test_update_moderator_may_update_a_student_group(api, store):
    r = api.put("/api/v1/groups/4", token="student2-token", data={"name": "Study Pals"})
    assert r.status == 200 and store.get("groups", 4).name == "Study Pals"


def test_update_needs_a_user(api, store):
    r = api.put("/api/v1/groups/1", token=None, data={"name": "Anon"})
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    assert_unchanged(store)


def test_update_unknown_or_deleted_group(api, store):
    assert api.put("/api/v1/groups/999", data={"name": "x"}).json() == NOT_FOUND
    assert api.put("/api/v1/groups/999", data={"name": "x"}).status == 404
    assert api.delete("/api/v1/groups/2").status == 200
    r = api.put("/api/v1/groups/2", data={"name": "Back from the dead"})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert store.get("groups", 2).name == "Project Group 2"


@pytest.mark.parametrize("kw", [{}, {"data": b""}, {"json": {}}], ids=["no-body", "empty-body", "empty-json"])
def test_update_with_nothing_changes_nothing(api, store, kw):
    before = full_group(api, 1)
    r = api.put("/api/v1/groups/1", **kw)
    assert r.status == 200
    assert r.json() == before
    assert_unchanged(store)


BAD_UPDATES = [
    # (group id, token, data, status, body)
    (1, "teacher-token", {"name": ""}, 400, NAME_REQUIRED),
    (1, "teacher-token", {"name": "y" * 256}, 400, NAME_TOO_LONG),
    (1, "teacher-token", {"name": "Renamed", "max_membership": "1"}, 400, MAX_MEMBERSHIP),
    (1, "teacher-token", {"name": "Renamed", "leader[id]": "7"}, 400, {}),
    (1, "teacher-token", {"name": "Renamed", "leader[id]": "999"}, 400, {}),
    (1, "teacher-token", {"name": "Renamed", "leader[id]": ""}, 400, {}),
    (1, "teacher-token", {"members[]": ["15", "16"], "leader[id]": "15"}, 400, {}),  # 15 is no member yet
    (1, "teacher-token", {"name": "Renamed", "sis_group_id": "NEW"}, 401, SIS_UPDATE),
    (1, "teacher-token", {"name": "Renamed", "sis_group_id": "PG-1"}, 401, SIS_UPDATE),
    (7, "admin-token", {"is_public": "false", "name": "Private now"}, 400, IS_PUBLIC),
    (1, "s8", {"name": "Mine now", "members[]": ["8"]}, 401, UNAUTHORIZED),
]


@pytest.mark.parametrize("gid,token,data,status,body", BAD_UPDATES, ids=[
    "empty-name", "long-name", "max-1", "leader-not-member", "leader-unknown", "leader-blank-id",
    "leader-only-in-new-members", "sis-by-teacher", "same-sis-by-teacher", "public-to-private",
    "plain-member",
])
def test_update_bad_input_changes_nothing(api, store, gid, token, data, status, body):
    store.add_token("s8", 8)
    before = full_group(api, gid, token="admin-token")
    r = api.put(f"/api/v1/groups/{gid}", token=token, data=data)
    assert r.status == status
    assert r.json() == body
    assert_unchanged(store)
    assert full_group(api, gid, token="admin-token") == before


def test_update_malformed_json_body(api, store):
    r = api.put("/api/v1/groups/1", data=b'{"name": ', headers={"Content-Type": "application/json"})
    assert r.status == 400
    assert r.json() == {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}
    assert_unchanged(store)


# -- DELETE /api/v1/groups/:id -----------------------------------------------------------------

def test_delete_group(api, store):
    before = api.get("/api/v1/groups/2").json()
    members_before = memberships(store, 2)
    r = api.delete("/api/v1/groups/2")
    assert r.status == 200
    assert r.json() == before  # the group as it was: no workflow_state, nothing says "deleted"
    assert "workflow_state" not in r.json()
    row = store.get("groups", 2)
    assert row.workflow_state == "deleted" and row.deleted_at is not None
    assert memberships(store, 2) == members_before == {
        7: ("accepted", False), 10: ("accepted", False), 11: ("accepted", False)}
    g = api.get("/api/v1/groups/2")
    assert g.status == 404 and g.json() == NOT_FOUND
    assert [x["id"] for x in api.get("/api/v1/courses/1/groups").json()] == [1, 3, 4, 5, 6]
    assert [x["id"] for x in api.get("/api/v1/users/self/groups", token="student2-token").json()] == [4]
    again = api.delete("/api/v1/groups/2")
    assert again.status == 404 and again.json() == NOT_FOUND


@pytest.mark.parametrize("gid,token,status", [
    (2, "student2-token", 401),   # a plain member
    (1, "student-token", 401),    # the leader may update, not delete
    (2, "outsider-token", 401),
    (2, "ta-token", 200),
    (4, "student2-token", 200),   # the moderator of Study Buddies
    (7, "admin-token", 200),
])
def test_delete_who_may(api, store, gid, token, status):
    r = api.delete(f"/api/v1/groups/{gid}", token=token)
    assert r.status == status
    if status == 200:
        assert r.json()["id"] == gid
        assert store.get("groups", gid).workflow_state == "deleted"
    else:
        assert r.json() == UNAUTHORIZED
        assert store.get("groups", gid).workflow_state == "available"
        assert_unchanged(store)


def test_delete_needs_a_user_and_a_group(api, store):
    r = api.delete("/api/v1/groups/2", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    r = api.delete("/api/v1/groups/999")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


# -- PUT members[] past the group's limit (invite: test_groups_invite.py) ----------------------

def test_update_members_past_the_limit_are_skipped(api, store):
    """Group#set_users invites in order; a membership that fails "The group is full." is not saved
    and the request still answers 200 (group 3 has max_membership 4 and members 12, 13)."""
    r = api.put("/api/v1/groups/3", data={"members[]": ["12", "13", "14", "15", "16"]})
    assert r.status == 200
    assert sorted(u["id"] for u in r.json()["users"]) == [12, 13, 14, 15]
    assert r.json()["members_count"] == 4
    assert store.memberships.of_pair(3, 16) is None


def test_update_members_past_a_new_limit_in_the_same_request(api, store):
    r = api.put("/api/v1/groups/3", data={"max_membership": "3", "members[]": ["12", "13", "14", "15"]})
    assert r.status == 200
    assert r.json()["max_membership"] == 3
    assert sorted(u["id"] for u in r.json()["users"]) == [12, 13, 14]
