"""Traversal of the IR: rewriting (``walk_*``), collecting (:func:`query`), and text helpers.

The text helpers (:func:`plain_text`, :func:`normalize_inlines`, ...) live in :mod:`convert.ir.text`
and are re-exported here.

The model is pandoc-types' ``Walk``: a rewrite is a function of one node kind
or of one kind of sequence, applied **bottom-up** to every such node or
sequence of an :class:`~convert.ir.model.Article`, a :class:`~convert.ir.model.Note`,
a block, an inline, or a tuple of blocks or of inlines; the result has the
type of what was walked (an empty tuple, of either kind, is returned as it is).

* :func:`walk_inline` / :func:`walk_block` apply ``fn`` to every inline / block
  node, after its content was walked (``fn`` sees the rewritten children);
* :func:`walk_inlines` / :func:`walk_blocks` apply ``fn`` to every sequence of
  inlines (paragraph, heading, caption, table cell, term, emphasis, span and link
  content, bibliography title and entries) / of blocks (body, note, quote, list item, definition), after the nodes
  in it were walked; use them to
  replace one node by several or by none;
* :func:`query` collects what ``fn`` returns for every node, in document order
  (a node before its content, the body before the notes).

What ``fn`` leaves alone is not copied: a walk returns the very object it was
given when ``fn`` changed nothing in it (``fn`` says "nothing" by returning its
argument), and shares every unchanged subtree otherwise.  Dispatch is by
``match`` over the closed unions, each ending in ``assert_never``, so a new
node kind is a type error here until the walk knows its children.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeAlias, TypeVar, assert_never, cast

from .model import (
    Article,
    BibEntry,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Note,
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
    TableCell,
    Text,
    ThematicBreak,
)
from .text import INLINE_LEAVES, block_inlines, iter_inlines, normalize_inlines, plain_text, plain_text_blocks

__all__ = [
    "Node",
    "block_inlines",
    "iter_inlines",
    "normalize_inlines",
    "note_ref_order",
    "plain_text",
    "plain_text_blocks",
    "query",
    "walk_block",
    "walk_blocks",
    "walk_inline",
    "walk_inlines",
]

#: A node of the tree: what :func:`query` hands to its function.
Node: TypeAlias = Inline | Block

#: What can be walked; a walk returns the same type (a block may become another kind of block).
W = TypeVar("W", Article, Note, tuple[Block, ...], tuple[Inline, ...], Block, Inline)
R = TypeVar("R")

_Inlines: TypeAlias = tuple[Inline, ...]
_Blocks: TypeAlias = tuple[Block, ...]
_Walkable: TypeAlias = Article | Note | _Blocks | _Inlines | Block | Inline


# --------------------------------------------------------------------------- rewriting


class _Walker:
    """One bottom-up rewrite; each hook is None when the walk does not rewrite that kind."""

    __slots__ = ("block", "blocks", "inline", "inlines", "into_inlines", "opaque")

    def __init__(
        self,
        *,
        inline: Callable[[Inline], Inline] | None = None,
        inlines: Callable[[_Inlines], _Inlines] | None = None,
        block: Callable[[Block], Block] | None = None,
        blocks: Callable[[_Blocks], _Blocks] | None = None,
        opaque: tuple[type, ...] = (),
    ) -> None:
        #: Inline containers whose content the walk leaves alone.
        self.opaque = opaque
        self.inline = inline
        self.inlines = inlines
        self.block = block
        self.blocks = blocks
        #: A walk of blocks only does not descend into their inline content.
        self.into_inlines = inline is not None or inlines is not None

    # inlines

    def inline_seq(self, seq: _Inlines) -> _Inlines:
        out: list[Inline] | None = None
        leaves = INLINE_LEAVES if self.inline is None else ()  # (a leaf is its own result when no node is rewritten)
        for i, node in enumerate(seq):
            new = node if type(node) in leaves else self.inline_node(node)
            if out is not None:
                out.append(new)
            elif new is not node:
                out = [*seq[:i], new]
        result = seq if out is None else tuple(out)
        return result if self.inlines is None else self.inlines(result)

    def inline_node(self, node: Inline) -> Inline:
        new = self.inline_children(node)
        return new if self.inline is None else self.inline(new)

    def inline_children(self, node: Inline) -> Inline:
        if self.opaque and isinstance(node, self.opaque):
            return node
        match node:
            case Text() | Code() | NoteRef() | LineBreak() | Image() | Math():
                return node
            case (
                Emph(content=c)
                | Strong(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
            ):
                new = self.inline_seq(c)
                return node if new is c else type(node)(new)
            case Span(content=c, lang=lang, dir=direction):
                new = self.inline_seq(c)
                return node if new is c else Span(new, lang, direction)
            case Link(content=c, target=target, title=title):
                new = self.inline_seq(c)
                return node if new is c else Link(new, target, title)
        assert_never(node)

    # blocks

    def block_seq(self, seq: _Blocks) -> _Blocks:
        out: list[Block] | None = None
        for i, block in enumerate(seq):
            new = self.block_node(block)
            if out is not None:
                out.append(new)
            elif new is not block:
                out = [*seq[:i], new]
        result = seq if out is None else tuple(out)
        return result if self.blocks is None else self.blocks(result)

    def block_node(self, block: Block) -> Block:
        new = self.block_children(block)
        return new if self.block is None else self.block(new)

    def block_children(self, block: Block) -> Block:
        match block:
            case ThematicBreak() | CodeBlock():
                return block
            case Paragraph(content=c):
                if not self.into_inlines:
                    return block
                new = self.inline_seq(c)
                return block if new is c else Paragraph(new)
            case Heading(level=level, content=c):
                if not self.into_inlines:
                    return block
                new = self.inline_seq(c)
                return block if new is c else Heading(level, new)
            case Figure(caption=c, image=image):
                if not self.into_inlines:
                    return block
                new = self.inline_seq(c)
                return block if new is c else Figure(new, image)
            case Table():
                return self.table(block) if self.into_inlines else block
            case DefinitionList(items=items):
                new_defs = tuple(self.definition(item) for item in items)
                same = all(a is b for a, b in zip(new_defs, items, strict=True))
                return block if same else DefinitionList(new_defs)
            case Bibliography(entries=entries, title=title):
                if not self.into_inlines:
                    return block
                new_title = self.inline_seq(title)
                new_entries = tuple(self.bib_entry(entry) for entry in entries)
                same = new_title is title and all(a is b for a, b in zip(new_entries, entries, strict=True))
                return block if same else Bibliography(new_entries, new_title)
            case BlockQuote(blocks=bs):
                new_blocks = self.block_seq(bs)
                return block if new_blocks is bs else BlockQuote(new_blocks)
            case BulletList(items=items):
                new_items = self.items(items)
                return block if new_items is items else BulletList(new_items)
            case OrderedList(items=items, start=start):
                new_items = self.items(items)
                return block if new_items is items else OrderedList(new_items, start)
        assert_never(block)

    def items(self, items: tuple[_Blocks, ...]) -> tuple[_Blocks, ...]:
        new = tuple(self.block_seq(item) for item in items)
        return items if all(a is b for a, b in zip(new, items, strict=True)) else new

    def rows(self, rows: tuple[tuple[TableCell, ...], ...]) -> tuple[tuple[TableCell, ...], ...]:
        new = tuple(tuple(self.cell(cell) for cell in row) for row in rows)
        same = all(a is b for row, new_row in zip(rows, new, strict=True) for a, b in zip(row, new_row, strict=True))
        return rows if same else new

    def cell(self, cell: TableCell) -> TableCell:
        new = self.inline_seq(cell.content)
        return cell if new is cell.content else TableCell(new, cell.colspan, cell.rowspan)

    def table(self, table: Table) -> Table:
        head, rows, caption = self.rows(table.head), self.rows(table.rows), self.inline_seq(table.caption)
        if head is table.head and rows is table.rows and caption is table.caption:
            return table
        return Table(head, rows, table.aligns, caption)

    def definition(self, item: DefinitionItem) -> DefinitionItem:
        term = self.inline_seq(item.term) if self.into_inlines else item.term
        definitions = self.items(item.definitions)
        return item if term is item.term and definitions is item.definitions else DefinitionItem(term, definitions)

    def bib_entry(self, entry: BibEntry) -> BibEntry:
        content = self.inline_seq(entry.content)
        return entry if content is entry.content else BibEntry(content, entry.label)

    # containers

    def note(self, note: Note) -> Note:
        blocks = self.block_seq(note.blocks)
        return note if blocks is note.blocks else Note(note.label, blocks)

    def article(self, article: Article) -> Article:
        body = self.block_seq(article.body)
        notes = tuple(self.note(n) for n in article.notes)
        if body is article.body and all(a is b for a, b in zip(notes, article.notes, strict=True)):
            return article
        return Article(article.metadata, body, notes, article.assets)

    def walk(self, x: _Walkable) -> object:
        match x:
            case Article():
                return self.article(x)
            case Note():
                return self.note(x)
            case tuple():
                if not x:
                    return x  # of blocks or of inlines: nothing tells, and nothing to walk
                if isinstance(x[0], _INLINE_KINDS):
                    return self.inline_seq(x)
                return self.block_seq(x)
            case (
                Text()
                | Emph()
                | Strong()
                | Link()
                | NoteRef()
                | Code()
                | LineBreak()
                | Strikeout()
                | Superscript()
                | Subscript()
                | SmallCaps()
                | Span()
                | Image()
                | Math()
            ):
                return self.inline_node(x)
            case (
                Paragraph()
                | Heading()
                | BlockQuote()
                | BulletList()
                | OrderedList()
                | Figure()
                | ThematicBreak()
                | CodeBlock()
                | Table()
                | DefinitionList()
                | Bibliography()
            ):
                return self.block_node(x)
        assert_never(x)


_INLINE_KINDS = (
    Text, Emph, Strong, Link, NoteRef, Code, LineBreak, Strikeout, Superscript, Subscript, SmallCaps, Span, Image, Math,
)  # fmt: skip


def walk_inline(fn: Callable[[Inline], Inline], x: W) -> W:
    """``x`` with ``fn`` applied bottom-up to every inline node in it.

    ``fn`` gets each node with its content already walked and returns the node
    (the same object when it leaves it alone) or its replacement.
    """
    return cast(W, _Walker(inline=fn).walk(x))


def walk_inlines(fn: Callable[[tuple[Inline, ...]], tuple[Inline, ...]], x: W, *, opaque: tuple[type, ...] = ()) -> W:
    """``x`` with ``fn`` applied bottom-up to every sequence of inlines in it.

    ``fn`` gets each sequence with its nodes already walked and returns it (the
    same tuple when it leaves it alone) or the sequence to put in its place.
    The content of the inline kinds in ``opaque`` (``(Link,)``, say) is not walked.
    """
    return cast(W, _Walker(inlines=fn, opaque=opaque).walk(x))


def walk_block(fn: Callable[[Block], Block], x: W) -> W:
    """``x`` with ``fn`` applied bottom-up to every block in it (inline content is not visited)."""
    return cast(W, _Walker(block=fn).walk(x))


def walk_blocks(fn: Callable[[tuple[Block, ...]], tuple[Block, ...]], x: W) -> W:
    """``x`` with ``fn`` applied bottom-up to every sequence of blocks in it (body, notes, quotes, items)."""
    return cast(W, _Walker(blocks=fn).walk(x))


# --------------------------------------------------------------------------- collecting


def query(fn: Callable[[Node], Iterable[R]], x: _Walkable) -> list[R]:
    """Everything ``fn`` returns for the nodes of ``x``, in document order.

    A node comes before its content, a block's inlines before the blocks after it,
    the body before the notes (in their order).  ``fn`` returns an iterable (``()``
    for nothing), as pandoc's ``query`` returns a monoid.
    """
    out: list[R] = []
    _query(fn, x, out)
    return out


#: The node kinds :func:`_query` gives to ``fn`` and has nothing inside to walk (the IR's classes have no subclasses).
_QUERY_LEAVES = frozenset({Text, Code, NoteRef, LineBreak, Image, Math, ThematicBreak, CodeBlock})


def _query(fn: Callable[[Node], Iterable[R]], x: _Walkable, out: list[R]) -> None:
    match x:
        case Article(body=body, notes=notes):
            _query(fn, body, out)
            for note in notes:
                _query(fn, note.blocks, out)
            return
        case Note(blocks=bs):
            _query(fn, bs, out)
            return
        case tuple():
            for node in x:
                if type(node) in _QUERY_LEAVES:  # (most nodes: the case of leaves below, without a call and a match)
                    out.extend(fn(node))
                else:
                    _query(fn, node, out)
            return
        case Text() | Code() | NoteRef() | LineBreak() | Image() | Math() | ThematicBreak() | CodeBlock():
            out.extend(fn(x))
            return
        case (
            Emph(content=c)
            | Strong(content=c)
            | Link(content=c)
            | Strikeout(content=c)
            | Superscript(content=c)
            | Subscript(content=c)
            | SmallCaps(content=c)
            | Span(content=c)
            | Paragraph(content=c)
            | Heading(content=c)
        ):
            out.extend(fn(x))
            _query(fn, c, out)
            return
        case Table(head=head, rows=rows, caption=caption):
            out.extend(fn(x))
            for row in (*head, *rows):
                for cell in row:
                    _query(fn, cell.content, out)
            _query(fn, caption, out)
            return
        case DefinitionList(items=entries):
            out.extend(fn(x))
            for entry in entries:
                _query(fn, entry.term, out)
                for definition in entry.definitions:
                    _query(fn, definition, out)
            return
        case Figure(caption=c):
            out.extend(fn(x))
            _query(fn, c, out)
            return
        case Bibliography(entries=bib, title=title):
            out.extend(fn(x))
            _query(fn, title, out)
            for bib_entry in bib:
                _query(fn, bib_entry.content, out)
            return
        case BlockQuote(blocks=bs):
            out.extend(fn(x))
            _query(fn, bs, out)
            return
        case BulletList(items=items) | OrderedList(items=items):
            out.extend(fn(x))
            for item in items:
                _query(fn, item, out)
            return
    assert_never(x)


def note_ref_order(article: Article) -> list[str]:
    """Labels of referenced notes in order of first reference in the body."""
    return list(dict.fromkeys(query(_note_ref_label, article.body)))


def _note_ref_label(node: Node) -> tuple[str, ...]:
    return (node.label,) if isinstance(node, NoteRef) else ()
