"""A small Markdown parser into IR nodes, shared by the ``md`` and ``article`` readers.

It understands the Markdown that artconv writes (pandoc-flavoured: YAML front
matter is split off by the reader, footnotes ``[^x]``, fenced divs ``:::``)
and what scrapers save: ATX headings, paragraphs, ``>`` quotes, lists, fenced
code, thematic breaks, links, autolinks, emphasis, code spans and stray HTML
(tags are dropped, never passed through; ``script``/``style`` lose their
content too).  It is not a full CommonMark implementation: it aims at the
inputs artconv meets and at reading its own output back exactly.

Two modes: the default reads clean Markdown; ``scraper=True`` is for page
dumps, where every backslash before punctuation is a stray escape, links to
``#fragments`` are dead page furniture, a list item interrupts a paragraph
only as CommonMark allows (lines are wrapped anywhere), and an unterminated
code fence ends at the next blank line instead of swallowing the rest.

The parser is linear in the size of its input, and bounded in depth:
containers (quotes, lists, divs, notes) and inline containers (emphasis,
links) deeper than :data:`MAX_NESTING` are flattened instead of nested, so
no input can exhaust the stack of the parser or of the writers.

The parser is split along its two stages: :mod:`.blocks` (lines into
blocks) and :mod:`.inlines` (a block's text into inline nodes), with the
link-destination guard in :mod:`.urls` and the result types in :mod:`.document`.
"""

from __future__ import annotations

from .blocks import parse_blocks
from .document import MAX_NESTING, Document, FootnoteDef
from .inlines import parse_inlines
from .urls import clean_url

__all__ = ["MAX_NESTING", "Document", "FootnoteDef", "clean_url", "parse_blocks", "parse_inlines"]
