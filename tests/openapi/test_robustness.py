"""Hand-written hostile inputs the fuzzer does not generate (JSON NaN/Infinity and out-of-range
numbers, deep JSON, malformed multipart, non-decimal Unicode digits, forged bookmarks): each must get
a documented 4xx/2xx answer, never a 500, and leave no recorded problem. Strict on purpose: a failure
here is a mockcanvas bug (see the report of the issue "Contract and robustness").

Issue 13 (input layer): integers of thousands of digits (past Python's int-string limit) wherever a
number is read, multipart bodies without (or with a wrong) boundary, text that is not UTF-8 or
holds lone surrogates, keys nested past rack's limit, more fields than rack's limit, and names
with CR/LF/NUL in the Content-Disposition of the CSV export and the file download. The failing
request's effects (none) are in tests/api/test_request_atomic.py."""

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


# -- issue 13: thousands of digits, broken multipart, text that is not UTF-8 ----------------------
BIG = "9" * 5000  # beyond Python's 4,300-digit int() limit
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _form(**fields: str) -> dict:
    return {"data": "&".join(f"{k}={v}" for k, v in fields.items()).encode(), "headers": FORM}


BIG_CASES = [
    ("big-path-group-id", "GET", f"/api/v1/groups/{BIG}", "teacher-token", {}),
    ("big-path-course-id", "GET", f"/api/v1/courses/{BIG}/groups", "teacher-token", {}),
    ("big-path-sis-short-global", "GET", f"/api/v1/groups/{BIG}~1", "teacher-token", {}),
    ("big-path-user-id", "GET", f"/api/v1/users/{BIG}", "admin-token", {}),
    ("big-path-membership-id", "PUT", f"/api/v1/groups/1/memberships/{BIG}", "teacher-token",
     _form(workflow_state="accepted")),
    ("big-path-progress-id", "GET", f"/api/v1/progress/{BIG}", "teacher-token", {}),
    ("big-page", "GET", "/api/v1/courses/1/groups", "teacher-token", {"params": {"page": BIG}}),
    ("big-per-page", "GET", "/api/v1/courses/1/groups", "teacher-token", {"params": {"per_page": BIG}}),
    ("big-bookmark-page", "GET", "/api/v1/users/self/groups", "student-token", {"params": {"page": BIG}}),
    ("big-max-membership", "PUT", "/api/v1/groups/1", "teacher-token", _form(max_membership=BIG)),
    ("big-max-membership-json", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": ('{"max_membership": %s}' % BIG).encode(), "headers": JSON}),
    ("big-storage-quota", "PUT", "/api/v1/groups/1", "admin-token", _form(storage_quota_mb=BIG)),
    ("big-group-limit", "POST", "/api/v1/courses/1/group_categories", "teacher-token",
     _form(name="Big", group_limit=BIG)),
    ("big-create-group-count", "POST", "/api/v1/courses/1/group_categories", "teacher-token",
     _form(name="Big", create_group_count=BIG)),
    ("big-membership-user-id", "POST", "/api/v1/groups/1/memberships", "teacher-token", _form(user_id=BIG)),
    ("big-leader-id", "PUT", "/api/v1/groups/1", "teacher-token", _form(**{"leader[id]": BIG})),
    ("big-members", "PUT", "/api/v1/groups/1", "teacher-token", _form(**{"members[]": BIG})),
    ("big-avatar-id", "PUT", "/api/v1/groups/1", "teacher-token", _form(avatar_id=BIG)),
    ("big-as-user-id", "GET", "/api/v1/users/self", "admin-token", {"params": {"as_user_id": BIG}}),
    ("big-search-term-users", "GET", "/api/v1/courses/1/users", "teacher-token", {"params": {"search_term": BIG}}),
    ("big-search-term-groups", "GET", "/api/v1/courses/1/groups", "teacher-token", {"params": {"search_term": BIG}}),
    ("big-search-term-category-users", "GET", "/api/v1/group_categories/1/users", "teacher-token",
     {"params": {"search_term": BIG}}),
    ("big-user-ids", "GET", "/api/v1/courses/1/users", "teacher-token", {"params": {"user_ids[]": BIG}}),
    ("big-file-size", "POST", "/api/v1/groups/1/files", "student-token", _form(name="a.txt", size=BIG)),
    ("big-preview-file-link", "POST", "/api/v1/groups/1/preview_html", "teacher-token",
     _form(html=f'<a href="/groups/{BIG}/files/1/download">f</a>')),
    ("big-control-live-events-after", "GET", "/__mockcanvas__/live_events", None, {"params": {"after": BIG}}),
    ("big-control-requests-after", "GET", "/__mockcanvas__/requests", None, {"params": {"after": BIG}}),
    ("big-control-requests-status", "GET", "/__mockcanvas__/requests", None, {"params": {"status": BIG}}),
]

BODY_CASES = [
    ("multipart-no-boundary-import", "POST", "/api/v1/group_categories/1/import", "teacher-token",
     {"data": b"x", "headers": {"Content-Type": "multipart/form-data"}}),
    ("multipart-empty-boundary-import", "POST", "/api/v1/group_categories/1/import", "teacher-token",
     {"data": b"x", "headers": {"Content-Type": "multipart/form-data; boundary="}}),
    ("multipart-wrong-boundary-import", "POST", "/api/v1/group_categories/1/import", "teacher-token",
     {"data": multipart("extension")[0], "headers": {"Content-Type": "multipart/form-data; boundary=Z"}}),
    ("multipart-no-boundary-write", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": b"name=x", "headers": {"Content-Type": "multipart/form-data"}}),
    ("multipart-no-boundary-create", "POST", "/api/v1/courses/1/group_categories", "teacher-token",
     {"data": b"x", "headers": {"Content-Type": "multipart/form-data"}}),
    ("multipart-invalid-utf8-value", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xff\xfe\r\n--B--\r\n',
      "headers": {"Content-Type": "multipart/form-data; boundary=B"}}),
    ("multipart-surrogate-file-name", "POST", "/api/v1/group_categories/1/import", "teacher-token",
     {"data": b'--B\r\nContent-Disposition: form-data; name="attachment"; filename="g\xff.csv"\r\n'
              b'Content-Type: text/csv\r\n\r\ncanvas_user_id,group_name\n15,A\n\r\n--B--\r\n',
      "headers": {"Content-Type": "multipart/form-data; boundary=B"}}),
    ("form-unknown-charset", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": b"name=x", "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=bogus"}}),
    ("json-surrogate", "PUT", "/api/v1/groups/1", "teacher-token", {"data": b'{"name":"\\ud800x"}', "headers": JSON}),
    ("query-invalid-utf8", "GET", "/api/v1/courses/1/groups", "teacher-token",
     {"params": {"search_term": "ab"}, "headers": {}}),  # replaced below: yarl would re-encode it
    ("keys-too-deep", "GET", "/api/v1/courses/1/groups?" + "a" + "%5Bb%5D" * 40 + "=1", "teacher-token", {}),
    ("bookmark-nested-too-deep", "GET", "/api/v1/users/self/groups", "student-token",
     {"params": {"page": "bookmark:" + base64.urlsafe_b64encode(b"[" * 2000 + b"]" * 2000).decode()}}),
    ("form-too-many-fields", "PUT", "/api/v1/groups/1", "teacher-token",
     {"data": "&".join(f"f{i}=1" for i in range(5000)).encode(), "headers": FORM}),
    ("preview-html-data-url", "POST", "/api/v1/groups/1/preview_html", "teacher-token",
     _form(html='<img src="data:image/png;base64,AAAA" style="position:fixed;behavior:url(x)">')),
]
BODY_CASES = [c for c in BODY_CASES if c[0] != "query-invalid-utf8"] + [
    ("query-invalid-utf8", "GET", "/api/v1/courses/1/groups?search_term=%FFab", "teacher-token", {}),
]
CASES += BIG_CASES + BODY_CASES


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


BAD_REQUEST = {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}
NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}


@pytest.mark.parametrize("case,status,body", [
    ("big-path-group-id", 404, NOT_FOUND),
    ("big-path-sis-short-global", 404, NOT_FOUND),
    ("big-page", 404, {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}),
    ("big-as-user-id", 401, {"errors": "Invalid as_user_id"}),
    ("big-membership-user-id", 404, NOT_FOUND),
    ("big-leader-id", 400, {}),
    ("multipart-no-boundary-import", 400, BAD_REQUEST),
    ("multipart-empty-boundary-import", 400, BAD_REQUEST),
    ("multipart-wrong-boundary-import", 400, BAD_REQUEST),
    ("multipart-no-boundary-write", 400, BAD_REQUEST),
    ("multipart-invalid-utf8-value", 400, BAD_REQUEST),
    ("multipart-surrogate-file-name", 400, BAD_REQUEST),
    ("form-unknown-charset", 400, BAD_REQUEST),
    ("json-surrogate", 400, BAD_REQUEST),
    ("query-invalid-utf8", 400, BAD_REQUEST),
    ("keys-too-deep", 400, BAD_REQUEST),
    ("form-too-many-fields", 400, BAD_REQUEST),
])
def test_the_answer_to_each_hostile_input(canvas_store, case, status, body):
    _, method, path, token, kw = next(c for c in CASES if c[0] == case)
    before = (canvas_store.version, canvas_store.live_events.position)
    c = Checker(canvas_store)
    try:
        got, _, text = c.raw(method, path, token=token, **kw)
        assert (got, json.loads(text)) == (status, body)
        assert (canvas_store.version, canvas_store.live_events.position) == before  # nothing changed
    finally:
        c.problems.clear()
        c.close()


def test_huge_numbers_where_a_number_is_a_size_or_a_position(canvas_store):
    """per_page is clamped; a control-plane ``after`` past every event finds none; a huge limit is
    a very large limit (coerce.HUGE), not a 500."""
    from mockcanvas.coerce import HUGE

    c = Checker(canvas_store)
    try:
        r = c.call("GET", f"/api/v1/courses/1/groups?per_page={BIG}")
        assert "per_page=100" in r.headers["Link"]
        r = c.call("GET", f"/__mockcanvas__/live_events?after={BIG}", token=None)
        assert r.json()["count"] == 0
        r = c.call("PUT", "/api/v1/groups/1", form={"max_membership": BIG})
        assert r.json()["max_membership"] == HUGE
        r = c.call("POST", "/api/v1/courses/1/group_categories", form={"name": "Huge", "group_limit": BIG})
        assert r.json()["group_limit"] == HUGE
    finally:
        c.close()


@pytest.mark.parametrize("name", ["Bad\r\nSet-Cookie: x=1", "Nul\x00name", 'Quote"d/../..\\x', "caf\u00e9 \u65e5"],
                         ids=["crlf", "nul", "quote-and-path", "non-ascii"])
def test_names_with_control_characters_keep_the_connection(canvas_store, name):
    """The CSV export and the file download: Rails' Content-Disposition (quoted, percent-escaped,
    filename*), not a dropped connection after a 200 was journaled."""
    cat = canvas_store.insert("group_categories", name=name, context_type="Course", context_id=1,
                              root_account_id=1)
    att = canvas_store.insert("attachments", context_type="Group", context_id=1, user_id=15, display_name=name,
                              filename="f.txt", content_type="text/plain", size=2, uuid="v" * 40, data=b"hi",
                              file_state="available", workflow_state="processed")
    c = Checker(canvas_store)
    try:
        for path, token in ((f"/api/v1/group_categories/{cat.id}/export", "teacher-token"),
                            (f"/files/{att.id}/download?verifier={'v' * 40}", None)):
            try:
                status, headers, _ = c.raw("GET", path, token=token)
            except Exception as exc:  # noqa: BLE001 - the server dropped the connection
                pytest.fail(f"GET {path}: no answer ({type(exc).__name__}: {exc})")
            assert status == 200
            value = headers["Content-Disposition"]
            assert value.startswith('attachment; filename="') and "; filename*=UTF-8''" in value
            assert all(32 <= ord(ch) < 127 for ch in value), value
            fallback = value.split('filename="', 1)[1].split('"', 1)[0]
            assert "/" not in fallback and "\\" not in fallback and "%0D" not in fallback and "%00" not in fallback
        assert not c.problems, c.problems
    finally:
        c.close()


def test_header_bytes_that_are_not_utf8_do_not_poison_the_live_events():
    """aiohttp decodes header bytes with surrogateescape; a User-Agent of such bytes went into the
    event's metadata, and every read of the live events answered 500 afterwards."""
    import socket
    from urllib.parse import urlsplit

    import requests

    from mockcanvas import load_world
    from mockcanvas.server import CanvasServer

    server = CanvasServer(load_world()).start()
    try:
        url = urlsplit(server.url)
        body = b'{"name":"Renamed"}'
        raw = (b"PUT /api/v1/groups/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer teacher-token\r\n"
               b"User-Agent: agent \xff\xfe\r\nReferer: http://x/\xe9\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            sock.sendall(raw)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        r = requests.get(server.url + "/__mockcanvas__/live_events", timeout=10)
        assert r.status_code == 200, r.text
        (event,) = r.json()["events"]
        assert event["metadata"]["user_agent"] == "agent \ufffd\ufffd"
        assert event["metadata"]["referrer"] == "http://x/\ufffd"
        assert not server.problems, server.problems
    finally:
        server.stop()


def test_a_body_over_the_upload_limit_is_a_canvas_shaped_413():
    """aiohttp refuses a body over ``client_max_size`` while the parameters are read, inside the
    middleware: the answer is JSON (the limit is ``Settings.max_upload_bytes`` plus 1 MB)."""
    from dataclasses import replace

    from mockcanvas import load_world

    store = load_world()
    store.settings = replace(store.settings, max_upload_bytes=0)
    c = Checker(store)
    try:
        big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
        status, headers, text = c.raw("PUT", "/api/v1/groups/1", data=big, headers=JSON)
        assert status == 413 and headers["Content-Type"].startswith("application/json")
        assert json.loads(text) == {"errors": [{"message": "An error occurred.", "error_code": "payload_too_large"}]}
        assert store.get("groups", 1).name == "Project Group 1"
    finally:
        c.problems.clear()
        c.close()
