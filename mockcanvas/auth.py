"""Who is calling: ``Authorization: Bearer`` or ``access_token``, as lib/authentication_methods.rb.

Every ``/api/v1`` route needs a user. No token gives Canvas's ``unauthenticated`` 401; an unknown,
expired or revoked token gives the access-token errors, all with ``WWW-Authenticate``.
"""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING

from aiohttp import web

from . import errors as E
from .keys import USER
from .store.records import User

if TYPE_CHECKING:
    from .store import Store


def token_of(request: web.Request) -> str | None:
    header = request.headers.get("Authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            value = value.strip()
            if value:
                return value
    q = request.rel_url.query.getall("access_token", [])
    if q:
        return q[-1]
    return None


def authenticate_token(request: web.Request, store: Store, token: str | None) -> User:
    """The user of ``token`` (``token_of(request)``, else the body's ``access_token``), also set as
    the request's USER; raises the 401 errors."""
    if not token:
        raise E.Unauthenticated()
    tok = store.user_for_token(token)
    if tok is None:
        raise E.InvalidToken()
    if tok.revoked:
        raise E.InvalidToken(E.MSG_REVOKED_TOKEN)
    if tok.expires_at is not None:
        expires = tok.expires_at if tok.expires_at.tzinfo else tok.expires_at.replace(tzinfo=timezone.utc)
        if expires <= store.now():
            raise E.InvalidToken(E.MSG_EXPIRED_TOKEN, expired_at=expires.strftime("%Y-%m-%dT%H:%M:%SZ"))
    user = store.get("users", tok.user_id)
    if user is None or user.workflow_state == "deleted":
        raise E.InvalidToken()
    request[USER] = user
    return user


def anonymous(handler):
    """Mark an API handler whose Canvas action asks for no user (``CoursesController#show`` reads a
    public course without one): a request without a token reaches it with no USER, and the
    handler decides (``E.Unauthenticated`` where Canvas would ask for a login). A bad token is still
    refused."""
    handler.mockcanvas_anonymous = True
    return handler


def allows_anonymous(handler) -> bool:
    return getattr(handler, "mockcanvas_anonymous", False)
