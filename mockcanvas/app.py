"""``create_app(store)``: the one aiohttp application behind the CLI, the threaded server and the
pytest fixtures.

One middleware, in steps, outermost first: request id -> errors -> parameters and authentication ->
handler.
Errors raised by the store become Canvas's bodies here and nowhere else. Unknown ``/api/v1``
routes and unexpected exceptions are answered as Canvas would (404 / 500 bodies) and remembered in
``app[PROBLEMS]`` so that the pytest plugin can fail the test that caused them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import random
import traceback
from dataclasses import replace
from typing import Awaitable, Callable

from aiohttp import web

from . import errors as E
from .api import ROUTE_TABLES
from .api._params import read_params
from .auth import authenticate_token, token_of
from .events import SOURCE, RequestSource
from .keys import DELIVERY, PARAMS, PROBLEMS, REAL_USER, REQUEST_ID, SETTINGS, STORE, USER
from .responses import render
from .settings import Settings
from .store import Store
from .store.live import request_metadata, session_id
from .store.records import User

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


# -- request ids ---------------------------------------------------------------------------------
# X-Request-Context-Id (and live events' request_id) has uuid4's textual form. ``str(uuid.uuid4())``
# costs a getrandom() call and a UUID object per request; 128 bits from a private Mersenne Twister,
# seeded from os.urandom (and reseeded in a forked child, so that two processes never share a
# stream), give the same form and as many random bits (122) for a fraction of that. The ids are
# correlation ids, not secrets. A private generator: tests that seed ``random`` do not repeat them.
_ids = random.Random(os.urandom(32))
if hasattr(os, "register_at_fork"):  # Unix only; Windows has no fork
    os.register_at_fork(after_in_child=lambda: _ids.seed(os.urandom(32)))
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))  # the version nibble and the variant bits
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)  # version 4, variant RFC 4122 (as uuid.UUID does)


def new_request_id() -> str:
    h = "%032x" % (_ids.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# -- the middleware --------------------------------------------------------------------------------
@web.middleware
async def canvas_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request, in three nested steps (one middleware, so that they share their locals
    instead of reading them back from the request; each aiohttp middleware layer costs a call):

    1. request id, journal and Canvas's response headers (outermost);
    2. errors: CanvasError -> its body, unknown ``/api/v1`` route -> 404 body, a bug -> 500 body;
    3. parameters and authentication (``/api/v1/`` only) -> the handler.
    """
    request[REQUEST_ID] = request_id = new_request_id()
    path = request.path
    store = request.app[STORE]
    # the effective and the real user as step 3 sets them (USER and REAL_USER are set nowhere
    # else): read by steps 1 for the journal and the X-Canvas-*-User-Id headers
    user = real = None
    try:
        try:
            if path.startswith("/api/v1/"):
                # -- 3. parameters and authentication
                match_info = request.match_info
                if match_info.http_exception is not None:
                    raise match_info.http_exception
                if request.method in ("GET", "HEAD") and not request.query_string:
                    params: dict = {}  # what read_params gives for a GET without a query string
                else:
                    params = await read_params(request)
                request[PARAMS] = params
                if params:
                    access_token = params.get("access_token")
                    body_token = access_token if isinstance(access_token, str) else None
                    as_user = params.get("as_user_id")
                    masquerading = as_user is not None and as_user != ""
                else:
                    body_token = as_user = None
                    masquerading = False
                # who and what a change comes from, for the live events of the handler
                token = token_of(request) or body_token
                try:
                    user = authenticate_token(request, store, token)
                except E.Unauthenticated:
                    # load_user checks as_user_id before any action asks for a user: nobody may
                    # become anyone
                    raise E.InvalidAsUser() if masquerading else E.Unauthenticated() from None
                if masquerading:
                    # on an InvalidAsUser the token's user stays the effective one (as USER does)
                    user, real = _masquerade(request, user, as_user), user
                if request.method == "GET":  # reads seldom write: a source only if an event fires
                    source = functools.partial(_event_source, request, user, token)
                else:
                    source = _event_source(request, user, token)
                    # the context and role as they are before the change (@context_membership is
                    # looked up before the action: a student joining a group is not yet its member)
                    with store.lock:
                        source.cache = request_metadata(store, source)
                # what ``with events.using_source(source):`` does, without its generator-based
                # context manager (about 1 us per request)
                source_token = SOURCE.set(source)
                try:
                    resp = await handler(request)
                finally:
                    SOURCE.reset(source_token)
            else:
                resp = await handler(request)
        # -- 2. errors
        except E.CanvasError as err:
            resp = _error_response(request, err)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            if path.startswith("/api/v1/") or path == "/api/v1":
                _record(request, "unknown route", f"{request.method} {path}")
                resp = render(request, E.NotFound().body(), status=404)
            else:
                raise
        except web.HTTPException:
            raise
        except Exception as exc:  # a bug in the mock: answer like Canvas, remember for the test
            detail = "".join(traceback.format_exception(exc))
            log.error("mockcanvas: %s %s failed\n%s", request.method, path, detail)
            _record(request, "exception", detail)
            body = {"errors": [{"message": "An error occurred.", "error_code": "internal_server_error"}]}
            resp = render(request, body, status=500)
    # -- 1. request id, journal, headers
    except web.HTTPException as exc:
        _journal(store, request, path, exc.status, user, real)
        raise
    _journal(store, request, path, resp.status, user, real)
    headers = resp.headers
    headers["X-Request-Context-Id"] = request_id
    if path.startswith("/api/"):
        headers.setdefault("X-Request-Cost", "0.0")
        headers.setdefault("X-Rate-Limit-Remaining", "700.0")
        if user is not None:
            headers["X-Canvas-User-Id"] = str(store.global_id(user.id))
            if real is not None:
                headers["X-Canvas-Real-User-Id"] = str(store.global_id(real.id))
    return resp


def _journal(store: Store, request: web.Request, path: str, status: int, user: User | None,
             real: User | None) -> None:
    """Every call to a Canvas route, for ``store.requests`` (the control plane is left out)."""
    if path.startswith("/__mockcanvas__/"):
        return
    resource = request.match_info.route.resource
    store.requests.record(
        method=request.method, path=path, query=request.query_string,
        route=resource.canonical if resource is not None else None,
        user_id=user.id if user is not None else None,
        real_user_id=real.id if real is not None else None, status=status)


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
    app = web.Application(middlewares=[canvas_middleware],
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
