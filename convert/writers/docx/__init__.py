"""The ``docx`` writer: a Word document of the article, written by artconv itself (no pandoc).

The package holds ``word/document.xml`` (the front, the body, the notes no text refers to, the
rights section), ``word/footnotes.xml`` (a footnote at each note reference), ``word/numbering.xml``
(the lists), ``word/styles.xml`` (:mod:`.styles`: the style ids of pandoc's reference document, so
that Word users and pandoc's DOCX reader know them), ``word/settings.xml``, the images the article
holds (PNG, JPEG, GIF) in ``word/media/``, and the document properties: core (title, authors,
keywords, description, language, dates), custom (one ``artconv-rights-*`` property per rights
field, as the pandoc writers name them) and application.

The writer's steps are its modules: :mod:`.body` (blocks and inlines as WordprocessingML),
:mod:`.parts` (the parts around them), :mod:`.styles`, :mod:`.images` (sizes from the headers),
:mod:`.markup` (escaping).  The parts are built as strings, without an XML library; the zip
(:mod:`convert.writers.zipfiles`) has a fixed entry order and every entry the timestamp
``SOURCE_DATE_EPOCH`` or the article's date gives, so the same input gives the same bytes.

``--reference-doc FILE`` takes the styles (and the theme and font table, when it has them) from
another DOCX, as pandoc's option does; the writer's styles it lacks are added to them.
``-t pandoc:docx`` still reaches pandoc's own DOCX writer.  See ``docs/docx.md``.
"""

from __future__ import annotations

import os

from ...errors import OutputError, warn
from ...ir.crosswalk import timestamp
from ...ir.model import Article
from ...pandoc.json_ast import rights_properties  # (nothing of it runs pandoc)
from ...registry import Options, WriterSpec
from ..zipfiles import stamp_of, zip_files
from .body import LOGGER, DocumentWriter
from .markup import remove_not_xml
from .parts import (
    app_xml,
    content_types,
    core_xml,
    custom_xml,
    document_rels,
    numbering_xml,
    package_rels,
    settings_xml,
)
from .styles import merged_styles, styles_xml

__all__ = ["WRITER", "render"]

#: The reference document's parts the writer takes (names below ``word/``).
_REFERENCE_PARTS = ("styles.xml", "theme/theme1.xml", "fontTable.xml")


def _reference_parts(path: str) -> dict[str, bytes]:
    """The parts of ``--reference-doc`` the document takes; OutputError when it is missing or no DOCX."""
    if not os.path.isfile(path):
        raise OutputError(f"--reference-doc: no such file: {path}")
    import zipfile  # (only with --reference-doc: a costly import)
    import zlib

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            found = {name: package.read(f"word/{name}") for name in _REFERENCE_PARTS if f"word/{name}" in names}
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise OutputError(f"--reference-doc: {path} is not a DOCX file ({exc})") from None
    if "styles.xml" not in found:
        raise OutputError(f"--reference-doc: {path} is not a DOCX file (it has no word/styles.xml)")
    return found


#: The parts that are the same in many documents (compressed once: see :func:`..zipfiles.zip_files`).
_COMMON = frozenset({"word/styles.xml", "word/settings.xml", "docProps/app.xml"})


def render(article: Article, options: Options) -> bytes:
    """The article as a DOCX package (the same bytes for the same article and options)."""
    reference = _reference_parts(options.reference_doc) if options.reference_doc else {}
    meta = article.metadata
    try:
        writer = DocumentWriter(article)
        document = writer.document_xml()
        footnotes = writer.footnotes_xml() if writer.footnotes else ""
    except RecursionError:
        raise OutputError("the article is nested too deeply to be written as DOCX") from None
    when = timestamp(options.source_date_epoch, meta.date)
    properties = rights_properties(meta.rights)  # named as the pandoc writers name them
    if meta.publisher.strip():
        properties.append(("publisher", " ".join(meta.publisher.split())))

    word: dict[str, str | bytes] = {}  # parts below word/, in the order written
    word["document.xml"] = document
    word["styles.xml"] = (
        merged_styles(reference["styles.xml"].decode("utf-8", "replace"))
        if reference
        else styles_xml(meta.language, writer.rtl)
    )
    if writer.lists:
        word["numbering.xml"] = numbering_xml(writer.lists)
    word["settings.xml"] = settings_xml(meta.language, bool(footnotes))
    if footnotes:
        word["footnotes.xml"] = footnotes
    for name in _REFERENCE_PARTS[1:]:
        if name in reference:
            word[name] = reference[name]
    fixed = [name for name in word if name != "document.xml"]
    word["_rels/document.xml.rels"] = document_rels(writer.document_rels, fixed)
    if footnotes and writer.footnote_rels:
        word["_rels/footnotes.xml.rels"] = writer.footnote_rels.xml()
    for name, data in writer.media.values():
        word[name] = data

    removed: set[str] = set()
    parts: list[tuple[str, str | bytes]] = [
        ("_rels/.rels", package_rels(bool(properties))),
        ("docProps/core.xml", core_xml(meta, when)),
        ("docProps/app.xml", app_xml()),
    ]
    if properties:
        parts.append(("docProps/custom.xml", custom_xml(properties)))
    parts += [(f"word/{name}", data) for name, data in word.items()]
    parts.insert(0, ("[Content_Types].xml", content_types([name for name, _ in parts])))
    encoded = [
        (name, data if isinstance(data, bytes) else remove_not_xml(data, removed).encode("utf-8"))
        for name, data in parts
    ]
    if removed:
        chars = ", ".join(f"U+{ord(c):04X}" for c in sorted(removed))
        warn("docx.invalid-characters", f"removed characters that XML 1.0 does not allow ({chars})", logger=LOGGER)
    return zip_files(encoded, stamp_of(when), common=_COMMON)


WRITER = WriterSpec(
    name="docx",
    extension=".docx",
    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    description="Word document: real footnotes and lists, pandoc's style names, rights in the properties",
    render=render,
)
