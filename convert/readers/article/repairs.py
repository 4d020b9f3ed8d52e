"""Repairs of the text: what the scraper broke, put right.

Note markers become note references, captions become figures, stray rules go,
sub-headings start at level 1, paragraphs split mid-sentence are joined, and a
quotation introduced by ``said:`` becomes a block quote.
"""

from __future__ import annotations

import re

from ...ir.model import Block, BlockQuote, Emph, Figure, Heading, Inline, Link, NoteRef, Paragraph, Text, ThematicBreak
from ...ir.walk import normalize_inlines, plain_text, walk_inlines
from .draft import Draft

__all__ = ["figures", "mark_notes", "repair", "shift_headings", "tidy_rules"]

#: A note marker in running text; it is a reference only when a note has that label.
_MARKER = re.compile(r"\s*\[\s*([^\[\]\s]{1,12})\s*\]")
_CAPTION = re.compile(
    r"^(?:Featured |Top |Main |Cover )?(?:image|photo|picture|illustration)"
    r"(?:\s+(?:credit|source))?\s*(?:[:.\u2013\u2014-]|\bis from\b|\bis by\b|\bcourtesy\b|\bsource\b)",
    re.I,
)
#: An italic paragraph at the top that is an editor's note, not a caption.
_EDITORIAL = re.compile(
    r"^(?:this (?:article|piece|essay|interview|text) (?:was|is|has)\b|originally published|first published|"
    r"editor'?s note|note\b|update\b|updated\b)",
    re.I,
)
#: Characters after which a paragraph is complete (a following paragraph is not its continuation).
_OPEN_END = ",-\u2013\u2014("
_CONTINUATION_START = "(\u201c\"\u2018'"


def mark_notes(draft: Draft) -> None:
    """Transform: note markers (``[iv]``, ``[ 3 ]``) of known labels become NoteRef nodes.

    A link whose text is a marker and whose target is a fragment (the page's own
    note) is a reference too.  No space is left before a reference.
    """
    labels = {n.label.lower(): n.label for n in draft.notes}
    if not labels:
        return

    def linked_markers(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(node, Link) for node in content):
            return content
        return tuple(linked_marker(node) if isinstance(node, Link) else node for node in content)

    def linked_marker(node: Link) -> Inline:
        marker = _MARKER.fullmatch(plain_text(node.content)) if "#" in node.target else None
        if marker and marker.group(1).lower() in labels:
            return NoteRef(labels[marker.group(1).lower()])
        return node

    def markers(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(node, NoteRef) or (isinstance(node, Text) and "[" in node.text) for node in content):
            return content  # read and normalised already: nothing to do
        out: list[Inline] = []
        for node in content:
            if not isinstance(node, Text):
                out.append(node)
                continue
            t, pos = node.text, 0
            for m in _MARKER.finditer(t):
                key = m.group(1).lower()
                if key in labels:
                    out.append(Text(t[pos : m.start()]))
                    out.append(NoteRef(labels[key]))
                    pos = m.end()
            out.append(Text(t[pos:]))
        cleaned = [
            Text(node.text.rstrip(" ")) if isinstance(node, Text) and isinstance(nxt, NoteRef) else node
            for node, nxt in zip(out, [*out[1:], None], strict=True)
        ]
        return normalize_inlines(cleaned)

    # a marker in a link's text is the link's (``[[2]](https://...)`` cites the page, not a note)
    draft.blocks = list(walk_inlines(markers, walk_inlines(linked_markers, tuple(draft.blocks)), opaque=(Link,)))


def _ends_open(content: tuple[Inline, ...]) -> bool:
    """True when a paragraph stops mid-sentence (no terminal punctuation)."""
    if content and isinstance(content[-1], NoteRef):
        return False
    text = plain_text(content).rstrip()
    if len(text) < 60:
        return False
    return text[-1].isalnum() or text[-1] in _OPEN_END


def _starts_continuation(content: tuple[Inline, ...]) -> bool:
    text = plain_text(content).lstrip()
    return bool(text) and (text[0].isalnum() or text[0] in _CONTINUATION_START)


def _quoted(content: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
    """Content without its enclosing quotation marks, if it is one quotation."""
    refs: list[Inline] = []
    body = list(content)
    while body and isinstance(body[-1], NoteRef):
        refs.insert(0, body.pop())
    trailing = ""
    if body and isinstance(body[-1], Text) and body[-1].text.rstrip()[-1:] in ".,":
        trailing = body[-1].text.rstrip()[-1]
        body[-1] = Text(body[-1].text.rstrip()[:-1])
    if not (body and isinstance(body[0], Text) and isinstance(body[-1], Text)):
        return None
    first, last = body[0].text, body[-1].text.rstrip()
    if not first.startswith(('"', "\u201c")) or not last.endswith(('"', "\u201d")):
        return None
    inner_text = plain_text(body)[1:-1]
    if any(q in inner_text for q in '"\u201c\u201d'):
        return None  # several quotations, not one
    if len(body) == 1:
        body = [Text(first[1:].rstrip()[:-1])]
    else:
        body[0] = Text(first[1:])
        body[-1] = Text(last[:-1])
    return normalize_inlines([*body, Text(trailing), *refs])


def repair(draft: Draft) -> None:
    """Transform: join split paragraphs and quotes, and lift introduced quotations into block quotes."""
    out: list[Block] = []
    for block in draft.blocks:
        prev = out[-1] if out else None
        if isinstance(block, Paragraph) and isinstance(prev, Paragraph):
            if _ends_open(prev.content) and _starts_continuation(block.content):
                out[-1] = Paragraph(normalize_inlines((*prev.content, Text(" "), *block.content)))
                continue
            if plain_text(prev.content).rstrip().endswith(":"):
                inner = _quoted(block.content)
                if inner is not None:
                    out.append(BlockQuote((Paragraph(inner),)))
                    continue
        if isinstance(block, BlockQuote) and isinstance(prev, BlockQuote):
            # a page dump writes a quote of several paragraphs as quotes separated by blank lines
            out[-1] = BlockQuote((*prev.blocks, *block.blocks))
            continue
        out.append(block)
    draft.blocks = out


def _caption(block: Block, first: bool) -> Figure | None:
    """The figure a caption paragraph stands for ("Featured image: ...", an italic line at the top)."""
    if not isinstance(block, Paragraph):
        return None
    text = plain_text(block.content).strip()
    if _CAPTION.match(text) and len(text) <= 400:
        return Figure(block.content)
    content = block.content
    if first and len(content) == 1 and isinstance(content[0], Emph) and len(text) <= 400 and not _EDITORIAL.match(text):
        return Figure(content[0].content)
    return None


def figures(draft: Draft) -> None:
    """Transform: captions become figures; an image followed by its caption becomes one figure."""
    out: list[Block] = []
    for index, block in enumerate(draft.blocks):
        prev = out[-1] if out else None
        is_image = isinstance(prev, Figure) and prev.image and plain_text(prev.caption) == prev.image.alt
        if is_image and isinstance(prev, Figure) and isinstance(block, Paragraph):
            caption = _caption(block, first=True)  # the caption under an image
            if caption is not None:
                out[-1] = Figure(caption.caption, prev.image)
                continue
        out.append(_caption(block, first=index == 0) or block)
    draft.blocks = out


def tidy_rules(draft: Draft) -> None:
    """Transform: no thematic break at the start or the end, none twice in a row."""
    out: list[Block] = []
    for block in draft.blocks:
        if isinstance(block, ThematicBreak) and (not out or isinstance(out[-1], ThematicBreak)):
            continue
        out.append(block)
    while out and isinstance(out[-1], ThematicBreak):
        out.pop()
    draft.blocks = out


def shift_headings(draft: Draft) -> None:
    """Transform: the text's headings renumbered so that the highest is level 1."""
    levels = [b.level for b in draft.blocks if isinstance(b, Heading)]
    shift = min(levels) - 1 if levels else 0
    if shift > 0:
        draft.blocks = [
            Heading(max(1, b.level - shift), b.content) if isinstance(b, Heading) else b for b in draft.blocks
        ]
