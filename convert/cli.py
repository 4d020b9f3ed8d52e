"""The ``artconv`` command: a thin layer over :mod:`convert.api`.

Exit status: 0 when everything converted, 1 when any file failed (one line
on stderr per failure, naming the file), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__
from .errors import ArtconvError, UsageError

__all__ = ["main"]

EXAMPLES = """\
examples:
  artconv article.md -o article.epub          format from the output's extension
  artconv article.md -t md,json,tei -o out/   several formats into a folder
  artconv a.md b.txt -t all -o out/           every registered writer
  artconv article.md -t tei                   text formats go to stdout
  cat article.md | artconv - -t md -o -       stdin to stdout
  artconv article.tei.xml -t md               read TEI back
  artconv schema > ir.schema.json             JSON Schema of the IR
  artconv batch archive/ -t pdf,epub -o out/  convert a whole archive (see: artconv batch --help)

formats: artconv --list-formats
"""

#: Writers whose output is binary: never sent to a terminal, written to a file instead.
_BINARY = {"pdf", "epub"}


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter without its ``import shutil`` (and bz2, lzma) at every ``add_argument``."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            try:
                columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(1).columns
            except (ValueError, OSError):
                columns = 0
            width = (columns if columns > 0 else 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def add_writer_options(p: argparse.ArgumentParser) -> None:
    """The writer options of ``artconv`` and ``artconv batch`` (see :class:`~convert.registry.Options`)."""
    from typing import get_args

    from .registry import MdFlavor, NotesPlacement, Paper, PdfVariant

    p.add_argument("--md-flavor", choices=get_args(MdFlavor), default="pandoc")
    p.add_argument("--paper", choices=get_args(Paper), default="a4", help="PDF paper size")
    p.add_argument("--notes", choices=get_args(NotesPlacement), default="footnotes", help="PDF note placement")
    p.add_argument(
        "--pdf-variant", choices=[v for v in get_args(PdfVariant) if v], default="", help="archival/tagged PDF"
    )
    p.add_argument("--allow-remote", action="store_true", help="let renderers fetch remote resources")
    p.add_argument("--asset-dir", default="", metavar="DIR", help="folder local images may be read from")


def writer_options(args: argparse.Namespace) -> dict[str, object]:
    """The keyword options (for :func:`convert.api.make_options`) given by :func:`add_writer_options`."""
    return {
        "md_flavor": args.md_flavor,
        "paper": args.paper,
        "notes": args.notes,
        "pdf_variant": args.pdf_variant,
        "allow_remote": args.allow_remote,
        "asset_dir": args.asset_dir,
    }


def parse_formats(spec: str) -> list[str]:
    """Writer names from ``-t`` (comma-separated; ``all``: every registered writer; aliases resolved)."""
    from .registry import available_writers

    names = [n.strip() for n in spec.split(",") if n.strip()]
    if "all" in names:
        return available_writers()
    aliases = {"markdown": "md", "xml": "tei", "ir": "json"}
    return list(dict.fromkeys(aliases.get(n, n) for n in names))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="artconv",
        description="Convert saved web articles to PDF, EPUB 3, TEI P5, clean Markdown and JSON.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="article files, or - for stdin")
    p.add_argument("-f", "--from", dest="from_format", metavar="FORMAT", help="input format (default: guessed)")
    p.add_argument(
        "-t", "--to", dest="to", metavar="FORMATS", help="output formats, comma-separated, or 'all'"
    )
    p.add_argument(
        "-o", "--output", metavar="PATH", help="output file, folder (ending in / or existing), or - for stdout"
    )
    add_writer_options(p)
    p.add_argument("--list-formats", action="store_true", help="list readers and writers, then exit")
    p.add_argument("--version", action="version", version=f"artconv {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("-q", "--quiet", action="store_true", help="say nothing on success")
    return p


def _list_formats() -> None:
    from .registry import available_readers, available_writers, get_reader, get_writer

    print("input formats (-f):")
    for name in available_readers():
        try:
            print(f"  {name:10} {get_reader(name).description}")
        except ArtconvError as exc:
            print(f"  {name:10} (unavailable: {exc})")
    print("output formats (-t):")
    for name in available_writers():
        try:
            spec = get_writer(name)
            print(f"  {name:10} {spec.extension:7} {spec.description}")
        except ArtconvError as exc:
            print(f"  {name:10} (unavailable: {exc})")


def _formats(args: argparse.Namespace) -> list[str]:
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


def _stem(name: str) -> str:
    if name == "-":
        return "stdin"
    path = Path(name)
    stem = path.name
    for suffix in (".tei.xml", ".md", ".markdown", ".txt", ".json", ".xml", ".tei"):
        if stem.lower().endswith(suffix) and len(stem) > len(suffix):
            return stem[: -len(suffix)]
    return path.stem or path.name


def _plan(args: argparse.Namespace, formats: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """For each input, the (format, destination) pairs to write."""
    from .registry import get_writer

    multi = len(args.inputs) > 1 or len(formats) > 1
    out = args.output
    if out and out != "-" and not _is_dir_target(out) and multi:
        raise UsageError("several inputs or formats need -o to be a folder (end it with /)")
    if out == "-" and multi:
        raise UsageError("-o - (stdout) takes one input and one format")
    plan = []
    for name in args.inputs:
        pairs = []
        for fmt in formats:
            ext = get_writer(fmt).extension
            if out == "-":
                dest = "-"
            elif out and not _is_dir_target(out):
                dest = out
            elif out:
                dest = str(Path(out) / (_stem(name) + ext))
            elif not multi and fmt not in _BINARY:
                dest = "-"
            else:
                dest = _stem(name) + ext
            pairs.append((fmt, dest))
        plan.append((name, pairs))
    return plan


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "schema" and not Path("schema").exists():
        import json

        from .ir.jsonio import json_schema

        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
        return 0
    if argv and argv[0] == "batch" and not Path("batch").exists():
        try:
            from .batch import main as batch_main
        except ImportError:
            _say("artconv: batch conversion is not available in this installation")
            return 2
        return batch_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    debug = args.debug
    try:
        if args.list_formats:
            _list_formats()
            return 0
        if not args.inputs:
            parser.print_usage(sys.stderr)
            _say("artconv: error: no input files (use - for stdin)")
            return 2
        formats = _formats(args)
        from .registry import get_writer

        for fmt in formats:
            get_writer(fmt)  # unknown formats are usage errors, before any work
        plan = _plan(args, formats)
        for fmt, dest in (p for _, pairs in plan for p in pairs):
            if dest == "-" and fmt in _BINARY and sys.stdout.isatty():
                raise UsageError(f"will not write binary {fmt} to a terminal: use -o FILE")
        options = writer_options(args)
    except ArtconvError as exc:
        if debug:
            raise
        _say(f"artconv: error: {exc}")
        return 2

    from . import api

    failed = 0
    for name, pairs in plan:
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
        except KeyboardInterrupt:
            _say("artconv: interrupted")
            return 130
        except Exception as exc:  # a bug, not bad input: still one line unless --debug
            if debug:
                raise
            failed += 1
            _say(f"artconv: {name}: internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
    return 1 if failed else 0
