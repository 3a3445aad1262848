"""Helpers of the group and membership API tests (tests/api/test_groups_*.py, test_memberships.py)."""

from __future__ import annotations


def memberships(store, group_id, *, live_only=False):
    """{user_id: (workflow_state, moderator)} of a group's membership rows (deleted ones too unless
    ``live_only``; the newest row per user wins, so a re-join shows its live row)."""
    out = {}
    for m in sorted(store.all("memberships"), key=lambda m: m.id):
        if m.group_id == group_id and not (live_only and m.workflow_state == "deleted"):
            out[m.user_id] = (m.workflow_state, m.moderator)
    return out


def live_member_ids(store, group_id):
    """The ids of a group's live (not deleted) members, sorted."""
    return sorted(memberships(store, group_id, live_only=True))


def assert_unchanged(store):
    """No row written since the rollback before the test (``store.changed_rows``)."""
    assert store.changed_rows == 0, "the request wrote to the store"
