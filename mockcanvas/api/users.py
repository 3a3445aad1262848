"""The Users API (app/controllers/users_controller.rb, profile_controller.rb).

Implemented: ``GET /users/self`` and ``/users/:id`` (UsersController#api_show).

Limitations: see the README's LIMITATIONS.
"""

from __future__ import annotations

from aiohttp import web

from ..openapi_docs import PEOPLE_TAG, RouteDoc
from ..openapi_schemas import BOOL, STR, URL, USER_OPTIONAL, USER_REQUIRED, Schema, nullable, obj
from ..responses import render
from ..views.users import profile_json
from ._common import current_user, resolve_user, store_of, view_context

routes = web.RouteTableDef()


@routes.get("/api/v1/users/{user_id}")
async def show_user(request: web.Request) -> web.Response:
    user = resolve_user(request, request.match_info["user_id"])
    rights = store_of(request).policy.user_rights(current_user(request), user)
    return render(request, profile_json(view_context(request), user, rights))


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
PROFILE = obj({**USER_REQUIRED, "avatar_url": URL, "locale": nullable(STR),
               "permissions": obj({"can_update_name": BOOL, "can_update_avatar": BOOL,
                                   "limit_parent_app_web_access": BOOL})},
              {k: v for k, v in USER_OPTIONAL.items() if k not in ("avatar_url", "locale")}
              | {"effective_locale": STR},
              description="UsersController#api_show: user_json with locale, avatar_url, email, "
                          "permissions; effective_locale for oneself")
SCHEMAS: dict[str, Schema] = {"Profile": PROFILE}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/users/{user_id}"): RouteDoc(
        "Show user details", "UsersController#api_show", PEOPLE_TAG, "Profile",
        errors=("unauthorized", "not_found")),
}
