"""Enrollments (app/models/enrollment.rb): the table and its indexes."""

from __future__ import annotations

from . import records as r
from .base import SortedIndex

RECORDS = {"enrollments": r.Enrollment}


def INDEXES() -> dict:
    return {
        "enrollments": {
            "by_course": SortedIndex(lambda e: e.course_id, lambda e: (e.id,)),
            "by_user": SortedIndex(lambda e: e.user_id, lambda e: (e.id,)),
        },
    }
