"""A small Markdown parser into IR nodes, shared by the ``md`` and ``article`` readers.

It understands the Markdown that artconv writes (pandoc-flavoured: YAML front
matter is split off by the reader, footnotes ``[^x]``, fenced divs ``:::``)
and what scrapers save: ATX headings, paragraphs, ``>`` quotes, lists, fenced
code, thematic breaks, links, autolinks, emphasis, code spans and stray HTML
(tags are dropped, never passed through; ``script``/``style`` lose their
content too).  It is not a full CommonMark implementation: it aims at the
inputs artconv meets and at reading its own output back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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
from ..ir.walk import normalize_inlines, plain_text

__all__ = ["Document", "FootnoteDef", "parse_blocks", "parse_inlines"]

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


@dataclass
class FootnoteDef:
    """A ``[^label]: ...`` definition found while parsing."""

    label: str
    blocks: tuple[Block, ...]


@dataclass
class Document:
    """Parsed blocks plus the footnote definitions that were lifted out of them."""

    blocks: list[Block] = field(default_factory=list)
    footnotes: list[FootnoteDef] = field(default_factory=list)


def _indent_width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _starts_block(line: str) -> bool:
    return bool(
        _ATX.match(line)
        or _HR.match(line)
        or _FENCE.match(line)
        or _QUOTE.match(line)
        or _DIV_OPEN.match(line)
        or _DIV_CLOSE.match(line)
        or _FOOTDEF.match(line)
    )


def _list_marker(line: str) -> tuple[bool, int, int] | None:
    """(ordered, number, content offset) of a list item line, or None."""
    m = _BULLET.match(line)
    if m and not _HR.match(line):
        pad = len(m.group(3)) if m.group(4) else 1
        return (False, 0, len(m.group(1)) + 1 + min(pad, 4))
    m = _ORDERED.match(line)
    if m:
        pad = len(m.group(4)) if m.group(5) else 1
        return (True, int(m.group(2)), len(m.group(1)) + len(m.group(2)) + 1 + min(pad, 4))
    return None


class _BlockParser:
    def __init__(self, scraper: bool) -> None:
        self.scraper = scraper
        self.footnotes: list[FootnoteDef] = []

    def inl(self, text: str) -> tuple[Inline, ...]:
        return parse_inlines(text, scraper=self.scraper)

    def parse(self, lines: list[str]) -> list[Block]:
        blocks: list[Block] = []
        i = 0
        n = len(lines)
        while i < n:
            line = lines[i]
            if not line.strip():
                i += 1
                continue
            m = _FENCE.match(line)
            if m:
                fence = m.group(1)
                body: list[str] = []
                i += 1
                while i < n and not (
                    lines[i].strip().startswith(fence) and set(lines[i].strip()) == {fence[0]}
                ):
                    body.append(lines[i])
                    i += 1
                i += 1
                blocks.append(CodeBlock("\n".join(body), m.group(2)))
                continue
            m = _ATX.match(line)
            if m:
                blocks.append(Heading(len(m.group(1)), self.inl(m.group(2) or "")))
                i += 1
                continue
            if _HR.match(line):
                blocks.append(ThematicBreak())
                i += 1
                continue
            m = _DIV_OPEN.match(line)
            if m:
                depth = 1
                body = []
                i += 1
                while i < n:
                    if _DIV_OPEN.match(lines[i]):
                        depth += 1
                    elif _DIV_CLOSE.match(lines[i]):
                        depth -= 1
                        if depth == 0:
                            break
                    body.append(lines[i])
                    i += 1
                i += 1
                inner = self.parse(body)
                if m.group(2) == "figure":
                    blocks.append(_figure_from_blocks(inner))
                else:
                    blocks.extend(inner)
                continue
            if _DIV_CLOSE.match(line):
                i += 1
                continue
            m = _FOOTDEF.match(line)
            if m:
                label = m.group(1)
                body = [m.group(2)]
                i += 1
                while i < n:
                    nxt = lines[i]
                    if nxt.startswith("    ") or nxt.startswith("\t"):
                        body.append(nxt[4:] if nxt.startswith("    ") else nxt[1:])
                    elif not nxt.strip():
                        if i + 1 < n and (lines[i + 1].startswith("    ") or lines[i + 1].startswith("\t")):
                            body.append("")
                        else:
                            break
                    elif body[-1].strip() and not _starts_block(nxt) and not _list_marker(nxt):
                        body.append(nxt)  # lazy continuation
                    else:
                        break
                    i += 1
                self.footnotes.append(FootnoteDef(label, tuple(self.parse(body))))
                continue
            if _QUOTE.match(line):
                body = []
                while i < n:
                    qm = _QUOTE.match(lines[i])
                    if qm:
                        body.append(qm.group(1))
                    elif lines[i].strip() and body and body[-1].strip() and not _starts_block(lines[i]):
                        body.append(lines[i])
                    else:
                        break
                    i += 1
                blocks.append(BlockQuote(tuple(self.parse(body))))
                continue
            marker = _list_marker(line)
            if marker:
                i = self._list(lines, i, blocks)
                continue
            # paragraph
            para = [line]
            i += 1
            while i < n and lines[i].strip() and not _starts_block(lines[i]):
                if _SETEXT1.match(lines[i]):
                    break
                if _list_marker(lines[i]) and not self.scraper:
                    break
                para.append(lines[i])
                i += 1
            if i < n and _SETEXT1.match(lines[i]):
                blocks.append(Heading(1, self.inl("\n".join(para))))
                i += 1
                continue
            para_block = self._paragraph("\n".join(para))
            if para_block is not None:
                blocks.append(para_block)
        return blocks

    def _paragraph(self, text: str) -> Block | None:
        content = self.inl(text)
        if not content:
            return None  # only markup that carries nothing (an HTML comment, a dropped tag)
        # a paragraph that is a single image is a figure (pandoc's implicit figure)
        if len(content) == 1 and isinstance(content[0], _Image):
            img = content[0]
            return Figure(img.caption, img.src, img.alt)
        return Paragraph(tuple(_Image.flatten(content)))

    def _list(self, lines: list[str], i: int, blocks: list[Block]) -> int:
        first = _list_marker(lines[i])
        assert first is not None
        ordered, start, _ = first
        items: list[tuple[Block, ...]] = []
        n = len(lines)
        while i < n:
            marker = _list_marker(lines[i])
            if marker is None or marker[0] != ordered:
                break
            offset = marker[2]
            body = [lines[i][offset:] if len(lines[i]) > offset else lines[i].lstrip()[1:].lstrip()]
            if ordered:
                m = _ORDERED.match(lines[i])
                assert m
                body = [m.group(5)]
            else:
                m2 = _BULLET.match(lines[i])
                assert m2
                body = [m2.group(4)]
            i += 1
            while i < n:
                nxt = lines[i]
                if not nxt.strip():
                    if i + 1 < n and _indent_width(lines[i + 1]) >= offset and lines[i + 1].strip():
                        body.append("")
                        i += 1
                        continue
                    break
                if _indent_width(nxt) >= offset:
                    body.append(nxt[offset:])
                elif _list_marker(nxt) or _starts_block(nxt):
                    break
                else:
                    body.append(nxt)  # lazy continuation
                i += 1
            items.append(tuple(self.parse(body)))
            # blank lines between items
            j = i
            while j < n and not lines[j].strip():
                j += 1
            nm = _list_marker(lines[j]) if j < n else None
            if nm is not None and nm[0] == ordered:
                i = j
            else:
                break
        blocks.append(OrderedList(tuple(items), start) if ordered else BulletList(tuple(items)))
        return i


def _figure_from_blocks(blocks: list[Block]) -> Figure:
    src = alt = ""
    image_caption: tuple[Inline, ...] = ()
    caption: tuple[Inline, ...] = ()
    for b in blocks:
        if isinstance(b, Figure):
            src, alt, image_caption = b.src, b.alt, b.caption
        elif isinstance(b, Paragraph):
            caption = caption + ((Text(" "),) if caption else ()) + b.content
    return Figure(normalize_inlines(caption) if caption or src else image_caption, src, alt)


def parse_blocks(text: str, *, scraper: bool = False) -> Document:
    """Parse Markdown text (``\\n`` line ends) into blocks and footnote definitions."""
    parser = _BlockParser(scraper)
    blocks = parser.parse(text.split("\n"))
    return Document(blocks, parser.footnotes)


# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class _Image:
    """An image met inline; becomes a Figure when alone in its paragraph, else its alt text."""

    src: str
    alt: str
    caption: tuple[Inline, ...]

    @staticmethod
    def flatten(content: tuple[object, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in content:
            if isinstance(node, _Image):
                out.extend(node.caption)
            else:
                out.append(node)  # type: ignore[arg-type]
        return normalize_inlines(out)


_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_EMAIL_AUTOLINK = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>|<!--.*?-->", re.S)
_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
_LINK_DEST = re.compile(r"\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'))?\s*\)")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


@dataclass(eq=False)
class _Delim:
    char: str
    count: int
    can_open: bool
    can_close: bool
    pos: int  # index in the token list


def _unescape(text: str, scraper: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            j = i
            while j < len(text) and text[j] == "\\":
                j += 1
            run = j - i
            nxt = text[j] if j < len(text) else ""
            if scraper and nxt and nxt in _ASCII_PUNCT:
                out.append(nxt)
                i = j + 1
                continue
            out.append("\\" * (run // 2))
            if run % 2 == 1 and nxt in _ASCII_PUNCT and nxt:
                out.append(nxt)
                i = j + 1
            else:
                if run % 2 == 1:
                    out.append("\\")
                i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


def clean_url(url: str, scraper: bool = False) -> str:
    """Undo escapes in a link destination; refuse script-bearing schemes (returns "")."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    url = _unescape(url, scraper).strip()
    if url.lower().replace(" ", "").startswith(_UNSAFE_SCHEMES):
        return ""
    return url


def _is_dead(url: str) -> bool:
    return url in ("", "#") or url.lower().startswith("#!")


def parse_inlines(text: str, *, scraper: bool = False) -> tuple[Inline, ...]:
    """Parse inline Markdown into normalised IR inlines."""
    nodes = _Inliner(text, scraper).run()
    return normalize_inlines(nodes) if not any(isinstance(n, _Image) for n in nodes) else tuple(nodes)  # type: ignore[arg-type]


class _Inliner:
    def __init__(self, text: str, scraper: bool) -> None:
        self.src = text
        self.scraper = scraper

    def run(self) -> list[object]:
        tokens: list[object] = []  # Inline | _Image | _Delim | str (raw text)
        delims: list[_Delim] = []
        s = self.src
        i = 0
        buf: list[str] = []
        drop_depth: list[str] = []

        def flush() -> None:
            if buf:
                tokens.append("".join(buf))
                buf.clear()

        n = len(s)
        while i < n:
            c = s[i]
            if drop_depth:
                m = _HTML_TAG.match(s, i) if c == "<" else None
                if m and m.group(1) and m.group(2).lower() == drop_depth[-1]:
                    drop_depth.pop()
                    i = m.end()
                else:
                    i += 1
                continue
            if c == "\\":
                if i + 1 < n and s[i + 1] == "\n":
                    flush()
                    tokens.append(LineBreak())
                    i += 2
                    continue
                j = i
                while j < n and s[j] == "\\":
                    j += 1
                escapes_next = (j - i) % 2 == 1 or self.scraper
                end = j + 1 if j < n and s[j] in _ASCII_PUNCT and escapes_next else j
                buf.append(_unescape(s[i:end], self.scraper))
                i = end
                continue
            if c == "\n":
                # two trailing spaces make a hard break
                joined = "".join(buf)
                trailing = len(joined) - len(joined.rstrip(" "))
                if trailing >= 2:
                    buf[:] = [joined.rstrip(" ")]
                    flush()
                    tokens.append(LineBreak())
                else:
                    buf.append(" ")
                i += 1
                continue
            if c == "`":
                j = i
                while j < n and s[j] == "`":
                    j += 1
                ticks = s[i:j]
                close = s.find(ticks, j)
                while close != -1 and (close + len(ticks) < n and s[close + len(ticks)] == "`"):
                    k = close
                    while k < n and s[k] == "`":
                        k += 1
                    close = s.find(ticks, k)
                if close == -1:
                    buf.append(ticks)
                    i = j
                    continue
                flush()
                code = s[j:close].replace("\n", " ")
                if code.startswith(" ") and code.endswith(" ") and code.strip():
                    code = code[1:-1]
                tokens.append(Code(code))
                i = close + len(ticks)
                continue
            if c == "<":
                m = _AUTOLINK.match(s, i)
                if m:
                    flush()
                    url = clean_url(m.group(1), self.scraper)
                    label = _unescape(m.group(1), self.scraper)
                    tokens.append(Link((Text(label),), url) if url else Text(label))
                    i = m.end()
                    continue
                m = _EMAIL_AUTOLINK.match(s, i)
                if m:
                    flush()
                    tokens.append(Link((Text(m.group(1)),), "mailto:" + m.group(1)))
                    i = m.end()
                    continue
                m = _HTML_TAG.match(s, i)
                if m:
                    name = (m.group(2) or "").lower()
                    if name == "br":
                        flush()
                        tokens.append(LineBreak())
                    elif name in _DROP_CONTENT and not m.group(1) and not m.group(3):
                        drop_depth.append(name)
                    i = m.end()
                    continue
            if c == "!" and i + 1 < n and s[i + 1] == "[":
                res = self._bracket(i + 1)
                if res is not None and res[2] is not None:
                    label_text, end, dest, title = res
                    flush()
                    alt_inl = parse_inlines(label_text, scraper=self.scraper)
                    tokens.append(_Image(dest, plain_text(_Image.flatten(alt_inl)), _Image.flatten(alt_inl)))
                    del title
                    i = end
                    continue
            if c == "[":
                if i + 1 < n and s[i + 1] == "^":
                    m = re.compile(r"\[\^([^\]\s]+)\]").match(s, i)
                    if m and not (m.end() < n and s[m.end()] == ":"):
                        flush()
                        tokens.append(NoteRef(m.group(1)))
                        i = m.end()
                        continue
                res = self._bracket(i)
                if res is not None and res[2] is not None:
                    label_text, end, dest, title = res
                    flush()
                    content = parse_inlines(label_text, scraper=self.scraper)
                    content = _Image.flatten(content)
                    if _is_dead(dest):
                        tokens.extend(content)
                    else:
                        tokens.append(Link(content, dest, title or ""))
                    i = end
                    continue
            if c in "*_":
                j = i
                while j < n and s[j] == c:
                    j += 1
                before = s[i - 1] if i > 0 else " "
                after = s[j] if j < n else " "
                lf = not after.isspace() and (
                    not _is_punct(after) or before.isspace() or _is_punct(before)
                )
                rf = not before.isspace() and (
                    not _is_punct(before) or after.isspace() or _is_punct(after)
                )
                if c == "_":
                    can_open = lf and (not rf or _is_punct(before))
                    can_close = rf and (not lf or _is_punct(after))
                else:
                    can_open, can_close = lf, rf
                flush()
                d = _Delim(c, j - i, can_open, can_close, len(tokens))
                tokens.append(d)
                delims.append(d)
                i = j
                continue
            buf.append(c)
            i += 1
        flush()
        return _resolve_emphasis(tokens, delims)

    def _bracket(self, i: int) -> tuple[str, int, str | None, str | None] | None:
        """Parse ``[label](dest "title")`` at ``i``: (label, end, dest, title)."""
        s = self.src
        depth = 0
        j = i
        while j < len(s):
            ch = s[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "`":
                k = s.find("`", j + 1)
                j = k + 1 if k != -1 else j + 1
                continue
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(s):
            return None
        label = s[i + 1 : j]
        m = _LINK_DEST.match(s, j + 1)
        if not m:
            return None
        dest = clean_url(m.group(1), self.scraper) if m.group(1) not in ("#",) else "#"
        if m.group(1) and not dest and m.group(1) != "#":
            dest = ""
        title = m.group(2)[1:-1] if m.group(2) else None
        if title is not None:
            title = _unescape(title, False)
        return label, m.end(), dest, title


def _is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch).startswith("P")


def _resolve_emphasis(tokens: list[object], delims: list[_Delim]) -> list[object]:
    """Pair delimiter runs into Emph/Strong (a simplified CommonMark 'process emphasis')."""
    # Represent tokens as a list; delimiters are replaced in place.
    items: list[object] = list(tokens)
    stack = [d for d in delims]
    idx = 0
    while idx < len(stack):
        closer = stack[idx]
        if not closer.can_close or closer.count == 0:
            idx += 1
            continue
        # look back for an opener
        found = -1
        for k in range(idx - 1, -1, -1):
            op = stack[k]
            if op.char == closer.char and op.can_open and op.count > 0:
                if (op.can_close or closer.can_open) and (op.count + closer.count) % 3 == 0 and not (
                    op.count % 3 == 0 and closer.count % 3 == 0
                ):
                    continue
                found = k
                break
        if found == -1:
            idx += 1
            continue
        opener = stack[found]
        use = 2 if opener.count >= 2 and closer.count >= 2 else 1
        o_pos = items.index(opener)
        c_pos = items.index(closer)
        inner = items[o_pos + 1 : c_pos]
        inner_resolved = [_delim_text(x) for x in inner]
        node: Inline = (Strong if use == 2 else Emph)(normalize_inlines(_to_inlines(inner_resolved)))
        opener.count -= use
        closer.count -= use
        # remove delimiters between opener and closer from the stack
        del stack[found + 1 : idx]
        items[o_pos + 1 : c_pos] = [node]
        idx = found + 1
        if opener.count == 0:
            items.remove(opener)
            stack.remove(opener)
            idx -= 1
        if closer.count == 0:
            items.remove(closer)
            stack.remove(closer)
    return _to_inlines([_delim_text(x) for x in items])


def _delim_text(x: object) -> object:
    if isinstance(x, _Delim):
        return x.char * x.count
    return x


def _to_inlines(items: list[object]) -> list[object]:
    return [Text(x) if isinstance(x, str) else x for x in items]
