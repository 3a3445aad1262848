"""What the parts of the benchmark (``bench/run.py``) share: the configuration, the results and their
targets, helpers for the log and the figures, for processes, CPU time and HTTP, and the report written to
BENCHMARKS.md (the machine, the targets, one section per part).

Not a script: ``run.py`` and the ``part_*.py`` modules import it by name, with ``bench/`` on ``sys.path``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import importlib.metadata
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
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


def wrk_version() -> str:
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


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


GAPS_NOTE = ("Where a target is missed, [docs/performance.md](docs/performance.md) explains the gap with a "
             "profile (and keeps the figures from before the fixes).")


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
    if misses:
        lines += [GAPS_NOTE, ""]
    for sec in res.sections:
        lines += [f"## {sec.title}", ""]
        if sec.intro:
            lines += [sec.intro, ""]
        for header, rows in sec.tables:
            lines += table(header, rows) + [""]
        for note in sec.notes:
            lines += [note, ""]
    return "\n".join(lines)
