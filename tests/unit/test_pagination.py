"""Pagination rules of lib/api.rb and folio, on the pure module."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlsplit

import pytest

from mockcanvas.errors import InvalidPage
from mockcanvas.pagination import (decode_bookmark, encode_bookmark, paginate, paginate_bookmarked,
                                   per_page_for, to_query)

BASE = "http://canvas.test/api/v1/courses/1/groups"


def page(items, **kw):
    kw.setdefault("base_url", BASE)
    kw.setdefault("query", {})
    return paginate(items, **kw)


@pytest.mark.parametrize("raw,expected", [
    (None, 10), ("", 10), ("5", 5), ("0", 1), ("-5", 1), ("abc", 1), ("1000", 100), ("12abc", 12), ("100", 100),
])
def test_per_page_is_ruby_to_i_clamped(raw, expected):
    assert per_page_for(raw) == expected


def test_link_order_and_format():
    p = page(list(range(35)), page="2", per_page="10")
    assert p.items == list(range(10, 20))
    assert p.link_header == (
        f'<{BASE}?page=2&per_page=10>; rel="current",'
        f'<{BASE}?page=3&per_page=10>; rel="next",'
        f'<{BASE}?page=1&per_page=10>; rel="prev",'
        f'<{BASE}?page=1&per_page=10>; rel="first",'
        f'<{BASE}?page=4&per_page=10>; rel="last"'
    )


def test_query_is_kept_sorted_escaped_and_access_token_dropped():
    q = {"include": ["users", "tabs"], "access_token": "x", "api_key": "k", "only_own_groups": "true",
         "page": "1", "per_page": "2"}
    p = page(list(range(5)), query=q, per_page="2")
    assert p.links["next"] == f"{BASE}?include%5B%5D=users&include%5B%5D=tabs&only_own_groups=true&page=2&per_page=2"
    assert "access_token" not in p.link_header and "api_key" not in p.link_header


def test_to_query_nested_hash_and_spaces():
    assert to_query({"b": {"y": "1 2", "x": "&"}, "a": "z"}) == "a=z&b%5Bx%5D=%26&b%5By%5D=1+2"


def test_empty_collection_is_one_page():
    p = page([])
    assert p.items == []
    assert set(p.links) == {"current", "first", "last"}
    assert p.links["last"].endswith("page=1&per_page=10")


def test_page_past_the_end_is_empty_with_no_last():
    p = page(list(range(5)), page="99")
    assert p.items == []
    assert set(p.links) == {"current", "next", "prev", "first"}
    assert p.links["current"].endswith("page=99&per_page=10")
    assert p.links["next"].endswith("page=100&per_page=10")
    assert p.links["prev"].endswith("page=98&per_page=10")


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.5"])
def test_bad_page_is_invalid(bad):
    with pytest.raises(InvalidPage):
        page([1, 2, 3], page=bad)


def test_last_page_has_no_next():
    p = page(list(range(20)), page="2")
    assert "next" not in p.links and p.links["last"].endswith("page=2&per_page=10")


@pytest.mark.parametrize("seed", range(20))
def test_walking_next_returns_every_item_once(seed):
    rng = random.Random(seed)
    items = list(range(rng.randint(0, 250)))
    per_page = rng.randint(1, 40)
    seen, url = [], f"{BASE}?page=1&per_page={per_page}"
    for _ in range(1000):
        args = dict(parse_qsl(urlsplit(url).query))
        p = page(items, page=args["page"], per_page=args["per_page"])
        seen.extend(p.items)
        if "next" not in p.links:
            break
        url = p.links["next"]
    assert seen == items


def test_slice_only_loads_the_page():
    loaded = []
    page(list(range(10_000)), page="3", per_page="5", load=lambda x: loaded.append(x) or x)
    assert loaded == [10, 11, 12, 13, 14]


def test_bookmarks_walk_and_last_only_on_final_page():
    items = [(f"group {i:03d}", i) for i in range(25)]
    key = lambda x: x  # noqa: E731
    seen, token, pages = [], None, []
    for _ in range(10):
        p = paginate_bookmarked(items, key, base_url=BASE, query={}, page=token, per_page="10")
        pages.append(p)
        seen.extend(p.items)
        if "next" not in p.links:
            break
        token = dict(parse_qsl(urlsplit(p.links["next"]).query))["page"]
        assert token.startswith("bookmark:")
    assert seen == items
    assert "prev" not in pages[0].links and "last" not in pages[0].links
    assert pages[0].links["current"].endswith("page=first&per_page=10")
    assert pages[-1].links["last"] == pages[-1].links["current"]


def test_bookmark_round_trip_and_garbage_is_first_page():
    assert decode_bookmark(encode_bookmark(["Name", 4])) == ["Name", 4]
    items = [("a", 1), ("b", 2)]
    p = paginate_bookmarked(items, lambda x: x, base_url=BASE, query={}, page="bookmark:!!!")
    assert p.items == items


def test_bookmark_numeric_page_above_one_is_invalid():
    with pytest.raises(InvalidPage):
        paginate_bookmarked([("a", 1)], lambda x: x, base_url=BASE, query={}, page="2")


@pytest.mark.parametrize("mark", [["b", None], ["b", {}], ["b"], ["b", 1, 2], [1, "b"], ["b", True], ["b", 1.5]],
                         ids=["null", "object", "short", "long", "swapped", "bool", "float"])
def test_a_bookmark_of_the_wrong_shape_is_the_first_page(mark):
    """SimpleBookmarker#validate: one value per column, each of the column's type; else page 1."""
    items = [("a", 1), ("b", 2), ("c", 3)]
    p = paginate_bookmarked(items, lambda x: x, base_url=BASE, query={}, page=encode_bookmark(mark))
    assert p.items == items
    assert p.links["current"].endswith("page=first&per_page=10")


def test_a_bookmark_of_the_right_shape_continues_after_it():
    items = [("a", 1), ("b", 2), ("c", 3)]
    p = paginate_bookmarked(items, lambda x: x, base_url=BASE, query={}, page=encode_bookmark(["b", 2]))
    assert p.items == [("c", 3)]


@pytest.mark.parametrize("page_no", ["\u00b2", "\u0663", "\uff13"], ids=["superscript", "arabic-indic", "fullwidth"])
def test_a_page_number_of_non_ascii_digits_is_invalid(page_no):
    """Ruby's \\d is ASCII: Canvas answers 404 for page=٣, as for page=abc."""
    with pytest.raises(InvalidPage):
        page(list(range(50)), page=page_no)
