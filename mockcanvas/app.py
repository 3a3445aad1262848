"""``create_app(store)``: the one aiohttp application behind the CLI, the threaded server and the
pytest fixtures.

Middlewares, outermost first: request id -> errors -> parameters and authentication -> handler.
Errors raised by the store become Canvas's bodies here and nowhere else. Unknown ``/api/v1``
routes and unexpected exceptions are answered as Canvas would (404 / 500 bodies) and remembered in
``app[PROBLEMS]`` so that the pytest plugin can fail the test that caused them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
import uuid
from dataclasses import replace
from typing import Awaitable, Callable

from aiohttp import web

from . import errors as E
from .api import ROUTE_TABLES
from .api._params import read_params
from .auth import authenticate, token_of
from .events import RequestSource, using_source
from .keys import DELIVERY, PARAMS, PROBLEMS, REAL_USER, REQUEST_ID, SETTINGS, STORE, USER
from .responses import render
from .settings import Settings
from .store import Store
from .store.records import User
from .store.live import request_metadata, session_id

log = logging.getLogger("mockcanvas")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
def _record(request: web.Request, kind: str, detail: str) -> None:
    settings = request.app[SETTINGS]
    if settings.record_problems:
        request.app[PROBLEMS].append({"kind": kind, "method": request.method,
                                      "path": request.path_qs, "detail": detail})


def _error_response(request: web.Request, err: E.CanvasError) -> web.Response:
    status = err.status
    if isinstance(err, E.Unauthorized):
        status = request.app[SETTINGS].auth_error_status
    headers = {"WWW-Authenticate": E.WWW_AUTHENTICATE} if err.www_authenticate else None
    return render(request, err.body(), status=status, headers=headers)


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    request[REQUEST_ID] = str(uuid.uuid4())
    try:
        resp = await handler(request)
    except web.HTTPException as exc:
        _journal(request, exc.status)
        raise
    _journal(request, resp.status)
    resp.headers["X-Request-Context-Id"] = request[REQUEST_ID]
    if request.path.startswith("/api/"):
        resp.headers.setdefault("X-Request-Cost", "0.0")
        resp.headers.setdefault("X-Rate-Limit-Remaining", "700.0")
        store = request.app[STORE]
        user = request.get(USER)
        if user is not None:
            resp.headers["X-Canvas-User-Id"] = str(store.global_id(user.id))
        real = request.get(REAL_USER)
        if real is not None:
            resp.headers["X-Canvas-Real-User-Id"] = str(store.global_id(real.id))
    return resp


def _journal(request: web.Request, status: int) -> None:
    """Every call to a Canvas route, for ``store.requests`` (the control plane is left out)."""
    if request.path.startswith("/__mockcanvas__/"):
        return
    resource = request.match_info.route.resource
    user, real = request.get(USER), request.get(REAL_USER)
    request.app[STORE].requests.record(
        method=request.method, path=request.path, query=request.query_string,
        route=resource.canonical if resource is not None else None,
        user_id=user.id if user is not None else None,
        real_user_id=real.id if real is not None else None, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except E.CanvasError as err:
        return _error_response(request, err)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as exc:
        if request.path.startswith("/api/v1/") or request.path == "/api/v1":
            _record(request, "unknown route", f"{request.method} {request.path}")
            return render(request, E.NotFound().body(), status=404)
        raise exc
    except web.HTTPException:
        raise
    except Exception as exc:  # a bug in the mock: answer like Canvas, remember for the test
        detail = "".join(traceback.format_exception(exc))
        log.error("mockcanvas: %s %s failed\n%s", request.method, request.path, detail)
        _record(request, "exception", detail)
        body = {"errors": [{"message": "An error occurred.", "error_code": "internal_server_error"}]}
        return render(request, body, status=500)


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/api/v1/"):
        return await handler(request)
    if request.match_info.http_exception is not None:
        raise request.match_info.http_exception
    params = await read_params(request)
    request[PARAMS] = params
    body_token = params.get("access_token") if isinstance(params.get("access_token"), str) else None
    as_user = params.get("as_user_id")
    masquerading = as_user is not None and as_user != ""
    try:
        user = authenticate(request, body_token)
    except E.Unauthenticated:
        # load_user checks as_user_id before any action asks for a user: nobody may become anyone
        raise E.InvalidAsUser() if masquerading else E.Unauthenticated() from None
    if masquerading:
        user = _masquerade(request, user, as_user)
    # who and what a change comes from, for the live events the store records during the handler
    token = token_of(request) or body_token
    if request.method == "GET":  # reads seldom write: build the source only if an event fires
        source = functools.partial(_event_source, request, user, token)
    else:
        source = _event_source(request, user, token)
        # the context and role as they are before the change (@context_membership is looked up
        # before the action: a student joining a group is not yet its member)
        store = request.app[STORE]
        with store.lock:
            source.cache = request_metadata(store, source)
    with using_source(source):
        return await handler(request)


def _masquerade(request: web.Request, real: User, ref: object) -> User:
    """``as_user_id`` (an id or ``sis_user_id:``): act as that user if ``real`` may become them
    (User#can_masquerade?), else 401 ``{"errors": "Invalid as_user_id"}``."""
    store = request.app[STORE]
    try:
        target = store.find("users", ref if isinstance(ref, (int, str)) else "")
    except E.NotFound:
        raise E.InvalidAsUser() from None
    if not store.policy.can_masquerade(real, target):
        raise E.InvalidAsUser()
    # as Canvas, even becoming oneself sets the real user (and X-Canvas-Real-User-Id)
    request[USER] = target
    request[REAL_USER] = real
    return target


# path parameters naming the request's @context, most specific first
_CONTEXT_PARAMS = (("group_category_id", "group_categories"), ("group_id", "groups"),
                   ("course_id", "courses"), ("account_id", "accounts"))


def _event_source(request: web.Request, user, token: str | None) -> RequestSource:
    context = None
    for param, table in _CONTEXT_PARAMS:
        if param in request.match_info:
            context = (table, request.match_info[param])
            break
    if context is None and request.method == "POST" and request.path.rstrip("/") == "/api/v1/groups":
        context = ("root_account", str(user.account_id))  # a community: the domain's root account
    return RequestSource(
        http_method=request.method,
        url=str(request.url),
        hostname=request.url.host or "",
        request_id=request[REQUEST_ID],
        user_agent=request.headers.get("User-Agent"),
        referrer=request.headers.get("Referer"),
        client_ip=request.remote,
        session_id=session_id(token),
        user_id=user.id,
        real_user_id=request[REAL_USER].id if request.get(REAL_USER) is not None else None,
        context=context,
    )


def create_app(store: Store | None = None, settings: Settings | None = None) -> web.Application:
    """The mock Canvas. Without a store, the built-in default world is loaded."""
    if store is None:
        from .seed import load_world

        store = load_world(settings=settings)
    if settings is not None:
        if not settings.shard_id and store.world_shard_id:
            settings = replace(settings, shard_id=store.world_shard_id)
        store.settings = settings  # one source of truth for the store's rules and the app's
    settings = store.settings
    app = web.Application(middlewares=[request_id_middleware, error_middleware, auth_middleware],
                          client_max_size=settings.max_upload_bytes + 1024 * 1024)
    app[STORE] = store
    app[SETTINGS] = settings
    app[PROBLEMS] = []
    app[DELIVERY] = None
    if settings.live_events_url:
        app.cleanup_ctx.append(_live_event_delivery)
    for table in ROUTE_TABLES:
        app.add_routes(table)
    return app


async def _live_event_delivery(app: web.Application):
    """While the app runs, POST each live event to ``Settings.live_events_url`` (own thread)."""
    from .delivery import Delivery

    delivery = Delivery(app[SETTINGS].live_events_url).start()
    delivery.attach(app[STORE].live_events)
    app[DELIVERY] = delivery
    try:
        yield
    finally:
        await asyncio.get_running_loop().run_in_executor(None, delivery.stop)
