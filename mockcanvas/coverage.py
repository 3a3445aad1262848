"""The coverage table ``docs/coverage.md``: every route of the mock, grouped by area (the api module
that serves it, ``mockcanvas/api/<area>.py``), with the route of the Canvas API documents it covers,
whether tests call it (from a route log of a test run) and its known limitations (from README's
LIMITATIONS); then the routes of those documents the router does not have. The ``.json`` twin of a
route is not listed apart: its calls count for the unsuffixed route.

    python -m mockcanvas.coverage --run-tests      # run the suite with the route log, write the table
    python -m mockcanvas.coverage --route-log FILE # write the table from an existing log
    python -m mockcanvas.coverage                  # tested column "not measured"

The seed routes live in ``docs/seed_routes.txt``; the route log is written by the pytest plugin
``tests/conftest_coverage.py`` when ``MOCKCANVAS_ROUTE_LOG`` is set. A development tool: it reads the
repository (README.md, docs/), not an installed package.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED_ROUTES = ROOT / "docs" / "seed_routes.txt"
README = ROOT / "README.md"
OUTPUT = ROOT / "docs" / "coverage.md"
ROUTE_LOG_ENV = "MOCKCANVAS_ROUTE_LOG"

# seed route -> phrases of README's LIMITATIONS that concern it (each must be found there)
LIMITATIONS: dict[str, tuple[str, ...]] = {
    "GET /api/v1/accounts/:account_id/groups": ("`section_restricted`",),
    "GET /api/v1/courses/:course_id/groups": ("`section_restricted`",),
    "PUT /api/v1/groups/:group_id": ("`PUT /groups/:id` checks every parameter",),
    "POST /api/v1/groups/:group_id/invite": ("Invitations resolve e-mail addresses",),
    "GET /api/v1/groups/:group_id/users": ("`/groups/:id/users` and `/courses/:id/users` sort and filter",),
    "POST /api/v1/groups/:group_id/files": ("Files: folders exist for uploads only",),
    "GET /api/v1/groups/:group_id/activity_stream": ("The activity stream shows only items seeded",),
    "GET /api/v1/groups/:group_id/activity_stream/summary": ("The activity stream shows only items seeded",),
    "GET /api/v1/accounts/:account_id/group_categories": ("the `collaboration_state` filter",),
    "GET /api/v1/courses/:course_id/group_categories": ("the `collaboration_state` filter",),
    "POST /api/v1/accounts/:account_id/group_categories": ("A SIS id without manage_sis", "`create_group_member_count`"),
    "POST /api/v1/courses/:course_id/group_categories": ("A SIS id without manage_sis", "`create_group_member_count`"),
    "PUT /api/v1/group_categories/:group_category_id": ("a PUT that omits `self_signup`", "A SIS id without manage_sis"),
    "POST /api/v1/group_categories/:group_category_id/import": ("Progress: a job that raises",),
    "POST /api/v1/group_categories/:group_category_id/assign_unassigned_members": (
        "Progress: a job that raises", "`group_by_section` prefers a group"),
}


@dataclass(frozen=True)
class SeedRoute:
    method: str
    path: str        # as the seed writes it: /api/v1/groups/:group_id
    document: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def template(self) -> str:
        """The router's spelling: /api/v1/groups/{group_id}."""
        return re.sub(r":(\w+)", r"{\1}", self.path)


def seed_routes(path: Path = SEED_ROUTES) -> list[SeedRoute]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            method, route, document = line.split()
            out.append(SeedRoute(method, route, document))
    return out


def implemented_routes() -> list[tuple[str, str]]:
    """(METHOD, template) of every route of the router, ``.json`` twins left out."""
    return list(route_areas())


def route_areas() -> dict[tuple[str, str], str]:
    """(METHOD, template) -> the module that serves it (``mockcanvas.api.groups``), in router order,
    ``.json`` twins left out."""
    from .app import create_app
    from .openapi import router_routes
    from .store import Store

    router = create_app(Store()).router
    modules = {}
    for route in router.routes():
        if route.resource is not None and route.method != "HEAD":
            key = (route.method.upper(), route.resource.canonical)
            modules.setdefault(key, getattr(route.handler, "__module__", None) or "?")
    return {key: modules[key] for key in router_routes(router)}


def area_order() -> list[str]:
    """Area module names in the order of ``mockcanvas.areas`` (then the control plane and others)."""
    from .openapi import doc_modules

    return [m.__name__ for m in doc_modules()]


def area_summary(module_name: str) -> str:
    """The first sentence of the area module's docstring, in Markdown."""
    import importlib

    doc = (importlib.import_module(module_name).__doc__ or "").strip()
    first = " ".join(doc.split("\n\n", 1)[0].split())
    return first.replace("``", "`")


def limitation_sentences(readme: str) -> list[str]:
    """The sentences of README's LIMITATIONS section (bullets split at sentence ends)."""
    m = re.search(r"^## LIMITATIONS\s*$(.*?)(?=^## |\Z)", readme, flags=re.MULTILINE | re.DOTALL)
    if not m:
        raise ValueError("README.md has no '## LIMITATIONS' section")
    sentences = []
    for bullet in re.split(r"^\* ", m.group(1), flags=re.MULTILINE):
        text = " ".join(bullet.split())
        sentences += [s for s in re.split(r"(?<=\.)\s+(?=[A-Z`])", text) if s]
    return sentences


def limitations_of(route: SeedRoute, sentences: list[str]) -> list[str]:
    found = []
    for phrase in LIMITATIONS.get(route.key, ()):
        match = [s for s in sentences if phrase in s]
        if not match:
            raise ValueError(f"README LIMITATIONS no longer mention {phrase!r} ({route.key}): "
                             "update LIMITATIONS in mockcanvas/coverage.py")
        if match[0] not in found:
            found.append(match[0])
    return found


def _tested(entry: dict[str, Any] | None, measured: bool) -> str:
    if not measured:
        return "not measured"
    if not entry:
        return "**no**"
    statuses = ", ".join(f"{s}×{n}" for s, n in entry["statuses"].items())
    ok = sum(n for s, n in entry["statuses"].items() if s.startswith("2"))
    return f"yes: {entry['calls']} calls ({statuses}), {len(entry['modules'])} module(s)" + ("" if ok else "; **no success**")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _fold_twins(logged: dict[str, Any], implemented: set[tuple[str, str]]) -> dict[str, Any]:
    """Count the calls of a ``.json`` twin (``GET /api/v1/groups/{group_id}.json``) for its route."""
    out: dict[str, Any] = {}
    for key, entry in logged.items():
        method, _, template = key.partition(" ")
        if template.endswith(".json") and (method, template[:-5]) in implemented:
            key = f"{method} {template[:-5]}"
        if key not in out:
            out[key] = {"calls": entry["calls"], "statuses": dict(entry["statuses"]),
                        "modules": list(entry["modules"])}
            continue
        merged = out[key]
        merged["calls"] += entry["calls"]
        for status, n in entry["statuses"].items():
            merged["statuses"][status] = merged["statuses"].get(status, 0) + n
        merged["statuses"] = dict(sorted(merged["statuses"].items()))
        merged["modules"] = sorted(set(merged["modules"]) | set(entry["modules"]))
    return out


def _area(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]


def build_table(route_log: dict[str, Any] | None, readme: str | None = None) -> str:
    seeds = seed_routes()
    areas_of = route_areas()
    implemented = set(areas_of)
    sentences = limitation_sentences(readme if readme is not None else README.read_text(encoding="utf-8"))
    measured = route_log is not None
    logged = _fold_twins((route_log or {}).get("routes", {}), implemented)
    seed_of = {(s.method, s.template): s for s in seeds}
    done = sum((s.method, s.template) in implemented for s in seeds)
    tested = sum(bool(logged.get(f"{s.method} {s.template}")) for s in seeds)
    order = area_order()
    modules = sorted(set(areas_of.values()), key=lambda m: (order.index(m) if m in order else len(order), m))
    by_module = {m: [r for r, owner in areas_of.items() if owner == m] for m in modules}

    def is_control(template: str) -> bool:
        return template.startswith("/__mockcanvas__/")

    def tested_cell(method: str, template: str) -> str:
        return "n/a" if is_control(template) else _tested(logged.get(f"{method} {template}"), measured)

    lines = [
        "# Coverage of the Canvas API documents",
        "",
        "<!-- generated by `python -m mockcanvas.coverage --run-tests`; do not edit by hand -->",
        "",
        (f"{len(seeds)} routes in the seed documents (`docs/seed_routes.txt`): {done} implemented"
         + (f", {tested} called by the tests." if measured else "; tests not measured.")
         + f" The mock serves {len(implemented)} routes in {len(modules)} areas."),
        "",
        ("Routes are grouped by area: the module of `mockcanvas/api/` that serves them. *Seed route* is the "
         "route of the seed documents a mock route implements; *tested* comes from the requests the test "
         "suite made (the route log of `tests/conftest_coverage.py`; the contract tests under "
         "`tests/openapi/` are not counted; the test control plane under `/__mockcanvas__/` is not "
         "journaled, so never counted); *limitations* quotes README's "
         "[LIMITATIONS](../README.md#limitations). A route's `.json` twin (`/api/v1/groups/1.json`) is "
         "counted with the route."),
        "",
        "| Area | Module | Routes | Seed routes | Tested |",
        "|---|---|---|---|---|",
    ]
    for m in modules:
        routes = by_module[m]
        n_seed = sum(r in seed_of for r in routes)
        if all(is_control(t) for _, t in routes):
            n_tested = "n/a"
        elif measured:
            n_tested = str(sum(bool(logged.get(f"{mt} {t}")) for mt, t in routes))
        else:
            n_tested = "not measured"
        lines.append(f"| [{_area(m)}](#{_area(m)}) | `{m.replace('.', '/')}.py` | {len(routes)} | {n_seed} "
                     f"| {n_tested} |")
    for m in modules:
        lines += ["", f"## {_area(m)}", "", area_summary(m), "",
                  "| Mock route | Seed route | Seed document | Tested | Limitations |",
                  "|---|---|---|---|---|"]
        for method, template in by_module[m]:
            seed = seed_of.get((method, template))
            lines.append("| " + " | ".join([
                f"`{method} {template}`",
                f"`{seed.key}`" if seed else "—",
                seed.document if seed else "—",
                tested_cell(method, template),
                (_cell(" ".join(limitations_of(seed, sentences))) or "—") if seed else "—",
            ]) + " |")
    missing = [s for s in seeds if (s.method, s.template) not in implemented]
    lines += ["", "## Seed routes not implemented", ""]
    if not missing:
        lines.append("None.")
    else:
        lines += ["| Seed route | Seed document | Limitations |", "|---|---|---|"]
        for s in missing:
            lines.append(f"| `{s.key}` | {s.document} | {_cell(' '.join(limitations_of(s, sentences))) or '—'} |")
    return "\n".join(lines) + "\n"


def run_tests(pytest_args: Sequence[str]) -> tuple[int, dict[str, Any]]:
    """Run the test suite with the route log; returns pytest's exit code and the log."""
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "routes.json"
        env = {**os.environ, ROUTE_LOG_ENV: str(log_path)}
        args = list(pytest_args) or ["-q", "tests", "--ignore=tests/openapi"]
        code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
        if not log_path.exists():
            raise SystemExit(f"mockcanvas.coverage: the test run wrote no route log (exit code {code})")
        return code, json.loads(log_path.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockcanvas.coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-tests", action="store_true",
                        help="run the test suite (tests/, without tests/openapi) with the route log first")
    parser.add_argument("--route-log", metavar="FILE", help="a route log written by a run with MOCKCANVAS_ROUTE_LOG")
    parser.add_argument("--output", metavar="FILE", default=str(OUTPUT), help=f"default {OUTPUT.relative_to(ROOT)}")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest with --run-tests (after --)")
    args = parser.parse_args(argv)
    code = 0
    log = None
    if args.run_tests:
        code, log = run_tests(args.pytest_args)
        if code not in (0, 5):
            print(f"mockcanvas.coverage: the test suite failed (exit code {code}); the table is written "
                  "from the calls it made", file=sys.stderr)
    elif args.route_log:
        log = json.loads(Path(args.route_log).read_text(encoding="utf-8"))
    Path(args.output).write_text(build_table(log), encoding="utf-8")
    print(f"wrote {args.output}")
    return code


if __name__ == "__main__":
    sys.exit(main())
