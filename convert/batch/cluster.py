"""Running a batch on a Dask distributed cluster (``--scheduler tcp://HOST:PORT``).

The client (the machine running ``artconv batch``) walks the inputs, reads
each article and sends its bytes with the task; a worker converts it with the
same :func:`~convert.batch.worker.convert_task` as a local run and returns the
outputs' bytes; the client writes them under OUTDIR and records them in the
manifest.  No shared file system is needed, and the outputs are the same as a
local run's.

Before any work is sent, every worker is asked its artconv version (all must
match the client's) and imports the requested writers once.  At most twice as
many articles as the cluster has worker threads are in flight.  A task whose
worker dies is retried by Dask; one that keeps killing workers fails with the
reason Dask gives.  Needs the optional extra ``artconv[dask]`` on the client
and on every worker.

The time limit (``timeout``) counts from when the client sends an article (it
may wait for a free worker thread first: at most one other article per thread
is queued).  Past it the client gives the article up as timed out, cancels it
and, since Dask cannot stop a running task, has the worker's nanny restart the
worker that was running it; the articles in flight then get their full time
again.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from .._version import __version__
from ..errors import UsageError
from .worker import Outcome, Task, convert_task, preload, timed_out, worker_version

__all__ = ["run_dask"]

Handler = Callable[[Task, Outcome], None]

#: Seconds to wait for the scheduler before giving up.
CONNECT_TIMEOUT = 30.0
#: Seconds between looks at the clock while articles are in flight under a time limit.
_POLL = 0.05
#: Seconds a worker's nanny gets to restart it.
RESTART_TIMEOUT = 60.0


def _give_up(client: Any, future: Any, formats: tuple[str, ...]) -> None:
    """Cancel ``future`` and restart the worker running it (through its nanny), with the writers loaded again.

    Dask cannot stop a running task: without the restart its worker thread
    would stay busy.  Cancelling first keeps the scheduler from giving the task
    to the new worker.  A worker that cannot be restarted (no nanny) is left
    as it is: the batch goes on.
    """
    try:
        processing: dict[str, Any] = client.processing()
        where = [addr for addr, keys in processing.items() if future.key in keys]
    except Exception:  # pragma: no cover - a lost scheduler
        where = []
    future.cancel()
    if where:
        try:
            client.restart_workers(where, timeout=RESTART_TIMEOUT, raise_for_error=False)
            client.run(preload, formats)
        except Exception:  # pragma: no cover - a worker without a nanny, a lost scheduler
            pass


def run_dask(
    address: str,
    tasks: Iterable[Task],
    handle: Handler,
    *,
    formats: tuple[str, ...],
    connect_timeout: float | None = None,
    timeout: float = 0,
) -> None:
    """Convert every task on the cluster whose scheduler is at ``address``, calling ``handle`` with each outcome.

    ``timeout`` (seconds, 0: none) limits each article, counted from when it is sent.
    """
    dd = _distributed()
    client = _connect(dd, address, connect_timeout)
    try:
        _prepare(client, address, formats)
        _DaskRun(dd, client, tasks, handle, formats=formats, timeout=timeout).run()
    finally:
        client.close()


def _distributed() -> Any:
    """The ``distributed`` module (untyped)."""
    try:
        import distributed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'artconv[dask]'") from None
    return distributed


def _connect(dd: Any, address: str, connect_timeout: float | None) -> Any:
    """A client of the scheduler at ``address``."""
    try:
        return dd.Client(address, timeout=connect_timeout or CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _prepare(client: Any, address: str, formats: tuple[str, ...]) -> None:
    """Check that the cluster has workers, all running this artconv version, and have them load the writers."""
    versions: dict[str, Any] = client.run(worker_version)
    if not versions:
        raise UsageError(f"the Dask cluster at {address} has no workers")
    wrong = sorted(f"{addr} ({version})" for addr, version in versions.items() if version != __version__)
    if wrong:
        raise UsageError(
            f"Dask workers run another artconv version than this client ({__version__}): {', '.join(wrong)}"
        )
    client.run(preload, formats)


class _DaskRun:
    """One batch on a cluster as it runs: tasks submitted up to the window, outcomes handled, late ones given up."""

    def __init__(
        self, dd: Any, client: Any, tasks: Iterable[Task], handle: Handler, *, formats: tuple[str, ...], timeout: float
    ) -> None:
        self.client = client
        self.source = iter(tasks)
        self.handle = handle
        self.formats = formats
        self.timeout = timeout
        #: Articles in flight at most.
        self.window = max(4, 2 * sum(client.nthreads().values()))
        self.run_id = uuid.uuid4().hex[:12]
        self.counter = itertools.count()
        self.pending: dict[str, Task] = {}
        self.futures: dict[str, Any] = {}
        #: key -> when it was sent (``time.monotonic()``).
        self.sent: dict[str, float] = {}
        self.queue: Any = dd.as_completed(loop=client.loop)

    def run(self) -> None:
        """Until every task is handled (or given up as timed out)."""
        self.fill()
        try:
            if self.timeout <= 0:
                for future in self.queue:
                    self.finish(future)
                    self.fill()
            else:
                while self.pending:
                    done = self.queue.next_batch(block=False)
                    for future in done:
                        self.finish(future)
                    self.expire()
                    self.fill()
                    if not done:
                        time.sleep(_POLL)
        except KeyboardInterrupt:
            self.queue.clear()
            raise

    def fill(self) -> None:
        """Submit tasks until ``window`` are in flight (or there are no more)."""
        while len(self.pending) < self.window:
            task = next(self.source, None)
            if task is None:
                return
            key = f"artconv-convert-{self.run_id}-{next(self.counter)}"
            self.pending[key] = task
            future = self.client.submit(convert_task, task, key=key, pure=False)
            self.futures[key], self.sent[key] = future, time.monotonic()
            self.queue.add(future)

    def finish(self, future: Any) -> None:
        """Handle a finished future's outcome (or the cluster's error), unless given up already."""
        task = self.pending.pop(future.key, None)
        self.futures.pop(future.key, None)
        self.sent.pop(future.key, None)
        if task is None:  # given up as timed out already
            return
        try:
            outcome: Outcome = future.result()
        except Exception as exc:  # KilledWorker, lost connection, ...
            reason = f"the cluster could not convert it: {type(exc).__name__}: {exc}"
            outcome = Outcome(task.key, errors=(("", reason),))
        future.release()
        self.handle(task, outcome)

    def expire(self) -> None:
        """Give up the articles past the time limit, the one sent first first."""
        sent = self.sent
        while True:  # one at a time: giving one up gives the others their time again
            key = min(sent, key=sent.__getitem__, default=None)  # the one sent first
            if key is None or time.monotonic() - sent[key] < self.timeout:
                return
            task, future = self.pending.pop(key), self.futures.pop(key)
            del sent[key]
            _give_up(self.client, future, self.formats)
            self.handle(task, timed_out(task.key, self.timeout))
            later = time.monotonic()
            for other in sent:  # they may have waited behind it, or been moved by the restart
                sent[other] = later
