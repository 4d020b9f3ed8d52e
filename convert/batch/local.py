"""Running a batch on this machine: a pool of worker processes fed lazily.

The pool's processes start once (``forkserver`` where the platform has it,
else ``spawn``: no process inherits the parent's threads or open database),
import the writers once, and live for the whole batch.  At most ``window``
articles are in flight at any time, and the next one is read only when a slot
frees up, so memory does not grow with the archive.

A worker process that dies (a crash in a native library, the out-of-memory
killer) breaks the pool.  The articles that were in flight are then retried
one at a time on a fresh pool: an article that kills its worker even alone
fails with that reason, and the others convert normally.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from .worker import Outcome, Task, convert_task, init_worker

__all__ = ["run_local"]

#: What the batch does with each result (called in the main thread, in completion order).
Handler = Callable[[Task, Outcome], None]

_DIED = "the worker process died while converting it (a crash, or it ran out of memory)"


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(
    tasks: Iterable[Task],
    handle: Handler,
    *,
    jobs: int,
    formats: tuple[str, ...],
    lock_path: str,
    window: int | None = None,
    worker: Callable[[Task], Outcome] = convert_task,
) -> None:
    """Convert every task on ``jobs`` worker processes, calling ``handle`` with each outcome.

    On Ctrl-C no new article is started, the ones in flight finish and are
    handled, and :class:`KeyboardInterrupt` is raised again.
    """
    ctx = _context()
    limit = window or 2 * jobs

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=init_worker, initargs=(formats, lock_path, os.getpid())
        )

    pool = new_pool()
    pending: dict[Future[Outcome], Task] = {}
    suspects: deque[Task] = deque()
    source = iter(tasks)
    exhausted = False
    interrupted = False
    isolating = False  # running one suspect alone after a crash

    def submit(task: Task) -> None:
        try:
            fut = pool.submit(worker, task)
        except BrokenProcessPool as exc:  # a worker died since the last result: handled as a crash
            fut = Future()
            fut.set_exception(exc)
        pending[fut] = task

    try:
        while True:
            try:
                if suspects or isolating:
                    if not pending and suspects:
                        isolating = True
                        submit(suspects.popleft())
                elif not interrupted:
                    while not exhausted and len(pending) < limit:
                        task = next(source, None)
                        if task is None:
                            exhausted = True
                        else:
                            submit(task)
                if not pending:
                    if (exhausted or interrupted) and not suspects:
                        break
                    continue
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                if interrupted:
                    raise
                interrupted = True
                suspects.clear()
                continue
            was_isolating = isolating
            crashed: list[Task] = []
            for fut in done:
                task = pending.pop(fut)
                try:
                    outcome = fut.result()
                except BrokenProcessPool:
                    crashed.append(task)
                    continue
                except Exception as exc:  # the task or its result could not be sent
                    outcome = Outcome(task.key, errors=(("", f"internal error: {type(exc).__name__}: {exc}"),))
                handle(task, outcome)
            if crashed:
                crashed.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
                if was_isolating or interrupted:
                    for task in crashed:
                        handle(task, Outcome(task.key, errors=(("", _DIED),)))
                else:
                    suspects.extend(crashed)
            if not pending:
                isolating = False
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if interrupted:
        raise KeyboardInterrupt
