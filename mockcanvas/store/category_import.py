"""CSV import of groups and memberships into a group category: the job behind
``POST /group_categories/:id/import``.

Mirrors ``GroupAndMembershipImporter#import_groups_from_attachment`` (app/models/
group_and_membership_importer.rb) and doc/api/group_category_csv.md:

* the file is checked first (``validate_file``: "Only CSV files are supported.", "Invalid UTF-8",
  then ``CSV.read`` with SIS::CSV's PARSE_ARGS: "Malformed CSV"), before anything changes;
* headers are downcased and stripped, fields stripped, blank fields nil; blank lines are skipped;
* ``group_from_row`` runs before ``user_from_row`` (a new group_name makes its group even when the
  row's user is unknown): the category's group by canvas_group_id, else by SIS group_id (a deleted
  one is restored), else its active group named group_name, else a new group of that name;
* ``user_from_row``: among the context's students, by canvas_user_id, else SIS user_id, else
  login_id; unknown users are skipped, and so is a user's second row;
* ``validate_user`` then ``bulk_add_users_to_group``: the user's memberships in the category's
  groups (deleted groups' too, as ``group_category.groups`` includes them) go, then the user is
  added (bulk: no live events unless ``Settings.live_events_bulk``).

The mock's additions, for a job that runs while the server serves other requests:

* the job runs in steps of ``Settings.import_chunk_rows`` rows (Canvas persists memberships every
  1,000 rows), each step all-or-nothing, with the Progress's completion updated between steps; under
  the background policy the server answers other requests between steps (store/progress.py), so a
  4.5-million-row file no longer stalls every request until it is done;
* each step first re-checks its target: a category deleted (or gone in a rollback) since the
  import was queued fails the Progress with "The group category was deleted" and nothing more is
  imported. Canvas's importer has no such check (it would restore and create groups in a deleted
  category, leaving live groups there); the mock refuses, so that no interleaving of jobs and
  deletes breaks the store invariants (tests/openapi/invariants.py);
* a group restored by canvas_group_id / SIS id brings back the memberships it had when deleted
  (Canvas leaves them alone); one whose user has since joined another live group of the category
  is removed (the later placement wins), so that a user is never in two groups of a category that
  allows one;
* lookups use the indexes (a group by id, SIS id and name, a user's memberships), not a scan of
  every group per row. The file is parsed twice (a first pass checks it, in steps too, without
  keeping the rows), so the memory the job holds is the file's text and one step of rows.

Limitations: the file is held as text, not as a Canvas Attachment; a group of the category that
is deleted, with a SIS id, while the job runs may be missed by the SIS lookup of a later row until
another write by someone else makes the job look again.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_left
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from ..coerce import digits_int
from . import records as r
from .base import fold

if TYPE_CHECKING:
    from . import Store

MSG_CATEGORY_DELETED = "The group category was deleted"
CHECK_ROWS_PER_STEP = 10  # the first pass (parse only) takes this many times a step's rows


class CategoryImport:
    """One import job: ``steps()`` is the generator ProgressOps drives (it yields the completion
    between steps and returns the Progress's results)."""

    def __init__(self, store: Store, category_id: int, data: bytes, extension: str = "csv") -> None:
        self.s = store
        self.cat_id = category_id
        self.data = data
        self.extension = extension
        self.chunk = max(1, int(store.settings.import_chunk_rows))
        self.added = 0
        self.seen: set[int] = set()
        self._students: dict[int, r.User] | None = None
        self._deleted_sis: dict[str, int] | None = None
        self._version = -1  # the store's version after our last step (a change means someone else wrote)

    # -- the job -----------------------------------------------------------------------------
    def steps(self) -> Generator[float, None, dict[str, Any]]:
        self._category()
        text = self._text()
        total = 0
        for n, _ in enumerate(self._rows(text), 1):  # the first pass: a malformed file changes nothing
            total = n
            if n % (self.chunk * CHECK_ROWS_PER_STEP) == 0:
                yield 0.0
                self._category()
        done = 0
        rows = self._rows(text)
        while True:
            cat = self._category()
            if self.s.version != self._version:  # someone else wrote since our last step
                self._students = self._deleted_sis = None
            batch = 0
            for row in rows:
                self._import_row(cat, row)
                batch += 1
                if batch == self.chunk:
                    break
            done += batch
            if batch < self.chunk:
                return {"memberships_added": self.added}
            # the runner sends back the store's version once it has noted the completion
            after = yield 100.0 * done / max(total, 1)
            self._version = after if after is not None else self.s.version

    def _category(self) -> r.GroupCategory:
        """The target, checked at every step: deleted or gone fails the job."""
        cat = self.s.get("group_categories", self.cat_id)
        if cat is None or cat.deleted_at is not None:
            raise ValueError(MSG_CATEGORY_DELETED)
        return cat

    def _text(self) -> str:
        if self.extension.lower() != "csv":
            raise ValueError("Only CSV files are supported.")
        try:
            text = self.data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise ValueError("Invalid UTF-8") from None
        self.data = b""  # the text is what the steps read: the bytes can go
        return text

    @staticmethod
    def _rows(text: str) -> Iterator[dict[str, str]]:
        """The rows as csv.DictReader gives them (the first row names the fields; blank lines are
        skipped; a later column of the same name wins), headers downcased and stripped, fields
        stripped (PARSE_ARGS)."""
        reader = csv.reader(io.StringIO(text), strict=True)
        try:
            header = None
            for values in reader:
                if not values:
                    continue
                if header is None:
                    header = [h.strip().lower() for h in values]
                    continue
                row = {}
                for i, name in enumerate(header):
                    row[name] = values[i].strip() if i < len(values) else ""
                yield row
        except csv.Error:
            raise ValueError("Malformed CSV") from None

    # -- one row -----------------------------------------------------------------------------
    def _import_row(self, cat: r.GroupCategory, row: dict[str, str]) -> None:
        group = self._group(cat, row)
        if group is None:
            return
        user = self._user(cat, row)
        if user is None or user.id in self.seen:
            return
        self.seen.add(user.id)
        s = self.s
        with s.bulk("memberships"):  # Group#bulk_add_users_to_group: no callbacks
            for mid in list(s.idx["memberships"]["by_user"].ids(user.id)):
                m = s.get("memberships", mid)
                if m.group_id == group.id:
                    continue
                g = s.get("groups", m.group_id)
                if g is not None and g.group_category_id == cat.id:
                    s.memberships.remove(m)
            if s.memberships.of_pair(group.id, user.id) is None:
                now = s.now()
                s.insert("memberships", group_id=group.id, user_id=user.id, workflow_state="accepted",
                         created_at=now, updated_at=now)
                self.added += 1

    def _user(self, cat: r.GroupCategory, row: dict[str, str]) -> r.User | None:
        """user_from_row: among the context's students, by canvas_user_id, else SIS user_id, else
        login_id (each tried when the one before found nobody)."""
        if self._students is None:
            self._students = {u.id: u for u in self.s.categories.candidates(cat)}
        students = self._students
        uid = digits_int(row.get("canvas_user_id", ""))
        if uid in students:
            return students[uid]
        for col, index in (("user_id", "by_sis"), ("login_id", "by_login")):
            if row.get(col):
                key = row[col].casefold() if index == "by_login" else row[col]
                found = self.s.idx["users"][index].get(key)
                if found is not None and found in students:
                    return students[found]
        return None

    def _group(self, cat: r.GroupCategory, row: dict[str, str]) -> r.Group | None:
        """group_from_row: by canvas_group_id, else SIS group_id (a deleted one is restored), else
        the active group named group_name, else a new group of that name."""
        s = self.s
        g = None
        gid = digits_int(row.get("canvas_group_id", ""))
        if gid is not None:
            found = s.get("groups", gid)
            if found is not None and found.group_category_id == cat.id:
                g = found
        if g is None and row.get("group_id"):
            g = self._by_sis(cat, row["group_id"])
        if g is not None and g.workflow_state == "deleted":
            self._restore(cat, g)
        name = row.get("group_name")
        if g is None and name:
            g = self._active_named(cat, name)
            if g is None:
                now = s.now()
                g = s.insert("groups", name=name, context_type=cat.context_type, context_id=cat.context_id,
                             root_account_id=cat.root_account_id, group_category_id=cat.id,
                             max_membership=cat.group_limit, storage_quota_mb=s.settings.group_default_quota_mb,
                             created_at=now, updated_at=now)
        return g

    def _by_sis(self, cat: r.GroupCategory, sis: str) -> r.Group | None:
        s = self.s
        live = s.idx["groups"]["by_sis"].get(sis)
        if live is not None:
            g = s.get("groups", live)
            if g is not None and g.group_category_id == cat.id:
                return g
        if self._deleted_sis is None:  # the category's deleted groups by SIS id, lowest id first
            found: dict[str, int] = {}
            for x in s.all("groups"):
                if (x.group_category_id == cat.id and x.workflow_state == "deleted" and x.sis_group_id
                        and (x.sis_group_id not in found or x.id < found[x.sis_group_id])):
                    found[x.sis_group_id] = x.id
            self._deleted_sis = found
        gid = self._deleted_sis.get(sis)
        g = s.get("groups", gid) if gid is not None else None
        if g is not None and g.group_category_id == cat.id and g.sis_group_id == sis:
            return g
        return None

    def _active_named(self, cat: r.GroupCategory, name: str) -> r.Group | None:
        """The category's live group named exactly ``name`` (the lowest id), found by bisecting
        the category's groups index, whose keys are (folded name, id)."""
        keys = self.s.idx["groups"]["by_category"].keys(cat.id)
        folded = fold(name)
        i = bisect_left(keys, (folded,))
        while i < len(keys) and keys[i][0] == folded:
            g = self.s.get("groups", keys[i][-1])
            if g.name == name:
                return g
            i += 1
        return None

    def _restore(self, cat: r.GroupCategory, g: r.Group) -> None:
        """restore_group; then the revived memberships of users placed elsewhere since go."""
        s = self.s
        s._update("groups", g, workflow_state="available", deleted_at=None)
        if self._deleted_sis is not None and g.sis_group_id:
            self._deleted_sis.pop(g.sis_group_id, None)
        if cat.allows_multiple_memberships:
            return
        with s.bulk("memberships"):
            for m in list(s.memberships.live(g.id)):
                for mid in s.idx["memberships"]["by_user"].ids(m.user_id):
                    other = s.get("memberships", mid)
                    og = s.get("groups", other.group_id)
                    if (other.id != m.id and og is not None and og.id != g.id and og.group_category_id == cat.id
                            and og.workflow_state != "deleted"):
                        s.memberships.remove(m)
                        break
