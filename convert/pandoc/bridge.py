"""The IR to pandoc's JSON AST and back (see ``docs/pandoc.md``).

:func:`to_pandoc` turns an :class:`~convert.ir.model.Article` into the JSON
document pandoc reads with ``-f json`` (a ``dict``), :func:`from_pandoc` turns
what pandoc writes with ``-t json`` back into an article.  No pandoc runs here.

How the nodes map (pandoc-types 1.23):

* ``Text`` is a run of ``Str`` and ``Space`` (split at each space, joined back);
  ``Emph``, ``Strong``, ``Strikeout``, ``Superscript``, ``Subscript``,
  ``SmallCaps``, ``Code``, ``LineBreak`` are pandoc's own; ``Link`` and
  ``Image`` carry their target and title; ``Math`` is ``InlineMath`` or
  ``DisplayMath``; ``Span`` is a ``Span`` with ``lang``/``dir`` attributes;
* a ``NoteRef`` is a pandoc ``Note`` holding the note's blocks;
* ``Figure`` is a ``Figure`` (caption, then a ``Plain`` with the image, if any;
  with ``exact=False`` a figure without an image is a ``Div`` of class ``figure``
  holding its caption, which pandoc's writers keep);
  ``Table`` is a ``Table`` with one body, its cells ``Plain``, colspans and
  rowspans kept; ``Bibliography`` is pandoc's ``Div`` of class ``references``
  holding a ``csl-entry`` ``Div`` per entry, id ``ref-LABEL`` (what citeproc makes),
  its title a ``Header`` inside the ``Div``.

Metadata: ``title``, ``subtitle``, ``author``, ``date`` (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` as precise as known), ``lang``, ``dir``, ``publisher``,
``description``, ``keywords``, ``rights`` (the copyright statement),
``copyright`` (``statement``/``year``/``holder``, as pandoc's JATS template reads
them) and ``license`` (``text``/``link``/``type``), the keys pandoc's writers and
templates know; and every field of :class:`~convert.ir.metadata.Rights` under the
one key ``artconv-rights``.  With ``exact=True`` (the default) the key
``artconv`` also holds what pandoc has no place for (note labels, unreferenced
notes, subjects with their schemes, identifiers, the source URL, ...), so that
``from_pandoc(to_pandoc(a)) == a`` for every article; writers pass ``exact=False``.

Reading a document pandoc made from another format, what the IR has no node
for is kept as near as it goes: ``Underline`` becomes ``Emph``, ``Quoted`` its
text in quotation marks, ``Cite`` its text, a ``Div`` or a ``Span`` without
language its content, ``LineBlock`` a paragraph with line breaks, raw blocks and
inlines are dropped (with a warning).

The writing is :mod:`.to_pandoc`'s, the reading :mod:`.from_pandoc`'s, what both use
:mod:`.json_ast`'s; they are all imported from here.
"""

from __future__ import annotations

from .from_pandoc import from_pandoc, md_keys, stringify
from .json_ast import API_VERSION, EXACT_KEY, RIGHTS_FIELDS, RIGHTS_KEY
from .to_pandoc import text_nodes, to_pandoc

__all__ = [
    "API_VERSION",
    "RIGHTS_KEY",
    "EXACT_KEY",
    "RIGHTS_FIELDS",
    "from_pandoc",
    "to_pandoc",
    "stringify",
    "text_nodes",
    "md_keys",
]
