"""The XHTML content documents of the book (the shared rendering), its table of contents and link repair."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from lxml import etree

from convert.recache import compile as recompile

from ...errors import warn
from ...html.media import media_name
from ...html.render import (
    EPUB_NS,
    XHTML_NS,
    HtmlContext,
    body_elements,
    document,
    mark_adjacent_note_calls,
    notes_section,
    rights_section,
    sanitize_tree,
    serialize,
    title_block,
)
from ...ir.model import Article, Asset, Heading
from ...ir.walk import plain_text
from ...urls import LINK_SCHEMES
from ...words import Words, words_for
from .prepare import LOGGER

__all__ = [
    "CSS_FILE",
    "IMAGES_DIR",
    "NAV_FILE",
    "NCX_FILE",
    "NOTES_FILE",
    "RIGHTS_FILE",
    "TEXT_FILE",
    "TocEntry",
    "content_documents",
    "epub_href",
    "image_href",
]

TEXT_FILE = "text.xhtml"
NOTES_FILE = "notes.xhtml"
RIGHTS_FILE = "rights.xhtml"
NAV_FILE = "nav.xhtml"
NCX_FILE = "toc.ncx"
CSS_FILE = "style/epub.css"
#: Folder of the book's images (inside the publication's folder).
IMAGES_DIR = "images"

_EPUB_TYPE = f"{{{EPUB_NS}}}type"
#: Schemes of the links a book may hold ("": a document or fragment inside the book).
_LINK_SCHEMES = frozenset({"", *LINK_SCHEMES})
_BAD_PERCENT = recompile(r"%(?![0-9A-Fa-f]{2})")
#: A URL's authority: user info, host (name, IPv4, [IPv6]) and port; no spaces or other stray characters.
_HOST = recompile(r"[\w.~!$&'()*+,;=:@%-]+|(?:[\w.~!$&'()*+,;=:%-]*@)?\[[0-9A-Fa-f:.]+\](?::\d*)?")
#: Characters a path, query or fragment may hold as they are (RFC 3986), ``%`` for existing escapes.
_URL_SAFE = "/:@!$&'()*+,;=~%"
#: Elements whose children are blocks: a line break between them changes nothing on screen.
_BLOCK_PARENTS = {
    f"{{{XHTML_NS}}}{tag}"
    for tag in (
        *("html", "head", "body", "article", "header", "section", "ol", "ul", "li", "blockquote", "figure", "dl"),
        *("dd", "table", "thead", "tbody", "tr"),
    )
}


@dataclass(frozen=True)
class TocEntry:
    """One entry of the table of contents and its sub-entries."""

    title: str
    href: str
    children: tuple[TocEntry, ...] = ()


def _break_lines(root: etree._Element) -> None:
    """Put block elements on lines of their own (only where whitespace is insignificant)."""
    for el in root.iter(*_BLOCK_PARENTS):
        children = list(el)  # (once: lxml makes a Python object for a child each time it is reached)
        if children and not (el.text or "").strip() and all(not (c.tail or "").strip() for c in children):
            el.text = "\n"
            for child in children:
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


#: :func:`epub_href` remembered: the same addresses come back in every book (``notes.xhtml#fn-1``, ...);
#: only short ones (the memory it holds stays small, whatever the addresses).
_repaired_href = lru_cache(maxsize=4096)(epub_href)
_CACHED_HREF_CHARS = 256


def _fix_links(root: etree._Element) -> None:
    """Make every ``href`` a valid URL; a link whose address cannot be repaired keeps only its text."""
    for a in root.iter(f"{{{XHTML_NS}}}a"):
        href = a.get("href")
        if href is None:
            continue
        fixed = _repaired_href(href) if len(href) <= _CACHED_HREF_CHARS else epub_href(href)
        if fixed is None:
            shown = href if len(href) <= 200 else href[:200] + "..."
            warn("epub.link-dropped", f"link to {shown!r} kept as text: not a valid web address", logger=LOGGER)
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


def _heading_toc(article: Article, elements: Sequence[etree._Element], words: Words) -> tuple[TocEntry, ...]:
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
            title = plain_text(block.content).strip() or words.section.format(count)
            stack.append((block.level, TocEntry(title, f"{TEXT_FILE}#sec-{count}"), []))
    close(0)
    return tuple(top)


def _source_paragraph(ctx: HtmlContext, url: str, words: Words) -> etree._Element:
    return ctx.el("p", f"{words.original_address}: ", ctx.el("a", url, href=url), class_="source-url")


def image_href(asset: Asset) -> str:
    """Where the book holds an image (relative to the content documents)."""
    return f"{IMAGES_DIR}/{media_name(asset)}"


def _no_image(src: str) -> None:
    """Images the book does not hold were made text by :func:`~.prepare.prepare`: nothing is linked."""
    return None


def content_documents(article: Article) -> tuple[dict[str, bytes], list[TocEntry]]:
    """The XHTML content documents (file name -> bytes, in reading order) and the table of contents.

    ``article`` is :func:`~.prepare.prepare`'s: its images are the book's.
    """
    meta = article.metadata
    ctx = HtmlContext(
        article,
        xhtml=True,
        notes="endnotes",
        notes_href=NOTES_FILE,
        body_href=TEXT_FILE,
        image_src=_no_image,
        asset_src=image_href,
    )
    body = body_elements(ctx)
    words = words_for(meta.language)
    title = meta.title or words.untitled
    toc = [TocEntry(title, TEXT_FILE, _heading_toc(article, body, words))]
    main = ctx.el("article", title_block(ctx), *body)
    docs = {TEXT_FILE: _xhtml(ctx, title, [main], "bodymatter")}
    notes = notes_section(ctx, heading=words.notes, endnote_role="")
    if notes is not None:
        docs[NOTES_FILE] = _xhtml(ctx, words.notes, [notes], "backmatter")
        toc.append(TocEntry(words.notes, NOTES_FILE))
    rights_title = words.rights_and_source
    rights = rights_section(ctx, heading=rights_title)
    url = meta.source_url.strip()
    if url.lower().startswith(("http://", "https://")):
        if rights is None:
            rights = ctx.el("section", ctx.el("h2", rights_title), class_="colophon", epub_type="copyright-page")
        rights.append(_source_paragraph(ctx, url, words))
    if rights is not None:
        docs[RIGHTS_FILE] = _xhtml(ctx, rights_title, [rights], "backmatter")
        toc.append(TocEntry(rights_title, RIGHTS_FILE))
    return docs, toc
