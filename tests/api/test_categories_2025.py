"""Group categories as a real Canvas 2025 answers them (canvas-facts Corrections 4, 5, 6 and 12):
``self_signup_end_at`` and no ``non_collaborative`` in the JSON, SIS ids on the root account's
rights, the job Progress ``queued`` when created, and ``split_group_count`` on a PUT distributing the
students in every kind of category.

Default world: category 1 "Project Groups" (SIS PG-2024) has groups 1-3 and students 14-19
unassigned; 2 "Student Groups" is student-organized (group 4: 7); 4 "Communities" belongs to
account 1. Course 1 has students 6-19.
"""

from __future__ import annotations

import pytest

STUDENTS = list(range(6, 20))


def live_groups(store, cat_id):
    return sorted((g for g in store.all("groups") if g.group_category_id == cat_id and g.workflow_state != "deleted"),
                  key=lambda g: g.id)


def accepted(store, group_id):
    return sorted(m.user_id for m in store.all("memberships")
                  if m.group_id == group_id and m.workflow_state == "accepted")


# -- item 3: the category JSON ------------------------------------------------------------------

def test_category_json_has_self_signup_end_at_and_no_non_collaborative(api):
    cat = api.get("/api/v1/group_categories/1").json()
    assert cat["self_signup_end_at"] is None
    assert "non_collaborative" not in cat
    listed = api.get("/api/v1/courses/1/group_categories").json()
    assert all("non_collaborative" not in c and c["self_signup_end_at"] is None for c in listed)


def test_self_signup_end_at_is_set_and_cleared(api, store):
    r = api.put("/api/v1/group_categories/3", data={"name": "Self Sign-up Teams", "self_signup": "enabled",
                                                    "group_limit": "3", "self_signup_end_at": "2026-12-31T23:59:00Z"})
    assert r.status == 200 and r.json()["self_signup_end_at"] == "2026-12-31T23:59:00Z"
    # an offset is kept as the same instant, shown in UTC
    r = api.put("/api/v1/group_categories/3", data={"self_signup": "enabled", "self_signup_end_at": "2027-01-01T01:00:00+02:00"})
    assert r.json()["self_signup_end_at"] == "2026-12-31T23:00:00Z"
    # absent: kept; blank or not a time: cleared
    assert api.put("/api/v1/group_categories/3", data={"self_signup": "enabled"}).json()["self_signup_end_at"] \
        == "2026-12-31T23:00:00Z"
    assert api.put("/api/v1/group_categories/3", data={"self_signup_end_at": "soon"}).json()["self_signup_end_at"] is None


def test_non_collaborative_is_accepted_but_not_shown(api, store):
    r = api.post("/api/v1/courses/1/group_categories", data={"name": "Quiet", "non_collaborative": "true"})
    assert r.status == 200 and "non_collaborative" not in r.json()
    assert store.get("group_categories", r.json()["id"]).non_collaborative is True


# -- item 4: SIS ids ----------------------------------------------------------------------------

def test_sis_group_category_id_only_with_sis_rights_on_the_root_account(api):
    assert "sis_group_category_id" not in api.get("/api/v1/group_categories/1").json()
    admin = api.get("/api/v1/group_categories/1", token="admin-token").json()
    assert (admin["sis_group_category_id"], admin["sis_import_id"]) == ("PG-2024", None)
    groups = api.get("/api/v1/group_categories/1/groups").json()
    assert all("sis_group_id" not in g for g in groups)
    groups = api.get("/api/v1/group_categories/1/groups", token="admin-token").json()
    assert [g["sis_group_id"] for g in groups] == ["PG-1", None, None]


# -- item 5: the job's Progress is queued when created -------------------------------------------

@pytest.mark.canvas_progress("polls:2")
def test_assignment_progress_queued_then_running_then_completed(api, store):
    created = api.post("/api/v1/group_categories/1/assign_unassigned_members").json()
    assert (created["workflow_state"], created["completion"]) == ("queued", 0)
    first = api.get(f"/api/v1/progress/{created['id']}").json()
    assert first["workflow_state"] == "running"
    second = api.get(f"/api/v1/progress/{created['id']}").json()
    assert (second["workflow_state"], second["completion"]) == ("completed", 100)


def test_import_progress_is_queued(api, store):
    store.progress.set_policy("manual")
    r = api.post("/api/v1/group_categories/1/import", data=b"canvas_user_id,group_name\n14,Project Group 1\n",
                 headers={"Content-Type": "text/csv"})
    assert r.status == 200 and (r.json()["tag"], r.json()["workflow_state"]) == ("course_group_import", "queued")
    cat = api.get("/api/v1/group_categories/1").json()
    assert cat["progress"]["workflow_state"] == "queued"  # includes[]=progress_url: pending


# -- item 11: split_group_count on a PUT, in every kind of category --------------------------------

def test_split_group_count_distributes_a_student_organized_category(api, store):
    before = {m.id for m in store.all("memberships")}
    r = api.put("/api/v1/group_categories/2", data={"split_group_count": "3"})
    assert r.status == 200
    groups = live_groups(store, 2)
    assert [g.name for g in groups] == ["Study Buddies", "Student Group 1", "Student Group 2", "Student Group 3"]
    # everyone counts as unassigned in a category of many memberships: each student gets one new
    # membership, among all the category's groups, smallest first (7 is in Study Buddies already)
    added = [m for m in store.all("memberships") if m.id not in before]
    assert sorted(m.user_id for m in added) == STUDENTS
    assert all(not (m.user_id == 7 and m.group_id == 4) for m in added)
    assert sorted(len(accepted(store, g.id)) for g in groups) == [3, 4, 4, 4]


def test_split_group_count_distributes_a_teacher_made_category(api, store):
    r = api.put("/api/v1/group_categories/1", data={"name": "Project Groups", "split_group_count": "2"})
    assert r.status == 200
    groups = live_groups(store, 1)
    assert len(groups) == 5
    placed = sorted(u for g in groups for u in accepted(store, g.id))
    assert placed == STUDENTS  # the unassigned 14-19 joined the smallest groups


def test_assign_unassigned_members_still_refuses_a_student_organized_category(api, store):
    before = store.changed_rows
    r = api.post("/api/v1/group_categories/2/assign_unassigned_members", data={"sync": "true"})
    assert r.status == 400 and r.json() == {}
    assert store.changed_rows == before


# -- the Communities category Canvas makes ------------------------------------------------------

def test_a_communities_category_is_made_without_self_signup(api, store):
    store._update("group_categories", store.get("group_categories", 4), deleted_at=store.now())
    g = api.post("/api/v1/groups", token="student-token", data={"name": "Chess Club"})
    assert g.status == 200
    cat = g.json()["group_category"]
    assert (cat["name"], cat["role"], cat["self_signup"]) == ("Communities", "communities", None)
