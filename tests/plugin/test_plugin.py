"""The pytest plugin as a downstream project sees it: pytester runs small test files in-process
with the plugin loaded from the ``pytest11`` entry point."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import requests  # noqa: F401  (imported once here: pytester in-process would re-import it per run and mix up its classes)

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small.yaml"

TINY_WORLD = """\
accounts: [{id: 1, name: A}]
users: [{id: 1, name: "Ann Admin", tokens: ["a-token"]}]
admins: [{account: 1, user: 1}]
"""


# set in every run: pytest-asyncio warns when the loop scope of async fixtures is left unset
DEFAULT_INI = """
    [pytest]
    asyncio_default_fixture_loop_scope = function
"""


def run(pytester: pytest.Pytester, *args: str, ini: str = DEFAULT_INI, **files: str):
    pytester.makeini(textwrap.dedent(ini))
    pytester.makepyfile(**{name: textwrap.dedent(src) for name, src in files.items()})
    return pytester.runpytest("-p", "no:cacheprovider", "-q", *args)


def test_default_world_over_http_and_rollback(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_downstream="""
        import requests

        def test_self(canvas_server, canvas_url, canvas_tokens):
            assert canvas_url == canvas_server.url
            r = requests.get(canvas_url + "/api/v1/users/self",
                             headers={"Authorization": "Bearer " + canvas_tokens["teacher"]})
            assert r.status_code == 200
            assert r.json()["name"] == "Terry Teacher"

        def test_change(canvas_url):
            r = requests.put(canvas_url + "/api/v1/groups/1", data={"name": "Renamed"},
                             headers={"Authorization": "Bearer teacher-token"})
            assert r.status_code == 200, r.text
            assert r.json()["name"] == "Renamed"

        def test_change_is_gone(canvas_url, canvas_server):
            r = requests.get(canvas_url + "/api/v1/groups/1",
                             headers={"Authorization": "Bearer teacher-token"})
            assert r.json()["name"] == "Project Group 1"
            assert canvas_server.store.changed_rows == 0

        def test_store_change(canvas_store):
            user = canvas_store.insert("users", name="Nova Newcomer", sortable_name="Newcomer, Nova",
                                       short_name="Nova Newcomer")
            canvas_store.add_token("new-token", user.id)

        def test_store_change_is_gone(canvas_store, canvas_server):
            assert "new-token" not in canvas_store.tokens
            assert all(u.name != "Nova Newcomer" for u in canvas_store.all("users"))
            assert canvas_server.store is canvas_store
    """)
    result.assert_outcomes(passed=5)


def test_canvas_store_and_tokens(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_tokens="""
        from mockcanvas import Store

        def test_tokens(canvas_tokens):
            assert canvas_tokens["admin"] == "admin-token"
            assert canvas_tokens["teacher"] == "teacher-token"
            assert canvas_tokens["ta"] == "ta-token"
            assert canvas_tokens["student"] == "student-token"
            assert canvas_tokens["student2"] == "student2-token"
            assert canvas_tokens["outsider"] == "outsider-token"
            assert canvas_tokens["user"] == "outsider-token"
            assert canvas_tokens["Terry Teacher"] == "teacher-token"
            assert canvas_tokens["student2-token"] == "student2-token"

        def test_store(canvas_store):
            assert isinstance(canvas_store, Store)
            assert canvas_store.get("users", 2).name == "Terry Teacher"
            assert canvas_store.changed_rows == 0
    """)
    result.assert_outcomes(passed=2)


def test_marker_per_test_and_per_module_and_ini(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("worlds").mkdir()
    pytester.path.joinpath("worlds", "tiny.yaml").write_text(TINY_WORLD)
    result = run(
        pytester,
        ini="""
            [pytest]
            asyncio_default_fixture_loop_scope = function
            mockcanvas_world = worlds/tiny.yaml
        """,
        test_module_marker=f"""
            import pytest, requests

            pytestmark = pytest.mark.canvas_world({str(SMALL)!r})

            def test_small(canvas_url, canvas_tokens):
                assert canvas_tokens["teacher"] == "tess-token"
                r = requests.get(canvas_url + "/api/v1/users/self",
                                 headers={{"Authorization": "Bearer tess-token"}})
                assert r.json()["name"] == "Tess Teacher"

            @pytest.mark.canvas_world("worlds/tiny.yaml")
            def test_test_marker_wins(canvas_store, canvas_tokens):
                assert canvas_tokens == {{"admin": "a-token", "a": "a-token", "Ann Admin": "a-token",
                                          "a-token": "a-token"}}

            @pytest.mark.canvas_world()
            def test_empty_marker_is_default(canvas_tokens):
                assert canvas_tokens["teacher"] == "teacher-token"
        """,
        test_ini_world="""
            import requests

            def test_ini(canvas_url):
                r = requests.get(canvas_url + "/api/v1/users/self",
                                 headers={"Authorization": "Bearer a-token"})
                assert r.json()["name"] == "Ann Admin"
        """,
    )
    result.assert_outcomes(passed=4)


def test_worlds_are_loaded_once_per_session(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_cache=f"""
        import pytest

        seen = []

        @pytest.mark.parametrize("n", range(3))
        def test_same_store(canvas_store, canvas_server, n):
            seen.append((id(canvas_store), canvas_server.url))
            assert len(set(seen)) == 1

        @pytest.mark.canvas_world({str(SMALL)!r})
        def test_other_world(canvas_store, canvas_server):
            assert (id(canvas_store), canvas_server.url) not in seen
    """)
    result.assert_outcomes(passed=4)


def test_unknown_route_fails_the_test(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_unknown="""
        import requests

        def test_typo(canvas_url):
            r = requests.get(canvas_url + "/api/v1/courses/1/gruops",
                             headers={"Authorization": "Bearer teacher-token"})
            assert r.status_code == 404

        def test_next_is_clean(canvas_server):
            assert canvas_server.problems == []

        async def test_typo_async(canvas_client):
            r = await canvas_client.post("/api/v1/nowhere", headers={"Authorization": "Bearer teacher-token"})
            assert r.status_code == 404
    """, ini="""
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = function
    """)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*unknown route: GET /api/v1/courses/1/gruops*",
        "*unknown route: POST /api/v1/nowhere*",
    ])


def test_problem_is_shown_beside_a_failing_assertion(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_both="""
        import requests

        def test_typo(canvas_url):
            r = requests.get(canvas_url + "/api/v1/userz/self",
                             headers={"Authorization": "Bearer teacher-token"})
            assert r.status_code == 200
    """)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 404 == 200*", "*unknown route: GET /api/v1/userz/self*"])


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_async_canvas_client(pytester: pytest.Pytester, mode: str) -> None:
    result = run(pytester, ini=f"""
        [pytest]
        asyncio_mode = {mode}
        asyncio_default_fixture_loop_scope = function
    """, test_async="""
        import pytest

        @pytest.mark.asyncio
        async def test_self(canvas_client, canvas_tokens):
            resp = await canvas_client.get("/api/v1/users/self",
                                           headers={"Authorization": "Bearer " + canvas_tokens["ta"]})
            assert resp.status == 200
            assert (await resp.json())["name"] == "Tara Assistant"

        @pytest.mark.asyncio
        async def test_change(canvas_client):
            resp = await canvas_client.put("/api/v1/groups/1", data={"name": "Renamed"},
                                           headers={"Authorization": "Bearer teacher-token"})
            assert resp.status == 200

        @pytest.mark.asyncio
        async def test_change_is_gone(canvas_client, canvas_store):
            assert canvas_store.get("groups", 1).name == "Project Group 1"
            resp = await canvas_client.get("/api/v1/groups/1",
                                           headers={"Authorization": "Bearer teacher-token"})
            assert (await resp.json())["name"] == "Project Group 1"
    """)
    result.assert_outcomes(passed=3)


def test_canvas_client_app_is_shared_by_tests_on_one_loop(pytester: pytest.Pytester) -> None:
    """With a session loop the app is built once per world; the store is still rolled back and a
    problem of one test does not reach the next."""
    result = run(pytester, ini="""
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = session
        asyncio_default_test_loop_scope = session
    """, test_shared="""
        import asyncio

        import pytest

        APPS, LOOPS = [], []
        H = {"Authorization": "Bearer teacher-token"}

        async def test_change(canvas_client):
            APPS.append(canvas_client.app)
            LOOPS.append(asyncio.get_running_loop())
            assert (await canvas_client.put("/api/v1/groups/1", data={"name": "Renamed"}, headers=H)).status == 200

        async def test_typo(canvas_client):
            APPS.append(canvas_client.app)
            assert (await canvas_client.get("/api/v1/gruops/1", headers=H)).status == 404

        async def test_shared_and_rolled_back(canvas_client):
            APPS.append(canvas_client.app)
            assert asyncio.get_running_loop() is LOOPS[0]
            assert APPS[0] is APPS[1] is APPS[2]
            resp = await canvas_client.get("/api/v1/groups/1", headers=H)
            assert (await resp.json())["name"] == "Project Group 1"
    """)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*test_typo*", "*unknown route: GET /api/v1/gruops/1*"])


def test_canvas_client_app_is_new_for_each_loop(pytester: pytest.Pytester) -> None:
    result = run(pytester, ini="""
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = function
    """, test_fresh="""
        APPS = []

        async def test_one(canvas_client):
            APPS.append(canvas_client.app)

        async def test_two(canvas_client):
            APPS.append(canvas_client.app)
            assert APPS[0] is not APPS[1]
    """)
    result.assert_outcomes(passed=2)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makeini(textwrap.dedent(DEFAULT_INI))
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.canvas_world(*paths):*"])
    result = run(pytester, "--strict-markers", test_strict="""
        import pytest

        @pytest.mark.canvas_world()
        def test_ok(canvas_store):
            pass
    """)
    result.assert_outcomes(passed=1)


def test_broken_world_is_an_error_naming_the_problem(pytester: pytest.Pytester) -> None:
    result = run(pytester, test_broken=f"""
        import pytest

        @pytest.mark.canvas_world({str(ROOT / "fixtures" / "broken.yaml")!r})
        def test_x(canvas_store):
            pass
    """)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*broken.yaml: enrollments[[]1[]].user: no user 'bob'*"])


def test_canvas_progress_marker_sets_the_policy_for_one_test(pytester):
    result = run(pytester, test_progress_marker="""
        import pytest

        @pytest.mark.canvas_progress("manual")
        def test_manual(canvas_store):
            assert canvas_store.progress.policy == "manual"

        def test_default_again(canvas_server):
            assert canvas_server.store.progress.policy == "background"

        @pytest.mark.canvas_progress("polls:2")
        def test_polls_with_server(canvas_server):
            assert canvas_server.store.progress.policy == "polls:2"
    """)
    result.assert_outcomes(passed=3)


def test_canvas_progress_marker_rejects_an_unknown_policy(pytester):
    result = run(pytester, test_bad_marker="""
        import pytest

        @pytest.mark.canvas_progress("sometimes")
        def test_x(canvas_store):
            pass
    """)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*unknown progress policy 'sometimes'*"])
