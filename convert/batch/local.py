"""Running a batch on this machine: worker processes fed lazily, one article each at a time.

The worker processes start once (``forkserver`` where the platform has it,
else ``spawn``: no process inherits the parent's threads or open database),
import the writers once, and live for the whole batch.  The ``artconv batch``
command's own process, which runs no other thread and whose open files the
workers never touch (they close its lock on OUTDIR), forks them itself instead
while it is single-threaded (:func:`_may_fork`): it imports the readers and
writers and converts a short article once before (:func:`~convert.batch.worker.rehearse`),
and no second interpreter starts.  No worker starts when there is nothing to
convert.  Each worker is given its articles over its own pipe, one converting
and at most one queued behind it (so that a worker never waits for the batch
process between two articles), and the batch knows which article every worker
is converting and since when.
At most ``window`` articles are in flight (read, and waiting for or in a
worker), and the next one is read only when a slot frees up, so memory does
not grow with the archive.

* An article still converting ``timeout`` seconds after its worker got it is
  ended: its worker is killed (with any temporary file it was writing) and
  replaced, the article fails as "timed out after N s", and the rest goes on.
* A worker that dies (a crash in a native library, the out-of-memory killer)
  fails only the article it was converting, and is replaced.
* ``max_memory`` (MB) caps each worker's address space; an article that needs
  more fails as "ran out of memory (limit N MB)" and its worker is replaced.
* Worker processes that cannot start at all (the calling script re-run in
  them fails, or they cannot load the writers) stop the batch with
  :class:`WorkerStartError` instead of failing every article.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..errors import UsageError
from .worker import (
    Outcome,
    Task,
    convert_task,
    init_worker,
    out_of_memory,
    preload,
    preload_modules,
    rehearse,
    temp_pattern,
    timed_out,
)

__all__ = ["WorkerStartError", "run_local", "warm_up"]

#: What the batch does with each result (called in the main thread, in completion order).
Handler = Callable[[Task, Outcome], None]

_DIED = "the worker process died while converting it"
#: Workers that die while loading the writers, one after another, before the batch gives up.
_START_ATTEMPTS = 2
#: Seconds a worker may take to start (import the writers) before the batch gives up.
START_TIMEOUT = 120.0
#: Seconds the workers get to end by themselves at the end of a batch.
_STOP_GRACE = 5.0


class WorkerStartError(UsageError):
    """The batch's worker processes could not start (the calling script, or the limits given)."""


#: How worker processes start.
_Context = ForkContext | ForkServerContext | SpawnContext


def _context(formats: tuple[str, ...]) -> ForkServerContext | SpawnContext:
    """How workers start when they are not forked from this process: ``forkserver``, else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        _preload_in_forkserver(formats)
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _single_threaded() -> bool:
    """Whether this process runs one thread only (Linux counts native threads too)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _may_fork() -> bool:
    """Whether a worker may be forked from this process now.

    Only where ``fork`` is a start method and sound (not macOS, whose system
    libraries may not be used after a fork), and only while no other thread
    runs: a thread holding a lock at the fork leaves it held forever in the child.
    """
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" and _single_threaded()


def warm_up(formats: tuple[str, ...]) -> None:
    """Start the forkserver now, so that it imports what the workers need while the batch plans its inputs."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        _preload_in_forkserver(formats)
        forkserver.ensure_running()


def _preload_in_forkserver(formats: tuple[str, ...]) -> None:
    """Have the forkserver, when it starts, import what every worker needs (the readers, the writers).

    Workers fork from the forkserver: so each starts with the modules imported (in a few milliseconds,
    instead of the tenth of a second the imports take), and they are imported once per batch, not once
    per worker.  ``__main__`` stays first, as by default (the calling script is imported there as before).
    The list only counts when the forkserver starts: a forkserver already running is used as it is,
    and :func:`~convert.batch.worker.init_worker` imports whatever it lacks.  Modules that a program
    named for the forkserver are kept.
    """
    from multiprocessing import forkserver

    # no public getter: the list the program (or the default) set, to add to it rather than replace it
    current = getattr(getattr(forkserver, "_forkserver", None), "_preload_modules", None)
    given = [str(name) for name in current] if isinstance(current, list) else ["__main__"]
    forkserver.set_forkserver_preload(list(dict.fromkeys([*given, *preload_modules(formats)])))


# --------------------------------------------------------------------------- in the worker process


def _serve(
    conn: Connection,
    *,
    formats: tuple[str, ...],
    lock_path: str,
    batch_pid: int,
    max_memory: int | None,
    worker: Callable[[Task], Outcome],
    close: tuple[int, ...] = (),
) -> None:
    """A worker process: start, say so, then convert one task at a time until told to stop.

    ``close``: descriptors of the batch process that a forked worker must not keep open
    (the batch's lock on OUTDIR, which would otherwise outlive a killed batch in its workers).
    """
    for fd in close:
        with contextlib.suppress(OSError):
            os.close(fd)
    conn.send(("started",))
    try:
        init_worker(formats, lock_path, batch_pid, max_memory)
    except MemoryError:
        conn.send(("failed", f"{out_of_memory(max_memory)} while loading the readers and writers"))
        return
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            outcome = worker(task)
        except MemoryError:
            outcome = Outcome(task.key, errors=(("", out_of_memory()),))
        except Exception as exc:
            outcome = Outcome(task.key, errors=(("", f"internal error: {type(exc).__name__}: {exc}"),))
        try:
            conn.send(outcome)
        except Exception as exc:  # the outcome could not be sent (too big, not picklable, ...)
            outcome = Outcome(task.key, errors=(("", f"internal error: {type(exc).__name__}: {exc}"),))
            conn.send(outcome)
        if _retires(outcome):  # after a MemoryError the heap may be fragmented or half-initialised
            return


# --------------------------------------------------------------------------- in the batch process


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    #: Started: its code runs (the calling script, re-run in it, did not fail).
    started: bool = False
    #: Ready: imports done, it takes tasks.
    ready: bool = False
    #: Why it could not start, when it said.
    failure: str | None = None
    #: The article it is converting.
    task: Task | None = None
    #: The article sent to it to convert next (in its pipe).
    queued: Task | None = None
    #: When it began its task (``time.monotonic()``), or when it was started.
    since: float = field(default_factory=time.monotonic)


def _signal_name(code: int | None) -> str:
    if code is None:
        return ""
    if code < 0:
        try:
            return f" (killed by {signal.Signals(-code).name})"
        except ValueError:
            return f" (killed by signal {-code})"
    return f" (exit status {code})"


def _main_script() -> str | None:
    """The script a spawned worker re-runs as ``__mp_main__`` (``None``: none, e.g. ``python -c``)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and getattr(spec, "name", None):
        return f"module {spec.name}"
    path = getattr(main, "__file__", None)
    return str(path) if path else None


def _start_failure(worker: _Worker, max_memory: int | None) -> WorkerStartError:
    """The one-line error for workers that cannot start."""
    head = "worker processes could not start"
    memory = f"; is --max-memory {max_memory} too low?" if max_memory else ""
    if worker.failure is not None:
        return WorkerStartError(f"{head}: {worker.failure}{memory}")
    worker.process.join(_STOP_GRACE)
    died = _signal_name(worker.process.exitcode)
    if not worker.started:  # it died re-running the calling script (its traceback, if any, is above)
        script = _main_script()
        where = f" {script}" if script else ""
        return WorkerStartError(
            f"{head}: they re-run the calling script{where} and it failed in them{died}; "
            'the calling script needs `if __name__ == "__main__":` around the code that starts the batch'
        )
    return WorkerStartError(f"{head}: they died while loading the readers and writers{died}{memory}")


def _remove_temporaries(task: Task, pid: int | None) -> None:
    """Remove the temporary files the (dead) process ``pid`` was writing for ``task``."""
    if task.outdir is None or pid is None:
        return
    folder = (Path(task.outdir) / task.stem).parent
    with contextlib.suppress(OSError):
        for path in folder.glob(temp_pattern(task.stem, pid)):
            with contextlib.suppress(OSError):
                path.unlink()


def _retires(outcome: Outcome) -> bool:
    """Whether the worker ends after this outcome (it ran out of memory: a fresh process is safer)."""
    return any(reason.startswith("ran out of memory") for _, reason in outcome.errors)


class _Pool:
    """``jobs`` worker processes, each converting one task at a time; dead ones are replaced."""

    def __init__(
        self,
        jobs: int,
        formats: tuple[str, ...],
        lock_path: str,
        max_memory: int | None,
        worker: Callable[[Task], Outcome],
        *,
        fork: bool = False,
        private: tuple[int, ...] = (),
    ) -> None:
        self.formats = formats
        self.kwargs: dict[str, object] = {
            "formats": formats,
            "lock_path": lock_path,
            "batch_pid": os.getpid(),
            "max_memory": max_memory,
            "worker": worker,
        }
        #: Descriptors of this process that forked workers close (see :func:`_serve`).
        self.private = private
        self.jobs = jobs
        self.failed_starts = 0
        #: Workers are forked from this process (when it is single-threaded at the time).
        self.fork = fork and _may_fork()
        #: How workers start otherwise (made when first needed).
        self.ctx: _Context | None = None
        if self.fork:
            # imported and warmed up here once, before the first fork: every worker starts with them
            preload(formats)
            rehearse(formats)
        else:
            self.ctx = _context(formats)
        # One first: the others start once it runs, so that a calling script that fails in
        # workers fails (and shows its error) once, not once per worker.  A forked worker
        # runs no script: they all start at once.
        self.workers: list[_Worker] = [self._start()]
        if self.fork:
            self.grow()

    def grow(self) -> None:
        """Start the other workers (the first one runs)."""
        while len(self.workers) < self.jobs:
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        kwargs = self.kwargs
        if self.fork and _may_fork():
            ctx: _Context = multiprocessing.get_context("fork")
            kwargs = {**kwargs, "close": self.private}
        else:  # a thread runs now (or forking was not asked for)
            if self.ctx is None:
                self.ctx = _context(self.formats)
            ctx = self.ctx
        parent, child = ctx.Pipe(duplex=True)
        process = ctx.Process(target=_serve, args=(child,), kwargs=kwargs, daemon=True, name="artconv-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def replace(self, worker: _Worker, *, kill: bool) -> None:
        """End ``worker`` (killing it if asked) and start another in its place."""
        pid = worker.process.pid
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(_STOP_GRACE)
        if worker.process.is_alive():  # pragma: no cover - a process that ignores SIGKILL
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        if worker.task is not None:
            _remove_temporaries(worker.task, pid)
        if worker.queued is not None:
            _remove_temporaries(worker.queued, pid)
        self.workers[self.workers.index(worker)] = self._start()

    def close(self, *, wait_for_them: bool) -> None:
        """Stop every worker: ask them to end (when ``wait_for_them``), kill those still there."""
        if wait_for_them:
            for worker in self.workers:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
            deadline = time.monotonic() + _STOP_GRACE
            for worker in self.workers:
                worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            for task in (worker.task, worker.queued):
                if task is not None:
                    _remove_temporaries(task, worker.process.pid)
            worker.conn.close()


def run_local(
    tasks: Iterable[Task],
    handle: Handler,
    *,
    jobs: int,
    formats: tuple[str, ...],
    lock_path: str,
    window: int | None = None,
    timeout: float = 0,
    max_memory: int | None = None,
    worker: Callable[[Task], Outcome] = convert_task,
    fork: bool = False,
    private: tuple[int, ...] = (),
) -> None:
    """Convert every task on ``jobs`` worker processes, calling ``handle`` with each outcome.

    ``timeout`` (seconds, 0: none) limits each article; ``max_memory`` (MB)
    caps each worker.  On Ctrl-C no new article is started, the ones in
    flight finish (or time out) and are handled, and :class:`KeyboardInterrupt`
    is raised again.  Raises :class:`WorkerStartError` when the workers cannot
    start.  ``fork``: the calling process is ``artconv batch`` itself, and
    workers are forked from it while it runs no other thread (``private``: its
    descriptors they close).
    """
    source = iter(tasks)
    first = next(source, None)
    if first is None:  # nothing to convert (all up to date): no worker is started
        return
    pool = _Pool(jobs, formats, lock_path, max_memory, worker, fork=fork, private=private)
    limit = max(window or 3 * jobs, jobs)
    _LocalRun(
        pool, itertools.chain((first,), source), handle, limit=limit, timeout=timeout, max_memory=max_memory
    ).run()


class _LocalRun:
    """One local batch as it runs: tasks read ahead, handed to idle workers, their messages acted on."""

    def __init__(
        self,
        pool: _Pool,
        tasks: Iterable[Task],
        handle: Handler,
        *,
        limit: int,
        timeout: float,
        max_memory: int | None,
    ) -> None:
        self.pool = pool
        self.source = iter(tasks)
        self.handle = handle
        #: Articles in flight at most (waiting, or with a worker).
        self.limit = limit
        self.timeout = timeout
        self.max_memory = max_memory
        #: Read, not yet given to a worker.
        self.waiting: deque[Task] = deque()
        self.exhausted = False
        self.interrupted = False

    def run(self) -> None:
        """Until every task is handled; on the first Ctrl-C stop reading, on the second give up."""
        clean = False
        try:
            while True:
                try:
                    ready = self._step()
                except KeyboardInterrupt:
                    if self.interrupted:
                        raise
                    self.interrupted = True
                    self.waiting.clear()
                    continue
                if ready is None:
                    clean = True
                    break
                self._act(ready)
        finally:
            self.pool.close(wait_for_them=clean)
        if self.interrupted:
            raise KeyboardInterrupt

    # ------------------------------------------------------------------ submitting

    def _busy(self) -> int:
        return sum((w.task is not None) + (w.queued is not None) for w in self.pool.workers)

    def _step(self) -> Container[object] | None:
        """Read ahead, hand out tasks, wait for something to happen (what is ready); ``None``: all done."""
        if not self.interrupted:
            self._read_ahead()
        self._hand_out()
        if not self.waiting and not self._busy() and (self.exhausted or self.interrupted):
            return None
        workers = self.pool.workers
        return set(wait([w.conn for w in workers] + [w.process.sentinel for w in workers], self._pause()))

    def _read_ahead(self) -> None:
        """Read tasks until ``limit`` are in flight (or there are no more)."""
        while not self.exhausted and len(self.waiting) + self._busy() < self.limit:
            task = next(self.source, None)
            if task is None:
                self.exhausted = True
            else:
                self.waiting.append(task)

    def _hand_out(self) -> None:
        """Give the waiting tasks to the idle workers that are ready, then one more to queue to each."""
        for w in self.pool.workers:
            if self.waiting and w.ready and w.task is None:
                w.task, w.since = self.waiting.popleft(), time.monotonic()
                self._send(w, w.task)
        for w in self.pool.workers:
            if self.waiting and w.ready and w.task is not None and w.queued is None:
                w.queued = self.waiting.popleft()
                self._send(w, w.queued)

    @staticmethod
    def _send(w: _Worker, task: Task) -> None:
        with contextlib.suppress(OSError, ValueError):  # it died: seen when its pipe or process ends
            w.conn.send(task)

    def _requeue(self, w: _Worker) -> None:
        """Take back the article queued to ``w`` (never begun: it goes first to the next worker)."""
        if w.queued is not None:
            if not self.interrupted:
                self.waiting.appendleft(w.queued)
            w.queued = None

    def _pause(self) -> float | None:
        """Seconds until the next time limit (an article's, or a worker's start); ``None``: none."""
        now = time.monotonic()
        workers = self.pool.workers
        deadlines = [w.since + self.timeout for w in workers if w.task is not None and self.timeout > 0]
        deadlines += [w.since + START_TIMEOUT for w in workers if not w.ready]
        return max(0.0, min(deadlines) - now) if deadlines else None

    # ------------------------------------------------------------------ outcomes

    def _act(self, ready: Container[object]) -> None:
        """Act on what each worker said, its death, or its time running out."""
        now = time.monotonic()
        for w in list(self.pool.workers):
            if w.conn in ready:
                self._receive(w)
            elif w.process.sentinel in ready:
                self._died(w)
            elif w.task is not None and self.timeout > 0 and now - w.since >= self.timeout:
                task = w.task
                self._requeue(w)
                self.pool.replace(w, kill=True)
                self.handle(task, timed_out(task.key, self.timeout))
            elif not w.ready and now - w.since >= START_TIMEOUT:
                raise WorkerStartError(
                    f"worker processes could not start: not ready after {START_TIMEOUT:g} s of loading the writers"
                )

    def _receive(self, w: _Worker) -> None:
        """A message from a worker: an outcome, or how its start goes; nothing (its pipe closed): it died."""
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            message = None
        if message is None:
            self._died(w)
        elif isinstance(message, Outcome):
            # the worker goes on with its queued article at once
            task, w.task, w.queued, w.since = w.task, w.queued, None, time.monotonic()
            if _retires(message):  # it ends instead: its next article goes to another
                w.queued, w.task = w.task, None
                self._requeue(w)
                self.pool.replace(w, kill=False)
            self._hand_out()  # the worker goes on while the outcome is recorded
            if task is not None:
                self.handle(task, message)
        elif message[0] == "started":
            w.started = True
            self.pool.grow()
        elif message[0] == "ready":
            w.ready, self.pool.failed_starts = True, 0
        elif message[0] == "failed":
            w.failure = message[1]
            raise _start_failure(w, self.max_memory)

    def _died(self, w: _Worker) -> None:
        """A worker is gone: fail its article, or give up if workers cannot start; start another."""
        task = w.task
        self._requeue(w)
        w.process.join(_STOP_GRACE)  # its pipe closes a moment before its exit status is there
        if task is not None:
            reason = _DIED + _signal_name(w.process.exitcode)
            if self.max_memory:
                reason += f"; a crash, or it ran out of memory (limit {self.max_memory} MB)"
            else:
                reason += "; a crash, or it ran out of memory"
            self.handle(task, Outcome(task.key, errors=(("", reason),)))
        elif self.interrupted:  # Ctrl-C reaches workers that have not yet set it aside
            pass
        elif not w.started:  # the calling script, re-run in the worker, failed: it would fail again
            raise _start_failure(w, self.max_memory)
        elif not w.ready:
            self.pool.failed_starts += 1
            if self.pool.failed_starts >= _START_ATTEMPTS:
                raise _start_failure(w, self.max_memory)
        self.pool.replace(w, kill=False)
