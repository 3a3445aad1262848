"""Reading assignment overrides over HTTP: AssignmentOverridesController#index, #show and the
section / group alias redirects (canvas-facts-assignments 6.1, 6.3; section 2's matrix): the
override JSON of each set type, who sees which overrides, pagination, and every 401 / 404.

Default world: course 1, Section A (1: users 6, 8, ...; staff and observer 5), Section B (2: users
7, 9, ...); Project Groups (category 1): group 1 (6, 8, 9), group 2 (7, 10, 11).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from assignments_support import arrange_in_default_group as assignment
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED, ids


def T(day: int, hour: int = 12) -> datetime:
    return datetime(2030, 5, day, hour, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def tokens(api, store):  # after api: the server fixture rolls the store back first
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def override(store, a, set_type, set_id=None, students=(), title="x", **fields):
    for name in ("due_at", "unlock_at", "lock_at"):
        if name in fields:
            fields[f"{name}_overridden"] = True
    return store.insert("assignment_overrides", assignment_id=a.id, course_id=a.course_id, set_type=set_type,
                        set_id=set_id, student_ids=tuple(students), title=title, **fields)


def base(a):
    return f"/api/v1/courses/{a.course_id}/assignments/{a.id}/overrides"


@pytest.fixture
def world(store):
    """A group assignment with one override of each kind."""
    a = assignment(store, group_category_id=1, due_at=T(10))
    adhoc = override(store, a, "ADHOC", students=[6, 9], title="Extension", due_at=T(20), all_day=False,
                     all_day_date=date(2030, 5, 20))
    section = override(store, a, "CourseSection", 2, title="Section B", unlock_at=T(1), lock_at=None)
    group = override(store, a, "Group", 1, title="Project Group 1", due_at=None)
    course = override(store, a, "Course", 1, title="Introduction to Mocking", lock_at=T(28))
    store.live_events.clear()
    return a, adhoc, section, group, course


def expected(a, adhoc, section, group, course):
    return {
        "adhoc": {"id": adhoc.id, "assignment_id": a.id, "title": "Extension", "unassign_item": False,
                  "due_at": "2030-05-20T12:00:00Z", "all_day": False, "all_day_date": "2030-05-20",
                  "student_ids": [6, 9]},
        "section": {"id": section.id, "assignment_id": a.id, "title": "Section B", "unassign_item": False,
                    "unlock_at": "2030-05-01T12:00:00Z", "lock_at": None, "course_section_id": 2},
        "group": {"id": group.id, "assignment_id": a.id, "title": "Project Group 1", "unassign_item": False,
                  "due_at": None, "all_day": False, "all_day_date": None, "group_id": 1,
                  "non_collaborative": False, "group_category_id": 1},
        "course": {"id": course.id, "assignment_id": a.id, "title": "Introduction to Mocking",
                   "unassign_item": False, "lock_at": "2030-05-28T12:00:00Z", "course_id": 1},
    }


# -- index -------------------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "admin-token"])
def test_staff_list_every_override_non_adhoc_first(api, store, world, token):
    a = world[0]
    want = expected(*world)
    version = store.version
    r = api.get(base(a), token=token)
    assert r.status == 200
    assert r.json() == [want["section"], want["group"], want["course"], want["adhoc"]]
    assert [list(o) for o in r.json()][0] == ["id", "assignment_id", "title", "unassign_item", "unlock_at",
                                               "lock_at", "course_section_id"]
    assert list(r.json()[3]) == ["id", "assignment_id", "title", "unassign_item", "due_at", "all_day",
                                 "all_day_date", "student_ids"]
    assert api.get(base(a) + ".json", token=token).json() == r.json()
    assert store.version == version and store.live_events.all() == []  # a read writes nothing


def test_students_see_the_overrides_that_apply_to_them(api, store, world):
    a, adhoc, section, group, course = world
    want = expected(*world)
    # student 6: ADHOC, group 1, Section A (none), the course: in priority order
    assert api.get(base(a), token="student-token").json() == [want["adhoc"], want["group"], want["course"]]
    # student 7: group 2 (none), Section B, the course
    assert api.get(base(a), token="student2-token").json() == [want["section"], want["course"]]


def test_observers_see_their_observees_overrides(api, store, world):
    a = world[0]
    want = expected(*world)
    assert ids(api.get(base(a), token="observer-token")) == [want["course"]["id"]]  # no observee: as themself
    store.insert("enrollments", user_id=5, course_id=1, course_section_id=2, type="ObserverEnrollment",
                 associated_user_id=7)
    assert api.get(base(a), token="observer-token").json() == [want["section"], want["course"]]


def test_the_list_is_paginated(api, store):
    a = assignment(store)
    made = [override(store, a, "CourseSection", store.insert("sections", course_id=1, name=f"S{i}").id).id
            for i in range(12)]
    r = api.get(base(a), params={"per_page": "5", "page": "2"})
    assert ids(r) == made[5:10]
    url = f"{api.base_url}{base(a)}"
    assert r.headers["Link"] == ",".join([
        f'<{url}?page=2&per_page=5>; rel="current"', f'<{url}?page=3&per_page=5>; rel="next"',
        f'<{url}?page=1&per_page=5>; rel="prev"', f'<{url}?page=1&per_page=5>; rel="first"',
        f'<{url}?page=3&per_page=5>; rel="last"'])
    assert ids(api.get(base(a))) == made[:10]
    assert ids(api.get(base(a), params={"page": "3", "per_page": "5"})) == made[10:]
    walked, link = [], base(a) + "?per_page=4"
    while link:
        page = api.get(link)
        walked += ids(page)
        link = page.links.get("next")
    assert walked == made
    assert api.get(base(a), params={"page": "0"}).status == 404


def test_an_empty_list(api, store):
    a = assignment(store)
    r = api.get(base(a))
    assert (r.status, r.json()) == (200, [])
    assert 'rel="last"' in r.headers["Link"]


def test_students_may_list_an_unpublished_assignments_overrides(api, store):
    """require_assignment is @course.active_assignments.find: no visibility check."""
    a = assignment(store, workflow_state="unpublished")
    o = override(store, a, "CourseSection", 1)
    assert ids(api.get(base(a), token="student-token")) == [o.id]


def test_deleted_overrides_are_not_listed(api, store, world):
    a, adhoc, *_ = world
    store._update("assignment_overrides", adhoc, workflow_state="deleted")
    assert adhoc.id not in ids(api.get(base(a)))
    assert ids(api.get(base(a), token="student-token")) == [world[3].id, world[4].id]


@pytest.mark.parametrize("route", ["", "/1"])
def test_who_may_not_read(api, store, route):
    a = assignment(store)
    override(store, a, "CourseSection", 1)
    assert (api.get(base(a) + route, token="outsider-token").status,
            api.get(base(a) + route, token="outsider-token").json()) == (401, UNAUTHORIZED)
    r = api.get(base(a) + route, token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    c3 = assignment(store, course_id=3)  # an unpublished course: its student has no read
    assert api.get(base(c3) + route, token="student-token").json() == UNAUTHORIZED


@pytest.mark.parametrize("route", ["", "/1"])
def test_unknown_or_foreign_assignments_and_courses(api, store, route):
    a = assignment(store)
    override(store, a, "CourseSection", 1)
    other = assignment(store, course_id=2)
    gone = assignment(store, workflow_state="deleted")
    for path in (f"/api/v1/courses/999/assignments/{a.id}/overrides", f"/api/v1/courses/2/assignments/{a.id}/overrides",
                 f"/api/v1/courses/1/assignments/{other.id}/overrides", "/api/v1/courses/1/assignments/999/overrides",
                 base(gone)):
        r = api.get(path + route)
        assert (r.status, r.json()) == (404, NOT_FOUND), path
    store._update("assignments", a, sis_assignment_id="A-1")
    assert api.get(f"/api/v1/courses/1/assignments/sis_assignment_id:A-1/overrides{route}").status == 404
    assert api.get(f"/api/v1/courses/sis_course_id:MOCK101-2024/assignments/{a.id}/overrides{route}").status == 200
    store._update("courses", store.get("courses", 1), workflow_state="deleted")
    assert api.get(base(a) + route, token="admin-token").status == 404


# -- show --------------------------------------------------------------------------------------
def test_show_each_kind(api, store, world):
    a = world[0]
    want = expected(*world)
    for key, o in zip(("adhoc", "section", "group", "course"), world[1:]):
        r = api.get(f"{base(a)}/{o.id}")
        assert (r.status, r.json()) == (200, want[key])
    assert api.get(f"{base(a)}/{world[1].id}", token="designer-token").json() == want["adhoc"]


def test_show_answers_only_the_callers_overrides(api, store, world):
    a, adhoc, section, group, course = world
    assert api.get(f"{base(a)}/{adhoc.id}", token="student-token").status == 200
    r = api.get(f"{base(a)}/{section.id}", token="student-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    assert api.get(f"{base(a)}/{adhoc.id}", token="student2-token").status == 404
    assert api.get(f"{base(a)}/{section.id}", token="student2-token").status == 200


def test_show_reads_the_id_as_to_i(api, store, world):
    a, adhoc = world[0], world[1]
    assert api.get(f"{base(a)}/{adhoc.id}abc").json()["id"] == adhoc.id
    for bad in ("999", "abc", "0", "-1"):
        assert api.get(f"{base(a)}/{bad}").status == 404
    store._update("assignment_overrides", adhoc, workflow_state="deleted")
    assert api.get(f"{base(a)}/{adhoc.id}").json() == NOT_FOUND
    other = assignment(store)
    assert api.get(f"{base(other)}/{world[2].id}").status == 404  # another assignment's override


def test_set_titles_follow_the_sets_names(api, store, world):
    a, _, section, group, _ = world
    store._update("sections", store.get("sections", 2), name="Section Beta")
    store._update("groups", store.get("groups", 1), name="Renamed Group")
    assert api.get(f"{base(a)}/{section.id}").json()["title"] == "Section Beta"
    assert api.get(f"{base(a)}/{group.id}").json()["title"] == "Renamed Group"


def test_string_ids(api, store, world):
    a, adhoc = world[0], world[1]
    body = api.get(f"{base(a)}/{adhoc.id}", headers={"Accept": "application/json+canvas-string-ids"}).json()
    assert (body["id"], body["assignment_id"], body["student_ids"]) == (str(adhoc.id), str(a.id), ["6", "9"])


# -- the alias redirects -----------------------------------------------------------------------
def test_section_alias_redirects(api, store, world):
    a, _, section, *_ = world
    for path in (f"/api/v1/sections/2/assignments/{a.id}/override",
                 f"/api/v1/sections/2/assignments/{a.id}/override.json",
                 f"/api/v1/sections/sis_section_id:MOCK101-B/assignments/{a.id}/override"):
        r = api.get(path)
        location = f"{api.base_url}/api/v1/courses/1/assignments/{a.id}/overrides/{section.id}"
        assert (r.status, r.headers["Location"]) == (302, location), path
        assert r.headers["Content-Type"].startswith("text/html")
        assert f'<a href="{location}">redirected</a>' in r.text
    assert api.get(f"/api/v1/sections/2/assignments/{a.id}/override", token="student2-token").status == 302


def test_section_alias_404s(api, store, world):
    a = world[0]
    for path, token in ((f"/api/v1/sections/1/assignments/{a.id}/override", "teacher-token"),  # no override
                        (f"/api/v1/sections/2/assignments/{a.id}/override", "student-token"),  # not their section
                        (f"/api/v1/sections/999/assignments/{a.id}/override", "teacher-token"),
                        (f"/api/v1/sections/3/assignments/{a.id}/override", "teacher-token"),  # course 2's
                        ("/api/v1/sections/2/assignments/999/override", "teacher-token"),
                        (f"/api/v1/sections/2/assignments/{a.id}/override", "outsider-token")):
        r = api.get(path, token=token)
        assert (r.status, r.json()) == (404, NOT_FOUND), (path, token)
    r = api.get(f"/api/v1/sections/2/assignments/{a.id}/override", token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)


def test_section_alias_checks_course_read_after_the_section(api, store):
    a = assignment(store, course_id=3)
    override(store, a, "CourseSection", 4)
    assert api.get(f"/api/v1/sections/4/assignments/{a.id}/override", token="teacher-token").status == 302
    r = api.get(f"/api/v1/sections/4/assignments/{a.id}/override", token="student-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)  # their section, an unpublished course


def test_group_alias_redirects(api, store, world):
    a, _, _, group, _ = world
    location = f"{api.base_url}/api/v1/courses/1/assignments/{a.id}/overrides/{group.id}"
    for token in ("teacher-token", "student-token", "admin-token"):
        r = api.get(f"/api/v1/groups/1/assignments/{a.id}/override", token=token)
        assert (r.status, r.headers["Location"]) == (302, location), token


def test_group_alias_404s(api, store, world):
    a = world[0]
    store.insert("groups", name="Loose", context_type="Course", context_id=1, root_account_id=1)
    for path, token in ((f"/api/v1/groups/2/assignments/{a.id}/override", "teacher-token"),  # no override
                        (f"/api/v1/groups/1/assignments/{a.id}/override", "student2-token"),  # not a member
                        (f"/api/v1/groups/7/assignments/{a.id}/override", "admin-token"),  # an account group
                        (f"/api/v1/groups/9/assignments/{a.id}/override", "teacher-token"),  # no category
                        (f"/api/v1/groups/999/assignments/{a.id}/override", "teacher-token"),
                        ("/api/v1/groups/sis_group_id:PG-1/assignments/%d/override" % a.id, "teacher-token"),
                        ("/api/v1/groups/1/assignments/999/override", "teacher-token"),
                        (f"/api/v1/groups/1/assignments/{a.id}/override", "outsider-token")):
        r = api.get(path, token=token)
        assert (r.status, r.json()) == (404, NOT_FOUND), (path, token)
    store._update("groups", store.get("groups", 1), workflow_state="deleted")
    assert api.get(f"/api/v1/groups/1/assignments/{a.id}/override").status == 404
