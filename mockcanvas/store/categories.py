"""Group categories: list, create, update, delete, their users, CSV export/import, and assigning
unassigned students.

Mirrors GroupCategoriesController (app/controllers/group_categories_controller.rb),
``GroupCategories::ParamsPolicy`` / ``Params`` and the GroupCategory model (canvas-facts section 4):

* category routes answer ``{"status":"not found"}`` for an unknown or deleted category;
* ``self_signup`` is ``enabled``/``restricted`` (any case), anything else null; the legacy
  ``enable_self_signup`` + ``restrict_self_signup`` booleans work too; likewise ``auto_leader``
  (``first``/``random``) and ``enable_auto_leader`` + ``auto_leader_type``;
* an update assigns ``self_signup``, ``auto_leader`` and ``group_limit`` from the request, so an
  omitted one becomes null (ParamsPolicy); ``name`` is kept when absent; a new ``group_limit``
  reaches every group's ``max_membership``;
* ``create_group_count`` creates "<singular name> N" groups (courses only, at most 200); without
  self-signup the course's unassigned students are also distributed at once, in every kind of
  category (a PUT with ``split_group_count`` on a student-organized one too: canvas-facts
  Corrections 12); only ``assign_unassigned_members`` refuses student-organized categories;
* ``self_signup_end_at`` (the self-signup deadline) is taken as an ISO 8601 time, anything else
  clears it; ``non_collaborative`` is taken but not shown (the 2025 JSON has no such key);
* ``sis_group_category_id`` is set with manage_sis on the category's root account;
* ``restricted`` self-signup is refused while a group of the category mixes sections;
* protected categories (student_organized, communities) cannot be deleted or imported into.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import optional_int, to_bool
from . import records as r
from ..coerce import stringify_ids
from .base import SortedIndex, UniqueIndex
from .category_import import CategoryImport
from .live import simple_events
from .people import by_sortable_name, normalize_search_term, user_matches

if TYPE_CHECKING:
    from . import Store

MAX_NAME = 255
MAX_GROUPS = 200  # Setting max_groups_in_new_category
RESERVED = {"Course": ("Student Groups", "Imported Groups"), "Account": ("Communities", "Imported Groups")}
MANAGE = frozenset({"manage_groups_add", "manage_groups_manage", "manage_groups_delete"})


def singular(name: str) -> str:
    """ActiveSupport's ``singularize`` for the usual English plurals of a category name."""
    words = name.rsplit(" ", 1)
    last = words[-1]
    low = last.lower()
    if low.endswith("ies") and len(last) > 3:
        last = last[:-3] + ("Y" if last[-3:].isupper() else "y")
    elif low.endswith(("sses", "shes", "ches", "xes")):
        last = last[:-2]
    elif low.endswith("s") and not low.endswith("ss"):
        last = last[:-1]
    return " ".join(words[:-1] + [last])


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    v = str(value).strip().lower() if value is not None else ""
    return v if v in allowed else None


class CategoryOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups and rights ------------------------------------------------------------------
    def find(self, ref: Any) -> r.GroupCategory:
        try:
            return self.s.find("group_categories", ref)
        except E.NotFound:
            raise E.CategoryNotFound() from None

    def require(self, user: r.User, context_type: str, context_id: int, any_of: frozenset[str] | set[str]) -> frozenset[str]:
        ctx = self.s.policy.context_rights(user, context_type, context_id)
        if not ctx & set(any_of):
            raise E.Unauthorized()
        return ctx

    def show(self, viewer: r.User, cat: r.GroupCategory) -> r.GroupCategory:
        """Reading a category needs manage_groups on its context (students are refused)."""
        self.require(viewer, cat.context_type, cat.context_id, MANAGE)
        return cat

    def list_ids(self, viewer: r.User, context_type: str, context_id: int) -> list[int]:
        self.require(viewer, context_type, context_id, MANAGE)
        return self.s.idx["group_categories"]["by_context"].ids((context_type, context_id))

    def group_keys(self, viewer: r.User, cat: r.GroupCategory) -> list[tuple]:
        self.require(viewer, cat.context_type, cat.context_id, MANAGE)
        return self.s.idx["groups"]["by_category"].keys(cat.id)

    # -- people of a category ----------------------------------------------------------------
    def candidates(self, cat: r.GroupCategory) -> list[r.User]:
        """Who can be placed in the category's groups: a course's active students, an account's
        users (by sortable name)."""
        if cat.context_type == "Course":
            return self.s.people.course_users(cat.context_id, types=["StudentEnrollment"], states=("active",))
        root = self.s.people.root_account_id(cat.context_id)
        return by_sortable_name(u for u in self.s.all("users")
                                if u.account_id == root and u.workflow_state != "deleted")

    def assigned_user_ids(self, cat: r.GroupCategory) -> set[int]:
        out: set[int] = set()
        for k in self.s.idx["groups"]["by_category"].keys(cat.id):
            for m in self.s.memberships.live(k[-1]):
                if m.workflow_state == "accepted":
                    out.add(m.user_id)
        return out

    def unassigned(self, cat: r.GroupCategory) -> list[r.User]:
        if cat.allows_multiple_memberships:
            return self.candidates(cat)  # everyone counts as unassigned there (canvas-facts §3)
        taken = self.assigned_user_ids(cat)
        return [u for u in self.candidates(cat) if u.id not in taken]

    def users(self, viewer: r.User, cat: r.GroupCategory, *, search_term: str | None, unassigned: bool) -> list[r.User]:
        right = "read_roster" if cat.context_type == "Course" else "read"
        ctx = self.s.policy.context_rights(viewer, cat.context_type, cat.context_id)
        if right not in ctx:
            raise E.Unauthorized()
        term = normalize_search_term(search_term, self.s.settings.search_term_min_length)
        users = self.candidates(cat)
        if unassigned:
            taken = self.assigned_user_ids(cat)
            users = [u for u in users if u.id not in taken]
        if term is not None:
            users = [u for u in users if user_matches(u, term)]
        return users

    # -- create / update / delete ------------------------------------------------------------
    def _validated(self, cat: r.GroupCategory | None, context_type: str, context_id: int,
                   params: dict[str, Any]) -> tuple[dict[str, Any], int, bool]:
        """ParamsPolicy#populate_with, checked first. Returns (fields, groups to create, assign)."""
        invalid = E.Invalid()
        fields: dict[str, Any] = {}
        name = params.get("name")
        if name is not None or cat is None:
            name = "" if name is None else str(name)
            if cat is not None and name == cat.name and name.strip():
                pass  # validates_each :name runs only when the name changed (or is blank)
            elif not name.strip():
                invalid.add("name", E.MSG_NAME_REQUIRED)
            elif len(name) > MAX_NAME:
                invalid.add("name", "Enter a shorter category name")
            elif name in RESERVED.get(context_type, ()):
                invalid.add("name", f"{name} is a reserved name.")
            else:
                for cid in self.s.idx["group_categories"]["by_context"].ids((context_type, context_id)):
                    other = self.s.get("group_categories", cid)
                    if other.name == name and (cat is None or other.id != cat.id):
                        invalid.add("name", f"{name} is already in use.")
                        break
            fields["name"] = name
        self_signup = self._self_signup(params)
        if self_signup is not None and context_type != "Course" and not (cat is not None and cat.is_communities):
            invalid.add("enable_self_signup", "Self-signup may only be enabled for course groups or communities")
        elif (self_signup == "restricted" and cat is not None and cat.self_signup != "restricted"
              and context_type == "Course" and self._has_mixed_section_group(cat)):
            invalid.add("restrict_self_signup",
                        "Can't restrict self-signup while a mixed-section group exists in the category")
        fields["self_signup"] = self_signup
        fields["auto_leader"] = self._auto_leader(params)
        limit = optional_int(params.get("group_limit"))
        if limit is not None and limit <= 1:
            invalid.add("group_limit", E.MSG_GREATER_THAN_ONE)
        fields["group_limit"] = limit
        if "non_collaborative" in params:
            fields["non_collaborative"] = bool(to_bool(params.get("non_collaborative"), False))
        if "self_signup_end_at" in params:
            # a time attribute: an ISO 8601 time is kept, anything else (or blank) becomes null
            fields["self_signup_end_at"] = _time(params.get("self_signup_end_at"))
        count, assign = 0, False
        if context_type == "Course":
            split = params.get("split_group_count")
            split_enabled = str(params.get("split_groups", "1")) != "0"
            if self_signup is None and not split_enabled:
                count = 0  # Params#create_group_count: nil when split_groups is "0"
            elif self_signup is None and split not in (None, ""):
                count = optional_int(split) or 0
            else:
                count = optional_int(params.get("create_group_count")) or 0
            count = max(0, min(count, MAX_GROUPS))
            assign = (self_signup is None and count > 0 and not to_bool(params.get("assign_async"), False)
                      and str(params.get("split_groups", "1")) != "0")
        if invalid.errors:
            raise invalid
        return fields, count, assign

    def _has_mixed_section_group(self, cat: r.GroupCategory) -> bool:
        """GroupCategory#has_heterogenous_group?: a group whose members share no section
        (Group#has_common_section?); an empty group has one in common."""
        for k in self.s.idx["groups"]["by_category"].keys(cat.id):
            common: set[int] | None = None
            for m in self.s.memberships.live(k[-1]):
                mine = self.s.policy.section_ids(m.user_id, cat.context_id)
                common = mine if common is None else common & mine
            if common is not None and not common:
                return True
        return False

    @staticmethod
    def _self_signup(params: dict[str, Any]) -> str | None:
        # Params#self_signup: a valid self_signup wins; otherwise the legacy booleans decide
        chosen = _choice(params.get("self_signup"), ("enabled", "restricted"))
        if chosen is not None:
            return chosen
        if to_bool(params.get("enable_self_signup"), False):
            return "restricted" if to_bool(params.get("restrict_self_signup"), False) else "enabled"
        return None

    @staticmethod
    def _auto_leader(params: dict[str, Any]) -> str | None:
        # Params#auto_leader: enable_auto_leader, when sent, decides (false -> null, true ->
        # auto_leader_type; Canvas raises a 500 for a bad type, here it becomes null); otherwise
        # auto_leader
        if params.get("enable_auto_leader") is not None:
            if not to_bool(params.get("enable_auto_leader"), False):
                return None
            return _choice(params.get("auto_leader_type"), ("first", "random"))
        return _choice(params.get("auto_leader"), ("first", "random"))

    def _check_sis(self, ctx: frozenset[str], params: dict[str, Any], cat: r.GroupCategory | None) -> str | None:
        sis = params.get("sis_group_category_id")
        if sis is None:
            return None
        if "manage_sis" not in ctx:  # the root account's rights (``@group_category.root_account``)
            raise E.SisPermission(update=False)  # Canvas sends the "set" wording from update too
        sis = str(sis)
        taken = self.s.idx["group_categories"]["by_sis"].get(sis)
        if taken is not None and (cat is None or taken != cat.id):
            raise E.Invalid.one("sis_source_id", f'SIS ID "{sis}" is already in use')
        return sis

    def create(self, actor: r.User, context_type: str, context_id: int, params: dict[str, Any]) -> r.GroupCategory:
        with self.s.lock:
            self.require(actor, context_type, context_id, {"manage_groups_add"})
            fields, count, assign = self._validated(None, context_type, context_id, params)
            root = (self.s.people.root_account_id(context_id) if context_type == "Account"
                    else self.s.get("courses", context_id).root_account_id)
            sis = self._check_sis(self.s.groups.root_rights(actor, root), params, None)
            with self.s.atomic():
                cat = self.s.insert("group_categories", context_type=context_type, context_id=context_id,
                                    root_account_id=root, sis_group_category_id=sis, **fields)
                self._create_groups(cat, count)
                if assign:
                    self.distribute(cat, by_section=bool(to_bool(params.get("group_by_section"), False)))
            return cat

    def update(self, actor: r.User, cat: r.GroupCategory, params: dict[str, Any]) -> r.GroupCategory:
        with self.s.lock:
            self.require(actor, cat.context_type, cat.context_id, {"manage_groups_manage"})
            fields, count, assign = self._validated(cat, cat.context_type, cat.context_id, params)
            sis = self._check_sis(self.s.groups.root_rights(actor, cat.root_account_id), params, cat)
            if sis is not None:
                fields["sis_group_category_id"] = sis
            with self.s.atomic():
                old_limit = cat.group_limit
                self.s._update("group_categories", cat, **fields)
                if cat.group_limit != old_limit:
                    # update_groups_max_membership: a bulk update (update_all) of the category's groups
                    with self.s.bulk("groups"):
                        for k in list(self.s.idx["groups"]["by_category"].keys(cat.id)):
                            self.s._update("groups", self.s.get("groups", k[-1]), max_membership=cat.group_limit)
                self._create_groups(cat, count)
                if assign:
                    self.distribute(cat, by_section=bool(to_bool(params.get("group_by_section"), False)))
            return cat

    def delete(self, actor: r.User, cat: r.GroupCategory) -> r.GroupCategory:
        with self.s.lock:
            self.require(actor, cat.context_type, cat.context_id, {"manage_groups_delete"})
            if cat.protected:
                raise E.ProtectedCategory()
            now = self.s.now()
            for k in list(self.s.idx["groups"]["by_category"].keys(cat.id)):
                g = self.s.get("groups", k[-1])
                self.s._update("groups", g, workflow_state="deleted", deleted_at=now, updated_at=now)
            self.s._update("group_categories", cat, deleted_at=now)
            return cat

    def _create_groups(self, cat: r.GroupCategory, count: int) -> list[r.Group]:
        # GroupCategory#create_groups: "#{name.singularize} #{idx + 1}", numbered from 1 even
        # when the category already has groups (so names may repeat, as in Canvas)
        base = singular(cat.name)
        now = self.s.now()
        return [
            self.s.insert("groups", name=f"{base} {n}", context_type=cat.context_type,
                          context_id=cat.context_id, root_account_id=cat.root_account_id,
                          group_category_id=cat.id, max_membership=cat.group_limit,
                          storage_quota_mb=self.s.settings.group_default_quota_mb, created_at=now, updated_at=now)
            for n in range(1, count + 1)
        ]

    # -- assignment --------------------------------------------------------------------------
    def check_assignable(self, actor: r.User, cat: r.GroupCategory) -> None:
        self.require(actor, cat.context_type, cat.context_id, {"manage_groups_manage"})
        if cat.role == "student_organized" or (cat.context_type == "Course" and cat.self_signup == "restricted"):
            raise E.BadRequest({})

    def distribute(self, cat: r.GroupCategory, *, by_section: bool = False) -> list[r.GroupMembership]:
        """GroupCategory#assign_unassigned_members: the unassigned students, in random order, each to
        the smallest group with room (water-filling), so sizes differ by at most one where limits
        allow. ``by_section`` prefers a group whose members share the student's section. Bulk
        inserts, as Canvas's bulk_insert; auto_leader is applied afterwards.

        In every kind of category (``GroupCategory#unassigned_users``): in one that allows multiple
        memberships (student-organized, communities) everyone counts as unassigned, so everyone
        is placed, each in a group they are not in yet (the ``split_group_count`` of a PUT does
        this to a student-organized category; only ``assign_unassigned_members`` refuses one)."""
        groups = [self.s.get("groups", k[-1]) for k in self.s.idx["groups"]["by_category"].keys(cat.id)]
        if not groups:
            return []
        multi = cat.allows_multiple_memberships
        users = self.unassigned(cat)
        self.s.rng.shuffle(users)
        size = {g.id: self.s.memberships.accepted_count(g.id) for g in groups}
        limit = {g.id: g.max_membership or cat.group_limit for g in groups}
        sections: dict[int, set[int]] = {}
        if by_section and cat.context_type == "Course":
            for g in groups:
                sections[g.id] = set()
                for m in self.s.memberships.live(g.id):
                    sections[g.id] |= self.s.policy.section_ids(m.user_id, cat.context_id)
        created: list[r.GroupMembership] = []
        now = self.s.now()
        for u in users:
            open_groups = [g for g in groups if (limit[g.id] is None or size[g.id] < limit[g.id])
                           and not (multi and self.s.memberships.of_pair(g.id, u.id) is not None)]
            if not open_groups:
                continue  # full everywhere (then for everyone after), or already in every group
            if sections:
                mine = self.s.policy.section_ids(u.id, cat.context_id)
                same = [g for g in open_groups if not sections[g.id] or sections[g.id] & mine]
                open_groups = same or open_groups
            target = min(open_groups, key=lambda g: (size[g.id], g.name.casefold(), g.id))
            with self.s.bulk("memberships"):  # GroupMembership.bulk_insert: no callbacks
                m = self.s.insert("memberships", group_id=target.id, user_id=u.id, workflow_state="accepted",
                                  created_at=now, updated_at=now)
            size[target.id] += 1
            if sections:
                sections[target.id] |= self.s.policy.section_ids(u.id, cat.context_id)
            created.append(m)
        if cat.auto_leader:
            for g in groups:
                if g.leader_id is None:
                    self.s.memberships.choose_leader(g)
        return created

    def new_members_json(self, cat: r.GroupCategory, memberships: list[r.GroupMembership]) -> list[dict[str, Any]]:
        """The sync answer: ``[{"id": group_id, "new_members": [group_member_json...]}]``."""
        by_group: dict[int, list[dict[str, Any]]] = {}
        for m in memberships:
            u = self.s.get("users", m.user_id)
            secs = []
            if cat.context_type == "Course":
                for sid in sorted(self.s.policy.section_ids(u.id, cat.context_id)):
                    sec = self.s.get("sections", sid)
                    secs.append({"section_id": sec.id, "section_code": sec.name})
            by_group.setdefault(m.group_id, []).append(
                {"user_id": u.id, "name": u.name, "display_name": u.short_name, "sections": secs})
        return [{"id": gid, "new_members": members} for gid, members in by_group.items()]

    # -- CSV ---------------------------------------------------------------------------------
    def export_csv(self, actor: r.User, cat: r.GroupCategory) -> str:
        """Columns of group_categories_controller#export: name, canvas_user_id, [user_id],
        login_id, sections, group_name, then canvas_group_id, [group_id] when any membership exists."""
        ctx = self.require(actor, cat.context_type, cat.context_id, {"manage_groups_manage"})
        sis = "read_sis" in ctx or "manage_sis" in ctx
        member_of: dict[int, r.Group] = {}
        for k in self.s.idx["groups"]["by_category"].keys(cat.id):
            g = self.s.get("groups", k[-1])
            for m in self.s.memberships.live(g.id):
                if m.workflow_state == "accepted":
                    member_of[m.user_id] = g
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        header = ["name", "canvas_user_id"] + (["user_id"] if sis else []) + ["login_id", "sections", "group_name"]
        if member_of:
            header += ["canvas_group_id"] + (["group_id"] if sis else [])
        w.writerow(header)
        for u in self.candidates(cat):
            names = []
            if cat.context_type == "Course":
                names = [self.s.get("sections", sid).name for sid in sorted(self.s.policy.section_ids(u.id, cat.context_id))]
            g = member_of.get(u.id)
            row = [u.sortable_name, u.id] + ([u.sis_user_id or ""] if sis else []) + [
                u.login_id or "", _to_sentence(names), g.name if g else ""]
            if member_of:
                row += [g.id if g else ""] + ([(g.sis_group_id or "") if g else ""] if sis else [])
            w.writerow(row)
        return out.getvalue()

    def check_importable(self, actor: r.User, cat: r.GroupCategory) -> None:
        self.require(actor, cat.context_type, cat.context_id, {"manage_groups_add"})
        if cat.protected:
            raise E.ProtectedCategory()

    def import_csv(self, cat: r.GroupCategory, data: bytes, extension: str = "csv"):
        """The CSV import job (GroupAndMembershipImporter): a generator of steps that
        ProgressOps drives (mockcanvas.store.category_import). Raises ValueError with Canvas's
        failure messages."""
        return CategoryImport(self.s, cat.id, data, extension).steps()


def _time(value: Any) -> datetime | None:
    """ActiveRecord's cast of a time attribute from a parameter: ISO 8601 (``Z`` or an offset;
    a naive time is UTC) to an aware UTC time; anything unparseable to None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _to_sentence(items: list[str]) -> str:
    """Array#to_sentence: "A", "A and B", "A, B, and C"."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f", and {items[-1]}"


# -- the area's tables, indexes, operations and live events (mockcanvas.store.registry) ---------
RECORDS = {"group_categories": r.GroupCategory}
SIS_FORMS = {"group_categories": {"sis_group_category_id": "by_sis"}}
OPS = ("categories", CategoryOps)


def INDEXES() -> dict:
    return {
        "group_categories": {
            "by_context": SortedIndex(
                lambda c: (c.context_type, c.context_id) if c.deleted_at is None else None,
                lambda c: (c.id,),
            ),
            "by_sis": UniqueIndex(lambda c: c.sis_group_category_id if c.deleted_at is None else None),
        },
    }


def category_event_body(store: Store, rec: r.GroupCategory) -> dict[str, Any]:
    """get_group_category_data (lib/canvas/live_events.rb)."""
    return stringify_ids({
        "group_category_id": store.global_id(rec.id),
        "group_category_name": rec.name,
        "context_id": rec.context_id,  # local, as Canvas's get_group_category_data
        "context_type": rec.context_type,
        "group_limit": rec.group_limit,
    })


LIVE_EVENTS = {"group_categories": simple_events("group_category", category_event_body)}
