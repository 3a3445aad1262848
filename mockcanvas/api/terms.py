"""The Enrollment Terms API: ``TermsApiController`` (app/controllers/terms_api_controller.rb: list,
show) and ``TermsController`` (app/controllers/terms_controller.rb: create, update, delete);
canvas-facts-courses-users section 8, the rules in ``mockcanvas.store.terms``, the JSON in
``mockcanvas.views.terms``.

Implemented:

* ``GET /accounts/:account_id/terms``: wrapped ``{"enrollment_terms": [...]}`` with page-number
  Link pagination (default 10); ``workflow_state[]`` (active | deleted | all), ``include[]``
  (overrides, course_count), ``term_name`` (ILIKE substring: ``%`` and ``_`` are wildcards);
  ``start_at DESC, end_at DESC, id`` with NULL dates first. ``read_terms``: admins of any account
  of the root account, and its teachers and TAs.
* ``GET /accounts/:account_id/terms/:id``: with course_count and overrides; ids, ``default``,
  ``current``, ``sis_term_id:``, ``sis_integration_id:``; deleted terms are found.
* ``POST``, ``PUT`` and ``DELETE`` (manage_account_settings on the root account): every error of
  ``TermsController``; the SIS id is silently ignored without manage_sis.
* A sub-account: the read routes answer 400 ``{"message": "Terms only belong to root_accounts."}``
  (``require_root_account``, before any permission check); the write routes redirect to the
  account's page (``require_root_account_management`` -> ``redirect_to named_context_url``), as
  Canvas does for any caller.
* No live events (Canvas sends none for terms).

Limitations: see ``mockcanvas.store.terms`` (ISO 8601 dates only, grading period groups not
modelled, no default term created on demand).
"""

from __future__ import annotations

from aiohttp import web

from ..openapi_docs import REDIRECT, P, RouteDoc, id_or
from ..openapi_schemas import ID, INT, NULL, STR, TIME, Schema, arr, enum, nullable, obj, ref
from ..pagination import paginate
from ..responses import params_of, render
from ..store.records import Account
from ..store.terms import Term
from ..views.terms import TERM_INCLUDES, term_json
from ._common import _page_args, base_url, current_user, includes, store_of, view_context
from ._params import str_list

routes = web.RouteTableDef()
SHOW_INCLUDES = ("course_count", "overrides")
WRITE_INCLUDES = ("overrides",)


def _root(request: web.Request) -> Account:
    """The account of the path, which must be a root account (require_root_account)."""
    store = store_of(request)
    account = store.accounts.find(request.match_info["account_id"], current_user(request))
    return store.terms.root_context(account)


def _managed_root(request: web.Request) -> Account | web.Response:
    """require_root_account_management: a sub-account is redirected to its page, then
    manage_account_settings on the root account (401)."""
    store = store_of(request)
    account = store.accounts.find(request.match_info["account_id"], current_user(request))
    if account.parent_account_id is not None:
        url = f"{base_url(request)}/accounts/{account.id}"
        body = f'<html><body>You are being <a href="{url}">redirected</a>.</body></html>'
        return web.Response(status=302, text=body, content_type="text/html", charset="utf-8",
                            headers={"Location": url})
    store.terms.require_manage(current_user(request), account)
    return account


@routes.get("/api/v1/accounts/{account_id}/terms")
async def index(request: web.Request) -> web.Response:
    store = store_of(request)
    root = _root(request)
    store.terms.require_read(current_user(request), root)
    params = params_of(request)
    ids = store.terms.listed(root, str_list(params.get("workflow_state")), params.get("term_name"))
    inc = includes(params) & set(TERM_INCLUDES)
    vc = view_context(request, store)
    page = paginate(ids, load=store.rows["terms"].get, **_page_args(request, 0))
    return render(request, {"enrollment_terms": [term_json(vc, t, inc) for t in page.items]},
                  headers={"Link": page.link_header})


@routes.get("/api/v1/accounts/{account_id}/terms/{id}")
async def show(request: web.Request) -> web.Response:
    store = store_of(request)
    root = _root(request)
    store.terms.require_read(current_user(request), root)
    term = store.terms.find(root, request.match_info["id"])
    return render(request, term_json(view_context(request, store), term, SHOW_INCLUDES))


def _answer(request: web.Request, term: Term, inc: tuple[str, ...]) -> web.Response:
    return render(request, term_json(view_context(request), term, inc))


@routes.post("/api/v1/accounts/{account_id}/terms")
async def create(request: web.Request) -> web.Response:
    root = _managed_root(request)
    if isinstance(root, web.Response):
        return root
    term = store_of(request).terms.save(current_user(request), root, None, params_of(request))
    return _answer(request, term, WRITE_INCLUDES)


def _managed_term(request: web.Request, *, active_only: bool = False) -> tuple[Account, Term] | web.Response:
    """The root account (as :func:`_managed_root` checks it) and the term of the path."""
    root = _managed_root(request)
    if isinstance(root, web.Response):
        return root
    return root, store_of(request).terms.find(root, request.match_info["id"], active_only=active_only)


@routes.put("/api/v1/accounts/{account_id}/terms/{id}")
async def update(request: web.Request) -> web.Response:
    found = _managed_term(request, active_only=True)
    if isinstance(found, web.Response):
        return found
    root, term = found
    store_of(request).terms.save(current_user(request), root, term, params_of(request))
    return _answer(request, term, WRITE_INCLUDES)


@routes.delete("/api/v1/accounts/{account_id}/terms/{id}")
async def destroy(request: web.Request) -> web.Response:
    found = _managed_term(request)
    if isinstance(found, web.Response):
        return found
    root, term = found
    store_of(request).terms.delete(current_user(request), root, term)
    return _answer(request, term, ())


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Enrollment Terms": "TermsApiController, TermsController"}
_TAG = "Enrollment Terms"
PATH_PARAMS: dict[str, Schema] = {
    "account_id": id_or("sis_account_id", "sis_integration_id", "uuid", "lti_context_id",
                        words=("self", "default")),
    "id": id_or("sis_term_id", "sis_integration_id", words=("default", "current")),
}
_DATES = obj({"start_at": nullable(TIME), "end_at": nullable(TIME)})
TERM = obj(
    {"id": ID, "name": nullable(STR), "start_at": nullable(TIME), "end_at": nullable(TIME), "created_at": TIME,
     "workflow_state": enum("active", "deleted"), "grading_period_group_id": nullable(ID)},
    {"sis_term_id": nullable(STR), "sis_import_id": NULL,
     "overrides": {"type": "object", "additionalProperties": _DATES,
                   "propertyNames": enum("StudentEnrollment", "TeacherEnrollment", "TaEnrollment",
                                         "DesignerEnrollment")},
     "course_count": INT},
    description="enrollment_term_json (lib/api/v1/enrollment_term.rb)")
SCHEMAS: dict[str, Schema] = {
    "EnrollmentTerm": TERM,
    "EnrollmentTermsList": obj({"enrollment_terms": arr(ref("EnrollmentTerm"))}),
}
_FIELDS = (
    P("enrollment_term[name]", STR),
    P("enrollment_term[start_at]", TIME, "ISO 8601; a naive time is in the caller's zone"),
    P("enrollment_term[end_at]", TIME, "not before start_at"),
    P("enrollment_term[sis_term_id]", STR, "ignored without manage_sis"),
    P("enrollment_term[overrides][StudentEnrollment][start_at]", TIME),
    P("enrollment_term[overrides][StudentEnrollment][end_at]", TIME),
)
_WRITE_ERRORS = ("unauthorized", "redirect", "missing", "message", "validation", "not_found")
ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/accounts/{account_id}/terms"): RouteDoc(
        "List enrollment terms", "TermsApiController#index", _TAG, "EnrollmentTermsList", paginated="pages",
        query=(P("workflow_state[]", arr(enum("active", "deleted", "all")), "default active"),
               P("include[]", arr(enum(*TERM_INCLUDES))), P("term_name", STR, "ILIKE substring")),
        errors=("unauthorized", "message", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/terms/{id}"): RouteDoc(
        "Retrieve enrollment term", "TermsApiController#show", _TAG, "EnrollmentTerm",
        errors=("unauthorized", "message", "not_found"), description="With course_count and overrides."),
    ("POST", "/api/v1/accounts/{account_id}/terms"): RouteDoc(
        "Create enrollment term", "TermsController#create", _TAG, "EnrollmentTerm", body=_FIELDS,
        errors=_WRITE_ERRORS),
    ("PUT", "/api/v1/accounts/{account_id}/terms/{id}"): RouteDoc(
        "Update enrollment term", "TermsController#update", _TAG, "EnrollmentTerm", body=_FIELDS,
        errors=_WRITE_ERRORS, description="Active terms only."),
    ("DELETE", "/api/v1/accounts/{account_id}/terms/{id}"): RouteDoc(
        "Delete enrollment term", "TermsController#destroy", _TAG, "EnrollmentTerm", body_kind="none",
        errors=("unauthorized", "redirect", "validation", "not_found"),
        description="Soft delete; not the default term, nor a term with courses."),
}

# require_root_account_management's redirect on a sub-account: error kind -> (status, bodies)
ERROR_KINDS = {"redirect": (302, (REDIRECT,))}
