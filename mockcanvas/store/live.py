"""When the store emits a live event, and the metadata (the event envelope) every event shares.

Canvas (``lib/canvas/live_events_callbacks.rb``) posts after a create, and after an update whose
saved changes include anything but ``updated_at`` and ``sis_batch_id``. Soft deletes are updates.
Each area builds its own bodies (``LIVE_EVENTS`` in its store module, after ``lib/canvas/
live_events.rb``: get_group_data in ``store/groups.py`` and so on); metadata follows ``ApplicationController#setup_live_events_context``
and ``Canvas::LiveEvents.amended_context``. ``StringifyIds`` turns every integer under a key ``id``,
``*_id`` or ``*_ids`` into a string; a category's ``context_id`` is its local id, other ids are
global (shard * 10**13 + local, see ``Settings.shard_id``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timezone
from typing import TYPE_CHECKING, Any

from ..coerce import stringify_ids
from ..errors import NotFound
from ..events import JobSource, RequestSource, current_source
from . import records as r

if TYPE_CHECKING:
    from . import Store

# changes that alone never fire an ``*_updated`` event (LiveEventsCallbacks NOP_UPDATE_FIELDS)
NOP_FIELDS = frozenset({"updated_at", "sis_batch_id"})


def fires(changed: dict[str, Any] | None) -> bool:
    """An insert (``changed is None``) always fires; an update only when a real field changed."""
    return changed is None or bool(changed.keys() - NOP_FIELDS)


Events = Callable[["Store", Any, "dict[str, tuple[Any, Any]] | None"], "list[tuple[str, dict[str, Any]]]"]


def simple_events(prefix: str, body: Callable[[Store, Any], dict[str, Any]]) -> Events:
    """The usual pair: ``<prefix>_created`` after an insert, ``<prefix>_updated`` after an update
    that changed a real field (a soft delete too), each with ``body(store, row)``. An area's
    ``LIVE_EVENTS`` maps its tables to such functions (or its own, for events like
    ``syllabus_updated`` that depend on what changed, with a ``names`` attribute of its own:
    every name it may emit)."""
    created, updated = f"{prefix}_created", f"{prefix}_updated"

    def events(store: Store, rec: Any, changed: dict[str, tuple[Any, Any]] | None) -> list[tuple[str, dict[str, Any]]]:
        if changed is None:
            return [(created, body(store, rec))]
        if fires(changed):
            return [(updated, body(store, rec))]
        return []

    events.names = (created, updated)  # type: ignore[attr-defined]  # what it may emit
    return events


def group_account_id(store: Store, group: r.Group) -> int:
    """Group#account_id: the course's account, or the account the group lives in."""
    if group.context_type == "Course":
        course = store.get("courses", group.context_id)
        return course.account_id if course is not None else group.root_account_id
    return group.context_id


def event_time(store: Store) -> str:
    """UTC with milliseconds, as ``Time#utc.iso8601(3)``."""
    now = store.now().astimezone(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


CURRENT = object()  # metadata()'s default source: the one of the running context


def metadata(store: Store, name: str, source: Any = CURRENT) -> dict[str, Any]:
    """The envelope of an event; ``source`` is the one captured when an event held by an atomic
    block was recorded (a callable, a read request's, is asked now), else the running context's."""
    if source is CURRENT:
        source = current_source()
    elif callable(source):
        source = source()
    if isinstance(source, RequestSource):
        if source.cache is None:
            source.cache = request_metadata(store, source)
        base = dict(source.cache)
    elif isinstance(source, JobSource):
        base = stringify_ids({"root_account_id": store.global_id(source.root_account_id),
                              "job_id": source.job_id, "job_tag": source.job_tag})
        if base["root_account_id"] is None:
            del base["root_account_id"]
    else:
        base = {}
    base["producer"] = "canvas"
    base["event_name"] = name
    base["event_time"] = event_time(store)
    return dict(sorted(base.items()))


def request_metadata(store: Store, src: RequestSource) -> dict[str, Any]:
    """The request's part of the metadata, computed once per request (at its first event)."""
    g = store.global_id
    ctx: dict[str, Any] = {}
    context = _resolve_context(store, src.context)
    user = store.get("users", src.user_id) if src.user_id is not None else None
    root_id = _root_account_id(store, context, user)
    root = store.get("accounts", root_id) if root_id is not None else None
    if root is not None:
        ctx["root_account_id"] = g(root.id)
        ctx["root_account_uuid"] = root.uuid
        # Account#lti_guid: the stored one, else "<uuid>.<domain>"
        ctx["root_account_lti_guid"] = root.lti_guid or f"{root.uuid}.{src.hostname}"
    if user is not None:
        ctx["user_id"] = g(user.id)
        ctx["user_login"] = user.login_id
        ctx["user_account_id"] = g(user.account_id)
        ctx["user_sis_id"] = user.sis_user_id
        ctx["time_zone"] = user.time_zone
    if src.real_user_id is not None:
        ctx["real_user_id"] = g(src.real_user_id)
    if context is not None:
        ctx.update(_context_fields(store, context, user))
    ctx.update({
        "request_id": src.request_id,
        "session_id": src.session_id,
        "hostname": src.hostname,
        "http_method": src.http_method,
        "url": src.url,
        "referrer": src.referrer,
        "user_agent": src.user_agent,
        "client_ip": src.client_ip,
    })
    return stringify_ids(ctx)


def session_id(token: str | None) -> str | None:
    """A stable 32-hex session id per access token (Canvas: the Rails session's id)."""
    if not token:
        return None
    return hashlib.md5(f"mockcanvas-session:{token}".encode()).hexdigest()


def _resolve_context(store: Store, ref: tuple[str, str] | None) -> Any:
    if ref is None:
        return None
    table, value = ref
    if table == "root_account":  # POST /groups: a community lives in the domain's root account
        return store.get("accounts", int(value))
    try:
        rec = store.find(table, value, live=False)
    except NotFound:  # an unknown id: the request failed, or will; no context
        return None
    if isinstance(rec, r.GroupCategory):  # GroupCategoriesController: @context = category.context
        return store.get("courses" if rec.context_type == "Course" else "accounts", rec.context_id)
    if isinstance(rec, r.Section):  # SectionsController / section routes: the section's course
        return store.get("courses", rec.course_id)
    return rec


def _root_account_id(store: Store, context: Any, user: r.User | None) -> int | None:
    if isinstance(context, r.Account):
        return context.root_account_id or context.id
    if isinstance(context, (r.Course, r.Group)):
        return context.root_account_id
    if user is not None:
        return user.account_id
    return None


def _context_fields(store: Store, context: Any, user: r.User | None) -> dict[str, Any]:
    g = store.global_id
    if isinstance(context, r.Course):
        fields = {"context_type": "Course", "context_id": g(context.id),
                  "context_account_id": g(context.account_id),
                  "context_sis_source_id": context.sis_course_id}
        role = None
        if user is not None:
            enrollments = store.policy.enrollments(user.id, context.id)
            role = enrollments[0].type if enrollments else None
    elif isinstance(context, r.Account):
        fields = {"context_type": "Account", "context_id": g(context.id),
                  "context_account_id": g(context.id),
                  "context_sis_source_id": context.sis_account_id}
        role = None
        if user is not None:
            for k in store.idx["admins"]["by_user"].keys(user.id):
                admin = store.get("admins", k[-1])
                if admin.account_id == context.id and admin.workflow_state == "active":
                    role = admin.role
                    break
    else:  # a Group
        fields = {"context_type": "Group", "context_id": g(context.id),
                  "context_account_id": g(group_account_id(store, context)),
                  "context_sis_source_id": context.sis_group_id}
        role = None
        if user is not None and store.policy.membership(context, user) is not None:
            role = "GroupMembership"  # @context_membership's class name
    if fields["context_sis_source_id"] is None:
        del fields["context_sis_source_id"]
    if role is not None:
        fields["context_role"] = role
    return fields
