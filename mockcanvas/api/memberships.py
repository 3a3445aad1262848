"""Group Memberships API (GroupMembershipsController, app/controllers/group_memberships_controller.rb).

Implemented: list (``filter_states[]``, paginated), show / update / leave-or-remove by membership id
or by user id (``self`` and ``sis_user_id:`` forms), bulk removal (``DELETE /groups/:id/users?
user_ids[]=``), create (``user_id``, ``self`` allowed). The rules
(who may add whom, the state ``join_level`` gives, auto-accept outside communities, the move between
groups of a category, full groups, leadership) live in ``store/memberships.py``.

Limitations: none known beyond the role model of ``store/policy.py``.
"""

from __future__ import annotations

from aiohttp import web

from ..errors import NotFound, ParameterMissing
from ..openapi_docs import BOOLISH, USER_REF, P, RouteDoc, array_of, id_or
from ..openapi_schemas import BOOL, ID, INT, STR, TIME, Schema, arr, const, enum, nullable, obj
from ..pagination import paginate
from ..responses import params_of, render
from ..store.records import Group, GroupMembership
from ..views.groups import membership_json
from ._common import _page_args, base_url, current_user, page_response, resolve_user, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()


def _group(request: web.Request) -> Group:
    return store_of(request).groups.find(request.match_info["group_id"])


def _membership(request: web.Request, group: Group) -> GroupMembership:
    info = request.match_info
    return store_of(request).memberships.find(
        current_user(request), group, membership_ref=info.get("membership_id"), user_ref=info.get("user_id"),
    )


@routes.get("/api/v1/groups/{group_id}/memberships")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    group = _group(request)
    params = params_of(request)
    states = str_list(params.get("filter_states")) if "filter_states" in params else None
    ids = store.memberships.list_ids(current_user(request), group, states)
    vc = view_context(request)
    # the links come from the route helper of the group (``polymorphic_url([:api_v1, @group,
    # :memberships])``): the group's id, even when the path named it by ``sis_group_id:``
    args = _page_args(request, 0, f"{base_url(request)}/api/v1/groups/{group.id}/memberships")
    page = paginate(ids, load=lambda i: store.get("memberships", i), **args)
    return page_response(request, page, lambda m: membership_json(vc, m))


@routes.get("/api/v1/groups/{group_id}/memberships/{membership_id}")
@routes.get("/api/v1/groups/{group_id}/users/{user_id}")
async def show(request: web.Request) -> web.Response:
    group = _group(request)
    info = request.match_info
    m = store_of(request).memberships.show(current_user(request), group, membership_ref=info.get("membership_id"),
                                           user_ref=info.get("user_id"))
    return render(request, membership_json(view_context(request), m))


@routes.post("/api/v1/groups/{group_id}/memberships")
async def create(request: web.Request) -> web.Response:
    group = _group(request)
    ref = params_of(request).get("user_id")
    if ref is None or ref == "":
        raise ParameterMissing("user_id")
    user = resolve_user(request, str(ref))
    m, just_created = store_of(request).memberships.create(current_user(request), group, user)
    return render(request, membership_json(view_context(request), m, just_created=just_created))


@routes.put("/api/v1/groups/{group_id}/memberships/{membership_id}")
@routes.put("/api/v1/groups/{group_id}/users/{user_id}")
async def update(request: web.Request) -> web.Response:
    group = _group(request)
    m = _membership(request, group)
    params = params_of(request)  # top-level only, as params.permit(:workflow_state, :moderator)
    store_of(request).memberships.update(current_user(request), m, workflow_state=params.get("workflow_state"),
                                         moderator=params.get("moderator"))
    return render(request, membership_json(view_context(request), m))


@routes.delete("/api/v1/groups/{group_id}/memberships/{membership_id}")
@routes.delete("/api/v1/groups/{group_id}/users/{user_id}")
async def destroy(request: web.Request) -> web.Response:
    group = _group(request)
    m = _membership(request, group)
    store_of(request).memberships.leave_or_remove(current_user(request), m)
    return render(request, {"ok": True})


@routes.delete("/api/v1/groups/{group_id}/users")
async def bulk_destroy(request: web.Request) -> web.Response:
    """``DELETE /groups/:group_id/users?user_ids[]=A&user_ids[]=B``: each listed member removed as a
    single removal would be (canvas-facts Corrections 7, a real Canvas 2025); the ids the caller may
    not remove come back in ``unauthorized_user_ids``. Without ``user_ids`` there is no membership
    to find: the standard 404 (*chosen*: the route is the single removal's without a user id)."""
    group = _group(request)
    raw = str_list(params_of(request).get("user_ids"))
    user_ids = [i for i in (store_of(request).find_id(x) for x in raw) if i is not None]
    if not raw:
        raise NotFound()
    deleted, unauthorized = store_of(request).memberships.bulk_remove(current_user(request), group, user_ids)
    return render(request, {"deleted_user_ids": deleted, "message": "Bulk delete completed",
                            "unauthorized_user_ids": unauthorized})


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
# the controller permits its flat body parameters: an array or hash given for a scalar one is
# dropped (api/_params.py, strong parameters)
STRONG_PARAMETERS = True
TAGS = {"Group Memberships": "GroupMembershipsController"}
_TAG = "Group Memberships"
PATH_PARAMS: dict[str, Schema] = {"membership_id": id_or(words=("self",))}
MEMBERSHIP_UPDATE = (
    P("workflow_state", enum("accepted"), "only accepted is taken; other values are dropped"),
    P("moderator", BOOLISH, "Rails boolean cast"),
)
MEMBERSHIP_ERRORS = ("unauthorized", "not_found")
MEMBERSHIP = obj(
    {"id": ID, "group_id": ID, "user_id": ID, "workflow_state": enum("accepted", "invited", "requested", "deleted"),
     "moderator": BOOL, "created_at": TIME},
    {"just_created": BOOL, "sis_group_id": nullable(STR), "sis_import_id": nullable(INT)},
    description="group_membership_json; just_created only in the create answer")
BULK_DELETE = obj({"deleted_user_ids": arr(ID), "message": const("Bulk delete completed"),
                   "unauthorized_user_ids": arr(ID)},
                  description="DELETE /groups/:group_id/users?user_ids[]=...: who was removed, who may not be")
SCHEMAS: dict[str, Schema] = {"GroupMembership": MEMBERSHIP, "BulkDeleteMemberships": BULK_DELETE}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/groups/{group_id}/memberships"): RouteDoc(
        "List group memberships", "GroupMembershipsController#index", _TAG, array_of("GroupMembership"),
        paginated="pages", query=(P("filter_states[]", arr(enum("accepted", "invited", "requested"))),),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/groups/{group_id}/memberships/{membership_id}"): RouteDoc(
        "Get a single group membership", "GroupMembershipsController#show", _TAG, "GroupMembership",
        errors=MEMBERSHIP_ERRORS),
    ("GET", "/api/v1/groups/{group_id}/users/{user_id}"): RouteDoc(
        "Get a single group membership (by user)", "GroupMembershipsController#show", _TAG, "GroupMembership",
        errors=MEMBERSHIP_ERRORS),
    ("POST", "/api/v1/groups/{group_id}/memberships"): RouteDoc(
        "Create a membership", "GroupMembershipsController#create", _TAG, "GroupMembership",
        body=(P("user_id", USER_REF, "the user to add (`self` to join)", required=True),),
        errors=("unauthorized", "missing", "validation", "not_found")),
    ("PUT", "/api/v1/groups/{group_id}/memberships/{membership_id}"): RouteDoc(
        "Update a membership", "GroupMembershipsController#update", _TAG, "GroupMembership",
        body=MEMBERSHIP_UPDATE, errors=MEMBERSHIP_ERRORS),
    ("PUT", "/api/v1/groups/{group_id}/users/{user_id}"): RouteDoc(
        "Update a membership (by user)", "GroupMembershipsController#update", _TAG, "GroupMembership",
        body=MEMBERSHIP_UPDATE, errors=MEMBERSHIP_ERRORS),
    ("DELETE", "/api/v1/groups/{group_id}/memberships/{membership_id}"): RouteDoc(
        "Leave a group", "GroupMembershipsController#destroy", _TAG, "Ok", body_kind="none",
        errors=MEMBERSHIP_ERRORS),
    ("DELETE", "/api/v1/groups/{group_id}/users"): RouteDoc(
        "Bulk delete memberships", "GroupMembershipsController#destroy", _TAG, "BulkDeleteMemberships",
        query=(P("user_ids[]", arr(ID), "the users to remove", required=True),), body_kind="none",
        errors=MEMBERSHIP_ERRORS,
        description="Each user removed as a single removal would be (the member who may leave, or a "
                    "caller who may manage); the others in unauthorized_user_ids; users without a "
                    "membership in neither list."),
    ("DELETE", "/api/v1/groups/{group_id}/users/{user_id}"): RouteDoc(
        "Leave a group (by user)", "GroupMembershipsController#destroy", _TAG, "Ok", body_kind="none",
        errors=MEMBERSHIP_ERRORS),
}
