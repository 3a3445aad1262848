"""GET /accounts/:id (AccountsController#show)"""

from __future__ import annotations


import pytest

from canvas_bodies import NOT_FOUND, UNAUTHORIZED

# -- GET /api/v1/accounts/:id ------------------------------------------------------------------

def test_account_for_an_admin(api):
    r = api.get("/api/v1/accounts/1", token="admin-token")
    assert r.status == 200
    a = r.json()
    assert (a["id"], a["name"], a["parent_account_id"], a["root_account_id"]) == (1, "Mock University", None, None)
    assert a["sis_account_id"] == "MOCKU"
    sub = api.get("/api/v1/accounts/2", token="admin-token").json()
    assert (sub["name"], sub["parent_account_id"], sub["root_account_id"]) == ("School of Science", 1, 1)
    assert api.get("/api/v1/accounts/self", token="admin-token").json()["id"] == 1
    assert api.get("/api/v1/accounts/sis_account_id:SCI", token="admin-token").json()["id"] == 2


@pytest.mark.parametrize("token", ["teacher-token", "student-token", "outsider-token"])
def test_account_needs_an_admin(api, token):
    r = api.get("/api/v1/accounts/1", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers


def test_unknown_account_is_404(api):
    r = api.get("/api/v1/accounts/999", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
