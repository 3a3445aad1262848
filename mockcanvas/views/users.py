"""user_json and user_display_json (lib/api/v1/user.rb)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from ..store.records import User
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


def user_json(vc: ViewContext, user: User, *, rights: frozenset[str] = frozenset(),
              include: Iterable[str] = ()) -> dict[str, Any]:
    """``rights`` are the viewer's rights in the context the user is shown in."""
    include = set(include)
    viewer_tz = vc.viewer.time_zone if vc.viewer else None
    data: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "created_at": iso_local(user.created_at, viewer_tz),
        "sortable_name": user.sortable_name,
        "short_name": user.short_name,
    }
    if user.pronouns:
        data["pronouns"] = user.pronouns
    if reads_sis(rights):
        data["sis_user_id"] = user.sis_user_id
        data["integration_id"] = user.integration_id
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    # lib/api/v1/user.rb: login_id needs view_user_logins in the context and email needs
    # read_email_addresses there, even for the user themselves
    if "view_user_logins" in rights:
        data["login_id"] = user.login_id
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


def profile_json(vc: ViewContext, user: User, rights: frozenset[str]) -> dict[str, Any]:
    """``GET /users/self`` and ``/users/:id`` (UsersController#api_show): user_json in the domain
    root account's context (``rights`` are the viewer's rights there) with the includes locale,
    avatar_url, permissions, email and effective_locale; effective_locale only for oneself."""
    data = user_json(vc, user, rights=rights, include=("avatar_url", "locale", "email"))
    if vc.viewer is not None and vc.viewer.id == user.id:
        data["effective_locale"] = user.locale or "en"
    data["permissions"] = {"can_update_name": True, "can_update_avatar": True,
                           "limit_parent_app_web_access": False}
    return data
