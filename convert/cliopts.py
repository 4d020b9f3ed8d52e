"""What ``artconv`` and ``artconv batch`` share on their command lines.

Both commands import this module (neither imports the other's): the help
formatter, the writer options (one flag per option declared in
:mod:`convert.options`), and ``-t`` parsing.  Flags the two commands share
that are not writer options (the warning flags, for instance) belong here too.
"""

from __future__ import annotations

import argparse
import os

from .options import Option, declared_options

__all__ = ["HelpFormatter", "add_warning_options", "add_writer_options", "parse_formats", "writer_options"]


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


def _help(opt: Option) -> str:
    text = opt.doc
    if opt.writers:
        text += f" [{', '.join(opt.writers)}]"
    if opt.value_type is not bool and opt.default not in ("", None, ()):
        default = f"{opt.default:,}" if isinstance(opt.default, int) else str(opt.default)
        text += f" (default: {default})"
    return text.replace("%", "%%")


def _key_value(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` of a repeatable option as a pair (the value may be empty)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def _add(p: argparse._ActionsContainer, opt: Option) -> None:
    flags = [*((opt.short,) if opt.short else ()), opt.cli_flag]
    if opt.value_type is bool:
        p.add_argument(*flags, dest=opt.name, action="store_true", default=opt.default, help=_help(opt))
        return
    if opt.value_type is tuple:  # pairs, one a flag: KEY=VALUE, repeatable
        pair = opt.metavar or "KEY=VALUE"
        p.add_argument(*flags, dest=opt.name, action="append", type=_key_value, metavar=pair, help=_help(opt))
        return
    choices = [c for c in opt.choices if c != ""] or None  # "": the default, not given on the command line
    metavar = None if choices else (opt.metavar or opt.name.rsplit("_", 1)[-1].upper())
    p.add_argument(
        *flags,
        dest=opt.name,
        type=opt.value_type,
        choices=choices,
        default=opt.default,
        metavar=metavar,
        help=_help(opt),
    )


def add_writer_options(p: argparse.ArgumentParser) -> None:
    """A flag for every writer option on the command line (see :mod:`convert.options`)."""
    group = p.add_argument_group("writer options")
    for opt in declared_options():
        if opt.flag:
            _add(group, opt)


def writer_options(args: argparse.Namespace) -> dict[str, object]:
    """The keyword options (for :func:`convert.api.make_options`) given by :func:`add_writer_options`."""
    out: dict[str, object] = {}
    for opt in declared_options():
        if opt.flag and hasattr(args, opt.name):
            value = getattr(args, opt.name)
            out[opt.name] = tuple(value or ()) if opt.value_type is tuple else value  # an appended list, or none
    return out


def parse_formats(spec: str) -> list[str]:
    """Writer names from ``-t`` (comma-separated; ``all``: every registered writer but those through pandoc)."""
    from .registry import PANDOC_WRITERS, available_writers, writer_name

    names = [n.strip() for n in spec.split(",") if n.strip()]
    if "all" in names:
        return [n for n in available_writers() if n not in PANDOC_WRITERS]
    return list(dict.fromkeys(writer_name(n) for n in names))


def add_warning_options(p: argparse.ArgumentParser) -> None:
    """``-v`` and ``--fail-on-warning``, the same for ``artconv`` and ``artconv batch``."""
    p.add_argument("-v", "--verbose", action="store_true", help="also show details (such as each resource read)")
    p.add_argument("--fail-on-warning", action="store_true", help="exit status 1 when anything gave a warning")
