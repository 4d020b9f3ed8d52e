"""The canonical intermediate representation (IR) of an article.

Everything artconv reads becomes an :class:`Article`; every writer is a pure
function of an ``Article`` (and options) to bytes.  The model is small, closed
and immutable: frozen dataclasses holding tuples, two closed unions
(:data:`Inline` and :data:`Block`) and a typed :class:`Metadata` with one
:class:`Rights` record that every writer reads the same way.

Writers dispatch over the unions with ``match`` and end with
``assert_never``, so adding a node kind is a type error in every writer that
does not handle it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TypeAlias

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


# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """A run of plain text (no markup; whitespace already normalised)."""

    text: str


@dataclass(frozen=True)
class Emph:
    """Emphasised (usually italic) inline content."""

    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    """Strongly emphasised (usually bold) inline content."""

    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink; ``target`` is an absolute URL, ``mailto:`` or ``#fragment``."""

    content: tuple[Inline, ...]
    target: str
    title: str = ""


@dataclass(frozen=True)
class NoteRef:
    """A reference to the :class:`Note` of the article with the same ``label``."""

    label: str


@dataclass(frozen=True)
class Code:
    """Inline code or other verbatim text."""

    text: str


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline: TypeAlias = Text | Emph | Strong | Link | NoteRef | Code | LineBreak


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline content."""

    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading; ``level`` 1 is the highest level inside the body."""

    level: int
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class BlockQuote:
    """A quotation set off from the text."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BulletList:
    """An unordered list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Figure:
    """An illustration: its caption, and the image when the input still had it.

    Saved articles often keep only the caption; ``src`` is then empty.
    """

    caption: tuple[Inline, ...]
    src: str = ""
    alt: str = ""


@dataclass(frozen=True)
class ThematicBreak:
    """A section break inside the article text (not site chrome)."""


@dataclass(frozen=True)
class CodeBlock:
    """Preformatted text; ``language`` is an optional hint."""

    text: str
    language: str = ""


Block: TypeAlias = (
    Paragraph | Heading | BlockQuote | BulletList | OrderedList | Figure | ThematicBreak | CodeBlock
)


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class Note:
    """A note of the article.  ``label`` is the original marker (``"iv"``, ``"3"``).

    A note may be referenced by several :class:`NoteRef` nodes, or by none.
    """

    label: str
    blocks: tuple[Block, ...]


# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class Subject:
    """A subject term and the scheme it belongs to (``"region"``, ``"theme"``, ...)."""

    term: str
    scheme: str = ""


@dataclass(frozen=True)
class Identifier:
    """An identifier of the article (``scheme`` is e.g. ``"url"``, ``"doi"``, ``"uuid"``)."""

    value: str
    scheme: str = ""


@dataclass(frozen=True)
class Rights:
    """Everything the publisher says about rights, kept verbatim as plain text.

    ``copyright`` is the full statement (``"Copyright © A, Publisher, 2012"``);
    ``copyright_holders`` and ``copyright_year`` are what can be parsed from it.
    """

    copyright: str = ""
    copyright_holders: tuple[str, ...] = ()
    copyright_year: int | None = None
    disclaimer: str = ""
    fair_use: str = ""
    licence: str = ""
    source: str = ""
    contact: str = ""

    def is_empty(self) -> bool:
        """True when the article carries no rights information at all."""
        return not (
            self.copyright
            or self.copyright_holders
            or self.copyright_year is not None
            or self.disclaimer
            or self.fair_use
            or self.licence
            or self.source
            or self.contact
        )


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


# --------------------------------------------------------------------------- article


@dataclass(frozen=True)
class Article:
    """One article: metadata, body blocks, and notes in their original order."""

    metadata: Metadata
    body: tuple[Block, ...]
    notes: tuple[Note, ...] = ()

    def note(self, label: str) -> Note | None:
        """The note with ``label``, if any."""
        for note in self.notes:
            if note.label == label:
                return note
        return None
