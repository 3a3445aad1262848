"""The mockcanvas benchmark (issue 7): one command, one machine, one table per part.

    python bench/run.py [--quick] [--out BENCHMARKS.md] [--json RESULTS.json] [--keep]
                        [--loadgen auto|wrk|python] [--parts 1,2,3,4,5] [--fail-on-miss]

The parts, each in a module of this folder whose docstring says what it measures and how:

1. HTTP (``part_http.py``): requests/s and p50/p99 latency of two routes of ``mockcanvas serve``, against a
   bare aiohttp app (``bench/bare_server.py``) answering the same JSON, with ``wrk`` or ``bench/loadgen.py``.
2. pytest fixture cost (``part_pytest.py``): generated, parametrized tests run by one ``python -m pytest``
   subprocess, timed per test by conftest hooks; plus ``store.rollback()`` timed in-process.
3. Start-up to first answer (``part_startup.py``): ``mockcanvas serve`` and ``CanvasServer(store).start()``.
4. A page of a list as the collection grows (``part_pages.py``): page 1 and the last page of a group's
   memberships with 100, 10,000 and 100,000 members, as a ratio to the smallest group.
5. A large generated world (``part_world.py``, ``bench/world_child.py``): ``load_world`` wall time and peak
   RSS of 100,000 users, 1,000 courses and 10,000 groups, in a fresh process.

``common.py`` holds what the parts share (configuration, results and targets, process and HTTP helpers, the
report); this script parses the command line, runs the chosen parts and writes the report.

In-process figures are CPU time, so that other load on the machine hardly moves them; the report
states how busy the machine was. Writes BENCHMARKS.md: machine, date, every figure with its target
and PASS/MISS. ``--quick`` is a smoke run of about a minute: shorter runs, fewer repetitions, and a
world ten times smaller in part 5 (whose targets then do not apply). Exit status 2 when a part
failed to run, 1 with ``--fail-on-miss`` when a target is missed, else 0.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

# the parts are modules of this folder, on sys.path as the script's folder (unless python -P, -I or
# PYTHONSAFEPATH leaves it out)
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ERROR,
    MISS,
    NONE,
    ROOT,
    Config,
    Results,
    Section,
    Target,
    load_average,
    log,
    machine_busy_seconds,
    own_cpu_seconds,
    render,
)
from part_http import part_http  # noqa: E402
from part_pages import part_pages  # noqa: E402
from part_pytest import part_pytest  # noqa: E402
from part_startup import part_startup  # noqa: E402
from part_world import part_world  # noqa: E402

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
