"""docs/coverage.md stays true without running the suite: it lists every route of the router (``.json``
twins left out) under the area that serves it, every seed route beside the mock route that implements
it or among the ones not implemented; the seed list matches the seed documents when they are at hand;
the limitation phrases still exist in README; the route log plugin records."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from mockcanvas import coverage

ROOT = Path(__file__).resolve().parents[2]
# the Canvas API documents the project started from, when at hand (not part of the repository)
SEEDS_DIR = Path(os.environ.get("MOCKCANVAS_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))


STALE = "docs/coverage.md is stale: python -m mockcanvas.coverage --run-tests"


def sections(text: str | None = None) -> dict[str, list[list[str]]]:
    """Heading of each ``## `` section of docs/coverage.md -> the cells of its table rows."""
    if text is None:
        text = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    out: dict[str, list[list[str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = out.setdefault(line[3:].strip(), [])
        elif current is not None and line.startswith("| `"):
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])])
    return out


def test_every_route_is_listed_under_its_area():
    found = sections()
    areas = coverage.route_areas()
    listed = {}
    for heading, rows in found.items():
        if heading == "Seed routes not implemented":
            continue
        for row in rows:
            method, template = row[0].strip("`").split(" ", 1)
            assert (method, template) not in listed, f"{method} {template} is listed twice"
            listed[(method, template)] = heading
    assert set(listed) == set(areas), STALE
    for route, module in areas.items():
        assert listed[route] == module.rsplit(".", 1)[-1], f"{route}: listed under the wrong area; {STALE}"


def test_the_table_lists_every_seed_route_as_the_router_has_it():
    seeds = coverage.seed_routes()
    assert len(seeds) == 35 and len({s.key for s in seeds}) == 35
    found = sections()
    beside = {row[1].strip("`"): row for heading, rows in found.items() if heading != "Seed routes not implemented"
              for row in rows if row[1] != "—"}
    missing = {row[0].strip("`"): row for row in found.get("Seed routes not implemented", [])}
    assert set(beside) | set(missing) == {s.key for s in seeds} and not set(beside) & set(missing), STALE
    implemented = set(coverage.implemented_routes())
    for s in seeds:
        if (s.method, s.template) in implemented:
            row = beside.get(s.key)
            assert row is not None, f"{s.key}: implemented, but listed as not; {STALE}"
            assert row[0] == f"`{s.method} {s.template}`" and row[2] == s.document, f"{s.key}: {STALE}"
        else:
            assert s.key in missing, f"{s.key}: not implemented, but listed beside a mock route; {STALE}"
            assert missing[s.key][1] == s.document


def test_json_twins_count_for_their_route():
    log = {"GET /api/v1/groups/{group_id}": {"calls": 2, "statuses": {"200": 2}, "modules": ["a.py"]},
           "GET /api/v1/groups/{group_id}.json": {"calls": 1, "statuses": {"404": 1}, "modules": ["b.py"]},
           "GET /__mockcanvas__/openapi.json": {"calls": 1, "statuses": {"200": 1}, "modules": ["c.py"]}}
    folded = coverage._fold_twins(log, {("GET", "/api/v1/groups/{group_id}"), ("GET", "/__mockcanvas__/openapi.json")})
    assert folded == {"GET /api/v1/groups/{group_id}": {"calls": 3, "statuses": {"200": 2, "404": 1},
                                                        "modules": ["a.py", "b.py"]},
                      "GET /__mockcanvas__/openapi.json": log["GET /__mockcanvas__/openapi.json"]}


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents are not at hand")
def test_the_seed_list_matches_the_seed_documents():
    want = []
    for name in ("canvas-groups-api.txt", "canvas-group-categories-api.txt"):
        for line in (SEEDS_DIR / name).read_text(encoding="utf-8").splitlines():
            if re.match(r"^(GET|POST|PUT|DELETE) /api/v1/", line):
                want.append((line.split()[0], line.split()[1], name))
    assert [(s.method, s.path, s.document) for s in coverage.seed_routes()] == want


def test_every_limitation_phrase_is_in_the_readme():
    sentences = coverage.limitation_sentences((ROOT / "README.md").read_text(encoding="utf-8"))
    keys = {s.key for s in coverage.seed_routes()}
    assert set(coverage.LIMITATIONS) <= keys
    for s in coverage.seed_routes():
        coverage.limitations_of(s, sentences)  # raises naming the phrase that is gone


def test_the_table_builds_from_a_route_log(tmp_path):
    log = {"routes": {"GET /api/v1/groups/{group_id}": {"calls": 3, "statuses": {"200": 2, "404": 1},
                                                       "modules": ["tests/api/test_groups_read.py"]}},
           "unknown_routes": 0, "excluded_calls": 0}
    out = tmp_path / "coverage.md"
    (tmp_path / "log.json").write_text(json.dumps(log))
    assert coverage.main(["--route-log", str(tmp_path / "log.json"), "--output", str(out)]) == 0
    text = out.read_text()
    assert "| `GET /api/v1/groups/{group_id}` | `GET /api/v1/groups/:group_id` | canvas-groups-api.txt | " \
           "yes: 3 calls (200×2, 404×1), 1 module(s) |" in text
    assert "| `DELETE /api/v1/groups/{group_id}` | `DELETE /api/v1/groups/:group_id` | canvas-groups-api.txt " \
           "| **no** |" in text
    assert "1 called by the tests" in text
    groups = sections(text)["groups"]
    assert ["`GET /api/v1/groups/{group_id}`", "`GET /api/v1/groups/:group_id`", "canvas-groups-api.txt",
            "yes: 3 calls (200×2, 404×1), 1 module(s)", "—"] in groups


def test_the_route_log_plugin_records_routes(pytester, monkeypatch):
    """MOCKCANVAS_ROUTE_LOG collects the journal's route templates by test module."""
    log = pytester.path / "routes.json"
    monkeypatch.setenv("MOCKCANVAS_ROUTE_LOG", str(log))
    pytester.makeconftest(f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
                          "pytest_plugins = ['conftest_coverage']\n")
    pytester.makepyfile(test_nothing="""
        def test_nothing(canvas_server):
            pass
    """)
    pytester.makepyfile(test_more="""
        import requests
        def test_more(canvas_url):
            requests.get(canvas_url + "/api/v1/groups/1", headers={"Authorization": "Bearer teacher-token"})
            requests.get(canvas_url + "/api/v1/groups/999", headers={"Authorization": "Bearer teacher-token"})
    """)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    data = json.loads(log.read_text())
    entry = data["routes"]["GET /api/v1/groups/{group_id}"]
    assert entry == {"calls": 2, "statuses": {"200": 1, "404": 1}, "modules": ["test_more.py"]}
    assert data["unknown_routes"] == 0
