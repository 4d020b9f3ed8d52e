"""The package parts around the document: relationships, content types, numbering, settings and the
document properties (core, custom, application), where the rights are kept.

* ``docProps/core.xml``: ``dc:title``, ``dc:creator`` (the authors joined by ``"; "``),
  ``cp:keywords`` (the subjects), ``dc:description``, ``dc:language``, ``dcterms:created`` and
  ``dcterms:modified`` (``SOURCE_DATE_EPOCH``, else the article's date, as the pandoc writers do);
* ``docProps/custom.xml``: one property per rights field, named as the pandoc writers name them
  (``artconv-rights-copyright``, ``artconv-rights-fair-use``, ...), and ``publisher``;
* ``docProps/app.xml``: the application, artconv.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ...ir.model import Metadata
from .markup import W_NS, attr, text

__all__ = [
    "HYPERLINK",
    "IMAGE",
    "ListInstance",
    "Rels",
    "app_xml",
    "content_types",
    "core_xml",
    "custom_xml",
    "document_rels",
    "numbering_xml",
    "package_rels",
    "settings_xml",
]

_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HYPERLINK = _OFFICE + "hyperlink"
IMAGE = _OFFICE + "image"
STYLES = _OFFICE + "styles"
NUMBERING = _OFFICE + "numbering"
SETTINGS = _OFFICE + "settings"
FOOTNOTES = _OFFICE + "footnotes"
THEME = _OFFICE + "theme"
FONT_TABLE = _OFFICE + "fontTable"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml."
#: The content type of each part the writer may write (``Override`` entries).
_CONTENT_TYPES = {
    "/word/document.xml": _WORD + "document.main+xml",
    "/word/styles.xml": _WORD + "styles+xml",
    "/word/numbering.xml": _WORD + "numbering+xml",
    "/word/settings.xml": _WORD + "settings+xml",
    "/word/footnotes.xml": _WORD + "footnotes+xml",
    "/word/fontTable.xml": _WORD + "fontTable+xml",
    "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "/docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
}
_MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}


class _Relationship(NamedTuple):
    ident: str
    kind: str
    target: str
    external: bool


class Rels:
    """The relationships of one part: each (kind, target) once, ids ``rId<first>``, ``rId<first+1>``, ..."""

    def __init__(self, first: int) -> None:
        self._first = first
        self._items: dict[tuple[str, str, bool], _Relationship] = {}

    def add(self, kind: str, target: str, *, external: bool = False) -> str:
        """The id of the relationship to ``target`` (made on first use)."""
        key = (kind, target, external)
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = _Relationship(f"rId{self._first + len(self._items)}", kind, target, external)
        return found.ident

    def __bool__(self) -> bool:
        return bool(self._items)

    def xml(self, fixed: Iterable[tuple[str, str, str]] = ()) -> str:
        """The ``.rels`` part: ``fixed`` (id, kind, target) first, then those added."""
        rows = [f'<Relationship Id="{ident}" Type="{kind}" Target="{target}"/>' for ident, kind, target in fixed]
        for rel in self._items.values():
            mode = ' TargetMode="External"' if rel.external else ""
            rows.append(f'<Relationship Id="{rel.ident}" Type="{rel.kind}" Target="{attr(rel.target)}"{mode}/>')
        body = "".join(rows)
        return f'{_DECLARATION}<Relationships xmlns="{_RELS_NS}">{body}</Relationships>\n'


def document_rels(rels: Rels, parts: Sequence[str]) -> str:
    """``word/_rels/document.xml.rels``: the fixed parts the package has (``parts``, names below ``word/``)."""
    kinds = {"styles.xml": STYLES, "numbering.xml": NUMBERING, "settings.xml": SETTINGS,
             "footnotes.xml": FOOTNOTES, "theme/theme1.xml": THEME, "fontTable.xml": FONT_TABLE}  # fmt: skip
    return rels.xml((f"rId{i}", kinds[name], name) for i, name in enumerate(parts, 1))


def package_rels(custom: bool) -> str:
    """``_rels/.rels``: the document and the property parts."""
    rows = [
        ("rId1", _OFFICE + "officeDocument", "word/document.xml"),
        ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
         "docProps/core.xml"),
        ("rId3", _OFFICE + "extended-properties", "docProps/app.xml"),
    ]  # fmt: skip
    if custom:
        rows.append(("rId4", _OFFICE + "custom-properties", "docProps/custom.xml"))
    return Rels(0).xml(rows)


def content_types(names: Iterable[str]) -> str:
    """``[Content_Types].xml`` for the package's parts ``names``."""
    extensions = {name.rpartition(".")[2] for name in names if name.startswith("word/media/")}
    rows = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
            '<Default Extension="xml" ContentType="application/xml"/>']  # fmt: skip
    rows += [f'<Default Extension="{ext}" ContentType="{_MEDIA_TYPES[ext]}"/>' for ext in sorted(extensions)]
    for name in names:
        kind = _CONTENT_TYPES.get(f"/{name}")
        if kind is not None:
            rows.append(f'<Override PartName="/{name}" ContentType="{kind}"/>')
    body = "".join(rows)
    return f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>\n'


class ListInstance(NamedTuple):
    """One list's numbering: ``"decimal"`` or ``"bullet"``, and its first number."""

    kind: str
    start: int


_BULLETS = ("\u2022", "\u25e6", "\u25aa")


def numbering_xml(lists: Sequence[ListInstance]) -> str:
    """``word/numbering.xml``: an abstract numbering and a numbering instance (id ``i + 1``) per list, so
    that every list numbers from its own start; each defines the nine levels Word knows (a list uses the
    one its items are at)."""
    abstract: list[str] = []
    instances: list[str] = []
    for i, found in enumerate(lists):
        levels = []
        for level in range(9):
            if found.kind == "decimal":
                kind = f'<w:start w:val="{found.start}"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%{level + 1}."/>'
            else:
                kind = f'<w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{_BULLETS[level % 3]}"/>'
            indent = f'<w:pPr><w:ind w:left="{720 * (level + 1)}" w:hanging="360"/></w:pPr>'
            levels.append(f'<w:lvl w:ilvl="{level}">{kind}<w:lvlJc w:val="left"/>{indent}</w:lvl>')
        abstract.append(
            f'<w:abstractNum w:abstractNumId="{i}"><w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}'
            "</w:abstractNum>"
        )
        instances.append(f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>')
    body = "\n".join([*abstract, *instances])
    return f'{_DECLARATION}<w:numbering xmlns:w="{W_NS}">\n{body}\n</w:numbering>\n'


def settings_xml(language: str, footnotes: bool) -> str:
    """``word/settings.xml`` (children in the schema's order)."""
    notes = '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>' if footnotes else ""
    lang = f'<w:themeFontLang w:val="{attr(language)}"/>' if language else ""
    return (
        f'{_DECLARATION}<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        f'<w:characterSpacingControl w:val="doNotCompress"/>{notes}<w:compat><w:compatSetting'
        ' w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'{lang}<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>\n'
    )


_CORE_NS = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def core_xml(meta: Metadata, when: _dt.datetime | None) -> str:
    """``docProps/core.xml``: the Dublin Core properties Word shows."""
    rows = []

    def add(tag: str, value: str) -> None:
        value = " ".join(value.split())
        if value:
            rows.append(f"<{tag}>{text(value)}</{tag}>")

    add("dc:title", meta.title)
    add("dc:creator", "; ".join(a for a in (" ".join(a.split()) for a in meta.authors) if a))
    terms = dict.fromkeys(subject.term for subject in meta.subjects)
    add("cp:keywords", ", ".join(terms))
    if meta.description.strip():
        rows.append(f"<dc:description>{text(meta.description.strip())}</dc:description>")
    add("dc:language", meta.language)
    if when is not None:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        for tag in ("dcterms:created", "dcterms:modified"):
            rows.append(f'<{tag} xsi:type="dcterms:W3CDTF">{stamp}</{tag}>')
    body = "".join(rows)
    return f"{_DECLARATION}<cp:coreProperties {_CORE_NS}>{body}</cp:coreProperties>\n"


def custom_xml(properties: Sequence[tuple[str, str]]) -> str:
    """``docProps/custom.xml``: one text property per (name, value)."""
    rows = [
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{attr(name)}">'
        f"<vt:lpwstr>{text(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties, 2)
    ]
    body = "".join(rows)
    return (
        f'{_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        f' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{body}</Properties>\n'
    )


def app_xml() -> str:
    """``docProps/app.xml``: the application that wrote the document."""
    return (
        f'{_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>artconv'
        "</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>\n"
    )
