"""The Group Memberships API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Group.create_membership(user)`` (``POST /groups/:id/memberships`` with ``user_id``, also
  ``"self"``): self-signup, a teacher adding a student (who is moved out of the category's other
  group), idempotence (``just_created``), a full group (``BadRequest``), an unknown user
  (``ResourceDoesNotExist``), a student adding to a teacher-made group (``Unauthorized``), a
  request to join a community (``requested``);
* ``Group.get_memberships`` (``GET /groups/:id/memberships``, ``filter_states[]``), also in small
  pages through canvasapi's ``PaginatedList``;
* ``Group.get_membership(user, "users")`` (``GET /groups/:id/users/:user_id``) and
  ``Group.get_membership(id, "memberships")`` (``GET /groups/:id/memberships/:id``), ``self`` too;
* ``Group.update_membership(user, ...)`` (``PUT /groups/:id/users/:user_id``) and
  ``GroupMembership.update(...)`` (``PUT /groups/:group_id/memberships/:id``): ``moderator`` and
  ``workflow_state=accepted`` (other states are dropped);
* ``Group.remove_user(user)`` (``DELETE /groups/:id/users/:user_id``),
  ``GroupMembership.remove_self()`` and ``GroupMembership.remove_user(user)`` (see the quirk below);
* ``Group.invite`` (``POST /groups/:id/invite``) cross-checked with ``get_memberships``;
* around them ``Canvas.get_group`` (members_count, leader), ``CurrentUser.get_groups``,
  ``Group.get_users``, and to arrange a self-signup category of the test's own
  ``Course.create_group_category`` and ``GroupCategory.create_group`` (``GroupCategory.delete``
  at teardown against a real Canvas).

A canvasapi quirk these tests pin down: ``GroupMembership.remove_self`` and
``GroupMembership.remove_user`` build their URL from the membership's **own id** in the group's
place (``groups/{membership.id}/memberships/self``, ``groups/{membership.id}/users/:user_id``).
Called on a membership canvasapi returned, they address the group whose id happens to equal the
membership id: a 404, or a different group altogether. They do what their names say only on a
``GroupMembership`` whose ``id`` is the group's id, which is how these tests call them (besides
showing the quirk once).

On the mock, every mutating call is also checked in the store (``store.memberships.of_pair``,
``accepted_count``, the rows of ``store.rows["memberships"]``). Against a real Canvas (see
``conftest.py``) the tests that rely on the default world or on the store are skipped; the others
work in community groups, or a self-signup category of the course, that the teacher creates (and
deletes afterwards), and need the student token (a student of ``MOCKCANVAS_REAL_COURSE_ID``).
"""

from __future__ import annotations

import math

import pytest
from canvasapi.exceptions import BadRequest, CanvasException, ResourceDoesNotExist, Unauthorized
from canvasapi.group import Group, GroupMembership
from canvasapi.paginated_list import PaginatedList
from canvasapi.util import combine_kwargs

# -- the default world (mockcanvas/datasets/default.yaml) ---------------------------------------
TEACHER_ID = 2
STUDENT_ID = 6  # Sam Student: Project Group 1 (its leader)
STUDENT2_ID = 7  # Stella Student: Project Group 2, Study Buddies (moderator)
PG1, PG2, PG3, STUDY_BUDDIES, TEAM1, TEAM2 = range(1, 7)
# Project Groups (category 1): teacher-made, invitation_only, one group per student, no auto leader.
# Self Sign-up Teams (category 3): self_signup enabled, group_limit 3, auto_leader "first";
# Team 1 holds user 14 (its leader), Team 2 is empty.
PG1_MEMBERS = [STUDENT_ID, 8, 9]  # membership ids 1, 2, 3
PG2_MEMBERS = [STUDENT2_ID, 10, 11]  # membership ids 4, 5, 6
PG3_MEMBERS = [12, 13]  # max_membership 4
MSG_FULL = "The group is full."


# -- helpers ----------------------------------------------------------------------------------
def requester(canvas):
    return canvas._Canvas__requester


def as_group(canvas, group_id):
    """A ``Group`` for ``canvas`` without reading it first (students may not read every group
    they may join)."""
    return Group(requester(canvas), {"id": group_id})


def membership_of_group(canvas, group_id):
    """The ``GroupMembership`` on which canvasapi's ``remove_self`` / ``remove_user`` address
    ``group_id`` (they put the object's ``id`` where the group id goes; see module docstring)."""
    return GroupMembership(requester(canvas), {"id": group_id})


def small_pages(canvas, cls, path, per_page=2, **params):
    """canvasapi's own PaginatedList with ``per_page`` handed to it directly (canvasapi's list
    methods would send ``per_page`` twice, the last one 100)."""
    return PaginatedList(cls, requester(canvas), "GET", path, per_page=per_page,
                         _kwargs=combine_kwargs(**params))


def listed(memberships):
    """``(user_id, workflow_state)`` of a membership list, in the order given."""
    return [(m.user_id, m.workflow_state) for m in memberships]


def user_ids(memberships):
    return [m.user_id for m in memberships]


def row(store, group_id, user_id):
    """The live membership row of a pair, or None."""
    with store.lock:
        return store.memberships.of_pair(group_id, user_id)


def accepted(store, group_id):
    with store.lock:
        return store.memberships.accepted_count(group_id)


def live_states(store, group_id):
    with store.lock:
        return {m.user_id: m.workflow_state for m in store.memberships.live(group_id)}


def rows_of(store, group_id, user_id):
    """Every membership row of a pair, deleted ones included, oldest first."""
    with store.lock:
        return sorted(((m.id, m.workflow_state) for m in store.rows["memberships"].values()
                       if (m.group_id, m.user_id) == (group_id, user_id)))


def leader_id(canvas, group_id):
    leader = canvas.get_group(group_id).leader
    return leader["id"] if leader else None


def denied(log):
    """The last exchange was a permission denial: 401 without WWW-Authenticate."""
    return log[-1].status == 401 and "WWW-Authenticate" not in log[-1].headers


@pytest.fixture
def new_community(teacher, created_groups):
    """``new_community(**fields)``: a community group the teacher creates (and so moderates)."""

    def make(**fields):
        group = teacher.create_group(name="Contract Memberships Community", **fields)
        created_groups.append(group.id)
        return group

    return make


# -- the workflow -----------------------------------------------------------------------------
def test_students_sign_up_for_teams_and_the_leader_follows(
        teacher, student, student2, mock_user_client, mock_store, http_log):
    """Students sign themselves up for the self-signup teams of course 1 (group_limit 3,
    auto_leader "first"): the first to join leads, a team fills up, a student switching teams
    takes their leadership with them, the leader leaves and the next member takes over."""
    user14, user15, user16 = (mock_user_client(u) for u in (14, 15, 16))
    assert (teacher.get_group(TEAM2).members_count, leader_id(teacher, TEAM2)) == (0, None)
    assert leader_id(teacher, TEAM1) == 14

    log = http_log(student)
    sam = as_group(student, TEAM2).create_membership("self")
    assert [(e.method, e.path) for e in log] == [("POST", f"/api/v1/groups/{TEAM2}/memberships")]
    assert log[-1].form["user_id"] == ["self"]
    assert (sam.group_id, sam.user_id, sam.workflow_state, sam.just_created) == (
        TEAM2, STUDENT_ID, "accepted", True)
    assert leader_id(teacher, TEAM2) == STUDENT_ID  # the first member leads

    stella = as_group(student2, TEAM2).create_membership("self")
    assert (stella.user_id, stella.workflow_state) == (STUDENT2_ID, "accepted")
    assert leader_id(teacher, TEAM2) == STUDENT_ID  # a leader stays leader

    # user 14 leaves Team 1 for Team 2: one team per student, and Team 1 loses its leader
    moved = as_group(user14, TEAM2).create_membership("self")
    assert (moved.user_id, moved.just_created) == (14, True)
    team1 = teacher.get_group(TEAM1)
    assert (team1.members_count, team1.leader) == (0, None)
    assert list(team1.get_memberships()) == []
    team2 = teacher.get_group(TEAM2)
    assert team2.members_count == 3
    assert listed(team2.get_memberships()) == [
        (STUDENT_ID, "accepted"), (STUDENT2_ID, "accepted"), (14, "accepted")]

    # Team 2 is full (the category's group_limit); user 15 takes Team 1 instead and leads it
    with pytest.raises(BadRequest) as exc:
        as_group(user15, TEAM2).create_membership("self")
    assert MSG_FULL in str(exc.value)
    assert [g.id for g in user15.get_current_user().get_groups()] == []
    joined = as_group(user15, TEAM1).create_membership("self")
    assert (joined.group_id, joined.user_id) == (TEAM1, 15)
    assert leader_id(teacher, TEAM1) == 15

    # the leader leaves: the earliest remaining member takes over, and there is room again
    left = membership_of_group(student, TEAM2).remove_self()
    assert left == {"ok": True}
    assert leader_id(teacher, TEAM2) == STUDENT2_ID
    assert user_ids(teacher.get_group(TEAM2).get_memberships()) == [STUDENT2_ID, 14]
    late = as_group(user16, TEAM2).create_membership("self")
    assert late.workflow_state == "accepted"
    assert leader_id(teacher, TEAM2) == STUDENT2_ID
    assert [g.id for g in student.get_current_user().get_groups()] == [PG1]

    # and what the mock holds
    assert live_states(mock_store, TEAM2) == {STUDENT2_ID: "accepted", 14: "accepted", 16: "accepted"}
    assert live_states(mock_store, TEAM1) == {15: "accepted"}
    assert rows_of(mock_store, TEAM2, STUDENT_ID) == [(sam.id, "deleted")]
    assert rows_of(mock_store, TEAM1, 14) == [(10, "deleted")]
    assert rows_of(mock_store, TEAM2, 15) == []  # the full group made no row
    with mock_store.lock:
        assert mock_store.get("groups", TEAM2).leader_id == STUDENT2_ID
        assert mock_store.get("groups", TEAM1).leader_id == 15
    assert (accepted(mock_store, TEAM1), accepted(mock_store, TEAM2)) == (1, 3)


# -- create_membership ------------------------------------------------------------------------
def test_student_signs_up_for_a_self_signup_group(teacher, student, mock_store, http_log):
    log = http_log(student)
    m = as_group(student, TEAM2).create_membership("self")
    assert [(e.method, e.path, e.status) for e in log] == [
        ("POST", f"/api/v1/groups/{TEAM2}/memberships", 200)]
    assert (m.group_id, m.user_id, m.workflow_state, m.moderator, m.just_created) == (
        TEAM2, STUDENT_ID, "accepted", False, True)

    seen = teacher.get_group(TEAM2).get_membership(STUDENT_ID, "users")
    assert (seen.id, seen.user_id, seen.workflow_state) == (m.id, STUDENT_ID, "accepted")
    assert not hasattr(seen, "just_created")  # only the create response carries it
    assert TEAM2 in [g.id for g in student.get_current_user().get_groups()]
    r = row(mock_store, TEAM2, STUDENT_ID)
    assert (r.id, r.workflow_state, r.moderator) == (m.id, "accepted", False)
    assert accepted(mock_store, TEAM2) == 1


def test_teacher_adds_a_student_who_moves_out_of_their_project_group(teacher, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    log = http_log(teacher)
    m = pg1.create_membership(STUDENT2_ID)
    assert log[-1].form["user_id"] == [str(STUDENT2_ID)]
    assert (m.group_id, m.user_id, m.workflow_state, m.just_created) == (PG1, STUDENT2_ID, "accepted", True)

    assert user_ids(pg1.get_memberships()) == PG1_MEMBERS + [STUDENT2_ID]
    pg2 = teacher.get_group(PG2)
    assert user_ids(pg2.get_memberships()) == [10, 11]  # moved, not copied
    assert pg2.members_count == 2
    with pytest.raises(ResourceDoesNotExist):
        pg2.get_membership(STUDENT2_ID, "users")
    # Study Buddies is in another category: untouched
    assert teacher.get_group(STUDY_BUDDIES).get_membership(STUDENT2_ID, "users").moderator is True

    assert row(mock_store, PG1, STUDENT2_ID).workflow_state == "accepted"
    assert row(mock_store, PG2, STUDENT2_ID) is None
    assert rows_of(mock_store, PG2, STUDENT2_ID) == [(4, "deleted")]
    assert row(mock_store, STUDY_BUDDIES, STUDENT2_ID).workflow_state == "accepted"
    assert (accepted(mock_store, PG1), accepted(mock_store, PG2)) == (4, 2)


def test_create_membership_again_returns_the_same_membership(teacher, mock_store):
    pg3 = teacher.get_group(PG3)
    first = pg3.create_membership(14)
    again = pg3.create_membership(14)
    assert (first.just_created, again.just_created) == (True, False)
    assert (again.id, again.user_id, again.workflow_state) == (first.id, 14, "accepted")
    assert user_ids(pg3.get_memberships()) == PG3_MEMBERS + [14]  # listed once
    assert rows_of(mock_store, PG3, 14) == [(first.id, "accepted")]
    assert accepted(mock_store, PG3) == 3


def test_rejoining_after_leaving_is_a_new_membership(teacher, student, mock_store):
    team2 = as_group(student, TEAM2)
    first = team2.create_membership("self")
    team2.remove_user("self")
    again = team2.create_membership("self")
    assert again.just_created is True and again.id != first.id
    assert teacher.get_group(TEAM2).get_membership(STUDENT_ID, "users").id == again.id
    assert rows_of(mock_store, TEAM2, STUDENT_ID) == [(first.id, "deleted"), (again.id, "accepted")]


def test_create_membership_in_a_full_group_is_bad_request(teacher, mock_store, http_log):
    pg3 = teacher.get_group(PG3)  # max_membership 4
    for user in (14, 15):
        assert pg3.create_membership(user).workflow_state == "accepted"
    log = http_log(teacher)
    with pytest.raises(BadRequest) as exc:
        pg3.create_membership(8)  # Project Group 1's
    assert log[-1].status == 400
    assert log[-1].headers["Content-Type"].startswith("application/json")
    assert MSG_FULL in str(exc.value) and '"group_id"' in str(exc.value)
    assert user_ids(pg3.get_memberships()) == PG3_MEMBERS + [14, 15]
    assert user_ids(teacher.get_group(PG1).get_memberships()) == PG1_MEMBERS  # 8 was not moved
    assert row(mock_store, PG3, 8) is None
    assert row(mock_store, PG1, 8).workflow_state == "accepted"
    assert accepted(mock_store, PG3) == 4


def test_create_membership_for_an_unknown_user_is_resource_does_not_exist(
        target, teacher, new_community, http_log):
    group = new_community()
    before = listed(group.get_memberships())
    log = http_log(teacher)
    with pytest.raises(ResourceDoesNotExist):
        group.create_membership(987654321)
    assert (log[-1].method, log[-1].status) == ("POST", 404)
    assert listed(group.get_memberships()) == before
    if target.is_mock:
        with target.server.store.lock:
            assert not [m for m in target.server.store.rows["memberships"].values() if m.user_id == 987654321]


def test_student_may_not_add_to_a_teacher_made_group(teacher, student, mock_store, http_log):
    log = http_log(student)
    with pytest.raises(Unauthorized):
        as_group(student, PG3).create_membership("self")  # no self-signup in Project Groups
    assert denied(log)
    with pytest.raises(Unauthorized):
        as_group(student, PG1).create_membership(14)  # not even into the group he leads
    assert denied(log)
    assert user_ids(teacher.get_group(PG3).get_memberships()) == PG3_MEMBERS
    assert user_ids(teacher.get_group(PG1).get_memberships()) == PG1_MEMBERS
    assert row(mock_store, PG3, STUDENT_ID) is None and row(mock_store, PG1, 14) is None
    assert row(mock_store, PG1, STUDENT_ID).workflow_state == "accepted"  # Sam was not moved


def test_teacher_may_not_add_a_student_to_a_community(teacher, student, new_community):
    """Community memberships are initiated by the user themselves only."""
    group = new_community(join_level="parent_context_auto_join", is_public=True)
    me = student.get_current_user()
    with pytest.raises(Unauthorized):
        group.create_membership(me.id)
    assert me.id not in user_ids(group.get_memberships())


# -- requests to join, accepting, moderators (a community: runs against a real Canvas too) ----
def test_request_to_join_a_community_and_the_moderator_accepts(
        target, teacher, student, new_community, http_log):
    group = new_community(join_level="parent_context_request", is_public=True)
    me = teacher.get_current_user()
    sam = student.get_current_user()

    req = as_group(student, group.id).create_membership("self")
    assert (req.group_id, req.user_id, req.workflow_state, req.just_created) == (
        group.id, sam.id, "requested", True)  # communities keep the join_level's state
    again = as_group(student, group.id).create_membership("self")
    assert (again.id, again.workflow_state, again.just_created) == (req.id, "requested", False)
    assert group.id not in [g.id for g in student.get_current_user().get_groups()]

    log = http_log(teacher)
    assert listed(group.get_memberships()) == [(me.id, "accepted"), (sam.id, "requested")]
    assert log[-1].query == {"per_page": ["100"]}
    assert listed(group.get_memberships(filter_states=["accepted"])) == [(me.id, "accepted")]
    assert log[-1].query["filter_states[]"] == ["accepted"]
    pending = list(group.get_memberships(filter_states=["requested"]))
    assert listed(pending) == [(sam.id, "requested")]
    assert list(group.get_memberships(filter_states=["rejected", "bogus"])) == []
    assert teacher.get_group(group.id).members_count == 1  # requests are not members

    # only "accepted" is taken from workflow_state; anything else is silently dropped
    kept = pending[0].update(workflow_state="deleted")
    assert (log[-1].method, log[-1].path) == ("PUT", f"/api/v1/groups/{group.id}/memberships/{req.id}")
    assert (kept.id, kept.workflow_state) == (req.id, "requested")
    assert listed(group.get_memberships(filter_states=["requested"])) == [(sam.id, "requested")]

    accepted_m = pending[0].update(workflow_state="accepted")
    assert log[-1].form["workflow_state"] == ["accepted"]
    assert (accepted_m.id, accepted_m.workflow_state) == (req.id, "accepted")
    assert group.get_membership(sam.id, "users").workflow_state == "accepted"
    assert list(group.get_memberships(filter_states=["requested"])) == []
    assert teacher.get_group(group.id).members_count == 2
    assert group.id in [g.id for g in student.get_current_user().get_groups()]
    if target.is_mock:
        store = target.server.store
        assert row(store, group.id, sam.id).workflow_state == "accepted"
        assert accepted(store, group.id) == 2


def test_moderator_flag_through_update_membership_and_update(
        target, teacher, student, new_community, http_log):
    group = new_community(join_level="parent_context_auto_join", is_public=True)
    sam = student.get_current_user()
    joined = as_group(student, group.id).create_membership("self")
    assert (joined.workflow_state, joined.moderator) == ("accepted", False)
    mine = as_group(student, group.id)

    log = http_log(teacher)
    m = group.update_membership(sam.id, moderator=True)
    assert (log[-1].method, log[-1].path) == ("PUT", f"/api/v1/groups/{group.id}/users/{sam.id}")
    assert log[-1].form["moderator"] == ["true"]
    assert (m.id, m.user_id, m.moderator) == (joined.id, sam.id, True)
    assert group.get_membership(joined.id, "memberships").moderator is True
    if target.is_mock:
        assert row(target.server.store, group.id, sam.id).moderator is True
    # a moderator manages the group's memberships
    assert mine.update_membership(sam.id, moderator=True).moderator is True

    m = m.update(moderator=False)
    assert (log[-1].method, log[-1].path) == ("PUT", f"/api/v1/groups/{group.id}/memberships/{joined.id}")
    assert log[-1].form["moderator"] == ["false"]
    assert (m.id, m.moderator, m.workflow_state) == (joined.id, False, "accepted")
    assert group.get_membership(sam.id, "users").moderator is False
    if target.is_mock:
        assert row(target.server.store, group.id, sam.id).moderator is False
    with pytest.raises(Unauthorized):
        mine.update_membership(sam.id, moderator=True)
    assert group.get_membership(sam.id, "users").moderator is False


def test_update_membership_of_a_project_group(teacher, student, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    # the leader is no moderator: he may not change memberships
    log = http_log(student)
    with pytest.raises(Unauthorized):
        as_group(student, PG1).update_membership(8, moderator=True)
    assert denied(log)
    assert row(mock_store, PG1, 8).moderator is False

    m = pg1.update_membership(8, moderator=True)
    assert (m.id, m.group_id, m.user_id, m.moderator) == (2, PG1, 8, True)
    assert pg1.get_membership(8, "users").moderator is True
    assert row(mock_store, PG1, 8).moderator is True
    # now a moderator, Sam may remove a member
    promoted = pg1.update_membership(STUDENT_ID, moderator=True)
    assert promoted.moderator is True
    as_group(student, PG1).remove_user(9)
    assert user_ids(pg1.get_memberships()) == [STUDENT_ID, 8]

    m = m.update(moderator=False, workflow_state="accepted")
    assert (m.id, m.moderator, m.workflow_state) == (2, False, "accepted")
    assert row(mock_store, PG1, 8).moderator is False
    with pytest.raises(ResourceDoesNotExist):
        pg1.update_membership(14, moderator=True)  # not a member
    assert row(mock_store, PG1, 14) is None


# -- reading memberships ----------------------------------------------------------------------
def test_get_membership_by_user_and_by_membership_id(teacher, new_community, http_log):
    group = new_community()
    me = teacher.get_current_user()
    log = http_log(teacher)
    by_user = group.get_membership(me.id, "users")
    assert (log[-1].method, log[-1].path) == ("GET", f"/api/v1/groups/{group.id}/users/{me.id}")
    assert (by_user.group_id, by_user.user_id, by_user.workflow_state, by_user.moderator) == (
        group.id, me.id, "accepted", True)  # the creator of a community moderates it
    by_id = group.get_membership(by_user.id, "memberships")
    assert log[-1].path == f"/api/v1/groups/{group.id}/memberships/{by_user.id}"
    assert (by_id.id, by_id.user_id) == (by_user.id, me.id)
    assert group.get_membership("self", "users").id == by_user.id
    assert group.get_membership("self", "memberships").id == by_user.id
    assert [m.id for m in group.get_memberships()] == [by_user.id]
    with pytest.raises(ResourceDoesNotExist):
        group.get_membership(987654321, "memberships")


def test_get_membership_in_the_default_world(teacher, student, student2, mock_only):
    pg1 = teacher.get_group(PG1)
    sam = pg1.get_membership(STUDENT_ID, "users")
    assert (sam.id, sam.group_id, sam.user_id, sam.workflow_state, sam.moderator) == (
        1, PG1, STUDENT_ID, "accepted", False)
    assert pg1.get_membership(1, "memberships").user_id == STUDENT_ID
    assert as_group(student, PG1).get_membership("self", "users").id == 1  # members read the roster
    with pytest.raises(ResourceDoesNotExist):
        pg1.get_membership(4, "memberships")  # Stella's, but in Project Group 2
    with pytest.raises(ResourceDoesNotExist):
        pg1.get_membership(STUDENT2_ID, "users")
    with pytest.raises(Unauthorized):
        as_group(student2, PG1).get_membership(STUDENT_ID, "users")
    with pytest.raises(Unauthorized):
        list(as_group(student2, PG1).get_memberships())


def test_get_memberships_filter_states(teacher, student, new_community, mock_store, http_log):
    """Project groups only ever hold accepted members; a community keeps invitations."""
    pg1 = teacher.get_group(PG1)
    assert listed(pg1.get_memberships(filter_states=["accepted"])) == [(u, "accepted") for u in PG1_MEMBERS]
    assert list(pg1.get_memberships(filter_states=["invited", "requested"])) == []

    group = new_community()  # invitation_only
    invited = list(group.invite(["student@example.edu"]))
    log = http_log(teacher)
    assert listed(group.get_memberships(filter_states=["invited"])) == [(STUDENT_ID, "invited")]
    assert log[-1].query["filter_states[]"] == ["invited"]
    assert listed(group.get_memberships(filter_states=["accepted", "invited"])) == [
        (TEACHER_ID, "accepted"), (STUDENT_ID, "invited")]
    assert listed(group.get_memberships(filter_states=["accepted"])) == [(TEACHER_ID, "accepted")]
    mine = group.get_membership(TEACHER_ID, "users")
    assert [m.id for m in group.get_memberships()] == [mine.id, invited[0].id]
    assert live_states(mock_store, group.id) == {TEACHER_ID: "accepted", STUDENT_ID: "invited"}


def test_get_memberships_in_small_pages(teacher, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    pg1.create_membership(14)
    pg1.create_membership(15)
    expected = [m.id for m in pg1.get_memberships()]
    assert len(expected) == 5
    log = http_log(teacher)
    got = list(small_pages(teacher, GroupMembership, f"groups/{PG1}/memberships"))
    assert [m.id for m in got] == expected  # every membership, once, in the same order
    assert len({m.id for m in got}) == len(got)
    assert all(m.group_id == PG1 for m in got)
    calls = [e for e in log if e.path == f"/api/v1/groups/{PG1}/memberships"]
    assert len(calls) == math.ceil(len(expected) / 2) == 3
    assert all(c.query["per_page"] == ["2"] for c in calls)
    assert [c.query.get("page") for c in calls[1:]] == [["2"], ["3"]]

    # the filter is carried in every Link
    pg1.remove_user(8)
    log.clear()
    got = list(small_pages(teacher, GroupMembership, f"groups/{PG1}/memberships", filter_states=["accepted"]))
    assert user_ids(got) == [STUDENT_ID, 9, 14, 15]
    assert len(log) == 2 and all(c.query["filter_states[]"] == ["accepted"] for c in log)
    assert accepted(mock_store, PG1) == 4


# -- removing ---------------------------------------------------------------------------------
def test_teacher_removes_a_user(teacher, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    log = http_log(teacher)
    gone = pg1.remove_user(9)
    assert [(e.method, e.path, e.status) for e in log] == [("DELETE", f"/api/v1/groups/{PG1}/users/9", 200)]
    assert gone.ok is True  # canvasapi wraps Canvas's {"ok": true} in a User
    assert user_ids(pg1.get_memberships()) == [STUDENT_ID, 8]
    assert 9 not in [u.id for u in pg1.get_users()]
    assert teacher.get_group(PG1).members_count == 2
    with pytest.raises(ResourceDoesNotExist):
        pg1.get_membership(9, "users")
    with pytest.raises(ResourceDoesNotExist):
        pg1.get_membership(3, "memberships")
    with pytest.raises(ResourceDoesNotExist):
        pg1.remove_user(9)  # already gone
    assert row(mock_store, PG1, 9) is None
    assert rows_of(mock_store, PG1, 9) == [(3, "deleted")]
    assert accepted(mock_store, PG1) == 2


def test_removing_the_leader_clears_the_leadership(teacher, mock_store):
    """Project Groups have no auto_leader: nobody takes over."""
    pg1 = teacher.get_group(PG1)
    assert pg1.leader["id"] == STUDENT_ID
    pg1.remove_user(STUDENT_ID)
    assert teacher.get_group(PG1).leader is None
    assert user_ids(pg1.get_memberships()) == [8, 9]
    with mock_store.lock:
        assert mock_store.get("groups", PG1).leader_id is None


def test_student_leaves_a_self_signup_group(teacher, student, mock_store, http_log):
    as_group(student, TEAM2).create_membership("self")
    assert accepted(mock_store, TEAM2) == 1
    log = http_log(student)
    out = membership_of_group(student, TEAM2).remove_self()
    assert [(e.method, e.path, e.status) for e in log] == [
        ("DELETE", f"/api/v1/groups/{TEAM2}/memberships/self", 200)]
    assert out == {"ok": True}
    assert list(teacher.get_group(TEAM2).get_memberships()) == []
    assert TEAM2 not in [g.id for g in student.get_current_user().get_groups()]
    assert row(mock_store, TEAM2, STUDENT_ID) is None
    assert accepted(mock_store, TEAM2) == 0
    with pytest.raises(ResourceDoesNotExist):
        membership_of_group(student, TEAM2).remove_self()  # nothing left to leave


def test_student_may_not_leave_a_teacher_made_group(teacher, student, mock_store, http_log):
    log = http_log(student)
    with pytest.raises(Unauthorized):
        membership_of_group(student, PG1).remove_self()
    assert log[-1].path == f"/api/v1/groups/{PG1}/memberships/self" and denied(log)
    with pytest.raises(Unauthorized):
        as_group(student, PG1).remove_user("self")
    assert denied(log)
    assert user_ids(teacher.get_group(PG1).get_memberships()) == PG1_MEMBERS
    assert row(mock_store, PG1, STUDENT_ID).workflow_state == "accepted"


def test_student_leaves_a_community(target, teacher, student, new_community, http_log):
    group = new_community(join_level="parent_context_auto_join", is_public=True)
    sam = student.get_current_user()
    joined = as_group(student, group.id).create_membership("self")
    assert joined.workflow_state == "accepted"
    assert group.id in [g.id for g in student.get_current_user().get_groups()]
    log = http_log(student)
    assert membership_of_group(student, group.id).remove_self() == {"ok": True}
    assert log[-1].path == f"/api/v1/groups/{group.id}/memberships/self"
    assert sam.id not in user_ids(group.get_memberships())
    assert group.id not in [g.id for g in student.get_current_user().get_groups()]
    if target.is_mock:
        assert row(target.server.store, group.id, sam.id) is None


def test_membership_remove_user(teacher, mock_store, http_log):
    log = http_log(teacher)
    out = membership_of_group(teacher, PG1).remove_user(8)
    assert [(e.method, e.path, e.status) for e in log] == [("DELETE", f"/api/v1/groups/{PG1}/users/8", 200)]
    assert out == {"ok": True}
    assert user_ids(teacher.get_group(PG1).get_memberships()) == [STUDENT_ID, 9]
    assert rows_of(mock_store, PG1, 8) == [(2, "deleted")]
    assert accepted(mock_store, PG1) == 2


def test_membership_methods_put_the_membership_id_in_the_groups_place(
        teacher, student2, mock_store, http_log):
    """canvasapi quirk (see module docstring), shown on memberships canvasapi itself returned."""
    pg1 = teacher.get_group(PG1)
    m9 = pg1.get_membership(9, "users")
    assert (m9.id, m9.group_id) == (3, PG1)
    log = http_log(teacher)
    with pytest.raises(ResourceDoesNotExist):
        m9.remove_user(9)  # asks Project Group 3 (id 3) to drop user 9, who is not in it
    assert log[-1].path == "/api/v1/groups/3/users/9"
    assert row(mock_store, PG1, 9).workflow_state == "accepted"

    # Stella's Project Group 2 membership has id 4: "leaving" it leaves Study Buddies (group 4)
    stella = as_group(student2, PG2).get_membership("self", "users")
    assert (stella.id, stella.group_id) == (4, PG2)
    log = http_log(student2)
    assert stella.remove_self() == {"ok": True}
    assert log[-1].path == "/api/v1/groups/4/memberships/self"
    assert user_ids(teacher.get_group(PG2).get_memberships()) == PG2_MEMBERS  # still there
    assert list(teacher.get_group(STUDY_BUDDIES).get_memberships()) == []
    assert row(mock_store, PG2, STUDENT2_ID).workflow_state == "accepted"
    assert row(mock_store, STUDY_BUDDIES, STUDENT2_ID) is None


# -- invite -----------------------------------------------------------------------------------
def test_invite_cross_checked_with_get_memberships(teacher, student, new_community, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    log = http_log(teacher)
    invited = list(pg1.invite(["student14@example.edu", "student15"]))
    assert (log[-1].method, log[-1].path) == ("POST", f"/api/v1/groups/{PG1}/invite")
    listed_now = {m.user_id: m for m in pg1.get_memberships()}
    assert sorted(listed_now) == sorted(PG1_MEMBERS + [14, 15])
    for m in invited:  # the same memberships, accepted outside communities
        assert (listed_now[m.user_id].id, listed_now[m.user_id].workflow_state) == (m.id, "accepted")
        assert pg1.get_membership(m.id, "memberships").user_id == m.user_id
    assert list(pg1.get_memberships(filter_states=["invited"])) == []
    assert accepted(mock_store, PG1) == 5
    assert {u: row(mock_store, PG1, u).id for u in (14, 15)} == {m.user_id: m.id for m in invited}

    # inviting a member again changes nothing
    again = list(pg1.invite(["student14@example.edu"]))
    assert [(m.id, m.workflow_state) for m in again] == [(listed_now[14].id, "accepted")]
    assert rows_of(mock_store, PG1, 14) == [(listed_now[14].id, "accepted")]

    # a community keeps the invitation until the moderator accepts it
    group = new_community()
    [inv] = group.invite(["student@example.edu"])
    assert (inv.user_id, inv.workflow_state) == (STUDENT_ID, "invited")
    [pending] = group.get_memberships(filter_states=["invited"])
    assert (pending.id, pending.user_id) == (inv.id, STUDENT_ID)
    assert group.id not in [g.id for g in student.get_current_user().get_groups()]
    done = pending.update(workflow_state="accepted")
    assert (done.id, done.workflow_state) == (inv.id, "accepted")
    assert list(group.get_memberships(filter_states=["invited"])) == []
    assert group.id in [g.id for g in student.get_current_user().get_groups()]
    assert row(mock_store, group.id, STUDENT_ID).workflow_state == "accepted"
    assert accepted(mock_store, group.id) == 2


# -- a category of its own (runs against a real Canvas too) -----------------------------------
@pytest.fixture
def signup_category(target, teacher, course_id):
    """A self-signup category (auto_leader "first") with two groups in the course, made by the
    teacher; against a real Canvas it is deleted (with its groups) at teardown."""
    made = []

    def make():
        course = teacher.get_course(course_id)
        cat = course.create_group_category("Contract Sign-up Teams", self_signup="enabled",
                                           auto_leader="first")
        made.append(cat)
        return cat, cat.create_group(name="Contract Team A"), cat.create_group(name="Contract Team B")

    yield make
    if not target.is_mock:
        for cat in made:
            try:
                cat.delete()
            except CanvasException:
                pass


def test_signing_up_moves_the_student_and_the_leadership(target, teacher, student, signup_category):
    cat, team_a, team_b = signup_category()
    assert (cat.self_signup, cat.auto_leader) == ("enabled", "first")
    sam = student.get_current_user()

    joined_a = as_group(student, team_a.id).create_membership("self")
    assert (joined_a.group_id, joined_a.user_id, joined_a.workflow_state, joined_a.just_created) == (
        team_a.id, sam.id, "accepted", True)
    assert leader_id(teacher, team_a.id) == sam.id  # the first member leads

    joined_b = as_group(student, team_b.id).create_membership("self")
    assert (joined_b.group_id, joined_b.workflow_state) == (team_b.id, "accepted")
    assert list(team_a.get_memberships()) == []  # one group per category: moved
    assert (teacher.get_group(team_a.id).members_count, leader_id(teacher, team_a.id)) == (0, None)
    assert leader_id(teacher, team_b.id) == sam.id
    mine = [g.id for g in student.get_current_user().get_groups()]
    assert team_b.id in mine and team_a.id not in mine

    assert membership_of_group(student, team_b.id).remove_self() == {"ok": True}
    assert list(team_b.get_memberships()) == []
    assert (teacher.get_group(team_b.id).members_count, leader_id(teacher, team_b.id)) == (0, None)
    if target.is_mock:
        store = target.server.store
        assert rows_of(store, team_a.id, sam.id) == [(joined_a.id, "deleted")]
        assert rows_of(store, team_b.id, sam.id) == [(joined_b.id, "deleted")]
        assert (accepted(store, team_a.id), accepted(store, team_b.id)) == (0, 0)
