"""The package around the content documents: metadata, images and cover, manifest, spine, reproducible zip."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import itertools
import os
import struct
import uuid
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from ebooklib import epub

from ...errors import warn
from ...html.media import image_refs
from ...html.styles import stylesheet
from ...ir import crosswalk
from ...ir.model import Article, Asset, Block, Figure, Metadata
from ...ir.walk import Node, query
from ...lang import direction
from ...registry import Options
from .content import (
    CONTENTS_TITLE,
    CSS_FILE,
    NAV_FILE,
    NCX_FILE,
    NOTES_FILE,
    RIGHTS_FILE,
    RIGHTS_TITLE,
    TEXT_FILE,
    TocEntry,
    image_href,
)
from .prepare import LOGGER, book_images, query_blocks

__all__ = [
    "BOOK_DIR",
    "book_identifier",
    "cover_image",
    "ebooklib_book",
    "file_as",
    "modified_time",
    "package",
    "zip_entries",
]

#: Folder of the publication inside the container.
BOOK_DIR = "EPUB"
#: Namespace of the name-based UUIDs made from an article's canonical JSON.
_CONTENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:artconv:ir")
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}


# --------------------------------------------------------------------------- metadata


def book_identifier(article: Article) -> str:
    """The book's ``dc:identifier``: a name-based UUID of the source URL, else of the content.

    The same article always gets the same identifier; no randomness is involved.
    """
    url = article.metadata.source_url.strip()
    if url:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}"
    # repr() of the frozen IR spells out every field and value, deterministically, and is
    # several times cheaper than its JSON form; the files it holds count by their checksums
    content = repr(dataclasses.replace(article, assets=())) if article.assets else repr(article)
    content += "".join(f" {asset.ref} {asset.sha256}" for asset in article.assets)
    return f"urn:uuid:{uuid.uuid5(_CONTENT_NAMESPACE, content)}"


def modified_time(article: Article, options: Options) -> _dt.datetime:
    """``dcterms:modified``: ``SOURCE_DATE_EPOCH``, else the article's date (midnight UTC), else 1970-01-01."""
    return crosswalk.timestamp(options.source_date_epoch, article.metadata.date) or _EPOCH


def file_as(name: str) -> str:
    """The sort form of a personal name: ``"Farooq Yousaf"`` gives ``"Yousaf, Farooq"``.

    Names already inverted (with a comma) and single words are kept; a
    trailing suffix (``Jr.``, ``III``) follows the given names.
    """
    words = name.split()
    if "," in name or len(words) < 2:
        return " ".join(words)
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _NAME_SUFFIXES:
        suffix = ", " + words.pop()
    return f"{words[-1]}, {' '.join(words[:-1])}{suffix}"


def _opf_metadata(book: Any, meta: Metadata) -> None:
    """The package's Dublin Core elements, from the metadata crosswalk (trimmed, never empty).

    Titles, creators and identifiers get the ids and refinements EPUB gives them.
    """
    counts: dict[str, int] = {}
    first_title = ""
    for row, prop, given in crosswalk.props("opf", meta):
        values = [v.strip() for v in given if v.strip()] or ([row.fallback] if prop.required and row.fallback else [])
        for value in values:
            term = prop.name
            k = counts[term] = counts.get(term, 0) + 1
            if term == "title":
                book.add_metadata("DC", "title", value, {"id": row.name})
                first_title = first_title or row.name
                if k == 2:  # several titles: each says which one it is
                    book.add_metadata(None, "meta", "main", {"refines": f"#{first_title}", "property": "title-type"})
                if k >= 2:
                    book.add_metadata(None, "meta", row.name, {"refines": f"#{row.name}", "property": "title-type"})
            elif term == "language":
                book.set_language(value)
            elif term == "creator":
                uid = f"creator-{k}"
                book.add_metadata("DC", "creator", value, {"id": uid})
                refines = {"refines": f"#{uid}"}
                book.add_metadata(None, "meta", "aut", {**refines, "property": "role", "scheme": "marc:relators"})
                book.add_metadata(None, "meta", file_as(value), {**refines, "property": "file-as"})
            elif term == "identifier":
                book.add_metadata("DC", "identifier", value, {"id": f"id-{k}"})
            elif ":" in term:  # a property of a reserved prefix (dcterms:license): a meta element
                book.add_metadata(None, "meta", value, {"property": term})
            else:
                book.add_metadata("DC", term, value)


# --------------------------------------------------------------------------- images


def _figure_image(node: Node) -> tuple[str, ...]:
    return (node.image.src,) if isinstance(node, Figure) and node.image is not None else ()


def cover_image(article: Article, options: Options) -> Asset | None:
    """The cover: the image ``options.cover`` names (an image of the article), else the article's
    own (``Metadata.image``, when the book holds it), else the first figure's; or none.

    ``article`` is the prepared one (its images are the book's).  A cover asked
    for that the article does not hold, or that is not an image the book can
    hold, is reported (``epub.cover-missing``) and the first figure's is used.
    """
    images = book_images(article, report=False)
    wanted = options.cover.strip()
    if wanted:
        if wanted in images:
            return images[wanted]
        why = "not an image EPUB reading systems show" if article.asset(wanted) else "not an image of the article"
        warn("epub.cover-missing", f"cover {wanted!r} left out: {why}; the first figure's image is used", logger=LOGGER)
    elif article.metadata.image in images:
        return images[article.metadata.image]
    if not images:  # no figure's image is in the book (and the body need not be walked)
        return None
    return next((images[src] for src in query(_figure_image, article.body) if src in images), None)


def _book_images(article: Article, cover: Asset | None) -> list[tuple[Asset, bool]]:
    """(asset, is the cover) of each distinct image file of the book, in reading order (the cover first)."""
    images = book_images(article, report=False)
    found: dict[str, Asset] = {}
    if cover is not None:
        found[image_href(cover)] = cover
    for ref in image_refs(article) if images else ():  # (a book of no image: the article is not walked)
        if ref in images:
            found.setdefault(image_href(images[ref]), images[ref])
    return [(asset, asset is cover) for asset in found.values()]


def _has_imageless_figure(block: Block) -> tuple[bool, ...]:
    return (True,) if isinstance(block, Figure) and block.image is None else ()


def _accessibility(docs: dict[str, bytes], article: Article, images: bool) -> list[tuple[str, str]]:
    """The schema.org accessibility metadata of the book."""
    parts = [
        "A reflowable text publication with a table of contents, structured headings and a logical reading order;"
        " it sets no fixed font sizes."
    ]
    if NOTES_FILE in docs:
        parts.append("Note references link to the endnotes and each endnote links back to the text.")
    if images:
        parts.append("Images have their alternative text or caption.")
    if query_blocks(_has_imageless_figure, article):
        parts.append("Figures are given by their captions only; their images are not included.")
    features = ["ARIA", *(["alternativeText"] if images else []), "displayTransformability", "readingOrder"]
    features += ["structuralNavigation", "tableOfContents", "unlocked"]
    return [
        ("schema:accessMode", "textual"),
        *((("schema:accessMode", "visual"),) if images else ()),
        ("schema:accessModeSufficient", "textual"),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", " ".join(parts)),
    ]


# --------------------------------------------------------------------------- package


class _Entries:
    """Stands in for the zip file ebooklib's writer writes to: it keeps each entry's name and bytes.

    ebooklib would compress and zip every file, only for :func:`zip_entries` to read them back and
    zip them again; its writer is given this instead, and the book is zipped once.
    """

    def __init__(self) -> None:
        #: The names in the order written (as a zip file lists them).
        self.names: list[str] = []
        #: The bytes of each name (the last written, as a zip file reads them back).
        self.data: dict[str, bytes] = {}

    def writestr(self, name: str, data: str | bytes, *_args: object, **_kwargs: object) -> None:
        """What ``ZipFile.writestr`` keeps of an entry: its name, and its text encoded as UTF-8."""
        self.names.append(name)
        self.data[name] = data.encode("utf-8") if isinstance(data, str) else data

    def close(self) -> None:
        """Nothing to finish."""


def package(
    original: Article, article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]
) -> tuple[list[str], dict[str, bytes]]:
    """The files ebooklib writes for the book: their names in its order, and the bytes of each.

    ``original`` is the article as given (its identifier is the book's), ``article`` the prepared one.
    """
    writer: Any = epub.EpubWriter("", *ebooklib_book(original, article, options, docs, toc))
    # ebooklib's write_epub() is process(), then write(), whose steps are these, into a zip file
    writer.process()
    entries = writer.out = _Entries()
    entries.writestr("mimetype", "application/epub+zip")
    writer._write_container()
    writer._write_opf()
    writer._write_items()
    return entries.names, entries.data


def ebooklib_book(
    original: Article, article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]
) -> tuple[Any, dict[str, Any]]:
    """The ebooklib book, and the options of ebooklib's writer (see :func:`package`)."""
    meta = article.metadata
    rtl = direction(meta.language) == "rtl"
    book: Any = epub.EpubBook()
    book.FOLDER_NAME = BOOK_DIR
    book.IDENTIFIER_ID = "pub-id"
    book.set_identifier(book_identifier(original))
    book.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": "artconv"})
    book.title = meta.title or crosswalk.UNTITLED
    _opf_metadata(book, meta)
    if rtl:
        book.set_direction("rtl")
    cover = cover_image(article, options)
    images = _book_images(article, cover)
    for prop, value in _accessibility(docs, article, bool(images)):
        book.add_metadata(None, "meta", value, {"property": prop})

    css = epub.EpubItem(uid="css", file_name=CSS_FILE, media_type="text/css", content=stylesheet("epub.css").encode())
    book.add_item(css)
    for asset, is_cover in images:
        href = image_href(asset)
        uid = "img-" + asset.sha256[:20]
        item = epub.EpubItem(uid=uid, file_name=href, media_type=asset.media_type.partition(";")[0].strip().lower())
        item.content = asset.data
        if is_cover:
            item.properties = ["cover-image"]
            book.add_metadata(None, "meta", "", {"name": "cover", "content": uid})
        book.add_item(item)
    items: dict[str, Any] = {}
    for name, data in docs.items():
        item = epub.EpubItem(uid=name.partition(".")[0], file_name=name, media_type="application/xhtml+xml")
        item.content = data
        items[name] = book.add_item(item)
    nav = epub.EpubNav(file_name=NAV_FILE, title=CONTENTS_TITLE, direction="rtl" if rtl else None)
    nav.add_link(href=CSS_FILE, rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx(file_name=NCX_FILE))
    book.spine = list(items.values())

    counter = itertools.count(1)

    def link(entry: TocEntry) -> Any:
        node = epub.Link(entry.href, entry.title, f"navpoint-{next(counter)}")
        return (node, [link(c) for c in entry.children]) if entry.children else node

    book.toc = [link(entry) for entry in toc]
    book.guide = [{"type": "text", "title": "Start of text", "href": TEXT_FILE}]
    if RIGHTS_FILE in docs:
        book.guide.append({"type": "copyright-page", "title": RIGHTS_TITLE, "href": RIGHTS_FILE})

    settings = {
        "mtime": modified_time(article, options),
        "landmark_title": "Landmarks",
        "epub3_pages": False,
        "play_order": {"enabled": True, "start_from": 1},
        "raise_exceptions": True,
        "package_direction": rtl,
    }
    return book, settings


#: A zip entry's time: year, month, day, hour, minute, second.
_Stamp = tuple[int, int, int, int, int, int]


def _zip_time(when: _dt.datetime) -> _Stamp:
    """A zip entry timestamp (zip cannot go before 1980)."""
    when = max(when, _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)


def zip_entries(names: Sequence[str], data: Mapping[str, bytes], when: _dt.datetime) -> bytes:
    """The book's zip: the files ``names`` lists (bytes in ``data``), ``mimetype`` first and stored,
    fixed timestamps, attributes and compression."""
    order = ["mimetype", *(n for n in names if n != "mimetype")]
    stamp = _zip_time(when)
    if _plain_zip(order, data):
        return _zip_written(order, data, stamp)
    return _zip_by_zipfile(order, data, stamp)


def _zip_by_zipfile(order: Sequence[str], data: Mapping[str, bytes], stamp: _Stamp) -> bytes:
    """The zip, written by :mod:`zipfile` (the general path: any names, sizes and duplicates)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, data[name], compresslevel=6)
    return out.getvalue()


#: Books up to this size (all files, uncompressed) are zipped by :func:`_zip_written`: far from the
#: sizes at which :mod:`zipfile` writes ZIP64 records.
_PLAIN_ZIP_BYTES = 1 << 30
#: Files that are the same in every book: compressed once per process.
_SAME_IN_EVERY_BOOK = frozenset({"META-INF/container.xml", f"{BOOK_DIR}/{CSS_FILE}"})


def _plain_zip(order: Sequence[str], data: Mapping[str, bytes]) -> bool:
    """Whether :func:`_zip_written` writes these files as :mod:`zipfile` would: distinct plain names,
    a size well below ZIP64's, ``/`` as the system's separator."""
    return (
        os.sep == "/"
        and len(set(order)) == len(order)
        and not any("\0" in name or name.endswith("/") for name in order)
        and sum(len(data[name]) for name in order) < _PLAIN_ZIP_BYTES
    )


def _deflate(raw: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream at level 6) of ``raw``, as :mod:`zipfile` compresses an entry."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(raw), compressor.compress(raw) + compressor.flush()


_deflate_same = lru_cache(maxsize=8)(_deflate)


def _zip_written(order: Sequence[str], data: Mapping[str, bytes], stamp: _Stamp) -> bytes:
    """The bytes :func:`_zip_by_zipfile` gives for files :func:`_plain_zip` accepts, written here.

    (The records are those ``zipfile.ZipFile.writestr`` writes into a seekable file, without its
    per-entry bookkeeping; the files every book holds are compressed once.  A test compares the two.)
    """
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    dostime = stamp[3] << 11 | stamp[4] << 5 | (stamp[5] // 2)
    out = bytearray()
    central: list[bytes] = []
    for name in order:
        raw = data[name]
        try:
            filename, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            filename, flags = name.encode("utf-8"), 0x800  # zipfile's flag for UTF-8 names
        if name == "mimetype":
            method, crc, body = zipfile.ZIP_STORED, zlib.crc32(raw), raw
        else:
            method = zipfile.ZIP_DEFLATED
            crc, body = _deflate_same(raw) if name in _SAME_IN_EVERY_BOOK else _deflate(raw)
        # version 2.0 needed and made by, Unix (3), no extra field, comment, disk or internal attributes
        common = (flags, method, dostime, dosdate, crc, len(body), len(raw), len(filename), 0)
        central.append(_CENTRAL.pack(b"PK\001\002", 20, 3, 20, 0, *common, 0, 0, 0, 0o100644 << 16, len(out)))
        central.append(filename)
        out += _LOCAL.pack(b"PK\003\004", 20, 0, *common)
        out += filename
        out += body
    start = len(out)
    out += b"".join(central)
    out += _END.pack(b"PK\005\006", 0, 0, len(order), len(order), len(out) - start, start, 0)
    return bytes(out)


#: The zip records (APPNOTE 4.3.7, 4.3.12, 4.3.16): local file header, central directory header, end of
#: central directory.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
