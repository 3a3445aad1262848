"""Group files: Canvas's three-step upload, with the bytes kept in memory, and the group's folders.

Mirrors ``GroupsController#create_file`` and ``api_attachment_preflight`` (lib/api/v1/attachment.rb,
doc/api/file_uploads.md, canvas-facts section 7 and Corrections 14, canvas-facts-content sections 0
and 2.9), local-storage flavour, and ``Attachments::LocalStorage`` / ``FilesController#api_create``
and ``#api_create_success``:

1. preflight creates a pending attachment (file_state deleted, workflow_state unattached) in its
   folder and answers ``upload_url`` (``/files_api``) / ``upload_params`` (a ``Policy`` naming the
   attachment and its ``Signature``) / ``file_param``;
2. the client POSTs the bytes (multipart, no token) to ``/files_api``: a bad or spent
   Policy/Signature is a 400 with an empty body; the bytes are kept, the file is still pending, and
   the answer is a 302 to ``create_success``;
3. ``create_success?uuid=`` finishes the file: the quota is checked now that the size is known,
   an ``overwrite`` upload replaces the same-named files of its folder, and the file becomes
   available; a wrong uuid or a file already finished is a 400 with an empty body.

Folders (``Folder``): every group has a root folder ``files`` (``Folder.root_folders``), made when
first needed; a preflight without a folder puts the file in ``files/unfiled``
(``Folder.unfiled_folder``, 2025: canvas-facts-content Corrections 2, UNVERIFIED for groups against a
live Canvas); ``parent_folder_path`` makes the missing folders of the path under the root
(``Folder.assert_path``: a first segment equal to the root's name is dropped); ``parent_folder_id``
must be one of the group's active folders, else 404 ``{"message":"The specified resource does not
exist."}``.

Limitations: upload by ``url`` is refused (the mock reaches no network); ``no_redirect`` and
``success_include[]`` are not built; there is no Folders API (the folders exist for ``folder_id``
and the upload's placement only); the InstFS flavour (step 2 answering the file) is not played.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import mimetypes
import posixpath
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import optional_int
from . import records as r
from .base import SortedIndex

if TYPE_CHECKING:
    from . import Store

MB = 1024 * 1024  # Rails 1.megabyte: Group#storage_quota_mb is quota / 1.megabyte
ROOT_FOLDER_NAME = {"Group": "files", "Course": "course files", "User": "my files"}
UNFILED = "unfiled"


@dataclass(slots=True)
class Folder:
    """A folder of a context's files (app/models/folder.rb): ``full_name`` is the path from the root."""

    id: int
    context_type: str
    context_id: int
    name: str
    full_name: str
    parent_folder_id: int | None = None
    workflow_state: str = "visible"  # visible | hidden | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


class UploadRejected(Exception):
    """Step 2 or 3 refused: Canvas answers 400 with an empty body (no JSON)."""


class FileOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    def _available(self, group: r.Group) -> list[r.Attachment]:
        return [self.s.get("attachments", i) for i in self.s.idx["attachments"]["by_group"].ids(group.id)]

    def used_bytes(self, group: r.Group) -> int:
        return sum(a.size for a in self._available(group))

    # -- folders ---------------------------------------------------------------------------
    def folders(self, context_type: str, context_id: int) -> list[Folder]:
        return [self.s.get("folders", i) for i in self.s.idx["folders"]["by_context"].ids((context_type, context_id))]

    def root_folder(self, context_type: str, context_id: int) -> Folder:
        for f in self.folders(context_type, context_id):
            if f.parent_folder_id is None:
                return f
        name = ROOT_FOLDER_NAME.get(context_type, "files")
        now = self.s.now()
        return self.s.insert("folders", context_type=context_type, context_id=context_id, name=name,
                             full_name=name, created_at=now, updated_at=now)

    def _child(self, parent: Folder, name: str) -> Folder:
        for f in self.folders(parent.context_type, parent.context_id):
            if f.parent_folder_id == parent.id and f.name == name:
                return f
        now = self.s.now()
        return self.s.insert("folders", context_type=parent.context_type, context_id=parent.context_id,
                             name=name, full_name=f"{parent.full_name}/{name}", parent_folder_id=parent.id,
                             created_at=now, updated_at=now)

    def assert_path(self, context_type: str, context_id: int, path: str) -> Folder:
        """Folder.assert_path: the folder at ``path`` under the root, made with its parents when
        missing; empty segments are ignored and a first segment naming the root is dropped."""
        folder = self.root_folder(context_type, context_id)
        parts = [p for p in path.split("/") if p.strip()]
        if parts and parts[0] == folder.name:
            parts = parts[1:]
        for part in parts:
            folder = self._child(folder, part)
        return folder

    def _folder_by_id(self, group: r.Group, ref: Any) -> Folder:
        fid = self.s.find_id(str(ref))
        found = self.s.get("folders", fid) if fid is not None else None
        if (found is None or found.context_type != "Group" or found.context_id != group.id
                or found.workflow_state == "deleted"):
            raise E.NotFoundMessage()
        return found

    # -- step 1 ----------------------------------------------------------------------------
    def preflight(self, actor: r.User, group: r.Group, params: dict[str, Any]) -> r.Attachment:
        with self.s.lock:
            if "manage_files" not in self.s.policy.group_rights(actor, group):
                raise E.Unauthorized()
            if params.get("url"):
                raise E.BadRequest({"message": "upload by url is not supported by mockcanvas"})
            folder_id = params.get("parent_folder_id")
            folder_path = params.get("parent_folder_path")
            if folder_path in (None, ""):
                folder_path = params.get("folder")  # the deprecated name
            if folder_id not in (None, "") and folder_path not in (None, ""):
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
            content_type = params.get("content_type")
            if not content_type or content_type == "unknown/unknown":
                content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            with self.s.atomic():  # a folder made here goes when the preflight fails after it
                if folder_id not in (None, ""):
                    folder = self._folder_by_id(group, folder_id)
                elif folder_path not in (None, ""):
                    folder = self.assert_path("Group", group.id, str(folder_path))
                else:
                    folder = self._child(self.root_folder("Group", group.id), UNFILED)
                display = name if on_duplicate == "overwrite" else self._free_name(group, folder.id, name)
                aid = self.s.next_id("attachments")
                now = self.s.now()
                return self.s.insert(
                    "attachments", id=aid, context_type="Group", context_id=group.id, user_id=actor.id,
                    display_name=display, filename=name, content_type=str(content_type), size=size,
                    folder_path=folder.full_name, folder_id=folder.id,
                    upload_token=self.s.make_uuid("upload", aid), created_at=now, updated_at=now,
                )

    def upload_params(self, att: r.Attachment, success_url: str) -> dict[str, Any]:
        """``upload_params`` of the local storage (Attachment#ajax_upload_params): the policy names
        the attachment (``amend_policy_conditions``) and is signed with the upload's secret."""
        policy = {"expiration": None, "conditions": [{"key": self._key(att)}, {"acl": "private"},
                                                    {"success_action_redirect": success_url}],
                  "attachment_id": att.id}
        encoded = base64.b64encode(json.dumps(policy, separators=(",", ":")).encode()).decode()
        return {
            "Filename": att.display_name,
            "key": self._key(att),
            "acl": "private",
            "Policy": encoded,
            "Signature": _sign(att.upload_token, encoded),
            "success_action_redirect": success_url,
            "content-type": att.content_type,
        }

    @staticmethod
    def _key(att: r.Attachment) -> str:
        return f"{att.id}/{att.display_name}"

    def _live_named(self, group: r.Group, folder_id: int | None, name: str) -> list[r.Attachment]:
        return [a for a in self._available(group) if a.folder_id == folder_id and a.display_name == name]

    def _free_name(self, group: r.Group, folder_id: int | None, name: str) -> str:
        stem, ext = posixpath.splitext(name)
        candidate, n = name, 0
        while self._live_named(group, folder_id, candidate):
            n += 1
            candidate = f"{stem}-{n}{ext}"
        return candidate

    # -- step 2 ----------------------------------------------------------------------------
    def receive(self, fields: dict[str, str], data: bytes, content_type: str | None = None) -> r.Attachment:
        """Keep the bytes of the attachment the signed ``Policy`` names; the file stays pending
        until step 3. A missing, bad or spent signature raises UploadRejected."""
        with self.s.lock:
            att = self._signed(fields.get("Policy", ""), fields.get("Signature", ""))
            group = self.s.get("groups", att.context_id)
            if group is None or group.workflow_state == "deleted":
                raise UploadRejected()
            ctype = att.content_type
            if content_type and content_type != "application/octet-stream" and att.content_type == "application/octet-stream":
                ctype = content_type
            self.s._update("attachments", att, data=bytes(data), size=len(data), content_type=ctype,
                           upload_token="", updated_at=self.s.now())
            return att

    def _signed(self, policy: str, signature: str) -> r.Attachment:
        try:
            aid = json.loads(base64.b64decode(policy.encode(), validate=True))["attachment_id"]
        except (ValueError, KeyError, TypeError):
            raise UploadRejected() from None
        att = self.s.get("attachments", aid) if isinstance(aid, int) else None
        if att is None or not att.upload_token or att.workflow_state != "unattached":
            raise UploadRejected()
        if not hmac.compare_digest(_sign(att.upload_token, policy), signature):
            raise UploadRejected()
        return att

    # -- step 3 ----------------------------------------------------------------------------
    def confirm(self, ref: Any, uuid: str | None) -> r.Attachment:
        """``api_create_success``: the uuid is the secret (no other permission check). A wrong uuid,
        or a file not uploaded or already finished, raises UploadRejected; a file over the quota
        now that its size is known is 400 "file size exceeds quota limits". Then ``overwrite``
        replaces the same-named files of the folder and the file becomes available."""
        with self.s.lock:
            rid = self.s.find_id(ref)
            att = self.s.get("attachments", rid) if rid is not None else None
            if (att is None or not uuid or uuid != att.uuid or att.file_state != "deleted"
                    or att.workflow_state != "unattached" or att.data is None):
                raise UploadRejected()
            group = self.s.get("groups", att.context_id)
            if group is None or group.workflow_state == "deleted":
                raise UploadRejected()
            self._finish(att, group)
            return att

    def _finish(self, att: r.Attachment, group: r.Group) -> None:
        """The quota, now that the size is known; then ``overwrite`` and the file is available."""
        if att.size > group.storage_quota_mb * MB - self.used_bytes(group):
            raise E.BadRequest({"message": "file size exceeds quota limits"})
        with self.s.atomic():
            for old in self._live_named(group, att.folder_id, att.display_name):
                # the replaced file's bytes are let go (nothing serves a deleted file), so the
                # group's quota bounds the memory its files take; a rollback restores a seeded
                # file's bytes from the snapshot's copy of its row
                self.s._update("attachments", old, file_state="deleted", workflow_state="deleted", data=None)
            self.s._update("attachments", att, file_state="available", workflow_state="processed",
                           updated_at=self.s.now())

    def show(self, actor: r.User, ref: Any) -> r.Attachment:
        att = self.s.find("attachments", ref, live=False)
        if att.file_state != "available":
            raise E.NotFound()
        group = self.s.get("groups", att.context_id)
        if group is None or "read" not in self.s.policy.group_rights(actor, group):
            raise E.Unauthorized()
        return att

    def group_file(self, group: r.Group, ref: Any) -> r.Attachment | None:
        """An available file of the group (``context.attachments.find_by_id``), else None."""
        rid = self.s.find_id(ref)
        att = self.s.get("attachments", rid) if rid is not None else None
        if att is None or att.context_type != "Group" or att.context_id != group.id or att.file_state != "available":
            return None
        return att


def _sign(secret: str, policy: str) -> str:
    """LocalStorage#sign_policy: base64 of HMAC-SHA1 over the encoded policy."""
    return base64.b64encode(hmac.new(secret.encode(), policy.encode(), hashlib.sha1).digest()).decode()


# -- the area's tables, indexes and operations (mockcanvas.store.registry) -------------------------
RECORDS = {"attachments": r.Attachment, "folders": Folder}
OPS = ("files", FileOps)


def INDEXES() -> dict:
    return {
        "attachments": {
            # a group's available files (quota, name clashes)
            "by_group": SortedIndex(
                lambda a: a.context_id if a.context_type == "Group" and a.file_state == "available" else None,
                lambda a: (a.id,),
            ),
        },
        "folders": {
            "by_context": SortedIndex(
                lambda f: (f.context_type, f.context_id) if f.workflow_state != "deleted" else None,
                lambda f: (f.id,),
            ),
        },
    }
