"""``teiHeader``: the metadata and the rights record, each where an archivist looks for it."""

from __future__ import annotations

from ..._version import __version__
from ...errors import warn
from ...ir import crosswalk
from ...ir.model import Metadata
from ...xmlns import local_name
from .base import LANGUAGE_TAG, LOGGER, NCNAME, Base, tag, word
from .tree import Element

__all__ = ["HeaderWriter"]

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


#: Schema order of the children of header elements (a child is inserted after those before it).
_CHILD_ORDER = {
    "teiHeader": ("fileDesc", "encodingDesc", "profileDesc", "xenoData", "revisionDesc"),
    "fileDesc": (
        "titleStmt", "editionStmt", "extent", "publicationStmt", "seriesStmt", "notesStmt", "sourceDesc"
    ),
}  # fmt: skip


def _insert(parent: Element, name: str) -> Element:
    """A new child ``name`` of ``parent``, after the children the schema puts before it."""
    el = Element(tag(name))
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


def _child(parent: Element, name: str, attrs: dict[str, str]) -> Element:
    """The first child ``name`` of ``parent`` with ``attrs``, made when there is none."""
    for child in parent:
        if local_name(child) == name and all(child.get(k) == v for k, v in attrs.items()):
            return child
    el = _insert(parent, name)
    for key, value in attrs.items():
        el.set(key, value)
    return el


class HeaderWriter(Base):
    """Writes the ``teiHeader`` of the article."""

    def header(self, tei: Element) -> None:
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

    def generic_fields(self, header: Element, meta: Metadata) -> None:
        """The crosswalk's rows that are written by their path: one element per value at the path's end."""
        for row, steps in crosswalk.tei_generic():
            attribute = steps[-1][0][1:] if steps[-1][0].startswith("@") else ""
            elements = steps[:-1] if attribute else steps
            for value in crosswalk.strings(row, meta):
                parent = header
                for name, attrs in elements[:-1]:
                    parent = _child(parent, name, attrs)
                name, attrs = elements[-1]
                el = _insert(parent, name)
                for key, attr in attrs.items():
                    el.set(key, attr)
                if attribute:
                    el.set(attribute, value)
                else:
                    self.text_into(el, value)

    def title_stmt(self, file_desc: Element, meta: Metadata) -> None:
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

    def publication_stmt(self, file_desc: Element, meta: Metadata) -> None:
        rights = meta.rights
        stmt = self.sub(file_desc, "publicationStmt")
        statements = [(n, str(crosswalk.field_value(row, meta) or "")) for row, n in crosswalk.tei_licences()]
        licence_attrs = {"target": rights.licence_url, "n": rights.licence_id}
        licence_attrs = {k: v for k, v in licence_attrs.items() if v}
        details = (
            meta.date is not None
            or any(value for _, value in statements)
            or licence_attrs
            or rights.contact
            or meta.source_url
            or meta.identifiers
        )
        if not (meta.publisher or details):
            self.sub(stmt, "p", "No publication details recorded.")
            return
        self.sub(stmt, "publisher", meta.publisher)  # TEI needs a publisher before the details
        if meta.date is not None:
            when = crosswalk.format_date(meta.date, meta.date_precision)
            self.sub(stmt, "date", when, when=when)
        if rights.copyright_year is not None:
            year = rights.copyright_year
            date = self.sub(stmt, "date", str(year), type="copyright")
            if 1 <= year <= 9999:
                date.set("when", f"{year:04d}")
        if any(value for _, value in statements) or licence_attrs:
            availability = self.sub(stmt, "availability")
            for name, value in statements:
                if value or (not name and licence_attrs):  # the licence: its text, address and identifier
                    attrs = {"n": name} if name else licence_attrs
                    licence = self.sub(availability, "licence", **attrs)
                    if value:
                        self.paragraphs(licence, value)
        if rights.contact:
            address = self.sub(stmt, "address")
            for para in rights.contact.split("\n\n"):
                self.sub(address, "addrLine", para)
        if meta.source_url:
            self.sub(stmt, "idno", meta.source_url, type="URL", subtype="source")
        for ident in meta.identifiers:
            if ident.scheme:
                if word(ident.scheme) != ident.scheme:
                    warn(
                        "tei.identifier-scheme",
                        f"identifier scheme {ident.scheme!r} written as {word(ident.scheme)!r}",
                        logger=LOGGER,
                    )
                self.sub(stmt, "idno", ident.value, type=word(ident.scheme))
            else:
                self.sub(stmt, "idno", ident.value)

    def source_desc(self, file_desc: Element, meta: Metadata) -> None:
        desc = self.sub(file_desc, "sourceDesc")
        source = meta.rights.source
        if not (meta.authors or meta.publisher or meta.site or meta.date is not None or meta.source_url or source):
            self.sub(desc, "p", "No source recorded.")
            return
        bibl = self.sub(desc, "bibl")
        if meta.title:
            self.sub(bibl, "title", meta.title, level="a", type="main")
        if meta.subtitle:
            self.sub(bibl, "title", meta.subtitle, level="a", type="sub")
        for author in meta.authors:
            self.sub(bibl, "author", author)
        if meta.site:
            self.sub(bibl, "title", meta.site, level="j")
        if meta.publisher:
            self.sub(bibl, "publisher", meta.publisher)
        if meta.date is not None:
            when = crosswalk.format_date(meta.date, meta.date_precision)
            self.sub(bibl, "date", when, when=when)
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
                candidate = f"scheme-{scheme}" if NCNAME.fullmatch(scheme) else f"scheme-{len(ids) + 1}"
                while candidate in ids.values():
                    candidate += "-x"
                ids[scheme] = candidate
        return ids

    def encoding_desc(self, header: Element, ids: dict[str, str]) -> None:
        desc = self.sub(header, "encodingDesc")
        app = self.sub(self.sub(desc, "appInfo"), "application", ident="artconv", version=__version__)
        self.sub(app, "label", "artconv")
        if ids:
            class_decl = self.sub(desc, "classDecl")
            for scheme, xml_id in ids.items():
                self.sub(self.sub(class_decl, "taxonomy", xml_id=xml_id), "desc", scheme)

    def profile_desc(self, header: Element, meta: Metadata, ids: dict[str, str]) -> None:
        if not (meta.language or meta.subjects):
            return
        desc = self.sub(header, "profileDesc")
        if meta.language:
            usage = self.sub(desc, "langUsage")
            if LANGUAGE_TAG.fullmatch(meta.language):
                self.sub(usage, "language", _LANGUAGE_NAMES.get(meta.language.lower(), ""), ident=meta.language)
            else:  # not a language tag: kept as text of an undetermined language
                self.sub(usage, "language", meta.language, ident="und")
        if meta.subjects:
            text_class = self.sub(desc, "textClass")
            keywords: Element | None = None
            scheme: str | None = None
            for subject in meta.subjects:  # consecutive subjects of one scheme share a keywords element
                if keywords is None or subject.scheme != scheme:
                    scheme = subject.scheme
                    keywords = self.sub(text_class, "keywords", **({"scheme": f"#{ids[scheme]}"} if scheme else {}))
                self.sub(keywords, "term", subject.term)

    def declare_style(self, tei: Element) -> None:
        """``encodingDesc/styleDefDecl``: ``@style`` holds CSS (declared only when an element has one)."""
        desc = tei.find(f"{tag('teiHeader')}/{tag('encodingDesc')}")
        if self.styled and desc is not None:
            self.sub(desc, "styleDefDecl", scheme="css")
