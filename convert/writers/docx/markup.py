"""What the DOCX writer's parts share: namespaces and escaping.

The parts are built as strings (no XML library is imported: building them is most of the
writer's work, and lxml's import alone would cost more than the whole rendering); every text
and attribute value goes through :func:`text` or :func:`attr`.  Characters XML 1.0 does not
allow are removed from the finished parts (:func:`remove_not_xml`).
"""

from __future__ import annotations

from convert.recache import compile as recompile

__all__ = [
    "A_NS",
    "PIC_NS",
    "R_NS",
    "W_NS",
    "WP_NS",
    "attr",
    "remove_not_xml",
    "text",
]

#: WordprocessingML, relationships in a part, DrawingML (main, picture, in a document).
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

#: Characters outside the XML 1.0 ``Char`` production.
_NOT_XML = recompile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    """``value`` as character data."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


def attr(value: str) -> str:
    """``value`` as an attribute value between double quotes."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def remove_not_xml(part: str, removed: set[str]) -> str:
    """``part`` without the characters XML 1.0 does not allow (added to ``removed``)."""
    if _NOT_XML.search(part) is None:
        return part
    removed.update(_NOT_XML.findall(part))
    return _NOT_XML.sub("", part)
