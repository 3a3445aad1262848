"""The Courses API (app/controllers/courses_controller.rb; the account list of
app/controllers/accounts_controller.rb ``courses_api``).

Implemented:

* ``GET /courses`` (#index) and ``GET /users/:user_id/courses`` (#user_index): the caller's (or the
  user's) courses by state rules (``store/course_lists.py``), ``state[]``, ``enrollment_type``,
  ``enrollment_role``, ``enrollment_role_id``, ``enrollment_state``, ``account_id``, ``homeroom``,
  ``exclude_blueprint_courses``, ``include[]`` (``permissions`` stripped, ``access_restricted_by_date``
  always on), ``teacher_limit``; sorted by name; page numbers with ``last``; the user list's links
  name the numeric user id;
* ``GET /accounts/:account_id/courses`` (courses_api): the account's tree, ``state[]``,
  ``published``, ``completed``, ``with_enrollments`` (``hide_enrollmentless_courses``),
  ``enrollment_type[]`` / ``enrollment_workflow_state[]`` (arrays only, else 400), ``blueprint``,
  ``blueprint_associated``, ``public``, ``homeroom``, ``by_teachers[]``, ``by_subaccounts[]``,
  ``enrollment_term_id``, ``starts_before``, ``ends_after``, ``search_term`` (validated when present,
  even empty) with ``search_by=teacher``, ``sort`` / ``order``; no ``enrollments`` key; no total;
* ``GET /courses/:id`` and ``GET /accounts/:account_id/courses/:id`` (#show): read rules by state and
  role, ``include[]`` (``permissions`` here only; ``all_courses`` finds deleted courses), the
  caller's current enrollments; ``GET /courses/:id`` also without a token (``auth.anonymous``): an
  available public course is shown, anything else answers the 401 that asks for a login;
* ``POST /accounts/:account_id/courses`` (#create), ``PUT /courses/:id`` (#update, events),
  ``DELETE /courses/:id`` (#destroy), ``GET|PUT /courses/:id/settings``,
  ``GET /courses/:id/permissions``;
* ``GET /courses/:id/users`` and ``/search_users`` (#users), ``GET /courses/:id/users/:id`` (#user),
  ``GET /courses/:id/students`` (#students, unpaginated).

Rules, permissions and sources: ``mockcanvas/store/courses.py`` (and ``course_input.py``,
``course_lists.py``), JSON in ``mockcanvas/views/courses.py`` and ``views/course_users.py``.

Limitations: no course nicknames,
favorites (``is_favorite`` is false), blueprints, templates, homerooms, tabs (``include[]=tabs`` is
ignored), observed users (``include[]=observed_users`` adds nothing: enrollments carry no observed
student), grades (scores are null), course progress (always the "not module based" error),
grading periods (null), custom roles (``enrollment_role`` names a base type), section-limited
enrollments, user-level observers, nor ``PUT /accounts/:id/courses`` (batch_update) or
``POST /courses/:id/reset_content``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import errors as E
from ..auth import anonymous
from ..coerce import digits_int, ruby_to_i, to_bool
from ..openapi_docs import BOOLISH, SEARCH_TERM, P, RouteDoc, array_of
from ..openapi_schemas import (ANY, BOOL, ID, INT, NUM, STR, TIME, URL, USER_OPTIONAL, USER_REQUIRED, Schema, arr,
                               enum, nullable, obj, ref)
from ..keys import USER
from ..responses import params_of, render
from ..store import Store
from ..store.records import Course, Enrollment, User
from ..views.course_settings import settings_json
from ..views.common import ViewContext
from ..views.course_users import course_user_json, is_unconfirmed
from ..views.enrollments import group_ids, roster_rights
from ..views.courses import COURSE_INCLUDES, course_json
from ._common import base_url, current_user, includes, paged, paged_no_total, resolve_user, store_of, view_context
from ._params import as_list

routes = web.RouteTableDef()
LIST_STRIPPED = frozenset({"permissions"})
ACCOUNT_LIST_STRIPPED = frozenset({"permissions", "sections", "needs_grading_count", "total_scores"})
CURRENT_STATES = frozenset({"active", "invited", "creation_pending"})
CREATE_INCLUDES = ("public_description",)


def _teacher_limit(params: dict[str, Any]) -> int | None:
    value = params.get("teacher_limit")
    if value is None or value == "" or isinstance(value, (dict, list)):
        return None
    return ruby_to_i(value)


def find_course(request: web.Request, right: str = "read") -> Course:
    """The path's course if the caller holds ``right`` on it (for the other course-scoped areas)."""
    store = store_of(request)
    course = store.find("courses", request.match_info["course_id"])
    if right not in store.policy.course_rights(current_user(request), course):
        raise E.Unauthorized()
    return course


def _course(request: web.Request, store: Store, *, deleted: bool = False) -> Course:
    return store.courses.find(request.match_info["course_id"], deleted=deleted)


# -- lists of courses -----------------------------------------------------------------------------
def _user_course_list(request: web.Request, subject: User, link_url: str | None) -> web.Response:
    params = params_of(request)
    store = store_of(request)
    states = [str(x) for x in as_list(params.get("state")) if isinstance(x, (str, int))] or None
    role_id = params.get("enrollment_role_id")
    account_id = None
    if params.get("account_id") not in (None, ""):
        account_id = store.find("accounts", str(params["account_id"])).id
    etype = params.get("enrollment_type") if isinstance(params.get("enrollment_type"), str) else None
    role = params.get("enrollment_role") if isinstance(params.get("enrollment_role"), str) else None
    estate = params.get("enrollment_state") if isinstance(params.get("enrollment_state"), str) else None
    found = store.courses.lists.user_courses(
        subject, states=states, enrollment_type=etype or None, enrollment_role=role or None,
        enrollment_role_id=(digits_int(str(role_id)) or -1) if role_id not in (None, "") else None,
        enrollment_state=estate or None, account_id=account_id, homeroom=to_bool(params.get("homeroom")) is True)
    inc = (includes(params) & COURSE_INCLUDES) - LIST_STRIPPED | {"access_restricted_by_date"}
    vc = view_context(request, store)
    limit = _teacher_limit(params)
    return paged(request, found, lambda ce: course_json(vc, ce[0], include=inc, enrollments=ce[1],
                                                        teacher_limit=limit), link_url=link_url)


@routes.get("/api/v1/courses")
async def index(request: web.Request) -> web.Response:
    return _user_course_list(request, current_user(request), None)


@routes.get("/api/v1/users/{user_id}/courses")
async def user_index(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    user = resolve_user(request, request.match_info["user_id"])
    if user.id != viewer.id and not store.policy.is_admin_of(viewer, user.account_id):
        raise E.Unauthorized()
    return _user_course_list(request, user, f"{base_url(request)}/api/v1/users/{user.id}/courses")


@routes.get("/api/v1/accounts/{account_id}/courses")
async def courses_api(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    account = store.courses.find_account(viewer, request.match_info["account_id"])
    if "read_course_list" not in store.policy.account_rights(viewer, account):
        raise E.Unauthorized()
    params = params_of(request)
    found = store.courses.lists.account_courses(viewer, account, params)
    inc = (includes(params) & COURSE_INCLUDES) - ACCOUNT_LIST_STRIPPED
    vc = view_context(request, store)
    limit = _teacher_limit(params)
    return paged_no_total(request, found, lambda c: course_json(vc, c, include=inc, teacher_limit=limit))


# -- one course -----------------------------------------------------------------------------------
def _show(request: web.Request, store: Store, course: Course) -> web.Response:
    viewer = request.get(USER)  # None without a token: CoursesController#show asks for no user
    if viewer is None and not store.courses.can_read(None, course):
        raise E.Unauthenticated()  # render_unauthorized_action without a user: please log in
    store.courses.require_read(viewer, course)
    params = params_of(request)
    inc = includes(params) & COURSE_INCLUDES
    mine = [] if viewer is None else [
        e for e in store.courses.enrollments_of(viewer.id, course.id) if e.workflow_state in CURRENT_STATES]
    return render(request, course_json(view_context(request, store), course, include=inc, enrollments=mine,
                                       permissions="permissions" in inc, teacher_limit=_teacher_limit(params)))


def _deleted_too(request: web.Request) -> bool:
    return "all_courses" in includes(params_of(request))


@routes.get("/api/v1/courses/{course_id}")
@anonymous
async def show(request: web.Request) -> web.Response:
    store = store_of(request)
    return _show(request, store, _course(request, store, deleted=_deleted_too(request)))


@routes.get("/api/v1/accounts/{account_id}/courses/{course_id}")
async def show_in_account(request: web.Request) -> web.Response:
    store = store_of(request)
    account = store.courses.find_account(current_user(request), request.match_info["account_id"])
    course = _course(request, store, deleted=_deleted_too(request))
    if not store.courses.in_tree(course.account_id, account.id):
        raise E.NotFound()
    return _show(request, store, course)


@routes.post("/api/v1/accounts/{account_id}/courses")
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    actor = current_user(request)
    account = store.courses.find_account(actor, request.match_info["account_id"])
    course, named_end_at = store.courses.create(actor, account, params_of(request))
    fields = {"conclude_at": not named_end_at}
    return render(request, course_json(view_context(request, store), course, include=CREATE_INCLUDES,
                                       create_fields=fields))


@routes.put("/api/v1/courses/{course_id}")
async def update(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _course(request, store, deleted=True)
    store.courses.update(current_user(request), course, params_of(request))
    return render(request, course_json(view_context(request, store), course))


@routes.delete("/api/v1/courses/{course_id}")
async def destroy(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _course(request, store, deleted=True)
    done = store.courses.destroy(current_user(request), course, params_of(request).get("event"))
    return render(request, {done: True})


@routes.get("/api/v1/courses/{course_id}/settings")
async def api_settings(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _course(request, store)
    store.courses.require_read(current_user(request), course)
    return render(request, settings_json(course))


@routes.put("/api/v1/courses/{course_id}/settings")
async def update_settings(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _course(request, store)
    store.courses.update_settings(current_user(request), course, params_of(request))
    return render(request, settings_json(course))


@routes.get("/api/v1/courses/{course_id}/permissions")
async def permissions(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _course(request, store)
    viewer = current_user(request)
    store.courses.require_read(viewer, course)
    names = [str(x) for x in as_list(params_of(request).get("permissions")) if isinstance(x, (str, int))]
    granted = store.courses.rights_status(viewer, course)
    return render(request, {name: name in granted for name in names})


# -- course users ----------------------------------------------------------------------------------
def _roster(request: web.Request, store: Store) -> Course:
    course = _course(request, store)
    if not store.courses.can_read_roster(current_user(request), course):
        raise E.Unauthorized()
    return course


@routes.get("/api/v1/courses/{course_id}/users")
@routes.get("/api/v1/courses/{course_id}/search_users")
async def users(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _roster(request, store)
    viewer = current_user(request)
    params = params_of(request)
    found, by_user = store.courses.lists.course_users(viewer, course, params)
    inc = includes(params)
    per_page = params.get("per_page")
    if per_page in (None, "") and params.get("limit") not in (None, ""):
        per_page = params.get("limit")  # backcompat: params[:per_page] ||= params[:limit]
    page = None
    jump = digits_int(str(params.get("user_id"))) if params.get("user_id") not in (None, "") else None
    if jump is not None:
        position = next((i for i, u in enumerate(found) if u.id == jump), None)
        if position is not None:
            from ..pagination import per_page_for

            n = per_page_for(per_page, store.settings.per_page_default, store.settings.per_page_max)
            page = position // n + 1
    vc = view_context(request, store)
    rights = roster_rights(vc, course)
    with_enrollments = "enrollments" in inc
    wanted_states = {str(x) for x in as_list(params.get("enrollment_state")) if isinstance(x, str)}
    include_inactive = to_bool(params.get("include_inactive")) is True and "read_as_admin" in rights

    def enrollments_of(u: User) -> list:
        mine = store.courses.enrollments_of(u.id, course.id)
        if wanted_states:
            keep = wanted_states
        else:
            keep = CURRENT_STATES | ({"inactive"} if include_inactive else set())
        return _by_section(store, [e for e in mine if e.workflow_state in keep])

    def one(u: User) -> dict[str, Any]:
        mine = enrollments_of(u) if with_enrollments else [
            e for e in store.courses.enrollments_of(u.id, course.id) if e.workflow_state != "deleted"]
        return _roster_user_json(vc, u, course, rights, inc, mine)

    link = f"{base_url(request)}/api/v1/courses/{course.id}/users"
    return paged_no_total(request, found, one, link_url=link, per_page=per_page, page=page)


def _section_name(store: Store, section_id: int) -> str:
    sec = store.get("sections", section_id)
    return sec.name.casefold() if sec is not None else ""


def _by_section(store: Store, enrollments: list[Enrollment]) -> list[Enrollment]:
    """A user's enrollments in the order the roster shows them: section name, then id."""
    return sorted(enrollments, key=lambda e: (_section_name(store, e.course_section_id), e.id))


def _roster_user_json(vc: ViewContext, user: User, course: Course, rights: frozenset[str], inc: set[str],
                      mine: list[Enrollment], *, forced: bool = True) -> dict[str, Any]:
    """course_user_json of one user of the roster (``enrollments`` and ``group_ids`` when included)."""
    data = course_user_json(vc, user, course, rights, inc, mine, unconfirmed=is_unconfirmed(mine), forced=forced,
                            with_enrollments="enrollments" in inc)
    if "group_ids" in inc:
        data["group_ids"] = group_ids(vc, user, course)
    return data


@routes.get("/api/v1/courses/{course_id}/users/{user_id}")
async def user(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _roster(request, store)
    params = params_of(request)
    inc = includes(params)
    target = resolve_user(request, request.match_info["user_id"])
    states = CURRENT_STATES | ({"inactive", "completed"} if "inactive_enrollments" in inc else set())
    mine = [e for e in store.courses.enrollments_of(target.id, course.id) if e.workflow_state in states]
    if not mine or target.workflow_state == "deleted":
        raise E.NotFound()
    vc = view_context(request, store)
    data = _roster_user_json(vc, target, course, roster_rights(vc, course), inc, _by_section(store, mine),
                             forced=False)
    return render(request, data)


@routes.get("/api/v1/courses/{course_id}/students")
async def students(request: web.Request) -> web.Response:
    store = store_of(request)
    course = _roster(request, store)
    vc = view_context(request, store)
    rights = roster_rights(vc, course)
    found = store.courses.students(course)
    return render(request, [course_user_json(vc, u, course, rights, (), [], unconfirmed=False, forced=False)
                            for u in found])


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
_TAG = "Courses"
TAGS = {_TAG: "CoursesController (and AccountsController#courses_api)"}
ENROLLMENT_STUB = obj(
    {"type": STR, "role": STR, "role_id": nullable(INT), "user_id": ID, "enrollment_state": STR,
     "limit_privileges_to_course_section": BOOL},
    {"computed_current_score": nullable(NUM), "computed_final_score": nullable(NUM),
     "computed_current_grade": nullable(STR), "computed_final_grade": nullable(STR),
     "computed_current_letter_grade": nullable(STR)},
    description="CourseJson#default_enrollment_attributes (+ include[]=total_scores)")
TERM = obj({"id": ID, "name": STR, "start_at": nullable(TIME), "end_at": nullable(TIME), "created_at": nullable(TIME),
            "workflow_state": STR, "grading_period_group_id": nullable(INT)},
           {"sis_term_id": nullable(STR), "sis_import_id": {"type": "null"}},
           description="enrollment_term_json (lib/api/v1/enrollment_term.rb)")
COURSE = obj(
    {
        "id": ID, "name": STR, "account_id": ID, "uuid": STR, "start_at": nullable(TIME),
        "grading_standard_id": nullable(INT), "is_public": BOOL, "created_at": TIME, "course_code": STR,
        "default_view": STR, "root_account_id": ID, "enrollment_term_id": nullable(INT), "license": STR,
        "grade_passback_setting": nullable(STR), "end_at": nullable(TIME), "public_syllabus": BOOL,
        "public_syllabus_to_auth": BOOL, "storage_quota_mb": INT, "is_public_to_auth_users": BOOL,
        "homeroom_course": BOOL, "course_color": {"type": "null"}, "friendly_name": {"type": "null"},
        "apply_assignment_group_weights": BOOL, "calendar": obj({"ics": URL}), "time_zone": STR,
        "blueprint": BOOL, "template": BOOL, "hide_final_grades": BOOL,
        "workflow_state": enum("unpublished", "available", "completed", "deleted"),
        "restrict_enrollments_to_course_dates": BOOL,
    },
    {
        # the create answer's columns
        "conclude_at": nullable(TIME), "allow_student_forum_attachments": BOOL, "open_enrollment": BOOL,
        "allow_wiki_comments": BOOL, "self_enrollment": BOOL,
        # includes and rights
        "storage_quota_used_mb": NUM, "account_name": nullable(STR),
        "permissions": obj({"create_discussion_topic": BOOL, "create_announcement": BOOL}),
        "term": nullable(ref("Term")), "grading_periods": {"type": "null"},
        "course_progress": obj({"error": obj({"message": STR})}),
        "sections": arr(obj({"id": ID, "name": nullable(STR), "start_at": nullable(TIME), "end_at": nullable(TIME)},
                            {"enrollment_role": STR})),
        "total_students": INT, "is_favorite": BOOL, "teachers": arr(ref("UserDisplay")), "teacher_count": INT,
        "locale": STR, "account": ref("Account"), "subaccount_id": ID, "subaccount_name": nullable(STR),
        "syllabus_body": nullable(STR), "html_url": URL, "image_download_url": nullable(STR),
        "banner_image_download_url": {"type": "null"}, "concluded": BOOL,
        "sis_course_id": nullable(STR), "integration_id": nullable(STR), "sis_import_id": {"type": "null"},
        "enrollments": arr(ref("EnrollmentStub")), "needs_grading_count": INT, "public_description": STR,
        "course_format": enum("on_campus", "online", "blended"),
    },
    description="course_json (lib/api/v1/course.rb)")
RESTRICTED = obj({"id": ID, "access_restricted_by_date": {"const": True}},
                 description="a course all of whose enrollments of the caller are inactive by date")
GRADES = obj({"html_url": URL}, {k: {"type": "null"} for k in (
    "current_grade", "current_score", "final_grade", "final_score", "unposted_current_score",
    "unposted_current_grade", "unposted_final_score", "unposted_final_grade")})
COURSE_USER_ENROLLMENT = obj(
    {"id": ID, "user_id": ID, "course_id": ID, "type": STR, "created_at": nullable(TIME), "updated_at": nullable(TIME),
     "associated_user_id": {"type": "null"}, "start_at": {"type": "null"}, "end_at": {"type": "null"},
     "course_section_id": ID, "root_account_id": ID, "limit_privileges_to_course_section": BOOL,
     "enrollment_state": STR, "role": STR, "role_id": nullable(INT), "html_url": URL},
    {"last_activity_at": {"type": "null"}, "last_attended_at": {"type": "null"}, "total_activity_time": INT,
     "sis_import_id": {"type": "null"}, "grades": GRADES, "sis_account_id": nullable(STR),
     "sis_course_id": nullable(STR), "course_integration_id": nullable(STR), "sis_section_id": nullable(STR),
     "section_integration_id": {"type": "null"}, "sis_user_id": nullable(STR), "locked": BOOL},
    description="enrollment_json (lib/api/v1/user.rb), without user")
COURSE_USER = obj(USER_REQUIRED, {**USER_OPTIONAL, "enrollments": arr(ref("CourseUserEnrollment")),
                                  "bio": nullable(STR), "last_login": nullable(TIME), "group_ids": arr(ID)},
                  description="user_json of GET /courses/:id/users")
SETTINGS = {"type": "object", "additionalProperties": ANY, "required": [
    "allow_student_discussion_topics", "allow_student_forum_attachments", "hide_final_grades",
    "home_page_announcement_limit", "default_due_time"],
    "description": "course_settings_json (lib/api/v1/course.rb): every key always present"}
PERMISSIONS_MAP = {"type": "object", "additionalProperties": BOOL,
                   "description": "each asked permission name -> whether the caller has it"}
SCHEMAS: dict[str, Schema] = {
    "Course": COURSE, "CourseListItem": {"anyOf": [ref("Course"), RESTRICTED]}, "Term": TERM,
    "EnrollmentStub": ENROLLMENT_STUB, "CourseUser": COURSE_USER, "CourseUserEnrollment": COURSE_USER_ENROLLMENT,
    "CourseSettings": SETTINGS, "CoursePermissions": PERMISSIONS_MAP,
    "CourseEventDone": {"type": "object", "minProperties": 1, "maxProperties": 1,
                        "properties": {"delete": {"const": True}, "conclude": {"const": True}},
                        "additionalProperties": False},
}
COURSE_INCLUDE = P("include[]", arr(enum(*sorted(COURSE_INCLUDES))), "extra keys of each course")
LIST_QUERY = (
    P("enrollment_type", enum("teacher", "student", "ta", "observer", "designer"), "any other value matches nothing"),
    P("enrollment_role", STR), P("enrollment_role_id", INT),
    P("enrollment_state", enum("active", "invited_or_pending", "completed")),
    P("state[]", arr(enum("unpublished", "available", "completed", "deleted", "created", "claimed"))),
    P("exclude_blueprint_courses", BOOLISH), P("homeroom", BOOLISH), P("account_id", INT),
    P("teacher_limit", INT), COURSE_INCLUDE)
COURSE_FIELDS = (
    P("course[name]", STR, "blank: \"Unnamed Course\""), P("course[course_code]", STR),
    P("course[start_at]", STR, "dropped unless restrict_enrollments_to_course_dates"),
    P("course[end_at]", STR, "alias of conclude_at; dropped unless restrict_enrollments_to_course_dates"),
    P("course[license]", STR, "unknown: private"), P("course[is_public]", BOOLISH),
    P("course[is_public_to_auth_users]", BOOLISH), P("course[public_syllabus]", BOOLISH),
    P("course[public_syllabus_to_auth]", BOOLISH), P("course[public_description]", STR),
    P("course[allow_wiki_comments]", BOOLISH), P("course[allow_student_forum_attachments]", BOOLISH),
    P("course[open_enrollment]", BOOLISH), P("course[self_enrollment]", BOOLISH),
    P("course[restrict_enrollments_to_course_dates]", BOOLISH), P("course[term_id]", STR),
    P("course[sis_course_id]", STR, "needs manage_sis (else ignored)"), P("course[integration_id]", STR),
    P("course[hide_final_grades]", BOOLISH), P("course[apply_assignment_group_weights]", BOOLISH),
    P("course[time_zone]", STR, "an IANA name"), P("course[default_view]", enum(*("feed", "wiki", "modules",
                                                                               "syllabus", "assignments"))),
    P("course[syllabus_body]", STR), P("course[grade_passback_setting]", STR, "nightly_sync, disabled or blank"),
    P("course[course_format]", STR), P("course[storage_quota_mb]", INT, "needs manage_storage_quotas"),
    P("course[account_id]", INT))
SETTINGS_FIELDS = tuple(P(name, BOOLISH) for name in (
    "allow_student_discussion_topics", "allow_student_forum_attachments", "allow_student_discussion_editing",
    "allow_student_organized_groups", "allow_student_discussion_reporting",
    "allow_student_anonymous_discussion_topics", "filter_speed_grader_by_student_group", "hide_final_grades",
    "hide_distribution_graphs", "hide_sections_on_course_users_page", "lock_all_announcements",
    "usage_rights_required", "restrict_student_past_view", "restrict_student_future_view",
    "show_announcements_on_home_page", "syllabus_course_summary", "conditional_release")) + (
    P("home_page_announcement_limit", INT), P("default_due_time", STR))
USERS_QUERY = (
    SEARCH_TERM, P("sort", enum("username", "last_login", "email", "sis_id", "id", "login_id")),
    P("order", enum("asc", "desc")),
    P("enrollment_type[]", arr(enum("teacher", "student", "student_view", "ta", "observer", "designer")),
      "another value: 400"),
    P("enrollment_role", STR), P("enrollment_role_id", INT),
    P("enrollment_state[]", arr(enum("active", "invited", "rejected", "completed", "inactive"))),
    P("include_inactive", BOOLISH), P("section_ids[]", arr(ID)), P("user_ids[]", arr(ID)),
    P("user_uuids[]", arr(STR)), P("user_id", ID, "jump to the page holding this user"), P("limit", INT),
    P("include[]", arr(enum("enrollments", "locked", "avatar_url", "test_student", "bio", "uuid", "group_ids",
                            "last_login", "email"))))
_SHOW = dict(query=(COURSE_INCLUDE, P("teacher_limit", INT)), errors=("unauthorized", "not_found"))
ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/courses"): RouteDoc(
        "List your courses", "CoursesController#index", _TAG, array_of("CourseListItem"), paginated="pages",
        query=LIST_QUERY, errors=("not_found",)),
    ("GET", "/api/v1/users/{user_id}/courses"): RouteDoc(
        "List courses for a user", "CoursesController#user_index", _TAG, array_of("CourseListItem"),
        paginated="pages", query=LIST_QUERY, errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/courses"): RouteDoc(
        "List active courses in an account", "AccountsController#courses_api", _TAG, array_of("Course"),
        paginated="pages",
        query=(P("state[]", arr(enum("created", "claimed", "available", "completed", "deleted", "all",
                                     "unpublished"))),
               P("published", BOOLISH), P("completed", BOOLISH), P("with_enrollments", BOOLISH),
               P("enrollment_type[]", arr(enum("student", "teacher", "ta", "observer", "designer"))),
               P("enrollment_workflow_state[]", arr(enum("active", "invited", "creation_pending", "completed",
                                                         "inactive", "rejected", "deleted"))),
               P("blueprint", BOOLISH), P("blueprint_associated", BOOLISH), P("public", BOOLISH),
               P("homeroom", BOOLISH), P("by_teachers[]", arr(STR)), P("by_subaccounts[]", arr(STR)),
               P("enrollment_term_id", STR), P("starts_before", STR), P("ends_after", STR),
               P("search_term", STR, "validated when present, even empty (2 characters at least)"),
               P("search_by", enum("course", "teacher")),
               P("sort", enum("course_status", "course_name", "sis_course_id", "teacher", "account_name",
                              "subaccount", "term")), P("order", enum("asc", "desc")), COURSE_INCLUDE),
        errors=("unauthorized", "not_found", "search_term", "message"),
        description="No total: no `last` link until a partial page."),
    ("GET", "/api/v1/courses/{course_id}"): RouteDoc(
        "Get a single course", "CoursesController#show", _TAG, "Course", **_SHOW, auth="optional",
        description="Without a token: an available course that is public (is_public); otherwise the "
                    "401 asking for a login."),
    ("GET", "/api/v1/accounts/{account_id}/courses/{course_id}"): RouteDoc(
        "Get a single course (in an account)", "CoursesController#show", _TAG, "Course", **_SHOW),
    ("POST", "/api/v1/accounts/{account_id}/courses"): RouteDoc(
        "Create a new course", "CoursesController#create", _TAG, "Course",
        body=COURSE_FIELDS + (P("offer", BOOLISH), P("enroll_me", BOOLISH, 'only "true" enrolls'),
                              P("enable_sis_reactivation", BOOLISH)),
        errors=("unauthorized", "not_found", "validation")),
    ("PUT", "/api/v1/courses/{course_id}"): RouteDoc(
        "Update a course", "CoursesController#update", _TAG, "Course",
        body=COURSE_FIELDS + (P("course[event]", enum("claim", "offer", "conclude", "delete", "undelete")),
                              P("course[course_color]", STR), P("course[image_url]", STR),
                              P("course[image_id]", INT), P("course[remove_image]", BOOLISH), P("offer", BOOLISH)),
        errors=("unauthorized", "not_found", "validation", "message")),
    ("DELETE", "/api/v1/courses/{course_id}"): RouteDoc(
        "Delete/Conclude a course", "CoursesController#destroy", _TAG, "CourseEventDone",
        body=(P("event", enum("delete", "conclude"), "in the query or the body", required=True),),
        errors=("unauthorized", "not_found", "message", "event_failed")),
    ("GET", "/api/v1/courses/{course_id}/settings"): RouteDoc(
        "Get course settings", "CoursesController#api_settings", _TAG, "CourseSettings",
        errors=("unauthorized", "not_found")),
    ("PUT", "/api/v1/courses/{course_id}/settings"): RouteDoc(
        "Update course settings", "CoursesController#update_settings", _TAG, "CourseSettings",
        body=SETTINGS_FIELDS, errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/permissions"): RouteDoc(
        "Permissions", "CoursesController#permissions", _TAG, "CoursePermissions",
        query=(P("permissions[]", arr(STR), "permission names to check"),), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/users"): RouteDoc(
        "List users in course", "CoursesController#users", _TAG, array_of("CourseUser"), paginated="pages",
        query=USERS_QUERY, errors=("unauthorized", "search_term", "not_found", "errors_message"),
        description="No total: no `last` link until a partial page."),
    ("GET", "/api/v1/courses/{course_id}/search_users"): RouteDoc(
        "Search users in course (alias of List users in course)", "CoursesController#users", _TAG,
        array_of("CourseUser"), paginated="pages", query=USERS_QUERY,
        errors=("unauthorized", "search_term", "not_found", "errors_message"),
        description="Links name /users, the action's route."),
    ("GET", "/api/v1/courses/{course_id}/users/{user_id}"): RouteDoc(
        "Get single user", "CoursesController#user", _TAG, "CourseUser",
        query=(P("include[]", arr(enum("enrollments", "locked", "avatar_url", "bio", "uuid", "group_ids",
                                       "last_login", "email", "inactive_enrollments"))),),
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/courses/{course_id}/students"): RouteDoc(
        "List students", "CoursesController#students", _TAG, array_of("CourseUser"),
        errors=("unauthorized", "not_found"), description="Deprecated; not paginated."),
}
