"""pandoc's JSON AST to the IR: :func:`from_pandoc` (the mapping is described in :mod:`.bridge`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..errors import warn
from ..ir.crosswalk import FIELDS, rights_fields
from ..ir.metadata import DatePrecision
from ..ir.model import (
    Article,
    BibEntry,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Identifier,
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
    Rights,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subject,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from ..ir.walk import normalize_inlines
from .json_ast import _ALIGN_FROM, EXACT_KEY, JSON, RIGHTS_FIELDS, RIGHTS_KEY, _node

__all__ = ["from_pandoc", "md_keys", "stringify"]

#: The logger of the warnings (the module they are documented under, ``docs/warnings.md``).
_LOGGER = "convert.pandoc.bridge"


def stringify(value: JSON) -> str:
    """The plain text of a pandoc metadata value, inline or block list (as pandoc's ``stringify``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and value[0].get("t") in _BLOCK_KINDS:
            return "\n\n".join(stringify(v) for v in value)
        return "".join(stringify(v) for v in value)
    if not isinstance(value, dict):
        return ""
    t, c = value.get("t"), value.get("c", [])
    match t:
        case "Str" | "MetaString":
            return str(c)
        case "Space" | "SoftBreak":
            return " "
        case "LineBreak":
            return "\n"
        case "MetaBool":
            return "true" if c else "false"
        case "Code" | "Math" | "CodeBlock":
            return str(c[1])
        case "Link" | "Image" | "Span" | "Div" | "Cite" | "Quoted":
            return stringify(c[1]) if t != "Quoted" else "\u201c" + stringify(c[1]) + "\u201d"
        case "Header":
            return stringify(c[2])
        case "Note" | "RawInline" | "RawBlock":
            return ""
        case "MetaMap":
            return ""
    # any other element (pandoc adds kinds: the set is open): the text of its content
    return stringify(c) if c is not None else ""


_BLOCK_KINDS = frozenset(
    {"Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList", "BulletList"}
    | {"DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"}
)


class _Reader:
    def __init__(self, refs: list[str] | None) -> None:
        self.refs = refs  # the labels of the note references, in order (exact documents)
        self.notes: list[Note] = []
        self.count = 0

    # ------------------------------------------------------------------ inlines

    def inlines(self, nodes: Iterable[JSON]) -> tuple[Inline, ...]:
        return normalize_inlines(self._inlines(nodes))

    def _inlines(self, nodes: Iterable[JSON]) -> Iterator[Inline]:
        for node in nodes:
            yield from self.inline(node)

    def inline(self, node: JSON) -> Iterator[Inline]:
        t, c = node["t"], node.get("c")
        match t:
            case "Str":
                yield Text(c)
            case "Space" | "SoftBreak":
                yield Text(" ")
            case "LineBreak":
                yield LineBreak()
            case "Emph" | "Underline":
                yield Emph(self.inlines(c))
            case "Strong":
                yield Strong(self.inlines(c))
            case "Strikeout":
                yield Strikeout(self.inlines(c))
            case "Superscript":
                yield Superscript(self.inlines(c))
            case "Subscript":
                yield Subscript(self.inlines(c))
            case "SmallCaps":
                yield SmallCaps(self.inlines(c))
            case "Quoted":
                quotes = ("\u201c", "\u201d") if c[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
                yield Text(quotes[0])
                yield from self._inlines(c[1])
                yield Text(quotes[1])
            case "Cite":
                yield from self._inlines(c[1])
            case "Code":
                yield Code(c[1])
            case "Math":
                yield Math(c[1], display=c[0]["t"] == "DisplayMath")
            case "RawInline":
                warn("pandoc.raw", f"raw {c[0]} text was dropped: {c[1][:60]!r}", logger=_LOGGER)
            case "Link":
                yield Link(self.inlines(c[1]), c[2][0], c[2][1])
            case "Image":
                yield Image(c[2][0], stringify(c[1]), c[2][1])
            case "Note":
                yield self.note(c)
            case "Span":
                attrs = dict(c[0][2])
                content = self.inlines(c[1])
                lang, direction = attrs.get("lang", ""), attrs.get("dir", "")
                if direction not in ("", "ltr", "rtl"):
                    direction = ""
                if lang or direction:
                    yield Span(content, lang, direction)
                else:
                    yield from content
            case str():  # any other pandoc element: pandoc adds kinds, the set is open
                warn("pandoc.unknown", f"a pandoc {t} element was dropped", logger=_LOGGER)

    def note(self, blocks: JSON) -> NoteRef:
        if self.refs is not None and self.count < len(self.refs):
            label = self.refs[self.count]
            self.count += 1
            return NoteRef(label)
        self.count += 1
        label = str(len(self.notes) + 1)
        self.notes.append(Note(label, self.blocks(blocks)))
        return NoteRef(label)

    # ------------------------------------------------------------------ blocks

    def blocks(self, nodes: Iterable[JSON]) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            out.extend(self.block(node))
        return tuple(out)

    def items(self, items: Iterable[JSON]) -> tuple[tuple[Block, ...], ...]:
        return tuple(self.blocks(item) for item in items)

    def block(self, node: JSON) -> Iterator[Block]:
        t, c = node["t"], node.get("c")
        match t:
            case "Para" | "Plain":
                content = self.inlines(c)
                if content:
                    yield Paragraph(content)
            case "LineBlock":
                lines: list[Inline] = []
                for line in c:
                    if lines:
                        lines.append(LineBreak())
                    lines.extend(self.inlines(line))
                yield Paragraph(normalize_inlines(lines))
            case "Header":
                yield Heading(c[0], self.inlines(c[2]))
            case "BlockQuote":
                yield BlockQuote(self.blocks(c))
            case "BulletList":
                yield BulletList(self.items(c))
            case "OrderedList":
                yield OrderedList(self.items(c[1]), c[0][0])
            case "DefinitionList":
                yield DefinitionList(tuple(DefinitionItem(self.inlines(term), self.items(defs)) for term, defs in c))
            case "HorizontalRule":
                yield ThematicBreak()
            case "CodeBlock":
                classes = c[0][1]
                yield CodeBlock(c[1], classes[0] if classes else "")
            case "RawBlock":
                warn("pandoc.raw", f"raw {c[0]} text was dropped: {c[1][:60]!r}", logger=_LOGGER)
            case "Figure":
                yield self.figure(c)
            case "Table":
                yield self.table(c)
            case "Div":
                ident, classes, _ = c[0]
                if "references" in classes or ident == "refs":
                    yield self.bibliography(c[1])
                else:
                    yield from self.blocks(c[1])
            case str():  # any other pandoc element: pandoc adds kinds, the set is open
                warn("pandoc.unknown", f"a pandoc {t} element was dropped", logger=_LOGGER)

    def figure(self, c: JSON) -> Figure:
        caption = self.inlines(_block_inlines(c[1][1]))
        images = [n for b in c[2] if b["t"] in ("Plain", "Para") for n in b["c"] if n["t"] == "Image"]
        image = next(self.inline(images[0]), None) if images else None
        assert image is None or isinstance(image, Image)
        others = [b for b in c[2] if not (b["t"] in ("Plain", "Para") and any(n["t"] == "Image" for n in b["c"]))]
        if others:
            warn("pandoc.figure", "text inside a figure besides its image was dropped", logger=_LOGGER)
        return Figure(caption, image)

    def table(self, c: JSON) -> Table:
        attr, caption, colspecs, head, bodies, foot = c
        aligns = tuple(_ALIGN_FROM.get(spec[0]["t"], "") for spec in colspecs)
        if not any(aligns) and ["aligns", "default"] not in attr[2]:
            aligns = ()

        def rows(rows: Iterable[JSON]) -> list[tuple[TableCell, ...]]:
            return [
                tuple(TableCell(self.inlines(_block_inlines(cell[4])), cell[3], cell[2]) for cell in row[1])
                for row in rows
            ]

        body_rows: list[tuple[TableCell, ...]] = []
        for body in bodies:
            body_rows += rows(body[2]) + rows(body[3])
        body_rows += rows(foot[1])
        return Table(tuple(rows(head[1])), tuple(body_rows), aligns, self.inlines(_block_inlines(caption[1])))

    def bibliography(self, blocks: JSON) -> Bibliography:
        title: tuple[Inline, ...] = ()
        entries: list[BibEntry] = []
        for b in blocks:
            if b["t"] == "Header" and not title and not entries:
                title = self.inlines(b["c"][2])
            elif b["t"] == "Div":
                ident = b["c"][0][0]
                label = ident[4:] if ident.startswith("ref-") else ""
                entries.append(BibEntry(self.inlines(_block_inlines(b["c"][1])), label))
            elif b["t"] in ("Para", "Plain"):
                entries.append(BibEntry(self.inlines(b["c"])))
        return Bibliography(tuple(entries), title)


def _block_inlines(blocks: JSON) -> list[JSON]:
    """The inlines of a list of ``Plain``/``Para`` blocks, a line break between two."""
    out: list[JSON] = []
    for b in blocks:
        if b["t"] in ("Plain", "Para"):
            if out:
                out.append(_node("LineBreak"))
            out.extend(b["c"])
    return out


# ------------------------------------------------------------------ metadata


def _date(text: str) -> tuple[dt.date | None, DatePrecision]:
    m = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if m is None:
        return None, "day"
    try:
        y, mo, d = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        return dt.date(y, mo, d), "day" if m[3] else "month" if m[2] else "year"
    except ValueError:
        return None, "day"


def _list(value: JSON) -> list[JSON]:
    if value is None:
        return []
    return list(value["c"]) if value.get("t") == "MetaList" else [value]


def _map(value: JSON) -> dict[str, JSON]:
    return dict(value["c"]) if isinstance(value, dict) and value.get("t") == "MetaMap" else {}


#: The front-matter key of each rights field (the crosswalk's ``md`` column: ``rights``, ``fair-use``, ...).
md_keys: Mapping[str, str] = {row.name: row.md for row in rights_fields() if row.md}


def _metadata_from(meta: dict[str, JSON], exact: dict[str, JSON]) -> Metadata:
    def text(key: str, source: Mapping[str, JSON] = meta) -> str:
        return stringify(source[key]) if key in source else ""

    date, precision = _date(text("date"))
    fields: dict[str, Any] = {
        "title": text("title"),
        "subtitle": text("subtitle"),
        "authors": tuple(a for a in (stringify(v) for v in _list(meta.get("author"))) if a),
        "publisher": text("publisher"),
        "date": date,
        "date_precision": precision,
        "language": text("lang"),
        "description": text("description") or text("abstract"),
    }
    rights_map = _map(meta.get(RIGHTS_KEY))
    if rights_map:
        rights = Rights(**{name: text(key, rights_map) for name, key in RIGHTS_FIELDS.items()})
    else:  # a document pandoc made from another: flat properties, the crosswalk's front-matter keys, JATS maps
        licence = _map(meta.get("license"))
        found = {
            name: text(f"{RIGHTS_KEY}-{key}") or (text(md_keys[name]) if name in md_keys else "")
            for name, key in RIGHTS_FIELDS.items()
        }
        found["copyright"] = found["copyright"] or text("statement", _map(meta.get("copyright"))) or text("copyright")
        found["licence"] = found["licence"] or text("text", licence)
        found["licence_url"] = found["licence_url"] or text("link", licence)
        rights = Rights(**found)
    fields["rights"] = rights
    if not exact:  # the crosswalk's other front-matter keys (``site``, ``source-url``, ``modified``, ...)
        for row in FIELDS:
            if not row.rights and row.md and row.md in meta and row.name not in fields and row.kind in ("text", "date"):
                value = text(row.md)
                fields[row.name] = _date(value)[0] if row.kind == "date" else value
    if exact:
        fields["subjects"] = tuple(
            Subject(text("term", _map(s)), text("scheme", _map(s))) for s in _list(exact.get("subjects"))
        )
        fields["identifiers"] = tuple(
            Identifier(text("value", _map(i)), text("scheme", _map(i))) for i in _list(exact.get("identifiers"))
        )
        fields["source_url"] = text("source-url", exact)
        fields["site"] = text("site", exact)
        fields["image"] = text("image", exact)
        fields["language"] = text("language", exact)
        fields["modified"] = _date(text("modified", exact))[0]
    else:
        fields["subjects"] = tuple(
            Subject(k, "keyword") for k in (stringify(v) for v in _list(meta.get("keywords"))) if k
        )
    return Metadata(**fields)


def from_pandoc(doc: Mapping[str, JSON]) -> Article:
    """The article of a pandoc JSON document (as :func:`to_pandoc` or ``pandoc -t json`` makes it)."""
    meta: dict[str, JSON] = dict(doc.get("meta", {}))
    exact = _map(meta.get(EXACT_KEY))
    refs = [stringify(r) for r in _list(exact.get("note-refs"))] if exact else None
    reader = _Reader(refs)
    body = reader.blocks(doc.get("blocks", []))
    if exact:
        notes = tuple(
            Note(stringify(_map(n)["label"]), reader.blocks(_map(n)["blocks"]["c"])) for n in _list(exact.get("notes"))
        )
    else:
        notes = tuple(reader.notes)
    return Article(_metadata_from(meta, exact), body, notes)
