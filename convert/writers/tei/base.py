"""What the parts of the TEI writer share: the builder's primitives, names and checks."""

from __future__ import annotations

import unicodedata

from convert.recache import compile as recompile

from ...ir.model import Article
from ...xmlns import TEI_NS, XML_ID
from .tree import Element, SubElement

__all__ = ["LANGUAGE_TAG", "LOGGER", "NCNAME", "Base", "tag", "word"]

#: The logger every warning of the writer goes to (one name for the whole package).
LOGGER = "convert.writers.tei"

#: Everything outside the XML 1.0 ``Char`` production.
#: (Written as the characters it excludes: the negated class takes ten times longer to compile.)
_NOT_XML = recompile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What ``xml:lang`` accepts (``xsd:language``).
LANGUAGE_TAG = recompile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
NCNAME = recompile(r"[A-Za-z_][A-Za-z0-9_.-]*")


#: The Clark names of the elements made so far, by local name (each made once).
_TAGS: dict[str, str] = {}


def tag(name: str) -> str:
    """The Clark name of TEI element ``name``."""
    return f"{{{TEI_NS}}}{name}"


def word(value: str) -> str:
    """``value`` as a ``teidata.word`` (no spaces, controls or separators)."""
    return "".join("-" if c.isspace() or unicodedata.category(c)[0] in "CZ" else c for c in value)


class Base:
    """The article being written, and the primitives that add to the tree."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.removed: set[str] = set()
        #: Whether an element has a ``@style`` (CSS), declared in ``encodingDesc/styleDefDecl``.
        self.styled = False

    def clean(self, value: str) -> str:
        """``value`` without the characters XML 1.0 cannot carry (noted in ``removed``)."""
        found = _NOT_XML.findall(value)
        if not found:
            return value
        self.removed.update(found)
        return _NOT_XML.sub("", value)

    def sub(self, parent: Element, name: str, text: str = "", **attrs: str) -> Element:
        """A new child ``name`` of ``parent`` with plain ``text`` and attributes (``xml_id`` for xml:id)."""
        el = SubElement(parent, _TAGS.get(name) or _TAGS.setdefault(name, tag(name)))
        for key, value in attrs.items():
            # (straight into the attributes: a cleaned value holds nothing ``Element.set`` would refuse)
            el.attrib[XML_ID if key == "xml_id" else key] = self.clean(value)
        if text:
            self.text_into(el, text)
        return el

    def append_text(self, parent: Element, text: str) -> None:
        """Append ``text`` at the end of ``parent``'s content (as :func:`convert.xmlns.append_text` does)."""
        text = self.clean(text)
        if not text:
            return
        children = parent._children
        if children:
            last = children[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def text_into(self, parent: Element, text: str) -> None:
        """Plain ``text`` into ``parent``; each newline becomes an ``lb``."""
        for index, line in enumerate(text.split("\n")):
            if index:
                SubElement(parent, tag("lb"))
            self.append_text(parent, line)

    def paragraphs(self, parent: Element, text: str) -> None:
        """Plain ``text`` as ``p`` children of ``parent``, one per blank-line-separated paragraph."""
        for para in text.split("\n\n"):
            self.sub(parent, "p", para)
