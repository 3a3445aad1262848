"""What each route of the mock takes and answers: the table ``mockcanvas.openapi`` joins with the
aiohttp router to generate the OpenAPI document.

One entry per (METHOD, route template) exactly as the router spells it (``/api/v1/groups/{group_id}``).
The generator refuses a router route without an entry and an entry without a route, so adding a
route means adding its entry here (and its response schema in ``openapi_schemas`` if it is new).

Parameters are named as on the wire: ``include[]`` for a list, ``leader[id]`` for a hash member; body
fields are documented for form bodies as is and for JSON bodies as their nested form (``members``,
``leader: {id}``). Error keys name the failures a route can answer with (see ``ERROR_KINDS`` in
``mockcanvas.openapi``); the authentication failures, a JSON body that does not parse and the paging
errors are added by the generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .openapi_schemas import ID, INT, STR, Schema, arr, enum, ref
from .views.groups import GROUP_INCLUDES

CONTROL_TAG = "mockcanvas control plane"


@dataclass(frozen=True)
class Param:
    name: str
    schema: Schema
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class RouteDoc:
    summary: str
    action: str                      # Canvas's Controller#action, or what the route is for
    tag: str
    ok: Schema | str | None          # the success body: a schema, or a component name
    query: tuple[Param, ...] = ()
    body: tuple[Param, ...] = ()     # form / JSON body fields
    body_kind: str = "form"          # form (urlencoded + JSON), multipart, csv_import, none
    paginated: str | None = None     # "pages" (page numbers) or "bookmark"
    errors: tuple[str, ...] = ()
    auth: bool = True
    status: int = 200
    media: str = "application/json"
    headers: tuple[str, ...] = ()    # extra success headers: Location, Content-Disposition
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def P(name: str, schema: Schema, description: str = "", required: bool = False) -> Param:
    return Param(name, schema, description, required)


def array_of(name: str) -> Schema:
    return arr(ref(name))


# -- path parameters ---------------------------------------------------------------------------
def _id_or(*patterns: str, words: tuple[str, ...] = ()) -> Schema:
    """An integer id, or a string form: ``self`` and ``sis_*:`` (``hex:sis_*:`` also works)."""
    forms: list[Schema] = [ID]
    if words:
        forms.append(enum(*words))
    for p in patterns:
        forms.append({"type": "string", "pattern": f"^{p}:[^/?#%]+$"})
    return {"anyOf": forms, "x-canvas-id": True} if len(forms) > 1 else ID


PATH_PARAMS: dict[str, Schema] = {
    "group_id": _id_or("sis_group_id"),
    "course_id": _id_or("sis_course_id"),
    "account_id": _id_or("sis_account_id", words=("self",)),
    "group_category_id": _id_or("sis_group_category_id"),
    "user_id": _id_or("sis_user_id", "sis_login_id", words=("self",)),
    "membership_id": _id_or(words=("self",)),
    "progress_id": ID,
    "file_id": ID,
    "token": {"type": "string", "pattern": "^[0-9a-f]{40}$", "description": "the upload token of step 1"},
}

# -- shared parameters -------------------------------------------------------------------------
BOOLISH: Schema = {"type": "boolean", "description": "also 1/0, yes/no, t/f as strings"}
GROUP_INCLUDE = P("include[]", arr(enum(*GROUP_INCLUDES)), "extra keys of each group")
USER_INCLUDE = ("avatar_url", "email", "locale", "uuid")
CATEGORY_INCLUDES = P("includes[]", arr(enum("progress_url", "groups_count", "unassigned_users_count", "groups")),
                      "includes[] (plural, as Canvas): extra keys of each category")
SEARCH_TERM = P("search_term", STR, "at least 3 characters (blank is no search): name, login, SIS id, "
                                    "e-mail or the full id")
USER_REF = _id_or("sis_user_id", "sis_login_id", words=("self",))

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
    P("non_collaborative", BOOLISH),
    P("enable_self_signup", BOOLISH, "legacy form of self_signup"),
    P("restrict_self_signup", BOOLISH, "legacy form of self_signup"),
    P("enable_auto_leader", BOOLISH, "legacy form of auto_leader"),
    P("auto_leader_type", enum("first", "random"), "legacy form of auto_leader"),
    CATEGORY_INCLUDES,
)
MEMBERSHIP_UPDATE = (
    P("workflow_state", enum("accepted"), "only accepted is taken; other values are dropped"),
    P("moderator", BOOLISH, "Rails boolean cast"),
)
MEMBERSHIP_ERRORS = ("unauthorized", "not_found")
LIVE_EVENT_FILTERS = (
    P("after", {"type": "string", "pattern": "^[0-9]+$"}, "only events recorded after this position"),
    P("event_name", arr(STR), "keep only these names (repeatable; event_name[] too)"),
)

G, GM, GC, PR, PE, FI = ("Groups", "Group Memberships", "Group Categories", "Progress", "Courses, users, accounts",
                         "Files")

ROUTES: dict[tuple[str, str], RouteDoc] = {
    # -- Groups (GroupsController) ------------------------------------------------------------
    ("GET", "/api/v1/users/self/groups"): RouteDoc(
        "List your groups", "GroupsController#index", G, array_of("Group"), paginated="bookmark",
        query=(P("context_type", enum("Account", "Course"), "only groups in this kind of context"),
               GROUP_INCLUDE)),
    ("GET", "/api/v1/courses/{course_id}/groups"): RouteDoc(
        "List the groups of a course", "GroupsController#context_index", G, array_of("Group"), paginated="pages",
        query=(P("only_own_groups", BOOLISH), P("filter", STR, "substring of a group's or member's name"),
               GROUP_INCLUDE),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/groups"): RouteDoc(
        "List the groups of an account", "GroupsController#context_index", G, array_of("Group"), paginated="pages",
        query=(P("only_own_groups", BOOLISH), P("filter", STR), GROUP_INCLUDE),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}"): RouteDoc(
        "Get a single group", "GroupsController#show", G, "Group", query=(GROUP_INCLUDE,),
        errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/groups"): RouteDoc(
        "Create a community group", "GroupsController#create", G, "Group", body=GROUP_FIELDS,
        errors=("unauthorized", "sis", "validation"),
        description="In the root account's Communities category; the creator joins as moderator. The "
                    "answer includes users, group_category and permissions. `group[...]` fields work too."),
    ("POST", "/api/v1/group_categories/{group_category_id}/groups"): RouteDoc(
        "Create a group in a category", "GroupsController#create", G, "Group", body=GROUP_FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found"),
        description="Needs manage_groups_add on the category's context; unknown categories give the "
                    "standard 404 body."),
    ("PUT", "/api/v1/groups/{group_id}"): RouteDoc(
        "Edit a group", "GroupsController#update", G, "Group",
        body=GROUP_FIELDS + (
            P("avatar_id", INT, "an image uploaded to the group; any other id clears the avatar"),
            P("members[]", arr(USER_REF), "replaces the members (users of the group's context)"),
            P("leader[id]", ID, "a current member (else 400 {}); a blank `leader` clears it"),
            P("override_sis_stickiness", BOOLISH)),
        errors=("unauthorized", "sis", "validation", "empty", "not_found")),
    ("DELETE", "/api/v1/groups/{group_id}"): RouteDoc(
        "Delete a group", "GroupsController#destroy", G, "Group", body_kind="none",
        errors=("unauthorized", "not_found"), description="Soft delete; the answer is the group as it was."),
    ("POST", "/api/v1/groups/{group_id}/invite"): RouteDoc(
        "Invite others to a group", "GroupsController#invite", G, array_of("GroupMembership"),
        body=(P("invitees[]", arr(STR, minItems=1), "e-mail addresses or login ids", required=True),),
        errors=("unauthorized", "missing", "not_found")),
    ("GET", "/api/v1/groups/{group_id}/users"): RouteDoc(
        "List group's users", "GroupsController#users", G, array_of("GroupUser"), paginated="pages",
        query=(SEARCH_TERM, P("include[]", arr(enum(*USER_INCLUDE, "active_status", "group_submissions"))),
               P("exclude_inactive", BOOLISH)),
        errors=("unauthorized", "search_term", "not_found")),
    ("POST", "/api/v1/groups/{group_id}/files"): RouteDoc(
        "Upload a file (step 1: preflight)", "GroupsController#create_file", G, "UploadPreflight",
        body=(P("name", STR, "the file name (or `filename`); required"), P("filename", STR),
              P("size", {"type": "integer", "minimum": 0}), P("content_type", STR),
              P("parent_folder_path", STR), P("parent_folder_id", STR), P("folder", STR, "deprecated"),
              P("on_duplicate", enum("overwrite", "rename")),
              P("url", STR, "upload by URL: refused by the mock")),
        errors=("unauthorized", "message", "missing", "not_found")),
    ("POST", "/api/v1/groups/{group_id}/preview_html"): RouteDoc(
        "Preview processed html", "GroupsController#preview_html", G, "PreviewHtml",
        body=(P("html", STR),), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}/activity_stream"): RouteDoc(
        "Group activity stream", "GroupsController#activity_stream", G, array_of("StreamItem"), paginated="pages",
        errors=("unauthorized", "not_found"), description="Seeded items only; 21 per page by default."),
    ("GET", "/api/v1/groups/{group_id}/activity_stream/summary"): RouteDoc(
        "Group activity stream summary", "GroupsController#activity_stream_summary", G,
        array_of("StreamSummaryItem"), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}/permissions"): RouteDoc(
        "Permissions", "GroupsController#permissions", G, "Permissions",
        query=(P("permissions[]", arr(STR), "permission names to check"),), errors=("unauthorized", "not_found")),
    # -- Group memberships (GroupMembershipsController) ---------------------------------------
    ("GET", "/api/v1/groups/{group_id}/memberships"): RouteDoc(
        "List group memberships", "GroupMembershipsController#index", GM, array_of("GroupMembership"),
        paginated="pages", query=(P("filter_states[]", arr(enum("accepted", "invited", "requested"))),),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}/memberships/{membership_id}"): RouteDoc(
        "Get a single group membership", "GroupMembershipsController#show", GM, "GroupMembership",
        errors=MEMBERSHIP_ERRORS),
    ("GET", "/api/v1/groups/{group_id}/users/{user_id}"): RouteDoc(
        "Get a single group membership (by user)", "GroupMembershipsController#show", GM, "GroupMembership",
        errors=MEMBERSHIP_ERRORS),
    ("POST", "/api/v1/groups/{group_id}/memberships"): RouteDoc(
        "Create a membership", "GroupMembershipsController#create", GM, "GroupMembership",
        body=(P("user_id", USER_REF, "the user to add (`self` to join)", required=True),),
        errors=("unauthorized", "missing", "validation", "not_found")),
    ("PUT", "/api/v1/groups/{group_id}/memberships/{membership_id}"): RouteDoc(
        "Update a membership", "GroupMembershipsController#update", GM, "GroupMembership",
        body=MEMBERSHIP_UPDATE, errors=MEMBERSHIP_ERRORS),
    ("PUT", "/api/v1/groups/{group_id}/users/{user_id}"): RouteDoc(
        "Update a membership (by user)", "GroupMembershipsController#update", GM, "GroupMembership",
        body=MEMBERSHIP_UPDATE, errors=MEMBERSHIP_ERRORS),
    ("DELETE", "/api/v1/groups/{group_id}/memberships/{membership_id}"): RouteDoc(
        "Leave a group", "GroupMembershipsController#destroy", GM, "Ok", body_kind="none",
        errors=MEMBERSHIP_ERRORS),
    ("DELETE", "/api/v1/groups/{group_id}/users/{user_id}"): RouteDoc(
        "Leave a group (by user)", "GroupMembershipsController#destroy", GM, "Ok", body_kind="none",
        errors=MEMBERSHIP_ERRORS),
    # -- Group categories (GroupCategoriesController) -----------------------------------------
    ("GET", "/api/v1/courses/{course_id}/group_categories"): RouteDoc(
        "List group categories of a course", "GroupCategoriesController#index", GC, array_of("GroupCategory"),
        paginated="pages", query=(CATEGORY_INCLUDES,), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/group_categories"): RouteDoc(
        "List group categories of an account", "GroupCategoriesController#index", GC, array_of("GroupCategory"),
        paginated="pages", query=(CATEGORY_INCLUDES,), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}"): RouteDoc(
        "Get a single group category", "GroupCategoriesController#show", GC, "GroupCategory",
        query=(CATEGORY_INCLUDES,), errors=("unauthorized", "category_not_found")),
    ("POST", "/api/v1/courses/{course_id}/group_categories"): RouteDoc(
        "Create a group category in a course", "GroupCategoriesController#create", GC, "GroupCategory",
        body=(P("name", {"type": "string", "maxLength": 255}, required=True),) + CATEGORY_FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found")),
    ("POST", "/api/v1/accounts/{account_id}/group_categories"): RouteDoc(
        "Create a group category in an account", "GroupCategoriesController#create", GC, "GroupCategory",
        body=(P("name", {"type": "string", "maxLength": 255}, required=True),) + CATEGORY_FIELDS,
        errors=("unauthorized", "sis", "validation", "not_found")),
    ("PUT", "/api/v1/group_categories/{group_category_id}"): RouteDoc(
        "Update a group category", "GroupCategoriesController#update", GC, "GroupCategory",
        body=(P("name", {"type": "string", "maxLength": 255}),) + CATEGORY_FIELDS,
        errors=("unauthorized", "sis", "validation", "category_not_found"),
        description="self_signup, auto_leader and group_limit are assigned from the request: omitted "
                    "ones become null (ParamsPolicy)."),
    ("DELETE", "/api/v1/group_categories/{group_category_id}"): RouteDoc(
        "Delete a group category", "GroupCategoriesController#destroy", GC, "GroupCategory", body_kind="none",
        errors=("unauthorized", "protected", "category_not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}/groups"): RouteDoc(
        "List groups in group category", "GroupCategoriesController#groups", GC, array_of("Group"),
        paginated="pages", errors=("unauthorized", "category_not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}/users"): RouteDoc(
        "List users in group category", "GroupCategoriesController#users", GC, array_of("GroupUser"),
        paginated="pages",
        query=(SEARCH_TERM, P("unassigned", BOOLISH), P("include[]", arr(enum(*USER_INCLUDE, "group_submissions")))),
        errors=("unauthorized", "search_term", "category_not_found")),
    ("GET", "/api/v1/group_categories/{group_category_id}/export"): RouteDoc(
        "Export groups and users in category", "GroupCategoriesController#export", GC,
        {"type": "string", "description": "CSV: name, canvas_user_id, [user_id], login_id, sections, group_name, "
                                          "then canvas_group_id, [group_id] when any membership exists"},
        media="text/csv", headers=("Content-Disposition",), errors=("unauthorized", "category_not_found")),
    ("POST", "/api/v1/group_categories/{group_category_id}/import"): RouteDoc(
        "Import category groups (CSV)", "GroupCategoriesController#import", GC, "Progress", body_kind="csv_import",
        errors=("unauthorized", "protected", "content_type", "category_not_found"),
        description="Answers a Progress tagged course_group_import; the import runs as the progress policy says."),
    ("POST", "/api/v1/group_categories/{group_category_id}/assign_unassigned_members"): RouteDoc(
        "Assign unassigned members", "GroupCategoriesController#assign_unassigned_members", GC,
        {"anyOf": [ref("Progress"), array_of("AssignedGroup")],
         "description": "a Progress tagged assign_unassigned_members; with sync=true the new members"},
        body=(P("sync", BOOLISH), P("group_by_section", BOOLISH)),
        errors=("unauthorized", "empty", "category_not_found")),
    # -- Progress -----------------------------------------------------------------------------
    ("GET", "/api/v1/progress/{progress_id}"): RouteDoc(
        "Query progress", "ProgressController#show", PR, "Progress", errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/progress/{progress_id}/cancel"): RouteDoc(
        "Cancel progress", "ProgressController#cancel", PR, "Progress", body=(P("message", STR),),
        errors=("unauthorized", "not_found"), description="Only the progress's own user; the state becomes failed."),
    # -- around the group APIs ----------------------------------------------------------------
    ("GET", "/api/v1/users/{user_id}"): RouteDoc(
        "Show user details", "UsersController#api_show", PE, "Profile", errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/courses/{course_id}"): RouteDoc(
        "Get a single course", "CoursesController#show", PE, "Course", errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/users"): RouteDoc(
        "List users in course", "CoursesController#users", PE, array_of("CourseUser"), paginated="pages",
        query=(P("enrollment_type[]", arr(enum("teacher", "student", "ta", "observer", "designer"))),
               P("enrollment_role", STR), P("enrollment_state[]", arr(enum(
                   "active", "invited", "rejected", "completed", "inactive"))),
               SEARCH_TERM, P("user_ids[]", arr(ID)), P("include[]", arr(enum(*USER_INCLUDE, "enrollments")))),
        errors=("unauthorized", "search_term", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/search_users"): RouteDoc(
        "Search users in course (alias of List users in course)", "CoursesController#users", PE,
        array_of("CourseUser"), paginated="pages",
        query=(P("enrollment_type[]", arr(enum("teacher", "student", "ta", "observer", "designer"))),
               SEARCH_TERM, P("include[]", arr(enum(*USER_INCLUDE, "enrollments")))),
        errors=("unauthorized", "search_term", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/sections"): RouteDoc(
        "List course sections", "SectionsController#index", PE, array_of("Section"), paginated="pages",
        query=(P("include[]", arr(enum("students", "total_students"))),), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}"): RouteDoc(
        "Get a single account", "AccountsController#show", PE, "Account", errors=("unauthorized", "not_found"),
        description="Admins of the account only."),
    # -- files --------------------------------------------------------------------------------
    ("POST", "/files_api/{token}"): RouteDoc(
        "Upload a file (step 2: the bytes)", "file upload step 2 (local storage)", FI, "Attachment",
        body_kind="multipart", auth=False, status=201, headers=("Location",),
        errors=("message", "not_found"),
        description="multipart/form-data: the upload_params of step 1, then `file` last; no token. "
                    "Location points at create_success."),
    ("GET", "/api/v1/files/{file_id}/create_success"): RouteDoc(
        "Confirm an upload (step 3)", "FilesController#api_create_success", FI, "Attachment",
        query=(P("uuid", STR, "the attachment's uuid, from the Location of step 2"),),
        errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/files/{file_id}/create_success"): RouteDoc(
        "Confirm an upload (step 3, POST)", "FilesController#api_create_success", FI, "Attachment",
        query=(P("uuid", STR),), body=(P("uuid", STR),), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/files/{file_id}"): RouteDoc(
        "Get file", "FilesController#api_show", FI, "Attachment", errors=("unauthorized", "not_found")),
    ("GET", "/files/{file_id}/download"): RouteDoc(
        "Download a file's bytes", "FilesController#show (download)", FI,
        {"type": "string", "description": "the bytes, with the file's content type"}, auth=False,
        media="*/*", headers=("Content-Disposition",),
        query=(P("verifier", STR, "the attachment's uuid", required=True), P("download_frd", enum("1"))),
        errors=("not_found",), description="The uploaded bytes with their content type."),
    # -- the control plane (not Canvas) -------------------------------------------------------
    ("GET", "/__mockcanvas__/health"): RouteDoc(
        "Health and world size", "mockcanvas", CONTROL_TAG, "Health", auth=False),
    ("POST", "/__mockcanvas__/reset"): RouteDoc(
        "Restore the loaded world in place", "mockcanvas", CONTROL_TAG, "ResetResult", auth=False,
        body_kind="none", description="Also restores the default progress policy and clears the live "
                                      "events, the request journal and the recorded problems."),
    ("GET", "/__mockcanvas__/progress_policy"): RouteDoc(
        "Read the progress policy", "mockcanvas", CONTROL_TAG, "ProgressPolicy", auth=False),
    ("PUT", "/__mockcanvas__/progress_policy"): RouteDoc(
        "Set the progress policy", "mockcanvas", CONTROL_TAG, "ProgressPolicy", auth=False,
        body=(P("policy", {"type": "string", "pattern": "^(background|immediate|manual|polls:[1-9][0-9]*|fail:.*)$"},
                required=True),), errors=("control_error",)),
    ("POST", "/__mockcanvas__/progress_policy"): RouteDoc(
        "Set the progress policy (POST)", "mockcanvas", CONTROL_TAG, "ProgressPolicy", auth=False,
        body=(P("policy", {"type": "string", "pattern": "^(background|immediate|manual|polls:[1-9][0-9]*|fail:.*)$"},
                required=True),), errors=("control_error",)),
    ("POST", "/__mockcanvas__/progress/{progress_id}/advance"): RouteDoc(
        "Run a pending job now", "mockcanvas", CONTROL_TAG, "Progress", auth=False, body_kind="none",
        errors=("not_found",)),
    ("GET", "/__mockcanvas__/live_events"): RouteDoc(
        "Read the recorded live events", "mockcanvas", CONTROL_TAG, "LiveEventList", auth=False,
        query=LIVE_EVENT_FILTERS, errors=("control_error",)),
    ("DELETE", "/__mockcanvas__/live_events"): RouteDoc(
        "Clear the recorded live events", "mockcanvas", CONTROL_TAG, "Cleared", auth=False, body_kind="none"),
    ("GET", "/__mockcanvas__/live_events/delivery"): RouteDoc(
        "Live event delivery to a consumer", "mockcanvas", CONTROL_TAG, "DeliveryStats", auth=False),
    ("GET", "/__mockcanvas__/requests"): RouteDoc(
        "Read the request journal", "mockcanvas", CONTROL_TAG, "RequestList", auth=False,
        query=(P("after", {"type": "string", "pattern": "^[0-9]+$"}),
               P("status", {"type": "string", "pattern": "^[0-9]+$"}), P("method", STR),
               P("route", STR, "a template such as /api/v1/groups/{group_id}"), P("path", STR)),
        errors=("control_error",)),
    ("DELETE", "/__mockcanvas__/requests"): RouteDoc(
        "Clear the request journal", "mockcanvas", CONTROL_TAG, "Cleared", auth=False, body_kind="none"),
    ("GET", "/__mockcanvas__/openapi.json"): RouteDoc(
        "This OpenAPI document", "mockcanvas", CONTROL_TAG, "OpenAPIDocument", auth=False),
}
