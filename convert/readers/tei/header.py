"""``teiHeader`` into :class:`~convert.ir.model.Metadata`, through the crosswalk."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from lxml import etree

from convert.recache import compile as recompile

from ...errors import InputError
from ...ir import crosswalk
from ...ir.model import Identifier, Metadata, Subject
from ...ir.rights import reconcile_copyright
from ...xmlns import TEI_NS, XML_ID, XML_LANG, tei_local_name
from .elements import first, kid, kids, paragraphs, plain

__all__ = ["metadata"]

_ISO_DATE = recompile(r"-?\d{4,}-\d{2}-\d{2}|(\d{4}(?:-\d{2})?)$")


def _date(value: str) -> tuple[_dt.date, str] | None:
    """(date, precision) of a TEI date: ``YYYY-MM-DD`` (or longer), ``YYYY-MM`` or ``YYYY``."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        if match.group(1):
            return crosswalk.parse_date(match.group(1))
        return _dt.date.fromisoformat(match.group(0)), "day"
    except (ValueError, InputError):
        return None


def _year(el: etree._Element) -> int | None:
    for value in (el.get("when", ""), plain(el)):
        match = re.match(r"-?\d+", value.strip())
        if match:
            return int(match.group(0))
    return None


def metadata(root: etree._Element) -> Metadata:
    header = kid(root, "teiHeader")
    file_desc = kid(header, "fileDesc")
    title_stmt = kid(file_desc, "titleStmt")
    pub_stmt = kid(file_desc, "publicationStmt")
    bibl = kid(file_desc, "sourceDesc", "bibl")

    site = next((t for t in kids(bibl, "title") if t.get("level") == "j"), None)
    titles = kids(title_stmt, "title") or [t for t in kids(bibl, "title") if t is not site]
    main = [t for t in titles if t.get("type", "main") not in ("sub", "subtitle")]
    subs = [t for t in titles if t.get("type") in ("sub", "subtitle")]
    authors = kids(title_stmt, "author") or kids(bibl, "author")
    holders: list[str] = []
    for resp_stmt in kids(title_stmt, "respStmt"):
        if "copyright" in plain(kid(resp_stmt, "resp")).lower():
            holders.extend(plain(n) for n in kids(resp_stmt, "name", "persName", "orgName"))

    publisher = kid(bibl, "publisher")
    if publisher is None:
        publisher = kid(pub_stmt, "publisher")
    date: tuple[_dt.date, str] | None = None
    year: int | None = None
    for el in [*kids(bibl, "date"), *kids(pub_stmt, "date")]:
        if el.get("type") == "copyright":
            year = _year(el) if year is None else year
        elif el.get("type") == "retrieved":
            continue  # when a copy was fetched (its own crosswalk row), not when the article was published
        elif date is None:
            date = _date(el.get("when", "") or plain(el))

    source_url = ""
    identifiers: list[Identifier] = []
    for el in kids(pub_stmt, "idno"):
        if el.get("subtype") == "source" and not source_url:
            source_url = plain(el)
        else:
            identifiers.append(Identifier(plain(el), el.get("type", "")))
    if not source_url:
        for el in kids(bibl, "idno", "ref", "ptr"):
            if tei_local_name(el) == "idno" and el.get("type", "").lower() in ("url", "uri"):
                source_url = plain(el)
            elif tei_local_name(el) != "idno" and el.get("target"):
                source_url = el.get("target", "")
            if source_url:
                break

    rights = _availability(pub_stmt)
    return crosswalk.make_metadata(
        {
            "title": plain(main[0]) if main else "",
            "subtitle": plain(subs[0]) if subs else "",
            "authors": tuple(plain(first(kid(a, "persName"), a)) for a in authors),
            "publisher": plain(publisher),
            "site": plain(site),
            "date": date[0] if date else None,
            "date_precision": date[1] if date else "day",
            "language": _language(root, header),
            "source_url": source_url,
            "subjects": _subjects(header),
            "identifiers": tuple(identifiers),
            **rights,
            "copyright": reconcile_copyright(rights.get("copyright", ""), holders, year),
            "source": paragraphs(kid(bibl, "note")) if kid(bibl, "note") is not None else "",
            "contact": "\n\n".join(paragraphs(a) for a in kids(pub_stmt, "address")),
            **_by_path(header),
        }
    )


def _availability(pub_stmt: etree._Element | None) -> dict[str, str]:
    """The rights statements of ``availability``, by the crosswalk row whose licence ``n`` they carry.

    A ``licence`` with another ``n`` (or none), and a ``p``, are the reuse terms (the licence without ``n``).
    """
    by_n = {n: row.name for row, n in crosswalk.tei_licences()}
    parts: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    for el in kids(kid(pub_stmt, "availability"), "licence", "p"):
        if tei_local_name(el) == "licence":
            name = by_n.get(el.get("n", ""), by_n[""])
            if name == by_n[""]:  # the licence's address and identifier (its n when not a statement's)
                found.setdefault("licence_url", el.get("target", ""))
                found.setdefault("licence_id", el.get("n", ""))
            text = paragraphs(el)
            if text or name != by_n[""]:
                parts.setdefault(name, []).append(text)
        else:
            parts.setdefault(by_n[""], []).append(plain(el))
    return {**{k: v for k, v in found.items() if v}, **{name: "\n\n".join(t) for name, t in parts.items()}}


def _by_path(header: etree._Element | None) -> dict[str, Any]:
    """The crosswalk's rows read by their TEI path (see :func:`~convert.ir.crosswalk.tei_generic`)."""
    values: dict[str, Any] = {}
    for row, steps in crosswalk.tei_generic():
        attribute = steps[-1][0][1:] if steps[-1][0].startswith("@") else ""
        found = [] if header is None else [header]
        for name, attrs in steps[:-1] if attribute else steps:
            found = [c for el in found for c in kids(el, name) if all(c.get(k) == v for k, v in attrs.items())]
        texts = [el.get(attribute, "") for el in found] if attribute else [plain(el) for el in found]
        values[row.name] = crosswalk.from_strings(row, [t for t in texts if t] if attribute else texts)
    return values


def _language(root: etree._Element, header: etree._Element | None) -> str:
    language = kid(header, "profileDesc", "langUsage", "language")
    if language is not None:
        ident = language.get("ident", "")
        if ident and ident != "und":
            return ident
        return plain(language) or ident
    lang = root.get(XML_LANG, "") or (text.get(XML_LANG, "") if (text := kid(root, "text")) is not None else "")
    return "" if lang == "und" else lang


def _subjects(header: etree._Element | None) -> tuple[Subject, ...]:
    schemes: dict[str, str] = {}
    if header is not None:
        for taxonomy in header.iter(f"{{{TEI_NS}}}taxonomy", "taxonomy"):
            xml_id = taxonomy.get(XML_ID)
            if xml_id:
                label = first(kid(taxonomy, "desc"), kid(taxonomy, "gloss"), kid(taxonomy, "bibl"))
                schemes[xml_id] = plain(label) if label is not None else xml_id
    subjects: list[Subject] = []
    for keywords in kids(kid(header, "profileDesc", "textClass"), "keywords"):
        scheme = keywords.get("scheme", "")
        if scheme.startswith("#"):
            scheme = schemes.get(scheme[1:], scheme[1:])
        terms = kids(keywords, "term") or kids(kid(keywords, "list"), "item")
        subjects.extend(Subject(plain(term), scheme) for term in terms)
    return tuple(subjects)
