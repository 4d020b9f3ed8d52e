"""The ``tei`` writer: TEI P5 XML, valid against ``tei_all``, with a complete header.

The document is the one an archivist would write by hand:

* ``teiHeader/fileDesc``: ``titleStmt`` (main title, subtitle, one ``author``
  per author, the copyright holders as a ``respStmt``), ``publicationStmt``
  (publisher, ``date/@when``, ``availability`` with the copyright statement,
  disclaimer, fair-use notice and reuse terms as ``licence/p``, verbatim,
  the contact as an ``address``, ``idno`` for the identifiers and the source
  URL) and ``sourceDesc`` (a ``bibl`` of the original publication);
* ``encodingDesc``: ``appInfo`` naming artconv and its version, and a
  ``classDecl`` declaring the subject schemes;
* ``profileDesc``: ``langUsage`` and ``textClass/keywords`` (one ``term`` per
  subject, grouped by scheme);
* ``text/body``: headings open nested ``div``/``head``; each note is written
  as a ``note`` at its first reference and pointed to by ``ptr`` afterwards;
  notes never referenced go to ``back/div[@type="notes"]``.

Nothing is invented: a header field with nothing to say is left out, and
where TEI requires an element the text says honestly that nothing is known.
Every IR field is written somewhere the ``tei`` reader finds it again, so
article -> TEI -> article is lossless (see ``docs/tei.md`` for the mapping).

Characters that XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF)
are removed and reported (``tei.invalid-characters``, see ``docs/warnings.md``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import assert_never

from lxml import etree

from .._version import __version__
from ..errors import OutputError, warn
from ..ir import crosswalk
from ..ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ..registry import Options, WriterSpec
from ..xmlns import TEI_NS, XML_ID, XML_LANG, XML_SPACE, append_text, local_name

__all__ = ["TEI_NS", "WRITER", "render", "render_tei"]


_PROLOGUE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<?xml-model href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"'
    b' type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
)

#: Everything outside the XML 1.0 ``Char`` production.
#: (Written as the characters it excludes: the negated class takes ten times longer to compile.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

#: English names of common languages, for ``langUsage/language`` (the code is what is read back).
_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "zh": "Chinese",
}

#: Elements laid out one child per line (never elements with mixed content).
_INDENTED = frozenset(
    {
        "TEI", "teiHeader", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "availability", "licence",
        "address", "notesStmt", "sourceDesc", "bibl", "encodingDesc", "appInfo", "application", "classDecl", "taxonomy",
        "profileDesc", "langUsage", "textClass", "keywords", "text", "body", "back", "div", "list", "item",
        "quote", "figure", "note",
    }
)  # fmt: skip
#: Inline elements: an ``item`` or ``note`` holding one of them has mixed content and is not indented.
_INLINE = frozenset({"hi", "ref", "ptr", "note", "code", "lb"})
_MAYBE_MIXED = frozenset({"item", "note"})
#: Elements that are only allowed as ``model.global`` (not enough, alone, for a ``body``).
_GLOBAL_ONLY = frozenset({"figure", "milestone"})


def _tag(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _word(value: str) -> str:
    """``value`` as a ``teidata.word`` (no spaces, controls or separators)."""
    return "".join("-" if c.isspace() or unicodedata.category(c)[0] in "CZ" else c for c in value)


class _TeiBuilder:
    """Builds the TEI tree of one article; reports what it had to change."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.removed: set[str] = set()
        self.first_index: dict[str, int] = {}
        for index, note in enumerate(article.notes):
            self.first_index.setdefault(note.label, index)
        self.emitted: set[int] = set()

    # ------------------------------------------------------------------ primitives

    def clean(self, value: str) -> str:
        """``value`` without the characters XML 1.0 cannot carry (noted in ``removed``)."""
        found = _NOT_XML.findall(value)
        if not found:
            return value
        self.removed.update(found)
        return _NOT_XML.sub("", value)

    def sub(self, parent: etree._Element, name: str, text: str = "", **attrs: str) -> etree._Element:
        """A new child ``name`` of ``parent`` with plain ``text`` and attributes (``xml_id`` for xml:id)."""
        el = etree.SubElement(parent, _tag(name))
        for key, value in attrs.items():
            el.set(XML_ID if key == "xml_id" else key, self.clean(value))
        if text:
            self.text_into(el, text)
        return el

    def append_text(self, parent: etree._Element, text: str) -> None:
        """Append ``text`` at the end of ``parent``'s content."""
        append_text(parent, self.clean(text))

    def text_into(self, parent: etree._Element, text: str) -> None:
        """Plain ``text`` into ``parent``; each newline becomes an ``lb``."""
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(parent, _tag("lb"))
            self.append_text(parent, line)

    def paragraphs(self, parent: etree._Element, text: str) -> None:
        """Plain ``text`` as ``p`` children of ``parent``, one per blank-line-separated paragraph."""
        for para in text.split("\n\n"):
            self.sub(parent, "p", para)

    # ------------------------------------------------------------------ inlines

    def inlines(self, parent: etree._Element, inlines: Sequence[Inline]) -> None:
        """Inline content at the end of ``parent``."""
        for node in inlines:
            match node:
                case Text(text=t):
                    self.append_text(parent, t)
                    continue
                case Emph(content=c):
                    self.inlines(self.sub(parent, "hi", rend="italic"), c)
                    continue
                case Strong(content=c):
                    self.inlines(self.sub(parent, "hi", rend="bold"), c)
                    continue
                case Link(content=c, target=target, title=title):
                    ref = self.sub(parent, "ref", target=target)
                    if title:
                        ref.set("n", self.clean(title))
                    self.inlines(ref, c)
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

    def note_ref(self, parent: etree._Element, label: str) -> None:
        """The note itself at its first reference, a ``ptr`` to it afterwards."""
        index = self.first_index.get(label)
        if index is None:
            warn("tei.missing-note", f"reference to a missing note {label!r} kept as a bare pointer", logger=__name__)
            self.sub(parent, "ptr", type="noteref", n=label)
        elif index in self.emitted:
            self.sub(parent, "ptr", target=f"#note-{index + 1}")
        else:
            self.note(parent, index)

    def note(self, parent: etree._Element, index: int) -> None:
        """Note number ``index`` of the article, as a ``note`` child of ``parent``."""
        self.emitted.add(index)
        note: Note = self.article.notes[index]
        el = self.sub(parent, "note", place="end", n=note.label, xml_id=f"note-{index + 1}")
        self.container(el, note.blocks)

    # ------------------------------------------------------------------ blocks

    def container(self, el: etree._Element, blocks: Sequence[Block]) -> None:
        """Blocks inside an ``item`` or ``note``: one paragraph is written as bare inline content."""
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            self.inlines(el, blocks[0].content)
        else:
            for block in blocks:
                self.block(el, block)

    def block(self, parent: etree._Element, block: Block) -> None:
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
            case Figure(caption=caption, image=image):
                figure = self.sub(parent, "figure")
                if image:
                    self.sub(figure, "graphic", url=image.src)
                if caption:
                    self.inlines(self.sub(figure, "head"), caption)
                if image and image.alt:
                    self.sub(figure, "figDesc", image.alt)
                return
            case ThematicBreak():
                self.sub(parent, "milestone", unit="section")
                return
            case CodeBlock(text=t, language=language):
                eg = self.sub(parent, "eg")
                eg.set(XML_SPACE, "preserve")
                if language:
                    if _word(language) != language:
                        warn(
                            "tei.code-language",
                            f"code language {language!r} written as {_word(language)!r}",
                            logger=__name__,
                        )
                    self.append_text(self.sub(eg, "code", lang=_word(language)), t)
                else:
                    self.append_text(eg, t)
                return
        assert_never(block)

    def level(self, level: int) -> int:
        """A heading level TEI can express (levels below 1 become 1, reported)."""
        if level < 1:
            warn("tei.heading-level", f"heading level {level} written as level 1", logger=__name__)
            return 1
        return level

    def list(self, parent: etree._Element, items: Sequence[Sequence[Block]], start: int | None) -> None:
        """A bulleted (``start`` None) or numbered list; numbered items carry their number in ``n``."""
        if not items:
            warn("tei.empty-list", "an empty list was left out (TEI lists need an item)", logger=__name__)
            return
        el = self.sub(parent, "list", rend="bulleted" if start is None else "numbered")
        for number, item in enumerate(items, start if start is not None else 0):
            it = self.sub(el, "item") if start is None else self.sub(el, "item", n=str(number))
            self.container(it, item)

    def body(self, text: etree._Element) -> None:
        """``text/body``: headings open nested ``div``s, level n at depth n."""
        body = self.sub(text, "body")
        stack = [body]
        for block in self.article.body:
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
            div = etree.SubElement(body, _tag("div"))
            for child in list(body)[:-1]:
                div.append(child)

    def back(self, text: etree._Element) -> None:
        """Notes never written at a reference, in ``back/div[@type="notes"]``."""
        div: etree._Element | None = None
        for index in range(len(self.article.notes)):
            if index not in self.emitted:  # (a note written here may write the notes it references)
                if div is None:
                    div = self.sub(self.sub(text, "back"), "div", type="notes")
                self.note(div, index)

    # ------------------------------------------------------------------ header

    def header(self, tei: etree._Element) -> None:
        """The ``teiHeader``."""
        meta = self.article.metadata
        header = self.sub(tei, "teiHeader")
        file_desc = self.sub(header, "fileDesc")
        self.title_stmt(file_desc, meta)
        self.publication_stmt(file_desc, meta)
        self.source_desc(file_desc, meta)
        schemes = self.scheme_ids(meta)
        self.encoding_desc(header, schemes)
        self.profile_desc(header, meta, schemes)
        self.generic_fields(header, meta)

    def generic_fields(self, header: etree._Element, meta: Metadata) -> None:
        """The crosswalk's rows that are written by their path: one element per value at the path's end."""
        for row, steps in crosswalk.tei_generic():
            for value in crosswalk.strings(row, meta):
                parent = header
                for name, attrs in steps[:-1]:
                    parent = _child(parent, name, attrs)
                name, attrs = steps[-1]
                el = _insert(parent, name)
                for key, attr in attrs.items():
                    el.set(key, attr)
                self.text_into(el, value)

    def title_stmt(self, file_desc: etree._Element, meta: Metadata) -> None:
        stmt = self.sub(file_desc, "titleStmt")
        self.sub(stmt, "title", meta.title, type="main")
        if meta.subtitle:
            self.sub(stmt, "title", meta.subtitle, type="sub")
        for author in meta.authors:
            self.sub(self.sub(stmt, "author"), "persName", author)
        if meta.rights.copyright_holders:
            resp = self.sub(stmt, "respStmt")
            self.sub(resp, "resp", "copyright holder")
            for holder in meta.rights.copyright_holders:
                self.sub(resp, "name", holder)

    def publication_stmt(self, file_desc: etree._Element, meta: Metadata) -> None:
        rights = meta.rights
        stmt = self.sub(file_desc, "publicationStmt")
        statements = [(n, str(crosswalk.field_value(row, meta) or "")) for row, n in crosswalk.tei_licences()]
        details = (
            meta.date is not None
            or any(value for _, value in statements)
            or rights.contact
            or meta.source_url
            or meta.identifiers
        )
        if not (meta.publisher or details):
            self.sub(stmt, "p", "No publication details recorded.")
            return
        self.sub(stmt, "publisher", meta.publisher)  # TEI needs a publisher before the details
        if meta.date is not None:
            self.sub(stmt, "date", meta.date.isoformat(), when=meta.date.isoformat())
        if rights.copyright_year is not None:
            year = rights.copyright_year
            date = self.sub(stmt, "date", str(year), type="copyright")
            if 1 <= year <= 9999:
                date.set("when", f"{year:04d}")
        if any(value for _, value in statements):
            availability = self.sub(stmt, "availability")
            for name, value in statements:
                if value:
                    licence = self.sub(availability, "licence", n=name) if name else self.sub(availability, "licence")
                    self.paragraphs(licence, value)
        if rights.contact:
            address = self.sub(stmt, "address")
            for para in rights.contact.split("\n\n"):
                self.sub(address, "addrLine", para)
        if meta.source_url:
            self.sub(stmt, "idno", meta.source_url, type="URL", subtype="source")
        for ident in meta.identifiers:
            if ident.scheme:
                if _word(ident.scheme) != ident.scheme:
                    warn(
                        "tei.identifier-scheme",
                        f"identifier scheme {ident.scheme!r} written as {_word(ident.scheme)!r}",
                        logger=__name__,
                    )
                self.sub(stmt, "idno", ident.value, type=_word(ident.scheme))
            else:
                self.sub(stmt, "idno", ident.value)

    def source_desc(self, file_desc: etree._Element, meta: Metadata) -> None:
        desc = self.sub(file_desc, "sourceDesc")
        source = meta.rights.source
        if not (meta.authors or meta.publisher or meta.date is not None or meta.source_url or source):
            self.sub(desc, "p", "No source recorded.")
            return
        bibl = self.sub(desc, "bibl")
        if meta.title:
            self.sub(bibl, "title", meta.title, level="a", type="main")
        if meta.subtitle:
            self.sub(bibl, "title", meta.subtitle, level="a", type="sub")
        for author in meta.authors:
            self.sub(bibl, "author", author)
        if meta.publisher:
            self.sub(bibl, "publisher", meta.publisher)
        if meta.date is not None:
            self.sub(bibl, "date", meta.date.isoformat(), when=meta.date.isoformat())
        if meta.source_url:
            self.sub(bibl, "idno", meta.source_url, type="URL")
        if source:
            note = self.sub(bibl, "note", type="source")
            if "\n\n" in source:
                self.paragraphs(note, source)
            else:
                self.text_into(note, source)

    def scheme_ids(self, meta: Metadata) -> dict[str, str]:
        """xml:id of the ``taxonomy`` declaring each subject scheme."""
        ids: dict[str, str] = {}
        for subject in meta.subjects:
            scheme = subject.scheme
            if scheme and scheme not in ids:
                candidate = f"scheme-{scheme}" if _NCNAME.fullmatch(scheme) else f"scheme-{len(ids) + 1}"
                while candidate in ids.values():
                    candidate += "-x"
                ids[scheme] = candidate
        return ids

    def encoding_desc(self, header: etree._Element, ids: dict[str, str]) -> None:
        desc = self.sub(header, "encodingDesc")
        app = self.sub(self.sub(desc, "appInfo"), "application", ident="artconv", version=__version__)
        self.sub(app, "label", "artconv")
        if ids:
            class_decl = self.sub(desc, "classDecl")
            for scheme, xml_id in ids.items():
                self.sub(self.sub(class_decl, "taxonomy", xml_id=xml_id), "desc", scheme)

    def profile_desc(self, header: etree._Element, meta: Metadata, ids: dict[str, str]) -> None:
        if not (meta.language or meta.subjects):
            return
        desc = self.sub(header, "profileDesc")
        if meta.language:
            usage = self.sub(desc, "langUsage")
            if _LANGUAGE_TAG.fullmatch(meta.language):
                self.sub(usage, "language", _LANGUAGE_NAMES.get(meta.language.lower(), ""), ident=meta.language)
            else:  # not a language tag: kept as text of an undetermined language
                self.sub(usage, "language", meta.language, ident="und")
        if meta.subjects:
            text_class = self.sub(desc, "textClass")
            keywords: etree._Element | None = None
            scheme: str | None = None
            for subject in meta.subjects:  # consecutive subjects of one scheme share a keywords element
                if keywords is None or subject.scheme != scheme:
                    scheme = subject.scheme
                    keywords = self.sub(text_class, "keywords", **({"scheme": f"#{ids[scheme]}"} if scheme else {}))
                self.sub(keywords, "term", subject.term)

    # ------------------------------------------------------------------ document

    def document(self) -> etree._Element:
        """The whole ``TEI`` element."""
        tei = etree.Element(_tag("TEI"), nsmap={None: TEI_NS})  # type: ignore[dict-item]  # (stubs: no default ns)
        language = self.article.metadata.language
        tei.set(XML_LANG, language if _LANGUAGE_TAG.fullmatch(language) else "und")
        self.header(tei)
        text = self.sub(tei, "text")
        self.body(text)
        self.back(text)
        _indent(tei, 0)
        return tei


#: Schema order of the children of header elements (a child is inserted after those before it).
_CHILD_ORDER = {
    "teiHeader": ("fileDesc", "encodingDesc", "profileDesc", "xenoData", "revisionDesc"),
    "fileDesc": (
        "titleStmt", "editionStmt", "extent", "publicationStmt", "seriesStmt", "notesStmt", "sourceDesc"
    ),
}  # fmt: skip


def _insert(parent: etree._Element, name: str) -> etree._Element:
    """A new child ``name`` of ``parent``, after the children the schema puts before it."""
    el = etree.Element(_tag(name))
    order = _CHILD_ORDER.get(local_name(parent), ())
    rank = order.index(name) if name in order else len(order)
    position = len(parent)
    for index, child in enumerate(parent):
        child_name = local_name(child)
        if child_name in order and order.index(child_name) > rank:
            position = index
            break
    parent.insert(position, el)
    return el


def _child(parent: etree._Element, name: str, attrs: dict[str, str]) -> etree._Element:
    """The first child ``name`` of ``parent`` with ``attrs``, made when there is none."""
    for child in parent:
        if local_name(child) == name and all(child.get(k) == v for k, v in attrs.items()):
            return child
    el = _insert(parent, name)
    for key, value in attrs.items():
        el.set(key, value)
    return el


def _indent(el: etree._Element, level: int) -> None:
    """Lay out element-only containers one child per line; mixed content is left untouched."""
    children = list(el)
    if not children:
        return
    name = local_name(el)
    if (
        name in _INDENTED
        and not el.text
        and all(child.tail is None for child in children)
        and not (name in _MAYBE_MIXED and any(local_name(child) in _INLINE for child in children))
    ):
        inner = "\n" + "  " * (level + 1)
        el.text = inner
        for child in children:
            child.tail = inner
        children[-1].tail = "\n" + "  " * level
    for child in children:
        _indent(child, level + 1)


def render_tei(article: Article) -> bytes:
    """The article as a TEI P5 document (UTF-8 bytes, ending with a newline).

    Warns (:func:`~convert.errors.warn`) when something had to be changed to
    be written (characters XML forbids, an empty list, a dangling note reference);
    raises :class:`~convert.errors.OutputError` for an article nested beyond
    Python's recursion limit.
    """
    builder = _TeiBuilder(article)
    try:
        tei = builder.document()
    except RecursionError:
        raise OutputError("the article is nested too deeply to be written as TEI") from None
    if builder.removed:
        chars = ", ".join(f"U+{ord(c):04X}" for c in sorted(builder.removed))
        warn("tei.invalid-characters", f"removed characters that XML 1.0 does not allow ({chars})", logger=__name__)
    return _PROLOGUE + etree.tostring(tei, encoding="UTF-8", xml_declaration=False) + b"\n"


def render(article: Article, options: Options) -> bytes:
    """Writer entry: the TEI document of ``article`` (no option applies)."""
    return render_tei(article)


WRITER = WriterSpec(
    name="tei",
    extension=".xml",
    media_type="application/tei+xml",
    description="TEI P5 XML (tei_all), complete header, notes in place; read back losslessly",
    render=render,
    aliases=(".tei",),
)
