"""``mockcanvas serve --progress-policy``: the policy reaches the served store, and a bad one is a
usage error (exit 2). Subprocess style of ``test_server_cli.py``: bounded waits, SIGTERM at the end."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

from cli_helpers import ROOT, TIMEOUT, env, start_cli, stop

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


def test_serve_with_manual_policy_holds_jobs_until_advanced() -> None:
    proc, url, _ = start_cli("--port", "0", "--progress-policy", "manual")
    try:
        assert call("GET", url + "/__mockcanvas__/progress_policy", token=None)[1]["policy"] == "manual"
        status, team2 = call("GET", url + "/api/v1/groups/6")
        assert (status, team2["name"], team2["members_count"]) == (200, "Team 2", 0)

        status, created = call("POST", url + f"/api/v1/group_categories/{TEAMS}/assign_unassigned_members")
        assert status == 200, created
        assert (created["tag"], created["context_type"], created["context_id"], created["workflow_state"]) == (
            "assign_unassigned_members", "GroupCategory", TEAMS, "queued")
        progress_url = created["url"]
        assert progress_url == f"{url}/api/v1/progress/{created['id']}"

        for _ in range(3):  # polls do not run it under "manual": no worker picks it up
            status, body = call("GET", progress_url)
            assert (status, body["workflow_state"], body["completion"]) == (200, "queued", 0)
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
        code, err = stop(proc)
    assert code == 0, err
    assert err == ""


def test_serve_default_policy_is_background() -> None:
    proc, url, _ = start_cli("--port", "0")
    try:
        assert call("GET", url + "/__mockcanvas__/progress_policy", token=None)[1]["policy"] == "background"
    finally:
        code, err = stop(proc)
    assert code == 0, err


def test_serve_with_a_bogus_policy_exits_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0",
                           "--progress-policy", "bogus"], cwd=ROOT, env=env(), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "mockcanvas: error: --progress-policy: unknown progress policy 'bogus'" in proc.stderr
    assert "background, immediate, manual, polls:N, fail:MESSAGE" in proc.stderr
