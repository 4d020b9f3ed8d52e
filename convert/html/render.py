"""The one HTML rendering of the IR, shared by the ``html``, ``epub`` and ``pdf`` writers.

Everything is built as an lxml element tree (so escaping is never done by
hand) and serialised either as HTML5 or as XHTML (EPUB content documents).
The pieces are exposed separately so that writers can compose them:

* :func:`title_block` - title, subtitle, authors, publisher, date, subjects;
* :func:`body_elements` - the article body, with note references rendered
  as links to endnotes or as in-place footnotes (``<span class="footnote">``
  for WeasyPrint's ``float: footnote``);
* :func:`notes_section` - the endnotes, each with a link back;
* :func:`rights_section` - the colophon / rights page, verbatim;
* :func:`document` - a complete page around some body elements.

The IR holds no raw HTML, so nothing in the input can inject markup here;
link targets with script-bearing schemes are dropped as a second guard.

Every node kind of the IR is rendered: tables (``<caption>``, ``<thead>`` rows
of ``<th scope="col">``, spans, column alignment as ``align-*`` classes),
definition lists, ``<del>``, ``<sup>``, ``<sub>``, small capitals
(``<span class="smallcaps">``), spans with ``lang`` (and ``xml:lang`` in
XHTML) and ``dir``, TeX formulas as their source (``<code class="math">``),
images.  An image the article holds is shown from its bytes (a ``data:`` URI
unless the writer says otherwise); one it does not hold keeps its alt text.
The page's ``<html>`` has the article's ``lang`` and, for a right-to-left
language, ``dir="rtl"``.

This module is the rendering's public face; the work is done in
:mod:`.context` (the :class:`HtmlContext`), :mod:`.body` (blocks, inlines,
note references), :mod:`.parts` (title block, notes, colophon, page, meta),
:mod:`.media` (images as ``data:`` URIs or files) and :mod:`.sanitize` (the
allow-list guard).
"""

from __future__ import annotations

from ..xmlns import EPUB_NS, XHTML_NS
from .body import NOTE_CALL_FOLLOWS, body_elements, mark_adjacent_note_calls
from .context import HtmlContext, note_id
from .parts import (
    document,
    meta_elements,
    notes_section,
    rights_lines,
    rights_section,
    serialize,
    title_block,
)
from .sanitize import safe_url, sanitize_tree

__all__ = [
    "HtmlContext",
    "XHTML_NS",
    "EPUB_NS",
    "body_elements",
    "document",
    "meta_elements",
    "note_id",
    "notes_section",
    "rights_lines",
    "rights_section",
    "safe_url",
    "mark_adjacent_note_calls",
    "NOTE_CALL_FOLLOWS",
    "sanitize_tree",
    "serialize",
    "title_block",
]
