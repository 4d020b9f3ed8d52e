"""The ``md`` writer: clean Markdown with YAML front matter.

Pandoc-flavoured by default (footnotes ``[^label]``, fenced ``::: figure``
divs, ``\\``-newline hard breaks, pipe and grid tables, definition lists,
``~~strikeout~~``, ``^sup^``, ``~sub~``, ``[x]{.smallcaps}``, spans with a
language and direction, ``$math$``), which pandoc reads back as real notes,
tables, figures and metadata.  ``gfm`` keeps footnotes, strikeout, pipe tables
and math, writes figures as an image and an emphasised caption, and what it
cannot hold natively as raw HTML; ``commonmark`` has no notes, so references
are written as ``[label]`` links to a closing *Notes* list, and writes tables,
definition lists, strikeout, superscripts, subscripts, small caps and spans as
raw HTML (math as code, with a warning).

Reading the pandoc-flavoured output back with the ``md`` reader and writing it
again gives the same bytes.
"""

from __future__ import annotations

import unicodedata

from ...ir.model import Article, DefinitionList
from ...registry import Options, WriterSpec
from .blocks import Blocks, notes
from .frontmatter import front_matter
from .inlines import Inlines

__all__ = ["WRITER", "front_matter", "render", "render_markdown"]


def render_markdown(article: Article, flavor: str = "pandoc") -> str:
    """The article as Markdown text in ``flavor``."""
    targets = {note.label: f"note-{note.label}" for note in article.notes}
    inl = Inlines(flavor, targets)
    blocks = Blocks(inl, flavor)
    parts = [front_matter(article.metadata).rstrip("\n")]
    body = blocks.blocks(article.body)
    if body:
        parts.append(body)
    closing = notes(article.notes, blocks, flavor)
    if closing:
        if article.body and isinstance(article.body[-1], DefinitionList):
            parts.append("<!-- -->")  # a note's first line would be read as the list's next term
        parts.append(closing)
    # readers normalise text to NFC, so the writer does too (reading back must not change it)
    return unicodedata.normalize("NFC", "\n\n".join(parts) + "\n")


def render(article: Article, options: Options) -> bytes:
    """Writer entry: Markdown in ``options.md_flavor`` as UTF-8 bytes."""
    return render_markdown(article, options.md_flavor).encode("utf-8")


WRITER = WriterSpec(
    name="md",
    extension=".md",
    media_type="text/markdown",
    description="clean Markdown with YAML front matter (pandoc, gfm or commonmark flavour)",
    render=render,
    aliases=(".markdown",),
)
