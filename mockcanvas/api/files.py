"""File upload steps 2 and 3 and reading the file back (doc/api/file_uploads.md,
spec/apis/file_uploads_spec_helper.rb, canvas-facts Corrections 14).

``POST /files_api`` takes the multipart upload (no token, as Canvas's local storage): the
``upload_params`` of step 1 (a signed ``Policy`` naming the attachment), then ``file`` last; it
answers a 302 to ``create_success`` (the file is still pending); a bad or spent signature is a 400
with an empty body. ``GET|POST /api/v1/files/:id/create_success?uuid=`` finishes the file and
answers its JSON (with ``preview_url`` and the doc-preview keys); a wrong uuid or a file already
finished is a 400 with an empty body. ``GET /api/v1/files/:id`` shows; ``GET
/files/:id/download?verifier=`` returns the bytes kept in memory.

``create_success`` needs no token (``auth.anonymous``): the uuid is the secret, and a client that
follows the 302 sends none (canvasapi's uploader does exactly that).
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from ..auth import anonymous
from ..disposition import content_disposition
from ..errors import BadRequest, CanvasError, NotFound
from ..openapi_docs import NO_BODY, P, RouteDoc
from ..openapi_schemas import BOOL, ID, INT, NULL, STR, TIME, URL, Schema, const, enum, nullable, obj
from ..responses import params_of, render
from ..store.files import UploadRejected
from ..views.files import attachment_json
from ._common import base_url, current_user, store_of, view_context

routes = web.RouteTableDef()


def no_body() -> web.Response:
    """Rails' ``head :bad_request``: a 400 with no body (its content type is Rails' default)."""
    return web.Response(status=400, content_type="text/html")


def success_url(request: web.Request, att_id: int, uuid: str) -> str:
    return f"{base_url(request)}/api/v1/files/{att_id}/create_success?uuid={uuid}"


@routes.post("/files_api")
async def upload(request: web.Request) -> web.Response:
    store = store_of(request)
    try:
        if not request.content_type.startswith("multipart/"):
            raise BadRequest({"message": "file upload must be multipart/form-data"})
        data: bytes | None = None
        ctype = None
        fields: dict[str, str] = {}
        reader = await request.multipart()
        async for part in reader:
            if part.name == "file":
                data = await part.read()
                ctype = part.headers.get("Content-Type")
            elif part.name:
                fields[part.name] = await part.text()
        if data is None:
            raise BadRequest({"message": "No file was sent"})
        att = store.files.receive(fields, data, ctype)
    except UploadRejected:
        return no_body()
    except CanvasError:
        raise
    except (ValueError, UnicodeDecodeError, HttpProcessingError):  # a malformed part header
        raise BadRequest({"message": "Malformed upload"})
    # Rails' redirect_to: 302 with a small HTML body
    location = success_url(request, att.id, att.uuid)
    return web.Response(status=302, headers={"Location": location}, content_type="text/html",
                        text=f'<html><body>You are being <a href="{location}">redirected</a>.</body></html>')


@routes.get("/api/v1/files/{file_id}/create_success")
@routes.post("/api/v1/files/{file_id}/create_success")
@anonymous  # FilesController#api_create_success asks for no user: the uuid is the secret
async def create_success(request: web.Request) -> web.Response:
    uuid = params_of(request).get("uuid")
    try:
        att = store_of(request).files.confirm(request.match_info["file_id"], uuid if isinstance(uuid, str) else None)
    except UploadRejected:
        return no_body()
    return render(request, attachment_json(view_context(request), att, doc_preview=True, preview_url=True))


@routes.get("/api/v1/files/{file_id}")
async def show_file(request: web.Request) -> web.Response:
    att = store_of(request).files.show(current_user(request), request.match_info["file_id"])
    return render(request, attachment_json(view_context(request), att, doc_preview=True))


@routes.get("/files/{file_id}/download")
async def download(request: web.Request) -> web.Response:
    store = store_of(request)
    att = store.find("attachments", request.match_info["file_id"], live=False)
    if att.file_state != "available" or request.rel_url.query.get("verifier") != att.uuid or att.data is None:
        raise NotFound()
    return web.Response(body=att.data, content_type=att.content_type,
                        headers={"Content-Disposition": content_disposition(att.display_name)})


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Files": "the three-step file upload of a group and the bytes"}
_TAG = "Files"
PATH_PARAMS: dict[str, Schema] = {
    "file_id": ID,  # no SIS form
}
ATTACHMENT = obj(
    {"id": ID, "uuid": STR, "folder_id": ID, "display_name": STR, "filename": STR, "upload_status": STR,
     "content-type": STR, "url": URL, "size": INT, "created_at": TIME, "updated_at": TIME,
     "unlock_at": NULL, "locked": BOOL, "hidden": BOOL, "lock_at": NULL, "hidden_for_user": BOOL,
     "thumbnail_url": nullable(URL), "modified_at": TIME,
     "mime_class": enum("html", "text", "code", "pdf", "doc", "ppt", "xls", "image", "zip", "audio", "video",
                        "flash", "file"),
     "media_entry_id": NULL, "category": STR, "locked_for_user": BOOL},
    {"visibility_level": STR,                     # course files only (never a group's)
     "preview_url": URL,                          # create_success
     "canvadoc_session_url": nullable(URL), "crocodoc_session_url": nullable(URL)},  # show, create_success
    description="attachment_json (lib/api/v1/attachment.rb)")
UPLOAD_PARAMS = obj({"Filename": STR, "key": STR, "acl": const("private"), "Policy": STR, "Signature": STR,
                     "success_action_redirect": URL, "content-type": STR},
                    description="the local storage's upload_params: send them all, then `file` last")
UPLOAD_PREFLIGHT = obj({"upload_url": URL, "upload_params": UPLOAD_PARAMS, "file_param": const("file")},
                       description="step 1 of the file upload (local storage flavour): upload_url is /files_api")
SCHEMAS: dict[str, Schema] = {"Attachment": ATTACHMENT, "UploadPreflight": UPLOAD_PREFLIGHT}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("POST", "/files_api"): RouteDoc(
        "Upload a file (step 2: the bytes)", "FilesController#api_create (local storage)", _TAG,
        {"type": "string", "description": "Rails' redirect body"}, media="text/html",
        body_kind="multipart", auth=False, status=302, headers=("Location",),
        errors=("message", "no_body"),
        description="multipart/form-data: the upload_params of step 1 (Policy and Signature name the "
                    "upload), then `file` last; no token. A 302 to create_success; the file is still "
                    "pending. A bad or spent signature is a 400 with no body."),
    ("GET", "/api/v1/files/{file_id}/create_success"): RouteDoc(
        "Confirm an upload (step 3)", "FilesController#api_create_success", _TAG, "Attachment",
        query=(P("uuid", STR, "the attachment's uuid, from the Location of step 2"),),
        errors=("message", "no_body"), auth="optional",
        description="No token needed (the uuid is the secret). Finishes the file (quota, overwrite of "
                    "same-named files) and answers it with preview_url. A wrong uuid or a finished "
                    "file is a 400 with no body."),
    ("POST", "/api/v1/files/{file_id}/create_success"): RouteDoc(
        "Confirm an upload (step 3, POST)", "FilesController#api_create_success", _TAG, "Attachment",
        query=(P("uuid", STR),), body=(P("uuid", STR),), errors=("message", "no_body"), auth="optional"),
    ("GET", "/api/v1/files/{file_id}"): RouteDoc(
        "Get file", "FilesController#api_show", _TAG, "Attachment", errors=("unauthorized", "not_found")),
    ("GET", "/files/{file_id}/download"): RouteDoc(
        "Download a file's bytes", "FilesController#show (download)", _TAG,
        {"type": "string", "description": "the bytes, with the file's content type"}, auth=False,
        media="*/*", headers=("Content-Disposition",),
        query=(P("verifier", STR, "the attachment's uuid", required=True), P("download_frd", enum("1"))),
        errors=("not_found",), description="The uploaded bytes with their content type."),
}

# the upload's refused signature or uuid (``head :bad_request``): error kind -> (status, bodies)
ERROR_KINDS = {"no_body": (400, (NO_BODY,))}
