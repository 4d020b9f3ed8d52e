"""An HTML element (the article :mod:`.extract` found) as IR blocks.

One HTML element kind to one IR node kind: ``p`` a paragraph (two ``<br>`` in a row part it),
``h1``-``h6`` headings (``h1`` and ``h2`` the first level: the page's ``h1`` is usually the title,
which is metadata), ``ul``/``ol`` lists, ``blockquote``, ``pre`` a code block (its language from
a ``language-*`` class), a data table a table (``th`` rows on top its head, spans kept, its
``caption``), ``figure`` with its ``img`` and ``figcaption`` a figure, an image standing alone a
figure, ``dl`` a definition list, ``hr`` a break.  Containers (``div``, ``section``, a layout
table's cells...) give their blocks in order, loose text in them becoming paragraphs; quotes and
lists deeper than :data:`MAX_NESTING` levels give their content only.  Inline: links (resolved
against the page's address; script links dropped), emphasis, strong, code, sub- and
superscripts, struck text, line breaks, images (only those that may be shown).
"""

from __future__ import annotations

from typing import Any

from convert.recache import compile as recompile

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines
from .body import _href, _src
from .cleanup import data_table, span

__all__ = ["MAX_NESTING", "html_blocks"]

#: Quotes and lists nested deeper than this are read as their content (no writer needs more, some
#: cannot take hundreds of levels).
MAX_NESTING = 16

_LANGUAGE = recompile(r"(?:^|\s)(?:language|lang|highlight-source|brush:?)-?([\w+#-]+)")
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "thead", "tfoot", "tr", "td", "th", "ul", "img", "picture", "video", "audio", "iframe", "body",
    }
)  # fmt: skip
_WRAPPERS: dict[str, type[Emph | Strong | Strikeout | Superscript | Subscript]] = {
    "em": Emph, "i": Emph, "cite": Emph, "dfn": Emph, "var": Emph, "u": Emph, "ins": Emph,
    "strong": Strong, "b": Strong, "del": Strikeout, "s": Strikeout, "strike": Strikeout,
    "sub": Subscript, "sup": Superscript,
}  # fmt: skip
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_SKIP = frozenset({"script", "style", "noscript", "template", "button", "input", "select", "textarea", "svg"})


def _is_block(el: Any) -> bool:
    """Whether ``el`` is a block or holds one (an inline element around a ``div``)."""
    if el.tag in _BLOCKS:
        return bool(el.tag != "img")
    return any(isinstance(d.tag, str) and d.tag in _BLOCKS and d.tag != "img" for d in el.iterdescendants())


class _Converter:
    def __init__(self, base: str) -> None:
        self.base = base
        self.depth = 0  # quotes and lists around the element being read

    def nested(self, el: Any) -> list[Block]:
        """The blocks of a quote's or list item's content, one level deeper."""
        self.depth += 1
        try:
            return self.blocks(el)
        finally:
            self.depth -= 1

    # ------------------------------------------------------------------ inlines
    def inlines(self, el: Any) -> tuple[Inline, ...]:
        """The inline content of ``el``, normalised (one pass over the whole, nested content too)."""
        return normalize_inlines(self.raw_inlines(el))

    def raw_inlines(self, el: Any) -> list[Inline]:
        out: list[Inline] = []
        if el.text:
            out.append(Text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                out.extend(self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return out

    def inline(self, el: Any) -> list[Inline]:
        tag = el.tag
        if tag in _SKIP:
            return []
        if tag == "br":
            return [LineBreak()]
        if tag == "img":
            src = _src(el.get("src") or el.get("data-src") or "", self.base)
            return [Image(src, el.get("alt") or "", el.get("title") or "")] if src else []
        if tag in _CODE:
            text = el.text_content()
            return [Code(text)] if text.strip() else []
        content = self.raw_inlines(el)
        wrapper = _WRAPPERS.get(tag)
        href = _href(el.get("href") or "", self.base) if tag == "a" else ""
        if not (wrapper or href) or not content:
            return content
        if not any(not isinstance(n, Text | LineBreak) or (isinstance(n, Text) and n.text.strip()) for n in content):
            return [Text(" ")] if any(isinstance(n, Text) and n.text for n in content) else []
        # white space at the edges of an element is the text's, not the element's (``a<em> b </em>c``)
        before = [Text(" ")] if isinstance(content[0], Text) and content[0].text[:1].isspace() else []
        after = [Text(" ")] if isinstance(content[-1], Text) and content[-1].text[-1:].isspace() else []
        if href:
            return [*before, Link(tuple(content), href), *after]
        assert wrapper is not None
        return [*before, wrapper(tuple(content)), *after]

    # ------------------------------------------------------------------ blocks
    def blocks(self, el: Any) -> list[Block]:
        """The blocks of a container: its block children, its loose text and inlines as paragraphs."""
        out: list[Block] = []
        pending: list[Inline] = []

        def flush() -> None:
            out.extend(_paragraphs(normalize_inlines(pending)))
            pending.clear()

        if el.text:
            pending.append(Text(el.text))
        for child in el:
            if isinstance(child.tag, str) and child.tag not in _SKIP:
                if _is_block(child):
                    flush()
                    out.extend(self.block(child))
                else:
                    pending.extend(self.inline(child))
            if child.tail:
                pending.append(Text(child.tail))
        flush()
        return out

    def block(self, el: Any) -> list[Block]:
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            content = self.inlines(el)
            return [Heading(max(1, int(tag[1]) - 1), content)] if content else []
        if tag in ("ul", "ol", "menu", "blockquote") and self.depth >= MAX_NESTING:
            return [
                b for child in (el.iterchildren("li") if tag != "blockquote" else (el,)) for b in self.blocks(child)
            ]
        if tag in ("ul", "ol", "menu"):
            return self._list(el)
        if tag == "blockquote":
            inner = self.nested(el)
            return [BlockQuote(tuple(inner))] if inner else []
        if tag == "pre":
            text = el.text_content().strip("\n")
            if not text.strip():
                return []
            match = _LANGUAGE.search(" ".join(f"{c.get('class') or ''}" for c in (el, *el.iter("code"))))
            return [CodeBlock(text, match.group(1) if match else "")]
        if tag == "table":
            return self._table(el) if data_table(el) else self._cells(el)
        if tag == "figure":
            return self._figure(el)
        if tag == "dl":
            return self._definitions(el)
        if tag == "hr":
            return [ThematicBreak()]
        if tag == "p" and not any(_is_block(c) for c in el if isinstance(c.tag, str)):
            return _paragraphs(self.inlines(el))
        return self.blocks(el)

    def _list(self, el: Any) -> list[Block]:
        items = tuple(tuple(self.nested(li)) for li in el if li.tag == "li")
        items = tuple(item for item in items if item)
        if not items:
            return []
        if el.tag == "ol":
            return [OrderedList(items, span(el.get("start")))]
        return [BulletList(items)]

    def _figure(self, el: Any) -> list[Block]:
        captions = list(el.iter("figcaption"))
        caption = normalize_inlines([n for c in captions for n in (*self.inlines(c), Text(" "))])
        for c in captions:
            c.getparent().remove(c)
        images = self.blocks(el)
        if len(images) == 1 and isinstance(images[0], Figure):
            return [Figure(caption, images[0].image)]
        return [*images, Figure(caption)] if caption else images

    def _definitions(self, el: Any) -> list[Block]:
        items: list[DefinitionItem] = []
        term: tuple[Inline, ...] = ()
        definitions: list[tuple[Block, ...]] = []
        for child in el:
            if child.tag == "dt":
                if term or definitions:
                    items.append(DefinitionItem(term, tuple(definitions)))
                term, definitions = self.inlines(child), []
            elif child.tag == "dd":
                definitions.append(tuple(self.blocks(child)))
        if term or definitions:
            items.append(DefinitionItem(term, tuple(definitions)))
        return [DefinitionList(tuple(items))] if items else []

    def _cells(self, el: Any) -> list[Block]:
        """A layout table: the blocks of its cells, in order."""
        out: list[Block] = []
        for cell in el.iter("td", "th", "caption"):
            if not any(True for _ in cell.iterancestors("td", "th")) or cell.tag == "caption":
                out.extend(self.blocks(cell))
        return out

    def _table(self, el: Any) -> list[Block]:
        head: list[tuple[TableCell, ...]] = []
        rows: list[tuple[TableCell, ...]] = []
        for row in el.iter("tr"):
            if next(row.iterancestors("table")) is not el:
                continue  # a row of a table inside a cell
            cells = [c for c in row if c.tag in ("td", "th")]
            if not cells:
                continue
            parts = tuple(TableCell(self.inlines(c), span(c.get("colspan")), span(c.get("rowspan"))) for c in cells)
            in_head = row.getparent() is not None and row.getparent().tag == "thead"
            (head if (in_head or all(c.tag == "th" for c in cells)) and not rows else rows).append(parts)
        if not rows and not head:
            return []
        caption_el = el.find("caption")
        caption = self.inlines(caption_el) if caption_el is not None else ()
        width = max(sum(c.colspan for c in r) for r in (*head, *rows))
        pad = [r + tuple(TableCell(()) for _ in range(width - sum(c.colspan for c in r))) for r in (*head, *rows)]
        try:
            return [Table(tuple(pad[: len(head)]), tuple(pad[len(head) :]), caption=caption)]
        except (TypeError, ValueError):
            # spans the table model cannot hold: each cell's text as a paragraph
            return [Paragraph(c.content) for r in pad for c in r if c.content]


def _paragraphs(content: tuple[Inline, ...]) -> list[Block]:
    """``content`` as paragraphs: two line breaks in a row (blank text between) part them, as on the page.

    An image alone is a figure; line breaks at either end are dropped.
    """
    parts: list[list[Inline]] = [[]]
    breaks: list[Inline] = []  # line breaks (and blank text between them) not yet placed
    for node in content:
        if isinstance(node, LineBreak) or (breaks and isinstance(node, Text) and not node.text.strip()):
            breaks.append(node)
            continue
        if sum(isinstance(b, LineBreak) for b in breaks) >= 2:
            parts.append([])
        elif breaks:
            parts[-1].extend(breaks)
        breaks = []
        parts[-1].append(node)
    out: list[Block] = []
    for part in parts:
        inlines = normalize_inlines(part)
        while inlines and isinstance(inlines[0], LineBreak):
            inlines = inlines[1:]
        if len(inlines) == 1 and isinstance(inlines[0], Image):
            out.append(Figure((), inlines[0]))
        elif inlines:
            out.append(Paragraph(inlines))
    return out


def html_blocks(el: Any, base: str = "") -> tuple[Block, ...]:
    """The IR blocks of the HTML element ``el`` (links and images resolved against ``base``)."""
    return tuple(_Converter(base).blocks(el))
