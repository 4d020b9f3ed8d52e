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
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from .._version import __version__
from ..errors import UsageError
from .worker import Outcome, Task, convert_task, preload, worker_version

__all__ = ["run_dask"]

Handler = Callable[[Task, Outcome], None]

#: Seconds to wait for the scheduler before giving up.
CONNECT_TIMEOUT = 30.0


def run_dask(
    address: str,
    tasks: Iterable[Task],
    handle: Handler,
    *,
    formats: tuple[str, ...],
    connect_timeout: float | None = None,
) -> None:
    """Convert every task on the cluster whose scheduler is at ``address``, calling ``handle`` with each outcome."""
    try:
        import distributed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'artconv[dask]'") from None
    dd: Any = distributed  # untyped

    try:
        client: Any = dd.Client(address, timeout=connect_timeout or CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        versions: dict[str, Any] = client.run(worker_version)
        if not versions:
            raise UsageError(f"the Dask cluster at {address} has no workers")
        wrong = sorted(f"{addr} ({version})" for addr, version in versions.items() if version != __version__)
        if wrong:
            raise UsageError(
                f"Dask workers run another artconv version than this client ({__version__}): {', '.join(wrong)}"
            )
        client.run(preload, formats)
        threads = sum(client.nthreads().values())
        window = max(4, 2 * threads)
        run_id = uuid.uuid4().hex[:12]
        counter = itertools.count()
        pending: dict[str, Task] = {}
        queue: Any = dd.as_completed(loop=client.loop)
        source = iter(tasks)

        def fill() -> None:
            while len(pending) < window:
                task = next(source, None)
                if task is None:
                    return
                key = f"artconv-convert-{run_id}-{next(counter)}"
                pending[key] = task
                queue.add(client.submit(convert_task, task, key=key, pure=False))

        fill()
        try:
            for future in queue:
                task = pending.pop(future.key)
                try:
                    outcome: Outcome = future.result()
                except Exception as exc:  # KilledWorker, lost connection, ...
                    reason = f"the cluster could not convert it: {type(exc).__name__}: {exc}"
                    outcome = Outcome(task.key, errors=(("", reason),))
                future.release()
                handle(task, outcome)
                fill()
        except KeyboardInterrupt:
            queue.clear()
            raise
    finally:
        client.close()
