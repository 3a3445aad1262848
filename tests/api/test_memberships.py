"""Group memberships over HTTP: GroupMembershipsController#index, #show, #create, #update,
#destroy, and the leadership and counts that follow them (canvas-facts sections 2-4).

Every test checks the status, the exact body where Canvas fixes it, and the store afterwards.
"Nothing changed" is checked with ``store.changed_rows`` (rows written since a point in the test),
so a refused request that wrote anything at all is caught.

Default world (mockcanvas/datasets/default.yaml): groups 1-3 are teacher-made Project Groups
(category 1), 4 "Study Buddies" is student-organized (moderator: 7), 5 "Team 1" (member and
leader 14) and 6 "Team 2" (empty) are in category 3 (self-signup, group_limit 3, auto_leader
first), 7 "Mock Enthusiasts" is a community group (moderator: admin 1, member: outsider 20).
"""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED
from groups_support import live_member_ids, memberships

from mockcanvas.views.common import iso

GROUP_FULL = {"errors": {"group_id": [{"attribute": "group_id", "type": "The group is full.",
                                       "message": "The group is full."}]}}
USER_ID_MISSING = {"errors": [{"message": "user_id is missing"}]}
OK = {"ok": True}


# -- helpers -----------------------------------------------------------------------------------

def token_for(store, user_id):
    """A token for one of the token-less students 8-19."""
    token = f"s{user_id}"
    store.add_token(token, user_id)
    return token


def pair_rows(store, group_id, user_id):
    return [m for m in sorted(store.all("memberships"), key=lambda m: m.id)
            if m.group_id == group_id and m.user_id == user_id]


def live_in_category(store, user_id, category_id):
    """The user's non-deleted memberships in live groups of a category."""
    out = []
    for m in store.all("memberships"):
        g = store.get("groups", m.group_id)
        if (m.user_id == user_id and m.workflow_state != "deleted" and g.group_category_id == category_id
                and g.workflow_state != "deleted"):
            out.append(m)
    return out


def body(store, mid, *, sis=False, manage_sis=False, **extra):
    """group_membership_json of a stored membership. ``sis``: the viewer may read SIS data on the
    root account (the group's ``sis_group_id`` is added; a course teacher may not); ``manage_sis``
    (an admin of the root account): ``sis_import_id`` too."""
    m = store.get("memberships", mid)
    out = {"id": m.id, "group_id": m.group_id, "user_id": m.user_id, "workflow_state": m.workflow_state,
           "moderator": m.moderator, "created_at": iso(m.created_at)}
    if sis or manage_sis:
        out["sis_group_id"] = store.get("groups", m.group_id).sis_group_id
    if manage_sis:
        out["sis_import_id"] = m.sis_import_id
    out.update(extra)
    return out


def ids_of(resp):
    return [m["id"] for m in resp.json()]


def users_of(resp):
    return [m["user_id"] for m in resp.json()]


def group(api, group_id, token="teacher-token", include=""):
    r = api.get(f"/api/v1/groups/{group_id}{include}", token=token)
    assert r.status == 200, r.text
    return r.json()


def join(api, group_id, token, user_id="self"):
    return api.post(f"/api/v1/groups/{group_id}/memberships", token=token, data={"user_id": str(user_id)})


class Unchanged:
    """``with Unchanged(store):`` fails if anything in the block wrote a row."""

    def __init__(self, store):
        self.store = store

    def __enter__(self):
        self.before = self.store.changed_rows
        self.snapshot = sorted((m.id, m.group_id, m.user_id, m.workflow_state, m.moderator)
                               for m in self.store.all("memberships"))
        self.leaders = {g.id: g.leader_id for g in self.store.all("groups")}
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            assert self.store.changed_rows == self.before, "the request wrote to the store"
            assert sorted((m.id, m.group_id, m.user_id, m.workflow_state, m.moderator)
                          for m in self.store.all("memberships")) == self.snapshot
            assert {g.id: g.leader_id for g in self.store.all("groups")} == self.leaders
        return False


def add_memberships(store, group_id, *specs):
    """Insert (user_id, workflow_state) memberships straight into the store; returns their ids."""
    return [store.insert("memberships", group_id=group_id, user_id=u, workflow_state=state).id
            for u, state in specs]


# -- GET /api/v1/groups/:group_id/memberships --------------------------------------------------

def test_list_memberships(api, store):
    r = api.get("/api/v1/groups/1/memberships")
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    # SIS ids follow the rights on the root account (canvas-facts Corrections 5): a course teacher
    # has none there, so no sis_group_id (nor sis_import_id)
    assert r.json() == [body(store, 1), body(store, 2), body(store, 3)]
    assert users_of(r) == [6, 8, 9]
    assert "sis_group_id" not in r.json()[0]


def test_list_memberships_as_a_member_and_as_an_admin(api, store):
    r = api.get("/api/v1/groups/1/memberships", token="student-token")
    assert r.status == 200
    assert r.json() == [body(store, i, sis=False) for i in (1, 2, 3)]
    r = api.get("/api/v1/groups/1/memberships", token="admin-token")
    assert r.status == 200
    assert r.json() == [body(store, i, manage_sis=True) for i in (1, 2, 3)]


def test_list_memberships_leaves_out_deleted_ones(api, store):
    invited, requested, deleted, accepted = add_memberships(
        store, 7, (3, "invited"), (4, "requested"), (2, "deleted"), (5, "accepted"))
    r = api.get("/api/v1/groups/7/memberships", token="admin-token")
    assert r.status == 200
    assert ids_of(r) == [11, 12, invited, requested, accepted]
    assert deleted not in ids_of(r)
    assert [m["workflow_state"] for m in r.json()] == ["accepted", "accepted", "invited", "requested", "accepted"]


@pytest.mark.parametrize("query,expected", [
    ("filter_states[]=invited", ["invited"]),
    ("filter_states[]=requested", ["requested"]),
    ("filter_states[]=invited&filter_states[]=requested", ["invited", "requested"]),
    ("filter_states[]=accepted", ["m11", "m12", "accepted"]),
    ("filter_states[]=accepted&filter_states[]=bogus", ["m11", "m12", "accepted"]),
    ("filter_states[]=accepted&filter_states[]=invited&filter_states[]=requested",
     ["m11", "m12", "invited", "requested", "accepted"]),
    # only unknown states: the intersection is empty, so nothing (not an error)
    ("filter_states[]=bogus", []),
    ("filter_states[]=deleted", []),
    ("filter_states[]=rejected&filter_states[]=deleted", []),
    ("filter_states[]=", []),
])
def test_list_memberships_filter_states(api, store, query, expected):
    invited, requested, _deleted, accepted = add_memberships(
        store, 7, (3, "invited"), (4, "requested"), (2, "deleted"), (5, "accepted"))
    names = {"m11": 11, "m12": 12, "invited": invited, "requested": requested, "accepted": accepted}
    r = api.get(f"/api/v1/groups/7/memberships?{query}", token="admin-token")
    assert r.status == 200
    assert ids_of(r) == [names[n] for n in expected]


def test_list_memberships_paginated_with_filter_states_in_the_links(api, store):
    invited, _requested, _deleted, accepted = add_memberships(
        store, 7, (3, "invited"), (4, "requested"), (2, "deleted"), (5, "accepted"))
    r = api.get("/api/v1/groups/7/memberships?per_page=2&filter_states[]=accepted&filter_states[]=invited",
                token="admin-token")
    assert r.status == 200 and ids_of(r) == [11, 12]
    base = f"{api.base_url}/api/v1/groups/7/memberships?filter_states%5B%5D=accepted&filter_states%5B%5D=invited"
    assert r.headers["Link"] == (
        f'<{base}&page=1&per_page=2>; rel="current",'
        f'<{base}&page=2&per_page=2>; rel="next",'
        f'<{base}&page=1&per_page=2>; rel="first",'
        f'<{base}&page=2&per_page=2>; rel="last"'
    )
    r2 = api.get(r.links["next"], token="admin-token")
    assert r2.status == 200 and ids_of(r2) == [invited, accepted]
    assert r2.headers["Link"] == (
        f'<{base}&page=2&per_page=2>; rel="current",'
        f'<{base}&page=1&per_page=2>; rel="prev",'
        f'<{base}&page=1&per_page=2>; rel="first",'
        f'<{base}&page=2&per_page=2>; rel="last"'
    )


def test_list_memberships_links_use_the_group_id(api):
    # Canvas builds the links from the route helper of the group, so an SIS path id becomes the id
    r = api.get("/api/v1/groups/sis_group_id:PG-1/memberships?per_page=2")
    assert r.status == 200 and users_of(r) == [6, 8]
    base = f"{api.base_url}/api/v1/groups/1/memberships"
    assert r.headers["Link"] == (
        f'<{base}?page=1&per_page=2>; rel="current",'
        f'<{base}?page=2&per_page=2>; rel="next",'
        f'<{base}?page=1&per_page=2>; rel="first",'
        f'<{base}?page=2&per_page=2>; rel="last"'
    )


def test_list_memberships_empty_group(api):
    r = api.get("/api/v1/groups/6/memberships")
    assert r.status == 200 and r.json() == []
    base = f"{api.base_url}/api/v1/groups/6/memberships"
    assert r.headers["Link"] == (
        f'<{base}?page=1&per_page=10>; rel="current",'
        f'<{base}?page=1&per_page=10>; rel="first",'
        f'<{base}?page=1&per_page=10>; rel="last"'
    )


@pytest.mark.parametrize("token,group_id", [
    ("outsider-token", 1),   # no enrollment, no membership
    ("student2-token", 1),   # a student of the course, but not in this teacher-made group
])
def test_list_memberships_needs_read_roster(api, store, token, group_id):
    with Unchanged(store):
        r = api.get(f"/api/v1/groups/{group_id}/memberships", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_list_memberships_not_found_and_unauthenticated(api, store):
    r = api.get("/api/v1/groups/999/memberships")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert api.delete("/api/v1/groups/2").status == 200  # a deleted group is not found either
    r = api.get("/api/v1/groups/2/memberships")
    assert r.status == 404 and r.json() == NOT_FOUND
    r = api.get("/api/v1/groups/1/memberships", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED


# -- GET /api/v1/groups/:group_id/memberships/:id and .../users/:user_id -----------------------

@pytest.mark.parametrize("path", [
    "/api/v1/groups/1/memberships/2",
    "/api/v1/groups/1/users/8",
    "/api/v1/groups/1/users/sis_user_id:S-008",
    "/api/v1/groups/1/users/sis_login_id:student8",
    "/api/v1/groups/sis_group_id:PG-1/memberships/2",
])
def test_show_membership(api, store, path):
    r = api.get(path)
    assert r.status == 200
    assert r.json() == body(store, 2)
    assert "just_created" not in r.json()


@pytest.mark.parametrize("path", ["/api/v1/groups/1/memberships/self", "/api/v1/groups/1/users/self"])
def test_show_own_membership_with_self(api, store, path):
    r = api.get(path, token="student-token")
    assert r.status == 200 and r.json() == body(store, 1, sis=False)
    assert r.json()["user_id"] == 6


@pytest.mark.parametrize("path", [
    "/api/v1/groups/2/memberships/1",       # membership 1 is in group 1
    "/api/v1/groups/2/users/6",             # user 6 is not in group 2
    "/api/v1/groups/1/users/999",           # no such user
    "/api/v1/groups/1/users/sis_user_id:S-999",
    "/api/v1/groups/1/memberships/999",
    "/api/v1/groups/1/memberships/abc",
    "/api/v1/groups/1/memberships/self",    # the teacher is not a member
    "/api/v1/groups/1/users/self",
    "/api/v1/groups/999/memberships/1",
])
def test_show_membership_not_found(api, path):
    r = api.get(path)
    assert r.status == 404 and r.json() == NOT_FOUND


def test_show_deleted_membership_not_found(api, store):
    assert api.delete("/api/v1/groups/1/memberships/2").json() == OK
    assert store.get("memberships", 2).workflow_state == "deleted"
    for path in ("/api/v1/groups/1/memberships/2", "/api/v1/groups/1/users/8"):
        r = api.get(path)
        assert r.status == 404 and r.json() == NOT_FOUND


def test_show_membership_needs_read_roster(api):
    r = api.get("/api/v1/groups/1/memberships/2", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    r = api.get("/api/v1/groups/1/users/8", token="student2-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED


# -- POST /api/v1/groups/:group_id/memberships: who may add whom --------------------------------

@pytest.mark.parametrize("kw", [{"data": {"user_id": "self"}}, {"json": {"user_id": "self"}},
                                {"data": {"user_id": "6"}}, {"json": {"user_id": 6}},
                                {"data": {"user_id": "sis_user_id:S-006"}}])
def test_student_joins_a_self_signup_group(api, store, kw):
    r = api.post("/api/v1/groups/6/memberships", token="student-token", **kw)
    assert r.status == 200
    (m,) = pair_rows(store, 6, 6)
    assert r.json() == body(store, m.id, sis=False, just_created=True)
    assert (m.workflow_state, m.moderator) == ("accepted", False)
    assert memberships(store, 6) == {6: ("accepted", False)}
    # auto_leader "first": the first member of an empty group leads it
    assert store.get("groups", 6).leader_id == 6
    g = group(api, 6)
    assert g["members_count"] == 1 and g["leader"]["id"] == 6


def test_student_cannot_join_a_teacher_made_group(api, store):
    with Unchanged(store):
        r = join(api, 2, "student-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert live_member_ids(store, 2) == [7, 10, 11] and live_member_ids(store, 1) == [6, 8, 9]


def test_student_cannot_add_another_student(api, store):
    with Unchanged(store):
        r = join(api, 6, "student-token", 15)   # even in a self-signup group
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert memberships(store, 6) == {}


def test_teacher_adds_an_enrolled_student(api, store):
    r = join(api, 3, "teacher-token", 15)
    assert r.status == 200
    (m,) = pair_rows(store, 3, 15)
    assert r.json() == body(store, m.id, just_created=True)
    assert r.json()["workflow_state"] == "accepted" and "sis_group_id" not in r.json()
    assert live_member_ids(store, 3) == [12, 13, 15]
    assert group(api, 3)["members_count"] == 3


def test_teacher_cannot_add_a_user_who_is_not_enrolled(api, store):
    with Unchanged(store):
        r = join(api, 3, "teacher-token", 20)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert live_member_ids(store, 3) == [12, 13]


def test_moderator_cannot_add_others_to_a_course_group(api, store):
    # student2 moderates Study Buddies; 15 is an enrolled student who could join it alone
    with Unchanged(store):
        r = join(api, 4, "student2-token", 15)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert live_member_ids(store, 4) == [7]
    r = join(api, 4, token_for(store, 15))
    assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    assert live_member_ids(store, 4) == [7, 15]


def test_join_a_student_organized_group_keeps_other_memberships(api, store):
    # a student-organized category allows several memberships: nobody is moved out of group 1
    r = join(api, 4, "student-token")
    assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    assert live_member_ids(store, 4) == [6, 7]
    assert live_member_ids(store, 1) == [6, 8, 9]
    assert store.get("groups", 1).leader_id == 6


@pytest.mark.parametrize("token", ["admin-token", "teacher-token", "student2-token"])
def test_community_nobody_adds_someone_else(api, store, token):
    # the admin moderates the community and administers its account: still only self-joins
    with Unchanged(store):
        r = join(api, 7, token, 6)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert live_member_ids(store, 7) == [1, 20]


@pytest.mark.parametrize("join_level,state,count", [
    ("parent_context_auto_join", "accepted", 3),
    ("parent_context_request", "requested", 2),
])
def test_community_self_join_state_follows_join_level(api, store, join_level, state, count):
    r = api.put("/api/v1/groups/7", token="admin-token", data={"join_level": join_level})
    assert r.status == 200 and store.get("groups", 7).join_level == join_level
    r = join(api, 7, "student-token")
    assert r.status == 200
    (m,) = pair_rows(store, 7, 6)
    assert m.workflow_state == state
    # a student of a course has no SIS rights on an account's community group
    assert r.json() == body(store, m.id, sis=False, just_created=True)
    assert r.json()["workflow_state"] == state
    assert group(api, 7, token="admin-token")["members_count"] == count
    # asking again returns the same membership, in the same state
    again = join(api, 7, "student-token")
    assert again.status == 200
    assert again.json() == body(store, m.id, sis=False, just_created=False)
    assert len(pair_rows(store, 7, 6)) == 1


@pytest.mark.parametrize("join_level", ["parent_context_auto_join", "invitation_only", "parent_context_request"])
def test_course_group_memberships_are_always_accepted(api, store, join_level):
    r = api.put("/api/v1/groups/6", data={"join_level": join_level})
    assert r.status == 200 and store.get("groups", 6).join_level == join_level
    r = join(api, 6, "student-token")
    assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    assert memberships(store, 6) == {6: ("accepted", False)}
    r = join(api, 3, "teacher-token", 15)
    assert r.status == 200 and r.json()["workflow_state"] == "accepted"


def test_create_is_idempotent(api, store):
    first = join(api, 6, "student-token")
    assert first.status == 200 and first.json()["just_created"] is True
    with Unchanged(store):
        second = join(api, 6, "student-token")
    assert second.status == 200
    assert second.json() == {**first.json(), "just_created": False}
    assert len(pair_rows(store, 6, 6)) == 1
    # the teacher adding an existing member gets the same membership back too
    with Unchanged(store):
        r = join(api, 1, "teacher-token", 8)
    assert r.status == 200 and r.json() == body(store, 2, just_created=False)


def test_rejoin_after_leaving_makes_a_new_membership(api, store):
    first = join(api, 6, "student-token").json()
    assert api.delete("/api/v1/groups/6/memberships/self", token="student-token").json() == OK
    again = join(api, 6, "student-token")
    assert again.status == 200 and again.json()["just_created"] is True
    assert again.json()["id"] != first["id"]
    assert [m.workflow_state for m in pair_rows(store, 6, 6)] == ["deleted", "accepted"]
    assert ids_of(api.get("/api/v1/groups/6/memberships")) == [again.json()["id"]]


def test_join_second_group_of_a_category_moves_the_user(api, store):
    # 14 is in (and leads) Team 1; joining Team 2 moves them
    token = token_for(store, 14)
    r = join(api, 6, token)
    assert r.status == 200 and r.json()["workflow_state"] == "accepted" and r.json()["just_created"] is True
    assert store.get("memberships", 10).workflow_state == "deleted"
    assert memberships(store, 5) == {14: ("deleted", False)}
    assert memberships(store, 6) == {14: ("accepted", False)}
    assert [m.group_id for m in live_in_category(store, 14, 3)] == [6]
    # Team 1 lost its leader and has nobody left to lead it; Team 2 gets 14 as its first member
    assert store.get("groups", 5).leader_id is None and store.get("groups", 6).leader_id == 14
    assert api.get("/api/v1/groups/5/memberships").json() == []
    assert ids_of(api.get("/api/v1/groups/6/memberships")) == [r.json()["id"]]
    r5, r6 = group(api, 5), group(api, 6)
    assert (r5["members_count"], r5["leader"]) == (0, None)
    assert (r6["members_count"], r6["leader"]["id"]) == (1, 14)
    r = api.get("/api/v1/groups/5/memberships/10")
    assert r.status == 404 and r.json() == NOT_FOUND


def test_teacher_adding_to_another_project_group_moves_the_student(api, store):
    # 8 is in Project Group 1; the teacher puts them in Project Group 2
    r = join(api, 2, "teacher-token", 8)
    assert r.status == 200 and r.json()["just_created"] is True
    assert store.get("memberships", 2).workflow_state == "deleted"
    assert live_member_ids(store, 1) == [6, 9] and live_member_ids(store, 2) == [7, 8, 10, 11]
    assert users_of(api.get("/api/v1/groups/1/memberships")) == [6, 9]
    assert group(api, 1)["members_count"] == 2
    assert store.get("groups", 1).leader_id == 6  # not 8's to lose


def test_full_group_by_category_group_limit(api, store):
    # Team 2: no max_membership, the category's group_limit is 3
    for uid in (15, 16, 17):
        assert join(api, 6, token_for(store, uid)).status == 200
    token = token_for(store, 18)
    with Unchanged(store):
        r = join(api, 6, token)
    assert r.status == 400 and r.json() == GROUP_FULL
    assert live_member_ids(store, 6) == [15, 16, 17] and pair_rows(store, 6, 18) == []
    # the teacher hits the same limit
    with Unchanged(store):
        r = join(api, 6, "teacher-token", 18)
    assert r.status == 400 and r.json() == GROUP_FULL
    # an existing member still gets their membership back from a full group
    r = join(api, 6, "teacher-token", 15)
    assert r.status == 200 and r.json()["just_created"] is False


def test_full_group_by_max_membership(api, store):
    # Project Group 3: max_membership 4, members 12 and 13
    assert join(api, 3, "teacher-token", 14).status == 200
    assert join(api, 3, "teacher-token", 15).status == 200
    with Unchanged(store):
        r = join(api, 3, "teacher-token", 16)
    assert r.status == 400 and r.json() == GROUP_FULL
    assert live_member_ids(store, 3) == [12, 13, 14, 15]


def test_max_membership_wins_over_the_category_group_limit(api, store):
    store._update("groups", store.get("groups", 6), max_membership=5)
    for uid in (14, 15, 16, 17, 18):   # 14 moves from Team 1
        r = join(api, 6, token_for(store, uid))
        assert r.status == 200, (uid, r.text)
    with Unchanged(store):
        r = join(api, 6, token_for(store, 19))
    assert r.status == 400 and r.json() == GROUP_FULL
    assert live_member_ids(store, 6) == [14, 15, 16, 17, 18]


def test_move_into_a_full_group_changes_nothing(api, store):
    for uid in (15, 16, 17):
        assert join(api, 6, token_for(store, uid)).status == 200
    token = token_for(store, 14)
    with Unchanged(store):
        r = join(api, 6, token)
    assert r.status == 400 and r.json() == GROUP_FULL
    # 14 stays in Team 1 and keeps leading it
    assert memberships(store, 5) == {14: ("accepted", False)} and store.get("groups", 5).leader_id == 14


def test_student_organized_groups_are_never_full(api, store):
    store._update("groups", store.get("groups", 4), max_membership=2)
    for uid in (15, 16):
        r = join(api, 4, token_for(store, uid))
        assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    assert live_member_ids(store, 4) == [7, 15, 16]


def test_full_counts_accepted_members_only(api, store):
    # the community has 2 accepted members; an invited and a requested one do not fill it
    add_memberships(store, 7, (3, "invited"), (4, "requested"))
    store._update("groups", store.get("groups", 7), max_membership=3)
    r = join(api, 7, "student-token")
    assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    with Unchanged(store):
        r = join(api, 7, "student2-token")
    assert r.status == 400 and r.json() == GROUP_FULL


def test_full_community_group_refuses_requests_too(api, store):
    # Canvas validates the limit for every new membership, whatever state it starts in
    store._update("groups", store.get("groups", 7), max_membership=2, join_level="parent_context_request")
    with Unchanged(store):
        r = join(api, 7, "student-token")
    assert r.status == 400 and r.json() == GROUP_FULL


def test_create_unknown_user(api, store):
    with Unchanged(store):
        r = join(api, 6, "teacher-token", 999)
    assert r.status == 404 and r.json() == NOT_FOUND
    r = join(api, 6, "teacher-token", "sis_user_id:nope")
    assert r.status == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("kw", [{}, {"data": {"user_id": ""}}, {"json": {}}, {"json": {"user_id": None}},
                                {"data": {"other": "1"}}])
def test_create_without_user_id(api, store, kw):
    with Unchanged(store):
        r = api.post("/api/v1/groups/6/memberships", token="student-token", **kw)
    assert r.status == 400 and r.json() == USER_ID_MISSING


def test_create_in_unknown_group(api):
    r = join(api, 999, "student-token")
    assert r.status == 404 and r.json() == NOT_FOUND


# -- PUT /api/v1/groups/:group_id/memberships/:id and .../users/:user_id ------------------------

@pytest.mark.parametrize("path", ["/api/v1/groups/1/memberships/2", "/api/v1/groups/1/users/8"])
@pytest.mark.parametrize("kw,flag", [
    ({"data": {"moderator": "true"}}, True),
    ({"data": {"moderator": "1"}}, True),
    ({"json": {"moderator": True}}, True),
    # anything not on Rails's exact false list is true, capitalised "False" and blanks included
    ({"data": {"moderator": "yes"}}, True),
    ({"data": {"moderator": "False"}}, True),
    ({"data": {"moderator": " "}}, True),
])
def test_update_moderator_true(api, store, path, kw, flag):
    r = api.put(path, **kw)
    assert r.status == 200
    assert store.get("memberships", 2).moderator is flag
    assert r.json() == body(store, 2)
    assert r.json()["moderator"] is flag
    assert api.get("/api/v1/groups/1/memberships/2").json()["moderator"] is flag


@pytest.mark.parametrize("kw", [
    {"data": {"moderator": "false"}}, {"data": {"moderator": "0"}}, {"json": {"moderator": False}},
    {"json": {"moderator": 0}}, {"data": {"moderator": "off"}}, {"data": {"moderator": "f"}},
])
def test_update_moderator_false(api, store, kw):
    store._update("memberships", store.get("memberships", 2), moderator=True)
    r = api.put("/api/v1/groups/1/users/8", **kw)
    assert r.status == 200 and r.json()["moderator"] is False
    assert store.get("memberships", 2).moderator is False


def test_update_moderator_blank_changes_nothing(api, store):
    with Unchanged(store):
        r = api.put("/api/v1/groups/1/memberships/2", data={"moderator": ""})
    assert r.status == 200 and r.json() == body(store, 2)


@pytest.mark.parametrize("state", ["deleted", "invited", "requested", "rejected", "bogus", ""])
def test_update_other_workflow_states_are_dropped(api, store, state):
    with Unchanged(store):
        r = api.put("/api/v1/groups/1/memberships/2", data={"workflow_state": state})
    assert r.status == 200 and r.json() == body(store, 2)
    assert r.json()["workflow_state"] == "accepted"
    # dropped on its own, while moderator in the same request is taken
    r = api.put("/api/v1/groups/1/memberships/2", data={"workflow_state": state, "moderator": "true"})
    assert r.status == 200
    assert (store.get("memberships", 2).workflow_state, store.get("memberships", 2).moderator) == ("accepted", True)


def invite(api, group_id, *addresses, token="admin-token"):
    """POST /groups/:id/invite (the community's moderator, the admin, by default)."""
    r = api.post(f"/api/v1/groups/{group_id}/invite", token=token, data={"invitees[]": list(addresses)})
    assert r.status == 200, r.text
    return r.json()


def test_update_invited_community_membership_to_accepted(api, store):
    assert api.put("/api/v1/groups/7", token="admin-token", data={"join_level": "invitation_only"}).status == 200
    # an invitation_only community cannot be joined: its moderator invites
    (invited,) = invite(api, 7, "student@example.edu")
    mid = invited["id"]
    assert store.get("memberships", mid).workflow_state == "invited"
    assert group(api, 7, token="admin-token")["members_count"] == 2
    # the invited user is not a member yet: they cannot accept it themselves
    with Unchanged(store):
        r = api.put(f"/api/v1/groups/7/memberships/{mid}", token="student-token", data={"workflow_state": "accepted"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    # the moderator (admin) accepts it
    r = api.put("/api/v1/groups/7/users/6", token="admin-token", data={"workflow_state": "accepted"})
    assert r.status == 200
    assert r.json() == body(store, mid, manage_sis=True)
    assert r.json()["workflow_state"] == "accepted"
    assert store.get("memberships", mid).workflow_state == "accepted"
    assert group(api, 7, token="admin-token")["members_count"] == 3
    assert users_of(api.get("/api/v1/groups/7/memberships?filter_states[]=accepted", token="admin-token")) == [1, 20, 6]


def test_existing_memberships_are_not_refused_by_a_full_group(api, store):
    # Canvas checks the group limit for new memberships only (validate_within_group_limit)
    store._update("groups", store.get("groups", 7), max_membership=3, join_level="invitation_only")
    mid, m2 = (m["id"] for m in invite(api, 7, "student@example.edu", "student2@example.edu"))
    assert [store.get("memberships", i).workflow_state for i in (mid, m2)] == ["invited", "invited"]
    add_memberships(store, 7, (3, "accepted"))   # 3 accepted: full
    with Unchanged(store):
        r = api.post("/api/v1/groups/7/invite", token="admin-token", data={"invitees[]": ["student15@example.edu"]})
        assert r.json() == []  # a new invitation does not fit
    # the moderator accepts an invitation into the full group
    r = api.put(f"/api/v1/groups/7/memberships/{mid}", token="admin-token", data={"workflow_state": "accepted"})
    assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    assert store.get("memberships", mid).workflow_state == "accepted"
    # once the group auto-joins, asking again resets the invitation to accepted (add_user)
    assert api.put("/api/v1/groups/7", token="admin-token",
                   data={"join_level": "parent_context_auto_join"}).status == 200
    r = join(api, 7, "student2-token")
    assert r.status == 200 and r.json()["id"] == m2
    assert (r.json()["workflow_state"], r.json()["just_created"]) == ("accepted", False)
    assert group(api, 7, token="admin-token")["members_count"] == 5


def test_update_by_group_moderator(api, store):
    assert join(api, 4, "student-token").status == 200
    (m,) = pair_rows(store, 4, 6)
    r = api.put(f"/api/v1/groups/4/memberships/{m.id}", token="student2-token", data={"moderator": "true"})
    assert r.status == 200 and r.json()["moderator"] is True
    assert store.get("memberships", m.id).moderator is True
    # the new moderator may now manage memberships in that group (and demote the other one)
    r = api.put("/api/v1/groups/4/users/7", token="student-token", data={"moderator": "false"})
    assert r.status == 200 and store.get("memberships", 9).moderator is False


@pytest.mark.parametrize("token,path", [
    ("student-token", "/api/v1/groups/1/memberships/2"),   # a plain member (and the group's leader)
    ("student-token", "/api/v1/groups/1/memberships/self"),  # the member themselves
    ("student-token", "/api/v1/groups/1/users/self"),
    ("outsider-token", "/api/v1/groups/1/users/8"),
    ("student2-token", "/api/v1/groups/1/users/8"),        # a moderator elsewhere
])
def test_update_not_allowed(api, store, token, path):
    with Unchanged(store):
        r = api.put(path, token=token, data={"moderator": "true", "workflow_state": "accepted"})
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_update_not_found(api, store):
    assert api.delete("/api/v1/groups/1/memberships/2").json() == OK
    for path in ("/api/v1/groups/1/memberships/2", "/api/v1/groups/1/users/8", "/api/v1/groups/2/memberships/1",
                 "/api/v1/groups/1/memberships/self"):
        with Unchanged(store):
            r = api.put(path, data={"moderator": "true"})
        assert r.status == 404 and r.json() == NOT_FOUND


# -- DELETE /api/v1/groups/:group_id/memberships/:id and .../users/:user_id ---------------------

@pytest.mark.parametrize("path", ["/api/v1/groups/5/memberships/self", "/api/v1/groups/5/users/self",
                                  "/api/v1/groups/5/memberships/10", "/api/v1/groups/5/users/14"])
def test_leave_a_self_signup_group(api, store, path):
    token = token_for(store, 14)
    r = api.delete(path, token=token)
    assert r.status == 200 and r.json() == OK
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    # soft delete: the row stays, marked deleted
    assert store.get("memberships", 10).workflow_state == "deleted"
    assert memberships(store, 5) == {14: ("deleted", False)}
    assert api.get("/api/v1/groups/5/memberships").json() == []
    r = api.get("/api/v1/groups/5/memberships/10")
    assert r.status == 404 and r.json() == NOT_FOUND
    g = group(api, 5)
    assert (g["members_count"], g["leader"]) == (0, None)
    # gone: a second delete finds nothing
    with Unchanged(store):
        r = api.delete(path, token=token)
    assert r.status == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("path", ["/api/v1/groups/1/memberships/self", "/api/v1/groups/1/users/self",
                                  "/api/v1/groups/1/memberships/1", "/api/v1/groups/1/users/6"])
def test_student_cannot_leave_a_teacher_assigned_group(api, store, path):
    with Unchanged(store):
        r = api.delete(path, token="student-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert live_member_ids(store, 1) == [6, 8, 9]


def test_leave_a_student_organized_group(api, store):
    r = api.delete("/api/v1/groups/4/memberships/9", token="student2-token")
    assert r.status == 200 and r.json() == OK
    assert memberships(store, 4) == {7: ("deleted", True)}
    assert group(api, 4)["members_count"] == 0


def test_leave_a_community_group(api, store):
    r = api.delete("/api/v1/groups/7/users/self", token="outsider-token")
    assert r.status == 200 and r.json() == OK
    assert memberships(store, 7) == {1: ("accepted", True), 20: ("deleted", False)}


@pytest.mark.parametrize("path", ["/api/v1/groups/1/memberships/2", "/api/v1/groups/1/users/8",
                                  "/api/v1/groups/1/users/sis_user_id:S-008"])
def test_teacher_removes_a_member(api, store, path):
    r = api.delete(path)
    assert r.status == 200 and r.json() == OK
    assert memberships(store, 1) == {6: ("accepted", False), 8: ("deleted", False), 9: ("accepted", False)}
    assert users_of(api.get("/api/v1/groups/1/memberships")) == [6, 9]
    assert group(api, 1)["members_count"] == 2


def test_moderator_removes_a_member_of_their_group(api, store):
    assert join(api, 4, "student-token").status == 200
    r = api.delete("/api/v1/groups/4/users/6", token="student2-token")
    assert r.status == 200 and r.json() == OK
    assert memberships(store, 4) == {6: ("deleted", False), 7: ("accepted", True)}
    # but not anyone in a group they do not moderate
    with Unchanged(store):
        r = api.delete("/api/v1/groups/1/users/8", token="student2-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_community_moderator_removes_a_member(api, store):
    r = api.delete("/api/v1/groups/7/users/20", token="admin-token")
    assert r.status == 200 and r.json() == OK
    assert memberships(store, 7, live_only=True) == {1: ("accepted", True)}


def test_member_cannot_remove_another_member(api, store):
    token15 = token_for(store, 15)
    assert join(api, 5, token15).status == 200
    with Unchanged(store):
        r = api.delete("/api/v1/groups/5/users/14", token=token15)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    # nor does leading a group let its leader (14) remove others: update is not manage
    with Unchanged(store):
        r = api.delete("/api/v1/groups/5/users/15", token=token_for(store, 14))
    assert r.status == 401 and r.json() == UNAUTHORIZED
    with Unchanged(store):
        r = api.delete("/api/v1/groups/1/users/8", token="student-token")  # the leader of group 1
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_delete_not_found(api, store):
    for path in ("/api/v1/groups/2/memberships/1", "/api/v1/groups/1/users/7", "/api/v1/groups/1/memberships/999",
                 "/api/v1/groups/1/users/self"):
        with Unchanged(store):
            r = api.delete(path)
        assert r.status == 404 and r.json() == NOT_FOUND


# -- leadership -------------------------------------------------------------------------------

def test_leader_removed_is_cleared(api, store):
    # group 1 (no auto_leader) loses its leader 6
    assert api.delete("/api/v1/groups/1/users/6").json() == OK
    assert store.get("groups", 1).leader_id is None
    g = group(api, 1)
    assert g["leader"] is None and g["members_count"] == 2


def test_non_leader_leaving_keeps_the_leader(api, store):
    assert api.delete("/api/v1/groups/1/users/8").json() == OK
    assert store.get("groups", 1).leader_id == 6 and group(api, 1)["leader"]["id"] == 6


@pytest.mark.parametrize("order,expected", [((15, 16), 15), ((16, 15), 16)])
def test_auto_leader_first_picks_the_earliest_remaining_member(api, store, order, expected):
    for uid in order:
        r = join(api, 5, token_for(store, uid))
        assert r.status == 200 and r.json()["workflow_state"] == "accepted"
    assert store.get("groups", 5).leader_id == 14  # the leader stays while in the group
    assert api.delete("/api/v1/groups/5/users/14").json() == OK
    assert store.get("groups", 5).leader_id == expected
    g = group(api, 5)
    assert g["leader"]["id"] == expected and g["members_count"] == 2
    # and again when that one leaves (on their own)
    other = ({15, 16} - {expected}).pop()
    assert api.delete("/api/v1/groups/5/memberships/self", token=f"s{expected}").json() == OK
    assert store.get("groups", 5).leader_id == other
    assert api.delete("/api/v1/groups/5/memberships/self", token=f"s{other}").json() == OK
    assert store.get("groups", 5).leader_id is None and group(api, 5)["leader"] is None


def test_auto_leader_random_picks_a_remaining_member(api, store):
    store._update("group_categories", store.get("group_categories", 3), auto_leader="random")
    for uid in (15, 16):
        assert join(api, 5, token_for(store, uid)).status == 200
    assert api.delete("/api/v1/groups/5/users/14").json() == OK
    leader = store.get("groups", 5).leader_id
    assert leader in (15, 16)
    assert group(api, 5)["leader"]["id"] == leader


def test_auto_leader_fills_an_empty_slot_on_the_next_change(api, store):
    # the teacher clears Team 1's leader; GroupLeadership picks one at the next membership change
    assert join(api, 5, token_for(store, 15)).status == 200
    assert join(api, 5, token_for(store, 16)).status == 200
    r = api.put("/api/v1/groups/5", data={"leader": ""})
    assert r.status == 200 and store.get("groups", 5).leader_id is None
    assert api.delete("/api/v1/groups/5/users/16").json() == OK
    assert store.get("groups", 5).leader_id == 14


def test_moving_leader_gets_a_new_leader_in_the_old_group(api, store):
    token15 = token_for(store, 15)
    assert join(api, 5, token15).status == 200
    assert join(api, 6, token_for(store, 14)).status == 200   # the leader moves to Team 2
    assert store.get("groups", 5).leader_id == 15
    assert store.get("groups", 6).leader_id == 14
    assert (group(api, 5)["leader"]["id"], group(api, 6)["leader"]["id"]) == (15, 14)


# -- members_count and the other views of the same memberships ----------------------------------

def test_invited_community_membership_does_not_count(api, store):
    assert api.put("/api/v1/groups/7", token="admin-token", data={"join_level": "invitation_only"}).status == 200
    assert invite(api, 7, "student@example.edu")[0]["workflow_state"] == "invited"
    assert group(api, 7, token="admin-token")["members_count"] == 2
    assert users_of(api.get("/api/v1/groups/7/memberships", token="admin-token")) == [1, 20, 6]
    assert users_of(api.get("/api/v1/groups/7/memberships?filter_states[]=invited", token="admin-token")) == [6]
    # the invited user is not a member yet: the group is not among their groups
    mine = api.get("/api/v1/users/self/groups?context_type=Account", token="student-token").json()
    assert mine == []


def _views_agree(api, store, group_id):
    """The memberships list, include[]=users, /users, members_count and the store say the same."""
    live = live_member_ids(store, group_id)
    listed = api.get(f"/api/v1/groups/{group_id}/memberships?per_page=100")
    assert listed.status == 200 and sorted(users_of(listed)) == live
    assert ids_of(listed) == sorted(m.id for m in store.all("memberships")
                                    if m.group_id == group_id and m.workflow_state != "deleted")
    g = group(api, group_id, include="?include[]=users")
    assert sorted(u["id"] for u in g["users"]) == live
    assert g["members_count"] == len(live)
    users = api.get(f"/api/v1/groups/{group_id}/users?per_page=100")
    assert users.status == 200 and sorted(u["id"] for u in users.json()) == live
    for uid in live:
        r = api.get(f"/api/v1/groups/{group_id}/users/{uid}")
        assert r.status == 200 and r.json()["user_id"] == uid
    return live


def test_group_edit_invite_and_memberships_agree(api, store):
    # Project Group 3 (max 4): members[] replaces 13 by 14, invite adds 15, the memberships API adds
    # 16 and removes 12
    assert _views_agree(api, store, 3) == [12, 13]
    r = api.put("/api/v1/groups/3", data={"members[]": ["12", "14"]})
    assert r.status == 200 and sorted(u["id"] for u in r.json()["users"]) == [12, 14]
    assert r.json()["members_count"] == 2
    assert _views_agree(api, store, 3) == [12, 14]
    r = api.post("/api/v1/groups/3/invite", data={"invitees[]": ["student15@example.edu"]})
    assert r.status == 200
    (invited,) = r.json()
    assert invited == body(store, invited["id"])
    assert (invited["user_id"], invited["workflow_state"]) == (15, "accepted")
    assert api.get(f"/api/v1/groups/3/memberships/{invited['id']}").json() == invited
    r = join(api, 3, "teacher-token", 16)
    assert r.status == 200 and r.json()["just_created"] is True
    assert _views_agree(api, store, 3) == [12, 14, 15, 16]
    # full now: the memberships API and invite both refuse 17
    assert join(api, 3, "teacher-token", 17).json() == GROUP_FULL
    assert api.post("/api/v1/groups/3/invite", data={"invitees[]": ["student17@example.edu"]}).json() == []
    assert api.delete("/api/v1/groups/3/users/12").json() == OK
    assert _views_agree(api, store, 3) == [14, 15, 16]
    # the membership created by the group edit is the one the memberships API shows and removes
    (m14,) = [m for m in pair_rows(store, 3, 14) if m.workflow_state == "accepted"]
    assert api.get("/api/v1/groups/3/users/14").json() == body(store, m14.id)
    assert api.delete(f"/api/v1/groups/3/memberships/{m14.id}").json() == OK
    assert _views_agree(api, store, 3) == [15, 16]
    assert memberships(store, 3) == {12: ("deleted", False), 13: ("deleted", False), 14: ("deleted", False),
                              15: ("accepted", False), 16: ("accepted", False)}


def test_who_may_join_may_list_the_members(api):
    """Group#set_policy: the join right brings read_roster (Team 2 is open for self-signup)."""
    r = api.get("/api/v1/groups/5/memberships", token="student-token")
    assert r.status == 200 and [m["user_id"] for m in r.json()] == [14]
    # but not the group's users (GroupsController#users authorizes :read, canvas-facts section 4),
    # not the group itself, and not a teacher-made group
    assert api.get("/api/v1/groups/5/users", token="student-token").status == 401
    assert api.get("/api/v1/groups/5", token="student-token").status == 401
    assert api.get("/api/v1/groups/2/memberships", token="student-token").status == 401
