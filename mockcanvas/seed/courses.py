"""The courses area of a world file: ``courses``, each in an account and a term of its root account."""

from __future__ import annotations

from .fields import DT, ID, SETTINGS, B, S, enum, integer, ref, req
from .loader import Loader, Section

# Course.licenses
LICENSES = ("private", "cc_by_nc_nd", "cc_by_nc_sa", "cc_by_nc", "cc_by_nd", "cc_by_sa", "cc_by", "public_domain")
COURSE_FIELDS = {
    **ID, "name": req(S), "course_code": S, "sis_course_id": S, "integration_id": S,
    "account": req(ref("accounts")), "term": ref("terms"),
    # Canvas's raw states; the API's names are accepted too (unpublished: never published)
    "workflow_state": enum("created", "claimed", "available", "completed", "deleted",
                           aliases={"unpublished": "claimed", "concluded": "completed"}),
    "time_zone": S, "locale": S, "allow_student_organized_groups": B, "start_at": DT, "end_at": DT,
    "restrict_enrollments_to_course_dates": B, "syllabus_body": S, "public_description": S, "is_public": B,
    "is_public_to_auth_users": B, "public_syllabus": B, "public_syllabus_to_auth": B, "license": enum(*LICENSES),
    "default_view": enum("feed", "wiki", "modules", "assignments", "syllabus"),
    "course_format": enum("on_campus", "online", "blended"), "storage_quota_mb": integer(0),
    "hide_final_grades": B, "apply_assignment_group_weights": B, "course_color": S, "settings": SETTINGS,
    "uuid": S, "created_at": DT, "updated_at": DT,
}
_COPIED = ("sis_course_id", "integration_id", "workflow_state", "time_zone", "locale",
           "allow_student_organized_groups", "start_at", "end_at", "restrict_enrollments_to_course_dates",
           "syllabus_body", "public_description", "is_public", "is_public_to_auth_users", "public_syllabus",
           "public_syllabus_to_auth", "license", "default_view", "course_format", "storage_quota_mb",
           "hide_final_grades", "apply_assignment_group_weights", "course_color", "settings", "uuid",
           "created_at", "updated_at")


def build_courses(loader: Loader) -> None:
    for it in loader.items["courses"]:
        acc = loader.resolve(it, "account", "accounts")
        term = loader.resolve(it, "term", "terms")
        if acc is None:
            continue
        root = acc.r["root"]
        if term is None and "term" not in it.f:
            term = root.r.get("default_term")
        elif term is not None and term.row:
            other = term.r["account"]
            if other is not root:
                loader.err(it.file, it.at("term"),
                           f"{term.label} belongs to {other.label}, not to {root.label}, the course's root account")
            elif term.row.get("workflow_state") == "deleted" and it.f.get("workflow_state") != "deleted":
                loader.err(it.file, it.at("term"), f"{term.label} is deleted")
        it.row = {"name": it.f["name"], "course_code": it.f.get("course_code", it.f["name"]),
                  "account_id": acc.id, "root_account_id": root.id,
                  "enrollment_term_id": term.id if term is not None else None}
        loader.copy(it, *_COPIED)
        loader.claim(it, "sis_course_id", it.f.get("sis_course_id"))
        loader.claim(it, "integration_id", it.f.get("integration_id"))


SECTIONS = (Section("courses", COURSE_FIELDS, noun="course", table="courses", build=build_courses),)
