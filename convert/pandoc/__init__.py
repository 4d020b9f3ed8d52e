"""pandoc as a library of formats: the IR <-> pandoc JSON AST bridge and the pandoc runner.

:mod:`convert.pandoc.bridge` converts (no pandoc needed); :mod:`convert.pandoc.runner`
runs the pandoc binary that ``pypandoc-binary`` ships.  Nothing here is imported
unless a pandoc-backed format is used.  See ``docs/pandoc.md``.
"""

from __future__ import annotations

from convert.recache import compile as recompile

__all__ = ["check_format_name"]

#: A pandoc format name, with extensions (``markdown_strict``, ``gfm+footnotes-smart``).
_FORMAT_NAME = recompile(r"[a-z][a-z0-9_]*(?:[+-][a-z_]+)*")


def check_format_name(fmt: str, direction: str) -> None:
    """:class:`~convert.errors.UnknownFormatError` unless ``fmt`` is spelled as a pandoc ``direction`` format is."""
    if not _FORMAT_NAME.fullmatch(fmt):
        from ..errors import UnknownFormatError

        raise UnknownFormatError(f"not a pandoc {direction} format: {fmt!r}")
