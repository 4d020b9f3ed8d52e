"""Tables of the ``md`` writer: pipe tables, pandoc's grid tables, raw HTML tables.

A table whose cells are one line of text each, with at most one header row, is a
pipe table (with its alignment row; an all-empty header row when it has none).
Pandoc's Markdown writes the others (a cell spanning rows or columns, a line
break in a cell, several header rows) as a grid table, as pandoc 3 does; GFM
writes them as an HTML ``<table>``, and CommonMark, which has no tables, writes
every table so.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ...ir.model import Code, Inline, LineBreak, Math, Table, TableCell
from ...ir.walk import iter_inlines
from .inlines import Inlines, html_inlines

__all__ = ["render_table"]

#: A column of a pipe table is padded to its widest cell when that is at most this wide.
_PAD_LIMIT = 40


@dataclass
class _Placed:
    """A cell at its place in the grid: first row and column, rows and columns spanned."""

    cell: TableCell
    row: int
    col: int
    rows: int
    cols: int
    lines: list[str]


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _layout(table: Table) -> tuple[list[_Placed], int, int]:
    """Every cell placed on the grid (spans clipped to the head or the body), and the grid's size.

    Places that no cell covers get an empty cell.
    """
    rows = (*table.head, *table.rows)
    nhead = len(table.head)
    taken: set[tuple[int, int]] = set()
    placed: list[_Placed] = []
    ncols = max(table.columns, 1)
    for r, row in enumerate(rows):
        end = nhead if r < nhead else len(rows)
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            span_r = min(cell.rowspan, end - r)
            span_c = cell.colspan
            ncols = max(ncols, c + span_c)
            for dr in range(span_r):
                for dc in range(span_c):
                    taken.add((r + dr, c + dc))
            placed.append(_Placed(cell, r, c, span_r, span_c, []))
            c += span_c
    for r in range(len(rows)):
        for c in range(ncols):
            if (r, c) not in taken:
                placed.append(_Placed(TableCell(()), r, c, 1, 1, []))
    placed.sort(key=lambda p: (p.row, p.col))
    return placed, len(rows), ncols


def _simple(table: Table, placed: list[_Placed], flavor: str) -> bool:
    """Whether a pipe table holds ``table``: no spans, one header row at most, one line per cell."""
    if len(table.head) > 1 or any(p.rows > 1 or p.cols > 1 for p in placed):
        return False
    for p in placed:
        for node in iter_inlines(p.cell.content):
            if isinstance(node, LineBreak):
                return False
            if isinstance(node, Code | Math):
                verbatim = node.text if isinstance(node, Code) else node.tex
                # pandoc reads code and math before the cells' bars; GFM splits first ("\|" is a bar)
                if ("|" in verbatim) if flavor == "pandoc" else ("\\|" in verbatim):
                    return False
                if "\n" in verbatim:
                    return False
    return True


def _aligns(table: Table, ncols: int) -> list[str]:
    return [table.aligns[c] if c < len(table.aligns) else "" for c in range(ncols)]


def _pipe(table: Table, placed: list[_Placed], nrows: int, ncols: int, cell_text: Callable[[TableCell], str]) -> str:
    grid = [["" for _ in range(ncols)] for _ in range(max(nrows, 0))]
    for p in placed:
        grid[p.row][p.col] = cell_text(p.cell).replace("|", "\\|")
    if not table.head:
        grid.insert(0, ["" for _ in range(ncols)])  # pandoc reads an empty header row as none
    widths = [max(3, *(_width(row[c]) for row in grid)) for c in range(ncols)]
    pads = [w if w <= _PAD_LIMIT else 3 for w in widths]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(t + " " * max(0, pads[c] - _width(t)) for c, t in enumerate(cells)) + " |"

    marks = {"": ("-", "-"), "left": (":", "-"), "center": (":", ":"), "right": ("-", ":")}
    rule = "|" + "|".join(marks[a][0] + "-" * pads[c] + marks[a][1] for c, a in enumerate(_aligns(table, ncols))) + "|"
    return "\n".join([line(grid[0]), rule, *(line(row) for row in grid[1:])])


def _grid(
    table: Table, placed: list[_Placed], nrows: int, ncols: int, cell_lines: Callable[[TableCell], list[str]]
) -> str:
    """Pandoc's grid table, cells spanning rows and columns drawn as pandoc 3 draws them."""
    for p in placed:
        p.lines = cell_lines(p.cell) or [""]
    widths = [1] * ncols
    for p in sorted(placed, key=lambda p: p.cols):  # single columns first, then what spans must add
        need = max(_width(ln) for ln in p.lines)
        have = sum(widths[p.col : p.col + p.cols]) + 3 * (p.cols - 1)
        if need > have:
            widths[p.col + p.cols - 1] += need - have
    heights = [1] * nrows
    for p in sorted(placed, key=lambda p: p.rows):
        have = sum(heights[p.row : p.row + p.rows]) + (p.rows - 1)
        if len(p.lines) > have:
            heights[p.row + p.rows - 1] += len(p.lines) - have
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 3)
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h + 1)
    canvas = [[" "] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]
    nhead = len(table.head)
    for p in placed:
        x0, x1, y0, y1 = xs[p.col], xs[p.col + p.cols], ys[p.row], ys[p.row + p.rows]
        for y, row_index in ((y0, p.row), (y1, p.row + p.rows)):
            fill = "=" if nhead and row_index == nhead else "-"
            for x in range(x0 + 1, x1):
                if canvas[y][x] != "+":
                    canvas[y][x] = fill
        for y in range(y0 + 1, y1):
            for x in (x0, x1):
                if canvas[y][x] != "+":
                    canvas[y][x] = "|"
        for y in (y0, y1):
            for x in (x0, x1):
                canvas[y][x] = "+"
        for k, text in enumerate(p.lines):
            row = canvas[y0 + 1 + k]
            pos = x0 + 2
            for ch in text:
                row[pos] = ch
                pos += 1
                if _width(ch) == 2:
                    row[pos] = ""  # a wide character takes this column too
                    pos += 1
    y_align = ys[nhead] if nhead else 0
    for c, align in enumerate(_aligns(table, ncols)):
        if align in ("left", "center"):
            canvas[y_align][xs[c] + 1] = ":"
        if align in ("right", "center"):
            canvas[y_align][xs[c + 1] - 1] = ":"
    return "\n".join("".join(row).rstrip() for row in canvas)


def _html(
    table: Table, placed: list[_Placed], nrows: int, ncols: int, inline_html: Callable[[tuple[Inline, ...]], str]
) -> str:
    aligns = _aligns(table, ncols)
    nhead = len(table.head)
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{inline_html(table.caption)}</caption>")
    for part, first, last in (("thead", 0, nhead), ("tbody", nhead, nrows)):
        if first == last:
            continue
        out.append(f"<{part}>")
        for r in range(first, last):
            out.append("<tr>")
            for p in placed:
                if p.row != r:
                    continue
                tag = "th" if part == "thead" else "td"
                attrs = ""
                if p.cols > 1:
                    attrs += f' colspan="{p.cols}"'
                if p.rows > 1:
                    attrs += f' rowspan="{p.rows}"'
                if aligns[p.col]:
                    attrs += f' align="{html.escape(aligns[p.col])}"'
                out.append(f"<{tag}{attrs}>{inline_html(p.cell.content)}</{tag}>")
            out.append("</tr>")
        out.append(f"</{part}>")
    out.append("</table>")
    return "\n".join(out)


def render_table(
    table: Table,
    inl: Inlines,
    cell_lines: Callable[[tuple[Inline, ...], bool], list[str]],
    caption: Callable[[tuple[Inline, ...], bool], str],
) -> str:
    """``table`` in the flavour of ``inl``; ``cell_lines``: a grid cell's Markdown lines."""
    placed, nrows, ncols = _layout(table)
    flavor = inl.flavor
    # pandoc reads a row, a table even, before its cells: a "$" in one cell pairs with one in another
    dollars = inl.has_dollars(table.caption, *(p.cell.content for p in placed))
    if nrows == 0:
        return caption(table.caption, dollars) if table.caption else ""
    if flavor == "commonmark" or (flavor == "gfm" and not _simple(table, placed, flavor)):
        return _html(table, placed, nrows, ncols, lambda c: html_inlines(c, flavor, inl.note_targets))
    if _simple(table, placed, flavor):
        body = _pipe(table, placed, nrows, ncols, lambda cell: inl.line(cell.content, dollars=dollars))
    else:
        body = _grid(table, placed, nrows, ncols, lambda cell: cell_lines(cell.content, dollars))
    if table.caption:
        body += "\n\n" + caption(table.caption, dollars)
    return body
