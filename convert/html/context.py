"""The rendering context: the article, the serialisation (HTML or XHTML) and how notes are placed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from convert.recache import compile as recompile

from ..ir.model import Article, Asset
from ..options import NotesPlacement
from ..xmlns import EPUB_NS, XHTML_NS

__all__ = ["EPUB_TYPE", "HtmlContext", "note_id"]

EPUB_TYPE = f"{{{EPUB_NS}}}type"


_NOT_ID = recompile(r"[^A-Za-z0-9_-]")


def note_id(label: str) -> str:
    """The id of the endnote with ``label`` (labels are made id-safe)."""
    return "note-" + _NOT_ID.sub(_id_escape, label)


def _id_escape(m: re.Match[str]) -> str:
    return f"_{ord(m.group()):x}"


@dataclass
class HtmlContext:
    """How note references and notes are rendered, and for which serialisation.

    ``xhtml``: elements are in the XHTML namespace and EPUB ``epub:type``
    attributes are added.  ``notes``: ``endnotes`` links each reference to an
    entry of :func:`notes_section`; ``footnotes`` puts the note's content at
    its first reference (``<span class="footnote">``) and links later ones to it.
    ``notes_href`` is the document holding the endnotes (``""``: the same one);
    ``body_href`` the document holding the references (for links back).
    An image whose ``src`` names one of the article's assets is put in the page
    by ``asset_src`` (the URL of its bytes; default: a ``data:`` URI); any other
    is mapped by ``image_src`` to the URL put in ``<img src>`` (None: no image,
    its alt text is kept); by default only images on the web are kept.
    """

    article: Article
    xhtml: bool = False
    notes: NotesPlacement = "endnotes"
    notes_href: str = ""
    body_href: str = ""
    image_src: Callable[[str], str | None] | None = None
    asset_src: Callable[[Asset], str | None] | None = None
    _ref_count: dict[str, int] = field(default_factory=dict)
    _first_ref: dict[str, str] = field(default_factory=dict)
    #: Ids of the bibliography entries rendered so far (each is given once).
    bib_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        #: The namespace prefix of element tags, and the namespaces declared on every element (XHTML).
        self._ns_prefix = f"{{{XHTML_NS}}}" if self.xhtml else ""
        # (typed Any: lxml's stubs know no None key, the default namespace's)
        self._nsmap: Any = {None: XHTML_NS, "epub": EPUB_NS} if self.xhtml else None
        # Elements are made in one document (that of an element made for the purpose): made by
        # etree.Element, each would be made in a document of its own, at twice the cost, and moved.
        self._make = etree.Element(self._ns_prefix + "html", nsmap=self._nsmap).makeelement
        self._notes = {n.label: n for n in self.article.notes}
        #: The article's assets by ``ref`` (the first of a ``ref``, as :meth:`Article.asset` finds it).
        self.assets: dict[str, Asset] = {}
        for asset in self.article.assets:
            self.assets.setdefault(asset.ref, asset)

    def el(self, tag: str, *children: str | etree._Element, epub_type: str = "", **attrs: str) -> etree._Element:
        """An element: ``attrs`` (a trailing ``_`` dropped from a name: ``class_``), then ``children`` in
        order (a string is text after the previous child), then ``epub:type`` (only written for XHTML).

        The element lxml's ``ElementMaker`` makes for the same call (namespace and ``nsmap`` on each
        element), made directly, and in one document for all elements of the rendering (but one of a
        tag in another namespace, made as the builder makes it): the builder's general dispatch on
        argument types, and a document for each element, were a tenth of the EPUB writer's time.
        A test compares the two.
        """
        if tag[:1] == "{":  # a tag of its own namespace: lxml names undeclared ones per document (ns0)
            node = etree.Element(tag, nsmap=self._nsmap)
        else:
            node = self._make(self._ns_prefix + tag, nsmap=self._nsmap)
        for name, value in attrs.items():
            node.set(name.rstrip("_"), value)
        for child in children:
            if isinstance(child, str):
                # as the builder adds text: an empty string still sets an empty text (``<p></p>``)
                if len(node):
                    last = node[-1]
                    last.tail = (last.tail or "") + child
                else:
                    node.text = (node.text or "") + child
            elif isinstance(child, etree._Element):
                node.append(child)
            else:
                raise TypeError(f"bad argument type: {type(child).__name__}({child!r})")
        if epub_type and self.xhtml:
            node.set(EPUB_TYPE, epub_type)
        return node

    def sub(self, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        """A new last child of ``parent``, an element of the rendering (``tag`` of the rendering's namespace).

        What ``parent.append(self.el(tag, **attrs))`` puts in the tree, made in place: an element
        made apart declares its namespaces, dropped again when it is appended (twice the cost).
        The rendering's elements are made this way inside its blocks; a test compares the two.
        """
        node = etree.SubElement(parent, self._ns_prefix + tag)
        for name, value in attrs.items():
            node.set(name.rstrip("_"), value)
        return node

    def ref_ids(self, label: str) -> list[str]:
        """Ids of the references to ``label`` rendered so far, in order."""
        return [f"ref-{note_id(label)[5:]}-{k}" for k in range(1, self._ref_count.get(label, 0) + 1)]
