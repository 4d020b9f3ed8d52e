"""Pandoc's grid tables, as a markdown-it block rule: cells found by tracing their borders.

```
+-------+---------+
| Head  | Other   |
+:======+========:+
| a     | spans   |
+-------+ two     |
| b     | rows    |
+-------+---------+
```

A border line of ``=`` ends the header rows; ``:`` at the ends of a segment of it
(or of the top line, when there is no header) sets the column's alignment.  Each
cell is the rectangle from a ``+`` corner to the next corner below and to the
right that closes it, so cells may span rows and columns.  A cell's lines are
Markdown inline content (a line ending in ``\\`` breaks the line).  A wide (East
Asian) character takes two columns, as in a monospaced font.  A table whose
borders do not close into cells is not a table (its lines stay text).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from convert.recache import compile as recompile

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock

__all__ = ["grid_table"]

_BORDER = recompile(r"\+(?:[-=:]+\+)+[ \t]*")
#: Larger tables are left as text (tracing cells costs their area).
_MAX_LINES = 5000
_MAX_WIDTH = 2000


def _columns(line: str) -> list[str]:
    """The line as monospaced columns: a wide character fills two (the second holds "")."""
    if line.isascii():
        return list(line)
    out: list[str] = []
    for ch in line:
        out.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append("")
    return out


def _cells(canvas: list[list[str]]) -> list[tuple[int, int, int, int]] | None:
    """Every cell as (top, left, bottom, right) border coordinates; None if a corner does not close."""
    height = len(canvas)

    def at(y: int, x: int) -> str:
        row = canvas[y]
        return row[x] if x < len(row) else " "

    cells = []
    for y in range(height - 1):
        for x, ch in enumerate(canvas[y]):
            if ch != "+" or at(y, x + 1) not in "-=:" or at(y + 1, x) not in "|+":
                continue
            right = x + 1
            while right < len(canvas[y]) and not (canvas[y][right] == "+" and at(y + 1, right) in "|+"):
                if canvas[y][right] not in "-=:+":
                    return None
                right += 1
            bottom = y + 1
            while bottom < height and not (at(bottom, x) == "+" and at(bottom, x + 1) in "-=:"):
                if at(bottom, x) not in "|+":
                    return None
                bottom += 1
            if right >= len(canvas[y]) or bottom >= height:
                return None
            cells.append((y, x, bottom, right))
    return cells


def _text(canvas: list[list[str]], top: int, left: int, bottom: int, right: int) -> str:
    """A cell's Markdown: its lines, their common indentation and padding removed."""
    lines = ["".join(canvas[y][left + 1 : right]).rstrip() for y in range(top + 1, bottom)]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    indent = min((len(ln) - len(ln.lstrip()) for ln in lines if ln), default=0)
    return "\n".join(ln[indent:] for ln in lines)


def _align(segment: str) -> str:
    left, right = segment.startswith(":"), segment.endswith(":")
    return "center" if left and right else "left" if left else "right" if right else ""


def grid_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A grid table from line ``start``: table tokens, each cell an inline token with its spans."""
    if state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos : pos + 2] not in ("+-", "+:", "+="):
        return False
    if not _BORDER.fullmatch(state.src, pos, state.eMarks[start]) or start < state.env.get("grid_failed", -1):
        return False  # (a line inside a table that did not close is no table's start: keeps this linear)
    last = start + 1
    while last < end and last - start < _MAX_LINES:
        first = state.src[state.bMarks[last] + state.tShift[last] : state.bMarks[last] + state.tShift[last] + 1]
        if first not in ("+", "|") or state.sCount[last] != state.sCount[start]:
            break
        last += 1
    # each line from its own first character: a container may have moved the first line's start
    lines = [state.src[state.bMarks[k] + state.tShift[k] : state.eMarks[k]].rstrip() for k in range(start, last)]
    cells = None
    if len(lines) >= 3 and _BORDER.fullmatch(lines[-1]) and max(map(len, lines)) <= _MAX_WIDTH:
        canvas = [_columns(line) for line in lines]
        cells = _cells(canvas)
    if not cells:
        state.env["grid_failed"] = last
        return False
    if silent:
        return True
    ys = sorted({y for c in cells for y in (c[0], c[2])})
    xs = sorted({x for c in cells for x in (c[1], c[3])})
    head_line = next((y for y in ys[1:-1] if "=" in lines[y]), None)
    rule = canvas[head_line] if head_line is not None else canvas[0]
    aligns = [_align("".join(rule[xs[k] + 1 : xs[k + 1]])) for k in range(len(xs) - 1)]
    nhead = ys.index(head_line) if head_line is not None else 0

    token = state.push("table_open", "table", 1)
    token.map = [start, last]
    token.meta = {"aligns": aligns if any(aligns) else []}
    by_row: dict[int, list[tuple[int, int, int, int]]] = {}
    for cell in cells:
        by_row.setdefault(ys.index(cell[0]), []).append(cell)
    for part, rows in (("thead", range(nhead)), ("tbody", range(nhead, len(ys) - 1))):
        if not rows:
            continue
        state.push(f"{part}_open", part, 1)
        for row in rows:
            state.push("tr_open", "tr", 1)
            tag = "th" if part == "thead" else "td"
            for top, left, bottom, right in sorted(by_row.get(row, []), key=lambda c: c[1]):
                opener = state.push(f"{tag}_open", tag, 1)
                opener.attrs = {"colspan": xs.index(right) - xs.index(left), "rowspan": ys.index(bottom) - row}
                inline = state.push("inline", "", 0)
                inline.content = _text(canvas, top, left, bottom, right)
                inline.map = [start + top, start + bottom]
                inline.children = []
                state.push(f"{tag}_close", tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{part}_close", part, -1)
    state.push("table_close", "table", -1)
    state.line = last
    return True
