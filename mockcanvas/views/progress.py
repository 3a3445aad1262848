"""progress_json (lib/api/v1/progress.rb)."""

from __future__ import annotations

from typing import Any

from ..store.records import Progress
from .common import ViewContext, iso


def progress_json(vc: ViewContext, p: Progress) -> dict[str, Any]:
    completion: float | int = p.completion
    if float(completion).is_integer():
        completion = int(completion)
    data: dict[str, Any] = {
        "id": p.id,
        "context_id": p.context_id,
        "context_type": p.context_type,
        "user_id": p.user_id,
        "tag": p.tag,
        "completion": completion,
        "workflow_state": p.workflow_state,
        "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at),
        "message": p.message,
        "url": vc.url(f"/api/v1/progress/{p.id}"),
    }
    if not p.pending and p.results is not None:
        data["results"] = p.results
    return data
