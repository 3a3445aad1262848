"""Part 3 of the benchmark (``bench/run.py``): start-up to the first answer.

``mockcanvas serve`` from process start to the first 200 of ``/__mockcanvas__/health`` (with a bare aiohttp
app and ``python -c pass`` as baselines); ``CanvasServer(store).start()`` to the first answer, in-process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    HEALTH,
    NONE,
    PY,
    ROOT,
    Config,
    Results,
    Section,
    Target,
    free_port,
    http_get,
    log,
    median,
    mockcanvas_command,
    ms,
    pinned,
    wait_for_health,
)

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
