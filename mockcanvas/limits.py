"""Slow clients: how long a connection may take to send a request (not a Canvas feature).

A Canvas behind nginx answers a client that sends its headers or body too slowly with a closed
connection (``client_header_timeout``) or a 408 (``client_body_timeout``); aiohttp 3.x has no
read timeouts of its own, so a client trickling bytes could hold a connection, and its memory,
forever. The mock bounds both (``Settings.header_timeout`` / ``body_timeout``, ``mockcanvas serve
--header-timeout / --body-timeout``), for the CLI and the threaded server alike:

* headers: aiohttp's ``keepalive_timeout`` (:func:`handler_args`) closes a connection that has not
  completed a request within that many seconds of its previous answer, and, from aiohttp 3.14, of
  its opening (earlier 3.x leave a connection's first request unbounded). It also closes idle
  keep-alive connections after that long, which clients reconnect from transparently;
* body: :func:`body_deadline` gives a request whose body has not fully arrived when its handler
  starts ``body_timeout`` seconds; then reading the body raises a 408 with a JSON body, and aiohttp
  closes the connection (the rest of the body is never read). A request whose body is already
  in (every small one) costs one ``is_eof()`` call.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from .settings import Settings

TIMEOUT_BODY = {"errors": [{"message": "Request Timeout"}]}


def handler_args(settings: Settings) -> dict[str, Any]:
    """aiohttp's RequestHandler arguments for ``web.Application(handler_args=...)``."""
    return {"keepalive_timeout": settings.header_timeout} if settings.header_timeout > 0 else {}


def _expire(content) -> None:
    if not content.is_eof():
        content.set_exception(web.HTTPRequestTimeout(
            text=json.dumps(TIMEOUT_BODY), content_type="application/json", headers={"Connection": "close"}))


def body_deadline(timeout: float):
    """A middleware: the body of a request must arrive within ``timeout`` seconds of its headers."""

    @web.middleware
    async def body_deadline_middleware(request: web.Request, handler) -> web.StreamResponse:
        content = request.content
        if content.is_eof():
            return await handler(request)
        timer = asyncio.get_running_loop().call_later(timeout, _expire, content)
        try:
            return await handler(request)
        finally:
            timer.cancel()

    return body_deadline_middleware
