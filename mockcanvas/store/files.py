"""Group files: Canvas's three-step upload, with the bytes kept in memory.

Mirrors ``GroupsController#create_file`` and ``api_attachment_preflight`` (lib/api/v1/attachment.rb,
doc/api/file_uploads.md, canvas-facts section 7), local-storage flavour:

1. preflight creates a pending attachment (file_state deleted, workflow_state unattached) and
   answers ``upload_url`` / ``upload_params`` / ``file_param``;
2. the client POSTs the bytes (multipart, no token) to ``upload_url`` on the mock;
3. the client confirms at ``/api/v1/files/:id/create_success?uuid=...``.

Limitations: folders are paths only (no folder objects, ``folder_id`` is null); upload by ``url``
is refused (the mock reaches no network).
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import optional_int
from . import records as r
from .base import SortedIndex, UniqueIndex

if TYPE_CHECKING:
    from . import Store

MB = 1024 * 1024  # Rails 1.megabyte: Group#storage_quota_mb is quota / 1.megabyte


class FileOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def _available(self, group: r.Group) -> list[r.Attachment]:
        return [self.s.get("attachments", i) for i in self.s.idx["attachments"]["by_group"].ids(group.id)]

    def used_bytes(self, group: r.Group) -> int:
        return sum(a.size for a in self._available(group))

    def preflight(self, actor: r.User, group: r.Group, params: dict[str, Any]) -> r.Attachment:
        with self.s.lock:
            if "manage_files" not in self.s.policy.group_rights(actor, group):
                raise E.Unauthorized()
            if params.get("url"):
                raise E.BadRequest({"message": "upload by url is not supported by mockcanvas"})
            if params.get("parent_folder_id") not in (None, "") and params.get("parent_folder_path") not in (None, ""):
                raise E.BadRequest({"message": "Can't set folder path and folder id"})
            on_duplicate = params.get("on_duplicate") or "overwrite"
            if on_duplicate not in ("overwrite", "rename"):
                raise E.BadRequest({"message": "invalid on_duplicate option"})
            name = str(params.get("name") or params.get("filename") or "").strip()
            if not name:
                raise E.ParameterMissing("name")
            size = optional_int(params.get("size")) or 0
            quota = group.storage_quota_mb * MB
            if size > quota - self.used_bytes(group):
                raise E.BadRequest({"message": "file size exceeds quota"})
            content_type = params.get("content_type") or mimetypes.guess_type(name)[0] or "application/octet-stream"
            folder = str(params.get("parent_folder_path") or params.get("folder") or "").strip("/")
            display = name if on_duplicate == "overwrite" else self._free_name(group, folder, name)
            aid = self.s.next_id("attachments")
            token = self.s.make_uuid("upload", aid)
            now = self.s.now()
            att = self.s.insert(
                "attachments", id=aid, context_type="Group", context_id=group.id, user_id=actor.id,
                display_name=display, filename=name, content_type=str(content_type), size=size,
                folder_path=folder, upload_token=token, created_at=now, updated_at=now,
            )
            return att

    def _live_named(self, group: r.Group, folder: str, name: str) -> list[r.Attachment]:
        return [a for a in self._available(group) if a.folder_path == folder and a.display_name == name]

    def _free_name(self, group: r.Group, folder: str, name: str) -> str:
        stem, ext = posixpath.splitext(name)
        candidate, n = name, 0
        while self._live_named(group, folder, candidate):
            n += 1
            candidate = f"{stem}-{n}{ext}"
        return candidate

    def pending(self, token: str) -> r.Attachment:
        aid = self.s.idx["attachments"]["by_token"].get(token) if token else None
        att = self.s.get("attachments", aid) if aid is not None else None
        if att is None or att.workflow_state != "unattached":
            raise E.NotFound()
        return att

    def receive(self, token: str, data: bytes, content_type: str | None = None) -> r.Attachment:
        """Step 2: keep the bytes; an existing file of the same name is replaced (overwrite)."""
        with self.s.lock:
            att = self.pending(token)
            group = self.s.get("groups", att.context_id)
            if group is None or group.workflow_state == "deleted":
                raise E.NotFound()
            if len(data) > group.storage_quota_mb * MB - self.used_bytes(group):
                raise E.BadRequest({"message": "file size exceeds quota"})
            for old in self._live_named(group, att.folder_path, att.display_name):
                self.s._update("attachments", old, file_state="deleted", workflow_state="deleted")
            ctype = att.content_type
            if content_type and content_type != "application/octet-stream" and att.content_type == "application/octet-stream":
                ctype = content_type
            self.s._update(
                "attachments", att, data=bytes(data), size=len(data), content_type=ctype,
                file_state="available", workflow_state="processed", upload_token="", updated_at=self.s.now(),
            )
            return att

    def confirm(self, actor: r.User, ref: Any, uuid: str | None) -> r.Attachment:
        """Step 3: the uploaded attachment, for its uploader or anyone who can read its group."""
        att = self.s.find("attachments", ref, live=False)
        if att.file_state != "available" or not uuid or uuid != att.uuid:
            raise E.NotFound()
        group = self.s.get("groups", att.context_id)
        if att.user_id != actor.id and (group is None or "read" not in self.s.policy.group_rights(actor, group)):
            raise E.Unauthorized()
        return att

    def show(self, actor: r.User, ref: Any) -> r.Attachment:
        att = self.s.find("attachments", ref, live=False)
        if att.file_state != "available":
            raise E.NotFound()
        group = self.s.get("groups", att.context_id)
        if group is None or "read" not in self.s.policy.group_rights(actor, group):
            raise E.Unauthorized()
        return att


# -- the area's tables, indexes and operations (mockcanvas.store.registry) -------------------------
RECORDS = {"attachments": r.Attachment}
OPS = ("files", FileOps)


def INDEXES() -> dict:
    return {
        "attachments": {
            # a group's available files (quota, name clashes) and pending uploads by their token
            "by_group": SortedIndex(
                lambda a: a.context_id if a.context_type == "Group" and a.file_state == "available" else None,
                lambda a: (a.id,),
            ),
            "by_token": UniqueIndex(lambda a: a.upload_token or None),
        },
    }
