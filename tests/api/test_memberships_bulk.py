"""Bulk removal from a group and joining communities, as a real Canvas 2025 answers (canvas-facts
Corrections 7 and 11): ``DELETE /api/v1/groups/:group_id/users?user_ids[]=...`` removes each listed
member the caller may remove and names the others; an ``invitation_only`` community cannot be
joined by ``user_id=self``.

Default world: group 1 (Project Group 1) has students 6 (leader), 8, 9; group 4 (Study Buddies) is
student-organized (moderator 7); group 7 (Mock Enthusiasts) is a community (moderator: admin 1,
member: outsider 20).
"""

from __future__ import annotations

import pytest

UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}


def live(store, group_id):
    return sorted(m.user_id for m in store.all("memberships")
                  if m.group_id == group_id and m.workflow_state != "deleted")


def bulk(api, group_id, *user_ids, token="teacher-token"):
    query = "&".join(f"user_ids[]={u}" for u in user_ids)
    return api.delete(f"/api/v1/groups/{group_id}/users?{query}", token=token)


def answer(deleted, unauthorized=()):
    return {"deleted_user_ids": list(deleted), "message": "Bulk delete completed",
            "unauthorized_user_ids": list(unauthorized)}


# -- DELETE /api/v1/groups/:group_id/users ------------------------------------------------------

def test_teacher_removes_several_members(api, store):
    r = bulk(api, 1, 8, 9)
    assert r.status == 200
    assert r.json() == answer([8, 9])
    assert live(store, 1) == [6]
    assert api.get("/api/v1/groups/1").json()["members_count"] == 1


def test_removing_the_leader_clears_the_leader(api, store):
    r = bulk(api, 1, 6, 8)
    assert r.json() == answer([6, 8])
    assert store.get("groups", 1).leader_id is None


def test_members_who_may_not_leave_are_unauthorized_and_nothing_changes(api, store):
    # Project Groups: teacher-assigned, no self-signup, so a student may not leave, nor remove others
    before = store.changed_rows
    r = bulk(api, 1, 6, 8, token="student-token")
    assert r.status == 200
    assert r.json() == answer([], [6, 8])
    assert store.changed_rows == before and live(store, 1) == [6, 8, 9]


def test_a_member_removes_only_themselves(api, store):
    # Study Buddies allows many memberships: its members may leave; 7 moderates it
    store.insert("memberships", group_id=4, user_id=6, workflow_state="accepted")
    r = bulk(api, 4, 6, 7, token="student-token")
    assert r.json() == answer([6], [7])
    assert live(store, 4) == [7]


def test_the_moderator_removes_the_others(api, store):
    store.insert("memberships", group_id=4, user_id=6, workflow_state="accepted")
    r = bulk(api, 4, 6, token="student2-token")
    assert r.json() == answer([6])


def test_users_without_a_membership_are_in_neither_list(api, store):
    r = bulk(api, 1, 8, 7, 999, 8)  # 7 is in group 2; 999 is nobody; 8 twice
    assert r.json() == answer([8])
    assert live(store, 1) == [6, 9]


def test_user_ids_in_the_body_work_too(api, store):
    r = api.delete("/api/v1/groups/1/users", data={"user_ids[]": ["8", "9"]})
    assert r.status == 200 and r.json() == answer([8, 9])


def test_without_user_ids_there_is_nothing_to_find(api, store):
    before = store.changed_rows
    r = api.delete("/api/v1/groups/1/users")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert store.changed_rows == before


def test_bulk_removal_of_an_unknown_group_is_404(api):
    r = bulk(api, 999, 8)
    assert r.status == 404 and r.json() == NOT_FOUND


# -- joining an invitation_only community --------------------------------------------------------

def test_an_invitation_only_community_cannot_be_joined(api, store):
    store._update("groups", store.get("groups", 7), join_level="invitation_only")
    before = store.changed_rows
    r = api.post("/api/v1/groups/7/memberships", token="student-token", data={"user_id": "self"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert store.changed_rows == before and live(store, 7) == [1, 20]
    perms = api.get("/api/v1/groups/7/permissions?permissions[]=join", token="student-token")
    assert perms.status == 401  # no read either: not a member


@pytest.mark.parametrize("join_level,state", [("parent_context_auto_join", "accepted"),
                                              ("parent_context_request", "requested")])
def test_open_communities_can_be_joined(api, store, join_level, state):
    store._update("groups", store.get("groups", 7), join_level=join_level)
    r = api.post("/api/v1/groups/7/memberships", token="student-token", data={"user_id": "self"})
    assert r.status == 200 and r.json()["workflow_state"] == state


def test_a_new_community_is_invitation_only_whatever_its_category_says(api, store):
    # the world's Communities category says self_signup "enabled"; Canvas makes that category
    # without self-signup, and only a community's join level opens it
    g = api.post("/api/v1/groups", token="student-token", data={"name": "Quiet Club"}).json()
    assert g["join_level"] == "invitation_only"
    assert g["group_category"]["role"] == "communities"
    r = api.post(f"/api/v1/groups/{g['id']}/memberships", token="student2-token", data={"user_id": "self"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
