"""The Users API (app/controllers/users_controller.rb, app/controllers/profile_controller.rb).

Implemented:

* ``GET /users/:id`` and ``/users/self`` (``UsersController#api_show``): the user themself and
  admins of an account the user is associated with; anyone else gets the standard **404** (2025:
  ``RecordNotFound``; older copies answered 401). Always ``first_name``, ``last_name``, ``locale``,
  ``permissions`` (``can_update_name`` from the root account's ``users_can_edit_name``,
  ``can_update_avatar`` = avatars service on and avatar not locked, ``limit_parent_app_web_access``),
  ``avatar_url`` when the avatars service is on, ``email`` for callers with
  ``read_email_addresses`` in the root account, ``effective_locale`` for oneself; ``include[]``
  ``uuid``, ``last_login``, ``avatar_state`` (``manage_user_details``), ``confirmation_url``
  (``manage_user_logins``). A deleted user is 404 **with the normal user body**. Path ids: ``self``,
  ids (local, global, ``shard~id``), ``sis_user_id:``, ``sis_login_id:`` (case-insensitive),
  ``sis_integration_id:``, ``uuid:``, ``lti_context_id:`` / ``lti_user_id:``, ``hex:sis_*:``.
* ``GET /users/:user_id/profile`` (``ProfileController#settings``): needs ``read_profile`` (the
  user, their course's teachers and TAs, admins), else 401; body of ``user_profile_json``.
* ``PUT /users/:id`` (``UsersController#update``): rules in ``store/users.py``; answer ``user_json``
  with ``locale``, ``avatar_url``, ``email``, ``time_zone`` (+ ``avatar_state`` for admins, +
  ``title``/``bio``/``pronouns`` when sent).
* ``GET|PUT /users/:id/settings`` (``UsersController#settings``): the boolean preferences.
* ``GET /accounts/:account_id/users`` (``UsersController#api_index``): rules in
  ``store/user_search.py``; ``include[]`` ``avatar_url``, ``email``, ``last_login``, ``time_zone``,
  ``uuid`` (``ui_invoked`` counts the pages: ``last`` link); page numbers without a total
  (no ``last`` until a partial page), bookmark pages with ``sort=id``; links name the path as sent.
* ``POST /accounts/:account_id/users`` (``UsersController#create``): rules in ``store/user_create.py``.
* Live events ``user_created`` / ``user_updated`` (``store/users.py``).

Canvas source read: ``app/controllers/users_controller.rb`` (2025: ``api_index``, ``api_show``,
``api_show_includes``, ``create_user``, ``settings``, ``update``), ``app/controllers/
profile_controller.rb``, ``lib/api/v1/user.rb``, ``lib/api/v1/user_profile.rb``,
``app/models/user.rb``, ``app/models/pseudonym.rb``, ``lib/user_search.rb``,
``lib/time_zone_helper.rb``, ``config/initializers/active_model_errors.rb``,
``lib/canvas/live_events.rb``, ``doc/api/data_services/json/canvas/event-types/user_*.json``.

Limitations: ``POST /accounts/:id/users`` without a token is refused by the mock's authentication
(401) where Canvas answers self-registration (or 403 ``{}``); the ``time_zone`` a user sets is kept
as its IANA zone, so a Rails alias (``Edinburgh``) reads back as the preferred name (``London``);
``confirmation_url`` is a mock URL (``/register/<code>``); ``last_login`` is the user row's; the
e-mail, SIS and login of the user are the one login of the user row; see also the docstrings of
``store/users.py``, ``store/user_create.py`` and ``store/user_search.py``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from ..keys import REAL_USER
from ..openapi_docs import BOOLISH, PEOPLE_TAG, SEARCH_TERM, P, RouteDoc, array_of, id_or
from ..openapi_schemas import BOOL, ID, NULL, STR, TIME, URL, USER_REQUIRED, Schema, arr, enum, nullable, obj
from ..pagination import decode_bookmark
from ..responses import params_of, render
from ..store.records import Account, User
from ..store.user_search import SORTS
from ..store.users import BOOLEAN_PREFS
from ..views.users import SHOW_INCLUDES, full_user_json, profile_json, settings_json
from ._common import bookmarked, current_user, includes, paged, paged_no_total, store_of, view_context

routes = web.RouteTableDef()
LIST_INCLUDES = ("avatar_url", "email", "last_login", "time_zone", "uuid")


def _user(request: web.Request, key: str = "user_id") -> User:
    return store_of(request).users.find(request.match_info[key], current_user(request))


def _account(request: web.Request) -> Account:
    """``/accounts/:account_id``: an id, ``sis_account_id:``, or ``self`` (the domain's root account)."""
    ref = request.match_info["account_id"]
    if ref == "self":
        ref = current_user(request).account_id
    return store_of(request).find("accounts", ref)


@routes.get("/api/v1/users/{user_id}")
async def api_show(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    user = _user(request)
    rights = store.users.show(viewer, user)
    context = store.policy.user_rights(viewer, user)
    allowed = {"uuid", "last_login"}
    if "manage_user_details" in rights:
        allowed.add("avatar_state")
    if "manage_user_logins" in context:
        allowed.add("confirmation_url")
    inc = set(SHOW_INCLUDES) | (includes(params_of(request)) & allowed)
    data = full_user_json(view_context(request, store), user, rights=context, include=inc, user_rights=rights)
    return render(request, data, status=404 if user.workflow_state == "deleted" else 200)


@routes.get("/api/v1/users/{user_id}/profile")
async def settings(request: web.Request) -> web.Response:
    """ProfileController#settings (the API's "Get user profile")."""
    store = store_of(request)
    viewer = current_user(request)
    user = _user(request)
    rights = store.users.require(viewer, user, "read_profile")
    data = profile_json(view_context(request, store), user, user_rights=rights,
                        context_rights=store.users.context_rights(viewer, user),
                        include=includes(params_of(request)))
    return render(request, data)


@routes.put("/api/v1/users/{user_id}")
async def update(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    user = _user(request)
    inc = store.users.update(viewer, user, params_of(request), request.get(REAL_USER))
    data = full_user_json(view_context(request, store), user, rights=store.users.context_rights(viewer, user),
                          include=inc, user_rights=store.users.rights(viewer, user))
    return render(request, data)


@routes.get("/api/v1/users/{user_id}/settings")
async def user_settings(request: web.Request) -> web.Response:
    """UsersController#settings, GET: needs ``read`` on the user."""
    store = store_of(request)
    user = _user(request)
    store.users.require(current_user(request), user, "read")
    return render(request, settings_json(store.users.preferences(user)))


@routes.put("/api/v1/users/{user_id}/settings")
async def update_user_settings(request: web.Request) -> web.Response:
    """UsersController#settings, PUT: needs ``manage`` or ``manage_user_details``."""
    store = store_of(request)
    user = _user(request)
    prefs = store.users.update_preferences(current_user(request), user, params_of(request))
    return render(request, settings_json(prefs))


@routes.get("/api/v1/accounts/{account_id}/users")
async def api_index(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    account = _account(request)
    rights = store.policy.account_rights(viewer, account)
    params = params_of(request)
    ids = store.users.search.account_users(viewer, account, params, rights)
    asked = includes(params)
    inc = asked & set(LIST_INCLUDES)
    if params.get("sort") == "last_login":
        inc.add("last_login")
    vc = view_context(request, store)

    def one(user: User) -> dict[str, Any]:
        return full_user_json(vc, user, rights=rights, include=inc)

    load = lambda uid: store.get("users", uid)  # noqa: E731
    if "ui_invoked" in asked:
        return paged(request, ids, one, load=load)
    if params.get("sort") == "id":
        # UserSearch::Bookmarker: by id (``order=desc`` reversed); the page starts after the bookmark,
        # found by bisection (the ids are in key order), so a deep page costs O(log n + page)
        key = (lambda i: (-i,)) if params.get("order") == "desc" else (lambda i: (i,))
        return bookmarked(request, _after_bookmark(ids, key, params.get("page")), key, lambda i: one(load(i)))
    return paged_no_total(request, ids, one, load=load)


class _Tail(Sequence):
    """``items[start:]`` without copying them."""

    def __init__(self, items: Sequence[Any], start: int) -> None:
        self.items, self.start = items, start

    def __len__(self) -> int:
        return max(0, len(self.items) - self.start)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            lo, hi, step = i.indices(len(self))
            return self.items[self.start + lo:self.start + hi:step]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.items[self.start + i]


def _after_bookmark(ids: Sequence[int], key, page: Any) -> Sequence[int]:
    """The ids from the first one past a valid ``bookmark:[id]`` token (all of them otherwise)."""
    mark = decode_bookmark(page) if isinstance(page, str) else None
    if not (mark and len(mark) == 1 and type(mark[0]) is int and ids):
        return ids
    return _Tail(ids, bisect_right(_Keys(ids, key), mark[0]))


class _Keys(Sequence):
    """The first key element of each id, for bisection."""

    def __init__(self, ids: Sequence[int], key) -> None:
        self.ids, self.key = ids, key

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):  # type: ignore[override]
        return self.key(self.ids[i])[0]


@routes.post("/api/v1/accounts/{account_id}/users")
async def create(request: web.Request) -> web.Response:
    store = store_of(request)
    viewer = current_user(request)
    account = _account(request)
    user, inc = store.users.create(viewer, account, params_of(request))
    rights = store.policy.account_rights(viewer, account)
    return render(request, full_user_json(view_context(request, store), user, rights=rights, include=inc))


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
USER_REF = id_or("sis_user_id", "sis_login_id", "sis_integration_id", "uuid", "lti_context_id", "lti_user_id",
                 words=("self",))
PATH_PARAMS: dict[str, Schema] = {"user_id": USER_REF}
PERMISSIONS = obj({"can_update_name": BOOL, "can_update_avatar": BOOL, "limit_parent_app_web_access": BOOL})
FULL_OPTIONAL: dict[str, Schema] = {
    "sis_user_id": nullable(STR), "integration_id": nullable(STR), "sis_import_id": NULL, "login_id": STR,
    "pronouns": STR, "avatar_url": URL, "avatar_state": enum("none", "submitted", "approved", "locked", "reported",
                                                              "re_reported"),
    "last_name": STR, "first_name": STR, "email": nullable(STR), "bio": nullable(STR), "title": nullable(STR),
    "locale": nullable(STR), "effective_locale": STR, "confirmation_url": nullable(URL),
    "last_login": nullable(TIME), "permissions": PERMISSIONS, "terms_of_use": BOOL, "time_zone": STR, "uuid": STR,
}
USER_DETAIL = obj({**USER_REQUIRED, "last_name": STR, "first_name": STR, "locale": nullable(STR),
                   "permissions": PERMISSIONS},
                  {k: v for k, v in FULL_OPTIONAL.items() if k not in ("last_name", "first_name", "locale",
                                                                         "permissions")},
                  description="UsersController#api_show: user_json with first_name, last_name, locale, "
                              "permissions, avatar_url (avatars on), email (read_email_addresses), "
                              "effective_locale (oneself)")
FULL_USER = obj(USER_REQUIRED, FULL_OPTIONAL, description="user_json (lib/api/v1/user.rb) of the Users API")
PROFILE = obj({"id": ID, "name": STR, "short_name": STR, "sortable_name": STR, "title": nullable(STR),
               "bio": nullable(STR), "pronunciation": nullable(STR), "login_id": nullable(STR),
               "integration_id": nullable(STR), "time_zone": STR, "locale": nullable(STR)},
              {"sis_user_id": nullable(STR), "avatar_url": URL, "pronouns": STR, "primary_email": nullable(STR),
               "effective_locale": STR, "calendar": obj({"ics": URL}), "lti_user_id": STR, "k5_user": BOOL,
               "use_classic_font_in_k5": BOOL, "user_services": arr(obj({}, closed=False)),
               "links": arr(obj({}, closed=False)), "uuid": STR},
              description="user_profile_json (lib/api/v1/user_profile.rb)")
SETTINGS = obj({name: BOOL for name in BOOLEAN_PREFS}, description="UsersController#settings")
_ERRS = {"type": "object", "additionalProperties": arr(obj({"attribute": STR, "type": STR, "message": STR}))}
CREATE_ERRORS = obj({"errors": obj({"user": _ERRS, "pseudonym": _ERRS, "observee": obj({}), "pairing_code": obj({}),
                                    "recaptcha": NULL})},
                    description="UsersController#create_user: the errors of each object")
SCHEMAS: dict[str, Schema] = {"UserDetail": USER_DETAIL, "FullUser": FULL_USER, "Profile": PROFILE,
                              "UserSettings": SETTINGS, "ErrorUserCreate": CREATE_ERRORS,
                              "ErrorTooManyUuids": obj({"error": STR})}
# the error bodies only these routes answer with (their kinds: ERROR_KINDS, below)
USER_FIELDS = (
    P("user[name]", STR), P("user[short_name]", STR), P("user[sortable_name]", STR),
    P("user[time_zone]", STR, "IANA or Rails name; anything else clears it (the account's zone applies)"),
    P("user[locale]", STR),
)
PREF_FIELDS = tuple(P(name, BOOLISH) for name in BOOLEAN_PREFS)

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("GET", "/api/v1/users/{user_id}"): RouteDoc(
        "Show user details", "UsersController#api_show", PEOPLE_TAG, "UserDetail",
        query=(P("include[]", arr(enum("uuid", "last_login", "avatar_state", "confirmation_url"))),),
        errors=("not_found", "deleted_user"),
        description="The user themself and admins over them; anyone else 404. A deleted user is 404 "
                    "with the user's body."),
    ("GET", "/api/v1/users/{user_id}/profile"): RouteDoc(
        "Get user profile", "ProfileController#settings", PEOPLE_TAG, "Profile",
        query=(P("include[]", arr(enum("links", "user_services", "uuid"))),),
        errors=("unauthorized", "not_found")),
    ("PUT", "/api/v1/users/{user_id}"): RouteDoc(
        "Edit a user", "UsersController#update", PEOPLE_TAG, "FullUser",
        body=USER_FIELDS + (
            P("user[email]", STR, "manage_user_details"), P("user[title]", STR), P("user[bio]", STR),
            P("user[pronunciation]", STR), P("user[pronouns]", STR), P("user[terms_of_use]", BOOLISH),
            P("user[event]", enum("suspend", "unsuspend")), P("user[avatar][url]", STR),
            P("user[avatar][token]", STR), P("user[avatar][state]", STR),
            P("override_sis_stickiness", BOOLISH)),
        errors=("unauthorized", "validation", "not_found"),
        description="Any user[] key the caller may not set: 401 and nothing is saved."),
    ("GET", "/api/v1/users/{user_id}/settings"): RouteDoc(
        "Show user settings", "UsersController#settings", PEOPLE_TAG, "UserSettings",
        errors=("unauthorized", "not_found")),
    ("PUT", "/api/v1/users/{user_id}/settings"): RouteDoc(
        "Update user settings", "UsersController#settings", PEOPLE_TAG, "UserSettings", body=PREF_FIELDS,
        errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/accounts/{account_id}/users"): RouteDoc(
        "List users in account", "UsersController#api_index", PEOPLE_TAG, array_of("FullUser"),
        paginated="pages",
        query=(SEARCH_TERM, P("enrollment_type", STR, "student, teacher, ta, observer, designer (else 400)"),
               P("sort", enum(*SORTS), "id: bookmark pages (page=first, page=bookmark:...)"),
               P("order", enum("asc", "desc")), P("uuids[]", arr(STR, maxItems=100)),
               P("role_filter_id", STR, "ignored"), P("include_deleted_users", BOOLISH, "ignored"),
               P("include[]", arr(enum(*LIST_INCLUDES, "ui_invoked")))),
        errors=("unauthorized", "search_term", "errors_message", "too_many_uuids", "not_found"),
        description="Page numbers without a total (no `last` link until a partial page)."),
    ("POST", "/api/v1/accounts/{account_id}/users"): RouteDoc(
        "Create a user", "UsersController#create", PEOPLE_TAG, "FullUser",
        body=USER_FIELDS + (
            P("user[terms_of_use]", BOOLISH), P("user[skip_registration]", BOOLISH),
            P("pseudonym[unique_id]", STR, required=True), P("pseudonym[password]", STR),
            P("pseudonym[sis_user_id]", STR, "manage_sis, else ignored"), P("pseudonym[integration_id]", STR),
            P("pseudonym[send_confirmation]", BOOLISH), P("communication_channel[type]", STR),
            P("communication_channel[address]", STR), P("communication_channel[confirmation_url]", BOOLISH),
            P("communication_channel[skip_confirmation]", BOOLISH), P("force_validations", BOOLISH)),
        errors=("forbidden_empty", "user_create", "not_found"),
        description="403 `{}` without manage_user_logins (unless self-registration is on)."),
}

# the failures only these routes answer with: error kind -> (status, body schemas)
ERROR_KINDS = {
    "forbidden_empty": (403, ("ErrorEmpty",)),
    "user_create": (400, ("ErrorUserCreate",)),
    "too_many_uuids": (400, ("ErrorTooManyUuids",)),
    "deleted_user": (404, ("UserDetail",)),  # GET /users/:id of a deleted user: 404 with the user's body
}
