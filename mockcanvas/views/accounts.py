"""account_json (lib/api/v1/account.rb)."""

from __future__ import annotations

from typing import Any

from ..store.records import Account
from .common import ViewContext, reads_sis


def account_json(vc: ViewContext, account: Account) -> dict[str, Any]:
    rights = vc.context_rights("Account", account.id)
    data: dict[str, Any] = {
        "id": account.id,
        "name": account.name,
        "workflow_state": account.workflow_state,
        "parent_account_id": account.parent_account_id,
        "root_account_id": account.root_account_id,
        "uuid": account.uuid,
        "default_storage_quota_mb": 500,
        "default_user_storage_quota_mb": 50,
        "default_group_storage_quota_mb": vc.store.settings.group_default_quota_mb,
        "default_time_zone": account.default_time_zone,
    }
    if reads_sis(rights):
        data["sis_account_id"] = account.sis_account_id
        data["integration_id"] = None
    if "manage_sis" in rights:
        data["sis_import_id"] = None
    if account.root_account_id is None:
        data["lti_guid"] = account.lti_guid or account.uuid
    return data
