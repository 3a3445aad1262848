"""Groups API (GroupsController, app/controllers/groups_controller.rb).

Implemented: every route of the Groups API seed except the membership routes (see
``api/memberships.py``): list your groups (bookmark pages), list a context's groups, show, create
(community and in a category), edit (``members[]``, ``leader``, ``avatar_id``), delete (soft),
invite, list users, file upload preflight, preview_html, activity stream and its summary,
permissions.

Limitations: ``section_restricted`` and the hidden-People-tab fallback of the context list are not
modelled; ``include[]=group_submissions`` lists nothing (the mock has no assignments); the activity
stream shows only the stream items seeded in the world.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import html
from ..responses import params_of, render
from ..store import Store
from ..store.groups import GroupInput
from ..store.records import Group, StreamItem, User
from ..views.common import iso
from ..views.groups import GROUP_INCLUDES, group_json, membership_json
from ..views.users import user_json
from ._common import base_url, bookmarked, current_user, includes, paged, store_of, view_context
from ._params import flag, str_list

routes = web.RouteTableDef()
WRITE_INCLUDES = ("users", "group_category", "permissions")
STREAM_PER_PAGE = 21
_GROUP_INCLUDES = frozenset(GROUP_INCLUDES)


def _group(request: web.Request, right: str = "read", store: Store | None = None) -> Group:
    if store is None:
        store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    store.groups.require(current_user(request), group, right)
    return group


def context_of(request: web.Request) -> tuple[str, int]:
    """``/courses/:course_id/...`` or ``/accounts/:account_id/...`` (``self`` = the root account)."""
    store = store_of(request)
    if "course_id" in request.match_info:
        return "Course", store.find("courses", request.match_info["course_id"]).id
    ref = request.match_info["account_id"]
    if ref == "self":
        ref = current_user(request).account_id
    return "Account", store.find("accounts", ref).id


@routes.get("/api/v1/users/self/groups")
async def index(request: web.Request) -> web.Response:
    params = params_of(request)
    vc = view_context(request)
    context_type = params.get("context_type") if isinstance(params.get("context_type"), str) else None
    groups = store_of(request).groups.user_groups(current_user(request), context_type)
    inc = includes(params) & _GROUP_INCLUDES
    return bookmarked(request, groups, lambda g: (g.name, g.id), lambda g: group_json(vc, g, inc))


@routes.get("/api/v1/courses/{course_id}/groups")
@routes.get("/api/v1/accounts/{account_id}/groups")
async def context_index(request: web.Request) -> web.Response:
    params = params_of(request)
    store = store_of(request)
    vc = view_context(request)
    context_type, context_id = context_of(request)
    name_filter = params.get("filter") if isinstance(params.get("filter"), str) and params.get("filter") else None
    keys = store.groups.context_groups(
        current_user(request), context_type, context_id,
        only_own=flag(params, "only_own_groups"), name_filter=name_filter,
    )
    inc = includes(params) & _GROUP_INCLUDES
    return paged(request, keys, lambda g: group_json(vc, g, inc), load=lambda k: store.get("groups", k[-1]))


@routes.get("/api/v1/groups/{group_id}")
async def show(request: web.Request) -> web.Response:
    store = store_of(request)  # looked up once (request.app[STORE] is three calls)
    group = _group(request, "read", store)
    inc = includes(params_of(request)) & _GROUP_INCLUDES
    return render(request, group_json(view_context(request, store), group, inc))


@routes.post("/api/v1/groups")
@routes.post("/api/v1/group_categories/{group_category_id}/groups")
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    category = None
    if "group_category_id" in request.match_info:
        category = store.find("group_categories", request.match_info["group_category_id"])
    group = store.groups.create(current_user(request), GroupInput.from_params(params_of(request)), category)
    return render(request, group_json(view_context(request), group, WRITE_INCLUDES))


@routes.put("/api/v1/groups/{group_id}")
async def update(request: web.Request) -> web.Response:
    store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    store.groups.update(current_user(request), group, GroupInput.from_params(params_of(request)))
    return render(request, group_json(view_context(request), group, WRITE_INCLUDES))


@routes.delete("/api/v1/groups/{group_id}")
async def destroy(request: web.Request) -> web.Response:
    store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    store.groups.delete(current_user(request), group)
    return render(request, group_json(view_context(request), group))


@routes.post("/api/v1/groups/{group_id}/invite")
async def invite(request: web.Request) -> web.Response:
    store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    invitees = params_of(request).get("invitees")
    memberships = store.groups.invite(current_user(request), group, invitees)
    vc = view_context(request)
    return render(request, [membership_json(vc, m) for m in memberships])


@routes.get("/api/v1/groups/{group_id}/users")
async def users(request: web.Request) -> web.Response:
    params = params_of(request)
    store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    term = params.get("search_term") if isinstance(params.get("search_term"), str) else None
    found = store.groups.users(current_user(request), group, search_term=term,
                               exclude_inactive=flag(params, "exclude_inactive"))
    vc = view_context(request)
    rights = vc.context_rights(group.context_type, group.context_id)
    inc = includes(params)

    def one(u: User) -> dict[str, Any]:
        data = user_json(vc, u, rights=rights, include=inc)
        if "active_status" in inc:
            m = store.memberships.of_pair(group.id, u.id)
            data["is_inactive"] = m is None or m.workflow_state != "accepted"
        if "group_submissions" in inc:
            data["group_submissions"] = []
        return data

    return paged(request, found, one)


@routes.post("/api/v1/groups/{group_id}/files")
async def create_file(request: web.Request) -> web.Response:
    store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    att = store.files.preflight(current_user(request), group, params_of(request))
    return render(request, {
        "upload_url": f"{base_url(request)}/files_api/{att.upload_token}",
        "upload_params": {"filename": att.display_name, "content_type": att.content_type},
        "file_param": "file",
    })


@routes.post("/api/v1/groups/{group_id}/preview_html")
async def preview_html(request: web.Request) -> web.Response:
    _group(request, "read")
    raw = params_of(request).get("html")
    return render(request, {"html": html.sanitize(raw if isinstance(raw, str) else "", base_url(request))})


def stream_item_json(request: web.Request, item: StreamItem, viewer: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "message": item.message,
        "type": item.type,
        "read_state": viewer.id in item.read_by,
        "context_type": "Group",
        "group_id": item.group_id,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at or item.created_at),
        "html_url": f"{base_url(request)}/groups/{item.group_id}",
    }
    if item.type in ("DiscussionTopic", "Announcement"):
        data.update({"total_root_discussion_entries": 0, "require_initial_post": False,
                     "user_has_posted": None, "root_discussion_entries": []})
    if item.type == "DiscussionTopic":
        data["discussion_topic_id"] = item.id
        data["html_url"] += f"/discussion_topics/{item.id}"
    elif item.type == "Announcement":
        data["announcement_id"] = item.id
        data["html_url"] += f"/announcements/{item.id}"
    else:
        data["notification_category"] = item.notification_category
    return data


def _stream(request: web.Request) -> tuple[Group, list[StreamItem]]:
    group = _group(request, "read")
    store = store_of(request)
    ids = store.idx["stream_items"]["by_group"].ids(group.id)
    items = [store.get("stream_items", i) for i in ids]
    items.sort(key=lambda s: (s.updated_at or s.created_at, s.id), reverse=True)
    return group, items


@routes.get("/api/v1/groups/{group_id}/activity_stream")
async def activity_stream(request: web.Request) -> web.Response:
    _, items = _stream(request)
    viewer = current_user(request)
    return paged(request, items, lambda s: stream_item_json(request, s, viewer), default_per_page=STREAM_PER_PAGE)


@routes.get("/api/v1/groups/{group_id}/activity_stream/summary")
async def activity_stream_summary(request: web.Request) -> web.Response:
    _, items = _stream(request)
    viewer = current_user(request)
    summary: dict[tuple[str, str | None], dict[str, Any]] = {}
    for item in items:
        # only Message items carry a notification category (api_render_stream_summary)
        category = item.notification_category if item.type == "Message" else None
        key = (item.type, category)
        row = summary.setdefault(key, {"type": item.type, "unread_count": 0, "count": 0,
                                       "notification_category": category})
        row["count"] += 1
        if viewer.id not in item.read_by:
            row["unread_count"] += 1
    return render(request, [summary[k] for k in sorted(summary, key=lambda k: (k[0], k[1] or ""))])


@routes.get("/api/v1/groups/{group_id}/permissions")
async def permissions(request: web.Request) -> web.Response:
    group = _group(request, "read")
    rights = store_of(request).policy.group_rights(current_user(request), group)
    wanted = str_list(params_of(request).get("permissions"))
    return render(request, {name: name in rights for name in wanted})

