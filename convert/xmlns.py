"""XML namespaces artconv reads and writes, and the local name of an element: one place for all formats."""

from __future__ import annotations

from lxml import etree

__all__ = [
    "EPUB_NS",
    "TEI_NS",
    "XHTML_NS",
    "XML_ID",
    "XML_LANG",
    "XML_NS",
    "XML_SPACE",
    "append_text",
    "local_name",
    "tei_local_name",
]

#: The TEI namespace.
TEI_NS = "http://www.tei-c.org/ns/1.0"
#: The XHTML namespace (EPUB content documents).
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: The EPUB operations namespace (``epub:type``).
EPUB_NS = "http://www.idpf.org/2007/ops"
#: The ``xml:`` namespace, and its attributes in Clark notation.
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"


def local_name(node: etree._Element | str) -> str:
    """The local name of an element or of a ``{namespace}name`` tag; ``""`` for a comment or processing instruction."""
    tag = node if isinstance(node, str) else node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def tei_local_name(el: etree._Element) -> str:
    """The local name of a TEI (or namespace-less) element; ``""`` for anything else."""
    if not isinstance(el.tag, str):
        return ""
    qname = etree.QName(el)
    return qname.localname if qname.namespace in (None, TEI_NS) else ""


def append_text(parent: etree._Element, text: str) -> None:
    """Append ``text`` at the end of ``parent``'s content (after its last child, if any)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
