"""Groups API (GroupsController, app/controllers/groups_controller.rb).

Implemented: every route of the Groups API seed except the membership routes (see
``api/memberships.py``): list your groups (bookmark pages), list a context's groups
(``include_inactive_users``), show, create (community and in a category), edit (``members[]``,
``leader``, ``avatar_id``), delete (soft), invite (unknown e-mail addresses become pre-registered
users), list users (needs ``read``; ``exclude_inactive`` on the course enrollment), file upload
preflight (``/files_api``, folders), preview_html (file links get their verifier), activity stream
and its summary, permissions.

``include[]=group_submissions`` on list users: the ids of each user's ``submitted`` submissions of
the course's group assignments of the group's set, ``null`` for a user with none
(``GroupCategory#submission_ids_by_user_id``, ``store/submissions.py``).

Limitations: ``section_restricted`` and the hidden-People-tab fallback of the context list are not
modelled; the activity stream shows only the stream items seeded in the world.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import html
from ..openapi_docs import BOOLISH, SEARCH_TERM, USER_INCLUDE, USER_REF, P, RouteDoc, array_of
from ..openapi_schemas import (ANY, BOOL, ID, INT, NULL, STR, TIME, URL, USER_OPTIONAL, USER_REQUIRED, Schema, arr,
                               const, enum, nullable, obj, ref, with_context)
from ..responses import params_of, render
from ..store import Store
from ..store.groups import GroupInput
from ..store.records import Group, StreamItem, User
from ..views.common import iso
from ..views.files import rewrite_file_links
from ..views.groups import GROUP_INCLUDES, group_json, membership_json
from ..views.users import user_json
from ._common import base_url, bookmarked, current_user, includes, paged, store_of, view_context
from ._params import flag, str_list
from .files import success_url

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
    inactive = flag(params, "include_inactive_users")
    return paged(request, keys, lambda g: group_json(vc, g, inc, include_inactive_users=inactive),
                 load=lambda k: store.get("groups", k[-1]))


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
    course = group.context_type == "Course"

    def one(u: User) -> dict[str, Any]:
        data = user_json(vc, u, rights=rights, include=inc)
        if "group_submissions" in inc and course:  # submissions area: the set's submitted ids, or null
            cat = group.group_category_id
            found = store.submissions.group_submission_ids(cat, group.context_id, (u.id,)) if cat else {}
            data["group_submissions"] = found.get(u.id)
        if "active_status" in inc and course:
            # every one of the user's enrollments in the course is ``inactive`` (hard_inactive?)
            states = [e.workflow_state for e in (store.get("enrollments", i)
                                                 for i in store.idx["enrollments"]["by_user"].ids(u.id))
                      if e is not None and e.course_id == group.context_id]
            data["is_inactive"] = bool(states) and all(st == "inactive" for st in states)
        return data

    return paged(request, found, one)


@routes.post("/api/v1/groups/{group_id}/files")
async def create_file(request: web.Request) -> web.Response:
    store = store_of(request)
    group = store.groups.find(request.match_info["group_id"])
    att = store.files.preflight(current_user(request), group, params_of(request))
    return render(request, {
        "upload_url": f"{base_url(request)}/files_api",
        "upload_params": store.files.upload_params(att, success_url(request, att.id, att.uuid)),
        "file_param": "file",
    })


@routes.post("/api/v1/groups/{group_id}/preview_html")
async def preview_html(request: web.Request) -> web.Response:
    store = store_of(request)
    group = _group(request, "read", store)
    raw = params_of(request).get("html")
    base = base_url(request)
    clean = html.sanitize(raw if isinstance(raw, str) else "", base)
    return render(request, {"html": rewrite_file_links(clean, base, lambda ref: store.files.group_file(group, ref))})


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


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
# the controller permits its flat body parameters: an array or hash given for a scalar one is
# dropped (api/_params.py, strong parameters)
STRONG_PARAMETERS = True
TAGS = {"Groups": "GroupsController"}
_TAG = "Groups"
GROUP_INCLUDE = P("include[]", arr(enum(*GROUP_INCLUDES)),
                  "extra keys of each group; tabs: Conferences and Collaborations only when configured")
INCLUDE_INACTIVE_USERS = P("include_inactive_users", BOOLISH,
                           "include[]=users keeps members whose enrollment is not active, each with `active`")
GROUP_FIELDS = (
    P("name", {"type": "string", "maxLength": 255}, "missing: a random 40-character name; blank: 400"),
    P("description", STR),
    P("is_public", BOOLISH, "communities only; may only go false -> true"),
    P("join_level", enum("parent_context_auto_join", "parent_context_request", "invitation_only"),
      "not validated by Canvas: any value is saved"),
    P("storage_quota_mb", INT, "ignored without manage_storage_quotas"),
    P("max_membership", {"type": ["integer", "null"]}, "greater than 1, or null for no limit"),
    P("sis_group_id", STR, "needs manage_sis"),
)

USER_DISPLAY = obj({"id": ID, "anonymous_id": STR, "display_name": STR, "avatar_image_url": URL,
                    "html_url": URL, "pronouns": nullable(STR)},
                   description="user_display_json (a group's leader)")
TAB = obj({"id": STR, "html_url": STR, "full_url": URL, "position": INT, "visibility": STR,
           "label": STR, "type": STR})
CATEGORY_ROLE = nullable(enum("student_organized", "communities", "imported", "uncategorized"))
GROUP = with_context(obj(
    {
        "id": ID, "name": STR, "created_at": TIME, "max_membership": nullable(INT), "is_public": BOOL,
        "join_level": {"type": "string", "description": "not validated: any value is saved and echoed"},
        "group_category_id": nullable(ID), "description": nullable(STR), "members_count": INT,
        "storage_quota_mb": INT, "context_type": enum("Course", "Account"), "context_name": nullable(STR),
        "avatar_url": nullable(URL),
        "leader": nullable(ref("UserDisplay")), "has_submission": BOOL, "concluded": BOOL,
        "non_collaborative": BOOL,
    },
    {
        "role": CATEGORY_ROLE,                       # only when the group has a category
        "sis_group_id": nullable(STR),               # read_sis / manage_sis on the root account
        "sis_import_id": nullable(INT),              # manage_sis on the root account
        "users": arr(ref("GroupMember")),            # include[]=users
        "group_category": nullable(ref("GroupCategory")),
        "permissions": obj({"create_discussion_topic": BOOL, "join": BOOL, "create_announcement": BOOL}),
        "is_favorite": BOOL,                         # include[]=favorites
        "html_url": URL, "tabs": arr(ref("Tab")), "can_access": BOOL, "can_message": BOOL,
    },
    description="group_json (lib/api/v1/group.rb)"))
PERMISSIONS = {"type": "object", "additionalProperties": BOOL,
               "description": "each asked permission name -> whether the caller has it"}
STREAM_ITEM = obj(
    {"id": ID, "title": STR, "message": STR, "type": STR, "read_state": BOOL, "context_type": const("Group"),
     "group_id": ID, "created_at": TIME, "updated_at": TIME, "html_url": URL},
    {"total_root_discussion_entries": INT, "require_initial_post": BOOL, "user_has_posted": NULL,
     "root_discussion_entries": arr(ANY), "discussion_topic_id": ID, "announcement_id": ID,
     "notification_category": nullable(STR)},
    description="a stream item (lib/api/v1/stream_item.rb), seeded items only")
STREAM_SUMMARY = obj({"type": STR, "unread_count": INT, "count": INT, "notification_category": nullable(STR)})
GROUP_MEMBER = obj(USER_REQUIRED, {**USER_OPTIONAL, "active": BOOL},
                   description="user_json of include[]=users; `active` with include_inactive_users")
SCHEMAS: dict[str, Schema] = {
    "UserDisplay": USER_DISPLAY, "Tab": TAB, "Group": GROUP, "Permissions": PERMISSIONS, "GroupMember": GROUP_MEMBER,
    "StreamItem": STREAM_ITEM, "StreamSummaryItem": STREAM_SUMMARY, "PreviewHtml": obj({"html": STR}),
}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/users/self/groups"): RouteDoc(
        "List your groups", "GroupsController#index", _TAG, array_of("Group"), paginated="bookmark",
        query=(P("context_type", enum("Account", "Course"), "only groups in this kind of context"),
               GROUP_INCLUDE)),
    ("GET", "/api/v1/courses/{course_id}/groups"): RouteDoc(
        "List the groups of a course", "GroupsController#context_index", _TAG, array_of("Group"),
        paginated="pages",
        query=(P("only_own_groups", BOOLISH), P("filter", STR, "substring of a group's or member's name"),
               GROUP_INCLUDE, INCLUDE_INACTIVE_USERS),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/groups"): RouteDoc(
        "List the groups of an account", "GroupsController#context_index", _TAG, array_of("Group"),
        paginated="pages",
        query=(P("only_own_groups", BOOLISH), P("filter", STR), GROUP_INCLUDE, INCLUDE_INACTIVE_USERS),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}"): RouteDoc(
        "Get a single group", "GroupsController#show", _TAG, "Group", query=(GROUP_INCLUDE,),
        errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/groups"): RouteDoc(
        "Create a community group", "GroupsController#create", _TAG, "Group", body=GROUP_FIELDS,
        errors=("unauthorized", "sis", "validation"),
        description="In the root account's Communities category; the creator joins as moderator. The "
                    "answer includes users, group_category and permissions. `group[...]` fields work too."),
    ("POST", "/api/v1/group_categories/{group_category_id}/groups"): RouteDoc(
        "Create a group in a category", "GroupsController#create", _TAG, "Group", body=GROUP_FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found"),
        description="Needs manage_groups_add on the category's context; unknown categories give the "
                    "standard 404 body."),
    ("PUT", "/api/v1/groups/{group_id}"): RouteDoc(
        "Edit a group", "GroupsController#update", _TAG, "Group",
        body=GROUP_FIELDS + (
            P("avatar_id", INT, "an image uploaded to the group; any other id clears the avatar"),
            P("members[]", arr(USER_REF), "replaces the members (users of the group's context)"),
            P("leader[id]", ID, "a current member (else 400 {}); a blank `leader` clears it"),
            P("override_sis_stickiness", BOOLISH)),
        errors=("unauthorized", "sis", "validation", "empty", "not_found")),
    ("DELETE", "/api/v1/groups/{group_id}"): RouteDoc(
        "Delete a group", "GroupsController#destroy", _TAG, "Group", body_kind="none",
        errors=("unauthorized", "not_found"), description="Soft delete; the answer is the group as it was."),
    ("POST", "/api/v1/groups/{group_id}/invite"): RouteDoc(
        "Invite others to a group", "GroupsController#invite", _TAG, array_of("GroupMembership"),
        body=(P("invitees[]", arr(STR, minItems=1), "e-mail addresses or login ids", required=True),),
        errors=("unauthorized", "missing", "not_found"),
        description="An unknown e-mail address gets a new pre-registered user; only people who can "
                    "take part in the group's course or account are invited."),
    ("GET", "/api/v1/groups/{group_id}/users"): RouteDoc(
        "List group's users", "GroupsController#users", _TAG, array_of("GroupUser"), paginated="pages",
        query=(SEARCH_TERM, P("include[]", arr(enum(*USER_INCLUDE, "active_status", "group_submissions"))),
               P("exclude_inactive", BOOLISH, "only accepted members with an active course enrollment")),
        errors=("unauthorized", "search_term", "not_found"),
        description="Needs read on the group (members, teachers, admins). Every non-deleted member by "
                    "default; active_status: is_inactive when all the user's course enrollments are "
                    "inactive (course groups only)."),
    ("POST", "/api/v1/groups/{group_id}/files"): RouteDoc(
        "Upload a file (step 1: preflight)", "GroupsController#create_file", _TAG, "UploadPreflight",
        body=(P("name", STR, "the file name (or `filename`); required"), P("filename", STR),
              P("size", {"type": "integer", "minimum": 0}), P("content_type", STR),
              P("parent_folder_path", STR, "made under the group's root folder `files` when missing"),
              P("parent_folder_id", STR, "one of the group's folders (else 404 with a message)"),
              P("folder", STR, "deprecated"),
              P("on_duplicate", enum("overwrite", "rename")),
              P("url", STR, "upload by URL: refused by the mock")),
        errors=("unauthorized", "message", "missing", "not_found", "not_found_message"),
        description="Without a folder the file goes to files/unfiled. upload_url is /files_api."),
    ("POST", "/api/v1/groups/{group_id}/preview_html"): RouteDoc(
        "Preview processed html", "GroupsController#preview_html", _TAG, "PreviewHtml",
        body=(P("html", STR),), errors=("unauthorized", "not_found"),
        description="Sanitized; relative links made absolute; links to the group's files carry the "
                    "file's verifier (api_user_content)."),
    ("GET", "/api/v1/groups/{group_id}/activity_stream"): RouteDoc(
        "Group activity stream", "GroupsController#activity_stream", _TAG, array_of("StreamItem"),
        paginated="pages", errors=("unauthorized", "not_found"),
        description="Seeded items only; 21 per page by default."),
    ("GET", "/api/v1/groups/{group_id}/activity_stream/summary"): RouteDoc(
        "Group activity stream summary", "GroupsController#activity_stream_summary", _TAG,
        array_of("StreamSummaryItem"), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}/permissions"): RouteDoc(
        "Permissions", "GroupsController#permissions", _TAG, "Permissions",
        query=(P("permissions[]", arr(STR), "permission names to check"),), errors=("unauthorized", "not_found")),
}

# the upload preflight's unknown parent_folder_id: error kind -> (status, body schemas)
ERROR_KINDS = {"not_found_message": (404, ("ErrorMessage",))}
