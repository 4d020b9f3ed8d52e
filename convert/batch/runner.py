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
from ..api import MAX_INPUT_BYTES, Origin
from ..errors import ArtconvError, OutputError, UsageError
from ..origin import _fetch
from ..registry import Options, writer_facts
from ..robots import RobotsRules
from .inputs import DEFAULT_EXTENSIONS, Claims, InputRoot, Source, iter_sources, output_stem, plan_inputs
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
    #: Of the skipped, the URLs of a URL list that their site's ``robots.txt`` disallows.
    disallowed: int = 0

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
        robots = f" ({self.disallowed} disallowed by robots.txt)" if self.disallowed else ""
        return (
            f"artconv batch {head}: {self.converted} converted, {self.skipped} skipped{robots}, "
            f"{self.failed} failed{late} "
            f"of {self.total} in {self.seconds:.1f} s ({rate:.1f} articles/s){warned}; report: {self.report}"
        )


def options_digest(options: Options, from_format: str | None) -> tuple[str, str]:
    """(hash, canonical JSON) of the options that shape the outputs."""
    data = {"options": dataclasses.asdict(options), "from": from_format}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest(), text


@contextlib.contextmanager
def _locked(outdir: Path) -> Iterator[int | None]:
    """Hold OUTDIR for this batch and wait for the worker processes of an earlier one to be gone.

    Gives the descriptor holding the lock (``None``: no locking here).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        yield None
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
        yield fd
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


def run(config: BatchConfig, reporter: Reporter | None = None, *, fork_workers: bool = False) -> Summary:
    """Run one batch; raises :class:`UsageError` for a batch that cannot run, converts everything else it can.

    The returned :class:`Summary` says how it went: ``summary.failed`` (and
    ``summary.ok``) is what a script checks.  ``fork_workers`` is for the
    ``artconv batch`` command only: its local workers are forked from this
    process (see :mod:`convert.batch.local`), which must hold nothing they
    could disturb.
    """
    _check(config)
    reporter = reporter or QuietReporter()
    outdir = config.outdir
    roots = plan_inputs(config.inputs, outdir)
    if not config.scheduler and not fork_workers:
        from .local import warm_up

        warm_up(config.formats)  # the workers' imports run while the inputs' names are walked
    claims = Claims()
    with claims:
        # the extensions without importing the writers (the batch process never renders)
        written = [writer_facts(fmt).extension for fmt in config.formats]
        total = claims.claim_all(roots, outdir, config.extensions, written)  # names only, before any write
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{outdir}: cannot create the output folder: {exc.strerror or exc}") from None
        return _run(config, reporter, roots, claims, total, fork_workers=fork_workers)


def _run(
    config: BatchConfig, reporter: Reporter, roots: list[InputRoot], claims: Claims, total: int, *, fork_workers: bool
) -> Summary:
    started_wall = time.time()
    with _locked(config.outdir) as lock, Manifest(config.outdir) as manifest:
        batch = _Batch(config, reporter, roots, claims, manifest)
        batch.fork_workers = fork_workers
        batch.private = () if lock is None else (lock,)
        batch.start(total)
        try:
            batch.convert()
        except KeyboardInterrupt:
            batch.interrupted = True
        finally:
            batch.finish(started_wall)
    return batch.summary()


class _Batch:
    """One batch's state as it runs: which articles to send, what came back, what the report says.

    :meth:`tasks` plans (reads each input and asks the manifest what is out of
    date), :meth:`convert` hands the tasks to the local workers or the cluster,
    :meth:`handle` records each outcome, :meth:`finish` writes the report.
    """

    def __init__(
        self, config: BatchConfig, reporter: Reporter, roots: list[InputRoot], claims: Claims, manifest: Manifest
    ) -> None:
        self.config = config
        self.reporter = reporter
        self.roots = roots
        self.claims = claims
        self.manifest = manifest
        self.outdir = config.outdir
        self.opt_hash, self.opt_json = options_digest(config.options, config.from_format)
        self.counts = Counts()
        #: The first timed-out files, for the summary line.
        self.late: list[str] = []
        self.interrupted = False
        self.seconds = 0.0
        self.report = self.outdir / REPORT_NAME
        #: The ``robots.txt`` of the hosts of a URL list, fetched once each (made when first needed).
        self.robots: RobotsRules | None = None
        #: Local workers are forked from this process (``artconv batch``).
        self.fork_workers = False
        #: Descriptors of this process that forked workers close (the lock on OUTDIR).
        self.private: tuple[int, ...] = ()

    # ------------------------------------------------------------------ start

    def start(self, total: int) -> None:
        """Clear what an interrupted batch left, note the options, start the progress."""
        remove_partial_files(self.outdir)
        self.manifest.remember_options(self.opt_hash, self.opt_json)
        self.counts.total = total
        self.counts.started = time.monotonic()
        self.reporter.start(self.counts)

    def _timed_out(self, source: str) -> None:
        self.counts.timed_out += 1
        if len(self.late) < _NAMED:
            self.late.append(source)

    def _fail(self, source: str, fmt: str, reason: str) -> None:
        self.manifest.add_failure(source, f"{fmt}: {reason}" if fmt else reason)
        self.reporter.say(f"artconv: {source}: {fmt + ': ' if fmt else ''}{reason}")

    def _failed(self, source: str, reason: str) -> None:
        """An article failed before it was sent (the count and the progress move on)."""
        self._fail(source, "", reason)
        self.counts.failed += 1

    # ------------------------------------------------------------------ planning

    def tasks(self) -> Iterator[Task]:
        """The articles to convert, in a stable order, each read and with only its out-of-date formats."""
        for src in iter_sources(self.roots, self.outdir, self.config.extensions):
            task = self._plan(src)
            if task is None:
                self.reporter.update(self.counts)
            else:
                yield task

    def _plan(self, src: Source) -> Task | None:
        """The task for one input; ``None`` when it is skipped or fails here (counted)."""
        config = self.config
        name = src.shown
        other = self.claims.take(src)
        if other is not None:
            if other:  # appeared since the first walk, with the output name of another input
                self._failed(name, f"its outputs would overwrite those of {other}: rename one of them")
            else:  # the same file twice (overlapping inputs): once is enough
                self.counts.skipped += 1
            return None
        origin = None
        if src.line and not self._may_fetch(src):
            return None
        try:
            if src.line:  # a URL of a URL list
                data, origin = _fetch(src.url, config.options, MAX_INPUT_BYTES)
            elif src.offset >= 0:  # a page of a web archive
                data, origin = _archived(src)
            else:
                with open(src.path, "rb") as fh:
                    data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            self._failed(name, exc.strerror or str(exc))
            return None
        except ArtconvError as exc:
            self._failed(name, exc.message if src.line else str(exc))
            return None
        digest = hashlib.sha256(data).hexdigest()
        formats = self._pending(src.key, digest)
        if not formats:
            self.counts.skipped += 1
            return None
        earlier = None if config.force else self.manifest.earlier_timeout(src.key, digest, self.opt_hash, __version__)
        if earlier is not None and 0 < config.timeout <= earlier:
            self._failed(name, f"timed out after {earlier:g} s in an earlier run; not tried again "
                               "(a longer --timeout, or --force, tries it again)")  # fmt: skip
            self._timed_out(name)
            return None
        return Task(
            key=src.key,
            source=name,
            data=data,
            stem=output_stem(src.key),
            formats=formats,
            options=config.options,
            from_format="html" if src.offset >= 0 else config.from_format,
            outdir=None if config.scheduler else str(self.outdir),
            digest=digest,
            debug=config.debug,
            origin=origin,
        )

    def _may_fetch(self, src: Source) -> bool:
        """Whether to fetch a listed URL: not when it is no URL (failed), done before, or disallowed (skipped)."""
        config = self.config
        if not src.valid_url:
            self._failed(src.shown, f"not an http or https URL: {src.url[:200]!r}")
            return False
        if not config.force and self.manifest.done_before(src.key, self.opt_hash, __version__, config.formats):
            self.counts.skipped += 1
            return False
        if self.robots is None:
            self.robots = RobotsRules(allow_private=config.options.allow_private)
        refusal = self.robots.refusal(src.url)
        if refusal is None:
            return True
        message = f"skipped: {refusal}"
        self.manifest.add_warning(src.url, message)
        self.reporter.say(f"artconv: {src.url}: {message}")
        self.counts.warnings += 1
        self.counts.skipped += 1
        self.counts.disallowed += 1
        return False

    def _pending(self, key: str, digest: str) -> tuple[str, ...]:
        """The formats of an article that are not up to date (all of them with ``force``)."""
        if self.config.force:
            return self.config.formats
        return self.manifest.pending_formats(key, digest, self.opt_hash, __version__, self.config.formats)

    # ------------------------------------------------------------------ converting

    def convert(self) -> None:
        """Send the tasks to the cluster or the local workers; :meth:`handle` gets each outcome."""
        config = self.config
        if config.scheduler:
            from .cluster import run_dask

            run_dask(config.scheduler, self.tasks(), self.handle, formats=config.formats, timeout=config.timeout)
        else:
            from .local import run_local

            run_local(
                self.tasks(),
                self.handle,
                jobs=max(1, config.jobs),
                formats=config.formats,
                lock_path=str(self.outdir / WORKERS_LOCK),
                window=config.window,
                timeout=config.timeout,
                max_memory=config.max_memory,
                fork=self.fork_workers,
                private=self.private,
            )

    def handle(self, task: Task, outcome: Outcome) -> None:
        """Record one article's outcome: its outputs, warnings, failures, time-out; move the progress on."""
        errors = list(outcome.errors)
        recorded = self._written(outcome, errors)
        if recorded:
            self.manifest.record(
                key=task.key,
                source=task.source,
                sha256=task.digest,
                options=self.opt_hash,
                version=__version__,
                outputs=recorded,
            )
        for message in outcome.warnings:
            self.manifest.add_warning(task.source, message)
            self.counts.warnings += 1
        for fmt, reason in errors:
            self._fail(task.source, fmt, reason)
        if outcome.timed_out:
            self.manifest.record_timeout(
                key=task.key,
                sha256=task.digest,
                options=self.opt_hash,
                version=__version__,
                seconds=self.config.timeout,
            )
            self._timed_out(task.source)
        if errors:
            self.counts.failed += 1
        else:
            self.counts.converted += 1
        self.reporter.update(self.counts)

    def _written(self, outcome: Outcome, errors: list[tuple[str, str]]) -> list[RecordedOutput]:
        """The outputs now under OUTDIR (writing those that came back as bytes); failed writes go to ``errors``."""
        recorded: list[RecordedOutput] = []
        for out in outcome.outputs:
            if out.data is not None:
                try:
                    write_output(out.data, self.outdir / out.path)
                except OutputError as exc:
                    errors.append((out.format, str(exc)))
                    continue
            recorded.append(RecordedOutput(out.format, out.path, out.size))
        return recorded

    # ------------------------------------------------------------------ finishing

    def finish(self, started_wall: float) -> None:
        """Close the progress and write the report (also after an interruption or an error)."""
        self.reporter.close(self.counts)
        self.seconds = self.counts.elapsed
        _write_report(self.report, self._report_head(started_wall), self.manifest)

    def _report_head(self, started_wall: float) -> dict[str, object]:
        config, counts = self.config, self.counts
        return {
            "artconv": __version__,
            "output": str(self.outdir),
            "formats": list(config.formats),
            "options": json.loads(self.opt_json),
            "backend": f"dask {config.scheduler}" if config.scheduler else f"local, {config.jobs} processes",
            "timeout": config.timeout,
            "max_memory_mb": config.max_memory,
            "started": _utc(started_wall),
            "finished": _utc(time.time()),
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "articles": counts.total,
            "converted": counts.converted,
            "skipped": counts.skipped,
            "failed": counts.failed,
            "timed_out": counts.timed_out,
            "disallowed": counts.disallowed,
        }

    def summary(self) -> Summary:
        counts = self.counts
        return Summary(
            counts.total,
            counts.converted,
            counts.skipped,
            counts.failed,
            self.seconds,
            self.report,
            self.interrupted,
            counts.warnings,
            counts.timed_out,
            tuple(self.late),
            counts.disallowed,
        )


def _archived(src: Source) -> tuple[bytes, Origin]:
    """The bytes of a web archive's page and where they came from (its URL, charset and capture date)."""
    from .warc import read_page

    data, charset = read_page(src.path, src.offset, MAX_INPUT_BYTES)
    try:
        captured = _dt.date.fromisoformat(src.date[:10]) if src.date else None
    except ValueError:
        captured = None
    return data, Origin(src.url, "text/html", charset, captured)
