"""How the mock reads requests and writes responses, whatever the endpoint (canvas-facts sections 2
and 9): where parameters come from, Rails' bracket rules, boolean strings, path ids, string ids,
the 403 setting, JSON escaping and unknown routes."""

from __future__ import annotations

import pytest

from mockcanvas import create_app
from mockcanvas.seed import load_world
from mockcanvas.settings import Settings

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
STRING_IDS = "application/json+canvas-string-ids"


def ids(resp):
    return [x["id"] for x in resp.json()]


# -- where parameters come from ----------------------------------------------------------------

def test_params_from_the_query_string(api, store):
    r = api.put("/api/v1/groups/1?name=From+Query&description=q")
    assert r.status == 200
    assert (r.json()["name"], r.json()["description"]) == ("From Query", "q")
    assert store.get("groups", 1).name == "From Query"


def test_params_from_a_form_body(api, store):
    r = api.put("/api/v1/groups/1", data={"name": "From Form", "description": "f"})
    assert r.status == 200
    assert (r.json()["name"], r.json()["description"]) == ("From Form", "f")
    assert store.get("groups", 1).description == "f"


def test_params_from_a_json_body(api, store):
    r = api.put("/api/v1/groups/1", json={"name": "From JSON", "max_membership": 5})
    assert r.status == 200
    assert (r.json()["name"], r.json()["max_membership"]) == ("From JSON", 5)
    assert store.get("groups", 1).max_membership == 5


def test_body_params_win_over_the_query_string(api):
    r = api.put("/api/v1/groups/1?name=Query", data={"name": "Body"})
    assert r.json()["name"] == "Body"


def test_empty_body_without_content_type(api, store):
    r = api.put("/api/v1/groups/1")
    assert r.status == 200
    assert r.json()["name"] == "Project Group 1" and r.json()["id"] == 1
    assert store.get("groups", 1).name == "Project Group 1"
    empty_json = api.put("/api/v1/groups/1", data=b"", headers={"Content-Type": "application/json"})
    assert empty_json.status == 200 and empty_json.json()["name"] == "Project Group 1"


def test_malformed_json_body_is_400(api, store):
    r = api.put("/api/v1/groups/1", data=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status == 400
    assert store.get("groups", 1).name == "Project Group 1"


def test_access_token_in_a_form_body(api):
    r = api.post("/api/v1/groups/1/preview_html", token=None,
                 data={"access_token": "student-token", "html": "<p>x</p>"})
    assert r.status == 200 and r.json() == {"html": "<p>x</p>"}


# -- Rails' bracket rules ----------------------------------------------------------------------

def test_list_params_with_brackets(api, store):
    r = api.put("/api/v1/groups/1", data={"members[]": ["6", "8"]})
    assert r.status == 200
    assert sorted(u["id"] for u in r.json()["users"]) == [6, 8]  # 9 was removed
    live = {m.user_id for m in store.memberships.live(1)}
    assert live == {6, 8}


def test_list_params_in_the_query_string(api):
    r = api.get("/api/v1/groups/1?include[]=users&include[]=permissions")
    g = r.json()
    assert "users" in g and "permissions" in g and "tabs" not in g


def test_hash_params_with_brackets(api, store):
    r = api.put("/api/v1/groups/1", data={"leader[id]": "8"})
    assert r.status == 200
    assert r.json()["leader"]["id"] == 8
    assert store.get("groups", 1).leader_id == 8


def test_nested_group_hash(api):
    r = api.put("/api/v1/groups/1", data={"group[name]": "Nested", "group[description]": "d"})
    assert (r.json()["name"], r.json()["description"]) == ("Nested", "d")


def test_json_lists_and_hashes(api):
    r = api.put("/api/v1/groups/1", json={"members": [6, 9], "leader": {"id": 9}})
    assert r.status == 200
    assert sorted(u["id"] for u in r.json()["users"]) == [6, 9]
    assert r.json()["leader"]["id"] == 9


def test_repeated_plain_param_last_wins(api):
    r = api.get("/api/v1/courses/1/groups?per_page=1&per_page=3")
    assert ids(r) == [1, 2, 3]
    assert r.links["current"].endswith("per_page=3")
    form = api.put("/api/v1/groups/1", data=[("name", "First"), ("name", "Second")])
    assert form.json()["name"] == "Second"


# -- booleans as strings -----------------------------------------------------------------------

@pytest.mark.parametrize("value,own", [("1", True), ("true", True), ("True", True), ("0", False),
                                       ("false", False), ("", False)])
def test_boolean_query_params(api, value, own):
    r = api.get(f"/api/v1/courses/1/groups?only_own_groups={value}", token="student2-token")
    assert r.status == 200
    assert ids(r) == ([2, 4] if own else [1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("false", False), ("0", False)])
def test_boolean_form_params(api, value, expected):
    r = api.post("/api/v1/groups", token="student-token", data={"name": f"Club {value}", "is_public": value})
    assert r.status == 200
    assert r.json()["is_public"] is expected


def test_boolean_json_params(api):
    r = api.post("/api/v1/groups", token="student-token", json={"name": "JSON club", "is_public": True})
    assert r.status == 200 and r.json()["is_public"] is True


# -- ids in the path ---------------------------------------------------------------------------

@pytest.mark.parametrize("path,token,expected", [
    ("/api/v1/groups/sis_group_id:PG-1", "teacher-token", 1),
    ("/api/v1/courses/sis_course_id:MOCK101-2024", "teacher-token", 1),
    ("/api/v1/users/sis_user_id:S-007", "admin-token", 7),  # a teacher may not read a student (404)
    ("/api/v1/users/sis_login_id:student2", "admin-token", 7),
    ("/api/v1/accounts/sis_account_id:MOCKU", "admin-token", 1),
    ("/api/v1/users/self", "student2-token", 7),
    ("/api/v1/accounts/self", "admin-token", 1),
])
def test_path_ids(api, path, token, expected):
    r = api.get(path, token=token)
    assert r.status == 200 and r.json()["id"] == expected


def test_unknown_sis_id_is_404(api):
    r = api.get("/api/v1/groups/sis_group_id:NOPE")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert api.get("/api/v1/groups/sis_bogus_id:PG-1").status == 404


def test_sis_id_path_in_a_nested_route(api):
    r = api.get("/api/v1/courses/sis_course_id:MOCK101-2024/groups?per_page=2")
    assert ids(r) == [1, 2]
    assert api.get("/api/v1/groups/sis_group_id:PG-1/users").status == 200


# -- string ids --------------------------------------------------------------------------------

def test_string_ids_on_a_list(api):
    r = api.get("/api/v1/courses/1/groups?include[]=users", headers={"Accept": STRING_IDS})
    assert r.status == 200
    g = r.json()[0]
    assert g["id"] == "1" and g["group_category_id"] == "1" and g["course_id"] == "1"
    assert g["members_count"] == 3 and g["storage_quota_mb"] == 50  # other numbers stay numbers
    assert all(isinstance(u["id"], str) for u in g["users"])
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    plain = api.get("/api/v1/courses/1/groups").json()[0]
    assert plain["id"] == 1 and plain["group_category_id"] == 1


def test_string_ids_on_an_object(api):
    r = api.get("/api/v1/groups/1", headers={"Accept": f"application/json, {STRING_IDS}"})
    assert r.json()["id"] == "1"
    assert r.json()["leader"]["id"] == "6"


# -- permission denials: 401 by default, 403 with the setting ----------------------------------

def test_permission_denial_is_401_without_www_authenticate(api):
    r = api.get("/api/v1/groups/1", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    anon = api.get("/api/v1/groups/1", token=None)
    assert anon.status == 401 and anon.json() == UNAUTHENTICATED
    assert anon.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'


async def test_auth_error_status_403(aiohttp_client):
    store = load_world(settings=Settings(auth_error_status=403))
    client = await aiohttp_client(create_app(store))

    denied = await client.get("/api/v1/groups/1", headers={"Authorization": "Bearer outsider-token"})
    assert denied.status == 403
    assert await denied.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in denied.headers

    put = await client.put("/api/v1/groups/1", data={"name": "x"},
                           headers={"Authorization": "Bearer student2-token"})
    assert put.status == 403 and await put.json() == UNAUTHORIZED

    # not being logged in, or a bad token, stays a 401 with the header
    anon = await client.get("/api/v1/groups/1")
    assert anon.status == 401 and await anon.json() == UNAUTHENTICATED
    assert anon.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    bad = await client.get("/api/v1/groups/1", headers={"Authorization": "Bearer nope"})
    assert bad.status == 401 and await bad.json() == {"errors": [{"message": "Invalid access token."}]}
    ok = await client.get("/api/v1/groups/1", headers={"Authorization": "Bearer student-token"})
    assert ok.status == 200
    assert store.get("groups", 1).name == "Project Group 1"


# -- JSON escaping -----------------------------------------------------------------------------

def test_json_escapes_html_characters(api):
    name = "<b>Tom & Jerry</b>"
    r = api.put("/api/v1/groups/1", data={"name": name})
    assert r.status == 200
    assert r.json()["name"] == name
    assert "\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e" in r.text
    assert "<" not in r.text and ">" not in r.text and "&" not in r.text


def test_json_keeps_non_ascii(api):
    r = api.put("/api/v1/groups/1", data={"name": "Équipe 1"})
    assert r.json()["name"] == "Équipe 1"
    assert "Équipe 1" in r.text


# -- unknown routes ----------------------------------------------------------------------------

def test_unknown_api_route_is_404_and_recorded(api):
    r = api.get("/api/v1/no_such_thing/1")
    assert r.status == 404 and r.json() == NOT_FOUND
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert [p["kind"] for p in api.problems] == ["unknown route"]
    assert api.problems[0]["method"] == "GET" and api.problems[0]["path"] == "/api/v1/no_such_thing/1"
    api.problems.clear()


def test_unknown_api_route_is_404_without_a_token(api):
    r = api.get("/api/v1/no_such_thing", token=None)
    assert r.status == 404 and r.json() == NOT_FOUND
    assert len(api.problems) == 1
    api.problems.clear()


def test_wrong_method_is_a_canvas_404(api):
    r = api.put("/api/v1/courses/1/sections", data={"name": "x"})  # GET and POST only (SectionsController)
    assert r.status == 404 and r.json() == NOT_FOUND
    assert "Allow" not in r.headers
    assert [(p["kind"], p["method"]) for p in api.problems] == [("unknown route", "PUT")]
    api.problems.clear()
    d = api.delete("/api/v1/users/self")
    assert d.status == 404 and d.json() == NOT_FOUND
    assert len(api.problems) == 1
    api.problems.clear()


BAD_REQUEST = {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}


@pytest.mark.parametrize("method,path,ctype,body", [
    ("POST", "/api/v1/courses/1/group_categories", "application/json", '{"name":"N","create_group_count":NaN}'),
    ("POST", "/api/v1/courses/1/group_categories", "application/json", '{"name":"N","group_limit":Infinity}'),
    ("PUT", "/api/v1/groups/1", "application/json", '{"max_membership":1e400}'),
    ("PUT", "/api/v1/groups/1", "application/json", "[" * 100_000),
    ("POST", "/api/v1/groups/1/memberships", "multipart/form-data; boundary=B",
     '--B\r\nContent-Disposition: form-data; name="\x13"\r\n\r\nx\r\n--B--\r\n'),
], ids=["nan", "infinity", "huge-number", "deep-nesting", "malformed-multipart"])
def test_unparseable_bodies_are_400_and_change_nothing(api, store, method, path, ctype, body):
    """Found by fuzzing: these were 500s. Rails answers an unparseable body with 400."""
    r = api.request(method, path, headers={"Content-Type": ctype}, data=body.encode())
    assert (r.status, r.json()) == (400, BAD_REQUEST)
    assert store.changed_rows == 0 and len(store.live_events) == 0
