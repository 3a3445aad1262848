"""Group Categories API (GroupCategoriesController, app/controllers/group_categories_controller.rb).

Implemented: list for a course or account, show, create, update, delete, list groups, list users
(``search_term``, ``unassigned``), export (CSV), import (CSV as multipart ``attachment`` or a raw
``text/csv`` body; answers a Progress tagged ``course_group_import``), assign_unassigned_members
(``sync=true`` answers the new members, otherwise a Progress tagged ``assign_unassigned_members``).
``includes[]`` (plural, as Canvas): progress_url, groups_count, unassigned_users_count, groups.

Limitations: ``create_group_member_count``, ``clone_with_name`` and the ``collaboration_state`` filter
are not built. A SIS id without manage_sis is refused before anything is saved (Canvas saves the
category first on create, and double-renders on update).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from ..errors import BadRequest
from ..responses import params_of, render
from ..store.records import GroupCategory, Progress
from ..views.groups import category_json, group_json
from ..views.progress import progress_json
from ..views.users import user_json
from ._common import current_user, includes, paged, store_of, view_context
from ._params import flag
from .groups import context_of

routes = web.RouteTableDef()
CREATE_INCLUDES = ("unassigned_users_count", "groups_count")


def _category(request: web.Request) -> GroupCategory:
    return store_of(request).categories.find(request.match_info["group_category_id"])


def _includes(request: web.Request, *always: str) -> set[str]:
    return set(always) | includes(params_of(request), "includes")


def schedule(request: web.Request, progress: Progress) -> None:
    """The background policy: run the job right after this response, on the server's loop."""
    store = store_of(request)
    if store.progress.runs_in_background:
        asyncio.get_running_loop().call_soon(store.progress.run_pending)


@routes.get("/api/v1/courses/{course_id}/group_categories")
@routes.get("/api/v1/accounts/{account_id}/group_categories")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    context_type, context_id = context_of(request)
    ids = store.categories.list_ids(current_user(request), context_type, context_id)
    vc = view_context(request)
    inc = _includes(request, "progress_url")
    return paged(request, ids, lambda c: category_json(vc, c, inc), load=lambda i: store.get("group_categories", i))


@routes.get("/api/v1/group_categories/{group_category_id}")
async def show(request: web.Request) -> web.Response:
    cat = store_of(request).categories.show(current_user(request), _category(request))
    return render(request, category_json(view_context(request), cat, _includes(request, "progress_url")))


@routes.post("/api/v1/courses/{course_id}/group_categories")
@routes.post("/api/v1/accounts/{account_id}/group_categories")
async def create(request: web.Request) -> web.Response:
    context_type, context_id = context_of(request)
    cat = store_of(request).categories.create(current_user(request), context_type, context_id, params_of(request))
    return render(request, category_json(view_context(request), cat, _includes(request, *CREATE_INCLUDES)))


@routes.put("/api/v1/group_categories/{group_category_id}")
async def update(request: web.Request) -> web.Response:
    cat = _category(request)
    store_of(request).categories.update(current_user(request), cat, params_of(request))
    return render(request, category_json(view_context(request), cat, _includes(request, "progress_url")))


@routes.delete("/api/v1/group_categories/{group_category_id}")
async def destroy(request: web.Request) -> web.Response:
    cat = _category(request)
    store_of(request).categories.delete(current_user(request), cat)
    return render(request, category_json(view_context(request), cat))


@routes.get("/api/v1/group_categories/{group_category_id}/groups")
async def groups(request: web.Request) -> web.Response:
    store = store_of(request)
    cat = _category(request)
    keys = store.categories.group_keys(current_user(request), cat)
    vc = view_context(request)
    return paged(request, keys, lambda g: group_json(vc, g), load=lambda k: store.get("groups", k[-1]))


@routes.get("/api/v1/group_categories/{group_category_id}/users")
async def users(request: web.Request) -> web.Response:
    store = store_of(request)
    cat = _category(request)
    params = params_of(request)
    term = params.get("search_term") if isinstance(params.get("search_term"), str) else None
    found = store.categories.users(current_user(request), cat, search_term=term, unassigned=flag(params, "unassigned"))
    vc = view_context(request)
    rights = vc.context_rights(cat.context_type, cat.context_id)
    inc = includes(params)

    def one(u):
        data = user_json(vc, u, rights=rights, include=inc)
        if "group_submissions" in inc and cat.context_type == "Course":
            data["group_submissions"] = []
        return data

    return paged(request, found, one)


@routes.get("/api/v1/group_categories/{group_category_id}/export")
async def export(request: web.Request) -> web.Response:
    cat = _category(request)
    text = store_of(request).categories.export_csv(current_user(request), cat)
    filename = cat.name.replace('"', "")
    return web.Response(text=text, content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})


@routes.post("/api/v1/group_categories/{group_category_id}/import")
async def import_(request: web.Request) -> web.Response:
    store = store_of(request)
    cat = _category(request)
    store.categories.check_importable(current_user(request), cat)
    data, extension = await _import_body(request)
    progress = store.progress.start(
        "GroupCategory", cat.id, "course_group_import",
        lambda p: store.categories.import_csv(cat, data, extension) if data is not None else _unreadable(),
    )
    schedule(request, progress)
    return render(request, progress_json(view_context(request), progress))


def _unreadable():
    raise ValueError("Unable to read file")


async def _import_body(request: web.Request) -> tuple[bytes | None, str]:
    """The ``attachment`` field of a multipart form, or the raw body (``text/csv`` / ``text/plain``;
    a charset other than UTF-8 is refused as Canvas's InvalidContentType)."""
    params = params_of(request)
    extension = str(params.get("extension") or "csv")
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        field = form.get("attachment")
        if field is None:
            return None, extension
        if hasattr(field, "file"):
            name = getattr(field, "filename", "") or ""
            if "." in name and "extension" not in params:
                extension = name.rsplit(".", 1)[1]
            return field.file.read(), extension
        return str(field).encode(), extension
    charset = request.charset
    if charset and charset.lower() not in ("utf-8", "utf8"):
        raise BadRequest({"errors": [{"message": "Invalid content type, UTF-8 required"}]})
    return await request.read(), extension


@routes.post("/api/v1/group_categories/{group_category_id}/assign_unassigned_members")
async def assign_unassigned_members(request: web.Request) -> web.Response:
    store = store_of(request)
    cat = _category(request)
    store.categories.check_assignable(current_user(request), cat)
    params = params_of(request)
    by_section = flag(params, "group_by_section")
    if flag(params, "sync"):
        with store.lock, store.atomic():
            created = store.categories.distribute(cat, by_section=by_section)
        return render(request, store.categories.new_members_json(cat, created))
    progress = store.progress.start(
        "GroupCategory", cat.id, "assign_unassigned_members",
        lambda p: {"assigned": len(store.categories.distribute(cat, by_section=by_section))},
    )
    schedule(request, progress)
    return render(request, progress_json(view_context(request), progress))
