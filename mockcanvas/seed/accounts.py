"""The accounts area of a world file: ``accounts`` (with their parent chains) and ``admins``."""

from __future__ import annotations

from .fields import DT, ID, SETTINGS, S, enum, integer, ref, req
from .loader import Item, Loader, Section

ACCOUNT_FIELDS = {
    **ID, "name": req(S), "parent": ref("accounts"), "sis_account_id": S, "integration_id": S,
    "default_time_zone": S, "default_locale": S, "default_storage_quota_mb": integer(0),
    "default_user_storage_quota_mb": integer(0), "default_group_storage_quota_mb": integer(0),
    "settings": SETTINGS, "uuid": S, "lti_guid": S, "workflow_state": enum("active", "deleted"),
    "created_at": DT, "updated_at": DT,
}
ADMIN_FIELDS = {**ID, "account": req(ref("accounts")), "user": req(ref("users")), "role": S}
_COPIED = ("sis_account_id", "integration_id", "default_time_zone", "default_locale", "default_storage_quota_mb",
           "default_user_storage_quota_mb", "default_group_storage_quota_mb", "settings", "uuid", "lti_guid",
           "workflow_state", "created_at", "updated_at")


def roots(loader: Loader) -> list[Item]:
    """The root accounts of the world, in world order (once the accounts are built)."""
    return loader.shared["accounts.roots"]


def root_account(loader: Loader, it: Item, name: str = "account") -> Item | None:
    """The root account ``it`` names in ``name``, by default the world's first root account.

    Reported: a missing account, an account that is not a root, a world without a root account.
    """
    acc = loader.resolve(it, name, "accounts")
    if acc is None and name not in it.f:
        found = roots(loader)
        acc = found[0] if found else None
        if acc is None:
            loader.err(it.file, it.at(name), "required (the world has no root account)")
    if acc is not None and acc.r["root"] is not acc:
        loader.err(it.file, it.at(name), f"{acc.label} is not a root account")
    return acc


def build_accounts(loader: Loader) -> None:
    accounts = loader.items["accounts"]
    for it in accounts:
        loader.resolve(it, "parent", "accounts")
    looped: set[int] = set()
    for it in accounts:
        seen, cur = [it], it
        while cur is not None and cur.r.get("parent") is not None:
            cur = cur.r["parent"]
            if id(cur) in looped:
                cur = None  # a loop already reported
            elif any(cur is x for x in seen):
                loader.err(it.file, it.at("parent"), "the parent chain loops")
                looped.update(id(x) for x in seen)
                cur = None
            else:
                seen.append(cur)
        it.r["root"] = cur or it  # stands in on a loop so later checks do not pile up errors
        parent = it.r.get("parent")
        it.row = {"name": it.f["name"], "parent_account_id": parent.id if parent else None,
                  "root_account_id": cur.id if cur is not None and cur is not it else None}
        loader.copy(it, *_COPIED)
        loader.claim(it, "sis_account_id", it.f.get("sis_account_id"))
        loader.claim(it, "integration_id", it.f.get("integration_id"))
    loader.shared["accounts.roots"] = [a for a in accounts if a.r["root"] is a]


def build_admins(loader: Loader) -> None:
    for it in loader.items["admins"]:
        acc, user = loader.resolve(it, "account", "accounts"), loader.resolve(it, "user", "users")
        if acc and user:
            it.row = {"account_id": acc.id, "user_id": user.id, "role": it.f.get("role", "AccountAdmin")}


SECTIONS = (
    Section("accounts", ACCOUNT_FIELDS, noun="account", table="accounts", build=build_accounts),
    Section("admins", ADMIN_FIELDS, noun="admin", table="admins", build=build_admins),
)
