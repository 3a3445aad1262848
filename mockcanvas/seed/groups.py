"""The groups area of a world file: ``groups`` with their members (the memberships table), and the
groups' activity ``stream_items``.

Memberships follow Canvas's rules: members of a course group are enrolled in the course, one
group per category unless the category allows several, a restricted self sign-up group's members
share a section, the accepted members fit the group's limit; a category with ``auto_leader`` gives
a group without a ``leader`` the one Canvas would have chosen.
"""

from __future__ import annotations

import random
from functools import partial
from typing import TYPE_CHECKING

from ..store import records as r
from .fields import DT, ID, B, F, S, enum, integer, ref, refs, req
from .loader import Item, Loader, Section

if TYPE_CHECKING:
    from ..store import Store

MEMBER = {"user": req(ref("users")), "state": enum("accepted", "invited", "requested"), "moderator": B}
GROUP_FIELDS = {
    **ID, "name": req(S), "category": req(ref("group_categories")), "description": S, "is_public": B,
    "join_level": enum(*r.JOIN_LEVELS), "max_membership": integer(1), "storage_quota_mb": integer(0),
    "sis_group_id": S, "leader": ref("users"), "members": F("members", schema=MEMBER),
    "workflow_state": enum("available", "deleted"), "uuid": S, "created_at": DT, "updated_at": DT,
}
STREAM_TYPES = ("Announcement", "DiscussionTopic", "DiscussionEntry", "Message", "Conversation",
                "Submission", "WebConference", "Collaboration", "AssessmentRequest")
STREAM_ITEM_FIELDS = {
    **ID, "group": req(ref("groups")), "type": req(enum(*STREAM_TYPES)), "title": req(S), "message": S,
    "notification_category": S, "read_by": refs("users"), "created_at": DT, "updated_at": DT,
}


def _member_at(group: Item, where: str | int) -> str:
    """Where a member of a group is in its file (parsing keeps a plain member's index only)."""
    return where if isinstance(where, str) else f"{group.at('members')}[{where}]"


def build_groups(loader: Loader) -> None:
    placed: dict[tuple[int, int], Item] = {}  # (category id, user id) -> the group the user is in
    users_by_key, users_by_id = loader.by_key["users"], loader.by_id["users"]
    sections_of = loader.shared.get("enrollments.sections_of", {})
    # (group id, user id, workflow_state, moderator) of every membership
    memberships: list[tuple[int, int, str, bool]] = []
    loader.pending["groups.memberships"] = memberships
    err = loader.err
    for it in loader.items["groups"]:
        cat = loader.resolve(it, "category", "group_categories")
        at = partial(_member_at, it)
        # (user, where, state, moderator) of each member
        members: list[tuple[Item, str | int, str, bool]] = []
        listed: set[int] = set()
        for ref_, where, state, moderator in it.f.get("members", []):
            user = (users_by_key if isinstance(ref_, str) else users_by_id).get(ref_)
            if user is None:
                err(it.file, at(where), f"no user {ref_!r}")  # as resolve() would say
                continue
            if id(user) in listed:
                err(it.file, at(where), f"{user.label} is listed twice")
                continue
            listed.add(id(user))
            members.append((user, where, state, moderator))
        leader = loader.resolve(it, "leader", "users")
        if leader is not None and id(leader) not in listed:
            err(it.file, it.at("leader"), f"{leader.label} is not a member of this group")
        if cat is None or not cat.row:
            continue
        ctx, crow = cat.r["context"], cat.row
        live = it.f.get("workflow_state", "available") != "deleted"
        common: set[int] | None = None  # sections every member so far shares
        in_course = crow["context_type"] == "Course"
        restricted = crow.get("self_signup") == "restricted"
        multiple = crow.get("role") in ("student_organized", "communities")
        for user, where, _, _ in members:
            if in_course:
                mine = sections_of.get((user.id, ctx.id))
                if mine is None:
                    err(it.file, at(where), f"{user.label} is not enrolled in {ctx.label}")
                elif restricted:
                    # GroupMembership#verify_section_homogeneity_if_necessary
                    mine = {mine} if isinstance(mine, int) else mine
                    if common is not None and not common & mine:
                        err(it.file, at(where), f"{user.label} shares no section with the other "
                                                "members (self_signup is restricted)")
                    common = mine if common is None else common & mine or common
            if live:
                other = placed.setdefault((cat.id, user.id), it)
                if other is not it and not multiple:
                    err(it.file, at(where), f"{user.label} is already in {other.label} of "
                                            f"{cat.label}, which allows one group per user")
        accepted = [m[0] for m in members if m[2] == "accepted"]
        limit = it.f.get("max_membership") or crow.get("group_limit")
        if limit is not None and crow.get("role") != "student_organized" and len(accepted) > limit:
            err(it.file, it.at("members"), f"{len(accepted)} accepted members, more than the limit of {limit}")
        if leader is None and accepted and crow.get("auto_leader"):
            # what GroupLeadership does when these members join: the group gets a leader
            leader = accepted[0] if crow["auto_leader"] == "first" else \
                random.Random(f"{loader.seeds[0]}:{it.id}").choice(accepted)
        it.row = {"name": it.f["name"], "context_type": crow["context_type"], "context_id": ctx.id,
                  "root_account_id": crow["root_account_id"], "group_category_id": cat.id,
                  "non_collaborative": crow.get("non_collaborative", False),
                  "storage_quota_mb": it.f.get("storage_quota_mb", loader.settings.group_default_quota_mb),
                  "leader_id": leader.id if leader else None}
        loader.copy(it, "description", "is_public", "join_level", "max_membership", "sis_group_id",
                    "workflow_state", "uuid", "created_at", "updated_at")
        loader.claim(it, "sis_group_id", it.f.get("sis_group_id"))
        gid = it.id
        memberships.extend((gid, user.id, state, moderator) for user, _, state, moderator in members)


def insert_memberships(loader: Loader, store: Store) -> None:
    """The memberships, numbered in group-id order (then as listed), after the groups."""
    memberships = loader.pending.pop("groups.memberships", [])
    memberships.sort(key=lambda m: m[0])  # stable: by group, then as listed
    next_id = store.next_id
    store.load_rows("memberships", (r.GroupMembership(next_id("memberships"), g, u, workflow_state=s, moderator=m)
                                    for g, u, s, m in memberships))


def build_stream_items(loader: Loader) -> None:
    for it in loader.items["stream_items"]:
        group = loader.resolve(it, "group", "groups")
        readers = [loader.resolve(it, "read_by", "users", v, f"{it.at('read_by')}[{i}]")
                   for i, v in enumerate(it.f.get("read_by", []))]
        if group is not None:
            it.row = {"group_id": group.id, "type": it.f["type"], "title": it.f["title"],
                      "read_by": frozenset(u.id for u in readers if u is not None)}
            loader.copy(it, "message", "notification_category", "created_at", "updated_at")


SECTIONS = (
    Section("groups", GROUP_FIELDS, noun="group", table="groups", build=build_groups, insert=insert_memberships),
    Section("stream_items", STREAM_ITEM_FIELDS, noun="stream item", table="stream_items", build=build_stream_items),
)
