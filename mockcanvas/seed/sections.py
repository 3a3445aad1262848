"""The sections area of a world file: ``sections`` of courses (a course's default section is made by
``enrollments`` when it has none)."""

from __future__ import annotations

from .fields import DT, ID, S, ref, req
from .loader import Loader, Section

SECTION_FIELDS = {**ID, "course": req(ref("courses")), "name": S, "sis_section_id": S, "created_at": DT}


def build_sections(loader: Loader) -> None:
    for it in loader.items["sections"]:
        course = loader.resolve(it, "course", "courses")
        if course is not None:
            it.row = {"course_id": course.id, "name": it.f.get("name", course.f["name"])}
            loader.copy(it, "sis_section_id", "created_at")
            loader.claim(it, "sis_section_id", it.f.get("sis_section_id"))


SECTIONS = (Section("sections", SECTION_FIELDS, noun="section", table="sections", build=build_sections),)
