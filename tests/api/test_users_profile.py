"""GET /users/:user_id/profile (ProfileController#settings, lib/api/v1/user_profile.rb) and
GET|PUT /users/:id/settings (UsersController#settings): canvas-facts-courses-users 6.3 and 6.6."""

from __future__ import annotations

import pytest
from users_support import (ALL_TOKENS, BOOLEAN_PREFS, HOSTILE_IDS, answer_as, assert_unchanged, marker, set_account,
                           with_role_tokens)

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

OWN_PROFILE_KEYS = ["id", "name", "short_name", "sortable_name", "title", "bio", "pronunciation", "primary_email",
                    "login_id", "integration_id", "time_zone", "locale", "effective_locale", "calendar", "k5_user",
                    "use_classic_font_in_k5"]
ADMIN_PROFILE_KEYS = ["id", "name", "short_name", "sortable_name", "sis_user_id", "login_id", "integration_id",
                      "title", "bio", "pronunciation", "primary_email", "time_zone", "locale"]
NO_PREFS = dict.fromkeys(BOOLEAN_PREFS, False)


# -- profile -----------------------------------------------------------------------------------

def test_own_profile(api, store):
    r = api.get("/api/v1/users/self/profile", token="student-token")
    assert r.status == 200
    sam = store.get("users", 6)
    assert r.json() == {
        "id": 6, "name": "Sam Student", "short_name": "Sam Student", "sortable_name": "Student, Sam",
        "title": None, "bio": None, "pronunciation": None, "primary_email": "student@example.edu",
        "login_id": "student", "integration_id": None, "time_zone": "Etc/UTC", "locale": None,
        "effective_locale": "en", "calendar": {"ics": f"{api.base_url}/feeds/calendars/user_{sam.uuid}.ics"},
        "k5_user": False, "use_classic_font_in_k5": False}
    assert list(r.json()) == OWN_PROFILE_KEYS


def test_admin_sees_sis_and_login_in_place(api):
    body = api.get("/api/v1/users/6/profile", token="admin-token").json()
    assert list(body) == ADMIN_PROFILE_KEYS
    assert (body["sis_user_id"], body["login_id"]) == ("S-006", "student")


def test_teacher_of_the_student_sees_the_profile_with_email(api):
    body = api.get("/api/v1/users/sis_user_id:S-006/profile").json()
    assert "sis_user_id" not in body  # no read_sis in the root account
    assert body["primary_email"] == "student@example.edu" and body["login_id"] == "student"
    assert "calendar" not in body and "effective_locale" not in body


def test_profile_fields_time_zone_lti_and_avatar(api, store):
    set_account(store, 1, avatars=True)
    store._update("users", store.get("users", 6), title="Dr.", bio="<b>Hi</b>", pronouns="He/Him",
                  time_zone="America/Denver", lti_context_id="lti-abc", locale="de")
    body = api.get("/api/v1/users/self/profile", token="student-token").json()
    assert list(body)[:6] == ["id", "name", "short_name", "sortable_name", "avatar_url", "pronouns"]
    assert (body["title"], body["bio"], body["pronouns"]) == ("Dr.", "<b>Hi</b>", "He/Him")
    assert body["time_zone"] == "America/Denver"  # IANA here, the Rails name in user_json
    assert (body["locale"], body["effective_locale"], body["lti_user_id"]) == ("de", "de", "lti-abc")
    assert '\\u003cb\\u003eHi' in api.get("/api/v1/users/self/profile", token="student-token").text


def test_profile_includes(api):
    body = api.get("/api/v1/users/self/profile?include[]=uuid&include[]=links&include[]=user_services",
                   token="student-token").json()
    assert (body["user_services"], body["links"], len(body["uuid"])) == ([], [], 40)
    assert list(body)[-3:] == ["user_services", "links", "uuid"]


@pytest.mark.parametrize("role,status", [
    ("admin", 200), ("teacher", 200), ("ta", 200), ("designer", 401), ("student", 401), ("observer", 401),
    ("outsider", 401),
])
def test_who_may_read_user_7s_profile(api, store, role, status):
    r = answer_as(store, role, status, lambda token: api.get("/api/v1/users/7/profile", token=token),
                  refused=(401, UNAUTHORIZED))
    assert r is None or r.json()["id"] == 7


def test_profile_auth_and_unknown(api):
    assert api.get("/api/v1/users/6/profile", token=None).json() == UNAUTHENTICATED
    r = api.get("/api/v1/users/sis_user_id:NOPE/profile", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND


# -- settings ----------------------------------------------------------------------------------

def test_settings_defaults(api):
    r = api.get("/api/v1/users/self/settings", token="student-token")
    assert r.status == 200 and r.json() == NO_PREFS
    assert list(r.json()) == BOOLEAN_PREFS


def test_update_settings_form_and_read_back(api, store):
    r = api.put("/api/v1/users/self/settings", token="student-token",
                data={"manual_mark_as_read": "true", "collapse_global_nav": "1", "bogus": "true"})
    assert r.status == 200
    assert r.json() == {**NO_PREFS, "manual_mark_as_read": True, "collapse_global_nav": True}
    assert api.get("/api/v1/users/6/settings", token="student-token").json() == r.json()
    assert dict(store.get("users", 6).preferences) == {"manual_mark_as_read": True, "collapse_global_nav": True}
    assert store.live_events.names() == ["user_updated"]
    # false turns one off; an unknown word counts as false; a missing one is left alone
    r = api.put("/api/v1/users/self/settings", token="student-token",
                json={"manual_mark_as_read": False, "collapse_global_nav": "maybe"})
    assert r.json() == NO_PREFS


def test_update_settings_without_change_emits_nothing(api, store):
    mark = marker(store)
    r = api.put("/api/v1/users/self/settings", token="student-token", data={"manual_mark_as_read": "false"})
    assert r.status == 200 and r.json() == NO_PREFS
    assert_unchanged(store, mark)


@pytest.mark.parametrize("role,get_status,put_status", [
    ("admin", 200, 200), ("teacher", 401, 401), ("ta", 401, 401), ("designer", 401, 401),
    ("student", 200, 200), ("observer", 401, 401), ("outsider", 401, 401),
])
def test_who_may_read_and_write_user_6s_settings(api, store, role, get_status, put_status):
    with_role_tokens(store)
    mark = marker(store)
    g = api.get("/api/v1/users/6/settings", token=ALL_TOKENS[role])
    assert g.status == get_status and (g.json() == NO_PREFS if get_status == 200 else g.json() == UNAUTHORIZED)
    p = api.put("/api/v1/users/6/settings", token=ALL_TOKENS[role], data={"collapse_course_nav": "true"})
    assert p.status == put_status
    if put_status == 401:
        assert p.json() == UNAUTHORIZED
        assert_unchanged(store, mark)
    else:
        assert p.json()["collapse_course_nav"] is True


def test_settings_auth_and_unknown(api, store):
    mark = marker(store)
    assert api.put("/api/v1/users/6/settings", token=None, data={"manual_mark_as_read": "1"}).json() == UNAUTHENTICATED
    for ref in HOSTILE_IDS:
        r = api.put(f"/api/v1/users/{ref}/settings", token="admin-token", data={"manual_mark_as_read": "1"})
        assert (ref, r.status, r.json()) == (ref, 404, NOT_FOUND)
    assert_unchanged(store, mark)


def test_settings_odd_values_never_fail(api, store):
    r = api.put("/api/v1/users/self/settings", token="student-token",
                json={"manual_mark_as_read": {"a": 1}, "collapse_global_nav": ["x"], "collapse_course_nav": 1})
    assert r.status == 200
    assert r.json() == {**NO_PREFS, "collapse_course_nav": True}
