"""Rails-style parameter parsing and Canvas's casts."""

from __future__ import annotations

import pytest

from mockcanvas.api._params import as_list, parse_pairs
from mockcanvas.coerce import digits_int, optional_int, ruby_to_i, to_bool


def test_lists_hashes_and_last_wins():
    got = parse_pairs([("include[]", "users"), ("include[]", "tabs"), ("leader[id]", "5"),
                       ("per_page", "2"), ("per_page", "100"), ("a[b][]", "1"), ("a[b][]", "2")])
    assert got == {"include": ["users", "tabs"], "leader": {"id": "5"}, "per_page": "100",
                   "a": {"b": ["1", "2"]}}


def test_scalar_then_list_key_does_not_crash():
    assert parse_pairs([("x", "1"), ("x[]", "2")]) == {"x": ["2"]}
    assert parse_pairs([("x[y]", "1"), ("x", "2")]) == {"x": "2"}


@pytest.mark.parametrize("raw,expected", [
    ("true", True), ("1", True), ("yes", True), ("on", True), ("T", True),
    ("false", False), ("0", False), ("no", False), ("off", False), ("bogus", None), (None, None),
])
def test_value_to_boolean(raw, expected):
    assert to_bool(raw) is expected


def test_ruby_to_i_and_optional_int():
    assert ruby_to_i("12abc") == 12 and ruby_to_i("abc") == 0 and ruby_to_i(" -3") == -3
    assert optional_int("") is None and optional_int(None) is None and optional_int("7") == 7


def test_as_list():
    assert as_list(None) == [] and as_list("a") == ["a"] and as_list(["a"]) == ["a"]


def test_non_ascii_digits_are_not_digits_to_canvas():
    """Ruby's \\d and String#to_i take ASCII digits only."""
    assert ruby_to_i("\u0663") == 0 and ruby_to_i("\u00b2") == 0 and ruby_to_i("\uff13") == 0
    assert ruby_to_i("12\u0663") == 12
    assert digits_int("15") == 15 and digits_int("007") == 7
    for value in ("\u00b2", "\u0663", "1\u0663", "", " 1", "-1", "1.0", None, 15):
        assert digits_int(value) is None, value
