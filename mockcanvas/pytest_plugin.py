"""pytest fixtures for the mock Canvas, registered through the ``pytest11`` entry point.

Mirrors moto's ``ThreadedMotoServer``-per-session plus reset-per-test pattern: each distinct world
is loaded once per session and rolled back in place before every test, so a test pays for the rows
it changed, not for loading the world.

Choosing the world (first match wins):

* ``@pytest.mark.canvas_world("a.yaml", "b.yaml")`` on the test, or ``pytestmark`` on the module
  or class;
* the ``mockcanvas_world`` ini option (one path per line);
* the built-in default world.

Relative paths are taken from the pytest rootdir.

Fixtures: ``canvas_store``, ``canvas_server``, ``canvas_url``, ``canvas_tokens``,
``canvas_client``, ``canvas_live_events``, ``canvas_requests``. After a test that used ``canvas_server`` or ``canvas_client``, an unknown
``/api/v1`` route or an exception inside a handler fails the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .events import LiveEvents
    from .journal import RequestJournal
    from .server import CanvasServer
    from .store import Store

try:
    import pytest_asyncio
except ImportError:  # canvas_client then explains what to install
    pytest_asyncio = None

MARKER = "canvas_world"
INI_WORLD = "mockcanvas_world"

PROGRESS_MARKER = "canvas_progress"
WorldKey = tuple[str, ...]  # resolved paths; () is the built-in default world

# (label, problems list) of every app a test is talking to, to check after the test
_WATCHED = pytest.StashKey[list[tuple[str, list]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI_WORLD, type="linelist", default=[],
                  help="mockcanvas: world YAML file(s) for tests without a canvas_world marker "
                       "(relative to the rootdir; default: the built-in world)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*paths): mockcanvas world YAML file(s) for this test, class or module "
        "(relative to the rootdir; none: the built-in world)",
    )
    config.addinivalue_line(
        "markers",
        f"{PROGRESS_MARKER}(policy): when async jobs run in this test: background, immediate, manual, "
        "polls:N or fail:MESSAGE (mockcanvas)",
    )


def _apply_progress_marker(request: pytest.FixtureRequest, store: Store) -> None:
    """After the rollback (which restores the server's default policy), the test's own policy."""
    marker = request.node.get_closest_marker(PROGRESS_MARKER)
    if marker is not None:
        if len(marker.args) != 1:
            raise pytest.UsageError(f"{PROGRESS_MARKER}() takes one policy, e.g. 'manual'")
        try:
            store.progress.set_policy(marker.args[0])
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None


class _Worlds:
    """Session cache: one store per world, and one threaded server per world once asked for."""

    def __init__(self) -> None:
        self.stores: dict[WorldKey, Store] = {}
        self.servers: dict[WorldKey, CanvasServer] = {}
        # canvas_client's app per world, with the event loop it is bound to: an aiohttp Application
        # serves one loop only, so it is reused while tests share a loop (pytest-asyncio's
        # loop_scope "module"/"session") and built again for a new loop (the default, per test)
        self.apps: dict[WorldKey, tuple[Any, Any]] = {}

    def store(self, key: WorldKey) -> Store:
        store = self.stores.get(key)
        if store is None:
            from .seed import load_world

            store = self.stores[key] = load_world(list(key) or None)
        return store

    def server(self, key: WorldKey) -> CanvasServer:
        server = self.servers.get(key)
        if server is None:
            from .server import CanvasServer

            server = self.servers[key] = CanvasServer(self.store(key)).start()
        return server

    def app(self, key: WorldKey, loop: Any) -> Any:
        cached = self.apps.get(key)
        if cached is not None and cached[1] is loop:
            return cached[0]
        from .app import create_app

        app = create_app(self.store(key))
        self.apps[key] = (app, loop)
        return app

    def close(self) -> None:
        self.apps.clear()
        while self.servers:
            _, server = self.servers.popitem()
            server.stop()
        self.stores.clear()


def _world_key(item: pytest.Item) -> WorldKey:
    config = item.config
    marker = item.get_closest_marker(MARKER)
    if marker is not None:
        paths = list(marker.args)
        if marker.kwargs:
            raise pytest.UsageError(f"{MARKER}() takes paths only, not {sorted(marker.kwargs)}")
    else:
        paths = config.getini(INI_WORLD)
    root = Path(config.rootpath)
    out = []
    for p in paths:
        if not isinstance(p, (str, Path)):
            raise pytest.UsageError(f"{MARKER}(): expected file paths, got {p!r}")
        path = Path(p).expanduser()
        out.append(str((path if path.is_absolute() else root / path).resolve()))
    return tuple(out)


def _watch(request: pytest.FixtureRequest, label: str, problems: list) -> None:
    node = request.node
    watched = node.stash.setdefault(_WATCHED, [])
    if all(p is not problems for _, p in watched):
        watched.append((label, problems))


def _take_problems(item: pytest.Item) -> str:
    """Everything the watched apps recorded, formatted; the lists are cleared."""
    from .server import format_problems

    found: list[dict[str, Any]] = []
    for _, problems in item.stash.get(_WATCHED, []):
        found.extend(problems)
        problems.clear()
    return format_problems(found)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Checked here rather than only in fixture teardown so that the test itself is reported as
    # failed (not "passed" plus a teardown error).
    try:
        result = yield
    except BaseException:
        text = _take_problems(item)
        if text:
            item.add_report_section("call", "mockcanvas", text)
        raise
    text = _take_problems(item)
    if text:
        pytest.fail(text, pytrace=False)
    return result


def _fail_on_late_problems(problems: list) -> None:
    """Teardown check: problems recorded after the test body (e.g. by other fixtures' teardown)."""
    from .server import format_problems

    text = format_problems(problems)
    problems.clear()
    if text:
        pytest.fail(text, pytrace=False)


@pytest.fixture(scope="session")
def _mockcanvas_worlds() -> Iterator[_Worlds]:
    worlds = _Worlds()
    yield worlds
    worlds.close()


@pytest.fixture
def _mockcanvas_world_key(request: pytest.FixtureRequest) -> WorldKey:
    return _world_key(request.node)


@pytest.fixture
def canvas_store(request: pytest.FixtureRequest, _mockcanvas_worlds: _Worlds,
                 _mockcanvas_world_key: WorldKey) -> Store:
    """The test's world as a :class:`mockcanvas.Store`, exactly as loaded.

    The world comes from the ``canvas_world`` marker, else the ``mockcanvas_world`` ini option,
    else the built-in default world. It is loaded once per session and rolled back in place before
    each test, so changes made by one test never reach the next. It is the same store that
    ``canvas_server`` and ``canvas_client`` serve in this test: rows inserted here are visible
    through HTTP, and the other way round.
    """
    store = _mockcanvas_worlds.store(_mockcanvas_world_key)
    with store.lock:
        store.rollback()
    _apply_progress_marker(request, store)
    return store


@pytest.fixture
def canvas_server(request: pytest.FixtureRequest, _mockcanvas_worlds: _Worlds,
                  _mockcanvas_world_key: WorldKey) -> Iterator[CanvasServer]:
    """A running :class:`mockcanvas.CanvasServer` (a real port) for the test's world.

    For synchronous clients such as ``requests`` and ``canvasapi``. One server per world is
    started on first use and kept for the session; before each test it is reset (store rolled
    back, problems cleared). If during the test the server answers an unknown ``/api/v1`` route
    or a handler raises, the test fails with the method and path of each such request.
    """
    server = _mockcanvas_worlds.server(_mockcanvas_world_key)
    server.reset()
    _apply_progress_marker(request, server.store)
    _watch(request, server.url, server.problems)
    yield server
    _fail_on_late_problems(server.problems)


@pytest.fixture
def canvas_live_events(canvas_store: Store) -> LiveEvents:
    """The live events recorded during this test (empty at its start), in order.

    The same log whether the test talks to ``canvas_server``, ``canvas_client`` or the store::

        canvas_live_events.assert_emitted("group_created", group_name="Team A")
        event = canvas_live_events.wait_for("group_membership_created", timeout=2, user_id=6)
        canvas_live_events.named("group_updated")      # [LiveEvent, ...]
        canvas_live_events.matching(workflow_state="deleted")
        canvas_live_events.clear()

    Each :class:`mockcanvas.events.LiveEvent` has ``name``, ``metadata``, ``body`` and
    ``to_dict()`` (Canvas's ``{"metadata": ..., "body": ...}``). Body ids are strings; an int
    given to a matcher also matches its string form.
    """
    return canvas_store.live_events


@pytest.fixture
def canvas_requests(canvas_store: Store) -> RequestJournal:
    """The calls made to the mock's Canvas routes during this test, in order (any transport)::

        canvas_requests.assert_called("POST", "/api/v1/groups/{group_id}/memberships", times=1)
        canvas_requests.assert_not_called("DELETE", path="/api/v1/groups/1")
        canvas_requests.calls(user_id=6, status=401)

    Each entry has ``method``, ``path``, ``query``, ``route`` (the template), ``user_id`` (the
    effective user, after ``as_user_id``), ``real_user_id`` and ``status``.
    """
    return canvas_store.requests


@pytest.fixture
def canvas_url(canvas_server: CanvasServer) -> str:
    """The base URL of ``canvas_server``, e.g. ``http://127.0.0.1:54321`` (no trailing slash).

    Use it as ``canvasapi.Canvas(canvas_url, token)``'s base URL, or prefix ``/api/v1/...``.
    """
    return canvas_server.url


@pytest.fixture
def canvas_tokens(canvas_store: Store) -> dict[str, str]:
    """Access tokens of the test's world, as a dict of name -> token.

    Keys, earlier rules winning when two give the same key:

    1. each role -> the first token (in world order) of a user with that role: ``"admin"``,
       ``"teacher"``, ``"ta"``, ``"designer"``, ``"student"``, ``"observer"``, or ``"user"`` for
       someone with no admin rights and no enrollment (a user's most privileged role counts);
    2. each token without its ``-token`` suffix -> the token, which is how to reach the second
       user of a role: ``"student2"`` -> ``"student2-token"``, ``"outsider"`` -> ``"outsider-token"``;
    3. each user's name -> their first token: ``"Terry Teacher"`` -> ``"teacher-token"``;
    4. each token -> itself.

    For the default world: ``{"admin": "admin-token", "teacher": "teacher-token",
    "ta": "ta-token", "student": "student-token", "user": "outsider-token", "student2":
    "student2-token", "outsider": "outsider-token", ...}``.
    """
    from .seed import world_summary

    rows = world_summary(canvas_store)
    out: dict[str, str] = {}
    for row in rows:
        out.setdefault(row["role"], row["token"])
    for row in rows:
        token = row["token"]
        if token.endswith("-token") and len(token) > len("-token"):
            out.setdefault(token[: -len("-token")], token)
    for row in rows:
        if row["name"]:
            out.setdefault(row["name"], row["token"])
    for row in rows:
        out.setdefault(row["token"], row["token"])
    return out


if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def canvas_client(request: pytest.FixtureRequest, aiohttp_client: Any, canvas_store: Store,
                            _mockcanvas_worlds: _Worlds, _mockcanvas_world_key: WorldKey) -> AsyncIterator[Any]:
        """An ``aiohttp.test_utils.TestClient`` for the test's world, for async tests.

        ``resp = await canvas_client.get("/api/v1/users/self",
        headers={"Authorization": "Bearer teacher-token"})``. The app (``create_app(canvas_store)``)
        serves the session-cached store, rolled back before the test; it is built once per world
        and event loop (aiohttp binds an app to one loop), so tests sharing a loop
        (``loop_scope="session"``) share it and tests with a loop each get a new one.
        Needs pytest-aiohttp; works in pytest-asyncio's strict and auto modes. Like
        ``canvas_server``, an unknown ``/api/v1`` route or a handler exception fails the test.
        """
        import asyncio

        from .keys import PROBLEMS

        app = _mockcanvas_worlds.app(_mockcanvas_world_key, asyncio.get_running_loop())
        app[PROBLEMS].clear()
        client = await aiohttp_client(app)
        _watch(request, "canvas_client", app[PROBLEMS])
        yield client
        _fail_on_late_problems(app[PROBLEMS])

else:

    @pytest.fixture
    def canvas_client() -> None:
        """Needs pytest-aiohttp (``pip install 'mockcanvas[test]'``)."""
        pytest.fail("canvas_client needs pytest-aiohttp and pytest-asyncio: "
                    "pip install 'pytest-aiohttp>=1.0.5'", pytrace=False)
