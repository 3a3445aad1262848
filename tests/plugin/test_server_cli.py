"""``CanvasServer`` (the app on a thread) and the ``mockcanvas serve`` command."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mockcanvas.seed import load_world
from mockcanvas.server import CanvasServer

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0


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


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start_cli(*args: str, expect_tokens: int = 6) -> tuple[subprocess.Popen, str, list[str]]:
    """Start ``mockcanvas serve``; wait (bounded) for its listening line and the token lines."""
    proc = subprocess.Popen([sys.executable, "-m", "mockcanvas", "serve", *args], cwd=ROOT,
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # a reader thread rather than select(): readline() buffers past the line select() saw
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + TIMEOUT
    url = None
    tokens: list[str] = []
    try:
        while url is None or len(tokens) < expect_tokens:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line is None:
                break
            if url is None and line.startswith("mockcanvas listening on "):
                url = line.removeprefix("mockcanvas listening on ")
            elif url is not None:
                tokens.append(line)
    except queue.Empty:
        pass
    if url is not None:
        return proc, url, tokens
    proc.kill()
    proc.wait(TIMEOUT)
    err = proc.stderr.read()
    raise AssertionError(f"no listening line; tokens={tokens!r} stderr={err!r}")


def _stop(proc: subprocess.Popen, sig: int) -> tuple[int, str]:
    """Signal the server and wait (bounded) for it; its stdout belongs to the reader thread."""
    proc.send_signal(sig)
    try:
        code = proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(TIMEOUT)
        raise
    return code, proc.stderr.read()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_cli_serves_the_default_world_and_stops_on_signal(sig: int) -> None:
    proc, url, tokens = _start_cli("--port", "0")
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
        code, err = _stop(proc, sig)
    assert code == 0, err
    assert err == ""


def test_cli_options_reach_the_settings() -> None:
    proc, url, tokens = _start_cli("--port", "0", "--shard-id", "3", "--auth-error-status", "403",
                              "--fixtures", "fixtures/small.yaml", expect_tokens=5)
    try:
        with urllib.request.urlopen(urllib.request.Request(
                url + "/api/v1/users/self", headers={"Authorization": "Bearer tess-token"}),
                timeout=TIMEOUT) as r:
            assert json.load(r)["name"] == "Tess Teacher"
            assert r.headers["X-Canvas-User-Id"] == str(3 * 10**13 + 1)
    finally:
        code, err = _stop(proc, signal.SIGTERM)
    assert code == 0, err


@pytest.mark.parametrize("world", ["fixtures/broken.yaml", "fixtures/does-not-exist.yaml"])
def test_cli_bad_world_exits_2(world: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", "0",
                           "--fixtures", world], cwd=ROOT, env=_env(), capture_output=True,
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
                          cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "bad.yaml" in proc.stderr


def test_cli_port_in_use_fails() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "mockcanvas", "serve", "--port", str(port)],
                              cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr


def test_cli_version_and_usage() -> None:
    from mockcanvas import __version__
    from mockcanvas.cli import main

    proc = subprocess.run([sys.executable, "-m", "mockcanvas", "--version"], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"mockcanvas {__version__}"
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--auth-error-status", "404"])
    assert exc.value.code == 2
