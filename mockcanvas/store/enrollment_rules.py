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

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import digits_int, to_bool
from ..timefmt import as_utc
from . import records as r
from .courses import parse_time
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
            changed = self.s._update("enrollments", e, **changes)
            if changed.keys() & _RECOMPUTE:  # submissions area: the student's rows follow (SubmissionLifecycleManager)
                self.s.submissions.enrolled(e)
        return e

    def enroll(self, viewer: r.User, course: r.Course, path_section: r.Section | None, enr: dict[str, Any],
               find_user: Callable[[Any], r.User]) -> r.Enrollment:
        """EnrollmentsApiController#create: ``enrollment[...]`` checked in Canvas's order (the
        parameter errors joined, then the permission, the section, the user (``find_user``: a path
        id, ``self`` or a SIS form), a concluded course, the model's validations), then
        :meth:`create`."""
        # 1. parameter errors, all of them, joined (before any permission check)
        errors: list[str] = []
        etype = enr.get("type")
        etype = etype.strip() if isinstance(etype, str) and etype.strip() else None
        if etype is not None and etype not in COURSE_TYPES:
            errors.append("Invalid type")
        found = None
        if not _blank(enr.get("role_id")):
            found = self.role_by_id(course, enr.get("role_id"))
            if found is None:
                errors.append("Invalid role")
        elif not _blank(enr.get("role")):
            found = self.role_by_name(course, enr["role"]) if isinstance(enr["role"], str) else None
            if found is None:
                errors.append("Invalid role")
        role = found[1] if found is not None else None
        if role is not None and role.workflow_state == "inactive":
            errors.append("Cannot create an enrollment with this role because it is inactive.")
        if found is not None and etype is not None and etype in COURSE_TYPES and etype != found[0]:
            errors.append("The specified type must match the base type for the role")
        if _blank(enr.get("user_id")):
            errors.append(MSG_NO_USER)
        if errors:
            raise E.BadRequest({"message": ", ".join(errors)})
        if etype is None:
            etype = found[0] if found is not None else "StudentEnrollment"
        # 2. permission
        if not self.can_add(viewer, course, etype):
            raise E.Unauthorized()
        # 3. the section: the path's, else course_section_id (an active section of this course)
        if path_section is not None:
            section = path_section
        elif not _blank(enr.get("course_section_id")):
            ref = enr["course_section_id"]
            if not isinstance(ref, (str, int)):
                raise E.NotFound()
            section = self.s.find("sections", str(ref))
            if section.course_id != course.id:
                raise E.NotFound()
        else:
            section = self.s.courses.default_section(course)
        # 4. the user: a login on the course's root account
        user = find_user(enr.get("user_id"))
        if user.workflow_state == "deleted" or self.s.people.root_account_id(user.account_id) != course.root_account_id:
            raise E.NotFound()
        # 5. a concluded course
        if self.s.courses.concluded(course):
            raise E.BadRequest({"message": MSG_CONCLUDED})
        # 6. the model's validations
        fields = self._model_fields(course, section, user, etype, enr)
        return self.create(viewer, course, section, user, etype, role, fields)

    def _model_fields(self, course: r.Course, section: r.Section, user: r.User, etype: str,
                          enr: dict[str, Any]) -> dict[str, Any]:
        """The enrollment's own fields from ``enrollment[...]``, or the model's 400 keyed hash."""
        bad = E.Invalid()
        state = enr.get("enrollment_state")
        if not _blank(state) and state not in ("active", "invited", "inactive", "creation_pending", "completed",
                                               "rejected"):
            bad.add("workflow_state", "is invalid")
        assoc = enr.get("associated_user_id")
        assoc_id = None
        if not _blank(assoc):
            assoc_id = digits_int(str(assoc).strip()) if isinstance(assoc, (str, int)) else None
            if etype != "ObserverEnrollment":
                bad.add("associated_user_id", "only ObserverEnrollments may have an associated_user_id")
            elif assoc_id is None or self.s.get("users", assoc_id) is None:
                raise E.NotFound()
            elif assoc_id == user.id:
                bad.add("associated_user_id", "Cannot observe yourself")
            elif any(x.type == "ObserverEnrollment" and x.associated_user_id == user.id
                     and x.workflow_state != "deleted" for x in self.s.courses.enrollments_of(assoc_id, course.id)):
                bad.add("associated_user_id", "Cannot observe observer observing self")
        if getattr(section, "workflow_state", "active") == "deleted":
            bad.add("course_section_id", "is not a valid section")
        if bad.errors:
            raise bad
        limit = to_bool(enr.get("limit_privileges_to_course_section"))
        return {
            "enrollment_state": None if _blank(state) else state,
            "limit_privileges_to_course_section": bool(limit),
            "start_at": parse_time(enr.get("start_at")), "end_at": parse_time(enr.get("end_at")),
            "associated_user_id": assoc_id if etype == "ObserverEnrollment" else None,
            "self_enrolled": bool(to_bool(enr.get("self_enrolled"))),
        }

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
                self.s.submissions.enrolled(e)  # submissions area: a new student gets the course's rows
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


# Enrollment#set_update_cached_due_dates: a student's state (or section: section overrides) changed
_RECOMPUTE = frozenset({"workflow_state", "course_section_id"})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
