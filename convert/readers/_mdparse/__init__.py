"""Markdown into IR nodes, shared by the ``md`` and ``article`` readers.

The parsing is markdown-it-py's (CommonMark, with GFM tables and
strikethrough, and mdit-py-plugins for footnotes, definition lists, dollar
math and attribute spans): :mod:`.engine` builds the parser with the few rules
artconv adds, :mod:`.tokens` turns its tokens into IR nodes (raw HTML:
:mod:`.rawhtml`), :mod:`.urls` guards link and image addresses,
:mod:`.document` holds the result types.

Two modes: the default reads clean Markdown; ``scraper=True`` is for page
dumps, where every backslash before punctuation is a stray escape, links to
``#fragments`` are dead page furniture, an indented line is text (not code),
and an unterminated code fence ends at the next blank line instead of
swallowing the rest.

Parsing is linear in the size of the input (markdown-it's own guarantees, and
the rules added here scan the source once), and bounded in depth: containers
(quotes, lists, divs, notes, definitions) and inline containers (emphasis,
links, spans...) deeper than :data:`MAX_NESTING` are flattened instead of
nested, so no input can exhaust the stack of the parser or of the writers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ir.model import Inline, Text
from ...ir.walk import normalize_inlines
from .document import MAX_NESTING, Document, FootnoteDef
from .plain import is_plain
from .urls import clean_url

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from .tokens import Builder

__all__ = ["MAX_NESTING", "Document", "FootnoteDef", "clean_url", "parse_blocks", "parse_inlines"]


@functools.cache
def _parser() -> tuple[Callable[[], MarkdownIt], type[Builder]]:
    """The parser's maker and the token builder, imported on first use (importing markdown-it is not cheap).

    (A cached call: two relative imports in the function cost some microseconds at every call.)
    """
    from .engine import markdown_it
    from .tokens import Builder

    return markdown_it, Builder


def parse_blocks(text: str, *, scraper: bool = False) -> Document:
    """Parse Markdown text into blocks and footnote definitions."""
    markdown_it, Builder = _parser()
    tokens = markdown_it().parse(text, {"scraper": scraper})
    builder = Builder(scraper)
    blocks, _ = builder.blocks(tokens)
    return Document(blocks, builder.footnotes)


def parse_inlines(text: str, *, scraper: bool = False) -> tuple[Inline, ...]:
    """Parse inline Markdown into normalised IR inlines."""
    if is_plain(text):  # what markdown-it makes of plain text, for a fraction of the cost
        return normalize_inlines((Text(text),))
    markdown_it, Builder = _parser()
    tokens = markdown_it().parseInline(text, {"scraper": scraper})
    return Builder(scraper).inlines(tokens[0].children or []) if tokens else ()
