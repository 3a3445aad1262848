"""The per-request fast paths give what the plain code gives: the timestamp caches of the views,
the JSON encoder of ``responses.dumps`` and the request ids of the app."""

from __future__ import annotations

import json
import json.encoder
import os
import re
import uuid
import warnings
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from mockcanvas import app as app_module
from mockcanvas import responses
from mockcanvas.responses import dumps
from mockcanvas.views import common
from mockcanvas.views.common import iso, iso_local


# -- reference implementations: the code before the caches ----------------------------------------
def ref_iso(dt):
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.astimezone(timezone.utc)
    return f"{dt.year:04d}" + dt.strftime("-%m-%dT%H:%M:%SZ")  # four-digit years, as Ruby's iso8601


def ref_iso_local(dt, time_zone):
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    local = dt.astimezone(common._zone(time_zone or "Etc/UTC")).replace(microsecond=0)
    if local.utcoffset() == timedelta(0):
        return f"{local.year:04d}" + local.strftime("-%m-%dT%H:%M:%SZ")
    return local.isoformat()


def ref_dumps(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def outcome(f, *args):
    """The value, or the type of the exception (the year-1 and year-9999 values overflow in some
    zones, in both implementations)."""
    try:
        return f(*args)
    except (OverflowError, ValueError) as e:
        return type(e)


class SubDatetime(datetime):
    pass


NEW_YORK = ZoneInfo("America/New_York")
BASE = datetime(2024, 11, 3, 5, 59, 59, 999_999)  # 00:59:59.999999 in New York, before the fold


def _instants():
    out = []
    for delta in (0, 1, 999_999, 1_000_000, 1_000_001, 3_600_000_000, 3_600_000_001):
        naive = BASE + timedelta(microseconds=delta)
        out.append(naive)
        out.append(naive.replace(tzinfo=timezone.utc))
        out.append(naive.replace(tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=5, minutes=30))))
        out.append(naive.replace(tzinfo=timezone.utc).astimezone(timezone(-timedelta(hours=7))))
        out.append(naive.replace(tzinfo=timezone.utc).astimezone(NEW_YORK))
        out.append(naive.replace(fold=1))
    # the ambiguous hour of New York: the same wall time, two instants (fold 0 and 1); they compare
    # equal to each other, so a cache keyed by value must not mix them up
    out.append(datetime(2024, 11, 3, 1, 30, tzinfo=NEW_YORK))
    out.append(datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK))
    out.append(SubDatetime(2024, 1, 1, 12, 0, 0, 500_000, tzinfo=timezone.utc))
    out.append(datetime(1, 1, 1, 0, 0, 0))
    out.append(datetime(999, 12, 31, 23, 59, 59, tzinfo=timezone.utc))
    out.append(datetime(9999, 12, 31, 23, 59, 59, 999_999))
    return out


@pytest.fixture(autouse=True)
def empty_caches():
    common._iso_cache.clear()
    common._iso_local_cache.clear()
    yield
    common._iso_cache.clear()
    common._iso_local_cache.clear()


def test_iso_is_the_plain_formula_for_every_kind_of_datetime_twice():
    values = _instants()
    for _ in range(2):  # the first round fills the cache, the second reads it
        for dt in values:
            assert outcome(iso, dt) == outcome(ref_iso, dt), repr(dt)
    assert iso(None) is None


def test_iso_across_a_second_boundary():
    t = datetime(2024, 1, 1, 12, 0, 0, 999_999, tzinfo=timezone.utc)
    assert iso(t) == "2024-01-01T12:00:00Z"
    assert iso(t + timedelta(microseconds=1)) == "2024-01-01T12:00:01Z"
    assert iso(t) == "2024-01-01T12:00:00Z"  # from the cache


def test_the_ambiguous_hour_is_not_cached_by_value():
    first = datetime(2024, 11, 3, 1, 30, tzinfo=NEW_YORK)
    second = first.replace(fold=1)
    assert first == second  # same zone, same wall time: equal, yet an hour apart
    assert iso(first) == "2024-11-03T05:30:00Z"
    assert iso(second) == "2024-11-03T06:30:00Z"
    assert iso_local(first, "Etc/UTC") == "2024-11-03T05:30:00Z"
    assert iso_local(second, "Etc/UTC") == "2024-11-03T06:30:00Z"


def test_naive_and_aware_values_of_the_same_wall_time():
    naive = datetime(2024, 3, 1, 8, 0, 0)
    aware = datetime(2024, 3, 1, 8, 0, 0, tzinfo=timezone(timedelta(hours=2)))
    assert iso(naive) == "2024-03-01T08:00:00Z"  # naive is UTC
    assert iso(aware) == "2024-03-01T06:00:00Z"
    assert iso(naive) == "2024-03-01T08:00:00Z"


@pytest.mark.parametrize("zone", [None, "Etc/UTC", "America/Denver", "Asia/Kolkata", "Europe/London",
                                  "America/New_York", "Not/AZone"])
def test_iso_local_is_the_plain_formula_twice(zone):
    values = _instants()
    for _ in range(2):
        for dt in values:
            assert outcome(iso_local, dt, zone) == outcome(ref_iso_local, dt, zone), (repr(dt), zone)
    assert iso_local(None, zone) is None


def test_a_full_cache_is_emptied_and_keeps_answering(monkeypatch):
    monkeypatch.setattr(common, "_ISO_MAX", 8)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    values = [start + timedelta(seconds=i) for i in range(30)]
    for dt in values + values:
        assert iso(dt) == ref_iso(dt)
        assert iso_local(dt, "America/Denver") == ref_iso_local(dt, "America/Denver")
    assert len(common._iso_cache) <= 8 and len(common._iso_local_cache) <= 8


# -- JSON ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [
    {"id": 1, "name": "Project <Group> & co", "n": None, "ok": True, "no": False, "x": 1.5,
     "nested": {"list": [1, "two", 3.0, None, {"deep": "é ü 漢字 😀"}], "empty": {}, "e": []}},
    [{"a": "\u2028\u2029 \x00 \x1f \" \\ /"}, -0.0, 1e300, 10**30],
    "a <script> & </script>",
    "plain",
    123,
    None,
    [],
    {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")},
    {1: "int key", 2.5: "float key", False: "bool key", None: "none key"},
])
@pytest.mark.parametrize("c_encoder", [True, False], ids=["c-encoder", "fallback"])
def test_dumps_is_json_dumps_with_the_xss_escapes(data, c_encoder, monkeypatch):
    if json.encoder.c_make_encoder is not None:  # CPython: the fast path passed its check
        assert responses._C_ENCODER
    monkeypatch.setattr(responses, "_C_ENCODER", c_encoder)
    assert dumps(data) == ref_dumps(data)


@pytest.mark.parametrize("c_encoder", [True, False], ids=["c-encoder", "fallback"])
def test_dumps_raises_what_json_dumps_raises(c_encoder, monkeypatch):
    monkeypatch.setattr(responses, "_C_ENCODER", c_encoder)
    with pytest.raises(TypeError):
        dumps({"when": datetime(2024, 1, 1)})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop)
    # a failed call leaves nothing behind: the same structure can be encoded again
    shared = {"k": 1}
    assert dumps([shared, shared]) == ref_dumps([shared, shared])


# -- request ids -----------------------------------------------------------------------------------
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_request_ids_have_uuid4s_form_and_do_not_repeat():
    ids = [app_module.new_request_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    for rid in ids[:2000]:
        assert UUID4.fullmatch(rid)
        u = uuid.UUID(rid)
        assert u.version == 4 and u.variant == uuid.RFC_4122 and str(u) == rid


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_repeat_the_parents_ids():
    read, write = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns about fork() in a threaded process; the
        warnings.simplefilter("ignore", DeprecationWarning)  # child only writes to a pipe and exits
        pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        try:
            os.write(write, app_module.new_request_id().encode())
        finally:
            os._exit(0)
    os.close(write)
    mine = app_module.new_request_id()
    with os.fdopen(read) as f:
        child = f.read()
    os.waitpid(pid, 0)
    assert UUID4.fullmatch(child) and child != mine
