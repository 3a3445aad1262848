"""JSON Schemas (OpenAPI 3.1 / JSON Schema 2020-12) of the bodies the mock answers with: the
building blocks, the bodies several areas answer with (users, ``Ok``) and the error bodies.

A body only one area answers with lives beside that area's handlers, in the ``SCHEMAS`` of
``mockcanvas/api/<area>.py`` (``mockcanvas.openapi_docs`` says how); the generator merges them all
into ``components.schemas``, so ``ref("Name")`` reaches any of them and a new area never edits this
file.

Written from ``mockcanvas/views`` (and the few bodies handlers build themselves): every key a view
can emit is listed, with ``null`` where the view can emit None. Objects whose keys are fixed are
closed (``additionalProperties: false``), so a view that starts emitting a new key fails the
conformance tests (``tests/openapi``) until it is documented. Permission- and include-dependent
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


# -- users (answered by several areas) ---------------------------------------------------------
USER_REQUIRED = {"id": ID, "name": STR, "created_at": TIME, "sortable_name": STR, "short_name": STR}
USER_OPTIONAL = {
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
USER = obj(USER_REQUIRED, USER_OPTIONAL, description="user_json (lib/api/v1/user.rb)")
GROUP_USER = obj(USER_REQUIRED, {**USER_OPTIONAL, "is_inactive": BOOL, "group_submissions": nullable(arr(INT))},
                 description="user_json of GET /groups/:id/users and /group_categories/:id/users "
                             "(include[]=active_status, group_submissions)")

# -- small bodies ------------------------------------------------------------------------------
OK = obj({"ok": const(True)})

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
        "field": const("search_term"), "code": const("invalid"), "message": {"type": "string", "pattern": "^[0-9]+ or more characters is required$"}})}}),
    "ErrorParameterMissing": obj({"errors": _msg({"type": "string", "pattern": " is missing$"})}),
    "ErrorBadJson": obj({"errors": _msg(const("An error occurred."), error_code=const("bad_request"))},
                        description="a JSON body that does not parse"),
    "ErrorContentType": obj({"errors": _msg(const("Invalid content type, UTF-8 required"))}),
    "ErrorMessage": obj({"message": STR}, description="file upload errors"),
    "ErrorEmpty": {"type": "object", "maxProperties": 0,
                   "description": "`{}`: leader[id] not a member; assign_unassigned_members refused"},
    "ControlError": obj({"error": STR}, description="a control-plane request it cannot take"),
    "ErrorMessages": obj({"errors": _msg(STR)}, description="a RequestError: one message"),
    "ErrorEventFailed": {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
                         "properties": {"delete": const(False), "conclude": const(False)},
                         "description": "DELETE /courses/:id whose save failed: {\"delete\": false}"},
}

SCHEMAS: dict[str, Schema] = {"User": USER, "GroupUser": GROUP_USER, "Ok": OK, **ERRORS}
