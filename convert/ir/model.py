"""The canonical intermediate representation (IR) of an article.

Everything artconv reads becomes an :class:`Article`; every writer is a pure
function of an ``Article`` (and options) to bytes.  The model is small, closed
and immutable: frozen dataclasses holding tuples, two closed unions
(:data:`Inline` and :data:`Block`) and a typed :class:`Metadata` with one
:class:`Rights` record that every writer reads the same way.

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

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeAlias, get_args

from ..errors import IRTypeError
from .rights import parse_copyright

__all__ = [
    "IR_VERSION",
    "Article",
    "Block",
    "BlockQuote",
    "BulletList",
    "Code",
    "CodeBlock",
    "Emph",
    "Figure",
    "Heading",
    "Identifier",
    "Inline",
    "LineBreak",
    "Link",
    "Metadata",
    "Note",
    "NoteRef",
    "OrderedList",
    "Paragraph",
    "Rights",
    "Strong",
    "Subject",
    "Text",
    "ThematicBreak",
]

#: Version of the IR's JSON form; bumped on any incompatible change.
IR_VERSION = 1


# --------------------------------------------------------------------------- checks


def _show(value: object) -> str:
    """``value`` for an error message: its type, and a short repr of a scalar."""
    if value is None:
        return "None"
    name = type(value).__name__
    if isinstance(value, str | int | float):
        text = repr(value)
        return f"{name} {text if len(text) <= 40 else text[:36] + '...' + text[-1]}"
    return name


def _fail(node: object, name: str, expected: str, value: object) -> NoReturn:
    raise IRTypeError(f"{type(node).__name__}.{name} must be {expected}, got {_show(value)}")


def _str(node: object, name: str, value: object) -> None:
    if not isinstance(value, str):
        _fail(node, name, "a str", value)


def _int(node: object, name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        _fail(node, name, "an int", value)


def _tuple(node: object, name: str, value: object, kinds: Any, *, one: str, many: str) -> tuple[Any, ...]:
    """``value`` as a tuple of ``kinds`` (a list becomes a tuple, stored in ``node.name``)."""
    if type(value) is not tuple:
        if not isinstance(value, tuple | list):
            _fail(node, name, f"a tuple of {many}", value)
        value = tuple(value)
        object.__setattr__(node, name, value)
    for item in value:
        if not isinstance(item, kinds):
            index = next(i for i, v in enumerate(value) if not isinstance(v, kinds))
            _fail(node, f"{name}[{index}]", one, item)
    return value


def _inlines(node: object, name: str, value: object) -> None:
    if type(value) is tuple:  # the common case, checked here without a further call
        for item in value:
            if not isinstance(item, _INLINES):
                break
        else:
            return
    _tuple(node, name, value, _INLINES, one="an Inline node", many="Inline nodes")


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


def _date(node: object, name: str, value: object) -> None:
    """A date, or ``None``; a ``datetime`` or an ISO ``"YYYY-MM-DD"`` string is taken as its date."""
    if value is None or type(value) is _dt.date:
        return
    if isinstance(value, _dt.datetime):
        date = value.date()
    elif isinstance(value, _dt.date):
        return
    elif (
        isinstance(value, str)
        and len(value) == 10
        and value.isascii()
        and value[4] == value[7] == "-"
        and (value[:4] + value[5:7] + value[8:]).isdigit()
    ):
        try:
            date = _dt.date.fromisoformat(value)
        except ValueError:
            _fail(node, name, "a datetime.date (no such day)", value)
    else:
        _fail(node, name, "a datetime.date", value)
    object.__setattr__(node, name, date)


# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """A run of plain text (no markup; whitespace already normalised)."""

    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            _fail(self, "text", "a str", self.text)


@dataclass(frozen=True)
class Emph:
    """Emphasised (usually italic) inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@dataclass(frozen=True)
class Strong:
    """Strongly emphasised (usually bold) inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@dataclass(frozen=True)
class Link:
    """A hyperlink; ``target`` is an absolute URL, ``mailto:`` or ``#fragment``."""

    content: tuple[Inline, ...]
    target: str
    title: str = ""

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)
        _str(self, "target", self.target)
        _str(self, "title", self.title)


@dataclass(frozen=True)
class NoteRef:
    """A reference to the :class:`Note` of the article with the same ``label``."""

    label: str

    def __post_init__(self) -> None:
        _str(self, "label", self.label)


@dataclass(frozen=True)
class Code:
    """Inline code or other verbatim text."""

    text: str

    def __post_init__(self) -> None:
        _str(self, "text", self.text)


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline: TypeAlias = Text | Emph | Strong | Link | NoteRef | Code | LineBreak
_INLINES: tuple[type, ...] = get_args(Inline)


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@dataclass(frozen=True)
class Heading:
    """A section heading; ``level`` 1 is the highest level inside the body."""

    level: int
    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _int(self, "level", self.level)
        _inlines(self, "content", self.content)


@dataclass(frozen=True)
class BlockQuote:
    """A quotation set off from the text."""

    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        _blocks(self, "blocks", self.blocks)


@dataclass(frozen=True)
class BulletList:
    """An unordered list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]

    def __post_init__(self) -> None:
        _items(self, self.items)


@dataclass(frozen=True)
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[tuple[Block, ...], ...]
    start: int = 1

    def __post_init__(self) -> None:
        _items(self, self.items)
        _int(self, "start", self.start)


@dataclass(frozen=True)
class Figure:
    """An illustration: its caption, and the image when the input still had it.

    Saved articles often keep only the caption; ``src`` is then empty.
    """

    caption: tuple[Inline, ...]
    src: str = ""
    alt: str = ""

    def __post_init__(self) -> None:
        _inlines(self, "caption", self.caption)
        _str(self, "src", self.src)
        _str(self, "alt", self.alt)


@dataclass(frozen=True)
class ThematicBreak:
    """A section break inside the article text (not site chrome)."""


@dataclass(frozen=True)
class CodeBlock:
    """Preformatted text; ``language`` is an optional hint."""

    text: str
    language: str = ""

    def __post_init__(self) -> None:
        _str(self, "text", self.text)
        _str(self, "language", self.language)


Block: TypeAlias = (
    Paragraph | Heading | BlockQuote | BulletList | OrderedList | Figure | ThematicBreak | CodeBlock
)
_BLOCKS: tuple[type, ...] = get_args(Block)


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class Note:
    """A note of the article.  ``label`` is the original marker (``"iv"``, ``"3"``).

    A note may be referenced by several :class:`NoteRef` nodes, or by none.
    """

    label: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        _str(self, "label", self.label)
        _blocks(self, "blocks", self.blocks)


# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class Subject:
    """A subject term and the scheme it belongs to (``"region"``, ``"theme"``, ...)."""

    term: str
    scheme: str = ""

    def __post_init__(self) -> None:
        _str(self, "term", self.term)
        _str(self, "scheme", self.scheme)


@dataclass(frozen=True)
class Identifier:
    """An identifier of the article (``scheme`` is e.g. ``"url"``, ``"doi"``, ``"uuid"``)."""

    value: str
    scheme: str = ""

    def __post_init__(self) -> None:
        _str(self, "value", self.value)
        _str(self, "scheme", self.scheme)


@dataclass(frozen=True)
class Rights:
    """Everything the publisher says about rights, kept verbatim as plain text.

    ``copyright`` is the full statement (``"Copyright © A, Publisher, 2012"``) and the one
    source of truth: ``copyright_holders`` and ``copyright_year`` are read from it (see
    :mod:`convert.ir.rights`), so replacing the statement replaces them.
    """

    copyright: str = ""
    disclaimer: str = ""
    fair_use: str = ""
    licence: str = ""
    source: str = ""
    contact: str = ""

    def __post_init__(self) -> None:
        _str(self, "copyright", self.copyright)
        _str(self, "disclaimer", self.disclaimer)
        _str(self, "fair_use", self.fair_use)
        _str(self, "licence", self.licence)
        _str(self, "source", self.source)
        _str(self, "contact", self.contact)

    @property
    def copyright_holders(self) -> tuple[str, ...]:
        """The holders named by the copyright statement (``("A", "Publisher")``)."""
        return parse_copyright(self.copyright)[0]

    @property
    def copyright_year(self) -> int | None:
        """The year of the copyright statement, if it gives one."""
        return parse_copyright(self.copyright)[1]

    def __repr__(self) -> str:
        # Spells out the derived holders and year too, where they always stood: the EPUB
        # identifier of an article without a source URL is a hash of the article's repr.
        return (
            f"Rights(copyright={self.copyright!r}, copyright_holders={self.copyright_holders!r}, "
            f"copyright_year={self.copyright_year!r}, disclaimer={self.disclaimer!r}, "
            f"fair_use={self.fair_use!r}, licence={self.licence!r}, source={self.source!r}, "
            f"contact={self.contact!r})"
        )

    def is_empty(self) -> bool:
        """True when the article carries no rights information at all."""
        return not (self.copyright or self.disclaimer or self.fair_use or self.licence or self.source or self.contact)


@dataclass(frozen=True)
class Metadata:
    """What is known about the article; nothing here is invented by a reader."""

    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    date: _dt.date | None = None
    language: str = ""
    source_url: str = ""
    subjects: tuple[Subject, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    rights: Rights = field(default_factory=Rights)

    def __post_init__(self) -> None:
        _str(self, "title", self.title)
        _str(self, "subtitle", self.subtitle)
        _tuple(self, "authors", self.authors, str, one="a str", many="str")
        _str(self, "publisher", self.publisher)
        _date(self, "date", self.date)
        _str(self, "language", self.language)
        _str(self, "source_url", self.source_url)
        _tuple(self, "subjects", self.subjects, Subject, one="a Subject", many="Subject")
        _tuple(self, "identifiers", self.identifiers, Identifier, one="an Identifier", many="Identifier")
        if not isinstance(self.rights, Rights):
            _fail(self, "rights", "a Rights", self.rights)


# --------------------------------------------------------------------------- article


@dataclass(frozen=True)
class Article:
    """One article: metadata, body blocks, and notes in their original order."""

    metadata: Metadata
    body: tuple[Block, ...]
    notes: tuple[Note, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.metadata, Metadata):
            _fail(self, "metadata", "a Metadata", self.metadata)
        _blocks(self, "body", self.body)
        _tuple(self, "notes", self.notes, Note, one="a Note", many="Note")

    def note(self, label: str) -> Note | None:
        """The note with ``label``, if any."""
        for note in self.notes:
            if note.label == label:
                return note
        return None
