"""Inviting to groups over HTTP: GroupsController#invite (canvas-facts sections 2-4; the new users of
unknown e-mail addresses and the participants-only rule: test_groups_2025.py).

Every test checks the status, the exact body where Canvas fixes it, and the store afterwards.
"""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHORIZED
from groups_support import assert_unchanged, live_member_ids, memberships

from mockcanvas.views.common import iso



_NO_SIS = object()


def expected_membership(store, m, *, sis_group_id=_NO_SIS, manage_sis=False):
    """``sis_group_id`` only for a caller with SIS rights on the root account (an admin)."""
    data = {"id": m.id, "group_id": m.group_id, "user_id": m.user_id, "workflow_state": m.workflow_state,
            "moderator": m.moderator, "created_at": iso(m.created_at)}
    if sis_group_id is not _NO_SIS:
        data["sis_group_id"] = sis_group_id
    if manage_sis:
        data["sis_import_id"] = m.sis_import_id
    return data


def test_invite_to_a_course_group_accepts_at_once(api, store):
    email16 = store.get("users", 16).email
    r = api.post("/api/v1/groups/1/invite",
                 data={"invitees[]": ["student15", email16.upper(), "nobody@example.edu", "STUDENT15"]})
    assert r.status == 200
    body = r.json()
    assert isinstance(body, list) and [m["user_id"] for m in body] == [15, 16]
    rows = [store.memberships.of_pair(1, uid) for uid in (15, 16)]
    assert body == [expected_membership(store, m) for m in rows]
    assert all(m.workflow_state == "accepted" and not m.moderator for m in rows)
    assert live_member_ids(store, 1) == [6, 8, 9, 15, 16]
    assert api.get("/api/v1/groups/1").json()["members_count"] == 5


def test_invite_to_a_community_group_stays_invited(api, store):
    r = api.post("/api/v1/groups/7/invite", token="admin-token",
                 data={"invitees[]": ["student@example.edu", "teacher"]})
    assert r.status == 200
    rows = [store.memberships.of_pair(7, uid) for uid in (6, 2)]
    assert r.json() == [expected_membership(store, m, sis_group_id=None, manage_sis=True) for m in rows]
    assert [m["workflow_state"] for m in r.json()] == ["invited", "invited"]
    assert memberships(store, 7) == {1: ("accepted", True), 20: ("accepted", False),
                                     6: ("invited", False), 2: ("invited", False)}
    assert api.get("/api/v1/groups/7", token="admin-token").json()["members_count"] == 2


def test_invite_existing_member_returns_the_membership(api, store):
    r = api.post("/api/v1/groups/1/invite", data={"invitees[]": ["student8"]})
    assert r.status == 200
    m = store.memberships.of_pair(1, 8)
    assert r.json() == [expected_membership(store, m)]
    assert_unchanged(store)


def test_invite_resets_a_pending_membership(api, store):
    # Group#add_user: a membership that is not accepted takes the new state ("invited")
    requested = store.insert("memberships", group_id=7, user_id=6, workflow_state="requested", moderator=False)
    r = api.post("/api/v1/groups/7/invite", token="admin-token", data={"invitees[]": ["student"]})
    assert r.status == 200
    assert [(m["id"], m["workflow_state"]) for m in r.json()] == [(requested.id, "invited")]
    assert store.get("memberships", requested.id).workflow_state == "invited"
    assert memberships(store, 7)[6] == ("invited", False)


def test_invite_unknown_addresses_only(api, store):
    # UserList (search_method :preferred) makes a pre-registered user for the unknown e-mail address
    # (and leaves the unknown login id out); someone outside the course is not invited to its group
    before = set(store.rows["users"])
    r = api.post("/api/v1/groups/1/invite", data={"invitees[]": ["nobody@example.edu", "ghost"]})
    assert r.status == 200 and r.json() == []
    (new_id,) = set(store.rows["users"]) - before
    assert store.get("users", new_id).email == "nobody@example.edu"
    assert live_member_ids(store, 1) == [6, 8, 9]


def test_invite_by_a_moderator(api, store):
    r = api.post("/api/v1/groups/4/invite", token="student2-token", data={"invitees[]": ["student15"]})
    assert r.status == 200
    assert [(m["user_id"], m["workflow_state"]) for m in r.json()] == [(15, "accepted")]
    assert "sis_group_id" not in r.json()[0]  # a student cannot read SIS data
    assert memberships(store, 4) == {7: ("accepted", True), 15: ("accepted", False)}


@pytest.mark.parametrize("kw", [{}, {"data": {"invitees": ""}}, {"json": {"invitees": []}},
                                {"json": {"invitees": None}}], ids=["absent", "blank", "empty-list", "null"])
def test_invite_without_invitees(api, store, kw):
    r = api.post("/api/v1/groups/1/invite", **kw)
    assert r.status == 400
    assert r.json() == {"errors": [{"message": "invitees is missing"}]}
    assert_unchanged(store)


@pytest.mark.parametrize("gid,token", [
    (1, "student-token"),    # the leader is no moderator
    (2, "student2-token"),   # a plain member
    (4, "student-token"),    # a student of the course, not in the group
    (1, "outsider-token"),
])
def test_invite_unauthorized(api, store, gid, token):
    r = api.post(f"/api/v1/groups/{gid}/invite", token=token, data={"invitees[]": ["student15"]})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    assert_unchanged(store)


def test_invite_unknown_or_deleted_group(api, store):
    r = api.post("/api/v1/groups/999/invite", data={"invitees[]": ["student15"]})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert api.delete("/api/v1/groups/3").status == 200
    r = api.post("/api/v1/groups/3/invite", data={"invitees[]": ["student15"]})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert store.memberships.of_pair(3, 15) is None


def test_invite_past_the_limit_skips_the_rest(api, store):
    r = api.post("/api/v1/groups/3/invite", data={"invitees[]": [
        "student14@example.edu", "student15@example.edu", "student16@example.edu"]})
    assert r.status == 200
    assert [m["user_id"] for m in r.json()] == [14, 15]
    assert store.memberships.accepted_count(3) == 4
