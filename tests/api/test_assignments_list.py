"""GET /api/v1/courses/:course_id/assignments, its assignment-group twin and
GET /api/v1/users/:user_id/courses/:course_id/assignments (AssignmentsApiController#index,
#user_index): order, page links, every filter and its errors, who sees what
(canvas-facts-assignments 2, 4.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from assignments_support import course, group, iso, keys_for, later, make, mark, tokens, unchanged  # noqa: F401
from canvas_bodies import NOT_FOUND, SEARCH_TERM_TOO_SHORT, UNAUTHORIZED, ids

URL = "/api/v1/courses/1/assignments"
BUCKET_ERROR = {"errors": {"bucket": [{
    "attribute": "bucket",
    "type": "bucket name must be one of the following: past, overdue, undated, ungraded, unsubmitted, upcoming, future",
    "message": "bucket name must be one of the following: past, overdue, undated, ungraded, unsubmitted, upcoming, future"}]}}


def submit(store, a, user_id=6, graded=False):
    sub = store.submissions.for_user(a.id, user_id)
    changes = {"submission_type": "online_text_entry", "workflow_state": "graded" if graded else "submitted",
               "submitted_at": store.now(), "body": "x", "attempt": 1}
    if graded:
        changes.update(score=4.0, grade="4", graded_at=store.now(), posted_at=store.now())
    store._update("submissions", sub, **changes)
    return sub


# -- order and pages --------------------------------------------------------------------------
def test_order_is_group_position_then_position_then_id(api, store, course):
    late, early = group(store, "Late", 2), group(store, "Early", 1)
    a1 = make(store, name="a1", assignment_group_id=str(late.id))
    a2 = make(store, name="a2", assignment_group_id=str(early.id), position="2")
    a3 = make(store, name="a3", assignment_group_id=str(early.id), position="1")
    a4 = make(store, name="a4", assignment_group_id=str(early.id), position="1")
    r = api.get(URL)
    assert r.status == 200
    assert ids(r) == [a3.id, a4.id, a2.id, a1.id]
    assert list(r.json()[0]) == keys_for("teacher")


def test_groups_sharing_a_position_interleave_by_assignment_position(api, store, course):
    g1, g2 = group(store, "One", 1), group(store, "Two", 1)
    a = make(store, assignment_group_id=str(g2.id), position="1")
    b = make(store, assignment_group_id=str(g1.id), position="2")
    c = make(store, assignment_group_id=str(g1.id), position="1")
    # by group position (a tie), then assignment position, then id: not group by group
    assert ids(api.get(URL)) == [a.id, c.id, b.id]


def test_pages_and_links(api, store, course):
    made = [make(store, name=f"A{i:02d}").id for i in range(23)]
    r = api.get(URL, params={"per_page": "10", "include[]": "can_edit"})
    assert ids(r) == made[:10]
    base = f"{api.base_url}{URL}?include%5B%5D=can_edit&"
    assert r.headers["Link"] == (f'<{base}page=1&per_page=10>; rel="current",<{base}page=2&per_page=10>; rel="next",'
                                 f'<{base}page=1&per_page=10>; rel="first",<{base}page=3&per_page=10>; rel="last"')
    r = api.get(r.links["last"])
    assert ids(r) == made[20:]
    assert "next" not in r.links and r.links["prev"].endswith("page=2&per_page=10")
    r = api.get(URL, params={"page": "9"})
    assert (r.json(), "last" in r.links) == ([], False)
    assert api.get(URL, params={"page": "0"}).status == 404
    # the default is 10 a page, at most 100
    assert len(api.get(URL).json()) == 10
    assert api.get(URL, params={"per_page": "1000"}).links["current"].endswith("per_page=100")


def test_links_name_the_course_id_and_drop_the_json_suffix(api, store, course):
    make(store)
    r = api.get("/api/v1/courses/sis_course_id:MOCK101-2024/assignments.json")
    assert r.links["current"] == f"{api.base_url}{URL}?page=1&per_page=10"


def test_walking_next_returns_each_assignment_once(api, store, course):
    g2, g1 = group(store, "B", 2), group(store, "A", 1)
    made = [make(store, assignment_group_id=str((g1, g2)[i % 2].id)).id for i in range(17)]
    seen, link = [], f"{URL}?per_page=4"
    while link:
        r = api.get(link)
        seen += ids(r)
        link = r.links.get("next")
    assert sorted(seen) == sorted(made) and len(seen) == 17
    assert seen == [a.id for a in store.assignments.in_group(g1.id) + store.assignments.in_group(g2.id)]


# -- who sees what --------------------------------------------------------------------------------
def test_students_see_published_assignments_assigned_to_them(api, store, course, tokens):
    pub = make(store, name="Pub")
    make(store, name="Draft", published="false")
    only_b = make(store, name="Section B only", only_visible_to_overrides="true")
    store.insert("assignment_overrides", assignment_id=only_b.id, course_id=1, set_type="CourseSection", set_id=2,
                 title="Section B")
    assert ids(api.get(URL, token=tokens["student"])) == [pub.id]  # student 6: section A
    assert ids(api.get(URL, token=tokens["student2"])) == [pub.id, only_b.id]  # student 7: section B
    assert ids(api.get(URL, token=tokens["observer"])) == [pub.id]  # observes student 6
    for role in ("teacher", "ta", "designer", "admin"):
        assert len(api.get(URL, token=tokens[role]).json()) == 3, role
    body = api.get(URL, token=tokens["student"]).json()
    assert list(body[0]) == keys_for("student")


def test_outsiders_unpublished_courses_and_unknown_courses(api, store, course, tokens):
    make(store, course_id=3)
    since = mark(store)
    assert api.get(URL, token=tokens["outsider"]).json() == UNAUTHORIZED
    assert api.get("/api/v1/courses/3/assignments", token=tokens["student"]).json() == UNAUTHORIZED
    assert len(api.get("/api/v1/courses/3/assignments").json()) == 1  # its teacher
    assert api.get("/api/v1/courses/999/assignments").json() == NOT_FOUND
    assert api.get("/api/v1/courses/999/assignment_groups/1/assignments").json() == NOT_FOUND
    unchanged(store, since)


def test_concluded_course_students_still_read(api, store, course):
    a = make(store, course_id=4)
    assert ids(api.get("/api/v1/courses/4/assignments", token="student-token")) == [a.id]


# -- filters -------------------------------------------------------------------------------------
def test_search_term(api, store, course):
    essay = make(store, name="Final Essay")
    quiz = make(store, name="Quiz")
    essays = make(store, name="ESSAYS draft")
    assert ids(api.get(URL, params={"search_term": "essay"})) == [essay.id, essays.id]
    assert ids(api.get(URL, params={"search_term": "  "})) == [essay.id, quiz.id, essays.id]  # blank: no search
    r = api.get(URL, params={"search_term": "e"})
    assert (r.status, r.json()) == (400, SEARCH_TERM_TOO_SHORT)


def test_search_term_is_literal(api, store, course):
    a = make(store, name="50% done")
    make(store, name="500 done")
    assert ids(api.get(URL, params={"search_term": "0%"})) == [a.id]
    assert ids(api.get(URL, params={"search_term": "_0"})) == []


def test_bucket_errors(api, store, course):
    for bad in ("soon", "", "PAST"):
        r = api.get(URL, params={"bucket": bad})
        assert (r.status, r.json()) == (400, BUCKET_ERROR)
    # the search term is checked first
    assert api.get(URL, params={"bucket": "soon", "search_term": "x"}).json() == SEARCH_TERM_TOO_SHORT


def test_buckets_for_a_student(api, store, course):
    past = make(store, name="past", due_at=iso(later(store, days=-2)), submission_types="online_text_entry")
    done = make(store, name="done", due_at=iso(later(store, days=-3)), submission_types="online_text_entry")
    paper = make(store, name="paper", due_at=iso(later(store, days=-1)), submission_types="on_paper")
    soon = make(store, name="soon", due_at=iso(later(store, days=2)))
    far = make(store, name="far", due_at=iso(later(store, days=30)))
    undated = make(store, name="undated")
    submit(store, done)

    def bucket(name, token="student-token"):
        r = api.get(URL, token=token, params={"bucket": name, "per_page": "50"})
        assert r.status == 200
        assert all(x["bucket"] == name for x in r.json())
        return set(ids(r))

    assert bucket("past") == {past.id, done.id, paper.id}
    assert bucket("overdue") == {past.id}
    assert bucket("undated") == {undated.id}
    assert bucket("upcoming") == {soon.id}
    assert bucket("future") == {soon.id, far.id, undated.id}
    assert bucket("ungraded") == set() and bucket("unsubmitted") == set()  # students do not grade
    # graders: what needs grading, what the student (the teacher here) has not submitted
    assert bucket("ungraded", "teacher-token") == {done.id}
    assert bucket("unsubmitted", "teacher-token") == {past.id, done.id}
    assert bucket("overdue", "teacher-token") == set()


def test_order_by_name_and_due_at(api, store, course, tokens):
    b = make(store, name="beta", due_at="2024-05-03T12:00:00Z")
    a = make(store, name="Alpha", due_at="2024-05-05T12:00:00Z")
    c = make(store, name="gamma")
    assert ids(api.get(URL, params={"order_by": "name"})) == [a.id, b.id, c.id]
    assert ids(api.get(URL, params={"order_by": "due_at"})) == [b.id, a.id, c.id]
    assert ids(api.get(URL, params={"order_by": "bogus"})) == [b.id, a.id, c.id]  # position
    # a section override: teachers order by the latest date, the student by their own
    store.insert("assignment_overrides", assignment_id=b.id, course_id=1, set_type="CourseSection", set_id=1,
                 title="Section A", due_at=a.due_at + timedelta(days=2), due_at_overridden=True)
    assert ids(api.get(URL, params={"order_by": "due_at"})) == [a.id, b.id, c.id]
    assert ids(api.get(URL, token=tokens["student2"], params={"order_by": "due_at"})) == [b.id, a.id, c.id]
    assert ids(api.get(URL, token=tokens["student"], params={"order_by": "due_at"})) == [a.id, b.id, c.id]


def test_assignment_ids(api, store, course):
    a, b, c = make(store), make(store), make(store)
    r = api.get(URL, params=[("assignment_ids[]", str(c.id)), ("assignment_ids[]", str(a.id))])
    assert ids(r) == [a.id, c.id]
    assert "assignment_ids%5B%5D=" in r.links["current"]
    r = api.get(URL, params=[("assignment_ids[]", str(a.id)), ("assignment_ids[]", "7777"), ("assignment_ids[]", "x")])
    assert (r.status, r.json()) == (400, {"message": "Invalid assignment_ids: 7777,x"})
    r = api.get(URL, params=[("assignment_ids[]", str(i)) for i in range(101)])
    assert (r.status, r.json()) == (400, {"message": "Request contains too many assignment_ids.  Limit 100"})
    # more ids than the page holds: the ones past the page count as missing
    r = api.get(URL, params=[("assignment_ids[]", str(x.id)) for x in (a, b, c)] + [("per_page", "2")])
    assert r.json() == {"message": f"Invalid assignment_ids: {c.id}"}


def test_post_to_sis_and_new_quizzes(api, store, course):
    on = make(store, post_to_sis="true")
    off = make(store)
    assert ids(api.get(URL, params={"post_to_sis": "true"})) == [on.id]
    assert ids(api.get(URL, params={"post_to_sis": "false"})) == [off.id]
    assert ids(api.get(URL, params={"post_to_sis": ""})) == [off.id]
    assert api.get(URL, params={"new_quizzes": "true"}).json() == []


def test_the_group_route(api, store, course):
    g1, g2 = group(store, "One", 1), group(store, "Two", 2)
    a = make(store, assignment_group_id=str(g2.id))
    make(store, assignment_group_id=str(g1.id))
    other = group(store, "Elsewhere", 1, course_id=2)
    make(store, course_id=2, assignment_group_id=str(other.id))
    r = api.get(f"/api/v1/courses/1/assignment_groups/{g2.id}/assignments")
    assert ids(r) == [a.id]
    assert r.links["current"] == f"{api.base_url}/api/v1/courses/1/assignment_groups/{g2.id}/assignments?page=1&per_page=10"
    for ref in (str(other.id), "999", "abc"):
        r = api.get(f"/api/v1/courses/1/assignment_groups/{ref}/assignments")
        assert (r.status, r.json()) == (200, []), ref
    assert ids(api.get(f"/api/v1/courses/1/assignment_groups/{g2.id}/assignments", params={"search_term": "hom"})) == [a.id]
    # students: the published ones; outsiders: unauthorized
    draft = make(store, assignment_group_id=str(g2.id), published="false")
    assert ids(api.get(f"/api/v1/courses/1/assignment_groups/{g2.id}/assignments")) == [a.id, draft.id]
    assert ids(api.get(f"/api/v1/courses/1/assignment_groups/{g2.id}/assignments", token="student-token")) == [a.id]
    r = api.get(f"/api/v1/courses/1/assignment_groups/{g2.id}/assignments", token="outsider-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)


# -- include[] ----------------------------------------------------------------------------------
def test_includes_for_a_teacher(api, store, course):
    a = make(store, only_visible_to_overrides="true")
    store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="ADHOC", student_ids=(7, 9),
                 title="2 students")
    r = api.get(URL, params=[("include[]", i) for i in ("assignment_visibility", "overrides", "all_dates", "can_edit",
                                                           "submission", "score_statistics", "ab_guid")])
    body = r.json()[0]
    assert body["assignment_visibility"] == ["7", "9"]
    assert [o["student_ids"] for o in body["overrides"]] == [[7, 9]]
    assert body["can_edit"] is True
    assert all(e["can_edit"] is True and e["in_closed_grading_period"] is False for e in body["all_dates"])
    assert "submission" not in body and "score_statistics" not in body  # the teacher has none
    assert body["ab_guid"] == []
    keys = list(body)
    assert keys.index("overrides") == keys.index("graded_submissions_exist") + 1
    assert keys.index("all_dates") < keys.index("can_edit") < keys.index("published")
    assert keys.index("assignment_visibility") == keys.index("visible_to_everyone") + 1


def test_includes_a_student_may_not_have_are_dropped(api, store, course):
    a = make(store)
    body = api.get(URL, token="student-token", params=[("include[]", i) for i in (
        "assignment_visibility", "overrides", "submission", "can_edit", "can_submit")]).json()[0]
    assert "assignment_visibility" not in body and "overrides" not in body and "can_submit" not in body
    assert body["can_edit"] is False
    assert body["submission"]["workflow_state"] == "unsubmitted"
    assert body["submission"]["assignment_id"] == a.id and body["submission"]["user_id"] == 6


def test_observed_users_makes_submission_an_array(api, store, course, tokens):
    a = make(store)
    body = api.get(URL, token=tokens["observer"],
                   params=[("include[]", "submission"), ("include[]", "observed_users")]).json()[0]
    assert [s["user_id"] for s in body["submission"]] == [6]
    body = api.get(URL, token=tokens["student"],
                   params=[("include[]", "submission"), ("include[]", "observed_users")]).json()[0]
    assert [s["user_id"] for s in body["submission"]] == [6]
    body = api.get(URL, params=[("include[]", "submission"), ("include[]", "observed_users")]).json()[0]
    assert body["submission"] == []
    assert a.id == body["id"]


def test_score_statistics_need_five_graded_for_students(api, store, course):
    a = make(store, points_possible="10", submission_types="online_text_entry")
    inc = [("include[]", "submission"), ("include[]", "score_statistics")]
    submit(store, a, 6, graded=True)
    assert "score_statistics" not in api.get(URL, token="student-token", params=inc).json()[0]
    for uid in (7, 8, 9, 10):
        submit(store, a, uid, graded=True)
    assert api.get(URL, token="student-token", params=inc).json()[0]["score_statistics"] == {
        "min": 4.0, "max": 4.0, "mean": 4.0}


def test_needs_grading_count_and_by_section(api, store, course, tokens):
    a = make(store, submission_types="online_text_entry")
    submit(store, a, 6)
    submit(store, a, 7)
    submit(store, a, 9)
    body = api.get(URL, params={"needs_grading_count_by_section": "true"}).json()[0]
    assert body["needs_grading_count"] == 3
    assert body["needs_grading_count_by_section"] == [{"section_id": "1", "needs_grading_count": 1},
                                                      {"section_id": "2", "needs_grading_count": 2}]
    keys = list(body)
    assert keys.index("needs_grading_count_by_section") + 1 == keys.index("needs_grading_count")
    designer = api.get(URL, token=tokens["designer"], params={"needs_grading_count_by_section": "true"}).json()[0]
    assert "needs_grading_count" not in designer and "needs_grading_count_by_section" not in designer


def test_string_ids(api, store, course):
    a = make(store, group_category_id="1")
    body = api.get(URL, headers={"Accept": "application/json+canvas-string-ids"},
                   params={"include[]": "assignment_visibility"}).json()[0]
    assert (body["id"], body["course_id"], body["group_category_id"], body["assignment_group_id"]) == (
        str(a.id), "1", "1", str(a.assignment_group_id))


def test_override_assignment_dates_false(api, store, course):
    a = make(store, due_at="2024-05-01T12:00:00Z")
    store.insert("assignment_overrides", assignment_id=a.id, course_id=1, set_type="CourseSection", set_id=1,
                 title="Section A", due_at=a.due_at + timedelta(days=3), due_at_overridden=True)
    assert api.get(URL, token="student-token").json()[0]["due_at"] == "2024-05-04T12:00:00Z"
    r = api.get(URL, token="student-token", params={"override_assignment_dates": "false"})
    assert r.json()[0]["due_at"] == "2024-05-01T12:00:00Z"


# -- user_index ------------------------------------------------------------------------------------
@pytest.mark.parametrize("role,user,status", [
    ("student", "self", 200), ("student", "6", 200), ("teacher", "6", 200), ("ta", "7", 200), ("admin", "6", 200),
    ("observer", "6", 200), ("observer", "7", 401), ("student2", "6", 401), ("designer", "6", 401),
    ("teacher", "2", 200), ("ta", "2", 401), ("outsider", "6", 401),
])
def test_user_index_permissions(api, store, course, tokens, role, user, status):
    make(store)
    r = api.get(f"/api/v1/users/{user}/courses/1/assignments", token=tokens[role])
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED


def test_user_index_is_the_users_view_with_the_callers_submission(api, store, course):
    pub = make(store)
    make(store, published="false")
    r = api.get("/api/v1/users/6/courses/1/assignments", params={"include[]": "submission"})
    assert ids(r) == [pub.id]
    body = r.json()[0]
    assert list(body) == keys_for("student")  # the student's keys: no teacher-only keys, no submission
    assert r.links["current"] == f"{api.base_url}{URL}?include%5B%5D=submission&page=1&per_page=10"
    own = api.get("/api/v1/users/self/courses/1/assignments", token="student-token", params={"include[]": "submission"})
    assert own.json()[0]["submission"]["user_id"] == 6


def test_user_index_404s(api, store, course):
    assert api.get("/api/v1/users/999/courses/1/assignments").json() == NOT_FOUND
    assert api.get("/api/v1/users/6/courses/999/assignments").json() == NOT_FOUND
    assert api.get("/api/v1/users/sis_user_id:S-006/courses/1/assignments").status == 200
