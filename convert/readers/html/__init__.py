"""Reader for saved web pages (``.html``, ``.htm``, ``.xhtml``, gzip-compressed too).

A pipeline of named steps, all on one parse of the page:

1. :func:`~.decode.decode_html`: the bytes to text (gzip, BOM, the declared charset tried
   strictly, detection when it does not fit);
2. the page parsed with lxml's HTML parser (what browsers do with broken markup);
3. :func:`~.meta.page_meta`: metadata from JSON-LD, ``citation_*``, Dublin Core, OpenGraph,
   ``<meta>``, Twitter cards, microdata and what the page shows, merged by
   :data:`~.meta.PRECEDENCE`; trafilatura's metadata finders (htmldate for the date) are asked
   only for what the page's own data lacks (:func:`_fallback_meta`);
4. formulas as their TeX, then the notes taken out (:mod:`.notes`);
5. the main content found by :func:`~.extract.main_content` (Readability's method: navigation,
   share bars, comments, related-article rails, cookie banners and page chrome dropped) and
   mapped to IR blocks by :func:`~.blocks.html_blocks`; links and images resolved against the
   page's URL; trafilatura reads the page instead when that finds too little;
6. the rights: ``rel=license`` and JSON-LD ``license`` (with the Creative Commons licence named from
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
from .meta import PRECEDENCE, PageMeta, clean, page_meta, parse_date
from .notes import NoteSet, drop, place_refs, strip_placeholders, take_notes
from .scoring import is_chrome

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
        with_metadata=False,
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


def _trafilatura_meta(doc: Any, meta: PageMeta, found: NoteSet | None = None) -> None:
    """trafilatura's findings (``title``, ``author``, ``date``... of its XML root or a dict) as one more source."""
    if doc is None:
        return
    values = dict(doc.attrib) if hasattr(doc, "attrib") else {k: v for k, v in doc.items() if isinstance(v, str)}
    if found is not None:
        values = {name: strip_placeholders(value, found) for name, value in values.items()}
    meta.offer("title", "traf", clean(values.get("title")))
    author = clean(values.get("author"))
    if author:
        meta.offer("authors", "traf", [clean(a) for a in re.split(r";|\s+and\s+", author) if clean(a)])
    meta.offer("date", "traf", parse_date(values.get("date") or ""))
    site = clean(values.get("sitename"))
    if not re.fullmatch(r"[\w.-]+\.[a-z]{2,}", site, re.IGNORECASE):  # a host name is not a site's name
        meta.offer("site", "traf", site)
    meta.offer("description", "traf", clean(values.get("description")))
    meta.offer("licence", "traf", clean(values.get("license")))


#: trafilatura's metadata finders are asked about pages up to this size (their time grows faster than the page).
MAX_FALLBACK_META_CHARS = 1_000_000


def _fallback_meta(tree: Any, meta: PageMeta, url: str) -> None:
    """trafilatura's metadata finders, asked only for what the page's own data does not give.

    A date from htmldate when no source ranked before it gives one, and a title when the page
    has none. (trafilatura's author finder is not asked: on the development pages it found an
    author only where the page's byline rules found none, and those were "Follow Author" and
    "Last Updated January 7".) Run on the page as parsed, before any other step changes it.
    """
    found: dict[str, str] = {}
    order = PRECEDENCE["date"]
    date_sources = order[: order.index("traf")] if "traf" in order else order
    if not any(source in meta.values.get("date", {}) for source in date_sources):
        from htmldate import find_date

        found["date"] = find_date(tree, url=url or None, original_date=True, extensive_search=False) or ""
    if not meta.get("title"):
        from trafilatura.metadata import extract_title

        found["title"] = extract_title(tree) or ""
    _trafilatura_meta(found, meta)
    if not meta.get("licence_url"):
        _footer_licence(tree, meta)


_CC_URL = recompile(r"creativecommons\.org/(?:licen[cs]es|publicdomain)/", re.IGNORECASE)
_CC_TEXT = recompile(
    r"\b(?:cc|creative commons)[ -](?:by-nc-nd|by-nc-sa|by-nc|by-nd|by-sa|by|zero|0)(?: ?\d\.\d)?\b", re.IGNORECASE
)
_FOOTER_LINKS = ".//footer//a[@href] | .//div[contains(@class, 'footer') or contains(@id, 'footer')]//a[@href]"


def _footer_licence(tree: Any, meta: PageMeta) -> None:
    """A licence linked from the page's footer without ``rel=license``: a Creative Commons address,
    or a link whose text names a Creative Commons licence (``CC BY-SA 4.0``)."""
    for a in tree.xpath(_FOOTER_LINKS):
        href = (a.get("href") or "").strip()
        if _CC_URL.search(href):
            meta.offer("licence_url", "page", href)
            return
        match = _CC_TEXT.search(a.text_content())
        if match:
            meta.offer("licence", "traf", match.group(0))
            return


def _drop_page_chrome(tree: Any) -> None:
    """Remove skip links and section edit links (their text would stay in the article), keeping what follows them.

    (The main-content step drops them as it goes; this is for trafilatura, when it reads the page.)
    """
    for el in tree.xpath("//*[@class or @id]"):
        if is_chrome(f"{el.get('class') or ''} {el.get('id') or ''}".lower()) and el.getparent() is not None:
            drop(el)


def _footer_copyright(tree: Any) -> str:
    """The page's last short copyright line (see :func:`_copyright_line`)."""
    body = tree.find("body")
    return _copyright_line(body if body is not None else tree)


_COPYRIGHT_MARKS = ("©", "opyright", "OPYRIGHT", "(c)", "(C)")


def _copyright_line(el: Any) -> str:
    """The last short line of the page that starts with a copyright mark (footers put it at the end).

    Searched from the page's end, going into an element only when its text holds a mark.
    """
    for child in el.iterchildren(reversed=True):
        if not isinstance(child.tag, str):
            continue
        text = child.text_content()
        if not any(mark in text for mark in _COPYRIGHT_MARKS):
            continue
        found = _copyright_line(child) if len(child) else ""
        if found:
            return found
        if child.tag in _COPYRIGHT_TAGS and len(child) <= 6 and len(text) <= 2000:
            line = clean(text)
            if 4 < len(line) <= 300 and _COPYRIGHT_LINE.match(line):
                return line
    return ""


def _math_as_tex(tree: Any) -> None:
    """Each MathML formula as its TeX (its annotation or ``alttext``), in place of the formula and its image.

    The main-content extraction drops MathML; its TeX is the formula's text. A formula without
    TeX keeps its own text (``<mi>x</mi><mn>2</mn>`` is ``x2``).
    """
    for math in list(tree.iter("math")):
        tex = ""
        for note in math.iter("annotation"):
            if (note.get("encoding") or "").lower() == "application/x-tex":
                tex = note.text_content()
        tex = clean(tex or math.get("alttext") or "")
        if tex.startswith("{\\displaystyle") and tex.endswith("}"):
            tex = clean(tex[len("{\\displaystyle") : -1])
        if not tex:  # no TeX: the formula's own text, as a browser without MathML shows it
            for note in list(math.iter("annotation", "annotation-xml")):
                note.getparent().remove(note)
            tex = clean(math.text_content())
        outer = math
        for up in math.iterancestors():
            if "mwe-math-element" in (up.get("class") or "").split():
                outer = up  # Wikipedia's wrapper, with the formula's fallback image
                break
        drop(outer, f" {tex} " if tex else "")


_COPYRIGHT_TAGS = ("p", "div", "span", "small", "footer", "li", "address")


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


def _prepared(text: str) -> tuple[Any, NoteSet]:
    """The page parsed, its chrome dropped, formulas as TeX, its notes taken out."""
    tree = _parse(text)
    _drop_page_chrome(tree)
    _math_as_tex(tree)
    return tree, take_notes(tree, text)


#: An article found by :mod:`.extract` with less text than this is looked for again by trafilatura.
MIN_ARTICLE_CHARS = 200


def _content(text: str, tree: Any, found: NoteSet, base: str) -> tuple[tuple[Any, ...], NoteSet]:
    """The article's blocks: :mod:`.extract`'s, or trafilatura's when that finds too little."""
    from ...ir.walk import plain_text_blocks
    from .blocks import html_blocks
    from .extract import main_content

    article = main_content(tree, lambda: _prepared(text)[0])
    blocks = html_blocks(article, base) if article is not None else ()
    if len(plain_text_blocks(blocks)) >= MIN_ARTICLE_CHARS:
        return blocks, found
    tree, found_again = _prepared(text)  # trafilatura reads the page as it was
    doc = _extract(_without_code(tree), base)
    if doc is None:
        return blocks, found
    from .body import blocks_from_xml

    main = doc.find("main")
    other = blocks_from_xml(main if main is not None else doc, base)
    if len(plain_text_blocks(other)) > len(plain_text_blocks(blocks)):
        return other, found_again
    return blocks, found


def _without_code(tree: Any) -> Any:
    """``tree`` without what a browser never shows as text: scripts, styles, templates."""
    for el in list(tree.iter("script", "style", "noscript", "template")):
        drop(el)
    return tree


def _page_text(tree: Any) -> str:
    """The text a reader sees on the page: its body without scripts, styles and templates."""
    body = tree.find("body")
    return clean(_without_code(body).text_content()) if body is not None else ""


def read_html(data: bytes, *, url: str = "", charset: str | None = None) -> Article:
    """Read a saved web page into the IR (``url``: where it came from, for relative links)."""
    from ...ir.crosswalk import make_metadata

    text = decode_html(data, charset)
    if not text.strip():
        raise InputError("empty input")
    tree = _parse(text)
    meta = page_meta(tree)
    footer = _footer_copyright(tree)
    if len(text) <= MAX_FALLBACK_META_CHARS:
        _fallback_meta(tree, meta, url or meta.get("source_url") or "")
    _math_as_tex(tree)
    found = take_notes(tree, text)
    fields = _fields(meta, footer, url or meta.get("source_url") or "")
    base = url or fields.get("source_url", "")
    blocks, found = _content(text, tree, found, base)
    blocks = place_refs(blocks, found)
    blocks = _without_title(blocks, fields.get("title", ""))
    if not blocks:
        whole_text = strip_placeholders(_page_text(_prepared(text)[0]), found)
        if whole_text:
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
