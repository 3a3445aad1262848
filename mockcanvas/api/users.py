"""The Users API (app/controllers/users_controller.rb, profile_controller.rb).

Implemented: ``GET /users/self`` and ``/users/:id`` (UsersController#api_show).

Limitations: see the README's LIMITATIONS.
"""

from __future__ import annotations

from aiohttp import web

from ..responses import render
from ..views.users import profile_json
from ._common import current_user, resolve_user, store_of, view_context

routes = web.RouteTableDef()


@routes.get("/api/v1/users/{user_id}")
async def show_user(request: web.Request) -> web.Response:
    user = resolve_user(request, request.match_info["user_id"])
    rights = store_of(request).policy.user_rights(current_user(request), user)
    return render(request, profile_json(view_context(request), user, rights))
