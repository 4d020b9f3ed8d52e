"""The article as the reader's transforms see it: the metadata read so far and the blocks being rewritten."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from ...ir.model import Block, Note, Subject
from .._mdparse import FootnoteDef

__all__ = ["Draft", "Fields", "Transform"]


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


class Fields(dict[str, Any]):
    """Metadata and rights values by the name of their crosswalk row (:data:`convert.ir.crosswalk.FIELDS`).

    The article's :class:`~convert.ir.model.Metadata` is made from it by
    :func:`~convert.ir.crosswalk.make_metadata`: a field that is absent gets its default, so a
    transform sets any field of the crosswalk, rights included (``fields["fair_use"] = ...``),
    without a change here.  The properties are typed views of the header fields the reader's
    own steps read and write.
    """

    __slots__ = ()

    def copy(self) -> Fields:
        """A copy of the same class (the values are immutable)."""
        return Fields(self)

    @property
    def title(self) -> str:
        value: str = self.get("title", "")
        return value

    @title.setter
    def title(self, value: str) -> None:
        self["title"] = value

    @property
    def subtitle(self) -> str:
        value: str = self.get("subtitle", "")
        return value

    @subtitle.setter
    def subtitle(self, value: str) -> None:
        self["subtitle"] = value

    @property
    def authors(self) -> tuple[str, ...]:
        value: tuple[str, ...] = self.get("authors", ())
        return value

    @authors.setter
    def authors(self, value: tuple[str, ...]) -> None:
        self["authors"] = value

    @property
    def publisher(self) -> str:
        value: str = self.get("publisher", "")
        return value

    @publisher.setter
    def publisher(self, value: str) -> None:
        self["publisher"] = value

    @property
    def date(self) -> _dt.date | None:
        value: _dt.date | None = self.get("date")
        return value

    @date.setter
    def date(self, value: _dt.date | None) -> None:
        self["date"] = value

    @property
    def subjects(self) -> tuple[Subject, ...]:
        value: tuple[Subject, ...] = self.get("subjects", ())
        return value

    def add_subjects(self, subjects: tuple[Subject, ...]) -> None:
        """Add subjects after those read so far; a repeated subject is kept once, where it first came."""
        self["subjects"] = tuple(dict.fromkeys((*self.subjects, *subjects)))


class Draft(_Record):
    """The article between parsing and the IR; each transform rewrites it in place, in pipeline order."""

    __slots__ = ("blocks", "fields", "footnotes", "notes")
    _FIELDS = ("fields", "blocks", "footnotes", "notes")

    def __init__(
        self,
        fields: Fields | None,
        blocks: list[Block],
        footnotes: list[FootnoteDef] | None = None,
        notes: list[Note] | None = None,
    ) -> None:
        #: The metadata and the rights furniture (verbatim) by crosswalk row name.
        self.fields = Fields() if fields is None else fields
        #: The blocks of the text (the back matter too, until the notes and rights are taken out).
        self.blocks = blocks
        #: The Markdown footnotes (``[^x]: ...``) the parser found.
        self.footnotes: list[FootnoteDef] = [] if footnotes is None else footnotes
        self.notes: list[Note] = [] if notes is None else notes


#: One named step of the reader: it reads and rewrites the draft.
Transform = Callable[[Draft], None]
