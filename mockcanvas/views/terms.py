"""enrollment_term_json (lib/api/v1/enrollment_term.rb; canvas-facts-courses-users section 8).

``api_json(only: %w[id name start_at end_at workflow_state grading_period_group_id created_at])``
in column order (id, name, start_at, end_at, created_at, workflow_state, grading_period_group_id);
then ``sis_term_id`` (read_sis or manage_sis on the root account: its admins) and ``sis_import_id``
(manage_sis); ``overrides`` (include): ``{type: {start_at, end_at}}`` for the overrides that have
a date, in their creation order; ``course_count`` (include).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..store.terms import Term
from .common import ViewContext, iso, reads_sis

TERM_INCLUDES = ("overrides", "course_count")


def term_json(vc: ViewContext, term: Term, includes: Iterable[str] = ()) -> dict[str, Any]:
    includes = set(includes)
    rights = vc.context_rights("Account", term.root_account_id)
    data: dict[str, Any] = {
        "id": term.id,
        "name": term.name,
        "start_at": iso(term.start_at),
        "end_at": iso(term.end_at),
        "created_at": iso(term.created_at),
        "workflow_state": term.workflow_state,
        "grading_period_group_id": term.grading_period_group_id,
    }
    if reads_sis(rights):
        data["sis_term_id"] = term.sis_term_id
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    if "overrides" in includes:
        data["overrides"] = {kind: {"start_at": iso(start), "end_at": iso(end)}
                             for kind, start, end in term.overrides if start is not None or end is not None}
    if "course_count" in includes:
        data["course_count"] = vc.store.terms.course_count(term)
    return data
