"""Text of the IR: the inlines of a block (:func:`block_inlines`, :func:`iter_inlines`), plain text, normalising.

Dispatch is by ``match`` over the closed unions, each ending in ``assert_never``, so a new
node kind is a type error here until these functions know its children.  (Re-exported by
:mod:`convert.ir.walk`, where they were first.)
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import assert_never, cast

from convert.recache import compile as recompile

from .model import (
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    ThematicBreak,
)

__all__ = [
    "INLINE_LEAVES",
    "block_inlines",
    "is_normal",
    "iter_inlines",
    "normalize_inlines",
    "plain_text",
    "plain_text_blocks",
    "text_paragraphs",
]

#: The inline kinds with no inline content (the IR's node classes have no subclasses: ``type(node) in``).
INLINE_LEAVES = frozenset({Text, Code, NoteRef, LineBreak, Image, Math})


_BLANK_LINE = recompile(r"\n\s*\n")


def text_paragraphs(value: str) -> list[str]:
    """The paragraphs of a plain-text value (a description, a rights field): split at blank lines,
    each with its whitespace collapsed, empty ones left out."""
    return [" ".join(chunk.split()) for chunk in _BLANK_LINE.split(value) if chunk.strip()]


# --------------------------------------------------------------------------- inlines of a block


def iter_inlines(inlines: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline node, depth first, containers before their content."""
    for node in inlines:
        yield node
        match node:
            case (
                Emph(content=c)
                | Strong(content=c)
                | Link(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
                | Span(content=c)
            ):
                yield from iter_inlines(c)
                continue
            case Text() | Code() | NoteRef() | LineBreak() | Image() | Math():
                continue
        assert_never(node)


def block_inlines(block: Block) -> Iterator[tuple[Inline, ...]]:
    """Every inline sequence directly or indirectly inside ``block``."""
    match block:
        case Paragraph(content=c) | Heading(content=c) | Figure(caption=c):
            yield c
            return
        case BlockQuote(blocks=bs):
            for b in bs:
                yield from block_inlines(b)
            return
        case BulletList(items=items) | OrderedList(items=items):
            for item in items:
                for b in item:
                    yield from block_inlines(b)
            return
        case Table(head=head, rows=rows, caption=caption):
            for row in (*head, *rows):
                for cell in row:
                    yield cell.content
            if caption:
                yield caption
            return
        case DefinitionList(items=items):
            for d in items:
                yield d.term
                for definition in d.definitions:
                    for b in definition:
                        yield from block_inlines(b)
            return
        case Bibliography(entries=entries, title=title):
            if title:
                yield title
            for entry in entries:
                yield entry.content
            return
        case ThematicBreak() | CodeBlock():
            return
    assert_never(block)


# --------------------------------------------------------------------------- text


def plain_text(inlines: Iterable[Inline], *, notes: bool = False) -> str:
    """The text of ``inlines`` without markup; note references vanish unless ``notes``."""
    parts: list[str] = []
    for node in inlines:
        match node:  # (the commonest kinds first: each case is tried in turn)
            case Text(text=t) | Code(text=t) | Math(tex=t):
                parts.append(t)
                continue
            case NoteRef(label=label):
                if notes:
                    parts.append(f"[{label}]")
                continue
            case LineBreak():
                parts.append("\n")
                continue
            case Image(alt=alt):
                parts.append(alt)
                continue
            case (
                Emph(content=c)
                | Strong(content=c)
                | Link(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
                | Span(content=c)
            ):
                parts.append(plain_text(c, notes=notes))
                continue
        assert_never(node)
    return "".join(parts)


def plain_text_blocks(blocks: Iterable[Block]) -> str:
    """Plain text of blocks, paragraphs separated by blank lines."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, CodeBlock):
            out.append(block.text)
        else:
            out.extend(plain_text(seq) for seq in block_inlines(block))
    return "\n\n".join(s for s in out if s)


_BLANKS = recompile(r"[ \t\n]+")
#: Inline containers with nothing but content: adjacent ones of one kind merge.
_SIMPLE = (Emph, Strong, Strikeout, Superscript, Subscript, SmallCaps)


def _end_text_run(texts: list[Text], out: list[Inline]) -> None:
    """Append a run of texts to ``out`` as one text, whitespace runs collapsed; clear the run.

    A text that ``out`` ends with (the nodes between it and the run were dropped) joins the run.
    """
    if out and type(out[-1]) is Text:
        texts.insert(0, out.pop())  # type: ignore[arg-type]
    first = texts[0].text
    t = first if len(texts) == 1 else "".join([node.text for node in texts])
    if "  " in t or "\n" in t or "\t" in t:
        t = _BLANKS.sub(" ", t)
    if t:
        out.append(texts[0] if t is first else Text(t))
    texts.clear()


#: Inline kinds with content that :func:`normalize_inlines` keeps as they are when their content is normal.
_CONTAINERS = frozenset({*_SIMPLE, Link, Span})
_SIMPLE_KINDS = frozenset(_SIMPLE)
_KEPT_LEAVES = frozenset({NoteRef, LineBreak, Image, Math})


def is_normal(inlines: tuple[Inline, ...] | list[Inline], levels: int = 1) -> bool:
    """Whether :func:`normalize_inlines` gives back the very nodes of ``inlines``, read without building anything.

    True only when each node is kept as it is: no two adjacent texts, no text that is empty or
    has a run of blanks, a newline or a tab, no empty code or container, no two adjacent
    emphases of one kind, nothing to trim at either end; a container's content the same.  A
    container more than ``levels`` deep makes it False (not sure): :func:`normalize_inlines` looks
    one level deep (the general path takes the rest), so that a deep nest costs it one look per
    level, not one per level and depth.
    """
    prev: type | None = None
    for node in inlines:
        kind = type(node)
        if kind is Text:
            t = node.text  # type: ignore[union-attr]
            if prev is Text or not t or "  " in t or "\n" in t or "\t" in t:
                return False
        elif kind in _CONTAINERS:
            content = node.content  # type: ignore[union-attr]
            if not levels or (kind is prev and kind in _SIMPLE_KINDS) or not content or type(content) is not tuple:
                return False
            if not is_normal(content, levels - 1):
                return False
        elif kind is Code:
            if not node.text:  # type: ignore[union-attr]
                return False
        elif kind not in _KEPT_LEAVES:
            return False
        prev = kind
    if inlines:
        first, last = inlines[0], inlines[-1]
        if type(first) is LineBreak or (type(first) is Text and first.text[0] == " "):
            return False
        if type(last) is LineBreak or (type(last) is Text and last.text[-1] == " "):
            return False
    return True


def normalize_inlines(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent texts, collapse whitespace runs, drop empty containers, trim the ends.

    Adjacent emphases of one kind become one (``*a**b*`` is ``*ab*``), as pandoc
    does: they read the same, and a run of thousands of them (a parser giving up
    on deep nesting) would otherwise reach every writer node by node.

    A tuple that is normal already is returned as it is (the very object), and so is every
    container in it whose content is.
    """
    # most sequences are normal already (a parser's paragraph, a step's unchanged line): a look
    # at each node tells so, for a fraction of what building the result anew costs
    kind = type(inlines)
    if (kind is tuple or kind is list) and is_normal(inlines):  # type: ignore[arg-type]
        return tuple(inlines)  # (of a tuple: the very tuple)
    return _normalize(inlines)


def _normalize(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """:func:`normalize_inlines` built anew (the general path)."""
    out: list[Inline] = []
    merged: dict[int, list[Inline]] = {}  # index in ``out`` -> content of the adjacent emphases it stands for
    texts: list[Text] = []  # a run of adjacent texts, made one when the run ends
    for node in inlines:
        if type(node) is Text:
            texts.append(node)
            continue
        if texts:
            _end_text_run(texts, out)
        match node:  # (the commonest kinds first: each case is tried in turn)
            case NoteRef() | LineBreak() | Image() | Math():
                out.append(node)
                continue
            case Link(content=c, target=target, title=title):
                inner = normalize_inlines(c)
                out.append(node if inner and inner is c else Link(inner or (Text(target),), target, title))
                continue
            case (
                Emph(content=c)
                | Strong(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
            ):
                inner = normalize_inlines(c)
                if not inner:
                    continue
                last = out[-1] if out else None
                if type(last) is type(node):
                    assert isinstance(last, _SIMPLE)
                    merged.setdefault(len(out) - 1, list(last.content)).extend(inner)  # normalised once, below
                else:
                    out.append(node if inner is c else type(node)(inner))
                continue
            case Code(text=t):
                if t:
                    out.append(node)
                continue
            case Span(content=c, lang=lang, dir=direction):
                inner = normalize_inlines(c)
                if inner:
                    out.append(node if inner is c else Span(inner, lang, direction))
                continue
            case Text():  # (taken above)
                continue
        assert_never(node)
    if texts:
        _end_text_run(texts, out)
    for k, content in merged.items():
        kind = cast(type[Emph], type(out[k]))  # one of _SIMPLE: built from its content alone
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
    if type(inlines) is tuple and len(out) == len(inlines) and all(map(operator.is_, out, inlines)):
        return inlines  # normal already: the same tuple (and its containers) kept, not copied
    return tuple(out)
