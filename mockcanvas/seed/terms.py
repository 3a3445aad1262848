"""The terms area of a world file: ``terms`` (EnrollmentTerm), and every root account's default term.

Terms belong to root accounts. Every root account has a default term, ``Default Term`` without
dates, as in Canvas: the one the world lists with ``default: true`` for it, or else one made here,
numbered after the listed terms have their ids, with the lowest ids still free (so a world
without terms has term 1, its first root account's). A course's term defaults to its root
account's default term.
"""

from __future__ import annotations

from ..store.terms import DEFAULT_TERM_NAME
from .accounts import root_account, roots
from .fields import DT, ID, B, S, enum, keyed, ref, req
from .loader import Item, Loader, Section

# the enrollment types whose dates a term may override (EnrollmentDatesOverride)
OVERRIDE_TYPES = ("StudentEnrollment", "TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")
TERM_FIELDS = {
    **ID, "account": ref("accounts"), "name": req(S), "start_at": DT, "end_at": DT, "sis_term_id": S,
    "integration_id": S, "overrides": keyed("enrollment type", OVERRIDE_TYPES, {"start_at": DT, "end_at": DT}),
    "workflow_state": enum("active", "deleted"), "default": B, "created_at": DT, "updated_at": DT,
}
_COPIED = ("start_at", "end_at", "sis_term_id", "integration_id", "workflow_state", "created_at", "updated_at")


def _dates(loader: Loader, it: Item, where: str, dates: dict) -> None:
    start, end = dates.get("start_at"), dates.get("end_at")
    if start is not None and end is not None and end < start:
        loader.err(it.file, f"{where}.end_at", "must not be before start_at")


def build_terms(loader: Loader) -> None:
    defaults: dict[int, Item] = {}  # root account id -> its default term
    for it in loader.items["terms"]:
        root = root_account(loader, it)
        f = it.f
        _dates(loader, it, it.path, f)
        overrides = []
        given = f.get("overrides", {})
        for etype in OVERRIDE_TYPES:  # stored in this order, whatever the file's
            dates = given.get(etype)
            if dates:
                _dates(loader, it, f"{it.at('overrides')}.{etype}", dates)
                overrides.append((etype, dates.get("start_at"), dates.get("end_at")))
        if root is None or root.r["root"] is not root:
            continue  # reported
        it.r["account"] = root
        if f.get("default"):
            other = defaults.setdefault(root.id, it)
            if other is not it:
                loader.err(it.file, it.at("default"), f"{root.label} already has a default term ({other.label})")
            if f.get("workflow_state") == "deleted":
                loader.err(it.file, it.at("workflow_state"), "the default term cannot be deleted")
        it.row = {"root_account_id": root.id, "name": f["name"], "overrides": tuple(overrides),
                  "default": f.get("default", False)}
        loader.copy(it, *_COPIED)
        loader.claim(it, "sis_term_id", f.get("sis_term_id"), scope=root.id)  # unique per root account
    # every other root account gets a Default Term, with the lowest ids the listed terms left free
    taken, nxt = loader.by_id["terms"], 1
    for acc in roots(loader):
        term = defaults.get(acc.id)
        if term is None:
            while nxt in taken:
                nxt += 1
            term = Item("terms", acc.file, acc.path, {}, id=nxt,
                        row={"root_account_id": acc.id, "name": DEFAULT_TERM_NAME, "default": True})
            term.r["account"] = acc
            loader.add(term)
        acc.r["default_term"] = term


SECTIONS = (Section("terms", TERM_FIELDS, noun="term", table="terms", build=build_terms),)
