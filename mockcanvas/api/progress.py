"""Progress API (ProgressController, app/controllers/progress_controller.rb).

``GET /api/v1/progress/:id`` (read on the progress's context) and ``POST /api/v1/progress/:id/cancel``
(only the progress's own user; the state becomes ``failed`` with ``message``). How jobs advance is the
store's progress policy (``store/progress.py``).
"""

from __future__ import annotations

from aiohttp import web

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
