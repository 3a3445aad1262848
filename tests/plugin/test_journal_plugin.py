"""The ``canvas_requests`` fixture as a downstream project sees it (pytester, plugin from the
``pytest11`` entry point): the calls made during one test, whatever the transport."""

from __future__ import annotations

import textwrap

import pytest
import requests  # noqa: F401  (imported here once: pytester in-process would re-import it per run)

INI = """
    [pytest]
    asyncio_mode = auto
    asyncio_default_fixture_loop_scope = function
"""


def run(pytester: pytest.Pytester, **files: str):
    pytester.makeini(textwrap.dedent(INI))
    pytester.makepyfile(**{name: textwrap.dedent(src) for name, src in files.items()})
    return pytester.runpytest("-p", "no:cacheprovider", "-q")


def test_canvas_requests_with_server_and_client_each_test_starting_empty(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_downstream="""
        import requests

        GROUP = "/api/v1/groups/{group_id}"

        def test_1_server(canvas_server, canvas_url, canvas_requests):
            assert canvas_requests.all() == []
            assert canvas_server.requests is canvas_requests
            requests.get(canvas_url + "/api/v1/groups/1", headers={"Authorization": "Bearer teacher-token"})
            r = requests.put(canvas_url + "/api/v1/groups/1?as_user_id=6", data={"name": "Mine"},
                             headers={"Authorization": "Bearer admin-token"})
            assert r.status_code == 200, r.text
            canvas_requests.assert_called("GET", GROUP, times=1, user_id=2, status=200)
            (put,) = canvas_requests.assert_called("PUT", GROUP, path="/api/v1/groups/1")
            assert (put["user_id"], put["real_user_id"], put["query"]) == (6, 1, "as_user_id=6")
            canvas_requests.assert_not_called("DELETE", GROUP)

        def test_2_empty_again(canvas_server, canvas_requests):
            assert len(canvas_requests) == 0
            assert requests.get(canvas_server.url + "/__mockcanvas__/requests").json()["count"] == 0

        async def test_3_client(canvas_client, canvas_requests):
            assert canvas_requests.all() == []
            r = await canvas_client.post("/api/v1/groups/4/memberships", data={"user_id": "self"},
                                         headers={"Authorization": "Bearer student-token"})
            assert r.status == 200
            r = await canvas_client.get("/api/v1/groups/2", headers={"Authorization": "Bearer outsider-token"})
            assert r.status == 401
            canvas_requests.assert_called("POST", "/api/v1/groups/{group_id}/memberships", times=1, user_id=6)
            assert [(e["method"], e["status"]) for e in canvas_requests.all()] == [("POST", 200), ("GET", 401)]
            assert canvas_requests.calls(status=401)[0]["user_id"] == 20

        def test_4_store_only(canvas_store, canvas_requests):
            assert canvas_requests is canvas_store.requests
            assert canvas_requests.all() == []
    """)
    result.assert_outcomes(passed=4)


def test_assert_called_failure_shows_the_calls_made(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_failing="""
        import requests

        def test_sync(canvas_url, canvas_requests):
            requests.get(canvas_url + "/api/v1/groups/1", headers={"Authorization": "Bearer teacher-token"})
            requests.get(canvas_url + "/api/v1/groups/2", headers={"Authorization": "Bearer outsider-token"})
            canvas_requests.assert_called("DELETE", "/api/v1/groups/{group_id}")

        async def test_async(canvas_client, canvas_requests):
            await canvas_client.get("/api/v1/users/self", headers={"Authorization": "Bearer student-token"})
            canvas_requests.assert_not_called("GET", "/api/v1/users/{user_id}")
    """)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "*expected any DELETE /api/v1/groups/{group_id}, found 0; requests made:*",
        "*#* GET /api/v1/groups/1 -> 200 (user 2)*",
        "*#* GET /api/v1/groups/2 -> 401 (user 20)*",
    ])
    result.stdout.fnmatch_lines([
        "*expected 0 GET /api/v1/users/{user_id}, found 1; requests made:*",
        "*#* GET /api/v1/users/self -> 200 (user 6)*",
    ])
