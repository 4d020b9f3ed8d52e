"""argparse's side of the command lines: the help formatter and the parser class.

Kept apart from :mod:`convert.cliopts` and :mod:`convert.cli` so that a plain command line
(read by :func:`convert.cliopts.quick_parse`) does not import :mod:`argparse`, with the
:mod:`gettext` and :mod:`locale` it brings: argparse parses whatever that reader leaves, and
writes the help, the version and the usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["ArgumentParser", "HelpFormatter"]


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


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, except that a reader gone away (``--help | head -1``) is not ignored.

    argparse swallows the error writing its help or version; the command must see it to exit
    as every writer to a closed pipe does.
    """

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        stream = file or sys.stderr
        if message and stream is not None:
            stream.write(message)
