"""The ``pdf`` writer: the article set as a journal offprint by WeasyPrint.

The page is the shared HTML rendering (:mod:`convert.html.render`) with notes
as real footnotes, styled by ``styles/print.css``: title block, running head
with a short title, "n of N" page numbers, a bookmark outline and the rights
colophon at the end.  The file carries its metadata twice, in the document
information dictionary and in an XMP packet (title, authors, subjects,
``dc:rights``, language, dates).

``pdf_variant`` ``pdf/a-3b`` and ``pdf/a-3u`` make an archival PDF/A-3 file
that embeds the article's TEI as an associated file (``AFRelationship
/Source``); ``pdf/ua-1`` makes a tagged, accessible file.

Rendering never reaches the disk or the network on its own: every resource
goes through :class:`~convert.html.fetch.FetchPolicy`.  The output depends
only on the article and the options: timestamps come from
``options.source_date_epoch`` or the article's date, never the clock.

WeasyPrint is imported when a PDF is rendered, not when this module is.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, get_args

from lxml import etree

from .._version import __version__
from ..errors import OutputError, UsageError, warn
from ..html.fetch import FetchPolicy, FetchRefusedError, weasyprint_fetcher
from ..html.render import (
    HtmlContext,
    body_elements,
    document,
    mark_adjacent_note_calls,
    meta_elements,
    notes_section,
    rights_section,
    sanitize_tree,
    serialize,
    title_block,
)
from ..html.styles import stylesheet
from ..ir import crosswalk
from ..ir.crosswalk import UNTITLED, subject_line, timestamp
from ..ir.model import Article, Metadata
from ..ir.walk import plain_text_blocks
from ..registry import Options, PdfVariant, WriterSpec, get_writer
from ..xmlns import XML_LANG

__all__ = [
    "MAX_INLINE_RUN",
    "MAX_UNBROKEN_TEXT",
    "TEI_ATTACHMENT_NAME",
    "VARIANTS",
    "WRITER",
    "build_html",
    "html_to_pdf",
    "pdf_timestamp",
    "render",
    "short_title",
    "stable_font",
    "subject_line",
    "text_size",
    "xmp_packet",
]

#: The PDF variants the writer makes ("" is a plain PDF).
VARIANTS: tuple[str, ...] = get_args(PdfVariant)

#: File name of the TEI source embedded in PDF/A-3 files.
TEI_ATTACHMENT_NAME = "article.tei.xml"

_PAPER_CSS = {"a4": "", "letter": "\n@page { size: letter; }\n"}
_CREATOR = f"artconv {__version__}"

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


# --------------------------------------------------------------------------- small pieces


def short_title(title: str, limit: int = 60) -> str:
    """The title for the running head: up to its first colon or question, at most ``limit`` characters."""
    title = " ".join(title.split()) or UNTITLED
    m = re.match(r"^(.{12,}?[:?!])\s", title)
    if m:
        title = m.group(1).rstrip(":")
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def pdf_timestamp(article: Article, options: Options) -> _dt.datetime | None:
    """When the PDF says it was made: ``SOURCE_DATE_EPOCH`` if given, else the article's date (UTC)."""
    return timestamp(options.source_date_epoch, article.metadata.date)


def _pdf_date(when: _dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S") + "+00'00'"


def _xmp_date(when: _dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"


def _check_options(options: Options) -> None:
    if options.pdf_variant not in VARIANTS:
        known = ", ".join(v for v in VARIANTS if v)
        raise UsageError(f"unknown PDF variant {options.pdf_variant!r} (known: {known})")
    if options.paper not in _PAPER_CSS:
        from ..options import get_option

        declared = get_option("paper")
        known = ", ".join(map(str, declared.choices if declared else _PAPER_CSS))
        raise UsageError(f"unknown paper size {options.paper!r} (known: {known})")
    limit = options.pdf_max_chars
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise UsageError(f"option pdf_max_chars must be a number of characters, or 0 for no limit, got {limit!r}")


def text_size(article: Article) -> int:
    """Characters of text in the article's body and notes (what :attr:`Options.pdf_max_chars` limits)."""
    return len(plain_text_blocks(article.body)) + sum(len(plain_text_blocks(note.blocks)) for note in article.notes)


def _check_size(article: Article, options: Options) -> None:
    """Refuse, before any layout, an article whose PDF would take minutes and gigabytes."""
    limit = options.pdf_max_chars
    if limit:
        size = text_size(article)
        if size > limit:
            raise OutputError(
                f"the article has {size:,} characters of text, over the PDF limit of {limit:,} "
                "(raise it with --pdf-max-chars N or the option pdf_max_chars; 0: no limit)"
            )


# --------------------------------------------------------------------------- HTML


def _image_src(policy: FetchPolicy) -> Callable[[str], str | None]:
    """Figure sources as the URLs the renderer may fetch; refused ones leave no ``<img>`` behind."""

    def image_src(src: str) -> str | None:
        url = policy.resolve(src)
        shown = src if len(src) <= 200 else src[:200] + "..."
        if url is None:
            policy.refused.append(src)
            if src.strip():
                warn(
                    "pdf.image-relative",
                    f"image {shown!r} left out: a relative address is read only from an asset folder (--asset-dir)",
                    logger=__name__,
                )
            return None
        if url.lower().startswith("data:") and not url.lower().startswith("data:image/"):
            policy.refused.append(src)
            warn("pdf.image-not-image", f"image {shown!r} left out: the data: URL is not an image", logger=__name__)
            return None
        try:
            policy.check(url)
        except FetchRefusedError:
            return None
        return url

    return image_src


_HARD_HYPHEN = re.compile(r"(?<=\S)(-+\S)")


def _keep_hard_hyphens(root: etree._Element) -> None:
    """No line break right after a hyphen that is part of the text (``high-level``, URLs).

    A line ending in ``-`` reads as a word hyphenated by the typesetter: text
    extraction (pdftotext, copy and paste) drops the hyphen, which corrupts
    compounds and URLs.  Each such hyphen is kept on the line of the character
    after it (a ``nowrap`` span); words are still hyphenated where the
    typesetter needs to, with a plain ``-`` that extraction rightly removes.
    """

    def spans(text: str) -> tuple[str, list[etree._Element]]:
        parts = _HARD_HYPHEN.split(text)
        made = []
        for k in range(1, len(parts), 2):
            span = etree.Element("span")
            span.set("class", "nobreak")
            span.text = parts[k]
            span.tail = parts[k + 1] or None
            made.append(span)
        return parts[0], made

    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("pre", "code") or el.get("class") == "nobreak":
            continue
        if el.text and "-" in el.text:
            el.text, made = spans(el.text)
            for k, span in enumerate(made):
                el.insert(k, span)
        parent = el.getparent()
        if el is not root and parent is not None and el.tail and "-" in el.tail and parent.tag not in ("pre",):
            el.tail, made = spans(el.tail)
            index = parent.index(el)
            for k, span in enumerate(made, 1):
                parent.insert(index + k, span)


#: Most inline elements in a row, with no break opportunity between them, before one is added (``<wbr>``).
MAX_INLINE_RUN = 32
#: Most characters of one text without white space before a break opportunity is added (``<wbr>``).
MAX_UNBROKEN_TEXT = 1000

#: Elements that flow inside a line (the others start blocks, which are break opportunities themselves).
_INLINE_TAGS = frozenset(
    {
        *("a", "em", "strong", "i", "b", "u", "s", "sub", "sup", "code", "kbd", "samp"),
        *("span", "time", "abbr", "small", "q", "cite", "img"),
    }
)
_UNBROKEN = re.compile(rf"\S{{{MAX_UNBROKEN_TEXT + 1},}}")


def _pieces(text: str) -> list[str]:
    """``text`` cut so that no piece ends in more than :data:`MAX_UNBROKEN_TEXT` characters without a space."""
    pieces, start = [], 0
    for m in _UNBROKEN.finditer(text):
        for cut in range(m.start() + MAX_UNBROKEN_TEXT, m.end(), MAX_UNBROKEN_TEXT):
            pieces.append(text[start:cut])
            start = cut
    pieces.append(text[start:])
    return pieces


def _wbr(tail: str | None = None) -> etree._Element:
    el = etree.Element("wbr")
    el.tail = tail or None
    return el


def _add_break_opportunities(root: etree._Element) -> None:
    """Bound the runs of a line that offer no break opportunity, so that line breaking stays linear.

    WeasyPrint looks for a place to break an overflowing line by going back
    over everything since the last break opportunity, once per element that
    overflows (and Pango lays out a whole unbreakable text once per line):
    a run of thousands of adjacent elements (``*_*_*_...``, ``a-b-c-...``) or
    of characters without a space (a long URL, a token) takes time quadratic
    in its length.  A ``<wbr>`` after every :data:`MAX_INLINE_RUN` elements
    and :data:`MAX_UNBROKEN_TEXT` characters of such a run bounds it.  Real
    text never has runs that long: nothing is added to it.
    """
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.text and len(el.text) > MAX_UNBROKEN_TEXT and el.get("class") != "nobreak":
            first, *rest = _pieces(el.text)
            el.text = first
            for k, piece in enumerate(rest):
                el.insert(k, _wbr(piece))
        parent = el.getparent()
        if el is not root and parent is not None and el.tail and len(el.tail) > MAX_UNBROKEN_TEXT:
            first, *rest = _pieces(el.tail)
            el.tail = first
            index = parent.index(el)
            for k, piece in enumerate(rest, 1):
                parent.insert(index + k, _wbr(piece))
    for parent in list(root.iter()):
        run, before = 0, []
        for child in parent:
            if not isinstance(child.tag, str) or child.tag not in _INLINE_TAGS:
                run = 0
                continue
            run += 1
            if run > MAX_INLINE_RUN:
                before.append(child)
                run = 1
            if child.tail and any(c.isspace() for c in child.tail):
                run = 0
        for child in before:
            child.addprevious(_wbr())


def build_html(article: Article, options: Options, policy: FetchPolicy | None = None) -> str:
    """The HTML page handed to WeasyPrint (print stylesheet inlined, content sanitised)."""
    _check_options(options)
    policy = policy or FetchPolicy.from_options(options)
    ctx = HtmlContext(article, xhtml=False, notes=options.notes, image_src=_image_src(policy))
    header = title_block(ctx)
    h1 = header.find("h1")
    if h1 is not None:
        h1.set("data-short", short_title(article.metadata.title))
    children = [header, *body_elements(ctx)]
    for child in children[1:]:
        if child.tag == "figure" and child.find("img") is None:
            child.set("class", "caption-only")
    children.extend(s for s in (notes_section(ctx), rights_section(ctx)) if s is not None)
    article_el = ctx.el("article")
    for child in children:
        article_el.append(child)
    sanitize_tree(article_el)
    mark_adjacent_note_calls(article_el)
    _keep_hard_hyphens(article_el)
    _add_break_opportunities(article_el)

    meta = article.metadata
    head_extra = meta_elements(ctx)
    if meta.subjects:
        head_extra.append(ctx.el("meta", name="description", content=subject_line(meta)))
    css = stylesheet("print.css") + _PAPER_CSS[options.paper]
    root = document(ctx, meta.title, [article_el], css=css, head_extra=head_extra, body_class=f"notes-{options.notes}")
    return serialize(ctx, root).decode("utf-8")


# --------------------------------------------------------------------------- metadata


def _rdf_list(parent: etree._Element, kind: str, values: Sequence[str], *, lang: bool = False) -> None:
    container = etree.SubElement(parent, f"{{{NS['rdf']}}}{kind}")
    for value in values:
        li = etree.SubElement(container, f"{{{NS['rdf']}}}li")
        if lang:
            li.set(XML_LANG, "x-default")
        li.text = value


def _xmp_properties(meta: Metadata) -> list[tuple[str, str, list[str]]]:
    """(name, array, texts) of the crosswalk's XMP properties; rows naming one property share it."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for _, xmp, values in crosswalk.props("xmp", meta):
        merged.setdefault(xmp.name, (xmp.array, []))[1].extend(values)
    return [(name, array, ["\n".join(texts)] if array == "Alt" else texts) for name, (array, texts) in merged.items()]


def xmp_packet(
    meta: Metadata,
    *,
    created: _dt.datetime | None,
    producer: str,
    variant: str = "",
) -> bytes:
    """The XMP metadata packet of the PDF (Dublin Core, XMP basic, PDF, XMP rights, PDF/A or UA id)."""
    rdf = etree.Element(f"{{{NS['rdf']}}}RDF", nsmap={"rdf": NS["rdf"]})
    properties = _xmp_properties(meta)
    used = list(dict.fromkeys(["dc", "xmp", "pdf", *(name.partition(":")[0] for name, _, _ in properties)]))
    if not meta.rights.is_empty():
        used.append("xmpRights")
    if variant.startswith("pdf/a-"):
        used.append("pdfaid")
    elif variant.startswith("pdf/ua-"):
        used.append("pdfuaid")
    desc = etree.SubElement(rdf, f"{{{NS['rdf']}}}Description", nsmap={p: NS[p] for p in used})
    desc.set(f"{{{NS['rdf']}}}about", "")

    def prop(prefix: str, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(desc, f"{{{NS[prefix]}}}{name}")
        if text is not None:
            el.text = text
        return el

    if variant.startswith("pdf/a-"):
        prop("pdfaid", "part", variant[6])
        prop("pdfaid", "conformance", variant[7].upper())
    elif variant.startswith("pdf/ua-"):
        prop("pdfuaid", "part", variant[7])
    prop("dc", "format", "application/pdf")
    for name, array, values in properties:
        prefix, _, local = name.partition(":")
        if array:
            _rdf_list(prop(prefix, local), array, values, lang=array == "Alt")
        else:
            prop(prefix, local, values[0])
    prop("pdf", "Producer", producer)
    prop("xmp", "CreatorTool", _CREATOR)
    if created is not None:
        stamp = _xmp_date(created)
        prop("xmp", "CreateDate", stamp)
        prop("xmp", "ModifyDate", stamp)
        prop("xmp", "MetadataDate", stamp)
    if "xmpRights" in used:
        prop("xmpRights", "Marked", "True" if meta.rights.copyright or meta.rights.copyright_holders else "False")
        if meta.rights.copyright_holders:
            _rdf_list(prop("xmpRights", "Owner"), "Bag", list(meta.rights.copyright_holders))
        terms = meta.rights.licence or meta.rights.fair_use
        if terms:
            _rdf_list(prop("xmpRights", "UsageTerms"), "Alt", [terms], lang=True)
        if meta.source_url:
            prop("xmpRights", "WebStatement", meta.source_url)
    xmpmeta = etree.Element(f"{{{NS['x']}}}xmpmeta", nsmap={"x": NS["x"]})
    xmpmeta.append(rdf)
    body: bytes = etree.tostring(xmpmeta, encoding="utf-8", pretty_print=True)
    return b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + b'<?xpacket end="r"?>'


def _sfnt_checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    total: int = sum(struct.unpack(f">{len(padded) // 4}I", padded))
    return total & 0xFFFFFFFF


def stable_font(data: bytes) -> bytes:
    """An OpenType/TrueType font with its ``head.modified`` set to ``head.created`` (checksums redone).

    The font subsetter stamps each subset with the current time; the stamp is
    the only thing that makes two renderings of the same article differ.
    """
    if len(data) < 12 or data[:4] not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
        return data
    (count,) = struct.unpack(">H", data[4:6])
    for k in range(count):
        record = 12 + 16 * k
        if data[record : record + 4] != b"head":
            continue
        _, offset, length = struct.unpack(">III", data[record + 4 : record + 16])
        if length < 36 or offset + length > len(data):
            return data
        font = bytearray(data)
        font[offset + 28 : offset + 36] = font[offset + 20 : offset + 28]  # modified := created
        font[offset + 8 : offset + 12] = b"\0\0\0\0"  # checkSumAdjustment
        struct.pack_into(">I", font, record + 4, _sfnt_checksum(font[offset : offset + length]))
        struct.pack_into(">I", font, offset + 8, (0xB1B0AFBA - _sfnt_checksum(font)) & 0xFFFFFFFF)
        return bytes(font)
    return data


def _finisher(article: Article, options: Options, created: _dt.datetime | None) -> Callable[[Any, Any], None]:
    """Post-processing of the PDF before it is written: info, XMP, catalog, attachment types."""

    def finish(document: Any, pdf: Any) -> None:
        import pydyf  # type: ignore[import-untyped]

        meta = article.metadata
        info = pdf.info
        producer = str(info["Producer"].string) if "Producer" in info else "WeasyPrint"
        keys = [prop.name for row in crosswalk.FIELDS for prop in row.pdf]
        for key in (*keys, "Creator", "CreationDate", "ModDate"):
            info.pop(key, None)
        for _, prop, values in crosswalk.props("pdf", meta):
            info[prop.name] = pydyf.String(", ".join(values))
        info["Creator"] = pydyf.String(_CREATOR)
        if created is not None:
            info["CreationDate"] = pydyf.String(_pdf_date(created))
            info["ModDate"] = pydyf.String(_pdf_date(created))

        packet = xmp_packet(meta, created=created, producer=producer, variant=options.pdf_variant)
        existing = [
            obj for obj in pdf.objects if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata"
        ]
        if existing and "Metadata" in pdf.catalog:
            stream = existing[-1]
            stream.stream = [packet]
            stream.compress = False
        else:
            stream = pydyf.Stream([packet], {"Type": "/Metadata", "Subtype": "/XML"}, compress=False)
            pdf.add_object(stream)
            pdf.catalog["Metadata"] = stream.reference

        viewer = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
        viewer["DisplayDocTitle"] = "true"
        pdf.catalog["ViewerPreferences"] = viewer
        if "Outlines" in pdf.catalog:
            pdf.catalog["PageMode"] = "/UseOutlines"

        for obj in pdf.objects:  # embedded font subsets carry the time they were made
            if isinstance(obj, pydyf.Stream) and len(obj.stream) == 1 and isinstance(obj.stream[0], bytes):
                obj.stream[0] = stable_font(obj.stream[0])

        if "AF" in pdf.catalog:  # each associated file once
            pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
        # the TEI source: a registered media type rather than the platform's guess
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/EmbeddedFile":
                obj.extra["Subtype"] = "/application#2ftei+xml"

    return finish


# --------------------------------------------------------------------------- PDF


def html_to_pdf(
    html: str,
    options: Options,
    *,
    article: Article | None = None,
    policy: FetchPolicy | None = None,
) -> bytes:
    """Render ``html`` with WeasyPrint under the fetch policy of ``options``.

    With ``article`` the PDF gets its metadata, its timestamps and (for PDF/A-3)
    the article's TEI as an associated file.
    """
    _check_options(options)
    import weasyprint

    policy = policy or FetchPolicy.from_options(options)
    fetcher = weasyprint_fetcher(policy)
    created = timestamp(options.source_date_epoch, article.metadata.date if article is not None else None)
    write_options: dict[str, Any] = {"uncompressed_pdf": False}
    if options.pdf_variant:
        write_options["pdf_variant"] = options.pdf_variant
    if article is not None and options.pdf_variant.startswith("pdf/a-3"):
        tei = get_writer("tei").render(article, options)
        stamp = (created or _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)).replace(tzinfo=None)
        write_options["attachments"] = [
            weasyprint.Attachment(
                string=tei,
                name=TEI_ATTACHMENT_NAME,
                description="TEI P5 XML source of this article",
                created=stamp,
                modified=stamp,
                relationship="Source",
                url_fetcher=fetcher,
            )
        ]
    finisher = _finisher(article, options, created) if article is not None else None
    try:
        doc = weasyprint.HTML(string=html, base_url=policy.base_url(), url_fetcher=fetcher)
        with _footnotes_stay_with_calls():
            document = doc.render(**write_options)
            for _ in range(MAX_FOOTNOTE_PASSES):
                block = _block_displacing_footnote(document)
                if block is None:
                    break
                block.set("class", (block.get("class", "") + " " + PAGE_BREAK_CLASS).strip())
                document = doc.render(**write_options)
        data: bytes = document.write_pdf(finisher=finisher, **write_options)
    except (OSError, ValueError, AssertionError) as exc:
        raise OutputError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
    return data


class _GuardDepth(threading.local):
    """How many footnote-guarded layouts this thread is inside."""

    active: int = 0


_GUARD = _GuardDepth()
_GUARD_LOCK = threading.Lock()
#: "installed": whether the guard could be installed (absent until it is tried).
_GUARD_STATE: dict[str, bool] = {}


def _install_footnote_guard() -> bool:
    """Teach WeasyPrint's line layout not to carry footnotes away from their page (see below)."""
    with _GUARD_LOCK:
        if "installed" in _GUARD_STATE:
            return _GUARD_STATE["installed"]
        _GUARD_STATE["installed"] = False
        try:
            import weasyprint
            from weasyprint.layout import LayoutContext
            from weasyprint.layout import block as layout_block

            code = layout_block._linebox_layout.__code__
        except (ImportError, AttributeError):
            return False
        if not str(weasyprint.__version__).startswith(GUARDED_WEASYPRINT) or "in_column" not in code.co_names:
            return False

        def get_in_column(context: Any) -> bool:
            value = bool(context.__dict__.get("in_column", False))
            if not value and _GUARD.active and sys._getframe(1).f_code is code:
                return True
            return value

        def set_in_column(context: Any, value: bool) -> None:
            context.__dict__["in_column"] = value

        LayoutContext.in_column = property(get_in_column, set_in_column)
        _GUARD_STATE["installed"] = True
        return True


@contextlib.contextmanager
def _footnotes_stay_with_calls() -> Iterator[None]:
    """Layouts in this block keep footnotes on the page of their reference (this thread only).

    When the line that would complete a paragraph's ``orphans`` does not fit,
    WeasyPrint 70 moves the page's last footnote to the next page to make room
    for it, away from its reference.  In this block the paragraph goes to the
    next page instead, as in earlier WeasyPrint versions: the one read of
    ``in_column`` made by the line layout answers "in a column", where
    WeasyPrint never moves footnotes.  Other versions of WeasyPrint are left
    alone; :func:`_block_displacing_footnote` and a second layout then catch
    the case.
    """
    _install_footnote_guard()
    _GUARD.active += 1
    try:
        yield
    finally:
        _GUARD.active -= 1


#: WeasyPrint versions whose line layout :func:`_footnotes_stay_with_calls` knows (version prefix).
GUARDED_WEASYPRINT = "70."

#: Class that forces a page break before a paragraph (set by the footnote check).
PAGE_BREAK_CLASS = "page-break-before"
#: Layouts tried at most to keep every footnote on the page of its reference.
MAX_FOOTNOTE_PASSES = 3


def _block_displacing_footnote(document: Any) -> Any:
    """The paragraph to move to the next page so that no footnote leaves its reference's page.

    To keep a paragraph's first lines together (``orphans``), WeasyPrint may
    carry a footnote over to the next page when a page is full.  This finds
    the first page where that happened and returns the element of the block
    that runs over to the next page (None when every footnote is in place,
    or when that block already starts the page and cannot move).
    """
    call_page: dict[int, int] = {}
    note_page: dict[int, int] = {}
    pages = [page._page_box for page in document.pages]
    for number, page_box in enumerate(pages):
        for child in page_box.children:
            if type(child).__name__ == "FootnoteAreaBox":
                for note in child.children:
                    if note.element is not None:
                        note_page.setdefault(id(note.element), number)
            else:
                for box in child.descendants():
                    footnote = getattr(box, "footnote", None)
                    if footnote is not None and footnote.element is not None:
                        call_page.setdefault(id(footnote.element), number)
    late = sorted(call for key, call in call_page.items() if note_page.get(key, call) > call)
    if not late or late[0] + 1 >= len(pages):
        return None
    number = late[0]
    here = _line_blocks(pages[number])
    after = {id(el) for el in _line_blocks(pages[number + 1])}
    if len(here) < 2 or id(here[-1]) not in after:
        return None
    return here[-1]


def _line_blocks(page_box: Any) -> list[Any]:
    """Elements of the blocks holding lines of text on a page, in order (footnotes excluded)."""
    found: list[Any] = []
    seen: set[int] = set()
    for child in page_box.children:
        if type(child).__name__ in ("FootnoteAreaBox", "MarginBox"):
            continue
        for box in child.descendants():
            if type(box).__name__ == "LineBox" and box.element is not None and id(box.element) not in seen:
                seen.add(id(box.element))
                found.append(box.element)
    return found


def render(article: Article, options: Options) -> bytes:
    """The article as a PDF (deterministic for the same article and options).

    An article of more than ``options.pdf_max_chars`` characters of text is
    refused (:class:`~convert.errors.OutputError`) before anything is laid out.
    """
    _check_options(options)
    _check_size(article, options)
    policy = FetchPolicy.from_options(options)
    return html_to_pdf(build_html(article, options, policy), options, article=article, policy=policy)


WRITER = WriterSpec(
    name="pdf",
    extension=".pdf",
    media_type="application/pdf",
    description="PDF offprint with footnotes and metadata; PDF/A-3 (TEI inside) and PDF/UA variants",
    render=render,
)
