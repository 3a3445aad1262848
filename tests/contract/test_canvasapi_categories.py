"""The Group Categories and Progress APIs as canvasapi 3.6.0 drives them: real client, real HTTP,
the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Course.create_group_category`` (``POST /courses/:id/group_categories``: ``name``,
  ``self_signup``, ``group_limit``, ``auto_leader``, ``create_group_count``) and
  ``Course.get_group_categories`` (``GET /courses/:id/group_categories``);
* ``Account.get_group_categories`` / ``Account.create_group_category`` (``/accounts/:id/...``,
  as an account admin);
* ``Canvas.get_group_category`` (``GET /group_categories/:id``), ``GroupCategory.update``
  (``PUT``), ``GroupCategory.delete`` (``DELETE``), ``GroupCategory.get_groups``,
  ``GroupCategory.get_users`` (``unassigned``, ``search_term``), ``GroupCategory.create_group``
  (``POST /group_categories/:id/groups``);
* ``GroupCategory.assign_members()`` (``POST .../assign_unassigned_members``, answered with a
  Progress that canvasapi wraps in ``canvasapi.progress.Progress``), then ``Canvas.get_progress``
  and ``Progress.query`` polled (bounded) until ``completed``;
* errors: ``ResourceDoesNotExist`` (unknown category, unknown progress), ``Unauthorized``
  (a student listing or reading categories, a teacher listing an account's, deleting a protected
  category), ``BadRequest`` (validation).

Quirks pinned down here:

* ``GroupCategory.update(name=...)`` sends only ``name``; Canvas's ParamsPolicy assigns
  ``self_signup``, ``auto_leader`` and ``group_limit`` from every request, so they are reset to
  null (and the groups' ``max_membership`` with ``group_limit``).
* ``GroupCategory.assign_members(sync=True)`` never sends ``sync``: it builds a ``PaginatedList``
  of ``User`` over a POST whose only parameter is canvasapi's own ``per_page=100``. Canvas answers
  the asynchronous Progress object, and iterating the list iterates that object's *keys*, so
  canvasapi raises ``AttributeError`` — after the assignment job was started. Clients that do send
  ``sync=true`` get the ``[{"id": group_id, "new_members": [...]}]`` list.
* ``GroupCategory.delete`` returns the raw JSON (a dict), not a ``GroupCategory``.

On the mock every mutating call is also checked in the store. Against a real Canvas (see
``conftest.py``) the tests that rely on the default world or the store are skipped; the others
create categories with unique names and delete them at teardown.
"""

from __future__ import annotations

import time
import uuid

import pytest
from canvasapi.account import Account
from canvasapi.course import Course
from canvasapi.exceptions import BadRequest, CanvasException, ResourceDoesNotExist, Unauthorized
from canvasapi.group import Group, GroupCategory
from canvasapi.paginated_list import PaginatedList
from canvasapi.progress import Progress
from canvasapi.user import User
from canvasapi.util import combine_kwargs

# -- the default world (mockcanvas/datasets/default.yaml) ---------------------------------------
STUDENT_ID = 6
PROJECTS, STUDENT_GROUPS, TEAMS, COMMUNITIES, COMMITTEES = range(1, 6)
COURSE1_CATEGORIES = [(PROJECTS, "Project Groups"), (STUDENT_GROUPS, "Student Groups"),
                      (TEAMS, "Self Sign-up Teams")]
ACCOUNT1_CATEGORIES = [(COMMUNITIES, "Communities"), (COMMITTEES, "Faculty Committees")]
COURSE_STUDENTS = {STUDENT_ID, 7, *range(8, 20)}
UNASSIGNED = set(range(14, 20))  # in no project group
PROJECT_MEMBERS = {6: 1, 8: 1, 9: 1, 7: 2, 10: 2, 11: 2, 12: 3, 13: 3}  # user -> project group
POLL_SECONDS = 30.0  # a real Canvas runs the job in a worker; the mock finishes at the first poll


# -- helpers ----------------------------------------------------------------------------------
def requester(canvas):
    return canvas._Canvas__requester


def category_row(store, category_id):
    with store.lock:
        return store.get("group_categories", category_id)


def category_members(store, category_id):
    """{user_id: group_id} of the accepted memberships in the category's live groups."""
    with store.lock:
        groups = {g.id for g in store.all("groups")
                  if g.group_category_id == category_id and g.workflow_state != "deleted"}
        return {m.user_id: m.group_id for m in store.all("memberships")
                if m.group_id in groups and m.workflow_state == "accepted"}


def wait_until_done(progress):
    """``Progress.query()`` until the job is no longer pending (bounded); returns the queries' states."""
    states = []
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        progress.query()
        states.append(progress.workflow_state)
        if progress.workflow_state not in ("queued", "running") or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


def json_bodies(canvas):
    """Every JSON body ``canvas`` receives from now on, in order."""
    bodies = []

    def hook(response, *args, **kwargs):
        try:
            bodies.append(response.json())
        except ValueError:
            bodies.append(None)

    requester(canvas)._session.hooks["response"].append(hook)
    return bodies


@pytest.fixture
def fresh_name(target):
    """``fresh_name("Lab Pairs")``: the name itself on the mock; against a real Canvas a unique
    prefix is added (category names must be unique in their context)."""
    run = uuid.uuid4().hex[:6]
    return lambda label: label if target.is_mock else f"T{run} {label}"


@pytest.fixture
def created_categories(target):
    """Categories a test created; against a real Canvas they are deleted at teardown."""
    made: list[GroupCategory] = []
    yield made
    if target.is_mock:
        return
    for cat in made:
        try:
            cat.delete()
        except CanvasException:
            pass


@pytest.fixture
def new_category(teacher, course_id, fresh_name, created_categories):
    """``new_category(label, **fields)``: a category of the course, made by the teacher."""

    def make(label="Contract Lab Pairs", **fields):
        cat = teacher.get_course(course_id).create_group_category(fresh_name(label), **fields)
        created_categories.append(cat)
        return cat

    return make


# -- the workflow -----------------------------------------------------------------------------
def test_teacher_sets_up_lab_pairs_and_assigns_students(
        target, teacher, course_id, new_category, http_log):
    """A teacher makes a self-signup category with two groups, adds a third by hand, has Canvas
    assign everyone still unassigned, follows the Progress and reads the result back."""
    cat = new_category("Contract Lab Pairs", self_signup="enabled", create_group_count=2)
    third = cat.create_group(name=f"{cat.name} extra")
    students = {u.id for u in cat.get_users()}
    assert {u.id for u in cat.get_users(unassigned=True)} == students  # nobody signed up yet

    log = http_log(teacher)
    progress = cat.assign_members()
    call = log[-1]
    assert (call.method, call.path, call.status) == (
        "POST", f"/api/v1/group_categories/{cat.id}/assign_unassigned_members", 200)
    assert call.form == {}  # canvasapi sends no parameters (no sync): the asynchronous form
    assert isinstance(progress, Progress)
    assert (progress.tag, progress.context_type, progress.context_id, progress.user_id) == (
        "assign_unassigned_members", "GroupCategory", cat.id, None)
    assert progress.workflow_state in ("queued", "running")
    assert progress.url.endswith(f"/api/v1/progress/{progress.id}")

    again = teacher.get_progress(progress)  # by object; by id below
    assert (again.id, again.tag) == (progress.id, "assign_unassigned_members")
    states = wait_until_done(progress)
    assert states[-1] == "completed"
    assert (progress.workflow_state, progress.completion) == ("completed", 100)
    assert teacher.get_progress(progress.id).workflow_state == "completed"
    assert [e.path for e in log[1:]] == [f"/api/v1/progress/{progress.id}"] * (len(states) + 2)

    groups = list(cat.get_groups())
    assert len(groups) == 3 and third.id in {g.id for g in groups}
    assert list(cat.get_users(unassigned=True)) == []
    assert sum(g.members_count for g in groups) == len(students)
    sizes = sorted(g.members_count for g in groups)
    assert sizes[-1] - sizes[0] <= 1  # evenly sized

    if target.is_mock:
        assert states == ["completed"]  # the mock's background job ran right after the response
        assert sizes == [4, 5, 5]
        assert set(category_members(target.server.store, cat.id)) == COURSE_STUDENTS


# -- listing and reading ----------------------------------------------------------------------
def test_course_group_categories_of_the_default_world(teacher, mock_only, http_log):
    course = teacher.get_course(1)
    log = http_log(teacher)
    cats = list(course.get_group_categories())
    assert [(e.method, e.path) for e in log] == [("GET", "/api/v1/courses/1/group_categories")]
    assert all(isinstance(c, GroupCategory) for c in cats)
    assert [(c.id, c.name) for c in cats] == COURSE1_CATEGORIES
    by_id = {c.id: c for c in cats}
    assert all((c.context_type, c.course_id) == ("Course", 1) for c in cats)
    assert (by_id[STUDENT_GROUPS].role, by_id[STUDENT_GROUPS].protected,
            by_id[STUDENT_GROUPS].allows_multiple_memberships) == ("student_organized", True, True)
    assert (by_id[PROJECTS].role, by_id[PROJECTS].protected, by_id[PROJECTS].self_signup) == (None, False, None)
    assert (by_id[TEAMS].self_signup, by_id[TEAMS].group_limit, by_id[TEAMS].auto_leader) == ("enabled", 3, "first")


def test_get_group_category(teacher, admin, mock_only, http_log):
    log = http_log(teacher)
    cat = teacher.get_group_category(PROJECTS)
    assert [(e.method, e.path, e.status) for e in log] == [("GET", f"/api/v1/group_categories/{PROJECTS}", 200)]
    assert (cat.id, cat.name, cat.course_id, cat.self_signup_end_at) == (PROJECTS, "Project Groups", 1, None)
    # SIS ids need read_sis on the root account: the course's teacher does not see it, its admin does
    assert not hasattr(cat, "sis_group_category_id")
    assert admin.get_group_category(PROJECTS).sis_group_category_id == "PG-2024"
    assert not hasattr(cat, "progress")  # no pending progress
    assert teacher.get_group_category(cat).id == PROJECTS  # an object works as well as an id


def test_category_groups(teacher, mock_only, http_log):
    log = http_log(teacher)
    groups = list(teacher.get_group_category(PROJECTS).get_groups())
    assert log[-1].path == f"/api/v1/group_categories/{PROJECTS}/groups"
    assert all(isinstance(g, Group) for g in groups)
    assert [(g.id, g.name, g.group_category_id) for g in groups] == [
        (1, "Project Group 1", PROJECTS), (2, "Project Group 2", PROJECTS), (3, "Project Group 3", PROJECTS)]
    assert [g.members_count for g in groups] == [3, 3, 2]


def test_category_users(teacher, mock_only, http_log):
    cat = teacher.get_group_category(PROJECTS)
    log = http_log(teacher)
    everyone = list(cat.get_users())
    assert log[-1].path == f"/api/v1/group_categories/{PROJECTS}/users"
    assert all(isinstance(u, User) for u in everyone)
    assert {u.id for u in everyone} == COURSE_STUDENTS  # students only: no teacher, TA, ...
    unassigned = list(cat.get_users(unassigned=True))
    assert log[-1].query["unassigned"] == ["true"]
    assert {u.id for u in unassigned} == UNASSIGNED
    assert [(u.id, u.name) for u in cat.get_users(search_term="Sam")] == [(STUDENT_ID, "Sam Student")]
    with pytest.raises(BadRequest) as exc:
        list(cat.get_users(search_term="S"))
    assert "2 or more characters is required" in str(exc.value)


def test_account_group_categories(target, admin, account_id, fresh_name, created_categories, http_log):
    account = admin.get_account(account_id)
    log = http_log(admin)
    before = list(account.get_group_categories())
    assert log[-1].path == f"/api/v1/accounts/{account_id}/group_categories"
    assert all(c.context_type == "Account" and c.account_id == account_id for c in before)

    name = fresh_name("Contract Staff Clubs")
    cat = account.create_group_category(name)
    created_categories.append(cat)
    call = log[-1]
    assert (call.method, call.path, call.status) == ("POST", f"/api/v1/accounts/{account_id}/group_categories", 200)
    assert call.form == {"name": [name]}
    assert (cat.name, cat.context_type, cat.account_id, cat.self_signup, cat.groups_count) == (
        name, "Account", account_id, None, 0)
    after = list(account.get_group_categories())
    assert [c.id for c in after] == [c.id for c in before] + [cat.id]
    assert admin.get_group_category(cat.id).name == name

    if target.is_mock:
        assert [(c.id, c.name) for c in before] == ACCOUNT1_CATEGORIES
        row = category_row(target.server.store, cat.id)
        assert (row.context_type, row.context_id, row.name, row.deleted_at) == ("Account", 1, name, None)


def test_account_category_may_not_have_self_signup(admin, account_id, fresh_name, http_log):
    account = admin.get_account(account_id)
    before = [c.id for c in account.get_group_categories()]
    with pytest.raises(BadRequest) as exc:
        account.create_group_category(fresh_name("Contract Signup Clubs"), self_signup="enabled")
    assert "Self-signup may only be enabled for course groups or communities" in str(exc.value)
    assert [c.id for c in account.get_group_categories()] == before


def test_teacher_may_not_list_an_accounts_categories(teacher, mock_only, http_log):
    log = http_log(teacher)
    with pytest.raises(Unauthorized):
        list(Account(requester(teacher), {"id": 1}).get_group_categories())
    assert (log[-1].status, "WWW-Authenticate" in log[-1].headers) == (401, False)


# -- creating and updating --------------------------------------------------------------------
def test_create_group_category_in_a_course(target, teacher, course_id, new_category, http_log):
    log = http_log(teacher)
    cat = new_category("Contract Lab Pairs", self_signup="enabled", group_limit=3, auto_leader="first",
                       create_group_count=2)
    call = log[-1]
    assert (call.method, call.path, call.status) == ("POST", f"/api/v1/courses/{course_id}/group_categories", 200)
    assert call.form == {"name": [cat.name], "self_signup": ["enabled"], "group_limit": ["3"],
                         "auto_leader": ["first"], "create_group_count": ["2"]}
    assert isinstance(cat, GroupCategory) and isinstance(cat.id, int)
    assert (cat.context_type, cat.course_id, cat.role, cat.protected) == ("Course", course_id, None, False)
    assert (cat.self_signup, cat.group_limit, cat.auto_leader) == ("enabled", 3, "first")
    assert cat.groups_count == 2  # create always includes the counts
    assert isinstance(cat.unassigned_users_count, int)

    listed = {c.id: c for c in teacher.get_course(course_id).get_group_categories()}
    assert listed[cat.id].name == cat.name
    read = teacher.get_group_category(cat.id)
    assert (read.name, read.self_signup, read.group_limit, read.auto_leader) == (cat.name, "enabled", 3, "first")
    # "Lab Pairs" -> groups "Lab Pair 1", "Lab Pair 2", with the category's limit, nobody assigned
    groups = list(cat.get_groups())
    base = cat.name[:-1]
    assert [(g.name, g.max_membership, g.members_count) for g in groups] == [
        (f"{base} 1", 3, 0), (f"{base} 2", 3, 0)]

    if target.is_mock:
        assert cat.unassigned_users_count == len(COURSE_STUDENTS)
        row = category_row(target.server.store, cat.id)
        assert (row.context_type, row.context_id, row.self_signup, row.group_limit, row.auto_leader) == (
            "Course", 1, "enabled", 3, "first")
        with target.server.store.lock:
            assert sorted(g.name for g in target.server.store.all("groups")
                          if g.group_category_id == cat.id) == ["Contract Lab Pair 1", "Contract Lab Pair 2"]


def test_create_group_category_errors(teacher, course_id, new_category):
    cat = new_category("Contract Duplicates")
    course = teacher.get_course(course_id)
    before = [c.id for c in course.get_group_categories()]
    with pytest.raises(BadRequest) as exc:
        course.create_group_category("")
    assert "Name is required" in str(exc.value)
    with pytest.raises(BadRequest) as exc:
        course.create_group_category(cat.name)
    assert f"{cat.name} is already in use." in str(exc.value)
    with pytest.raises(BadRequest) as exc:
        course.create_group_category("Contract Bad Limit", group_limit=1)
    assert "Must be greater than 1" in str(exc.value)
    assert [c.id for c in course.get_group_categories()] == before


def test_update_resets_the_omitted_fields(target, teacher, new_category, http_log):
    cat = new_category("Contract Teams", self_signup="enabled", group_limit=3, auto_leader="random",
                       create_group_count=1)
    log = http_log(teacher)
    updated = cat.update(name=cat.name + " Renamed")
    call = log[-1]
    assert (call.method, call.path, call.status) == ("PUT", f"/api/v1/group_categories/{cat.id}", 200)
    assert call.form == {"name": [cat.name + " Renamed"]}  # canvasapi sends only what it is given
    assert isinstance(updated, GroupCategory)
    assert (updated.id, updated.name) == (cat.id, cat.name + " Renamed")
    # ParamsPolicy assigns these from every request: omitted means null
    assert (updated.self_signup, updated.group_limit, updated.auto_leader) == (None, None, None)
    read = teacher.get_group_category(cat.id)
    assert (read.name, read.self_signup, read.group_limit, read.auto_leader) == (
        cat.name + " Renamed", None, None, None)
    assert [g.max_membership for g in cat.get_groups()] == [None]  # the limit reached the group

    again = cat.update(self_signup="enabled", group_limit=4)  # no name: the name is kept
    assert log[-1].form == {"self_signup": ["enabled"], "group_limit": ["4"]}
    assert (again.name, again.self_signup, again.group_limit, again.auto_leader) == (
        cat.name + " Renamed", "enabled", 4, None)
    assert [g.max_membership for g in cat.get_groups()] == [4]

    if target.is_mock:
        row = category_row(target.server.store, cat.id)
        assert (row.name, row.self_signup, row.group_limit, row.auto_leader) == (
            "Contract Teams Renamed", "enabled", 4, None)


def test_update_with_a_bad_group_limit_changes_nothing(target, teacher, new_category):
    cat = new_category("Contract Limits", self_signup="enabled", group_limit=3)
    with pytest.raises(BadRequest) as exc:
        cat.update(name="Contract Limits 2", self_signup="enabled", group_limit=1)
    assert "Must be greater than 1" in str(exc.value)
    read = teacher.get_group_category(cat.id)
    assert (read.name, read.self_signup, read.group_limit) == (cat.name, "enabled", 3)
    if target.is_mock:
        assert category_row(target.server.store, cat.id).group_limit == 3


def test_create_group_in_a_category(target, teacher, course_id, new_category, created_groups, http_log):
    cat = new_category("Contract Pods")
    log = http_log(teacher)
    group = cat.create_group(name="Contract Pod A", description="the first pod")
    created_groups.append(group.id)
    call = log[-1]
    assert (call.method, call.path, call.status) == ("POST", f"/api/v1/group_categories/{cat.id}/groups", 200)
    assert call.form == {"name": ["Contract Pod A"], "description": ["the first pod"]}
    assert isinstance(group, Group)
    assert (group.name, group.description, group.group_category_id, group.context_type, group.course_id) == (
        "Contract Pod A", "the first pod", cat.id, "Course", course_id)
    assert [(g.id, g.name) for g in cat.get_groups()] == [(group.id, "Contract Pod A")]
    assert teacher.get_group(group.id).group_category_id == cat.id
    if target.is_mock:
        with target.server.store.lock:
            row = target.server.store.get("groups", group.id)
            assert (row.group_category_id, row.context_type, row.context_id, row.workflow_state) == (
                cat.id, "Course", 1, "available")


# -- deleting ---------------------------------------------------------------------------------
def test_delete_group_category(target, teacher, course_id, new_category, http_log):
    cat = new_category("Contract Doomed", create_group_count=2, self_signup="enabled")
    group_ids = [g.id for g in cat.get_groups()]
    assert len(group_ids) == 2
    log = http_log(teacher)
    result = cat.delete()
    assert [(e.method, e.path, e.status) for e in log] == [("DELETE", f"/api/v1/group_categories/{cat.id}", 200)]
    assert isinstance(result, dict)  # canvasapi returns the raw JSON here
    assert (result["id"], result["name"]) == (cat.id, cat.name)  # the deleted category, unmarked

    with pytest.raises(ResourceDoesNotExist):
        teacher.get_group_category(cat.id)
    assert cat.id not in [c.id for c in teacher.get_course(course_id).get_group_categories()]
    for gid in group_ids:
        with pytest.raises(ResourceDoesNotExist):
            teacher.get_group(gid)
    with pytest.raises(ResourceDoesNotExist):
        cat.delete()  # gone is gone

    if target.is_mock:
        store = target.server.store
        assert category_row(store, cat.id).deleted_at is not None
        with store.lock:
            assert [store.get("groups", gid).workflow_state for gid in group_ids] == ["deleted", "deleted"]


def test_delete_protected_category_is_unauthorized(teacher, mock_store, http_log):
    cat = teacher.get_group_category(STUDENT_GROUPS)
    assert cat.protected is True
    log = http_log(teacher)
    with pytest.raises(Unauthorized):
        cat.delete()
    assert (log[-1].method, log[-1].status, "WWW-Authenticate" in log[-1].headers) == ("DELETE", 401, False)
    assert teacher.get_group_category(STUDENT_GROUPS).name == "Student Groups"
    assert category_row(mock_store, STUDENT_GROUPS).deleted_at is None
    with mock_store.lock:
        assert mock_store.get("groups", 4).workflow_state == "available"  # Study Buddies survives


# -- errors -----------------------------------------------------------------------------------
def test_unknown_category_is_resource_does_not_exist(teacher, http_log):
    log = http_log(teacher)
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_group_category(987654321)
    with pytest.raises(ResourceDoesNotExist):
        list(GroupCategory(requester(teacher), {"id": 987654321}).get_groups())
    assert [(e.path, e.status) for e in log] == [
        ("/api/v1/group_categories/987654321", 404), ("/api/v1/group_categories/987654321/groups", 404)]


def test_unknown_progress_is_resource_does_not_exist(teacher):
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_progress(987654321)


def test_student_may_not_list_or_read_categories(target, student, course_id, http_log):
    log = http_log(student)
    with pytest.raises(Unauthorized):
        list(Course(requester(student), {"id": course_id}).get_group_categories())
    assert (log[-1].path, log[-1].status) == (f"/api/v1/courses/{course_id}/group_categories", 401)
    assert "WWW-Authenticate" not in log[-1].headers  # a permission denial, not a bad token
    if target.is_mock:
        with pytest.raises(Unauthorized):
            student.get_group_category(PROJECTS)
        with pytest.raises(Unauthorized):
            list(GroupCategory(requester(student), {"id": PROJECTS}).get_groups())


# -- assign_members ---------------------------------------------------------------------------
def test_assign_members_of_the_project_groups(teacher, student, mock_store, http_log):
    cat = teacher.get_group_category(PROJECTS)
    progress = cat.assign_members()
    assert isinstance(progress, Progress)
    assert (progress.tag, progress.context_id, progress.workflow_state, progress.completion) == (
        "assign_unassigned_members", PROJECTS, "queued", 0)
    # a student of the course may follow it (read on the course)
    assert student.get_progress(progress.id).id == progress.id
    assert wait_until_done(progress) == ["completed"]
    assert progress.results == {"assigned": len(UNASSIGNED)}
    assert list(cat.get_users(unassigned=True)) == []
    members = category_members(mock_store, PROJECTS)
    assert set(members) == set(PROJECT_MEMBERS) | UNASSIGNED
    assert {u: g for u, g in members.items() if u in PROJECT_MEMBERS} == PROJECT_MEMBERS  # nobody moved
    assert [g.members_count for g in cat.get_groups()] == [5, 5, 4]  # 3, 3, 2 plus 6, smallest first


def test_assign_members_sync_true_is_not_sent_by_canvasapi(target, teacher, new_category, http_log):
    cat = new_category("Contract Sync Pairs", self_signup="enabled", create_group_count=2)
    log = http_log(teacher)
    bodies = json_bodies(teacher)
    result = cat.assign_members(sync=True)
    assert isinstance(result, PaginatedList)
    assert log == []  # lazy: nothing sent until iterated
    with pytest.raises(AttributeError, match="'str' object has no attribute 'update'"):
        list(result)
    call = log[-1]
    assert (call.method, call.path, call.status) == (
        "POST", f"/api/v1/group_categories/{cat.id}/assign_unassigned_members", 200)
    assert call.form == {"per_page": ["100"]}  # no sync: canvasapi drops it
    answer = bodies[-1]
    assert isinstance(answer, dict)  # a Progress, not a list of users
    assert (answer["tag"], answer["context_type"], answer["context_id"]) == (
        "assign_unassigned_members", "GroupCategory", cat.id)

    # the job was started all the same
    progress = Progress(requester(teacher), answer)
    assert wait_until_done(progress)[-1] == "completed"
    assert list(cat.get_users(unassigned=True)) == []
    if target.is_mock:
        assert set(category_members(target.server.store, cat.id)) == COURSE_STUDENTS


def test_assign_members_when_sync_true_is_sent(teacher, mock_store, http_log):
    """What a client that does send ``sync=true`` gets: the new members per group, at once."""
    log = http_log(teacher)
    answer = list(PaginatedList(User, requester(teacher), "POST",
                                f"group_categories/{PROJECTS}/assign_unassigned_members",
                                _kwargs=combine_kwargs(sync=True)))
    assert log[-1].form == {"sync": ["true"], "per_page": ["100"]}
    # canvasapi makes each entry a User; its id is the *group's* id
    assert sorted(e.id for e in answer) == [1, 2, 3]
    new = {m["user_id"]: e.id for e in answer for m in e.new_members}
    assert set(new) == UNASSIGNED
    for e in answer:
        for m in e.new_members:
            assert set(m) == {"user_id", "name", "display_name", "sections"}
            assert all(set(s) == {"section_id", "section_code"} for s in m["sections"])
    assert {u: g for u, g in category_members(mock_store, PROJECTS).items() if u in UNASSIGNED} == new
    with mock_store.lock:
        assert list(mock_store.rows["progresses"]) == []  # no Progress for the synchronous form


def test_assign_members_of_a_protected_or_restricted_category_is_bad_request(
        teacher, mock_store, new_category, http_log):
    log = http_log(teacher)
    with pytest.raises(BadRequest):
        teacher.get_group_category(STUDENT_GROUPS).assign_members()  # student_organized
    restricted = new_category("Contract Restricted", self_signup="restricted", create_group_count=1)
    with pytest.raises(BadRequest):
        restricted.assign_members()
    assert [(e.path, e.status) for e in log if e.path.endswith("/assign_unassigned_members")] == [
        (f"/api/v1/group_categories/{STUDENT_GROUPS}/assign_unassigned_members", 400),
        (f"/api/v1/group_categories/{restricted.id}/assign_unassigned_members", 400)]
    with mock_store.lock:
        assert list(mock_store.rows["progresses"]) == []
