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
