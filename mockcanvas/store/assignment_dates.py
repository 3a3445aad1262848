"""The dates and visibility a user sees of an assignment (AssignmentOverrideApplicator,
DatesOverridable, differentiated assignments).

SKELETON: the signatures are settled; the rules are being written (today: base dates, published).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Store
    from .assignments import Assignment
    from .records import User


def dates_for(store: Store, assignment: Assignment, user: User | None) -> tuple[datetime | None, datetime | None, datetime | None]:
    """(due_at, unlock_at, lock_at) as ``user`` sees them (overrides applied, canvas-facts-assignments 5.4)."""
    return assignment.due_at, assignment.unlock_at, assignment.lock_at


def visible_to(store: Store, assignment: Assignment, user: User | None) -> bool:
    """Differentiated assignments: may a student/observer see the assignment (published is checked
    by the caller)? Callers with read_as_admin see everything."""
    return True


def all_dates(store: Store, assignment: Assignment, user: User | None) -> list[dict]:
    """``DatesOverridable#dates_hash_visible_to`` (canvas-facts-assignments 5.5): JSON-ready entries."""
    return [{"due_at": assignment.due_at, "unlock_at": assignment.unlock_at, "lock_at": assignment.lock_at,
             "base": True}]
