"""attachment_json (lib/api/v1/attachment.rb), for the group file upload."""

from __future__ import annotations

from typing import Any

from ..store.records import Attachment
from .common import ViewContext, iso


def mime_class(content_type: str) -> str:
    major = content_type.split("/", 1)[0]
    if content_type == "application/pdf":
        return "pdf"
    return {"image": "image", "video": "video", "audio": "audio", "text": "text"}.get(major, "file")


def attachment_json(vc: ViewContext, att: Attachment) -> dict[str, Any]:
    return {
        "id": att.id,
        "uuid": att.uuid,
        "folder_id": None,
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
        "visibility_level": "inherit",
    }
