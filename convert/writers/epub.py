"""The ``epub`` writer: an EPUB 3.3 book of the article, EPUBCheck-clean and reproducible.

The book holds three content documents built with the shared HTML rendering
(:mod:`convert.html.render`, XHTML flavour): ``text.xhtml`` (title block and
body), ``notes.xhtml`` (endnotes, linked both ways with the references) and
``rights.xhtml`` (the copyright page, verbatim); the last two only when the
article has notes or rights statements.  ebooklib builds the package: the
package document with its metadata, the navigation document (table of contents
and landmarks), the legacy NCX and the container.

What is done around ebooklib, and why:

* content documents are stored as rendered (plain ``EpubItem``), because
  ``EpubHtml`` re-parses its content with an HTML parser and pretty-prints
  it, which would alter inline whitespace;
* ebooklib's random identifier, its ``Ebook-lib`` generator tag and the clock
  behind ``dcterms:modified`` are replaced (stable identifier, ``artconv``,
  ``mtime`` from ``SOURCE_DATE_EPOCH`` or the article);
* ebooklib's zip is rewritten: entries keep their order with ``mimetype``
  first and stored, every entry gets the same timestamp and attributes, so
  the same input gives the same bytes.

EPUB allows no remote images and artconv never fetches: a figure keeps its
caption (or its alt text when it has no caption) and, for an image on the
web, a link to it (see :func:`prepare` for the other adjustments).  The
markup goes through :func:`~convert.html.render.sanitize_tree`, and every
link address is made a valid URL or dropped (:func:`epub_href`), as
EPUBCheck requires.
"""

from __future__ import annotations

import datetime as _dt
import io
import itertools
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from lxml import etree

from ..errors import warn
from ..html.render import (
    EPUB_NS,
    XHTML_NS,
    HtmlContext,
    body_elements,
    document,
    mark_adjacent_note_calls,
    note_id,
    notes_section,
    rights_section,
    sanitize_tree,
    serialize,
    title_block,
)
from ..html.styles import stylesheet
from ..ir import crosswalk
from ..ir.model import (
    Article,
    Block,
    Figure,
    Heading,
    Inline,
    Link,
    Metadata,
    Note,
    NoteRef,
    Text,
)
from ..ir.walk import Node, plain_text, query, walk_blocks, walk_inline, walk_inlines
from ..registry import Options, WriterSpec
from ..urls import LINK_SCHEMES

__all__ = [
    "WRITER",
    "TocEntry",
    "book_identifier",
    "content_documents",
    "epub_href",
    "file_as",
    "modified_time",
    "prepare",
    "render",
]

#: Folder of the publication inside the container.
BOOK_DIR = "EPUB"
TEXT_FILE = "text.xhtml"
NOTES_FILE = "notes.xhtml"
RIGHTS_FILE = "rights.xhtml"
NAV_FILE = "nav.xhtml"
NCX_FILE = "toc.ncx"
CSS_FILE = "style/epub.css"

NOTES_TITLE = "Notes"
RIGHTS_TITLE = "Rights and source"
CONTENTS_TITLE = "Contents"

#: Namespace of the name-based UUIDs made from an article's canonical JSON.
_CONTENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:artconv:ir")
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_EPUB_TYPE = f"{{{EPUB_NS}}}type"
#: Schemes of the links a book may hold ("": a document or fragment inside the book).
_LINK_SCHEMES = frozenset({"", *LINK_SCHEMES})
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: A URL's authority: user info, host (name, IPv4, [IPv6]) and port; no spaces or other stray characters.
_HOST = re.compile(r"[\w.~!$&'()*+,;=:@%-]+|(?:[\w.~!$&'()*+,;=:%-]*@)?\[[0-9A-Fa-f:.]+\](?::\d*)?")
#: Characters a path, query or fragment may hold as they are (RFC 3986), ``%`` for existing escapes.
_URL_SAFE = "/:@!$&'()*+,;=~%"
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}
#: Elements whose children are blocks: a line break between them changes nothing on screen.
_BLOCK_PARENTS = {
    f"{{{XHTML_NS}}}{tag}"
    for tag in ("html", "head", "body", "article", "header", "section", "ol", "ul", "li", "blockquote", "figure", "dl")
}


# --------------------------------------------------------------------------- metadata


def book_identifier(article: Article) -> str:
    """The book's ``dc:identifier``: a name-based UUID of the source URL, else of the content.

    The same article always gets the same identifier; no randomness is involved.
    """
    url = article.metadata.source_url.strip()
    if url:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}"
    # repr() of the frozen IR spells out every field and value, deterministically, and is
    # several times cheaper than its JSON form
    return f"urn:uuid:{uuid.uuid5(_CONTENT_NAMESPACE, repr(article))}"


def modified_time(article: Article, options: Options) -> _dt.datetime:
    """``dcterms:modified``: ``SOURCE_DATE_EPOCH``, else the article's date (midnight UTC), else 1970-01-01."""
    return crosswalk.timestamp(options.source_date_epoch, article.metadata.date) or _EPOCH


def file_as(name: str) -> str:
    """The sort form of a personal name: ``"Farooq Yousaf"`` gives ``"Yousaf, Farooq"``.

    Names already inverted (with a comma) and single words are kept; a
    trailing suffix (``Jr.``, ``III``) follows the given names.
    """
    words = name.split()
    if "," in name or len(words) < 2:
        return " ".join(words)
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _NAME_SUFFIXES:
        suffix = ", " + words.pop()
    return f"{words[-1]}, {' '.join(words[:-1])}{suffix}"


# --------------------------------------------------------------------------- EPUB-specific IR adjustments


def _note_ref(node: Node) -> tuple[NoteRef, ...]:
    return (node,) if isinstance(node, NoteRef) else ()


def _as_text(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``content`` without links (their text stays) and note references, for the inside of a link."""
    if not any(isinstance(node, Link | NoteRef) for node in content):
        return content
    return tuple(
        inner
        for node in content
        if not isinstance(node, NoteRef)
        for inner in (node.content if isinstance(node, Link) else (node,))
    )


def _links_and_refs(labels: frozenset[str], content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """One inline sequence (its inner sequences done already).

    A reference to a missing note becomes ``[label]``; a link to a fragment of
    the original page becomes its text; a link keeps only the text of the links
    inside it, and the note references inside it follow it.
    """
    if not any(isinstance(node, Link | NoteRef) for node in content):
        return content
    out: list[Inline] = []
    for node in content:
        if isinstance(node, NoteRef) and node.label not in labels:
            out.append(Text(f"[{node.label}]"))
        elif isinstance(node, Link) and node.target.strip().startswith("#"):
            out.extend(node.content)
        elif isinstance(node, Link):
            inner = walk_inlines(_as_text, node.content)
            out.append(node if inner is node.content else Link(inner, node.target, node.title))
            out.extend(query(_note_ref, node.content))
        else:
            out.append(node)
    return tuple(out)


def _link_text(node: Inline) -> Inline:
    """A link left without content shows its address."""
    if isinstance(node, Link) and not node.content:
        return Link((Text(node.target),), node.target, node.title)
    return node


def _note_link(node: Inline) -> Inline:
    """Inside the notes document a note reference is a plain link to the note."""
    if isinstance(node, NoteRef):
        return Link((Text(node.label),), f"#{note_id(node.label)}")
    return _link_text(node)


def _figure(figure: Figure) -> Figure:
    """The figure without its image: caption (or alt text), and a link to an image on the web."""
    alt = figure.image.alt if figure.image else ""
    content = figure.caption or ((Text(alt),) if alt else ())
    url = figure.image.src.strip() if figure.image else ""
    if url.lower().startswith(("http://", "https://")):
        link = Link((Text("view the image online"),), url)
        content = (*content, Text(" ("), link, Text(")")) if content else (link,)
    elif url and content:
        shown = url if len(url) <= 200 else url[:200] + "..."
        warn("epub.image-left-out", f"image {shown!r} left out (only its caption is in the book)", logger=__name__)
    return Figure(content)


def _figures(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Figures of one block sequence made images-free; one left with nothing to show is dropped."""
    if not any(isinstance(block, Figure) for block in blocks):
        return blocks
    out: list[Block] = []
    for block in blocks:
        done = _figure(block) if isinstance(block, Figure) else block
        if isinstance(done, Figure) and not done.caption:
            src = block.image.src if isinstance(block, Figure) and block.image else ""
            message = f"a figure with no caption or alt text was left out (image {src!r} cannot be put in the book)"
            warn("epub.figure-dropped", message, logger=__name__)
            continue
        out.append(done)
    return tuple(out)


def prepare(article: Article) -> Article:
    """The article as the book shows it: everything in it resolves inside the EPUB.

    Figures lose their image (EPUB forbids remote images; nothing is fetched)
    and keep caption or alt text, plus a link to an image on the web; a figure
    left with nothing to show is dropped.  Links to ``#fragments`` of the
    original page and links inside links become text; references to missing
    notes become ``[label]``; note references inside links follow the link;
    references between notes become plain links inside the notes document.
    """
    labels = frozenset(n.label for n in article.notes)
    linked = walk_inlines(partial(_links_and_refs, labels), article)
    body = walk_inline(_link_text, linked.body)
    notes = tuple(Note(n.label, walk_inline(_note_link, n.blocks)) for n in linked.notes)
    return walk_blocks(_figures, Article(article.metadata, body, notes))


# --------------------------------------------------------------------------- content documents


@dataclass(frozen=True)
class TocEntry:
    """One entry of the table of contents and its sub-entries."""

    title: str
    href: str
    children: tuple[TocEntry, ...] = ()


def _break_lines(root: etree._Element) -> None:
    """Put block elements on lines of their own (only where whitespace is insignificant)."""
    for el in root.iter(*_BLOCK_PARENTS):
        if len(el) and not (el.text or "").strip() and all(not (c.tail or "").strip() for c in el):
            el.text = "\n"
            for child in el:
                child.tail = "\n"


def epub_href(url: str) -> str | None:
    """``url`` as a valid URL for an EPUB link (characters outside RFC 3986 percent-encoded).

    None when it cannot be made valid (a host with spaces, broken brackets) or
    is not a web, mail, FTP or telephone address or a link inside the book.
    """
    url = _BAD_PERCENT.sub("%25", url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    if parts.netloc and not _HOST.fullmatch(parts.netloc):
        return None
    path, query = quote(parts.path, safe=_URL_SAFE), quote(parts.query, safe=_URL_SAFE + "?")
    fragment = quote(parts.fragment, safe=_URL_SAFE + "?")
    return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))


def _fix_links(root: etree._Element) -> None:
    """Make every ``href`` a valid URL; a link whose address cannot be repaired keeps only its text."""
    for a in root.iter(f"{{{XHTML_NS}}}a"):
        href = a.get("href")
        if href is None:
            continue
        fixed = epub_href(href)
        if fixed is None:
            shown = href if len(href) <= 200 else href[:200] + "..."
            warn("epub.link-dropped", f"link to {shown!r} kept as text: not a valid web address", logger=__name__)
            del a.attrib["href"]
        elif fixed != href:
            a.set("href", fixed)


def _xhtml(ctx: HtmlContext, title: str, children: Sequence[etree._Element], body_type: str) -> bytes:
    for child in children:
        sanitize_tree(child, documents=(TEXT_FILE, NOTES_FILE))
        mark_adjacent_note_calls(child)
    root = document(ctx, title, children, css_href=CSS_FILE)
    root[1].set(_EPUB_TYPE, body_type)
    _fix_links(root)
    _break_lines(root)
    return serialize(ctx, root)


def _heading_toc(article: Article, elements: Sequence[etree._Element]) -> tuple[TocEntry, ...]:
    """Give the body's top-level headings ids (``sec-1``, ...) and nest them as table of contents entries."""
    top: list[TocEntry] = []
    stack: list[tuple[int, TocEntry, list[TocEntry]]] = []

    def close(level: int) -> None:
        while stack and stack[-1][0] >= level:
            _, entry, children = stack.pop()
            done = replace(entry, children=tuple(children))
            (stack[-1][2] if stack else top).append(done)

    count = 0
    for block, el in zip(article.body, elements, strict=True):
        if isinstance(block, Heading):
            count += 1
            el.set("id", f"sec-{count}")
            close(block.level)
            title = plain_text(block.content).strip() or f"Section {count}"
            stack.append((block.level, TocEntry(title, f"{TEXT_FILE}#sec-{count}"), []))
    close(0)
    return tuple(top)


def _source_paragraph(ctx: HtmlContext, url: str) -> etree._Element:
    return ctx.el("p", "Original address: ", ctx.el("a", url, href=url), class_="source-url")


def content_documents(article: Article) -> tuple[dict[str, bytes], list[TocEntry]]:
    """The XHTML content documents (file name -> bytes, in reading order) and the table of contents."""
    meta = article.metadata
    ctx = HtmlContext(article, xhtml=True, notes="endnotes", notes_href=NOTES_FILE, body_href=TEXT_FILE)
    body = body_elements(ctx)
    title = meta.title or crosswalk.UNTITLED
    toc = [TocEntry(title, TEXT_FILE, _heading_toc(article, body))]
    main = ctx.el("article", title_block(ctx), *body)
    docs = {TEXT_FILE: _xhtml(ctx, title, [main], "bodymatter")}
    notes = notes_section(ctx, heading=NOTES_TITLE, endnote_role="")
    if notes is not None:
        docs[NOTES_FILE] = _xhtml(ctx, NOTES_TITLE, [notes], "backmatter")
        toc.append(TocEntry(NOTES_TITLE, NOTES_FILE))
    rights = rights_section(ctx, heading=RIGHTS_TITLE)
    url = meta.source_url.strip()
    if url.lower().startswith(("http://", "https://")):
        if rights is None:
            rights = ctx.el("section", ctx.el("h2", RIGHTS_TITLE), class_="colophon", epub_type="copyright-page")
        rights.append(_source_paragraph(ctx, url))
    if rights is not None:
        docs[RIGHTS_FILE] = _xhtml(ctx, RIGHTS_TITLE, [rights], "backmatter")
        toc.append(TocEntry(RIGHTS_TITLE, RIGHTS_FILE))
    return docs, toc


# --------------------------------------------------------------------------- package


def _accessibility_summary(docs: dict[str, bytes], figures_without_image: bool) -> str:
    parts = [
        "A reflowable text publication with a table of contents, structured headings and a logical reading order;"
        " it sets no fixed font sizes."
    ]
    if NOTES_FILE in docs:
        parts.append("Note references link to the endnotes and each endnote links back to the text.")
    if figures_without_image:
        parts.append("Figures are given by their captions only; their images are not included.")
    return " ".join(parts)


def _is_figure(node: Node) -> tuple[bool, ...]:
    return (True,) if isinstance(node, Figure) else ()


def _opf_metadata(book: Any, meta: Metadata) -> None:
    """The package's Dublin Core elements, from the metadata crosswalk (trimmed, never empty).

    Titles, creators and identifiers get the ids and refinements EPUB gives them.
    """
    counts: dict[str, int] = {}
    first_title = ""
    for row, prop, given in crosswalk.props("opf", meta):
        values = [v.strip() for v in given if v.strip()] or ([row.fallback] if prop.required and row.fallback else [])
        for value in values:
            term = prop.name
            k = counts[term] = counts.get(term, 0) + 1
            if term == "title":
                book.add_metadata("DC", "title", value, {"id": row.name})
                first_title = first_title or row.name
                if k == 2:  # several titles: each says which one it is
                    book.add_metadata(None, "meta", "main", {"refines": f"#{first_title}", "property": "title-type"})
                if k >= 2:
                    book.add_metadata(None, "meta", row.name, {"refines": f"#{row.name}", "property": "title-type"})
            elif term == "language":
                book.set_language(value)
            elif term == "creator":
                uid = f"creator-{k}"
                book.add_metadata("DC", "creator", value, {"id": uid})
                refines = {"refines": f"#{uid}"}
                book.add_metadata(None, "meta", "aut", {**refines, "property": "role", "scheme": "marc:relators"})
                book.add_metadata(None, "meta", file_as(value), {**refines, "property": "file-as"})
            elif term == "identifier":
                book.add_metadata("DC", "identifier", value, {"id": f"id-{k}"})
            else:
                book.add_metadata("DC", term, value)


def _package(article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]) -> bytes:
    """The zip ebooklib writes for the book (not yet normalised)."""
    from ebooklib import epub

    meta = article.metadata
    book: Any = epub.EpubBook()
    book.FOLDER_NAME = BOOK_DIR
    book.IDENTIFIER_ID = "pub-id"
    book.set_identifier(book_identifier(article))
    book.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": "artconv"})
    book.title = meta.title or crosswalk.UNTITLED
    _opf_metadata(book, meta)
    figures = bool(query(_is_figure, article.body))
    a11y = [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        *(
            ("schema:accessibilityFeature", feature)
            for feature in (
                "ARIA", "displayTransformability", "readingOrder", "structuralNavigation", "tableOfContents", "unlocked"
            )
        ),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", _accessibility_summary(docs, figures)),
    ]
    for prop, value in a11y:
        book.add_metadata(None, "meta", value, {"property": prop})

    css = epub.EpubItem(uid="css", file_name=CSS_FILE, media_type="text/css", content=stylesheet("epub.css").encode())
    book.add_item(css)
    items: dict[str, Any] = {}
    for name, data in docs.items():
        item = epub.EpubItem(uid=name.partition(".")[0], file_name=name, media_type="application/xhtml+xml")
        item.content = data
        items[name] = book.add_item(item)
    nav = epub.EpubNav(file_name=NAV_FILE, title=CONTENTS_TITLE)
    nav.add_link(href=CSS_FILE, rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx(file_name=NCX_FILE))
    book.spine = list(items.values())

    counter = itertools.count(1)

    def link(entry: TocEntry) -> Any:
        node = epub.Link(entry.href, entry.title, f"navpoint-{next(counter)}")
        return (node, [link(c) for c in entry.children]) if entry.children else node

    book.toc = [link(entry) for entry in toc]
    book.guide = [{"type": "text", "title": "Start of text", "href": TEXT_FILE}]
    if RIGHTS_FILE in docs:
        book.guide.append({"type": "copyright-page", "title": RIGHTS_TITLE, "href": RIGHTS_FILE})

    out = io.BytesIO()
    epub.write_epub(
        out,
        book,
        {
            "mtime": modified_time(article, options),
            "landmark_title": "Landmarks",
            "epub3_pages": False,
            "play_order": {"enabled": True, "start_from": 1},
            "raise_exceptions": True,
            # the zip is rewritten (and compressed once) by _normalise_zip: no work here
            "compresslevel": 0,
        },
    )
    return out.getvalue()


def _zip_time(when: _dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry timestamp (zip cannot go before 1980)."""
    when = max(when, _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)


def _normalise_zip(data: bytes, when: _dt.datetime) -> bytes:
    """``data`` rewritten: ``mimetype`` first and stored, fixed timestamps, attributes and compression."""
    stamp = _zip_time(when)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        for name in ["mimetype", *(n for n in names if n != "mimetype")]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def render(article: Article, options: Options) -> bytes:
    """The article as an EPUB 3 book (zip bytes, identical for identical input)."""
    docs, toc = content_documents(prepare(article))
    return _normalise_zip(_package(article, options, docs, toc), modified_time(article, options))


WRITER = WriterSpec(
    name="epub",
    extension=".epub",
    media_type="application/epub+zip",
    description="EPUB 3 e-book (EPUBCheck-clean, notes linked both ways, rights page)",
    render=render,
)
