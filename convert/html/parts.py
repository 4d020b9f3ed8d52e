"""The parts around the body: title block, endnotes, colophon, the page itself, its ``<meta>``."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from lxml import etree

from convert.recache import compile as recompile

from ..ir import crosswalk
from ..ir.model import Metadata, Note, Rights
from ..lang import direction
from ..words import words_for
from ..xmlns import XHTML_NS, XML_LANG, append_text
from .body import block_into
from .context import HtmlContext, note_id

__all__ = [
    "document",
    "meta_elements",
    "notes_section",
    "rights_lines",
    "rights_section",
    "serialize",
    "title_block",
]


def _right_to_left(text: str) -> bool:
    """Whether ``text`` has a letter of a right-to-left script (Arabic, Hebrew, ...)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def title_block(ctx: HtmlContext) -> etree._Element:
    """The header of the article: title, subtitle, byline, publication line, subjects."""
    meta: Metadata = ctx.article.metadata
    words = words_for(meta.language)
    header = ctx.el("header", class_="title-block")
    header.append(ctx.el("h1", meta.title or words.untitled, class_="title"))
    if meta.subtitle:
        header.append(ctx.el("p", meta.subtitle, class_="subtitle"))
    if meta.authors:
        header.append(ctx.el("p", words.byline(meta.authors), class_="byline"))
    pub: list[str | etree._Element] = []
    if meta.publisher:
        pub.append(ctx.el("span", meta.publisher, class_="publisher"))
    if meta.site and meta.site != meta.publisher:
        if pub:
            pub.append(", ")
        pub.append(ctx.el("span", meta.site, class_="site"))
    if meta.date is not None:
        if pub:
            pub.append(", ")
        when = crosswalk.format_date(meta.date, meta.date_precision)
        shown = words.date(meta.date, meta.date_precision)
        # a date written left to right (in English) keeps its own direction in a right-to-left
        # article, else the bidi algorithm shows "3 May 2023" as "May 2023 3"
        rtl_page = direction(meta.language) == "rtl"
        ltr = {"dir": "ltr"} if rtl_page and not _right_to_left(shown) else {}
        pub.append(ctx.el("time", shown, datetime=when, **ltr))
    if pub:
        header.append(ctx.el("p", *pub, class_="publication"))
    schemes = crosswalk.subjects_by_scheme(meta.subjects)
    if schemes:
        dl = ctx.el("dl", class_="subjects")
        for scheme, terms in schemes.items():
            dl.append(ctx.el("dt", scheme.capitalize() if scheme else words.subjects))
            dl.append(ctx.el("dd", ", ".join(terms)))
        header.append(dl)
    return header


def notes_section(ctx: HtmlContext, *, heading: str = "", endnote_role: str = "doc-endnote") -> etree._Element | None:
    """Endnotes (each with links back to its references); None when there are none.

    In ``footnotes`` mode only the notes that were never referenced are listed
    (the others sit at their references).  ``heading`` is the article's language's word
    for "Notes" unless given.  ``endnote_role`` is the ARIA role of
    each entry; ``""`` leaves it out (DPUB-ARIA 1.1 deprecates ``doc-endnote``:
    an entry is then a plain list item of the ``doc-endnotes`` section).
    """
    notes: list[Note] = list(ctx.article.notes)
    if ctx.notes == "footnotes":
        notes = [n for n in notes if ctx._ref_count.get(n.label, 0) == 0]
    if not notes:
        return None
    words = words_for(ctx.article.metadata.language)
    section = ctx.el("section", class_="notes", role="doc-endnotes", epub_type="endnotes")
    section.append(ctx.el("h2", heading or words.notes))
    ol = ctx.el("ol", class_="notes-list")
    for note in notes:
        role = {"role": endnote_role} if endnote_role else {}
        li = ctx.el("li", id=note_id(note.label), **role, epub_type="endnote")
        li.set("data-label", note.label)
        label = ctx.el("span", note.label, class_="note-label")
        first = True
        for block in note.blocks:
            block_into(ctx, li, block, 2)
            el = li[-1]
            if first and el.tag in ("p", f"{{{XHTML_NS}}}p"):
                label.tail = " " + (el.text or "")
                el.text = None
                el.insert(0, label)
                first = False
        if first:
            li.insert(0, ctx.el("p", label))
        refs = ctx.ref_ids(note.label)
        if refs:
            back = li[-1] if len(li) and li[-1].tag in ("p", f"{{{XHTML_NS}}}p") else li
            for k, ref in enumerate(refs, 1):
                append_text(back, " ")
                text = "↩" if len(refs) == 1 else f"↩{k}"
                link = ctx.sub(
                    back,
                    "a",
                    href=f"{ctx.body_href}#{ref}",
                    class_="backlink",
                    role="doc-backlink",
                    title=words.back_to_text,
                )
                link.text = text
        ol.append(li)
    section.append(ol)
    return section


#: The crosswalk's table and its colophon rows of the rights record, sorted (the table is read
#: once, again only if it is another table: it is held here, so it cannot be another at the same place).
_colophon: dict[str, tuple[tuple[crosswalk.Field, ...], list[crosswalk.Field]]] = {}


def _colophon_rows() -> list[crosswalk.Field]:
    table, rows = _colophon.get("rows") or ((), [])
    if table is not crosswalk.FIELDS:
        table, rows = crosswalk.FIELDS, [row for row in crosswalk.fields_for("colophon") if row.rights]
        _colophon["rows"] = (table, rows)
    return rows


def rights_lines(rights: Rights, *, include_source: bool = True) -> list[tuple[str, str]]:
    """(css class, verbatim text) of every rights statement, in reading order (the crosswalk's ``colophon``).

    The licence's identifier is shown only when no text names the licence.
    """
    return [
        (row.colophon, text)
        for row in _colophon_rows()
        if (include_source or row.name != "source")
        and not (row.name == "licence_id" and rights.licence)
        and (text := getattr(rights, row.name, ""))
    ]


#: The colophon classes whose paragraphs are led by their field's label (in bold).
_LABELLED = frozenset({"disclaimer"})


def rights_section(ctx: HtmlContext, *, heading: str = "") -> etree._Element | None:
    """The colophon: source, copyright, licence, disclaimer, fair use, contact (verbatim).

    ``heading`` is the article's language's words for "Rights and source" unless given.
    """
    lines = rights_lines(ctx.article.metadata.rights)
    if not lines:
        return None
    words = words_for(ctx.article.metadata.language)
    section = ctx.el("section", class_="colophon", epub_type="copyright-page")
    section.append(ctx.el("h2", heading or words.rights_and_source))
    for cls, text in lines:
        for para in text.split("\n\n"):
            p = ctx.el("p", class_=cls)
            if cls in _LABELLED:
                row = next(row for row in _colophon_rows() if row.colophon == cls)
                p.append(ctx.el("strong", words.label(row.name, row.label) + ":"))
                _linkify(ctx, p, " " + para)
            else:
                _linkify(ctx, p, para)
            section.append(p)
    return section


_URLISH = recompile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
#: :data:`_URLISH` without its mail addresses: what it finds in a text with no ``@``.  (Its
#: address branch tries every position of every word, a cost paid in long licence texts.)
_WEB_URLISH = recompile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)])")


def _linkify(ctx: HtmlContext, parent: etree._Element, text: str) -> None:
    pos = 0
    for m in (_URLISH if "@" in text else _WEB_URLISH).finditer(text):
        append_text(parent, text[pos : m.start()])
        target = m.group(1)
        href = target if target.startswith("http") else f"mailto:{target}"
        parent.append(ctx.el("a", target, href=href))
        pos = m.end()
    append_text(parent, text[pos:])


def document(
    ctx: HtmlContext,
    title: str,
    children: Iterable[etree._Element],
    *,
    css: str = "",
    css_href: str = "",
    head_extra: Iterable[etree._Element] = (),
    body_class: str = "",
) -> etree._Element:
    """A complete ``html`` element: head (title, charset, styles) and body."""
    lang = ctx.article.metadata.language or "und"
    head = ctx.el("head")
    if not ctx.xhtml:
        head.append(ctx.el("meta", charset="utf-8"))
    head.append(ctx.el("title", title or words_for(lang).untitled))
    for extra in head_extra:
        head.append(extra)
    if css_href:
        head.append(ctx.el("link", rel="stylesheet", type="text/css", href=css_href))
    if css:
        head.append(ctx.el("style", css))
    body = ctx.el("body", **({"class_": body_class} if body_class else {}))
    for child in children:
        body.append(child)
    html = ctx.el("html", head, body, lang=lang)
    if ctx.xhtml:
        html.set(XML_LANG, lang)
    if direction(lang) == "rtl":
        html.set("dir", "rtl")
    return html


def serialize(ctx: HtmlContext, root: etree._Element) -> bytes:
    """HTML5 (``<!DOCTYPE html>``) or XHTML (XML declaration) bytes of ``root``."""
    if ctx.xhtml:
        body: bytes = etree.tostring(root, method="xml", encoding="utf-8", xml_declaration=False)
        return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body + b"\n"
    html: bytes = etree.tostring(root, method="html", encoding="utf-8")
    return b"<!DOCTYPE html>\n" + html + b"\n"


def meta_elements(ctx: HtmlContext) -> list[etree._Element]:
    """``<meta>`` elements describing the article (names from the metadata crosswalk).

    A name with a colon (``og:site_name``) is the element's ``property`` (Open Graph);
    ``rel=license`` is a ``<link rel="license" href="...">``.
    """
    out = []
    for _, prop, values in crosswalk.props("html", ctx.article.metadata):
        for value in values:
            if not value:
                continue
            if prop.name.startswith("rel="):
                out.append(ctx.el("link", rel=prop.name[4:], href=value))
            elif ":" in prop.name:
                out.append(ctx.el("meta", property=prop.name, content=value))
            else:
                out.append(ctx.el("meta", name=prop.name, content=value))
    out.append(ctx.el("meta", name="generator", content="artconv"))
    return out
