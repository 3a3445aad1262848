"""Progress API (ProgressController, app/controllers/progress_controller.rb).

``GET /api/v1/progress/:id`` (read on the progress's context) and ``POST /api/v1/progress/:id/cancel``
(only the progress's own user; the state becomes ``failed`` with ``message``). How jobs advance is the
store's progress policy (``store/progress.py``).
"""

from __future__ import annotations

from aiohttp import web

from ..openapi_docs import P, RouteDoc
from ..openapi_schemas import ANY, ID, NUM, STR, TIME, URL, Schema, enum, nullable, obj
from ..responses import params_of, render
from ..views.progress import progress_json
from ._common import current_user, store_of, view_context

routes = web.RouteTableDef()


@routes.get("/api/v1/progress/{progress_id}")
async def show(request: web.Request) -> web.Response:
    store = store_of(request)
    p = store.progress.find(request.match_info["progress_id"])
    store.progress.poll(current_user(request), p)
    return render(request, progress_json(view_context(request), p))


@routes.post("/api/v1/progress/{progress_id}/cancel")
async def cancel(request: web.Request) -> web.Response:
    store = store_of(request)
    p = store.progress.find(request.match_info["progress_id"])
    message = params_of(request).get("message")
    store.progress.cancel(current_user(request), p, message if isinstance(message, str) else None)
    return render(request, progress_json(view_context(request), p))


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Progress": "ProgressController"}
_TAG = "Progress"
PROGRESS = obj(
    {"id": ID, "context_id": ID, "context_type": STR, "user_id": nullable(ID), "tag": STR, "completion": NUM,
     "workflow_state": enum("queued", "running", "completed", "failed", "canceled", "waiting_for_external_tool"),
     "created_at": TIME, "updated_at": TIME, "message": nullable(STR), "url": URL},
    {"results": ANY},
    description="progress_json (lib/api/v1/progress.rb); results only once no longer pending")
SCHEMAS: dict[str, Schema] = {"Progress": PROGRESS}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/progress/{progress_id}"): RouteDoc(
        "Query progress", "ProgressController#show", _TAG, "Progress", errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/progress/{progress_id}/cancel"): RouteDoc(
        "Cancel progress", "ProgressController#cancel", _TAG, "Progress", body=(P("message", STR),),
        errors=("unauthorized", "not_found"), description="Only the progress's own user; the state becomes failed."),
}
