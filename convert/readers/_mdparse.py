"""A small Markdown parser into IR nodes, shared by the ``md`` and ``article`` readers.

It understands the Markdown that artconv writes (pandoc-flavoured: YAML front
matter is split off by the reader, footnotes ``[^x]``, fenced divs ``:::``)
and what scrapers save: ATX headings, paragraphs, ``>`` quotes, lists, fenced
code, thematic breaks, links, autolinks, emphasis, code spans and stray HTML
(tags are dropped, never passed through; ``script``/``style`` lose their
content too).  It is not a full CommonMark implementation: it aims at the
inputs artconv meets and at reading its own output back exactly.

Two modes: the default reads clean Markdown; ``scraper=True`` is for page
dumps, where every backslash before punctuation is a stray escape, links to
``#fragments`` are dead page furniture, a list item interrupts a paragraph
only as CommonMark allows (lines are wrapped anywhere), and an unterminated
code fence ends at the next blank line instead of swallowing the rest.

The parser is linear in the size of its input, and bounded in depth:
containers (quotes, lists, divs, notes) and inline containers (emphasis,
links) deeper than :data:`MAX_NESTING` are flattened instead of nested, so
no input can exhaust the stack of the parser or of the writers.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import warn
from ..ir.model import (
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
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ..ir.walk import normalize_inlines, plain_text, walk_inlines
from ..urls import REFUSED_LINK_SCHEMES

__all__ = ["MAX_NESTING", "Document", "FootnoteDef", "clean_url", "parse_blocks", "parse_inlines"]

#: Deepest nesting of block containers, and of inline containers, that the parser builds.
MAX_NESTING = 32


# =========================================================================== blocks

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
#: HTML elements whose content is never text; as a block they run to their end tag.
_DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"})
_HTML_BLOCK = re.compile(r"^ {0,3}<(" + "|".join(sorted(_DROP_CONTENT)) + r")(?![\w-])", re.I)
_HTML_COMMENT_BLOCK = re.compile(r"^ {0,3}<!--")


@dataclass(frozen=True)
class FootnoteDef:
    """A ``[^label]: ...`` definition found while parsing."""

    label: str
    blocks: tuple[Block, ...]


@dataclass
class Document:
    """Parsed blocks plus the footnote definitions that were lifted out of them."""

    blocks: list[Block] = field(default_factory=list)
    footnotes: list[FootnoteDef] = field(default_factory=list)


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
    src = alt = ""
    image_caption: tuple[Inline, ...] = ()
    caption: list[Inline] = []
    for block in blocks:
        if isinstance(block, Figure):
            src, alt, image_caption = block.src, block.alt, block.caption
        elif isinstance(block, Paragraph):
            if caption:
                caption.append(Text(" "))
            caption.extend(block.content)
    return Figure(normalize_inlines(caption) if caption or src else image_caption, src, alt)


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
        nodes = _Inliner(text, self.scraper).run()
        visible = [node for node in nodes if not (isinstance(node, Text) and not node.text.strip())]
        if len(visible) == 1 and isinstance(visible[0], _Image):
            image = visible[0]  # a paragraph that is a single image is a figure (pandoc's implicit figure)
            return Figure(image.caption, image.src, image.alt if image.src else "")  # a refused image: its caption
        content = normalize_inlines(_flatten_images(nodes))
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


# =========================================================================== inlines

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: A run of characters with no inline meaning (everything else is looked at one by one).
_PLAIN_RUN = re.compile(r"[^\\\n`<!\[\]*_]+")
_BACKSLASHES = re.compile(r"\\+")
_ESCAPED = re.compile(r"\\+(.?)", re.S)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_EMAIL_AUTOLINK = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_LINK_DEST = re.compile(
    r"\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"  # destination, bare or <...>, with balanced ()
    r"(?:\s+(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'))?\s*\)"  # optional title
)
_UNSAFE_SCHEMES = tuple(f"{scheme}:" for scheme in REFUSED_LINK_SCHEMES)


def _unescape_run(m: re.Match[str], scraper: bool) -> str:
    run = len(m.group(0)) - len(m.group(1))
    nxt = m.group(1)
    if nxt and nxt in _ASCII_PUNCT:
        return nxt if scraper else "\\" * (run // 2) + nxt
    return "\\" * (run // 2 + run % 2) + nxt


def _unescape(text: str, scraper: bool) -> str:
    """Undo backslash escapes: ``\\x`` is ``x`` for ASCII punctuation, ``\\\\`` is ``\\``.

    In scraper mode every backslash before punctuation is a stray escape and goes.
    """
    return _ESCAPED.sub(lambda m: _unescape_run(m, scraper), text) if "\\" in text else text


def _is_unsafe_url(url: str) -> bool:
    """Whether ``url`` has a script-bearing scheme, however it is disguised.

    Browsers ignore whitespace and control characters inside a scheme and
    decode character references in attributes, so both are undone first.
    """
    for candidate in (url, html.unescape(url)) if "&" in url else (url,):
        squeezed = "".join(ch for ch in candidate[:64] if ch > " " and ch != "\x7f").lower()
        if squeezed.startswith(_UNSAFE_SCHEMES):
            return True
    return False


def clean_url(url: str, scraper: bool = False) -> str:
    """Undo escapes in a link destination; refuse script-bearing schemes (returns "")."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    url = _unescape(url, scraper).strip()
    if _is_unsafe_url(url):
        shown = url if len(url) <= 200 else url[:200] + "..."
        message = f"link to {shown!r} kept as text: links that run code or read local files are never kept"
        warn("markdown.link-refused", message, logger=__name__)
        return ""
    return url


def _is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"  # CommonMark: Unicode punctuation and symbols


@dataclass(frozen=True)
class _Image:
    """An image met inline; a Figure when alone in its paragraph, else its alt text."""

    src: str
    alt: str
    caption: tuple[Inline, ...]


_Node = Inline | _Image


def _flatten_images(nodes: Iterable[_Node]) -> list[Inline]:
    """``nodes`` with each image replaced by its alt text (nested ones already were)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, _Image):
            out.extend(node.caption)
        else:
            out.append(node)
    return out


def _splice_links(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``content`` with each link replaced by its content (walked into a link: a link inside a link is not a link)."""
    if not any(isinstance(node, Link) for node in content):
        return content
    return tuple(inner for node in content for inner in (node.content if isinstance(node, Link) else (node,)))


class _Delim:
    """A run of ``*`` or ``_`` that may open or close emphasis (an entry of the delimiter stack)."""

    __slots__ = ("can_close", "can_open", "char", "count", "lower", "seq", "tok", "upper")

    def __init__(self, char: str, count: int, can_open: bool, can_close: bool, seq: int) -> None:
        self.char = char
        self.count = count
        self.can_open = can_open
        self.can_close = can_close
        #: Position in the order of appearance (compares delimiters without walking the stack).
        self.seq = seq
        self.lower: _Delim | None = None
        self.upper: _Delim | None = None
        self.tok: _Tok | None = None

    def text(self) -> str:
        return self.char * self.count


class _Opener:
    """A ``[`` or ``![`` waiting for its ``](destination)``."""

    __slots__ = ("image", "stack_top", "tok")

    def __init__(self, image: bool, stack_top: int) -> None:
        self.image = image
        #: ``seq`` of the topmost delimiter when the bracket opened: emphasis inside the link is above it.
        self.stack_top = stack_top
        self.tok: _Tok | None = None


_Value = str | _Node | _Delim | _Opener


class _Tok:
    """A cell of the doubly linked token list: text, a finished node, a delimiter run or a bracket."""

    __slots__ = ("depth", "next", "prev", "value")

    def __init__(self, value: _Value, depth: int = 0) -> None:
        self.value = value
        #: How deeply the node of this token nests inline containers.
        self.depth = depth
        self.prev: _Tok | None = None
        self.next: _Tok | None = None


def _odd_match(opener: _Delim, closer: _Delim) -> bool:
    """CommonMark's "rule of 3", on the runs' remaining lengths."""
    return (
        (opener.can_close or closer.can_open)
        and (opener.count + closer.count) % 3 == 0
        and not (opener.count % 3 == 0 and closer.count % 3 == 0)
    )


class _Inliner:
    """One pass over the text builds a token list; brackets and emphasis are resolved as in CommonMark.

    Tokens live in a doubly linked list and delimiter runs in a linked stack,
    so resolving emphasis and links costs time linear in the text.
    """

    def __init__(self, text: str, scraper: bool) -> None:
        self.src = text
        self.scraper = scraper
        self.head = _Tok("")  # sentinel
        self.tail = self.head
        self.buf: list[str] = []
        self.top: _Delim | None = None  # the delimiter stack
        self.brackets: list[_Opener] = []
        self.seq = 0
        # searches that failed once fail again further on: remember where
        self.no_code_close: dict[int, int] = {}
        self.no_comment_close = len(text) + 1

    # ------------------------------------------------------------------ token list

    def flush(self) -> None:
        if self.buf:
            self.append(_Tok("".join(self.buf)))
            self.buf.clear()

    def append(self, tok: _Tok) -> _Tok:
        tok.prev = self.tail
        self.tail.next = tok
        self.tail = tok
        return tok

    def add(self, node: _Node, depth: int = 0) -> None:
        self.flush()
        self.append(_Tok(node, depth))

    def unlink_tok(self, tok: _Tok) -> None:
        assert tok.prev is not None
        tok.prev.next = tok.next
        if tok.next is not None:
            tok.next.prev = tok.prev
        else:
            self.tail = tok.prev

    def collect(self, first: _Tok | None, stop: _Tok | None) -> tuple[list[_Node], int]:
        """Nodes of the tokens from ``first`` up to ``stop`` (excluded), and their nesting depth."""
        nodes: list[_Node] = []
        texts: list[str] = []
        depth = 0
        tok = first
        while tok is not stop and tok is not None:
            value = tok.value
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, _Delim):
                texts.append(value.text())
            elif isinstance(value, _Opener):
                texts.append("![" if value.image else "[")
            else:
                if texts:
                    nodes.append(Text("".join(texts)))
                    texts.clear()
                nodes.append(value)
                depth = max(depth, tok.depth)
            tok = tok.next
        if texts:
            nodes.append(Text("".join(texts)))
        return nodes, depth

    # ------------------------------------------------------------------ delimiter stack

    def push_delim(self, delim: _Delim) -> None:
        delim.lower = self.top
        if self.top is not None:
            self.top.upper = delim
        self.top = delim

    def remove_delim(self, delim: _Delim) -> None:
        if delim.lower is not None:
            delim.lower.upper = delim.upper
        if delim.upper is not None:
            delim.upper.lower = delim.lower
        else:
            self.top = delim.lower

    # ------------------------------------------------------------------ scanning

    def run(self) -> list[_Node]:
        """The inline nodes of the text (images still whole, not yet normalised)."""
        s = self.src
        n = len(s)
        i = 0
        while i < n:
            m = _PLAIN_RUN.match(s, i)
            if m:
                self.buf.append(m.group(0))
                i = m.end()
                continue
            c = s[i]
            if c == "\\":
                i = self.backslash(i)
            elif c == "\n":
                self.newline()
                i += 1
            elif c == "`":
                i = self.code_span(i)
            elif c == "<":
                i = self.angle(i)
            elif c == "!":
                if s.startswith("![", i) and not self.is_note_ref(i + 1):
                    self.open_bracket(image=True)
                    i += 2
                else:
                    self.buf.append("!")
                    i += 1
            elif c == "[":
                i = self.bracket(i)
            elif c == "]":
                i = self.close_bracket(i)
            else:  # "*" or "_"
                i = self.delimiter_run(i)
        self.flush()
        self.process_emphasis(-1)
        nodes, _ = self.collect(self.head.next, None)
        return nodes

    def backslash(self, i: int) -> int:
        """Escapes: ``\\`` + newline is a hard break, ``\\x`` a literal punctuation character."""
        s = self.src
        m = _BACKSLASHES.match(s, i)
        assert m
        run = m.end() - i
        j = m.end()
        nxt = s[j] if j < len(s) else ""
        pairs = "\\" * (run // 2)
        if nxt == "\n" and run % 2 == 1:
            self.buf.append(pairs)
            self.add(LineBreak())
            return j + 1
        if nxt and nxt in _ASCII_PUNCT and (self.scraper or run % 2 == 1):
            # the character is literal (in scraper mode every backslash before it is stray)
            self.buf.append(nxt if self.scraper else pairs + nxt)
            return j + 1
        self.buf.append(pairs + "\\" * (run % 2))
        return j

    def newline(self) -> None:
        """A soft line break is a space; two trailing spaces before it make a hard break."""
        trailing = 0
        for piece in reversed(self.buf):
            stripped = piece.rstrip(" ")
            trailing += len(piece) - len(stripped)
            if stripped:
                break
        if trailing < 2:
            self.buf.append(" ")
            return
        while self.buf and not self.buf[-1].rstrip(" "):
            self.buf.pop()
        if self.buf:
            self.buf[-1] = self.buf[-1].rstrip(" ")
        self.add(LineBreak())

    def code_span(self, i: int) -> int:
        """A code span closed by a backtick run of the same length; else the backticks are text."""
        s = self.src
        n = len(s)
        j = i
        while j < n and s[j] == "`":
            j += 1
        ticks = s[i:j]
        close = -1
        if self.no_code_close.get(len(ticks), n + 1) > j:
            close = s.find(ticks, j)
            while close != -1 and close + len(ticks) < n and s[close + len(ticks)] == "`":
                k = close
                while k < n and s[k] == "`":
                    k += 1
                close = s.find(ticks, k)
            if close == -1:
                self.no_code_close[len(ticks)] = j
        if close == -1:
            self.buf.append(ticks)
            return j
        code = s[j:close].replace("\n", " ")
        if code.startswith(" ") and code.endswith(" ") and code.strip():
            code = code[1:-1]
        self.add(Code(code))
        return close + len(ticks)

    def angle(self, i: int) -> int:
        """``<``: an autolink, an HTML tag or comment (dropped), or a literal ``<``."""
        s = self.src
        if m := _AUTOLINK.match(s, i):
            url = clean_url(m.group(1), self.scraper)
            label = _unescape(m.group(1), self.scraper)
            self.add(Link((Text(label),), url) if url else Text(label), 1 if url else 0)
            return m.end()
        if m := _EMAIL_AUTOLINK.match(s, i):
            self.add(Link((Text(m.group(1)),), "mailto:" + m.group(1)), 1)
            return m.end()
        if s.startswith("<!--", i) and i < self.no_comment_close:
            end = s.find("-->", i + 4)
            if end != -1:
                return end + 3
            self.no_comment_close = i
        if m := _HTML_TAG.match(s, i):
            closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
            if name == "br":
                self.add(LineBreak())
            elif name in _DROP_CONTENT and not closing and not self_closing:
                # the element's content goes too, up to its end tag (or the end of the text)
                end_tag = re.compile(rf"</{name}(?![\w-])[^<>]*?/?>", re.I).search(s, m.end())
                return end_tag.end() if end_tag else len(s)
            return m.end()
        self.buf.append("<")
        return i + 1

    def bracket(self, i: int) -> int:
        """``[``: a note reference ``[^label]``, or a bracket that may open a link."""
        s = self.src
        if s.startswith("[^", i):
            m = _NOTE_REF.match(s, i)
            # "[^x]:" starting a line is a definition the block parser did not take: text
            if m and not (s.startswith(":", m.end()) and (i == 0 or s[i - 1] == "\n")):
                self.add(NoteRef(m.group(1)))
                return m.end()
        self.open_bracket(image=False)
        return i + 1

    def is_note_ref(self, i: int) -> bool:
        """Whether ``[^label]`` at ``i``, after a ``!``, is a note reference (not ``![^x](src)``, an image)."""
        m = _NOTE_REF.match(self.src, i)
        return m is not None and not _LINK_DEST.match(self.src, m.end())

    def open_bracket(self, image: bool) -> None:
        opener = _Opener(image, self.top.seq if self.top is not None else -1)
        self.flush()
        opener.tok = self.append(_Tok(opener))
        self.brackets.append(opener)

    def close_bracket(self, i: int) -> int:
        """``]``: closes the nearest open bracket into a link or image when a destination follows."""
        s = self.src
        m = _LINK_DEST.match(s, i + 1) if self.brackets else None
        if m is None:
            if self.brackets:
                self.brackets.pop()  # its token stays, as literal text
            self.buf.append("]")
            return i + 1
        opener = self.brackets.pop()
        assert opener.tok is not None and opener.tok.prev is not None
        self.flush()
        self.process_emphasis(opener.stack_top)
        nodes, depth = self.collect(opener.tok.next, None)
        # the bracket and its content are replaced by the new node
        self.tail = opener.tok.prev
        self.tail.next = None
        raw_dest = m.group(1)
        dest = "#" if raw_dest == "#" else clean_url(raw_dest, self.scraper)
        content = normalize_inlines(_flatten_images(nodes))
        if opener.image and depth < MAX_NESTING:
            self.add(_Image(dest, plain_text(content), content), depth + 1)
        elif opener.image or depth >= MAX_NESTING or self.is_dead(dest):
            for node in content:  # the text stays, the link goes
                self.add(node, depth)
        else:
            title = _unescape(m.group(2)[1:-1], False) if m.group(2) else ""
            self.add(Link(walk_inlines(_splice_links, content), dest, title), depth + 1)
        return m.end()

    def is_dead(self, url: str) -> bool:
        """A link that leads nowhere: empty, refused, ``#``; in a page dump any ``#fragment``."""
        if url in ("", "#") or url.lower().startswith("#!"):
            return True
        return self.scraper and url.startswith("#")

    def delimiter_run(self, i: int) -> int:
        """A run of ``*`` or ``_``: whether it can open or close emphasis depends on its neighbours."""
        s = self.src
        n = len(s)
        c = s[i]
        j = i
        while j < n and s[j] == c:
            j += 1
        before = s[i - 1] if i > 0 else " "
        after = s[j] if j < n else " "
        left_flanking = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right_flanking = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        if c == "_":
            can_open = left_flanking and (not right_flanking or _is_punct(before))
            can_close = right_flanking and (not left_flanking or _is_punct(after))
        else:
            can_open, can_close = left_flanking, right_flanking
        self.flush()
        delim = _Delim(c, j - i, can_open, can_close, self.seq)
        self.seq += 1
        delim.tok = self.append(_Tok(delim))
        self.push_delim(delim)
        return j

    # ------------------------------------------------------------------ emphasis

    def process_emphasis(self, bottom: int) -> None:
        """Pair the delimiter runs above ``bottom`` (a ``seq``) into Emph and Strong, then drop them."""
        closer = self.top
        while closer is not None and closer.lower is not None and closer.lower.seq > bottom:
            closer = closer.lower
        if closer is not None and closer.seq <= bottom:
            closer = None
        # for each kind of closer, openers at or below this seq are known not to match it
        openers_bottom: dict[tuple[str, bool, int], int] = {}
        while closer is not None:
            if not closer.can_close:
                closer = closer.upper
                continue
            key = (closer.char, closer.can_open, closer.count % 3)
            limit = max(bottom, openers_bottom.get(key, bottom))
            opener = closer.lower
            while opener is not None and opener.seq > limit:
                if opener.char == closer.char and opener.can_open and not _odd_match(opener, closer):
                    break
                opener = opener.lower
            if opener is None or opener.seq <= limit:
                openers_bottom[key] = closer.lower.seq if closer.lower is not None else bottom
                following = closer.upper
                if not closer.can_open:
                    self.remove_delim(closer)
                closer = following
                continue
            # delimiters between the pair can no longer match anything
            between = closer.lower
            while between is not None and between is not opener:
                below = between.lower
                self.remove_delim(between)
                between = below
            use = 2 if opener.count >= 2 and closer.count >= 2 else 1
            opener.count -= use
            closer.count -= use
            self.wrap(opener, closer, Strong if use == 2 else Emph)
            if opener.count == 0:
                self.remove_delim(opener)
                assert opener.tok is not None
                self.unlink_tok(opener.tok)
            else:
                # the opener's length changed: closers that skipped it must look at it again
                for k, seq in openers_bottom.items():
                    if seq >= opener.seq:
                        openers_bottom[k] = opener.seq - 1
            if closer.count == 0:
                following = closer.upper
                self.remove_delim(closer)
                assert closer.tok is not None
                self.unlink_tok(closer.tok)
                closer = following
        # whatever is left above the bottom is literal text
        while self.top is not None and self.top.seq > bottom:
            self.remove_delim(self.top)

    def wrap(self, opener: _Delim, closer: _Delim, kind: type[Emph] | type[Strong]) -> None:
        """Replace the tokens between a matched pair by one emphasis node."""
        assert opener.tok is not None and closer.tok is not None
        nodes, depth = self.collect(opener.tok.next, closer.tok)
        if depth >= MAX_NESTING:
            return  # too deep: the content stays, unemphasised
        tok = _Tok(kind(tuple(_flatten_images(nodes))), depth + 1)
        tok.prev = opener.tok
        tok.next = closer.tok
        opener.tok.next = tok
        closer.tok.prev = tok


def parse_inlines(text: str, *, scraper: bool = False) -> tuple[Inline, ...]:
    """Parse inline Markdown into normalised IR inlines (an image becomes its alt text)."""
    return normalize_inlines(_flatten_images(_Inliner(text, scraper).run()))
