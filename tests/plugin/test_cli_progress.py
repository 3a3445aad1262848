"""``mockcanvas serve --progress-policy``: the policy reaches the served store, and a bad one is a
usage error (exit 2). Subprocess style of ``test_server_cli.py``: bounded waits, SIGTERM at the end."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0
TEAMS = 3  # "Self Sign-up Teams": self_signup enabled (not restricted), so assignment is allowed


def call(method: str, url: str, token: str | None = "teacher-token", body: dict | None = None) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, method=method, headers=headers, data=data)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start_cli(*args: str) -> tuple[subprocess.Popen, str]:
    """Start ``mockcanvas serve``; wait (bounded) for its listening line."""
    proc = subprocess.Popen([sys.executable, "-m", "mockcanvas", "serve", *args], cwd=ROOT,
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + TIMEOUT
    try:
        while True:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line is None:
                break
            if line.startswith("mockcanvas listening on "):
                return proc, line.removeprefix("mockcanvas listening on ")
    except queue.Empty:
        pass
    proc.kill()
    proc.wait(TIMEOUT)
    raise AssertionError(f"no listening line; stderr={proc.stderr.read()!r}")


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(TIMEOUT)
        raise
    return code, proc.stderr.read()


def test_serve_with_manual_policy_holds_jobs_until_advanced() -> None:
    proc, url = _start_cli("--port", "0", "--progress-policy", "manual")
    try:
        assert call("GET", url + "/__mockcanvas__/progress_policy", token=None)[1]["policy"] == "manual"
        status, team2 = call("GET", url + "/api/v1/groups/6")
        assert (status, team2["name"], team2["members_count"]) == (200, "Team 2", 0)

        status, created = call("POST", url + f"/api/v1/group_categories/{TEAMS}/assign_unassigned_members")
        assert status == 200, created
        assert (created["tag"], created["context_type"], created["context_id"], created["workflow_state"]) == (
            "assign_unassigned_members", "GroupCategory", TEAMS, "running")
        progress_url = created["url"]
        assert progress_url == f"{url}/api/v1/progress/{created['id']}"

        for _ in range(3):  # polls do not run it under "manual"
            status, body = call("GET", progress_url)
            assert (status, body["workflow_state"], body["completion"]) == (200, "running", 0)
        assert call("GET", url + "/api/v1/groups/6")[1]["members_count"] == 0

        status, advanced = call("POST", url + f"/__mockcanvas__/progress/{created['id']}/advance", token=None)
        assert (status, advanced["workflow_state"], advanced["completion"]) == (200, "completed", 100)
        # Team 1 had one member, Team 2 none; group_limit 3: 2 + 3 students were placed
        assert advanced["results"] == {"assigned": 5}
        status, body = call("GET", progress_url)
        assert (status, body["workflow_state"], body["results"]) == (200, "completed", {"assigned": 5})
        assert call("GET", url + "/api/v1/groups/5")[1]["members_count"] == 3
        assert call("GET", url + "/api/v1/groups/6")[1]["members_count"] == 3

        # reset returns to the policy given on the command line, not the built-in default
        assert call("PUT", url + "/__mockcanvas__/progress_policy", token=None, body={"policy": "immediate"}) == (
            200, {"policy": "immediate"})
        assert call("POST", url + "/__mockcanvas__/reset", token=None)[0] == 200
        assert call("GET", url + "/__mockcanvas__/progress_policy", token=None)[1]["policy"] == "manual"
    finally:
        code, err = _stop(proc)
    assert code == 0, err
    assert err == ""


def test_serve_default_policy_is_background() -> None:
    proc, url = _start_cli("--port", "0")
    try:
        assert call("GET", url + "/__mockcanvas__/progress_policy", token=None)[1]["policy"] == "background"
    finally:
        code, err = _stop(proc)
    assert code == 0, err


def test_serve_with_a_bogus_policy_exits_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0",
                           "--progress-policy", "bogus"], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "mockcanvas: error: --progress-policy: unknown progress policy 'bogus'" in proc.stderr
    assert "background, immediate, manual, polls:N, fail:MESSAGE" in proc.stderr
