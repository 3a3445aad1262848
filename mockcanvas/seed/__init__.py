"""World files: build a :class:`~mockcanvas.store.Store` from one or more YAML files.

A world file is a mapping of optional sections, each a list of mappings::

    seed: 2024
    accounts:  [{key: root, id: 1, name: Mock University}]
    users:     [{key: ada, name: Ada Admin, login_id: admin, tokens: [admin-token]}]
    generate:  [{prefix: student, count: 12, enroll: {course: c1, sections: [a, b]}}]
    terms:     [{key: fall, name: Fall 2026, start_at: 2026-08-17, end_at: 2026-12-18}]
    courses:   [{key: c1, name: Intro, account: root, term: fall}]
    sections:  [{key: a, course: c1, name: Section A}]
    ...        admins, enrollments, group_categories, groups, stream_items, tokens

Records name each other by ``key:`` (or by integer id); ids not given explicitly follow the largest
explicit id of the table across all files. Files given together form one world, in order.

Loading is all-or-nothing: every file is parsed and every reference, type, enum value and
uniqueness rule checked before the first row is inserted, and any problem raises
:class:`WorldError` naming the file and the path inside it
(``world.yaml: enrollments[4].user: no user 'bob'``). The full format is in ``docs/worlds.md``.

Each API area declares its own sections in ``mockcanvas.seed.<area>`` (``SECTIONS``: fields, table,
builder); :mod:`mockcanvas.seed.loader` holds the machinery they share and runs them in
:data:`mockcanvas.areas.AREAS` order.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Union

from ..areas import modules
from ..clock import Clock
from ..settings import Settings
from ..store import Store
from .loader import Loader, Section, WorldError, register

__all__ = ["DEFAULT_WORLD", "DEFAULT_WORLDS", "SECTIONS", "WorldError", "load_world", "world_summary"]

_DATASETS = Path(__file__).parent.parent / "datasets"
# The default world's first file: accounts, people, courses 1-2, groups (the ids the README lists).
DEFAULT_WORLD: Path = _DATASETS / "default.yaml"
# The whole default world, what ``load_world()`` loads: default.yaml, then the terms and the
# courses in them (a second file so that default.yaml's records keep their ids).
DEFAULT_WORLDS: tuple[Path, ...] = (DEFAULT_WORLD, _DATASETS / "default-terms.yaml")

# every area's sections, in AREAS order (the dependency order)
SECTIONS: tuple[Section, ...] = register(modules("seed"))

PathLike = Union[str, "os.PathLike[str]"]


def _paths(paths: PathLike | Iterable[PathLike] | None) -> list[Path]:
    if paths is None:
        return list(DEFAULT_WORLDS)
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    out = [Path(p) for p in paths]
    return out or list(DEFAULT_WORLDS)


def load_world(paths: PathLike | Iterable[PathLike] | None = None, *, store: Store | None = None,
               clock: Clock | None = None, settings: Settings | None = None) -> Store:
    """Build a world from YAML files (the built-in default world when ``paths`` is empty).

    Several files form one world, in order; a file may name records of any other file by key.
    Everything is validated before anything is inserted: on :class:`WorldError` the store (a fresh
    one, or ``store`` when given, which must be empty) is left untouched. The store is snapshotted
    at the end, so ``store.rollback()`` returns to the loaded world.
    """
    if store is not None and (store.tokens or any(store.rows[t] for t in store.rows)):
        raise ValueError("load_world(store=...): the store must be empty")
    # A load makes a few objects per row and frees none until the end: the cyclic garbage
    # collector would walk everything made so far over and over (a third of a large load) and
    # find nothing to collect. It runs again, as it was, once the world is loaded.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(_paths(paths), store, clock, settings)
    finally:
        if collecting:
            gc.enable()


def _load(paths: list[Path], store: Store | None, clock: Clock | None, settings: Settings | None) -> Store:
    loader = Loader(store.settings if store is not None else (settings or Settings()), SECTIONS)
    loader.load(paths)
    if store is None:
        store = Store(clock=clock, settings=settings, seed=loader.seeds[0] if loader.seeds else 0)
    if loader.shard_id is not None:
        store.world_shard_id = loader.shard_id
        if not store.settings.shard_id:  # an explicit --shard-id / Settings.shard_id wins
            store.settings = replace(store.settings, shard_id=loader.shard_id)
    store.recording = False  # loading a world records no live events
    try:
        loader.insert(store)
    finally:
        store.recording = True
    del loader  # before the snapshot: the items go, and the snapshot reuses their memory
    store.snapshot()
    return store


_ROLE_ORDER = (("TeacherEnrollment", "teacher"), ("TaEnrollment", "ta"), ("DesignerEnrollment", "designer"),
               ("StudentEnrollment", "student"), ("ObserverEnrollment", "observer"))


def world_summary(store: Store) -> list[dict[str, Any]]:
    """One entry per access token, for the CLI to print: token, user_id, name and a role.

    The role is the user's most privileged one: ``admin`` for an account admin, else the highest
    of their live enrollments (teacher, ta, designer, student, observer), else ``user``.
    """
    admins = {a.user_id for a in store.all("admins") if a.workflow_state != "deleted"}
    out = []
    for tok in store.tokens.values():
        user = store.get("users", tok.user_id)
        if tok.user_id in admins:
            role = "admin"
        else:
            ids = store.idx["enrollments"]["by_user"].ids(tok.user_id)
            enrollments = (store.get("enrollments", i) for i in ids)
            types = {e.type for e in enrollments if e.workflow_state in ("active", "invited")}
            role = next((name for t, name in _ROLE_ORDER if t in types), "user")
        out.append({"token": tok.token, "user_id": tok.user_id, "name": user.name if user else None,
                    "role": role})
    return out
