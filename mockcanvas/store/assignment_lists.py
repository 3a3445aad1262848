"""The assignment lists: ``AssignmentsApiController#get_assignments`` (index, the group route and
``user_index``), canvas-facts-assignments 4.1, with ``SortsAssignments`` (lib/sorts_assignments.rb).

The scope, then the filters in Canvas's order: ``search_term`` (2 characters, a case-insensitive
substring of the title), ``bucket`` (an unknown name is the 400 below), ``post_to_sis`` (any value
given: ``value_to_boolean``), ``new_quizzes`` (the mock has none: nothing), ``assignment_ids[]``
(more than 100 is a 400; the ids left out are checked on the page, by the handler). Then the order:
``position`` (default, and any unknown value): group position, assignment position, id; ``name``:
the title (case-folded), then the default; ``due_at``: for read_as_admin callers the latest of the
base and override due dates, for others their own due date, missing ones last, then the title and
the default.

Speed: a teacher's default list (no filter, position order) is a chain of the course's groups'
``by_group`` buckets, never copied: its length costs O(groups) and a page O(page). When two active
groups share a position Canvas's SQL interleaves their assignments, so the chain gives way to a sort.
Any filter, another order or a student's view costs O(assignments of the course).

Buckets (``SortsAssignments``, an older copy read; the modern one keeps the names): for the
**requested** user's dates (an observer of exactly one student: that student's), with the clock's
now: ``past`` (due before now), ``overdue`` (past, expects a submission, the user is a student it is
assigned to whose row is neither submitted nor graded), ``undated``, ``ungraded`` (the caller may
grade and rows need grading), ``unsubmitted`` (only for callers with manage_grades: expects a
submission and the user has no submitted row; INFERRED from the older "no submission id"),
``upcoming`` (due within a week), ``future`` (not past: undated ones too).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import as_list, value_to_boolean
from . import assignment_dates
from .base import IdView, fold
from .people import normalize_search_term

if TYPE_CHECKING:
    from . import Store
    from . import records as r
    from .assignments import Assignment

BUCKETS = ("past", "overdue", "undated", "ungraded", "unsubmitted", "upcoming", "future")
MSG_BUCKET = "bucket name must be one of the following: " + ", ".join(BUCKETS)
MAX_IDS = 100
NO_SUBMISSION = frozenset({"none", "not_graded", "on_paper", "wiki_page", "external_tool", ""})
_FAR = datetime.max.replace(tzinfo=None)


class ChainView(Sequence):
    """Several sorted buckets read as one sequence of ids, without copying them."""

    __slots__ = ("_parts", "_len")

    def __init__(self, parts: list[IdView]) -> None:
        self._parts = parts
        self._len = sum(len(p) for p in parts)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            start, stop, step = i.indices(self._len)
            if step != 1:
                return [self[j] for j in range(start, stop, step)]
            out: list[int] = []
            for part in self._parts:
                n = len(part)
                if stop <= 0:
                    break
                if start < n:
                    out.extend(part[max(start, 0):min(stop, n)])
                start -= n
                stop -= n
            return out
        if i < 0:
            i += self._len
        for part in self._parts:
            if i < len(part):
                return part[i]
            i -= len(part)
        raise IndexError(i)


def bucket_error() -> E.Invalid:
    return E.Invalid({"bucket": [MSG_BUCKET]})


def expects_submission(a: Assignment) -> bool:
    """``expects_submission?``: a submission type that is submitted online or on a form."""
    types = set(a.submission_types.split(","))
    return bool(types) and not types <= NO_SUBMISSION


class AssignmentLists:
    """One list request: ``ids()`` gives the ordered assignment ids (a sequence, paged by the caller)."""

    def __init__(self, store: Store, course: r.Course, caller: r.User | None, user: r.User | None,
                 params: dict[str, Any], group_ref: str | None = None) -> None:
        self.s = store
        self.course = course
        self.caller = caller  # who asks (buckets: their grading rights)
        self.user = user  # whom the list is for (user_index: the student)
        self.params = params
        self.group_ref = group_ref

    # -- the assignments of the route ------------------------------------------------------
    def _group_id(self) -> int | None:
        gid = self.s.find_id(self.group_ref) if self.group_ref is not None else None
        return -1 if gid is None else gid

    def _fast(self) -> Sequence[int] | None:
        """The O(page) path: a teacher's unfiltered list in the default order."""
        s = self.s
        by_group = s.idx["assignments"]["by_group"]
        if self.group_ref is not None:
            gid = self._group_id()
            group = s.get("assignment_groups", gid)
            if group is None or group.course_id != self.course.id:
                return []
            return by_group.id_view(gid)
        groups = s.assignment_groups.active(self.course.id)
        positions = [g.position for g in groups]
        if len(set(positions)) != len(positions):
            return None
        return ChainView([by_group.id_view(g.id) for g in groups])

    def _rows(self) -> list[Assignment]:
        get = self.s.rows["assignments"].get
        rows = [get(i) for i in self.s.idx["assignments"]["by_course"].ids(self.course.id)]
        if self.group_ref is not None:
            gid = self._group_id()
            rows = [a for a in rows if a.assignment_group_id == gid]
        return rows

    # -- the list ----------------------------------------------------------------------------
    def ids(self) -> Sequence[int]:
        p = self.params
        s = self.s
        full = s.assignments.full_scope(self.user, self.course)
        term = p.get("search_term")
        term = normalize_search_term(term if isinstance(term, str) else None, s.settings.search_term_min_length)
        bucket = p.get("bucket")
        if bucket is not None and (not isinstance(bucket, str) or bucket not in BUCKETS):
            raise bucket_error()
        ids_param = p.get("assignment_ids")
        wanted = [str(v) for v in as_list(ids_param)] if ids_param is not None else None
        if wanted is not None and len(wanted) > MAX_IDS:
            raise E.BadRequest({"message": f"Request contains too many assignment_ids.  Limit {MAX_IDS}"})
        order = p.get("order_by")
        plain = (full and term is None and bucket is None and p.get("post_to_sis") is None
                 and p.get("new_quizzes") is None and wanted is None and order not in ("name", "due_at"))
        if plain:
            fast = self._fast()
            if fast is not None:
                return fast
        rows = self._rows()
        if not full:
            rows = [a for a in rows if s.assignments.visible(self.user, a)]
        if term is not None:
            t = term.casefold()
            rows = [a for a in rows if t in a.title.casefold()]
        if bucket is not None:
            rows = self._bucket(rows, bucket)
        if p.get("post_to_sis") is not None:
            want = value_to_boolean(p["post_to_sis"])
            rows = [a for a in rows if a.post_to_sis == want]
        if p.get("new_quizzes") is not None:
            rows = []  # no New Quizzes in the mock
        if wanted is not None:
            keep = {s.find_id(v) for v in wanted}
            rows = [a for a in rows if a.id in keep]
        rows.sort(key=self._sort_key(order))
        return [a.id for a in rows]

    def _sort_key(self, order: Any):
        s = self.s
        positions = {g.id: g.position for g in s.assignment_groups.active(self.course.id)}

        def base(a: Assignment) -> tuple:
            group = positions.get(a.assignment_group_id)
            if group is None:
                found = s.get("assignment_groups", a.assignment_group_id)
                group = found.position if found is not None else 0
            return (group, a.position, a.id)

        if order == "name":
            return lambda a: (fold(a.title), *base(a))
        if order == "due_at":
            admin = "read_as_admin" in s.assignments.rights(self.user, self.course)
            due = self._latest_due if admin else self._own_due
            return lambda a: (*_nulls_last(due(a)), fold(a.title), *base(a))
        return base

    def _latest_due(self, a: Assignment) -> datetime | None:
        """``with_latest_due_date``: the latest of the base and the active overrides' due dates."""
        dates = [a.due_at] + [o.due_at for o in self.s.assignment_overrides.active(a.id) if o.due_at_overridden]
        dates = [d for d in dates if d is not None]
        return max(dates) if dates else None

    def _own_due(self, a: Assignment) -> datetime | None:
        return assignment_dates.dates_for(self.s, a, self.user)[0]

    # -- SortsAssignments -----------------------------------------------------------------------
    def _sorting_user(self) -> r.User | None:
        """An observer of exactly one student sorts by that student's dates."""
        user = self.user
        if user is None:
            return None
        observed = {e.associated_user_id for e in self.s.policy.enrollments(user.id, self.course.id)
                    if e.type == "ObserverEnrollment" and e.associated_user_id is not None}
        if len(observed) == 1:
            found = self.s.get("users", observed.pop())
            return found if found is not None else user
        return user

    def _bucket(self, rows: list[Assignment], bucket: str) -> list[Assignment]:
        s = self.s
        now = s.now()
        user = self._sorting_user()
        caller_rights = s.assignments.rights(self.caller, self.course)
        grader = "manage_grades" in caller_rights

        def due(a: Assignment) -> datetime | None:
            return assignment_dates.dates_for(s, a, user)[0]

        def submitted(a: Assignment) -> bool:
            sub = s.submissions.for_user(a.id, user.id) if user is not None else None
            return sub is not None and (sub.submission_type is not None or sub.workflow_state == "graded")

        if bucket == "past":
            return [a for a in rows if (d := due(a)) is not None and d < now]
        if bucket == "undated":
            return [a for a in rows if due(a) is None]
        if bucket == "future":
            return [a for a in rows if (d := due(a)) is None or d >= now]
        if bucket == "upcoming":
            limit = now + timedelta(weeks=1)
            return [a for a in rows if (d := due(a)) is not None and now <= d <= limit]
        if bucket == "overdue":
            student = user is not None and s.policy.is_student(user, self.course.id)
            return [a for a in rows if student and (d := due(a)) is not None and d < now and expects_submission(a)
                    and assignment_dates.visible_to(s, a, user) and not submitted(a)]
        if bucket == "ungraded":
            return [a for a in rows if grader and expects_submission(a) and s.submissions.needs_grading_count(a) > 0]
        # unsubmitted
        return [a for a in rows if grader and expects_submission(a) and not submitted(a)]


def _nulls_last(d: datetime | None) -> tuple:
    """PostgreSQL's ascending order: nulls last."""
    if d is None:
        return (1, _FAR)
    return (0, d if d.tzinfo is None else d.astimezone(timezone.utc).replace(tzinfo=None))
