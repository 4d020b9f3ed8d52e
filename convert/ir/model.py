"""The canonical intermediate representation (IR) of an article.

Everything artconv reads becomes an :class:`Article`; every writer is a pure
function of an ``Article`` (and options) to bytes.  The model is small, closed
and immutable: frozen dataclasses holding tuples, two closed unions
(:data:`Inline` and :data:`Block`) and a typed :class:`Metadata` with one
:class:`Rights` record that every writer reads the same way.  The inline nodes are
defined in :mod:`convert.ir.inlines`; every one is importable from here.

Writers dispatch over the unions with ``match`` and end with
``assert_never``, so adding a node kind is a type error in every writer that
does not handle it.

Constructors check their arguments (one ``isinstance`` pass per field) and raise
:class:`~convert.errors.IRTypeError` naming the class and field.  They coerce only
where the meaning is unambiguous: a list where a tuple is meant becomes a tuple,
a ``datetime`` or an ISO ``"YYYY-MM-DD"`` string where a date is meant becomes a
``date``.  A bare ``str`` where a tuple of them is meant (``authors="A, B"``) is
refused: one name or several cannot be told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias, get_args

from convert.recache import compile as recompile

from ._record import record
from .checks import choice as _choice
from .checks import fail as _fail
from .checks import int_ as _int
from .checks import str_ as _str
from .checks import tuple_ as _tuple
from .inlines import (
    DIRECTIONS,  # noqa: F401  (importable from here, as before the inlines moved)
    Code,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
    _inlines,
)
from .metadata import Identifier, Metadata, Rights, Subject

__all__ = [
    "IR_VERSION",
    "Article",
    "Asset",
    "BibEntry",
    "Bibliography",
    "Block",
    "BlockQuote",
    "BulletList",
    "Code",
    "CodeBlock",
    "DefinitionItem",
    "DefinitionList",
    "Emph",
    "Figure",
    "Heading",
    "Identifier",
    "Image",
    "Inline",
    "LineBreak",
    "Link",
    "Math",
    "Metadata",
    "Note",
    "NoteRef",
    "OrderedList",
    "Paragraph",
    "Rights",
    "SmallCaps",
    "Span",
    "Strikeout",
    "Strong",
    "Subject",
    "Subscript",
    "Superscript",
    "Table",
    "TableCell",
    "column_starts",
    "Text",
    "ThematicBreak",
]

#: Version of the IR's JSON form; bumped on any incompatible change.
IR_VERSION = 2


# --------------------------------------------------------------------------- checks


def _blocks(node: object, name: str, value: object) -> None:
    if type(value) is tuple:
        for item in value:
            if not isinstance(item, _BLOCKS):
                break
        else:
            return
    _tuple(node, name, value, _BLOCKS, one="a Block node", many="Block nodes")


def _items(node: object, value: object) -> None:
    """The items of a list: a tuple of tuples of blocks."""
    items = _tuple(node, "items", value, tuple | list, one="a tuple of Block nodes", many="tuples of Block nodes")
    if any(type(item) is not tuple for item in items):
        items = tuple(tuple(item) for item in items)
        object.__setattr__(node, "items", items)
    for i, item in enumerate(items):
        _tuple(node, f"items[{i}]", item, _BLOCKS, one="a Block node", many="Block nodes")


# --------------------------------------------------------------------------- blocks


@record
class Paragraph:
    """A paragraph of inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@record
class Heading:
    """A section heading; ``level`` 1 is the highest level inside the body."""

    level: int
    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _int(self, "level", self.level)
        _inlines(self, "content", self.content)


@record
class BlockQuote:
    """A quotation set off from the text."""

    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        _blocks(self, "blocks", self.blocks)


@record
class BulletList:
    """An unordered list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]

    def __post_init__(self) -> None:
        _items(self, self.items)


@record
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[tuple[Block, ...], ...]
    start: int = 1

    def __post_init__(self) -> None:
        _items(self, self.items)
        _int(self, "start", self.start)


@record
class Figure:
    """An illustration: its caption, and the image when the input still had it.

    Saved articles often keep only the caption; ``image`` is then ``None``.
    """

    caption: tuple[Inline, ...]
    image: Image | None = None

    def __post_init__(self) -> None:
        _inlines(self, "caption", self.caption)
        if self.image is not None and not isinstance(self.image, Image):
            _fail(self, "image", "an Image or None", self.image)


@record
class ThematicBreak:
    """A section break inside the article text (not site chrome)."""


@record
class CodeBlock:
    """Preformatted text; ``language`` is an optional hint."""

    text: str
    language: str = ""

    def __post_init__(self) -> None:
        _str(self, "text", self.text)
        _str(self, "language", self.language)


#: Column alignments of a :class:`Table` (``""``: the default, as the writer sets text).
ALIGNMENTS = ("", "left", "center", "right")


@record
class TableCell:
    """One cell of a :class:`Table`, spanning ``colspan`` columns and ``rowspan`` rows."""

    content: tuple[Inline, ...]
    colspan: int = 1
    rowspan: int = 1

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)
        _int(self, "colspan", self.colspan)
        _int(self, "rowspan", self.rowspan)
        if self.colspan < 1 or self.rowspan < 1:
            _fail(self, "colspan" if self.colspan < 1 else "rowspan", "at least 1", min(self.colspan, self.rowspan))


def _rows(node: object, name: str, value: object) -> None:
    """Rows of a table: a tuple of tuples of cells."""
    rows = _tuple(node, name, value, tuple | list, one="a tuple of TableCell", many="tuples of TableCell")
    if any(type(row) is not tuple for row in rows):
        rows = tuple(tuple(row) for row in rows)
        object.__setattr__(node, name, rows)
    for i, row in enumerate(rows):
        _tuple(node, f"{name}[{i}]", row, TableCell, one="a TableCell", many="TableCell")


@record
class Table:
    """A table: header rows, body rows, the alignment of each column, and a caption.

    ``aligns`` has one entry per column (``""``, ``"left"``, ``"center"``, ``"right"``)
    or is empty (every column default).
    """

    head: tuple[tuple[TableCell, ...], ...]
    rows: tuple[tuple[TableCell, ...], ...]
    aligns: tuple[str, ...] = ()
    caption: tuple[Inline, ...] = ()

    def __post_init__(self) -> None:
        _rows(self, "head", self.head)
        _rows(self, "rows", self.rows)
        for i, align in enumerate(_tuple(self, "aligns", self.aligns, str, one="a str", many="str")):
            _choice(self, f"aligns[{i}]", align, ALIGNMENTS)
        _inlines(self, "caption", self.caption)

    @property
    def columns(self) -> int:
        """The number of columns (the widest row, spans counted)."""
        widths = [sum(cell.colspan for cell in row) for row in (*self.head, *self.rows)]
        return max([len(self.aligns), *widths])


def column_starts(rows: Sequence[Sequence[TableCell]]) -> list[list[int]]:
    """The column each cell starts in, row by row, cells spanning rows from above taken into account."""
    covered: dict[int, int] = {}  # column -> rows still covered by a cell from a row above
    starts: list[list[int]] = []
    for row in rows:
        column, found, spanning = 0, [], {}
        for cell in row:
            while covered.get(column, 0) > 0:
                column += 1
            found.append(column)
            if cell.rowspan > 1:
                spanning.update(dict.fromkeys(range(column, column + cell.colspan), cell.rowspan - 1))
            column += cell.colspan
        covered = {c: n - 1 for c, n in covered.items() if n > 1} | spanning
        starts.append(found)
    return starts


@record
class DefinitionItem:
    """A term of a :class:`DefinitionList` and its definitions (each a sequence of blocks)."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]

    def __post_init__(self) -> None:
        _inlines(self, "term", self.term)
        defs = _tuple(self, "definitions", self.definitions, tuple | list, one="a tuple of Block nodes",
                      many="tuples of Block nodes")  # fmt: skip
        if any(type(d) is not tuple for d in defs):
            object.__setattr__(self, "definitions", tuple(tuple(d) for d in defs))
        for i, d in enumerate(self.definitions):
            _tuple(self, f"definitions[{i}]", d, _BLOCKS, one="a Block node", many="Block nodes")


@record
class DefinitionList:
    """Terms and their definitions (a glossary)."""

    items: tuple[DefinitionItem, ...]

    def __post_init__(self) -> None:
        _tuple(self, "items", self.items, DefinitionItem, one="a DefinitionItem", many="DefinitionItem")


#: What a :class:`BibEntry`'s ``label`` may be: empty, or a name usable as an XML id and a URL fragment.
BIB_LABEL = recompile(r"[^\W\d][\w.-]*\Z")


@record
class BibEntry:
    """One entry of a :class:`Bibliography`: the reference as written, and its ``label``.

    ``label`` (``"smith2019"``, or empty) is what citations link to: a link whose
    target is ``#ref-`` followed by the label points at this entry.
    """

    content: tuple[Inline, ...]
    label: str = ""

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)
        _str(self, "label", self.label)
        if self.label and not BIB_LABEL.match(self.label):
            _fail(self, "label", "empty or a name (a letter, then letters, digits, '_', '.' or '-')", self.label)


@record
class Bibliography:
    """A list of works cited (references), with its ``title`` (``References``) when it has one."""

    entries: tuple[BibEntry, ...]
    title: tuple[Inline, ...] = ()

    def __post_init__(self) -> None:
        _tuple(self, "entries", self.entries, BibEntry, one="a BibEntry", many="BibEntry")
        labels = [entry.label for entry in self.entries if entry.label]
        if len(set(labels)) != len(labels):
            _fail(self, "entries", "entries with distinct labels", next(x for x in labels if labels.count(x) > 1))
        _inlines(self, "title", self.title)


Block: TypeAlias = (
    Paragraph
    | Heading
    | BlockQuote
    | BulletList
    | OrderedList
    | Figure
    | ThematicBreak
    | CodeBlock
    | Table
    | DefinitionList
    | Bibliography
)
_BLOCKS: tuple[type, ...] = get_args(Block)


# --------------------------------------------------------------------------- notes


@record
class Note:
    """A note of the article.  ``label`` is the original marker (``"iv"``, ``"3"``).

    A note may be referenced by several :class:`NoteRef` nodes, or by none.
    """

    label: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        _str(self, "label", self.label)
        _blocks(self, "blocks", self.blocks)


# --------------------------------------------------------------------------- assets


@record
class Asset:
    """A file the article uses (an image), held in the article: its bytes and what they are.

    ``ref`` is the reference an :class:`Image` gives as its ``src`` (the input's own
    reference, as written); ``sha256`` is the hex digest of ``data`` (computed when empty).
    """

    ref: str
    media_type: str
    data: bytes
    sha256: str = ""

    def __post_init__(self) -> None:
        _str(self, "ref", self.ref)
        _str(self, "media_type", self.media_type)
        if not isinstance(self.data, bytes):
            _fail(self, "data", "bytes", self.data)
        _str(self, "sha256", self.sha256)
        import hashlib

        digest = hashlib.sha256(self.data).hexdigest()
        if not self.sha256:
            object.__setattr__(self, "sha256", digest)
        elif self.sha256 != digest:
            _fail(self, "sha256", "the SHA-256 of data", self.sha256)


# --------------------------------------------------------------------------- article


@record
class Article:
    """One article: metadata, body blocks, notes in their original order, and the files it uses."""

    metadata: Metadata
    body: tuple[Block, ...]
    notes: tuple[Note, ...] = ()
    assets: tuple[Asset, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.metadata, Metadata):
            _fail(self, "metadata", "a Metadata", self.metadata)
        _blocks(self, "body", self.body)
        _tuple(self, "notes", self.notes, Note, one="a Note", many="Note")
        _tuple(self, "assets", self.assets, Asset, one="an Asset", many="Asset")

    def asset(self, ref: str) -> Asset | None:
        """The asset an image's ``src`` names, if the article holds it."""
        for asset in self.assets:
            if asset.ref == ref:
                return asset
        return None

    def note(self, label: str) -> Note | None:
        """The note with ``label``, if any."""
        for note in self.notes:
            if note.label == label:
                return note
        return None

    def with_metadata(self, **changes: object) -> Article:
        """A copy with these fields of its :class:`Metadata` changed (checked as the constructor checks them).

        ``article.with_metadata(title="...", date=datetime.date(2021, 2, 1), date_precision="month")``;
        a name that is no field raises :class:`TypeError` naming it.
        """
        return _replaced(self, self.metadata, changes) if changes else self

    def with_rights(self, **changes: object) -> Article:
        """A copy with these fields of its :class:`Rights` changed (``licence_url=...``); see :meth:`with_metadata`."""
        if not changes:
            return self
        return _replaced(self, self.metadata, {"rights": _replaced_record(self.metadata.rights, changes)})


def _replaced_record(node: Metadata | Rights, changes: dict[str, object]) -> Metadata | Rights:
    """``node`` with ``changes``; :class:`TypeError` naming a change that is no field of it."""
    import dataclasses

    names = {f.name for f in dataclasses.fields(node)}
    for name in changes:
        if name not in names:
            raise TypeError(f"{type(node).__name__} has no field {name!r}")
    return dataclasses.replace(node, **changes)  # type: ignore[arg-type]


def _replaced(article: Article, metadata: Metadata, changes: dict[str, object]) -> Article:
    import dataclasses

    changed = _replaced_record(metadata, changes)
    assert isinstance(changed, Metadata)
    return dataclasses.replace(article, metadata=changed)
