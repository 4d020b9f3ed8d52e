"""``text`` (front, body, back) into blocks and notes, note references resolved on the way."""

from __future__ import annotations

import re
import textwrap

from lxml import etree

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines
from ...xmlns import TEI_NS, XML_ID, XML_SPACE, tei_local_name
from .elements import SKIPPED, XML_WS, all_text, kid, kids, plain

__all__ = ["TextReader"]

_NEWLINE_WS = re.compile(r"[ \t\r]*\n[ \t\n\r]*")
_OUR_NOTE_ID = re.compile(r"note-(\d+)")
_SPACES = (" ", "\t", "\n", "\r")

#: Block-level elements (inside ``body``, ``div``, ``quote``, ``item``, ``note``).
_BLOCKS = frozenset(
    {"p", "ab", "head", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "quote", "list",
     "figure", "eg", "milestone", "lg", "pb", "cb"}
)  # fmt: skip
#: Block-level elements that may also stand inside a ``p``.
_BLOCKS_IN_P = frozenset({"list", "figure", "eg"})
#: Inline elements that show their content emphasised.
_EMPHASIS = frozenset({"emph", "foreign", "title", "mentioned"})
#: Inline elements that stand for quoted text.
_QUOTED = frozenset({"q", "quote", "said", "soCalled"})
_NOTE_DIV_TYPES = frozenset({"notes", "endnotes", "footnotes"})
_CHOICE_PREFERENCE = ("corr", "reg", "expan")


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
            if "bold" in rend or "strong" in rend:
                return self.wrapped(el, Strong)
            if not rend.strip() or any(word in rend for word in ("italic", "emph", "oblique")):
                return self.wrapped(el, Emph)
            return self.mixed(el)
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

    def wrapped(self, el: etree._Element, kind: type[Emph] | type[Strong]) -> list[Inline]:
        """``el``'s content in ``kind``."""
        inner = self.mixed(el)
        return _outside_spaces(inner, kind(normalize_inlines(inner)))

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
            url = graphic.get("url", "") if graphic is not None else ""
            image = Image(url, plain(kid(el, "figDesc"))) if url else None
            return [Figure(self.content(head) if head is not None else (), image)]
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

    def list(self, el: etree._Element, depth: int) -> list[Block]:
        kind = " ".join(el.get(a, "") for a in ("rend", "type", "style")).lower()
        items = tuple(tuple(self.blocks(item, depth)) for item in kids(el, "item"))
        if not items:
            return []  # (the IR has no empty lists)
        if any(word in kind for word in ("number", "order", "decimal", "arabic", "roman", "alpha")):
            first = kids(el, "item")[0].get("n", "")
            start = int(first) if re.fullmatch(r"-?\d+", first.strip()) else 1
            return [OrderedList(items, start)]
        return [BulletList(items)]

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


_INLINE_NAMES = frozenset({"hi", "ref", "ptr", "note", "lb", "code", "choice", *_EMPHASIS, *_QUOTED, *SKIPPED})
