"""Accounts, sub-accounts and account admins: the tables, indexes, rules and live events.

Mirrors ``Account`` (app/models/account.rb), ``AccountsController#update_api`` (the validations),
``SubAccountsController#create``/``#destroy`` (app/controllers/sub_accounts_controller.rb) and
``Canvas::LiveEvents`` account events (canvas-facts-courses-users sections 7 and 9). Read from
canvas-lms beyond the facts file:

* app/models/account.rb (``set_policy``): ``:read`` is held by admins of the account or an ancestor
  and by users with an "admin" enrollment in a course *directly* in the account
  (``Enrollment.admin``: a Teacher/TA/Designer enrollment that is not deleted, in a created or
  claimed course, or active in an available course); ``:manage`` only by admins. ``:read_terms`` on
  a root account: its admins, admins of any account under it (``cached_all_account_users_for``),
  and users with a not-deleted Teacher or TA enrollment in any of its courses
  (``enrollments.active.of_instructor_type``; ``Enrollment.active`` only leaves out deleted ones).
  ``course_count`` is the active courses directly in the account, ``sub_account_count`` its active
  direct children; ``find_child`` finds any account below (deleted ones too).
* app/controllers/accounts_controller.rb ``update_api``: every error is collected first; any
  unauthorized part (``sis_account_id`` on a root or without root ``manage_sis``, settings without
  manage_account_settings, quotas without manage_storage_quotas) answers 401 with the whole errors
  hash, else a validation error 400, else the save. Quotas must match ``/\\A[+-]?\\d+\\z/`` after
  strip ("An integer value is required"), be >= 0 ("Value must be positive") and < 2**62 / 1 MB
  ("Value too large"). Only the API settings ``restrict_student_past_view``,
  ``restrict_student_future_view``, ``restrict_student_future_listing``,
  ``restrict_quantitative_data``, ``lock_all_announcements``, ``sis_assignment_name_length_input``
  and ``conditional_release`` are kept; ``services`` toggles the services shown to the UI and adds
  ``services`` to the answer.
* app/controllers/sub_accounts_controller.rb: ``:id`` and ``account[parent_account_id]`` go through
  Ruby ``to_i`` (so ``sis_account_id:X`` there is 404); delete checks courses (409), then active
  sub-accounts (409), then the root (401), each with a ``{"message"}`` body; ``sis_account_id`` on
  create needs ``manage_sis`` on the URL account (401 message).

INFERRED (not read in the source, see Limitations of ``mockcanvas.api.accounts``): the 2025
``parent_account_id`` move rules beyond "You cannot move a root account." (the new parent must be
an active account of the same root account that the caller manages, not one below the account:
``account_chain_loop``'s message); the quota setters' "nothing above 0, or the inherited value,
means inherit"; the account SIS uniqueness message (the one terms use), counting the root
account's own SIS id; the name length message (Rails' ``too_long``); the services list and
defaults; ``manage_sis`` and ``import_sis`` held only by admins of the root account (they are
root-account permissions in the permissions registry).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import bounded_digits, digits_int, ruby_to_i, ruby_to_s, stringify_ids, to_bool
from ..events import RequestSource, current_source
from ..time_zones import zone_name
from . import records as r
from .base import SortedIndex, UniqueIndex, fold
from .live import simple_events
from .policy import ADMIN_RIGHTS

if TYPE_CHECKING:
    from . import Store

RECORDS = {"accounts": r.Account, "admins": r.AccountAdmin}
SIS_FORMS = {"accounts": {"sis_account_id": "by_sis", "sis_integration_id": "by_integration",
                          "uuid": "by_uuid", "lti_context_id": "by_lti_context"}}

MB = 1024 * 1024
QUOTA_LIMIT = 2**62 // MB  # "Value too large" from here on
QUOTAS = ("default_storage_quota_mb", "default_user_storage_quota_mb", "default_group_storage_quota_mb")
API_SETTINGS = {  # permitted_api_account_settings -> the keys each keeps
    "restrict_student_past_view": ("value", "locked"), "restrict_student_future_view": ("value", "locked"),
    "restrict_student_future_listing": ("value", "locked"), "restrict_quantitative_data": ("value", "locked"),
    "lock_all_announcements": ("value", "locked"), "sis_assignment_name_length_input": ("value",),
    "conditional_release": ("value", "locked"),
}
# Account.services_exposed_to_ui_hash (AccountServices.allowable_services with expose_to_ui) for an
# ordinary admin, and whether each is on by default (INFERRED: the plugins of a bare install)
SERVICES = {"google_docs_previews": True, "skype": False, "delicious": False, "avatars": False}
ADMIN_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"})
INSTRUCTOR_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment"})
MAX_NAME = 255
# Canvas account permissions an AccountAdmin holds (RoleOverride.permissions true for AccountAdmin)
# besides the rights the policy models; anything not listed answers false
ADMIN_PERMISSIONS = ADMIN_RIGHTS | {
    "manage", "update", "delete", "read_terms", "read_files", "read_outcomes", "launch_external_tool",
    "become_user", "import_sis", "manage_account_memberships", "manage_admin_users", "manage_alerts",
    "manage_role_overrides", "manage_user_notes", "manage_developer_keys", "manage_outcomes",
    "manage_rubrics", "manage_files_add", "manage_files_edit", "manage_files_delete", "read_course_content",
    "read_reports", "view_statistics", "view_analytics", "view_notifications", "manage_calendar",
    "manage_interaction_alerts", "moderate_forum", "post_to_forum", "read_announcements",
    "read_forum", "read_question_banks", "manage_feature_flags", "view_feature_flags",
}
SUB_ADMIN_PERMISSIONS = ADMIN_PERMISSIONS - {"manage_sis", "import_sis"}

MSG_NAME_BLANK = "The account name cannot be blank"
MSG_ZONE = "'{}' is not a recognized time zone"
MSG_NOT_SETTINGS = "You are not allowed to manage account settings"
MSG_NOT_QUOTAS = "You are not allowed to manage quota settings"
MSG_INTEGER = "An integer value is required"
MSG_POSITIVE = "Value must be positive"
MSG_TOO_LARGE = "Value too large"
MSG_SIS_ROOT = "Cannot set sis_account_id on a root_account."
MSG_SIS_MANAGE = "To change sis_account_id the user must have manage_sis permission."
MSG_MOVE_ROOT = "You cannot move a root account."
MSG_MOVE_PARENT = "You are not allowed to manage the new parent account."  # INFERRED
MSG_NAME_REQUIRED = "Account name is required"
MSG_SIS_CREATE = "user not authorized to manage SIS data - account[sis_account_id]"
MSG_DELETE_COURSES = "You can't delete a sub-account that has courses in it."
MSG_DELETE_SUBS = "You can't delete a sub-account that has sub-accounts in it."
MSG_DELETE_ROOT = "You can't delete a root_account."


class Refused(E.BadRequest):
    """A body Canvas renders as is with an explicit status (``render json: {message: ...},
    status: :conflict``): the auth-error setting does not turn these 401s into 403s."""

    def __init__(self, body: Any, status: int) -> None:
        super().__init__(body)
        self.status = status


class AccountErrors(E.CanvasError):
    """``@account.errors`` rendered with an explicit status: 400, or 401 when a part was
    unauthorized. Entries keep their order; ``type`` is the message for string errors."""

    def __init__(self) -> None:
        super().__init__()
        self.status = 400
        self.entries: list[tuple[str, str, str]] = []

    def add(self, attribute: str, message: str, type_: str | None = None) -> None:
        self.entries.append((attribute, type_ or message, message))

    def body(self) -> Any:
        out: dict[str, list[dict[str, str]]] = {}
        for attribute, type_, message in self.entries:
            out.setdefault(attribute, []).append({"attribute": attribute, "type": type_, "message": message})
        return {"errors": out}


def _live(a: r.Account) -> bool:
    return a.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "accounts": {
            "by_sis": UniqueIndex(lambda a: a.sis_account_id),
            "by_integration": UniqueIndex(lambda a: a.integration_id),
            "by_uuid": UniqueIndex(lambda a: a.uuid or None),
            "by_lti_context": UniqueIndex(lambda a: a.lti_context_id),
            # an account's active sub-accounts, by id
            "by_parent": SortedIndex(lambda a: a.parent_account_id if _live(a) else None, lambda a: (a.id,)),
            "by_parent_name": SortedIndex(lambda a: a.parent_account_id if _live(a) else None,
                                          lambda a: (fold(a.name), a.id)),
            # every account of a root account's tree but the root, deleted ones too (SIS uniqueness)
            "by_root": SortedIndex(lambda a: a.root_account_id, lambda a: (a.id,)),
            "roots": SortedIndex(lambda a: 0 if a.parent_account_id is None else None, lambda a: (a.id,)),
        },
        "admins": {
            "by_user": SortedIndex(lambda a: a.user_id, lambda a: (a.id,)),
            "by_account": SortedIndex(lambda a: a.account_id, lambda a: (a.id,)),
        },
    }


def _blank(value: Any) -> bool:
    """Rails ``blank?``: nil, false, empty or whitespace-only strings, empty collections."""
    return value is None or value is False or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (dict, list)) and not value)


_INTEGER = re.compile(r"\A[+-]?[0-9]+\Z")


def _scalar(value: Any) -> bool:
    """What strong parameters permit for a scalar key (a hash or array value is dropped)."""
    return value is None or isinstance(value, (str, int, float, bool))


class AccountOps:
    """``store.accounts``: lookups, rights, the account tree and the writes of the Accounts API."""

    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def find(self, ref: Any, user: r.User | None) -> r.Account:
        """An account path id as get_context / api_find resolve it: an id (local or global),
        ``self`` (the domain root account: the caller's), ``default`` (the first root account),
        ``sis_account_id:``, ``sis_integration_id:``, ``uuid:``, ``lti_context_id:`` (and their
        ``hex:`` forms). ``site_admin`` is not modelled: 404. Deleted accounts are not found."""
        if ref == "self":
            if user is None:
                raise E.NotFound()
            ref = self.s.people.root_account_id(user.account_id)
        elif ref == "default":
            roots = self.s.idx["accounts"]["roots"].ids(0)
            if not roots:
                raise E.NotFound()
            ref = roots[0]
        return self.s.find("accounts", ref)

    @staticmethod
    def is_root(a: r.Account) -> bool:
        return a.parent_account_id is None

    def root_of(self, a: r.Account) -> r.Account:
        if a.root_account_id is None:
            return a
        return self.s.get("accounts", a.root_account_id) or a

    def children(self, account_id: int) -> list[int]:
        """Active direct sub-accounts, by id (``account.sub_accounts``)."""
        return self.s.idx["accounts"]["by_parent"].ids(account_id)

    def children_view(self, account_id: int, by_name: bool = False) -> Any:
        """The same ids without copying them (paging a long list costs its page); ``by_name``:
        by name (case-insensitive), then id."""
        return self.s.idx["accounts"]["by_parent_name" if by_name else "by_parent"].id_view(account_id)

    def subtree(self, account_id: int) -> list[int]:
        """Every active account below, level by level (``Account.sub_accounts_recursive``: its
        recursive query's order is not specified; INFERRED), each parent's children by id."""
        out: list[int] = []
        level = [account_id]
        while level:
            nxt = [c for p in level for c in self.children(p)]
            out.extend(nxt)
            level = nxt
        return out

    def course_count(self, a: r.Account) -> int:
        """``courses.active.count``: the not-deleted courses directly in the account."""
        return len(self.s.idx["courses"]["live_by_account"].keys(a.id))

    def sub_account_count(self, a: r.Account) -> int:
        return len(self.s.idx["accounts"]["by_parent"].keys(a.id))

    def find_child(self, url_account: r.Account, ref: Any) -> r.Account:
        """``subaccount_or_self`` (sub_accounts_controller.rb): the id through Ruby ``to_i``; the URL
        account itself, or any account below it, deleted ones too; else 404."""
        rid = ruby_to_i(ref) if isinstance(ref, (str, int)) and not isinstance(ref, bool) else 0
        if rid == url_account.id:
            return url_account
        target = self.s.get("accounts", rid) if 0 < rid < 2**63 else None
        if target is None or url_account.id not in self.s.policy.account_chain(target.id):
            raise E.NotFound()
        return target

    # -- quotas and zone (inherited down the chain) ----------------------------------------
    def _inherited(self, a: r.Account | None, field: str, default: int) -> int:
        while a is not None:
            value = getattr(a, field)
            if value is not None:
                return value
            a = self.s.get("accounts", a.parent_account_id) if a.parent_account_id else None
        return default

    def storage_quota_mb(self, a: r.Account) -> int:
        return self._inherited(a, "default_storage_quota_mb", 500)

    def user_storage_quota_mb(self, a: r.Account) -> int:
        return a.default_user_storage_quota_mb if a.default_user_storage_quota_mb is not None else 50

    def group_storage_quota_mb(self, a: r.Account) -> int:
        return self._inherited(a, "default_group_storage_quota_mb", self.s.settings.group_default_quota_mb)

    def time_zone(self, a: r.Account) -> str:
        """Account#default_time_zone: its own, else its root account's (else UTC)."""
        return a.default_time_zone or self.root_of(a).default_time_zone or "Etc/UTC"

    def _quota_value(self, a: r.Account | None, parent: r.Account | None, field: str, value: Any) -> int | None:
        """The quota setters: Ruby to_i; nothing above 0, or the inherited value, means inherit."""
        mb = ruby_to_i(value) if value is not None and not isinstance(value, bool) else 0
        if mb <= 0:
            return None
        if field == "default_user_storage_quota_mb":
            return None if mb == 50 else mb
        if parent is not None:
            inherited = (self.storage_quota_mb(parent) if field == "default_storage_quota_mb"
                         else self.group_storage_quota_mb(parent))
            if mb == inherited:
                return None
        return mb

    # -- rights ----------------------------------------------------------------------------
    def _admin_enrollment_courses(self, user: r.User, types: frozenset[str], strict: bool):
        get = self.s.rows["enrollments"].get
        for eid in self.s.idx["enrollments"]["by_user"].ids(user.id):
            e = get(eid)
            if e is None or e.type not in types or e.workflow_state == "deleted":
                continue
            c = self.s.get("courses", e.course_id)
            if c is None:
                continue
            # Enrollment.admin: unpublished courses, or an active enrollment in an available one
            if not strict or c.workflow_state in ("created", "claimed") or (
                    e.workflow_state == "active" and c.workflow_state == "available"):
                yield c

    def course_admin_account_ids(self, user: r.User) -> set[int]:
        return {c.account_id for c in self._admin_enrollment_courses(user, ADMIN_TYPES, True)}

    def _admin_in_tree(self, user: r.User, root_id: int) -> bool:
        for aid in self.s.idx["admins"]["by_user"].ids(user.id):
            au = self.s.get("admins", aid)
            acc = self.s.get("accounts", au.account_id) if au.workflow_state == "active" else None
            if acc is not None and _live(acc) and root_id in (acc.id, acc.root_account_id):
                return True
        return False

    def rights(self, user: r.User | None, a: r.Account) -> frozenset[str]:
        """Account#set_policy, reduced: admins (of the account or above) hold every admin
        permission; course admins of a course directly in it may ``read``; a root account's
        ``read_terms`` also goes to admins anywhere in its tree and to its teachers and TAs."""
        if user is None:
            return frozenset()
        if self.s.policy.is_admin_of(user, a.id):
            # manage_sis and import_sis are root-account permissions: not for sub-account admins
            return ADMIN_PERMISSIONS if self.s.policy.is_admin_of(user, self.root_of(a).id) else SUB_ADMIN_PERMISSIONS
        rights: set[str] = set()
        if a.id in self.course_admin_account_ids(user):
            rights |= {"read", "read_files"}
        if self.is_root(a) and (self._admin_in_tree(user, a.id) or any(
                c.root_account_id == a.id for c in self._admin_enrollment_courses(user, INSTRUCTOR_TYPES, False))):
            rights.add("read_terms")
        return frozenset(rights)

    def require(self, user: r.User | None, a: r.Account, *any_of: str) -> frozenset[str]:
        rights = self.rights(user, a)
        if not rights.intersection(any_of):
            raise E.Unauthorized()
        return rights

    def _sorted(self, ids: Any) -> list[r.Account]:
        found = (self.s.get("accounts", i) for i in ids)
        return sorted((a for a in found if a is not None and _live(a)), key=lambda a: (fold(a.name), a.id))

    def admin_accounts(self, user: r.User) -> list[r.Account]:
        """AccountsController#index: the accounts of the caller's active admin rows (not their
        sub-accounts), by Account::Bookmarker (name, id)."""
        ids = {au.account_id for au in (self.s.get("admins", i) for i in self.s.idx["admins"]["by_user"].ids(user.id))
               if au is not None and au.workflow_state == "active"}
        return self._sorted(ids)

    def course_accounts(self, user: r.User) -> list[r.Account]:
        """AccountsController#course_accounts: the accounts of the caller's admin-enrollment courses."""
        return self._sorted(self.course_admin_account_ids(user))

    # -- writes ----------------------------------------------------------------------------
    def _sis_taken(self, root: r.Account, sis: str, own_id: int | None) -> bool:
        """verify_unique_sis_source_id: any account of the root account's tree (deleted too)."""
        found = self.s.idx["accounts"]["by_sis"].get(sis)
        if found is not None and found != own_id:
            other = self.s.get("accounts", found)
            return other is not None and self.root_of(other).id == root.id
        return False

    def update(self, user: r.User, a: r.Account, params: dict[str, Any]) -> set[str]:
        """AccountsController#update_api; returns the includes the answer adds (``services``)."""
        rights = self.require(user, a, "manage_account_settings", "manage_storage_quotas")
        given = params.get("account") if isinstance(params.get("account"), dict) else {}
        errs = AccountErrors()
        unauthorized = False
        changes: dict[str, Any] = {}
        includes: set[str] = set()
        root = self.root_of(a)
        settings = dict(a.settings)
        if "sis_account_id" in given:
            sis = given["sis_account_id"]
            if not self.is_root(a) and "manage_sis" in self.rights(user, root):
                if isinstance(sis, (str, int)) and not isinstance(sis, bool):
                    changes["sis_account_id"] = None if _blank(sis) else str(sis)
                elif sis is None:
                    changes["sis_account_id"] = None
            else:
                errs.add("unauthorized", MSG_SIS_ROOT if self.is_root(a) else MSG_SIS_MANAGE)
                unauthorized = True
        if "parent_account_id" in given:
            unauthorized |= self._move(user, a, given["parent_account_id"], errs, changes)
        services = given.get("services")
        if isinstance(services, dict) and "manage_account_settings" in rights:
            current = dict(settings.get("services", ()))
            for key, value in services.items():
                if key in SERVICES:
                    current[key] = bool(to_bool(value))
            settings["services"] = tuple(sorted(current.items()))
            includes.add("services")
        if "course_template_id" in given:
            self._course_template(a, given["course_template_id"], changes)
        asked = [k for k in ("name", "default_time_zone") if k in given and _scalar(given[k])]
        if isinstance(given.get("settings"), dict):
            asked.append("settings")
        if asked:
            if "manage_account_settings" in rights:
                for key, value in given.get("settings", {}).items() if "settings" in asked else ():
                    if key in API_SETTINGS and isinstance(value, dict):
                        settings[key] = self._setting(key, value)
                if "name" in asked:
                    if _blank(given["name"]):
                        errs.add("name", MSG_NAME_BLANK)
                    else:
                        changes["name"] = str(given["name"])
                if "default_time_zone" in asked:
                    zone = zone_name(given["default_time_zone"])
                    if zone is None:
                        errs.add("default_time_zone", MSG_ZONE.format(ruby_to_s(given["default_time_zone"])))
                    changes["default_time_zone"] = zone
            else:
                for key in asked:
                    errs.add(key, MSG_NOT_SETTINGS)
                unauthorized = True
        quotas = [k for k in QUOTAS if k in given and _scalar(given[k])]
        if quotas:
            if "manage_storage_quotas" in rights:
                parent = self.s.get("accounts", a.parent_account_id) if a.parent_account_id else None
                for key in quotas:
                    text = ruby_to_s(given[key]).strip()
                    if not _INTEGER.match(text):
                        errs.add(key, MSG_INTEGER)
                        continue
                    number = bounded_digits(text)  # a huge quota: too large, not a 500
                    if number < 0:
                        errs.add(key, MSG_POSITIVE)
                    if number >= QUOTA_LIMIT:
                        errs.add(key, MSG_TOO_LARGE)
                    changes[key] = self._quota_value(a, parent, key, text)
            else:
                for key in quotas:
                    errs.add(key, MSG_NOT_QUOTAS)
                unauthorized = True
        if unauthorized:
            errs.status = 401
            raise errs
        self._validate(a, root, changes, errs)
        if errs.entries:
            raise errs
        if tuple(sorted(settings.items())) != tuple(sorted(dict(a.settings).items())):
            changes["settings"] = tuple(sorted(settings.items()))
        with self.s.lock:
            if any(getattr(a, k) != v for k, v in changes.items()):
                changes["updated_at"] = self.s.now()
            self.s._update("accounts", a, **changes)
        return includes

    def _validate(self, a: r.Account | None, root: r.Account, changes: dict[str, Any], errs: AccountErrors) -> None:
        """The model's validations at save: name length, SIS id uniqueness in the root account."""
        name = changes.get("name")
        if name is not None and len(name) > MAX_NAME:
            errs.add("name", "is too long (maximum is 255 characters)", "too_long")
        sis = changes.get("sis_account_id")
        if sis is not None and self._sis_taken(root, sis, a.id if a is not None else None):
            errs.add("sis_source_id", f'SIS ID "{sis}" is already in use')

    def _move(self, user: r.User, a: r.Account, ref: Any, errs: AccountErrors, changes: dict[str, Any]) -> bool:
        """``account[parent_account_id]`` (2025): roots cannot move; the new parent is an active
        account of the same root account that the caller manages and not one below the account
        (INFERRED messages). Returns whether the move was unauthorized."""
        if self.is_root(a):
            errs.add("unauthorized", MSG_MOVE_ROOT)
            return True
        root = self.root_of(a)
        rid = ref if isinstance(ref, int) and not isinstance(ref, bool) else digits_int(ref)
        parent = self.s.get("accounts", rid) if rid is not None and rid < 2**63 else None
        if parent is None or not _live(parent) or self.root_of(parent).id != root.id:
            raise E.NotFound()
        if "manage_account_settings" not in self.rights(user, parent):
            errs.add("unauthorized", MSG_MOVE_PARENT)
            return True
        if parent.id == a.id or a.id in self.s.policy.account_chain(parent.id):
            errs.add("parent_account_id", f"Setting account {a.sis_account_id or a.id}'s parent to "
                                          f"{parent.sis_account_id or parent.id} would create a loop")
        changes["parent_account_id"] = parent.id
        return False

    def _course_template(self, a: r.Account, value: Any, changes: dict[str, Any]) -> None:
        """set_course_template: blank unsets, 0 means "no template" (nil on a root account); any
        other id must be a template course of the root account, and the mock has none: 404."""
        if _blank(value):
            changes["course_template_id"] = None
        elif ruby_to_s(value) == "0":
            changes["course_template_id"] = None if self.is_root(a) else 0
        elif not (isinstance(value, (str, int)) and ruby_to_i(value) == a.course_template_id):
            raise E.NotFound()

    @staticmethod
    def _setting(key: str, value: dict[str, Any]) -> tuple:
        kept = []
        for part in API_SETTINGS[key]:
            if part in value:
                v = value[part]
                if key == "sis_assignment_name_length_input":  # ensure_sis_max_name_length_value!
                    n = digits_int(str(v)) if _scalar(v) else None
                    v = str(v) if n is not None and n <= 255 else 255
                else:
                    v = to_bool(v)
                kept.append((part, v))
        return tuple(kept)

    def create_sub_account(self, user: r.User, url_account: r.Account, params: dict[str, Any]) -> r.Account:
        """SubAccountsController#create."""
        self.require(user, url_account, "manage_account_settings")
        given = params.get("account")
        if not isinstance(given, dict) or not given:
            raise E.ParameterMissing("account")
        if _blank(given.get("name")) or not _scalar(given.get("name")):
            raise Refused({"message": MSG_NAME_REQUIRED}, 400)
        ref = given.get("parent_account_id")
        parent = url_account if ref is None or ref is False else self.find_child(url_account, ref)
        self.require(user, parent, "manage_account_settings")
        sis = given.get("sis_account_id")
        if sis is not None and sis is not False:
            if "manage_sis" not in self.rights(user, url_account):
                raise Refused({"message": MSG_SIS_CREATE}, 401)
            sis = str(sis) if _scalar(sis) else None
        else:
            sis = None
        root = self.root_of(url_account)
        fields: dict[str, Any] = {"name": str(given["name"]), "sis_account_id": sis}
        for key in QUOTAS:
            if key in given and _scalar(given[key]):
                fields[key] = self._quota_value(None, parent, key, given[key])
        errs = AccountErrors()
        self._validate(None, root, fields, errs)
        if errs.entries:
            raise errs
        with self.s.lock:
            now = self.s.now()
            return self.s.insert("accounts", parent_account_id=parent.id, root_account_id=root.id,
                                 default_time_zone=None, created_at=now, updated_at=now, **fields)

    def delete_sub_account(self, user: r.User, url_account: r.Account, ref: Any) -> r.Account:
        """SubAccountsController#destroy: soft delete; its admins' rows are deleted too (update_all)."""
        self.require(user, url_account, "manage_account_settings")
        target = self.find_child(url_account, ref)
        tree = [target.id, *self.subtree(target.id)]
        if any(self.s.idx["courses"]["live_by_account"].keys(aid) for aid in tree):
            raise Refused({"message": MSG_DELETE_COURSES}, 409)
        if self.children(target.id):
            raise Refused({"message": MSG_DELETE_SUBS}, 409)
        if self.is_root(target):
            raise Refused({"message": MSG_DELETE_ROOT}, 401)
        with self.s.atomic():
            for aid in list(self.s.idx["admins"]["by_account"].ids(target.id)):
                self.s._update("admins", self.s.get("admins", aid), workflow_state="deleted")
            if target.workflow_state != "deleted":
                self.s._update("accounts", target, workflow_state="deleted", updated_at=self.s.now())
        return target


def account_event_body(store: Store, a: r.Account) -> dict[str, Any]:
    """account_created / account_updated (lib/canvas/live_events.rb, 2025): global ids as strings
    (post_event_stringified); ``default_time_zone`` and ``default_locale`` are the raw columns
    (null when inherited); ``domain`` is the request's host (the root account's domain)."""
    g = store.global_id
    root = store.accounts.root_of(a)
    source = current_source()
    return stringify_ids({
        "name": a.name,
        "account_id": g(a.id),
        "root_account_id": g(root.id),
        "root_account_uuid": root.uuid,
        "parent_account_id": g(a.parent_account_id),
        "external_status": None,
        "workflow_state": a.workflow_state,
        "domain": source.hostname if isinstance(source, RequestSource) else None,
        "default_time_zone": a.default_time_zone,
        "default_locale": a.default_locale,
    })


OPS = ("accounts", AccountOps)
LIVE_EVENTS = {"accounts": simple_events("account", account_event_body)}
