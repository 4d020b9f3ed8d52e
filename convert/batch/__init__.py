"""``artconv batch``: convert whole archives, in parallel, resumably, on one machine or a Dask cluster.

::

    artconv batch archive/ -t pdf,epub,tei,md -o out/ [-j N]
    artconv batch 'archive/**/*.txt' -t tei -o out/ --scheduler tcp://10.0.0.5:8786
    artconv batch reading.txt -t tei,epub -o out/      # a list of URLs, robots.txt honoured

Every article is read once; its IR feeds every requested writer.  OUTDIR
mirrors the input tree, holds the manifest (``artconv-manifest.sqlite``) that
makes re-runs incremental and interrupted runs resumable, and the report
(``artconv-report.json``) listing every failure.  The library entry point is
:func:`convert.batch.run` with a :class:`~convert.batch.runner.BatchConfig`.

An article that takes longer than ``--timeout`` seconds (default 300) is
ended and reported as timed out; ``--max-memory MB`` caps each worker.

Exit status: 0 when every article converted (or was up to date), 1 when any
failed (timed out included), 2 for a usage error (two inputs for one output,
worker processes that cannot start, ...), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from ..cliopts import HelpFormatter, add_warning_options, add_writer_options, parse_formats, writer_options
from ..errors import ArtconvError
from .inputs import DEFAULT_EXTENSIONS
from .local import WorkerStartError
from .runner import DEFAULT_TIMEOUT, BatchConfig, Summary, run

__all__ = ["BatchConfig", "Summary", "WorkerStartError", "main", "run"]

EXAMPLES = """\
examples:
  artconv batch archive/ -t pdf,epub,tei,md -o out/        every article under archive/, mirrored into out/
  artconv batch 'archive/**/*.txt' -t tei -o out/ -j 8     a quoted glob, eight worker processes
  artconv batch a/ b/ -t md -o out/                        out/a/..., out/b/...
  artconv batch crawl.warc.gz -t tei -o out/               each HTML page of a web archive
  artconv batch reading.txt -t tei,epub -o out/            each URL of a list (one a line), robots.txt honoured
  artconv batch archive/ -t pdf -o out/ --timeout 60 --max-memory 2000
                                                           end an article after 60 s; 2000 MB per worker
  artconv batch archive/ -t pdf -o out/ --scheduler tcp://10.0.0.5:8786
                                                           on a Dask cluster (pip install 'artconv[dask]')

Run it again to convert only what changed; an interrupted batch resumes where it stopped.
"""


def default_jobs() -> int:
    """Worker processes by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or a number of seconds, not {text!r}")
    return value


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of megabytes: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a number of megabytes, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="artconv batch",
        description="Convert every article of an archive into each of the given formats, mirroring its tree.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="folders (walked recursively), files, glob patterns, web archives (.warc.gz), URL lists (.txt, .urls)",
    )
    p.add_argument("-t", "--to", required=True, metavar="FORMATS", help="output formats, comma-separated, or 'all'")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder (created if needed)")
    p.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N", help="local worker processes (default: the number of CPUs)"
    )
    p.add_argument("-f", "--from", dest="from_format", metavar="FORMAT", help="input format (default: guessed)")
    p.add_argument(
        "--ext",
        default=",".join(DEFAULT_EXTENSIONS),
        metavar="EXTS",
        help="extensions picked up in folders (default: %(default)s)",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster of this scheduler (tcp://HOST:PORT)")
    p.add_argument("--force", action="store_true", help="convert everything again, even what is up to date")
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="end an article still converting after this long, as timed out (default: %(default)g; 0: no limit)",
    )
    p.add_argument(
        "--max-memory",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="address space of each local worker process; past it an article fails as out of memory (default: none)",
    )
    add_writer_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary (failures are still shown)")
    add_warning_options(p)
    p.add_argument(
        "--progress-interval",
        type=float,
        default=None,
        metavar="SECONDS",
        help="plain progress lines this often, even on a terminal (default: a bar on a terminal, else every 10 s)",
    )
    p.add_argument("--debug", action="store_true", help="tracebacks for internal errors")
    return p


def _formats(spec: str) -> tuple[str, ...]:
    from ..errors import UsageError
    from ..registry import BUILTIN_WRITERS, get_writer

    formats = tuple(parse_formats(spec))
    if not formats:
        raise UsageError("no output format: use -t FORMATS")
    for name in formats:
        if name not in BUILTIN_WRITERS:
            get_writer(name)  # a plug-in: must load here too (unknown names are usage errors)
    return formats


#: Options naming one file of one conversion (a book's cover, a page's media folder).
_ONE_CONVERSION = ("cover", "extract_media")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``artconv batch``; returns the exit status."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        from ..api import make_options
        from .progress import make_reporter

        formats = _formats(args.to)
        jobs = args.jobs if args.jobs is not None else default_jobs()
        if jobs < 1:
            from ..errors import UsageError

            raise UsageError("-j must be at least 1")
        options = make_options(**writer_options(args))
        from ..assets import check_asset_dir

        check_asset_dir(options.asset_dir)
        for name in _ONE_CONVERSION:
            if getattr(options, name):
                from ..errors import UsageError

                flag = "--" + name.replace("_", "-")
                raise UsageError(f"{flag} applies to one conversion (artconv FILE -o OUT), not to a batch")
        from ..registry import reader_name

        config = BatchConfig(
            inputs=tuple(args.inputs),
            formats=formats,
            outdir=Path(args.output),
            options=options,
            jobs=jobs,
            # the reader's own name: a rerun with another name of it (-f markdown, -f md) is the same batch
            from_format=reader_name(args.from_format) if args.from_format else None,
            extensions=tuple(e.strip() for e in args.ext.split(",") if e.strip()),
            scheduler=args.scheduler,
            force=args.force,
            debug=args.debug,
            timeout=args.timeout,
            max_memory=args.max_memory,
        )
        reporter = make_reporter(args.quiet, args.progress_interval)
        # the command's own process runs no other thread: its workers are forked from it
        summary = run(config, reporter, fork_workers=True)
    except ArtconvError as exc:
        if args.debug:
            raise
        print(f"artconv batch: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("artconv batch: interrupted", file=sys.stderr)
        return 130
    except (OSError, sqlite3.Error) as exc:  # the output folder or its manifest failed (a full disk, ...)
        if args.debug:
            raise
        print(f"artconv batch: error: {args.output}: {exc}", file=sys.stderr)
        return 2
    if not args.quiet or summary.interrupted:
        print(summary.line(), file=sys.stderr)
    if args.verbose:
        _show_warnings(summary.report)
    if summary.interrupted:
        return 130
    return 1 if summary.failed or (args.fail_on_warning and summary.warnings) else 0


def _show_warnings(report: Path) -> None:
    """This run's warnings, from the report: ``artconv batch: warning: <file>: <message> [<code>]``."""
    import json

    try:
        with report.open(encoding="utf-8") as fh:
            found = json.load(fh).get("warnings", [])
    except (OSError, ValueError):
        return
    for item in found:
        print(f"artconv batch: warning: {item['file']}: {item['message']}", file=sys.stderr)
