"""The membership rules of the store (mockcanvas/store/memberships.py), without HTTP: the state
``add_user`` gives, the move between groups of a category, full groups, leadership, and Rails's
boolean cast (Group#add_user, GroupMembership callbacks, GroupLeadership; canvas-facts section 4).

Runs on the default world through the plugin's ``canvas_store`` (rolled back before each test).
"""

from __future__ import annotations

import random

import pytest

from mockcanvas.errors import Invalid, NotFound, Unauthorized
from mockcanvas.store.memberships import LISTABLE_STATES, rails_boolean

GROUP_FULL = {"errors": {"group_id": [{"attribute": "group_id", "type": "The group is full.",
                                       "message": "The group is full."}]}}


@pytest.fixture
def store(canvas_store):
    return canvas_store


def user(store, uid):
    return store.get("users", uid)


def grp(store, gid):
    return store.get("groups", gid)


def states(store, gid):
    """{user_id: workflow_state} of a group's rows, deleted ones included (newest row wins)."""
    return {m.user_id: m.workflow_state
            for m in sorted(store.all("memberships"), key=lambda m: m.id) if m.group_id == gid}


def live_in_category(store, uid, cat_id):
    return sorted(m.group_id for m in store.all("memberships")
                  if m.user_id == uid and m.workflow_state != "deleted"
                  and grp(store, m.group_id).group_category_id == cat_id)


def add(store, gid, uid, **kw):
    return store.memberships.add_user(grp(store, gid), user(store, uid), **kw)


def set_join_level(store, gid, level):
    store._update("groups", grp(store, gid), join_level=level)


# -- the state add_user gives -----------------------------------------------------------------

@pytest.mark.parametrize("join_level,expected", [
    ("parent_context_auto_join", "accepted"),
    ("invitation_only", "invited"),
    ("parent_context_request", "requested"),
])
def test_add_user_state_in_a_community_follows_join_level(store, join_level, expected):
    set_join_level(store, 7, join_level)
    m, created = add(store, 7, 6)
    assert created is True
    assert (m.group_id, m.user_id, m.workflow_state, m.moderator) == (7, 6, expected, False)
    assert store.get("memberships", m.id) is m
    assert store.memberships.accepted_count(7) == (3 if expected == "accepted" else 2)


@pytest.mark.parametrize("join_level", ["parent_context_auto_join", "invitation_only", "parent_context_request"])
@pytest.mark.parametrize("state", [None, "invited", "requested"])
def test_add_user_outside_communities_is_always_accepted(store, join_level, state):
    set_join_level(store, 6, join_level)
    m, created = add(store, 6, 15, state=state)
    assert created is True and m.workflow_state == "accepted"
    assert store.memberships.accepted_count(6) == 1


def test_add_user_explicit_state_wins_in_a_community(store):
    # invite_user passes "invited" whatever the join_level
    m, _ = add(store, 7, 6, state="invited")
    assert m.workflow_state == "invited"
    m2, _ = add(store, 7, 7, state="requested")
    assert m2.workflow_state == "requested"


def test_add_user_is_idempotent(store):
    m, created = add(store, 6, 15)
    before = store.changed_rows
    again, created_again = add(store, 6, 15)
    assert (created, created_again) == (True, False)
    assert again is m and store.changed_rows == before
    assert [x.id for x in store.all("memberships") if (x.group_id, x.user_id) == (6, 15)] == [m.id]


def test_add_user_moderator_only_when_given(store):
    m, _ = add(store, 6, 15, moderator=True)
    assert m.moderator is True
    add(store, 6, 15)                     # not given: kept
    assert m.moderator is True
    add(store, 6, 15, moderator=False)    # given: changed
    assert m.moderator is False


def test_add_user_resets_a_pending_membership(store):
    set_join_level(store, 7, "invitation_only")
    m, _ = add(store, 7, 6)
    assert m.workflow_state == "invited"
    set_join_level(store, 7, "parent_context_request")
    again, created = add(store, 7, 6)
    assert again is m and created is False and m.workflow_state == "requested"
    set_join_level(store, 7, "parent_context_auto_join")
    add(store, 7, 6)
    assert m.workflow_state == "accepted" and store.memberships.accepted_count(7) == 3
    # an accepted membership is never reset
    set_join_level(store, 7, "invitation_only")
    add(store, 7, 6)
    assert m.workflow_state == "accepted"


def test_add_user_after_leaving_makes_a_new_row(store):
    m, _ = add(store, 6, 15)
    store.memberships.remove(m)
    m2, created = add(store, 6, 15)
    assert created is True and m2.id != m.id
    assert (m.workflow_state, m2.workflow_state) == ("deleted", "accepted")


# -- moving between the groups of a category --------------------------------------------------

def test_joining_another_group_of_the_category_moves_the_user(store):
    assert live_in_category(store, 14, 3) == [5]
    m, created = add(store, 6, 14)
    assert created is True and m.workflow_state == "accepted"
    assert live_in_category(store, 14, 3) == [6]
    assert store.get("memberships", 10).workflow_state == "deleted"
    assert states(store, 5) == {14: "deleted"}
    # the leadership follows: Team 1 is empty and leaderless, 14 leads Team 2
    assert (grp(store, 5).leader_id, grp(store, 6).leader_id) == (None, 14)
    # and back again
    add(store, 5, 14)
    assert live_in_category(store, 14, 3) == [5]
    assert (grp(store, 5).leader_id, grp(store, 6).leader_id) == (14, None)


def test_teacher_made_category_moves_too(store):
    add(store, 2, 8)
    assert live_in_category(store, 8, 1) == [2]
    assert states(store, 1)[8] == "deleted"


@pytest.mark.parametrize("gid,uid", [
    (4, 6),   # 6 (in Project Group 1) joins Study Buddies: another category, and a multi one
    (7, 2),   # the teacher (in Curriculum Committee, category 5) joins the community (category 4)
])
def test_no_move_across_categories_or_in_multi_membership_categories(store, gid, uid):
    before = {m.id for m in store.all("memberships") if m.user_id == uid and m.workflow_state != "deleted"}
    m, _ = add(store, gid, uid)
    after = {x.id for x in store.all("memberships") if x.user_id == uid and x.workflow_state != "deleted"}
    assert after == before | {m.id}


def test_second_group_in_a_student_organized_category_keeps_both(store):
    g2 = store.insert("groups", name="Study Buddies 2", context_type="Course", context_id=1, root_account_id=1,
                      group_category_id=2, join_level="parent_context_auto_join")
    m, _ = store.memberships.add_user(g2, user(store, 7))
    assert m.workflow_state == "accepted"
    assert live_in_category(store, 7, 2) == [4, g2.id]


# -- full groups ------------------------------------------------------------------------------

def test_full_by_category_group_limit(store):
    g = grp(store, 6)   # Team 2: group_limit 3 from category 3
    for uid in (15, 16):
        add(store, 6, uid)
        assert store.memberships.is_full(g) is False
    add(store, 6, 17)
    assert store.memberships.is_full(g) is True
    before = store.changed_rows
    with pytest.raises(Invalid) as e:
        add(store, 6, 18)
    assert e.value.status == 400 and e.value.body() == GROUP_FULL
    assert store.changed_rows == before and 18 not in states(store, 6)


def test_full_move_changes_nothing(store):
    for uid in (15, 16, 17):
        add(store, 6, uid)
    before = store.changed_rows
    with pytest.raises(Invalid):
        add(store, 6, 14)
    assert store.changed_rows == before
    assert live_in_category(store, 14, 3) == [5] and grp(store, 5).leader_id == 14


def test_max_membership_wins_over_group_limit(store):
    g = grp(store, 6)
    store._update("groups", g, max_membership=5)
    for uid in (15, 16, 17, 18):
        add(store, 6, uid)
    assert store.memberships.is_full(g) is False   # 4 < 5 although group_limit is 3
    add(store, 6, 19)
    assert store.memberships.is_full(g) is True
    store._update("groups", g, max_membership=10)
    assert store.memberships.is_full(g) is False


def test_full_counts_accepted_members_only(store):
    g = grp(store, 7)
    store._update("groups", g, max_membership=3)
    store.insert("memberships", group_id=7, user_id=3, workflow_state="invited")
    store.insert("memberships", group_id=7, user_id=4, workflow_state="requested")
    store.insert("memberships", group_id=7, user_id=5, workflow_state="deleted")
    assert store.memberships.accepted_count(7) == 2 and store.memberships.is_full(g) is False
    add(store, 7, 6)
    assert store.memberships.is_full(g) is True


def test_full_refuses_a_new_pending_membership_but_not_an_existing_one(store):
    g = grp(store, 7)
    store._update("groups", g, max_membership=3, join_level="invitation_only")
    m, _ = add(store, 7, 6)
    assert m.workflow_state == "invited"
    store.insert("memberships", group_id=7, user_id=3, workflow_state="accepted")
    assert store.memberships.is_full(g) is True
    with pytest.raises(Invalid):
        add(store, 7, 7)     # a new invitation: refused
    set_join_level(store, 7, "parent_context_auto_join")
    again, created = add(store, 7, 6)   # the existing one is reset to accepted
    assert again is m and created is False and m.workflow_state == "accepted"
    assert store.memberships.accepted_count(7) == 4


def test_student_organized_groups_are_never_full(store):
    g = grp(store, 4)
    store._update("groups", g, max_membership=2)
    add(store, 4, 15)
    add(store, 4, 16)
    assert store.memberships.is_full(g) is False and store.memberships.accepted_count(4) == 3


def test_no_limit_no_full(store):
    g = grp(store, 2)   # category 1: no group_limit, no max_membership
    for uid in range(14, 20):
        add(store, 2, uid)
    assert store.memberships.is_full(g) is False and store.memberships.accepted_count(2) == 9


# -- leadership -------------------------------------------------------------------------------

def test_leader_removed_is_cleared_without_auto_leader(store):
    store.memberships.remove(store.get("memberships", 1))   # 6 leads group 1 (no auto_leader)
    assert grp(store, 1).leader_id is None
    store.memberships.remove(store.get("memberships", 2))
    assert grp(store, 1).leader_id is None


def test_non_leader_removed_keeps_the_leader(store):
    store.memberships.remove(store.get("memberships", 2))
    assert grp(store, 1).leader_id == 6


@pytest.mark.parametrize("order,expected", [((15, 16), 15), ((16, 15), 16), ((17, 15), 17)])
def test_auto_leader_first_is_the_earliest_remaining_member(store, order, expected):
    for uid in order:
        add(store, 5, uid)
    assert grp(store, 5).leader_id == 14
    store.memberships.remove(store.get("memberships", 10))
    assert grp(store, 5).leader_id == expected


def test_auto_leader_first_on_joining_an_empty_group(store):
    add(store, 6, 16)
    add(store, 6, 15)
    assert grp(store, 6).leader_id == 16


def test_auto_leader_random_picks_among_remaining_members(store):
    store._update("group_categories", store.get("group_categories", 3), auto_leader="random")
    m15, _ = add(store, 5, 15)
    m16, _ = add(store, 5, 16)
    seen = []

    class Last:
        def choice(self, seq):
            seen.append(sorted(m.user_id for m in seq))
            return seq[-1]

    store.rng = Last()
    store.memberships.remove(store.get("memberships", 10))
    assert seen == [[15, 16]]          # only the remaining accepted members are candidates
    assert grp(store, 5).leader_id == 16


def test_auto_leader_random_varies_with_the_generator(store):
    picks = set()
    for seed in range(20):
        store.rollback()
        store._update("group_categories", store.get("group_categories", 3), auto_leader="random")
        add(store, 5, 15)
        add(store, 5, 16)
        store.rng = random.Random(seed)
        store.memberships.remove(store.get("memberships", 10))
        leader = grp(store, 5).leader_id
        assert leader in (15, 16)
        picks.add(leader)
    assert picks == {15, 16}


def test_auto_leader_fills_an_empty_slot_at_any_membership_change(store):
    add(store, 5, 15)
    add(store, 5, 16)
    store._update("groups", grp(store, 5), leader_id=None)   # cleared by hand (a group edit)
    m16 = store.memberships.of_pair(5, 16)
    store.memberships.remove(m16)                             # someone else leaves
    assert grp(store, 5).leader_id == 14


def test_no_auto_leader_leaves_the_slot_empty(store):
    store._update("group_categories", store.get("group_categories", 3), auto_leader=None)
    add(store, 6, 15)
    assert grp(store, 6).leader_id is None
    store.memberships.remove(store.get("memberships", 10))
    assert grp(store, 5).leader_id is None


def test_remove_twice_is_a_no_op(store):
    m = store.get("memberships", 2)
    store.memberships.remove(m)
    before = store.changed_rows
    updated = m.updated_at
    store.memberships.remove(m)
    assert store.changed_rows == before and m.updated_at == updated and m.workflow_state == "deleted"


# -- the API rules: list, find, create, update, leave -----------------------------------------

def test_list_ids_filter_states(store):
    inv = store.insert("memberships", group_id=7, user_id=3, workflow_state="invited").id
    req = store.insert("memberships", group_id=7, user_id=4, workflow_state="requested").id
    store.insert("memberships", group_id=7, user_id=5, workflow_state="deleted")
    admin = user(store, 1)
    g = grp(store, 7)
    assert LISTABLE_STATES == ("accepted", "invited", "requested")
    assert list(store.memberships.list_ids(admin, g, None)) == [11, 12, inv, req]
    assert list(store.memberships.list_ids(admin, g, ["accepted"])) == [11, 12]
    assert list(store.memberships.list_ids(admin, g, ["requested", "invited"])) == [inv, req]
    assert list(store.memberships.list_ids(admin, g, ["deleted", "bogus"])) == []
    assert list(store.memberships.list_ids(admin, g, [])) == []
    with pytest.raises(Unauthorized):
        store.memberships.list_ids(user(store, 6), grp(store, 2), None)


def test_find_forms(store):
    g = grp(store, 1)
    ms = store.memberships
    student, teacher = user(store, 6), user(store, 2)
    assert ms.find(teacher, g, membership_ref="2").id == 2
    assert ms.find(teacher, g, user_ref="8").id == 2
    assert ms.find(teacher, g, user_ref="sis_user_id:S-008").id == 2
    assert ms.find(student, g, membership_ref="self").id == 1
    assert ms.find(student, g, user_ref="self").id == 1
    for kw in ({"membership_ref": "4"}, {"membership_ref": "self"}, {"user_ref": "7"}, {"user_ref": "999"},
               {"membership_ref": "x"}):
        with pytest.raises(NotFound):
            ms.find(teacher, g, **kw)
    store.memberships.remove(store.get("memberships", 2))
    for kw in ({"membership_ref": "2"}, {"user_ref": "8"}):
        with pytest.raises(NotFound):
            ms.find(teacher, g, **kw)


@pytest.mark.parametrize("actor,gid,target,allowed", [
    (6, 6, 6, True),      # a student joins a self-signup group
    (6, 2, 6, False),     # not a teacher-made one
    (6, 6, 15, False),    # nor adds someone else
    (2, 3, 15, True),     # the teacher adds an enrolled student
    (2, 3, 20, False),    # but not someone with no enrollment
    (7, 4, 15, False),    # a moderator cannot add others to a course group
    (6, 4, 6, True),      # auto-join in a student-organized group
    (6, 7, 6, True),      # a community: only the user themselves
    (1, 7, 6, False),
    (1, 7, 1, True),
    (20, 7, 20, True),
])
def test_can_create(store, actor, gid, target, allowed):
    assert store.memberships.can_create(user(store, actor), grp(store, gid), user(store, target)) is allowed


def test_create_refused_writes_nothing(store):
    before = store.changed_rows
    with pytest.raises(Unauthorized):
        store.memberships.create(user(store, 6), grp(store, 2), user(store, 6))
    assert store.changed_rows == before


def test_update_takes_accepted_and_moderator_only(store):
    teacher = user(store, 2)
    m = store.get("memberships", 2)
    before = store.changed_rows
    for state in ("deleted", "invited", "requested", "rejected", None):
        store.memberships.update(teacher, m, workflow_state=state)
    assert store.changed_rows == before and m.workflow_state == "accepted"
    store.memberships.update(teacher, m, workflow_state="deleted", moderator="1")
    assert (m.workflow_state, m.moderator) == ("accepted", True)
    store.memberships.update(teacher, m, moderator="0")
    assert m.moderator is False
    with pytest.raises(Unauthorized):
        store.memberships.update(user(store, 6), m, moderator="true")   # a member, and the leader
    assert m.moderator is False


def test_update_accepts_a_pending_membership(store):
    set_join_level(store, 7, "invitation_only")
    m, _ = add(store, 7, 6)
    store.memberships.update(user(store, 1), m, workflow_state="accepted")
    assert m.workflow_state == "accepted" and store.memberships.accepted_count(7) == 3


@pytest.mark.parametrize("actor,mid,allowed", [
    (6, 1, False),    # a student cannot leave a teacher-made group
    (2, 1, True),     # the teacher removes anyone
    (6, 2, False),    # the leader is no moderator
    (7, 9, True),     # leaving a student-organized group
    (20, 12, True),   # leaving a community
    (1, 12, True),    # the community's moderator removes a member
    (7, 2, False),    # a moderator elsewhere
    (14, 10, True),   # leaving a self-signup group
])
def test_leave_or_remove(store, actor, mid, allowed):
    m = store.get("memberships", mid)
    if allowed:
        store.memberships.leave_or_remove(user(store, actor), m)
        assert m.workflow_state == "deleted"
    else:
        before = store.changed_rows
        with pytest.raises(Unauthorized):
            store.memberships.leave_or_remove(user(store, actor), m)
        assert store.changed_rows == before and m.workflow_state == "accepted"


# -- rails_boolean ----------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    (None, None), ("", None),
    (True, True), (False, False), (1, True), (0, False), (2, True),
    ("true", True), ("1", True), ("t", True), ("TRUE", True), ("on", True), ("yes", True), ("bogus", True),
    ("false", False), ("0", False), ("f", False), ("F", False), ("FALSE", False), ("off", False), ("OFF", False),
    # FALSE_VALUES is matched exactly: anything else is true
    ("False", True), ("no", True), (" ", True), (" false", True), ("0.0", True), (0.0, True),
])
def test_rails_boolean(value, expected):
    assert rails_boolean(value) is expected
