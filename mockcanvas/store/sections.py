"""Course sections (app/models/course_section.rb): the table and its indexes."""

from __future__ import annotations

from . import records as r
from .base import SortedIndex, UniqueIndex

RECORDS = {"sections": r.Section}
SIS_FORMS = {"sections": {"sis_section_id": "by_sis"}}


def INDEXES() -> dict:
    return {
        "sections": {
            "by_course": SortedIndex(lambda s: s.course_id, lambda s: (s.id,)),
            "by_sis": UniqueIndex(lambda s: s.sis_section_id),
        },
    }
