"""The Groups API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Canvas.get_group`` (``GET /groups/:id``, also ``sis_group_id:``), ``Canvas.create_group``
  (``POST /groups``: a community of the root account);
* ``Course.get_groups`` (``GET /courses/:id/groups``, ``only_own_groups``),
  ``Account.get_groups`` (``GET /accounts/:id/groups``, via ``Canvas.get_account``),
  ``CurrentUser.get_groups`` (``GET /users/self/groups``, ``context_type``, bookmark pages);
* ``Group.edit`` (``PUT /groups/:id``: name, description, ``members[]``, ``leader[id]``),
  ``Group.delete``, ``Group.invite`` (``invitees[]``), ``Group.get_users`` (``search_term``),
  ``Group.preview_html``, ``Group.get_activity_stream_summary``, ``Group.upload`` (preflight,
  then the unauthenticated multipart POST to ``upload_url``), then ``Canvas.get_file`` and
  ``File.get_contents`` to read the upload back;
* around them: ``Canvas.get_current_user`` and ``Canvas.get_user`` (``self`` and an id),
  ``Canvas.get_course`` (also by SIS id), ``Course.get_users`` (``search_users`` with
  ``enrollment_type[]``), ``Course.get_sections`` (``include[]=total_students``);
* pagination through canvasapi's ``PaginatedList`` following ``Link`` headers with small pages,
  and the exceptions canvasapi maps from statuses: ``ResourceDoesNotExist`` (404),
  ``InvalidAccessToken`` (401 with ``WWW-Authenticate``), ``Unauthorized`` (401 without it),
  ``BadRequest`` (400).

Memberships and group categories have their own modules (``test_canvasapi_memberships.py``,
``test_canvasapi_categories.py``). Not covered: the group sub-resources canvasapi offers that are
not Groups-API routes (front page, pages, discussion topics, folders, tabs, collaborations, content
migrations/exports, external feeds, usage rights).

A canvasapi quirk these tests pin down: list methods put their kwargs in ``_kwargs`` and
``PaginatedList`` then appends its own ``per_page=100``, so ``course.get_groups(per_page=2)``
sends ``per_page=2&per_page=100`` and Canvas (Rails: last value wins) answers with pages of 100.
Small pages are therefore asked for by building the ``PaginatedList`` with ``per_page=2`` itself,
which is what canvasapi does when ``per_page`` reaches it directly.

Against a real Canvas (see ``conftest.py``) the tests that rely on the default world or the
mock's store are skipped; the others create community groups and delete them afterwards.
"""

from __future__ import annotations

import math

import pytest
from canvasapi.course import Course
from canvasapi.exceptions import BadRequest, InvalidAccessToken, ResourceDoesNotExist, Unauthorized
from canvasapi.group import Group
from canvasapi.paginated_list import PaginatedList
from canvasapi.user import User
from canvasapi.util import combine_kwargs

# -- the default world (mockcanvas/datasets/default.yaml) ---------------------------------------
TEACHER_ID = 2
STUDENT_ID = 6  # Sam Student (login "student"), leader of Project Group 1
STUDENT2_ID = 7  # Stella Student, Project Group 2 and Study Buddies (moderator)
OUTSIDER_ID = 20
PG1, PG2, PG3, STUDY_BUDDIES, TEAM1, TEAM2, ENTHUSIASTS, CURRICULUM = range(1, 9)
PROJECTS_CATEGORY = 1
COMMUNITIES_CATEGORY = 4
COURSE_STUDENTS = {STUDENT_ID, STUDENT2_ID, *range(8, 20)}
UNASSIGNED_STUDENTS = set(range(14, 20))  # in no project group
COURSE1_GROUPS = [(PG1, "Project Group 1"), (PG2, "Project Group 2"), (PG3, "Project Group 3"),
                  (STUDY_BUDDIES, "Study Buddies"), (TEAM1, "Team 1"), (TEAM2, "Team 2")]


# -- helpers ----------------------------------------------------------------------------------
def requester(canvas):
    return canvas._Canvas__requester


def small_pages(canvas, cls, path, per_page=2, **params):
    """canvasapi's own PaginatedList with ``per_page`` handed to it directly (see module docstring)."""
    return PaginatedList(cls, requester(canvas), "GET", path, per_page=per_page,
                         _kwargs=combine_kwargs(**params))


def member_states(store, group_id):
    with store.lock:
        return {m.user_id: m.workflow_state for m in store.memberships.live(group_id)}


def group_row(store, group_id):
    with store.lock:
        return store.get("groups", group_id)


def user_ids(users):
    return [u.id for u in users]


def api_calls(log, suffix):
    return [e for e in log if e.path.endswith(suffix)]


@pytest.fixture
def community(teacher, created_groups):
    """A fresh community group created by the teacher (so the teacher is its moderator)."""
    group = teacher.create_group(name="Contract Test Community", description="made by canvasapi")
    created_groups.append(group.id)
    return group


# -- the workflow -----------------------------------------------------------------------------
def test_teacher_rearranges_project_groups_and_students_see_it(
        teacher, student, student2, mock_store, course_id, http_log):
    """A teacher tidies the project groups of course 1: finds who is in no project group, puts
    two of them in Project Group 3 and makes one its leader, renames Project Group 1, dissolves
    Project Group 2; the students then read their groups."""
    course = teacher.get_course(course_id)
    projects = [g for g in course.get_groups() if g.group_category_id == PROJECTS_CATEGORY]
    assert [g.name for g in projects] == ["Project Group 1", "Project Group 2", "Project Group 3"]

    students = {u.id for u in course.get_users(enrollment_type=["student"])}
    assigned = {u.id for g in projects for u in g.get_users()}
    unassigned = sorted(students - assigned)
    assert unassigned == sorted(UNASSIGNED_STUDENTS)

    pg1, pg2, pg3 = projects
    current = [u.id for u in pg3.get_users()]
    new_members = current + unassigned[:2]
    edited = pg3.edit(members=new_members)
    assert edited.members_count == 4
    edited = pg3.edit(leader={"id": unassigned[0]})
    assert edited.leader["id"] == unassigned[0]

    renamed = pg1.edit(name="Project Group 1: Robots", description="We build robots.")
    assert (renamed.name, renamed.description) == ("Project Group 1: Robots", "We build robots.")

    log = http_log(teacher)
    pg2.delete()
    assert [(e.method, e.path, e.status) for e in log] == [("DELETE", f"/api/v1/groups/{PG2}", 200)]

    # what the teacher now reads back
    assert [(g.id, g.name) for g in course.get_groups() if g.group_category_id == PROJECTS_CATEGORY] == [
        (PG1, "Project Group 1: Robots"), (PG3, "Project Group 3")]
    assert sorted(user_ids(teacher.get_group(PG3).get_users())) == sorted(new_members)

    # what the students read
    sam_groups = list(student.get_current_user().get_groups())
    assert [(g.id, g.name) for g in sam_groups] == [(PG1, "Project Group 1: Robots")]
    assert sam_groups[0].leader["id"] == STUDENT_ID
    assert [g.id for g in student2.get_current_user().get_groups()] == [STUDY_BUDDIES]
    with pytest.raises(ResourceDoesNotExist):
        student2.get_group(PG2)

    # and what the mock holds
    assert group_row(mock_store, PG2).workflow_state == "deleted"
    assert group_row(mock_store, PG3).leader_id == unassigned[0]
    assert set(member_states(mock_store, PG3)) == set(new_members)
    assert group_row(mock_store, PG1).name == "Project Group 1: Robots"


# -- users, courses, sections -----------------------------------------------------------------
def test_current_user_is_users_self(teacher, http_log):
    log = http_log(teacher)
    me = teacher.get_current_user()
    again = teacher.get_user("self")
    assert [(e.method, e.path) for e in log] == [("GET", "/api/v1/users/self")] * 2
    assert isinstance(me.id, int) and isinstance(me.name, str) and me.name
    assert (again.id, again.name) == (me.id, me.name)
    assert teacher.get_user(me.id).id == me.id


def test_users_of_the_default_world(teacher, student, admin, mock_only):
    me = teacher.get_current_user()
    assert (me.id, me.name) == (TEACHER_ID, "Terry Teacher")
    sam = admin.get_user(STUDENT_ID)
    assert (sam.id, sam.name) == (STUDENT_ID, "Sam Student")
    # 2025 Canvas: only the user and admins over them may read /users/:id; anyone else gets 404
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_user(STUDENT_ID)
    with pytest.raises(ResourceDoesNotExist):
        student.get_user(OUTSIDER_ID)


def test_get_course(teacher, course_id):
    course = teacher.get_course(course_id)
    assert course.id == course_id
    assert isinstance(course.name, str) and course.name
    assert isinstance(course.course_code, str) and course.course_code


def test_get_course_of_the_default_world(teacher, student, student2, mock_only):
    course = teacher.get_course(1)
    assert (course.name, course.course_code) == ("Introduction to Mocking", "MOCK101")
    assert teacher.get_course("MOCK101-2024", use_sis_id=True).id == 1
    assert student.get_course(2).name == "Advanced Mocking"
    with pytest.raises(Unauthorized):
        student2.get_course(2)  # not enrolled there
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_course(999)


def test_course_sections(teacher, course_id, mock_only):
    sections = list(teacher.get_course(course_id).get_sections(include=["total_students"]))
    assert [(s.id, s.name, s.total_students) for s in sections] == [
        (1, "Section A", 7), (2, "Section B", 7)]


def test_course_get_users_students_only(target, teacher, course_id, http_log):
    me = teacher.get_current_user()
    log = http_log(teacher)
    users = list(teacher.get_course(course_id).get_users(enrollment_type=["student"]))
    calls = api_calls(log, "/search_users")
    assert calls and calls[0].path == f"/api/v1/courses/{course_id}/search_users"
    assert calls[0].query["enrollment_type[]"] == ["student"]
    ids = user_ids(users)
    assert len(ids) == len(set(ids))
    assert me.id not in ids
    if target.is_mock:
        assert set(ids) == COURSE_STUDENTS


# -- reading groups ---------------------------------------------------------------------------
def test_get_group(teacher, mock_only):
    group = teacher.get_group(PG1, include=["users"])
    assert (group.id, group.name, group.course_id, group.group_category_id) == (
        PG1, "Project Group 1", 1, PROJECTS_CATEGORY)
    assert group.members_count == 3
    assert group.leader["id"] == STUDENT_ID
    assert sorted(u["id"] for u in group.users) == [STUDENT_ID, 8, 9]
    assert teacher.get_group("PG-1", use_sis_id=True).id == PG1


def test_get_unknown_group_is_resource_does_not_exist(teacher, http_log):
    log = http_log(teacher)
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_group(987654321)
    assert [(e.path, e.status) for e in log] == [("/api/v1/groups/987654321", 404)]


def test_course_get_groups(teacher, student, target, mock_only):
    groups = list(teacher.get_course(1).get_groups())
    assert [(g.id, g.name) for g in groups] == COURSE1_GROUPS
    own = list(student.get_course(1).get_groups(only_own_groups=True))
    assert [g.id for g in own] == [PG1]
    outsider = target.client("outsider")
    with pytest.raises(Unauthorized):
        list(Course(requester(outsider), {"id": 1}).get_groups())


def test_account_get_groups(admin, target, account_id, http_log):
    log = http_log(admin)
    account = admin.get_account(account_id)
    groups = list(account.get_groups())
    assert api_calls(log, "/groups")[0].path == f"/api/v1/accounts/{account.id}/groups"
    assert all(g.context_type == "Account" and g.account_id == account.id for g in groups)
    if target.is_mock:
        assert account.name == "Mock University"
        assert sorted((g.id, g.name) for g in groups) == [
            (ENTHUSIASTS, "Mock Enthusiasts"), (CURRICULUM, "Curriculum Committee")]


def test_only_admins_read_an_account(teacher, student, mock_only):
    # a teacher of a course in the account gets its read-only form (AccountsController#show)
    assert not hasattr(teacher.get_account(1), "default_storage_quota_mb")
    with pytest.raises(Unauthorized):
        student.get_account(1)


def test_current_user_groups(teacher, student2, mock_only, http_log):
    log = http_log(student2)
    me = student2.get_current_user()
    groups = list(me.get_groups())
    assert api_calls(log, "/groups")[0].path == "/api/v1/users/self/groups"
    assert [(g.id, g.name) for g in groups] == [(PG2, "Project Group 2"), (STUDY_BUDDIES, "Study Buddies")]
    assert [g.id for g in me.get_groups(context_type="Course")] == [PG2, STUDY_BUDDIES]
    assert list(me.get_groups(context_type="Account")) == []
    assert [g.id for g in teacher.get_current_user().get_groups()] == [CURRICULUM]


def test_group_users_search_term(teacher, mock_only, http_log):
    group = teacher.get_group(PG1)
    log = http_log(teacher)
    found = list(group.get_users(search_term="Sam"))
    assert log[-1].query["search_term"] == ["Sam"]
    assert [(u.id, u.name) for u in found] == [(STUDENT_ID, "Sam Student")]
    assert sorted(user_ids(group.get_users(search_term="student"))) == [STUDENT_ID, 8, 9]  # logins
    assert list(group.get_users(search_term="Stella")) == []  # not a member of this group
    with pytest.raises(BadRequest) as exc:
        list(group.get_users(search_term="S"))
    assert "2 or more characters is required" in str(exc.value)


def test_activity_stream_summary(teacher, student, mock_only):
    def rows(canvas):
        summary = canvas.get_group(PG1).get_activity_stream_summary()
        return sorted((r["type"], r["count"], r["unread_count"]) for r in summary)

    assert rows(teacher) == [("Announcement", 1, 1), ("DiscussionTopic", 1, 1)]
    assert rows(student) == [("Announcement", 1, 0), ("DiscussionTopic", 1, 1)]  # Sam read the welcome


def test_activity_stream_summary_of_a_new_group_is_empty(community):
    assert community.get_activity_stream_summary() == []


# -- pagination -------------------------------------------------------------------------------
def test_per_page_kwarg_is_overridden_by_canvasapi(teacher, course_id, http_log):
    course = teacher.get_course(course_id)
    log = http_log(teacher)
    groups = list(course.get_groups(per_page=2))
    calls = api_calls(log, "/groups")
    assert calls[0].query["per_page"] == ["2", "100"]
    if len(groups) <= 2:
        pytest.skip("the course needs more than 2 groups to show the page size")
    assert len(calls) == 1  # Rails keeps the last per_page: one page of up to 100
    assert len({g.id for g in groups}) == len(groups)


def test_small_pages_of_course_groups(target, teacher, course_id, http_log):
    expected = [g.id for g in teacher.get_course(course_id).get_groups()]
    if len(expected) <= 2:
        pytest.skip("the course needs more than 2 groups for several pages")
    log = http_log(teacher)
    got = [g.id for g in small_pages(teacher, Group, f"courses/{course_id}/groups")]
    assert got == expected  # every group, once, in the same order
    calls = api_calls(log, "/groups")
    assert len(calls) == math.ceil(len(expected) / 2)
    assert [c.query.get("page") for c in calls[1:]] == [[str(n)] for n in range(2, len(calls) + 1)]
    assert all(c.query["per_page"] == ["2"] for c in calls)
    if target.is_mock:
        assert len(calls) == 3


def test_small_pages_keep_the_filter(target, teacher, course_id, http_log):
    expected = user_ids(teacher.get_course(course_id).get_users(enrollment_type=["student"]))
    if len(expected) <= 2:
        pytest.skip("the course needs more than 2 students for several pages")
    log = http_log(teacher)
    got = user_ids(small_pages(teacher, User, f"courses/{course_id}/search_users", enrollment_type=["student"]))
    assert got == expected
    # the links name the action's route, /users (canvas-facts-courses-users 1), and the list has no
    # total: a full last page links one more, empty page
    calls = api_calls(log, "/search_users") + api_calls(log, f"/courses/{course_id}/users")
    assert len(calls) == len(expected) // 2 + 1
    assert all(c.query["enrollment_type[]"] == ["student"] for c in calls)  # carried in every Link
    if target.is_mock:
        assert len(calls) == 8


def test_small_pages_of_my_groups(target, teacher, created_groups, http_log):
    made = []
    for letter in "ABC":
        group = teacher.create_group(name=f"Contract Paging {letter}")
        created_groups.append(group.id)
        made.append(group.id)
    expected = [g.id for g in teacher.get_current_user().get_groups()]
    assert set(made) <= set(expected)
    log = http_log(teacher)
    got = [g.id for g in small_pages(teacher, Group, "users/self/groups")]
    assert got == expected
    calls = api_calls(log, "/groups")
    assert len(calls) == math.ceil(len(expected) / 2)
    assert all(c.query["per_page"] == ["2"] for c in calls)
    if target.is_mock:
        assert len(expected) == 4  # Curriculum Committee and the three new communities
        assert all(c.query["page"][0].startswith("bookmark:") for c in calls[1:])


def test_small_pages_of_group_users(teacher, mock_only, http_log):
    log = http_log(teacher)
    got = user_ids(small_pages(teacher, User, f"groups/{PG1}/users"))
    assert sorted(got) == [STUDENT_ID, 8, 9] and len(got) == 3
    assert len(api_calls(log, "/users")) == 2


# -- creating, editing, deleting --------------------------------------------------------------
def test_create_group_makes_a_community(target, teacher, created_groups, http_log):
    me = teacher.get_current_user()
    log = http_log(teacher)
    group = teacher.create_group(name="Mock Readers", description="We read mocks.", is_public=True,
                                 join_level="parent_context_auto_join")
    created_groups.append(group.id)
    call = log[-1]
    assert (call.method, call.path, call.status) == ("POST", "/api/v1/groups", 200)
    assert call.form["name"] == ["Mock Readers"] and call.form["is_public"] == ["true"]
    assert isinstance(group.id, int)
    assert (group.name, group.description, group.is_public) == ("Mock Readers", "We read mocks.", True)
    assert group.join_level == "parent_context_auto_join"
    assert group.context_type == "Account"
    assert group.members_count == 1  # the creator
    assert [u["id"] for u in group.users] == [me.id]

    again = teacher.get_group(group.id)
    assert (again.id, again.name, again.account_id) == (group.id, "Mock Readers", group.account_id)
    assert group.id in [g.id for g in teacher.get_current_user().get_groups()]
    if target.is_mock:
        row = group_row(target.server.store, group.id)
        assert (row.context_type, row.context_id, row.group_category_id) == ("Account", 1, COMMUNITIES_CATEGORY)
        with target.server.store.lock:
            m = target.server.store.memberships.of_pair(group.id, TEACHER_ID)
        assert (m.workflow_state, m.moderator) == ("accepted", True)


def test_create_group_with_an_empty_name_is_bad_request(teacher):
    before = [g.id for g in teacher.get_current_user().get_groups()]
    with pytest.raises(BadRequest) as exc:
        teacher.create_group(name="")
    assert "Name is required" in str(exc.value)
    assert [g.id for g in teacher.get_current_user().get_groups()] == before


def test_edit_name_and_description(teacher, community, http_log):
    log = http_log(teacher)
    edited = community.edit(name="Renamed Community", description="new words")
    assert (log[-1].method, log[-1].path) == ("PUT", f"/api/v1/groups/{community.id}")
    assert (edited.id, edited.name, edited.description) == (community.id, "Renamed Community", "new words")
    again = teacher.get_group(community.id)
    assert (again.name, again.description) == ("Renamed Community", "new words")


def test_edit_with_an_empty_name_is_bad_request(teacher, community):
    with pytest.raises(BadRequest) as exc:
        community.edit(name="")
    assert "Name is required" in str(exc.value)
    assert teacher.get_group(community.id).name == community.name


def test_edit_members_and_leader(teacher, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    log = http_log(teacher)
    edited = pg1.edit(members=[STUDENT_ID, STUDENT2_ID, 14])
    assert log[-1].form["members[]"] == [str(STUDENT_ID), str(STUDENT2_ID), "14"]
    assert edited.members_count == 3
    assert sorted(user_ids(pg1.get_users())) == [STUDENT_ID, STUDENT2_ID, 14]
    # one project group per student: Stella left Project Group 2
    assert sorted(user_ids(teacher.get_group(PG2).get_users())) == [10, 11]
    assert member_states(mock_store, PG1) == {STUDENT_ID: "accepted", STUDENT2_ID: "accepted", 14: "accepted"}

    edited = pg1.edit(leader={"id": STUDENT2_ID})
    assert log[-1].form["leader[id]"] == [str(STUDENT2_ID)]
    assert edited.leader["id"] == STUDENT2_ID
    assert teacher.get_group(PG1).leader["id"] == STUDENT2_ID

    with pytest.raises(BadRequest):
        pg1.edit(leader={"id": 8})  # no longer a member
    assert teacher.get_group(PG1).leader["id"] == STUDENT2_ID
    assert group_row(mock_store, PG1).leader_id == STUDENT2_ID


def test_edit_members_beyond_max_membership_skips_the_rest(teacher, mock_store):
    """Group#set_users invites in order and quietly leaves out whoever no longer fits."""
    pg3 = teacher.get_group(PG3)  # max_membership 4, members 12 and 13
    edited = pg3.edit(members=[12, 13, 14, 15, 16])
    assert edited.members_count == 4
    assert sorted(user_ids(pg3.get_users())) == [12, 13, 14, 15]
    assert set(member_states(mock_store, PG3)) == {12, 13, 14, 15}


def test_delete_group(teacher, mock_store, http_log):
    pg3 = teacher.get_group(PG3)
    log = http_log(teacher)
    deleted = pg3.delete()
    assert [(e.method, e.path, e.status) for e in log] == [("DELETE", f"/api/v1/groups/{PG3}", 200)]
    assert (deleted.id, deleted.name) == (PG3, "Project Group 3")
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_group(PG3)
    assert PG3 not in [g.id for g in teacher.get_course(1).get_groups()]
    assert group_row(mock_store, PG3).workflow_state == "deleted"


def test_delete_community(teacher, community):
    deleted = community.delete()
    assert deleted.id == community.id
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_group(community.id)
    assert community.id not in [g.id for g in teacher.get_current_user().get_groups()]


def test_student_may_not_delete_a_course_group(teacher, student, http_log):
    mine = list(student.get_current_user().get_groups(context_type="Course"))
    if not mine:
        pytest.skip("the student is in no course group")
    group = mine[0]
    log = http_log(student)
    with pytest.raises(Unauthorized):
        group.delete()
    assert (log[-1].method, log[-1].status) == ("DELETE", 401)
    assert "WWW-Authenticate" not in log[-1].headers  # a permission denial, not a bad token
    assert teacher.get_group(group.id).name == group.name


def test_bad_token_is_invalid_access_token(target, http_log):
    canvas = target.client_for_token("not-a-real-token")
    log = http_log(canvas)
    with pytest.raises(InvalidAccessToken):
        canvas.get_current_user()
    with pytest.raises(InvalidAccessToken):
        canvas.get_group(1)
    assert [e.status for e in log] == [401, 401]
    assert all("WWW-Authenticate" in e.headers for e in log)


# -- invite, preview_html, upload -------------------------------------------------------------
def test_invite_to_a_course_group(teacher, mock_store, http_log):
    pg1 = teacher.get_group(PG1)
    log = http_log(teacher)
    invited = list(pg1.invite(["student14@example.edu", "student15"]))  # an e-mail and a login id
    assert (log[-1].method, log[-1].path) == ("POST", f"/api/v1/groups/{PG1}/invite")
    assert log[-1].form["invitees[]"] == ["student14@example.edu", "student15"]
    assert sorted((m.user_id, m.group_id, m.workflow_state) for m in invited) == [
        (14, PG1, "accepted"), (15, PG1, "accepted")]  # auto-accepted outside communities
    assert sorted(user_ids(pg1.get_users())) == [STUDENT_ID, 8, 9, 14, 15]
    assert member_states(mock_store, PG1)[14] == "accepted"
    assert list(pg1.invite(["nobody@example.edu"])) == []


def test_invite_to_a_community_stays_invited(teacher, student, community, mock_store):
    invited = list(community.invite(["student@example.edu"]))
    assert [(m.user_id, m.workflow_state) for m in invited] == [(STUDENT_ID, "invited")]
    assert member_states(mock_store, community.id)[STUDENT_ID] == "invited"
    assert community.id not in [g.id for g in student.get_current_user().get_groups()]


def test_preview_html(teacher, community, http_log):
    log = http_log(teacher)
    html = community.preview_html('<p>Hello <b>group</b></p><script>alert("x")</script>')
    assert (log[-1].method, log[-1].path) == ("POST", f"/api/v1/groups/{community.id}/preview_html")
    assert "<p>Hello <b>group</b></p>" in html
    assert "<script" not in html


def test_preview_html_needs_read_access(target, mock_only):
    outsider = target.client("outsider")
    with pytest.raises(Unauthorized):
        Group(requester(outsider), {"id": PG1}).preview_html("<p>x</p>")


def test_upload_a_file_to_a_group(target, teacher, community, tmp_path, http_log):
    data = b"minutes of the first meeting\n"
    path = tmp_path / "minutes.txt"
    path.write_bytes(data)
    log = http_log(teacher)
    ok, body = community.upload(str(path))
    assert ok is True
    assert (body["display_name"], body["size"]) == ("minutes.txt", len(data))
    preflight, upload, *confirm = log
    assert (preflight.method, preflight.path, preflight.status) == (
        "POST", f"/api/v1/groups/{community.id}/files", 200)
    assert preflight.form["name"] == ["minutes.txt"] and preflight.form["size"] == [str(len(data))]
    assert "Authorization" in preflight.request_headers
    assert upload.method == "POST" and upload.status in (201, 302)  # InstFS answers the file; local storage redirects
    assert "Authorization" not in upload.request_headers  # canvasapi posts the bytes without the token
    if upload.status == 302:
        # requests follows the redirect to create_success, without a token: the uuid is the secret
        (done,) = confirm
        assert (done.method, done.path, done.status) == ("GET", f"/api/v1/files/{body['id']}/create_success", 200)
        assert "Authorization" not in done.request_headers

    file = teacher.get_file(body["id"])
    assert file.display_name == "minutes.txt"
    assert file.get_contents(binary=True) == data

    other = tmp_path / "agenda.csv"
    other.write_bytes(b"item,owner\n")
    with open(other, "rb") as handle:
        ok, body2 = community.upload(handle)
    assert ok is True and body2["display_name"] == "agenda.csv" and body2["id"] != body["id"]

    if target.is_mock:
        store = target.server.store
        with store.lock:
            att = store.get("attachments", body["id"])
            assert (att.context_type, att.context_id, att.file_state, att.data) == (
                "Group", community.id, "available", data)


def test_upload_needs_membership(target, mock_only, tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"x")
    stella = target.client("student2")  # not in Project Group 1
    with pytest.raises(Unauthorized):
        Group(requester(stella), {"id": PG1}).upload(str(path))
