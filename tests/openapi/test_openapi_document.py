"""The OpenAPI document: valid OpenAPI 3.1, generated from the router (every route, nothing else),
the same from the CLI as from ``GET /__mockcanvas__/openapi.json``."""

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
from mockcanvas.openapi import (
    OpenAPIDriftError,
    build_openapi,
    default_document,
    router_routes,
)
from mockcanvas.openapi_routes import CONTROL_TAG, ROUTES

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
    # aiohttp's automatic HEAD routes are the only ones left out
    heads = {(r.method, r.resource.canonical) for r in app.router.routes() if r.method == "HEAD"}
    assert all(("GET", t) in set(router_routes(app.router)) for _, t in heads)
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


def test_operations_describe_auth_paging_and_errors():
    ops = operations(document())
    for (method, template), op in ops.items():
        doc = ROUTES[(method, template)]
        assert op["tags"] == [doc.tag] and op["summary"] and op["x-canvas-action"]
        if template.startswith("/__mockcanvas__/"):
            assert op["tags"] == [CONTROL_TAG] and op["security"] == []
        if template.startswith("/api/v1/"):
            assert "security" not in op  # the document's bearer token / access_token
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
    up = operations(document())[("POST", "/files_api/{token}")]
    assert set(up["requestBody"]["content"]) == {"multipart/form-data"}
    assert "201" in up["responses"]


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
