"""The row of the metadata crosswalk (:class:`Field`) and its cells (:class:`Prop`, :class:`Tei`).

Part of :mod:`convert.ir.crosswalk`, which holds the table itself (:data:`~convert.ir.crosswalk.FIELDS`)
and re-exports every name here: import them from there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, TypeAlias

__all__ = ["FORMATS", "Field", "Form", "Format", "Kind", "Prop", "Tei"]

#: The formats of the crosswalk's columns.
Format: TypeAlias = Literal["md", "tei", "opf", "xmp", "pdf", "html", "json", "colophon"]
FORMATS: tuple[Format, ...] = ("md", "tei", "opf", "xmp", "pdf", "html", "json", "colophon")

#: How a value is held: ``text`` (``str``), ``texts`` (``tuple[str, ...]``), ``date``
#: (``datetime.date | None``), ``subjects`` and ``identifiers`` (tuples of those records),
#: ``copyright`` (the statement, from which holders and year are read) and ``precision`` (how
#: much of the date of the row ``<name>_precision`` qualifies is known: it is written with that
#: date, ``YYYY-MM`` or ``YYYY``, and read back from it, so its cells name the date's places).
Kind: TypeAlias = Literal["text", "texts", "date", "subjects", "identifiers", "copyright", "precision"]

#: How a value is given to a property: ``values`` (its texts, one each), ``joined`` (one text,
#: ``", "``-separated), ``line`` (one text; subjects grouped by scheme, see :func:`~convert.ir.crosswalk.subject_line`).
Form: TypeAlias = Literal["values", "joined", "line"]


class Prop(NamedTuple):
    """One property a field gives a format: its name and how the value is given (a named tuple: cheap at start-up).

    ``array`` is the XMP container (``Alt``: one text per language, the values of every row
    naming the property joined by newlines; ``Seq``, ``Bag``: one item per value; ``""``: a
    simple property, the first value).  ``required``: the format needs the property, so a
    missing value is replaced by the field's ``fallback``.
    """

    name: str
    form: Form = "values"
    array: Literal["", "Alt", "Seq", "Bag"] = ""
    required: bool = False


class Tei(NamedTuple):
    """Where the TEI header holds a field: ``path`` below ``teiHeader`` (``a/b[@type='x']``).

    ``custom``: the TEI writer's and reader's named header functions handle it (the path
    documents where); otherwise the generic code writes the value at the path (one element per
    value, created in schema order) and reads it back from there.  ``licence``: the ``n`` of the
    ``availability/licence`` holding a rights statement (``""``: a licence without ``n``).
    """

    path: str
    custom: bool = True
    licence: str | None = None


class Field:
    """One row of the crosswalk (see :mod:`convert.ir.crosswalk` for the columns).

    Immutable, compared and hashed (but for ``order``) as a frozen dataclass would be; a plain
    class because creating a dataclass is a large part of the cost of importing the crosswalk.
    """

    __slots__ = (
        "colophon", "fallback", "html", "json", "kind", "label", "md", "name", "opf", "order", "pdf", "rights",
        "tei", "xmp",
    )  # fmt: skip
    _FIELDS = (
        "name", "kind", "rights", "label", "md", "tei", "opf", "xmp", "pdf", "html", "json", "colophon", "fallback",
        "order",
    )  # fmt: skip

    #: Attribute of :class:`Metadata`, or of :class:`Rights` when ``rights``.
    name: str
    kind: Kind
    rights: bool
    #: Its name for people (``"Fair use"``), where a format or a message names it.
    label: str
    md: str
    tei: Tei | None
    opf: tuple[Prop, ...]
    xmp: tuple[Prop, ...]
    pdf: tuple[Prop, ...]
    html: tuple[Prop, ...]
    #: JSON key; ``""``: the attribute's name.
    json: str
    #: Class of its paragraphs on the rights page (``""``: not shown there).
    colophon: str
    #: The value of a ``required`` property when the field is empty.
    fallback: str
    #: Position in a format whose order differs from the table's (row n of the table is at 10 n).
    order: Mapping[str, int]

    def __init__(
        self,
        name: str,
        kind: Kind = "text",
        *,
        rights: bool = False,
        label: str = "",
        md: str = "",
        tei: Tei | None = None,
        opf: tuple[Prop, ...] = (),
        xmp: tuple[Prop, ...] = (),
        pdf: tuple[Prop, ...] = (),
        html: tuple[Prop, ...] = (),
        json: str = "",
        colophon: str = "",
        fallback: str = "",
        order: Mapping[str, int] | None = None,
    ) -> None:
        orders = {} if order is None else order
        values = (name, kind, rights, label, md, tei, opf, xmp, pdf, html, json, colophon, fallback, orders)
        for attr, value in zip(self._FIELDS, values, strict=True):
            object.__setattr__(self, attr, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, attr) for attr in self._FIELDS)

    def __repr__(self) -> str:
        return "Field(" + ", ".join(f"{attr}={getattr(self, attr)!r}" for attr in self._FIELDS) + ")"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values()[:-1])

    def __setattr__(self, attr: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {attr!r}")

    def __delattr__(self, attr: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {attr!r}")

    @property
    def json_key(self) -> str:
        return self.json or self.name

    def column(self, fmt: Format) -> Any:
        """This row's cell for ``fmt``."""
        if fmt == "json":
            return self.json_key
        return getattr(self, fmt)
