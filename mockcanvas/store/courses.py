"""Courses (app/models/course.rb): the table and its indexes. Course operations are added by the
Courses API."""

from __future__ import annotations

from . import records as r
from .base import SortedIndex, UniqueIndex

RECORDS = {"courses": r.Course}
SIS_FORMS = {"courses": {"sis_course_id": "by_sis"}}


def INDEXES() -> dict:
    return {
        "courses": {
            "by_sis": UniqueIndex(lambda c: c.sis_course_id),
            "by_account": SortedIndex(lambda c: c.account_id, lambda c: (c.id,)),
        },
    }
