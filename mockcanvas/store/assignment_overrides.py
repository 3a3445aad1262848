"""Assignment overrides (app/models/assignment_override.rb, app/controllers/assignment_overrides_controller.rb).

SKELETON: the record, table and index are settled; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from .base import SortedIndex

if TYPE_CHECKING:
    from . import Store


@dataclass(slots=True)
class AssignmentOverride:
    id: int
    assignment_id: int
    course_id: int
    set_type: str  # ADHOC | CourseSection | Group | Course ("Everyone")
    set_id: int | None = None  # the section, group or course id; None for ADHOC
    title: str = ""
    student_ids: tuple = ()  # ADHOC: the students' user ids, in the order added
    due_at: datetime | None = None
    due_at_overridden: bool = False
    all_day: bool = False
    all_day_date: date | None = None
    unlock_at: datetime | None = None
    unlock_at_overridden: bool = False
    lock_at: datetime | None = None
    lock_at_overridden: bool = False
    workflow_state: str = "active"  # active | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"assignment_overrides": AssignmentOverride}


def INDEXES() -> dict:
    return {
        "assignment_overrides": {
            # an assignment's active overrides, by id
            "by_assignment": SortedIndex(lambda o: o.assignment_id if o.workflow_state != "deleted" else None,
                                         lambda o: (o.id,)),
        },
    }


class AssignmentOverrideOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def active(self, assignment_id: int) -> list[AssignmentOverride]:
        get = self.s.rows["assignment_overrides"].get
        return [get(i) for i in self.s.idx["assignment_overrides"]["by_assignment"].ids(assignment_id)]


OPS = ("assignment_overrides", AssignmentOverrideOps)
