"""Who may call each route of the Accounts and Enrollment Terms APIs: the role matrix of
canvas-facts-courses-users section 10 for the default world's teacher, TA, designer, student,
observer and outsider, plus no token and a bad token. A refusal changes nothing."""

from __future__ import annotations

import pytest
from accounts_support import add_tokens, assert_unchanged
from canvas_bodies import UNAUTHENTICATED, UNAUTHORIZED

INVALID_TOKEN = {"errors": [{"message": "Invalid access token."}]}
ROLES = ("teacher-token", "ta-token", "designer-token", "student-token", "observer-token", "outsider-token")
OK = 200

# (method, path, form fields) -> status for each of ROLES
MATRIX = {
    ("GET", "/api/v1/accounts", None): (OK, OK, OK, OK, OK, OK),
    ("GET", "/api/v1/course_accounts", None): (OK, OK, OK, OK, OK, OK),
    ("GET", "/api/v1/accounts/1", None): (OK, OK, OK, 401, 401, 401),
    ("GET", "/api/v1/accounts/1/permissions", None): (OK, OK, OK, 401, 401, 401),
    ("PUT", "/api/v1/accounts/1", (("account[name]", "X"),)): (401,) * 6,
    ("GET", "/api/v1/accounts/1/sub_accounts", None): (401,) * 6,
    ("POST", "/api/v1/accounts/1/sub_accounts", (("account[name]", "X"),)): (401,) * 6,
    ("DELETE", "/api/v1/accounts/1/sub_accounts/2", None): (401,) * 6,
    ("GET", "/api/v1/accounts/1/terms", None): (OK, OK, 401, 401, 401, 401),
    ("GET", "/api/v1/accounts/1/terms/1", None): (OK, OK, 401, 401, 401, 401),
    ("POST", "/api/v1/accounts/1/terms", (("enrollment_term[name]", "X"),)): (401,) * 6,
    ("PUT", "/api/v1/accounts/1/terms/2", (("enrollment_term[name]", "X"),)): (401,) * 6,
    ("DELETE", "/api/v1/accounts/1/terms/2", None): (401,) * 6,
}
CASES = [(method, path, form, role, status) for (method, path, form), statuses in MATRIX.items()
         for role, status in zip(ROLES, statuses)]


@pytest.mark.parametrize("method,path,form,token,status", CASES,
                         ids=[f"{m} {p} {t.removesuffix('-token')}" for m, p, _, t, _ in CASES])
def test_role_matrix(api, store, method, path, form, token, status):
    add_tokens(store)
    before = store.version  # the tokens above are the only change so far
    r = api.request(method, path, token=token, data=dict(form or ()))
    assert r.status == status, r.text
    if status == 401:
        assert r.json() == UNAUTHORIZED
        assert "WWW-Authenticate" not in r.headers
    assert store.version == before, "the request wrote to the store"
    assert store.live_events.all() == []


@pytest.mark.parametrize("method,path,form", list(MATRIX), ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_no_token_or_a_bad_token(api, store, method, path, form):
    r = api.request(method, path, token=None, data=dict(form or ()))
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    r = api.request(method, path, token="forged-token", data=dict(form or ()))
    assert r.status == 401 and r.json() == INVALID_TOKEN
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    assert_unchanged(store)


@pytest.mark.parametrize("method,path,form", [k for k, v in MATRIX.items() if v[0] == OK],
                         ids=[f"{m} {p}" for (m, p, _), v in MATRIX.items() if v[0] == OK])
def test_what_a_teacher_may_read_the_admin_may_too(api, store, method, path, form):
    assert api.request(method, path, token="admin-token", data=dict(form or ())).status == OK
