"""The ``tei`` writer: TEI P5 XML, valid against ``tei_all``, with a complete header.

The document is the one an archivist would write by hand:

* ``teiHeader/fileDesc``: ``titleStmt`` (main title, subtitle, one ``author``
  per author, the copyright holders as a ``respStmt``), ``publicationStmt``
  (publisher, ``date/@when``, ``availability`` with the copyright statement,
  disclaimer, fair-use notice and reuse terms as ``licence/p``, verbatim,
  the contact as an ``address``, ``idno`` for the identifiers and the source
  URL) and ``sourceDesc`` (a ``bibl`` of the original publication);
* ``encodingDesc``: ``appInfo`` naming artconv and its version, and a
  ``classDecl`` declaring the subject schemes;
* ``profileDesc``: ``langUsage`` and ``textClass/keywords`` (one ``term`` per
  subject, grouped by scheme);
* ``text/body``: headings open nested ``div``/``head``; each note is written
  as a ``note`` at its first reference and pointed to by ``ptr`` afterwards;
  notes never referenced go to ``back/div[@type="notes"]``; tables, images,
  formulas, styled text, spans in another language or direction and definition
  lists have their TEI elements (see ``docs/tei.md``).

Nothing is invented: a header field with nothing to say is left out, and
where TEI requires an element the text says honestly that nothing is known.
Every IR field is written somewhere the ``tei`` reader finds it again, so
article -> TEI -> article is lossless (see ``docs/tei.md`` for the mapping).

The writer is split as the document is: :mod:`.header` writes ``teiHeader``,
:mod:`.body` writes ``text``, :mod:`.base` holds what both use; :mod:`.tree` is the
element tree they build and its serialisation (lxml's bytes, without importing lxml).

Characters that XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF)
are removed and reported (``tei.invalid-characters``, see ``docs/warnings.md``).
"""

from __future__ import annotations

from ...errors import OutputError, warn
from ...ir.model import Article
from ...registry import Options, WriterSpec
from ...xmlns import TEI_NS, XML_LANG, local_name
from .base import LANGUAGE_TAG, LOGGER, tag
from .body import BodyWriter
from .header import HeaderWriter
from .tree import Element, tostring

__all__ = ["TEI_NS", "WRITER", "render", "render_tei"]


_PROLOGUE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<?xml-model href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"'
    b' type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
)

#: Elements laid out one child per line (never elements with mixed content).
_INDENTED = frozenset(
    {
        "TEI", "teiHeader", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "availability", "licence",
        "address", "notesStmt", "sourceDesc", "bibl", "encodingDesc", "appInfo", "application", "classDecl", "taxonomy",
        "profileDesc", "langUsage", "textClass", "keywords", "text", "body", "back", "div", "list", "item",
        "quote", "figure", "note", "table", "row", "listBibl",
    }
)  # fmt: skip
#: Inline elements: an ``item`` or ``note`` holding one of them has mixed content and is not indented.
_INLINE = frozenset({"hi", "ref", "ptr", "note", "code", "lb", "seg", "graphic", "formula"})
_MAYBE_MIXED = frozenset({"item", "note"})


class _TeiBuilder(HeaderWriter, BodyWriter):
    """Builds the TEI tree of one article; reports what it had to change."""

    def document(self) -> Element:
        """The whole ``TEI`` element."""
        tei = Element(tag("TEI"))  # (the TEI namespace is declared on the root: see .tree)
        language = self.article.metadata.language
        tei.set(XML_LANG, language if LANGUAGE_TAG.fullmatch(language) else "und")
        self.header(tei)
        text = self.sub(tei, "text")
        self.body(text)
        self.back(text)
        self.declare_style(tei)
        _indent(tei, 0)
        return tei


def _parent_name(el: Element) -> str:
    parent = el.getparent()
    return "" if parent is None else local_name(parent)


#: The local names of the tags met so far, each worked out once (the writer makes a few dozen tags).
_LOCAL_NAMES: dict[str, str] = {}


def _indent(el: Element, level: int, local: dict[str, str] = _LOCAL_NAMES) -> None:
    """Lay out element-only containers one child per line; mixed content is left untouched.

    (The children are read from the element's own list: the tree is the writer's, see :mod:`.tree`.)
    """
    children = el._children
    if not children:
        return
    name = local.get(el.tag) or local.setdefault(el.tag, local_name(el))
    if (
        name in _INDENTED
        and not el.text
        and all(child.tail is None for child in children)
        and not (
            name in _MAYBE_MIXED
            and any(
                (local.get(child.tag) or local.setdefault(child.tag, local_name(child))) in _INLINE
                for child in children
            )
        )
        and not (name == "bibl" and _parent_name(el) == "listBibl")  # an entry: mixed content
    ):
        inner = "\n" + "  " * (level + 1)
        el.text = inner
        for child in children:
            child.tail = inner
        children[-1].tail = "\n" + "  " * level
    for child in children:
        _indent(child, level + 1, local)


def render_tei(article: Article) -> bytes:
    """The article as a TEI P5 document (UTF-8 bytes, ending with a newline).

    Warns (:func:`~convert.errors.warn`) when something had to be changed to
    be written (characters XML forbids, an empty list, a dangling note reference);
    raises :class:`~convert.errors.OutputError` for an article nested beyond
    Python's recursion limit.
    """
    builder = _TeiBuilder(article)
    try:
        tei = builder.document()
        data = tostring(tei)
    except RecursionError:
        raise OutputError("the article is nested too deeply to be written as TEI") from None
    if builder.removed:
        chars = ", ".join(f"U+{ord(c):04X}" for c in sorted(builder.removed))
        warn("tei.invalid-characters", f"removed characters that XML 1.0 does not allow ({chars})", logger=LOGGER)
    return _PROLOGUE + data + b"\n"


def render(article: Article, options: Options) -> bytes:
    """Writer entry: the TEI document of ``article`` (no option applies)."""
    return render_tei(article)


WRITER = WriterSpec(
    name="tei",
    extension=".xml",
    media_type="application/tei+xml",
    description="TEI P5 XML (tei_all), complete header, notes in place; read back losslessly",
    render=render,
    aliases=(".tei",),
)
