"""``paginate_no_total``: page numbers without a total (``Api.paginate(..., total_entries: nil)``)."""

from __future__ import annotations

import pytest

from mockcanvas.errors import InvalidPage
from mockcanvas.pagination import paginate, paginate_no_total

BASE = "https://canvas.test/api/v1/courses/1/users"


def page(items, p=None, n=3, query=None):
    return paginate_no_total(items, base_url=BASE, query=query or {}, page=p, per_page=n)


def url(p, n=3):
    return f"{BASE}?page={p}&per_page={n}"


def test_a_full_first_page_links_next_and_no_last():
    pg = page(list(range(10)))
    assert pg.items == [0, 1, 2]
    assert pg.links == {"current": url(1), "next": url(2), "first": url(1)}


def test_a_partial_page_makes_the_total_known():
    pg = page(list(range(10)), p=4)
    assert pg.items == [9]
    assert pg.links == {"current": url(4), "prev": url(3), "first": url(1), "last": url(4)}


def test_an_exactly_full_last_page_still_links_next():
    pg = page(list(range(6)), p=2)
    assert pg.items == [3, 4, 5] and pg.links["next"] == url(3) and "last" not in pg.links
    empty = page(list(range(6)), p=3)
    assert empty.items == [] and empty.links == {"current": url(3), "prev": url(2), "first": url(1)}


def test_an_empty_collection_is_one_known_page():
    assert page([]).links == {"current": url(1), "first": url(1), "last": url(1)}


def test_iterables_are_consumed_lazily():
    seen = []

    def rows():
        for i in range(1_000_000):
            seen.append(i)
            yield i

    pg = page(rows(), p=2)
    assert pg.items == [3, 4, 5] and len(seen) == 6  # only what the page needs


def test_huge_pages_and_bad_pages():
    assert page(iter(range(5)), p=str(2**70)).items == []
    for bad in ("0", "-1", "abc", "\u00b2"):
        with pytest.raises(InvalidPage):
            page([1], p=bad)


def test_query_is_kept_and_the_header_has_no_last():
    pg = page(list(range(5)), query={"include": ["email"], "access_token": "x"})
    assert pg.link_header == (f'<{BASE}?include%5B%5D=email&page=1&per_page=3>; rel="current",'
                              f'<{BASE}?include%5B%5D=email&page=2&per_page=3>; rel="next",'
                              f'<{BASE}?include%5B%5D=email&page=1&per_page=3>; rel="first"')


def test_the_counted_variant_is_unchanged():
    pg = paginate(list(range(10)), base_url=BASE, query={}, page=1, per_page=3)
    assert pg.links["last"] == url(4)
