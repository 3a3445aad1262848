"""Enrollment terms (app/models/enrollment_term.rb): the record, its table, indexes and rules.

Terms belong to root accounts; every root account has a ``Default Term`` (no dates), which the
world loader makes when a world names none. ``overrides`` holds the per-enrollment-type dates
(``EnrollmentDatesOverride``) as ``((type, start_at, end_at), ...)`` in creation order: immutable,
so that a shallow copy of the row is a full snapshot.

Read from canvas-lms beyond canvas-facts-courses-users section 8:

* app/models/enrollment_term.rb: the default term is the term *named* "Default Term"
  (``default_term?``; ``Account#default_enrollment_term`` is the first active one): renaming it
  makes it deletable, naming another one so makes that one the default. The mock keeps the
  record's ``default`` flag equal to that rule on every write. ``check_if_deletable`` runs only
  when the state changes to deleted (default term, then "active" = not deleted courses).
  ``verify_unique_sis_source_id`` looks at every term of the root account, deleted ones too.
  ``set_overrides`` classifies each type and replaces the override's two dates (a date not sent
  becomes null). ``course_counts``: not-deleted courses.
* app/controllers/terms_api_controller.rb: ``workflow_state[]`` is intersected with
  active/deleted/all (nothing valid: active); ``term_name`` is ``name ILIKE '%<term_name>%'``
  (``%`` and ``_`` in it are wildcards); order ``start_at DESC, end_at DESC, id ASC`` (Postgres
  puts NULLs first in a DESC order); show finds deleted terms too.
* app/controllers/terms_controller.rb: ``params.require(:enrollment_term)``; overrides checked
  (``keys.map(&:classify)`` within Student/Teacher/Ta/DesignerEnrollment), then the SIS id
  (``sis_source_id || sis_term_id``; not a String or Numeric: "Invalid SIS ID"), then
  ``handle_sis_id_param`` (only with root ``manage_sis``, and not when it equals the account's own
  SIS id), then the dates (``validate_dates``: an end before its start, in the request's own
  pairs, is ``base: "End dates cannot be before start dates"``), then the save. Update finds only
  active terms; delete finds deleted ones too and answers the term without includes.
* spec/apis/v1/terms_api_spec.rb (2022-24): the list and show are allowed to admins of any account
  of the root account (sub-account admins too) and to teachers; writes need manage_account_settings
  on the root account itself.

Limitations: dates are parsed as ISO 8601 only (Rails' ``Time.zone.parse`` takes more forms); a
naive date is read in the caller's time zone; an ``overrides`` value that is not a hash (a 500 in
Canvas) is "Invalid enrollment type in overrides"; ``default`` finds nothing when the root account
has no default term (Canvas creates one); grading period groups are not modelled (null).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .. import errors as E
from ..time_zones import zone_name
from ..timefmt import as_utc
from . import records as r
from .accounts import Refused
from .base import SortedIndex, UniqueIndex

if TYPE_CHECKING:
    from . import Store

DEFAULT_TERM_NAME = "Default Term"
OVERRIDE_TYPES = ("StudentEnrollment", "TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")
MSG_ROOT_ONLY = "Terms only belong to root_accounts."
MSG_OVERRIDE_TYPE = "Invalid enrollment type in overrides"
MSG_INVALID_SIS = "Invalid SIS ID"
MSG_DATES = "End dates cannot be before start dates"
MSG_DELETE_DEFAULT = "Cannot delete the default term"
MSG_DELETE_COURSES = "Cannot delete a term with active courses"


@dataclass(slots=True)
class Term:
    id: int
    root_account_id: int
    name: str
    start_at: datetime | None = None
    end_at: datetime | None = None
    sis_term_id: str | None = None
    integration_id: str | None = None
    overrides: tuple = ()
    grading_period_group_id: int | None = None
    workflow_state: str = "active"  # active | deleted
    default: bool = False  # the root account's default term: cannot be deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"terms": Term}
SIS_FORMS = {"terms": {"sis_term_id": "by_sis"}}


def _desc_nulls_first(dt: datetime | None) -> tuple:
    return (0, 0.0) if dt is None else (1, -as_utc(dt).timestamp())


def list_order(t: Term) -> tuple:
    """``start_at DESC, end_at DESC, id ASC`` with Postgres' NULLs first."""
    return (*_desc_nulls_first(t.start_at), *_desc_nulls_first(t.end_at), t.id)


def INDEXES() -> dict:
    return {
        "terms": {
            "by_account": SortedIndex(lambda t: t.root_account_id, lambda t: (t.id,)),
            # SIS ids are unique within a root account
            "by_sis": UniqueIndex(lambda t: t.sis_term_id if t.workflow_state != "deleted" else None),
            # the Terms API: a root account's terms in the list order, all and by state
            "listed": SortedIndex(lambda t: t.root_account_id, list_order),
            "listed_by_state": SortedIndex(lambda t: (t.root_account_id, t.workflow_state), list_order),
            "by_root_sis": UniqueIndex(lambda t: (t.root_account_id, t.sis_term_id) if t.sis_term_id else None),
            "by_root_integration": UniqueIndex(
                lambda t: (t.root_account_id, t.integration_id) if t.integration_id else None),
        },
    }


def classify(name: str) -> str:
    """ActiveSupport ``classify`` for the enrollment type names: singular, camelized."""
    name = name.rsplit(".", 1)[-1]
    if name.endswith("s") and not name.endswith("ss"):
        name = name[:-1]
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def ilike_contains(value: str | None, pattern: str) -> bool:
    """``value ILIKE '%pattern%'``: ``%`` any run, ``_`` any one character, ``\\`` escapes."""
    if value is None:
        return False
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.search("".join(out), value, re.IGNORECASE | re.DOTALL) is not None


def parse_time(value: Any, zone: str) -> datetime | None:
    """A datetime parameter as ActiveRecord casts it: ISO 8601 (a naive value in ``zone``), UTC;
    anything that does not parse is nil."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=ZoneInfo(zone))
        return dt.astimezone(timezone.utc)
    except (ValueError, OverflowError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _presence(value: Any) -> str | None:
    if value is None or value is False or (isinstance(value, str) and not value.strip()):
        return None
    return str(value)


class TermOps:
    """``store.terms``: the Enrollment Terms API's reads and writes."""

    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def root_context(self, account: r.Account) -> r.Account:
        """``require_root_account``: 400 ``{"message": "Terms only belong to root_accounts."}``."""
        if account.parent_account_id is not None:
            raise Refused({"message": MSG_ROOT_ONLY}, 400)
        return account

    @staticmethod
    def is_default(t: Term) -> bool:
        return t.name == DEFAULT_TERM_NAME or t.default

    def of_root(self, root_id: int) -> list[Term]:
        return [self.s.get("terms", i) for i in self.s.idx["terms"]["by_account"].ids(root_id)]

    def default_term(self, root_id: int) -> Term | None:
        """``Account#default_enrollment_term``: the first active term named "Default Term"."""
        for t in self.of_root(root_id):
            if t.workflow_state != "deleted" and self.is_default(t):
                return t
        return None

    def find(self, root: r.Account, ref: Any, *, active_only: bool = False) -> Term:
        """api_find over the root account's terms: an id, ``default``, ``current`` (the one active
        term whose dates contain now; none if 0 or several), ``sis_term_id:`` and
        ``sis_integration_id:`` (``hex:`` forms too)."""
        term: Term | None = None
        if ref == "default":
            term = self.default_term(root.id)
        elif ref == "current":
            now = self.s.now()
            found = [t for t in self.of_root(root.id) if t.workflow_state != "deleted" and t.start_at is not None
                     and t.end_at is not None and as_utc(t.start_at) <= now <= as_utc(t.end_at)]
            term = found[0] if len(found) == 1 else None
        elif isinstance(ref, str):
            rid = self.s.path_id(ref)
            if rid is not None:
                term = self.s.get("terms", rid)
            else:
                form, value = self.s.sis_ref(ref.strip())
                index = {"sis_term_id": "by_root_sis", "sis_integration_id": "by_root_integration"}.get(form)
                found = self.s.idx["terms"][index].get((root.id, value)) if index and value else None
                term = self.s.get("terms", found) if found is not None else None
        if term is None or term.root_account_id != root.id or (active_only and term.workflow_state == "deleted"):
            raise E.NotFound()
        return term

    def listed(self, root: r.Account, states: list[str], term_name: Any) -> Any:
        """The ids of the list, in its order (an O(1) view without a name filter)."""
        wanted = [s for s in states if s in ("all", "active", "deleted")] or ["active"]
        idx = self.s.idx["terms"]
        if "all" in wanted or set(wanted) == {"active", "deleted"}:
            ids = idx["listed"].id_view(root.id)
        else:
            ids = idx["listed_by_state"].id_view((root.id, wanted[0]))
        if isinstance(term_name, str) and term_name.strip():
            get = self.s.rows["terms"].get
            ids = [i for i in ids if ilike_contains(get(i).name, term_name)]
        return ids

    def course_count(self, t: Term) -> int:
        """``EnrollmentTerm.course_counts``: the term's not-deleted courses (a course without a
        term is in its root account's default term)."""
        by_term = self.s.idx["courses"]["by_term"]
        count = len(by_term.keys((t.root_account_id, t.id)))
        if t.workflow_state != "deleted":
            default = self.default_term(t.root_account_id)
            if default is not None and default.id == t.id:
                count += len(by_term.keys((t.root_account_id, None)))
        return count

    # -- rights ----------------------------------------------------------------------------
    def require_read(self, user: r.User, root: r.Account) -> None:
        self.s.accounts.require(user, root, "read_terms")

    def require_manage(self, user: r.User, root: r.Account) -> None:
        """``require_root_account_management``: manage_account_settings on the root account."""
        self.s.accounts.require(user, root, "manage_account_settings")

    # -- writes ----------------------------------------------------------------------------
    def save(self, user: r.User, root: r.Account, term: Term | None, params: dict[str, Any]) -> Term:
        """TermsController#save_and_render_response: create (``term`` None) or update."""
        body = params.get("enrollment_term")
        if not isinstance(body, dict) or not body:
            raise E.ParameterMissing("enrollment_term")
        overrides = body.get("overrides")
        if overrides is not None and overrides != "" and overrides != {}:
            if not isinstance(overrides, dict) or any(
                    classify(str(k)) not in OVERRIDE_TYPES or not isinstance(v, dict) for k, v in overrides.items()):
                raise Refused({"message": MSG_OVERRIDE_TYPE}, 400)
        else:
            overrides = {}
        sis = body.get("sis_source_id")
        if sis is None or sis is False:
            sis = body.get("sis_term_id")
        if sis is not None and sis is not False and not (
                isinstance(sis, str) or (isinstance(sis, (int, float)) and not isinstance(sis, bool))):
            raise Refused({"message": MSG_INVALID_SIS}, 400)
        changes: dict[str, Any] = {}
        if sis is not None and sis != root.sis_account_id and "manage_sis" in self.s.accounts.rights(user, root):
            changes["sis_term_id"] = _presence(sis)
        zone = zone_name(user.time_zone) or self.s.accounts.time_zone(root)
        dates = [{k: parse_time(v.get(k), zone) for k in ("start_at", "end_at")}
                 for v in (body, *overrides.values())]
        if any(d["start_at"] and d["end_at"] and d["end_at"] < d["start_at"] for d in dates):
            raise E.Invalid.one("base", MSG_DATES)
        if "name" in body and _scalar(body["name"]):
            name = body["name"]
            changes["name"] = None if name is None else ("t" if name else "f") if isinstance(name, bool) else str(name)
        for key, value in zip(("start_at", "end_at"), (dates[0]["start_at"], dates[0]["end_at"])):
            if key in body and _scalar(body[key]):
                changes[key] = value
        new_sis = changes.get("sis_term_id")
        if new_sis is not None:
            other = self.s.idx["terms"]["by_root_sis"].get((root.id, new_sis))
            if other is not None and (term is None or other != term.id):
                raise E.Invalid.one("sis_source_id", f'SIS ID "{new_sis}" is already in use')
        if overrides:
            current = {o[0]: o for o in (term.overrides if term else ())}
            for (key, values), parsed in zip(overrides.items(), dates[1:]):
                kind = classify(str(key))
                current[kind] = (kind, parsed["start_at"], parsed["end_at"])
            changes["overrides"] = tuple(current.values())
        with self.s.lock:
            now = self.s.now()
            if term is None:
                name = changes.pop("name", None)
                return self.s.insert("terms", root_account_id=root.id, name=name, default=name == DEFAULT_TERM_NAME,
                                     created_at=now, updated_at=now, **changes)
            if "name" in changes:
                changes["default"] = changes["name"] == DEFAULT_TERM_NAME
            if any(getattr(term, k) != v for k, v in changes.items()):
                changes["updated_at"] = now
            self.s._update("terms", term, **changes)
            return term

    def delete(self, user: r.User, root: r.Account, term: Term) -> Term:
        """TermsController#destroy: soft delete (``check_if_deletable`` on the state change)."""
        if term.workflow_state == "deleted":
            return term
        if self.is_default(term):
            raise E.Invalid.one("workflow_state", MSG_DELETE_DEFAULT)
        if self.course_count(term):
            raise E.Invalid.one("workflow_state", MSG_DELETE_COURSES)
        with self.s.lock:
            self.s._update("terms", term, workflow_state="deleted", updated_at=self.s.now())
        return term


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


OPS = ("terms", TermOps)
