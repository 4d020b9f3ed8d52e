"""``text``: the article's blocks and inlines, notes in place, the notes never referenced in ``back``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from ...errors import warn
from ...ir.model import (
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
    Text,
    ThematicBreak,
    column_starts,
)
from ...xmlns import XML_ID, XML_LANG, XML_SPACE, local_name
from .base import LANGUAGE_TAG, LOGGER, Base, tag, word
from .tree import Element, SubElement

__all__ = ["BIBL_PART", "BodyWriter"]

#: ``seg/@type`` of what a ``bibl`` may only hold inside a ``seg`` (an image, a formula).
BIBL_PART = "bibl-part"

#: Elements that are only allowed as ``model.global`` (not enough, alone, for a ``body``).
_GLOBAL_ONLY = frozenset({"figure", "milestone"})
#: ``hi/@rend`` of each kind of styled text.
_HI_REND: dict[type, str] = {
    Emph: "italic",
    Strong: "bold",
    Strikeout: "strikethrough",
    Superscript: "superscript",
    Subscript: "subscript",
    SmallCaps: "small-caps",
}
#: CSS ``text-align`` of each column alignment of the IR (``""``, the default, is CSS's ``start``).
_TEXT_ALIGN = {"": "start", "left": "left", "center": "center", "right": "right"}


class BodyWriter(Base):
    """Writes ``text/body`` and ``text/back``."""

    def __init__(self, article: Article) -> None:
        super().__init__(article)
        self.first_index: dict[str, int] = {}
        for index, note in enumerate(self.article.notes):
            self.first_index.setdefault(note.label, index)
        self.emitted: set[int] = set()
        #: ``xml:id`` of the bibliography entries written so far.
        self.bibl_ids: set[str] = set()
        #: Bibliographies ending the body: they are written in ``back``.
        body = self.article.body
        trailing = len(body)
        while trailing and isinstance(body[trailing - 1], Bibliography):
            trailing -= 1
        self.back_bibliographies = tuple(b for b in body[trailing:] if isinstance(b, Bibliography)) if trailing else ()

    # ------------------------------------------------------------------ inlines

    def inlines(self, parent: Element, inlines: Sequence[Inline]) -> None:
        """Inline content at the end of ``parent``."""
        for node in inlines:
            match node:
                case Text(text=t):
                    self.append_text(parent, t)
                    continue
                case (
                    Emph(content=c)
                    | Strong(content=c)
                    | Strikeout(content=c)
                    | Superscript(content=c)
                    | Subscript(content=c)
                    | SmallCaps(content=c)
                ):
                    self.inlines(self.sub(parent, "hi", rend=_HI_REND[type(node)]), c)
                    continue
                case Span(content=c, lang=lang, dir=direction):
                    self.inlines(self.span(parent, lang, direction), c)
                    continue
                case Link(content=c, target=target, title=title):
                    ref = self.sub(parent, "ref", target=target)
                    if title:
                        ref.set("n", self.clean(title))
                    self.inlines(ref, c)
                    continue
                case Image():
                    self.image(parent, node)
                    continue
                case Math(tex=tex, display=display):
                    formula = self.sub(parent, "formula", notation="TeX")
                    if display:
                        formula.set("rend", "display")
                    self.append_text(formula, tex)
                    continue
                case NoteRef(label=label):
                    self.note_ref(parent, label)
                    continue
                case Code(text=t):
                    self.append_text(self.sub(parent, "code"), t)
                    continue
                case LineBreak():
                    self.sub(parent, "lb")
                    continue
            assert_never(node)

    def span(self, parent: Element, lang: str, direction: str) -> Element:
        """``seg`` with the language in ``xml:lang`` and the direction as CSS in ``@style``."""
        seg = self.sub(parent, "seg")
        if lang and LANGUAGE_TAG.fullmatch(lang):
            seg.set(XML_LANG, lang)
        elif lang:
            warn("tei.span-language", f"span language {lang!r} left out: not a language tag", logger=LOGGER)
        if direction:
            seg.set("style", f"direction: {direction}")
            self.styled = True
        return seg

    def image(self, parent: Element, image: Image, alt: bool = True) -> Element:
        """``graphic/@url``, its title in ``@n`` and (unless ``alt`` is False) its alt text in ``desc``."""
        graphic = self.sub(parent, "graphic", url=image.src)
        if image.title:
            graphic.set("n", self.clean(image.title))
        if alt and image.alt:
            self.sub(graphic, "desc", image.alt)
        return graphic

    def note_ref(self, parent: Element, label: str) -> None:
        """The note itself at its first reference, a ``ptr`` to it afterwards."""
        index = self.first_index.get(label)
        if index is None:
            warn("tei.missing-note", f"reference to a missing note {label!r} kept as a bare pointer", logger=LOGGER)
            self.sub(parent, "ptr", type="noteref", n=label)
        elif index in self.emitted:
            self.sub(parent, "ptr", target=f"#note-{index + 1}")
        else:
            self.note(parent, index)

    def note(self, parent: Element, index: int) -> None:
        """Note number ``index`` of the article, as a ``note`` child of ``parent``."""
        self.emitted.add(index)
        note: Note = self.article.notes[index]
        el = self.sub(parent, "note", place="end", n=note.label, xml_id=f"note-{index + 1}")
        self.container(el, note.blocks)

    # ------------------------------------------------------------------ blocks

    def container(self, el: Element, blocks: Sequence[Block]) -> None:
        """Blocks inside an ``item`` or ``note``: one paragraph is written as bare inline content."""
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            self.inlines(el, blocks[0].content)
        else:
            for block in blocks:
                self.block(el, block)

    def block(self, parent: Element, block: Block) -> None:
        """One block, nested in ``parent`` (headings here are not section headings)."""
        match block:
            case Paragraph(content=c):
                self.inlines(self.sub(parent, "p"), c)
                return
            case Heading(level=level, content=c):
                self.inlines(self.sub(parent, "ab", type="heading", n=str(self.level(level))), c)
                return
            case BlockQuote(blocks=bs):
                quote = self.sub(parent, "quote")
                for b in bs:
                    self.block(quote, b)
                return
            case BulletList(items=items):
                self.list(parent, items, None)
                return
            case OrderedList(items=items, start=start):
                self.list(parent, items, start)
                return
            case DefinitionList():
                self.definitions(parent, block)
                return
            case Bibliography():
                self.bibliography(parent, block)
                return
            case Table():
                self.table(parent, block)
                return
            case Figure(caption=caption, image=image):
                figure = self.sub(parent, "figure")
                if image is not None:
                    self.image(figure, image, alt=False)
                if caption:
                    self.inlines(self.sub(figure, "head"), caption)
                if image is not None and image.alt:
                    self.sub(figure, "figDesc", image.alt)
                return
            case ThematicBreak():
                self.sub(parent, "milestone", unit="section")
                return
            case CodeBlock(text=t, language=language):
                eg = self.sub(parent, "eg")
                eg.set(XML_SPACE, "preserve")
                if language:
                    if word(language) != language:
                        warn(
                            "tei.code-language",
                            f"code language {language!r} written as {word(language)!r}",
                            logger=LOGGER,
                        )
                    self.append_text(self.sub(eg, "code", lang=word(language)), t)
                else:
                    self.append_text(eg, t)
                return
        assert_never(block)

    def level(self, level: int) -> int:
        """A heading level TEI can express (levels below 1 become 1, reported)."""
        if level < 1:
            warn("tei.heading-level", f"heading level {level} written as level 1", logger=LOGGER)
            return 1
        return level

    def list(self, parent: Element, items: Sequence[Sequence[Block]], start: int | None) -> None:
        """A bulleted (``start`` None) or numbered list; numbered items carry their number in ``n``."""
        if not items:
            warn("tei.empty-list", "an empty list was left out (TEI lists need an item)", logger=LOGGER)
            return
        el = self.sub(parent, "list", rend="bulleted" if start is None else "numbered")
        for number, item in enumerate(items, start if start is not None else 0):
            it = self.sub(el, "item") if start is None else self.sub(el, "item", n=str(number))
            self.container(it, item)

    def definitions(self, parent: Element, block: DefinitionList) -> None:
        """``list[@type="gloss"]``: a ``label`` (the term) and an ``item`` (its definitions) per entry.

        One definition is the item's content; none, an empty item; several (or one
        empty one), a ``list[@type="definitions"]`` in the item, one ``item`` each.
        """
        if not block.items:
            warn("tei.empty-list", "an empty list was left out (TEI lists need an item)", logger=LOGGER)
            return
        el = self.sub(parent, "list", type="gloss")
        for entry in block.items:
            self.inlines(self.sub(el, "label"), entry.term)
            item = self.sub(el, "item")
            if len(entry.definitions) == 1 and entry.definitions[0]:
                self.container(item, entry.definitions[0])
            elif entry.definitions:
                several = self.sub(item, "list", type="definitions")
                for definition in entry.definitions:
                    self.container(self.sub(several, "item"), definition)

    def bibliography(self, parent: Element, block: Bibliography) -> None:
        """``listBibl``: its title in ``head``, a ``bibl`` per entry, the label in ``xml:id`` (``ref-`` + label).

        A label used by an earlier entry of the article is kept in ``@n`` (ids are unique).
        """
        if not block.entries:
            warn("tei.empty-list", "an empty bibliography was left out (TEI needs an entry)", logger=LOGGER)
            return
        el = self.sub(parent, "listBibl")
        if block.title:
            self.inlines(self.sub(el, "head"), block.title)
        for entry in block.entries:
            bibl = self.sub(el, "bibl")
            ident = f"ref-{entry.label}"
            if entry.label and ident not in self.bibl_ids:
                self.bibl_ids.add(ident)
                bibl.set(XML_ID, ident)
            elif entry.label:
                bibl.set("n", entry.label)
            for node in entry.content:
                # an image or formula may not stand in a bibl itself: in a seg of its own
                wrap = isinstance(node, Image | Math)
                self.inlines(self.sub(bibl, "seg", type=BIBL_PART) if wrap else bibl, (node,))

    def table(self, parent: Element, table: Table) -> None:
        """``table[@rows][@cols]``: ``head`` (caption), ``row[@role="label"]`` (header rows), ``cell``.

        A header cell is ``cell[@role="label"]``, spans are ``@cols``/``@rows``; every cell
        carries the alignment of the column it starts in as CSS (``@style``).
        """
        rows = [(True, row) for row in table.head] + [(False, row) for row in table.rows]
        kept = [(label, row) for label, row in rows if row]
        if len(kept) < len(rows):
            warn("tei.empty-table", "an empty table row was left out (TEI rows need a cell)", logger=LOGGER)
        if not kept:
            warn("tei.empty-table", "a table without rows was left out (TEI tables need a row)", logger=LOGGER)
            return
        el = self.sub(parent, "table", rows=str(len(kept)), cols=str(table.columns))
        if table.caption:
            self.inlines(self.sub(el, "head"), table.caption)
        starts = column_starts([row for _, row in kept])
        for (label, row), columns in zip(kept, starts, strict=True):
            row_el = self.sub(el, "row", role="label") if label else self.sub(el, "row")
            for cell, column in zip(row, columns, strict=True):
                cell_el = self.sub(row_el, "cell", role="label") if label else self.sub(row_el, "cell")
                if cell.colspan > 1:
                    cell_el.set("cols", str(cell.colspan))
                if cell.rowspan > 1:
                    cell_el.set("rows", str(cell.rowspan))
                if column < len(table.aligns):
                    cell_el.set("style", f"text-align: {_TEXT_ALIGN[table.aligns[column]]}")
                    self.styled = True
                self.inlines(cell_el, cell.content)

    def body(self, text: Element) -> None:
        """``text/body``: headings open nested ``div``s, level n at depth n."""
        body = self.sub(text, "body")
        stack = [body]
        blocks = self.article.body[: len(self.article.body) - len(self.back_bibliographies)]
        for block in blocks:
            if isinstance(block, Heading):
                level = self.level(block.level)
                del stack[level:]
                while len(stack) < level:
                    stack.append(self.sub(stack[-1], "div"))
                div = self.sub(stack[-1], "div")
                self.inlines(self.sub(div, "head"), block.content)
                stack.append(div)
            else:
                self.block(stack[-1], block)
        if all(local_name(child) in _GLOBAL_ONLY for child in body):
            # a body needs a paragraph-like element or a div: wrap figures and breaks in one div
            div = SubElement(body, tag("div"))
            for child in list(body)[:-1]:
                div.append(child)

    def back(self, text: Element) -> None:
        """The bibliographies ending the body, in ``back/div[@type="bibliography"]``; notes never written
        at a reference, in ``back/div[@type="notes"]``."""
        back: Element | None = None
        div: Element | None = None
        if any(block.entries for block in self.back_bibliographies):
            back = self.sub(text, "back")
            bibliographies = self.sub(back, "div", type="bibliography")
            for bibliography in self.back_bibliographies:
                self.bibliography(bibliographies, bibliography)
        else:
            for bibliography in self.back_bibliographies:
                self.bibliography(text, bibliography)  # (only reports it left out)
        for index in range(len(self.article.notes)):
            if index not in self.emitted:  # (a note written here may write the notes it references)
                if div is None:
                    div = self.sub(back if back is not None else self.sub(text, "back"), "div", type="notes")
                self.note(div, index)
