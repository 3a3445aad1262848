"""World files: build a :class:`~mockcanvas.store.Store` from one or more YAML files.

A world file is a mapping of optional sections, each a list of mappings::

    seed: 2024
    accounts:  [{key: root, id: 1, name: Mock University}]
    users:     [{key: ada, name: Ada Admin, login_id: admin, tokens: [admin-token]}]
    generate:  [{prefix: student, count: 12, enroll: {course: c1, sections: [a, b]}}]
    courses:   [{key: c1, name: Intro, account: root}]
    sections:  [{key: a, course: c1, name: Section A}]
    ...        admins, enrollments, group_categories, groups, stream_items, tokens

Records name each other by ``key:`` (or by integer id); ids not given explicitly follow the largest
explicit id of the table across all files. Files given together form one world, in order.

Loading is all-or-nothing: every file is parsed and every reference, type, enum value and
uniqueness rule checked before the first row is inserted, and any problem raises
:class:`WorldError` naming the file and the path inside it
(``world.yaml: enrollments[4].user: no user 'bob'``). The full format is in ``docs/worlds.md``.
"""

from __future__ import annotations

import gc
import os
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Union

import yaml

from . import seed_generate as gen
from .clock import Clock
from .settings import Settings
from .store import Store, r
from .store.registry import TABLES

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

__all__ = ["DEFAULT_WORLD", "WorldError", "load_world", "world_summary"]

DEFAULT_WORLD: Path = Path(__file__).parent / "datasets" / "default.yaml"

PathLike = Union[str, "os.PathLike[str]"]


class WorldError(ValueError):
    """A world that cannot be loaded; ``problems`` holds one line per problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


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
        return f"{gen.NOUNS[self.kind]} {self.key!r}" if self.key else f"{gen.NOUNS[self.kind]} {self.id}"


# -- the loader ------------------------------------------------------------------------------

_USER_FIELDS = ("login_id", "email", "sis_user_id", "integration_id", "time_zone", "uuid", "pronouns", "locale",
                "avatar_url", "workflow_state", "created_at")
# where the fields of a generated person, and of the enrollments ``enroll`` makes, are blamed
_GENERATED_ALIAS = {"id": "first_id", "key": "key_pattern", "login_id": "login_pattern",
                    "sis_user_id": "sis_pattern", "email": "email_domain"}
_ENROLL_ALIAS = {"course": "course", "type": "type", "state": "state"}


class _Loader:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems: list[str] = []
        self._reported: set[str] = set()
        self.items: dict[str, list[Item]] = {k: [] for k in gen.NOUNS}
        self.gens: list[Item] = []
        self.seeds: list[int] = []
        self.shard_id: int | None = None  # the world's shard of global ids (last file wins)
        self.by_key: dict[str, dict[str, Item]] = {k: {} for k in gen.NOUNS}
        self.by_id: dict[str, dict[int, Item]] = {k: {} for k in gen.NOUNS}
        self.unique: dict[str, set[Any]] = {}  # "users.login_id" -> the values claimed
        # (group id, user id, workflow_state, moderator) of every membership
        self.memberships: list[tuple[int, int, str, bool]] = []
        self.token_rows: list[dict[str, Any]] = []

    def err(self, file: str, where: str, msg: str) -> None:
        problem = f"{file}: {where}: {msg}"
        # one bad value in a ``generate`` entry would otherwise be reported once per person
        if problem not in self._reported:
            self._reported.add(problem)
            self.problems.append(problem)

    def check(self) -> None:
        if self.problems:
            raise WorldError(self.problems)

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
            if section not in ("seed", "shard_id") and section not in gen.SCHEMAS:
                self.err(file, str(section), "unknown section")
        seed = data.get("seed", 0)
        if seed is None:
            seed = 0
        if not gen.is_int(seed):
            self.err(file, "seed", "expected an integer")
            seed = 0
        self.seeds.append(seed)
        shard = data.get("shard_id")
        if shard is not None:
            if not gen.is_int(shard) or shard < 0:
                self.err(file, "shard_id", "expected an integer >= 0")
            else:
                self.shard_id = shard
        for section in gen.SECTIONS:
            entries = data.get(section)
            if entries is None:
                continue
            if not isinstance(entries, list):
                self.err(file, section, "expected a list")
                continue
            for i, entry in enumerate(entries):
                path = f"{section}[{i}]"
                values = self.mapping(file, path, entry, gen.SCHEMAS[section])
                if values is None:
                    continue
                if section == "generate":
                    self.add_generate(file, path, values, seed)
                    continue
                it = Item(section, file, path, values, doc=len(self.seeds), key=values.get("key"))
                self.items[section].append(it)
                if it.key == "":
                    self.err(file, it.at("key"), "must not be empty")

    def mapping(self, file: str, path: str, obj: Any, schema: dict[str, gen.F]) -> dict[str, Any] | None:
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

    def value(self, file: str, where: str, v: Any, spec: gen.F) -> tuple[bool, Any]:
        t, msg = spec.type, None
        if t == "str" and isinstance(v, str) or t == "bool" and isinstance(v, bool):
            return True, v
        if t == "int" and gen.is_int(v):
            if spec.min is None or v >= spec.min:
                return True, v
            msg = f"must be at least {spec.min}"
        elif t == "ref" and (isinstance(v, str) or gen.is_int(v)):
            return True, v
        elif t == "dt":
            dt = gen.parse_dt(v)
            if dt is not None:
                return True, dt
        elif t == "enum":
            if (v is None or isinstance(v, str)) and v in spec.choices:
                return True, v
            msg = "must be one of: " + ", ".join("null" if c is None else c for c in spec.choices)
        elif t in ("refs", "strs", "subs", "members"):
            if t == "subs" and isinstance(v, dict):
                out = self.mapping(file, where, v, spec.schema or {})
                return out is not None, ([out] if out is not None else None)
            if not isinstance(v, list):
                self.err(file, where, "expected a list")
                return False, None
            ok, out = True, []
            members = t == "members"
            elem_spec = gen.S if t == "strs" else gen.ref(spec.kind or "users")
            for i, elem in enumerate(v):
                if t == "subs":  # a list of mappings (``enroll: [{course: c1}, {course: c2}]``)
                    if isinstance(elem, dict):
                        val = self.mapping(file, f"{where}[{i}]", elem, spec.schema or {})
                        good = val is not None
                    else:
                        self.err(file, f"{where}[{i}]", "expected a mapping")
                        good, val = False, None
                # the common case first, without building the element's path (only errors need it)
                elif isinstance(elem, str) or t != "strs" and gen.is_int(elem):
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
        self.err(file, where, msg or gen.TYPE_MESSAGES.get(t, "invalid value"))
        return False, None

    def add_generate(self, file: str, path: str, values: dict[str, Any], seed: int) -> None:
        g = Item("users", file, path, values, doc=len(self.seeds))
        g.row["seed"] = seed
        self.gens.append(g)
        for name in ("key_pattern", "login_pattern", "sis_pattern"):
            problem = gen.check_pattern(values[name]) if name in values else None
            if problem:
                self.err(file, f"{path}.{name}", problem)
        count = values.get("count", 0)
        if len(values.get("tokens", ())) > count:
            self.err(file, f"{path}.tokens", f"more tokens than people (count is {count})")
        first = values.get("first_id")
        # Each generated person is an item of its own so ids and keys are checked like any other.
        people = self.items["users"]
        for n in range(1, count + 1):
            f = {"id": first + n - 1} if first is not None else {}
            people.append(Item("users", file, path, f, doc=g.doc, alias=_GENERATED_ALIAS, gen=g, n=n))

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

    def expand_generated(self) -> None:
        """Fill in the generated people now that their ids are known (patterns may use ``{id}``)."""
        names: dict[str, gen.Names] = {}
        by_gen: dict[int, list[Item]] = {}  # each entry's people, in world order, in one pass
        for it in self.items["users"]:
            if it.gen is not None:
                by_gen.setdefault(id(it.gen), []).append(it)
        enrollments = self.items["enrollments"]
        for g in self.gens:
            mine = by_gen.get(id(g), [])
            if g.file not in names:
                names[g.file] = gen.Names(g.row["seed"])
            v = g.f
            prefix = v["prefix"]
            tokens = v.get("tokens", [])
            enrolls = v.get("enroll", [])
            login_pattern = v.get("login_pattern", gen.DEFAULT_LOGIN_PATTERN)
            key_pattern = v.get("key_pattern", gen.DEFAULT_KEY_PATTERN)
            sis_pattern = v.get("sis_pattern", gen.DEFAULT_SIS_PATTERN)
            domain = "@" + v.get("email_domain", gen.DEFAULT_EMAIL_DOMAIN)
            extra = {k: v[k] for k in ("account", "time_zone") if k in v}
            # per ``enroll`` entry: where to blame it, its fields, and per section its alias
            plans = []
            for j, spec in enumerate(enrolls):
                where = f"{g.path}.enroll" + (f"[{j}]" if len(enrolls) > 1 else "")
                fixed = {k: spec[k] for k in ("type", "state") if k in spec}
                secs = spec.get("sections") or []
                aliases = [{**_ENROLL_ALIAS, "section": f"sections[{k}]"} for k in range(len(secs))]
                plans.append((where, spec["course"], fixed, secs, aliases))
            fill = {"prefix": prefix, "PREFIX": prefix.upper()}  # what gen.fill() gives a pattern
            for it, name in zip(mine, names[g.file].take(len(mine))):
                n = fill["n"] = it.n
                fill["id"] = it.id
                login = login_pattern.format_map(fill)
                it.key = key_pattern.format_map(fill)
                f = it.f
                f["name"] = name
                f["login_id"] = login
                f["email"] = login + domain
                f["sis_user_id"] = sis_pattern.format_map(fill)
                if extra:
                    f.update(extra)
                if n <= len(tokens):
                    self.token_rows.append({"token": tokens[n - 1], "user": it, "file": g.file,
                                            "at": f"{g.path}.tokens[{n - 1}]"})
                for where, course, fixed, secs, aliases in plans:
                    ef = {"user": it.id, "course": course}
                    if fixed:
                        ef.update(fixed)
                    alias = _ENROLL_ALIAS
                    if secs:
                        # round robin: the n-th person of the entry goes to section (n-1) mod len
                        k = (n - 1) % len(secs)
                        ef["section"], alias = secs[k], aliases[k]
                    enrollments.append(Item("enrollments", g.file, where, ef, doc=g.doc, alias=alias))
        # A file's generated enrollments follow its own enrollments and precede the next file's,
        # so that adding a file never renumbers the enrollments of the files before it.
        self.items["enrollments"].sort(key=lambda it: (it.doc, it.path.startswith("generate")))

    # -- phase 3: references and rules -------------------------------------------------------
    def resolve(self, it: Item, name: str, kind: str, value: Any = None,
                where: str | None = None) -> Item | None:
        if value is None:
            value = it.f.get(name)
        if value is None:
            return None
        table = self.by_key[kind] if isinstance(value, str) else self.by_id[kind]
        target = table.get(value)
        if target is None:
            self.err(it.file, where or it.at(name), f"no {gen.NOUNS[kind]} {value!r}")
        it.r[name] = target
        return target

    def claim(self, it: Item, name: str, value: Any) -> None:
        """Uniqueness the store's indexes rely on (SIS ids, login ids, e-mail addresses)."""
        if value is None:
            return
        taken = self.unique.get(it.kind + "." + name)
        if taken is None:
            taken = self.unique[it.kind + "." + name] = set()
        slot = value
        if name in ("login_id", "email"):
            folded = value.casefold()
            slot = value if folded == value else folded  # no copy of what is folded already
        if slot in taken:
            self.err(it.file, it.at(name), f"duplicate {name} {value!r}")
        else:
            taken.add(slot)

    def copy(self, it: Item, *names: str) -> None:
        it.row.update({n: it.f[n] for n in names if n in it.f})

    def build(self) -> None:
        self.build_accounts()
        self.build_users()
        for it in self.items["admins"]:
            acc, user = self.resolve(it, "account", "accounts"), self.resolve(it, "user", "users")
            if acc and user:
                it.row = {"account_id": acc.id, "user_id": user.id, "role": it.f.get("role", "AccountAdmin")}
        for it in self.items["courses"]:
            acc = self.resolve(it, "account", "accounts")
            if acc is None:
                continue
            it.row = {"name": it.f["name"], "course_code": it.f.get("course_code", it.f["name"]),
                      "account_id": acc.id, "root_account_id": acc.r["root"].id}
            self.copy(it, "sis_course_id", "workflow_state", "time_zone", "allow_student_organized_groups",
                      "start_at", "end_at", "uuid", "created_at")
            self.claim(it, "sis_course_id", it.f.get("sis_course_id"))
        for it in self.items["sections"]:
            course = self.resolve(it, "course", "courses")
            if course is not None:
                it.row = {"course_id": course.id, "name": it.f.get("name", course.f["name"])}
                self.copy(it, "sis_section_id", "created_at")
                self.claim(it, "sis_section_id", it.f.get("sis_section_id"))
        self.build_enrollments()
        self.build_categories()
        self.build_groups()
        for it in self.items["stream_items"]:
            group = self.resolve(it, "group", "groups")
            readers = [self.resolve(it, "read_by", "users", v, f"{it.at('read_by')}[{i}]")
                       for i, v in enumerate(it.f.get("read_by", []))]
            if group is not None:
                it.row = {"group_id": group.id, "type": it.f["type"], "title": it.f["title"],
                          "read_by": frozenset(u.id for u in readers if u is not None)}
                self.copy(it, "message", "notification_category", "created_at", "updated_at")
        self.build_tokens()

    def build_accounts(self) -> None:
        accounts = self.items["accounts"]
        for it in accounts:
            self.resolve(it, "parent", "accounts")
        looped: set[int] = set()
        for it in accounts:
            seen, cur = [it], it
            while cur is not None and cur.r.get("parent") is not None:
                cur = cur.r["parent"]
                if id(cur) in looped:
                    cur = None  # a loop already reported
                elif any(cur is x for x in seen):
                    self.err(it.file, it.at("parent"), "the parent chain loops")
                    looped.update(id(x) for x in seen)
                    cur = None
                else:
                    seen.append(cur)
            it.r["root"] = cur or it  # stands in on a loop so later checks do not pile up errors
            parent = it.r.get("parent")
            it.row = {"name": it.f["name"], "parent_account_id": parent.id if parent else None,
                      "root_account_id": cur.id if cur is not None and cur is not it else None}
            self.copy(it, "sis_account_id", "default_time_zone", "uuid", "lti_guid", "workflow_state",
                      "created_at")
            self.claim(it, "sis_account_id", it.f.get("sis_account_id"))

    def build_users(self) -> None:
        roots = [a for a in self.items["accounts"] if a.r["root"] is a]
        for it in self.items["users"]:
            acc = self.resolve(it, "account", "accounts")
            if acc is None and "account" not in it.f:
                acc = roots[0] if roots else None
                if acc is None:
                    self.err(it.file, it.at("account"), "required (the world has no root account)")
            if acc is not None and acc.r["root"] is not acc:
                self.err(it.file, it.at("account"), f"{acc.label} is not a root account")
            f = it.f
            name = f["name"]
            sortable = f["sortable_name"] if "sortable_name" in f else gen.sortable_name(name)
            row = {"name": name, "sortable_name": sortable, "short_name": f.get("short_name", name),
                   "account_id": acc.id if acc else 1}
            row.update({n: f[n] for n in _USER_FIELDS if n in f})
            for name_ in ("login_id", "email", "sis_user_id"):
                self.claim(it, name_, f.get(name_))
            for j, tok in enumerate(f.get("tokens", ())):
                self.token_rows.append({"token": tok, "user": it, "file": it.file,
                                        "at": f"{it.at('tokens')}[{j}]"})
            # the row itself rather than its fields: a world's people are most of its memory
            it.row, it.f = r.User(id=it.id, **row), None  # type: ignore[assignment]

    def build_enrollments(self) -> None:
        first_section: dict[int, Item] = {}
        for s in self.items["sections"]:
            c = s.r.get("course")
            if c is not None and (c.id not in first_section or s.id < first_section[c.id].id):
                first_section[c.id] = s
        next_section = max(self.by_id["sections"], default=0) + 1
        seen: set[tuple[int, int, str]] = set()
        # (user, course) -> live sections: a section id, or a set of them when there are several
        self.sections_of: dict[tuple[int, int], int | set[int]] = {}
        for it in self.items["enrollments"]:
            user = self.resolve(it, "user", "users")
            course = self.resolve(it, "course", "courses")
            section = self.resolve(it, "section", "sections")
            if section is not None and section.r.get("course") is not None:
                if course is None and "course" not in it.f:
                    course = section.r["course"]
                elif course is not None and section.r["course"] is not course:
                    self.err(it.file, it.at("section"), f"{section.label} is not in {course.label}")
            if course is None:
                if "course" not in it.f and "section" not in it.f:
                    self.err(it.file, it.at("course"), "required (or give a section)")
                continue
            if section is None and "section" not in it.f:
                section = first_section.get(course.id)
                if section is None:
                    # Canvas gives every course a default section named after the course.
                    section = Item("sections", it.file, it.path, {}, id=next_section,
                                   row={"course_id": course.id, "name": course.f["name"]})
                    section.r["course"] = course
                    next_section += 1
                    self.items["sections"].append(section)
                    first_section[course.id] = section
            if user is None or section is None:
                continue
            etype = it.f.get("type", "student")
            etype = gen.TYPE_ALIASES.get(etype, etype)
            state = it.f.get("state", "active")
            if (user.id, section.id, etype) in seen:
                self.err(it.file, it.path, f"{user.label} is already enrolled as {etype} in {section.label}")
            seen.add((user.id, section.id, etype))
            if state != "deleted":
                mine = self.sections_of.setdefault((user.id, course.id), section.id)
                if mine != section.id:
                    if isinstance(mine, int):
                        self.sections_of[(user.id, course.id)] = {mine, section.id}
                    else:
                        mine.add(section.id)
            it.row = r.Enrollment(id=it.id, user_id=user.id, course_id=course.id,  # type: ignore[assignment]
                                  course_section_id=section.id, type=etype, workflow_state=state,
                                  created_at=it.f.get("created_at"))
            it.f = it.r = None  # type: ignore[assignment]  # nothing reads an enrollment's item again

    def build_categories(self) -> None:
        for it in self.items["group_categories"]:
            if ("course" in it.f) == ("account" in it.f):
                self.err(it.file, it.path, "needs exactly one of course, account")
                continue
            if "course" in it.f:
                ctx = self.resolve(it, "course", "courses")
                ctype, root = "Course", ctx.row.get("root_account_id") if ctx else None
            else:
                ctx = self.resolve(it, "account", "accounts")
                ctype, root = "Account", ctx.r["root"].id if ctx else None
            if ctx is None or root is None:
                continue
            it.row = {"name": it.f["name"], "context_type": ctype, "context_id": ctx.id,
                      "root_account_id": root}
            self.copy(it, "role", "self_signup", "group_limit", "auto_leader", "sis_group_category_id",
                      "non_collaborative", "created_at")
            it.r["context"] = ctx
            self.claim(it, "sis_group_category_id", it.f.get("sis_group_category_id"))

    def build_groups(self) -> None:
        placed: dict[tuple[int, int], Item] = {}  # (category id, user id) -> the group the user is in
        users_by_key, users_by_id = self.by_key["users"], self.by_id["users"]
        for it in self.items["groups"]:
            cat = self.resolve(it, "category", "group_categories")
            at = partial(_member_at, it)
            # (user, where, state, moderator) of each member
            members: list[tuple[Item, str | int, str, bool]] = []
            listed: set[int] = set()
            for ref_, where, state, moderator in it.f.get("members", []):
                user = (users_by_key if isinstance(ref_, str) else users_by_id).get(ref_)
                if user is None:
                    self.err(it.file, at(where), f"no user {ref_!r}")  # as resolve() would say
                    continue
                if id(user) in listed:
                    self.err(it.file, at(where), f"{user.label} is listed twice")
                    continue
                listed.add(id(user))
                members.append((user, where, state, moderator))
            leader = self.resolve(it, "leader", "users")
            if leader is not None and id(leader) not in listed:
                self.err(it.file, it.at("leader"), f"{leader.label} is not a member of this group")
            if cat is None or not cat.row:
                continue
            ctx, crow = cat.r["context"], cat.row
            live = it.f.get("workflow_state", "available") != "deleted"
            common: set[int] | None = None  # sections every member so far shares
            in_course = crow["context_type"] == "Course"
            restricted = crow.get("self_signup") == "restricted"
            multiple = crow.get("role") in ("student_organized", "communities")
            for user, where, _, _ in members:
                if in_course:
                    mine = self.sections_of.get((user.id, ctx.id))
                    if mine is None:
                        self.err(it.file, at(where), f"{user.label} is not enrolled in {ctx.label}")
                    elif restricted:
                        # GroupMembership#verify_section_homogeneity_if_necessary
                        mine = {mine} if isinstance(mine, int) else mine
                        if common is not None and not common & mine:
                            self.err(it.file, at(where), f"{user.label} shares no section with the other "
                                                         "members (self_signup is restricted)")
                        common = mine if common is None else common & mine or common
                if live:
                    other = placed.setdefault((cat.id, user.id), it)
                    if other is not it and not multiple:
                        self.err(it.file, at(where), f"{user.label} is already in {other.label} of "
                                                     f"{cat.label}, which allows one group per user")
            accepted = [m[0] for m in members if m[2] == "accepted"]
            limit = it.f.get("max_membership") or crow.get("group_limit")
            if limit is not None and crow.get("role") != "student_organized" and len(accepted) > limit:
                self.err(it.file, it.at("members"),
                         f"{len(accepted)} accepted members, more than the limit of {limit}")
            if leader is None and accepted and crow.get("auto_leader"):
                # what GroupLeadership does when these members join: the group gets a leader
                leader = accepted[0] if crow["auto_leader"] == "first" else \
                    random.Random(f"{self.seeds[0]}:{it.id}").choice(accepted)
            it.row = {"name": it.f["name"], "context_type": crow["context_type"], "context_id": ctx.id,
                      "root_account_id": crow["root_account_id"], "group_category_id": cat.id,
                      "non_collaborative": crow.get("non_collaborative", False),
                      "storage_quota_mb": it.f.get("storage_quota_mb", self.settings.group_default_quota_mb),
                      "leader_id": leader.id if leader else None}
            self.copy(it, "description", "is_public", "join_level", "max_membership", "sis_group_id",
                      "workflow_state", "uuid", "created_at", "updated_at")
            self.claim(it, "sis_group_id", it.f.get("sis_group_id"))
            gid = it.id
            self.memberships.extend((gid, user.id, state, moderator) for user, _, state, moderator in members)

    def build_tokens(self) -> None:
        for it in self.items["tokens"]:
            user = self.resolve(it, "user", "users")
            if user is not None:
                self.token_rows.append({"token": it.f["token"], "user": user, "file": it.file,
                                        "at": it.at("token"), "expires_at": it.f.get("expires_at"),
                                        "revoked": it.f.get("revoked", False)})
        seen: set[str] = set()
        for t in self.token_rows:
            if t["token"] in seen:
                self.err(t["file"], t["at"], f"duplicate token {t['token']!r}")
            seen.add(t["token"])

    # -- phase 4: insert ---------------------------------------------------------------------
    def insert(self, store: Store) -> None:
        """Insert every row, table by table in id order, then the tokens (in their users' order).

        The loader is spent afterwards: its items are let go table by table as their rows go in,
        so that the world being built and the items it is built from are not both held whole.
        """
        # tokens in the order of their users' ids (a stable sort keeps each user's in file order)
        tokens = sorted(((t["user"].id, t["token"], t.get("expires_at"), t.get("revoked", False))
                         for t in self.token_rows), key=lambda t: t[0])
        memberships = self.memberships
        self.token_rows, self.memberships = [], []
        # what only the checks needed
        self.by_key = self.by_id = {}
        self.unique, self.sections_of, self.gens = {}, {}, []
        for table in ("accounts", "users", "admins", "courses", "sections", "enrollments",
                      "group_categories", "groups", "stream_items"):
            items = self.items.pop(table)
            items.sort(key=lambda i: i.id)
            store.load_rows(table, _rows_of(table, items))
            del items
            if table == "groups":
                memberships.sort(key=lambda m: m[0])  # stable: by group, then as listed
                next_id = store.next_id
                store.load_rows("memberships", (
                    r.GroupMembership(next_id("memberships"), g, u, workflow_state=s, moderator=m)
                    for g, u, s, m in memberships))
                del memberships
        self.items.clear()
        for user_id, token, expires_at, revoked in tokens:
            store.add_token(token, user_id, expires_at=expires_at, revoked=revoked)


def _member_at(group: Item, where: str | int) -> str:
    """Where a member of a group is in its file (parsing keeps a plain member's index only)."""
    return where if isinstance(where, str) else f"{group.at('members')}[{where}]"


def _rows_of(table: str, items: list[Item]) -> Iterator[Any]:
    """The row of each item, letting go of each item's parts as its row is taken."""
    cls = TABLES[table]
    for i, it in enumerate(items):
        row = it.row
        it.f = it.r = it.row = None  # type: ignore[assignment]
        items[i] = None  # type: ignore[call-overload]
        yield cls(id=it.id, **row) if isinstance(row, dict) else row


# -- public API ------------------------------------------------------------------------------


def _paths(paths: PathLike | Iterable[PathLike] | None) -> list[Path]:
    if paths is None:
        return [DEFAULT_WORLD]
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    out = [Path(p) for p in paths]
    return out or [DEFAULT_WORLD]


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
    loader = _Loader(store.settings if store is not None else (settings or Settings()))
    for path in paths:
        loader.read(path)
    loader.check()
    for kind in ("accounts", "users", "admins", "courses", "sections", "group_categories", "groups",
                 "stream_items"):
        loader.assign_ids(kind)
    loader.check()  # generated people need their ids before their patterns can be filled
    loader.expand_generated()  # ... and it adds enrollments, numbered next
    loader.assign_ids("enrollments")
    for kind in gen.NOUNS:
        loader.register_keys(kind)
    loader.check()
    loader.build()
    loader.check()
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
