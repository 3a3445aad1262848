"""Hand-written hostile inputs the fuzzer does not generate (JSON NaN/Infinity and out-of-range
numbers, deep JSON, malformed multipart, non-decimal Unicode digits, forged bookmarks): each must get
a documented 4xx/2xx answer, never a 500, and leave no recorded problem. Strict on purpose: a failure
here is a mockcanvas bug (see the report of the issue "Contract and robustness")."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote

import pytest
from openapi_checker import Checker

JSON = {"Content-Type": "application/json"}


def bookmark(key: list) -> str:
    return "bookmark:" + base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def multipart(name: str) -> tuple[bytes, dict[str, str]]:
    body = (f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\nx\r\n'
            '--B\r\nContent-Disposition: form-data; name="attachment"; filename="g.csv"\r\n'
            'Content-Type: text/csv\r\n\r\ncanvas_user_id,group_name\n15,A\n\r\n--B--\r\n').encode()
    return body, {"Content-Type": "multipart/form-data; boundary=B"}


# (id, method, path, token, request kwargs)
CASES = [
    ("json-nan-create-group-count", "POST", "/api/v1/courses/1/group_categories", "teacher-token",
     {"data": b'{"name": "N", "create_group_count": NaN}', "headers": JSON}),
    ("json-infinity-group-limit", "POST", "/api/v1/courses/1/group_categories", "teacher-token",
     {"data": b'{"name": "N", "group_limit": Infinity}', "headers": JSON}),
    ("json-1e400-create-group-count", "POST", "/api/v1/courses/1/group_categories", "teacher-token",
     {"data": b'{"name": "N", "create_group_count": 1e400}', "headers": JSON}),
    ("json-1e400-max-membership", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": b'{"max_membership": 1e400}', "headers": JSON}),
    ("json-1e400-file-size", "POST", "/api/v1/groups/1/files", "student-token",
     {"data": b'{"name": "a.txt", "size": 1e400}', "headers": JSON}),
    ("json-nested-100000", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": b"[" * 100000 + b"]" * 100000, "headers": JSON}),
    ("multipart-control-char-name-import", "POST", "/api/v1/group_categories/1/import", "teacher-token",
     dict(zip(("data", "headers"), multipart("\x13")))),
    ("multipart-control-char-name-write", "POST", "/api/v1/groups/1/preview_html", "teacher-token",
     dict(zip(("data", "headers"), multipart("a\x7fb")))),
    ("superscript-digit-user-ids", "GET", "/api/v1/courses/1/users", "teacher-token",
     {"params": {"user_ids[]": "\u00b2"}}),
    ("bookmark-null-after-a-group-name", "GET", "/api/v1/users/self/groups", "student-token",
     {"params": {"page": bookmark(["Project Group 1", None])}}),
    ("bookmark-object-after-a-group-name", "GET", "/api/v1/users/self/groups", "student-token",
     {"params": {"page": bookmark(["project group 1", {}])}}),
    ("control-live-events-after-superscript", "GET", "/__mockcanvas__/live_events", None,
     {"params": {"after": "\u00b2"}}),
    ("control-requests-status-superscript", "GET", "/__mockcanvas__/requests", None,
     {"params": {"status": "\u00b2"}}),
    ("control-progress-policy-bad-json", "PUT", "/__mockcanvas__/progress_policy", None,
     {"data": b"{x", "headers": JSON}),
]


@pytest.mark.parametrize("method,path,token,kw", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_input_gets_a_documented_answer(canvas_store, method, path, token, kw):
    c = Checker(canvas_store)
    try:
        status, headers, text = c.raw(method, path, token=token, **kw)
        assert status < 500, f"{method} {path}: {status} {text[:300]}"
        c.validate(method, c.template_of(method, path), status, headers, text)
        assert not c.problems, c.problems
    finally:
        c.problems.clear()
        c.close()


@pytest.mark.parametrize("row", ["canvas_user_id,group_name\n\u00b2,X\n", "canvas_user_id,canvas_group_id\n15,\u00b2\n"],
                         ids=["user", "group"])
def test_a_csv_row_with_a_non_decimal_digit_id_is_skipped(canvas_store, row):
    """Canvas skips rows naming no known user or group; the import must complete, not fail."""
    canvas_store.progress.set_policy("immediate")
    c = Checker(canvas_store)
    try:
        p = c.call("POST", "/api/v1/group_categories/1/import", data=row.encode(),
                   headers={"Content-Type": "text/csv"}).json()
        assert (p["workflow_state"], p["message"]) == ("completed", None), p
    finally:
        c.close()


@pytest.mark.parametrize("sis", ["a\x07b", "caf\u00e9 x"], ids=["control-character", "non-ascii-and-space"])
def test_pagination_links_of_a_path_with_unusual_characters(canvas_store, sis):
    """A SIS id in the path is decoded; the Link header must still be one printable ASCII line (Canvas
    builds links with its URL helpers, which percent-encode), not break the connection."""
    canvas_store.insert("group_categories", name="Odd", context_type="Course", context_id=1, root_account_id=1,
                        sis_group_category_id=sis)
    c = Checker(canvas_store)
    path = "/api/v1/group_categories/" + quote(f"sis_group_category_id:{sis}") + "/users"
    try:
        try:
            status, headers, text = c.raw("GET", path, token="admin-token")
        except Exception as exc:  # noqa: BLE001 - the server dropped the connection
            pytest.fail(f"GET {path}: no answer ({type(exc).__name__}: {exc})")
        assert status == 200, text
        link = headers["Link"]
        assert all(33 <= ord(ch) < 127 or ch == " " for ch in link), f"Link is not printable ASCII: {link!r}"
        assert not re.search(r"<[^>]* [^>]*>", link), f"a Link URL contains a space: {link!r}"
    finally:
        c.problems.clear()
        c.close()
