"""``GET /api/v1/accounts/:account_id/users``: the users of an account, filtered and ordered as
UsersController#api_index and ``UserSearch`` (lib/user_search.rb, 2023-25) do.

* The users: ``User.of_account(account).active``: users associated with the account or one of its
  sub-accounts (a login in it, a live enrollment in a course of its tree, an admin row in its tree),
  not deleted. The association rules are ``User.update_account_associations`` (app/models/user.rb).
* ``search_term`` (blank: no search; shorter than 2 characters: 400): a case-insensitive substring
  of the user's ``name`` (not the sortable or short name), or the full id when the term is an id;
  plus, for callers with the right on the account, the login id (``view_user_logins``), SIS and
  integration ids (``read_sis``/``manage_sis``) and e-mail (``read_email_addresses``).
* ``enrollment_type`` (``student``, ``teacher``, ``ta``, ``observer``, ``designer``,
  ``student_view``, with or without ``Enrollment``): users with an *active* enrollment of that type
  anywhere (Canvas's account scope does not tie the enrollment to the account); anything else is
  400 ``{"errors":[{"message":"Invalid enrollment type: x"}]}`` (``RequestError``).
* ``uuids[]``: only users with those uuids; more than 100 is 400
  ``{"error":"Too many UUIDs in filter. Current limit is 100"}`` (facts section 6.4, 2025).
* Order (``order_scope``): by sortable name then id (case-insensitive) unless ``sort`` says
  ``username`` (``order=desc`` reverses it), ``email``, ``sis_id``, ``integration_id``,
  ``last_login`` (missing values last, ``desc``: ``DESC NULLS LAST, id DESC``) or ``id`` (the
  bookmark pages of ``UserSearch::Bookmarker``). Without ``sort`` the ``order`` is ignored.

Speed: the association set of an account is computed once per store version (any write starts
again) from the sorted indexes (accounts by parent, courses by account, enrollments by course,
admins by account) and kept sorted by sortable name; for a root account whose associated users all
have their login there it is the ``by_root`` index itself, so a page costs O(page). A search or a
filter scans the account's users (as Canvas's query does).

Limitations: ``role_filter_id``, ``include_deleted_users`` and the temporary-enrollment filters are
accepted and ignored; cross-listed sections are not modelled (a course's enrollments count for its
own account).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import digits_int
from . import records as r
from .base import WriteMemo, fold
from .people import ENROLLMENT_TYPE_NAMES, normalize_search_term

if TYPE_CHECKING:
    from . import Store

MAX_UUIDS = 100
MAX_ID = 2**63 - 1  # Api::MAX_ID_RANGE
SORTS = ("username", "email", "sis_id", "integration_id", "last_login", "id")
READABLE_TYPES = frozenset(ENROLLMENT_TYPE_NAMES.values())  # Enrollment.readable_types


class TooManyUuids(E.CanvasError):
    status = 400

    def body(self) -> Any:
        return {"error": f"Too many UUIDs in filter. Current limit is {MAX_UUIDS}"}


def camelize(word: str) -> str:
    """ActiveSupport's ``String#camelize`` (no acronyms): ``student_view`` -> ``StudentView``."""
    word = re.sub(r"^[a-z\d]*", lambda m: m.group(0).capitalize(), word)
    return re.sub(r"(?:_|(/))([a-z\d]*)", lambda m: (m.group(1) or "") + m.group(2).capitalize(), word,
                  flags=re.IGNORECASE)


def enrollment_types(value: Any) -> list[str] | None:
    """``enrollment_type`` as Canvas's class names (None when not given); 400 for an unknown one
    (``UserSearch.roles_scope``: camelized, ``Enrollment`` appended, then looked up)."""
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        key = v if isinstance(v, str) else str(v)
        name = camelize(key)
        if not name.endswith("Enrollment"):
            name += "Enrollment"
        if name not in READABLE_TYPES:
            raise E.BadRequest({"errors": [{"message": f"Invalid enrollment type: {key}"}]})
        out.append(name)
    return out


class UserSearch:
    def __init__(self, store: Store) -> None:
        self.s = store
        self._memo = WriteMemo(store)

    # -- the account's users ---------------------------------------------------------------
    def tree(self, account: r.Account) -> list[int]:
        out, todo = [], [account.id]
        by_parent = self.s.idx["accounts"]["by_parent"]
        while todo:
            aid = todo.pop()
            if aid in out:
                continue
            out.append(aid)
            todo.extend(by_parent.ids(aid))
        return out

    def associated_ids(self, account: r.Account) -> set[int]:
        s, get = self.s, self.s.get
        ids: set[int] = set()
        if account.root_account_id is None:
            ids.update(s.idx["users"]["by_root"].ids(account.id))
        for aid in self.tree(account):
            for cid in s.idx["courses"]["by_account"].ids(aid):
                for eid in s.idx["enrollments"]["by_course"].ids(cid):
                    e = get("enrollments", eid)
                    if e.workflow_state not in ("deleted", "rejected") and e.type != "StudentViewEnrollment":
                        ids.add(e.user_id)
            for adm in s.idx["admins"]["by_account"].ids(aid):
                a = get("admins", adm)
                if a.workflow_state == "active":
                    ids.add(a.user_id)
        return ids

    def by_name(self, account: r.Account) -> Sequence[int]:
        """The account's live users by sortable name then id (the default order)."""
        def compute() -> Sequence[int]:
            ids = self.associated_ids(account)
            index = self.s.idx["users"]["by_root"]
            if account.root_account_id is None and len(ids) == len(index.keys(account.id)):
                return index.id_view(account.id)  # every one of them has their login here
            users = [u for u in (self.s.get("users", i) for i in ids)
                     if u is not None and u.workflow_state not in ("deleted", "creation_pending")]
            users.sort(key=lambda u: (fold(u.sortable_name), u.id))
            return [u.id for u in users]
        return self._memo.get(("by_name", account.id), compute)

    # -- api_index ---------------------------------------------------------------------------
    def account_users(self, viewer: r.User, account: r.Account, params: dict[str, Any],
                      rights: frozenset[str]) -> Sequence[int]:
        """Ordered user ids for ``GET /accounts/:id/users`` (rights: the viewer's on the account)."""
        if "read_roster" not in rights:
            raise E.Unauthorized()
        raw_term = params.get("search_term")
        term = normalize_search_term(raw_term if isinstance(raw_term, str) else None,
                                     self.s.settings.search_term_min_length)
        types = enrollment_types(params.get("enrollment_type"))
        uuids = params.get("uuids")
        wanted_uuids = None
        if uuids is not None:
            values = uuids if isinstance(uuids, list) else [uuids]
            if len(values) > MAX_UUIDS:
                raise TooManyUuids()
            wanted_uuids = {v for v in values if isinstance(v, str)}
        sort = params.get("sort") if params.get("sort") in SORTS else None
        desc = params.get("order") == "desc"
        ids = self.by_name(account)
        if term is None and types is None and wanted_uuids is None and sort is None:
            return ids
        if sort == "id" and term is None and types is None and wanted_uuids is None:
            ordered = self._memo.get(("by_id", account.id), lambda: sorted(ids))
            return ordered[::-1] if desc else ordered
        get = self.s.get
        users = [u for u in (get("users", i) for i in ids)
                 if (term is None or self.matches(u, term, rights))
                 and (types is None or self._has_active(u, types))
                 and (wanted_uuids is None or u.uuid in wanted_uuids)]
        return [u.id for u in self.ordered(users, sort, desc)]

    def _folded(self, user: r.User) -> tuple[str, ...]:
        """The user's searchable strings, case-folded once per store version:
        (name, login, SIS id, integration id, e-mail), "" for a missing one."""
        cache = self._memo.get(("folded",), dict)
        found = cache.get(user.id)
        if found is None:
            found = cache[user.id] = tuple(fold(v) for v in (user.name, user.login_id, user.sis_user_id,
                                                             user.integration_id, user.email))
        return found

    def matches(self, user: r.User, term: str, rights: frozenset[str]) -> bool:
        wanted = digits_int(term)
        if wanted is not None and wanted <= MAX_ID and wanted == user.id:
            return True
        t = term.casefold()
        name, login, sis, integration, email = self._folded(user)
        if t in name:
            return True
        if "view_user_logins" in rights and t in login:
            return True
        if ("read_sis" in rights or "manage_sis" in rights) and (t in sis or t in integration):
            return True
        return "read_email_addresses" in rights and t in email

    def _has_active(self, user: r.User, types: list[str]) -> bool:
        get = self.s.get
        return any(e.workflow_state == "active" and e.type in types
                   for e in (get("enrollments", i) for i in self.s.idx["enrollments"]["by_user"].ids(user.id)))

    @staticmethod
    def ordered(users: list[r.User], sort: str | None, desc: bool) -> list[r.User]:
        if sort is None:
            return users  # already by sortable name; Canvas ignores ``order`` here
        if sort == "username":
            return list(reversed(users)) if desc else users
        if sort == "id":
            return sorted(users, key=lambda u: u.id, reverse=desc)
        column = {"email": "email", "sis_id": "sis_user_id", "integration_id": "integration_id",
                  "last_login": "last_login"}[sort]
        present = [u for u in users if getattr(u, column) is not None]
        missing = [u for u in users if getattr(u, column) is None]

        def key(u: r.User) -> Any:
            v = getattr(u, column)
            return (fold(v) if isinstance(v, str) else v, u.id)

        present.sort(key=key, reverse=desc)
        if desc:
            missing.sort(key=lambda u: u.id, reverse=True)
        return present + missing  # NULLS LAST both ways (Postgres's ASC default; DESC NULLS LAST)
