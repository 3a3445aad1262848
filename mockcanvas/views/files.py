"""attachment_json (lib/api/v1/attachment.rb), for the group file upload.

Keys in Canvas's order (canvas-facts-content section 2.1); ``visibility_level`` only for course
files (``Attachment#supports_visibility?``), so never for a group's; show and ``create_success`` add
``canvadoc_session_url`` and ``crocodoc_session_url`` (null: the mock previews nothing), and
``create_success`` the ``preview_url`` of the file's context (``context_file_file_preview_url``
with ``annotate=0``, spec/apis/file_uploads_spec_helper.rb).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..coerce import bounded_digits
from ..store.records import Attachment
from .common import ViewContext, iso

# Attachment.valid_content_types_hash (app/models/attachment.rb, 2025): content type -> mime_class
_MIME_CLASSES = {
    "text/html": "html",
    "text/plain": "text", "text": "text",
    "text/css": "code", "text/xml": "code", "application/xml": "code", "text/x-csharp": "code",
    "application/pdf": "pdf",
    "application/msword": "doc", "application/rtf": "doc", "text/rtf": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "doc",
    "application/vnd.oasis.opendocument.text": "doc", "application/vnd.apple.pages": "doc",
    "application/x-iwork-pages-sffpages": "doc",
    "application/vnd.ms-powerpoint": "ppt", "application/mspowerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt",
    "application/vnd.apple.keynote": "ppt", "application/x-iwork-keynote-sffkey": "ppt",
    "application/vnd.ms-excel": "xls", "application/excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xls",
    "application/vnd.apple.numbers": "xls", "application/x-iwork-numbers-sffnumbers": "xls",
    "application/vnd.oasis.opendocument.spreadsheet": "xls",
    "image/jpeg": "image", "image/pjpeg": "image", "image/png": "image", "image/gif": "image",
    "image/bmp": "image", "image/svg+xml": "image", "image/webp": "image",
    "image/x-icon": "image", "image/vnd.microsoft.icon": "image",
    "application/zip": "zip", "application/x-zip": "zip", "application/x-zip-compressed": "zip",
    "application/x-rar-compressed": "zip", "application/x-rar": "zip",
    "video/x-ms-wmv": "audio",
    "application/x-shockwave-flash": "flash",
}


def mime_class(content_type: str) -> str:
    ctype = content_type.split(";", 1)[0].strip().lower()
    found = _MIME_CLASSES.get(ctype)
    if found is not None:
        return found
    major = ctype.split("/", 1)[0]
    if major in ("audio", "video"):
        return major
    return "file"  # text/csv and application/octet-stream too


def attachment_json(vc: ViewContext, att: Attachment, *, doc_preview: bool = False,
                    preview_url: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": att.id,
        "uuid": att.uuid,
        "folder_id": att.folder_id,
        "display_name": att.display_name,
        "filename": att.filename,
        "upload_status": "success",
        "content-type": att.content_type,
        "url": vc.url(f"/files/{att.id}/download?download_frd=1&verifier={att.uuid}"),
        "size": att.size,
        "created_at": iso(att.created_at),
        "updated_at": iso(att.updated_at),
        "unlock_at": None,
        "locked": False,
        "hidden": False,
        "lock_at": None,
        "hidden_for_user": False,
        "thumbnail_url": vc.url(f"/images/thumbnails/{att.id}/{att.uuid}")
        if att.content_type.startswith("image/") else None,
        "modified_at": iso(att.updated_at),
        "mime_class": mime_class(att.content_type),
        "media_entry_id": None,
        "category": "uncategorized",
        "locked_for_user": False,
    }
    if att.context_type == "Course":
        data["visibility_level"] = "inherit"
    if preview_url:
        context = "courses" if att.context_type == "Course" else f"{att.context_type.lower()}s"
        data["preview_url"] = vc.url(f"/{context}/{att.context_id}/files/{att.id}/file_preview?annotate=0")
    if doc_preview:
        data["canvadoc_session_url"] = None
        data["crocodoc_session_url"] = None
    return data


# a file link of a context, as UserContent::HtmlRewriter matches it: /groups/G/files/F[/rest],
# or /files/F/download|preview (process_incoming_html_content gives it its context first)
_FILE_LINK = re.compile(r"\A/(?:(courses|groups|users|accounts)/(\d+)/)?files/(\d+)(/[^?#]*)?(?:[?#].*)?\Z")
_URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


def rewrite_file_links(html: str, base_url: str, find: Callable[[str], Attachment | None]) -> str:
    """``api_user_content``'s ``files`` handler on sanitized html: a link to a file of the context
    (``find`` gives the context's available file for an id, else None) becomes
    ``<host>/groups/G/files/F/download?verifier=<uuid>`` (``/preview`` links keep ``/preview``),
    with the file's real verifier; a stale ``verifier`` is dropped first. Links to other contexts'
    files, or to files the context does not have, are left as they are (absolute already)."""

    def one(m: re.Match) -> str:
        attr, value = m.group(1), m.group(2)
        url = value.replace("&amp;", "&")
        path = url[len(base_url):] if url.startswith(base_url + "/") else url
        link = _FILE_LINK.match(path)
        if link is None:
            return m.group(0)
        kind, _context_id, file_id, rest = link.groups()
        if kind is None and rest not in ("/download", "/preview"):
            return m.group(0)  # a bare /files/F is no file link process_incoming_html_content knows
        if kind not in (None, "groups"):
            return m.group(0)
        att = find(file_id)
        if att is None or (kind == "groups" and bounded_digits(_context_id) != att.context_id):
            return m.group(0)
        action = "preview" if (rest or "").startswith("/preview") else "download"
        new = f"{base_url}/groups/{att.context_id}/files/{att.id}/{action}?verifier={att.uuid}"
        return f'{attr}="{new}"'

    return _URL_ATTR.sub(one, html)
