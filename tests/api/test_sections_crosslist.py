"""Cross-listing: POST /sections/:id/crosslist/:new_course_id and DELETE /sections/:id/crosslist
(SectionsController#crosslist / #uncrosslist, CourseSection#crosslist_to_course / #uncrosslist),
and what a moved section does to the group rules that read sections (restricted self-signup,
group_by_section).

Default world: the teacher (user 2) teaches courses 1 and 2; the TA and designer are in course 1
only; course 4 is concluded (the teacher's enrollment there is completed).
"""

from __future__ import annotations

import pytest
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

NOT_CROSSLISTED = {"message": "section is not cross-listed"}


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def mark(store):
    return store.version, len(store.live_events.all())


def unchanged(store, since):
    assert store.version == since[0], "the request wrote to the store"
    assert len(store.live_events.all()) == since[1]


def section_enrollments(store, section_id):
    return store.sections.enrollments(store.get("sections", section_id))


def test_crosslist_moves_the_section_and_its_enrollments(api, store):
    moved = section_enrollments(store, 2)
    assert moved and {e.course_id for e in moved} == {1}
    r = api.post("/api/v1/sections/2/crosslist/2")
    assert r.status == 200
    body = r.json()
    assert (body["id"], body["course_id"], body["nonxlist_course_id"], body["name"]) == (2, 2, 1, "Section B")
    assert list(body)[:8] == ["id", "course_id", "name", "start_at", "end_at", "created_at",
                              "restrict_enrollments_to_section_dates", "nonxlist_course_id"]
    assert body["sis_course_id"] is None  # the current course's SIS id (course 2 has none)
    assert {e.course_id for e in section_enrollments(store, 2)} == {2}
    assert [s["id"] for s in api.get("/api/v1/courses/2/sections").json()] == [3, 2]  # by name
    assert [s["id"] for s in api.get("/api/v1/courses/1/sections").json()] == [1]
    assert api.get("/api/v1/courses/1/sections/2").json() == NOT_FOUND
    assert api.get("/api/v1/courses/2/sections/2").status == 200
    # one section event, local ids; the enrollments moved in bulk: no enrollment events
    (event,) = store.live_events.all()
    assert event.name == "course_section_updated"
    assert (event.body["course_section_id"], event.body["course_id"], event.body["nonxlist_course_id"],
            event.body["default_section"], event.body["workflow_state"]) == ("2", "2", "1", False, "active")


def test_students_of_a_moved_section_leave_the_course_lists(api, store):
    r = api.get("/api/v1/courses/1/sections/1?include[]=total_students")
    assert r.json()["total_students"] == 7
    api.post("/api/v1/sections/2/crosslist/2")
    r = api.get("/api/v1/courses/2/sections/2?include[]=total_students&include[]=students")
    assert r.json()["total_students"] == 7
    assert [s["id"] for s in r.json()["students"]] == [7, 9, 11, 13, 15, 17, 19]
    # student 7 is now a student of course 2, no longer of course 1
    assert api.get("/api/v1/courses/2/sections", token="student2-token").status == 200
    assert api.get("/api/v1/courses/1/sections", token="student2-token").json() == UNAUTHORIZED


def test_uncrosslist_moves_it_back(api, store):
    api.post("/api/v1/sections/2/crosslist/2")
    store.live_events.clear()
    r = api.delete("/api/v1/sections/2/crosslist")
    assert r.status == 200
    assert (r.json()["course_id"], r.json()["nonxlist_course_id"]) == (1, None)
    assert {e.course_id for e in section_enrollments(store, 2)} == {1}
    assert [s["id"] for s in api.get("/api/v1/courses/1/sections").json()] == [1, 2]
    assert store.live_events.names() == ["course_section_updated"]
    assert store.live_events.all()[0].body["nonxlist_course_id"] is None


def test_repeated_crosslisting_keeps_the_original_course(api, store):
    other = store.insert("courses", name="Third", course_code="T3", account_id=1, root_account_id=1)
    assert api.post("/api/v1/sections/2/crosslist/2", token="admin-token").status == 200
    r = api.post(f"/api/v1/sections/2/crosslist/{other.id}", token="admin-token")
    assert (r.json()["course_id"], r.json()["nonxlist_course_id"]) == (other.id, 1)
    # into a course without sections: it becomes the default section there
    assert store.get("sections", 2).default_section is True
    assert api.delete("/api/v1/sections/2/crosslist", token="admin-token").json()["course_id"] == 1


def test_crosslist_into_its_own_course_is_a_no_op(api, store):
    before = mark(store)
    r = api.post("/api/v1/sections/2/crosslist/1")
    assert (r.status, r.json()["course_id"], r.json()["nonxlist_course_id"]) == (200, 1, None)
    unchanged(store, before)


def test_destination_by_sis_id_and_json_suffix(api, store):
    store._update("courses", store.get("courses", 2), sis_course_id="ADV-1")
    r = api.post("/api/v1/sections/sis_section_id:MOCK101-B/crosslist/sis_course_id:ADV-1.json")
    assert (r.status, r.json()["course_id"]) == (200, 2)


@pytest.mark.parametrize("dest", ["999", "sis_course_id:none", "18446744073709551616", "deleted", "foreign"])
def test_unknown_destination_is_404(api, store, dest):
    if dest == "deleted":
        store._update("courses", store.get("courses", 2), workflow_state="deleted")
        dest = "2"
    elif dest == "foreign":  # a course of another root account
        root = store.insert("accounts", name="Other root")
        dest = str(store.insert("courses", name="Foreign", course_code="F", account_id=root.id,
                                root_account_id=root.id).id)
    before = mark(store)
    r = api.post(f"/api/v1/sections/2/crosslist/{dest}", token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    unchanged(store, before)


def test_unknown_section_is_404(api, store):
    for path in ("/api/v1/sections/999/crosslist/2", "/api/v1/sections/sis_section_id:x/crosslist/2"):
        r = api.post(path, token="admin-token")
        assert (r.status, r.json()) == (404, NOT_FOUND)
    r = api.delete("/api/v1/sections/999/crosslist", token="admin-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("token,status", [
    ("admin-token", 200), ("teacher-token", 200),   # the teacher teaches both courses
    ("ta-token", 401), ("designer-token", 401),     # course 1 only: no manage on course 2
    ("student-token", 401), ("observer-token", 401), ("outsider-token", 401),
])
def test_crosslist_by_role(api, store, tokens, token, status):
    before = mark(store)
    r = api.post("/api/v1/sections/2/crosslist/2", token=token)
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED
        unchanged(store, before)
    else:
        assert store.get("sections", 2).course_id == 2


def test_a_teacher_of_the_source_only_is_refused(api, store):
    # course 4 is concluded: the teacher's enrollment there is completed, so no manage on it
    before = mark(store)
    r = api.post("/api/v1/sections/2/crosslist/4")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    unchanged(store, before)


def test_crosslist_without_token(api, store):
    r = api.post("/api/v1/sections/2/crosslist/2", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    r = api.delete("/api/v1/sections/2/crosslist", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)


def test_override_sis_stickiness_false_answers_unchanged_before_any_right(api, store):
    before = mark(store)
    r = api.post("/api/v1/sections/2/crosslist/2", token="student-token", data={"override_sis_stickiness": "false"})
    assert (r.status, r.json()["course_id"], r.json()["nonxlist_course_id"]) == (200, 1, None)
    unchanged(store, before)
    # but the destination is looked up first
    r = api.post("/api/v1/sections/2/crosslist/999", token="student-token", data={"override_sis_stickiness": "false"})
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_uncrosslist_refusals(api, store, tokens):
    before = mark(store)
    r = api.delete("/api/v1/sections/2/crosslist", token="student-token")
    assert (r.status, r.json()) == (400, NOT_CROSSLISTED)  # before any right
    unchanged(store, before)
    api.post("/api/v1/sections/2/crosslist/2", token="admin-token")
    before = mark(store)
    for token in ("ta-token", "designer-token", "student2-token", "outsider-token"):
        r = api.delete("/api/v1/sections/2/crosslist", token=token)
        assert (r.status, r.json()) == (401, UNAUTHORIZED), token
    r = api.delete("/api/v1/sections/2/crosslist", data={"override_sis_stickiness": "false"})
    assert (r.status, r.json()["course_id"]) == (200, 2)
    unchanged(store, before)


def test_uncrosslist_restores_a_deleted_original_course(api, store):
    api.post("/api/v1/sections/2/crosslist/2", token="admin-token")
    store._update("courses", store.get("courses", 1), workflow_state="deleted")
    r = api.delete("/api/v1/sections/2/crosslist", token="admin-token")
    assert (r.status, r.json()["course_id"]) == (200, 1)
    assert store.get("courses", 1).workflow_state == "claimed"


# -- the group rules follow the moved section --------------------------------------------------
def _foreign_section_with_outsider(store):
    """A section of course 2 with user 20 (outsider) as its student."""
    sec = store.insert("sections", course_id=2, name="Visitors")
    store.insert("enrollments", user_id=20, course_id=2, course_section_id=sec.id, type="StudentEnrollment")
    return sec


def test_restricted_self_signup_follows_a_crosslisted_section(api, store):
    cat = store.get("group_categories", 3)  # Self Sign-up Teams: team 1 holds student 14 (section A)
    store._update("group_categories", cat, self_signup="restricted")
    sec = _foreign_section_with_outsider(store)
    r = api.post("/api/v1/groups/6/memberships", token="outsider-token", data={"user_id": "self"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)  # not a student of course 1 yet
    assert api.post(f"/api/v1/sections/{sec.id}/crosslist/1", token="admin-token").status == 200
    assert store.policy.section_ids(20, 1) == {sec.id}
    # now a course 1 student in their own section: team 1's member shares no section with them
    before = mark(store)
    r = api.post("/api/v1/groups/5/memberships", token="outsider-token", data={"user_id": "self"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)  # no join right (Group#allow_self_signup?)
    unchanged(store, before)
    # an empty team is open to them
    r = api.post("/api/v1/groups/6/memberships", token="outsider-token", data={"user_id": "self"})
    assert (r.status, r.json()["user_id"]) == (200, 20)
    # a student of section A may no longer join the team the visitor is in
    store.add_token("s16-token", 16)
    r = api.post("/api/v1/groups/6/memberships", token="s16-token", data={"user_id": "self"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    # de-cross-listed, the visitor has no section of course 1; the move is an update_all that runs
    # no callbacks, so their membership stays, and with it the restriction
    assert api.delete(f"/api/v1/sections/{sec.id}/crosslist", token="admin-token").status == 200
    assert store.policy.section_ids(20, 1) == set()
    assert store.memberships.of_pair(6, 20) is not None
    r = api.post("/api/v1/groups/6/memberships", token="s16-token", data={"user_id": "self"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    # team 2 without the visitor is open to student 16 again
    store._update("memberships", store.memberships.of_pair(6, 20), workflow_state="deleted")
    assert api.post("/api/v1/groups/6/memberships", token="s16-token", data={"user_id": "self"}).status == 200


def test_group_by_section_places_the_students_of_a_crosslisted_section(api, store):
    sec = _foreign_section_with_outsider(store)
    assert api.post(f"/api/v1/sections/{sec.id}/crosslist/1", token="admin-token").status == 200
    r = api.post("/api/v1/courses/1/group_categories", token="teacher-token",
                 data={"name": "By section", "split_group_count": "3", "group_by_section": "true"})
    assert r.status == 200
    cat_id = r.json()["id"]
    groups = [store.get("groups", k[-1]) for k in store.idx["groups"]["by_category"].keys(cat_id)]
    placed = {m.user_id: g.id for g in groups for m in store.memberships.live(g.id)}
    assert 20 in placed  # the visitor is a course 1 student now
    assert set(placed) == {6, 7, *range(8, 20), 20}
