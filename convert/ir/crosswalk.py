"""The metadata crosswalk: every :class:`~convert.ir.model.Metadata` and :class:`~convert.ir.model.Rights`
field, and what it is called in each format artconv writes.

:data:`FIELDS` is the one table.  A row (:class:`Field`) names an attribute, its :data:`Kind`
(how its value becomes text and comes back) and its place in each format:

==============  ==========================================================================
``md``          the key of the YAML front matter of the ``md`` writer and reader
``tei``         where the TEI header holds it (:class:`Tei`: an XPath below ``teiHeader``)
``opf``         the Dublin Core term of the EPUB package document (``dc:<term>``)
``xmp``         the XMP properties of a PDF (``dc:title``, ``pdf:Keywords``, ...)
``pdf``         the keys of the PDF document information dictionary
``html``        the ``name`` of the HTML ``<meta>`` elements
``json``        the key of the IR's JSON form
``colophon``    the class of its paragraphs on the rights page (HTML, EPUB, PDF)
==============  ==========================================================================

Writers and readers of structured metadata derive from the table (the PDF info dictionary and
its XMP packet from the same rows, as WeasyPrint's ``DocumentMetadata`` feeds both); a format
whose structure is too particular for a cell (TEI's nested header, ``availability``; the
copyright block of the front matter) has it in a small named function, and the row says where
the value goes.  Adding a field is one line of the model and one row here; a row whose
``Tei`` is not ``custom`` is written and read by the generic path code of the TEI module.

Readers build their :class:`Metadata` with :func:`make_metadata`, which constructs
:data:`METADATA`: a subclass of ``Metadata`` with more fields can stand in for it.

The module also holds the metadata helpers every writer shares: :data:`UNTITLED`,
:func:`subjects_by_scheme`, :func:`subject_line` and :func:`timestamp` (``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypeAlias

from ..errors import InputError
from .model import Identifier, Metadata, Rights, Subject
from .rights import reconcile_copyright

__all__ = [
    "FIELDS",
    "FORMATS",
    "METADATA",
    "UNTITLED",
    "Field",
    "Format",
    "Kind",
    "Prop",
    "Tei",
    "field_value",
    "fields_for",
    "from_front_matter",
    "from_strings",
    "front_matter_items",
    "make_metadata",
    "props",
    "rights_fields",
    "strings",
    "subject_line",
    "subjects_by_scheme",
    "tei_generic",
    "tei_licences",
    "timestamp",
]

#: The title written where a format requires one and the article has none.
UNTITLED = "Untitled"

#: The formats of the crosswalk's columns.
Format: TypeAlias = Literal["md", "tei", "opf", "xmp", "pdf", "html", "json", "colophon"]
FORMATS: tuple[Format, ...] = ("md", "tei", "opf", "xmp", "pdf", "html", "json", "colophon")

#: How a value is held: ``text`` (``str``), ``texts`` (``tuple[str, ...]``), ``date``
#: (``datetime.date | None``), ``subjects`` and ``identifiers`` (tuples of those records) and
#: ``copyright`` (the statement, from which holders and year are read).
Kind: TypeAlias = Literal["text", "texts", "date", "subjects", "identifiers", "copyright"]

#: How a value is given to a property: ``values`` (its texts, one each), ``joined`` (one text,
#: ``", "``-separated), ``line`` (one text; subjects grouped by scheme, see :func:`subject_line`).
Form: TypeAlias = Literal["values", "joined", "line"]

#: The class readers build (see :func:`make_metadata`).
METADATA: type[Metadata] = Metadata


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
    """One row of the crosswalk (see the module's documentation for the columns).

    Immutable, compared and hashed (but for ``order``) as a frozen dataclass would be; a plain
    class because creating a dataclass is a large part of the cost of importing this module.
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


def _p(name: str, form: Form = "values", array: Literal["", "Alt", "Seq", "Bag"] = "", **kw: bool) -> tuple[Prop]:
    return (Prop(name, form, array, **kw),)


#: The crosswalk.  Its order is each format's order, but where a row's ``order`` says otherwise.
FIELDS: tuple[Field, ...] = (
    Field("title", md="title", tei=Tei("fileDesc/titleStmt/title[@type='main']"),
          opf=_p("title", required=True), xmp=_p("dc:title", array="Alt", required=True),
          pdf=_p("Title", required=True), fallback=UNTITLED),
    Field("subtitle", md="subtitle", tei=Tei("fileDesc/titleStmt/title[@type='sub']"), opf=_p("title")),
    Field("authors", "texts", md="author", tei=Tei("fileDesc/titleStmt/author/persName"),
          opf=_p("creator"), xmp=_p("dc:creator", array="Seq"), pdf=_p("Author", "joined"), html=_p("author")),
    Field("publisher", md="publisher", tei=Tei("fileDesc/publicationStmt/publisher"), opf=_p("publisher"),
          xmp=_p("dc:publisher", array="Bag"), html=_p("dcterms.publisher"), order={"md": 55, "html": 55}),
    Field("date", "date", md="date", tei=Tei("fileDesc/publicationStmt/date/@when"), opf=_p("date"),
          xmp=_p("dc:date", array="Seq"), html=_p("dcterms.date")),
    Field("language", md="lang", tei=Tei("profileDesc/langUsage/language/@ident"),
          opf=_p("language", required=True), xmp=_p("dc:language", array="Bag"), fallback="und",
          order={"opf": 15}),
    Field("source_url", md="source-url", tei=Tei("fileDesc/publicationStmt/idno[@subtype='source']"),
          opf=_p("source"), xmp=_p("dc:source"), html=_p("dcterms.source"),
          order={"opf": 135, "xmp": 135, "html": 105}),
    Field("subjects", "subjects", md="subject", tei=Tei("profileDesc/textClass/keywords/term"),
          opf=_p("subject"),
          xmp=(Prop("dc:description", "line", "Alt"), Prop("dc:subject", array="Bag"), Prop("pdf:Keywords", "joined")),
          pdf=(Prop("Subject", "line"), Prop("Keywords", "joined")), html=_p("keywords", "joined"),
          order={"md": 95, "xmp": 35}),
    Field("identifiers", "identifiers", md="identifier", tei=Tei("fileDesc/publicationStmt/idno"),
          opf=_p("identifier"), xmp=_p("dc:identifier"), order={"xmp": 136}),
    # the rights record, verbatim
    Field("copyright", "copyright", rights=True, label="Copyright", md="rights", colophon="copyright",
          tei=Tei("fileDesc/publicationStmt/availability/licence[@n='copyright']", licence="copyright"),
          opf=_p("rights"), xmp=_p("dc:rights", array="Alt"), html=_p("dcterms.rights")),
    Field("disclaimer", rights=True, label="Disclaimer", md="disclaimer", colophon="disclaimer",
          tei=Tei("fileDesc/publicationStmt/availability/licence[@n='disclaimer']", licence="disclaimer")),
    Field("fair_use", rights=True, label="Fair use", md="fair-use", colophon="fair-use",
          tei=Tei("fileDesc/publicationStmt/availability/licence[@n='fair-use']", licence="fair-use")),
    Field("licence", rights=True, label="Licence", md="licence", colophon="licence",
          tei=Tei("fileDesc/publicationStmt/availability/licence", licence=""),
          opf=_p("rights"), xmp=_p("dc:rights", array="Alt"), order={"colophon": 105}),
    Field("source", rights=True, label="Source", md="source", colophon="source",
          tei=Tei("fileDesc/sourceDesc/bibl/note[@type='source']"), order={"colophon": 95}),
    Field("contact", rights=True, label="Contact", md="contact", colophon="contact",
          tei=Tei("fileDesc/publicationStmt/address/addrLine")),
)  # fmt: skip


# --------------------------------------------------------------------------- reading the table


def fields_for(fmt: Format) -> list[Field]:
    """The rows that have a cell for ``fmt``, in that format's order."""
    rows = [(row.order.get(fmt, 10 * (i + 1)), i, row) for i, row in enumerate(FIELDS) if row.column(fmt)]
    return [row for _, _, row in sorted(rows, key=lambda t: (t[0], t[1]))]


def rights_fields() -> list[Field]:
    """The rows of the rights record, in table order."""
    return [row for row in FIELDS if row.rights]


def field_value(row: Field, meta: Metadata) -> Any:
    """The value of ``row`` in ``meta`` (``None`` when ``meta``'s class has no such field)."""
    return getattr(meta.rights if row.rights else meta, row.name, None)


def strings(row: Field, meta: Metadata) -> list[str]:
    """The value of ``row`` as texts (empty ones left out).

    An identifier is given as ``scheme:value`` unless its value has a scheme already.
    """
    value = field_value(row, meta)
    if value is None or value in ("", ()):
        return []
    match row.kind:
        case "text" | "copyright":
            return [str(value)]
        case "texts":
            return [str(v) for v in value]
        case "date":
            return [value.isoformat()]
        case "subjects":
            return [s.term for s in value]
        case "identifiers":
            out = []
            for ident in value:
                text = ident.value.strip()
                if text and ":" not in text and ident.scheme:
                    text = f"{ident.scheme.lower()}:{text}"
                if text:
                    out.append(text)
            return out


def from_strings(row: Field, texts: Sequence[str]) -> Any:
    """The value of ``row`` given by ``texts`` (as :func:`strings` gives them); raises :class:`InputError`."""
    match row.kind:
        case "text" | "copyright":
            return texts[0] if texts else ""
        case "texts":
            return tuple(texts)
        case "date":
            if not texts:
                return None
            try:
                return _dt.date.fromisoformat(texts[0].strip()[:10])
            except ValueError:
                raise InputError(f"{row.name}: {texts[0]!r} is not a date (YYYY-MM-DD)") from None
        case "subjects":
            return tuple(Subject(t) for t in texts)
        case "identifiers":
            return tuple(Identifier(t) for t in texts)


def _given(prop: Prop, row: Field, meta: Metadata) -> list[str]:
    values = strings(row, meta)
    if prop.form == "line":
        line = subject_line(meta) if row.kind == "subjects" else ", ".join(values)
        values = [line] if line else []
    elif prop.form == "joined":
        values = [", ".join(values)] if values else []
    if not values and prop.required and row.fallback:
        values = [row.fallback]
    return values


def props(fmt: Literal["opf", "xmp", "pdf", "html"], meta: Metadata) -> Iterator[tuple[Field, Prop, list[str]]]:
    """Every property ``meta`` gives ``fmt``, in order: (row, property, its texts; never empty)."""
    for row in fields_for(fmt):
        for prop in row.column(fmt):
            values = _given(prop, row, meta)
            if values:
                yield row, prop, values


def tei_licences() -> list[tuple[Field, str]]:
    """The rows TEI keeps in ``availability/licence``, each with the licence's ``n`` (``""``: none)."""
    return [(row, row.tei.licence) for row in FIELDS if row.tei is not None and row.tei.licence is not None]


def tei_generic() -> list[tuple[Field, list[tuple[str, dict[str, str]]]]]:
    """The rows the TEI modules write and read by their path: (row, steps of ``(name, attributes)``)."""
    out = []
    for row in fields_for("tei"):
        if row.tei is not None and not row.tei.custom:
            steps = [_tei_step().fullmatch(step) for step in row.tei.path.split("/")]
            if not all(steps):
                raise ValueError(f"crosswalk: TEI path {row.tei.path!r} of {row.name!r} is not name[@attr='value']/...")
            out.append((row, [(m.group(1), {m.group(2): m.group(3)} if m.group(2) else {}) for m in steps if m]))
    return out


@functools.cache
def _tei_step() -> re.Pattern[str]:
    return re.compile(r"([A-Za-z][\w.-]*)(?:\[@([A-Za-z][\w.-]*)='([^']*)'\])?")


# --------------------------------------------------------------------------- shared helpers


def subjects_by_scheme(subjects: Sequence[Subject]) -> dict[str, list[str]]:
    """The terms of ``subjects`` by scheme, schemes in order of appearance (``""``: no scheme)."""
    schemes: dict[str, list[str]] = {}
    for subject in subjects:
        schemes.setdefault(subject.scheme, []).append(subject.term)
    return schemes


def subject_line(meta: Metadata) -> str:
    """The subjects as one line, by scheme: ``Region: Asia, Russia; Theme: Oil``."""
    return "; ".join(
        (f"{scheme.capitalize()}: " if scheme else "") + ", ".join(terms)
        for scheme, terms in subjects_by_scheme(meta.subjects).items()
    )


def timestamp(source_date_epoch: int | None, date: _dt.date | None) -> _dt.datetime | None:
    """When a document says it was made: ``SOURCE_DATE_EPOCH`` if given, else ``date`` at midnight UTC."""
    if source_date_epoch is not None:
        return _dt.datetime.fromtimestamp(source_date_epoch, _dt.UTC)
    if date is not None:
        return _dt.datetime(date.year, date.month, date.day, tzinfo=_dt.UTC)
    return None


def make_metadata(values: Mapping[str, Any]) -> Metadata:
    """A :data:`METADATA` from field values by row name (rights parts included); others default."""
    rights = {row.name: values[row.name] for row in FIELDS if row.rights and row.name in values}
    kwargs = {row.name: values[row.name] for row in FIELDS if not row.rights and row.name in values}
    names = {f.name for f in dataclasses.fields(METADATA)}
    return METADATA(**{k: v for k, v in kwargs.items() if k in names}, rights=Rights(**rights))


# --------------------------------------------------------------------------- front matter

#: A front-matter value as YAML data: text, a year, a date, lists and mappings of them.
Plain: TypeAlias = Any


def _fm_subjects(row: Field, value: Sequence[Subject]) -> list[tuple[str, Plain]]:
    schemes = subjects_by_scheme(value)
    items = [(row.md, {s: t for s, t in schemes.items() if s}), ("keywords", schemes.get("", []))]
    return items[::-1] if next(iter(schemes), None) == "" else items  # the group that comes first, first


def _fm_identifiers(row: Field, value: Sequence[Identifier]) -> list[tuple[str, Plain]]:
    return [(row.md, [{"scheme": i.scheme, "text": i.value} for i in value])]


def _fm_copyright(row: Field, value: str) -> list[tuple[str, Plain]]:
    rights = Rights(copyright=value)
    block: dict[str, Plain] = {}
    if rights.copyright_holders:
        block["holder"] = list(rights.copyright_holders)
    if rights.copyright_year is not None:
        block["year"] = rights.copyright_year
    return [(row.md, value), ("copyright", block)]


def front_matter_items(meta: Metadata) -> list[tuple[str, Plain]]:
    """The front matter of ``meta`` as (key, YAML data) pairs in order; empty values left out.

    An unknown language is written as its fallback, ``und``: without a ``lang`` key the
    Markdown reader detects the language, and a file written from an article whose language
    is unknown must read back as one.
    """
    items: list[tuple[str, Plain]] = []
    for row in fields_for("md"):
        value = field_value(row, meta)
        if row.name == "language" and not value:
            value = row.fallback
        if value is None:
            continue
        match row.kind:
            case "subjects":
                items.extend(_fm_subjects(row, value))
            case "identifiers":
                items.extend(_fm_identifiers(row, value))
            case "copyright":
                items.extend(_fm_copyright(row, value))
            case "texts":
                items.append((row.md, list(value)))
            case "text" | "date":
                items.append((row.md, value))
    return [(key, value) for key, value in items if value not in (None, "", [], {})]


def _fm_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        raise InputError(f"front matter: {key!r} must be text")
    return str(value)


def _fm_texts(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        return tuple(str(v) for v in value)
    raise InputError(f"front matter: {key!r} must be text or a list of texts")


def _fm_date(value: Any, key: str) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InputError(f"front matter: {key!r} must be a date (YYYY-MM-DD), got {value!r}")


def _fm_read_subjects(data: Mapping[str, Any], key: str) -> tuple[Subject, ...]:
    subjects: list[Subject] = []
    subject = data.get(key)
    if isinstance(subject, dict):
        for scheme, terms in subject.items():
            subjects.extend(Subject(t, str(scheme)) for t in _fm_texts(terms, f"{key}.{scheme}"))
    else:
        subjects.extend(Subject(t) for t in _fm_texts(subject, key))
    keywords = [Subject(t) for t in _fm_texts(data.get("keywords"), "keywords")]
    keys = list(data)
    if key in keys and "keywords" in keys and keys.index("keywords") < keys.index(key):
        return tuple(keywords + subjects)  # in the order the front matter gives them
    return tuple(subjects + keywords)


def _fm_read_identifiers(data: Mapping[str, Any], key: str) -> tuple[Identifier, ...]:
    raw = data.get(key)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        return (Identifier(str(raw)),)
    return tuple(
        Identifier(str(item.get("text", "")), str(item.get("scheme", "") or ""))
        if isinstance(item, dict)
        else Identifier(str(item))
        for item in raw
    )


def _fm_read_copyright(data: Mapping[str, Any], key: str) -> str:
    block = data.get("copyright") or {}
    if not isinstance(block, dict):
        raise InputError("front matter: 'copyright' must be a mapping (holder, year)")
    year = block.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise InputError("front matter: 'copyright.year' must be a year")
    return reconcile_copyright(_fm_text(data, key), _fm_texts(block.get("holder"), "copyright.holder"), year)


_FM_READERS: dict[Kind, Callable[[Mapping[str, Any], str], Any]] = {
    "text": _fm_text,
    "texts": lambda data, key: _fm_texts(data.get(key), key),
    "date": lambda data, key: _fm_date(data.get(key), key),
    "subjects": _fm_read_subjects,
    "identifiers": _fm_read_identifiers,
    "copyright": _fm_read_copyright,
}


def from_front_matter(data: Mapping[str, Any]) -> Metadata:
    """Typed metadata from the front matter's YAML data (a mapping); raises :class:`InputError`."""
    return make_metadata({row.name: _FM_READERS[row.kind](data, row.md) for row in fields_for("md")})
