"""The live events of courses (lib/canvas/live_events.rb ``get_course_data``, ``course_created``,
``course_updated``, ``course_syllabus_updated``; when: lib/canvas/live_events_callbacks.rb).

After a create: ``course_created``. After an update with a real change (not only ``updated_at``):
``syllabus_updated`` first when ``syllabus_body`` changed (old and new bodies, each cut to 8192
characters, ``LiveEvents.truncate``), then ``course_updated``. Bodies carry the **raw** workflow
state (created, claimed, available, completed, deleted) and global ids as strings; times are UTC
with milliseconds, as the data-services examples show them. ``account_uuid`` is in 2025 copies of
``get_course_data``, not in the documented example.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..coerce import stringify_ids
from ..timefmt import as_utc
from . import records as r
from .live import fires

if TYPE_CHECKING:
    from . import Store


SYLLABUS_LIMIT = 8192


def event_time(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    dt = as_utc(dt).astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def course_event_body(store: Store, course: r.Course) -> dict[str, Any]:
    g = store.global_id
    account = store.get("accounts", course.account_id)
    return stringify_ids({
        "course_id": g(course.id),
        "uuid": course.uuid,
        "account_id": g(course.account_id),
        "account_uuid": account.uuid if account is not None else None,
        "name": course.name,
        "created_at": event_time(course.created_at),
        "updated_at": event_time(course.updated_at or course.created_at),
        "workflow_state": course.workflow_state,
    })


def _truncate(text: str | None) -> str | None:
    return text[:SYLLABUS_LIMIT] if isinstance(text, str) else text


def course_events(store: Store, course: r.Course, changed: dict[str, tuple[Any, Any]] | None) -> list:
    if changed is None:
        return [("course_created", course_event_body(store, course))]
    if not fires(changed):
        return []
    events = []
    if "syllabus_body" in changed:
        events.append(("syllabus_updated", stringify_ids({
            "course_id": store.global_id(course.id),
            "syllabus_body": _truncate(course.syllabus_body),
            "old_syllabus_body": _truncate(changed["syllabus_body"][0]),
        })))
    events.append(("course_updated", course_event_body(store, course)))
    return events
