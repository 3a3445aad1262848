"""The mockcanvas benchmark (issue 7): one command, one machine, one table per part.

    python bench/run.py [--quick] [--out BENCHMARKS.md] [--json RESULTS.json] [--keep]
                        [--loadgen auto|wrk|python] [--parts 1,2,3,4,5] [--fail-on-miss]

1. HTTP: requests/s and p50/p99 latency of ``GET /api/v1/groups/1`` and of
   ``GET /api/v1/groups/1/memberships?per_page=10`` from ``mockcanvas serve``, against a bare aiohttp
   app (``bench/bare_server.py``) answering the same JSON from a dict. Each server is a process of
   its own; the load comes from ``wrk`` when installed, else from ``bench/loadgen.py`` (a separate
   Python process). With two CPUs or more (and ``taskset``) the servers and the load generator are
   pinned to different CPUs. Rounds alternate the two servers; figures are medians over the rounds.
   The servers' CPU time is read from /proc, giving requests per server CPU-second as well.
2. pytest fixture cost: generated test files (an empty test, ``canvas_store``, ``canvas_store`` after
   a test that changed the world, ``canvas_client`` + one request, ``canvas_url`` + one request), each
   parametrized many times, run by one ``python -m pytest`` subprocess (and the empty test again
   with the plugin disabled); conftest hooks time every test's whole run protocol and its phases in
   CPU and wall time. Plus ``store.rollback()`` timed in-process after a typical test's changes.
3. Start-up to first answer: ``mockcanvas serve`` from process start to the first 200 of
   ``/__mockcanvas__/health``; ``CanvasServer(store).start()`` to the first answer, in-process.
4. Page 1 and the last page of a group's memberships with 100, 10,000 and 100,000 members, through
   aiohttp's in-process test client, as a ratio to the smallest group.
5. A generated world of 100,000 users, 1,000 courses and 10,000 groups (``bench/world_child.py``):
   ``load_world`` wall time and peak RSS, in a fresh process.

In-process figures are CPU time, so that other load on the machine hardly moves them; the report
states how busy the machine was. Writes BENCHMARKS.md: machine, date, every figure with its target
and PASS/MISS. ``--quick`` is a smoke run of about a minute: shorter runs, fewer repetitions, and a
world ten times smaller in part 5 (whose targets then do not apply). Exit status 2 when a part
failed to run, 1 with ``--fail-on-miss`` when a target is missed, else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import http.client
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
TOKEN = "teacher-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HEALTH = "/__mockcanvas__/health"
GROUP_PATH = "/api/v1/groups/1"
LIST_PATH = "/api/v1/groups/1/memberships?per_page=10"

PASS, MISS, NONE, NA, ERROR = "PASS", "MISS", "—", "n/a", "ERROR"


# -- configuration ---------------------------------------------------------------------------


@dataclass
class Config:
    quick: bool
    loadgen: str  # "wrk" or "python"
    connections: int = 10
    http_seconds: int = 8
    http_warmup: float = 1.0
    http_rounds: int = 3
    pytest_tests: int = 300
    rollback_rounds: int = 2000
    cli_starts: int = 5
    fixture_starts: int = 20
    page_sizes: tuple[int, ...] = (100, 10_000, 100_000)
    page_rounds: int = 200
    world: tuple[int, int, int] = (100_000, 1_000, 10_000)  # users, courses, groups
    world_timeout: float = 600.0
    cpus: tuple[int, int] | None = None  # (server, load generator)

    @classmethod
    def make(cls, quick: bool, loadgen: str) -> Config:
        cfg = cls(quick=quick, loadgen=loadgen)
        if quick:
            cfg.http_seconds, cfg.http_warmup, cfg.http_rounds = 2, 0.5, 1
            cfg.pytest_tests, cfg.rollback_rounds = 100, 300
            cfg.cli_starts, cfg.fixture_starts = 2, 5
            cfg.page_rounds = 30
            cfg.world = (10_000, 100, 1_000)
            cfg.world_timeout = 120.0
        allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        if len(allowed) >= 2 and shutil.which("taskset"):
            cfg.cpus = (allowed[0], allowed[1])
        return cfg


# -- results ---------------------------------------------------------------------------------


@dataclass
class Target:
    part: str
    figure: str
    value: str
    target: str
    result: str


@dataclass
class Section:
    title: str
    intro: str = ""
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Results:
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def check(self, part: str, figure: str, value: float | None, fmt: str, limit: float, *,
              at_most: bool = True, target: str, applies: bool = True) -> str:
        """Record one target; return PASS, MISS or n/a."""
        if value is None:
            shown, result = "not measured", MISS
        else:
            shown = fmt.format(value)
            ok = value <= limit if at_most else value >= limit
            result = (PASS if ok else MISS) if applies else NA
        self.targets.append(Target(part, figure, shown, target, result))
        return result


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f}"


def ms(seconds: float, digits: int = 2) -> str:
    return f"{seconds * 1e3:,.{digits}f}"


# -- processes and HTTP ----------------------------------------------------------------------


def pinned(cmd: list[str], cpu: int | None) -> list[str]:
    """``cmd`` run on one CPU (through ``taskset``, which Config.make checked for)."""
    return cmd if cpu is None else ["taskset", "-c", str(cpu), *cmd]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(host: str, port: int, path: str, headers: dict[str, str] | None = None,
             timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def wait_for_health(port: int, proc: subprocess.Popen | None, timeout: float = 60.0) -> float:
    """Poll ``/__mockcanvas__/health`` until it answers 200; return the perf_counter of that."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering")
        try:
            status, _, _ = http_get("127.0.0.1", port, HEALTH, timeout=2.0)
        except OSError:
            time.sleep(0.002)
            continue
        if status == 200:
            return time.perf_counter()
    raise RuntimeError(f"no answer from port {port} within {timeout:.0f}s")


class ServerProcess:
    """A server in a subprocess that prints ``... listening on http://HOST:PORT`` when ready."""

    def __init__(self, cmd: list[str], cpu: int | None, log_path: Path) -> None:
        self.log_path = log_path
        with open(log_path, "w", encoding="utf-8") as errs:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(pinned(cmd, cpu), stdout=subprocess.PIPE, stderr=errs, text=True,
                                         cwd=ROOT)
        self.url = self._wait_url(30.0)
        m = re.match(r"http://([^:/]+):(\d+)", self.url)
        assert m, self.url
        self.host, self.port = m.group(1), int(m.group(2))
        # keep reading so that nothing the server prints can ever block it
        threading.Thread(target=self._drain, daemon=True).start()

    def _wait_url(self, timeout: float) -> str:
        found: list[str] = []

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                m = re.search(r"listening on (http://\S+)", line)
                if m:
                    found.append(m.group(1))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found:
            self.stop()
            raise RuntimeError(f"{self.proc.args} did not report its address (see {self.log_path})")
        return found[0]

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux /proc; else 0)."""
        return process_cpu_seconds(self.proc.pid)

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for _ in self.proc.stdout:
            pass

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def status_kb(pid: int, name: str) -> int:
    """A field of /proc/PID/status in KiB (Linux); 0 elsewhere."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine_busy_seconds() -> float:
    """CPU-seconds all processes of the machine have used since boot (Linux /proc/stat; else 0)."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    except (OSError, ValueError):
        return 0.0
    return (user + nice + system + irq + softirq + steal) / _TICKS


def own_cpu_seconds() -> float:
    """CPU-seconds of this process and of its finished children (servers, load generators)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def mockcanvas_command() -> list[str]:
    script = Path(PY).parent / "mockcanvas"
    return [str(script)] if script.exists() else [PY, "-m", "mockcanvas"]


# -- load generators -------------------------------------------------------------------------

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def parse_wrk(text: str) -> dict[str, float]:
    def latency(pct: str) -> float:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
        if not m:
            raise ValueError(f"no {pct}% latency in wrk output:\n{text}")
        return float(m.group(1)) * _UNITS[m.group(2)] * 1e3

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if not rps or not total:
        raise ValueError(f"cannot read wrk output:\n{text}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "requests": int(total.group(1)),
        "rps": float(rps.group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def wrk_version() -> str:
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


def run_load(cfg: Config, server: ServerProcess, path: str, seconds: float, warmup: float) -> dict[str, float]:
    """Load ``path`` of ``server``; the result also has ``server_cpu_s``, the server's CPU time
    over the measured part (with wrk) or over warm-up and measurement (Python generator)."""
    cpu = cfg.cpus[1] if cfg.cpus else None
    url = f"http://{server.host}:{server.port}{path}"
    header = f"Authorization: Bearer {TOKEN}"
    if cfg.loadgen == "wrk":
        base = ["wrk", "-t1", f"-c{cfg.connections}", "--latency", "--timeout", "10s", "-H", header]
        if warmup > 0:
            subprocess.run(pinned(base + [f"-d{max(1, round(warmup))}s", url], cpu), capture_output=True,
                           check=True)
        c0 = server.cpu_seconds()
        out = subprocess.run(pinned(base + [f"-d{int(seconds)}s", url], cpu), capture_output=True, text=True,
                             check=True)
        result = parse_wrk(out.stdout)
        result["server_cpu_s"] = server.cpu_seconds() - c0
        result["server_busy"] = result["server_cpu_s"] / int(seconds)
        return result
    cmd = [PY, str(BENCH / "loadgen.py"), url, "-c", str(cfg.connections), "-d", str(seconds),
           "--warmup", str(warmup), "-H", header]
    c0 = server.cpu_seconds()
    out = subprocess.run(pinned(cmd, cpu), capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    # the warm-up's share of the server's CPU is taken out in proportion to time
    result["server_cpu_s"] = (server.cpu_seconds() - c0) * seconds / (seconds + warmup)
    result["server_busy"] = result["server_cpu_s"] / seconds
    return result


# -- part 1: HTTP throughput and latency -----------------------------------------------------


def part_http(cfg: Config, res: Results, tmp: Path) -> None:
    log("part 1: HTTP throughput, mockcanvas serve vs bare aiohttp")
    server_cpu = cfg.cpus[0] if cfg.cpus else None
    mock = ServerProcess(mockcanvas_command() + ["serve", "--port", "0"], server_cpu, tmp / "mock.log")
    bare = None
    try:
        endpoints = {"group": GROUP_PATH, "list": LIST_PATH}
        bodies: dict[str, dict[str, Any]] = {}
        sizes: dict[tuple[str, str], int] = {}
        for name, path in endpoints.items():
            status, headers, body = http_get(mock.host, mock.port, path, AUTH)
            if status != 200:
                raise RuntimeError(f"mock answered {status} to GET {path}")
            copied = {k: v for k, v in headers.items() if k.lower() == "link"}
            bodies[path.partition("?")[0]] = {"json": json.loads(body), "headers": copied}
            sizes["mock", name] = len(body)
        bodies_file = tmp / "bodies.json"
        bodies_file.write_text(json.dumps(bodies), encoding="utf-8")
        bare = ServerProcess([PY, str(BENCH / "bare_server.py"), "--port", "0", "--bodies", str(bodies_file)],
                             server_cpu, tmp / "bare.log")
        for name, path in endpoints.items():
            status, _, body = http_get(bare.host, bare.port, path, AUTH)
            if status != 200:
                raise RuntimeError(f"bare app answered {status} to GET {path}")
            sizes["bare", name] = len(body)
        servers = {"mock": mock, "bare": bare}
        runs: dict[tuple[str, str], list[dict[str, float]]] = {}
        for rnd in range(cfg.http_rounds):
            order = ("mock", "bare") if rnd % 2 == 0 else ("bare", "mock")
            for name, path in endpoints.items():
                for who in order:
                    r = run_load(cfg, servers[who], path, cfg.http_seconds, cfg.http_warmup)
                    if r["non_2xx"] or r["errors"]:
                        raise RuntimeError(f"{who} {path}: {r['non_2xx']} non-2xx answers, {r['errors']} errors")
                    r["per_cpu_s"] = r["requests"] / r["server_cpu_s"] if r["server_cpu_s"] > 0 else float("nan")
                    runs.setdefault((who, name), []).append(r)
                    log(f"  round {rnd + 1} {who:4} {path}: {r['rps']:,.0f} req/s, "
                        f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                        f"{r['per_cpu_s']:,.0f} req per server CPU-second")
        rss = {who: status_kb(srv.proc.pid, "VmRSS") / 1024 for who, srv in servers.items()}
    finally:
        mock.stop()
        if bare is not None:
            bare.stop()

    metrics = ("rps", "p50_ms", "p99_ms", "per_cpu_s", "server_busy")
    summary = {k: {m: median([r[m] for r in v]) for m in metrics} for k, v in runs.items()}
    res.raw["http"] = {f"{who}:{name}": {"runs": v, "median": summary[who, name], "body_bytes": sizes[who, name]}
                       for (who, name), v in runs.items()}
    res.raw["http_rss_mb"] = rss
    labels = {"group": f"`GET {GROUP_PATH}`", "list": f"`GET {LIST_PATH}`"}
    rows = []
    for name in endpoints:
        for who, label in (("mock", "mockcanvas serve"), ("bare", "bare aiohttp")):
            s = summary[who, name]
            rows.append([labels[name], label, f"{s['rps']:,.0f}", f"{s['p50_ms']:.2f}", f"{s['p99_ms']:.2f}",
                         f"{s['server_busy']:.0%}", f"{s['per_cpu_s']:,.0f}", str(sizes[who, name])])
    ratio_group = summary["mock", "group"]["rps"] / summary["bare", "group"]["rps"]
    ratio_list = summary["mock", "list"]["rps"] / summary["bare", "list"]["rps"]
    cpu_group = summary["mock", "group"]["per_cpu_s"] / summary["bare", "group"]["per_cpu_s"]
    cpu_list = summary["mock", "list"]["per_cpu_s"] / summary["bare", "list"]["per_cpu_s"]
    total = sum(r["requests"] for (who, _), v in runs.items() if who == "mock" for r in v)
    # Throughput at saturation is the inverse of the cost per request: when a server was not saturated
    # (its CPU under 85%), req/s measure the load generator or the machine's other load, so the target
    # is judged on requests per server CPU-second instead.
    known = all(r["server_cpu_s"] > 0 for v in runs.values() for r in v)  # /proc may be missing
    saturated = not known or all(summary[who, "group"]["server_busy"] >= 0.85 for who in ("mock", "bare"))
    basis = "req/s" if saturated else "req per server CPU-s (servers not saturated)"
    judged = ratio_group if saturated else cpu_group
    r1 = res.check("1", f"`GET {GROUP_PATH}` throughput, mock / bare, by {basis}", judged, "{:.0%}", 0.60,
                   at_most=False, target="≥ 60%")
    res.targets.append(Target("1", f"`GET {LIST_PATH}` throughput, mock / bare, by {basis}",
                              f"{ratio_list if saturated else cpu_list:.0%}", NONE, NONE))
    gen = wrk_version() if cfg.loadgen == "wrk" else "bench/loadgen.py (Python aiohttp client)"
    sec = Section(
        "1. HTTP throughput and latency",
        f"Each server is one process; load from {gen}, {cfg.connections} keep-alive connections, "
        f"{cfg.http_seconds} s per run after {cfg.http_warmup:g} s of warm-up, {cfg.http_rounds} round(s) "
        f"alternating the servers; medians over the rounds. Token `{TOKEN}` (the default world); the bare "
        "app answers the JSON the mock answered (and its `Link` header), serialized from a dict on every "
        "request." + (f" Servers on CPU {cfg.cpus[0]}, load generator on CPU {cfg.cpus[1]}." if cfg.cpus else "")
        + " The 60% target is judged on req/s when both servers kept their CPU busy (≥ 85%), otherwise on "
        "requests per server CPU-second (the same ratio at saturation).",
    )
    sec.tables.append((["request", "server", "req/s", "p50 (ms)", "p99 (ms)", "server CPU", "req per server CPU-s",
                        "body (bytes)"], rows))
    sec.tables.append((["figure", "measured", "target", "result"], [
        [f"`GET {GROUP_PATH}`: mock req/s / bare req/s", f"{ratio_group:.0%}", "≥ 60%" if saturated else NONE,
         r1 if saturated else NONE],
        [f"`GET {GROUP_PATH}`: the same per server CPU-second", f"{cpu_group:.0%}",
         NONE if saturated else "≥ 60%", NONE if saturated else r1],
        [f"`GET {LIST_PATH}`: mock req/s / bare req/s", f"{ratio_list:.0%}", NONE, NONE],
        [f"`GET {LIST_PATH}`: the same per server CPU-second", f"{cpu_list:.0%}", NONE, NONE],
    ]))
    idle = [f"{who} {labels[name]} ({summary[who, name]['server_busy']:.0%})"
            for (who, name) in summary if known and summary[who, name]["server_busy"] < 0.85]
    if idle:
        sec.notes.append(
            f"**Some servers were not saturated**: {', '.join(idle)} of one CPU. Either the load generator set "
            "the pace (the Python one is slower than wrk) or other processes took the server's CPU (see the "
            "machine's load above). Their req/s understate what the server can do and the req/s ratios are not "
            "the servers' costs; read the per-CPU-second ratios.")
    sec.notes.append(
        "“server CPU” is the server process's CPU time over the run's duration (100% = one CPU saturated); "
        "“req per server CPU-s” divides the requests answered by the CPU time the server process used "
        "meanwhile (from /proc): the server's cost per request, which other load on the machine hardly "
        f"changes. Resident memory of the servers at the end: mock {rss['mock']:.0f} MB after "
        f"{total:,} measured requests, bare {rss['bare']:.0f} MB.")
    res.sections.append(sec)


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


# -- part 3: start-up ------------------------------------------------------------------------


def reap(proc: subprocess.Popen, timeout: float = 10.0) -> float:
    """Wait for ``proc`` (SIGKILL after ``timeout``); return the CPU time it used in its whole life."""
    deadline = time.perf_counter() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        if time.perf_counter() > deadline:
            proc.kill()
            deadline = float("inf")
        time.sleep(0.005)


def time_process_start(cmd: list[str], port: int | None, cpu: int | None, log_path: Path) -> tuple[float, float]:
    """Process start to the first 200 of the health route (to its exit when ``port`` is None);
    return that wall time and the CPU time of the process's whole life."""
    with open(log_path, "w", encoding="utf-8") as errs:
        t0 = time.perf_counter()
        proc = subprocess.Popen(pinned(cmd, cpu), stdout=subprocess.DEVNULL, stderr=errs, cwd=ROOT)
    t1 = None
    try:
        if port is not None:
            t1 = wait_for_health(port, proc)
    finally:
        if port is not None and proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        used = reap(proc, 10.0 if port is not None else 60.0)
    if t1 is None:
        t1 = time.perf_counter()
    return t1 - t0, used


def part_startup(cfg: Config, res: Results, tmp: Path) -> None:
    log("part 3: start-up to first answer")
    cpu = cfg.cpus[0] if cfg.cpus else None
    starts: dict[str, list[tuple[float, float]]] = {"cli": [], "bare": [], "python": []}
    for _ in range(cfg.cli_starts):
        port = free_port()
        starts["cli"].append(time_process_start(mockcanvas_command() + ["serve", "--port", str(port)], port, cpu,
                                                tmp / "cli.log"))
        port = free_port()
        starts["bare"].append(time_process_start([PY, str(BENCH / "bare_server.py"), "--port", str(port)], port,
                                                 cpu, tmp / "bare_start.log"))
        starts["python"].append(time_process_start([PY, "-c", "pass"], None, cpu, tmp / "python.log"))
    cli = [w for w, _ in starts["cli"]]
    log(f"  mockcanvas serve: {ms(median(cli), 0)} ms")

    def walls(key: str) -> list[float]:
        return [w for w, _ in starts[key]]

    def cpus(key: str) -> str:
        return ms(median([c for _, c in starts[key]]), 0)

    from mockcanvas import CanvasServer, load_world

    def fixture_start(store: Any | None) -> tuple[float, float]:
        """``CanvasServer(store).start()`` (loading the default world when None) to the first 200:
        wall time and CPU time of this process (the server thread included)."""
        t0, c0 = time.perf_counter(), time.process_time()
        server = CanvasServer(store).start()
        try:
            status, _, _ = http_get(server.host, server.port, HEALTH)
            t1, c1 = time.perf_counter(), time.process_time()
            assert status == 200
        finally:
            server.stop()
        return t1 - t0, c1 - c0

    store = load_world()
    fixture_start(store)  # warm: imports done, as in a test session
    starts["fixture"] = [fixture_start(store) for _ in range(cfg.fixture_starts)]
    starts["fixture_load"] = [fixture_start(None) for _ in range(max(3, cfg.fixture_starts // 4))]
    warm = walls("fixture")
    log(f"  CanvasServer(store).start(): {ms(median(warm))} ms")
    res.raw["startup"] = starts

    def row(label: str, key: str, digits: int) -> list[str]:
        w = walls(key)
        return [label, ms(median(w), digits), ms(min(w), digits),
                ms(median([c for _, c in starts[key]]), digits), str(len(w))]

    rows = [
        row("`mockcanvas serve --port N` (default world): process start → first 200 of `/__mockcanvas__/health`",
            "cli", 0),
        row("baseline: `bench/bare_server.py` (bare aiohttp), process start → first 200", "bare", 0),
        row("baseline: `python -c pass`, process start → exit", "python", 0),
        row("`CanvasServer(store).start()` → first 200 (in-process, world already loaded: the fixture's case)",
            "fixture", 2),
        row("`CanvasServer().start()` → first 200 (in-process, loads the default world)", "fixture_load", 2),
    ]
    res.targets.append(Target("3", "`mockcanvas serve` start-up to first answer", f"{ms(median(cli), 0)} ms",
                              NONE, NONE))
    res.targets.append(Target("3", "`CanvasServer(store)` start to first answer", f"{ms(median(warm))} ms",
                              NONE, NONE))
    sec = Section("3. Start-up to first answer",
                  "The issue sets no target here; the baselines show the share of the interpreter and aiohttp. "
                  "Wall time from process start (or from the constructor) to the first 200; the CPU column is the "
                  "child's CPU time over its whole life (start, first answer, stop) for processes, and this "
                  "process's CPU time (server thread included) for `CanvasServer`. The first test of a pytest "
                  "session pays for the in-process start (part 2, first test).")
    sec.tables.append((["what", "wall, median (ms)", "wall, min (ms)", "CPU, median (ms)", "runs"], rows))
    res.sections.append(sec)


# -- part 4: page cost against collection size -----------------------------------------------


def group_with_members(n: int) -> tuple[Any, int]:
    """The default world plus one course-1 group with ``n`` accepted members (and their users)."""
    from mockcanvas import load_world

    store = load_world()
    first_user = max(u.id for u in store.all("users")) + 1
    for k in range(n):
        uid = first_user + k
        store.insert("users", id=uid, name=f"Bench User {uid}", sortable_name=f"User {uid}, Bench",
                     short_name=f"Bench User {uid}", login_id=f"bench{uid}")
    group = store.insert("groups", name=f"Bench Group of {n}", context_type="Course", context_id=1,
                         root_account_id=1, group_category_id=1)
    for k in range(n):
        store.insert("memberships", group_id=group.id, user_id=first_user + k, workflow_state="accepted")
    return store, group.id


async def time_pages(worlds: dict[int, tuple[Any, int]], rounds: int) -> dict[int, dict[str, float]]:
    """Page 1 and the last page of each world's big group, the sizes interleaved request by request
    so that every size sees the same machine; medians of CPU time (client and server share it)."""
    from aiohttp.test_utils import TestClient, TestServer

    from mockcanvas import create_app

    async with contextlib.AsyncExitStack() as stack:
        targets = []  # (size, key, client, path)
        last_pages = {}
        for n, (store, gid) in worlds.items():
            client = await stack.enter_async_context(TestClient(TestServer(create_app(store))))
            path = f"/api/v1/groups/{gid}/memberships?per_page=10"
            first = await client.get(path, headers=AUTH)
            assert first.status == 200, first.status
            last_url = first.links["last"]["url"]
            last_pages[n] = int(last_url.query["page"])
            targets += [(n, "page1", client, path), (n, "last", client, f"{last_url.path}?{last_url.query_string}")]
        samples: dict[tuple[int, str], list[float]] = {(n, key): [] for n, key, _, _ in targets}
        for rnd in range(rounds + 5):  # the first 5 rounds warm up
            for n, key, client, path in targets:
                t0 = time.process_time()
                r = await client.get(path, headers=AUTH)
                body = await r.read()
                spent = time.process_time() - t0
                assert r.status == 200 and body.startswith(b"[{"), (r.status, body[:100])
                if rnd >= 5:
                    samples[n, key].append(spent)
    return {n: {"page1": median(samples[n, "page1"]), "last": median(samples[n, "last"]),
                "last_page": last_pages[n]} for n in worlds}


def part_pages(cfg: Config, res: Results, tmp: Path) -> None:
    log("part 4: page cost as the collection grows")
    worlds, build = {}, {}
    for n in cfg.page_sizes:
        t0 = time.perf_counter()
        worlds[n] = group_with_members(n)
        build[n] = time.perf_counter() - t0
    out = asyncio.run(time_pages(worlds, cfg.page_rounds))
    del worlds
    gc.collect()
    for n in cfg.page_sizes:
        out[n]["build_s"] = build[n]
        log(f"  {n:,} members: page 1 {us(out[n]['page1'])} µs, last page {us(out[n]['last'])} µs")
    res.raw["pages"] = out
    base = out[cfg.page_sizes[0]]
    rows = []
    for n in cfg.page_sizes:
        o = out[n]
        rows.append([f"{n:,}", us(o["page1"]), f"{o['last_page']:,}", us(o["last"]),
                     f"{o['page1'] / base['page1']:.2f}", f"{o['last'] / base['last']:.2f}"])
    big = cfg.page_sizes[-1]
    checks = []
    for key, label in (("page1", "page 1"), ("last", "last page")):
        ratio = out[big][key] / base[key]
        figure = f"{label} of a {big:,}-member list / {cfg.page_sizes[0]:,}-member list"
        checks.append([figure, f"{ratio:.2f}", "≤ 1.5", res.check("4", figure, ratio, "{:.2f}", 1.5,
                                                                  target="≤ 1.5")])
    sec = Section(
        "4. A page of a list as the collection grows",
        "`GET /api/v1/groups/:id/memberships?per_page=10` as the teacher, page 1 and the last page (the "
        "`last` link), for a group of the default world's course 1 with that many accepted members, "
        f"inserted with `store.insert` (one world per size, all loaded together). aiohttp test client "
        f"in-process; the sizes and pages take turns request by request; medians of {cfg.page_rounds} requests "
        "each, in CPU time of the process (client and server together). Ratios are to the same page of the "
        "smallest group.",
    )
    sec.tables.append((["members", "page 1 (µs)", "last page no.", "last page (µs)", "page 1 / smallest",
                        "last page / smallest"], rows))
    sec.tables.append((["figure", "measured", "target", "result"], checks))
    res.sections.append(sec)


# -- part 5: a large generated world ---------------------------------------------------------


def part_world(cfg: Config, res: Results, tmp: Path) -> None:
    users, courses, groups = cfg.world
    log(f"part 5: load a generated world of {users:,} users, {courses:,} courses, {groups:,} groups")
    path = tmp / "world.yaml"
    child = [PY, str(BENCH / "world_child.py")]
    written = json.loads(subprocess.run(child + ["write", str(path), "--users", str(users), "--courses",
                                                 str(courses), "--groups", str(groups)],
                                        capture_output=True, text=True, check=True).stdout)
    t0 = time.perf_counter()
    try:
        out = subprocess.run(child + ["load", str(path)], capture_output=True, text=True, timeout=cfg.world_timeout,
                             cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        data = None
    else:
        if out.returncode != 0:
            raise RuntimeError(f"loading the world failed:\n{out.stderr[-3000:]}")
        data = json.loads(out.stdout)
    wall = time.perf_counter() - t0
    res.raw["world"] = {"written": written, "load": data, "process_wall_s": wall}
    applies = not cfg.quick
    full = "" if applies else " (targets for the full-size world only)"
    scale = f"{users:,} users, {courses:,} courses, {groups:,} groups"
    if data is None:
        log(f"  timed out after {cfg.world_timeout:.0f} s")
        res.check("5", f"`load_world` wall time, {scale}", None, "{}", 10.0, target="< 10 s")
        res.check("5", f"peak RSS of the loading process, {scale}", None, "{}", 500.0, target="< 500 MB")
        rows = [["`load_world` wall time", f"did not finish within {cfg.world_timeout:.0f} s", "< 10 s", MISS]]
    else:
        log(f"  {data['seconds']:.1f} s, peak RSS {data['peak_rss_mb']:.0f} MB")
        t_time = res.check("5", f"`load_world` wall time, {scale}", data["seconds"], "{:.1f} s", 10.0,
                           target="< 10 s", applies=applies)
        t_mem = res.check("5", f"peak RSS of the loading process, {scale}", data["peak_rss_mb"], "{:.0f} MB",
                          500.0, target="< 500 MB", applies=applies)
        rows = [
            ["`load_world` wall time", f"{data['seconds']:.1f} s", "< 10 s", t_time],
            ["`load_world` CPU time", f"{data['cpu_seconds']:.1f} s", NONE, NONE],
            ["peak RSS of the process (VmHWM)", f"{data['peak_rss_mb']:.0f} MB", "< 500 MB", t_mem],
            ["RSS before loading (interpreter + imports)", f"{data['rss_before_mb']:.0f} MB", NONE, NONE],
            ["RSS after loading (the world kept)", f"{data['rss_after_mb']:.0f} MB", NONE, NONE],
            ["whole subprocess wall time", f"{wall:.1f} s", NONE, NONE],
        ]
    rows_txt = ", ".join(f"{v:,} {k}" for k, v in (data or {}).get("rows", {}).items())
    sec = Section(
        "5. Loading a large generated world",
        f"A world file ({written['bytes'] / 1e6:.1f} MB of YAML, written by `bench/world_child.py`): one root "
        f"account, a teacher of every course, per course a `generate:` entry of {users // courses} students "
        f"enrolled in it, one group category and {groups // courses} groups, every student in one group. "
        f"Loaded by `load_world` in a fresh process{full}." + (f" Rows loaded: {rows_txt}." if rows_txt else ""),
    )
    sec.tables.append((["figure", "measured", "target", "result"], rows))
    res.sections.append(sec)


# -- the report ------------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, {platform.system()} {platform.release()}"
    return platform.platform()


def memory_total() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}" + (" (with uncommitted changes)" if dirty else "")


def machine(cfg: Config) -> list[list[str]]:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    n_allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gen = wrk_version() if cfg.loadgen == "wrk" else "bench/loadgen.py (wrk not found)"
    return [
        ["CPU", f"{cpu_model()}, {os.cpu_count()} logical CPUs ({n_allowed} usable)"],
        ["memory", memory_total()],
        ["OS", os_name()],
        ["Python", f"{platform.python_version()} ({platform.python_implementation()})"],
        ["aiohttp", version("aiohttp")],
        ["pytest / pytest-aiohttp", f"{version('pytest')} / {version('pytest-aiohttp')}"],
        ["mockcanvas", f"{version('mockcanvas')}, commit {git_state()}"],
        ["load generator", gen],
        ["CPU pinning", f"servers on CPU {cfg.cpus[0]}, load generator on CPU {cfg.cpus[1]}" if cfg.cpus
         else "none (fewer than 2 CPUs or no taskset)"],
    ]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    def numeric(cell: str) -> bool:
        return re.fullmatch(r"[\d,.]+(?: ?(?:ms|s|MB|µs|×|%))?", cell) is not None

    def right(col: int) -> bool:  # numbers (and the odd blank) right-aligned
        cells = [r[col] for r in rows]
        return any(numeric(c) for c in cells) and all(numeric(c) or c in (NONE, NA, "") for c in cells)

    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if right(i) else "---" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render(cfg: Config, res: Results, started: dt.datetime, elapsed: float, argv: list[str]) -> str:
    cmd = " ".join(["python bench/run.py", *argv])
    lines = ["# Benchmarks", "",
             (f"Generated by `{cmd}` on {started:%Y-%m-%d %H:%M} UTC "
              f"({'quick smoke run' if cfg.quick else 'full run'}, {elapsed:.0f} s). All figures come from this "
              "one run on this one machine; ratios compare figures measured side by side in it. Regenerate "
              "with `python bench/run.py` (see README, Benchmarks)."), ""]
    quiet = res.raw.get("quiet", {})
    others = quiet.get("other_cpu_s")
    rows = machine(cfg) + [["load average (1/5/15 min) at start", quiet.get("loadavg_start", "unknown")]]
    if others is not None:
        rows.append(["CPU used by other processes during the run",
                     f"{others:,.0f} CPU-s in {elapsed:.0f} s (on average {others / elapsed:.0%} of one CPU)"])
    lines += table(["machine", ""], rows) + [""]
    if others is not None and others / elapsed > 0.10:
        lines += [("**Other processes were busy on this machine during the run** (see above): the wall-clock "
                  "figures (req/s and latency in part 1, start-up in part 3, load time in part 5) are slower "
                  "than on an idle machine. The CPU-time figures (parts 2 and 4, and req per server CPU-s "
                  "in part 1) are hardly affected."), ""]
    misses = [t for t in res.targets if t.result == MISS]
    lines += ["## Targets", "",
              f"{sum(t.result == PASS for t in res.targets)} PASS, {len(misses)} MISS"
              + (f", {sum(t.result == NA for t in res.targets)} n/a (quick run)" if cfg.quick else "")
              + (f", {sum(t.result == ERROR for t in res.targets)} ERROR" if any(t.result == ERROR for t in res.targets)
                 else "") + ".", ""]
    lines += table(["part", "figure", "measured", "target", "result"],
                   [[t.part, t.figure, t.value, t.target, t.result] for t in res.targets]) + [""]
    for sec in res.sections:
        lines += [f"## {sec.title}", ""]
        if sec.intro:
            lines += [sec.intro, ""]
        for header, rows in sec.tables:
            lines += table(header, rows) + [""]
        for note in sec.notes:
            lines += [note, ""]
    return "\n".join(lines)


PARTS: dict[str, Callable[[Config, Results, Path], None]] = {
    "1": part_http, "2": part_pytest, "3": part_startup, "4": part_pages, "5": part_world,
}


@contextlib.contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="mockcanvas-bench-"))
    try:
        yield path
    finally:
        if keep:
            log(f"scratch files kept in {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="Run the mockcanvas benchmarks and write BENCHMARKS.md.")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (about a minute)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="the report (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write every raw figure as JSON here")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto",
                        help="HTTP load generator: wrk if installed (auto), or bench/loadgen.py")
    parser.add_argument("--parts", default="1,2,3,4,5", help="which parts to run, e.g. 1,4 (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (logs, generated tests)")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    loadgen = args.loadgen
    if loadgen == "auto":
        loadgen = "wrk" if shutil.which("wrk") else "python"
    elif loadgen == "wrk" and not shutil.which("wrk"):
        parser.error("--loadgen wrk: wrk is not on PATH")
    cfg = Config.make(args.quick, loadgen)
    res = Results()
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    busy0, own0 = machine_busy_seconds(), own_cpu_seconds()
    res.raw["quiet"] = {"loadavg_start": load_average()}
    if hasattr(os, "getloadavg") and os.getloadavg()[0] > 0.5:
        log(f"note: load average {load_average()}: other processes are busy; wall-clock figures will suffer")
    with workdir(args.keep) as tmp:
        for p in parts:
            try:
                PARTS[p](cfg, res, tmp)
            # one broken part must not lose the others' figures
            except (RuntimeError, OSError, subprocess.SubprocessError, ValueError, AssertionError, KeyError,
                    IndexError, ZeroDivisionError) as exc:
                detail = traceback.format_exc()
                log(f"part {p} failed:\n{detail}")
                res.targets.append(Target(p, f"part {p} did not complete", type(exc).__name__, NONE, ERROR))
                res.sections.append(Section(f"{p}. (failed)", f"Part {p} raised:\n\n```\n{detail.rstrip()}\n```"))
    elapsed = time.perf_counter() - t0
    if busy0:
        res.raw["quiet"]["other_cpu_s"] = max(0.0, machine_busy_seconds() - busy0 - (own_cpu_seconds() - own0))
    args.out.write_text(render(cfg, res, started, elapsed, argv), encoding="utf-8")
    log(f"wrote {args.out} ({elapsed:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({"started": started.isoformat(), "quick": cfg.quick, "loadgen": loadgen,
                                         "targets": [t.__dict__ for t in res.targets], "raw": res.raw},
                                        indent=1, default=str), encoding="utf-8")
    for t in res.targets:
        if t.result != NONE:
            log(f"  [{t.result}] part {t.part}: {t.figure}: {t.value} (target {t.target})")
    if any(t.result == ERROR for t in res.targets):
        return 2
    return 1 if args.fail_on_miss and any(t.result == MISS for t in res.targets) else 0


if __name__ == "__main__":
    sys.exit(main())
