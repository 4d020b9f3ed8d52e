"""The EPUB package files as ebooklib's writer makes them: the oracle of the writer's own.

The writer writes the container, package document, navigation document and NCX as text
(:mod:`convert.writers.epub.opf`); it built them through ebooklib before, with the code kept
here: an ``epub.EpubBook`` made from the article (:func:`ebooklib_book`), whose files
``epub.EpubWriter`` writes (:func:`ebooklib_package`).  Tests compare the two byte for byte.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from ebooklib import epub

from convert.html.styles import stylesheet
from convert.ir import crosswalk
from convert.ir.model import Article, Metadata
from convert.lang import direction
from convert.registry import Options
from convert.words import words_for
from convert.writers.epub.content import (
    CSS_FILE,
    NAV_FILE,
    NCX_FILE,
    RIGHTS_FILE,
    TEXT_FILE,
    TocEntry,
    image_href,
)
from convert.writers.epub.package import (
    BOOK_DIR,
    _accessibility,
    _book_images,
    book_identifier,
    cover_image,
    file_as,
    modified_time,
)

__all__ = ["ebooklib_book", "ebooklib_package"]


def _opf_metadata(book: Any, meta: Metadata) -> None:
    """The package's Dublin Core elements, from the metadata crosswalk (trimmed, never empty)."""
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
                if k == 2:
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
            elif ":" in term:
                book.add_metadata(None, "meta", value, {"property": term})
            else:
                book.add_metadata("DC", term, value)


def ebooklib_book(
    original: Article, article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]
) -> tuple[Any, dict[str, Any]]:
    """The ebooklib book, and the options of ebooklib's writer."""
    meta = article.metadata
    rtl = direction(meta.language) == "rtl"
    book: Any = epub.EpubBook()
    book.FOLDER_NAME = BOOK_DIR
    book.IDENTIFIER_ID = "pub-id"
    book.set_identifier(book_identifier(original))
    book.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": "artconv"})
    words = words_for(meta.language)
    book.title = meta.title or words.untitled
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
    nav = epub.EpubNav(file_name=NAV_FILE, title=words.contents, direction="rtl" if rtl else None)
    nav.add_link(href=CSS_FILE, rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx(file_name=NCX_FILE))
    book.spine = list(items.values())

    counter = itertools.count(1)

    def link(entry: TocEntry) -> Any:
        node = epub.Link(entry.href, entry.title, f"navpoint-{next(counter)}")
        return (node, [link(c) for c in entry.children]) if entry.children else node

    book.toc = [link(entry) for entry in toc]
    book.guide = [{"type": "text", "title": words.start_of_text, "href": TEXT_FILE}]
    if RIGHTS_FILE in docs:
        book.guide.append({"type": "copyright-page", "title": words.rights_and_source, "href": RIGHTS_FILE})

    settings = {
        "mtime": modified_time(article, options),
        "landmark_title": "Landmarks",
        "epub3_pages": False,
        "play_order": {"enabled": True, "start_from": 1},
        "raise_exceptions": True,
        "package_direction": rtl,
    }
    return book, settings


class _Entries:
    """Stands in for the zip file ebooklib's writer writes to: it keeps each entry's name and bytes."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.data: dict[str, bytes] = {}

    def writestr(self, name: str, data: str | bytes, *_args: object, **_kwargs: object) -> None:
        self.names.append(name)
        self.data[name] = data.encode("utf-8") if isinstance(data, str) else data

    def close(self) -> None:
        """Nothing to finish."""


def ebooklib_package(
    original: Article, article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]
) -> tuple[list[str], dict[str, bytes]]:
    """The files ebooklib's writer writes for the book (as :func:`~convert.writers.epub.package.package`)."""
    writer: Any = epub.EpubWriter("", *ebooklib_book(original, article, options, docs, toc))
    # ebooklib's write_epub() is process(), then write(), whose steps are these, into a zip file
    writer.process()
    entries = writer.out = _Entries()
    entries.writestr("mimetype", "application/epub+zip")
    writer._write_container()
    writer._write_opf()
    writer._write_items()
    return entries.names, entries.data
