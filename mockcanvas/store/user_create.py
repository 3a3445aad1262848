"""``POST /api/v1/accounts/:account_id/users``: UsersController#create_user, the user and login it
makes, and the nested 400 body it answers with (app/controllers/users_controller.rb 2025,
app/models/pseudonym.rb, app/models/user.rb).

* Who: a caller with ``manage_user_logins`` on the account (its admins), or anyone when the root
  account allows self-registration (``self_registration`` setting, default off); everyone else gets
  **403 with body ``{}``** (``require_self_registration``), checked before anything else.
* ``pseudonym[unique_id]`` is stripped; ``pseudonym[sis_user_id]`` / ``[integration_id]`` are kept
  only for callers with ``manage_sis`` (dropped silently otherwise); a login of the account whose
  user is still ``creation_pending`` is reused, any other live one is taken.
* ``user[name]`` defaults to the unique id only when absent (``""`` stays ``""``); short and sortable
  names follow ``User#infer_defaults``; an unknown ``user[time_zone]`` is dropped (the account's
  default applies); ``user[skip_registration]`` (or a password from an admin) makes the user
  ``registered``, else ``pre_registered``.
* Validations for self-registration or ``force_validations=true``: the name is required (``blank``)
  and the login must be an e-mail address (``not_email``); self-registration also needs
  ``user[terms_of_use]`` (``accepted``).
* Login validations, in Canvas's order: ``validate_unique_id`` (``not_email``, then ``taken``) and
  the SIS / integration id checks abort the validation with their one error; otherwise the format
  (printable characters: ``invalid``) and length (1..100: ``too_short`` / ``too_long``) checks, and
  the account must be a root account (``account_id``: ``must belong to a root_account``). Any login
  error adds ``pseudonyms: invalid`` to the user's errors.
* The e-mail channel: ``communication_channel[address]`` (or the unique id) when it is an e-mail
  address.
* Answer: ``user_json`` with ``locale`` and ``uuid`` (+ ``confirmation_url`` when asked by a caller
  with ``manage_students``, + ``terms_of_use`` when sent).

Errors are 400 ``{"errors":{"user":{...},"pseudonym":{...},"observee":{},"pairing_code":{},
"recaptcha":null}}``, each inner hash in the InstructureHashReporter form.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import to_bool
from . import records as r
from .base import fold
from .user_fields import LOCALES, MAX_STRING, iana_zone, infer_names

if TYPE_CHECKING:
    from .users import UserOps

MAX_UNIQUE_ID = 100  # Pseudonym::MAX_UNIQUE_ID_LENGTH
PRINTABLE = re.compile(r"\A[^\x00-\x1f\x7f]+\Z")  # [[:print:]]+: no control characters
EMAIL = re.compile(r"\A[^@\s]+@[^@\s]+\.[^@\s]+\Z")  # EmailAddressValidator.valid?, loosely
MSG_TAKEN = "ID already in use for this account and authentication provider"
MSG_ROOT = "must belong to a root_account"


def _text(value: Any) -> str | None:
    """A scalar parameter as a string attribute holds it (None when absent or not a scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else None


def _error(errors: dict[str, list], attribute: str, kind: str, message: str | None = None) -> None:
    errors.setdefault(attribute, []).append(
        {"attribute": attribute, "type": kind, "message": message if message is not None else kind})


def create_user(ops: UserOps, viewer: r.User, account: r.Account, params: dict[str, Any]) -> tuple[r.User, list[str]]:
    from .users import setting

    s = ops.s
    rights = s.policy.account_rights(viewer, account)
    root = ops.root_of_account(account)
    manage_logins = "manage_user_logins" in rights
    if not manage_logins and not setting(root, "self_registration", False):
        raise E.Forbidden()
    pseudonym = params.get("pseudonym") if isinstance(params.get("pseudonym"), dict) else {}
    user_params = params.get("user") if isinstance(params.get("user"), dict) else {}
    cc_params = params.get("communication_channel") if isinstance(params.get("communication_channel"), dict) else None
    unique_id = _text(pseudonym.get("unique_id"))
    if unique_id is not None:
        unique_id = unique_id.strip()
    sis_user_id = integration_id = None
    if "manage_sis" in rights:
        sis_user_id = _text(pseudonym.get("sis_user_id")) or None
        integration_id = _text(pseudonym.get("integration_id")) or None
    force = bool(to_bool(params.get("force_validations")))
    strict = force or not manage_logins
    allow_non_email = not force and manage_logins

    # the user's attributes (params[:user].permit(...)); name ||= unique_id
    name = _text(user_params.get("name")) if user_params.get("name") is not None else unique_id
    short = _text(user_params.get("short_name"))
    sortable = _text(user_params.get("sortable_name"))
    zone = iana_zone(user_params.get("time_zone")) or (root.default_time_zone if root else "Etc/UTC")
    locale = _text(user_params.get("locale")) or None
    terms = user_params.get("terms_of_use")
    skip_registration = bool(to_bool(user_params.get("skip_registration")))
    password = pseudonym.get("password") if manage_logins else None

    # communication channel: an e-mail address, or none
    if cc_params is not None:
        kind = _text(cc_params.get("type")) or "email"
        address = _text(cc_params.get("address")) or unique_id
    else:
        kind, address = "email", _text(pseudonym.get("path")) or unique_id
    email = address.strip() if kind == "email" and address and EMAIL.match(address.strip()) else None

    user_errors: dict[str, list] = {}
    for key, value in (("name", name), ("short_name", short), ("sortable_name", sortable)):
        if value is not None and len(value) > MAX_STRING:
            _error(user_errors, key, "too_long")
    if locale is not None and locale not in LOCALES:
        _error(user_errors, "locale", "invalid")
    if strict:
        if not (name or "").strip():
            _error(user_errors, "name", "blank")
        if not manage_logins and not to_bool(terms):
            _error(user_errors, "terms_of_use", "accepted")

    login_errors = _login_errors(ops, root, account, unique_id, sis_user_id, integration_id, allow_non_email)
    if login_errors:
        user_errors = {"pseudonyms": [{"attribute": "pseudonyms", "type": "invalid", "message": "invalid"}],
                       **user_errors}
    if user_errors or login_errors:
        raise E.BadRequest({"errors": {"user": user_errors, "pseudonym": login_errors, "observee": {},
                                       "pairing_code": {}, "recaptcha": None}})

    name, short, sortable = infer_names(name, short, sortable, email=email)
    registered = skip_registration or (manage_logins and isinstance(password, str) and password != "")
    now = s.now()
    fields = dict(name=name, short_name=short, sortable_name=sortable, login_id=unique_id, email=email,
                  sis_user_id=sis_user_id, integration_id=integration_id, time_zone=zone,
                  account_id=root.id if root is not None else account.id, locale=locale,
                  terms_of_use=bool(to_bool(terms)), workflow_state="registered" if registered else "pre_registered",
                  created_at=now, updated_at=now)
    pending = _pending_login(ops, root, unique_id)
    if pending is not None:  # a creation_pending user's login: that user is completed
        fields.pop("created_at")
        s._update("users", pending, **fields)
        user = pending
    else:
        user = s.insert("users", **fields)
    includes = ["locale", "uuid"]
    if (cc_params is not None and kind == "email" and to_bool(cc_params.get("confirmation_url"))
            and "manage_students" in rights):
        includes.insert(1, "confirmation_url")
    if terms is not None:
        includes.insert(-1, "terms_of_use")
    return user, includes


def _login_owner(ops: UserOps, root: r.Account | None, unique_id: str | None) -> r.User | None:
    """The live user of the root account whose login is ``unique_id`` (case-insensitive)."""
    if not unique_id:
        return None
    uid = ops.s.idx["users"]["by_login"].get(fold(unique_id))
    owner = ops.s.get("users", uid) if uid is not None else None
    if owner is None or owner.workflow_state == "deleted" or (root is not None and owner.account_id != root.id):
        return None
    return owner


def _pending_login(ops: UserOps, root: r.Account | None, unique_id: str | None) -> r.User | None:
    owner = _login_owner(ops, root, unique_id)
    return owner if owner is not None and owner.workflow_state in ("creation_pending", "pending_approval") else None


def _login_errors(ops: UserOps, root: r.Account | None, account: r.Account, unique_id: str | None,
                  sis_user_id: str | None, integration_id: str | None, allow_non_email: bool) -> dict[str, list]:
    errors: dict[str, list] = {}
    # before_validation callbacks: each aborts with its one error
    if not allow_non_email and not (unique_id and EMAIL.match(unique_id)):
        _error(errors, "unique_id", "not_email")
        return errors
    owner = _login_owner(ops, root, unique_id)
    if owner is not None and owner.workflow_state not in ("creation_pending", "pending_approval"):
        _error(errors, "unique_id", "taken", MSG_TAKEN)
        return errors
    users = ops.s.idx["users"]
    mine = (None, owner.id if owner else None)
    if sis_user_id is not None and users["by_sis"].get(sis_user_id) not in mine:
        _error(errors, "sis_user_id", "taken", f'SIS ID "{sis_user_id}" is already in use')
        return errors
    if integration_id is not None and users["by_integration"].get(integration_id) not in mine:
        _error(errors, "integration_id", "taken", f'Integration ID "{integration_id}" is already in use')
        return errors
    # validations
    if unique_id is None or not PRINTABLE.match(unique_id):
        _error(errors, "unique_id", "invalid")
    if not unique_id:
        _error(errors, "unique_id", "too_short")
    elif len(unique_id) > MAX_UNIQUE_ID:
        _error(errors, "unique_id", "too_long")
    if account.root_account_id is not None:
        _error(errors, "account_id", MSG_ROOT)
    return errors
