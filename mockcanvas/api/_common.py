"""Helpers every handler uses: who is asking, the view context, paging a list into a response."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aiohttp import web
from yarl import URL

from ..keys import STORE, USER
from ..pagination import Page, paginate, paginate_bookmarked, paginate_no_total
from ..responses import params_of, render
from ..store import Store
from ..store.records import User
from ..views import ViewContext
from ._params import query_params, str_list


def store_of(request: web.Request) -> Store:
    return request.app[STORE]


def current_user(request: web.Request) -> User:
    return request[USER]


def base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def view_context(request: web.Request, store: Store | None = None) -> ViewContext:
    """The views' context; ``store`` is the request's store when the caller has it already."""
    try:  # request.get(USER), one call shorter
        viewer = request[USER]
    except KeyError:
        viewer = None
    return ViewContext(store=store_of(request) if store is None else store, viewer=viewer,
                       base_url=base_url(request))


def includes(params: dict[str, Any], key: str = "include") -> set[str]:
    value = params.get(key)
    return set() if value is None else set(str_list(value))  # str_list(None) is []


def resolve_user(request: web.Request, ref: str) -> User:
    """A user path id: ``self``, an integer id, ``sis_user_id:``/``sis_login_id:`` forms."""
    if ref == "self":
        return current_user(request)
    return store_of(request).find("users", ref)


def _page_args(request: web.Request, default_per_page: int, link_url: str | None = None) -> dict[str, Any]:
    """``paginate``'s arguments; ``link_url`` is the links' URL when it is not the request's."""
    params = params_of(request)
    settings = store_of(request).settings
    if link_url is None:
        # the path as sent, re-quoted (a SIS id may carry spaces, non-ASCII or control characters;
        # Canvas's URL helpers percent-encode them, and a header must be one ASCII line), without
        # the ``.json`` of a route's twin: Canvas builds links with the route helper, which has none
        # (no plain API route ends in .json: an id segment cannot, see app.ID_REGEX)
        path = URL(request.rel_url.raw_path).raw_path
        if path.endswith(".json"):
            path = path[:-5]
        link_url = base_url(request) + path
    return {
        "base_url": link_url,
        "query": query_params(request),
        "page": params.get("page"),
        "per_page": params.get("per_page"),
        "default_per_page": default_per_page or settings.per_page_default,
        "max_per_page": settings.per_page_max,
    }


def page_response(request: web.Request, page: Page, render_item: Callable[[Any], Any]) -> web.Response:
    return render(request, [render_item(x) for x in page.items], headers={"Link": page.link_header})


def paged(request: web.Request, items: Sequence[Any], render_item: Callable[[Any], Any], *,
          load: Callable[[Any], Any] | None = None, default_per_page: int = 0,
          link_url: str | None = None) -> web.Response:
    """Page-number pagination: only the page's slice is loaded and rendered. ``link_url``: the
    links' absolute URL when it is not the request's path (Canvas's route helper of the action)."""
    page = paginate(items, load=load, **_page_args(request, default_per_page, link_url))
    return page_response(request, page, render_item)


def paged_no_total(request: web.Request, items: Iterable[Any], render_item: Callable[[Any], Any], *,
                   load: Callable[[Any], Any] | None = None, default_per_page: int = 0,
                   link_url: str | None = None, per_page: Any = None, page: Any = None) -> web.Response:
    """Page numbers without a total (``total_entries: nil``): no ``last`` until a partial page.
    ``per_page`` / ``page`` replace the request's (a legacy ``limit``, a ``user_id`` jump)."""
    args = _page_args(request, default_per_page, link_url)
    if per_page is not None:
        args["per_page"] = per_page
    if page is not None:
        args["page"] = page
    return page_response(request, paginate_no_total(items, load=load, **args), render_item)


def bookmarked(request: web.Request, items: Sequence[Any], key: Callable[[Any], Sequence[Any]],
               render_item: Callable[[Any], Any], *, default_per_page: int = 0) -> web.Response:
    page = paginate_bookmarked(items, key, **_page_args(request, default_per_page))
    return page_response(request, page, render_item)
