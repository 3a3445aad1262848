"""Progress objects for asynchronous work, and when that work runs.

Mirrors ``Progress`` (app/models/progress.rb) and ``ProgressController``: states queued -> running ->
completed (completion 100) or failed (with a message); ``cancel`` sets failed and is allowed only
to the progress's own user; ``results`` are shown once the progress is no longer pending.

When a job runs is a *policy*, settable per store (and so per server and per test):

The creating call answers a ``queued`` progress, as Canvas's (the job is enqueued, no worker has
picked it up yet; a real Canvas 2025 answers ``queued``, canvas-facts Corrections 6); it turns
``running`` when its job starts and ``completed`` / ``failed`` when the job ends.

* ``background`` (default, as Canvas): the job runs right after the response, with no further
  request needed (the app schedules it on its loop);
* ``immediate``: the job runs inside the creating call (the answer is already ``completed``);
* ``manual``: the job runs only when advanced (``POST /__mockcanvas__/progress/:id/advance`` or
  :meth:`ProgressOps.advance`); until then the progress stays ``queued``;
* ``polls:N``: the job starts at the first read (``GET /progress/:id``: ``running``) and ends at
  the N-th (``polls:1`` ends it at the first);
* ``fail:MESSAGE``: the job does not run; the progress fails with MESSAGE at its first poll or
  advance.

A job runs inside :meth:`Store.atomic`: if it raises, everything it changed is undone and the
progress is ``failed`` with the exception's message, so the store is never left half-changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .. import errors as E
from ..coerce import digits_int
from ..events import JobSource, using_source
from . import records as r
from .base import SortedIndex

if TYPE_CHECKING:
    from . import Store

Job = Callable[[r.Progress], Any]
POLICIES = ("background", "immediate", "manual", "polls:N", "fail:MESSAGE")


def parse_policy(policy: str) -> tuple[str, Any]:
    """``"polls:3"`` -> ("polls", 3); raises ValueError for anything not in POLICIES."""
    name, _, arg = str(policy).partition(":")
    if name in ("background", "immediate", "manual") and not arg:
        return name, None
    if name == "polls" and (digits_int(arg) or 0) >= 1:
        return name, int(arg)
    if name == "fail":
        return name, arg or "Unexpected error"
    raise ValueError(f"unknown progress policy {policy!r}; one of: {', '.join(POLICIES)}")


class ProgressOps:
    def __init__(self, store: Store, policy: str | None = None) -> None:
        self.s = store
        if policy is None:
            policy = store.settings.progress_policy
        self.default_policy = policy
        self.policy = policy
        self._jobs: dict[int, Job] = {}
        parse_policy(policy)

    def reset(self) -> None:
        """After a rollback: jobs of rolled-back progresses are gone; the policy is the default."""
        self._jobs.clear()
        self.policy = self.default_policy

    def set_policy(self, policy: str) -> None:
        parse_policy(policy)
        self.policy = policy

    # -- creating and running ----------------------------------------------------------------
    def start(self, context_type: str, context_id: int, tag: str, job: Job,
              user_id: int | None = None) -> r.Progress:
        """Create a queued progress for ``job``; under ``immediate`` the job runs now."""
        with self.s.lock:
            now = self.s.now()
            # the job is only enqueued: the creating call answers ``queued`` (a real Canvas 2025;
            # older copies called ``start_progress`` first and the API docs' example says running)
            p = self.s.insert("progresses", context_type=context_type, context_id=context_id, tag=tag,
                              user_id=user_id, workflow_state="queued", created_at=now, updated_at=now)
            self._jobs[p.id] = job
            if parse_policy(self.policy)[0] == "immediate":
                self.run(p)
            return p

    @property
    def runs_in_background(self) -> bool:
        return parse_policy(self.policy)[0] == "background"

    def run(self, p: r.Progress) -> r.Progress:
        """Run the progress's job now (if it is still pending): queued -> running -> completed /
        failed (``Progress#process_job``: ``start`` before the job, ``complete`` or ``fail`` after)."""
        with self.s.lock:
            job = self._jobs.pop(p.id, None)
            if job is None or not p.pending:
                return p
            name, arg = parse_policy(self.policy)
            if name == "fail":
                self._set(p, workflow_state="failed", message=arg)
                return p
            self._start(p)
            try:
                # a job's live events carry the job's context, not the request's (Delayed::Worker
                # sets job.live_events_context: root account, job id and tag)
                with using_source(self._job_source(p)), self.s.atomic():
                    results = job(p)
            except Exception as exc:  # the job's own failure, reported as Canvas does
                self._set(p, workflow_state="failed", message=str(exc) or type(exc).__name__)
                return p
            self._set(p, workflow_state="completed", completion=100.0, results=results)
            return p

    def _job_source(self, p: r.Progress) -> JobSource:
        root = None
        if p.context_type == "GroupCategory":
            cat = self.s.get("group_categories", p.context_id)
            root = cat.root_account_id if cat is not None else None
        return JobSource(job_id=p.id, job_tag=p.tag, root_account_id=root)

    def run_pending(self) -> None:
        """Run every job still waiting (what the background policy does after a response)."""
        for pid in list(self._jobs):
            p = self.s.get("progresses", pid)
            if p is not None:
                self.run(p)

    def advance(self, p: r.Progress) -> r.Progress:
        """The control plane's explicit step, whatever the policy."""
        return self.run(p)

    def _start(self, p: r.Progress) -> None:
        """queued -> running: a worker picked the job up."""
        if p.workflow_state == "queued":
            self._set(p, workflow_state="running")

    def _set(self, p: r.Progress, **fields: Any) -> None:
        self.s._update("progresses", p, updated_at=self.s.now(), **fields)

    # -- the Progress API --------------------------------------------------------------------
    def find(self, ref: Any) -> r.Progress:
        return self.s.find("progresses", ref, live=False)

    def _context_rights(self, user: r.User, p: r.Progress) -> frozenset[str]:
        if p.context_type == "GroupCategory":
            cat = self.s.get("group_categories", p.context_id)
            if cat is None:
                return frozenset()
            return self.s.policy.context_rights(user, cat.context_type, cat.context_id)
        if p.context_type == "User":
            return frozenset({"read"}) if user.id == p.context_id else frozenset()
        return self.s.policy.context_rights(user, p.context_type, p.context_id)

    def poll(self, user: r.User, p: r.Progress) -> r.Progress:
        """``GET /progress/:id``: needs read on the context; counts the poll for ``polls:N``."""
        if "read" not in self._context_rights(user, p):
            raise E.Unauthorized()
        name, arg = parse_policy(self.policy)
        if p.pending and p.id in self._jobs:
            with self.s.lock:
                self.s._update("progresses", p, polls=p.polls + 1)
                # background: the job normally ran right after the creating response; a poll that
                # arrives first runs it, so a polling client always sees it finish
                if name in ("background", "fail") or (name == "polls" and p.polls >= arg):
                    self.run(p)
                elif name == "polls":
                    self._start(p)  # the job has started and ends at the N-th read
        return p

    def cancel(self, user: r.User, p: r.Progress, message: str | None) -> r.Progress:
        """Only the progress's own user may cancel; the state becomes ``failed``."""
        if p.user_id is None or p.user_id != user.id:
            raise E.Unauthorized()
        with self.s.lock:
            if p.pending:
                self._jobs.pop(p.id, None)
                self._set(p, workflow_state="failed", message=message)
        return p

    def current(self, context_type: str, context_id: int) -> r.Progress | None:
        ids = self.s.idx["progresses"]["pending_by_context"].ids((context_type, context_id))
        return self.s.get("progresses", ids[-1]) if ids else None


# -- the area's tables, indexes and operations (mockcanvas.store.registry) -------------------------
RECORDS = {"progresses": r.Progress}
OPS = ("progress", ProgressOps)


def INDEXES() -> dict:
    return {
        "progresses": {
            # pending progresses of a context (a category's current assignment or import)
            "pending_by_context": SortedIndex(
                lambda p: (p.context_type, p.context_id) if p.pending else None, lambda p: (p.id,)
            ),
        },
    }
