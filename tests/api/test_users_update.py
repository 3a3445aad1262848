"""PUT /users/:id (UsersController#update, 2025; canvas-facts-courses-users 6.6).

The permitted ``user[...]`` keys follow the caller's rights; any other key refuses the whole request
with 401 and nothing is saved (checked with ``store.version`` and the live-event log).
"""

from __future__ import annotations

import pytest
from users_support import HOSTILE_IDS, answer_as, assert_unchanged, invalid, marker, set_account

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

SELF_ANSWER_KEYS = ["id", "name", "created_at", "sortable_name", "short_name", "locale", "time_zone"]
ADMIN_ANSWER_KEYS = ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id", "integration_id",
                     "sis_import_id", "login_id", "email", "locale", "time_zone"]


def put(api, user="self", token="student-token", **fields):
    return api.put(f"/api/v1/users/{user}", token=token, data={f"user[{k}]": v for k, v in fields.items()})


# -- names -------------------------------------------------------------------------------------

def test_rename_oneself(api, store):
    r = put(api, name="Samuel Student")
    assert r.status == 200
    body = r.json()
    assert list(body) == SELF_ANSWER_KEYS
    assert (body["name"], body["sortable_name"], body["short_name"]) == ("Samuel Student", "Student, Samuel",
                                                                          "Sam Student")
    sam = store.get("users", 6)
    assert (sam.name, sam.sortable_name, sam.short_name) == ("Samuel Student", "Student, Samuel", "Sam Student")
    assert body["time_zone"] == "UTC" and body["locale"] is None
    assert api.get("/api/v1/users/self", token="student-token").json()["name"] == "Samuel Student"
    assert store.live_events.names() == ["user_updated"]


def test_explicit_sortable_and_short_names(api, store):
    r = put(api, name="Sam Q. Student", sortable_name="Q, Sam", short_name="")
    body = r.json()
    assert (body["sortable_name"], body["short_name"]) == ("Q, Sam", "Sam Q. Student")
    # a sortable name set by hand is not derived again when the name changes
    body = put(api, name="Sam Student").json()
    assert body["sortable_name"] == "Q, Sam"


def test_blank_sortable_name_is_derived_again(api):
    body = put(api, sortable_name="").json()
    assert body["sortable_name"] == "Student, Sam"


def test_name_too_long_changes_nothing(api, store):
    mark = marker(store)
    r = put(api, name="x" * 256)
    assert r.status == 400 and r.json() == invalid("name", "too_long")
    assert_unchanged(store, mark)
    assert put(api, name="y" * 255).status == 200


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Zoë Ångström 山田", "tab\tand\nnewline", " "])
def test_hostile_names_are_saved_as_given(api, store, name):
    r = put(api, name=name)
    assert r.status == 200 and r.json()["name"] == name
    assert store.get("users", 6).name == name
    if "<" in name:
        assert "\\u003cscript\\u003e" in r.text


def test_users_can_edit_name_off_refuses_a_rename(api, store):
    set_account(store, 1, users_can_edit_name=False)
    mark = marker(store)
    r = put(api, name="Other")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert_unchanged(store, mark)
    assert put(api, name="Other", token="admin-token", user=6).status == 200  # admins still may


# -- the permitted set -------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"email": "new@example.edu"},            # manage_user_details only
    {"bogus": "x"},                          # not an attribute at all
    {"name": "Fine", "event": "suspend"},    # one forbidden key refuses the whole request
    {"bio": "hi"},                           # profiles are off
    {"pronouns": "He/Him"},                  # the account lists no pronouns
    {"sis_user_id": "X"},
])
def test_a_key_the_caller_may_not_set_refuses_everything(api, store, fields):
    mark = marker(store)
    r = put(api, **fields)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    assert_unchanged(store, mark)
    assert store.get("users", 6).name == "Sam Student"


@pytest.mark.parametrize("role,status", [
    ("admin", 200), ("teacher", 401), ("ta", 401), ("designer", 401), ("student", 200), ("observer", 401),
    ("outsider", 401),
])
def test_who_may_rename_user_6(api, store, role, status):
    r = answer_as(store, role, status, lambda token: put(api, user="6", token=token, name="Renamed"),
                  refused=(401, UNAUTHORIZED), read_only=False)
    assert r is None or r.json()["name"] == store.get("users", 6).name == "Renamed"


def test_empty_request_from_someone_who_may_is_a_200_that_changes_nothing(api, store):
    mark = marker(store)
    r = api.put("/api/v1/users/self", token="student-token")
    assert r.status == 200 and r.json()["name"] == "Sam Student"
    assert_unchanged(store, mark)
    r = api.put("/api/v1/users/7", token="student-token")  # may set nothing on user 7
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_auth_and_unknown_users(api, store):
    mark = marker(store)
    assert put(api, token=None, name="x").json() == UNAUTHENTICATED
    for ref in HOSTILE_IDS:
        r = put(api, user=ref, token="admin-token", name="x")
        assert (ref, r.status, r.json()) == (ref, 404, NOT_FOUND)
    assert_unchanged(store, mark)


# -- admin fields ------------------------------------------------------------------------------

def test_admin_sets_email_and_suspends(api, store):
    r = put(api, user="sis_user_id:S-006", token="admin-token", email="sam@new.example", event="suspend")
    assert r.status == 200
    body = r.json()
    assert list(body) == ADMIN_ANSWER_KEYS  # avatar_state only with the avatars service on
    assert body["email"] == "sam@new.example"
    sam = store.get("users", 6)
    assert (sam.email, sam.login_state) == ("sam@new.example", "suspended")
    assert store.live_events.names() == []  # a channel and a login changed, not the users row
    put(api, user="6", token="admin-token", event="unsuspend")
    assert store.get("users", 6).login_state == "active"


def test_admin_cannot_suspend_themselves(api, store):
    r = put(api, user="self", token="admin-token", event="suspend")
    assert r.status == 200 and store.get("users", 1).login_state == "active"


def test_avatar_state_included_for_admins_with_avatars_on(api, store):
    set_account(store, 1, avatars=True)
    body = put(api, user="6", token="admin-token", name="Sam Student").json()
    assert body["avatar_state"] == "none" and body["avatar_url"].endswith("/images/messages/avatar-50.png")


# -- time zone and locale ----------------------------------------------------------------------

@pytest.mark.parametrize("given,shown,stored", [
    ("America/Denver", "Mountain Time (US & Canada)", "America/Denver"),
    ("Mountain Time (US & Canada)", "Mountain Time (US & Canada)", "America/Denver"),
    ("Europe/London", "London", "Europe/London"),
    ("America/Boise", "America/Boise", "America/Boise"),
    ("Not/AZone", "UTC", "Etc/UTC"),          # an unknown zone is cleared: the account's applies
    ("america/denver", "UTC", "Etc/UTC"),     # case-sensitive
])
def test_time_zone(api, store, given, shown, stored):
    store._update("accounts", store.get("accounts", 1), default_time_zone="Etc/UTC")
    r = put(api, time_zone=given)
    assert r.status == 200 and r.json()["time_zone"] == shown
    assert store.get("users", 6).time_zone == stored
    assert api.get("/api/v1/users/self/profile", token="student-token").json()["time_zone"] == stored


def test_locale(api, store):
    assert put(api, locale="fr").json()["locale"] == "fr"
    mark = marker(store)
    r = put(api, locale="xx-bogus")
    assert r.status == 400 and r.json() == invalid("locale", "invalid")
    assert_unchanged(store, mark)
    assert put(api, locale="").json()["locale"] is None


def test_update_profile_off_refuses_time_zone(api, store):
    set_account(store, 1, users_can_edit_profile=False)
    assert put(api, time_zone="America/Denver").status == 401


# -- profile fields and pronouns ---------------------------------------------------------------

def test_title_and_bio_with_profiles_on(api, store):
    set_account(store, 1, enable_profiles=True)
    assert put(api, bio="mine").status == 401  # bio needs manage_user_details
    body = put(api, title="Captain").json()
    assert body["title"] == "Captain" and list(body)[-3:] == ["title", "locale", "time_zone"]
    body = put(api, user="6", token="admin-token", bio="A bio").json()
    assert body["bio"] == "A bio" and store.get("users", 6).bio == "A bio"


def test_pronouns(api, store):
    set_account(store, 1, can_add_pronouns=True, pronouns=("She/Her", "He/Him"))
    body = put(api, pronouns="he/him").json()
    assert body["pronouns"] == "He/Him" and store.get("users", 6).pronouns == "He/Him"
    put(api, pronouns="Xe/Xem")  # not in the list: ignored
    assert store.get("users", 6).pronouns == "He/Him"
    body = put(api, pronouns="").json()
    assert "pronouns" not in body and store.get("users", 6).pronouns is None


def test_terms_of_use_only_for_oneself(api, store):
    assert put(api, terms_of_use="true").status == 200 and store.get("users", 6).terms_of_use is True
    assert put(api, user="7", token="admin-token", terms_of_use="true").status == 401


# -- avatar ------------------------------------------------------------------------------------

def test_avatar_url(api, store):
    set_account(store, 1, avatars=True)
    body = put(api, **{"avatar][url": "https://secure.gravatar.com/avatar/123"}).json()
    assert body["avatar_url"] == "https://secure.gravatar.com/avatar/123"
    assert store.get("users", 6).avatar_state == "submitted"
    put(api, **{"avatar][url": "https://evil.example/x.png"})  # not an allowed host: cleared
    sam = store.get("users", 6)
    assert (sam.avatar_url, sam.avatar_state) == (None, "approved")


def test_locked_avatar_only_changes_for_admins(api, store):
    store._update("users", store.get("users", 6), avatar_state="locked")
    put(api, **{"avatar][url": "https://secure.gravatar.com/avatar/1"})
    assert store.get("users", 6).avatar_url is None
    put(api, user="6", token="admin-token", **{"avatar][url": "https://secure.gravatar.com/avatar/1"})
    sam = store.get("users", 6)
    assert (sam.avatar_url, sam.avatar_state) == ("https://secure.gravatar.com/avatar/1", "locked")


def test_json_body_and_odd_values(api, store):
    r = api.put("/api/v1/users/self", token="student-token", json={"user": {"name": 12345, "locale": None}})
    assert r.status == 200 and r.json()["name"] == "12345"
    r = api.put("/api/v1/users/self", token="student-token", json={"user": {"name": ["a"], "short_name": {"x": 1}}})
    assert r.status == 200 and r.json()["name"] == "12345"  # lists and hashes are not permitted scalars
    r = api.put("/api/v1/users/self", token="student-token", json={"user": "not a hash"})
    assert r.status == 200
