"""One teacher-and-students group-project workflow, end to end, through canvasapi 3.6.0.

The story (``test_group_project_workflow``), in a course the teacher teaches:

1. the teacher sets up a self-signup category "Lab Teams" (two groups made by
   ``create_group_count``, a third by hand) and renames it;
2. the student signs up for a team and becomes its leader, the teacher adds classmates, moves one
   of them (one team per category), hands out and takes back moderator rights, changes the leader;
   the student previews HTML, uploads a file, reads its permissions, and is refused teacher-only
   calls;
3. the teacher has Canvas assign everybody else (asynchronous: a Progress followed to the end);
4. the teacher makes a second category "Peer Review Pairs", assigns it synchronously, exports it
   as CSV and re-imports a change (another Progress);
5. the teacher starts a community, invites the student and accepts the invitation;
6. everyone reads the lists in pages of two;
7. people leave, groups and categories are deleted, and stale or bad requests fail the way
   canvasapi maps them.

``test_admin_sets_up_account_committees`` is the account admin's side (account categories and
groups). After every step the result is read back through canvasapi (or ``requests`` where
canvasapi has no method); on the mock the live events the server recorded are checked against the
step as well.

canvasapi calls covered
-----------------------
``Canvas``: get_course, get_current_user, get_account, get_group, create_group, get_group_category,
get_progress, get_file. ``Course``: create_group_category, get_group_categories, get_groups,
get_users. ``Account``: create_group_category, get_group_categories, get_groups.
``CurrentUser``: get_groups. ``Group``: edit, delete, invite, get_users, get_memberships,
get_membership (``"users"`` and ``"memberships"``), create_membership, update_membership,
remove_user, get_activity_stream_summary, preview_html, upload. ``GroupMembership``: update,
remove_self, remove_user. ``GroupCategory``: update, delete, create_group, get_groups, get_users,
assign_members (async, and ``sync=True``). ``Progress``: query. ``File``: get_contents.
``PaginatedList`` in pages of two; exceptions ``ResourceDoesNotExist``, ``InvalidAccessToken``,
``Unauthorized``.

Through ``requests`` (canvasapi 3.6.0 has no method): ``GET /groups/:id/permissions``,
``GET /group_categories/:id/export``, ``POST /group_categories/:id/import``.

Not covered: ``User.get_groups`` does not exist (only ``CurrentUser.get_groups``); ``Group`` has
no ``remove_self`` or permissions method, ``GroupCategory`` no export/import; ``Group.get_files``,
``get_file``, ``get_file_quota``, ``get_folders``/``get_folder``/``create_folder``/``resolve_path``,
pages, front page, discussion topics, external feeds, tabs, collaborations, licenses, usage
rights, content exports/migrations, assignment overrides: the mock does not implement those
routes (README route table). Progress cancel and the group activity stream (not the summary) have
routes in the mock but no canvasapi method on ``Progress``/``Group``.

canvasapi 3.6.0 quirks worked around here (pinned in the other contract modules):

* list methods put ``per_page`` in ``_kwargs`` and ``PaginatedList`` appends its own
  ``per_page=100``, so ``course.get_groups(per_page=2)`` sends ``per_page=2&per_page=100`` and
  Canvas (last value wins) answers one page of up to 100. Small pages are asked for by handing
  ``per_page=2`` to canvasapi's ``PaginatedList`` itself (``small_pages``), which then follows the
  ``Link`` headers (``GroupCategory.get_groups`` drops every kwarg, ``per_page`` included);
* ``GroupMembership.remove_self`` / ``remove_user`` put the membership's id where the group id
  goes: they are called on a ``GroupMembership`` whose ``id`` is the group's id;
* ``GroupCategory.assign_members(sync=True)`` never sends ``sync`` (the job runs asynchronously)
  and iterating its result raises ``AttributeError``; the synchronous form is sent through
  canvasapi's ``PaginatedList`` with ``sync=True``.

Against a real Canvas (``MOCKCANVAS_REAL_*``, see ``conftest.py``) the same tests run with the
teacher, student, course, admin and account of the environment (the workflow needs the student
token and at least four students in the course; the admin's test needs the admin token and the
account; each is skipped otherwise); everything is created with unique names and deleted at the end
(also when a step fails). Permission denials are 401 in Canvas
(``Unauthorized``), or 403 (``Forbidden``) where the ``api_auth_error_updates`` flag is on, which
the real-Canvas run accepts too.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from canvasapi.account import Account
from canvasapi.course import Course
from canvasapi.exceptions import (
    CanvasException,
    Forbidden,
    InvalidAccessToken,
    ResourceDoesNotExist,
    Unauthorized,
)
from canvasapi.group import Group, GroupCategory, GroupMembership
from canvasapi.paginated_list import PaginatedList
from canvasapi.progress import Progress
from canvasapi.user import User
from canvasapi.util import combine_kwargs

POLL_SECONDS = 60.0  # a real Canvas runs jobs in a worker; the mock finishes them at the first poll
UNKNOWN_ID = 987654321


# -- helpers ----------------------------------------------------------------------------------
def requester(canvas):
    return canvas._Canvas__requester


def as_group(canvas, group_id: int) -> Group:
    """A ``Group`` acting through ``canvas``, without reading it first."""
    return Group(requester(canvas), {"id": group_id})


def membership_handle(canvas, group_id: int) -> GroupMembership:
    """canvasapi 3.6.0 bug: ``GroupMembership.remove_self`` / ``remove_user`` build
    ``groups/{self.id}/...`` from the *membership's* id. A membership object carrying the group's
    id makes them address the right group."""
    return GroupMembership(requester(canvas), {"id": group_id})


def small_pages(canvas, cls, path: str, per_page: int = 2, **params) -> PaginatedList:
    """canvasapi's PaginatedList with ``per_page`` handed to it directly (see module docstring)."""
    return PaginatedList(cls, requester(canvas), "GET", path, per_page=per_page,
                         _kwargs=combine_kwargs(**params))


def ids(items) -> list[int]:
    return [x.id for x in items]


def wait_until_done(progress: Progress) -> list[str]:
    """``Progress.query()`` until the job is no longer pending (bounded); the states seen."""
    states = []
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        progress.query()
        states.append(progress.workflow_state)
        if progress.workflow_state not in ("queued", "running") or time.monotonic() > deadline:
            return states
        time.sleep(0.25)


def leader_id(canvas, group_id: int) -> int | None:
    leader = canvas.get_group(group_id).leader
    return leader["id"] if leader else None


def members_of(canvas, group_id: int) -> list[int]:
    return [m.user_id for m in as_group(canvas, group_id).get_memberships()]


def api(target, token_role: str, method: str, path: str, **kwargs) -> requests.Response:
    """A plain HTTP call, for the routes canvasapi has no method for."""
    headers = {"Authorization": f"Bearer {target.tokens[token_role]}"}
    return requests.request(method, f"{target.url}/api/v1/{path}", headers=headers, timeout=30, **kwargs)


class LiveEventCheck:
    """On the mock: the live events the server recorded since the last check, asserted step by step.
    Against a real Canvas (no recorder) every check is a no-op."""

    def __init__(self, target):
        self.log = target.server.live_events if target.is_mock else None
        self.mark = self.log.position if self.log is not None else 0

    def expect(self, *expected: tuple[str, dict[str, Any]]) -> list:
        """Exactly these events, in this order, each with at least these body fields; returns them."""
        if self.log is None:
            return []
        got = self.log.since(self.mark)
        self.mark = self.log.position
        listing = "\n".join(f"  {e}" for e in got) or "  (none)"
        assert [e.name for e in got] == [name for name, _ in expected], f"live events recorded:\n{listing}"
        for event, (name, body) in zip(got, expected):
            assert event.matches(name, **body), f"{event} does not match {body}\nrecorded:\n{listing}"
        return got

    def nothing(self) -> None:
        self.expect()

    def category_deleted(self, category_id: int, group_ids: list[int]) -> None:
        """GroupCategory#destroy: ``groups.destroy_all`` (each live group's ``group_updated``,
        ``deleted``; the order of the association is not part of the contract), then the category's
        ``deleted_at`` is saved (``group_category_updated``)."""
        if self.log is None:
            return
        got = self.log.since(self.mark)
        self.mark = self.log.position
        listing = "\n".join(f"  {e}" for e in got) or "  (none)"
        assert [e.name for e in got] == ["group_updated"] * len(group_ids) + ["group_category_updated"], listing
        assert sorted(int(e.body["group_id"]) for e in got[:-1]) == sorted(group_ids), listing
        assert all(e.body["workflow_state"] == "deleted" for e in got[:-1]), listing
        assert got[-1].matches("group_category_updated", group_category_id=category_id), listing


@dataclass
class Cleanup:
    """What a test created; against a real Canvas it is deleted at teardown, newest first."""

    is_mock: bool
    actions: list = field(default_factory=list)

    def add(self, obj) -> None:
        self.actions.append(obj)

    def run(self) -> None:
        if self.is_mock:
            return  # the mock is rolled back before the next test
        for obj in reversed(self.actions):
            try:
                obj.delete()
            except CanvasException:
                pass  # already deleted by the test


@pytest.fixture
def cleanup(target):
    made = Cleanup(target.is_mock)
    yield made
    made.run()


@pytest.fixture
def unique(target):
    """``unique("Lab Teams")``: the label on the mock; with a run prefix against a real Canvas
    (category names must be unique in their context)."""
    run = uuid.uuid4().hex[:6]
    return lambda label: label if target.is_mock else f"T{run} {label}"


@pytest.fixture
def denied(target):
    """The exception canvasapi raises for a permission denial: Canvas answers 401 without
    ``WWW-Authenticate`` (``Unauthorized``; with ``WWW-Authenticate`` it would be
    ``InvalidAccessToken``); an instance with ``api_auth_error_updates`` answers 403 (``Forbidden``)."""
    return Unauthorized if target.is_mock else (Unauthorized, Forbidden)


def assert_small_pages_match(canvas, log, cls, path: str, big: list, limit: int = 30, *,
                             link_path: str | None = None, **params) -> None:
    """Pages of two, followed through the Link headers, hold exactly the big page's items (the
    first ``limit`` of them: a real course may have hundreds of students). ``link_path``: a list
    whose links name another route and that has no total (course users: ``search_users`` links
    name ``/users``, and a full last page links one more, empty page)."""
    start = len(log)
    got = list(itertools.islice(small_pages(canvas, cls, path, **params), limit))
    big = big[:limit]
    assert ids(got) == ids(big), path  # every item once, in the same order
    assert set(ids(got)) == set(ids(big)) and len(set(ids(got))) == len(got)
    paths = {f"/api/v1/{path}", f"/api/v1/{link_path or path}"}
    calls = [e for e in log[start:] if e.path in paths]
    pages = max(1, math.ceil(len(big) / 2))
    if link_path is not None and len(big) < limit and len(big) % 2 == 0:
        pages += 1
    assert len(calls) == pages, path
    assert all(c.query["per_page"] == ["2"] for c in calls)
    for key, value in combine_kwargs(**params):  # the filters travel in every Link
        assert all(c.query[key] == [str(value).lower() if isinstance(value, bool) else str(value)]
                   for c in calls)


# -- the course workflow --------------------------------------------------------------------------
@dataclass
class World:
    target: Any
    teacher: Any
    student: Any
    course: Course
    me: Any  # the student, as the student sees themselves
    classmates: list  # other students of the course (User, as the teacher lists them)
    events: LiveEventCheck
    log: list
    http_log: Any
    cleanup: Cleanup
    unique: Any
    denied: Any
    tmp_path: Any
    students: list[int] = field(default_factory=list)
    teams: list[Group] = field(default_factory=list)
    cat: GroupCategory | None = None
    pairs_cat: GroupCategory | None = None
    pairs: list[Group] = field(default_factory=list)
    community: Group | None = None
    categories_before: list[int] = field(default_factory=list)


def test_group_project_workflow(target, teacher, student, course_id, http_log, cleanup, unique, denied,
                                tmp_path):
    course = teacher.get_course(course_id)
    me = student.get_current_user()
    everyone = list(course.get_users(enrollment_type=["student"], include=["email"]))
    classmates = [u for u in everyone if u.id != me.id]
    assert me.id in ids(everyone), "the student token must belong to a student of the course"
    if len(classmates) < 3:
        pytest.skip("the workflow needs at least four students in the course")
    log = http_log(teacher)
    http_log(student, log)
    w = World(target, teacher, student, course, me, classmates, LiveEventCheck(target), log, http_log, cleanup,
              unique, denied, tmp_path, students=ids(everyone))

    step_1_teacher_sets_up_lab_teams(w)
    step_2_students_sign_up_and_the_teacher_arranges(w)
    step_3_canvas_assigns_the_rest(w)
    step_4_peer_review_pairs_sync_export_import(w)
    step_5_community_invitation(w)
    step_6_lists_in_pages_of_two(w)
    step_7_leaving_and_tidying_up(w)


def step_1_teacher_sets_up_lab_teams(w: World) -> None:
    t = w.teacher
    w.categories_before = ids(w.course.get_group_categories())
    name = w.unique("Lab Teams")
    cat = w.course.create_group_category(name, self_signup="enabled", auto_leader="first",
                                         create_group_count=2)
    w.cleanup.add(cat)
    assert isinstance(cat, GroupCategory)
    assert (cat.name, cat.context_type, cat.course_id) == (name, "Course", w.course.id)
    assert (cat.self_signup, cat.auto_leader, cat.group_limit) == ("enabled", "first", None)
    assert (cat.groups_count, cat.unassigned_users_count) == (2, len(w.students))
    made = list(cat.get_groups())
    assert len(made) == 2 and all(g.group_category_id == cat.id and g.members_count == 0 for g in made)

    extra = cat.create_group(name=f"{name} Extra", description="for late joiners")
    assert (extra.group_category_id, extra.course_id, extra.description) == (cat.id, w.course.id, "for late joiners")
    w.teams = made + [extra]
    assert ids(cat.get_groups()) == ids(w.teams)

    # canvasapi's update sends only what it is given, and Canvas resets omitted self_signup /
    # auto_leader: a rename repeats them
    renamed = cat.update(name=name + " 2024", self_signup="enabled", auto_leader="first")
    assert (renamed.id, renamed.name, renamed.self_signup, renamed.auto_leader) == (
        cat.id, name + " 2024", "enabled", "first")
    w.cat = t.get_group_category(cat.id)
    assert (w.cat.name, w.cat.self_signup, w.cat.auto_leader) == (name + " 2024", "enabled", "first")
    assert ids(w.course.get_group_categories()) == w.categories_before + [cat.id]
    course_groups = ids(w.course.get_groups())
    assert set(ids(w.teams)) <= set(course_groups)
    assert {u.id for u in w.cat.get_users(unassigned=True)} == set(w.students)

    w.events.expect(
        ("group_category_created", {"group_category_id": cat.id, "group_category_name": name,
                                    "context_type": "Course", "context_id": w.course.id}),
        ("group_created", {"group_id": made[0].id, "group_category_id": cat.id, "context_type": "Course",
                           "workflow_state": "available"}),
        ("group_created", {"group_id": made[1].id, "group_category_id": cat.id}),
        ("group_created", {"group_id": extra.id, "group_name": f"{name} Extra", "group_category_id": cat.id}),
        ("group_category_updated", {"group_category_id": cat.id, "group_category_name": name + " 2024"}),
    )


def step_2_students_sign_up_and_the_teacher_arranges(w: World) -> None:
    t, s = w.teacher, w.student
    team_a, team_b, _team_c = w.teams
    u1, u2 = w.classmates[0].id, w.classmates[1].id

    # the student signs up (self-signup) and, first in, leads the team (auto_leader "first")
    joined = as_group(s, team_a.id).create_membership("self")
    assert (joined.group_id, joined.user_id, joined.workflow_state, joined.just_created) == (
        team_a.id, w.me.id, "accepted", True)
    assert team_a.id in ids(w.me.get_groups())
    assert leader_id(t, team_a.id) == w.me.id
    for event in w.events.expect(
        ("group_membership_created", {"group_id": team_a.id, "user_id": w.me.id, "workflow_state": "accepted",
                                      "group_membership_id": joined.id}),
        ("group_updated", {"group_id": team_a.id}),  # the new leader
    ):
        # the metadata names the request that caused it: the student's POST in the group's context
        meta = event.metadata
        assert (meta["user_id"], meta["http_method"], meta["context_type"], meta["context_id"]) == (
            str(w.me.id), "POST", "Group", str(team_a.id))
        assert meta["url"].endswith(f"/api/v1/groups/{team_a.id}/memberships")

    # the teacher adds two classmates to team B; the first one leads it
    m1 = team_b.create_membership(u1)
    m2 = team_b.create_membership(u2)
    assert [(m.user_id, m.workflow_state) for m in (m1, m2)] == [(u1, "accepted"), (u2, "accepted")]
    assert leader_id(t, team_b.id) == u1
    # ... then moves u1 to team A: one team per category, so u1 leaves team B and u2 takes over
    moved = team_a.create_membership(u1)
    assert (moved.group_id, moved.user_id, moved.just_created) == (team_a.id, u1, True)
    assert members_of(t, team_b.id) == [u2]
    assert leader_id(t, team_b.id) == u2
    assert sorted(ids(team_a.get_users())) == sorted([w.me.id, u1])
    w.events.expect(
        ("group_membership_created", {"group_id": team_b.id, "user_id": u1}),
        ("group_updated", {"group_id": team_b.id}),  # u1 leads
        ("group_membership_created", {"group_id": team_b.id, "user_id": u2}),
        ("group_membership_created", {"group_id": team_a.id, "user_id": u1, "workflow_state": "accepted"}),
        ("group_membership_updated", {"group_id": team_b.id, "user_id": u1, "workflow_state": "deleted"}),
        # GroupLeadership saves the group twice: the leader who left is revoked, then u2 is chosen
        ("group_updated", {"group_id": team_b.id}),
        ("group_updated", {"group_id": team_b.id}),
    )

    # memberships read by user and by membership id; moderator rights given and taken back
    by_user = team_a.get_membership(w.me.id, "users")
    by_id = team_a.get_membership(by_user.id, "memberships")
    assert (by_user.id, by_user.group_id, by_user.moderator) == (joined.id, team_a.id, False)
    assert (by_id.id, by_id.user_id) == (joined.id, w.me.id)
    promoted = team_a.update_membership(w.me.id, moderator=True)
    assert (promoted.id, promoted.moderator) == (joined.id, True)
    assert team_a.get_membership(w.me.id, "users").moderator is True
    demoted = promoted.update(moderator=False)  # GroupMembership.update: groups/:group_id/memberships/:id
    assert (demoted.id, demoted.moderator) == (joined.id, False)
    assert team_a.get_membership(joined.id, "memberships").moderator is False
    w.events.expect(
        ("group_membership_updated", {"group_membership_id": joined.id, "workflow_state": "accepted"}),
        ("group_membership_updated", {"group_membership_id": joined.id, "workflow_state": "accepted"}),
    )

    # the teacher describes team A and hands the leadership to u1
    edited = team_a.edit(description="Robots that sort mail", leader={"id": u1})
    assert (edited.description, edited.leader["id"]) == ("Robots that sort mail", u1)
    assert t.get_group(team_a.id).leader["id"] == u1
    w.events.expect(("group_updated", {"group_id": team_a.id, "group_name": team_a.name}))

    # the student works in team A: HTML preview, a file, their permissions
    html = as_group(s, team_a.id).preview_html('<p>Plan <b>v1</b></p><script>alert("x")</script>')
    assert "<p>Plan <b>v1</b></p>" in html and "<script" not in html
    path = w.tmp_path / "plan.txt"
    path.write_bytes(b"step 1: robots\n")
    ok, uploaded = as_group(s, team_a.id).upload(str(path))
    assert ok is True and (uploaded["display_name"], uploaded["size"]) == ("plan.txt", 15)
    file = t.get_file(uploaded["id"])
    assert file.display_name == "plan.txt" and file.get_contents(binary=True) == b"step 1: robots\n"

    def permissions(role):
        r = api(w.target, role, "GET", f"groups/{team_a.id}/permissions",
                params=[("permissions[]", "read"), ("permissions[]", "manage")])
        assert r.status_code == 200, r.text
        return r.json()

    assert permissions("student") == {"read": True, "manage": False}
    assert permissions("teacher") == {"read": True, "manage": True}
    summary = team_a.get_activity_stream_summary()
    assert isinstance(summary, list)
    if w.target.is_mock:
        assert summary == []  # a new group has no stream items

    # and is refused the teacher's calls
    start = len(w.log)
    with pytest.raises(w.denied):
        as_group(s, team_b.id).edit(name="Ours now")  # not their group
    with pytest.raises(w.denied):
        GroupCategory(requester(s), {"id": w.cat.id}).update(name="Mine", self_signup="enabled")
    with pytest.raises(w.denied):
        list(Course(requester(s), {"id": w.course.id}).get_group_categories())
    refusals = w.log[start:]
    assert len(refusals) == 3 and all(e.status in (401, 403) for e in refusals)
    assert not any("WWW-Authenticate" in e.headers for e in refusals)  # a denial, not a bad token
    if w.target.is_mock:
        assert all(e.status == 401 for e in refusals)
    assert t.get_group(team_b.id).name == team_b.name
    assert t.get_group_category(w.cat.id).name == w.cat.name
    w.events.nothing()  # previews, files and refusals change no group


def step_3_canvas_assigns_the_rest(w: World) -> None:
    t = w.teacher
    cat = w.cat
    team_a, team_b, team_c = w.teams
    assigned = {w.me.id, w.classmates[0].id, w.classmates[1].id}
    unassigned = {u.id for u in cat.get_users(unassigned=True)}
    assert unassigned == set(w.students) - assigned

    start = len(w.log)
    progress = cat.assign_members()  # no sync: the asynchronous form
    call = w.log[start]
    assert (call.method, call.path, call.form) == (
        "POST", f"/api/v1/group_categories/{cat.id}/assign_unassigned_members", {})
    assert isinstance(progress, Progress)
    assert (progress.tag, progress.context_type, progress.context_id) == (
        "assign_unassigned_members", "GroupCategory", cat.id)
    assert progress.workflow_state in ("queued", "running")
    assert progress.url.endswith(f"/api/v1/progress/{progress.id}")
    assert t.get_progress(progress).id == progress.id  # by object ...
    states = wait_until_done(progress)
    assert states[-1] == "completed" and progress.completion == 100
    again = t.get_progress(progress.id)  # ... and by id
    assert (again.workflow_state, again.completion, again.tag) == ("completed", 100, "assign_unassigned_members")

    assert list(cat.get_users(unassigned=True)) == []
    groups = list(cat.get_groups())
    sizes = [g.members_count for g in groups]
    assert sum(sizes) == len(w.students) and max(sizes) - min(sizes) <= 1  # evenly spread
    placed = {u: g.id for g in groups for u in members_of(t, g.id)}
    assert set(placed) == set(w.students)
    assert placed[w.me.id] == team_a.id and placed[w.classmates[0].id] == team_a.id  # nobody moved
    assert placed[w.classmates[1].id] == team_b.id
    # the empty team got members and, with auto_leader "first", a leader among them
    assert leader_id(t, team_c.id) in members_of(t, team_c.id)
    assert leader_id(t, team_a.id) == w.classmates[0].id
    if w.target.is_mock:
        assert states == ["completed"]  # the background job ran right after the response
    # bulk inserted memberships emit nothing; the leader chosen for team C is an update
    w.events.expect(("group_updated", {"group_id": team_c.id}))
    if w.target.is_mock:
        [event] = w.target.server.live_events.named("group_updated")[-1:]
        assert (event.metadata["job_id"], event.metadata["job_tag"]) == (str(progress.id), "assign_unassigned_members")


def step_4_peer_review_pairs_sync_export_import(w: World) -> None:
    t = w.teacher
    name = w.unique("Peer Review Pairs")
    pairs_cat = w.course.create_group_category(name)
    w.cleanup.add(pairs_cat)
    assert (pairs_cat.self_signup, pairs_cat.groups_count) == (None, 0)
    pairs = [pairs_cat.create_group(name=f"{name} {n}") for n in (1, 2)]
    w.pairs_cat, w.pairs = pairs_cat, pairs
    w.events.expect(
        ("group_category_created", {"group_category_id": pairs_cat.id, "group_category_name": name}),
        ("group_created", {"group_id": pairs[0].id, "group_category_id": pairs_cat.id}),
        ("group_created", {"group_id": pairs[1].id, "group_category_id": pairs_cat.id}),
    )

    # synchronous assignment. canvasapi 3.6.0 bug: assign_members(sync=True) drops ``sync``; send
    # it through canvasapi's own PaginatedList instead. Canvas answers one entry per group,
    # ``{"id": group_id, "new_members": [...]}``, which canvasapi turns into User objects.
    start = len(w.log)
    answer = list(PaginatedList(User, requester(t), "POST",
                                f"group_categories/{pairs_cat.id}/assign_unassigned_members",
                                _kwargs=combine_kwargs(sync=True)))
    assert w.log[start].form["sync"] == ["true"]
    assert sorted(e.id for e in answer) == sorted(ids(pairs))
    new = {m["user_id"]: e.id for e in answer for m in e.new_members}
    assert set(new) == set(w.students)
    assert list(pairs_cat.get_users(unassigned=True)) == []
    for pair in pairs:
        assert sorted(members_of(t, pair.id)) == sorted(u for u, g in new.items() if g == pair.id)
    w.events.nothing()  # bulk inserted; both pairs had members and no auto_leader

    # canvasapi's own sync=True: it posts without ``sync`` (so Canvas starts the asynchronous job,
    # with nothing left to assign) and iterating the answer (a Progress) raises AttributeError.
    # The Progress is the last response canvasapi received.
    with pytest.raises(AttributeError):
        list(pairs_cat.assign_members(sync=True))
    raw = requester(t)._cache[0].json()
    assert (raw["tag"], raw["context_id"]) == ("assign_unassigned_members", pairs_cat.id)
    assert wait_until_done(t.get_progress(raw["id"]))[-1] == "completed"
    assert {u: g for g in ids(pairs) for u in members_of(t, g)} == new  # nothing moved
    w.events.nothing()

    # export (CSV) ...
    r = api(w.target, "teacher", "GET", f"group_categories/{pairs_cat.id}/export")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.text
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    exported = {int(row["canvas_user_id"]): int(row["canvas_group_id"]) for row in rows}
    assert exported == new
    assert {row["group_name"] for row in rows} == {p.name for p in pairs}

    # ... and import: the student moves to the other pair
    mine = new[w.me.id]
    other = next(p.id for p in pairs if p.id != mine)
    body = f"canvas_user_id,canvas_group_id\n{w.me.id},{other}\n".encode()
    r = api(w.target, "teacher", "POST", f"group_categories/{pairs_cat.id}/import",
            files={"attachment": ("pairs.csv", body, "text/csv")})
    assert r.status_code == 200, r.text
    started = r.json()
    assert (started["tag"], started["context_type"], started["context_id"]) == (
        "course_group_import", "GroupCategory", pairs_cat.id)
    progress = t.get_progress(started["id"])
    assert wait_until_done(progress)[-1] == "completed"
    assert w.me.id in members_of(t, other) and w.me.id not in members_of(t, mine)
    assert w.teams[0].id in ids(w.me.get_groups())  # other categories untouched
    w.events.nothing()  # the import writes in bulk


def step_5_community_invitation(w: World) -> None:
    t = w.teacher
    teacher_id = t.get_current_user().id
    community = t.create_group(name=w.unique("Robotics Club"), description="after class",
                               join_level="invitation_only")
    w.cleanup.add(community)
    w.community = community
    assert (community.context_type, community.members_count) == ("Account", 1)
    creator = community.get_membership(teacher_id, "users")
    assert (creator.workflow_state, creator.moderator) == ("accepted", True)
    w.events.expect(
        ("group_created", {"group_id": community.id, "context_type": "Account"}),
        ("group_membership_created", {"group_id": community.id, "user_id": teacher_id,
                                      "workflow_state": "accepted"}),
    )

    # the teacher invites the student by e-mail (or login id), and accepts on their behalf as moderator
    me_seen = next(u for u in w.teacher.get_course(w.course.id).get_users(
        enrollment_type=["student"], include=["email"]) if u.id == w.me.id)
    address = getattr(me_seen, "email", None) or getattr(me_seen, "login_id", None)
    assert address, "the teacher must see the student's e-mail or login id to invite them"
    invited = list(community.invite([address]))
    assert [(m.user_id, m.workflow_state) for m in invited] == [(w.me.id, "invited")]
    [pending] = community.get_memberships(filter_states=["invited"])
    assert (pending.id, pending.user_id) == (invited[0].id, w.me.id)
    assert community.id not in ids(w.me.get_groups())  # not a member yet
    accepted = pending.update(workflow_state="accepted")
    assert (accepted.id, accepted.workflow_state) == (pending.id, "accepted")
    assert list(community.get_memberships(filter_states=["invited"])) == []
    assert community.id in ids(w.me.get_groups())
    assert sorted(ids(community.get_users())) == sorted([teacher_id, w.me.id])
    w.events.expect(
        ("group_membership_created", {"group_id": community.id, "user_id": w.me.id, "workflow_state": "invited"}),
        ("group_membership_updated", {"group_id": community.id, "user_id": w.me.id,
                                      "workflow_state": "accepted"}),
    )


def step_6_lists_in_pages_of_two(w: World) -> None:
    t, s, log = w.teacher, w.student, w.log
    team_a = w.teams[0]

    # the canvasapi quirk: per_page as a list method's kwarg is sent twice, the last one 100
    start = len(log)
    big_groups = list(w.course.get_groups(per_page=2))
    first = [e for e in log[start:] if e.path == f"/api/v1/courses/{w.course.id}/groups"]
    assert first[0].query["per_page"] == ["2", "100"]
    if len(big_groups) <= 100:
        assert len(first) == 1
    assert len(big_groups) >= len(w.teams) + len(w.pairs)

    assert_small_pages_match(t, log, Group, f"courses/{w.course.id}/groups", big_groups)
    assert_small_pages_match(t, log, GroupCategory, f"courses/{w.course.id}/group_categories",
                             list(w.course.get_group_categories()))
    assert_small_pages_match(t, log, User, f"group_categories/{w.cat.id}/users", list(w.cat.get_users()))
    assert_small_pages_match(t, log, Group, f"group_categories/{w.cat.id}/groups", list(w.cat.get_groups()))
    assert_small_pages_match(t, log, GroupMembership, f"groups/{team_a.id}/memberships",
                             list(team_a.get_memberships()))
    assert_small_pages_match(t, log, GroupMembership, f"groups/{team_a.id}/memberships",
                             list(team_a.get_memberships(filter_states=["accepted"])),
                             filter_states=["accepted"])
    assert_small_pages_match(t, log, User, f"groups/{team_a.id}/users", list(team_a.get_users()))
    assert_small_pages_match(t, log, User, f"courses/{w.course.id}/search_users",
                             list(w.course.get_users(enrollment_type=["student"])),
                             link_path=f"courses/{w.course.id}/users", enrollment_type=["student"])

    # the student's own groups: bookmark pages
    mine = list(w.me.get_groups())
    assert {w.teams[0].id, w.community.id} <= set(ids(mine))
    assert_small_pages_match(s, log, Group, "users/self/groups", mine)
    if w.target.is_mock:
        calls = [e for e in log if e.path == "/api/v1/users/self/groups" and e.query.get("per_page") == ["2"]]
        assert all(c.query["page"][0].startswith("bookmark:") for c in calls[1:])
    w.events.nothing()


def step_7_leaving_and_tidying_up(w: World) -> None:
    t, s = w.teacher, w.student
    team_a, team_b, team_c = w.teams
    community = w.community

    # the student leaves the community (canvasapi bug: remove_self needs the group's id, see
    # membership_handle)
    start = len(w.log)
    assert membership_handle(s, community.id).remove_self() == {"ok": True}
    assert w.log[start].path == f"/api/v1/groups/{community.id}/memberships/self"
    assert community.id not in ids(w.me.get_groups())
    assert w.me.id not in ids(community.get_users())
    # ... and their team (self-signup lets members leave)
    assert membership_handle(s, team_a.id).remove_self() == {"ok": True}
    with pytest.raises(ResourceDoesNotExist):
        team_a.get_membership(w.me.id, "users")
    assert team_a.id not in ids(w.me.get_groups())
    w.events.expect(
        ("group_membership_updated", {"group_id": community.id, "user_id": w.me.id, "workflow_state": "deleted"}),
        ("group_membership_updated", {"group_id": team_a.id, "user_id": w.me.id, "workflow_state": "deleted"}),
    )

    # the teacher removes people who lead nothing: Group.remove_user (answers {"ok": true}, which
    # canvasapi wraps in a User) and GroupMembership.remove_user (the raw dict; same workaround)
    out_c = next(u for u in members_of(t, team_c.id) if u != leader_id(t, team_c.id))
    gone = team_c.remove_user(out_c)
    assert gone.ok is True
    out_b = next(u for u in members_of(t, team_b.id) if u != leader_id(t, team_b.id))
    start = len(w.log)
    assert membership_handle(t, team_b.id).remove_user(out_b) == {"ok": True}
    assert w.log[start].path == f"/api/v1/groups/{team_b.id}/users/{out_b}"
    assert out_c not in members_of(t, team_c.id) and out_b not in members_of(t, team_b.id)
    assert {u.id for u in w.cat.get_users(unassigned=True)} == {w.me.id, out_c, out_b}
    w.events.expect(
        ("group_membership_updated", {"group_id": team_c.id, "user_id": out_c, "workflow_state": "deleted"}),
        ("group_membership_updated", {"group_id": team_b.id, "user_id": out_b, "workflow_state": "deleted"}),
    )

    # groups and categories go
    deleted = community.delete()
    assert (deleted.id, deleted.name) == (community.id, community.name)
    deleted = team_c.delete()
    assert deleted.id == team_c.id
    with pytest.raises(ResourceDoesNotExist):
        t.get_group(team_c.id)  # a deleted group is unknown
    assert team_c.id not in ids(w.course.get_groups())
    w.events.expect(
        ("group_updated", {"group_id": community.id, "workflow_state": "deleted"}),
        ("group_updated", {"group_id": team_c.id, "workflow_state": "deleted"}),
    )

    for cat, live_groups in ((w.pairs_cat, w.pairs), (w.cat, [team_a, team_b])):
        result = cat.delete()
        assert isinstance(result, dict) and result["id"] == cat.id  # canvasapi returns the raw JSON
        with pytest.raises(ResourceDoesNotExist):
            t.get_group_category(cat.id)
        for g in live_groups:
            with pytest.raises(ResourceDoesNotExist):
                t.get_group(g.id)
        w.events.category_deleted(cat.id, ids(live_groups))
    assert ids(w.course.get_group_categories()) == w.categories_before
    assert not set(ids(w.course.get_groups())) & set(ids(w.teams) + ids(w.pairs))

    # what canvasapi raises for an unknown group and for a bad token
    with pytest.raises(ResourceDoesNotExist):
        t.get_group(UNKNOWN_ID)
    with pytest.raises(ResourceDoesNotExist):
        t.get_group_category(UNKNOWN_ID)
    with pytest.raises(ResourceDoesNotExist):
        t.get_progress(UNKNOWN_ID)
    stranger = w.target.client_for_token("not-a-real-token")
    start = len(w.log)
    w.http_log(stranger, w.log)
    with pytest.raises(InvalidAccessToken):
        stranger.get_group(team_a.id)
    with pytest.raises(InvalidAccessToken):
        stranger.get_current_user()
    # 401 *with* WWW-Authenticate is what canvasapi maps to InvalidAccessToken
    assert [(e.status, "WWW-Authenticate" in e.headers) for e in w.log[start:]] == [(401, True)] * 2
    w.events.nothing()


# -- the account admin's side ---------------------------------------------------------------------
def test_admin_sets_up_account_committees(target, admin, account_id, http_log, cleanup, unique, denied):
    events = LiveEventCheck(target)
    account = admin.get_account(account_id)
    log = http_log(admin)
    before = ids(account.get_group_categories())
    groups_before = ids(account.get_groups())

    name = unique("Staff Committees")
    cat = account.create_group_category(name)
    cleanup.add(cat)
    assert (cat.name, cat.context_type, cat.account_id, cat.groups_count) == (name, "Account", account_id, 0)
    assert ids(account.get_group_categories()) == before + [cat.id]
    assert admin.get_group_category(cat.id).name == name

    made = [cat.create_group(name=f"{name} {n}") for n in ("A", "B", "C")]
    assert all((g.context_type, g.account_id, g.group_category_id) == ("Account", account_id, cat.id) for g in made)
    assert ids(cat.get_groups()) == ids(made)
    listed = list(account.get_groups())
    assert set(ids(made)) <= set(ids(listed)) and set(ids(listed)) == set(groups_before) | set(ids(made))
    assert_small_pages_match(admin, log, Group, f"accounts/{account_id}/groups", listed)
    assert_small_pages_match(admin, log, GroupCategory, f"accounts/{account_id}/group_categories",
                             list(account.get_group_categories()))
    events.expect(
        ("group_category_created", {"group_category_id": cat.id, "context_type": "Account",
                                    "context_id": account_id, "group_limit": None}),
        *[("group_created", {"group_id": g.id, "context_type": "Account", "context_id": account_id,
                             "account_id": account_id}) for g in made],
    )

    renamed = cat.update(name=name + " 2024")
    assert renamed.name == name + " 2024"
    edited = made[0].edit(name=f"{name} Curriculum")
    assert admin.get_group(made[0].id).name == edited.name == f"{name} Curriculum"
    events.expect(
        ("group_category_updated", {"group_category_id": cat.id, "group_category_name": name + " 2024"}),
        ("group_updated", {"group_id": made[0].id, "group_name": f"{name} Curriculum"}),
    )

    # a student (when the target has one) may not list the account's groups or categories
    if target.tokens.get("student"):
        student = target.client("student")
        with pytest.raises(denied):
            list(Account(requester(student), {"id": account_id}).get_groups())
        with pytest.raises(denied):
            list(Account(requester(student), {"id": account_id}).get_group_categories())

    result = cat.delete()
    assert isinstance(result, dict) and result["id"] == cat.id
    assert ids(account.get_group_categories()) == before
    assert set(ids(account.get_groups())) == set(groups_before)
    with pytest.raises(ResourceDoesNotExist):
        admin.get_group_category(cat.id)
    events.category_deleted(cat.id, ids(made))
