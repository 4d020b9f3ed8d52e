"""The main content of a page as trafilatura finds it, as IR blocks (when :mod:`.extract` finds too little).

trafilatura finds the main content (its own rules, with readability and jusText as fallbacks) and
gives it as a small XML tree: ``head``, ``p``, ``list``/``item``, ``quote``, ``table``/``row``/
``cell``, ``graphic``, ``code``, ``hi`` (``rend="#b"``, ``#i``, ``#u``, ``#t``, ``#sub``,
``#sup``), ``ref``, ``lb``, ``del``.  :func:`blocks_from_xml` maps that tree to the IR's blocks and
inlines, one element kind to one node kind; what has no place (an empty element, a comment) is
left out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
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
)
from ...ir.walk import normalize_inlines
from ...urls import image_allowed, link_url, scheme

__all__ = ["blocks_from_xml"]


def _href(target: str, base: str) -> str:
    """``target`` resolved against ``base``; ``""`` when no output may link to it (script URLs)."""
    target = (target or "").strip()
    if not target:
        return ""
    if base and not scheme(target) and not target.startswith("#"):
        target = urljoin(base, target)
    return link_url(target) or ""


def _src(src: str, base: str) -> str:
    """An image's ``src`` resolved against ``base``; ``""`` when it may not be shown."""
    src = (src or "").strip()
    if base and src and not scheme(src):
        src = urljoin(base, src)
    return src if src and image_allowed(src) else ""


class _Converter:
    def __init__(self, base: str) -> None:
        self.base = base

    # ------------------------------------------------------------------ inlines
    def inlines(self, el: Any) -> tuple[Inline, ...]:
        out: list[Inline] = []
        if el.text:
            out.append(Text(el.text))
        for child in el:
            out.extend(self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return normalize_inlines(out)

    def inline(self, el: Any) -> list[Inline]:
        tag = el.tag if isinstance(el.tag, str) else ""
        content = self.inlines(el) if tag not in ("lb", "graphic") else ()
        if tag == "lb":
            return [LineBreak()]
        if tag == "graphic":
            src = _src(el.get("src") or "", self.base)
            return [Image(src, el.get("alt") or "", el.get("title") or "")] if src else []
        if tag == "ref":
            href = _href(el.get("target") or "", self.base)
            return [Link(content, href)] if href and content else list(content)
        if tag == "hi":
            rend = el.get("rend") or ""
            if not content:
                return []
            if "#b" in rend:
                return [Strong(content)]
            if "#i" in rend or "#u" in rend:
                return [Emph(content)]
            if "#t" in rend:
                return [Code(_text(el))]
            if "#sup" in rend:
                return [Superscript(content)]
            if "#sub" in rend:
                return [Subscript(content)]
            return list(content)
        if tag == "del":
            return [Strikeout(content)] if content else []
        if tag == "code":
            return [Code(_text(el))]
        return list(content)

    # ------------------------------------------------------------------ blocks
    def blocks(self, el: Any) -> list[Block]:
        out: list[Block] = []
        pending: list[Inline] = []

        def flush() -> None:
            content = normalize_inlines(pending)
            pending.clear()
            if content:
                out.append(Paragraph(content))

        if el.text and el.text.strip():
            pending.append(Text(el.text))
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS:
                flush()
                out.extend(self.block(child))
            elif tag:
                pending.extend(self.inline(child))
            if child.tail and child.tail.strip():
                pending.append(Text(child.tail))
        flush()
        return out

    def block(self, el: Any) -> list[Block]:
        tag = el.tag
        if tag == "p":
            nested = any(c.tag in _NESTED_BLOCKS for c in el if isinstance(c.tag, str))
            return self.blocks(el) if nested else self._para(el)
        if tag == "head":
            content = self.inlines(el)
            rend = el.get("rend") or "h2"
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            return [Heading(max(1, min(6, level - 1)), content)] if content else []
        if tag == "list":
            items = tuple(tuple(self.blocks(item)) for item in el if item.tag == "item")
            items = tuple(i for i in items if i)
            if not items:
                return []
            return [OrderedList(items)] if (el.get("rend") or "").lower() == "ol" else [BulletList(items)]
        if tag == "quote":
            inner = self.blocks(el)
            return [BlockQuote(tuple(inner))] if inner else []
        if tag == "code":
            text = _text(el).strip("\n")
            return [CodeBlock(text)] if text.strip() else []
        if tag == "graphic":
            images = self.inline(el)
            return [Figure((), images[0])] if images and isinstance(images[0], Image) else []
        if tag == "table":
            return self._table(el)
        if tag in ("div", "main", "section", "item", "cell"):
            return self.blocks(el)
        return self._para(el)

    def _para(self, el: Any) -> list[Block]:
        content = self.inlines(el)
        if len(content) == 1 and isinstance(content[0], Image):
            return [Figure((), content[0])]
        return [Paragraph(content)] if content else []

    def _table(self, el: Any) -> list[Block]:
        head: list[tuple[TableCell, ...]] = []
        rows: list[tuple[TableCell, ...]] = []
        for row in el.iter("row"):
            cells = tuple(
                TableCell(self.inlines(cell), max(1, _int(cell.get("cols"))), max(1, _int(cell.get("rows"))))
                for cell in row
                if cell.tag == "cell"
            )
            if not cells:
                continue
            is_head = all((cell.get("role") or "") == "head" for cell in row if cell.tag == "cell")
            (head if is_head and not rows else rows).append(cells)
        if not rows and not head:
            return []
        width = max(sum(c.colspan for c in r) for r in (*head, *rows))
        rows = [r + tuple(TableCell(()) for _ in range(width - sum(c.colspan for c in r))) for r in rows]
        head = [r + tuple(TableCell(()) for _ in range(width - sum(c.colspan for c in r))) for r in head]
        try:
            return [Table(tuple(head), tuple(rows))]
        except (TypeError, ValueError):
            # spans the table model cannot hold: keep the text of each cell as paragraphs
            return [Paragraph(c.content) for r in (*head, *rows) for c in r if c.content]


_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "code", "table", "graphic", "div", "main", "section"})
#: Elements that make a ``p`` holding them a container of blocks (``code`` and ``graphic`` in a ``p`` are inline).
_NESTED_BLOCKS = _BLOCK_TAGS - {"code", "graphic"}


def _int(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


def _text(el: Any) -> str:
    return "".join(el.itertext())


def blocks_from_xml(main: Any, base: str = "") -> tuple[Block, ...]:
    """IR blocks of trafilatura's ``<main>`` element (links and images resolved against ``base``)."""
    return tuple(_Converter(base).blocks(main))
