"""The ``course[...]`` parameters of create and update, and the top-level parameters of
``PUT /courses/:id/settings``, read the way CoursesController#create / #update / #update_settings
and Course#assert_defaults (app/models/course.rb) read them. Pure rules: no HTTP.

Every value is validated before anything is written; failures are collected into one
:class:`mockcanvas.errors.Invalid` (the keyed errors hash), or raise the controller's own answers
(404 for an unknown term or account, 401 for a refused part, 400 ``{"message": ...}`` for the image
parameters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import optional_int, ruby_to_i, to_bool, value_to_boolean
from . import records as r
from .courses import (BOOLEAN_SETTINGS, COURSE_FORMATS, DEFAULT_VIEWS, LICENSES, MAX_STRING, VALUE_SETTINGS,
                      course_code_for, normalize_hexcode, parse_time, rails_bool, valid_zone, with_settings)

if TYPE_CHECKING:
    from . import Store

# course[...] keys kept with the course's settings (booleans, Rails-cast)
SETTING_COLUMNS = ("allow_wiki_comments", "open_enrollment", "self_enrollment", "allow_student_wiki_edits",
                   "allow_student_forum_attachments")
VISIBILITY = ("is_public_to_auth_users", "public_syllabus", "public_syllabus_to_auth")
MSG_SIS_TAKEN = 'SIS ID "{}" is already in use'
MSG_INTEGRATION_TAKEN = 'Integration ID "{}" is already in use'
MSG_DATES = "End date cannot be before start date"
MSG_BOOLEAN = "The argument provided is expected to be of type boolean."
TOO_LONG = ("too_long", "is too long (maximum is 255 characters)")


def _text(value: Any) -> str | None:
    """A string parameter; hashes and arrays are not strings (nil)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class CourseInput:
    def __init__(self, store: Store, actor: r.User, raw: dict[str, Any]) -> None:
        self.s = store
        self.actor = actor
        self.raw = raw
        self.errors = E.Invalid()

    def has(self, key: str) -> bool:
        return key in self.raw

    # -- fields both actions share ---------------------------------------------------------
    def _common(self, out: dict[str, Any], settings: dict[str, Any], current: r.Course | None) -> None:
        raw = self.raw
        if "name" in raw:
            name = _text(raw["name"]) or ""
            name = name.replace("\r", "")
            if not name.strip():
                name = "Unnamed Course"
            if len(name) > MAX_STRING:
                self.errors.add("name", TOO_LONG)
            out["name"] = name
        if "course_code" in raw:
            code = _text(raw["course_code"])
            if code is not None and len(code) > MAX_STRING:
                self.errors.add("course_code", TOO_LONG)
            out["course_code"] = code if code else None
        if "license" in raw:
            lic = _text(raw["license"])
            out["license"] = lic if lic in LICENSES else "private"
        if "is_public" in raw:
            out["is_public"] = bool(rails_bool(raw["is_public"]))
        for key in VISIBILITY:
            if key in raw:
                out[key] = bool(rails_bool(raw[key]))
        for key in SETTING_COLUMNS:
            if key in raw:
                settings[key] = bool(rails_bool(raw[key]))
        if "public_description" in raw:
            out["public_description"] = _text(raw["public_description"])
        if "syllabus_body" in raw:
            out["syllabus_body"] = _text(raw["syllabus_body"])
        if "hide_final_grades" in raw:
            out["hide_final_grades"] = bool(to_bool(raw["hide_final_grades"]))
        if raw.get("apply_assignment_group_weights") is not None:
            # CoursesController#update: value_to_boolean (an unknown string is ``to_i != 0``: "2" is true)
            out["apply_assignment_group_weights"] = value_to_boolean(raw["apply_assignment_group_weights"])
        if "time_zone" in raw:
            zone = valid_zone(raw["time_zone"])
            if zone is not None:
                out["time_zone"] = zone
        if "default_view" in raw:
            view = _text(raw["default_view"])
            view = view if view else "modules"
            if view not in DEFAULT_VIEWS:
                self.errors.add("default_view", "Home page is not valid")
            elif view == "wiki":  # the mock has no wiki front page
                self.errors.add("default_view", "A Front Page is required")
            out["default_view"] = view
        if "course_format" in raw:
            fmt = _text(raw["course_format"])
            out["course_format"] = fmt if fmt in COURSE_FORMATS else None
        if "locale" in raw:
            loc = _text(raw["locale"])
            out["locale"] = None if _blank(loc) else loc
        if "grading_standard_id" in raw:
            out["grading_standard_id"] = None  # no grading standard is visible to any course here
        if "integration_id" in raw:
            self._unique_id(out, current, "integration_id", raw["integration_id"], "by_integration",
                            "integration_id", MSG_INTEGRATION_TAKEN)

    def _grade_passback(self, out: dict[str, Any]) -> None:
        value = _text(self.raw.get("grade_passback_setting"))
        if _blank(value):
            out["grade_passback_setting"] = None
        elif value in ("nightly_sync", "disabled"):
            out["grade_passback_setting"] = value
        else:
            self.errors.add("grade_passback_setting", "Invalid grade_passback_setting")

    def _sis(self, out: dict[str, Any], current: r.Course | None) -> None:
        self._unique_id(out, current, "sis_course_id", self.raw.get("sis_course_id"), "by_sis", "sis_source_id",
                        MSG_SIS_TAKEN)

    def _unique_id(self, out: dict[str, Any], current: r.Course | None, column: str, given: Any, index: str,
                   attribute: str, message: str) -> None:
        """An id column unique among courses: blank is null; one another course holds is
        ``message`` on ``attribute``."""
        value = _text(given)
        value = None if _blank(value) else value
        if value is not None:
            found = self.s.idx["courses"][index].get(value)
            if found is not None and (current is None or found != current.id):
                self.errors.add(attribute, message.format(value))
        out[column] = value

    def _dates_order(self, start: Any, end: Any) -> None:
        if start is not None and end is not None and end < start:
            self.errors.add("conclude_at", MSG_DATES)

    def _quota(self, out: dict[str, Any], account: r.Account) -> None:
        if "storage_quota_mb" in self.raw and "manage_storage_quotas" in self.s.policy.account_rights(self.actor, account):
            out["storage_quota_mb"] = optional_int(_text(self.raw["storage_quota_mb"]))

    # -- create ----------------------------------------------------------------------------
    def for_create(self, account: r.Account) -> tuple[dict[str, Any], r.Account, Any]:
        raw = self.raw
        out: dict[str, Any] = {}
        settings: dict[str, Any] = {}
        target = account
        sub = raw.get("account_id")
        if sub is not None and not isinstance(sub, (dict, list)) and ruby_to_i(sub) != account.id:
            found = self.s.find("accounts", str(sub))
            if not self.s.courses.in_tree(found.id, account.id):
                raise E.NotFound()
            target = found
        root_id = account.root_account_id or account.id
        term_ref = _text(raw.get("term_id")) or _text(raw.get("enrollment_term_id"))
        term = self.s.courses.find_term(root_id, term_ref) if not _blank(term_ref) else None
        self._common(out, settings, None)
        out.setdefault("name", "Unnamed Course")
        if out.get("course_code") is None:
            out["course_code"] = course_code_for(out["name"])
        if "grade_passback_setting" in raw:
            self._grade_passback(out)
        self._quota(out, account)
        if "restrict_enrollments_to_course_dates" in raw:
            out["restrict_enrollments_to_course_dates"] = bool(rails_bool(raw["restrict_enrollments_to_course_dates"]))
        # Term enrollment: start_at / end_at are dropped unless the course restricts to its dates
        if to_bool(raw.get("restrict_enrollments_to_course_dates")) is True:
            zone = self.actor.time_zone
            end_key = "end_at" if not _blank(raw.get("end_at")) else "conclude_at"
            if "start_at" in raw:
                out["start_at"] = parse_time(raw["start_at"], zone)
            if end_key in raw:
                out["end_at"] = parse_time(raw[end_key], zone)
            self._dates_order(out.get("start_at"), out.get("end_at"))
        # course visibility needs manage_course_visibility on the account (admins)
        if "manage_course_visibility" not in self.s.policy.account_rights(self.actor, account):
            for key in VISIBILITY:
                out.pop(key, None)
            out["is_public"] = False
        if "manage_sis" in self.s.policy.account_rights(self.actor, account) and "sis_course_id" in raw:
            self._sis(out, None)
        if self.errors.errors:
            raise self.errors
        if settings:
            out["settings"] = tuple(sorted(settings.items()))
        return out, target, term

    # -- update ----------------------------------------------------------------------------
    def for_update(self, course: r.Course, rights: frozenset[str]) -> tuple[dict[str, Any], str | None]:
        raw = dict(self.raw)
        self.raw = raw
        s = self.s
        actor = self.actor
        account = s.get("accounts", course.account_id)
        acc_rights = s.policy.account_rights(actor, account) if account is not None else frozenset()
        admin = "manage_courses_admin" in acc_rights
        out: dict[str, Any] = {}
        settings: dict[str, Any] = {}
        event = _text(raw.pop("event", None))
        if "account_id" in raw:
            ref = raw.pop("account_id")
            if admin and ref is not None and not isinstance(ref, (dict, list)):
                target = s.find("accounts", str(ref))
                if target.id != course.account_id and "manage_courses_admin" in s.policy.account_rights(actor, target) \
                        and (target.root_account_id or target.id) == course.root_account_id:
                    out["account_id"] = target.id
        term_ref = _text(raw.pop("term_id", None))
        term_ref = _text(raw.pop("enrollment_term_id", None)) or term_ref
        if term_ref is not None and admin:
            term = s.courses.find_term(course.root_account_id, term_ref)
            if term.id != course.enrollment_term_id:
                out["enrollment_term_id"] = term.id
        if "grade_passback_setting" in raw:
            if "manage_grades" not in rights:
                raise E.Unauthorized()
            self._grade_passback(out)
        root = s.get("accounts", course.root_account_id)
        settings_of_root = dict(root.settings) if root is not None else {}
        if not admin and settings_of_root.get("prevent_course_renaming_by_teachers"):
            raw.pop("name", None)
            raw.pop("course_code", None)
        self._common(out, settings, course)
        if "course_code" in out and out["course_code"] is None:
            out.pop("course_code")  # a blank code keeps the course's (Course#assert_defaults needs a name)
        self._quota(out, account) if account is not None else None
        if "sis_course_id" in raw:
            root_rights = s.policy.account_rights(actor, root) if root is not None else frozenset()
            if "manage_sis" in root_rights:
                self._sis(out, course)
            else:
                out.pop("sis_course_id", None)
        for key in ("lock_all_announcements", "usage_rights_required"):
            if key in raw:
                settings[key] = bool(to_bool(raw[key]))
        if "blueprint" in raw:
            want = to_bool(raw["blueprint"])
            if want and "manage_master_courses" not in acc_rights and not admin:
                raise E.Unauthorized()
        self._color(out)
        self._images(settings)
        zone = actor.time_zone
        if "start_at" in raw:
            out["start_at"] = parse_time(raw["start_at"], zone)
        if "end_at" in raw:
            out["end_at"] = parse_time(raw["end_at"], zone)
        elif "conclude_at" in raw:
            out["end_at"] = parse_time(raw["conclude_at"], zone)
        if "restrict_enrollments_to_course_dates" in raw:
            restrict = to_bool(raw["restrict_enrollments_to_course_dates"])
            if restrict is None:
                self.errors.add("restrict_enrollments_to_course_dates", MSG_BOOLEAN)
            else:
                out["restrict_enrollments_to_course_dates"] = restrict
        else:
            restrict = course.restrict_enrollments_to_course_dates
        if not restrict:
            if course.workflow_state in ("created", "claimed"):
                out["start_at"] = None
            out["end_at"] = None
        self._dates_order(out.get("start_at", course.start_at), out.get("end_at", course.end_at))
        if self.errors.errors:
            raise self.errors
        if settings:
            merged = with_settings(course, settings)
            if merged != course.settings:
                out["settings"] = merged
        changes = {k: v for k, v in out.items() if getattr(course, k) != v}
        return changes, event

    def _color(self, out: dict[str, Any]) -> None:
        if "course_color" not in self.raw:
            return
        color = _text(self.raw["course_color"])
        if color is None:
            return
        if not color.strip() or len(color) == 1:
            out["course_color"] = None
            return
        norm = normalize_hexcode(color)
        if norm is None:
            self.errors.add("course_color", "Invalid hexcode provided")
        else:
            out["course_color"] = norm

    def _images(self, settings: dict[str, Any]) -> None:
        """CoursesController#update_image, for ``image`` and ``banner_image`` (the mock keeps no
        course files, so no image id is a course file)."""
        raw = self.raw
        for name in ("image", "banner_image"):
            url, ident = raw.get(f"{name}_url"), raw.get(f"{name}_id")
            if url is not None and ident is not None:
                raise E.BadRequest({"message": f"You cannot provide both an {name}_url and a {name}_id."})
            if url is not None:
                settings[f"{name}_url"] = _text(url)
                settings[f"{name}_id"] = None
            if ident is not None:
                raise E.BadRequest({"message": "The image_id is not a valid course file id."})
            if raw.get(f"remove_{name}") is not None:
                settings[f"{name}_url"] = None
                settings[f"{name}_id"] = None


# -- PUT /courses/:id/settings -------------------------------------------------------------------
COLUMN_SETTINGS = ("allow_student_organized_groups", "hide_final_grades")


def settings_changes(course: r.Course, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(column changes, settings changes) of update_settings's permitted top-level params."""
    columns: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key in COLUMN_SETTINGS:
        if key in params:
            v = to_bool(params[key])
            columns[key] = BOOLEAN_SETTINGS.get(key, key != "hide_final_grades") if v is None else v
    for key, default in BOOLEAN_SETTINGS.items():
        if key in params and key not in ("allow_wiki_comments", "open_enrollment", "self_enrollment",
                                         "allow_student_wiki_edits"):
            v = to_bool(params[key])
            values[key] = default if v is None else v
    if "home_page_announcement_limit" in params:
        v = params["home_page_announcement_limit"]
        values["home_page_announcement_limit"] = (None if _blank(_text(v)) else ruby_to_i(v)) \
            if not isinstance(v, (dict, list)) else VALUE_SETTINGS["home_page_announcement_limit"]
    for key in ("default_due_time", "friendly_name", "homeroom_course_id", "default_student_gradebook_view",
                "show_student_only_module_id", "show_teacher_only_module_id"):
        if key in params:
            text = _text(params[key])
            values[key] = None if _blank(text) else text
    if "course_color" in params:
        text = _text(params["course_color"])
        if text is not None:
            columns["course_color"] = None if (not text.strip() or len(text) == 1) else (normalize_hexcode(text) or course.course_color)
    return {k: v for k, v in columns.items() if getattr(course, k) != v}, values
