"""Running ``mockcanvas serve`` as a subprocess in tests: bounded waits, a reader thread for its
output, and a clean stop by signal."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0


def env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_cli(*args: str, expect_tokens: int = 0) -> tuple[subprocess.Popen, str, list[str]]:
    """Start ``mockcanvas serve``; wait (bounded) for its listening line and the token lines."""
    proc = subprocess.Popen([sys.executable, "-m", "mockcanvas", "serve", *args], cwd=ROOT,
                            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> tuple[int, str]:
    """Signal the server and wait (bounded) for it; its stdout belongs to the reader thread."""
    proc.send_signal(sig)
    try:
        code = proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(TIMEOUT)
        raise
    return code, proc.stderr.read()
