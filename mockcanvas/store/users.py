"""Users (app/models/user.rb, pseudonym.rb): the table and its indexes. User operations are added
by the Users API."""

from __future__ import annotations

from . import records as r
from .base import UniqueIndex, fold

RECORDS = {"users": r.User}
SIS_FORMS = {"users": {"sis_user_id": "by_sis", "sis_login_id": "by_login", "sis_integration_id": "by_integration"}}


def INDEXES() -> dict:
    return {
        "users": {
            "by_sis": UniqueIndex(lambda u: u.sis_user_id),
            "by_login": UniqueIndex(lambda u: fold(u.login_id) or None),
            "by_email": UniqueIndex(lambda u: fold(u.email) or None),
            "by_integration": UniqueIndex(lambda u: u.integration_id),
        },
    }
