"""Blocks and notes of the ``md`` writer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import assert_never

from convert.recache import compile as recompile

from ...ir.model import (
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    Math,
    Note,
    OrderedList,
    Paragraph,
    Table,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines, plain_text
from .inlines import Inlines, escape, protect_start
from .tables import render_table

__all__ = ["Blocks", "indent", "notes"]

#: Blocks that two of a kind in a row would merge into one: ``<!-- -->`` keeps them apart.
_MERGING = (BulletList, OrderedList, BlockQuote, DefinitionList)
#: Runs of backticks opening a line of code (a fence must be longer); what pandoc's attribute values escape.
_FENCES = recompile(r"^\s*(`{3,})", re.M)
_ATTR_SPECIAL = recompile(r'([\\"{}])')


def indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0], *((rest + ln) if ln.strip() else "" for ln in lines[1:])])


class Blocks:
    def __init__(self, inl: Inlines, flavor: str) -> None:
        self.inl = inl
        self.flavor = flavor

    def paragraph(self, content: tuple[Inline, ...], *, dollars: bool | None = None) -> str:
        content = normalize_inlines(content)
        if len(content) == 1 and isinstance(content[0], Math) and content[0].display and self.flavor != "pandoc":
            math = content[0]
            if self.flavor == "commonmark" or "`" in math.tex:
                self.inl.one(math, ())  # the warning that it is written as code
            return f"```math\n{math.tex.strip()}\n```"
        text = self.inl.line(content, dollars=dollars)
        return "\n".join(protect_start(line, self.flavor) for line in text.split("\n"))

    def one_line(self, content: tuple[Inline, ...]) -> str:
        """Inline content on one line (a heading, a term): line breaks become spaces."""
        return self.inl.line(normalize_inlines(content)).replace("\\\n", " ").replace("\n", " ")

    def blocks(self, blocks: Sequence[Block]) -> str:
        parts: list[str] = []
        for i, block in enumerate(blocks):
            before = blocks[i - 1] if i else None
            if (type(before) is type(block) and isinstance(block, _MERGING)) or (
                isinstance(before, DefinitionList) and isinstance(block, BulletList | OrderedList)
            ):
                parts.append("<!-- -->")  # keep two lists or quotes apart, as pandoc does (a definition's too)
            parts.append(self.block(block))
        return "\n\n".join(p for p in parts if p)

    def block(self, block: Block) -> str:
        match block:
            case Paragraph(content=c):
                return self.paragraph(c)
            case Heading(level=level, content=c):
                text = self.one_line(c)
                if text.endswith("#"):
                    text = text[:-1] + "\\#"  # not a closing sequence
                return "#" * max(1, min(level, 6)) + " " + text
            case BlockQuote(blocks=bs):
                inner = self.blocks(bs)
                return "\n".join(("> " + ln) if ln else ">" for ln in inner.split("\n")) if inner else ""
            case BulletList(items=items):
                return self._list(["- "] * len(items), items)
            case OrderedList(items=items, start=start):
                return self._list([f"{start + k}. " for k in range(len(items))], items)
            case Figure(caption=caption, image=image):
                return self.figure(caption, image)
            case ThematicBreak():
                return "* * *"
            case CodeBlock(text=t, language=lang):
                longest = max((len(m) for m in _FENCES.findall(t)), default=2)
                fence = "`" * max(3, longest + 1)
                return f"{fence}{lang}\n{t}\n{fence}"
            case Table():
                return render_table(block, self.inl, self._cell_lines, self._caption)
            case DefinitionList(items=items):
                return self._definitions(items)
            case Bibliography():
                return self._bibliography(block)
        assert_never(block)

    def _list(self, markers: list[str], items: tuple[tuple[Block, ...], ...]) -> str:
        loose = any(len(item) > 1 for item in items)
        rendered = []
        for marker, item in zip(markers, items, strict=True):
            body = self.blocks(item) or ""
            rendered.append(indent(body, marker, " " * len(marker)))
        return ("\n\n" if loose else "\n").join(rendered)

    # ----------------------------------------------------------------------- tables

    def _cell_lines(self, content: tuple[Inline, ...], dollars: bool) -> list[str]:
        """A grid table cell: its paragraph's lines (a bar inside a cell is text)."""
        text = self.paragraph(content, dollars=dollars) if content else ""
        return text.split("\n") if text else []

    def _caption(self, caption: tuple[Inline, ...], dollars: bool) -> str:
        lines = self.inl.line(normalize_inlines(caption), dollars=dollars).split("\n")
        rest = [protect_start(ln, self.flavor) for ln in lines[1:]]
        return "\n".join(["Table: " + lines[0], *rest])

    # ----------------------------------------------------------------------- definition lists

    def _definitions(self, items: tuple[DefinitionItem, ...]) -> str:
        if self.flavor != "pandoc":
            return self._definitions_html(items)
        out = []
        for item in items:
            term = protect_start(self.one_line(item.term), self.flavor)
            tight = all(len(d) == 1 and isinstance(d[0], Paragraph) for d in item.definitions)
            defs = [indent(self.blocks(d), ":   ", "    ") for d in item.definitions] or [":   "]
            out.append(term + ("\n" if tight else "\n\n") + ("\n" if tight else "\n\n").join(defs))
        return "\n\n".join(out)

    def _definitions_html(self, items: tuple[DefinitionItem, ...]) -> str:
        """A ``<dl>`` of raw HTML with Markdown inside (blank lines around it), as GFM and CommonMark allow."""
        out = ["<dl>"]
        for item in items:
            out += ["<dt>", "", self.paragraph(item.term), "", "</dt>"]
            for d in item.definitions:
                out += ["<dd>", "", self.blocks(d), "", "</dd>"]
        out.append("</dl>")
        return "\n".join(out)

    # ----------------------------------------------------------------------- bibliographies

    def _bibliography(self, block: Bibliography) -> str:
        """A reference list as pandoc's citeproc writes one: ``::: {#refs .references}``, an entry per div.

        The title is a heading inside the div; an entry's label is its div's id
        (``#ref-smith2019``).  GFM and CommonMark get the same divs as raw HTML.
        """
        title = "# " + self.one_line(block.title) if block.title else ""
        entries = []
        for entry in block.entries:
            text = self.paragraph(entry.content) if entry.content else ""
            if self.flavor == "pandoc":
                opener = "::: {#ref-" + entry.label + " .csl-entry}" if entry.label else "::: csl-entry"
                entries.append("\n".join([opener, *([text] if text else []), ":::"]))
            else:
                ident = f' id="ref-{entry.label}"' if entry.label else ""
                entries.append("\n\n".join([f'<div{ident} class="csl-entry">', *([text] if text else []), "</div>"]))
        inner = "\n\n".join(x for x in (title, *entries) if x)
        if self.flavor == "pandoc":
            return ":::: {#refs .references}\n" + (inner + "\n" if inner else "") + "::::"
        return '<div id="refs" class="references">\n\n' + (inner + "\n\n" if inner else "") + "</div>"

    # ----------------------------------------------------------------------- figures

    def figure(self, caption: tuple[Inline, ...], image: Image | None) -> str:
        cap = self.paragraph(caption) if caption else ""
        if self.flavor == "pandoc":
            if image is not None:
                # no description: the image alone (pandoc's own writer does the same), alt text apart
                attrs = "{alt=" + _quoted(image.alt) + "}" if image.alt else ""
                alone = self.inl.image(image.src, "", image.title, attrs)
                if not caption:
                    return alone
                # pandoc's implicit figure: the caption as the image's description, its alt text apart
                text = self.inl.line(normalize_inlines(caption))
                if "\n" not in text:
                    attrs = "" if image.alt == plain_text(caption) else "{alt=" + _quoted(image.alt) + "}"
                    return self.inl.image(image.src, "", image.title, attrs, description=text)
            parts = ["::: figure"]
            if image is not None:
                parts += [alone, ""]
            if cap:
                parts.append(cap)
            elif parts[-1] == "":
                parts.pop()
            parts.append(":::")
            return "\n".join(parts)
        out = []
        if image is not None:
            out.append(self.inl.image(image.src, image.alt, image.title))
        if caption:
            out.append(self.paragraph((Emph(caption),)))
        return "\n\n".join(out)


def _quoted(value: str) -> str:
    return '"' + _ATTR_SPECIAL.sub(r"\\\1", value) + '"'  # "{" and "}" end pandoc's attributes


def notes(notes: Sequence[Note], blocks: Blocks, flavor: str) -> str:
    if not notes:
        return ""
    if flavor == "commonmark":
        items = []
        for note in notes:
            body = blocks.blocks(note.blocks)
            items.append(
                indent(f'<a id="note-{note.label}"></a>\\[{escape(note.label, flavor)}\\] ' + body, "- ", "  ")
            )
        return "## Notes\n\n" + "\n".join(items)
    out = []
    for note in notes:
        body = blocks.blocks(note.blocks)
        out.append(indent(body, f"[^{note.label}]: ", "    "))
    return "\n\n".join(out)
