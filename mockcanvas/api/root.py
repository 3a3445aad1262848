"""Canvas's front door: ``GET /`` and ``GET /login`` (and their HEADs), so that a client which
recognises a Canvas by how its root answers recognises the mock.

Implemented:

- ``GET /``: ``UsersController#user_dashboard`` (config/routes.rb: ``root to: "users#user_dashboard"``).
  Without a session, ``before_action :require_user`` (app/controllers/users_controller.rb) calls
  ``redirect_to_login`` (lib/authentication_methods.rb): for HTML it stores the location and
  ``redirect_to login_url`` (no flash message for "/"), a 302 to ``<scheme>://<host>/login``. The
  before_action halts the chain, so no after_action runs: no ``cache_buster``, no
  Content-Security-Policy, no controller/action in X-Canvas-Meta; Rack::ETag gives a non-200 answer
  ``Cache-Control: no-cache``.
- ``GET /login``: ``LoginController#new`` (app/controllers/login_controller.rb). With no auth
  discovery URL and no authentication provider but Canvas's own, it
  ``redirect_to url_for(controller: "login/canvas", action: :new)``: a 302 to
  ``<scheme>://<host>/login/canvas``. The action ran, so the after_actions did: ``cache_buster``
  (``Pragma: no-cache``, ``Cache-Control: no-store``, app/controllers/application_controller.rb
  ``set_no_cache_headers``) and ``set_response_headers`` (CSP frame-ancestors, ``o=login;n=new`` in
  X-Canvas-Meta).

The body is the one Rails' ``redirect_to`` writes. The headers every Canvas answer carries are added
by the middleware (``mockcanvas.app``, docs/canvas-http.md).

Limitations: nobody is ever signed in here (a token is ignored, as Canvas ignores access tokens
outside the API), so ``/`` always redirects; ``/login/canvas`` itself (the login form) is not
served; no session cookie is set (Canvas sets ``_normandy_session``/``log_session_id``).

Not in the router: the router is the mock's API and control plane, which the OpenAPI document,
the coverage table and the conformance checks walk; these two pages are neither, so the
middleware answers them (only when no route matched, so an API request never looks them up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from ._common import base_url

__all__ = ["PAGES", "Page"]


def _html_escape(text: str) -> str:
    """ERB::Util.unwrapped_html_escape, which Rails' redirect body uses."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _redirect(url: str, headers: dict[str, str] | None = None) -> web.Response:
    """Rails' ``redirect_to``: 302, ``Location`` and its small HTML body."""
    body = f'<html><body>You are being <a href="{_html_escape(url)}">redirected</a>.</body></html>'
    return web.Response(status=302, text=body, content_type="text/html", charset="utf-8",
                        headers={"Location": url, **(headers or {})})


def user_dashboard(request: web.Request) -> web.Response:
    """``GET /`` without a session: require_user -> redirect_to_login -> ``login_url``."""
    return _redirect(f"{base_url(request)}/login")


def login_new(request: web.Request) -> web.Response:
    """``GET /login``: LoginController#new -> ``/login/canvas``; cache_buster ran after it."""
    return _redirect(f"{base_url(request)}/login/canvas",
                     {"Pragma": "no-cache", "Cache-Control": "no-store"})


@dataclass(frozen=True, slots=True)
class Page:
    answer: Callable[[web.Request], web.Response]
    #: what store_request_meta writes to X-Canvas-Meta (controller and action), "" when it never ran
    meta: str
    #: whether ApplicationController's after_actions ran (set_response_headers: the CSP header)
    after_actions: bool


#: path -> page, answered for GET and HEAD
PAGES: dict[str, Page] = {
    "/": Page(user_dashboard, "", False),
    "/login": Page(login_new, "o=login;n=new;", True),
}
