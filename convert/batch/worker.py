"""What a batch worker does with one article: read it once, write every format.

:func:`convert_task` is the whole job, the same on a local worker process and
on a Dask worker: it gets the input's bytes (never a path: a cluster shares no
file system), builds the IR once, renders each requested format from it, and
either writes the outputs atomically itself (local runs, ``outdir`` set) or
returns their bytes for the client to write (Dask).  It never raises: a bad
article becomes an :class:`Outcome` with its reasons, so one article cannot
stop the batch.

Local worker processes are started once per batch by :func:`init_worker`,
which imports the requested writers up front (WeasyPrint's import is paid once
per worker, not per article), sets the worker's memory ceiling, and ties the
worker's life to its parent's.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import itertools
import logging
import os
import threading
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .._version import __version__
from ..errors import LOGGER_NAME, ArtconvError, OutputError, collect_warnings
from ..ir.model import Article
from ..registry import Options

if TYPE_CHECKING:
    from ..api import Origin

__all__ = [
    "Outcome",
    "Output",
    "Task",
    "convert_task",
    "init_worker",
    "out_of_memory",
    "rehearse",
    "temp_path",
    "temp_pattern",
    "timed_out",
    "worker_version",
    "write_output",
]


@dataclass(slots=True)
class _Limits:
    #: The memory ceiling of this worker process in MB (set by :func:`limit_memory`), for the reasons.
    memory_mb: int | None = None


_limits = _Limits()


@dataclass(frozen=True, slots=True)
class Task:
    """One article to convert."""

    #: The manifest key (relative input path).
    key: str
    #: The input's path as found, for messages.
    source: str
    #: The input's bytes.
    data: bytes
    #: Relative path of the outputs without extension (``"2012/09/a"``).
    stem: str
    #: Formats to write.
    formats: tuple[str, ...]
    options: Options
    #: Reader to use; ``None``: detect from the content and the name.
    from_format: str | None = None
    #: Write the outputs under this folder; ``None``: return their bytes.
    outdir: str | None = None
    #: SHA-256 of ``data`` (hex), for the manifest.
    digest: str = ""
    #: Put the traceback of internal errors in the reasons.
    debug: bool = False
    #: Where ``data`` came from when it is not a file (a page of a web archive).
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Output:
    """One output of an article."""

    format: str
    #: Relative to OUTDIR, ``/`` separators.
    path: str
    size: int
    #: The bytes, when the worker did not write them itself.
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What came of a task: the outputs made, and why anything failed."""

    key: str
    outputs: tuple[Output, ...] = ()
    #: (format, reason) of each failure; the format is ``""`` when the input itself failed.
    errors: tuple[tuple[str, str], ...] = ()
    #: Warnings the reader and writers issued (things they could not render).
    warnings: tuple[str, ...] = ()
    #: The article ran past the batch's time limit (its only error says so).
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        """True when every requested format was made."""
        return not self.errors


def _read(task: Task) -> Article:
    from ..api import parse

    if task.origin is not None:
        return parse(task.data, "", task.from_format, task.options, origin=task.origin)
    return parse(task.data, task.source, task.from_format, task.options)


_sequence = itertools.count()


def temp_path(path: Path) -> Path:
    """A new temporary name for writing ``path``: ``.NAME.PID.N.part`` beside it."""
    return path.with_name(f".{path.name}.{os.getpid()}.{next(_sequence)}.part")


def temp_pattern(stem: str, pid: int) -> str:
    """A glob, in the folder of ``stem``, of the temporary files process ``pid`` made for any output of ``stem``."""
    return f".{glob.escape(PurePosixPath(stem).name)}*.{pid}.*.part"


def timed_out(key: str, seconds: float) -> Outcome:
    """The outcome of an article that ran past the time limit."""
    return Outcome(key, errors=(("", f"timed out after {seconds:g} s"),), timed_out=True)


def out_of_memory(limit_mb: int | None = None) -> str:
    """The reason for a :class:`MemoryError`, naming the worker's ceiling when there is one."""
    limit = _limits.memory_mb if limit_mb is None else limit_mb
    return f"ran out of memory (limit {limit} MB)" if limit else "ran out of memory"


#: Output folders this process has made (or found there).
_folders_made: set[Path] = set()
#: Folders remembered at most (past it the set starts again: memory stays flat for any archive).
_FOLDERS_KEPT = 4096


def write_output(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` through a temporary ``.NAME.PID.N.part`` file and a rename.

    Unlike :func:`convert.api.write_bytes_atomic` the file is not fsynced: a
    killed batch leaves at most the temporary file (removed by the next run),
    and an output the disk lost in a power failure no longer has the size the
    manifest recorded, so the next run converts it again.  Raises
    :class:`~convert.errors.OutputError`.
    """
    from ..files import replace_file

    folder = path.parent
    try:
        # an output folder is made once per process, not once per output (articles share folders);
        # one removed since is made again when writing into it fails for want of it
        if folder not in _folders_made:
            folder.mkdir(parents=True, exist_ok=True)
            if len(_folders_made) >= _FOLDERS_KEPT:
                _folders_made.clear()
            _folders_made.add(folder)
        try:
            replace_file(str(path), data, tmp=str(temp_path(path)), durable=False)
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            replace_file(str(path), data, tmp=str(temp_path(path)), durable=False)
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc), path=str(path)) from None


def _internal(exc: BaseException, debug: bool) -> str:
    text = f"internal error: {type(exc).__name__}: {exc}"
    if debug:
        return text + "\n" + "".join(traceback.format_exception(exc)).rstrip()
    return text + " (rerun with --debug for the traceback)"


def convert_task(task: Task) -> Outcome:
    """Convert one article to every format of the task; never raises for a bad article."""
    from ..registry import get_writer

    outputs: list[Output] = []
    errors: list[tuple[str, str]] = []
    logger = logging.getLogger(LOGGER_NAME)
    # the report lists the warnings: a Dask worker's own logging does not print them too
    propagate, logger.propagate = logger.propagate, False
    try:
        # warnings of other libraries are listed too, as Python words them; deprecation notices
        # concern the installation (WeasyPrint's "HarfBuzz-Subset will be required"), not the article
        with warnings.catch_warnings(record=True) as caught, collect_warnings() as found:
            warnings.simplefilter("always")
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                article = _read(task)
            except ArtconvError as exc:
                errors.append(("", exc.message))
            except MemoryError:
                errors.append(("", out_of_memory()))
            except Exception as exc:
                errors.append(("", _internal(exc, task.debug)))
            else:
                for fmt in task.formats:
                    try:
                        writer = get_writer(fmt)
                        data = writer.render(article, task.options)
                        path = task.stem + writer.extension
                        if task.outdir is None:
                            outputs.append(Output(fmt, path, len(data), data))
                        else:
                            write_output(data, Path(task.outdir) / path)
                            outputs.append(Output(fmt, path, len(data)))
                    except ArtconvError as exc:
                        errors.append((fmt, exc.message))
                    except RecursionError:
                        errors.append((fmt, "too deeply nested"))
                    except MemoryError:
                        errors.append((fmt, out_of_memory()))
                    except Exception as exc:
                        errors.append((fmt, _internal(exc, task.debug)))
    finally:
        logger.propagate = propagate
    messages = [*(str(record) for record in found), *(str(w.message) for w in caught)]
    notes = tuple(dict.fromkeys(" ".join(m.split()) for m in messages))
    return Outcome(task.key, tuple(outputs), tuple(errors), notes)


def worker_version() -> str:
    """The artconv version a worker runs (a Dask client checks it before sending work)."""
    return __version__


def preload(formats: tuple[str, ...]) -> None:
    """Import the readers and the writers of ``formats`` now (a writer that fails to load fails per article)."""
    from ..readers import detect
    from ..registry import BUILTIN_READERS, get_reader, get_writer

    del detect
    for name in BUILTIN_READERS:
        with contextlib.suppress(ArtconvError):
            get_reader(name)
    for name in formats:
        with contextlib.suppress(ArtconvError):
            get_writer(name)


#: Writers that render in this process with Python and lxml alone (no thread, no other program,
#: no font or system library state): those :func:`rehearse` runs before workers are forked.
REHEARSED = frozenset({"md", "json", "tei", "html", "epub"})

#: A short article of the usual kind (front matter, headings, notes, a list, a table, a quote).
_REHEARSAL = b"""---
title: "A Short Article"
author:
  - "Ada Writer"
  - "Ben Writer"
date: 2020-01-02
publisher: The Publisher
lang: en
subject: ["Politics"]
rights: "Copyright \xc2\xa9 Ada Writer, 2020"
---

# A Heading

A paragraph with *emphasis*, **strength**, `code` and [a link](https://example.org/a)[^1].

## A Second Heading

- *one*: a first item
- two, a second item

> A quotation, quoted.

| Year | Count |
|------|------:|
| 2019 | 12 |

```
a = 1
```

1. first
2. second

[^1]: A note with a [link](https://example.org/b).
"""


def rehearse(formats: tuple[str, ...]) -> None:
    """Convert a short article to the :data:`REHEARSED` ``formats``, and throw the outputs away.

    Run in the batch process before it forks its workers: the first article of each worker would
    otherwise pay for what is done once per process (the modules the readers import when first
    used, regular expressions compiled and tables built on first use), once per worker.  An
    article's outputs never depend on the articles converted before it in the same process (a
    worker converts many, in any order), so neither do they on this one.
    """
    chosen = tuple(name for name in formats if name in REHEARSED)
    convert_task(
        Task(key="", source="rehearsal.md", data=_REHEARSAL, stem="rehearsal", formats=chosen, options=Options())
    )


def preload_modules(formats: tuple[str, ...]) -> list[str]:
    """The modules a worker imports before its first article: the worker's own, the readers, the built-in
    writers of ``formats`` (a plug-in is loaded by :func:`preload` in each worker).

    A local batch has its processes' common parent (the ``forkserver``) import them, once for all workers.
    """
    from ..registry import BUILTIN_READERS, BUILTIN_WRITERS

    targets = [*BUILTIN_READERS.values(), *(BUILTIN_WRITERS[name] for name in formats if name in BUILTIN_WRITERS)]
    modules = ["convert.batch.local", "convert.readers.detect", *(t.partition(":")[0] for t in targets)]
    return list(dict.fromkeys(modules))


def _address_space() -> int | None:
    """The bytes of address space this process uses (Linux), or ``None`` when not known."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def _watch_batch(pid: int) -> None:
    """End this process soon after the batch process ``pid`` is gone (killed batches leave no workers)."""
    while True:
        time.sleep(0.2)
        if not _alive(pid):
            os._exit(1)


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space at ``megabytes`` (``RLIMIT_AS``): past it, allocations fail.

    Python turns a failed allocation into :class:`MemoryError`, which a
    conversion reports as "ran out of memory (limit N MB)"; a native library
    may crash instead, and its worker is then replaced.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX: no ceiling
        return
    wanted = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    _limits.memory_mb = megabytes


def init_worker(formats: tuple[str, ...], lock_path: str, batch_pid: int, max_memory: int | None = None) -> None:
    """Initialise a local worker process: imports, signals, and ties to the batch process ``batch_pid``.

    ``lock_path`` is held in shared mode for the life of the worker: a later
    batch on the same OUTDIR takes it exclusively before removing leftover
    temporary files, so it never removes a file a dying worker is writing.
    ``max_memory`` (MB) caps the worker's address space (see :func:`limit_memory`).
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and lets in-flight work finish
    try:
        import fcntl

        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)  # kept open (and locked) until the process ends
    except (ImportError, OSError):
        pass
    threading.Thread(target=_watch_batch, args=(batch_pid,), daemon=True, name="artconv-watch-batch").start()
    if max_memory:
        limit_memory(max_memory)
    preload(formats)
    # Imported before the ceiling was set (by the forkserver), the modules may already hold more address
    # space than it allows: no allocation could succeed, so the worker cannot start.
    used = _address_space() if max_memory else None
    if max_memory and used is not None and used > max_memory * 1024 * 1024:
        raise MemoryError
    # What is loaded now (modules, their tables) stays for the worker's life: the cycle collector
    # need not go through it at each full collection (nor write to the pages the forkserver shares)
    gc.freeze()
