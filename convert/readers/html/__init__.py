"""Reader for saved web pages (``.html``, ``.htm``, ``.xhtml``, gzip-compressed too).

A pipeline of named steps:

1. :func:`~.decode.decode_html`: the bytes to text (gzip, BOM, the declared charset tried
   strictly, detection when it does not fit);
2. the page parsed with lxml's HTML parser (what browsers do with broken markup);
3. :func:`~.meta.page_meta`: metadata from JSON-LD, ``citation_*``, Dublin Core, OpenGraph,
   ``<meta>``, Twitter cards, microdata and what the page shows, merged by
   :data:`~.meta.PRECEDENCE`; trafilatura's own findings (its date comes from htmldate) are one
   more source, tried after the page's structured data;
4. the main content found by trafilatura (boilerplate such as navigation, share bars, comments,
   related-article rails, cookie banners dropped) and mapped to IR blocks by
   :func:`~.body.blocks_from_xml`; links and images resolved against the page's URL;
5. the rights: ``rel=license`` and JSON-LD ``license`` (with the Creative Commons licence named from
   its URL), JSON-LD ``copyrightHolder``/``copyrightYear``/``copyrightNotice``, ``<meta
   name=copyright>``, and a copyright line of the page's footer, verbatim.

trafilatura is imported only when a page is read: converting Markdown never imports it.
"""

from __future__ import annotations

import re
from typing import Any

from convert.recache import compile as recompile

from ...errors import InputError
from ...ir.model import Article, Identifier, Paragraph, Subject, Text
from ...registry import ReaderSpec
from .decode import decode_html
from .meta import PageMeta, clean, page_meta, parse_date
from .notes import NoteSet, drop, place_refs, strip_placeholders, take_notes

__all__ = ["READER", "read_html"]

_COPYRIGHT_LINE = recompile(r"^\s*(?:copyright\b|©|\(c\)\s*\d)", re.IGNORECASE)


def _parse(text: str) -> Any:
    from lxml import etree, html

    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not an HTML page ({exc})") from None


def _extract(page: Any, url: str) -> Any:
    """trafilatura's XML of the page's main content (``None`` when it finds none).

    ``page`` is the parsed page (trafilatura prunes it: read everything else first).
    """
    import trafilatura
    from lxml import etree

    # Images off: with them trafilatura keeps more of the page around the article (body F1 on the
    # development pages 94.8 without, 94.4 with); formatting and links cost 0.1 and carry the markup.
    xml = trafilatura.extract(
        page,
        url=url or None,
        output_format="xml",
        include_tables=True,
        include_comments=False,
        with_metadata=True,
        deduplicate=False,
        include_formatting=True,
        include_links=True,
        include_images=False,
    )
    if not xml:
        return None
    try:
        return etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None


def _trafilatura_meta(doc: Any, meta: PageMeta, found: NoteSet) -> None:
    if doc is None:
        return
    for name, value in doc.attrib.items():
        doc.set(name, strip_placeholders(value, found))
    meta.offer("title", "traf", clean(doc.get("title")))
    author = clean(doc.get("author"))
    if author:
        meta.offer("authors", "traf", [clean(a) for a in re.split(r";|\s+and\s+", author) if clean(a)])
    meta.offer("date", "traf", parse_date(doc.get("date") or ""))
    site = clean(doc.get("sitename"))
    if not re.fullmatch(r"[\w.-]+\.[a-z]{2,}", site, re.IGNORECASE):  # a host name is not a site's name
        meta.offer("site", "traf", site)
    meta.offer("description", "traf", clean(doc.get("description")))
    meta.offer("licence", "traf", clean(doc.get("license")))


#: Class or id tokens of what only screen readers and editors see: skip links, "[edit]" links.
_PAGE_CHROME = recompile(
    r"(?:mw-)?editsection|mw-jump-link|skip-?link|skip-to-(?:content|main)|screen-reader-text|sr-only|visually-hidden"
)


def _drop_page_chrome(tree: Any) -> None:
    """Remove skip links and section edit links (their text would stay in the article), keeping what follows them."""
    found = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and any(_PAGE_CHROME.fullmatch(token) for token in f"{el.get('class') or ''} {el.get('id') or ''}".split())
    ]
    for el in found:
        drop(el)


def _math_as_tex(tree: Any) -> None:
    """Each MathML formula as its TeX (its annotation or ``alttext``), in place of the formula and its image.

    The main-content extraction drops MathML; its TeX is the formula's text.
    """
    for math in list(tree.iter("math")):
        tex = ""
        for note in math.iter("annotation"):
            if (note.get("encoding") or "").lower() == "application/x-tex":
                tex = note.text_content()
        tex = clean(tex or math.get("alttext") or "")
        if tex.startswith("{\\displaystyle") and tex.endswith("}"):
            tex = clean(tex[len("{\\displaystyle") : -1])
        outer = math
        for up in math.iterancestors():
            if "mwe-math-element" in (up.get("class") or "").split():
                outer = up  # Wikipedia's wrapper, with the formula's fallback image
                break
        drop(outer, f" {tex} " if tex else "")


def _footer_copyright(tree: Any) -> str:
    """The last short copyright line of the page (footers put it at the end)."""
    found = ""
    for el in tree.iter("p", "div", "span", "small", "footer", "li", "address"):
        text = clean(el.text_content())
        if 4 < len(text) <= 300 and _COPYRIGHT_LINE.match(text) and len(el) <= 6:
            found = text
    return found


def _fields(meta: PageMeta, footer_copyright: str, base: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in ("title", "publisher", "site", "description", "image", "source_url"):
        value = meta.get(name)
        if isinstance(value, str) and value:
            fields[name] = value
    authors = meta.get("authors")
    if authors:
        fields["authors"] = tuple(dict.fromkeys(authors))
    for name in ("date", "modified"):
        if meta.get(name):
            fields[name] = meta.get(name)
    language = meta.get("language")
    if isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", language):
        fields["language"] = language
    keywords = meta.get("keywords") or []
    if keywords:
        fields["subjects"] = tuple(dict.fromkeys(Subject(k, "keyword") for k in keywords))
    doi = meta.get("doi")
    if isinstance(doi, str) and doi.strip():
        fields["identifiers"] = (Identifier(doi.strip().removeprefix("doi:"), "doi"),)
    licence_url = meta.get("licence_url") or ""
    if licence_url and base and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", licence_url):
        from urllib.parse import urljoin

        licence_url = urljoin(base, licence_url)  # "//creativecommons.org/...", as Wikipedia links it
    licence = meta.values.get("licence", {}).get("traf", "")
    if licence_url or licence:
        from ...licences import licence_name, licence_of

        spdx, url = licence_of(licence, licence_url)
        fields["licence"] = licence or licence_name(spdx) or licence_url
        if licence_url or url:
            fields["licence_url"] = licence_url or url
        if spdx:
            fields["licence_id"] = spdx
    copyright_ = meta.get("copyright") or footer_copyright
    if copyright_:
        fields["copyright"] = copyright_
    return fields


def _without_title(blocks: tuple[Any, ...], title: str) -> tuple[Any, ...]:
    """``blocks`` without a first heading that repeats the title (the title is metadata)."""
    from ...ir.model import Heading
    from ...ir.walk import plain_text

    if blocks and isinstance(blocks[0], Heading) and title and clean(plain_text(blocks[0].content)) == clean(title):
        return blocks[1:]
    return blocks


def read_html(data: bytes, *, url: str = "", charset: str | None = None) -> Article:
    """Read a saved web page into the IR (``url``: where it came from, for relative links)."""
    from ...ir.crosswalk import make_metadata

    text = decode_html(data, charset)
    if not text.strip():
        raise InputError("empty input")
    tree = _parse(text)
    meta = page_meta(tree)
    footer = _footer_copyright(tree)
    _drop_page_chrome(tree)
    _math_as_tex(tree)
    found = take_notes(tree, text)
    whole_text = strip_placeholders(clean(tree.text_content()), found)
    doc = _extract(tree, url or (meta.get("source_url") or ""))
    _trafilatura_meta(doc, meta, found)
    fields = _fields(meta, footer, url or meta.get("source_url") or "")
    base = url or fields.get("source_url", "")
    blocks: tuple[Any, ...] = ()
    if doc is not None:
        from .body import blocks_from_xml

        main = doc.find("main")
        blocks = blocks_from_xml(main if main is not None else doc, base)
        blocks = place_refs(blocks, found)
    blocks = _without_title(blocks, fields.get("title", ""))
    if not blocks and whole_text:
        blocks = (Paragraph((Text(whole_text),)),)
    if url and "source_url" not in fields:
        fields["source_url"] = url
    return Article(make_metadata(fields), blocks, tuple(found.notes))


READER = ReaderSpec(
    name="html",
    description="web page saved as HTML (.html, .htm, .xhtml; gzip too)",
    extensions=(".html", ".htm", ".xhtml"),
    read=lambda data, options: read_html(data),
    decisive=True,
)
