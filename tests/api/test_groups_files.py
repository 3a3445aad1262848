"""The group file upload over HTTP: preflight, the bytes, the confirmation, the file's JSON and its
folders (canvas-facts section 7 and Corrections 14, canvas-facts-content sections 0 and 2.9,
spec/apis/file_uploads_spec_helper.rb)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
NOT_FOUND_MESSAGE = {"message": "The specified resource does not exist."}
# attachment_json's keys in Canvas's order, as create_success answers them for a group's file
CONFIRM_KEYS = ["id", "uuid", "folder_id", "display_name", "filename", "upload_status", "content-type", "url",
                "size", "created_at", "updated_at", "unlock_at", "locked", "hidden", "lock_at", "hidden_for_user",
                "thumbnail_url", "modified_at", "mime_class", "media_entry_id", "category", "locked_for_user",
                "preview_url", "canvadoc_session_url", "crocodoc_session_url"]


def attachment_count(store):
    return len(list(store.all("attachments")))


def folders_of(store, group_id):
    return {f.full_name: f for f in store.all("folders") if f.context_type == "Group" and f.context_id == group_id}


def preflight(api, group_id=1, token="student-token", **fields):
    return api.post(f"/api/v1/groups/{group_id}/files", token=token, data=fields)


def send(api, pre, name, content, content_type="text/plain"):
    """Step 2: the upload_params, then the file."""
    return api.upload(pre["upload_url"], pre["upload_params"], name, content, content_type)


def upload_file(api, name, content, content_type="text/plain", token="student-token", **extra):
    """All three steps; returns the confirmed attachment JSON."""
    pre = preflight(api, token=token, name=name, size=len(content), content_type=content_type, **extra)
    assert pre.status == 200, pre.text
    up = send(api, pre.json(), name, content, content_type)
    assert up.status == 302, up.text
    done = api.get(up.headers["Location"], token=token)
    assert done.status == 200, done.text
    return done.json()


# -- step 1 -------------------------------------------------------------------------------------

def test_preflight_answers_the_local_storage_upload_keys(api, store):
    before = attachment_count(store)
    r = preflight(api, name="notes.txt", size=11, content_type="text/plain")
    assert r.status == 200
    body = r.json()
    assert set(body) == {"upload_url", "upload_params", "file_param"}
    assert body["file_param"] == "file"
    assert body["upload_url"] == f"{api.base_url}/files_api"  # the /files_api endpoint, no token in it
    params = body["upload_params"]
    assert set(params) == {"Filename", "key", "acl", "Policy", "Signature", "success_action_redirect",
                           "content-type"}
    assert params["acl"] == "private" and params["content-type"] == "text/plain"
    assert attachment_count(store) == before + 1  # the pending attachment
    att = max(store.all("attachments"), key=lambda a: a.id)
    assert att.file_state == "deleted" and att.workflow_state == "unattached"
    assert params["success_action_redirect"] == f"{api.base_url}/api/v1/files/{att.id}/create_success?uuid={att.uuid}"


def test_preflight_without_a_folder_files_into_unfiled_under_the_groups_root(api, store):
    assert folders_of(store, 1) == {}
    preflight(api, name="a.txt", size=1)
    folders = folders_of(store, 1)
    assert set(folders) == {"files", "files/unfiled"}
    root, unfiled = folders["files"], folders["files/unfiled"]
    assert root.parent_folder_id is None and unfiled.parent_folder_id == root.id
    att = max(store.all("attachments"), key=lambda a: a.id)
    assert att.folder_id == unfiled.id
    preflight(api, name="b.txt", size=1)  # the same folders again
    assert set(folders_of(store, 1)) == {"files", "files/unfiled"}


def test_parent_folder_path_makes_the_folders_under_the_root(api, store):
    att = upload_file(api, "plan.txt", b"plan", parent_folder_path="docs/2024")
    folders = folders_of(store, 1)
    assert att["folder_id"] == folders["files/docs/2024"].id
    assert folders["files/docs/2024"].parent_folder_id == folders["files/docs"].id
    # a first segment naming the root is dropped (Folder.assert_path); the deprecated `folder` too
    again = upload_file(api, "plan2.txt", b"x", parent_folder_path="files/docs/2024")
    old = upload_file(api, "plan3.txt", b"x", folder="docs/2024")
    assert again["folder_id"] == old["folder_id"] == att["folder_id"]
    assert len(folders_of(store, 1)) == 3  # files, files/docs, files/docs/2024


def test_parent_folder_id_of_the_group(api, store):
    first = upload_file(api, "a.txt", b"a", parent_folder_path="shared")
    att = upload_file(api, "b.txt", b"b", parent_folder_id=str(first["folder_id"]))
    assert att["folder_id"] == first["folder_id"]


@pytest.mark.parametrize("folder", ["999999", "abc"])
def test_unknown_parent_folder_id_is_404_with_a_message(api, store, folder):
    before = attachment_count(store)
    r = preflight(api, name="x.txt", size=1, parent_folder_id=folder)
    assert r.status == 404 and r.json() == NOT_FOUND_MESSAGE
    assert attachment_count(store) == before and folders_of(store, 1) == {}


def test_another_groups_folder_is_404(api, store):
    theirs = preflight(api, group_id=2, token="student2-token", name="t.txt", size=1, parent_folder_path="theirs")
    assert theirs.status == 200
    folder = folders_of(store, 2)["files/theirs"]
    r = preflight(api, name="x.txt", size=1, parent_folder_id=str(folder.id))  # from group 1
    assert r.status == 404 and r.json() == NOT_FOUND_MESSAGE


@pytest.mark.parametrize("fields,message", [
    ({"parent_folder_id": "1", "parent_folder_path": "docs"}, "Can't set folder path and folder id"),
    ({"on_duplicate": "keep_both"}, "invalid on_duplicate option"),
    ({"size": str(50 * 1024 * 1024 + 1)}, "file size exceeds quota"),
])
def test_preflight_errors(api, store, fields, message):
    before = attachment_count(store)
    r = preflight(api, **{"name": "x.txt", "size": "10", **fields})
    assert r.status == 400
    assert r.json() == {"message": message}
    assert attachment_count(store) == before


def test_quota_is_in_binary_megabytes(api, store):
    # Group#storage_quota_mb is quota / 1.megabyte (1024 * 1024 bytes): 50 MB is 52428800 bytes
    assert preflight(api, name="big.bin", size=str(50 * 1024 * 1024)).status == 200
    assert preflight(api, name="big.bin", size=str(50 * 1024 * 1024 + 1)).status == 400


def test_quota_counts_files_already_uploaded(api, store):
    store._update("groups", store.get("groups", 1), storage_quota_mb=1)
    upload_file(api, "half.bin", b"x" * (512 * 1024), "application/octet-stream")
    assert preflight(api, name="b.bin", size=str(512 * 1024)).status == 200
    r = preflight(api, name="c.bin", size=str(512 * 1024 + 1))
    assert r.status == 400 and r.json() == {"message": "file size exceeds quota"}


def test_preflight_needs_membership(api, store):
    before = attachment_count(store)
    r = preflight(api, token="student2-token", name="x.txt", size="3")  # member of group 2 only
    assert r.status == 401 and r.json() == UNAUTHORIZED
    assert "WWW-Authenticate" not in r.headers
    assert attachment_count(store) == before
    assert preflight(api, token="teacher-token", name="x.txt", size="3").status == 200


# -- step 2 -------------------------------------------------------------------------------------

def test_step_two_redirects_to_create_success_and_the_file_stays_pending(api, store):
    content = b"hello world, from a group member\n"
    pre = preflight(api, name="notes.txt", size=len(content), content_type="text/plain").json()
    up = send(api, pre, "notes.txt", content)
    assert up.status == 302
    assert up.headers["Content-Type"].startswith("text/html")
    location = up.headers["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == api.base_url
    assert parts.path.startswith("/api/v1/files/") and parts.path.endswith("/create_success")
    fid = int(parts.path.split("/")[4])
    att = store.get("attachments", fid)
    assert dict(parse_qsl(parts.query)) == {"uuid": att.uuid}
    assert location == pre["upload_params"]["success_action_redirect"]
    assert att.data == content and att.file_state == "deleted"  # still pending until step 3
    assert api.get(f"/api/v1/files/{fid}", token="student-token").status == 404


def test_step_two_refuses_a_bad_or_spent_signature_with_an_empty_400(api, store):
    pre = preflight(api, name="once.txt", size=3, content_type="text/plain").json()
    forged = {**pre["upload_params"], "Signature": "AAAA"}
    bad = send(api, {**pre, "upload_params": forged}, "once.txt", b"one")
    assert bad.status == 400 and bad.text == ""
    no_policy = {k: v for k, v in pre["upload_params"].items() if k != "Policy"}
    assert send(api, {**pre, "upload_params": no_policy}, "once.txt", b"one").status == 400
    assert send(api, pre, "once.txt", b"one").status == 302
    again = send(api, pre, "once.txt", b"two")  # the signature is spent
    assert again.status == 400 and again.text == ""
    assert max(store.all("attachments"), key=lambda a: a.id).data == b"one"


def test_upload_with_a_malformed_part_header_is_a_400_and_keeps_the_upload(api, store):
    """A control character in a part's Content-Disposition is unparseable (Rack answers 400);
    the upload's signature is not spent."""
    pre = preflight(api, name="bad.txt", size=3, content_type="text/plain").json()
    body = (b'--B\r\nContent-Disposition: form-data; name="\x18x"\r\n\r\nv\r\n'
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="bad.txt"\r\n\r\nabc\r\n--B--\r\n')
    r = api.post(pre["upload_url"], token=None, data=body,
                 headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert r.status == 400 and r.json() == {"message": "Malformed upload"}
    assert send(api, pre, "bad.txt", b"abc").status == 302


# -- step 3 and the file's JSON -----------------------------------------------------------------

def test_confirm_answers_the_file_with_its_folder_preview_and_download_urls(api, store):
    content = b"this is a test doc"
    pre = preflight(api, name="my_essay.doc", size=len(content)).json()  # no content_type: from the name
    up = send(api, pre, "my_essay.doc", content, "application/msword")
    confirmed = api.post(up.headers["Location"], token="student-token")  # the spec confirms with a POST
    assert confirmed.status == 200
    att = confirmed.json()
    stored = store.get("attachments", att["id"])
    assert list(att) == CONFIRM_KEYS  # no visibility_level: only course files have one
    assert att["folder_id"] == folders_of(store, 1)["files/unfiled"].id
    assert att["content-type"] == "application/msword" and att["mime_class"] == "doc"
    assert att["url"] == f"{api.base_url}/files/{att['id']}/download?download_frd=1&verifier={stored.uuid}"
    assert att["preview_url"] == f"{api.base_url}/groups/1/files/{att['id']}/file_preview?annotate=0"
    assert att["canvadoc_session_url"] is None and att["crocodoc_session_url"] is None
    assert att["size"] == len(content) and att["display_name"] == "my_essay.doc"
    assert stored.file_state == "available" and stored.data == content
    dl = api.get(att["url"], token=None)
    assert dl.status == 200 and dl.text.encode() == content
    shown = api.get(f"/api/v1/files/{att['id']}", token="student-token").json()
    assert list(shown) == [k for k in CONFIRM_KEYS if k != "preview_url"]


@pytest.mark.parametrize("name,content_type,mime", [
    ("notes.txt", "text/plain", "text"),
    ("page.html", "text/html", "html"),
    ("data.csv", "text/csv", "file"),
    ("slides.pdf", "application/pdf", "pdf"),
    ("pic.png", "image/png", "image"),
    ("song.mp3", "audio/mpeg", "audio"),
    ("blob.bin", "application/octet-stream", "file"),
])
def test_mime_class_by_content_type(api, name, content_type, mime):
    assert upload_file(api, name, b"x", content_type)["mime_class"] == mime


def test_confirm_refuses_a_wrong_uuid_or_a_finished_file_with_an_empty_400(api, store):
    pre = preflight(api, name="a.txt", size=3, content_type="text/plain").json()
    up = send(api, pre, "a.txt", b"abc")
    location = up.headers["Location"]
    wrong = api.get(location.split("?")[0] + "?uuid=nope", token="student-token")
    assert wrong.status == 400 and wrong.text == ""
    assert api.get(location, token="student-token").status == 200
    again = api.get(location, token="student-token")
    assert again.status == 400 and again.text == ""


def test_confirm_needs_no_token_the_uuid_is_the_secret(api, store):
    pre = preflight(api, name="a.txt", size=3, content_type="text/plain").json()
    up = send(api, pre, "a.txt", b"abc")
    # a bad token is still refused (and changes nothing)
    bad = api.get(up.headers["Location"], token="no-such-token")
    assert bad.status == 401
    # no token at all: as a client that follows the 302 (canvasapi's uploader) sends none
    anon = api.get(up.headers["Location"], token=None)
    assert anon.status == 200 and anon.json()["display_name"] == "a.txt"
    assert store.get("attachments", anon.json()["id"]).file_state == "available"


def test_confirm_by_anyone_with_the_uuid(api):
    pre = preflight(api, name="b.txt", size=3, content_type="text/plain").json()
    up = send(api, pre, "b.txt", b"abc")
    other = api.get(up.headers["Location"], token="outsider-token")
    assert other.status == 200 and other.json()["display_name"] == "b.txt"


def test_confirm_checks_the_quota_now_that_the_size_is_known(api, store):
    store._update("groups", store.get("groups", 1), storage_quota_mb=1)
    pre = preflight(api, name="big.bin", size="1").json()  # the preflight was told 1 byte
    up = send(api, pre, "big.bin", b"x" * (1024 * 1024 + 1), "application/octet-stream")
    r = api.get(up.headers["Location"], token="student-token")
    assert r.status == 400 and r.json() == {"message": "file size exceeds quota limits"}
    assert max(store.all("attachments"), key=lambda a: a.id).file_state == "deleted"


def test_on_duplicate_rename_and_overwrite(api):
    first = upload_file(api, "report.txt", b"first")
    renamed = upload_file(api, "report.txt", b"second", on_duplicate="rename")
    assert renamed["display_name"] == "report-1.txt"
    assert renamed["id"] != first["id"]
    again = upload_file(api, "report.txt", b"third", on_duplicate="rename")
    assert again["display_name"] == "report-2.txt"
    # the default, overwrite, replaces the file of the same name in the same folder
    replaced = upload_file(api, "report.txt", b"fourth")
    assert replaced["display_name"] == "report.txt"
    assert api.get(f"/api/v1/files/{first['id']}", token="student-token").status == 404
    assert api.get(f"/api/v1/files/{renamed['id']}", token="student-token").status == 200
    elsewhere = upload_file(api, "report.txt", b"fifth", parent_folder_path="other")
    assert api.get(f"/api/v1/files/{replaced['id']}", token="student-token").status == 200
    assert elsewhere["folder_id"] != replaced["folder_id"]
