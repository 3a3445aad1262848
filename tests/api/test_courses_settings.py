"""GET|PUT /api/v1/courses/:course_id/settings (#api_settings, #update_settings) and
GET /api/v1/courses/:course_id/permissions (#permissions)."""

from __future__ import annotations

import pytest

from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED

DEFAULTS = {
    "allow_final_grade_override": False, "allow_student_discussion_topics": True,
    "allow_student_forum_attachments": True, "allow_student_discussion_editing": True,
    "allow_student_discussion_reporting": True, "allow_student_anonymous_discussion_topics": False,
    "use_default_discussion_settings": False, "default_discussion_settings": {},
    "filter_speed_grader_by_student_group": False, "grading_standard_enabled": False, "grading_standard_id": None,
    "grade_passback_setting": None, "allow_student_organized_groups": True, "hide_final_grades": False,
    "hide_distribution_graphs": False, "hide_sections_on_course_users_page": False, "lock_all_announcements": False,
    "usage_rights_required": False, "restrict_student_past_view": False, "restrict_student_future_view": False,
    "restrict_quantitative_data": False, "show_announcements_on_home_page": False,
    "home_page_announcement_limit": 3, "syllabus_course_summary": True, "homeroom_course": False,
    "image_url": None, "image_id": None, "image": None, "banner_image_url": None, "banner_image_id": None,
    "banner_image": None, "course_color": None, "friendly_name": None, "default_due_time": "23:59:59",
    "conditional_release": False, "default_student_gradebook_view": None,
}


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def test_settings_defaults_in_order(api):
    r = api.get("/api/v1/courses/1/settings")
    assert r.status == 200
    assert list(r.json()) == list(DEFAULTS) and r.json() == DEFAULTS


@pytest.mark.parametrize("token,status", [("student-token", 200), ("observer-token", 200), ("ta-token", 200),
                                          ("designer-token", 200), ("admin-token", 200), ("outsider-token", 401)])
def test_who_reads_settings(api, tokens, token, status):
    r = api.get("/api/v1/courses/1/settings", token=token)
    assert r.status == status
    if status == 401:
        assert r.json() == UNAUTHORIZED


def test_update_settings_top_level_params(api, store):
    r = api.put("/api/v1/courses/1/settings", data={
        "allow_student_discussion_topics": "false", "hide_final_grades": "true", "lock_all_announcements": "1",
        "home_page_announcement_limit": "5", "allow_student_organized_groups": "no", "bogus_setting": "true",
        "default_due_time": "08:00:00", "course[hide_distribution_graphs]": "true"})
    assert r.status == 200
    s = r.json()
    assert s["allow_student_discussion_topics"] is False and s["hide_final_grades"] is True
    assert s["lock_all_announcements"] is True and s["home_page_announcement_limit"] == 5
    assert s["allow_student_organized_groups"] is False and s["default_due_time"] == "08:00:00"
    assert s["hide_distribution_graphs"] is False  # course[...] is not read here
    assert "bogus_setting" not in s
    assert api.get("/api/v1/courses/1/settings").json() == s
    course = store.get("courses", 1)
    assert course.hide_final_grades is True and course.allow_student_organized_groups is False
    assert api.get("/api/v1/courses/1").json()["hide_final_grades"] is True
    assert store.live_events.names() == ["course_updated"]


def test_update_settings_with_nothing_known_changes_nothing(api, store):
    r = api.put("/api/v1/courses/1/settings", data={"bogus": "1"})
    assert r.status == 200 and r.json() == DEFAULTS and len(store.live_events) == 0


@pytest.mark.parametrize("token", ["student-token", "observer-token", "outsider-token"])
def test_update_settings_refused(api, store, tokens, token):
    r = api.put("/api/v1/courses/1/settings", token=token, data={"hide_final_grades": "true"})
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert store.get("courses", 1).hide_final_grades is False and len(store.live_events) == 0


def test_settings_unknown_course_and_no_token(api):
    assert api.get("/api/v1/courses/999/settings").json() == NOT_FOUND
    assert api.put("/api/v1/courses/sis_course_id:NOPE/settings").json() == NOT_FOUND
    assert api.get("/api/v1/courses/1/settings", token=None).json() == UNAUTHENTICATED


# -- permissions ------------------------------------------------------------------------------------

PERMS = ["read", "read_roster", "update", "manage_content", "manage_grades", "read_sis", "manage_sis",
         "manage_courses_publish", "manage_courses_conclude", "delete", "bogus_permission"]


@pytest.mark.parametrize("token,granted", [
    ("teacher-token", {"read", "read_roster", "update", "manage_content", "manage_grades", "read_sis",
                       "manage_courses_publish", "manage_courses_conclude"}),
    ("ta-token", {"read", "read_roster", "update", "manage_content", "manage_grades"}),
    ("student-token", {"read", "read_roster"}),
    ("observer-token", {"read"}),
    ("admin-token", set(PERMS) - {"bogus_permission"}),
])
def test_permissions(api, tokens, token, granted):
    query = "&".join(f"permissions[]={p}" for p in PERMS)
    r = api.get(f"/api/v1/courses/1/permissions?{query}", token=token)
    assert r.status == 200
    assert r.json() == {p: p in granted for p in PERMS}
    assert list(r.json()) == PERMS


def test_permissions_need_read(api):
    r = api.get("/api/v1/courses/1/permissions?permissions[]=read", token="outsider-token")
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert api.get("/api/v1/courses/1/permissions").json() == {}
    assert api.get("/api/v1/courses/999/permissions").json() == NOT_FOUND
