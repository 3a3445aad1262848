"""The OpenAPI 3.1 document of the mock, generated from the aiohttp router so it cannot drift.

``build_openapi(router)`` walks the router's routes (method + canonical path template) and joins
each with its entry in ``mockcanvas.openapi_routes.ROUTES``; response bodies are the schemas of
``mockcanvas.openapi_schemas``. A router route without an entry, or an entry that names no route,
raises :class:`OpenAPIDriftError`. ``HEAD`` routes that aiohttp adds for every ``GET`` are left out.

Served at ``GET /__mockcanvas__/openapi.json`` and printed by ``mockcanvas openapi``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .openapi_routes import CONTROL_TAG, PATH_PARAMS, ROUTES, Param, RouteDoc
from .openapi_schemas import SCHEMAS, Schema, ref

__all__ = ["OpenAPIDriftError", "build_openapi", "default_document", "dumps", "router_routes"]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

# error kind -> (status, schema names); 401 "unauthorized" kinds are also 403 (--auth-error-status 403)
ERROR_KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    "auth": (401, ("ErrorUnauthenticated", "ErrorInvalidToken", "ErrorInvalidAsUser")),
    "unauthorized": (401, ("ErrorUnauthorized",)),
    "protected": (401, ("ErrorProtectedCategory",)),
    "sis": (401, ("ErrorSisPermission",)),
    "not_found": (404, ("ErrorNotFound",)),
    "category_not_found": (404, ("ErrorCategoryNotFound",)),
    "page": (404, ("ErrorInvalidPage",)),
    "validation": (400, ("ErrorValidation",)),
    "search_term": (400, ("ErrorSearchTerm",)),
    "missing": (400, ("ErrorParameterMissing",)),
    "bad_json": (400, ("ErrorBadJson",)),
    "empty": (400, ("ErrorEmpty",)),
    "message": (400, ("ErrorMessage",)),
    "content_type": (400, ("ErrorContentType",)),
    "control_error": (400, ("ControlError",)),
}
FORBIDDEN_TOO = {"unauthorized", "protected"}
STATUS_TEXT = {200: "OK", 201: "Created", 400: "Bad request", 401: "Unauthenticated or not allowed",
               403: "Not allowed (with --auth-error-status 403)", 404: "Not found"}
TAGS = [
    ("Groups", "GroupsController"), ("Group Memberships", "GroupMembershipsController"),
    ("Group Categories", "GroupCategoriesController"), ("Progress", "ProgressController"),
    ("Courses, users, accounts", "what clients call around the group APIs"),
    ("Files", "the three-step file upload of a group and the bytes"),
    (CONTROL_TAG, "test control plane under /__mockcanvas__/ (not Canvas; no authentication)"),
]
HEADERS: dict[str, Schema] = {
    "Link": {"description": "pagination links (absolute): current, next, prev, first, last",
             "schema": {"type": "string"}},
    "Location": {"description": "where to confirm the upload (create_success)", "schema": {"type": "string"}},
    "Content-Disposition": {"description": 'attachment; filename="..."', "schema": {"type": "string"}},
    "WWW-Authenticate": {"description": 'Bearer realm="canvas-lms" (token problems only)',
                         "schema": {"type": "string"}},
}


class OpenAPIDriftError(RuntimeError):
    """The router and the route table disagree."""


def router_routes(router: web.UrlDispatcher | Iterable[Any]) -> list[tuple[str, str]]:
    """(METHOD, template) of every route, HEAD left out, in router order without duplicates."""
    routes = router.routes() if hasattr(router, "routes") else router
    seen: dict[tuple[str, str], None] = {}
    for route in routes:
        resource = route.resource
        if resource is None or route.method == "HEAD":
            continue
        seen[(route.method.upper(), resource.canonical)] = None
    return list(seen)


def _check(found: list[tuple[str, str]]) -> None:
    missing = [r for r in found if r not in ROUTES]
    stale = [r for r in ROUTES if r not in found]
    if missing or stale:
        lines = ["the OpenAPI route table (mockcanvas/openapi_routes.py) and the router disagree:"]
        lines += [f"  no entry for router route {m} {p}" for m, p in missing]
        lines += [f"  entry names no route: {m} {p}" for m, p in stale]
        raise OpenAPIDriftError("\n".join(lines))


# -- parameters and bodies ---------------------------------------------------------------------
def _path_params(template: str) -> list[dict[str, Any]]:
    out = []
    for name in re.findall(r"\{([^}:]+)(?::[^}]*)?\}", template):
        if name not in PATH_PARAMS:
            raise OpenAPIDriftError(f"path parameter {{{name}}} of {template} has no schema in PATH_PARAMS")
        out.append({"name": name, "in": "path", "required": True, "schema": PATH_PARAMS[name]})
    return out


def _query_param(p: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "in": "query", "required": p.required, "schema": p.schema}
    if p.description:
        out["description"] = p.description
    if p.schema.get("type") == "array":
        out["style"], out["explode"] = "form", True
    return out


PAGE_PARAMS = {
    "pages": [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1},
         "description": "page number (0, negative or not a number: 404)"},
        {"name": "per_page", "in": "query", "schema": {"type": "integer"},
         "description": "Ruby to_i clamped to 1..100 (default 10); the last of repeated values wins"},
    ],
    "bookmark": [
        {"name": "page", "in": "query",
         "schema": {"anyOf": [{"enum": ["first", "1"]}, {"type": "string", "pattern": "^bookmark:[A-Za-z0-9_-]*$"}]},
         "description": "first, or a bookmark from a Link header"},
        {"name": "per_page", "in": "query", "schema": {"type": "integer"},
         "description": "clamped to 1..100 (default 10)"},
    ],
}


def _json_shape(fields: tuple[Param, ...]) -> Schema:
    """Form field names as a JSON object: ``members[]`` -> ``members``, ``leader[id]`` -> ``leader.id``."""
    props: dict[str, Any] = {}
    required = []
    for p in fields:
        m = re.fullmatch(r"([^\[\]]+)\[([^\[\]]*)\]", p.name)
        if m and m.group(2) == "":
            props[m.group(1)] = _described(p)
            name = m.group(1)
        elif m:
            outer = props.setdefault(m.group(1), {"type": "object", "properties": {}})
            outer["properties"][m.group(2)] = _described(p)
            name = m.group(1)
        else:
            props[p.name] = _described(p)
            name = p.name
        if p.required:
            required.append(name)
    out: Schema = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def _form_shape(fields: tuple[Param, ...]) -> Schema:
    out: Schema = {"type": "object", "properties": {p.name: _described(p) for p in fields}}
    required = [p.name for p in fields if p.required]
    if required:
        out["required"] = required
    return out


def _described(p: Param) -> Schema:
    return {**p.schema, "description": p.description} if p.description else p.schema


def _request_body(doc: RouteDoc) -> dict[str, Any] | None:
    if doc.body_kind == "none":
        return None
    if doc.body_kind == "multipart":
        return {"required": True, "content": {MULTIPART: {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"filename": {"type": "string"}, "content_type": {"type": "string"},
                           "file": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}}},
            "encoding": {"file": {"contentType": "application/octet-stream"}}}}}
    if doc.body_kind == "csv_import":
        return {"required": True, "content": {
            MULTIPART: {"schema": {"type": "object", "required": ["attachment"], "properties": {
                "attachment": {"type": "string", "format": "binary", "contentMediaType": "text/csv"},
                "extension": {"type": "string", "description": "csv (taken from the file name when absent)"}}},
                "encoding": {"attachment": {"contentType": "text/csv"}}},
            "text/csv": {"schema": {"type": "string", "description": "the raw CSV; a charset other than UTF-8 "
                                                                   "is refused"}},
        }}
    if not doc.body:
        return None
    return {"required": any(p.required for p in doc.body), "content": {
        FORM: {"schema": _form_shape(doc.body)},
        JSON: {"schema": _json_shape(doc.body)},
    }}


# -- responses ---------------------------------------------------------------------------------
def _success(doc: RouteDoc) -> dict[str, Any]:
    schema = ref(doc.ok) if isinstance(doc.ok, str) else doc.ok
    out: dict[str, Any] = {"description": STATUS_TEXT.get(doc.status, "OK"),
                           "content": {doc.media: {"schema": schema}}}
    headers = {h: HEADERS[h] for h in doc.headers}
    if doc.paginated:
        headers["Link"] = HEADERS["Link"]
    if headers:
        out["headers"] = headers
    return out


def _error_kinds(doc: RouteDoc, method: str, api: bool) -> list[str]:
    kinds = list(doc.errors)
    if api:
        kinds.insert(0, "auth")
        if method != "GET":  # every body of a write is parsed before the handler runs
            kinds.append("bad_json")
    if doc.paginated:
        kinds.append("page")
    for k in kinds:
        if k not in ERROR_KINDS:
            raise OpenAPIDriftError(f"unknown error kind {k!r}")
    return kinds


def _responses(doc: RouteDoc, method: str, api: bool) -> dict[str, Any]:
    out: dict[str, Any] = {str(doc.status): _success(doc)}
    by_status: dict[int, list[str]] = {}
    for kind in _error_kinds(doc, method, api):
        status, names = ERROR_KINDS[kind]
        for s in (status, 403) if kind in FORBIDDEN_TOO else (status,):
            for name in names:
                if name not in by_status.setdefault(s, []):
                    by_status[s].append(name)
    for status in sorted(by_status):
        names = by_status[status]
        schema = ref(names[0]) if len(names) == 1 else {"anyOf": [ref(n) for n in names]}
        resp: dict[str, Any] = {"description": STATUS_TEXT.get(status, "Error"),
                                "content": {JSON: {"schema": schema}}}
        if status == 401 and "ErrorUnauthenticated" in names:
            resp["headers"] = {"WWW-Authenticate": HEADERS["WWW-Authenticate"]}
        out[str(status)] = resp
    return out


def _operation_id(method: str, template: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", template).strip("_")
    return f"{method.lower()}_{slug}"


def _operation(method: str, template: str, doc: RouteDoc) -> dict[str, Any]:
    api = template.startswith("/api/v1/")
    params = _path_params(template)
    params += [_query_param(p) for p in doc.query]
    if doc.paginated:
        params += PAGE_PARAMS[doc.paginated]
    if api:
        params.append({"$ref": "#/components/parameters/AsUserId"})
    description = doc.description
    if doc.paginated:
        kind = "bookmark pages (page=first, page=bookmark:...)" if doc.paginated == "bookmark" else "page numbers"
        description = f"{description} Paginated: {kind}, absolute Link header.".strip()
    op: dict[str, Any] = {
        "operationId": _operation_id(method, template),
        "summary": doc.summary,
        "tags": [doc.tag],
        "x-canvas-action": doc.action,
        "x-paginated": doc.paginated or False,
        "parameters": params,
        "responses": _responses(doc, method, api),
    }
    if description:
        op["description"] = description
    body = _request_body(doc)
    if body is not None:
        op["requestBody"] = body
    if not doc.auth:
        op["security"] = []
    return op


def build_openapi(router: web.UrlDispatcher | Iterable[Any]) -> dict[str, Any]:
    """The document for ``router`` (``app.router``); raises OpenAPIDriftError on a mismatch."""
    from . import __version__

    found = router_routes(router)
    _check(found)
    paths: dict[str, dict[str, Any]] = {}
    for method, template in found:
        # OpenAPI path templates have no regex parts: {name:regex} -> {name}
        key = re.sub(r"\{([^}:]+):[^}]*\}", r"{\1}", template)
        paths.setdefault(key, {})[method.lower()] = _operation(method, template, ROUTES[(method, template)])
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mockcanvas",
            "version": __version__,
            "description": "An in-memory mock of the Canvas LMS REST API (Groups, Group Memberships, Group "
                           "Categories, Progress). Generated from the mock's router. Every success is 200 "
                           "(the file upload step 2 is 201); errors are Canvas's bodies. "
                           "`Accept: application/json+canvas-string-ids` turns ids into strings "
                           "(not described by the schemas).",
        },
        "tags": [{"name": n, "description": d} for n, d in TAGS],
        "security": [{"bearerAuth": []}, {"accessToken": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "Authorization: Bearer <token> (the world's tokens)"},
                "accessToken": {"type": "apiKey", "in": "query", "name": "access_token",
                                "description": "the token as a query (or body) parameter"},
            },
            "parameters": {"AsUserId": {
                "name": "as_user_id", "in": "query", "required": False,
                "schema": PATH_PARAMS["user_id"],
                "description": "act as this user (admins who may masquerade); else 401 Invalid as_user_id"}},
            "schemas": dict(SCHEMAS),
        },
    }


def default_document() -> dict[str, Any]:
    """The document of ``create_app()``'s router (no world needed: routes do not depend on it)."""
    from .app import create_app
    from .store import Store

    return build_openapi(create_app(Store()).router)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
