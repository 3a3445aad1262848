"""The test control plane under ``/__mockcanvas__/`` (not part of Canvas).

``GET /__mockcanvas__/health`` -> ``{"status": "ok", ...}``;
``POST /__mockcanvas__/reset`` restores the seeded world in place (the same store object).
"""

from __future__ import annotations

from aiohttp import web

from ..keys import PROBLEMS
from ..responses import render
from ._common import store_of

routes = web.RouteTableDef()


@routes.get("/__mockcanvas__/health")
async def health(request: web.Request) -> web.Response:
    store = store_of(request)
    return render(request, {
        "status": "ok",
        "users": len(store.rows["users"]),
        "groups": len(store.rows["groups"]),
        "changed_rows": store.changed_rows,
    })


@routes.post("/__mockcanvas__/reset")
async def reset(request: web.Request) -> web.Response:
    store = store_of(request)
    store.rollback()
    request.app[PROBLEMS].clear()
    return render(request, {"status": "reset", "changed_rows": store.changed_rows})
