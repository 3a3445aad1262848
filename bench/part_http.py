"""Part 1 of the benchmark (``bench/run.py``): HTTP throughput and latency.

Requests/s and p50/p99 latency of ``GET /api/v1/groups/1`` and of ``GET /api/v1/groups/1/memberships?per_page=10``
from ``mockcanvas serve``, against a bare aiohttp app (``bench/bare_server.py``) answering the same JSON from a
dict. Each server is a process of its own; the load comes from ``wrk`` when installed, else from
``bench/loadgen.py`` (a separate Python process). With two CPUs or more (and ``taskset``) the servers and the
load generator are pinned to different CPUs. Rounds alternate the two servers; figures are medians over the
rounds. The servers' CPU time is read from /proc, giving requests per server CPU-second as well.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from common import (
    AUTH,
    BENCH,
    GROUP_PATH,
    LIST_PATH,
    NONE,
    PY,
    TOKEN,
    Config,
    Results,
    Section,
    ServerProcess,
    Target,
    http_get,
    log,
    median,
    mockcanvas_command,
    pinned,
    status_kb,
    wrk_version,
)

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
