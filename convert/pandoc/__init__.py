"""pandoc as a library of formats: the IR <-> pandoc JSON AST bridge and the pandoc runner.

:mod:`convert.pandoc.bridge` converts (no pandoc needed); :mod:`convert.pandoc.runner`
runs the pandoc binary that ``pypandoc-binary`` ships.  Nothing here is imported
unless a pandoc-backed format is used.  See ``docs/pandoc.md``.
"""

from __future__ import annotations

__all__: list[str] = []
