"""The users area of a world file: ``users``, the people ``generate`` makes, and ``tokens``.

A ``generate`` entry becomes one item per person while the file is read (so their ids and keys are
checked like any other user's); their names, logins and enrollments are filled in once the ids are
known (:func:`expand_generated`, whose enrollments are numbered after each file's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..store import records as r
from . import names as gen
from .accounts import root_account
from .enrollments import ENROLL
from .fields import DT, ID, B, F, S, enum, integer, ref, req
from .loader import Item, Loader, Section

if TYPE_CHECKING:
    from ..store import Store

USER_FIELDS = {
    **ID, "name": req(S), "sortable_name": S, "short_name": S, "login_id": S, "email": S, "sis_user_id": S,
    "integration_id": S, "time_zone": S, "account": ref("accounts"), "uuid": S, "pronouns": S, "locale": S,
    "avatar_url": S, "bio": S, "title": S, "pronunciation": S, "last_login": DT,
    "workflow_state": enum("registered", "pre_registered", "deleted"), "created_at": DT, "updated_at": DT,
    "tokens": F("strs"),
}
GENERATE_FIELDS = {
    "prefix": req(S), "count": req(integer(0)), "first_id": integer(1), "account": ref("accounts"),
    "enroll": F("subs", schema=ENROLL), "tokens": F("strs"), "key_pattern": S, "login_pattern": S,
    "sis_pattern": S, "email_domain": S, "time_zone": S,
}
TOKEN_FIELDS = {"token": req(S), "user": req(ref("users")), "expires_at": DT, "revoked": B}

# the fields copied as given into a user's row
_COPIED = ("login_id", "email", "sis_user_id", "integration_id", "time_zone", "uuid", "pronouns", "locale",
           "avatar_url", "bio", "title", "pronunciation", "last_login", "workflow_state", "created_at",
           "updated_at")
# where the fields of a generated person, and of the enrollments ``enroll`` makes, are blamed
_GENERATED_ALIAS = {"id": "first_id", "key": "key_pattern", "login_id": "login_pattern",
                    "sis_user_id": "sis_pattern", "email": "email_domain"}
_ENROLL_ALIAS = {"course": "course", "type": "type", "state": "state"}


def _token_rows(loader: Loader) -> list[dict[str, Any]]:
    """Every token given so far: {token, user (item), file, at, expires_at?, revoked?}."""
    return loader.shared.setdefault("users.tokens", [])


# -- generate ----------------------------------------------------------------------------------


def add_generate(loader: Loader, file: str, path: str, values: dict[str, Any], seed: int) -> None:
    g = Item("users", file, path, values, doc=len(loader.seeds))
    g.row["seed"] = seed
    loader.shared.setdefault("users.generate", []).append(g)
    for name in ("key_pattern", "login_pattern", "sis_pattern"):
        problem = gen.check_pattern(values[name]) if name in values else None
        if problem:
            loader.err(file, f"{path}.{name}", problem)
    count = values.get("count", 0)
    # one load makes at most Settings.max_generate_count people (a typo of a few zeros would
    # otherwise take the memory of the machine before any error could be reported)
    cap = loader.settings.max_generate_count
    total = loader.shared.get("users.generated", 0) + count
    if total > cap:
        loader.err(file, f"{path}.count", f"{count} people would make {total} generated in this world, more "
                                          f"than the maximum of {cap} (Settings.max_generate_count)")
        count = 0
    elif len(values.get("tokens", ())) > count:
        loader.err(file, f"{path}.tokens", f"more tokens than people (count is {count})")
    loader.shared["users.generated"] = loader.shared.get("users.generated", 0) + count
    first = values.get("first_id")
    # Each generated person is an item of its own so ids and keys are checked like any other.
    people = loader.items["users"]
    for n in range(1, count + 1):
        f = {"id": first + n - 1} if first is not None else {}
        people.append(Item("users", file, path, f, doc=g.doc, alias=_GENERATED_ALIAS, gen=g, n=n))


def expand_generated(loader: Loader) -> None:
    """Fill in the generated people now that their ids are known (patterns may use ``{id}``)."""
    gens: list[Item] = loader.shared.pop("users.generate", [])
    if not gens:
        return
    token_rows = _token_rows(loader)
    names: dict[str, gen.Names] = {}
    by_gen: dict[int, list[Item]] = {}  # each entry's people, in world order, in one pass
    for it in loader.items["users"]:
        if it.gen is not None:
            by_gen.setdefault(id(it.gen), []).append(it)
    enrollments = loader.items["enrollments"]
    for g in gens:
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
                token_rows.append({"token": tokens[n - 1], "user": it, "file": g.file,
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
    enrollments.sort(key=lambda it: (it.doc, it.path.startswith("generate")))


# -- users and tokens ----------------------------------------------------------------------------


def build_users(loader: Loader) -> None:
    token_rows = _token_rows(loader)
    claim = loader.claim
    for it in loader.items["users"]:
        acc = root_account(loader, it)
        f = it.f
        name = f["name"]
        sortable = f["sortable_name"] if "sortable_name" in f else gen.sortable_name(name)
        row = {"name": name, "sortable_name": sortable, "short_name": f.get("short_name", name),
               "account_id": acc.id if acc else 1}
        row.update({n: f[n] for n in _COPIED if n in f})
        for name_ in ("login_id", "email", "sis_user_id", "integration_id"):
            claim(it, name_, f.get(name_))
        for j, tok in enumerate(f.get("tokens", ())):
            token_rows.append({"token": tok, "user": it, "file": it.file, "at": f"{it.at('tokens')}[{j}]"})
        # the row itself rather than its fields: a world's people are most of its memory
        it.row, it.f = r.User(id=it.id, **row), None  # type: ignore[assignment]


def build_tokens(loader: Loader) -> None:
    token_rows = _token_rows(loader)
    for it in loader.items["tokens"]:
        user = loader.resolve(it, "user", "users")
        if user is not None:
            token_rows.append({"token": it.f["token"], "user": user, "file": it.file,
                               "at": it.at("token"), "expires_at": it.f.get("expires_at"),
                               "revoked": it.f.get("revoked", False)})
    seen: set[str] = set()
    for t in token_rows:
        if t["token"] in seen:
            loader.err(t["file"], t["at"], f"duplicate token {t['token']!r}")
        seen.add(t["token"])
    # in the order of their users' ids (a stable sort keeps each user's in file order)
    loader.pending["tokens"] = sorted(((t["user"].id, t["token"], t.get("expires_at"), t.get("revoked", False))
                                       for t in token_rows), key=lambda t: t[0])


def insert_tokens(loader: Loader, store: Store) -> None:
    for user_id, token, expires_at, revoked in loader.pending.pop("tokens", ()):
        store.add_token(token, user_id, expires_at=expires_at, revoked=revoked)


SECTIONS = (
    Section("users", USER_FIELDS, noun="user", table="users", build=build_users),
    Section("generate", GENERATE_FIELDS, parse=add_generate, expand=expand_generated, expands=("enrollments",)),
    Section("tokens", TOKEN_FIELDS, noun="token", build=build_tokens, insert=insert_tokens),
)
