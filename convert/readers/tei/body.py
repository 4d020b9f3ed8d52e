"""``text`` (front, body, back) into blocks and notes, note references resolved on the way."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from lxml import etree

from convert.recache import compile as recompile

from ...ir.model import (
    BIB_LABEL,
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
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
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
    column_starts,
)
from ...ir.walk import normalize_inlines
from ...xmlns import TEI_NS, XML_ID, XML_LANG, XML_SPACE, tei_local_name
from .elements import SKIPPED, XML_WS, all_text, kid, kids, plain

__all__ = ["TextReader"]

_NEWLINE_WS = recompile(r"[ \t\r]*\n[ \t\n\r]*")
_OUR_NOTE_ID = recompile(r"note-(\d+)")
_SPACES = (" ", "\t", "\n", "\r")

#: Block-level elements (inside ``body``, ``div``, ``quote``, ``item``, ``note``).
_BLOCKS = frozenset(
    {"p", "ab", "head", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "quote", "list",
     "figure", "eg", "milestone", "lg", "pb", "cb", "table", "listBibl"}
)  # fmt: skip
#: Block-level elements that may also stand inside a ``p``.
_BLOCKS_IN_P = frozenset({"list", "figure", "eg", "table", "listBibl"})
#: Entries of a ``listBibl``.
_BIBLS = frozenset({"bibl", "biblStruct", "biblFull", "msDesc"})
#: Inline elements that show their content emphasised.
_EMPHASIS = frozenset({"emph", "foreign", "title", "mentioned"})
#: Inline elements that stand for quoted text.
_QUOTED = frozenset({"q", "quote", "said", "soCalled"})
_NOTE_DIV_TYPES = frozenset({"notes", "endnotes", "footnotes"})
_CHOICE_PREFERENCE = ("corr", "reg", "expan")
#: ``hi`` renditions (``@rend``, ``@rendition``, ``@style``, lower case) of each styled kind, bold first.
_HI_KINDS: tuple[tuple[re.Pattern[str], type[Strong | Strikeout | Superscript | Subscript | SmallCaps]], ...] = (
    (recompile(r"bold|strong"), Strong),
    (recompile(r"strike|line-through|struck"), Strikeout),
    (recompile(r"\bsup(?:er(?:script)?)?\b"), Superscript),
    (recompile(r"\bsub(?:script)?\b"), Subscript),
    (recompile(r"small-?caps|\bsc\b"), SmallCaps),
)
_LANGUAGE_TAG = recompile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_DIRECTION = recompile(r"direction\s*:\s*(ltr|rtl)\b")
_TEXT_ALIGN = recompile(r"text-align\s*:\s*([a-z-]+)|\balign\(([a-z-]+)\)|\b(left|center|centre|right)\b")
_ALIGNMENTS = {"left": "left", "center": "center", "centre": "center", "right": "right"}


def _outside_spaces(content: list[Inline], container: Inline) -> list[Inline]:
    """``container`` with a space before/after it where ``content`` began/ended with XML whitespace.

    (``a<hi> b</hi>`` is "a", then emphasised "b": the space belongs between them.)
    """
    before = [Text(" ")] if content and isinstance(content[0], Text) and content[0].text[:1] in _SPACES else []
    after = [Text(" ")] if content and isinstance(content[-1], Text) and content[-1].text[-1:] in _SPACES else []
    return [*before, container, *after]


def _tidy_breaks(nodes: list[Inline]) -> list[Inline]:
    """Drop layout whitespace (whitespace holding a newline) on either side of line breaks."""
    out = list(nodes)
    for i, node in enumerate(out):
        if not isinstance(node, LineBreak):
            continue
        before = out[i - 1] if i else None
        if isinstance(before, Text) and "\n" in before.text[len(before.text.rstrip(" \t\n\r")) :]:
            out[i - 1] = Text(before.text.rstrip(" \t\n\r"))
        after = out[i + 1] if i + 1 < len(out) else None
        if isinstance(after, Text) and "\n" in after.text[: len(after.text) - len(after.text.lstrip(" \t\n\r"))]:
            out[i + 1] = Text(after.text.lstrip(" \t\n\r"))
    return out


class TextReader:
    """Reads ``text`` (body, back) once, resolving note references on the way."""

    def __init__(self, text: etree._Element | None) -> None:
        self.text = text
        self.labels: dict[etree._Element, str] = {}
        self.by_id: dict[str, etree._Element] = {}
        self.notes: dict[etree._Element, Note] = {}
        self.order: list[etree._Element] = []
        if text is None:
            return
        notes = [el for el in text.iter(f"{{{TEI_NS}}}note", "note") if tei_local_name(el) == "note"]
        used: set[str] = set()
        for el in notes:
            label = XML_WS.sub(" ", el.get("n", "")).strip(" ")
            if label:
                unique, count = label, 1
                while unique in used:
                    count += 1
                    unique = f"{label}-{count}"
                self.labels[el] = unique
                used.add(unique)
        counter = 0
        for el in notes:
            if el not in self.labels:
                counter += 1
                while str(counter) in used:
                    counter += 1
                self.labels[el] = str(counter)
                used.add(str(counter))
            if el.get(XML_ID):
                self.by_id[el.get(XML_ID, "")] = el

    # ------------------------------------------------------------------ notes

    def note(self, el: etree._Element) -> str:
        """Read the note ``el`` (once) and return its label."""
        if el not in self.notes:
            self.notes[el] = Note(self.labels[el], ())  # placeholder: a note cannot contain itself
            self.order.append(el)
            self.notes[el] = Note(self.labels[el], tuple(self.blocks(el, 0)))
        return self.labels[el]

    def pointed_note(self, target: str) -> etree._Element | None:
        if target.startswith("#"):
            return self.by_id.get(target[1:])
        return None

    def all_notes(self) -> tuple[Note, ...]:
        """Notes in document order, or in the order of their ``note-N`` ids when every note has one."""
        numbers: list[int] = []
        for el in self.order:
            match = _OUR_NOTE_ID.fullmatch(el.get(XML_ID, ""))
            if match is None:
                return tuple(self.notes[el] for el in self.order)
            numbers.append(int(match.group(1)))
        ranked = sorted(zip(numbers, self.order, strict=True), key=lambda pair: pair[0])
        return tuple(self.notes[el] for _, el in ranked)

    # ------------------------------------------------------------------ inlines

    def mixed(self, el: etree._Element) -> list[Inline]:
        """The inline content of ``el`` (not normalised)."""
        out: list[Inline] = []
        if el.text:
            out.append(Text(el.text))
        for child in el:
            out.extend(self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return _tidy_breaks(out)

    def content(self, el: etree._Element) -> tuple[Inline, ...]:
        """The normalised inline content of ``el``."""
        return normalize_inlines(self.mixed(el))

    def inline(self, el: etree._Element) -> list[Inline]:
        """One inline element (its tail excluded)."""
        name = tei_local_name(el)
        if name == "hi":
            rend = " ".join(el.get(a, "") for a in ("rend", "rendition", "style")).lower()
            for pattern, kind in _HI_KINDS:
                if pattern.search(rend):
                    return self.wrapped(el, kind)
            if not rend.strip() or any(word in rend for word in ("italic", "emph", "oblique")):
                return self.wrapped(el, Emph)
            return self.mixed(el)
        if name == "del":
            return self.wrapped(el, Strikeout)
        if name == "seg":
            found = _DIRECTION.search(" ".join(el.get(a, "") for a in ("style", "rend")).lower())
            direction = found.group(1) if found else ""
            lang = el.get(XML_LANG, "")
            lang = lang if _LANGUAGE_TAG.fullmatch(lang) else ""  # (what TEI's xml:lang may hold)
            return self.wrapped(el, lambda content: Span(content, lang, direction))
        if name == "graphic":
            return [] if el.get("url") is None else [self.image(el, kids(el, "desc"))]
        if name == "formula":
            notation = el.get("notation", "").lower()
            if notation and "tex" not in notation:  # (MathML and others: their text)
                return self.mixed(el)
            return [Math(all_text(el), display="display" in el.get("rend", "").lower())]
        if name in _EMPHASIS:
            return self.wrapped(el, Emph)
        if name in ("ref", "ptr"):
            return self.reference(el)
        if name == "note":
            return [NoteRef(self.note(el))]
        if name == "lb":
            return [LineBreak()]
        if name == "code":
            return [Code(all_text(el))]
        if name in _QUOTED:
            return [Text("“"), *self.mixed(el), Text("”")]
        if name == "choice":
            for preferred in _CHOICE_PREFERENCE:
                chosen = kid(el, preferred)
                if chosen is not None:
                    return self.mixed(chosen)
            return self.mixed(el[0]) if len(el) else []
        if name in SKIPPED or not name:
            return []
        return self.mixed(el)

    def wrapped(self, el: etree._Element, kind: Callable[[tuple[Inline, ...]], Inline]) -> list[Inline]:
        """``el``'s content in ``kind``."""
        inner = self.mixed(el)
        return _outside_spaces(inner, kind(normalize_inlines(inner)))

    def image(self, graphic: etree._Element, descriptions: list[etree._Element]) -> Image:
        """The image of a ``graphic``: its ``@url``, the first untyped ``desc`` for alt text, ``@n`` for title."""
        alt = next((plain(d) for d in descriptions if not d.get("type")), "")
        return Image(graphic.get("url", ""), alt, graphic.get("n", ""))

    def reference(self, el: etree._Element) -> list[Inline]:
        """A ``ref`` or ``ptr``: a note reference when it points to a note, else a link."""
        target = el.get("target")
        note = self.pointed_note(target or "")
        if note is not None:
            shown = all_text(el).strip().strip("[]()").strip()
            if tei_local_name(el) == "ptr" or shown in ("", self.labels[note]):
                return [NoteRef(self.note(note))]
        if target is None:
            if tei_local_name(el) == "ptr" and el.get("type") == "noteref" and el.get("n"):
                return [NoteRef(el.get("n", ""))]
            return self.mixed(el)
        content = self.mixed(el)
        return _outside_spaces(content, Link(normalize_inlines(content), target, el.get("n", "")))

    # ------------------------------------------------------------------ blocks

    def blocks(self, el: etree._Element, depth: int, in_p: bool = False) -> list[Block]:
        """The blocks inside ``el``; loose inline content becomes paragraphs."""
        out: list[Block] = []
        pending: list[Inline] = []

        def flush() -> None:
            content = normalize_inlines(_tidy_breaks(pending))
            if content:
                out.append(Paragraph(content))
            pending.clear()

        if el.text:
            pending.append(Text(el.text))
        for child in el:
            name = tei_local_name(child)
            if name in (_BLOCKS_IN_P if in_p else _BLOCKS):
                flush()
                out.extend(self.block(child, depth))
            elif in_p or name in _INLINE_NAMES or not name:
                pending.extend(self.inline(child))
            else:  # an element unknown here: its blocks, or one paragraph of its text
                flush()
                if any(tei_local_name(c) in _BLOCKS for c in child):
                    out.extend(self.blocks(child, depth))
                else:
                    content = self.content(child)
                    if content:
                        out.append(Paragraph(content))
            if child.tail:
                pending.append(Text(child.tail))
        flush()
        return out

    def block(self, el: etree._Element, depth: int) -> list[Block]:
        """One block-level element."""
        name = tei_local_name(el)
        if name == "ab" and el.get("type") == "heading":
            level = el.get("n", "").strip()
            return [Heading(int(level) if re.fullmatch(r"0*[1-9][0-9]{0,2}", level) else 1, self.content(el))]
        if name in ("p", "ab"):
            return self.blocks(el, depth, in_p=True)
        if name == "head":
            return [Heading(max(depth, 1), self.content(el))]
        if name == "div":
            return self.blocks(el, depth + 1)
        if re.fullmatch(r"div[1-7]", name):
            return self.blocks(el, int(name[3:]))
        if name == "quote":
            return [BlockQuote(tuple(self.blocks(el, depth)))]
        if name == "list":
            return self.list(el, depth)
        if name == "figure":
            head = kid(el, "head")
            graphic = kid(el, "graphic")
            image: Image | None = None
            if graphic is not None and graphic.get("url") is not None:
                image = self.image(graphic, kids(el, "figDesc") or kids(graphic, "desc"))
            return [Figure(self.content(head) if head is not None else (), image)]
        if name == "table":
            return self.table(el, depth)
        if name == "listBibl":
            return [self.bibliography(el)]
        if name == "eg":
            return [self.code_block(el)]
        if name == "milestone":
            return [ThematicBreak()]
        if name == "lg":
            lines: list[Inline] = []
            for line in kids(el, "l"):
                if lines:
                    lines.append(LineBreak())
                lines.extend(self.content(line))
            return [Paragraph(normalize_inlines(lines))] if lines else []
        return []  # pb, cb: page and column breaks of a printed source

    def definitions(self, el: etree._Element, depth: int) -> list[Block]:
        """A gloss list: each ``label`` starts a term, each ``item`` after it is a definition of it.

        An empty ``item`` adds no definition; an ``item`` holding only a ``list[@type="definitions"]``
        adds one definition per item of that list.
        """
        entries: list[tuple[tuple[Inline, ...], list[tuple[Block, ...]]]] = []
        for child in el:
            name = tei_local_name(child)
            if name == "label":
                entries.append((self.content(child), []))
            elif name == "item":
                if not entries:
                    entries.append(((), []))
                several = kids(child, "list")
                if len(child) == 1 and several and several[0].get("type") == "definitions" and not _text_around(child):
                    entries[-1][1].extend(tuple(self.blocks(item, depth)) for item in kids(several[0], "item"))
                else:
                    blocks = tuple(self.blocks(child, depth))
                    if blocks:
                        entries[-1][1].append(blocks)
        if not entries:
            return []
        return [DefinitionList(tuple(DefinitionItem(term, tuple(defs)) for term, defs in entries))]

    def bibliography(self, el: etree._Element, title: tuple[Inline, ...] = ()) -> Bibliography:
        """``listBibl``: its ``head`` the title, each ``bibl`` (or nested ``listBibl``'s) an entry.

        An entry's label is its ``xml:id`` less ``ref-`` (or its ``@n``), when that is a name
        no earlier entry of the list has.
        """
        head = kid(el, "head")
        if head is not None:
            title = self.content(head)
        entries: list[BibEntry] = []
        labels: set[str] = set()
        for bibl in el.iter():
            if tei_local_name(bibl) not in _BIBLS or any(tei_local_name(a) in _BIBLS for a in bibl.iterancestors()):
                continue
            ident = bibl.get(XML_ID, "").strip()
            label = (ident[4:] if ident.startswith("ref-") else ident) or bibl.get("n", "").strip()
            if not BIB_LABEL.match(label) or label in labels:
                label = ""
            labels.add(label)
            whole = tei_local_name(bibl) != "bibl"  # a structured entry: its text
            parts = (str(part).strip() for part in bibl.itertext()) if whole else ()
            content = normalize_inlines([Text(" ".join(p for p in parts if p))]) if whole else self.entry(bibl)
            entries.append(BibEntry(content, label))
        return Bibliography(tuple(entries), title)

    def entry(self, bibl: etree._Element) -> tuple[Inline, ...]:
        """A ``bibl``'s content; a ``seg[@type="bibl-part"]`` (an image, a formula) is only a wrapper."""
        out: list[Inline] = [Text(bibl.text)] if bibl.text else []
        for child in bibl:
            part = tei_local_name(child) == "seg" and child.get("type") == "bibl-part"
            out.extend(self.mixed(child) if part else self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return normalize_inlines(_tidy_breaks(out))

    def table(self, el: etree._Element, depth: int) -> list[Block]:
        """``table``: leading label rows are the header, ``@cols``/``@rows`` the spans, alignments from the cells."""
        head = kid(el, "head")
        caption = self.content(head) if head is not None else ()
        header: list[tuple[TableCell, ...]] = []
        body: list[tuple[TableCell, ...]] = []
        cell_els: list[list[etree._Element]] = []
        for row in kids(el, "row"):
            cells = kids(row, "cell")
            if not cells:
                continue  # (TEI rows hold a cell; the IR has no empty rows either)
            cell_els.append(cells)
            content = tuple(TableCell(self.cell(c), _span(c, "cols"), _span(c, "rows")) for c in cells)
            label = row.get("role") == "label" or all(c.get("role") == "label" for c in cells)
            (header if label and not body else body).append(content)
        if not cell_els:
            return [Paragraph(caption)] if caption else []
        starts = column_starts([*header, *body])
        columns = max(sum(cell.colspan for cell in row) for row in (*header, *body))
        declared = el.get("cols", "").strip()
        if declared.isdigit() and int(declared) <= 1000:
            columns = max(columns, int(declared))
        aligns: list[str | None] = [None] * columns
        for cells, row_starts in zip(cell_els, starts, strict=True):
            for cell, column in zip(cells, row_starts, strict=True):
                align = _cell_align(cell)
                if align is not None and column < columns and aligns[column] is None:
                    aligns[column] = align
        found = tuple(a or "" for a in aligns) if any(a is not None for a in aligns) else ()
        return [Table(tuple(header), tuple(body), found, caption)]

    def cell(self, el: etree._Element) -> tuple[Inline, ...]:
        """A cell's inline content; block-level children (hand-written ``p``) are joined by line breaks."""
        if not any(tei_local_name(child) in _BLOCKS for child in el):
            return self.content(el)
        runs: list[list[Inline]] = [[Text(el.text)] if el.text else []]
        for child in el:
            if tei_local_name(child) in _BLOCKS:
                runs += [self.mixed(child), []]
            else:
                runs[-1].extend(self.inline(child))
            if child.tail:
                runs[-1].append(Text(child.tail))
        out: list[Inline] = []
        for run in runs:
            content = normalize_inlines(_tidy_breaks(run))
            if content:
                out.extend([LineBreak(), *content] if out else content)
        return normalize_inlines(out)

    def code_block(self, el: etree._Element) -> CodeBlock:
        codes = kids(el, "code")
        language = codes[0].get("lang", "") if len(codes) == 1 and not (el.text or "").strip() else ""
        text = all_text(el)
        if el.get(XML_SPACE) != "preserve":
            text = textwrap.dedent(text.strip("\n")).rstrip()
        return CodeBlock(text, language)

    # ------------------------------------------------------------------ text

    def read(self) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
        """Body blocks and notes of the document."""
        body = kid(self.text, "body")
        blocks = self.blocks(body, 0) if body is not None else []
        for part in kids(self.text, "back"):
            for child in part:
                name = tei_local_name(child)
                if name == "note":
                    self.note(child)
                elif name == "listNote" or (
                    name == "div"
                    and (
                        child.get("type", "").lower() in _NOTE_DIV_TYPES
                        or all(tei_local_name(c) in ("note", "head") for c in child)
                    )
                ):
                    for note in kids(child, "note"):
                        self.note(note)
                elif name in _BLOCKS:
                    blocks.extend(self.block(child, 0))
                elif name:
                    blocks.extend(self.blocks(child, 0))
        return tuple(blocks), self.all_notes()

    # (last: its name shadows ``list`` in the signatures of the methods defined after it)
    def list(self, el: etree._Element, depth: int) -> list[Block]:
        kind = " ".join(el.get(a, "") for a in ("rend", "type", "style")).lower()
        if "gloss" in kind or kids(el, "label"):
            return self.definitions(el, depth)
        items = tuple(tuple(self.blocks(item, depth)) for item in kids(el, "item"))
        if not items:
            return []  # (the IR has no empty lists)
        if any(word in kind for word in ("number", "order", "decimal", "arabic", "roman", "alpha")):
            first = kids(el, "item")[0].get("n", "")
            start = int(first) if re.fullmatch(r"-?\d+", first.strip()) else 1
            return [OrderedList(items, start)]
        return [BulletList(items)]


_INLINE_NAMES = frozenset(
    {"hi", "ref", "ptr", "note", "lb", "code", "choice", "seg", "graphic", "formula", *_EMPHASIS, *_QUOTED, *SKIPPED}
)


def _text_around(el: etree._Element) -> bool:
    """Whether ``el`` holds text (not XML whitespace) beside its children."""
    return bool((el.text or "").strip(" \t\n\r") or any((c.tail or "").strip(" \t\n\r") for c in el))


def _span(cell: etree._Element, attribute: str) -> int:
    """A cell's ``@cols`` or ``@rows`` (1 when absent or not a count)."""
    value = cell.get(attribute, "").strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 1000 else 1


def _cell_align(cell: etree._Element) -> str | None:
    """A cell's alignment from CSS ``text-align`` or ``@rend`` (``""``: the default; None: not stated)."""
    found = _TEXT_ALIGN.search(" ".join(cell.get(a, "") for a in ("style", "rend")).lower())
    if found is None:
        return None
    return _ALIGNMENTS.get(next(g for g in found.groups() if g), "")
