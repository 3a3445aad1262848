"""POST /accounts/:account_id/users (UsersController#create -> create_user, 2025; canvas-facts 6.5).

Refusals are 403 ``{}``; invalid input is 400 with one error hash per object
(``{"errors":{"user":{},"pseudonym":{},"observee":{},"pairing_code":{},"recaptcha":null}}``).
Every refusal is checked to write nothing and emit no live event.
"""

from __future__ import annotations

import pytest
from users_support import answer_as, assert_unchanged, marker, set_account

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED

ADMIN = "admin-token"
ANSWER_KEYS = ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id", "integration_id",
               "sis_import_id", "login_id", "locale", "uuid"]
TAKEN = {"attribute": "unique_id", "type": "taken",
         "message": "ID already in use for this account and authentication provider"}
PSEUDONYMS_INVALID = {"pseudonyms": [{"attribute": "pseudonyms", "type": "invalid", "message": "invalid"}]}


def errors(user=None, pseudonym=None):
    return {"errors": {"user": user or {}, "pseudonym": pseudonym or {}, "observee": {}, "pairing_code": {},
                       "recaptcha": None}}


def err(attribute, kind, message=None):
    return {attribute: [{"attribute": attribute, "type": kind, "message": message or kind}]}


def create(api, token=ADMIN, account="1", **form):
    return api.post(f"/api/v1/accounts/{account}/users", token=token, data=form)


# -- success -----------------------------------------------------------------------------------

def test_admin_creates_a_user(api, store):
    r = create(api, **{"user[name]": "Nina New", "pseudonym[unique_id]": "  nina@example.edu ",
                       "pseudonym[sis_user_id]": "S-NEW", "pseudonym[integration_id]": "I-NEW"})
    assert r.status == 200
    body = r.json()
    assert list(body) == ANSWER_KEYS
    nina = store.get("users", body["id"])
    assert body == {"id": nina.id, "name": "Nina New", "created_at": body["created_at"], "sortable_name": "New, Nina",
                    "short_name": "Nina New", "sis_user_id": "S-NEW", "integration_id": "I-NEW", "sis_import_id": None,
                    "login_id": "nina@example.edu", "locale": None, "uuid": nina.uuid}
    assert (nina.workflow_state, nina.email, nina.account_id) == ("pre_registered", "nina@example.edu", 1)
    assert api.get(f"/api/v1/users/{nina.id}", token=ADMIN).json()["login_id"] == "nina@example.edu"
    assert api.get("/api/v1/users/sis_login_id:NINA@example.edu", token=ADMIN).json()["id"] == nina.id
    assert store.live_events.names() == ["user_created"]


def test_defaults_and_options(api, store):
    body = create(api, **{"pseudonym[unique_id]": "plainlogin", "user[skip_registration]": "true",
                          "user[locale]": "fr", "user[time_zone]": "Eastern Time (US & Canada)",
                          "user[terms_of_use]": "1"}).json()
    assert (body["name"], body["short_name"], body["sortable_name"]) == ("plainlogin",) * 3  # name ||= unique_id
    assert list(body)[-3:] == ["locale", "terms_of_use", "uuid"] and body["terms_of_use"] is True
    u = store.get("users", body["id"])
    assert (u.workflow_state, u.time_zone, u.locale, u.email) == ("registered", "America/New_York", "fr", None)


def test_empty_name_stays_empty(api, store):
    body = create(api, **{"user[name]": "", "pseudonym[unique_id]": "anon1"}).json()
    assert (body["name"], body["short_name"], body["sortable_name"]) == ("", "", "")


def test_communication_channel_and_confirmation_url(api, store):
    body = create(api, **{"pseudonym[unique_id]": "ccuser", "communication_channel[type]": "email",
                          "communication_channel[address]": "cc@example.edu",
                          "communication_channel[confirmation_url]": "true"}).json()
    assert store.get("users", body["id"]).email == "cc@example.edu"
    assert body["confirmation_url"].startswith(f"{api.base_url}/register/")
    assert list(body)[-3:] == ["locale", "confirmation_url", "uuid"]


def test_json_body(api, store):
    r = api.post("/api/v1/accounts/1/users", token=ADMIN,
                 json={"user": {"name": "Jay Son"}, "pseudonym": {"unique_id": "jay@example.edu"}})
    assert r.status == 200 and r.json()["sortable_name"] == "Son, Jay"


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "Zoë Ångström 山田"])
def test_hostile_names_are_kept(api, store, name):
    r = create(api, **{"user[name]": name, "pseudonym[unique_id]": "weird-name-user"})
    assert r.status == 200 and store.get("users", r.json()["id"]).name == name


# -- permissions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["teacher", "ta", "designer", "student", "observer", "outsider"])
def test_non_admins_get_403_empty(api, store, role):
    answer_as(store, role, 403, lambda token: create(api, token=token, **{"pseudonym[unique_id]": "x@example.edu",
                                                                          "user[name]": "X"}),
              refused=(403, {}))


def test_no_token_and_unknown_account(api, store):
    mark = marker(store)
    r = create(api, token=None, **{"pseudonym[unique_id]": "x@example.edu"})
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    for ref in ("999", "sis_account_id:NOPE", "99999999999999999999"):
        r = create(api, account=ref, **{"pseudonym[unique_id]": "x@example.edu"})
        assert (ref, r.status, r.json()) == (ref, 404, NOT_FOUND)
    assert_unchanged(store, mark)


def test_sis_ids_need_manage_sis(api, store):
    """A caller without manage_sis (here: self-registration) has the SIS ids dropped silently."""
    set_account(store, 1, self_registration=True)
    r = create(api, token="student-token", **{"user[name]": "Selfie", "pseudonym[unique_id]": "selfie@example.edu",
                                               "pseudonym[sis_user_id]": "HACK", "user[terms_of_use]": "true"})
    assert r.status == 200
    body = r.json()
    assert "sis_user_id" not in body and "login_id" not in body  # a student sees no SIS or login fields
    u = store.get("users", body["id"])
    assert (u.sis_user_id, u.workflow_state) == (None, "pre_registered")


def test_self_registration_validations(api, store):
    set_account(store, 1, self_registration=True)
    mark = marker(store)
    r = create(api, token="student-token", **{"pseudonym[unique_id]": "notanemail", "user[name]": ""})
    assert r.status == 400
    assert r.json() == errors({**PSEUDONYMS_INVALID, **err("name", "blank"), **err("terms_of_use", "accepted")},
                              err("unique_id", "not_email"))
    assert_unchanged(store, mark)


def test_force_validations_for_admins(api, store):
    r = create(api, **{"pseudonym[unique_id]": "nomail", "user[name]": "", "force_validations": "true"})
    assert r.status == 400
    assert r.json() == errors({**PSEUDONYMS_INVALID, **err("name", "blank")}, err("unique_id", "not_email"))


# -- the nested error body -------------------------------------------------------------------------

def test_taken_login_case_insensitive(api, store):
    mark = marker(store)
    r = create(api, **{"pseudonym[unique_id]": "STUDENT", "user[name]": "Dup"})
    assert r.status == 400 and r.json() == errors(PSEUDONYMS_INVALID, {"unique_id": [TAKEN]})
    assert_unchanged(store, mark)


def test_taken_sis_and_integration_ids(api, store):
    r = create(api, **{"pseudonym[unique_id]": "fresh1", "pseudonym[sis_user_id]": "S-006"})
    assert r.json() == errors(PSEUDONYMS_INVALID, err("sis_user_id", "taken", 'SIS ID "S-006" is already in use'))
    store._update("users", store.get("users", 7), integration_id="INT-7")
    r = create(api, **{"pseudonym[unique_id]": "fresh2", "pseudonym[integration_id]": "INT-7"})
    assert r.json() == errors(PSEUDONYMS_INVALID,
                              err("integration_id", "taken", 'Integration ID "INT-7" is already in use'))


@pytest.mark.parametrize("form,pseudonym", [
    ({}, {"unique_id": [{"attribute": "unique_id", "type": "invalid", "message": "invalid"},
                        {"attribute": "unique_id", "type": "too_short", "message": "too_short"}]}),
    ({"pseudonym[unique_id]": "   "}, {"unique_id": [{"attribute": "unique_id", "type": "invalid", "message": "invalid"},
                                                      {"attribute": "unique_id", "type": "too_short",
                                                       "message": "too_short"}]}),
    ({"pseudonym[unique_id]": "x" * 101}, err("unique_id", "too_long")),
    ({"pseudonym[unique_id]": "bell\x07login"}, err("unique_id", "invalid")),
])
def test_bad_unique_ids(api, store, form, pseudonym):
    mark = marker(store)
    r = create(api, **form)
    assert r.status == 400 and r.json() == errors(PSEUDONYMS_INVALID, pseudonym)
    assert_unchanged(store, mark)


def test_user_errors_without_login_errors(api, store):
    mark = marker(store)
    r = create(api, **{"pseudonym[unique_id]": "okay-login", "user[name]": "n" * 256, "user[locale]": "zz"})
    assert r.status == 400 and r.json() == errors({**err("name", "too_long"), **err("locale", "invalid")})
    assert_unchanged(store, mark)


def test_a_sub_account_is_no_login_account(api, store):
    r = create(api, account="2", **{"pseudonym[unique_id]": "sub-login"})
    assert r.status == 400
    assert r.json() == errors(PSEUDONYMS_INVALID, err("account_id", "must belong to a root_account"))


def test_unknown_time_zone_falls_back_to_the_account(api, store):
    body = create(api, **{"pseudonym[unique_id]": "tzuser", "user[time_zone]": "Mars/Olympus"}).json()
    assert store.get("users", body["id"]).time_zone == store.get("accounts", 1).default_time_zone
