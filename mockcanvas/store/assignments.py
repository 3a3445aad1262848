"""Assignments (app/models/assignment.rb / abstract_assignment.rb, app/controllers/assignments_api_controller.rb).

SKELETON: the record, table and indexes are settled; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from .base import SortedIndex, UniqueIndex

if TYPE_CHECKING:
    from . import Store


@dataclass(slots=True)
class Assignment:
    id: int
    course_id: int
    assignment_group_id: int
    title: str = "Assignment"
    description: str | None = None
    due_at: datetime | None = None
    unlock_at: datetime | None = None
    lock_at: datetime | None = None
    points_possible: float | None = 0.0
    grading_type: str = "points"
    submission_types: str = "none"  # Canvas's comma-separated column
    allowed_extensions: tuple = ()
    position: int = 1  # 1-based within the assignment group
    peer_reviews: bool = False
    automatic_peer_reviews: bool = False
    peer_review_count: int = 0
    peer_reviews_assign_at: datetime | None = None
    anonymous_peer_reviews: bool = False
    intra_group_peer_reviews: bool = False
    grade_group_students_individually: bool = False
    group_category_id: int | None = None
    grading_standard_id: int | None = None
    post_to_sis: bool = False
    moderated_grading: bool = False
    grader_count: int = 0
    final_grader_id: int | None = None
    grader_comments_visible_to_graders: bool = True
    graders_anonymous_to_graders: bool = False
    grader_names_visible_to_final_grader: bool = True
    anonymous_grading: bool = False
    anonymous_instructor_annotations: bool = False
    omit_from_final_grade: bool = False
    hide_in_gradebook: bool = False
    allowed_attempts: int | None = None  # None: unlimited (the JSON says -1)
    annotatable_attachment_id: int | None = None
    only_visible_to_overrides: bool = False
    important_dates: bool = False
    sis_assignment_id: str | None = None
    integration_id: str | None = None
    integration_data: str = "{}"  # JSON text of the hash
    lti_context_id: str = ""  # a UUID made at create
    muted: bool = True  # before_create :set_muted
    post_manually: bool = False
    workflow_state: str = "unpublished"  # published | unpublished | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"assignments": Assignment}
SIS_FORMS = {"assignments": {"sis_assignment_id": "by_sis"}}


def _live(a: Assignment) -> bool:
    return a.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "assignments": {
            # a group's active assignments in Canvas's order: position, then id
            "by_group": SortedIndex(lambda a: a.assignment_group_id if _live(a) else None,
                                    lambda a: (a.position, a.id)),
            "by_sis": UniqueIndex(lambda a: a.sis_assignment_id),
        },
    }


class AssignmentOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def find_in_course(self, course_id: int, ref: Any) -> Assignment:
        """``api_find(@context.active_assignments, id)``: deleted or foreign -> 404."""
        a = self.s.find("assignments", ref)
        if a.course_id != course_id:
            raise E.NotFound()
        return a


OPS = ("assignments", AssignmentOps)
