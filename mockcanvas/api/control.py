"""The test control plane under ``/__mockcanvas__/`` (not part of Canvas).

``GET /__mockcanvas__/health`` -> ``{"status": "ok", ...}``;
``POST /__mockcanvas__/reset`` restores the seeded world in place (the same store object);
``GET|PUT /__mockcanvas__/progress_policy`` reads or sets when jobs run (``{"policy": "manual"}``:
background, immediate, manual, polls:N, fail:MESSAGE; reset by ``reset``);
``POST /__mockcanvas__/progress/:id/advance`` runs a pending job now.
"""

from __future__ import annotations

from aiohttp import web

from ..keys import PROBLEMS
from ..responses import render
from ..store.progress import POLICIES
from ..views.progress import progress_json
from ._common import store_of, view_context
from ._params import parse_pairs

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


@routes.get("/__mockcanvas__/progress_policy")
async def get_progress_policy(request: web.Request) -> web.Response:
    return render(request, {"policy": store_of(request).progress.policy, "policies": list(POLICIES)})


@routes.put("/__mockcanvas__/progress_policy")
@routes.post("/__mockcanvas__/progress_policy")
async def set_progress_policy(request: web.Request) -> web.Response:
    if request.content_type == "application/json":
        body = await request.json()
    else:
        body = parse_pairs((await request.post()).items())
    policy = body.get("policy") if isinstance(body, dict) else None
    try:
        store_of(request).progress.set_policy(str(policy))
    except ValueError as exc:
        return render(request, {"error": str(exc)}, status=400)
    return render(request, {"policy": store_of(request).progress.policy})


@routes.post("/__mockcanvas__/progress/{progress_id}/advance")
async def advance_progress(request: web.Request) -> web.Response:
    store = store_of(request)
    p = store.progress.find(request.match_info["progress_id"])
    store.progress.advance(p)
    return render(request, progress_json(view_context(request), p))
