"""Hard-wrapped text: the lines of each paragraph rejoined, and paragraphs told apart, before parsing.

Mailing-list archives, old mirrors, RFCs and PEPs wrap their text at a fixed width (60-80
columns) and often leave no blank line between paragraphs; Japanese texts put one paragraph on a
line with an ideographic space (U+3000) as first-line indent. Parsed as Markdown, a whole article
then becomes one paragraph, and a wrapped line that happens to start with ``-`` or ``1.`` starts a
list. :func:`unwrap` rewrites such a text as Markdown says it: one line a paragraph, a blank line
between paragraphs.

Whether a text is hard-wrapped is decided from the widths of its prose lines (a wrap width, most
lines close to it, the lines that are close to it ending mid-sentence); a text that is not is
returned unchanged (well-formed Markdown, one sentence a line, verse). In a wrapped text a
paragraph ends at a blank line, at a line that ends where the next line's first word would still
have fitted (a deliberate line end) and ends a sentence or is followed by a capital, before a
first-line indent, and at a line starting a heading, quote, table, list or code. A ``-`` or
``1.`` line that continues a full line ending mid-sentence is text, not a list item. Lines
indented four columns deeper than the text around them (tables and grammars in RFCs, indented
code) are kept, as a fenced code block. Lines of CJK text are joined without a space.

Linear in the text; front matter and fenced code are never touched.
"""

from __future__ import annotations

import re
from collections import Counter

from convert.recache import compile as recompile

__all__ = ["unwrap"]

#: Characters that take two columns (CJK, kana, hangul, full-width forms): counted twice in a width.
_WIDE = recompile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)
_FENCE = recompile(r" {0,3}(`{3,}|~{3,})")
#: A list item's marker (on the line without its indentation).
_LIST = recompile(r"(?:[-+*\u2022]|\d{1,9}[.)])(?:[ \t]|$)")
#: Lines that are Markdown structure: heading, quote, table row, HTML, definition of a link or
#: note, thematic break or setext underline, fenced div, directive.
_STRUCTURE = recompile(
    r"(?:#{1,6}(?:[ \t]|$)|>|\||<[A-Za-z!/?]|\[\^?[^\]]+\]:|(?:[-*_][ \t]*){3,}$|=+[ \t]*$|:::|%%|\.\w)"
)
#: The start of an HTML block (its lines are left as they are): a comment, or a tag; raw-text
#: elements (group 1) end at their closing tag, the others at a blank line.
_HTML_BLOCK = recompile(r"<!--|<(pre|script|style|textarea)\b|</?[A-Za-z][\w-]*(?:[\s/>]|$)", re.I)
#: The characters the lines these patterns match start with (a quick test before the pattern).
_STRUCTURE_FIRST = frozenset("#>|<[-*_=:%.")
_LIST_FIRST = frozenset("-+*\u20220123456789")
#: A table's delimiter row (``| --- | :-: |``).
_DELIMITER = recompile(r"\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)+\|?[ \t]*")
#: A line that ends a sentence (closing quotes and brackets after the stop allowed).
_SENTENCE_END = recompile("[.!?:;\u3002\uff01\uff1f\uff1a\uff1b\u2026][\"'\u201d\u2019\u00bb)\\]\u300d\u300f\uff09]*$")
#: Columns lined up inside a line (a table or a grammar).
_ALIGNED = recompile(r"\S {3,}\S")
_IDEOGRAPHIC_SPACE = "\u3000"
#: What a paragraph of a text indented with ideographic spaces may start with besides the indent.
_CJK_OPENERS = "\u300c\u300e\uff08\u3008\u300a"
#: Of prose lines, at least this many for a text to be judged hard-wrapped.
_MIN_LINES = 8
#: A run of lines without a blank line this long (prose lines, or columns of them) holds several paragraphs.
_LONG_RUN_LINES = 16
_LONG_RUN_WIDTH = 1200


class _Line:
    """A classified line (a plain class with slots: a dataclass costs its generation at every start)."""

    __slots__ = ("indent", "kind", "raw", "text", "width")

    def __init__(self, raw: str, text: str, indent: int, width: int, kind: str) -> None:
        self.raw = raw
        self.text = text  # without indentation and trailing white space
        self.indent = indent  # columns (a tab is four)
        self.width = width  # columns of ``text``
        #: "blank", "verbatim" (front matter, fenced code, HTML), "structure", "aligned", "list", "prose"
        self.kind = kind


def _width(text: str) -> int:
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


#: A line as :func:`_classify` gives it: the fields of :class:`_Line`, in order (a tuple is quicker to make).
_Row = tuple[str, str, int, int, str]


def _classify(lines: list[str]) -> list[_Row]:
    out: list[_Row] = []
    append = out.append
    fence = ""
    front = bool(lines) and lines[0].rstrip() in ("---", "+++")
    front_end = ("---", "...") if front and lines[0].rstrip() == "---" else ("+++",)
    table = False
    html = ""  # inside an HTML block: what ends it ("\n": a blank line)
    for index, raw in enumerate(lines):
        if not raw and not (front or fence or html):
            table = False
            append(("", "", 0, 0, "blank"))
            continue
        if raw[:1] in (" ", "\t"):
            stripped = raw.lstrip(" \t").rstrip()  # an ideographic space at the start is a paragraph's indent
            indent = len(raw[: len(raw) - len(raw.lstrip(" \t"))].expandtabs(4))
        else:
            stripped, indent = raw.rstrip(), 0
        first = stripped[:1]
        if front:
            append((raw, stripped, indent, 0, "verbatim"))
            front = index == 0 or raw.rstrip() not in front_end
            continue
        if fence:
            append((raw, stripped, indent, 0, "verbatim"))
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            continue
        if html:
            append((raw, stripped, indent, 0, "verbatim"))
            html = "" if (html in raw if html != "\n" else not stripped) else html
            continue
        if first == "<" and _HTML_BLOCK.match(stripped):
            m = _HTML_BLOCK.match(stripped)
            assert m is not None
            end = "-->" if stripped.startswith("<!--") else f"</{m.group(1).lower()}>" if m.group(1) else "\n"
            closed = end in stripped[4:] if end != "\n" else False
            append((raw, stripped, indent, 0, "verbatim"))
            html = "" if closed else end
            continue
        m = _FENCE.match(raw) if first in ("`", "~") else None
        if m:
            fence = m.group(1)
            append((raw, stripped, indent, 0, "verbatim"))
            continue
        if not stripped:
            table = False
            append((raw, "", 0, 0, "blank"))
            continue
        if "|" in stripped:
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            if _DELIMITER.fullmatch(stripped) or ("|" in nxt and _DELIMITER.fullmatch(nxt.strip())):
                table = True
        if table or (first in _STRUCTURE_FIRST and _STRUCTURE.match(stripped)):
            kind = "structure"
        elif first in _LIST_FIRST and _LIST.match(stripped):
            kind = "list"
        elif "   " in stripped and _ALIGNED.search(stripped):
            kind = "aligned"  # columns (a table, a memo's header): kept line for line
        else:
            kind = "prose"
        append((raw, stripped, indent, len(stripped) if stripped.isascii() else _width(stripped), kind))
    return out


def _wrap_width(rows: list[_Row]) -> int | None:
    """The width the text is wrapped at, or None when it is not hard-wrapped."""
    prose = [(width, text) for _, text, _, width, kind in rows if kind == "prose"]
    if len(prose) < _MIN_LINES:
        return None
    widths = sorted(width for width, _ in prose)
    width = widths[(len(widths) - 1) * 9 // 10]
    if not 50 <= width <= 110:
        return None
    full = [text for w, text in prose if w >= 0.75 * width]
    if len(full) < 0.5 * len(prose) or sum(w > 1.15 * width for w in widths) > 0.1 * len(widths):
        return None
    open_ends = sum(not _SENTENCE_END.search(text) and text[-1] != "," for text in full)
    if open_ends < 0.5 * len(full):
        return None  # lines that end sentences or clauses: verse, one sentence a line
    return width


def _cjk_join(left: str, right: str) -> bool:
    """Whether two lines join without a space (both sides CJK)."""
    return left[-1] >= "\u1100" and right[0] >= "\u1100" and bool(_WIDE.match(left[-1]) and _WIDE.match(right[0]))


def _first_word(text: str) -> int:
    if _WIDE.match(text[0]):
        return 2
    space = text.find(" ")
    return _width(text if space < 0 else text[:space])


class _Paragraph:
    """The lines of one paragraph being joined."""

    def __init__(self, line: _Line, indent: str) -> None:
        self.indent = indent
        self.pieces = [line.text]
        self.last = line
        self.is_list = line.kind == "list"
        self.in_code = line.text.count("`") % 2 == 1  # inside a code span that goes on

    def add(self, line: _Line) -> None:
        left, right = self.last.text, line.text
        if self.in_code:
            self.pieces.append("\n" + line.raw)  # the code span's line as it is
        elif _cjk_join(left, right) or (left.endswith("-") and left[-2:-1].isalpha() and right[0].isalpha()):
            self.pieces.append(right)
        else:
            self.pieces.append(" " + right)
        if "`" in right and right.count("`") % 2:
            self.in_code = not self.in_code
        self.last = line

    def emit(self) -> str:
        return self.indent + "".join(self.pieces) + ("  " if self.last.raw.endswith("  ") else "")


def _ends_deliberately(prev: _Line, line: _Line, width: int) -> bool:
    """Whether ``prev`` ends before the wrap width forced it to (``line``'s first word would have fitted)."""
    room = width - 3 - prev.indent - prev.width
    return room >= 1 and _first_word(line.text) <= room


def _continues_as_text(prev: _Line, line: _Line, width: int) -> bool:
    """A ``-`` or ``1.`` line after a full line that ends mid-sentence: the wrap put it there, it is no list item."""
    if line.text[0] not in "-+*\u20130123456789":
        return False
    full = not _ends_deliberately(prev, line, width)
    return full and not _SENTENCE_END.search(prev.text)


def _pre_block(lines: list[_Line], start: int, base: int) -> int:
    """The end of the preformatted lines (indented 4 deeper than ``base``) from ``start``, or ``start``."""
    end = start
    while end < len(lines) and lines[end].kind in ("prose", "list", "aligned") and lines[end].indent >= base + 4:
        end += 1
    if end == start:
        return start
    if end - start == 1 and not _ALIGNED.search(lines[start].text):
        return start  # one indented line: a first-line indent, not a block
    if end < len(lines) and lines[end].kind != "blank":
        return start  # text goes on at the indent around: a paragraph with a deeper first line
    return end


def _first_line_indent(lines: list[_Line], i: int, base: int) -> bool:
    """Whether line ``i``, indented deeper than ``base``, starts a paragraph that goes on at ``base``."""
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return lines[i].indent > base and nxt is not None and nxt.kind == "prose" and nxt.indent <= base


def _starts_paragraph(lines: list[_Line], i: int, para: _Paragraph, base: int, width: int) -> bool:
    """Whether line ``i`` starts a paragraph: an indent, or a deliberate end of a sentence (or before a capital)."""
    line, prev = lines[i], para.last
    if line.text.startswith(_IDEOGRAPHIC_SPACE) or (not para.is_list and _first_line_indent(lines, i, base)):
        return True
    return _ends_deliberately(prev, line, width) and bool(_SENTENCE_END.search(prev.text) or line.text[0].isupper())


def _long_runs(lines: list[_Line]) -> list[bool]:
    """For each line, whether it is in a long run of lines without a blank one (where paragraphs are told apart).

    A run of shorter lines is one paragraph, or a few that Markdown keeps apart already: its lines are
    only joined, never split (a deliberate line end in Markdown is no paragraph's end).
    """
    flags = [False] * len(lines)
    total = sum(line.kind == "prose" for line in lines)
    start = 0
    for end in range(len(lines) + 1):
        if end == len(lines) or lines[end].kind in ("blank", "verbatim"):
            run = [line for line in lines[start:end] if line.kind == "prose"]
            most = len(run) >= _MIN_LINES and 2 * len(run) > total  # a text without blank lines between paragraphs
            if most or len(run) >= _LONG_RUN_LINES or sum(line.width for line in run) >= _LONG_RUN_WIDTH:
                flags[start:end] = [True] * (end - start)
            start = end + 1
    return flags


def _unwrap_lines(lines: list[_Line], width: int) -> list[str]:
    indents = Counter(line.indent for line in lines if line.kind == "prose")
    base = indents.most_common(1)[0][0]
    long_run = _long_runs(lines)
    out: list[str] = []
    para: _Paragraph | None = None
    in_list = False  # the last block opened was a list item: deeper lines after it are its own

    def flush() -> None:
        nonlocal para
        if para is not None:
            out.append(para.emit())
            para = None

    def blank() -> None:
        if out and out[-1].strip():
            out.append("")

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind in ("prose", "list", "aligned") and para is None and not in_list:
            end = _pre_block(lines, i, base) if i == 0 or lines[i - 1].kind == "blank" else i
            if end > i:
                blank()
                out.append("```")
                out.extend(ln.raw.expandtabs(4)[base:].rstrip() for ln in lines[i:end])
                out.append("```")
                i = end
                continue
        if line.kind in ("verbatim", "blank", "structure", "aligned"):
            flush()
            out.append(line.raw)
            in_list = in_list and line.kind == "blank"
            i += 1
            continue
        if para is not None:
            prev = para.last
            if prev.raw.endswith(("  ", "\\")):
                flush()  # a hard line break
            elif line.kind == "list" and (para.is_list or not _continues_as_text(prev, line, width)):
                flush()
            elif long_run[i] and _starts_paragraph(lines, i, para, base, width):
                flush()
                blank()
            else:
                para.add(line)
                i += 1
                continue
        head = line.raw[: len(line.raw) - len(line.raw.lstrip(" \t"))]
        if line.kind == "list":
            in_list = True
        elif line.indent <= base:
            in_list = False
        para = _Paragraph(line, " " * base if _first_line_indent(lines, i, base) else head)
        i += 1
    flush()
    return out


def _split_cjk_paragraphs(lines: list[_Line]) -> list[str] | None:
    """Lines of a text that indents paragraphs with an ideographic space: a blank line before each paragraph."""
    if sum(line.kind == "prose" and line.text.startswith(_IDEOGRAPHIC_SPACE) for line in lines) < 2:
        return None
    out: list[str] = []
    for index, line in enumerate(lines):
        prev = lines[index - 1] if index else None
        starts = line.kind in ("prose", "list") and line.text[0] in _IDEOGRAPHIC_SPACE + _CJK_OPENERS
        after_opener = prev is not None and prev.kind == "prose" and prev.text[0] in _CJK_OPENERS
        if prev is not None and prev.kind in ("prose", "list") and line.kind == "prose" and (starts or after_opener):
            out.append("")
        out.append(line.raw)
    return out


def unwrap(text: str) -> str:
    """``text`` with hard-wrapped paragraphs rejoined, one a line, blank lines between (unchanged if not wrapped)."""
    rows = _classify(text.split("\n"))
    width = _wrap_width(rows)
    if width is not None:
        return "\n".join(_unwrap_lines([_Line(*row) for row in rows], width))
    if _IDEOGRAPHIC_SPACE not in text:
        return text  # (no paragraph indented so)
    split = _split_cjk_paragraphs([_Line(*row) for row in rows])
    if split is not None:
        return "\n".join(split)
    return text
