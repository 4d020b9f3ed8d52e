"""The article body as elements: blocks and inlines, note references, and the tree pass over note calls."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import assert_never

from lxml import etree

from ..errors import warn
from ..ir.model import (
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    column_starts,
)
from ..ir.walk import block_inlines, plain_text
from ..urls import WEB_SCHEMES, image_allowed, scheme
from ..words import words_for
from ..xmlns import XML_LANG, append_text, local_name
from .context import EPUB_TYPE, HtmlContext, note_id
from .media import data_uri
from .sanitize import safe_url

__all__ = ["NOTE_CALL_FOLLOWS", "block_element", "block_into", "body_elements", "image_url", "mark_adjacent_note_calls"]

#: The rendering's warnings are reported under its documented logger.
_LOGGER = "convert.html.render"

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
    # only the elements a note call can be (a ``sup`` or ``span`` of any namespace, or of none):
    # lxml skips the others without making them Python objects
    for el in root.iter("{*}sup", "{*}span"):
        prev = el.getprevious()
        if prev is not None and _is_note_call(el) and _is_note_call(prev) and not (prev.tail or "").strip():
            el.set("class", f"{el.get('class') or ''} {NOTE_CALL_FOLLOWS}".strip())
    return root


#: The element of each inline container that needs nothing but its content.
_CONTAINER_TAGS: dict[type, tuple[str, str]] = {
    Emph: ("em", ""),
    Strong: ("strong", ""),
    Strikeout: ("del", ""),
    Superscript: ("sup", ""),
    Subscript: ("sub", ""),
    SmallCaps: ("span", "smallcaps"),
}


def _inlines(ctx: HtmlContext, parent: etree._Element, inlines: Iterable[Inline]) -> None:
    for node in inlines:
        match node:
            case Text(text=t):
                append_text(parent, t)
                continue
            case (
                Emph(content=c)
                | Strong(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
            ):
                tag, cls = _CONTAINER_TAGS[type(node)]
                _inlines(ctx, ctx.sub(parent, tag, class_=cls) if cls else ctx.sub(parent, tag), c)
                continue
            case Span(content=c, lang=lang, dir=direction):
                if not lang and not direction:
                    _inlines(ctx, parent, c)
                    continue
                child = ctx.sub(parent, "span")
                if lang:
                    child.set("lang", lang)
                    if ctx.xhtml:
                        child.set(XML_LANG, lang)
                if direction:
                    child.set("dir", direction)
                _inlines(ctx, child, c)
                continue
            case Code(text=t):
                ctx.sub(parent, "code").text = t
                continue
            case Math(tex=tex, display=display):
                ctx.sub(parent, "code", class_="math display" if display else "math").text = tex
                continue
            case LineBreak():
                ctx.sub(parent, "br")
                continue
            case Image():
                img = _img(ctx, node, node.alt)
                if img is not None:
                    parent.append(img)
                else:
                    append_text(parent, node.alt)
                continue
            case Link(content=c, target=target, title=title):
                href = safe_url(target)
                if href is None:
                    if target.strip():
                        warn("html.link-dropped", f"link to {_shown(target)!r} kept as text: {_LINKS}", logger=_LOGGER)
                    _inlines(ctx, parent, c)
                    continue
                attrs = {"href": href}
                if title:
                    attrs["title"] = title
                _inlines(ctx, ctx.sub(parent, "a", **attrs), c)
                continue
            case NoteRef(label=label):
                _note_ref(ctx, parent, label)
                continue
        assert_never(node)


def image_url(ctx: HtmlContext, src: str) -> str | None:
    """The URL an image's ``src`` is shown from: its asset's (``ctx.asset_src``), else ``ctx.image_src``'s.

    None when the image is left out (reported; the caller keeps its alt text).
    """
    asset = ctx.assets.get(src)
    if asset is None:
        return (ctx.image_src or _web_image)(src)
    if not asset.media_type.lower().startswith("image/"):
        warn(
            "html.image-dropped",
            f"image {_shown(src)!r} left out (its alt text is kept): its file is {asset.media_type}, not an image",
            logger=_LOGGER,
            subject=src.strip(),
        )
        return None
    return (ctx.asset_src or data_uri)(asset)


def _img(ctx: HtmlContext, image: Image, alt: str) -> etree._Element | None:
    """``<img>`` of ``image`` (``alt``: its text alternative), or None when the image is left out."""
    url = image_url(ctx, image.src)
    if url is None:
        return None
    attrs = {"src": url, "alt": alt}
    if image.title:
        attrs["title"] = image.title
    return ctx.el("img", **attrs)


def _note_ref(ctx: HtmlContext, parent: etree._Element, label: str) -> None:
    """The reference to note ``label``, at the end of ``parent``."""
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
                append_text(span, " ")
            for seq in block_inlines(block):
                _inlines(ctx, span, seq)
        parent.append(span)
        return
    if ctx.notes == "footnotes":
        anchor = ctx.sub(
            ctx.sub(parent, "sup"), "a", class_="noteref", href=f"#{note_id(label)}", id=ref_id, role="doc-noteref"
        )
        anchor.text = label
        return
    anchor = ctx.sub(
        ctx.sub(parent, "sup"),
        "a",
        class_="noteref",
        href=f"{ctx.notes_href}#{note_id(label)}",
        id=ref_id,
        role="doc-noteref",
    )
    anchor.text = label
    if ctx.xhtml:
        anchor.set(EPUB_TYPE, "noteref")


def block_element(ctx: HtmlContext, block: Block, heading_offset: int) -> etree._Element:
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
                block_into(ctx, q, b, heading_offset)
            return q
        case BulletList(items=items):
            ul = ctx.el("ul")
            for item in items:
                _item(ctx, ul, item, heading_offset)
            return ul
        case OrderedList(items=items, start=start):
            ol = ctx.el("ol") if start == 1 else ctx.el("ol", start=str(start))
            for item in items:
                _item(ctx, ol, item, heading_offset)
            return ol
        case Figure(caption=caption, image=image):
            fig = ctx.el("figure")
            img = _img(ctx, image, image.alt or plain_text(caption)) if image else None
            if img is not None:
                fig.append(img)
            if not caption and image is not None and img is None and image.alt:
                caption = (Text(image.alt),)  # the image is left out: its alt text stands for it
            if caption:
                cap = ctx.el("figcaption")
                _inlines(ctx, cap, caption)
                fig.append(cap)
            return fig
        case Table():
            return _table(ctx, block)
        case DefinitionList(items=terms):
            dl = ctx.el("dl")
            for term in terms:
                _inlines(ctx, ctx.sub(dl, "dt"), term.term)
                for definition in term.definitions:
                    dd = ctx.sub(dl, "dd")
                    for b in definition:
                        block_into(ctx, dd, b, heading_offset)
            return dl
        case Bibliography():
            return _bibliography(ctx, block, heading_offset)
        case ThematicBreak():
            return ctx.el("hr")
        case CodeBlock(text=t, language=lang):
            code = ctx.el("code", t, **({"class_": f"language-{lang}"} if lang else {}))
            return ctx.el("pre", code)
    assert_never(block)


def _bibliography(ctx: HtmlContext, block: Bibliography, heading_offset: int) -> etree._Element:
    """``<section role="doc-bibliography">``: a heading (its title, else "References") and a list of the entries.

    The heading "References" is in the article's language.  A labelled entry's ``id`` is ``ref-`` + label (as pandoc's),
    what citations link to.
    """
    section = ctx.el("section", class_="references", role="doc-bibliography", epub_type="bibliography")
    h = ctx.el(f"h{min(6, max(1, 1 + heading_offset))}")
    _inlines(ctx, h, block.title or (Text(words_for(ctx.article.metadata.language).references),))
    section.append(h)
    ul = ctx.el("ul")
    for entry in block.entries:
        li = ctx.el("li", class_="csl-entry")
        if entry.label and f"ref-{entry.label}" not in ctx.bib_ids:
            ctx.bib_ids.add(f"ref-{entry.label}")
            li.set("id", f"ref-{entry.label}")
        _inlines(ctx, li, entry.content)
        ul.append(li)
    if len(ul):
        section.append(ul)
    return section


def _shown(url: str) -> str:
    return url if len(url) <= 200 else url[:200] + "..."


_LINKS = "only web, mail, FTP and telephone links and #fragments are kept"


def _web_image(src: str) -> str | None:
    """``src`` when it is an image on the web (the default of :attr:`HtmlContext.image_src`); else reported."""
    if scheme(src) in WEB_SCHEMES and image_allowed(src):
        return src.strip()
    if src.strip():
        warn(
            "html.image-dropped",
            f"image {_shown(src)!r} left out (its alt text is kept): the article does not hold it"
            " and it is not on the web",
            logger=_LOGGER,
            subject=src.strip(),
        )
    return None


def _rows(
    ctx: HtmlContext, group: etree._Element, rows: Sequence[Sequence[TableCell]], aligns: Sequence[str], head: bool
) -> None:
    for row, starts in zip(rows, column_starts(rows), strict=True):
        tr = ctx.sub(group, "tr")
        for cell, col in zip(row, starts, strict=True):
            attrs = {"scope": "col"} if head else {}
            if cell.colspan > 1:
                attrs["colspan"] = str(cell.colspan)
            if cell.rowspan > 1:
                attrs["rowspan"] = str(cell.rowspan)
            align = aligns[col] if col < len(aligns) else ""
            if align:
                attrs["class_"] = f"align-{align}"
            _inlines(ctx, ctx.sub(tr, "th" if head else "td", **attrs), cell.content)


def _table(ctx: HtmlContext, table: Table) -> etree._Element:
    """``<table>``: caption, header rows (``<th scope="col">``), body rows; alignment as ``align-*`` classes."""
    el = ctx.el("table")
    if table.caption:
        _inlines(ctx, ctx.sub(el, "caption"), table.caption)
    if table.head:
        _rows(ctx, ctx.sub(el, "thead"), table.head, table.aligns, True)
    if table.rows:
        _rows(ctx, ctx.sub(el, "tbody"), table.rows, table.aligns, False)
    return el


def _item(ctx: HtmlContext, parent: etree._Element, item: tuple[Block, ...], heading_offset: int) -> None:
    li = ctx.sub(parent, "li")
    for b in item:
        block_into(ctx, li, b, heading_offset)


def block_into(ctx: HtmlContext, parent: etree._Element, block: Block, heading_offset: int) -> None:
    """``block`` at the end of ``parent``: :func:`block_element`'s element, made in place (see :meth:`HtmlContext.sub`)
    for the blocks met most inside others (paragraphs, lists, quotations)."""
    match block:
        case Paragraph(content=c):
            _inlines(ctx, ctx.sub(parent, "p"), c)
            return
        case BulletList(items=items):
            ul = ctx.sub(parent, "ul")
            for item in items:
                _item(ctx, ul, item, heading_offset)
            return
        case OrderedList(items=items, start=start):
            ol = ctx.sub(parent, "ol") if start == 1 else ctx.sub(parent, "ol", start=str(start))
            for item in items:
                _item(ctx, ol, item, heading_offset)
            return
        case BlockQuote(blocks=bs):
            q = ctx.sub(parent, "blockquote")
            for b in bs:
                block_into(ctx, q, b, heading_offset)
            return
        case Heading() | Figure() | Table() | DefinitionList() | Bibliography() | ThematicBreak() | CodeBlock():
            parent.append(block_element(ctx, block, heading_offset))
            return
    assert_never(block)


def body_elements(ctx: HtmlContext, blocks: Sequence[Block] | None = None) -> list[etree._Element]:
    """The article body (or ``blocks``) as elements; body headings start at ``h2``."""
    return [block_element(ctx, b, 1) for b in (ctx.article.body if blocks is None else blocks)]
