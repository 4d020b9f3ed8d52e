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

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    Emph,
    Heading,
    Inline,
    OrderedList,
    Paragraph,
    Text,
    ThematicBreak,
)
from ...ir.text import INLINE_LEAVES
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


def _untouched(block: Block) -> bool:
    """Whether the walks of :func:`drop_mdx_comments` leave ``block`` as it is (False: not sure).

    They change a block only where a text holds ``{/`` or a paragraph inside it is empty: most
    blocks have neither, told at once (the walks, which would leave them alone, cost calls for
    every node of the article).
    """
    if isinstance(block, Paragraph | Heading):
        return not _holds_brace(block.content)
    if isinstance(block, ThematicBreak | CodeBlock):
        return True
    if isinstance(block, BlockQuote):
        return _untouched_seq(block.blocks)
    if isinstance(block, BulletList | OrderedList):
        return all(_untouched_seq(item) for item in block.items)
    return False  # a table, figure, definition list or bibliography: walked


def _holds_brace(content: tuple[Inline, ...]) -> bool:
    """Whether a text of ``content``, at any depth, holds ``{/`` (without which it holds no comment)."""
    for node in content:
        kind = type(node)
        if kind is Text:
            if "{/" in node.text:  # type: ignore[union-attr]
                return True
        elif kind not in INLINE_LEAVES and _holds_brace(node.content):  # type: ignore[union-attr]
            return True
    return False


def _untouched_seq(blocks: tuple[Block, ...]) -> bool:
    """Whether the walks leave a sequence of blocks inside a block as it is (:func:`_untouched`)."""
    return all(_untouched(b) and not (type(b) is Paragraph and not b.content) for b in blocks)


def drop_mdx_comments(draft: Draft) -> None:
    """Transform: MDX comments (``{/* ... */}``) dropped from the text; a paragraph of nothing else goes."""
    blocks = tuple(
        b if _untouched(b) else walk_blocks(_not_empty, walk_inlines(_without_comments, b)) for b in draft.blocks
    )
    draft.blocks = list(_not_empty(blocks))  # (the walks of the whole text, block by block, and then its top level)
