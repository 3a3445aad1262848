"""Groups: list, create, update, delete, invite, and their users.

Mirrors GroupsController (app/controllers/groups_controller.rb) and the Group model
(app/models/group.rb, canvas-facts sections 2-4):

* a missing name becomes a random 40-character token; an empty one is "Name is required";
* ``is_public`` is forced false outside communities and may only go false -> true;
* ``join_level`` is not validated (Canvas saves and echoes any value);
* ``storage_quota_mb`` is ignored without manage_storage_quotas; ``sis_group_id`` needs manage_sis;
* the creator joins as an accepted moderator in communities, and in student-organized categories
  when a student creates the group;
* delete is soft: ``workflow_state`` deleted, memberships left alone, later lookups 404;
* ``sis_group_id`` is set with manage_sis on the group's root account (not the course's rights);
* the users list needs ``read`` (GroupsController#users); ``exclude_inactive`` keeps the
  participating users (accepted, active in the course); ``include[]=users`` shows a non-admin only
  those (``Group#participating_users_in_context``), an admin (read_as_admin) every member;
* invite resolves addresses as ``UserList`` (``preferred``) does, making pre-registered users for
  unknown e-mail addresses, and invites only people who can take part in the group's context.

Every operation validates all of its input before it changes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import optional_int, to_bool
from . import records as r
from ..coerce import stringify_ids
from .base import SortedIndex, UniqueIndex, fold
from .live import group_account_id, simple_events
from .people import by_sortable_name, normalize_search_term, user_matches

if TYPE_CHECKING:
    from . import Store

MAX_NAME = 255
_UNSET: Any = object()


@dataclass(slots=True)
class GroupInput:
    """Group attributes from a request; ``_UNSET`` means the parameter was not sent."""

    name: Any = _UNSET
    description: Any = _UNSET
    is_public: Any = _UNSET
    join_level: Any = _UNSET
    storage_quota_mb: Any = _UNSET
    max_membership: Any = _UNSET
    sis_group_id: Any = _UNSET
    avatar_id: Any = _UNSET
    leader: Any = _UNSET
    members: Any = _UNSET

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> GroupInput:
        """Canvas reads ``params[:group] || params``; take either form."""
        src = params.get("group") if isinstance(params.get("group"), dict) else params
        return cls(**{k: src[k] for k in cls.__slots__ if k in src})


def is_set(v: Any) -> bool:
    return v is not _UNSET


class GroupOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def find(self, ref: Any) -> r.Group:
        return self.s.find("groups", ref)

    def category_of(self, group: r.Group) -> r.GroupCategory | None:
        return self.s.get("group_categories", group.group_category_id) if group.group_category_id else None

    def require(self, user: r.User | None, group: r.Group, right: str) -> None:
        if right not in self.s.policy.group_rights(user, group):
            raise E.Unauthorized()

    def root_rights(self, user: r.User | None, root_account_id: int) -> frozenset[str]:
        """The user's rights on a root account: SIS ids are read (read_sis / manage_sis) and set
        (manage_sis) there, not in the course (``group.root_account.grants_right?``)."""
        return self.s.policy.context_rights(user, "Account", root_account_id)

    def user_groups(self, user: r.User, context_type: str | None = None) -> list[r.Group]:
        """The user's current groups (accepted memberships in live groups), by name then id."""
        out = []
        for mid in self.s.idx["memberships"]["by_user"].ids(user.id):
            m = self.s.get("memberships", mid)
            if m.workflow_state != "accepted":
                continue
            g = self.s.get("groups", m.group_id)
            if g is None or g.workflow_state == "deleted":
                continue
            if context_type and g.context_type.casefold() != context_type.casefold():
                continue
            out.append(g)
        out.sort(key=lambda g: (g.name.casefold(), g.id))
        return out

    def context_group_keys(self, context_type: str, context_id: int) -> list[tuple]:
        """The live groups of a context in Canvas's order, as index keys (O(1) to get)."""
        return self.s.idx["groups"]["by_context"].keys((context_type, context_id))

    def context_groups(self, viewer: r.User, context_type: str, context_id: int, *,
                       only_own: bool = False, name_filter: str | None = None) -> list[tuple]:
        ctx = self.s.policy.context_rights(viewer, context_type, context_id)
        if "read_roster" not in ctx:
            raise E.Unauthorized()
        keys = self.context_group_keys(context_type, context_id)
        if not only_own and not name_filter:
            return keys
        get = self.s.rows["groups"].get
        mine = {g.id for g in self.user_groups(viewer)} if only_own else None
        term = name_filter.casefold() if name_filter else None
        out = []
        for k in keys:
            if mine is not None and k[-1] not in mine:
                continue
            if term is not None and not self._matches_filter(get(k[-1]), term):
                continue
            out.append(k)
        return out

    def _matches_filter(self, group: r.Group, term: str) -> bool:
        if term in group.name.casefold():
            return True
        for m in self.s.memberships.live(group.id):
            u = self.s.get("users", m.user_id)
            if u is not None and term in u.name.casefold():
                return True
        return False

    def users(self, viewer: r.User, group: r.Group, *, search_term: str | None = None,
              exclude_inactive: bool = False) -> list[r.User]:
        """GroupsController#users: needs ``read`` on the group (not read_roster: who may only join
        does not see the list). ``UserSearch.scope_for`` -> ``Group#users_visible_to``: without
        ``exclude_inactive`` (or with it false) every non-deleted member in any membership state;
        with it true the participating users in context (accepted members with an active
        enrollment in the group's course). By sortable name."""
        self.require(viewer, group, "read")
        term = normalize_search_term(search_term, self.s.settings.search_term_min_length)
        if exclude_inactive:
            found = self.participating_users(group)
        else:
            found = [u for u in (self.s.get("users", m.user_id) for m in self.s.memberships.live(group.id))
                     if u is not None and u.workflow_state != "deleted"]
        return by_sortable_name(u for u in found if term is None or user_matches(u, term))

    def participating_users(self, group: r.Group) -> list[r.User]:
        """Group#participating_users_in_context: accepted members, and in a course group only
        those with an active enrollment in the course (Course#participating_users)."""
        policy = self.s.policy
        course = group.context_type == "Course"
        out = []
        for m in self.s.memberships.live(group.id):
            if m.workflow_state != "accepted":
                continue
            if course and not policy.enrollments(m.user_id, group.context_id):
                continue
            u = self.s.get("users", m.user_id)
            if u is not None:
                out.append(u)
        return out

    def visible_members(self, viewer: r.User | None, group: r.Group, limit: int = 1000, *,
                        include_inactive_users: bool = False) -> list[r.User]:
        """include[]=users (lib/api/v1/group.rb): a viewer with read_as_admin on the group's
        context sees every non-deleted member (``group.users``); anyone else the participating
        users in context: accepted members whose course enrollment is active
        (``include_inactive_users`` keeps the inactive ones)."""
        ctx = self.s.policy.context_rights(viewer, group.context_type, group.context_id)
        if "read_as_admin" in ctx:
            users = [u for u in (self.s.get("users", m.user_id) for m in self.s.memberships.live(group.id))
                     if u is not None and u.workflow_state != "deleted"]
        elif include_inactive_users or group.context_type != "Course":
            users = [u for u in (self.s.get("users", m.user_id) for m in self.s.memberships.live(group.id)
                                 if m.workflow_state == "accepted") if u is not None]
        else:
            users = self.participating_users(group)
        return by_sortable_name(users)[:limit]

    # -- create ----------------------------------------------------------------------------
    def communities_category(self, root_account_id: int) -> r.GroupCategory:
        for k in self.s.idx["group_categories"]["by_context"].keys(("Account", root_account_id)):
            cat = self.s.get("group_categories", k[-1])
            if cat.role == "communities":
                return cat
        # GroupCategory.communities_for: name and role only (no self-signup)
        return self.s.insert(
            "group_categories", name="Communities", context_type="Account", context_id=root_account_id,
            root_account_id=root_account_id, role="communities",
        )

    def create(self, actor: r.User, data: GroupInput, category: r.GroupCategory | None = None) -> r.Group:
        with self.s.lock:
            if category is None:
                category = self.communities_category(actor.account_id)
                ctx = self.s.policy.context_rights(actor, category.context_type, category.context_id)
            else:
                # POST /group_categories/:id/groups: authorized_action(context, [:manage_groups_add])
                ctx = self.s.policy.context_rights(actor, category.context_type, category.context_id)
                if "manage_groups_add" not in ctx:
                    raise E.Unauthorized()
            # ``if (sis_id = params.delete :sis_group_id)``: any non-null value, even "", needs
            # manage_sis on the group's root account
            if is_set(data.sis_group_id) and data.sis_group_id is not None \
                    and "manage_sis" not in self.root_rights(actor, category.root_account_id):
                raise E.SisPermission(update=False)
            if not self.s.policy.can_create_in(actor, category):
                raise E.Unauthorized()
            fields = self._validated_fields(None, data, category, ctx)
            now = self.s.now()
            gid = self.s.next_id("groups")
            name = fields.pop("name", None)
            if name is None:
                name = self.s.make_uuid("group-name", gid)
            # one save with every attribute: one group_created live event
            attrs = {"storage_quota_mb": self.s.settings.group_default_quota_mb, **fields}
            group = self.s.insert(
                "groups", id=gid, name=name, context_type=category.context_type,
                context_id=category.context_id, root_account_id=category.root_account_id,
                group_category_id=category.id, created_at=now, updated_at=now, **attrs,
            )
            fields = {}
            if category.is_communities or (
                category.role == "student_organized" and category.context_type == "Course"
                and self.s.policy.is_student(actor, category.context_id)
            ):
                self.s.memberships.add_user(group, actor, state="accepted", moderator=True)
            return group

    def _validated_fields(self, group: r.Group | None, data: GroupInput, category: r.GroupCategory | None,
                          ctx: frozenset[str]) -> dict[str, Any]:
        """Cast and validate every attribute first; raise Invalid with all errors at once."""
        invalid = E.Invalid()
        fields: dict[str, Any] = {}
        if is_set(data.name):
            name = "" if data.name is None else str(data.name)
            if not name.strip():
                invalid.add("name", E.MSG_NAME_REQUIRED)
            elif len(name) > MAX_NAME:
                invalid.add("name", E.MSG_GROUP_NAME_TOO_LONG)
            fields["name"] = name
        if is_set(data.description):
            fields["description"] = None if data.description is None else str(data.description)
        if is_set(data.join_level) and data.join_level not in (None, ""):
            fields["join_level"] = str(data.join_level)
        communities = category is not None and category.is_communities
        if is_set(data.is_public):
            want = bool(to_bool(data.is_public, False)) and communities
            if group is not None and group.is_public and not want:
                invalid.add("is_public", E.MSG_IS_PUBLIC_TRANSITION)
            fields["is_public"] = want
        if is_set(data.max_membership):
            mm = optional_int(data.max_membership)
            if mm is not None and mm <= 1:
                invalid.add("max_membership", E.MSG_GREATER_THAN_ONE)
            fields["max_membership"] = mm
        if is_set(data.storage_quota_mb) and "manage_storage_quotas" in ctx:
            q = optional_int(data.storage_quota_mb)
            if q is not None:
                fields["storage_quota_mb"] = max(q, 0)
        if is_set(data.sis_group_id):
            sis = data.sis_group_id if data.sis_group_id not in ("",) else None
            if sis is not None:
                sis = str(sis)
                taken = self.s.idx["groups"]["by_sis"].get(sis)
                if taken is not None and (group is None or taken != group.id):
                    invalid.add("sis_source_id", "SIS ID \"%s\" is already in use" % sis)
            fields["sis_group_id"] = sis
        if invalid.errors:
            raise invalid
        return fields

    # -- update ----------------------------------------------------------------------------
    def update(self, actor: r.User, group: r.Group, data: GroupInput) -> r.Group:
        with self.s.lock:
            self.require(actor, group, "update")
            ctx = self.s.policy.context_rights(actor, group.context_type, group.context_id)
            if is_set(data.sis_group_id) and data.sis_group_id is not None \
                    and "manage_sis" not in self.root_rights(actor, group.root_account_id):
                raise E.SisPermission(update=True)
            category = self.category_of(group)
            fields = self._validated_fields(group, data, category, ctx)
            members = self._member_list(group, data.members)
            leader_change = self._leader_change(group, data.leader)
            if is_set(data.avatar_id) and data.avatar_id is not None:
                # ``@group.active_images.where(id: avatar_id).first``: no match sets (clears) it to nil
                att = self._avatar(group, data.avatar_id)
                fields["avatar_attachment_id"] = att.id if att is not None else None
            # all input checked: apply, in Canvas's order (attributes and leader, then set_users,
            # which clears the leader when the leader's membership is removed)
            if leader_change is not _UNSET:
                fields["leader_id"] = leader_change
            if fields:
                fields["updated_at"] = self.s.now()
                self.s._update("groups", group, **fields)
            if members is not None:
                self.set_members(group, members)
            return group

    def _leader_change(self, group: r.Group, leader: Any) -> Any:
        """``leader``: a blank value (``leader=``, null, ``{}``) clears it; otherwise
        ``leader[id]`` must be a current (non-deleted) member, else 400 ``{}``. As in Canvas the
        check runs against the memberships *before* any ``members[]`` of the same request, so
        ``leader[id]=`` (a hash with a blank id) is no member either."""
        if not is_set(leader):
            return _UNSET
        if leader in (None, "") or leader == {}:
            return None
        lid = leader.get("id") if isinstance(leader, dict) else leader
        uid = optional_int(lid) if isinstance(lid, (str, int)) and not isinstance(lid, bool) else None
        if uid is None or self.s.memberships.of_pair(group.id, uid) is None:
            raise E.BadRequest({})
        return uid

    def _member_list(self, group: r.Group, members: Any) -> list[r.User] | None:
        """``members[]`` (or a comma-separated string): users of the group's context only."""
        if not is_set(members) or members is None:
            return None
        raw = members if isinstance(members, list) else str(members).split(",")
        users: list[r.User] = []
        for ref in raw:
            uid = optional_int(ref)
            u = self.s.get("users", uid) if uid is not None else None
            if u is not None and self.s.policy.can_participate(u, group.context_type, group.context_id):
                if u not in users:
                    users.append(u)
        return users

    def set_members(self, group: r.Group, users: list[r.User]) -> None:
        """Group#set_users: remove members not listed, ``invite_user`` the rest (``invited``, which
        ``auto_join`` accepts in every group but a community)."""
        keep = {u.id for u in users}
        for m in self.s.memberships.live(group.id):
            if m.user_id not in keep:
                self.s.memberships.remove(m)
        self._add_until_full(group, users)

    def _add_until_full(self, group: r.Group, users: list[r.User]) -> list[r.GroupMembership]:
        """``invite_user`` for each user in order; once the group is full the membership fails
        validation and Canvas goes on without it (no error, 200)."""
        out = []
        for u in users:
            try:
                m, _ = self.s.memberships.add_user(group, u, state="invited")
            except E.Invalid:
                continue
            out.append(m)
        return out

    def _avatar(self, group: r.Group, avatar_id: Any) -> r.Attachment | None:
        aid = optional_int(avatar_id)
        att = self.s.get("attachments", aid) if aid is not None else None
        if (att is None or att.context_type != "Group" or att.context_id != group.id
                or att.workflow_state != "processed" or not att.content_type.startswith("image/")):
            return None  # Canvas looks among the group's active images and ignores anything else
        return att

    # -- delete / invite -------------------------------------------------------------------
    def delete(self, actor: r.User, group: r.Group) -> r.Group:
        with self.s.lock:
            self.require(actor, group, "delete")
            now = self.s.now()
            self.s._update("groups", group, workflow_state="deleted", deleted_at=now, updated_at=now)
            return group

    def invite(self, actor: r.User, group: r.Group, invitees: Any) -> list[r.GroupMembership]:
        """GroupsController#invite: ``UserList`` with the ``preferred`` search resolves each address
        (a login id or e-mail address of the group's root account); an unknown e-mail address gets
        a new pre-registered user with that address (``UserList#users`` saves it before anyone is
        invited); unknown login ids and unparseable entries are left out. Each user who can take
        part in the group's context is then invited (``invite_user``; accepted outside
        communities); people outside a course are not added, as ``members[]`` refuses them."""
        with self.s.lock:
            self.require(actor, group, "manage")
            if invitees in (None, "", []):
                raise E.ParameterMissing("invitees")
            entries = invitees if isinstance(invitees, list) else re.split(r"[,;\n]", str(invitees))
            with self.s.atomic():
                users: list[r.User] = []
                for entry in entries:
                    u = self._invitee(str(entry), group.root_account_id)
                    if u is not None and u not in users:
                        users.append(u)
                policy = self.s.policy
                users = [u for u in users if policy.can_participate(u, group.context_type, group.context_id)]
                return self._add_until_full(group, users)

    def _invitee(self, entry: str, root_account_id: int) -> r.User | None:
        """One UserList entry: a known login id or e-mail address, else (an e-mail address only) a
        new ``pre_registered`` user named after it (``"Name" <address>`` gives the name)."""
        entry = entry.strip()
        if not entry:
            return None
        name, address = _parse_address(entry)
        found = self.s.people.find_by_address(address, root_account_id)
        if found is not None or "@" not in address:
            return found
        if self.s.idx["users"]["by_email"].get(address.strip().casefold()) is not None:
            return None  # another root account's user has it: left out (*chosen*; the mock keeps one user per address)
        name = name or address
        now = self.s.now()
        return self.s.insert("users", name=name, short_name=name, sortable_name=_sortable(name), email=address,
                             account_id=root_account_id, workflow_state="pre_registered",
                             created_at=now, updated_at=now)


_NAMED_ADDRESS = re.compile(r"""\A\s*["']?(.*?)["']?\s*<(\S+?@\S+?)>""")


def _parse_address(entry: str) -> tuple[str | None, str]:
    """UserList#parse_email: ``"Jane Doe" <jane@x.edu>`` or ``Jane Doe <jane@x.edu>`` -> (name,
    address); anything else is the address itself."""
    m = _NAMED_ADDRESS.match(entry)
    if m:
        return (m.group(1).strip() or None), m.group(2)
    return None, entry


def _sortable(name: str) -> str:
    """User#infer_defaults for a new user: "Jane Doe" -> "Doe, Jane"; one word stays as it is."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


# -- the area's tables, indexes, operations and live events (mockcanvas.store.registry) ---------
RECORDS = {"groups": r.Group, "stream_items": r.StreamItem}
SIS_FORMS = {"groups": {"sis_group_id": "by_sis"}}
OPS = ("groups", GroupOps)


def _live_group(g: r.Group) -> bool:
    return g.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "groups": {
            # Canvas orders a context's groups by category, then name, then id.
            "by_context": SortedIndex(
                lambda g: (g.context_type, g.context_id) if _live_group(g) else None,
                lambda g: (g.group_category_id or 0, fold(g.name), g.id),
            ),
            "by_category": SortedIndex(
                lambda g: g.group_category_id if _live_group(g) else None,
                lambda g: (fold(g.name), g.id),
            ),
            "by_sis": UniqueIndex(lambda g: g.sis_group_id if _live_group(g) else None),
        },
        "stream_items": {
            "by_group": SortedIndex(lambda s: s.group_id, lambda s: (s.id,)),
        },
    }


def group_event_body(store: Store, rec: r.Group) -> dict[str, Any]:
    """get_group_data (lib/canvas/live_events.rb)."""
    g = store.global_id
    cat = store.get("group_categories", rec.group_category_id) if rec.group_category_id else None
    return stringify_ids({
        "group_category_id": g(rec.group_category_id),
        "group_category_name": cat.name if cat is not None else None,
        "group_id": g(rec.id),
        "uuid": rec.uuid,
        "group_name": rec.name,
        "context_type": rec.context_type,
        "context_id": g(rec.context_id),
        "account_id": g(group_account_id(store, rec)),
        "workflow_state": rec.workflow_state,
        "max_membership": rec.max_membership,
    })


LIVE_EVENTS = {"groups": simple_events("group", group_event_body)}
