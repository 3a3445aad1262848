"""The Accounts API (app/controllers/accounts_controller.rb).

Implemented: ``GET /accounts/:id`` (AccountsController#show).

Limitations: see the README's LIMITATIONS.
"""

from __future__ import annotations

from aiohttp import web

from ..errors import Unauthorized
from ..openapi_docs import PEOPLE_TAG, RouteDoc
from ..openapi_schemas import ID, INT, NULL, STR, Schema, nullable, obj
from ..responses import render
from ..views.accounts import account_json
from ._common import current_user, store_of, view_context

routes = web.RouteTableDef()


@routes.get("/api/v1/accounts/{account_id}")
async def show_account(request: web.Request) -> web.Response:
    store = store_of(request)
    ref = request.match_info["account_id"]
    if ref == "self":
        ref = current_user(request).account_id
    account = store.find("accounts", ref)
    if not store.policy.is_admin_of(current_user(request), account.id):
        raise Unauthorized()
    return render(request, account_json(view_context(request), account))


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
ACCOUNT = obj(
    {"id": ID, "name": STR, "workflow_state": STR, "parent_account_id": nullable(ID),
     "root_account_id": nullable(ID), "uuid": STR, "default_storage_quota_mb": INT,
     "default_user_storage_quota_mb": INT, "default_group_storage_quota_mb": INT, "default_time_zone": STR},
    {"sis_account_id": nullable(STR), "integration_id": NULL, "sis_import_id": NULL, "lti_guid": STR},
    description="account_json (lib/api/v1/account.rb); lti_guid for root accounts")
SCHEMAS: dict[str, Schema] = {"Account": ACCOUNT}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/accounts/{account_id}"): RouteDoc(
        "Get a single account", "AccountsController#show", PEOPLE_TAG, "Account",
        errors=("unauthorized", "not_found"), description="Admins of the account only."),
}
