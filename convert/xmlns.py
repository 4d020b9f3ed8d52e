"""XML namespaces artconv reads and writes, and the local name of an element: one place for all formats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # (lxml is not imported here: the TEI writer needs these names, not lxml)
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


class _Tagged(Protocol):
    """An element: lxml's, or the TEI writer's (:mod:`convert.writers.tei.tree`)."""

    @property
    def tag(self) -> object: ...


class _Content(Protocol):
    """An element whose content can be appended to: lxml's, or the TEI writer's."""

    text: str | None
    tail: str | None

    def __len__(self) -> int: ...

    def __getitem__(self, index: int, /) -> _Content: ...


def local_name(node: _Tagged | str) -> str:
    """The local name of an element or of a ``{namespace}name`` tag; ``""`` for a comment or processing instruction."""
    tag = node if isinstance(node, str) else node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def tei_local_name(el: etree._Element) -> str:
    """The local name of a TEI (or namespace-less) element; ``""`` for anything else."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return local if namespace in ("", TEI_NS) else ""


def append_text(parent: _Content, text: str) -> None:
    """Append ``text`` at the end of ``parent``'s content (after its last child, if any)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
