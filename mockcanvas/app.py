"""``create_app(store)``: the one aiohttp application behind the CLI, the threaded server and the
pytest fixtures.

One middleware, in steps, outermost first: request id -> errors -> parameters and authentication ->
handler.
Errors raised by the store become Canvas's bodies here and nowhere else. Unknown ``/api/v1``
routes and unexpected exceptions are answered as Canvas would (404 / 500 bodies) and remembered in
``app[PROBLEMS]`` so that the pytest plugin can fail the test that caused them.

Each non-GET API request runs in one transaction (``Store.atomic``), as Rails runs an action's
writes: whatever raises (a CanvasError, a bug), its writes are undone and its live events dropped,
in O(its writes). Parameters Rails would refuse before the controller (text that is not UTF-8, a
malformed multipart body, keys too deep, too many fields) are refused in ``api/_params.py``, and a
flat body parameter documented as a scalar drops an array or hash given for it (strong parameters).

Canvas's HTTP around the handlers (docs/canvas-http.md): every ``/api/v1`` route also answers with
a ``.json`` suffix, as lib/api_route_set.rb draws it (:func:`add_canvas_routes`); every answer but
the control plane's carries the headers Canvas puts on every answer (:func:`_canvas_headers`); and
``GET /`` and ``GET /login`` answer as Canvas's do (``mockcanvas.api.root``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import random
import re
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Awaitable, Callable

from aiohttp import web
from multidict import istr

from . import errors as E
from .api import ROUTE_TABLES
from .api._params import PARAMS_LIMIT, check_path, drop_non_scalars, read_params, scalar_paths
from .api.root import PAGES
from .auth import allows_anonymous, authenticate_token, token_of
from .events import SOURCE, RequestSource
from .keys import DELIVERY, PARAMS, PROBLEMS, REAL_USER, REQUEST_ID, SETTINGS, STORE, USER
from .journal import ProblemLog
from .limits import body_deadline, handler_args
from .responses import render
from .settings import Settings
from .store import Store
from .store.live import request_metadata, session_id
from .store.records import User

log = logging.getLogger("mockcanvas")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
API_PREFIX = "/api/v1/"
CONTROL_PREFIX = "/__mockcanvas__/"
JSON_SUFFIX = ".json"


def _record(request: web.Request, kind: str, detail: str) -> None:
    settings = request.app[SETTINGS]
    if settings.record_problems:
        request.app[PROBLEMS].append({"kind": kind, "method": request.method,
                                      "path": request.path_qs, "detail": detail})


def _error_response(request: web.Request, err: E.CanvasError) -> web.Response:
    status = err.status
    headers = {"WWW-Authenticate": E.WWW_AUTHENTICATE} if err.www_authenticate else None
    if isinstance(err, (E.Unauthorized, E.Unauthenticated)):
        if isinstance(err, E.Unauthorized):
            status = request.app[SETTINGS].auth_error_status
        # render_unauthorized_action ends with set_no_cache_headers (application_controller.rb)
        headers = {**(headers or {}), **_NO_STORE}
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


def new_session_id() -> str:
    """X-Session-Id of a request without a token: a new Rails session's id (32 hex digits)."""
    return "%032x" % _ids.getrandbits(128)


# -- the headers of every Canvas answer (docs/canvas-http.md) ---------------------------------------
# Everything constant is built once; per request there is a session id, X-Canvas-Meta (a few string
# concatenations) and a dict lookup for the CSP of the request's host.
# config/application.rb: Rails' default_headers without X-Frame-Options and with Canvas's
# Referrer-Policy; Vary from Rack::Deflater (config.middleware.use, on by default), which marks
# every answer with a body whether or not it compresses it.
# Header names are multidict's istr: CIMultiDict takes them without folding their case each time.
_DEFAULT_HEADERS: tuple[tuple[istr, str], ...] = tuple((istr(k), v) for k, v in (
    ("X-XSS-Protection", "1; mode=block"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Download-Options", "noopen"),
    ("X-Permitted-Cross-Domain-Policies", "none"),
    ("Referrer-Policy", "no-referrer-when-downgrade"),
    ("Vary", "Accept-Encoding"),
))
_REQUEST_CONTEXT_ID, _REQUEST_COST, _RATE_LIMIT_REMAINING = (
    istr("X-Request-Context-Id"), istr("X-Request-Cost"), istr("X-Rate-Limit-Remaining"))
_USER_ID, _REAL_USER_ID, _SESSION_ID, _CANVAS_META = (
    istr("X-Canvas-User-Id"), istr("X-Canvas-Real-User-Id"), istr("X-Session-Id"), istr("X-Canvas-Meta"))
_CACHE_CONTROL, _CSP = istr("Cache-Control"), istr("Content-Security-Policy")
# Rack::ETag (Rails' stack): a 200 or 201 with a body gets an ETag and this Cache-Control, any other
# answer "no-cache" (API answers skip cache_buster). The mock sends no ETag (it would hash every body).
_CACHE_OK = "max-age=0, private, must-revalidate"
_CACHE_OTHER = "no-cache"
_NO_STORE = {"Pragma": "no-cache", "Cache-Control": "no-store"}  # set_no_cache_headers
_GLOBAL_ID_BASE = 10**13  # a global id is shard * 10**13 + local id
# get_context (application_controller.rb): the path parameter that names @context, in its order
_CONTEXT_TYPES = (("course_id", "Course"), ("account_id", "Account"), ("group_id", "Group"),
                  ("user_id", "User"), ("course_section_id", "CourseSection"))
_ACTION = re.compile(r"([A-Z]\w*(?:::[A-Z]\w*)*)Controller#(\w+)")


@dataclass(frozen=True, slots=True)
class RouteMeta:
    """What X-Canvas-Meta says of a route: ``store_request_meta``'s controller and action
    (``o=groups;n=show;``), and which path parameter names its context (``t=Group;i=1;``)."""

    meta: str = ""
    context_param: str | None = None
    context_type: str = ""
    after_actions: bool = True  # whether set_response_headers ran (the CSP header)
    # the parameters the route documents as scalars (strong parameters: an array or hash there is
    # dropped, api._params.drop_non_scalars)
    scalars: tuple[tuple[str, ...], ...] = ()


def _controller_action(doc_action: str) -> str:
    """``GroupCategoriesController#show`` -> ``o=group_categories;n=show;`` (Rails' params)."""
    m = _ACTION.match(doc_action)
    if m is None:
        return ""
    controller = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", m.group(1)).replace("::", "/").lower()
    return f"o={controller};n={m.group(2)};"


@functools.lru_cache(maxsize=4096)  # the same for every app: apps are built per test loop
def _route_meta(method: str, template: str, handler: Callable) -> RouteMeta:
    """The RouteMeta of a route, from the ``ROUTE_DOCS`` of its handler's module (the area's)."""
    module = sys.modules.get(getattr(handler, "__module__", ""), None)
    docs = getattr(module, "ROUTE_DOCS", None) or {}
    doc = docs.get(("GET" if method == "HEAD" else method, template))
    meta = _controller_action(getattr(doc, "action", "") or "")
    # strong parameters, for an area whose controller permits its flat parameters (api/_params.py)
    strong = doc is not None and getattr(module, "STRONG_PARAMETERS", False)
    scalars = scalar_paths(doc.body) if strong else ()
    params = set(re.findall(r"\{(\w+)", template))
    for param, kind in _CONTEXT_TYPES:
        if param in params:
            return RouteMeta(meta, param, kind, scalars=scalars)
    return RouteMeta(meta, scalars=scalars)


class CanvasHeaders:
    """Per app: the RouteMeta of each route, the session id and ``at=`` of each token seen, the
    process's memory for ``b=``/``m=`` (sampled once) and the CSP of each host."""

    def __init__(self, router: web.UrlDispatcher) -> None:
        self.routes: dict[object, RouteMeta] = {}
        for route in router.routes():
            resource = route.resource
            if resource is None or resource.canonical.startswith(CONTROL_PREFIX):
                continue
            template = resource.canonical
            if template.endswith(JSON_SUFFIX) and template.startswith(API_PREFIX):
                template = template[:-len(JSON_SUFFIX)]
            self.routes[route] = _route_meta(route.method, template, route.handler)
        self.pages = {path: RouteMeta(page.meta, after_actions=page.after_actions)
                      for path, page in PAGES.items()}
        # RequestThrottle#report_on_stats: memory before and after (Canvas.sample_memory, KB), user
        # and system CPU, database time; X-Request-Cost says 0.0, so do u, y and d
        kb = _sample_memory()
        self.stats = f"b={kb};m={kb};u=0.00;y=0.00;d=0.00;"
        self.tokens: dict[str, tuple[str, str]] = {}
        self.csp: dict[str, str] = {}

    def token(self, store: Store, token: str) -> tuple[str, str]:
        """(X-Session-Id, ``at=<the token's global id>;``) of a token that authenticated."""
        try:
            return self.tokens[token]
        except KeyError:
            pass
        with store.lock:  # the token's id: its position among the store's tokens (stable per world)
            position = next((n for n, t in enumerate(store.tokens, 1) if t == token), 0)
        found = (session_id(token) or new_session_id(), f"at={store.global_id(position)};" if position else "")
        if len(self.tokens) > 10_000:
            self.tokens.clear()
        self.tokens[token] = found
        return found

    def frame_ancestors(self, host: str) -> str:
        """set_response_headers: ``frame-ancestors 'self' <the account's hosts>;``."""
        try:
            return self.csp[host]
        except KeyError:
            if len(self.csp) > 100:
                self.csp.clear()
            value = self.csp[host] = f"frame-ancestors 'self' {host};"
            return value


CANVAS: web.AppKey[CanvasHeaders] = web.AppKey("mockcanvas_canvas_headers", CanvasHeaders)


def _sample_memory() -> int:
    """Canvas.sample_memory: the process's size in KB from /proc (0 where there is none)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _canvas_headers(request: web.Request, resp: web.StreamResponse, path: str, token: str | None,
                    user: User | None, real: User | None, store: Store) -> None:
    """The headers Canvas puts on every answer (the control plane's are not Canvas's)."""
    canvas = request.app[CANVAS]
    headers = resp.headers
    status = resp.status
    headers.setdefault(_REQUEST_COST, "0.0")
    headers.setdefault(_RATE_LIMIT_REMAINING, "700.0")
    if user is not None:
        headers[_USER_ID] = str(store.global_id(user.id))
        if real is not None:
            headers[_REAL_USER_ID] = str(store.global_id(real.id))
        session, at = canvas.token(store, token) if token else (new_session_id(), "")
    else:
        session, at = new_session_id(), ""
    headers[_SESSION_ID] = session
    route = canvas.routes.get(request.match_info.route)
    if route is None:
        route = canvas.pages.get(path)
    if route is None:  # an unknown route: the exceptions app's action has no controller/action
        meta = at + canvas.stats
    else:
        meta = at + route.meta
        if route.context_param is not None and status != 404:
            ref = request.match_info.get(route.context_param, "")
            if ref.isdecimal() and len(ref) < 20:  # what int() takes, and short (no 500 here)
                meta += f"t={route.context_type};i={int(ref) % _GLOBAL_ID_BASE};"
            elif ref == "self" and route.context_type == "User" and user is not None:
                meta += f"t={route.context_type};i={user.id};"
        meta += canvas.stats
    headers[_CANVAS_META] = meta
    headers.extend(_DEFAULT_HEADERS)
    headers.setdefault(_CACHE_CONTROL, _CACHE_OK if status == 200 or status == 201 else _CACHE_OTHER)
    if route is None or route.after_actions:
        headers[_CSP] = canvas.frame_ancestors(request.host)


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
    # the effective and the real user and the token as step 3 sets them (USER and REAL_USER are
    # set nowhere else): read by step 1 for the journal and Canvas's headers
    user = real = token = None
    try:
        try:
            if path.startswith("/api/v1/"):
                # -- 3. parameters and authentication
                match_info = request.match_info
                if match_info.http_exception is not None:
                    raise match_info.http_exception
                check_path(request.rel_url.raw_path)  # a %-escape of invalid UTF-8 in an id: 400
                if request.method in ("GET", "HEAD") and not request.query_string:
                    params: dict = {}  # what read_params gives for a GET without a query string
                else:
                    params = await read_params(request)
                    if params:
                        route_meta = request.app[CANVAS].routes.get(match_info.route)
                        if route_meta is not None and route_meta.scalars:
                            drop_non_scalars(params, route_meta.scalars)
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
                    if masquerading:
                        raise E.InvalidAsUser() from None
                    if not allows_anonymous(match_info.handler):
                        raise
                    # an action that asks for no user (a public course): it decides who may see what
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
                    if request.method == "GET" or request.method == "HEAD":
                        resp = await handler(request)
                    else:
                        # a request that fails, whatever raises (a CanvasError, a bug), changes
                        # nothing and records no live event: its writes are undone, its events
                        # dropped (Store.atomic, O(its writes)); they are published when it succeeds
                        with store.atomic():
                            resp = await handler(request)
                finally:
                    SOURCE.reset(source_token)
            else:
                page = PAGES.get(path) if request.match_info.http_exception is not None else None
                if page is not None and request.method in ("GET", "HEAD"):
                    resp = page.answer(request)  # Canvas's front door (api/root.py)
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
    resp.headers[_REQUEST_CONTEXT_ID] = request_id
    if not path.startswith(CONTROL_PREFIX):
        _canvas_headers(request, resp, path, token, user, real, store)
    return resp


def _journal(store: Store, request: web.Request, path: str, status: int, user: User | None,
             real: User | None) -> None:
    """Every call to a Canvas route, for ``store.requests`` (the control plane is left out). The
    route of a ``.json`` twin is the route's own template; the root pages' is their path."""
    if path.startswith(CONTROL_PREFIX):
        return
    resource = request.match_info.route.resource
    if resource is not None:
        route = resource.canonical
        # a .json twin (no API route of its own ends in .json: an id segment cannot)
        if route.endswith(JSON_SUFFIX) and route.startswith(API_PREFIX):
            route = route[:-len(JSON_SUFFIX)]
    else:
        route = path if path in PAGES and request.method in ("GET", "HEAD") else None
    store.requests.record(
        method=request.method, path=path, query=request.query_string, route=route,
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


# POST here creates a community (its context is the domain's root account)
_COMMUNITIES = ("/api/v1/groups", "/api/v1/groups" + JSON_SUFFIX)
# path parameters naming the request's @context, most specific first
_CONTEXT_PARAMS = (("group_category_id", "group_categories"), ("group_id", "groups"),
                   ("course_id", "courses"), ("account_id", "accounts"),
                   ("section_id", "sections"))  # /sections/:id: @context is the section's course


def _event_source(request: web.Request, user, token: str | None) -> RequestSource:
    context = None
    for param, table in _CONTEXT_PARAMS:
        if param in request.match_info:
            context = (table, request.match_info[param])
            break
    if context is None and request.method == "POST" and request.path.rstrip("/") in _COMMUNITIES:
        if user is not None:  # a community: the domain's root account
            context = ("root_account", str(user.account_id))
    return RequestSource(
        http_method=request.method,
        url=str(request.url),
        hostname=request.url.host or "",
        request_id=request[REQUEST_ID],
        user_agent=_header_text(request.headers.get("User-Agent")),
        referrer=_header_text(request.headers.get("Referer")),
        client_ip=request.remote,
        session_id=session_id(token),
        user_id=user.id if user is not None else None,
        real_user_id=request[REAL_USER].id if request.get(REAL_USER) is not None else None,
        context=context,
    )


def _header_text(value: str | None) -> str | None:
    """A header as text an event can carry: aiohttp decodes header bytes that are not UTF-8 with
    ``surrogateescape``, and those surrogates would break every later read of the event (JSON
    encodes them, UTF-8 does not); they become U+FFFD, as a Rails scrub would."""
    if value is None or value.isascii():
        return value
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# -- routes: every API route twice, as Canvas's ApiRouteSet draws it -------------------------------
# lib/api_route_set.rb (ApiRouteSet::V1#route) draws "/api/v1/<path>" and "/api/v1/<path>.json",
# with every ":x_id" segment held to ID_REGEX: periods allowed, a trailing ".json" not (so
# /api/v1/groups/1.json is group 1 through the twin, never group "1.json"). Ruby's \z is Python's \Z.
ID_REGEX = r"(?:[^/?.]|\.(?!json(?:\Z|[/?])))+"
_BARE_PARAM = re.compile(r"\{([_a-zA-Z][_a-zA-Z0-9]*)\}")


def add_canvas_routes(app: web.Application, tables: Iterable[web.RouteTableDef]) -> None:
    """Add the route tables; each ``/api/v1/`` route with its ``{param}`` segments held to
    :data:`ID_REGEX`, plus its ``.json`` twin (same handler, same method).

    The twins are added after every table's own routes: a request for an unsuffixed path meets the
    routes it met before first (aiohttp tries the routes of a path prefix in order), and two twins
    of one path still share a resource as their routes do."""
    twins: list[web.RouteDef] = []
    for table in tables:
        own = []
        for d in table:
            if isinstance(d, web.RouteDef) and d.path.startswith(API_PREFIX):
                path = _BARE_PARAM.sub(lambda m: "{%s:%s}" % (m.group(1), ID_REGEX), d.path)
                d = web.RouteDef(d.method, path, d.handler, d.kwargs)
                kwargs = {k: v for k, v in d.kwargs.items() if k != "name"}  # a name is the route's
                twins.append(web.RouteDef(d.method, d.path + JSON_SUFFIX, d.handler, kwargs))
            own.append(d)
        app.router.add_routes(own)
    app.router.add_routes(twins)


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
    # slow clients (mockcanvas.limits): header and body read timeouts
    middlewares = [body_deadline(settings.body_timeout), canvas_middleware] if settings.body_timeout > 0 \
        else [canvas_middleware]
    app = web.Application(middlewares=middlewares, handler_args=handler_args(settings),
                          client_max_size=settings.max_upload_bytes + 1024 * 1024,
                          client_max_fields=PARAMS_LIMIT)  # rack's params_limit (api/_params.py)
    app[STORE] = store
    app[SETTINGS] = settings
    app[PROBLEMS] = ProblemLog(settings.max_problems)  # bounded: the first N, the rest counted
    app[DELIVERY] = None
    if settings.live_events_url:
        app.cleanup_ctx.append(_live_event_delivery)
    add_canvas_routes(app, ROUTE_TABLES)
    app[CANVAS] = CanvasHeaders(app.router)
    return app


async def _live_event_delivery(app: web.Application):
    """While the app runs, POST each live event to ``Settings.live_events_url`` (own thread)."""
    from .delivery import Delivery

    delivery = Delivery.from_settings(app[SETTINGS]).start()
    delivery.attach(app[STORE].live_events)
    app[DELIVERY] = delivery
    try:
        yield
    finally:
        await asyncio.get_running_loop().run_in_executor(None, delivery.stop)
