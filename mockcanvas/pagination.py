"""Canvas pagination, pure: ordered items in, one page and its Link header out.

Mirrors ``Api.paginate`` / ``build_links`` (lib/api.rb) and the folio gem (canvas-facts section 1):

* ``per_page`` is Ruby ``to_i`` clamped to [1, max]; default 10, max 100; never an error;
* page-number lists: ``current``, ``next`` (while pages remain), ``prev`` (page > 1), ``first``
  (always 1), ``last`` (total pages; an empty list is 1 page); a page past the end is ``[]`` with
  ``current``/``prev``/``first``/``next`` and no ``last``; page ``0``, ``-1`` or ``abc`` is a 404;
* bookmark lists (``users/self/groups``): ``page=first`` or ``page=bookmark:<token>``; no ``prev``;
  ``last`` only on the final page, equal to ``current``; an undecodable bookmark is the first page;
* links are absolute (the request's scheme and Host), keep the query-string parameters minus
  ``page``, ``per_page``, ``access_token`` and ``api_key``, serialized as Rails ``to_query`` does
  (sorted, brackets escaped), then ``page=P&per_page=N``; rels in the order current, next, prev,
  first, last, joined with a bare comma; added in priority order next, last, prev, current, first
  while the header stays under 6 KB.

The cost of a page is a slice of a sequence: O(page), whatever the size of the collection.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import quote_plus

from .coerce import DIGITS as _DIGITS
from .coerce import HUGE, bounded_digits, ruby_to_i, ruby_to_s
from .errors import InvalidPage

DROPPED = frozenset({"page", "per_page", "access_token", "api_key"})
REL_ORDER = ("current", "next", "prev", "first", "last")
REL_PRIORITY = ("next", "last", "prev", "current", "first")
LINK_BUDGET = 6 * 1024


def per_page_for(value: Any, default: int = 10, maximum: int = 100) -> int:
    """``Api.per_page_for``: the parameter (last value wins), else the default, clamped."""
    if value is None or value == "":
        n = default
    else:
        n = ruby_to_i(value)
    return max(1, min(n, maximum))


def to_query(params: dict[str, Any], namespace: str | None = None) -> str:
    """Rails ``Hash#to_query``: each key's part, sorted; arrays keep their order inside."""
    parts: list[str] = []
    for key, value in params.items():
        name = f"{namespace}[{key}]" if namespace else str(key)
        if isinstance(value, dict):
            part = to_query(value, name)
            if part:
                parts.append(part)
        elif isinstance(value, list):
            parts.append("&".join(f"{quote_plus(name + '[]')}={quote_plus(ruby_to_s(v))}" for v in value)
                         if value else f"{quote_plus(name + '[]')}=")
        else:
            parts.append(f"{quote_plus(name)}={quote_plus(ruby_to_s(value))}")
    parts.sort()
    return "&".join(parts)


@dataclass(slots=True)
class Page:
    items: list[Any]
    links: dict[str, str] = field(default_factory=dict)

    @property
    def link_header(self) -> str:
        return ",".join(f'<{self.links[rel]}>; rel="{rel}"' for rel in REL_ORDER if rel in self.links)


def _link_base(base_url: str, query: dict[str, Any]) -> str:
    kept = {k: v for k, v in query.items() if k not in DROPPED}
    q = to_query(kept)
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}{q}&" if q else f"{base_url}{sep}"


def _capped(links: dict[str, str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    size = 0
    for rel in REL_PRIORITY:
        if rel in links:
            entry = len(links[rel]) + len(rel) + 12
            if size + entry > LINK_BUDGET:
                break
            kept[rel] = links[rel]
            size += entry
    return kept


def paginate(
    items: Sequence[Any],
    *,
    base_url: str,
    query: dict[str, Any],
    page: Any = None,
    per_page: Any = None,
    default_per_page: int = 10,
    max_per_page: int = 100,
    load: Callable[[Any], Any] | None = None,
) -> Page:
    """Page-number pagination over an ordered sequence (only the page's slice is loaded)."""
    n = per_page_for(per_page, default_per_page, max_per_page)
    p = _page_number(page)
    total = len(items)
    total_pages = max(1, -(-total // n))
    start = (p - 1) * n
    chunk = items[start:start + n] if start < total else []
    loaded = [load(x) for x in chunk] if load else list(chunk)
    url = _page_url(base_url, query, n)
    links = _numbered_links(url, p)
    if p > total_pages:
        # folio: a blank page with no known total: next keeps going, no last
        links["next"] = url(p + 1)
    else:
        if p < total_pages:
            links["next"] = url(p + 1)
        links["last"] = url(total_pages)
    return Page(loaded, _capped(links))


def paginate_no_total(
    items: Iterable[Any],
    *,
    base_url: str,
    query: dict[str, Any],
    page: Any = None,
    per_page: Any = None,
    default_per_page: int = 10,
    max_per_page: int = 100,
    load: Callable[[Any], Any] | None = None,
) -> Page:
    """Page numbers without a total (``Api.paginate(..., total_entries: nil)``, folio): no ``last``
    while the total is unknown; a partial page makes it known (no ``next``, ``last`` = this page);
    a full page always gets a ``next``, even when nothing follows (that page is ``[]``); an empty
    page past the first gets only ``current``, ``prev`` and ``first`` (canvas-facts-courses-users
    section 1, the empty page's links INFERRED).

    ``items`` may be a sequence (sliced) or any iterable (the rows before the page are skipped
    lazily): a page costs its offset plus its length, never the whole collection."""
    n = per_page_for(per_page, default_per_page, max_per_page)
    p = _page_number(page)
    start = (p - 1) * n
    if isinstance(items, Sequence):
        chunk = list(items[start:start + n])
    elif start > sys.maxsize - n:  # past any collection (islice takes machine-size indexes)
        chunk = []
    else:
        chunk = list(islice(items, start, start + n))
    loaded = [load(x) for x in chunk] if load else chunk
    url = _page_url(base_url, query, n)
    links = _numbered_links(url, p)
    if len(chunk) == n:
        links["next"] = url(p + 1)
    elif chunk or p == 1:
        links["last"] = url(p)
    return Page(loaded, _capped(links))


def _page_number(page: Any) -> int:
    """The ``page`` of a page-number list: blank is 1; anything but a whole number >= 1 is a 404,
    and so is a number of more digits than ``coerce.MAX_DIGITS`` (no such page; Canvas's database
    could not take the offset either)."""
    if page is None or page == "":
        return 1
    text = str(page).strip()
    n = bounded_digits(text) if _DIGITS.match(text) else 0
    if n < 1 or n >= HUGE:
        raise InvalidPage()
    return n


def _page_url(base_url: str, query: dict[str, Any], n: int) -> Callable[[Any], str]:
    """The link to page ``P`` (a number or a bookmark token) of ``n`` items, the query kept."""
    base = _link_base(base_url, query)
    return lambda page_no: f"{base}page={page_no}&per_page={n}"


def _numbered_links(url: Callable[[Any], str], p: int) -> dict[str, str]:
    """``current`` and ``first`` of a page-number list, and ``prev`` past the first page."""
    links = {"current": url(p), "first": url(1)}
    if p > 1:
        links["prev"] = url(p - 1)
    return links


def encode_bookmark(key: Sequence[Any]) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return "bookmark:" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_bookmark(token: str) -> list[Any] | None:
    if not token.startswith("bookmark:"):
        return None
    data = token[len("bookmark:"):]
    try:
        value = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    except (ValueError, TypeError, RecursionError):  # RecursionError: nesting too deep
        return None
    return value if isinstance(value, list) else None


def paginate_bookmarked(
    items: Sequence[Any],
    key: Callable[[Any], Sequence[Any]],
    *,
    base_url: str,
    query: dict[str, Any],
    page: Any = None,
    per_page: Any = None,
    default_per_page: int = 10,
    max_per_page: int = 100,
) -> Page:
    """Bookmark pagination over items sorted by ``key`` (BookmarkedCollection): a page starts at
    the first item strictly after the bookmark."""
    def fetch(mark: list[Any] | None, n: int) -> tuple[list[Any], bool]:
        start = 0
        if mark is not None:
            after = _cmp_key(mark)
            while start < len(items) and _cmp_key(key(items[start])) <= after:
                start += 1
        return list(items[start:start + n]), start + n < len(items)

    return paginate_seek(fetch, key, key(items[0]) if items else None, base_url=base_url, query=query,
                         page=page, per_page=per_page, default_per_page=default_per_page,
                         max_per_page=max_per_page)


def _kind(v: Any) -> type | None:
    return None if isinstance(v, bool) else str if isinstance(v, str) else int if isinstance(v, int) else None


def _fits(mark: Sequence[Any], sample: Sequence[Any]) -> bool:
    """SimpleBookmarker#validate: one value per column, each of the column's type (else page 1)."""
    return len(mark) == len(sample) and all(
        _kind(m) is not None and _kind(m) is _kind(s) for m, s in zip(mark, sample))


def _cmp_key(k: Sequence[Any]) -> tuple:
    return tuple((0, v.casefold()) if isinstance(v, str) else (1, v) for v in k)


def paginate_seek(
    fetch: Callable[[list[Any] | None, int], tuple[list[Any], bool]],
    key: Callable[[Any], Sequence[Any]],
    sample: Sequence[Any] | None,
    *,
    base_url: str,
    query: dict[str, Any],
    page: Any = None,
    per_page: Any = None,
    default_per_page: int = 10,
    max_per_page: int = 100,
) -> Page:
    """Bookmark pagination (as :func:`paginate_bookmarked`) over a collection that seeks by itself:
    ``fetch(bookmark or None, n)`` gives up to ``n`` items after the bookmark and whether more
    follow, so a page costs O(page) (the enrollments index). ``sample``: a sort key of the right
    shape (None for an empty collection: any bookmark then); a bookmark of another shape is the
    first page."""
    n = per_page_for(per_page, default_per_page, max_per_page)
    token = "first" if page in (None, "", "first") else str(page)
    mark: list[Any] | None = None
    if token != "first":
        if _DIGITS.match(token):
            if bounded_digits(token) > 1:
                raise InvalidPage()
            token = "first"
        else:
            mark = decode_bookmark(token)
            if mark is None or (sample is not None and not _fits(mark, sample)):
                token, mark = "first", None
    chunk, more = fetch(mark, n)
    url = _page_url(base_url, query, n)
    links = {"current": url(token), "first": url("first")}
    if more and chunk:
        links["next"] = url(encode_bookmark(key(chunk[-1])))
    else:
        links["last"] = links["current"]
    return Page(chunk, _capped(links))
