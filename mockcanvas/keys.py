"""Typed keys for the aiohttp app and requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .delivery import Delivery
    from .settings import Settings
    from .store import Store

STORE: web.AppKey["Store"] = web.AppKey("mockcanvas_store")
SETTINGS: web.AppKey["Settings"] = web.AppKey("mockcanvas_settings")
PROBLEMS: web.AppKey[list] = web.AppKey("mockcanvas_problems", list)
DELIVERY: web.AppKey["Delivery | None"] = web.AppKey("mockcanvas_delivery", object)

# web.RequestKey arrived in aiohttp 3.13; older 3.x keep plain string keys.
_RequestKey = getattr(web, "RequestKey", None)


def _request_key(name: str, t: type):
    return _RequestKey(name, t) if _RequestKey is not None else name


USER = _request_key("mockcanvas_user", object)  # the effective user (after as_user_id)
REAL_USER = _request_key("mockcanvas_real_user", object)  # the token's user when masquerading
REQUEST_ID = _request_key("mockcanvas_request_id", str)
PARAMS = _request_key("mockcanvas_params", dict)
