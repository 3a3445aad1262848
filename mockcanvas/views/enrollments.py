"""``enrollment_json`` (lib/api/v1/user.rb, modern), the one serializer of an enrollment: the
Enrollments API and ``GET /courses/:id/users?include[]=enrollments`` (canvas-facts-enrollments-
sections section 3).

Keys in Canvas's order: the columns in table order (``id`` ... ``limit_privileges_to_course_section``),
``enrollment_state`` (the raw workflow state, ``deleted`` when the course or the section is), ``role``
and ``role_id``; the activity fields for the caller's own enrollment or with read_reports (staff);
``sis_import_id`` with manage_sis on the root account; ``grades`` on student enrollments; the SIS
fields with read_sis; ``html_url``; ``user`` in lists only; then the include[] keys ``locked``,
``observed_user``, ``can_be_removed``.

``grades`` (``grades_hash``): ``html_url``, then every score for graders (manage_grades /
view_all_grades), the four effective ones for the student themself (unless the course hides final
grades) or an observer of the student, nothing more for anyone else; the mock keeps no scores, so
they are null. ``include[]=current_points`` adds ``current_points`` (and ``unposted_current_points``
for graders).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..store.records import Course, Enrollment, User
from .common import ViewContext, iso, reads_sis
from .users import avatar_url, user_json_head

GRADER = frozenset({"manage_grades", "view_all_grades"})
STUDENT_TYPES = frozenset({"StudentEnrollment", "StudentViewEnrollment"})
# include[] values of the index (the others are ignored)
ENROLLMENT_INCLUDES = ("avatar_url", "group_ids", "locked", "observed_users", "can_be_removed", "uuid",
                       "current_points", "email")


def roster_rights(vc: ViewContext, course: Course) -> frozenset[str]:
    """The viewer's course rights with the SIS rights of the 2025 permissions (TAs do not read SIS)."""
    rights = vc.context_rights("Course", course.id) - {"read_sis", "manage_sis"}
    return rights | vc.store.courses.sis_rights(vc.viewer, course)


def observes(vc: ViewContext, course: Course, student_id: int) -> bool:
    """The viewer observes the student in the course (an observer enrollment linked to them)."""
    if vc.viewer is None:
        return False
    return any(e.type == "ObserverEnrollment" and e.associated_user_id == student_id
               and e.workflow_state not in ("deleted", "rejected", "inactive")
               for e in vc.store.courses.enrollments_of(vc.viewer.id, course.id))


def grades_json(vc: ViewContext, e: Enrollment, course: Course, rights: frozenset[str], *,
                current_points: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"html_url": vc.url(f"/courses/{e.course_id}/grades/{e.user_id}")}
    own = vc.viewer is not None and vc.viewer.id == e.user_id
    if rights & GRADER:
        data.update({"current_grade": None, "current_score": None, "final_grade": None, "final_score": None,
                     "unposted_current_score": None, "unposted_current_grade": None,
                     "unposted_final_score": None, "unposted_final_grade": None})
        if current_points:
            data.update({"current_points": None, "unposted_current_points": None})
    elif (own and not course.hide_final_grades) or (not own and observes(vc, course, e.user_id)):
        data.update({"current_grade": None, "current_score": None, "final_grade": None, "final_score": None})
        if current_points:
            data["current_points"] = None
    return data


def enrollment_json(vc: ViewContext, e: Enrollment, course: Course, rights: frozenset[str], *,
                    include: Iterable[str] = (), user: User | None = None, user_rights: frozenset[str] | None = None,
                    locked: bool = False) -> dict[str, Any]:
    """One enrollment. ``rights``: :func:`roster_rights` of the viewer in the course; ``user``: the
    enrollment's user, shown as ``user`` (the index only); ``locked``: the users list's include."""
    s = vc.store
    inc = include if isinstance(include, (set, frozenset)) else set(include)
    own = vc.viewer is not None and vc.viewer.id == e.user_id
    section = s.get("sections", e.course_section_id)
    deleted = course.workflow_state == "deleted" or (
        section is not None and getattr(section, "workflow_state", "active") == "deleted")
    role, rid = s.enrollments.role_of(e)
    data: dict[str, Any] = {
        "id": e.id, "user_id": e.user_id, "course_id": e.course_id, "type": e.type,
        "created_at": iso(e.created_at), "updated_at": iso(e.updated_at or e.created_at),
        "associated_user_id": e.associated_user_id, "start_at": iso(e.start_at), "end_at": iso(e.end_at),
        "course_section_id": e.course_section_id, "root_account_id": course.root_account_id,
        "limit_privileges_to_course_section": e.limit_privileges_to_course_section,
        "enrollment_state": "deleted" if deleted else e.workflow_state,
        "role": role, "role_id": rid,
    }
    if own or "read_as_admin" in rights:  # read_reports: teachers, TAs, designers, admins
        data.update({"last_activity_at": iso(e.last_activity_at), "last_attended_at": iso(e.last_attended_at),
                     "total_activity_time": e.total_activity_time})
    if "manage_sis" in vc.context_rights("Account", course.root_account_id):
        data["sis_import_id"] = e.sis_import_id
    if e.type in STUDENT_TYPES:
        data["grades"] = grades_json(vc, e, course, rights, current_points="current_points" in inc)
    if reads_sis(rights):
        account = s.get("accounts", course.account_id)
        person = user if user is not None else s.get("users", e.user_id)
        data.update({"sis_account_id": account.sis_account_id if account else None,
                     "sis_course_id": course.sis_course_id, "course_integration_id": course.integration_id,
                     "sis_section_id": section.sis_section_id if section else None,
                     "section_integration_id": getattr(section, "integration_id", None) if section else None,
                     "sis_user_id": person.sis_user_id if person else None})
    data["html_url"] = vc.url(f"/courses/{e.course_id}/users/{e.user_id}")
    if user is not None:
        data["user"] = index_user_json(vc, user, course, rights if user_rights is None else user_rights, inc)
    if locked or "locked" in inc:
        # SIS-made enrollments are locked for callers without manage_sis; the mock's never come from SIS
        data["locked"] = e.sis_import_id is not None and "manage_sis" not in rights
    if "observed_users" in inc and e.type == "ObserverEnrollment" and e.associated_user_id is not None:
        student = s.get("users", e.associated_user_id)
        if student is not None and student.workflow_state != "deleted":
            observed = index_user_json(vc, student, course, rights, inc)
            observed["enrollments"] = [
                enrollment_json(vc, x, course, rights)
                for x in s.courses.enrollments_of(student.id, course.id)
                if x.type == "StudentEnrollment" and x.workflow_state in ("active", "invited", "creation_pending")]
            data["observed_user"] = observed
    if "can_be_removed" in inc:
        data["can_be_removed"] = s.enrollments.can_remove(vc.viewer, e, course)
    return data


def index_user_json(vc: ViewContext, user: User, course: Course, rights: frozenset[str],
                    include: Iterable[str]) -> dict[str, Any]:
    """``user_json`` of the index's ``user`` (includes: avatar_url, group_ids, uuid, email)."""
    inc = set(include)
    data = user_json_head(vc, user, rights)
    if "avatar_url" in inc:
        root = vc.store.get("accounts", course.root_account_id)
        if root is not None and dict(root.settings).get("enable_avatars"):
            data["avatar_url"] = avatar_url(vc, user)
    if "email" in inc and "read_email_addresses" in rights:
        data["email"] = user.email
    if "group_ids" in inc:
        data["group_ids"] = group_ids(vc, user, course)
    if "uuid" in inc:
        data["uuid"] = user.uuid
    return data


def group_ids(vc: ViewContext, user: User, course: Course) -> list[int]:
    """The user's accepted memberships in live groups of the course."""
    s = vc.store
    out = []
    for mid in s.idx["memberships"]["by_user"].ids(user.id):
        m = s.get("memberships", mid)
        if m is None or m.workflow_state != "accepted":
            continue
        g = s.get("groups", m.group_id)
        if g is not None and g.workflow_state != "deleted" and g.context_type == "Course" and g.context_id == course.id:
            out.append(g.id)
    return out
