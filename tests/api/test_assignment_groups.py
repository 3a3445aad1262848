"""Reading assignment groups: GET /courses/:course_id/assignment_groups (AssignmentGroupsController
#index) and GET .../assignment_groups/:assignment_group_id (AssignmentGroupsApiController#show),
canvas-facts-assignments section 8.

Default world: course 1 (available) has no assignment group until a test makes one; tokens:
teacher (2), ta (3), student (6), student2 (7), admin (1), outsider (20); designer (4) and observer
(5) get tokens here. Course 3 is unpublished (student 6 is enrolled in it).
"""

from __future__ import annotations

import pytest
from assignments_support import arrange_assignment as assignment
from assignments_support import arrange_group as group
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED, ids

KEYS = ["id", "name", "position", "group_weight", "sis_source_id", "integration_data", "rules"]
STRING_IDS = {"Accept": "application/json+canvas-string-ids"}
URL = "/api/v1/courses/1/assignment_groups"


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def assignment_ids(body):
    return [a["id"] for a in body["assignments"]]


# -- index -------------------------------------------------------------------------------------
def test_a_course_without_groups_lists_nothing(api):
    r = api.get(URL)
    assert (r.status, r.json()) == (200, [])
    assert r.links == {rel: f"{api.base_url}{URL}?page=1&per_page=10" for rel in ("current", "first", "last")}


def test_teacher_lists_groups_with_canvas_keys(api, store):
    g = group(store, name="Homework", group_weight=40.0, sis_source_id="HW",
              integration_data='{"5678": "0954"}', rules="drop_lowest:1\ndrop_highest:1\nnever_drop:33\nnever_drop:17\n")
    r = api.get(URL)
    assert r.status == 200
    (body,) = r.json()
    assert list(body) == KEYS
    assert body == {"id": g.id, "name": "Homework", "position": 1, "group_weight": 40.0, "sis_source_id": "HW",
                    "integration_data": {"5678": "0954"},
                    "rules": {"drop_lowest": 1, "drop_highest": 1, "never_drop": [33, 17]}}
    assert '"group_weight":40.0' in r.text  # a float, as Canvas renders it


def test_defaults_of_a_group_without_rules(api, store):
    g = group(store)
    (body,) = api.get(URL).json()
    assert body == {"id": g.id, "name": "Homework", "position": 1, "group_weight": 0.0, "sis_source_id": None,
                    "integration_data": {}, "rules": {}}


def test_order_is_position_then_name_then_id(api, store):
    b = group(store, name="beta", position=2)
    a2 = group(store, name="Alpha", position=2)
    z = group(store, name="Zed", position=1)
    a1 = group(store, name="alpha", position=2)
    late = group(store, name="Late", position=7)
    assert ids(api.get(URL)) == [z.id, a2.id, a1.id, b.id, late.id]


def test_deleted_groups_and_other_courses_groups_are_not_listed(api, store):
    keep = group(store, name="Keep")
    group(store, name="Gone", workflow_state="deleted")
    group(store, course_id=2, name="Elsewhere")
    assert ids(api.get(URL)) == [keep.id]


def test_pages_with_links(api, store):
    made = [group(store, name=f"G{i:02d}", position=i).id for i in range(1, 13)]
    r = api.get(URL, params={"per_page": 5, "page": 2})
    assert ids(r) == made[5:10]
    base = f"{api.base_url}{URL}"
    assert r.links == {"current": f"{base}?page=2&per_page=5", "next": f"{base}?page=3&per_page=5",
                       "prev": f"{base}?page=1&per_page=5", "first": f"{base}?page=1&per_page=5",
                       "last": f"{base}?page=3&per_page=5"}
    seen, url = [], f"{URL}?per_page=4&include[]=assignments"
    while url:
        page = api.get(url)
        seen += ids(page)
        url = page.links.get("next")
    assert seen == made
    assert "include%5B%5D=assignments" in page.links["current"]


def test_default_page_size_is_ten_and_bad_pages(api, store):
    for i in range(12):
        group(store, name=f"G{i:02d}", position=i + 1)
    r = api.get(URL)
    assert len(r.json()) == 10 and "next" in r.links
    assert api.get(URL, params={"page": 99}).json() == []
    r = api.get(URL, params={"page": "0"})
    assert r.status == 404


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "student-token",
                                   "observer-token", "admin-token"])
def test_every_course_role_may_list(api, store, tokens, token):
    g = group(store)
    r = api.get(URL, token=token)
    assert (r.status, ids(r)) == (200, [g.id])
    assert list(r.json()[0]) == KEYS  # nothing depends on the caller


def test_outsider_unauthenticated_and_unknown_course(api, store):
    group(store)
    r = api.get(URL, token="outsider-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    r = api.get(URL, token=None)
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    for ref in ("999", "99999999999999999999999", "sis_course_id:nope", "abc"):
        r = api.get(f"/api/v1/courses/{ref}/assignment_groups")
        assert (r.status, r.json()) == (404, NOT_FOUND)


def test_student_of_an_unpublished_course_is_unauthorized(api, store):
    g = group(store, course_id=3)
    r = api.get("/api/v1/courses/3/assignment_groups", token="student-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    assert ids(api.get("/api/v1/courses/3/assignment_groups")) == [g.id]  # its teacher reads it


def test_sis_course_id_and_json_suffix(api, store):
    g = group(store)
    assert ids(api.get("/api/v1/courses/sis_course_id:MOCK101-2024/assignment_groups")) == [g.id]
    r = api.get(f"{URL}.json")
    assert ids(r) == [g.id]
    assert r.links["current"].startswith(f"{api.base_url}{URL}?")


def test_never_drop_as_strings_with_canvas_string_ids(api, store):
    g = group(store, rules="drop_lowest:2\nnever_drop:9\nnever_drop:22\n")
    (body,) = api.get(URL, headers=STRING_IDS).json()
    assert body["id"] == str(g.id)
    assert body["rules"] == {"drop_lowest": 2, "never_drop": ["9", "22"]}
    r = api.get(f"{URL}/{g.id}", headers=STRING_IDS)
    assert r.json()["rules"]["never_drop"] == ["9", "22"]
    assert api.get(URL).json()[0]["rules"]["never_drop"] == [9, 22]


def test_rules_text_is_read_as_canvas_reads_it(api, store):
    group(store, rules="drop_highest:25\nnever_drop:4x\nbogus line\nextra:3\n")
    (body,) = api.get(URL).json()
    assert body["rules"] == {"drop_highest": 25, "never_drop": [4], "extra": 3}


def test_infinite_weight_is_null(api, store):
    group(store, group_weight=float("inf"))
    assert api.get(URL).json()[0]["group_weight"] is None


# -- include[]=assignments ------------------------------------------------------------------------
def test_include_assignments_in_group_order(api, store):
    g1, g2 = group(store, name="One"), group(store, name="Two")
    a = assignment(store, g1, "First", position=2)
    b = assignment(store, g1, "Second", position=1)
    c = assignment(store, g2, "Third")
    assignment(store, g2, "Deleted", workflow_state="deleted")
    r = api.get(URL, params={"include[]": "assignments"})
    one, two = r.json()
    assert (assignment_ids(one), assignment_ids(two)) == ([b.id, a.id], [c.id])
    assert list(one)[-2:] == ["assignments", "any_assignment_in_closed_grading_period"]
    assert one["any_assignment_in_closed_grading_period"] is False
    item = one["assignments"][0]
    assert item["name"] == "Second" and item["course_id"] == 1 and item["assignment_group_id"] == g1.id
    assert list(item)[-1] == "in_closed_grading_period" and item["in_closed_grading_period"] is False
    # without the include, no assignments key
    assert "assignments" not in api.get(URL).json()[0]


def test_an_empty_group_includes_an_empty_list(api, store):
    group(store)
    (body,) = api.get(URL, params={"include[]": "assignments"}).json()
    assert body["assignments"] == [] and body["any_assignment_in_closed_grading_period"] is False


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "admin-token"])
def test_staff_see_unpublished_assignments(api, store, tokens, token):
    g = group(store)
    pub = assignment(store, g, "Published")
    draft = assignment(store, g, "Draft", workflow_state="unpublished")
    (body,) = api.get(URL, token=token, params={"include[]": "assignments"}).json()
    assert assignment_ids(body) == [pub.id, draft.id]


@pytest.mark.parametrize("token", ["student-token", "observer-token"])
def test_students_and_observers_see_published_assignments_only(api, store, tokens, token):
    g = group(store)
    pub = assignment(store, g, "Published")
    assignment(store, g, "Draft", workflow_state="unpublished")
    (body,) = api.get(URL, token=token, params={"include[]": "assignments"}).json()
    assert assignment_ids(body) == [pub.id]


def test_students_do_not_see_assignments_only_for_others(api, store):
    g = group(store)
    everyone = assignment(store, g, "Everyone")
    hidden = assignment(store, g, "Only overrides", only_visible_to_overrides=True)
    (body,) = api.get(URL, token="student-token", params={"include[]": "assignments"}).json()
    assert assignment_ids(body) == [everyone.id]
    (body,) = api.get(URL, params={"include[]": "assignments"}).json()
    assert assignment_ids(body) == [everyone.id, hidden.id]


def test_assignment_ids_filter_as_list_or_comma_string(api, store):
    g = group(store)
    a, b, c = (assignment(store, g, t) for t in "abc")
    r = api.get(URL, params=[("include[]", "assignments"), ("assignment_ids[]", str(a.id)),
                             ("assignment_ids[]", str(c.id))])
    assert assignment_ids(r.json()[0]) == [a.id, c.id]
    r = api.get(URL, params={"include[]": "assignments", "assignment_ids": f"{b.id},{c.id}"})
    assert assignment_ids(r.json()[0]) == [b.id, c.id]
    r = api.get(URL, params={"include[]": "assignments", "assignment_ids": "999"})
    assert assignment_ids(r.json()[0]) == []


def test_exclude_assignment_submission_types(api, store):
    g = group(store)
    quiz = assignment(store, g, "Quiz", submission_types="online_quiz")
    talk = assignment(store, g, "Talk", submission_types="discussion_topic")
    both = assignment(store, g, "Both", submission_types="online_upload,discussion_topic")
    essay = assignment(store, g, "Essay", submission_types="online_upload")
    params = [("include[]", "assignments"), ("exclude_assignment_submission_types[]", "online_quiz"),
              ("exclude_assignment_submission_types[]", "discussion_topic"),
              ("exclude_assignment_submission_types[]", "online_upload")]  # not excludable: ignored
    assert assignment_ids(api.get(URL, params=params).json()[0]) == [both.id, essay.id]
    assert len(api.get(URL, params={"include[]": "assignments"}).json()[0]["assignments"]) == 4
    assert quiz.id and talk.id


def test_exclude_response_fields(api, store):
    g = group(store)
    assignment(store, g, "Essay", description="<p>text</p>")
    params = [("include[]", "assignments"), ("exclude_response_fields[]", "description"),
              ("exclude_response_fields[]", "needs_grading_count"),
              ("exclude_response_fields[]", "in_closed_grading_period")]
    (body,) = api.get(URL, params=params).json()
    (item,) = body["assignments"]
    assert not {"description", "needs_grading_count", "in_closed_grading_period"} & set(item)
    assert "any_assignment_in_closed_grading_period" not in body
    (item,) = api.get(URL, params={"include[]": "assignments"}).json()[0]["assignments"]
    assert item["description"] == "<p>text</p>" and "needs_grading_count" in item


def test_hide_zero_point_quizzes_drops_assignments_hidden_in_the_gradebook(api, store):
    g = group(store)
    shown = assignment(store, g, "Shown")
    assignment(store, g, "Hidden", hide_in_gradebook=True, omit_from_final_grade=True, points_possible=0.0)
    r = api.get(URL, params={"include[]": "assignments", "hide_zero_point_quizzes": "true"})
    assert assignment_ids(r.json()[0]) == [shown.id]
    assert len(api.get(URL, params={"include[]": "assignments"}).json()[0]["assignments"]) == 2


def test_assignment_visibility_only_for_who_may_see_it(api, store):
    g = group(store)
    assignment(store, g, "Essay")
    inc = [("include[]", "assignments"), ("include[]", "assignment_visibility")]
    (item,) = api.get(URL, params=inc).json()[0]["assignments"]
    assert "assignment_visibility" in item
    (item,) = api.get(URL, token="student-token", params=inc).json()[0]["assignments"]
    assert "assignment_visibility" not in item


def test_includes_are_passed_to_each_assignment(api, store):
    g = group(store)
    assignment(store, g, "Essay")
    inc = [("include[]", v) for v in ("assignments", "all_dates", "can_edit", "overrides")]
    (item,) = api.get(URL, params=inc).json()[0]["assignments"]
    assert {"all_dates", "can_edit", "overrides"} <= set(item)
    (item,) = api.get(URL, params={"include[]": "assignments"}).json()[0]["assignments"]
    assert not {"all_dates", "can_edit", "overrides"} & set(item)


def test_unknown_includes_and_filters_are_ignored(api, store):
    g = group(store)
    r = api.get(URL, params=[("include[]", "bogus"), ("include[]", "<script>"), ("grading_period_id", "5"),
                             ("scope_assignments_to_student", "true"), ("exclude_response_fields[]", "x")])
    assert r.status == 200 and r.json()[0]["id"] == g.id and list(r.json()[0]) == KEYS


# -- show --------------------------------------------------------------------------------------
def test_show(api, store):
    g = group(store, name="Labs", group_weight=12.5)
    r = api.get(f"{URL}/{g.id}")
    assert r.status == 200
    assert r.json() == {"id": g.id, "name": "Labs", "position": 1, "group_weight": 12.5, "sis_source_id": None,
                        "integration_data": {}, "rules": {}}
    assert "Link" not in r.headers
    assert api.get(f"{URL}/{g.id}.json").json() == r.json()


def test_show_with_assignments(api, store):
    g = group(store)
    pub = assignment(store, g, "Published")
    draft = assignment(store, g, "Draft", workflow_state="unpublished")
    body = api.get(f"{URL}/{g.id}", params={"include[]": "assignments"}).json()
    assert assignment_ids(body) == [pub.id, draft.id]
    body = api.get(f"{URL}/{g.id}", token="student-token", params={"include[]": "assignments"}).json()
    assert assignment_ids(body) == [pub.id]


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "student-token",
                                   "observer-token", "admin-token"])
def test_show_for_every_course_role(api, store, tokens, token):
    g = group(store)
    r = api.get(f"{URL}/{g.id}", token=token)
    assert (r.status, r.json()["id"]) == (200, g.id)


def test_show_refusals(api, store):
    g = group(store)
    gone = group(store, name="Gone", workflow_state="deleted")
    other = group(store, course_id=2, name="Elsewhere")
    r = api.get(f"{URL}/{g.id}", token="outsider-token")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    for ref in (gone.id, other.id, 999, "99999999999999999999999", "abc", "sis_source_id:HW"):
        r = api.get(f"{URL}/{ref}")
        assert (r.status, r.json()) == (404, NOT_FOUND), ref
    # the group is looked up before the permission check: 404 for anyone
    r = api.get(f"{URL}/999", token="outsider-token")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    r = api.get(f"/api/v1/courses/999/assignment_groups/{g.id}")
    assert (r.status, r.json()) == (404, NOT_FOUND)
    r = api.get(f"/api/v1/courses/2/assignment_groups/{g.id}")
    assert (r.status, r.json()) == (404, NOT_FOUND)


def test_weights_are_shown_whether_or_not_the_course_applies_them(api, store):
    g = group(store, group_weight=60.0)
    assert store.get("courses", 1).apply_assignment_group_weights is False
    assert api.get(f"{URL}/{g.id}").json()["group_weight"] == 60.0
    r = api.put("/api/v1/courses/1", data={"course[apply_assignment_group_weights]": "true"})
    assert (r.status, r.json()["apply_assignment_group_weights"]) == (200, True)
    assert api.get(f"{URL}/{g.id}").json()["group_weight"] == 60.0
    r = api.put("/api/v1/courses/1", data={"course[apply_assignment_group_weights]": "false"})
    assert r.json()["apply_assignment_group_weights"] is False
