"""What the Accounts and Enrollment Terms API tests share: Canvas's key orders and bodies, and
helpers that arrange the default world (README) for them.

Default world: account 1 "Mock University" (root, SIS MOCKU), account 2 "School of Science"
(sub-account, SIS SCI); user 1 admin of account 1; teacher 2 teaches courses 1 (account 1), 2
(account 2), 3 (account 1, unpublished) and had course 4 (account 2, completed: completed
enrollment); TA 3, designer 4 and observer 5 are in course 1; students 6 and 7; outsider 20 has no
enrollment. Terms of account 1: 1 "Default Term" (courses 1 and 2), 2 "Fall 2026" (course 3),
3 "Spring 2026" (course 4).
"""

from __future__ import annotations

from datetime import datetime, timezone

from mockcanvas.views.common import iso

# account_json key orders (lib/api/v1/account.rb: the columns in table order, then the rest)
READ_ONLY_KEYS = ["id", "name", "workflow_state", "parent_account_id", "root_account_id", "uuid",
                  "default_time_zone", "default_time_zone_friendly_name"]
ROOT_KEYS = ["id", "name", "workflow_state", "parent_account_id", "root_account_id", "uuid",
             "default_storage_quota_mb", "default_user_storage_quota_mb", "default_group_storage_quota_mb",
             "default_time_zone", "default_time_zone_friendly_name", "course_template_id"]
SUB_KEYS = ROOT_KEYS[:-1] + ["sis_account_id", "sis_import_id", "integration_id", "course_template_id"]
TERM_KEYS = ["id", "name", "start_at", "end_at", "created_at", "workflow_state", "grading_period_group_id"]
ADMIN_TERM_KEYS = TERM_KEYS + ["sis_term_id", "sis_import_id"]


def errors(*entries: tuple[str, str]) -> dict:
    """Canvas's errors hash (InstructureHashReporter) for (attribute, message) pairs, in order."""
    out: dict = {}
    for attribute, message in entries:
        out.setdefault(attribute, []).append({"attribute": attribute, "type": message, "message": message})
    return {"errors": out}


def message(text: str) -> dict:
    return {"message": text}


def mark(store) -> tuple[int, int]:
    """Where the store stands (its write counter, how many live events): for ``assert_unchanged``
    after a test arranged rows of its own."""
    return store.version, len(store.live_events.all())


def assert_unchanged(store, since: tuple[int, int] | None = None) -> None:
    """The request wrote nothing and sent no live event: since the rollback before the test (no
    row changed), or since ``since`` (``mark(store)``, taken after the test arranged its rows)."""
    if since is None:
        assert store.changed_rows == 0, "the request wrote to the store"
        assert store.live_events.all() == [], "the request sent live events"
    else:
        assert mark(store) == since, "the request wrote to the store or sent live events"


def add_tokens(store) -> None:
    """Tokens for the designer (user 4) and the observer (user 5)."""
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


def make_user(store, token: str, **fields):
    """A new user of root account 1 with a token."""
    user = store.insert("users", name=fields.pop("name", "New Person"), sortable_name="Person, New",
                        short_name="New Person", **fields)
    store.add_token(token, user.id)
    return user


def make_admin(store, account_id: int, token: str = "subadmin-token", **fields):
    """A new user who administers ``account_id`` (an AccountAdmin row)."""
    user = make_user(store, token, **fields)
    store.insert("admins", account_id=account_id, user_id=user.id)
    return user


def make_account(store, name: str, parent_id: int | None = 1, **fields):
    root = None if parent_id is None else (store.get("accounts", parent_id).root_account_id or parent_id)
    return store.insert("accounts", name=name, parent_account_id=parent_id, root_account_id=root, **fields)


def enroll(store, user_id: int, course_id: int, type_: str = "TeacherEnrollment", state: str = "active"):
    section = store.idx["sections"]["by_course"].ids(course_id)[0]
    return store.insert("enrollments", user_id=user_id, course_id=course_id, course_section_id=section,
                        type=type_, workflow_state=state)


def root_json(store, account_id: int = 1, **changes) -> dict:
    """The full account_json of a root account as its admin sees it (the world's defaults)."""
    a = store.get("accounts", account_id)
    return {"id": a.id, "name": a.name, "workflow_state": a.workflow_state, "parent_account_id": None,
            "root_account_id": None, "uuid": a.uuid, "default_storage_quota_mb": 500,
            "default_user_storage_quota_mb": 50, "default_group_storage_quota_mb": 50,
            "default_time_zone": "Etc/UTC", "default_time_zone_friendly_name": "UTC",
            "course_template_id": None, **changes}


def sub_json(store, account_id: int = 2, **changes) -> dict:
    """The full account_json of a sub-account as a root admin sees it."""
    a = store.get("accounts", account_id)
    return {"id": a.id, "name": a.name, "workflow_state": a.workflow_state,
            "parent_account_id": a.parent_account_id, "root_account_id": a.root_account_id, "uuid": a.uuid,
            "default_storage_quota_mb": 500, "default_user_storage_quota_mb": 50,
            "default_group_storage_quota_mb": 50, "default_time_zone": "Etc/UTC",
            "default_time_zone_friendly_name": "UTC", "sis_account_id": a.sis_account_id, "sis_import_id": None,
            "integration_id": a.integration_id, "course_template_id": None, **changes}


def read_only_json(store, account_id: int) -> dict:
    a = store.get("accounts", account_id)
    return {"id": a.id, "name": a.name, "workflow_state": a.workflow_state,
            "parent_account_id": a.parent_account_id, "root_account_id": a.root_account_id, "uuid": a.uuid,
            "default_time_zone": "Etc/UTC", "default_time_zone_friendly_name": "UTC"}


def term_json(store, term_id: int, *, admin: bool = True, **extra) -> dict:
    """A term as Canvas renders it (``admin``: with the SIS keys of a root admin)."""
    t = store.get("terms", term_id)
    data = {"id": t.id, "name": t.name, "start_at": iso(t.start_at), "end_at": iso(t.end_at),
            "created_at": iso(t.created_at), "workflow_state": t.workflow_state, "grading_period_group_id": None}
    if admin:
        data.update({"sis_term_id": t.sis_term_id, "sis_import_id": None})
    data.update(extra)
    return data


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def link(api, path: str, query: str = "", **pages: str) -> str:
    """A Link header: ``rel=page`` pairs in Canvas's order (current, next, prev, first, last)."""
    base = f"{api.base_url}{path}?{query + '&' if query else ''}"
    order = ("current", "next", "prev", "first", "last")
    return ",".join(f'<{base}page={pages[rel]}>; rel="{rel}"' for rel in order if rel in pages)
