"""The in-memory Canvas world: rows, indexes, lookups and the domain operations over them.

``Store`` is pure Python and synchronous; it never imports aiohttp. Operations are grouped by
aggregate (``store.groups``, ``store.memberships``, ``store.files``) and permission rules live in
``store.policy``. Lookups raise :class:`mockcanvas.errors.NotFound` the way ``api_find`` does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..clock import Clock, SystemClock
from ..coerce import bounded_digits
from ..errors import NotFound
from ..events import SOURCE, LiveEvents
from ..journal import RequestJournal
from ..settings import Settings
from . import live, registry
from . import records as r
from .base import Tables, Txn
from .people import PeopleOps
from .policy import Policy

__all__ = ["Store", "r"]

_SIS_FORMS = registry.SIS_FORMS  # table -> {"sis_user_id": index name, ...}
_LIVE_EVENTS = registry.LIVE_EVENTS
_INT = re.compile(r"\A\d+\Z", re.ASCII)
_SHORT_GLOBAL = re.compile(r"\A(\d+)~(\d+)\Z", re.ASCII)  # Canvas's short global id: "<shard>~<local>"
_HEX = re.compile(r"\Ahex:(sis_\w+):((?:[0-9A-Fa-f]{2})+)\Z", re.ASCII)  # Api.sis_parse_id's hex form


class Store(Tables):
    def __init__(self, clock: Clock | None = None, settings: Settings | None = None, seed: int = 0) -> None:
        super().__init__(registry.TABLES, registry.index_specs())
        self.clock: Clock = clock or SystemClock()
        self.settings = settings or Settings()
        self.seed = seed
        self.rng = random.Random(seed)
        self.policy = Policy(self)
        self.people = PeopleOps(self)
        # each area's operations: store.groups, store.memberships, ... (OPS of its store module)
        for attr, ops in registry.OPS:
            setattr(self, attr, ops(self))
        self.live_events = LiveEvents()
        self.requests = RequestJournal()  # filled by the app: the calls made to Canvas routes
        self.recording = True  # False while a world loads: loading records nothing
        self.world_shard_id = 0  # ``shard_id:`` of the world files, used when settings give none
        self._muted: frozenset[str] = frozenset()

    def now(self):
        return self.clock.now()

    def make_uuid(self, kind: str, rid: int) -> str:
        """A stable 40-character token (Canvas uses CanvasSlug.generate_securish_uuid)."""
        return hashlib.sha1(f"{self.seed}:{kind}:{rid}".encode()).hexdigest()[:40]

    def _after_rollback(self) -> None:
        self.rng = random.Random(self.seed)
        self.progress.reset()
        self.live_events.clear()
        self.requests.clear()

    # -- live events -----------------------------------------------------------------------
    def _on_write(self, table: str, rec: Any, changed: dict[str, tuple[Any, Any]] | None) -> None:
        events = _LIVE_EVENTS.get(table)
        if events is None or not self.recording or table in self._muted:
            return
        txn = self._txn()
        for name, body in events(self, rec, changed):
            if txn is not None:  # inside atomic(): published when it commits, with its own source
                txn.events.append((name, body, SOURCE.get()))
            else:
                self._publish(name, body)

    def _publish(self, name: str, body: dict[str, Any], source: Any = live.CURRENT) -> None:
        self.live_events.record(live.metadata(self, name, source), body)

    def _atomic_commit(self, txn: Txn) -> None:
        for name, body, source in txn.events:
            self._publish(name, body, source)

    @contextmanager
    def bulk(self, *tables: str) -> Iterator[None]:
        """Writes to ``tables`` inside the block stand for Canvas's bulk SQL (``bulk_insert``,
        ``update_all``), which skips callbacks: no live events, unless ``Settings.live_events_bulk``."""
        if self.settings.live_events_bulk:
            yield
            return
        with self.lock:
            outer = self._muted
            self._muted = outer | frozenset(tables)
            try:
                yield
            finally:
                self._muted = outer

    # -- lookups ---------------------------------------------------------------------------
    def find(self, table: str, ref: Any, *, live: bool = True) -> Any:
        """Resolve a path id (``12``, ``"12"``, ``"sis_course_id:X"``) to a row or raise NotFound."""
        rec = None
        if isinstance(ref, int):
            rid = self.local_id(ref)
            rec = self.get(table, rid) if rid is not None else None
        elif isinstance(ref, str):
            rid = self.path_id(ref)
            if rid is not None:
                rec = self.get(table, rid)
            else:
                form, value = self.sis_ref(ref.strip())
                index_name = _SIS_FORMS.get(table, {}).get(form) if form else None
                if index_name and value:
                    key = value.casefold() if index_name == "by_login" else value
                    found = self.idx[table][index_name].get(key)
                    rec = self.get(table, found) if found is not None else None
        if rec is None or (live and not _is_live(rec)):
            raise NotFound()
        return rec

    def local_id(self, rid: int) -> int | None:
        """A local id from a local or global one (``shard * 10**13 + id`` of this world's shard);
        None for another shard's id."""
        if rid < 10**13:
            return rid
        shard, local = divmod(rid, 10**13)
        return local if shard == self.settings.shard_id else None

    def path_id(self, ref: str) -> int | None:
        """An integer path id (local, global or ``shard~local``) as a local id, else None."""
        ref = ref.strip()
        if _INT.match(ref):
            return self.local_id(bounded_digits(ref))  # a huge id: HUGE, which no row has
        m = _SHORT_GLOBAL.match(ref)
        if m:
            return bounded_digits(m.group(2)) if bounded_digits(m.group(1)) == self.settings.shard_id else None
        return None

    @staticmethod
    def sis_ref(ref: str) -> tuple[str | None, str | None]:
        """``Api.sis_parse_id``'s split of a path id: ``sis_user_id:X`` -> ("sis_user_id", "X");
        ``hex:sis_user_id:5859`` -> ("sis_user_id", "XY"); (None, None) for anything else."""
        m = _HEX.match(ref)
        if m:
            try:
                return m.group(1), bytes.fromhex(m.group(2)).decode("utf-8")
            except UnicodeDecodeError:
                return None, None
        if ":" in ref:
            form, _, value = ref.partition(":")
            return form, value
        return None, None

    def find_id(self, ref: Any) -> int | None:
        """An integer path id (local or global) as a local id, or None."""
        if isinstance(ref, int):
            return self.local_id(ref)
        return self.path_id(ref) if isinstance(ref, str) else None

    def user_for_token(self, token: str) -> r.AccessToken | None:
        return self.tokens.get(token)

    def add_token(self, token: str, user_id: int, **kw: Any) -> r.AccessToken:
        with self.lock:
            tok = r.AccessToken(token=token, user_id=user_id, **kw)
            self._put_token(tok)
            return tok

    def insert(self, table: str, **fields: Any) -> Any:
        """Insert a row (used by the world loader and by tests arranging state)."""
        with self.lock:
            cls = self.records[table]
            if fields.get("id") is None:
                fields["id"] = self.next_id(table)
            rec = cls(**fields)
            if hasattr(rec, "created_at") and rec.created_at is None:
                rec.created_at = self.now()
            if hasattr(rec, "uuid") and not rec.uuid:
                rec.uuid = self.make_uuid(table, rec.id)
            return self._insert(table, rec)

    def load_rows(self, table: str, recs: Iterable[Any]) -> int:
        """Insert the new rows of a world being loaded, in the order given; return how many.

        Each row gets what :meth:`insert` gives one (``created_at`` from the clock, ``uuid``),
        and ``updated_at`` set to ``created_at`` when not given: a seeded row has not been updated
        since it was made. No live events; :func:`mockcanvas.load_world` snapshots the store
        right after.
        """
        names = {f.name for f in dataclasses.fields(self.records[table])}
        stamp, slug, settle = "created_at" in names, "uuid" in names, "updated_at" in names
        now, make_uuid = self.now, self.make_uuid

        def stamped() -> Iterator[Any]:
            for rec in recs:
                if stamp and rec.created_at is None:
                    rec.created_at = now()
                if slug and not rec.uuid:
                    rec.uuid = make_uuid(table, rec.id)
                if settle and rec.updated_at is None:
                    rec.updated_at = rec.created_at
                yield rec

        with self.lock:
            return self._load(table, stamped() if stamp or slug or settle else recs)

    def global_id(self, local_id: int | None) -> int | None:
        if local_id is None:
            return None
        return self.settings.shard_id * 10**13 + local_id if self.settings.shard_id else local_id


def _is_live(rec: Any) -> bool:
    if isinstance(rec, r.GroupCategory):
        return rec.deleted_at is None
    state = getattr(rec, "workflow_state", None)
    return state != "deleted"
