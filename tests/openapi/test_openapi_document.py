"""The OpenAPI document: valid OpenAPI 3.1, generated from the router (every route, nothing else,
the ``.json`` twins of routes left out) and the ``ROUTE_DOCS`` of the areas, the same from the CLI as
from ``GET /__mockcanvas__/openapi.json``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import web
from jsonschema import Draft202012Validator
from openapi_checker import Checker, document
from openapi_spec_validator import OpenAPIV31SpecValidator

from mockcanvas import create_app, load_world
from mockcanvas.api import ROUTE_TABLES, control
from mockcanvas.cli import main
from mockcanvas.areas import modules
from mockcanvas.openapi import (
    OpenAPIDriftError,
    build_openapi,
    collect,
    default_document,
    doc_modules,
    route_docs,
    router_routes,
)
from mockcanvas.openapi_docs import CONTROL_TAG, RouteDoc, default_path_param, path_param

ROOT = Path(__file__).resolve().parents[2]


def operations(doc):
    return {(m.upper(), t): op for t, ops in doc["paths"].items() for m, op in ops.items()}


def test_the_document_is_valid_openapi_3_1():
    doc = document()
    assert doc["openapi"].startswith("3.1")
    OpenAPIV31SpecValidator(doc).validate()
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_route_of_the_router_is_documented_and_nothing_else():
    app = create_app(load_world())
    doc = build_openapi(app.router)
    assert set(operations(doc)) == set(router_routes(app.router))
    # aiohttp's automatic HEAD routes and the .json twins of routes are the only ones left out
    everything = router_routes(app.router, json_twins=True)
    twins = [(m, t) for m, t in everything if t.endswith(".json") and (m, t[:-5]) in everything]
    assert set(everything) - set(twins) == set(operations(doc))
    assert ("GET", "/__mockcanvas__/openapi.json") in operations(doc)  # a .json route without a twin stays
    heads = {(r.method, r.resource.canonical) for r in app.router.routes() if r.method == "HEAD"}
    assert all(("GET", t) in set(everything) for _, t in heads)
    ids = [op["operationId"] for op in operations(doc).values()]
    assert len(ids) == len(set(ids))


def test_the_router_and_the_table_cannot_drift():
    app = create_app(load_world())

    async def handler(request):  # pragma: no cover - never called
        return web.json_response({})

    app.router.add_get("/api/v1/groups/{group_id}/undocumented", handler)
    with pytest.raises(OpenAPIDriftError, match=r"no entry for router route GET /api/v1/groups/\{group_id\}/undo"):
        build_openapi(app.router)
    partial = web.Application()
    for table in ROUTE_TABLES:
        if table is not control.routes:
            partial.add_routes(table)
    with pytest.raises(OpenAPIDriftError, match="entry names no route: GET /__mockcanvas__/health"):
        build_openapi(partial.router)


def test_json_twins_are_left_out():
    """Canvas answers ``/api/v1/groups/1.json`` as ``/api/v1/groups/1``: a twin needs no entry and
    the document lists the unsuffixed route once (and says so)."""
    app = create_app(load_world())

    async def handler(request):  # pragma: no cover - never called
        return web.json_response({})

    app.router.add_get("/api/v1/groups/{group_id}/permissions.json", handler)
    app.router.add_post("/api/v1/groups.json", handler)
    doc = build_openapi(app.router)
    assert set(operations(doc)) == set(router_routes(app.router))
    assert not [t for t in doc["paths"] if t.endswith(".json") and t.startswith("/api/")]
    assert ("GET", "/api/v1/groups/{group_id}/permissions.json") in router_routes(app.router, json_twins=True)
    assert "`.json`" in doc["info"]["description"]
    # a .json route of its own (no unsuffixed twin) still needs its entry
    app.router.add_get("/api/v1/only_json.json", handler)
    with pytest.raises(OpenAPIDriftError, match=r"no entry for router route GET /api/v1/only_json\.json"):
        build_openapi(app.router)


def test_every_area_documents_its_own_routes():
    """Each route table's module holds the ROUTE_DOCS of exactly its routes; nothing is central."""
    mods = doc_modules()
    assert mods[:len(modules("api"))] == modules("api") and control in mods
    for table in ROUTE_TABLES:
        module = sys.modules[next(iter(table)).handler.__module__]
        assert module in mods
        app = web.Application()
        app.add_routes(table)
        assert set(module.ROUTE_DOCS) == set(router_routes(app.router)), module.__name__
        assert all(isinstance(d, RouteDoc) for d in module.ROUTE_DOCS.values())


def test_an_area_brings_its_docs_schemas_tags_and_path_params():
    """What a new area adds lives in its module; the shared modules stay untouched."""
    import types

    area = types.ModuleType("mockcanvas.api.widgets")
    area.TAGS = {"Widgets": "WidgetsController"}
    area.SCHEMAS = {"Widget": {"type": "object"}}
    area.PATH_PARAMS = {"slug": {"type": "string"}}
    area.ROUTE_DOCS = {
        ("GET", "/api/v1/widgets/{widget_id}"): RouteDoc("Show", "WidgetsController#show", "Widgets", "Widget"),
        ("GET", "/api/v1/widgets/by_slug/{slug}"): RouteDoc("By slug", "WidgetsController#show", "Widgets",
                                                           "Widget"),
    }
    docs = collect([*doc_modules(), area])
    assert docs.schemas["Widget"] == {"type": "object"} and docs.tags["Widgets"] == "WidgetsController"
    assert docs.owners[("GET", "/api/v1/widgets/{widget_id}")] is area
    assert path_param("slug", area.PATH_PARAMS) == {"type": "string"}
    # a new {something_id} defaults to an integer id or its sis_something_id: form
    assert path_param("widget_id") == default_path_param("widget_id")
    assert {"type": "string", "pattern": "^sis_widget_id:[^/?#%]+$"} in path_param("widget_id")["anyOf"]
    assert path_param("slug") is None
    with pytest.raises(OpenAPIDriftError, match="documented twice"):
        collect([*doc_modules(), area, area])
    clash = types.ModuleType("clash")
    clash.SCHEMAS = {"Group": {"type": "string"}}
    with pytest.raises(OpenAPIDriftError, match="schema Group is defined twice"):
        collect([*doc_modules(), clash])
    # an area's own error kinds (the Users API's 403 {}); a kind may not be redefined differently
    area.ERROR_KINDS = {"widget_gone": (410, ("ErrorMessage",))}
    del area.ROUTE_DOCS[("GET", "/api/v1/widgets/by_slug/{slug}")]
    docs = collect([*doc_modules(), area])
    assert docs.error_kinds["widget_gone"] == (410, ("ErrorMessage",))
    assert docs.error_kinds["forbidden_empty"] == (403, ("ErrorEmpty",))  # from mockcanvas/api/users.py
    clash.SCHEMAS = {}
    clash.ERROR_KINDS = {"not_found": (410, ("ErrorNotFound",))}
    with pytest.raises(OpenAPIDriftError, match="error kind 'not_found' is defined twice"):
        collect([*doc_modules(), clash])


def test_operations_describe_auth_paging_and_errors():
    ops = operations(document())
    docs = route_docs()
    for (method, template), op in ops.items():
        doc = docs[(method, template)]
        assert op["tags"] == [doc.tag] and op["summary"] and op["x-canvas-action"]
        if template.startswith("/__mockcanvas__/"):
            assert op["tags"] == [CONTROL_TAG] and op["security"] == []
        if template.startswith("/api/v1/"):
            # the document's bearer token / access_token; a route that also takes none says so
            assert op.get("security", "default") == ("default" if doc.auth is True else
                                                     [{"bearerAuth": []}, {"accessToken": []}, {}])
            unauth = op["responses"]["401"]
            assert "WWW-Authenticate" in unauth["headers"]
            assert {"$ref": "#/components/schemas/ErrorUnauthenticated"} in unauth["content"]["application/json"][
                "schema"]["anyOf"]
        else:
            assert op["security"] == []
        for p in op["parameters"]:
            if "name" in p and p["name"].endswith("[]"):
                assert p["schema"]["type"] == "array" and p["explode"] is True
        if doc.paginated:
            assert "Link" in op["responses"]["200"]["headers"]
            assert "page" in {p.get("name") for p in op["parameters"]}
        if "category_not_found" in doc.errors:
            body = op["responses"]["404"]["content"]["application/json"]["schema"]
            assert {"$ref": "#/components/schemas/ErrorCategoryNotFound"} in body.get("anyOf", [body])
            assert {"$ref": "#/components/schemas/ErrorNotFound"} not in body.get("anyOf", [body])
        if "unauthorized" in doc.errors:
            assert "403" in op["responses"]
    security = document()["components"]["securitySchemes"]
    assert security["bearerAuth"]["scheme"] == "bearer"
    assert security["accessToken"] == {**security["accessToken"], "in": "query", "name": "access_token"}


def test_bodies_are_documented_as_form_and_json():
    op = operations(document())[("PUT", "/api/v1/groups/{group_id}")]
    content = op["requestBody"]["content"]
    form = content["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert form["members[]"]["type"] == "array" and "leader[id]" in form
    js = content["application/json"]["schema"]["properties"]
    assert js["members"]["type"] == "array" and "id" in js["leader"]["properties"]
    imp = operations(document())[("POST", "/api/v1/group_categories/{group_category_id}/import")]
    assert set(imp["requestBody"]["content"]) == {"multipart/form-data", "text/csv"}
    up = operations(document())[("POST", "/files_api")]
    assert set(up["requestBody"]["content"]) == {"multipart/form-data"}
    assert "302" in up["responses"]  # Canvas's local storage: a redirect to create_success
    confirm = operations(document())[("GET", "/api/v1/files/{file_id}/create_success")]
    assert {} in confirm["security"]  # no token needed: the uuid is the secret


def test_every_component_schema_is_used():
    doc = document()
    text = json.dumps(doc["paths"])
    used = set(re.findall(r"#/components/schemas/(\w+)", text))
    # follow references between schemas
    while True:
        more = set(re.findall(r"#/components/schemas/(\w+)", json.dumps(
            [doc["components"]["schemas"][n] for n in used]))) - used
        if not more:
            break
        used |= more
    assert set(doc["components"]["schemas"]) == used


def test_the_cli_prints_the_document_the_endpoint_serves(tmp_path, capsys, canvas_store):
    c = Checker(canvas_store)
    try:
        served = c.call("GET", "/__mockcanvas__/openapi.json", token=None).json()
    finally:
        c.close()
    assert main(["openapi"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == served == json.loads(json.dumps(default_document()))
    out = tmp_path / "openapi.json"
    assert main(["openapi", "--output", str(out)]) == 0
    assert json.loads(out.read_text()) == served
    assert main(["openapi", "--output", str(tmp_path / "no" / "such" / "dir.json")]) == 2


def test_the_cli_entry_point_prints_the_document():
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "openapi"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(json.dumps(document()))


def test_routes_that_take_no_token_say_so():
    """An ``@anonymous`` handler (a public course) is documented with optional security, and only
    those are."""
    from mockcanvas.auth import allows_anonymous

    app = create_app(load_world())
    doc = build_openapi(app.router)
    for route in app.router.routes():
        resource = route.resource
        if resource is None or route.method == "HEAD" or not resource.canonical.startswith("/api/v1/") \
                or resource.canonical.endswith(".json"):
            continue
        op = doc["paths"][resource.canonical][route.method.lower()]
        optional = {} in op.get("security", [{"bearerAuth": []}])
        assert optional == allows_anonymous(route.handler), (route.method, resource.canonical)
