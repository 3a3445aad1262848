"""Live events of the group changes issue 14 added: a bulk removal reports each membership as a
single removal does (``group_membership_updated`` with ``deleted``, then ``group_updated`` when the
leader went), a refused one reports nothing, and an invitation of a new address reports the
membership of the user it made (canvas-facts section 6). Event shapes are checked against the
documented examples (``live_event_shapes.check_shape``).

Default world: group 1 (Project Group 1) has students 6 (leader), 8, 9; group 7 is a community
moderated by the admin.
"""

from __future__ import annotations

from live_event_shapes import check_shape

MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED, GROUP_UPDATED = (
    "group_membership_created", "group_membership_updated", "group_updated")


def mid(store, group_id, user_id):
    return store.memberships.of_pair(group_id, user_id).id


def group_events(store):
    return [e for e in store.live_events.all() if e.name.startswith("group")]


def test_bulk_removal_reports_each_membership_as_a_single_removal(api, store):
    ids = {uid: mid(store, 1, uid) for uid in (8, 9)}
    r = api.delete("/api/v1/groups/1/users?user_ids[]=8&user_ids[]=9")
    assert r.status == 200
    events = store.live_events.all()
    assert [e.name for e in events] == [MEMBERSHIP_UPDATED, MEMBERSHIP_UPDATED]
    assert [(e.body["group_membership_id"], e.body["user_id"], e.body["workflow_state"]) for e in events] == [
        (str(ids[8]), "8", "deleted"), (str(ids[9]), "9", "deleted")]
    for e in events:
        check_shape(e)


def test_bulk_removal_of_the_leader_reports_the_group_too(api, store):
    leader = mid(store, 1, 6)
    assert api.delete("/api/v1/groups/1/users?user_ids[]=6").status == 200
    events = store.live_events.all()
    assert [e.name for e in events] == [MEMBERSHIP_UPDATED, GROUP_UPDATED]
    assert events[0].body["group_membership_id"] == str(leader)
    assert events[1].body["group_id"] == "1"
    for e in events:
        check_shape(e)


def test_a_refused_bulk_removal_reports_nothing(api, store):
    r = api.delete("/api/v1/groups/1/users?user_ids[]=8", token="student-token")
    assert r.json()["unauthorized_user_ids"] == [8]
    assert store.live_events.all() == []


def test_an_invitation_of_a_new_address_reports_the_new_membership(api, store):
    r = api.post("/api/v1/groups/7/invite", token="admin-token", data={"invitees[]": ["fresh@example.edu"]})
    assert r.status == 200
    (m,) = r.json()
    events = group_events(store)
    assert [e.name for e in events] == [MEMBERSHIP_CREATED]
    assert (events[0].body["user_id"], events[0].body["workflow_state"]) == (str(m["user_id"]), "invited")
    check_shape(events[0])
