"""The ``canvas_live_events`` fixture as a downstream project uses it: pytester writes small test
files and runs them in-process with the plugin loaded from the ``pytest11`` entry point."""

from __future__ import annotations

import textwrap

import pytest
import requests  # noqa: F401  (imported once here: pytester in-process would re-import it per run and mix up its classes)

INI = """
    [pytest]
    asyncio_mode = auto
    asyncio_default_fixture_loop_scope = function
"""

# shared by the downstream test files below
HEADER = """
    import threading
    import time

    import pytest
    import requests

    H = {"Authorization": "Bearer teacher-token"}
"""


def run(pytester: pytest.Pytester, src: str, *args: str) -> pytest.RunResult:
    pytester.makeini(textwrap.dedent(INI))
    pytester.makepyfile(test_downstream=textwrap.dedent(HEADER) + textwrap.dedent(src))
    return pytester.runpytest("-p", "no:cacheprovider", "-q", *args)


def test_events_from_server_client_and_store_each_test_starting_empty(pytester: pytest.Pytester) -> None:
    result = run(pytester, """
        def test_server(canvas_server, canvas_live_events):
            assert canvas_live_events.all() == [] and len(canvas_live_events) == 0
            r = requests.post(canvas_server.url + "/api/v1/group_categories/1/groups",
                              data={"name": "From HTTP"}, headers=H, timeout=30)
            assert r.status_code == 200, r.text
            (event,) = canvas_live_events.assert_emitted("group_created", group_name="From HTTP", count=1)
            assert event.body["group_id"] == str(r.json()["id"])
            assert event.metadata["http_method"] == "POST" and event.metadata["user_id"] == "2"
            assert event.to_dict() == {"metadata": event.metadata, "body": event.body}
            assert canvas_server.live_events is canvas_live_events

        def test_empty_after_server(canvas_live_events, canvas_server):
            assert canvas_live_events.all() == []
            canvas_live_events.assert_names([])
            canvas_live_events.assert_not_emitted("group_created")
            assert canvas_server.store.changed_rows == 0

        async def test_client(canvas_client, canvas_live_events):
            assert canvas_live_events.all() == []
            resp = await canvas_client.post("/api/v1/groups/2/memberships", data={"user_id": "15"}, headers=H)
            assert resp.status == 200, await resp.text()
            membership = await resp.json()
            canvas_live_events.assert_names(["group_membership_created"])
            (event,) = canvas_live_events.named("group_membership_created")
            assert event.body["group_membership_id"] == str(membership["id"])
            assert event.metadata["url"].endswith("/api/v1/groups/2/memberships")

        def test_empty_after_client(canvas_live_events):
            assert canvas_live_events.all() == []

        def test_store(canvas_store, canvas_live_events):
            assert canvas_live_events.all() == []
            membership, created = canvas_store.memberships.add_user(canvas_store.get("groups", 2),
                                                                    canvas_store.get("users", 16))
            assert created
            (event,) = canvas_live_events.assert_emitted("group_membership_created", user_id=16, count=1)
            assert event.body["group_membership_id"] == str(membership.id)
            assert "request_id" not in event.metadata  # no request behind a direct store call
            assert canvas_store.live_events is canvas_live_events

        def test_empty_after_store(canvas_live_events, canvas_store):
            assert canvas_live_events.all() == []
            assert canvas_store.changed_rows == 0
            assert all(m.user_id != 16 or m.group_id != 2 for m in canvas_store.all("memberships"))
    """)
    result.assert_outcomes(passed=6)


def test_wait_for_and_the_failure_messages(pytester: pytest.Pytester) -> None:
    result = run(pytester, """
        def test_wait_for_an_event_from_another_thread(canvas_server, canvas_live_events):
            def later():
                time.sleep(0.2)
                requests.put(canvas_server.url + "/api/v1/groups/3", data={"name": "Later"}, headers=H,
                             timeout=30)

            thread = threading.Thread(target=later)
            thread.start()
            try:
                event = canvas_live_events.wait_for("group_updated", timeout=10, group_id=3)
            finally:
                thread.join(30)
            assert event.body["group_name"] == "Later"
            assert canvas_live_events.wait_for("group_updated", timeout=0.1) is event  # already there

        def test_wait_for_nothing_recorded(canvas_live_events):
            canvas_live_events.wait_for("group_created", timeout=0.2)

        def test_wait_for_something_else_recorded(canvas_server, canvas_live_events):
            r = requests.put(canvas_server.url + "/api/v1/groups/1", data={"name": "Only Change"},
                             headers=H, timeout=30)
            assert r.status_code == 200
            canvas_live_events.wait_for("group_created", timeout=0.3, group_name="Never")

        def test_assert_emitted_shows_what_was_recorded(canvas_server, canvas_live_events):
            for name in ("First Name", "Second Name"):
                r = requests.put(canvas_server.url + "/api/v1/groups/2", data={"name": name},
                                 headers=H, timeout=30)
                assert r.status_code == 200
            canvas_live_events.assert_emitted("group_updated", count=2)  # passes
            canvas_live_events.assert_emitted("group_membership_created", user_id=6)
    """)
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines([
        "*AssertionError: no group_created within 0.2s; no live events were recorded",
    ])
    result.stdout.fnmatch_lines([
        "*AssertionError: no group_created with group_name='Never' within 0.3s; recorded 1 live event(s):",
        '*#* group_updated {*"group_id": "1", "group_name": "Only Change"*}',
    ])
    result.stdout.fnmatch_lines([
        ("*AssertionError: expected any group_membership_created with user_id=6, found 0; "
         "recorded 2 live event(s):"),
        '*#* group_updated {*"group_name": "First Name"*}',
        '*#* group_updated {*"group_name": "Second Name"*}',
    ])


def test_matching_body_fields(pytester: pytest.Pytester) -> None:
    result = run(pytester, """
        def test_matching(canvas_server, canvas_live_events):
            # user 6 moves from Project Group 1 to Project Group 2 (category 1: one group per student)
            r = requests.post(canvas_server.url + "/api/v1/groups/2/memberships", data={"user_id": "6"},
                              headers=H, timeout=30)
            assert r.status_code == 200, r.text
            created = canvas_live_events.matching("group_membership_created", user_id=6, group_id=2)
            assert len(created) == 1
            assert created[0].body["user_id"] == "6"  # ids in bodies are strings, as in Canvas
            assert canvas_live_events.matching("group_membership_created", user_id="6", group_id="2") == created
            assert canvas_live_events.matching(user_id=6, workflow_state="deleted") == (
                canvas_live_events.matching("group_membership_updated", group_id=1))
            assert len(canvas_live_events.matching(user_id=6)) == 2
            assert canvas_live_events.matching(user_id=7) == []
            assert canvas_live_events.matching("group_membership_created", no_such_field=1) == []
            assert canvas_live_events.matching() == canvas_live_events.all()
            canvas_live_events.assert_emitted("group_membership_updated", count=1, group_id=1,
                                              workflow_state="deleted")
            canvas_live_events.assert_not_emitted("group_membership_created", group_id=1)
            event = canvas_live_events.wait_for("group_membership_updated", timeout=1, user_id=6)
            assert event.body["group_name"] == "Project Group 1"
    """)
    result.assert_outcomes(passed=1)
