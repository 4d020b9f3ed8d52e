"""The package files of the book as text: container, package document, navigation document, NCX.

They are written as strings, without an XML library: building them through ebooklib's writer
(``EpubWriter``, lxml trees serialised with ``pretty_print``) cost half of the packaging of a book,
and importing ebooklib (and the :mod:`logging` it imports) more than rendering a short article, in
every process that writes a book.  The bytes are those ebooklib 0.20 made of the same book, which
``tests/test_epub_package_strings.py`` checks against ebooklib itself; so the serialisation is lxml's:

* an XML declaration ``<?xml version='1.0' encoding='utf-8'?>`` (single quotes), the text in UTF-8;
* elements indented by two spaces, one a line; an element with text keeps it on its line, an
  element with neither text nor children is written ``<name/>``, one with empty text ``<name></name>``;
* attributes in the order they were given; in text ``&``, ``<``, ``>`` and carriage returns are
  escaped, in attribute values double quotes, tabs and line breaks too;
* a string XML cannot hold (control characters, U+FFFE, U+FFFF, lone surrogates) is refused with
  lxml's error where ebooklib did not catch it (:func:`_checked`); in the package document's
  metadata ebooklib left such an element out, or its text (:func:`_metadata_line`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from convert.recache import compile as recompile

from .content import TocEntry

__all__ = ["CONTAINER", "MetaElement", "ManifestItem", "nav_document", "ncx_document", "package_document"]

#: ``META-INF/container.xml``: the package document is ``EPUB/content.opf``.
CONTAINER = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
    b"  <rootfiles>\n"
    b'    <rootfile media-type="application/oebps-package+xml" full-path="EPUB/content.opf"/>\n'
    b"  </rootfiles>\n"
    b"</container>\n"
)

_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"

#: A metadata element of the package document: its name (``dc:title``, ``meta``), its attributes in
#: order, and its text (``None``: none at all, ``<meta .../>``; ``""``: ``<meta ...></meta>``).
MetaElement = tuple[str, tuple[tuple[str, str], ...], "str | None"]


@dataclass(frozen=True, slots=True)
class ManifestItem:
    """A file of the publication as the manifest lists it (``properties``: ``""`` for none)."""

    id: str
    href: str
    media_type: str
    properties: str = ""


# --------------------------------------------------------------------------- escaping

#: Characters lxml refuses in a string (outside XML 1.0's ``Char``; a lone surrogate cannot be encoded).
_NOT_XML = recompile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REFUSED = "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"


def _checked(value: str) -> str:
    """``value``, or the error lxml raises for it: ``UnicodeEncodeError`` (a lone surrogate, which
    is a ``ValueError``) or ``ValueError``."""
    if _NOT_XML.search(value) is not None:
        value.encode("utf-8")
        raise ValueError(_REFUSED)
    return value


def _text(value: str) -> str:
    """``value`` as character data, escaped as lxml escapes it."""
    _checked(value)
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


def _attr(value: str) -> str:
    """``value`` as an attribute value between double quotes, escaped as lxml escapes it."""
    _checked(value)
    if "&" in value or "<" in value or ">" in value or '"' in value or "\n" in value or "\r" in value or "\t" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        value = value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return value


def _attributes(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in pairs)


def _element(indent: str, name: str, attributes: str, text: str | None) -> str:
    """One line: an element of ``attributes`` (written) and ``text`` (not yet escaped; ``None``: none)."""
    if text is None:
        return f"{indent}<{name}{attributes}/>\n"
    return f"{indent}<{name}{attributes}>{_text(text)}</{name}>\n"


def _parent(indent: str, start: str, name: str, children: Sequence[str]) -> list[str]:
    """An element written ``start`` (``<name ...``) holding the lines ``children``; ``<name .../>`` if none."""
    if not children:
        return [f"{indent}{start}/>\n"]
    return [f"{indent}{start}>\n", *children, f"{indent}</{name}>\n"]


# --------------------------------------------------------------------------- package document


def _metadata_line(name: str, attributes: tuple[tuple[str, str], ...], text: str | None) -> str:
    """A metadata element as ebooklib wrote it, which caught lxml's refusals: an element whose
    attributes lxml refused is left out, one whose text it refused is written without its text."""
    try:
        written = _attributes(attributes)
    except ValueError:
        _refused(name)
        return ""
    if text is not None:
        try:
            _checked(text)
        except ValueError:
            _refused(name)
            text = None
    return _element("    ", name, written, text)


def _refused(name: str) -> None:
    """Log what ebooklib logged (to the root logger) for a metadata element lxml refused."""
    import logging  # (only here: nothing else of a conversion needs logging, a costly import)

    logging.info(f'Could not create metadata "{name.removeprefix("dc:")}".')


def package_document(
    *,
    metadata: Sequence[MetaElement],
    modified: str,
    manifest: Sequence[ManifestItem],
    spine: Sequence[str],
    guide: Sequence[tuple[str, str, str]],
    rtl: bool,
) -> bytes:
    """``EPUB/content.opf``: ``metadata`` after ``dcterms:modified``, the ``manifest``, the ``spine``
    (ids, its NCX ``ncx``), the ``guide`` (type, title, href); ``rtl``: the package's direction and
    the spine's page progression are right to left."""
    rtl_package, rtl_spine = (' dir="rtl"', ' page-progression-direction="rtl"') if rtl else ("", "")
    lines = [
        _DECLARATION,
        f'<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="pub-id" version="3.0"{rtl_package}'
        ' prefix="rendition: http://www.idpf.org/vocab/rendition/#">\n',
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">\n',
        _element("    ", "meta", ' property="dcterms:modified"', modified),
        *(_metadata_line(name, attributes, text) for name, attributes, text in metadata),
        "  </metadata>\n",
    ]
    items = []
    for item in manifest:
        properties = (("properties", item.properties),) if item.properties else ()
        pairs = (("href", item.href), ("id", item.id), ("media-type", item.media_type), *properties)
        items.append(f"    <item{_attributes(pairs)}/>\n")
    lines += _parent("  ", "<manifest", "manifest", items)
    refs = [f'    <itemref idref="{_attr(idref)}"/>\n' for idref in spine]
    lines += _parent("  ", f'<spine toc="ncx"{rtl_spine}', "spine", refs)
    if guide:
        references = [
            f"    <reference{_attributes((('type', kind), ('title', title), ('href', href)))}/>\n"
            for kind, title, href in guide
        ]
        lines += _parent("  ", "<guide", "guide", references)
    lines.append("</package>\n")
    return "".join(lines).encode()


# --------------------------------------------------------------------------- navigation document

#: The landmark of a guide entry's type, where EPUB 3 names it otherwise.
_LANDMARKS = {"notes": "rearnotes", "text": "bodymatter"}


def _nav_href(href: str) -> str:
    """A link of the navigation document (which is at the top of the publication's folder): ebooklib's
    ``posixpath.relpath(href, "")``, which is ``href`` for a plain file name (and a fragment)."""
    if "/" not in href and href not in ("", ".", ".."):
        return href
    return posixpath.relpath(href, "")


def _nav_entries(entries: Sequence[TocEntry], indent: str) -> list[str]:
    lines = []
    for entry in entries:
        inner = indent + "    "
        lines.append(f"{indent}  <li>\n")
        lines.append(_element(inner, "a", f' href="{_attr(_nav_href(entry.href))}"', entry.title))
        if entry.children:
            lines += _parent(inner, "<ol", "ol", _nav_entries(entry.children, inner))
        lines.append(f"{indent}  </li>\n")
    return lines


def nav_document(
    *,
    language: str,
    title: str,
    css_href: str,
    rtl: bool,
    toc: Sequence[TocEntry],
    guide: Sequence[tuple[str, str, str]],
) -> bytes:
    """``nav.xhtml``: the table of contents ``toc`` under ``title``, and the landmarks of ``guide``."""
    lines = [
        _DECLARATION,
        "<!DOCTYPE html>\n",
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{_attr(language)}" xml:lang="{_attr(language)}">\n',
        "  <head>\n",
        _element("    ", "title", "", title),
        f'    <link href="{_attr(css_href)}" rel="stylesheet" type="text/css"/>\n',
        "  </head>\n",
        '  <body dir="rtl">\n' if rtl else "  <body>\n",
        '    <nav epub:type="toc" id="id" role="doc-toc">\n',
        _element("      ", "h2", "", title),
        *_parent("      ", "<ol", "ol", _nav_entries(toc, "      ")),
        "    </nav>\n",
    ]
    if guide:
        lines += ['    <nav epub:type="landmarks">\n', "      <h2>Landmarks</h2>\n"]
        landmarks = []
        for kind, label, href in guide:
            target = f' epub:type="{_attr(_LANDMARKS.get(kind, kind))}" href="{_attr(_nav_href(href))}"'
            landmarks += ["        <li>\n", _element("          ", "a", target, label), "        </li>\n"]
        lines += _parent("      ", "<ol", "ol", landmarks)
        lines.append("    </nav>\n")
    lines += ["  </body>\n", "</html>\n"]
    return "".join(lines).encode()


# --------------------------------------------------------------------------- NCX


class _NavPoints:
    """The ``navPoint`` elements of the NCX, numbered as ebooklib numbered them.

    An entry without sub-entries has the id ``navpoint-N`` (``N``: its place among all entries, in
    reading order); one with sub-entries ``sep_M`` (``M`` counts those, as ebooklib's sections did).
    ``playOrder`` counts all entries from 1.  (ebooklib gave an entry of no address the address of
    its first sub-entry: never seen here, as the navigation document, written first, refuses it.)
    """

    def __init__(self) -> None:
        self.entry = 0
        self.play = 0
        self.lines: list[str] = []

    def add(self, entries: Sequence[TocEntry], indent: str, section: int) -> int:
        for entry in entries:
            self.entry += 1
            self.play += 1
            uid = f"sep_{section}" if entry.children else f"navpoint-{self.entry}"
            inner = indent + "  "
            self.lines += [
                f'{indent}<navPoint id="{_attr(uid)}" playOrder="{self.play}">\n',
                f"{inner}<navLabel>\n",
                _element(inner + "  ", "text", "", entry.title),
                f"{inner}</navLabel>\n",
                f'{inner}<content src="{_attr(entry.href)}"/>\n',
            ]
            if entry.children:
                section = self.add(entry.children, inner, section + 1)
            self.lines.append(f"{indent}</navPoint>\n")
        return section


def ncx_document(uid: str, title: str, toc: Sequence[TocEntry]) -> bytes:
    """``toc.ncx``, the EPUB 2 table of contents: ``toc`` under ``title``, the book's identifier ``uid``."""
    points = _NavPoints()
    points.add(toc, "    ", 0)
    lines = [
        _DECLARATION,
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n',
        "  <head>\n",
        f'    <meta content="{_attr(uid)}" name="dtb:uid"/>\n',
        '    <meta content="0" name="dtb:depth"/>\n',
        '    <meta content="0" name="dtb:totalPageCount"/>\n',
        '    <meta content="0" name="dtb:maxPageNumber"/>\n',
        "  </head>\n",
        "  <docTitle>\n",
        _element("    ", "text", "", title),
        "  </docTitle>\n",
        *_parent("  ", "<navMap", "navMap", points.lines),
        "</ncx>\n",
    ]
    return "".join(lines).encode()
