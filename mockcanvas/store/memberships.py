"""Group memberships: adding, moving, removing, and the leadership that follows them.

Mirrors ``Group#add_user`` and ``GroupMembership`` callbacks (app/models/group.rb,
app/models/group_membership.rb) and ``GroupLeadership`` (app/models/group_leadership.rb):

* the initial state comes from the group's ``join_level``, then ``auto_join`` makes it
  ``accepted`` for every group that is not a community;
* a user already in the group gets the existing membership back (``just_created`` false); one
  not yet accepted has its state reset as for a new membership;
* a group is full at ``max_membership`` accepted members (else the category's ``group_limit``);
  student-organized groups are never full;
* in a category without multiple memberships, joining a group soft-deletes the user's other
  memberships there (the user is moved, no error);
* a leader who leaves is cleared; with ``auto_leader`` a new leader is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import MSG_GROUP_FULL, Invalid
from . import records as r

if TYPE_CHECKING:
    from . import Store

_STATE_FOR_JOIN_LEVEL = {
    "invitation_only": "invited",
    "parent_context_request": "requested",
    "parent_context_auto_join": "accepted",
}


class MembershipOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- reads -----------------------------------------------------------------------------
    def live_ids(self, group_id: int) -> list[int]:
        return self.s.idx["memberships"]["by_group"].ids(group_id)

    def live(self, group_id: int) -> list[r.GroupMembership]:
        get = self.s.rows["memberships"].get
        return [get(i) for i in self.live_ids(group_id)]

    def accepted_count(self, group_id: int) -> int:
        return len(self.s.idx["memberships"]["accepted_by_group"].keys(group_id))

    def of_pair(self, group_id: int, user_id: int) -> r.GroupMembership | None:
        mid = self.s.idx["memberships"]["by_pair"].get((group_id, user_id))
        return self.s.get("memberships", mid) if mid is not None else None

    def category(self, group: r.Group) -> r.GroupCategory | None:
        return self.s.get("group_categories", group.group_category_id) if group.group_category_id else None

    def is_full(self, group: r.Group) -> bool:
        cat = self.category(group)
        if cat is not None and cat.role == "student_organized":
            return False
        limit = group.max_membership or (cat.group_limit if cat else None)
        return limit is not None and self.accepted_count(group.id) >= limit

    # -- writes ----------------------------------------------------------------------------
    def add_user(self, group: r.Group, user: r.User, state: str | None = None,
                 moderator: bool | None = None) -> tuple[r.GroupMembership, bool]:
        """Group#add_user: returns (membership, just_created)."""
        with self.s.lock:
            cat = self.category(group)
            auto_join = cat is None or not cat.is_communities  # GroupMembership#auto_join
            existing = self.of_pair(group.id, user.id)
            if existing is not None:
                # ``member.workflow_state = new_record_state unless member.active?`` (then
                # auto_join again); the moderator flag only when given explicitly
                changes: dict = {}
                reset = state or _STATE_FOR_JOIN_LEVEL.get(group.join_level)
                if existing.workflow_state != "accepted" and reset:
                    reset = "accepted" if auto_join else reset
                    if reset != existing.workflow_state:
                        changes["workflow_state"] = reset
                if moderator is not None and existing.moderator != moderator:
                    changes["moderator"] = moderator
                if changes:
                    self.s._update("memberships", existing, **changes, updated_at=self.s.now())
                    if changes.get("workflow_state") == "accepted":
                        self._after_accept(group, existing)
                return existing, False
            new_state = state or _STATE_FOR_JOIN_LEVEL.get(group.join_level, "invited")
            if auto_join:
                new_state = "accepted"
            if new_state == "accepted" and self.is_full(group):
                raise Invalid.one("group_id", MSG_GROUP_FULL)
            now = self.s.now()
            m = self.s.insert(
                "memberships", group_id=group.id, user_id=user.id, workflow_state=new_state,
                moderator=bool(moderator), created_at=now, updated_at=now,
            )
            if new_state == "accepted":
                self._after_accept(group, m)
            return m, True

    def accept(self, m: r.GroupMembership) -> None:
        group = self.s.get("groups", m.group_id)
        if m.workflow_state == "accepted":
            return
        if self.is_full(group):
            raise Invalid.one("group_id", MSG_GROUP_FULL)
        self.s._update("memberships", m, workflow_state="accepted", updated_at=self.s.now())
        self._after_accept(group, m)

    def _after_accept(self, group: r.Group, m: r.GroupMembership) -> None:
        cat = self.category(group)
        if cat is not None and not cat.allows_multiple_memberships:
            # ensure_mutually_exclusive_membership: move the user out of the category's other groups
            for other_id in list(self.s.idx["memberships"]["by_user"].ids(m.user_id)):
                other = self.s.get("memberships", other_id)
                if other.id == m.id:
                    continue
                og = self.s.get("groups", other.group_id)
                if og is not None and og.group_category_id == cat.id and og.workflow_state != "deleted":
                    self.remove(other)
        if cat is not None and cat.auto_leader and group.leader_id is None:
            self.choose_leader(group)

    def remove(self, m: r.GroupMembership) -> None:
        """Soft-delete a membership; clear (and maybe re-choose) the group's leader."""
        with self.s.lock:
            if m.workflow_state == "deleted":
                return
            self.s._update("memberships", m, workflow_state="deleted", updated_at=self.s.now())
            group = self.s.get("groups", m.group_id)
            if group is not None and group.leader_id == m.user_id:
                self.s._update("groups", group, leader_id=None, updated_at=self.s.now())
                cat = self.category(group)
                if cat is not None and cat.auto_leader:
                    self.choose_leader(group)

    def choose_leader(self, group: r.Group) -> None:
        """GroupLeadership#revert_leadership / auto_assign: 'first' takes the earliest accepted
        member, 'random' any accepted member (from the store's seeded generator)."""
        cat = self.category(group)
        accepted = [m for m in self.live(group.id) if m.workflow_state == "accepted"]
        if cat is None or not cat.auto_leader or not accepted:
            return
        pick = accepted[0] if cat.auto_leader == "first" else self.s.rng.choice(accepted)
        self.s._update("groups", group, leader_id=pick.user_id, updated_at=self.s.now())
