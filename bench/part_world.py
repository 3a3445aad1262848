"""Part 5 of the benchmark (``bench/run.py``): loading a large generated world.

A generated world of 100,000 users, 1,000 courses and 10,000 groups (written and loaded by
``bench/world_child.py``): ``load_world`` wall time and peak RSS, in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from common import BENCH, MISS, NONE, PY, ROOT, Config, Results, Section, log

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
