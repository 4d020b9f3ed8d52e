"""The ``tei`` reader: TEI P5 XML back into the IR.

It reads what the ``tei`` writer writes exactly (article -> TEI -> article is
the identity), and reasonable hand-written TEI: the usual header fields,
``p``, ``head`` and nested ``div``s, ``quote``, ``list``, ``figure``, ``note``
(in place, or in ``back`` pointed to by ``ptr``/``ref``), ``ref``, ``hi``,
``emph``, ``lb``, ``code``, ``eg``, ``lg``.  Elements without an IR
counterpart give their text; ``teiHeader`` elements it does not know are
ignored.  ``docs/tei.md`` lists the mapping.

The XML is parsed defensively: entities are never expanded from a DTD, no
DTD is loaded, nothing is fetched from the network, libxml2's size and depth
limits stay on, and a document that declares entities is refused.  Every
problem is an :class:`~convert.errors.InputError` of one line.
"""

from __future__ import annotations

import datetime as _dt
import re
import textwrap
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import InputError
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
    Identifier,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Subject,
    Text,
    ThematicBreak,
)
from ..ir.rights import reconcile_copyright
from ..ir.walk import normalize_inlines
from ..registry import Options, ReaderSpec
from ..xmlns import TEI_NS, XML_ID, XML_LANG, XML_SPACE, tei_local_name

__all__ = ["READER", "read_tei"]


#: XML whitespace (not Unicode's: a no-break space is text).
_XML_WS = re.compile(r"[ \t\n\r]+")
_NEWLINE_WS = re.compile(r"[ \t\r]*\n[ \t\n\r]*")
_ISO_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}")
_OUR_NOTE_ID = re.compile(r"note-(\d+)")
_SPACES = (" ", "\t", "\n", "\r")
_LINE_SEP = "\x00"  # never in XML text: marks an lb while plain text is gathered

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
#: Elements whose content is not part of the running text.
_SKIPPED = frozenset({"pb", "cb", "milestone", "anchor", "gap", "index", "fw", "del", "figDesc", "graphic"})
_NOTE_DIV_TYPES = frozenset({"notes", "endnotes", "footnotes"})
_CHOICE_PREFERENCE = ("corr", "reg", "expan")


# --------------------------------------------------------------------------- parsing

_ENTITY_MESSAGE = "the document declares entities in a DTD, which TEI input may not do"


def _declares_entities(data: bytes) -> bool:
    """True when ``data`` has a DOCTYPE and an entity declaration (ASCII-compatible or UTF-16 text).

    ``<`` cannot stand unescaped in text, so ``<!ENTITY`` only occurs in markup
    (or a comment): checked before parsing, the expansion never starts.
    """
    return any(
        "<!DOCTYPE".encode(codec) in data and "<!ENTITY".encode(codec) in data
        for codec in ("utf-8", "utf-16-le", "utf-16-be")
    )


def _parse(data: bytes) -> etree._Element:
    """The root element of ``data``, parsed without entities, DTDs or network."""
    if _declares_entities(data):
        raise InputError(_ENTITY_MESSAGE)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg or exc}") from None
    if root is None:
        raise InputError("not well-formed XML: no root element")
    dtd: Any = root.getroottree().docinfo.internalDTD  # (the stubs do not know DTD.iterentities)
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(_ENTITY_MESSAGE)
    for entity in root.iter(etree.Entity):
        raise InputError(f"entity reference {entity.text} cannot be resolved (DTDs are not loaded)")
    return root


def _kids(el: etree._Element | None, *names: str) -> list[etree._Element]:
    if el is None:
        return []
    return [child for child in el if tei_local_name(child) in names]


def _kid(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element along ``path`` of child names, or None."""
    for name in path:
        found = _kids(el, name)
        if not found:
            return None
        el = found[0]
    return el


def _all_text(el: etree._Element) -> str:
    """All the text inside ``el``, verbatim (its tail excluded)."""
    return "".join(str(t) for t in el.itertext())


def _first(*elements: etree._Element | None) -> etree._Element | None:
    """The first of ``elements`` that is not None (elements are falsy when childless)."""
    return next((el for el in elements if el is not None), None)


# --------------------------------------------------------------------------- plain text


def _gather(el: etree._Element, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        name = tei_local_name(child)
        if name == "lb":
            parts.append(_LINE_SEP)
        elif name not in ("note", "") and name not in _SKIPPED:
            _gather(child, parts)
        if child.tail:
            parts.append(child.tail)


def _plain(el: etree._Element | None) -> str:
    """Text of a header element: XML whitespace collapsed, each ``lb`` a newline."""
    if el is None:
        return ""
    parts: list[str] = []
    _gather(el, parts)
    lines = "".join(parts).split(_LINE_SEP)
    return "\n".join(_XML_WS.sub(" ", line).strip(" ") for line in lines)


def _paragraphs(el: etree._Element | None) -> str:
    """Text of an element made of ``p`` (or ``addrLine``) children, paragraphs separated by a blank line."""
    if el is None:
        return ""
    paras = _kids(el, "p", "addrLine")
    if not paras:
        return _plain(el)
    return "\n\n".join(_plain(p) for p in paras)


def _date(value: str) -> _dt.date | None:
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return _dt.date.fromisoformat(match.group(0))
    except ValueError:
        return None


def _year(el: etree._Element) -> int | None:
    for value in (el.get("when", ""), _plain(el)):
        match = re.match(r"-?\d+", value.strip())
        if match:
            return int(match.group(0))
    return None


# --------------------------------------------------------------------------- header


def _metadata(root: etree._Element) -> Metadata:
    header = _kid(root, "teiHeader")
    file_desc = _kid(header, "fileDesc")
    title_stmt = _kid(file_desc, "titleStmt")
    pub_stmt = _kid(file_desc, "publicationStmt")
    bibl = _kid(file_desc, "sourceDesc", "bibl")

    titles = _kids(title_stmt, "title") or _kids(bibl, "title")
    main = [t for t in titles if t.get("type", "main") not in ("sub", "subtitle")]
    subs = [t for t in titles if t.get("type") in ("sub", "subtitle")]
    authors = _kids(title_stmt, "author") or _kids(bibl, "author")
    holders: list[str] = []
    for resp_stmt in _kids(title_stmt, "respStmt"):
        if "copyright" in _plain(_kid(resp_stmt, "resp")).lower():
            holders.extend(_plain(n) for n in _kids(resp_stmt, "name", "persName", "orgName"))

    publisher = _kid(bibl, "publisher")
    if publisher is None:
        publisher = _kid(pub_stmt, "publisher")
    date: _dt.date | None = None
    year: int | None = None
    for el in [*_kids(bibl, "date"), *_kids(pub_stmt, "date")]:
        if el.get("type") == "copyright":
            year = _year(el) if year is None else year
        elif date is None:
            date = _date(el.get("when", "") or _plain(el))

    source_url = ""
    identifiers: list[Identifier] = []
    for el in _kids(pub_stmt, "idno"):
        if el.get("subtype") == "source" and not source_url:
            source_url = _plain(el)
        else:
            identifiers.append(Identifier(_plain(el), el.get("type", "")))
    if not source_url:
        for el in _kids(bibl, "idno", "ref", "ptr"):
            if tei_local_name(el) == "idno" and el.get("type", "").lower() in ("url", "uri"):
                source_url = _plain(el)
            elif tei_local_name(el) != "idno" and el.get("target"):
                source_url = el.get("target", "")
            if source_url:
                break

    rights = _availability(pub_stmt)
    return crosswalk.make_metadata(
        {
            "title": _plain(main[0]) if main else "",
            "subtitle": _plain(subs[0]) if subs else "",
            "authors": tuple(_plain(_first(_kid(a, "persName"), a)) for a in authors),
            "publisher": _plain(publisher),
            "date": date,
            "language": _language(root, header),
            "source_url": source_url,
            "subjects": _subjects(header),
            "identifiers": tuple(identifiers),
            **rights,
            "copyright": reconcile_copyright(rights.get("copyright", ""), holders, year),
            "source": _paragraphs(_kid(bibl, "note")) if _kid(bibl, "note") is not None else "",
            "contact": "\n\n".join(_paragraphs(a) for a in _kids(pub_stmt, "address")),
            **_by_path(header),
        }
    )


def _availability(pub_stmt: etree._Element | None) -> dict[str, str]:
    """The rights statements of ``availability``, by the crosswalk row whose licence ``n`` they carry.

    A ``licence`` with another ``n`` (or none), and a ``p``, are the reuse terms (the licence without ``n``).
    """
    by_n = {n: row.name for row, n in crosswalk.tei_licences()}
    parts: dict[str, list[str]] = {}
    for el in _kids(_kid(pub_stmt, "availability"), "licence", "p"):
        if tei_local_name(el) == "licence":
            parts.setdefault(by_n.get(el.get("n", ""), by_n[""]), []).append(_paragraphs(el))
        else:
            parts.setdefault(by_n[""], []).append(_plain(el))
    return {name: "\n\n".join(texts) for name, texts in parts.items()}


def _by_path(header: etree._Element | None) -> dict[str, Any]:
    """The crosswalk's rows read by their TEI path (see :func:`~convert.ir.crosswalk.tei_generic`)."""
    values: dict[str, Any] = {}
    for row, steps in crosswalk.tei_generic():
        found = [] if header is None else [header]
        for name, attrs in steps:
            found = [c for el in found for c in _kids(el, name) if all(c.get(k) == v for k, v in attrs.items())]
        values[row.name] = crosswalk.from_strings(row, [_plain(el) for el in found])
    return values


def _language(root: etree._Element, header: etree._Element | None) -> str:
    language = _kid(header, "profileDesc", "langUsage", "language")
    if language is not None:
        ident = language.get("ident", "")
        if ident and ident != "und":
            return ident
        return _plain(language) or ident
    lang = root.get(XML_LANG, "")
    return "" if lang == "und" else lang


def _subjects(header: etree._Element | None) -> tuple[Subject, ...]:
    schemes: dict[str, str] = {}
    if header is not None:
        for taxonomy in header.iter(f"{{{TEI_NS}}}taxonomy", "taxonomy"):
            xml_id = taxonomy.get(XML_ID)
            if xml_id:
                label = _first(_kid(taxonomy, "desc"), _kid(taxonomy, "gloss"), _kid(taxonomy, "bibl"))
                schemes[xml_id] = _plain(label) if label is not None else xml_id
    subjects: list[Subject] = []
    for keywords in _kids(_kid(header, "profileDesc", "textClass"), "keywords"):
        scheme = keywords.get("scheme", "")
        if scheme.startswith("#"):
            scheme = schemes.get(scheme[1:], scheme[1:])
        terms = _kids(keywords, "term") or _kids(_kid(keywords, "list"), "item")
        subjects.extend(Subject(_plain(term), scheme) for term in terms)
    return tuple(subjects)


# --------------------------------------------------------------------------- text


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


class _TextReader:
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
            label = _XML_WS.sub(" ", el.get("n", "")).strip(" ")
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
            return [Code(_all_text(el))]
        if name in _QUOTED:
            return [Text("“"), *self.mixed(el), Text("”")]
        if name == "choice":
            for preferred in _CHOICE_PREFERENCE:
                chosen = _kid(el, preferred)
                if chosen is not None:
                    return self.mixed(chosen)
            return self.mixed(el[0]) if len(el) else []
        if name in _SKIPPED or not name:
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
            shown = _all_text(el).strip().strip("[]()").strip()
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
            head = _kid(el, "head")
            graphic = _kid(el, "graphic")
            return [
                Figure(
                    self.content(head) if head is not None else (),
                    graphic.get("url", "") if graphic is not None else "",
                    _plain(_kid(el, "figDesc")),
                )
            ]
        if name == "eg":
            return [self.code_block(el)]
        if name == "milestone":
            return [ThematicBreak()]
        if name == "lg":
            lines: list[Inline] = []
            for line in _kids(el, "l"):
                if lines:
                    lines.append(LineBreak())
                lines.extend(self.content(line))
            return [Paragraph(normalize_inlines(lines))] if lines else []
        return []  # pb, cb: page and column breaks of a printed source

    def list(self, el: etree._Element, depth: int) -> list[Block]:
        kind = " ".join(el.get(a, "") for a in ("rend", "type", "style")).lower()
        items = tuple(tuple(self.blocks(item, depth)) for item in _kids(el, "item"))
        if not items:
            return []  # (the IR has no empty lists)
        if any(word in kind for word in ("number", "order", "decimal", "arabic", "roman", "alpha")):
            first = _kids(el, "item")[0].get("n", "")
            start = int(first) if re.fullmatch(r"-?\d+", first.strip()) else 1
            return [OrderedList(items, start)]
        return [BulletList(items)]

    def code_block(self, el: etree._Element) -> CodeBlock:
        codes = _kids(el, "code")
        language = codes[0].get("lang", "") if len(codes) == 1 and not (el.text or "").strip() else ""
        text = _all_text(el)
        if el.get(XML_SPACE) != "preserve":
            text = textwrap.dedent(text.strip("\n")).rstrip()
        return CodeBlock(text, language)

    # ------------------------------------------------------------------ text

    def read(self) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
        """Body blocks and notes of the document."""
        body = _kid(self.text, "body")
        blocks = self.blocks(body, 0) if body is not None else []
        for part in _kids(self.text, "back"):
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
                    for note in _kids(child, "note"):
                        self.note(note)
                elif name in _BLOCKS:
                    blocks.extend(self.block(child, 0))
                elif name:
                    blocks.extend(self.blocks(child, 0))
        return tuple(blocks), self.all_notes()


_INLINE_NAMES = frozenset({"hi", "ref", "ptr", "note", "lb", "code", "choice", *_EMPHASIS, *_QUOTED, *_SKIPPED})


def _iter_tei(root: etree._Element) -> Iterator[etree._Element]:
    if tei_local_name(root) == "TEI":
        yield root
    elif tei_local_name(root) == "teiCorpus":
        yield from root.iter(f"{{{TEI_NS}}}TEI", "TEI")


def read_tei(data: bytes) -> Article:
    """Read a TEI P5 document (bytes) into the IR; raises InputError on unsafe or non-TEI input."""
    root = _parse(data)
    tei = next(_iter_tei(root), None)
    if tei is None:
        qname = etree.QName(root)
        where = f" in namespace {qname.namespace}" if qname.namespace else ""
        raise InputError(f"not a TEI document: the root element is <{qname.localname}>{where}")
    metadata = _metadata(tei)
    body, notes = _TextReader(_kid(tei, "text")).read()
    return Article(metadata, body, notes)


def _read(data: bytes, options: Options) -> Article:
    return read_tei(data)


READER = ReaderSpec(
    name="tei",
    description="TEI P5 XML (artconv's own, and hand-written TEI)",
    extensions=(".xml", ".tei"),
    read=_read,
)
