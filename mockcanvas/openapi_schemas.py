"""JSON Schemas (OpenAPI 3.1 / JSON Schema 2020-12) of every body the mock answers with.

Written from ``mockcanvas/views`` (and the few bodies handlers build themselves): every key a view
can emit is listed, with ``null`` where the view can emit None. Objects whose keys are fixed are
closed (``additionalProperties: false``), so a view that starts emitting a new key fails the
conformance tests (``tests/openapi``) until it is documented here. Permission- and include-dependent
keys are listed as optional properties.

Id schemas carry ``x-canvas-id: true`` (path, query and body ids) so tools can tell ids apart from
other integers (the fuzz test narrows them to the world's ids).
"""

from __future__ import annotations

from typing import Any

from . import errors as E

Schema = dict[str, Any]

# -- building blocks ---------------------------------------------------------------------------
STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
NULL: Schema = {"type": "null"}
TIME: Schema = {"type": "string", "format": "date-time"}
URL: Schema = {"type": "string", "format": "uri"}
ID: Schema = {"type": "integer", "minimum": 1, "x-canvas-id": True}
ANY: Schema = {}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """The schema or null (``type: [T, "null"]`` for plain types, else ``anyOf``)."""
    t = schema.get("type")
    if isinstance(t, str) and "$ref" not in schema and "enum" not in schema and "const" not in schema:
        return {**schema, "type": [t, "null"]}
    if "enum" in schema:
        return {**schema, "type": [schema.get("type", "string"), "null"], "enum": [*schema["enum"], None]}
    return {"anyOf": [schema, NULL]}


def arr(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def enum(*values: Any, type_: str = "string") -> Schema:
    return {"type": type_, "enum": list(values)}


def const(value: Any) -> Schema:
    return {"const": value}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None, *,
        closed: bool = True, description: str | None = None) -> Schema:
    """An object with ``required`` keys always present and ``optional`` ones sometimes."""
    out: Schema = {"type": "object", "properties": {**required, **(optional or {})},
                   "required": list(required)}
    if closed:
        out["additionalProperties"] = False
    if description:
        out["description"] = description
    return out


def with_context(schema: Schema) -> Schema:
    """Views name the context key after its type: ``course_id`` for a Course, ``account_id`` for
    an Account (lib/api/v1/context.rb)."""
    props = dict(schema["properties"])
    props["course_id"] = ID
    props["account_id"] = ID
    return {**schema, "properties": props,
            "oneOf": [{"required": ["course_id"], "properties": {"context_type": const("Course")},
                       "not": {"required": ["account_id"]}},
                      {"required": ["account_id"], "properties": {"context_type": const("Account")},
                       "not": {"required": ["course_id"]}}]}


# -- users -------------------------------------------------------------------------------------
_USER_REQUIRED = {"id": ID, "name": STR, "created_at": TIME, "sortable_name": STR, "short_name": STR}
_USER_OPTIONAL = {
    "pronouns": STR,                      # only when set
    "sis_user_id": nullable(STR),         # read_sis / manage_sis
    "integration_id": nullable(STR),
    "sis_import_id": NULL,                # manage_sis
    "login_id": nullable(STR),            # view_user_logins
    "avatar_url": URL,                    # include[]=avatar_url
    "email": nullable(STR),               # include[]=email with read_email_addresses
    "locale": nullable(STR),              # include[]=locale
    "uuid": STR,                          # include[]=uuid
}
USER = obj(_USER_REQUIRED, _USER_OPTIONAL, description="user_json (lib/api/v1/user.rb)")
GROUP_USER = obj(_USER_REQUIRED, {**_USER_OPTIONAL, "is_inactive": BOOL, "group_submissions": arr(INT)},
                 description="user_json of GET /groups/:id/users and /group_categories/:id/users "
                             "(include[]=active_status, group_submissions)")
COURSE_USER_ENROLLMENT = obj({
    "type": STR, "role": STR, "role_id": nullable(INT), "user_id": ID, "enrollment_state": STR,
    "limit_privileges_to_course_section": BOOL, "id": ID, "course_id": ID, "course_section_id": ID,
})
COURSE_USER = obj(_USER_REQUIRED, {**_USER_OPTIONAL, "enrollments": arr(ref("CourseUserEnrollment"))},
                  description="user_json of GET /courses/:id/users (include[]=enrollments)")
PROFILE = obj({**_USER_REQUIRED, "avatar_url": URL, "locale": nullable(STR),
               "permissions": obj({"can_update_name": BOOL, "can_update_avatar": BOOL,
                                   "limit_parent_app_web_access": BOOL})},
              {k: v for k, v in _USER_OPTIONAL.items() if k not in ("avatar_url", "locale")}
              | {"effective_locale": STR},
              description="UsersController#api_show: user_json with locale, avatar_url, email, "
                          "permissions; effective_locale for oneself")
USER_DISPLAY = obj({"id": ID, "anonymous_id": STR, "display_name": STR, "avatar_image_url": URL,
                    "html_url": URL, "pronouns": nullable(STR)},
                   description="user_display_json (a group's leader)")

# -- groups ------------------------------------------------------------------------------------
TAB = obj({"id": STR, "html_url": STR, "full_url": URL, "position": INT, "visibility": STR,
           "label": STR, "type": STR})
CATEGORY_ROLE = nullable(enum("student_organized", "communities", "imported", "uncategorized"))
GROUP = with_context(obj(
    {
        "id": ID, "name": STR, "created_at": TIME, "max_membership": nullable(INT), "is_public": BOOL,
        "join_level": {"type": "string", "description": "not validated: any value is saved and echoed"},
        "group_category_id": nullable(ID), "description": nullable(STR), "members_count": INT,
        "storage_quota_mb": INT, "context_type": enum("Course", "Account"), "avatar_url": nullable(URL),
        "leader": nullable(ref("UserDisplay")), "has_submission": BOOL, "concluded": BOOL,
        "non_collaborative": BOOL,
    },
    {
        "role": CATEGORY_ROLE,                       # only when the group has a category
        "sis_group_id": nullable(STR),               # read_sis / manage_sis
        "sis_import_id": nullable(INT),              # manage_sis
        "users": arr(ref("User")),                   # include[]=users
        "group_category": nullable(ref("GroupCategory")),
        "permissions": obj({"create_discussion_topic": BOOL, "join": BOOL, "create_announcement": BOOL}),
        "is_favorite": BOOL,                         # include[]=favorites
        "html_url": URL, "tabs": arr(ref("Tab")), "can_access": BOOL, "can_message": BOOL,
    },
    description="group_json (lib/api/v1/group.rb)"))
MEMBERSHIP = obj(
    {"id": ID, "group_id": ID, "user_id": ID, "workflow_state": enum("accepted", "invited", "requested", "deleted"),
     "moderator": BOOL, "created_at": TIME},
    {"just_created": BOOL, "sis_group_id": nullable(STR), "sis_import_id": nullable(INT)},
    description="group_membership_json; just_created only in the create answer")
CATEGORY = with_context(obj(
    {
        "id": ID, "name": STR, "role": CATEGORY_ROLE, "self_signup": nullable(enum("enabled", "restricted")),
        "group_limit": nullable(INT), "auto_leader": nullable(enum("first", "random")), "created_at": TIME,
        "context_type": enum("Course", "Account"), "protected": BOOL, "allows_multiple_memberships": BOOL,
        "is_member": BOOL, "non_collaborative": BOOL,
    },
    {
        "sis_group_category_id": nullable(STR), "sis_import_id": nullable(INT),
        "progress": ref("Progress"),                 # includes[]=progress_url with a pending progress
        "unassigned_users_count": INT, "groups_count": INT, "groups": arr(ref("Group")),
    },
    description="group_category_json (lib/api/v1/group_category.rb)"))
PROGRESS = obj(
    {"id": ID, "context_id": ID, "context_type": STR, "user_id": nullable(ID), "tag": STR, "completion": NUM,
     "workflow_state": enum("queued", "running", "completed", "failed", "canceled", "waiting_for_external_tool"),
     "created_at": TIME, "updated_at": TIME, "message": nullable(STR), "url": URL},
    {"results": ANY},
    description="progress_json (lib/api/v1/progress.rb); results only once no longer pending")
NEW_MEMBERS = obj({"id": ID, "new_members": arr(obj({
    "user_id": ID, "name": STR, "display_name": STR,
    "sections": arr(obj({"section_id": ID, "section_code": STR}))}))},
    description="assign_unassigned_members with sync=true: one entry per group that got members")
PERMISSIONS = {"type": "object", "additionalProperties": BOOL,
               "description": "each asked permission name -> whether the caller has it"}
STREAM_ITEM = obj(
    {"id": ID, "title": STR, "message": STR, "type": STR, "read_state": BOOL, "context_type": const("Group"),
     "group_id": ID, "created_at": TIME, "updated_at": TIME, "html_url": URL},
    {"total_root_discussion_entries": INT, "require_initial_post": BOOL, "user_has_posted": NULL,
     "root_discussion_entries": arr(ANY), "discussion_topic_id": ID, "announcement_id": ID,
     "notification_category": nullable(STR)},
    description="a stream item (lib/api/v1/stream_item.rb), seeded items only")
STREAM_SUMMARY = obj({"type": STR, "unread_count": INT, "count": INT, "notification_category": nullable(STR)})

# -- courses, sections, accounts ---------------------------------------------------------------
ENROLLMENT_STUB = obj({"type": STR, "role": STR, "role_id": nullable(INT), "user_id": ID,
                       "enrollment_state": STR, "limit_privileges_to_course_section": BOOL})
COURSE = obj(
    {
        "id": ID, "name": STR, "account_id": ID, "uuid": STR, "start_at": nullable(TIME),
        "grading_standard_id": NULL, "is_public": BOOL, "created_at": TIME, "course_code": STR,
        "default_view": STR, "root_account_id": ID, "enrollment_term_id": INT, "license": STR,
        "grade_passback_setting": NULL, "end_at": nullable(TIME), "public_syllabus": BOOL,
        "public_syllabus_to_auth": BOOL, "storage_quota_mb": INT, "is_public_to_auth_users": BOOL,
        "homeroom_course": BOOL, "course_color": NULL, "friendly_name": NULL,
        "apply_assignment_group_weights": BOOL, "calendar": obj({"ics": URL}), "time_zone": STR,
        "blueprint": BOOL, "template": BOOL, "enrollments": arr(ref("EnrollmentStub")),
        "hide_final_grades": BOOL, "workflow_state": STR, "restrict_enrollments_to_course_dates": BOOL,
    },
    {"sis_course_id": nullable(STR), "integration_id": NULL, "sis_import_id": NULL},
    description="course_json (lib/api/v1/course.rb)")
SECTION = obj(
    {"id": ID, "course_id": ID, "name": STR, "start_at": NULL, "end_at": NULL, "created_at": TIME,
     "restrict_enrollments_to_section_dates": BOOL, "nonxlist_course_id": NULL},
    {"sis_section_id": nullable(STR), "sis_course_id": nullable(STR), "integration_id": NULL,
     "sis_import_id": NULL, "students": nullable(arr(ref("User"))), "total_students": INT},
    description="section_json (lib/api/v1/section.rb); students/total_students by include[]")
ACCOUNT = obj(
    {"id": ID, "name": STR, "workflow_state": STR, "parent_account_id": nullable(ID),
     "root_account_id": nullable(ID), "uuid": STR, "default_storage_quota_mb": INT,
     "default_user_storage_quota_mb": INT, "default_group_storage_quota_mb": INT, "default_time_zone": STR},
    {"sis_account_id": nullable(STR), "integration_id": NULL, "sis_import_id": NULL, "lti_guid": STR},
    description="account_json (lib/api/v1/account.rb); lti_guid for root accounts")

# -- files -------------------------------------------------------------------------------------
ATTACHMENT = obj(
    {"id": ID, "uuid": STR, "folder_id": NULL, "display_name": STR, "filename": STR, "upload_status": STR,
     "content-type": STR, "url": URL, "size": INT, "created_at": TIME, "updated_at": TIME,
     "unlock_at": NULL, "locked": BOOL, "hidden": BOOL, "lock_at": NULL, "hidden_for_user": BOOL,
     "thumbnail_url": nullable(URL), "modified_at": TIME, "mime_class": STR, "media_entry_id": NULL,
     "category": STR, "locked_for_user": BOOL, "visibility_level": STR},
    description="attachment_json (lib/api/v1/attachment.rb)")
UPLOAD_PREFLIGHT = obj({"upload_url": URL, "upload_params": obj({"filename": STR, "content_type": STR}),
                        "file_param": const("file")},
                       description="step 1 of the file upload (local storage flavour)")

# -- small bodies ------------------------------------------------------------------------------
OK = obj({"ok": const(True)})
PREVIEW_HTML = obj({"html": STR})

# -- errors (mockcanvas/errors.py) -------------------------------------------------------------
def _msg(message: Schema, **extra: Schema) -> Schema:
    return {"type": "array", "minItems": 1, "items": obj({"message": message}, extra or None)}


ERRORS: dict[str, Schema] = {
    "ErrorUnauthenticated": obj({"status": const("unauthenticated"),
                                 "errors": _msg(const(E.MSG_UNAUTHENTICATED))},
                                description="no token (401 with WWW-Authenticate)"),
    "ErrorInvalidToken": obj({"errors": _msg(enum(E.MSG_INVALID_TOKEN, E.MSG_REVOKED_TOKEN, E.MSG_EXPIRED_TOKEN),
                                             expired_at=TIME)},
                             description="unknown, revoked or expired token (401 with WWW-Authenticate)"),
    "ErrorInvalidAsUser": obj({"errors": const(E.MSG_INVALID_AS_USER)},
                              description="as_user_id naming nobody or someone the caller may not become"),
    "ErrorUnauthorized": obj({"status": const("unauthorized"), "errors": _msg(const(E.MSG_UNAUTHORIZED))},
                             description="not allowed (401; 403 with --auth-error-status 403)"),
    "ErrorProtectedCategory": obj({"status": const("unauthorized")},
                                  description="deleting or importing into a protected category"),
    "ErrorSisPermission": obj({"message": enum(E.MSG_SIS_CREATE, E.MSG_SIS_UPDATE)},
                              description="a SIS id without manage_sis"),
    "ErrorNotFound": obj({"errors": _msg(const(E.MSG_NOT_FOUND))}),
    "ErrorCategoryNotFound": obj({"status": const("not found")},
                                 description="GroupCategoriesController#get_category_context"),
    "ErrorInvalidPage": obj({"errors": _msg(const("An error occurred."), error_code=const("not_found"))},
                            description="page=0, -1 or not a number"),
    "ErrorValidation": {
        "type": "object", "additionalProperties": False, "required": ["errors"],
        "description": "InstructureHashReporter: attribute -> its errors",
        "properties": {"errors": {"type": "object", "minProperties": 1, "additionalProperties": arr(
            obj({"attribute": STR, "type": STR, "message": STR}), minItems=1)}},
    },
    "ErrorSearchTerm": obj({"errors": {"type": "array", "items": obj({
        "field": const("search_term"), "code": const("invalid"), "message": const(E.MSG_SEARCH_TERM)})}}),
    "ErrorParameterMissing": obj({"errors": _msg({"type": "string", "pattern": " is missing$"})}),
    "ErrorBadJson": obj({"errors": _msg(const("An error occurred."), error_code=const("bad_request"))},
                        description="a JSON body that does not parse"),
    "ErrorContentType": obj({"errors": _msg(const("Invalid content type, UTF-8 required"))}),
    "ErrorMessage": obj({"message": STR}, description="file upload errors"),
    "ErrorEmpty": {"type": "object", "maxProperties": 0,
                   "description": "`{}`: leader[id] not a member; assign_unassigned_members refused"},
    "ControlError": obj({"error": STR}, description="a control-plane request it cannot take"),
}

# -- the control plane -------------------------------------------------------------------------
LIVE_EVENT = obj({"metadata": {"type": "object", "additionalProperties": {"type": ["string", "null"]},
                               "required": ["event_name", "event_time", "producer"]},
                  "body": {"type": "object"}},
                 description="a live event as Canvas posts it")
JOURNAL_ENTRY = obj({"position": INT, "method": STR, "path": STR, "query": STR, "route": nullable(STR),
                     "user_id": nullable(INT), "real_user_id": nullable(INT), "status": INT})
CONTROL: dict[str, Schema] = {
    "Health": obj({"status": const("ok"), "users": INT, "groups": INT, "changed_rows": INT, "live_events": INT}),
    "ResetResult": obj({"status": const("reset"), "changed_rows": INT}),
    "ProgressPolicy": obj({"policy": STR}, {"policies": arr(STR)}),
    "LiveEvent": LIVE_EVENT,
    "LiveEventList": obj({"position": INT, "count": INT, "events": arr(ref("LiveEvent"))}),
    "Cleared": obj({"cleared": INT, "position": INT}),
    "DeliveryStats": obj({"url": nullable(STR), "delivered": INT, "failed": INT, "pending": INT,
                          "retries": INT, "last_error": nullable(STR)}),
    "JournalEntry": JOURNAL_ENTRY,
    "RequestList": obj({"position": INT, "count": INT, "requests": arr(ref("JournalEntry"))}),
    "OpenAPIDocument": {"type": "object", "required": ["openapi", "info", "paths"],
                        "description": "this document"},
}

SCHEMAS: dict[str, Schema] = {
    "User": USER, "GroupUser": GROUP_USER, "CourseUser": COURSE_USER,
    "CourseUserEnrollment": COURSE_USER_ENROLLMENT, "Profile": PROFILE, "UserDisplay": USER_DISPLAY,
    "Tab": TAB, "Group": GROUP, "GroupMembership": MEMBERSHIP, "GroupCategory": CATEGORY,
    "Progress": PROGRESS, "AssignedGroup": NEW_MEMBERS, "Permissions": PERMISSIONS,
    "StreamItem": STREAM_ITEM, "StreamSummaryItem": STREAM_SUMMARY, "EnrollmentStub": ENROLLMENT_STUB,
    "Course": COURSE, "Section": SECTION, "Account": ACCOUNT, "Attachment": ATTACHMENT,
    "UploadPreflight": UPLOAD_PREFLIGHT, "Ok": OK, "PreviewHtml": PREVIEW_HTML,
    **ERRORS, **CONTROL,
}
