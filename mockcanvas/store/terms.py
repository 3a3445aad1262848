"""Enrollment terms (app/models/enrollment_term.rb): the record, its table and indexes.

Terms belong to root accounts; every root account has a ``Default Term`` (no dates), which the
world loader makes when a world names none. ``overrides`` holds the per-enrollment-type dates
(``EnrollmentDatesOverride``) as ``((type, start_at, end_at), ...)``: immutable, so that a shallow
copy of the row is a full snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .base import SortedIndex, UniqueIndex

DEFAULT_TERM_NAME = "Default Term"


@dataclass(slots=True)
class Term:
    id: int
    root_account_id: int
    name: str
    start_at: datetime | None = None
    end_at: datetime | None = None
    sis_term_id: str | None = None
    integration_id: str | None = None
    overrides: tuple = ()
    grading_period_group_id: int | None = None
    workflow_state: str = "active"  # active | deleted
    default: bool = False  # the root account's default term: cannot be deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"terms": Term}
SIS_FORMS = {"terms": {"sis_term_id": "by_sis"}}


def INDEXES() -> dict:
    return {
        "terms": {
            "by_account": SortedIndex(lambda t: t.root_account_id, lambda t: (t.id,)),
            # SIS ids are unique within a root account
            "by_sis": UniqueIndex(lambda t: t.sis_term_id if t.workflow_state != "deleted" else None),
        },
    }
