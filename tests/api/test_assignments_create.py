"""POST /api/v1/courses/:course_id/assignments (AssignmentsApiController#create): the 201 answer,
every ``assignment[...]`` parameter with Canvas's casts, each error, each role, the live events
(canvas-facts-assignments 3.5, 4.3, 5.1-5.2, 9). Failures change nothing (``unchanged``)."""

from __future__ import annotations

import base64
import json

import pytest
from assignments_support import course, group, invalid, keys_for, mark, tokens, unchanged  # noqa: F401
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

URL = "/api/v1/courses/1/assignments"
EVENT_KEYS = ["anonymous_grading", "assignment_group_id", "assignment_id", "assignment_id_duplicated_from",
              "context_id", "context_type", "context_uuid", "created_on_blueprint_sync", "description", "due_at",
              "lti_assignment_description", "lti_assignment_id", "lti_resource_link_id",
              "lti_resource_link_id_duplicated_from", "lock_at", "points_possible", "resource_map",
              "submission_types", "title", "unlock_at", "updated_at", "workflow_state", "domain"]


def post(api, token="teacher-token", **fields):
    return api.post(URL, token=token, data={f"assignment[{k}]": v for k, v in fields.items()})


def jwt_payload(token: str) -> dict:
    header, payload, sig = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"typ": "JWT", "alg": "HS256"}
    assert sig
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# -- success -----------------------------------------------------------------------------------
def test_teacher_creates_the_facts_example(api, store, course):
    r = post(api, name="Essay 1", points_possible="10", **{"submission_types][": "online_upload"},
             due_at="2024-05-01T23:59:00Z", published="true")
    assert r.status == 201
    body = r.json()
    a = store.get("assignments", body["id"])
    group = store.get("assignment_groups", a.assignment_group_id)
    assert (group.name, group.course_id, group.position) == ("Assignments", 1, 1)
    stamp = a.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert list(body) == keys_for("teacher")
    assert body == {
        "id": a.id, "description": None, "due_at": "2024-05-01T23:59:00Z", "unlock_at": None, "lock_at": None,
        "points_possible": 10.0, "grading_type": "points", "assignment_group_id": group.id,
        "grading_standard_id": None, "created_at": stamp, "updated_at": stamp, "peer_reviews": False,
        "automatic_peer_reviews": False, "position": 1, "grade_group_students_individually": False,
        "anonymous_peer_reviews": False, "group_category_id": None, "post_to_sis": False,
        "moderated_grading": False, "omit_from_final_grade": False, "intra_group_peer_reviews": False,
        "anonymous_instructor_annotations": False, "anonymous_grading": False,
        "graders_anonymous_to_graders": False, "grader_count": 0, "grader_comments_visible_to_graders": True,
        "final_grader_id": None, "grader_names_visible_to_final_grader": True, "allowed_attempts": -1,
        "annotatable_attachment_id": None, "hide_in_gradebook": False, "secure_params": body["secure_params"],
        "lti_context_id": a.lti_context_id, "course_id": 1, "name": "Essay 1",
        "submission_types": ["online_upload"], "has_submitted_submissions": False, "due_date_required": False,
        "max_name_length": 255, "in_closed_grading_period": False, "graded_submissions_exist": False,
        "is_quiz_assignment": False, "can_duplicate": True, "original_course_id": None,
        "original_assignment_id": None, "original_lti_resource_link_id": None, "original_assignment_name": None,
        "original_quiz_id": None, "workflow_state": "published", "important_dates": False, "muted": True,
        "html_url": f"{api.base_url}/courses/1/assignments/{a.id}", "has_overrides": False,
        "needs_grading_count": 0, "sis_assignment_id": None, "integration_id": None, "integration_data": {},
        "published": True, "unpublishable": True, "only_visible_to_overrides": False,
        "visible_to_everyone": True, "locked_for_user": False,
        "submissions_download_url": f"{api.base_url}/courses/1/assignments/{a.id}/submissions?zip=1",
        "post_manually": False, "anonymize_students": False, "require_lockdown_browser": False,
        "restrict_quantitative_data": False}
    assert jwt_payload(body["secure_params"]) == {"lti_assignment_id": a.lti_context_id}
    assert len(a.lti_context_id) == 36 and a.lti_context_id.count("-") == 4
    # the answer is what a later GET shows
    assert api.get(f"{URL}/{a.id}").json() == body


def test_the_first_assignment_makes_the_group_and_announces_it_first(api, store, course):
    r = post(api, name="First", description="<p>Read</p>")
    a = store.get("assignments", r.json()["id"])
    names = store.live_events.names()
    assert names == ["assignment_group_created", "assignment_created"]
    created = store.live_events.all()[1]
    assert list(created.body) == EVENT_KEYS
    assert created.body == {
        "anonymous_grading": False, "assignment_group_id": str(a.assignment_group_id), "assignment_id": str(a.id),
        "assignment_id_duplicated_from": None, "context_id": "1", "context_type": "Course",
        "context_uuid": store.get("courses", 1).uuid, "created_on_blueprint_sync": False,
        "description": "<p>Read</p>", "due_at": None, "lti_assignment_description": "<p>Read</p>",
        "lti_assignment_id": a.lti_context_id, "lti_resource_link_id": None,
        "lti_resource_link_id_duplicated_from": None, "lock_at": None, "points_possible": 0.0,
        "resource_map": None, "submission_types": "none", "title": "First", "unlock_at": None,
        "updated_at": a.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "workflow_state": "unpublished",
        "domain": created.body["domain"]}
    assert created.metadata["event_name"] == "assignment_created" and created.metadata["context_id"] == "1"
    # the second assignment finds the group: one event
    store.live_events.clear()
    second = post(api, name="Second").json()
    assert store.live_events.names() == ["assignment_created"]
    assert (second["assignment_group_id"], second["position"]) == (a.assignment_group_id, 2)


def test_defaults_unpublished_points_zero_and_name_from_the_group(api, store, course):
    g = group(store, "Quizzes", 3)
    body = post(api, assignment_group_id=str(g.id)).json()
    assert (body["name"], body["published"], body["workflow_state"], body["points_possible"],
            body["submission_types"], body["assignment_group_id"]) == ("Quiz", False, "unpublished", 0.0, ["none"], g.id)
    # no group named: "Assignment", in the course's first group
    body = post(api, description="x").json()
    assert (body["name"], body["assignment_group_id"]) == ("Assignment", g.id)


@pytest.mark.parametrize("role", ["teacher", "ta", "designer", "admin"])
def test_staff_may_create(api, store, course, tokens, role):
    r = post(api, token=tokens[role], name=f"By {role}")
    assert r.status == 201
    assert list(r.json()) == keys_for(role)


@pytest.mark.parametrize("role", ["student", "observer", "outsider"])
def test_others_may_not_create_and_nothing_changes(api, store, course, tokens, role):
    since = mark(store)
    r = post(api, token=tokens[role], name="Nope")
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    # even without the assignment parameter: authorized_action comes first
    assert api.post(URL, token=tokens[role]).json() == UNAUTHORIZED
    unchanged(store, since)


def test_no_token_unknown_course_and_missing_parameter(api, store, course):
    since = mark(store)
    assert api.post(URL, token=None, data={"assignment[name]": "x"}).json() == UNAUTHENTICATED
    r = api.post("/api/v1/courses/999/assignments", data={"assignment[name]": "x"})
    assert (r.status, r.json()) == (404, NOT_FOUND)
    assert api.post("/api/v1/courses/sis_course_id:nope/assignments", data={"assignment[name]": "x"}).status == 404
    r = api.post(URL)
    assert (r.status, r.json()) == (400, {"errors": [{"message": "assignment is missing"}]})
    assert api.post(URL, data={"assignment": "scalar"}).status == 400
    assert api.post(URL, json={"assignment": {}}).json() == {"errors": [{"message": "assignment is missing"}]}
    unchanged(store, since)


def test_json_body_and_sis_course_path(api, store, course):
    r = api.post("/api/v1/courses/sis_course_id:MOCK101-2024/assignments",
                 json={"assignment": {"name": "JSON", "submission_types": ["online_text_entry", "online_url"],
                                      "points_possible": 7.5, "published": True}})
    assert r.status == 201
    body = r.json()
    assert (body["name"], body["submission_types"], body["points_possible"], body["published"]) == (
        "JSON", ["online_text_entry", "online_url"], 7.5, True)


# -- the parameters --------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [("12", 12.0), ("abc", 0.0), ("", 0.0), ("3.25", 3.25), ("5abc", 5.0),
                                            ("-0.5", -0.5), ("1e3", 1000.0), ("999999999.5", 999999999.5)])
def test_points_possible_casts(api, store, course, value, expected):
    r = post(api, name="P", points_possible=value)
    assert (r.status, r.json()["points_possible"]) == (201, expected)


@pytest.mark.parametrize("value,message", [
    ("-1", "The value of possible points for this assignment must be zero or greater."),
    ("1000000000", "The value of possible points for this assignment cannot exceed 999999999."),
    ("1e400", "The value of possible points for this assignment cannot exceed 999999999."),
    ("NaN", "The value of possible points for this assignment cannot exceed 999999999."),
    ("-Infinity", "The value of possible points for this assignment must be zero or greater."),
])
def test_points_possible_errors(api, store, course, value, message):
    since = mark(store)
    r = post(api, name="P", points_possible=value)
    assert (r.status, r.json()) == (400, invalid("points_possible", message))
    unchanged(store, since)


def test_not_graded_types_have_no_points(api, store, course):
    body = post(api, name="N", points_possible="10", grading_type="not_graded").json()
    assert (body["points_possible"], body["submission_types"], body["grading_type"]) == (None, ["not_graded"], "not_graded")
    body = post(api, name="M", points_possible="5", **{"submission_types][": "not_graded"}).json()
    assert (body["points_possible"], body["grading_type"]) == (None, "not_graded")


@pytest.mark.parametrize("grading_type", ["points", "percent", "letter_grade", "gpa_scale", "pass_fail"])
def test_grading_types(api, store, course, grading_type):
    assert post(api, name="G", grading_type=grading_type).json()["grading_type"] == grading_type


def test_grading_type_blank_is_points_unknown_is_refused(api, store, course):
    assert post(api, name="G", grading_type="").json()["grading_type"] == "points"
    r = post(api, name="G", grading_type="stars")
    assert (r.status, r.json()) == (400, invalid("grading_type", "inclusion"))


def test_submission_types(api, store, course):
    r = api.post(URL, data=[("assignment[name]", "S"), ("assignment[submission_types][]", "online_upload"),
                            ("assignment[submission_types][]", "media_recording")])
    assert r.json()["submission_types"] == ["online_upload", "media_recording"]
    # a plain string is one type
    assert post(api, name="S", submission_types="on_paper").json()["submission_types"] == ["on_paper"]
    # the check runs before update_from_params' online_media_recording rewrite: refused
    for bad in ("wiki_page", "bogus", "online_upload,online_url", "online_media_recording"):
        r = api.post(URL, data={"assignment[name]": "S", "assignment[submission_types][]": bad})
        assert (r.status, r.json()) == (400, invalid("assignment[submission_types]", "Invalid submission types"))


def test_student_annotation_needs_a_file(api, store, course):
    r = api.post(URL, data={"assignment[name]": "A", "assignment[submission_types][]": "student_annotation"})
    assert (r.status, r.json()) == (400, {"errors": {}})
    r = api.post(URL, data={"assignment[name]": "A", "assignment[submission_types][]": "student_annotation",
                            "assignment[annotatable_attachment_id]": "999"})
    assert (r.status, r.json()) == (400, {"errors": {}})


def test_allowed_extensions(api, store, course):
    body = post(api, name="E", allowed_extensions=".DOCX, pdf  .Txt").json()
    assert body["allowed_extensions"] == ["docx", "pdf", "txt"]
    r = api.post(URL, data=[("assignment[name]", "E"), ("assignment[allowed_extensions][]", ".PPT"),
                            ("assignment[allowed_extensions][]", "doc")])
    assert r.json()["allowed_extensions"] == ["ppt", "doc"]
    assert "allowed_extensions" not in post(api, name="E", allowed_extensions="").json()
    r = post(api, name="E", allowed_extensions="x" * 256)
    assert (r.status, r.json()) == (400, invalid("assignment[allowed_extensions]", "Value too long, allowed length is 255"))


def test_name_errors_use_the_title_key(api, store, course):
    since = mark(store)
    assert post(api, name="").json() == invalid("title", "blank")
    assert post(api, name="   ").json() == invalid("title", "blank")
    assert post(api, name="x" * 256).json() == invalid("title", "The title cannot be longer than 255 characters")
    unchanged(store, since)
    assert post(api, name="x" * 255).status == 201
    # not graded: no length limit
    assert post(api, name="y" * 300, grading_type="not_graded").status == 201


def test_description_is_sanitized(api, store, course):
    body = post(api, name="D", description='<p onclick="x()">Hi<script>alert(1)</script></p><a href="/x">l</a>').json()
    assert body["description"] == f'<p>Hi</p><a href="{api.base_url}/x">l</a>'
    assert store.get("assignments", body["id"]).description == '<p>Hi</p><a href="/x">l</a>'
    assert jwt_payload(body["secure_params"])["lti_assignment_description"] == '<p>Hi</p><a href="/x">l</a>'


def test_long_description_is_truncated_in_the_jwt(api, store, course):
    body = post(api, name="D", description="a" * 1500).json()
    text = jwt_payload(body["secure_params"])["lti_assignment_description"]
    assert (len(text), text[-15:]) == (1000, "... (truncated)")


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [
    ("2024-05-01T23:59:00Z", "2024-05-01T23:59:00Z"),
    ("2024-05-01T17:59:00-06:00", "2024-05-01T23:59:00Z"),
    ("2024-05-01T23:59:00.123456+00:00", "2024-05-01T23:59:00Z"),
    ("2024-05-01T23:59:00", "2024-05-01T23:59:00Z"),  # the caller's zone (UTC)
    ("2024-05-02T00:00:00Z", "2024-05-02T23:59:59Z"),  # fancy midnight
    ("", None),
])
def test_due_at_parsing(api, store, course, value, expected):
    assert post(api, name="D", due_at=value).json()["due_at"] == expected


@pytest.mark.parametrize("value", ["2024-05-01", "2024-05-01T23:59Z", "2024-05-01T23:59:00+0000", "tomorrow",
                                   "2024-05-01 23:59:00", "2024-05-01T23:59:00ZZ"])
def test_bad_dates_are_refused_each_by_name(api, store, course, value):
    since = mark(store)
    r = post(api, name="D", due_at=value, lock_at=value, unlock_at="2024-01-01T00:00:00Z")
    assert r.status == 400
    assert r.json() == {"errors": {
        "assignment[due_at]": [{"attribute": "assignment[due_at]", "type": "Invalid datetime for due_at",
                                "message": "Invalid datetime for due_at"}],
        "assignment[lock_at]": [{"attribute": "assignment[lock_at]", "type": "Invalid datetime for lock_at",
                                 "message": "Invalid datetime for lock_at"}]}}
    unchanged(store, since)


def test_dates_in_the_callers_zone_and_fancy_midnight_there(api, store, course):
    store._update("users", store.get("users", 2), time_zone="America/Denver")
    body = post(api, name="Z", due_at="2024-05-02T00:00:00", lock_at="2024-05-02T06:00:00Z",
                unlock_at="2024-05-01T00:00:00").json()
    assert body["due_at"] == "2024-05-03T05:59:59Z"  # local midnight -> 23:59:59 local
    assert body["lock_at"] == "2024-05-03T05:59:59Z"  # 06:00Z is Denver's midnight
    assert body["unlock_at"] == "2024-05-01T06:00:00Z"  # never shifted
    assert post(api, name="Z", due_at="2024-05-02T00:00:00Z").json()["due_at"] == "2024-05-02T00:00:00Z"


def test_due_at_must_lie_between_the_availability_dates(api, store, course):
    since = mark(store)
    r = post(api, name="R", unlock_at="2024-05-02T00:00:00Z", due_at="2024-05-01T12:00:00Z")
    assert (r.status, r.json()) == (400, invalid("due_at", "must be between availability dates"))
    r = post(api, name="R", lock_at="2024-05-01T10:00:00Z", due_at="2024-05-01T12:00:00Z")
    assert r.json() == invalid("due_at", "must be between availability dates")
    unchanged(store, since)
    # to the minute: seconds past the lock minute pass; unlock after lock alone is accepted
    assert post(api, name="R", lock_at="2024-05-01T12:00:10Z", due_at="2024-05-01T12:00:50Z").status == 201
    assert post(api, name="R", unlock_at="2024-05-03T12:00:00Z", lock_at="2024-05-01T12:00:00Z").status == 201


# -- groups, categories, booleans, SIS ----------------------------------------------------------
def test_assignment_group_id(api, store, course):
    first, second = group(store, "First", 1), group(store, "Second", 2)
    other = group(store, "Elsewhere", 1, course_id=2)
    assert post(api, name="A", assignment_group_id=str(second.id)).json()["assignment_group_id"] == second.id
    assert post(api, name="A", assignment_group_id=f"{second.id}abc").json()["assignment_group_id"] == second.id
    for ref in (str(other.id), "9999"):
        assert post(api, name="A", assignment_group_id=ref).json()["assignment_group_id"] == first.id
    for bad in ("abc", "0", "-3"):
        r = post(api, name="A", assignment_group_id=bad)
        assert (r.status, r.json()) == (400, invalid("assignment[assignment_group_id]", "must be a positive number"))
    # the group check comes before the dates'
    r = post(api, name="A", assignment_group_id="x", due_at="bad")
    assert list(r.json()["errors"]) == ["assignment[assignment_group_id]"]


def test_position_appends_or_is_stored_as_given(api, store, course):
    a = post(api, name="A").json()
    b = post(api, name="B").json()
    c = post(api, name="C", position="7").json()
    d = post(api, name="D", position="abc").json()  # Rails: "abc" -> 0
    assert [x["position"] for x in (a, b, c, d)] == [1, 2, 7, 0]
    r = post(api, name="E", position=str(2 ** 40))
    assert (r.status, r.json()) == (400, invalid("position", "out_of_range"))


def test_group_category_only_this_courses(api, store, course):
    assert post(api, name="G", group_category_id="1").json()["group_category_id"] == 1
    other = store.insert("group_categories", name="Other", context_type="Course", context_id=2, root_account_id=1)
    for ref in (str(other.id), "4", "999", ""):  # another course's, an account's, unknown, blank
        assert post(api, name="G", group_category_id=ref).json()["group_category_id"] is None
    body = post(api, name="G", group_category_id="1", grade_group_students_individually="true").json()
    assert body["grade_group_students_individually"] is True


@pytest.mark.parametrize("fields,errors", [
    ({"group_category_id": "1", "submission_types][": "discussion_topic"},
     {"group_category_id": ["Group categories cannot be set directly on a discussion assignment, but should be "
                            "set on the discussion instead"]}),
    ({"group_category_id": "1", "anonymous_grading": "true"},
     {"base": ["Can't enable anonymous grading and group assignments together"]}),
    ({"moderated_grading": "true", "grader_count": "2", "group_category_id": "1"},
     {"moderated_grading": ["Moderated grading setting cannot be enabled for group assignments"]}),
    ({"moderated_grading": "true", "grader_count": "2", "peer_reviews": "true"},
     {"moderated_grading": ["Moderated grading setting cannot be enabled for peer reviewed assignments"]}),
    ({"moderated_grading": "true", "grader_count": "2", "grading_type": "not_graded"},
     {"moderated_grading": ["Moderated grading setting cannot be enabled for ungraded assignments"]}),
    ({"moderated_grading": "true"}, {"grader_count": [("greater_than", "greater_than")]}),
    ({"allowed_attempts": "0"}, {"allowed_attempts": [("greater_than", "greater_than")]}),
    ({"allowed_attempts": "-2"}, {"allowed_attempts": [("greater_than", "greater_than")]}),
    ({"hide_in_gradebook": "true"}, {"hide_in_gradebook": [("equal_to", "equal_to")]}),
    ({"hide_in_gradebook": "true", "omit_from_final_grade": "true", "points_possible": "5"},
     {"hide_in_gradebook": [("inclusion", "inclusion")]}),
])
def test_model_errors(api, store, course, fields, errors):
    since = mark(store)
    r = post(api, name="M", **fields)
    expected = {k: [{"attribute": k, "type": m[0], "message": m[1]} if isinstance(m, tuple)
                    else {"attribute": k, "type": m, "message": m} for m in msgs] for k, msgs in errors.items()}
    assert (r.status, r.json()) == (400, {"errors": expected})
    unchanged(store, since)


def test_model_errors_come_together_in_canvas_order(api, store, course):
    r = post(api, name="", points_possible="-3", grading_type="x", allowed_attempts="0")
    assert list(r.json()["errors"]) == ["points_possible", "allowed_attempts", "title", "grading_type"]


def test_booleans_cast_as_rails_columns_or_value_to_boolean(api, store, course):
    body = post(api, name="B", peer_reviews="no", omit_from_final_grade="yes", published="yes",
                only_visible_to_overrides="2", post_to_sis="abc", important_dates="on").json()
    # columns: anything but Rails' FALSE_VALUES is true ("no" too); value_to_boolean knows "yes"/"no"
    assert (body["peer_reviews"], body["omit_from_final_grade"], body["published"],
            body["only_visible_to_overrides"], body["post_to_sis"], body["important_dates"]) == (
        True, True, True, True, False, True)
    body = post(api, name="B", peer_reviews="0", published="0", anonymous_peer_reviews="f").json()
    assert (body["peer_reviews"], body["published"], body["anonymous_peer_reviews"]) == (False, False, False)
    body = post(api, name="B", hide_in_gradebook="true", omit_from_final_grade="true").json()
    assert (body["hide_in_gradebook"], body["omit_from_final_grade"]) == (True, True)


def test_peer_review_keys_with_automatic_peer_reviews(api, store, course):
    body = post(api, name="P", peer_reviews="true", automatic_peer_reviews="true", peer_review_count="2",
                peer_reviews_assign_at="2024-06-01T12:00:00Z", intra_group_peer_reviews="true").json()
    assert (body["peer_review_count"], body["peer_reviews_assign_at"], body["intra_group_peer_reviews"]) == (
        2, "2024-06-01T12:00:00Z", True)
    assert list(body).index("peer_review_count") == list(body).index("has_overrides") + 1
    # external tools never have peer reviews
    assert post(api, name="T", peer_reviews="true", submission_types="external_tool").json()["peer_reviews"] is False


def test_allowed_attempts(api, store, course):
    assert post(api, name="A", allowed_attempts="3", submission_types="online_url").json()["allowed_attempts"] == 3
    assert post(api, name="A", allowed_attempts="-1", submission_types="online_url").json()["allowed_attempts"] == -1
    # none / on_paper clear it (default_values, after the validations)
    assert post(api, name="A", allowed_attempts="3", submission_types="on_paper").json()["allowed_attempts"] == -1
    assert post(api, name="A", allowed_attempts="3").json()["allowed_attempts"] == -1


def test_moderated_grading_and_final_grader(api, store, course):
    body = post(api, name="M", moderated_grading="true", grader_count="2", final_grader_id="2").json()
    assert (body["moderated_grading"], body["grader_count"], body["final_grader_id"], body["post_manually"]) == (
        True, 2, 2, True)
    r = post(api, name="M", moderated_grading="true", grader_count="2", final_grader_id="6")
    assert (r.status, r.json()) == (400, invalid("final_grader_id", "course has no active instructors with this ID"))
    body = post(api, name="M", grader_count="4", final_grader_id="2").json()  # not moderated: cleared
    assert (body["grader_count"], body["final_grader_id"]) == (0, None)


def test_anonymous_grading(api, store, course):
    body = post(api, name="A", anonymous_grading="true").json()
    assert (body["anonymous_grading"], body["anonymize_students"], body["post_manually"]) == (True, True, True)


def test_sis_fields_need_manage_sis(api, store, course):
    fields = {"sis_assignment_id": "SIS-1", "integration_id": "INT-1", "integration_data": '{"k": "v"}'}
    body = post(api, **fields, name="S").json()  # teacher: dropped
    assert (body["sis_assignment_id"], body["integration_id"], body["integration_data"]) == (None, None, {})
    body = post(api, token="admin-token", name="S", **fields).json()
    assert (body["sis_assignment_id"], body["integration_id"], body["integration_data"]) == ("SIS-1", "INT-1", {"k": "v"})
    assert api.get(f"{URL}/sis_assignment_id:SIS-1").json()["id"] == body["id"]
    r = post(api, token="admin-token", name="S2", sis_assignment_id="SIS-1")
    assert (r.status, r.json()) == (400, invalid("sis_source_id", "taken"))
    bad = post(api, token="admin-token", name="S3", integration_data="not json").json()
    assert bad["integration_data"] == {}


def test_unknown_parameters_are_ignored(api, store, course):
    body = post(api, name="U", bogus="1", muted="false", grading_standard_id="5", notify_of_update="true").json()
    assert (body["muted"], body["grading_standard_id"]) == (True, None)


# -- hostile input ------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", [
    {"assignment": {"name": ["a", "b"], "points_possible": {"x": 1}, "due_at": ["2024-05-01T00:00:00Z"]}},
    {"assignment": {"name": "H", "due_at": 12345}},
    {"assignment": {"name": "H", "points_possible": 1e308, "position": 1.5}},
    {"assignment": {"name": "H", "assignment_group_id": {"a": 1}}},
    {"assignment": {"name": "H", "submission_types": [1, None]}},
    {"assignment": {"name": "H", "allowed_extensions": [1, {"a": 2}, "ok"], "published": [1]}},
    {"assignment": {"name": "\u0000\ud7ff<script>", "description": 42, "group_category_id": 10 ** 30}},
    {"assignment": {"name": "H", "assignment_overrides": "nope", "allowed_attempts": 10 ** 20}},
])
def test_hostile_json_gets_a_canvas_answer(api, store, course, payload):
    r = api.post(URL, json=payload)
    assert r.status in (201, 400)
    assert isinstance(r.json(), dict)


def test_list_and_hash_values_where_scalars_are_permitted_are_dropped(api, store, course):
    r = api.post(URL, json={"assignment": {"name": ["a"], "description": {"x": 1}, "points_possible": [5]}})
    body = r.json()
    assert (r.status, body["name"], body["description"], body["points_possible"]) == (201, "Assignment", None, 0.0)
    r = api.post(URL, json={"assignment": {"name": "H", "due_at": 12345}})
    assert r.json() == invalid("assignment[due_at]", "Invalid datetime for due_at")
