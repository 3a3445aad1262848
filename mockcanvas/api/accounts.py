"""The Accounts API: ``AccountsController`` (app/controllers/accounts_controller.rb) and
``SubAccountsController`` (app/controllers/sub_accounts_controller.rb); canvas-facts-courses-users
section 7, the rules in ``mockcanvas.store.accounts``, the JSON in ``mockcanvas.views.accounts``.

Implemented:

* ``GET /accounts`` (``index``): the caller's admin accounts; ``include[]``, or the legacy
  ``includes[]`` when ``include[]`` is absent. Bookmark pages ordered by ``Account::Bookmarker``
  (name, id): ``all_paginatable_accounts`` is a ShardedBookmarkedCollection, which pages with
  bookmarks on a multi-shard Canvas (hosted Canvas); a single-shard Canvas would page it with page
  numbers (the pass-through correction of the facts file). The mock follows hosted Canvas.
* ``GET /course_accounts``: the accounts of the caller's Teacher/TA/Designer courses
  (``Enrollment.admin``), read-only form, always bookmark pages (``always_use_bookmarks``).
* ``GET /accounts/:id`` (``show``): ``:read`` (admins; course admins of a course directly in the
  account get the read-only form); only ``includes[]`` is read.
* ``PUT /accounts/:id`` (``update_api``): name, default_time_zone (IANA or Rails names), the
  three quotas, ``settings`` (the API settings), ``services``, ``sis_account_id``,
  ``course_template_id`` (blank or 0; the mock has no template courses: any other id is 404),
  ``parent_account_id`` (2025); every error body of ``update_api``; answers the full form with
  ``includes[]`` (+ ``services`` when services were sent).
* ``GET /accounts/:id/sub_accounts``: manage_account_settings (as the facts file's 2025 reading;
  the 2023 copy read here checks ``:read``); direct active children by id, ``order=name``;
  ``recursive=true``: the whole active subtree, level by level, page numbers without a total;
  ``include[]`` course_count, sub_account_count.
* ``POST /accounts/:id/sub_accounts``, ``DELETE /accounts/:id/sub_accounts/:id`` (``:id`` as Ruby
  ``to_i``: the URL account itself or any account below it).
* ``GET /accounts/:id/permissions?permissions[]=``: ``:read``, then ``{name: bool}`` in the order
  asked (``rights_status``); unknown names are false.
* Path ids: an id, ``self`` (the caller's root account), ``default`` (the first root account),
  ``sis_account_id:``, ``sis_integration_id:``, ``uuid:``, ``lti_context_id:`` (hex forms too).
* Live events ``account_created`` / ``account_updated`` (a sub-account delete is an update).

Limitations: ``site_admin`` is not modelled (404); custom account roles and role overrides are
not modelled (every admin holds every permission of ``ADMIN_PERMISSIONS``, sub-account admins all
but ``manage_sis`` and ``import_sis``; so "a SIS id ignored without manage_sis" cannot happen to a
root admin); ``registration_settings`` has INFERRED defaults; the services list is a fixed set;
``PUT`` without an ``account`` hash answers 200 unchanged and a non-hash ``account`` on create is
"account is missing" (Canvas raises NoMethodError: a 500); ``POST /accounts`` (site admins only,
not in open-source Canvas) is not a route (404); ``sub_account_count`` includes only active
children; an account's ``external_status`` is always null; ``default_locale`` cannot be set here;
the order of ``recursive=true`` (level by level, by id) is INFERRED (Canvas's recursive query
orders nothing explicitly).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..coerce import to_bool
from ..events import RequestSource, current_source
from ..openapi_docs import BOOLISH, P, RouteDoc, array_of, id_or
from ..openapi_schemas import BOOL, ID, INT, NULL, STR, URL, Schema, arr, enum, nullable, obj
from ..responses import params_of, render
from ..store.records import Account
from ..views.accounts import ACCOUNT_INCLUDES, account_json
from ._common import bookmarked, current_user, includes, paged, paged_no_total, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()
SUB_ACCOUNT_INCLUDES = frozenset({"course_count", "sub_account_count"})


def _account(request: web.Request) -> Account:
    return store_of(request).accounts.find(request.match_info["account_id"], current_user(request))


def _pin_context(account: Account) -> None:
    """Live events name the request's account as their context; ``self`` and ``default`` are
    resolved here (the middleware resolves only ids and SIS forms)."""
    source = current_source()
    if isinstance(source, RequestSource) and source.context is not None and not source.context[1][:1].isdigit():
        source.context = ("accounts", str(account.id))
        source.cache = None


def _legacy_includes(params: dict[str, Any]) -> set[str]:
    """``params[:include] || params[:includes]`` (AccountsController#index)."""
    return includes(params, "include" if params.get("include") is not None else "includes")


@routes.get("/api/v1/accounts")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    vc = view_context(request, store)
    inc = _legacy_includes(params_of(request))
    found = store.accounts.admin_accounts(current_user(request))
    return bookmarked(request, found, lambda a: (a.name, a.id), lambda a: account_json(vc, a, inc))


@routes.get("/api/v1/course_accounts")
async def course_accounts(request: web.Request) -> web.Response:
    store = store_of(request)
    vc = view_context(request, store)
    found = store.accounts.course_accounts(current_user(request))
    return bookmarked(request, found, lambda a: (a.name, a.id), lambda a: account_json(vc, a, read_only=True))


@routes.get("/api/v1/accounts/{account_id}")
async def show(request: web.Request) -> web.Response:
    store = store_of(request)
    account = _account(request)
    rights = store.accounts.require(current_user(request), account, "read")
    inc = includes(params_of(request), "includes")
    return render(request, account_json(view_context(request, store), account, inc, read_only="manage" not in rights))


@routes.put("/api/v1/accounts/{account_id}")
async def update(request: web.Request) -> web.Response:
    store = store_of(request)
    account = _account(request)
    _pin_context(account)
    params = params_of(request)
    added = store.accounts.update(current_user(request), account, params)
    inc = includes(params, "includes") | added
    return render(request, account_json(view_context(request, store), account, inc))


@routes.get("/api/v1/accounts/{account_id}/sub_accounts")
async def sub_accounts(request: web.Request) -> web.Response:
    store = store_of(request)
    account = _account(request)
    store.accounts.require(current_user(request), account, "manage_account_settings")
    params = params_of(request)
    vc = view_context(request, store)
    inc = includes(params) & SUB_ACCOUNT_INCLUDES
    get = store.rows["accounts"].get

    def one(a: Account) -> dict[str, Any]:
        return account_json(vc, a, inc)

    if to_bool(params.get("recursive")):
        return paged_no_total(request, _walk(store, account.id), one, load=get)
    return paged(request, store.accounts.children_view(account.id, params.get("order") == "name"), one, load=get)


def _walk(store, account_id: int):
    """The subtree lazily, level by level: a page costs its offset plus its length."""
    level = [account_id]
    while level:
        nxt = []
        for parent in level:
            for child in store.accounts.children_view(parent):
                yield child
                nxt.append(child)
        level = nxt


@routes.post("/api/v1/accounts/{account_id}/sub_accounts")
async def create_sub_account(request: web.Request) -> web.Response:
    store = store_of(request)
    account = _account(request)
    _pin_context(account)
    created = store.accounts.create_sub_account(current_user(request), account, params_of(request))
    return render(request, account_json(view_context(request, store), created))


@routes.delete("/api/v1/accounts/{account_id}/sub_accounts/{id}")
async def delete_sub_account(request: web.Request) -> web.Response:
    store = store_of(request)
    account = _account(request)
    _pin_context(account)
    deleted = store.accounts.delete_sub_account(current_user(request), account, request.match_info["id"])
    return render(request, account_json(view_context(request, store), deleted))


@routes.get("/api/v1/accounts/{account_id}/permissions")
async def permissions(request: web.Request) -> web.Response:
    store = store_of(request)
    account = _account(request)
    rights = store.accounts.require(current_user(request), account, "read")
    wanted = str_list(params_of(request).get("permissions"))
    return render(request, {name: name in rights for name in wanted})


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Accounts": "AccountsController, SubAccountsController"}
_TAG = "Accounts"
PATH_PARAMS: dict[str, Schema] = {
    "account_id": id_or("sis_account_id", "sis_integration_id", "uuid", "lti_context_id",
                        words=("self", "default")),
    "id": {"anyOf": [ID, {"type": "string"}], "x-canvas-id": True,
           "description": "a sub-account id (Ruby to_i: the URL account itself or any account below it)"},
}
ACCOUNT = obj(
    {"id": ID, "name": STR, "workflow_state": enum("active", "deleted"), "parent_account_id": nullable(ID),
     "root_account_id": nullable(ID), "uuid": STR, "default_time_zone": STR,
     "default_time_zone_friendly_name": STR},
    {"default_storage_quota_mb": INT, "default_user_storage_quota_mb": INT,
     "default_group_storage_quota_mb": INT, "sis_account_id": nullable(STR), "sis_import_id": NULL,
     "integration_id": nullable(STR), "lti_guid": STR, "course_template_id": nullable(INT),
     "registration_settings": obj({"login_handle_name": nullable(STR), "require_email": BOOL}),
     "terms_required": BOOL, "terms_of_use_url": URL, "privacy_policy_url": URL, "recaptcha_key": BOOL,
     "services": {"type": "object", "additionalProperties": BOOL}, "global_id": ID, "course_count": INT,
     "sub_account_count": INT},
    description="account_json (lib/api/v1/account.rb); the read-only form has the required keys only")
SCHEMAS: dict[str, Schema] = {
    "Account": ACCOUNT,
    "AccountPermissions": {"type": "object", "additionalProperties": BOOL,
                           "description": "each asked permission name -> whether the caller holds it"},
}
_INCLUDE = P("include[]", arr(enum(*ACCOUNT_INCLUDES)), "extra keys of each account")
_QUOTAS = tuple(P(f"account[{q}]", {"type": ["integer", "string"]}, "an integer (>= 0)")
                for q in ("default_storage_quota_mb", "default_user_storage_quota_mb",
                          "default_group_storage_quota_mb"))
_UPDATE = (
    P("account[name]", STR, "blank: 400"),
    P("account[default_time_zone]", STR, "an IANA or Rails zone name"),
    *_QUOTAS,
    P("account[sis_account_id]", STR, "sub-accounts only, with root manage_sis (else 401)"),
    P("account[parent_account_id]", ID, "move a sub-account within its root account"),
    P("account[course_template_id]", {"type": ["integer", "string"]}, "blank or 0"),
    P("account[settings][restrict_student_past_view][value]", BOOLISH),
    P("account[settings][restrict_student_future_view][value]", BOOLISH),
    P("account[services][avatars]", BOOLISH),
    P("includes[]", arr(enum(*ACCOUNT_INCLUDES))),
)
ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/accounts"): RouteDoc(
        "List accounts", "AccountsController#index", _TAG, array_of("Account"), paginated="bookmark",
        query=(_INCLUDE, P("includes[]", arr(enum(*ACCOUNT_INCLUDES)), "legacy: read when include[] is absent")),
        description="The caller's admin accounts (students and teachers: [])."),
    ("GET", "/api/v1/course_accounts"): RouteDoc(
        "List accounts for course admins", "AccountsController#course_accounts", _TAG, array_of("Account"),
        paginated="bookmark", description="Read-only form."),
    ("GET", "/api/v1/accounts/{account_id}"): RouteDoc(
        "Get a single account", "AccountsController#show", _TAG, "Account",
        query=(P("includes[]", arr(enum(*ACCOUNT_INCLUDES)), "include[] is not read here"),),
        errors=("unauthorized", "not_found"),
        description="Admins get the full form; course admins of a course in the account the read-only form."),
    ("PUT", "/api/v1/accounts/{account_id}"): RouteDoc(
        "Update an account", "AccountsController#update", _TAG, "Account", body=_UPDATE,
        errors=("unauthorized", "unauthorized_errors", "validation", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/sub_accounts"): RouteDoc(
        "Get the sub-accounts of an account", "AccountsController#sub_accounts", _TAG, array_of("Account"),
        paginated="pages",
        query=(P("recursive", BOOLISH, "the whole subtree (no last link)"), P("order", enum("id", "name")),
               P("include[]", arr(enum(*sorted(SUB_ACCOUNT_INCLUDES))))),
        errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/accounts/{account_id}/sub_accounts"): RouteDoc(
        "Create a new sub-account", "SubAccountsController#create", _TAG, "Account",
        body=(P("account[name]", STR, "required", required=True), P("account[sis_account_id]", STR),
              P("account[parent_account_id]", ID, "an account below the URL account"), *_QUOTAS),
        errors=("unauthorized", "unauthorized_message", "missing", "message", "validation", "not_found")),
    ("DELETE", "/api/v1/accounts/{account_id}/sub_accounts/{id}"): RouteDoc(
        "Delete a sub-account", "SubAccountsController#destroy", _TAG, "Account", body_kind="none",
        errors=("unauthorized", "unauthorized_message", "conflict", "not_found"),
        description="Soft delete; the answer has workflow_state deleted."),
    ("GET", "/api/v1/accounts/{account_id}/permissions"): RouteDoc(
        "Permissions", "AccountsController#permissions", _TAG, "AccountPermissions",
        query=(P("permissions[]", arr(STR)),), errors=("unauthorized", "not_found")),
}

# bodies Canvas renders with an explicit status (never turned into a 403): error kind -> (status, schemas)
ERROR_KINDS = {
    "unauthorized_errors": (401, ("ErrorValidation",)),
    "unauthorized_message": (401, ("ErrorMessage",)),
    "conflict": (409, ("ErrorMessage",)),
}
