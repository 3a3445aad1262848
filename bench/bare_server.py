"""The baseline of the HTTP benchmark: a bare aiohttp app that answers fixed JSON from a dict.

    python bench/bare_server.py [--host 127.0.0.1] [--port 0] [--bodies BODIES.json]

``BODIES.json`` maps a request path (without the query string) to ``{"json": ..., "headers":
{...}}``: the exact JSON the mock answered for that path, captured by ``bench/run.py``, and the
headers worth copying (the ``Link`` header of a list). Each request serializes its dict again, as
the mock does, so the only difference left is the mock's own work (routing through its
middlewares, authentication, the store, the views). ``/__mockcanvas__/health`` is always served,
so start-up can be timed the same way as the mock's.

Prints ``bare listening on http://HOST:PORT`` once ready; stops on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from typing import Any

from aiohttp import web


def dumps(data: Any) -> str:
    # the mock's serializer (mockcanvas.responses.dumps) without its xss escaping, which does not
    # change these bodies: run.py checks that both servers send the same number of bytes
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def make_app(bodies: dict[str, dict[str, Any]]) -> web.Application:
    bodies = dict(bodies)
    bodies.setdefault("/__mockcanvas__/health", {"json": {"status": "ok"}, "headers": {}})

    async def answer(request: web.Request) -> web.Response:
        entry = bodies.get(request.path)
        if entry is None:
            raise web.HTTPNotFound()
        return web.Response(text=dumps(entry["json"]), headers=entry.get("headers") or None,
                            content_type="application/json", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", answer)
    return app


async def serve(app: web.Application, host: str, port: int) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        print(f"bare listening on http://{host}:{runner.addresses[0][1]}", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--bodies", help="JSON file: path -> {json, headers}")
    args = parser.parse_args(argv)
    bodies = {}
    if args.bodies:
        with open(args.bodies, encoding="utf-8") as f:
            bodies = json.load(f)
    return asyncio.run(serve(make_app(bodies), args.host, args.port))


if __name__ == "__main__":
    sys.exit(main())
