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
from . import enrollments as enrollments_view
from .common import ViewContext, iso
from .users import avatar_url, user_json_head

PSEUDONYM_KEYS = ("sis_user_id", "integration_id", "sis_import_id", "login_id")
PERSONAL_KEYS = ("email", "bio")
UNCONFIRMED = frozenset({"invited", "creation_pending", "rejected"})


def avatars_enabled(vc: ViewContext, course: Course) -> bool:
    root = vc.store.get("accounts", course.root_account_id)
    return root is not None and bool(dict(root.settings).get("enable_avatars"))


def enrollment_json(vc: ViewContext, e: Enrollment, course: Course, rights: frozenset[str], *,
                    locked: bool = False) -> dict[str, Any]:
    """enrollment_json as the course users list shows it (no ``user``): the one serializer of
    ``views/enrollments.py``."""
    return enrollments_view.enrollment_json(vc, e, course, rights, locked=locked)


def course_user_json(vc: ViewContext, user: User, course: Course, rights: frozenset[str],
                     include: Iterable[str], enrollments: list[Enrollment], *, unconfirmed: bool,
                     forced: bool = True, with_enrollments: bool = False) -> dict[str, Any]:
    """user_json of one course user; ``forced``: the users list's forced ``email`` include."""
    inc = set(include)
    data = user_json_head(vc, user, rights)
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


def is_unconfirmed(enrollments: Iterable[Enrollment]) -> bool:
    states = [e.workflow_state for e in enrollments]
    return bool(states) and all(st in UNCONFIRMED for st in states)
