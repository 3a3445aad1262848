"""POST /api/v1/accounts/:account_id/courses (CoursesController#create)."""

from __future__ import annotations

import pytest

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

ADMIN = "admin-token"
URL = "/api/v1/accounts/1/courses"
# the create answer: course_json with the columns create names (no enrollments)
CREATE_KEYS = [
    "id", "name", "account_id", "uuid", "start_at", "conclude_at", "grading_standard_id", "is_public",
    "created_at", "allow_student_forum_attachments", "course_code", "default_view", "root_account_id",
    "enrollment_term_id", "open_enrollment", "allow_wiki_comments", "self_enrollment", "license",
    "grade_passback_setting", "end_at", "public_syllabus", "public_syllabus_to_auth", "storage_quota_mb",
    "is_public_to_auth_users", "homeroom_course", "course_color", "friendly_name",
    "apply_assignment_group_weights", "calendar", "time_zone", "blueprint", "template", "sis_course_id",
    "integration_id", "sis_import_id", "hide_final_grades", "workflow_state", "restrict_enrollments_to_course_dates",
]


def count(store):
    return len(store.rows["courses"])


def test_create_with_defaults(api, store):
    r = api.post(URL, token=ADMIN, data={"course[name]": "Biology 101 Fall"})
    assert r.status == 200
    c = r.json()
    assert list(c) == CREATE_KEYS
    assert (c["name"], c["course_code"], c["workflow_state"]) == ("Biology 101 Fall", "Biology 101", "unpublished")
    assert (c["account_id"], c["root_account_id"], c["enrollment_term_id"]) == (1, 1, 1)
    assert c["default_view"] == "modules" and c["license"] == "private" and c["conclude_at"] is None
    assert c["sis_course_id"] is None and c["sis_import_id"] is None and "enrollments" not in c
    row = store.get("courses", c["id"])
    assert row.workflow_state == "created" and row.uuid == c["uuid"]
    assert store.courses.lists.user_courses(store.get("users", 1)) == []  # no enrollment made


@pytest.mark.parametrize("name,code", [("", "Unnamed"), ("   ", "Unnamed"), ("Intro to Chem", "Intro"),
                                       ("Ch\rem 2 x3", "Chem 2"), ("\u00c9tudes 2", "\u00c9tudes 2")])
def test_names_and_derived_codes(api, name, code):
    c = api.post(URL, token=ADMIN, data={"course[name]": name}).json()
    assert c["course_code"] == code
    assert c["name"] == ("Unnamed Course" if not name.strip() else name.replace("\r", ""))


def test_no_course_hash_at_all(api):
    c = api.post(URL, token=ADMIN).json()
    assert (c["name"], c["course_code"]) == ("Unnamed Course", "Unnamed")


def test_enroll_me_only_for_the_string_true(api, store):
    c = api.post(URL, token=ADMIN, data={"course[name]": "Mine", "enroll_me": "1"}).json()
    assert store.courses.enrollments_of(1, c["id"]) == []
    c = api.post(URL, token=ADMIN, json={"course": {"name": "Mine"}, "enroll_me": True}).json()
    [e] = store.courses.enrollments_of(1, c["id"])
    assert (e.type, e.workflow_state) == ("TeacherEnrollment", "active")
    [section] = [store.get("sections", i) for i in store.idx["sections"]["by_course"].ids(c["id"])]
    assert e.course_section_id == section.id and section.name == "Mine"
    # Course#enroll_user claims a created course for an admin-type enrollment
    assert store.get("courses", c["id"]).workflow_state == "claimed"
    assert [x["id"] for x in api.get("/api/v1/courses", token=ADMIN).json()] == [c["id"]]


def test_offer_publishes(api, store):
    c = api.post(URL, token=ADMIN, data={"course[name]": "Open", "offer": "true"}).json()
    assert c["workflow_state"] == "available" and store.get("courses", c["id"]).workflow_state == "available"


def test_dates_need_restrict_enrollments_to_course_dates(api):
    dates = {"course[start_at]": "2026-09-01T08:00:00Z", "course[end_at]": "2026-12-20T17:00:00Z"}
    c = api.post(URL, token=ADMIN, data={"course[name]": "A", **dates}).json()
    assert (c["start_at"], c["end_at"]) == (None, None)
    c = api.post(URL, token=ADMIN, data={"course[name]": "B", **dates,
                                         "course[restrict_enrollments_to_course_dates]": "true"}).json()
    assert (c["start_at"], c["end_at"], c["restrict_enrollments_to_course_dates"]) == (
        "2026-09-01T08:00:00Z", "2026-12-20T17:00:00Z", True)
    assert "conclude_at" not in c  # end_at was named: no conclude_at key
    c = api.post(URL, token=ADMIN, data={"course[name]": "C", "course[conclude_at]": "2026-12-20T17:00:00Z",
                                         "course[restrict_enrollments_to_course_dates]": "1"}).json()
    assert c["conclude_at"] == "2026-12-20T17:00:00Z" == c["end_at"]


def test_fields_and_their_casts(api):
    c = api.post(URL, token=ADMIN, data={
        "course[name]": "Chem", "course[course_code]": "CHEM-1", "course[license]": "cc_by",
        "course[is_public]": "no",  # Rails' boolean cast: only false/0/f/off are false
        "course[public_syllabus]": "false", "course[open_enrollment]": "yes", "course[allow_wiki_comments]": "1",
        "course[course_format]": "online", "course[time_zone]": "Mountain Time (US & Canada)",
        "course[default_view]": "syllabus", "course[hide_final_grades]": "true",
        "course[apply_assignment_group_weights]": "true", "course[grade_passback_setting]": "nightly_sync",
        "course[public_description]": "<b>Hi</b>", "course[locale]": "fr", "course[storage_quota_mb]": "2000",
        "course[integration_id]": "INT-1", "course[term_id]": "sis_term_id:2026-SP", "course[account_id]": "2",
    }).json()
    assert (c["course_code"], c["license"], c["is_public"], c["public_syllabus"]) == ("CHEM-1", "cc_by", True, False)
    assert (c["open_enrollment"], c["allow_wiki_comments"], c["course_format"]) == (True, True, "online")
    assert (c["time_zone"], c["default_view"], c["hide_final_grades"]) == ("America/Denver", "syllabus", True)
    assert (c["apply_assignment_group_weights"], c["grade_passback_setting"]) == (True, "nightly_sync")
    assert (c["public_description"], c["locale"], c["storage_quota_mb"]) == ("<b>Hi</b>", "fr", 2000)
    assert (c["integration_id"], c["enrollment_term_id"], c["account_id"]) == ("INT-1", 3, 2)


@pytest.mark.parametrize("value,expected", [("bogus", "private"), ("", "private")])
def test_unknown_license_is_private_and_format_nulled(api, value, expected):
    c = api.post(URL, token=ADMIN, data={"course[license]": value, "course[course_format]": "bogus"}).json()
    assert c["license"] == expected and "course_format" not in c


def test_sis_id_by_admin_and_duplicate(api, store):
    c = api.post(URL, token=ADMIN, data={"course[sis_course_id]": "NEW-1"}).json()
    assert c["sis_course_id"] == "NEW-1"
    assert store.find("courses", "sis_course_id:NEW-1").id == c["id"]
    n = count(store)
    r = api.post(URL, token=ADMIN, data={"course[sis_course_id]": "MOCK101-2024"})
    assert r.status == 400 and r.json() == {"errors": {"sis_source_id": [{
        "attribute": "sis_source_id", "type": 'SIS ID "MOCK101-2024" is already in use',
        "message": 'SIS ID "MOCK101-2024" is already in use'}]}}
    assert count(store) == n


@pytest.mark.parametrize("data,attribute,message", [
    ({"course[default_view]": "bogus"}, "default_view", "Home page is not valid"),
    ({"course[default_view]": "wiki"}, "default_view", "A Front Page is required"),
    ({"course[grade_passback_setting]": "hourly"}, "grade_passback_setting", "Invalid grade_passback_setting"),
    ({"course[restrict_enrollments_to_course_dates]": "true", "course[start_at]": "2026-05-01",
      "course[end_at]": "2026-04-01"}, "conclude_at", "End date cannot be before start date"),
])
def test_validation_errors_create_nothing(api, store, data, attribute, message):
    n, events = count(store), len(store.live_events)
    r = api.post(URL, token=ADMIN, data=data)
    assert r.status == 400
    assert r.json() == {"errors": {attribute: [{"attribute": attribute, "type": message, "message": message}]}}
    assert count(store) == n and len(store.live_events) == events


def test_too_long_name(api, store):
    n = count(store)
    r = api.post(URL, token=ADMIN, data={"course[name]": "x" * 256})
    assert r.status == 400 and r.json() == {"errors": {"name": [{
        "attribute": "name", "type": "too_long", "message": "is too long (maximum is 255 characters)"}]}}
    assert count(store) == n
    assert api.post(URL, token=ADMIN, data={"course[name]": "x" * 255}).status == 200


def test_hostile_strings_are_kept_as_text(api):
    name = "<script>alert('x')</script> \u00e9\u6f22\u5b57 \U0001F600"
    r = api.post(URL, token=ADMIN, json={"course": {"name": name, "syllabus_body": "<p onclick=x>\x01</p>"}})
    assert r.status == 200 and r.json()["name"] == name
    assert "\\u003cscript\\u003e" in r.text  # escaped as Canvas's JSON does


def test_silent_drops_for_teachers_allowed_to_create(api, store):
    store._update("accounts", store.get("accounts", 1), settings=(("teachers_can_create_courses", True),))
    r = api.post(URL, data={"course[name]": "T", "course[sis_course_id]": "T-1", "course[storage_quota_mb]": "9",
                            "course[is_public]": "true", "course[public_syllabus]": "true"})
    assert r.status == 200
    c = r.json()
    assert "sis_course_id" not in c and c["storage_quota_mb"] == 500 and c["is_public"] is False
    assert c["public_syllabus"] is False and store.get("courses", c["id"]).sis_course_id is None
    assert api.post("/api/v1/accounts/2/courses", data={"course[name]": "T"}).status == 401  # sub-account


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "student-token", "outsider-token"])
def test_only_admins_create_by_default(api, store, token):
    n = count(store)
    r = api.post(URL, token=token, data={"course[name]": "No"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert count(store) == n and len(store.live_events) == 0


def test_needs_a_token(api, store):
    r = api.post(URL, token=None, data={"course[name]": "No"})
    assert r.status == 401 and r.json() == UNAUTHENTICATED


@pytest.mark.parametrize("data", [{"course[account_id]": "999"}, {"course[term_id]": "999"},
                                  {"course[term_id]": "sis_term_id:NOPE"}, {"course[account_id]": str(2**64)}])
def test_unknown_sub_account_or_term_is_404(api, store, data):
    n = count(store)
    r = api.post(URL, token=ADMIN, data=data)
    assert r.status == 404 and r.json() == NOT_FOUND and count(store) == n


def test_account_outside_the_tree_is_404(api, store):
    r = api.post("/api/v1/accounts/2/courses", token=ADMIN, data={"course[account_id]": "1"})
    assert r.status == 404 and r.json() == NOT_FOUND
    for ref in ("999", "sis_account_id:NOPE", str(2**63)):
        assert api.post(f"/api/v1/accounts/{ref}/courses", token=ADMIN).json() == NOT_FOUND


def test_bad_json_body(api, store):
    n = count(store)
    r = api.post(URL, token=ADMIN, data=b"{nope", headers={"Content-Type": "application/json"})
    assert r.status == 400 and count(store) == n
