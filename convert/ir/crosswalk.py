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
``html``        the ``name`` of the HTML ``<meta>`` elements (a name with a colon, ``og:site_name``, is
                their ``property``; ``rel=license``: a ``<link rel="license" href="...">``)
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

The types of a row and its cells (:class:`Field`, :class:`Prop`, :class:`Tei`, :data:`Kind`,
:data:`Format`) are defined in :mod:`convert.ir.crosswalk_row` and importable from here.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeAlias

from convert.recache import compile as recompile

from ..errors import InputError
from .crosswalk_row import FORMATS, Field, Form, Format, Kind, Prop, Tei
from .model import Identifier, Metadata, Rights, Subject
from .rights import reconcile_copyright
from .text import text_paragraphs

__all__ = [
    "FIELDS",
    "FORMATS",
    "METADATA",
    "SUBJECT_KEYS",
    "UNTITLED",
    "Field",
    "Format",
    "Kind",
    "Prop",
    "Tei",
    "colophon_paragraphs",
    "field_value",
    "fields_for",
    "format_date",
    "from_front_matter",
    "from_strings",
    "front_matter_items",
    "make_metadata",
    "override_keys",
    "override_metadata",
    "parse_date",
    "props",
    "rights_fields",
    "strings",
    "subject_line",
    "subjects_by_scheme",
    "tei_generic",
    "tei_licences",
    "timestamp",
]

#: The title written where a format requires one and the article has none (in English: the words of
#: the article's language, :func:`convert.words.words_for`, where a writer shows it as a heading).
UNTITLED = "Untitled"

#: The class readers build (see :func:`make_metadata`).
METADATA: type[Metadata] = Metadata


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
    # fields added later, each placed in the formats' order by its ``order``
    Field("site", md="site", tei=Tei("fileDesc/sourceDesc/bibl/title[@level='j']"), opf=_p("dcterms:isPartOf"),
          html=_p("og:site_name"), order={"md": 56, "opf": 45, "html": 56}),
    Field("description", md="description", tei=Tei("profileDesc/abstract/p", custom=False), opf=_p("description"),
          html=_p("description"), order={"md": 25, "opf": 25, "html": 5}),
    Field("modified", "date", md="modified", tei=Tei("revisionDesc/change/@when", custom=False),
          html=_p("article:modified_time"), order={"md": 51, "html": 51}),
    Field("date_precision", "precision", md="date", tei=Tei("fileDesc/publicationStmt/date/@when")),
    Field("image", md="image", tei=Tei("fileDesc/notesStmt/note[@type='image']", custom=False), html=_p("og:image"),
          order={"md": 75, "html": 75}),
    Field("retrieved", "date", md="retrieved",
          tei=Tei("fileDesc/sourceDesc/bibl/date[@type='retrieved']/@when", custom=False),
          order={"md": 58}),
    Field("licence_url", rights=True, label="Licence URL", md="licence-url", colophon="licence-url",
          tei=Tei("fileDesc/publicationStmt/availability/licence/@target"), opf=_p("dcterms:license"),
          html=_p("rel=license"), order={"md": 131, "colophon": 107, "opf": 146}),
    Field("licence_id", rights=True, label="Licence identifier", md="licence-id", colophon="licence-id",
          tei=Tei("fileDesc/publicationStmt/availability/licence/@n"), opf=_p("dcterms:license"),
          html=_p("dcterms.license"), order={"md": 132, "colophon": 106, "opf": 147}),
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


def colophon_paragraphs(meta: Metadata, labels: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The paragraphs of a closing rights section, as (label, text): each rights field in the colophon's
    order, split at blank lines, its whitespace collapsed; the label (``"Copyright"``, else its name in
    ``labels`` by field name: :attr:`convert.words.Words.labels`) on a field's first paragraph only (``""``
    on the others)."""
    out: list[tuple[str, str]] = []
    for row in fields_for("colophon"):
        value = field_value(row, meta)
        if not value:
            continue
        label = labels.get(row.name, row.label) if labels else row.label
        for i, para in enumerate(text_paragraphs(str(value))):
            out.append((label if i == 0 else "", para))
    return out


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
            return [format_date(value, _precision_of(row, meta))]
        case "precision":
            return []  # written with its date
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


def _precision_of(row: Field, meta: Metadata) -> str:
    """How much of the date of ``row`` is known (its ``<name>_precision`` field; ``"day"`` when it has none)."""
    return str(getattr(meta, f"{row.name}_precision", "day"))


def format_date(date: _dt.date, precision: str = "day") -> str:
    """``date`` as ISO 8601 to its precision: ``2021-02-17``, ``2021-02`` (``"month"``), ``2021`` (``"year"``)."""
    text = date.isoformat()
    return text[:7] if precision == "month" else text[:4] if precision == "year" else text


def parse_date(value: object, name: str = "date") -> tuple[_dt.date, Literal["day", "month", "year"]]:
    """(date, precision) of ``YYYY-MM-DD`` (a longer timestamp: its date), ``YYYY-MM``, ``YYYY`` or a date.

    A month is its 1st, a year its January 1st.  Raises :class:`InputError` naming ``name``.
    """
    if isinstance(value, _dt.datetime):
        return value.date(), "day"
    if isinstance(value, _dt.date):
        return value, "day"
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    try:
        if re.fullmatch(r"\d{4}", text):
            return _dt.date(int(text), 1, 1), "year"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return _dt.date(int(text[:4]), int(text[5:]), 1), "month"
        if re.match(r"\d{4}-\d{2}-\d{2}(?:$|[T ])", text):
            return _dt.date.fromisoformat(text[:10]), "day"
    except ValueError:
        pass
    raise InputError(f"{name}: {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def from_strings(row: Field, texts: Sequence[str]) -> Any:
    """The value of ``row`` given by ``texts`` (as :func:`strings` gives them); raises :class:`InputError`."""
    match row.kind:
        case "text" | "copyright":
            return texts[0] if texts else ""
        case "texts":
            return tuple(texts)
        case "date":
            return parse_date(texts[0], row.name)[0] if texts else None
        case "precision":
            return parse_date(texts[0], row.name)[1] if texts else "day"
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
    """The rows the TEI modules write and read by their path: (row, steps of ``(name, attributes)``).

    A last step ``@name`` (``revisionDesc/change/@when``) is an attribute: the value is that
    attribute of the element of the step before.
    """
    out = []
    for row in fields_for("tei"):
        if row.tei is not None and not row.tei.custom:
            parts = row.tei.path.split("/")
            attr = [parts.pop()] if parts[-1].startswith("@") and len(parts) > 1 else []
            steps = [_tei_step().fullmatch(step) for step in parts]
            if not all(steps) or (attr and not _tei_step().fullmatch(attr[0][1:])):
                raise ValueError(f"crosswalk: TEI path {row.tei.path!r} of {row.name!r} is not name[@attr='value']/...")
            found = [(m.group(1), {m.group(2): m.group(3)} if m.group(2) else {}) for m in steps if m]
            out.append((row, found + [(a, {}) for a in attr]))
    return out


@functools.cache
def _tei_step() -> re.Pattern[str]:
    return recompile(r"([A-Za-z][\w.-]*)(?:\[@([A-Za-z][\w.-]*)='([^']*)'\])?")


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


#: Subject schemes with a front-matter key of their own (a list of terms); the others are the
#: lists of the subjects' mapping (``subject: {region: [Asia]}``).
SUBJECT_KEYS = {"": "keywords", "tag": "tags", "category": "categories"}


def _fm_subjects(row: Field, value: Sequence[Subject]) -> list[tuple[str, Plain]]:
    schemes = subjects_by_scheme(value)
    groups: dict[str, Plain] = {}
    for scheme, terms in schemes.items():  # each group where its first subject comes
        if scheme in SUBJECT_KEYS:
            groups[SUBJECT_KEYS[scheme]] = terms
        else:
            groups.setdefault(row.md, {})[scheme] = terms
    return list(groups.items())


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


def _fm_value(row: Field, meta: Metadata, value: Any) -> Any:
    """A date as YAML data: a date, or its ``YYYY-MM`` / ``YYYY`` text when only its month or year is known."""
    precision = _precision_of(row, meta)
    return value if value is None or precision == "day" else format_date(value, precision)


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
            case "date":
                items.append((row.md, _fm_value(row, meta, value)))
            case "text":
                items.append((row.md, value))
            case "precision":
                pass  # written with its date
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


def _fm_date(value: Any, key: str) -> tuple[_dt.date | None, str]:
    """(date, precision) of a front-matter date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or a YAML date)."""
    if value is None or value == "":
        return None, "day"
    try:
        return parse_date(value, key)
    except InputError:
        raise InputError(f"front matter: {key!r} must be a date (YYYY-MM-DD, YYYY-MM or YYYY), got {value!r}") from None


def _fm_read_subjects(data: Mapping[str, Any], key: str) -> tuple[Subject, ...]:
    subjects: list[Subject] = []
    by_key = {k: scheme for scheme, k in SUBJECT_KEYS.items()}
    for name in [k for k in data if k == key or k in by_key]:  # in the order the front matter gives them
        if name in by_key:
            subjects.extend(Subject(t, by_key[name]) for t in _fm_texts(data.get(name), name))
        elif isinstance(subject := data.get(key), dict):
            for scheme, terms in subject.items():
                subjects.extend(Subject(t, str(scheme)) for t in _fm_texts(terms, f"{key}.{scheme}"))
        else:
            subjects.extend(Subject(t) for t in _fm_texts(subject, key))
    return tuple(subjects)


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
    "date": lambda data, key: _fm_date(data.get(key), key)[0],
    "precision": lambda data, key: _fm_date(data.get(key), key)[1],
    "subjects": _fm_read_subjects,
    "identifiers": _fm_read_identifiers,
    "copyright": _fm_read_copyright,
}


def from_front_matter(data: Mapping[str, Any]) -> Metadata:
    """Typed metadata from the front matter's YAML data (a mapping); raises :class:`InputError`."""
    return make_metadata({row.name: _FM_READERS[row.kind](data, row.md) for row in fields_for("md")})


# --------------------------------------------------------------------------- overrides


def _keys_of(row: Field) -> tuple[str, ...]:
    """The front-matter keys that give ``row``'s value."""
    if row.kind == "subjects":
        return (row.md, *SUBJECT_KEYS.values())
    if row.kind == "copyright":
        return (row.md, "copyright")
    return (row.md,)


def override_keys() -> list[str]:
    """Every key :func:`override_metadata` takes: the front-matter keys of the ``md`` writer."""
    return list(dict.fromkeys(key for row in fields_for("md") for key in _keys_of(row)))


def override_metadata(meta: Metadata, data: Mapping[str, Any]) -> Metadata:
    """``meta`` with the fields ``data`` gives replaced (front-matter keys and YAML data, as the ``md`` reader reads).

    Subjects are replaced scheme by scheme (``tags`` replaces the ``tag`` subjects only); a
    date's precision comes with it.  A key that names no field, or a value the front matter
    could not hold, raises :class:`InputError` naming it.
    """
    known = override_keys()
    for key in data:
        if key not in known:
            raise InputError(f"unknown metadata key {key!r} (one of {', '.join(known)})")
    try:
        given = from_front_matter(data)
    except InputError as exc:
        raise InputError(str(exc).replace("front matter: ", "metadata ", 1)) from None
    changes: dict[str, Any] = {}
    rights: dict[str, Any] = {}
    for row in fields_for("md"):
        if not any(key in data for key in _keys_of(row)):
            continue
        value = field_value(row, given)
        if row.kind == "subjects":
            by_key = {k: scheme for scheme, k in SUBJECT_KEYS.items()}
            schemes = {by_key[k] for k in data if k in by_key} | {s.scheme for s in value}
            if row.md in data:
                subject = data[row.md]
                schemes |= {str(s) for s in subject} if isinstance(subject, dict) else {""}
            value = tuple(s for s in meta.subjects if s.scheme not in schemes) + tuple(value)
        (rights if row.rights else changes)[row.name] = value
    if rights:
        changes["rights"] = dataclasses.replace(meta.rights, **rights)
    return dataclasses.replace(meta, **changes) if changes else meta
