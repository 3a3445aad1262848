"""Fuzzing the mock from its own OpenAPI document with schemathesis, over real HTTP.

One ``CanvasServer`` on a fresh default world serves the whole module; state accumulates across the
passes (teacher, then smaller admin and student passes) and the store invariants
(``invariants.check_invariants``) are checked at the end. Every generated request is checked for:
no 5xx (``not_a_server_error``), a documented status (``status_code_conformance``) and a body that
matches the documented schema (``response_schema_conformance``); the server must also have recorded
no problems (unknown routes, exceptions). Findings are collected per operation (nothing is shrunk)
and reported together, each with a curl command to reproduce it.

Knobs (environment):

* ``MOCKCANVAS_FUZZ_EXAMPLES`` examples per operation in the teacher pass (default 10; the admin and
  student passes get a third of it, at least 2);
* ``MOCKCANVAS_FUZZ_MODES`` generation modes, comma-separated: ``positive`` (default) and/or
  ``negative`` (invalid input; the same checks apply);
* ``MOCKCANVAS_FUZZ_SEED`` the Hypothesis seed (default 0: the same inputs every run);
* ``MOCKCANVAS_FUZZ_VERBOSE=1`` prints the statuses seen per operation (with ``-s``).

The teacher pass also sends some generated cases (one in eight of a read, every one of a write) a
second time with one of its values replaced by a hostile one (:data:`HOSTILE`, reported as
``[hostile]``; no extra generation, so little extra time): a number of thousands of digits (past
Python's 4,300-digit ``int()`` limit) in a path id, a query parameter or a body field; odd Unicode
(bidi overrides, NUL, CR/LF, zero-width, combining marks, non-ASCII digits, noncharacters); and in
JSON bodies lone surrogates (``"\\ud800"``), which only JSON can carry (a URL or form would have to
encode them first). The strategies that found issue 13's items 1 and 3; the same checks apply.

Ids in paths, queries and bodies (``x-canvas-id`` in the document) are narrowed to the world's range
(``MAXIMA``, plus the world's real SIS ids) so that requests reach real objects; ``as_user_id`` is
generated in the admin pass only (anyone else gets 401 for it). The control-plane routes
that reset the world or change the progress policy are not fuzzed.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import time
from collections import Counter, defaultdict
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from invariants import check_invariants
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from mockcanvas import load_world
from mockcanvas.openapi import build_openapi
from mockcanvas.server import CanvasServer, format_problems

EXAMPLES = int(os.environ.get("MOCKCANVAS_FUZZ_EXAMPLES", "10"))
MODES = [GenerationMode(m.strip()) for m in os.environ.get("MOCKCANVAS_FUZZ_MODES", "positive").split(",")
         if m.strip()]
SEED = int(os.environ.get("MOCKCANVAS_FUZZ_SEED", "0"))
MAX_ID = 40
SKIPPED = {("POST", "/__mockcanvas__/reset"), ("PUT", "/__mockcanvas__/progress_policy"),
           ("POST", "/__mockcanvas__/progress_policy")}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
PASSES = [("teacher-token", EXAMPLES), ("admin-token", max(2, EXAMPLES // 3)),
          ("student-token", max(2, EXAMPLES // 3))]
# in the teacher pass, one case in HOSTILE_EVERY is sent again with a hostile value; one in
# HOSTILE_EVERY_WRITE of a write's (what a write stores is where a bad value does harm)
HOSTILE_EVERY, HOSTILE_EVERY_WRITE = 8, 1

# -- hostile values (issue 13): huge numbers, odd Unicode, lone surrogates --------------------------
HUGE_NUMBERS = st.integers(4301, 6000).map(lambda n: "9" * n) | st.integers(4301, 6000).map(lambda n: "-" + "1" * n) \
    | st.integers(4301, 5000).map(lambda n: "0" * n + "7")
ODD_TEXT = st.sampled_from([
    "\u202eevil\u202c", "a\x00b", "a\r\nSet-Cookie: x=1", "\u200b", "e\u0301\u0301", "\U0001F600",
    "\ufeffbom", "\uffff", "\ufdd0", "\ufb01", "\u00b2", "\u0663", "\uff13", " ", "%00", "../../x", "\\",
]) | st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
LONE_SURROGATES = st.sampled_from(["\ud800", "x\udfff", "\udc80y", "\udbff\udbff"]) \
    | st.tuples(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), st.text(max_size=4)).map("".join)
# in a path segment, text that would end the segment or the path (a / ? # or a dot segment) makes
# another route, not a hostile value
PATH_TEXT = ODD_TEXT.filter(lambda t: not set(t) & set("/?#\\") and t.strip(".") != "")
HOSTILE = {"path": HUGE_NUMBERS | PATH_TEXT, "query": HUGE_NUMBERS | ODD_TEXT,
           "form": HUGE_NUMBERS | ODD_TEXT, "json": st.one_of(LONE_SURROGATES, HUGE_NUMBERS | ODD_TEXT)}


def hostile_case(case, data) -> None:
    """Replace one value of ``case`` (a path parameter, a query parameter or a top-level body
    field, drawn by ``data``) with a hostile one; a case with a body gets it there half the time
    (what a write stores is where a bad value does harm)."""
    spots = [("path", k) for k in (case.path_parameters or {})] + [("query", k) for k in (case.query or {})]
    if isinstance(case.body, dict) and case.body:
        if case.media_type == "application/x-www-form-urlencoded" and data.draw(st.booleans(), label="as JSON?"):
            case.media_type = "application/json"  # every form body is documented as JSON too
        kind = "json" if (case.media_type or "").endswith("json") else "form"
        body = [(kind, k) for k in case.body]
        spots = body if not spots or data.draw(st.booleans(), label="in the body?") else spots
    if not spots:
        return
    where, key = data.draw(st.sampled_from(spots), label="where")
    value = data.draw(HOSTILE[where], label="hostile value")
    strings = [k for k, v in case.body.items() if isinstance(v, str)] if isinstance(case.body, dict) else []
    if where == "json" and strings and data.draw(st.booleans(), label="several strings?"):
        # a lone surrogate after some strings of the body: one of them is likely one the route stores
        tail = data.draw(LONE_SURROGATES, label="surrogate")
        chosen = data.draw(st.lists(st.sampled_from(strings), min_size=1, unique=True), label="strings")
        case.body = {k: v + tail if k in chosen else v for k, v in case.body.items()}
    if where == "path":
        case.path_parameters = {**case.path_parameters, key: value}
    elif where == "query":
        case.query = {**case.query, key: value}
    else:
        case.body = {**case.body, key: value}


MAX_FINDINGS_PER_OPERATION = 3


def _sis_refs(store) -> dict[str, list[str]]:
    """The world's real ``sis_*:`` path forms, by prefix."""
    def values(table: str, attr: str) -> list[str]:
        return sorted({v for r in store.all(table) if (v := getattr(r, attr, None))})

    return {
        "sis_group_id": values("groups", "sis_group_id"),
        "sis_course_id": values("courses", "sis_course_id"),
        "sis_account_id": values("accounts", "sis_account_id"),
        "sis_group_category_id": values("group_categories", "sis_group_category_id"),
        "sis_user_id": values("users", "sis_user_id"),
        "sis_login_id": values("users", "login_id"),
    }


# the largest id worth generating, by parameter (the default world has 8 groups, 5 categories, 20
# users, 14 memberships; the fuzz creates a few more)
MAXIMA = {"group_id": 14, "course_id": 3, "account_id": 3, "group_category_id": 8, "user_id": 21,
          "as_user_id": 21, "members[]": 21, "members": 21, "leader[id]": 21, "id": 21, "user_ids[]": 21,
          "membership_id": 30, "progress_id": 10, "file_id": 8, "avatar_id": 8}


def _narrow(schema: Any, sis: dict[str, list[str]], name: str | None = None) -> Any:
    """Id schemas (``x-canvas-id``) limited to the world's ids; everything else unchanged."""
    if isinstance(schema, list):
        return [_narrow(s, sis, name) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("x-canvas-id"):
        if schema.get("type") in ("integer", ["integer", "null"]):
            return {**schema, "maximum": MAXIMA.get(name or "", MAX_ID)}
        if "anyOf" in schema:
            branches = []
            for b in schema["anyOf"]:
                pattern = b.get("pattern", "")
                prefix = pattern[1:].split(":", 1)[0] if pattern.startswith("^sis_") else None
                if prefix:
                    if sis.get(prefix):
                        branches.append({"type": "string", "enum": [f"{prefix}:{v}" for v in sis[prefix]]})
                else:
                    branches.append(_narrow(b, sis, name))
            return {**schema, "anyOf": branches}
    if "name" in schema and "in" in schema:  # a parameter
        return {**schema, "schema": _narrow(schema.get("schema"), sis, schema["name"])}
    out = {}
    for k, v in schema.items():
        if k == "properties" and isinstance(v, dict):
            out[k] = {prop: _narrow(sub, sis, prop) for prop, sub in v.items()}
        else:
            out[k] = _narrow(v, sis, name)
    return out


def fuzz_document(server: CanvasServer, masquerade: bool) -> dict[str, Any]:
    """The served document with ids narrowed; ``as_user_id`` only when ``masquerade``."""
    doc = copy.deepcopy(json.loads(json.dumps(build_openapi(server.app.router))))
    sis = _sis_refs(server.store)
    for ops in doc["paths"].values():
        for op in ops.values():
            params = [p for p in op.get("parameters", []) if masquerade or "AsUserId" not in p.get("$ref", "")]
            op["parameters"] = _narrow(params, sis)
            if "requestBody" in op:
                op["requestBody"] = _narrow(op["requestBody"], sis)
    doc["components"]["parameters"] = _narrow(doc["components"]["parameters"], sis)
    return doc


@pytest.fixture(scope="module")
def server():
    srv = CanvasServer(load_world()).start()
    try:
        yield srv
    finally:
        srv.stop()


def _finding(case, exc: BaseException, headers: dict[str, str]) -> str:
    text = str(exc).strip()
    if not isinstance(exc, FailureGroup):  # no answer to check (e.g. the connection dropped)
        text = f"{type(exc).__name__}: {text}\n\nReproduce with:\n\n    {case.as_curl_command(headers=headers)}"
    return f"{case.operation.label}:\n    " + "\n    ".join(text.splitlines()[:40])


def fuzz_operation(op, mode: GenerationMode, examples: int, call, hostile=None) -> None:
    """``examples`` cases of ``op`` in ``mode``, each handed to ``call(case)``; with ``hostile``
    (a call too), one in :data:`HOSTILE_EVERY` (:data:`HOSTILE_EVERY_WRITE` for a write) is then
    sent again with one value replaced by a hostile one (:func:`hostile_case`)."""
    every = HOSTILE_EVERY if op.method.upper() == "GET" else HOSTILE_EVERY_WRITE
    @seed(SEED)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=op.as_strategy(generation_mode=mode), data=st.data())
    def one(case, data):
        call(case)
        if hostile is not None and data.draw(st.integers(0, every - 1), label="hostile?") == 0:
            hostile_case(case, data)
            hostile(case)

    try:
        one()
    except Unsatisfiable:  # nothing to negate (an operation without parameters)
        pass


def run_pass(server: CanvasServer, token: str, examples: int,
             hostile: bool = False) -> tuple[list[str], dict[str, Counter]]:
    """Every operation, ``examples`` cases per generation mode (each with a hostile value when
    ``hostile``); returns the findings and the statuses seen per operation."""
    schema = schemathesis.openapi.from_dict(fuzz_document(server, masquerade=token == "admin-token"))
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    transport = {"base_url": server.url, "session": session, "headers": headers}
    findings: list[str] = []
    statuses: dict[str, Counter] = defaultdict(Counter)

    def check(case, mode: GenerationMode, found: list[str], label: str | None = None) -> None:
        try:
            if label == "hostile":
                # requests writes a JSON body with ensure_ascii (a lone surrogate as \\udXXX), where
                # schemathesis' own call would fail to encode it
                kwargs = case.as_transport_kwargs(base_url=server.url, headers=headers)
                response = session.request(**kwargs, allow_redirects=False)
            else:
                response = case.call(base_url=server.url, session=session, headers=headers)
            statuses[case.operation.label][response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs=transport)
        except (Exception, FailureGroup) as exc:  # noqa: BLE001 - collect, do not shrink
            if len(found) < MAX_FINDINGS_PER_OPERATION:
                found.append(f"[{label or mode.value}] " + _finding(case, exc, headers))

    # reads first, deletions last: a pass that deletes the world early reaches little else
    order = {"GET": 0, "POST": 1, "PUT": 2, "DELETE": 3}
    operations = sorted((r.ok() for r in schema.get_all_operations()),
                        key=lambda op: (order.get(op.method.upper(), 1), op.path))
    for op in operations:
        if (op.method.upper(), op.path) in SKIPPED:
            continue
        found: list[str] = []
        for mode in MODES:
            fuzz_operation(op, mode, examples, functools.partial(check, mode=mode, found=found),
                           functools.partial(check, mode=mode, found=found, label="hostile") if hostile else None)
        findings.extend(found)
    session.close()
    return findings, statuses


@pytest.mark.parametrize("token,examples", PASSES, ids=[t for t, _ in PASSES])
def test_fuzz_every_operation(server, token, examples):
    started = time.monotonic()
    hostile = token == "teacher-token"
    findings, statuses = run_pass(server, token, examples, hostile)
    problems = format_problems(server.problems)
    server.problems.clear()
    total = sum(statuses.values(), Counter())
    what = f"{token} (with hostile values)" if hostile else token
    print(f"\nfuzz {what}: {sum(total.values())} requests in {time.monotonic() - started:.1f}s, "
          f"statuses {dict(sorted(total.items()))}, {len(findings)} finding(s)")
    if os.environ.get("MOCKCANVAS_FUZZ_VERBOSE"):
        for label, seen in sorted(statuses.items()):
            print(f"  {label}: {dict(sorted(seen.items()))}")
    report = "\n\n".join(findings)
    assert not findings and not problems, (
        f"schemathesis found {len(findings)} problem(s) as {token}:\n\n{report}\n\n{problems}")


def test_store_invariants_hold_after_fuzzing(server):
    """Runs after the passes above (file order): the accumulated state must still be consistent."""
    problems = check_invariants(server.store)
    assert not problems, "store invariants broken after fuzzing:\n  " + "\n  ".join(problems)
    assert not server.problems, format_problems(server.problems)


def test_invariants_hold_for_the_world_and_catch_breakage():
    store = load_world()
    assert check_invariants(store) == []
    # a second live membership in a one-group-per-category category, and a stale index entry
    store.insert("memberships", group_id=2, user_id=6, workflow_state="accepted")
    store.idx["memberships"]["accepted_by_group"].buckets.setdefault(5, []).append((999,))
    problems = check_invariants(store)
    assert any("user 6 has 2 live memberships" in p for p in problems), problems
    assert any("group 5: accepted index" in p for p in problems), problems
    again = check_invariants(store)  # the check rebuilt the indexes: only the membership is left
    assert len(again) == 1 and "user 6 has 2 live memberships" in again[0], again
