"""GET /accounts/:id (AccountsController#show) and GET /accounts/:id/permissions: who may read an
account and in which form, the path id forms, ``includes[]``, and the permissions booleans
(canvas-facts-courses-users sections 7 and 10; app/models/account.rb set_policy)."""

from __future__ import annotations

import pytest
from accounts_support import (READ_ONLY_KEYS, ROOT_KEYS, SUB_KEYS, add_tokens, assert_unchanged, enroll,
                              make_account, make_admin, make_user, read_only_json, root_json, sub_json)
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

INVALID_TOKEN = {"errors": [{"message": "Invalid access token."}]}


# -- the full form (admins) --------------------------------------------------------------------

def test_root_account_for_its_admin(api, store):
    r = api.get("/api/v1/accounts/1", token="admin-token")
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    body = r.json()
    assert body == root_json(store, 1)
    assert list(body) == ROOT_KEYS  # table-column order; no SIS keys on a root account
    assert body["root_account_id"] is None and body["parent_account_id"] is None
    assert_unchanged(store)


def test_sub_account_for_a_root_admin_has_its_sis_keys(api, store):
    body = api.get("/api/v1/accounts/2", token="admin-token").json()
    assert body == sub_json(store, 2)
    assert list(body) == SUB_KEYS
    assert (body["sis_account_id"], body["parent_account_id"], body["root_account_id"]) == ("SCI", 1, 1)


def test_sub_account_admin_sees_no_sis_keys_and_cannot_read_the_root(api, store):
    make_admin(store, 2)
    body = api.get("/api/v1/accounts/2", token="subadmin-token").json()
    assert list(body) == ROOT_KEYS  # read_sis is a right on the root account, which they do not hold
    assert body["id"] == 2
    r = api.get("/api/v1/accounts/1", token="subadmin-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED


def test_admin_of_the_root_manages_accounts_below(api, store):
    deep = make_account(store, "Physics", 2, sis_account_id="PHY")
    body = api.get(f"/api/v1/accounts/{deep.id}", token="admin-token").json()
    assert body == sub_json(store, deep.id)
    assert (body["parent_account_id"], body["root_account_id"], body["sis_account_id"]) == (2, 1, "PHY")


# -- the read-only form (course admins) ----------------------------------------------------------

@pytest.mark.parametrize("token,account_id", [("teacher-token", 1), ("teacher-token", 2), ("ta-token", 1),
                                              ("designer-token", 1)])
def test_course_admins_get_the_read_only_form(api, store, token, account_id):
    add_tokens(store)
    r = api.get(f"/api/v1/accounts/{account_id}", token=token)
    assert r.status == 200
    assert r.json() == read_only_json(store, account_id)
    assert list(r.json()) == READ_ONLY_KEYS


@pytest.mark.parametrize("token,account_id", [
    ("ta-token", 2),          # the TA's course is in account 1 only
    ("observer-token", 1),    # observers are no course admins
    ("student-token", 1),
    ("student-token", 2),
    ("outsider-token", 1),
])
def test_others_may_not_read_an_account(api, store, token, account_id):
    add_tokens(store)
    r = api.get(f"/api/v1/accounts/{account_id}", token=token)
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    assert r.headers["Cache-Control"] == "no-store"


def test_course_admin_reads_only_the_account_the_course_is_directly_in(api, store):
    """A teacher of a course in sub-account 2 may not read the root account through it."""
    user = make_user(store, "t2-token")
    enroll(store, user.id, 2)  # course 2 is in account 2
    assert api.get("/api/v1/accounts/2", token="t2-token").status == 200
    assert api.get("/api/v1/accounts/1", token="t2-token").status == 401


@pytest.mark.parametrize("course_id,state,allowed", [
    (3, "invited", True),      # an unpublished course: any enrollment that is not deleted
    (3, "completed", True),
    (1, "invited", False),     # an available course: an active enrollment only
    (4, "completed", False),   # a completed course
    (3, "deleted", False),
])
def test_enrollment_admin_rules(api, store, course_id, state, allowed):
    """Enrollment.admin (app/models/enrollment.rb): Teacher/TA/Designer, not deleted, in a created
    or claimed course, or active in an available one."""
    user = make_user(store, "t2-token")
    enroll(store, user.id, course_id, state=state)
    account_id = store.get("courses", course_id).account_id
    r = api.get(f"/api/v1/accounts/{account_id}", token="t2-token")
    assert r.status == (200 if allowed else 401)


def test_read_only_form_ignores_includes(api, store):
    r = api.get("/api/v1/accounts/1?includes[]=lti_guid&includes[]=course_count", token="teacher-token")
    assert r.json() == read_only_json(store, 1)


def test_needs_a_token(api, store):
    r = api.get("/api/v1/accounts/1", token=None)
    assert r.status == 401 and r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    r = api.get("/api/v1/accounts/1", token="no-such-token")
    assert r.status == 401 and r.json() == INVALID_TOKEN


# -- path id forms -------------------------------------------------------------------------------

@pytest.mark.parametrize("ref,expected", [
    ("self", 1), ("default", 1), ("sis_account_id:SCI", 2), ("sis_account_id:MOCKU", 1),
    ("hex:sis_account_id:534349", 2), ("2.json", 2), ("0~2", 2),
])
def test_path_forms(api, store, ref, expected):
    r = api.get(f"/api/v1/accounts/{ref}", token="admin-token")
    assert r.status == 200, r.text
    assert r.json()["id"] == expected


def test_self_is_the_callers_root_account(api, store):
    make_admin(store, 2)
    # a sub-account admin's "self" is still the root account, which they may not read
    assert api.get("/api/v1/accounts/self", token="subadmin-token").status == 401
    assert api.get("/api/v1/accounts/self", token="teacher-token").json() == read_only_json(store, 1)


def test_integration_uuid_and_lti_forms(api, store):
    acc = make_account(store, "Arts", 1, integration_id="ARTS-INT", lti_context_id="lti-ctx-9")
    for ref in ("sis_integration_id:ARTS-INT", f"uuid:{acc.uuid}", "lti_context_id:lti-ctx-9"):
        r = api.get(f"/api/v1/accounts/{ref}", token="admin-token")
        assert r.status == 200 and r.json()["id"] == acc.id, ref
    assert api.get("/api/v1/accounts/sis_integration_id:ARTS-INT", token="admin-token").json()["integration_id"] \
        == "ARTS-INT"


@pytest.mark.parametrize("ref", [
    "999", "sis_account_id:NOPE", "sis_account_id:sci", "uuid:nope", "lti_context_id:nope", "site_admin",
    "9223372036854775808", "99999999999999999999999", "bogus_form:1", "%3Cscript%3E", "caf%C3%A9", "-1",
])
def test_unknown_accounts_are_404(api, store, ref):
    r = api.get(f"/api/v1/accounts/{ref}", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert_unchanged(store)


def test_deleted_account_is_404(api, store):
    gone = make_account(store, "Closed", 1, workflow_state="deleted", sis_account_id="GONE")
    for ref in (str(gone.id), "sis_account_id:GONE"):
        r = api.get(f"/api/v1/accounts/{ref}", token="admin-token")
        assert r.status == 404 and r.json() == NOT_FOUND


# -- includes[] ----------------------------------------------------------------------------------

def test_includes_of_the_full_form(api, store):
    make_account(store, "Arts", 1)
    make_account(store, "Closed", 1, workflow_state="deleted")
    q = "&".join(f"includes[]={i}" for i in ("lti_guid", "global_id", "course_count", "sub_account_count",
                                             "registration_settings", "services"))
    body = api.get(f"/api/v1/accounts/1?{q}", token="admin-token").json()
    uuid = store.get("accounts", 1).uuid
    host = api.base_url.split("://")[1].split(":")[0]
    assert body == root_json(store, 1, lti_guid=f"{uuid}.{host}", global_id=1, course_count=2,
                             sub_account_count=2,
                             registration_settings={"login_handle_name": None, "require_email": False},
                             terms_required=True,
                             terms_of_use_url="https://www.instructure.com/policies/terms-of-use-un",
                             privacy_policy_url="https://www.instructure.com/policies/product-privacy-policy",
                             recaptcha_key=False,
                             services={"google_docs_previews": True, "skype": False, "delicious": False,
                                       "avatars": False})
    assert list(body)[:12] == ROOT_KEYS[:11] + ["lti_guid"]
    assert list(body)[12:] == ["course_template_id", "registration_settings", "terms_required", "terms_of_use_url",
                               "privacy_policy_url", "recaptcha_key", "services", "global_id", "course_count",
                               "sub_account_count"]


def test_show_reads_only_includes_not_include(api, store):
    body = api.get("/api/v1/accounts/1?include[]=course_count&include[]=global_id", token="admin-token").json()
    assert body == root_json(store, 1)


def test_course_count_counts_live_courses_directly_in_the_account(api, store):
    assert api.get("/api/v1/accounts/2?includes[]=course_count", token="admin-token").json()["course_count"] == 2
    store.insert("courses", name="Gone", course_code="G", account_id=2, root_account_id=1, workflow_state="deleted")
    assert api.get("/api/v1/accounts/2?includes[]=course_count", token="admin-token").json()["course_count"] == 2
    store.insert("courses", name="New", course_code="N", account_id=2, root_account_id=1, workflow_state="created")
    assert api.get("/api/v1/accounts/2?includes[]=course_count", token="admin-token").json()["course_count"] == 3


def test_sub_account_lti_guid_and_global_id(api, store):
    body = api.get("/api/v1/accounts/2?includes[]=lti_guid&includes[]=global_id", token="admin-token").json()
    assert body["global_id"] == 2 and body["lti_guid"].startswith(store.get("accounts", 2).uuid + ".")


# -- GET /accounts/:id/permissions ----------------------------------------------------------------

def test_permissions_of_an_admin(api, store):
    r = api.get("/api/v1/accounts/1/permissions?permissions[]=manage_account_settings&permissions[]=become_user"
                "&permissions[]=manage_sis&permissions[]=manage_site_settings&permissions[]=bogus",
                token="admin-token")
    assert r.status == 200
    assert r.json() == {"manage_account_settings": True, "become_user": True, "manage_sis": True,
                        "manage_site_settings": False, "bogus": False}
    assert list(r.json()) == ["manage_account_settings", "become_user", "manage_sis", "manage_site_settings", "bogus"]


@pytest.mark.parametrize("token,expected", [
    ("teacher-token", {"read": True, "read_terms": True, "manage_account_settings": False, "read_sis": False}),
    ("ta-token", {"read": True, "read_terms": True, "manage_account_settings": False, "read_sis": False}),
    ("designer-token", {"read": True, "read_terms": False, "manage_account_settings": False, "read_sis": False}),
])
def test_permissions_of_course_admins_on_self(api, store, token, expected):
    add_tokens(store)
    q = "&".join(f"permissions[]={p}" for p in expected)
    r = api.get(f"/api/v1/accounts/self/permissions?{q}", token=token)
    assert r.status == 200 and r.json() == expected


def test_sub_account_admin_holds_no_root_sis_permission(api, store):
    make_admin(store, 2)
    r = api.get("/api/v1/accounts/2/permissions?permissions[]=manage_sis&permissions[]=read_sis"
                "&permissions[]=manage_account_settings", token="subadmin-token")
    assert r.json() == {"manage_sis": False, "read_sis": True, "manage_account_settings": True}


def test_permissions_without_names_is_empty(api, store):
    assert api.get("/api/v1/accounts/1/permissions", token="admin-token").json() == {}
    assert api.get("/api/v1/accounts/1/permissions?permissions=read", token="admin-token").json() == {"read": True}


@pytest.mark.parametrize("token,status,body", [
    ("student-token", 401, UNAUTHORIZED), ("outsider-token", 401, UNAUTHORIZED), (None, 401, UNAUTHENTICATED),
])
def test_permissions_need_read(api, store, token, status, body):
    r = api.get("/api/v1/accounts/1/permissions?permissions[]=read", token=token)
    assert r.status == status and r.json() == body


def test_permissions_of_an_unknown_account(api, store):
    r = api.get("/api/v1/accounts/999/permissions?permissions[]=read", token="admin-token")
    assert r.status == 404 and r.json() == NOT_FOUND
