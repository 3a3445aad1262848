"""The test control plane under ``/__mockcanvas__/`` (not part of Canvas).

``GET /__mockcanvas__/health`` -> ``{"status": "ok", ...}``;
``POST /__mockcanvas__/reset`` restores the seeded world in place (the same store object);
``GET|PUT /__mockcanvas__/progress_policy`` reads or sets when jobs run (``{"policy": "manual"}``:
background, immediate, manual, polls:N, fail:MESSAGE; reset by ``reset``);
``POST /__mockcanvas__/progress/:id/advance`` runs a pending job now;
``GET|DELETE /__mockcanvas__/live_events`` reads (``?event_name=``, ``?after=N``) or clears the
recorded live events; ``GET /__mockcanvas__/live_events/delivery`` shows delivery to a consumer;
``POST /__mockcanvas__/live_events/delivery/retry`` queues the failed events again;
``GET|DELETE /__mockcanvas__/requests`` reads or clears the request journal.

Access (docs/canvas-http.md section 4): the control plane has no authentication and is meant for
loopback use. With ``Settings.control_token`` (``mockcanvas serve --control-token``) every route
needs ``X-Mockcanvas-Control-Token: <token>`` or ``Authorization: Bearer <token>`` (else 401). A
write (POST, PUT, DELETE) whose ``Origin`` header is not the server's own origin is refused with
403 whatever the token: a web page cannot reset the world behind a developer's back with a form.
"""

from __future__ import annotations

import functools
import hmac
from dataclasses import replace

from aiohttp import web

from ..coerce import digits_int
from ..errors import BadRequest
from ..keys import DELIVERY, PROBLEMS, SETTINGS
from ..openapi_docs import CONTROL_TAG, P, RouteDoc
from ..openapi_schemas import INT, NUM, STR, Schema, arr, const, nullable, obj, ref
from ..responses import render
from ..store.progress import POLICIES
from ..views.progress import progress_json
from ._common import store_of, view_context
from ._params import read_params

routes = web.RouteTableDef()


@routes.get("/__mockcanvas__/health")
async def health(request: web.Request) -> web.Response:
    store = store_of(request)
    problems = request.app[PROBLEMS]
    return render(request, {
        "status": "ok",
        "users": len(store.rows["users"]),
        "groups": len(store.rows["groups"]),
        "changed_rows": store.changed_rows,
        "live_events": len(store.live_events),
        # what the bounded logs keep and what they let go (Settings.max_problems, the limits of
        # the live-event log and the journal)
        "live_events_dropped": store.live_events.dropped,
        "requests": len(store.requests),
        "requests_dropped": store.requests.dropped,
        "problems": len(problems),
        "problems_dropped": getattr(problems, "dropped", 0),
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
    try:
        policy = (await read_params(request)).get("policy")
    except BadRequest:
        return render(request, {"error": "the body is not valid JSON"}, status=400)
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


# -- live events ------------------------------------------------------------------------------
@routes.get("/__mockcanvas__/live_events")
async def list_live_events(request: web.Request) -> web.Response:
    """The recorded live events in order: ``?event_name=`` (repeatable) keeps those names,
    ``?after=N`` only those recorded after position N. ``position`` is the last position recorded:
    pass it as ``after`` next time to read only what is new."""
    events = store_of(request).live_events
    query = request.rel_url.query
    after = _query_int(query, "after") or 0
    position = events.position
    found = events.since(after)
    names = set(query.getall("event_name", []) + query.getall("event_name[]", []))
    if names:
        found = [e for e in found if e.name in names]
    return render(request, {"position": position, "count": len(found),
                            "events": [e.to_dict() for e in found]})


@routes.delete("/__mockcanvas__/live_events")
async def clear_live_events(request: web.Request) -> web.Response:
    events = store_of(request).live_events
    return render(request, {"cleared": events.clear(), "position": events.position})


@routes.get("/__mockcanvas__/live_events/delivery")
async def live_event_delivery(request: web.Request) -> web.Response:
    """Delivery to ``--live-events-url``: delivered, failed and pending counts."""
    return render(request, _delivery_stats(request))


def _delivery_stats(request: web.Request) -> dict:
    delivery = request.app[DELIVERY]
    if delivery is not None:
        return delivery.stats()
    settings = request.app[SETTINGS]
    return {"url": None, "delivered": 0, "failed": 0, "pending": 0, "retries": 0, "last_error": None,
            "dropped": 0, "timeouts": 0, "accepted": 0, "timeout": settings.live_events_timeout,
            "attempts": settings.live_events_attempts, "queue_max": settings.live_events_queue_max,
            "failed_max": settings.live_events_failed_max}


@routes.post("/__mockcanvas__/live_events/delivery/retry")
async def retry_live_event_delivery(request: web.Request) -> web.Response:
    """Queue every failed event again (oldest first, each with its own id: at-least-once delivery);
    answers how many, then the delivery's counts. Without ``--live-events-url``, nothing to retry."""
    delivery = request.app[DELIVERY]
    retried = delivery.retry() if delivery is not None else 0
    return render(request, {"retried": retried, **_delivery_stats(request)})


# -- the request journal ----------------------------------------------------------------------
@routes.get("/__mockcanvas__/requests")
async def list_requests(request: web.Request) -> web.Response:
    """The calls made to Canvas routes, in order: ``?after=N``, ``?method=``, ``?route=`` (a template
    such as ``/api/v1/groups/{group_id}``), ``?path=``, ``?status=``."""
    journal = store_of(request).requests
    query = request.rel_url.query
    after, status = _query_int(query, "after") or 0, _query_int(query, "status")
    position = journal.position
    entries = journal.calls(query.get("method"), query.get("route"), path=query.get("path"), status=status,
                            after=after)
    return render(request, {"position": position, "count": len(entries), "requests": entries})


def _query_int(query, key: str) -> int | None:
    """A non-negative integer query parameter (ASCII digits only), None when absent; else 400."""
    value = query.get(key)
    if value is None:
        return None
    if digits_int(value) is None:
        raise BadRequest({"error": f"{key} must be a non-negative integer, not {value!r}"})
    return digits_int(value)  # bounded: thousands of digits are HUGE, not a 500


@routes.delete("/__mockcanvas__/requests")
async def clear_requests(request: web.Request) -> web.Response:
    journal = store_of(request).requests
    return render(request, {"cleared": journal.clear(), "position": journal.position})


# -- the OpenAPI document -----------------------------------------------------------------------
@routes.get("/__mockcanvas__/openapi.json")
async def openapi_document(request: web.Request) -> web.Response:
    """The OpenAPI 3.1 document of every route of this app, generated from its router."""
    from ..openapi import build_openapi

    return web.json_response(build_openapi(request.app.router))


# -- access: the optional token and the same-origin rule for writes ------------------------------
CONTROL_TOKEN_HEADER = "X-Mockcanvas-Control-Token"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _refused(request: web.Request) -> web.Response | None:
    """403 for a cross-origin write, 401 without the control token (when one is set); else None."""
    if request.method in _WRITES:
        origin = request.headers.get("Origin")
        if origin is not None and origin.rstrip("/").lower() != f"{request.scheme}://{request.host}".lower():
            return render(request, {"error": f"cross-origin request to the control plane refused (Origin {origin})"},
                          status=403)
    token = request.app[SETTINGS].control_token
    if token:
        given = request.headers.get(CONTROL_TOKEN_HEADER)
        if given is None:
            scheme, _, value = request.headers.get("Authorization", "").partition(" ")
            given = value.strip() if scheme.lower() == "bearer" else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return render(request, {"error": f"the control plane needs its token ({CONTROL_TOKEN_HEADER} or "
                                             "Authorization: Bearer)"},
                          status=401, headers={"WWW-Authenticate": 'Bearer realm="mockcanvas-control"'})
    return None


def _guarded(handler):
    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        refused = _refused(request)
        return refused if refused is not None else await handler(request)

    return guarded


_OPEN = routes
routes = web.RouteTableDef()  # every route above, behind _refused
for _d in _OPEN:
    routes.route(_d.method, _d.path, **_d.kwargs)(_guarded(_d.handler))
del _d


# -- the OpenAPI document: these routes and their bodies (mockcanvas.openapi_docs) -------------
TAGS = {CONTROL_TAG: "test control plane under /__mockcanvas__/ (not Canvas; no authentication unless "
                     "--control-token is set; for loopback use)"}
ERROR_KINDS = {"control_token": (401, ("ControlError",)), "cross_origin": (403, ("ControlError",))}
LIVE_EVENT_FILTERS = (
    P("after", {"type": "string", "pattern": "^[0-9]+$"}, "only events recorded after this position"),
    P("event_name", arr(STR), "keep only these names (repeatable; event_name[] too)"),
)
_POLICY = P("policy", {"type": "string", "pattern": "^(background|immediate|manual|polls:[1-9][0-9]*|fail:.*)$"},
            required=True)
LIVE_EVENT = obj({"metadata": {"type": "object", "additionalProperties": {"type": ["string", "null"]},
                               "required": ["event_name", "event_time", "producer"]},
                  "body": {"type": "object"}},
                 description="a live event as Canvas posts it")
DELIVERY_STATS: dict[str, Schema] = {
    "url": nullable(STR), "delivered": INT, "failed": INT, "pending": INT, "retries": INT,
    "last_error": nullable(STR), "dropped": INT, "timeouts": INT, "accepted": INT, "timeout": NUM,
    "attempts": INT, "queue_max": INT, "failed_max": INT}
JOURNAL_ENTRY = obj({"position": INT, "method": STR, "path": STR, "query": STR, "route": nullable(STR),
                     "user_id": nullable(INT), "real_user_id": nullable(INT), "status": INT})
SCHEMAS: dict[str, Schema] = {
    "Health": obj({"status": const("ok"), "users": INT, "groups": INT, "changed_rows": INT, "live_events": INT,
                   "live_events_dropped": INT, "requests": INT, "requests_dropped": INT, "problems": INT,
                   "problems_dropped": INT}),
    "ResetResult": obj({"status": const("reset"), "changed_rows": INT}),
    "ProgressPolicy": obj({"policy": STR}, {"policies": arr(STR)}),
    "LiveEvent": LIVE_EVENT,
    "LiveEventList": obj({"position": INT, "count": INT, "events": arr(ref("LiveEvent"))}),
    "Cleared": obj({"cleared": INT, "position": INT}),
    "DeliveryStats": obj(DELIVERY_STATS),
    "DeliveryRetry": obj({"retried": INT, **DELIVERY_STATS}),
    "JournalEntry": JOURNAL_ENTRY,
    "RequestList": obj({"position": INT, "count": INT, "requests": arr(ref("JournalEntry"))}),
    "OpenAPIDocument": {"type": "object", "required": ["openapi", "info", "paths"],
                        "description": "this document"},
}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/__mockcanvas__/health"): RouteDoc(
        "Health and world size", "mockcanvas", CONTROL_TAG, "Health", auth=False),
    ("POST", "/__mockcanvas__/reset"): RouteDoc(
        "Restore the loaded world in place", "mockcanvas", CONTROL_TAG, "ResetResult", auth=False,
        body_kind="none", description="Also restores the default progress policy and clears the live "
                                      "events, the request journal and the recorded problems."),
    ("GET", "/__mockcanvas__/progress_policy"): RouteDoc(
        "Read the progress policy", "mockcanvas", CONTROL_TAG, "ProgressPolicy", auth=False),
    ("PUT", "/__mockcanvas__/progress_policy"): RouteDoc(
        "Set the progress policy", "mockcanvas", CONTROL_TAG, "ProgressPolicy", auth=False,
        body=(_POLICY,), errors=("control_error",)),
    ("POST", "/__mockcanvas__/progress_policy"): RouteDoc(
        "Set the progress policy (POST)", "mockcanvas", CONTROL_TAG, "ProgressPolicy", auth=False,
        body=(_POLICY,), errors=("control_error",)),
    ("POST", "/__mockcanvas__/progress/{progress_id}/advance"): RouteDoc(
        "Run a pending job now", "mockcanvas", CONTROL_TAG, "Progress", auth=False, body_kind="none",
        errors=("not_found",)),
    ("GET", "/__mockcanvas__/live_events"): RouteDoc(
        "Read the recorded live events", "mockcanvas", CONTROL_TAG, "LiveEventList", auth=False,
        query=LIVE_EVENT_FILTERS, errors=("control_error",)),
    ("DELETE", "/__mockcanvas__/live_events"): RouteDoc(
        "Clear the recorded live events", "mockcanvas", CONTROL_TAG, "Cleared", auth=False, body_kind="none"),
    ("GET", "/__mockcanvas__/live_events/delivery"): RouteDoc(
        "Live event delivery to a consumer", "mockcanvas", CONTROL_TAG, "DeliveryStats", auth=False),
    ("POST", "/__mockcanvas__/live_events/delivery/retry"): RouteDoc(
        "Deliver the failed live events again", "mockcanvas", CONTROL_TAG, "DeliveryRetry", auth=False,
        body_kind="none", description="Queues every event whose delivery failed again, oldest first; "
                                      "each keeps its X-Mockcanvas-Event-Id (at-least-once delivery)."),
    ("GET", "/__mockcanvas__/requests"): RouteDoc(
        "Read the request journal", "mockcanvas", CONTROL_TAG, "RequestList", auth=False,
        query=(P("after", {"type": "string", "pattern": "^[0-9]+$"}),
               P("status", {"type": "string", "pattern": "^[0-9]+$"}), P("method", STR),
               P("route", STR, "a template such as /api/v1/groups/{group_id}"), P("path", STR)),
        errors=("control_error",)),
    ("DELETE", "/__mockcanvas__/requests"): RouteDoc(
        "Clear the request journal", "mockcanvas", CONTROL_TAG, "Cleared", auth=False, body_kind="none"),
    ("GET", "/__mockcanvas__/openapi.json"): RouteDoc(
        "This OpenAPI document", "mockcanvas", CONTROL_TAG, "OpenAPIDocument", auth=False),
}
# every route answers 401 without the control token when one is set; writes 403 across origins
ROUTE_DOCS = {key: replace(doc, errors=doc.errors + (("control_token", "cross_origin") if key[0] in _WRITES
                                                    else ("control_token",)))
              for key, doc in ROUTE_DOCS.items()}
