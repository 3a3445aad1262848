"""Access to the test control plane, and secrets kept out of what it shows (issue 13, item 10).

``/__mockcanvas__/*`` has no authentication unless ``Settings.control_token`` (``mockcanvas serve
--control-token``) is set; a write whose ``Origin`` is not the server's own is refused (403) either
way; ``access_token`` values are recorded as ``[FILTERED]`` in the request journal and in live
events' ``url``. ``mockcanvas serve`` warns when ``--host`` is not a loopback address.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mockcanvas.seed import load_world
from mockcanvas.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugin"))
from cli_helpers import ROOT, TIMEOUT, env  # noqa: E402

from api_clients import client_of  # noqa: E402

TOKEN = "c0ntrol-s3cret"


# -- cross-origin writes -----------------------------------------------------------------------

def rename(api, name):
    r = api.put("/api/v1/groups/1", data={"name": name})
    assert r.status == 200, r.text


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://127.0.0.1:1"])
def test_a_cross_origin_write_is_refused_and_changes_nothing(api, store, origin):
    rename(api, "Changed Before")
    r = api.post("/__mockcanvas__/reset", token=None, headers={"Origin": origin})
    assert r.status == 403
    assert r.json() == {"error": f"cross-origin request to the control plane refused (Origin {origin})"}
    assert store.get("groups", 1).name == "Changed Before"  # not reset
    r = api.put("/__mockcanvas__/progress_policy", token=None, headers={"Origin": origin},
                json={"policy": "manual"})
    assert r.status == 403 and store.progress.policy == "background"
    assert api.delete("/__mockcanvas__/requests", token=None, headers={"Origin": origin}).status == 403
    assert len(store.requests) > 0


def test_same_origin_writes_and_cross_origin_reads_are_served(api, store):
    rename(api, "Changed Before")
    own = api.base_url
    r = api.get("/__mockcanvas__/health", token=None, headers={"Origin": "http://evil.example"})
    assert r.status == 200  # a read: the browser keeps the answer from the other origin (no CORS)
    r = api.post("/__mockcanvas__/reset", token=None, headers={"Origin": own})
    assert r.status == 200, r.text
    assert store.get("groups", 1).name == "Project Group 1"
    assert api.post("/__mockcanvas__/reset", token=None).status == 200  # no Origin: not a browser form


# -- the control token ---------------------------------------------------------------------------

@pytest.fixture(params=["app", "server"])
def guarded(request):
    """An API client of a fresh default world whose control plane needs TOKEN."""
    settings = Settings(control_token=TOKEN)
    store = load_world(settings=settings)
    client = client_of(request.param, store, settings, request.addfinalizer)
    yield client
    client.close()


def test_the_control_plane_needs_the_token_when_one_is_set(guarded):
    for method, path in (("GET", "/__mockcanvas__/health"), ("POST", "/__mockcanvas__/reset"),
                         ("GET", "/__mockcanvas__/requests"), ("GET", "/__mockcanvas__/live_events"),
                         ("GET", "/__mockcanvas__/openapi.json")):
        for headers in ({}, {"X-Mockcanvas-Control-Token": "wrong"}, {"Authorization": "Bearer wrong"},
                        {"Authorization": f"Basic {TOKEN}"}, {"X-Mockcanvas-Control-Token": TOKEN.upper()}):
            r = guarded.request(method, path, token=None, headers=headers)
            assert r.status == 401, (method, path, headers, r.text)
            assert r.headers["WWW-Authenticate"] == 'Bearer realm="mockcanvas-control"'
            assert "X-Mockcanvas-Control-Token" in r.json()["error"]
    assert guarded.get("/__mockcanvas__/health", token=None,
                       headers={"X-Mockcanvas-Control-Token": TOKEN}).status == 200
    assert guarded.get("/__mockcanvas__/health", token=TOKEN).status == 200  # Authorization: Bearer
    r = guarded.put("/__mockcanvas__/progress_policy", token=TOKEN, json={"policy": "manual"})
    assert (r.status, r.json()) == (200, {"policy": "manual"})


def test_the_token_does_not_reach_the_canvas_api(guarded):
    """The API still authenticates with Canvas tokens; the control token is no Canvas token."""
    assert guarded.get("/api/v1/groups/1").status == 200
    assert guarded.get("/api/v1/groups/1", token=TOKEN).status == 401


def test_a_wrong_origin_is_refused_even_with_the_token(guarded):
    r = guarded.post("/__mockcanvas__/reset", token=TOKEN, headers={"Origin": "http://evil.example"})
    assert r.status == 403


# -- access_token values are masked --------------------------------------------------------------

def test_access_tokens_are_masked_in_the_journal_and_in_live_events(api, store):
    r = api.get("/api/v1/groups/1?access_token=teacher-token&include[]=users", token=None)
    assert r.status == 200, r.text
    r = api.put("/api/v1/groups/1?per_page=5&access_token=teacher-token", token=None, data={"name": "Masked"})
    assert r.status == 200, r.text
    journal = api.get("/__mockcanvas__/requests", token=None).json()["requests"]
    queries = [e["query"] for e in journal[-2:]]
    assert queries[0].startswith("access_token=[FILTERED]&include") and "teacher-token" not in queries[0]
    assert queries[1] == "per_page=5&access_token=[FILTERED]"
    assert [e["query"] for e in store.requests.all()][-2:] == queries
    (event,) = store.live_events.named("group_updated")
    assert event.metadata["url"] == f"{api.base_url}/api/v1/groups/1?per_page=5&access_token=[FILTERED]"
    listed = api.get("/__mockcanvas__/live_events", token=None).text
    assert "teacher-token" not in listed and "[FILTERED]" in listed


# -- mockcanvas serve ----------------------------------------------------------------------------

def serve(*args):
    """``mockcanvas serve`` on a documentation address (192.0.2.1, TEST-NET-1): it warns, then cannot
    bind there and exits, so nothing ever listens beyond this machine."""
    return subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0", *args],
                          check=False, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)


def test_serve_warns_when_the_host_is_not_loopback():
    proc = serve("--host", "192.0.2.1")
    assert proc.returncode == 1, proc.stderr
    assert "warning: --host 192.0.2.1 is not a loopback address" in proc.stderr
    assert "without authentication; set --control-token" in proc.stderr
    proc = serve("--host", "192.0.2.1", "--control-token", TOKEN)
    assert "is not a loopback address" in proc.stderr and "without authentication" not in proc.stderr
    assert TOKEN not in proc.stderr + proc.stdout


def test_serve_refuses_an_empty_control_token():
    proc = serve("--control-token", " ")
    assert proc.returncode == 2 and "--control-token must not be empty" in proc.stderr
