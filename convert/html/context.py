"""The rendering context: the article, the serialisation (HTML or XHTML) and how notes are placed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from lxml.builder import ElementMaker

from ..ir.model import Article, Asset
from ..options import NotesPlacement
from ..xmlns import EPUB_NS, XHTML_NS

__all__ = ["EPUB_TYPE", "HtmlContext", "note_id"]

EPUB_TYPE = f"{{{EPUB_NS}}}type"


def note_id(label: str) -> str:
    """The id of the endnote with ``label`` (labels are made id-safe)."""
    return "note-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m.group()):x}", label)


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
        self.E = (
            ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS, "epub": EPUB_NS})
            if self.xhtml
            else (ElementMaker())
        )
        self._notes = {n.label: n for n in self.article.notes}
        #: The article's assets by ``ref`` (the first of a ``ref``, as :meth:`Article.asset` finds it).
        self.assets: dict[str, Asset] = {}
        for asset in self.article.assets:
            self.assets.setdefault(asset.ref, asset)

    def el(self, tag: str, *children: object, epub_type: str = "", **attrs: str) -> etree._Element:
        """An element; ``epub_type`` is only written for XHTML."""
        node: etree._Element = self.E(tag, *children, **{k.rstrip("_"): v for k, v in attrs.items()})
        if epub_type and self.xhtml:
            node.set(EPUB_TYPE, epub_type)
        return node

    def ref_ids(self, label: str) -> list[str]:
        """Ids of the references to ``label`` rendered so far, in order."""
        return [f"ref-{note_id(label)[5:]}-{k}" for k in range(1, self._ref_count.get(label, 0) + 1)]
