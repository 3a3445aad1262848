"""account_json (lib/api/v1/account.rb, 2025; canvas-facts-courses-users section 7.1).

* ``api_json(only: %w[id name parent_account_id root_account_id workflow_state uuid])`` emits the
  columns in table order: id, name, workflow_state, parent_account_id, root_account_id, uuid;
  ``root_account_id`` is null on a root account.
* The read-only form (callers without ``:manage``) stops there, plus ``default_time_zone`` (the
  IANA name) and ``default_time_zone_friendly_name`` (2025: the Rails name).
* The full form adds the three quotas (inherited down the chain), the zone, then on sub-accounts
  only ``sis_account_id``, ``sis_import_id`` (manage_sis) and ``integration_id`` by the caller's
  rights on the *root* account, then ``course_template_id`` and the includes: ``lti_guid``,
  ``registration_settings`` (+ the root account's terms keys at the top level), ``services``
  (only with manage_account_settings), ``global_id``, ``course_count``, ``sub_account_count``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ..store.accounts import SERVICES
from ..store.records import Account
from ..time_zones import friendly_zone_name
from .common import ViewContext, reads_sis

ACCOUNT_INCLUDES = ("lti_guid", "registration_settings", "services", "global_id", "course_count",
                    "sub_account_count")
# the root account's registration keys (INFERRED defaults: Canvas's Settings of a bare install)
TERMS_OF_USE_URL = "https://www.instructure.com/policies/terms-of-use-un"
PRIVACY_POLICY_URL = "https://www.instructure.com/policies/product-privacy-policy"


def account_json(vc: ViewContext, account: Account, includes: Iterable[str] = (),
                 read_only: bool = False) -> dict[str, Any]:
    s = vc.store
    ops = s.accounts
    root = account.parent_account_id is None
    zone = ops.time_zone(account)
    data: dict[str, Any] = {
        "id": account.id,
        "name": account.name,
        "workflow_state": account.workflow_state,
        "parent_account_id": account.parent_account_id,
        "root_account_id": None if root else account.root_account_id,
        "uuid": account.uuid,
    }
    if read_only:
        data["default_time_zone"] = zone
        data["default_time_zone_friendly_name"] = friendly_zone_name(zone)
        return data
    includes = set(includes)
    data["default_storage_quota_mb"] = ops.storage_quota_mb(account)
    data["default_user_storage_quota_mb"] = ops.user_storage_quota_mb(account)
    data["default_group_storage_quota_mb"] = ops.group_storage_quota_mb(account)
    data["default_time_zone"] = zone
    data["default_time_zone_friendly_name"] = friendly_zone_name(zone)
    if not root:
        rights = vc.context_rights("Account", ops.root_of(account).id)
        if reads_sis(rights):
            data["sis_account_id"] = account.sis_account_id
        if "manage_sis" in rights:
            data["sis_import_id"] = None
        if reads_sis(rights):
            data["integration_id"] = account.integration_id
    if "lti_guid" in includes:
        # Account#lti_guid: the stored one, else "<uuid>.<domain>" (as the live events' metadata)
        data["lti_guid"] = account.lti_guid or f"{account.uuid}.{urlsplit(vc.base_url).hostname}"
    data["course_template_id"] = account.course_template_id
    if "registration_settings" in includes:
        settings = dict(account.settings)
        data["registration_settings"] = {"login_handle_name": settings.get("login_handle_name"),
                                         "require_email": False}
        if root:
            data["terms_required"] = True
            data["terms_of_use_url"] = TERMS_OF_USE_URL
            data["privacy_policy_url"] = PRIVACY_POLICY_URL
            data["recaptcha_key"] = False
    if "services" in includes and "manage_account_settings" in ops.rights(vc.viewer, account):
        enabled = dict(dict(account.settings).get("services", ()))
        data["services"] = {name: enabled.get(name, default) for name, default in SERVICES.items()}
    if "global_id" in includes:
        data["global_id"] = s.global_id(account.id)
    if "course_count" in includes:
        data["course_count"] = ops.course_count(account)
    if "sub_account_count" in includes:
        data["sub_account_count"] = ops.sub_account_count(account)
    return data
