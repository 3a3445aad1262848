"""Helpers of the Users API tests (tests/api/test_users_*.py)."""

from __future__ import annotations

import dataclasses

# GET /users/self as a plain user, avatars off (spec/apis/v1/users_api_spec.rb ~2022-24, keys in the
# order lib/api/v1/user.rb writes them: last_name before first_name)
SELF_KEYS = ["id", "name", "created_at", "sortable_name", "short_name", "last_name", "first_name", "locale",
             "effective_locale", "permissions"]
# an admin reading another user (root-account read_sis, manage_sis, view_user_logins, read_email_addresses)
ADMIN_VIEW_KEYS = ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id", "integration_id",
                   "sis_import_id", "login_id", "last_name", "first_name", "email", "locale", "permissions"]
PERMISSIONS = {"can_update_name": True, "can_update_avatar": False, "limit_parent_app_web_access": False}
BOOLEAN_PREFS = ["manual_mark_as_read", "collapse_global_nav", "collapse_course_nav", "hide_dashcard_color_overlays",
                 "release_notes_badge_disabled", "comment_library_suggestions_enabled",
                 "elementary_dashboard_disabled", "default_to_block_editor"]
ALL_TOKENS = {"admin": "admin-token", "teacher": "teacher-token", "ta": "ta-token", "designer": "designer-token",
              "student": "student-token", "observer": "observer-token", "outsider": "outsider-token"}
HOSTILE_IDS = ["999", "99999999999999999999999", "9223372036854775808", "sis_user_id:NOPE", "sis_login_id:nobody",
               "sis_integration_id:NOPE", "uuid:nope", "lti_context_id:nope", "sis_bogus_id:S-006", "-1",
               "abc", "%3Cscript%3E", "sis_user_id:%00"]


def with_role_tokens(store) -> None:
    """Tokens for the designer (user 4) and the observer (user 5), who have none in the world."""
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def set_account(store, account_id: int, **settings) -> None:
    """Merge ``settings`` into an account's settings hash (users_can_edit_name, avatars, ...)."""
    acc = store.get("accounts", account_id)
    merged = dict(acc.settings)
    merged.update(settings)
    store._update("accounts", acc, settings=tuple(sorted(merged.items())))


def user_row(store, user_id: int):
    return dataclasses.replace(store.get("users", user_id))


def marker(store) -> tuple[int, int]:
    """The store's write counter and the number of live events so far (for :func:`assert_unchanged`)."""
    return store.version, len(store.live_events.all())


def assert_unchanged(store, mark: tuple[int, int]) -> None:
    """No write and no live event since ``mark = marker(store)``."""
    version, events = mark
    assert store.version == version, "the request wrote to the store"
    assert store.live_events.all()[events:] == [], "the request emitted a live event"


def answer_as(store, role: str, status: int, send, *, refused: tuple[int, object], read_only: bool = True):
    """``send(token)`` with ``role``'s token (see :data:`ALL_TOKENS`) answers ``status``. A refusal
    (``refused``: its status and body) has that body, no ``WWW-Authenticate`` challenge, and changes
    nothing; so does any answer of a ``read_only`` request. Returns the answer, or None when refused."""
    with_role_tokens(store)
    mark = marker(store)
    r = send(ALL_TOKENS[role])
    assert r.status == status
    if status == refused[0]:
        assert r.json() == refused[1] and "WWW-Authenticate" not in r.headers
        assert_unchanged(store, mark)
        return None
    if read_only:
        assert_unchanged(store, mark)
    return r


def invalid(attribute: str, kind: str, message: str | None = None) -> dict:
    return {"errors": {attribute: [{"attribute": attribute, "type": kind, "message": message or kind}]}}
