"""Assignment groups (app/models/assignment_group.rb, app/controllers/assignment_groups_api_controller.rb).

SKELETON: the record, table and index are settled; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .. import errors as E
from .base import SortedIndex, fold

if TYPE_CHECKING:
    from . import Store


@dataclass(slots=True)
class AssignmentGroup:
    id: int
    course_id: int
    name: str = "Assignments"
    position: int = 1
    group_weight: float = 0.0
    sis_source_id: str | None = None
    integration_data: str = "{}"  # the JSON text of the hash: immutable, a shallow copy is a snapshot
    rules: str = ""  # Canvas's stored text: "drop_lowest:1\ndrop_highest:1\nnever_drop:33\n"
    workflow_state: str = "available"  # available | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"assignment_groups": AssignmentGroup}


def _live(g: AssignmentGroup) -> bool:
    return g.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "assignment_groups": {
            # a course's active groups in Canvas's order: position, then name, then id
            "by_course": SortedIndex(lambda g: g.course_id if _live(g) else None,
                                     lambda g: (g.position, fold(g.name), g.id)),
        },
    }


class AssignmentGroupOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def active(self, course_id: int) -> list[AssignmentGroup]:
        get = self.s.rows["assignment_groups"].get
        return [get(i) for i in self.s.idx["assignment_groups"]["by_course"].ids(course_id)]

    def find_in_course(self, course_id: int, ref) -> AssignmentGroup:
        group = self.s.find("assignment_groups", ref)
        if group.course_id != course_id:
            raise E.NotFound()
        return group

    def require_default(self, course_id: int) -> AssignmentGroup:
        """``Course#require_assignment_group``: the first active group by position, made
        ("Assignments") when the course has none."""
        groups = self.active(course_id)
        if groups:
            return groups[0]
        now = self.s.now()
        return self.s.insert("assignment_groups", course_id=course_id, name="Assignments", position=1,
                             created_at=now, updated_at=now)


OPS = ("assignment_groups", AssignmentGroupOps)
