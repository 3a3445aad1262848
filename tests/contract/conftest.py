"""Contract tests: the real ``canvasapi`` client, over real HTTP, against the mock (or a real Canvas).

Where the requests go
---------------------
By default every test talks to the mock: the ``canvas_server`` fixture of the mockcanvas pytest
plugin (a threaded server on 127.0.0.1 serving the built-in default world, rolled back before
each test). Nothing needs configuring.

To check that the *same* tests hold against a real Canvas (and therefore that the mock behaves
like one), set:

``MOCKCANVAS_REAL_URL``
    base URL of the instance, without ``/api/v1`` (e.g. ``https://canvas.example.edu``).
``MOCKCANVAS_REAL_TEACHER_TOKEN``
    an access token of a teacher of the course below (required with the URL).
``MOCKCANVAS_REAL_STUDENT_TOKEN``
    optional: a token of a student of that course (tests that need one are skipped without it).
``MOCKCANVAS_REAL_COURSE_ID``
    optional: the course the teacher teaches (tests that need a course are skipped without it).
``MOCKCANVAS_REAL_ADMIN_TOKEN`` and ``MOCKCANVAS_REAL_ACCOUNT_ID``
    optional: an account admin's token and the (integer) id of an account they administer, for
    ``Account.get_groups`` (skipped without both; canvasapi's ``get_account`` takes no ``self``).

Then no mock server is started, and:

* tests that read or arrange the mock's store (fixture ``mock_store``) or rely on the default
  world's ids, names and seeded groups (fixture ``mock_only``) are **skipped**;
* the remaining tests create what they need (community groups via ``Canvas.create_group``) and
  delete it again at teardown (fixture ``created_groups``). They write to the instance: use a
  test instance.

Setting only one of URL / teacher token is a usage error, not a silent fall-back to the mock.

Fixtures: ``target`` (where and who), ``teacher`` / ``student`` / ``student2`` / ``admin``
(``canvasapi.Canvas`` clients), ``course_id``, ``account_id``, ``mock_store``, ``mock_only``, ``http_log``
(records every request/response a client makes, for asserting on URLs and headers),
``created_groups``, ``mock_user_client`` (a client for any user of the mock's world).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from canvasapi import Canvas
from canvasapi.exceptions import CanvasException

ENV_URL = "MOCKCANVAS_REAL_URL"
ENV_TEACHER = "MOCKCANVAS_REAL_TEACHER_TOKEN"
ENV_STUDENT = "MOCKCANVAS_REAL_STUDENT_TOKEN"
ENV_COURSE = "MOCKCANVAS_REAL_COURSE_ID"
ENV_ADMIN = "MOCKCANVAS_REAL_ADMIN_TOKEN"
ENV_ACCOUNT = "MOCKCANVAS_REAL_ACCOUNT_ID"

# Tokens of the built-in default world (mockcanvas/datasets/default.yaml).
MOCK_TOKENS = {
    "admin": "admin-token",
    "teacher": "teacher-token",
    "student": "student-token",  # Sam Student, id 6, leader of Project Group 1
    "student2": "student2-token",  # Stella Student, id 7, in Project Group 2 and Study Buddies
    "outsider": "outsider-token",  # Ulysses Outsider, id 20, no enrollments
}
MOCK_COURSE_ID = 1
MOCK_ACCOUNT_ID = 1


def _real_settings() -> dict[str, str] | None:
    url = os.environ.get(ENV_URL, "").strip()
    teacher = os.environ.get(ENV_TEACHER, "").strip()
    if not url and not teacher:
        return None
    if not (url and teacher):
        raise pytest.UsageError(f"contract tests: set both {ENV_URL} and {ENV_TEACHER} (or neither, "
                                "to run against the mock)")
    return {"url": url.rstrip("/"), "teacher": teacher}


@dataclass
class Target:
    """Where the contract tests send their requests, and the tokens they may use."""

    url: str
    tokens: dict[str, str]
    course_id: int | None
    account_id: int | None
    server: Any = None  # the mock's CanvasServer, None against a real Canvas
    clients: list[Canvas] = field(default_factory=list)

    @property
    def is_mock(self) -> bool:
        return self.server is not None

    def client(self, role: str) -> Canvas:
        """A ``canvasapi.Canvas`` for ``role``'s token (skips when the target has no such token)."""
        token = self.tokens.get(role)
        if not token:
            pytest.skip(f"no {role} token for this target")
        return self.client_for_token(token)

    def client_for_token(self, token: str) -> Canvas:
        with warnings.catch_warnings():
            # canvasapi warns about plain-HTTP URLs; the mock listens on http://127.0.0.1
            warnings.filterwarnings("ignore", message="Canvas may respond unexpectedly", category=UserWarning)
            canvas = Canvas(self.url, token)
        self.clients.append(canvas)
        return canvas


@pytest.fixture
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    out = _target(request)
    yield out
    for canvas in out.clients:
        canvas._Canvas__requester._session.close()


def _target(request: pytest.FixtureRequest) -> Target:
    real = _real_settings()
    if real is None:
        server = request.getfixturevalue("canvas_server")
        return Target(url=server.url, tokens=dict(MOCK_TOKENS), course_id=MOCK_COURSE_ID,
                      account_id=MOCK_ACCOUNT_ID, server=server)
    tokens = {"teacher": real["teacher"]}
    for role, env in (("student", ENV_STUDENT), ("admin", ENV_ADMIN)):
        if os.environ.get(env, "").strip():
            tokens[role] = os.environ[env].strip()
    course = os.environ.get(ENV_COURSE, "").strip()
    account = os.environ.get(ENV_ACCOUNT, "").strip()
    return Target(url=real["url"], tokens=tokens, course_id=int(course) if course else None,
                  account_id=int(account) if account else None)


@pytest.fixture
def mock_only(target: Target) -> None:
    """Skip against a real Canvas: the test relies on the mock's default world (ids, names,
    seeded groups and stream items)."""
    if not target.is_mock:
        pytest.skip("relies on the mock's default world; not run against a real Canvas")


@pytest.fixture
def mock_store(target: Target, mock_only: None) -> Any:
    """The mock's :class:`mockcanvas.Store` (read it under ``store.lock``); skips against a real Canvas."""
    return target.server.store


@pytest.fixture
def teacher(target: Target) -> Canvas:
    return target.client("teacher")


@pytest.fixture
def student(target: Target) -> Canvas:
    return target.client("student")


@pytest.fixture
def student2(target: Target, mock_only: None) -> Canvas:
    return target.client("student2")


@pytest.fixture
def admin(target: Target) -> Canvas:
    return target.client("admin")


@pytest.fixture
def mock_user_client(target: Target, mock_store: Any):
    """``canvas = mock_user_client(user_id)``: a ``canvasapi.Canvas`` acting as that user of the
    mock's world (a token is added to the store; rolled back before the next test). Skips
    against a real Canvas, where only the tokens of the environment exist."""

    def make(user_id: int) -> Canvas:
        token = f"contract-user-{user_id}-token"
        if mock_store.user_for_token(token) is None:
            mock_store.add_token(token, user_id)
        return target.client_for_token(token)

    return make


@pytest.fixture
def account_id(target: Target) -> int:
    if target.account_id is None:
        pytest.skip(f"no account for this target (set {ENV_ACCOUNT})")
    return target.account_id


@pytest.fixture
def course_id(target: Target) -> int:
    if target.course_id is None:
        pytest.skip(f"no course for this target (set {ENV_COURSE})")
    return target.course_id


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    headers: dict[str, str]  # response headers (case-insensitive)
    request_headers: dict[str, str]  # case-insensitive
    request_body: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.request_body, keep_blank_values=True)


@pytest.fixture
def http_log():
    """``log = http_log(canvas)``: from then on every response ``canvas`` receives is appended
    to ``log`` as an :class:`Exchange` (one list per call; several clients may share one)."""

    def attach(canvas: Canvas, log: list[Exchange] | None = None) -> list[Exchange]:
        log = [] if log is None else log
        session = canvas._Canvas__requester._session

        def hook(response, *args, **kwargs):
            body = response.request.body
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            log.append(Exchange(response.request.method, response.url, response.status_code,
                                response.headers.copy(), response.request.headers.copy(),
                                body if isinstance(body, str) else ""))

        session.hooks["response"].append(hook)
        return log

    return attach


@pytest.fixture
def created_groups(target: Target, teacher: Canvas):
    """Ids of groups a test created; against a real Canvas they are deleted at teardown (the
    mock is rolled back before the next test anyway)."""
    ids: list[int] = []
    yield ids
    if target.is_mock:
        return
    for gid in ids:
        try:
            teacher.get_group(gid).delete()
        except CanvasException:
            pass
