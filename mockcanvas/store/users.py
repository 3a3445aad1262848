"""Users (app/models/user.rb, pseudonym.rb): the table, its indexes, who may do what to a user,
and the writes of the Users API (UsersController#update, #settings, #create).

Read from canvas-lms (2023-25 copies; see also ``user_fields.py`` and ``user_search.py``):

* ``User#set_policy`` (app/models/user.rb): the user themself may ``read``, ``read_profile``,
  ``manage``, ``update_avatar``, ``api_show_user``, ``read_email_addresses``, ``view_user_logins``,
  and ``rename`` when the root account's ``users_can_edit_name`` is not false. Teachers and TAs of
  a course the user is in (``user_is_instructor?`` / ``check_courses_right?(:read_reports)``) may
  ``read_profile`` and ``read_email_addresses``. Admins of an account the user is associated with
  (``check_accounts_right?``: ``manage_user_logins`` / ``read_roster``) get ``read``,
  ``read_profile`` and ``api_show_user``; those whose admin rights include the user's own admin
  rights (``has_subset_of_account_permissions?``) also ``manage_user_details``, ``rename``,
  ``update_avatar`` and ``update_profile``.
* Account associations (``User.update_account_associations``): the account of each login, the
  account of each course with a live (not deleted or rejected) enrollment, and each account the
  user administers, with all their parent accounts.
* ``UsersController#update``: the attributes a caller may set follow their rights on the user
  (name fields with ``rename``; ``terms_of_use`` for oneself; ``email``, ``event`` and ``bio``
  with ``manage_user_details``; ``title`` with ``rename``; ``bio``/``title``/``pronunciation`` only
  when the root account enables profiles; ``pronouns`` when it lists them; ``time_zone``/``locale``
  with ``update_profile``; ``avatar`` with ``update_avatar``). A caller with none of them, or a
  request naming any other attribute, gets 401 and nothing changes. A request with no attribute
  at all from a caller who may set some is a 200 that changes nothing.
* ``UsersController#settings``: ``GET`` needs ``read``, ``PUT`` ``manage`` or
  ``manage_user_details``; the answer is every boolean preference (``BOOLEAN_PREFS``).
* ``UsersController#create_user``: see :meth:`UserOps.create`.
* Live events (``lib/canvas/live_events.rb`` ``get_user_data``, callbacks in
  ``lib/canvas/live_events_callbacks.rb``): ``user_created`` after a user is made and
  ``user_updated`` after any save that changes a column of the ``users`` table. The profile fields
  (``bio``, ``title``, ``pronunciation``: UserProfile), the e-mail address (a communication
  channel) and a login's state (a pseudonym) live in other tables: changing only them fires none.

Limitations: one login per user (``login_id``, ``sis_user_id``, ``integration_id`` on the user
row); login ids are unique per root account, but the login index is shared by all root accounts
(a world with the same login in two root accounts finds only one of them by ``sis_login_id:``);
no password, confirmation messages, registration approval, recaptcha, observer pairing codes,
SIS reactivation or ``destination``; suspended logins still authenticate their tokens; the
``avatar[token]`` form sets nothing (the avatars list route is not built); ``override_sis_stickiness``
is accepted and ignored (no SIS-sticky fields); custom admin roles are not modelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import to_bool
from ..timefmt import iso_utc
from . import records as r
from .base import SortedIndex, UniqueIndex, fold
from .live import fires
from .user_fields import (AVATAR_STATES, DEFAULT_PRONOUNS, LOCALES, MAX_STRING, avatar_url_accepted, iana_zone,
                          infer_names, match_pronoun)
from .user_search import UserSearch

if TYPE_CHECKING:
    from . import Store

RECORDS = {"users": r.User}
SIS_FORMS = {"users": {"sis_user_id": "by_sis", "sis_login_id": "by_login", "sis_integration_id": "by_integration",
                       "uuid": "by_uuid", "lti_context_id": "by_lti", "lti_user_id": "by_lti"}}

# UsersController::BOOLEAN_PREFS (2025), in Canvas's order
BOOLEAN_PREFS = ("manual_mark_as_read", "collapse_global_nav", "collapse_course_nav", "hide_dashcard_color_overlays",
                 "release_notes_badge_disabled", "comment_library_suggestions_enabled",
                 "elementary_dashboard_disabled", "default_to_block_editor")
SELF_RIGHTS = frozenset({"read", "read_profile", "manage", "update_avatar", "api_show_user", "read_email_addresses",
                         "view_user_logins"})
ADMIN_RIGHTS = frozenset({"read", "read_profile", "api_show_user", "read_email_addresses", "view_user_logins",
                          "read_full_profile"})
INSTRUCTORS = ("TeacherEnrollment", "TaEnrollment")
MANAGER_RIGHTS = frozenset({"manage_user_details", "rename", "update_avatar", "update_profile"})
# columns of other tables in Canvas: changing only these saves no User row
NOT_USER_COLUMNS = frozenset({"bio", "title", "pronunciation", "email", "login_state", "login_id", "sis_user_id",
                              "integration_id"})


def INDEXES() -> dict:
    return {
        "users": {
            "by_sis": UniqueIndex(lambda u: u.sis_user_id),
            "by_login": UniqueIndex(lambda u: fold(u.login_id) or None),
            "by_email": UniqueIndex(lambda u: fold(u.email) or None),
            "by_integration": UniqueIndex(lambda u: u.integration_id),
            "by_uuid": UniqueIndex(lambda u: u.uuid or None),
            "by_lti": UniqueIndex(lambda u: u.lti_context_id),
            # the live users of each root account by sortable name: GET /accounts/:id/users in O(page)
            "by_root": SortedIndex(lambda u: u.account_id if u.workflow_state not in ("deleted", "creation_pending")
                                   else None, lambda u: (fold(u.sortable_name), u.id)),
        },
        "admins": {
            "by_account": SortedIndex(lambda a: a.account_id, lambda a: (a.id,)),
        },
    }


def setting(account: r.Account | None, name: str, default: Any) -> Any:
    """An entry of an account's ``settings`` hash (``((name, value), ...)``), else ``default``.
    The Users API reads ``users_can_edit_name`` (true), ``users_can_edit_profile`` (true),
    ``enable_profiles`` (false), ``enable_name_pronunciation`` (false), ``can_add_pronouns``
    (false), ``can_change_pronouns`` (true), ``pronouns`` (Canvas's three), ``self_registration``
    (false) and the ``avatars`` service (false) of the user's root account."""
    if account is not None:
        for key, value in account.settings:
            if key == name:
                return value
    return default


def user_event_body(store: Store, user: r.User) -> dict[str, Any]:
    """``Canvas::LiveEvents.get_user_data``: ids as strings (StringifyIds), times in UTC."""
    return {
        "user_id": str(store.global_id(user.id)),
        "uuid": user.uuid,
        "name": user.name,
        "short_name": user.short_name,
        "workflow_state": user.workflow_state,
        "created_at": iso_utc(user.created_at),
        "updated_at": iso_utc(user.updated_at or user.created_at),
        "user_login": user.login_id,
        "user_sis_id": user.sis_user_id,
    }


def user_events(store: Store, user: r.User, changed: dict[str, tuple[Any, Any]] | None) -> list[tuple[str, dict]]:
    if changed is None:
        return [("user_created", user_event_body(store, user))]
    if fires(changed) and changed.keys() - NOT_USER_COLUMNS - {"updated_at"}:
        return [("user_updated", user_event_body(store, user))]
    return []


user_events.names = ("user_created", "user_updated")  # type: ignore[attr-defined]
LIVE_EVENTS = {"users": user_events}


_DROPPED: Any = object()


def _scalar(value: Any) -> Any:
    """What a Rails string attribute makes of a permitted scalar: numbers and booleans as text;
    lists and hashes are not permitted scalars (ActionController::Parameters#permit drops them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value if value is None or isinstance(value, str) else _DROPPED


class UserOps:
    def __init__(self, store: Store) -> None:
        self.s = store
        self.search = UserSearch(store)

    # -- lookups and rights ----------------------------------------------------------------
    def find(self, ref: Any, viewer: r.User | None = None) -> r.User:
        """A user path id (``self`` too); deleted users are found (``api_find`` does not skip them)."""
        if ref == "self" and viewer is not None:
            return viewer
        return self.s.find("users", ref, live=False)

    def root_of(self, user: r.User) -> r.Account | None:
        return self.s.get("accounts", self.s.people.root_account_id(user.account_id))

    def root_of_account(self, account: r.Account) -> r.Account:
        return self.s.get("accounts", account.root_account_id) if account.root_account_id else account

    def show(self, viewer: r.User, user: r.User) -> frozenset[str]:
        """UsersController#api_show: the viewer's rights on the user; a user they may not see
        (no ``api_show_user``) is not found (2025: RecordNotFound, no longer 401)."""
        rights = self.rights(viewer, user)
        if "api_show_user" not in rights:
            raise E.NotFound()
        return rights

    def associated_accounts(self, user: r.User) -> set[int]:
        """Accounts of the user's login, live enrollments and admin rows (their parents are
        covered by :meth:`Policy.is_admin_of`, which walks up from each)."""
        out = {user.account_id}
        get = self.s.get
        for eid in self.s.idx["enrollments"]["by_user"].ids(user.id):
            e = get("enrollments", eid)
            if e.workflow_state not in ("deleted", "rejected") and e.type != "StudentViewEnrollment":
                course = get("courses", e.course_id)
                if course is not None:
                    out.add(course.account_id)
        for aid in self.s.idx["admins"]["by_user"].ids(user.id):
            a = get("admins", aid)
            if a.workflow_state == "active":
                out.add(a.account_id)
        return out

    def admin_over(self, viewer: r.User, user: r.User) -> bool:
        policy = self.s.policy
        return any(policy.is_admin_of(viewer, a) for a in self.associated_accounts(user))

    def manages(self, viewer: r.User, user: r.User) -> bool:
        """``has_subset_of_account_permissions?``: every account the user administers is one the
        viewer administers too (itself or a parent)."""
        return all(self.s.policy.is_admin_of(viewer, a) for a in self.s.policy.admin_accounts(user))

    def instructs(self, viewer: r.User, user: r.User) -> bool:
        """The viewer teaches (active Teacher/TA enrollment) a course the user is active or
        concluded in (``user_is_instructor?``, ``check_courses_right?(:read_reports)``)."""
        get, policy = self.s.get, self.s.policy
        for eid in self.s.idx["enrollments"]["by_user"].ids(user.id):
            e = get("enrollments", eid)
            if e.workflow_state in ("active", "completed") and any(
                    v.type in INSTRUCTORS for v in policy.enrollments(viewer.id, e.course_id)):
                return True
        return False

    def rights(self, viewer: r.User | None, user: r.User) -> frozenset[str]:
        """The viewer's rights on the user (``User#set_policy``)."""
        if viewer is None:
            return frozenset()
        root = self.root_of(user)
        out: set[str] = set()
        if viewer.id == user.id:
            out |= SELF_RIGHTS
            if setting(root, "users_can_edit_name", True) is not False:
                out.add("rename")
            if setting(root, "users_can_edit_profile", True) is not False:
                out.add("update_profile")
            out.add("change_pronoun")
        if self.admin_over(viewer, user):
            out |= ADMIN_RIGHTS
            if self.manages(viewer, user):
                out |= MANAGER_RIGHTS
        elif viewer.id != user.id and self.instructs(viewer, user):
            out |= {"read_profile", "read_email_addresses"}
        return frozenset(out)

    def context_rights(self, viewer: r.User | None, user: r.User) -> frozenset[str]:
        """The viewer's rights in the domain root account: the context ``user_json`` is shown in
        by ``/users/:id`` and ``PUT /users/:id``."""
        root = self.root_of(user)
        return self.s.policy.account_rights(viewer, root) if root is not None else frozenset()

    def require(self, viewer: r.User | None, user: r.User, *wanted: str) -> frozenset[str]:
        rights = self.rights(viewer, user)
        if not rights.intersection(wanted):
            raise E.Unauthorized()
        return rights

    # -- settings (UsersController#settings) -----------------------------------------------
    def preferences(self, user: r.User) -> dict[str, bool]:
        saved = dict(user.preferences)
        return {name: bool(saved.get(name)) for name in BOOLEAN_PREFS}

    def update_preferences(self, viewer: r.User, user: r.User, params: dict[str, Any]) -> dict[str, bool]:
        """Each boolean preference given (not null) is set with ``value_to_boolean`` (an unknown
        word is false, as Canvas stores nil); other parameters are ignored."""
        self.require(viewer, user, "manage", "manage_user_details")
        saved = dict(user.preferences)
        for name in BOOLEAN_PREFS:
            if name in params and params[name] is not None:
                value = params[name]
                saved[name] = bool(to_bool(value)) if isinstance(value, (str, bool, int, float)) else False
        new = tuple(sorted((k, v) for k, v in saved.items() if v))
        if new != user.preferences:
            self.s._update("users", user, preferences=new, updated_at=self.s.now())
        return self.preferences(user)

    # -- update (UsersController#update) ---------------------------------------------------
    def permitted(self, viewer: r.User, user: r.User, rights: frozenset[str], user_params: dict[str, Any],
                  real: r.User | None) -> set[str]:
        root = self.root_of(user)
        managed: set[str] = set()
        if "rename" in rights:
            managed |= {"name", "short_name", "sortable_name"}
        if user.id == (real or viewer).id:
            managed.add("terms_of_use")
        if "manage_user_details" in rights and user_params.get("email") is not None:
            managed.add("email")
        if setting(root, "enable_profiles", False):
            if "manage_user_details" in rights:
                managed.add("bio")
            if "rename" in rights:
                managed.add("title")
            if setting(root, "enable_name_pronunciation", False) and "manage_user_details" in rights:
                managed.add("pronunciation")
        can_add = bool(setting(root, "can_add_pronouns", False))
        if (can_add and "manage_user_details" in rights) or (
                can_add and setting(root, "can_change_pronouns", True) is not False and "change_pronoun" in rights):
            managed.add("pronouns")
        if "manage_user_details" in rights:
            managed.add("event")
        if "update_profile" in rights:
            managed |= {"time_zone", "locale"}
        if "update_avatar" in rights:
            managed |= {"avatar", "avatar_image"}
        return managed

    def update(self, viewer: r.User, user: r.User, params: dict[str, Any],
               real: r.User | None = None) -> list[str]:
        """Apply ``user[...]``; return the includes of the answer. Validates everything first."""
        raw = params.get("user")
        user_params = dict(raw) if isinstance(raw, dict) else {}
        user_params.pop("birthdate", None)
        rights = self.rights(viewer, user)
        managed = self.permitted(viewer, user, rights, user_params, real)
        if not managed or set(user_params) - managed:
            raise E.Unauthorized()
        root = self.root_of(user)
        includes = ["locale", "avatar_url", "email", "time_zone"]
        if "manage_user_details" in rights:
            includes.append("avatar_state")
        values = {k: _scalar(v) for k, v in user_params.items() if k not in ("avatar", "avatar_image")}
        values = {k: v for k, v in values.items() if v is not _DROPPED}
        errors = E.Invalid()
        changes: dict[str, Any] = {}
        # names (User#infer_defaults)
        if {"name", "short_name", "sortable_name"} & values.keys():
            for key in ("name", "short_name", "sortable_name"):
                if isinstance(values.get(key), str) and len(values[key]) > MAX_STRING:
                    errors.add(key, ("too_long", "too_long"))
            name = values.get("name", user.name)
            short = values["short_name"] if "short_name" in values else user.short_name
            sortable = values["sortable_name"] if "sortable_name" in values else user.sortable_name
            name, short, sortable = infer_names(
                name, short, sortable, old_name=user.name, old_sortable=user.sortable_name,
                sortable_given=bool(values.get("sortable_name")), email=user.email)
            changes.update(name=name, short_name=short, sortable_name=sortable)
        if "terms_of_use" in values and to_bool(values["terms_of_use"]):
            changes["terms_of_use"] = True
        if "email" in values and isinstance(values["email"], str):
            changes["email"] = values["email"].strip() or None
        for key in ("title", "bio", "pronunciation"):
            if values.get(key):
                changes[key] = values[key]
                includes.append(key)
        if values.get("pronouns") is not None:
            given = values["pronouns"]
            matched = match_pronoun(given, tuple(setting(root, "pronouns", DEFAULT_PRONOUNS)))
            if matched is not None or given == "":
                changes["pronouns"] = matched
            if given:
                includes.append("pronouns")
        if "time_zone" in values:
            # TimeZoneHelper: an unknown zone is cleared, not refused (the root account's applies)
            changes["time_zone"] = iana_zone(values["time_zone"]) or (root.default_time_zone if root else "Etc/UTC")
        if "locale" in values:
            locale = values["locale"] or None
            if locale is not None and locale not in LOCALES:
                errors.add("locale", ("invalid", "invalid"))
            changes["locale"] = locale
        self._avatar_changes(user, raw.get("avatar") if isinstance(raw, dict) else None, rights, changes)
        event = values.get("event")
        if event in ("suspend", "unsuspend") and user.id != viewer.id:
            changes["login_state"] = "suspended" if event == "suspend" else "active"
        if errors.errors:
            raise errors
        if changes:
            changes["updated_at"] = self.s.now()
            self.s._update("users", user, **changes)
        return includes

    def _avatar_changes(self, user: r.User, avatar: Any, rights: frozenset[str], changes: dict[str, Any]) -> None:
        """``user[avatar][url|token|state]`` (User#avatar_image=): a locked avatar changes only
        for admins; an admin's change is approved at once."""
        if "update_avatar" not in rights or not isinstance(avatar, dict):
            return
        admin = "manage_user_details" in rights
        if user.avatar_state == "locked" and not admin:
            return
        state = avatar.get("state")
        if isinstance(state, str) and state in AVATAR_STATES:
            changes["avatar_state"] = state
            if state == "none":
                changes["avatar_url"] = None
            return
        if avatar.get("token") is not None:
            return  # no avatar list to take tokens from: nothing is set (as an unknown token)
        if "url" not in avatar:
            return
        url = avatar.get("url")
        if avatar_url_accepted(url):
            changes.update(avatar_url=url, avatar_state="submitted")
        else:
            changes.update(avatar_url=None, avatar_state="approved")
        if admin:  # UsersController#update: an admin's avatar is approved (a locked one stays locked)
            changes["avatar_state"] = "locked" if user.avatar_state == "locked" else "approved"

    # -- create (UsersController#create_user) ----------------------------------------------
    def create(self, viewer: r.User, account: r.Account, params: dict[str, Any]) -> tuple[r.User, list[str]]:
        from .user_create import create_user
        return create_user(self, viewer, account, params)


OPS = ("users", UserOps)
