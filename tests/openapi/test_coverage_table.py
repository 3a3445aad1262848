"""docs/coverage.md stays true without running the suite: it lists every seed route, and its mock
route and "implemented" columns match the router; the seed list matches the seed documents when
they are at hand; the limitation phrases still exist in README; the route log plugin records."""

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


def table_rows() -> dict[str, list[str]]:
    """Seed route -> the cells of its row in docs/coverage.md."""
    text = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8").split("## Other routes", 1)[0]
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| `((?:GET|POST|PUT|DELETE) /api/v1/[^`]*)` \|(.*)\|$", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in re.split(r"(?<!\\)\|", m.group(2))]
    return rows


def test_the_table_lists_every_seed_route_as_the_router_has_it():
    seeds = coverage.seed_routes()
    assert len(seeds) == 35 and len({s.key for s in seeds}) == 35
    rows = table_rows()
    assert set(rows) == {s.key for s in seeds}, "docs/coverage.md is stale: python -m mockcanvas.coverage --run-tests"
    implemented = set(coverage.implemented_routes())
    for s in seeds:
        document, mock_route, is_impl = rows[s.key][:3]
        assert document == s.document
        want = (s.method, s.template) in implemented
        assert is_impl == ("yes" if want else "**no**"), f"{s.key}: implemented column is stale"
        assert mock_route == (f"`{s.method} {s.template}`" if want else "—"), f"{s.key}: mock route is stale"


def test_the_other_routes_section_matches_the_router():
    text = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    section = text.split("## Other routes of the mock", 1)[1]
    listed = set(re.findall(r"^\| `([A-Z]+) ([^`]+)` \|", section, flags=re.MULTILINE))
    seeds = {(s.method, s.template) for s in coverage.seed_routes()}
    assert listed == set(coverage.implemented_routes()) - seeds


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
    assert "| `GET /api/v1/groups/:group_id` | canvas-groups-api.txt | `GET /api/v1/groups/{group_id}` | yes | " \
           "yes: 3 calls (200×2, 404×1), 1 module(s) |" in text
    assert "| `DELETE /api/v1/groups/:group_id` | canvas-groups-api.txt | `DELETE /api/v1/groups/{group_id}` | yes " \
           "| **no** |" in text
    assert "1 called by the tests" in text


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
