"""Live events: what the mock records for each change to a group category, group or membership,
and with which metadata (canvas-facts section 6; example payloads in Canvas's data-services page,
read at test time by ``live_event_shapes``).

Every event recorded by the test's store during any test of this module is checked against the
documented shape (``check_shape``, applied by the autouse fixture ``shapes_checked``). HTTP tests
run over both transports of the ``api`` fixture.

Default world (README): teacher-token = user 2 (teacher of courses 1 and 2, SIS T-002),
student-token = user 6, student2-token = user 7, admin-token = user 1 (no SIS id). Course 1 (SIS
MOCK101-2024) is in root account 1 (SIS MOCKU); course 2 in sub-account 2. Categories: 1 Project
Groups (groups 1 (6 leads, 8, 9), 2 (7, 10, 11), 3 (12, 13; max 4)), students 14-19 unassigned;
2 Student Groups (student organized, group 4: 7 moderates); 3 Self Sign-up Teams (group_limit 3,
auto_leader first; group 5 (14 leads), group 6 empty); 4 Communities (account, group 7);
5 Faculty Committees (account, group 8).
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests
from live_event_shapes import (
    BARE_METADATA_KEYS,
    CONTEXT_KEYS,
    JOB_METADATA_KEYS,
    SEED_PATH,
    USERLESS_REQUEST_IN_DOCS,
    check_shape,
    parse_examples,
    seed_examples,
)

import mockcanvas
from mockcanvas import CanvasServer, Settings, create_app
from mockcanvas.events import LiveEvent, LiveEvents
from mockcanvas.store.registry import EVENT_NAMES
from mockcanvas.store.groups import GroupInput


TEACHER, STUDENT, STUDENT2, ADMIN = "teacher-token", "student-token", "student2-token", "admin-token"
CATEGORY_CREATED, CATEGORY_UPDATED = "group_category_created", "group_category_updated"
GROUP_CREATED, GROUP_UPDATED = "group_created", "group_updated"
MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED = "group_membership_created", "group_membership_updated"
UNASSIGNED_IN_PROJECTS = {14, 15, 16, 17, 18, 19}
HEX32 = re.compile(r"[0-9a-f]{32}")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


# -- fixtures ----------------------------------------------------------------------------------

@contextmanager
def checking_shapes(live_events: LiveEvents):
    """Collect every event recorded in the block (even ones cleared later); check each at its end."""
    seen: list[LiveEvent] = []
    live_events.add_listener(seen.append)
    try:
        yield seen
    finally:
        live_events.remove_listener(seen.append)
    for event in seen:
        check_shape(event)


@pytest.fixture(autouse=True)
def shapes_checked(store):
    with checking_shapes(store.live_events) as seen:
        yield seen


@pytest.fixture
def live_events_bulk(store):
    """``live_events_bulk(True)`` turns Settings.live_events_bulk on for this test (restored after)."""
    original = store.settings

    def turn(on: bool = True) -> None:
        store.settings = dataclasses.replace(original, live_events_bulk=on)

    try:
        yield turn
    finally:
        store.settings = original


@pytest.fixture
def sharded():
    """A default world with global ids of shard 2107, served on its own port."""
    store = mockcanvas.load_world(settings=Settings(shard_id=2107))
    with checking_shapes(store.live_events), CanvasServer(store) as server:
        yield server


# -- helpers -----------------------------------------------------------------------------------

def ok(resp):
    assert resp.status == 200, resp.text
    return resp.json()


def names(store) -> list[str]:
    return store.live_events.names()


def summary(store, *keys, name=None):
    """(event name, body[key]...) of each recorded event (of one name, when given)."""
    return [(e.name, *(e.body[k] for k in keys)) for e in store.live_events.all() if name in (None, e.name)]


def account_of(store, group) -> int:
    return store.get("courses", group.context_id).account_id if group.context_type == "Course" else group.context_id


def category_body(store, cat_id):
    c = store.get("group_categories", cat_id)
    return {"group_category_id": str(c.id), "group_category_name": c.name, "context_id": str(c.context_id),
            "context_type": c.context_type, "group_limit": c.group_limit}


def group_body(store, group_id):
    g = store.get("groups", group_id)
    c = store.get("group_categories", g.group_category_id)
    return {"group_category_id": str(c.id), "group_category_name": c.name, "group_id": str(g.id),
            "uuid": g.uuid, "group_name": g.name, "context_type": g.context_type, "context_id": str(g.context_id),
            "account_id": str(account_of(store, g)), "workflow_state": g.workflow_state,
            "max_membership": g.max_membership}


def membership_body(store, membership_id):
    m = store.get("memberships", membership_id)
    g = store.get("groups", m.group_id)
    c = store.get("group_categories", g.group_category_id)
    return {"group_membership_id": str(m.id), "user_id": str(m.user_id), "group_id": str(g.id),
            "group_name": g.name, "group_category_id": str(c.id), "group_category_name": c.name,
            "workflow_state": m.workflow_state}


def membership_id(store, group_id, user_id) -> int:
    m = store.memberships.of_pair(group_id, user_id)
    assert m is not None, f"user {user_id} is not in group {group_id}"
    return m.id


def join(api, group_id, token=STUDENT, user_id="self"):
    return api.post(f"/api/v1/groups/{group_id}/memberships", token=token, data={"user_id": str(user_id)})


def create_category(api, context="courses/1", token=TEACHER, **fields):
    return ok(api.post(f"/api/v1/{context}/group_categories", token=token, data=fields))


def finish(api, progress):
    """Poll a progress until its job has run (a poll runs a job still waiting); assert it completed."""
    for _ in range(5):
        p = ok(api.get(f"/api/v1/progress/{progress['id']}"))
        if p["workflow_state"] not in ("queued", "running"):
            assert p["workflow_state"] == "completed", p
            return p
    raise AssertionError(f"progress {progress['id']} still pending: {p}")


def post_csv(api, cat_id, text):
    return ok(api.post(f"/api/v1/group_categories/{cat_id}/import", data=text.encode(),
                       headers={"Content-Type": "text/csv"}))


def control(api, method="GET", query="", **kw):
    """The test control plane, without a token."""
    return api.request(method, f"/__mockcanvas__/live_events{query}", token=None, **kw)


# -- 1. the shape of the documented examples ----------------------------------------------------

def test_the_seed_has_one_example_per_event():
    examples = seed_examples()
    # Canvas's data-services docs have no example for the section events (their bodies are
    # checked in tests/api/test_sections_write.py); every other event the store may record,
    # the assignments and submissions areas' included, has its documented example
    assert set(examples) == set(EVENT_NAMES) - {"course_section_created", "course_section_updated"}
    assert {"assignment_created", "assignment_updated", "assignment_group_created", "assignment_group_updated",
            "assignment_override_created", "assignment_override_updated", "submission_created",
            "submission_updated", "grade_change"} <= set(examples)
    assert set(examples["group_category_created"]["body"]) == {
        "group_category_id", "group_category_name", "context_id", "context_type", "group_limit"}
    assert set(examples["group_updated"]["body"]) == {
        "group_category_id", "group_category_name", "group_id", "uuid", "group_name", "context_type",
        "context_id", "account_id", "workflow_state", "max_membership"}
    assert set(examples["group_membership_updated"]["body"]) == {
        "group_membership_id", "user_id", "group_id", "group_name", "group_category_id",
        "group_category_name", "workflow_state"}
    # only the first example shows the request's context; all share the rest of the metadata (the
    # request examples: course_updated is documented with a job's metadata, course_created with a
    # developer key's developer_key_id)
    assert CONTEXT_KEYS <= set(examples["group_category_created"]["metadata"])
    base = {frozenset(set(e["metadata"]) - CONTEXT_KEYS - {"event_name", "developer_key_id"})
            for name, e in examples.items() if "request_id" in e["metadata"] and name not in USERLESS_REQUEST_IN_DOCS}
    assert len(base) == 1
    # submission_created is documented with an LTI tool's grade passback: a request without a user
    # (nor a context), which live_event_shapes compares with a user's request
    assert USERLESS_REQUEST_IN_DOCS == {"submission_created"}
    assert set(next(iter(base))) - set(examples["submission_created"]["metadata"]) == {
        "time_zone", "user_account_id", "user_id", "user_login", "user_sis_id"}
    # the new areas' bodies, as documented (the differences Canvas's code makes are live_event_shapes'
    # BODY_ADDED, BODY_RENAMED, BODY_SOMETIMES and CODE_TYPES)
    assert set(examples["assignment_group_updated"]["body"]) == {
        "assignment_group_id", "context_id", "context_type", "group_weight", "integration_data", "name",
        "position", "rules", "sis_source_id", "workflow_state"}
    assert set(examples["assignment_override_created"]["body"]) == {
        "assignment_override_id", "assignment_id", "due_at", "all_day", "all_day_date", "unlock_at", "lock_at",
        "type", "course_section_id", "workflow_state"}
    assert set(examples["grade_change"]["body"]) == {
        "assignment_id", "grade", "grader_id", "grading_complete", "muted", "old_grade", "old_points_possible",
        "old_score", "points_possible", "score", "student_id", "student_sis_id", "submission_id", "user_id"}
    assert set(examples["submission_updated"]["body"]) == set(examples["submission_created"]["body"])
    assert set(examples["assignment_updated"]["body"]) - set(examples["assignment_created"]["body"]) == {
        "assignment_id_duplicated__from"}  # the page's spelling; the code's has one underscore


@pytest.mark.skipif(not SEED_PATH.exists(), reason="set MOCKCANVAS_LIVE_EVENTS_SEED to Canvas's page")
def test_the_examples_file_is_the_documentation_page_s_examples():
    assert parse_examples(SEED_PATH.read_text(encoding="utf-8")) == seed_examples()


def test_parse_examples_reads_each_json_block_after_its_label():
    text = 'x\nPayload Example:\n\n{"metadata": {"event_name": "a"}, "body": {"k": "{"}}\nmore\n' \
           'Payload Example:\n{"metadata": {"event_name": "b"}, "body": {}}'
    assert parse_examples(text) == {"a": {"metadata": {"event_name": "a"}, "body": {"k": "{"}},
                                    "b": {"metadata": {"event_name": "b"}, "body": {}}}


_DROP = object()


def _example_event(**changes):
    """The documented group_category_created example, with ``part__field`` changed (or dropped)."""
    example = seed_examples()["group_category_created"]
    metadata, body = dict(example["metadata"]), dict(example["body"])
    for key, value in changes.items():
        part, _, field = key.partition("__")
        target = metadata if part == "meta" else body
        if value is _DROP:
            del target[field]
        else:
            target[field] = value
    return LiveEvent(1, metadata, body)


def test_check_shape_accepts_the_documented_example():
    check_shape(_example_event())
    check_shape(_example_event(body__group_limit=None, meta__referrer=None, meta__context_role=_DROP))


@pytest.mark.parametrize("changes", [
    {"body__group_category_id": 49},                       # an id as a number
    {"body__group_limit": "99"},                           # a limit as a string
    {"body__workflow_state": "available"},                 # a key the example does not have
    {"body__context_type": _DROP},                         # a key missing
    {"meta__event_time": "2019-11-01T15:06:48Z"},          # no milliseconds
    {"meta__event_time": "2019-11-01T15:06:48.462+00:00"},
    {"meta__producer": "mockcanvas"},
    {"meta__user_id": 1},
    {"meta__developer_key_id": "1"},                       # not in the example, not a context key
    {"meta__hostname": _DROP},
    {"meta__context_type": _DROP},                         # a request that writes has a context
    {"meta__context_type": "Group"},                       # ... and the route's context
    {"meta__event_name": "group_created"},                 # a group_created with a category's body
], ids=lambda c: ",".join(c))
def test_check_shape_rejects(changes):
    with pytest.raises(AssertionError, match="does not have the documented shape|unknown live event"):
        check_shape(_example_event(**changes))


# -- 2. every way each event fires ----------------------------------------------------------------

def test_category_created(api, store):
    cat = create_category(api, name="Lab Teams", group_limit="4")
    store.live_events.assert_names([CATEGORY_CREATED])
    (event,) = store.live_events.all()
    assert event.body == {"group_category_id": str(cat["id"]), "group_category_name": "Lab Teams",
                          "context_id": "1", "context_type": "Course", "group_limit": 4}


def test_category_created_with_groups_reports_each_group(api, store):
    cat = create_category(api, name="Lab Teams", group_limit="5", create_group_count="3")
    # without self-signup the students are also distributed at once, by bulk insert: no membership events
    store.live_events.assert_names([CATEGORY_CREATED] + [GROUP_CREATED] * 3)
    ids = sorted(g.id for g in store.all("groups") if g.group_category_id == cat["id"])
    assert sum(store.memberships.accepted_count(i) for i in ids) == 14
    assert [e.body for e in store.live_events.named(GROUP_CREATED)] == [group_body(store, i) for i in ids]
    assert summary(store, "group_name", "max_membership", name=GROUP_CREATED) == [
        (GROUP_CREATED, f"Lab Team {n}", 5) for n in (1, 2, 3)]


def test_account_category_created(api, store):
    cat = create_category(api, "accounts/1", ADMIN, name="Clubs")
    store.live_events.assert_names([CATEGORY_CREATED])
    assert store.live_events.all()[0].body == {
        "group_category_id": str(cat["id"]), "group_category_name": "Clubs", "context_id": "1",
        "context_type": "Account", "group_limit": None}


def test_category_groups_in_a_sub_account_course_name_that_account(api, store):
    """Course 2 is in account 2: a group's account_id is the course's account, not the root."""
    cat = create_category(api, "courses/2", name="Advanced Teams", create_group_count="1")
    group_event = store.live_events.assert_emitted(GROUP_CREATED, count=1)[0]
    assert (group_event.body["context_id"], group_event.body["account_id"]) == ("2", "2")
    assert store.live_events.named(CATEGORY_CREATED)[0].body["context_id"] == "2"
    meta = group_event.metadata
    assert (meta["context_id"], meta["context_account_id"], meta["root_account_id"]) == ("2", "2", "1")
    assert "context_sis_source_id" not in meta  # course 2 has no SIS id
    assert group_event.body["group_category_id"] == str(cat["id"])


def test_category_rename(api, store):
    ok(api.put("/api/v1/group_categories/1", data={"name": "Projects 2024"}))
    store.live_events.assert_names([CATEGORY_UPDATED])
    assert store.live_events.all()[0].body == {
        "group_category_id": "1", "group_category_name": "Projects 2024", "context_id": "1",
        "context_type": "Course", "group_limit": None}


@pytest.mark.parametrize("data", [{"name": "Project Groups"}, {}], ids=["same-name", "nothing"])
def test_category_put_that_changes_nothing_records_nothing(api, store, data):
    ok(api.put("/api/v1/group_categories/1", data=data))
    assert names(store) == []


def test_category_delete_reports_each_live_group_then_the_category(api, store):
    store.groups.delete(store.get("users", 2), store.get("groups", 2))  # already deleted: not reported
    before = category_body(store, 1)
    store.live_events.clear()
    ok(api.delete("/api/v1/group_categories/1"))
    assert summary(store, "group_id", "workflow_state", name=GROUP_UPDATED) == [
        (GROUP_UPDATED, "1", "deleted"), (GROUP_UPDATED, "3", "deleted")]
    store.live_events.assert_names([GROUP_UPDATED, GROUP_UPDATED, CATEGORY_UPDATED])
    assert store.live_events.all()[-1].body == before  # the body does not show the deletion


def test_group_created_in_a_category(api, store):
    g = ok(api.post("/api/v1/group_categories/1/groups", data={"name": "Late Joiners", "max_membership": "5"}))
    store.live_events.assert_names([GROUP_CREATED])
    assert store.live_events.all()[0].body == group_body(store, g["id"])
    assert store.live_events.all()[0].body["max_membership"] == 5


def test_community_created_by_a_student_reports_the_group_and_the_creator(api, store):
    g = ok(api.post("/api/v1/groups", token=STUDENT, data={"name": "Chess Club"}))
    store.live_events.assert_names([GROUP_CREATED, MEMBERSHIP_CREATED])
    group_event, membership_event = store.live_events.all()
    assert group_event.body == group_body(store, g["id"])
    assert (group_event.body["context_type"], group_event.body["group_category_name"]) == ("Account", "Communities")
    assert membership_event.body == membership_body(store, membership_id(store, g["id"], 6))
    assert (membership_event.metadata["context_type"], membership_event.metadata["context_id"]) == ("Account", "1")


def test_group_rename(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "Renamed"}))
    store.live_events.assert_names([GROUP_UPDATED])
    assert store.live_events.all()[0].body == group_body(store, 1)
    assert store.live_events.all()[0].body["group_name"] == "Renamed"


def test_group_put_that_changes_nothing_records_nothing(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "Project Group 1", "max_membership": ""}))
    assert names(store) == []


def test_group_delete(api, store):
    ok(api.delete("/api/v1/groups/3"))
    store.live_events.assert_names([GROUP_UPDATED])
    assert store.live_events.all()[0].body == dict(group_body(store, 3), workflow_state="deleted")


@pytest.mark.parametrize("kw,leader", [({"data": {"leader[id]": "8"}}, 8), ({"json": {"leader": None}}, None)],
                         ids=["set", "clear"])
def test_leader_change_reports_the_group(api, store, kw, leader):
    ok(api.put("/api/v1/groups/1", **kw))
    assert store.get("groups", 1).leader_id == leader
    store.live_events.assert_names([GROUP_UPDATED])
    assert store.live_events.all()[0].body == group_body(store, 1)


def test_auto_leader_when_a_student_joins_an_empty_team(api, store):
    m = ok(join(api, 6))
    assert store.get("groups", 6).leader_id == 6
    store.live_events.assert_names([MEMBERSHIP_CREATED, GROUP_UPDATED])
    assert store.live_events.all()[0].body == membership_body(store, m["id"])
    assert store.live_events.all()[1].body == group_body(store, 6)


def test_no_leader_event_when_the_team_already_has_a_leader(api, store):
    ok(join(api, 5))
    assert store.get("groups", 5).leader_id == 14
    store.live_events.assert_names([MEMBERSHIP_CREATED])


def test_membership_created_by_the_teacher(api, store):
    m = ok(join(api, 3, TEACHER, 15))
    store.live_events.assert_names([MEMBERSHIP_CREATED])
    assert store.live_events.all()[0].body == membership_body(store, m["id"])
    assert store.live_events.all()[0].matches(user_id=15, group_id=3, workflow_state="accepted")


def test_student_self_join_where_allowed(api, store):
    m = ok(join(api, 4))  # student organized: several memberships allowed, nobody moved
    store.live_events.assert_names([MEMBERSHIP_CREATED])
    assert store.live_events.all()[0].body == membership_body(store, m["id"])
    assert store.live_events.all()[0].matches(user_id=6, group_id=4, group_category_name="Student Groups")


def test_put_members_reports_removals_and_additions(api, store):
    # 6 (the leader) and 9 go; 15 (unassigned) and 10 (moved from group 2) come; 8 stays
    ok(api.put("/api/v1/groups/1", data={"members[]": ["8", "15", "10"]}))
    memberships = [(e.name, e.body["group_id"], e.body["user_id"], e.body["workflow_state"])
                   for e in store.live_events.named(MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED)]
    assert memberships == [
        (MEMBERSHIP_UPDATED, "1", "6", "deleted"),
        (MEMBERSHIP_UPDATED, "1", "9", "deleted"),
        (MEMBERSHIP_CREATED, "1", "15", "accepted"),
        (MEMBERSHIP_CREATED, "1", "10", "accepted"),
        (MEMBERSHIP_UPDATED, "2", "10", "deleted"),  # one group per category: 10 left group 2
    ]
    store.live_events.assert_emitted(GROUP_UPDATED, count=1, group_id=1)  # the leader's membership went


@pytest.mark.parametrize("route", ["memberships", "users"])
def test_membership_removed_by_the_teacher(api, store, route):
    mid = membership_id(store, 2, 10)
    ok(api.delete(f"/api/v1/groups/2/{route}/{mid if route == 'memberships' else 10}"))
    store.live_events.assert_names([MEMBERSHIP_UPDATED])
    assert store.live_events.all()[0].body == dict(membership_body(store, mid), workflow_state="deleted")


@pytest.mark.parametrize("route", ["memberships", "users"])
def test_member_leaves_with_self(api, store, route):
    mid = membership_id(store, 4, 7)
    ok(api.delete(f"/api/v1/groups/4/{route}/self", token=STUDENT2))
    store.live_events.assert_names([MEMBERSHIP_UPDATED])
    assert store.live_events.all()[0].body == dict(membership_body(store, mid), workflow_state="deleted")
    assert store.live_events.all()[0].matches(user_id=7)


def test_moderator_change_reports_the_membership(api, store):
    mid = membership_id(store, 4, 7)
    ok(api.put("/api/v1/groups/4/users/7", data={"moderator": "false"}))
    assert store.get("memberships", mid).moderator is False
    store.live_events.assert_names([MEMBERSHIP_UPDATED])
    assert store.live_events.all()[0].body == membership_body(store, mid)  # still accepted
    ok(api.put("/api/v1/groups/4/users/7", data={"moderator": "false"}))  # no change: no event
    assert len(store.live_events) == 1


def test_joining_another_group_of_the_category_moves_the_member(api, store):
    old = ok(join(api, 5))
    store.live_events.clear()
    new = ok(join(api, 6))
    memberships = store.live_events.named(MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED)
    assert [(e.name, e.body["group_membership_id"], e.body["group_id"], e.body["workflow_state"])
            for e in memberships] == [
        (MEMBERSHIP_CREATED, str(new["id"]), "6", "accepted"),
        (MEMBERSHIP_UPDATED, str(old["id"]), "5", "deleted"),
    ]


def test_teacher_moving_a_leader_reports_the_old_group_too(api, store):
    m = ok(join(api, 2, TEACHER, 6))  # 6 leads group 1 (category 1, no auto_leader)
    store.live_events.assert_names([MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED, GROUP_UPDATED])
    created, removed, group = store.live_events.all()
    assert created.body == membership_body(store, m["id"])
    assert removed.body == membership_body(store, 1) and removed.body["workflow_state"] == "deleted"
    assert group.body == group_body(store, 1) and store.get("groups", 1).leader_id is None


# -- 3. metadata ---------------------------------------------------------------------------------

def _root_account(store, hostname):
    root = store.get("accounts", 1)
    return {"root_account_id": "1", "root_account_uuid": root.uuid,
            "root_account_lti_guid": f"{root.uuid}.{hostname}"}


def test_request_metadata_of_a_course_route(api, store):
    store._update("users", store.get("users", 2), time_zone="America/Denver")
    store.live_events.clear()  # the user_updated of the arrangement
    path = "/api/v1/courses/1/group_categories?source=live-test&n=1"
    resp = api.post(path, data={"name": "Lab Teams"},
                    headers={"Referer": "https://canvas.example/courses/1/groups", "User-Agent": "LiveTest/1.0"})
    ok(resp)
    (event,) = store.live_events.all()
    hostname = urlsplit(api.base_url).hostname
    meta = dict(event.metadata)
    assert UUID4.fullmatch(meta.pop("request_id")) and HEX32.fullmatch(meta.pop("session_id"))
    assert meta.pop("event_time")
    assert meta == {
        "user_id": "2", "user_login": "teacher", "user_sis_id": "T-002", "user_account_id": "1",
        "time_zone": "America/Denver",
        "context_type": "Course", "context_id": "1", "context_account_id": "1",
        "context_role": "TeacherEnrollment", "context_sis_source_id": "MOCK101-2024",
        **_root_account(store, hostname),
        "http_method": "POST", "url": api.base_url + path, "hostname": hostname,
        "user_agent": "LiveTest/1.0", "referrer": "https://canvas.example/courses/1/groups",
        "client_ip": "127.0.0.1", "producer": "canvas", "event_name": CATEGORY_CREATED,
    }


def test_referrer_is_null_without_a_referer_header(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "Renamed"}, headers={"User-Agent": "NoRef"}))
    meta = store.live_events.all()[0].metadata
    assert meta["referrer"] is None and meta["user_agent"] == "NoRef"
    assert (meta["http_method"], meta["url"]) == ("PUT", api.base_url + "/api/v1/groups/1")


def test_request_id_is_the_response_header_and_shared_by_the_request_events(api, store):
    first = api.post("/api/v1/courses/1/group_categories", data={"name": "Lab Teams", "create_group_count": "2"})
    ok(first)
    assert len(store.live_events) == 3
    assert {e.metadata["request_id"] for e in store.live_events} == {first.headers["X-Request-Context-Id"]}
    second = api.put("/api/v1/groups/1", data={"name": "Renamed"})
    ok(second)
    assert store.live_events.all()[-1].metadata["request_id"] == second.headers["X-Request-Context-Id"]
    assert second.headers["X-Request-Context-Id"] != first.headers["X-Request-Context-Id"]


def test_session_id_is_stable_per_token(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "One"}))
    ok(api.put("/api/v1/groups/1", data={"name": "Two"}))
    ok(join(api, 4, STUDENT))
    teacher_1, teacher_2, student = (e.metadata["session_id"] for e in store.live_events)
    assert HEX32.fullmatch(teacher_1) and teacher_1 == teacher_2
    assert HEX32.fullmatch(student) and student != teacher_1


@pytest.mark.parametrize("cat_id,token,context", [
    (1, TEACHER, {"context_type": "Course", "context_id": "1", "context_account_id": "1",
                  "context_role": "TeacherEnrollment", "context_sis_source_id": "MOCK101-2024"}),
    (5, ADMIN, {"context_type": "Account", "context_id": "1", "context_account_id": "1",
                "context_role": "AccountAdmin", "context_sis_source_id": "MOCKU"}),
], ids=["course-category", "account-category"])
def test_category_routes_have_the_category_context(api, store, cat_id, token, context):
    ok(api.put(f"/api/v1/group_categories/{cat_id}", token=token, data={"name": "Renamed"}))
    ok(api.post(f"/api/v1/group_categories/{cat_id}/groups", token=token, data={"name": "New"}))
    store.live_events.assert_names([CATEGORY_UPDATED, GROUP_CREATED])
    for event in store.live_events:
        assert {k: v for k, v in event.metadata.items() if k in CONTEXT_KEYS} == context


def test_group_routes_have_the_group_context(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "Renamed"}))  # the teacher is no member of group 1
    ok(api.put("/api/v1/groups/4", token=STUDENT2, data={"name": "Study Pals"}))  # 7 moderates group 4
    teacher, member = store.live_events.all()
    assert {k: v for k, v in teacher.metadata.items() if k in CONTEXT_KEYS} == {
        "context_type": "Group", "context_id": "1", "context_account_id": "1", "context_sis_source_id": "PG-1"}
    assert {k: v for k, v in member.metadata.items() if k in CONTEXT_KEYS} == {
        "context_type": "Group", "context_id": "4", "context_account_id": "1", "context_role": "GroupMembership"}
    assert (member.metadata["user_id"], member.metadata["user_login"], member.metadata["user_sis_id"]) == (
        "7", "student2", "S-007")


def test_the_context_role_is_the_one_before_the_change(api, store):
    """@context_membership is looked up before the action: a student joining is not yet a member,
    a member leaving still is."""
    ok(api.post("/api/v1/groups/5/memberships", token="student-token", data={"user_id": "self"}))
    joined = store.live_events.named("group_membership_created")[0]
    assert "context_role" not in joined.metadata
    store.live_events.clear()
    ok(api.delete("/api/v1/groups/5/memberships/self", token="student-token"))
    left = store.live_events.named("group_membership_updated")[0]
    assert left.metadata["context_role"] == "GroupMembership"


def test_a_user_without_sis_id_has_a_null_user_sis_id(api, store):
    ok(api.put("/api/v1/groups/8", token=ADMIN, data={"name": "Curriculum"}))
    meta = store.live_events.all()[0].metadata
    assert (meta["user_id"], meta["user_login"], meta["user_sis_id"]) == ("1", "admin", None)
    root = _root_account(store, urlsplit(api.base_url).hostname)
    assert {k: meta[k] for k in root} == root


def test_event_time_is_utc_with_milliseconds():
    clock = mockcanvas.FrozenClock("2024-03-05T06:07:08.123456-05:00")
    store = mockcanvas.load_world(clock=clock)
    store.groups.delete(store.get("users", 2), store.get("groups", 3))
    clock.advance(0.9)
    store.memberships.remove(store.memberships.of_pair(1, 8))
    assert [e.metadata["event_time"] for e in store.live_events] == [
        "2024-03-05T11:07:08.123Z", "2024-03-05T11:07:09.023Z"]
    for event in store.live_events:
        check_shape(event)


# -- 4. ordering and atomicity --------------------------------------------------------------------

def test_events_follow_the_order_of_the_changes(api, store):
    cat = create_category(api, name="Lab Teams")
    g = ok(api.post(f"/api/v1/group_categories/{cat['id']}/groups", data={"name": "Bench A"}))
    ok(join(api, g["id"], TEACHER, 15))
    ok(api.put(f"/api/v1/groups/{g['id']}", data={"name": "Bench B"}))
    ok(api.delete(f"/api/v1/groups/{g['id']}"))
    store.live_events.assert_names([CATEGORY_CREATED, GROUP_CREATED, MEMBERSHIP_CREATED, GROUP_UPDATED, GROUP_UPDATED])
    events = store.live_events.all()
    assert [e.position for e in events] == list(range(events[0].position, events[0].position + 5))
    times = [e.metadata["event_time"] for e in events]
    assert times == sorted(times)
    assert [e.body["group_name"] for e in events[1:]] == ["Bench A", "Bench A", "Bench B", "Bench B"]
    assert events[-1].body["workflow_state"] == "deleted"


@pytest.mark.parametrize("method,path,token,data,status", [
    ("POST", "/api/v1/courses/1/group_categories", STUDENT, {"name": "Mine"}, 401),
    ("POST", "/api/v1/courses/1/group_categories", None, {"name": "Mine"}, 401),
    ("POST", "/api/v1/courses/1/group_categories", TEACHER, {"name": "Project Groups", "create_group_count": "2"}, 400),
    ("PUT", "/api/v1/groups/999", TEACHER, {"name": "Renamed"}, 404),
    ("PUT", "/api/v1/group_categories/999", TEACHER, {"name": "Renamed"}, 404),
    ("POST", "/api/v1/groups/2/memberships", STUDENT, {"user_id": "self"}, 401),
    ("PUT", "/api/v1/groups/1", TEACHER, {"name": "Renamed", "max_membership": "1"}, 400),
    ("PUT", "/api/v1/groups/1", TEACHER, {"name": "Renamed", "leader[id]": "15"}, 400),
    ("DELETE", "/api/v1/group_categories/2", TEACHER, None, 401),
], ids=["student-creates-category", "no-token", "duplicate-category-name", "unknown-group",
        "unknown-category", "student-joins-teacher-group", "invalid-max-membership",
        "leader-not-a-member", "protected-category"])
def test_failed_requests_record_nothing(api, store, method, path, token, data, status):
    resp = api.request(method, path, token=token, data=data)
    assert resp.status == status, resp.text
    assert names(store) == [] and store.changed_rows == 0


def test_a_job_that_fails_halfway_records_nothing(store):
    store.progress.set_policy("immediate")

    def job(progress):
        store.groups.delete(store.get("users", 2), store.get("groups", 2))
        raise RuntimeError("disk full")

    p = store.progress.start("GroupCategory", 1, "course_group_import", job)
    assert (p.workflow_state, p.message) == ("failed", "disk full")
    assert store.get("groups", 2).workflow_state == "available"
    assert names(store) == []


def test_atomic_holds_events_until_it_commits(store):
    teacher = store.get("users", 2)
    with store.atomic():
        store.memberships.add_user(store.get("groups", 3), store.get("users", 15))
        assert names(store) == []  # not yet: Canvas posts after commit
        with pytest.raises(RuntimeError), store.atomic():
            store.groups.delete(teacher, store.get("groups", 2))
            raise RuntimeError("inner block fails")
    assert names(store) == [MEMBERSHIP_CREATED]
    assert store.get("groups", 2).workflow_state == "available"


# -- 5. bulk paths and jobs (INFERRED in the facts) ---------------------------------------------------

@pytest.mark.parametrize("bulk", [False, True], ids=["default", "live_events_bulk"])
@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
def test_assign_unassigned_members(api, store, live_events_bulk, bulk, sync):
    live_events_bulk(bulk)
    resp = ok(api.post("/api/v1/group_categories/1/assign_unassigned_members",
                       data={"sync": "true"} if sync else {}))
    progress = None if sync else finish(api, resp)
    assigned = {m.user_id for m in store.all("memberships")
                if m.group_id in (1, 2, 3) and m.workflow_state == "accepted"}
    assert UNASSIGNED_IN_PROJECTS <= assigned  # the assignment happened either way
    if not bulk:
        assert names(store) == []  # GroupMembership.bulk_insert skips callbacks
        return
    created = store.live_events.named(MEMBERSHIP_CREATED)
    assert names(store) == [MEMBERSHIP_CREATED] * 6
    assert {int(e.body["user_id"]) for e in created} == UNASSIGNED_IN_PROJECTS
    for event in created:
        assert event.body == membership_body(store, int(event.body["group_membership_id"]))
        if sync:
            assert event.metadata["http_method"] == "POST" and "job_id" not in event.metadata
        else:
            assert (event.metadata["job_id"], event.metadata["job_tag"]) == (
                str(progress["id"]), "assign_unassigned_members")


def test_auto_leader_after_a_background_assignment_carries_job_metadata(api, store):
    progress = finish(api, ok(api.post("/api/v1/group_categories/3/assign_unassigned_members")))
    store.live_events.assert_names([GROUP_UPDATED])  # group 6 got a leader; group 5 had one
    (event,) = store.live_events.all()
    assert event.body == group_body(store, 6) and store.get("groups", 6).leader_id is not None
    assert set(event.metadata) == JOB_METADATA_KEYS
    assert {k: event.metadata[k] for k in ("job_id", "job_tag", "root_account_id", "producer", "event_name")} == {
        "job_id": str(progress["id"]), "job_tag": "assign_unassigned_members", "root_account_id": "1",
        "producer": "canvas", "event_name": GROUP_UPDATED}


def test_auto_leader_with_an_immediate_policy_still_carries_job_metadata(api, store):
    store.progress.set_policy("immediate")
    progress = ok(api.post("/api/v1/group_categories/3/assign_unassigned_members"))
    assert progress["workflow_state"] == "completed"
    (event,) = store.live_events.all()
    assert set(event.metadata) == JOB_METADATA_KEYS and event.metadata["job_id"] == str(progress["id"])


@pytest.mark.parametrize("bulk", [False, True], ids=["default", "live_events_bulk"])
def test_csv_import(api, store, live_events_bulk, bulk):
    live_events_bulk(bulk)
    progress = finish(api, post_csv(api, 1, "canvas_user_id,group_name\n15,Night Owls\n16,Night Owls\n"))
    new = next(g for g in store.all("groups") if g.name == "Night Owls")
    assert {m.user_id for m in store.memberships.live(new.id)} == {15, 16}
    created = store.live_events.named(GROUP_CREATED)
    assert [e.body for e in created] == [group_body(store, new.id)]
    job = created[0].metadata
    assert (job["job_id"], job["job_tag"]) == (str(progress["id"]), "course_group_import")
    memberships = summary(store, "group_id", "user_id", name=MEMBERSHIP_CREATED)
    assert memberships == ([(MEMBERSHIP_CREATED, str(new.id), "15"), (MEMBERSHIP_CREATED, str(new.id), "16")]
                           if bulk else [])
    assert store.live_events.named(MEMBERSHIP_UPDATED) == []


@pytest.mark.parametrize("bulk", [False, True], ids=["default", "live_events_bulk"])
def test_group_limit_reaches_the_groups_by_bulk_update(api, store, live_events_bulk, bulk):
    live_events_bulk(bulk)
    ok(api.put("/api/v1/group_categories/1", data={"group_limit": "5"}))
    assert [g.max_membership for g in (store.get("groups", i) for i in (1, 2, 3))] == [5, 5, 5]
    assert summary(store, "group_limit", name=CATEGORY_UPDATED) == [(CATEGORY_UPDATED, 5)]
    groups = summary(store, "group_id", "max_membership", name=GROUP_UPDATED)
    assert groups == ([(GROUP_UPDATED, gid, 5) for gid in ("1", "2", "3")] if bulk else [])


# -- 6. Python calls on the store ----------------------------------------------------------------

def test_store_operations_record_the_same_events(store):
    teacher, student = store.get("users", 2), store.get("users", 15)
    cat = store.categories.create(teacher, "Course", 1, {"name": "Python Sets"})
    store.categories.update(teacher, cat, {"name": "Python Sets 2"})
    group = store.groups.create(teacher, GroupInput(name="Py Group"), cat)
    m, _ = store.memberships.add_user(group, student)
    store.memberships.remove(m)
    store.groups.delete(teacher, group)
    inserted = store.insert("groups", name="Inserted", context_type="Course", context_id=1, root_account_id=1,
                            group_category_id=cat.id)
    store.live_events.assert_names([CATEGORY_CREATED, CATEGORY_UPDATED, GROUP_CREATED, MEMBERSHIP_CREATED,
                                    MEMBERSHIP_UPDATED, GROUP_UPDATED, GROUP_CREATED])
    events = store.live_events.all()
    assert events[1].body == category_body(store, cat.id)
    assert events[4].body == membership_body(store, m.id) and events[4].body["workflow_state"] == "deleted"
    assert events[5].body == group_body(store, group.id) and events[5].body["workflow_state"] == "deleted"
    assert events[6].body == group_body(store, inserted.id)
    assert all(set(e.metadata) == BARE_METADATA_KEYS for e in events)
    assert all(e.metadata["producer"] == "canvas" and e.metadata["event_name"] == e.name for e in events)


def test_store_writes_outside_the_event_tables_or_of_timestamps_only_record_nothing(store):
    store.insert("users", name="Nora New", sortable_name="New, Nora", short_name="Nora New", login_id="nora")
    assert names(store) == ["user_created"]  # users are an event table (the Users API)
    store.live_events.clear()
    store.add_token("nora-token", 21)
    store._update("groups", store.get("groups", 1), updated_at=store.now())  # a touch
    store._update("groups", store.get("groups", 1), name="Project Group 1")  # no change at all
    assert names(store) == []
    store._update("memberships", store.get("memberships", 1), moderator=True)
    assert names(store) == [MEMBERSHIP_UPDATED]


def test_a_job_run_from_python_carries_job_metadata(store):
    store.progress.set_policy("immediate")

    def job(progress):
        store.memberships.add_user(store.get("groups", 6), store.get("users", 15))

    p = store.progress.start("GroupCategory", 3, "custom_tag", job)
    assert p.workflow_state == "completed"
    store.live_events.assert_names([MEMBERSHIP_CREATED, GROUP_UPDATED])
    for event in store.live_events:
        assert set(event.metadata) == JOB_METADATA_KEYS
        assert (event.metadata["job_id"], event.metadata["job_tag"], event.metadata["root_account_id"]) == (
            str(p.id), "custom_tag", "1")


# -- 7. loading and resetting -------------------------------------------------------------------

def test_loading_a_world_records_nothing():
    loaded = mockcanvas.load_world()
    assert len(loaded.live_events) == 0 and loaded.live_events.position == 0
    loaded.groups.delete(loaded.get("users", 2), loaded.get("groups", 1))  # recording is on again
    assert loaded.live_events.names() == [GROUP_UPDATED]


def test_rollback_clears_the_log(store):
    store.groups.delete(store.get("users", 2), store.get("groups", 1))
    position = store.live_events.position
    assert len(store.live_events) == 1
    store.rollback()
    assert len(store.live_events) == 0 and store.live_events.all() == []
    assert store.live_events.position == position  # positions keep counting


def test_control_reset_clears_the_log(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "Renamed"}))
    assert len(store.live_events) == 1
    assert ok(api.post("/__mockcanvas__/reset", token=None))["status"] == "reset"
    assert len(store.live_events) == 0
    assert ok(control(api))["count"] == 0


# -- 8. global ids --------------------------------------------------------------------------------

def g2107(local: int) -> str:
    return str(2107 * 10**13 + local)


def test_shard_ids_in_bodies_and_metadata(sharded):
    def post(path, **data):
        r = requests.post(f"{sharded.url}/api/v1/{path}", headers={"Authorization": f"Bearer {TEACHER}"}, data=data)
        assert r.status_code == 200, r.text
        return r

    r = post("courses/1/group_categories", name="Lab Teams")
    assert r.headers["X-Canvas-User-Id"] == g2107(2)
    post("group_categories/6/groups", name="Bench A")
    m = post("groups/9/memberships", user_id="15").json()
    category, group, membership = sharded.live_events.all()
    assert category.body["group_category_id"] == g2107(6)
    assert category.body["context_id"] == "1"  # a category's context_id stays local
    assert {k: group.body[k] for k in ("group_id", "group_category_id", "context_id", "account_id")} == {
        "group_id": g2107(9), "group_category_id": g2107(6), "context_id": g2107(1), "account_id": g2107(1)}
    assert {k: membership.body[k] for k in ("group_membership_id", "user_id", "group_id", "group_category_id")} == {
        "group_membership_id": g2107(m["id"]), "user_id": g2107(15), "group_id": g2107(9),
        "group_category_id": g2107(6)}
    assert membership.matches(user_id=2107 * 10**13 + 15)
    assert {k: category.metadata[k] for k in ("user_id", "user_account_id", "root_account_id", "context_id",
                                              "context_account_id")} == {
        "user_id": g2107(2), "user_account_id": g2107(1), "root_account_id": g2107(1),
        "context_id": g2107(1), "context_account_id": g2107(1)}
    assert (membership.metadata["context_type"], membership.metadata["context_id"]) == ("Group", g2107(9))


@pytest.mark.parametrize("settings,prefix", [(None, "7"), (Settings(shard_id=2107), "2107")],
                         ids=["world-shard", "settings-win"])
def test_a_world_file_sets_the_shard(tmp_path, settings, prefix):
    shard_file = tmp_path / "shard.yaml"
    shard_file.write_text("shard_id: 7\n")
    world = mockcanvas.load_world([mockcanvas.DEFAULT_WORLD, shard_file], settings=settings)
    world.categories.create(world.get("users", 2), "Course", 1, {"name": "Sharded"})
    (event,) = world.live_events.all()
    check_shape(event)
    assert event.body["group_category_id"] == str(int(prefix) * 10**13 + 6)
    assert event.body["context_id"] == "1"


def test_an_app_whose_settings_name_no_shard_keeps_the_world_shard(tmp_path):
    shard_file = tmp_path / "shard.yaml"
    shard_file.write_text("shard_id: 7\n")
    world = mockcanvas.load_world([mockcanvas.DEFAULT_WORLD, shard_file])
    create_app(world, Settings(per_page_default=20))
    assert (world.settings.shard_id, world.settings.per_page_default) == (7, 20)
    world.groups.delete(world.get("users", 2), world.get("groups", 1))
    assert world.live_events.all()[0].body["group_id"] == str(7 * 10**13 + 1)


# -- 9. the control plane ---------------------------------------------------------------------

def _make_three_events(api):
    """group_category_created, group_created, then group_updated."""
    cat = create_category(api, name="Lab Teams")
    g = ok(api.post(f"/api/v1/group_categories/{cat['id']}/groups", data={"name": "Bench A"}))
    ok(api.put(f"/api/v1/groups/{g['id']}", data={"name": "Bench B"}))


def test_list_live_events(api, store):
    _make_three_events(api)
    body = ok(control(api))
    assert body == {"position": store.live_events.position, "count": 3,
                    "events": [e.to_dict() for e in store.live_events]}
    assert [e["metadata"]["event_name"] for e in body["events"]] == [CATEGORY_CREATED, GROUP_CREATED, GROUP_UPDATED]
    for event in body["events"]:  # the JSON keeps the documented shape (ids strings, nulls)
        assert set(event) == {"metadata", "body"}
        check_shape(event)


@pytest.mark.parametrize("query,expected", [
    ("?event_name=group_created", [GROUP_CREATED]),
    ("?event_name=group_created&event_name=group_category_created", [CATEGORY_CREATED, GROUP_CREATED]),
    ("?event_name[]=group_updated", [GROUP_UPDATED]),
    ("?event_name=group_membership_created", []),
])
def test_filter_by_event_name(api, store, query, expected):
    _make_three_events(api)
    body = ok(control(api, query=query))
    assert [e["metadata"]["event_name"] for e in body["events"]] == expected
    assert body["count"] == len(expected) and body["position"] == store.live_events.position


def test_after_reads_only_new_events(api, store):
    ok(api.put("/api/v1/groups/1", data={"name": "One"}))
    first = ok(control(api))
    assert first["count"] == 1
    ok(api.put("/api/v1/groups/2", data={"name": "Two"}))
    ok(api.put("/api/v1/groups/3", data={"name": "Three"}))
    new = ok(control(api, query=f"?after={first['position']}"))
    assert [e["body"]["group_name"] for e in new["events"]] == ["Two", "Three"]
    assert new["position"] == first["position"] + 2
    assert ok(control(api, query=f"?after={new['position']}")) == {
        "position": new["position"], "count": 0, "events": []}
    later = ok(control(api, query=f"?after={first['position']}&event_name=group_updated"))
    assert later["count"] == 2


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "²"])
def test_after_must_be_a_number(api, store, after):
    resp = control(api, query=f"?after={after}")
    assert resp.status == 400 and "after" in resp.json()["error"]


def test_delete_clears_and_positions_keep_counting(api, store):
    _make_three_events(api)
    position = store.live_events.position
    assert ok(control(api, "DELETE")) == {"cleared": 3, "position": position}
    assert ok(control(api)) == {"position": position, "count": 0, "events": []}
    ok(api.put("/api/v1/groups/1", data={"name": "Renamed"}))
    body = ok(control(api))
    assert body["position"] == position + 1 and body["count"] == 1
    assert store.live_events.all()[0].position == position + 1
    assert ok(control(api, query=f"?after={position}"))["count"] == 1
    assert ok(control(api, "DELETE")) == {"cleared": 1, "position": position + 1}


def test_health_shows_the_count(api, store):
    assert ok(api.get("/__mockcanvas__/health", token=None))["live_events"] == 0
    _make_three_events(api)
    assert ok(api.get("/__mockcanvas__/health", token=None))["live_events"] == 3


# -- LiveEvents itself -----------------------------------------------------------------------------

def _log(*bodies) -> LiveEvents:
    log = LiveEvents()
    for name, body in bodies:
        log.record({"event_name": name}, body)
    return log


def test_matches_an_int_against_its_string_form():
    event = LiveEvent(1, {"event_name": GROUP_UPDATED}, {"group_id": "5", "max_membership": 5, "is_x": "True"})
    assert event.matches(GROUP_UPDATED, group_id=5) and event.matches(group_id="5", max_membership=5)
    assert not event.matches(GROUP_UPDATED, group_id=6)
    assert not event.matches(GROUP_CREATED, group_id=5)
    assert not event.matches(max_membership="5")  # a string does not match a number
    assert not event.matches(is_x=True)  # a bool is no int here
    assert not event.matches(user_id=5)  # a key the body lacks


def test_wait_for_timeout_lists_what_was_recorded():
    log = _log((GROUP_CREATED, {"group_id": "1"}), (GROUP_UPDATED, {"group_id": "1"}))
    with pytest.raises(AssertionError) as info:
        log.wait_for(MEMBERSHIP_CREATED, timeout=0.05, user_id=6)
    message = str(info.value)
    assert message.startswith("no group_membership_created with user_id=6 within 0.05s")
    assert '#1 group_created {"group_id": "1"}' in message and '#2 group_updated {"group_id": "1"}' in message
    with pytest.raises(AssertionError, match="no live events were recorded"):
        LiveEvents().wait_for(timeout=0.01)


def test_wait_for_returns_an_event_recorded_by_another_thread():
    log = _log((GROUP_CREATED, {"group_id": "1"}))
    timer = threading.Timer(0.05, log.record, args=({"event_name": GROUP_UPDATED}, {"group_id": "2"}))
    started = time.monotonic()
    timer.start()
    try:
        event = log.wait_for(GROUP_UPDATED, timeout=5, group_id=2)
    finally:
        timer.join()
    assert event.position == 2 and time.monotonic() - started < 4
    assert log.wait_for(GROUP_CREATED, timeout=0.01).position == 1
    with pytest.raises(AssertionError, match=r"\(1 of 2 seen\)"):
        log.wait_for(GROUP_UPDATED, timeout=0.01, count=2)
    with pytest.raises(AssertionError):
        log.wait_for(GROUP_CREATED, timeout=0.01, after=1)


def test_assert_emitted_failure_messages():
    log = _log((GROUP_UPDATED, {"group_id": "5"}), (GROUP_UPDATED, {"group_id": "6"}))
    assert [e.position for e in log.assert_emitted(GROUP_UPDATED, count=2)] == [1, 2]
    assert [e.position for e in log.assert_emitted(group_id=6)] == [2]
    with pytest.raises(AssertionError) as info:
        log.assert_emitted(GROUP_UPDATED, count=2, group_id=5)
    assert str(info.value).startswith("expected 2 group_updated with group_id=5, found 1; recorded 2 live event(s):")
    with pytest.raises(AssertionError, match="expected any group_created, found 0"):
        log.assert_emitted(GROUP_CREATED)
    with pytest.raises(AssertionError, match="expected 0 group_updated with group_id=6, found 1"):
        log.assert_not_emitted(GROUP_UPDATED, group_id=6)
    with pytest.raises(AssertionError, match=r"expected events \['group_updated'\]"):
        log.assert_names([GROUP_UPDATED])


def test_since_reads_what_is_new_across_clears():
    log = _log((GROUP_CREATED, {}), (GROUP_UPDATED, {}))
    assert [e.position for e in log.since(0)] == [1, 2]
    assert [e.position for e in log.since(1)] == [2]
    assert log.since(2) == [] and log.since(99) == []
    assert log.clear() == 2 and log.since(0) == [] and log.position == 2
    log.record({"event_name": GROUP_UPDATED}, {})
    assert [e.position for e in log.since(0)] == [3]
    assert [e.position for e in log.since(2)] == [3]
    assert log.since(3) == []


def test_the_log_keeps_the_last_limit_events_and_listeners_see_all():
    log = LiveEvents(limit=2)
    seen = []
    log.add_listener(seen.append)
    for _ in range(3):
        log.record({"event_name": GROUP_UPDATED}, {})
    assert [e.position for e in log.all()] == [2, 3] and log.position == 3
    assert [e.position for e in log.since(0)] == [2, 3]
    assert [e.position for e in log.since(2)] == [3]
    assert [e.position for e in seen] == [1, 2, 3]
    log.limit = 1
    assert [e.position for e in log.all()] == [3]
    with pytest.raises(ValueError, match="positive integer"):
        log.limit = 0
    assert LiveEvents().limit == LiveEvents.DEFAULT_LIMIT == 10_000
