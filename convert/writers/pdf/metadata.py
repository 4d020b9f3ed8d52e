"""The PDF's metadata: the document information dictionary and the XMP packet, both from the crosswalk.

As WeasyPrint's ``DocumentMetadata`` feeds both places, one set of fields
(:mod:`convert.ir.crosswalk`, the ``pdf`` and ``xmp`` columns) feeds the info
dictionary (:func:`info_entries`) and the XMP packet (:func:`xmp_packet`).
Dates come from ``SOURCE_DATE_EPOCH`` or the article, never the clock.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from lxml import etree

from ..._version import __version__
from ...ir import crosswalk
from ...ir.crosswalk import timestamp
from ...ir.model import Article, Metadata
from ...registry import Options
from ...xmlns import XML_LANG

#: What the files say made them (``Creator``, ``xmp:CreatorTool``).
CREATOR = f"artconv {__version__}"

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def pdf_timestamp(article: Article, options: Options) -> _dt.datetime | None:
    """When the PDF says it was made: ``SOURCE_DATE_EPOCH`` if given, else the article's date (UTC)."""
    return timestamp(options.source_date_epoch, article.metadata.date)


def _pdf_date(when: _dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S") + "+00'00'"


def _xmp_date(when: _dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"


def _rdf_list(parent: etree._Element, kind: str, values: Sequence[str], *, lang: bool = False) -> None:
    container = etree.SubElement(parent, f"{{{NS['rdf']}}}{kind}")
    for value in values:
        li = etree.SubElement(container, f"{{{NS['rdf']}}}li")
        if lang:
            li.set(XML_LANG, "x-default")
        li.text = value


def _xmp_properties(meta: Metadata) -> list[tuple[str, str, list[str]]]:
    """(name, array, texts) of the crosswalk's XMP properties; rows naming one property share it."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for _, xmp, values in crosswalk.props("xmp", meta):
        merged.setdefault(xmp.name, (xmp.array, []))[1].extend(values)
    return [(name, array, ["\n".join(texts)] if array == "Alt" else texts) for name, (array, texts) in merged.items()]


def xmp_packet(
    meta: Metadata,
    *,
    created: _dt.datetime | None,
    producer: str,
    variant: str = "",
) -> bytes:
    """The XMP metadata packet of the PDF (Dublin Core, XMP basic, PDF, XMP rights, PDF/A or UA id)."""
    rdf = etree.Element(f"{{{NS['rdf']}}}RDF", nsmap={"rdf": NS["rdf"]})
    properties = _xmp_properties(meta)
    used = list(dict.fromkeys(["dc", "xmp", "pdf", *(name.partition(":")[0] for name, _, _ in properties)]))
    if not meta.rights.is_empty():
        used.append("xmpRights")
    if variant.startswith("pdf/a-"):
        used.append("pdfaid")
    elif variant.startswith("pdf/ua-"):
        used.append("pdfuaid")
    desc = etree.SubElement(rdf, f"{{{NS['rdf']}}}Description", nsmap={p: NS[p] for p in used})
    desc.set(f"{{{NS['rdf']}}}about", "")

    def prop(prefix: str, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(desc, f"{{{NS[prefix]}}}{name}")
        if text is not None:
            el.text = text
        return el

    if variant.startswith("pdf/a-"):
        prop("pdfaid", "part", variant[6])
        prop("pdfaid", "conformance", variant[7].upper())
    elif variant.startswith("pdf/ua-"):
        prop("pdfuaid", "part", variant[7])
    prop("dc", "format", "application/pdf")
    for name, array, values in properties:
        prefix, _, local = name.partition(":")
        if array:
            _rdf_list(prop(prefix, local), array, values, lang=array == "Alt")
        else:
            prop(prefix, local, values[0])
    prop("pdf", "Producer", producer)
    prop("xmp", "CreatorTool", CREATOR)
    if created is not None:
        stamp = _xmp_date(created)
        prop("xmp", "CreateDate", stamp)
        prop("xmp", "ModifyDate", stamp)
        prop("xmp", "MetadataDate", stamp)
    if "xmpRights" in used:
        prop("xmpRights", "Marked", "True" if meta.rights.copyright else "False")
        if meta.rights.copyright_holders:
            _rdf_list(prop("xmpRights", "Owner"), "Bag", list(meta.rights.copyright_holders))
        terms = meta.rights.licence or meta.rights.fair_use
        if terms:
            _rdf_list(prop("xmpRights", "UsageTerms"), "Alt", [terms], lang=True)
        if meta.rights.licence_url or meta.source_url:  # the licence's terms, else where the article is
            prop("xmpRights", "WebStatement", meta.rights.licence_url or meta.source_url)
    xmpmeta = etree.Element(f"{{{NS['x']}}}xmpmeta", nsmap={"x": NS["x"]})
    xmpmeta.append(rdf)
    body: bytes = etree.tostring(xmpmeta, encoding="utf-8", pretty_print=True)
    return b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + b'<?xpacket end="r"?>'


def info_entries(meta: Metadata, created: _dt.datetime | None) -> dict[str, str]:
    """The document information dictionary: the crosswalk's ``pdf`` keys, ``Creator`` and the dates."""
    entries = {prop.name: ", ".join(values) for _, prop, values in crosswalk.props("pdf", meta)}
    entries["Creator"] = CREATOR
    if created is not None:
        entries["CreationDate"] = entries["ModDate"] = _pdf_date(created)
    return entries


def info_keys() -> tuple[str, ...]:
    """Every key :func:`info_entries` may set (WeasyPrint's own values for them are replaced)."""
    return (*(prop.name for row in crosswalk.FIELDS for prop in row.pdf), "Creator", "CreationDate", "ModDate")
