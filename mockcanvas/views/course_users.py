"""The users of a course as ``GET /courses/:id/users`` shows them (CoursesController#users with
``user_json`` of lib/api/v1/user.rb) and the full ``enrollment_json`` of their enrollments
(``include[]=enrollments``; canvas-facts-enrollments-sections section 3).

* ``sis_user_id`` and ``email`` are forced into the includes (``includes.push("sis_user_id",
  "email")``): e-mail for callers with read_email_addresses (teachers, TAs, admins), SIS ids for
  read_sis (teachers, admins; not TAs), login ids for view_user_logins (teachers, TAs, admins);
* a user whose enrollments are all invited / creation_pending / rejected is "unconfirmed": no
  pseudonym fields (login and SIS ids) and no personal info (e-mail, bio);
* ``avatar_url`` only when the root account's avatars service is on (account setting
  ``enable_avatars``); ``group_ids`` the user's accepted memberships in the course's groups;
  ``locked`` is false on every enrollment (none comes from a SIS import here).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..store.records import Course, Enrollment, User
from .common import ViewContext, iso, iso_local, reads_sis
from .courses import role_id
from .users import avatar_url

PSEUDONYM_KEYS = ("sis_user_id", "integration_id", "sis_import_id", "login_id")
PERSONAL_KEYS = ("email", "bio")
UNCONFIRMED = frozenset({"invited", "creation_pending", "rejected"})


def roster_rights(vc: ViewContext, course: Course) -> frozenset[str]:
    """The viewer's course rights with the SIS rights of the 2025 permissions (TAs do not read SIS)."""
    rights = vc.context_rights("Course", course.id) - {"read_sis", "manage_sis"}
    return rights | vc.store.courses.sis_rights(vc.viewer, course)


def avatars_enabled(vc: ViewContext, course: Course) -> bool:
    root = vc.store.get("accounts", course.root_account_id)
    return root is not None and bool(dict(root.settings).get("enable_avatars"))


def grades_json(vc: ViewContext, e: Enrollment, course: Course, rights: frozenset[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"html_url": vc.url(f"/courses/{e.course_id}/grades/{e.user_id}")}
    if rights & {"manage_grades", "view_all_grades"}:
        data.update({"current_grade": None, "current_score": None, "final_grade": None, "final_score": None,
                     "unposted_current_score": None, "unposted_current_grade": None,
                     "unposted_final_score": None, "unposted_final_grade": None})
    elif vc.viewer is not None and vc.viewer.id == e.user_id and not course.hide_final_grades:
        data.update({"current_grade": None, "current_score": None, "final_grade": None, "final_score": None})
    return data


def enrollment_json(vc: ViewContext, e: Enrollment, course: Course, rights: frozenset[str], *,
                    locked: bool = False) -> dict[str, Any]:
    """enrollment_json (lib/api/v1/user.rb), as the course users list shows it (no ``user``)."""
    s = vc.store
    own = vc.viewer is not None and vc.viewer.id == e.user_id
    data: dict[str, Any] = {
        "id": e.id, "user_id": e.user_id, "course_id": e.course_id, "type": e.type,
        "created_at": iso(e.created_at), "updated_at": iso(e.created_at), "associated_user_id": None,
        "start_at": None, "end_at": None, "course_section_id": e.course_section_id,
        "root_account_id": course.root_account_id, "limit_privileges_to_course_section": False,
        "enrollment_state": "deleted" if course.workflow_state == "deleted" else e.workflow_state,
        "role": "StudentEnrollment" if e.type == "StudentViewEnrollment" else e.type,
        "role_id": role_id(e.type),
    }
    if own or "read_as_admin" in rights:  # read_reports: teachers, TAs, designers, admins
        data.update({"last_activity_at": None, "last_attended_at": None, "total_activity_time": 0})
    root_rights = vc.context_rights("Account", course.root_account_id)
    if "manage_sis" in root_rights:
        data["sis_import_id"] = None
    if e.type in ("StudentEnrollment", "StudentViewEnrollment"):
        data["grades"] = grades_json(vc, e, course, rights)
    if reads_sis(rights):
        section = s.get("sections", e.course_section_id)
        account = s.get("accounts", course.account_id)
        user = s.get("users", e.user_id)
        data.update({"sis_account_id": account.sis_account_id if account else None,
                     "sis_course_id": course.sis_course_id, "course_integration_id": course.integration_id,
                     "sis_section_id": section.sis_section_id if section else None,
                     "section_integration_id": None, "sis_user_id": user.sis_user_id if user else None})
    data["html_url"] = vc.url(f"/courses/{e.course_id}/users/{e.user_id}")
    if locked:
        data["locked"] = False
    return data


def course_user_json(vc: ViewContext, user: User, course: Course, rights: frozenset[str],
                     include: Iterable[str], enrollments: list[Enrollment], *, unconfirmed: bool,
                     forced: bool = True, with_enrollments: bool = False) -> dict[str, Any]:
    """user_json of one course user; ``forced``: the users list's forced ``email`` include."""
    inc = set(include)
    viewer_tz = vc.viewer.time_zone if vc.viewer else None
    data: dict[str, Any] = {"id": user.id, "name": user.name, "created_at": iso_local(user.created_at, viewer_tz),
                            "sortable_name": user.sortable_name, "short_name": user.short_name}
    if user.pronouns:
        data["pronouns"] = user.pronouns
    if reads_sis(rights):
        data["sis_user_id"] = user.sis_user_id
        data["integration_id"] = user.integration_id
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    if "view_user_logins" in rights:
        data["login_id"] = user.login_id
    if "avatar_url" in inc and avatars_enabled(vc, course):
        data["avatar_url"] = avatar_url(vc, user)
    if with_enrollments:
        data["enrollments"] = [enrollment_json(vc, e, course, rights, locked="locked" in inc) for e in enrollments]
    if (forced or "email" in inc) and "read_email_addresses" in rights:
        data["email"] = user.email
    if "bio" in inc:
        data["bio"] = user.bio
    if "uuid" in inc:
        data["uuid"] = user.uuid
    if "last_login" in inc:
        data["last_login"] = iso(user.last_login)
    if unconfirmed:
        for key in PSEUDONYM_KEYS + PERSONAL_KEYS:
            data.pop(key, None)
    return data


def group_ids(vc: ViewContext, user: User, course: Course) -> list[int]:
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


def is_unconfirmed(enrollments: Iterable[Enrollment]) -> bool:
    states = [e.workflow_state for e in enrollments]
    return bool(states) and all(st in UNCONFIRMED for st in states)
