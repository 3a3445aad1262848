"""Course sections (app/models/course_section.rb, app/controllers/sections_controller.rb): the table,
its indexes, who may do what, create / update / delete, cross-listing and the live events.

Read from canvas-lms beyond canvas-facts-enrollments-sections.md section 5 (modern copies):

* ``SectionsController#create``: ``course_section[sis_section_id]`` / ``[integration_id]`` are taken
  out of the hash first and applied (``.presence``) only with ``manage_sis`` on the **root
  account**; ``enable_sis_reactivation`` revives a deleted section *of this course* with that SIS id
  and then does **not** apply the other ``course_section`` fields (the section is only built from
  them when none was revived); the revived section's ``integration_id`` is set from the request
  (cleared when not given). ``course_section_params`` honours ``override_sis_stickiness=false`` on
  create too (only ``restrict_enrollments_to_section_dates`` is taken).
* ``#update``: ``sis_section_id`` or ``integration_id`` present (even ``""``) without root-account
  ``manage_sis`` is the 401 ``{"message": ...}`` before anything is saved; ``""`` clears with it.
* ``#destroy``: ``deletable?`` = no enrollment other than deleted, rejected or the test student's;
  ``CourseSection#destroy`` then soft-deletes the section's remaining (rejected) enrollments.
* ``#crosslist``: the destination is looked up (404) among the section's root account's non-deleted
  courses *before* ``override_sis_stickiness=false`` answers unchanged; then section ``:update``
  (manage_sections_edit) and destination ``:manage``. ``#uncrosslist`` checks "not cross-listed"
  before any right.
* ``CourseSection#move_to_course``: ``default_section`` = the new course has no active section;
  every enrollment of the section (all states) gets the new ``course_id`` by ``update_all`` (no
  callbacks: no enrollment live events); ``crosslist_to_course`` keeps the first
  ``nonxlist_course_id``; ``uncrosslist`` restores a deleted original course to ``claimed``.
* ``CourseSection#infer_defaults``: a missing name is ``"<course name> <today>"``; an empty one is
  kept (``||=`` keeps ``""``). ``validate_section_dates``: ``end_at`` before ``start_at``.
  ``verify_unique_sis_source_id`` / ``verify_unique_integration_id`` look at every section of the
  root account, deleted ones included.
* Policy (``set_policy``): create/update/delete from the course's manage_sections_add/edit/delete;
  read also from manage_students / allow_course_admin_actions / account read_roster, or the section
  being one of the caller's own (students, observers).
* Course ``:manage`` (the cross-list destination): account admins and active teacher / TA /
  designer enrollments (INFERRED from Course#set_policy's admin-enrollment block).

Limitations: no blueprint courses (the 403 "cannot crosslist into blueprint courses" cannot happen),
no SIS imports (``sis_import_id`` is null unless a world sets it), no assignment overrides or
discussion visibilities to remove; ``stuck_sis_fields`` lists the sticky fields changed through the
API (INFERRED: Canvas's StickySisFields); ``passback_status`` is null; SIS ids are unique per mock
(the mock's worlds have one root account); the section's ``enrollment_term_id`` in events is null.
"""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import stringify_ids, to_bool
from ..timefmt import iso_utc
from . import records as r
from .base import SortedIndex, UniqueIndex, fold
from .courses import parse_time, rails_bool
from .live import simple_events
from .people import normalize_search_term
from .policy import MANAGE_SECTIONS

if TYPE_CHECKING:
    from . import Store

RECORDS = {"sections": r.Section}
SIS_FORMS = {"sections": {"sis_section_id": "by_sis", "sis_integration_id": "by_integration"}}
MAX_STRING = 255
STICKY = ("course_id", "end_at", "name", "restrict_enrollments_to_section_dates", "start_at")
# enrollments that keep a section from being deleted: any but these states and the test student
GONE_STATES = frozenset({"deleted", "rejected"})
FAKE_TYPES = frozenset({"StudentViewEnrollment"})
TOO_LONG = ("too_long", f"is too long (maximum is {MAX_STRING} characters)")
NOT_DELETABLE = "You can't delete a section that has enrollments"
NOT_CROSSLISTED = "section is not cross-listed"
MSG_DATES = "End date cannot be before start date"


def _live(s: r.Section) -> bool:
    return s.workflow_state != "deleted"


def INDEXES() -> dict:
    return {
        "sections": {
            # a course's active sections, by id (deleted sections leave it)
            "by_course": SortedIndex(lambda s: s.course_id if _live(s) else None, lambda s: (s.id,)),
            # the same, in the index's order: name (case-insensitive), then id
            "by_course_name": SortedIndex(lambda s: s.course_id if _live(s) else None,
                                          lambda s: (fold(s.name), s.id)),
            # every section (deleted too) holds its SIS and integration ids
            "by_sis": UniqueIndex(lambda s: s.sis_section_id),
            "by_integration": UniqueIndex(lambda s: s.integration_id),
        },
        # a section's enrollments (all states), by id: total_students, students, delete, cross-listing
        "enrollments": {
            "by_section": SortedIndex(lambda e: e.course_section_id, lambda e: (e.id,)),
        },
    }


class SectionOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def find(self, ref: Any) -> r.Section:
        """``/sections/:id``: an active section of a non-deleted course (id or SIS forms)."""
        section = self.s.find("sections", ref)
        course = self.s.get("courses", section.course_id)
        if course is None or course.workflow_state == "deleted":
            raise E.NotFound()
        return section

    def find_in_course(self, course: r.Course, ref: Any) -> r.Section:
        """``api_find(@context.active_course_sections, id)``."""
        section = self.s.find("sections", ref)
        if section.course_id != course.id:
            raise E.NotFound()
        return section

    def course_of(self, section: r.Section) -> r.Course:
        return self.s.get("courses", section.course_id)

    def listed(self, course: r.Course, search_term: Any = None) -> list[r.Section] | Any:
        """The course's active sections by name then id; with a search term, those whose name
        holds it (case-insensitive). Without one, an O(1) view of the index (paged in O(page))."""
        term = normalize_search_term(search_term if isinstance(search_term, str) else None,
                                     self.s.settings.search_term_min_length)
        ids = self.s.idx["sections"]["by_course_name"].id_view(course.id)
        if term is None:
            return ids
        t = term.casefold()
        get = self.s.rows["sections"].get
        return [i for i in ids[:] if t in get(i).name.casefold()]

    def enrollments(self, section: r.Section) -> list[r.Enrollment]:
        get = self.s.rows["enrollments"].get
        return [e for e in (get(i) for i in self.s.idx["enrollments"]["by_section"].ids(section.id)) if e is not None]

    def student_enrollments(self, section: r.Section) -> list[r.Enrollment]:
        """``section.enrollments`` of type StudentEnrollment: every state but deleted."""
        return [e for e in self.enrollments(section)
                if e.type == "StudentEnrollment" and e.workflow_state != "deleted"]

    def total_students(self, section: r.Section) -> int:
        """``section.students.not_fake_student.count``: active, invited and pending students."""
        return len({e.user_id for e in self.enrollments(section) if e.type == "StudentEnrollment"
                    and e.workflow_state in ("active", "invited", "creation_pending")})

    def is_default(self, section: r.Section) -> bool:
        """``default_section``; a course none of whose sections says so (a world's, or one the
        courses area made for an enrollment) has its first active section as the default."""
        if section.default_section:
            return True
        if section.workflow_state == "deleted" or section.nonxlist_course_id is not None:
            return False
        get = self.s.rows["sections"].get
        own = [s for s in (get(i) for i in self.s.idx["sections"]["by_course"].ids(section.course_id))
               if s.nonxlist_course_id is None]
        if not own or any(s.default_section for s in own):
            return False
        return own[0].id == section.id

    def inferred_name(self, course: r.Course, *, default: bool) -> str:
        """infer_defaults: a default section takes the course's name, any other
        ``"<course name> <today>"`` (INFERRED: today in UTC)."""
        if default:
            return course.name
        return f"{course.name} {self.s.now().astimezone(timezone.utc).date().isoformat()}"

    # -- who may do what -------------------------------------------------------------------
    def course_rights(self, user: r.User | None, course: r.Course) -> frozenset[str]:
        return self.s.policy.course_rights(user, course)

    def can_read(self, user: r.User | None, section: r.Section) -> bool:
        course = self.course_of(section)
        rights = self.course_rights(user, course)
        if rights & (MANAGE_SECTIONS | {"manage_students", "allow_course_admin_actions"}):
            return True
        if user is None:
            return False
        return any(e.course_section_id == section.id and e.workflow_state not in GONE_STATES | {"inactive"}
                   for e in self.s.courses.enrollments_of(user.id, course.id))

    def require(self, user: r.User | None, section: r.Section, right: str) -> None:
        """``read``, or ``update`` / ``delete`` / ``create`` (manage_sections_edit / _delete / _add)."""
        if right == "read":
            ok = self.can_read(user, section)
        else:
            ok = f"manage_sections_{'add' if right == 'create' else 'edit' if right == 'update' else 'delete'}" in \
                self.course_rights(user, self.course_of(section))
        if not ok:
            raise E.Unauthorized()

    def can_manage_course(self, user: r.User | None, course: r.Course) -> bool:
        """Course ``:manage``: its account's admins (also of a deleted course), active teachers,
        TAs and designers."""
        if user is None:
            return False
        if self.s.policy.is_admin_of(user, course.account_id):
            return True
        if course.workflow_state == "deleted":
            return False
        return any(e.type in ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")
                   for e in self.s.policy.enrollments(user.id, course.id))

    def manages_sis(self, user: r.User | None, course: r.Course) -> bool:
        return "manage_sis" in self.s.policy.context_rights(user, "Account", course.root_account_id)

    # -- create ----------------------------------------------------------------------------
    def create(self, actor: r.User, course: r.Course, params: dict[str, Any]) -> r.Section:
        with self.s.lock:
            if "manage_sections_add" not in self.course_rights(actor, course):
                raise E.Unauthorized()
            raw = params.get("course_section") if isinstance(params.get("course_section"), dict) else {}
            sis_id, integration_id = _scalar(raw.get("sis_section_id")), _scalar(raw.get("integration_id"))
            manage_sis = self.manages_sis(actor, course)
            revived = None
            if manage_sis and sis_id and to_bool(params.get("enable_sis_reactivation")) is True:
                found = self.s.idx["sections"]["by_sis"].get(sis_id)
                rec = self.s.get("sections", found) if found is not None else None
                if rec is not None and rec.course_id == course.id and rec.workflow_state == "deleted":
                    revived = rec
            if revived is not None:
                changes: dict[str, Any] = {"workflow_state": "active", "integration_id": integration_id or None}
                self._check_unique(revived, sis_id, changes["integration_id"])
                changes["updated_at"] = self.s.now()
                self.s._update("sections", revived, **changes)
                return revived
            fields = self._fields(raw, _sticky_off(params), course)
            if fields.get("name") is None:
                fields["name"] = self.inferred_name(course, default=False)
            if manage_sis:
                fields["sis_section_id"] = sis_id or None
                fields["integration_id"] = integration_id or None
            self._validate(None, fields)
            now = self.s.now()
            return self.s.insert("sections", course_id=course.id, created_at=now, updated_at=now, **fields)

    # -- update ----------------------------------------------------------------------------
    def update(self, actor: r.User, section: r.Section, params: dict[str, Any]) -> r.Section:
        with self.s.lock:
            self.require(actor, section, "update")
            course = self.course_of(section)
            raw = params.get("course_section") if isinstance(params.get("course_section"), dict) else {}
            fields: dict[str, Any] = {}
            if "sis_section_id" in raw or "integration_id" in raw:
                if not self.manages_sis(actor, course):
                    raise E.SisPermission(update=True)
                if "sis_section_id" in raw:
                    fields["sis_section_id"] = _scalar(raw["sis_section_id"]) or None
                if "integration_id" in raw:
                    fields["integration_id"] = _scalar(raw["integration_id"]) or None
            fields.update(self._fields(raw, _sticky_off(params), course))
            if "name" in fields and fields["name"] is None:  # infer_defaults runs again on save
                fields["name"] = self.inferred_name(course, default=section.default_section)
            self._validate(section, fields)
            changed = {k for k, v in fields.items() if getattr(section, k) != v}
            if not changed:
                return section
            stuck = set(section.stuck_sis_fields) | (changed & set(STICKY))
            fields["stuck_sis_fields"] = tuple(sorted(stuck))
            fields["updated_at"] = self.s.now()
            self.s._update("sections", section, **fields)
            return section

    def _fields(self, raw: dict[str, Any], sticky_off: bool, course: r.Course) -> dict[str, Any]:
        """``course_section_params``: name, start_at, end_at, restrict_enrollments_to_section_dates
        (only the last with ``override_sis_stickiness=false``), cast as Rails casts columns."""
        out: dict[str, Any] = {}
        zone = course.time_zone or "Etc/UTC"
        if "restrict_enrollments_to_section_dates" in raw and _permitted(raw["restrict_enrollments_to_section_dates"]):
            out["restrict_enrollments_to_section_dates"] = rails_bool(raw["restrict_enrollments_to_section_dates"])
        if sticky_off:
            return out
        if "name" in raw and _permitted(raw["name"]):
            out["name"] = None if raw["name"] is None else str(raw["name"])
        for key in ("start_at", "end_at"):
            if key in raw and _permitted(raw[key]):
                out[key] = parse_time(raw[key], zone)
        return out

    def _validate(self, section: r.Section | None, fields: dict[str, Any]) -> None:
        errs = E.Invalid()
        name = fields.get("name", section.name if section else None)
        start = fields.get("start_at", section.start_at if section else None)
        end = fields.get("end_at", section.end_at if section else None)
        sis = fields.get("sis_section_id", section.sis_section_id if section else None)
        if sis is not None and len(sis) > MAX_STRING:
            errs.add("sis_source_id", TOO_LONG)
        if name is not None and len(name) > MAX_STRING:
            errs.add("name", TOO_LONG)
        if start is not None and end is not None and end < start:
            errs.add("end_at", MSG_DATES)
        if errs.errors:
            raise errs
        self._check_unique(section, fields.get("sis_section_id"), fields.get("integration_id"))

    def _check_unique(self, section: r.Section | None, sis: str | None, integration: str | None) -> None:
        """verify_unique_sis_source_id / verify_unique_integration_id (before_validation: the
        first that fails aborts the save, so one error at a time)."""
        mine = section.id if section is not None else None
        if sis is not None:
            other = self.s.idx["sections"]["by_sis"].get(sis)
            if other is not None and other != mine:
                raise E.Invalid.one("sis_source_id", f'SIS ID "{sis}" is already in use')
        if integration is not None:
            other = self.s.idx["sections"]["by_integration"].get(integration)
            if other is not None and other != mine:
                raise E.Invalid.one("integration_id", f'INTEGRATRION ID "{integration}" is already in use')

    # -- delete ----------------------------------------------------------------------------
    def delete(self, actor: r.User, section: r.Section) -> r.Section:
        with self.s.lock:
            self.require(actor, section, "delete")
            enrollments = self.enrollments(section)
            if any(e.workflow_state not in GONE_STATES and e.type not in FAKE_TYPES for e in enrollments):
                raise E.BadRequest({"message": NOT_DELETABLE})
            now = self.s.now()
            for e in enrollments:  # CourseSection#destroy: enrollments.not_fake.each(&:destroy)
                if e.workflow_state == "rejected" and e.type not in FAKE_TYPES:
                    changes: dict[str, Any] = {"workflow_state": "deleted"}
                    if hasattr(e, "updated_at"):
                        changes["updated_at"] = now
                    self.s._update("enrollments", e, **changes)
            self.s._update("sections", section, workflow_state="deleted", updated_at=now)
            return section

    # -- cross-listing ---------------------------------------------------------------------
    def find_destination(self, section: r.Section, ref: Any) -> r.Course:
        """``api_find(@section.root_account.all_courses.not_deleted, new_course_id)``."""
        course = self.s.find("courses", ref)
        if course.root_account_id != self.course_of(section).root_account_id:
            raise E.NotFound()
        return course

    def crosslist(self, actor: r.User, section: r.Section, dest: r.Course, params: dict[str, Any]) -> r.Section:
        with self.s.lock:
            if _sticky_off(params):
                return section
            self.require(actor, section, "update")
            if not self.can_manage_course(actor, dest):
                raise E.Unauthorized()
            if section.course_id == dest.id:
                return section
            self._move(section, dest, nonxlist=section.nonxlist_course_id or section.course_id)
            return section

    def uncrosslist(self, actor: r.User, section: r.Section, params: dict[str, Any]) -> r.Section:
        with self.s.lock:
            if section.nonxlist_course_id is None:
                raise E.BadRequest({"message": NOT_CROSSLISTED})
            original = self.s.get("courses", section.nonxlist_course_id)
            self.require(actor, section, "update")
            if original is None or not self.can_manage_course(actor, original):
                raise E.Unauthorized()
            if _sticky_off(params):
                return section
            if original.workflow_state == "deleted":
                self.s._update("courses", original, workflow_state="claimed", updated_at=self.s.now())
            self._move(section, original, nonxlist=None)
            return section

    def _move(self, section: r.Section, dest: r.Course, *, nonxlist: int | None) -> None:
        """CourseSection#move_to_course: one section update (one ``course_section_updated``), then
        the enrollments' course_id by update_all (no enrollment events)."""
        changes: dict[str, Any] = {
            "course_id": dest.id, "nonxlist_course_id": nonxlist,
            "default_section": not self.s.idx["sections"]["by_course"].ids(dest.id),
            "updated_at": self.s.now(),
        }
        with self.s.atomic():
            self.s._update("sections", section, **changes)
            with self.s.bulk("enrollments"):
                for e in self.enrollments(section):
                    self.s._update("enrollments", e, course_id=dest.id)


def _scalar(value: Any) -> str | None:
    """A permitted scalar parameter as a string (Rails ``permit`` drops hashes and arrays)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _permitted(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _sticky_off(params: dict[str, Any]) -> bool:
    """``params[:override_sis_stickiness] && !value_to_boolean(...)``: sent and false."""
    value = params.get("override_sis_stickiness")
    return value is not None and value != "" and to_bool(value) is not True


def section_event_body(store: Store, s: r.Section) -> dict[str, Any]:
    """get_course_section_data (lib/canvas/live_events.rb): local ids, as strings."""
    course = store.get("courses", s.course_id)
    return stringify_ids({
        "course_section_id": s.id,
        "sis_source_id": s.sis_section_id,
        "sis_batch_id": s.sis_import_id,
        "course_id": s.course_id,
        "root_account_id": course.root_account_id if course is not None else None,
        "enrollment_term_id": None,
        "name": s.name,
        "default_section": store.sections.is_default(s),
        "accepting_enrollments": None,
        "can_manually_enroll": None,
        "start_at": iso_utc(s.start_at),
        "end_at": iso_utc(s.end_at),
        "workflow_state": s.workflow_state,
        "restrict_enrollments_to_section_dates": s.restrict_enrollments_to_section_dates,
        "nonxlist_course_id": s.nonxlist_course_id,
        "stuck_sis_fields": list(s.stuck_sis_fields),
        "integration_id": s.integration_id,
    })


OPS = ("sections", SectionOps)
LIVE_EVENTS = {"sections": simple_events("course_section", section_event_body)}
