"""Submissions (app/models/submission.rb, app/services/submission_lifecycle_manager.rb).

SKELETON: the operations' signatures are settled; the record and rules are being written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


class SubmissionOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def for_user(self, assignment_id: int, user_id: int) -> Any | None:
        """The user's submission of the assignment (any state but deleted), or None."""
        return None

    def has_student_submissions(self, assignment_id: int) -> bool:
        """``Assignment#has_student_submissions?``: a student has submitted (submission_type set)."""
        return False

    def sync(self, assignment: Any) -> None:
        """Make the ``unsubmitted`` submissions of every student the assignment is assigned to
        (``SubmissionLifecycleManager``): after an assignment is created or its overrides or
        visibility change, and when a student is enrolled."""


OPS = ("submissions", SubmissionOps)
