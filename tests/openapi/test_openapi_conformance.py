"""Real answers of every route validate against the documented schema for their status.

Each scenario calls a group of routes of the default world as teacher, student, admin and others,
successes and failures, through ``Checker`` (tests/openapi/conftest.py): the status must be the one
expected, documented for the route, and the JSON body must validate against the documented schema,
whose objects are closed where the view's keys are fixed. So a view that changes its keys, or a
route that answers a status nobody documented, fails here until the route's docs (``ROUTE_DOCS`` and
``SCHEMAS`` of its ``mockcanvas/api/<area>.py``, or ``mockcanvas/openapi_schemas.py``) follow. ``test_every_route_is_checked`` runs every scenario and requires a
checked success for each route of the router.
"""

from __future__ import annotations

import json

import pytest
from openapi_checker import Checker

from mockcanvas import load_world
from mockcanvas.openapi import router_routes
from mockcanvas.settings import Settings

GROUP_INCLUDES = ["users", "group_category", "permissions", "favorites", "html_url", "tabs", "can_access",
                  "can_message"]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
BAD_JSON = {"data": b"{not json", "headers": {"Content-Type": "application/json"}}


def auth_failures(c: Checker, path: str, method: str = "GET") -> None:
    c.call(method, path, token=None, expect=401)
    c.call(method, path, token="no-such-token", expect=401)
    c.call(method, path, params={"as_user_id": "999"}, expect=401)


def groups_read(c: Checker) -> None:
    auth_failures(c, "/api/v1/users/self/groups")
    c.call("GET", "/api/v1/users/self/groups", token="student-token",
           params=[("include[]", i) for i in GROUP_INCLUDES] + [("per_page", "1")])
    c.call("GET", "/api/v1/users/self/groups", token="admin-token", params={"context_type": "Account"})
    c.call("GET", "/api/v1/users/self/groups", params={"page": "2"}, expect=404)
    c.call("GET", "/api/v1/courses/1/groups", params=[("include[]", i) for i in GROUP_INCLUDES])
    c.call("GET", "/api/v1/courses/1/groups", token="student-token", params={"only_own_groups": "true"})
    c.call("GET", "/api/v1/courses/sis_course_id:MOCK101-2024/groups", params={"filter": "sam", "per_page": 2})
    c.call("GET", "/api/v1/courses/1/groups", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/groups", expect=404)
    c.call("GET", "/api/v1/courses/1/groups", params={"page": "0"}, expect=404)
    c.call("GET", "/api/v1/accounts/1/groups", token="admin-token", params=[("include[]", i) for i in GROUP_INCLUDES])
    c.call("GET", "/api/v1/accounts/self/groups", token="admin-token")
    c.call("GET", "/api/v1/accounts/1/groups", expect=401)
    c.call("GET", "/api/v1/accounts/999/groups", token="admin-token", expect=404)
    for token in ("teacher-token", "student-token", "admin-token"):
        c.call("GET", "/api/v1/groups/1", token=token, params=[("include[]", i) for i in GROUP_INCLUDES])
    c.call("GET", "/api/v1/groups/sis_group_id:PG-1", token="admin-token")
    c.call("GET", "/api/v1/groups/7", token="outsider-token", params=[("include[]", "users")])
    c.call("GET", "/api/v1/groups/1", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/groups/999", expect=404)
    c.call("GET", "/api/v1/groups/1/users",
           params=[("include[]", i) for i in ("avatar_url", "active_status", "group_submissions", "email",
                                              "locale", "uuid")])
    c.call("GET", "/api/v1/groups/1/users", token="admin-token", params={"search_term": "student"})
    c.call("GET", "/api/v1/groups/1/users", params={"search_term": "a"}, expect=400)
    c.call("GET", "/api/v1/groups/1/users", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/groups/1/activity_stream", token="student-token")
    c.call("GET", "/api/v1/groups/1/activity_stream", token="student-token", params={"page": "x"}, expect=404)
    c.call("GET", "/api/v1/groups/1/activity_stream/summary", token="student-token")
    c.call("GET", "/api/v1/groups/1/activity_stream/summary", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/groups/1/permissions", token="student-token",
           params=[("permissions[]", "read_roster"), ("permissions[]", "send_messages")])
    c.call("GET", "/api/v1/groups/1/permissions", token="outsider-token", expect=401)
    c.call("POST", "/api/v1/groups/1/preview_html", form={"html": "<p><badhtml></badhtml>processed</p>"})
    c.call("POST", "/api/v1/groups/1/preview_html", token="outsider-token", expect=401)
    # a Message item carries notification_category
    c.store.insert("stream_items", group_id=1, type="Message", title="Note", notification_category="Grading")
    c.call("GET", "/api/v1/groups/1/activity_stream", token="student-token")
    c.call("GET", "/api/v1/groups/1/activity_stream/summary", token="student-token")


def groups_write(c: Checker) -> None:
    c.call("POST", "/api/v1/groups", token="student-token", form={"name": "Chess", "is_public": "true",
                                                                   "join_level": "parent_context_auto_join"})
    c.call("POST", "/api/v1/groups", token="student-token", json={"description": "no name given"})
    c.call("POST", "/api/v1/groups", token="student-token", form={"name": ""}, expect=400)
    c.call("POST", "/api/v1/groups", token="student-token", form={"name": "x", "sis_group_id": "S"}, expect=401)
    c.call("POST", "/api/v1/groups", token="student-token", expect=400, **BAD_JSON)
    auth_failures(c, "/api/v1/groups", "POST")
    c.call("POST", "/api/v1/group_categories/1/groups", form={"name": "Project Group 4", "max_membership": "3"})
    c.call("POST", "/api/v1/group_categories/sis_group_category_id:PG-2024/groups", token="admin-token",
           form={"name": "By admin", "sis_group_id": "PG-9", "storage_quota_mb": "100"})
    c.call("POST", "/api/v1/group_categories/1/groups", token="student-token", form={"name": "x"}, expect=401)
    c.call("POST", "/api/v1/group_categories/1/groups", form={"name": "x", "max_membership": "1"}, expect=400)
    c.call("POST", "/api/v1/group_categories/999/groups", form={"name": "x"}, expect=404)
    c.call("PUT", "/api/v1/groups/1", form={"name": "Renamed", "members[]": ["6", "8", "15"], "leader[id]": "8"})
    c.call("PUT", "/api/v1/groups/1", json={"description": "json", "members": [6, 8], "leader": {"id": 6}})
    c.call("PUT", "/api/v1/groups/1", form={"leader[id]": "20"}, expect=400)
    c.call("PUT", "/api/v1/groups/1", form={"max_membership": "1"}, expect=400)
    c.call("PUT", "/api/v1/groups/1", form={"sis_group_id": "X"}, expect=401)
    c.call("PUT", "/api/v1/groups/1", token="student2-token", form={"name": "x"}, expect=401)
    c.call("PUT", "/api/v1/groups/999", form={"name": "x"}, expect=404)
    c.call("POST", "/api/v1/groups/1/invite", form={"invitees[]": ["student16", "nobody@example.com"]})
    c.call("POST", "/api/v1/groups/7/invite", token="admin-token", form={"invitees[]": ["student2"]})
    c.call("POST", "/api/v1/groups/1/invite", expect=400)
    c.call("POST", "/api/v1/groups/1/invite", token="student-token", form={"invitees[]": ["x"]}, expect=401)
    c.call("POST", "/api/v1/groups/999/invite", form={"invitees[]": ["x"]}, expect=404)
    c.call("DELETE", "/api/v1/groups/3")
    c.call("GET", "/api/v1/groups/3", expect=404)
    c.call("DELETE", "/api/v1/groups/2", token="student-token", expect=401)


def files(c: Checker) -> None:
    pre = c.call("POST", "/api/v1/groups/1/files", token="student-token",
                 form={"name": "a.png", "size": str(len(PNG)), "content_type": "image/png"}).json()
    c.call("POST", "/api/v1/groups/1/files", token="student-token", form={"size": "1"}, expect=400)
    c.call("POST", "/api/v1/groups/1/files", token="student-token", form={"name": "a", "on_duplicate": "x"},
           expect=400)
    c.call("POST", "/api/v1/groups/1/files", token="outsider-token", form={"name": "a"}, expect=401)
    c.call("POST", "/api/v1/groups/999/files", form={"name": "a"}, expect=404)
    c.call("POST", "/api/v1/groups/1/files", token="student-token", form={"name": "a", "parent_folder_id": "999"},
           expect=404)
    up = c.call("POST", pre["upload_url"], token=None, expect=302, form=pre["upload_params"],
                files={"file": ("a.png", PNG, "image/png")}, allow_redirects=False)
    c.call("POST", pre["upload_url"], token=None, expect=400, form={}, files={"file": ("a", b"x", "text/plain")})
    c.call("POST", "/files_api", token=None, expect=400, data=b"x", headers={"Content-Type": "text/plain"})
    att = c.call("GET", up.headers["Location"], token="student-token").json()
    c.call("GET", up.headers["Location"], token="student-token", expect=400)  # finished already
    c.call("POST", f"/api/v1/files/{att['id']}/create_success", token="student-token", form={"uuid": "x"},
           expect=400)
    pre2 = c.call("POST", "/api/v1/groups/1/files", token="student-token",
                  form={"name": "b.txt", "size": "1", "content_type": "text/plain"}).json()
    up2 = c.call("POST", pre2["upload_url"], token=None, expect=302, form=pre2["upload_params"],
                 files={"file": ("b.txt", b"b", "text/plain")}, allow_redirects=False)
    c.call("POST", up2.headers["Location"].split("?")[0], token="student-token",
           form={"uuid": up2.headers["Location"].split("uuid=")[1]})
    # create_success asks for no token (the uuid is the secret); a bad token is still refused
    pre3 = c.call("POST", "/api/v1/groups/1/files", token="student-token",
                  form={"name": "c.txt", "size": "1", "content_type": "text/plain"}).json()
    up3 = c.call("POST", pre3["upload_url"], token=None, expect=302, form=pre3["upload_params"],
                 files={"file": ("c.txt", b"c", "text/plain")}, allow_redirects=False)
    c.call("GET", up3.headers["Location"], token="no-such-token", expect=401)
    c.call("GET", up3.headers["Location"], token=None)
    c.call("GET", f"/api/v1/files/{att['id']}")
    c.call("GET", f"/api/v1/files/{att['id']}", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/files/999", expect=404)
    c.call("GET", f"/files/{att['id']}/download", token=None, params={"verifier": att["uuid"], "download_frd": "1"})
    c.call("GET", f"/files/{att['id']}/download", token=None, params={"verifier": "nope"}, expect=404)
    g = c.call("PUT", "/api/v1/groups/1", token="student-token", form={"avatar_id": str(att["id"])}).json()
    assert g["avatar_url"]


def memberships(c: Checker) -> None:
    c.call("GET", "/api/v1/groups/1/memberships", params={"filter_states[]": "accepted", "per_page": "1"})
    c.call("GET", "/api/v1/groups/sis_group_id:PG-1/memberships", token="admin-token", params={"page": "2",
                                                                                           "per_page": "2"})
    c.call("GET", "/api/v1/groups/1/memberships", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/groups/999/memberships", expect=404)
    c.call("GET", "/api/v1/groups/1/memberships/1")
    c.call("GET", "/api/v1/groups/1/memberships/self", token="student-token")
    c.call("GET", "/api/v1/groups/1/memberships/4", expect=404)
    c.call("GET", "/api/v1/groups/1/memberships/1", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/groups/1/users/6", token="admin-token")
    c.call("GET", "/api/v1/groups/1/users/sis_user_id:S-006")
    c.call("GET", "/api/v1/groups/1/users/7", expect=404)
    c.call("GET", "/api/v1/groups/1/users/6", token="outsider-token", expect=401)
    c.call("POST", "/api/v1/groups/1/memberships", form={"user_id": "15"})
    c.call("POST", "/api/v1/groups/1/memberships", json={"user_id": 15})
    c.call("POST", "/api/v1/groups/4/memberships", token="student-token", form={"user_id": "self"})
    c.call("POST", "/api/v1/groups/7/memberships", token="student-token", form={"user_id": "self"})
    c.call("POST", "/api/v1/groups/1/memberships", expect=400)
    c.call("POST", "/api/v1/groups/1/memberships", token="student2-token", form={"user_id": "self"}, expect=401)
    c.call("POST", "/api/v1/groups/1/memberships", form={"user_id": "999"}, expect=404)
    for uid in (16, 17):
        c.call("POST", "/api/v1/groups/3/memberships", form={"user_id": str(uid)})
    c.call("POST", "/api/v1/groups/3/memberships", form={"user_id": "18"}, expect=400)
    c.call("POST", "/api/v1/groups/1/memberships", expect=400, **BAD_JSON)
    c.call("PUT", "/api/v1/groups/4/users/7", form={"moderator": "false"})
    c.call("PUT", "/api/v1/groups/7/memberships/self", token="admin-token", form={"workflow_state": "accepted"})
    c.call("PUT", "/api/v1/groups/4/users/7", token="outsider-token", form={"moderator": "true"}, expect=401)
    c.call("PUT", "/api/v1/groups/4/memberships/999", form={"moderator": "true"}, expect=404)
    c.call("DELETE", "/api/v1/groups/1/users/8")
    c.call("DELETE", "/api/v1/groups/1/memberships/3")
    c.call("DELETE", "/api/v1/groups/4/memberships/self", token="student2-token")
    c.call("DELETE", "/api/v1/groups/1/users/self", token="student-token", expect=401)
    c.call("DELETE", "/api/v1/groups/1/memberships/999", expect=404)
    c.call("DELETE", "/api/v1/groups/2/users", params=[("user_ids[]", "10"), ("user_ids[]", "999")])
    c.call("DELETE", "/api/v1/groups/2/users", token="student2-token", params={"user_ids[]": "11"})
    c.call("DELETE", "/api/v1/groups/2/users", expect=404)


def categories(c: Checker) -> None:
    inc = [("includes[]", i) for i in ("progress_url", "groups_count", "unassigned_users_count", "groups")]
    c.call("GET", "/api/v1/courses/1/group_categories", params=inc)
    c.call("GET", "/api/v1/courses/1/group_categories", token="student-token", expect=401)
    c.call("GET", "/api/v1/courses/999/group_categories", expect=404)
    c.call("GET", "/api/v1/accounts/1/group_categories", token="admin-token", params=inc)
    c.call("GET", "/api/v1/accounts/1/group_categories", token="admin-token", params={"page": "-1"}, expect=404)
    c.call("GET", "/api/v1/group_categories/1", params=inc)
    c.call("GET", "/api/v1/group_categories/1", token="admin-token")
    c.call("GET", "/api/v1/group_categories/4", token="admin-token", params=inc)
    c.call("GET", "/api/v1/group_categories/1", token="student-token", expect=401)
    c.call("GET", "/api/v1/group_categories/999", expect=404)
    c.call("POST", "/api/v1/courses/1/group_categories",
           form={"name": "Labs", "create_group_count": "3", "auto_leader": "first"})
    c.call("POST", "/api/v1/courses/1/group_categories",
           json={"name": "Signups", "self_signup": "Enabled", "group_limit": 3, "create_group_count": 2})
    c.call("POST", "/api/v1/courses/1/group_categories", form={"name": ""}, expect=400)
    c.call("POST", "/api/v1/courses/1/group_categories", form={"name": "S", "sis_group_category_id": "X"},
           expect=401)
    c.call("POST", "/api/v1/courses/1/group_categories", token="student-token", form={"name": "S"}, expect=401)
    c.call("POST", "/api/v1/courses/999/group_categories", form={"name": "S"}, expect=404)
    c.call("POST", "/api/v1/accounts/1/group_categories", token="admin-token",
           form={"name": "Staff", "sis_group_category_id": "STAFF"})
    c.call("POST", "/api/v1/accounts/1/group_categories", token="admin-token",
           form={"name": "Open", "self_signup": "enabled"}, expect=400)
    c.call("PUT", "/api/v1/group_categories/3", form={"name": "Teams", "self_signup": "enabled", "group_limit": "4"})
    c.call("PUT", "/api/v1/group_categories/3", form={"group_limit": "1"}, expect=400)
    c.call("PUT", "/api/v1/group_categories/3", token="student-token", form={"name": "x"}, expect=401)
    c.call("PUT", "/api/v1/group_categories/999", form={"name": "x"}, expect=404)
    c.call("GET", "/api/v1/group_categories/1/groups", params={"per_page": "2"})
    c.call("GET", "/api/v1/group_categories/1/groups", token="student-token", expect=401)
    c.call("GET", "/api/v1/group_categories/999/groups", expect=404)
    c.call("GET", "/api/v1/group_categories/1/users", params={"unassigned": "true", "include[]": "group_submissions"})
    c.call("GET", "/api/v1/group_categories/4/users", token="admin-token", params={"search_term": "student"})
    c.call("GET", "/api/v1/group_categories/1/users", params={"search_term": "a"}, expect=400)
    c.call("GET", "/api/v1/group_categories/1/users", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/group_categories/999/users", expect=404)
    c.call("GET", "/api/v1/group_categories/1/export", token="admin-token")
    c.call("GET", "/api/v1/group_categories/3/export")
    c.call("GET", "/api/v1/group_categories/1/export", token="student-token", expect=401)
    c.call("GET", "/api/v1/group_categories/999/export", expect=404)
    c.call("DELETE", "/api/v1/group_categories/2", expect=401)
    c.call("DELETE", "/api/v1/group_categories/1", token="student-token", expect=401)
    c.call("DELETE", "/api/v1/group_categories/1")
    c.call("DELETE", "/api/v1/group_categories/1", expect=404)


def jobs(c: Checker) -> None:
    csv = b"canvas_user_id,group_name\n15,Imported A\n16,Imported A\n"
    p = c.call("POST", "/api/v1/group_categories/3/import", files={"attachment": ("g.csv", csv, "text/csv")}).json()
    c.call("GET", f"/api/v1/progress/{p['id']}")
    c.call("GET", f"/api/v1/progress/{p['id']}", token="student-token")
    c.call("POST", "/api/v1/group_categories/3/import", data=csv, headers={"Content-Type": "text/csv"})
    c.call("POST", "/api/v1/group_categories/3/import", data=csv,
           headers={"Content-Type": "text/csv; charset=latin-1"}, expect=400)
    c.call("POST", "/api/v1/group_categories/2/import", data=csv, headers={"Content-Type": "text/csv"}, expect=401)
    c.call("POST", "/api/v1/group_categories/3/import", token="student-token", data=csv,
           headers={"Content-Type": "text/csv"}, expect=401)
    c.call("POST", "/api/v1/group_categories/999/import", data=csv, headers={"Content-Type": "text/csv"},
           expect=404)
    p = c.call("POST", "/api/v1/group_categories/1/assign_unassigned_members").json()
    c.call("GET", "/api/v1/group_categories/1", params={"includes[]": "progress_url"})
    c.call("POST", f"/api/v1/progress/{p['id']}/cancel", expect=401)
    c.call("GET", f"/api/v1/progress/{p['id']}")
    c.call("PUT", "/api/v1/group_categories/1", form={"name": "Project Groups"})  # no groups lost
    c.call("POST", "/api/v1/group_categories/3/assign_unassigned_members", form={"sync": "true"})
    c.call("POST", "/api/v1/group_categories/2/assign_unassigned_members", expect=400)
    c.call("POST", "/api/v1/group_categories/1/assign_unassigned_members", token="student-token", expect=401)
    c.call("POST", "/api/v1/group_categories/999/assign_unassigned_members", expect=404)
    c.call("GET", "/api/v1/progress/999", expect=404)
    c.call("GET", f"/api/v1/progress/{p['id']}", token="outsider-token", expect=401)
    own = c.store.progress.start("User", 2, "test_job", lambda _: None, user_id=2)
    c.call("POST", f"/api/v1/progress/{own.id}/cancel", form={"message": "stop"})
    c.call("POST", "/api/v1/progress/999/cancel", expect=404)


def people(c: Checker) -> None:
    for token in ("teacher-token", "student-token", "admin-token"):
        c.call("GET", "/api/v1/users/self", token=token)
    c.call("GET", "/api/v1/users/6", token="admin-token")
    c.call("GET", "/api/v1/users/sis_login_id:student", token="admin-token")
    c.call("GET", "/api/v1/users/6", token="outsider-token", expect=404)  # 2025: not 401
    c.call("GET", "/api/v1/users/999", expect=404)
    c.call("GET", "/api/v1/courses/1")
    c.call("GET", "/api/v1/courses/1", token="admin-token")
    c.call("GET", "/api/v1/courses/1", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999", expect=404)
    users_params = [("include[]", i) for i in ("enrollments", "email", "avatar_url", "locale", "uuid")]
    c.call("GET", "/api/v1/courses/1/users", params=users_params + [("enrollment_type[]", "student")])
    c.call("GET", "/api/v1/courses/1/users", token="admin-token", params=users_params + [("user_ids[]", "6")])
    c.call("GET", "/api/v1/courses/1/users", params={"search_term": "a"}, expect=400)
    c.call("GET", "/api/v1/courses/1/users", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/users", expect=404)
    c.call("GET", "/api/v1/courses/1/search_users", token="student-token", params={"search_term": "Sam"})
    c.call("GET", "/api/v1/courses/1/search_users", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/1/sections", params=[("include[]", "students"), ("include[]", "total_students")])
    c.call("GET", "/api/v1/courses/2/sections", token="admin-token")
    c.call("GET", "/api/v1/courses/1/sections", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/sections", expect=404)
    c.call("GET", "/api/v1/accounts/1", token="admin-token")
    c.call("GET", "/api/v1/accounts/2", token="admin-token")
    c.call("GET", "/api/v1/accounts/1", token="student-token", expect=401)
    c.call("GET", "/api/v1/accounts/999", token="admin-token", expect=404)


def users(c: Checker) -> None:
    """The Users API (mockcanvas/api/users.py): every route, successes and its failures."""
    acc = c.store.get("accounts", 1)
    c.store._update("accounts", acc, settings=(("avatars", True), ("enable_profiles", True)))
    c.call("GET", "/api/v1/users/self", token="admin-token",
           params=[("include[]", i) for i in ("uuid", "last_login", "avatar_state", "confirmation_url")])
    c.store._update("users", c.store.get("users", 7), workflow_state="deleted")
    c.call("GET", "/api/v1/users/7", token="admin-token", expect=404)  # a deleted user: 404 with its body
    c.call("GET", "/api/v1/users/self/profile", token="student-token",
           params=[("include[]", i) for i in ("uuid", "links", "user_services")])
    c.call("GET", "/api/v1/users/6/profile", token="admin-token")
    c.call("GET", "/api/v1/users/6/profile", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/users/999/profile", expect=404)
    c.call("PUT", "/api/v1/users/self", token="student-token",
           form={"user[name]": "Sam Q", "user[time_zone]": "America/Denver", "user[title]": "Dr."})
    c.call("PUT", "/api/v1/users/6", token="admin-token",
           form={"user[email]": "s@example.edu", "user[bio]": "hi", "user[locale]": "fr"})
    c.call("PUT", "/api/v1/users/6", token="admin-token", form={"user[locale]": "zz"}, expect=400)
    c.call("PUT", "/api/v1/users/6", token="student2-token", form={"user[name]": "X"}, expect=401)
    c.call("PUT", "/api/v1/users/999", form={"user[name]": "X"}, expect=404)
    c.call("GET", "/api/v1/users/self/settings", token="student-token")
    c.call("GET", "/api/v1/users/6/settings", token="teacher-token", expect=401)
    c.call("GET", "/api/v1/users/999/settings", expect=404)
    c.call("PUT", "/api/v1/users/self/settings", token="student-token", form={"manual_mark_as_read": "true"})
    c.call("PUT", "/api/v1/users/6/settings", token="teacher-token", form={"manual_mark_as_read": "true"},
           expect=401)
    c.call("PUT", "/api/v1/users/999/settings", form={"manual_mark_as_read": "true"}, expect=404)
    every = [("include[]", i) for i in ("avatar_url", "email", "last_login", "time_zone", "uuid")]
    c.call("GET", "/api/v1/accounts/1/users", token="admin-token", params=every + [("per_page", "3")])
    c.call("GET", "/api/v1/accounts/self/users", token="admin-token", params={"sort": "id", "order": "desc"})
    c.call("GET", "/api/v1/accounts/1/users", token="admin-token",
           params={"search_term": "stu", "enrollment_type": "student", "sort": "email"})
    c.call("GET", "/api/v1/accounts/1/users", token="admin-token", params={"search_term": "s"}, expect=400)
    c.call("GET", "/api/v1/accounts/1/users", token="admin-token", params={"enrollment_type": "x"}, expect=400)
    c.call("GET", "/api/v1/accounts/1/users", token="admin-token",
           params=[("uuids[]", str(i)) for i in range(101)], expect=400)
    c.call("GET", "/api/v1/accounts/1/users", token="teacher-token", expect=401)
    c.call("GET", "/api/v1/accounts/999/users", token="admin-token", expect=404)
    c.call("GET", "/api/v1/accounts/1/users", token="admin-token", params={"page": "0"}, expect=404)
    c.call("POST", "/api/v1/accounts/1/users", token="admin-token",
           form={"user[name]": "Nu User", "pseudonym[unique_id]": "nu@example.edu", "pseudonym[sis_user_id]": "NU",
                 "communication_channel[confirmation_url]": "true", "user[terms_of_use]": "true"})
    c.call("POST", "/api/v1/accounts/1/users", token="admin-token", form={"pseudonym[unique_id]": "nu@example.edu"},
           expect=400)
    c.call("POST", "/api/v1/accounts/1/users", token="teacher-token", form={"pseudonym[unique_id]": "t@x.edu"},
           expect=403)
    c.call("POST", "/api/v1/accounts/999/users", token="admin-token", form={"pseudonym[unique_id]": "t@x.edu"},
           expect=404)


def courses(c: Checker) -> None:
    """The Courses API (mockcanvas/api/courses.py): every route, successes and its failures."""
    store = c.store
    store.add_token("observer-token", 5)
    every_include = [("include[]", i) for i in ("term", "total_students", "teachers", "sections", "syllabus_body",
                                                 "html_url", "favorites", "concluded", "public_description",
                                                 "course_image", "banner_image", "account", "permissions",
                                                 "total_scores", "needs_grading_count", "storage_quota_used_mb",
                                                 "account_name", "subaccount", "grading_periods",
                                                 "course_progress")]
    auth_failures(c, "/api/v1/courses")
    c.call("GET", "/api/v1/courses", params=every_include + [("per_page", "1")])
    c.call("GET", "/api/v1/courses", token="student-token", params={"state[]": "completed"})
    c.call("GET", "/api/v1/courses", params={"account_id": "999"}, expect=404)
    c.call("GET", "/api/v1/courses", params={"page": "0"}, expect=404)
    c.call("GET", "/api/v1/users/self/courses", token="student-token", params={"include[]": "teachers",
                                                                              "teacher_limit": "0"})
    c.call("GET", "/api/v1/users/6/courses", token="admin-token")
    c.call("GET", "/api/v1/users/6/courses", expect=401)
    c.call("GET", "/api/v1/users/999/courses", token="admin-token", expect=404)
    c.call("GET", "/api/v1/accounts/1/courses", token="admin-token", params=every_include + [("per_page", "2")])
    c.call("GET", "/api/v1/accounts/1/courses", token="admin-token", params={"search_term": ""}, expect=400)
    c.call("GET", "/api/v1/accounts/1/courses", token="admin-token", params={"enrollment_type": "x"}, expect=400)
    c.call("GET", "/api/v1/accounts/1/courses", expect=401)
    c.call("GET", "/api/v1/accounts/999/courses", token="admin-token", expect=404)
    c.call("GET", "/api/v1/courses/1", params=every_include)
    c.call("GET", "/api/v1/courses/3", token="student-token", expect=401)
    c.call("GET", "/api/v1/courses/999", expect=404)
    c.call("GET", "/api/v1/accounts/1/courses/2", token="admin-token", params={"include[]": "permissions"})
    c.call("GET", "/api/v1/accounts/2/courses/1", token="admin-token", expect=404)
    c.call("GET", "/api/v1/accounts/1/courses/1", token="outsider-token", expect=401)
    created = c.call("POST", "/api/v1/accounts/1/courses", token="admin-token",
                     form={"course[name]": "Conformance", "course[public_description]": "x", "offer": "true",
                           "enroll_me": "true", "course[sis_course_id]": "CONF-1"}).json()
    c.call("POST", "/api/v1/accounts/1/courses", token="admin-token",
           form={"course[end_at]": "2026-01-01", "course[restrict_enrollments_to_course_dates]": "true"})
    c.call("POST", "/api/v1/accounts/1/courses", token="admin-token", form={"course[default_view]": "x"}, expect=400)
    c.call("POST", "/api/v1/accounts/1/courses", form={"course[name]": "No"}, expect=401)
    c.call("POST", "/api/v1/accounts/999/courses", token="admin-token", expect=404)
    c.call("PUT", f"/api/v1/courses/{created['id']}", token="admin-token",
           form={"course[name]": "Renamed", "course[course_format]": "online", "course[locale]": "fr"})
    c.call("PUT", "/api/v1/courses/1", form={"course[event]": "bogus"}, expect=400)
    c.call("PUT", "/api/v1/courses/1", form={"course[image_id]": "1"}, expect=400)
    c.call("PUT", "/api/v1/courses/1", token="student-token", form={"course[name]": "x"}, expect=401)
    c.call("PUT", "/api/v1/courses/999", form={"course[name]": "x"}, expect=404)
    c.call("GET", "/api/v1/courses/1/settings")
    c.call("GET", "/api/v1/courses/1/settings", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/settings", expect=404)
    c.call("PUT", "/api/v1/courses/1/settings", form={"hide_final_grades": "true"})
    c.call("PUT", "/api/v1/courses/1/settings", token="student-token", form={"hide_final_grades": "true"}, expect=401)
    c.call("PUT", "/api/v1/courses/999/settings", expect=404)
    c.call("GET", "/api/v1/courses/1/permissions", params=[("permissions[]", "read"), ("permissions[]", "x")])
    c.call("GET", "/api/v1/courses/1/permissions", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/permissions", expect=404)
    users = [("include[]", i) for i in ("enrollments", "email", "avatar_url", "bio", "uuid", "group_ids",
                                        "last_login", "locked", "test_student")]
    for route in ("users", "search_users"):
        c.call("GET", f"/api/v1/courses/1/{route}", params=users + [("per_page", "5")])
        c.call("GET", f"/api/v1/courses/1/{route}", token="admin-token", params=users)
        c.call("GET", f"/api/v1/courses/1/{route}", params={"search_term": "a"}, expect=400)
        c.call("GET", f"/api/v1/courses/1/{route}", params={"enrollment_type[]": "x"}, expect=400)
        c.call("GET", f"/api/v1/courses/1/{route}", token="observer-token", expect=401)
        c.call("GET", f"/api/v1/courses/999/{route}", expect=404)
    c.call("GET", "/api/v1/courses/1/users/6", params=users)
    c.call("GET", "/api/v1/courses/1/users/20", expect=404)
    c.call("GET", "/api/v1/courses/1/users/6", token="observer-token", expect=401)
    c.call("GET", "/api/v1/courses/1/students")
    c.call("GET", "/api/v1/courses/1/students", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/students", expect=404)
    c.call("DELETE", "/api/v1/courses/1", form={"event": "nope"}, expect=400)
    c.call("DELETE", "/api/v1/courses/1", form={"event": "delete"}, expect=401)
    c.call("DELETE", "/api/v1/courses/1", params={"event": "conclude"})
    c.call("DELETE", "/api/v1/courses/2", token="admin-token", params={"event": "delete"})
    c.call("DELETE", "/api/v1/courses/2", token="admin-token", params={"event": "conclude"}, expect=400)
    c.call("DELETE", "/api/v1/courses/999", params={"event": "delete"}, expect=404)


def accounts_terms(c: Checker) -> None:
    """The Accounts and Enrollment Terms APIs (mockcanvas/api/accounts.py, terms.py)."""
    account_includes = ["lti_guid", "registration_settings", "services", "global_id", "course_count",
                        "sub_account_count"]
    auth_failures(c, "/api/v1/accounts")
    c.call("GET", "/api/v1/accounts", token="admin-token", params=[("include[]", i) for i in account_includes])
    c.call("GET", "/api/v1/accounts", params={"page": "2"}, expect=404)
    c.call("GET", "/api/v1/course_accounts", params={"per_page": "1"})
    c.call("GET", "/api/v1/accounts/1")  # a teacher: the read-only form
    c.call("GET", "/api/v1/accounts/2", token="admin-token", params=[("includes[]", i) for i in account_includes])
    c.call("GET", "/api/v1/accounts/self/permissions", params=[("permissions[]", "read"), ("permissions[]", "x")])
    c.call("GET", "/api/v1/accounts/1/permissions", token="student-token", expect=401)
    c.call("PUT", "/api/v1/accounts/2", token="admin-token",
           form={"account[name]": "Sciences", "account[services][avatars]": "1", "account[sis_account_id]": "SC"})
    c.call("PUT", "/api/v1/accounts/1", token="admin-token", form={"account[sis_account_id]": "X"}, expect=401)
    c.call("PUT", "/api/v1/accounts/1", token="admin-token", form={"account[name]": ""}, expect=400)
    c.call("PUT", "/api/v1/accounts/1", form={"account[name]": "X"}, expect=401)
    c.call("GET", "/api/v1/accounts/1/sub_accounts", token="admin-token",
           params={"recursive": "true", "include[]": "course_count"})
    c.call("GET", "/api/v1/accounts/1/sub_accounts", expect=401)
    new = c.call("POST", "/api/v1/accounts/1/sub_accounts", token="admin-token", form={"account[name]": "Arts"}).json()
    c.call("POST", "/api/v1/accounts/1/sub_accounts", token="admin-token", form={"x": "1"}, expect=400)
    c.call("POST", "/api/v1/accounts/1/sub_accounts", token="admin-token", form={"account[sis_account_id]": "A"},
           expect=400)
    c.call("DELETE", f"/api/v1/accounts/1/sub_accounts/{new['id']}", token="admin-token")
    c.call("DELETE", "/api/v1/accounts/1/sub_accounts/2", token="admin-token", expect=409)
    c.call("DELETE", "/api/v1/accounts/1/sub_accounts/999", token="admin-token", expect=404)
    c.call("GET", "/api/v1/accounts/1/terms", token="admin-token",
           params=[("include[]", "overrides"), ("include[]", "course_count"), ("workflow_state[]", "all")])
    c.call("GET", "/api/v1/accounts/1/terms")
    c.call("GET", "/api/v1/accounts/2/terms", expect=400)
    c.call("GET", "/api/v1/accounts/1/terms", token="student-token", expect=401)
    c.call("GET", "/api/v1/accounts/1/terms/sis_term_id:2026-FA", token="admin-token")
    term = c.call("POST", "/api/v1/accounts/1/terms", token="admin-token",
                  form={"enrollment_term[name]": "Summer", "enrollment_term[sis_term_id]": "SU",
                        "enrollment_term[overrides][StudentEnrollment][end_at]": "2026-08-01T00:00:00Z"}).json()
    c.call("POST", "/api/v1/accounts/1/terms", token="admin-token",
           form={"enrollment_term[overrides][ObserverEnrollment][end_at]": "2026-08-01"}, expect=400)
    c.call("POST", "/api/v1/accounts/2/terms", token="admin-token", form={"enrollment_term[name]": "X"}, expect=302,
           allow_redirects=False)
    c.call("PUT", f"/api/v1/accounts/1/terms/{term['id']}", token="admin-token",
           form={"enrollment_term[start_at]": "2026-09-01", "enrollment_term[end_at]": "2026-08-01"}, expect=400)
    c.call("PUT", f"/api/v1/accounts/1/terms/{term['id']}", token="admin-token", form={"enrollment_term[name]": "S"})
    c.call("DELETE", "/api/v1/accounts/1/terms/1", token="admin-token", expect=400)
    c.call("DELETE", f"/api/v1/accounts/1/terms/{term['id']}", token="admin-token")


def control_plane(c: Checker) -> None:
    c.call("GET", "/__mockcanvas__/health", token=None)
    c.call("GET", "/__mockcanvas__/progress_policy", token=None)
    c.call("PUT", "/__mockcanvas__/progress_policy", token=None, json={"policy": "manual"})
    c.call("PUT", "/__mockcanvas__/progress_policy", token=None, json={"policy": "bogus"}, expect=400)
    c.call("POST", "/__mockcanvas__/progress_policy", token=None, form={"policy": "manual"})
    p = c.call("POST", "/api/v1/group_categories/1/assign_unassigned_members").json()
    c.call("POST", f"/__mockcanvas__/progress/{p['id']}/advance", token=None)
    c.call("POST", "/__mockcanvas__/progress/999/advance", token=None, expect=404)
    c.call("GET", "/__mockcanvas__/live_events", token=None, params={"event_name": "group_membership_created"})
    c.call("GET", "/__mockcanvas__/live_events", token=None, params={"after": "x"}, expect=400)
    c.call("DELETE", "/__mockcanvas__/live_events", token=None)
    c.call("GET", "/__mockcanvas__/live_events/delivery", token=None)
    c.call("POST", "/__mockcanvas__/live_events/delivery/retry", token=None)
    c.call("GET", "/__mockcanvas__/requests", token=None, params={"route": "/api/v1/group_categories/{group_category_id}"
                                                                           "/assign_unassigned_members"})
    c.call("GET", "/__mockcanvas__/requests", token=None, params={"status": "abc"}, expect=400)
    c.call("DELETE", "/__mockcanvas__/requests", token=None)
    c.call("GET", "/__mockcanvas__/openapi.json", token=None)
    c.call("POST", "/__mockcanvas__/reset", token=None)


def sections(c: Checker) -> None:
    """The Sections API (mockcanvas/api/sections.py): every route, successes and its failures."""
    inc = [("include[]", i) for i in ("students", "enrollments", "avatar_url", "total_students",
                                      "passback_status", "permissions")]
    c.call("GET", "/api/v1/courses/1/sections", params=inc + [("search_term", "Section")])
    c.call("GET", "/api/v1/courses/1/sections", token="admin-token")
    c.call("GET", "/api/v1/courses/1/sections", params={"search_term": "S"}, expect=400)
    c.call("GET", "/api/v1/courses/1/sections/1", params=inc)
    c.call("GET", "/api/v1/courses/2/sections/1", expect=404)
    c.call("GET", "/api/v1/sections/sis_section_id:MOCK101-B", token="admin-token")
    c.call("GET", "/api/v1/sections/2", token="student-token", expect=401)
    made = c.call("POST", "/api/v1/courses/1/sections", token="admin-token", data={
        "course_section[name]": "Lab", "course_section[sis_section_id]": "LAB-1",
        "course_section[start_at]": "2025-01-01T00:00:00Z", "course_section[end_at]": "2025-02-01T00:00:00Z"}).json()
    c.call("POST", "/api/v1/courses/1/sections", token="ta-token", expect=401)
    c.call("POST", "/api/v1/courses/1/sections", data={"course_section[end_at]": "2000-01-01T00:00:00Z",
                                                       "course_section[start_at]": "2001-01-01T00:00:00Z"}, expect=400)
    c.call("PUT", f"/api/v1/sections/{made['id']}", data={"course_section[name]": "Lab 2"})
    c.call("PUT", f"/api/v1/sections/{made['id']}", data={"course_section[sis_section_id]": "X"}, expect=401)
    c.call("PUT", "/api/v1/sections/999", expect=404)
    c.call("POST", f"/api/v1/sections/{made['id']}/crosslist/2")
    c.call("POST", f"/api/v1/sections/{made['id']}/crosslist/999", expect=404)
    c.call("DELETE", f"/api/v1/sections/{made['id']}/crosslist")
    c.call("DELETE", f"/api/v1/sections/{made['id']}/crosslist", expect=400)
    c.call("DELETE", "/api/v1/sections/2", expect=400)
    c.call("DELETE", f"/api/v1/sections/{made['id']}", token="student-token", expect=401)
    c.call("DELETE", f"/api/v1/sections/{made['id']}")


def enrollments(c: Checker) -> None:
    """The Enrollments API (mockcanvas/api/enrollments.py)."""
    inc = [("include[]", i) for i in ("avatar_url", "group_ids", "locked", "observed_users", "can_be_removed",
                                      "uuid", "current_points", "email")]
    for token in ("teacher-token", "ta-token", "student-token", "admin-token"):
        c.call("GET", "/api/v1/courses/1/enrollments", token=token, params=inc + [("per_page", "3")])
    c.call("GET", "/api/v1/sections/2/enrollments", params={"type[]": "StudentEnrollment"})
    c.call("GET", "/api/v1/courses/1/enrollments", params={"role[]": "Nope"}, expect=400)
    c.call("GET", "/api/v1/courses/1/enrollments", params={"grading_period_id": "1"}, expect=400)
    c.call("GET", "/api/v1/courses/1/enrollments", token="student-token", params={"sis_user_id[]": "S-006"},
           expect=400)
    c.call("GET", "/api/v1/courses/1/enrollments", token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/enrollments", expect=404)
    c.call("GET", "/api/v1/courses/1/enrollments", params={"page": "2"}, expect=404)
    c.call("GET", "/api/v1/users/self/enrollments", token="student-token", params=inc)
    c.call("GET", "/api/v1/users/6/enrollments", token="admin-token")
    c.call("GET", "/api/v1/users/self/enrollments", token="student-token", params={"state[]": "x"}, expect=400)
    c.call("GET", "/api/v1/users/6/enrollments", expect=401)
    c.call("GET", "/api/v1/accounts/1/enrollments/5", token="admin-token")
    c.call("GET", "/api/v1/accounts/1/enrollments/5", expect=401)
    c.call("GET", "/api/v1/accounts/2/enrollments/5", token="admin-token", expect=404)
    c.call("POST", "/api/v1/courses/1/enrollments", form={"enrollment[user_id]": "20"})
    c.call("POST", "/api/v1/sections/2/enrollments", token="admin-token",
           json={"enrollment": {"user_id": "20", "type": "ObserverEnrollment", "associated_user_id": 6}})
    c.call("POST", "/api/v1/courses/1/enrollments", form={"enrollment[type]": "x"}, expect=400)
    c.call("POST", "/api/v1/courses/1/enrollments", form={"enrollment[user_id]": "20",
                                                           "enrollment[associated_user_id]": "6"}, expect=400)
    c.call("POST", "/api/v1/courses/1/enrollments", token="student-token", form={"enrollment[user_id]": "20"},
           expect=401)
    c.call("POST", "/api/v1/courses/1/enrollments", form={"enrollment[user_id]": "999"}, expect=404)
    c.call("DELETE", "/api/v1/courses/1/enrollments/6", form={"task": "inactivate"})
    c.call("PUT", "/api/v1/courses/1/enrollments/6/reactivate")
    c.call("PUT", "/api/v1/courses/1/enrollments/6/reactivate", expect=400)
    c.call("DELETE", "/api/v1/courses/1/enrollments/1", params={"task": "delete"}, expect=401)
    c.call("DELETE", "/api/v1/courses/1/enrollments/999", expect=404)
    c.call("POST", "/api/v1/courses/1/enrollments/5/reject", token="student-token", expect=400)
    c.call("POST", "/api/v1/courses/1/enrollments/5/accept", token="student-token")
    c.call("POST", "/api/v1/courses/1/enrollments/5/reject", token="teacher-token", expect=401)
    c.call("DELETE", "/api/v1/courses/1/enrollments/5")
    c.call("POST", "/api/v1/courses/1/enrollments/6/reject", token="student2-token", expect=400)
    e = c.store.get("enrollments", 6)
    c.store._update("enrollments", e, workflow_state="invited")
    c.call("POST", "/api/v1/courses/1/enrollments/6/reject", token="student2-token")


def assignment_groups(c: Checker) -> None:
    """The Assignment Groups API (mockcanvas/api/assignment_groups.py)."""
    url = "/api/v1/courses/1/assignment_groups"
    hw = c.call("POST", url, form={"name": "Homework", "group_weight": "40", "rules[never_drop][]": "1",
                                   "integration_data[x]": "y"}).json()
    other = c.call("POST", url, json={"name": "Exams", "position": 5}).json()
    c.call("POST", "/api/v1/courses/1/assignments", form={"assignment[name]": "Essay", "assignment[published]": "true",
                                                         "assignment[assignment_group_id]": str(hw["id"])}, expect=201)
    inc = [("include[]", i) for i in ("assignments", "all_dates", "can_edit", "overrides", "submission",
                                      "assignment_visibility", "score_statistics")]
    for token in ("teacher-token", "student-token", "admin-token"):
        c.call("GET", url, token=token, params=inc + [("per_page", "1")])
    c.call("GET", url, params=[("include[]", "assignments"), ("exclude_response_fields[]", "description"),
                               ("exclude_response_fields[]", "in_closed_grading_period")])
    c.call("GET", url, token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/assignment_groups", expect=404)
    c.call("GET", f"{url}/{hw['id']}", token="student-token", params=inc)
    c.call("GET", f"{url}/999", expect=404)
    c.call("POST", url, token="student-token", expect=401)
    c.call("POST", url, form={"rules[drop_lowest]": "1"}, expect=400)
    c.call("POST", url, form={"position": "99999999999"}, expect=400)
    c.call("PUT", f"{url}/{hw['id']}", form={"rules[drop_lowest]": "1", "name": "Homework 2"})
    c.call("PUT", f"{url}/{hw['id']}", form={"rules[drop_highest]": "-1"}, expect=400)
    c.call("PUT", f"{url}/{hw['id']}", token="student-token", expect=401)
    c.call("PUT", f"{url}/999", expect=404)
    c.call("DELETE", f"{url}/{hw['id']}", form={"move_assignments_to": "999"}, expect=404)
    c.call("DELETE", f"{url}/{hw['id']}", token="student-token", expect=401)
    c.call("DELETE", f"{url}/{hw['id']}", form={"move_assignments_to": str(other["id"])})
    c.call("DELETE", f"{url}/{other['id']}")


def assignment_overrides(c: Checker) -> None:
    """The Assignment Overrides API (mockcanvas/api/assignment_overrides.py)."""
    a = c.call("POST", "/api/v1/courses/1/assignments", expect=201, form={
        "assignment[name]": "Lab", "assignment[published]": "true", "assignment[group_category_id]": "1"}).json()
    url = f"/api/v1/courses/1/assignments/{a['id']}/overrides"
    sec = c.call("POST", url, expect=201, form={"assignment_override[course_section_id]": "1",
                                                "assignment_override[due_at]": "2030-05-03T12:00:00Z"}).json()
    grp = c.call("POST", url, expect=201, json={"assignment_override": {"group_id": 1, "lock_at": None}}).json()
    adhoc = c.call("POST", url, expect=201, form={"assignment_override[student_ids][]": ["6", "7"],
                                                  "assignment_override[unlock_at]": "2030-05-01"}).json()
    c.call("POST", url, expect=201, json={"assignment_override": {"course_id": 1, "unassign_item": False}})
    c.call("POST", url, form={"assignment_override[title]": "no target"}, expect=400)
    c.call("POST", url, form={"assignment_override[course_section_id]": "1"}, expect=400)  # taken
    c.call("POST", url, token="student-token", form={"assignment_override[course_section_id]": "2"}, expect=401)
    c.call("POST", "/api/v1/courses/1/assignments/999/overrides", expect=404)
    for token in ("teacher-token", "student-token", "admin-token"):
        c.call("GET", url, token=token, params={"per_page": "2"})
    c.call("GET", url, token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/assignments/1/overrides", expect=404)
    c.call("GET", f"{url}/{sec['id']}")
    c.call("GET", f"{url}/{adhoc['id']}", token="student-token")
    c.call("GET", f"{url}/{sec['id']}", token="student2-token", expect=404)
    c.call("GET", f"{url}/{sec['id']}", token="outsider-token", expect=401)
    c.call("PUT", f"{url}/{adhoc['id']}", form={"assignment_override[title]": "Ext",
                                               "assignment_override[student_ids][]": ["6"]})
    c.call("PUT", f"{url}/{sec['id']}", form={"assignment_override[due_at]": "bad"}, expect=400)
    c.call("PUT", f"{url}/{sec['id']}", token="student-token", expect=401)
    c.call("PUT", f"{url}/999", expect=404)
    c.call("GET", f"/api/v1/sections/1/assignments/{a['id']}/override", expect=302, allow_redirects=False)
    c.call("GET", f"/api/v1/sections/2/assignments/{a['id']}/override", expect=404, allow_redirects=False)
    c.call("GET", f"/api/v1/groups/1/assignments/{a['id']}/override", expect=302, allow_redirects=False)
    c.call("GET", f"/api/v1/groups/2/assignments/{a['id']}/override", expect=404, allow_redirects=False)
    c.call("DELETE", f"{url}/{grp['id']}", token="student-token", expect=401)
    c.call("DELETE", f"{url}/{adhoc['id']}")
    c.call("DELETE", f"{url}/{adhoc['id']}", expect=404)


def assignments(c: Checker) -> None:
    """The Assignments API (mockcanvas/api/assignments.py): every route, each caller, the failures."""
    url = "/api/v1/courses/1/assignments"
    c.store.add_token("designer-token", 4)
    a = c.call("POST", url, expect=201, form={
        "assignment[name]": "Essay", "assignment[published]": "true", "assignment[points_possible]": "10",
        "assignment[submission_types][]": "online_upload", "assignment[allowed_extensions][]": "pdf",
        "assignment[due_at]": "2030-05-01T23:59:00Z", "assignment[peer_reviews]": "true",
        "assignment[automatic_peer_reviews]": "true"}).json()
    c.call("POST", url, token="admin-token", expect=201, json={"assignment": {
        "name": "Locked", "published": True, "unlock_at": "2099-01-01T00:00:00Z", "description": "<p>x</p>",
        "sis_assignment_id": "A-1", "integration_data": {"k": "v"}}})
    c.call("POST", url, token="designer-token", expect=201, form={"assignment[name]": "Past", "assignment[published]": "1",
                                                                  "assignment[lock_at]": "2001-01-01T00:00:00Z"})
    c.call("POST", url, form={"assignment[name]": ""}, expect=400)
    c.call("POST", url, form={"assignment[submission_types][]": "student_annotation"}, expect=400)
    c.call("POST", url, expect=400)
    c.call("POST", url, token="student-token", form={"assignment[name]": "x"}, expect=401)
    c.call("POST", "/api/v1/courses/999/assignments", form={"assignment[name]": "x"}, expect=404)
    c.call("POST", url, **BAD_JSON, expect=400)
    inc = [("include[]", i) for i in ("submission", "assignment_visibility", "all_dates", "overrides", "can_edit",
                                      "score_statistics", "ab_guid")]
    for token in ("teacher-token", "ta-token", "designer-token", "student-token", "admin-token"):
        c.call("GET", url, token=token, params=inc + [("per_page", "2"), ("needs_grading_count_by_section", "true")])
    c.call("GET", url, token="student-token", params=[("include[]", "submission"), ("include[]", "observed_users"),
                                                      ("bucket", "future"), ("order_by", "due_at")])
    c.call("GET", url, params={"search_term": "e"}, expect=400)
    c.call("GET", url, params={"bucket": "nope"}, expect=400)
    c.call("GET", url, params={"assignment_ids[]": "999"}, expect=400)
    c.call("GET", url, token="outsider-token", expect=401)
    c.call("GET", "/api/v1/courses/999/assignments", expect=404)
    c.call("GET", f"/api/v1/courses/1/assignment_groups/{a['assignment_group_id']}/assignments",
           params={"order_by": "name"})
    c.call("GET", "/api/v1/courses/1/assignment_groups/999/assignments")
    c.call("GET", "/api/v1/users/6/courses/1/assignments", params={"include[]": "submission"})
    c.call("GET", "/api/v1/users/self/courses/1/assignments", token="student-token")
    c.call("GET", "/api/v1/users/7/courses/1/assignments", token="student-token", expect=401)
    c.call("GET", "/api/v1/users/999/courses/1/assignments", expect=404)
    for token in ("teacher-token", "student-token", "admin-token"):
        c.call("GET", f"{url}/{a['id']}", token=token, params={"all_dates": "true", "include[]": "can_submit"})
    c.call("GET", f"{url}/sis_assignment_id:A-1", token="admin-token")
    c.call("GET", f"{url}/999", expect=404)
    c.call("PUT", f"{url}/{a['id']}", form={"assignment[name]": "Essay 2", "assignment[override_dates]": "false"})
    c.call("PUT", f"{url}/{a['id']}", form={"assignment[due_at]": "2030-05-01"}, expect=400)
    c.call("PUT", f"{url}/{a['id']}", token="student-token", form={"assignment[name]": "x"}, expect=401)
    c.call("PUT", f"{url}/999", form={"assignment[name]": "x"}, expect=404)
    c.call("DELETE", f"{url}/{a['id']}", token="student-token", expect=401)
    c.call("DELETE", f"{url}/{a['id']}")
    c.call("DELETE", f"{url}/{a['id']}", expect=404)


SCENARIOS = [groups_read, groups_write, files, memberships, categories, jobs, people, users, courses, accounts_terms, control_plane,
             sections, enrollments, assignment_groups, assignment_overrides, assignments]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_answers_match_the_documented_schemas(checker, scenario):
    scenario(checker)


def test_forbidden_status_is_documented_too():
    """With --auth-error-status 403 a permission denial is a 403 with the same bodies."""
    c = Checker(load_world(settings=Settings(auth_error_status=403)))
    try:
        c.call("GET", "/api/v1/groups/1", token="outsider-token", expect=403)
        c.call("DELETE", "/api/v1/group_categories/2", expect=403)
        c.call("GET", "/api/v1/groups/1", token=None, expect=401)
    finally:
        c.close()


def test_every_route_is_checked(canvas_store):
    """Every route of the router has a success checked by the scenarios above (each scenario on the
    world as loaded)."""
    c = Checker(canvas_store)
    try:
        for scenario in SCENARIOS:
            scenario(c)
            with canvas_store.lock:
                canvas_store.rollback()
        assert not c.problems, c.problems
        routes = router_routes(c.app.router)
        # a route's success is a 2xx, or the status its docs give it (the upload's 302)
        documented_success = {(m.upper(), t): int(next(iter(op["responses"])))
                              for t, ops in c.doc["paths"].items() for m, op in ops.items()}
        unchecked = [f"{m} {t}" for m, t in routes if not any(
            (m, t) == (cm, ct) and (s < 300 or s == documented_success.get((m, t))) for cm, ct, s in c.checked)]
        assert not unchecked, "routes without a checked success:\n  " + "\n  ".join(unchecked)
        documented = {(m.upper(), t, int(s)) for t, ops in c.doc["paths"].items()
                      for m, op in ops.items() for s in op["responses"]}
        assert {(m, t, s) for m, t, s in c.checked} <= documented
        # the answer of the document route is the document
        served = c.call("GET", "/__mockcanvas__/openapi.json", token=None).json()
        assert served == json.loads(json.dumps(c.doc))
    finally:
        c.close()
