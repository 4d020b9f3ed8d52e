"""The ``epub`` writer: an EPUB 3.3 book of the article, EPUBCheck-clean and reproducible.

The book holds three content documents built with the shared HTML rendering
(:mod:`convert.html.render`, XHTML flavour): ``text.xhtml`` (title block and
body), ``notes.xhtml`` (endnotes, linked both ways with the references) and
``rights.xhtml`` (the copyright page, verbatim); the last two only when the
article has notes or rights statements.  The images the article holds are in
``images/`` (named by checksum), one of them the cover.  The package files
(package document with its metadata, navigation document with the table of
contents and landmarks, legacy NCX, container) are written as text by
:mod:`.opf`, byte for byte as ebooklib's writer made them before (a test keeps
ebooklib as the oracle; it is not imported at run time).

The writer's steps are its modules: :mod:`.prepare` (the article as the book
shows it: which images it holds, links and note references that resolve
inside it), :mod:`.content` (the content documents and the table of contents),
:mod:`.package` (metadata, images and cover, manifest, spine, the zip) and
:mod:`.opf` (the package files as text).

The same input gives the same bytes:

* content documents are stored as rendered;
* the identifier is a name-based UUID (of the source URL, else of the
  article), the generator is ``artconv``, ``dcterms:modified`` comes from
  ``SOURCE_DATE_EPOCH`` or the article, never the clock;
* the zip (:mod:`convert.writers.zipfiles`) keeps the entries' order with
  ``mimetype`` first and stored, and gives every entry the same timestamp and
  attributes.

EPUB allows no remote images and artconv never fetches: an image the article
does not hold keeps its alt text (a figure its caption) and, when it is on the
web, a link to it.  The markup goes through
:func:`~convert.html.render.sanitize_tree`, and every link address is made a
valid URL or dropped (:func:`epub_href`), as EPUBCheck requires.  A
right-to-left article gets ``dir="rtl"`` on every document and
``page-progression-direction="rtl"`` on the spine.
"""

from __future__ import annotations

from ...ir.model import Article
from ...registry import Options, WriterSpec
from .content import NOTES_FILE, TEXT_FILE, TocEntry, content_documents, epub_href
from .package import book_identifier, cover_image, file_as, modified_time, package, zip_entries
from .prepare import prepare

__all__ = [
    "NOTES_FILE",
    "TEXT_FILE",
    "WRITER",
    "TocEntry",
    "book_identifier",
    "content_documents",
    "cover_image",
    "epub_href",
    "file_as",
    "modified_time",
    "prepare",
    "render",
    "zip_entries",
]


def render(article: Article, options: Options) -> bytes:
    """The article as an EPUB 3 book (zip bytes, identical for identical input)."""
    book = prepare(article)
    docs, toc = content_documents(book)
    names, files = package(article, book, options, docs, toc)
    return zip_entries(names, files, modified_time(article, options))


WRITER = WriterSpec(
    name="epub",
    extension=".epub",
    media_type="application/epub+zip",
    description="EPUB 3 e-book (EPUBCheck-clean, notes linked both ways, rights page)",
    render=render,
)
