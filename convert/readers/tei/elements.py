"""TEI as XML: parsed defensively, walked by local name, read as plain text."""

from __future__ import annotations

from typing import Any

from lxml import etree

from convert.recache import compile as recompile

from ...errors import InputError
from ...xmlns import tei_local_name

__all__ = ["SKIPPED", "XML_WS", "all_text", "first", "kid", "kids", "paragraphs", "parse", "plain"]

#: XML whitespace (not Unicode's: a no-break space is text).
XML_WS = recompile(r"[ \t\n\r]+")
_LINE_SEP = "\x00"  # never in XML text: marks an lb while plain text is gathered
#: Elements whose content is not part of the running text.
SKIPPED = frozenset({"pb", "cb", "milestone", "anchor", "gap", "index", "fw", "del", "figDesc", "graphic"})


_ENTITY_MESSAGE = "the document declares entities in a DTD, which TEI input may not do"


def _declares_entities(data: bytes) -> bool:
    """True when ``data`` has a DOCTYPE and an entity declaration (ASCII-compatible or UTF-16 text).

    ``<`` cannot stand unescaped in text, so ``<!ENTITY`` only occurs in markup
    (or a comment): checked before parsing, the expansion never starts.
    """
    return any(
        "<!DOCTYPE".encode(codec) in data and "<!ENTITY".encode(codec) in data
        for codec in ("utf-8", "utf-16-le", "utf-16-be")
    )


def parse(data: bytes) -> etree._Element:
    """The root element of ``data``, parsed without entities, DTDs or network."""
    if _declares_entities(data):
        raise InputError(_ENTITY_MESSAGE)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg or exc}") from None
    if root is None:
        raise InputError("not well-formed XML: no root element")
    dtd: Any = root.getroottree().docinfo.internalDTD  # (the stubs do not know DTD.iterentities)
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(_ENTITY_MESSAGE)
    for entity in root.iter(etree.Entity):
        raise InputError(f"entity reference {entity.text} cannot be resolved (DTDs are not loaded)")
    return root


def kids(el: etree._Element | None, *names: str) -> list[etree._Element]:
    if el is None:
        return []
    return [child for child in el if tei_local_name(child) in names]


def kid(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element along ``path`` of child names, or None."""
    for name in path:
        found = kids(el, name)
        if not found:
            return None
        el = found[0]
    return el


def all_text(el: etree._Element) -> str:
    """All the text inside ``el``, verbatim (its tail excluded)."""
    return "".join(str(t) for t in el.itertext())


def first(*elements: etree._Element | None) -> etree._Element | None:
    """The first of ``elements`` that is not None (elements are falsy when childless)."""
    return next((el for el in elements if el is not None), None)


# --------------------------------------------------------------------------- plain text


def _gather(el: etree._Element, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        name = tei_local_name(child)
        if name == "lb":
            parts.append(_LINE_SEP)
        elif name not in ("note", "") and name not in SKIPPED:
            _gather(child, parts)
        if child.tail:
            parts.append(child.tail)


def plain(el: etree._Element | None) -> str:
    """Text of a header element: XML whitespace collapsed, each ``lb`` a newline."""
    if el is None:
        return ""
    parts: list[str] = []
    _gather(el, parts)
    lines = "".join(parts).split(_LINE_SEP)
    return "\n".join(XML_WS.sub(" ", line).strip(" ") for line in lines)


def paragraphs(el: etree._Element | None) -> str:
    """Text of an element made of ``p`` (or ``addrLine``) children, paragraphs separated by a blank line."""
    if el is None:
        return ""
    paras = kids(el, "p", "addrLine")
    if not paras:
        return plain(el)
    return "\n\n".join(plain(p) for p in paras)
