"""``store.enrollments``: the rules of EnrollmentsApiController (app/controllers/
enrollments_api_controller.rb, 2025) over the enrollments table, kept apart from the table's
declarations in ``store/enrollments.py`` (canvas-facts-enrollments-sections sections 2 and 4).

Who may do what (2024+ permissions registry, ``User#can_create_enrollment_for?``,
``Enrollment#can_be_concluded_by`` / ``can_be_deleted_by``): account admins anything; teachers add
and remove every type; TAs and designers students and observers only. Concluding needs
``manage_students`` for a student (teachers, TAs, designers) or ``allow_course_admin_actions``
(teachers, admins). Deleting or deactivating one's own enrollment also needs the account's admin
actions (so a teacher cannot). Only the enrollment's user may accept or reject it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import to_bool
from ..timefmt import as_utc
from . import records as r
from .enrollments import COURSE_TYPES, ROLE_IDS, ROLE_TYPES, Role, roster_ids

if TYPE_CHECKING:
    from . import Store

STAFF_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"})
PUPIL_TYPES = frozenset({"StudentEnrollment", "ObserverEnrollment"})
# add_<type>_to_course / remove_<type>_from_course by the caller's enrollment type
MANAGES = {
    "TeacherEnrollment": frozenset(COURSE_TYPES),
    "TaEnrollment": PUPIL_TYPES,
    "DesignerEnrollment": PUPIL_TYPES,
}
MANAGE_STUDENTS = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"})
CREATE_STATES = ("active", "invited", "inactive", "creation_pending", "completed", "rejected")
# the states of ``users/self/enrollments?state[]=`` (EnrollmentsApiController, 2025)
SELF_STATES = ("active", "inactive", "rejected", "invited", "creation_pending", "pending_active",
               "pending_invited", "completed", "current_and_invited", "current_and_future",
               "current_future_and_restricted", "current_and_concluded")
SYNTHETIC = {
    "current_and_invited": ("active", "invited"),
    "current_and_future": ("active", "invited", "creation_pending", "pending_active", "pending_invited"),
    "current_future_and_restricted": ("active", "invited", "creation_pending", "pending_active",
                                      "pending_invited", "inactive"),
    "current_and_concluded": ("active", "completed"),
}
STAFF_DEFAULT = frozenset({"active", "invited", "creation_pending", "inactive"})
STUDENT_DEFAULT = frozenset({"active", "invited", "creation_pending"})
MSG_NO_USER = ("Can't create an enrollment without a user. Include enrollment[user_id] to create an "
               "enrollment")
MSG_CONCLUDED = "Can't add an enrollment to a concluded course."


class EnrollmentOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- roles -----------------------------------------------------------------------------
    def role_of(self, e: r.Enrollment) -> tuple[str, int | None]:
        """(role name, role id) of ``enrollment_json``: the custom role's, else the type's."""
        if e.role_id is not None:
            role = self.s.get("roles", e.role_id)
            if role is not None:
                return role.name, role.id
        name = "StudentEnrollment" if e.type == "StudentViewEnrollment" else e.type
        return name, ROLE_IDS.get(name)

    def roles_for(self, course: r.Course) -> list[Role]:
        """The custom roles usable in the course's account (its own and its parents')."""
        out = []
        for acc in self.s.policy.account_chain(course.account_id):
            for rid in self.s.idx["roles"]["by_account"].ids(acc):
                role = self.s.get("roles", rid)
                if role is not None and role.workflow_state != "deleted":
                    out.append(role)
        return out

    def role_by_id(self, course: r.Course, value: Any) -> tuple[str, Role | None] | None:
        """A course role by id: (base type, custom role or None), None if none."""
        rid = self.s.find_id(str(value).strip()) if isinstance(value, (str, int)) else None
        if rid is None:
            return None
        if rid in ROLE_TYPES:
            t = ROLE_TYPES[rid]
            return (t, None) if t in COURSE_TYPES else None
        role = next((x for x in self.roles_for(course) if x.id == rid), None)
        return (role.base_role_type, role) if role is not None else None

    def role_by_name(self, course: r.Course, name: str) -> tuple[str, Role | None] | None:
        if name in COURSE_TYPES:
            return name, None
        role = next((x for x in self.roles_for(course) if x.name == name), None)
        return (role.base_role_type, role) if role is not None else None

    # -- the date-based state (EnrollmentState) ----------------------------------------------
    def dates(self, e: r.Enrollment, course: r.Course) -> tuple[datetime | None, datetime | None]:
        """EnrollmentDateBuilder, reduced: the enrollment's own dates, else the section's (when it
        restricts to them), else the course's (idem), else the term's."""
        if e.start_at is not None or e.end_at is not None:
            return as_utc(e.start_at), as_utc(e.end_at)
        section = self.s.get("sections", e.course_section_id)
        if section is not None and getattr(section, "restrict_enrollments_to_section_dates", False):
            return as_utc(getattr(section, "start_at", None)), as_utc(getattr(section, "end_at", None))
        if course.restrict_enrollments_to_course_dates:
            return as_utc(course.start_at), as_utc(course.end_at)
        term = self.s.courses.term_of(course)
        if term is not None:
            return as_utc(term.start_at), as_utc(term.end_at)
        return None, None

    def state_row(self, e: r.Enrollment) -> tuple[str, datetime | None]:
        """(EnrollmentState#state, state_valid_until)."""
        ws = e.workflow_state
        course = self.s.get("courses", e.course_id)
        if ws not in ("invited", "active") or course is None:
            return ws, None
        if course.workflow_state == "completed":
            return "completed", None
        start, end = self.dates(e, course)
        now = as_utc(self.s.now())
        if start is not None and now < start:
            return ("pending_" + ws if e.type in PUPIL_TYPES else "inactive"), start
        if end is not None and now >= end:
            return "completed", None
        return ws, end

    def effective_state(self, e: r.Enrollment) -> str:
        return self.state_row(e)[0]

    # -- who may do what ---------------------------------------------------------------------
    def is_admin(self, user: r.User | None, course: r.Course) -> bool:
        return user is not None and self.s.policy.is_admin_of(user, course.account_id)

    def caller_types(self, user: r.User | None, course: r.Course) -> set[str]:
        """The base types of the caller's active enrollments in the course."""
        if user is None:
            return set()
        return {e.type for e in self.s.policy.enrollments(user.id, course.id)}

    def can_add(self, user: r.User | None, course: r.Course, etype: str) -> bool:
        if self.is_admin(user, course):
            return True
        return any(etype in MANAGES.get(t, ()) for t in self.caller_types(user, course))

    def can_conclude(self, user: r.User | None, e: r.Enrollment, course: r.Course) -> bool:
        if self.is_admin(user, course):
            return True
        types = self.caller_types(user, course)
        if "TeacherEnrollment" in types:  # allow_course_admin_actions
            return True
        return e.type == "StudentEnrollment" and bool(types & MANAGE_STUDENTS)

    def can_remove(self, user: r.User | None, e: r.Enrollment, course: r.Course) -> bool:
        """delete / deactivate / reactivate: remove_<type>_from_course; one's own enrollment
        also needs the account's admin actions."""
        if self.is_admin(user, course):
            return True
        if user is not None and user.id == e.user_id:
            return False
        return any(e.type in MANAGES.get(t, ()) for t in self.caller_types(user, course))

    def visibility(self, user: r.User | None, course: r.Course) -> str | None:
        """``enrollment_visibility_level_for``: full, sections, limited, restricted, or None."""
        if user is None or course.workflow_state == "deleted":
            return None
        if self.is_admin(user, course):
            return "full"
        mine = self.s.policy.enrollments(user.id, course.id)
        if not mine and course.workflow_state == "completed":
            mine = [e for e in self.s.courses.enrollments_of(user.id, course.id) if e.workflow_state == "completed"]
        types = {e.type for e in mine}
        limited = bool(mine) and all(e.limit_privileges_to_course_section for e in mine)
        if types & STAFF_TYPES:
            return "sections" if limited else "full"
        if "StudentEnrollment" in types:
            return "sections_limited" if limited else "limited"
        if "ObserverEnrollment" in types or any(
                e.type == "ObserverEnrollment" and e.workflow_state != "deleted"
                for e in self.s.courses.enrollments_of(user.id, course.id)):
            return "restricted"
        return None

    # -- lists -------------------------------------------------------------------------------
    def course_roster(self, course: r.Course, section: r.Section | None, *, after: tuple | None,
                      types: frozenset[str] | None, keep, limit: int) -> tuple[list[r.Enrollment], bool]:
        """Up to ``limit`` enrollments of the roster order after the bookmark ``after`` that pass
        ``keep``, and whether more follow: O(page) when most rows pass."""
        idx = self.s.idx["enrollments"]
        keys = idx["roster_by_section"].keys(section.id) if section is not None else \
            idx["roster_by_course"].keys(course.id)
        get = self.s.rows["enrollments"].get
        out: list[r.Enrollment] = []
        for eid in roster_ids(keys, after, types):
            e = get(eid)
            if e is None or e.course_id != course.id or not keep(e):
                continue
            if len(out) == limit:
                return out, True
            out.append(e)
        return out, False

    def roster_key(self, e: r.Enrollment) -> tuple:
        return self.s.idx["enrollments"]["roster_by_course"].placed[e.id][1]

    def of_user(self, user: r.User) -> list[r.Enrollment]:
        """Every enrollment of the user, in the roster order (type, then id)."""
        out = self.s.courses.enrollments_of(user.id)
        return sorted(out, key=lambda e: (e.type, e.id))

    # -- writes ------------------------------------------------------------------------------
    def _save(self, e: r.Enrollment, **changes: Any) -> r.Enrollment:
        if any(getattr(e, k) != v for k, v in changes.items()):
            changes["updated_at"] = self.s.now()
            self.s._update("enrollments", e, **changes)
        return e

    def create(self, actor: r.User, course: r.Course, section: r.Section, user: r.User, etype: str,
               role: Role | None, params: dict[str, Any]) -> r.Enrollment:
        """Course#enroll_user with ``allow_multiple_enrollments`` (the API's), after the checks
        of the controller (done by the caller)."""
        state = params.get("enrollment_state")
        state = state if isinstance(state, str) and state else None
        unpublished = course.workflow_state in ("created", "claimed")
        if state is None:
            if etype == "ObserverEnrollment" and user.workflow_state == "registered":
                state = "active"
            else:
                state = "creation_pending" if unpublished else "invited"
        if etype in STAFF_TYPES and state == "creation_pending":
            state = "invited"
        if etype in PUPIL_TYPES and state == "invited" and unpublished:
            state = "creation_pending"
        associated = params.get("associated_user_id")
        fields = {
            "role_id": role.id if role is not None else None,
            "limit_privileges_to_course_section": bool(to_bool(params.get("limit_privileges_to_course_section"))),
            "start_at": params.get("start_at"), "end_at": params.get("end_at"),
            "associated_user_id": associated, "self_enrolled": bool(to_bool(params.get("self_enrolled"))),
        }
        with self.s.lock:
            found = self._reusable(course, section, user, etype, fields["role_id"], associated)
            if found is not None:
                changes = dict(fields)
                if found.workflow_state != "active":
                    changes.update(workflow_state=state, course_section_id=section.id)
                    if found.workflow_state == "deleted":
                        changes["sis_import_id"] = None
                e = self._save(found, **changes)
            else:
                now = self.s.now()
                e = self.s.insert("enrollments", user_id=user.id, course_id=course.id,
                                  course_section_id=section.id, type=etype, workflow_state=state,
                                  created_at=now, updated_at=now, **fields)
            if course.workflow_state == "created" and etype in STAFF_TYPES:
                self.s.courses.process_event(course, "claim")
            return e

    def _reusable(self, course: r.Course, section: r.Section, user: r.User, etype: str, rid: int | None,
                  associated: int | None) -> r.Enrollment | None:
        for e in self.s.courses.enrollments_of(user.id, course.id):
            if (e.type == etype and e.role_id == rid and e.associated_user_id == associated
                    and e.course_section_id == section.id):
                return e
        return None

    def conclude(self, e: r.Enrollment) -> r.Enrollment:
        return self._save(e, workflow_state="completed", completed_at=self.s.now())

    def destroy(self, e: r.Enrollment) -> r.Enrollment:
        with self.s.lock:
            self._save(e, workflow_state="deleted")
            if e.type == "StudentEnrollment" and not any(
                    x.type == "StudentEnrollment" and x.workflow_state not in ("deleted", "rejected")
                    for x in self.s.courses.enrollments_of(e.user_id, e.course_id)):
                self._leave_groups(e)
            return e

    def deactivate(self, e: r.Enrollment) -> r.Enrollment:
        return self._save(e, workflow_state="inactive")

    def reactivate(self, e: r.Enrollment) -> r.Enrollment:
        if e.workflow_state != "inactive":
            raise E.BadRequest({"error": "enrollment not inactive"})
        return self._save(e, workflow_state="active")

    def respond(self, actor: r.User, e: r.Enrollment, accept: bool) -> None:
        """accept / reject (EnrollmentsApiController#accept, #reject)."""
        if actor.id != e.user_id:
            raise E.Unauthorized()
        state = self.effective_state(e)
        if (accept and state == "active") or (not accept and e.workflow_state == "rejected"):
            return
        if state == "inactive":
            raise E.BadRequest({"error": "membership not activated"})
        with self.s.lock:
            if accept and e.workflow_state == "rejected":
                self._save(e, workflow_state="invited")  # Enrollment#unreject, its own save
                state = self.effective_state(e)
            if e.self_enrolled:
                raise E.BadRequest({"error": "self enroll"})
            if state != "invited":
                raise E.BadRequest({"error": "no current invitation"})
            if accept:
                self._save(e, workflow_state="active")
            else:
                self._save(e, workflow_state="rejected")
                if e.type == "StudentEnrollment" and not any(
                        x.type == "StudentEnrollment" and x.workflow_state not in ("deleted", "rejected")
                        for x in self.s.courses.enrollments_of(e.user_id, e.course_id)):
                    self._leave_groups(e)

    def _leave_groups(self, e: r.Enrollment) -> None:
        """Enrollment#audit_groups_for_deleted_enrollments: the user's memberships in the course's
        groups are soft-deleted (each a group_membership_updated event)."""
        now = self.s.now()
        for mid in list(self.s.idx["memberships"]["by_user"].ids(e.user_id)):
            m = self.s.get("memberships", mid)
            g = self.s.get("groups", m.group_id) if m is not None else None
            if g is not None and g.context_type == "Course" and g.context_id == e.course_id:
                self.s._update("memberships", m, workflow_state="deleted", updated_at=now)
