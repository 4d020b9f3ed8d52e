"""One batch, start to end: lock OUTDIR, plan, convert, record, report.

The runner is the only place that touches the manifest and the report; the
workers (local processes or Dask) only convert.  It first walks the inputs'
names once, giving each output name to one input (two inputs for one output
are a usage error, before anything is written).  Then for each article, in a
stable order, it reads the input, hashes it, asks the manifest which formats
are not up to date, and hands only those to a worker; when the worker's
outcome comes back it writes the outputs (Dask) or finds them written (local),
records them in one transaction, and moves the progress on.  Failures go to
stderr as they happen and to ``OUTDIR/artconv-report.json`` at the end.

A script sees how a batch went in the :class:`Summary` that :func:`run`
returns (``failed``, ``timed_out``, the report's path); :func:`run` raises an
:class:`~convert.errors.UsageError` (:class:`~convert.batch.local.WorkerStartError`
when the worker processes cannot start) for a batch that cannot run at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .._version import __version__
from ..api import MAX_INPUT_BYTES
from ..errors import OutputError, UsageError
from ..registry import Options, get_writer
from .inputs import DEFAULT_EXTENSIONS, Claims, InputRoot, iter_sources, output_stem, plan_inputs
from .manifest import Manifest, RecordedOutput
from .progress import Counts, QuietReporter, Reporter
from .worker import Outcome, Task, write_output

__all__ = ["DEFAULT_TIMEOUT", "REPORT_NAME", "BatchConfig", "Summary", "options_digest", "run"]

#: Seconds an article may take (all its formats) before it is ended as timed out.
DEFAULT_TIMEOUT = 300.0
#: Timed-out articles named in :meth:`Summary.line` (the report lists them all).
_NAMED = 3

#: File name of the report inside OUTDIR.
REPORT_NAME = "artconv-report.json"
#: Held exclusively by the running batch (a second batch on the same OUTDIR is refused).
RUN_LOCK = ".artconv-batch.lock"
#: Held in shared mode by every local worker process (see :func:`convert.batch.worker.init_worker`).
WORKERS_LOCK = ".artconv-workers.lock"


@dataclass(frozen=True, slots=True)
class BatchConfig:
    """Everything a batch needs to know."""

    #: Folders, files and glob patterns.
    inputs: tuple[str, ...]
    #: Writer names.
    formats: tuple[str, ...]
    outdir: Path
    options: Options = field(default_factory=Options)
    #: Worker processes of a local run.
    jobs: int = 1
    #: Reader name; ``None``: detected per article.
    from_format: str | None = None
    #: Extensions a folder walk picks up.
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    #: Dask scheduler address; ``None``: run locally.
    scheduler: str | None = None
    #: Convert everything, ignoring the manifest.
    force: bool = False
    #: Tracebacks of internal errors in the reasons.
    debug: bool = False
    #: Articles in flight at once (local runs); ``None``: twice ``jobs``.
    window: int | None = None
    #: Seconds an article may take before it is ended as timed out; 0: no limit.
    timeout: float = DEFAULT_TIMEOUT
    #: Address space of each local worker process, in MB; ``None``: no ceiling.
    max_memory: int | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """How a batch went."""

    total: int
    converted: int
    skipped: int
    failed: int
    seconds: float
    report: Path
    interrupted: bool = False
    #: Warnings from readers and writers, listed in the report.
    warnings: int = 0
    #: Of the failed, how many ran past the time limit (now or, unchanged, in an earlier run).
    timed_out: int = 0
    #: The first of them (their files, as found); the report lists them all.
    timed_out_files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every article converted or was up to date, and the batch was not interrupted."""
        return not self.failed and not self.interrupted

    def line(self) -> str:
        """One line for people."""
        rate = self.converted / self.seconds if self.seconds > 0 else 0.0
        head = "interrupted" if self.interrupted else "done"
        warned = f", {self.warnings} warnings" if self.warnings else ""
        late = ""
        if self.timed_out:
            names = ", ".join(self.timed_out_files[:_NAMED])
            more = f" and {self.timed_out - _NAMED} more" if self.timed_out > _NAMED else ""
            late = f" ({self.timed_out} timed out: {names}{more})"
        return (
            f"artconv batch {head}: {self.converted} converted, {self.skipped} skipped, {self.failed} failed{late} "
            f"of {self.total} in {self.seconds:.1f} s ({rate:.1f} articles/s){warned}; report: {self.report}"
        )


def options_digest(options: Options, from_format: str | None) -> tuple[str, str]:
    """(hash, canonical JSON) of the options that shape the outputs."""
    data = {"options": dataclasses.asdict(options), "from": from_format}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest(), text


@contextlib.contextmanager
def _locked(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR for this batch and wait for the worker processes of an earlier one to be gone."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        yield
        return
    try:
        fd = os.open(outdir / RUN_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UsageError(f"{outdir}: cannot write to the output folder: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"{outdir}: another artconv batch is writing to this folder") from None
        workers = os.open(outdir / WORKERS_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + 60
            while True:  # workers of a killed batch end within a second (they watch their parent)
                try:
                    fcntl.flock(workers, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise UsageError(f"{outdir}: worker processes of an earlier batch are still running") from None
                    time.sleep(0.05)
            fcntl.flock(workers, fcntl.LOCK_UN)
        finally:
            os.close(workers)
        yield
    finally:
        os.close(fd)


def remove_partial_files(outdir: Path) -> int:
    """Remove the temporary files an interrupted batch left (``.NAME.XXXX.part``); how many."""
    removed = 0
    for folder, _dirs, files in os.walk(outdir):
        for name in files:
            if name.startswith(".") and name.endswith(".part"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    return removed


def _utc(ts: float) -> str:
    return _dt.datetime.fromtimestamp(ts, _dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_json_items(fh: IO[str], key: str, rows: Iterator[tuple[str, str]], fields: tuple[str, str]) -> None:
    fh.write(f',\n  "{key}": [')
    first = True
    for a, b in rows:
        fh.write("\n    " if first else ",\n    ")
        fh.write(json.dumps({fields[0]: a, fields[1]: b}, ensure_ascii=False))
        first = False
    fh.write("\n  ]" if not first else "]")


def _write_report(path: Path, head: dict[str, object], manifest: Manifest) -> None:
    """Write the report atomically, streaming the failures from the manifest."""
    import io

    from ..files import replace_file

    def write(raw: IO[bytes]) -> None:
        fh = io.TextIOWrapper(raw, encoding="utf-8")
        fh.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2])
        _write_json_items(fh, "failures", manifest.failures(), ("file", "reason"))
        _write_json_items(fh, "warnings", manifest.warnings(), ("file", "message"))
        fh.write("\n}\n")
        fh.flush()
        fh.detach()  # the file stays open for replace_file

    replace_file(str(path), write, tmp=str(path.with_name(f".{path.name}.{os.getpid()}.part")), durable=False)


def _check(config: BatchConfig) -> None:
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise UsageError(
            "convert.batch.run() was called in a worker process as it started (worker processes re-run the "
            'calling script): the calling script needs `if __name__ == "__main__":` around the code that starts '
            "the batch"
        )
    if not config.formats:
        raise UsageError("no output format: use -t FORMATS")
    if config.timeout < 0:
        raise UsageError("the time limit must be 0 (none) or a number of seconds")
    if config.max_memory is not None and config.max_memory < 1:
        raise UsageError("the memory ceiling must be a number of megabytes")


def run(config: BatchConfig, reporter: Reporter | None = None) -> Summary:
    """Run one batch; raises :class:`UsageError` for a batch that cannot run, converts everything else it can.

    The returned :class:`Summary` says how it went: ``summary.failed`` (and
    ``summary.ok``) is what a script checks.
    """
    _check(config)
    reporter = reporter or QuietReporter()
    outdir = config.outdir
    roots = plan_inputs(config.inputs, outdir)
    claims = Claims()
    with claims:
        written = [get_writer(fmt).extension for fmt in config.formats]
        total = claims.claim_all(roots, outdir, config.extensions, written)  # names only, before any write
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{outdir}: cannot create the output folder: {exc.strerror or exc}") from None
        return _run(config, reporter, roots, claims, total)


def _run(config: BatchConfig, reporter: Reporter, roots: list[InputRoot], claims: Claims, total: int) -> Summary:
    outdir = config.outdir
    opt_hash, opt_json = options_digest(config.options, config.from_format)
    started_wall = time.time()
    counts = Counts()
    late: list[str] = []  # the first timed-out files, for the summary line
    interrupted = False

    with _locked(outdir), Manifest(outdir) as manifest:
        remove_partial_files(outdir)
        manifest.remember_options(opt_hash, opt_json)
        counts.total = total
        counts.started = time.monotonic()
        reporter.start(counts)

        def timed_out(source: str) -> None:
            counts.timed_out += 1
            if len(late) < _NAMED:
                late.append(source)

        def fail(source: str, fmt: str, reason: str) -> None:
            manifest.add_failure(source, f"{fmt}: {reason}" if fmt else reason)
            reporter.say(f"artconv: {source}: {fmt + ': ' if fmt else ''}{reason}")

        def tasks() -> Iterator[Task]:
            for src in iter_sources(roots, outdir, config.extensions):
                name = str(src.path)
                other = claims.take(src)
                if other is not None:
                    if other:  # appeared since the first walk, with the output name of another input
                        fail(name, "", f"its outputs would overwrite those of {other}: rename one of them")
                        counts.failed += 1
                    else:  # the same file twice (overlapping inputs): once is enough
                        counts.skipped += 1
                    reporter.update(counts)
                    continue
                try:
                    with open(src.path, "rb") as fh:
                        data = fh.read(MAX_INPUT_BYTES + 1)
                except OSError as exc:
                    fail(name, "", exc.strerror or str(exc))
                    counts.failed += 1
                    reporter.update(counts)
                    continue
                digest = hashlib.sha256(data).hexdigest()
                stem = output_stem(src.key)
                if config.force:
                    formats = config.formats
                else:
                    formats = manifest.pending_formats(src.key, digest, opt_hash, __version__, config.formats)
                if not formats:
                    counts.skipped += 1
                    reporter.update(counts)
                    continue
                earlier = None if config.force else manifest.earlier_timeout(src.key, digest, opt_hash, __version__)
                if earlier is not None and 0 < config.timeout <= earlier:
                    fail(name, "", f"timed out after {earlier:g} s in an earlier run; not tried again "
                                   "(a longer --timeout, or --force, tries it again)")  # fmt: skip
                    counts.failed += 1
                    timed_out(name)
                    reporter.update(counts)
                    continue
                yield Task(
                    key=src.key,
                    source=name,
                    data=data,
                    stem=stem,
                    formats=formats,
                    options=config.options,
                    from_format=config.from_format,
                    outdir=None if config.scheduler else str(outdir),
                    digest=digest,
                    debug=config.debug,
                )

        def handle(task: Task, outcome: Outcome) -> None:
            recorded: list[RecordedOutput] = []
            errors = list(outcome.errors)
            for out in outcome.outputs:
                if out.data is not None:
                    try:
                        write_output(out.data, outdir / out.path)
                    except OutputError as exc:
                        errors.append((out.format, str(exc)))
                        continue
                recorded.append(RecordedOutput(out.format, out.path, out.size))
            if recorded:
                manifest.record(
                    key=task.key,
                    source=task.source,
                    sha256=task.digest,
                    options=opt_hash,
                    version=__version__,
                    outputs=recorded,
                )
            for message in outcome.warnings:
                manifest.add_warning(task.source, message)
                counts.warnings += 1
            for fmt, reason in errors:
                fail(task.source, fmt, reason)
            if outcome.timed_out:
                manifest.record_timeout(
                    key=task.key, sha256=task.digest, options=opt_hash, version=__version__, seconds=config.timeout
                )
                timed_out(task.source)
            if errors:
                counts.failed += 1
            else:
                counts.converted += 1
            reporter.update(counts)

        try:
            if config.scheduler:
                from .cluster import run_dask

                run_dask(config.scheduler, tasks(), handle, formats=config.formats, timeout=config.timeout)
            else:
                from .local import run_local

                run_local(
                    tasks(),
                    handle,
                    jobs=max(1, config.jobs),
                    formats=config.formats,
                    lock_path=str(outdir / WORKERS_LOCK),
                    window=config.window,
                    timeout=config.timeout,
                    max_memory=config.max_memory,
                )
        except KeyboardInterrupt:
            interrupted = True
        finally:
            reporter.close(counts)
            seconds = counts.elapsed
            report = outdir / REPORT_NAME
            head: dict[str, object] = {
                "artconv": __version__,
                "output": str(outdir),
                "formats": list(config.formats),
                "options": json.loads(opt_json),
                "backend": f"dask {config.scheduler}" if config.scheduler else f"local, {config.jobs} processes",
                "timeout": config.timeout,
                "max_memory_mb": config.max_memory,
                "started": _utc(started_wall),
                "finished": _utc(time.time()),
                "seconds": round(seconds, 3),
                "interrupted": interrupted,
                "articles": counts.total,
                "converted": counts.converted,
                "skipped": counts.skipped,
                "failed": counts.failed,
                "timed_out": counts.timed_out,
            }
            _write_report(report, head, manifest)
    return Summary(
        counts.total,
        counts.converted,
        counts.skipped,
        counts.failed,
        seconds,
        report,
        interrupted,
        counts.warnings,
        counts.timed_out,
        tuple(late),
    )
