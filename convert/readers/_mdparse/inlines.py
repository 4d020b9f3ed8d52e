"""The inline stage: a block's text into IR inlines (emphasis, links, code, autolinks, note references).

Brackets and emphasis are resolved as in CommonMark, in time linear in the
text; inline containers deeper than :data:`~.document.MAX_NESTING` are
flattened instead of nested.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from ...ir.model import Code, Emph, Inline, LineBreak, Link, NoteRef, Strong, Text
from ...ir.walk import normalize_inlines, plain_text, walk_inlines
from .document import MAX_NESTING
from .urls import ASCII_PUNCT, clean_url, unescape

__all__ = ["DROP_CONTENT", "InlineImage", "Inliner", "flatten_images", "parse_inlines"]

#: HTML elements whose content is never text (dropped with their tags).
DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"})

#: A run of characters with no inline meaning (everything else is looked at one by one).
_PLAIN_RUN = re.compile(r"[^\\\n`<!\[\]*_]+")
_BACKSLASHES = re.compile(r"\\+")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


@functools.cache
def _email_autolink() -> re.Pattern[str]:
    return re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")


@functools.cache
def _html_tag() -> re.Pattern[str]:
    return re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")


_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_LINK_DEST = re.compile(
    r"\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"  # destination, bare or <...>, with balanced ()
    r"(?:\s+(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'))?\s*\)"  # optional title
)


def _is_punct(ch: str) -> bool:
    return ch in ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"  # CommonMark: Unicode punctuation and symbols


class InlineImage(NamedTuple):
    """An image met inline; a Figure when alone in its paragraph, else its alt text."""

    src: str
    alt: str
    caption: tuple[Inline, ...]


_Node = Inline | InlineImage


def flatten_images(nodes: Iterable[_Node]) -> list[Inline]:
    """``nodes`` with each image replaced by its alt text (nested ones already were)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, InlineImage):
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


class Inliner:
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
        if nxt and nxt in ASCII_PUNCT and (self.scraper or run % 2 == 1):
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
            label = unescape(m.group(1), self.scraper)
            self.add(Link((Text(label),), url) if url else Text(label), 1 if url else 0)
            return m.end()
        if m := _email_autolink().match(s, i):
            self.add(Link((Text(m.group(1)),), "mailto:" + m.group(1)), 1)
            return m.end()
        if s.startswith("<!--", i) and i < self.no_comment_close:
            end = s.find("-->", i + 4)
            if end != -1:
                return end + 3
            self.no_comment_close = i
        if m := _html_tag().match(s, i):
            closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
            if name == "br":
                self.add(LineBreak())
            elif name in DROP_CONTENT and not closing and not self_closing:
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
        content = normalize_inlines(flatten_images(nodes))
        if opener.image and depth < MAX_NESTING:
            self.add(InlineImage(dest, plain_text(content), content), depth + 1)
        elif opener.image or depth >= MAX_NESTING or self.is_dead(dest):
            for node in content:  # the text stays, the link goes
                self.add(node, depth)
        else:
            title = unescape(m.group(2)[1:-1], False) if m.group(2) else ""
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
        tok = _Tok(kind(tuple(flatten_images(nodes))), depth + 1)
        tok.prev = opener.tok
        tok.next = closer.tok
        opener.tok.next = tok
        closer.tok.prev = tok


def parse_inlines(text: str, *, scraper: bool = False) -> tuple[Inline, ...]:
    """Parse inline Markdown into normalised IR inlines (an image becomes its alt text)."""
    return normalize_inlines(flatten_images(Inliner(text, scraper).run()))
