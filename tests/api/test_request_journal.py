"""The request journal (not a Canvas feature): every call made to the mock's Canvas routes, in
order, on ``store.requests`` and ``GET|DELETE /__mockcanvas__/requests``, with the assertion helpers
``assert_called`` / ``assert_not_called``. Through both transports (the ``api`` fixture)."""

from __future__ import annotations

import pytest

GROUP = "/api/v1/groups/{group_id}"
MEMBERSHIPS = "/api/v1/groups/{group_id}/memberships"
USER = "/api/v1/users/{user_id}"  # /users/self too
FIELDS = {"position", "method", "path", "query", "route", "user_id", "real_user_id", "status"}


def summary(entries) -> list[tuple]:
    return [(e["method"], e["path"], e["route"], e["user_id"], e["real_user_id"], e["status"]) for e in entries]


def journal(api, **query):
    r = api.get("/__mockcanvas__/requests", token=None, params=query)
    assert r.status == 200, r.text
    return r.json()


# -- what is recorded --------------------------------------------------------------------------

def test_empty_at_the_start_of_a_test(api, store):
    assert store.requests.all() == []
    body = journal(api)
    assert body["count"] == 0 and body["requests"] == []


def test_successes_failures_and_unknown_routes_in_order(api, store):
    assert api.get("/api/v1/groups/1").status == 200
    assert api.get("/api/v1/groups/1", token="outsider-token").status == 401
    assert api.get("/api/v1/groups/999").status == 404
    assert api.get("/api/v1/groups/1", token=None).status == 401
    assert api.get("/api/v1/groups/1", token="no-such-token").status == 401
    assert api.put("/api/v1/groups/sis_group_id:PG-1?include[]=users", data={"name": "Renamed"}).status == 200
    assert api.get("/api/v1/no_such_thing/7").status == 404
    assert [p["path"] for p in api.problems] == ["/api/v1/no_such_thing/7"]
    api.problems.clear()

    entries = store.requests.all()
    assert summary(entries) == [
        ("GET", "/api/v1/groups/1", GROUP, 2, None, 200),
        ("GET", "/api/v1/groups/1", GROUP, 20, None, 401),
        ("GET", "/api/v1/groups/999", GROUP, 2, None, 404),
        ("GET", "/api/v1/groups/1", GROUP, None, None, 401),
        ("GET", "/api/v1/groups/1", GROUP, None, None, 401),
        ("PUT", "/api/v1/groups/sis_group_id:PG-1", GROUP, 2, None, 200),
        ("GET", "/api/v1/no_such_thing/7", None, None, None, 404),
    ]
    assert all(set(e) == FIELDS for e in entries)
    positions = [e["position"] for e in entries]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert positions == list(range(positions[0], positions[0] + len(entries)))
    assert entries[5]["query"] == "include[]=users"
    assert entries[0]["query"] == ""
    # the HTTP view shows the same entries
    body = journal(api)
    assert body["requests"] == entries
    assert body["count"] == len(entries) and body["position"] == entries[-1]["position"]


def test_wrong_method_on_a_known_path_is_an_unknown_route(api, store):
    assert api.put("/api/v1/courses/1/sections", data={"name": "x"}).status == 404  # GET and POST only
    api.problems.clear()
    assert summary(store.requests.all()) == [("PUT", "/api/v1/courses/1/sections", None, None, None, 404)]


def test_effective_and_real_user_when_masquerading(api, store):
    api.post("/api/v1/groups/4/memberships", token="admin-token", data={"user_id": "self", "as_user_id": "6"})
    api.get("/api/v1/users/self", token="admin-token", params={"as_user_id": "sis_user_id:S-006"})
    api.get("/api/v1/users/self", token="teacher-token", params={"as_user_id": "6"})  # refused
    assert summary(store.requests.all()) == [
        ("POST", "/api/v1/groups/4/memberships", MEMBERSHIPS, 6, 1, 200),
        ("GET", "/api/v1/users/self", USER, 6, 1, 200),
        ("GET", "/api/v1/users/self", USER, 2, None, 401),
    ]
    assert store.requests.calls(user_id=6) == store.requests.all()[:2]


def test_route_templates_of_nested_routes(api, store):
    api.get("/api/v1/groups/1/users/sis_user_id:S-006")
    api.get("/api/v1/courses/1/groups")
    api.get("/api/v1/group_categories/1/groups")
    assert [e["route"] for e in store.requests.all()] == [
        "/api/v1/groups/{group_id}/users/{user_id}",
        "/api/v1/courses/{course_id}/groups",
        "/api/v1/group_categories/{group_category_id}/groups",
    ]


def test_control_plane_calls_are_not_journaled(api, store):
    api.get("/api/v1/groups/1")
    assert api.get("/__mockcanvas__/health", token=None).status == 200
    assert api.get("/__mockcanvas__/live_events", token=None).status == 200
    assert api.get("/__mockcanvas__/progress_policy", token=None).status == 200
    journal(api)
    journal(api, method="GET")
    assert [e["path"] for e in store.requests.all()] == ["/api/v1/groups/1"]
    assert journal(api)["count"] == 1


# -- GET /__mockcanvas__/requests filters ------------------------------------------------------

@pytest.fixture
def some_calls(api):
    """Four calls: two GETs of group 1 (200, then 401), a PUT of group 2 and a GET of group 999."""
    api.get("/api/v1/groups/1")
    api.get("/api/v1/groups/1", token="outsider-token")
    api.put("/api/v1/groups/2", data={"name": "Two"})
    api.get("/api/v1/groups/999")


def test_filter_after(api, store, some_calls):
    entries = store.requests.all()
    second = entries[1]["position"]
    body = journal(api, after=second)
    assert [e["position"] for e in body["requests"]] == [e["position"] for e in entries[2:]]
    assert body["count"] == 2
    assert body["position"] == entries[-1]["position"]
    assert journal(api, after=entries[-1]["position"])["requests"] == []
    assert journal(api, after=0)["count"] == 4


def test_filter_method_route_path_status(api, some_calls):
    puts = journal(api, method="put")
    assert [(e["method"], e["path"]) for e in puts["requests"]] == [("PUT", "/api/v1/groups/2")]
    assert journal(api, method="GET")["count"] == 3
    assert journal(api, route=GROUP)["count"] == 4
    assert journal(api, route="/api/v1/groups/1")["count"] == 0  # a route is a template
    assert journal(api, path="/api/v1/groups/1")["count"] == 2
    assert [e["path"] for e in journal(api, status=404)["requests"]] == ["/api/v1/groups/999"]
    assert [e["user_id"] for e in journal(api, status=401)["requests"]] == [20]
    both = journal(api, method="GET", path="/api/v1/groups/1", status=200)
    assert both["count"] == 1 and both["requests"][0]["user_id"] == 2


@pytest.mark.parametrize("query", ["after=x", "after=-1", "after=1.5", "after=²", "status=ok", "status=", "status=²"])
def test_bad_integer_filters_are_400(api, query):
    r = api.get(f"/__mockcanvas__/requests?{query}", token=None)
    assert r.status == 400
    assert "error" in r.json()


# -- clearing ----------------------------------------------------------------------------------

def test_delete_clears_and_positions_keep_counting(api, store, some_calls):
    last = store.requests.all()[-1]["position"]
    r = api.delete("/__mockcanvas__/requests", token=None)
    assert r.status == 200
    assert r.json() == {"cleared": 4, "position": last}
    assert store.requests.all() == []
    assert journal(api)["count"] == 0
    api.get("/api/v1/groups/3")
    (entry,) = store.requests.all()
    assert entry["position"] == last + 1 and entry["path"] == "/api/v1/groups/3"
    assert api.delete("/__mockcanvas__/requests", token=None).json()["cleared"] == 1


def test_reset_clears_the_journal(api, store, some_calls):
    assert len(store.requests) == 4
    r = api.post("/__mockcanvas__/reset", token=None)
    assert r.status == 200
    assert len(store.requests) == 0
    assert journal(api)["count"] == 0


def test_store_rollback_clears_the_journal(api, store):
    api.get("/api/v1/groups/1")
    with store.lock:
        store.rollback()
    assert store.requests.all() == []


# -- assert_called / assert_not_called ---------------------------------------------------------

def test_assert_called_passes(api, store, some_calls):
    rq = store.requests
    found = rq.assert_called("GET", GROUP)
    assert len(found) == 3
    rq.assert_called("GET", GROUP, times=3)
    rq.assert_called("get", GROUP, path="/api/v1/groups/1", times=2)
    rq.assert_called("PUT", GROUP, times=1, path="/api/v1/groups/2", user_id=2, status=200)
    rq.assert_called(status=401, user_id=20)
    rq.assert_called(path="/api/v1/groups/999", status=404)
    rq.assert_not_called("DELETE", GROUP)
    rq.assert_not_called("PUT", GROUP, path="/api/v1/groups/1")
    rq.assert_not_called(route=MEMBERSHIPS)
    assert rq.calls("GET", GROUP, status=200) == [rq.all()[0]]


def test_assert_called_fails_listing_the_calls(api, store, some_calls):
    rq = store.requests
    with pytest.raises(AssertionError) as info:
        rq.assert_called("DELETE", GROUP)
    text = str(info.value)
    assert "expected any DELETE /api/v1/groups/{group_id}, found 0" in text
    first = rq.all()[0]["position"]
    for line in (f"#{first} GET /api/v1/groups/1 -> 200 (user 2)",
                 f"#{first + 1} GET /api/v1/groups/1 -> 401 (user 20)",
                 f"#{first + 2} PUT /api/v1/groups/2 -> 200 (user 2)",
                 f"#{first + 3} GET /api/v1/groups/999 -> 404 (user 2)"):
        assert line in text
    assert text.index(f"#{first} ") < text.index(f"#{first + 3} ")


def test_assert_called_with_times_fails_on_a_wrong_count(api, store, some_calls):
    with pytest.raises(AssertionError, match=r"expected 1 GET /api/v1/groups/\{group_id\} with user_id=2, found 2"):
        store.requests.assert_called("GET", GROUP, times=1, user_id=2)
    with pytest.raises(AssertionError, match="found 0"):
        store.requests.assert_called("PUT", GROUP, status=401)


def test_assert_not_called_fails_listing_the_calls(api, store, some_calls):
    with pytest.raises(AssertionError) as info:
        store.requests.assert_not_called("PUT", GROUP)
    text = str(info.value)
    assert "expected 0 PUT /api/v1/groups/{group_id}, found 1" in text
    assert "PUT /api/v1/groups/2 -> 200 (user 2)" in text and "GET /api/v1/groups/999 -> 404" in text


def test_assert_called_on_an_empty_journal_says_so(api, store):
    with pytest.raises(AssertionError, match="no requests were made"):
        store.requests.assert_called("GET", GROUP)


# -- the limit -----------------------------------------------------------------------------------

def test_the_journal_keeps_the_last_limit_entries(api, store):
    """A long-running server keeps only the newest entries; positions keep counting."""
    start = store.requests.position
    store.requests.limit = 3
    try:
        for gid in (1, 2, 3, 4, 5):
            api.get(f"/api/v1/groups/{gid}")
        kept = store.requests.all()
        assert [e["path"] for e in kept] == [f"/api/v1/groups/{g}" for g in (3, 4, 5)]
        assert [e["position"] for e in kept] == [start + 3, start + 4, start + 5]
        assert store.requests.dropped == 2
        body = journal(api, after=start + 3)
        assert body["position"] == start + 5 and body["count"] == 2
        with pytest.raises(AssertionError) as exc:
            store.requests.assert_called("GET", path="/api/v1/groups/1")
        assert "the 2 oldest were dropped, limit 3" in str(exc.value)
        store.requests.limit = 2  # shrinking drops the oldest again
        assert [e["path"] for e in store.requests.all()] == ["/api/v1/groups/4", "/api/v1/groups/5"]
        assert store.requests.dropped == 3
        store.requests.clear()
        assert store.requests.dropped == 0
    finally:
        store.requests.limit = store.requests.DEFAULT_LIMIT


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_a_journal_limit_must_be_a_positive_integer(store, bad):
    with pytest.raises(ValueError, match="positive integer"):
        store.requests.limit = bad
    assert store.requests.limit == store.requests.DEFAULT_LIMIT
