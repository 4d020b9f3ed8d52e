"""The element tree the TEI writer builds, and its serialisation: what the writer used of lxml.

The TEI writer only ever builds a tree (elements in the TEI namespace, ``xml:`` attributes, text
and tails, children appended, inserted or moved) and serialises it once.  Importing ``lxml.etree``
for that was about a twentieth of a whole ``artconv SAMPLE -t tei`` run, so the writer uses these
few lines instead.  They behave as lxml does for everything the writer does: the same bytes as
``etree.tostring(tree, encoding="UTF-8")`` (``tests/test_startup_tei.py`` builds random trees both
ways and compares them), and the same :class:`ValueError` for an attribute value XML cannot carry.
Reading TEI, validating it and every other XML format still go through lxml.
"""

from __future__ import annotations

from collections.abc import Iterator

from convert.recache import compile as recompile

from ...xmlns import TEI_NS, XML_NS

__all__ = ["Element", "SubElement", "tostring"]

#: Characters lxml refuses in a value (as ``tei.base._NOT_XML``: outside the XML 1.0 ``Char`` production).
_NOT_XML = recompile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REFUSED = "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
#: Characters escaped in text, and in attribute values (most strings have none: they are written as they are).
_TEXT_SPECIAL = recompile("[&<>\r]")
_ATTRIBUTE_SPECIAL = recompile('[&<>"\n\r\t]')
_TEI = "{" + TEI_NS + "}"
_XML = "{" + XML_NS + "}"


class Element:
    """An element: its Clark-notation tag, attributes in the order set, text, tail and children."""

    __slots__ = ("_children", "_parent", "attrib", "tag", "tail", "text")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.attrib: dict[str, str] = {}
        self.text: str | None = None
        self.tail: str | None = None
        self._children: list[Element] = []
        self._parent: Element | None = None

    def set(self, key: str, value: str) -> None:
        """Set attribute ``key`` (``{namespace}name`` for ``xml:``); a value XML cannot carry is a ValueError."""
        if _NOT_XML.search(value):
            value.encode("utf-8")  # a lone surrogate: UnicodeEncodeError, as lxml raises
            raise ValueError(_REFUSED)
        self.attrib[key] = value

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrib.get(key, default)

    def __len__(self) -> int:
        return len(self._children)

    def __iter__(self) -> Iterator[Element]:
        return iter(self._children)

    def __getitem__(self, index: int) -> Element:
        return self._children[index]

    def getparent(self) -> Element | None:
        return self._parent

    def _adopt(self, child: Element) -> None:
        if child._parent is not None:  # moved, with its tail, as lxml moves an element
            child._parent._children.remove(child)
        child._parent = self

    def append(self, child: Element) -> None:
        """Add ``child`` last (taken from its parent, if it has one)."""
        self._adopt(child)
        self._children.append(child)

    def insert(self, index: int, child: Element) -> None:
        """Add ``child`` at ``index`` (taken from its parent, if it has one)."""
        self._adopt(child)
        self._children.insert(index, child)

    def find(self, path: str) -> Element | None:
        """The first element at ``path``: child tags separated by ``/`` (``{ns}a/{ns}b``)."""
        found = self
        rest = path
        while rest:
            end = rest.find("/", rest.find("}") + 1 if rest.startswith("{") else 0)  # a namespace holds "/"
            step, rest = (rest, "") if end < 0 else (rest[:end], rest[end + 1 :])
            child = next((child for child in found._children if child.tag == step), None)
            if child is None:
                return None
            found = child
        return found


def SubElement(parent: Element, tag: str) -> Element:
    """A new last child ``tag`` of ``parent``."""
    el = Element(tag)
    el._parent = parent
    parent._children.append(el)
    return el


def _name(tag: str) -> str:
    """The serialised name of an element: TEI is the default namespace."""
    if tag.startswith(_TEI):
        return tag[len(_TEI) :]
    raise ValueError(f"not a TEI element: {tag}")


def _attribute_name(key: str) -> str:
    if key.startswith(_XML):
        return "xml:" + key[len(_XML) :]
    if key.startswith("{"):
        raise ValueError(f"attribute in an undeclared namespace: {key}")
    return key


def _text(value: str) -> str:
    """Character data as libxml2 writes it."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(value: str) -> str:
    """An attribute value as libxml2 writes it (between double quotes)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


#: The serialised names of the tags and attribute keys met so far (a few dozen: the writer's own).
_NAMES: dict[str, str] = {}
_ATTRIBUTE_NAMES: dict[str, str] = {}


def tostring(root: Element) -> bytes:
    """``root`` as UTF-8, with the TEI namespace declared on it: ``etree.tostring(root, encoding="UTF-8")``.

    (Recursive, one call an element, as the writer's own layout pass before it: a document the
    writer could build and lay out is serialised.)
    """
    out: list[str] = []
    write = out.append
    names, attribute_names = _NAMES, _ATTRIBUTE_NAMES
    text_special, attribute_special = _TEXT_SPECIAL.search, _ATTRIBUTE_SPECIAL.search

    def element(el: Element, declaration: str) -> None:
        name = names.get(el.tag) or names.setdefault(el.tag, _name(el.tag))
        start = "<" + name + declaration
        for key, value in el.attrib.items():
            shown = attribute_names.get(key) or attribute_names.setdefault(key, _attribute_name(key))
            start += f' {shown}="{_attribute(value) if attribute_special(value) else value}"'
        text, children = el.text, el._children
        if text is None and not children:
            write(start + "/>")
            return
        write(start + ">")
        if text:
            write(_text(text) if text_special(text) else text)
        for child in children:
            element(child, "")
            tail = child.tail
            if tail:
                write(_text(tail) if text_special(tail) else tail)
        write(f"</{name}>")

    element(root, f' xmlns="{TEI_NS}"')
    if root.tail:
        write(_text(root.tail))
    return "".join(out).encode("utf-8")
