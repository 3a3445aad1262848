"""The enrollments area of a world file: ``enrollments`` of users in course sections.

Fields beyond the user, course, section, type and state (the Enrollments area): ``role`` (a custom
course role of the ``roles`` section, whose base type must be the enrollment's type),
``limit_privileges_to_course_section``, ``start_at`` / ``end_at`` and ``associated_user`` (observers
only: the student observed). ``roles`` are custom course roles (app/models/role.rb): ``name``,
``base_role_type`` (student, teacher, ta, designer, observer or the Enrollment names), ``account``
(default: the first account), ``workflow_state`` (active, inactive); their ids start after the
built-in roles' (``store.enrollments.FIRST_CUSTOM_ROLE_ID``, 10), as Canvas's do.

A course without any section gets a default section named after it, as Canvas does, numbered after
all other sections. What each user's live sections are is left for the groups area
(``loader.shared["enrollments.sections_of"]``: members of a restricted self sign-up group must
share one).
"""

from __future__ import annotations

from ..store import records as r
from ..store.people import ENROLLMENT_TYPE_NAMES
from ..store.enrollments import FIRST_CUSTOM_ROLE_ID, ROLE_IDS
from .fields import DT, ID, B, F, S, enum, ref, req
from .loader import Item, Loader, Section

TYPE_ALIASES = {k: v for k, v in ENROLLMENT_TYPE_NAMES.items() if v in r.ENROLLMENT_TYPES}
TYPE = enum(*TYPE_ALIASES, *r.ENROLLMENT_TYPES)
STATE = enum(*r.ENROLLMENT_STATES)
# an enrollment as ``generate``'s ``enroll`` gives it (mockcanvas.seed.users)
ENROLL = {"course": req(ref("courses")), "type": TYPE, "sections": F("refs", kind="sections"), "state": STATE}
ENROLLMENT_FIELDS = {**ID, "user": req(ref("users")), "course": ref("courses"), "section": ref("sections"),
                     "type": TYPE, "state": STATE, "created_at": DT, "role": ref("roles"),
                     "limit_privileges_to_course_section": B, "start_at": DT, "end_at": DT,
                     "associated_user": ref("users")}
ROLE_FIELDS = {**ID, "name": req(S), "base_role_type": req(TYPE), "account": ref("accounts"),
               "workflow_state": enum("active", "inactive")}


def build_roles(loader: Loader) -> None:
    names: set[tuple[int, str]] = set()
    for it in loader.items["roles"]:
        if it.id is not None and it.id < FIRST_CUSTOM_ROLE_ID:
            loader.err(it.file, it.at("id"), f"ids under {FIRST_CUSTOM_ROLE_ID} are the built-in roles'")
        account = loader.resolve(it, "account", "accounts")
        if account is None and "account" not in it.f:
            account = min(loader.items["accounts"], key=lambda a: a.id, default=None)
        name = it.f.get("name", "")
        base = TYPE_ALIASES.get(it.f.get("base_role_type"), it.f.get("base_role_type"))
        if name in ROLE_IDS or name in r.ENROLLMENT_TYPES:
            loader.err(it.file, it.at("name"), f"{name!r} is reserved")
        if account is None:
            continue
        if (account.id, name) in names:
            loader.err(it.file, it.at("name"), "A role with this name already exists")
        names.add((account.id, name))
        it.row = {"name": name, "base_role_type": base, "account_id": account.id,
                  "workflow_state": it.f.get("workflow_state", "active")}


def build_enrollments(loader: Loader) -> None:
    sections = loader.items["sections"]
    first_section: dict[int, Item] = {}
    for s in sections:
        c = s.r.get("course")
        if c is not None and (c.id not in first_section or s.id < first_section[c.id].id):
            first_section[c.id] = s
    next_section = max(loader.by_id["sections"], default=0) + 1
    seen: set[tuple[int, int, str]] = set()
    # (user, course) -> live sections: a section id, or a set of them when there are several
    sections_of: dict[tuple[int, int], int | set[int]] = {}
    loader.shared["enrollments.sections_of"] = sections_of
    resolve, err = loader.resolve, loader.err
    for it in loader.items["enrollments"]:
        user = resolve(it, "user", "users")
        course = resolve(it, "course", "courses")
        section = resolve(it, "section", "sections")
        if section is not None and section.r.get("course") is not None:
            if course is None and "course" not in it.f:
                course = section.r["course"]
            elif course is not None and section.r["course"] is not course:
                err(it.file, it.at("section"), f"{section.label} is not in {course.label}")
        if course is None:
            if "course" not in it.f and "section" not in it.f:
                err(it.file, it.at("course"), "required (or give a section)")
            continue
        if section is None and "section" not in it.f:
            section = first_section.get(course.id)
            if section is None:
                # Canvas gives every course a default section named after the course.
                section = Item("sections", it.file, it.path, {}, id=next_section,
                               row={"course_id": course.id, "name": course.f["name"]})
                section.r["course"] = course
                next_section += 1
                sections.append(section)
                first_section[course.id] = section
        if user is None or section is None:
            continue
        etype = it.f.get("type", "student")
        etype = TYPE_ALIASES.get(etype, etype)
        state = it.f.get("state", "active")
        role = resolve(it, "role", "roles")
        if role is not None and role.row and role.row.get("base_role_type") != etype:
            err(it.file, it.at("role"), f"{role.label} is not a {etype} role")
        observed = resolve(it, "associated_user", "users")
        if observed is not None and etype != "ObserverEnrollment":
            err(it.file, it.at("associated_user"), "only observer enrollments observe a user")
        if (user.id, section.id, etype) in seen:
            err(it.file, it.path, f"{user.label} is already enrolled as {etype} in {section.label}")
        seen.add((user.id, section.id, etype))
        if state != "deleted":
            mine = sections_of.setdefault((user.id, course.id), section.id)
            if mine != section.id:
                if isinstance(mine, int):
                    sections_of[(user.id, course.id)] = {mine, section.id}
                else:
                    mine.add(section.id)
        it.row = r.Enrollment(id=it.id, user_id=user.id, course_id=course.id,  # type: ignore[assignment]
                              course_section_id=section.id, type=etype, workflow_state=state,
                              created_at=it.f.get("created_at"), role_id=role.id if role is not None else None,
                              limit_privileges_to_course_section=bool(it.f.get("limit_privileges_to_course_section")),
                              start_at=it.f.get("start_at"), end_at=it.f.get("end_at"),
                              associated_user_id=observed.id if observed is not None else None)
        it.f = it.r = None  # type: ignore[assignment]  # nothing reads an enrollment's item again


SECTIONS = (Section("roles", ROLE_FIELDS, noun="role", table="roles", build=build_roles),
            Section("enrollments", ENROLLMENT_FIELDS, noun="enrollment", table="enrollments",
                    build=build_enrollments),)
