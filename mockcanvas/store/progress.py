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

A long job (CSV import) is a generator: each ``next()`` is one *step*, run under the store's lock in
an atomic block of its own, that yields the Progress's completion (``calculate_completion!``) and
returns the results when done; the runner sends back the store's version after noting the
completion, so the job can tell whether anyone else wrote between its steps. Under ``background``
the steps after the first run from the server's event loop, one per loop turn
(``loop.call_soon``): other requests are answered between steps, and a job re-checks its target at
each (a category deleted meanwhile fails it; store/category_import.py). Every other policy runs
all the steps at once, as before. A step that raises fails the Progress and undoes that step only
(the earlier steps stay, as Canvas's importer keeps the rows it persisted); a rollback (reset)
or a cancel stops the steps still to come.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
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
        return name, digits_int(arg)
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
        # stepped jobs under way: progress id -> (the job's steps, its live-event source)
        self._running: dict[int, tuple[Generator, JobSource]] = {}
        self._sent: dict[int, int] = {}  # progress id -> the store's version after its last step
        parse_policy(policy)

    def reset(self) -> None:
        """After a rollback: jobs of rolled-back progresses are gone; the policy is the default."""
        self._jobs.clear()
        self._running.clear()
        self._sent.clear()
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

    def run(self, p: r.Progress, *, background: bool = False) -> r.Progress:
        """Run the progress's job now (if it is still pending): queued -> running -> completed /
        failed (``Progress#process_job``: ``start`` before the job, ``complete`` or ``fail`` after).
        A stepped job runs its first step now; with ``background`` and an event loop running on
        this thread, the rest follow one per loop turn, else all of them now."""
        more = self.begin(p)
        found = self._running.get(p.id) if more else None
        loop = _running_loop() if background and found is not None else None
        if loop is not None:
            loop.call_soon(self._continue, loop, p.id, found[0])
        else:
            while more:
                more = self.step(p.id)
        return p

    def begin(self, p: r.Progress) -> bool:
        """Start the progress's job and run it, or its first step when it is a stepped job; True
        when steps remain (``step`` runs them, one at a time)."""
        with self.s.lock:
            job = self._jobs.pop(p.id, None)
            if job is None or not p.pending:
                return False
            name, arg = parse_policy(self.policy)
            if name == "fail":
                self._set(p, workflow_state="failed", message=arg)
                return False
            self._start(p)
            # a job's live events carry the job's context, not the request's (Delayed::Worker
            # sets job.live_events_context: root account, job id and tag)
            source = self._job_source(p)
            try:
                with using_source(source), self.s.atomic():
                    results = job(p)
            except Exception as exc:  # the job's own failure, reported as Canvas does
                self._set(p, workflow_state="failed", message=str(exc) or type(exc).__name__)
                return False
            if not isinstance(results, Generator):
                self._set(p, workflow_state="completed", completion=100.0, results=results)
                return False
            self._running[p.id] = (results, source)
            return self.step(p.id)

    def step(self, pid: int, steps: Generator | None = None) -> bool:
        """One step of the stepped job under way for progress ``pid`` (only if it is ``steps``,
        when given); False once it is done, failed, cancelled or rolled back."""
        with self.s.lock:
            found = self._running.get(pid)
            if found is not None and steps is not None and found[0] is not steps:
                return False  # another job since a rollback reused the id
            p = self.s.get("progresses", pid)
            if found is None or p is None or not p.pending:
                self._running.pop(pid, None)
                self._sent.pop(pid, None)
                return False
            steps, source = found
            finished = False
            try:
                with using_source(source), self.s.atomic():
                    try:
                        completion = steps.send(self._sent.pop(pid, None))
                    except StopIteration as done:  # the last step: kept (not an error to undo)
                        finished, completion = True, done.value
            except Exception as exc:  # this step is undone; the earlier ones stay
                self._running.pop(pid, None)
                self._set(p, workflow_state="failed", message=str(exc) or type(exc).__name__)
                return False
            if finished:
                self._running.pop(pid, None)
                self._set(p, workflow_state="completed", completion=100.0, results=completion)
                return False
            if isinstance(completion, (int, float)) and completion != p.completion:
                self._set(p, completion=float(completion))
            self._sent[pid] = self.s.version  # what the job sees as "nobody else wrote"
            return True

    def _continue(self, loop: asyncio.AbstractEventLoop, pid: int, steps: Generator) -> None:
        """The next step from the event loop, if the same job is still under way."""
        if self.step(pid, steps) and not loop.is_closed():
            loop.call_soon(self._continue, loop, pid, steps)

    def _job_source(self, p: r.Progress) -> JobSource:
        root = None
        if p.context_type == "GroupCategory":
            cat = self.s.get("group_categories", p.context_id)
            root = cat.root_account_id if cat is not None else None
        return JobSource(job_id=p.id, job_tag=p.tag, root_account_id=root)

    def run_pending(self) -> None:
        """Run every job still waiting (what the background policy does after a response); a
        stepped job continues from the running event loop, if any."""
        for pid in list(self._jobs):
            p = self.s.get("progresses", pid)
            if p is not None:
                self.run(p, background=True)

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
                    self.run(p, background=name == "background")
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
                self._running.pop(p.id, None)  # a stepped job under way runs no further step
                self._set(p, workflow_state="failed", message=message)
        return p

    def current(self, context_type: str, context_id: int) -> r.Progress | None:
        ids = self.s.idx["progresses"]["pending_by_context"].ids((context_type, context_id))
        return self.s.get("progresses", ids[-1]) if ids else None


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running on this thread (the server's, inside a request or a callback)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


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
