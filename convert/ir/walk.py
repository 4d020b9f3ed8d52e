"""Traversal and normalisation helpers over the IR (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import assert_never

from .model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)

__all__ = [
    "block_inlines",
    "iter_inlines",
    "normalize_inlines",
    "note_ref_order",
    "plain_text",
    "plain_text_blocks",
]


def plain_text(inlines: Iterable[Inline], *, notes: bool = False) -> str:
    """The text of ``inlines`` without markup; note references vanish unless ``notes``."""
    parts: list[str] = []
    for node in inlines:
        match node:
            case Text(text=t) | Code(text=t):
                parts.append(t)
            case Emph(content=c) | Strong(content=c) | Link(content=c):
                parts.append(plain_text(c, notes=notes))
            case NoteRef(label=label):
                if notes:
                    parts.append(f"[{label}]")
            case LineBreak():
                parts.append("\n")
            case _:
                assert_never(node)
    return "".join(parts)


def block_inlines(block: Block) -> Iterator[tuple[Inline, ...]]:
    """Every inline sequence directly or indirectly inside ``block``."""
    match block:
        case Paragraph(content=c) | Heading(content=c) | Figure(caption=c):
            yield c
        case BlockQuote(blocks=bs):
            for b in bs:
                yield from block_inlines(b)
        case BulletList(items=items) | OrderedList(items=items):
            for item in items:
                for b in item:
                    yield from block_inlines(b)
        case ThematicBreak() | CodeBlock():
            return
        case _:
            assert_never(block)


def plain_text_blocks(blocks: Iterable[Block]) -> str:
    """Plain text of blocks, paragraphs separated by blank lines."""
    out: list[str] = []
    for block in blocks:
        match block:
            case CodeBlock(text=t):
                out.append(t)
            case _:
                out.extend(plain_text(seq) for seq in block_inlines(block))
    return "\n\n".join(s for s in out if s)


def iter_inlines(inlines: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline node, depth first, containers before their content."""
    for node in inlines:
        yield node
        match node:
            case Emph(content=c) | Strong(content=c) | Link(content=c):
                yield from iter_inlines(c)
            case _:
                pass


def note_ref_order(article: Article) -> list[str]:
    """Labels of referenced notes in order of first reference in the body."""
    seen: dict[str, None] = {}
    for block in article.body:
        for seq in block_inlines(block):
            for node in iter_inlines(seq):
                if isinstance(node, NoteRef):
                    seen.setdefault(node.label, None)
    return list(seen)


_BLANKS = re.compile(r"[ \t\n]+")


def normalize_inlines(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent texts, collapse whitespace runs, drop empty containers, trim the ends.

    Adjacent emphases of one kind become one (``*a**b*`` is ``*ab*``), as pandoc
    does: they read the same, and a run of thousands of them (a parser giving up
    on deep nesting) would otherwise reach every writer node by node.
    """
    out: list[Inline] = []
    merged: dict[int, list[Inline]] = {}  # index in ``out`` -> content of the adjacent emphases it stands for
    for node in inlines:
        match node:
            case Text(text=t):
                if "  " in t or "\n" in t or "\t" in t:
                    t = _BLANKS.sub(" ", t)
                if not t:
                    continue
                if out and isinstance(out[-1], Text):
                    before = out[-1].text
                    if before.endswith(" ") and t.startswith(" "):
                        t = t[1:]
                    out[-1] = Text(before + t)
                else:
                    out.append(node if t is node.text else Text(t))
            case Emph(content=c) | Strong(content=c):
                inner = normalize_inlines(c)
                if not inner:
                    continue
                last = out[-1] if out else None
                if isinstance(last, Emph | Strong) and type(last) is type(node):
                    merged.setdefault(len(out) - 1, list(last.content)).extend(inner)  # normalised once, below
                else:
                    out.append(type(node)(inner))
            case Link(content=c, target=target, title=title):
                out.append(Link(normalize_inlines(c) or (Text(target),), target, title))
            case Code(text=t):
                if t:
                    out.append(node)
            case NoteRef() | LineBreak():
                out.append(node)
            case _:
                assert_never(node)
    for k, content in merged.items():
        kind = Emph if isinstance(out[k], Emph) else Strong
        out[k] = kind(normalize_inlines(content))
    # trim leading/trailing whitespace and breaks (all of them, so that the result is stable)
    while out and (isinstance(out[0], LineBreak) or (isinstance(out[0], Text) and not out[0].text.strip(" "))):
        out.pop(0)
    while out and (isinstance(out[-1], LineBreak) or (isinstance(out[-1], Text) and not out[-1].text.strip(" "))):
        out.pop()
    if out and isinstance(out[0], Text) and out[0].text.startswith(" "):
        out[0] = Text(out[0].text.lstrip(" "))  # not empty: blank texts are gone
    if out and isinstance(out[-1], Text) and out[-1].text.endswith(" "):
        out[-1] = Text(out[-1].text.rstrip(" "))
    return tuple(out)
