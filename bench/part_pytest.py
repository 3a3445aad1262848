"""Part 2 of the benchmark (``bench/run.py``): the pytest fixtures' cost per test.

Generated test files (an empty test, ``canvas_store``, ``canvas_store`` after a test that changed the world,
``canvas_client`` + one request, ``canvas_url`` + one request), each parametrized many times, run by one
``python -m pytest`` subprocess (and the empty test again with the plugin disabled, and the empty and
``canvas_client`` tests on one session event loop); conftest hooks time every test's whole run protocol and
its phases in CPU and wall time. Plus ``store.rollback()`` timed in-process after a typical test's changes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import statistics
import subprocess
import textwrap
import time
from pathlib import Path

from common import PY, Config, Results, Section, log, median, ms, us

# -- part 2: pytest fixture cost -------------------------------------------------------------

_CONFTEST = '''
import json
import os
import time

import pytest


GROUPS = json.loads(os.environ["BENCH_GROUPS"])  # lists of test functions that run as a unit
BLOCK = int(os.environ["BENCH_BLOCK"])


def pytest_collection_modifyitems(session, config, items):
    # Blocks of BLOCK units of each group in turn, so that every kind of test sees the same machine
    # (a slow minute hits them all) while work a test leaves behind (a server thread closing its
    # connection) lands in a test of the same kind. A unit is one test of each function of a group,
    # in order: a test that changes the world, then the one whose setup rolls it back.
    by_name = {}
    for item in items:
        by_name.setdefault(item.originalname, []).append(item)
    units = [list(zip(*(by_name.get(f, []) for f in group))) for group in GROUPS]
    ordered = []
    for start in range(0, max(map(len, units), default=0), BLOCK):
        for group_units in units:
            for unit in group_units[start:start + BLOCK]:
                ordered.extend(unit)
    items[:] = ordered

_protocol = []  # [nodeid, wall seconds, CPU seconds] of each test's whole run protocol
_phases = {}  # nodeid -> {setup|call|teardown: CPU seconds}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    t0, c0 = time.perf_counter(), time.process_time()
    yield
    _protocol.append([item.nodeid, time.perf_counter() - t0, time.process_time() - c0])


def _phase(item, when):
    c0 = time.process_time()
    yield
    _phases.setdefault(item.nodeid, {})[when] = time.process_time() - c0


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    yield from _phase(item, "setup")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    yield from _phase(item, "call")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    yield from _phase(item, "teardown")


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["BENCH_TIMINGS"], "w") as f:
        json.dump({"protocol": _protocol, "phases": _phases}, f)
'''

_PYTEST_INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""

# async tests and fixtures on one event loop for the session: canvas_client then reuses its app
_PYTEST_INI_SESSION_LOOP = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""

_TESTS = {
    "empty": ("an empty test", '''
def test_empty(i):
    pass
'''),
    "change": ("`canvas_store` + a typical test's changes (a group, three members)", '''
from mockcanvas.store.groups import GroupInput


def test_change(i, canvas_store):
    # as bench/bench_core.py: a new group with three members; the next test's setup rolls them back
    teacher = canvas_store.get("users", 2)
    group = canvas_store.groups.create(teacher, GroupInput(name="Bench"), canvas_store.get("group_categories", 1))
    canvas_store.groups.update(teacher, group, GroupInput(members=["14", "15", "16"]))
'''),
    "after_change": ("`canvas_store`, run right after the test above (its setup rolls the changes back)", '''
def test_after_change(i, canvas_store):
    assert canvas_store.changed_rows == 0
'''),
    "client": ("`canvas_client` + one `GET /api/v1/groups/1`", '''
async def test_client(i, canvas_client):
    r = await canvas_client.get("/api/v1/groups/1", headers={"Authorization": "Bearer teacher-token"})
    await r.read()
    assert r.status == 200
'''),
    "server": ("`canvas_url` + one `GET /api/v1/groups/1` (http.client)", '''
import http.client
from urllib.parse import urlsplit


def test_server(i, canvas_url):
    u = urlsplit(canvas_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", "/api/v1/groups/1", headers={"Authorization": "Bearer teacher-token"})
    r = conn.getresponse()
    r.read()
    conn.close()
    assert r.status == 200
'''),
}


PYTEST_BLOCK = 20  # tests of a kind in a row, before the next kind's turn


def run_pytest_session(name: str, groups: list[list[str]], n: int, tmp: Path, block: int,
                       extra: tuple[str, ...] = (), ini: str = _PYTEST_INI) -> tuple[float, dict[str, dict[str, float]]]:
    """One pytest process running ``n`` parametrized copies of each kind of test, in one module (a
    real suite does not switch modules between tests), in blocks of ``block`` per group of kinds in
    turn; return its wall time and, per kind, the medians of its tests after the first."""
    kinds = [kind for group in groups for kind in group]
    d = tmp / f"pytest_{name}"
    d.mkdir()
    (d / "pytest.ini").write_text(ini, encoding="utf-8")
    (d / "conftest.py").write_text(_CONFTEST, encoding="utf-8")
    module, functions = ["import pytest"], []
    for kind in kinds:
        lines = textwrap.dedent(_TESTS[kind][1]).strip("\n").splitlines()
        # parametrize the test function (the first ``def test_``/``async def test_`` line)
        at = next(i for i, line in enumerate(lines) if re.match(r"(async )?def test_", line))
        functions.append(re.match(r"(?:async )?def (test_\w+)", lines[at]).group(1))
        lines.insert(at, f"@pytest.mark.parametrize('i', range({n}))")
        module += ["", ""] + lines
    (d / "test_bench.py").write_text("\n".join(module) + "\n", encoding="utf-8")
    timings = d / "timings.json"
    by_kind = dict(zip(kinds, functions))
    env = dict(os.environ, BENCH_TIMINGS=str(timings), BENCH_BLOCK=str(block),
               BENCH_GROUPS=json.dumps([[by_kind[k] for k in group] for group in groups]))
    t0 = time.perf_counter()
    out = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, "test_bench.py"],
                         cwd=d, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(f"pytest run '{name}' failed:\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}")
    data = json.loads(timings.read_text(encoding="utf-8"))
    results = {}
    for function, kind in zip(functions, kinds):
        mine = [row for row in data["protocol"] if row[0].startswith(f"test_bench.py::{function}[")]
        walls = [w for _, w, _ in mine]
        cpus = [c for _, _, c in mine]
        phases = [data["phases"][nodeid] for nodeid, _, _ in mine[1:]]

        def phase(when: str, phases: list[dict[str, float]] = phases) -> float:
            return median([p.get(when, 0.0) for p in phases])

        # the first test of a kind may pay for the session (world load, server start): shown apart
        results[kind] = {"n": len(mine), "first": walls[0], "per_test_wall": median(walls[1:]),
                         "per_test": median(cpus[1:]), "mean_cpu": statistics.fmean(cpus[1:]),
                         "setup": phase("setup"), "call": phase("call"), "teardown": phase("teardown")}
    return wall, results


def bench_rollback(rounds: int) -> dict[str, float]:
    from mockcanvas import load_world
    from mockcanvas.store.groups import GroupInput

    store = load_world()
    teacher = store.get("users", 2)
    category = store.get("group_categories", 1)
    changed, clean = [], []
    for _ in range(rounds):
        g = store.groups.create(teacher, GroupInput(name="Bench"), category)
        store.groups.update(teacher, g, GroupInput(members=["14", "15", "16"]))
        t0 = time.process_time()
        store.rollback()
        t1 = time.process_time()
        store.rollback()
        t2 = time.process_time()
        changed.append(t1 - t0)
        clean.append(t2 - t1)
    return {"after_change": median(changed), "nothing_changed": median(clean), "rounds": rounds}


def part_pytest(cfg: Config, res: Results, tmp: Path) -> None:
    log("part 2: pytest fixture cost")
    rb = bench_rollback(cfg.rollback_rounds)
    log(f"  store.rollback() after a typical test: {us(rb['after_change'])} µs")
    groups = [["empty"], ["change", "after_change"], ["client"], ["server"]]  # blocks in turn, in this order
    if importlib.util.find_spec("pytest_aiohttp") is None:
        groups.remove(["client"])
    kinds = [kind for group in groups for kind in group]
    wall, runs = run_pytest_session("all", groups, cfg.pytest_tests, tmp, PYTEST_BLOCK)
    # the plugin's cost to a test that does not use it: modules of empty tests only, without and with it
    wall_off, alone = run_pytest_session("no_plugin", [["empty"]], cfg.pytest_tests, tmp, PYTEST_BLOCK,
                                         ("-p", "no:mockcanvas"))
    runs["empty_no_plugin"] = alone["empty"]
    wall_on, alone = run_pytest_session("empty_only", [["empty"]], cfg.pytest_tests, tmp, PYTEST_BLOCK)
    runs["empty_only"] = alone["empty"]
    wall_loop = 0.0
    if ["client"] in groups:
        # the same empty and canvas_client tests with every async test and fixture on one session loop
        wall_loop, alone = run_pytest_session("session_loop", [["empty"], ["client"]], cfg.pytest_tests, tmp,
                                              PYTEST_BLOCK, ini=_PYTEST_INI_SESSION_LOOP)
        runs["empty_session_loop"], runs["client_session_loop"] = alone["empty"], alone["client"]
    for kind, r in runs.items():
        log(f"  {kind}: {us(r['per_test'])} µs CPU per test")
    res.raw["pytest"] = {"rollback": rb, "runs": runs, "session_wall_s": wall, "no_plugin_session_wall_s": wall_off,
                         "empty_only_session_wall_s": wall_on, "session_loop_wall_s": wall_loop}
    empty = runs["empty"]["per_test"]
    rows = []
    labels = {k: v[0] for k, v in _TESTS.items()} | {
        "empty_no_plugin": "(a module of empty tests only, mockcanvas plugin disabled: `-p no:mockcanvas`)",
        "empty_only": "(a module of empty tests only, plugin enabled)",
        "empty_session_loop": "an empty test, in a run on one session event loop",
        "client_session_loop": "`canvas_client` + one `GET /api/v1/groups/1`, on one session event loop"}
    loop_kinds = ["empty_session_loop", "client_session_loop"] if "client_session_loop" in runs else []
    for kind in ["empty_no_plugin", "empty_only", *kinds, *loop_kinds]:
        r = runs[kind]
        base = runs["empty_session_loop"]["per_test"] if kind in loop_kinds else empty
        rows.append([labels[kind], us(r["per_test"]), f"{r['per_test'] / base:.1f}×", us(r["setup"]),
                     us(r["call"]), us(r["teardown"]), us(r["per_test_wall"]), ms(r["first"], 1)])
    change_setup = runs["after_change"]["setup"]
    t_rb = res.check("2", "`store.rollback()` of the default world after a typical test", rb["after_change"] * 1e3,
                     "{:.3f} ms", 2.0, target="< 2 ms")
    t_setup = res.check("2", "`canvas_store` setup (rollback) after a test that changed the world",
                        change_setup * 1e3, "{:.3f} ms", 2.0, target="< 2 ms")
    checks = [
        [(f"`store.rollback()` after a typical test (median of {rb['rounds']:,}; "
          f"{us(rb['nothing_changed'])} µs with nothing to undo)"),
         f"{rb['after_change'] * 1e3:.3f} ms", "< 2 ms", t_rb],
        ["`canvas_store` setup after a test that changed the world", f"{change_setup * 1e3:.3f} ms", "< 2 ms",
         t_setup],
    ]
    for kind in ("client", "server"):
        if kind in runs:
            ratio = runs[kind]["per_test"] / empty
            label = f"{_TESTS[kind][0]}: per-test cost / empty test"
            checks.append([label, f"{ratio:.1f}×", "< 3×", res.check("2", label, ratio, "{:.1f}×", 3.0,
                                                                     target="< 3×")])
    if loop_kinds:
        ratio = runs["client_session_loop"]["per_test"] / runs["empty_session_loop"]["per_test"]
        label = "`canvas_client` + one `GET /api/v1/groups/1` on one session loop: per-test cost / empty test"
        checks.append([label, f"{ratio:.1f}×", "< 3×", res.check("2", label, ratio, "{:.1f}×", 3.0,
                                                                 target="< 3×")])
    sec = Section(
        "2. pytest fixture cost per test",
        f"One `python -m pytest -q -p no:cacheprovider` run ({wall:.1f} s) of {cfg.pytest_tests} parametrized "
        "copies of each test from the third row on, in one generated module (asyncio_mode=auto), with the "
        "mockcanvas plugin loaded from its entry point. The kinds take turns in blocks of "
        f"{PYTEST_BLOCK} tests, in the order of the table, and each test that makes changes is followed by "
        "one of the next row; ratios are to the empty test of this run. The first two rows come from runs "
        "of a module of empty tests only, without the plugin "
        f"({wall_off:.1f} s) and with it ({wall_on:.1f} s): what the plugin costs a test that does not use it. "
        "The last two rows come from a run of the empty and `canvas_client` tests with "
        "`asyncio_default_fixture_loop_scope = session` and `asyncio_default_test_loop_scope = session` "
        f"({wall_loop:.1f} s), where `canvas_client` reuses its app (an aiohttp app serves one event loop); "
        "their ratios are to that run's empty test. "
        "Conftest hooks time each test's whole run protocol (setup, call, teardown and reporting) and each "
        "phase, in CPU time of the pytest process (which includes the `canvas_server` thread, and hardly "
        "depends on other load on the machine) and in wall time; figures are medians over the tests after "
        "the first of each kind, whose wall time (world load, server start) is shown apart. "
        "`store.rollback()` is timed in-process (CPU time) after a typical test's changes: a group created "
        "and three members set.",
    )
    sec.tables.append((["test", "per test, CPU (µs)", "/ empty", "setup (µs)", "call (µs)", "teardown (µs)",
                        "per test, wall (µs)", "first test, wall (ms)"], rows))
    sec.tables.append((["figure", "measured", "target", "result"], checks))
    res.sections.append(sec)
