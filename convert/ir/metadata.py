"""The IR's metadata: what is known about an article, its subjects, identifiers and rights."""

from __future__ import annotations

import datetime as _dt
from dataclasses import field, fields
from typing import Literal, TypeAlias

from ._record import record
from .checks import choice as _choice
from .checks import date as _date
from .checks import fail as _fail
from .checks import str_ as _str
from .checks import tuple_ as _tuple
from .rights import parse_copyright

__all__ = ["DatePrecision", "Identifier", "Metadata", "Rights", "Subject"]

#: How much of a date is known: the day, only its month (stored as the 1st), or only its year (January 1st).
DatePrecision: TypeAlias = Literal["day", "month", "year"]
_PRECISIONS: tuple[DatePrecision, ...] = ("day", "month", "year")


@record
class Subject:
    """A subject term and the scheme it belongs to (``"region"``, ``"theme"``, ...)."""

    term: str
    scheme: str = ""

    def __post_init__(self) -> None:
        _str(self, "term", self.term)
        _str(self, "scheme", self.scheme)


@record
class Identifier:
    """An identifier of the article (``scheme`` is e.g. ``"url"``, ``"doi"``, ``"uuid"``)."""

    value: str
    scheme: str = ""

    def __post_init__(self) -> None:
        _str(self, "value", self.value)
        _str(self, "scheme", self.scheme)


@record
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
    #: The address of the licence's text (``https://creativecommons.org/licenses/by/4.0/``).
    licence_url: str = ""
    #: The licence's SPDX identifier (``CC-BY-4.0``).
    licence_id: str = ""

    def __post_init__(self) -> None:
        _str(self, "copyright", self.copyright)
        _str(self, "disclaimer", self.disclaimer)
        _str(self, "fair_use", self.fair_use)
        _str(self, "licence", self.licence)
        _str(self, "source", self.source)
        _str(self, "contact", self.contact)
        _str(self, "licence_url", self.licence_url)
        _str(self, "licence_id", self.licence_id)

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
            f"contact={self.contact!r}{_later_fields(self, Rights._LATER)})"
        )

    #: Fields added after the first IR: spelled out by ``repr`` only when set, so that what is
    #: derived from the repr of an article without them (an EPUB's identifier) stays as it was.
    _LATER = ("licence_url", "licence_id")

    def is_empty(self) -> bool:
        """True when the article carries no rights information at all."""
        return not (
            self.copyright
            or self.disclaimer
            or self.fair_use
            or self.licence
            or self.source
            or self.contact
            or self.licence_url
            or self.licence_id
        )


@record
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
    #: The name of the website the article was published on, when it is not the publisher's.
    site: str = ""
    #: A short description or excerpt of the article.
    description: str = ""
    #: When the article was last changed.
    modified: _dt.date | None = None
    #: How much of ``date`` is known: ``"month"`` (stored as the 1st) and ``"year"`` (January 1st)
    #: are written as ``YYYY-MM`` and ``YYYY`` in every format.
    date_precision: DatePrecision = "day"
    #: The ``src`` of the cover or lead image (an image of the article, or an address).
    image: str = ""
    #: When the article was fetched from its URL, or captured by a web archive.
    retrieved: _dt.date | None = None

    #: Fields added after the first IR (see :attr:`Rights._LATER`).
    _LATER = ("site", "description", "modified", "date_precision", "image", "retrieved")

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
        _str(self, "site", self.site)
        _str(self, "description", self.description)
        _date(self, "modified", self.modified)
        _choice(self, "date_precision", self.date_precision, _PRECISIONS)
        _str(self, "image", self.image)
        _date(self, "retrieved", self.retrieved)
        if self.date is None or self.date_precision == "day":
            object.__setattr__(self, "date_precision", "day")  # nothing to qualify
        else:  # a month's date is its 1st, a year's its January 1st
            start = self.date.replace(day=1) if self.date_precision == "month" else self.date.replace(month=1, day=1)
            object.__setattr__(self, "date", start)

    def __repr__(self) -> str:
        first = ("title", "subtitle", "authors", "publisher", "date", "language", "source_url", "subjects")
        head = ", ".join(f"{name}={getattr(self, name)!r}" for name in (*first, "identifiers", "rights"))
        return f"{type(self).__name__}({head}{_later_fields(self, Metadata._LATER)})"


def _later_fields(node: object, names: tuple[str, ...]) -> str:
    """``, name=value`` for each of ``names`` whose value is not the field's default."""
    defaults = {f.name: f.default for f in fields(node)}  # type: ignore[arg-type]
    return "".join(f", {n}={getattr(node, n)!r}" for n in names if getattr(node, n) != defaults[n])
