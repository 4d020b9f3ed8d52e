"""markdown-it's tokens into IR nodes, and the repairs that belong to reading rather than to parsing.

Raw HTML never reaches the IR: tags are dropped (``<br>`` is a line break),
``script``/``style`` and the like lose their content too, and an HTML block
keeps only its text.  A link that leads nowhere (empty, ``#``, ``#!...``; in a
page dump any ``#fragment``) keeps only its text, and so does one whose scheme
is refused; an image whose address is refused keeps its alt text.  Inline
containers deeper than :data:`~.document.MAX_NESTING` are flattened.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from convert.recache import compile as recompile
from convert.recache import serving_imports

with serving_imports():  # markdown-it compiles its patterns as it is imported: from the cache
    from markdown_it.common.utils import unescapeAll

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
from ...ir.walk import block_inlines, normalize_inlines, plain_text
from .document import MAX_NESTING, FootnoteDef
from .rawhtml import DROP_CONTENT, HTML_INLINES, html_container, html_tag, html_text
from .urls import refused_image, refused_url

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["Builder"]

_CAPTION = recompile(r"^(?:Table)?:[ \t]+")
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}
_SIMPLE: dict[str, type[Emph] | type[Strong] | type[Strikeout] | type[Superscript] | type[Subscript]] = {
    "em_open": Emph,
    "strong_open": Strong,
    "s_open": Strikeout,
    "sup_open": Superscript,
    "sub_open": Subscript,
}


class Builder:
    """Builds IR blocks from a token stream; footnote definitions are lifted into :attr:`footnotes`."""

    def __init__(self, scraper: bool) -> None:
        self.scraper = scraper
        self.footnotes: list[FootnoteDef] = []

    # ------------------------------------------------------------------ blocks

    def blocks(self, tokens: Sequence[Token], i: int = 0, close: str = "") -> tuple[list[Block], int]:
        """The blocks from ``tokens[i]`` up to the token of type ``close`` (or the end); and the index after it."""
        out: list[Block] = []
        n = len(tokens)
        while i < n:
            token = tokens[i]
            kind = token.type
            if kind == close:
                return out, i + 1
            if kind == "paragraph_open":
                block = self.paragraph(tokens[i + 1].children or [])
                i += 3
                if block is None:
                    continue
                if isinstance(block, Paragraph) and out and isinstance(out[-1], Table) and not out[-1].caption:
                    caption = self.table_caption(block)
                    if caption is not None:
                        table = out[-1]
                        out[-1] = Table(table.head, table.rows, table.aligns, caption)
                        continue
                out.append(block)
            elif kind == "heading_open":
                out.append(Heading(int(token.tag[1:]), self.inlines(tokens[i + 1].children or [])))
                i += 3
            elif kind == "blockquote_open":
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(BlockQuote(tuple(inner)))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                i = self.lists(tokens, i, out)
            elif kind in ("fence", "code_block"):
                text = token.content[:-1] if token.content.endswith("\n") else token.content
                info = unescapeAll(token.info).split() if token.info else ()
                language = info[0] if info else ""
                out.append(CodeBlock(text, language))
                i += 1
            elif kind == "hr":
                out.append(ThematicBreak())
                i += 1
            elif kind == "html_block":
                text = html_text(token.content).strip()
                if text:
                    content = self.inline_text(text)
                    if content:
                        out.append(Paragraph(content))
                i += 1
            elif kind == "table_open":
                i = self.table(tokens, i, out)
            elif kind == "dl_open":
                i = self.definitions(tokens, i, out)
            elif kind in {"math_block", "math_block_label"}:
                out.append(Paragraph((Math(token.content.strip(), True),)))
                i += 1
            elif kind == "footnote_reference_open":
                inner, i = self.blocks(tokens, i + 1, "footnote_reference_close")
                self.footnotes.append(FootnoteDef(token.meta["label"], tuple(inner)))
            elif kind == "div_open" and _is_references(token):
                i = self.bibliography(tokens, i + 1, out)
            elif kind == "div_open":
                inner, i = self.blocks(tokens, i + 1, "div_close")
                if token.meta.get("kind") == "figure":
                    out.append(_figure_from_blocks(inner))
                else:
                    out.extend(inner)
            else:  # a closing token of a container ended early, front matter...
                i += 1
        return out, i

    def bibliography(self, tokens: Sequence[Token], i: int, out: list[Block]) -> int:
        """A reference list (``::: {#refs .references}``, as pandoc's citeproc writes it) up to its ``div_close``.

        A heading before the first entry is its title; each ``::: csl-entry`` div is
        an entry (its id, less ``ref-``, the label); other paragraphs and list items
        are entries without a label.
        """
        title: tuple[Inline, ...] = ()
        entries: list[BibEntry] = []
        n = len(tokens)
        while i < n and tokens[i].type != "div_close":
            token, start = tokens[i], i
            depth: int = token.nesting
            i += 1
            while depth > 0 and i < n:
                depth += tokens[i].nesting
                i += 1
            if token.type == "div_open" and "csl-entry" in token.meta.get("classes", ()):
                ident = str(token.meta.get("id", ""))
                label = ident[4:] if ident.startswith("ref-") else ident
                blocks, _ = self.blocks(tokens[start + 1 : i - 1])
                entries.append(_bib_entry(blocks, label, entries))
                continue
            blocks, _ = self.blocks(tokens[start:i])
            for block in blocks:
                if isinstance(block, Heading) and not title and not entries:
                    title = block.content
                elif isinstance(block, BulletList | OrderedList):
                    entries.extend(_bib_entry(item, "", entries) for item in block.items)
                else:
                    entries.append(_bib_entry([block], "", entries))
        out.append(Bibliography(tuple(entries), title))
        return i + 1

    def paragraph(self, children: Sequence[Token]) -> Block | None:
        """A paragraph's block: a figure when it is a single image, None when nothing is left."""
        if len(children) == 1 and children[0].type == "text":  # most paragraphs: no image, no math to look for
            content = self.inlines(children)
            return Paragraph(content) if content else None
        only = _only_visible(children)
        if only is not None and only.type == "image":
            image = only  # a paragraph that is a single image is a figure (pandoc's implicit figure)
            caption = self.inlines(image.children or [])
            node = self.image(image, caption)
            return Figure(caption, node if isinstance(node, Image) else None)
        if only is not None and only.type == "math_inline_double":
            return Paragraph((Math(only.content.strip(), True),))
        content = self.inlines(children)
        return Paragraph(content) if content else None

    def table_caption(self, block: Paragraph) -> tuple[Inline, ...] | None:
        """The caption a ``Table: ...`` (or ``: ...``) paragraph after a table gives it."""
        first = block.content[0] if block.content else None
        if not isinstance(first, Text) or not (m := _CAPTION.match(first.text)):
            return None
        return normalize_inlines((Text(first.text[m.end() :]), *block.content[1:]))

    def lists(self, tokens: Sequence[Token], i: int, out: list[Block]) -> int:
        opener = tokens[i]
        close = opener.type.replace("_open", "_close")
        items: list[tuple[Block, ...]] = []
        i += 1
        while i < len(tokens) and tokens[i].type == "list_item_open":
            inner, i = self.blocks(tokens, i + 1, "list_item_close")
            items.append(tuple(inner))
        if i < len(tokens) and tokens[i].type == close:
            i += 1
        if opener.type == "ordered_list_open":
            start = opener.attrGet("start")
            out.append(OrderedList(tuple(items), int(start) if start is not None else 1))
        else:
            out.append(BulletList(tuple(items)))
        return i

    def table(self, tokens: Sequence[Token], i: int, out: list[Block]) -> int:
        opener = tokens[i]
        head: list[tuple[TableCell, ...]] = []
        rows: list[tuple[TableCell, ...]] = []
        aligns: list[str] = []
        row: list[TableCell] = []
        in_head = False
        i += 1
        while i < len(tokens) and tokens[i].type != "table_close":
            token = tokens[i]
            kind = token.type
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                row = []
            elif kind == "tr_close":
                (head if in_head else rows).append(tuple(row))
            elif kind in ("th_open", "td_open"):
                if in_head:
                    aligns.append(_ALIGN.get(str(token.attrGet("style") or ""), ""))
                children = tokens[i + 1].children if tokens[i + 1].type == "inline" else None
                colspan, rowspan = int(token.attrGet("colspan") or 1), int(token.attrGet("rowspan") or 1)
                row.append(TableCell(self.inlines(children or []), max(colspan, 1), max(rowspan, 1)))
            i += 1
        if all(not cell.content for r in head for cell in r):
            head = []  # an all-empty header row: a table without one
        if opener.meta and "aligns" in opener.meta:  # a grid table's, from its rule lines
            aligns = list(opener.meta["aligns"])
        out.append(Table(tuple(head), tuple(rows), tuple(aligns) if any(aligns) else ()))
        return i + 1

    def definitions(self, tokens: Sequence[Token], i: int, out: list[Block]) -> int:
        items: list[DefinitionItem] = []
        term: tuple[Inline, ...] | None = None
        defs: list[tuple[Block, ...]] = []
        i += 1
        while i < len(tokens) and tokens[i].type != "dl_close":
            kind = tokens[i].type
            if kind == "dt_open":
                if term is not None:
                    items.append(DefinitionItem(term, tuple(defs)))
                term, defs = self.inlines(tokens[i + 1].children or []), []
                i += 3
            elif kind == "dd_open":
                inner, i = self.blocks(tokens, i + 1, "dd_close")
                defs.append(tuple(inner))
            else:
                i += 1
        if term is not None:
            items.append(DefinitionItem(term, tuple(defs)))
        out.append(DefinitionList(tuple(items)))
        return i + 1

    # ------------------------------------------------------------------ inlines

    def inline_text(self, text: str) -> tuple[Inline, ...]:
        """Plain text as inlines (``\\n`` is a line break)."""
        parts: list[Inline] = []
        for k, line in enumerate(text.split("\n")):
            if k:
                parts.append(LineBreak())
            parts.append(Text(line))
        return normalize_inlines(parts)

    def inlines(self, children: Sequence[Token], scripts: int = 0) -> tuple[Inline, ...]:
        """IR inlines of an inline token's children (normalised); ``scripts``: inside ``^sup^`` or ``~sub~``."""
        if len(children) == 1 and children[0].type == "text" and not scripts:
            text = children[0].content
            # a paragraph's one text, most often normal: the tests ``is_normal`` makes of it, without its calls
            if text and text[0] != " " and text[-1] != " " and not ("  " in text or "\n" in text or "\t" in text):
                return (Text(text),)
            return normalize_inlines((Text(text),))  # plain text: what marked() makes of it
        if not scripts and (linked := self.linked(children)) is not None:
            return normalize_inlines(linked)
        return self.marked(children, scripts)

    def linked(self, children: Sequence[Token]) -> list[Inline] | None:
        """What :meth:`marked` makes of texts, line breaks, and links and emphases of one text (a link: or none).

        Lists of links (share rows, bylines, sources) are made of those alone (see
        :func:`.inline_shortcuts.linked_text`); this reads them without :meth:`marked`'s stack of open
        containers.  None for any other children.
        """
        out: list[Inline] = []
        i, n = 0, len(children)
        while i < n:
            token = children[i]
            kind = token.type
            if kind == "text":
                out.append(Text(token.content))
            elif kind == "softbreak":
                out.append(Text(" "))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "link_open" and i + 1 < n and children[i + 1].type == "link_close":
                out.extend(self.link(token, ()))
                i += 1
            elif (
                kind in _LINKED
                and i + 2 < n
                and children[i + 1].type == "text"
                and children[i + 2].type == _LINKED[kind]
            ):
                content = (Text(children[i + 1].content),)
                out.extend(self.link(token, content) if kind == "link_open" else (_SIMPLE[kind](content),))
                i += 2
            else:
                return None
            i += 1
        return out

    def marked(self, children: Sequence[Token], scripts: int) -> tuple[Inline, ...]:
        """:meth:`inlines` of children with markup: the containers they open and close made nodes."""
        root: list[Inline] = []
        cur = root
        # open containers: their opening token, the list their node goes into, whether it is flattened
        # (past the bound), and the tag name of one opened by an inline HTML tag (else "")
        stack: list[tuple[Token, list[Inline], bool, str]] = []
        deep = 0  # how many open containers are flattened
        skip_until = ""  # inside a script-like HTML element: its end tag

        def open_frame(token: Token, tag: str = "") -> None:
            nonlocal cur, deep, scripts
            scripts += token.type in ("sup_open", "sub_open")
            flat = len(stack) - deep >= MAX_NESTING
            deep += flat
            stack.append((token, cur, flat, tag))
            cur = cur if flat else []

        def close_frame(closed: bool) -> None:
            nonlocal cur, deep, scripts
            opener, parent, flat, tag = stack.pop()
            scripts -= opener.type in ("sup_open", "sub_open")
            if flat:
                deep -= 1
            else:
                parent.extend(self.container(opener, cur, tag) if closed else cur)
                cur = parent

        for token in children:
            kind = token.type
            if token.nesting == 1:
                open_frame(token)
                continue
            if token.nesting == -1:
                while stack and stack[-1][3]:  # an HTML tag left open inside: it wraps nothing
                    close_frame(False)
                if stack:
                    close_frame(True)
                continue
            if skip_until:
                if kind == "html_inline" and html_tag(token.content)[:2] == (skip_until, True):
                    skip_until = ""
                continue
            if kind == "text":
                text = token.content
                if scripts and "\\ " in text:
                    text = text.replace("\\ ", " ")  # in ^sup^ and ~sub~ an escaped space is a space
                cur.append(Text(text))
            elif kind == "softbreak":
                cur.append(Text(" "))
            elif kind == "hardbreak":
                cur.append(LineBreak())
            elif kind == "code_inline":
                cur.append(Code(token.content))
            elif kind == "footnote_ref":
                cur.append(NoteRef(token.meta["label"]))
            elif kind == "math_inline":
                cur.append(Math(token.content, False))
            elif kind == "math_inline_double":
                cur.append(Math(token.content.strip(), True))
            elif kind == "image":
                alt = self.inlines(token.children or [], scripts)
                node = self.image(token, alt)
                cur.extend((node,) if isinstance(node, Image) else node)
            elif kind == "html_inline":
                name, closing, self_closing = html_tag(token.content)
                if name == "br":
                    cur.append(LineBreak())
                elif name in DROP_CONTENT and not closing and not self_closing:
                    skip_until = name
                elif name in HTML_INLINES and not self_closing:
                    if not closing:
                        open_frame(token, name)
                    elif stack and stack[-1][3] == name:
                        close_frame(True)
            elif kind == "text_special":
                cur.append(Text(token.content))
        while stack:  # unclosed HTML tags (markdown-it's own tokens are balanced)
            close_frame(not stack[-1][3])
        return normalize_inlines(root)

    def container(self, opener: Token, content: list[Inline], tag: str = "") -> tuple[Inline, ...]:
        """The node an opening token (or inline HTML ``tag``) and its content make (or the content alone)."""
        if tag:
            return html_container(tag, opener.content, tuple(content))
        kind = opener.type
        simple = _SIMPLE.get(kind)
        if simple is not None:
            return (simple(tuple(content)),)
        if kind == "link_open":
            return self.link(opener, tuple(content))
        if kind == "span_open":
            return _span(opener, tuple(content))
        return tuple(content)

    def link(self, opener: Token, content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        href = str(opener.attrGet("href") or "").strip()
        if refused_url(href):
            href = ""
        if self.is_dead(href):
            if self.scraper and len(href) > 1 and _is_note_number(content):
                return (Superscript(content),)  # a note marker linked to its note ([1](#note1)) stays a marker
            return content  # the text stays, the link goes
        if any(isinstance(node, Link) for node in content):  # a link inside a link is not a link
            content = tuple(x for node in content for x in (node.content if isinstance(node, Link) else (node,)))
        return (Link(content, href, str(opener.attrGet("title") or "")),)

    def is_dead(self, url: str) -> bool:
        """A link that leads nowhere: empty, refused, ``#``; in a page dump any ``#fragment``."""
        if url in ("", "#") or url.lower().startswith("#!"):
            return True
        return self.scraper and url.startswith("#")

    def image(self, token: Token, alt: tuple[Inline, ...]) -> Image | tuple[Inline, ...]:
        """The Image of an image token, or its alt text when its address is refused."""
        src = str(token.attrGet("src") or "").strip()
        if not src or refused_image(src):
            return alt
        text = _unescape(str(token.attrs["alt"])) if "alt" in token.attrs else plain_text(alt)
        return Image(src, str(text), str(token.attrGet("title") or ""))


#: The containers :meth:`Builder.linked` reads (holding one text), by their opening token: their closing one.
_LINKED = {"link_open": "link_close", "em_open": "em_close", "strong_open": "strong_close"}


def _is_note_number(content: tuple[Inline, ...]) -> bool:
    """Whether a link's text is a number or a roman numeral alone, as a note marker's is."""
    return all(isinstance(node, Text) for node in content) and bool(_NOTE_NUMBER.fullmatch(plain_text(content).strip()))


_NOTE_NUMBER = recompile(r"\d{1,4}|[ivxlcdm]{1,8}|[IVXLCDM]{1,8}")


def _only_visible(children: Sequence[Token]) -> Token | None:
    """The one child that is not blank text or a line end, if there is exactly one."""
    only = None
    for token in children:
        if token.type in ("text", "softbreak") and not token.content.strip():
            continue
        if only is not None:
            return None
        only = token
    return only


def _unescape(value: str) -> str:
    """A quoted attribute value without its backslash escapes (``\\"``, ``\\{``, ``\\\\``)."""
    return re.sub(r"\\(.)", r"\1", value, flags=re.S)


def _span(opener: Token, content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A ``[text]{...}`` span: small caps for ``.smallcaps``, a Span for ``lang``/``dir``, else its text."""
    classes = str(opener.attrGet("class") or "").split()
    lang = str(opener.attrGet("lang") or "").strip()
    direction = str(opener.attrGet("dir") or "").strip().lower()
    if direction not in ("ltr", "rtl"):
        direction = ""
    if "smallcaps" in classes:
        content = (SmallCaps(content),)
    if lang or direction:
        return (Span(content, lang, direction),)
    return content


def _is_references(token: Token) -> bool:
    """A reference list's div: ``::: {#refs}`` or ``::: {.references}``."""
    return token.meta.get("id") == "refs" or "references" in token.meta.get("classes", [])


def _bib_entry(blocks: Sequence[Block], label: str, before: Sequence[BibEntry]) -> BibEntry:
    """An entry of a reference list: the inline content of ``blocks``; ``label`` if it is a new, valid one."""
    content: list[Inline] = []
    for block in blocks:
        # an image alone in its paragraph was read as a figure: in an entry it is the image
        parts = [(block.image,)] if isinstance(block, Figure) and block.image else block_inlines(block)
        for seq in parts:
            if content:
                content.append(Text(" "))
            content.extend(seq)
    if label and (not BIB_LABEL.match(label) or any(entry.label == label for entry in before)):
        label = ""
    return BibEntry(normalize_inlines(content), label)


def _figure_from_blocks(blocks: list[Block]) -> Figure:
    """The figure of a ``::: figure`` div: its image, and its paragraphs as the caption."""
    image: Image | None = None
    image_caption: tuple[Inline, ...] = ()
    caption: list[Inline] = []
    for block in blocks:
        if isinstance(block, Figure):
            image, image_caption = block.image, block.caption
        elif isinstance(block, Paragraph):
            if caption:
                caption.append(Text(" "))
            caption.extend(block.content)
    return Figure(normalize_inlines(caption) if caption or image else image_caption, image)
