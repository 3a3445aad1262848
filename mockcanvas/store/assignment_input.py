"""The ``assignment[...]`` parameters of create and update: Canvas's casts, defaults and errors.

Mirrors ``Api::V1::Assignment#prepare_assignment_create_or_update`` / ``#update_from_params``
(lib/api/v1/assignment.rb, modern) and the model's validations (app/models/abstract_assignment.rb),
canvas-facts-assignments sections 4.3-4.4 and 5.1-5.3. The stages answer as Canvas does:

1. ``allowed_extensions`` longer than 255 (a string's characters, an array's items: ``.length``);
2. ``update_parameters_valid?``: ``assignment_group_id`` (positive number), then every bad date
   (strict ISO 8601 with seconds), then ``submission_types``; each stage stops at its own errors;
3. ``update_from_params`` (strong parameters: a list or hash where a scalar is permitted is dropped,
   as ``permit`` drops it), then the final grader check;
4. the model's validations, all together, keyed in the order Canvas registers them (the draft-state
   check first: its key is renamed ``published``).

Casts: strings of the column types as ActiveModel casts them (integer ``"abc"`` -> 0, float
``"abc"`` -> 0.0, boolean ``"no"`` -> true, only the Rails FALSE_VALUES are false) except where the
controller uses ``value_to_boolean`` (published, only_visible_to_overrides, post_to_sis,
moderated_grading, anonymous_grading, important_dates). Dates without a zone are read in the
caller's zone (user's, else the root account's); ``due_at`` and ``lock_at`` falling exactly on
local midnight become 23:59:59 of that day (``CanvasTime.fancy_midnight``); ``""`` clears.

Where Canvas answers 500 the mock answers a 400 instead (limitations): an integer past 32 bits
(``{attr: out_of_range}``), ``points_possible`` infinite or NaN (the "cannot exceed" error), an
``integration_data`` string that is not a JSON object (ignored), ``assignment`` not a hash
(``assignment is missing``).
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import ruby_to_i, ruby_to_s, value_to_boolean
from ..html import sanitize
from .assignment_casts import (ISO8601, _blank, _scalar, fancy_midnight, int_cast, minute, parse_iso, ruby_to_f,
                               request_zone, string_cast)
from .courses import rails_bool

if TYPE_CHECKING:
    from . import Store
    from . import records as r
    from .assignments import Assignment

SUBMISSION_TYPES = frozenset({"online_quiz", "none", "on_paper", "discussion_topic", "external_tool", "online_upload",
                              "online_text_entry", "online_url", "media_recording", "not_graded",
                              "student_annotation", ""})
GRADING_TYPES = ("points", "percent", "letter_grade", "gpa_scale", "pass_fail", "not_graded")
DATE_FIELDS = ("due_at", "lock_at", "unlock_at", "peer_reviews_assign_at")
MAX_STRING = 255
MAX_LONG_TEXT = 500 * 1024 - 1  # ActiveRecord::Base.maximum_long_text_length
MAX_POINTS = 1_000_000_000
INT4 = (-(2 ** 31), 2 ** 31 - 1)

MSG_GROUP_ID = "must be a positive number"
MSG_DATE = "Invalid datetime for {}"
MSG_TYPES = "Invalid submission types"
MSG_EXTENSIONS = "Value too long, allowed length is 255"
MSG_POINTS_NEGATIVE = "The value of possible points for this assignment must be zero or greater."
MSG_POINTS_HUGE = "The value of possible points for this assignment cannot exceed 999999999."
MSG_TITLE_LONG = "The title cannot be longer than 255 characters"
MSG_DUE_RANGE = "must be between availability dates"
MSG_UNPUBLISH = "Can't unpublish if there are student submissions"
MSG_CATEGORY_SUBMITTED = "The group category can't be changed because students have already submitted on this assignment"
MSG_CATEGORY_ANONYMOUS = "Anonymously graded assignments can't be group assignments"
MSG_ANONYMOUS_GROUP = "Group assignments can't be anonymously graded"
MSG_ANONYMOUS_AND_GROUP = "Can't enable anonymous grading and group assignments together"
MSG_DISCUSSION_GROUP = ("Group categories cannot be set directly on a discussion assignment, but should be set "
                        "on the discussion instead")
MSG_MODERATED_UNGRADED = "Moderated grading setting cannot be enabled for ungraded assignments"
MSG_MODERATED_GROUP = "Moderated grading setting cannot be enabled for group assignments"
MSG_MODERATED_PEER = "Moderated grading setting cannot be enabled for peer reviewed assignments"
MSG_NO_GRADER = "course has no active instructors with this ID"
MSG_ANNOTATION_GROUP = "must be blank when group_category_id is present"
MSG_GROUP_ANNOTATION = "must be blank when annotatable_attachment_id is present"
# the scalar columns permitted by API_ALLOWED_ASSIGNMENT_INPUT_FIELDS (a list or hash is dropped)
BOOLEAN_COLUMNS = ("peer_reviews", "anonymous_peer_reviews", "automatic_peer_reviews", "intra_group_peer_reviews",
                   "grade_group_students_individually", "hide_in_gradebook", "omit_from_final_grade",
                   "anonymous_instructor_annotations", "graders_anonymous_to_graders",
                   "grader_comments_visible_to_graders", "grader_names_visible_to_final_grader")
# default_values: these are false when left nil
FALSE_WHEN_NIL = frozenset({"grade_group_students_individually", "anonymous_peer_reviews", "omit_from_final_grade",
                            "peer_reviews", "automatic_peer_reviews", "intra_group_peer_reviews"})
INTEGER_COLUMNS = ("position", "peer_review_count", "grader_count", "allowed_attempts")


class AssignmentInvalid(E.Invalid):
    """``render_create_or_update_result``: ``errors["published"] = errors.delete(:workflow_state)``:
    the draft-state error moves to the end under the key ``published`` (its inner attribute stays)."""

    def body(self) -> Any:
        errors = super().body()["errors"]
        if "workflow_state" in errors:
            errors["published"] = errors.pop("workflow_state")
        return {"errors": errors}


class AssignmentInput:
    """One create or update: ``changes()`` gives the record's new values (or raises the error)."""

    def __init__(self, store: Store, course: r.Course, actor: r.User | None, raw: dict[str, Any],
                 assignment: Assignment | None = None) -> None:
        self.s = store
        self.course = course
        self.actor = actor
        self.raw = dict(raw)
        self.a = assignment
        self.new = assignment is None
        self.zone = request_zone(store, actor, course)
        self.errors = E.Invalid()
        self.out: dict[str, Any] = {}
        self.overrides: list[dict[str, Any]] | None = None  # assignment[assignment_overrides]: the new set
        self.group_given = False  # assignment_group_id present: the group is looked up again

    def old(self, field: str, default: Any = None) -> Any:
        return getattr(self.a, field) if self.a is not None else default

    def value(self, field: str, default: Any = None) -> Any:
        """The value the record will have: this request's, else the stored one."""
        return self.out[field] if field in self.out else self.old(field, default)

    def given(self, key: str) -> bool:
        return key in self.raw

    # -- the stages --------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        raw = self.raw
        if not self.new and "points_possible" in raw and _blank(raw["points_possible"]):
            raw["points_possible"] = 0  # "only change if deliberately updating to blank"
        elif self.new and _blank(raw.get("points_possible")):
            raw["points_possible"] = 0
        self._pull_overrides()
        ext = raw.get("allowed_extensions")
        if not _blank(ext) and isinstance(ext, (str, list)) and len(ext) > MAX_STRING:
            raise E.Invalid({"assignment[allowed_extensions]": [MSG_EXTENSIONS]})
        self._check_group_id()
        self._check_dates()
        self._check_types()
        self._annotation_attachment()
        self._apply()
        self._final_grader()
        self._validate()
        types = self.value("submission_types", "none")
        if (self.new or self.changed("submission_types")) and types in ("none", "on_paper"):
            # default_values (before_save, after the validations); a new record's column starts nil
            self.out["allowed_attempts"] = None
        return self.out

    def _pull_overrides(self) -> None:
        """``pull_overrides_from_params``: a list (or a hash with numeric keys, by key) replaces the
        set; anything else under the key is the empty set."""
        if "assignment_overrides" not in self.raw:
            return
        value = self.raw.pop("assignment_overrides")
        if isinstance(value, dict) and all(ruby_to_s(ruby_to_i(k)) == str(k) for k in value):
            value = [value[k] for k in sorted(value, key=ruby_to_i)]
        if not isinstance(value, list):
            value = []
        self.overrides = [o for o in value if isinstance(o, dict)]

    def _check_group_id(self) -> None:
        value = self.raw.get("assignment_group_id")
        if _blank(value):
            return
        if not _scalar(value) or ruby_to_i(value) <= 0:
            raise E.Invalid({"assignment[assignment_group_id]": [MSG_GROUP_ID]})

    def _check_dates(self) -> None:
        bad = E.Invalid()
        for key in DATE_FIELDS:
            value = self.raw.get(key)
            if _blank(value) or not _scalar(value):
                continue
            if not isinstance(value, str) or not ISO8601.match(value):
                bad.add(f"assignment[{key}]", MSG_DATE.format(key))
        if bad.errors:
            raise bad

    def _check_types(self) -> None:
        value = self.raw.get("submission_types")
        if value is None:
            return
        types = value if isinstance(value, list) else [value]
        self.raw["submission_types"] = types
        if types and not all(isinstance(t, str) and t in SUBMISSION_TYPES for t in types):
            raise E.Invalid({"assignment[submission_types]": [MSG_TYPES]})

    def _annotation_attachment(self) -> None:
        """student_annotation needs ``annotatable_attachment_id`` naming a file: else 400 ``{}``
        (update_parameters_valid? returns false without an error)."""
        types = self.raw.get("submission_types")
        if not types or "student_annotation" not in types:
            return
        ref = self.raw.get("annotatable_attachment_id")
        rid = self.s.find_id(ruby_to_s(ref)) if _scalar(ref) and ref is not None else None
        found = self.s.get("attachments", rid) if rid is not None else None
        if found is None or getattr(found, "workflow_state", None) == "deleted":
            raise E.BadRequest({"errors": {}})
        self.out["annotatable_attachment_id"] = rid

    # -- update_from_params ------------------------------------------------------------------
    def _apply(self) -> None:
        raw, out = self.raw, self.out
        if "name" in raw and _scalar(raw["name"]):
            out["title"] = string_cast(raw["name"])
        if "description" in raw and _scalar(raw["description"]):
            desc = raw["description"]
            out["description"] = None if desc is None else sanitize(ruby_to_s(desc), "")
        if "points_possible" in raw and _scalar(raw["points_possible"]):
            out["points_possible"] = ruby_to_f(raw["points_possible"])
        if "grading_type" in raw and _scalar(raw["grading_type"]):
            out["grading_type"] = ruby_to_s(raw["grading_type"])
        self._submission_types()
        if "allowed_extensions" in raw:
            out["allowed_extensions"] = _extensions(raw["allowed_extensions"])
        for key in ("due_at", "lock_at", "unlock_at", "peer_reviews_assign_at"):
            if key in raw and _scalar(raw[key]):
                v = raw[key]
                out[key] = parse_iso(v, self.zone) if isinstance(v, str) and v.strip() else None
        for key in BOOLEAN_COLUMNS:
            if key in raw and _scalar(raw[key]):
                value = rails_bool(raw[key])
                out[key] = (False if key in FALSE_WHEN_NIL else None) if value is None else value
        if "important_dates" in raw and _scalar(raw["important_dates"]):
            out["important_dates"] = value_to_boolean(raw["important_dates"])
        for key in INTEGER_COLUMNS:
            if key in raw and _scalar(raw[key]):
                n = int_cast(raw[key])
                if n is not None and not INT4[0] <= n <= INT4[1]:
                    self.errors.add(key, ("out_of_range", "out_of_range"))
                    continue
                out[key] = n
        if "position" in out and out["position"] is None:
            out.pop("position")  # default_values: position cannot be set to nil
        if "allowed_attempts" in out and out["allowed_attempts"] == -1 and self.old("allowed_attempts") is None:
            out.pop("allowed_attempts")  # the JSON's -1 sent back: nothing to change
        if "assignment_group_id" in raw:
            self.group_given = True
            self._group(raw["assignment_group_id"])
        if "group_category_id" in raw and _scalar(raw["group_category_id"]):
            out["group_category_id"] = self._category(raw["group_category_id"])
        if "grading_standard_id" in raw and _scalar(raw["grading_standard_id"]) and _blank(raw["grading_standard_id"]):
            out["grading_standard_id"] = None  # the mock has no grading standards: an id changes nothing
        self._sis()
        if "published" in raw:
            out["workflow_state"] = "published" if value_to_boolean(raw["published"]) else "unpublished"
        if "only_visible_to_overrides" in raw:
            out["only_visible_to_overrides"] = value_to_boolean(raw["only_visible_to_overrides"])
        if "post_to_sis" in raw:
            out["post_to_sis"] = value_to_boolean(raw["post_to_sis"])
        if "moderated_grading" in raw:
            out["moderated_grading"] = value_to_boolean(raw["moderated_grading"])
        if "anonymous_grading" in raw:
            out["anonymous_grading"] = value_to_boolean(raw["anonymous_grading"])
        self._infer()

    def _submission_types(self) -> None:
        raw, out = self.raw, self.out
        types = raw.get("submission_types")
        if isinstance(types, list):
            joined = ",".join("media_recording" if t == "online_media_recording" else t for t in types)
            out["submission_types"] = joined
        if "submission_types" not in out and ruby_to_s(raw.get("grading_type")) == "not_graded":
            out["submission_types"] = "not_graded"
        if "submission_types" in out and "student_annotation" not in out["submission_types"].split(","):
            out["annotatable_attachment_id"] = None

    def _group(self, value: Any) -> None:
        """``context.assignment_groups.where(id:).first``: another course's or an unknown id is no
        group, and ``default_values`` puts the assignment in the course's first group."""
        group = None
        if not _blank(value) and _scalar(value):
            rid = self.s.local_id(ruby_to_i(value))
            found = self.s.get("assignment_groups", rid) if rid is not None else None
            if found is not None and found.course_id == self.course.id and found.workflow_state != "deleted":
                group = found
        self.out["assignment_group_id"] = group.id if group is not None else None

    def _category(self, value: Any) -> int | None:
        """Only a live group category of this course; anything else is no category."""
        if _blank(value):
            return None
        rid = self.s.local_id(ruby_to_i(value))
        cat = self.s.get("group_categories", rid) if rid is not None else None
        if cat is None or cat.deleted_at is not None or cat.context_type != "Course" or cat.context_id != self.course.id:
            return None
        return cat.id

    def _sis(self) -> None:
        raw, out = self.raw, self.out
        if "manage_sis" not in self.s.courses.sis_rights(self.actor, self.course):
            return  # dropped silently without manage_sis
        if "sis_assignment_id" in raw and _scalar(raw["sis_assignment_id"]):
            out["sis_assignment_id"] = None if _blank(raw["sis_assignment_id"]) else ruby_to_s(raw["sis_assignment_id"])
        if "integration_id" in raw and _scalar(raw["integration_id"]):
            out["integration_id"] = string_cast(raw["integration_id"])
        if "integration_data" in raw:
            data = raw["integration_data"]
            if isinstance(data, str):
                try:
                    data = json.loads(data)
                except ValueError:
                    data = None
            if isinstance(data, dict):
                out["integration_data"] = json.dumps(data, separators=(",", ":"))
            elif data is None and raw["integration_data"] is None:
                out["integration_data"] = "{}"

    def _infer(self) -> None:
        """``infer_times``, ``infer_grading_type``, ``before_validation`` and the controller's own
        adjustments after the parameters."""
        out = self.out
        for key in ("due_at", "lock_at"):
            current = self.value(key)
            shifted = fancy_midnight(current, self.zone)
            if shifted != current:
                out[key] = shifted
        types = self.value("submission_types", "none")
        if types == "not_graded":
            out["grading_type"] = "not_graded"
        if "grading_type" in out and not (out["grading_type"] or "").strip():
            out["grading_type"] = "points"
        if not graded(types):
            out["points_possible"] = None
        if types == "external_tool":
            out["peer_reviews"] = False
        if not self.value("moderated_grading", False):
            out.update(grader_count=0, final_grader_id=None, graders_anonymous_to_graders=False,
                       grader_comments_visible_to_graders=True, grader_names_visible_to_final_grader=True)
        elif not self.value("grader_comments_visible_to_graders", True):
            out["graders_anonymous_to_graders"] = False
        if not graded(types):
            out["post_to_sis"] = False  # ensure_post_to_sis_valid
        if self.value("anonymous_grading", False) or self.value("moderated_grading", False):
            out["post_manually"] = True  # ensure_manual_posting_if_anonymous / _if_moderated

    def _final_grader(self) -> None:
        """``assignment_final_grader_valid?``: with moderated grading, ``final_grader_id`` names an
        active teacher or TA of the course (both hold select_final_grade)."""
        raw = self.raw
        if not self.value("moderated_grading", False) or "final_grader_id" not in raw:
            return
        ref = raw["final_grader_id"]
        if _blank(ref) or not _scalar(ref):
            self.out["final_grader_id"] = None
            return
        uid = self.s.local_id(ruby_to_i(ref))
        if uid != self.old("final_grader_id"):
            ok = uid is not None and any(e.type in ("TeacherEnrollment", "TaEnrollment")
                                         for e in self.s.policy.enrollments(uid, self.course.id))
            if not ok:
                raise E.Invalid({"final_grader_id": [MSG_NO_GRADER]})
        self.out["final_grader_id"] = uid

    # -- the model's validations -------------------------------------------------------------
    def changed(self, field: str) -> bool:
        """``<field>_changed?``: against the stored value, or a new record's column default."""
        if field not in self.out:
            return False
        before = self.old(field) if not self.new else column_default(field)
        return self.out[field] != before

    def _validate(self) -> None:
        errs, out, v = self.errors, self.out, self.value
        ordered = AssignmentInvalid()
        aid = self.a.id if self.a is not None else None
        # Canvas::DraftStateValidations comes first; the controller renames its key "published"
        if (not self.new and self.old("workflow_state") == "published" and out.get("workflow_state") == "unpublished"
                and self.s.submissions.has_student_submissions(aid)):
            ordered.add("workflow_state", MSG_UNPUBLISH)
        category, anonymous = v("group_category_id"), v("anonymous_grading", False)
        if not self.new and self.changed("group_category_id"):
            if self.s.submissions.has_student_submissions(aid):
                ordered.add("group_category_id", MSG_CATEGORY_SUBMITTED)
            if anonymous and not self.changed("anonymous_grading"):
                ordered.add("group_category_id", MSG_CATEGORY_ANONYMOUS)
        if self.changed("anonymous_grading") and category is not None and not self.changed("group_category_id"):
            ordered.add("anonymous_grading", MSG_ANONYMOUS_GROUP)
        if self.changed("group_category_id") and self.changed("anonymous_grading") and category is not None and anonymous:
            ordered.add("base", MSG_ANONYMOUS_AND_GROUP)
        self._due_in_range(ordered)
        if category is not None and v("submission_types") == "discussion_topic" and (
                self.new or self.changed("group_category_id")):
            ordered.add("group_category_id", MSG_DISCUSSION_GROUP)
        self._points(ordered)
        if v("moderated_grading", False) and (self.new or self.changed("moderated_grading")):
            if not graded(v("submission_types", "none")):
                ordered.add("moderated_grading", MSG_MODERATED_UNGRADED)
            if category is not None:
                ordered.add("moderated_grading", MSG_MODERATED_GROUP)
            if v("peer_reviews", False):
                ordered.add("moderated_grading", MSG_MODERATED_PEER)
        title = v("title")
        if title is not None and len(title) > MAX_STRING and v("grading_type") != "not_graded":
            ordered.add("title", MSG_TITLE_LONG)
        if category is not None and v("annotatable_attachment_id") is not None:
            ordered.add("annotatable_attachment_id", MSG_ANNOTATION_GROUP)
            ordered.add("group_category_id", MSG_GROUP_ANNOTATION)
        for key, msgs in errs.errors.items():  # integer columns out of range
            for msg in msgs:
                ordered.add(key, msg)
        attempts = v("allowed_attempts")
        if attempts is not None and attempts != -1 and attempts <= 0:
            ordered.add("allowed_attempts", ("greater_than", "greater_than"))
        sis = out.get("sis_assignment_id")
        if sis is not None and self.changed("sis_assignment_id"):
            owner = self.s.idx["assignments"]["by_sis"].get(sis)
            if owner is not None and owner != aid:
                ordered.add("sis_source_id", ("taken", "taken"))
        if v("moderated_grading", False) and (v("grader_count") or 0) <= 0:
            ordered.add("grader_count", ("greater_than", "greater_than"))
        if self.changed("title") and (title is None or not title.strip()):
            ordered.add("title", ("blank", "blank"))
        desc = v("description")
        if desc is not None and len(desc) > MAX_LONG_TEXT:
            ordered.add("description", ("too_long", "too_long"))
        if v("grading_type", "points") not in GRADING_TYPES:
            ordered.add("grading_type", ("inclusion", "inclusion"))
        self._hide_in_gradebook(ordered)
        if ordered.errors:
            raise ordered

    def _due_in_range(self, errs: E.Invalid) -> None:
        """``due_date_ok?`` (skipped while the assignment has active overrides): the due date
        within the availability dates, to the minute, when one of them changes (INFERRED)."""
        if not any(self.changed(k) for k in ("due_at", "unlock_at", "lock_at")):
            return
        if self.overrides or (self.overrides is None and self.a is not None
                              and self.s.assignment_overrides.active(self.a.id)):
            return
        due, start, end = self.value("due_at"), self.value("unlock_at"), self.value("lock_at")
        if due is None:
            return
        if (start is not None and minute(due) < minute(start)) or (end is not None and minute(due) > minute(end)):
            errs.add("due_at", MSG_DUE_RANGE)

    def _points(self, errs: E.Invalid) -> None:
        if not self.changed("points_possible"):
            return
        points = self.out["points_possible"]
        if points is None:
            return
        if math.isnan(points) or points == math.inf:
            errs.add("points_possible", MSG_POINTS_HUGE)
        elif points == -math.inf or int(points) < 0:
            errs.add("points_possible", MSG_POINTS_NEGATIVE)
        elif int(points) >= MAX_POINTS:
            errs.add("points_possible", MSG_POINTS_HUGE)

    def _hide_in_gradebook(self, errs: E.Invalid) -> None:
        hide = self.value("hide_in_gradebook", False)
        if hide is None:
            errs.add("hide_in_gradebook", ("inclusion", "inclusion"))
            return
        if hide and not self.value("omit_from_final_grade", False):
            errs.add("hide_in_gradebook", ("equal_to", "equal_to"))
        points = self.value("points_possible")
        if hide and points is not None and points > 0:
            errs.add("hide_in_gradebook", ("inclusion", "inclusion"))


def column_default(field: str) -> Any:
    """The column's default for a new record (``title`` starts nil: ``default_values`` names it)."""
    if field == "title":
        return None
    from .assignments import COLUMN_DEFAULTS
    return COLUMN_DEFAULTS.get(field)


def graded(submission_types: str | None) -> bool:
    """``graded?``: not ``not_graded`` and not ``wiki_page``."""
    return submission_types not in ("not_graded", "wiki_page")


def _extensions(value: Any) -> tuple:
    """``allowed_extensions=``: a string split on commas and spaces; each value stripped, its
    leading dot removed, lower-cased."""
    if value is None:
        return ()
    if isinstance(value, str):
        items = [v for v in re.split(r"[\s,]+", value) if v]
    elif isinstance(value, list):
        items = [ruby_to_s(v) for v in value if _scalar(v)]
    elif isinstance(value, dict):
        items = [ruby_to_s(v) for v in value.values() if _scalar(v)]
    else:
        items = [ruby_to_s(value)]
    out = []
    for item in items:
        item = item.strip()
        if item.startswith("."):
            item = item[1:]
        out.append(item.lower())
    return tuple(out)

