"""The Accounts API (app/controllers/accounts_controller.rb).

Implemented: ``GET /accounts/:id`` (AccountsController#show).

Limitations: see the README's LIMITATIONS.
"""

from __future__ import annotations

from aiohttp import web

from ..errors import Unauthorized
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
