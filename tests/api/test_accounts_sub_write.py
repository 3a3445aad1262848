"""POST /accounts/:id/sub_accounts and DELETE /accounts/:id/sub_accounts/:id
(SubAccountsController#create and #destroy): the new or deleted account, its live event, every
error body, and that a refused request changes nothing (canvas-facts-courses-users 7.2 and 9)."""

from __future__ import annotations

import dataclasses

import pytest
from accounts_support import (SUB_KEYS, assert_unchanged, make_account, make_admin, mark, message, sub_json)
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED
from live_event_shapes import check_shape

NAME_REQUIRED = message("Account name is required")
ACCOUNT_MISSING = {"errors": [{"message": "account is missing"}]}
SIS_REFUSED = message("user not authorized to manage SIS data - account[sis_account_id]")
HAS_COURSES = message("You can't delete a sub-account that has courses in it.")
HAS_SUBS = message("You can't delete a sub-account that has sub-accounts in it.")
ROOT_REFUSED = message("You can't delete a root_account.")


def create(api, account="1", token="admin-token", **kw):
    return api.post(f"/api/v1/accounts/{account}/sub_accounts", token=token, **kw)


def delete(api, sub, account="1", token="admin-token"):
    return api.delete(f"/api/v1/accounts/{account}/sub_accounts/{sub}", token=token)


def new_ids(store, before):
    return sorted(set(store.rows["accounts"]) - before)


# -- POST ----------------------------------------------------------------------------------------

def test_create_a_sub_account(api, store):
    before = set(store.rows["accounts"])
    r = create(api, data={"account[name]": "School of Arts", "account[sis_account_id]": "ARTS",
                          "account[default_storage_quota_mb]": "800"})
    assert r.status == 200
    (new_id,) = new_ids(store, before)
    row = store.get("accounts", new_id)
    assert r.json() == sub_json(store, new_id, default_storage_quota_mb=800)
    assert list(r.json()) == SUB_KEYS
    assert (r.json()["sis_account_id"], r.json()["parent_account_id"], r.json()["root_account_id"]) == ("ARTS", 1, 1)
    assert (row.name, row.parent_account_id, row.root_account_id, row.sis_account_id, row.default_time_zone,
            row.default_storage_quota_mb, row.workflow_state) == ("School of Arts", 1, 1, "ARTS", None, 800, "active")
    assert len(row.uuid) == 40 and row.created_at is not None
    assert api.get(f"/api/v1/accounts/{new_id}", token="admin-token").json() == r.json()
    assert new_id in [a["id"] for a in api.get("/api/v1/accounts/1/sub_accounts", token="admin-token").json()]


def test_create_sends_account_created(api, store):
    r = create(api, json={"account": {"name": "Lab"}})
    (event,) = store.live_events.all()
    uuid = store.get("accounts", 1).uuid
    assert event.name == "account_created"
    assert event.body == {"name": "Lab", "account_id": str(r.json()["id"]), "root_account_id": "1",
                          "root_account_uuid": uuid, "parent_account_id": "1", "external_status": None,
                          "workflow_state": "active", "domain": api.base_url.split("://")[1].split(":")[0],
                          "default_time_zone": None, "default_locale": None}
    assert (event.metadata["context_type"], event.metadata["context_id"], event.metadata["http_method"]) == (
        "Account", "1", "POST")
    check_shape(event)


def test_create_inherits_the_zone_and_quotas(api, store):
    api.put("/api/v1/accounts/1", token="admin-token", data={"account[default_time_zone]": "Asia/Tokyo",
                                                             "account[default_group_storage_quota_mb]": "70"})
    body = create(api, data={"account[name]": "Tokyo Campus", "account[default_storage_quota_mb]": "abc",
                             "account[default_user_storage_quota_mb]": "50"}).json()
    assert (body["default_time_zone"], body["default_time_zone_friendly_name"]) == ("Asia/Tokyo", "Osaka")
    assert (body["default_storage_quota_mb"], body["default_user_storage_quota_mb"],
            body["default_group_storage_quota_mb"]) == (500, 50, 70)
    row = store.get("accounts", body["id"])
    assert (row.default_storage_quota_mb, row.default_user_storage_quota_mb, row.default_group_storage_quota_mb) == (
        None, None, None)  # "abc".to_i is 0 (inherit); 50 is the default user quota


def test_create_under_a_deeper_parent(api, store):
    deep = make_account(store, "Physics", 2)
    r = create(api, data={"account[name]": "Optics", "account[parent_account_id]": str(deep.id)})
    assert r.status == 200 and (r.json()["parent_account_id"], r.json()["root_account_id"]) == (deep.id, 1)
    r = create(api, "2", data={"account[name]": "Chemistry", "account[parent_account_id]": "2"})
    assert r.status == 200 and r.json()["parent_account_id"] == 2
    r = create(api, "sis_account_id:SCI", data={"account[name]": "Biology"})
    assert r.status == 200 and r.json()["parent_account_id"] == 2


def test_sub_account_admin_creates_below_their_account_without_sis(api, store):
    make_admin(store, 2)
    r = create(api, "2", token="subadmin-token", data={"account[name]": "Geology"})
    assert r.status == 200 and r.json()["parent_account_id"] == 2
    assert "sis_account_id" not in r.json()  # no rights on the root account
    before = mark(store)
    r = create(api, "2", token="subadmin-token", data={"account[name]": "Geo 2", "account[sis_account_id]": "G2"})
    assert r.status == 401 and r.json() == SIS_REFUSED
    r = create(api, "1", token="subadmin-token", data={"account[name]": "Elsewhere"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert_unchanged(store, before)


@pytest.mark.parametrize("kw,status,body", [
    ({"data": {"account[sis_account_id]": "X"}}, 400, NAME_REQUIRED),
    ({"data": {"account[name]": ""}}, 400, NAME_REQUIRED),
    ({"data": {"account[name]": "   "}}, 400, NAME_REQUIRED),
    ({"json": {"account": {"name": None}}}, 400, NAME_REQUIRED),
    ({"json": {"account": {"name": ["a"]}}}, 400, NAME_REQUIRED),
    ({"data": {"name": "Flat"}}, 400, ACCOUNT_MISSING),
    ({"json": {"account": {}}}, 400, ACCOUNT_MISSING),
    ({"json": {"account": "Arts"}}, 400, ACCOUNT_MISSING),
    ({"data": {"account[name]": "Lost", "account[parent_account_id]": "999"}}, 404, NOT_FOUND),
    ({"data": {"account[name]": "Lost", "account[parent_account_id]": "sis_account_id:SCI"}}, 404, NOT_FOUND),
    ({"data": {"account[name]": "Lost", "account[parent_account_id]": ""}}, 404, NOT_FOUND),
    ({"data": {"account[name]": "Lost", "account[parent_account_id]": "99999999999999999999999"}}, 404, NOT_FOUND),
    ({"data": {"account[name]": "x" * 256}}, 400,
     {"errors": {"name": [{"attribute": "name", "type": "too_long",
                           "message": "is too long (maximum is 255 characters)"}]}}),
    ({"data": {"account[name]": "Dup", "account[sis_account_id]": "SCI"}}, 400,
     {"errors": {"sis_source_id": [{"attribute": "sis_source_id", "type": 'SIS ID "SCI" is already in use',
                                    "message": 'SIS ID "SCI" is already in use'}]}}),
], ids=["no-name", "empty-name", "blank-name", "null-name", "list-name", "no-hash", "empty-hash", "string-hash",
        "unknown-parent", "sis-parent", "empty-parent", "huge-parent", "long-name", "duplicate-sis"])
def test_create_refusals(api, store, kw, status, body):
    r = create(api, **kw)
    assert r.status == status and r.json() == body
    assert_unchanged(store)


def test_create_parent_outside_the_url_account(api, store):
    other_root = make_account(store, "Other U", None)
    before = mark(store)
    r = create(api, "2", data={"account[name]": "X", "account[parent_account_id]": "1"})  # above the URL account
    assert r.status == 404 and r.json() == NOT_FOUND
    r = create(api, "1", data={"account[name]": "X", "account[parent_account_id]": str(other_root.id)})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store, before)


@pytest.mark.parametrize("name", ["<b>Bold</b> & co", "Ünïcode 学校", "ctl\x07char"])
def test_create_keeps_hostile_names(api, store, name):
    r = create(api, data={"account[name]": name})
    assert r.status == 200 and r.json()["name"] == name and store.get("accounts", r.json()["id"]).name == name


@pytest.mark.parametrize("token,status,body", [
    ("teacher-token", 401, UNAUTHORIZED), ("student-token", 401, UNAUTHORIZED), ("outsider-token", 401, UNAUTHORIZED),
    (None, 401, UNAUTHENTICATED),
])
def test_create_needs_manage_account_settings(api, store, token, status, body):
    r = create(api, token=token, data={"account[name]": "Nope"})
    assert r.status == status and r.json() == body
    assert_unchanged(store)


def test_create_in_an_unknown_account(api, store):
    r = create(api, "999", data={"account[name]": "Nope"})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


# -- DELETE --------------------------------------------------------------------------------------

def test_delete_an_empty_sub_account(api, store):
    arts = make_account(store, "Arts", 1, sis_account_id="ARTS")
    store.insert("admins", account_id=arts.id, user_id=20)
    store.live_events.clear()
    r = delete(api, arts.id)
    assert r.status == 200
    assert r.json() == sub_json(store, arts.id, workflow_state="deleted")
    assert list(r.json()) == SUB_KEYS
    assert store.get("accounts", arts.id).workflow_state == "deleted"
    assert [a.workflow_state for a in store.all("admins") if a.account_id == arts.id] == ["deleted"]
    (event,) = store.live_events.all()
    assert (event.name, event.body["account_id"], event.body["workflow_state"]) == ("account_updated", str(arts.id),
                                                                                   "deleted")
    check_shape(event)
    assert api.get(f"/api/v1/accounts/{arts.id}", token="admin-token").status == 404
    assert arts.id not in [a["id"] for a in api.get("/api/v1/accounts/1/sub_accounts", token="admin-token").json()]
    # deleted accounts are still found below the URL account: a second delete answers it again, unchanged
    before = mark(store)
    again = delete(api, arts.id)
    assert again.status == 200 and again.json()["workflow_state"] == "deleted"
    assert_unchanged(store, before)


def test_delete_through_a_nearer_account_and_to_i_ids(api, store):
    deep = make_account(store, "Physics", 2)
    r = delete(api, f"{deep.id}abc", account="2")  # Ruby to_i
    assert r.status == 200 and r.json()["id"] == deep.id


def test_delete_refuses_accounts_with_courses_anywhere_below(api, store):
    deep = make_account(store, "Physics", make_account(store, "Sciences", 1).id)
    store.insert("courses", name="Optics", course_code="OPT", account_id=deep.id, root_account_id=1)
    before = mark(store)
    for target, body in ((2, HAS_COURSES), (deep.parent_account_id, HAS_COURSES), (1, HAS_COURSES)):
        r = delete(api, target)
        assert r.status == 409 and r.json() == body
    assert_unchanged(store, before)


def test_deleted_courses_do_not_count(api, store):
    arts = make_account(store, "Arts", 1)
    store.insert("courses", name="Gone", course_code="G", account_id=arts.id, root_account_id=1,
                 workflow_state="deleted")
    assert delete(api, arts.id).status == 200


def test_delete_refuses_accounts_with_sub_accounts(api, store):
    arts = make_account(store, "Arts", 1)
    make_account(store, "Painting", arts.id)
    before = mark(store)
    r = delete(api, arts.id)
    assert r.status == 409 and r.json() == HAS_SUBS
    assert_unchanged(store, before)


def test_delete_a_root_account_is_401(api, store):
    lone = make_account(store, "Lone U", None)
    store.insert("admins", account_id=lone.id, user_id=1)
    before = mark(store)
    r = delete(api, lone.id, account=str(lone.id))
    assert r.status == 401 and r.json() == ROOT_REFUSED
    assert_unchanged(store, before)


@pytest.mark.parametrize("sub", ["999", "sis_account_id:SCI", "abc", "-2", "99999999999999999999999"])
def test_delete_unknown_or_outside_is_404(api, store, sub):
    r = delete(api, sub)
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


def test_delete_an_account_outside_the_url_account_is_404(api, store):
    arts = make_account(store, "Arts", 1)
    before = mark(store)
    r = delete(api, arts.id, account="2")
    assert r.status == 404 and r.json() == NOT_FOUND
    r = delete(api, 1, account="2")  # the root is above account 2
    assert r.status == 404
    assert_unchanged(store, before)


@pytest.mark.parametrize("token,body", [("teacher-token", UNAUTHORIZED), ("outsider-token", UNAUTHORIZED),
                                        (None, UNAUTHENTICATED)])
def test_delete_needs_manage_account_settings(api, store, token, body):
    arts = make_account(store, "Arts", 1)
    before = mark(store)
    r = delete(api, arts.id, token=token)
    assert r.status == 401 and r.json() == body
    assert_unchanged(store, before)



def test_account_events_from_python_and_on_a_shard(store):
    """A write outside any request has the bare metadata and no domain; ids are global on a shard."""
    original = store.settings
    store.settings = dataclasses.replace(original, shard_id=7)
    try:
        made = store.insert("accounts", name="Scripted", parent_account_id=2, root_account_id=1)
    finally:
        store.settings = original
    (event,) = store.live_events.all()
    check_shape(event)
    assert set(event.metadata) == {"producer", "event_name", "event_time"}
    g = 7 * 10**13
    assert (event.body["account_id"], event.body["root_account_id"], event.body["parent_account_id"],
            event.body["domain"], event.body["default_time_zone"]) == (str(g + made.id), str(g + 1), str(g + 2),
                                                                       None, "Etc/UTC")
