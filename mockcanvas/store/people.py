"""Accounts, courses, sections, users and enrollments: the queries the group APIs need around them.

Mirrors ``UserSearch`` (lib/user_search.rb) for ``search_term``: at least ``Settings.search_term_min_length``
(2) characters after stripping (SearchTermHelper), a case-insensitive substring of name, sortable name, login or SIS id,
an e-mail address, or the user's full id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..coerce import digits_int
from ..errors import SearchTermTooShort
from . import records as r

if TYPE_CHECKING:
    from . import Store

ENROLLMENT_TYPE_NAMES = {
    "student": "StudentEnrollment",
    "teacher": "TeacherEnrollment",
    "ta": "TaEnrollment",
    "designer": "DesignerEnrollment",
    "observer": "ObserverEnrollment",
    "student_view": "StudentViewEnrollment",
}


def normalize_search_term(term: str | None, minimum: int = 2) -> str | None:
    """None when blank (no search); raises SearchTermTooShort under ``minimum`` characters
    (``Settings.search_term_min_length``)."""
    if term is None:
        return None
    term = str(term).strip()
    if not term:
        return None
    if len(term) < minimum:
        raise SearchTermTooShort(minimum)
    return term


def user_matches(user: r.User, term: str) -> bool:
    if digits_int(term) == user.id:
        return True
    t = term.casefold()
    for value in (user.name, user.sortable_name, user.short_name, user.login_id, user.sis_user_id, user.email):
        if value and t in value.casefold():
            return True
    return False


def by_sortable_name(users: Iterable[r.User]) -> list[r.User]:
    return sorted(users, key=lambda u: (u.sortable_name.casefold(), u.id))


class PeopleOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def root_account_id(self, account_id: int) -> int:
        acc = self.s.get("accounts", account_id)
        return (acc.root_account_id or acc.id) if acc else account_id

    def sections(self, course_id: int) -> list[r.Section]:
        return [self.s.get("sections", i) for i in self.s.idx["sections"]["by_course"].ids(course_id)]

    def course_enrollments(self, course_id: int, types: Iterable[str] | None = None,
                           states: Iterable[str] = ("active", "invited")) -> list[r.Enrollment]:
        wanted = set(types) if types else None
        states = set(states)
        out = []
        for eid in self.s.idx["enrollments"]["by_course"].ids(course_id):
            e = self.s.get("enrollments", eid)
            if e.workflow_state in states and (wanted is None or e.type in wanted):
                out.append(e)
        return out

    def course_users(self, course_id: int, *, types: Iterable[str] | None = None,
                     search_term: str | None = None, states: Iterable[str] = ("active", "invited")) -> list[r.User]:
        """Distinct users of a course, by sortable name (CoursesController#users / search_users)."""
        term = normalize_search_term(search_term, self.s.settings.search_term_min_length)
        seen: dict[int, r.User] = {}
        for e in self.course_enrollments(course_id, types, states):
            if e.user_id not in seen:
                u = self.s.get("users", e.user_id)
                if u is not None and u.workflow_state != "deleted" and (term is None or user_matches(u, term)):
                    seen[u.id] = u
        return by_sortable_name(seen.values())

    def find_by_address(self, address: str, root_account_id: int) -> r.User | None:
        """UserList resolution for invitations: an e-mail address or a login id."""
        key = address.strip().casefold()
        for index in ("by_email", "by_login"):
            uid = self.s.idx["users"][index].get(key)
            if uid is not None:
                u = self.s.get("users", uid)
                if u is not None and u.workflow_state != "deleted" and u.account_id == root_account_id:
                    return u
        return None
