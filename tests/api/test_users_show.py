"""GET /users/self and /users/:id (UsersController#api_show, 2025; canvas-facts-courses-users 6.1-6.2).

Default world: user 1 admin (root-account admin), 2 teacher (T-002), 6 Sam Student (S-006, login
"student"), 7 Stella Student, 20 outsider; every user's login is in root account 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from users_support import (ADMIN_VIEW_KEYS, HOSTILE_IDS, PERMISSIONS, SELF_KEYS, answer_as, assert_unchanged, marker,
                           set_account)

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED


# -- the body ----------------------------------------------------------------------------------

def test_users_self_as_a_plain_user(api, store):
    r = api.get("/api/v1/users/self", token="student-token")
    assert r.status == 200
    me = r.json()
    sam = store.get("users", 6)
    assert list(me) == SELF_KEYS
    assert me == {"id": 6, "name": "Sam Student", "created_at": me["created_at"], "sortable_name": "Student, Sam",
                  "short_name": "Sam Student", "last_name": "Student", "first_name": "Sam", "locale": None,
                  "effective_locale": "en", "permissions": PERMISSIONS}
    assert me["created_at"] == sam.created_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"


def test_users_self_of_a_teacher_has_no_email_login_or_sis(api):
    me = api.get("/api/v1/users/self").json()
    assert list(me) == SELF_KEYS  # no read_email_addresses / view_user_logins / read_sis in the root account
    assert (me["id"], me["name"], me["first_name"], me["last_name"]) == (2, "Terry Teacher", "Terry", "Teacher")


def test_users_self_of_an_admin(api):
    me = api.get("/api/v1/users/self", token="admin-token").json()
    assert list(me) == [*ADMIN_VIEW_KEYS[:-2], "locale", "effective_locale", "permissions"]
    assert (me["login_id"], me["email"], me["sis_user_id"], me["integration_id"], me["sis_import_id"]) == \
        ("admin", "admin@example.edu", None, None, None)


def test_admin_reading_another_user(api):
    r = api.get("/api/v1/users/sis_user_id:S-006", token="admin-token")
    assert r.status == 200
    sam = r.json()
    assert list(sam) == ADMIN_VIEW_KEYS  # no effective_locale for someone else
    assert (sam["id"], sam["sis_user_id"], sam["login_id"], sam["email"]) == (6, "S-006", "student",
                                                                             "student@example.edu")
    assert sam["permissions"] == PERMISSIONS


def test_self_matches_own_id(api):
    assert api.get("/api/v1/users/self", token="student-token").json() == \
        api.get("/api/v1/users/6", token="student-token").json()


def test_pronouns_come_after_the_login_fields(api, store):
    store._update("users", store.get("users", 6), pronouns="He/Him")
    keys = list(api.get("/api/v1/users/6", token="admin-token").json())
    assert keys.index("pronouns") == keys.index("login_id") + 1


def test_names_split_from_the_sortable_name(api, store):
    store._update("users", store.get("users", 6), name="Madonna", sortable_name="Madonna", short_name="Madonna")
    me = api.get("/api/v1/users/self", token="student-token").json()
    assert (me["first_name"], me["last_name"]) == ("Madonna", "")
    store._update("users", store.get("users", 6), sortable_name="Doe, John, Jr.")
    me = api.get("/api/v1/users/self", token="student-token").json()
    assert (me["first_name"], me["last_name"]) == ("John", "Doe")


def test_locale_and_effective_locale(api, store):
    store._update("users", store.get("users", 6), locale="fr")
    me = api.get("/api/v1/users/self", token="student-token").json()
    assert (me["locale"], me["effective_locale"]) == ("fr", "fr")
    store._update("users", store.get("users", 6), locale=None)
    store._update("accounts", store.get("accounts", 1), default_locale="es")
    me = api.get("/api/v1/users/self", token="student-token").json()
    assert (me["locale"], me["effective_locale"]) == (None, "es")


# -- account settings --------------------------------------------------------------------------

def test_avatars_service_adds_avatar_url_and_can_update_avatar(api, store):
    set_account(store, 1, avatars=True)
    me = api.get("/api/v1/users/self", token="student-token").json()
    assert list(me) == SELF_KEYS[:5] + ["avatar_url"] + SELF_KEYS[5:]
    assert me["avatar_url"] == f"{api.base_url}/images/messages/avatar-50.png"
    assert me["permissions"]["can_update_avatar"] is True
    store._update("users", store.get("users", 6), avatar_url="https://secure.gravatar.com/avatar/abc",
                  avatar_state="locked")
    me = api.get("/api/v1/users/self", token="student-token").json()
    assert me["avatar_url"] == "https://secure.gravatar.com/avatar/abc"
    assert me["permissions"]["can_update_avatar"] is False  # a locked avatar


def test_users_can_edit_name_off(api, store):
    set_account(store, 1, users_can_edit_name=False)
    assert api.get("/api/v1/users/self").json()["permissions"]["can_update_name"] is False


# -- include[] ---------------------------------------------------------------------------------

def test_include_uuid_and_last_login(api, store):
    login = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)
    store._update("users", store.get("users", 6), last_login=login)
    me = api.get("/api/v1/users/self?include[]=uuid&include[]=last_login", token="student-token").json()
    assert list(me) == SELF_KEYS[:-1] + ["last_login", "permissions", "uuid"]
    assert me["uuid"] == store.get("users", 6).uuid and len(me["uuid"]) == 40
    assert me["last_login"] == "2026-03-01T12:30:00Z"
    assert api.get("/api/v1/users/7?include[]=last_login", token="admin-token").json()["last_login"] is None


def test_avatar_state_and_confirmation_url_only_for_admins(api, store):
    set_account(store, 1, avatars=True)
    q = "include[]=avatar_state&include[]=confirmation_url&include[]=bogus"
    mine = api.get(f"/api/v1/users/self?{q}", token="student-token").json()
    assert "avatar_state" not in mine and "confirmation_url" not in mine and "bogus" not in mine
    theirs = api.get(f"/api/v1/users/6?{q}", token="admin-token").json()
    assert theirs["avatar_state"] == "none"
    assert theirs["confirmation_url"].startswith(f"{api.base_url}/register/")


def test_avatar_state_needs_the_avatars_service(api):
    assert "avatar_state" not in api.get("/api/v1/users/6?include[]=avatar_state", token="admin-token").json()


# -- who may see whom --------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [
    ("admin", 200), ("teacher", 404), ("ta", 404), ("designer", 404), ("student", 200), ("observer", 404),
    ("outsider", 404),
])
def test_who_may_read_user_6(api, store, role, status):
    r = answer_as(store, role, status, lambda token: api.get("/api/v1/users/6", token=token), refused=(404, NOT_FOUND))
    assert r is None or r.json()["id"] == 6


def test_sub_account_admin_sees_only_users_of_their_accounts(api, store):
    store.insert("admins", account_id=2, user_id=20)  # the outsider administers School of Science
    assert api.get("/api/v1/users/8", token="outsider-token").status == 200  # a student of course 2
    assert api.get("/api/v1/users/7", token="outsider-token").status == 404  # only in course 1 (account 1)
    # an enrollment in a course of the sub-account makes user 7 theirs too
    store.insert("enrollments", user_id=7, course_id=2, course_section_id=3, type="StudentEnrollment")
    assert api.get("/api/v1/users/7", token="outsider-token").status == 200


def test_no_token_and_bad_token(api):
    r = api.get("/api/v1/users/self", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    r = api.get("/api/v1/users/6", token="no-such-token")
    assert r.status == 401 and r.json() == {"errors": [{"message": "Invalid access token."}]}


def test_deleted_user_is_404_with_the_user_body(api, store):
    store._update("users", store.get("users", 7), workflow_state="deleted")
    r = api.get("/api/v1/users/7", token="admin-token")
    assert r.status == 404
    assert r.json()["id"] == 7 and list(r.json()) == ADMIN_VIEW_KEYS
    r = api.get("/api/v1/users/7", token="student-token")  # no right to see them: the plain 404
    assert r.status == 404 and r.json() == NOT_FOUND


# -- path ids ----------------------------------------------------------------------------------

def test_every_user_id_form(api, store):
    sam = store.get("users", 6)
    store._update("users", sam, integration_id="INT-6", lti_context_id="lti-6-abc")
    forms = ["6", "sis_user_id:S-006", "sis_login_id:student", "sis_login_id:STUDENT", "sis_integration_id:INT-6",
             f"uuid:{sam.uuid}", "lti_context_id:lti-6-abc", "lti_user_id:lti-6-abc",
             "hex:sis_user_id:532d303036", "0~6", "6.json"]
    for ref in forms:
        r = api.get(f"/api/v1/users/{ref}", token="admin-token")
        assert (ref, r.status, r.json()["id"]) == (ref, 200, 6)


@pytest.mark.parametrize("ref", HOSTILE_IDS)
def test_unknown_and_hostile_ids_are_404(api, store, ref):
    mark = marker(store)
    r = api.get(f"/api/v1/users/{ref}", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store, mark)


def test_created_at_in_the_viewers_time_zone(api, store):
    store._update("users", store.get("users", 2), time_zone="America/Denver")
    sam = store.get("users", 6)
    store._update("users", store.get("users", 1), time_zone="America/Denver")
    text = api.get("/api/v1/users/6", token="admin-token").json()["created_at"]
    assert text[-6:] in ("-06:00", "-07:00")
    assert datetime.fromisoformat(text) == sam.created_at.astimezone(timezone.utc).replace(microsecond=0)
    assert api.get("/api/v1/users/6", token="student-token").json()["created_at"].endswith("Z")
    offset = datetime.fromisoformat(text).utcoffset()
    assert offset in (timedelta(hours=-6), timedelta(hours=-7))


USERS_ROUTES = [("GET", "/api/v1/users/6"), ("GET", "/api/v1/users/6/profile"), ("PUT", "/api/v1/users/6"),
                ("GET", "/api/v1/users/6/settings"), ("PUT", "/api/v1/users/6/settings"),
                ("GET", "/api/v1/accounts/1/users"), ("POST", "/api/v1/accounts/1/users")]


@pytest.mark.parametrize("method,path", USERS_ROUTES)
def test_every_users_route_refuses_no_token_and_a_bad_token(api, store, method, path):
    mark = marker(store)
    data = {"user[name]": "X", "pseudonym[unique_id]": "x@example.edu"} if method != "GET" else None
    r = api.request(method, path, token=None, data=data)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    r = api.request(method, path, token="no-such-token", data=data)
    assert r.status == 401 and r.json() == {"errors": [{"message": "Invalid access token."}]}
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    assert_unchanged(store, mark)
