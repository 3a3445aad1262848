"""The group categories area of a world file: ``group_categories`` of a course or an account."""

from __future__ import annotations

from ..store import records as r
from .fields import DT, ID, B, S, enum, integer, ref, req
from .loader import Loader, Section

CATEGORY_FIELDS = {
    **ID, "name": req(S), "course": ref("courses"), "account": ref("accounts"), "role": enum(*r.CATEGORY_ROLES),
    "self_signup": enum(None, "enabled", "restricted"), "group_limit": integer(2),
    "auto_leader": enum(None, "first", "random"), "sis_group_category_id": S, "non_collaborative": B,
    "created_at": DT,
}


def build_categories(loader: Loader) -> None:
    for it in loader.items["group_categories"]:
        if ("course" in it.f) == ("account" in it.f):
            loader.err(it.file, it.path, "needs exactly one of course, account")
            continue
        if "course" in it.f:
            ctx = loader.resolve(it, "course", "courses")
            ctype, root = "Course", ctx.row.get("root_account_id") if ctx else None
        else:
            ctx = loader.resolve(it, "account", "accounts")
            ctype, root = "Account", ctx.r["root"].id if ctx else None
        if ctx is None or root is None:
            continue
        it.row = {"name": it.f["name"], "context_type": ctype, "context_id": ctx.id, "root_account_id": root}
        loader.copy(it, "role", "self_signup", "group_limit", "auto_leader", "sis_group_category_id",
                    "non_collaborative", "created_at")
        it.r["context"] = ctx
        loader.claim(it, "sis_group_category_id", it.f.get("sis_group_category_id"))


SECTIONS = (Section("group_categories", CATEGORY_FIELDS, noun="group category", table="group_categories",
                    build=build_categories),)
