"""File upload steps 2 and 3 and reading the file back (doc/api/file_uploads.md).

``POST /files_api/{token}`` takes the multipart upload (no token, as Canvas's local storage),
answers 201 with the attachment JSON and a ``Location`` to ``create_success``;
``GET|POST /api/v1/files/:id/create_success?uuid=`` confirms; ``GET /api/v1/files/:id`` shows;
``GET /files/:id/download?verifier=`` returns the bytes kept in memory.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from ..errors import BadRequest, CanvasError, NotFound
from ..openapi_docs import P, RouteDoc
from ..openapi_schemas import BOOL, ID, INT, NULL, STR, TIME, URL, Schema, const, enum, nullable, obj
from ..responses import params_of, render
from ..views.files import attachment_json
from ._common import base_url, current_user, store_of, view_context

routes = web.RouteTableDef()


@routes.post("/files_api/{token}")
async def upload(request: web.Request) -> web.Response:
    store = store_of(request)
    try:
        if not request.content_type.startswith("multipart/"):
            raise BadRequest({"message": "file upload must be multipart/form-data"})
        data: bytes | None = None
        ctype = None
        reader = await request.multipart()
        async for part in reader:
            if part.name == "file":
                data = await part.read()
                ctype = part.headers.get("Content-Type")
        if data is None:
            raise BadRequest({"message": "No file was sent"})
        att = store.files.receive(request.match_info["token"], data, ctype)
    except CanvasError:
        raise
    except (ValueError, UnicodeDecodeError, HttpProcessingError):  # a malformed part header
        raise BadRequest({"message": "Malformed upload"})
    location = f"{base_url(request)}/api/v1/files/{att.id}/create_success?uuid={att.uuid}"
    return render(request, attachment_json(view_context(request), att), status=201,
                  headers={"Location": location})


@routes.get("/api/v1/files/{file_id}/create_success")
@routes.post("/api/v1/files/{file_id}/create_success")
async def create_success(request: web.Request) -> web.Response:
    uuid = params_of(request).get("uuid")
    att = store_of(request).files.confirm(current_user(request), request.match_info["file_id"],
                                          uuid if isinstance(uuid, str) else None)
    return render(request, attachment_json(view_context(request), att))


@routes.get("/api/v1/files/{file_id}")
async def show_file(request: web.Request) -> web.Response:
    att = store_of(request).files.show(current_user(request), request.match_info["file_id"])
    return render(request, attachment_json(view_context(request), att))


@routes.get("/files/{file_id}/download")
async def download(request: web.Request) -> web.Response:
    store = store_of(request)
    att = store.find("attachments", request.match_info["file_id"], live=False)
    if att.file_state != "available" or request.rel_url.query.get("verifier") != att.uuid or att.data is None:
        raise NotFound()
    return web.Response(body=att.data, content_type=att.content_type,
                        headers={"Content-Disposition": f'attachment; filename="{att.display_name}"'})


# -- the OpenAPI document: this area's routes and bodies (mockcanvas.openapi_docs) -------------
TAGS = {"Files": "the three-step file upload of a group and the bytes"}
_TAG = "Files"
PATH_PARAMS: dict[str, Schema] = {
    "file_id": ID,  # no SIS form
    "token": {"type": "string", "pattern": "^[0-9a-f]{40}$", "description": "the upload token of step 1"},
}
ATTACHMENT = obj(
    {"id": ID, "uuid": STR, "folder_id": NULL, "display_name": STR, "filename": STR, "upload_status": STR,
     "content-type": STR, "url": URL, "size": INT, "created_at": TIME, "updated_at": TIME,
     "unlock_at": NULL, "locked": BOOL, "hidden": BOOL, "lock_at": NULL, "hidden_for_user": BOOL,
     "thumbnail_url": nullable(URL), "modified_at": TIME, "mime_class": STR, "media_entry_id": NULL,
     "category": STR, "locked_for_user": BOOL, "visibility_level": STR},
    description="attachment_json (lib/api/v1/attachment.rb)")
UPLOAD_PREFLIGHT = obj({"upload_url": URL, "upload_params": obj({"filename": STR, "content_type": STR}),
                        "file_param": const("file")},
                       description="step 1 of the file upload (local storage flavour)")
SCHEMAS: dict[str, Schema] = {"Attachment": ATTACHMENT, "UploadPreflight": UPLOAD_PREFLIGHT}

ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {
    ("POST", "/files_api/{token}"): RouteDoc(
        "Upload a file (step 2: the bytes)", "file upload step 2 (local storage)", _TAG, "Attachment",
        body_kind="multipart", auth=False, status=201, headers=("Location",),
        errors=("message", "not_found"),
        description="multipart/form-data: the upload_params of step 1, then `file` last; no token. "
                    "Location points at create_success."),
    ("GET", "/api/v1/files/{file_id}/create_success"): RouteDoc(
        "Confirm an upload (step 3)", "FilesController#api_create_success", _TAG, "Attachment",
        query=(P("uuid", STR, "the attachment's uuid, from the Location of step 2"),),
        errors=("unauthorized", "not_found")),
    ("POST", "/api/v1/files/{file_id}/create_success"): RouteDoc(
        "Confirm an upload (step 3, POST)", "FilesController#api_create_success", _TAG, "Attachment",
        query=(P("uuid", STR),), body=(P("uuid", STR),), errors=("unauthorized", "not_found")),
    ("GET", "/api/v1/files/{file_id}"): RouteDoc(
        "Get file", "FilesController#api_show", _TAG, "Attachment", errors=("unauthorized", "not_found")),
    ("GET", "/files/{file_id}/download"): RouteDoc(
        "Download a file's bytes", "FilesController#show (download)", _TAG,
        {"type": "string", "description": "the bytes, with the file's content type"}, auth=False,
        media="*/*", headers=("Content-Disposition",),
        query=(P("verifier", STR, "the attachment's uuid", required=True), P("download_frd", enum("1"))),
        errors=("not_found",), description="The uploaded bytes with their content type."),
}
