"""MDX comments: ``{/* ... */}`` in the text of a page's MDX source, never shown on the page.

Sites written in MDX (React's documentation and blog, Docusaurus, Next.js sites) put comments in
JSX braces, and give headings their identifiers that way (``## Overview {/*overview*/}``).  A
saved source keeps them; the page does not show them, so the reader drops them from the text.
Code keeps them (a JSX example is code).  Parsed as Markdown, a comment without spaces inside
(``{/*overview*/}``) has its stars read as emphasis: ``{/``, the word emphasised, ``/}``; that
shape is a comment too.
"""

from __future__ import annotations

import re

from convert.recache import compile as recompile

from ...ir.model import Block, Emph, Inline, Paragraph, Text
from ...ir.walk import normalize_inlines, walk_blocks, walk_inlines
from .draft import Draft

__all__ = ["drop_mdx_comments"]

#: A comment in JSX braces, with the spaces before it.
_COMMENT = recompile(r"[ \t]*\{/\*.*?\*/\}", re.DOTALL)


def _without_comments(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``content`` without the MDX comments in its texts (the same tuple when it has none)."""
    if not any(type(node) is Text and "{/" in node.text for node in content):
        return content
    out: list[Inline] = []
    i, changed = 0, False
    while i < len(content):
        node = content[i]
        if (
            type(node) is Text
            and node.text.endswith("{/")
            and i + 2 < len(content)
            and type(content[i + 1]) is Emph
            and type(after := content[i + 2]) is Text
            and after.text.startswith("/}")
        ):  # {/*word*/}: the stars taken for emphasis
            out += [Text(node.text[:-2].rstrip(" \t")), Text(after.text[2:])]
            i, changed = i + 3, True
            continue
        if type(node) is Text and "{/*" in node.text:
            text = _COMMENT.sub("", node.text)
            changed = changed or text != node.text
            node = Text(text)
        out.append(node)
        i += 1
    if not changed:
        return content
    if out and type(out[0]) is Text:
        out[0] = Text(out[0].text.lstrip())
    if out and type(out[-1]) is Text:
        out[-1] = Text(out[-1].text.rstrip())
    return normalize_inlines(tuple(node for node in out if type(node) is not Text or node.text))


def _not_empty(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """``blocks`` without the paragraphs a comment alone made (now empty)."""
    if not any(type(b) is Paragraph and not b.content for b in blocks):
        return blocks
    return tuple(b for b in blocks if type(b) is not Paragraph or b.content)


def drop_mdx_comments(draft: Draft) -> None:
    """Transform: MDX comments (``{/* ... */}``) dropped from the text; a paragraph of nothing else goes."""
    blocks = walk_inlines(_without_comments, tuple(draft.blocks))
    draft.blocks = list(walk_blocks(_not_empty, blocks))
