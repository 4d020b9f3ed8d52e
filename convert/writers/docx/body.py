"""The article's blocks and inlines as WordprocessingML: ``word/document.xml`` and ``word/footnotes.xml``.

One :class:`DocumentWriter` writes one article.  It keeps what the package around the two parts
needs to know: the relationships of each part (hyperlinks, images), the images to embed, the
numbering instances of the lists and the footnotes.  Where each node goes:

* the front: ``Title``, ``Subtitle``, one ``Author`` paragraph per author, ``Date``, the description
  as ``Abstract`` paragraphs (pandoc's DOCX reader makes metadata of these styles);
* paragraphs: ``FirstParagraph`` after a heading and at the start, ``BodyText`` after;
  ``Compact`` in list items and table cells; headings ``Heading1``-``Heading6``, each in a bookmark
  named as pandoc names a heading's identifier (its text, lower case, words joined by ``-``), so that
  a link to ``#that-name`` leads there;
* lists: real numbering (``word/numbering.xml``), one instance per list so that each starts afresh;
  quotations ``BlockText``; code blocks ``SourceCode`` (lines kept, spaces kept);
  definition lists ``DefinitionTerm``/``Definition``; bibliographies ``Bibliography`` paragraphs,
  a labelled entry in a bookmark ``ref-LABEL`` (what citations link to);
* tables: ``Table`` style, header rows repeated on each page (``tblHeader``), spans as ``gridSpan`` and
  ``vMerge``, the caption a ``TableCaption`` paragraph before it;
* figures: the image in a ``CaptionedFigure`` paragraph, the caption an ``ImageCaption`` paragraph;
* notes: a footnote at each reference; notes no text refers to go to a closing "Notes" section;
* the rights: a closing "Rights" section, one paragraph per field with its label in bold (these
  headings and labels in the article's language: :func:`convert.words.words_for`).

A right-to-left article gets ``w:bidi`` on its paragraphs and ``w:rtl`` on its runs (code stays left
to right).  What cannot be kept is reported with a ``docx.*`` warning.
"""

from __future__ import annotations

from typing import NamedTuple, assert_never

from convert.recache import compile as recompile

from ...errors import warn
from ...ir.crosswalk import colophon_paragraphs, format_date
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
    TableCell,
    Text,
    ThematicBreak,
    column_starts,
)
from ...ir.text import text_paragraphs
from ...ir.walk import Node, plain_text, query
from ...lang import direction, is_language_tag
from ...urls import REFUSED_LINK_SCHEMES, link_url, scheme
from ...words import words_for
from .images import EXTENSIONS, drawing_xml, image_size, shown_size
from .markup import A_NS, PIC_NS, R_NS, W_NS, WP_NS, attr, text
from .parts import HYPERLINK, IMAGE, ListInstance, Rels

__all__ = ["LOGGER", "DocumentWriter"]

LOGGER = "convert.writers.docx"

#: The namespaces declared on the root of the document and footnotes parts.
_NAMESPACES = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:pic="{PIC_NS}"'
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: The page: margins of an inch (the size is the reader's default, A4 or Letter).
_SECTION = (
    '<w:sectPr><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720"'
    ' w:gutter="0"/></w:sectPr>'
)
_BREAK = "<w:r><w:br/></w:r>"
_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
_NOTE_REFERENCE = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{}"/></w:r>'
_NOTE_MARK = (
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
)
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>\n"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
)
#: Text width of a table, in twentieths of a point (6 inches).
_TABLE_WIDTH = 8640
#: Indentation of a list level and of a quotation level (twentieths of a point).
_LIST_INDENT = 720
_QUOTE_INDENT = 480
_ALIGN = {"left": "left", "center": "center", "right": "right"}
_NOT_IN_ID = recompile(r"[^\w\s.-]")


class _Fmt(NamedTuple):
    """The character formatting of a run (a key: the ``w:rPr`` of each is made once)."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    smallcaps: bool = False
    vert: str = ""
    style: str = ""
    lang: str = ""
    rtl: bool = False


class _Ctx(NamedTuple):
    """Where blocks are: the style of their paragraphs (``""``: body text), the list depth, the indentation."""

    style: str = ""
    level: int = 0
    indent: int = 0


_CODE = _Fmt(style="VerbatimChar")


def _slug(value: str) -> str:
    """An identifier made of a heading's text, as pandoc makes one (``"section"`` when nothing is left)."""
    words = _NOT_IN_ID.sub("", value).lower().split()
    slug = "-".join(words)
    start = next((i for i, ch in enumerate(slug) if ch.isalpha()), len(slug))
    return slug[start:] or "section"


def _unique(name: str, used: set[str]) -> str:
    found, n = name, 0
    while found in used:
        n += 1
        found = f"{name}-{n}"
    used.add(found)
    return found


def _targets(node: Node) -> tuple[Heading | Bibliography, ...]:
    """The nodes that are given bookmarks: headings and bibliographies."""
    return (node,) if isinstance(node, Heading | Bibliography) else ()


class DocumentWriter:
    """Writes one article's document and footnotes parts (call :meth:`document_xml` first)."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.rtl = direction(article.metadata.language) == "rtl"
        self.words = words_for(article.metadata.language)
        self.base = _Fmt(rtl=self.rtl)
        #: Relationships of the document part and of the footnotes part; ``rels`` is the part being written.
        self.document_rels = Rels(10)
        self.footnote_rels = Rels(1)
        self.rels = self.document_rels
        #: The images embedded: SHA-256 -> (part name below ``word/``, bytes).
        self.media: dict[str, tuple[str, bytes]] = {}
        self.lists: list[ListInstance] = []
        #: The notes given a footnote, in the order of their references (the footnote ids are 1, 2, ...).
        self.footnotes: list[Note] = []
        self._footnoted: set[str] = set()
        self._notes: dict[str, Note] = {}
        for note in article.notes:
            self._notes.setdefault(note.label, note)
        self._in_note = False
        self._rpr: dict[_Fmt, str] = {}
        self._bookmarks = 0
        self._drawings = 0
        # bookmark names: the bibliography's entries first (citations name them), then the headings in order
        used: set[str] = set()
        targets = query(_targets, article.body)
        for node in targets:
            if isinstance(node, Bibliography):
                used.update(f"ref-{entry.label}" for entry in node.entries if entry.label)
        self._heading_ids = [_unique(_slug(plain_text(h.content)), used) for h in targets if isinstance(h, Heading)]
        self._heading_at = 0
        self._anchors = frozenset(used)  # what a link "#name" may lead to
        self._notes_id = _unique("notes", used)
        self._rights_id = _unique("rights", used)
        self._placed: set[str] = set()

    # ----------------------------------------------------------------------- parts

    def document_xml(self) -> str:
        """``word/document.xml``: the front, the body, the notes no text refers to, the rights."""
        out: list[str] = []
        self._front(out)
        self._blocks(self.article.body, _Ctx(), out)
        self._notes_section(out)
        self._rights(out)
        body = "\n".join(out)
        return f"{_DECLARATION}<w:document {_NAMESPACES}>\n<w:body>\n{body}\n{_SECTION}\n</w:body>\n</w:document>\n"

    def footnotes_xml(self) -> str:
        """``word/footnotes.xml``: one footnote per note reference of the document (after :meth:`document_xml`)."""
        self.rels, self._in_note = self.footnote_rels, True
        out = [_SEPARATORS]
        for number, note in enumerate(self.footnotes, 1):
            paragraphs: list[str] = []
            self._note_blocks(note, _NOTE_MARK, paragraphs)
            out.append(f'<w:footnote w:id="{number}">{"".join(paragraphs)}</w:footnote>')
        self.rels, self._in_note = self.document_rels, False
        body = "\n".join(out)
        return f"{_DECLARATION}<w:footnotes {_NAMESPACES}>\n{body}\n</w:footnotes>\n"

    # ----------------------------------------------------------------------- paragraphs and runs

    def _p(
        self,
        style: str,
        runs: str,
        *,
        num: tuple[int, int] | None = None,
        at: _Ctx | None = None,
        jc: str = "",
        bookmark: str = "",
        border: bool = False,
        rtl: bool | None = None,
    ) -> str:
        """A paragraph (``w:pPr`` children in the schema's order), placed as the blocks ``at`` are."""
        indent = at.indent if at is not None else 0
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num is not None:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        if border:
            ppr += _RULE
        if self.rtl if rtl is None else rtl:
            ppr += "<w:bidi/>"
        if indent:
            ppr += f'<w:ind w:left="{indent}"/>'
        if jc:
            ppr += f'<w:jc w:val="{jc}"/>'
        if bookmark and bookmark not in self._placed:
            self._placed.add(bookmark)
            self._bookmarks += 1
            n = self._bookmarks
            runs = f'<w:bookmarkStart w:id="{n}" w:name="{attr(bookmark)}"/>{runs}<w:bookmarkEnd w:id="{n}"/>'
        return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>" if ppr else f"<w:p>{runs}</w:p>"

    def _run(self, value: str, fmt: _Fmt) -> str:
        """A run of text (tabs as ``w:tab``)."""
        rpr = self._rpr.get(fmt)
        if rpr is None:
            rpr = self._rpr[fmt] = _run_properties(fmt)
        if "\t" in value:
            cells = [f'<w:t xml:space="preserve">{text(part)}</w:t>' for part in value.split("\t")]
            return f"<w:r>{rpr}{'<w:tab/>'.join(cells)}</w:r>"
        return f'<w:r>{rpr}<w:t xml:space="preserve">{text(value)}</w:t></w:r>'

    # ----------------------------------------------------------------------- front and back

    def _front(self, out: list[str]) -> None:
        meta, base = self.article.metadata, self.base
        if meta.title.strip():
            out.append(self._p("Title", self._run(" ".join(meta.title.split()), base)))
        if meta.subtitle.strip():
            out.append(self._p("Subtitle", self._run(" ".join(meta.subtitle.split()), base)))
        for author in meta.authors:
            if author.strip():
                out.append(self._p("Author", self._run(" ".join(author.split()), base)))
        if meta.date is not None:
            out.append(self._p("Date", self._run(format_date(meta.date, meta.date_precision), base)))
        for paragraph in text_paragraphs(meta.description):
            out.append(self._p("Abstract", self._run(paragraph, base)))

    def _notes_section(self, out: list[str]) -> None:
        """The notes no reference of the text leads to, under a heading "Notes", each led by its label."""
        notes = self.article.notes
        unreferenced = [n for n in notes if n.label not in self._footnoted or self._notes[n.label] is not n]
        if not unreferenced:
            return
        self._in_note = True
        out.append(self._p("Heading1", self._run(self.words.notes, self.base), bookmark=self._notes_id))
        for note in unreferenced:
            lead = self._run(note.label, self.base._replace(vert="superscript")) + self._run(" ", self.base)
            self._note_blocks(note, lead, out)
        self._in_note = False

    def _note_blocks(self, note: Note, lead: str, out: list[str]) -> None:
        """A note's blocks as ``FootnoteText``, ``lead`` (its mark) starting the first paragraph."""
        ctx = _Ctx(style="FootnoteText")
        blocks = note.blocks
        if blocks and isinstance(blocks[0], Paragraph):
            out.append(self._p("FootnoteText", lead + self._inlines(blocks[0].content, self.base)))
            blocks = blocks[1:]
        else:
            out.append(self._p("FootnoteText", lead))
        self._blocks(blocks, ctx, out)

    def _rights(self, out: list[str]) -> None:
        """The closing rights section: "Rights", then a paragraph per field, its label in bold."""
        paragraphs = colophon_paragraphs(self.article.metadata, self.words.labels)
        if not paragraphs:
            return
        base = self.base
        out.append(self._p("Heading1", self._run(self.words.rights, base), bookmark=self._rights_id))
        for i, (label, value) in enumerate(paragraphs):
            runs = self._run(f"{label}:", base._replace(bold=True)) + self._run(" ", base) if label else ""
            out.append(self._p("FirstParagraph" if i == 0 else "BodyText", runs + self._run(value, base)))

    # ----------------------------------------------------------------------- blocks

    def _blocks(self, blocks: tuple[Block, ...], ctx: _Ctx, out: list[str]) -> None:
        first = True
        for block in blocks:
            self._block(block, ctx, first, out)
            first = isinstance(block, Heading)

    def _block(self, block: Block, ctx: _Ctx, first: bool, out: list[str]) -> None:
        match block:
            case Paragraph(content=content):
                style = ctx.style or ("FirstParagraph" if first else "BodyText")
                out.append(self._p(style, self._inlines(content, self.base), at=ctx))
                return
            case Heading(level=level, content=content):
                bookmark = ""
                if not self._in_note:
                    bookmark = self._heading_ids[self._heading_at]
                    self._heading_at += 1
                style = f"Heading{min(6, max(1, level))}"
                out.append(self._p(style, self._inlines(content, self.base), bookmark=bookmark))
                return
            case BlockQuote(blocks=blocks):
                indent = (ctx.indent or _QUOTE_INDENT) + _QUOTE_INDENT if ctx.style == "BlockText" else ctx.indent
                self._blocks(blocks, ctx._replace(style="BlockText", indent=indent), out)
                return
            case BulletList(items=items) | OrderedList(items=items):
                self._list(block, items, ctx, out)
                return
            case Figure(caption=caption, image=image):
                drawing = self._drawing(image) if image is not None else None
                if drawing is not None:
                    out.append(self._p("CaptionedFigure" if caption else "Figure", drawing, at=ctx))
                if not caption and image is not None and drawing is None and image.alt:
                    caption = (Text(image.alt),)
                if caption:
                    out.append(self._p("ImageCaption", self._inlines(caption, self.base), at=ctx))
                return
            case ThematicBreak():
                out.append(self._p("", "", border=True, at=ctx))
                return
            case CodeBlock(text=code):
                runs = _BREAK.join(self._run(line, _CODE) for line in code.split("\n"))
                out.append(self._p("SourceCode", runs, at=ctx, rtl=False))
                return
            case Table():
                self._table(block, ctx, out)
                return
            case DefinitionList(items=items):
                inner = ctx._replace(style="Definition")
                for item in items:
                    out.append(self._p("DefinitionTerm", self._inlines(item.term, self.base), at=ctx))
                    for definition in item.definitions:
                        self._blocks(definition, inner, out)
                return
            case Bibliography(entries=entries, title=title):
                if title:
                    out.append(self._p("Heading1", self._inlines(title, self.base)))
                for entry in entries:
                    bookmark = f"ref-{entry.label}" if entry.label else ""
                    out.append(self._p("Bibliography", self._inlines(entry.content, self.base), bookmark=bookmark))
                return
        assert_never(block)

    def _list(self, block: BulletList | OrderedList, items: tuple[tuple[Block, ...], ...], ctx: _Ctx,
              out: list[str]) -> None:  # fmt: skip
        start = 1
        if isinstance(block, OrderedList):
            start = block.start
            if start < 0:
                warn("docx.list-start", f"a list starting at {start} starts at 0: Word numbers from 0 up",
                     logger=LOGGER)  # fmt: skip
                start = 0
        level = min(ctx.level, 8)
        self.lists.append(ListInstance("decimal" if isinstance(block, OrderedList) else "bullet", start))
        num = (len(self.lists), level)
        inner = _Ctx(style=ctx.style or "Compact", level=ctx.level + 1, indent=_LIST_INDENT * (level + 1))
        for item in items:
            rest = item
            if item and isinstance(item[0], Paragraph):
                out.append(self._p(inner.style, self._inlines(item[0].content, self.base), num=num))
                rest = item[1:]
            else:
                out.append(self._p(inner.style, "", num=num))
            self._blocks(rest, inner, out)

    def _table(self, table: Table, ctx: _Ctx, out: list[str]) -> None:
        if table.caption:
            out.append(self._p("TableCaption", self._inlines(table.caption, self.base), at=ctx))
        rows = (*table.head, *table.rows)
        starts = column_starts(rows)
        ends = [
            start + cell.colspan
            for row, at in zip(rows, starts, strict=True)
            for start, cell in zip(at, row, strict=True)
        ]
        columns = max([table.columns, *ends])  # (a row pushed right by cells spanning rows from above may be wider)
        if not rows or not columns:
            return
        width = max(1, _TABLE_WIDTH // columns)
        aligns = [_ALIGN.get(a, "") for a in table.aligns]
        props = '<w:tblPr><w:tblStyle w:val="Table"/>' + ("<w:bidiVisual/>" if self.rtl else "")
        props += '<w:tblW w:w="5000" w:type="pct"/>'
        props += f'<w:tblLook w:val="{"04A0" if table.head else "0480"}" w:firstRow="{1 if table.head else 0}"'
        props += ' w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        if table.caption:
            props += f'<w:tblCaption w:val="{attr(" ".join(plain_text(table.caption).split()))}"/>'
        grid = f'<w:gridCol w:w="{width}"/>' * columns
        parts = [f"<w:tbl>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"]
        covered: dict[int, tuple[int, int]] = {}  # start column -> (rows still covered, columns) of a cell above
        for r, (row, at) in enumerate(zip(rows, starts, strict=True)):
            cells = dict(zip(at, row, strict=True))
            below: dict[int, tuple[int, int]] = {}
            tcs: list[str] = []
            column = 0
            while column < columns:
                if column in covered:
                    left, span = covered[column]
                    tcs.append(self._cell(None, span, width, "continue", ""))
                    if left > 1:
                        below[column] = (left - 1, span)
                    column += span
                    continue
                cell = cells.get(column)
                if cell is None:  # a short row: an empty cell
                    tcs.append(self._cell(None, 1, width, "", ""))
                    column += 1
                    continue
                span = cell.colspan
                merge = ""
                if cell.rowspan > 1 and r + 1 < len(rows):
                    below[column] = (cell.rowspan - 1, span)
                    merge = "restart"
                tcs.append(self._cell(cell, span, width, merge, aligns[column] if column < len(aligns) else ""))
                column += span
            covered = below
            head = "<w:trPr><w:tblHeader/></w:trPr>" if r < len(table.head) else ""
            parts.append(f"<w:tr>{head}{''.join(tcs)}</w:tr>")
        parts.append("</w:tbl>")
        out.append("".join(parts))

    def _cell(self, cell: TableCell | None, span: int, width: int, merge: str, align: str) -> str:
        props = f'<w:tcW w:w="{width * span}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if merge == "restart":
            props += '<w:vMerge w:val="restart"/>'
        elif merge:
            props += "<w:vMerge/>"
        runs = self._inlines(cell.content, self.base) if cell is not None else ""
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{self._p('Compact', runs, jc=align)}</w:tc>"

    # ----------------------------------------------------------------------- inlines

    def _inlines(self, inlines: tuple[Inline, ...], fmt: _Fmt, in_link: bool = False) -> str:
        return "".join([self._inline(node, fmt, in_link) for node in inlines])

    def _inline(self, node: Inline, fmt: _Fmt, in_link: bool) -> str:
        match node:
            case Text(text=value):
                return self._run(value.replace("\n", " ") if "\n" in value else value, fmt)
            case Emph(content=content):
                return self._inlines(content, fmt._replace(italic=True), in_link)
            case Strong(content=content):
                return self._inlines(content, fmt._replace(bold=True), in_link)
            case Link(content=content, target=target, title=title):
                return self._link(content, target, title, fmt, in_link)
            case NoteRef(label=label):
                return self._note_ref(label, fmt)
            case Code(text=value):
                return self._run(value, fmt._replace(style="VerbatimChar"))
            case LineBreak():
                return _BREAK
            case Strikeout(content=content):
                return self._inlines(content, fmt._replace(strike=True), in_link)
            case Superscript(content=content):
                return self._inlines(content, fmt._replace(vert="superscript"), in_link)
            case Subscript(content=content):
                return self._inlines(content, fmt._replace(vert="subscript"), in_link)
            case SmallCaps(content=content):
                return self._inlines(content, fmt._replace(smallcaps=True), in_link)
            case Span(content=content, lang=lang, dir=way):
                if lang and is_language_tag(lang):
                    fmt = fmt._replace(lang=lang)
                if way:
                    fmt = fmt._replace(rtl=way == "rtl")
                return self._inlines(content, fmt, in_link)
            case Image():
                return self._inline_image(node, fmt, in_link)
            case Math(tex=tex):  # the TeX source, in the code face (as the EPUB and PDF writers show it)
                return self._run(tex, fmt._replace(style="VerbatimChar"))
        assert_never(node)

    def _link(self, content: tuple[Inline, ...], target: str, title: str, fmt: _Fmt, in_link: bool) -> str:
        target = target.strip()
        if in_link or not target:  # a link in a link: its text (Word nests no hyperlinks)
            return self._inlines(content, fmt, in_link)
        if target.startswith("#"):
            if target[1:] not in self._anchors:  # nothing in the document has that name
                return self._inlines(content, fmt, in_link)
            head = f'<w:hyperlink w:anchor="{attr(target[1:])}"'
        else:
            if scheme(target) in REFUSED_LINK_SCHEMES:
                warn("docx.link-left-out", f"link to {target[:80]!r} kept as text: links that run code or read"
                     " local files are never kept", logger=LOGGER, subject=target)  # fmt: skip
                return self._inlines(content, fmt, in_link)
            rid = self.rels.add(HYPERLINK, target.replace(" ", "%20"), external=True)
            head = f'<w:hyperlink r:id="{rid}"'
        if title:
            head += f' w:tooltip="{attr(title)}"'
        inner = self._inlines(content, fmt if fmt.style else fmt._replace(style="Hyperlink"), True)
        return f'{head} w:history="1">{inner}</w:hyperlink>'

    def _note_ref(self, label: str, fmt: _Fmt) -> str:
        note = self._notes.get(label)
        if note is None:
            warn("docx.note-missing", f"note reference {label!r} kept as its label: the article has no such note",
                 logger=LOGGER, subject=label)  # fmt: skip
        if note is None or self._in_note:  # (Word has footnotes in the text only: in a note, its label)
            return self._run(label, fmt._replace(vert="superscript"))
        self.footnotes.append(note)
        self._footnoted.add(label)
        return _NOTE_REFERENCE.format(len(self.footnotes))

    def _inline_image(self, image: Image, fmt: _Fmt, in_link: bool) -> str:
        drawing = self._drawing(image)
        if drawing is not None:
            return drawing
        alt = image.alt or image.src
        target = link_url(image.src)
        if target is not None and not target.startswith("#") and not in_link:  # on the web: a link to it
            return self._link((Text(alt),), target, image.title, fmt, in_link)
        return self._run(alt, fmt)

    def _drawing(self, image: Image) -> str | None:
        """The run showing ``image`` (embedded), or None (warned) when it cannot be."""
        asset = self.article.asset(image.src)
        size = None
        if asset is None:
            reason = "it is not held by the article"
        elif asset.media_type not in EXTENSIONS:
            reason = f"{asset.media_type or 'its type'} cannot be embedded in DOCX"
        else:
            size = image_size(asset.data, asset.media_type)
            reason = "its size cannot be read" if size is None else ""
        if asset is None or size is None:
            warn("docx.image-left-out", f"image {image.src[:80]!r} left out: {reason}; its alt text is kept",
                 logger=LOGGER, subject=image.src)  # fmt: skip
            return None
        known = self.media.get(asset.sha256)
        if known is None:
            known = self.media[asset.sha256] = (f"media/image{len(self.media) + 1}.{EXTENSIONS[asset.media_type]}",
                                                asset.data)  # fmt: skip
        rid = self.rels.add(IMAGE, known[0])
        cx, cy = shown_size(*size)
        self._drawings += 1
        n = self._drawings
        return drawing_xml(n, known[0], rid, (cx, cy), alt=image.alt, title=image.title)


def _run_properties(fmt: _Fmt) -> str:
    """The ``w:rPr`` of a run (children in the schema's order), ``""`` for none."""
    rpr = f'<w:rStyle w:val="{fmt.style}"/>' if fmt.style else ""
    if fmt.bold:
        rpr += "<w:b/><w:bCs/>"
    if fmt.italic:
        rpr += "<w:i/><w:iCs/>"
    if fmt.smallcaps:
        rpr += "<w:smallCaps/>"
    if fmt.strike:
        rpr += "<w:strike/>"
    if fmt.vert:
        rpr += f'<w:vertAlign w:val="{fmt.vert}"/>'
    if fmt.rtl:
        rpr += "<w:rtl/>"
    if fmt.lang:
        value = attr(fmt.lang)
        bidi = f' w:bidi="{value}"' if direction(fmt.lang) == "rtl" else ""
        rpr += f'<w:lang w:val="{value}"{bidi} w:eastAsia="{value}"/>'
    return f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
