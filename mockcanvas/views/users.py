"""user_json and user_display_json (lib/api/v1/user.rb), the Users API's user and profile JSON
(lib/api/v1/user_profile.rb) and the settings hash (UsersController#settings).

``user_json`` and ``user_display_json`` serve the group, membership, category and course routes and
keep the key order those routes always had. The Users API uses :func:`full_user_json`, which follows
``Api::V1::User#user_json`` (2025) key for key: ``id, name, created_at, sortable_name, short_name``;
for a caller who is an admin in the context (``user_json_is_admin?``: ``manage_students``,
``read_sis`` or ``view_user_logins`` there) ``sis_user_id`` and ``integration_id`` (``read_sis`` /
``manage_sis``), ``sis_import_id`` (``manage_sis``) and ``login_id`` (``view_user_logins``); then
``pronouns`` (when set); ``avatar_url`` and ``avatar_state`` only when the user's root account has
the avatars service on (an account setting here, off by default as in Canvas, so ``/users/self``
has no ``avatar_url`` by default); then in this order, each when included: ``last_name``,
``first_name`` (Canvas writes ``last_name`` first), ``email`` (``read_email_addresses`` in the
context), ``bio``/``title`` (profiles enabled), ``locale``, ``effective_locale`` (oneself only),
``confirmation_url``, ``last_login``, ``permissions``, ``terms_of_use``, ``time_zone`` (the
Rails-preferred zone name), ``uuid``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from ..store.records import User
from ..store.user_fields import first_name, last_name, rails_zone_name
from ..store.users import BOOLEAN_PREFS, setting
from .common import ViewContext, iso_local, reads_sis

DEFAULT_AVATAR = "/images/messages/avatar-50.png"


@lru_cache(maxsize=4096)  # a pure function of the id, asked for on every user_display_json
def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, rem = divmod(n, 36)
        out = digits[rem] + out
        if n == 0:
            return out


def avatar_url(vc: ViewContext, user: User) -> str:
    return user.avatar_url or vc.url(DEFAULT_AVATAR)


def _identity(vc: ViewContext, user: User) -> dict[str, Any]:
    """The keys every ``user_json`` starts with (``created_at`` in the viewer's zone)."""
    viewer_tz = vc.viewer.time_zone if vc.viewer else None
    return {
        "id": user.id,
        "name": user.name,
        "created_at": iso_local(user.created_at, viewer_tz),
        "sortable_name": user.sortable_name,
        "short_name": user.short_name,
    }


def _pseudonym_ids(data: dict[str, Any], user: User, rights: frozenset[str], *, blank_login: bool = True) -> None:
    """The login's ids as ``rights`` (in the context) allow: SIS and integration ids (read_sis /
    manage_sis), ``sis_import_id`` (manage_sis), ``login_id`` (view_user_logins; a null one only
    when ``blank_login``)."""
    if reads_sis(rights):
        data["sis_user_id"] = user.sis_user_id
        data["integration_id"] = user.integration_id
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    if "view_user_logins" in rights and (blank_login or user.login_id is not None):
        data["login_id"] = user.login_id


def user_json_head(vc: ViewContext, user: User, rights: frozenset[str]) -> dict[str, Any]:
    """The start of ``user_json`` in the group, membership, category and course routes: the
    identity, ``pronouns`` (when set), then the login's ids as ``rights`` allow."""
    data = _identity(vc, user)
    if user.pronouns:
        data["pronouns"] = user.pronouns
    # lib/api/v1/user.rb: login_id needs view_user_logins in the context and email needs
    # read_email_addresses there, even for the user themselves
    _pseudonym_ids(data, user, rights)
    return data


def user_json(vc: ViewContext, user: User, *, rights: frozenset[str] = frozenset(),
              include: Iterable[str] = ()) -> dict[str, Any]:
    """``rights`` are the viewer's rights in the context the user is shown in."""
    include = set(include)
    data = user_json_head(vc, user, rights)
    if "avatar_url" in include:
        data["avatar_url"] = avatar_url(vc, user)
    if "email" in include and "read_email_addresses" in rights:
        data["email"] = user.email
    if "locale" in include:
        data["locale"] = user.locale
    if "uuid" in include:
        data["uuid"] = user.uuid
    return data


def user_display_json(vc: ViewContext, user: User, group_id: int | None = None) -> dict[str, Any]:
    html = f"/groups/{group_id}/users/{user.id}" if group_id else f"/users/{user.id}"
    data: dict[str, Any] = {
        "id": user.id,
        "anonymous_id": _base36(user.id),
        "display_name": user.short_name,
        "avatar_image_url": user.avatar_url or f"{vc.base_url}{DEFAULT_AVATAR}",  # avatar_url()
        "html_url": f"{vc.base_url}{html}",  # vc.url(html)
        "pronouns": user.pronouns,
    }
    return data


def _root(vc: ViewContext, user: User):
    return vc.store.users.root_of(user)


def avatars_on(vc: ViewContext, user: User) -> bool:
    """``user.account.service_enabled?(:avatars)``: the ``avatars`` service of the user's root
    account (an account setting in the mock; Canvas's default is off)."""
    return bool(setting(_root(vc, user), "avatars", False))


def effective_locale(vc: ViewContext, user: User) -> str:
    """``I18n.locale`` of the request: the user's locale, else the root account's, else ``en``."""
    root = _root(vc, user)
    return user.locale or (root.default_locale if root is not None else None) or "en"


def user_time_zone(vc: ViewContext, user: User) -> str:
    """The user's IANA zone, else the root account's default."""
    root = _root(vc, user)
    return user.time_zone or (root.default_time_zone if root is not None else None) or "Etc/UTC"


def full_user_json(vc: ViewContext, user: User, *, rights: frozenset[str], include: Iterable[str] = (),
                   user_rights: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``Api::V1::User#user_json`` as the Users API renders it. ``rights``: the viewer's rights in
    the context (an account); ``user_rights``: theirs on the user (``avatar_state``)."""
    inc = set(include)
    viewer_tz = vc.viewer.time_zone if vc.viewer else None
    data = _identity(vc, user)
    if rights & {"manage_students", "read_sis", "view_user_logins", "manage_sis"}:  # user_json_is_admin?
        _pseudonym_ids(data, user, rights, blank_login=False)
    if user.pronouns:
        data["pronouns"] = user.pronouns
    if avatars_on(vc, user):
        if "avatar_url" in inc:
            data["avatar_url"] = avatar_url(vc, user)
        if "avatar_state" in inc and "manage_user_details" in user_rights:
            data["avatar_state"] = user.avatar_state
    if "last_name" in inc:
        data["last_name"] = last_name(user.sortable_name)
    if "first_name" in inc:
        data["first_name"] = first_name(user.sortable_name)
    if "email" in inc and "read_email_addresses" in rights:
        data["email"] = user.email
    if setting(_root(vc, user), "enable_profiles", False):
        if "bio" in inc:
            data["bio"] = user.bio
        if "title" in inc:
            data["title"] = user.title
    if "locale" in inc:
        data["locale"] = user.locale
    if "effective_locale" in inc and vc.viewer is not None and vc.viewer.id == user.id:
        data["effective_locale"] = effective_locale(vc, user)
    if "confirmation_url" in inc:
        data["confirmation_url"] = vc.url(f"/register/{user.uuid[:25]}") if user.email else None
    if "last_login" in inc:
        data["last_login"] = iso_local(user.last_login, viewer_tz)
    if "permissions" in inc:
        root = _root(vc, user)
        data["permissions"] = {
            "can_update_name": setting(root, "users_can_edit_name", True) is not False,
            "can_update_avatar": bool(setting(root, "avatars", False)) and user.avatar_state != "locked",
            "limit_parent_app_web_access": False,
        }
    if "terms_of_use" in inc:
        data["terms_of_use"] = user.terms_of_use
    if "time_zone" in inc:
        data["time_zone"] = rails_zone_name(user_time_zone(vc, user))
    if "uuid" in inc:
        data["uuid"] = user.uuid
    return data


# UsersController#api_show: always these, plus include[] uuid / last_login (and avatar_state,
# confirmation_url for those who may)
SHOW_INCLUDES = ("first_name", "last_name", "locale", "avatar_url", "permissions", "email", "effective_locale")


def profile_json(vc: ViewContext, user: User, *, user_rights: frozenset[str], context_rights: frozenset[str],
                 include: Iterable[str] = ()) -> dict[str, Any]:
    """``Api::V1::UserProfile#user_profile_json`` (lib/api/v1/user_profile.rb): user_json (with
    avatar_url) sliced to ``id, name, short_name, sortable_name, sis_user_id, login_id,
    avatar_url, integration_id, pronouns`` (in that order, Hash#slice), then ``title``, ``bio``,
    ``pronunciation`` (2025), ``primary_email`` (``read_email_addresses`` on the user),
    ``login_id`` and ``integration_id`` of the user's login when not there yet (so always
    present), ``time_zone`` (IANA), ``locale``; for oneself ``effective_locale``, ``calendar``,
    ``lti_user_id`` (when set), ``k5_user``, ``use_classic_font_in_k5``; ``include[]``
    ``user_services`` (none), ``links`` (none) and ``uuid``."""
    inc = set(include)
    base = full_user_json(vc, user, rights=context_rights, include=("avatar_url",))
    data = {k: base[k] for k in ("id", "name", "short_name", "sortable_name", "sis_user_id", "login_id",
                                 "avatar_url", "integration_id", "pronouns") if k in base}
    data["title"] = user.title
    data["bio"] = user.bio
    data["pronunciation"] = user.pronunciation
    if "read_email_addresses" in user_rights:
        data["primary_email"] = user.email
    if data.get("login_id") is None:
        data["login_id"] = user.login_id
    if data.get("integration_id") is None:
        data["integration_id"] = user.integration_id
    data["time_zone"] = user_time_zone(vc, user)
    data["locale"] = user.locale
    me = vc.viewer is not None and vc.viewer.id == user.id
    if me:
        data["effective_locale"] = effective_locale(vc, user)
        data["calendar"] = {"ics": vc.url(f"/feeds/calendars/user_{user.uuid}.ics")}
        if user.lti_context_id:
            data["lti_user_id"] = user.lti_context_id
        data["k5_user"] = False
        data["use_classic_font_in_k5"] = False
    if "user_services" in inc:
        data["user_services"] = []
    if "links" in inc:
        data["links"] = []
    if "uuid" in inc:
        data["uuid"] = user.uuid
    return data


def settings_json(prefs: dict[str, bool]) -> dict[str, bool]:
    """UsersController#settings: every boolean preference, in BOOLEAN_PREFS order."""
    return {name: bool(prefs.get(name)) for name in BOOLEAN_PREFS}
