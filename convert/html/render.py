"""The one HTML rendering of the IR, shared by the ``html``, ``epub`` and ``pdf`` writers.

Everything is built as an lxml element tree (so escaping is never done by
hand) and serialised either as HTML5 or as XHTML (EPUB content documents).
The pieces are exposed separately so that writers can compose them:

* :func:`title_block` - title, subtitle, authors, publisher, date, subjects;
* :func:`body_elements` - the article body, with note references rendered
  as links to endnotes or as in-place footnotes (``<span class="footnote">``
  for WeasyPrint's ``float: footnote``);
* :func:`notes_section` - the endnotes, each with a link back;
* :func:`rights_section` - the colophon / rights page, verbatim;
* :func:`document` - a complete page around some body elements.

The IR holds no raw HTML, so nothing in the input can inject markup here;
link targets with script-bearing schemes are dropped as a second guard.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import assert_never

from lxml import etree
from lxml.builder import ElementMaker

from ..errors import warn
from ..ir import crosswalk
from ..ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Strong,
    Text,
    ThematicBreak,
)
from ..ir.walk import block_inlines, plain_text
from ..options import NotesPlacement
from ..urls import WEB_SCHEMES, image_allowed, link_url, scheme
from ..xmlns import EPUB_NS, XHTML_NS, XML_LANG, local_name

__all__ = [
    "HtmlContext",
    "XHTML_NS",
    "EPUB_NS",
    "body_elements",
    "document",
    "authors_text",
    "format_date",
    "meta_elements",
    "note_id",
    "notes_section",
    "rights_lines",
    "rights_section",
    "safe_url",
    "mark_adjacent_note_calls",
    "sanitize_tree",
    "serialize",
    "title_block",
]

_EPUB_TYPE = f"{{{EPUB_NS}}}type"


def safe_url(url: str) -> str | None:
    """``url`` if it is safe to put in an href (http(s), mailto, ftp, tel, fragment; see :mod:`convert.urls`)."""
    return link_url(url)


#: Elements the rendering of an article may contain (local names).
_ALLOWED_TAGS = frozenset(
    {
        *("article", "header", "footer", "section", "nav", "aside", "div", "span", "p"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "i", "b", "u", "s", "sub", "sup"),
        *("code", "pre", "kbd", "samp", "br", "hr", "blockquote", "q", "cite", "ul", "ol", "li"),
        *("dl", "dt", "dd", "figure", "figcaption", "img", "time", "abbr", "small"),
    }
)
#: Elements removed with everything inside them.
_DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "meta"),
        *("base", "form", "input", "button", "select", "textarea", "template", "noscript", "svg", "math"),
        *("audio", "video", "source", "track", "canvas", "portal"),
    }
)
#: Attributes an element may keep (local names; ``href``/``src`` are checked further).
_ALLOWED_ATTRS = frozenset(
    {
        *("class", "id", "href", "src", "alt", "title", "lang", "datetime", "start", "role", "type"),
        *("data-label", "data-short", "colspan", "rowspan"),
    }
)


def sanitize_tree(root: etree._Element, *, documents: Collection[str] = ()) -> etree._Element:
    """Strip ``root`` (in place) down to inert article markup, and return it.

    A second line of defence behind the IR, which holds no raw HTML: any
    element that can run code, embed or fetch something (``script``,
    ``iframe``, ``object``, ``link``, ``style``, ``meta``, ...) is removed with
    its content, unknown elements are unwrapped, event handlers, ``style``,
    ``rel`` and every attribute not on the allow list are dropped, ``href``
    must pass :func:`safe_url` (or name one of ``documents``, the other files
    of a publication, with an optional ``#fragment``) and ``img src`` must be
    http(s), ``file:``, ``data:image/`` or relative (what the fetcher then
    allows is up to it).  ``epub:type`` and ``xml:lang`` are kept.
    """
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el is not root and el.getparent() is not None:
                _remove_keep_tail(el)
            continue
        tag = local_name(el.tag).lower()
        if el is not root and tag in _DROPPED_WITH_CONTENT:
            if el.getparent() is not None:
                _remove_keep_tail(el)
            continue
        for raw_name in list(el.attrib):
            name = raw_name if isinstance(raw_name, str) else raw_name.decode()
            local = local_name(name).lower()
            raw_value = el.attrib[raw_name]
            value = raw_value if isinstance(raw_value, str) else raw_value.decode()
            keep = (
                name in (_EPUB_TYPE, XML_LANG)
                or (local in _ALLOWED_ATTRS and not local.startswith("on"))
            )
            if keep and local == "href":
                keep = safe_url(value) is not None or value.partition("#")[0] in documents
            if keep and local == "src":
                keep = tag == "img" and image_allowed(value)
            if not keep:
                del el.attrib[raw_name]
        if tag == "img" and "src" not in el.attrib and el.getparent() is not None:
            _remove_keep_tail(el)
    for el in list(root.iter()):
        if (
            isinstance(el.tag, str)
            and el is not root
            and local_name(el.tag).lower() not in _ALLOWED_TAGS
            and el.getparent() is not None
        ):
            _unwrap(el)
    return root


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _unwrap(el: etree._Element) -> None:
    """Replace ``el`` by its text and children."""
    parent = el.getparent()
    assert parent is not None
    index = parent.index(el)
    prev = el.getprevious()
    lead = el.text or ""
    if lead:
        if prev is not None:
            prev.tail = (prev.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = el.tail or ""
    last = children[-1] if children else el.getprevious()
    parent.remove(el)
    if tail:
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


#: Class of a note reference that directly follows another one (styled with a separating comma).
NOTE_CALL_FOLLOWS = "note-call-follows"


def _is_note_call(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    tag = local_name(el.tag)
    if tag == "span":
        return "footnote" in (el.get("class") or "").split()
    if tag == "sup" and len(el) == 1 and isinstance(el[0].tag, str):
        return "noteref" in (el[0].get("class") or "").split()
    return False


def mark_adjacent_note_calls(root: etree._Element) -> etree._Element:
    """Mark each note reference that follows another with nothing between them (``vi vii viii``).

    The later ones get the class :data:`NOTE_CALL_FOLLOWS`, so that stylesheets
    can separate the superscripts (``vi,vii,viii``) instead of running them together.
    """
    for el in root.iter():
        prev = el.getprevious()
        if prev is not None and _is_note_call(el) and _is_note_call(prev) and not (prev.tail or "").strip():
            el.set("class", f"{el.get('class') or ''} {NOTE_CALL_FOLLOWS}".strip())
    return root


def note_id(label: str) -> str:
    """The id of the endnote with ``label`` (labels are made id-safe)."""
    return "note-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m.group()):x}", label)


def format_date(date: _dt.date) -> str:
    """A human date, e.g. ``27 September 2012`` (locale-independent)."""
    months = (
        *("January", "February", "March", "April", "May", "June"),
        *("July", "August", "September", "October", "November", "December"),
    )
    return f"{date.day} {months[date.month - 1]} {date.year}"


@dataclass
class HtmlContext:
    """How note references and notes are rendered, and for which serialisation.

    ``xhtml``: elements are in the XHTML namespace and EPUB ``epub:type``
    attributes are added.  ``notes``: ``endnotes`` links each reference to an
    entry of :func:`notes_section`; ``footnotes`` puts the note's content at
    its first reference (``<span class="footnote">``) and links later ones to it.
    ``notes_href`` is the document holding the endnotes (``""``: the same one);
    ``body_href`` the document holding the references (for links back).
    ``image_src`` maps a figure's ``src`` to the URL put in ``<img src>`` (None:
    no image); by default only images on the web are kept.
    """

    article: Article
    xhtml: bool = False
    notes: NotesPlacement = "endnotes"
    notes_href: str = ""
    body_href: str = ""
    image_src: Callable[[str], str | None] | None = None
    _ref_count: dict[str, int] = field(default_factory=dict)
    _first_ref: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.E = ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS, "epub": EPUB_NS}) if self.xhtml else (
            ElementMaker()
        )
        self._notes = {n.label: n for n in self.article.notes}

    def el(self, tag: str, *children: object, epub_type: str = "", **attrs: str) -> etree._Element:
        """An element; ``epub_type`` is only written for XHTML."""
        node: etree._Element = self.E(tag, *children, **{k.rstrip("_"): v for k, v in attrs.items()})
        if epub_type and self.xhtml:
            node.set(_EPUB_TYPE, epub_type)
        return node

    def ref_ids(self, label: str) -> list[str]:
        """Ids of the references to ``label`` rendered so far, in order."""
        return [f"ref-{note_id(label)[5:]}-{k}" for k in range(1, self._ref_count.get(label, 0) + 1)]


def _append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inlines(ctx: HtmlContext, parent: etree._Element, inlines: Iterable[Inline]) -> None:
    for node in inlines:
        match node:
            case Text(text=t):
                _append_text(parent, t)
                continue
            case Emph(content=c):
                child = ctx.el("em")
                _inlines(ctx, child, c)
                parent.append(child)
                continue
            case Strong(content=c):
                child = ctx.el("strong")
                _inlines(ctx, child, c)
                parent.append(child)
                continue
            case Code(text=t):
                parent.append(ctx.el("code", t))
                continue
            case LineBreak():
                parent.append(ctx.el("br"))
                continue
            case Link(content=c, target=target, title=title):
                href = safe_url(target)
                if href is None:
                    if target.strip():
                        warn("html.link-dropped", f"link to {_shown(target)!r} kept as text: {_LINKS}", logger=__name__)
                    _inlines(ctx, parent, c)
                    continue
                attrs = {"href": href}
                if title:
                    attrs["title"] = title
                child = ctx.el("a", **attrs)
                _inlines(ctx, child, c)
                parent.append(child)
                continue
            case NoteRef(label=label):
                parent.append(_note_ref(ctx, label))
                continue
        assert_never(node)


def _note_ref(ctx: HtmlContext, label: str) -> etree._Element:
    count = ctx._ref_count.get(label, 0) + 1
    ctx._ref_count[label] = count
    ref_id = f"ref-{note_id(label)[5:]}-{count}"
    note = ctx._notes.get(label)
    if ctx.notes == "footnotes" and note is not None and count == 1:
        # the note's content, floated to the foot of the page by the print stylesheet
        span = ctx.el("span", class_="footnote", id=note_id(label), role="doc-footnote")
        span.set("data-label", label)
        for k, block in enumerate(note.blocks):
            if k:
                _append_text(span, " ")
            for seq in block_inlines(block):
                _inlines(ctx, span, seq)
        return span
    if ctx.notes == "footnotes":
        anchor = ctx.el("a", label, class_="noteref", href=f"#{note_id(label)}", id=ref_id, role="doc-noteref")
        return ctx.el("sup", anchor)
    anchor = ctx.el(
        "a",
        label,
        class_="noteref",
        href=f"{ctx.notes_href}#{note_id(label)}",
        id=ref_id,
        role="doc-noteref",
        epub_type="noteref",
    )
    return ctx.el("sup", anchor)


def _block(ctx: HtmlContext, block: Block, heading_offset: int) -> etree._Element:
    match block:
        case Paragraph(content=c):
            p = ctx.el("p")
            _inlines(ctx, p, c)
            return p
        case Heading(level=level, content=c):
            h = ctx.el(f"h{min(6, max(1, level + heading_offset))}")
            _inlines(ctx, h, c)
            return h
        case BlockQuote(blocks=bs):
            q = ctx.el("blockquote")
            for b in bs:
                q.append(_block(ctx, b, heading_offset))
            return q
        case BulletList(items=items):
            ul = ctx.el("ul")
            for item in items:
                ul.append(_item(ctx, item, heading_offset))
            return ul
        case OrderedList(items=items, start=start):
            ol = ctx.el("ol") if start == 1 else ctx.el("ol", start=str(start))
            for item in items:
                ol.append(_item(ctx, item, heading_offset))
            return ol
        case Figure(caption=caption, src=src, alt=alt):
            fig = ctx.el("figure")
            img_src = (ctx.image_src or _web_image)(src) if src else None
            if img_src:
                fig.append(ctx.el("img", src=img_src, alt=alt or plain_text(caption)))
            if caption:
                cap = ctx.el("figcaption")
                _inlines(ctx, cap, caption)
                fig.append(cap)
            return fig
        case ThematicBreak():
            return ctx.el("hr")
        case CodeBlock(text=t, language=lang):
            code = ctx.el("code", t, **({"class_": f"language-{lang}"} if lang else {}))
            return ctx.el("pre", code)
    assert_never(block)


def _shown(url: str) -> str:
    return url if len(url) <= 200 else url[:200] + "..."


_LINKS = "only web, mail, FTP and telephone links and #fragments are kept"


def _web_image(src: str) -> str | None:
    """``src`` when it is an image on the web (the default of :attr:`HtmlContext.image_src`); else reported."""
    if scheme(src) in WEB_SCHEMES and image_allowed(src):
        return src.strip()
    if src.strip():
        warn("html.image-dropped", f"image {_shown(src)!r} left out: only images on the web are shown", logger=__name__)
    return None


def _item(ctx: HtmlContext, item: tuple[Block, ...], heading_offset: int) -> etree._Element:
    li = ctx.el("li")
    for b in item:
        li.append(_block(ctx, b, heading_offset))
    return li


def body_elements(ctx: HtmlContext, blocks: Sequence[Block] | None = None) -> list[etree._Element]:
    """The article body (or ``blocks``) as elements; body headings start at ``h2``."""
    return [_block(ctx, b, 1) for b in (ctx.article.body if blocks is None else blocks)]


def authors_text(authors: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def title_block(ctx: HtmlContext) -> etree._Element:
    """The header of the article: title, subtitle, byline, publication line, subjects."""
    meta: Metadata = ctx.article.metadata
    header = ctx.el("header", class_="title-block")
    header.append(ctx.el("h1", meta.title or crosswalk.UNTITLED, class_="title"))
    if meta.subtitle:
        header.append(ctx.el("p", meta.subtitle, class_="subtitle"))
    if meta.authors:
        header.append(ctx.el("p", "By " + authors_text(meta.authors), class_="byline"))
    pub: list[object] = []
    if meta.publisher:
        pub.append(ctx.el("span", meta.publisher, class_="publisher"))
    if meta.date is not None:
        if pub:
            pub.append(", ")
        pub.append(ctx.el("time", format_date(meta.date), datetime=meta.date.isoformat()))
    if pub:
        header.append(ctx.el("p", *pub, class_="publication"))
    schemes = crosswalk.subjects_by_scheme(meta.subjects)
    if schemes:
        dl = ctx.el("dl", class_="subjects")
        for scheme, terms in schemes.items():
            dl.append(ctx.el("dt", scheme.capitalize() if scheme else "Subjects"))
            dl.append(ctx.el("dd", ", ".join(terms)))
        header.append(dl)
    return header


def notes_section(
    ctx: HtmlContext, *, heading: str = "Notes", endnote_role: str = "doc-endnote"
) -> etree._Element | None:
    """Endnotes (each with links back to its references); None when there are none.

    In ``footnotes`` mode only the notes that were never referenced are listed
    (the others sit at their references).  ``endnote_role`` is the ARIA role of
    each entry; ``""`` leaves it out (DPUB-ARIA 1.1 deprecates ``doc-endnote``:
    an entry is then a plain list item of the ``doc-endnotes`` section).
    """
    notes: list[Note] = list(ctx.article.notes)
    if ctx.notes == "footnotes":
        notes = [n for n in notes if ctx._ref_count.get(n.label, 0) == 0]
    if not notes:
        return None
    section = ctx.el("section", class_="notes", role="doc-endnotes", epub_type="endnotes")
    section.append(ctx.el("h2", heading))
    ol = ctx.el("ol", class_="notes-list")
    for note in notes:
        role = {"role": endnote_role} if endnote_role else {}
        li = ctx.el("li", id=note_id(note.label), **role, epub_type="endnote")
        li.set("data-label", note.label)
        label = ctx.el("span", note.label, class_="note-label")
        first = True
        for block in note.blocks:
            el = _block(ctx, block, 2)
            if first and el.tag in ("p", f"{{{XHTML_NS}}}p"):
                label.tail = " " + (el.text or "")
                el.text = None
                el.insert(0, label)
                first = False
            li.append(el)
        if first:
            li.insert(0, ctx.el("p", label))
        refs = ctx.ref_ids(note.label)
        if refs:
            back = li[-1] if len(li) and li[-1].tag in ("p", f"{{{XHTML_NS}}}p") else li
            for k, ref in enumerate(refs, 1):
                _append_text(back, " ")
                text = "↩" if len(refs) == 1 else f"↩{k}"
                back.append(
                    ctx.el(
                        "a",
                        text,
                        href=f"{ctx.body_href}#{ref}",
                        class_="backlink",
                        role="doc-backlink",
                        title="Back to the text",
                    )
                )
        ol.append(li)
    section.append(ol)
    return section


def rights_lines(rights: Rights, *, include_source: bool = True) -> list[tuple[str, str]]:
    """(css class, verbatim text) of every rights statement, in reading order (the crosswalk's ``colophon``)."""
    return [
        (row.colophon, text)
        for row in crosswalk.fields_for("colophon")
        if row.rights and (include_source or row.name != "source") and (text := getattr(rights, row.name, ""))
    ]


_LABELS = {"disclaimer": "Disclaimer: "}


def rights_section(ctx: HtmlContext, *, heading: str = "Rights and source") -> etree._Element | None:
    """The colophon: source, copyright, licence, disclaimer, fair use, contact (verbatim)."""
    lines = rights_lines(ctx.article.metadata.rights)
    if not lines:
        return None
    section = ctx.el("section", class_="colophon", epub_type="copyright-page")
    section.append(ctx.el("h2", heading))
    for cls, text in lines:
        for para in text.split("\n\n"):
            p = ctx.el("p", class_=cls)
            if cls in _LABELS:
                p.append(ctx.el("strong", _LABELS[cls].strip()))
                _linkify(ctx, p, " " + para)
            else:
                _linkify(ctx, p, para)
            section.append(p)
    return section


_URLISH = re.compile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def _linkify(ctx: HtmlContext, parent: etree._Element, text: str) -> None:
    pos = 0
    for m in _URLISH.finditer(text):
        _append_text(parent, text[pos : m.start()])
        target = m.group(1)
        href = target if target.startswith("http") else f"mailto:{target}"
        parent.append(ctx.el("a", target, href=href))
        pos = m.end()
    _append_text(parent, text[pos:])


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
    head.append(ctx.el("title", title or crosswalk.UNTITLED))
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
    return html


def serialize(ctx: HtmlContext, root: etree._Element) -> bytes:
    """HTML5 (``<!DOCTYPE html>``) or XHTML (XML declaration) bytes of ``root``."""
    if ctx.xhtml:
        body: bytes = etree.tostring(root, method="xml", encoding="utf-8", xml_declaration=False)
        return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body + b"\n"
    html: bytes = etree.tostring(root, method="html", encoding="utf-8")
    return b"<!DOCTYPE html>\n" + html + b"\n"


def meta_elements(ctx: HtmlContext) -> list[etree._Element]:
    """``<meta>`` elements describing the article (names from the metadata crosswalk)."""
    out = [
        ctx.el("meta", name=prop.name, content=value)
        for _, prop, values in crosswalk.props("html", ctx.article.metadata)
        for value in values
        if value
    ]
    out.append(ctx.el("meta", name="generator", content="artconv"))
    return out

