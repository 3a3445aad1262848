"""Part 5 of the benchmark: a large generated world, written as YAML and loaded in a fresh process.

    python bench/world_child.py write WORLD.yaml [--users 100000 --courses 1000 --groups 10000]
    python bench/world_child.py load WORLD.yaml

``write`` makes a world in the format of docs/worlds.md: one root account, a teacher (token
``teacher-token``) teaching every course, and per course a ``generate:`` entry of its students
(enrolled in that course), one group category and its groups, the students split evenly into the
groups (so there are as many memberships as users).

``load`` runs ``load_world`` on it in this process and prints one JSON object: the wall and CPU
time of ``load_world``, the resident memory before it (interpreter and imports), its peak (``VmHWM``) and
what stays resident after it, and the row counts. Run it in a subprocess of its own so that the
peak is the world's and nothing else's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def write_world(path: Path, users: int, courses: int, groups: int) -> dict[str, int]:
    """Write the world file; return what it holds."""
    if users % courses or groups % courses or (users // courses) % (groups // courses):
        raise ValueError("users and groups must split evenly over courses, students over groups")
    per_course = users // courses
    groups_per_course = groups // courses
    per_group = per_course // groups_per_course
    out = ["seed: 2024", "accounts:", "  - {key: root, id: 1, name: Bench University}",
           "users:", "  - {key: teach, name: Tess Teacher, login_id: teacher, tokens: [teacher-token]}",
           "generate:"]
    for c in range(1, courses + 1):
        out.append(f"  - {{prefix: c{c}s, count: {per_course}, enroll: {{course: c{c}}}}}")
    out.append("courses:")
    for c in range(1, courses + 1):
        out.append(f"  - {{key: c{c}, name: Bench Course {c}, course_code: BENCH{c}, account: root}}")
    out.append("enrollments:")
    for c in range(1, courses + 1):
        out.append(f"  - {{user: teach, course: c{c}, type: teacher}}")
    out.append("group_categories:")
    for c in range(1, courses + 1):
        out.append(f"  - {{key: gc{c}, name: Projects {c}, course: c{c}}}")
    out.append("groups:")
    for c in range(1, courses + 1):
        for g in range(groups_per_course):
            first = g * per_group + 1
            members = ", ".join(f"c{c}s{n}" for n in range(first, first + per_group))
            out.append(f"  - {{name: Group {c}-{g + 1}, category: gc{c}, members: [{members}]}}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return {"users": users + 1, "courses": courses, "groups": groups, "memberships": users,
            "bytes": path.stat().st_size}


def _status_kb(field: str) -> int:
    """A field of /proc/self/status in KiB (Linux); 0 elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_rss_kb() -> int:
    kb = _status_kb("VmHWM")
    if kb:
        return kb
    import resource  # not on Windows; ru_maxrss is KiB on Linux, bytes on macOS

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def load(path: Path) -> dict[str, float]:
    from mockcanvas import load_world

    before = _status_kb("VmRSS")
    t0, c0 = time.perf_counter(), time.process_time()
    store = load_world([path])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rss_before_mb": before / 1024,
        "peak_rss_mb": peak_rss_kb() / 1024,
        "rss_after_mb": _status_kb("VmRSS") / 1024,
        "rows": {t: len(store.rows[t]) for t in ("users", "courses", "enrollments", "groups",
                                                  "memberships")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("write", "load"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--courses", type=int, default=1_000)
    parser.add_argument("--groups", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.command == "write":
        result = write_world(args.path, args.users, args.courses, args.groups)
    else:
        result = load(args.path)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
