"""aiohttp's TestClient over ``create_app(store)`` on a private event loop, driven synchronously.

Shared by the API tests' in-process client (tests/api/conftest.py) and the OpenAPI checker
(tests/openapi/openapi_checker.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDict

from mockcanvas import create_app
from mockcanvas.keys import PROBLEMS


class LoopClient:
    def __init__(self, store) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_app(store)
        self.client = TestClient(TestServer(self.app), loop=self.loop)
        self.loop.run_until_complete(self.client.start_server())
        self.base_url = str(self.client.make_url("")).rstrip("/")

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def send(self, method: str, path: str, **kw: Any) -> tuple[int, CIMultiDict, str]:
        """One request (an absolute URL of this server is made relative): status, headers, text."""
        path = path.removeprefix(self.base_url)

        async def go() -> tuple[int, CIMultiDict, str]:
            async with self.client.request(method, path, **kw) as r:
                return r.status, CIMultiDict(r.headers), await r.text(errors="replace")

        return self.run(go())

    @property
    def problems(self) -> list:
        """What the app recorded as a problem (exceptions, unknown routes)."""
        return self.app[PROBLEMS]

    def close(self) -> None:
        self.run(self.client.close())
        self.loop.close()
