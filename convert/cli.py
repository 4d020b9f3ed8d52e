"""The ``artconv`` command: a thin layer over :mod:`convert.api`.

Exit status: 0 when everything converted, 1 when any file failed (one line
on stderr per failure, naming the file), 2 for a usage error, 141 when the
reader of stdout went away.  An input is never written: outputs are checked
against the inputs, and against each other, before anything is read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ._collector import Pause, no_collection_at_exit
from ._imports_write import keep_at_exit
from ._version import __version__
from .cliopts import (
    Argument,
    add_warning_options,
    add_writer_options,
    parse_formats,
    quick_parse,
    warning_arguments,
    writer_arguments,
    writer_options,
)
from .errors import INFO, WARNING, ArtconvError, OutputError, UsageError, WarningRecord, collect_warnings

if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

    #: The parsed command line: argparse's, or :func:`convert.cliopts.quick_parse`'s (the same attributes).
    Args = argparse.Namespace | SimpleNamespace

__all__ = ["command", "main"]

EXAMPLES = """\
examples:
  artconv article.md -o article.epub          format from the output's extension
  artconv article.md -t md,json,tei -o out/   several formats into a folder
  artconv a.md b.txt -t all -o out/           every registered writer
  artconv article.md -t tei                   one format without -o goes to stdout
  artconv article.md -t pdf > article.pdf     binary ones too, when stdout is not a terminal
  artconv notes.txt -t md,json                several formats without -o: beside the input
  cat article.md | artconv - -t md -o -       stdin to stdout
  artconv article.tei.xml -t md               read TEI back
  artconv schema > ir.schema.json             JSON Schema of the IR
  artconv batch archive/ -t pdf,epub -o out/  convert a whole archive (see: artconv batch --help)

An input is never written to: an output that would overwrite one is an error, as are
two inputs that would write the same output.

subcommands: 'schema' and 'batch' as the first argument are always the subcommands;
give a file of that name as ./schema or ./batch.

formats: artconv --list-formats
"""


def _head() -> list[Argument]:
    """The command's arguments before the writer options (in the order of its help)."""
    return [
        (("inputs",), {"nargs": "*", "metavar": "INPUT", "help": "article files, http(s) URLs, or - for stdin"}),
        (("-f", "--from"), {"dest": "from_format", "metavar": "FORMAT", "help": "input format (default: guessed)"}),
        (("-t", "--to"), {"dest": "to", "metavar": "FORMATS", "help": "output formats, comma-separated, or 'all'"}),
        (
            ("-o", "--output"),
            {"metavar": "PATH", "help": "output file, folder (ending in / or existing), or - for stdout"},
        ),
    ]


def _tail() -> list[Argument]:
    """The command's arguments after the writer options (before the warning options)."""
    return [
        (("--list-formats",), {"action": "store_true", "help": "list readers and writers, then exit"}),
        (("--version",), {"action": "version", "version": f"artconv {__version__}"}),
        (("--debug",), {"action": "store_true", "help": "show tracebacks"}),
        (
            ("-q", "--quiet"),
            {
                "action": "store_true",
                "help": "only errors: no warnings, no 'INPUT -> OUTPUT' lines (pandoc's --quiet)",
            },
        ),
    ]


def _parser() -> argparse.ArgumentParser:
    from .cliparse import ArgumentParser, HelpFormatter

    p = ArgumentParser(
        prog="artconv",
        description="Convert saved web articles to PDF, EPUB 3, TEI P5, clean Markdown and JSON.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    for flags, kwargs in _head():
        p.add_argument(*flags, **kwargs)
    add_writer_options(p)
    for flags, kwargs in _tail():
        p.add_argument(*flags, **kwargs)
    add_warning_options(p)
    return p


def _parse_args(argv: list[str]) -> Args:
    """The command line: read without argparse when it is a plain one (see :func:`convert.cliopts.quick_parse`)."""
    quick = quick_parse(argv, [*_head(), *writer_arguments(), *_tail(), *warning_arguments()])
    return quick if quick is not None else _parser().parse_args(argv)


def _list_formats() -> None:
    from .registry import (
        BUILTIN_READER_FACTS,
        PANDOC_READERS,
        PANDOC_WRITERS,
        available_readers,
        available_writers,
        get_reader,
        get_writer,
    )

    print("input formats (-f):  [pandoc]: read by pandoc; -f pandoc:FORMAT reads any other format of pandoc's")
    for name in available_readers():
        try:
            mark = "[pandoc] " if name in PANDOC_READERS else ""
            known = BUILTIN_READER_FACTS.get(name)
            also = f" (also -f {', '.join(known.names)})" if known and known.names else ""
            print(f"  {name:10} {mark}{get_reader(name).description}{also}")
        except ArtconvError as exc:
            print(f"  {name:10} (unavailable: {exc})")
    from .options import get_option

    print("output formats (-t):  [pandoc]: written by pandoc; -t pandoc:FORMAT writes any other format of pandoc's")
    for name in available_writers():
        try:
            spec = get_writer(name)
        except ArtconvError as exc:
            print(f"  {name:10} (unavailable: {exc})")
            continue
        facts = spec.facts()
        also = f" (also -t {', '.join(facts.names)})" if facts.names else ""
        mark = "[pandoc] " if name in PANDOC_WRITERS else ""
        print(f"  {name:10} {facts.extension:9} {mark}{spec.description}{also}")
        flags = [opt.cli_flag for n in facts.options if (opt := get_option(n)) is not None and opt.flag]
        if flags:
            print(f"  {'':18} options: {' '.join(flags)}")


def _formats(args: Args) -> list[str]:
    from .registry import BUILTIN_WRITERS, writer_for_extension

    if args.to:
        return parse_formats(args.to)
    if args.output and args.output != "-" and not _is_dir_target(args.output):
        found = writer_for_extension(Path(args.output).suffix)
        if found is None:
            raise UsageError(f"cannot tell the output format from {args.output!r}: use -t FORMAT")
        return [found]
    if args.output == "-":
        return ["md"]
    raise UsageError(f"no output format: use -t FORMAT (one of {', '.join(BUILTIN_WRITERS)}) or -o FILE")


def _is_dir_target(out: str) -> bool:
    return out.endswith(("/", os.sep)) or Path(out).is_dir()


def _is_url(name: str) -> bool:
    return name[:8].lower().startswith(("http://", "https://"))


def _stem(name: str) -> str:
    """The name of an input's outputs, without extension (``-``: ``stdin``; a URL: its last path segment)."""
    from .registry import input_stem

    if name == "-":
        return "stdin"
    if _is_url(name):
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(name)
        segments = [s for s in unquote(parts.path).split("/") if s not in ("", ".", "..")]
        return input_stem(segments[-1]) if segments else (parts.hostname or "page")
    return input_stem(Path(name).name)


def _plan(args: Args, formats: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """For each input, the (format, destination) pairs to write (``-``: stdout)."""
    from .registry import writer_facts

    multi = len(args.inputs) > 1 or len(formats) > 1
    out = args.output
    if out and out != "-" and not _is_dir_target(out) and multi:
        raise UsageError("several inputs or formats need -o to be a folder (end it with /)")
    if out == "-" and multi:
        raise UsageError("-o - (stdout) takes one input and one format")
    if not out and multi and "-" in args.inputs:
        raise UsageError("standard input (-) with several inputs or formats needs -o DIR")
    if not out and multi and any(_is_url(name) for name in args.inputs):
        raise UsageError("a URL input with several inputs or formats needs -o DIR")
    plan = []
    for name in args.inputs:
        pairs = []
        for fmt in formats:
            ext = writer_facts(fmt).extension
            if out == "-" or (not out and not multi):
                dest = "-"
            elif out and not _is_dir_target(out):
                dest = out
            elif out:
                dest = str(Path(out) / (_stem(name) + ext))
            else:
                dest = str(Path(name).with_name(_stem(name) + ext))  # beside the input
            pairs.append((fmt, dest))
        plan.append((name, pairs))
    return plan


def _is_binary(fmt: str) -> bool:
    """Whether the writer's output is not text (never sent to a terminal)."""
    from .registry import writer_facts

    return writer_facts(fmt).binary


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False


class _Files:
    """Paths indexed by what they name: the resolved path, and the inode of one that exists."""

    def __init__(self) -> None:
        self._by_path: dict[str, str] = {}
        self._by_inode: dict[tuple[int, int], str] = {}

    @staticmethod
    def _keys(path: str) -> tuple[str, tuple[int, int] | None]:
        try:
            info = os.stat(path)
        except OSError:
            return os.path.realpath(path), None
        return os.path.realpath(path), (info.st_dev, info.st_ino)

    def add(self, path: str, value: str) -> None:
        real, inode = self._keys(path)
        self._by_path.setdefault(real, value)
        if inode is not None:
            self._by_inode.setdefault(inode, value)

    def get(self, path: str) -> str | None:
        """The value of a path naming the same file as ``path`` (a link, a hard link, another spelling)."""
        real, inode = self._keys(path)
        found = self._by_path.get(real)
        if found is None and inode is not None:
            found = self._by_inode.get(inode)
        return found

    def get_inode(self, inode: tuple[int, int]) -> str | None:
        return self._by_inode.get(inode)


def _regular_or_missing(path: str) -> bool:
    """Whether ``path`` is a regular file or nothing yet (writing a FIFO or a device destroys nothing)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _stdout_inode() -> tuple[int, int] | None:
    """The inode of standard output when it is a regular file (``> FILE``), else None."""
    try:
        info = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _check_plan(args: Args, plan: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Usage errors found before anything is read or written (see :func:`main`)."""
    to_stdout = [fmt for _, pairs in plan for fmt, dest in pairs if dest == "-"]
    if to_stdout and sys.stdout is None:
        raise UsageError("standard output is closed: use -o FILE")
    if "-" in args.inputs and sys.stdin is None:
        raise UsageError("standard input is closed")
    for fmt in to_stdout:
        if _is_binary(fmt) and _isatty(sys.stdout):
            raise UsageError(f"will not write binary {fmt} to a terminal: redirect it (> FILE) or use -o FILE")
    inputs = _Files()
    for name in args.inputs:
        if name != "-" and _regular_or_missing(name):
            inputs.add(name, name)
    redirected = _stdout_inode() if to_stdout else None
    if redirected is not None and (source := inputs.get_inode(redirected)) is not None:
        raise UsageError(f"standard output is the input {source}, which is never written: redirect it elsewhere")
    hint = "choose another -o" if args.output else "use -o DIR to write the outputs to another folder"
    written = _Files()
    for name, pairs in plan:
        for fmt, dest in pairs:
            if dest == "-":
                continue
            source = inputs.get(dest)
            if source is not None:
                what = "" if os.path.normpath(dest) == os.path.normpath(source) else f" {dest}"
                raise UsageError(
                    f"the {fmt} output{what} would overwrite the input {source}; an input is never written: {hint}"
                )
            other = written.get(dest)
            if other is not None and _regular_or_missing(dest):
                if other == name:
                    raise UsageError(f"two outputs of {name} would both be written to {dest}: use separate -t runs")
                raise UsageError(
                    f"{other} and {name} would both be written to {dest}: "
                    "give them different names or folders (artconv batch keeps each input's folder)"
                )
            written.add(dest, name)


def _say(msg: str) -> None:
    """One line on stderr (nothing when stderr is closed)."""
    if sys.stderr is not None:
        print(msg, file=sys.stderr, flush=True)


def _show_warnings(name: str, found: list[WarningRecord], args: Args) -> None:
    """Each warning as ``artconv: warning: <file>: <message> [<code>]`` (details: ``-v``; none: ``-q`` alone)."""
    if args.quiet and not args.verbose:
        return
    for record in found:
        kind = "warning" if record.level >= WARNING else "info"
        _say(f"artconv: {kind}: {name}: {record}")


def _schema(rest: list[str]) -> int:
    if rest:
        _say("artconv: error: schema takes no arguments (a file named schema is given as ./schema)")
        return 2
    if sys.stdout is None:
        _say("artconv: error: standard output is closed")
        return 2
    import json

    from .ir.jsonio import json_schema

    with _writing_stdout():
        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def _occupy_closed_descriptors() -> None:
    """Open the null device on a closed stdin, stdout or stderr descriptor.

    Otherwise the next file opened (an output's temporary file) would take its number, and
    whatever a library writes to that descriptor would end up in the output.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)


def _silence(*streams: object) -> None:
    """Send what is left to write on these streams to the null device (their reader is gone).

    Otherwise Python's last flush, at exit, fails again and prints "Exception ignored".
    """
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in streams:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(null, stream.fileno())  # type: ignore[attr-defined]
    os.close(null)


@contextlib.contextmanager
def _writing_stdout() -> Iterator[None]:
    """Failures writing stdout, other than a reader gone away, as an :class:`OutputError`."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk behind `> FILE`, or a descriptor not open for writing
        raise OutputError(exc.strerror or str(exc), path="<stdout>") from None


def _flush_stdout() -> None:
    if sys.stdout is not None:
        with _writing_stdout():
            sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    A reader of stdout or stderr that goes away (``artconv ... | head``) ends the command
    quietly with status 141, as a pipeline's writer killed by SIGPIPE would.
    """
    no_collection_at_exit()
    _occupy_closed_descriptors()
    # The collector is paused while the command starts and converts its first input (its
    # imports and tables are no garbage; see convert._collector); it runs again from the second
    # input on, before a subcommand, and when main returns.
    collector = Pause()
    try:
        try:
            status = _main(argv, collector)
        finally:  # also when argparse exits (--help, --version), so that a closed pipe is seen
            collector.resume()
            _flush_stdout()
    except BrokenPipeError:
        _silence(sys.stdout, sys.stderr)
        return 141
    except KeyboardInterrupt:
        _say("artconv: interrupted")
        return 130
    except OutputError as exc:
        _silence(sys.stdout)
        _say(f"artconv: {exc}")
        return 1
    return status


def command() -> NoReturn:
    """The ``artconv`` console script: :func:`main`, then the process ends without tearing down.

    An interpreter that finishes normally frees every module and every object one by one (about
    2 % of the instructions of ``artconv SAMPLE -t tei``), work whose result nobody sees: the
    memory goes back with the process.  :func:`_end` ends it at once, after doing what the normal
    end does that can be seen: the ``atexit`` functions run (the regular-expression cache and the
    kept modules are written, a coverage tool saves its data), then stdout and stderr are flushed.  Anything out of
    the ordinary takes the normal way out (:class:`SystemExit`): another thread still running
    (the interpreter waits for it), a flush that fails (the interpreter reports it, with status
    120), ``python -i``.  ``tests/test_startup_exit.py`` checks that the two ends look the same.
    """
    keep_at_exit()
    _end(main())


def _end(status: int) -> NoReturn:
    threading = sys.modules.get("threading")
    if sys.flags.inspect or (threading is not None and threading.active_count() > 1):
        raise SystemExit(status)
    import atexit

    atexit._run_exitfuncs()  # each handler once: it empties the list, so a later normal exit runs none
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # reported by the normal exit, which flushes again
        raise SystemExit(status) from None
    os._exit(status)


def _main(argv: Sequence[str] | None, collector: Pause) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Subcommands are the first argument, whatever files exist (a file named batch is ./batch).
    if argv and argv[0] in ("schema", "batch"):
        collector.resume()
    if argv and argv[0] == "schema":
        return _schema(argv[1:])
    if argv and argv[0] == "batch":
        try:
            from .batch import main as batch_main
        except ImportError as exc:  # a broken installation: say what is missing
            _say(f"artconv: batch conversion is not available: {exc}")
            return 2
        return batch_main(argv[1:])
    args = _parse_args(argv)
    debug = args.debug
    if args.list_formats:
        with _writing_stdout():
            _list_formats()
        return 0
    try:
        if not args.inputs:
            _parser().print_usage(sys.stderr)
            _say("artconv: error: no input files (use - for stdin)")
            return 2
        formats = _formats(args)
        from .registry import get_writer

        for fmt in formats:
            get_writer(fmt)  # unknown formats are usage errors, before any work
        plan = _plan(args, formats)
        _check_plan(args, plan)
        options = writer_options(args)
        from .api import make_options

        make_options(**options)  # a malformed value (--lang) is a usage error, before any work
        from .assets import check_asset_dir

        check_asset_dir(str(options.get("asset_dir") or ""))  # a missing --asset-dir too
    except ArtconvError as exc:
        if debug:
            raise
        _say(f"artconv: error: {exc}")
        return 2

    from . import api

    failed = warned = 0
    for name, pairs in plan:
        shown = "<stdin>" if name == "-" else name
        with collect_warnings(level=INFO if args.verbose else WARNING) as found:
            try:
                article = api.read(name, args.from_format, **options)
                for fmt, dest in pairs:
                    try:
                        api.write(article, dest, fmt, **options)
                    except ArtconvError as exc:
                        raise exc.with_path(dest if dest != "-" else name) from None
                    if dest != "-" and not args.quiet:
                        _say(f"{name} -> {dest}")
            except ArtconvError as exc:
                if debug:
                    raise
                failed += 1
                _say(f"artconv: {exc}")
            except (BrokenPipeError, KeyboardInterrupt):
                raise
            except Exception as exc:  # a bug, not bad input: still one line unless --debug
                if debug:
                    raise
                failed += 1
                _say(f"artconv: {shown}: internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
        _show_warnings(shown, found, args)
        warned += any(record.level >= WARNING for record in found)
        collector.resume()
    if warned and args.fail_on_warning and not failed:
        _say(f"artconv: {warned} input(s) gave warnings (--fail-on-warning)")
        return 1
    return 1 if failed else 0
