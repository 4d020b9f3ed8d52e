"""The package around the content documents: metadata, images and cover, manifest, spine, reproducible zip."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
import uuid
from collections.abc import Mapping, Sequence

from ...errors import warn
from ...html.media import image_refs
from ...html.styles import stylesheet
from ...ir import crosswalk
from ...ir.model import Article, Asset, Block, Figure, Metadata
from ...ir.walk import Node, query
from ...lang import direction
from ...registry import Options
from ...words import words_for
from ..zipfiles import stamp_of, zip_files
from .content import (
    CSS_FILE,
    NAV_FILE,
    NCX_FILE,
    NOTES_FILE,
    RIGHTS_FILE,
    TEXT_FILE,
    TocEntry,
    image_href,
)
from .opf import CONTAINER, ManifestItem, MetaElement, nav_document, ncx_document, package_document
from .prepare import LOGGER, book_images, query_blocks

__all__ = [
    "BOOK_DIR",
    "book_identifier",
    "cover_image",
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


def _opf_metadata(identifier: str, meta: Metadata) -> tuple[list[MetaElement], str]:
    """The package's metadata elements after ``dcterms:modified``, and the book's language (its last).

    The Dublin Core elements come from the metadata crosswalk (trimmed, never empty); titles,
    creators and identifiers get the ids and refinements EPUB gives them.  The elements are in
    ebooklib's order, which the package's bytes keep: the generator, then the ``dc:`` elements
    grouped by term (in the order each term first comes, the book's identifier first), then the
    ``meta`` elements (refinements, properties) in the order they come.
    """
    dc: dict[str, list[MetaElement]] = {"identifier": [("dc:identifier", (("id", "pub-id"),), identifier)]}
    metas: list[MetaElement] = []
    language = "en"  # (ebooklib's, for a book of no language; the crosswalk always gives one)
    counts: dict[str, int] = {}
    first_title = ""
    for row, prop, given in crosswalk.props("opf", meta):
        values = [v.strip() for v in given if v.strip()] or ([row.fallback] if prop.required and row.fallback else [])
        for value in values:
            term = prop.name
            k = counts[term] = counts.get(term, 0) + 1
            if term == "title":
                dc.setdefault(term, []).append(("dc:title", (("id", row.name),), value))
                first_title = first_title or row.name
                if k == 2:  # several titles: each says which one it is
                    metas.append(("meta", (("refines", f"#{first_title}"), ("property", "title-type")), "main"))
                if k >= 2:
                    metas.append(("meta", (("refines", f"#{row.name}"), ("property", "title-type")), row.name))
            elif term == "language":
                dc.setdefault(term, []).append(("dc:language", (), value))
                language = value
            elif term == "creator":
                uid = f"creator-{k}"
                dc.setdefault(term, []).append(("dc:creator", (("id", uid),), value))
                refines = ("refines", f"#{uid}")
                metas.append(("meta", (refines, ("property", "role"), ("scheme", "marc:relators")), "aut"))
                metas.append(("meta", (refines, ("property", "file-as")), file_as(value)))
            elif term == "identifier":
                dc[term].append(("dc:identifier", (("id", f"id-{k}"),), value))
            elif ":" in term:  # a property of a reserved prefix (dcterms:license): a meta element
                metas.append(("meta", (("property", term),), value))
            else:
                dc.setdefault(term, []).append((f"dc:{term}", (), value))
    generator: MetaElement = ("meta", (("name", "generator"), ("content", "artconv")), None)
    return [generator, *itertools.chain.from_iterable(dc.values()), *metas], language


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


def package(
    original: Article, article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]
) -> tuple[list[str], dict[str, bytes]]:
    """The files of the book: their names in order (``mimetype``, the container, the package
    document, the style sheet, images, content documents, navigation document, NCX), and the bytes
    of each.

    ``original`` is the article as given (its identifier is the book's), ``article`` the prepared one.
    """
    meta = article.metadata
    rtl = direction(meta.language) == "rtl"
    identifier = book_identifier(original)
    metadata, language = _opf_metadata(identifier, meta)
    cover = cover_image(article, options)
    images = _book_images(article, cover)
    metadata += [("meta", (("property", prop),), value) for prop, value in _accessibility(docs, article, bool(images))]

    files: list[tuple[str, bytes]] = [(CSS_FILE, stylesheet("epub.css").encode())]
    manifest = [ManifestItem("css", CSS_FILE, "text/css")]
    for asset, is_cover in images:
        href = image_href(asset)
        uid = "img-" + asset.sha256[:20]
        media_type = asset.media_type.partition(";")[0].strip().lower()
        manifest.append(ManifestItem(uid, href, media_type, "cover-image" if is_cover else ""))
        files.append((href, asset.data))
        if is_cover:
            metadata.append(("meta", (("name", "cover"), ("content", uid)), ""))
    spine = [name.partition(".")[0] for name in docs]
    manifest += [ManifestItem(uid, name, "application/xhtml+xml") for uid, name in zip(spine, docs, strict=True)]
    manifest += [
        ManifestItem("nav", NAV_FILE, "application/xhtml+xml", "nav"),
        ManifestItem("ncx", NCX_FILE, "application/x-dtbncx+xml"),
    ]
    words = words_for(meta.language)
    guide = [("text", words.start_of_text, TEXT_FILE)]
    if RIGHTS_FILE in docs:
        guide.append(("copyright-page", words.rights_and_source, RIGHTS_FILE))

    # (in ebooklib's order: what is logged, and which string is refused first, stay the same)
    modified = modified_time(article, options).strftime("%Y-%m-%dT%H:%M:%SZ")
    opf = package_document(metadata=metadata, modified=modified, manifest=manifest, spine=spine, guide=guide, rtl=rtl)
    files += docs.items()
    files.append(
        (
            NAV_FILE,
            nav_document(language=language, title=words.contents, css_href=CSS_FILE, rtl=rtl, toc=toc, guide=guide),
        )
    )
    files.append((NCX_FILE, ncx_document(identifier, meta.title or words.untitled, toc)))
    names = ["mimetype", "META-INF/container.xml", f"{BOOK_DIR}/content.opf"]
    data = {"mimetype": b"application/epub+zip", "META-INF/container.xml": CONTAINER, f"{BOOK_DIR}/content.opf": opf}
    for name, content in files:  # (a name written twice keeps its last bytes, as a zip file reads it back)
        names.append(f"{BOOK_DIR}/{name}")
        data[f"{BOOK_DIR}/{name}"] = content
    return names, data


#: The file stored, not compressed (and first), as EPUB requires.
_MIMETYPE = frozenset({"mimetype"})
#: Files that are the same in every book: compressed once per process.
_SAME_IN_EVERY_BOOK = frozenset({"META-INF/container.xml", f"{BOOK_DIR}/{CSS_FILE}"})


def zip_entries(names: Sequence[str], data: Mapping[str, bytes], when: _dt.datetime) -> bytes:
    """The book's zip: the files ``names`` lists (bytes in ``data``), ``mimetype`` first and stored,
    fixed timestamps, attributes and compression."""
    order = ["mimetype", *(n for n in names if n != "mimetype")]
    entries = [(name, data[name]) for name in order]
    return zip_files(entries, stamp_of(when), stored=_MIMETYPE, common=_SAME_IN_EVERY_BOOK)
