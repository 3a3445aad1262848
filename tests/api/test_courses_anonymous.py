"""``GET /courses/:id`` without a token (CoursesController#show asks for no user): an available
course that is public can be read by anyone; anything else asks for a login, as Canvas's
``render_unauthorized_action`` does for a visitor (401 "user authorization required")."""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED


def _make(store, course_id, **changes):
    store._update("courses", store.get("courses", course_id), **changes)


def test_a_public_course_is_read_without_a_token(api, store):
    _make(store, 2, is_public=True)
    r = api.get("/api/v1/courses/2", token=None)
    assert r.status == 200
    body = r.json()
    assert body["id"] == 2 and body["name"] == "Advanced Mocking" and body["is_public"] is True
    assert body["enrollments"] == []  # nobody's enrollments
    assert "sis_course_id" not in body  # no rights
    assert "X-Canvas-User-Id" not in r.headers
    assert api.get("/api/v1/courses/2.json", token=None).json() == body
    # the journal records the call with no user
    call = store.requests.calls()[-1]
    assert call["path"] == "/api/v1/courses/2.json" and call["user_id"] is None and call["status"] == 200


@pytest.mark.parametrize("changes", [
    {},  # not public
    {"is_public": True, "workflow_state": "claimed"},  # public but unpublished
    {"is_public": True, "workflow_state": "completed"},  # public but concluded
    {"is_public_to_auth_users": True},  # for logged-in users only
])
def test_anything_else_asks_for_a_login(api, store, changes):
    if changes:
        _make(store, 2, **changes)
    r = api.get("/api/v1/courses/2", token=None)
    assert r.status == 401
    assert r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'


def test_public_to_authenticated_users_needs_any_token(api, store):
    _make(store, 2, is_public_to_auth_users=True)
    assert api.get("/api/v1/courses/2", token="outsider-token").status == 200
    assert api.get("/api/v1/courses/2", token=None).status == 401


def test_a_bad_token_is_refused_even_for_a_public_course(api, store):
    _make(store, 2, is_public=True)
    r = api.get("/api/v1/courses/2", token="nope")
    assert r.status == 401
    assert r.json() == {"errors": [{"message": "Invalid access token."}]}


def test_unknown_and_deleted_courses_are_404_without_a_token(api, store):
    assert api.get("/api/v1/courses/999", token=None).json() == NOT_FOUND
    _make(store, 2, is_public=True, workflow_state="deleted")
    r = api.get("/api/v1/courses/2", token=None)
    assert r.status == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("path", ["/api/v1/courses", "/api/v1/courses/2/users",
                                  "/api/v1/accounts/1/courses/2", "/api/v1/courses/2/settings"])
def test_other_course_routes_still_need_a_token(api, store, path):
    _make(store, 2, is_public=True)
    r = api.get(path, token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED


def test_as_user_id_without_a_token_is_refused(api, store):
    _make(store, 2, is_public=True)
    r = api.get("/api/v1/courses/2?as_user_id=6", token=None)
    assert r.status == 401 and r.json() == {"errors": "Invalid as_user_id"}
