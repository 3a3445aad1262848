"""assignment_group_json (lib/api/v1/assignment_group.rb, modern).

Keys: ``id``, ``name``, ``position``, ``group_weight`` (a float; null if infinite, as ActiveSupport
renders it), ``sis_source_id``, ``integration_data`` (``api_json only:`` of the columns, in column
order), then ``rules`` (``rules_hash``: ``{}`` without rules; ``never_drop`` ids as strings under
``application/json+canvas-string-ids``). With ``include[]=assignments``: ``assignments``, each the
assignments area's ``assignment_json`` for the caller (the include[] values and the request's
parameters passed through), ``exclude_response_fields[]`` taken out of it, then
``in_closed_grading_period`` (false: no grading periods) unless excluded; and
``any_assignment_in_closed_grading_period`` unless ``in_closed_grading_period`` is excluded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..store.assignment_groups import AssignmentGroup, finite, rules_hash
from .common import ViewContext

if TYPE_CHECKING:
    from ..store.assignments import Assignment

# what include[] the index documents (assignments and what is passed to each assignment)
GROUP_INCLUDES = ("assignments", "discussion_topic", "all_dates", "assignment_visibility", "overrides",
                  "submission", "observed_users", "can_edit", "score_statistics", "module_ids")
EXCLUDABLE = ("description", "rubric", "in_closed_grading_period", "needs_grading_count")


def assignment_group_json(vc: ViewContext, group: AssignmentGroup, include: Iterable[str] = (), *,
                          assignments: Sequence[Assignment] = (), params: dict[str, Any] | None = None,
                          exclude: Iterable[str] = (), string_ids: bool = False) -> dict[str, Any]:
    include = set(include)
    data: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "position": group.position,
        "group_weight": finite(group.group_weight),
        "sis_source_id": group.sis_source_id,
        "integration_data": json.loads(group.integration_data),
        "rules": rules_hash(group.rules, stringify=string_ids),
    }
    if "assignments" in include:
        from .assignments import assignment_json  # the assignments area's view

        exclude = set(exclude)
        closed = "in_closed_grading_period" not in exclude
        items = []
        for a in assignments:
            item = assignment_json(vc, a, include, params=params)
            for key in exclude:
                item.pop(key, None)
            item.pop("in_closed_grading_period", None)  # the group's own, appended last
            if closed:
                item["in_closed_grading_period"] = False
            items.append(item)
        data["assignments"] = items
        if closed:
            data["any_assignment_in_closed_grading_period"] = any(i["in_closed_grading_period"] for i in items)
    return data
