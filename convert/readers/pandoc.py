"""Readers through pandoc: DOCX, ODT, reStructuredText, LaTeX, Org, EPUB, JATS, MediaWiki, Textile.

pandoc reads the input into its JSON AST, and :func:`convert.pandoc.bridge.from_pandoc`
makes the article of it (``-f pandoc:FORMAT`` reaches any other pandoc reader).
Besides what pandoc takes from the input:

* DOCX: the core properties (``dc:title``, ``dc:creator``, ``dcterms:created`` and
  ``modified``, ``dc:description``, ``cp:keywords``, ``dc:language``) and the
  custom properties (``artconv-rights-copyright``, ``disclaimer``, ...) are read
  from the package itself (pandoc keeps only some of them);
* ODT: the same from ``meta.xml`` (``meta:user-defined`` for the custom ones);
* DOCX, ODT, EPUB: the images pandoc extracts become the article's assets;
* every format: a closing rights section (a heading such as "Rights" or
  "Colophon" followed by paragraphs ``Label: text`` with the crosswalk's labels,
  as artconv's writers make it, in English or in a language of :mod:`convert.words`)
  becomes the rights and leaves the body; a
  paragraph that is a copyright line (``Copyright © 2020 A``, ``© A 2020``) near
  the end becomes the copyright statement when the metadata gives none.

Metadata the input gives wins over what is found in its text.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from convert.recache import compile as recompile

from ..errors import InputError
from ..ir.model import Article, Block, Heading, Paragraph, Strong, Text
from ..registry import Options, ReaderSpec
from ..words import LANGUAGES

__all__ = ["PANDOC_INPUTS", "READERS", "generic_reader"]

#: name -> (pandoc reader, extensions, decisive, description)
PANDOC_INPUTS: dict[str, tuple[str, tuple[str, ...], bool, str]] = {
    "docx": ("docx", (".docx",), True, "Word document (pandoc; core and custom properties read)"),
    "odt": ("odt", (".odt",), True, "OpenDocument text (pandoc; document properties read)"),
    "rst": ("rst", (".rst",), True, "reStructuredText (pandoc)"),
    "latex": ("latex", (".tex", ".latex"), True, "LaTeX (pandoc)"),
    "org": ("org", (".org",), True, "Emacs Org mode (pandoc)"),
    "epub": ("epub", (".epub",), True, "EPUB (pandoc)"),
    "jats": ("jats", (".jats",), True, "JATS XML (pandoc)"),
    "mediawiki": ("mediawiki", (".wiki", ".mediawiki"), True, "MediaWiki markup (pandoc)"),
    "textile": ("textile", (".textile",), True, "Textile (pandoc)"),
}
_BINARY_INPUTS = frozenset({"docx", "odt", "epub", "pptx", "xlsx"})

_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cu": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def _meta_string(text: str) -> dict[str, Any]:
    return {"t": "MetaString", "c": text}


def _parse_xml(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def package_properties(data: bytes, fmt: str) -> dict[str, Any]:
    """The document properties of a DOCX or ODT package, as pandoc metadata values by key."""
    out: dict[str, Any] = {}
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if fmt == "docx":
            core = _parse_xml(package.read("docProps/core.xml")) if "docProps/core.xml" in names else None
            custom = _parse_xml(package.read("docProps/custom.xml")) if "docProps/custom.xml" in names else None
        else:
            core = _parse_xml(package.read("meta.xml")) if "meta.xml" in names else None
            custom = core
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return out

    def first(path: str) -> str:
        found = core.find(path, _NS) if core is not None else None
        return " ".join((found.text or "").split()) if found is not None else ""

    prefix = "" if fmt == "docx" else ".//office:meta/"
    title = first(f"{prefix}dc:title")
    creator = first(f"{prefix}dc:creator") or first(f"{prefix}meta:initial-creator")
    created = first(f"{prefix}dcterms:created") or first(f"{prefix}meta:creation-date")
    modified = first(f"{prefix}dcterms:modified") or first(f"{prefix}dc:date")
    if created.startswith("1970-01-01"):  # SOURCE_DATE_EPOCH=0 of a document without a date: no date
        created = ""
    if modified.startswith("1970-01-01"):
        modified = ""
    keywords = first(f"{prefix}cp:keywords")
    keyword_list = [k.strip() for k in re.split(r"[;,]", keywords) if k.strip()]
    if core is not None and fmt == "odt":
        keyword_list += [" ".join((k.text or "").split()) for k in core.iterfind(".//meta:keyword", _NS) if k.text]
    for key, value in (
        ("title", title),
        ("description", first(f"{prefix}dc:description")),
        ("lang", first(f"{prefix}dc:language")),
        ("date", created[:10]),
        ("modified", modified[:10] if modified[:10] != created[:10] else ""),
    ):
        if value:
            out[key] = _meta_string(value)
    if creator:
        authors = [a.strip() for a in re.split(r";|\s+and\s+", creator) if a.strip()]
        out["author"] = {"t": "MetaList", "c": [_meta_string(a) for a in authors]}
    if keyword_list:
        out["keywords"] = {"t": "MetaList", "c": [_meta_string(k) for k in dict.fromkeys(keyword_list)]}
    if custom is not None:
        props = custom.iterfind("cu:property", _NS) if fmt == "docx" else custom.iterfind(".//meta:user-defined", _NS)
        for prop in props:
            name = prop.get("name") or prop.get(f"{{{_NS['meta']}}}name") or ""
            value = "".join(prop.itertext()).strip()
            if name and value:
                out[name] = _meta_string(value)
    return out


def _merge(meta: dict[str, Any], props: Mapping[str, Any]) -> None:
    """``props`` into pandoc's ``meta`` where pandoc found nothing (what pandoc read wins)."""
    for key, value in props.items():
        if key not in meta:
            meta[key] = value


# --------------------------------------------------------------------------- rights in the text

_COPYRIGHT_LINE = recompile(r"(?:copyright\b|\(c\)|©)", re.IGNORECASE)
_SECTION_TITLES = frozenset({"rights", "colophon", "copyright", "licence", "license", "rights and permissions"})


def _section_titles() -> frozenset[str]:
    """The titles of a closing rights section: the English ones and the writers' in every language."""
    words = {row[key].lower() for row in LANGUAGES.values() for key in ("rights", "colophon") if key in row}
    return _SECTION_TITLES | words


def _plain(block: Block) -> str:
    from ..ir.walk import plain_text

    return plain_text(block.content) if isinstance(block, Paragraph | Heading) else ""


def _labelled(block: Block, labels: Mapping[str, str]) -> tuple[str, str] | None:
    """(field, text) of a paragraph ``Label: text`` with a rights label, else None."""
    if not isinstance(block, Paragraph):
        return None
    text = " ".join(_plain(block).split())
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in labels:
        first = block.content[0] if block.content else None
        if isinstance(first, Strong | Text):
            return labels[head.strip().lower()], rest.strip()
    return None


def drop_title_page(article: Article) -> Article:
    """The article without the paragraphs that only repeat its title, authors and date at its start.

    (pandoc's ODT and EPUB readers read a title page's paragraphs as text.)
    """
    meta = article.metadata
    if not meta.title:
        return article
    known = {meta.title, meta.subtitle, ", ".join(meta.authors), *meta.authors, meta.description}
    if meta.date is not None:
        known.add(meta.date.isoformat())
    known = {" ".join(k.split()) for k in known if k}
    body = article.body
    if not body or " ".join(_plain(body[0]).split()) != " ".join(meta.title.split()):
        return article
    i = 0
    while (
        i < min(len(body), 6)
        and isinstance(body[i], Paragraph | Heading)
        and " ".join(_plain(body[i]).split()) in known
    ):
        i += 1
    return Article(meta, body[i:], article.notes, article.assets)


def rights_from_text(article: Article) -> Article:
    """The article with its closing rights section (or last copyright line) taken into its rights."""
    from ..ir.crosswalk import rights_fields

    labels = {row.label.lower(): row.name for row in rights_fields() if row.label}
    labels.update((word.lower(), name) for row in LANGUAGES.values() for name, word in row.get("labels", {}).items())
    titles = _section_titles()
    body = list(article.body)
    found: dict[str, list[str]] = {}
    start = next(
        (
            i
            for i in range(len(body) - 1, -1, -1)
            if isinstance(body[i], Heading) and _plain(body[i]).strip().lower() in titles
        ),
        None,
    )
    if start is not None:
        tail = body[start + 1 :]
        field = ""
        parsed: list[tuple[str, str]] = []
        for block in tail:
            pair = _labelled(block, labels)
            if pair is not None:
                field = pair[0]
                parsed.append(pair)
            elif field and isinstance(block, Paragraph):
                parsed.append((field, " ".join(_plain(block).split())))
            else:
                parsed = []
                break
        if parsed:
            for name, text in parsed:
                found.setdefault(name, []).append(text)
            body = body[:start]
    if "copyright" not in found:
        for i in range(len(body) - 1, max(len(body) - 6, -1), -1):
            text = " ".join(_plain(body[i]).split())
            if isinstance(body[i], Paragraph) and len(text) < 300 and _COPYRIGHT_LINE.match(text):
                found["copyright"] = [text]
                del body[i]
                break
    if not found:
        return article
    rights = article.metadata.rights
    changes = {name: "\n\n".join(texts) for name, texts in found.items() if not getattr(rights, name)}
    result = Article(article.metadata, tuple(body), article.notes, article.assets)
    return result.with_rights(**changes) if changes else result


# --------------------------------------------------------------------------- reading


def read_with_pandoc(data: bytes, fmt: str) -> Article:
    """The article of ``data`` read by pandoc's ``fmt`` reader."""
    from ..pandoc.bridge import from_pandoc
    from ..pandoc.runner import PandocError, run_json
    from ._text import decode_text

    base = re.split(r"[+-]", fmt, maxsplit=1)[0]
    source = data if base in _BINARY_INPUTS else decode_text(data).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="artconv-pandoc-") as tmp:
        media = os.path.join(tmp, "m")
        args = ("-s", "--sandbox", f"--extract-media={media}") if base in _BINARY_INPUTS else ("-s", "--sandbox")
        try:
            doc = dict(run_json(source, fmt, args=args))  # standalone: the readers take the metadata
        except PandocError as exc:
            raise InputError(str(exc)) from None
        if base in ("docx", "odt"):
            meta = dict(doc.get("meta", {}))
            _merge(meta, package_properties(data, base))
            doc["meta"] = meta
        article = from_pandoc(doc)
        if base in _BINARY_INPUTS:
            article = _held_images(article, media)
    return rights_from_text(drop_title_page(article))


def _held_images(article: Article, media: str) -> Article:
    """The images pandoc extracted into ``media`` taken into the article's assets (``media/image1.png``)."""
    import mimetypes

    from ..ir.model import Asset, Figure, Image
    from ..ir.walk import walk_block, walk_inline

    assets: dict[str, Asset] = {}
    prefix = media + os.sep

    def held(src: str) -> str:
        if not src.startswith(prefix):
            return src
        ref = os.path.relpath(src, media).replace(os.sep, "/")  # media/image1.png
        if ref not in assets:
            try:
                with open(src, "rb") as f:
                    data = f.read()
            except OSError:
                return src
            assets[ref] = Asset(ref, mimetypes.guess_type(ref)[0] or "application/octet-stream", data)
        return ref

    def inline(node: Any) -> Any:
        return Image(held(node.src), node.alt, node.title) if isinstance(node, Image) else node

    def block(node: Any) -> Any:
        if isinstance(node, Figure) and node.image is not None:
            return Figure(node.caption, inline(node.image))
        return node

    changed = walk_block(block, walk_inline(inline, article))
    if not assets:
        return changed
    return Article(changed.metadata, changed.body, changed.notes, (*changed.assets, *assets.values()))


def _reader(fmt: str) -> Callable[[bytes, Options], Article]:
    def read(data: bytes, options: Options) -> Article:
        return read_with_pandoc(data, fmt)

    return read


READERS: dict[str, ReaderSpec] = {
    name: ReaderSpec(name, description, extensions, _reader(fmt), decisive)
    for name, (fmt, extensions, decisive, description) in PANDOC_INPUTS.items()
}
DOCX = READERS["docx"]
ODT = READERS["odt"]
RST = READERS["rst"]
LATEX = READERS["latex"]
ORG = READERS["org"]
EPUB = READERS["epub"]
JATS = READERS["jats"]
MEDIAWIKI = READERS["mediawiki"]
TEXTILE = READERS["textile"]


def generic_reader(fmt: str) -> ReaderSpec:
    """The reader of ``-f pandoc:FORMAT``: any input format of pandoc (``pandoc:docbook``, ``pandoc:fb2``)."""
    from ..pandoc import check_format_name

    check_format_name(fmt, "input")
    return ReaderSpec(f"pandoc:{fmt}", f"pandoc's {fmt} reader", (), _reader(fmt))
