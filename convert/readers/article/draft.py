"""The article as the reader's transforms see it: the header read so far and the blocks being rewritten."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from ...ir.model import Block, Note, Subject
from .._mdparse import FootnoteDef

__all__ = ["Draft", "Header", "Transform"]


class _Record:
    """Equality and ``repr`` from ``__slots__``, as a dataclass has them (plain classes: cheap at start-up)."""

    __slots__ = ()
    #: The attributes, in the order of ``__init__``.
    _FIELDS: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]


class Header(_Record):
    """What the top of the page says about the article."""

    __slots__ = ("authors", "date", "publisher", "subjects", "subtitle", "title")
    _FIELDS = ("title", "subtitle", "authors", "publisher", "date", "subjects")

    def __init__(
        self,
        *,
        title: str = "",
        subtitle: str = "",
        authors: tuple[str, ...] = (),
        publisher: str = "",
        date: _dt.date | None = None,
        subjects: list[Subject] | None = None,
    ) -> None:
        self.title = title
        self.subtitle = subtitle
        self.authors = authors
        self.publisher = publisher
        self.date = date
        self.subjects: list[Subject] = [] if subjects is None else subjects

    def copy(self) -> Header:
        """A copy whose list of subjects is its own."""
        return Header(
            title=self.title,
            subtitle=self.subtitle,
            authors=self.authors,
            publisher=self.publisher,
            date=self.date,
            subjects=list(self.subjects),
        )


class Draft(_Record):
    """The article between parsing and the IR; each transform rewrites it in place, in pipeline order."""

    __slots__ = ("blocks", "footnotes", "head", "notes", "rights")
    _FIELDS = ("head", "blocks", "footnotes", "notes", "rights")

    def __init__(
        self,
        head: Header,
        blocks: list[Block],
        footnotes: list[FootnoteDef] | None = None,
        notes: list[Note] | None = None,
        rights: dict[str, str] | None = None,
    ) -> None:
        self.head = head
        #: The blocks of the text (the back matter too, until the notes and rights are taken out).
        self.blocks = blocks
        #: The Markdown footnotes (``[^x]: ...``) the parser found.
        self.footnotes: list[FootnoteDef] = [] if footnotes is None else footnotes
        self.notes: list[Note] = [] if notes is None else notes
        #: Rights furniture by field name (``copyright``, ``fair_use``, ...), verbatim.
        self.rights: dict[str, str] = {} if rights is None else rights


#: One named step of the reader: it reads and rewrites the draft.
Transform = Callable[[Draft], None]
