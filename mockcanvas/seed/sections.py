"""The sections area of a world file: ``sections`` of courses (a course's default section is made by
``enrollments`` when it has none).

Fields beyond the name and SIS id (CourseSection's columns, see ``mockcanvas/store/sections.py``):
``integration_id``, ``start_at`` / ``end_at`` (``end_at`` not before ``start_at``),
``restrict_enrollments_to_section_dates``, ``default_section``, ``state`` (``active`` | ``deleted``)
and ``nonxlist_course``: a cross-listed section names its original course there and its current
course in ``course`` (its enrollments are in ``course``).
"""

from __future__ import annotations

from .fields import B, DT, ID, S, enum, integer, ref, req
from .loader import Loader, Section

SECTION_FIELDS = {**ID, "course": req(ref("courses")), "name": S, "sis_section_id": S, "integration_id": S,
                  "start_at": DT, "end_at": DT, "restrict_enrollments_to_section_dates": B,
                  "default_section": B, "nonxlist_course": ref("courses"), "state": enum("active", "deleted"),
                  "sis_import_id": integer(min=1), "created_at": DT}


def build_sections(loader: Loader) -> None:
    for it in loader.items["sections"]:
        course = loader.resolve(it, "course", "courses")
        original = loader.resolve(it, "nonxlist_course", "courses")
        if course is None:
            continue
        it.row = {"course_id": course.id, "name": it.f.get("name", course.f["name"])}
        loader.copy(it, "sis_section_id", "integration_id", "start_at", "end_at",
                    "restrict_enrollments_to_section_dates", "default_section", "sis_import_id", "created_at")
        if original is not None:
            if original is course:
                loader.err(it.file, it.at("nonxlist_course"), "is the section's own course")
            it.row["nonxlist_course_id"] = original.id
        if "state" in it.f:
            it.row["workflow_state"] = it.f["state"]
        start, end = it.f.get("start_at"), it.f.get("end_at")
        if start is not None and end is not None and end < start:
            loader.err(it.file, it.at("end_at"), "End date cannot be before start date")
        loader.claim(it, "sis_section_id", it.f.get("sis_section_id"))
        loader.claim(it, "integration_id", it.f.get("integration_id"))


SECTIONS = (Section("sections", SECTION_FIELDS, noun="section", table="sections", build=build_sections),)
