"""The course lists: a user's courses (CoursesController#index / #user_index, ``courses_for_user``),
an account's courses (AccountsController#courses_api) and a course's users (CoursesController#users,
``UserSearch``). Pure queries over the store; the handlers page them.

A user's courses (canvas-facts-courses-users 3.1, ``Enrollment::QueryBuilder`` ``current_and_invited``):
without ``state[]`` an enrollment counts when it is active in an available course (or, for
teachers, TAs and designers, in a claimed one), or invited in an available course (or, for those
roles, in any course not deleted): completed courses are left out, students and observers do not
see unpublished ones, and a course still ``created`` (never claimed) shows only to invited staff.
``state[]`` picks per state: ``available`` as the default, ``unpublished`` (created + claimed)
every live enrollment, ``completed`` active or completed enrollments, ``deleted`` deleted ones.
The list is grouped by course (each entry with all of the caller's remaining enrollments there)
and sorted by name, case-insensitive (Canvas's ICU collation key), then id. It is computed once
per store version and subject (``CourseOps.memo``), so paging through it costs a page.

An account's courses: the account and every sub-account (``associated_courses``), by id unless
``sort`` says otherwise. Without filters the not-deleted courses come straight from a sorted
index (the root account's, or the sub-accounts' merged), and filters are applied lazily while the
page is taken, so a page costs its offset plus its length, not the size of the tree.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

from .. import errors as E
from ..coerce import as_list, comma_list, digits_int, to_bool
from ..timefmt import as_utc
from . import records as r
from .courses import ADMIN_TYPES, LIVE_STATES, parse_time
from .people import ENROLLMENT_TYPE_NAMES, normalize_search_term

if TYPE_CHECKING:
    from . import Store

SIS_TYPES = ("student", "teacher", "ta", "observer", "designer")
ENROLLMENT_WORKFLOW_STATES = ("active", "invited", "creation_pending", "completed", "inactive", "rejected",
                              "deleted")
STATE_NAMES = {"unpublished": ("created", "claimed"), "created": ("created",), "claimed": ("claimed",),
               "available": ("available",), "completed": ("completed",), "deleted": ("deleted",)}
SORTS = ("course_status", "course_name", "sis_course_id", "teacher", "account_name", "subaccount", "term")
STATUS_RANK = {"created": 0, "claimed": 0, "available": 1, "completed": 2, "deleted": 3}


def _fold(s: str | None) -> str:
    return (s or "").casefold()


class CourseLists:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- a user's courses ------------------------------------------------------------------
    def user_courses(self, subject: r.User, *, states: list[str] | None = None,
                     enrollment_type: str | None = None, enrollment_role: str | None = None,
                     enrollment_role_id: int | None = None, enrollment_state: str | None = None,
                     account_id: int | None = None, homeroom: bool = False,
                     exclude_blueprint: bool = False) -> list[tuple[r.Course, list[r.Enrollment]]]:
        key = ("user_courses", subject.id, tuple(states) if states is not None else None, enrollment_type,
               enrollment_role, enrollment_role_id, enrollment_state, account_id, homeroom, exclude_blueprint)
        return self.s.courses.memo.get(key, lambda: self._user_courses(
            subject, states, enrollment_type, enrollment_role, enrollment_role_id, enrollment_state,
            account_id, homeroom))

    def _keeps(self, e: r.Enrollment, c: r.Course, states: list[str] | None) -> bool:
        admin = e.type in ADMIN_TYPES
        cs, es = c.workflow_state, e.workflow_state
        if states is None:
            return ((es == "active" and (cs == "available" or (cs == "claimed" and admin)))
                    or (es == "invited" and (cs == "available" or (cs != "deleted" and admin))))
        for st in states:
            raw = STATE_NAMES.get(st, ())
            if cs not in raw:
                continue
            if st == "available" and es in ("active", "invited"):
                return True
            if st in ("unpublished", "created", "claimed") and es in ("active", "invited", "creation_pending"):
                return True
            if st == "completed" and es in ("active", "completed"):
                return True
            if st == "deleted" and es == "deleted":
                return True
        return False

    @staticmethod
    def _by_enrollment_state(e: r.Enrollment, c: r.Course, wanted: str | None) -> bool:
        if wanted is None:
            return True
        if wanted == "active":
            return e.workflow_state == "active" and c.workflow_state != "completed"
        if wanted == "invited_or_pending":
            return e.workflow_state in ("invited", "creation_pending")
        if wanted == "completed":
            return e.workflow_state == "completed" or (e.workflow_state == "active" and c.workflow_state == "completed")
        return True

    def _user_courses(self, subject, states, enrollment_type, enrollment_role, enrollment_role_id,
                      enrollment_state, account_id, homeroom) -> list[tuple[r.Course, list[r.Enrollment]]]:
        from .enrollments import ROLE_TYPES

        if homeroom:
            return []  # no homeroom courses here
        wanted_type = None
        if enrollment_role_id is not None:
            wanted_type = ROLE_TYPES.get(enrollment_role_id, "")
        elif enrollment_role is not None:
            wanted_type = enrollment_role
        elif enrollment_type is not None:
            wanted_type = enrollment_type.capitalize() + "Enrollment" if enrollment_type != "ta" else "TaEnrollment"
        grouped: dict[int, tuple[r.Course, list[r.Enrollment]]] = {}
        get_course = self.s.rows["courses"].get
        for e in self.s.courses.enrollments_of(subject.id):
            c = get_course(e.course_id)
            if c is None or (account_id is not None and c.account_id != account_id):
                continue
            if wanted_type is not None and e.type != wanted_type and not (
                    wanted_type == "StudentEnrollment" and e.type == "StudentViewEnrollment" and enrollment_role_id):
                continue
            if not self._keeps(e, c, states) or not self._by_enrollment_state(e, c, enrollment_state):
                continue
            grouped.setdefault(c.id, (c, []))[1].append(e)
        out = list(grouped.values())
        out.sort(key=lambda ce: (_fold(ce[0].name), ce[0].id))
        return out

    # -- an account's courses --------------------------------------------------------------
    def account_courses(self, actor: r.User, account: r.Account, params: dict[str, Any]) -> Iterable[r.Course]:
        """AccountsController#courses_api over ``account.associated_courses``."""
        s = self.s
        filters: list[Callable[[r.Course], bool]] = []
        states = [str(x) for x in as_list(params.get("state"))]
        raw_states: set[str] = set()
        for st in states:
            raw_states |= set(STATE_NAMES.get(st, ()))
            if st == "all":
                raw_states |= set(LIVE_STATES) | {"deleted"}
        if not raw_states:
            raw_states = set(LIVE_STATES)
        include_deleted = "deleted" in raw_states
        if raw_states != set(LIVE_STATES):
            filters.append(lambda c, st=frozenset(raw_states): c.workflow_state in st)
        published = to_bool(params.get("published"))
        if published is True:
            filters.append(lambda c: c.workflow_state == "available")
        elif published is False:
            filters.append(lambda c: c.workflow_state != "available")
        completed = to_bool(params.get("completed"))
        if completed is not None:
            now = s.now()
            filters.append(lambda c, want=completed: self._is_completed(c, now) == want)
        with_enrollments = to_bool(params.get("with_enrollments"))
        if with_enrollments is None and params.get("hide_enrollmentless_courses") is not None:
            with_enrollments = True
        types = self._array_param(params, "enrollment_type", SIS_TYPES)
        wstates = self._array_param(params, "enrollment_workflow_state", ENROLLMENT_WORKFLOW_STATES)
        if types is not None or wstates is not None:
            etypes = {ENROLLMENT_TYPE_NAMES[t] for t in types} if types is not None else None
            filters.append(lambda c: self._has_enrollment(c, etypes, set(wstates) if wstates is not None else None))
        if with_enrollments is not None:
            filters.append(lambda c, want=with_enrollments: self._has_enrollment(c, None, None) == want)
        for flag in ("blueprint", "blueprint_associated", "homeroom"):
            if to_bool(params.get(flag)) is True:
                filters.append(lambda c: False)  # no blueprints, associations or homerooms here
        public = to_bool(params.get("public"))
        if public is not None:
            filters.append(lambda c, want=public: c.is_public == want)
        if "by_teachers" in params:
            teachers = self._user_ids(params.get("by_teachers"))
            filters.append(lambda c: self._taught_by(c, teachers))
        roots = [account.id]
        if "by_subaccounts" in params:
            subs = self._account_ids(params.get("by_subaccounts"), account)
            roots = subs
        if "enrollment_term_id" in params:
            filters.append(self._term_filter(account, params.get("enrollment_term_id")))
        zone = actor.time_zone
        before = parse_time(params.get("starts_before"), zone) if params.get("starts_before") else None
        after = parse_time(params.get("ends_after"), zone) if params.get("ends_after") else None
        if before is not None:
            filters.append(lambda c: c.start_at is None or as_utc(c.start_at) <= before)
        if after is not None:
            filters.append(lambda c: c.end_at is None or as_utc(c.end_at) >= after)
        if "search_term" in params:
            filters.append(self._search_filter(actor, account, params))
        ids = self._tree_ids(account, roots, include_deleted)
        get = s.rows["courses"].get
        courses: Iterable[r.Course] = (get(i) for i in ids)
        if filters:
            courses = (c for c in courses if c is not None and all(f(c) for f in filters))
        sort = params.get("sort") if params.get("sort") in SORTS else None
        order_desc = params.get("order") == "desc"
        if sort is not None or order_desc:
            return self._sorted([c for c in courses if c is not None], sort, order_desc)
        return courses

    def _tree_ids(self, account: r.Account, roots: list[int], include_deleted: bool) -> Iterator[int]:
        idx = self.s.idx["courses"]
        if not include_deleted and roots == [account.id] and account.root_account_id is None:
            return iter(idx["live_by_root"].id_view(account.id))
        index = idx["by_account"] if include_deleted else idx["live_by_account"]
        accounts: list[int] = []
        for root in roots:
            for aid in self.s.courses.account_tree(root):
                if aid not in accounts:
                    accounts.append(aid)
        views = [index.id_view(a) for a in accounts]
        views = [v for v in views if len(v)]
        if len(views) == 1:
            return iter(views[0])
        return heapq.merge(*views)

    def _array_param(self, params: dict[str, Any], name: str, allowed: tuple[str, ...]) -> list[str] | None:
        if name not in params:
            return None
        value = params[name]
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            raise E.BadRequest({"message": f"Invalid value provided to '{name}'"})
        return value

    def _is_completed(self, c: r.Course, now: datetime) -> bool:
        if c.workflow_state == "completed":
            return True
        if c.end_at is not None:
            return as_utc(c.end_at) < now
        term = self.s.courses.term_of(c)
        return term is not None and term.end_at is not None and as_utc(term.end_at) < now

    def _has_enrollment(self, c: r.Course, types: set[str] | None, states: set[str] | None) -> bool:
        for eid in self.s.idx["enrollments"]["by_course"].ids(c.id):
            e = self.s.get("enrollments", eid)
            if states is None and e.workflow_state == "deleted":
                continue
            if states is not None and e.workflow_state not in states:
                continue
            if types is None or e.type in types:
                return True
        return False

    def _user_ids(self, value: Any) -> set[int]:
        out = set()
        for ref in as_list(value):
            try:
                out.add(self.s.find("users", str(ref)).id)
            except E.NotFound:
                continue
        return out

    def _account_ids(self, value: Any, account: r.Account) -> list[int]:
        out = []
        for ref in as_list(value):
            try:
                acc = self.s.find("accounts", str(ref))
            except E.NotFound:
                continue
            if self.s.courses.in_tree(acc.id, account.id):
                out.append(acc.id)
        return out

    def _taught_by(self, c: r.Course, teachers: set[int]) -> bool:
        for eid in self.s.idx["enrollments"]["by_course"].ids(c.id):
            e = self.s.get("enrollments", eid)
            if e.type == "TeacherEnrollment" and e.workflow_state != "deleted" and e.user_id in teachers:
                return True
        return False

    def _term_filter(self, account: r.Account, value: Any) -> Callable[[r.Course], bool]:
        root = account.root_account_id or account.id
        courses = self.s.courses
        if isinstance(value, list):
            ids = set()
            for ref in value:
                try:
                    ids.add(courses.find_term(root, str(ref)).id)
                except E.NotFound:
                    continue
        else:
            ids = {courses.find_term(root, str(value) if value is not None else "").id}

        def keep(c: r.Course) -> bool:
            term = courses.term_of(c)
            return term is not None and term.id in ids
        return keep

    def _search_filter(self, actor: r.User, account: r.Account, params: dict[str, Any]) -> Callable[[r.Course], bool]:
        raw = params.get("search_term")
        text = raw if isinstance(raw, str) else ""
        minimum = self.s.settings.search_term_min_length
        if len(text) < minimum:  # validated whenever present, even empty
            raise E.SearchTermTooShort(minimum)
        term = text.casefold()
        number = digits_int(text.strip())
        sis = "read_sis" in self.s.policy.account_rights(actor, account) or "manage_sis" in self.s.policy.account_rights(actor, account)
        if params.get("search_by") == "teacher":
            def by_teacher(c: r.Course) -> bool:
                for eid in self.s.idx["enrollments"]["by_course"].ids(c.id):
                    e = self.s.get("enrollments", eid)
                    if e.type == "TeacherEnrollment" and e.workflow_state in ("active", "invited", "creation_pending"):
                        u = self.s.get("users", e.user_id)
                        if u is not None and term in _fold(u.name):
                            return True
                return False
            return by_teacher

        def matches(c: r.Course) -> bool:
            return (term in _fold(c.name) or term in _fold(c.course_code) or (number is not None and number == c.id)
                    or (sis and c.sis_course_id is not None and term in _fold(c.sis_course_id)))
        return matches

    def _sorted(self, courses: list[r.Course], sort: str | None, desc: bool) -> list[r.Course]:
        s = self.s

        def teacher_key(c: r.Course) -> str:
            names = []
            for eid in s.idx["enrollments"]["by_course"].ids(c.id):
                e = s.get("enrollments", eid)
                if e.type == "TeacherEnrollment" and e.workflow_state != "deleted":
                    u = s.get("users", e.user_id)
                    if u is not None:
                        names.append(_fold(u.sortable_name))
            return min(names) if names else "\uffff"

        keys: dict[str | None, Callable[[r.Course], Any]] = {
            None: lambda c: 0,
            "course_status": lambda c: STATUS_RANK.get(c.workflow_state, 9),
            "course_name": lambda c: _fold(c.name),
            "sis_course_id": lambda c: (c.sis_course_id is None, c.sis_course_id or ""),
            "teacher": teacher_key,
            "account_name": lambda c: _fold(getattr(s.get("accounts", c.account_id), "name", "")),
            "subaccount": lambda c: _fold(getattr(s.get("accounts", c.account_id), "name", "")),
            "term": lambda c: _fold(getattr(s.courses.term_of(c), "name", "")),
        }
        key = keys[sort]
        return sorted(courses, key=lambda c: (key(c), c.id), reverse=desc)

    # -- a course's users ------------------------------------------------------------------
    def course_users(self, viewer: r.User, course: r.Course, params: dict[str, Any]) -> tuple[list[r.User], dict[int, list[r.Enrollment]]]:
        """``UserSearch.scope_for`` / ``for_user_in_context``: the users visible to the viewer with
        their matching enrollments, by sortable name then id."""
        s = self.s
        from .enrollments import ROLE_TYPES

        types = None
        role = params.get("enrollment_role")
        role_id = digits_int(str(params.get("enrollment_role_id"))) if params.get("enrollment_role_id") is not None else None
        if role_id is not None:
            types = {ROLE_TYPES.get(role_id, "")}
        elif isinstance(role, str) and role:
            types = {role}
        elif "enrollment_type" in params:
            types = set()
            for t in as_list(params.get("enrollment_type")):
                name = ENROLLMENT_TYPE_NAMES.get(str(t).lower()) if isinstance(t, str) else None
                if name is None:
                    raise E.BadRequest({"errors": [{"message": f"Invalid enrollment type: {t}"}]})
                types.add(name)
        states = [str(x) for x in as_list(params.get("enrollment_state")) if isinstance(x, str)]
        include_inactive = to_bool(params.get("include_inactive")) is True and \
            "read_as_admin" in s.policy.course_rights(viewer, course)
        if not states:
            states = ["active", "invited"] + (["inactive"] if include_inactive else [])
        term = params.get("search_term") if isinstance(params.get("search_term"), str) else None
        term = normalize_search_term(term, s.settings.search_term_min_length)
        includes = {str(x) for x in as_list(params.get("include")) if isinstance(x, str)}
        test_student = "test_student" in includes or "student_view" in {
            str(t) for t in as_list(params.get("enrollment_type"))}
        sections = None
        if "section_ids" in params:
            sections = {i for i in (digits_int(str(x)) for x in as_list(params.get("section_ids"))) if i is not None}
        rights = s.policy.course_rights(viewer, course)
        sis = s.courses.sis_rights(viewer, course)
        by_user: dict[int, list[r.Enrollment]] = {}
        state_set = set(states)
        for eid in s.idx["enrollments"]["by_course"].ids(course.id):
            e = s.get("enrollments", eid)
            if e.workflow_state not in state_set:
                continue
            if types is not None and e.type not in types:
                continue
            if e.type == "StudentViewEnrollment" and not test_student:
                continue
            if sections is not None and e.course_section_id not in sections:
                continue
            by_user.setdefault(e.user_id, []).append(e)
        users = []
        for uid in by_user:
            u = s.get("users", uid)
            if u is None or u.workflow_state == "deleted":
                continue
            if term is not None and not self._user_matches(u, term, rights, sis):
                continue
            users.append(u)
        wanted = _id_list(params.get("user_ids"))
        if wanted is not None:
            users = [u for u in users if u.id in wanted]
        uuids = _str_list(params.get("user_uuids"))
        if uuids is not None:
            users = [u for u in users if u.uuid in uuids]
        users.sort(key=self._sort_key(params.get("sort")), reverse=params.get("order") == "desc")
        return users, by_user

    @staticmethod
    def _user_matches(u: r.User, term: str, rights: frozenset[str], sis: frozenset[str]) -> bool:
        if digits_int(term) == u.id:
            return True
        t = term.casefold()
        values = [u.name, u.short_name]
        if "view_user_logins" in rights:
            values.append(u.login_id)
        if "read_sis" in sis or "manage_sis" in sis:
            values += [u.sis_user_id, u.integration_id]
        if "read_email_addresses" in rights:
            values.append(u.email)
        return any(v and t in v.casefold() for v in values)

    @staticmethod
    def _sort_key(sort: Any) -> Callable[[r.User], tuple]:
        if sort == "id":
            return lambda u: (u.id,)
        if sort == "email":
            return lambda u: (u.email is None, _fold(u.email), u.id)
        if sort == "sis_id":
            return lambda u: (u.sis_user_id is None, u.sis_user_id or "", u.id)
        if sort == "login_id":
            return lambda u: (u.login_id is None, _fold(u.login_id), u.id)
        if sort == "last_login":
            return lambda u: (u.last_login is None, as_utc(u.last_login) if u.last_login else datetime.min.replace(
                tzinfo=timezone.utc), u.id)
        return lambda u: (_fold(u.sortable_name), u.id)


def _id_list(value: Any) -> set[int] | None:
    """``user_ids[]`` as an array, or a comma-separated string."""
    items = comma_list(value)
    return None if items is None else {i for i in (digits_int(str(x).strip()) for x in items) if i is not None}


def _str_list(value: Any) -> set[str] | None:
    items = comma_list(value)
    return None if items is None else {str(x).strip() for x in items}
