"""The group answers a real Canvas 2025 gives where the first reading of canvas-lms differed
(issue 14; canvas-facts "Corrections" 3, 5, 8, 9, 10, 13 and the permission rules of
``Group#set_policy`` / ``GroupsController#users``): context_name, SIS ids on the root account's
rights, the users a non-admin sees, tabs, invitations that create users, preview_html's file
links, who may list a group's users, and member rights that need the course.

Default world: group 1 (Project Group 1, course 1, SIS PG-1) has students 6 (leader), 8, 9; group 4
(Study Buddies) is student-organized and auto-join (moderator 7); group 5 (Team 1) is in the
self-signup category 3 (member 14); group 7 (Mock Enthusiasts) is a community of account 1
(moderator: admin 1, member: outsider 20).
"""

from __future__ import annotations

import dataclasses

import pytest

UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
SIS_CREATE = {"message": "You must have manage_sis permission to set sis attributes"}
SIX_TABS = ["home", "announcements", "pages", "people", "discussions", "files"]


def ids(resp):
    return [x["id"] for x in resp.json()]


def by_sortable(store, user_ids):
    users = [store.get("users", i) for i in user_ids]
    return [u.id for u in sorted(users, key=lambda u: (u.sortable_name.casefold(), u.id))]


def set_enrollment(store, user_id, course_id, state):
    for e in list(store.all("enrollments")):
        if e.user_id == user_id and e.course_id == course_id:
            store._update("enrollments", e, workflow_state=state)


def sub_account_admin(store):
    """A new admin of account 2 (School of Science, under the root): course 2 is theirs, the root
    account is not. Returns the token."""
    user = store.insert("users", name="Sub Admin", sortable_name="Admin, Sub", short_name="Sub Admin",
                        login_id="subadmin")
    store.insert("admins", account_id=2, user_id=user.id)
    store.add_token("subadmin-token", user.id)
    return "subadmin-token"


@pytest.fixture
def settings(store):
    """Change the store's settings for one test (restored afterwards)."""
    saved = store.settings

    def change(**kw):
        store.settings = dataclasses.replace(saved, **kw)

    yield change
    store.settings = saved


# -- item 3: context_name ----------------------------------------------------------------------

def test_group_json_names_its_context(api):
    course_group = api.get("/api/v1/groups/1").json()
    assert course_group["context_name"] == "Introduction to Mocking"
    community = api.get("/api/v1/groups/7", token="admin-token").json()
    assert community["context_name"] == "Mock University"
    listed = api.get("/api/v1/courses/1/groups", token="student-token").json()
    assert {g["context_name"] for g in listed} == {"Introduction to Mocking"}


# -- item 4: SIS ids follow the root account's rights ---------------------------------------------

def test_sis_group_id_needs_sis_rights_on_the_root_account(api, store):
    teacher = api.get("/api/v1/groups/1").json()
    assert "sis_group_id" not in teacher and "sis_import_id" not in teacher
    admin = api.get("/api/v1/groups/1", token="admin-token").json()
    assert (admin["sis_group_id"], admin["sis_import_id"]) == ("PG-1", None)
    members = api.get("/api/v1/groups/1/memberships", token="admin-token").json()
    assert all(m["sis_group_id"] == "PG-1" and "sis_import_id" in m for m in members)
    assert all("sis_group_id" not in m for m in api.get("/api/v1/groups/1/memberships").json())
    cat = api.get("/api/v1/group_categories/1").json()
    assert "sis_group_category_id" not in cat
    assert api.get("/api/v1/group_categories/1", token="admin-token").json()["sis_group_category_id"] == "PG-2024"


def test_a_sub_account_admin_manages_the_course_but_not_its_sis_ids(api, store):
    token = sub_account_admin(store)
    cat = store.insert("group_categories", name="Labs", context_type="Course", context_id=2, root_account_id=1,
                       sis_group_category_id="LABS")
    group = store.insert("groups", name="Lab 1", context_type="Course", context_id=2, root_account_id=1,
                         group_category_id=cat.id, sis_group_id="LAB-1")
    g = api.get(f"/api/v1/groups/{group.id}", token=token)
    assert g.status == 200  # an admin of the course's account reads the group
    assert "sis_group_id" not in g.json() and "sis_import_id" not in g.json()
    c = api.get(f"/api/v1/group_categories/{cat.id}", token=token)
    assert c.status == 200 and "sis_group_category_id" not in c.json()
    # setting one needs manage_sis on the root account too (``@group.root_account.grants_right?``)
    before = set(store.rows["groups"])
    r = api.post(f"/api/v1/group_categories/{cat.id}/groups", token=token, data={"name": "Lab 2", "sis_group_id": "X"})
    assert r.status == 401 and r.json() == SIS_CREATE
    assert set(store.rows["groups"]) == before
    r = api.put(f"/api/v1/group_categories/{cat.id}", token=token, data={"name": "Labs", "sis_group_category_id": "Y"})
    assert r.status == 401 and r.json() == SIS_CREATE
    assert store.get("group_categories", cat.id).sis_group_category_id == "LABS"


# -- item 7: the users a non-admin sees; exclude_inactive on the enrollment -----------------------

def test_include_users_leaves_out_inactive_enrollments_for_non_admins(api, store):
    set_enrollment(store, 9, 1, "inactive")
    student = api.get("/api/v1/groups/1?include[]=users", token="student-token").json()
    assert [u["id"] for u in student["users"]] == by_sortable(store, [6, 8])
    teacher = api.get("/api/v1/groups/1?include[]=users").json()  # read_as_admin: every member
    assert [u["id"] for u in teacher["users"]] == by_sortable(store, [6, 8, 9])


def test_include_inactive_users_keeps_them_with_active(api, store):
    set_enrollment(store, 9, 1, "inactive")
    r = api.get("/api/v1/courses/1/groups?include[]=users&include_inactive_users=true", token="student-token")
    assert r.status == 200
    (g1,) = [g for g in r.json() if g["id"] == 1]
    assert {u["id"]: u["active"] for u in g1["users"]} == {6: True, 8: True, 9: False}
    plain = api.get("/api/v1/courses/1/groups?include[]=users", token="student-token").json()
    (p1,) = [g for g in plain if g["id"] == 1]
    assert [u["id"] for u in p1["users"]] == by_sortable(store, [6, 8]) and "active" not in p1["users"][0]


def test_group_users_exclude_inactive_filters_on_the_enrollment(api, store):
    set_enrollment(store, 9, 1, "inactive")
    store.insert("memberships", group_id=1, user_id=15, workflow_state="invited")
    everyone = api.get("/api/v1/groups/1/users")
    assert ids(everyone) == by_sortable(store, [6, 8, 9, 15])  # any membership state, any enrollment
    assert ids(api.get("/api/v1/groups/1/users?exclude_inactive=false")) == ids(everyone)
    active = api.get("/api/v1/groups/1/users?exclude_inactive=true")
    assert ids(active) == by_sortable(store, [6, 8])  # accepted, with an active enrollment


def test_active_status_is_about_the_course_enrollment(api, store):
    set_enrollment(store, 9, 1, "inactive")
    set_enrollment(store, 8, 1, "completed")  # not hard-inactive
    r = api.get("/api/v1/groups/1/users?include[]=active_status").json()
    assert {u["id"]: u["is_inactive"] for u in r} == {6: False, 8: False, 9: True}
    # an account's group has no course: no is_inactive at all
    community = api.get("/api/v1/groups/7/users?include[]=active_status", token="admin-token").json()
    assert all("is_inactive" not in u for u in community)


# -- item 8: tabs -----------------------------------------------------------------------------

def test_a_plain_group_shows_six_tabs(api):
    tabs = api.get("/api/v1/groups/1?include[]=tabs", token="student-token").json()["tabs"]
    assert [t["id"] for t in tabs] == SIX_TABS
    assert [t["position"] for t in tabs] == [1, 2, 3, 4, 5, 6]


def test_conferences_and_collaborations_when_configured(api, settings):
    settings(web_conferences=True)
    tabs = api.get("/api/v1/groups/1?include[]=tabs", token="student-token").json()["tabs"]
    assert [t["id"] for t in tabs] == SIX_TABS + ["conferences"]
    settings(web_conferences=True, collaborations=True)
    tabs = api.get("/api/v1/groups/1?include[]=tabs", token="student-token").json()["tabs"]
    assert [t["id"] for t in tabs] == SIX_TABS + ["conferences", "collaborations"]
    assert tabs[-1] == {"id": "collaborations", "html_url": "/groups/1/collaborations",
                        "full_url": f"{api.base_url}/groups/1/collaborations", "position": 8,
                        "visibility": "public", "label": "Collaborations", "type": "internal"}
    # only for a reader: someone who may only join sees the six
    teams = api.get("/api/v1/users/self/groups?include[]=tabs", token="student-token").json()
    assert all(len(g["tabs"]) == 8 for g in teams)


# -- item 9: invite creates users for unknown e-mail addresses -------------------------------------

def test_invite_creates_pre_registered_users(api, store):
    before = set(store.rows["users"])
    r = api.post("/api/v1/groups/7/invite", token="admin-token",
                 data={"invitees[]": ["new.person@example.edu", '"Jane Doe" <jane@example.edu>', "no-such-login"]})
    assert r.status == 200
    new = sorted(set(store.rows["users"]) - before)
    assert len(new) == 2
    users = [store.get("users", i) for i in new]
    assert [(u.name, u.sortable_name, u.email, u.workflow_state, u.account_id) for u in users] == [
        ("new.person@example.edu", "new.person@example.edu", "new.person@example.edu", "pre_registered", 1),
        ("Jane Doe", "Doe, Jane", "jane@example.edu", "pre_registered", 1)]
    assert [(m["user_id"], m["workflow_state"]) for m in r.json()] == [(new[0], "invited"), (new[1], "invited")]
    # the same address again finds the user made the first time
    again = api.post("/api/v1/groups/7/invite", token="admin-token", data={"invitees[]": ["NEW.person@example.edu"]})
    assert [m["user_id"] for m in again.json()] == [new[0]]
    assert len(set(store.rows["users"]) - before) == 2


# -- item 12: preview_html gives the group's file links their verifier ---------------------------

def _file(store, group_id, name="notes.txt"):
    now = store.now()
    return store.insert("attachments", context_type="Group", context_id=group_id, user_id=6, display_name=name,
                        filename=name, content_type="text/plain", size=3, data=b"abc", file_state="available",
                        workflow_state="processed", created_at=now, updated_at=now)


def test_preview_html_rewrites_file_links_with_the_real_verifier(api, store):
    mine, theirs = _file(store, 1), _file(store, 2)
    html = (f'<a href="/groups/1/files/{mine.id}/download?verifier=stale&amp;wrap=1">notes</a>'
            f'<img src="/files/{mine.id}/preview">'
            f'<a href="/groups/1/files/{mine.id}">bare</a>'
            f'<a href="/groups/2/files/{theirs.id}/download">theirs</a>'
            f'<a href="/groups/1/files/99999/download">gone</a>')
    r = api.post("/api/v1/groups/1/preview_html", token="student-token", data={"html": html})
    assert r.status == 200
    base = api.base_url
    assert r.json()["html"] == (
        f'<a href="{base}/groups/1/files/{mine.id}/download?verifier={mine.uuid}">notes</a>'
        f'<img src="{base}/groups/1/files/{mine.id}/preview?verifier={mine.uuid}">'
        f'<a href="{base}/groups/1/files/{mine.id}/download?verifier={mine.uuid}">bare</a>'
        f'<a href="{base}/groups/2/files/{theirs.id}/download">theirs</a>'
        f'<a href="{base}/groups/1/files/99999/download">gone</a>')


# -- item 14: a group's users need read --------------------------------------------------------

@pytest.mark.parametrize("group_id", [4, 5])  # student-organized auto-join; self-signup team
def test_who_may_only_join_may_not_list_the_users(api, group_id):
    r = api.get(f"/api/v1/groups/{group_id}/users", token="student-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert api.get(f"/api/v1/groups/{group_id}/memberships", token="student-token").status == 200  # read_roster


def test_a_teacher_of_another_course_may_not_list_the_users(api, store):
    user = store.insert("users", name="Other Teacher", sortable_name="Teacher, Other", short_name="Other Teacher")
    store.insert("enrollments", user_id=user.id, course_id=2, course_section_id=3, type="TeacherEnrollment")
    store.add_token("other-teacher", user.id)
    r = api.get("/api/v1/groups/1/users", token="other-teacher")
    assert r.status == 401 and r.json() == UNAUTHORIZED


# -- item 15: member rights need the course; invite only participants ------------------------------

def test_a_member_whose_enrollment_ended_loses_the_member_rights(api, store):
    assert api.get("/api/v1/groups/1", token="student-token").status == 200
    set_enrollment(store, 6, 1, "completed")
    for path in ("/api/v1/groups/1", "/api/v1/groups/1/users", "/api/v1/groups/1/memberships",
                 "/api/v1/groups/1/activity_stream"):
        r = api.get(path, token="student-token")
        assert r.status == 401 and r.json() == UNAUTHORIZED, path
    # the leader's update right goes too
    r = api.put("/api/v1/groups/1", token="student-token", data={"name": "Mine"})
    assert r.status == 401 and store.get("groups", 1).name == "Project Group 1"


def test_invite_leaves_out_people_outside_the_course(api, store):
    r = api.post("/api/v1/groups/1/invite", data={"invitees[]": ["outsider@example.edu", "student15"]})
    assert r.status == 200
    assert [m["user_id"] for m in r.json()] == [15]
    assert store.memberships.of_pair(1, 20) is None
