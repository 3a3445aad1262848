"""``CanvasServer`` (the app on a thread) and the ``mockcanvas serve`` command."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cli_helpers import ROOT, TIMEOUT, env, start_cli, stop

from mockcanvas.seed import load_world
from mockcanvas.server import CanvasServer


def get(url: str, token: str | None = "teacher-token") -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=TIMEOUT) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


# -- CanvasServer -------------------------------------------------------------------------------


def test_server_start_url_stop() -> None:
    server = CanvasServer(load_world())
    assert server.start() is server
    try:
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert server.port > 0
        status, body = get(server.url + "/api/v1/users/self")
        assert (status, body["name"]) == (200, "Terry Teacher")
        assert server.tokens["teacher-token"] == "Terry Teacher"
        assert server.problems == []
    finally:
        server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
    server.stop()  # a second stop is harmless
    with pytest.raises(RuntimeError):
        server.start()


def test_server_context_manager_world_and_settings(tmp_path: Path) -> None:
    with CanvasServer(world=ROOT / "fixtures" / "small.yaml") as server:
        status, body = get(server.url + "/api/v1/users/self", "tess-token")
        assert (status, body["name"]) == (200, "Tess Teacher")
        status, _ = get(server.url + "/api/v1/users/self", None)
        assert status == 401
    from mockcanvas.settings import Settings

    with CanvasServer(settings=Settings(shard_id=7)) as server:
        assert server.store.settings.shard_id == 7
        assert CanvasServer is type(server)


def test_server_port_in_use() -> None:
    with CanvasServer() as first:
        with pytest.raises(OSError):
            CanvasServer(first.store, port=first.port).start()


def test_server_reset_restores_world_and_clears_problems() -> None:
    with CanvasServer() as server:
        req = urllib.request.Request(server.url + "/api/v1/groups/1", method="PUT",
                                     data=b"name=Renamed",
                                     headers={"Authorization": "Bearer teacher-token"})
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            assert json.load(r)["name"] == "Renamed"
        get(server.url + "/api/v1/nope")
        assert len(server.problems) == 1
        server.reset()
        assert server.problems == []
        assert server.store.changed_rows == 0
        assert get(server.url + "/api/v1/groups/1")[1]["name"] == "Project Group 1"


def test_server_check_names_method_and_path(monkeypatch: pytest.MonkeyPatch) -> None:
    with CanvasServer() as server:
        server.check()  # nothing recorded: no error
        status, body = get(server.url + "/api/v1/courses/1/gruops?per_page=5")
        assert status == 404
        assert body["errors"][0]["message"] == "The specified resource does not exist."

        def boom(*a, **kw):
            raise RuntimeError("kaboom")

        monkeypatch.setattr(server.store, "find", boom)
        status, _ = get(server.url + "/api/v1/groups/1")
        assert status == 500
        with pytest.raises(AssertionError) as exc:
            server.check()
        text = str(exc.value)
        assert "unknown route: GET /api/v1/courses/1/gruops?per_page=5" in text
        assert "exception: GET /api/v1/groups/1" in text
        assert "RuntimeError: kaboom" in text
        assert server.problems == []
        server.check()


# -- the CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_cli_serves_the_default_world_and_stops_on_signal(sig: int) -> None:
    proc, url, tokens = start_cli("--port", "0", expect_tokens=6)
    try:
        host, _, port = url.removeprefix("http://").rpartition(":")
        assert host == "127.0.0.1" and int(port) > 0
        status, body = get(url + "/api/v1/users/self")
        assert (status, body["name"]) == (200, "Terry Teacher")
        assert len(tokens) == 6
        assert tokens[0].split()[:1] == ["admin-token"]
        assert any(line.split()[0] == "teacher-token" and "Terry Teacher" in line
                   and line.split()[-1] == "teacher" for line in tokens)
    finally:
        code, err = stop(proc, sig)
    assert code == 0, err
    assert err == ""


def test_cli_options_reach_the_settings() -> None:
    proc, url, tokens = start_cli("--port", "0", "--shard-id", "3", "--auth-error-status", "403",
                              "--fixtures", "fixtures/small.yaml", expect_tokens=5)
    try:
        with urllib.request.urlopen(urllib.request.Request(
                url + "/api/v1/users/self", headers={"Authorization": "Bearer tess-token"}),
                timeout=TIMEOUT) as r:
            assert json.load(r)["name"] == "Tess Teacher"
            assert r.headers["X-Canvas-User-Id"] == str(3 * 10**13 + 1)
    finally:
        code, err = stop(proc, signal.SIGTERM)
    assert code == 0, err


def test_cli_journal_limit_keeps_the_last_requests() -> None:
    proc, url, _ = start_cli("--port", "0", "--journal-limit", "2", expect_tokens=6)
    try:
        for gid in (1, 2, 3):
            assert get(f"{url}/api/v1/groups/{gid}")[0] == 200
        status, body = get(url + "/__mockcanvas__/requests", token=None)
        assert status == 200
        assert (body["position"], body["count"]) == (3, 2)
        assert [e["path"] for e in body["requests"]] == ["/api/v1/groups/2", "/api/v1/groups/3"]
    finally:
        code, err = stop(proc, signal.SIGTERM)
    assert code == 0, err


def test_cli_journal_limit_must_be_positive() -> None:
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0", "--journal-limit", "0"],
                          cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2
    assert "--journal-limit must be >= 1, not 0" in proc.stderr


@pytest.mark.parametrize("world", ["fixtures/broken.yaml", "fixtures/does-not-exist.yaml"])
def test_cli_bad_world_exits_2(world: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0",
                           "--fixtures", world], cwd=ROOT, env=env(), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    name = Path(world).name
    assert name in proc.stderr
    if name == "broken.yaml":
        assert "enrollments[1].user: no user 'bob'" in proc.stderr


def test_cli_bad_world_in_tmp_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("users: [{name: 'X', tokens: 5}]\n")
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--fixtures", str(bad)],
                          cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "bad.yaml" in proc.stderr


def test_cli_port_in_use_fails() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", str(port)],
                              cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr


def test_cli_version_and_usage() -> None:
    from mockcanvas import __version__
    from mockcanvas.cli import main

    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "--version"], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"mockcanvas {__version__}"
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--auth-error-status", "404"])
    assert exc.value.code == 2
