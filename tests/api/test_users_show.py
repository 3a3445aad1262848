"""GET /users/self and /users/:id (UsersController#api_show)"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from canvas_bodies import NOT_FOUND, UNAUTHORIZED

PERMISSIONS = {"can_update_name", "can_update_avatar", "limit_parent_app_web_access"}


# -- GET /api/v1/users/self and /users/:id ------------------------------------------------------

def test_users_self(api):
    r = api.get("/api/v1/users/self")
    assert r.status == 200
    me = r.json()
    assert me["id"] == 2 and me["name"] == "Terry Teacher"
    assert me["sortable_name"] == "Teacher, Terry" and me["short_name"] == "Terry Teacher"
    assert me["avatar_url"] == f"{api.base_url}/images/messages/avatar-50.png"
    assert me["locale"] is None and me["effective_locale"] == "en"
    assert set(me["permissions"]) == PERMISSIONS
    assert all(isinstance(v, bool) for v in me["permissions"].values())
    assert me["created_at"].endswith("Z")  # a UTC viewer
    # user_json in the root account: a teacher has no view_user_logins, read_sis or
    # read_email_addresses there, not even about themselves
    assert "login_id" not in me and "sis_user_id" not in me and "email" not in me


def test_users_self_of_an_admin_has_login_and_sis(api):
    me = api.get("/api/v1/users/self", token="admin-token").json()
    assert me["id"] == 1
    assert me["login_id"] == "admin"
    assert me["email"] == "admin@example.edu"
    assert "sis_user_id" in me and me["sis_user_id"] is None


def test_users_self_matches_users_by_id(api):
    by_self = api.get("/api/v1/users/self", token="student-token").json()
    by_id = api.get("/api/v1/users/6", token="student-token").json()
    assert by_self == by_id
    assert by_self["id"] == 6 and by_self["name"] == "Sam Student"


def test_user_by_sis_id_for_a_teacher_who_shares_a_course(api):
    r = api.get("/api/v1/users/sis_user_id:S-006")
    assert r.status == 200
    sam = r.json()
    assert sam["id"] == 6 and sam["sortable_name"] == "Student, Sam"
    assert "effective_locale" not in sam  # only for oneself
    assert set(sam["permissions"]) == PERMISSIONS
    assert "sis_user_id" not in sam and "login_id" not in sam and "email" not in sam


def test_user_by_sis_id_for_an_admin(api):
    sam = api.get("/api/v1/users/sis_user_id:S-006", token="admin-token").json()
    assert sam["id"] == 6
    assert (sam["sis_user_id"], sam["login_id"], sam["email"]) == ("S-006", "student", "student@example.edu")
    assert api.get("/api/v1/users/sis_login_id:student2", token="admin-token").json()["id"] == 7


def test_student_sees_a_classmate(api):
    r = api.get("/api/v1/users/7", token="student-token")
    assert r.status == 200 and r.json()["name"] == "Stella Student"


def test_outsider_cannot_see_a_student(api):
    r = api.get("/api/v1/users/6", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers


@pytest.mark.parametrize("ref", ["999", "sis_user_id:NOPE"])
def test_unknown_user_is_404(api, ref):
    r = api.get(f"/api/v1/users/{ref}")
    assert r.status == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("zone", ["America/Denver"])
def test_created_at_in_the_viewers_time_zone(api, store, zone):
    teacher = store.get("users", 2)
    store._update("users", teacher, time_zone=zone)
    sam = store.get("users", 6)
    for path in ("/api/v1/users/self", "/api/v1/users/6"):
        text = api.get(path).json()["created_at"]
        assert text[-6:] in ("-06:00", "-07:00"), text
    shown = datetime.fromisoformat(api.get("/api/v1/users/6").json()["created_at"])
    assert shown == sam.created_at.astimezone(timezone.utc).replace(microsecond=0)
    # the same user seen by a UTC viewer
    assert api.get("/api/v1/users/6", token="student-token").json()["created_at"].endswith("Z")
    listed = api.get("/api/v1/courses/1/users?user_ids[]=6").json()
    assert listed[0]["created_at"][-6:] in ("-06:00", "-07:00")
