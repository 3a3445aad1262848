"""Group Categories API (GroupCategoriesController, app/controllers/group_categories_controller.rb).

Implemented: list for a course or account, show, create, update, delete, list groups, list users
(``search_term``, ``unassigned``), export (CSV), import (CSV as multipart ``attachment`` or a raw
``text/csv`` body; answers a Progress tagged ``course_group_import``), assign_unassigned_members
(``sync=true`` answers the new members, otherwise a Progress tagged ``assign_unassigned_members``).
``includes[]`` (plural, as Canvas): progress_url, groups_count, unassigned_users_count, groups.
List users' ``include[]=group_submissions`` (course sets): each user's ``submitted`` submission ids
of the set's assignments, ``null`` for a user with none (``store/submissions.py``).

Limitations: ``create_group_member_count``, ``clone_with_name`` and the ``collaboration_state`` filter
are not built. A SIS id without manage_sis is refused before anything is saved (Canvas saves the
category first on create, and double-renders on update).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from ..disposition import content_disposition
from ..errors import BadRequest
from ..openapi_docs import BOOLISH, SEARCH_TERM, USER_INCLUDE, P, RouteDoc, array_of
from ..openapi_schemas import BOOL, ID, INT, STR, TIME, Schema, arr, enum, nullable, obj, ref, with_context
from ..responses import params_of, render
from ..store.records import GroupCategory, Progress
from ..views.groups import category_json, group_json
from ..views.progress import progress_json
from ..views.users import user_json
from ._common import current_user, includes, paged, store_of, view_context
from ._params import flag
from .groups import CATEGORY_ROLE, context_of

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
        if "group_submissions" in inc and cat.context_type == "Course":  # submissions area: ids, or null
            found = store.submissions.group_submission_ids(cat.id, cat.context_id, (u.id,))
            data["group_submissions"] = found.get(u.id)
        return data

    return paged(request, found, one)


@routes.get("/api/v1/group_categories/{group_category_id}/export")
async def export(request: web.Request) -> web.Response:
    cat = _category(request)
    text = store_of(request).categories.export_csv(current_user(request), cat)
    # send_data's header (mockcanvas.disposition): a quote, CR, LF or NUL in the name is escaped
    return web.Response(text=text, content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": content_disposition(f"{cat.name}.csv")})


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


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
# the controller permits its flat body parameters: an array or hash given for a scalar one is
# dropped (api/_params.py, strong parameters)
STRONG_PARAMETERS = True
TAGS = {"Group Categories": "GroupCategoriesController"}
_TAG = "Group Categories"
CATEGORY_INCLUDES = P("includes[]", arr(enum("progress_url", "groups_count", "unassigned_users_count", "groups")),
                      "includes[] (plural, as Canvas): extra keys of each category")
CATEGORY_FIELDS = (
    P("self_signup", enum("enabled", "restricted"), "any other value (any case) becomes null"),
    P("auto_leader", enum("first", "random"), "any other value becomes null"),
    P("group_limit", {"type": ["integer", "null"]}, "greater than 1"),
    P("sis_group_category_id", STR, "needs manage_sis"),
    P("create_group_count", {"type": "integer", "minimum": 0, "maximum": 200}, "courses only"),
    P("split_group_count", {"type": "integer", "minimum": 0, "maximum": 200}, "deprecated; courses only"),
    P("split_groups", enum("0", "1"), "0: create the groups without assigning students"),
    P("assign_async", BOOLISH),
    P("group_by_section", BOOLISH),
    P("non_collaborative", BOOLISH, "accepted; not shown in the category JSON (2025)"),
    P("self_signup_end_at", {"type": ["string", "null"], "format": "date-time"},
      "the self-signup deadline (ISO 8601); anything else clears it"),
    P("enable_self_signup", BOOLISH, "legacy form of self_signup"),
    P("restrict_self_signup", BOOLISH, "legacy form of self_signup"),
    P("enable_auto_leader", BOOLISH, "legacy form of auto_leader"),
    P("auto_leader_type", enum("first", "random"), "legacy form of auto_leader"),
    CATEGORY_INCLUDES,
)
CATEGORY = with_context(obj(
    {
        "id": ID, "name": STR, "role": CATEGORY_ROLE, "self_signup": nullable(enum("enabled", "restricted")),
        "group_limit": nullable(INT), "auto_leader": nullable(enum("first", "random")), "created_at": TIME,
        "context_type": enum("Course", "Account"), "protected": BOOL, "allows_multiple_memberships": BOOL,
        "is_member": BOOL, "self_signup_end_at": nullable(TIME),
    },
    {
        "sis_group_category_id": nullable(STR), "sis_import_id": nullable(INT),
        "progress": ref("Progress"),                 # includes[]=progress_url with a pending progress
        "unassigned_users_count": INT, "groups_count": INT, "groups": arr(ref("Group")),
    },
    description="group_category_json (lib/api/v1/group_category.rb)"))
NEW_MEMBERS = obj({"id": ID, "new_members": arr(obj({
    "user_id": ID, "name": STR, "display_name": STR,
    "sections": arr(obj({"section_id": ID, "section_code": STR}))}))},
    description="assign_unassigned_members with sync=true: one entry per group that got members")
SCHEMAS: dict[str, Schema] = {"GroupCategory": CATEGORY, "AssignedGroup": NEW_MEMBERS}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses/{course_id}/group_categories"): RouteDoc(
        "List group categories of a course", "GroupCategoriesController#index", _TAG, array_of("GroupCategory"),
        paginated="pages", query=(CATEGORY_INCLUDES,), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/group_categories"): RouteDoc(
        "List group categories of an account", "GroupCategoriesController#index", _TAG, array_of("GroupCategory"),
        paginated="pages", query=(CATEGORY_INCLUDES,), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}"): RouteDoc(
        "Get a single group category", "GroupCategoriesController#show", _TAG, "GroupCategory",
        query=(CATEGORY_INCLUDES,), errors=("unauthorized", "category_not_found")),
    ("POST", "/api/v1/courses/{course_id}/group_categories"): RouteDoc(
        "Create a group category in a course", "GroupCategoriesController#create", _TAG, "GroupCategory",
        body=(P("name", {"type": "string", "maxLength": 255}, required=True),) + CATEGORY_FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found")),
    ("POST", "/api/v1/accounts/{account_id}/group_categories"): RouteDoc(
        "Create a group category in an account", "GroupCategoriesController#create", _TAG, "GroupCategory",
        body=(P("name", {"type": "string", "maxLength": 255}, required=True),) + CATEGORY_FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found")),
    ("PUT", "/api/v1/group_categories/{group_category_id}"): RouteDoc(
        "Update a group category", "GroupCategoriesController#update", _TAG, "GroupCategory",
        body=(P("name", {"type": "string", "maxLength": 255}),) + CATEGORY_FIELDS,
        errors=("unauthorized", "sis", "validation", "category_not_found"),
        description="self_signup, auto_leader and group_limit are assigned from the request: omitted "
                    "ones become null (ParamsPolicy)."),
    ("DELETE", "/api/v1/group_categories/{group_category_id}"): RouteDoc(
        "Delete a group category", "GroupCategoriesController#destroy", _TAG, "GroupCategory", body_kind="none",
        errors=("unauthorized", "protected", "category_not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}/groups"): RouteDoc(
        "List groups in group category", "GroupCategoriesController#groups", _TAG, array_of("Group"),
        paginated="pages", errors=("unauthorized", "category_not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}/users"): RouteDoc(
        "List users in group category", "GroupCategoriesController#users", _TAG, array_of("GroupUser"),
        paginated="pages",
        query=(SEARCH_TERM, P("unassigned", BOOLISH), P("include[]", arr(enum(*USER_INCLUDE, "group_submissions")))),
        errors=("unauthorized", "search_term", "category_not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}/export"): RouteDoc(
        "Export groups and users in category", "GroupCategoriesController#export", _TAG,
        {"type": "string", "description": "CSV: name, canvas_user_id, [user_id], login_id, sections, group_name, "
                                          "then canvas_group_id, [group_id] when any membership exists"},
        media="text/csv", headers=("Content-Disposition",), errors=("unauthorized", "category_not_found")),
    ("POST", "/api/v1/group_categories/{group_category_id}/import"): RouteDoc(
        "Import category groups (CSV)", "GroupCategoriesController#import", _TAG, "Progress",
        body_kind="csv_import", errors=("unauthorized", "protected", "content_type", "category_not_found"),
        description="Answers a queued Progress tagged course_group_import; the import runs as the progress "
                    "policy says (running once it starts)."),
    ("POST", "/api/v1/group_categories/{group_category_id}/assign_unassigned_members"): RouteDoc(
        "Assign unassigned members", "GroupCategoriesController#assign_unassigned_members", _TAG,
        {"anyOf": [ref("Progress"), array_of("AssignedGroup")],
         "description": "a queued Progress tagged assign_unassigned_members; with sync=true the new members"},
        body=(P("sync", BOOLISH), P("group_by_section", BOOLISH)),
        errors=("unauthorized", "empty", "category_not_found")),
}
