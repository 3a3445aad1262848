"""The OpenAPI 3.1 document of the mock, generated from the aiohttp router so it cannot drift.

``build_openapi(router)`` walks the router's routes (method + canonical path template) and joins
each with its entry in the ``ROUTE_DOCS`` of the module that serves it (:func:`collect`: the areas'
``mockcanvas/api/<area>.py``, the control plane, and the module of any other handler in
``mockcanvas.api.ROUTE_TABLES``; the vocabulary is ``mockcanvas.openapi_docs``). Response bodies are
the shared schemas of ``mockcanvas.openapi_schemas`` plus each module's ``SCHEMAS``. A router route
without an entry, an entry that names no route, a route documented twice, a schema defined twice, a
``$ref`` to no schema and a tag without a description raise :class:`OpenAPIDriftError`.

Left out: the ``HEAD`` routes aiohttp adds for every ``GET``, and the ``.json`` twin of a route
(Canvas answers ``/api/v1/groups/1.json`` as ``/api/v1/groups/1``; the document lists the
unsuffixed form, and says so in its description).

Served at ``GET /__mockcanvas__/openapi.json`` and printed by ``mockcanvas openapi``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from aiohttp import web

from .openapi_docs import NO_BODY, PATH_PARAMS, REDIRECT, Param, RouteDoc, path_param
from .openapi_docs import TAGS as SHARED_TAGS
from .openapi_schemas import SCHEMAS, Schema, ref

__all__ = ["OpenAPIDriftError", "RouteDocs", "build_openapi", "collect", "default_document", "doc_modules",
           "dumps", "route_docs", "router_routes"]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

# error kind -> (status, schema names); 401 "unauthorized" kinds are also 403 (--auth-error-status 403)
# error kind -> (status, the body schemas); the kinds every area uses. An area adds its own in its api
# module's ``ERROR_KINDS`` (``collect`` merges them), e.g. the Users API's 403 ``{}``.
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
    "errors_message": (400, ("ErrorMessages",)),
    "event_failed": (400, ("ErrorEventFailed",)),
}
FORBIDDEN_TOO = {"unauthorized", "protected"}
STATUS_TEXT = {200: "OK", 201: "Created", 302: "Found", 409: "Conflict", 400: "Bad request",
               401: "Unauthenticated or not allowed",
               403: "Not allowed (with --auth-error-status 403)", 404: "Not found"}
HEADERS: dict[str, Schema] = {
    "Link": {"description": "pagination links (absolute): current, next, prev, first, last",
             "schema": {"type": "string"}},
    "Location": {"description": "where to confirm the upload (create_success)", "schema": {"type": "string"}},
    "Content-Disposition": {"description": 'attachment; filename="..."', "schema": {"type": "string"}},
    "WWW-Authenticate": {"description": 'Bearer realm="canvas-lms" (token problems only)',
                         "schema": {"type": "string"}},
}


class OpenAPIDriftError(RuntimeError):
    """The router and the route docs disagree."""


JSON_SUFFIX = ".json"


def router_routes(router: web.UrlDispatcher | Iterable[Any], *, json_twins: bool = False) -> list[tuple[str, str]]:
    """(METHOD, template) of every route, HEAD left out, in router order without duplicates.

    A ``.json`` twin (``GET /api/v1/groups/{group_id}.json`` beside ``GET /api/v1/groups/{group_id}``)
    is left out unless ``json_twins``; a ``.json`` path without an unsuffixed twin
    (``/__mockcanvas__/openapi.json``) is a route of its own and stays."""
    routes = router.routes() if hasattr(router, "routes") else router
    seen: dict[tuple[str, str], None] = {}
    for route in routes:
        resource = route.resource
        if resource is None or route.method == "HEAD":
            continue
        seen[(route.method.upper(), resource.canonical)] = None
    if json_twins:
        return list(seen)
    return [(m, t) for m, t in seen if not is_json_twin(m, t, seen)]


def is_json_twin(method: str, template: str, routes: Iterable[tuple[str, str]] | Mapping[Any, Any]) -> bool:
    """Whether (method, template) is the ``.json`` twin of another of ``routes``."""
    return template.endswith(JSON_SUFFIX) and (method, template[:-len(JSON_SUFFIX)]) in routes


# -- the route docs of the areas ---------------------------------------------------------------
def doc_modules() -> list[ModuleType]:
    """The modules whose ``ROUTE_DOCS`` describe the app: the areas' api modules (in
    ``mockcanvas.areas`` order), the control plane, then the module of any other handler in
    ``mockcanvas.api.ROUTE_TABLES``."""
    from .api import ROUTE_TABLES, control
    from .areas import modules

    found = {m.__name__: m for m in [*modules("api"), control]}
    for table in ROUTE_TABLES:
        for route in table:
            handler = getattr(route, "handler", None)
            name = getattr(handler, "__module__", None)
            if name and name not in found and name in sys.modules:
                found[name] = sys.modules[name]
    return list(found.values())


@dataclass(frozen=True)
class RouteDocs:
    """Every module's docs merged: routes (with the module that documents each), schemas, tags."""
    routes: dict[tuple[str, str], RouteDoc]
    owners: dict[tuple[str, str], ModuleType]
    schemas: dict[str, Schema]
    tags: dict[str, str]
    error_kinds: dict[str, tuple[int, tuple[str, ...]]]

    def path_params(self, key: tuple[str, str]) -> Mapping[str, Schema]:
        return getattr(self.owners[key], "PATH_PARAMS", {})


def collect(mods: Iterable[ModuleType] | None = None) -> RouteDocs:
    """``ROUTE_DOCS``, ``SCHEMAS`` and ``TAGS`` of ``mods`` (default :func:`doc_modules`), merged
    after the shared schemas and tags; a key or name defined twice raises OpenAPIDriftError."""
    routes: dict[tuple[str, str], RouteDoc] = {}
    owners: dict[tuple[str, str], ModuleType] = {}
    schemas: dict[str, Schema] = dict(SCHEMAS)
    schema_owner = dict.fromkeys(SCHEMAS, "mockcanvas.openapi_schemas")
    tags: dict[str, str] = dict(SHARED_TAGS)
    tag_owner = dict.fromkeys(SHARED_TAGS, "mockcanvas.openapi_docs")
    kinds: dict[str, tuple[int, tuple[str, ...]]] = dict(ERROR_KINDS)
    for module in doc_modules() if mods is None else mods:
        for name, kind in getattr(module, "ERROR_KINDS", {}).items():
            if kinds.get(name, kind) != kind:
                raise OpenAPIDriftError(f"error kind {name!r} is defined twice (again in {module.__name__})")
            kinds[name] = kind
        for key, doc in getattr(module, "ROUTE_DOCS", {}).items():
            if key in routes:
                raise OpenAPIDriftError(f"{key[0]} {key[1]} is documented twice: in the ROUTE_DOCS of "
                                        f"{owners[key].__name__} and of {module.__name__}")
            routes[key], owners[key] = doc, module
        for name, schema in getattr(module, "SCHEMAS", {}).items():
            if name in schemas and schemas[name] != schema:
                raise OpenAPIDriftError(f"schema {name} is defined twice: in {schema_owner[name]} and in the "
                                        f"SCHEMAS of {module.__name__}")
            schemas[name] = schema
            schema_owner.setdefault(name, module.__name__)
        for name, text in getattr(module, "TAGS", {}).items():
            if tags.get(name, text) != text:
                raise OpenAPIDriftError(f"tag {name!r} is described twice: in {tag_owner[name]} and in the TAGS "
                                        f"of {module.__name__}")
            tags[name] = text
            tag_owner.setdefault(name, module.__name__)
    return RouteDocs(routes, owners, schemas, tags, kinds)


def route_docs() -> dict[tuple[str, str], RouteDoc]:
    """(METHOD, template) -> RouteDoc of every documented route (what ``openapi_routes.ROUTES`` was)."""
    return collect().routes


def _check(found: list[tuple[str, str]], docs: RouteDocs) -> None:
    routed = set(found)
    missing = [r for r in found if r not in docs.routes]
    stale = [r for r in docs.routes if r not in routed]
    if missing or stale:
        lines = ["the route docs (ROUTE_DOCS of mockcanvas/api/<area>.py) and the router disagree:"]
        lines += [f"  no entry for router route {m} {p}" for m, p in missing]
        lines += [f"  entry names no route: {m} {p} (in {docs.owners[(m, p)].__name__})" for m, p in stale]
        raise OpenAPIDriftError("\n".join(lines))


def _tags(docs: RouteDocs) -> list[dict[str, str]]:
    """The tags the routes use, in the order of the modules that document them."""
    used = dict.fromkeys(doc.tag for doc in docs.routes.values())
    undescribed = [t for t in used if t not in docs.tags]
    if undescribed:
        raise OpenAPIDriftError(f"tags without a description: {undescribed} (add them to the TAGS of the "
                                "area's module)")
    return [{"name": t, "description": docs.tags[t]} for t in used]


def _check_refs(document: dict[str, Any]) -> None:
    names = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    unknown = sorted(names - set(document["components"]["schemas"]))
    if unknown:
        raise OpenAPIDriftError(f"$ref to no schema: {unknown} (define it in the SCHEMAS of the area's module)")


# -- parameters and bodies ---------------------------------------------------------------------
def _path_params(template: str, own: Mapping[str, Schema]) -> list[dict[str, Any]]:
    out = []
    for name in re.findall(r"\{([^}:]+)(?::[^}]*)?\}", template):
        schema = path_param(name, own)
        if schema is None:
            raise OpenAPIDriftError(f"path parameter {{{name}}} of {template} has no schema: add it to the "
                                    "PATH_PARAMS of the area's module")
        out.append({"name": name, "in": "path", "required": True, "schema": schema})
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


def _error_kinds(doc: RouteDoc, method: str, api: bool, known: Mapping[str, Any]) -> list[str]:
    kinds = list(doc.errors)
    if api:
        kinds.insert(0, "auth")
        # every body and query string is parsed before the handler runs (api/_params.py: a body
        # that does not parse, text that is not UTF-8, a malformed multipart body)
        kinds.append("bad_json")
    if doc.paginated:
        kinds.append("page")
    for k in kinds:
        if k not in known:
            raise OpenAPIDriftError(f"unknown error kind {k!r}")
    return kinds


def _responses(doc: RouteDoc, method: str, api: bool,
               kinds: Mapping[str, tuple[int, tuple[str, ...]]]) -> dict[str, Any]:
    out: dict[str, Any] = {str(doc.status): _success(doc)}
    by_status: dict[int, list[str]] = {}
    for kind in _error_kinds(doc, method, api, kinds):
        status, names = kinds[kind]
        for s in (status, 403) if kind in FORBIDDEN_TOO else (status,):
            for name in names:
                if name not in by_status.setdefault(s, []):
                    by_status[s].append(name)
    for status in sorted(by_status):
        names = by_status[status]
        if names == [REDIRECT]:
            location = {"description": "the page redirected to", "schema": {"type": "string"}}
            out[str(status)] = {"description": "Found (a redirect)", "headers": {"Location": location},
                                "content": {"text/html": {"schema": {"type": "string"}}}}
            continue
        bare = NO_BODY in names
        names = [n for n in names if n != NO_BODY]
        content: dict[str, Any] = {}
        if names:
            schema = ref(names[0]) if len(names) == 1 else {"anyOf": [ref(n) for n in names]}
            content[JSON] = {"schema": schema}
        if bare:
            content["*/*"] = {"schema": {"type": "string", "maxLength": 0, "description": "no body"}}
        resp: dict[str, Any] = {"description": STATUS_TEXT.get(status, "Error"), "content": content}
        if status == 401 and "ErrorUnauthenticated" in names:
            resp["headers"] = {"WWW-Authenticate": HEADERS["WWW-Authenticate"]}
        out[str(status)] = resp
    return out


def _operation_id(method: str, template: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", template).strip("_")
    return f"{method.lower()}_{slug}"


def _operation(method: str, template: str, doc: RouteDoc, path_params: Mapping[str, Schema],
               kinds: Mapping[str, tuple[int, tuple[str, ...]]] = ERROR_KINDS) -> dict[str, Any]:
    api = template.startswith("/api/v1/")
    params = _path_params(template, path_params)
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
        "responses": _responses(doc, method, api, kinds),
    }
    if description:
        op["description"] = description
    body = _request_body(doc)
    if body is not None:
        op["requestBody"] = body
    if doc.auth == "optional":  # an @anonymous handler: a token, or none at all
        op["security"] = [{"bearerAuth": []}, {"accessToken": []}, {}]
    elif not doc.auth:
        op["security"] = []
    return op


def build_openapi(router: web.UrlDispatcher | Iterable[Any]) -> dict[str, Any]:
    """The document for ``router`` (``app.router``); raises OpenAPIDriftError on a mismatch."""
    from . import __version__

    found = router_routes(router)
    docs = collect()
    _check(found, docs)
    paths: dict[str, dict[str, Any]] = {}
    for method, template in found:
        # OpenAPI path templates have no regex parts: {name:regex} -> {name}
        key = re.sub(r"\{([^}:]+):[^}]*\}", r"{\1}", template)
        paths.setdefault(key, {})[method.lower()] = _operation(
            method, template, docs.routes[(method, template)], docs.path_params((method, template)),
            docs.error_kinds)
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "mockcanvas",
            "version": __version__,
            "description": "An in-memory mock of the Canvas LMS REST API (Groups, Group Memberships, Group "
                           "Categories, Progress). Generated from the mock's router. Every success is 200 "
                           "(the file upload's step 2 is a 302); errors are Canvas's bodies. "
                           "`Accept: application/json+canvas-string-ids` turns ids into strings "
                           "(not described by the schemas). A path the mock also answers with a `.json` "
                           "suffix, as Canvas answers `/api/v1/groups/1.json` like `/api/v1/groups/1`, "
                           "is listed once, without the suffix.",
        },
        "tags": _tags(docs),
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
            "schemas": docs.schemas,
        },
    }
    _check_refs(document)
    return document


def default_document() -> dict[str, Any]:
    """The document of ``create_app()``'s router (no world needed: routes do not depend on it)."""
    from .app import create_app
    from .store import Store

    return build_openapi(create_app(Store()).router)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
