"""Every API test runs twice: through the aiohttp app in-process (aiohttp's TestClient) and
through the threaded server over a real socket (requests). Same test code, same assertions
(moto runs its suite in decorator mode and against moto_server the same way).

The world is loaded once per session by the plugin and rolled back before each test.
"""

from __future__ import annotations

import pytest

from api_clients import AppApi, Api, Resp, ServerApi  # noqa: F401 (tests import them from here too)


@pytest.fixture(params=["app", "server"])
def api(request, canvas_store):
    """The API of the test's world, in-process ("app") or over a socket ("server")."""
    if request.param == "app":
        client: Api = AppApi(canvas_store)
    else:
        client = ServerApi(request.getfixturevalue("canvas_server"))
    try:
        yield client
        problems = list(client.problems)
        client.problems.clear()
        assert not problems, f"the mock recorded problems: {problems}"
    finally:
        client.close()


@pytest.fixture
def store(canvas_store):
    return canvas_store
