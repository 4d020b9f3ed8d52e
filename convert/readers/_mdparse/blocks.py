"""The block stage: lines into IR blocks (headings, paragraphs, quotes, lists, code, divs, footnotes).

A line-based parser; containers are parsed by recursion on their dedented
lines, no deeper than :data:`~.document.MAX_NESTING`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    Figure,
    Heading,
    Image,
    Inline,
    OrderedList,
    Paragraph,
    Text,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines
from .document import MAX_NESTING, Document, FootnoteDef
from .inlines import DROP_CONTENT, InlineImage, Inliner, flatten_images, parse_inlines

__all__ = ["parse_blocks"]

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$")
_DIV_OPEN = re.compile(r"^ {0,3}(:{3,})[ \t]*\{?[ \t]*\.?([A-Za-z][\w-]*)[ \t]*\}?[ \t]*$")
_DIV_CLOSE = re.compile(r"^ {0,3}(:{3,})[ \t]*$")
_BULLET = re.compile(r"^( {0,3})([-*+])([ \t]+|$)(.*)$")
_ORDERED = re.compile(r"^( {0,3})(\d{1,9})([.)])([ \t]+|$)(.*)$")
_FOOTDEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_SETEXT1 = re.compile(r"^ {0,3}=+[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_QUOTE_MARKERS = re.compile(r"^(?: {0,3}> ?)+")
#: The HTML elements whose content is never text run, as a block, to their end tag.
_HTML_BLOCK = re.compile(r"^ {0,3}<(" + "|".join(sorted(DROP_CONTENT)) + r")(?![\w-])", re.I)
_HTML_COMMENT_BLOCK = re.compile(r"^ {0,3}<!--")


class _Marker(NamedTuple):
    """A list item marker at the start of a line."""

    ordered: bool
    number: int
    #: Column where the item's content starts (continuation lines are indented this far).
    offset: int
    #: The rest of the marker line.
    content: str


def _list_marker(line: str) -> _Marker | None:
    """The list item marker that starts ``line``, if any."""
    m = _BULLET.match(line)
    if m and not _HR.match(line):
        indent, _, pad, content = m.groups()
        width = len(pad) if content else 1
        return _Marker(False, 0, len(indent) + 1 + min(width, 4), content)
    m = _ORDERED.match(line)
    if m:
        indent, number, _, pad, content = m.groups()
        width = len(pad) if content else 1
        return _Marker(True, int(number), len(indent) + len(number) + 1 + min(width, 4), content)
    return None


def _indent_width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_indented(line: str) -> bool:
    return line.startswith(("    ", "\t"))


def _dedent4(line: str) -> str:
    return line[4:] if line.startswith("    ") else line[1:]


def _figure_from_blocks(blocks: list[Block]) -> Figure:
    """The figure of a ``::: figure`` div: its image, and its paragraphs as the caption."""
    image: Image | None = None
    image_caption: tuple[Inline, ...] = ()
    caption: list[Inline] = []
    for block in blocks:
        if isinstance(block, Figure):
            image, image_caption = block.image, block.caption
        elif isinstance(block, Paragraph):
            if caption:
                caption.append(Text(" "))
            caption.extend(block.content)
    return Figure(normalize_inlines(caption) if caption or image else image_caption, image)


class _BlockParser:
    """Line-based block parser; containers are parsed by recursion on their dedented lines."""

    def __init__(self, scraper: bool) -> None:
        self.scraper = scraper
        self.footnotes: list[FootnoteDef] = []
        self.depth = 0
        # searches for a closing line that failed fail again further down the same lines:
        # kind -> (the lines, first line searched, shortest fence); keeps the parser linear
        self.unclosed: dict[str, tuple[list[str], int, int]] = {}

    # ------------------------------------------------------------------ helpers

    @property
    def nesting_ok(self) -> bool:
        """Whether another container may open at the current depth."""
        return self.depth < MAX_NESTING

    def starts_block(self, line: str) -> bool:
        """Whether ``line`` starts a block that interrupts a paragraph or a lazy continuation."""
        if _ATX.match(line) or _HR.match(line) or _FENCE.match(line) or _HTML_BLOCK.match(line):
            return True
        if _DIV_OPEN.match(line) or _DIV_CLOSE.match(line):
            return True
        return self.nesting_ok and bool(_QUOTE.match(line) or _FOOTDEF.match(line))

    def interrupts_paragraph(self, line: str) -> bool:
        """Whether the list item on ``line`` ends the paragraph above it.

        Clean Markdown: any item does.  Page dumps wrap lines anywhere, so
        there only a bullet or an item numbered 1 with some text does (as in
        CommonMark).
        """
        if not self.nesting_ok:
            return False
        marker = _list_marker(line)
        if marker is None:
            return False
        if not self.scraper:
            return True
        return bool(marker.content.strip()) and (not marker.ordered or marker.number == 1)

    def inlines(self, text: str) -> tuple[Inline, ...]:
        return parse_inlines(text, scraper=self.scraper)

    def nested(self, lines: list[str]) -> list[Block]:
        """Blocks of a container's content, one level deeper."""
        self.depth += 1
        try:
            return self.parse(lines)
        finally:
            self.depth -= 1

    # ------------------------------------------------------------------ driver

    def parse(self, lines: list[str]) -> list[Block]:
        """Blocks of ``lines`` (footnote definitions are collected in ``self.footnotes``)."""
        blocks: list[Block] = []
        i = 0
        while i < len(lines):
            if lines[i].strip():
                i = self.block(lines, i, blocks)
            else:
                i += 1
        return blocks

    def block(self, lines: list[str], i: int, out: list[Block]) -> int:
        """Parse the block starting at non-blank line ``i`` into ``out``; return the next line."""
        line = lines[i]
        if m := _FENCE.match(line):
            end = self.fence_end(lines, i, m.group(1))
            if end is not None:
                out.append(CodeBlock("\n".join(lines[i + 1 : end]), m.group(2)))
                return end + 1
            # unterminated: the code runs to the end; in a page dump, whose saving cut it short, to a blank line
            stop = i + 1
            while stop < len(lines) and (not self.scraper or lines[stop].strip()):
                stop += 1
            body = lines[i + 1 : stop]
            while body and not body[-1].strip():
                body.pop()
            out.append(CodeBlock("\n".join(body), m.group(2)))
            return stop
        end = self.html_block_end(lines, i)
        if end is not None:
            return end
        if m := _ATX.match(line):
            out.append(Heading(len(m.group(1)), self.inlines(m.group(2) or "")))
            return i + 1
        if _HR.match(line):
            out.append(ThematicBreak())
            return i + 1
        if _DIV_CLOSE.match(line):
            return i + 1  # a stray closing fence
        if self.nesting_ok:
            if m := _DIV_OPEN.match(line):
                return self.div(lines, i, m.group(2), out)
            if m := _FOOTDEF.match(line):
                return self.footnote(lines, i, m.group(1), m.group(2))
            if _QUOTE.match(line):
                return self.quote(lines, i, out)
            if _list_marker(line):
                return self.list(lines, i, out)
        return self.paragraph(lines, i, out)

    # ------------------------------------------------------------------ leaf blocks

    def known_unclosed(self, kind: str, lines: list[str], i: int, length: int = 0) -> bool:
        """Whether a search for a closing line of ``kind`` from ``i`` on already failed."""
        cached = self.unclosed.get(kind)
        return cached is not None and cached[0] is lines and i >= cached[1] and length >= cached[2]

    def fence_end(self, lines: list[str], i: int, fence: str) -> int | None:
        """Index of the line closing the code fence opened at ``i``, if any."""
        kind = "fence" + fence[0]
        if self.known_unclosed(kind, lines, i, len(fence)):
            return None
        for j in range(i + 1, len(lines)):
            stripped = lines[j].strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                return j
        self.unclosed[kind] = (lines, i, len(fence))
        return None

    def html_block_end(self, lines: list[str], i: int) -> int | None:
        """Index after an HTML block of dropped content (script, comment...) at ``i``, if it is closed."""
        line = lines[i]
        if m := _HTML_BLOCK.match(line):
            kind = m.group(1).lower()
            closing = re.compile(rf"</{kind}(?![\w-])[^<>]*>", re.I)
            start = m.end()
        elif m := _HTML_COMMENT_BLOCK.match(line):
            kind = "!--"
            closing = re.compile(r"-->")
            start = m.end()
        else:
            return None
        if self.known_unclosed(kind, lines, i):
            return None
        for j in range(i, len(lines)):
            found = closing.search(lines[j], start if j == i else 0)
            if found is not None:
                # a comment that does not end its line ("<!-- x --> text") is part of a paragraph
                if kind == "!--" and lines[j][found.end() :].strip():
                    return None
                return j + 1
        self.unclosed[kind] = (lines, i, 0)
        return None

    def paragraph(self, lines: list[str], i: int, out: list[Block]) -> int:
        """A paragraph (or a setext heading) from line ``i`` on."""
        para = [self.unquoted(lines[i])]
        i += 1
        while i < len(lines):
            line = lines[i]
            if not line.strip() or self.starts_block(line) or _SETEXT1.match(line):
                break
            if self.interrupts_paragraph(line):
                break
            para.append(self.unquoted(line))
            i += 1
        if i < len(lines) and _SETEXT1.match(lines[i]):
            out.append(Heading(1, self.inlines("\n".join(para))))
            return i + 1
        block = self.paragraph_block("\n".join(para))
        if block is not None:
            out.append(block)
        return i

    def unquoted(self, line: str) -> str:
        """A paragraph line; past the nesting limit, quote markers are dropped instead of nested."""
        return line if self.nesting_ok else _QUOTE_MARKERS.sub("", line)

    def paragraph_block(self, text: str) -> Block | None:
        """A paragraph's block: a figure when it is a single image, None when nothing is left."""
        nodes = Inliner(text, self.scraper).run()
        visible = [node for node in nodes if not (isinstance(node, Text) and not node.text.strip())]
        if len(visible) == 1 and isinstance(visible[0], InlineImage):
            image = visible[0]  # a paragraph that is a single image is a figure (pandoc's implicit figure)
            # a refused image (no src): its caption alone
            return Figure(image.caption, Image(image.src, image.alt) if image.src else None)
        content = normalize_inlines(flatten_images(nodes))
        # an empty paragraph carried only markup (an HTML comment, a dropped tag)
        return Paragraph(content) if content else None

    # ------------------------------------------------------------------ containers

    def div(self, lines: list[str], i: int, kind: str, out: list[Block]) -> int:
        """A fenced div ``::: kind``: a figure, or transparent for any other kind."""
        depth = 1
        j = i + 1
        while j < len(lines):
            if _DIV_OPEN.match(lines[j]):
                depth += 1
            elif _DIV_CLOSE.match(lines[j]):
                depth -= 1
                if depth == 0:
                    break
            j += 1
        inner = self.nested(lines[i + 1 : j])
        if kind == "figure":
            out.append(_figure_from_blocks(inner))
        else:
            out.extend(inner)
        return j + 1

    def footnote(self, lines: list[str], i: int, label: str, first: str) -> int:
        """A footnote definition: indented continuation lines, or lazy ones after text."""
        body = [first]
        i += 1
        while i < len(lines):
            line = lines[i]
            if _is_indented(line):
                body.append(_dedent4(line))
            elif not line.strip():
                if not (i + 1 < len(lines) and _is_indented(lines[i + 1])):
                    break
                body.append("")
            elif body[-1].strip() and not self.starts_block(line) and not _list_marker(line):
                body.append(line)  # lazy continuation
            else:
                break
            i += 1
        self.footnotes.append(FootnoteDef(label, tuple(self.nested(body))))
        return i

    def quote(self, lines: list[str], i: int, out: list[Block]) -> int:
        """A block quote: ``>`` lines, and lazy continuation lines after text."""
        body: list[str] = []
        while i < len(lines):
            line = lines[i]
            if m := _QUOTE.match(line):
                body.append(m.group(1))
            elif line.strip() and body and body[-1].strip() and not self.starts_block(line):
                body.append(line)  # lazy continuation
            else:
                break
            i += 1
        out.append(BlockQuote(tuple(self.nested(body))))
        return i

    def list(self, lines: list[str], i: int, out: list[Block]) -> int:
        """A bullet or ordered list; it ends at a line of the other kind or at other text."""
        first = _list_marker(lines[i])
        assert first is not None
        items: list[tuple[Block, ...]] = []
        n = len(lines)
        while True:
            marker = _list_marker(lines[i])
            assert marker is not None
            body = [marker.content]
            i += 1
            while i < n:
                line = lines[i]
                if not line.strip():
                    following = lines[i + 1] if i + 1 < n else ""
                    if following.strip() and _indent_width(following) >= marker.offset:
                        body.append("")
                        i += 1
                        continue
                    break
                if _indent_width(line) >= marker.offset:
                    body.append(line[marker.offset :])
                elif _list_marker(line) or self.starts_block(line):
                    break
                else:
                    body.append(line)  # lazy continuation
                i += 1
            items.append(tuple(self.nested(body)))
            # the list goes on after blank lines if another item of its kind follows
            j = i
            while j < n and not lines[j].strip():
                j += 1
            following_marker = _list_marker(lines[j]) if j < n else None
            if following_marker is None or following_marker.ordered != first.ordered:
                break
            i = j
        out.append(OrderedList(tuple(items), first.number) if first.ordered else BulletList(tuple(items)))
        return i


def parse_blocks(text: str, *, scraper: bool = False) -> Document:
    """Parse Markdown text (``\\n`` line ends) into blocks and footnote definitions."""
    parser = _BlockParser(scraper)
    blocks = parser.parse(text.split("\n"))
    return Document(blocks, parser.footnotes)


