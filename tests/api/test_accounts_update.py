"""PUT /accounts/:id (AccountsController#update_api): what each part of ``account[...]`` changes,
every error body (401 errors hash for unauthorized parts, 400 for invalid values), that a refused
request changes nothing, and the ``account_updated`` live event (canvas-facts-courses-users
sections 7.2 and 9)."""

from __future__ import annotations

import pytest
from accounts_support import (ROOT_KEYS, SUB_KEYS, assert_unchanged, errors, make_account, make_admin, mark,
                              root_json, sub_json)
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED
from live_event_shapes import check_shape

NAME_BLANK = ("name", "The account name cannot be blank")
INTEGER = "An integer value is required"
EVENT_KEYS = ["name", "account_id", "root_account_id", "root_account_uuid", "parent_account_id", "external_status",
              "workflow_state", "domain", "default_time_zone", "default_locale"]
REQUEST_METADATA = {"client_ip", "context_account_id", "context_id", "context_role", "context_sis_source_id",
                    "context_type", "event_name", "event_time", "hostname", "http_method", "producer", "referrer",
                    "request_id", "root_account_id", "root_account_lti_guid", "root_account_uuid", "session_id",
                    "time_zone", "url", "user_account_id", "user_agent", "user_id", "user_login", "user_sis_id"}


def zone_error(zone: str) -> tuple[str, str]:
    return ("default_time_zone", f"'{zone}' is not a recognized time zone")


def put(api, account="1", token="admin-token", **kw):
    return api.put(f"/api/v1/accounts/{account}", token=token, **kw)


def host(api) -> str:
    return api.base_url.split("://")[1].split(":")[0]


# -- successes -----------------------------------------------------------------------------------

def test_rename_zone_and_quotas(api, store):
    r = put(api, data={"account[name]": "Mock State University",
                       "account[default_time_zone]": "Mountain Time (US & Canada)",
                       "account[default_storage_quota_mb]": "600", "account[default_user_storage_quota_mb]": "+75",
                       "account[default_group_storage_quota_mb]": " 80 "})
    assert r.status == 200
    expected = root_json(store, 1, name="Mock State University", default_storage_quota_mb=600,
                         default_user_storage_quota_mb=75, default_group_storage_quota_mb=80,
                         default_time_zone="America/Denver",
                         default_time_zone_friendly_name="Mountain Time (US & Canada)")
    assert r.json() == expected and list(r.json()) == ROOT_KEYS
    a = store.get("accounts", 1)
    assert (a.name, a.default_time_zone, a.default_storage_quota_mb, a.default_user_storage_quota_mb,
            a.default_group_storage_quota_mb) == ("Mock State University", "America/Denver", 600, 75, 80)
    assert api.get("/api/v1/accounts/1", token="admin-token").json() == expected
    # the sub-account inherits the course and group quotas and the zone, not the user quota
    assert api.get("/api/v1/accounts/2", token="admin-token").json() == sub_json(
        store, 2, default_storage_quota_mb=600, default_group_storage_quota_mb=80)


def test_update_sends_account_updated(api, store):
    put(api, json={"account": {"name": "Renamed U", "default_time_zone": "Europe/London"}})
    (event,) = store.live_events.all()
    assert event.name == "account_updated"
    a = store.get("accounts", 1)
    assert event.body == {"name": "Renamed U", "account_id": "1", "root_account_id": "1", "root_account_uuid": a.uuid,
                          "parent_account_id": None, "external_status": None, "workflow_state": "active",
                          "domain": host(api), "default_time_zone": "Europe/London", "default_locale": None}
    assert list(event.body) == EVENT_KEYS
    assert set(event.metadata) == REQUEST_METADATA
    check_shape(event)  # against Canvas's documented example (tests/data/canvas_live_event_examples.json)
    assert (event.metadata["context_type"], event.metadata["context_id"], event.metadata["context_role"]) == (
        "Account", "1", "AccountAdmin")
    assert event.metadata["http_method"] == "PUT" and event.metadata["url"].endswith("/api/v1/accounts/1")


def test_update_through_self_names_the_account_as_context(api, store):
    r = put(api, "self", data={"account[name]": "Via Self"})
    assert r.status == 200 and r.json()["name"] == "Via Self"
    (event,) = store.live_events.all()
    assert (event.metadata["context_type"], event.metadata["context_id"]) == ("Account", "1")


@pytest.mark.parametrize("zone,iana,friendly", [
    ("America/New_York", "America/New_York", "Eastern Time (US & Canada)"),
    ("Europe/London", "Europe/London", "Edinburgh"),  # the first Rails name of the zone
    ("UTC", "Etc/UTC", "UTC"),
    ("Asia/Kathmandu", "Asia/Kathmandu", "Kathmandu"),
    ("America/Boise", "America/Boise", "America/Boise"),  # no Rails name: the IANA name
])
def test_zones(api, store, zone, iana, friendly):
    body = put(api, data={"account[default_time_zone]": zone}).json()
    assert (body["default_time_zone"], body["default_time_zone_friendly_name"]) == (iana, friendly)
    assert store.get("accounts", 1).default_time_zone == iana


def test_same_values_change_nothing_and_send_no_event(api, store):
    r = put(api, data={"account[name]": "Mock University", "account[default_time_zone]": "Etc/UTC"})
    assert r.status == 200 and r.json() == root_json(store, 1)
    assert_unchanged(store)


def test_no_account_hash_answers_the_account_unchanged(api, store):
    r = put(api, data={"other": "x"})
    assert r.status == 200 and r.json() == root_json(store, 1)
    assert_unchanged(store)


def test_quota_equal_to_the_inherited_value_inherits(api, store):
    r = put(api, "2", data={"account[default_storage_quota_mb]": "500", "account[default_group_storage_quota_mb]": "0"})
    assert r.status == 200 and r.json() == sub_json(store, 2)
    a = store.get("accounts", 2)
    assert (a.default_storage_quota_mb, a.default_group_storage_quota_mb) == (None, None)
    put(api, data={"account[default_storage_quota_mb]": "700"})
    assert api.get("/api/v1/accounts/2", token="admin-token").json()["default_storage_quota_mb"] == 700


def test_settings_keep_only_the_api_settings(api, store):
    r = put(api, data={"account[settings][restrict_student_past_view][value]": "true",
                       "account[settings][restrict_student_past_view][locked]": "1",
                       "account[settings][sis_assignment_name_length_input][value]": "999",
                       "account[settings][users_can_edit_name]": "false",
                       "account[settings][lock_all_announcements]": "true"})  # not a hash: dropped
    assert r.status == 200 and r.json() == root_json(store, 1)
    settings = dict(store.get("accounts", 1).settings)
    assert settings == {"restrict_student_past_view": (("value", True), ("locked", True)),
                        "sis_assignment_name_length_input": (("value", 255),)}


def test_services_toggle_and_are_answered(api, store):
    r = put(api, data={"account[services][avatars]": "true", "account[services][skype]": "1",
                       "account[services][google_docs_previews]": "false", "account[services][bogus]": "true"})
    assert r.status == 200
    assert r.json() == root_json(store, 1, services={"google_docs_previews": False, "skype": True, "delicious": False,
                                                     "avatars": True})
    again = api.get("/api/v1/accounts/1?includes[]=services", token="admin-token").json()
    assert again["services"] == r.json()["services"]
    assert [e.name for e in store.live_events.all()] == ["account_updated"]


def test_includes_are_read_from_includes(api, store):
    body = put(api, data={"account[name]": "X U", "includes[]": ["global_id", "course_count"]}).json()
    assert body == root_json(store, 1, name="X U", global_id=1, course_count=2)


def test_sis_account_id_of_a_sub_account(api, store):
    r = put(api, "2", data={"account[sis_account_id]": "SCIENCE"})
    assert r.status == 200 and r.json() == sub_json(store, 2) and r.json()["sis_account_id"] == "SCIENCE"
    assert api.get("/api/v1/accounts/sis_account_id:SCIENCE", token="admin-token").json()["id"] == 2
    assert api.get("/api/v1/accounts/sis_account_id:SCI", token="admin-token").status == 404
    r = put(api, "2", data={"account[sis_account_id]": ""})
    assert r.json()["sis_account_id"] is None and store.get("accounts", 2).sis_account_id is None


def test_course_template_id_blank_or_zero(api, store):
    assert put(api, "2", data={"account[course_template_id]": "0"}).json()["course_template_id"] == 0
    assert put(api, "2", data={"account[course_template_id]": ""}).json()["course_template_id"] is None
    assert put(api, "1", data={"account[course_template_id]": "0"}).json()["course_template_id"] is None


def test_course_template_that_is_not_a_template_is_404(api, store):
    r = put(api, "1", data={"account[course_template_id]": "1", "account[name]": "Changed"})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


def test_move_a_sub_account(api, store):
    arts = make_account(store, "Arts", 1)
    store.live_events.clear()
    r = put(api, str(arts.id), data={"account[parent_account_id]": "2"})
    assert r.status == 200 and r.json()["parent_account_id"] == 2
    assert store.get("accounts", arts.id).parent_account_id == 2
    assert [a["id"] for a in api.get("/api/v1/accounts/2/sub_accounts", token="admin-token").json()] == [arts.id]
    assert store.live_events.all()[0].body["parent_account_id"] == "2"


# -- refusals: nothing changes -------------------------------------------------------------------

@pytest.mark.parametrize("data,body", [
    ({"account[name]": ""}, errors(NAME_BLANK)),
    ({"account[name]": "   "}, errors(NAME_BLANK)),
    ({"account[default_time_zone]": "Nowhere/City"}, errors(zone_error("Nowhere/City"))),
    ({"account[default_time_zone]": "america/denver"}, errors(zone_error("america/denver"))),
    ({"account[default_time_zone]": ""}, errors(("default_time_zone", "'' is not a recognized time zone"))),
    ({"account[default_storage_quota_mb]": "abc"}, errors(("default_storage_quota_mb", INTEGER))),
    ({"account[default_storage_quota_mb]": "1.5"}, errors(("default_storage_quota_mb", INTEGER))),
    ({"account[default_storage_quota_mb]": "١٢"}, errors(("default_storage_quota_mb", INTEGER))),  # not ASCII digits
    ({"account[default_user_storage_quota_mb]": "-1"},
     errors(("default_user_storage_quota_mb", "Value must be positive"))),
    ({"account[default_group_storage_quota_mb]": "4398046511104"},
     errors(("default_group_storage_quota_mb", "Value too large"))),
    ({"account[default_storage_quota_mb]": "99999999999999999999999"},
     errors(("default_storage_quota_mb", "Value too large"))),
    ({"account[name]": "", "account[default_time_zone]": "X", "account[default_storage_quota_mb]": "x",
      "account[default_group_storage_quota_mb]": "y"},
     errors(NAME_BLANK, ("default_time_zone", "'X' is not a recognized time zone"),
            ("default_storage_quota_mb", INTEGER), ("default_group_storage_quota_mb", INTEGER))),
], ids=["empty-name", "blank-name", "zone", "zone-case", "zone-empty", "quota-word", "quota-float",
        "quota-arabic-digits", "quota-negative", "quota-limit", "quota-huge", "all-at-once"])
def test_invalid_values_are_400(api, store, data, body):
    r = put(api, data=data)
    assert r.status == 400 and r.json() == body
    assert_unchanged(store)


def test_json_values_of_other_types(api, store):
    r = put(api, json={"account": {"default_storage_quota_mb": None, "default_user_storage_quota_mb": True,
                                   "default_group_storage_quota_mb": 12}})
    assert r.status == 400 and r.json() == errors(("default_storage_quota_mb", INTEGER),
                                                  ("default_user_storage_quota_mb", INTEGER))
    assert_unchanged(store)
    assert put(api, json={"account": {"default_group_storage_quota_mb": 12}}).json()[
        "default_group_storage_quota_mb"] == 12


def test_name_too_long(api, store):
    r = put(api, data={"account[name]": "x" * 256})
    assert r.status == 400 and r.json() == {"errors": {"name": [
        {"attribute": "name", "type": "too_long", "message": "is too long (maximum is 255 characters)"}]}}
    assert_unchanged(store)
    assert put(api, data={"account[name]": "x" * 255}).json()["name"] == "x" * 255


@pytest.mark.parametrize("name", ["<script>alert(1)</script> & co", "Café Ünïversité 東京", "tab\there\x01",
                                  "  padded  "])
def test_hostile_names_are_kept_as_given(api, store, name):
    r = put(api, data={"account[name]": name})
    assert r.status == 200 and r.json()["name"] == name
    assert store.get("accounts", 1).name == name
    if "<" in name:
        assert "\\u003cscript\\u003e" in r.text and "\\u0026" in r.text  # Canvas's xss-safe JSON


def test_sis_account_id_on_a_root_account_is_401_with_every_error(api, store):
    r = put(api, data={"account[sis_account_id]": "NEW", "account[name]": ""})
    assert r.status == 401
    assert r.json() == errors(("unauthorized", "Cannot set sis_account_id on a root_account."), NAME_BLANK)
    assert "WWW-Authenticate" not in r.headers
    assert_unchanged(store)


def test_sis_account_id_needs_root_manage_sis(api, store):
    make_admin(store, 2)
    before = mark(store)
    r = put(api, "2", token="subadmin-token", data={"account[sis_account_id]": "MINE", "account[name]": "Sci"})
    assert r.status == 401
    assert r.json() == errors(("unauthorized", "To change sis_account_id the user must have manage_sis permission."))
    assert_unchanged(store, before)
    # the rest of the form is theirs to change
    assert put(api, "2", token="subadmin-token", data={"account[name]": "Sci"}).json()["name"] == "Sci"


def test_duplicate_sis_account_id(api, store):
    make_account(store, "Arts", 1, sis_account_id="ARTS")
    before = mark(store)
    r = put(api, "2", data={"account[sis_account_id]": "ARTS"})
    assert r.status == 400
    assert r.json() == errors(("sis_source_id", 'SIS ID "ARTS" is already in use'))
    assert_unchanged(store, before)


def test_moving_a_root_account_is_401(api, store):
    r = put(api, data={"account[parent_account_id]": "2"})
    assert r.status == 401 and r.json() == errors(("unauthorized", "You cannot move a root account."))
    assert_unchanged(store)


def test_moving_into_its_own_subtree_is_400(api, store):
    below = make_account(store, "Below", 2)
    before = mark(store)
    r = put(api, "2", data={"account[parent_account_id]": str(below.id)})
    assert r.status == 400
    assert r.json() == errors(("parent_account_id", f"Setting account SCI's parent to {below.id} would create a loop"))
    assert_unchanged(store, before)


@pytest.mark.parametrize("parent", ["999", "abc", "9223372036854775808"])
def test_moving_under_an_unknown_account_is_404(api, store, parent):
    r = put(api, "2", data={"account[parent_account_id]": parent})
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "student-token", "outsider-token"])
def test_non_admins_are_401(api, store, token):
    r = put(api, token=token, data={"account[name]": "Hacked"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert_unchanged(store)


def test_no_token_and_unknown_account(api, store):
    r = put(api, token=None, data={"account[name]": "Anon"})
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    for ref in ("999", "sis_account_id:NOPE", "site_admin"):
        r = put(api, ref, data={"account[name]": "Ghost"})
        assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


def test_sub_account_admin_cannot_update_the_root(api, store):
    make_admin(store, 2)
    before = mark(store)
    r = put(api, "1", token="subadmin-token", data={"account[name]": "Mine"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert_unchanged(store, before)
    assert list(put(api, "2", token="subadmin-token", data={"account[name]": "Sci"}).json()) == ROOT_KEYS


def test_update_answers_a_sub_account_with_its_sis_keys(api, store):
    assert list(put(api, "2", data={"account[name]": "Sci"}).json()) == SUB_KEYS
