"""The IR's metadata: what is known about an article, its subjects, identifiers and rights."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .checks import date as _date
from .checks import fail as _fail
from .checks import str_ as _str
from .checks import tuple_ as _tuple
from .rights import parse_copyright

__all__ = ["Identifier", "Metadata", "Rights", "Subject"]


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
