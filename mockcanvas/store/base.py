"""Tables, indexes and rollback: the storage layer under the domain operations.

Every write goes through :meth:`Tables._insert` or :meth:`Tables._update` (or :meth:`Tables._load`,
a world's rows in bulk). They keep the indexes in step and remember which rows changed since the
last snapshot (and :meth:`Tables._update` how a row was before its first change), so a snapshot
copies nothing and :meth:`Tables.rollback` costs O(rows changed), not O(world): that is what keeps
the per-test reset in the fixture at well under a millisecond for a small world and still cheap for
a large one (moto's reset-in-place and respx's snapshot/rollback, done incrementally).

:meth:`Tables.atomic` is the transaction of one request or job (Rails wraps each in one): it keeps
how to undo each write it makes, so a block that raises is undone in O(its writes). The open
transaction is held in a context variable per store, not in an attribute: two requests served by
one event loop (each its own task and context) never share one, even if a handler awaits inside it.
A transaction is closed when its block ends, so a callback scheduled from inside it (``call_soon``
copies the context) does not write into it afterwards.
"""

from __future__ import annotations

import contextvars
import threading
from bisect import bisect_left, insort
from collections.abc import Callable, Hashable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from . import records as r

KeyFn = Callable[[Any], Hashable | None]
SortFn = Callable[[Any], tuple]


class SortedIndex:
    """bucket -> sorted list of sort keys; each sort key ends with the row id.

    Paging a bucket is a slice of a list: the cost of a page does not grow with the bucket.
    """

    __slots__ = ("key", "sort", "buckets")

    def __init__(self, key: KeyFn, sort: SortFn) -> None:
        self.key = key
        self.sort = sort
        self.buckets: dict[Hashable, list[tuple]] = {}

    def add(self, rec: Any) -> None:
        bucket = self.key(rec)
        if bucket is not None:
            insort(self.buckets.setdefault(bucket, []), self.sort(rec))

    def remove(self, rec: Any) -> None:
        bucket = self.key(rec)
        if bucket is None:
            return
        keys = self.buckets.get(bucket)
        if not keys:
            return
        sort_key = self.sort(rec)
        i = bisect_left(keys, sort_key)
        if i < len(keys) and keys[i] == sort_key:
            del keys[i]

    def keys(self, bucket: Hashable) -> list[tuple]:
        return self.buckets.get(bucket, [])

    def ids(self, bucket: Hashable) -> list[int]:
        return [k[-1] for k in self.buckets.get(bucket, ())]

    def id_view(self, bucket: Hashable) -> IdView:
        """The bucket's ids without copying them: O(1), for paging a list in O(page). Read it
        before the next write (a request reads under no await)."""
        return IdView(self.buckets.get(bucket, []))

    def clear(self) -> None:
        self.buckets.clear()


class IdView(Sequence):
    """A read-only sequence of the row ids of a sorted bucket (its keys end with the id)."""

    __slots__ = ("_keys",)

    def __init__(self, keys: list[tuple]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [k[-1] for k in self._keys[i]]
        return self._keys[i][-1]


class SetIndex:
    """bucket -> set of row ids, for the rows ``key`` puts in a bucket (None: in none). Membership
    and counts without a scan: e.g. the submitted rows of an assignment, the rows needing grading
    (store/submissions.py)."""

    __slots__ = ("key", "buckets")

    def __init__(self, key) -> None:
        self.key = key
        self.buckets: dict[Hashable, set[int]] = {}

    def add(self, rec: Any) -> None:
        b = self.key(rec)
        if b is not None:
            self.buckets.setdefault(b, set()).add(rec.id)

    def remove(self, rec: Any) -> None:
        b = self.key(rec)
        if b is not None:
            found = self.buckets.get(b)
            if found is not None:
                found.discard(rec.id)
                if not found:
                    del self.buckets[b]

    def ids(self, bucket: Hashable) -> set[int]:
        return self.buckets.get(bucket, set())

    def clear(self) -> None:
        self.buckets.clear()


class UniqueIndex:
    """key -> row id (for SIS ids, login ids, (group, user) pairs)."""

    __slots__ = ("key", "map")

    def __init__(self, key: KeyFn) -> None:
        self.key = key
        self.map: dict[Hashable, int] = {}

    def add(self, rec: Any) -> None:
        k = self.key(rec)
        if k is not None:
            self.map[k] = rec.id

    def remove(self, rec: Any) -> None:
        k = self.key(rec)
        if k is not None and self.map.get(k) == rec.id:
            del self.map[k]

    def get(self, k: Hashable) -> int | None:
        return self.map.get(k)

    def clear(self) -> None:
        self.map.clear()


def fold(s: str | None) -> str:
    """Case-folded for sorting and matching; the row's own string when it is folded already."""
    if not s:
        return ""
    folded = s.casefold()
    return s if folded == s else folded  # no copy


class WriteMemo:
    """Values derived from rows, kept until the next write (``Tables.version``): the lists and
    rights an aggregate computes again and again within one state of the world. With ``limit``,
    the memo starts afresh once it holds more than that many keys. A computed value is never None."""

    __slots__ = ("_tables", "_cache", "_version", "_limit")

    def __init__(self, tables: Tables, limit: int | None = None) -> None:
        self._tables = tables
        self._cache: dict[Hashable, Any] = {}
        self._version = -1
        self._limit = limit

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self._version != self._tables.version:
            self._cache.clear()
            self._version = self._tables.version
        found = self._cache.get(key)
        if found is None:
            if self._limit is not None and len(self._cache) > self._limit:
                self._cache.clear()
            found = self._cache[key] = compute()
        return found

    def hit(self, key: Hashable) -> Any | None:
        """The value for ``key`` if it is still valid (no write since), else None: no closure to build."""
        return self._cache.get(key) if self._version == self._tables.version else None


class Txn:
    """An open :meth:`Tables.atomic` block: how to undo each write (``undo``), the live events held
    until the outermost block commits (``events``), and whether it is still open."""

    __slots__ = ("undo", "events", "open")

    def __init__(self) -> None:
        self.undo: list[tuple] = []
        self.events: list[tuple] = []
        self.open = True


class _Atomic:
    """The context manager :meth:`Tables.atomic` returns (a class: cheaper per request than a
    generator-based one)."""

    __slots__ = ("tables", "txn", "outer", "token")

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def __enter__(self) -> Txn:
        t = self.tables
        t.lock.acquire()
        outer = t._txn_var.get()
        self.outer = outer if outer is not None and outer.open else None
        self.txn = Txn()
        self.token = t._txn_var.set(self.txn)
        return self.txn

    def __exit__(self, exc_type, exc, tb) -> None:
        t, txn, outer = self.tables, self.txn, self.outer
        try:
            txn.open = False
            t._txn_var.reset(self.token)
            if exc_type is not None:
                t._abort(txn)
            elif outer is not None:  # a nested block: the outer one commits or undoes it all
                outer.undo.extend(txn.undo)
                outer.events.extend(txn.events)
            else:
                t._commit(txn)
        finally:
            t.lock.release()


@dataclass(slots=True)
class _Snapshot:
    # (table, id) -> the row as it was when the snapshot was taken, for the rows changed since
    # (a changed row missing here was inserted since): the unchanged rows are the tables' own
    saved: dict[tuple[str, int], Any]
    tokens: dict[str, r.AccessToken]
    next_ids: dict[str, int]


class Tables:
    """Row storage with incremental indexes and rollback to a snapshot."""

    def __init__(self, tables: dict[str, type], indexes: dict[str, dict[str, Any]]) -> None:
        """``tables``: name -> record class; ``indexes``: name -> that table's indexes."""
        self.lock = threading.RLock()
        self.records = tables
        self.rows: dict[str, dict[int, Any]] = {name: {} for name in tables}
        self.tokens: dict[str, r.AccessToken] = {}
        self.idx = indexes
        self._next_ids: dict[str, int] = {name: 1 for name in tables}
        self._dirty: set[tuple[str, int]] = set()
        self._tokens_dirty = False
        self._snapshot: _Snapshot | None = None
        # the open atomic() block of the running context (request, job or thread), if any
        self._txn_var: contextvars.ContextVar[Txn | None] = contextvars.ContextVar(
            f"mockcanvas_txn_{id(self)}", default=None)
        self.version = 0  # bumped by every write: caches derived from rows key on it

    def _txn(self) -> Txn | None:
        """The open transaction of the running context, if any."""
        txn = self._txn_var.get()
        return txn if txn is not None and txn.open else None

    @property
    def _undo(self) -> list[tuple] | None:
        """The undo log of the open transaction (None outside :meth:`atomic`)."""
        txn = self._txn()
        return txn.undo if txn is not None else None

    # -- ids -------------------------------------------------------------------------------
    def next_id(self, table: str) -> int:
        n = self._next_ids[table]
        self._next_ids[table] = n + 1
        return n

    def reserve_id(self, table: str, rid: int) -> None:
        if rid >= self._next_ids[table]:
            self._next_ids[table] = rid + 1

    # -- writes ----------------------------------------------------------------------------
    def _index(self, table: str, rec: Any) -> None:
        for ix in self.idx[table].values():
            ix.add(rec)

    def _unindex(self, table: str, rec: Any) -> None:
        for ix in self.idx[table].values():
            ix.remove(rec)

    def _insert(self, table: str, rec: Any) -> Any:
        rows = self.rows[table]
        if rec.id in rows:
            raise ValueError(f"{table}: duplicate id {rec.id}")
        self.reserve_id(table, rec.id)
        rows[rec.id] = rec
        self.version += 1
        self._index(table, rec)
        key = (table, rec.id)
        txn = self._txn()
        if txn is not None:
            txn.undo.append(("insert", table, rec, key not in self._dirty))
        self._dirty.add(key)
        self._on_write(table, rec, None)
        return rec

    def _load(self, table: str, recs: Iterable[Any]) -> int:
        """Insert many new rows at once, for a world being loaded; return how many.

        What :meth:`_insert` does for each, less what a load needs not: no live event (a load
        records none), and before the first snapshot no change tracking (there is nothing to roll
        back to, and taking the snapshot forgets it). The sorted indexes' keys that are just
        ``(id,)`` are one tuple per row.
        """
        rows = self.rows[table]
        specs = self.idx[table].values()
        sorted_ix = [(ix.key, ix.sort, ix.buckets) for ix in specs if isinstance(ix, SortedIndex)]
        unique_ix = [(ix.key, ix.map) for ix in specs if isinstance(ix, UniqueIndex)]
        others = [ix for ix in specs if not isinstance(ix, (SortedIndex, UniqueIndex))]
        undo = self._undo
        dirty = self._dirty if self._snapshot is not None else None  # None: nothing to roll back to
        was_dirty = self._dirty
        top = self._next_ids[table] - 1
        n = 0
        for rec in recs:
            rid = rec.id
            if rid in rows:
                raise ValueError(f"{table}: duplicate id {rid}")
            if rid > top:
                top = rid
            rows[rid] = rec
            own = (rid,) if sorted_ix else None
            for key, sort, buckets in sorted_ix:
                bucket = key(rec)
                if bucket is not None:
                    k = sort(rec)
                    keys = buckets.get(bucket)
                    if keys is None:
                        buckets[bucket] = [own if k == own else k]
                    elif keys[-1] < k:
                        keys.append(own if k == own else k)  # rows mostly come in key order
                    else:
                        insort(keys, own if k == own else k)
            for key, found in unique_ix:
                k = key(rec)
                if k is not None:
                    found[k] = rid
            for ix in others:
                ix.add(rec)
            if undo is not None:
                undo.append(("insert", table, rec, (table, rid) not in was_dirty))
            if dirty is not None:
                dirty.add((table, rid))
            n += 1
        self._next_ids[table] = top + 1
        self.version += 1
        return n

    def _update(self, table: str, rec: Any, **changes: Any) -> dict[str, tuple[Any, Any]]:
        """Apply ``changes`` to ``rec``; return {field: (old, new)} for the fields that changed."""
        changed = {k: (getattr(rec, k), v) for k, v in changes.items() if getattr(rec, k) != v}
        if not changed:
            return changed
        key = (table, rec.id)
        first = key not in self._dirty
        if self._snapshot is not None and first:
            # the row's first change since the snapshot: keep the row as it was for rollback()
            # (the table's row: unchanged, it is the snapshot's, whatever ``rec`` is)
            live = self.rows[table].get(rec.id)
            if live is not None:
                self._snapshot.saved[key] = copy(live)
        txn = self._txn()
        if txn is not None:
            txn.undo.append(("update", table, rec, {k: old for k, (old, _) in changed.items()}, first))
        self.version += 1
        self._unindex(table, rec)
        for k, (_, v) in changed.items():
            setattr(rec, k, v)
        self._index(table, rec)
        self._dirty.add(key)
        self._on_write(table, rec, changed)
        return changed

    def _on_write(self, table: str, rec: Any, changed: dict[str, tuple[Any, Any]] | None) -> None:
        """Hook after every write (``changed`` is None for an insert): the store's live events."""

    def _put_token(self, tok: r.AccessToken) -> None:
        self.version += 1
        self.tokens[tok.token] = tok
        self._tokens_dirty = True

    def atomic(self) -> _Atomic:
        """All or nothing: if the block raises, every row it inserted or changed is put back (and
        the ids it took are given back when nothing took one since), in O(rows it wrote), and the
        live events it recorded are dropped; they are published when the outermost block commits.

        Every non-GET API request runs in one (``app.canvas_middleware``), and so does every
        background job (assignment, CSV import): a failure, whatever raises, changes nothing."""
        return _Atomic(self)

    def _abort(self, txn: Txn) -> None:
        if txn.undo:
            self.version += 1
        dirty, snap, next_ids = self._dirty, self._snapshot, self._next_ids
        for entry in reversed(txn.undo):
            table, rec = entry[1], entry[2]
            if entry[0] == "insert":
                self._unindex(table, rec)
                self.rows[table].pop(rec.id, None)
                if next_ids[table] == rec.id + 1:  # nobody took an id since: give it back
                    next_ids[table] = rec.id
            else:
                self._unindex(table, rec)
                for k, v in entry[3].items():
                    setattr(rec, k, v)
                self._index(table, rec)
            if entry[-1]:  # the row was first changed here: unchanged again since the snapshot
                dirty.discard((table, rec.id))
                if snap is not None:
                    snap.saved.pop((table, rec.id), None)
        self._atomic_abort(txn)

    def _commit(self, txn: Txn) -> None:
        self._atomic_commit(txn)

    def _atomic_abort(self, txn: Txn) -> None:
        """Hooks of :meth:`atomic` for state kept beside the tables (the live events it holds)."""

    def _atomic_commit(self, txn: Txn) -> None:
        pass

    # -- snapshot / rollback ---------------------------------------------------------------
    def snapshot(self) -> None:
        """Remember the current state as the one :meth:`rollback` returns to.

        Nothing of the rows is copied now: every change goes through :meth:`_insert`,
        :meth:`_update` or :meth:`_load`, which mark the row changed, and :meth:`_update` first
        keeps a copy of a row it is the first to change (copy on write). So a snapshot costs
        O(1) and keeps O(rows changed), not a copy of the world.
        """
        with self.lock:
            self._snapshot = _Snapshot(
                saved={},
                tokens={k: copy(v) for k, v in self.tokens.items()},
                next_ids=dict(self._next_ids),
            )
            self._dirty.clear()
            self._tokens_dirty = False

    @property
    def changed_rows(self) -> int:
        return len(self._dirty)

    def rollback(self) -> None:
        """Return to the last snapshot in place, touching only the rows changed since."""
        with self.lock:
            self.version += 1
            snap = self._snapshot
            if snap is None:
                raise RuntimeError("rollback() before snapshot()")
            saved = snap.saved
            for table, rid in self._dirty:
                rows = self.rows[table]
                current = rows.pop(rid, None)
                if current is not None:
                    self._unindex(table, current)
                original = saved.get((table, rid))
                if original is not None:
                    # the table's own again: the next change copies it first (_update)
                    rows[rid] = original
                    self._index(table, original)
            self._dirty.clear()
            saved.clear()
            if self._tokens_dirty:
                self.tokens = {k: copy(v) for k, v in snap.tokens.items()}
                self._tokens_dirty = False
            self._next_ids = dict(snap.next_ids)
            self._after_rollback()

    def _after_rollback(self) -> None:
        """Hook for state kept beside the tables (uploaded bytes, counters)."""

    def rebuild_indexes(self) -> None:
        self.version += 1
        for table, specs in self.idx.items():
            for ix in specs.values():
                ix.clear()
            for rec in self.rows[table].values():
                self._index(table, rec)

    # -- reads -----------------------------------------------------------------------------
    def get(self, table: str, rid: int) -> Any | None:
        return self.rows[table].get(rid)

    def all(self, table: str) -> Iterable[Any]:
        return self.rows[table].values()
