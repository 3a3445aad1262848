"""Accounts, sub-accounts and account admins (app/models/account.rb, account_user.rb): the tables
and indexes. Account operations are added by the Accounts API."""

from __future__ import annotations

from . import records as r
from .base import SortedIndex, UniqueIndex

RECORDS = {"accounts": r.Account, "admins": r.AccountAdmin}
SIS_FORMS = {"accounts": {"sis_account_id": "by_sis"}}


def INDEXES() -> dict:
    return {
        "accounts": {
            "by_sis": UniqueIndex(lambda a: a.sis_account_id),
            "by_parent": SortedIndex(lambda a: a.parent_account_id, lambda a: (a.id,)),
        },
        "admins": {
            "by_user": SortedIndex(lambda a: a.user_id, lambda a: (a.id,)),
        },
    }
