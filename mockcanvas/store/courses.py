"""Courses (app/models/course.rb, app/controllers/courses_controller.rb): the table, who may read a
course, its workflow, create / update / delete, course settings and the live events.

Read from canvas-lms beyond canvas-facts-courses-users.md (2025 copies unless noted):

* ``CoursesController#create``: ``enroll_me`` is compared as ``params[:enroll_me].to_s == "true"``
  (``"1"`` or ``"yes"`` enroll nobody); the course is saved first, then the caller enrolled, then
  ``offer`` runs (``course_created``, then ``course_updated`` events); ``course[account_id]`` is
  ``@account.find_child`` (404 outside the URL account's tree); the term is looked up among the
  root account's terms (404).
* ``Course#enroll_user`` (app/models/course.rb): after saving an admin-type enrollment
  (teacher, TA, designer) a ``created`` course is claimed (``self.claim if self.created? &&
  e.admin?``): a course created with ``enroll_me=true`` is ``claimed``, so its teacher lists it.
* ``CoursesController#update``: the whole request needs ``manage_content`` (teachers, TAs,
  designers, admins); callers without ``:update`` may change only ``syllabus_body``; an
  event-only request checks only the event's permission; ``process_course_event`` answers a
  no-op event (offer on available ...) with success and any other impossible event with
  ``errors.workflow_state`` = the workflow gem's ``NoTransitionAllowed`` text ``"There is no event
  <e> defined for the <state> state"`` (vendor/gems/workflow, the INSTRUCTURE ``process_event``;
  the body rendering of that exception is INFERRED); ``course_color`` blank or one character
  clears it; the dates rule (term-dated courses drop ``conclude_at``, and ``start_at`` while
  unpublished) runs after ``restrict_enrollments_to_course_dates`` is read with
  ``value_to_boolean`` (nil -> 400 "The argument provided is expected to be of type boolean.").
* Mass-assigned boolean columns (``is_public``, ``open_enrollment`` ...) are cast by Rails'
  boolean type: only ``false 0 "0" "f" "F" "false" "FALSE" "off" "OFF"`` are false, blank is
  nil, anything else (``"no"``, ``"nope"``) is **true**. Settings (``hide_final_grades``) and
  ``apply_assignment_group_weights`` go through ``value_to_boolean`` instead.
* Live events (lib/canvas/live_events_callbacks.rb): after an update with a real change,
  ``syllabus_updated`` (when ``syllabus_body`` changed) then ``course_updated``; the body of
  ``get_course_data`` (lib/canvas/live_events.rb) has ``account_uuid`` in 2025 copies.

Limitations: no course nicknames, favorites, blueprints, templates, homerooms, grading standards
or course pacing (their flags read false/null); ``create_courses`` for non-admins only through the
root account settings ``teachers_can_create_courses`` / ``students_can_create_courses`` /
``no_enrollments_can_create_courses`` (no "Manually-Created Courses" sub-account); Rails time-zone
names and IANA ids are accepted (an unknown zone leaves the course's unchanged);
``require_assignment_group`` (a default "Assignments" group) is not run; ``enable_sis_reactivation``
is accepted and ignored.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import errors as E
from ..coerce import optional_int, to_bool
from ..time_zones import zone_name
from ..timefmt import as_utc
from . import records as r
from .base import SortedIndex, UniqueIndex, WriteMemo
from .policy import ADMIN_RIGHTS

if TYPE_CHECKING:
    from . import Store

RECORDS = {"courses": r.Course}
SIS_FORMS = {"courses": {"sis_course_id": "by_sis", "sis_integration_id": "by_integration", "uuid": "by_uuid"}}
LIVE_STATES = ("created", "claimed", "available", "completed")


def INDEXES() -> dict:
    def live(c: r.Course) -> bool:
        return c.workflow_state != "deleted"

    return {
        "courses": {
            "by_sis": UniqueIndex(lambda c: c.sis_course_id),
            "by_integration": UniqueIndex(lambda c: c.integration_id),
            "by_uuid": UniqueIndex(lambda c: c.uuid or None),
            "by_account": SortedIndex(lambda c: c.account_id, lambda c: (c.id,)),
            # the not-deleted courses, by id: the default ``GET /accounts/:id/courses`` is a slice
            "live_by_account": SortedIndex(lambda c: c.account_id if live(c) else None, lambda c: (c.id,)),
            "live_by_root": SortedIndex(lambda c: c.root_account_id if live(c) else None, lambda c: (c.id,)),
            # the not-deleted courses of each (root account, term): a term's course_count (Terms API);
            # None as the term is the root account's default term
            "by_term": SortedIndex(lambda c: (c.root_account_id, c.enrollment_term_id) if live(c) else None,
                                   lambda c: (c.id,)),
        },
        # a user's enrollments in one course, by id (policy.enrollments and the course reads ask
        # for them on every request: a user with many enrollments costs no more)
        "enrollments": {
            "by_user_course": SortedIndex(lambda e: (e.user_id, e.course_id), lambda e: (e.id,)),
        },
    }


# -- Course workflow (app/models/course.rb) ------------------------------------------------------
WORKFLOW: dict[str, dict[str, str]] = {
    "created": {"claim": "claimed", "offer": "available", "complete": "completed", "delete": "deleted"},
    "claimed": {"offer": "available", "complete": "completed", "delete": "deleted"},
    "available": {"complete": "completed", "claim": "claimed", "delete": "deleted"},
    "completed": {"unconclude": "available", "offer": "available", "claim": "claimed", "delete": "deleted"},
    "deleted": {"undelete": "claimed"},
}
# the state an event is a no-op in (CoursesController#non_event?)
NON_EVENT = {"offer": "available", "claim": "claimed", "complete": "completed", "delete": "deleted"}
API_EVENTS = ("offer", "claim", "conclude", "delete", "undelete")
ADMIN_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment", "StudentViewEnrollment"})
LICENSES = ("private", "cc_by_nc_nd", "cc_by_nc_sa", "cc_by_nc", "cc_by_nd", "cc_by_sa", "cc_by", "public_domain")
DEFAULT_VIEWS = ("feed", "wiki", "modules", "syllabus", "assignments")
COURSE_FORMATS = ("on_campus", "online", "blended")
RAILS_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "off", "OFF"})
MAX_STRING = 255

# CoursesController#update_settings permits these (top-level params); course_settings_json shows them
BOOLEAN_SETTINGS = {
    "allow_final_grade_override": False, "allow_student_discussion_topics": True,
    "allow_student_forum_attachments": True, "allow_student_discussion_editing": True,
    "allow_student_discussion_reporting": True, "allow_student_anonymous_discussion_topics": False,
    "use_default_discussion_settings": False, "filter_speed_grader_by_student_group": False,
    "hide_distribution_graphs": False, "hide_sections_on_course_users_page": False,
    "lock_all_announcements": False, "usage_rights_required": False, "restrict_student_past_view": False,
    "restrict_student_future_view": False, "restrict_quantitative_data": False,
    "show_announcements_on_home_page": False, "syllabus_course_summary": True, "homeroom_course": False,
    "conditional_release": False, "show_total_grade_as_points": False, "sync_enrollments_from_homeroom": False,
    "enable_course_paces": False, "horizon_course": False,
    # course columns the create answer shows, kept with the settings (Canvas: booleans, false)
    "allow_wiki_comments": False, "open_enrollment": False, "self_enrollment": False,
    "allow_student_wiki_edits": False,
}
VALUE_SETTINGS = {"home_page_announcement_limit": 3, "default_due_time": None, "friendly_name": None,
                  "image_url": None, "image_id": None, "banner_image_url": None, "banner_image_id": None,
                  "homeroom_course_id": None, "default_student_gradebook_view": None,
                  "show_student_only_module_id": None, "show_teacher_only_module_id": None}


def api_state(course: r.Course) -> str:
    return "unpublished" if course.workflow_state in ("created", "claimed") else course.workflow_state


def setting(course: r.Course, name: str) -> Any:
    for k, v in course.settings:
        if k == name:
            return v
    return BOOLEAN_SETTINGS.get(name, VALUE_SETTINGS.get(name))


def with_settings(course: r.Course, changes: dict[str, Any]) -> tuple:
    merged = dict(course.settings)
    merged.update(changes)
    return tuple(sorted(merged.items()))


def rails_bool(value: Any) -> bool | None:
    """ActiveModel::Type::Boolean: blank is nil, the FALSE_VALUES false, anything else true."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return str(value) not in RAILS_FALSE


def parse_time(value: Any, zone: str = "Etc/UTC") -> datetime | None:
    """A datetime column cast: ISO 8601 (naive values in ``zone``); anything else is nil."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        try:
            dt = dt.replace(tzinfo=ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def valid_zone(name: Any) -> str | None:
    """``ActiveSupport::TimeZone[name]`` as an IANA name (a Rails zone name or an IANA id), else None;
    the course JSON shows the zone's IANA name (``time_zone.tzinfo.name``)."""
    return zone_name(name.strip() if isinstance(name, str) else name)


def course_code_for(name: str) -> str:
    """Course#assert_defaults: the first word, then the first later word containing a digit."""
    words = name.split()
    if not words:
        return ""
    later = next((w for w in words[1:] if any(ch.isdigit() for ch in w)), None)
    return " ".join([words[0]] + ([later] if later else []))


def normalize_hexcode(color: str) -> str | None:
    """CustomColorHelper#valid_hexcode? / normalize_hexcode: 3 or 6 hex digits, # optional."""
    c = color.strip()
    body = c[1:] if c.startswith("#") else c
    if len(body) in (3, 6) and all(ch in "0123456789abcdefABCDEF" for ch in body):
        return "#" + body
    return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return None
    return str(value)


class CourseOps:
    def __init__(self, store: Store) -> None:
        self.s = store
        self.memo = WriteMemo(store, limit=256)  # derived lists, until the next write
        from .course_lists import CourseLists

        self.lists = CourseLists(store)

    # -- lookups ---------------------------------------------------------------------------
    def find(self, ref: Any, *, deleted: bool = False) -> r.Course:
        return self.s.find("courses", ref, live=not deleted)

    def find_account(self, user: r.User | None, ref: Any) -> r.Account:
        if ref == "self" and user is not None:
            ref = self.s.people.root_account_id(user.account_id)
        return self.s.find("accounts", ref)

    def account_tree(self, account_id: int) -> list[int]:
        """The account and every live sub-account under it, breadth first."""
        out, queue = [], [account_id]
        while queue:
            aid = queue.pop(0)
            if aid in out:
                continue
            out.append(aid)
            for child in self.s.idx["accounts"]["by_parent"].ids(aid):
                acc = self.s.get("accounts", child)
                if acc is not None and acc.workflow_state != "deleted":
                    queue.append(child)
        return out

    def in_tree(self, account_id: int, ancestor_id: int) -> bool:
        return ancestor_id in self.s.policy.account_chain(account_id)

    def root_of(self, course: r.Course) -> r.Account | None:
        return self.s.get("accounts", course.root_account_id)

    def default_term(self, root_account_id: int):
        return self.s.terms.default_term(root_account_id)

    def concluded(self, course: r.Course) -> bool:
        """Course#concluded? (app/models/course.rb): completed, or the end date (the course's when
        it restricts enrollments to its dates, else the term's) is past."""
        if course.workflow_state == "completed":
            return True
        if course.restrict_enrollments_to_course_dates:
            end = course.end_at
        else:
            term = self.term_of(course)
            end = term.end_at if term is not None else None
        return end is not None and as_utc(end) < self.s.now()

    def term_of(self, course: r.Course):
        if course.enrollment_term_id is not None:
            return self.s.get("terms", course.enrollment_term_id)
        return self.default_term(course.root_account_id)

    def find_term(self, root_account_id: int, ref: Any):
        """api_find(root_account.enrollment_terms, id) (``store.terms``): ids, ``sis_term_id:``,
        ``default``, ``current``; 404 otherwise."""
        root = self.s.get("accounts", root_account_id)
        if root is None or isinstance(ref, (dict, list)) or ref is None:
            raise E.NotFound()
        return self.s.terms.find(root, str(ref), active_only=True)

    def enrollments_of(self, user_id: int, course_id: int | None = None) -> list[r.Enrollment]:
        """Every enrollment of a user (all states), or in one course."""
        get = self.s.rows["enrollments"].get
        idx = self.s.idx["enrollments"]
        ids = idx["by_user"].ids(user_id) if course_id is None else idx["by_user_course"].ids((user_id, course_id))
        return [e for e in (get(i) for i in ids) if e is not None]

    # -- who may do what -------------------------------------------------------------------
    def rights(self, user: r.User | None, course: r.Course) -> frozenset[str]:
        """The caller's course rights; on a deleted course only its account admins keep theirs
        (PUT and DELETE find deleted courses, for undelete)."""
        if course.workflow_state == "deleted":
            return ADMIN_RIGHTS if self.is_admin(user, course) else frozenset()
        return self.s.policy.course_rights(user, course)

    def sis_rights(self, user: r.User | None, course: r.Course) -> frozenset[str]:
        """read_sis / manage_sis on the course (2025 permissions: account admins, and teachers for
        read_sis; not TAs, designers or students). Kept apart from ``policy`` so that the group
        routes, which show TAs SIS ids today, are left as they are."""
        if user is None:
            return frozenset()
        if self.s.policy.is_admin_of(user, course.account_id):
            return frozenset({"read_sis", "manage_sis"})
        if any(e.type == "TeacherEnrollment" for e in self.s.policy.enrollments(user.id, course.id)):
            return frozenset({"read_sis"})
        return frozenset()

    def is_admin(self, user: r.User | None, course: r.Course) -> bool:
        return user is not None and self.s.policy.is_admin_of(user, course.account_id)

    def can_read(self, user: r.User | None, course: r.Course) -> bool:
        """Course#set_policy :read: admins; teachers, TAs and designers (active, invited or completed
        enrollment) whatever the state; students and observers with a live enrollment once the
        course is available or completed; anyone logged in on an available course public to
        authenticated users."""
        if course.workflow_state == "deleted":
            return False
        if self.is_admin(user, course):
            return True
        published = course.workflow_state in ("available", "completed")
        if user is not None:
            for e in self.enrollments_of(user.id, course.id):
                if e.type in ADMIN_TYPES and e.workflow_state in ("active", "invited", "completed"):
                    return True
                if published and e.workflow_state in ("active", "invited", "creation_pending", "completed"):
                    return True
        if course.workflow_state == "available" and (course.is_public or (user is not None and course.is_public_to_auth_users)):
            return True
        return False

    def require_read(self, user: r.User | None, course: r.Course) -> None:
        if not self.can_read(user, course):
            raise E.Unauthorized()

    def can_read_roster(self, user: r.User | None, course: r.Course) -> bool:
        """read_roster / view_all_grades / manage_grades (CoursesController#users): admins, and the
        course's students, TAs, designers and teachers. Not observers (read_roster is not
        ``true_for`` observers in the 2025 permissions; ``policy`` lets the group routes keep
        theirs)."""
        if user is None or course.workflow_state == "deleted":
            return False
        if self.is_admin(user, course):
            return True
        # a concluded course keeps its (now completed) members' read-only access to the roster
        states = ("active", "completed") if course.workflow_state == "completed" else ("active",)
        return any(e.type != "ObserverEnrollment" and e.workflow_state in states
                   for e in self.enrollments_of(user.id, course.id))

    def rights_status(self, user: r.User | None, course: r.Course) -> frozenset[str]:
        """The permission names ``GET /courses/:id/permissions`` answers true for (Course#rights_status:
        policy rights and role permissions; any other name is false)."""
        rights = set(self.rights(user, course)) - {"read_sis", "manage_sis"}
        rights |= self.sis_rights(user, course)
        if not self.can_read_roster(user, course):
            rights.discard("read_roster")
        if self.can_read(user, course):
            rights.add("read")
        if "update" in rights:
            rights |= {"update_course_details", "manage_content", "manage_course_content_add",
                       "manage_course_content_edit", "manage_course_content_delete", "read_as_admin"}
        if self.can_delete(user, course):
            rights.add("delete")
        return frozenset(rights)

    def students(self, course: r.Course) -> list[r.User]:
        """Course#students (StudentEnrollment not rejected, completed, deleted or inactive), by
        sortable name."""
        seen: dict[int, r.User] = {}
        for eid in self.s.idx["enrollments"]["by_course"].ids(course.id):
            e = self.s.get("enrollments", eid)
            if e.type == "StudentEnrollment" and e.workflow_state in ("active", "invited", "creation_pending"):
                u = self.s.get("users", e.user_id)
                if u is not None and u.workflow_state != "deleted":
                    seen[u.id] = u
        return sorted(seen.values(), key=lambda u: (u.sortable_name.casefold(), u.id))

    def can_delete(self, user: r.User | None, course: r.Course) -> bool:
        """Course :delete: admins (manage_courses_delete). Teachers only when granted that
        permission, which the default roles are not."""
        return "manage_courses_delete" in self.rights(user, course)

    def event_right(self, user: r.User | None, course: r.Course, event: str) -> bool:
        """CoursesController#permission_for_event."""
        rights = self.rights(user, course)
        if event in ("offer", "claim"):
            return "manage_courses_publish" in rights
        if event == "conclude":
            return "manage_courses_conclude" in rights
        return self.can_delete(user, course)

    def can_create_in(self, user: r.User, account: r.Account) -> bool:
        """Account :create_courses / :manage_courses."""
        if "manage_courses_add" in self.s.policy.account_rights(user, account):
            return True
        if account.root_account_id is not None:  # the root account's settings only allow it there
            return False
        flags = dict(account.settings)
        mine = [e for e in self.s.policy.active_enrollments(user.id)
                if (c := self.s.get("courses", e.course_id)) is not None and c.root_account_id == account.id]
        if flags.get("teachers_can_create_courses") and any(e.type == "TeacherEnrollment" for e in mine):
            return True
        if flags.get("students_can_create_courses") and any(e.type == "StudentEnrollment" for e in mine):
            return True
        return bool(flags.get("no_enrollments_can_create_courses")) and not mine

    # -- create ----------------------------------------------------------------------------
    def create(self, actor: r.User, account: r.Account, params: dict[str, Any]) -> tuple[r.Course, bool]:
        """CoursesController#create; returns the course and whether the answer names ``end_at``
        (else ``conclude_at`` is shown, as Canvas's ``course_end``)."""
        from .course_input import CourseInput

        with self.s.lock:
            if not self.can_create_in(actor, account):
                raise E.Unauthorized()
            raw = params.get("course") if isinstance(params.get("course"), dict) else {}
            inp = CourseInput(self.s, actor, raw)
            fields, target, term = inp.for_create(account)
            enroll_me = _ruby_to_s(params.get("enroll_me")) == "true"
            offer = to_bool(params.get("offer")) is True
            cid = self.s.next_id("courses")
            now = self.s.now()
            root_id = account.root_account_id or account.id
            if term is None:
                term = self.default_term(root_id)
            course = self.s.insert(
                "courses", id=cid, account_id=target.id, root_account_id=root_id,
                enrollment_term_id=term.id if term is not None else None,
                created_at=now, updated_at=now, workflow_state="created",
                time_zone=fields.pop("time_zone", None) or self._zone_of(target), **fields)
            if enroll_me:
                self.enroll(course, actor, "TeacherEnrollment", "active")
            if offer:
                self._transition(course, "offer")
            return course, "end_at" in raw and raw.get("end_at") not in (None, "")

    def _zone_of(self, account: r.Account) -> str:
        root = self.s.get("accounts", account.root_account_id or account.id)
        return (root.default_time_zone if root is not None else None) or "Etc/UTC"

    def default_section(self, course: r.Course) -> r.Section:
        ids = self.s.idx["sections"]["by_course"].ids(course.id)
        if ids:
            return self.s.get("sections", ids[0])
        return self.s.insert("sections", course_id=course.id, name=course.name)

    def enroll(self, course: r.Course, user: r.User, etype: str, state: str) -> r.Enrollment:
        """Course#enroll_user, the part create needs: the default section, then the enrollment,
        then ``claim`` for an admin-type enrollment in a ``created`` course."""
        section = self.default_section(course)
        e = self.s.insert("enrollments", user_id=user.id, course_id=course.id,
                          course_section_id=section.id, type=etype, workflow_state=state)
        if course.workflow_state == "created" and etype in ADMIN_TYPES:
            self._transition(course, "claim")
        return e

    # -- update ----------------------------------------------------------------------------
    def update(self, actor: r.User, course: r.Course, params: dict[str, Any]) -> r.Course:
        from .course_input import CourseInput

        with self.s.lock:
            raw = dict(params["course"]) if isinstance(params.get("course"), dict) else {}
            if to_bool(params.get("offer")) is True:
                raw["event"] = "offer"
            if "event" in raw and len(raw) == 1:
                event = _ruby_to_s(raw["event"])
                if event in API_EVENTS and not self.event_right(actor, course, event):
                    raise E.Unauthorized()
                self.process_event(course, event)
                return course
            rights = self.rights(actor, course)
            if "update" not in rights:
                raise E.Unauthorized()
            inp = CourseInput(self.s, actor, raw)
            changes, event = inp.for_update(course, rights)
            if event is not None:
                if event in API_EVENTS and not self.event_right(actor, course, event):
                    raise E.Unauthorized()
                target = self._event_target(course, event)
                if target is not None:
                    changes.update(self._transition_changes(course, target))
            if changes:
                changes["updated_at"] = self.s.now()
                self._apply(course, changes)
            return course

    def _event_target(self, course: r.Course, event: str) -> str | None:
        """The state an API event leads to; None for a no-op; raises Invalid when impossible."""
        name = "complete" if event == "conclude" else event
        if NON_EVENT.get(name) == course.workflow_state:
            return None
        target = WORKFLOW.get(course.workflow_state, {}).get(name)
        if target is None:
            raise E.Invalid.one("workflow_state",
                                f"There is no event {name} defined for the {course.workflow_state} state")
        return target

    def process_event(self, course: r.Course, event: str) -> None:
        target = self._event_target(course, event)
        if target is not None:
            self._apply(course, {**self._transition_changes(course, target), "updated_at": self.s.now()})

    def _transition(self, course: r.Course, event: str) -> None:
        target = WORKFLOW[course.workflow_state].get(event)
        if target is not None:
            self._apply(course, {**self._transition_changes(course, target), "updated_at": self.s.now()})

    def _transition_changes(self, course: r.Course, target: str) -> dict[str, Any]:
        changes: dict[str, Any] = {"workflow_state": target}
        now = self.s.now()
        if target == "completed" and course.end_at is None:
            changes["end_at"] = now
        if target == "deleted":
            changes["deleted_at"] = now
        return changes

    def _apply(self, course: r.Course, changes: dict[str, Any]) -> None:
        """One save: the course row, then the enrollments its new state changes in bulk
        (Course#update_enrolled_users, ``update_all``: no enrollment events)."""
        before = course.workflow_state
        self.s._update("courses", course, **changes)
        after = course.workflow_state
        if after == before:
            return
        if after == "completed":
            self._bulk_enrollments(course, ("active", "invited"), "completed")
        elif after == "deleted":
            self._bulk_enrollments(course, ("active", "invited", "creation_pending", "completed", "inactive",
                                            "rejected"), "deleted")

    def _bulk_enrollments(self, course: r.Course, states: tuple[str, ...], new: str) -> None:
        with self.s.bulk("enrollments"):
            for eid in list(self.s.idx["enrollments"]["by_course"].ids(course.id)):
                e = self.s.get("enrollments", eid)
                if e is not None and e.workflow_state in states:
                    self.s._update("enrollments", e, workflow_state=new)

    # -- destroy ---------------------------------------------------------------------------
    def destroy(self, actor: r.User, course: r.Course, event: Any) -> str:
        """CoursesController#destroy: the event is checked before the permission."""
        with self.s.lock:
            name = _ruby_to_s(event)
            if name not in ("delete", "conclude"):
                raise E.BadRequest({"message": 'Only "delete" and "conclude" events are allowed.'})
            if not self.event_right(actor, course, name):
                raise E.Unauthorized()
            if name == "conclude":
                if course.workflow_state == "deleted":  # no complete event from deleted: the save fails
                    raise E.BadRequest({"conclude": False})
                if course.workflow_state != "completed":
                    self._apply(course, {**self._transition_changes(course, "completed"),
                                         "updated_at": self.s.now()})
            elif course.workflow_state != "deleted":
                self._apply(course, {**self._transition_changes(course, "deleted"), "updated_at": self.s.now()})
            return name

    # -- settings --------------------------------------------------------------------------
    def update_settings(self, actor: r.User, course: r.Course, params: dict[str, Any]) -> r.Course:
        """CoursesController#update_settings: top-level params, unknown keys ignored."""
        from .course_input import settings_changes

        with self.s.lock:
            if "update" not in self.rights(actor, course):
                raise E.Unauthorized()
            columns, values = settings_changes(course, params)
            changes: dict[str, Any] = dict(columns)
            if values:
                merged = with_settings(course, values)
                if merged != course.settings:
                    changes["settings"] = merged
            if changes:
                changes["updated_at"] = self.s.now()
                self._apply(course, changes)
            return course


def _ruby_to_s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


from .course_events import course_events  # noqa: E402  (the live-event bodies)

course_events.names = ("course_created", "syllabus_updated", "course_updated")  # type: ignore[attr-defined]
LIVE_EVENTS = {"courses": course_events}
OPS = ("courses", CourseOps)

__all__ = ["CourseOps", "api_state", "setting", "optional_int"]
