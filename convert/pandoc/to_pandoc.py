"""The IR to pandoc's JSON AST: :func:`to_pandoc` (the mapping is described in :mod:`.bridge`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import assert_never

from ..ir.metadata import DatePrecision
from ..ir.model import (
    Article,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from .json_ast import _ALIGN_TO, _NO_ATTR, API_VERSION, EXACT_KEY, JSON, RIGHTS_FIELDS, RIGHTS_KEY, _ms, _node

__all__ = ["text_nodes", "to_pandoc"]


class _Writer:
    def __init__(self, article: Article, exact: bool) -> None:
        self.exact = exact
        self.notes = {note.label: note for note in article.notes}
        self.refs: list[str] = []
        self.converted: dict[str, JSON] = {}

    # ------------------------------------------------------------------ inlines

    def inlines(self, content: Iterable[Inline]) -> list[JSON]:
        out: list[JSON] = []
        for node in content:
            out.extend(self.inline(node))
        return out

    def inline(self, node: Inline) -> list[JSON]:
        match node:
            case Text(text=text):
                return text_nodes(text)
            case Emph(content=c):
                return [_node("Emph", self.inlines(c))]
            case Strong(content=c):
                return [_node("Strong", self.inlines(c))]
            case Strikeout(content=c):
                return [_node("Strikeout", self.inlines(c))]
            case Superscript(content=c):
                return [_node("Superscript", self.inlines(c))]
            case Subscript(content=c):
                return [_node("Subscript", self.inlines(c))]
            case SmallCaps(content=c):
                return [_node("SmallCaps", self.inlines(c))]
            case Link(content=c, target=target, title=title):
                return [_node("Link", [_NO_ATTR, self.inlines(c), [target, title]])]
            case Image(src=src, alt=alt, title=title):
                return [_node("Image", [_NO_ATTR, text_nodes(alt), [src, title]])]
            case Code(text=text):
                return [_node("Code", [_NO_ATTR, text])]
            case LineBreak():
                return [_node("LineBreak")]
            case Math(tex=tex, display=display):
                return [_node("Math", [_node("DisplayMath" if display else "InlineMath"), tex])]
            case Span(content=c, lang=lang, dir=direction):
                attrs = [[k, v] for k, v in (("lang", lang), ("dir", direction)) if v]
                return [_node("Span", [["", [], attrs], self.inlines(c)])]
            case NoteRef(label=label):
                note = self.notes.get(label)
                self.refs.append(label)
                if label not in self.converted:
                    self.converted[label] = self.blocks(note.blocks) if note is not None else []
                return [_node("Note", self.converted[label])]
        assert_never(node)

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks: Iterable[Block]) -> list[JSON]:
        return [self.block(b) for b in blocks]

    def items(self, items: Iterable[tuple[Block, ...]]) -> list[JSON]:
        return [self.blocks(item) for item in items]

    def block(self, node: Block) -> JSON:
        match node:
            case Paragraph(content=c):
                return _node("Para", self.inlines(c))
            case Heading(level=level, content=c):
                return _node("Header", [level, _NO_ATTR, self.inlines(c)])
            case BlockQuote(blocks=blocks):
                return _node("BlockQuote", self.blocks(blocks))
            case BulletList(items=items):
                return _node("BulletList", self.items(items))
            case OrderedList(items=items, start=start):
                style = [start, _node("Decimal"), _node("Period")]
                return _node("OrderedList", [style, self.items(items)])
            case Figure(caption=caption, image=image):
                if image is None and not self.exact:  # most writers drop a figure without an image
                    return _node("Div", [["", ["figure"], []], [_node("Para", self.inlines(caption))]])
                body = [_node("Plain", self.inline(image))] if image is not None else []
                cap = [_node("Plain", self.inlines(caption))] if caption else []
                return _node("Figure", [_NO_ATTR, [None, cap], body])
            case ThematicBreak():
                return _node("HorizontalRule")
            case CodeBlock(text=text, language=language):
                return _node("CodeBlock", [["", [language] if language else [], []], text])
            case Table():
                return self.table(node)
            case DefinitionList(items=items):
                return _node("DefinitionList", [[self.inlines(i.term), self.items(i.definitions)] for i in items])
            case Bibliography(entries=entries, title=title):
                parts: list[JSON] = []
                if title:
                    parts.append(_node("Header", [1, ["", ["unnumbered"], []], self.inlines(title)]))
                for entry in entries:
                    ident = f"ref-{entry.label}" if entry.label else ""
                    para = _node("Para", self.inlines(entry.content))
                    parts.append(_node("Div", [[ident, ["csl-entry"], []], [para]]))
                return _node("Div", [["", ["references", "csl-bib-body"], []], parts])
        assert_never(node)

    def table(self, table: Table) -> JSON:
        caption = [_node("Plain", self.inlines(table.caption))] if table.caption else []
        columns = table.columns
        aligns = list(table.aligns) + [""] * (columns - len(table.aligns))
        colspecs = [[_node(_ALIGN_TO[a]), _node("ColWidthDefault")] for a in aligns]
        attrs = [["aligns", "default"]] if table.aligns and not any(table.aligns) else []

        def rows(rows: Iterable[tuple[TableCell, ...]]) -> list[JSON]:
            return [
                [_NO_ATTR, [[_NO_ATTR, _node("AlignDefault"), c.rowspan, c.colspan, self.cell(c)] for c in row]]
                for row in rows
            ]

        head = [_NO_ATTR, rows(table.head)]
        body = [[_NO_ATTR, 0, [], rows(table.rows)]]
        return _node("Table", [["", [], attrs], [None, caption], colspecs, head, body, [_NO_ATTR, []]])

    def cell(self, cell: TableCell) -> list[JSON]:
        return [_node("Plain", self.inlines(cell.content))] if cell.content else []


def text_nodes(text: str) -> list[JSON]:
    """``Str`` and ``Space`` nodes for ``text`` (every space a ``Space``)."""
    out: list[JSON] = []
    for piece in re.split(r"( )", text):
        if piece == " ":
            out.append(_node("Space"))
        elif piece:
            out.append(_node("Str", piece))
    return out


def _meta_inlines(text: str) -> JSON:
    return _node("MetaInlines", text_nodes(text))


def _date_text(date: dt.date, precision: DatePrecision) -> str:
    iso = date.isoformat()
    return iso[:4] if precision == "year" else iso[:7] if precision == "month" else iso


def _metadata(meta: Metadata) -> dict[str, JSON]:
    from ..lang import direction

    out: dict[str, JSON] = {}
    if meta.title:
        out["title"] = _meta_inlines(meta.title)
    if meta.subtitle:
        out["subtitle"] = _meta_inlines(meta.subtitle)
    if meta.authors:
        out["author"] = _node("MetaList", [_meta_inlines(a) for a in meta.authors])
    if meta.date is not None:
        out["date"] = _meta_inlines(_date_text(meta.date, meta.date_precision))
    if meta.language:
        out["lang"] = _ms(meta.language)
        out["dir"] = _ms(direction(meta.language))
    if meta.publisher:
        out["publisher"] = _meta_inlines(meta.publisher)
    if meta.description:
        out["description"] = _meta_inlines(meta.description)
    keywords = list(dict.fromkeys(s.term for s in meta.subjects))
    if keywords:
        out["keywords"] = _node("MetaList", [_meta_inlines(k) for k in keywords])
    rights = meta.rights
    if not rights.is_empty():
        out[RIGHTS_KEY] = _node(
            "MetaMap", {key: _ms(getattr(rights, name)) for name, key in RIGHTS_FIELDS.items() if getattr(rights, name)}
        )
    if rights.copyright:
        out["rights"] = _ms(rights.copyright)
        copyright = {"statement": _ms(rights.copyright)}
        if rights.copyright_year is not None:
            copyright["year"] = _ms(str(rights.copyright_year))
        if rights.copyright_holders:
            copyright["holder"] = _ms(", ".join(rights.copyright_holders))
        out["copyright"] = _node("MetaMap", copyright)
    if rights.licence or rights.licence_url:
        licence = {"text": _ms(rights.licence)} if rights.licence else {}
        if rights.licence_url:
            licence["link"] = _ms(rights.licence_url)
        if rights.licence_url.startswith(("https://creativecommons.org/", "http://creativecommons.org/")):
            licence["type"] = _ms("open-access")
        out["license"] = _node("MetaMap", licence)
    return out


def _exact(meta: Metadata, notes: tuple[Note, ...], refs: list[str], writer: _Writer) -> dict[str, JSON]:
    fields: dict[str, JSON] = {
        "subjects": _node(
            "MetaList", [_node("MetaMap", {"term": _ms(s.term), "scheme": _ms(s.scheme)}) for s in meta.subjects]
        ),
        "identifiers": _node(
            "MetaList", [_node("MetaMap", {"value": _ms(i.value), "scheme": _ms(i.scheme)}) for i in meta.identifiers]
        ),
        "notes": _node(
            "MetaList",
            [
                _node("MetaMap", {"label": _ms(n.label), "blocks": _node("MetaBlocks", writer.blocks(n.blocks))})
                for n in notes
            ],
        ),
        "note-refs": _node("MetaList", [_ms(label) for label in refs]),
    }
    for name, key in (("source_url", "source-url"), ("site", "site"), ("image", "image"), ("language", "language")):
        if getattr(meta, name):
            fields[key] = _ms(getattr(meta, name))
    if meta.modified is not None:
        fields["modified"] = _ms(meta.modified.isoformat())
    return {EXACT_KEY: _node("MetaMap", fields)}


def to_pandoc(article: Article, *, exact: bool = True) -> dict[str, JSON]:
    """The article as a pandoc JSON document (``exact``: with what makes :func:`from_pandoc` its inverse)."""
    writer = _Writer(article, exact)
    blocks = writer.blocks(article.body)
    meta = _metadata(article.metadata)
    if exact:
        meta |= _exact(article.metadata, article.notes, writer.refs, writer)
    return {"pandoc-api-version": list(API_VERSION), "meta": meta, "blocks": blocks}
