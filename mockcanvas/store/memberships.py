"""Group memberships: adding, moving, removing, and the leadership that follows them.

Mirrors ``Group#add_user`` and ``GroupMembership`` callbacks (app/models/group.rb,
app/models/group_membership.rb) and ``GroupLeadership`` (app/models/group_leadership.rb):

* the initial state comes from the group's ``join_level``, then ``auto_join`` makes it
  ``accepted`` for every group that is not a community;
* a user already in the group gets the existing membership back (``just_created`` false); one
  not yet accepted has its state reset as for a new membership;
* a group is full at ``max_membership`` accepted members (else the category's ``group_limit``);
  student-organized groups are never full; only a *new* membership (in any state) is refused
  by a full group (``validate_within_group_limit`` checks ``new_record?``), so re-adding or
  accepting an existing one is not;
* in a category without multiple memberships, joining a group soft-deletes the user's other
  memberships there (the user is moved, no error);
* a leader who leaves is cleared; with ``auto_leader``, whenever a membership changes and
  nobody leads the group, a leader is chosen;
* a bulk removal (``DELETE /groups/:id/users?user_ids[]=``) removes each member as a single
  removal would, and names those the caller may not remove (a real Canvas 2025, canvas-facts
  Corrections 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import MSG_GROUP_FULL, Invalid, NotFound, Unauthorized
from . import records as r
from ..coerce import stringify_ids
from .base import SortedIndex, UniqueIndex
from .live import simple_events

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
                # auto_join again); the moderator flag only when given explicitly. Not a new
                # record, so ``validate_within_group_limit`` does not apply.
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
                    else:
                        self._member_changed(group, existing)
                return existing, False
            new_state = state or _STATE_FOR_JOIN_LEVEL.get(group.join_level, "invited")
            if auto_join:
                new_state = "accepted"
            # validate_within_group_limit: ``new_record? && group.full?``, whatever the state
            if self.is_full(group):
                raise Invalid.one("group_id", MSG_GROUP_FULL)
            now = self.s.now()
            m = self.s.insert(
                "memberships", group_id=group.id, user_id=user.id, workflow_state=new_state,
                moderator=bool(moderator), created_at=now, updated_at=now,
            )
            if new_state == "accepted":
                self._after_accept(group, m)
            else:
                self._member_changed(group, m)
            return m, True

    def accept(self, m: r.GroupMembership) -> None:
        """An existing membership becomes accepted: no limit check (not a new record)."""
        group = self.s.get("groups", m.group_id)
        if m.workflow_state == "accepted":
            return
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
        self._member_changed(group, m)

    def remove(self, m: r.GroupMembership) -> None:
        """Soft-delete a membership; clear (and maybe re-choose) the group's leader."""
        with self.s.lock:
            if m.workflow_state == "deleted":
                return
            self.s._update("memberships", m, workflow_state="deleted", updated_at=self.s.now())
            group = self.s.get("groups", m.group_id)
            if group is not None:
                self._member_changed(group, m)

    def _member_changed(self, group: r.Group, m: r.GroupMembership) -> None:
        """GroupLeadership#member_changed_event, run after every membership save: a leader whose
        membership is gone is cleared; then, with ``auto_leader`` set and nobody leading, one is
        chosen (even when the change was someone else's)."""
        if m.workflow_state == "deleted" and group.leader_id == m.user_id:
            self.s._update("groups", group, leader_id=None, updated_at=self.s.now())
        cat = self.category(group)
        if cat is not None and cat.auto_leader and group.leader_id is None:
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

    # -- the Group Memberships API (GroupMembershipsController + GroupMembership#set_policy) ----
    def list_ids(self, viewer: r.User, group: r.Group, filter_states: list[str] | None) -> Sequence[int]:
        """Live memberships in id order; ``filter_states`` is intersected with the three listable
        states, so only unknown states gives ``[]``. O(page) without a filter."""
        self.s.groups.require(viewer, group, "read_roster")
        states = set(LISTABLE_STATES)
        if filter_states is not None:
            states &= set(filter_states)
        if states == set(LISTABLE_STATES):
            return self.s.idx["memberships"]["by_group"].id_view(group.id)
        if states == {"accepted"}:
            return self.s.idx["memberships"]["accepted_by_group"].id_view(group.id)
        return [m.id for m in self.live(group.id) if m.workflow_state in states]

    def find(self, viewer: r.User, group: r.Group, *, membership_ref: str | None = None,
             user_ref: str | None = None) -> r.GroupMembership:
        """``find_membership``: ``self`` for either id; a user id also in ``sis_user_id:`` form.
        Deleted memberships are not found (``group.group_memberships`` excludes them)."""
        m = None
        if membership_ref == "self" or user_ref == "self":
            m = self.of_pair(group.id, viewer.id)
        elif membership_ref is not None:
            rid = self.s.find_id(membership_ref)
            cand = self.s.get("memberships", rid) if rid is not None else None
            if cand is not None and cand.group_id == group.id and cand.workflow_state != "deleted":
                m = cand
        elif user_ref is not None:
            user = self.s.find("users", user_ref)
            m = self.of_pair(group.id, user.id)
        if m is None:
            raise NotFound()
        return m

    def show(self, viewer: r.User, group: r.Group, **refs: str | None) -> r.GroupMembership:
        """``show``: find the membership (404), then membership ``read``, i.e. group read_roster."""
        m = self.find(viewer, group, **refs)
        self.s.groups.require(viewer, group, "read_roster")
        return m

    def can_create(self, actor: r.User, group: r.Group, user: r.User) -> bool:
        policy = self.s.policy
        cat = self.category(group)
        if cat is not None and cat.is_communities:
            # communities: users must initiate their own membership
            return actor.id == user.id and "join" in policy.group_rights(actor, group)
        if actor.id == user.id and "join" in policy.group_rights(actor, group):
            return True
        ctx = policy.context_rights(actor, group.context_type, group.context_id)
        return "manage_groups_manage" in ctx and policy.can_participate(user, group.context_type, group.context_id)

    def create(self, actor: r.User, group: r.Group, user: r.User) -> tuple[r.GroupMembership, bool]:
        with self.s.lock:
            if not self.can_create(actor, group, user):
                raise Unauthorized()
            return self.add_user(group, user)

    def update(self, actor: r.User, m: r.GroupMembership, *, workflow_state: Any = None,
               moderator: Any = None) -> r.GroupMembership:
        """Only ``workflow_state=accepted`` and ``moderator`` are taken; other states are dropped."""
        with self.s.lock:
            group = self.s.get("groups", m.group_id)
            self.s.groups.require(actor, group, "manage")
            flag = rails_boolean(moderator)
            # ``@membership.update(attrs)``: not a new record, so no group limit check
            changed = flag is not None and flag != m.moderator
            if changed:
                self.s._update("memberships", m, moderator=flag, updated_at=self.s.now())
            if workflow_state == "accepted" and m.workflow_state != "accepted":
                self.accept(m)
            elif changed:
                self._member_changed(group, m)
            return m

    def leave_or_remove(self, actor: r.User, m: r.GroupMembership) -> None:
        """The member themselves when the group lets them ``leave``; anyone who may ``manage``."""
        with self.s.lock:
            group = self.s.get("groups", m.group_id)
            member = self.s.get("users", m.user_id)
            own = actor.id == m.user_id and "leave" in self.s.policy.group_rights(member, group)
            if not own and "manage" not in self.s.policy.group_rights(actor, group):
                raise Unauthorized()
            self.remove(m)

    def bulk_remove(self, actor: r.User, group: r.Group, user_ids: Sequence[int]) -> tuple[list[int], list[int]]:
        """``DELETE /groups/:id/users?user_ids[]=...``: each listed user's live membership, removed
        when the caller may delete it (as a single removal: the member who may leave, anyone who
        may manage), else reported as unauthorized. Rights are judged on the memberships as they
        were before the request (a moderator who removes themself first still removes the rest).
        Ids without a live membership in the group are in neither list (*chosen*). Each removal is
        a single soft delete, with its own ``group_membership_updated``."""
        with self.s.lock:
            policy = self.s.policy
            manage = "manage" in policy.group_rights(actor, group)
            deleted: list[r.GroupMembership] = []
            unauthorized: list[int] = []
            seen: set[int] = set()
            for uid in user_ids:
                if uid in seen:
                    continue
                seen.add(uid)
                m = self.of_pair(group.id, uid)
                if m is None:
                    continue
                member = self.s.get("users", m.user_id)
                own = actor.id == m.user_id and "leave" in policy.group_rights(member, group)
                if own or manage:
                    deleted.append(m)
                else:
                    unauthorized.append(uid)
            with self.s.atomic():
                for m in deleted:
                    self.remove(m)
            return [m.user_id for m in deleted], unauthorized


LISTABLE_STATES = ("accepted", "invited", "requested")
# ActiveModel::Type::Boolean::FALSE_VALUES (strings; ``false`` and ``0`` are handled below)
_RAILS_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "off", "OFF"})


def rails_boolean(value: Any) -> bool | None:
    """ActiveModel's boolean cast: ``nil`` and ``""`` are nil, ``false``, ``0`` and a short list of
    strings are false, anything else is true: ``"bogus"``, ``" "``, ``"False"`` and ``0.0`` too
    (``FALSE_VALUES.include?`` is exact)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return value not in _RAILS_FALSE
    return True


# -- the area's tables, indexes, operations and live events (mockcanvas.store.registry) ---------
RECORDS = {"memberships": r.GroupMembership}
OPS = ("memberships", MembershipOps)


def _live_membership(m: r.GroupMembership) -> bool:
    return m.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "memberships": {
            # live (not deleted) memberships of a group, in id order
            "by_group": SortedIndex(
                lambda m: m.group_id if _live_membership(m) else None, lambda m: (m.id,)
            ),
            "by_user": SortedIndex(
                lambda m: m.user_id if _live_membership(m) else None, lambda m: (m.id,)
            ),
            # accepted memberships of a group: members_count and the full-group check in O(1)
            "accepted_by_group": SortedIndex(
                lambda m: m.group_id if m.workflow_state == "accepted" else None, lambda m: (m.id,)
            ),
            # at most one live row per (group, user); a deleted one stays, and a re-join makes a
            # new row (Group#add_user looks only at group_memberships, which excludes deleted)
            "by_pair": UniqueIndex(lambda m: (m.group_id, m.user_id) if _live_membership(m) else None),
        },
    }


def membership_event_body(store: Store, rec: r.GroupMembership) -> dict[str, Any]:
    """get_group_membership_data (lib/canvas/live_events.rb)."""
    g = store.global_id
    group = store.get("groups", rec.group_id)
    cat = store.get("group_categories", group.group_category_id) if group.group_category_id else None
    return stringify_ids({
        "group_membership_id": g(rec.id),
        "user_id": g(rec.user_id),
        "group_id": g(rec.group_id),
        "group_name": group.name,
        "group_category_id": g(group.group_category_id),
        "group_category_name": cat.name if cat is not None else None,
        "workflow_state": rec.workflow_state,
    })


LIVE_EVENTS = {"memberships": simple_events("group_membership", membership_event_body)}
