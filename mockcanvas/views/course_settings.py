"""course_settings_json (lib/api/v1/course.rb): ``GET|PUT /courses/:course_id/settings``.

Every key is always present, in the order of ``course_settings_json`` (2025, canvas-facts-courses-users
3.8; ``use_default_discussion_settings``, ``default_discussion_settings`` and
``default_student_gradebook_view`` are from the facts' 2025 list, not in the copy of the file read,
and the last one's default is UNVERIFIED: null here). Defaults of a new course (INFERRED): booleans
false except the student discussion rights, ``allow_student_organized_groups`` and
``syllabus_course_summary``; ``home_page_announcement_limit`` 3; ``default_due_time`` "23:59:59".
"""

from __future__ import annotations

from typing import Any

from ..store.courses import setting
from ..store.records import Course


def settings_json(course: Course) -> dict[str, Any]:
    def b(name: str) -> bool:
        return bool(setting(course, name))

    return {
        "allow_final_grade_override": b("allow_final_grade_override"),
        "allow_student_discussion_topics": b("allow_student_discussion_topics"),
        "allow_student_forum_attachments": b("allow_student_forum_attachments"),
        "allow_student_discussion_editing": b("allow_student_discussion_editing"),
        "allow_student_discussion_reporting": b("allow_student_discussion_reporting"),
        "allow_student_anonymous_discussion_topics": b("allow_student_anonymous_discussion_topics"),
        "use_default_discussion_settings": b("use_default_discussion_settings"),
        "default_discussion_settings": {},
        "filter_speed_grader_by_student_group": b("filter_speed_grader_by_student_group"),
        "grading_standard_enabled": course.grading_standard_id is not None,
        "grading_standard_id": course.grading_standard_id,
        "grade_passback_setting": course.grade_passback_setting,
        "allow_student_organized_groups": course.allow_student_organized_groups,
        "hide_final_grades": course.hide_final_grades,
        "hide_distribution_graphs": b("hide_distribution_graphs"),
        "hide_sections_on_course_users_page": b("hide_sections_on_course_users_page"),
        "lock_all_announcements": b("lock_all_announcements"),
        "usage_rights_required": b("usage_rights_required"),
        "restrict_student_past_view": b("restrict_student_past_view"),
        "restrict_student_future_view": b("restrict_student_future_view"),
        "restrict_quantitative_data": b("restrict_quantitative_data"),
        "show_announcements_on_home_page": b("show_announcements_on_home_page"),
        "home_page_announcement_limit": setting(course, "home_page_announcement_limit"),
        "syllabus_course_summary": b("syllabus_course_summary"),
        "homeroom_course": b("homeroom_course"),
        "image_url": setting(course, "image_url"),
        "image_id": setting(course, "image_id"),
        "image": setting(course, "image_url"),
        "banner_image_url": setting(course, "banner_image_url"),
        "banner_image_id": setting(course, "banner_image_id"),
        "banner_image": setting(course, "banner_image_url"),
        "course_color": course.course_color,
        "friendly_name": setting(course, "friendly_name"),
        "default_due_time": setting(course, "default_due_time") or "23:59:59",
        "conditional_release": b("conditional_release"),
        "default_student_gradebook_view": setting(course, "default_student_gradebook_view"),
    }
