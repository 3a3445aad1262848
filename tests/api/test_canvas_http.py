"""Canvas's HTTP around every route (docs/canvas-http.md): the ``.json`` twin of each API route
(lib/api_route_set.rb), the headers of every answer, and the front door (``GET /``, ``GET /login``)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from mockcanvas import create_app
from mockcanvas.app import ID_REGEX
from mockcanvas.seed import load_world

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
STUDENT = "student-token"  # user 6, a member of group 1
META = re.compile(r"^(at=\d+;)?(o=[a-z_/]+;n=\w+;)?(t=[A-Za-z]+;i=\d+;)?"
                  r"b=\d+;m=\d+;u=\d+\.\d\d;y=\d+\.\d\d;d=\d+\.\d\d;$")
DEFAULTS = {"X-XSS-Protection": "1; mode=block", "X-Content-Type-Options": "nosniff",
            "X-Download-Options": "noopen", "X-Permitted-Cross-Domain-Policies": "none",
            "Referrer-Policy": "no-referrer-when-downgrade", "Vary": "Accept-Encoding"}


def host(api) -> str:
    return urlsplit(api.base_url).netloc


def no_redirects(api) -> dict:
    """aiohttp's client follows redirects unless told; the requests client of ServerApi never does."""
    return {"allow_redirects": False} if type(api).__name__ == "AppApi" else {}


# -- the .json twin of every API route ---------------------------------------------------------

def test_every_api_route_has_a_json_twin_with_the_same_handler():
    app = create_app(load_world())
    routes = {(r.method, r.resource.canonical): r.handler for r in app.router.routes()
              if r.resource is not None and r.resource.canonical.startswith("/api/v1/")}
    own = {k: h for k, h in routes.items() if not k[1].endswith(".json")}
    assert own and all(routes.get((m, t + ".json")) is h for (m, t), h in own.items())
    assert len(routes) == 2 * len(own)


@pytest.mark.parametrize("segment, ok", [("1", True), ("1.5", True), ("a.b.c", True), ("1.jsonx", True),
                                         ("sis_group_id:PG-1", True), (".json", False), ("1.json", False),
                                         ("", False)])
def test_id_segments_follow_canvas_id_regex(segment, ok):
    assert (re.fullmatch(ID_REGEX, segment) is not None) == ok


def test_json_inside_a_path_is_no_id(api):
    # ID_REGEX refuses ".json" before a "/" too: /groups/1.json/users is no route (as in Canvas)
    r = api.get("/api/v1/groups/1.json/users")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    assert [p["kind"] for p in api.problems] == ["unknown route"]
    api.problems.clear()


def test_show_route_answers_the_same_with_json(api):
    plain, suffixed = api.get("/api/v1/groups/1"), api.get("/api/v1/groups/1.json")
    assert (plain.status, suffixed.status) == (200, 200)
    assert suffixed.json() == plain.json() and suffixed.json()["id"] == 1
    assert suffixed.headers["Content-Type"] == "application/json; charset=utf-8"


def test_show_route_with_a_sis_id_and_json(api):
    r = api.get("/api/v1/groups/sis_group_id:PG-1.json")
    assert r.status == 200 and r.json()["id"] == 1


def test_list_route_with_json_pages_links_without_json(api):
    path = "/api/v1/courses/1/groups{}?include[]=users&per_page=2"
    plain, suffixed = api.get(path.format("")), api.get(path.format(".json"))
    assert (plain.status, suffixed.status) == (200, 200)
    assert suffixed.json() == plain.json() and len(suffixed.json()) == 2
    assert suffixed.json()[0]["users"] is not None  # the query string was read
    assert suffixed.headers["Link"] == plain.headers["Link"]
    assert ".json" not in suffixed.headers["Link"]
    assert suffixed.links["next"] == (f"{api.base_url}/api/v1/courses/1/groups"
                                      "?include%5B%5D=users&page=2&per_page=2")


def test_bookmarked_list_with_json(api):
    r = api.get("/api/v1/users/self/groups.json?per_page=1", token="admin-token")
    assert r.status == 200 and len(r.json()) == 1
    assert r.links["next"].startswith(f"{api.base_url}/api/v1/users/self/groups?")


def test_post_route_with_json(api, store):
    r = api.post("/api/v1/groups/3/memberships.json", data={"user_id": "14"})
    assert r.status == 200 and (r.json()["group_id"], r.json()["user_id"]) == (3, 14)
    assert store.requests.calls("POST", "/api/v1/groups/{group_id}/memberships", status=200)


def test_community_created_through_json_has_the_same_live_event_context(api, store):
    r = api.post("/api/v1/groups.json", token=STUDENT, data={"name": "Chess Club"})
    assert r.status == 200
    membership_event = store.live_events.all()[-1]
    assert (membership_event.metadata["context_type"], membership_event.metadata["context_id"]) == ("Account", "1")


def test_self_routes_with_json(api):
    assert api.get("/api/v1/users/self.json").json() == api.get("/api/v1/users/self").json()
    mine = api.get("/api/v1/groups/1/memberships/self.json", token=STUDENT)
    assert mine.status == 200 and (mine.json()["group_id"], mine.json()["user_id"]) == (1, 6)
    assert mine.json() == api.get("/api/v1/groups/1/memberships/self", token=STUDENT).json()


def test_head_of_a_json_twin(api):
    r = api.request("HEAD", "/api/v1/groups/1.json")
    assert r.status == 200 and r.text == ""
    assert int(r.headers["Content-Length"]) == len(api.get("/api/v1/groups/1").text.encode())


@pytest.mark.parametrize("path", ["/api/v1/groups/1.5", "/api/v1/groups/1.xml", "/api/v1/groups/1.json.json",
                                  "/api/v1/users/sis_login_id:no.such.login", "/api/v1/groups/.json"])
def test_ids_with_dots_are_ids_not_formats(api, path):
    r = api.get(path)
    assert (r.status, r.json()) == (404, NOT_FOUND)
    if path.endswith("/.json"):  # no id at all: no route (Canvas's ID_REGEX wants one character)
        assert [p["kind"] for p in api.problems] == ["unknown route"]
        api.problems.clear()


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/no_such_thing.json"),
                                          ("GET", "/api/v1/groups/1/no_such_thing.json"),
                                          ("PATCH", "/api/v1/groups/1.json")])
def test_unknown_json_routes_are_canvas_404s(api, method, path):
    r = api.request(method, path)
    assert (r.status, r.json()) == (404, NOT_FOUND)
    assert [(p["kind"], p["method"]) for p in api.problems] == [("unknown route", method)]
    api.problems.clear()


def test_the_journal_names_the_route_without_json(api, store):
    api.get("/api/v1/groups/1.json?include[]=users")
    (call,) = store.requests.assert_called("GET", "/api/v1/groups/{group_id}", times=1)
    assert (call["path"], call["query"], call["status"]) == ("/api/v1/groups/1.json", "include[]=users", 200)
    api.get("/api/v1/users/self/groups.json")
    store.requests.assert_called("GET", "/api/v1/users/self/groups", times=1)


# -- the headers of every answer ---------------------------------------------------------------

def assert_canvas_headers(api, r, *, cache_control: str, csp: bool = True) -> str:
    """The headers every Canvas answer has; returns X-Canvas-Meta."""
    h = r.headers
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        h["X-Request-Context-Id"])
    assert re.fullmatch(r"[0-9a-f]{32}", h["X-Session-Id"])
    assert META.fullmatch(h["X-Canvas-Meta"]), h["X-Canvas-Meta"]
    assert (h["X-Request-Cost"], h["X-Rate-Limit-Remaining"]) == ("0.0", "700.0")
    for name, value in DEFAULTS.items():
        assert h.getall(name) == [value], name
    assert "X-Frame-Options" not in h  # config/application.rb deletes Rails' default
    assert h["Cache-Control"] == cache_control
    if csp:
        assert h["Content-Security-Policy"] == f"frame-ancestors 'self' {host(api)};"
    else:
        assert "Content-Security-Policy" not in h
    return h["X-Canvas-Meta"]


def test_headers_of_a_200(api, store):
    r = api.get("/api/v1/groups/1")
    assert r.status == 200
    meta = assert_canvas_headers(api, r, cache_control="max-age=0, private, must-revalidate")
    assert r.headers["X-Canvas-User-Id"] == "2" and "Pragma" not in r.headers
    token_id = list(store.tokens).index("teacher-token") + 1
    assert meta.startswith(f"at={token_id};") and "t=Group;i=1;" in meta
    # the session of a token is stable (a client that keeps its cookie)
    assert api.get("/api/v1/groups/2").headers["X-Session-Id"] == r.headers["X-Session-Id"]


def test_meta_names_canvas_controller_and_action(api):
    from mockcanvas.api import groups

    doc = getattr(groups, "ROUTE_DOCS", {}).get(("GET", "/api/v1/groups/{group_id}"))
    if doc is None:
        pytest.skip("the groups area documents no routes")
    assert doc.action.startswith("GroupsController#show")
    for path in ("/api/v1/groups/1", "/api/v1/groups/1.json"):
        assert "o=groups;n=show;t=Group;i=1;" in api.get(path).headers["X-Canvas-Meta"]


def test_headers_of_a_404(api):
    r = api.get("/api/v1/groups/999")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    meta = assert_canvas_headers(api, r, cache_control="no-cache")
    assert ";t=" not in meta  # no @context was found
    assert r.headers["X-Canvas-User-Id"] == "2"


def test_headers_of_an_unknown_route(api):
    r = api.get("/api/v1/no_such_thing/1")
    assert r.status == 404
    meta = assert_canvas_headers(api, r, cache_control="no-cache")
    assert "o=" not in meta
    api.problems.clear()


def test_headers_of_a_401_without_a_token(api):
    r = api.get("/api/v1/groups/1", token=None)
    assert r.status == 401
    meta = assert_canvas_headers(api, r, cache_control="no-store")
    assert r.headers["Pragma"] == "no-cache"  # render_unauthorized_action: set_no_cache_headers
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    assert "X-Canvas-User-Id" not in r.headers and not meta.startswith("at=")
    # a new session each time for a client without one
    assert api.get("/api/v1/groups/1", token=None).headers["X-Session-Id"] != r.headers["X-Session-Id"]


def test_headers_of_a_401_not_allowed(api):
    r = api.get("/api/v1/groups/1/memberships", token="outsider-token")
    assert r.status == 401
    assert_canvas_headers(api, r, cache_control="no-store")
    assert r.headers["X-Canvas-User-Id"] == "20" and "WWW-Authenticate" not in r.headers


def test_headers_of_a_401_bad_token(api):
    r = api.get("/api/v1/groups/1", token="nope")
    assert r.status == 401
    assert_canvas_headers(api, r, cache_control="no-cache")  # rescue_action_in_api, no cache buster
    assert "Pragma" not in r.headers


def test_the_control_plane_answers_without_canvas_headers(api):
    r = api.get("/__mockcanvas__/health", token=None)
    assert r.status == 200 and "X-Request-Context-Id" in r.headers
    assert "X-Canvas-Meta" not in r.headers and "X-Session-Id" not in r.headers


# -- the front door ----------------------------------------------------------------------------

def test_root_redirects_to_login(api, store):
    r = api.get("/", token=None, **no_redirects(api))
    assert r.status == 302
    assert r.headers["Location"] == f"{api.base_url}/login"
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<a href="{api.base_url}/login">redirected</a>' in r.text
    # require_user halted the chain: no after_action (no CSP, no cache buster, no controller/action)
    meta = assert_canvas_headers(api, r, cache_control="no-cache", csp=False)
    assert meta.startswith("b=")
    store.requests.assert_called("GET", "/", times=1, status=302)


def test_root_ignores_a_token(api):
    r = api.get("/", **no_redirects(api))
    assert (r.status, r.headers["Location"]) == (302, f"{api.base_url}/login")
    assert "X-Canvas-User-Id" not in r.headers


def test_head_of_root(api):
    get = api.get("/", token=None, **no_redirects(api))
    head = api.request("HEAD", "/", token=None, **no_redirects(api))
    assert (head.status, head.text) == (302, "")
    assert head.headers["Location"] == get.headers["Location"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert_canvas_headers(api, head, cache_control="no-cache", csp=False)


def test_login_redirects_to_canvas_login(api):
    r = api.get("/login", token=None, **no_redirects(api))
    assert r.status == 302
    assert r.headers["Location"] == f"{api.base_url}/login/canvas"
    assert r.headers["Pragma"] == "no-cache"
    meta = assert_canvas_headers(api, r, cache_control="no-store")
    assert meta.startswith("o=login;n=new;")
    head = api.request("HEAD", "/login", token=None, **no_redirects(api))
    assert (head.status, head.text, head.headers["Location"]) == (302, "", r.headers["Location"])


def test_other_methods_on_root_are_not_pages(api):
    r = api.post("/", token=None, **no_redirects(api))
    assert r.status == 404
