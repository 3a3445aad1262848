"""Memory bounds of a long-running server (issue 13, item 6): each list that grew with traffic is
capped and counts what it lets go, and the control plane shows the counts.

* recorded problems (unknown ``/api/v1`` routes, 500s): the first ``Settings.max_problems`` are
  kept, the rest counted (``GET /__mockcanvas__/health``: ``problems``, ``problems_dropped``);
* replaced uploads: an ``overwrite`` upload lets the old file's bytes go, so the quota bounds memory;
* ``generate: count:`` in a world file: at most ``Settings.max_generate_count`` people per load,
  refused with a world-file error naming the file and the path;
* the live-event log and the journal already kept their last N: health shows what they dropped.

The live-event delivery queue is bounded too: tests/api/test_delivery_semantics.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from mockcanvas.seed import WorldError, load_world
from mockcanvas.server import format_problems
from mockcanvas.settings import Settings

from api_clients import client_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_groups_files import upload_file  # noqa: E402


@pytest.fixture(params=["app", "server"])
def fresh(request):
    """``fresh(settings)``: an API client of a new default world with these settings."""
    made = []

    def make(settings: Settings):
        store = load_world(settings=settings)
        client = client_of(request.param, store, settings, made.append)
        made.append(client.close)
        return client, store

    yield make
    for close in reversed(made):
        close()


# -- recorded problems ---------------------------------------------------------------------------

def test_unknown_routes_keep_a_bounded_problem_list(fresh):
    api, _ = fresh(Settings(max_problems=5))
    for n in range(40):
        r = api.get(f"/api/v1/no_such_route/{n}")
        assert r.status == 404
    assert len(api.problems) == 5
    assert [p["path"] for p in api.problems] == [f"/api/v1/no_such_route/{n}" for n in range(5)]
    assert api.problems.dropped == 35
    health = api.get("/__mockcanvas__/health", token=None).json()
    assert (health["problems"], health["problems_dropped"]) == (5, 35)
    text = format_problems(api.problems)
    assert text.startswith("mockcanvas recorded 40 problem(s) (the first 5 kept, 35 more counted):")
    # a reset forgets them, and the count
    assert api.post("/__mockcanvas__/reset", token=None).status == 200
    health = api.get("/__mockcanvas__/health", token=None).json()
    assert (health["problems"], health["problems_dropped"]) == (0, 0)


def test_health_shows_the_other_bounded_logs(fresh):
    api, store = fresh(Settings())
    store.requests.limit = 3
    store.live_events.limit = 2
    for name in ("A", "B", "C", "D"):
        assert api.put("/api/v1/groups/1", data={"name": name}).status == 200
    health = api.get("/__mockcanvas__/health", token=None).json()
    assert (health["requests"], health["requests_dropped"]) == (3, 1)
    assert (health["live_events"], health["live_events_dropped"]) == (2, 2)
    assert (health["problems"], health["problems_dropped"]) == (0, 0)


# -- replaced uploads ----------------------------------------------------------------------------

def held_bytes(store):
    with store.lock:
        return sum(len(a.data) for a in store.all("attachments") if a.data is not None)


def test_an_overwritten_upload_lets_its_bytes_go(api, store):
    base = held_bytes(store)
    size = 64 * 1024
    for n in range(6):
        done = upload_file(api, "same.bin", bytes([65 + n]) * size, "application/octet-stream")
    assert held_bytes(store) - base == size  # the last one only, not 6 x 64 KB
    with store.lock:
        mine = [a for a in store.all("attachments") if a.display_name == "same.bin"]
        assert [a.file_state for a in mine] == ["deleted"] * 5 + ["available"]
        assert [a.data is None for a in mine] == [True] * 5 + [False]
    r = api.get(done["url"], token="student-token")
    assert r.status == 200 and r.text == "F" * size


def test_a_renamed_upload_keeps_both(api, store):
    base = held_bytes(store)
    upload_file(api, "keep.txt", b"one")
    upload_file(api, "keep.txt", b"two", on_duplicate="rename")
    assert held_bytes(store) - base == 6


# -- generate ------------------------------------------------------------------------------------

def test_a_huge_generate_count_is_a_world_error(tmp_path):
    world = tmp_path / "huge.yaml"
    world.write_text("accounts:\n  - {key: root, name: Root}\ngenerate:\n  - prefix: student\n    count: 100000000\n")
    t0 = time.monotonic()
    with pytest.raises(WorldError) as err:
        load_world(world)
    assert time.monotonic() - t0 < 5  # refused before making anyone
    assert "huge.yaml: generate[0].count: 100000000 people would make 100000000 generated" in str(err.value)
    assert "maximum of 1000000 (Settings.max_generate_count)" in str(err.value)


def test_the_generate_cap_counts_every_entry_of_a_load(tmp_path):
    world = tmp_path / "two.yaml"
    world.write_text("accounts:\n  - {key: root, name: Root}\n"
                     "generate:\n  - {prefix: a, count: 6}\n  - {prefix: b, count: 6}\n")
    with pytest.raises(WorldError, match=r"two.yaml: generate\[1\].count: 6 people would make 12 generated"):
        load_world(world, settings=Settings(max_generate_count=10))
    store = load_world(world, settings=Settings(max_generate_count=12))
    assert len(store.rows["users"]) == 12
