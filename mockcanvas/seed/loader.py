"""The shared machinery of world files: reading, shape checks, ids and keys, references, errors.

Each area's part of a world file is declared by its module ``mockcanvas.seed.<area>`` as
``SECTIONS``, a tuple of :class:`Section`: the section's name in the file, its fields (a schema of
:class:`~mockcanvas.seed.fields.F`), the table its records fill, and its builder. A
:class:`Loader` runs the sections of every area in :data:`mockcanvas.areas.AREAS` order (the
dependency order), in phases, for all files at once:

1. **read**: every file is parsed and every entry checked against its section's schema
   (:meth:`Loader.parse`); an entry becomes an :class:`Item` (or whatever the section's ``parse``
   hook makes of it, e.g. the people of a ``generate`` entry);
2. **ids and keys**: records without an ``id`` are numbered after the largest explicit id of
   their table; a section's ``expand`` hook then adds records made from others (the enrollments of
   ``generate``), numbered next; keys are registered;
3. **build**: each section's ``build(loader)`` resolves references (:meth:`Loader.resolve`),
   checks its rules (:meth:`Loader.claim` for uniqueness, :meth:`Loader.err` for anything else)
   and sets each item's ``row``;
4. **insert**: only when no phase found a problem, the rows go in table by table, in id order,
   followed by each section's ``insert`` hook (memberships, tokens).

Every problem names the file and the path inside it (``world.yaml: enrollments[4].user: no user
'bob'``) and all problems found are reported together as one :class:`WorldError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any

import yaml

from ..store.registry import TABLES
from .fields import S, TYPE_MESSAGES, F, is_int, is_scalar, parse_dt, ref

if TYPE_CHECKING:
    from ..settings import Settings
    from ..store import Store

# PyYAML's safe loader, in C (libyaml) when PyYAML was built with it: several times faster on big worlds
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    """Safe-load with libyaml; on a syntax error, the pure-Python loader's clearer message."""
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        if _SAFE_LOADER is yaml.SafeLoader:
            raise
    return yaml.safe_load(text)


class WorldError(ValueError):
    """A world that cannot be loaded; ``problems`` holds one line per problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Section:
    """One section of a world file, as an area module declares it in ``SECTIONS``.

    ``noun`` names one record in messages (``no course 'c9'``) and makes the section a *kind*:
    its entries are :class:`Item` s with keys and ids that others can refer to. ``table`` is the
    store table its items' rows go into (None: it fills none of its own). The hooks take the loader:

    * ``build(loader)``: resolve the section's references, check its rules, set each item's ``row``
      (a dict of the record's fields, or the record itself);
    * ``parse(loader, file, path, values, seed)``: instead of making one item of the entry;
    * ``expand(loader)``: after the ids of the other tables, add items of the tables named in
      ``expands`` (which are numbered after it);
    * ``insert(loader, store)``: after the table's rows, load what else the section made.
    """

    name: str
    fields: Mapping[str, F]
    noun: str | None = None
    table: str | None = None
    build: Callable[[Loader], None] | None = None
    parse: Callable[[Loader, str, str, dict[str, Any], int], None] | None = None
    expand: Callable[[Loader], None] | None = None
    expands: tuple[str, ...] = ()
    insert: Callable[[Loader, Store], None] | None = None


# section name -> what one of its records is called; filled by register()
NOUNS: dict[str, str] = {}


def register(area_modules: Iterable[ModuleType]) -> tuple[Section, ...]:
    """The sections the area modules declare, in order; a section declared twice is an error."""
    out: dict[str, Section] = {}
    for m in area_modules:
        for sec in getattr(m, "SECTIONS", ()):
            if sec.name in out or sec.name in ("seed", "shard_id"):
                raise RuntimeError(f"world-file section {sec.name!r} declared twice ({m.__name__})")
            if sec.table is not None and sec.table not in TABLES:
                raise RuntimeError(f"section {sec.name!r} fills an unknown table {sec.table!r}")
            out[sec.name] = sec
            if sec.noun:
                NOUNS[sec.name] = sec.noun
    return tuple(out.values())


_NO_ALIAS: Mapping[str, str] = MappingProxyType({})


@dataclass(eq=False, slots=True)
class Item:
    """One record of a world file, on its way to becoming a row."""

    kind: str
    file: str
    path: str  # "users[3]", or "generate[0]" for every person that entry generates
    f: dict[str, Any]
    doc: int = 0  # which of the files, in load order
    id: int | None = None
    key: str | None = None
    # field -> where to blame it; often one mapping shared by many items, so never written to
    alias: Mapping[str, str] = field(default_factory=lambda: _NO_ALIAS)
    r: dict[str, Any] = field(default_factory=dict)  # resolved references
    row: dict[str, Any] = field(default_factory=dict)  # its row's fields; users' and enrollments' row itself
    gen: Item | None = None  # a generated person's ``generate`` entry ...
    n: int = 0  # ... and its number in it (1, 2, ...)

    def at(self, name: str) -> str:
        return f"{self.path}.{self.alias.get(name, name)}"

    @property
    def label(self) -> str:
        return f"{NOUNS[self.kind]} {self.key!r}" if self.key else f"{NOUNS[self.kind]} {self.id}"


class Loader:
    """One world being loaded from its files: the items of every section, and what is wrong."""

    def __init__(self, settings: Settings, sections: tuple[Section, ...]) -> None:
        self.settings = settings
        self.sections = sections
        self.by_name = {s.name: s for s in sections}
        self.problems: list[str] = []
        self._reported: set[str] = set()
        kinds = [s.name for s in sections if s.noun]
        self.items: dict[str, list[Item]] = {k: [] for k in kinds}
        self.by_key: dict[str, dict[str, Item]] = {k: {} for k in kinds}
        self.by_id: dict[str, dict[int, Item]] = {k: {} for k in kinds}
        self.unique: dict[str, set[Any]] = {}  # "users.login_id" -> the values claimed
        self.seeds: list[int] = []
        self.shard_id: int | None = None  # the world's shard of global ids (last file wins)
        # what an area's hooks keep for themselves or leave for a later area while checking
        # ("enrollments.sections_of", ...): let go before the rows are inserted
        self.shared: dict[str, Any] = {}
        # what ``insert`` hooks load after the tables (memberships, tokens)
        self.pending: dict[str, Any] = {}

    def err(self, file: str, where: str, msg: str) -> None:
        problem = f"{file}: {where}: {msg}"
        # one bad value in a ``generate`` entry would otherwise be reported once per person
        if problem not in self._reported:
            self._reported.add(problem)
            self.problems.append(problem)

    def check(self) -> None:
        if self.problems:
            raise WorldError(self.problems)

    # -- the phases, in order ----------------------------------------------------------------
    def load(self, paths: Iterable[Path]) -> None:
        """Read and check every file; raise :class:`WorldError` on any problem."""
        for path in paths:
            self.read(path)
        self.check()
        expanded = {t for s in self.sections for t in s.expands}
        for s in self.sections:
            if s.table and s.noun and s.name not in expanded:
                self.assign_ids(s.name)
        self.check()  # an ``expand`` hook may need the ids (the patterns of generated people)
        for s in self.sections:
            if s.expand:
                s.expand(self)
        for s in self.sections:
            if s.name in expanded:
                self.assign_ids(s.name)
        for kind in self.items:
            self.register_keys(kind)
        self.check()
        for s in self.sections:
            if s.build:
                s.build(self)
        self.check()

    # -- phase 1: read and shape-check -------------------------------------------------------
    def read(self, path: Path) -> None:
        name = path.name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self.problems.append(f"{name}: cannot read: {getattr(e, 'strerror', None) or e}")
            return
        try:
            data = _load_yaml(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(e, "problem", None) or str(e)
            self.problems.append(f"{name}: invalid YAML: {where}{problem}")
            return
        self.parse(name, {} if data is None else data)

    def parse(self, file: str, data: Any) -> None:
        if not isinstance(data, dict):
            self.problems.append(f"{file}: expected a mapping of sections at the top level")
            return
        for section in data:
            if section not in ("seed", "shard_id") and section not in self.by_name:
                self.err(file, str(section), "unknown section")
        seed = data.get("seed", 0)
        if seed is None:
            seed = 0
        if not is_int(seed):
            self.err(file, "seed", "expected an integer")
            seed = 0
        self.seeds.append(seed)
        shard = data.get("shard_id")
        if shard is not None:
            if not is_int(shard) or shard < 0:
                self.err(file, "shard_id", "expected an integer >= 0")
            else:
                self.shard_id = shard
        # The sections are read in area order, whatever their order in the file: ids assigned
        # automatically follow document order, so users are numbered before generated people.
        for sec in self.sections:
            section = sec.name
            entries = data.get(section)
            if entries is None:
                continue
            if not isinstance(entries, list):
                self.err(file, section, "expected a list")
                continue
            for i, entry in enumerate(entries):
                path = f"{section}[{i}]"
                values = self.mapping(file, path, entry, sec.fields)
                if values is None:
                    continue
                if sec.parse is not None:
                    sec.parse(self, file, path, values, seed)
                    continue
                it = Item(section, file, path, values, doc=len(self.seeds), key=values.get("key"))
                self.items[section].append(it)
                if it.key == "":
                    self.err(file, it.at("key"), "must not be empty")

    def mapping(self, file: str, path: str, obj: Any, schema: Mapping[str, F]) -> dict[str, Any] | None:
        if not isinstance(obj, dict):
            self.err(file, path, "expected a mapping")
            return None
        out: dict[str, Any] = {}
        for name, value in obj.items():
            where = f"{path}.{name}"
            if name not in schema:
                self.err(file, where, "unknown field")
            elif value is None:
                # null means "not given": every optional field's default is what null would mean
                continue
            else:
                ok, v = self.value(file, where, value, schema[name])
                if ok:
                    out[name] = v
        for name, spec in schema.items():
            if spec.required and obj.get(name) is None:
                self.err(file, f"{path}.{name}", "required")
        return out

    def value(self, file: str, where: str, v: Any, spec: F) -> tuple[bool, Any]:
        t, msg = spec.type, None
        if t == "str" and isinstance(v, str) or t == "bool" and isinstance(v, bool):
            return True, v
        if t == "int" and is_int(v):
            if spec.min is None or v >= spec.min:
                return True, v
            msg = f"must be at least {spec.min}"
        elif t == "ref" and (isinstance(v, str) or is_int(v)):
            return True, v
        elif t == "num" and (is_int(v) or isinstance(v, float) and math.isfinite(v)):
            return True, float(v)
        elif t == "dt":
            dt = parse_dt(v)
            if dt is not None:
                return True, dt
        elif t == "enum":
            if (v is None or isinstance(v, str)) and v in spec.choices:
                return True, v
            if isinstance(v, str) and v in spec.aliases:
                return True, spec.aliases[v]
            msg = "must be one of: " + ", ".join("null" if c is None else c for c in spec.choices)
        elif t in ("refs", "strs", "subs", "members"):
            return self._list(file, where, v, spec)
        elif t == "settings" and isinstance(v, dict):
            ok = True
            for name, value in v.items():
                if not isinstance(name, str):
                    self.err(file, f"{where}.{name}", "expected a setting name (a string)")
                    ok = False
                elif not is_scalar(value):
                    self.err(file, f"{where}.{name}", "expected a string, a number, true/false or null")
                    ok = False
            # sorted pairs: immutable, so that a shallow copy of the row is a full snapshot
            return ok, (tuple(sorted(v.items())) if ok else None)
        elif t == "map" and isinstance(v, dict):
            ok, out = True, {}
            for name, sub in v.items():
                if name not in spec.choices:
                    shown = " or ".join(filter(None, (", ".join(spec.choices[:-1]), spec.choices[-1])))
                    self.err(file, f"{where}.{name}", f"unknown {spec.kind or 'key'} (use {shown})")
                    ok = False
                    continue
                m = self.mapping(file, f"{where}.{name}", sub, spec.schema or {})
                ok = ok and m is not None
                out[name] = m
            return ok, out
        self.err(file, where, msg or TYPE_MESSAGES.get(t, "invalid value"))
        return False, None

    def _list(self, file: str, where: str, v: Any, spec: F) -> tuple[bool, Any]:
        t = spec.type
        if t == "subs" and isinstance(v, dict):
            out = self.mapping(file, where, v, spec.schema or {})
            return out is not None, ([out] if out is not None else None)
        if not isinstance(v, list):
            self.err(file, where, "expected a list")
            return False, None
        ok, out = True, []
        members = t == "members"
        elem_spec = S if t == "strs" else ref(spec.kind or "users")
        for i, elem in enumerate(v):
            if t == "subs":  # a list of mappings (``enroll: [{course: c1}, {course: c2}]``)
                if isinstance(elem, dict):
                    val = self.mapping(file, f"{where}[{i}]", elem, spec.schema or {})
                    good = val is not None
                else:
                    self.err(file, f"{where}[{i}]", "expected a mapping")
                    good, val = False, None
            # the common case first, without building the element's path (only errors need it)
            elif isinstance(elem, str) or t != "strs" and is_int(elem):
                good, val = True, elem
            elif members and isinstance(elem, dict):
                sub = f"{where}[{i}]"
                m = self.mapping(file, sub, elem, spec.schema or {})
                good = m is not None
                val = (m["user"], f"{sub}.user", m.get("state", "accepted"), m.get("moderator", False)) \
                    if good and "user" in m else None
                good = val is not None
            else:
                good, val = self.value(file, f"{where}[{i}]", elem, elem_spec)
            if good and members and not isinstance(val, tuple):
                # (user, where to blame it: its index in the list, state, moderator)
                val = (val, i, "accepted", False)
            ok = ok and good
            out.append(val)
        return ok, out

    # -- phase 2: ids and keys ---------------------------------------------------------------
    def assign_ids(self, kind: str) -> None:
        taken = self.by_id[kind]
        for it in self.items[kind]:
            rid = it.f.get("id")
            if rid is None:
                continue
            if rid in taken:
                self.err(it.file, it.at("id"), f"duplicate id {rid}")
            else:
                it.id, taken[rid] = rid, it
        nxt = max(taken, default=0) + 1
        for it in self.items[kind]:
            if it.id is None and it.f.get("id") is None:
                it.id, taken[nxt] = nxt, it
                nxt += 1

    def register_keys(self, kind: str) -> None:
        for it in self.items[kind]:
            if not it.key:
                continue
            if it.key in self.by_key[kind]:
                self.err(it.file, it.at("key"), f"duplicate key {it.key!r}")
            else:
                self.by_key[kind][it.key] = it

    def add(self, it: Item) -> None:
        """An item made while building (a default section, a default term): id given, no key."""
        self.items[it.kind].append(it)
        if it.id is not None:
            self.by_id[it.kind][it.id] = it

    # -- phase 3: references and rules -------------------------------------------------------
    def resolve(self, it: Item, name: str, kind: str, value: Any = None,
                where: str | None = None) -> Item | None:
        """The item a reference names (its key or id), kept in ``it.r[name]``; None if missing."""
        if value is None:
            value = it.f.get(name)
        if value is None:
            return None
        table = self.by_key[kind] if isinstance(value, str) else self.by_id[kind]
        target = table.get(value)
        if target is None:
            self.err(it.file, where or it.at(name), f"no {NOUNS[kind]} {value!r}")
        it.r[name] = target
        return target

    def claim(self, it: Item, name: str, value: Any, scope: Any = None) -> None:
        """Uniqueness the store's indexes rely on (SIS ids, login ids, e-mail addresses), across
        the whole world or, with ``scope``, within it (one root account's term SIS ids)."""
        if value is None:
            return
        taken = self.unique.get(it.kind + "." + name)
        if taken is None:
            taken = self.unique[it.kind + "." + name] = set()
        slot = value
        if name in ("login_id", "email"):
            folded = value.casefold()
            slot = value if folded == value else folded  # no copy of what is folded already
        if scope is not None:
            slot = (scope, slot)
        if slot in taken:
            self.err(it.file, it.at(name), f"duplicate {name} {value!r}")
        else:
            taken.add(slot)

    def copy(self, it: Item, *names: str) -> None:
        """Copy the fields given (when given) into the item's row."""
        it.row.update({n: it.f[n] for n in names if n in it.f})

    # -- phase 4: insert ---------------------------------------------------------------------
    def insert(self, store: Store) -> None:
        """Insert every row, table by table in id order, and what the ``insert`` hooks add.

        The loader is spent afterwards: its items are let go table by table as their rows go in,
        so that the world being built and the items it is built from are not both held whole.
        """
        # what only the checks needed
        self.by_key = self.by_id = {}
        self.unique, self.shared = {}, {}
        for sec in self.sections:
            if sec.table:
                items = self.items.pop(sec.name)
                items.sort(key=lambda i: i.id)
                store.load_rows(sec.table, _rows_of(sec.table, items))
                del items
            if sec.insert is not None:
                sec.insert(self, store)
        self.items.clear()
        self.pending.clear()


def _rows_of(table: str, items: list[Item]) -> Iterator[Any]:
    """The row of each item, letting go of each item's parts as its row is taken."""
    cls = TABLES[table]
    for i, it in enumerate(items):
        row = it.row
        it.f = it.r = it.row = None  # type: ignore[assignment]
        items[i] = None  # type: ignore[call-overload]
        yield cls(id=it.id, **row) if isinstance(row, dict) else row
