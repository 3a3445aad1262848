"""The input layer's bounds, without HTTP: bounded digits, unencodable text, strong parameters,
Content-Disposition, the preview_html sanitizer's protocol and CSS lists, and Store.atomic (the
transaction every non-GET request runs in). The same inputs over HTTP are in
tests/openapi/test_robustness.py."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

from mockcanvas import load_world
from mockcanvas.api._params import drop_non_scalars, has_surrogate, parse_pairs, scalar_paths
from mockcanvas.coerce import HUGE, MAX_DIGITS, bounded_digits, digits_int, json_int, optional_int, ruby_to_i
from mockcanvas.disposition import content_disposition
from mockcanvas.errors import BadRequest
from mockcanvas.events import JobSource, RequestSource, using_source
from mockcanvas.html import clean_style, sanitize
from mockcanvas.openapi_docs import P
from mockcanvas.openapi_schemas import ID, INT, STR, arr
from mockcanvas.pagination import paginate

LIMIT = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
BIG = "9" * (LIMIT + 1)  # int(BIG) raises ValueError


# -- numbers -------------------------------------------------------------------------------------
def test_int_refuses_the_big_string_these_casts_take():
    with pytest.raises(ValueError):
        int(BIG)
    assert digits_int(BIG) == HUGE and ruby_to_i(BIG) == HUGE and ruby_to_i("-" + BIG) == -HUGE
    assert ruby_to_i(BIG + "abc") == HUGE and optional_int(BIG) == HUGE and json_int(BIG) == HUGE


def test_bounded_digits_is_exact_up_to_the_bound():
    exact = "9" * MAX_DIGITS
    assert bounded_digits(exact) == int(exact) and bounded_digits("1" + exact) == HUGE
    assert bounded_digits("0" * 5000 + "42") == 42 and bounded_digits("-" + "0" * 5000 + "7") == -7
    assert ruby_to_i(10**5000) == HUGE and ruby_to_i(-(10**5000)) == -HUGE and ruby_to_i(1e300) == HUGE


def test_json_bodies_parse_huge_integers_with_the_bound():
    assert json.loads('{"n": %s}' % BIG, parse_int=json_int) == {"n": HUGE}


@pytest.mark.parametrize("page", [BIG, "1" + "0" * MAX_DIGITS])
def test_a_page_beyond_the_bound_is_no_page(page):
    from mockcanvas.errors import InvalidPage

    with pytest.raises(InvalidPage):
        paginate(list(range(5)), base_url="http://x/l", query={}, page=page)


def test_a_huge_per_page_is_clamped():
    page = paginate(list(range(150)), base_url="http://x/l", query={}, per_page=BIG)
    assert len(page.items) == 100


def test_a_huge_path_id_is_simply_not_found():
    from mockcanvas.errors import NotFound

    store = load_world()
    for ref in (BIG, f"{BIG}~1", f"1~{BIG}", " " + BIG, 10**5000):
        assert store.find_id(ref) is None, ref
        with pytest.raises(NotFound):
            store.find("groups", ref)


# -- text ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,found", [
    ("plain", False), ("caf\u00e9 \U0001F600", False), ("\ud800x", True), ("x\udfff", True),
    ({"a": ["b", {"c": "\udc80"}]}, True), ({"\ud83d": 1}, True), ([("k", "v")], False),
])
def test_lone_surrogates_are_found_anywhere(value, found):
    assert has_surrogate(value) is found


def test_deep_nesting_is_walked_without_recursion():
    deep: list = []
    node = deep
    for _ in range(sys.getrecursionlimit() * 2):
        node.append([])
        node = node[0]
    node.append("\ud800")
    assert has_surrogate(deep)


def test_keys_nested_deeper_than_rack_allows_are_a_bad_request():
    assert parse_pairs([("a" + "[b]" * 31, "1")])  # 31 levels: fine
    with pytest.raises(BadRequest):
        parse_pairs([("a" + "[b]" * 32, "1")])


# -- strong parameters -------------------------------------------------------------------------------
def test_scalar_paths_are_the_flat_scalar_body_parameters():
    docs = (P("name", STR), P("max_membership", {"type": ["integer", "null"]}), P("members[]", arr(ID)),
            P("leader[id]", ID), P("leader", STR), P("user_ids", STR), P("user_ids[]", arr(INT)),
            P("anything", {}), P("ref", {"anyOf": [ID, {"type": "string"}]}))
    assert scalar_paths(docs) == (("name",), ("max_membership",), ("ref",))


def test_drop_non_scalars_drops_arrays_and_hashes_only():
    params = {"name": ["a", "b"], "description": {"x": 1}, "max_membership": "5", "other": ["kept"]}
    drop_non_scalars(params, (("name",), ("description",), ("max_membership",)))
    assert params == {"max_membership": "5", "other": ["kept"]}


# -- Content-Disposition -----------------------------------------------------------------------------
@pytest.mark.parametrize("name,expected", [
    ("Project Groups.csv", "attachment; filename=\"Project Groups.csv\"; filename*=UTF-8''Project%20Groups.csv"),
    ("a\"b\r\nSet-Cookie: x\x00.csv",
     "attachment; filename=\"a%22bSet-Cookie%3A x.csv\"; filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x%00.csv"),
    ("caf\u00e9 \u65e5.txt", "attachment; filename=\"cafe %3F.txt\"; filename*=UTF-8''caf%C3%A9%20%E6%97%A5.txt"),
    ("../../etc/passwd", "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"),
    ("C:\\temp\\x.txt", "attachment; filename=\"x.txt\"; filename*=UTF-8''x.txt"),
])
def test_content_disposition_as_rails_writes_it(name, expected):
    value = content_disposition(name)
    assert value == expected
    assert all(32 <= ord(ch) < 127 for ch in value)  # one printable line, whatever the name


# -- preview_html ------------------------------------------------------------------------------------
@pytest.mark.parametrize("html,expected", [
    ('<img src="data:image/png;base64,AAAA">', "<img>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<img src="&#106;avascript:alert(1)">', "<img>"),
    ('<a href="tel:555">t</a>', '<a href="tel:555">t</a>'),
    ('<a href="skype:me">s</a>', '<a href="skype:me">s</a>'),
    ('<img src="ftp://x/y.png">', "<img>"),
    ('<video src="data:video/mp4;base64,AA"></video>', '<video src="data:video/mp4;base64,AA"></video>'),
    ('<a href="a/b:c">r</a>', '<a href="a/b:c">r</a>'),
    ('<a href="/files/1:2">r</a>', '<a href="http://h/files/1:2">r</a>'),
])
def test_preview_html_urls_follow_canvas_sanitize_protocols(html, expected):
    assert sanitize(html, "http://h") == expected


@pytest.mark.parametrize("style,expected", [
    ("color: red; position:fixed", "color: red; position: fixed"),
    ("behavior: url(x.htc); -moz-binding: url(x.xml#y)", None),
    ("background: url(javascript:alert(1)); color: blue", "color: blue"),
    ("background-image: url('https://x/y.png'); margin-left: 3px",
     "background-image: url('https://x/y.png'); margin-left: 3px"),
    ("background-image: url(data:image/png;base64,AA)", None),
    ("background-image: url(data:image/png;base64,AA); color: red", "color: red"),
    ("color: red; background: url(javascript:x", "color: red"),
    ("width: expression(alert(1)); height: 2px", "height: 2px"),
    ("width: e\\xpression(alert(1))", None),
    ("COLOR: Red", "color: Red"),
])
def test_style_keeps_canvas_sanitize_properties_and_safe_urls(style, expected):
    assert clean_style(style) == expected


def test_an_emptied_style_attribute_is_removed():
    assert sanitize('<p style="foo: bar">x</p>', "http://h") == "<p>x</p>"


# -- Store.atomic ----------------------------------------------------------------------------------
@pytest.fixture()
def store():
    s = load_world()
    s.snapshot()
    return s


def _state(store):
    return ({t: dict(rows) for t, rows in store.rows.items()}, dict(store._next_ids), store.changed_rows)


def test_an_aborted_block_changes_nothing_and_gives_its_ids_back(store):
    before = _state(store)
    group = store.get("groups", 1)
    name = group.name
    with pytest.raises(RuntimeError), store.atomic():
        store.insert("groups", name="New", context_type="Course", context_id=1, root_account_id=1,
                     group_category_id=1, workflow_state="available")
        store._update("groups", group, name="Renamed")
        raise RuntimeError("after the writes")
    assert group.name == name
    assert _state(store) == before  # rows, next ids, and nothing marked changed since the snapshot
    assert store.live_events.all() == []


def test_a_failed_inner_block_is_not_undone_twice_by_the_outer_one(store):
    group = store.get("groups", 1)
    with store.atomic():
        store._update("groups", group, name="Outer")
        with pytest.raises(RuntimeError), store.atomic():
            store._update("groups", group, name="Inner")
            raise RuntimeError
        assert group.name == "Outer"
    assert group.name == "Outer"
    assert [e.name for e in store.live_events.all()] == ["group_updated"]


def test_held_events_keep_the_source_they_were_recorded_under(store):
    request = RequestSource(http_method="POST", url="http://x/api/v1/groups/1", hostname="x", request_id="r-1")
    with using_source(request), store.atomic():
        store._update("groups", store.get("groups", 1), name="By the request")
        with using_source(JobSource(job_id=7, job_tag="course_group_import")), store.atomic():
            store._update("groups", store.get("groups", 2), name="By the job")
    by_request, by_job = store.live_events.all()
    assert by_request.metadata["request_id"] == "r-1" and "job_id" not in by_request.metadata
    assert by_job.metadata["job_id"] == "7" and "request_id" not in by_job.metadata


def test_two_tasks_interleaving_keep_their_own_transactions(store):
    """Each request is its own task (its own context): one failing after the other wrote, while
    both are inside atomic(), undoes only its own writes."""
    g1, g2 = store.get("groups", 1), store.get("groups", 2)

    async def write(group, name, fail, gate_in, gate_out):
        with store.atomic():
            store._update("groups", group, name=name)
            gate_in.set()
            await gate_out.wait()
            if fail:
                raise RuntimeError("this request fails")

    async def main():
        a_in, a_out, b_in, b_out = (asyncio.Event() for _ in range(4))
        a = asyncio.create_task(write(g1, "A", True, a_in, a_out))
        b = asyncio.create_task(write(g2, "B", False, b_in, b_out))
        await a_in.wait()
        await b_in.wait()
        a_out.set()
        b_out.set()
        return await asyncio.gather(a, b, return_exceptions=True)

    original = g1.name
    results = asyncio.run(main())
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert (g1.name, g2.name) == (original, "B")
    assert [e.body["group_name"] for e in store.live_events.all()] == ["B"]


def test_a_callback_scheduled_inside_a_block_does_not_write_into_it_later(store):
    """call_soon copies the context, open transaction included: once the block ends its events
    must not be held by it any more."""
    async def main():
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def later():
            store._update("groups", store.get("groups", 2), name="Later")
            done.set()

        with store.atomic():
            loop.call_soon(later)
        await done.wait()

    asyncio.run(main())
    assert [e.body["group_name"] for e in store.live_events.all()] == ["Later"]
